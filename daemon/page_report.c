/* Báo cáo (/report, /report.csv): common/report.c over a period (what `nhacviec report` prints), from the follow-ups of its occurrences and its part of the ledger, as a page with charts or as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "report.h"
#include "schedule.h"
#include "web.h"
#include "xmalloc.h"

#define REPORT_MAX_DAYS	366

/* The report being filled, and the messages of each day for the chart. */
struct pr {
	struct view_period	 period;
	enum report_by		 by;
	int			 csv;
	struct report		*rep;
	long long		*per_day;
	int			 cut;
};

static void
pr_free(void *arg)
{
	struct pr	*r = arg;

	report_free(r->rep);
	free(r->per_day);
	free(r);
}

static void
pr_occ(struct page *p, const char *occ, int64_t due_end,
    char *const *fields, size_t nfields)
{
	struct pr	*r = p->data;

	(void)due_end;
	(void)report_add_occurrence(r->rep, occ, (const char *const *)fields,
	    nfields);
}

/* A sent message of the period: its day's column. Each entry: the report. */
static void
pr_entry(struct page *p, const struct history_entry *e,
    const char *const *fields, size_t nfields)
{
	struct pr	*r = p->data;
	plan_day	 day;
	int		 min;

	if (strcmp(e->outcome, "sent") == 0 && p->nv->plan != NULL) {
		day = schedule_day_of(p->nv->plan, e->at, &min);
		if (day >= r->period.from && day <= r->period.to)
			r->per_day[day - r->period.from]++;
	}
	report_add_ledger(r->rep, fields, nfields);
}

static void
pr_render(struct page *p)
{
	struct pr		*r = p->data;
	struct view_report	 v;
	struct html		 h;
	char			*csv, name[80];
	size_t			 len = 0;
	int			 y1, m1, d1, y2, m2, d2;

	if (p->nv->plan == NULL) {
		page_error(p, 503, "Chưa có kế hoạch", "Chưa có kế hoạch nào "
		    "được nạp (nhacviec load).");
		return;
	}
	report_compute(r->rep, p->nv->plan, p->ctx.now);
	if (r->csv) {
		if ((csv = report_csv(r->rep, &len)) == NULL) {
			page_error(p, 500, "Không tạo được bảng",
			    "Thiếu bộ nhớ.");
			return;
		}
		plan_day_to_ymd(r->period.from, &y1, &m1, &d1);
		plan_day_to_ymd(r->period.to, &y2, &m2, &d2);
		snprintf(name, sizeof(name), "bao-cao-%s-%04d%02d%02d-"
		    "%04d%02d%02d.csv", r->by == REPORT_BY_AGENCY ? "co-quan" :
		    "nhiem-vu", y1, m1, d1, y2, m2, d2);
		page_csv(p, name, csv, len);
		return;
	}
	memset(&v, 0, sizeof(v));
	v.period = r->period;
	v.by = r->by;
	v.rows = report_rows(r->rep, &v.n);
	v.sent_per_day = r->per_day;
	v.cut = r->cut;
	html_init(&h);
	view_report(&h, &p->ctx, &v);
	page_html(p, 200, &h);
}

/* The ledger where the period's messages are (report_ledger_span). */
static void
pr_ledger(struct page *p)
{
	struct pr	*r = p->data;
	int64_t		 lo, hi, from, to;

	from = page_day_ms(p, r->period.from);
	to = page_day_ms(p, r->period.to + 1);
	lo = from;
	hi = to;
	if (p->nv->plan != NULL)
		report_ledger_span(p->nv->plan, r->period.from, r->period.to,
		    &lo, &hi);
	page_ledger(p, lo < from ? lo : from, hi > to ? hi : to, pr_entry,
	    pr_render, &r->cut, NULL);
}

static void
pr_start(struct page *p, int csv)
{
	struct pr		*r;
	struct view_period	 def;
	const char		*by = page_arg(p, "by");
	int			 y, m, d;

	r = xcalloc(1, sizeof(*r));
	p->data = r;
	p->data_free = pr_free;
	r->csv = csv;
	r->by = by != NULL && strcmp(by, "task") == 0 ? REPORT_BY_TASK :
	    REPORT_BY_AGENCY;
	/* By default the quarter so far. */
	plan_day_to_ymd(page_today(p), &y, &m, &d);
	def.from = plan_day_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
	def.to = page_today(p);
	page_period(p, def.from, def.to, REPORT_MAX_DAYS, &r->period);
	r->per_day = xcalloc((size_t)(r->period.to - r->period.from) + 2,
	    sizeof(*r->per_day));
	if ((r->rep = report_new(r->by, r->period.from, r->period.to)) == NULL)
		fatal("%s", __func__);
	page_occurrences(p, page_day_ms(p, r->period.from) + 1,
	    page_day_ms(p, r->period.to + 1), pr_occ, pr_ledger);
	page_go(p, p->next);
}

void
page_report(struct page *p)
{
	pr_start(p, 0);
}

void
page_report_csv(struct page *p)
{
	pr_start(p, 1);
}
