/* Unit tests for common/retry.c: the retry decision as a table (back-off, jitter, Retry-After, delivery hours, expiry). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>

#include <cmocka.h>

#include "retry.h"
#include "xmalloc.h"

#define MIN	60000LL
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)

/* 2022-04-29 16:59:50 UTC, a Friday: ten seconds before the hours end. */
#define NOW	(1651251590000LL)

/* Sending allowed 08:00-17:00 UTC: an instant after 17:00 moves to 08:00. */
static int64_t
office_hours(void *arg, int64_t ms)
{
	int64_t	day = ms - ms % DAY, t = ms % DAY;

	(*(int *)arg)++;
	if (t < 8 * HOUR)
		return day + 8 * HOUR;
	if (t >= 17 * HOUR)
		return day + DAY + 8 * HOUR;
	return ms;
}

static const struct retry_policy std = { 5, 30000, HOUR };
static const struct retry_policy many = { 100, 30000, HOUR };
static const struct retry_policy zero = { 3, 0, HOUR };

static const struct {
	const char			*name;
	const struct retry_policy	*pol;
	int				 attempt;
	int64_t				 retry_after_s;
	double				 jitter;
	int				 hours;
	int64_t				 expires;	/* from NOW; 0: never */
	enum retry_verdict		 want;
	int64_t				 at;		/* from NOW; 0 with GIVE_UP */
} cases[] = {
	{ "first failure, no jitter: half the base", &std, 1, -1, 0, 0, 0,
	    RETRY_AGAIN, 15000 },
	{ "first failure, most jitter: the whole base", &std, 1, -1,
	    0.9999999, 0, 0, RETRY_AGAIN, 30000 },
	{ "jitter halfway", &std, 1, -1, 0.5, 0, 0, RETRY_AGAIN, 22500 },
	{ "third failure doubles twice", &std, 3, -1, 0, 0, 0, RETRY_AGAIN,
	    60000 },
	{ "fourth failure", &std, 4, -1, 0, 0, 0, RETRY_AGAIN, 120000 },
	{ "the last attempt gives up", &std, 5, -1, 0, 0, 0, RETRY_GIVE_UP,
	    0 },
	{ "past the last attempt gives up", &std, 9, 600, 0, 0, 0,
	    RETRY_GIVE_UP, 0 },
	{ "back-off stops at the maximum", &many, 40, -1, 0, 0, 0,
	    RETRY_AGAIN, HOUR / 2 },
	{ "back-off stops at the maximum, most jitter", &many, 40, -1,
	    0.9999999, 0, 0, RETRY_AGAIN, HOUR },
	{ "Retry-After longer than the back-off wins", &std, 1, 600, 0, 0, 0,
	    RETRY_AGAIN, 600000 },
	{ "Retry-After shorter than the back-off does not", &std, 1, 1, 0, 0,
	    0, RETRY_AGAIN, 15000 },
	{ "Retry-After 0", &std, 2, 0, 0, 0, 0, RETRY_AGAIN, 30000 },
	{ "Retry-After of ten years is the policy's maximum", &std, 1,
	    10LL * 366 * 86400, 0, 0, 0, RETRY_AGAIN, HOUR },
	{ "jitter below 0 counts as none", &std, 1, -1, -0.5, 0, 0,
	    RETRY_AGAIN, 15000 },
	{ "jitter of 1 or more counts as none", &std, 1, -1, 1.5, 0, 0,
	    RETRY_AGAIN, 15000 },
	{ "a base of 0 retries at once", &zero, 1, -1, 0.9, 0, 0,
	    RETRY_AGAIN, 0 },
	{ "after the hours: the next morning at 08:00", &std, 1, -1, 0, 1, 0,
	    RETRY_AGAIN, 15 * HOUR + 10000 },
	{ "in the hours: unchanged", &std, 1, -1, 0, 1, 0, RETRY_AGAIN,
	    15000 },
	{ "the next try falls after the end: expired", &std, 1, -1, 0, 0,
	    10000, RETRY_EXPIRED, 15000 },
	{ "the next try falls on the end: expired", &std, 1, -1, 0, 0,
	    15000, RETRY_EXPIRED, 15000 },
	{ "the next try falls before the end", &std, 1, -1, 0, 0, 15001,
	    RETRY_AGAIN, 15000 },
	{ "the hours push it past the end: expired", &std, 1, -1, 0, 1,
	    HOUR, RETRY_EXPIRED, 15 * HOUR + 10000 },
	{ "Retry-After pushes it past the end: expired", &std, 1, 3600, 0, 0,
	    HOUR - 1, RETRY_EXPIRED, HOUR },
};

static void
test_table(void **state)
{
	enum retry_verdict	 v;
	int64_t			 at, now;
	size_t			 i;
	int			 called;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		/* "in the hours" starts at noon, everything else at NOW. */
		now = cases[i].hours && cases[i].at == 15000 ?
		    NOW - 5 * HOUR : NOW;
		called = 0;
		at = -1;
		v = retry_decide(cases[i].pol, cases[i].attempt, now,
		    cases[i].retry_after_s, cases[i].jitter,
		    cases[i].hours ? office_hours : NULL, &called,
		    cases[i].expires ? now + cases[i].expires : 0, &at);
		if (v != cases[i].want)
			fail_msg("%s: verdict %d, want %d", cases[i].name, v,
			    cases[i].want);
		if (cases[i].want == RETRY_GIVE_UP ? at != 0 :
		    at != now + cases[i].at)
			fail_msg("%s: at now%+lld ms, want now%+lld",
			    cases[i].name, (long long)(at - now),
			    (long long)cases[i].at);
		if (cases[i].hours && cases[i].want != RETRY_GIVE_UP &&
		    called != 1)
			fail_msg("%s: the hours asked %d times", cases[i].name,
			    called);
	}
}

/* Every attempt before the last retries within [base/2 * 2^(n-1), max]. */
static void
test_bounds(void **state)
{
	int64_t	at, lo, hi;
	int	n, k;

	(void)state;
	for (n = 1; n < many.max_attempts; n++)
		for (k = 0; k < 10; k++) {
			assert_int_equal(retry_decide(&many, n, NOW, -1,
			    k / 10.0, NULL, NULL, 0, &at), RETRY_AGAIN);
			lo = n < 12 ? (many.base_ms << (n - 1)) / 2 : HOUR / 2;
			if (lo > HOUR / 2)
				lo = HOUR / 2;
			hi = lo * 2;
			if (at - NOW < lo || at - NOW > hi)
				fail_msg("attempt %d jitter %d: %lld ms not in "
				    "[%lld, %lld]", n, k, (long long)(at - NOW),
				    (long long)lo, (long long)hi);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
