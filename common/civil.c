/* Days since 1970-01-01 to and from year, month and day (Howard Hinnant's algorithms, an era being 400 years), leap years, weekdays. */
#include "civil.h"

#define CIVIL_ERA_DAYS	146097		/* days in 400 years */
#define CIVIL_SHIFT	719468		/* 0000-03-01 to 1970-01-01 */

int64_t
civil_days(int y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * CIVIL_ERA_DAYS + doe - CIVIL_SHIFT;
}

void
civil_from_days(int64_t day, int *y, int *m, int *d)
{
	int64_t	z, era, doe, yoe, doy, mp;

	z = day + CIVIL_SHIFT;
	era = (z >= 0 ? z : z - (CIVIL_ERA_DAYS - 1)) / CIVIL_ERA_DAYS;
	doe = z - era * CIVIL_ERA_DAYS;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
civil_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
civil_month_days(int y, int m)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && civil_leap(y) ? 29 : days[m - 1];
}

int
civil_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday. */
	return (int)((day % 7 + 7 + 4) % 7);
}

int64_t
civil_floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}
