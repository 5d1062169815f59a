/* The status pages' login: passwords checked on a thread of their own (yescrypt is slow on purpose), a wrong one answered after a pause that doubles, each logged. */
#include <sys/queue.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "i18n.h"
#include "log.h"
#include "web.h"

#define WEB_CHECKS_MAX		32	/* logins waiting for the thread */
#define WEB_FAILS_MAX		128	/* names whose failures we keep */
#define WEB_FAIL_WINDOW_MS	(15 * 60 * 1000)
#define WEB_FAIL_DELAY_MS	1000	/* the first wrong password; doubles */
#define WEB_FAIL_DELAY_MAX	8000

/* A login being checked: by the thread, then waiting out its delay. */
struct web_check {
	struct web_login	*w;
	struct evhttp_request	*req;
	char			 user[USERS_NAME_MAX + 1];
	char			 hash[CRYPT_OUTPUT_SIZE];
	char			 password[USERS_PASSWORD_MAX + 1];
	int			 known;		/* the user exists */
	int			 read_only;
	int			 skip;		/* too soon: not checked */
	int			 ok;
	char			 from[160];	/* who, for the log */
	struct event		*delay;
	TAILQ_ENTRY(web_check)	 link;
};
TAILQ_HEAD(web_checks, web_check);

/* Wrong passwords of one user name, lately. */
struct web_fail {
	char		name[USERS_NAME_MAX + 1];
	int		count;
	int64_t		last;		/* monotonic ms */
	int64_t		next_ok;	/* no check before this */
};

struct web_login {
	struct web		*w;
	struct nv		*nv;
	struct web_fail		 fails[WEB_FAILS_MAX];
	int64_t			 delay_max_ms;
	/* the thread: todo under lock, done back through a pipe */
	pthread_t		 thread;
	int			 thread_up;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int			 stop;
	struct web_checks	 todo, done, waiting;	/* waiting: delays */
	size_t			 nchecks;
	int			 pipe[2];
	struct event		*pipe_ev;
	char			 dummy_hash[CRYPT_OUTPUT_SIZE];
};

/* Checks passwords one at a time, away from the loop (yescrypt is slow). */
static void *
web_thread(void *arg)
{
	struct web_login	*w = arg;
	struct web_check	*k;
	char			 x = 'x';

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stop && TAILQ_EMPTY(&w->todo))
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		k = TAILQ_FIRST(&w->todo);
		TAILQ_REMOVE(&w->todo, k, link);
		pthread_mutex_unlock(&w->lock);
		/* An unknown user costs the same as a known one. */
		k->ok = users_verify(k->known ? k->hash : w->dummy_hash,
		    k->password) && k->known;
		explicit_bzero(k->password, sizeof(k->password));
		pthread_mutex_lock(&w->lock);
		TAILQ_INSERT_TAIL(&w->done, k, link);
		if (write(w->pipe[1], &x, 1) == -1 && errno != EAGAIN)
			log_warn("status pages: writing to the login pipe");
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void
web_check_free(struct web_check *k)
{
	if (k->delay != NULL)
		event_free(k->delay);
	explicit_bzero(k, sizeof(*k));
	free(k);
}

/* The failures kept for a user name (a slot reused when needed). */
static struct web_fail *
web_fail(struct web_login *w, const char *name, int make)
{
	struct web_fail	*f, *old = NULL;
	int64_t		 now = web_mono_ms();
	size_t		 i;

	for (i = 0; i < WEB_FAILS_MAX; i++) {
		f = &w->fails[i];
		if (f->name[0] != '\0' && now - f->last > WEB_FAIL_WINDOW_MS)
			f->name[0] = '\0';
		if (f->name[0] != '\0' && strcmp(f->name, name) == 0)
			return f;
		if (old == NULL || f->name[0] == '\0' ||
		    (old->name[0] != '\0' && f->last < old->last))
			old = f;
	}
	if (!make)
		return NULL;
	memset(old, 0, sizeof(*old));
	snprintf(old->name, sizeof(old->name), "%s", name);
	return old;
}

/* The login's answer, after its delay if it failed. */
static void
web_check_answer(struct web_check *k)
{
	struct web_login	*w = k->w;
	struct web_session	*s;

	if (!k->ok) {
		web_login_page(w->w, k->req, 401, k->user, k->skip ?
		    "Đăng nhập sai liên tiếp: chờ vài giây rồi thử lại." :
		    "Sai tên đăng nhập hoặc mật khẩu.");
		return;
	}
	if ((s = web_session_new(w->w, k->user, k->read_only)) == NULL) {
		web_error(w->w, k->req, NULL, 503, "Không đăng nhập được",
		    "Máy chủ đang thiếu bộ nhớ; thử lại sau.");
		return;
	}
	log_info("status pages: %s logged in from %s%s", k->user, k->from,
	    k->read_only ? _(" (read-only)") : "");
	web_cookie(k->req, s->id);
	web_redirect(k->req, "/");
}

static void
web_check_delayed(evutil_socket_t fd, short what, void *arg)
{
	struct web_check	*k = arg;

	(void)fd;
	(void)what;
	web_check_answer(k);
	TAILQ_REMOVE(&k->w->waiting, k, link);
	k->w->nchecks--;
	/* Our own one-shot timer: libevent 2.1 no longer touches it once
	 * its callback runs, so it may go here. */
	web_check_free(k);
}

/* A checked login: answer at once, or after the delay a failure earns. */
static void
web_check_done(struct web_login *w, struct web_check *k)
{
	struct web_fail	*f;
	struct timeval	 tv;
	int64_t		 now = web_mono_ms(), delay;
	char		 who[USERS_NAME_MAX + 1];

	if (k->ok) {
		if ((f = web_fail(w, k->user, 0)) != NULL)
			f->name[0] = '\0';
		web_check_answer(k);
		w->nchecks--;
		web_check_free(k);
		return;
	}
	f = web_fail(w, k->user, 1);
	if (!k->skip) {
		f->count++;
		delay = WEB_FAIL_DELAY_MS << (f->count > 4 ? 3 : f->count - 1);
		if (delay > w->delay_max_ms)
			delay = w->delay_max_ms;
		f->next_ok = now + delay;
	} else
		delay = f->next_ok - now;
	f->last = now;
	web_loggable(k->user, who, sizeof(who));
	log_warnx("status pages: %s for user %s from %s (%d in a row); the "
	    "answer waits %.1fs", k->skip ? "a try too soon after a wrong "
	    "password" : k->known ? "wrong password" : "unknown user", who,
	    k->from, f->count, (double)delay / 1000);
	if (delay < 0)
		delay = 0;
	tv.tv_sec = delay / 1000;
	tv.tv_usec = (delay % 1000) * 1000;
	if ((k->delay = evtimer_new(w->nv->base, web_check_delayed,
	    k)) == NULL) {
		web_check_answer(k);
		w->nchecks--;
		web_check_free(k);
		return;
	}
	TAILQ_INSERT_TAIL(&w->waiting, k, link);
	evtimer_add(k->delay, &tv);
}

/* The thread has checked some: take them up on the loop. */
static void
web_pipe_read(evutil_socket_t fd, short what, void *arg)
{
	struct web_login	*w = arg;
	struct web_checks	 got = TAILQ_HEAD_INITIALIZER(got);
	struct web_check	*k;
	char			 buf[64];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&w->lock);
	while ((k = TAILQ_FIRST(&w->done)) != NULL) {
		TAILQ_REMOVE(&w->done, k, link);
		TAILQ_INSERT_TAIL(&got, k, link);
	}
	pthread_mutex_unlock(&w->lock);
	while ((k = TAILQ_FIRST(&got)) != NULL) {
		TAILQ_REMOVE(&got, k, link);
		web_check_done(w, k);
	}
}

/* POST /login: the password goes to the thread; the answer comes later. */
void
web_login_post(struct web_login *w, struct evhttp_request *req)
{
	const struct users		*u;
	const struct users_entry	*e;
	const char			*user, *pw;
	struct evkeyvalq		 q;
	struct web_check		*k;
	struct web_fail			*f;

	if (web_form(req, &q) == -1 ||
	    (user = evhttp_find_header(&q, "user")) == NULL ||
	    (pw = evhttp_find_header(&q, "password")) == NULL) {
		evhttp_clear_headers(&q);
		web_login_page(w->w, req, 400, NULL, "Nhập tên đăng nhập và "
		    "mật khẩu.");
		return;
	}
	if (w->nchecks >= WEB_CHECKS_MAX || (k = calloc(1, sizeof(*k))) ==
	    NULL) {
		evhttp_clear_headers(&q);
		web_error(w->w, req, NULL, 503, "Máy chủ đang bận",
		    "Có quá nhiều lượt đăng nhập cùng lúc; thử lại sau ít "
		    "phút.");
		return;
	}
	k->w = w;
	k->req = req;
	snprintf(k->user, sizeof(k->user), "%.*s", USERS_NAME_MAX, user);
	snprintf(k->password, sizeof(k->password), "%s", pw);
	web_from(req, k->from, sizeof(k->from));
	evhttp_clear_headers(&q);
	u = web_users(w->w);
	if (u != NULL && (e = users_find(u, k->user)) != NULL) {
		k->known = 1;
		k->read_only = e->read_only;
		snprintf(k->hash, sizeof(k->hash), "%s", e->hash);
	}
	w->nchecks++;
	f = web_fail(w, k->user, 0);
	if (f != NULL && web_mono_ms() < f->next_ok) {
		/* Still in the delay of the last wrong password: not tried. */
		k->skip = 1;
		explicit_bzero(k->password, sizeof(k->password));
		web_check_done(w, k);
		return;
	}
	pthread_mutex_lock(&w->lock);
	TAILQ_INSERT_TAIL(&w->todo, k, link);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

struct web_login *
web_login_new(struct web *web, struct nv *nv, int64_t delay_max_ms,
    char *err, size_t len)
{
	struct web_login	*w;
	sigset_t		 all, old;
	char			 why[200];

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	w->w = web;
	w->nv = nv;
	w->pipe[0] = w->pipe[1] = -1;
	TAILQ_INIT(&w->todo);
	TAILQ_INIT(&w->done);
	TAILQ_INIT(&w->waiting);
	w->delay_max_ms = delay_max_ms < WEB_FAIL_DELAY_MAX ? delay_max_ms :
	    WEB_FAIL_DELAY_MAX;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (users_hash("nhacviec: an unknown user", w->dummy_hash,
	    sizeof(w->dummy_hash), why, sizeof(why)) == -1) {
		snprintf(err, len, "status pages: %s", why);
		web_login_free(w);
		return NULL;
	}
	if (pipe2(w->pipe, O_NONBLOCK | O_CLOEXEC) == -1 ||
	    (w->pipe_ev = event_new(nv->base, w->pipe[0], EV_READ | EV_PERSIST,
	    web_pipe_read, w)) == NULL || event_add(w->pipe_ev, NULL) == -1) {
		snprintf(err, len, "status pages: %s", strerror(errno));
		web_login_free(w);
		return NULL;
	}
	/* Signals stay with the loop's thread: the new one blocks them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	errno = pthread_create(&w->thread, NULL, web_thread, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (errno != 0) {
		snprintf(err, len, "status pages: cannot start the password "
		    "thread: %s", strerror(errno));
		web_login_free(w);
		return NULL;
	}
	w->thread_up = 1;
	return w;
}

void
web_login_free(struct web_login *w)
{
	struct web_check	*k;

	if (w == NULL)
		return;
	if (w->thread_up) {
		pthread_mutex_lock(&w->lock);
		w->stop = 1;
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	/* Logins in their delay or still queued: answered now. */
	while ((k = TAILQ_FIRST(&w->waiting)) != NULL) {
		TAILQ_REMOVE(&w->waiting, k, link);
		evhttp_send_error(k->req, 503, NULL);
		web_check_free(k);
	}
	while ((k = TAILQ_FIRST(&w->todo)) != NULL) {
		TAILQ_REMOVE(&w->todo, k, link);
		evhttp_send_error(k->req, 503, NULL);
		web_check_free(k);
	}
	while ((k = TAILQ_FIRST(&w->done)) != NULL) {
		TAILQ_REMOVE(&w->done, k, link);
		evhttp_send_error(k->req, 503, NULL);
		web_check_free(k);
	}
	if (w->pipe_ev != NULL)
		event_free(w->pipe_ev);
	if (w->pipe[0] != -1)
		close(w->pipe[0]);
	if (w->pipe[1] != -1)
		close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	explicit_bzero(w->dummy_hash, sizeof(w->dummy_hash));
	free(w);
}
