/* Dates of the proleptic Gregorian calendar as days since 1970-01-01, and the integer arithmetic they need. */
#ifndef NV_CIVIL_H
#define NV_CIVIL_H

#include <stdint.h>

/* Days since 1970-01-01 of y-m-d (m 1..12; d may run past the month). */
int64_t	civil_days(int y, int m, int d);
/* The date of a day since 1970-01-01. */
void	civil_from_days(int64_t day, int *y, int *m, int *d);
int	civil_leap(int y);
/* 28..31 for m in 1..12. */
int	civil_month_days(int y, int m);
/* 0 Sunday .. 6 Saturday. */
int	civil_weekday(int64_t day);
/* floor(a / b) for b > 0, also for a < 0 (an instant before 1970). */
int64_t	civil_floordiv(int64_t a, int64_t b);

#endif
