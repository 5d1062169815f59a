/* The Vietnamese lunar calendar (âm lịch): solar days to lunar dates and back, 1900 to 2100. */
#include <math.h>
#include <stdio.h>

#include "lunar.h"

/*
 * The method is the one published for the Vietnamese calendar, which
 * Vietnam has reckoned in UTC+7 since 1968 (Hồ Ngọc Đức, "Thuật toán tính
 * âm lịch"), written here anew:
 *
 * - A month begins on the local day (UTC+7, Hanoi) of a new moon. New
 *   moons come from the series of Jean Meeus, "Astronomical Formulae for
 *   Calculators" (phases of the moon, counted from the new moon of
 *   1900-01-01), with a correction from dynamical to universal time (ΔT);
 *   the sun's ecliptic longitude from Meeus, "Astronomical Algorithms"
 *   (2nd ed., 1998), ch. 25, at low accuracy (0.01°).
 * - Month 11 is the month that holds the winter solstice (longitude 270°).
 * - When 13 months lie between two months 11, the first month after the
 *   first of them during which the sun enters no new 30° sign (holds no
 *   major solar term, trung khí) is a leap month and repeats the number of
 *   the month before it.
 *
 * Counting in UTC+7 rather than China's UTC+8 is what makes Vietnam's Tết
 * differ from the Chinese new year in some years (1985, 2007, 2030).
 */

#define TZ_DAYS		(7.0 / 24)	/* UTC+7 */
#define JD_EPOCH	2440587.5	/* 1970-01-01T00:00Z as a Julian date */
#define SYNODIC		29.530588853	/* the mean lunar month, days */
#define NM_EPOCH	2415021.076998695	/* the mean new moon of 1900-01-01 */
#define DEG		(M_PI / 180)
#define MONTHS_MAX	13		/* months between two months 11 */

/* A periodic term of the new moon: coef * sin(m * M + mp * M' + f * F). */
struct nm_term {
	double	coef;
	double	coef_t;		/* added to coef per Julian century */
	int	m, mp, f;
};

/* Meeus's terms for a new moon (phase 0), in days. */
static const struct nm_term nm_terms[] = {
	{ 0.1734, -0.000393, 1, 0, 0 },
	{ 0.0021, 0, 2, 0, 0 },
	{ -0.4068, 0, 0, 1, 0 },
	{ 0.0161, 0, 0, 2, 0 },
	{ -0.0004, 0, 0, 3, 0 },
	{ 0.0104, 0, 0, 0, 2 },
	{ -0.0051, 0, 1, 1, 0 },
	{ -0.0074, 0, 1, -1, 0 },
	{ 0.0004, 0, 1, 0, 2 },
	{ -0.0004, 0, -1, 0, 2 },
	{ -0.0006, 0, 0, 1, 2 },
	{ 0.0010, 0, 0, -1, 2 },
	{ 0.0005, 0, 1, 2, 0 },
};

static const char *const can[] = {
	"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"
};
static const char *const chi[] = {
	"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu",
	"Tuất", "Hợi"
};

/* The months from one month 11 to the next: the year that ends with them. */
struct lunar_span {
	int		year;		/* its months 1..10 are of this year */
	int		n;		/* 12, or 13 with a leap month */
	int		leap;		/* the leap month's index, or -1 */
	plan_day	start[MONTHS_MAX + 1];	/* start[n]: the next month 11 */
};

/* The Julian date (UT) of new moon k, counted from the one of 1900-01-01. */
static double
lunar_new_moon(int k)
{
	double	t = k / 1236.85, t2 = t * t, t3 = t2 * t;
	double	jd, m, mp, f, c = 0, dt;
	size_t	i;

	jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 -
	    0.000000155 * t3 +
	    0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
	m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
	mp = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
	f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
	for (i = 0; i < sizeof(nm_terms) / sizeof(nm_terms[0]); i++)
		c += (nm_terms[i].coef + nm_terms[i].coef_t * t) *
		    sin((nm_terms[i].m * m + nm_terms[i].mp * mp +
		    nm_terms[i].f * f) * DEG);
	/* ΔT, dynamical less universal time, in days, as the method fits it. */
	dt = -0.000278 + 0.000265 * t + 0.000262 * t2;
	return jd + c - dt;
}

/* The local day of new moon k. */
static plan_day
lunar_new_moon_day(int k)
{
	return (plan_day)floor(lunar_new_moon(k) - JD_EPOCH + TZ_DAYS);
}

/* The sun's 30° sign (0: 0°..30°) at the local midnight that begins day. */
static int
lunar_sun_sign(plan_day day)
{
	double	jd = day + JD_EPOCH - TZ_DAYS;
	double	t = (jd - 2451545.0) / 36525, t2 = t * t;
	double	m, l;

	m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 -
	    0.00000048 * t * t2;
	l = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	l += (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(m * DEG) +
	    (0.019993 - 0.000101 * t) * sin(2 * m * DEG) +
	    0.000290 * sin(3 * m * DEG);
	l = fmod(l, 360);
	if (l < 0)
		l += 360;
	return (int)(l / 30);
}

/* The number of the mean new moon nearest day. */
static int
lunar_index(plan_day day)
{
	return (int)floor((day + JD_EPOCH + 0.5 - NM_EPOCH) / SYNODIC + 0.5);
}

/*
 * The first day of month 11 of year y: of the new moons, the last before
 * the end of December unless the sun has passed 270° (the solstice) by
 * its day; then the one before.
 */
static plan_day
lunar_month11(int y)
{
	plan_day	dec31 = plan_day_from_ymd(y, 12, 31), nm;
	int		k;

	/* Counted, as the method does, from the Julian day number 2415021. */
	k = (int)floor((dec31 + JD_EPOCH + 0.5 - 2415021) / SYNODIC);
	nm = lunar_new_moon_day(k);
	if (lunar_sun_sign(nm) >= 9)
		nm = lunar_new_moon_day(k - 1);
	return nm;
}

/* The months from month 11 of year y - 1 to month 11 of year y. */
static void
lunar_span_of(int y, struct lunar_span *s)
{
	plan_day	a11 = lunar_month11(y - 1), b11 = lunar_month11(y);
	int		k = lunar_index(a11), i;

	s->year = y;
	s->n = b11 - a11 > 365 ? 13 : 12;
	s->leap = -1;
	for (i = 0; i < s->n; i++)
		s->start[i] = lunar_new_moon_day(k + i);
	s->start[s->n] = b11;
	if (s->n == 12)
		return;
	/* The first month with no major term: the sun's sign stays. */
	for (i = 1; i < s->n && s->leap < 0; i++) {
		if (lunar_sun_sign(s->start[i]) ==
		    lunar_sun_sign(s->start[i + 1]))
			s->leap = i;
	}
}

/* The number, leap flag and year of month i of a span. */
static void
lunar_label(const struct lunar_span *s, int i, struct lunar_date *ld)
{
	int	n = i;

	ld->leap = i == s->leap;
	if (s->leap >= 0 && i >= s->leap)
		n--;
	ld->month = (n + 10) % 12 + 1;
	ld->year = ld->month >= 11 ? s->year - 1 : s->year;
}

/* The first and last solar day the module covers. */
static plan_day
lunar_first(void)
{
	return plan_day_from_ymd(LUNAR_YEAR_FIRST, 1, 1);
}

static plan_day
lunar_last(void)
{
	return plan_day_from_ymd(LUNAR_YEAR_LAST, 12, 31);
}

int
lunar_from_solar(plan_day day, struct lunar_date *ld)
{
	struct lunar_span	s;
	int			y, m, d, i;

	if (day < lunar_first() || day > lunar_last())
		return -1;
	plan_day_to_ymd(day, &y, &m, &d);
	lunar_span_of(day >= lunar_month11(y) ? y + 1 : y, &s);
	for (i = s.n - 1; i > 0 && s.start[i] > day; i--)
		;
	lunar_label(&s, i, ld);
	ld->day = day - s.start[i] + 1;
	return 0;
}

/* The span and index of a lunar month; -1 when the year has none. */
static int
lunar_find(int year, int month, int leap, struct lunar_span *s)
{
	struct lunar_date	ld;
	int			i;

	if (year < LUNAR_YEAR_FIRST - 1 || year > LUNAR_YEAR_LAST ||
	    month < 1 || month > 12)
		return -1;
	lunar_span_of(month >= 11 ? year + 1 : year, s);
	for (i = 0; i < s->n; i++) {
		lunar_label(s, i, &ld);
		if (ld.month == month && ld.leap == (leap != 0))
			return i;
	}
	return -1;
}

int
lunar_to_solar(const struct lunar_date *ld, plan_day *out)
{
	struct lunar_span	s;
	plan_day		day;
	int			i;

	if ((i = lunar_find(ld->year, ld->month, ld->leap, &s)) < 0 ||
	    ld->day < 1 || ld->day > s.start[i + 1] - s.start[i])
		return -1;
	day = s.start[i] + ld->day - 1;
	if (day < lunar_first() || day > lunar_last())
		return -1;
	*out = day;
	return 0;
}

int
lunar_month_days(int year, int month, int leap)
{
	struct lunar_span	s;
	int			i;

	if ((i = lunar_find(year, month, leap, &s)) < 0)
		return 0;
	return s.start[i + 1] - s.start[i];
}

const char *
lunar_year_name(int year, char *buf, size_t len)
{
	/* 1984 was Giáp Tý, the first of the sixty. */
	int	k = ((year - 1984) % 60 + 60) % 60;

	snprintf(buf, len, "%s %s", can[k % 10], chi[k % 12]);
	return buf;
}
