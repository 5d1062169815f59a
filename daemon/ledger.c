/* Outcomes: the retry decision, fallbacks, and every outcome recorded in Redis in batches, kept in memory while Redis is away. */
#include <stdarg.h>
#include <syslog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "plan.h"
#include "planstore.h"
#include "dispatch.h"
#include "log.h"
#include "retry.h"
#include "schedule.h"
#include "scripts.h"
#include "text.h"
#include "xmalloc.h"

#define LEDGER_RETRY_RECORD_MS	2000
#define LEDGER_BATCH		64	/* outcomes per complete call */
#define LEDGER_ALERT_EVERY_MS	(10 * 60000)	/* expired-retry alerts */

static void	ledger_record(struct job *);

static const char *
ledger_outcome(const struct job *j)
{
	if (j->skip)
		return "skipped";
	if (j->held)
		return "hold";
	if (j->deferred)
		return "defer";
	if (j->retry_at)
		return "retry";
	return j->res.verdict == VERDICT_OK ? "sent" : "dead";
}

/*
 * An outcome as complete.lua reads it: the values of ledger_fields, in that
 * order, every one a string. The names travel with each call, so this
 * table is the one definition of the record on both sides.
 */
static const char *const ledger_fields[] = {
	"entry", "id", "outcome", "channel", "status", "latency_ms", "detail",
	"retry_at", "attempt", "at", "ref", "late", "fb_id", "fb_payload",
	"fb_skip", "task", "agency",
};
#define LEDGER_NFIELDS	(sizeof(ledger_fields) / sizeof(ledger_fields[0]))

/* One record's text values, owned by rec (its buffers) or by the job. */
struct record {
	char		 num[6][24];
	char		 detail[sizeof(((struct result *)0)->detail)];
	char		 ref[sizeof(((struct result *)0)->ref)];
	const char	*v[LEDGER_NFIELDS];
};

static void
ledger_record_fill(struct record *rec, const struct job *j)
{
	const char	**v = rec->v;

	/* snprintf may have cut inside a character: keep whole ones. */
	text_printable(rec->detail, sizeof(rec->detail), j->res.detail,
	    strlen(j->res.detail));
	text_printable(rec->ref, sizeof(rec->ref), j->res.ref,
	    strlen(j->res.ref));
	snprintf(rec->num[0], sizeof(rec->num[0]), "%ld", j->res.status);
	snprintf(rec->num[1], sizeof(rec->num[1]), "%lld",
	    (long long)j->res.latency_ms);
	snprintf(rec->num[2], sizeof(rec->num[2]), "%lld",
	    (long long)j->retry_at);
	snprintf(rec->num[3], sizeof(rec->num[3]), "%d", j->attempt);
	snprintf(rec->num[4], sizeof(rec->num[4]), "%lld",
	    (long long)clock_now_ms());
	snprintf(rec->num[5], sizeof(rec->num[5]), "%d", j->late);
	v[0] = j->entry;
	v[1] = j->rid;
	v[2] = ledger_outcome(j);
	v[3] = j->ch ? j->ch->name : (j->r.channel ? j->r.channel : "");
	v[4] = rec->num[0];
	v[5] = rec->num[1];
	v[6] = rec->detail;
	v[7] = rec->num[2];
	v[8] = rec->num[3];
	v[9] = rec->num[4];
	v[10] = rec->ref;
	v[11] = rec->num[5];
	v[12] = j->fb_id ? j->fb_id : "";
	v[13] = j->fb_payload ? j->fb_payload : "";
	v[14] = j->fb_skip ? j->fb_skip : "";
	v[15] = j->r.task ? j->r.task : "";
	v[16] = j->r.agency ? j->r.agency : "";
}

static void
ledger_unrecorded(struct job *j)
{
	j->state = JOB_UNRECORDED;
	TAILQ_INSERT_TAIL(&j->d->unrecorded, j, link);
}

/* Outcomes sent in one complete script call. */
struct batch {
	struct dispatch	*d;
	size_t		 n;
	struct job	*jobs[LEDGER_BATCH];
};

static void
ledger_batch_reply(void *arg, redisReply *r)
{
	struct batch	*b = arg;
	struct dispatch	*d = b->d;
	struct job	*j;
	redisReply	*e;
	struct timeval	 tv = { LEDGER_RETRY_RECORD_MS / 1000, 0 };
	struct timeval	 now = { 0, 0 };
	size_t		 i;

	/* What came in meanwhile goes in the next call. */
	d->recording--;
	if (!TAILQ_EMPTY(&d->torecord) && !evtimer_pending(d->flush_ev, NULL))
		evtimer_add(d->flush_ev, &now);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != b->n) {
		if (r) {
			dispatch_fault(d, FAULT_RECORD, "recording outcomes in "
			    "%s failed: %.120s", d->nv->keys.log,
			    r->type == REDIS_REPLY_ERROR ? r->str :
			    "odd reply");
			log_err("%s", d->fault_why[FAULT_RECORD]);
		}
		for (i = 0; i < b->n; i++)
			ledger_unrecorded(b->jobs[i]);
		if (r)
			evtimer_add(d->record_ev, &tv);
		free(b);
		return;
	}
	dispatch_fault(d, FAULT_RECORD, NULL);
	for (i = 0; i < b->n; i++) {
		j = b->jobs[i];
		e = r->element[i];
		if (e->type == REDIS_REPLY_STRING)
			log_notice("%s: outcome recorded in the ledger only: "
			    "outbox entry %s is held by %s now", j->rid,
			    j->entry, e->str);
		else if (e->type == REDIS_REPLY_INTEGER && e->integer == 0)
			log_warnx("%s: outbox entry %s was no longer pending "
			    "(acknowledged by hand, or lost with a Redis that "
			    "came back from an older copy): outcome %s applied "
			    "all the same", j->rid, j->entry,
			    ledger_outcome(j));
		if (j->retry_at || j->fb_id)
			dispatch_wake(d, j->retry_at ? j->retry_at :
			    clock_now_ms());
		dispatch_finish(j);
	}
	free(b);
}

/*
 * Outcomes go to Redis in complete script calls of up to LEDGER_BATCH: one
 * round trip instead of one each. While a call is in flight the next ones
 * gather, and go when it answers: the busier the daemon, the fuller each
 * call, and an idle daemon records at once.
 */
static void
ledger_flush_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;
	struct nv	*nv = d->nv;
	struct batch	*b;
	struct job	*j;
	struct record	*recs = d->recs;
	const char	**argv = d->rec_argv;
	char		 nf[8];
	size_t		 i, k, n, head = 3 + LEDGER_NFIELDS;

	(void)fd;
	(void)what;
	if (d->recording > 0)
		return;
	snprintf(nf, sizeof(nf), "%zu", LEDGER_NFIELDS);
	argv[0] = KEYS_GROUP;
	argv[1] = nv->consumer;
	argv[2] = nf;
	for (k = 0; k < LEDGER_NFIELDS; k++)
		argv[3 + k] = ledger_fields[k];
	while (!TAILQ_EMPTY(&d->torecord)) {
		b = xcalloc(1, sizeof(*b));
		b->d = d;
		while (b->n < LEDGER_BATCH &&
		    (j = TAILQ_FIRST(&d->torecord)) != NULL) {
			TAILQ_REMOVE(&d->torecord, j, link);
			ledger_record_fill(&recs[b->n], j);
			for (k = 0; k < LEDGER_NFIELDS; k++)
				argv[head + b->n * LEDGER_NFIELDS + k] =
				    recs[b->n].v[k];
			b->jobs[b->n++] = j;
		}
		n = b->n;
		/* script_run copies argv: the records are ours again. */
		if (script_run(nv, SCRIPT_COMPLETE, ledger_batch_reply, b,
		    (int)(head + n * LEDGER_NFIELDS), argv) == -1) {
			for (i = 0; i < n; i++)
				ledger_unrecorded(b->jobs[i]);
			free(b);
		} else
			d->recording++;
	}
}

/* A job whose outcome is known: recorded with the others of this pass. */
static void
ledger_record(struct job *j)
{
	struct dispatch	*d = j->d;
	struct timeval	 tv = { 0, 0 };

	j->state = JOB_RECORDING;
	TAILQ_INSERT_TAIL(&d->torecord, j, link);
	/* Its send is over: the slot goes to the next one now. */
	if (channel_slot_release(j))
		channel_pump_soon(j->ch);
	if (!evtimer_pending(d->flush_ev, NULL))
		evtimer_add(d->flush_ev, &tv);
}

static void
ledger_record_event(evutil_socket_t fd, short what, void *arg)
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
		ledger_record(j);
	}
}

/* Connected again: record what waited. */
void
ledger_store_up(struct dispatch *d)
{
	ledger_record_event(-1, 0, d);
}

/*
 * A dead letter on a channel with `fallback =`: the same reminder on the
 * fallback channel, to the agency's address for that channel, recorded in
 * the same step as the dead letter. Not when the task already sends this
 * reminder to the agency on that channel: one message, not two (the
 * ledger says `skipped` for the fallback, and why).
 */
static void
ledger_fallback(struct job *j)
{
	struct nv			*nv = j->d->nv;
	const struct config_channel	*fb;
	const struct plan_task		*t;
	char				 err[300];
	size_t				 i;

	if (j->ch == NULL || j->ch->cfg->fallback == NULL || j->r.id == NULL)
		return;
	if (strstr(j->rid, "~fallback-") != NULL)
		return;		/* never a chain */
	if ((fb = config_channel_find(nv->conf, j->ch->cfg->fallback)) == NULL)
		return;
	xasprintf(&j->fb_id, "%s~fallback-%s", j->rid, fb->name);
	if ((j->fb_payload = planstore_fallback(&j->r, j->fb_id, fb, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s: no fallback on %s: %s", j->rid, fb->name, err);
		free(j->fb_id);
		j->fb_id = NULL;
		return;
	}
	t = nv->plan && j->r.task ? plan_task_find(nv->plan, j->r.task) : NULL;
	for (i = 0; t && i < t->nchannels; i++) {
		if (strcmp(t->channels[i], fb->name) != 0)
			continue;
		xasprintf(&j->fb_skip, "fallback to %s skipped: task %s "
		    "sends this reminder to %s on %s already", fb->name, t->id,
		    j->r.agency, fb->name);
		free(j->fb_payload);
		j->fb_payload = NULL;
		log_notice("%s: %s", j->rid, j->fb_skip);
		return;
	}
	log_notice("%s: falling back to channel %s", j->rid, fb->name);
}

/* Planned reminders retry within [delivery] hours, in the plan's zone. */
static int64_t
ledger_hours(void *arg, int64_t ms)
{
	struct nv		*nv = arg;
	const struct config	*c = nv->conf;

	if (nv->plan == NULL)
		return ms;
	return schedule_within_hours(nv->plan, c->hours_start, c->hours_end,
	    ms);
}

/* A retry that would come after its occurrence ends: tell the admins. */
static void
ledger_expired_alert(struct job *j)
{
	struct dispatch	*d = j->d;
	int64_t		 now = dispatch_mono_ms();
	char		 text[512];

	if (d->expired_alert_at && now - d->expired_alert_at <
	    LEDGER_ALERT_EVERY_MS)
		return;
	d->expired_alert_at = now;
	snprintf(text, sizeof(text), "Nhắc việc %s không gửi được trước khi "
	    "hết hạn (%.200s). Xem `nhacviec dead`; những nhắc việc khác hết "
	    "hạn trong 10 phút tới chỉ ghi vào nhật ký.", j->rid,
	    j->res.detail);
	dispatch_alert(d, "[nhacviec] Nhắc việc hết hạn chưa gửi được", text);
}

/*
 * One outcome in the log, with the fields journalctl filters on
 * (NHACVIEC_AGENCY=noi-vu); counted for the minute's summary.
 */
static void __attribute__((format(printf, 4, 5)))
ledger_log(struct job *j, int pri, const char *outcome, const char *fmt, ...)
{
	struct dispatch		*d = j->d;
	struct log_field	 f[5] = {
		{ "NHACVIEC_REMINDER", j->rid },
		{ "NHACVIEC_TASK", j->r.task },
		{ "NHACVIEC_AGENCY", j->r.agency },
		{ "NHACVIEC_CHANNEL", j->ch ? j->ch->name : j->r.channel },
		{ "NHACVIEC_OUTCOME", outcome },
	};
	struct timeval		 tv = { 60, 0 };
	char			 msg[1024];
	va_list			 ap;

	if (log_wants(pri)) {	/* a send is at debug: mostly not */
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		log_fields(pri, f, 5, "%s", msg);
	}
	if (strcmp(outcome, "sent") == 0)
		d->minute[0]++;
	else if (strcmp(outcome, "retry") == 0)
		d->minute[1]++;
	else if (strcmp(outcome, "dead") == 0)
		d->minute[2]++;
	else
		d->minute[3]++;
	if (!evtimer_pending(d->summary_ev, NULL))
		evtimer_add(d->summary_ev, &tv);
}

/* Once a minute while there is work: what it came to, at info. */
static void
ledger_summary_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;

	(void)fd;
	(void)what;
	log_info("in the last minute: %llu sent, %llu to retry, %llu dead "
	    "letters, %llu deferred or held", (unsigned long long)d->minute[0],
	    (unsigned long long)d->minute[1], (unsigned long long)d->minute[2],
	    (unsigned long long)d->minute[3]);
	memset(d->minute, 0, sizeof(d->minute));
}

/* A channel reports what one attempt came to: decide, then record. */
void
ledger_job_done(struct job *j, const struct result *res)
{
	const struct config	*c = j->d->nv->conf;
	struct channel		*ch = j->ch;
	struct retry_policy	 pol = { c->max_attempts, c->retry_base_ms,
	    c->retry_max_ms };
	enum retry_verdict	 v;
	struct job		*m;
	int64_t			 wait;

	if (&j->res != res)
		j->res = *res;
	/* A digest: each reminder it carried is recorded on its own. */
	while ((m = TAILQ_FIRST(&j->members)) != NULL) {
		TAILQ_REMOVE(&j->members, m, link);
		m->lead = NULL;
		m->member = 1;
		m->state = JOB_SENDING;
		m->held = j->held;
		ledger_job_done(m, &j->res);
	}
	j->nmembers = 0;
	j->retry_at = 0;
	switch (res->verdict) {
	case VERDICT_OK:
		if (ch)
			ch->sent++;
		ledger_log(j, LOG_DEBUG, "sent", "sent %s via %s%s (%ld, "
		    "%lld ms)", j->rid, ch ? ch->name : "-",
		    j->late ? ", late" : "", res->status,
		    (long long)res->latency_ms);
		break;
	case VERDICT_TRANSIENT:
		if (ch)
			ch->failed++;
		v = retry_decide(&pol, j->attempt, clock_now_ms(),
		    res->retry_after_s, (double)random() / ((double)RAND_MAX + 1),
		    j->r.spec != NULL ? ledger_hours : NULL, j->d->nv,
		    j->r.expires_at, &j->retry_at);
		if (v == RETRY_AGAIN) {
			if (ch)
				ch->retried++;
			ledger_log(j, LOG_WARNING, "retry", "%s via %s failed "
			    "(attempt %d of %d): %s; retrying in %llds",
			    j->rid, ch ? ch->name : "-",
			    j->attempt, c->max_attempts, res->detail,
			    (long long)((j->retry_at - clock_now_ms()) / 1000));
			break;
		}
		j->retry_at = 0;
		if (v == RETRY_EXPIRED) {
			snprintf(j->res.detail, sizeof(j->res.detail),
			    "expired: the occurrence ended before the next "
			    "try (%.180s)", res->detail);
			ledger_expired_alert(j);
		} else
			snprintf(j->res.detail, sizeof(j->res.detail),
			    "gave up after %d attempts: %.200s", j->attempt,
			    res->detail);
		/* FALLTHROUGH */
	case VERDICT_PERMANENT:
		j->res.verdict = VERDICT_PERMANENT;
		if (ch)
			ch->dead++;
		ledger_log(j, LOG_ERR, "dead", "%s via %s: dead letter: %s",
		    j->rid, ch ? ch->name : "-", j->res.detail);
		ledger_fallback(j);
		break;
	case VERDICT_DEFER:
		if (ch && ch->paused && !j->held) {
			j->held = 1;
			snprintf(j->res.detail, sizeof(j->res.detail),
			    "%.200s: held until it resumes", ch->pause_reason);
		}
		wait = res->retry_after_s >= 0 ? (res->retry_after_s >
		    RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S :
		    res->retry_after_s) * 1000 : 60000;
		j->retry_at = clock_now_ms() + wait;
		j->deferred = 1;
		ledger_log(j, LOG_DEBUG, j->held ? "held" : "defer",
		    "%s deferred %llds: %s", j->rid, (long long)(wait / 1000),
		    res->detail);
		break;
	}
	ledger_record(j);
}

void
ledger_reject(struct job *j, const char *fmt, ...)
{
	va_list	ap;

	j->res.verdict = VERDICT_PERMANENT;
	j->res.retry_after_s = -1;
	va_start(ap, fmt);
	vsnprintf(j->res.detail, sizeof(j->res.detail), fmt, ap);
	va_end(ap);
	log_err("reminder %s: %s", j->rid, j->res.detail);
	j->state = JOB_SENDING;
	ledger_job_done(j, &j->res);
}

void
ledger_skip(struct job *j, const char *fmt, ...)
{
	va_list	ap;

	memset(&j->res, 0, sizeof(j->res));
	j->res.verdict = VERDICT_PERMANENT;
	j->res.retry_after_s = -1;
	va_start(ap, fmt);
	vsnprintf(j->res.detail, sizeof(j->res.detail), fmt, ap);
	va_end(ap);
	log_notice("reminder %s: %s", j->rid, j->res.detail);
	j->state = JOB_SENDING;
	j->skip = 1;
	ledger_record(j);
}

void
ledger_defer(struct job *j, const char *why, int64_t wait_ms)
{
	struct result	res;

	memset(&res, 0, sizeof(res));
	res.verdict = VERDICT_DEFER;
	res.retry_after_s = wait_ms / 1000;
	snprintf(res.detail, sizeof(res.detail), "%s", why);
	j->state = JOB_SENDING;
	ledger_job_done(j, &res);
}

void
ledger_hold(struct job *j)
{
	struct result	res;

	memset(&res, 0, sizeof(res));
	res.verdict = VERDICT_DEFER;
	res.retry_after_s = -1;
	snprintf(res.detail, sizeof(res.detail), "%.200s: held until it resumes",
	    j->ch ? j->ch->pause_reason : "its channel is paused");
	j->state = JOB_SENDING;
	j->held = 1;
	ledger_job_done(j, &res);
}

void
ledger_init(struct dispatch *d)
{
	TAILQ_INIT(&d->unrecorded);
	TAILQ_INIT(&d->torecord);
	d->record_ev = evtimer_new(d->nv->base, ledger_record_event, d);
	d->flush_ev = evtimer_new(d->nv->base, ledger_flush_event, d);
	d->summary_ev = evtimer_new(d->nv->base, ledger_summary_event, d);
	if (d->record_ev == NULL || d->flush_ev == NULL ||
	    d->summary_ev == NULL)
		fatalx("out of memory");
	/* A complete call's records and arguments, filled anew each time. */
	d->recs = xcalloc(LEDGER_BATCH, sizeof(*d->recs));
	d->rec_argv = xcalloc(3 + LEDGER_NFIELDS + LEDGER_BATCH *
	    LEDGER_NFIELDS, sizeof(*d->rec_argv));
}

void
ledger_free(struct dispatch *d)
{
	if (d->record_ev)
		event_free(d->record_ev);
	if (d->flush_ev)
		event_free(d->flush_ev);
	if (d->summary_ev)
		event_free(d->summary_ev);
	free(d->recs);
	free(d->rec_argv);
}
