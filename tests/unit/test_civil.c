/* Unit tests for common/civil.c: days since 1970 to and from dates, leap years, weekdays, floor division. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>

#include <cmocka.h>

#include "civil.h"
#include "xmalloc.h"

/* Days and weekdays as `date -u -d DATE +%s` / 86400 and +%w give them. */
static const struct {
	const char	*name;
	int		 y, m, d;
	int64_t		 days;
	int		 wday;
} dates[] = {
	{ "the epoch", 1970, 1, 1, 0, 4 },
	{ "the day before", 1969, 12, 31, -1, 3 },
	{ "1900, not a leap year", 1900, 1, 1, -25567, 1 },
	{ "a leap day of a century leap year", 2000, 2, 29, 11016, 2 },
	{ "the district's 30/4 of 2022", 2022, 4, 30, 19112, 6 },
	{ "after 2100's February (not leap)", 2100, 3, 1, 47541, 1 },
	{ "an era back, before 1970", 1600, 3, 1, -135080, 3 },
};

static void
test_dates(void **state)
{
	size_t	i;
	int	y, m, d;

	(void)state;
	for (i = 0; i < nitems(dates); i++) {
		if (civil_days(dates[i].y, dates[i].m, dates[i].d) !=
		    dates[i].days || civil_weekday(dates[i].days) !=
		    dates[i].wday)
			fail_msg("%s: %lld, weekday %d", dates[i].name,
			    (long long)civil_days(dates[i].y, dates[i].m,
			    dates[i].d), civil_weekday(dates[i].days));
		civil_from_days(dates[i].days, &y, &m, &d);
		if (y != dates[i].y || m != dates[i].m || d != dates[i].d)
			fail_msg("%s: back as %04d-%02d-%02d", dates[i].name,
			    y, m, d);
	}
}

/* Every day from 1600 to 2400 goes there and back, one day after another. */
static void
test_round_trip(void **state)
{
	int64_t	day, first = civil_days(1600, 1, 1);
	int	y, m, d, py = 1599, pm = 12, pd = 31;

	(void)state;
	for (day = first; day < civil_days(2400, 1, 1); day++) {
		civil_from_days(day, &y, &m, &d);
		if (civil_days(y, m, d) != day)
			fail_msg("day %lld: %04d-%02d-%02d", (long long)day, y,
			    m, d);
		if (!(d == pd + 1 && m == pm && y == py) &&
		    !(d == 1 && pd == civil_month_days(py, pm) &&
		    (m == pm + 1 || (m == 1 && pm == 12 && y == py + 1))))
			fail_msg("%04d-%02d-%02d follows %04d-%02d-%02d", y, m,
			    d, py, pm, pd);
		py = y;
		pm = m;
		pd = d;
	}
}

static const struct {
	int	y, leap;
} leaps[] = {
	{ 1900, 0 }, { 2000, 1 }, { 2022, 0 }, { 2024, 1 }, { 2100, 0 },
	{ 2400, 1 },
};

static void
test_leap(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(leaps); i++) {
		if (civil_leap(leaps[i].y) != leaps[i].leap ||
		    civil_month_days(leaps[i].y, 2) != 28 + leaps[i].leap)
			fail_msg("%d: leap %d, February %d", leaps[i].y,
			    civil_leap(leaps[i].y),
			    civil_month_days(leaps[i].y, 2));
	}
	assert_int_equal(civil_month_days(2022, 4), 30);
	assert_int_equal(civil_month_days(2022, 12), 31);
}

static const struct {
	int64_t	a, b, want;
} divs[] = {
	{ 0, 1000, 0 }, { 999, 1000, 0 }, { 1000, 1000, 1 },
	{ -1, 1000, -1 }, { -1000, 1000, -1 }, { -1001, 1000, -2 },
	{ -86400, 86400, -1 },
};

static void
test_floordiv(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(divs); i++)
		if (civil_floordiv(divs[i].a, divs[i].b) != divs[i].want)
			fail_msg("%lld / %lld: %lld", (long long)divs[i].a,
			    (long long)divs[i].b, (long long)civil_floordiv(
			    divs[i].a, divs[i].b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_leap),
		cmocka_unit_test(test_floordiv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
