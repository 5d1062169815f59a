/* The ledger kept bounded: once a day, what is older than [ledger] keep is written to the archive files, then removed from Redis, a small step at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "buf.h"
#include "clock.h"
#include "log.h"
#include "nhacviecd.h"
#include "schedule.h"
#include "xmalloc.h"

#define ARCHIVE_FIRST_MS	60000	/* the run after start (real time) */
#define ARCHIVE_RETRY_MS	3600000LL	/* after a run that failed */
#define ARCHIVE_LOCK_MS		"60000"	/* renewed at every step */
#define ARCHIVE_DAY_MS		86400000LL
/* The daily run: 19:30 UTC, 02:30 in Vietnam, when nothing is sent. */
#define ARCHIVE_AT_MS		(19 * 3600000LL + 30 * 60000)

struct archive {
	struct nv	*nv;
	struct event	*timer_ev;	/* the next run */
	struct event	*step_ev;	/* the next step, from the loop */
	int		 running;
	int		 again;		/* asked for while running */
	int		 pending;	/* due while Redis was unreachable */
	char		 token[160];	/* the lock's value: this run */
	char		*dir;		/* [ledger] archive_dir, at the start */
	int64_t		 now;		/* the run's instant, the daemon's clock */
	int64_t		 cutoff;	/* older than this leaves Redis */
	int64_t		 occ_cutoff;	/* the same for occurrences */
	int64_t		 t0;		/* when it started, monotonic */
	enum archive_kind kind;		/* what the steps work on now */
	char		 cursor[32];	/* HSCAN's, for states and refs */
	long long	 skip;		/* occurrences read and kept */
	int		 last;		/* this step ends its kind */
	unsigned long long moved[ARCHIVE_KINDS];
	/* One step: the lines to write, then the removal's arguments. */
	char		**lines;
	int		 *years;
	size_t		  nlines, caplines;
	char		**args;		/* after mode, token, ttl */
	size_t		  nargs, capargs;
	size_t		  nitems;	/* occ: the occurrences read */
};

static void	archive_step(evutil_socket_t, short, void *);
static void	archive_end(struct archive *, const char *error);

static int64_t
archive_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
archive_clear_step(struct archive *a)
{
	size_t	i;

	for (i = 0; i < a->nlines; i++)
		free(a->lines[i]);
	for (i = 0; i < a->nargs; i++)
		free(a->args[i]);
	a->nlines = a->nargs = a->nitems = 0;
	a->last = 0;
}

/* Takes ownership of line. */
static void
archive_line(struct archive *a, int year, char *line)
{
	if (a->nlines == a->caplines) {
		a->caplines = a->caplines ? 2 * a->caplines : 256;
		a->lines = xreallocarray(a->lines, a->caplines,
		    sizeof(*a->lines));
		a->years = xreallocarray(a->years, a->caplines,
		    sizeof(*a->years));
	}
	a->lines[a->nlines] = line;
	a->years[a->nlines++] = year;
}

static void
archive_arg(struct archive *a, const char *s, size_t len)
{
	if (a->nargs == a->capargs) {
		a->capargs = a->capargs ? 2 * a->capargs : 512;
		a->args = xreallocarray(a->args, a->capargs, sizeof(*a->args));
	}
	a->args[a->nargs++] = xstrndup(s, len);
}

static void
archive_argf(struct archive *a, long long v)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	archive_arg(a, buf, strlen(buf));
}

/* The next daily run, or a sooner one (ms of real time from now). */
static void
archive_arm(struct archive *a, int64_t sooner_ms)
{
	int64_t		now = clock_now_ms(), next, ms;
	struct timeval	tv;

	next = now / ARCHIVE_DAY_MS * ARCHIVE_DAY_MS + ARCHIVE_AT_MS;
	if (next <= now)
		next += ARCHIVE_DAY_MS;
	ms = clock_real_delay_ms(next - now);
	if (sooner_ms >= 0 && sooner_ms < ms)
		ms = sooner_ms;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(a->timer_ev, &tv);
}

static void
archive_timer(evutil_socket_t fd, short what, void *arg)
{
	struct archive	*a = arg;

	(void)fd;
	(void)what;
	archive_arm(a, -1);
	archive_now(a);
}

/* Yield to the loop, then take the next step. */
static void
archive_next(struct archive *a)
{
	struct timeval	tv = { 0, 0 };

	evtimer_add(a->step_ev, &tv);
}

/* The run stops where it is: the lock expires, the next run goes on. */
static void
archive_abort(struct archive *a, const char *why)
{
	log_warnx("archive: stopped (%s); what is archived so far stays "
	    "archived, the rest waits for the next run", why);
	archive_clear_step(a);
	a->running = 0;
	archive_arm(a, clock_real_delay_ms(ARCHIVE_RETRY_MS));
}

static const char *
archive_reply_error(const redisReply *r)
{
	return r->type == REDIS_REPLY_ERROR ? r->str : "odd reply";
}

/* The cutoff as an admin reads it: in the plan's zone when there is one. */
static void
archive_when(const struct archive *a, char *buf, size_t len)
{
	if (a->nv->plan != NULL)
		schedule_format_iso(a->nv->plan, a->cutoff, buf, len);
	else
		clock_format_iso8601(a->cutoff, buf, len);
}

static void
archive_begin_reply(void *arg, redisReply *r)
{
	struct archive	*a = arg;
	char		 when[64];

	if (r == NULL) {
		archive_abort(a, "Redis unreachable");
		return;
	}
	if (r->type != REDIS_REPLY_INTEGER) {
		log_err("archive: cannot start: %s", archive_reply_error(r));
		archive_abort(a, "could not take the lock");
		return;
	}
	if (r->integer == 0) {
		log_info("archive: another daemon holds %s; it archives",
		    a->nv->keys.archive_lock);
		a->running = 0;
		return;
	}
	archive_when(a, when, sizeof(when));
	log_info("archive: moving what is older than %s to %s", when, a->dir);
	a->kind = ARCHIVE_LOG;
	snprintf(a->cursor, sizeof(a->cursor), "0");
	a->skip = 0;
	archive_next(a);
}

/* Take the lock and note what Redis keeps from now on; then the steps. */
static void
archive_begin(struct archive *a)
{
	struct nv	*nv = a->nv;
	const char	*argv[5];
	char		 cutoff[32], now[32];

	a->running = 1;
	a->pending = 0;
	memset(a->moved, 0, sizeof(a->moved));
	free(a->dir);
	a->dir = xstrdup(nv->conf->archive_dir);
	a->now = clock_now_ms();
	a->t0 = archive_mono_ms();
	a->cutoff = archive_cutoff(a->now, nv->conf->keep_ms,
	    nv->conf->grace_ms);
	a->occ_cutoff = a->cutoff - archive_plan_after(nv->plan) *
	    ARCHIVE_DAY_MS;
	snprintf(a->token, sizeof(a->token), "%s:%ld:%lld", nv->consumer,
	    (long)getpid(), (long long)a->t0);
	snprintf(cutoff, sizeof(cutoff), "%lld", (long long)a->cutoff);
	snprintf(now, sizeof(now), "%lld", (long long)a->now);
	argv[0] = "begin";
	argv[1] = a->token;
	argv[2] = ARCHIVE_LOCK_MS;
	argv[3] = cutoff;
	argv[4] = now;
	if (script_run(nv, SCRIPT_ARCHIVE, archive_begin_reply, a, 5,
	    argv) == -1)
		archive_abort(a, "Redis unreachable");
}

static void
archive_removed_reply(void *arg, redisReply *r)
{
	struct archive	*a = arg;

	if (r == NULL) {
		archive_abort(a, "Redis unreachable");
		return;
	}
	if (r->type != REDIS_REPLY_INTEGER) {
		log_err("archive: removing the %s archived failed: %s",
		    archive_kind_name(a->kind), archive_reply_error(r));
		archive_clear_step(a);
		archive_end(a, archive_reply_error(r));
		return;
	}
	a->moved[a->kind] += (unsigned long long)r->integer;
	if (a->kind == ARCHIVE_OCC)
		a->skip += (long long)a->nitems - r->integer;
	if (a->last) {
		a->kind++;
		snprintf(a->cursor, sizeof(a->cursor), "0");
	}
	archive_clear_step(a);
	archive_next(a);
}

/*
 * Write the step's lines to their year files, fsynced, and only then
 * remove those items from Redis. A crash in between leaves them in both:
 * readers take each once, and the next run writes them again, harmlessly.
 * The writes block the loop; a step is at most ARCHIVE_STEP short lines.
 */
static void
archive_move(struct archive *a)
{
	const char	**argv;
	char		 *buf = NULL, err[600];
	size_t		  i, j, len = 0, n;
	struct buf	  b = BUF_INIT;
	int		  year, done;

	/*
	 * With nothing to write the script still runs (it removes nothing):
	 * it renews the lock, and says at once when another run took it.
	 */
	/* Year by year, in the order they come: mostly one. */
	for (i = 0; i < a->nlines; i++) {
		year = a->years[i];
		for (j = 0, done = 0; j < i && !done; j++)
			done = a->years[j] == year;
		if (done)
			continue;
		for (j = i; j < a->nlines; j++)
			if (a->years[j] == year)
				buf_puts(&b, a->lines[j]);
		buf = buf_take(&b, &len);
		if (archive_append(a->dir, year, buf, len, err,
		    sizeof(err)) == -1) {
			free(buf);
			log_err("archive: %s; nothing more removed from Redis",
			    err);
			archive_clear_step(a);
			archive_end(a, err);
			return;
		}
		free(buf);
		buf = NULL;
	}
	n = 3 + a->nargs;
	argv = xcalloc(n, sizeof(*argv));
	argv[0] = archive_kind_name(a->kind);
	argv[1] = a->token;
	argv[2] = ARCHIVE_LOCK_MS;
	for (i = 0; i < a->nargs; i++)
		argv[3 + i] = a->args[i];
	if (script_run(a->nv, SCRIPT_ARCHIVE, archive_removed_reply, a,
	    (int)n, argv) == -1) {
		free(argv);
		archive_abort(a, "Redis unreachable");
		return;
	}
	free(argv);
}

/* A field-value array of strings, as pointers and lengths (malloc'd). */
static int
archive_pairs(const redisReply *f, const char ***v, size_t **lens)
{
	size_t	i;

	*v = NULL;
	*lens = NULL;
	if (f->type != REDIS_REPLY_ARRAY || f->elements % 2 != 0)
		return -1;
	for (i = 0; i < f->elements; i++)
		if (f->element[i]->type != REDIS_REPLY_STRING)
			return -1;
	*v = xcalloc(f->elements + 1, sizeof(**v));
	*lens = xcalloc(f->elements + 1, sizeof(**lens));
	for (i = 0; i < f->elements; i++) {
		(*v)[i] = f->element[i]->str;
		(*lens)[i] = f->element[i]->len;
	}
	return 0;
}

/*
 * Ledger or dead letter entries, oldest first, up to the first one that
 * is not older than the cutoff: the streams are written in time order.
 * On a virtual clock the ids are Redis's real time, so the `at` of an
 * entry (the daemon's clock) is what is compared.
 */
static void
archive_entries_reply(void *arg, redisReply *r)
{
	struct archive		 *a = arg;
	const redisReply	 *e;
	const char		**f;
	size_t			 *lens, i;
	int64_t			  t;

	if (r == NULL) {
		archive_abort(a, "Redis unreachable");
		return;
	}
	if (r->type != REDIS_REPLY_ARRAY) {
		archive_end(a, archive_reply_error(r));
		return;
	}
	for (i = 0; i < r->elements && !a->last; i++) {
		e = r->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
		    e->element[0]->type != REDIS_REPLY_STRING ||
		    archive_pairs(e->element[1], &f, &lens) == -1) {
			log_warnx("archive: an entry of %s is not a stream "
			    "entry; the %s is archived up to it", a->kind ==
			    ARCHIVE_LOG ? a->nv->keys.log : a->nv->keys.dead,
			    archive_kind_name(a->kind));
			a->last = 1;
			break;
		}
		t = archive_entry_time(e->element[0]->str, f,
		    e->element[1]->elements);
		if (t < 0 || t >= a->cutoff)
			a->last = 1;
		else {
			archive_line(a, archive_year(t), archive_line_entry(
			    a->kind, e->element[0]->str, f, lens,
			    e->element[1]->elements));
			archive_arg(a, e->element[0]->str, e->element[0]->len);
		}
		free(f);
		free(lens);
	}
	if (r->elements < ARCHIVE_STEP)
		a->last = 1;
	archive_move(a);
}

/* The next HSCAN cursor; 1 when the scan is over. */
static int
archive_cursor(struct archive *a, const redisReply *r)
{
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    r->element[1]->type != REDIS_REPLY_ARRAY ||
	    r->element[1]->elements % 2 != 0)
		return -1;
	snprintf(a->cursor, sizeof(a->cursor), "%s", r->element[0]->str);
	a->last = strcmp(a->cursor, "0") == 0;
	return 0;
}

static void
archive_attempts_reply(void *arg, redisReply *r)
{
	struct archive	*a = arg;
	const char	*att;
	int64_t		 t;
	size_t		 i;

	if (r == NULL) {
		archive_abort(a, "Redis unreachable");
		return;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements != a->nargs / 2) {
		archive_end(a, archive_reply_error(r));
		return;
	}
	for (i = 0; i < r->elements; i++) {
		att = r->element[i]->type == REDIS_REPLY_STRING ?
		    r->element[i]->str : NULL;
		if (archive_id_time(a->args[2 * i], &t) == -1)
			t = a->now;
		archive_line(a, archive_year(t), archive_line_state(
		    a->args[2 * i], a->args[2 * i + 1], att));
	}
	archive_move(a);
}

/* Final states (and refs) of reminders older than the cutoff. */
static void
archive_scan_reply(void *arg, redisReply *r)
{
	struct archive	 *a = arg;
	const redisReply *kv;
	const char	**argv;
	int64_t		  t;
	size_t		  i;

	if (r == NULL) {
		archive_abort(a, "Redis unreachable");
		return;
	}
	if (archive_cursor(a, r) == -1) {
		archive_end(a, archive_reply_error(r));
		return;
	}
	kv = r->element[1];
	for (i = 0; i < kv->elements; i += 2) {
		if (kv->element[i]->type != REDIS_REPLY_STRING ||
		    kv->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		if (a->kind == ARCHIVE_STATE &&
		    (!archive_final(kv->element[i + 1]->str) ||
		    archive_id_time(kv->element[i]->str, &t) == -1 ||
		    t >= a->cutoff))
			continue;
		if (a->kind == ARCHIVE_REF &&
		    (archive_id_time(kv->element[i + 1]->str, &t) == -1 ||
		    t >= a->cutoff))
			continue;
		archive_arg(a, kv->element[i]->str, kv->element[i]->len);
		archive_arg(a, kv->element[i + 1]->str,
		    kv->element[i + 1]->len);
		if (a->kind == ARCHIVE_REF)
			archive_line(a, archive_year(t), archive_line_ref(
			    kv->element[i]->str, kv->element[i + 1]->str));
	}
	if (a->kind == ARCHIVE_REF || a->nargs == 0) {
		archive_move(a);
		return;
	}
	/* A state goes with its attempts, when a count was left. */
	argv = xcalloc(2 + a->nargs / 2, sizeof(*argv));
	argv[0] = "HMGET";
	argv[1] = a->nv->keys.attempts;
	for (i = 0; i < a->nargs / 2; i++)
		argv[2 + i] = a->args[2 * i];
	if (store_command(a->nv->store, archive_attempts_reply, a,
	    (int)(2 + a->nargs / 2), argv, NULL) == -1)
		archive_abort(a, "Redis unreachable");
	free(argv);
}

/* Occurrences whose day ended before the cutoff, with their follow-ups. */
static void
archive_occ_reply(void *arg, redisReply *r)
{
	struct archive	 *a = arg;
	const redisReply *o;
	const char	**f;
	size_t		 *lens, i, j;
	int64_t		  end;

	if (r == NULL) {
		archive_abort(a, "Redis unreachable");
		return;
	}
	if (r->type != REDIS_REPLY_ARRAY) {
		archive_end(a, archive_reply_error(r));
		return;
	}
	for (i = 0; i < r->elements; i++) {
		o = r->element[i];
		a->nitems++;
		if (o->type != REDIS_REPLY_ARRAY || o->elements != 3 ||
		    o->element[0]->type != REDIS_REPLY_STRING ||
		    o->element[1]->type != REDIS_REPLY_STRING ||
		    archive_pairs(o->element[2], &f, &lens) == -1)
			continue;	/* counted as kept: skipped next time */
		end = (int64_t)strtod(o->element[1]->str, NULL);
		archive_line(a, archive_year(end), archive_line_occ(
		    o->element[0]->str, end, f, lens, o->element[2]->elements));
		archive_arg(a, o->element[0]->str, o->element[0]->len);
		archive_argf(a, (long long)(o->element[2]->elements / 2));
		for (j = 0; j < o->element[2]->elements; j++)
			archive_arg(a, f[j], lens[j]);
		free(f);
		free(lens);
	}
	a->last = r->elements < ARCHIVE_OCC_STEP;
	archive_move(a);
}

/* One step: read at most a step's worth of the current kind. */
static void
archive_step(evutil_socket_t fd, short what, void *arg)
{
	struct archive	*a = arg;
	struct nv	*nv = a->nv;
	const char	*argv[6];
	char		 cutoff[32], skip[32], limit[16];
	int		 rc = -1;

	(void)fd;
	(void)what;
	if (nv->stopping) {
		archive_abort(a, "the daemon is stopping");
		return;
	}
	switch (a->kind) {
	case ARCHIVE_LOG:
	case ARCHIVE_DEAD:
		rc = store_commandf(nv->store, archive_entries_reply, a,
		    "XRANGE %s - + COUNT %d", a->kind == ARCHIVE_LOG ?
		    nv->keys.log : nv->keys.dead, ARCHIVE_STEP);
		break;
	case ARCHIVE_STATE:
	case ARCHIVE_REF:
		rc = store_commandf(nv->store, archive_scan_reply, a,
		    "HSCAN %s %s COUNT %d", a->kind == ARCHIVE_STATE ?
		    nv->keys.state : nv->keys.refs, a->cursor, ARCHIVE_STEP);
		break;
	case ARCHIVE_OCC:
		snprintf(cutoff, sizeof(cutoff), "%lld",
		    (long long)a->occ_cutoff);
		snprintf(skip, sizeof(skip), "%lld", a->skip);
		snprintf(limit, sizeof(limit), "%d", ARCHIVE_OCC_STEP);
		argv[0] = "occ_read";
		argv[1] = a->token;
		argv[2] = ARCHIVE_LOCK_MS;
		argv[3] = cutoff;
		argv[4] = skip;
		argv[5] = limit;
		rc = script_run(nv, SCRIPT_ARCHIVE, archive_occ_reply, a, 6,
		    argv);
		break;
	case ARCHIVE_KINDS:
		archive_end(a, NULL);
		return;
	}
	if (rc == -1)
		archive_abort(a, "Redis unreachable");
}

static void
archive_end_reply(void *arg, redisReply *r)
{
	struct archive	*a = arg;

	a->running = 0;
	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_warnx("archive: the run's figures were not written to %s: "
		    "%s", a->nv->keys.archive, r ? r->str : "Redis unreachable");
	if (a->again) {
		a->again = 0;
		archive_now(a);
	}
}

/* The run's figures into {p}:archive, the lock dropped. */
static void
archive_end(struct archive *a, const char *error)
{
	unsigned long long	 total = 0;
	const char		*argv[6];
	char			 now[32], moved[32], when[64];
	int			 k;

	for (k = 0; k < ARCHIVE_KINDS; k++)
		total += a->moved[k];
	archive_when(a, when, sizeof(when));
	(error ? log_warnx : log_info)("archive: %s%llu moved to %s (ledger "
	    "%llu, dead letters %llu, states %llu, message ids %llu, "
	    "follow-ups %llu) in %lld ms; Redis keeps what is newer than %s",
	    error ? "stopped by an error: " : "", total, a->dir,
	    a->moved[ARCHIVE_LOG], a->moved[ARCHIVE_DEAD],
	    a->moved[ARCHIVE_STATE], a->moved[ARCHIVE_REF],
	    a->moved[ARCHIVE_OCC], (long long)(archive_mono_ms() - a->t0),
	    when);
	snprintf(now, sizeof(now), "%lld", (long long)clock_now_ms());
	snprintf(moved, sizeof(moved), "%llu", total);
	argv[0] = "end";
	argv[1] = a->token;
	argv[2] = ARCHIVE_LOCK_MS;
	argv[3] = now;
	argv[4] = moved;
	argv[5] = error ? error : "";
	if (script_run(a->nv, SCRIPT_ARCHIVE, archive_end_reply, a, 6,
	    argv) == -1)
		a->running = 0;
	if (error)
		archive_arm(a, clock_real_delay_ms(ARCHIVE_RETRY_MS));
}

void
archive_now(struct archive *a)
{
	if (a->running) {
		a->again = 1;
		return;
	}
	if (a->nv->stopping)
		return;
	if (!store_is_up(a->nv->store)) {
		a->pending = 1;
		return;
	}
	archive_begin(a);
}

void
archive_store_up(struct archive *a)
{
	if (a->pending && !a->running)
		archive_now(a);
}

struct archive *
archive_new(struct nv *nv)
{
	struct archive	*a;

	a = xcalloc(1, sizeof(*a));
	if ((a->timer_ev = evtimer_new(nv->base, archive_timer, a)) == NULL ||
	    (a->step_ev = evtimer_new(nv->base, archive_step, a)) == NULL)
		fatal("%s", __func__);
	a->nv = nv;
	archive_arm(a, ARCHIVE_FIRST_MS);
	return a;
}

void
archive_free(struct archive *a)
{
	if (a == NULL)
		return;
	archive_clear_step(a);
	free(a->lines);
	free(a->years);
	free(a->args);
	free(a->dir);
	event_free(a->timer_ev);
	event_free(a->step_ev);
	free(a);
}
