/* One Redis connection on the loop: hiredis async, our own watchdogs, reconnect with back-off, Lua scripts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>

#include "log.h"
#include "store.h"

#define STORE_BACKOFF_MIN_MS	250
#define STORE_BACKOFF_MAX_MS	30000
#define STORE_SCRIPTS_MAX	32

struct store {
	struct event_base	*base;
	struct store_params	 p;
	struct address		 addr;		/* our copy; Sentinel's answer */
	struct address		*sentinels;	/* asked for the master, or none */
	size_t			 nsentinels;
	size_t			 next_sentinel;
	char			*master;
	redisAsyncContext	*sac;		/* a Sentinel being asked */
	int			 found;		/* it named the master */
	struct event		*master_ev;	/* connect to it, next pass */
	char			*password;
	char			 where[300];
	redisAsyncContext	*ac;
	int			 up;		/* connected and ready */
	int			 connected;	/* TCP up, maybe not ready */
	int64_t			 backoff_ms;
	struct event		*retry_ev;	/* reconnect after back-off */
	struct event		*watch_ev;	/* connect and reply watchdog */
	struct event		*drop_ev;	/* drop the connection next pass */
	const char		*drop_why;
	size_t			 outstanding;
	int			 nscripts;
	char			 sha[STORE_SCRIPTS_MAX][41];
	int			 nloading;	/* SCRIPT LOAD replies awaited */
	int			 nroles;	/* a ROLE reply awaited */
	int			 nloaded;
};

/* A command in flight: our callback wraps the caller's. */
struct store_call {
	struct store	*s;
	store_reply_cb	*cb;
	void		*arg;
	int		 script;	/* -1, or the script to EVAL on NOSCRIPT */
	int		 argc;		/* saved EVALSHA arguments */
	char		**argv;
};

static void	store_connect(struct store *);
static void	store_lost(struct store *, const char *why);

static void
store_watch_arm(struct store *s, int64_t ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(s->watch_ev, &tv);
}

static void
store_call_free(struct store_call *c)
{
	int	i;

	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	free(c);
}

static int	store_send(struct store *, struct store_call *, int argc,
		    const char **argv, const size_t *argvlen);

static void
store_reply(redisAsyncContext *ac, void *r, void *priv)
{
	struct store_call	*c = priv;
	struct store		*s = c->s;
	redisReply		*reply = r;
	const char		**argv;
	int			 i;

	(void)ac;
	if (s->outstanding > 0)
		s->outstanding--;
	if (reply != NULL && s->ac != NULL) {
		if (s->outstanding > 0)
			store_watch_arm(s, s->p.reply_timeout_ms);
		else
			evtimer_del(s->watch_ev);
	}
	/* After a failover or restart the script cache is empty: EVAL it. */
	if (reply && reply->type == REDIS_REPLY_ERROR && c->script >= 0 &&
	    strncmp(reply->str, "NOSCRIPT", 8) == 0) {
		argv = calloc(c->argc, sizeof(*argv));
		if (argv) {
			argv[0] = "EVAL";
			argv[1] = s->p.scripts[c->script];
			for (i = 2; i < c->argc; i++)
				argv[i] = c->argv[i];
			c->script = -1;
			if (store_send(s, c, c->argc, argv, NULL) == 0) {
				free(argv);
				return;
			}
			free(argv);
		}
		reply = NULL;
	}
	if (c->cb)
		c->cb(c->arg, reply);
	store_call_free(c);
}

static int
store_send(struct store *s, struct store_call *c, int argc, const char **argv,
    const size_t *argvlen)
{
	if (s->ac == NULL || !s->connected)
		return -1;
	if (redisAsyncCommandArgv(s->ac, store_reply, c, argc, argv,
	    argvlen) != REDIS_OK)
		return -1;
	if (s->outstanding++ == 0)
		store_watch_arm(s, s->p.reply_timeout_ms);
	return 0;
}

int
store_command(struct store *s, store_reply_cb *cb, void *arg, int argc,
    const char **argv, const size_t *argvlen)
{
	struct store_call	*c;

	if (!s->up)
		return -1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	c->script = -1;
	if (store_send(s, c, argc, argv, argvlen) == -1) {
		free(c);
		return -1;
	}
	return 0;
}

int
store_commandf(struct store *s, store_reply_cb *cb, void *arg,
    const char *fmt, ...)
{
	struct store_call	*c;
	va_list			 ap;
	int			 rc;

	if (!s->up || s->ac == NULL)
		return -1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	c->script = -1;
	va_start(ap, fmt);
	rc = redisvAsyncCommand(s->ac, store_reply, c, fmt, ap);
	va_end(ap);
	if (rc != REDIS_OK) {
		free(c);
		return -1;
	}
	if (s->outstanding++ == 0)
		store_watch_arm(s, s->p.reply_timeout_ms);
	return 0;
}

int
store_script(struct store *s, int n, store_reply_cb *cb, void *arg,
    int argc, const char **argv)
{
	struct store_call	*c;
	const char		**full;
	int			 i, total = argc + 2;

	if (!s->up || n < 0 || n >= s->nscripts)
		return -1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	full = calloc(total, sizeof(*full));
	c->argv = calloc(total, sizeof(*c->argv));
	if (full == NULL || c->argv == NULL) {
		free(full);
		free(c->argv);
		free(c);
		return -1;
	}
	full[0] = "EVALSHA";
	full[1] = s->sha[n];
	for (i = 0; i < argc; i++)
		full[i + 2] = argv[i];
	c->argc = total;
	for (i = 0; i < total; i++)
		if ((c->argv[i] = strdup(full[i])) == NULL) {
			c->argc = i;
			store_call_free(c);
			free(full);
			return -1;
		}
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	c->script = n;
	if (store_send(s, c, total, full, NULL) == -1) {
		store_call_free(c);
		free(full);
		return -1;
	}
	free(full);
	return 0;
}

int
store_is_up(const struct store *s)
{
	return s->up;
}

static void
store_retry_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	store_connect(arg);
}

/* Schedule the next connect; log once for this step of the back-off. */
static void
store_schedule(struct store *s, const char *why)
{
	struct timeval	tv;

	if (s->backoff_ms == 0)
		s->backoff_ms = STORE_BACKOFF_MIN_MS;
	log_warnx("redis %s: %s at %s; retrying in %.1fs", s->p.name, why,
	    s->where, (double)s->backoff_ms / 1000);
	tv.tv_sec = s->backoff_ms / 1000;
	tv.tv_usec = (s->backoff_ms % 1000) * 1000;
	evtimer_add(s->retry_ev, &tv);
	s->backoff_ms *= 2;
	if (s->backoff_ms > STORE_BACKOFF_MAX_MS)
		s->backoff_ms = STORE_BACKOFF_MAX_MS;
}

/* The context is dead or dying: forget it, tell the owner, reconnect later. */
static void
store_lost(struct store *s, const char *why)
{
	int	was_up = s->up;

	s->ac = NULL;
	s->up = 0;
	s->connected = 0;
	s->outstanding = 0;
	evtimer_del(s->watch_ev);
	evtimer_del(s->drop_ev);
	if (was_up && s->p.down)
		s->p.down(s->p.arg);
	store_schedule(s, why);
}

static void
store_ready_check(struct store *s)
{
	if (s->nloading > 0 || s->nroles > 0 || s->up ||
	    evtimer_pending(s->drop_ev, NULL))
		return;
	s->up = 1;
	s->backoff_ms = 0;
	log_info("redis %s: connected to %s", s->p.name, s->where);
	if (s->p.up)
		s->p.up(s->p.arg);
}

/* Drop the connection on the next loop pass, never inside hiredis. */
static void
store_drop_later(struct store *s, const char *why)
{
	struct timeval	tv = { 0, 0 };

	s->drop_why = why;
	evtimer_add(s->drop_ev, &tv);
}

static void
store_auth_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	if (r && r->type == REDIS_REPLY_ERROR) {
		log_err("redis %s: AUTH refused: %s", s->p.name, r->str);
		store_drop_later(s, "authentication failed");
	}
}

static void
store_role_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	s->nroles = 0;
	if (r == NULL)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, "master") != 0) {
		log_warnx("redis %s: %s is not the master (a failover under "
		    "way?); asking the Sentinels again", s->p.name, s->where);
		store_drop_later(s, "not the master");
		return;
	}
	store_ready_check(s);
}

/* Replies come in order: the n-th SCRIPT LOAD answer is script n. */
static void
store_load_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;
	int		 n = s->nloaded++;

	if (r == NULL || n >= s->nscripts)
		return;
	if (r->type != REDIS_REPLY_STRING || r->len != 40) {
		log_err("redis %s: SCRIPT LOAD failed: %s", s->p.name,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		/* EVALSHA will fall back to EVAL and say why if it fails too. */
		snprintf(s->sha[n], sizeof(s->sha[n]), "%040d", 0);
	} else
		memcpy(s->sha[n], r->str, 41);
	s->nloading--;
	store_ready_check(s);
}

/* While connecting: queue AUTH and SCRIPT LOAD; "up" after the last reply. */
static void
store_handshake(struct store *s)
{
	struct store_call	*c;
	int			 i;

	if (s->password) {
		/* AUTH [username] password: an ACL user, or the default. */
		const char *argv[] = { "AUTH", s->p.username, s->password };

		if (s->p.username == NULL) {
			argv[1] = s->password;
			argv[2] = NULL;
		}
		if ((c = calloc(1, sizeof(*c))) != NULL) {
			c->s = s;
			c->cb = store_auth_reply;
			c->arg = s;
			c->script = -1;
			if (store_send(s, c, argv[2] ? 3 : 2, argv, NULL) == -1)
				free(c);
		}
	}
	s->nloading = 0;
	s->nloaded = 0;
	/* Via Sentinel: make sure this is the master, not a demoted one. */
	if (s->nsentinels > 0) {
		const char *argv[] = { "ROLE" };

		if ((c = calloc(1, sizeof(*c))) == NULL)
			fatal("calloc");
		c->s = s;
		c->cb = store_role_reply;
		c->arg = s;
		c->script = -1;
		if (store_send(s, c, 1, argv, NULL) == -1)
			free(c);
		else
			s->nroles = 1;
	}
	for (i = 0; i < s->nscripts; i++) {
		const char *argv[] = { "SCRIPT", "LOAD", s->p.scripts[i] };

		if ((c = calloc(1, sizeof(*c))) == NULL)
			fatal("calloc");
		c->s = s;
		c->cb = store_load_reply;
		c->arg = s;
		c->script = -1;
		if (store_send(s, c, 3, argv, NULL) == -1) {
			free(c);
			break;
		}
		s->nloading++;
	}
	store_ready_check(s);
}

static void
store_connect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	char		 why[200];

	if (status != REDIS_OK) {
		snprintf(why, sizeof(why), "cannot connect (%s)", ac->errstr);
		store_lost(s, why);	/* hiredis frees the context */
		return;
	}
	s->connected = 1;
	store_handshake(s);
}

static void
store_disconnect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	char		 why[200];

	if (s == NULL)
		return;
	snprintf(why, sizeof(why), "connection lost (%s)",
	    status == REDIS_OK ? "closed" : ac->errstr);
	store_lost(s, why);
}

static void
store_connect_to(struct store *s, const struct address *a)
{
	redisAsyncContext	*ac;

	if (a->path)
		ac = redisAsyncConnectUnix(a->path);
	else
		ac = redisAsyncConnect(a->host, a->port);
	if (ac == NULL || ac->err) {
		char why[200];

		snprintf(why, sizeof(why), "cannot connect (%s)",
		    ac ? ac->errstr : "out of memory");
		if (ac)
			redisAsyncFree(ac);
		store_schedule(s, why);
		return;
	}
	ac->data = s;
	s->ac = ac;
	redisLibeventAttach(ac, s->base);
	redisAsyncSetConnectCallback(ac, store_connect_cb);
	redisAsyncSetDisconnectCallback(ac, store_disconnect_cb);
	/* hiredis 0.14 has no connect timeout: the watchdog is ours. */
	store_watch_arm(s, s->p.connect_timeout_ms);
}

static void
store_where(struct store *s)
{
	if (s->addr.path)
		snprintf(s->where, sizeof(s->where), "unix:%s", s->addr.path);
	else
		snprintf(s->where, sizeof(s->where), "%s:%d",
		    s->addr.host ? s->addr.host : "?", s->addr.port);
}

/* Sentinel's answer: the master's address, or nothing it knows of. */
static void
store_sentinel_reply(redisAsyncContext *ac, void *reply, void *priv)
{
	struct store	*s = priv;
	redisReply	*r = reply;

	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    r->element[1]->type == REDIS_REPLY_STRING) {
		free(s->addr.host);
		free(s->addr.path);
		s->addr.path = NULL;
		if ((s->addr.host = strdup(r->element[0]->str)) == NULL)
			fatal("strdup");
		s->addr.port = atoi(r->element[1]->str);
		store_where(s);
		s->found = 1;
	} else if (r != NULL)
		log_warnx("redis %s: a Sentinel does not know master %s%s%s",
		    s->p.name, s->master, r->type == REDIS_REPLY_ERROR ?
		    ": " : "", r->type == REDIS_REPLY_ERROR ? r->str : "");
	/* Allowed inside a reply callback, unlike redisAsyncFree. */
	if (r != NULL)
		redisAsyncDisconnect(ac);
}

static void
store_sentinel_connect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	char		 why[200];

	if (status == REDIS_OK)
		return;
	s->sac = NULL;
	evtimer_del(s->watch_ev);
	snprintf(why, sizeof(why), "cannot reach a Sentinel (%s)", ac->errstr);
	store_schedule(s, why);
}

static void
store_sentinel_disconnect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	struct timeval	 tv = { 0, 0 };

	(void)status;
	if (s == NULL)
		return;
	s->sac = NULL;
	evtimer_del(s->watch_ev);
	if (s->found)
		evtimer_add(s->master_ev, &tv);	/* not inside hiredis */
	else
		store_schedule(s, "no master from the Sentinels");
}

static void
store_master_event(evutil_socket_t fd, short what, void *arg)
{
	struct store	*s = arg;

	(void)fd;
	(void)what;
	store_connect_to(s, &s->addr);
}

/* Ask the next Sentinel where the master is; then connect there. */
static void
store_discover(struct store *s)
{
	const struct address	*a = &s->sentinels[s->next_sentinel++ %
	    s->nsentinels];
	redisAsyncContext	*ac;

	s->found = 0;
	ac = a->path ? redisAsyncConnectUnix(a->path) :
	    redisAsyncConnect(a->host, a->port);
	if (ac == NULL || ac->err) {
		if (ac)
			redisAsyncFree(ac);
		store_schedule(s, "cannot reach a Sentinel");
		return;
	}
	ac->data = s;
	s->sac = ac;
	redisLibeventAttach(ac, s->base);
	redisAsyncSetConnectCallback(ac, store_sentinel_connect_cb);
	redisAsyncSetDisconnectCallback(ac, store_sentinel_disconnect_cb);
	redisAsyncCommand(ac, store_sentinel_reply, s,
	    "SENTINEL get-master-addr-by-name %s", s->master);
	store_watch_arm(s, s->p.connect_timeout_ms);
}

static void
store_connect(struct store *s)
{
	if (s->nsentinels > 0)
		store_discover(s);
	else
		store_connect_to(s, &s->addr);
}

/*
 * The watchdog: a connect that takes too long or a reply that does not come.
 * hiredis 0.14 frees a context that never connected without calling our
 * disconnect callback, so store_lost runs here in both cases.
 */
static void
store_drop(struct store *s, const char *why)
{
	redisAsyncContext	*ac = s->ac;

	if (ac == NULL)
		return;
	ac->data = NULL;	/* our disconnect callback must not run twice */
	s->ac = NULL;
	redisAsyncFree(ac);	/* pending callbacks get NULL */
	store_lost(s, why);
}

static void
store_watch_event(evutil_socket_t fd, short what, void *arg)
{
	struct store		*s = arg;
	redisAsyncContext	*sac = s->sac;

	(void)fd;
	(void)what;
	if (sac != NULL) {
		sac->data = NULL;
		s->sac = NULL;
		redisAsyncFree(sac);
		store_schedule(s, "a Sentinel did not answer in time");
		return;
	}
	store_drop(s, s->connected ? "no reply in time" : "connect timed out");
}

static void
store_drop_event(evutil_socket_t fd, short what, void *arg)
{
	struct store	*s = arg;

	(void)fd;
	(void)what;
	store_drop(s, s->drop_why);
}

struct store *
store_new(struct event_base *base, const struct store_params *p)
{
	struct store	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->base = base;
	s->p = *p;
	if (p->password && (s->password = strdup(p->password)) == NULL)
		goto fail;
	s->p.password = NULL;
	if ((p->addr->path && (s->addr.path = strdup(p->addr->path)) == NULL) ||
	    (p->addr->host && (s->addr.host = strdup(p->addr->host)) == NULL))
		goto fail;
	s->addr.port = p->addr->port;
	s->p.addr = &s->addr;
	store_where(s);
	if (p->nsentinels > 0) {
		if ((s->sentinels = calloc(p->nsentinels,
		    sizeof(*s->sentinels))) == NULL ||
		    (s->master = strdup(p->master)) == NULL)
			goto fail;
		for (; s->nsentinels < p->nsentinels; s->nsentinels++) {
			const struct address *a = &p->sentinels[s->nsentinels];

			s->sentinels[s->nsentinels].port = a->port;
			if (a->path)
				s->sentinels[s->nsentinels].path =
				    strdup(a->path);
			if (a->host)
				s->sentinels[s->nsentinels].host =
				    strdup(a->host);
		}
		snprintf(s->where, sizeof(s->where), "master %s (via Sentinel)",
		    s->master);
	}
	s->p.sentinels = NULL;
	while (p->scripts && p->scripts[s->nscripts] &&
	    s->nscripts < STORE_SCRIPTS_MAX)
		s->nscripts++;
	s->retry_ev = evtimer_new(base, store_retry_event, s);
	s->watch_ev = evtimer_new(base, store_watch_event, s);
	s->drop_ev = evtimer_new(base, store_drop_event, s);
	s->master_ev = evtimer_new(base, store_master_event, s);
	if (s->retry_ev == NULL || s->watch_ev == NULL || s->drop_ev == NULL ||
	    s->master_ev == NULL)
		goto fail;
	store_connect(s);
	return s;
fail:
	store_free(s);
	return NULL;
}

void
store_free(struct store *s)
{
	redisAsyncContext	*ac;

	if (s == NULL)
		return;
	s->p.down = NULL;
	if ((ac = s->ac) != NULL) {
		s->ac = NULL;
		s->up = 0;
		ac->data = NULL;
		redisAsyncFree(ac);
	}
	if (s->retry_ev)
		event_free(s->retry_ev);
	if (s->watch_ev)
		event_free(s->watch_ev);
	if (s->drop_ev)
		event_free(s->drop_ev);
	if (s->password) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	if ((ac = s->sac) != NULL) {
		s->sac = NULL;
		ac->data = NULL;
		redisAsyncFree(ac);
	}
	if (s->master_ev)
		event_free(s->master_ev);
	for (size_t i = 0; i < s->nsentinels; i++)
		address_clear(&s->sentinels[i]);
	free(s->sentinels);
	free(s->master);
	free(s->addr.path);
	free(s->addr.host);
	free(s);
}
