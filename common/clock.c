/* The time everything sees: the real clock, or a virtual one for demos and tests. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "clock.h"

static int	clock_virtual;
static int64_t	clock_start_ms;		/* virtual now at clock_mono_ms */
static int64_t	clock_mono_ms;
static int64_t	clock_real_ms;		/* the real clock at clock_mono_ms */
static double	clock_rate = 1.0;

static int64_t
clock_monotonic_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_now_ms(void)
{
	struct timespec	ts;

	if (clock_virtual)
		return clock_start_ms +
		    (int64_t)((double)(clock_monotonic_ms() - clock_mono_ms) *
		    clock_rate);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
clock_set_virtual(int64_t start_ms, double rate)
{
	struct timespec	ts;

	clock_virtual = 1;
	clock_start_ms = start_ms;
	clock_mono_ms = clock_monotonic_ms();
	clock_rate = rate > 0 ? rate : 1.0;
	clock_gettime(CLOCK_REALTIME, &ts);
	clock_real_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
clock_virtual_origin(int64_t *start_ms, int64_t *real_ms, double *rate)
{
	if (!clock_virtual)
		return -1;
	*start_ms = clock_start_ms;
	*real_ms = clock_real_ms;
	*rate = clock_rate;
	return 0;
}

int
clock_is_virtual(void)
{
	return clock_virtual;
}

int64_t
clock_real_delay_ms(int64_t virtual_ms)
{
	double	d;

	if (virtual_ms <= 0)
		return 0;
	if (!clock_virtual)
		return virtual_ms;
	d = (double)virtual_ms / clock_rate;
	return (int64_t)d + ((double)(int64_t)d < d);
}

int64_t
clock_late_after_ms(int64_t late_ms)
{
	double	slack;

	if (!clock_virtual || clock_rate <= 1)
		return late_ms;
	slack = 1000.0 * clock_rate;
	if (slack > (double)INT64_MAX / 2)
		return INT64_MAX / 2;
	return (int64_t)slack > late_ms ? (int64_t)slack : late_ms;
}

/* Read exactly n digits into *out. */
static int
clock_digits(const char **s, int n, int *out)
{
	int	v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (*(*s)++ - '0');
	}
	*out = v;
	return 0;
}

int
clock_parse_iso8601(const char *s, int64_t *ms, char *err, size_t len)
{
	const char	*p = s;
	int		 y, mo, d, h, mi, sec = 0, frac = 0, oh, om, sign, n;

	if (clock_digits(&p, 4, &y) || *p++ != '-' ||
	    clock_digits(&p, 2, &mo) || *p++ != '-' ||
	    clock_digits(&p, 2, &d) || (*p != 'T' && *p != ' '))
		goto bad;
	p++;
	if (clock_digits(&p, 2, &h) || *p++ != ':' || clock_digits(&p, 2, &mi))
		goto bad;
	if (*p == ':') {
		p++;
		if (clock_digits(&p, 2, &sec))
			goto bad;
		if (*p == '.') {
			p++;
			for (n = 0; isdigit((unsigned char)*p); p++, n++)
				if (n < 3)
					frac = frac * 10 + (*p - '0');
			if (n == 0)
				goto bad;
			for (; n < 3; n++)
				frac *= 10;
		}
	}
	if (mo < 1 || mo > 12 || d < 1 ||
	    d > civil_month_days(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		goto bad;
	if (*p == 'Z' && p[1] == '\0') {
		oh = om = 0;
		sign = 1;
	} else if ((*p == '+' || *p == '-') && p[1] != '\0') {
		sign = *p++ == '-' ? -1 : 1;
		if (clock_digits(&p, 2, &oh))
			goto bad;
		if (*p == ':')
			p++;
		if (clock_digits(&p, 2, &om) || *p != '\0' || oh > 14 ||
		    om > 59)
			goto bad;
	} else
		goto bad;
	*ms = ((civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	    sign * (oh * 3600 + om * 60)) * 1000 + frac;
	return 0;
bad:
	snprintf(err, len, "bad time '%s': use ISO 8601 with a zone, e.g. "
	    "2022-04-29T08:00:00+07:00", s);
	return -1;
}

void
clock_format_iso8601(int64_t ms, char *buf, size_t len)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;
	long		off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60,
	    labs(off) % 60);
}
