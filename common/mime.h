/* Pieces of an Internet mail (RFC 5322, MIME, RFC 2047): base64, encoded words, dates, the whole message, with a file attached or not. */
#ifndef NV_MIME_H
#define NV_MIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Header lines holding encoded words stay within this (RFC 2047 section 2). */
#define MIME_LINE_MAX	76

/*
 * Base64 of n bytes (malloc'd, NUL-terminated). With wrap > 0 the output is
 * cut into lines of at most wrap characters, each ending in CRLF.
 */
char	*mime_base64(const void *, size_t n, size_t wrap);

/*
 * UTF-8 text as RFC 2047 "B" encoded words (=?UTF-8?B?...?=), each at most
 * 75 characters and holding whole characters, separated by CRLF SP; the
 * first starts at column col, and no line passes MIME_LINE_MAX. Control
 * characters become spaces. malloc'd; "" for empty text.
 */
char	*mime_words(const char *utf8, size_t col);

/*
 * A display name starting at column col: a quoted-string when it is printable
 * ASCII and fits the line, else encoded words. malloc'd.
 */
char	*mime_phrase(const char *name, size_t col);

/* 1 when s is a bare address local@domain we can put in headers and the envelope. */
int	mime_address_ok(const char *s);

/* "Wed, 27 Apr 2022 08:00:00 +0700": t in local time, English names whatever the locale. */
int	mime_date(time_t, char *buf, size_t len);

/*
 * "<HASH.ATTEMPT.RND@DOMAIN>": HASH is a 64-bit FNV-1a of key in hex, so
 * ids of one reminder look alike; RND makes each one unique.
 */
int	mime_message_id(char *buf, size_t len, const char *key, int attempt,
	    uint64_t rnd, const char *domain);

/* What mime_message puts together; every string UTF-8, NULL where optional. */
struct mime_mail {
	const char	*from;		/* an address */
	const char	*from_name;	/* or NULL */
	const char	*to;		/* an address */
	const char	*to_name;	/* or NULL */
	const char	*subject;
	const char	*date;		/* from mime_date */
	const char	*message_id;	/* "<...>" */
	const char	*id;		/* X-Nhacviec-Id, or NULL */
	const char	*body;		/* plain text, LF or CRLF line ends */
	/* A file that goes with it, or NULL (attach_len bytes, as they are). */
	const void	*attach;
	size_t		 attach_len;
	const char	*attach_name;	/* the file name: A-Z a-z 0-9 . _ - */
	const char	*attach_type;	/* e.g. "text/csv; charset=utf-8" */
};

/*
 * The whole message (malloc'd): headers, a blank line, the body in base64
 * lines of 76, CRLF line ends throughout; its length in *len. With an
 * attachment it is multipart/mixed: the text, then the file in base64.
 * NULL when out of memory, an address is not mime_address_ok or the file
 * name has other characters than those above.
 */
char	*mime_message(const struct mime_mail *, size_t *len);

#endif
