/* The reporter: a [report] send's content, the follow-ups and ledger of its period read from Redis when it goes, written as the message and, on mail, a CSV file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "log.h"
#include "report.h"
#include "schedule.h"
#include "xmalloc.h"

#define REPORTER_CHUNK	1000		/* ledger entries a read */
#define REPORTER_WAIT_MS 30000		/* before trying a failed one again */

struct reporter {
	struct job		*job;		/* NULL once the job left */
	struct nv		*nv;
	struct report		*rep;
	struct report_request	 rq;
	int			 pending;	/* replies on their way */
	int			 failed;
	char			 why[200];
	char			 cursor[48];	/* the next ledger read's start */
	char			 end[48];
};

/* One HGETALL: the occurrence its reply belongs to. */
struct reporter_occ {
	struct reporter	*g;
	char		 name[];
};

static void	reporter_next(struct reporter *);

int
reporter_wants(const struct job *j)
{
	return j->r.json != NULL &&
	    json_object_get(j->r.json, "report") != NULL;
}

static void
reporter_free(struct reporter *g)
{
	report_free(g->rep);
	free(g);
}

/* The job goes on without its reporter. */
static struct job *
reporter_release(struct reporter *g)
{
	struct job	*j = g->job;

	j->reporter = NULL;
	j->state = JOB_QUEUED;
	reporter_free(g);
	return j;
}

void
reporter_job_free(struct job *j)
{
	struct reporter	*g = j->reporter;

	if (g != NULL) {
		/* Replies still on their way find the job gone. */
		g->job = NULL;
		j->reporter = NULL;
		if (g->pending == 0)
			reporter_free(g);
	}
	free(j->attach);
	free(j->attach_name);
	j->attach = j->attach_name = NULL;
}

/* Could not be written now: back to due, no attempt spent. */
static void
reporter_fail(struct reporter *g)
{
	struct job	*j;
	char		 why[240];

	snprintf(why, sizeof(why), "report not written: %s", g->why);
	j = reporter_release(g);
	log_warnx("%s: %s; again in %ds", j->rid, why,
	    REPORTER_WAIT_MS / 1000);
	ledger_defer(j, why, REPORTER_WAIT_MS);
}

static void
reporter_failed(struct reporter *g, const char *what, const redisReply *r)
{
	if (g->failed)
		return;
	g->failed = 1;
	snprintf(g->why, sizeof(g->why), "%s: %.120s", what, r == NULL ?
	    "Redis unreachable" : r->type == REDIS_REPLY_ERROR ? r->str :
	    "odd reply");
}

/* The report is written: the job goes to its channel. */
static void
reporter_queue(struct job *j)
{
	struct dispatch	*d = j->d;
	struct channel	*ch;

	if (d->stopped) {
		ledger_defer(j, "not started before the daemon stopped", 0);
		return;
	}
	if (j->ch->removed) {
		if ((ch = channel_find(d, j->ch->name)) == NULL) {
			ledger_reject(j, "channel '%s' was removed from %s",
			    j->ch->name, d->nv->conf_path);
			return;
		}
		j->ch = ch;
	}
	channel_enqueue(j->ch, j);
}

/* Everything is read: count, write, queue. */
static void
reporter_done(struct reporter *g)
{
	struct job	*j = g->job;
	const char	*attach = NULL;
	char		*text;
	json_t		*js;
	size_t		 na;

	if (g->nv->plan == NULL) {
		snprintf(g->why, sizeof(g->why), "no plan loaded yet");
		reporter_fail(g);
		return;
	}
	report_compute(g->rep, g->nv->plan, clock_now_ms());
	if (j->ch->cfg->type == CHANNEL_SMTP) {
		free(j->attach);
		free(j->attach_name);
		xasprintf(&j->attach_name, "bao-cao-%s.csv",
		    g->rq.period.label);
		j->attach = report_csv(g->rep, &j->attach_len);
		attach = j->attach_name;
	}
	text = report_summary(g->rep, g->nv->plan, j->r.head,
	    j->r.agency_name, g->rq.period.text, attach);
	/* The text is the payload's from now on: what render sends. */
	if ((js = json_string(text)) == NULL) {
		free(text);
		j = reporter_release(g);
		ledger_reject(j, "the report's text is not UTF-8");
		return;
	}
	json_object_set_new(j->r.json, "text", js);
	j->r.text = json_string_value(js);
	free(text);
	(void)report_agencies(g->rep, &na);
	log_info("%s: report %s of %s written: %lld follow-ups of %zu "
	    "agencies", j->rid, g->rq.name, g->rq.period.label,
	    report_total(g->rep)->follow_ups, na);
	reporter_queue(reporter_release(g));
}

static void
reporter_ledger_reply(void *arg, redisReply *r)
{
	struct reporter	*g = arg;
	redisReply	*e, *f;
	const char	**fields;
	size_t		 i, k;
	unsigned long long ms, seq;

	g->pending--;
	if (g->job == NULL) {
		reporter_free(g);
		return;
	}
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		reporter_failed(g, "reading the ledger", r);
		reporter_fail(g);
		return;
	}
	for (i = 0; i < r->elements; i++) {
		e = r->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
		    (f = e->element[1])->type != REDIS_REPLY_ARRAY)
			continue;
		fields = xcalloc(f->elements + 1, sizeof(*fields));
		for (k = 0; k < f->elements; k++)
			fields[k] = f->element[k]->type == REDIS_REPLY_STRING ?
			    f->element[k]->str : "";
		report_add_ledger(g->rep, fields, f->elements);
		free(fields);
	}
	e = r->elements > 0 ? r->element[r->elements - 1] : NULL;
	if (r->elements < REPORTER_CHUNK || e->type != REDIS_REPLY_ARRAY ||
	    e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING ||
	    sscanf(e->element[0]->str, "%llu-%llu", &ms, &seq) != 2) {
		reporter_done(g);
		return;
	}
	/* The id just after the last one read. */
	if (seq == ~0ULL)
		snprintf(g->cursor, sizeof(g->cursor), "%llu-0", ms + 1);
	else
		snprintf(g->cursor, sizeof(g->cursor), "%llu-%llu", ms,
		    seq + 1);
	reporter_next(g);
}

/* The next chunk of the ledger. */
static void
reporter_next(struct reporter *g)
{
	if (store_commandf(g->nv->store, reporter_ledger_reply, g,
	    "XRANGE %s %s %s COUNT %d", g->nv->keys.log, g->cursor, g->end,
	    REPORTER_CHUNK) == -1) {
		reporter_failed(g, "reading the ledger", NULL);
		reporter_fail(g);
		return;
	}
	g->pending++;
}

/*
 * The follow-ups are in: now the ledger, only the span that can concern
 * them. Stream ids are Redis's real clock: on a virtual clock they say
 * nothing of when a send was, so then it is read whole, still in chunks.
 */
static void
reporter_ledger(struct reporter *g)
{
	int64_t	lo, hi;

	if (g->failed) {
		reporter_fail(g);
		return;
	}
	snprintf(g->cursor, sizeof(g->cursor), "-");
	snprintf(g->end, sizeof(g->end), "+");
	if (!clock_is_virtual()) {
		report_ledger_span(g->nv->plan, g->rq.period.from,
		    g->rq.period.to, &lo, &hi);
		snprintf(g->cursor, sizeof(g->cursor), "%lld", (long long)lo);
		snprintf(g->end, sizeof(g->end), "%lld", (long long)hi);
	}
	reporter_next(g);
}

static void
reporter_occ_reply(void *arg, redisReply *r)
{
	struct reporter_occ	*o = arg;
	struct reporter		*g = o->g;
	const char		**fields;
	size_t			 k;

	g->pending--;
	if (g->job != NULL && r != NULL && r->type == REDIS_REPLY_ARRAY) {
		fields = xcalloc(r->elements + 1, sizeof(*fields));
		for (k = 0; k < r->elements; k++)
			fields[k] = r->element[k]->type == REDIS_REPLY_STRING ?
			    r->element[k]->str : "";
		(void)report_add_occurrence(g->rep, o->name, fields,
		    r->elements);
		free(fields);
	} else if (g->job != NULL)
		reporter_failed(g, "reading the follow-ups", r);
	free(o);
	if (g->pending > 0)
		return;
	if (g->job == NULL)
		reporter_free(g);
	else if (g->nv->plan == NULL) {
		snprintf(g->why, sizeof(g->why), "no plan loaded yet");
		reporter_fail(g);
	} else
		reporter_ledger(g);
}

/* The occurrences due in the period: each one's follow-ups, pipelined. */
static void
reporter_index_reply(void *arg, redisReply *r)
{
	struct reporter		*g = arg;
	struct reporter_occ	*o;
	size_t			 i, n;

	g->pending--;
	if (g->job == NULL) {
		reporter_free(g);
		return;
	}
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		reporter_failed(g, "reading the occurrences", r);
		reporter_fail(g);
		return;
	}
	for (i = 0; i < r->elements && !g->failed; i++) {
		if (r->element[i]->type != REDIS_REPLY_STRING)
			continue;
		n = strlen(r->element[i]->str);
		o = xmalloc(sizeof(*o) + n + 1);
		o->g = g;
		memcpy(o->name, r->element[i]->str, n + 1);
		if (store_commandf(g->nv->store, reporter_occ_reply, o,
		    "HGETALL %socc:%s", g->nv->keys.base, o->name) == -1) {
			free(o);
			reporter_failed(g, "reading the follow-ups", NULL);
			break;
		}
		g->pending++;
	}
	if (g->pending > 0)
		return;
	if (g->failed || g->nv->plan == NULL) {
		if (!g->failed)
			snprintf(g->why, sizeof(g->why), "no plan loaded yet");
		reporter_fail(g);
	} else
		reporter_ledger(g);
}

void
reporter_start(struct job *j)
{
	struct nv	*nv = j->d->nv;
	struct reporter	*g;
	char		 err[200];

	g = xcalloc(1, sizeof(*g));
	switch (report_request_read(j->r.json, &g->rq, err, sizeof(err))) {
	case 0:
		free(g);
		channel_enqueue(j->ch, j);
		return;
	case -1:
		free(g);
		ledger_reject(j, "bad payload in %s: %.150s",
		    nv->keys.reminders, err);
		return;
	}
	g->job = j;
	g->nv = nv;
	g->rep = report_new(g->rq.by, g->rq.period.from, g->rq.period.to);
	j->reporter = g;
	j->state = JOB_GATHERING;
	if (nv->plan == NULL) {
		snprintf(g->why, sizeof(g->why), "no plan loaded yet");
		reporter_fail(g);
		return;
	}
	/* A day either side: the index's day ends are the plan's zone. */
	if (store_commandf(nv->store, reporter_index_reply, g,
	    "ZRANGEBYSCORE %s %lld %lld", nv->keys.occurrences,
	    (long long)schedule_local_ms(nv->plan, g->rq.period.from, 0),
	    (long long)schedule_local_ms(nv->plan, g->rq.period.to + 2,
	    0)) == -1) {
		reporter_failed(g, "reading the occurrences", NULL);
		reporter_fail(g);
		return;
	}
	g->pending++;
}
