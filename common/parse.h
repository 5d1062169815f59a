/* Parsers for the small values config files hold: durations, times, addresses, URLs. */
#ifndef NV_PARSE_H
#define NV_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* "500ms", "30s", "30m", "2h", "1d", and sums such as "1h30m"; >= 0. */
int	parse_duration(const char *, int64_t *ms, char *err, size_t len);
/* "HH:MM", 00:00..23:59, to minutes after midnight. */
int	parse_hhmm(const char *, int *minutes, char *err, size_t len);
/* "HH:MM-HH:MM", the end after the start; "24:00" allowed as the end. */
int	parse_hours(const char *, int *start, int *end, char *err, size_t len);
/* A positive decimal integer in [min, max]. */
int	parse_int(const char *, long min, long max, long *out, char *err,
	    size_t len);

/* A Redis or listen address: "unix:/path" or "HOST:PORT" ("[::1]:6379"). */
struct address {
	char	*path;		/* set for unix: addresses */
	char	*host;		/* set for TCP addresses */
	int	 port;
};
int	parse_address(const char *, struct address *, char *err, size_t len);
void	address_clear(struct address *);

/* An http(s) URL with a host; plain http only to a loopback host. */
int	parse_url(const char *, char *err, size_t len);
/* 1 when host is localhost, 127.0.0.0/8 or ::1 (brackets allowed). */
int	parse_is_loopback(const char *host);

/* Levenshtein distance (nocase: ASCII case ignored); SIZE_MAX past 64 bytes. */
size_t	parse_distance(const char *a, const char *b, int nocase);
/* The name in a NULL-terminated list nearest to word (edit distance), or NULL. */
const char *parse_nearest(const char *word, const char *const *names);

#endif
