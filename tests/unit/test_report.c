/* Unit tests for common/report.c: CSV quoting, periods and send instants, counts of follow-ups and the ledger, CSV and text, the sends planned, the checks against the plan. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "helpers.h"
#include "report.h"
#include "schedule.h"

/* 2022-06-30 16:00 +07:00 and such: an instant of the plan's zone. */
static int64_t
at(const char *iso)
{
	int64_t	ms;
	char	err[200];

	if (clock_parse_iso8601(iso, &ms, err, sizeof(err)) == -1)
		fail_msg("%s: %s", iso, err);
	return ms;
}

static plan_day
day(const char *s)
{
	plan_day	d;

	assert_int_equal(plan_parse_day(s, &d), 0);
	return d;
}

/* --- CSV fields ----------------------------------------------------------- */

static const struct {
	const char	*in;
	const char	*out;
} csv_cases[] = {
	{ "", "" },
	{ "noi-vu", "noi-vu" },
	{ "Phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin" },
	{ "Phòng Tài chính, Kế hoạch", "\"Phòng Tài chính, Kế hoạch\"" },
	{ "Chuyên mục \"Dân hỏi\"", "\"Chuyên mục \"\"Dân hỏi\"\"\"" },
	{ "\"", "\"\"\"\"" },
	{ "dòng một\ndòng hai", "\"dòng một\ndòng hai\"" },
	{ "a\r\nb", "\"a\r\nb\"" },
	{ "a\rb", "\"a\rb\"" },
	{ " lề ", " lề " },		/* spaces are part of a field */
	{ "a;b\tc", "a;b\tc" },		/* only , \" CR LF call for quotes */
	{ ",", "\",\"" },
	{ "=1+2", "=1+2" },
};

static void
test_csv_field(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*buf;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(csv_cases); i++) {
		report_csv_field(&b, csv_cases[i].in);
		buf = buf_take(&b, NULL);
		if (strcmp(buf, csv_cases[i].out) != 0)
			fail_msg("'%s': got '%s', want '%s'", csv_cases[i].in,
			    buf, csv_cases[i].out);
		free(buf);
	}
}

/* --- periods and instants ------------------------------------------------- */

static const struct {
	enum report_every	 every;
	const char		*day;
	const char		*from, *to, *label, *text;
} period_cases[] = {
	{ REPORT_MONTH, "2022-05-15", "2022-05-01", "2022-05-31", "2022-05",
	    "tháng 5/2022" },
	{ REPORT_MONTH, "2024-02-29", "2024-02-01", "2024-02-29", "2024-02",
	    "tháng 2/2024" },
	{ REPORT_MONTH, "2022-12-31", "2022-12-01", "2022-12-31", "2022-12",
	    "tháng 12/2022" },
	{ REPORT_QUARTER, "2022-04-01", "2022-04-01", "2022-06-30", "2022-Q2",
	    "quý II/2022" },
	{ REPORT_QUARTER, "2022-12-31", "2022-10-01", "2022-12-31", "2022-Q4",
	    "quý IV/2022" },
	{ REPORT_QUARTER, "2023-03-31", "2023-01-01", "2023-03-31", "2023-Q1",
	    "quý I/2023" },
	{ REPORT_HALF, "2022-06-30", "2022-01-01", "2022-06-30", "2022-H1",
	    "6 tháng đầu năm 2022" },
	{ REPORT_HALF, "2022-07-01", "2022-07-01", "2022-12-31", "2022-H2",
	    "6 tháng cuối năm 2022" },
	{ REPORT_YEAR, "2022-07-01", "2022-01-01", "2022-12-31", "2022",
	    "năm 2022" },
};

static void
test_periods(void **state)
{
	struct report_period	pd;
	enum report_every	e;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(period_cases); i++) {
		report_period_of(period_cases[i].every,
		    day(period_cases[i].day), &pd);
		if (pd.from != day(period_cases[i].from) ||
		    pd.to != day(period_cases[i].to) ||
		    strcmp(pd.label, period_cases[i].label) != 0 ||
		    strcmp(pd.text, period_cases[i].text) != 0)
			fail_msg("case %zu: got %s '%s'", i, pd.label, pd.text);
	}
	assert_int_equal(report_every_parse("half", &e), 0);
	assert_int_equal(e, REPORT_HALF);
	assert_int_equal(report_every_parse("week", &e), -1);
	assert_int_equal(report_every_parse(NULL, &e), -1);
}

#define CAL	"[calendar]\ntimezone = Asia/Ho_Chi_Minh\n" \
		"holidays = 2022-09-01..2022-09-02\n\n"
#define AGENCIES \
	"[agency noi-vu]\nname = Phòng Nội vụ\nhead = Trưởng phòng Nội vụ\n" \
	"email = nv@example.gov.vn\n\n" \
	"[agency tai-chinh]\nname = Phòng Tài chính, Kế hoạch\n" \
	"email = tc@example.gov.vn\nzalo = 123\n\n" \
	"[agency van-hoa]\nname = Phòng Văn hóa và Thông tin\n\n" \
	"[group phong-ban]\nmembers = noi-vu, tai-chinh\n\n"
#define TASKS \
	"[task dan-hoi]\ntitle = Chuyên mục \"Dân hỏi, trả lời\"\n" \
	"lead = tai-chinh\npartners = noi-vu\ndate = 2022-05-28\n" \
	"remind = end-3d@08:00\nchannels = mail\n\n" \
	"[task bao-cao]\ntitle = Báo cáo quý về công tác cải cách hành " \
	"chính của các cơ quan trên địa bàn\nlead = noi-vu\n" \
	"partners = tai-chinh\nquarter = 2022-Q2\nremind = start+5d@08:00\n" \
	"channels = mail\n"

static struct plan *
plan_of(const char *text)
{
	const char	*names[] = { "p.conf" };
	const char	*texts[] = { text };
	struct plan	*p;
	struct diag	 d;
	size_t		 i;

	diag_init(&d);
	p = plan_load_texts(names, texts, 1, &d);
	for (i = 0; i < d.n; i++)
		print_error("  %s\n", d.msgs[i]);
	diag_clear(&d);
	assert_non_null(p);
	return p;
}

/* A config with a mail channel, a zalo one, hours and one report. */
static void
config_of(struct config *c, struct config_channel ch[2],
    struct config_report *r, char **to, size_t nto, char **chans,
    size_t nchans)
{
	memset(c, 0, sizeof(*c));
	memset(ch, 0, 2 * sizeof(*ch));
	memset(r, 0, sizeof(*r));
	c->path = "/etc/nhacviec/nhacviec.conf";
	c->hours_start = 7 * 60;
	c->hours_end = 21 * 60;
	ch[0].name = "mail";
	ch[0].type = CHANNEL_SMTP;
	ch[0].contact = "email";
	ch[1].name = "zalo";
	ch[1].type = CHANNEL_ZALO;
	ch[1].contact = "zalo";
	c->channels = ch;
	c->nchannels = 2;
	r->name = "quy";
	r->line = 40;
	r->to_line = 43;
	r->every = "quarter";
	r->at = "end+5d@08:00";
	r->at_days = 5;
	r->at_minutes = 8 * 60;
	r->by = "agency";
	r->to = to;
	r->nto = nto;
	r->channels = chans;
	r->nchannels = nchans;
	c->reports = r;
	c->nreports = 1;
}

static void
test_fire(void **state)
{
	struct config		 c;
	struct config_channel	 ch[2];
	struct config_report	 r;
	struct plan		*p = plan_of(CAL AGENCIES);
	char			*to[] = { "noi-vu" }, *chans[] = { "mail" };

	(void)state;
	config_of(&c, ch, &r, to, 1, chans, 1);
	/* Thursday 30/06 + 5 days: Tuesday. */
	assert_int_equal(report_fire(p, &c, &r, day("2022-06-30")),
	    at("2022-07-05T08:00:00+07:00"));
	/* A Saturday goes to Monday, never back into the period. */
	r.at_days = 1;
	assert_int_equal(report_fire(p, &c, &r, day("2022-09-30")),
	    at("2022-10-03T08:00:00+07:00"));
	/* Over the National Day holidays (1-2/09, then the weekend). */
	r.at_days = 1;
	assert_int_equal(report_fire(p, &c, &r, day("2022-08-31")),
	    at("2022-09-05T08:00:00+07:00"));
	/* Before the hours: at their opening; after: the next working day. */
	r.at_minutes = 6 * 60;
	assert_int_equal(report_fire(p, &c, &r, day("2022-06-30")),
	    at("2022-07-01T07:00:00+07:00"));
	r.at_minutes = 22 * 60;
	assert_int_equal(report_fire(p, &c, &r, day("2022-06-30")),
	    at("2022-07-04T07:00:00+07:00"));
	/* Before the end: the same rule. */
	r.at_days = -1;
	r.at_minutes = 16 * 60;
	assert_int_equal(report_fire(p, &c, &r, day("2022-07-31")),
	    at("2022-07-30T16:00:00+07:00") + 2 * 86400000LL);
	plan_free(p);
}

/* --- counts, CSV and text ------------------------------------------------- */

/* The fields of one follow-up hash: NAME, VALUE, ... NULL. */
static void
add_occ(struct report *rep, const char *occ, ...)
{
	const char	*f[32];
	size_t		 n = 0;
	va_list		 ap;

	va_start(ap, occ);
	while ((f[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	assert_int_equal(report_add_occurrence(rep, occ, f, n), 0);
}

static void
add_led(struct report *rep, const char *id, const char *outcome)
{
	const char	*f[] = { "id", id, "outcome", outcome, "at", "1" };

	report_add_ledger(rep, f, nitems(f));
}

static char *
ms_text(const char *iso, const char *via)
{
	char	*s;

	assert_int_not_equal(asprintf(&s, "%lld %s", (long long)at(iso), via),
	    -1);
	return s;
}

static void
test_counts(void **state)
{
	struct report			*rep;
	struct plan			*p = plan_of(CAL AGENCIES TASKS);
	const struct report_row		*rows;
	const struct report_counts	*t;
	char				*csv, *text, *v[6];
	size_t				 n, len;
	const char			*want_agency =
	    REPORT_BOM REPORT_CSV_AGENCY "\r\n"
	    "noi-vu,Phòng Nội vụ,2,1,2,2,1,1,0,1,1\r\n"
	    "tai-chinh,\"Phòng Tài chính, Kế hoạch\",2,2,1,1,0,0,2,3,0\r\n";
	const char			*want_task =
	    REPORT_BOM REPORT_CSV_TASK "\r\n"
	    "dan-hoi,\"Chuyên mục \"\"Dân hỏi, trả lời\"\"\",2022-05-28,2,2,"
	    "2,2,0,1,1\r\n"
	    "bao-cao,Báo cáo quý về công tác cải cách hành chính của các cơ "
	    "quan trên địa bàn,2022-06-30,2,1,1,1,1,0,1\r\n";

	(void)state;
	v[0] = ms_text("2022-05-25T08:00:00+07:00", "mail");
	v[1] = ms_text("2022-05-26T09:00:00+07:00", "link");
	v[2] = ms_text("2022-05-29T09:00:00+07:00", "admin by a@b");
	v[3] = ms_text("2022-04-06T08:00:00+07:00", "mail");
	v[4] = ms_text("2022-06-30T23:59:59+07:00", "reply");
	v[5] = ms_text("2022-05-26T10:00:00+07:00", "zalo");
	rep = report_new(REPORT_BY_AGENCY, day("2022-04-01"),
	    day("2022-06-30"));
	/* dan-hoi: tai-chinh reached, acknowledged by a link; noi-vu
	 * reached, seen, done the day after (late). */
	add_occ(rep, "dan-hoi/2022-05-28", "tai-chinh:reached", v[0],
	    "tai-chinh:ack", v[1], "noi-vu:reached", v[0], "noi-vu:seen",
	    v[5], "noi-vu:done", v[2], "noi-vu:note", "gọi, điện",
	    "khac:done", v[2], NULL);
	/* bao-cao: tai-chinh reached; noi-vu done at the last second of the
	 * due day (on time), never reached. */
	add_occ(rep, "bao-cao/2022-06-30", "tai-chinh:reached", v[3],
	    "noi-vu:done", v[4], NULL);
	/* Outside the days, a task the plan lacks, not an occurrence. */
	assert_int_equal(report_add_occurrence(rep, "dan-hoi/2022-07-30",
	    NULL, 0), -1);
	assert_int_equal(report_add_occurrence(rep, "dan-hoi/2022-03-31",
	    NULL, 0), -1);
	add_occ(rep, "cu/2022-05-01", "noi-vu:done", v[4], NULL);
	assert_int_equal(report_add_occurrence(rep, "dan-hoi", NULL, 0), -1);
	assert_int_equal(report_add_occurrence(rep, "dan-hoi/30-04-2022",
	    NULL, 0), -1);
	/* The ledger: sent and dead count, the rest does not; fallbacks
	 * count for their agency; other occurrences and notices do not. */
	add_led(rep, "dan-hoi/2022-05-28/end-3d@08:00/tai-chinh/mail", "retry");
	add_led(rep, "dan-hoi/2022-05-28/end-3d@08:00/tai-chinh/mail", "sent");
	add_led(rep, "dan-hoi/2022-05-28/end-3d@08:00/tai-chinh/zalo", "sent");
	add_led(rep, "dan-hoi/2022-05-28/end-3d@08:00/noi-vu/mail", "dead");
	add_led(rep, "dan-hoi/2022-05-28/end-3d@08:00/noi-vu/mail~fallback-"
	    "zalo", "skipped");
	add_led(rep, "bao-cao/2022-06-30/start+5d@08:00/tai-chinh/mail~"
	    "fallback-zalo", "sent");
	add_led(rep, "bao-cao/2022-06-30/start+5d@08:00/noi-vu/mail", "sent");
	add_led(rep, "bao-cao/2022-06-30/start+5d@08:00/noi-vu/mail",
	    "missed");
	add_led(rep, "dan-hoi/2022-07-30/end-3d@08:00/noi-vu/mail", "sent");
	add_led(rep, "adhoc/1-2-3/noi-vu/mail", "sent");
	add_led(rep, "report:quy/2022-Q1/noi-vu/mail", "sent");
	report_compute(rep, p, at("2022-07-05T08:00:00+07:00"));

	rows = report_rows(rep, &n);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, "noi-vu");
	assert_string_equal(rows[1].id, "tai-chinh");
	assert_int_equal(rows[0].c.overdue, 0);
	assert_int_equal(rows[1].c.overdue, 2);
	t = report_total(rep);
	assert_int_equal(t->follow_ups, 4);
	assert_int_equal(t->messages_sent, 4);
	assert_int_equal(t->messages_failed, 1);
	assert_int_equal(report_gone(rep), 1);
	csv = report_csv(rep, &len);
	assert_int_equal(len, strlen(want_agency));
	assert_string_equal(csv, want_agency);
	free(csv);

	/* What the daemon mails: the counts, the agencies overdue. */
	text = report_summary(rep, p, "Trưởng phòng Nội vụ", "Phòng Nội vụ",
	    "quý II/2022", "bao-cao-2022-Q2.csv");
	assert_string_equal(text, "Kính gửi: Trưởng phòng Nội vụ,\n\n"
	    "Báo cáo kết quả thực hiện nhiệm vụ quý II/2022 (từ ngày "
	    "01/04/2022 đến ngày 30/06/2022), số liệu đến 08:00 ngày "
	    "05/07/2022:\n"
	    "- 2 nhiệm vụ, 4 lượt việc của 2 cơ quan: 1 hoàn thành đúng hạn, "
	    "1 hoàn thành trễ hạn, 2 chưa hoàn thành.\n"
	    "- Tin nhắc: 4 tin đã gửi, 1 tin không gửi được.\n"
	    "- Cơ quan còn việc quá hạn: Phòng Tài chính, Kế hoạch (2).\n\n"
	    "Chi tiết từng cơ quan trong tệp đính kèm bao-cao-2022-Q2.csv.\n");
	free(text);
	text = report_summary(rep, p, NULL, "Phòng Tài chính, Kế hoạch", NULL,
	    NULL);
	assert_non_null(strstr(text, "Kính gửi: Lãnh đạo Phòng Tài chính, "
	    "Kế hoạch,\n\nBáo cáo kết quả thực hiện nhiệm vụ từ ngày "
	    "01/04/2022 đến ngày 30/06/2022, số liệu"));
	assert_null(strstr(text, "đính kèm"));
	free(text);
	report_free(rep);

	/* By task, the same follow-ups; the text cuts a long title. */
	rep = report_new(REPORT_BY_TASK, day("2022-04-01"), day("2022-06-30"));
	add_occ(rep, "bao-cao/2022-06-30", "tai-chinh:reached", v[3],
	    "noi-vu:done", v[4], NULL);
	add_occ(rep, "dan-hoi/2022-05-28", "tai-chinh:reached", v[0],
	    "tai-chinh:ack", v[1], "noi-vu:reached", v[0], "noi-vu:seen",
	    v[5], "noi-vu:done", v[2], NULL);
	report_compute(rep, p, at("2022-07-05T08:00:00+07:00"));
	csv = report_csv(rep, &len);
	assert_string_equal(csv, want_task);
	free(csv);
	text = report_text(rep, p, NULL);
	assert_non_null(strstr(text, "\nBáo cáo quý về công tác cải cách "
	    "hành chính của…  30/06/2022"));
	assert_non_null(strstr(text, "Kỳ báo cáo: quý II/2022 (từ ngày "
	    "01/04/2022 đến ngày 30/06/2022)\n"));
	free(text);
	report_free(rep);
	for (n = 0; n < nitems(v); n++)
		free(v[n]);
	plan_free(p);
}

/* Nothing due: a header alone, and the table says so. */
static void
test_empty(void **state)
{
	struct report	*rep;
	struct plan	*p = plan_of(CAL AGENCIES TASKS);
	char		*s;
	size_t		 len;

	(void)state;
	rep = report_new(REPORT_BY_AGENCY, day("2022-08-01"),
	    day("2022-08-10"));
	add_led(rep, "dan-hoi/2022-05-28/end-3d@08:00/noi-vu/mail", "sent");
	report_compute(rep, p, at("2022-08-11T08:00:00+07:00"));
	s = report_csv(rep, &len);
	assert_string_equal(s, REPORT_BOM REPORT_CSV_AGENCY "\r\n");
	free(s);
	s = report_text(rep, p, NULL);
	assert_string_equal(s, "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO CƠ "
	    "QUAN\nKỳ báo cáo: từ ngày 01/08/2022 đến ngày 10/08/2022\n"
	    "Số liệu tính đến 08:00 ngày 11/08/2022\n\n"
	    "Không có nhiệm vụ nào đến hạn trong kỳ.\n");
	free(s);
	s = report_summary(rep, p, NULL, NULL, NULL, NULL);
	assert_non_null(strstr(s, "- Không có nhiệm vụ nào đến hạn trong "
	    "kỳ.\n"));
	free(s);
	report_free(rep);
	plan_free(p);
}

/* --- sends, requests, checks ---------------------------------------------- */

static void
test_plan_sends(void **state)
{
	struct config		 c;
	struct config_channel	 ch[2];
	struct config_report	 r;
	struct report_sends	 l;
	struct report_request	 rq;
	struct plan		*p = plan_of(CAL AGENCIES TASKS);
	char			*to[] = { "phong-ban", "noi-vu" };
	char			*chans[] = { "mail", "zalo" };
	char			 err[200];
	json_t			*o;

	(void)state;
	config_of(&c, ch, &r, to, 2, chans, 2);
	memset(&l, 0, sizeof(l));
	/* 05/07 08:00 is Q2's; Q1's (05/04) and Q3's (05/10) are outside. */
	report_plan(p, &c, at("2022-06-01T00:00:00+07:00"),
	    at("2022-09-01T00:00:00+07:00"), &l);
	/* noi-vu on mail (no zalo); tai-chinh on both; noi-vu once. */
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].id, "report:quy/2022-Q2/noi-vu/mail");
	assert_string_equal(l.v[1].id, "report:quy/2022-Q2/tai-chinh/mail");
	assert_string_equal(l.v[2].id, "report:quy/2022-Q2/tai-chinh/zalo");
	assert_int_equal(l.v[0].fire_at, at("2022-07-05T08:00:00+07:00"));
	assert_non_null(o = json_loads(l.v[0].payload, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(o, "title")),
	    "Báo cáo kết quả thực hiện nhiệm vụ quý II/2022");
	assert_string_equal(json_string_value(json_object_get(o, "task")),
	    "report:quy");
	assert_string_equal(json_string_value(json_object_get(o, "contact")),
	    "nv@example.gov.vn");
	assert_string_equal(json_string_value(json_object_get(o, "due")),
	    "2022-04-01..2022-06-30");
	assert_string_equal(json_string_value(json_object_get(o, "period")),
	    "quarter");
	assert_int_equal(json_integer_value(json_object_get(o, "expires_at")),
	    at("2022-07-13T00:00:00+07:00"));
	assert_int_equal(report_request_read(o, &rq, err, sizeof(err)), 1);
	assert_string_equal(rq.name, "quy");
	assert_int_equal(rq.by, REPORT_BY_AGENCY);
	assert_int_equal(rq.period.from, day("2022-04-01"));
	assert_int_equal(rq.period.to, day("2022-06-30"));
	assert_string_equal(rq.period.label, "2022-Q2");
	assert_string_equal(rq.period.text, "quý II/2022");
	json_object_set_new(json_object_get(o, "report"), "by",
	    json_string("region"));
	assert_int_equal(report_request_read(o, &rq, err, sizeof(err)), -1);
	json_object_del(o, "report");
	assert_int_equal(report_request_read(o, &rq, err, sizeof(err)), 0);
	json_decref(o);
	report_sends_clear(&l);
	/* The instant at the edges of the span: in, both ends. */
	report_plan(p, &c, at("2022-07-05T08:00:00+07:00"),
	    at("2022-07-05T08:00:00+07:00"), &l);
	assert_int_equal(l.n, 3);
	report_sends_clear(&l);
	report_plan(p, &c, at("2022-07-05T08:00:01+07:00"),
	    at("2022-10-05T07:59:59+07:00"), &l);
	assert_int_equal(l.n, 0);
	report_sends_clear(&l);
	plan_free(p);
}

static void
test_check(void **state)
{
	struct config		 c;
	struct config_channel	 ch[2];
	struct config_report	 r;
	struct plan		*p = plan_of(CAL AGENCIES TASKS);
	struct diag		 d;
	char			*to[] = { "noi-vu", "noivu", "van-hoa" };
	char			*chans[] = { "mail" };

	(void)state;
	config_of(&c, ch, &r, to, 3, chans, 1);
	diag_init(&d);
	report_check(p, &c, &d);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.nerrors, 2);
	assert_string_equal(d.msgs[0], "/etc/nhacviec/nhacviec.conf:43: "
	    "[report quy] to: no agency or group 'noivu' in the plan; did you "
	    "mean 'noi-vu'?");
	assert_string_equal(d.msgs[1], "/etc/nhacviec/nhacviec.conf:43: "
	    "[report quy] to: agency 'van-hoa' has no email for channel "
	    "'mail'");
	diag_clear(&d);
	plan_free(p);
}

/* The ledger's span for a report: from before a quarter's start less its
 * reminders' reach, to two days after the last due day. */
static void
test_ledger_span(void **state)
{
	struct plan	*p = plan_of(CAL AGENCIES TASKS);
	int64_t		 lo, hi;

	(void)state;
	report_ledger_span(p, day("2022-04-01"), day("2022-06-30"), &lo, &hi);
	/* bao-cao: start+5d of a quarter fires up to 86 days before its
	 * end; a month of days off on top. */
	assert_int_equal(lo, at("2022-04-01T00:00:00+07:00") -
	    (86 + 30) * 86400000LL);
	/* Nothing fires after a due day: a day's margin after its end. */
	assert_int_equal(hi, at("2022-07-02T00:00:00+07:00"));
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_fire),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_plan_sends),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_ledger_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
