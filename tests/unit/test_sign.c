/* Unit tests for signatures: Zalo OA events against digests worked out with openssl dgst, and the confirmation link tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "helpers.h"
#include "sign.h"

/* --- Zalo OA events -------------------------------------------------------- */

#define SECRET	"Fk3pQ9zL1mXr7Vb2Tt0a"
#define APP	"360846524940903967"

/* A reply as Zalo posts it (reference §8b), Vietnamese text as UTF-8. */
#define BODY1 "{\"app_id\":\"360846524940903967\",\"sender\":{\"id\":" \
	"\"246845883529197922\"},\"user_id_by_app\":\"552177279717587730\"," \
	"\"recipient\":{\"id\":\"388613280878808645\"},\"event_name\":" \
	"\"user_send_text\",\"message\":{\"text\":\"Đã hoàn thành ạ\"," \
	"\"msg_id\":\"96d3cdf3af150460909\"},\"timestamp\":\"1654041600000\"}"
/*
 * printf '%s' "360846524940903967${BODY1}1654041600000Fk3pQ9zL1mXr7Vb2Tt0a" |
 *     openssl dgst -sha256
 */
#define MAC1	"39f9f0fa731425e45adcc1fc05666b86444511c7210e39d3deeab0de93477532"

/* A seen event whose timestamp is a JSON number: its digits are hashed. */
#define BODY2 "{\"app_id\":\"4242\",\"event_name\":\"user_seen_message\"," \
	"\"timestamp\":1654041600123,\"sender\":{\"id\":\"1\"},\"recipient\":" \
	"{\"id\":\"2\"},\"message\":{\"msg_ids\":[\"a1\",\"b2\"]}}"
/* printf '%s' "4242${BODY2}1654041600123Fk3pQ9zL1mXr7Vb2Tt0a" | openssl dgst -sha256 */
#define MAC2	"b458db85684b6e2f1e08215e9bebda98a1fe79da71430d825d78fac84fa5bab5"

struct zalo_case {
	const char		*name;
	const char		*header;	/* NULL: no header */
	const char		*body;
	const char		*app;
	const char		*secret;
	enum sign_zalo_result	 want;
	const char		*err;		/* the start of err, or NULL */
};

static const struct zalo_case zalo_cases[] = {
	{ "as Zalo signs it", "mac=" MAC1, BODY1, APP, SECRET,
	  SIGN_ZALO_OK, NULL },
	{ "upper-case hex", "mac=39F9F0FA731425E45ADCC1FC05666B86444511C7210E39"
	  "D3DEEAB0DE93477532", BODY1, APP, SECRET, SIGN_ZALO_OK, NULL },
	{ "white space around", "  mac=" MAC1 " ", BODY1, APP, SECRET,
	  SIGN_ZALO_OK, NULL },
	{ "a numeric timestamp", "mac=" MAC2, BODY2, "4242", SECRET,
	  SIGN_ZALO_OK, NULL },
	{ "tampered text", "mac=" MAC1, "{\"app_id\":\"360846524940903967\","
	  "\"sender\":{\"id\":\"246845883529197922\"},\"user_id_by_app\":"
	  "\"552177279717587730\",\"recipient\":{\"id\":\"388613280878808645\"},"
	  "\"event_name\":\"user_send_text\",\"message\":{\"text\":"
	  "\"Đã hoàn thành à\",\"msg_id\":\"96d3cdf3af150460909\"},"
	  "\"timestamp\":\"1654041600000\"}", APP, SECRET, SIGN_ZALO_BAD,
	  "X-ZEvent-Signature does not match the body" },
	{ "a replay with a new timestamp", "mac=" MAC1,
	  "{\"app_id\":\"360846524940903967\",\"sender\":{\"id\":"
	  "\"246845883529197922\"},\"user_id_by_app\":\"552177279717587730\","
	  "\"recipient\":{\"id\":\"388613280878808645\"},\"event_name\":"
	  "\"user_send_text\",\"message\":{\"text\":\"Đã hoàn thành ạ\","
	  "\"msg_id\":\"96d3cdf3af150460909\"},\"timestamp\":\"1654041600001\"}",
	  APP, SECRET, SIGN_ZALO_BAD, NULL },
	{ "a space after the body", "mac=" MAC1, BODY1 " ", APP, SECRET,
	  SIGN_ZALO_BAD, NULL },
	{ "the numeric timestamp as another number", "mac=" MAC2,
	  "{\"app_id\":\"4242\",\"event_name\":\"user_seen_message\","
	  "\"timestamp\":1654041600124,\"sender\":{\"id\":\"1\"},\"recipient\":"
	  "{\"id\":\"2\"},\"message\":{\"msg_ids\":[\"a1\",\"b2\"]}}", "4242",
	  SECRET, SIGN_ZALO_BAD, NULL },
	{ "another secret", "mac=" MAC1, BODY1, APP, "Fk3pQ9zL1mXr7Vb2Tt0b",
	  SIGN_ZALO_BAD, NULL },
	{ "another app", "mac=" MAC1, BODY1, "360846524940903968", SECRET,
	  SIGN_ZALO_WRONG_APP, "the body's app_id is not this app's" },
	{ "our app id as a prefix", "mac=" MAC1, BODY1, "36084652494090396",
	  SECRET, SIGN_ZALO_WRONG_APP, NULL },
	{ "no header", NULL, BODY1, APP, SECRET, SIGN_ZALO_MISSING,
	  "no X-ZEvent-Signature header" },
	{ "empty header", "", BODY1, APP, SECRET, SIGN_ZALO_MALFORMED,
	  "X-ZEvent-Signature is not mac=<64 hex digits>" },
	{ "odd hex: 63 digits", "mac=39f9f0fa731425e45adcc1fc05666b86444511c7"
	  "210e39d3deeab0de9347753", BODY1, APP, SECRET, SIGN_ZALO_MALFORMED,
	  NULL },
	{ "65 digits", "mac=" MAC1 "0", BODY1, APP, SECRET,
	  SIGN_ZALO_MALFORMED, NULL },
	{ "not hex", "mac=z9f9f0fa731425e45adcc1fc05666b86444511c7210e39d3deea"
	  "b0de93477532", BODY1, APP, SECRET, SIGN_ZALO_MALFORMED, NULL },
	{ "no mac=", MAC1, BODY1, APP, SECRET, SIGN_ZALO_MALFORMED, NULL },
	{ "MAC= in capitals", "MAC=" MAC1, BODY1, APP, SECRET,
	  SIGN_ZALO_MALFORMED, NULL },
	{ "sha256= as other services", "sha256=" MAC1, BODY1, APP, SECRET,
	  SIGN_ZALO_MALFORMED, NULL },
	{ "two macs", "mac=" MAC1 ",mac=" MAC1, BODY1, APP, SECRET,
	  SIGN_ZALO_MALFORMED, NULL },
	{ "an empty body", "mac=" MAC1, "", APP, SECRET, SIGN_ZALO_MALFORMED,
	  "the body is not a JSON object" },
	{ "not JSON", "mac=" MAC1, "app_id=1&timestamp=2", APP, SECRET,
	  SIGN_ZALO_MALFORMED, "the body is not a JSON object" },
	{ "a JSON array", "mac=" MAC1, "[1]", APP, SECRET,
	  SIGN_ZALO_MALFORMED, "the body is not a JSON object" },
	{ "no timestamp", "mac=" MAC1, "{\"app_id\":\"360846524940903967\"}",
	  APP, SECRET, SIGN_ZALO_MALFORMED,
	  "the body has no string timestamp" },
	{ "no app_id", "mac=" MAC1, "{\"timestamp\":\"1\"}", APP, SECRET,
	  SIGN_ZALO_MALFORMED, "the body has no string app_id" },
	{ "app_id an object", "mac=" MAC1, "{\"app_id\":{},\"timestamp\":\"1\"}",
	  APP, SECRET, SIGN_ZALO_MALFORMED, "the body has no string app_id" },
	{ "a NUL inside app_id", "mac=" MAC1,
	  "{\"app_id\":\"360846524940903967\\u0000x\",\"timestamp\":\"1\"}",
	  APP, SECRET, SIGN_ZALO_MALFORMED, "the body is not a JSON object" },
	{ "app_id twice", "mac=" MAC1, "{\"app_id\":\"1\",\"app_id\":"
	  "\"360846524940903967\",\"timestamp\":\"1\"}", APP, SECRET,
	  SIGN_ZALO_MALFORMED, "the body is not a JSON object" },
};

static void
test_zalo_check(void **state)
{
	const struct zalo_case	*c;
	enum sign_zalo_result	 got;
	char			 err[200];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(zalo_cases); i++) {
		c = &zalo_cases[i];
		strcpy(err, "untouched");
		got = sign_zalo_check(c->header, c->body, strlen(c->body),
		    c->app, c->secret, err, sizeof(err));
		if (got != c->want)
			fail_msg("case '%s': got %s (%s), want %s", c->name,
			    sign_zalo_name(got), err, sign_zalo_name(c->want));
		if (c->err != NULL && strcmp(err, c->err) != 0)
			fail_msg("case '%s': error '%s'", c->name, err);
		if (got != SIGN_ZALO_OK && err[0] == '\0')
			fail_msg("case '%s': no error text", c->name);
		if (strstr(err, c->secret) != NULL || strstr(err, MAC1) != NULL)
			fail_msg("case '%s': error shows a secret: %s", c->name,
			    err);
	}
}

/* The bytes count, not the JSON they spell: white space is hashed too. */
static void
test_zalo_raw_bytes(void **state)
{
	char	 value[SIGN_ZALO_VALUE_SIZE], err[200];
	char	 body[] = "{\"app_id\":\"1\",\"timestamp\":\"2\"}  ";

	(void)state;
	assert_int_equal(sign_zalo_value(body, sizeof(body) - 1, SECRET, value,
	    err, sizeof(err)), 0);
	assert_int_equal(sign_zalo_check(value, body, sizeof(body) - 1, "1",
	    SECRET, err, sizeof(err)), SIGN_ZALO_OK);
	body[sizeof(body) - 2] = '\t';
	assert_int_equal(sign_zalo_check(value, body, sizeof(body) - 1, "1",
	    SECRET, err, sizeof(err)), SIGN_ZALO_BAD);
}

static void
test_zalo_value(void **state)
{
	char	value[SIGN_ZALO_VALUE_SIZE], err[200];

	(void)state;
	assert_int_equal(sign_zalo_value(BODY1, strlen(BODY1), SECRET, value,
	    err, sizeof(err)), 0);
	assert_string_equal(value, "mac=" MAC1);
	assert_int_equal(sign_zalo_value(BODY2, strlen(BODY2), SECRET, value,
	    err, sizeof(err)), 0);
	assert_string_equal(value, "mac=" MAC2);
	assert_int_equal(sign_zalo_value("{}", 2, SECRET, value, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the body has no string app_id");
	assert_string_equal(sign_zalo_name(SIGN_ZALO_WRONG_APP), "wrong app");
	assert_string_equal(sign_zalo_name(SIGN_ZALO_BAD), "bad signature");
}

/* --- confirmation links ---------------------------------------------------- */

#define KEY	"0123456789abcdef0123456789abcdef"
#define KEY2	"0123456789abcdef0123456789abcdeg"
/* 2022-07-30 23:59:59.999 +07:00: 30 days after a due day of 2022-06-30. */
#define EXPIRES	INT64_C(1659200399999)
/*
 * Worked out with Python's hmac, hashlib and base64 modules:
 * raw = b"\x01" + HMAC(KEY, b"nhacviec link key id")[:3] +
 *     EXPIRES.to_bytes(6, "big") + b"bao-cao-quy/2022-06-30/noi-vu"
 * token = urlsafe_b64encode(raw + HMAC(KEY, raw)) without "="
 */
#define TOKEN	"AdghhwGCUAzqf2Jhby1jYW8tcXV5LzIwMjItMDYtMzAvbm9pLXZ1dEuxs6w1" \
	"HeUNIEo2ucfn4wjR_t5VaQ4sAn5Rb2eZ6Ec"

/* The test's own base64url codec, to reach the bytes under a token. */
static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static size_t
t_decode(const char *s, unsigned char *out)
{
	size_t		n = 0;
	unsigned	v = 0;
	int		bits = 0;

	for (; *s != '\0'; s++) {
		v = v << 6 | (unsigned)(strchr(b64, *s) - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	return n;
}

static void
t_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned	v = 0;
	int		bits = 0;
	size_t		i;

	for (i = 0; i < n; i++) {
		v = v << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			*out++ = b64[v >> bits & 63];
		}
		v &= (1u << bits) - 1;
	}
	if (bits > 0)
		*out++ = b64[v << (6 - bits) & 63];
	*out = '\0';
}

static char *
make(const char *task, const char *due, const char *agency, int64_t exp,
    const char *key)
{
	char	*tok, err[200];

	if (sign_link_make(task, due, agency, exp, key, strlen(key), &tok,
	    err, sizeof(err)) == -1)
		fail_msg("sign_link_make %s %s %s: %s", task, due, agency, err);
	return tok;
}

static void
test_link_vector(void **state)
{
	struct sign_link	 l;
	char			*tok;

	(void)state;
	tok = make("bao-cao-quy", "2022-06-30", "noi-vu", EXPIRES, KEY);
	assert_string_equal(tok, TOKEN);
	free(tok);
	assert_int_equal(sign_link_parse(TOKEN, KEY, strlen(KEY), EXPIRES - 1,
	    &l), SIGN_LINK_OK);
	assert_string_equal(l.task, "bao-cao-quy");
	assert_string_equal(l.due, "2022-06-30");
	assert_string_equal(l.agency, "noi-vu");
	assert_true(l.expires_ms == EXPIRES);
}

static const struct {
	const char	*task, *due, *agency;
	int64_t		 expires;
} round_cases[] = {
	{ "dan-hoi", "2022-04-30", "dai-truyen-thanh", EXPIRES },
	{ "a", "2000-01-01", "b", 0 },
	{ "bao-cao_6-thang.2022", "2022-12-31", "ubnd-vinh-thanh", EXPIRES },
	{ "0", "2099-12-31", "9", (INT64_C(1) << 48) - 1 },
	{ "kiem-tra-cong-tac-cai-cach-hanh-chinh-va-chuyen-doi-so-nam-2022",
	  "2022-11-15", "phong-van-hoa-va-thong-tin-huyen-thanh-tri-soc-trang",
	  EXPIRES },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "2022-02-28",
	  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  EXPIRES },
};

static void
test_link_round_trip(void **state)
{
	struct sign_link	 l;
	enum sign_link_result	 r;
	char			*tok;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(round_cases); i++) {
		tok = make(round_cases[i].task, round_cases[i].due,
		    round_cases[i].agency, round_cases[i].expires, KEY);
		assert_true(strlen(tok) <= SIGN_LINK_MAX);
		assert_null(strpbrk(tok, "=+/ "));
		r = sign_link_parse(tok, KEY, strlen(KEY), -1, &l);
		if (r != SIGN_LINK_OK)
			fail_msg("case %zu: %s", i, sign_link_name(r));
		assert_string_equal(l.task, round_cases[i].task);
		assert_string_equal(l.due, round_cases[i].due);
		assert_string_equal(l.agency, round_cases[i].agency);
		assert_true(l.expires_ms == round_cases[i].expires);
		free(tok);
	}
	/* Typical ids leave room for the public URL in a mail client. */
	tok = make("bao-cao-6-thang", "2022-06-30", "ubnd-vinh-thanh", EXPIRES,
	    KEY);
	assert_true(strlen(tok) < 130);
	free(tok);
}

/* One byte flipped anywhere: the key id says foreign, the rest tampered. */
static void
test_link_flipped_byte(void **state)
{
	struct sign_link	 l;
	enum sign_link_result	 r, want;
	unsigned char		 raw[300];
	char			 tok[400];
	size_t			 n, i;
	int			 bit;

	(void)state;
	n = t_decode(TOKEN, raw);
	assert_int_equal(n, 71);
	t_encode(raw, n, tok);
	assert_string_equal(tok, TOKEN);
	for (i = 0; i < n; i++)
		for (bit = 0; bit < 8; bit++) {
			raw[i] ^= (unsigned char)(1 << bit);
			t_encode(raw, n, tok);
			r = sign_link_parse(tok, KEY, strlen(KEY), 0, &l);
			want = i >= 1 && i <= 3 ? SIGN_LINK_FOREIGN :
			    SIGN_LINK_TAMPERED;
			if (r != want)
				fail_msg("byte %zu bit %d: %s", i, bit,
				    sign_link_name(r));
			assert_string_equal(l.task, "");
			raw[i] ^= (unsigned char)(1 << bit);
		}
}

/* Any character of the token changed to any other: never accepted. */
static void
test_link_changed_char(void **state)
{
	struct sign_link	 l;
	enum sign_link_result	 r;
	char			 tok[sizeof(TOKEN)];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < strlen(TOKEN); i++)
		for (k = 0; k < 64; k++) {
			if (b64[k] == TOKEN[i])
				continue;
			memcpy(tok, TOKEN, sizeof(TOKEN));
			tok[i] = b64[k];
			r = sign_link_parse(tok, KEY, strlen(KEY), 0, &l);
			if (r == SIGN_LINK_OK || r == SIGN_LINK_EXPIRED)
				fail_msg("'%c' at %zu accepted", b64[k], i);
		}
}

static void
test_link_foreign_expired(void **state)
{
	struct sign_link	 l;
	char			*tok;

	(void)state;
	tok = make("bao-cao-quy", "2022-06-30", "noi-vu", EXPIRES, KEY2);
	assert_int_equal(sign_link_parse(tok, KEY, strlen(KEY), 0, &l),
	    SIGN_LINK_FOREIGN);
	assert_string_equal(l.task, "");
	assert_int_equal(sign_link_parse(tok, KEY2, strlen(KEY2), 0, &l),
	    SIGN_LINK_OK);
	free(tok);
	/* a key that is too short verifies nothing */
	assert_int_equal(sign_link_parse(TOKEN, KEY, SIGN_LINK_KEY_MIN - 1, 0,
	    &l), SIGN_LINK_FOREIGN);

	assert_int_equal(sign_link_parse(TOKEN, KEY, strlen(KEY), EXPIRES, &l),
	    SIGN_LINK_EXPIRED);
	assert_string_equal(l.task, "bao-cao-quy");
	assert_string_equal(l.agency, "noi-vu");
	assert_true(l.expires_ms == EXPIRES);
	assert_int_equal(sign_link_parse(TOKEN, KEY, strlen(KEY),
	    EXPIRES + 86400000, &l), SIGN_LINK_EXPIRED);
	assert_int_equal(sign_link_parse(TOKEN, KEY, strlen(KEY), EXPIRES - 1,
	    &l), SIGN_LINK_OK);
	assert_string_equal(sign_link_name(SIGN_LINK_EXPIRED), "expired");
}

/* A token of our key whose fields are wrong: only a bug could make one. */
static void
signed_raw(const char *text, unsigned char version, char *tok)
{
	unsigned char	raw[300], id[32];
	unsigned int	mdlen;
	size_t		n;

	assert_non_null(HMAC(EVP_sha256(), KEY, (int)strlen(KEY),
	    (const unsigned char *)"nhacviec link key id", 20, id, &mdlen));
	raw[0] = version;
	memcpy(raw + 1, id, 3);
	memset(raw + 4, 0, 6);
	raw[9] = 1;
	n = 10 + strlen(text);
	memcpy(raw + 10, text, strlen(text));
	assert_non_null(HMAC(EVP_sha256(), KEY, (int)strlen(KEY), raw, n,
	    raw + n, &mdlen));
	t_encode(raw, n + 32, tok);
}

static const struct {
	const char	*name;
	const char	*text;
	unsigned char	 version;
} bad_fields[] = {
	{ "version 2", "bao-cao-quy/2022-06-30/noi-vu", 2 },
	{ "no agency", "bao-cao-quy/2022-06-30/", 1 },
	{ "two parts", "bao-cao-quy/2022-06-30xx", 1 },
	{ "four parts", "bao-cao-quy/2022-06-30/noi-vu/x", 1 },
	{ "a capital", "Bao-cao-quy/2022-06-30/noi-vu", 1 },
	{ "month 13", "bao-cao-quy/2022-13-30/noi-vu", 1 },
	{ "a short day", "bao-cao-quy/2022-6-30/noi-vu/", 1 },
	{ "a space", "bao cao quy/2022-06-30/noi-vu", 1 },
	{ "UTF-8", "b\xc3\xa1o-c\xc3\xa1o/2022-06-30/noi-vu", 1 },
};

static void
test_link_malformed(void **state)
{
	struct sign_link	 l;
	enum sign_link_result	 r;
	char			 tok[1000];
	size_t			 i;
	static const char *const bad[] = {
		"", "A", "AdghhwGC", TOKEN "AA", TOKEN "=", TOKEN "==",
		TOKEN "\n", " " TOKEN, "Adgh+wGC" TOKEN, "Adgh/wGC" TOKEN,
		"Adgh.wGC" TOKEN, "!!!!!!!!", "AdghhwGCUAzqf2Jhby1jYW8t",
	};

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		r = sign_link_parse(bad[i], KEY, strlen(KEY), 0, &l);
		if (r != SIGN_LINK_MALFORMED)
			fail_msg("bad[%zu] '%s': %s", i, bad[i],
			    sign_link_name(r));
	}
	/* the last character with unused bits set: another spelling */
	snprintf(tok, sizeof(tok), "%s", TOKEN);
	tok[strlen(tok) - 1] = 'F';
	assert_int_equal(sign_link_parse(tok, KEY, strlen(KEY), 0, &l),
	    SIGN_LINK_MALFORMED);
	/* cut short by a mail client */
	snprintf(tok, sizeof(tok), "%.*s", (int)strlen(TOKEN) - 4, TOKEN);
	assert_int_not_equal(sign_link_parse(tok, KEY, strlen(KEY), 0, &l),
	    SIGN_LINK_OK);
	/* longer than any token */
	memset(tok, 'A', SIGN_LINK_MAX + 1);
	tok[SIGN_LINK_MAX + 1] = '\0';
	assert_int_equal(sign_link_parse(tok, KEY, strlen(KEY), 0, &l),
	    SIGN_LINK_MALFORMED);
	for (i = 0; i < nitems(bad_fields); i++) {
		signed_raw(bad_fields[i].text, bad_fields[i].version, tok);
		r = sign_link_parse(tok, KEY, strlen(KEY), 0, &l);
		if (r != SIGN_LINK_MALFORMED)
			fail_msg("case '%s': %s", bad_fields[i].name,
			    sign_link_name(r));
		assert_string_equal(l.task, "");
	}
	/* the same construction with good fields is accepted */
	signed_raw("bao-cao-quy/2022-06-30/noi-vu", 1, tok);
	assert_int_equal(sign_link_parse(tok, KEY, strlen(KEY), 0, &l),
	    SIGN_LINK_OK);
	assert_true(l.expires_ms == 1);
}

static const struct {
	const char	*name;
	const char	*task, *due, *agency;
	int64_t		 expires;
	const char	*key;
	const char	*err;
} make_errors[] = {
	{ "a capital", "Bao-cao", "2022-06-30", "noi-vu", 1, KEY,
	  "task 'Bao-cao' is not an id of at most 64 characters" },
	{ "empty task", "", "2022-06-30", "noi-vu", 1, KEY,
	  "task '' is not an id of at most 64 characters" },
	{ "a leading dash", "-x", "2022-06-30", "noi-vu", 1, KEY,
	  "task '-x' is not an id" },
	{ "Vietnamese", "báo-cáo", "2022-06-30", "noi-vu", 1, KEY,
	  "task 'báo-cáo' is not an id" },
	{ "a slash", "bao/cao", "2022-06-30", "noi-vu", 1, KEY,
	  "task 'bao/cao' is not an id" },
	{ "65 characters",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "2022-06-30", "noi-vu", 1, KEY, "task 'aaaa" },
	{ "agency with a space", "t", "2022-06-30", "noi vu", 1, KEY,
	  "agency 'noi vu' is not an id" },
	{ "a short date", "t", "2022-6-30", "noi-vu", 1, KEY,
	  "due '2022-6-30' is not YYYY-MM-DD" },
	{ "day 32", "t", "2022-06-32", "noi-vu", 1, KEY,
	  "due '2022-06-32' is not YYYY-MM-DD" },
	{ "a range", "t", "2022-06-01..2022-06-30", "noi-vu", 1, KEY,
	  "due '2022-06-01..2022-06-' is not YYYY-MM-DD" },
	{ "negative expiry", "t", "2022-06-30", "noi-vu", -1, KEY,
	  "expiry -1 ms is out of range" },
	{ "expiry past 2^48", "t", "2022-06-30", "noi-vu", INT64_C(1) << 48,
	  KEY, "expiry 281474976710656 ms is out of range" },
	{ "a short key", "t", "2022-06-30", "noi-vu", 1, "0123456789abcde",
	  "the link key is shorter than 16 bytes" },
};

static void
test_link_make_errors(void **state)
{
	char	*tok, err[200];
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(make_errors); i++) {
		tok = (char *)"untouched";
		if (sign_link_make(make_errors[i].task, make_errors[i].due,
		    make_errors[i].agency, make_errors[i].expires,
		    make_errors[i].key, strlen(make_errors[i].key), &tok, err,
		    sizeof(err)) != -1)
			fail_msg("case '%s' made a token", make_errors[i].name);
		assert_null(tok);
		if (strncmp(err, make_errors[i].err,
		    strlen(make_errors[i].err)) != 0)
			fail_msg("case '%s': '%s'", make_errors[i].name, err);
		assert_null(strstr(err, "0123456789abcde"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zalo_check),
		cmocka_unit_test(test_zalo_raw_bytes),
		cmocka_unit_test(test_zalo_value),
		cmocka_unit_test(test_link_vector),
		cmocka_unit_test(test_link_round_trip),
		cmocka_unit_test(test_link_flipped_byte),
		cmocka_unit_test(test_link_changed_char),
		cmocka_unit_test(test_link_foreign_expired),
		cmocka_unit_test(test_link_malformed),
		cmocka_unit_test(test_link_make_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
