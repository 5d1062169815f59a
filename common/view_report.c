/* The status pages as HTML: Báo cáo, the report's table and two charts drawn here as SVG (no script). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define CHART_W		640	/* the charts' own units; they scale */
#define BAR_LABEL_H	16
#define BAR_H		14
#define BAR_GAP		8

static void
view_iso_day(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* One segment of a stacked bar, with its figure when there is room. */
static void
view_segment(struct html *h, double x, double y, double w, long long n,
    const char *cls, const char *what)
{
	if (n <= 0 || w <= 0)
		return;
	html_put(h, "<rect class=\"%r\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\"><title>%D %r</title></rect>", cls, (int)x, (int)y,
	    (int)(w + 0.5), BAR_H, (int64_t)n, what);
	if (w >= 22)
		html_put(h, "<text class=\"in\" x=\"%d\" y=\"%d\">%D</text>",
		    (int)(x + 4), (int)y + BAR_H - 3, (int64_t)n);
}

/* Per row: done on time, late, not done, as one bar each. */
static void
view_chart_done(struct html *h, const struct view_report *r)
{
	const struct report_row	*x;
	long long		 max = 1, total;
	double			 scale, at;
	size_t			 i;
	int			 y, height;
	char			 label[400];

	for (i = 0; i < r->n; i++) {
		total = r->rows[i].c.done_on_time + r->rows[i].c.done_late +
		    r->rows[i].c.not_done;
		if (total > max)
			max = total;
	}
	height = (int)r->n * (BAR_LABEL_H + BAR_H + BAR_GAP) + 30;
	scale = (double)(CHART_W - 10) / (double)max;
	html_put(h, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-labelledby=\"c1\"><title id=\"c1\">Hoàn thành "
	    "đúng hạn, trễ hạn và chưa hoàn thành</title>\n", CHART_W, height);
	for (i = 0, y = 0; i < r->n; i++) {
		x = &r->rows[i];
		if (r->by == REPORT_BY_TASK)
			snprintf(label, sizeof(label), "%s (%s)", x->name,
			    x->due);
		else
			snprintf(label, sizeof(label), "%s", x->name);
		html_put(h, "<text x=\"0\" y=\"%d\">%s</text>", y + 12, label);
		y += BAR_LABEL_H;
		at = 0;
		view_segment(h, at, y, x->c.done_on_time * scale,
		    x->c.done_on_time, "b-done", "đúng hạn");
		at += x->c.done_on_time * scale;
		view_segment(h, at, y, x->c.done_late * scale, x->c.done_late,
		    "b-late", "trễ hạn");
		at += x->c.done_late * scale;
		view_segment(h, at, y, x->c.not_done * scale, x->c.not_done,
		    "b-open", "chưa hoàn thành");
		html_raw(h, "\n");
		y += BAR_H + BAR_GAP;
	}
	html_put(h, "<g class=\"key\"><rect class=\"b-done\" x=\"0\" y=\"%d\" "
	    "width=\"12\" height=\"12\"/><text x=\"16\" y=\"%d\">đúng hạn"
	    "</text><rect class=\"b-late\" x=\"110\" y=\"%d\" width=\"12\" "
	    "height=\"12\"/><text x=\"126\" y=\"%d\">trễ hạn</text>"
	    "<rect class=\"b-open\" x=\"210\" y=\"%d\" width=\"12\" "
	    "height=\"12\"/><text x=\"226\" y=\"%d\">chưa hoàn thành</text>"
	    "</g>\n</svg>\n<figcaption>Hoàn thành đúng hạn, trễ hạn và chưa "
	    "hoàn thành, theo %r.</figcaption>\n</figure>\n", y + 6, y + 16,
	    y + 6, y + 16, y + 6, y + 16, r->by == REPORT_BY_AGENCY ?
	    "cơ quan" : "kỳ hạn của từng nhiệm vụ");
}

/* Messages sent per day of the period, as columns. */
static void
view_chart_days(struct html *h, const struct view_report *r)
{
	long long	max = 0, total = 0;
	int		ndays = (int)(r->period.to - r->period.from) + 1;
	int		i, w, x;
	int		height = 160, top = 150;
	double		colw;
	char		day[16];

	for (i = 0; i < ndays; i++) {
		if (r->sent_per_day[i] > max)
			max = r->sent_per_day[i];
		total += r->sent_per_day[i];
	}
	colw = (double)CHART_W / ndays;
	html_put(h, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-labelledby=\"c2\"><title id=\"c2\">Tin đã gửi "
	    "mỗi ngày</title>\n<line class=\"axis\" x1=\"0\" y1=\"%d\" "
	    "x2=\"%d\" y2=\"%d\"/>\n", CHART_W, height + 16, top, CHART_W, top);
	for (i = 0; i < ndays && max > 0; i++) {
		long long n = r->sent_per_day[i];
		int hh = (int)((double)n * (top - 14) / (double)max + 0.5);

		if (n == 0)
			continue;
		if (hh < 1)
			hh = 1;
		x = (int)(i * colw);
		w = (int)colw - 1 > 1 ? (int)colw - 1 : 1;
		view_iso_day(r->period.from + i, day, sizeof(day));
		html_put(h, "<rect class=\"b-sent\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"%d\"><title>%s: %D tin</title>"
		    "</rect>",
		    x, top - hh, w, hh, day, (int64_t)n);
	}
	view_iso_day(r->period.from, day, sizeof(day));
	html_put(h, "\n<text x=\"0\" y=\"%d\">%s</text>", top + 14, day);
	view_iso_day(r->period.to, day, sizeof(day));
	html_put(h, "<text class=\"end\" x=\"%d\" y=\"%d\">%s</text>", CHART_W,
	    top + 14, day);
	html_put(h, "<text x=\"0\" y=\"10\">cao nhất %D tin/ngày</text>\n"
	    "</svg>\n<figcaption>Tin đã gửi mỗi ngày: %D tin trong khoảng này."
	    "</figcaption>\n</figure>\n", (int64_t)max, (int64_t)total);
}

static void
view_report_table(struct html *h, const struct view_ctx *c,
    const struct view_report *r)
{
	const struct report_row	*x;
	char			 due[64];
	size_t			 i;

	html_put(h, "<div class=\"scroll\"><table class=\"report\">\n<thead>"
	    "<tr>%r<th>Lượt giao</th><th>Đã gửi tới</th><th>Đã xem</th>"
	    "<th>Đã xác nhận</th><th>Đúng hạn</th><th>Trễ hạn</th>"
	    "<th>Chưa xong</th>%r</tr></thead>\n<tbody>\n",
	    r->by == REPORT_BY_AGENCY ? "<th>Cơ quan</th>" :
	    "<th>Nhiệm vụ</th><th>Hạn</th>", r->by == REPORT_BY_AGENCY ?
	    "<th>Tin đã gửi</th><th>Tin lỗi</th>" : "");
	for (i = 0; i < r->n; i++) {
		x = &r->rows[i];
		if (r->by == REPORT_BY_AGENCY)
			html_put(h, "<tr><td><a href=\"/agencies/%u\">%s</a>"
			    "</td>", x->id, x->name);
		else {
			view_due(x->due, due, sizeof(due));
			html_put(h, "<tr><td><a href=\"/tasks/%u\">%s</a></td>"
			    "<td>%s</td>", x->id, x->name, due);
		}
		html_put(h, "<td>%D</td><td>%D</td><td>%D</td><td>%D</td>"
		    "<td>%D</td><td>%D</td><td%r>%D</td>",
		    (int64_t)x->c.follow_ups, (int64_t)x->c.reached,
		    (int64_t)x->c.seen, (int64_t)x->c.acknowledged,
		    (int64_t)x->c.done_on_time, (int64_t)x->c.done_late,
		    x->c.not_done ? " class=\"bad\"" : "",
		    (int64_t)x->c.not_done);
		if (r->by == REPORT_BY_AGENCY)
			html_put(h, "<td>%D</td><td%r>%D</td>",
			    (int64_t)x->c.messages_sent,
			    x->c.messages_failed ? " class=\"bad\"" : "",
			    (int64_t)x->c.messages_failed);
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
	(void)c;
}

void
view_report(struct html *h, const struct view_ctx *c,
    const struct view_report *r)
{
	char	from[16], to[16], a[64], b[64];
	const char *by = r->by == REPORT_BY_AGENCY ? "agency" : "task";

	view_begin(h, c, "Báo cáo");
	view_iso_day(r->period.from, from, sizeof(from));
	view_iso_day(r->period.to, to, sizeof(to));
	view_day(r->period.from, a, sizeof(a));
	view_day(r->period.to, b, sizeof(b));
	html_put(h, "<form method=\"get\" action=\"/report\" class=\"period\">"
	    "<label>Từ ngày <input type=\"date\" name=\"from\" value=\"%s\">"
	    "</label> <label>đến ngày <input type=\"date\" name=\"to\" "
	    "value=\"%s\"></label> <label>Theo <select name=\"by\">"
	    "<option value=\"agency\"%r>cơ quan</option>"
	    "<option value=\"task\"%r>nhiệm vụ</option></select></label> "
	    "<button type=\"submit\">Xem</button></form>\n", from, to,
	    r->by == REPORT_BY_AGENCY ? " selected" : "",
	    r->by == REPORT_BY_TASK ? " selected" : "");
	html_put(h, "<p>Các kỳ hạn từ %s đến %s. <a class=\"button\" "
	    "href=\"/report.csv?from=%u&amp;to=%u&amp;by=%u\" download>Tải "
	    "bảng CSV</a> (mở được bằng Excel)</p>\n", a, b, from, to, by);
	if (r->n == 0) {
		html_raw(h, "<p>Không có kỳ hạn nào trong khoảng này.</p>\n");
		view_end(h, c);
		return;
	}
	view_report_table(h, c, r);
	view_chart_done(h, r);
	if (r->sent_per_day != NULL)
		view_chart_days(h, r);
	if (r->cut)
		html_raw(h, "<p class=\"note\">Sổ gửi quá dài: số tin chỉ tính "
		    "một phần.</p>\n");
	view_end(h, c);
}
