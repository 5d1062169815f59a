/* Pieces of an Internet mail (RFC 5322, MIME, RFC 2047): base64, encoded words, dates, the whole message, with a file attached or not. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mime.h"
#include "xmalloc.h"

#define MIME_WORD_MAX	75	/* an encoded word, =? to ?= */
#define MIME_WORD_FIXED	12	/* "=?UTF-8?B?" and "?=" */
#define MIME_BODY_WRAP	76	/* base64 body lines (RFC 2045) */
#define MIME_HARD_MAX	998	/* any header line (RFC 5322 2.1.1) */
/* "=_" never occurs in base64, so no part can hold the boundary line. */
#define MIME_BOUNDARY	"=_nhacviec_part"
#define MIME_TEXT_PART	"Content-Type: text/plain; charset=utf-8\r\n" \
			"Content-Transfer-Encoding: base64\r\n"
#define MIME_NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789._-"

/* A growing string that knows the column it ends at. */
struct mbuf {
	struct buf	 b;
	size_t		 col;		/* bytes since the last LF */
};

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
mbuf_add(struct mbuf *b, const char *s, size_t n)
{
	size_t	i;

	buf_add(&b->b, s, n);
	for (i = 0; i < n; i++)
		b->col = s[i] == '\n' ? 0 : b->col + 1;
}

static void
mbuf_str(struct mbuf *b, const char *s)
{
	mbuf_add(b, s, strlen(s));
}

/* The string (malloc'd) and its length. */
static char *
mbuf_finish(struct mbuf *b, size_t *len)
{
	return buf_take(&b->b, len);
}

static void
mbuf_base64(struct mbuf *b, const unsigned char *in, size_t n, size_t wrap)
{
	char		q[4];
	size_t		i, k, left, line = 0;
	uint32_t	v;

	for (i = 0; i < n; i += 3) {
		left = n - i;
		v = (uint32_t)in[i] << 16 |
		    (left > 1 ? (uint32_t)in[i + 1] << 8 : 0) |
		    (left > 2 ? (uint32_t)in[i + 2] : 0);
		q[0] = b64_chars[v >> 18 & 63];
		q[1] = b64_chars[v >> 12 & 63];
		q[2] = left > 1 ? b64_chars[v >> 6 & 63] : '=';
		q[3] = left > 2 ? b64_chars[v & 63] : '=';
		for (k = 0; k < 4; k++) {
			if (wrap > 0 && line == wrap) {
				mbuf_add(b, "\r\n", 2);
				line = 0;
			}
			mbuf_add(b, &q[k], 1);
			line++;
		}
	}
	if (wrap > 0 && line > 0)
		mbuf_add(b, "\r\n", 2);
}

char *
mime_base64(const void *in, size_t n, size_t wrap)
{
	struct mbuf	b = { 0 };

	mbuf_base64(&b, in, n, wrap);
	return mbuf_finish(&b, NULL);
}

/* Bytes in the UTF-8 character at s; 1 for a byte that starts none. */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	size_t	n, i;

	if (s[0] < 0xc0)
		n = 1;
	else if (s[0] < 0xe0)
		n = 2;
	else if (s[0] < 0xf0)
		n = 3;
	else if (s[0] < 0xf8)
		n = 4;
	else
		n = 1;
	if (n > left)
		return 1;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* A copy of s with C0 controls and DEL as spaces: nothing can break a header. */
static char *
mime_clean(const char *s)
{
	char	*c, *p;

	c = xstrdup(s);
	for (p = c; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

static int
mime_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Encoded words from the current column on, folding before each but the first. */
static void
mbuf_words(struct mbuf *b, const char *text)
{
	const unsigned char	*s;
	char			*clean;
	size_t			 n, i = 0, take, k, room, maxb;
	int			 first = 1;

	clean = mime_clean(text);
	s = (const unsigned char *)clean;
	n = strlen(clean);
	while (i < n) {
		room = b->col < MIME_LINE_MAX ? MIME_LINE_MAX - b->col : 0;
		/* Too little room for a 4-byte character: start a new line. */
		if (!first || room < MIME_WORD_FIXED + 8) {
			mbuf_add(b, "\r\n ", 3);
			room = MIME_LINE_MAX - 1;
		}
		if (room > MIME_WORD_MAX)
			room = MIME_WORD_MAX;
		maxb = (room - MIME_WORD_FIXED) / 4 * 3;
		take = 0;
		while (i + take < n &&
		    take + (k = utf8_len(s + i + take, n - i - take)) <= maxb)
			take += k;
		mbuf_str(b, "=?UTF-8?B?");
		mbuf_base64(b, s + i, take, 0);
		mbuf_str(b, "?=");
		i += take;
		first = 0;
	}
	free(clean);
}

char *
mime_words(const char *utf8, size_t col)
{
	struct mbuf	b = { .col = col };

	mbuf_words(&b, utf8);
	return mbuf_finish(&b, NULL);
}

static void
mbuf_phrase(struct mbuf *b, const char *name)
{
	const char	*p;
	size_t		 qlen = 2;

	for (p = name; *p != '\0'; p++)
		qlen += (*p == '"' || *p == '\\') ? 2 : 1;
	if (!mime_printable(name) || b->col + qlen > MIME_LINE_MAX) {
		mbuf_words(b, name);
		return;
	}
	mbuf_add(b, "\"", 1);
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			mbuf_add(b, "\\", 1);
		mbuf_add(b, p, 1);
	}
	mbuf_add(b, "\"", 1);
}

char *
mime_phrase(const char *name, size_t col)
{
	struct mbuf	b = { .col = col };

	mbuf_phrase(&b, name);
	return mbuf_finish(&b, NULL);
}

int
mime_address_ok(const char *s)
{
	static const char	 local_extra[] = "!#$%&'*+-/=?^_`{|}~.";
	const char		*at, *p;
	size_t			 n;

	if (s == NULL || (n = strlen(s)) < 3 || n > 254 ||
	    (at = strchr(s, '@')) == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || at - s > 64)
		return 0;
	for (p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(local_extra, *p)))
			return 0;
	if (s[0] == '.' || at[-1] == '.' || at[1] == '.' || s[n - 1] == '.' ||
	    strstr(s, "..") != NULL)
		return 0;
	for (p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

int
mime_date(time_t t, char *buf, size_t len)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct tm	tm;
	long		off;
	int		n;
	char		sign = '+';

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	off = tm.tm_gmtoff / 60;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	n = snprintf(buf, len, "%s, %d %s %04d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
	    off / 60, off % 60);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
mime_message_id(char *buf, size_t len, const char *key, int attempt,
    uint64_t rnd, const char *domain)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	const char	*p;
	int		 n;

	for (p = key; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ULL;
	}
	n = snprintf(buf, len, "<%016" PRIx64 ".%d.%016" PRIx64 "@%s>", h,
	    attempt, rnd, domain);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* "Field: [name ]<addr>" or "Field: addr", folding before <addr> if need be. */
static void
mbuf_mailbox(struct mbuf *b, const char *field, const char *name,
    const char *addr)
{
	mbuf_str(b, field);
	if (name != NULL && *name != '\0') {
		mbuf_phrase(b, name);
		if (b->col + strlen(addr) + 3 > MIME_LINE_MAX)
			mbuf_add(b, "\r\n", 2);
		mbuf_str(b, " <");
		mbuf_str(b, addr);
		mbuf_str(b, ">");
	} else
		mbuf_str(b, addr);
	mbuf_add(b, "\r\n", 2);
}

/* An unstructured field: as it is when printable ASCII, else encoded words. */
static void
mbuf_unstructured(struct mbuf *b, const char *field, const char *value)
{
	mbuf_str(b, field);
	if (mime_printable(value) &&
	    b->col + strlen(value) <= MIME_HARD_MAX)
		mbuf_str(b, value);
	else
		mbuf_words(b, value);
	mbuf_add(b, "\r\n", 2);
}

/* Text with every line ending CRLF, the last one too (RFC 2046 canonical form). */
static char *
mime_canonical(const char *s, size_t *len)
{
	struct mbuf	b = { 0 };
	size_t		i, start = 0, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (s[i] != '\r' && s[i] != '\n')
			continue;
		mbuf_add(&b, s + start, i - start);
		mbuf_add(&b, "\r\n", 2);
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	if (start < n) {
		mbuf_add(&b, s + start, n - start);
		mbuf_add(&b, "\r\n", 2);
	}
	return mbuf_finish(&b, len);
}

char *
mime_message(const struct mime_mail *m, size_t *len)
{
	struct mbuf	 b = { 0 };
	char		*body;
	size_t		 body_len;

	if (!mime_address_ok(m->from) || !mime_address_ok(m->to))
		return NULL;
	if (m->attach != NULL && (m->attach_name == NULL ||
	    *m->attach_name == '\0' || strspn(m->attach_name,
	    MIME_NAME_CHARS) != strlen(m->attach_name) ||
	    (m->attach_type != NULL && !mime_printable(m->attach_type))))
		return NULL;
	if ((body = mime_canonical(m->body ? m->body : "", &body_len)) == NULL)
		return NULL;
	mbuf_str(&b, "Date: ");
	mbuf_str(&b, m->date);
	mbuf_add(&b, "\r\n", 2);
	mbuf_mailbox(&b, "From: ", m->from_name, m->from);
	mbuf_mailbox(&b, "To: ", m->to_name, m->to);
	mbuf_str(&b, "Subject: ");
	mbuf_words(&b, m->subject ? m->subject : "");
	mbuf_add(&b, "\r\n", 2);
	mbuf_str(&b, "Message-ID: ");
	mbuf_str(&b, m->message_id);
	mbuf_add(&b, "\r\n", 2);
	mbuf_str(&b, "MIME-Version: 1.0\r\n");
	if (m->attach != NULL)
		mbuf_str(&b, "Content-Type: multipart/mixed; boundary=\""
		    MIME_BOUNDARY "\"\r\n");
	else
		mbuf_str(&b, MIME_TEXT_PART);
	mbuf_str(&b, "Auto-Submitted: auto-generated\r\n");
	if (m->id != NULL)
		mbuf_unstructured(&b, "X-Nhacviec-Id: ", m->id);
	mbuf_add(&b, "\r\n", 2);
	if (m->attach != NULL)
		mbuf_str(&b, "--" MIME_BOUNDARY "\r\n" MIME_TEXT_PART "\r\n");
	mbuf_base64(&b, (const unsigned char *)body, body_len, MIME_BODY_WRAP);
	free(body);
	if (m->attach != NULL) {
		mbuf_str(&b, "--" MIME_BOUNDARY "\r\nContent-Type: ");
		mbuf_str(&b, m->attach_type ? m->attach_type :
		    "application/octet-stream");
		mbuf_str(&b, "; name=\"");
		mbuf_str(&b, m->attach_name);
		mbuf_str(&b, "\"\r\nContent-Disposition: attachment; "
		    "filename=\"");
		mbuf_str(&b, m->attach_name);
		mbuf_str(&b, "\"\r\nContent-Transfer-Encoding: base64\r\n"
		    "\r\n");
		mbuf_base64(&b, m->attach, m->attach_len, MIME_BODY_WRAP);
		mbuf_str(&b, "--" MIME_BOUNDARY "--\r\n");
	}
	return mbuf_finish(&b, len);
}
