/* nhacviec report --by agency|task: the follow-ups of the occurrences due in some days, read from Redis in bounded steps, as a table or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "plan.h"
#include "report.h"
#include "schedule.h"

#define PIPELINE	256	/* HGETALLs sent before reading replies */

static void
report_ledger_entry(void *arg, const char *const *fields, size_t nfields)
{
	report_add_ledger(arg, fields, nfields);
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
		fprintf(stderr, "nhacviec: out of memory\n");
		exit(EX_UNAVAILABLE);
	}
	for (k = 0; k < h->elements; k++)
		f[k] = h->element[k]->type == REDIS_REPLY_STRING ?
		    h->element[k]->str : "";
	return f;
}

/*
 * The occurrences of the index due in the report's days, each with its
 * follow-up hash: one ZRANGEBYSCORE, then the HGETALLs pipelined.
 */
static int
report_read_occurrences(struct cli *cl, redisContext *rc,
    const struct plan *p, struct report *rep, plan_day from, plan_day to)
{
	redisReply	 *r, *h;
	const char	**f;
	size_t		  i, j, n;
	int		  rv = 0;

	/* A day either side: the index's day ends are the plan's zone. */
	r = redisCommand(rc, "ZRANGEBYSCORE %s %lld %lld", cl->keys.occurrences,
	    (long long)schedule_local_ms(p, from, 0),
	    (long long)schedule_local_ms(p, to + 2, 0));
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		fprintf(stderr, "nhacviec report: reading %s failed: %s\n",
		    cl->keys.occurrences, r == NULL ? rc->errstr :
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
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
				fprintf(stderr, "nhacviec report: reading the "
				    "follow-ups failed: %s\n", rc->errstr);
				rv = -1;
				break;
			}
			if ((f = report_pairs(h)) != NULL)
				(void)report_add_occurrence(rep,
				    r->element[i + j]->str, f, h->elements);
			free(f);
			freeReplyObject(h);
		}
	}
	freeReplyObject(r);
	return rv;
}

/*
 * The ledger entries that can concern those occurrences. Stream ids are
 * Redis's real clock: on a virtual one (--clock) they say nothing of when
 * a send was, so then the whole ledger is read, still in chunks.
 */
static int
report_read_ledger(struct cli *cl, redisContext *rc, const struct plan *p,
    struct report *rep, plan_day from, plan_day to)
{
	char	lo[32] = "-", hi[32] = "+";
	int64_t	a, b;

	if (!clock_is_virtual()) {
		report_ledger_span(p, from, to, &a, &b);
		snprintf(lo, sizeof(lo), "%lld", (long long)a);
		snprintf(hi, sizeof(hi), "%lld", (long long)b);
	}
	return cli_stream_range(rc, cl->keys.log, lo, hi, report_ledger_entry,
	    rep);
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
	redisContext		*rc;
	plan_day		 from, to;
	char			*out;
	size_t			 len;
	int			 rv = 0;

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
	if (report_read_occurrences(cl, rc, p, rep, from, to) == -1 ||
	    report_read_ledger(cl, rc, p, rep, from, to) == -1) {
		report_free(rep);
		redisFree(rc);
		return EX_UNAVAILABLE;
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
