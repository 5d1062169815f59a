/* The retry decision as a pure function, and a peer's Retry-After read with bounds. */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "retry.h"

enum retry_verdict
retry_decide(const struct retry_policy *p, int attempt, int64_t now_ms,
    int64_t retry_after_s, double jitter, retry_hours_fn *hours,
    void *hours_arg, int64_t expires_at, int64_t *at)
{
	int64_t	d = p->base_ms > 0 ? p->base_ms : 1, wait;
	int	i;

	*at = 0;
	if (attempt >= p->max_attempts)
		return RETRY_GIVE_UP;
	for (i = 1; i < attempt && d < p->max_ms; i++)
		d *= 2;
	if (d > p->max_ms)
		d = p->max_ms;
	if (jitter < 0 || jitter >= 1)
		jitter = 0;
	wait = d / 2 + (int64_t)(jitter * (double)(d / 2 + 1));
	/* The peer's wish counts, up to the policy's maximum. */
	if (retry_after_s >= 0) {
		if (retry_after_s > p->max_ms / 1000)
			retry_after_s = p->max_ms / 1000;
		if (retry_after_s * 1000 > wait)
			wait = retry_after_s * 1000;
	}
	*at = now_ms + wait;
	if (hours)
		*at = hours(hours_arg, *at);
	if (expires_at > 0 && *at >= expires_at)
		return RETRY_EXPIRED;
	return RETRY_AGAIN;
}

int64_t
retry_after_parse(const char *v, size_t len, int64_t now_s)
{
	char		buf[64];
	struct tm	tm;
	const char	*p, *end;
	int64_t		n = 0;
	size_t		i;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	if (len == 0)
		return -1;
	for (i = 0; i < len && isdigit((unsigned char)v[i]); i++)
		if (n < RETRY_AFTER_MAX_S)
			n = n * 10 + (v[i] - '0');
	if (i == len)
		return n < RETRY_AFTER_MAX_S ? n : RETRY_AFTER_MAX_S;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	memset(&tm, 0, sizeof(tm));
	end = strptime(buf, "%a, %d %b %Y %H:%M:%S", &tm);
	if (end == NULL)
		return -1;
	for (p = end; *p == ' '; p++)
		;
	if (*p != '\0' && strcmp(p, "GMT") != 0)
		return -1;
	n = (int64_t)timegm(&tm) - now_s;
	if (n < 0)
		return 0;
	return n < RETRY_AFTER_MAX_S ? n : RETRY_AFTER_MAX_S;
}
