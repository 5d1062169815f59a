/* The retry decision as a pure function, and a peer's Retry-After read with bounds. */
#ifndef NV_RETRY_H
#define NV_RETRY_H

#include <stddef.h>
#include <stdint.h>

struct retry_policy {
	int	 max_attempts;
	int64_t	 base_ms;	/* the first back-off */
	int64_t	 max_ms;	/* no wait is longer, Retry-After included */
};

enum retry_verdict {
	RETRY_AGAIN,		/* try again at *at */
	RETRY_GIVE_UP,		/* max_attempts reached */
	RETRY_EXPIRED,		/* the next try would fall after expires_at */
};

/* An instant moved into the hours when sending is allowed. */
typedef int64_t	retry_hours_fn(void *arg, int64_t ms);

/*
 * Attempt `attempt` (1 for the first) failed at now_ms. retry_after_s is
 * what the peer asked for (-1: nothing), clamped to the policy's maximum;
 * jitter in [0, 1) picks the back-off within its upper half; hours (NULL:
 * any time) moves the next try into delivery hours; expires_at (0: never)
 * is when the occurrence ends. *at gets the next try's instant.
 */
enum retry_verdict retry_decide(const struct retry_policy *, int attempt,
	    int64_t now_ms, int64_t retry_after_s, double jitter,
	    retry_hours_fn *hours, void *hours_arg, int64_t expires_at,
	    int64_t *at);

/*
 * A Retry-After value (delta-seconds or an HTTP date, RFC 9110) as seconds
 * from now_s: never negative, saturating at RETRY_AFTER_MAX_S; -1 when it
 * is neither.
 */
#define RETRY_AFTER_MAX_S	(10LL * 366 * 86400)
int64_t	retry_after_parse(const char *value, size_t len, int64_t now_s);

#endif
