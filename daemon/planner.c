/* The planner: keeps {p}:due filled with every reminder of the plan within the horizon. */
#include <glob.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "nhacviecd.h"
#include "planstore.h"
#include "report.h"
#include "schedule.h"
#include "xmalloc.h"

#define PLANNER_LOOKBACK_MS	(7LL * 86400000)
#define DAY_MS			86400000LL

struct planner {
	struct nv		*nv;
	struct plan		*plan;
	long long		 version;	/* of the plan we hold, 0: none */
	struct plan_sources	 pending;	/* read from files, to store */
	int			 have_pending;
	int			 busy;		/* a script is running */
	int			 again;		/* plan again when it ends */
	int			 fetch;		/* re-read the plan from Redis */
	int			 fetching;	/* how the read under way was asked */
	struct event		*daily_ev;
};

/*
 * Why the plan is read from Redis again: a plan-changed message (planned
 * only if the version is another than ours: our own load's message comes
 * back too), or a connection or reload (planned in any case: Redis may
 * have come back from an older copy).
 */
#define FETCH_CHANGED	1
#define FETCH_ALWAYS	2

static void	planner_run(struct planner *);

/* The plan everything works from now (nv->plan is the same). */
static void
planner_set(struct planner *pl, struct plan *p)
{
	if (p == pl->plan)
		return;
	plan_free(pl->plan);
	pl->plan = p;
	pl->nv->plan = p;
}
static void	planner_fetch(struct planner *, int);

/*
 * The plan preflight_run read from the files (NULL: there were none, so
 * the plan comes from Redis), and its sources to store. Takes both.
 */
static void
planner_take(struct planner *pl, struct plan *p, struct plan_sources *src)
{
	planstore_sources_clear(&pl->pending);
	pl->have_pending = 0;
	if (p == NULL) {
		planstore_sources_clear(src);
		log_notice("no plan files match %s: planning from the plan "
		    "stored in Redis", pl->nv->conf->plan_files);
		return;
	}
	pl->pending = *src;
	memset(src, 0, sizeof(*src));
	pl->have_pending = 1;
	planner_set(pl, p);
}

static void
planner_daily_arm(struct planner *pl)
{
	int64_t		now = clock_now_ms(), next;
	struct timeval	tv;
	int64_t		ms;

	/* Once a day, five minutes after midnight UTC: exactness is not needed. */
	next = (now / DAY_MS + 1) * DAY_MS + 5 * 60000;
	ms = clock_real_delay_ms(next - now);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(pl->daily_ev, &tv);
}

static void
planner_daily(evutil_socket_t fd, short what, void *arg)
{
	struct planner	*pl = arg;

	(void)fd;
	(void)what;
	planner_run(pl);
	planner_daily_arm(pl);
}

static void
planner_plan_reply(void *arg, redisReply *r)
{
	struct planner	*pl = arg;

	pl->busy = 0;
	if (r == NULL)
		return;		/* "up" plans again */
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
		log_err("planning into %s failed: %s", pl->nv->keys.due,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		return;
	}
	log_info("planned plan version %lld: %lld reminders new or moved, "
	    "%lld no longer in the plan removed", pl->version,
	    r->element[0]->integer, r->element[1]->integer);
	if (pl->nv->dispatch)
		dispatch_wake(pl->nv->dispatch, clock_now_ms());
	if (pl->fetch)
		planner_fetch(pl, pl->fetch);
	else if (pl->again)
		planner_run(pl);
}

/*
 * The occurrences of the reminders in l, each once, as pairs "TASK/DUE"
 * and the end of its due day (ms) into argv; the strings go to owned.
 * Returns how many.
 */
static size_t
planner_occurrences(const struct plan *p, const struct sched_list *l,
    const char **argv, char **owned)
{
	const struct sched_reminder	**seen, *r;
	char				  due[16];
	size_t				  i, h, cap, m = 0;
	int				  y, mo, d;

	/* Seen occurrences (task, end day) in an open-addressing table. */
	for (cap = 16; cap < 2 * l->n; cap *= 2)
		;
	seen = xcalloc(cap, sizeof(*seen));
	for (i = 0; i < l->n; i++) {
		r = &l->v[i];
		h = ((uintptr_t)r->task / 8 * 31 + (size_t)r->occ.end) *
		    0x9e3779b97f4a7c15ULL;
		for (h &= cap - 1; seen[h] != NULL; h = (h + 1) & (cap - 1))
			if (seen[h]->task == r->task &&
			    seen[h]->occ.end == r->occ.end)
				break;
		if (seen[h] != NULL)
			continue;
		seen[h] = r;
		plan_day_to_ymd(r->occ.end, &y, &mo, &d);
		snprintf(due, sizeof(due), "%04d-%02d-%02d", y, mo, d);
		xasprintf(&owned[2 * m], "%s/%s", r->task->id, due);
		xasprintf(&owned[2 * m + 1], "%lld",
		    (long long)schedule_local_ms(p, r->occ.end + 1, 0));
		argv[2 * m] = owned[2 * m];
		argv[2 * m + 1] = owned[2 * m + 1];
		m++;
	}
	free(seen);
	return m;
}

/* Expand the plan over [now - lookback, now + horizon] and write it. */
static void
planner_run(struct planner *pl)
{
	struct nv		*nv = pl->nv;
	struct sched_list	 l;
	struct report_sends	 rs;
	const char		**argv;
	char			**owned, err[256], from[24], count[24];
	int64_t			 now = clock_now_ms(), back;
	size_t			 i, n, m, t;

	if (pl->plan == NULL || !store_is_up(nv->store) || nv->stopping)
		return;
	if (pl->busy) {
		pl->again = 1;
		return;
	}
	pl->again = 0;
	back = nv->conf->grace_ms > PLANNER_LOOKBACK_MS ? nv->conf->grace_ms :
	    PLANNER_LOOKBACK_MS;
	memset(&l, 0, sizeof(l));
	if (schedule_expand(pl->plan, nv->conf, now - back,
	    now + nv->conf->horizon_ms, &l, err, sizeof(err)) == -1) {
		log_err("planning failed: %s", err);
		return;
	}
	/* The [report] sends go in with the reminders, planned the same way. */
	memset(&rs, 0, sizeof(rs));
	report_plan(pl->plan, nv->conf, now - back, now + nv->conf->horizon_ms,
	    &rs);
	n = l.n;
	/*
	 * The reminders (id, fire time), their occurrences once each, then
	 * the [report] sends (id, fire time, payload: what to report).
	 */
	argv = xcalloc(2 + 2 * n + 1 + 2 * n + 1 + 3 * rs.n, sizeof(*argv));
	owned = xcalloc(3 * n + 2 + rs.n, sizeof(*owned));
	snprintf(from, sizeof(from), "%lld", (long long)(now - back));
	snprintf(count, sizeof(count), "%zu", n);
	argv[0] = from;
	argv[1] = count;
	for (i = 0; i < n; i++) {
		xasprintf(&owned[i], "%lld", (long long)l.v[i].fire_at);
		argv[2 + 2 * i] = l.v[i].id;
		argv[3 + 2 * i] = owned[i];
	}
	m = planner_occurrences(pl->plan, &l, argv + 3 + 2 * n, owned + n);
	xasprintf(&owned[3 * n], "%zu", m);
	xasprintf(&owned[3 * n + 1], "%zu", rs.n);
	argv[2 + 2 * n] = owned[3 * n];
	t = 3 + 2 * n + 2 * m;
	argv[t++] = owned[3 * n + 1];
	for (i = 0; i < rs.n; i++) {
		xasprintf(&owned[3 * n + 2 + i], "%lld",
		    (long long)rs.v[i].fire_at);
		argv[t++] = rs.v[i].id;
		argv[t++] = owned[3 * n + 2 + i];
		argv[t++] = rs.v[i].payload;
	}
	if (script_run(nv, SCRIPT_PLAN, planner_plan_reply, pl, (int)t,
	    argv) == 0)
		pl->busy = 1;
	for (i = 0; i < 3 * n + 2 + rs.n; i++)
		free(owned[i]);
	free(owned);
	free(argv);
	schedule_list_clear(&l);
	report_sends_clear(&rs);
}

static void
planner_load_reply(void *arg, redisReply *r)
{
	struct planner	*pl = arg;

	pl->busy = 0;
	if (r == NULL)
		return;
	if (r->type != REDIS_REPLY_INTEGER) {
		log_err("storing the plan failed: %s",
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		return;
	}
	pl->version = r->integer;
	pl->have_pending = 0;
	planstore_sources_clear(&pl->pending);
	log_info("plan files stored in Redis as plan version %lld",
	    pl->version);
	planner_run(pl);
}

/* Write the plan read from files (one atomic script), then plan. */
static void
planner_store(struct planner *pl)
{
	struct nv	*nv = pl->nv;
	char		*doc;
	const char	*argv[2];

	if (!store_is_up(nv->store) || pl->busy)
		return;
	if ((doc = planstore_document(pl->plan, &pl->pending,
	    clock_now_ms())) == NULL)
		fatal("out of memory");
	argv[0] = nv->keys.base;
	argv[1] = doc;
	if (script_run(nv, SCRIPT_PLAN_LOAD, planner_load_reply, pl, 2,
	    argv) == 0)
		pl->busy = 1;
	free(doc);
}

static void
planner_fetch_reply(void *arg, redisReply *r)
{
	struct planner	*pl = arg;
	struct diag		 d;
	struct plan		*p;
	struct plan_sources	 ps;
	redisReply		*src;
	size_t			 i, n;
	long long		 version;
	int			 how = pl->fetching;

	pl->busy = 0;
	pl->fetching = 0;
	if (r == NULL)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[1]->type != REDIS_REPLY_ARRAY) {
		log_err("reading %s failed", pl->nv->keys.plan_sources);
		return;
	}
	version = r->element[0]->type == REDIS_REPLY_STRING ?
	    strtoll(r->element[0]->str, NULL, 10) : 0;
	if (how == FETCH_CHANGED && pl->plan != NULL && version != 0 &&
	    version == pl->version) {
		log_debug("plan version %lld in Redis is the one planned",
		    version);
		return;
	}
	src = r->element[1];
	n = src->elements / 2;
	if (n == 0) {
		log_notice("no plan in Redis yet (%s is empty): nothing to "
		    "plan until `nhacviec load`", pl->nv->keys.plan_sources);
		return;
	}
	ps.n = n;
	ps.names = xcalloc(n, sizeof(*ps.names));
	ps.texts = xcalloc(n, sizeof(*ps.texts));
	for (i = 0; i < n; i++) {
		ps.names[i] = src->element[2 * i]->str;
		ps.texts[i] = src->element[2 * i + 1]->str;
	}
	diag_init(&d);
	p = planstore_parse(pl->nv->conf, &ps, &d);
	for (i = 0; i < d.n; i++)
		(d.nerrors ? log_err : log_warnx)("%s (plan in %s)",
		    d.msgs[i], pl->nv->keys.plan_sources);
	if (p == NULL) {
		log_err("the plan in Redis has errors; planning stays on the "
		    "previous plan");
	} else {
		planner_set(pl, p);
		pl->version = version;
		planner_run(pl);
	}
	diag_clear(&d);
	free(ps.names);		/* the strings belong to the reply */
	free(ps.texts);
}

/* Re-read the plan as stored in Redis (loaded by `nhacviec load` or a peer). */
static void
planner_fetch(struct planner *pl, int how)
{
	struct nv	*nv = pl->nv;

	if (!store_is_up(nv->store))
		return;
	if (pl->busy) {
		if (how > pl->fetch)
			pl->fetch = how;
		return;
	}
	pl->fetch = 0;
	store_commandf(nv->store, NULL, NULL, "MULTI");
	store_commandf(nv->store, NULL, NULL, "GET %s", nv->keys.plan_version);
	store_commandf(nv->store, NULL, NULL, "HGETALL %s",
	    nv->keys.plan_sources);
	if (store_commandf(nv->store, planner_fetch_reply, pl, "EXEC") == 0) {
		pl->busy = 1;
		pl->fetching = how;
	}
}

struct planner *
planner_new(struct nv *nv, struct plan *p, struct plan_sources *src)
{
	struct planner	*pl;

	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return NULL;
	pl->nv = nv;
	if ((pl->daily_ev = evtimer_new(nv->base, planner_daily, pl)) == NULL)
		fatalx("out of memory");
	planner_take(pl, p, src);
	planner_daily_arm(pl);
	return pl;
}

void
planner_free(struct planner *pl)
{
	if (pl == NULL)
		return;
	if (pl->nv->plan == pl->plan)
		pl->nv->plan = NULL;
	plan_free(pl->plan);
	planstore_sources_clear(&pl->pending);
	if (pl->daily_ev)
		event_free(pl->daily_ev);
	free(pl);
}

void
planner_store_up(struct planner *pl)
{
	pl->busy = 0;
	if (pl->have_pending)
		planner_store(pl);
	else
		planner_fetch(pl, FETCH_ALWAYS);
}

void
planner_changed(struct planner *pl, long long version)
{
	if (version != 0 && version == pl->version)
		return;		/* our own load coming back */
	/* Ours too while its reply is on the way: the read will tell. */
	planner_fetch(pl, FETCH_CHANGED);
}

void
planner_reload(struct planner *pl, struct plan *p, struct plan_sources *src)
{
	planner_take(pl, p, src);
	if (pl->have_pending)
		planner_store(pl);
	else
		planner_fetch(pl, FETCH_ALWAYS);
}

const char *
planner_timezone(const struct planner *pl)
{
	return pl && pl->plan ? pl->plan->calendar.timezone : NULL;
}

