/* Unit tests for Zalo answers: the code table, a send's reply, a token refresh's reply. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "zalo.h"

#define NOW_MS	1651021200000LL

/* One code of each class of reference §5, and codes the table does not list. */
static const struct {
	long			code;
	enum zalo_action	action;
} classify_cases[] = {
	{ 0, ZALO_OK },
	{ -32, ZALO_RETRY },
	{ -133, ZALO_RETRY },
	{ -234, ZALO_RETRY },
	{ -144, ZALO_RETRY_TOMORROW },
	{ -147, ZALO_RETRY_TOMORROW },
	{ -124, ZALO_REFRESH },
	{ -216, ZALO_REFRESH },
	{ -220, ZALO_REFRESH },
	{ -213, ZALO_NOT_REACHABLE },
	{ -230, ZALO_NOT_REACHABLE },
	{ -232, ZALO_NOT_REACHABLE },
	{ -101, ZALO_MISCONFIGURED },
	{ -1351, ZALO_MISCONFIGURED },
	{ -321, ZALO_MISCONFIGURED },
	{ -201, ZALO_PERMANENT },	/* not listed: this recipient only */
	{ -99999, ZALO_PERMANENT },
	{ 7, ZALO_PERMANENT },
};

static void
test_classify(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(classify_cases); i++)
		if (zalo_classify(classify_cases[i].code) !=
		    classify_cases[i].action)
			fail_msg("code %ld: %s", classify_cases[i].code,
			    zalo_action_name(zalo_classify(
			    classify_cases[i].code)));
}

static const struct {
	const char		*name;
	long			 status;
	const char		*body;
	int			 coded;
	long			 code;
	enum zalo_action	 action;
	const char		*message;
	const char		*ref;
} reply_cases[] = {
	{ "cs sent", 200, "{\"error\":0,\"message\":\"Success\",\"data\":"
	    "{\"message_id\":\"a8f1c2\",\"user_id\":\"52\"}}", 1, 0, ZALO_OK,
	    "Success", "a8f1c2" },
	{ "zns sent", 200, "{\"error\":0,\"message\":\"Success\",\"data\":"
	    "{\"msg_id\":\"z-77\",\"sent_time\":\"1651021200000\"}}", 1, 0,
	    ZALO_OK, "Success", "z-77" },
	{ "sent without an id", 200, "{\"error\":0}", 1, 0, ZALO_OK, "",
	    "" },
	{ "token refused", 200, "{\"error\":-216,\"message\":\"Access token "
	    "is invalid\"}", 1, -216, ZALO_REFRESH,
	    "Access token is invalid", "" },
	{ "not a follower", 200, "{\"error\":-213,\"message\":\"Người dùng "
	    "chưa quan tâm OA\"}", 1, -213, ZALO_NOT_REACHABLE,
	    "Người dùng chưa quan tâm OA", "" },
	{ "quota", 200, "{\"error\":-144}", 1, -144, ZALO_RETRY_TOMORROW,
	    "", "" },
	{ "app", 200, "{\"error\":-101,\"message\":\"\\n\\u0007\"}", 1, -101,
	    ZALO_MISCONFIGURED, " ?", "" },
	{ "message of another type", 200, "{\"error\":-200,\"message\":5}",
	    1, -200, ZALO_RETRY, "", "" },
	{ "a message id only when sent", 200, "{\"error\":-200,\"data\":"
	    "{\"message_id\":\"x\"}}", 1, -200, ZALO_RETRY, "", "" },
	{ "no code, 500", 500, "<html>", 0, 0, ZALO_RETRY, "", "" },
	{ "no code, 429", 429, "", 0, 0, ZALO_RETRY, "", "" },
	{ "no code, 408", 408, "{}", 0, 0, ZALO_RETRY, "", "" },
	{ "no code, 404", 404, "{}", 0, 0, ZALO_PERMANENT, "", "" },
	{ "a string code", 400, "{\"error\":\"-216\"}", 0, 0, ZALO_PERMANENT,
	    "", "" },
	{ "not an object", 200, "[0]", 0, 0, ZALO_RETRY, "", "" },
};

static void
test_reply(void **state)
{
	struct zalo_reply	z;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(reply_cases); i++) {
		zalo_reply_parse(&z, reply_cases[i].status, reply_cases[i].body,
		    strlen(reply_cases[i].body));
		if (z.coded != reply_cases[i].coded ||
		    z.code != reply_cases[i].code ||
		    z.action != reply_cases[i].action)
			fail_msg("case '%s': coded %d, code %ld, %s",
			    reply_cases[i].name, z.coded, z.code,
			    zalo_action_name(z.action));
		if (strcmp(z.message, reply_cases[i].message) != 0 ||
		    strcmp(z.ref, reply_cases[i].ref) != 0)
			fail_msg("case '%s': message '%s', ref '%s'",
			    reply_cases[i].name, z.message, z.ref);
	}
}

static const struct {
	const char	*name;
	const char	*body;
	int64_t		 expires_s;	/* -1: refused */
	const char	*err;		/* a prefix, when refused */
} refresh_cases[] = {
	{ "pair", "{\"access_token\":\"AT\",\"refresh_token\":\"RT\","
	    "\"expires_in\":\"90000\"}", 90000, NULL },
	{ "integer expires_in", "{\"access_token\":\"AT\",\"refresh_token\":"
	    "\"RT\",\"expires_in\":3600}", 3600, NULL },
	{ "no expires_in", "{\"access_token\":\"AT\",\"refresh_token\":"
	    "\"RT\"}", ZALO_EXPIRES_DEFAULT_S, NULL },
	{ "negative", "{\"access_token\":\"AT\",\"refresh_token\":\"RT\","
	    "\"expires_in\":-5}", ZALO_EXPIRES_DEFAULT_S, NULL },
	{ "huge, bounded", "{\"access_token\":\"AT\",\"refresh_token\":\"RT\","
	    "\"expires_in\":100000000000000000}", ZALO_EXPIRES_MAX_S, NULL },
	{ "huge text, bounded", "{\"access_token\":\"AT\",\"refresh_token\":"
	    "\"RT\",\"expires_in\":\"99999999999999999999999\"}",
	    ZALO_EXPIRES_MAX_S, NULL },
	{ "refused", "{\"error\":-14014,\"error_name\":\"Invalid refresh "
	    "token\"}", -1, "the token refresh was refused (HTTP 200, error "
	    "-14014: Invalid refresh token)" },
	{ "no error", "{}", -1, "the token refresh was refused (HTTP 200, "
	    "error 0)" },
	{ "not JSON", "<html>", -1, "the token refresh was refused" },
	{ "empty token", "{\"access_token\":\"\",\"refresh_token\":\"RT\"}",
	    -1, "the token refresh was refused" },
	{ "a line break in a token", "{\"access_token\":\"A\\r\\nX: y\","
	    "\"refresh_token\":\"RT\"}", -1, "the token refresh was refused" },
	{ "a number token", "{\"access_token\":5,\"refresh_token\":\"RT\"}",
	    -1, "the token refresh was refused" },
};

static void
test_refresh(void **state)
{
	struct zalo_token	t;
	char			err[300];
	size_t			i;
	int			rc;

	(void)state;
	for (i = 0; i < nitems(refresh_cases); i++) {
		err[0] = '\0';
		rc = zalo_refresh_parse(&t, 200, refresh_cases[i].body,
		    strlen(refresh_cases[i].body), NOW_MS, err, sizeof(err));
		if (refresh_cases[i].expires_s < 0) {
			if (rc != -1 || strncmp(err, refresh_cases[i].err,
			    strlen(refresh_cases[i].err)) != 0)
				fail_msg("case '%s': %d '%s'",
				    refresh_cases[i].name, rc, err);
			assert_null(t.access_token);
			continue;
		}
		if (rc != 0)
			fail_msg("case '%s': %s", refresh_cases[i].name, err);
		assert_string_equal(t.access_token, "AT");
		assert_string_equal(t.refresh_token, "RT");
		assert_string_equal(t.status, "ok");
		assert_int_equal(t.refresh_issued_at, NOW_MS);
		assert_int_equal(t.updated_at, NOW_MS);
		if (t.access_expires_at != NOW_MS +
		    refresh_cases[i].expires_s * 1000)
			fail_msg("case '%s': expires %lld", refresh_cases[i].name,
			    (long long)t.access_expires_at);
		zalo_token_clear(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_refresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
