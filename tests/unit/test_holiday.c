/* Unit tests for common/holiday.c: the days off the government announced, the rules for every year. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "holiday.h"
#include "lunar.h"
#include "plan.h"
#include "xmalloc.h"

/*
 * A year's days off as "MM-DD K" (K: N new year, T Tết, H Hùng Kings,
 * V 30/4, L 1/5, Q National Day), a day in lieu as "MM-DD K<MM-DD" naming
 * the holiday it makes up for. 2021-2026: the days the government set for
 * civil servants, less the swapped working days (which it decides apart).
 * 2027-2030: the rules, worked out by hand from a wall calendar.
 */
static const struct {
	int		 year;
	const char	*want;
} years[] = {
	/* Tết Fri 12/2; 1/5 a Saturday; 2/9 a Thursday, so 3/9. */
	{ 2021, "01-01 N 02-10 T 02-11 T 02-12 T 02-15 T 02-16 T 04-21 H "
	    "04-30 V 05-01 L 05-03 L<05-01 09-02 Q 09-03 Q" },
	/* As config/plan.d/calendar.conf, with the weekend holidays. */
	{ 2022, "01-01 N 01-03 N<01-01 01-31 T 02-01 T 02-02 T 02-03 T "
	    "02-04 T 04-10 H 04-11 H<04-10 04-30 V 05-01 L 05-02 V<04-30 "
	    "05-03 L<05-01 09-01 Q 09-02 Q" },
	/* Tết Sun 22/1: 20/1, 23-26/1; Hùng Kings Sat 29/4, 30/4 Sunday. */
	{ 2023, "01-01 N 01-02 N<01-01 01-20 T 01-23 T 01-24 T 01-25 T "
	    "01-26 T 04-29 H 04-30 V 05-01 L 05-02 H<04-29 05-03 V<04-30 "
	    "09-01 Q 09-02 Q 09-04 Q<09-02" },
	/* Tết Sat 10/2: 8-9/2, 12-14/2; 2/9 a Monday, so 3/9. */
	{ 2024, "01-01 N 02-08 T 02-09 T 02-12 T 02-13 T 02-14 T 04-18 H "
	    "04-30 V 05-01 L 09-02 Q 09-03 Q" },
	/* Tết Wed 29/1: 27-31/1; 2/9 a Tuesday, so 1/9. */
	{ 2025, "01-01 N 01-27 T 01-28 T 01-29 T 01-30 T 01-31 T 04-07 H "
	    "04-30 V 05-01 L 09-01 Q 09-02 Q" },
	/* Tết Tue 17/2: 16-20/2; Hùng Kings Sun 26/4; 2/9 a Wednesday. */
	{ 2026, "01-01 N 02-16 T 02-17 T 02-18 T 02-19 T 02-20 T 04-26 H "
	    "04-27 H<04-26 04-30 V 05-01 L 09-01 Q 09-02 Q" },
	/* Tết Sat 6/2: mùng 5 is Wed 10/2; 1/5 Saturday; 2/9 Thursday. */
	{ 2027, "01-01 N 02-04 T 02-05 T 02-08 T 02-09 T 02-10 T 04-16 H "
	    "04-30 V 05-01 L 05-03 L<05-01 09-02 Q 09-03 Q" },
	/* 1/1 Saturday; Tết Wed 26/1; 30/4 Sunday; 2/9 Saturday. */
	{ 2028, "01-01 N 01-03 N<01-01 01-24 T 01-25 T 01-26 T 01-27 T "
	    "01-28 T 04-04 H 04-30 V 05-01 L 05-02 V<04-30 09-01 Q 09-02 Q "
	    "09-04 Q<09-02" },
	/* Tết Tue 13/2; 2/9 a Sunday: 1/9 Saturday, both made up. */
	{ 2029, "01-01 N 02-12 T 02-13 T 02-14 T 02-15 T 02-16 T 04-23 H "
	    "04-30 V 05-01 L 09-01 Q 09-02 Q 09-03 Q<09-01 09-04 Q<09-02" },
	/* Tết Sat 2/2 (China's is 3/2): mùng 5 is Wed 6/2. */
	{ 2030, "01-01 N 01-31 T 02-01 T 02-04 T 02-05 T 02-06 T 04-12 H "
	    "04-30 V 05-01 L 09-02 Q 09-03 Q" },
};

/* "MM-DD K" or "MM-DD K<MM-DD" for a day of year. */
static void
text_of(int year, const struct holiday *h, char *buf, size_t len)
{
	static const char	kinds[] = "NTHVLQ";
	int			y, m, d, m2, d2;

	plan_day_to_ymd(h->day, &y, &m, &d);
	assert_int_equal(y, year);
	if (h->in_lieu_of < 0) {
		snprintf(buf, len, "%02d-%02d %c", m, d, kinds[h->kind]);
		return;
	}
	plan_day_to_ymd(h->in_lieu_of, &y, &m2, &d2);
	snprintf(buf, len, "%02d-%02d %c<%02d-%02d", m, d, kinds[h->kind], m2,
	    d2);
}

static void
test_years(void **state)
{
	struct holiday	h[HOLIDAY_DAYS_MAX];
	char		got[512], one[32];
	size_t		i, j, n;

	(void)state;
	for (i = 0; i < nitems(years); i++) {
		if (holiday_year(years[i].year, h, &n) != 0)
			fail_msg("%d: no days", years[i].year);
		got[0] = '\0';
		for (j = 0; j < n; j++) {
			text_of(years[i].year, &h[j], one, sizeof(one));
			if (j > 0)
				strcat(got, " ");
			strcat(got, one);
		}
		if (strcmp(got, years[i].want) != 0)
			fail_msg("%d:\n got  %s\n want %s", years[i].year, got,
			    years[i].want);
	}
}

/*
 * Every year it knows: 11 holidays; Tết five working days within four
 * days of mùng 1, with no working day left between the last of them and
 * mùng 5; one day in lieu per holiday on a weekend, a working day after it
 * that is off for nothing else.
 */
static void
test_rules(void **state)
{
	struct holiday		h[HOLIDAY_DAYS_MAX];
	struct lunar_date	ld = { 0, 1, 0, 1 };
	plan_day		tet, d;
	size_t			i, j, n, nlaw, ntet, nweekend, nlieu;
	int			y;

	(void)state;
	for (y = HOLIDAY_YEAR_FIRST; y <= HOLIDAY_YEAR_LAST; y++) {
		assert_int_equal(holiday_year(y, h, &n), 0);
		ld.year = y;
		assert_int_equal(lunar_to_solar(&ld, &tet), 0);
		nlaw = ntet = nweekend = nlieu = 0;
		for (i = 0; i < n; i++) {
			if (i > 0 && h[i].day < h[i - 1].day)
				fail_msg("%d: not in order", y);
			if (h[i].in_lieu_of >= 0) {
				nlieu++;
				if (holiday_weekend(h[i].day) ||
				    h[i].day <= h[i].in_lieu_of)
					fail_msg("%d: a bad day in lieu", y);
				for (j = 0; j < n; j++)
					if (j != i && h[j].day == h[i].day)
						fail_msg("%d: a day in lieu on "
						    "a day off", y);
				continue;
			}
			nlaw++;
			nweekend += holiday_weekend(h[i].day);
			if (h[i].kind != HOLIDAY_TET)
				continue;
			ntet++;
			if (holiday_weekend(h[i].day) || h[i].day < tet - 4 ||
			    h[i].day > tet + 4)
				fail_msg("%d: Tết day %d days from mùng 1", y,
				    (int)(h[i].day - tet));
		}
		if (nlaw != 11 || ntet != 5 || nlieu != nweekend)
			fail_msg("%d: %zu holidays, %zu of Tết, %zu in lieu "
			    "of %zu", y, nlaw, ntet, nlieu, nweekend);
		/* No working day between the last Tết day and mùng 5. */
		for (i = n; i-- > 0 && h[i].kind != HOLIDAY_TET;)
			;
		for (d = h[i].day + 1; d <= tet + 4; d++)
			if (!holiday_weekend(d))
				fail_msg("%d: Tết ends before a working day "
				    "that is not after mùng 5", y);
	}
	assert_int_equal(holiday_year(2020, h, &n), -1);
	assert_int_equal(holiday_year(2101, h, &n), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
