/* Due reminders into the outbox, outbox entries into jobs: the due timer, the claim, the take, and the sweep that takes over what others left. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "dispatch.h"
#include "entry.h"
#include "escalate.h"
#include "log.h"
#include "planstore.h"
#include "scripts.h"
#include "xmalloc.h"

#define CLAIM_RETRY_MS		2000	/* after a failed claim or read */
#define CLAIM_MAX_DELIVERIES	3	/* read at two stops: a crash loop */
#define CLAIM_STEP_MS		2000	/* a larger clock jump is a step */

static void	claim_claim(struct dispatch *, size_t n);
static void	claim_take(struct dispatch *, const char *mode, size_t n);
static void	claim_waiting(struct dispatch *, const redisReply *);

void
claim_timer(struct event *ev, int64_t real_ms)
{
	struct timeval	tv;

	if (real_ms < 0)
		real_ms = 0;
	tv.tv_sec = real_ms / 1000;
	tv.tv_usec = (real_ms % 1000) * 1000;
	evtimer_add(ev, &tv);
}

/* The due timer at `at` (virtual ms, now_v being now), or off (-1). */
static void
claim_arm(struct dispatch *d, int64_t at, int64_t now_v)
{
	d->next_due = at;
	if (at < 0) {
		evtimer_del(d->due_ev);
		return;
	}
	claim_timer(d->due_ev, clock_real_delay_ms(at - now_v));
}

/* Try again soon, after a failure. */
static void
claim_retry_soon(struct dispatch *d)
{
	d->next_due = clock_now_ms();
	claim_timer(d->due_ev, CLAIM_RETRY_MS);
}

static void
claim_due_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;

	(void)fd;
	(void)what;
	d->next_due = -1;
	d->more_due = 1;
	claim_more(d);
}

/* Each channel's room: what it may hold (DISPATCH_AHEAD) less its jobs. */
static void
claim_rooms(struct dispatch *d)
{
	struct channel	*ch;
	struct job	*j;

	TAILQ_FOREACH(ch, &d->channels, link)
		ch->room = ch->removed ? 0 :
		    (size_t)ch->cfg->concurrency * DISPATCH_AHEAD;
	TAILQ_FOREACH(j, &d->all, all)
		if (j->ch != NULL && j->ch->room > 0)
			j->ch->room--;
}

/*
 * Whether a claim is worth making: something may be due and a channel has
 * a quarter of its slots free (or is idle), or reminders wait in Redis for
 * a channel that has as much room now.
 */
static int
claim_worth(struct dispatch *d)
{
	const struct channel	*ch;
	size_t			 quarter;

	claim_rooms(d);
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed || ch->room == 0)
			continue;
		quarter = ((size_t)ch->cfg->concurrency * DISPATCH_AHEAD + 3) / 4;
		if (!d->more_due && ch->waiting == 0)
			continue;
		if (ch->room >= quarter || ch->room ==
		    (size_t)ch->cfg->concurrency * DISPATCH_AHEAD)
			return 1;
	}
	return 0;
}

/*
 * The next step when there is room: our own history first (after a
 * start), then what the outbox holds unread, then what is due. Reads wait
 * for an eighth of the slots and claims for a quarter of a channel's, so
 * that work comes in batches rather than one by one.
 */
void
claim_more(struct dispatch *d)
{
	size_t	cap = dispatch_capacity(d), room;

	if (d->stopped || !d->leased || !store_is_up(d->nv->store) ||
	    d->taking || d->claiming)
		return;
	if (d->history) {
		claim_take(d, "history", cap);
		return;
	}
	room = d->njobs < cap ? cap - d->njobs : 0;
	if (!d->drained) {
		if (room > 0 && (room >= (cap + 7) / 8 || d->njobs == 0))
			claim_take(d, "new", room);
		return;
	}
	if (claim_worth(d))
		claim_claim(d, (size_t)d->nv->conf->batch);
}

/* TASK/YYYY-MM-DD/SPEC/AGENCY/CHANNEL[~fallback-NAME]: what the planner writes. */
static int
claim_planned_id(const char *id)
{
	const char	*s = strchr(id, '/');
	int		 i, slashes = 0;

	if (s == NULL || s == id || strncmp(id, "adhoc/", 6) == 0)
		return 0;
	for (i = 1; i <= 10; i++)
		if ((i == 5 || i == 8) ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return 0;
	if (s[11] != '/')
		return 0;
	for (; *s != '\0'; s++)
		slashes += *s == '/';
	return slashes == 4;
}

/*
 * An escalation says how the recipients stand, from the follow-ups the
 * claim read with it; when every one of them reported done, nothing is
 * sent. -1 when the job was recorded instead.
 */
static int
claim_escalation(struct dispatch *d, struct job *j, const char *follow)
{
	const struct plan_task	*t;
	json_t			*f;
	char			*status, err[200];
	size_t			 n;
	int			 open;

	t = plan_task_find(d->nv->plan, j->r.task);
	f = json_loads(follow ? follow : "{}", 0, NULL);
	open = t ? escalate_status(d->nv->plan, t, f, &status, &n, err,
	    sizeof(err)) : -1;
	json_decref(f);
	if (open == -1) {
		ledger_reject(j, "escalation of %s: %s", j->rid,
		    t ? err : "no such task");
		return -1;
	}
	if (open == 0) {
		ledger_skip(j, "not sent: every recipient reported it done");
		return -1;
	}
	free(j->r.own[0]);
	j->r.own[0] = status;
	j->r.status = status;
	j->r.open = open;
	j->r.recipients = (int)n;
	return 0;
}

/*
 * A planned reminder's entry carries only its id: its text is what the
 * plan says now, built straight into the job's reminder. -1 when the job
 * was recorded instead (not a planned id, no longer in the plan, or no
 * plan yet).
 */
static int
claim_build(struct dispatch *d, struct job *j, const char *follow)
{
	const struct plan	*p = d->nv->plan;
	char			 err[300];

	if (!claim_planned_id(j->rid)) {
		ledger_reject(j, "bad payload in %s: no payload",
		    d->nv->keys.reminders);
		return -1;
	}
	if (p == NULL) {
		ledger_defer(j, "the plan is not loaded yet", 60000);
		return -1;
	}
	if (planstore_reminder_now(p, d->nv->conf, j->rid, &j->r, err,
	    sizeof(err)) == -1) {
		ledger_skip(j, "not sent: %s", err);
		return -1;
	}
	if (reminder_check(&j->r, err, sizeof(err)) == -1) {
		ledger_reject(j, "the plan gives a bad payload: %.120s", err);
		return -1;
	}
	if (j->r.escalation && claim_escalation(d, j, follow) == -1)
		return -1;
	links_confirm(d->nv, &j->r);
	return 0;
}

/* One outbox entry becomes a job, unless we hold it already. */
void
claim_add(struct dispatch *d, redisReply *e)
{
	struct entry_outbox	 o;
	struct job		*j;
	char			 err[200];
	int			 rc;

	rc = entry_outbox_parse(&o, e, clock_now_ms(), err, sizeof(err));
	if (o.entry == NULL) {
		log_err("%s: an entry the take script returned is unusable: %s",
		    d->nv->keys.outbox, err);
		return;
	}
	if (dispatch_job_find(d, o.entry) != NULL)
		return;
	j = dispatch_job_new(d, o.entry);
	j->rid = xstrdup(o.id ? o.id : "(unknown)");
	if (rc == -1) {
		ledger_reject(j, "outbox entry %s in %s: %s", j->entry,
		    d->nv->keys.outbox, err);
		return;
	}
	j->attempt = o.attempt;
	j->late = o.late;
	j->fire_at = o.fire_at;
	if (o.payload == NULL && claim_build(d, j, o.follow) == -1)
		return;
	if (o.payload != NULL && reminder_parse(&j->r, o.payload,
	    o.payload_len, err, sizeof(err)) == -1) {
		ledger_reject(j, "bad payload in %s: %.120s",
		    d->nv->keys.reminders, err);
		return;
	}
	j->r.fire_at = j->fire_at;
	j->r.sent_at = clock_now_ms();	/* the messages' overdue wording */
	j->r.attempt = j->attempt;
	j->r.late = j->late;
	if ((j->ch = channel_find(d, j->r.channel)) == NULL) {
		ledger_reject(j, "channel '%s' is not configured in %s",
		    j->r.channel, d->nv->conf_path);
		return;
	}
	if (reporter_wants(j)) {
		reporter_start(j);	/* queues it once it is written */
		return;
	}
	/* A stored payload's JSON is not needed again: its text only. */
	if (j->r.json != NULL)
		reminder_pack(&j->r);
	channel_enqueue(j->ch, j);
}

static void
claim_group_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;

	if (r && r->type == REDIS_REPLY_ERROR &&
	    strncmp(r->str, "BUSYGROUP", 9) != 0)
		dispatch_fault(d, FAULT_TAKE, "cannot create group %s on %s: "
		    "%.120s", KEYS_GROUP, d->nv->keys.outbox, r->str);
}

/* The consumer group went missing (a flushed or rewound Redis): again. */
void
claim_group(struct dispatch *d)
{
	store_commandf(d->nv->store, claim_group_reply, d,
	    "XGROUP CREATE %s %s 0 MKSTREAM", d->nv->keys.outbox, KEYS_GROUP);
}

static void
claim_take_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	redisReply	*entries;
	const char	*mode = d->history ? "history" : "new";
	size_t		 i, n = 0;

	d->taking = 0;
	if (r == NULL || d->stopped)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		dispatch_fault(d, FAULT_TAKE, "reading %s failed: %.120s",
		    d->nv->keys.outbox, r->str);
		log_err("%s", d->fault_why[FAULT_TAKE]);
		if (strstr(r->str, "NOGROUP") != NULL)
			claim_group(d);
		claim_retry_soon(d);
		return;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    r->element[2]->type != REDIS_REPLY_ARRAY) {
		dispatch_fault(d, FAULT_TAKE, "reading %s: odd reply",
		    d->nv->keys.outbox);
		claim_retry_soon(d);
		return;
	}
	dispatch_fault(d, FAULT_TAKE, NULL);
	entries = r->element[2];
	n = entries->elements;
	if (r->element[1]->type == REDIS_REPLY_INTEGER &&
	    r->element[1]->integer > 0) {
		d->dropped += (uint64_t)r->element[1]->integer;
		log_warnx("%lld outbox entries dropped: a second copy of a "
		    "finished reminder, or in flight at two stops in a row "
		    "(see %s and %s)", r->element[1]->integer,
		    d->nv->keys.log, d->nv->keys.dead);
	}
	/* The whole read first, then sends: a digest gathers its parts. */
	d->batching = 1;
	for (i = 0; i < n; i++)
		claim_add(d, entries->element[i]);
	d->batching = 0;
	channels_pump(d);
	if (d->history) {
		if (r->element[0]->len == 0)
			d->history = 0;
		else
			snprintf(d->cursor, sizeof(d->cursor), "%s",
			    r->element[0]->str);
		if (n > 0)
			log_notice("took up %zu outbox entries this consumer "
			    "held before it stopped", n);
	} else if (strcmp(mode, "new") == 0 && n + (size_t)(r->element[1]->type ==
	    REDIS_REPLY_INTEGER ? r->element[1]->integer : 0) < d->asked)
		d->drained = 1;
	claim_more(d);
}

static void
claim_reclaim_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	size_t		 i;

	d->taking = 0;
	if (r == NULL || d->stopped)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[2]->type != REDIS_REPLY_ARRAY) {
		log_err("taking over idle entries of %s failed: %.120s",
		    d->nv->keys.outbox, r->type == REDIS_REPLY_ERROR ?
		    r->str : "odd reply");
		if (r->type == REDIS_REPLY_ERROR &&
		    strstr(r->str, "NOGROUP") != NULL)
			claim_group(d);
		return;
	}
	snprintf(d->reclaim, sizeof(d->reclaim), "%s",
	    r->element[0]->len ? r->element[0]->str : "0-0");
	if (r->element[2]->elements > 0)
		log_notice("took over %zu outbox entries idle for more than "
		    "%llds in another consumer's hands (a daemon that "
		    "stopped?)", r->element[2]->elements,
		    (long long)d->nv->conf->reclaim_idle_ms / 1000);
	d->batching = 1;
	for (i = 0; i < r->element[2]->elements; i++)
		claim_add(d, r->element[2]->element[i]);
	d->batching = 0;
	channels_pump(d);
	claim_more(d);
}

/* Read up to n entries: new ones, our own history, or idle ones. */
static void
claim_take(struct dispatch *d, const char *mode, size_t n)
{
	struct nv	*nv = d->nv;
	char		 count[24], idle[24], max[8], now[24];
	const char	*argv[8];
	int		 reclaim = strcmp(mode, "reclaim") == 0;

	snprintf(count, sizeof(count), "%zu", n);
	snprintf(idle, sizeof(idle), "%lld",
	    (long long)nv->conf->reclaim_idle_ms);
	snprintf(max, sizeof(max), "%d", CLAIM_MAX_DELIVERIES);
	snprintf(now, sizeof(now), "%lld", (long long)clock_now_ms());
	argv[0] = KEYS_GROUP;
	argv[1] = nv->consumer;
	argv[2] = mode;
	argv[3] = reclaim ? d->reclaim : d->cursor;
	argv[4] = count;
	argv[5] = idle;
	argv[6] = max;
	argv[7] = now;
	if (script_run(nv, SCRIPT_TAKE, reclaim ? claim_reclaim_reply :
	    claim_take_reply, d, 8, argv) == 0) {
		d->taking = 1;
		if (!reclaim)
			d->asked = n;
	}
}

static int64_t
claim_real_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * This host's own wall clock against its monotonic one: a jump is worth a
 * CRIT line even though claims go by Redis's clock.
 */
static void
claim_local_step(struct dispatch *d)
{
	int64_t	real = claim_real_ms(), mono = dispatch_mono_ms(), jump;

	if (d->local_real_at > 0) {
		jump = (real - d->local_real_at) - (mono - d->local_mono_at);
		if (jump > CLAIM_STEP_MS + (mono - d->local_mono_at) / 500 ||
		    -jump > CLAIM_STEP_MS + (mono - d->local_mono_at) / 500)
			log_crit("this host's clock jumped %+llds against its "
			    "monotonic clock: check NTP; claims go by Redis's "
			    "clock, so no reminder is sent early or marked "
			    "missed for it", (long long)jump / 1000);
	}
	d->local_real_at = real;
	d->local_mono_at = mono;
}

static void
claim_claim_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	long long	 claimed, missed, step;
	int64_t		 next = -1, now_v, raw;
	double		 rate = 1;
	int64_t		 vbase, vraw;

	d->claiming = 0;
	if (r == NULL || d->stopped)
		return;		/* "up" claims again */
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 9 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER ||
	    r->element[6]->type != REDIS_REPLY_INTEGER ||
	    r->element[7]->type != REDIS_REPLY_INTEGER ||
	    r->element[8]->type != REDIS_REPLY_ARRAY) {
		dispatch_fault(d, FAULT_CLAIM, "claim from %s failed: %.120s",
		    d->nv->keys.due, r->type == REDIS_REPLY_ERROR ? r->str :
		    "odd reply");
		log_err("%s", d->fault_why[FAULT_CLAIM]);
		claim_retry_soon(d);
		return;
	}
	dispatch_fault(d, FAULT_CLAIM, NULL);
	claimed = r->element[0]->integer;
	missed = r->element[1]->integer;
	if (r->element[2]->type == REDIS_REPLY_STRING && r->element[2]->len)
		next = (int64_t)strtod(r->element[2]->str, NULL);
	now_v = r->element[3]->integer;
	raw = r->element[4]->integer;
	step = r->element[5]->integer;
	claim_local_step(d);
	d->raw_at = raw;
	d->mono_at = dispatch_mono_ms();
	if (step != 0) {
		log_crit("the clock jumped %+llds (Redis's TIME against this "
		    "host's monotonic clock): check NTP on the Redis host; "
		    "reminders it jumped over are sent late, never marked "
		    "missed", step / 1000);
		if (step > 0) {
			if (clock_virtual_origin(&vbase, &vraw, &rate) == -1)
				rate = 1;
			vbase = now_v - (int64_t)((double)step * rate) -
			    d->nv->conf->grace_ms;
			if (d->keep_after < 0 || vbase < d->keep_after)
				d->keep_after = vbase;
		}
	}
	d->claimed += (uint64_t)claimed;
	d->missed += (uint64_t)missed;
	if (claimed > 0) {
		log_debug("claimed %lld due reminders", claimed);
		d->drained = 0;
	}
	if (missed > 0)
		log_warnx("%lld reminders were more than the grace period "
		    "late: recorded as missed in %s", missed,
		    d->nv->keys.log);
	claim_waiting(d, r->element[8]);
	if (r->element[7]->integer > 0)
		log_debug("%lld reminders moved from %s (a program's, or "
		    "an older nhacviec's) to their channels' sets",
		    r->element[7]->integer, d->nv->keys.due);
	if (r->element[6]->integer)
		d->more_due = 1;
	else {
		d->more_due = 0;
		d->keep_after = -1;	/* whatever a jump skipped is claimed */
		claim_arm(d, next, now_v);
	}
	nv_ready(d->nv);
	claim_more(d);
}

/* What waits in Redis, per channel, as the claim saw it. */
static void
claim_waiting(struct dispatch *d, const redisReply *left)
{
	struct channel	*ch;
	size_t		 i;

	TAILQ_FOREACH(ch, &d->channels, link)
		ch->waiting = 0;
	for (i = 0; i + 1 < left->elements; i += 2)
		if (left->element[i]->type == REDIS_REPLY_STRING &&
		    left->element[i + 1]->type == REDIS_REPLY_INTEGER &&
		    (ch = channel_find(d, left->element[i]->str)) != NULL)
			ch->waiting = (size_t)left->element[i + 1]->integer;
}

/*
 * Claim what is due by Redis's clock, from each channel's set as far as
 * the channel has room; the others stay there until it has.
 */
static void
claim_claim(struct dispatch *d, size_t n)
{
	struct nv	*nv = d->nv;
	struct channel	*ch;
	char		 batch[24], grace[24], late[24], vbase[24], vraw[24];
	char		 rate[32], expect[24], tol[24], keep[24];
	char		(*rooms)[24];
	const char	**argv;
	size_t		 nch = 0, k, cap;
	int64_t		 sb, sr, mono = dispatch_mono_ms();
	double		 r;

	snprintf(batch, sizeof(batch), "%zu", n);
	snprintf(grace, sizeof(grace), "%lld", (long long)nv->conf->grace_ms);
	snprintf(late, sizeof(late), "%lld",
	    (long long)clock_late_after_ms(NV_LATE_AFTER_MS));
	vbase[0] = vraw[0] = rate[0] = expect[0] = tol[0] = keep[0] = '\0';
	if (clock_virtual_origin(&sb, &sr, &r) == 0) {
		snprintf(vbase, sizeof(vbase), "%lld", (long long)sb);
		snprintf(vraw, sizeof(vraw), "%lld", (long long)sr);
		snprintf(rate, sizeof(rate), "%.17g", r);
	}
	if (d->raw_at > 0) {
		/* Allow a drift of 0.2 % besides the step threshold. */
		snprintf(expect, sizeof(expect), "%lld",
		    (long long)(d->raw_at + (mono - d->mono_at)));
		snprintf(tol, sizeof(tol), "%lld", (long long)(CLAIM_STEP_MS +
		    (mono - d->mono_at) / 500));
	}
	if (d->keep_after >= 0)
		snprintf(keep, sizeof(keep), "%lld", (long long)d->keep_after);
	TAILQ_FOREACH(ch, &d->channels, link)
		nch++;
	argv = xcalloc(10 + 3 * nch, sizeof(*argv));
	rooms = xcalloc(nch + 1, sizeof(*rooms));
	claim_rooms(d);
	k = 10;
	nch = 0;
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed)
			continue;	/* what waits for it comes out */
		snprintf(rooms[nch], sizeof(rooms[0]), "%zu", ch->room);
		argv[k++] = ch->name;
		argv[k++] = rooms[nch++];
		/* Does it send a minute's reminders to one head as one? */
		argv[k++] = channel_digests(ch) ? "1" : "0";
	}
	argv[0] = KEYS_GROUP;
	argv[1] = batch;
	argv[2] = grace;
	argv[3] = late;
	argv[4] = vbase;
	argv[5] = vraw;
	argv[6] = rate;
	argv[7] = expect;
	argv[8] = tol;
	argv[9] = keep;
	if (script_run(nv, SCRIPT_CLAIM, claim_claim_reply, d, (int)k,
	    argv) == 0) {
		d->claiming = 1;
		/*
		 * What the claim moves into the outbox is read right behind
		 * it, in the same round trip: Redis runs the two in order.
		 */
		cap = dispatch_capacity(d);
		if (!d->taking && d->njobs < cap)
			claim_take(d, "new", cap - d->njobs);
	}
	free(rooms);
	free(argv);
}

/*
 * The safety net, every half reclaim_idle: take over entries idle in any
 * consumer's hands, read what nobody read, claim what is due.
 */
static void
claim_sweep_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;
	size_t		 cap = dispatch_capacity(d);

	(void)fd;
	(void)what;
	if (d->stopped)
		return;
	if (d->leased && store_is_up(d->nv->store) && !d->taking &&
	    !d->history && d->njobs < cap)
		claim_take(d, "reclaim", cap - d->njobs);
	d->drained = 0;
	d->more_due = 1;
	claim_more(d);
	claim_timer(d->sweep_ev, d->nv->conf->reclaim_idle_ms / 2);
}

void
claim_init(struct dispatch *d)
{
	struct nv	*nv = d->nv;

	d->next_due = -1;
	d->keep_after = -1;
	snprintf(d->cursor, sizeof(d->cursor), "0-0");
	snprintf(d->reclaim, sizeof(d->reclaim), "0-0");
	snprintf(d->rescue_at, sizeof(d->rescue_at), "0");
	d->due_ev = evtimer_new(nv->base, claim_due_event, d);
	d->sweep_ev = evtimer_new(nv->base, claim_sweep_event, d);
	if (d->due_ev == NULL || d->sweep_ev == NULL)
		fatalx("out of memory");
	claim_timer(d->sweep_ev, nv->conf->reclaim_idle_ms / 2);
	lease_init(d);
}

void
claim_free(struct dispatch *d)
{
	if (d->due_ev)
		event_free(d->due_ev);
	if (d->sweep_ev)
		event_free(d->sweep_ev);
	lease_free(d);
}

/* Connected: our lease first; the rest follows from its reply. */
void
claim_store_up(struct dispatch *d)
{
	d->claiming = d->taking = d->keeping = d->rescuing = 0;
	d->drained = 0;
	d->more_due = 1;
	snprintf(d->rescue_at, sizeof(d->rescue_at), "0");
	claim_group(d);
	lease_keep(d);
}

void
claim_store_down(struct dispatch *d)
{
	d->claiming = d->taking = d->keeping = d->rescuing = 0;
	d->leased = 0;
}

void
claim_stop(struct dispatch *d)
{
	evtimer_del(d->due_ev);
	evtimer_del(d->sweep_ev);
	lease_stop(d);
}

