/* nhacviec log and report: the delivery ledger, entry by entry or summed per channel, in the plan's time zone; report by agency or task is cli/report.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "clock.h"
#include "history.h"
#include "parse.h"
#include "plan.h"
#include "report.h"
#include "schedule.h"
#include "text.h"

/* A --since/--until value before the plan's zone is known. */
struct when {
	enum { WHEN_NONE, WHEN_INSTANT, WHEN_DAY } kind;
	int64_t		ms;
	plan_day	day;
};

/*
 * A day (YYYY-MM-DD, in the plan's zone), an instant (ISO 8601) or a span
 * back from now (7d, 12h, 1d12h). -1 after the usage message.
 */
static int
log_when(struct cli *cl, const char *opt, const char *v, struct when *w)
{
	char	err[200];
	int64_t	ms;

	if (plan_parse_day(v, &w->day) == 0) {
		w->kind = WHEN_DAY;
		return 0;
	}
	if (clock_parse_iso8601(v, &w->ms, err, sizeof(err)) == 0) {
		w->kind = WHEN_INSTANT;
		return 0;
	}
	if (v[0] >= '0' && v[0] <= '9' &&
	    parse_duration(v, &ms, err, sizeof(err)) == 0) {
		w->kind = WHEN_INSTANT;
		w->ms = clock_now_ms() - ms;
		return 0;
	}
	cli_usage(cl, "%s '%s': give a day (2022-08-24), an instant "
	    "(2022-08-24T08:00:00+07:00) or a time back from now (7d, 12h)",
	    opt, v);
	return -1;
}

/* The instant of w: a day starts (or, for an end, ends) at midnight in the plan's zone. */
static int64_t
log_when_ms(const struct plan *p, const struct when *w, int end)
{
	switch (w->kind) {
	case WHEN_NONE:
		break;
	case WHEN_INSTANT:
		return w->ms;
	case WHEN_DAY:
		return schedule_local_ms(p, w->day + (end ? 1 : 0), 0);
	}
	return -1;
}

struct log_run {
	struct cli			*cl;
	redisContext			*rc;
	const struct plan		*plan;
	const struct history_filter	*filter;
	int				 tsv;
	size_t				 n;
	struct archive_seen		*seen;	/* entries the archive gave */
};

/* "Phòng Nội vụ — Chuyên mục ... (due 2022-08-27, attempt 1)": who and what, as an admin reads it. */
static void
log_text(FILE *fp, const struct log_run *lr, const struct history_entry *e,
    const char *at)
{
	const struct plan_agency	*a;
	const struct plan_task		*t;
	const char			*who, *what;
	int				 paren = 0;

	fprintf(fp, "%s  %-7s %-8s ", at, e->outcome[0] ? e->outcome : "-",
	    e->channel[0] ? e->channel : "-");
	if (e->task[0] == '\0' || e->agency[0] == '\0')
		fputs(e->id, fp);
	else {
		a = plan_agency_find(lr->plan, e->agency);
		t = plan_task_find(lr->plan, e->task);
		who = a != NULL && a->name != NULL ? a->name : e->agency;
		if (strcmp(e->task, "adhoc") == 0)
			what = _("ad-hoc notice");
		else
			what = t != NULL && t->title != NULL ? t->title :
			    e->task;
		fprintf(fp, "%s — %s", who, what);
	}
	if (e->due[0] != '\0') {
		fputs(paren++ ? ", " : " (", fp);
		fprintf(fp, _("due %s"), e->due);
	}
	if (e->attempt[0] != '\0') {
		fputs(paren++ ? ", " : " (", fp);
		fprintf(fp, _("attempt %s"), e->attempt);
	}
	if (e->late)
		fprintf(fp, "%s%s", paren++ ? ", " : " (", _("late"));
	if (e->fallback)
		fprintf(fp, "%s%s", paren++ ? ", " : " (", _("fallback"));
	if (paren)
		fputc(')', fp);
	if (e->detail[0] != '\0')
		fprintf(fp, ": %s", e->detail);
	fputc('\n', fp);
}

static void
log_entry(void *arg, const char *const *fields, size_t nfields)
{
	struct log_run		*lr = arg;
	struct history_entry	 e;
	char			 at[48], *t;

	if (history_read(&e, fields, nfields) == -1 ||
	    !history_match(lr->filter, &e))
		return;
	if (e.at >= 0)
		cli_time(lr->cl, lr->rc, e.at, at, sizeof(at));
	else
		snprintf(at, sizeof(at), "-");
	lr->n++;
	if (lr->tsv) {
		history_print_tsv(stdout, &e, at);
		return;
	}
	if ((t = strchr(at, 'T')) != NULL)
		*t = ' ';
	log_text(stdout, lr, &e, at);
}

static void
log_archived(void *arg, const struct archive_item *it)
{
	log_entry(arg, it->fields, it->nfields);
}

/* An entry of {p}:log, unless the archive gave it already. */
static void
log_redis_entry(void *arg, const char *id, const char *const *fields,
    size_t nfields)
{
	struct log_run	*lr = arg;

	if (lr->seen == NULL || !archive_seen_has(lr->seen, ARCHIVE_LOG, id))
		log_entry(arg, fields, nfields);
}

/*
 * The ledger entries with `at` in [since, until) (-1: open) to fn, oldest
 * first: from the archive when the span starts before what Redis holds,
 * then from {p}:log; each entry once. seen is made here when needed (the
 * caller frees it). -1 after saying why (EX_NOINPUT or EX_UNAVAILABLE
 * into *rv).
 */
static int
log_read_all(struct cli *cl, redisContext *rc, int64_t since, int64_t until,
    struct archive_seen **seen,
    void (*archived)(void *, const struct archive_item *),
    void (*entry)(void *, const char *, const char *const *, size_t),
    void *arg, int *rv)
{
	int64_t	kept = cli_archive_kept(cl, rc);

	*seen = NULL;
	if (kept >= 0 && (since < 0 || since < kept)) {
		*seen = archive_seen_new();
		if (cli_archive_read(cl, since, until >= 0 && until < kept ?
		    until : kept, ARCHIVE_MASK(ARCHIVE_LOG), *seen, archived,
		    arg) == -1) {
			*rv = EX_NOINPUT;
			return -1;
		}
	}
	if (cli_stream_entries(rc, cl->keys.log, "-", "+", entry, arg) == -1) {
		*rv = EX_UNAVAILABLE;
		return -1;
	}
	return 0;
}

int
cmd_log(struct cli *cl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "agency", required_argument, NULL, 'a' },
		{ "task", required_argument, NULL, 't' },
		{ "channel", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct history_filter	 f = { -1, -1, NULL, NULL, NULL, 0 };
	struct log_run		 lr;
	const struct plan_agency **members = NULL;
	const char		**ids = NULL;
	size_t			  i, n;
	struct when		 since = { WHEN_NONE, 0, 0 };
	struct when		 until = { WHEN_NONE, 0, 0 };
	const char		*agency = NULL;
	int			 o, tsv = 0, rv;

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (o) {
		case 's':
			if (log_when(cl, "--since", optarg, &since) == -1)
				return EX_USAGE;
			break;
		case 'u':
			if (log_when(cl, "--until", optarg, &until) == -1)
				return EX_USAGE;
			break;
		case 'a':
			agency = optarg;
			break;
		case 't':
			f.task = optarg;
			break;
		case 'c':
			f.channel = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "tsv") != 0 &&
			    strcmp(optarg, "text") != 0)
				return cli_usage(cl, "--format '%s': text or "
				    "tsv", optarg);
			tsv = strcmp(optarg, "tsv") == 0;
			break;
		default:
			return EX_USAGE;
		}
	}
	memset(&lr, 0, sizeof(lr));
	if ((lr.rc = cli_connect(cl->conf)) == NULL)
		return EX_UNAVAILABLE;
	lr.cl = cl;
	lr.plan = cli_plan_view(cl, lr.rc);
	lr.filter = &f;
	lr.tsv = tsv;
	f.since = log_when_ms(lr.plan, &since, 0);
	f.until = log_when_ms(lr.plan, &until, 1);
	if (agency != NULL) {
		/* a group stands for its agencies; an id the plan lost, itself */
		n = plan_members(lr.plan, agency, &members);
		if ((ids = calloc(n + 1, sizeof(*ids))) == NULL) {
			fprintf(stderr, _("nhacviec: out of memory\n"));
			exit(EX_UNAVAILABLE);
		}
		for (i = 0; i < n; i++)
			ids[i] = members[i]->id;
		if (n == 0)
			ids[n++] = agency;
		f.agencies = ids;
		f.nagencies = n;
	}
	if (tsv)
		printf("%s\n", HISTORY_TSV_HEADER);
	rv = 0;
	(void)log_read_all(cl, lr.rc, f.since, f.until, &lr.seen, log_archived,
	    log_redis_entry, &lr, &rv);
	archive_seen_free(lr.seen);
	if (rv == 0 && !tsv && lr.n == 0)
		printf("%s\n", f.since >= 0 || f.until >= 0 || f.task ||
		    f.channel || agency ? _("no ledger entries match") :
		    _("no ledger entries"));
	free(ids);
	free(members);
	redisFree(lr.rc);
	if (fflush(stdout) != 0)
		rv = 74;
	return rv;
}

/* --- report ---------------------------------------------------------------- */

static const char *const report_outcomes[] = { "sent", "retry", "defer",
    "dead", "missed", "skipped" };
/* The text table's headings for report_outcomes, translated. */
static const char *const report_outcome_heads[] = { N_("sent"),
    N_("retry"), N_("defer"), N_("dead"), N_("missed"), N_("skipped") };
#define NOUTCOMES	(sizeof(report_outcomes) / sizeof(report_outcomes[0]))

struct chan_row {
	char		*channel;
	long long	 n[NOUTCOMES];
};

struct chan_report {
	const struct history_filter	*filter;
	struct archive_seen		*seen;
	struct chan_row			*rows;
	size_t				 nrows;
	long long			 late;
	long long			 total;
};

static void
report_entry(void *arg, const char *const *fields, size_t nfields)
{
	struct chan_report	*rp = arg;
	struct chan_row		*nr;
	struct history_entry	 e;
	const char		*ch;
	size_t			 i, o;

	if (history_read(&e, fields, nfields) == -1 ||
	    !history_match(rp->filter, &e))
		return;
	/* Deliveries only: not what people did (requeued, paused, done...). */
	for (o = 0; o < NOUTCOMES; o++)
		if (strcmp(e.outcome, report_outcomes[o]) == 0)
			break;
	if (o == NOUTCOMES)
		return;
	ch = e.channel[0] ? e.channel : "-";
	for (i = 0; i < rp->nrows && strcmp(rp->rows[i].channel, ch) != 0;
	    i++)
		;
	if (i == rp->nrows) {
		if ((nr = reallocarray(rp->rows, rp->nrows + 1,
		    sizeof(*nr))) == NULL || (nr[i].channel = strdup(ch)) ==
		    NULL) {
			fprintf(stderr, _("nhacviec: out of memory\n"));
			exit(EX_UNAVAILABLE);
		}
		memset(nr[i].n, 0, sizeof(nr[i].n));
		rp->rows = nr;
		rp->nrows++;
	}
	rp->rows[i].n[o]++;
	rp->late += e.late;
	rp->total++;
}

static void
report_archived(void *arg, const struct archive_item *it)
{
	report_entry(arg, it->fields, it->nfields);
}

static void
report_redis_entry(void *arg, const char *id, const char *const *fields,
    size_t nfields)
{
	struct chan_report	*rp = arg;

	if (rp->seen == NULL || !archive_seen_has(rp->seen, ARCHIVE_LOG, id))
		report_entry(arg, fields, nfields);
}

static int
report_row_cmp(const void *a, const void *b)
{
	const struct chan_row	*x = a, *y = b;

	return strcmp(x->channel, y->channel);
}

/*
 * report: by channel (the default), the ledger in short: outcomes per
 * channel, over the whole ledger or some days; by agency or by task, the
 * follow-ups of the occurrences due in the days (cli/report.c).
 */
int
cmd_report(struct cli *cl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct history_filter	 f = { -1, -1, NULL, NULL, NULL, 0 };
	struct when		 from = { WHEN_NONE, 0, 0 };
	struct when		 to = { WHEN_NONE, 0, 0 };
	struct chan_report	 rp;
	const struct plan	*p;
	redisContext		*rc;
	const char		*by = "channel", *from_arg = NULL;
	const char		*to_arg = NULL;
	const char		*head;
	char			 a[48], b[48];
	struct buf		 field = BUF_INIT;
	size_t			 i, o;
	int			 ch, rv = 0, csv = 0, width[NOUTCOMES];

	while ((ch = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (ch) {
		case 'f':
			from_arg = optarg;
			break;
		case 't':
			to_arg = optarg;
			break;
		case 'b':
			if (strcmp(optarg, "agency") != 0 &&
			    strcmp(optarg, "task") != 0 &&
			    strcmp(optarg, "channel") != 0)
				return cli_usage(cl, "--by '%s': agency, task "
				    "or channel", optarg);
			by = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "csv") != 0 &&
			    strcmp(optarg, "text") != 0)
				return cli_usage(cl, "--format '%s': text or "
				    "csv", optarg);
			csv = strcmp(optarg, "csv") == 0;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (strcmp(by, "channel") != 0)
		return cli_report_follow(cl, by, from_arg, to_arg, csv);
	if ((from_arg != NULL && log_when(cl, "--from", from_arg,
	    &from) == -1) || (to_arg != NULL && log_when(cl, "--to", to_arg,
	    &to) == -1))
		return EX_USAGE;
	if ((rc = cli_connect(cl->conf)) == NULL)
		return EX_UNAVAILABLE;
	p = cli_plan_view(cl, rc);
	f.since = log_when_ms(p, &from, 0);
	f.until = log_when_ms(p, &to, 1);
	memset(&rp, 0, sizeof(rp));
	rp.filter = &f;
	(void)log_read_all(cl, rc, f.since, f.until, &rp.seen,
	    report_archived, report_redis_entry, &rp, &rv);
	archive_seen_free(rp.seen);
	redisFree(rc);
	if (rp.nrows > 0)	/* rows is NULL for an empty ledger */
		qsort(rp.rows, rp.nrows, sizeof(*rp.rows), report_row_cmp);
	if (csv) {
		/* As Excel opens it: a BOM, CRLF line ends. */
		printf("%schannel", REPORT_BOM);
		for (o = 0; o < NOUTCOMES; o++)
			printf(",%s", report_outcomes[o]);
		printf("\r\n");
		for (i = 0; i < rp.nrows; i++) {
			report_csv_field(&field, rp.rows[i].channel);
			fwrite(field.p, 1, field.n, stdout);
			buf_clear(&field);
			for (o = 0; o < NOUTCOMES; o++)
				printf(",%lld", rp.rows[i].n[o]);
			printf("\r\n");
			free(rp.rows[i].channel);
		}
		free(rp.rows);
		goto out;
	}
	/* Columns as wide as their translated headings, 8 at least. */
	printf("%s", _("channel"));
	cli_pad(stdout, _("channel"), 16);
	for (o = 0; o < NOUTCOMES; o++) {
		head = _(report_outcome_heads[o]);
		width[o] = text_width(head) > 8 ? (int)text_width(head) : 8;
		putchar(' ');
		cli_pad(stdout, head, (size_t)width[o]);
		fputs(head, stdout);
	}
	putchar('\n');
	for (i = 0; i < rp.nrows; i++) {
		printf("%-16s", rp.rows[i].channel);
		for (o = 0; o < NOUTCOMES; o++)
			printf(" %*lld", width[o], rp.rows[i].n[o]);
		putchar('\n');
		free(rp.rows[i].channel);
	}
	free(rp.rows);
	printf(ngettext("%lld ledger entry", "%lld ledger entries",
	    (unsigned long)rp.total), rp.total);
	if (f.since >= 0) {
		cli_time(cl, NULL, f.since, a, sizeof(a));
		printf(_(" from %s"), a);
	}
	if (f.until >= 0) {
		cli_time(cl, NULL, f.until, b, sizeof(b));
		printf(_(" until %s"), b);
	}
	printf(_("; %lld sent late (within the grace)\n"), rp.late);
 out:
	if (fflush(stdout) != 0 && rv == 0)
		rv = 74;
	return rv;
}
