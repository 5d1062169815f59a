/* nhacviec report --by agency|task: the follow-ups of the occurrences due in some days, read from Redis in bounded steps, as a table or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "clock.h"
#include "plan.h"
#include "report.h"
#include "schedule.h"

#define PIPELINE	256	/* HGETALLs sent before reading replies */

/* What a report reads, from the archive and from Redis. */
struct report_read {
	struct report		*rep;
	struct archive_seen	*seen;		/* ledger entries given */
	struct report_copy	*occ;		/* copies of occurrences */
	size_t			 nocc, cap;
};

/* One copy of an occurrence's follow-ups; seq orders the copies. */
struct report_copy {
	char			*name;
	size_t			 seq;
	struct archive_fields	 f;
};

static void
report_copy_add(struct report_read *rr, const char *name,
    const char *const *fields, size_t n)
{
	struct report_copy	*c;

	if (rr->nocc == rr->cap) {
		rr->cap = rr->cap ? 2 * rr->cap : 64;
		if ((rr->occ = reallocarray(rr->occ, rr->cap,
		    sizeof(*rr->occ))) == NULL) {
			fprintf(stderr, _("nhacviec: out of memory\n"));
			exit(EX_UNAVAILABLE);
		}
	}
	c = &rr->occ[rr->nocc];
	memset(c, 0, sizeof(*c));
	if ((c->name = strdup(name)) == NULL) {
		fprintf(stderr, _("nhacviec: out of memory\n"));
		exit(EX_UNAVAILABLE);
	}
	c->seq = rr->nocc++;
	archive_fields_merge(&c->f, fields, n);
}

static int
report_copy_cmp(const void *a, const void *b)
{
	const struct report_copy	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * Each occurrence once into the report: the copies of one (archived, then
 * in Redis: a crash between archiving and removing, or follow-ups that
 * came after the archive took it) merged, oldest first.
 */
static void
report_copies_add(struct report_read *rr)
{
	struct archive_fields	 m;
	size_t			 i, j;

	if (rr->nocc > 1)
		qsort(rr->occ, rr->nocc, sizeof(*rr->occ), report_copy_cmp);
	for (i = 0; i < rr->nocc; i = j) {
		memset(&m, 0, sizeof(m));
		for (j = i; j < rr->nocc && strcmp(rr->occ[j].name,
		    rr->occ[i].name) == 0; j++)
			archive_fields_merge(&m, (const char *const *)
			    rr->occ[j].f.v, rr->occ[j].f.n);
		(void)report_add_occurrence(rr->rep, rr->occ[i].name,
		    (const char *const *)m.v, m.n);
		archive_fields_clear(&m);
	}
	for (i = 0; i < rr->nocc; i++) {
		free(rr->occ[i].name);
		archive_fields_clear(&rr->occ[i].f);
	}
	free(rr->occ);
	rr->occ = NULL;
	rr->nocc = rr->cap = 0;
}

static void
report_archived_occ(void *arg, const struct archive_item *it)
{
	report_copy_add(arg, it->id, it->fields, it->nfields);
}

static void
report_archived_entry(void *arg, const struct archive_item *it)
{
	struct report_read	*rr = arg;

	report_add_ledger(rr->rep, it->fields, it->nfields);
}

static void
report_ledger_entry(void *arg, const char *id, const char *const *fields,
    size_t nfields)
{
	struct report_read	*rr = arg;

	if (rr->seen == NULL || !archive_seen_has(rr->seen, ARCHIVE_LOG, id))
		report_add_ledger(rr->rep, fields, nfields);
}

/* A reply's field-value pairs as strings; NULL when it is not an array. */
static const char **
report_pairs(const redisReply *h)
{
	const char	**f;
	size_t		  k;

	if (h == NULL || h->type != REDIS_REPLY_ARRAY)
		return NULL;
	if ((f = calloc(h->elements + 1, sizeof(*f))) == NULL) {
		fprintf(stderr, _("nhacviec: out of memory\n"));
		exit(EX_UNAVAILABLE);
	}
	for (k = 0; k < h->elements; k++)
		f[k] = h->element[k]->type == REDIS_REPLY_STRING ?
		    h->element[k]->str : "";
	return f;
}

/*
 * The occurrences of the index due in the report's days, each with its
 * follow-up hash: one ZRANGEBYSCORE, then the HGETALLs pipelined; before
 * them, those the archive took, when the days start before what Redis
 * holds (kept, or -1).
 */
static int
report_read_occurrences(struct cli *cl, redisContext *rc,
    const struct plan *p, struct report_read *rr, plan_day from, plan_day to,
    int64_t kept)
{
	redisReply	 *r, *h;
	const char	**f;
	size_t		  i, j, n;
	int64_t		  lo, hi;
	int		  rv = 0;

	/* A day either side: the index's day ends are the plan's zone. */
	lo = schedule_local_ms(p, from, 0);
	hi = schedule_local_ms(p, to + 2, 0);
	if (kept >= 0 && lo < kept && cli_archive_read(cl, lo, hi + 1,
	    ARCHIVE_MASK(ARCHIVE_OCC), NULL, report_archived_occ, rr) == -1)
		return -2;
	r = redisCommand(rc, "ZRANGEBYSCORE %s %lld %lld", cl->keys.occurrences,
	    (long long)lo, (long long)hi);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		fprintf(stderr, _("nhacviec report: reading %s failed: %s\n"),
		    cl->keys.occurrences, r == NULL ? rc->errstr :
		    r->type == REDIS_REPLY_ERROR ? r->str : _("odd reply"));
		freeReplyObject(r);
		return -1;
	}
	for (i = 0; i < r->elements && rv == 0; i += n) {
		n = r->elements - i < PIPELINE ? r->elements - i : PIPELINE;
		for (j = 0; j < n; j++)
			redisAppendCommand(rc, "HGETALL %socc:%s",
			    cl->keys.base, r->element[i + j]->str);
		for (j = 0; j < n; j++) {
			if (redisGetReply(rc, (void **)&h) != REDIS_OK) {
				fprintf(stderr, _("nhacviec report: reading "
				    "the follow-ups failed: %s\n"), rc->errstr);
				rv = -1;
				break;
			}
			if ((f = report_pairs(h)) != NULL)
				report_copy_add(rr, r->element[i + j]->str, f,
				    h->elements);
			free(f);
			freeReplyObject(h);
		}
	}
	freeReplyObject(r);
	report_copies_add(rr);
	return rv;
}

/*
 * The ledger entries that can concern those occurrences: the archive's
 * (by their `at`) when the span starts before what Redis holds, then
 * Redis's, each entry once. Stream ids are Redis's real clock: on a
 * virtual one (--clock) they say nothing of when a send was, so then the
 * whole of {p}:log is read, still in chunks.
 */
static int
report_read_ledger(struct cli *cl, redisContext *rc, const struct plan *p,
    struct report_read *rr, plan_day from, plan_day to, int64_t kept)
{
	char	lo[32] = "-", hi[32] = "+";
	int64_t	a, b;

	report_ledger_span(p, from, to, &a, &b);
	if (kept >= 0 && a < kept) {
		rr->seen = archive_seen_new();
		if (cli_archive_read(cl, a, b, ARCHIVE_MASK(ARCHIVE_LOG),
		    rr->seen, report_archived_entry, rr) == -1)
			return -2;
	}
	if (!clock_is_virtual()) {
		snprintf(lo, sizeof(lo), "%lld", (long long)a);
		snprintf(hi, sizeof(hi), "%lld", (long long)b);
	}
	return cli_stream_entries(rc, cl->keys.log, lo, hi, report_ledger_entry,
	    rr);
}

/* A --from or --to day; -1 after the usage message. */
static int
report_day(struct cli *cl, const char *opt, const char *v, plan_day *day)
{
	if (v == NULL) {
		cli_usage(cl, "--by agency and --by task need --from and --to: "
		    "the days whose occurrences the report covers");
		return -1;
	}
	if (plan_parse_day(v, day) == -1) {
		cli_usage(cl, "%s '%s': give a day of the plan's zone, e.g. "
		    "2022-04-01", opt, v);
		return -1;
	}
	return 0;
}

int
cli_report_follow(struct cli *cl, const char *by, const char *from_arg,
    const char *to_arg, int csv)
{
	const struct plan	*p;
	struct report		*rep;
	struct report_read	 rr;
	redisContext		*rc;
	plan_day		 from, to;
	int64_t			 kept;
	char			*out;
	size_t			 len;
	int			 rv = 0, got;

	if (report_day(cl, "--from", from_arg, &from) == -1 ||
	    report_day(cl, "--to", to_arg, &to) == -1)
		return EX_USAGE;
	if (to < from)
		return cli_usage(cl, "--to %s is before --from %s", to_arg,
		    from_arg);
	if ((rc = cli_connect(cl->conf)) == NULL)
		return EX_UNAVAILABLE;
	p = cli_plan_view(cl, rc);
	rep = report_new(strcmp(by, "task") == 0 ? REPORT_BY_TASK :
	    REPORT_BY_AGENCY, from, to);
	memset(&rr, 0, sizeof(rr));
	rr.rep = rep;
	kept = cli_archive_kept(cl, rc);
	if ((got = report_read_occurrences(cl, rc, p, &rr, from, to,
	    kept)) == 0)
		got = report_read_ledger(cl, rc, p, &rr, from, to, kept);
	archive_seen_free(rr.seen);
	if (got != 0) {
		report_copies_add(&rr);		/* frees what was read */
		report_free(rep);
		redisFree(rc);
		return got == -2 ? EX_NOINPUT : EX_UNAVAILABLE;
	}
	redisFree(rc);
	report_compute(rep, p, clock_now_ms());
	if (csv) {
		out = report_csv(rep, &len);
		if (fwrite(out, 1, len, stdout) != len)
			rv = 74;
	} else {
		out = report_text(rep, p, NULL);
		fputs(out, stdout);
	}
	free(out);
	report_free(rep);
	if (fflush(stdout) != 0 && rv == 0)
		rv = 74;
	return rv;
}
