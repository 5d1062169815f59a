/* Unit tests for what peers answer: header lines, the webhook and SMTP verdicts, text made printable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "peer.h"
#include "retry.h"
#include "text.h"

#define NOW_S	1651021200LL	/* 2022-04-27 01:00:00 UTC */
#define X65	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const struct {
	const char	*name;
	const char	*lines;		/* header lines, CRLF each */
	int64_t		 retry_after_s;
	const char	*reply;
} header_cases[] = {
	{ "nothing", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
	    -1, "" },
	{ "seconds", "HTTP/1.1 429 Too Many\r\nRetry-After: 120\r\n", 120,
	    "" },
	{ "any case", "retry-after:7\r\n", 7, "" },
	{ "date", "Retry-After: Wed, 27 Apr 2022 01:10:00 GMT\r\n", 600, "" },
	{ "date passed", "Retry-After: Wed, 27 Apr 2022 00:10:00 GMT\r\n", 0,
	    "" },
	{ "huge", "Retry-After: 100000000000000000\r\n", RETRY_AFTER_MAX_S,
	    "" },
	{ "garbage", "Retry-After: soon\r\n", -1, "" },
	{ "empty", "Retry-After:\r\n", -1, "" },
	{ "the last one counts", "Retry-After: 5\r\nRetry-After: 9\r\n", 9,
	    "" },
	{ "smtp reply", "250-smtp.example.gov.vn\r\n250 AUTH PLAIN\r\n"
	    "535 5.7.8 Authentication failed\r\n", -1,
	    "535 5.7.8 Authentication failed" },
	{ "not a reply", "600 no\r\n199 no\r\n25x no\r\n250no\r\n", -1, "" },
	{ "long reply cut", "550 " X65 X65 X65 "yyyyy\r\n", -1,
	    "550 " X65 X65 X65 },
};

/* Feed each line as curl does: its own call, CRLF included, no NUL. */
static void
test_headers(void **state)
{
	struct peer_headers	 h;
	const char		*p, *nl;
	char			*copy;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < nitems(header_cases); i++) {
		peer_headers_init(&h);
		for (p = header_cases[i].lines; *p; p += n) {
			nl = strchr(p, '\n');
			n = nl ? (size_t)(nl - p) + 1 : strlen(p);
			copy = malloc(n);
			assert_non_null(copy);
			memcpy(copy, p, n);
			peer_header(&h, copy, n, NOW_S);
			free(copy);
		}
		if (h.retry_after_s != header_cases[i].retry_after_s)
			fail_msg("case '%s': Retry-After %lld", header_cases[i].name,
			    (long long)h.retry_after_s);
		if (strcmp(h.reply, header_cases[i].reply) != 0)
			fail_msg("case '%s': reply '%s'", header_cases[i].name,
			    h.reply);
	}
}

static const struct {
	const char	*name;
	CURLcode	 code;
	long		 status;
	const char	*body;
	enum verdict	 verdict;
	int		 pause;
	const char	*detail;	/* a prefix */
} webhook_cases[] = {
	{ "200", CURLE_OK, 200, "{}", VERDICT_OK, 0, "" },
	{ "201", CURLE_OK, 201, "", VERDICT_OK, 0, "" },
	{ "204", CURLE_OK, 204, "", VERDICT_OK, 0, "" },
	{ "408", CURLE_OK, 408, "slow", VERDICT_TRANSIENT, 0, "HTTP 408: slow" },
	{ "425", CURLE_OK, 425, "", VERDICT_TRANSIENT, 0, "HTTP 425: " },
	{ "429", CURLE_OK, 429, "", VERDICT_TRANSIENT, 0, "HTTP 429: " },
	{ "500", CURLE_OK, 500, "", VERDICT_TRANSIENT, 0, "HTTP 500: " },
	{ "503", CURLE_OK, 503, "{\"error\":\"down\"}\n", VERDICT_TRANSIENT,
	    0, "HTTP 503: {\"error\":\"down\"} " },
	{ "599", CURLE_OK, 599, "", VERDICT_TRANSIENT, 0, "HTTP 599" },
	{ "401", CURLE_OK, 401, "no", VERDICT_DEFER, 1, "HTTP 401: no" },
	{ "403", CURLE_OK, 403, "", VERDICT_DEFER, 1, "HTTP 403" },
	{ "400", CURLE_OK, 400, "bad", VERDICT_PERMANENT, 0, "HTTP 400: bad" },
	{ "404", CURLE_OK, 404, "", VERDICT_PERMANENT, 0, "HTTP 404" },
	{ "410", CURLE_OK, 410, "", VERDICT_PERMANENT, 0, "HTTP 410" },
	{ "422", CURLE_OK, 422, "", VERDICT_PERMANENT, 0, "HTTP 422" },
	{ "302", CURLE_OK, 302, "", VERDICT_PERMANENT, 0, "HTTP 302" },
	{ "no answer", CURLE_COULDNT_CONNECT, 0, "", VERDICT_TRANSIENT, 0,
	    "Couldn't connect" },
	{ "timeout", CURLE_OPERATION_TIMEDOUT, 0, "", VERDICT_TRANSIENT, 0,
	    "Timeout" },
	/* A cut inside a character, a byte that is not UTF-8, a control. */
	{ "bytes", CURLE_OK, 500, "\xff\x01ok\t\xc3", VERDICT_TRANSIENT, 0,
	    "HTTP 500: ??ok ?" },
};

static void
test_webhook(void **state)
{
	struct peer_outcome	 o;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(webhook_cases); i++) {
		peer_webhook(&o, webhook_cases[i].code, NULL,
		    webhook_cases[i].status, webhook_cases[i].body,
		    strlen(webhook_cases[i].body));
		if (o.verdict != webhook_cases[i].verdict ||
		    o.pause != webhook_cases[i].pause)
			fail_msg("case '%s': %s, pause %d", webhook_cases[i].name,
			    peer_verdict_name(o.verdict), o.pause);
		if (strncmp(o.detail, webhook_cases[i].detail,
		    strlen(webhook_cases[i].detail)) != 0 ||
		    (webhook_cases[i].verdict == VERDICT_OK && o.detail[0]))
			fail_msg("case '%s': detail '%s'", webhook_cases[i].name,
			    o.detail);
		if (o.pause && strstr(o.why, "credentials") == NULL)
			fail_msg("case '%s': why '%s'", webhook_cases[i].name,
			    o.why);
	}
}

/* A long Vietnamese answer is cut between characters, not inside one. */
static void
test_webhook_snippet(void **state)
{
	struct peer_outcome	 o;
	char			 body[600];
	size_t			 i;

	(void)state;
	body[0] = '\0';
	for (i = 0; i < 20; i++)
		strcat(body, "Lỗi máy chủ. ");
	peer_webhook(&o, CURLE_OK, NULL, 503, body, strlen(body));
	assert_int_equal(o.verdict, VERDICT_TRANSIENT);
	assert_true(text_utf8_valid(o.detail, strlen(o.detail)));
	assert_true(strlen(o.detail) < strlen("HTTP 503: ") + 120);
	assert_true(strlen(o.detail) > strlen("HTTP 503: ") + 110);
	assert_memory_equal(o.detail, "HTTP 503: Lỗi máy chủ. Lỗi",
	    strlen("HTTP 503: Lỗi máy chủ. Lỗi"));
}

static const struct {
	const char	*name;
	CURLcode	 code;
	long		 status;
	const char	*reply;
	const char	*error;
	enum verdict	 verdict;
	int		 pause;
	const char	*detail;
	const char	*why;		/* a prefix */
} smtp_cases[] = {
	{ "sent", CURLE_OK, 250, "250 2.0.0 OK queued", NULL, VERDICT_OK, 0,
	    "", "" },
	{ "451 later", CURLE_SEND_ERROR, 451,
	    "451 4.0.0 Scripted failure from smtp_sink", NULL,
	    VERDICT_TRANSIENT, 0, "SMTP 451: 4.0.0 Scripted failure from "
	    "smtp_sink", "" },
	{ "421 later", CURLE_RECV_ERROR, 421, "421 4.4.2 closing", NULL,
	    VERDICT_TRANSIENT, 0, "SMTP 421: 4.4.2 closing", "" },
	{ "550 never", CURLE_SEND_ERROR, 550,
	    "550 5.1.1 no such user", NULL, VERDICT_PERMANENT, 0,
	    "SMTP 550: 5.1.1 no such user", "" },
	{ "554 never", CURLE_SEND_ERROR, 554, "", "Failure sending",
	    VERDICT_PERMANENT, 0, "SMTP 554: Failure sending", "" },
	{ "reply of another code", CURLE_SEND_ERROR, 552, "250 OK",
	    "curl's words", VERDICT_PERMANENT, 0, "SMTP 552: curl's words",
	    "" },
	{ "no answer", CURLE_COULDNT_CONNECT, 0, "", NULL, VERDICT_TRANSIENT,
	    0, "Couldn't connect", "" },
	{ "login refused", CURLE_LOGIN_DENIED, 535,
	    "535 5.7.8 Authentication failed", NULL, VERDICT_DEFER, 1,
	    "SMTP 535: 5.7.8 Authentication failed",
	    "the SMTP server refused the login (535)" },
	{ "535 whatever curl says", CURLE_SEND_ERROR, 535, "", "x",
	    VERDICT_DEFER, 1, "SMTP 535: x",
	    "the SMTP server refused the login" },
	{ "no STARTTLS", CURLE_USE_SSL_FAILED, 0, "", NULL, VERDICT_DEFER, 1,
	    "", "the SMTP server does not offer STARTTLS" },
	{ "latin-1 reply", CURLE_SEND_ERROR, 550, "550 d\xe9j\xe0 vu\x07",
	    NULL, VERDICT_PERMANENT, 0, "SMTP 550: d?j? vu?", "" },
};

static void
test_smtp(void **state)
{
	struct peer_outcome	 o;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(smtp_cases); i++) {
		peer_smtp(&o, smtp_cases[i].code, smtp_cases[i].error,
		    smtp_cases[i].status, smtp_cases[i].reply);
		if (o.verdict != smtp_cases[i].verdict ||
		    o.pause != smtp_cases[i].pause)
			fail_msg("case '%s': %s, pause %d", smtp_cases[i].name,
			    peer_verdict_name(o.verdict), o.pause);
		if (strncmp(o.detail, smtp_cases[i].detail,
		    strlen(smtp_cases[i].detail)) != 0)
			fail_msg("case '%s': detail '%s'", smtp_cases[i].name,
			    o.detail);
		if (strncmp(o.why, smtp_cases[i].why,
		    strlen(smtp_cases[i].why)) != 0 ||
		    (!smtp_cases[i].pause && o.why[0]))
			fail_msg("case '%s': why '%s'", smtp_cases[i].name,
			    o.why);
	}
}

static const struct {
	const char	*name;
	const char	*in;
	size_t		 room;		/* the buffer's size */
	const char	*out;
	int		 valid;		/* text_utf8_valid(in) */
} text_cases[] = {
	{ "ascii", "abc", 16, "abc", 1 },
	{ "vietnamese", "Nhắc việc", 32, "Nhắc việc", 1 },
	{ "cut between characters", "Nhắc", 5, "Nh", 1 },
	{ "cut after one", "ắắ", 5, "ắ", 1 },
	{ "controls", "a\tb\r\nc\x01\x7f", 16, "a b  c??", 1 },
	{ "lone continuation", "a\x80z", 16, "a?z", 0 },
	{ "truncated sequence", "a\xe1\xba", 16, "a??", 0 },
	{ "overlong", "\xc0\xaf", 16, "??", 0 },
	{ "overlong 3", "\xe0\x80\xaf", 16, "???", 0 },
	{ "surrogate", "\xed\xa0\x80", 16, "???", 0 },
	{ "past U+10FFFF", "\xf4\x90\x80\x80", 16, "????", 0 },
	{ "four bytes", "\xf0\x9f\x98\x80!", 16, "\xf0\x9f\x98\x80!", 1 },
	{ "no room", "abc", 1, "", 1 },
};

static void
test_text(void **state)
{
	char	buf[64];
	size_t	i, n;

	(void)state;
	for (i = 0; i < nitems(text_cases); i++) {
		n = text_printable(buf, text_cases[i].room, text_cases[i].in,
		    strlen(text_cases[i].in));
		if (strcmp(buf, text_cases[i].out) != 0 ||
		    n != strlen(text_cases[i].out))
			fail_msg("case '%s': '%s' (%zu)", text_cases[i].name,
			    buf, n);
		if (text_utf8_valid(text_cases[i].in,
		    strlen(text_cases[i].in)) != text_cases[i].valid)
			fail_msg("case '%s': valid is not %d",
			    text_cases[i].name, text_cases[i].valid);
		assert_true(text_utf8_valid(buf, n));
	}
	/* A NUL ends the copy. */
	assert_int_equal(text_printable(buf, sizeof(buf), "ab\0cd", 5), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_webhook),
		cmocka_unit_test(test_webhook_snippet),
		cmocka_unit_test(test_smtp),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
