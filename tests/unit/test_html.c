/* Unit tests for common/html.c and the status pages (common/view*.c): every value from the plan, the ledger or a head's reply comes out escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "html.h"
#include "report.h"
#include "view.h"

/* A value that would be markup, an attribute break and a script. */
#define EVIL	"<script>alert(1)</script>\"'><img src=x onerror=alert(2)>&"
/* The same escaped: what must appear instead. */
#define EVIL_ESC "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;" \
		"&lt;img src=x onerror=alert(2)&gt;&amp;"

static char *
take(struct html *h)
{
	char	*s = html_take(h, NULL);

	assert_non_null(s);
	return s;
}

static void
test_text(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "", "" },
		{ "Phòng Nội vụ", "Phòng Nội vụ" },
		{ EVIL, EVIL_ESC },
		{ "a & b", "a &amp; b" },
		{ "tab\tand\nline", "tab\tand\nline" },
		/* a byte that is not UTF-8, a control, an overlong '<' */
		{ "x\xff" "y", "x\xef\xbf\xbdy" },
		{ "bell\x07", "bell\xef\xbf\xbd" },
		{ "\xc0\xbc", "\xef\xbf\xbd\xef\xbf\xbd" },
		/* a surrogate, and a character cut short at the end */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "ạ\xe1\xba", "ạ\xef\xbf\xbd\xef\xbf\xbd" },
	};
	struct html	 h;
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		html_init(&h);
		html_text(&h, cases[i].in);
		s = take(&h);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	html_init(&h);
	html_text(&h, NULL);
	s = take(&h);
	assert_string_equal(s, "");
	free(s);
}

static void
test_url_and_put(void **state)
{
	struct html	 h;
	char		*s;

	(void)state;
	html_init(&h);
	html_url(&h, "dan-hoi/2022 ạ&x=\"1\"");
	s = take(&h);
	assert_string_equal(s, "dan-hoi%2F2022%20%E1%BA%A1%26x%3D%221%22");
	free(s);
	html_init(&h);
	html_put(&h, "<a href=\"/tasks/%u\" title=\"%s\">%s</a>%r %d %D 100%% "
	    "%q", "a b", "\"'", "<b>", "<i>", -3, (int64_t)1651021200000LL);
	s = take(&h);
	assert_string_equal(s, "<a href=\"/tasks/a%20b\" title=\"&quot;&#39;\">"
	    "&lt;b&gt;</a><i> -3 1651021200000 100% %q");
	free(s);
}

static const char *const plan_text =
	"[calendar]\n"
	"timezone = Asia/Ho_Chi_Minh\n"
	"[agency noi-vu]\n"
	"name = " EVIL "\n"
	"head = " EVIL "\n"
	"email = nv@example.gov.vn\n"
	"zalo = 123\n"
	"[agency tu-phap]\n"
	"name = Phòng Tư pháp\n"
	"email = tp@example.gov.vn\n"
	"[task bao-cao]\n"
	"title = " EVIL "\n"
	"note = " EVIL "\n"
	"lead = noi-vu\n"
	"partners = tu-phap\n"
	"dates = 2022-04-29, 2022-05-31\n"
	"remind = end-1d@08:00\n"
	"channels = email\n";

static struct plan *
evil_plan(void)
{
	const char	*names[] = { "evil.conf" }, *texts[] = { plan_text };
	struct plan	*p;
	struct diag	 d;

	diag_init(&d);
	p = plan_load_texts(names, texts, 1, &d);
	if (p == NULL)
		diag_print(&d, stderr);
	diag_clear(&d);
	assert_non_null(p);
	return p;
}

/* No raw markup from outside: only escaped, and escaped at least once. */
static void
assert_escaped(const char *page, const char *what)
{
	if (strstr(page, "<script") != NULL || strstr(page, "<img") != NULL ||
	    strstr(page, "\"'>") != NULL) {
		fprintf(stderr, "%s:\n%s\n", what, page);
		fail_msg("%s: a value came out as markup", what);
	}
	if (strstr(page, "&lt;script&gt;") == NULL)
		fail_msg("%s: the value is not on the page at all", what);
}

static void
ctx_init(struct view_ctx *c, const struct plan *p)
{
	memset(c, 0, sizeof(*c));
	c->plan = p;
	c->user = EVIL;
	c->csrf = EVIL;
	c->flash = EVIL;
	c->now = 1651276800000LL;	/* 2022-04-30 07:00 +07:00 */
	c->section = "overview";
}

static void
test_views(void **state)
{
	struct plan		*p = evil_plan();
	struct view_ctx		 c;
	struct html		 h;
	char			*s;
	struct followup		*f = NULL;
	size_t			 nf = 0, cap = 0;
	char			*fields[] = {
		"noi-vu:reached", "1651194000000 email",
		"noi-vu:ack", "1651195000000 " EVIL,
		"noi-vu:note", EVIL,
		"tu-phap:done", "1651196000000 reply " EVIL,
		"tu-phap:escalated", "1651197000000 email",
	};
	const struct plan_agency *rec[2];
	const char		*dues[] = { "2022-04-29" };
	const char		*notes[] = { EVIL, EVIL };

	(void)state;
	ctx_init(&c, p);

	html_init(&h);
	view_login(&h, &c, EVIL, EVIL);
	s = take(&h);
	assert_escaped(s, "login");
	free(s);

	html_init(&h);
	view_error(&h, &c, EVIL, EVIL);
	s = take(&h);
	assert_escaped(s, "error");
	free(s);

	{
		struct view_upcoming	 up[2];
		struct view_channel	 ch[2];
		struct view_overview	 o;

		memset(&o, 0, sizeof(o));
		memset(up, 0, sizeof(up));
		memset(ch, 0, sizeof(ch));
		up[0].fire_at = 1651194000000LL;
		up[0].task = "bao-cao";
		up[0].agency = "noi-vu";
		up[0].nagencies = 1;
		up[0].channels = EVIL;
		up[1].fire_at = 1651194000000LL;
		up[1].task = EVIL;	/* a task the plan does not know */
		up[1].agency = EVIL;
		up[1].nagencies = 1;
		up[1].channels = "email";
		ch[0].name = EVIL;
		ch[0].type = "webhook";
		ch[0].paused = 1;
		ch[0].by = EVIL;
		ch[0].reason = EVIL;
		ch[0].since = 1651194000000LL;
		ch[1].name = "zalo";
		ch[1].type = "zalo";
		o.up = up;
		o.nup = 2;
		o.channels = ch;
		o.nchannels = 2;
		o.zalo.have = 1;
		o.zalo.status = EVIL;
		o.zalo.reason = EVIL;
		o.plan_version = 3;
		html_init(&h);
		view_overview(&h, &c, &o);
		s = take(&h);
		assert_escaped(s, "overview");
		free(s);
	}
	{
		struct view_dead d[2] = {
			{ "bao-cao/2022-04-29/end-1d@08:00/noi-vu/email", EVIL,
			  EVIL, EVIL, 1651194000000LL },
			{ EVIL, "email", "404", "1", 1651194000000LL },
		};

		html_init(&h);
		view_dead(&h, &c, d, 2, 2);
		s = take(&h);
		assert_escaped(s, "dead letters");
		free(s);
	}
	{
		struct view_task_row	 r = { &p->tasks[0], 1, { 0 } };
		struct view_period	 pr = { 19112, 19142 };

		html_init(&h);
		view_tasks(&h, &c, &pr, &r, 1);
		s = take(&h);
		assert_escaped(s, "tasks");
		free(s);
	}
	/* The matrix and an agency's page, from a follow-up hash. */
	assert_int_equal(followup_read(p, "bao-cao/2022-04-29",
	    1651251600000LL, fields, nitems(fields), &f, &nf, &cap), 0);
	assert_int_equal(nf, 2);
	rec[0] = f[0].agency;
	rec[1] = f[1].agency;
	{
		struct view_matrix	m;
		struct view_escalation	esc[] = {
			{ "2022-04-29", EVIL, EVIL, "sent", 0 },
			{ "2022-04-29", "noi-vu", "email", EVIL, 0 },
			{ "2022-05-31", EVIL, "zalo", "due",
			  1654045200000LL },
		};

		memset(&m, 0, sizeof(m));
		m.task = &p->tasks[0];
		m.period.from = 19112;
		m.period.to = 19142;
		m.dues = dues;
		m.nocc = 1;
		m.recipients = rec;
		m.nrec = 2;
		m.f = f;
		m.notes = notes;
		m.esc = esc;
		m.nesc = nitems(esc);
		html_init(&h);
		view_matrix(&h, &c, &m);
		s = take(&h);
		assert_escaped(s, "matrix");
		/* the letters: overdue (acknowledged only), done on time */
		assert_non_null(strstr(s, ">Q<small>"));
		assert_non_null(strstr(s, ">H<small>"));
		free(s);
	}
	{
		struct view_message	 m = { 1651194000000LL, "bao-cao",
		    "2022-04-29", EVIL, EVIL, "1", EVIL, 1 };
		struct view_agency	 a;

		memset(&a, 0, sizeof(a));
		a.agency = f[0].agency;
		a.period.from = 19112;
		a.period.to = 19142;
		a.f = f;
		a.notes = notes;
		a.nf = 1;
		a.m = &m;
		a.nm = 1;
		html_init(&h);
		view_agency(&h, &c, &a);
		s = take(&h);
		assert_escaped(s, "agency");
		free(s);
		html_init(&h);
		view_agencies(&h, &c);
		s = take(&h);
		assert_escaped(s, "agencies");
		free(s);
	}
	{
		struct report		*rep;
		struct view_report	 v;
		long long		 days[31] = { 0 };

		rep = report_new(REPORT_BY_AGENCY, 19083, 19113);
		assert_int_equal(report_add_occurrence(rep,
		    "bao-cao/2022-04-29", (const char *const *)fields,
		    nitems(fields)), 0);
		report_compute(rep, p, c.now);
		days[3] = 5;
		memset(&v, 0, sizeof(v));
		v.period.from = 19083;
		v.period.to = 19113;
		v.by = REPORT_BY_AGENCY;
		v.rows = report_rows(rep, &v.n);
		v.sent_per_day = days;
		html_init(&h);
		view_report(&h, &c, &v);
		s = take(&h);
		assert_escaped(s, "report by agency");
		assert_non_null(strstr(s, "<svg"));
		free(s);
		report_free(rep);
		rep = report_new(REPORT_BY_TASK, 19083, 19113);
		assert_int_equal(report_add_occurrence(rep,
		    "bao-cao/2022-04-29", (const char *const *)fields,
		    nitems(fields)), 0);
		report_compute(rep, p, c.now);
		v.by = REPORT_BY_TASK;
		v.rows = report_rows(rep, &v.n);
		html_init(&h);
		view_report(&h, &c, &v);
		s = take(&h);
		assert_escaped(s, "report by task");
		free(s);
		report_free(rep);
	}
	free(f);
	plan_free(p);
}

/* Dates as the pages say them, in the plan's zone. */
static void
test_when(void **state)
{
	struct plan	*p = evil_plan();
	char		 buf[64];

	(void)state;
	view_when(p, 1651194000000LL, buf, sizeof(buf));	/* 08:00 +07 */
	assert_string_equal(buf, "Thứ Sáu, 29/04/2022 08:00");
	view_when(p, 1651337999000LL, buf, sizeof(buf));
	assert_string_equal(buf, "Thứ Bảy, 30/04/2022 23:59");
	view_when(p, 0, buf, sizeof(buf));
	assert_string_equal(buf, "—");
	view_due("2022-05-01", buf, sizeof(buf));
	assert_string_equal(buf, "Chủ Nhật, 01/05/2022");
	assert_string_equal(view_outcome("sent"), "Đã gửi");
	assert_string_equal(view_outcome("something-new"), "something-new");
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_url_and_put),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_when),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
