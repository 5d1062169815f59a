/* The status pages as HTML (Trang theo dõi): the frame, dates in Vietnamese, login, Tổng quan and Thư lỗi; view_task.c and view_report.c draw the others. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "history.h"
#include "schedule.h"
#include "view.h"

static const char *const view_weekday[] = {
	"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu",
	"Thứ Bảy",
};

void
view_day(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%s, %02d/%02d/%04d",
	    view_weekday[plan_weekday(day)], d, m, y);
}

void
view_when(const struct plan *p, int64_t ms, char *buf, size_t len)
{
	plan_day	day;
	int		min;
	size_t		n;

	if (ms <= 0) {
		snprintf(buf, len, "—");
		return;
	}
	if (p == NULL) {
		clock_format_iso8601(ms, buf, len);
		return;
	}
	day = schedule_day_of(p, ms, &min);
	view_day(day, buf, len);
	n = strlen(buf);
	snprintf(buf + n, len > n ? len - n : 0, " %02d:%02d", min / 60,
	    min % 60);
}

static const struct {
	const char	*outcome;
	const char	*vi;
} view_outcomes[] = {
	{ "sent", "Đã gửi" },
	{ "retry", "Gửi lại sau" },
	{ "defer", "Hoãn lại" },
	{ "dead", "Không gửi được" },
	{ "missed", "Bỏ lỡ" },
	{ "skipped", "Không gửi" },
	{ "requeued", "Gửi lại" },
	{ "paused", "Tạm dừng kênh" },
	{ "resumed", "Tiếp tục kênh" },
	{ "acknowledged", "Đã xác nhận" },
	{ "done", "Đã hoàn thành" },
};

const char *
view_outcome(const char *o)
{
	size_t	i;

	for (i = 0; i < sizeof(view_outcomes) / sizeof(view_outcomes[0]); i++)
		if (strcmp(view_outcomes[i].outcome, o) == 0)
			return view_outcomes[i].vi;
	return o;
}

const char *
view_task_title(const struct plan *p, const char *id)
{
	const struct plan_task	*t;

	if (strcmp(id, "adhoc") == 0)
		return "Thông báo";
	if (p == NULL || (t = plan_task_find(p, id)) == NULL)
		return id;
	return t->title ? t->title : t->id;
}

const char *
view_agency_name(const struct plan *p, const char *id)
{
	const struct plan_agency	*a;

	if (p == NULL || (a = plan_agency_find(p, id)) == NULL)
		return id;
	return a->name ? a->name : a->id;
}

void
view_due(const char *due, char *buf, size_t len)
{
	plan_day	day;

	if (plan_parse_day(due, &day) == 0)
		view_day(day, buf, len);
	else
		snprintf(buf, len, "%s", due);
}

void
view_hidden_csrf(struct html *h, const struct view_ctx *c)
{
	html_put(h, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
	    c->csrf ? c->csrf : "");
}

void
view_period_form(struct html *h, const char *base, const char *id,
    const struct view_period *pr, const char *extra_name,
    const char *extra_value)
{
	char	from[16], to[16];
	int	y, m, d;

	plan_day_to_ymd(pr->from, &y, &m, &d);
	snprintf(from, sizeof(from), "%04d-%02d-%02d", y, m, d);
	plan_day_to_ymd(pr->to, &y, &m, &d);
	snprintf(to, sizeof(to), "%04d-%02d-%02d", y, m, d);
	html_put(h, "<form method=\"get\" action=\"%r%u\" class=\"period\">"
	    "<label>Từ ngày <input type=\"date\" name=\"from\" value=\"%s\">"
	    "</label> <label>đến ngày <input type=\"date\" name=\"to\" "
	    "value=\"%s\"></label> ", base, id ? id : "", from, to);
	if (extra_name != NULL)
		html_put(h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">",
		    extra_name, extra_value);
	html_raw(h, "<button type=\"submit\">Xem</button></form>\n");
}

static const struct {
	const char	*section;
	const char	*href;
	const char	*label;
} view_menu[] = {
	{ "overview", "/", "Tổng quan" },
	{ "tasks", "/tasks", "Nhiệm vụ" },
	{ "agencies", "/agencies", "Cơ quan" },
	{ "dead", "/dead", "Thư lỗi" },
	{ "report", "/report", "Báo cáo" },
};

void
view_begin(struct html *h, const struct view_ctx *c, const char *title)
{
	size_t	i;

	html_put(h, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>%s · Nhắc việc</title>\n"
	    "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
	    "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
	    "<header>\n<a class=\"brand\" href=\"/\">Nhắc việc</a>\n", title);
	if (c->user != NULL) {
		html_raw(h, "<nav>\n");
		for (i = 0; i < sizeof(view_menu) / sizeof(view_menu[0]); i++)
			html_put(h, "<a href=\"%r\"%r>%r</a>\n",
			    view_menu[i].href, c->section != NULL &&
			    strcmp(c->section, view_menu[i].section) == 0 ?
			    " aria-current=\"page\"" : "", view_menu[i].label);
		html_raw(h, "</nav>\n<form method=\"post\" action=\"/logout\" "
		    "class=\"who\">");
		view_hidden_csrf(h, c);
		html_put(h, "<span>%s%r</span> <button type=\"submit\">"
		    "Đăng xuất</button></form>\n", c->user, c->read_only ?
		    " (chỉ xem)" : "");
	}
	html_put(h, "</header>\n<main>\n<h1>%s</h1>\n", title);
	if (c->flash != NULL)
		html_put(h, "<p class=\"flash%r\" role=\"status\">%s</p>\n",
		    c->flash_bad ? " bad" : "", c->flash);
}

void
view_end(struct html *h, const struct view_ctx *c)
{
	char	when[64];

	view_when(c->plan, c->now, when, sizeof(when));
	html_put(h, "</main>\n<footer>Trang theo dõi nhắc việc · %s</footer>\n"
	    "</body>\n</html>\n", when);
}

void
view_error(struct html *h, const struct view_ctx *c, const char *title,
    const char *text)
{
	view_begin(h, c, title);
	html_put(h, "<p>%s</p>\n<p><a href=\"/\">Về trang Tổng quan</a></p>\n",
	    text);
	view_end(h, c);
}

void
view_login(struct html *h, const struct view_ctx *c, const char *user,
    const char *err)
{
	view_begin(h, c, "Đăng nhập");
	if (err != NULL)
		html_put(h, "<p class=\"flash bad\" role=\"alert\">%s</p>\n",
		    err);
	html_put(h, "<form method=\"post\" action=\"/login\" class=\"login\">\n"
	    "<label>Tên đăng nhập <input name=\"user\" "
	    "autocomplete=\"username\" required value=\"%s\"></label>\n"
	    "<label>Mật khẩu <input type=\"password\" name=\"password\" "
	    "autocomplete=\"current-password\" required></label>\n"
	    "<button type=\"submit\">Đăng nhập</button>\n</form>\n"
	    "<p class=\"note\">Tài khoản do quản trị viên tạo bằng lệnh "
	    "<code>nhacviec user add</code>.</p>\n", user ? user : "");
	view_end(h, c);
}

/* "3 đã gửi · 2 chờ gửi": a group's states. */
static void
view_up_states(struct html *h, const struct view_upcoming *u)
{
	const char	*sep = "";

	if (u->sent) {
		html_put(h, "<span class=\"ok\">%d đã gửi</span>",
		    (int)u->sent);
		sep = " · ";
	}
	if (u->waiting) {
		html_put(h, "%r<span>%d chờ gửi</span>", sep, (int)u->waiting);
		sep = " · ";
	}
	if (u->failed) {
		html_put(h, "%r<span class=\"bad\">%d lỗi</span>", sep,
		    (int)u->failed);
		sep = " · ";
	}
	if (u->other)
		html_put(h, "%r<span>%d không gửi</span>", sep, (int)u->other);
}

static void
view_upcoming_table(struct html *h, const struct view_ctx *c,
    const struct view_overview *o)
{
	char		when[64];
	size_t		i;

	html_raw(h, "<section>\n<h2>Nhắc việc hôm nay và 7 ngày tới</h2>\n");
	if (o->nup == 0) {
		html_raw(h, "<p>Không có nhắc việc nào.</p>\n</section>\n");
		return;
	}
	html_raw(h, "<div class=\"scroll\"><table class=\"cards\">\n<thead>"
	    "<tr><th>Thời gian</th><th>Nhiệm vụ</th><th>Gửi tới</th>"
	    "<th>Kênh</th><th>Tình trạng</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < o->nup; i++) {
		const struct view_upcoming *u = &o->up[i];

		view_when(c->plan, u->fire_at, when, sizeof(when));
		html_put(h, "<tr><td>%s</td><td>", when);
		if (strcmp(u->task, "adhoc") == 0)
			html_raw(h, "Thông báo");
		else
			html_put(h, "<a href=\"/tasks/%u\">%s</a>", u->task,
			    view_task_title(c->plan, u->task));
		html_raw(h, "</td><td>");
		if (u->agency != NULL)
			html_put(h, "<a href=\"/agencies/%u\">%s</a>",
			    u->agency, view_agency_name(c->plan, u->agency));
		else
			html_put(h, "%d cơ quan", (int)u->nagencies);
		html_put(h, "</td><td>%s</td><td>", u->channels);
		view_up_states(h, u);
		html_raw(h, "</td></tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
	if (o->up_left > 0)
		html_put(h, "<p>và %d nhóm nhắc việc nữa.</p>\n",
		    (int)o->up_left);
	html_raw(h, "</section>\n");
}

static void
view_stat(struct html *h, const char *label, long long n, const char *cls)
{
	html_put(h, "<li class=\"%r\"><b>%D</b> %r</li>\n", cls, (int64_t)n,
	    label);
}

/* Duration choices of the pause form: value (parse_duration), label. */
static const char *const view_pause_for[][2] = {
	{ "1h", "1 giờ" }, { "4h", "4 giờ" }, { "1d", "1 ngày" },
	{ "3d", "3 ngày" }, { "0", "đến khi cho tiếp tục" },
};

static void
view_channel_row(struct html *h, const struct view_ctx *c,
    const struct view_channel *ch)
{
	char	since[64], until[64];
	size_t	i;

	html_put(h, "<tr><td>%s</td><td>%s</td><td>", ch->name, ch->type);
	if (!ch->paused)
		html_raw(h, "<span class=\"ok\">Đang gửi</span>");
	else {
		view_when(c->plan, ch->since, since, sizeof(since));
		if (ch->until > 0)
			view_when(c->plan, ch->until, until, sizeof(until));
		html_put(h, "<span class=\"bad\">Tạm dừng</span> từ %s, %r%s"
		    "<br>Lý do: %s<br>Người dừng: %s", since,
		    ch->until > 0 ? "đến " : "", ch->until > 0 ? until :
		    "đến khi có người cho tiếp tục", ch->reason && *ch->reason ?
		    ch->reason : "không ghi", ch->by ? ch->by : "?");
		if (ch->held > 0)
			html_put(h, "<br>%D nhắc việc đang chờ",
			    (int64_t)ch->held);
	}
	html_raw(h, "</td>");
	if (c->read_only) {
		html_raw(h, "</tr>\n");
		return;
	}
	html_raw(h, "<td>");
	if (ch->paused) {
		html_raw(h, "<form method=\"post\" "
		    "action=\"/channels/resume\">");
		view_hidden_csrf(h, c);
		html_put(h, "<input type=\"hidden\" name=\"channel\" "
		    "value=\"%s\"><button type=\"submit\">Cho tiếp tục</button>"
		    "</form>", ch->name);
	} else {
		html_raw(h, "<form method=\"post\" action=\"/channels/pause\" "
		    "class=\"pause\">");
		view_hidden_csrf(h, c);
		html_put(h, "<input type=\"hidden\" name=\"channel\" "
		    "value=\"%s\"><label>Lý do <input name=\"reason\" "
		    "maxlength=\"200\"></label> <label>Trong <select "
		    "name=\"for\">", ch->name);
		for (i = 0; i < sizeof(view_pause_for) /
		    sizeof(view_pause_for[0]); i++)
			html_put(h, "<option value=\"%r\">%r</option>",
			    view_pause_for[i][0], view_pause_for[i][1]);
		html_raw(h, "</select></label> <button type=\"submit\">"
		    "Tạm dừng</button></form>");
	}
	html_raw(h, "</td></tr>\n");
}

static void
view_channels(struct html *h, const struct view_ctx *c,
    const struct view_overview *o)
{
	const struct view_zalo	*z = &o->zalo;
	char			 a[64], b[64];
	size_t			 i;

	html_raw(h, "<section>\n<h2>Kênh gửi</h2>\n<div class=\"scroll\">"
	    "<table class=\"cards\">\n<thead><tr><th>Kênh</th><th>Loại</th>"
	    "<th>Tình trạng</th>");
	if (!c->read_only)
		html_raw(h, "<th>Thao tác</th>");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < o->nchannels; i++)
		view_channel_row(h, c, &o->channels[i]);
	html_raw(h, "</tbody></table></div>\n");
	if (z->have) {
		view_when(c->plan, z->access_expires_at, a, sizeof(a));
		view_when(c->plan, z->refresh_issued_at, b, sizeof(b));
		html_put(h, "<p>Zalo OA: mã truy cập dùng đến %s; mã làm mới "
		    "cấp lúc %s (dùng được khoảng 3 tháng)", a, b);
		if (z->status != NULL && strcmp(z->status, "ok") != 0)
			html_put(h, "; <span class=\"bad\">%s: %s</span>",
			    z->status, z->reason ? z->reason : "");
		html_raw(h, ".</p>\n");
	}
	html_raw(h, "</section>\n");
}

/* The counts of follow-ups by state, as a list of figures. */
void
view_follow_counts(struct html *h, const long long *follow)
{
	static const char *const cls[FU_STATES] = {
		[FU_NOT_REACHED] = "", [FU_REACHED] = "",
		[FU_SEEN] = "", [FU_ACK] = "", [FU_DONE_ON_TIME] = "ok",
		[FU_DONE_LATE] = "warn", [FU_OVERDUE] = "bad",
	};
	int	s;

	html_raw(h, "<ul class=\"stats\">\n");
	for (s = 0; s < FU_STATES; s++)
		view_stat(h, followup_state_vi(s), follow[s], cls[s]);
	html_raw(h, "</ul>\n");
}

void
view_overview(struct html *h, const struct view_ctx *c,
    const struct view_overview *o)
{
	char	when[64];

	view_begin(h, c, "Tổng quan");
	if (c->plan == NULL)
		html_raw(h, "<p class=\"flash bad\">Chưa có kế hoạch nào được "
		    "nạp (<code>nhacviec load</code>).</p>\n");
	view_upcoming_table(h, c, o);
	html_raw(h, "<section>\n<h2>24 giờ qua</h2>\n<ul class=\"stats\">\n");
	view_stat(h, "đã gửi", o->sent, "ok");
	view_stat(h, "không gửi được", o->failed, o->failed ? "bad" : "");
	view_stat(h, "hoãn lại", o->deferred, "");
	view_stat(h, "sẽ thử lại", o->retried, "");
	view_stat(h, "bỏ lỡ", o->missed, o->missed ? "bad" : "");
	view_stat(h, "không cần gửi", o->skipped, "");
	html_raw(h, "</ul>\n");
	if (o->ledger_cut)
		html_put(h, "<p class=\"note\">Chỉ tính %D mục gần nhất của sổ "
		    "gửi.</p>\n", (int64_t)o->ledger_read);
	html_raw(h, "</section>\n");
	html_put(h, "<section>\n<h2>Theo dõi thực hiện</h2>\n<p>%D lượt giao "
	    "việc (cơ quan × kỳ hạn) có hạn từ 31 ngày trước đến 7 ngày tới."
	    "</p>\n", (int64_t)(o->occurrences));
	view_follow_counts(h, o->follow);
	html_raw(h, "<p><a href=\"/tasks\">Xem từng nhiệm vụ</a></p>\n"
	    "</section>\n");
	view_channels(h, c, o);
	html_put(h, "<section>\n<h2>Thư lỗi</h2>\n<p><a href=\"/dead\">%D thư "
	    "không gửi được</a> đang chờ xử lý.</p>\n</section>\n",
	    (int64_t)o->dead);
	html_raw(h, "<section>\n<h2>Kế hoạch</h2>\n");
	if (o->plan_version > 0) {
		view_when(c->plan, o->plan_loaded_at, when, sizeof(when));
		html_put(h, "<p>Phiên bản %D, nạp lúc %s", (int64_t)
		    o->plan_version, when);
		if (c->plan != NULL)
			html_put(h, ": %d nhiệm vụ, %d cơ quan",
			    (int)c->plan->ntasks, (int)c->plan->nagencies);
		html_raw(h, ".</p>\n");
	} else
		html_raw(h, "<p>Chưa nạp kế hoạch vào Redis.</p>\n");
	html_raw(h, "</section>\n");
	view_end(h, c);
}

void
view_dead(struct html *h, const struct view_ctx *c,
    const struct view_dead *v, size_t n, long long total)
{
	struct history_entry	e;
	char			when[64], due[64];
	size_t			i;

	view_begin(h, c, "Thư lỗi");
	html_put(h, "<p>%D thư không gửi được. Sửa nguyên nhân (địa chỉ, "
	    "kênh) rồi bấm “Gửi lại”: thư được gửi theo kế hoạch hiện tại."
	    "</p>\n", (int64_t)total);
	if (n > 0 && !c->read_only) {
		html_raw(h, "<form method=\"post\" action=\"/dead/requeue\">");
		view_hidden_csrf(h, c);
		html_raw(h, "<input type=\"hidden\" name=\"id\" value=\"*\">"
		    "<button type=\"submit\">Gửi lại tất cả</button></form>\n");
	}
	if (n == 0) {
		view_end(h, c);
		return;
	}
	html_raw(h, "<div class=\"scroll\"><table class=\"cards\">\n<thead>"
	    "<tr><th>Lúc</th><th>Nhắc việc</th><th>Kênh</th><th>Lần</th>"
	    "<th>Lý do</th>");
	if (!c->read_only)
		html_raw(h, "<th></th>");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		view_when(c->plan, v[i].at, when, sizeof(when));
		html_put(h, "<tr><td>%s</td><td>", when);
		if (history_parse_id(v[i].id, &e) == 0) {
			html_put(h, "%s<br>", view_task_title(c->plan, e.task));
			html_put(h, "<a href=\"/agencies/%u\">%s</a>", e.agency,
			    view_agency_name(c->plan, e.agency));
			if (e.due[0] != '\0') {
				view_due(e.due, due, sizeof(due));
				html_put(h, "<br>hạn %s", due);
			}
		} else
			html_put(h, "%s", v[i].id);
		html_put(h, "</td><td>%s</td><td>%s</td><td>%s</td>",
		    *v[i].channel ? v[i].channel : e.channel, v[i].attempt,
		    v[i].reason);
		if (!c->read_only) {
			html_raw(h, "<td><form method=\"post\" "
			    "action=\"/dead/requeue\">");
			view_hidden_csrf(h, c);
			html_put(h, "<input type=\"hidden\" name=\"id\" "
			    "value=\"%s\"><button type=\"submit\">Gửi lại"
			    "</button></form></td>", v[i].id);
		}
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
	if ((long long)n < total)
		html_put(h, "<p>Hiện %d thư đầu tiên.</p>\n", (int)n);
	view_end(h, c);
}
