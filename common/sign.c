/* Signatures on what comes in from outside: Zalo OA webhook events and the confirmation links of emails. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>

#include "sign.h"

#define SHA256_LEN	SHA256_DIGEST_SIZE
#define LINK_VERSION	1
#define LINK_KEYID_LEN	3
#define LINK_EXPIRY_LEN	6
#define LINK_HEAD_LEN	(1 + LINK_KEYID_LEN + LINK_EXPIRY_LEN)
#define LINK_EXPIRY_MAX	(INT64_C(1) << 48)
/* "a/YYYY-MM-DD/b": the shortest text a token can name. */
#define LINK_TEXT_MIN	14
#define LINK_TEXT_MAX	(2 * SIGN_ID_MAX + 12)
#define LINK_RAW_MAX	(LINK_HEAD_LEN + LINK_TEXT_MAX + SHA256_LEN)
#define LINK_KEYID_TEXT	"nhacviec link key id"

/* --- Zalo OA events -------------------------------------------------------- */

/* A member of the event that goes into the mac: a string, or an integer as its digits. */
static int
zalo_member(json_t *root, const char *name, char *buf, size_t len,
    const char **out)
{
	json_t	*m = json_object_get(root, name);

	if (json_is_string(m)) {
		*out = json_string_value(m);	/* jansson refuses \u0000 */
		return 0;
	}
	if (json_is_integer(m)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(m));
		*out = buf;
		return 0;
	}
	return -1;
}

/*
 * SHA-256 of app_id + body + timestamp + secret into md. 0; -1 with err
 * when the body is not an event; -2 when want_app is not NULL and the
 * body's app_id is another.
 */
static int
zalo_digest(const void *body, size_t len, const char *secret,
    const char *want_app, unsigned char *md, char *err, size_t errlen)
{
	json_t			*root;
	json_error_t		 jerr;
	struct sha256_ctx	 ctx;
	const char		*a, *t;
	char			 abuf[32], tbuf[32];

	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL || !json_is_object(root)) {
		snprintf(err, errlen, "the body is not a JSON object");
		json_decref(root);
		return -1;
	}
	if (zalo_member(root, "app_id", abuf, sizeof(abuf), &a) == -1) {
		snprintf(err, errlen, "the body has no string app_id");
		json_decref(root);
		return -1;
	}
	if (zalo_member(root, "timestamp", tbuf, sizeof(tbuf), &t) == -1) {
		snprintf(err, errlen, "the body has no string timestamp");
		json_decref(root);
		return -1;
	}
	if (want_app != NULL && strcmp(a, want_app) != 0) {
		snprintf(err, errlen, "the body's app_id is not this app's");
		json_decref(root);
		return -2;
	}
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(a), (const uint8_t *)a);
	sha256_update(&ctx, len, body);
	sha256_update(&ctx, strlen(t), (const uint8_t *)t);
	sha256_update(&ctx, strlen(secret), (const uint8_t *)secret);
	sha256_digest(&ctx, SHA256_LEN, md);
	json_decref(root);
	return 0;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "mac=<64 hex>" with optional white space around it, as 32 bytes. */
static int
zalo_header_mac(const char *h, unsigned char *mac)
{
	size_t	i, n;
	int	hi, lo;

	h += strspn(h, " \t");
	if (strncmp(h, "mac=", 4) != 0)
		return -1;
	h += 4;
	n = strspn(h, "0123456789abcdefABCDEF");
	if (n != 2 * SHA256_LEN || h[n + strspn(h + n, " \t")] != '\0')
		return -1;
	for (i = 0; i < SHA256_LEN; i++) {
		hi = hex_value((unsigned char)h[2 * i]);
		lo = hex_value((unsigned char)h[2 * i + 1]);
		mac[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

enum sign_zalo_result
sign_zalo_check(const char *header, const void *body, size_t len,
    const char *app_id, const char *secret, char *err, size_t errlen)
{
	unsigned char	 got[SHA256_LEN], want[SHA256_LEN];
	int		 rc;

	if (header == NULL) {
		snprintf(err, errlen, "no %s header", SIGN_ZALO_HEADER);
		return SIGN_ZALO_MISSING;
	}
	if (zalo_header_mac(header, got) == -1) {
		snprintf(err, errlen, "%s is not mac=<64 hex digits>",
		    SIGN_ZALO_HEADER);
		return SIGN_ZALO_MALFORMED;
	}
	if ((rc = zalo_digest(body, len, secret, app_id, want, err,
	    errlen)) != 0)
		return rc == -2 ? SIGN_ZALO_WRONG_APP : SIGN_ZALO_MALFORMED;
	if (!memeql_sec(got, want, SHA256_LEN)) {
		snprintf(err, errlen, "%s does not match the body",
		    SIGN_ZALO_HEADER);
		return SIGN_ZALO_BAD;
	}
	if (errlen > 0)
		err[0] = '\0';
	return SIGN_ZALO_OK;
}

const char *
sign_zalo_name(enum sign_zalo_result r)
{
	switch (r) {
	case SIGN_ZALO_OK:
		return "ok";
	case SIGN_ZALO_MISSING:
		return "missing";
	case SIGN_ZALO_MALFORMED:
		return "malformed";
	case SIGN_ZALO_WRONG_APP:
		return "wrong app";
	case SIGN_ZALO_BAD:
		return "bad signature";
	}
	return "?";
}

int
sign_zalo_value(const void *body, size_t len, const char *secret, char *out,
    char *err, size_t errlen)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[SHA256_LEN];
	size_t			 i;

	if (zalo_digest(body, len, secret, NULL, md, err, errlen) != 0)
		return -1;
	memcpy(out, "mac=", 4);
	for (i = 0; i < SHA256_LEN; i++) {
		out[4 + 2 * i] = hex[md[i] >> 4];
		out[4 + 2 * i + 1] = hex[md[i] & 0xf];
	}
	out[4 + 2 * SHA256_LEN] = '\0';
	return 0;
}

/* --- base64url without padding (RFC 4648 section 5) ------------------------ */

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Encodes n bytes into out (room for 4 * n / 3 + 2 characters and a NUL). */
static void
b64url_encode(const unsigned char *in, size_t n, char *out)
{
	uint32_t	v;
	size_t		i;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = b64url[v >> 18 & 63];
		*out++ = b64url[v >> 12 & 63];
		*out++ = b64url[v >> 6 & 63];
		*out++ = b64url[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)in[i] << 16;
		*out++ = b64url[v >> 18 & 63];
		*out++ = b64url[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		*out++ = b64url[v >> 18 & 63];
		*out++ = b64url[v >> 12 & 63];
		*out++ = b64url[v >> 6 & 63];
	}
	*out = '\0';
}

static int
b64url_value(unsigned char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64url, c)) == NULL)
		return -1;
	return (int)(p - b64url);
}

/*
 * Decodes s strictly: only the 64 characters, no padding, the unused low
 * bits of the last character zero, so that each byte string has exactly
 * one encoding. The bytes go to out (max of them); -1 if s is not that.
 */
static int
b64url_decode(const char *s, unsigned char *out, size_t max, size_t *n)
{
	size_t		len = strlen(s), i, k = 0;
	uint32_t	v = 0;
	int		c, bits = 0;

	if (len % 4 == 1)
		return -1;
	for (i = 0; i < len; i++) {
		if ((c = b64url_value((unsigned char)s[i])) == -1)
			return -1;
		v = v << 6 | (uint32_t)c;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (k == max)
				return -1;
			out[k++] = (unsigned char)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	if (v != 0)
		return -1;
	*n = k;
	return 0;
}

/* --- confirmation links ---------------------------------------------------- */

/* [a-z0-9][a-z0-9._-]*, at most SIGN_ID_MAX bytes, of n bytes at s. */
static int
link_id_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > SIGN_ID_MAX || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* YYYY-MM-DD with a month 01-12 and a day 01-31, of n bytes at s. */
static int
link_due_ok(const char *s, size_t n)
{
	static const char	 form[] = "dddd-dd-dd";
	size_t			 i;
	int			 m, d;

	if (n != 10)
		return 0;
	for (i = 0; i < n; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != '-')
			return 0;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* HMAC-SHA256(key, data) into md. */
static void
link_mac(const void *key, size_t keylen, const unsigned char *data, size_t n,
    unsigned char *md)
{
	struct hmac_sha256_ctx	ctx;

	hmac_sha256_set_key(&ctx, keylen, key);
	hmac_sha256_update(&ctx, n, data);
	hmac_sha256_digest(&ctx, SHA256_LEN, md);
}

/* The first LINK_KEYID_LEN bytes of HMAC(key, LINK_KEYID_TEXT). */
static void
link_key_id(const void *key, size_t keylen, unsigned char *id)
{
	unsigned char	md[SHA256_LEN];

	link_mac(key, keylen, (const unsigned char *)LINK_KEYID_TEXT,
	    strlen(LINK_KEYID_TEXT), md);
	memcpy(id, md, LINK_KEYID_LEN);
}

int
sign_link_make(const char *task, const char *due, const char *agency,
    int64_t expires_ms, const void *key, size_t keylen, char **out,
    char *err, size_t errlen)
{
	unsigned char	 raw[LINK_RAW_MAX];
	size_t		 n, tl, al;
	int		 i;

	*out = NULL;
	tl = strlen(task);
	al = strlen(agency);
	if (!link_id_ok(task, tl)) {
		snprintf(err, errlen, "task '%.*s' is not an id of at most "
		    "%d characters", SIGN_ID_MAX, task, SIGN_ID_MAX);
		return -1;
	}
	if (!link_id_ok(agency, al)) {
		snprintf(err, errlen, "agency '%.*s' is not an id of at most "
		    "%d characters", SIGN_ID_MAX, agency, SIGN_ID_MAX);
		return -1;
	}
	if (!link_due_ok(due, strlen(due))) {
		snprintf(err, errlen, "due '%.20s' is not YYYY-MM-DD", due);
		return -1;
	}
	if (expires_ms < 0 || expires_ms >= LINK_EXPIRY_MAX) {
		snprintf(err, errlen, "expiry %" PRId64 " ms is out of range",
		    expires_ms);
		return -1;
	}
	if (keylen < SIGN_LINK_KEY_MIN) {
		snprintf(err, errlen, "the link key is shorter than %d bytes",
		    SIGN_LINK_KEY_MIN);
		return -1;
	}
	raw[0] = LINK_VERSION;
	link_key_id(key, keylen, raw + 1);
	for (i = 0; i < LINK_EXPIRY_LEN; i++)
		raw[1 + LINK_KEYID_LEN + i] = (unsigned char)((uint64_t)
		    expires_ms >> 8 * (LINK_EXPIRY_LEN - 1 - i));
	n = LINK_HEAD_LEN;
	memcpy(raw + n, task, tl);
	n += tl;
	raw[n++] = '/';
	memcpy(raw + n, due, 10);
	n += 10;
	raw[n++] = '/';
	memcpy(raw + n, agency, al);
	n += al;
	link_mac(key, keylen, raw, n, raw + n);
	n += SHA256_LEN;
	if ((*out = malloc(n / 3 * 4 + 4)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b64url_encode(raw, n, *out);
	return 0;
}

/* Splits "TASK/DUE/AGENCY" (n bytes, checked) into link. */
static int
link_fields(const unsigned char *text, size_t n, struct sign_link *link)
{
	const char	*s = (const char *)text, *a, *b;
	size_t		 tl, al;

	if ((a = memchr(s, '/', n)) == NULL ||
	    (b = memchr(a + 1, '/', n - (size_t)(a + 1 - s))) == NULL)
		return -1;
	tl = (size_t)(a - s);
	al = n - (size_t)(b + 1 - s);
	if (!link_id_ok(s, tl) || !link_due_ok(a + 1, (size_t)(b - a - 1)) ||
	    !link_id_ok(b + 1, al))
		return -1;
	memcpy(link->task, s, tl);
	link->task[tl] = '\0';
	memcpy(link->due, a + 1, 10);
	link->due[10] = '\0';
	memcpy(link->agency, b + 1, al);
	link->agency[al] = '\0';
	return 0;
}

/*
 * The order of the checks decides the reason: the key id first (another
 * key), then the HMAC over everything (a changed byte, the version
 * included), then the fields (only a token of ours with a bug behind it
 * fails here), then the time.
 */
enum sign_link_result
sign_link_parse(const char *token, const void *key, size_t keylen,
    int64_t now_ms, struct sign_link *link)
{
	unsigned char	 raw[LINK_RAW_MAX], id[LINK_KEYID_LEN];
	unsigned char	 md[SHA256_LEN];
	size_t		 n, body;
	uint64_t	 exp = 0;
	int		 i;

	memset(link, 0, sizeof(*link));
	if (strlen(token) > SIGN_LINK_MAX ||
	    b64url_decode(token, raw, sizeof(raw), &n) == -1 ||
	    n < LINK_HEAD_LEN + LINK_TEXT_MIN + SHA256_LEN)
		return SIGN_LINK_MALFORMED;
	if (keylen < SIGN_LINK_KEY_MIN)
		return SIGN_LINK_FOREIGN;
	link_key_id(key, keylen, id);
	if (!memeql_sec(id, raw + 1, LINK_KEYID_LEN))
		return SIGN_LINK_FOREIGN;
	body = n - SHA256_LEN;
	link_mac(key, keylen, raw, body, md);
	if (!memeql_sec(md, raw + body, SHA256_LEN))
		return SIGN_LINK_TAMPERED;
	if (raw[0] != LINK_VERSION || link_fields(raw + LINK_HEAD_LEN,
	    body - LINK_HEAD_LEN, link) == -1) {
		memset(link, 0, sizeof(*link));
		return SIGN_LINK_MALFORMED;
	}
	for (i = 0; i < LINK_EXPIRY_LEN; i++)
		exp = exp << 8 | raw[1 + LINK_KEYID_LEN + i];
	link->expires_ms = (int64_t)exp;
	return now_ms >= link->expires_ms ? SIGN_LINK_EXPIRED : SIGN_LINK_OK;
}

const char *
sign_link_name(enum sign_link_result r)
{
	switch (r) {
	case SIGN_LINK_OK:
		return "ok";
	case SIGN_LINK_MALFORMED:
		return "malformed";
	case SIGN_LINK_FOREIGN:
		return "foreign";
	case SIGN_LINK_TAMPERED:
		return "tampered";
	case SIGN_LINK_EXPIRED:
		return "expired";
	}
	return "?";
}
