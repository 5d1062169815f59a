/* Parsers for the small values config files hold: durations, times, addresses, URLs. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "i18n.h"
#include "parse.h"

#define DURATION_HINT	"use a number and a unit (ms, s, m, h, d), e.g. 30m"
#define ADDRESS_HINT	"use unix:/path or HOST:PORT, e.g. 127.0.0.1:6379"
#define URL_HINT	"use https://HOST/PATH"
#define NEAREST_MAX	3

/* One duration unit, longest suffix first so "ms" wins over "m". */
static const struct {
	const char	*name;
	int64_t		 ms;
} parse_units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 60 * 60 * 1000 },
	{ "d", 24 * 60 * 60 * 1000 },
};

/* Sum of NUMBER UNIT terms; >= 0, no sign, no spaces inside. */
int
parse_duration(const char *s, int64_t *ms, char *err, size_t len)
{
	const char	*p = s;
	int64_t		 total = 0, n, term;
	size_t		 i, ulen;

	if (*s == '-') {
		snprintf(err, len, _("negative duration '%s': use 0 or more, "
		    "e.g. 30m"), s);
		return -1;
	}
	if (*s == '\0')
		goto bad;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			goto bad;
		for (n = 0; isdigit((unsigned char)*p); p++) {
			if (__builtin_mul_overflow(n, 10, &n) ||
			    __builtin_add_overflow(n, *p - '0', &n))
				goto big;
		}
		for (i = 0; i < sizeof(parse_units) / sizeof(parse_units[0]);
		    i++) {
			ulen = strlen(parse_units[i].name);
			if (strncmp(p, parse_units[i].name, ulen) == 0 &&
			    !isalpha((unsigned char)p[ulen]))
				break;
		}
		if (i == sizeof(parse_units) / sizeof(parse_units[0]))
			goto bad;
		p += ulen;
		if (__builtin_mul_overflow(n, parse_units[i].ms, &term) ||
		    __builtin_add_overflow(total, term, &total))
			goto big;
	}
	*ms = total;
	return 0;
 bad:
	snprintf(err, len, _("bad duration '%s': " DURATION_HINT), s);
	return -1;
 big:
	snprintf(err, len, _("duration '%s' is too large: " DURATION_HINT), s);
	return -1;
}

/* H:MM or HH:MM with hours up to maxh; returns the end of what was read. */
static const char *
parse_clock(const char *s, int maxh, int *minutes)
{
	int	h, m;

	if (!isdigit((unsigned char)s[0]))
		return NULL;
	h = s[0] - '0';
	s++;
	if (isdigit((unsigned char)s[0])) {
		h = h * 10 + s[0] - '0';
		s++;
	}
	if (s[0] != ':' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return NULL;
	m = (s[1] - '0') * 10 + s[2] - '0';
	if (h > maxh || m > 59 || (h == 24 && m != 0))
		return NULL;
	*minutes = h * 60 + m;
	return s + 3;
}

/* "H:MM" or "HH:MM" up to 23:59, and nothing after it. */
int
parse_hhmm(const char *s, int *minutes, char *err, size_t len)
{
	const char	*e;

	if ((e = parse_clock(s, 23, minutes)) == NULL || *e != '\0') {
		snprintf(err, len, _("bad time '%s': use HH:MM from 00:00 to "
		    "23:59, e.g. 08:30"), s);
		return -1;
	}
	return 0;
}

/* "HH:MM-HH:MM", spaces allowed around the dash. */
int
parse_hours(const char *s, int *start, int *end, char *err, size_t len)
{
	const char	*p;
	int		 a, b;

	if ((p = parse_clock(s, 23, &a)) == NULL)
		goto bad;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '-')
		goto bad;
	while (*p == ' ' || *p == '\t')
		p++;
	if ((p = parse_clock(p, 24, &b)) == NULL || *p != '\0')
		goto bad;
	if (b <= a) {
		snprintf(err, len, _("the end is not after the start in '%s': "
		    "use a later end, e.g. 07:00-21:00 (the end may be 24:00)"),
		    s);
		return -1;
	}
	*start = a;
	*end = b;
	return 0;
 bad:
	snprintf(err, len, _("bad hours '%s': use HH:MM-HH:MM, e.g. "
	    "07:00-21:00"), s);
	return -1;
}

/* Digits only, no sign; out of range also on overflow. */
int
parse_int(const char *s, long min, long max, long *out, char *err,
    size_t len)
{
	const char	*p;
	long		 n = 0;
	int		 big = 0;

	if (*s == '\0')
		goto bad;
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, *p - '0', &n))
			big = 1;
	}
	if (big || n < min || n > max) {
		snprintf(err, len, _("'%s' is out of range: use a whole number "
		    "from %ld to %ld"), s, min, max);
		return -1;
	}
	*out = n;
	return 0;
 bad:
	snprintf(err, len, _("bad number '%s': use a whole number from %ld to "
	    "%ld"), s, min, max);
	return -1;
}

/* A host name or an IPv4 address: letters, digits, '.', '-', '_'. */
static int
parse_hostname(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 253)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '-' && s[i] != '_')
			return -1;
	}
	return 0;
}

/* Fills a zeroed address; on error it stays zeroed. */
int
parse_address(const char *s, struct address *a, char *err, size_t len)
{
	const char	*colon, *host, *port;
	char		 v6[INET6_ADDRSTRLEN + 1];
	struct in6_addr	 in6;
	size_t		 hlen;
	long		 n;

	memset(a, 0, sizeof(*a));
	if (strncmp(s, "unix:", 5) == 0) {
		if (s[5] != '/') {
			snprintf(err, len, _("bad address '%s': a unix socket "
			    "needs an absolute path, e.g. unix:/run/redis/"
			    "redis-server.sock"), s);
			return -1;
		}
		if ((a->path = strdup(s + 5)) == NULL)
			goto nomem;
		return 0;
	}
	if (s[0] == '[') {
		if ((colon = strchr(s, ']')) == NULL || colon[1] != ':')
			goto bad;
		host = s + 1;
		hlen = colon - host;
		if (hlen == 0 || hlen >= sizeof(v6))
			goto bad;
		memcpy(v6, host, hlen);
		v6[hlen] = '\0';
		if (inet_pton(AF_INET6, v6, &in6) != 1)
			goto bad;
		port = colon + 2;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			goto bad;
		if (memchr(s, ':', colon - s) != NULL) {
			snprintf(err, len, _("bad address '%s': put an IPv6 "
			    "address in brackets, e.g. [::1]:6379"), s);
			return -1;
		}
		host = s;
		hlen = colon - host;
		if (parse_hostname(host, hlen) == -1)
			goto bad;
		port = colon + 1;
	}
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port))
		goto bad;
	if (strlen(port) > 5 || (n = strtol(port, NULL, 10)) < 1 ||
	    n > 65535) {
		snprintf(err, len, _("bad port '%s' in '%s': use 1 to 65535"),
		    port, s);
		return -1;
	}
	if ((a->host = strndup(host, hlen)) == NULL)
		goto nomem;
	a->port = (int)n;
	return 0;
 bad:
	snprintf(err, len, _("bad address '%s': " ADDRESS_HINT), s);
	return -1;
 nomem:
	snprintf(err, len, _("out of memory"));
	return -1;
}

void
address_clear(struct address *a)
{
	free(a->path);
	free(a->host);
	memset(a, 0, sizeof(*a));
}

/* Checks with libcurl's own URL parser, so what passes here curl accepts. */
int
parse_url(const char *s, char *err, size_t len)
{
	CURLU		*u;
	CURLUcode	 rc;
	char		*scheme = NULL, *host = NULL, *port = NULL;
	const char	*p;
	int		 ret = -1;

	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			snprintf(err, len, _("bad URL '%s': it contains a "
			    "space or a control character; " URL_HINT), s);
			return -1;
		}
	}
	/* curl takes "https:/host" and "https:///host" too: insist on "//". */
	if ((p = strstr(s, "://")) != NULL && p[3] == '/') {
		snprintf(err, len, _("URL '%s' has no host: " URL_HINT), s);
		return -1;
	}
	if ((u = curl_url()) == NULL) {
		snprintf(err, len, _("out of memory"));
		return -1;
	}
	rc = curl_url_set(u, CURLUPART_URL, s, CURLU_NON_SUPPORT_SCHEME);
	if (rc == CURLUE_NO_HOST) {
		snprintf(err, len, _("URL '%s' has no host: " URL_HINT), s);
		goto out;
	}
	if (rc != CURLUE_OK) {
		snprintf(err, len, _("bad URL '%s' (%s): " URL_HINT), s,
		    curl_url_strerror(rc));
		goto out;
	}
	if ((p = strstr(s, "://")) == NULL || p == s ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+.-") != (size_t)(p - s)) {
		snprintf(err, len, _("bad URL '%s': " URL_HINT), s);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		snprintf(err, len, _("URL '%s': the scheme must be http or "
		    "https; " URL_HINT), s);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0') {
		snprintf(err, len, _("URL '%s' has no host: " URL_HINT), s);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
	    (strlen(port) > 5 || atoi(port) < 1 || atoi(port) > 65535)) {
		snprintf(err, len, _("bad port '%s' in URL '%s': use 1 to "
		    "65535"), port, s);
		goto out;
	}
	if (strcmp(scheme, "http") == 0 && !parse_is_loopback(host)) {
		snprintf(err, len, _("plain http is allowed only to a loopback "
		    "host; use https"));
		goto out;
	}
	ret = 0;
 out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ret;
}

/* localhost, 127.0.0.0/8, ::1 and ::ffff:127.x.x.x; brackets allowed. */
int
parse_is_loopback(const char *host)
{
	char		 buf[INET6_ADDRSTRLEN + 1];
	struct in_addr	 in4;
	struct in6_addr	 in6;
	size_t		 n;

	if (strcasecmp(host, "localhost") == 0 ||
	    strcasecmp(host, "localhost.") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &in4) == 1)
		return (ntohl(in4.s_addr) >> 24) == 127;
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, host, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, &in6) != 1)
		return 0;
	if (IN6_IS_ADDR_LOOPBACK(&in6))
		return 1;
	return IN6_IS_ADDR_V4MAPPED(&in6) && in6.s6_addr[12] == 127;
}

/* Levenshtein distance in two rows; a word over 64 bytes never matches. */
size_t
parse_distance(const char *a, const char *b, int nocase)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, sub;
	size_t	prev[65], cur[65];
	int	ca, cb;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			ca = (unsigned char)a[i - 1];
			cb = (unsigned char)b[j - 1];
			if (nocase) {
				ca = tolower(ca);
				cb = tolower(cb);
			}
			sub = prev[j - 1] + (ca != cb);
			cur[j] = sub;
			if (prev[j] + 1 < cur[j])
				cur[j] = prev[j] + 1;
			if (cur[j - 1] + 1 < cur[j])
				cur[j] = cur[j - 1] + 1;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(prev[0]));
	}
	return prev[lb];
}

/*
 * The first name at the smallest distance, if that distance is at most 3 and
 * smaller than the word itself (so "x" does not suggest "url").
 */
const char *
parse_nearest(const char *word, const char *const *names)
{
	const char	*best = NULL;
	size_t		 d, bestd = SIZE_MAX;

	for (; *names != NULL; names++) {
		d = parse_distance(word, *names, 0);
		if (d < bestd) {
			bestd = d;
			best = *names;
		}
	}
	if (best == NULL || bestd > NEAREST_MAX || bestd >= strlen(word))
		return NULL;
	return best;
}
