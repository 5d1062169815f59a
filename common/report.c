/* The report Phòng Nội vụ hands in: what each agency did about the occurrences due in a span of days, as rows by agency or by task, written as CSV or a Vietnamese table; and the [report] sends the daemon plans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "followup.h"
#include "history.h"
#include "log.h"
#include "parse.h"
#include "report.h"
#include "schedule.h"
#include "template.h"
#include "text.h"
#include "xmalloc.h"

#define DAY_MS		(24LL * 60 * 60 * 1000)
#define SHIFT_DAYS	30	/* days off a report or reminder may cross */
#define NAME_COLUMN	48	/* columns of a text table's first one */
#define OVERDUE_LIST	10	/* agencies a summary names, at most */
#define RETRY_DAYS	7	/* a report send is retried this long */

/* The ledger's count for one agency of an occurrence. */
struct report_msgs {
	char		*agency;
	long long	 sent;
	long long	 failed;
};

/* An occurrence as gathered: its follow-up fields and ledger counts. */
struct report_occ {
	char			*name;		/* TASK/DUE */
	plan_day		 due;
	char			**fields;
	size_t			 nfields;
	struct report_msgs	*msgs;
	size_t			 nmsgs;
};

struct report {
	enum report_by		 by;
	plan_day		 from;
	plan_day		 to;
	int64_t			 now;
	struct report_occ	*occ;
	size_t			 nocc;
	size_t			 occcap;
	int			 sorted;
	struct report_row	*rows;		/* by agency or by task */
	size_t			 nrows;
	struct report_row	*agencies;	/* by agency, always */
	size_t			 nagencies;
	struct report_counts	 total;
	size_t			 ntasks;	/* tasks with an occurrence */
	size_t			 gone;
};

/* calloc or reallocarray that treat running out of memory as fatal. */
static void *
report_grow(void *p, size_t n, size_t size)
{
	p = xreallocarray(p, n, size);
	return p;
}

static char *
report_strdup(const char *s)
{
	char	*p;

	p = xstrdup(s);
	return p;
}

struct report *
report_new(enum report_by by, plan_day from, plan_day to)
{
	struct report	*r;

	r = xcalloc(1, sizeof(*r));
	r->by = by;
	r->from = from;
	r->to = to;
	return r;
}

void
report_free(struct report *r)
{
	size_t	i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nocc; i++) {
		free(r->occ[i].name);
		for (j = 0; j < r->occ[i].nfields; j++)
			free(r->occ[i].fields[j]);
		free(r->occ[i].fields);
		for (j = 0; j < r->occ[i].nmsgs; j++)
			free(r->occ[i].msgs[j].agency);
		free(r->occ[i].msgs);
	}
	free(r->occ);
	free(r->rows);
	free(r->agencies);
	free(r);
}

/* The due day of "TASK/YYYY-MM-DD"; -1 when the name is not so. */
static int
report_occ_due(const char *occurrence, plan_day *due)
{
	const char	*slash = strrchr(occurrence, '/');

	if (slash == NULL || slash == occurrence || strlen(slash + 1) != 10)
		return -1;
	return plan_parse_day(slash + 1, due);
}

int
report_add_occurrence(struct report *r, const char *occurrence,
    const char *const *fields, size_t n)
{
	struct report_occ	*o;
	plan_day		 due;
	size_t			 i;

	if (report_occ_due(occurrence, &due) == -1 || due < r->from ||
	    due > r->to)
		return -1;
	if (r->nocc == r->occcap) {
		r->occcap = r->occcap ? r->occcap * 2 : 64;
		r->occ = report_grow(r->occ, r->occcap, sizeof(*r->occ));
	}
	o = &r->occ[r->nocc++];
	memset(o, 0, sizeof(*o));
	o->name = report_strdup(occurrence);
	o->due = due;
	n &= ~(size_t)1;
	if (n > 0) {
		o->fields = report_grow(NULL, n, sizeof(*o->fields));
		for (i = 0; i < n; i++)
			o->fields[i] = report_strdup(fields[i] ? fields[i] :
			    "");
		o->nfields = n;
	}
	r->sorted = 0;
	return 0;
}

static int
report_occ_cmp(const void *a, const void *b)
{
	const struct report_occ	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

static struct report_occ *
report_occ_find(struct report *r, const char *name)
{
	struct report_occ	key;

	if (!r->sorted) {
		if (r->nocc > 1)
			qsort(r->occ, r->nocc, sizeof(*r->occ), report_occ_cmp);
		r->sorted = 1;
	}
	key.name = (char *)name;
	return r->nocc == 0 ? NULL : bsearch(&key, r->occ, r->nocc,
	    sizeof(*r->occ), report_occ_cmp);
}

void
report_add_ledger(struct report *r, const char *const *fields, size_t n)
{
	struct history_entry	 e;
	struct report_occ	*o;
	struct report_msgs	*m;
	char			 name[2 * HISTORY_PART_MAX + 40];
	size_t			 i;
	int			 sent;

	if (history_read(&e, fields, n) == -1 || e.due[0] == '\0' ||
	    e.agency[0] == '\0')
		return;
	/* An escalation goes to who follows the task up, not a recipient. */
	if (e.id != NULL && strstr(e.id, "/escalate:") != NULL)
		return;
	if (!(sent = strcmp(e.outcome, "sent") == 0) &&
	    strcmp(e.outcome, "dead") != 0)
		return;
	snprintf(name, sizeof(name), "%s/%s", e.task, e.due);
	if ((o = report_occ_find(r, name)) == NULL)
		return;
	for (i = 0; i < o->nmsgs && strcmp(o->msgs[i].agency, e.agency) != 0;
	    i++)
		;
	if (i == o->nmsgs) {
		o->msgs = report_grow(o->msgs, o->nmsgs + 1, sizeof(*o->msgs));
		m = &o->msgs[o->nmsgs++];
		m->agency = report_strdup(e.agency);
		m->sent = m->failed = 0;
	}
	if (sent)
		o->msgs[i].sent++;
	else
		o->msgs[i].failed++;
}

/* One follow-up into a row's counts. */
static void
report_count(struct report_counts *c, const struct followup *f,
    const struct report_msgs *m, int64_t now)
{
	enum followup_state	st = followup_state(f, now);

	c->follow_ups++;
	if (f->reached || f->received || f->seen)
		c->reached++;
	if (f->seen || f->ack || f->done)
		c->seen++;
	if (f->ack || f->done)
		c->acknowledged++;
	if (st == FU_DONE_ON_TIME)
		c->done_on_time++;
	else if (st == FU_DONE_LATE)
		c->done_late++;
	else {
		c->not_done++;
		if (st == FU_OVERDUE)
			c->overdue++;
	}
	if (m != NULL) {
		c->messages_sent += m->sent;
		c->messages_failed += m->failed;
	}
}

/* By due day, then task. */
static int
report_task_cmp(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->due, y->due)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

void
report_compute(struct report *r, const struct plan *p, int64_t now)
{
	struct followup		*v = NULL;
	struct report_row	*all, *row;
	struct report_msgs	*m;
	char			*done_task;
	size_t			 i, j, k, n, cap = 0, a;

	free(r->rows);
	free(r->agencies);
	r->rows = r->agencies = NULL;
	r->nrows = r->nagencies = r->gone = r->ntasks = 0;
	memset(&r->total, 0, sizeof(r->total));
	r->now = now;
	all = xcalloc(p->nagencies + 1, sizeof(*all));
	done_task = xcalloc(p->ntasks + 1, 1);
	if (r->by == REPORT_BY_TASK && r->nocc > 0)
		r->rows = report_grow(NULL, r->nocc, sizeof(*r->rows));
	for (i = 0; i < r->nocc; i++) {
		struct report_occ *o = &r->occ[i];

		n = 0;
		if (followup_read(p, o->name, schedule_local_ms(p, o->due + 1,
		    0), o->fields, o->nfields, &v, &n, &cap) == -1 || n == 0) {
			r->gone++;
			continue;
		}
		if (!done_task[v[0].task - p->tasks]) {
			done_task[v[0].task - p->tasks] = 1;
			r->ntasks++;
		}
		row = NULL;
		if (r->by == REPORT_BY_TASK) {
			row = &r->rows[r->nrows++];
			memset(row, 0, sizeof(*row));
			row->id = v[0].task->id;
			row->name = v[0].task->title ? v[0].task->title :
			    v[0].task->id;
			snprintf(row->due, sizeof(row->due), "%s", v[0].due);
		}
		for (j = 0; j < n; j++) {
			for (k = 0, m = NULL; k < o->nmsgs && m == NULL; k++)
				if (strcmp(o->msgs[k].agency,
				    v[j].agency->id) == 0)
					m = &o->msgs[k];
			a = (size_t)(v[j].agency - p->agencies);
			if (a < p->nagencies)
				report_count(&all[a].c, &v[j], m, now);
			if (row != NULL)
				report_count(&row->c, &v[j], m, now);
			report_count(&r->total, &v[j], m, now);
		}
	}
	free(v);
	free(done_task);
	/* The agencies with a follow-up, in the plan's order. */
	for (a = 0, n = 0; a < p->nagencies; a++) {
		if (all[a].c.follow_ups == 0)
			continue;
		all[n] = all[a];
		all[n].id = p->agencies[a].id;
		all[n].name = p->agencies[a].name ? p->agencies[a].name :
		    p->agencies[a].id;
		n++;
	}
	r->agencies = all;
	r->nagencies = n;
	if (r->by == REPORT_BY_AGENCY) {
		if (n > 0) {
			r->rows = report_grow(NULL, n, sizeof(*r->rows));
			memcpy(r->rows, all, n * sizeof(*r->rows));
		}
		r->nrows = n;
	} else if (r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof(*r->rows), report_task_cmp);
}

const struct report_row *
report_rows(const struct report *r, size_t *n)
{
	*n = r->nrows;
	return r->rows;
}

const struct report_row *
report_agencies(const struct report *r, size_t *n)
{
	*n = r->nagencies;
	return r->agencies;
}

const struct report_counts *
report_total(const struct report *r)
{
	return &r->total;
}

size_t
report_gone(const struct report *r)
{
	return r->gone;
}

/* --- CSV ------------------------------------------------------------------ */

void
report_csv_field(struct buf *b, const char *s)
{
	const char	*p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

char *
report_csv(const struct report *r, size_t *len)
{
	const struct report_row	*w;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	buf_puts(&b, REPORT_BOM);
	buf_puts(&b, r->by == REPORT_BY_AGENCY ? REPORT_CSV_AGENCY :
	    REPORT_CSV_TASK);
	buf_puts(&b, "\r\n");
	for (i = 0; i < r->nrows; i++) {
		w = &r->rows[i];
		report_csv_field(&b, w->id);
		buf_putc(&b, ',');
		report_csv_field(&b, w->name);
		if (r->by == REPORT_BY_TASK)
			buf_printf(&b, ",%s", w->due);
		buf_printf(&b, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld",
		    w->c.follow_ups, w->c.reached, w->c.seen, w->c.acknowledged,
		    w->c.done_on_time, w->c.done_late, w->c.not_done);
		if (r->by == REPORT_BY_AGENCY)
			buf_printf(&b, ",%lld,%lld", w->c.messages_sent,
			    w->c.messages_failed);
		buf_puts(&b, "\r\n");
	}
	return buf_take(&b, len);
}

/* --- text ----------------------------------------------------------------- */

/* s cut to at most max columns, "…" marking the cut; into buf. */
static const char *
report_cut(const char *s, size_t max, char *buf, size_t len)
{
	size_t	 n = 0, w = 0, k;
	char	 one[8];

	if (text_width(s) <= max)
		return s;
	while (s[n] != '\0' && n + 8 < len) {
		for (k = 1; (s[n + k] & 0xc0) == 0x80; k++)
			;
		memcpy(one, s + n, k);
		one[k] = '\0';
		if (w + text_width(one) > max - 1)
			break;
		w += text_width(one);
		n += k;
	}
	snprintf(buf, len, "%.*s…", (int)n, s);
	return buf;
}

/* s padded with spaces to width columns, left or right aligned. */
static void
report_pad(struct buf *b, const char *s, size_t width, int right)
{
	size_t	w = text_width(s);

	if (right)
		for (; w < width; w++)
			buf_putc(b, ' ');
	buf_puts(b, s);
	if (!right)
		for (; w < width; w++)
			buf_putc(b, ' ');
}

/* "30/06/2022" */
static void
report_day_vi(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%02d/%02d/%04d", d, m, y);
}

void
report_days_text(plan_day from, plan_day to, char *buf, size_t len)
{
	char	a[16], b[16];

	report_day_vi(from, a, sizeof(a));
	report_day_vi(to, b, sizeof(b));
	if (from == to)
		snprintf(buf, len, "ngày %s", a);
	else
		snprintf(buf, len, "từ ngày %s đến ngày %s", a, b);
}

#define NCOLS	10
#define CELL	256

/* The cells of one line of the text table; w NULL: the total. */
static size_t
report_cells(const struct report *r, const struct report_row *w,
    char cell[NCOLS][CELL])
{
	const struct report_counts	*c = w != NULL ? &w->c : &r->total;
	long long			 v[8];
	plan_day			 d;
	size_t				 k = 0, i;

	snprintf(cell[k++], CELL, "%s", w == NULL ? "Tổng cộng" :
	    report_cut(w->name, NAME_COLUMN, cell[NCOLS - 1], CELL));
	if (r->by == REPORT_BY_TASK) {
		if (w != NULL && plan_parse_day(w->due, &d) == 0)
			report_day_vi(d, cell[k], CELL);
		else
			cell[k][0] = '\0';
		k++;
	}
	v[0] = c->follow_ups;
	v[1] = c->reached;
	v[2] = c->seen;
	v[3] = c->acknowledged;
	v[4] = c->done_on_time;
	v[5] = c->done_late;
	v[6] = c->not_done;
	for (i = 0; i < 7; i++)
		snprintf(cell[k++], CELL, "%lld", v[i]);
	if (r->by == REPORT_BY_AGENCY) {
		snprintf(cell[k++], CELL, "%lld", c->messages_sent);
		snprintf(cell[k++], CELL, "%lld", c->messages_failed);
	}
	return k;
}

static void
report_rule(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_putc(b, '-');
	buf_putc(b, '\n');
}

char *
report_text(const struct report *r, const struct plan *p,
    const char *period_text)
{
	static const char *const head_agency[NCOLS] = { "Cơ quan", "Số việc",
	    "Đã nhận", "Đã xem", "Đã xác nhận", "Đúng hạn", "Trễ hạn",
	    "Chưa xong", "Tin đã gửi", "Tin lỗi" };
	static const char *const head_task[NCOLS] = { "Nhiệm vụ", "Hạn",
	    "Số cơ quan", "Đã nhận", "Đã xem", "Đã xác nhận", "Đúng hạn",
	    "Trễ hạn", "Chưa xong", NULL };
	int			 byagency = r->by == REPORT_BY_AGENCY;
	const char *const	*head = byagency ? head_agency : head_task;
	struct buf		 b = BUF_INIT;
	char			 days[96], when[64];
	char			 cell[NCOLS][CELL];
	struct report_period	 pd;
	size_t			 width[NCOLS], i, c, ncols, rule;

	ncols = byagency ? NCOLS : NCOLS - 1;
	/* Days that make a month, a quarter, a half or a year say so. */
	for (c = REPORT_MONTH; period_text == NULL && c <= REPORT_YEAR; c++) {
		report_period_of((enum report_every)c, r->from, &pd);
		if (pd.from == r->from && pd.to == r->to)
			period_text = pd.text;
	}
	buf_printf(&b, "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO %s\n",
	    byagency ? "CƠ QUAN" : "NHIỆM VỤ");
	report_days_text(r->from, r->to, days, sizeof(days));
	if (period_text != NULL)
		buf_printf(&b, "Kỳ báo cáo: %s (%s)\n", period_text, days);
	else
		buf_printf(&b, "Kỳ báo cáo: %s\n", days);
	if (template_fire_text(r->now, p->calendar.timezone, when,
	    sizeof(when)) == 0)
		buf_printf(&b, "Số liệu tính đến %s\n", when);
	buf_putc(&b, '\n');
	if (r->nrows == 0) {
		buf_printf(&b, "Không có nhiệm vụ nào đến hạn trong kỳ.\n");
		goto out;
	}
	/* Widths: the headings, every row and the total. */
	for (c = 0; c < ncols; c++)
		width[c] = text_width(head[c]);
	for (i = 0; i <= r->nrows; i++) {
		report_cells(r, i < r->nrows ? &r->rows[i] : NULL, cell);
		for (c = 0; c < ncols; c++)
			if (text_width(cell[c]) > width[c])
				width[c] = text_width(cell[c]);
	}
	for (c = 0, rule = 0; c < ncols; c++) {
		if (c > 0)
			buf_puts(&b, "  ");
		/* the name and the due day to the left, numbers right */
		report_pad(&b, head[c], width[c], c > (byagency ? 0 : 1u));
		rule += width[c] + (c > 0 ? 2 : 0);
	}
	buf_putc(&b, '\n');
	report_rule(&b, rule);
	for (i = 0; i <= r->nrows; i++) {
		if (i == r->nrows)
			report_rule(&b, rule);
		report_cells(r, i < r->nrows ? &r->rows[i] : NULL, cell);
		for (c = 0; c < ncols; c++) {
			if (c > 0)
				buf_puts(&b, "  ");
			report_pad(&b, cell[c], width[c], c > (byagency ? 0 :
			    1u));
		}
		buf_putc(&b, '\n');
	}
	buf_printf(&b, "\nGhi chú:\n");
	if (byagency)
		buf_printf(&b, "- Số việc: số lượt nhiệm vụ đến hạn trong kỳ "
		    "mà cơ quan chủ trì hoặc phối hợp thực hiện.\n");
	else
		buf_printf(&b, "- Số cơ quan: số cơ quan chủ trì và phối hợp "
		    "thực hiện lượt nhiệm vụ.\n");
	buf_printf(&b, "- Đã nhận: đã có tin nhắc gửi tới cơ quan.\n"
	    "- Đã xem: cơ quan đã đọc tin (Zalo báo đã xem), đã xác nhận "
	    "hoặc đã hoàn thành.\n"
	    "- Đã xác nhận: cơ quan đã xác nhận nhận việc, hoặc đã hoàn "
	    "thành.\n"
	    "- Đúng hạn, Trễ hạn: đã hoàn thành trước hoặc sau khi hết ngày "
	    "đến hạn.\n"
	    "- Chưa xong: chưa báo hoàn thành.\n");
	if (byagency)
		buf_printf(&b, "- Tin đã gửi, Tin lỗi: tin nhắc đã gửi được, "
		    "và tin không gửi được sau mọi lần thử.\n");
	if (r->gone > 0)
		buf_printf(&b, "- Không tính %zu lượt nhiệm vụ không còn "
		    "trong kế hoạch.\n", r->gone);
 out:
	return buf_take(&b, NULL);
}

char *
report_summary(const struct report *r, const struct plan *p,
    const char *head, const char *agency_name, const char *period_text,
    const char *attachment)
{
	const struct report_counts	*t = &r->total;
	struct buf			 b = BUF_INIT;
	char				 days[96], when[64];
	size_t				 i, listed = 0, over = 0;

	/* As reminders greet: "Trưởng phòng Nội vụ" names its office. */
	if (head != NULL && *head != '\0')
		buf_printf(&b, "Kính gửi: %s%s%s,\n\n", head, agency_name &&
		    strcasestr(head, agency_name) == NULL ? " - " : "",
		    agency_name && strcasestr(head, agency_name) == NULL ?
		    agency_name : "");
	else
		buf_printf(&b, "Kính gửi: Lãnh đạo %s,\n\n", agency_name ?
		    agency_name : "cơ quan");
	report_days_text(r->from, r->to, days, sizeof(days));
	buf_printf(&b, "Báo cáo kết quả thực hiện nhiệm vụ %s%s%s%s",
	    period_text ? period_text : days, period_text ? " (" : "",
	    period_text ? days : "", period_text ? ")" : "");
	if (template_fire_text(r->now, p->calendar.timezone, when,
	    sizeof(when)) == 0)
		buf_printf(&b, ", số liệu đến %s", when);
	buf_printf(&b, ":\n");
	if (t->follow_ups == 0)
		buf_printf(&b, "- Không có nhiệm vụ nào đến hạn trong kỳ.\n");
	else {
		buf_printf(&b, "- %zu nhiệm vụ, %lld lượt việc của %zu cơ "
		    "quan: %lld hoàn thành đúng hạn, %lld hoàn thành trễ hạn, "
		    "%lld chưa hoàn thành.\n", r->ntasks, t->follow_ups,
		    r->nagencies, t->done_on_time, t->done_late, t->not_done);
		buf_printf(&b, "- Tin nhắc: %lld tin đã gửi, %lld tin không "
		    "gửi được.\n", t->messages_sent, t->messages_failed);
		for (i = 0; i < r->nagencies; i++)
			over += r->agencies[i].c.overdue > 0;
		if (over == 0)
			buf_printf(&b, "- Không cơ quan nào còn việc quá "
			    "hạn.\n");
		else {
			buf_printf(&b, "- Cơ quan còn việc quá hạn:");
			for (i = 0; i < r->nagencies; i++) {
				if (r->agencies[i].c.overdue == 0)
					continue;
				if (listed == OVERDUE_LIST) {
					buf_printf(&b, " và %zu cơ quan khác",
					    over - listed);
					break;
				}
				buf_printf(&b, "%s %s (%lld)", listed ? "," :
				    "", r->agencies[i].name,
				    r->agencies[i].c.overdue);
				listed++;
			}
			buf_printf(&b, ".\n");
		}
	}
	if (attachment != NULL)
		buf_printf(&b, "\nChi tiết từng %s trong tệp đính kèm %s.\n",
		    r->by == REPORT_BY_AGENCY ? "cơ quan" : "nhiệm vụ",
		    attachment);
	return buf_take(&b, NULL);
}

/* --- periods and sends ---------------------------------------------------- */

int
report_every_parse(const char *s, enum report_every *out)
{
	static const char *const names[] = { "month", "quarter", "half",
	    "year" };
	int	i;

	for (i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, names[i]) == 0) {
			*out = (enum report_every)i;
			return 0;
		}
	return -1;
}

/* The last day of month m (1..12) of year y. */
static plan_day
report_month_end(int y, int m)
{
	return m == 12 ? plan_day_from_ymd(y + 1, 1, 1) - 1 :
	    plan_day_from_ymd(y, m + 1, 1) - 1;
}

void
report_period_of(enum report_every every, plan_day day,
    struct report_period *pd)
{
	static const char *const roman[] = { "I", "II", "III", "IV" };
	int	y, m, d, first = 1, months = 12, q;

	plan_day_to_ymd(day, &y, &m, &d);
	switch (every) {
	case REPORT_MONTH:
		first = m;
		months = 1;
		snprintf(pd->label, sizeof(pd->label), "%04d-%02d", y, m);
		snprintf(pd->text, sizeof(pd->text), "tháng %d/%d", m, y);
		break;
	case REPORT_QUARTER:
		q = (m - 1) / 3;
		first = q * 3 + 1;
		months = 3;
		snprintf(pd->label, sizeof(pd->label), "%04d-Q%d", y, q + 1);
		snprintf(pd->text, sizeof(pd->text), "quý %s/%d", roman[q], y);
		break;
	case REPORT_HALF:
		first = m <= 6 ? 1 : 7;
		months = 6;
		snprintf(pd->label, sizeof(pd->label), "%04d-H%d", y,
		    m <= 6 ? 1 : 2);
		snprintf(pd->text, sizeof(pd->text), "6 tháng %s năm %d",
		    m <= 6 ? "đầu" : "cuối", y);
		break;
	case REPORT_YEAR:
		snprintf(pd->label, sizeof(pd->label), "%04d", y);
		snprintf(pd->text, sizeof(pd->text), "năm %d", y);
		break;
	}
	pd->from = plan_day_from_ymd(y, first, 1);
	pd->to = report_month_end(y, first + months - 1);
}

/* The first working day on or after day (at most SHIFT_DAYS later). */
static plan_day
report_workday(const struct plan *p, plan_day day)
{
	int	k;

	for (k = 0; k < SHIFT_DAYS && !plan_is_workday(&p->calendar, day + k);
	    k++)
		;
	return k < SHIFT_DAYS ? day + k : day;
}

int64_t
report_fire(const struct plan *p, const struct config *c,
    const struct config_report *cr, plan_day end)
{
	plan_day	day = report_workday(p, end + cr->at_days);
	int		m = cr->at_minutes;

	if (m < c->hours_start)
		m = c->hours_start;
	else if (m >= c->hours_end) {
		day = report_workday(p, day + 1);
		m = c->hours_start;
	}
	return schedule_local_ms(p, day, m);
}

/* An agency's value for a contact field (zalo, phone, email), or NULL. */
static const char *
report_contact(const struct plan_agency *a, const char *field)
{
	const char	*v = NULL;

	if (field == NULL)
		return "";
	if (strcmp(field, "zalo") == 0)
		v = a->zalo;
	else if (strcmp(field, "phone") == 0)
		v = a->phone;
	else if (strcmp(field, "email") == 0)
		v = a->email;
	return v != NULL && *v != '\0' ? v : NULL;
}

static void
report_set(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, json_string(value));
}

/* "2022-06-30" */
static void
report_day_iso(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* The payload of one send: a reminder's fields, and what to report. */
static char *
report_payload(const struct plan *p, const struct config_report *cr,
    const struct report_period *pd, const struct plan_agency *a,
    const struct config_channel *ch, const char *id, int64_t fire_at)
{
	json_t	*o, *rq;
	char	 task[128], title[160], due[48], from[16], to[16], *s;
	plan_day fire_day = schedule_day_of(p, fire_at, NULL);

	report_day_iso(pd->from, from, sizeof(from));
	report_day_iso(pd->to, to, sizeof(to));
	snprintf(task, sizeof(task), "report:%s", cr->name);
	snprintf(title, sizeof(title), "Báo cáo kết quả thực hiện nhiệm vụ "
	    "%s", pd->text);
	snprintf(due, sizeof(due), "%s..%s", from, to);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
	    "id", id, "task", task, "title", title, "agency", a->id,
	    "agency_name", a->name ? a->name : a->id, "channel", ch->name,
	    "due", due, "spec", cr->at, "expires_at",
	    (json_int_t)schedule_local_ms(p, fire_day + RETRY_DAYS + 1, 0));
	rq = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", cr->name,
	    "every", cr->every, "by", cr->by, "from", from, "to", to,
	    "label", pd->label);
	if (o == NULL || rq == NULL)
		fatal("%s", __func__);
	json_object_set_new(o, "report", rq);
	if (strcmp(cr->every, "month") == 0 ||
	    strcmp(cr->every, "quarter") == 0)
		report_set(o, "period", cr->every);
	report_set(o, "head", a->head);
	report_set(o, "contact", ch->contact ? report_contact(a, ch->contact) :
	    NULL);
	report_set(o, "zalo", a->zalo);
	report_set(o, "phone", a->phone);
	report_set(o, "email", a->email);
	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		fatal("%s", __func__);
	json_decref(o);
	return s;
}

/* One report section's sends of one period into out. */
static void
report_plan_period(const struct plan *p, const struct config *c,
    const struct config_report *cr, const struct report_period *pd,
    int64_t fire_at, struct report_sends *out)
{
	const struct plan_agency	**who = NULL;
	const struct config_channel	 *ch;
	struct report_send		 *s;
	size_t				  i, j, k, n;
	char				 *id;

	for (i = 0; i < cr->nto; i++) {
		n = plan_members(p, cr->to[i], &who);
		for (j = 0; j < n; j++)
			for (k = 0; k < cr->nchannels; k++) {
				if ((ch = config_channel_find(c,
				    cr->channels[k])) == NULL ||
				    report_contact(who[j], ch->contact) == NULL)
					continue;
				xasprintf(&id, "report:%s/%s/%s/%s", cr->name,
				    pd->label, who[j]->id, ch->name);
				for (s = out->v; s < out->v + out->n &&
				    strcmp(s->id, id) != 0; s++)
					;
				if (s < out->v + out->n) {
					free(id);	/* in two groups */
					continue;
				}
				if (out->n == out->cap) {
					out->cap = out->cap ? out->cap * 2 : 8;
					out->v = report_grow(out->v, out->cap,
					    sizeof(*out->v));
				}
				s = &out->v[out->n++];
				s->id = id;
				s->fire_at = fire_at;
				s->payload = report_payload(p, cr, pd, who[j],
				    ch, id, fire_at);
			}
		free(who);
		who = NULL;
	}
}

void
report_plan(const struct plan *p, const struct config *c, int64_t from_ms,
    int64_t to_ms, struct report_sends *out)
{
	const struct config_report	*cr;
	struct report_period		 pd;
	enum report_every		 every;
	plan_day			 day, last;
	int64_t				 at;
	size_t				 i;

	for (i = 0; i < c->nreports; i++) {
		cr = &c->reports[i];
		if (report_every_parse(cr->every, &every) == -1)
			continue;
		/* Periods whose send can fall in the span: at's ±Nd, and a
		 * month of days off either way. */
		day = schedule_day_of(p, from_ms, NULL) - 366 - SHIFT_DAYS - 1;
		last = schedule_day_of(p, to_ms, NULL) + 366 + SHIFT_DAYS + 1;
		for (; day <= last; day = pd.to + 1) {
			report_period_of(every, day, &pd);
			at = report_fire(p, c, cr, pd.to);
			if (at >= from_ms && at <= to_ms)
				report_plan_period(p, c, cr, &pd, at, out);
		}
	}
}

void
report_sends_clear(struct report_sends *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].payload);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
report_request_read(json_t *payload, struct report_request *rq, char *err,
    size_t len)
{
	json_t			*o;
	const char		*name, *by, *every, *from, *to;
	enum report_every	 e;
	plan_day		 f, t;

	memset(rq, 0, sizeof(*rq));
	if ((o = json_object_get(payload, "report")) == NULL)
		return 0;
	name = json_string_value(json_object_get(o, "name"));
	by = json_string_value(json_object_get(o, "by"));
	every = json_string_value(json_object_get(o, "every"));
	from = json_string_value(json_object_get(o, "from"));
	to = json_string_value(json_object_get(o, "to"));
	if (!json_is_object(o) || name == NULL || by == NULL ||
	    report_every_parse(every, &e) == -1 || from == NULL || to == NULL ||
	    plan_parse_day(from, &f) == -1 || plan_parse_day(to, &t) == -1 ||
	    t < f || (strcmp(by, "agency") != 0 && strcmp(by, "task") != 0)) {
		snprintf(err, len, "the payload's report member is not "
		    "{name, every, by, from, to} as the planner writes it");
		return -1;
	}
	snprintf(rq->name, sizeof(rq->name), "%s", name);
	rq->by = strcmp(by, "task") == 0 ? REPORT_BY_TASK : REPORT_BY_AGENCY;
	report_period_of(e, f, &rq->period);
	/* The days as planned, whatever period they fall in now. */
	rq->period.from = f;
	rq->period.to = t;
	return 1;
}

void
report_check(const struct plan *p, const struct config *c, struct diag *d)
{
	const struct config_report	 *cr;
	const struct config_channel	 *ch;
	const struct plan_agency	**who = NULL;
	const char			**names, *near;
	size_t				  i, j, k, a, n;

	names = report_grow(NULL, p->nagencies + p->ngroups + 1,
	    sizeof(*names));
	for (i = 0; i < p->nagencies; i++)
		names[i] = p->agencies[i].id;
	for (i = 0; i < p->ngroups; i++)
		names[p->nagencies + i] = p->groups[i].id;
	names[p->nagencies + p->ngroups] = NULL;
	for (i = 0; i < c->nreports; i++) {
		cr = &c->reports[i];
		for (j = 0; j < cr->nto; j++) {
			if ((n = plan_members(p, cr->to[j], &who)) == 0) {
				near = parse_nearest(cr->to[j], names);
				if (near != NULL)
					diag_error(d, c->path, cr->to_line,
					    "[report %s] to: no agency or "
					    "group '%s' in the plan; did you "
					    "mean '%s'?", cr->name, cr->to[j],
					    near);
				else
					diag_error(d, c->path, cr->to_line,
					    "[report %s] to: no agency or "
					    "group '%s' in the plan", cr->name,
					    cr->to[j]);
			}
			for (a = 0; a < n; a++)
				for (k = 0; k < cr->nchannels; k++) {
					ch = config_channel_find(c,
					    cr->channels[k]);
					if (ch == NULL || report_contact(who[a],
					    ch->contact) != NULL)
						continue;
					diag_error(d, c->path, cr->to_line,
					    "[report %s] to: agency '%s' has "
					    "no %s for channel '%s'", cr->name,
					    who[a]->id, ch->contact,
					    ch->name);
				}
			free(who);
			who = NULL;
		}
	}
	free(names);
}

void
report_ledger_span(const struct plan *p, plan_day from, plan_day to,
    int64_t *lo, int64_t *hi)
{
	const struct plan_task	*t;
	const struct plan_spec	*s;
	int			 longest, shortest, before = 0, after = 0, b;
	size_t			 i, j;

	for (i = 0; i < p->ntasks; i++) {
		t = &p->tasks[i];
		/* An occurrence's days less one: a quarter, a month, a day. */
		longest = t->when == WHEN_QUARTER ? 91 : t->when == WHEN_MONTH ?
		    30 : 0;
		shortest = t->when == WHEN_QUARTER ? 89 : t->when ==
		    WHEN_MONTH ? 27 : 0;
		for (j = 0; j < t->nremind + t->nremind_lead; j++) {
			s = j < t->nremind ? &t->remind[j] :
			    &t->remind_lead[j - t->nremind];
			/* Days before the end it can fire, and after. */
			b = (s->anchor == ANCHOR_START ? longest : 0) -
			    s->days + (s->window != NULL);
			if (b > before)
				before = b;
			b = s->days - (s->anchor == ANCHOR_START ? shortest :
			    0) + (s->window != NULL);
			if (b > after)
				after = b;
		}
	}
	/* Days off move a reminder earlier; retries end the next midnight. */
	*lo = schedule_local_ms(p, from - before - SHIFT_DAYS, 0);
	*hi = schedule_local_ms(p, to + after + 2, 0);
}
