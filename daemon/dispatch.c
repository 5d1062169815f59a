/* The dispatcher's frame: jobs in memory, health, alerts, start and stop; the pipeline is claim.c → channel.c → ledger.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "clock.h"
#include "dispatch.h"
#include "log.h"
#include "planstore.h"
#include "scripts.h"
#include "xmalloc.h"

int64_t
dispatch_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned
dispatch_hash(const char *entry)
{
	unsigned	h = 2166136261u;

	for (; *entry; entry++)
		h = (h ^ (unsigned char)*entry) * 16777619u;
	return h & (DISPATCH_BUCKETS - 1);
}

struct job *
dispatch_job_find(struct dispatch *d, const char *entry)
{
	struct job	*j;

	for (j = d->byentry[dispatch_hash(entry)]; j; j = j->hnext)
		if (strcmp(j->entry, entry) == 0)
			return j;
	return NULL;
}

struct job *
dispatch_job_new(struct dispatch *d, const char *entry)
{
	struct job	*j;
	unsigned	 h;

	j = xcalloc(1, sizeof(*j));
	j->d = d;
	j->state = JOB_QUEUED;
	TAILQ_INIT(&j->members);
	snprintf(j->entry, sizeof(j->entry), "%s", entry);
	h = dispatch_hash(j->entry);
	j->hnext = d->byentry[h];
	d->byentry[h] = j;
	TAILQ_INSERT_TAIL(&d->all, j, all);
	d->njobs++;
	return j;
}

void
dispatch_job_free(struct job *j)
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
	reporter_job_free(j);
	channel_job_forget(j);
	reminder_clear(&j->r);
	free(j->rid);
	free(j->fb_id);
	free(j->fb_payload);
	free(j->fb_skip);
	free(j);
}

/* Stopping and nothing in memory: give our name up, then say so. */
static void
dispatch_check_idle(struct dispatch *d)
{
	if (d->stopped && d->njobs == 0 && d->idle)
		lease_release(d);
}

/* claim.c: the lease is given up (or Redis is away): report idle. */
void
dispatch_idle(struct dispatch *d)
{
	void	(*idle)(void *) = d->idle;

	d->idle = NULL;
	if (idle)
		idle(d->idle_arg);
}

void
dispatch_finish(struct job *j)
{
	struct dispatch	*d = j->d;
	struct channel	*ch = j->ch;

	channel_slot_release(j);
	dispatch_job_free(j);
	if (ch)
		channel_pump(ch);
	claim_more(d);
	dispatch_check_idle(d);
}

size_t
dispatch_capacity(const struct dispatch *d)
{
	const struct channel	*ch;
	size_t			 sum = 0;

	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed)
			sum += (size_t)ch->cfg->concurrency * DISPATCH_AHEAD;
	return sum > 0 ? sum : 1;
}

int64_t
dispatch_redis_ms(const struct dispatch *d)
{
	struct timespec	ts;

	if (d->raw_at > 0)
		return d->raw_at + (dispatch_mono_ms() - d->mono_at);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
dispatch_fault(struct dispatch *d, enum fault f, const char *fmt, ...)
{
	va_list	ap;

	if (fmt == NULL) {
		if (d->fault_since[f])
			log_notice("recovered: %s", d->fault_why[f]);
		d->fault_since[f] = 0;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(d->fault_why[f], sizeof(d->fault_why[f]), fmt, ap);
	va_end(ap);
	if (d->fault_since[f] == 0)
		d->fault_since[f] = dispatch_mono_ms();
}

/*
 * Is delivery going on? Not when claims, reads or records have failed for
 * longer than [delivery] unhealthy_after, or the consumer name is held by
 * another process; why goes to buf.
 */
int
dispatch_healthy(const struct dispatch *d, char *buf, size_t len)
{
	int64_t	now = dispatch_mono_ms();
	int	f;

	for (f = 0; f < FAULT_COUNT; f++)
		if (d->fault_since[f] && (f == FAULT_LEASE ||
		    now - d->fault_since[f] >= d->nv->conf->unhealthy_after_ms)) {
			snprintf(buf, len, "%s (for %llds)", d->fault_why[f],
			    (long long)(now - d->fault_since[f]) / 1000);
			return 0;
		}
	snprintf(buf, len, "ok");
	return 1;
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
	const char	*argv[3];
	char		*id = NULL, *payload, at[24];
	int64_t		 now = clock_now_ms();

	log_crit("ALERT: %s: %s", subject, text);
	if (nv->conf->alert_email == NULL || nv->conf->alert_channel == NULL) {
		log_warnx("no [alert] email and channel configured: the alert "
		    "above is in this log only");
		return;
	}
	payload = planstore_adhoc(nv->plan, &id, "alert", "Quản trị nhacviec",
	    NULL, nv->conf->alert_email, nv->conf->alert_channel, subject, text,
	    now);
	if (payload == NULL)
		fatal("out of memory");
	snprintf(at, sizeof(at), "%lld", (long long)now);
	argv[0] = id;
	argv[1] = at;
	argv[2] = payload;
	if (script_run(nv, SCRIPT_ENQUEUE, dispatch_alert_reply, d, 3,
	    argv) == -1)
		log_crit("the alert could not be queued: Redis unreachable");
	free(id);
	free(payload);
}

void
dispatch_wake(struct dispatch *d, int64_t at)
{
	(void)at;
	if (d->stopped)
		return;
	d->drained = 0;
	d->more_due = 1;
	claim_more(d);
}

void
dispatch_store_up(struct dispatch *d)
{
	channels_pauses_read(d);	/* before any entry is taken */
	ledger_store_up(d);
	claim_store_up(d);
}

void
dispatch_store_down(struct dispatch *d)
{
	claim_store_down(d);
}

int
dispatch_check(struct dispatch *d, const struct config *c, char *err,
    size_t len)
{
	return channels_check(d, c, err, len);
}

int
dispatch_reconfigure(struct dispatch *d, char *err, size_t len)
{
	return channels_reconfigure(d, err, len);
}

struct dispatch *
dispatch_new(struct nv *nv)
{
	struct dispatch	*d;
	char		 err[256];

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->nv = nv;
	nv->dispatch = d;
	TAILQ_INIT(&d->channels);
	TAILQ_INIT(&d->all);
	ledger_init(d);
	claim_init(d);
	channels_init(d);
	if (channels_reconfigure(d, err, sizeof(err)) == -1) {
		log_err("%s", err);
		dispatch_free(d);
		return NULL;
	}
	return d;
}

/* Stop claiming; jobs not started go back to due; report when idle. */
void
dispatch_stop(struct dispatch *d, void (*idle)(void *), void *arg)
{
	struct channel	*ch;
	struct job	*j;

	d->stopped = 1;
	d->idle = idle;
	d->idle_arg = arg;
	claim_stop(d);
	TAILQ_FOREACH(ch, &d->channels, link)
		while ((j = TAILQ_FIRST(&ch->queue)) != NULL) {
			channel_unlink(j);
			ledger_defer(j, "not started before the daemon stopped",
			    0);
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
	if (d == NULL)
		return;
	while (!TAILQ_EMPTY(&d->all))
		dispatch_job_free(TAILQ_FIRST(&d->all));
	channels_free(d);
	claim_free(d);
	ledger_free(d);
	if (d->nv->dispatch == d)
		d->nv->dispatch = NULL;
	free(d);
}

/* Prometheus text for /metrics. */
void
dispatch_stats(struct dispatch *d, struct evbuffer *b)
{
	struct channel	*ch;
	char		 why[256];
	int		 f;

	evbuffer_add_printf(b, "# TYPE nhacviec_claimed_total counter\n"
	    "nhacviec_claimed_total %llu\n"
	    "# TYPE nhacviec_missed_total counter\n"
	    "nhacviec_missed_total %llu\n"
	    "# TYPE nhacviec_dropped_total counter\n"
	    "nhacviec_dropped_total %llu\n"
	    "# TYPE nhacviec_jobs gauge\nnhacviec_jobs %zu\n"
	    "# TYPE nhacviec_healthy gauge\nnhacviec_healthy %d\n",
	    (unsigned long long)d->claimed, (unsigned long long)d->missed,
	    (unsigned long long)d->dropped, d->njobs,
	    dispatch_healthy(d, why, sizeof(why)));
	evbuffer_add_printf(b, "# TYPE nhacviec_failing_seconds gauge\n");
	for (f = 0; f < FAULT_COUNT; f++) {
		static const char *const names[FAULT_COUNT] = {
			[FAULT_CLAIM] = "claim", [FAULT_TAKE] = "take",
			[FAULT_RECORD] = "record", [FAULT_LEASE] = "lease",
		};

		evbuffer_add_printf(b, "nhacviec_failing_seconds{step=\"%s\"} "
		    "%lld\n", names[f], d->fault_since[f] ?
		    (long long)(dispatch_mono_ms() - d->fault_since[f]) / 1000 :
		    0LL);
	}
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
