/* Vietnam's statutory days off for civil servants in a year, with the days in lieu. */
#include <stdlib.h>

#include "holiday.h"
#include "lunar.h"

/*
 * The law: Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), art. 112(1)
 * gives 11 days: 1/1; five days of Tết; 10/3 of the lunar year; 30/4; 1/5;
 * 2/9 and a day before or after it. Art. 112(3) leaves the Tết days and the
 * day next to 2/9 to the Prime Minister each year; art. 111(3) moves a
 * holiday that falls on a weekly day off to the next working day.
 *
 * The two choices, checked against the days the government announced for
 * civil servants (Saturday and Sunday off):
 * - Tết: the five working days ending on the last working day on or before
 *   mùng 5 Tết. 2020: 23-24/1 and 27-29/1; 2021: 10-12/2 and 15-16/2;
 *   2022: 31/1-4/2; 2023: 20/1 and 23-26/1; 2024: 8-9/2 and 12-14/2;
 *   2025: 27-31/1; 2026: 16-20/2. All seven agree.
 * - National Day: 1/9 (2022, 2023, 2025, 2026), but 3/9 when 2/9 is a
 *   Thursday (2021: Thursday to Sunday off) or a Monday (2024, when 1/9
 *   is a Sunday anyway).
 * Swapped working days (a Saturday worked to bridge a gap) are decided
 * each year and are not computed here.
 */

static const char *const names[] = {
	[HOLIDAY_NEW_YEAR] = "Tết Dương lịch",
	[HOLIDAY_TET] = "Tết Âm lịch",
	[HOLIDAY_HUNG_KINGS] = "Giỗ Tổ Hùng Vương",
	[HOLIDAY_VICTORY] = "Ngày Chiến thắng",
	[HOLIDAY_LABOUR] = "Ngày Quốc tế Lao động",
	[HOLIDAY_NATIONAL] = "Quốc khánh",
};

const char *
holiday_name(enum holiday_kind k)
{
	return names[k];
}

int
holiday_weekend(plan_day day)
{
	int	wd = plan_weekday(day);

	return wd == 0 || wd == 6;
}

static int
holiday_cmp(const void *a, const void *b)
{
	const struct holiday	*x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

/* 1 when day is already one of the n days off in v. */
static int
holiday_taken(const struct holiday *v, size_t n, plan_day day)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].day == day)
			return 1;
	}
	return 0;
}

static void
holiday_add(struct holiday *v, size_t *n, plan_day day,
    enum holiday_kind kind, plan_day in_lieu_of)
{
	v[*n].day = day;
	v[*n].kind = kind;
	v[(*n)++].in_lieu_of = in_lieu_of;
}

int
holiday_year(int year, struct holiday *out, size_t *n)
{
	struct lunar_date	ld;
	plan_day		tet, hung, day, last;
	size_t			i, nlaw;
	int			k, wd;

	*n = 0;
	ld.year = year;
	ld.month = 1;
	ld.leap = 0;
	ld.day = 1;
	if (year < HOLIDAY_YEAR_FIRST || year > HOLIDAY_YEAR_LAST ||
	    lunar_to_solar(&ld, &tet) == -1)
		return -1;
	ld.month = 3;
	ld.day = 10;
	if (lunar_to_solar(&ld, &hung) == -1)
		return -1;

	holiday_add(out, n, plan_day_from_ymd(year, 1, 1), HOLIDAY_NEW_YEAR,
	    -1);
	for (last = tet + 4; holiday_weekend(last); last--)
		;
	for (day = last, k = 0; k < 5; day--) {
		if (!holiday_weekend(day)) {
			holiday_add(out, n, day, HOLIDAY_TET, -1);
			k++;
		}
	}
	holiday_add(out, n, hung, HOLIDAY_HUNG_KINGS, -1);
	holiday_add(out, n, plan_day_from_ymd(year, 4, 30), HOLIDAY_VICTORY,
	    -1);
	holiday_add(out, n, plan_day_from_ymd(year, 5, 1), HOLIDAY_LABOUR, -1);
	day = plan_day_from_ymd(year, 9, 2);
	wd = plan_weekday(day);
	holiday_add(out, n, day + (wd == 1 || wd == 4 ? 1 : -1),
	    HOLIDAY_NATIONAL, -1);
	holiday_add(out, n, day, HOLIDAY_NATIONAL, -1);
	qsort(out, *n, sizeof(*out), holiday_cmp);

	/* Days in lieu, in day order: the next working day still free. */
	nlaw = *n;
	for (i = 0; i < nlaw; i++) {
		if (!holiday_weekend(out[i].day))
			continue;
		for (day = out[i].day + 1; holiday_weekend(day) ||
		    holiday_taken(out, *n, day); day++)
			;
		holiday_add(out, n, day, out[i].kind, out[i].day);
	}
	qsort(out, *n, sizeof(*out), holiday_cmp);
	return 0;
}
