/* Unit tests for common/template.c: placeholders, escapes, date text, errors, the shipped templates, plan templates. */

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "config.h"
#include "helpers.h"
#include "plan.h"
#include "planstore.h"
#include "reminder.h"
#include "schedule.h"
#include "template.h"
#include "xmalloc.h"

#define MSGS_MAX	6
#define ALLOWED		"(allowed: title, task, due, due_text, agency, head, " \
			"lead, partners, window, note, fire_at, contact, " \
			"window_name, window_start, window_end, windows, " \
			"overdue, role, lead_role, partner_role, plan, " \
			"plan_number, plan_date, plan_issuer, plan_title, code, " \
			"confirm_url, escalation)"
#define FIRE_AT		1651194000000LL	/* 2022-04-29T08:00:00+07:00 */

/* Every field, with quotes, backslashes, newlines and Vietnamese. */
static const char full_payload[] =
	"{\"id\":\"dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/zalo\","
	"\"task\":\"dan-hoi\","
	"\"title\":\"Chuyên mục \\\"Dân hỏi\\\" \\\\ số 1\","
	"\"agency\":\"dai-truyen-thanh\","
	"\"agency_name\":\"Đài Truyền thanh huyện\","
	"\"head\":\"Trưởng Đài Truyền thanh huyện\","
	"\"contact\":\"5218391034920148231\",\"channel\":\"zalo\","
	"\"due\":\"2022-04-30\",\"period\":\"day\",\"spec\":\"end-1d@08:00\","
	"\"note\":\"Dòng một\\nDòng \\\"hai\\\"\\t\\\\\","
	"\"lead\":\"Đài Truyền thanh huyện\","
	"\"partners\":\"Phòng Nội vụ, UBND xã A\","
	"\"window\":\"trua\"}";

/* Only what a payload must hold. */
static const char min_payload[] =
	"{\"id\":\"a\",\"task\":\"bao-cao\",\"agency\":\"noi-vu\","
	"\"channel\":\"email\"}";

/*
 * The lead of a radio item, reminded 30 minutes before a broadcast window
 * on the air day; its plan names no number or date.
 */
static const char lead_payload[] =
	"{\"id\":\"dan-hoi/2022-04-30/end@trua-30m/dai-truyen-thanh/zalo\","
	"\"task\":\"dan-hoi\","
	"\"title\":\"Chuyên mục \\\"Dân hỏi - Chính quyền trả lời\\\"\","
	"\"agency\":\"dai-truyen-thanh\","
	"\"agency_name\":\"Đài Truyền thanh huyện\","
	"\"head\":\"Trưởng Đài Truyền thanh huyện\","
	"\"contact\":\"5218391034920148231\",\"channel\":\"zalo\","
	"\"due\":\"2022-04-30\",\"period\":\"day\",\"spec\":\"end@trua-30m\","
	"\"lead\":\"Đài Truyền thanh huyện\","
	"\"partners\":\"Các ban, phòng ngành huyện\","
	"\"role\":\"lead\",\"window\":\"trua\",\"window_name\":\"Buổi trưa\","
	"\"window_start\":\"11:00\",\"window_end\":\"11:30\","
	"\"windows\":\"11:00–11:30 và 16:45–18:30\","
	"\"note\":\"Ưu tiên khung giờ {{windows}}.\","
	"\"plan_issuer\":\"Ủy ban nhân dân huyện Thạnh Trị\","
	"\"plan_title\":\"tuyên truyền cải cách hành chính năm 2022\","
	"\"expires_at\":1651338000000}";

/* A partner of a report due Thursday 15/09/2022 (over at 16/09 00:00). */
static const char partner_payload[] =
	"{\"id\":\"bao-cao-quy/2022-09-15/end-2d@08:00/van-hoa/email\","
	"\"task\":\"bao-cao-quy\","
	"\"title\":\"Báo cáo quý kết quả thực hiện tuyên truyền cải cách "
	"hành chính\","
	"\"agency\":\"van-hoa\","
	"\"agency_name\":\"Phòng Văn hóa và Thông tin\","
	"\"head\":\"Trưởng phòng Văn hóa và Thông tin\","
	"\"contact\":\"van-hoa@example.gov.vn\",\"channel\":\"email\","
	"\"due\":\"2022-09-15\",\"period\":\"day\",\"spec\":\"end-2d@08:00\","
	"\"lead\":\"Phòng Nội vụ\","
	"\"partners\":\"Các ban, phòng ngành huyện\","
	"\"role\":\"partner\","
	"\"windows\":\"11:00–11:30 và 16:45–18:30\","
	"\"note\":\"Thời hạn do Phòng Nội vụ ấn định.\","
	"\"plan_number\":\"45/KH-UBND\",\"plan_date\":\"2022-02-20\","
	"\"plan_issuer\":\"Ủy ban nhân dân huyện Thạnh Trị\","
	"\"plan_title\":\"tuyên truyền cải cách hành chính năm 2022\","
	"\"expires_at\":1663261200000}";

#define LEAD_FIRE	1651289400000LL	/* 2022-04-30T10:30:00+07:00 */
#define DUE_DAY_0800	1663203600000LL	/* 2022-09-15T08:00:00+07:00 */
#define DUE_DAY_2359	1663261140000LL	/* 2022-09-15T23:59:00+07:00 */
#define AFTER_0000	1663261200000LL	/* 2022-09-16T00:00:00+07:00 */
#define AFTER_0800	1663290000000LL	/* 2022-09-16T08:00:00+07:00 */
#define THIRD_1000	1663470000000LL	/* 2022-09-18T10:00:00+07:00 */

static struct reminder	full, min, lead_r, partner_r;

/* Prints what a parse said, for a failing case. */
static void
dump(const char *name, const struct diag *d)
{
	size_t	i;

	print_error("case '%s' got %zu message(s):\n", name, d->n);
	for (i = 0; i < d->n; i++)
		print_error("  %s\n", d->msgs[i]);
}

static int
setup(void **state)
{
	char	err[200];

	(void)state;
	if (test_dir_make("template") == -1)
		return -1;
	if (reminder_parse(&full, full_payload, strlen(full_payload), err,
	    sizeof(err)) == -1 || reminder_parse(&min, min_payload,
	    strlen(min_payload), err, sizeof(err)) == -1) {
		print_error("%s\n", err);
		return -1;
	}
	full.fire_at = FIRE_AT;
	if (reminder_parse(&lead_r, lead_payload, strlen(lead_payload), err,
	    sizeof(err)) == -1 || reminder_parse(&partner_r, partner_payload,
	    strlen(partner_payload), err, sizeof(err)) == -1) {
		print_error("%s\n", err);
		return -1;
	}
	lead_r.fire_at = LEAD_FIRE;
	partner_r.fire_at = DUE_DAY_0800;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	reminder_clear(&full);
	reminder_clear(&min);
	reminder_clear(&lead_r);
	reminder_clear(&partner_r);
	test_dir_remove();
	return 0;
}

/* Parses text; it must parse cleanly. */
static struct template *
parse_ok(const char *name, const char *text)
{
	struct template	*t;
	struct diag	 d;

	diag_init(&d);
	t = template_parse(name, text, &d);
	if (t == NULL || d.n != 0) {
		dump(name, &d);
		fail_msg("case '%s': does not parse", name);
	}
	diag_clear(&d);
	return t;
}

static const struct {
	const char		*name;
	const char		*text;
	enum template_escape	 esc;
	int			 minimal;	/* render min, not full */
	const char		*want;
} render_cases[] = {
	{ "every placeholder, plain",
	    "{{title}}|{{task}}|{{due}}|{{due_text}}|{{agency}}|{{head}}|"
	    "{{lead}}|{{partners}}|{{window}}|{{note}}|{{fire_at}}",
	    TEMPLATE_PLAIN, 0,
	    "Chuyên mục \"Dân hỏi\" \\ số 1|dan-hoi|2022-04-30|"
	    "Thứ Bảy, ngày 30/04/2022|Đài Truyền thanh huyện|"
	    "Trưởng Đài Truyền thanh huyện|Đài Truyền thanh huyện|"
	    "Phòng Nội vụ, UBND xã A|trua|Dòng một\nDòng \"hai\"\t\\|"
	    "08:00 ngày 29/04/2022" },
	{ "missing values are empty; title and agency fall back",
	    "{{title}}|{{task}}|{{due}}|{{due_text}}|{{agency}}|{{head}}|"
	    "{{lead}}|{{partners}}|{{window}}|{{note}}|{{fire_at}}",
	    TEMPLATE_PLAIN, 1, "bao-cao|bao-cao|||noi-vu||||||" },
	{ "spaces inside the braces",
	    "Kính gửi {{ head }}: {{\ttitle }}, {{  due_text}}.",
	    TEMPLATE_PLAIN, 0,
	    "Kính gửi Trưởng Đài Truyền thanh huyện: Chuyên mục \"Dân hỏi\" "
	    "\\ số 1, Thứ Bảy, ngày 30/04/2022." },
	{ "JSON escape: quotes, backslashes, newline, tab, Vietnamese",
	    "{\"t\": \"{{title}}\", \"n\": \"{{note}}\", \"a\": \"{{agency}}\"}",
	    TEMPLATE_JSON, 0,
	    "{\"t\": \"Chuyên mục \\\"Dân hỏi\\\" \\\\ số 1\", "
	    "\"n\": \"Dòng một\\nDòng \\\"hai\\\"\\t\\\\\", "
	    "\"a\": \"Đài Truyền thanh huyện\"}" },
	{ "JSON escape of an empty value",
	    "{\"h\": \"{{head}}\"}", TEMPLATE_JSON, 1, "{\"h\": \"\"}" },
	{ "the template's own text is not escaped",
	    "\"{{task}}\"\n\\", TEMPLATE_JSON, 0, "\"dan-hoi\"\n\\" },
	{ "standalone section lines vanish, set",
	    "A\n{{#note}}\nGhi chú: {{task}}\n{{/note}}\n{{^note}}\nKhông\n"
	    "{{/note}}\nB", TEMPLATE_PLAIN, 0, "A\nGhi chú: dan-hoi\nB" },
	{ "standalone section lines vanish, empty",
	    "A\n{{#note}}\nGhi chú: {{task}}\n{{/note}}\n  {{^note}}  \n"
	    "Không\n\t{{/note}}\nB", TEMPLATE_PLAIN, 1, "A\nKhông\nB" },
	{ "inline sections keep their line",
	    "Kính gửi{{#head}} {{head}}{{/head}}{{^head}} Lãnh đạo "
	    "{{agency}}{{/head}}.", TEMPLATE_PLAIN, 1,
	    "Kính gửi Lãnh đạo noi-vu." },
	{ "nested sections",
	    "{{#head}}[{{#note}}n{{/note}}{{^window}}w{{/window}}]{{/head}}"
	    "{{#lead}}L{{/lead}}", TEMPLATE_PLAIN, 0, "[n]L" },
	{ "single braces and a lone }} are text",
	    "{a} }} { {x}", TEMPLATE_PLAIN, 0, "{a} }} { {x}" },
	{ "the final newline and blank end are dropped",
	    "{{task}}\n\n  \n", TEMPLATE_PLAIN, 0, "dan-hoi" },
	{ "a Windows file: BOM and CRLF",
	    "\xef\xbb\xbf" "A {{task}}\r\nB\r\n", TEMPLATE_PLAIN, 0,
	    "A dan-hoi\nB" },
};

static void
test_render(void **state)
{
	struct template	*t;
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(render_cases); i++) {
		t = parse_ok(render_cases[i].name, render_cases[i].text);
		s = template_render(t, render_cases[i].minimal ? &min : &full,
		    render_cases[i].esc, NULL);
		assert_non_null(s);
		if (strcmp(s, render_cases[i].want) != 0)
			fail_msg("case '%s':\n got  '%s'\n want '%s'",
			    render_cases[i].name, s, render_cases[i].want);
		free(s);
		assert_string_equal(template_name(t), render_cases[i].name);
		template_free(t);
	}
	template_free(NULL);
}

/*
 * The placeholders of windows, roles, lateness and the plan document, each
 * case a reminder (lead, partner or minimal), when it is sent, and changes
 * to it; NULL keeps the payload's value.
 */
static const struct {
	const char		*name;
	char			 who;		/* 'l'ead, 'p'artner, 'm'in */
	int64_t			 fire_at;	/* 0: the payload's */
	int64_t			 sent_at;
	const char		*role, *note, *plan_date, *plan_number;
	enum template_escape	 esc;
	const char		*text;
	const char		*want;
} field_cases[] = {
	{ "the reminder's window and every window", 'l', 0, 0, NULL, NULL,
	    NULL, NULL, TEMPLATE_PLAIN,
	    "{{window}}: {{window_name}}, {{window_start}}–{{window_end}}; "
	    "{{windows}}",
	    "trua: Buổi trưa, 11:00–11:30; 11:00–11:30 và 16:45–18:30" },
	{ "no window: its sections drop, windows stays", 'p', 0, 0, NULL, NULL,
	    NULL, NULL, TEMPLATE_PLAIN,
	    "{{#window_name}}phát {{window_start}}{{/window_name}}"
	    "{{^window_end}}không khung giờ{{/window_end}}; {{windows}}",
	    "không khung giờ; 11:00–11:30 và 16:45–18:30" },
	{ "an old payload: no windows at all", 'm', 0, 0, NULL, NULL, NULL,
	    NULL, TEMPLATE_PLAIN,
	    "[{{window_name}}{{window_start}}{{window_end}}{{windows}}]", "[]" },
	{ "role to the lead", 'l', 0, 0, NULL, NULL, NULL, NULL,
	    TEMPLATE_PLAIN,
	    "{{role}}|{{lead_role}}|{{partner_role}}|{{#lead_role}}chủ trì"
	    "{{/lead_role}}{{#partner_role}}phối hợp với {{lead}}"
	    "{{/partner_role}}{{^role}}thực hiện{{/role}}",
	    "chủ trì|chủ trì||chủ trì" },
	{ "role to a partner", 'p', 0, 0, NULL, NULL, NULL, NULL,
	    TEMPLATE_PLAIN,
	    "{{role}}|{{lead_role}}|{{partner_role}}|{{#lead_role}}chủ trì"
	    "{{/lead_role}}{{#partner_role}}phối hợp với {{lead}}"
	    "{{/partner_role}}{{^role}}thực hiện{{/role}}",
	    "phối hợp||phối hợp|phối hợp với Phòng Nội vụ" },
	{ "role unknown (an old payload)", 'm', 0, 0, NULL, NULL, NULL, NULL,
	    TEMPLATE_PLAIN,
	    "{{role}}|{{#lead_role}}chủ trì{{/lead_role}}{{#partner_role}}"
	    "phối hợp{{/partner_role}}{{^role}}thực hiện{{/role}}",
	    "|thực hiện" },
	{ "role neither lead nor partner is none", 'p', 0, 0, "observer",
	    NULL, NULL, NULL, TEMPLATE_PLAIN, "[{{role}}]", "[]" },
	{ "on the due day at 08:00: not overdue", 'p', 0, 0, NULL, NULL,
	    NULL, NULL, TEMPLATE_PLAIN,
	    "{{#overdue}}quá hạn {{overdue}}{{/overdue}}{{^overdue}}còn hạn"
	    "{{/overdue}}", "còn hạn" },
	{ "sent at 23:59 of the due day: not overdue", 'p', 0, DUE_DAY_2359,
	    NULL, NULL, NULL, NULL, TEMPLATE_PLAIN,
	    "{{#overdue}}quá hạn {{overdue}}{{/overdue}}{{^overdue}}còn hạn"
	    "{{/overdue}}", "còn hạn" },
	{ "sent at the midnight after: overdue", 'p', 0, AFTER_0000, NULL,
	    NULL, NULL, NULL, TEMPLATE_PLAIN,
	    "{{#overdue}}quá hạn {{overdue}}{{/overdue}}{{^overdue}}còn hạn"
	    "{{/overdue}}", "quá hạn 1 ngày" },
	{ "planned for the day after (end+1d@08:00): overdue", 'p',
	    AFTER_0800, 0, NULL, NULL, NULL, NULL, TEMPLATE_PLAIN,
	    "{{#overdue}}quá hạn {{overdue}}{{/overdue}}{{^overdue}}còn hạn"
	    "{{/overdue}}", "quá hạn 1 ngày" },
	{ "planned in time, sent three days late: the send time decides",
	    'p', 0, THIRD_1000, NULL, NULL, NULL, NULL, TEMPLATE_PLAIN,
	    "{{#overdue}}quá hạn {{overdue}}{{/overdue}}{{^overdue}}còn hạn"
	    "{{/overdue}}", "quá hạn 3 ngày" },
	{ "no expires_at (an ad-hoc notice): never overdue", 'm', AFTER_0800,
	    THIRD_1000, NULL, NULL, NULL, NULL, TEMPLATE_PLAIN,
	    "[{{overdue}}]{{^overdue}}còn hạn{{/overdue}}", "[]còn hạn" },
	{ "the plan cited whole, and its parts", 'p', 0, 0, NULL, NULL, NULL,
	    NULL, TEMPLATE_PLAIN,
	    "Thực hiện {{plan}}.\n{{plan_number}}|{{plan_date}}|"
	    "{{plan_issuer}}|{{plan_title}}",
	    "Thực hiện Kế hoạch số 45/KH-UBND ngày 20/02/2022 của Ủy ban nhân "
	    "dân huyện Thạnh Trị về tuyên truyền cải cách hành chính năm "
	    "2022.\n45/KH-UBND|20/02/2022|Ủy ban nhân dân huyện Thạnh Trị|"
	    "tuyên truyền cải cách hành chính năm 2022" },
	{ "a plan without number and date", 'l', 0, 0, NULL, NULL, NULL, NULL,
	    TEMPLATE_PLAIN,
	    "{{plan}}{{^plan_number}} (chưa có số){{/plan_number}}",
	    "Kế hoạch của Ủy ban nhân dân huyện Thạnh Trị về tuyên truyền cải "
	    "cách hành chính năm 2022 (chưa có số)" },
	{ "a date that is not YYYY-MM-DD is shown as written", 'p', 0, 0,
	    NULL, NULL, "tháng 2/2022", "", TEMPLATE_PLAIN, "{{plan}}",
	    "Kế hoạch ngày tháng 2/2022 của Ủy ban nhân dân huyện Thạnh Trị về "
	    "tuyên truyền cải cách hành chính năm 2022" },
	{ "no plan: every plan value empty", 'm', 0, 0, NULL, NULL, NULL, NULL,
	    TEMPLATE_PLAIN,
	    "{{#plan}}Thực hiện {{plan}}, {{/plan}}Phòng Nội vụ [{{plan_number}}"
	    "{{plan_date}}{{plan_issuer}}{{plan_title}}]", "Phòng Nội vụ []" },
	{ "a note's placeholders are filled", 'l', 0, 0, NULL, NULL, NULL,
	    NULL, TEMPLATE_PLAIN, "Ghi chú: {{note}}",
	    "Ghi chú: Ưu tiên khung giờ 11:00–11:30 và 16:45–18:30." },
	{ "a note's values are JSON-escaped once", 'l', 0, 0, NULL,
	    "\"{{window_name}}\" {{window_start}}\\{{role}}", NULL, NULL,
	    TEMPLATE_JSON, "{\"n\": \"{{note}}\"}",
	    "{\"n\": \"\\\"Buổi trưa\\\" 11:00\\\\chủ trì\"}" },
	{ "a note that does not parse is shown as it is", 'l', 0, 0, NULL,
	    "Xem {{windowz}} và {{#role}}", NULL, NULL, TEMPLATE_PLAIN,
	    "{{note}}", "Xem {{windowz}} và {{#role}}" },
	{ "a note inside its own note is empty", 'l', 0, 0, NULL,
	    "A{{note}}B{{#note}}C{{/note}}", NULL, NULL, TEMPLATE_PLAIN,
	    "{{note}}", "AB" },
};

static void
test_fields(void **state)
{
	struct template	*t;
	struct reminder	 r;
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(field_cases); i++) {
		r = field_cases[i].who == 'l' ? lead_r :
		    field_cases[i].who == 'p' ? partner_r : min;
		if (field_cases[i].fire_at != 0)
			r.fire_at = field_cases[i].fire_at;
		r.sent_at = field_cases[i].sent_at;
		if (field_cases[i].role != NULL)
			r.role = field_cases[i].role;
		if (field_cases[i].note != NULL)
			r.note = field_cases[i].note;
		if (field_cases[i].plan_date != NULL)
			r.plan_date = field_cases[i].plan_date;
		if (field_cases[i].plan_number != NULL)
			r.plan_number = field_cases[i].plan_number;
		t = parse_ok(field_cases[i].name, field_cases[i].text);
		s = template_render(t, &r, field_cases[i].esc, NULL);
		assert_non_null(s);
		if (strcmp(s, field_cases[i].want) != 0)
			fail_msg("case '%s':\n got  '%s'\n want '%s'",
			    field_cases[i].name, s, field_cases[i].want);
		free(s);
		template_free(t);
	}
	/* template_note: what a preview shows. */
	s = template_note(&lead_r, NULL);
	assert_string_equal(s, "Ưu tiên khung giờ 11:00–11:30 và 16:45–18:30.");
	free(s);
	s = template_note(&min, NULL);
	assert_string_equal(s, "");
	free(s);
}

/* What TEMPLATE_JSON gives parses back to the very values. */
static void
test_json_round_trip(void **state)
{
	struct template	*t;
	json_error_t	 jerr;
	json_t		*j;
	char		*s;

	(void)state;
	t = parse_ok("round trip", "{\"title\": \"{{title}}\", "
	    "\"note\": \"<{{note}}>\", \"due_text\": \"{{due_text}}\"}");
	s = template_render(t, &full, TEMPLATE_JSON, NULL);
	assert_non_null(s);
	j = json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		fail_msg("'%s': %s", s, jerr.text);
	assert_string_equal(json_string_value(json_object_get(j, "title")),
	    full.title);
	assert_string_equal(json_string_value(json_object_get(j, "note")),
	    "<Dòng một\nDòng \"hai\"\t\\>");
	assert_string_equal(json_string_value(json_object_get(j, "due_text")),
	    "Thứ Bảy, ngày 30/04/2022");
	json_decref(j);
	free(s);
	template_free(t);
}

static const struct {
	const char	*due, *period, *want;
} due_cases[] = {
	{ "2022-04-30", "day", "Thứ Bảy, ngày 30/04/2022" },
	{ "2022-04-30", NULL, "Thứ Bảy, ngày 30/04/2022" },
	{ "2022-05-01", NULL, "Chủ Nhật, ngày 01/05/2022" },
	{ "2022-04-25", NULL, "Thứ Hai, ngày 25/04/2022" },
	{ "2022-04-01..2022-04-30", "month", "tháng 4/2022" },
	{ "2022-04-01..2022-04-30", NULL, "tháng 4/2022" },
	{ "2022-12-01..2022-12-31", NULL, "tháng 12/2022" },
	{ "2022-02-01..2022-02-28", NULL, "tháng 2/2022" },
	{ "2022-01-01..2022-03-31", "quarter", "quý I/2022" },
	{ "2022-04-01..2022-06-30", "quarter", "quý II/2022" },
	{ "2022-07-01..2022-09-30", NULL, "quý III/2022" },
	{ "2022-10-01..2022-12-31", "quarter", "quý IV/2022" },
	{ "2022-04-01..2022-04-15", NULL,
	    "từ ngày 01/04/2022 đến ngày 15/04/2022" },
	{ "2022-04-01..2022-04-30", "day",
	    "từ ngày 01/04/2022 đến ngày 30/04/2022" },
	{ "2022-02-30", NULL, "2022-02-30" },
	{ "sớm nhất có thể", NULL, "sớm nhất có thể" },
	{ "", NULL, "" },
	{ NULL, "day", "" },
};

static void
test_due_text(void **state)
{
	char	buf[128];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(due_cases); i++) {
		template_due_text(due_cases[i].due, due_cases[i].period, buf,
		    sizeof(buf));
		if (strcmp(buf, due_cases[i].want) != 0)
			fail_msg("due '%s' (%s): got '%s', want '%s'",
			    due_cases[i].due ? due_cases[i].due : "NULL",
			    due_cases[i].period ? due_cases[i].period : "NULL",
			    buf, due_cases[i].want);
	}
}

static const struct {
	int64_t		 ms;
	const char	*tz, *want;
	int		 rc;
} fire_cases[] = {
	{ FIRE_AT, NULL, "08:00 ngày 29/04/2022", 0 },
	{ FIRE_AT, "Asia/Ho_Chi_Minh", "08:00 ngày 29/04/2022", 0 },
	{ FIRE_AT + 59999, NULL, "08:00 ngày 29/04/2022", 0 },
	{ FIRE_AT, "UTC", "01:00 ngày 29/04/2022", 0 },
	/* Berlin: CEST (+2) in April, CET (+1) in January. */
	{ FIRE_AT, "Europe/Berlin", "03:00 ngày 29/04/2022", 0 },
	{ 1641027600000LL, "Europe/Berlin", "10:00 ngày 01/01/2022", 0 },
	/* 2021-12-31T17:00Z is midnight of New Year in Hồ Chí Minh City. */
	{ 1640970000000LL, NULL, "00:00 ngày 01/01/2022", 0 },
	{ 0, NULL, "", -1 },
	{ FIRE_AT, "Mars/Olympus_Mons", "", -1 },
};

static void
test_fire_text(void **state)
{
	char	buf[64];
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < nitems(fire_cases); i++) {
		rc = template_fire_text(fire_cases[i].ms, fire_cases[i].tz, buf,
		    sizeof(buf));
		if (rc != fire_cases[i].rc ||
		    strcmp(buf, fire_cases[i].want) != 0)
			fail_msg("case %zu: got %d '%s', want %d '%s'", i, rc,
			    buf, fire_cases[i].rc, fire_cases[i].want);
	}
}

/* A template that must fail, and every message, in order. */
static const struct {
	const char	*name;
	const char	*text;
	const char	*msgs[MSGS_MAX];
} error_cases[] = {
	{ "unknown placeholder, near one",
	    "Kính gửi {{titel}}\n",
	    { "t.txt:1: unknown placeholder {{titel}}; did you mean "
	      "{{title}}? " ALLOWED } },
	{ "unknown placeholder with spaces, on line 3",
	    "Kính gửi\n\nHạn: {{ dua_text }}.\n",
	    { "t.txt:3: unknown placeholder {{dua_text}}; did you mean "
	      "{{due_text}}? " ALLOWED } },
	{ "unknown placeholder, none near",
	    "{{recipient}}",
	    { "t.txt:1: unknown placeholder {{recipient}} " ALLOWED } },
	{ "the id is not a placeholder",
	    "{\"id\": \"{{id}}\"}",
	    { "t.txt:1: unknown placeholder {{id}} " ALLOWED } },
	{ "empty placeholders",
	    "a {{}} b\n{{  }}\n",
	    { "t.txt:1: empty placeholder {{}} " ALLOWED,
	      "t.txt:2: empty placeholder {{}} " ALLOWED } },
	{ "unclosed at the end of a line",
	    "Kính gửi\n{{title\nb {{note}}\n",
	    { "t.txt:2: unclosed {{: close the placeholder with }} on the "
	      "same line " ALLOWED } },
	{ "unclosed at the end of the text",
	    "Hạn {{due_text",
	    { "t.txt:1: unclosed {{: close the placeholder with }} on the "
	      "same line " ALLOWED } },
	{ "unclosed before another placeholder",
	    "{{title {{note}}",
	    { "t.txt:1: unclosed {{: close the placeholder with }} on the "
	      "same line " ALLOWED } },
	{ "every error reported, in order",
	    "{{titel}}\n{{head\n\n{{ nte }} {{x}}\r\n{{agency}}\n{{due",
	    { "t.txt:1: unknown placeholder {{titel}}; did you mean "
	      "{{title}}? " ALLOWED,
	      "t.txt:2: unclosed {{: close the placeholder with }} on the "
	      "same line " ALLOWED,
	      "t.txt:4: unknown placeholder {{nte}}; did you mean {{note}}? "
	      ALLOWED,
	      "t.txt:4: unknown placeholder {{x}} " ALLOWED,
	      "t.txt:6: unclosed {{: close the placeholder with }} on the "
	      "same line " ALLOWED } },
	{ "section errors",
	    "{{/note}}\n{{#note}}x{{/head}}\n{{^lead}}\n{{#notee}}\n",
	    { "t.txt:1: {{/note}} closes no section; open it with {{#note}} "
	      "or {{^note}}",
	      "t.txt:2: {{/head}} does not match {{#note}} of line 2; close "
	      "that with {{/note}}",
	      "t.txt:4: unknown placeholder {{#notee}}; did you mean "
	      "{{#note}}? " ALLOWED,
	      "t.txt:3: {{^lead}} is not closed; end the section with "
	      "{{/lead}}" } },
	{ "the new names, misspelt",
	    "{{window_nam}} {{windws}}\n{{#overdu}}x{{/overdue}}\n"
	    "{{lead_rol}} {{plan_nummer}}\n",
	    { "t.txt:1: unknown placeholder {{window_nam}}; did you mean "
	      "{{window_name}}? " ALLOWED,
	      "t.txt:1: unknown placeholder {{windws}}; did you mean "
	      "{{windows}}? " ALLOWED,
	      "t.txt:2: unknown placeholder {{#overdu}}; did you mean "
	      "{{#overdue}}? " ALLOWED,
	      "t.txt:2: {{/overdue}} closes no section; open it with "
	      "{{#overdue}} or {{^overdue}}",
	      "t.txt:3: unknown placeholder {{lead_rol}}; did you mean "
	      "{{lead_role}}? " ALLOWED,
	      "t.txt:3: unknown placeholder {{plan_nummer}}; did you mean "
	      "{{plan_number}}? " ALLOWED } },
	{ "a line that is not UTF-8",
	    "tốt\n\xe1\xbb\n{{task}}\n",
	    { "t.txt:2: the line is not valid UTF-8; save the file as "
	      "UTF-8" } },
};

static void
test_errors(void **state)
{
	struct template	*t;
	struct diag	 d;
	size_t		 i, j, n;

	(void)state;
	for (i = 0; i < nitems(error_cases); i++) {
		diag_init(&d);
		t = template_parse("t.txt", error_cases[i].text, &d);
		for (n = 0; n < MSGS_MAX && error_cases[i].msgs[n]; n++)
			;
		if (t != NULL || d.n != n || d.nerrors != n) {
			dump(error_cases[i].name, &d);
			template_free(t);
			fail_msg("case '%s': want %zu errors and no template",
			    error_cases[i].name, n);
		}
		for (j = 0; j < n; j++) {
			if (strcmp(d.msgs[j], error_cases[i].msgs[j]) != 0) {
				dump(error_cases[i].name, &d);
				fail_msg("case '%s': message %zu:\n got  %s\n "
				    "want %s", error_cases[i].name, j,
				    d.msgs[j], error_cases[i].msgs[j]);
			}
		}
		diag_clear(&d);
	}
}

/* Files: a missing one, a NUL byte, a CRLF file's line numbers. */
static void
test_load(void **state)
{
	struct template	*t;
	struct diag	 d;
	char		*path, *want, *s;

	(void)state;
	diag_init(&d);
	path = test_subst("DIR/missing.txt");
	assert_null(template_load(path, &d));
	want = test_subst("DIR/missing.txt: cannot open: No such file or "
	    "directory");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	free(path);
	diag_clear(&d);

	test_write_len("nul.txt", "a\0b", 3);
	path = test_subst("DIR/nul.txt");
	assert_null(template_load(path, &d));
	want = test_subst("DIR/nul.txt: holds a NUL byte: not a text file");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	free(path);
	diag_clear(&d);

	test_write("crlf.txt", "Kính gửi\r\n\r\n{{hed}}\r\n");
	path = test_subst("DIR/crlf.txt");
	assert_null(template_load(path, &d));
	want = test_subst("DIR/crlf.txt:3: unknown placeholder {{hed}}; did you "
	    "mean {{head}}? " ALLOWED);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	diag_clear(&d);

	test_write("crlf.txt", "Kính gửi {{head}}\r\n");
	assert_non_null(t = template_load(path, &d));
	assert_int_equal(d.n, 0);
	assert_string_equal(template_name(t), path);
	s = template_render(t, &full, TEMPLATE_PLAIN, NULL);
	assert_string_equal(s, "Kính gửi Trưởng Đài Truyền thanh huyện");
	free(s);
	template_free(t);
	free(path);
	diag_clear(&d);
}

static const struct {
	const char	*text;
	size_t		 chars;
} utf8_cases[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "Việt Nam", 8 },
	{ "ạ", 1 },
	{ "Đài Truyền thanh huyện", 22 },
	{ "日本", 2 },
	{ "\xf0\x9f\x98\x80", 1 },		/* one emoji, four bytes */
	{ "a\nb\tc", 5 },
};

static void
test_utf8_chars(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(utf8_cases); i++) {
		if (template_utf8_chars(utf8_cases[i].text) !=
		    utf8_cases[i].chars)
			fail_msg("'%s': %zu chars, want %zu",
			    utf8_cases[i].text,
			    template_utf8_chars(utf8_cases[i].text),
			    utf8_cases[i].chars);
	}
}

static void
test_default_text(void **state)
{
	struct reminder	 r;
	char		*s;

	(void)state;
	s = template_text_default(&full, NULL);
	assert_string_equal(s,
	    "Kính gửi: Trưởng Đài Truyền thanh huyện.\n"
	    "Nhắc việc: Chuyên mục \"Dân hỏi\" \\ số 1.\n"
	    "Thời hạn: Thứ Bảy, ngày 30/04/2022.\n"
	    "Đơn vị chủ trì: Đài Truyền thanh huyện.\n"
	    "Đơn vị phối hợp: Phòng Nội vụ, UBND xã A.\n"
	    "Ghi chú: Dòng một\nDòng \"hai\"\t\\.\n"
	    "Đề nghị quý cơ quan chủ động triển khai, bảo đảm đúng thời hạn.\n"
	    "Đây là tin nhắn nhắc việc tự động theo kế hoạch của UBND huyện.");
	free(s);

	/* A head that is a person, a quarter, a late send. */
	r = full;
	r.head = "Ông Nguyễn Văn A";
	r.due = "2022-04-01..2022-06-30";
	r.period = "quarter";
	r.note = "Theo Kế hoạch của tỉnh.";
	r.lead = r.partners = NULL;
	r.late = 1;
	s = template_text_default(&r, NULL);
	assert_string_equal(s,
	    "Kính gửi: Ông Nguyễn Văn A - Đài Truyền thanh huyện.\n"
	    "Nhắc việc: Chuyên mục \"Dân hỏi\" \\ số 1.\n"
	    "Thời hạn: trong quý II/2022.\n"
	    "Ghi chú: Theo Kế hoạch của tỉnh.\n"
	    "Đề nghị quý cơ quan chủ động triển khai, bảo đảm đúng thời hạn.\n"
	    "(Tin nhắn gửi chậm so với lịch: lẽ ra gửi lúc 08:00 ngày "
	    "29/04/2022.)\n"
	    "Đây là tin nhắn nhắc việc tự động theo kế hoạch của UBND huyện.");
	free(s);

	/* An ad-hoc notice says it all. */
	r = min;
	r.text = "Họp giao ban 8h00 ngày 05/06.";
	s = template_text_default(&r, NULL);
	assert_string_equal(s, "Họp giao ban 8h00 ngày 05/06.");
	free(s);
	s = reminder_text(&r);
	assert_string_equal(s, "Họp giao ban 8h00 ngày 05/06.");
	free(s);
}

/* A shipped template rendered for r, sent at sent_at (0: at fire_at). */
static char *
render_file(const char *path, const struct reminder *r0, int64_t sent_at,
    enum template_escape esc)
{
	struct template	*t;
	struct reminder	 r = *r0;
	struct diag	 d;
	char		*s;

	diag_init(&d);
	if ((t = template_load(path, &d)) == NULL) {
		dump(path, &d);
		fail_msg("%s does not load", path);
	}
	r.sent_at = sent_at;
	assert_non_null(s = template_render(t, &r, esc, NULL));
	template_free(t);
	diag_clear(&d);
	return s;
}

/*
 * The shipped messages word for word: a partner told it is one, the lead
 * of a broadcast told its window, a reminder sent after the due date told
 * so (and not to keep a deadline that has passed). The webhook's text is
 * the mail's, and its subject the mail's subject.
 */
static const struct {
	const char	*name;
	const char	*path;
	char		 who;		/* 'l'ead, 'p'artner */
	int64_t		 sent_at;
	const char	*want;
} shipped_cases[] = {
	{ "mail to a partner, in time", "config/templates/email.txt", 'p', 0,
	    "Kính gửi: Trưởng phòng Văn hóa và Thông tin,\n"
	    "\n"
	    "Thực hiện Kế hoạch số 45/KH-UBND ngày 20/02/2022 của Ủy ban nhân "
	    "dân huyện Thạnh Trị về tuyên truyền cải cách hành chính năm 2022, "
	    "Phòng Nội vụ kính đề nghị Quý cơ quan, đơn vị phối hợp với Phòng "
	    "Nội vụ thực hiện nhiệm vụ sau:\n"
	    "\n"
	    "Nhiệm vụ: Báo cáo quý kết quả thực hiện tuyên truyền cải cách "
	    "hành chính\n"
	    "Thời hạn: Thứ Năm, ngày 15/09/2022\n"
	    "Đơn vị chủ trì: Phòng Nội vụ\n"
	    "Đơn vị phối hợp: Các ban, phòng ngành huyện\n"
	    "Ghi chú: Thời hạn do Phòng Nội vụ ấn định.\n"
	    "\n"
	    "Đề nghị Quý cơ quan, đơn vị chủ động triển khai, bảo đảm đúng "
	    "thời hạn.\n"
	    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị "
	    "phản ánh kịp thời về Ủy ban nhân dân huyện Thạnh Trị (qua Phòng "
	    "Nội vụ) để được xem xét, giải quyết.\n"
	    "\n"
	    "Trân trọng./.\n"
	    "\n"
	    "PHÒNG NỘI VỤ HUYỆN THẠNH TRỊ\n"
	    "(Mã nhiệm vụ: #VDGP)\n"
	    "\n"
	    "--\n"
	    "Thư nhắc việc này được gửi tự động; xin không trả lời thư này. "
	    "Cần trao đổi, xin liên hệ trực tiếp Phòng Nội vụ." },
	{ "mail to a partner, the day after", "config/templates/email.txt",
	    'p', AFTER_0800,
	    "Kính gửi: Trưởng phòng Văn hóa và Thông tin,\n"
	    "\n"
	    "Thực hiện Kế hoạch số 45/KH-UBND ngày 20/02/2022 của Ủy ban nhân "
	    "dân huyện Thạnh Trị về tuyên truyền cải cách hành chính năm 2022, "
	    "Phòng Nội vụ kính đề nghị Quý cơ quan, đơn vị phối hợp với Phòng "
	    "Nội vụ thực hiện nhiệm vụ sau:\n"
	    "\n"
	    "Nhiệm vụ: Báo cáo quý kết quả thực hiện tuyên truyền cải cách "
	    "hành chính\n"
	    "Thời hạn: Thứ Năm, ngày 15/09/2022\n"
	    "Đơn vị chủ trì: Phòng Nội vụ\n"
	    "Đơn vị phối hợp: Các ban, phòng ngành huyện\n"
	    "Ghi chú: Thời hạn do Phòng Nội vụ ấn định.\n"
	    "\n"
	    "Thời hạn trên đã qua 1 ngày. Nếu Quý cơ quan, đơn vị đã hoàn "
	    "thành, xin bỏ qua thư này; nếu chưa, đề nghị khẩn trương thực "
	    "hiện.\n"
	    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị "
	    "phản ánh kịp thời về Ủy ban nhân dân huyện Thạnh Trị (qua Phòng "
	    "Nội vụ) để được xem xét, giải quyết.\n"
	    "\n"
	    "Trân trọng./.\n"
	    "\n"
	    "PHÒNG NỘI VỤ HUYỆN THẠNH TRỊ\n"
	    "(Mã nhiệm vụ: #VDGP)\n"
	    "\n"
	    "--\n"
	    "Thư nhắc việc này được gửi tự động; xin không trả lời thư này. "
	    "Cần trao đổi, xin liên hệ trực tiếp Phòng Nội vụ." },
	{ "subject, in time", "config/templates/email-subject.txt", 'p', 0,
	    "[Nhắc việc] Báo cáo quý kết quả thực hiện tuyên truyền cải cách "
	    "hành chính — hạn Thứ Năm, ngày 15/09/2022" },
	{ "subject, the day after", "config/templates/email-subject.txt", 'p',
	    AFTER_0800,
	    "[Nhắc việc] Báo cáo quý kết quả thực hiện tuyên truyền cải cách "
	    "hành chính — hạn Thứ Năm, ngày 15/09/2022 (đã quá hạn)" },
	{ "Zalo to the lead of a broadcast, on the air day",
	    "config/templates/zalo.txt", 'l', 0,
	    "Kính gửi: Trưởng Đài Truyền thanh huyện.\n"
	    "\n"
	    "Thực hiện Kế hoạch của Ủy ban nhân dân huyện Thạnh Trị về tuyên "
	    "truyền cải cách hành chính năm 2022, Phòng Nội vụ kính đề nghị "
	    "Quý cơ quan, đơn vị chủ trì thực hiện nhiệm vụ: Chuyên mục \"Dân "
	    "hỏi - Chính quyền trả lời\"\n"
	    "- Thời hạn: Thứ Bảy, ngày 30/04/2022\n"
	    "- Khung giờ phát sóng: Buổi trưa, từ 11:00 đến 11:30\n"
	    "- Đơn vị chủ trì: Đài Truyền thanh huyện\n"
	    "- Đơn vị phối hợp: Các ban, phòng ngành huyện\n"
	    "- Ghi chú: Ưu tiên khung giờ 11:00–11:30 và 16:45–18:30.\n"
	    "\n"
	    "Đề nghị đồng chí quan tâm chỉ đạo thực hiện đúng thời hạn. Trân "
	    "trọng!\n"
	    "Khi đã nhận hoặc đã hoàn thành, xin trả lời tin nhắn này \"Đã "
	    "nhận\" hoặc \"Đã hoàn thành\" (mã #2G5C)." },
	{ "Zalo to a partner, three days late", "config/templates/zalo.txt",
	    'p', THIRD_1000,
	    "Kính gửi: Trưởng phòng Văn hóa và Thông tin.\n"
	    "\n"
	    "Thực hiện Kế hoạch số 45/KH-UBND ngày 20/02/2022 của Ủy ban nhân "
	    "dân huyện Thạnh Trị về tuyên truyền cải cách hành chính năm 2022, "
	    "Phòng Nội vụ kính đề nghị Quý cơ quan, đơn vị phối hợp với Phòng "
	    "Nội vụ thực hiện nhiệm vụ: Báo cáo quý kết quả thực hiện tuyên "
	    "truyền cải cách hành chính\n"
	    "- Thời hạn: Thứ Năm, ngày 15/09/2022 (đã qua 3 ngày)\n"
	    "- Đơn vị chủ trì: Phòng Nội vụ\n"
	    "- Đơn vị phối hợp: Các ban, phòng ngành huyện\n"
	    "- Ghi chú: Thời hạn do Phòng Nội vụ ấn định.\n"
	    "\n"
	    "Nếu đã hoàn thành, xin bỏ qua tin nhắn này; nếu chưa, đề nghị "
	    "đồng chí quan tâm chỉ đạo khẩn trương thực hiện. Trân trọng!\n"
	    "Khi đã nhận hoặc đã hoàn thành, xin trả lời tin nhắn này \"Đã "
	    "nhận\" hoặc \"Đã hoàn thành\" (mã #VDGP)." },
};

static void
test_shipped_text(void **state)
{
	static const int64_t	 sent[] = { 0, AFTER_0800 };
	const struct reminder	*rs[] = { &lead_r, &partner_r, &min };
	json_error_t		 jerr;
	json_t			*j;
	char			*s, *mail, *subject;
	size_t			 i, k, n;

	(void)state;
	for (i = 0; i < nitems(shipped_cases); i++) {
		s = render_file(shipped_cases[i].path, shipped_cases[i].who ==
		    'l' ? &lead_r : &partner_r, shipped_cases[i].sent_at,
		    TEMPLATE_PLAIN);
		if (strcmp(s, shipped_cases[i].want) != 0)
			fail_msg("case '%s':\n got  '%s'\n want '%s'",
			    shipped_cases[i].name, s, shipped_cases[i].want);
		free(s);
	}
	for (i = 0; i < nitems(rs); i++) {
		for (k = 0; k < nitems(sent); k++) {
			s = render_file("config/templates/webhook-body.json",
			    rs[i], sent[k], TEMPLATE_JSON);
			mail = render_file("config/templates/email.txt", rs[i],
			    sent[k], TEMPLATE_PLAIN);
			subject = render_file(
			    "config/templates/email-subject.txt", rs[i],
			    sent[k], TEMPLATE_PLAIN);
			if ((j = json_loads(s, 0, &jerr)) == NULL)
				fail_msg("webhook body: %s in '%s'", jerr.text,
				    s);
			n = json_object_size(j);
			assert_int_equal(n, 7);
			assert_string_equal(json_string_value(json_object_get(j,
			    "text")), mail);
			assert_string_equal(json_string_value(json_object_get(j,
			    "subject")), subject);
			json_decref(j);
			free(s);
			free(mail);
			free(subject);
		}
	}
}

/* The templates in config/templates/ (make unit runs from the repo root). */
static void
test_shipped(void **state)
{
	static const char *const paths[] = {
		"config/templates/zalo.txt",
		"config/templates/email-subject.txt",
		"config/templates/email.txt",
		"config/templates/webhook-body.json",
	};
	struct template	*t;
	struct diag	 d;
	struct reminder	 sparse;
	const struct reminder *rs[2] = { &full, &sparse };
	json_error_t	 jerr;
	json_t		*j;
	char		*s;
	size_t		 i, k;
	int		 json;

	(void)state;
	/* What a real payload always has, and nothing more. */
	sparse = min;
	sparse.due = "2022-11-01..2022-11-30";
	sparse.period = "month";
	for (i = 0; i < nitems(paths); i++) {
		diag_init(&d);
		if ((t = template_load(paths[i], &d)) == NULL || d.n != 0) {
			dump(paths[i], &d);
			fail_msg("%s does not load", paths[i]);
		}
		json = strstr(paths[i], ".json") != NULL;
		for (k = 0; k < nitems(rs); k++) {
			s = template_render(t, rs[k], json ? TEMPLATE_JSON :
			    TEMPLATE_PLAIN, NULL);
			assert_non_null(s);
			if (strstr(s, "{{") != NULL || strstr(s, "}}") != NULL)
				fail_msg("%s: braces left in '%s'", paths[i],
				    s);
			if (strstr(s, "Kính gửi: .") != NULL ||
			    strstr(s, ": \n") != NULL)
				fail_msg("%s: an empty value shows in '%s'",
				    paths[i], s);
			if (strstr(paths[i], "subject") != NULL &&
			    strchr(s, '\n') != NULL)
				fail_msg("%s: a subject of two lines", paths[i]);
			if (strstr(paths[i], "zalo") != NULL &&
			    template_utf8_chars(s) > TEMPLATE_ZALO_MAX)
				fail_msg("%s: over Zalo's limit", paths[i]);
			if (json) {
				j = json_loads(s, JSON_REJECT_DUPLICATES,
				    &jerr);
				if (j == NULL)
					fail_msg("%s: %s in '%s'", paths[i],
					    jerr.text, s);
				assert_string_equal(json_string_value(
				    json_object_get(j, "task")), rs[k]->task);
				assert_non_null(json_object_get(j, "subject"));
				assert_non_null(json_object_get(j, "text"));
				json_decref(j);
			}
			free(s);
		}
		template_free(t);
		diag_clear(&d);
	}
	/* The greeting takes the head when there is one. */
	diag_init(&d);
	t = template_load("config/templates/zalo.txt", &d);
	s = template_render(t, &full, TEMPLATE_PLAIN, NULL);
	assert_non_null(strstr(s, "Kính gửi: Trưởng Đài Truyền thanh huyện."));
	assert_non_null(strstr(s, "Thứ Bảy, ngày 30/04/2022"));
	assert_non_null(strstr(s, "Phòng Nội vụ, UBND xã A"));
	free(s);
	s = template_render(t, &sparse, TEMPLATE_PLAIN, NULL);
	assert_non_null(strstr(s, "Kính gửi: Lãnh đạo noi-vu."));
	assert_non_null(strstr(s, "tháng 11/2022"));
	assert_null(strstr(s, "Ghi chú"));
	free(s);
	template_free(t);
	diag_clear(&d);
}

static void
test_resolve(void **state)
{
	char	*s, cwd[PATH_MAX], want[PATH_MAX + 64];

	(void)state;
	s = template_resolve("/etc/nhacviec/plan.d/a.conf", "/srv/t.txt");
	assert_string_equal(s, "/srv/t.txt");
	free(s);
	/* A directory this machine lacks is kept as written. */
	s = template_resolve("/nonexistent/plan.d/a.conf", "tpl/t.txt");
	assert_string_equal(s, "/nonexistent/plan.d/tpl/t.txt");
	free(s);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	s = template_resolve("config/plan.d/tasks-2022.conf",
	    "../templates/zalo.txt");
	snprintf(want, sizeof(want), "%s/config/plan.d/../templates/zalo.txt",
	    cwd);
	assert_string_equal(s, want);
	free(s);
	s = template_resolve("a.conf", "t.txt");
	snprintf(want, sizeof(want), "%s/t.txt", cwd);
	assert_string_equal(s, want);
	free(s);
}

/* The main config's channels, as config_load would give them. */
static struct config_channel test_channels[] = {
	{ .name = (char *)"zalo", .type = CHANNEL_ZALO,
	    .contact = (char *)"zalo" },
};

#define TASK(id, tpl)							\
	"[task " id "]\n"						\
	"lead = noi-vu\n"						\
	"date = 2022-04-29\n"						\
	"remind = end@08:00\n"						\
	"channels = zalo\n"						\
	tpl

/* A plan's template: relative to the plan file, checked, stored absolute. */
static void
test_plan_template(void **state)
{
	static const char tasks[] =
	    "[agency noi-vu]\n"						/* 1 */
	    "name = Phòng Nội vụ\n"
	    "zalo = 1111\n"
	    TASK("ok", "template = tpl/ok.txt\n")			/* 4 */
	    TASK("missing", "template = tpl/nope.txt\n")		/* 10 */
	    TASK("bad", "template = tpl/bad.txt\n")			/* 16 */
	    TASK("none", "");						/* 22 */
	static const char *const want[] = {
	    "DIR/plan.d/a.conf:10: task 'missing': template: "
	    "DIR/plan.d/tpl/nope.txt: cannot open: No such file or directory",
	    "DIR/plan.d/a.conf:16: task 'bad': template: "
	    "DIR/plan.d/tpl/bad.txt has 2 errors",
	    "DIR/plan.d/tpl/bad.txt:2: unknown placeholder {{titel}}; did you "
	    "mean {{title}}? " ALLOWED,
	    "DIR/plan.d/tpl/bad.txt:3: {{#note}} is not closed; end the "
	    "section with {{/note}}",
	};
	const char		*names[1], *texts[1] = { tasks };
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	struct diag		 d;
	struct reminder		 r;
	char			*name, *w, *payload, err[256];
	size_t			 i;

	(void)state;
	test_write("plan.d/tpl/ok.txt", "Kính gửi {{head}}: {{title}}\n");
	test_write("plan.d/tpl/bad.txt", "Kính gửi\n{{titel}}\n{{#note}}\n");
	name = test_subst("DIR/plan.d/a.conf");
	names[0] = name;
	diag_init(&d);
	p = plan_load_texts(names, texts, 1, &d);
	if (p == NULL || d.n != 0) {
		dump("plan", &d);
		fail_msg("the plan does not load");
	}
	memset(&c, 0, sizeof(c));
	c.path = (char *)"/etc/nhacviec/nhacviec.conf";
	c.channels = test_channels;
	c.nchannels = nitems(test_channels);
	c.hours_start = 7 * 60;
	c.hours_end = 21 * 60;
	schedule_check(p, &c, &d);
	if (d.n != nitems(want) || d.nerrors != nitems(want))
		dump("schedule_check", &d);
	assert_int_equal(d.n, nitems(want));
	for (i = 0; i < nitems(want); i++) {
		w = test_subst(want[i]);
		if (strcmp(d.msgs[i], w) != 0)
			fail_msg("message %zu:\n got  %s\n want %s", i,
			    d.msgs[i], w);
		free(w);
	}
	diag_clear(&d);

	/*
	 * The task keeps its template, parsed once; the payload names no
	 * file (nothing from Redis may make the daemon open one).
	 */
	assert_non_null(plan_task_find(p, "ok"));
	assert_non_null(plan_task_find(p, "ok")->tmpl);
	assert_null(plan_task_find(p, "none")->tmpl);
	memset(&l, 0, sizeof(l));
	assert_int_equal(schedule_expand(p, &c, 1651104000000LL,
	    1651276800000LL, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 4);
	for (i = 0; i < l.n; i++) {
		payload = planstore_payload(p, &l.v[i]);
		assert_non_null(payload);
		assert_null(strstr(payload, "\"template\""));
		assert_int_equal(reminder_parse(&r, payload, strlen(payload),
		    err, sizeof(err)), 0);
		reminder_clear(&r);
		free(payload);
	}
	schedule_list_clear(&l);
	plan_free(p);
	free(name);
}

/*
 * From plan to payload to message: the recipient's role, the reminder's
 * window, every window, the plan document of the task's own file, a note
 * with placeholders, and the reminder planned for the day after its due
 * date is overdue.
 */
static void
test_plan_payload(void **state)
{
	static const char a[] =
	    "[plan]\n"
	    "number = 45/KH-UBND\n"
	    "date = 2022-02-20\n"
	    "issuer = Ủy ban nhân dân huyện Thạnh Trị\n"
	    "title = tuyên truyền cải cách hành chính năm 2022\n"
	    "[window trua]\nname = Buổi trưa\nstart = 11:00\nend = 11:30\n"
	    "[window chieu]\nstart = 16:45\nend = 18:30\n"
	    "[agency dtt]\nname = Đài Truyền thanh huyện\nzalo = 1\n"
	    "[agency nv]\nname = Phòng Nội vụ\nzalo = 2\n"
	    "[task bc]\n"
	    "title = Báo cáo quý\n"
	    "lead = nv\n"
	    "partners = dtt, nv\n"
	    "note = Khung giờ {{windows}}; {{role}}.\n"
	    "date = 2022-09-15\n"
	    "remind = end-2d@08:00\n"
	    "remind_lead = end+1d@08:00, end@chieu-30m\n"
	    "channels = zalo\n";
	static const char b[] =
	    "[agency ubnd]\nname = UBND huyện\nzalo = 3\n"
	    "[task khac]\nlead = dtt\ndate = 2022-09-14\n"
	    "remind = end@trua-15m\nescalate = end+1d@08:00 > ubnd\n"
	    "channels = zalo\n";
	static const struct {
		const char	*id, *want;
	} want[] = {
	    { "bc/2022-09-15/end-2d@08:00/dtt/zalo",
	      "phối hợp||-|11:00–11:30 và 16:45–18:30|Kế hoạch số 45/KH-UBND "
	      "ngày 20/02/2022 của Ủy ban nhân dân huyện Thạnh Trị về tuyên "
	      "truyền cải cách hành chính năm 2022||Khung giờ 11:00–11:30 và "
	      "16:45–18:30; phối hợp." },
	    { "bc/2022-09-15/end-2d@08:00/nv/zalo",
	      "chủ trì||-|11:00–11:30 và 16:45–18:30|Kế hoạch số 45/KH-UBND "
	      "ngày 20/02/2022 của Ủy ban nhân dân huyện Thạnh Trị về tuyên "
	      "truyền cải cách hành chính năm 2022||Khung giờ 11:00–11:30 và "
	      "16:45–18:30; chủ trì." },
	    { "khac/2022-09-14/end@trua-15m/dtt/zalo",
	      "chủ trì|Buổi trưa|11:00-11:30|11:00–11:30 và 16:45–18:30|||" },
	    /* An escalation reaches neither the lead nor a partner. */
	    { "khac/2022-09-14/escalate:end+1d@08:00/ubnd/zalo",
	      "||-|11:00–11:30 và 16:45–18:30||1 ngày|" },
	    { "bc/2022-09-15/end@chieu-30m/nv/zalo",
	      "chủ trì|chieu|16:45-18:30|11:00–11:30 và 16:45–18:30|Kế hoạch "
	      "số 45/KH-UBND ngày 20/02/2022 của Ủy ban nhân dân huyện Thạnh "
	      "Trị về tuyên truyền cải cách hành chính năm 2022||Khung giờ "
	      "11:00–11:30 và 16:45–18:30; chủ trì." },
	    { "bc/2022-09-15/end+1d@08:00/nv/zalo",
	      "chủ trì||-|11:00–11:30 và 16:45–18:30|Kế hoạch số 45/KH-UBND "
	      "ngày 20/02/2022 của Ủy ban nhân dân huyện Thạnh Trị về tuyên "
	      "truyền cải cách hành chính năm 2022|1 ngày|Khung giờ "
	      "11:00–11:30 và 16:45–18:30; chủ trì." },
	};
	const char *const	 names[] = { "a.conf", "b.conf" };
	const char *const	 texts[] = { a, b };
	struct config		 c;
	struct sched_list	 l;
	struct template		*t;
	struct reminder		 r;
	struct plan		*p;
	struct diag		 d;
	char			*payload, *s, err[256];
	size_t			 i;

	(void)state;
	diag_init(&d);
	p = plan_load_texts(names, texts, 2, &d);
	memset(&c, 0, sizeof(c));
	c.path = (char *)"/etc/nhacviec/nhacviec.conf";
	c.channels = test_channels;
	c.nchannels = nitems(test_channels);
	c.hours_start = 7 * 60;
	c.hours_end = 21 * 60;
	if (p != NULL)
		schedule_check(p, &c, &d);
	if (p == NULL || d.n != 0) {
		dump("plan", &d);
		fail_msg("the plan does not load cleanly");
	}
	diag_clear(&d);
	t = parse_ok("fields", "{{role}}|{{window_name}}|{{window_start}}-"
	    "{{window_end}}|{{windows}}|{{plan}}|{{overdue}}|{{note}}");
	memset(&l, 0, sizeof(l));
	/* 2022-09-13T00:00 to 2022-09-17T00:00, +07:00. */
	assert_int_equal(schedule_expand(p, &c, 1662998400000LL,
	    1663347600000LL, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, nitems(want));
	for (i = 0; i < l.n; i++) {
		assert_string_equal(l.v[i].id, want[i].id);
		payload = planstore_payload(p, &l.v[i]);
		assert_non_null(payload);
		assert_int_equal(reminder_parse(&r, payload, strlen(payload),
		    err, sizeof(err)), 0);
		r.fire_at = l.v[i].fire_at;
		s = template_render(t, &r, TEMPLATE_PLAIN, "Asia/Ho_Chi_Minh");
		if (strcmp(s, want[i].want) != 0)
			fail_msg("%s:\n got  '%s'\n want '%s'", want[i].id, s,
			    want[i].want);
		free(s);
		reminder_clear(&r);
		free(payload);
	}
	schedule_list_clear(&l);
	template_free(t);
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_due_text),
		cmocka_unit_test(test_fire_text),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_default_text),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_shipped_text),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_plan_template),
		cmocka_unit_test(test_plan_payload),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
