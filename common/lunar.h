/* The Vietnamese lunar calendar (âm lịch): solar days to lunar dates and back, 1900 to 2100. */
#ifndef NV_LUNAR_H
#define NV_LUNAR_H

#include <stddef.h>

#include "plan.h"

/* The solar days every function here takes or gives: 1900-01-01..2100-12-31. */
#define LUNAR_YEAR_FIRST	1900
#define LUNAR_YEAR_LAST		2100

struct lunar_date {
	int	year;	/* Tết (1/1) of lunar year Y falls in solar year Y */
	int	month;	/* 1..12 */
	int	leap;	/* 1: the leap month that repeats month (tháng nhuận) */
	int	day;	/* 1..30 */
};

/* The lunar date of a solar day; -1 outside the years above. */
int	lunar_from_solar(plan_day, struct lunar_date *);
/*
 * The solar day of a lunar date; -1 when there is no such day (a leap
 * month the year lacks, day 30 of a 29-day month) or it falls outside the
 * years above.
 */
int	lunar_to_solar(const struct lunar_date *, plan_day *);
/* The days of a lunar month, 29 or 30; 0 when the year has no such month. */
int	lunar_month_days(int year, int month, int leap);
/* The sexagenary name of a lunar year, "Quý Mão" for 2023, into buf. */
const char *lunar_year_name(int year, char *buf, size_t len);

#endif
