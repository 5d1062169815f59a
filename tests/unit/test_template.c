/* Unit tests for common/template.c: placeholders, escapes, date text, errors, the shipped templates, plan templates. */
#include <sys/stat.h>

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
#include "plan.h"
#include "planstore.h"
#include "reminder.h"
#include "schedule.h"
#include "template.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define MSGS_MAX	6
#define ALLOWED		"(allowed: title, task, due, due_text, agency, head, " \
			"lead, partners, window, note, fire_at, contact)"
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

static struct reminder	full, min;
static char		test_dir[PATH_MAX];

/* Prints what a parse said, for a failing case. */
static void
dump(const char *name, const struct diag *d)
{
	size_t	i;

	print_error("case '%s' got %zu message(s):\n", name, d->n);
	for (i = 0; i < d->n; i++)
		print_error("  %s\n", d->msgs[i]);
}

/* A copy of s with DIR replaced by the temp dir. */
static char *
subst(const char *s)
{
	char	*out, *o;
	size_t	 k = strlen(test_dir);

	out = o = calloc(strlen(s) + 1, k + 1);
	assert_non_null(out);
	while (*s != '\0') {
		if (strncmp(s, "DIR", 3) == 0) {
			memcpy(o, test_dir, k);
			o += k;
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

static void
write_file(const char *name, const char *text, size_t len)
{
	char	path[PATH_MAX + 64];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
write_text(const char *name, const char *text)
{
	write_file(name, text, strlen(text));
}

static const char *const test_files[] = {
	"plan.d/tpl/ok.txt", "plan.d/tpl/bad.txt", "nul.txt", "crlf.txt",
};

static int
setup(void **state)
{
	char	tmpl[] = "/tmp/nv-test-template-XXXXXX", err[200];
	char	path[PATH_MAX + 64];

	(void)state;
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, test_dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/plan.d", test_dir);
	if (mkdir(path, 0755) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/plan.d/tpl", test_dir);
	if (mkdir(path, 0755) == -1)
		return -1;
	if (reminder_parse(&full, full_payload, strlen(full_payload), err,
	    sizeof(err)) == -1 || reminder_parse(&min, min_payload,
	    strlen(min_payload), err, sizeof(err)) == -1) {
		print_error("%s\n", err);
		return -1;
	}
	full.fire_at = FIRE_AT;
	return 0;
}

static int
teardown(void **state)
{
	char	path[PATH_MAX + 64];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(test_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", test_dir, test_files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/plan.d/tpl", test_dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/plan.d", test_dir);
	rmdir(path);
	reminder_clear(&full);
	reminder_clear(&min);
	return rmdir(test_dir);
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
	path = subst("DIR/missing.txt");
	assert_null(template_load(path, &d));
	want = subst("DIR/missing.txt: cannot open: No such file or "
	    "directory");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	free(path);
	diag_clear(&d);

	write_file("nul.txt", "a\0b", 3);
	path = subst("DIR/nul.txt");
	assert_null(template_load(path, &d));
	want = subst("DIR/nul.txt: holds a NUL byte: not a text file");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	free(path);
	diag_clear(&d);

	write_text("crlf.txt", "Kính gửi\r\n\r\n{{hed}}\r\n");
	path = subst("DIR/crlf.txt");
	assert_null(template_load(path, &d));
	want = subst("DIR/crlf.txt:3: unknown placeholder {{hed}}; did you "
	    "mean {{head}}? " ALLOWED);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	diag_clear(&d);

	write_text("crlf.txt", "Kính gửi {{head}}\r\n");
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
	write_text("plan.d/tpl/ok.txt", "Kính gửi {{head}}: {{title}}\n");
	write_text("plan.d/tpl/bad.txt", "Kính gửi\n{{titel}}\n{{#note}}\n");
	name = subst("DIR/plan.d/a.conf");
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
		w = subst(want[i]);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_due_text),
		cmocka_unit_test(test_fire_text),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_default_text),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_plan_template),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
