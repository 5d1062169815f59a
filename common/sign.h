/* Signatures on what comes in from outside: Zalo OA webhook events and the confirmation links of emails. */
#ifndef NV_SIGN_H
#define NV_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define SIGN_ZALO_HEADER	"X-ZEvent-Signature"

/* What the check of a Zalo OA event found. */
enum sign_zalo_result {
	SIGN_ZALO_OK,
	SIGN_ZALO_MISSING,	/* no X-ZEvent-Signature header */
	SIGN_ZALO_MALFORMED,	/* not mac=<64 hex>, or no app_id/timestamp */
	SIGN_ZALO_WRONG_APP,	/* the body's app_id is not ours */
	SIGN_ZALO_BAD,		/* the mac does not match */
};

/*
 * Checks a Zalo OA webhook event: header is the X-ZEvent-Signature value
 * (NULL when absent), body the raw request body of len bytes. The mac is
 * the hex SHA-256 of app_id + body + timestamp + secret, app_id and
 * timestamp being the members of that name in the JSON body (strings; a
 * timestamp sent as a JSON integer counts as its decimal digits). The app_id
 * must equal app_id; the mac is compared in constant time. err says why
 * (never the secret, never the mac). Returns SIGN_ZALO_OK or the reason.
 */
enum sign_zalo_result sign_zalo_check(const char *header, const void *body,
		    size_t len, const char *app_id, const char *secret,
		    char *err, size_t errlen);
/* "ok", "missing", "malformed", "wrong app", "bad signature". */
const char	*sign_zalo_name(enum sign_zalo_result);
/*
 * The header value "mac=<64 lower-case hex>" for body (the signing side,
 * for tests and tools); out holds SIGN_ZALO_VALUE_SIZE. 0, or -1 when the
 * body lacks app_id or timestamp.
 */
#define SIGN_ZALO_VALUE_SIZE	(4 + 64 + 1)
int		 sign_zalo_value(const void *body, size_t len,
		    const char *secret, char *out, char *err, size_t errlen);

/*
 * Confirmation links: PUBLIC_URL/c/TOKEN. The token is base64url without
 * padding of
 *	version (1 byte, 1) | key id (3 bytes) | expiry (ms, 6 bytes, big
 *	endian) | "TASK/DUE/AGENCY" | HMAC-SHA256 (32 bytes)
 * the HMAC keyed with the link key over everything before it. The key id
 * (the first bytes of HMAC(key, "nhacviec link key id")) tells a token of
 * another key from a tampered one. Ids are [a-z0-9][a-z0-9._-]*, at most
 * SIGN_ID_MAX bytes; DUE is YYYY-MM-DD. Typical ids give about 130
 * characters.
 */
#define SIGN_ID_MAX		64
#define SIGN_LINK_KEY_MIN	16	/* bytes of link key at least */
#define SIGN_LINK_MAX		400	/* characters of a token at most */

struct sign_link {
	char	task[SIGN_ID_MAX + 1];
	char	due[11];		/* YYYY-MM-DD */
	char	agency[SIGN_ID_MAX + 1];
	int64_t	expires_ms;		/* valid while now < expires_ms */
};

/* What the check of a link token found. */
enum sign_link_result {
	SIGN_LINK_OK,
	SIGN_LINK_MALFORMED,	/* not base64url, too short or long, bad fields */
	SIGN_LINK_FOREIGN,	/* made with another key */
	SIGN_LINK_TAMPERED,	/* our key id, but the HMAC does not match */
	SIGN_LINK_EXPIRED,	/* genuine, but now >= its expiry */
};

/*
 * The token for (task, due, agency) valid until expires_ms (malloc'd into
 * *out). key is at least SIGN_LINK_KEY_MIN bytes. 0, or -1 with err naming
 * the bad argument (never the key).
 */
int		 sign_link_make(const char *task, const char *due,
		    const char *agency, int64_t expires_ms, const void *key,
		    size_t keylen, char **out, char *err, size_t errlen);
/*
 * Checks a token against key at now_ms. On SIGN_LINK_OK and
 * SIGN_LINK_EXPIRED *link holds what the token names; otherwise it is
 * zeroed. A key shorter than SIGN_LINK_KEY_MIN verifies nothing
 * (SIGN_LINK_FOREIGN).
 */
enum sign_link_result sign_link_parse(const char *token, const void *key,
		    size_t keylen, int64_t now_ms, struct sign_link *link);
/* "ok", "malformed", "foreign", "tampered", "expired". */
const char	*sign_link_name(enum sign_link_result);

#endif
