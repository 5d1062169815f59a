/* Vietnam's statutory days off for civil servants in a year, with the days in lieu. */
#ifndef NV_HOLIDAY_H
#define NV_HOLIDAY_H

#include <stddef.h>

#include "plan.h"

/* The years it knows: the Labour Code 2019 applies from 2021. */
#define HOLIDAY_YEAR_FIRST	2021
#define HOLIDAY_YEAR_LAST	2100
/* Days in a year at most: 11 holidays, 6 of which may need a day in lieu. */
#define HOLIDAY_DAYS_MAX	17

/* The holidays of the Labour Code 2019, art. 112(1). */
enum holiday_kind {
	HOLIDAY_NEW_YEAR,	/* Tết Dương lịch, 1/1 */
	HOLIDAY_TET,		/* Tết Âm lịch, five days */
	HOLIDAY_HUNG_KINGS,	/* Giỗ Tổ Hùng Vương, 10/3 of the lunar year */
	HOLIDAY_VICTORY,	/* Ngày Chiến thắng, 30/4 */
	HOLIDAY_LABOUR,		/* Ngày Quốc tế Lao động, 1/5 */
	HOLIDAY_NATIONAL,	/* Quốc khánh, 2/9 and a day next to it */
};

struct holiday {
	plan_day		day;
	enum holiday_kind	kind;
	plan_day		in_lieu_of;	/* the holiday on a weekend this
						   day makes up for, or -1 */
};

/*
 * The days off of year (HOLIDAY_YEAR_FIRST..LAST) for a Monday-to-Friday
 * week, in day order, into out (HOLIDAY_DAYS_MAX of them). -1 for another
 * year. The law leaves two choices to the Prime Minister each year; these
 * are the rules used, which gave the days the government set for
 * 2020-2026 (see holiday.c):
 * - Tết: the five working days that end on the last working day on or
 *   before the 5th day of the lunar year (mùng 5 Tết);
 * - National Day: 2/9 and 1/9, or 2/9 and 3/9 when 2/9 is a Monday or a
 *   Thursday.
 * A holiday on a Saturday or Sunday gives a day in lieu on the next working
 * day that is not already off (art. 111(3)).
 */
int		 holiday_year(int year, struct holiday *out, size_t *n);
/* "Tết Dương lịch", "Giỗ Tổ Hùng Vương", ... */
const char	*holiday_name(enum holiday_kind);
/* 1 for Saturday and Sunday, the civil servants' weekly days off. */
int		 holiday_weekend(plan_day);

#endif
