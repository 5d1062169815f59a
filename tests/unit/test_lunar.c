/* Unit tests for common/lunar.c: published Vietnamese lunar dates, leap months, round trips over 1900-2100. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lunar.h"
#include "plan.h"
#include "xmalloc.h"

static plan_day
day(const char *s)
{
	plan_day	v = 0;

	if (plan_parse_day(s, &v) != 0)
		fail_msg("bad day in the test: %s", s);
	return v;
}

/*
 * Published dates, both ways. Tết and Giỗ Tổ Hùng Vương as the government
 * announces them; the years Vietnam (UTC+7) and China (UTC+8) differ
 * because the new moon came between 16:00 and 17:00 UTC: 1985-01-21 02:29
 * UTC is the same day in both, but China's leap 10th month of 1984 put its
 * new year a month later (1985-02-20, the 1st of the 2nd month in Vietnam);
 * 2007-02-17 16:15 UTC, 2030-02-02 16:07 UTC and 1968-01-29 16:31 UTC
 * were after midnight in Beijing.
 */
static const struct {
	const char	*name;
	const char	*solar;
	int		 year, month, leap, day;
} cases[] = {
	{ "Tết 2020 Canh Tý", "2020-01-25", 2020, 1, 0, 1 },
	{ "Tết 2021 Tân Sửu", "2021-02-12", 2021, 1, 0, 1 },
	{ "Tết 2022 Nhâm Dần", "2022-02-01", 2022, 1, 0, 1 },
	{ "Tết 2023 Quý Mão", "2023-01-22", 2023, 1, 0, 1 },
	{ "Tết 2024 Giáp Thìn", "2024-02-10", 2024, 1, 0, 1 },
	{ "Tết 2025 Ất Tỵ", "2025-01-29", 2025, 1, 0, 1 },
	{ "Tết 2026 Bính Ngọ", "2026-02-17", 2026, 1, 0, 1 },
	{ "Tết 2027 Đinh Mùi", "2027-02-06", 2027, 1, 0, 1 },
	{ "Tết 2028 Mậu Thân", "2028-01-26", 2028, 1, 0, 1 },
	{ "Tết 2029 Kỷ Dậu", "2029-02-13", 2029, 1, 0, 1 },
	/* China: 2030-02-03. */
	{ "Tết 2030 Canh Tuất, a day before China's", "2030-02-02", 2030, 1,
	    0, 1 },
	{ "China's new year 2030 is mùng 2 in Vietnam", "2030-02-03", 2030, 1,
	    0, 2 },
	{ "Hùng Kings 2022", "2022-04-10", 2022, 3, 0, 10 },
	{ "Hùng Kings 2023", "2023-04-29", 2023, 3, 0, 10 },
	{ "Hùng Kings 2024", "2024-04-18", 2024, 3, 0, 10 },
	{ "Hùng Kings 2025", "2025-04-07", 2025, 3, 0, 10 },
	{ "Hùng Kings 2026", "2026-04-26", 2026, 3, 0, 10 },
	{ "Hùng Kings 2027", "2027-04-16", 2027, 3, 0, 10 },
	{ "Hùng Kings 2028", "2028-04-04", 2028, 3, 0, 10 },
	{ "Hùng Kings 2029", "2029-04-23", 2029, 3, 0, 10 },
	{ "Hùng Kings 2030", "2030-04-12", 2030, 3, 0, 10 },

	/* Leap months: the 4th of 2020, the 2nd of 2023. */
	{ "2020: the 4th month", "2020-04-23", 2020, 4, 0, 1 },
	{ "2020: the 4th month's last day", "2020-05-22", 2020, 4, 0, 30 },
	{ "2020: the leap 4th month", "2020-05-23", 2020, 4, 1, 1 },
	{ "2020: the 5th month", "2020-06-21", 2020, 5, 0, 1 },
	{ "2023: the 2nd month", "2023-02-20", 2023, 2, 0, 1 },
	{ "2023: the leap 2nd month", "2023-03-22", 2023, 2, 1, 1 },
	{ "2023: the 3rd month", "2023-04-20", 2023, 3, 0, 1 },

	/* Vietnam and China apart. */
	{ "Tết 1985 in Vietnam", "1985-01-21", 1985, 1, 0, 1 },
	{ "China's new year 1985 is 1/2 in Vietnam", "1985-02-20", 1985, 2,
	    0, 1 },
	{ "Tết 2007 in Vietnam", "2007-02-17", 2007, 1, 0, 1 },
	{ "China's new year 2007 is mùng 2 in Vietnam", "2007-02-18", 2007, 1,
	    0, 2 },
	{ "Tết Mậu Thân 1968, by the calendar of 1967 in UTC+7",
	    "1968-01-29", 1968, 1, 0, 1 },

	/* Other days printed in every Vietnamese calendar. */
	{ "Tết 2000", "2000-02-05", 2000, 1, 0, 1 },
	{ "Tết 1975", "1975-02-11", 1975, 1, 0, 1 },
	{ "Trung thu 2022", "2022-09-10", 2022, 8, 0, 15 },
	{ "Trung thu 2023", "2023-09-29", 2023, 8, 0, 15 },
	{ "Trung thu 2024", "2024-09-17", 2024, 8, 0, 15 },
	{ "Vu Lan 2023", "2023-08-30", 2023, 7, 0, 15 },
	{ "Ông Công ông Táo, Quý Mão", "2024-02-02", 2023, 12, 0, 23 },
	{ "30 Tết Quý Mão", "2024-02-09", 2023, 12, 0, 30 },
	{ "29 Tết Giáp Thìn, the year's last day", "2025-01-28", 2024, 12, 0,
	    29 },
	{ "29 Tết Ất Tỵ, the year's last day", "2026-02-16", 2025, 12, 0,
	    29 },
};

static void
test_published(void **state)
{
	struct lunar_date	ld;
	plan_day		got;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		memset(&ld, 0, sizeof(ld));
		if (lunar_from_solar(day(cases[i].solar), &ld) != 0)
			fail_msg("case '%s': from_solar failed", cases[i].name);
		if (ld.year != cases[i].year || ld.month != cases[i].month ||
		    ld.leap != cases[i].leap || ld.day != cases[i].day)
			fail_msg("case '%s': %s is %d/%d%s/%d, want %d/%d%s/%d",
			    cases[i].name, cases[i].solar, ld.day, ld.month,
			    ld.leap ? " (leap)" : "", ld.year, cases[i].day,
			    cases[i].month, cases[i].leap ? " (leap)" : "",
			    cases[i].year);
		ld.year = cases[i].year;
		ld.month = cases[i].month;
		ld.leap = cases[i].leap;
		ld.day = cases[i].day;
		got = 0;
		if (lunar_to_solar(&ld, &got) != 0 ||
		    got != day(cases[i].solar))
			fail_msg("case '%s': to_solar gives %d, want %s",
			    cases[i].name, (int)got, cases[i].solar);
	}
}

/* Lunar dates that do not exist, and days outside 1900-2100. */
static const struct {
	const char	*name;
	int		 year, month, leap, day;
} missing[] = {
	{ "a leap 3rd month in 2023", 2023, 3, 1, 1 },
	{ "a leap month in 2024", 2024, 4, 1, 1 },
	{ "30 Tết Giáp Thìn: the 12th month has 29 days", 2024, 12, 0, 30 },
	{ "day 31", 2023, 1, 0, 31 },
	{ "day 0", 2023, 1, 0, 0 },
	{ "month 13", 2023, 13, 0, 1 },
	{ "month 0", 2023, 0, 0, 1 },
	{ "before 1900", 1899, 1, 0, 1 },
	{ "after 2100: 2/12/2100 is 2101-01-01", 2100, 12, 0, 2 },
	{ "the year 2101", 2101, 1, 0, 1 },
};

static void
test_missing(void **state)
{
	struct lunar_date	ld;
	plan_day		got = 12345;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(missing); i++) {
		ld.year = missing[i].year;
		ld.month = missing[i].month;
		ld.leap = missing[i].leap;
		ld.day = missing[i].day;
		if (lunar_to_solar(&ld, &got) != -1 || got != 12345)
			fail_msg("case '%s': a day was given", missing[i].name);
	}
	assert_int_equal(lunar_from_solar(day("1899-12-31"), &ld), -1);
	assert_int_equal(lunar_from_solar(day("2101-01-01"), &ld), -1);
	/* The first and last days it knows. */
	assert_int_equal(lunar_from_solar(day("1900-01-01"), &ld), 0);
	assert_int_equal(ld.year, 1899);
	assert_int_equal(ld.month, 12);
	assert_int_equal(lunar_to_solar(&ld, &got), 0);
	assert_int_equal(got, day("1900-01-01"));
	assert_int_equal(lunar_from_solar(day("2100-12-31"), &ld), 0);
	assert_int_equal(lunar_to_solar(&ld, &got), 0);
	assert_int_equal(got, day("2100-12-31"));

	assert_int_equal(lunar_month_days(2023, 2, 0), 30);
	assert_int_equal(lunar_month_days(2023, 2, 1), 29);
	assert_int_equal(lunar_month_days(2023, 12, 0), 30);
	assert_int_equal(lunar_month_days(2024, 12, 0), 29);
	assert_int_equal(lunar_month_days(2023, 3, 1), 0);
}

/*
 * Every day from 1900-01-01 to 2100-12-31: to lunar and back to the same
 * day, and each day the next of the one before: the day count goes on, or
 * a month of 29 or 30 days ends and the next begins at day 1; the months
 * follow in order, a leap month repeating the number before it, with 12
 * or 13 months to the year and at most one of them leap.
 */
static void
test_every_day(void **state)
{
	struct lunar_date	ld, prev;
	plan_day		d, back, first, last;
	int			months = 0, leaps = 0, y, m, dd;

	(void)state;
	first = day("1900-01-01");
	last = day("2100-12-31");
	memset(&prev, 0, sizeof(prev));
	for (d = first; d <= last; d++) {
		if (lunar_from_solar(d, &ld) != 0)
			fail_msg("day %d: no lunar date", (int)d);
		if (lunar_to_solar(&ld, &back) != 0 || back != d) {
			plan_day_to_ymd(d, &y, &m, &dd);
			fail_msg("%04d-%02d-%02d: %d/%d%s/%d does not come "
			    "back", y, m, dd, ld.day, ld.month,
			    ld.leap ? "n" : "", ld.year);
		}
		if (d == first) {
			prev = ld;
			continue;
		}
		if (ld.day == prev.day + 1) {
			if (ld.month != prev.month || ld.leap != prev.leap ||
			    ld.year != prev.year || ld.day > 30)
				fail_msg("day %d: month changed mid-way", (int)d);
		} else {
			if (ld.day != 1 || prev.day < 29)
				fail_msg("day %d: a month of %d days", (int)d,
				    prev.day);
			if (ld.leap) {
				if (ld.month != prev.month || prev.leap)
					fail_msg("day %d: leap month %d after "
					    "%d", (int)d, ld.month,
					    prev.month);
				leaps++;
			} else if (ld.month != prev.month % 12 + 1)
				fail_msg("day %d: month %d after %d", (int)d,
				    ld.month, prev.month);
			if (ld.month == 1 && !ld.leap) {
				if (ld.year != prev.year + 1)
					fail_msg("day %d: year %d after %d",
					    (int)d, ld.year, prev.year);
				/* Lunar 1900 is the first whole year. */
				if (ld.year > 1900 && (months < 12 ||
				    months > 13 || leaps != months - 12))
					fail_msg("lunar %d: %d months, %d "
					    "leap", prev.year, months, leaps);
				months = leaps = 0;
			} else if (ld.year != prev.year)
				fail_msg("day %d: the year changed in month "
				    "%d", (int)d, ld.month);
			months++;
		}
		prev = ld;
	}
}

static void
test_year_names(void **state)
{
	char	buf[32];

	(void)state;
	assert_string_equal(lunar_year_name(2023, buf, sizeof(buf)),
	    "Quý Mão");
	assert_string_equal(lunar_year_name(2024, buf, sizeof(buf)),
	    "Giáp Thìn");
	assert_string_equal(lunar_year_name(2026, buf, sizeof(buf)),
	    "Bính Ngọ");
	assert_string_equal(lunar_year_name(1968, buf, sizeof(buf)),
	    "Mậu Thân");
	assert_string_equal(lunar_year_name(1900, buf, sizeof(buf)),
	    "Canh Tý");
	assert_string_equal(lunar_year_name(2100, buf, sizeof(buf)),
	    "Canh Thân");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_every_day),
		cmocka_unit_test(test_year_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
