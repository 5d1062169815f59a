/* The status pages as HTML: Nhiệm vụ (the tasks, one task's matrix of occurrences and agencies) and Cơ quan (the agencies, one agency's history). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

/* A state's letter and class: it reads in black and white too. */
static const struct {
	const char	*letter;
	const char	*cls;
} view_cell[FU_STATES] = {
	[FU_NOT_REACHED] = { "·", "s-none" },
	[FU_REACHED] = { "G", "s-reached" },
	[FU_SEEN] = { "X", "s-seen" },
	[FU_ACK] = { "N", "s-ack" },
	[FU_DONE_ON_TIME] = { "H", "s-done" },
	[FU_DONE_LATE] = { "T", "s-late" },
	[FU_OVERDUE] = { "Q", "s-overdue" },
};

/* The legend of the letters. */
static void
view_legend(struct html *h)
{
	int	s;

	html_raw(h, "<ul class=\"legend\">\n");
	for (s = 0; s < FU_STATES; s++)
		html_put(h, "<li><span class=\"cell %r\">%r</span> %r</li>\n",
		    view_cell[s].cls, view_cell[s].letter,
		    followup_state_vi(s));
	html_raw(h, "</ul>\n");
}

/* "YYYY-MM-DD" of a day. */
static void
view_iso(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* Links to the month before and after the period's first day. */
static void
view_months(struct html *h, const char *base, const char *id,
    const struct view_period *pr)
{
	char	a[16], b[16], c[16], d[16];
	int	y, m, day;

	plan_day_to_ymd(pr->from, &y, &m, &day);
	view_iso(plan_day_from_ymd(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1,
	    1), a, sizeof(a));
	view_iso(plan_day_from_ymd(y, m, 1) - 1, b, sizeof(b));
	view_iso(plan_day_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
	    1), c, sizeof(c));
	view_iso(plan_day_from_ymd(m >= 11 ? y + 1 : y, (m + 1) % 12 + 1, 1) -
	    1, d, sizeof(d));
	if (id == NULL)
		id = "";
	html_put(h, "<p class=\"months\"><a href=\"%r%u?from=%u&amp;to=%u\">"
	    "« Tháng trước</a> <a href=\"%r%u?from=%u&amp;to=%u\">Tháng sau "
	    "»</a></p>\n", base, id, a, b, base, id, c, d);
}

void
view_tasks(struct html *h, const struct view_ctx *c,
    const struct view_period *pr, const struct view_task_row *rows,
    size_t n)
{
	char	from[64], to[64];
	size_t	i;
	long long done, open;

	view_begin(h, c, "Nhiệm vụ");
	view_day(pr->from, from, sizeof(from));
	view_day(pr->to, to, sizeof(to));
	html_put(h, "<p>Các kỳ hạn từ %s đến %s.</p>\n", from, to);
	view_period_form(h, "/tasks", NULL, pr, NULL, NULL);
	view_months(h, "/tasks", NULL, pr);
	if (n == 0) {
		html_raw(h, "<p>Kế hoạch chưa có nhiệm vụ nào.</p>\n");
		view_end(h, c);
		return;
	}
	html_raw(h, "<div class=\"scroll\"><table>\n<thead><tr><th>Nhiệm vụ"
	    "</th><th>Chủ trì</th><th>Lượt giao</th><th>Hoàn thành</th>"
	    "<th>Quá hạn</th><th>Đang chờ</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const struct view_task_row *r = &rows[i];

		done = r->follow[FU_DONE_ON_TIME] + r->follow[FU_DONE_LATE];
		open = r->follow[FU_NOT_REACHED] + r->follow[FU_REACHED] +
		    r->follow[FU_SEEN] + r->follow[FU_ACK];
		html_put(h, "<tr><td><a href=\"/tasks/%u?from=", r->task->id);
		view_iso(pr->from, from, sizeof(from));
		view_iso(pr->to, to, sizeof(to));
		html_put(h, "%u&amp;to=%u\">%s</a></td><td>%s</td>"
		    "<td>%D</td><td>%D</td><td%r>%D</td><td>%D</td></tr>\n",
		    from, to, r->task->title ? r->task->title : r->task->id,
		    r->task->lead ? view_agency_name(c->plan, r->task->lead) :
		    "", (int64_t)(done + open + r->follow[FU_OVERDUE]),
		    (int64_t)done, r->follow[FU_OVERDUE] ? " class=\"bad\"" :
		    "", (int64_t)r->follow[FU_OVERDUE], (int64_t)open);
	}
	html_raw(h, "</tbody></table></div>\n");
	view_end(h, c);
}

/* The title of a cell: its state and when each step happened. */
static void
view_cell_title(const struct view_ctx *c, const struct followup *f,
    enum followup_state s, char *buf, size_t len)
{
	char	when[64];
	size_t	n;

	snprintf(buf, len, "%s", followup_state_vi(s));
	n = strlen(buf);
	if (f->reached && n < len) {
		view_when(c->plan, f->reached, when, sizeof(when));
		n += (size_t)snprintf(buf + n, len - n, "; gửi tới %s", when);
	}
	if (f->seen && n < len) {
		view_when(c->plan, f->seen, when, sizeof(when));
		n += (size_t)snprintf(buf + n, len - n, "; xem %s", when);
	}
	if (f->ack && n < len) {
		view_when(c->plan, f->ack, when, sizeof(when));
		n += (size_t)snprintf(buf + n, len - n, "; xác nhận %s (%s)",
		    when, f->ack_via);
	}
	if (f->done && n < len) {
		view_when(c->plan, f->done, when, sizeof(when));
		n += (size_t)snprintf(buf + n, len - n, "; hoàn thành %s (%s)",
		    when, f->done_via);
	}
	if (f->escalated && n < len) {
		view_when(c->plan, f->escalated, when, sizeof(when));
		snprintf(buf + n, len - n, "; báo cấp trên %s", when);
	}
}

/* The form an admin records a phone call with. */
static void
view_follow_form(struct html *h, const struct view_ctx *c,
    const struct view_matrix *m)
{
	char	due[64];
	size_t	i;

	html_raw(h, "<section>\n<h2>Ghi nhận theo điện thoại</h2>\n"
	    "<form method=\"post\" action=\"/follow\" class=\"follow\">\n");
	view_hidden_csrf(h, c);
	html_put(h, "<input type=\"hidden\" name=\"task\" value=\"%s\">\n"
	    "<label>Cơ quan <select name=\"agency\">", m->task->id);
	for (i = 0; i < m->nrec; i++)
		html_put(h, "<option value=\"%s\">%s</option>",
		    m->recipients[i]->id, m->recipients[i]->name ?
		    m->recipients[i]->name : m->recipients[i]->id);
	html_raw(h, "</select></label>\n<label>Kỳ hạn <select name=\"due\">");
	for (i = 0; i < m->nocc; i++) {
		view_due(m->dues[i], due, sizeof(due));
		html_put(h, "<option value=\"%s\">%s</option>", m->dues[i],
		    due);
	}
	html_raw(h, "</select></label>\n<fieldset><legend>Cơ quan báo"
	    "</legend><label><input type=\"radio\" name=\"what\" value=\"ack\" "
	    "checked> đã nhận</label> <label><input type=\"radio\" "
	    "name=\"what\" value=\"done\"> đã hoàn thành</label></fieldset>\n"
	    "<label>Ghi chú <input name=\"note\" maxlength=\"300\"></label>\n"
	    "<button type=\"submit\">Ghi nhận</button>\n</form>\n</section>\n");
}

void
view_matrix(struct html *h, const struct view_ctx *c,
    const struct view_matrix *m)
{
	const struct followup	*f;
	enum followup_state	 s;
	char			 title[600], due[64], from[64], to[64];
	size_t			 i, j, esc;

	view_begin(h, c, m->task->title ? m->task->title : m->task->id);
	html_put(h, "<p>Mã nhiệm vụ <code>%s</code>", m->task->id);
	if (m->task->lead != NULL)
		html_put(h, "; chủ trì: <a href=\"/agencies/%u\">%s</a>",
		    m->task->lead, view_agency_name(c->plan, m->task->lead));
	html_raw(h, ".</p>\n");
	if (m->task->note != NULL)
		html_put(h, "<p class=\"note\">%s</p>\n", m->task->note);
	view_day(m->period.from, from, sizeof(from));
	view_day(m->period.to, to, sizeof(to));
	html_put(h, "<p>Các kỳ hạn từ %s đến %s.</p>\n", from, to);
	view_period_form(h, "/tasks/", m->task->id, &m->period, NULL, NULL);
	view_months(h, "/tasks/", m->task->id, &m->period);
	if (m->nocc == 0) {
		html_raw(h, "<p>Không có kỳ hạn nào trong khoảng này.</p>\n");
		view_end(h, c);
		return;
	}
	view_legend(h);
	html_raw(h, "<div class=\"scroll\"><table class=\"matrix\">\n<thead>"
	    "<tr><th>Cơ quan</th>");
	for (i = 0; i < m->nocc; i++) {
		view_due(m->dues[i], due, sizeof(due));
		/* "30/04" of "2022-04-30" */
		snprintf(title, sizeof(title), "%.2s/%.2s", m->dues[i] + 8,
		    m->dues[i] + 5);
		html_put(h, "<th title=\"%s\">%s</th>", due, title);
	}
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (j = 0; j < m->nrec; j++) {
		html_put(h, "<tr><th scope=\"row\"><a href=\"/agencies/%u\">%s"
		    "</a></th>", m->recipients[j]->id, m->recipients[j]->name ?
		    m->recipients[j]->name : m->recipients[j]->id);
		for (i = 0; i < m->nocc; i++) {
			f = &m->f[i * m->nrec + j];
			s = followup_state(f, c->now);
			view_cell_title(c, f, s, title, sizeof(title));
			html_put(h, "<td class=\"cell %r\" title=\"%s\">%r",
			    view_cell[s].cls, title, view_cell[s].letter);
			if (m->notes != NULL && m->notes[i * m->nrec + j])
				html_put(h, "<small>%s</small>",
				    m->notes[i * m->nrec + j]);
			html_raw(h, "</td>");
		}
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
	/* The escalations: who is told about those not done, and when. */
	html_raw(h, "<section>\n<h2>Báo cấp trên</h2>\n");
	for (i = 0, esc = 0; i < m->nesc; i++) {
		const struct view_escalation *e = &m->esc[i];
		const char *st = e->state;

		if (esc++ == 0)
			html_raw(h, "<ul>\n");
		view_due(e->due, due, sizeof(due));
		html_put(h, "<li>Kỳ hạn %s: báo <a href=\"/agencies/%u\">%s</a> "
		    "qua %s — ", due, e->agency, view_agency_name(c->plan,
		    e->agency), e->channel);
		if (strcmp(st, "sent") == 0)
			html_raw(h, "<span class=\"ok\">đã gửi</span>");
		else if (strcmp(st, "skipped") == 0)
			html_raw(h, "không cần gửi: các cơ quan đã hoàn thành");
		else if (strcmp(st, "dead") == 0 || strcmp(st, "missed") == 0)
			html_raw(h, "<span class=\"bad\">không gửi được</span>");
		else if (e->at > 0) {
			view_when(c->plan, e->at, title, sizeof(title));
			html_put(h, "chờ đến giờ gửi (%s)", title);
		} else
			html_raw(h, "đang gửi");
		html_raw(h, "</li>\n");
	}
	if (esc > 0)
		html_raw(h, "</ul>\n");
	if (esc == 0)
		html_raw(h, "<p>Nhiệm vụ này không có lần báo cấp trên nào trong "
		    "khoảng này.</p>\n");
	html_raw(h, "</section>\n");
	if (!c->read_only)
		view_follow_form(h, c, m);
	view_end(h, c);
}

void
view_agencies(struct html *h, const struct view_ctx *c)
{
	const struct plan_agency	*a;
	size_t				 i;

	view_begin(h, c, "Cơ quan");
	if (c->plan == NULL || c->plan->nagencies == 0) {
		html_raw(h, "<p>Kế hoạch chưa có cơ quan nào.</p>\n");
		view_end(h, c);
		return;
	}
	html_raw(h, "<div class=\"scroll\"><table>\n<thead><tr><th>Cơ quan"
	    "</th><th>Người đứng đầu</th><th>Liên lạc</th></tr></thead>\n"
	    "<tbody>\n");
	for (i = 0; i < c->plan->nagencies; i++) {
		a = &c->plan->agencies[i];
		html_put(h, "<tr><td><a href=\"/agencies/%u\">%s</a></td>"
		    "<td>%s</td><td>%r%r%r%r</td></tr>\n", a->id,
		    a->name ? a->name : a->id, a->head ? a->head : "",
		    a->zalo ? "Zalo " : "", a->phone ? "điện thoại " : "",
		    a->email ? "email" : "", !a->zalo && !a->phone &&
		    !a->email ? "<span class=\"bad\">không có</span>" : "");
	}
	html_raw(h, "</tbody></table></div>\n");
	view_end(h, c);
}

void
view_agency(struct html *h, const struct view_ctx *c,
    const struct view_agency *v)
{
	const struct plan_agency	*a = v->agency;
	enum followup_state		 s;
	char				 due[64], when[64], from[64], to[64];
	size_t				 i;

	view_begin(h, c, a->name ? a->name : a->id);
	html_put(h, "<p>Mã cơ quan <code>%s</code>", a->id);
	if (a->head != NULL)
		html_put(h, "; người đứng đầu: %s", a->head);
	html_raw(h, ".</p>\n");
	view_day(v->period.from, from, sizeof(from));
	view_day(v->period.to, to, sizeof(to));
	html_put(h, "<p>Từ %s đến %s.</p>\n", from, to);
	view_period_form(h, "/agencies/", a->id, &v->period, NULL, NULL);
	view_months(h, "/agencies/", a->id, &v->period);
	html_raw(h, "<section>\n<h2>Việc được giao</h2>\n");
	if (v->nf == 0)
		html_raw(h, "<p>Không có kỳ hạn nào trong khoảng này.</p>\n");
	else {
		html_raw(h, "<div class=\"scroll\"><table>\n<thead><tr>"
		    "<th>Nhiệm vụ</th><th>Hạn</th><th>Tình trạng</th>"
		    "<th>Ghi chú</th></tr></thead>\n<tbody>\n");
		for (i = 0; i < v->nf; i++) {
			s = followup_state(&v->f[i], c->now);
			view_due(v->f[i].due, due, sizeof(due));
			html_put(h, "<tr><td><a href=\"/tasks/%u\">%s</a></td>"
			    "<td>%s</td><td><span class=\"cell %r\">%r</span> "
			    "%r</td><td>%s</td></tr>\n", v->f[i].task->id,
			    v->f[i].task->title ? v->f[i].task->title :
			    v->f[i].task->id, due, view_cell[s].cls,
			    view_cell[s].letter, followup_state_vi(s),
			    v->notes && v->notes[i] ? v->notes[i] : "");
		}
		html_raw(h, "</tbody></table></div>\n");
	}
	html_raw(h, "</section>\n<section>\n<h2>Tin nhắn đã gửi</h2>\n");
	if (v->nm == 0)
		html_raw(h, "<p>Không có tin nào trong khoảng này.</p>\n");
	else {
		html_raw(h, "<div class=\"scroll\"><table class=\"cards\">\n"
		    "<thead><tr><th>Lúc</th><th>Nhiệm vụ</th><th>Kênh</th>"
		    "<th>Kết quả</th><th>Chi tiết</th></tr></thead>\n"
		    "<tbody>\n");
		for (i = 0; i < v->nm; i++) {
			const struct view_message *m = &v->m[i];

			view_when(c->plan, m->at, when, sizeof(when));
			html_put(h, "<tr><td>%s</td><td>%s", when,
			    view_task_title(c->plan, m->task));
			if (m->due != NULL && *m->due != '\0') {
				view_due(m->due, due, sizeof(due));
				html_put(h, "<br><small>hạn %s</small>", due);
			}
			html_put(h, "</td><td>%s</td><td class=\"o-%u\">%s%r"
			    "</td><td>%s</td></tr>\n", m->channel, m->outcome,
			    view_outcome(m->outcome), m->late ? " (trễ)" : "",
			    m->detail);
		}
		html_raw(h, "</tbody></table></div>\n");
		if (v->cut)
			html_put(h, "<p class=\"note\">Hiện %d tin mới "
			    "nhất; chọn khoảng ngắn hơn để xem hết.</p>\n",
			    (int)v->nm);
	}
	html_raw(h, "</section>\n");
	view_end(h, c);
}
