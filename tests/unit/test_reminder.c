/* Unit tests for reminders: payload parsing and the webhook body. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reminder.h"

#define FULL "{\"id\":\"dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/zalo\"," \
	"\"task\":\"dan-hoi\",\"title\":\"Chuyên mục \\\"Dân hỏi\\\"\"," \
	"\"agency\":\"dai-truyen-thanh\",\"agency_name\":\"Đài Truyền thanh huyện\"," \
	"\"contact\":\"5218391034920148231\",\"channel\":\"zalo\"," \
	"\"due\":\"2022-04-30\",\"spec\":\"end-1d@08:00\"}"

static const struct {
	const char	*name;
	const char	*payload;
	const char	*err;		/* NULL: parses */
} parse_cases[] = {
	{ "full", FULL, NULL },
	{ "minimal", "{\"id\":\"a\",\"task\":\"t\",\"agency\":\"x\","
	    "\"channel\":\"c\"}", NULL },
	{ "not json", "{\"id\": oops", "payload is not a JSON object" },
	{ "array", "[1,2]", "payload is not a JSON object: wrong type" },
	{ "no id", "{\"task\":\"t\",\"agency\":\"x\",\"channel\":\"c\"}",
	    "payload lacks 'id'" },
	{ "empty channel", "{\"id\":\"a\",\"task\":\"t\",\"agency\":\"x\","
	    "\"channel\":\"\"}", "payload lacks 'channel'" },
	{ "number task", "{\"id\":\"a\",\"task\":5,\"agency\":\"x\","
	    "\"channel\":\"c\"}", "payload member 'task' is not a string" },
	{ "duplicate key", "{\"id\":\"a\",\"id\":\"b\",\"task\":\"t\","
	    "\"agency\":\"x\",\"channel\":\"c\"}",
	    "payload is not a JSON object" },
};

static void
test_parse(void **state)
{
	struct reminder	r;
	char		err[200];
	size_t		i;
	int		rc;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		err[0] = '\0';
		rc = reminder_parse(&r, parse_cases[i].payload,
		    strlen(parse_cases[i].payload), err, sizeof(err));
		if (parse_cases[i].err == NULL && rc != 0)
			fail_msg("case '%s': %s", parse_cases[i].name, err);
		if (parse_cases[i].err != NULL && (rc == 0 ||
		    strncmp(err, parse_cases[i].err,
		    strlen(parse_cases[i].err)) != 0))
			fail_msg("case '%s': got '%s'", parse_cases[i].name,
			    err);
		reminder_clear(&r);
	}
}

static void
test_defaults_and_text(void **state)
{
	struct reminder	 r;
	char		 err[200], *text, due[80];
	const char	*p = "{\"id\":\"a\",\"task\":\"bao-cao\","
	    "\"agency\":\"noi-vu\",\"channel\":\"email\","
	    "\"due\":\"2022-04-01..2022-04-30\",\"note\":\"Theo Kế hoạch\"}";

	(void)state;
	assert_int_equal(reminder_parse(&r, p, strlen(p), err, sizeof(err)), 0);
	assert_string_equal(r.title, "bao-cao");
	assert_string_equal(r.agency_name, "noi-vu");
	text = reminder_text(&r);
	/* The wording is template_text_default's (test_template.c). */
	assert_string_equal(text, "Kính gửi: Lãnh đạo noi-vu.\n"
	    "Nhắc việc: bao-cao.\n"
	    "Thời hạn: trong tháng 4/2022.\n"
	    "Ghi chú: Theo Kế hoạch.\n"
	    "Đề nghị quý cơ quan chủ động triển khai, bảo đảm đúng thời "
	    "hạn.\n"
	    "Đây là tin nhắn nhắc việc tự động theo kế hoạch của UBND "
	    "huyện.");
	free(text);
	reminder_due_text("2022-04-30", due, sizeof(due));
	assert_string_equal(due, "30/04/2022");
	reminder_clear(&r);
}

static void
test_webhook_body(void **state)
{
	struct reminder	 r;
	char		 err[200], *s;
	json_t		*b, *back;
	json_error_t	 jerr;

	(void)state;
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	assert_int_equal(reminder_parse(&r, FULL, strlen(FULL), err,
	    sizeof(err)), 0);
	r.fire_at = 1651194000000;
	r.attempt = 2;
	b = reminder_webhook_body(&r, "Nhắc việc: \"Dân hỏi\"\n");
	assert_non_null(b);
	/* What goes on the wire parses back to the same strings. */
	s = json_dumps(b, JSON_COMPACT);
	back = json_loads(s, 0, &jerr);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "id")),
	    "dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/zalo");
	assert_string_equal(json_string_value(json_object_get(back, "task")),
	    "dan-hoi");
	assert_string_equal(json_string_value(json_object_get(back, "title")),
	    "Chuyên mục \"Dân hỏi\"");
	assert_string_equal(json_string_value(json_object_get(back,
	    "agency")), "dai-truyen-thanh");
	assert_string_equal(json_string_value(json_object_get(back, "due")),
	    "2022-04-30");
	assert_string_equal(json_string_value(json_object_get(back,
	    "fire_at")), "2022-04-29T08:00:00+07:00");
	assert_string_equal(json_string_value(json_object_get(back, "text")),
	    "Nhắc việc: \"Dân hỏi\"\n");
	assert_int_equal(json_integer_value(json_object_get(back, "attempt")),
	    2);
	assert_true(json_is_false(json_object_get(back, "late")));
	free(s);
	json_decref(back);
	json_decref(b);
	reminder_clear(&r);
}

/*
 * A packed reminder holds its own copy of every member and no JSON; the
 * payload made from it (a fallback's, a requeued one's) reads back the
 * same, whatever member it was given.
 */
static void
test_pack_and_json(void **state)
{
	static const char *const full = "{\"id\":\"t/2022-04-30/end@08:00/a/"
	    "mail\",\"task\":\"t\",\"title\":\"Báo cáo \\\"quý\\\"\","
	    "\"agency\":\"a\",\"agency_name\":\"Phòng Nội vụ\","
	    "\"channel\":\"mail\",\"due\":\"2022-04-30\",\"spec\":"
	    "\"end@08:00\",\"period\":\"quarter\",\"expires_at\":"
	    "1651338000000,\"head\":\"Trưởng phòng\",\"contact\":"
	    "\"a@example.vn\",\"zalo\":\"123\",\"email\":\"a@example.vn\","
	    "\"escalation\":true,\"lead\":\"Phòng Nội vụ\",\"window\":"
	    "\"w\",\"partners\":\"Tất cả\",\"status\":\"2 chưa xong\","
	    "\"open\":2,\"recipients\":5,\"confirm_url\":\"https://x/c\"}";
	struct reminder	 r, back;
	json_t		*o;
	char		 err[200], *s;
	char		*copy = strdup(full);

	(void)state;
	assert_int_equal(reminder_parse(&r, copy, strlen(copy), err,
	    sizeof(err)), 0);
	reminder_pack(&r);
	memset(copy, 'x', strlen(copy));	/* nothing points into it */
	free(copy);
	assert_null(r.json);
	assert_non_null(r.arena);
	assert_true(r.title >= r.arena && r.confirm_url > r.arena);
	assert_string_equal(r.title, "Báo cáo \"quý\"");
	assert_string_equal(r.agency_name, "Phòng Nội vụ");
	assert_string_equal(r.confirm_url, "https://x/c");
	assert_true(r.escalation);
	assert_int_equal(r.open, 2);
	assert_int_equal(r.recipients, 5);
	assert_int_equal(r.expires_at, 1651338000000);

	o = reminder_to_json(&r);
	assert_non_null(o);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	assert_int_equal(reminder_parse(&back, s, strlen(s), err,
	    sizeof(err)), 0);
	free(s);
	assert_string_equal(back.id, r.id);
	assert_string_equal(back.title, r.title);
	assert_string_equal(back.contact, r.contact);
	assert_string_equal(back.partners, r.partners);
	assert_string_equal(back.status, r.status);
	assert_string_equal(back.confirm_url, r.confirm_url);
	assert_string_equal(back.period, "quarter");
	assert_null(back.phone);
	assert_true(back.escalation);
	assert_int_equal(back.open, 2);
	assert_int_equal(back.recipients, 5);
	assert_int_equal(back.expires_at, r.expires_at);
	reminder_clear(&back);
	reminder_clear(&r);
	assert_null(r.arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_defaults_and_text),
		cmocka_unit_test(test_webhook_body),
		cmocka_unit_test(test_pack_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
