/* Báo cáo (/report, /report.csv): the report of common/report.c over a period, from the follow-ups of its occurrences and its part of the ledger, as a page with charts or as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "report.h"
#include "schedule.h"
#include "web.h"

#define REPORT_MAX_DAYS	366

/* The period's follow-ups and ledger entries, kept until the plan is at hand. */
struct pr_occ {
	char	 *id;
	int64_t	  end;
	char	**fields;
	size_t	  n;
};

struct pr {
	struct view_period	 period;
	enum report_by		 by;
	int			 csv;
	struct pr_occ		*occ;
	size_t			 nocc;
	struct history_entry	*entries;	/* strings copied below */
	char			**strs;
	size_t			 nentries, nstrs, cap, scap;
	long long		*per_day;
	int			 cut;
};

static void
pr_free(void *arg)
{
	struct pr	*r = arg;
	size_t		 i, j;

	for (i = 0; i < r->nocc; i++) {
		for (j = 0; j < r->occ[i].n; j++)
			free(r->occ[i].fields[j]);
		free(r->occ[i].fields);
		free(r->occ[i].id);
	}
	for (i = 0; i < r->nstrs; i++)
		free(r->strs[i]);
	free(r->occ);
	free(r->strs);
	free(r->entries);
	free(r->per_day);
	free(r);
}

static char *
pr_keep(struct pr *r, const char *s)
{
	char	**ns;

	if (r->nstrs == r->scap) {
		r->scap = r->scap ? r->scap * 2 : 256;
		if ((ns = reallocarray(r->strs, r->scap, sizeof(*ns))) == NULL)
			fatal("%s", __func__);
		r->strs = ns;
	}
	if ((r->strs[r->nstrs] = strdup(s ? s : "")) == NULL)
		fatal("%s", __func__);
	return r->strs[r->nstrs++];
}

static void
pr_occ(struct page *p, const char *occ, int64_t due_end,
    char *const *fields, size_t nfields)
{
	struct pr	*r = p->data;
	struct pr_occ	*o;
	size_t		 i;

	if ((o = reallocarray(r->occ, r->nocc + 1, sizeof(*o))) == NULL)
		fatal("%s", __func__);
	r->occ = o;
	o = &r->occ[r->nocc++];
	if ((o->id = strdup(occ)) == NULL ||
	    (o->fields = calloc(nfields + 1, sizeof(*o->fields))) == NULL)
		fatal("%s", __func__);
	o->end = due_end;
	o->n = nfields;
	for (i = 0; i < nfields; i++)
		if ((o->fields[i] = strdup(fields[i])) == NULL)
			fatal("%s", __func__);
}

/* A sent message: its day's column; an entry the report counts: kept. */
static void
pr_entry(struct page *p, const struct history_entry *e)
{
	struct pr		*r = p->data;
	struct history_entry	*x, *ne;
	plan_day		 day;
	int			 min;

	if (strcmp(e->outcome, "sent") == 0 && p->nv->plan != NULL) {
		day = schedule_day_of(p->nv->plan, e->at, &min);
		if (day >= r->period.from && day <= r->period.to)
			r->per_day[day - r->period.from]++;
	}
	if (r->by != REPORT_BY_AGENCY || (strcmp(e->outcome, "sent") != 0 &&
	    strcmp(e->outcome, "dead") != 0 &&
	    strcmp(e->outcome, "missed") != 0))
		return;
	if (r->nentries == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		if ((ne = reallocarray(r->entries, r->cap, sizeof(*ne))) ==
		    NULL)
			fatal("%s", __func__);
		r->entries = ne;
	}
	x = &r->entries[r->nentries++];
	*x = *e;
	x->id = pr_keep(r, e->id);
	x->outcome = pr_keep(r, e->outcome);
	x->attempt = "";
	x->detail = "";
	x->ref = "";
}

static void
pr_render(struct page *p)
{
	struct pr		*r = p->data;
	struct report		*rep;
	struct view_report	 v;
	struct html		 h;
	FILE			*fp;
	char			*csv = NULL, name[80];
	size_t			 i, len = 0;
	int			 y1, m1, d1, y2, m2, d2;

	if (p->nv->plan == NULL) {
		page_error(p, 503, "Chưa có kế hoạch", "Chưa có kế hoạch nào "
		    "được nạp (nhacviec load).");
		return;
	}
	rep = report_new(p->nv->plan, r->by, p->ctx.now);
	for (i = 0; i < r->nocc; i++)
		(void)report_occurrence(rep, r->occ[i].id, r->occ[i].end,
		    r->occ[i].fields, r->occ[i].n);
	for (i = 0; i < r->nentries; i++)
		report_entry(rep, &r->entries[i]);
	if (r->csv) {
		if ((fp = open_memstream(&csv, &len)) == NULL ||
		    report_csv(rep, fp) == -1 || fclose(fp) == EOF) {
			report_free(rep);
			free(csv);
			page_error(p, 500, "Không tạo được bảng", "Thiếu bộ nhớ.");
			return;
		}
		plan_day_to_ymd(r->period.from, &y1, &m1, &d1);
		plan_day_to_ymd(r->period.to, &y2, &m2, &d2);
		snprintf(name, sizeof(name), "bao-cao-%s-%04d%02d%02d-"
		    "%04d%02d%02d.csv", r->by == REPORT_BY_AGENCY ? "co-quan" :
		    "nhiem-vu", y1, m1, d1, y2, m2, d2);
		page_csv(p, name, csv, len);
		report_free(rep);
		return;
	}
	memset(&v, 0, sizeof(v));
	v.period = r->period;
	v.by = r->by;
	v.rows = report_rows(rep, &v.n);
	v.sent_per_day = r->per_day;
	v.cut = r->cut;
	html_init(&h);
	view_report(&h, &p->ctx, &v);
	page_html(p, 200, &h);
	report_free(rep);
}

static void
pr_ledger(struct page *p)
{
	struct pr	*r = p->data;

	page_ledger(p, page_day_ms(p, r->period.from), page_day_ms(p,
	    r->period.to + 1), pr_entry, pr_render, &r->cut, NULL);
}

static void
pr_start(struct page *p, int csv)
{
	struct pr		*r;
	struct view_period	 def;
	const char		*by = page_arg(p, "by");
	int			 y, m, d;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
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
	if ((r->per_day = calloc((size_t)(r->period.to - r->period.from) + 2,
	    sizeof(*r->per_day))) == NULL)
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
