/* Unit tests for the clock: ISO 8601 parsing and the virtual clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "clock.h"

static const struct {
	const char	*name;
	const char	*in;
	int		 ok;
	int64_t		 ms;
} iso_cases[] = {
	{ "offset +07:00", "2022-04-29T08:00:00+07:00", 1, 1651194000000 },
	{ "zulu", "2022-04-29T01:00:00Z", 1, 1651194000000 },
	{ "no seconds", "2022-04-29T08:00+07:00", 1, 1651194000000 },
	{ "offset without colon", "2022-04-29T08:00:00+0700", 1,
	    1651194000000 },
	{ "negative offset", "2022-04-28T20:00:00-05:00", 1, 1651194000000 },
	{ "milliseconds", "2022-04-29T01:00:00.250Z", 1, 1651194000250 },
	{ "leap day", "2024-02-29T00:00:00Z", 1, 1709164800000 },
	{ "epoch", "1970-01-01T00:00:00Z", 1, 0 },
	{ "not a leap day", "2022-02-29T00:00:00Z", 0, 0 },
	{ "no zone", "2022-04-29T08:00:00", 0, 0 },
	{ "month 13", "2022-13-01T00:00:00Z", 0, 0 },
	{ "hour 24", "2022-04-29T24:00:00Z", 0, 0 },
	{ "trailing junk", "2022-04-29T08:00:00Zx", 0, 0 },
	{ "date only", "2022-04-29", 0, 0 },
	{ "empty", "", 0, 0 },
};

static void
test_iso8601(void **state)
{
	char	err[200];
	int64_t	ms;
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < sizeof(iso_cases) / sizeof(iso_cases[0]); i++) {
		ms = -1;
		rc = clock_parse_iso8601(iso_cases[i].in, &ms, err,
		    sizeof(err));
		if ((rc == 0) != iso_cases[i].ok ||
		    (iso_cases[i].ok && ms != iso_cases[i].ms))
			fail_msg("case '%s': rc %d ms %lld", iso_cases[i].name,
			    rc, (long long)ms);
		if (!iso_cases[i].ok && strstr(err, "ISO 8601") == NULL)
			fail_msg("case '%s': error '%s' does not say what is "
			    "allowed", iso_cases[i].name, err);
	}
}

static void
test_format(void **state)
{
	char	buf[64];

	(void)state;
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	clock_format_iso8601(1651194000000, buf, sizeof(buf));
	assert_string_equal(buf, "2022-04-29T08:00:00+07:00");
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	clock_format_iso8601(1651194000000, buf, sizeof(buf));
	assert_string_equal(buf, "2022-04-29T03:00:00+02:00");
	unsetenv("TZ");
	tzset();
}

static void
test_virtual(void **state)
{
	struct timespec	ts = { 0, 50 * 1000000 };
	int64_t		a, b;

	(void)state;
	clock_set_virtual(1651194000000, 100.0);
	assert_true(clock_is_virtual());
	a = clock_now_ms();
	assert_true(a >= 1651194000000 && a < 1651194000000 + 60000);
	nanosleep(&ts, NULL);
	b = clock_now_ms();
	/* 50 ms of real time is about 5 s of virtual time. */
	assert_true(b - a >= 4900);
	assert_int_equal(clock_real_delay_ms(5000), 50);
	assert_int_equal(clock_real_delay_ms(1), 1);	/* rounded up */
	assert_int_equal(clock_real_delay_ms(-10), 0);
	/* A second of real time at 100 times: 100 s of the clock's. */
	assert_int_equal(clock_late_after_ms(60000), 100000);
	clock_set_virtual(1651194000000, 3600.0);
	assert_int_equal(clock_late_after_ms(60000), 3600000);
	clock_set_virtual(1651194000000, 1.0);
	assert_int_equal(clock_late_after_ms(60000), 60000);
	clock_set_virtual(1651194000000, 0.5);
	assert_int_equal(clock_late_after_ms(60000), 60000);
	clock_set_virtual(1651194000000, 30.0);
	assert_int_equal(clock_late_after_ms(60000), 60000);
}

/* The real clock: a minute is a minute. */
static void
test_late_real(void **state)
{
	(void)state;
	assert_false(clock_is_virtual());
	assert_int_equal(clock_late_after_ms(60000), 60000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_late_real),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_virtual),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
