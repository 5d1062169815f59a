/* Unit tests for common/mime.c: base64, encoded words, phrases, addresses, dates, message ids, whole messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mime.h"
#include "xmalloc.h"

/* 101 bytes of Vietnamese: three encoded words at least. */
#define LONG_VI	"Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - " \
		"xã hội quý I năm 2022"

static void
check_str(const char *name, const char *what, const char *got,
    const char *want)
{
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("case '%s': %s: got '%s', want '%s'", name, what,
		    got ? got : "(null)", want);
}

/* A base64 decoder for checking (no padding errors expected); -1 on a bad character. */
static int
unbase64(const char *s, size_t n, char *out, size_t *outlen)
{
	static const char	 chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*p;
	uint32_t		 v = 0;
	size_t			 i, bits = 0, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' || s[i] == '\r' || s[i] == '\n')
			continue;
		if ((p = strchr(chars, s[i])) == NULL || s[i] == '\0')
			return -1;
		v = v << 6 | (uint32_t)(p - chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)(v >> bits & 0xff);
		}
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

/* 1 when s holds whole UTF-8 characters only. */
static int
utf8_whole(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, k, j;

	while (i < n) {
		k = u[i] < 0x80 ? 1 : u[i] < 0xe0 ? 2 : u[i] < 0xf0 ? 3 : 4;
		if (u[i] >= 0x80 && u[i] < 0xc0)
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if ((u[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

static const struct {
	const char	*name;
	const char	*in;
	size_t		 wrap;
	const char	*want;
} base64_cases[] = {
	{ "empty", "", 0, "" },
	{ "one byte, two pads", "f", 0, "Zg==" },
	{ "two bytes, one pad", "fo", 0, "Zm8=" },
	{ "three bytes", "foo", 0, "Zm9v" },
	{ "four bytes", "foob", 0, "Zm9vYg==" },
	{ "five bytes", "fooba", 0, "Zm9vYmE=" },
	{ "six bytes", "foobar", 0, "Zm9vYmFy" },
	{ "high bytes", "\xff\xfe\xfd", 0, "//79" },
	{ "UTF-8", "việc", 0, "dmnhu4dj" },
	{ "wrapped at 4", "foobar", 4, "Zm9v\r\nYmFy\r\n" },
	{ "wrapped, short last line", "foob", 4, "Zm9v\r\nYg==\r\n" },
	{ "wrap longer than the text", "foo", 76, "Zm9v\r\n" },
	{ "wrap inside a group", "foobar", 3, "Zm9\r\nvYm\r\nFy\r\n" },
	{ "empty, wrapped", "", 76, "" },
};

static void
test_base64(void **state)
{
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(base64_cases); i++) {
		got = mime_base64(base64_cases[i].in,
		    strlen(base64_cases[i].in), base64_cases[i].wrap);
		check_str(base64_cases[i].name, "base64", got,
		    base64_cases[i].want);
		free(got);
	}
}

/* A 57-byte input makes exactly one 76-character body line. */
static void
test_base64_lines(void **state)
{
	char	 in[200], *got, *p, *eol;
	size_t	 i, n;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)('a' + i % 26);
	got = mime_base64(in, sizeof(in), 76);
	assert_non_null(got);
	n = 0;
	for (p = got; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		if (eol[2] != '\0')
			assert_int_equal(76, eol - p);
		else
			assert_true(eol - p <= 76);
		n++;
	}
	assert_int_equal((sizeof(in) * 4 / 3 + 3 + 75) / 76, n);
	free(got);
}

static const struct {
	const char	*name;
	const char	*in;
	size_t		 col;
	const char	*want;		/* NULL: checked by the rules only */
} words_cases[] = {
	{ "empty", "", 9, "" },
	{ "ASCII", "abc", 0, "=?UTF-8?B?YWJj?=" },
	{ "the subject", "[Nhắc việc] Nhiệm vụ thử 1", 9,
	    "=?UTF-8?B?W05o4bqvYyB2aeG7h2NdIE5oaeG7h20gduG7pSB0aOG7rSAx?=" },
	{ "controls become spaces", "a\r\nb\tc", 0,
	    "=?UTF-8?B?YSAgYiBj?=" },
	{ "no room on the first line", "abc", 70,
	    "\r\n =?UTF-8?B?YWJj?=" },
	{ "long Vietnamese after Subject:", LONG_VI, 9, NULL },
	{ "long Vietnamese at column 0", LONG_VI, 0, NULL },
	{ "long Vietnamese late in a line", LONG_VI, 50, NULL },
	{ "four-byte characters", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", 9, NULL },
	{ "a broken UTF-8 byte", "ab\xc3 cd", 9, NULL },
};

/* Every word at most 75, every line within 76, each whole characters, all of the text. */
static void
check_words(const char *name, const char *in, size_t col, const char *got)
{
	char		 all[1024], part[256], *clean, *p;
	const char	*s, *e = NULL, *eol;
	size_t		 n, len, line;

	if (got == NULL)
		fail_msg("case '%s': NULL", name);
	all[0] = '\0';
	len = 0;
	line = col;
	for (s = got; *s != '\0'; ) {
		if (strncmp(s, "\r\n ", 3) == 0) {
			s += 3;
			line = 1;
			continue;
		}
		if (strncmp(s, "=?UTF-8?B?", 10) != 0 ||
		    (e = strstr(s + 10, "?=")) == NULL)
			fail_msg("case '%s': not an encoded word at '%s'", name,
			    s);
		eol = strstr(s, "\r\n");
		if ((size_t)(e + 2 - s) > 75)
			fail_msg("case '%s': word of %zu", name,
			    (size_t)(e + 2 - s));
		line += (size_t)(e + 2 - s);
		if (line > 76)
			fail_msg("case '%s': line of %zu", name, line);
		if (eol != NULL && eol < e)
			fail_msg("case '%s': line break inside a word", name);
		if (unbase64(s + 10, (size_t)(e - s - 10), part, &n) == -1)
			fail_msg("case '%s': bad base64", name);
		if (strstr(in, "\xc3 ") == NULL && !utf8_whole(part, n))
			fail_msg("case '%s': a word splits a character", name);
		memcpy(all + len, part, n + 1);
		len += n;
		s = e + 2;
	}
	clean = strdup(in);
	for (p = clean; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	check_str(name, "decoded", all, clean);
	free(clean);
}

static void
test_words(void **state)
{
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(words_cases); i++) {
		got = mime_words(words_cases[i].in, words_cases[i].col);
		if (words_cases[i].want)
			check_str(words_cases[i].name, "words", got,
			    words_cases[i].want);
		check_words(words_cases[i].name, words_cases[i].in,
		    words_cases[i].col, got);
		free(got);
	}
}

static const struct {
	const char	*name;
	const char	*in;
	size_t		 col;
	const char	*want;
} phrase_cases[] = {
	{ "ASCII", "UBND xa Tan Hung", 4, "\"UBND xa Tan Hung\"" },
	{ "quotes and backslash", "A \"B\" \\C", 4, "\"A \\\"B\\\" \\\\C\"" },
	{ "Vietnamese", "Cơ quan 1", 4, "=?UTF-8?B?Q8ahIHF1YW4gMQ==?=" },
	{ "ASCII too long for the line",
	    "A name that is far too long to sit on one header line as it is",
	    20, "=?UTF-8?B?QSBuYW1lIHRoYXQgaXMgZmFyIHRvbyBsb25nIHRvIHNp?="
	    "\r\n =?UTF-8?B?dCBvbiBvbmUgaGVhZGVyIGxpbmUgYXMgaXQgaXM=?=" },
	{ "a line break", "a\nb", 4, "=?UTF-8?B?YSBi?=" },
};

static void
test_phrase(void **state)
{
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(phrase_cases); i++) {
		got = mime_phrase(phrase_cases[i].in, phrase_cases[i].col);
		check_str(phrase_cases[i].name, "phrase", got,
		    phrase_cases[i].want);
		free(got);
	}
}

static const struct {
	const char	*name;
	const char	*in;
	int		 ok;
} address_cases[] = {
	{ "plain", "a1@example.gov.vn", 1 },
	{ "plus and dots", "van.thu+nv@thanhtri.soctrang.gov.vn", 1 },
	{ "NULL", NULL, 0 },
	{ "empty", "", 0 },
	{ "no @", "a1.example.gov.vn", 0 },
	{ "phone", "0912345678", 0 },
	{ "two @", "a@b@c", 0 },
	{ "nothing before @", "@example.vn", 0 },
	{ "nothing after @", "a@", 0 },
	{ "space", "a b@example.vn", 0 },
	{ "angle brackets", "<a@example.vn>", 0 },
	{ "CRLF injection", "a@example.vn\r\nBcc: x@y.z", 0 },
	{ "display name", "A <a@example.vn>", 0 },
	{ "non-ASCII", "việc@example.vn", 0 },
	{ "leading dot", ".a@example.vn", 0 },
	{ "double dot", "a..b@example.vn", 0 },
	{ "dot before @", "a.@example.vn", 0 },
	{ "underscore in domain", "a@ex_ample.vn", 0 },
	{ "IP literal", "a@[127.0.0.1]", 0 },
};

static void
test_address(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(address_cases); i++)
		if (mime_address_ok(address_cases[i].in) != address_cases[i].ok)
			fail_msg("case '%s': got %d, want %d",
			    address_cases[i].name, !address_cases[i].ok,
			    address_cases[i].ok);
}

static const struct {
	const char	*name;
	const char	*tz;
	time_t		 t;
	const char	*want;
} date_cases[] = {
	{ "UTC", "UTC0", 1651021200, "Wed, 27 Apr 2022 01:00:00 +0000" },
	{ "Vietnam", "<+07>-7", 1651021200,
	    "Wed, 27 Apr 2022 08:00:00 +0700" },
	{ "west of Greenwich, half hour", "<-0330>3:30", 1651021200,
	    "Tue, 26 Apr 2022 21:30:00 -0330" },
	{ "one-digit day, December", "<+07>-7", 1670256000,
	    "Mon, 5 Dec 2022 23:00:00 +0700" },
};

static void
test_date(void **state)
{
	char	buf[64], *old;
	size_t	i;

	(void)state;
	old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	for (i = 0; i < nitems(date_cases); i++) {
		setenv("TZ", date_cases[i].tz, 1);
		tzset();
		assert_int_equal(0, mime_date(date_cases[i].t, buf,
		    sizeof(buf)));
		check_str(date_cases[i].name, "date", buf, date_cases[i].want);
	}
	assert_int_equal(-1, mime_date(1651021200, buf, 10));
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
}

static void
test_message_id(void **state)
{
	char	a[128], b[128];

	(void)state;
	assert_int_equal(0, mime_message_id(a, sizeof(a), "", 1, 0x1234,
	    "example.gov.vn"));
	check_str("empty key", "id", a,
	    "<cbf29ce484222325.1.0000000000001234@example.gov.vn>");
	assert_int_equal(0, mime_message_id(a, sizeof(a), "a", 3,
	    0xffffffffffffffffULL, "x.vn"));
	check_str("key a", "id", a,
	    "<af63dc4c8601ec8c.3.ffffffffffffffff@x.vn>");
	/* Same reminder: same hash; another attempt or draw: another id. */
	mime_message_id(a, sizeof(a), "task-1/agency-1", 1, 7, "x.vn");
	mime_message_id(b, sizeof(b), "task-1/agency-1", 2, 8, "x.vn");
	assert_memory_equal(a, b, 17);
	assert_string_not_equal(a, b);
	assert_int_equal(-1, mime_message_id(a, 20, "a", 1, 1, "x.vn"));
}

/* Expected header block for the seeded reminder, then its base64 body. */
static const char want_message[] =
    "Date: Wed, 27 Apr 2022 08:00:00 +0700\r\n"
    "From: nhacviec@example.gov.vn\r\n"
    "To: =?UTF-8?B?Q8ahIHF1YW4gMQ==?= <a1@example.gov.vn>\r\n"
    "Subject: =?UTF-8?B?W05o4bqvYyB2aeG7h2NdIE5oaeG7h20gduG7pSB0aOG7rSAx?=\r\n"
    "Message-ID: <cbf29ce484222325.1.0000000000000001@example.gov.vn>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Auto-Submitted: auto-generated\r\n"
    "X-Nhacviec-Id: task-x/2022-04-30/end-1d@08:00/agency-1/mail\r\n"
    "\r\n"
    "Tmjhuq9jIHZp4buHYzogTmhp4buHbSB24bulIHRo4butIDEuIFRo4budaSBo4bqhbjogMzAvMDQv\r\n"
    "MjAyMi4NCg==\r\n";

static void
test_message(void **state)
{
	struct mime_mail	 m = {
		.from = "nhacviec@example.gov.vn",
		.to = "a1@example.gov.vn",
		.to_name = "Cơ quan 1",
		.subject = "[Nhắc việc] Nhiệm vụ thử 1",
		.date = "Wed, 27 Apr 2022 08:00:00 +0700",
		.message_id =
		    "<cbf29ce484222325.1.0000000000000001@example.gov.vn>",
		.id = "task-x/2022-04-30/end-1d@08:00/agency-1/mail",
		.body = "Nhắc việc: Nhiệm vụ thử 1. Thời hạn: 30/04/2022.",
	};
	char			*got, *p, *dec;
	size_t			 len, n;

	(void)state;
	got = mime_message(&m, &len);
	check_str("seeded reminder", "message", got, want_message);
	assert_int_equal(strlen(want_message), len);
	free(got);

	/* LF and CRLF line ends both come out CRLF in the body. */
	m.body = "một\nhai\r\nba";
	got = mime_message(&m, &len);
	assert_non_null(got);
	p = strstr(got, "\r\n\r\n");
	assert_non_null(p);
	dec = malloc(len);
	assert_int_equal(0, unbase64(p + 4, strlen(p + 4), dec, &n));
	check_str("line ends", "body", dec, "một\r\nhai\r\nba\r\n");
	free(dec);
	free(got);

	/* A display name and an id that need encoding; a From name. */
	m.from_name = "Nhắc việc";
	m.to_name = "Ủy ban nhân dân xã Tân Hưng, huyện Thạnh Trị, tỉnh Sóc "
	    "Trăng";
	m.id = "việc-1";
	got = mime_message(&m, &len);
	assert_non_null(got);
	assert_non_null(strstr(got,
	    "From: =?UTF-8?B?Tmjhuq9jIHZp4buHYw==?= <nhacviec@example.gov.vn>"
	    "\r\n"));
	assert_non_null(strstr(got, "\r\n <a1@example.gov.vn>\r\n"));
	assert_non_null(strstr(got, "X-Nhacviec-Id: =?UTF-8?B?dmnhu4djLTE=?="
	    "\r\n"));
	/* No bare LF, no header line over 76. */
	for (p = got; (p = strchr(p, '\n')) != NULL; p++)
		assert_true(p > got && p[-1] == '\r');
	for (p = got; strncmp(p, "\r\n", 2) != 0; p = strstr(p, "\r\n") + 2)
		if (strstr(p, "\r\n") - p > 76)
			fail_msg("header line over 76: %.*s",
			    (int)(strstr(p, "\r\n") - p), p);
	free(got);

	/* Addresses that could inject a header are refused. */
	m.to = "a1@example.gov.vn\r\nBcc: x@y.vn";
	assert_null(mime_message(&m, &len));
	m.to = "a1@example.gov.vn";
	m.from = "nhacviec";
	assert_null(mime_message(&m, &len));
}

/* A CSV attached: multipart/mixed, the text then the file, both base64. */
static const char want_attached[] =
    "Date: Tue, 05 Jul 2022 08:00:00 +0700\r\n"
    "From: nhacviec@example.gov.vn\r\n"
    "To: nv@example.gov.vn\r\n"
    "Subject: =?UTF-8?B?QsOhbyBjw6FvIHF1w70gSUkvMjAyMg==?=\r\n"
    "Message-ID: <1.1.1@example.gov.vn>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"=_nhacviec_part\"\r\n"
    "Auto-Submitted: auto-generated\r\n"
    "X-Nhacviec-Id: report:quy/2022-Q2/noi-vu/mail\r\n"
    "\r\n"
    "--=_nhacviec_part\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "QsOhbyBjw6FvIHF1w70gSUkvMjAyMi4NCg==\r\n"
    "--=_nhacviec_part\r\n"
    "Content-Type: text/csv; charset=utf-8; name=\"bao-cao-2022-Q2.csv\"\r\n"
    "Content-Disposition: attachment; filename=\"bao-cao-2022-Q2.csv\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "77u/YWdlbmN5LG5hbWUNCm5vaS12dSwiUGjDsm5nIE7hu5lpIHbhu6UsIEEiDQo=\r\n"
    "--=_nhacviec_part--\r\n";

static void
test_attached(void **state)
{
	static const char	 csv[] = "\xef\xbb\xbf" "agency,name\r\n"
	    "noi-vu,\"Phòng Nội vụ, A\"\r\n";
	struct mime_mail	 m = {
		.from = "nhacviec@example.gov.vn",
		.to = "nv@example.gov.vn",
		.subject = "Báo cáo quý II/2022",
		.date = "Tue, 05 Jul 2022 08:00:00 +0700",
		.message_id = "<1.1.1@example.gov.vn>",
		.id = "report:quy/2022-Q2/noi-vu/mail",
		.body = "Báo cáo quý II/2022.",
		.attach = csv,
		.attach_len = sizeof(csv) - 1,
		.attach_name = "bao-cao-2022-Q2.csv",
		.attach_type = "text/csv; charset=utf-8",
	};
	char			*got;
	size_t			 len;

	(void)state;
	got = mime_message(&m, &len);
	check_str("attached", "message", got, want_attached);
	assert_int_equal(strlen(want_attached), len);
	free(got);
	/* A file name that would need quoting or encoding is refused. */
	m.attach_name = "báo cáo.csv";
	assert_null(mime_message(&m, &len));
	m.attach_name = "a\"b.csv";
	assert_null(mime_message(&m, &len));
	m.attach_name = "";
	assert_null(mime_message(&m, &len));
	m.attach_name = "x.csv";
	m.attach_type = "text/csv\r\nBcc: x@y.vn";
	assert_null(mime_message(&m, &len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_base64_lines),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_phrase),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_attached),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
