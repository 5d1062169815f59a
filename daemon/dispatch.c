/* The dispatcher: claims due reminders into the outbox, hands them to channels, records each outcome. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "clock.h"
#include "log.h"
#include "nhacviecd.h"
#include "planstore.h"

#define DISPATCH_RETRY_RECORD_MS	2000
#define DISPATCH_BATCH		64	/* outcomes per complete call */
#define DISPATCH_BUCKETS		4096	/* entry id hash (power of two) */
#define DISPATCH_DEFER_MS		(10 * 60000)	/* a paused channel's work */

struct dispatch {
	struct nv		*nv;
	TAILQ_HEAD(, channel)	 channels;
	struct jobq		 all;		/* every job in memory */
	size_t			 njobs;
	struct job		*byentry[DISPATCH_BUCKETS];	/* by entry id */
	struct jobq		 unrecorded;	/* outcome known, not yet stored */
	struct jobq		 torecord;	/* outcome known, stored this pass */
	struct event		*flush_ev;	/* sends torecord to Redis */
	struct event		*due_ev;	/* the earliest due reminder */
	int64_t			 next_due;	/* virtual ms, -1 when none */
	struct event		*sweep_ev;	/* reclaim entries of dead peers */
	struct event		*record_ev;	/* retry unrecorded outcomes */
	int			 claiming;
	int			 reading;
	int			 drained;	/* ">" read less than asked */
	size_t			 asked;		/* COUNT of the read under way */
	char			 cursor[48];	/* "0-0".. own history, then ">" */
	char			 reclaim[48];	/* XAUTOCLAIM cursor */
	int			 stopped;
	void			(*idle)(void *);
	void			*idle_arg;
	uint64_t		 claimed, missed;
};

static void	dispatch_claim(struct dispatch *);
static void	dispatch_read(struct dispatch *);
static void	dispatch_record(struct job *);
static void	dispatch_pump(struct channel *);
static void	dispatch_channel_free(struct channel *);

static const struct channel_ops *const channel_types[] = {
	[CHANNEL_CONSOLE] = &channel_console_ops,
	[CHANNEL_WEBHOOK] = &channel_webhook_ops,
	[CHANNEL_SMTP] = &channel_smtp_ops,
	[CHANNEL_ZALO] = &channel_zalo_ops,
};

static size_t
dispatch_capacity(const struct dispatch *d)
{
	const struct config	*c = d->nv->conf;
	size_t			 sum = 0, i;

	for (i = 0; i < c->nchannels; i++)
		sum += (size_t)c->channels[i].concurrency;
	return sum > (size_t)c->batch ? sum : (size_t)c->batch;
}

static void
dispatch_arm(struct dispatch *d, int64_t at)
{
	struct timeval	tv;
	int64_t		ms;

	d->next_due = at;
	if (at < 0) {
		evtimer_del(d->due_ev);
		return;
	}
	ms = clock_real_delay_ms(at - clock_now_ms());
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(d->due_ev, &tv);
}

void
dispatch_wake(struct dispatch *d, int64_t at)
{
	if (d->stopped)
		return;
	if (d->next_due < 0 || at < d->next_due)
		dispatch_arm(d, at);
}

static struct channel *
dispatch_channel(struct dispatch *d, const char *name)
{
	struct channel	*ch;

	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed && strcmp(ch->name, name) == 0)
			return ch;
	return NULL;
}

static void
dispatch_check_idle(struct dispatch *d)
{
	if (d->stopped && d->njobs == 0 && d->idle) {
		void (*idle)(void *) = d->idle;

		d->idle = NULL;
		idle(d->idle_arg);
	}
}

static unsigned
dispatch_hash(const char *entry)
{
	unsigned	h = 2166136261u;

	for (; *entry; entry++)
		h = (h ^ (unsigned char)*entry) * 16777619u;
	return h & (DISPATCH_BUCKETS - 1);
}

static void
job_free(struct job *j)
{
	struct dispatch	*d = j->d;
	struct job	**pp;

	for (pp = &d->byentry[dispatch_hash(j->entry)]; *pp; pp = &(*pp)->hnext)
		if (*pp == j) {
			*pp = j->hnext;
			break;
		}
	TAILQ_REMOVE(&d->all, j, all);
	d->njobs--;
	reminder_clear(&j->r);
	free(j->rid);
	free(j->fb_id);
	free(j->fb_payload);
	free(j);
}

/* A job leaves memory: free its channel slot and let more work in. */
static void
dispatch_finish(struct job *j)
{
	struct dispatch	*d = j->d;
	struct channel	*ch = j->ch;

	if (ch && j->state != JOB_QUEUED)
		ch->inflight--;
	job_free(j);
	if (ch)
		dispatch_pump(ch);
	dispatch_read(d);
	dispatch_check_idle(d);
}

static int64_t
dispatch_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The channel's token bucket (one second of burst): may one more go now? */
static int
dispatch_rate_take(struct channel *ch)
{
	int64_t		now = dispatch_mono_ms();
	double		burst = ch->rate_per_s < 1 ? 1 : ch->rate_per_s;
	struct timeval	tv;
	int64_t		wait;

	if (ch->rate_per_s <= 0)
		return 1;
	ch->tokens += (double)(now - ch->rate_at) * ch->rate_per_s / 1000;
	if (ch->tokens > burst)
		ch->tokens = burst;
	ch->rate_at = now;
	if (ch->tokens >= 1) {
		ch->tokens -= 1;
		return 1;
	}
	wait = (int64_t)((1 - ch->tokens) * 1000 / ch->rate_per_s) + 1;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	if (!evtimer_pending(ch->rate_ev, NULL))
		evtimer_add(ch->rate_ev, &tv);
	return 0;
}

static void
dispatch_rate_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dispatch_pump(arg);
}

static void
dispatch_defer(struct job *j, const char *why)
{
	struct result	res;

	memset(&res, 0, sizeof(res));
	res.verdict = VERDICT_DEFER;
	res.retry_after_s = -1;
	snprintf(res.detail, sizeof(res.detail), "%s", why);
	j->state = JOB_SENDING;
	j->ch->inflight++;
	dispatch_job_done(j, &res);
}

static void
dispatch_pump(struct channel *ch)
{
	struct dispatch	*d = ch->nv->dispatch;
	struct job	*j;

	while (!d->stopped && !ch->removed &&
	    ch->inflight < ch->cfg->concurrency &&
	    (j = TAILQ_FIRST(&ch->queue)) != NULL) {
		if (ch->paused) {
			TAILQ_REMOVE(&ch->queue, j, link);
			dispatch_defer(j, ch->pause_reason);
			continue;
		}
		if (!dispatch_rate_take(ch))
			break;
		TAILQ_REMOVE(&ch->queue, j, link);
		j->state = JOB_SENDING;
		ch->inflight++;
		ch->ops->send(ch, j);
	}
}

void
dispatch_channel_pause(struct channel *ch, const char *reason)
{
	if (!ch->paused)
		log_crit("channel %s paused: %s", ch->name, reason);
	ch->paused = 1;
	snprintf(ch->pause_reason, sizeof(ch->pause_reason),
	    "channel %s paused: %s", ch->name, reason);
	dispatch_pump(ch);
}

void
dispatch_channel_resume(struct channel *ch)
{
	if (!ch->paused)
		return;
	ch->paused = 0;
	log_notice("channel %s resumed", ch->name);
	dispatch_pump(ch);
}

struct channel *
dispatch_channel_find(struct dispatch *d, const char *name)
{
	return dispatch_channel(d, name);
}

void
dispatch_channels_control(struct dispatch *d, int pause, const char *reason)
{
	struct channel	*ch;

	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed)
			continue;
		if (pause)
			dispatch_channel_pause(ch, reason ? reason :
			    "by an admin");
		else {
			if (ch->ops->resume)
				ch->ops->resume(ch);
			dispatch_channel_resume(ch);
		}
	}
}

static void
dispatch_alert_reply(void *arg, redisReply *r)
{
	(void)arg;
	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_crit("the alert could not be queued: %s", r ? r->str :
		    "Redis unreachable");
}

/* An alert goes through the outbox like any reminder: recorded, retried. */
void
dispatch_alert(struct dispatch *d, const char *subject, const char *text)
{
	struct nv	*nv = d->nv;
	const char	*argv[7];
	char		*id = NULL, *payload, at[24];
	int64_t		 now = clock_now_ms();

	log_crit("ALERT: %s: %s", subject, text);
	if (nv->conf->alert_email == NULL || nv->conf->alert_channel == NULL) {
		log_warnx("no [alert] email and channel configured: the alert "
		    "above is in this log only");
		return;
	}
	payload = planstore_adhoc(&id, "alert", "Quản trị nhacviec", NULL,
	    nv->conf->alert_email, nv->conf->alert_channel, subject, text, now);
	if (payload == NULL)
		fatal("out of memory");
	snprintf(at, sizeof(at), "%lld", (long long)now);
	argv[0] = nv->keys.due;
	argv[1] = nv->keys.reminders;
	argv[2] = nv->keys.state;
	argv[3] = nv->keys.control;
	argv[4] = id;
	argv[5] = at;
	argv[6] = payload;
	if (store_script(nv->store, SCRIPT_ENQUEUE, dispatch_alert_reply, d,
	    4, 7, argv) == -1)
		log_crit("the alert could not be queued: Redis unreachable");
	free(id);
	free(payload);
}

static void
dispatch_claim_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	long long	 claimed, missed;
	int64_t		 next = -1;

	d->claiming = 0;
	if (r == NULL)
		return;		/* the connection went away; "up" claims again */
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER) {
		log_err("claim from %s failed: %s", d->nv->keys.due,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		dispatch_arm(d, clock_now_ms() + 5000);
		return;
	}
	claimed = r->element[0]->integer;
	missed = r->element[1]->integer;
	if (r->element[2]->type == REDIS_REPLY_STRING && r->element[2]->len)
		next = (int64_t)strtod(r->element[2]->str, NULL);
	d->claimed += (uint64_t)claimed;
	d->missed += (uint64_t)missed;
	if (claimed > 0)
		log_debug("claimed %lld due reminders", claimed);
	if (missed > 0)
		log_warnx("%lld reminders were more than the grace period "
		    "late: recorded as missed in %s", missed,
		    d->nv->keys.log);
	if (claimed > 0) {
		d->drained = 0;
		dispatch_read(d);
	}
	if (claimed + missed >= d->nv->conf->batch)
		dispatch_claim(d);	/* there may be more due now */
	else {
		dispatch_arm(d, next);
		nv_ready(d->nv);
	}
}

static void
dispatch_claim(struct dispatch *d)
{
	struct nv	*nv = d->nv;
	char		 now[32], batch[16], grace[32], late[32];
	const char	*argv[10];

	if (d->claiming || d->stopped || !store_is_up(nv->store))
		return;
	snprintf(now, sizeof(now), "%lld", (long long)clock_now_ms());
	snprintf(batch, sizeof(batch), "%d", nv->conf->batch);
	snprintf(grace, sizeof(grace), "%lld", (long long)nv->conf->grace_ms);
	snprintf(late, sizeof(late), "%d", NV_LATE_AFTER_MS);
	argv[0] = nv->keys.due;
	argv[1] = nv->keys.reminders;
	argv[2] = nv->keys.attempts;
	argv[3] = nv->keys.state;
	argv[4] = nv->keys.outbox;
	argv[5] = nv->keys.log;
	argv[6] = now;
	argv[7] = batch;
	argv[8] = grace;
	argv[9] = late;
	if (store_script(nv->store, SCRIPT_CLAIM, dispatch_claim_reply, d, 6,
	    10, argv) == 0)
		d->claiming = 1;
}

static void
dispatch_due_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;

	(void)fd;
	(void)what;
	d->next_due = -1;
	dispatch_claim(d);
}

static struct job *
dispatch_find(struct dispatch *d, const char *entry)
{
	struct job	*j;

	for (j = d->byentry[dispatch_hash(entry)]; j; j = j->hnext)
		if (strcmp(j->entry, entry) == 0)
			return j;
	return NULL;
}

static const char *
dispatch_field(redisReply *fields, const char *name, size_t *len)
{
	size_t	i;

	for (i = 0; i + 1 < fields->elements; i += 2)
		if (fields->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(fields->element[i]->str, name) == 0 &&
		    fields->element[i + 1]->type == REDIS_REPLY_STRING) {
			if (len)
				*len = fields->element[i + 1]->len;
			return fields->element[i + 1]->str;
		}
	return NULL;
}

/* A job that cannot be sent: record it dead at once, with the reason. */
static void __attribute__((format(printf, 2, 3)))
dispatch_reject(struct job *j, const char *fmt, ...)
{
	va_list	ap;

	j->res.verdict = VERDICT_PERMANENT;
	j->res.retry_after_s = -1;
	va_start(ap, fmt);
	vsnprintf(j->res.detail, sizeof(j->res.detail), fmt, ap);
	va_end(ap);
	log_err("reminder %s: %s", j->rid, j->res.detail);
	j->state = JOB_SENDING;
	dispatch_job_done(j, &j->res);
}

/* One outbox entry read from the group becomes a job, unless we hold it. */
static void
dispatch_add(struct dispatch *d, redisReply *e)
{
	struct job	*j;
	redisReply	*fields;
	const char	*rid, *v, *payload;
	size_t		 plen = 0;
	char		 err[200];

	if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
	    e->element[0]->type != REDIS_REPLY_STRING)
		return;
	if (dispatch_find(d, e->element[0]->str) != NULL)
		return;
	fields = e->element[1];
	if ((j = calloc(1, sizeof(*j))) == NULL)
		fatal("calloc");
	j->d = d;
	j->state = JOB_QUEUED;
	snprintf(j->entry, sizeof(j->entry), "%s", e->element[0]->str);
	j->hnext = d->byentry[dispatch_hash(j->entry)];
	d->byentry[dispatch_hash(j->entry)] = j;
	TAILQ_INSERT_TAIL(&d->all, j, all);
	d->njobs++;
	if (fields->type != REDIS_REPLY_ARRAY ||
	    (rid = dispatch_field(fields, "id", NULL)) == NULL) {
		j->rid = strdup("(unknown)");
		dispatch_reject(j, "outbox entry %s in %s has no reminder id",
		    j->entry, d->nv->keys.outbox);
		return;
	}
	if ((j->rid = strdup(rid)) == NULL)
		fatal("strdup");
	j->attempt = (v = dispatch_field(fields, "attempt", NULL)) ?
	    atoi(v) : 1;
	j->late = (v = dispatch_field(fields, "late", NULL)) ? atoi(v) : 0;
	j->fire_at = (v = dispatch_field(fields, "fire_at", NULL)) ?
	    (int64_t)strtod(v, NULL) : clock_now_ms();
	payload = dispatch_field(fields, "payload", &plen);
	if (reminder_parse(&j->r, payload, plen, err, sizeof(err)) == -1) {
		dispatch_reject(j, "bad payload in %s: %.120s",
		    d->nv->keys.reminders, err);
		return;
	}
	j->r.fire_at = j->fire_at;
	j->r.attempt = j->attempt;
	j->r.late = j->late;
	if ((j->ch = dispatch_channel(d, j->r.channel)) == NULL) {
		dispatch_reject(j, "channel '%s' is not configured in %s",
		    j->r.channel, d->nv->conf_path);
		return;
	}
	TAILQ_INSERT_TAIL(&j->ch->queue, j, link);
	dispatch_pump(j->ch);
}

static void
dispatch_read_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	redisReply	*entries, *last;
	size_t		 i, n = 0;
	int		 history = strcmp(d->cursor, ">") != 0;

	d->reading = 0;
	if (r == NULL || d->stopped)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		log_err("reading %s failed: %s", d->nv->keys.outbox, r->str);
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->elements == 2) {
		entries = r->element[0]->element[1];
		n = entries->elements;
		for (i = 0; i < n; i++)
			dispatch_add(d, entries->element[i]);
		if (history && n > 0) {
			last = entries->element[n - 1];
			if (last->type == REDIS_REPLY_ARRAY &&
			    last->elements > 0)
				snprintf(d->cursor, sizeof(d->cursor), "%s",
				    last->element[0]->str);
		}
	}
	if (history && n == 0)
		snprintf(d->cursor, sizeof(d->cursor), ">");
	/* Nothing new beyond this until a claim or a sweep says otherwise. */
	if (!history && n < d->asked)
		d->drained = 1;
	if (history || n > 0)
		dispatch_read(d);	/* more history, or maybe more new */
}

/* Read as many entries as there is room for: our history first, then new. */
static void
dispatch_read(struct dispatch *d)
{
	struct nv	*nv = d->nv;
	size_t		 cap = dispatch_capacity(d);
	char		 count[24];
	const char	*argv[] = { "XREADGROUP", "GROUP", KEYS_GROUP,
	    nv->consumer, "COUNT", count, "STREAMS", nv->keys.outbox,
	    d->cursor };

	if (d->reading || d->stopped || d->njobs >= cap ||
	    !store_is_up(nv->store) ||
	    (d->drained && strcmp(d->cursor, ">") == 0))
		return;
	d->asked = cap - d->njobs;
	snprintf(count, sizeof(count), "%zu", d->asked);
	if (store_command(nv->store, dispatch_read_reply, d, 9, argv,
	    NULL) == 0)
		d->reading = 1;
}

static void
dispatch_reclaim_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	size_t		 i;

	if (r == NULL || d->stopped)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 2) {
		log_err("XAUTOCLAIM on %s failed: %s", d->nv->keys.outbox,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		return;
	}
	if (r->element[0]->type == REDIS_REPLY_STRING)
		snprintf(d->reclaim, sizeof(d->reclaim), "%s",
		    r->element[0]->str);
	if (r->element[1]->elements > 0)
		log_notice("took over %zu outbox entries left by a stopped "
		    "instance", r->element[1]->elements);
	for (i = 0; i < r->element[1]->elements; i++)
		dispatch_add(d, r->element[1]->element[i]);
}

/*
 * The safety net, every half reclaim_idle: take over entries another
 * instance left pending, read what nobody read, claim what is due.
 */
static void
dispatch_sweep_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;
	struct nv	*nv = d->nv;
	size_t		 cap = dispatch_capacity(d);
	char		 idle[24], count[24];
	struct timeval	 tv;
	const char	*argv[] = { "XAUTOCLAIM", nv->keys.outbox, KEYS_GROUP,
	    nv->consumer, idle, d->reclaim, "COUNT", count };

	(void)fd;
	(void)what;
	if (d->stopped)
		return;
	if (store_is_up(nv->store) && d->njobs < cap) {
		snprintf(idle, sizeof(idle), "%lld",
		    (long long)nv->conf->reclaim_idle_ms);
		snprintf(count, sizeof(count), "%zu", cap - d->njobs);
		store_command(nv->store, dispatch_reclaim_reply, d, 8, argv,
		    NULL);
		d->drained = 0;
		dispatch_read(d);
		dispatch_claim(d);
	}
	tv.tv_sec = nv->conf->reclaim_idle_ms / 2000;
	tv.tv_usec = (nv->conf->reclaim_idle_ms / 2 % 1000) * 1000;
	evtimer_add(d->sweep_ev, &tv);
}

static void
dispatch_group_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;

	if (r && r->type == REDIS_REPLY_ERROR &&
	    strncmp(r->str, "BUSYGROUP", 9) != 0)
		log_err("cannot create group %s on %s: %s", KEYS_GROUP,
		    d->nv->keys.outbox, r->str);
}

/* Connected: record what waited, re-read our own pending, claim. */
void
dispatch_store_up(struct dispatch *d)
{
	struct nv	*nv = d->nv;
	struct job	*j;
	struct jobq	 q;

	store_commandf(nv->store, dispatch_group_reply, d,
	    "XGROUP CREATE %s %s 0 MKSTREAM", nv->keys.outbox, KEYS_GROUP);
	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &d->unrecorded, link);
	while ((j = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, j, link);
		dispatch_record(j);
	}
	snprintf(d->cursor, sizeof(d->cursor), "0-0");
	d->drained = 0;
	dispatch_read(d);
	dispatch_claim(d);
}

void
dispatch_store_down(struct dispatch *d)
{
	d->claiming = 0;
	d->reading = 0;
}

static const char *
dispatch_outcome(const struct job *j)
{
	if (j->deferred)
		return "defer";
	if (j->retry_at)
		return "retry";
	return j->res.verdict == VERDICT_OK ? "sent" : "dead";
}

/* Outcomes sent in one complete script call. */
struct batch {
	struct dispatch	*d;
	size_t		 n;
	struct job	*jobs[DISPATCH_BATCH];
};

static void
dispatch_unrecorded(struct job *j)
{
	j->state = JOB_UNRECORDED;
	TAILQ_INSERT_TAIL(&j->d->unrecorded, j, link);
}

static void
dispatch_batch_reply(void *arg, redisReply *r)
{
	struct batch	*b = arg;
	struct dispatch	*d = b->d;
	struct job	*j;
	struct timeval	 tv = { DISPATCH_RETRY_RECORD_MS / 1000, 0 };
	size_t		 i;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != b->n) {
		if (r)
			log_err("recording %zu outcomes failed: %s", b->n,
			    r->type == REDIS_REPLY_ERROR ? r->str :
			    "odd reply");
		for (i = 0; i < b->n; i++)
			dispatch_unrecorded(b->jobs[i]);
		if (r)
			evtimer_add(d->record_ev, &tv);
		free(b);
		return;
	}
	for (i = 0; i < b->n; i++) {
		j = b->jobs[i];
		if (r->element[i]->type == REDIS_REPLY_INTEGER &&
		    r->element[i]->integer == 0)
			log_notice("%s: outcome recorded after another "
			    "instance took the entry over", j->rid);
		if (j->retry_at)
			dispatch_wake(d, j->retry_at);
		if (j->fb_id)
			dispatch_wake(d, clock_now_ms());
		dispatch_finish(j);
	}
	free(b);
}

static void
dispatch_record_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;
	struct job	*j;
	struct jobq	 q;

	(void)fd;
	(void)what;
	if (!store_is_up(d->nv->store))
		return;
	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &d->unrecorded, link);
	while ((j = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, j, link);
		dispatch_record(j);
	}
}

/*
 * Every outcome known in this loop pass goes to Redis in complete script
 * calls of up to DISPATCH_BATCH: one round trip instead of one each.
 */
static void
dispatch_flush_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;
	struct nv	*nv = d->nv;
	struct batch	*b;
	struct job	*j;
	const char	**argv;
	char		(*num)[6][24];
	int		 argc;
	size_t		 i;

	(void)fd;
	(void)what;
	argv = calloc(8 + 14 * DISPATCH_BATCH, sizeof(*argv));
	num = calloc(DISPATCH_BATCH, sizeof(*num));
	if (argv == NULL || num == NULL)
		fatal("calloc");
	while (!TAILQ_EMPTY(&d->torecord)) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			fatal("calloc");
		b->d = d;
		argv[0] = nv->keys.outbox;
		argv[1] = nv->keys.state;
		argv[2] = nv->keys.log;
		argv[3] = nv->keys.due;
		argv[4] = nv->keys.reminders;
		argv[5] = nv->keys.attempts;
		argv[6] = nv->keys.dead;
		argv[7] = KEYS_GROUP;
		argc = 8;
		while (b->n < DISPATCH_BATCH &&
		    (j = TAILQ_FIRST(&d->torecord)) != NULL) {
			TAILQ_REMOVE(&d->torecord, j, link);
			i = b->n;
			b->jobs[b->n++] = j;
			snprintf(num[i][0], 24, "%ld", j->res.status);
			snprintf(num[i][1], 24, "%lld",
			    (long long)j->res.latency_ms);
			snprintf(num[i][2], 24, "%lld", (long long)j->retry_at);
			snprintf(num[i][3], 24, "%d", j->attempt);
			snprintf(num[i][4], 24, "%lld",
			    (long long)clock_now_ms());
			snprintf(num[i][5], 24, "%d", j->late);
			argv[argc++] = j->entry;
			argv[argc++] = j->rid;
			argv[argc++] = dispatch_outcome(j);
			argv[argc++] = j->ch ? j->ch->name :
			    (j->r.channel ? j->r.channel : "");
			argv[argc++] = num[i][0];
			argv[argc++] = num[i][1];
			argv[argc++] = j->res.detail;
			argv[argc++] = num[i][2];
			argv[argc++] = num[i][3];
			argv[argc++] = num[i][4];
			argv[argc++] = j->res.ref;
			argv[argc++] = num[i][5];
			argv[argc++] = j->fb_id ? j->fb_id : "";
			argv[argc++] = j->fb_payload ? j->fb_payload : "";
		}
		/* store_script copies argv: the buffers are ours again. */
		if (store_script(nv->store, SCRIPT_COMPLETE,
		    dispatch_batch_reply, b, 7, argc, argv) == -1) {
			for (i = 0; i < b->n; i++)
				dispatch_unrecorded(b->jobs[i]);
			free(b);
		}
	}
	free(argv);
	free(num);
}

/* A job whose outcome is known: recorded with the others of this pass. */
static void
dispatch_record(struct job *j)
{
	struct dispatch	*d = j->d;
	struct timeval	 tv = { 0, 0 };

	j->state = JOB_RECORDING;
	TAILQ_INSERT_TAIL(&d->torecord, j, link);
	if (!evtimer_pending(d->flush_ev, NULL))
		evtimer_add(d->flush_ev, &tv);
}

/* Exponential back-off with jitter: half to all of base * 2^(n-1). */
static int64_t
dispatch_backoff(const struct config *c, int attempt)
{
	int64_t	d = c->retry_base_ms;
	int	i;

	for (i = 1; i < attempt && d < c->retry_max_ms; i++)
		d *= 2;
	if (d > c->retry_max_ms)
		d = c->retry_max_ms;
	return d / 2 + (int64_t)(random() % (d / 2 + 1));
}

static struct planner *
dispatch_planner(const struct job *j)
{
	return j->d->nv->planner;
}

/*
 * A dead letter on a channel with `fallback =`: the same reminder on the
 * fallback channel, to the agency's address for that channel, recorded in
 * the same step as the dead letter.
 */
static void
dispatch_fallback(struct job *j)
{
	struct dispatch			*d = j->d;
	const struct config_channel	*fb;
	json_t				*o;
	const char			*contact = NULL;

	if (j->ch == NULL || j->ch->cfg->fallback == NULL || j->r.json == NULL)
		return;
	if (strstr(j->rid, "~fallback-") != NULL)
		return;		/* never a chain */
	fb = config_channel_find(d->nv->conf, j->ch->cfg->fallback);
	if (fb == NULL)
		return;
	if (fb->contact == NULL)
		contact = j->r.contact;
	else if (strcmp(fb->contact, "email") == 0)
		contact = j->r.email;
	else if (strcmp(fb->contact, "phone") == 0)
		contact = j->r.phone;
	else if (strcmp(fb->contact, "zalo") == 0)
		contact = j->r.zalo;
	if (contact == NULL) {
		log_warnx("%s: no fallback on %s: agency %s has no %s",
		    j->rid, fb->name, j->r.agency, fb->contact);
		return;
	}
	if (asprintf(&j->fb_id, "%s~fallback-%s", j->rid, fb->name) == -1)
		fatal("asprintf");
	o = json_deep_copy(j->r.json);
	json_object_set_new(o, "id", json_string(j->fb_id));
	json_object_set_new(o, "channel", json_string(fb->name));
	json_object_set_new(o, "contact", json_string(contact));
	j->fb_payload = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	log_notice("%s: falling back to channel %s", j->rid, fb->name);
}

void
dispatch_job_done(struct job *j, const struct result *res)
{
	const struct config	*c = j->d->nv->conf;
	struct channel		*ch = j->ch;
	int64_t			 wait;

	if (&j->res != res)
		j->res = *res;
	j->retry_at = 0;
	switch (res->verdict) {
	case VERDICT_OK:
		if (ch)
			ch->sent++;
		log_info("sent %s via %s%s (%ld, %lld ms)", j->rid,
		    ch ? ch->name : "-",
		    j->late ? ", late" : "", res->status,
		    (long long)res->latency_ms);
		break;
	case VERDICT_TRANSIENT:
		if (ch)
			ch->failed++;
		if (j->attempt < c->max_attempts) {
			wait = dispatch_backoff(c, j->attempt);
			if (res->retry_after_s >= 0 &&
			    res->retry_after_s * 1000 > wait)
				wait = res->retry_after_s * 1000;
			j->retry_at = clock_now_ms() + wait;
			/* Planned reminders retry within [delivery] hours. */
			if (j->r.spec != NULL && dispatch_planner(j) != NULL)
				j->retry_at = planner_within_hours(dispatch_planner(j),
				    j->retry_at);
			if (j->r.expires_at > 0 && j->retry_at >= j->r.expires_at) {
				/* Never past the occurrence's end. */
				j->retry_at = 0;
				snprintf(j->res.detail, sizeof(j->res.detail),
				    "expired: the occurrence ended before the "
				    "next try (%.180s)", res->detail);
				goto permanent;
			}
			if (ch)
				ch->retried++;
			log_warnx("%s via %s failed (attempt %d of %d): %s; "
			    "retrying in %llds", j->rid, ch ? ch->name : "-",
			    j->attempt, c->max_attempts, res->detail,
			    (long long)(wait / 1000));
			break;
		}
		snprintf(j->res.detail, sizeof(j->res.detail),
		    "gave up after %d attempts: %.200s", j->attempt,
		    res->detail);
		/* FALLTHROUGH */
	case VERDICT_PERMANENT:
	permanent:
		j->res.verdict = VERDICT_PERMANENT;
		if (ch)
			ch->dead++;
		log_err("%s via %s: dead letter: %s", j->rid,
		    ch ? ch->name : "-", j->res.detail);
		dispatch_fallback(j);
		break;
	case VERDICT_DEFER:
		wait = res->retry_after_s >= 0 ? res->retry_after_s * 1000 :
		    DISPATCH_DEFER_MS;
		j->retry_at = clock_now_ms() + wait;
		j->deferred = 1;
		log_debug("%s deferred %llds: %s", j->rid,
		    (long long)(wait / 1000), res->detail);
		break;
	}
	dispatch_record(j);
}

static struct channel *
dispatch_channel_new(struct dispatch *d, const struct config_channel *cc,
    char *err, size_t len)
{
	struct channel	*ch;

	if ((ch = calloc(1, sizeof(*ch))) == NULL ||
	    (ch->name = strdup(cc->name)) == NULL)
		fatal("calloc");
	ch->nv = d->nv;
	ch->cfg = cc;
	ch->ops = channel_types[cc->type];
	TAILQ_INIT(&ch->queue);
	if ((ch->rate_ev = evtimer_new(d->nv->base, dispatch_rate_event,
	    ch)) == NULL)
		fatal("evtimer_new");
	if (ch->ops == NULL) {
		snprintf(err, len, "channel %s: type %s is not supported yet",
		    cc->name, config_channel_type_name(cc->type));
		ch->ops = NULL;
		dispatch_channel_free(ch);
		return NULL;
	}
	if (ch->ops->init && ch->ops->init(ch, err, len) == -1) {
		ch->ops = NULL;		/* nothing to undo */
		dispatch_channel_free(ch);
		return NULL;
	}
	ch->rate_at = dispatch_mono_ms();
	ch->tokens = 1;
	return ch;
}

static void
dispatch_channel_free(struct channel *ch)
{
	if (ch->ops && ch->ops->free)
		ch->ops->free(ch);
	if (ch->rate_ev)
		event_free(ch->rate_ev);
	config_channel_free(ch->own_cfg);
	free(ch->name);
	free(ch);
}

/*
 * A channel takes up new settings (ch->cfg already points at them): its own
 * way when it keeps state across (zalo's token), else a fresh init whose
 * result replaces the old one only when it worked.
 */
static int
dispatch_channel_retake(struct channel *ch, char *err, size_t len)
{
	struct channel	 old;
	void		*prev = ch->priv;

	if (ch->ops->reconfigure)
		return ch->ops->reconfigure(ch, err, len);
	if (ch->ops->init == NULL)
		return 0;
	ch->priv = NULL;
	if (ch->ops->init(ch, err, len) == -1) {
		ch->priv = prev;
		return -1;
	}
	old = *ch;
	old.priv = prev;
	if (ch->ops->free)
		ch->ops->free(&old);
	return 0;
}

/*
 * Before a reload swaps anything: can every channel of the new config
 * start (secrets readable, settings complete)? Each is tried on a scratch
 * channel and let go.
 */
int
dispatch_check(struct dispatch *d, const struct config *c, char *err,
    size_t len)
{
	struct channel			 tmp;
	const struct channel_ops	*ops;
	size_t				 i;

	for (i = 0; i < c->nchannels; i++) {
		ops = channel_types[c->channels[i].type];
		if (ops == NULL || ops->init == NULL)
			continue;
		memset(&tmp, 0, sizeof(tmp));
		tmp.nv = d->nv;
		tmp.name = c->channels[i].name;
		tmp.cfg = &c->channels[i];
		tmp.ops = ops;
		TAILQ_INIT(&tmp.queue);
		if (ops->init(&tmp, err, len) == -1)
			return -1;
		if (ops->free)
			ops->free(&tmp);
	}
	return 0;
}

int
dispatch_reconfigure(struct dispatch *d, char *err, size_t len)
{
	const struct config	*c = d->nv->conf;
	const struct config_channel *cc;
	struct channel		*ch, *fresh;
	struct job		*j;
	size_t			 i;

	/* Build what is new first, so a failure changes nothing. */
	for (i = 0; i < c->nchannels; i++) {
		cc = &c->channels[i];
		ch = dispatch_channel(d, cc->name);
		if (ch == NULL || ch->cfg->type != cc->type) {
			if ((fresh = dispatch_channel_new(d, cc, err,
			    len)) == NULL)
				return -1;
			fresh->removed = -1;	/* not live yet */
			TAILQ_INSERT_TAIL(&d->channels, fresh, link);
		}
	}
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed == 1)
			continue;
		if (ch->removed == -1) {
			ch->removed = 0;
			continue;
		}
		cc = config_channel_find(c, ch->name);
		if (cc != NULL && cc->type == ch->cfg->type) {
			ch->cfg = cc;
			if (dispatch_channel_retake(ch, err, len) == -1)
				log_err("reload: channel %s: %s; it keeps its "
				    "previous settings", ch->name, err);
			continue;
		}
		/*
		 * Gone or retyped: queued work moves or dies, in-flight ends.
		 * Its settings are copied: the old config is freed next.
		 */
		ch->removed = 1;
		ch->own_cfg = config_channel_dup(ch->cfg);
		ch->cfg = ch->own_cfg;
		fresh = cc ? dispatch_channel(d, ch->name) : NULL;
		while ((j = TAILQ_FIRST(&ch->queue)) != NULL) {
			TAILQ_REMOVE(&ch->queue, j, link);
			if (fresh) {
				j->ch = fresh;
				TAILQ_INSERT_TAIL(&fresh->queue, j, link);
			} else {
				j->ch = NULL;
				dispatch_reject(j, "channel '%s' was removed "
				    "from %s", ch->name, d->nv->conf_path);
			}
		}
	}
	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed)
			dispatch_pump(ch);
	return 0;
}

struct dispatch *
dispatch_new(struct nv *nv)
{
	struct dispatch	*d;
	char		 err[256];
	struct timeval	 tv;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->nv = nv;
	nv->dispatch = d;
	d->next_due = -1;
	TAILQ_INIT(&d->channels);
	TAILQ_INIT(&d->all);
	TAILQ_INIT(&d->unrecorded);
	TAILQ_INIT(&d->torecord);
	snprintf(d->cursor, sizeof(d->cursor), "0-0");
	snprintf(d->reclaim, sizeof(d->reclaim), "0-0");
	d->due_ev = evtimer_new(nv->base, dispatch_due_event, d);
	d->sweep_ev = evtimer_new(nv->base, dispatch_sweep_event, d);
	d->record_ev = evtimer_new(nv->base, dispatch_record_event, d);
	d->flush_ev = evtimer_new(nv->base, dispatch_flush_event, d);
	if (d->due_ev == NULL || d->sweep_ev == NULL || d->record_ev == NULL ||
	    d->flush_ev == NULL)
		fatalx("out of memory");
	if (dispatch_reconfigure(d, err, sizeof(err)) == -1) {
		log_err("%s", err);
		dispatch_free(d);
		return NULL;
	}
	tv.tv_sec = nv->conf->reclaim_idle_ms / 2000;
	tv.tv_usec = (nv->conf->reclaim_idle_ms / 2 % 1000) * 1000;
	evtimer_add(d->sweep_ev, &tv);
	return d;
}

void
dispatch_stop(struct dispatch *d, void (*idle)(void *), void *arg)
{
	struct channel	*ch;
	struct job	*j;

	d->stopped = 1;
	d->idle = idle;
	d->idle_arg = arg;
	evtimer_del(d->due_ev);
	evtimer_del(d->sweep_ev);
	/* Not yet started: they stay pending in the group for a restart. */
	TAILQ_FOREACH(ch, &d->channels, link)
		while ((j = TAILQ_FIRST(&ch->queue)) != NULL) {
			TAILQ_REMOVE(&ch->queue, j, link);
			job_free(j);
		}
	dispatch_check_idle(d);
}

int
dispatch_busy(const struct dispatch *d)
{
	return d->njobs > 0;
}

void
dispatch_free(struct dispatch *d)
{
	struct channel	*ch;

	if (d == NULL)
		return;
	while (!TAILQ_EMPTY(&d->all))
		job_free(TAILQ_FIRST(&d->all));
	while ((ch = TAILQ_FIRST(&d->channels)) != NULL) {
		TAILQ_REMOVE(&d->channels, ch, link);
		dispatch_channel_free(ch);
	}
	if (d->due_ev)
		event_free(d->due_ev);
	if (d->sweep_ev)
		event_free(d->sweep_ev);
	if (d->record_ev)
		event_free(d->record_ev);
	if (d->flush_ev)
		event_free(d->flush_ev);
	if (d->nv->dispatch == d)
		d->nv->dispatch = NULL;
	free(d);
}

/* Prometheus text for /metrics. */
void
dispatch_stats(struct dispatch *d, struct evbuffer *b)
{
	struct channel	*ch;

	evbuffer_add_printf(b, "# TYPE nhacviec_claimed_total counter\n"
	    "nhacviec_claimed_total %llu\n"
	    "# TYPE nhacviec_missed_total counter\n"
	    "nhacviec_missed_total %llu\n"
	    "# TYPE nhacviec_jobs gauge\nnhacviec_jobs %zu\n",
	    (unsigned long long)d->claimed, (unsigned long long)d->missed,
	    d->njobs);
	evbuffer_add_printf(b, "# TYPE nhacviec_sent_total counter\n"
	    "# TYPE nhacviec_failed_total counter\n"
	    "# TYPE nhacviec_retried_total counter\n"
	    "# TYPE nhacviec_dead_total counter\n"
	    "# TYPE nhacviec_inflight gauge\n");
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed)
			continue;
		evbuffer_add_printf(b,
		    "nhacviec_sent_total{channel=\"%s\"} %llu\n"
		    "nhacviec_failed_total{channel=\"%s\"} %llu\n"
		    "nhacviec_retried_total{channel=\"%s\"} %llu\n"
		    "nhacviec_dead_total{channel=\"%s\"} %llu\n"
		    "nhacviec_inflight{channel=\"%s\"} %d\n"
		    "nhacviec_channel_paused{channel=\"%s\"} %d\n",
		    ch->name, (unsigned long long)ch->sent,
		    ch->name, (unsigned long long)ch->failed,
		    ch->name, (unsigned long long)ch->retried,
		    ch->name, (unsigned long long)ch->dead,
		    ch->name, ch->inflight, ch->name, ch->paused);
	}
}
