/* Unit tests for common/schedule.c: occurrences, specs, shifts, deferrals, zones, ids, checks, preview. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "config.h"
#include "parse.h"
#include "plan.h"
#include "schedule.h"
#include "xmalloc.h"

#define MSGS_MAX	10
#define TPL_ALLOWED	"(allowed: title, task, due, due_text, agency, head, " \
			"lead, partners, window, note, fire_at, contact, " \
			"window_name, window_start, window_end, windows, " \
			"overdue, role, lead_role, partner_role, plan, " \
			"plan_number, plan_date, plan_issuer, plan_title, code, " \
			"confirm_url, escalation)"

/*
 * The calendars. 2022 facts used below: 01-01 and 01-08 are Saturdays,
 * 04-29 a Friday, 04-30 a Saturday, 05-01 a Sunday; 04-11 is a Monday.
 */
#define CAL_HCM								\
	"[calendar]\n"							\
	"timezone = Asia/Ho_Chi_Minh\n"					\
	"workdays = mon-fri\n"						\
	"holidays = 2022-04-11, 2022-05-02..2022-05-03\n"		\
	"extra_workdays = 2022-01-08\n"
/* Every day works, so that the zone alone decides. */
#define CAL_BERLIN							\
	"[calendar]\n"							\
	"timezone = Europe/Berlin\n"					\
	"workdays = mon-sun\n"
#define CAL_NEW_YORK							\
	"[calendar]\n"							\
	"timezone = America/New_York\n"					\
	"workdays = mon-sun\n"

/* Windows, agencies and a group that every test shares. */
static const char base_conf[] =
	"[window trua]\n"
	"start = 11:00\n"
	"end   = 11:30\n"
	"[window chieu]\n"
	"start = 16:45\n"
	"end   = 18:30\n"
	"[window sang]\n"
	"start = 06:00\n"
	"end   = 06:30\n"
	"[agency dai-truyen-thanh]\n"
	"name  = Đài Truyền thanh huyện\n"
	"zalo  = 5218391034920148231\n"
	"email = dtt@example.gov.vn\n"
	"[agency noi-vu]\n"
	"name  = Phòng Nội vụ\n"
	"zalo  = 1111\n"
	"[agency van-hoa]\n"
	"name  = Phòng Văn hóa và Thông tin\n"
	"email = vh@example.gov.vn\n"
	"[agency ubnd-a]\n"
	"name  = UBND xã A\n"
	"[group phong-ban]\n"
	"members = noi-vu, van-hoa, dai-truyen-thanh\n";

/* The main config's channels, as config_load would give them. */
static struct config_channel test_channels[] = {
	{ .name = (char *)"zalo", .type = CHANNEL_ZALO,
	    .contact = (char *)"zalo" },
	{ .name = (char *)"email", .type = CHANNEL_WEBHOOK,
	    .contact = (char *)"email" },
	{ .name = (char *)"zns", .type = CHANNEL_ZALO,
	    .contact = (char *)"phone" },
	{ .name = (char *)"console", .type = CHANNEL_CONSOLE },
};

/* A main config with those channels and [delivery] hours (default 07:00-21:00). */
static void
test_config(struct config *c, const char *hours)
{
	char	err[128];

	memset(c, 0, sizeof(*c));
	c->path = (char *)"/etc/nhacviec/nhacviec.conf";
	c->channels = test_channels;
	c->nchannels = nitems(test_channels);
	if (parse_hours(hours ? hours : "07:00-21:00", &c->hours_start,
	    &c->hours_end, err, sizeof(err)) != 0)
		fail_msg("bad hours in the test: %s", err);
}

/* Prints what the loader said, for a failing case. */
static void
dump(const char *name, const struct diag *d)
{
	size_t	i;

	print_error("case '%s' got %zu message(s):\n", name, d->n);
	for (i = 0; i < d->n; i++)
		print_error("  %s\n", d->msgs[i]);
}

/* Loads calendar.conf (cal), base.conf and tasks.conf; must load cleanly. */
static struct plan *
load(const char *name, const char *cal, const char *tasks)
{
	const char *const	names[] = { "calendar.conf", "base.conf",
	    "tasks.conf" };
	const char *const	texts[] = { cal, base_conf, tasks };
	struct plan		*p;
	struct diag		 d;

	diag_init(&d);
	p = plan_load_texts(names, texts, tasks ? 3 : 2, &d);
	if (p == NULL || d.nerrors > 0) {
		dump(name, &d);
		fail_msg("case '%s': the plan does not load", name);
	}
	diag_clear(&d);
	return p;
}

/* Appends src to the string in dst, which must have room. */
static void
cat(char *dst, const char *src, size_t size)
{
	size_t	n = strlen(dst);

	if (n + strlen(src) >= size)
		fail_msg("test buffer too small");
	memcpy(dst + n, src, strlen(src) + 1);
}

static plan_day
day(const char *s)
{
	plan_day	v = 0;

	if (plan_parse_day(s, &v) != 0)
		fail_msg("bad day in the test: %s", s);
	return v;
}

/* Epoch ms of an ISO 8601 time with its offset, parsed by clock.c. */
static int64_t
iso(const char *s)
{
	int64_t	ms;
	char	err[128];

	if (clock_parse_iso8601(s, &ms, err, sizeof(err)) != 0)
		fail_msg("bad time in the test: %s: %s", s, err);
	return ms;
}

/*
 * Occurrences: every date form, as "DAY" or "START..END" joined by spaces.
 * The last Saturdays of 2022 from a calendar: Jan 31 is a Monday, so Jan
 * 29; Feb 28 Mon, Feb 26; Mar 31 Thu, Mar 26; Apr 30 Sat; May 31 Tue, May
 * 28; Jun 30 Thu, Jun 25; Jul 31 Sun, Jul 30; Aug 31 Wed, Aug 27; Sep 30
 * Fri, Sep 24; Oct 31 Mon, Oct 29; Nov 30 Wed, Nov 26; Dec 31 Sat.
 */
static const struct {
	const char	*name;
	const char	*when;
	const char	*from, *to;
	const char	*want;
} occ_cases[] = {
	{ "rule: the last Saturdays of 2022",
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n", "2022-01-01", "2022-12-31",
	    "2022-01-29 2022-02-26 2022-03-26 2022-04-30 2022-05-28 "
	    "2022-06-25 2022-07-30 2022-08-27 2022-09-24 2022-10-29 "
	    "2022-11-26 2022-12-31" },
	{ "rule: the range cuts both ends",
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n", "2022-03-27", "2022-05-28",
	    "2022-04-30 2022-05-28" },
	{ "rule: until is the last day, inclusive",
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n"
	    "until = 2022-04-30\n", "2022-01-01", "2022-12-31",
	    "2022-01-29 2022-02-26 2022-03-26 2022-04-30" },
	{ "rule: until the day before the last Saturday",
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n"
	    "until = 2022-04-29\n", "2022-01-01", "2022-12-31",
	    "2022-01-29 2022-02-26 2022-03-26" },
	/* Jan 2023 ends on a Tuesday (28th), Feb 2023 on a Tuesday (25th). */
	{ "rule: without until, into the next year",
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n",
	    "2022-11-01", "2023-02-28",
	    "2022-11-26 2022-12-31 2023-01-28 2023-02-25" },
	/* libical 3.0.16 loops for ever on this with a DATE DTSTART. */
	{ "rule: Mondays from a Saturday start",
	    "rule = FREQ=WEEKLY;BYDAY=MO\nstart = 2022-01-01\n",
	    "2022-01-01", "2022-01-31",
	    "2022-01-03 2022-01-10 2022-01-17 2022-01-24 2022-01-31" },
	{ "rule: COUNT counts from start, not from the range",
	    "rule = FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3\nstart = 2022-01-01\n",
	    "2022-02-01", "2022-12-31", "2022-02-15 2022-03-15" },
	{ "rule: nothing before start",
	    "rule = FREQ=DAILY\nstart = 2022-05-01\n", "2022-04-01",
	    "2022-04-30", "" },
	{ "date", "date = 2022-04-30\n", "2022-01-01", "2022-12-31",
	    "2022-04-30" },
	{ "date outside the range", "date = 2022-04-30\n", "2022-05-01",
	    "2022-12-31", "" },
	{ "dates, sorted", "dates = 2022-09-15, 2022-03-15\n", "2022-01-01",
	    "2022-12-31", "2022-03-15 2022-09-15" },
	{ "dates, one in range", "dates = 2022-09-15, 2022-03-15\n",
	    "2022-04-01", "2022-12-31", "2022-09-15" },
	{ "month: April", "month = 2022-04\n", "2022-01-01", "2022-12-31",
	    "2022-04-01..2022-04-30" },
	{ "month: February 2022", "month = 2022-02\n", "2022-01-01",
	    "2022-12-31", "2022-02-01..2022-02-28" },
	{ "month: February of a leap year", "month = 2024-02\n",
	    "2024-01-01", "2024-12-31", "2024-02-01..2024-02-29" },
	{ "month: December", "month = 2022-12\n", "2022-01-01",
	    "2022-12-31", "2022-12-01..2022-12-31" },
	{ "month: the range touches its last day", "month = 2022-04\n",
	    "2022-04-30", "2022-05-05", "2022-04-01..2022-04-30" },
	{ "month: the range touches its first day", "month = 2022-04\n",
	    "2022-03-01", "2022-04-01", "2022-04-01..2022-04-30" },
	{ "month: outside the range", "month = 2022-04\n", "2022-05-01",
	    "2022-05-31", "" },
	{ "quarter: Q1", "quarter = 2022-Q1\n", "2022-01-01", "2022-12-31",
	    "2022-01-01..2022-03-31" },
	{ "quarter: Q2", "quarter = 2022-Q2\n", "2022-01-01", "2022-12-31",
	    "2022-04-01..2022-06-30" },
	{ "quarter: Q3", "quarter = 2022-Q3\n", "2022-01-01", "2022-12-31",
	    "2022-07-01..2022-09-30" },
	{ "quarter: Q4", "quarter = 2022-Q4\n", "2022-01-01", "2022-12-31",
	    "2022-10-01..2022-12-31" },

	/* Lunar dates (tests/unit/test_lunar.c holds the calendar itself). */
	{ "lunar: Giỗ Tổ Hùng Vương, nine years", "lunar = 10/3\n",
	    "2022-01-01", "2030-12-31",
	    "2022-04-10 2023-04-29 2024-04-18 2025-04-07 2026-04-26 "
	    "2027-04-16 2028-04-04 2029-04-23 2030-04-12" },
	{ "lunar: Tết within start and until",
	    "lunar = 1/1\nstart = 2023-01-23\nuntil = 2026-02-17\n",
	    "2020-01-01", "2030-12-31", "2024-02-10 2025-01-29 2026-02-17" },
	{ "lunar: the range cuts both ends", "lunar = 10/3\n", "2024-04-19",
	    "2025-04-07", "2025-04-07" },
	/* The leap 4th month of 2020 began on 2020-05-23. */
	{ "lunar: the regular month of a leap year", "lunar = 15/4\n",
	    "2020-01-01", "2020-12-31", "2020-05-07" },
	/* Months 11 and 12 of 2022 run into January 2023. */
	{ "lunar: the 12th month in the next solar year", "lunar = 15/12\n",
	    "2023-01-01", "2023-12-31", "2023-01-06" },
	/* The 12th month had 29 days in 2021, 2024 and 2025. */
	{ "lunar: 30 Tết is the year's last day", "lunar = 30/12\n",
	    "2022-01-01", "2026-12-31",
	    "2022-01-31 2023-01-21 2024-02-09 2025-01-28 2026-02-16" },
	{ "lunar: nothing after 2100", "lunar = 1/1\n", "2100-01-01",
	    "2200-12-31", "2100-02-09" },
};

static void
test_occurrences(void **state)
{
	struct occurrence	*o;
	struct plan		*p;
	char			 text[512], got[512], one[32], err[256];
	size_t			 i, j, n;

	(void)state;
	for (i = 0; i < nitems(occ_cases); i++) {
		snprintf(text, sizeof(text), "[task t]\nlead = noi-vu\n%s"
		    "remind = end@08:00\nchannels = zalo\n", occ_cases[i].when);
		p = load(occ_cases[i].name, CAL_HCM, text);
		if (schedule_occurrences(&p->tasks[0], day(occ_cases[i].from),
		    day(occ_cases[i].to), &o, &n, err, sizeof(err)) != 0)
			fail_msg("case '%s': %s", occ_cases[i].name, err);
		got[0] = '\0';
		for (j = 0; j < n; j++) {
			schedule_due_text(&o[j], one, sizeof(one));
			if (j > 0)
				cat(got, " ", sizeof(got));
			cat(got, one, sizeof(got));
		}
		if (strcmp(got, occ_cases[i].want) != 0)
			fail_msg("case '%s': got '%s', want '%s'",
			    occ_cases[i].name, got, occ_cases[i].want);
		free(o);
		plan_free(p);
	}
}

/*
 * One task, one spec (to the lead, dai-truyen-thanh), one channel: when it
 * fires. Instants worked out by hand from the calendars above; Vietnam is
 * UTC+7 all year; Berlin changed to +02:00 at 2022-03-27 02:00 (01:00Z)
 * and back to +01:00 at 2022-10-30 03:00 (01:00Z); New York to -04:00 at
 * 2022-03-13 02:00 (07:00Z).
 */
static const struct {
	const char	*name;
	const char	*cal;		/* NULL: CAL_HCM */
	const char	*hours;		/* NULL: 07:00-21:00 */
	const char	*when;
	const char	*spec;
	const char	*fire;		/* in the zone's offset */
	int		 shifted, deferred;
} fire_cases[] = {
	/* 1651194000: 2022-04-29T01:00:00Z. */
	{ "end-1d@08:00, a Friday", NULL, NULL, "date = 2022-04-30",
	    "end-1d@08:00", "2022-04-29T08:00:00+07:00", 0, 0 },
	{ "end-3d@08:00, a Wednesday", NULL, NULL, "date = 2022-04-30",
	    "end-3d@08:00", "2022-04-27T08:00:00+07:00", 0, 0 },
	{ "end+0d is end", NULL, NULL, "date = 2022-04-29", "end+0d@08:00",
	    "2022-04-29T08:00:00+07:00", 0, 0 },
	{ "start of a month, a Friday", NULL, NULL, "month = 2022-04",
	    "start@08:00", "2022-04-01T08:00:00+07:00", 0, 0 },
	{ "end+1d of a day", NULL, NULL, "date = 2022-04-27",
	    "end+1d@09:30", "2022-04-28T09:30:00+07:00", 0, 0 },
	{ "start-1d of a rule instance", NULL, NULL,
	    "rule = FREQ=MONTHLY;BYMONTHDAY=15;COUNT=1\nstart = 2022-06-01",
	    "start-1d@08:00", "2022-06-14T08:00:00+07:00", 0, 0 },
	/* Jun 30 2022 is a Thursday: less 7 days, Thursday the 23rd. */
	{ "end-7d of a quarter", NULL, NULL, "quarter = 2022-Q2",
	    "end-7d@07:30", "2022-06-23T07:30:00+07:00", 0, 0 },
	{ "start of Q3, a Friday", NULL, NULL, "quarter = 2022-Q3",
	    "start@08:00", "2022-07-01T08:00:00+07:00", 0, 0 },

	/* Tết 2022 was Tuesday 1 February; Hùng Kings Sunday 10 April. */
	{ "lunar: 15 days before Tết", NULL, NULL,
	    "lunar = 1/1\nstart = 2022-01-01\nuntil = 2022-12-31",
	    "start-15d@08:00", "2022-01-17T08:00:00+07:00", 0, 0 },
	{ "lunar: Hùng Kings on a Sunday moves to Friday", NULL, NULL,
	    "lunar = 10/3\nstart = 2022-01-01\nuntil = 2022-12-31",
	    "end@08:00", "2022-04-08T08:00:00+07:00", 1, 0 },
	{ "lunar: a window on Hùng Kings day stays", NULL, NULL,
	    "lunar = 10/3\nstart = 2022-01-01\nuntil = 2022-12-31",
	    "end@trua-30m", "2022-04-10T10:30:00+07:00", 0, 0 },

	/* The working-day shift. */
	{ "Saturday moves to Friday", NULL, NULL, "date = 2022-04-30",
	    "end@08:00", "2022-04-29T08:00:00+07:00", 1, 0 },
	{ "Sunday moves to Friday", NULL, NULL, "date = 2022-05-01",
	    "end@08:00", "2022-04-29T08:00:00+07:00", 1, 0 },
	{ "end of a month on a Saturday", NULL, NULL, "month = 2022-04",
	    "end@14:00", "2022-04-29T14:00:00+07:00", 1, 0 },
	{ "end of Q4 on a Saturday", NULL, NULL, "quarter = 2022-Q4",
	    "end@08:00", "2022-12-30T08:00:00+07:00", 1, 0 },
	/* Apr 11 (Mon) is a holiday, Apr 10 a Sunday, Apr 9 a Saturday. */
	{ "holiday Monday to Friday", NULL, NULL, "date = 2022-04-11",
	    "end@08:00", "2022-04-08T08:00:00+07:00", 1, 0 },
	/* May 3 and 2 holidays, May 1 Sunday, Apr 30 Saturday. */
	{ "holidays and a weekend", NULL, NULL, "month = 2022-05",
	    "start+2d@09:15", "2022-04-29T09:15:00+07:00", 1, 0 },
	{ "extra working Saturday stays", NULL, NULL, "date = 2022-01-08",
	    "end@08:00", "2022-01-08T08:00:00+07:00", 0, 0 },
	{ "Sunday after it moves to it", NULL, NULL, "date = 2022-01-09",
	    "end@08:00", "2022-01-08T08:00:00+07:00", 1, 0 },
	{ "an ordinary Saturday still moves", NULL, NULL,
	    "date = 2022-01-15", "end@08:00", "2022-01-14T08:00:00+07:00",
	    1, 0 },

	/* Window-anchored: the window's start that day plus the offset. */
	{ "window-30m on a Saturday, not moved", NULL, NULL,
	    "date = 2022-04-30", "end@trua-30m",
	    "2022-04-30T10:30:00+07:00", 0, 0 },
	{ "bare window on a Saturday", NULL, NULL, "date = 2022-04-30",
	    "end@chieu", "2022-04-30T16:45:00+07:00", 0, 0 },
	{ "window+15m on a holiday, not moved", NULL, NULL,
	    "date = 2022-04-30", "end+2d@chieu+15m",
	    "2022-05-02T17:00:00+07:00", 0, 0 },
	{ "window-1h30m", NULL, NULL, "date = 2022-04-29",
	    "end@chieu-1h30m", "2022-04-29T15:15:00+07:00", 0, 0 },
	{ "window-1d: the day before at the window's time", NULL, NULL,
	    "date = 2022-04-30", "end@trua-1d",
	    "2022-04-29T11:00:00+07:00", 0, 0 },
	{ "window+2h on a Sunday", NULL, NULL, "month = 2022-05",
	    "start@trua+2h", "2022-05-01T13:00:00+07:00", 0, 0 },
	{ "window outside hours, not deferred", NULL, NULL,
	    "date = 2022-04-30", "end@sang-30m",
	    "2022-04-30T05:30:00+07:00", 0, 0 },

	/* [delivery] hours. */
	{ "before opening: that day's opening", NULL, NULL,
	    "date = 2022-04-29", "end@06:00", "2022-04-29T07:00:00+07:00",
	    0, 1 },
	{ "at opening: as it is", NULL, NULL, "date = 2022-04-29",
	    "end@07:00", "2022-04-29T07:00:00+07:00", 0, 0 },
	{ "a minute before closing: as it is", NULL, NULL,
	    "date = 2022-04-28", "end@20:59", "2022-04-28T20:59:00+07:00",
	    0, 0 },
	{ "at closing: the next day's opening", NULL, NULL,
	    "date = 2022-04-28", "end@21:00", "2022-04-29T07:00:00+07:00",
	    0, 1 },
	{ "after closing: the next day's opening", NULL, NULL,
	    "date = 2022-04-28", "end@21:30", "2022-04-29T07:00:00+07:00",
	    0, 1 },
	/* Saturday 22:00 moves to Friday 22:00, then waits for Saturday 07:00. */
	{ "shifted, then deferred", NULL, NULL, "date = 2022-04-30",
	    "end@22:00", "2022-04-30T07:00:00+07:00", 1, 1 },
	{ "shifted from Sunday, then deferred to Friday's opening", NULL,
	    NULL, "date = 2022-05-01", "end@05:00",
	    "2022-04-29T07:00:00+07:00", 1, 1 },
	{ "hours 00:00-24:00 defer nothing", NULL, "00:00-24:00",
	    "date = 2022-04-29", "end@23:30", "2022-04-29T23:30:00+07:00",
	    0, 0 },
	{ "hours 08:00-17:00", NULL, "08:00-17:00", "date = 2022-04-29",
	    "end@07:30", "2022-04-29T08:00:00+07:00", 0, 1 },
	{ "hours 08:00-17:00, after closing", NULL, "08:00-17:00",
	    "date = 2022-04-28", "end@17:00", "2022-04-29T08:00:00+07:00",
	    0, 1 },

	/* Daylight saving in Europe/Berlin. */
	{ "Berlin: winter, the day before", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-03-26", "end@08:00", "2022-03-26T08:00:00+01:00",
	    0, 0 },
	/* 1648341000: 2022-03-27T00:30:00Z. */
	{ "Berlin: 01:30 before the gap", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-03-27", "end@01:30", "2022-03-27T01:30:00+01:00",
	    0, 0 },
	/* 1648344600: 2022-03-27T01:30:00Z, an hour after 01:30 CET. */
	{ "Berlin: 02:30 in the gap moves forward", CAL_BERLIN,
	    "00:00-24:00", "date = 2022-03-27", "end@02:30",
	    "2022-03-27T03:30:00+02:00", 0, 0 },
	{ "Berlin: 03:30 after the gap", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-03-27", "end@03:30", "2022-03-27T03:30:00+02:00",
	    0, 0 },
	{ "Berlin: summer morning of the change", CAL_BERLIN,
	    "00:00-24:00", "date = 2022-03-27", "end@08:00",
	    "2022-03-27T08:00:00+02:00", 0, 0 },
	{ "Berlin: a window on the day of the change", CAL_BERLIN,
	    "00:00-24:00", "date = 2022-03-27", "end@trua-30m",
	    "2022-03-27T10:30:00+02:00", 0, 0 },
	/* A whole day of offset is a civil day: 11:00 the day before, CET. */
	{ "Berlin: window-1d across the change", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-03-27", "end@trua-1d", "2022-03-26T11:00:00+01:00",
	    0, 0 },
	{ "Berlin: in the gap, then deferred to opening", CAL_BERLIN, NULL,
	    "date = 2022-03-27", "end@02:30", "2022-03-27T07:00:00+02:00",
	    0, 1 },
	/* 1667087940: 2022-10-29T23:59:00Z. */
	{ "Berlin: 01:59 before the fall-back", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-10-30", "end@01:59", "2022-10-30T01:59:00+02:00",
	    0, 0 },
	/* 1667089800: 2022-10-30T00:30:00Z, the first of the two 02:30s. */
	{ "Berlin: ambiguous 02:30 takes summer time", CAL_BERLIN,
	    "00:00-24:00", "date = 2022-10-30", "end@02:30",
	    "2022-10-30T02:30:00+02:00", 0, 0 },
	/* 1667095200: 2022-10-30T02:00:00Z. */
	{ "Berlin: 03:00 after the fall-back", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-10-30", "end@03:00", "2022-10-30T03:00:00+01:00",
	    0, 0 },
	{ "Berlin: winter evening of the change", CAL_BERLIN, "00:00-24:00",
	    "date = 2022-10-30", "end@20:00", "2022-10-30T20:00:00+01:00",
	    0, 0 },
	/* West of UTC. 1647156600: 2022-03-13T07:30:00Z. */
	{ "New York: 02:30 in the gap moves forward", CAL_NEW_YORK,
	    "00:00-24:00", "date = 2022-03-13", "end@02:30",
	    "2022-03-13T03:30:00-04:00", 0, 0 },
	/* 1667712600: 2022-11-06T05:30:00Z, the first 01:30. */
	{ "New York: ambiguous 01:30 takes summer time", CAL_NEW_YORK,
	    "00:00-24:00", "date = 2022-11-06", "end@01:30",
	    "2022-11-06T01:30:00-04:00", 0, 0 },
};

static void
test_fire(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	char			 text[512], err[256], got[64];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(fire_cases); i++) {
		snprintf(text, sizeof(text), "[task t]\n"
		    "lead = dai-truyen-thanh\npartners = noi-vu\n%s\n"
		    "remind_lead = %s\nchannels = zalo\n", fire_cases[i].when,
		    fire_cases[i].spec);
		p = load(fire_cases[i].name, fire_cases[i].cal ?
		    fire_cases[i].cal : CAL_HCM, text);
		test_config(&c, fire_cases[i].hours);
		memset(&l, 0, sizeof(l));
		if (schedule_expand(p, &c, iso("2021-12-01T00:00:00Z"),
		    iso("2023-01-31T00:00:00Z"), &l, err, sizeof(err)) != 0)
			fail_msg("case '%s': %s", fire_cases[i].name, err);
		if (l.n != 1)
			fail_msg("case '%s': %zu reminders, want 1",
			    fire_cases[i].name, l.n);
		schedule_format_iso(p, l.v[0].fire_at, got, sizeof(got));
		if (l.v[0].fire_at != iso(fire_cases[i].fire) ||
		    strcmp(got, fire_cases[i].fire) != 0)
			fail_msg("case '%s': fires at %s (%lld), want %s",
			    fire_cases[i].name, got,
			    (long long)l.v[0].fire_at, fire_cases[i].fire);
		if (l.v[0].shifted != fire_cases[i].shifted ||
		    l.v[0].deferred != fire_cases[i].deferred)
			fail_msg("case '%s': shifted %d deferred %d, want "
			    "%d %d", fire_cases[i].name, l.v[0].shifted,
			    l.v[0].deferred, fire_cases[i].shifted,
			    fire_cases[i].deferred);
		if (!l.v[0].lead_only ||
		    strcmp(l.v[0].agency->id, "dai-truyen-thanh") != 0)
			fail_msg("case '%s': not the lead's", fire_cases[i].name);
		schedule_list_clear(&l);
		plan_free(p);
	}
}

/* Local civil time to instant and back, and the ISO text, per zone. */
static const struct {
	const char	*name;
	const char	*cal;
	const char	*day;
	int		 minutes;
	int64_t		 ms;		/* worked out by hand */
	const char	*iso;
} local_cases[] = {
	/* 2022-04-29T01:00:00Z */
	{ "Ho Chi Minh 08:00", CAL_HCM, "2022-04-29", 480,
	    1651194000000LL, "2022-04-29T08:00:00+07:00" },
	/* 2022-03-27T00:30:00Z */
	{ "Berlin 01:30 CET", CAL_BERLIN, "2022-03-27", 90,
	    1648341000000LL, "2022-03-27T01:30:00+01:00" },
	/* the gap: 02:30 does not exist; 01:30Z is 03:30 CEST */
	{ "Berlin 02:30 in the gap", CAL_BERLIN, "2022-03-27", 150,
	    1648344600000LL, "2022-03-27T03:30:00+02:00" },
	{ "Berlin 03:30 CEST", CAL_BERLIN, "2022-03-27", 210,
	    1648344600000LL, "2022-03-27T03:30:00+02:00" },
	/* ambiguous: 00:30Z (CEST) and 01:30Z (CET); the earlier */
	{ "Berlin 02:30 twice", CAL_BERLIN, "2022-10-30", 150,
	    1667089800000LL, "2022-10-30T02:30:00+02:00" },
	/* 2022-10-30T02:00:00Z */
	{ "Berlin 03:00 CET", CAL_BERLIN, "2022-10-30", 180,
	    1667095200000LL, "2022-10-30T03:00:00+01:00" },
	/* 2022-03-13T07:30:00Z */
	{ "New York 02:30 in the gap", CAL_NEW_YORK, "2022-03-13", 150,
	    1647156600000LL, "2022-03-13T03:30:00-04:00" },
};

static void
test_local(void **state)
{
	struct plan	*p;
	char		 got[64];
	size_t		 i;
	plan_day	 d;
	int		 min;

	(void)state;
	for (i = 0; i < nitems(local_cases); i++) {
		p = load(local_cases[i].name, local_cases[i].cal, NULL);
		if (schedule_local_ms(p, day(local_cases[i].day),
		    local_cases[i].minutes) != local_cases[i].ms)
			fail_msg("case '%s': %lld, want %lld",
			    local_cases[i].name, (long long)schedule_local_ms(p,
			    day(local_cases[i].day), local_cases[i].minutes),
			    (long long)local_cases[i].ms);
		schedule_format_iso(p, local_cases[i].ms, got, sizeof(got));
		if (strcmp(got, local_cases[i].iso) != 0)
			fail_msg("case '%s': '%s', want '%s'",
			    local_cases[i].name, got, local_cases[i].iso);
		d = schedule_day_of(p, local_cases[i].ms, &min);
		if (d != day(local_cases[i].day))
			fail_msg("case '%s': wrong day", local_cases[i].name);
		plan_free(p);
	}

	/* The second 02:30 of 2022-10-30 in Berlin, 01:30Z, reads as CET. */
	p = load("Berlin second 02:30", CAL_BERLIN, NULL);
	schedule_format_iso(p, 1667093400000LL, got, sizeof(got));
	assert_string_equal(got, "2022-10-30T02:30:00+01:00");
	d = schedule_day_of(p, 1667093400000LL, &min);
	assert_int_equal(d, day("2022-10-30"));
	assert_int_equal(min, 150);
	/* 23:30Z on 04-28 is already 06:30 on 04-29 in Vietnam. */
	plan_free(p);
	p = load("Vietnam day of", CAL_HCM, NULL);
	d = schedule_day_of(p, iso("2022-04-28T23:30:00Z"), &min);
	assert_int_equal(d, day("2022-04-29"));
	assert_int_equal(min, 390);
	plan_free(p);
}

/*
 * Recipients, channels and ids. The lead is also a partner, directly and
 * through phong-ban: one reminder each. noi-vu has no email, van-hoa no
 * zalo, ubnd-a nothing: skipped on those channels, but console (no
 * contact) reaches everyone. Sorted by time, task, agency, channel.
 */
static const char ids_tasks[] =
	"[task dan-hoi]\n"
	"lead = dai-truyen-thanh\n"
	"partners = phong-ban, dai-truyen-thanh, ubnd-a\n"
	"date = 2022-04-30\n"
	"remind = end-1d@08:00\n"
	"remind_lead = end@trua-30m\n"
	"channels = zalo, email, console\n"
	"[task chi-so]\n"
	"lead = noi-vu\n"
	"month = 2022-04\n"
	"remind = start@08:00\n"
	"channels = zalo, email\n";

static const struct {
	const char	*id;
	const char	*fire;
	const char	*contact;
	int		 lead_only;
} ids_want[] = {
	{ "chi-so/2022-04-30/start@08:00/noi-vu/zalo",
	    "2022-04-01T08:00:00+07:00", "1111", 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/console",
	    "2022-04-29T08:00:00+07:00", NULL, 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/email",
	    "2022-04-29T08:00:00+07:00", "dtt@example.gov.vn", 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/zalo",
	    "2022-04-29T08:00:00+07:00", "5218391034920148231", 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/noi-vu/console",
	    "2022-04-29T08:00:00+07:00", NULL, 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/noi-vu/zalo",
	    "2022-04-29T08:00:00+07:00", "1111", 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/ubnd-a/console",
	    "2022-04-29T08:00:00+07:00", NULL, 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/van-hoa/console",
	    "2022-04-29T08:00:00+07:00", NULL, 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/van-hoa/email",
	    "2022-04-29T08:00:00+07:00", "vh@example.gov.vn", 0 },
	{ "dan-hoi/2022-04-30/end@trua-30m/dai-truyen-thanh/console",
	    "2022-04-30T10:30:00+07:00", NULL, 1 },
	{ "dan-hoi/2022-04-30/end@trua-30m/dai-truyen-thanh/email",
	    "2022-04-30T10:30:00+07:00", "dtt@example.gov.vn", 1 },
	{ "dan-hoi/2022-04-30/end@trua-30m/dai-truyen-thanh/zalo",
	    "2022-04-30T10:30:00+07:00", "5218391034920148231", 1 },
};

static void
test_ids(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	char			 err[256];
	size_t			 i;

	(void)state;
	p = load("ids", CAL_HCM, ids_tasks);
	test_config(&c, NULL);
	memset(&l, 0, sizeof(l));
	assert_int_equal(schedule_expand(p, &c, iso("2022-04-01T00:00:00+07:00"),
	    iso("2022-04-30T23:59:59+07:00"), &l, err, sizeof(err)), 0);
	for (i = 0; i < l.n; i++)
		print_message("  %s\n", l.v[i].id);
	assert_int_equal(l.n, nitems(ids_want));
	for (i = 0; i < l.n; i++) {
		assert_string_equal(l.v[i].id, ids_want[i].id);
		assert_int_equal(l.v[i].fire_at, iso(ids_want[i].fire));
		if (ids_want[i].contact == NULL)
			assert_null(l.v[i].contact);
		else
			assert_string_equal(l.v[i].contact,
			    ids_want[i].contact);
		assert_int_equal(l.v[i].lead_only, ids_want[i].lead_only);
	}
	/* The occurrence and the parts the payload is built from. */
	assert_int_equal(l.v[0].occ.start, day("2022-04-01"));
	assert_int_equal(l.v[0].occ.end, day("2022-04-30"));
	assert_string_equal(l.v[0].task->id, "chi-so");
	assert_string_equal(l.v[0].spec->text, "start@08:00");
	assert_string_equal(l.v[0].channel->name, "zalo");
	schedule_list_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	plan_free(p);
}

/* A spec in both remind and remind_lead (plan_load refuses it; a hand edit). */
static void
test_dedup_spec(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	struct plan_spec	*s;
	char			 err[256];

	(void)state;
	p = load("dedup", CAL_HCM, "[task d]\nlead = dai-truyen-thanh\n"
	    "partners = noi-vu\ndate = 2022-04-29\nremind = end@08:00\n"
	    "remind_lead = end@09:00\nchannels = zalo\n");
	test_config(&c, NULL);
	memset(&l, 0, sizeof(l));
	assert_int_equal(schedule_expand(p, &c, iso("2022-04-29T00:00:00+07:00"),
	    iso("2022-04-29T23:59:59+07:00"), &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 3);	/* the edit below must matter */
	schedule_list_clear(&l);

	s = &p->tasks[0].remind_lead[0];
	free(s->text);
	s->text = strdup("end@08:00");
	s->minutes = 8 * 60;
	assert_int_equal(schedule_expand(p, &c, iso("2022-04-29T00:00:00+07:00"),
	    iso("2022-04-29T23:59:59+07:00"), &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].id,
	    "d/2022-04-29/end@08:00/dai-truyen-thanh/zalo");
	assert_int_equal(l.v[0].lead_only, 0);
	assert_string_equal(l.v[1].id, "d/2022-04-29/end@08:00/noi-vu/zalo");
	schedule_list_clear(&l);
	plan_free(p);
}

/*
 * The range holds the final fire time: a reminder whose day is past the
 * range but moves into it (over holidays) is in, one whose day is in the
 * range but moves out of it is not, and so for deferrals.
 */
static const char range_tasks[] =
	"[task hol]\n"			/* May 3 -> Fri Apr 29 */
	"lead = noi-vu\n"
	"date = 2022-05-03\n"
	"remind = end@08:00\n"
	"channels = zalo\n"
	"[task late]\n"			/* Thu Apr 28 21:30 -> Apr 29 07:00 */
	"lead = noi-vu\n"
	"date = 2022-04-28\n"
	"remind = end@21:30\n"
	"channels = zalo\n"
	"[task sat]\n"			/* Sat Apr 30 -> Fri Apr 29 */
	"lead = noi-vu\n"
	"date = 2022-04-30\n"
	"remind = end@08:00\n"
	"channels = zalo\n"
	"[task fri]\n"			/* Fri Apr 29 22:00 -> Apr 30 07:00 */
	"lead = noi-vu\n"
	"date = 2022-04-29\n"
	"remind = end@22:00\n"
	"channels = zalo\n";

static const struct {
	const char	*name;
	const char	*from, *to;
	const char	*want;		/* task ids in order */
} range_cases[] = {
	{ "Friday", "2022-04-29T00:00:00+07:00", "2022-04-29T23:59:59+07:00",
	    "late hol sat" },
	{ "Saturday", "2022-04-30T00:00:00+07:00",
	    "2022-04-30T23:59:59+07:00", "fri" },
	{ "Thursday", "2022-04-28T00:00:00+07:00",
	    "2022-04-28T23:59:59+07:00", "" },
	{ "both ends inclusive", "2022-04-29T07:00:00+07:00",
	    "2022-04-29T08:00:00+07:00", "late hol sat" },
	{ "from just after", "2022-04-29T07:00:00.001+07:00",
	    "2022-04-29T07:59:59.999+07:00", "" },
	{ "a week", "2022-04-25T00:00:00+07:00", "2022-05-03T23:59:59+07:00",
	    "late hol sat fri" },
};

static void
test_range(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	char			 err[256], got[256];
	size_t			 i, j;

	(void)state;
	p = load("range", CAL_HCM, range_tasks);
	test_config(&c, NULL);
	for (i = 0; i < nitems(range_cases); i++) {
		memset(&l, 0, sizeof(l));
		if (schedule_expand(p, &c, iso(range_cases[i].from),
		    iso(range_cases[i].to), &l, err, sizeof(err)) != 0)
			fail_msg("case '%s': %s", range_cases[i].name, err);
		got[0] = '\0';
		for (j = 0; j < l.n; j++) {
			if (j > 0)
				cat(got, " ", sizeof(got));
			cat(got, l.v[j].task->id, sizeof(got));
		}
		if (strcmp(got, range_cases[i].want) != 0)
			fail_msg("case '%s': got '%s', want '%s'",
			    range_cases[i].name, got, range_cases[i].want);
		schedule_list_clear(&l);
	}
	plan_free(p);
}

/* schedule_check: messages with the task's FILE:LINE. */
static const struct {
	const char	*name;
	const char	*tasks;
	size_t		 nerrors, nwarnings;
	const char	*msgs[MSGS_MAX];
} check_cases[] = {
	{ "all reachable", "[task ok]\nlead = dai-truyen-thanh\n"
	    "date = 2022-04-30\nremind = end-1d@08:00\n"
	    "channels = zalo, email, console\n", 0, 0, { NULL } },
	/* noi-vu, then phong-ban's van-hoa and dai-truyen-thanh, ubnd-a */
	{ "missing contacts",
	    "[task ok]\n"					/* 1 */
	    "lead = dai-truyen-thanh\n"
	    "date = 2022-04-30\n"
	    "remind = end-1d@08:00\n"
	    "channels = zalo\n"
	    "\n"
	    "[task dan-hoi]\n"					/* 7 */
	    "lead = noi-vu\n"
	    "partners = phong-ban, ubnd-a\n"
	    "date = 2022-04-30\n"
	    "remind = end-1d@08:00\n"
	    "channels = zalo, email, console, zns\n", 0, 8, {
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'van-hoa' has no "
	    "zalo for channel 'zalo'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'ubnd-a' has no "
	    "zalo for channel 'zalo'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'noi-vu' has no "
	    "email for channel 'email'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'ubnd-a' has no "
	    "email for channel 'email'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'noi-vu' has no "
	    "phone for channel 'zns'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'van-hoa' has no "
	    "phone for channel 'zns'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'dai-truyen-thanh' "
	    "has no phone for channel 'zns'",
	    "tasks.conf:7: warning: task 'dan-hoi': agency 'ubnd-a' has no "
	    "phone for channel 'zns'",
	    } },
	{ "remind_lead reaches the lead alone",
	    "[task b]\nlead = ubnd-a\npartners = noi-vu\ndate = 2022-04-30\n"
	    "remind_lead = end@trua\nchannels = email\n", 0, 1, {
	    "tasks.conf:1: warning: task 'b': agency 'ubnd-a' has no email "
	    "for channel 'email'" } },
	/* 11:00-5h is 06:00; 16:45+4h30m is 21:15; the sang window at 06:00. */
	{ "window reminders outside the hours",
	    "[task w]\nlead = dai-truyen-thanh\ndate = 2022-04-30\n"
	    "remind = end-1d@trua-5h, end@chieu+3h\n"
	    "remind_lead = end@chieu+4h30m, end@sang, end@trua\n"
	    "channels = zalo\n", 0, 3, {
	    "tasks.conf:1: warning: task 'w': reminder 'end-1d@trua-5h' fires "
	    "at 06:00, outside [delivery] hours 07:00-21:00 of "
	    "/etc/nhacviec/nhacviec.conf; a window reminder is sent at its "
	    "time all the same",
	    "tasks.conf:1: warning: task 'w': reminder 'end@chieu+4h30m' "
	    "fires at 21:15, outside [delivery] hours 07:00-21:00 of "
	    "/etc/nhacviec/nhacviec.conf; a window reminder is sent at its "
	    "time all the same",
	    "tasks.conf:1: warning: task 'w': reminder 'end@sang' fires at "
	    "06:00, outside [delivery] hours 07:00-21:00 of "
	    "/etc/nhacviec/nhacviec.conf; a window reminder is sent at its "
	    "time all the same" } },
	{ "unknown channel, near one",
	    "[task ok]\nlead = dai-truyen-thanh\ndate = 2022-04-30\n"
	    "remind = end@08:00\nchannels = zalo\n"
	    "[task c]\nlead = dai-truyen-thanh\ndate = 2022-04-30\n"
	    "remind = end@08:00\nchannels = zalo, emial\n", 1, 0, {
	    "tasks.conf:6: task 'c': no channel 'emial' in "
	    "/etc/nhacviec/nhacviec.conf; did you mean 'email'?" } },
	/* 2022-04-30 a Saturday, 04-11 a holiday, 01-08 a working Saturday. */
	{ "window reminders on days off",
	    "[task thang]\n"					/* 1 */
	    "lead = dai-truyen-thanh\n"
	    "month = 2022-04\n"
	    "remind_lead = end@trua-30m, end-1d@chieu, start+10d@trua\n"
	    "channels = console\n"
	    "[task thang-1]\n"					/* 6 */
	    "lead = dai-truyen-thanh\n"
	    "month = 2022-01\n"
	    "remind_lead = start+7d@trua\n"
	    "channels = console\n", 0, 2, {
	    "tasks.conf:1: warning: task 'thang': remind_lead 'end@trua-30m' "
	    "is sent on a day off: Sat 2022-04-30; a window reminder keeps "
	    "its air day (give it a day offset or an HH:MM time to send it "
	    "on a working day)",
	    "tasks.conf:1: warning: task 'thang': remind_lead "
	    "'start+10d@trua' is sent on a day off: Mon 2022-04-11 (a "
	    "holiday); a window reminder keeps its air day (give it a day "
	    "offset or an HH:MM time to send it on a working day)" } },
	/* The last Saturdays to June: Jan 29, Feb 26, Mar 26, Apr 30, May 28, Jun 25. */
	{ "the task's own weekend day is the plan's choice, a holiday is not",
	    "[task thu-bay]\n"					/* 1 */
	    "lead = dai-truyen-thanh\n"
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\n"
	    "start = 2022-01-01\n"
	    "until = 2022-06-30\n"
	    "remind = end@trua, end+1d@chieu\n"
	    "channels = console\n"
	    "[task le]\n"					/* 8 */
	    "lead = noi-vu\n"
	    "date = 2022-05-02\n"
	    "remind_lead = end@trua\n"
	    "channels = console\n", 0, 2, {
	    "tasks.conf:1: warning: task 'thu-bay': remind 'end+1d@chieu' is "
	    "sent on days off: Sun 2022-01-30, Sun 2022-02-27, Sun "
	    "2022-03-27, Sun 2022-05-01 and 2 more; a window reminder keeps "
	    "its air day (give it a day offset or an HH:MM time to send it "
	    "on a working day)",
	    "tasks.conf:8: warning: task 'le': remind_lead 'end@trua' is sent "
	    "on a day off: Mon 2022-05-02 (a holiday); a window reminder "
	    "keeps its air day (give it a day offset or an HH:MM time to "
	    "send it on a working day)" } },
	{ "an HH:MM reminder deferred past [delivery] hours onto a day off",
	    "[task muon]\nlead = noi-vu\ndate = 2022-04-29\n"
	    "remind = end@22:00, end@20:00\nchannels = console\n", 0, 1, {
	    "tasks.conf:1: warning: task 'muon': remind 'end@22:00' is sent "
	    "on a day off: Sat 2022-04-30; after [delivery] hours a reminder "
	    "waits for the next day's opening" } },
	{ "a note's placeholders, checked at the note's line",
	    "[task n]\n"					/* 1 */
	    "lead = noi-vu\n"
	    "date = 2022-04-29\n"
	    "note = Khung giờ {{windowss}}, {{#role}}{{/role}}{{window_start\n"
	    "remind = end@08:00\n"
	    "channels = console\n"
	    "[task ok]\n"					/* 7 */
	    "lead = noi-vu\n"
	    "date = 2022-04-29\n"
	    "remind = end@08:00\n"
	    "note = Khung giờ {{ windows }}, {{#role}}{{role}}{{/role}}.\n"
	    "channels = console\n", 2, 0, {
	    "tasks.conf:4: unknown placeholder {{windowss}}; did you mean "
	    "{{windows}}? " TPL_ALLOWED,
	    "tasks.conf:4: unclosed {{: close the placeholder with }} on the "
	    "same line " TPL_ALLOWED } },
	{ "unknown channel, none near",
	    "[task c]\nlead = dai-truyen-thanh\ndate = 2022-04-30\n"
	    "remind = end@08:00\nchannels = fax\n", 1, 0, {
	    "tasks.conf:1: task 'c': no channel 'fax' in "
	    "/etc/nhacviec/nhacviec.conf; use 'zalo', 'email', 'zns', "
	    "'console'" } },
};

static void
test_check(void **state)
{
	struct config	 c;
	struct plan	*p;
	struct diag	 d;
	size_t		 i, j, n;

	(void)state;
	test_config(&c, NULL);
	/* Day-off warnings are about reminders still to come. */
	clock_set_virtual(iso("2022-01-01T00:00:00+07:00"), 1.0);
	for (i = 0; i < nitems(check_cases); i++) {
		p = load(check_cases[i].name, CAL_HCM, check_cases[i].tasks);
		diag_init(&d);
		schedule_check(p, &c, &d);
		for (n = 0; n < MSGS_MAX && check_cases[i].msgs[n]; n++)
			;
		if (d.n != n || d.nerrors != check_cases[i].nerrors ||
		    d.nwarnings != check_cases[i].nwarnings) {
			dump(check_cases[i].name, &d);
			fail_msg("case '%s': %zu messages, want %zu",
			    check_cases[i].name, d.n, n);
		}
		for (j = 0; j < n; j++) {
			if (strcmp(d.msgs[j], check_cases[i].msgs[j]) != 0) {
				dump(check_cases[i].name, &d);
				fail_msg("case '%s': message %zu is '%s'",
				    check_cases[i].name, j, d.msgs[j]);
			}
		}
		diag_clear(&d);
		plan_free(p);
	}
}

/*
 * The years without holidays: a warning at the first task that reaches
 * each, once. CAL_HCM lists holidays in 2022 only.
 */
#define CAL_2022_2024							\
	"[calendar]\n"							\
	"holidays = 2022-04-11, 2024-01-01\n"
#define NO_HOLIDAYS(y)	"warning: no holidays listed for " y ": add "	\
			"them to [calendar] holidays (`nhacviec calendar " \
			y "` prints them)"

static const struct {
	const char	*name;
	const char	*cal;		/* NULL: CAL_HCM */
	const char	*now;
	const char	*horizon;
	const char	*tasks;
	const char	*msgs[MSGS_MAX];
} holiday_cases[] = {
	{ "listed: nothing to say", NULL, "2022-06-01T08:00:00+07:00", "35d",
	    "[task a]\nlead = noi-vu\ndate = 2022-10-20\n"
	    "remind = end@08:00\nchannels = zalo\n", { NULL } },
	{ "a task in a year without holidays", NULL,
	    "2022-06-01T08:00:00+07:00", "35d",
	    "[task a]\nlead = noi-vu\ndate = 2023-04-30\n"
	    "remind = end@08:00\nchannels = zalo\n",
	    { "tasks.conf:1: " NO_HOLIDAYS("2023") } },
	{ "once a year, at the first task that reaches it", NULL,
	    "2022-06-01T08:00:00+07:00", "35d",
	    "[task a]\nlead = noi-vu\ndate = 2023-04-30\n"	/* 1 */
	    "remind = end@08:00\nchannels = zalo\n"
	    "[task b]\nlead = noi-vu\ndates = 2023-05-01, 2024-09-02\n" /* 6 */
	    "remind = end@08:00\nchannels = zalo\n"
	    "[task c]\nlead = noi-vu\nmonth = 2025-01\n"		/* 11 */
	    "remind = end@08:00\nchannels = zalo\n",
	    { "tasks.conf:1: " NO_HOLIDAYS("2023"),
	      "tasks.conf:6: " NO_HOLIDAYS("2024"),
	      "tasks.conf:11: " NO_HOLIDAYS("2025") } },
	{ "a year already past is not asked for", NULL,
	    "2024-03-01T08:00:00+07:00", "35d",
	    "[task a]\nlead = noi-vu\ndate = 2023-04-30\n"
	    "remind = end@08:00\nchannels = zalo\n"
	    "[task b]\nlead = noi-vu\ndate = 2024-04-30\n"
	    "remind = end@08:00\nchannels = zalo\n",
	    { "tasks.conf:6: " NO_HOLIDAYS("2024") } },
	{ "an open task within the horizon", NULL,
	    "2022-06-01T08:00:00+07:00", "35d",
	    "[task tet]\nlead = noi-vu\nlunar = 1/1\n"
	    "remind = start-15d@08:00\nchannels = zalo\n", { NULL } },
	/* 2022-12-01 + 35 days is 2023-01-05: Tết 2023 is on 22 January. */
	{ "an open task: the horizon reaches the next year", NULL,
	    "2022-12-01T08:00:00+07:00", "35d",
	    "[task tet]\nlead = noi-vu\nlunar = 1/1\n"
	    "remind = start-15d@08:00\nchannels = zalo\n"
	    "[task r]\nlead = noi-vu\nrule = FREQ=MONTHLY;BYMONTHDAY=1\n"
	    "start = 2022-01-01\nremind = end@08:00\nchannels = zalo\n",
	    { "tasks.conf:1: " NO_HOLIDAYS("2023") } },
	{ "an open task: to the last year with holidays", CAL_2022_2024,
	    "2022-06-01T08:00:00+07:00", "35d",
	    "[task r]\nlead = noi-vu\nrule = FREQ=MONTHLY;BYMONTHDAY=1\n"
	    "start = 2022-01-01\nremind = end@08:00\nchannels = zalo\n",
	    { "tasks.conf:1: " NO_HOLIDAYS("2023") } },
	{ "an open task ends with until", NULL, "2022-12-01T08:00:00+07:00",
	    "35d",
	    "[task tet]\nlead = noi-vu\nlunar = 1/1\nuntil = 2022-12-31\n"
	    "remind = start-15d@08:00\nchannels = zalo\n", { NULL } },
};

static void
test_check_holidays(void **state)
{
	struct config	 c;
	struct plan	*p;
	struct diag	 d;
	char		 err[128];
	size_t		 i, j, n;

	(void)state;
	for (i = 0; i < nitems(holiday_cases); i++) {
		test_config(&c, NULL);
		if (parse_duration(holiday_cases[i].horizon, &c.horizon_ms,
		    err, sizeof(err)) != 0)
			fail_msg("bad horizon in the test: %s", err);
		clock_set_virtual(iso(holiday_cases[i].now), 1.0);
		p = load(holiday_cases[i].name, holiday_cases[i].cal ?
		    holiday_cases[i].cal : CAL_HCM, holiday_cases[i].tasks);
		diag_init(&d);
		schedule_check(p, &c, &d);
		for (n = 0; n < MSGS_MAX && holiday_cases[i].msgs[n]; n++)
			;
		if (d.n != n || d.nwarnings != n) {
			dump(holiday_cases[i].name, &d);
			fail_msg("case '%s': %zu messages, want %zu",
			    holiday_cases[i].name, d.n, n);
		}
		for (j = 0; j < n; j++) {
			if (strcmp(d.msgs[j], holiday_cases[i].msgs[j]) != 0) {
				dump(holiday_cases[i].name, &d);
				fail_msg("case '%s': message %zu is '%s'",
				    holiday_cases[i].name, j, d.msgs[j]);
			}
		}
		diag_clear(&d);
		plan_free(p);
	}
}

#define WINDOW_HINT	"a window reminder keeps its air day (give it a day " \
			"offset or an HH:MM time to send it on a working day)"

/*
 * Day-off warnings look at the reminders still to come, on the plan's
 * clock; a task without an end as far as the holidays listed.
 */
static void
test_days_off_ahead(void **state)
{
	static const char cal[] =
	    "[calendar]\nholidays = 2022-04-11, 2023-04-29..2023-05-03\n";
	static const char tasks[] =
	    "[task thang]\n"					/* 1 */
	    "lead = dai-truyen-thanh\n"
	    "month = 2022-04\n"
	    "remind_lead = end@trua-30m, start+10d@trua\n"
	    "channels = console\n"
	    "[task gio-to]\n"					/* 6 */
	    "lead = dai-truyen-thanh\n"
	    "lunar = 10/3\n"
	    "remind_lead = end@trua-30m\n"
	    "channels = console\n";
	static const char *const want[] = {
	    "tasks.conf:1: warning: task 'thang': remind_lead 'end@trua-30m' "
	    "is sent on a day off: Sat 2022-04-30; " WINDOW_HINT,
	    "tasks.conf:6: warning: task 'gio-to': remind_lead 'end@trua-30m' "
	    "is sent on a day off: Sat 2023-04-29 (a holiday); " WINDOW_HINT,
	};
	struct config	 c;
	struct plan	*p;
	struct diag	 d;
	size_t		 i;

	(void)state;
	test_config(&c, NULL);
	/* 11 April has passed; Giỗ Tổ 2022 (10 April) too. */
	clock_set_virtual(iso("2022-04-20T08:00:00+07:00"), 1.0);
	p = load("days off ahead", cal, tasks);
	diag_init(&d);
	schedule_check(p, &c, &d);
	if (d.n != nitems(want))
		dump("days off ahead", &d);
	assert_int_equal(d.n, nitems(want));
	for (i = 0; i < nitems(want); i++)
		assert_string_equal(d.msgs[i], want[i]);
	diag_clear(&d);
	plan_free(p);
}

/* A rule libical rejects (plan_load refuses it too; a hand edit here). */
static const struct {
	const char	*rule;
	const char	*msg;
} bad_rules[] = {
	{ "FREQ=MONTHLY;BYDAY=XX", "tasks.conf:1: task 'r': rule: libical "
	    "rejects 'BYDAY=XX' in 'FREQ=MONTHLY;BYDAY=XX'; use an RFC 5545 "
	    "RRULE, e.g. FREQ=MONTHLY;BYDAY=-1SA" },
	{ "FREQ=SOMETIMES", "tasks.conf:1: task 'r': rule: libical rejects "
	    "'FREQ=SOMETIMES' in 'FREQ=SOMETIMES'; use an RFC 5545 RRULE, "
	    "e.g. FREQ=MONTHLY;BYDAY=-1SA" },
	{ "BYDAY=-1SA", "tasks.conf:1: task 'r': rule: 'BYDAY=-1SA' has no "
	    "FREQ; use an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=-1SA" },
	{ "FREQ=HOURLY", "tasks.conf:1: task 'r': rule: FREQ=HOURLY repeats "
	    "within a day, but an occurrence is a whole day; use DAILY, "
	    "WEEKLY, MONTHLY or YEARLY" },
};

static void
test_bad_rule(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	struct diag		 d;
	char			 err[512];
	size_t			 i;

	(void)state;
	test_config(&c, NULL);
	for (i = 0; i < nitems(bad_rules); i++) {
		p = load(bad_rules[i].rule, CAL_HCM, "[task r]\nlead = noi-vu\n"
		    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n"
		    "remind = end@08:00\nchannels = zalo\n");
		free(p->tasks[0].rule);
		p->tasks[0].rule = strdup(bad_rules[i].rule);
		diag_init(&d);
		schedule_check(p, &c, &d);
		if (d.n != 1 || d.nerrors != 1 ||
		    strcmp(d.msgs[0], bad_rules[i].msg) != 0) {
			dump(bad_rules[i].rule, &d);
			fail_msg("rule '%s'", bad_rules[i].rule);
		}
		diag_clear(&d);
		memset(&l, 0, sizeof(l));
		assert_int_equal(schedule_expand(p, &c,
		    iso("2022-01-01T00:00:00Z"), iso("2022-12-31T00:00:00Z"),
		    &l, err, sizeof(err)), -1);
		assert_int_equal(l.n, 0);
		/* The same words, after "tasks.conf:1: ". */
		assert_string_equal(err, bad_rules[i].msg + 14);
		plan_free(p);
	}
}

/* preview's outputs over 2022-04-29..2022-04-30. */
static const char preview_tasks[] =
	"[task dan-hoi]\n"
	"title = Chuyên mục \"Dân hỏi - Chính quyền trả lời\"\n"
	"lead = dai-truyen-thanh\n"
	"partners = noi-vu\n"
	"note = Theo Kế hoạch của tỉnh\n"
	"date = 2022-04-30\n"
	"remind = end@08:00\n"
	"remind_lead = end@trua-30m\n"
	"channels = zalo, email\n"
	"[task chi-so]\n"
	"title = Kết quả Chỉ số CCHC\n"
	"lead = noi-vu\n"
	"note = Phát trong khung giờ {{windows}}.\n"
	"month = 2022-04\n"
	"remind = end-1d@06:00\n"
	"channels = zalo\n";

static const char preview_tsv[] =
	"fire_at\ttask\tdue\tagency\tchannel\tspec\n"
	"2022-04-29T07:00:00+07:00\tchi-so\t2022-04-01..2022-04-30\tnoi-vu\t"
	    "zalo\tend-1d@06:00\n"
	"2022-04-29T08:00:00+07:00\tdan-hoi\t2022-04-30\tdai-truyen-thanh\t"
	    "email\tend@08:00\n"
	"2022-04-29T08:00:00+07:00\tdan-hoi\t2022-04-30\tdai-truyen-thanh\t"
	    "zalo\tend@08:00\n"
	"2022-04-29T08:00:00+07:00\tdan-hoi\t2022-04-30\tnoi-vu\tzalo\t"
	    "end@08:00\n"
	"2022-04-30T10:30:00+07:00\tdan-hoi\t2022-04-30\tdai-truyen-thanh\t"
	    "email\tend@trua-30m\n"
	"2022-04-30T10:30:00+07:00\tdan-hoi\t2022-04-30\tdai-truyen-thanh\t"
	    "zalo\tend@trua-30m\n";

static const char preview_text[] =
	"Thứ Sáu, 29/04/2022\n"
	"  07:00  Kết quả Chỉ số CCHC — Phòng Nội vụ (zalo) "
	    "(hoãn đến giờ gửi)\n"
	"         Thời hạn: 01/04/2022 – 30/04/2022. Ghi chú: Phát trong khung "
	    "giờ 11:00–11:30, 16:45–18:30 và 06:00–06:30.\n"
	"  08:00  Chuyên mục \"Dân hỏi - Chính quyền trả lời\" — "
	    "Đài Truyền thanh huyện (email, zalo) "
	    "(dời sang ngày làm việc trước)\n"
	"  08:00  Chuyên mục \"Dân hỏi - Chính quyền trả lời\" — "
	    "Phòng Nội vụ (zalo) (dời sang ngày làm việc trước)\n"
	"         Thời hạn: 30/04/2022. Ghi chú: Theo Kế hoạch của tỉnh\n"
	"\n"
	"Thứ Bảy, 30/04/2022\n"
	"  10:30  Chuyên mục \"Dân hỏi - Chính quyền trả lời\" — "
	    "Đài Truyền thanh huyện (email, zalo)\n"
	"         Thời hạn: 30/04/2022. Ghi chú: Theo Kế hoạch của tỉnh\n";

/* What print writes, as a malloc'd string. */
static char *
print_to_string(void (*print)(const struct plan *, const struct sched_list *,
    FILE *), const struct plan *p, const struct sched_list *l)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	print(p, l, fp);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_preview(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	char			 err[256], *out;

	(void)state;
	p = load("preview", CAL_HCM, preview_tasks);
	test_config(&c, NULL);
	memset(&l, 0, sizeof(l));
	assert_int_equal(schedule_expand(p, &c,
	    schedule_local_ms(p, day("2022-04-29"), 0),
	    schedule_local_ms(p, day("2022-05-01"), 0) - 1, &l, err,
	    sizeof(err)), 0);
	out = print_to_string(schedule_print_tsv, p, &l);
	assert_string_equal(out, preview_tsv);
	free(out);
	out = print_to_string(schedule_print_text, p, &l);
	assert_string_equal(out, preview_text);
	free(out);
	schedule_list_clear(&l);
	out = print_to_string(schedule_print_text, p, &l);
	assert_string_equal(out, "Không có nhắc việc nào trong khoảng này.\n");
	free(out);
	out = print_to_string(schedule_print_tsv, p, &l);
	assert_string_equal(out, "fire_at\ttask\tdue\tagency\tchannel\tspec\n");
	free(out);
	plan_free(p);
}

/* A week of day headings, Sunday 2022-05-01 to Saturday 2022-05-07. */
static void
test_weekdays(void **state)
{
	static const char want[] =
	    "Chủ Nhật, 01/05/2022\n"
	    "Thứ Hai, 02/05/2022\n"
	    "Thứ Ba, 03/05/2022\n"
	    "Thứ Tư, 04/05/2022\n"
	    "Thứ Năm, 05/05/2022\n"
	    "Thứ Sáu, 06/05/2022\n"
	    "Thứ Bảy, 07/05/2022\n";
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	char			 err[256], *out, *line, *save, got[512];

	(void)state;
	p = load("weekdays", CAL_HCM, "[task w]\nlead = noi-vu\n"
	    "rule = FREQ=DAILY\nstart = 2022-05-01\nremind = end@trua\n"
	    "channels = zalo\n");
	test_config(&c, NULL);
	memset(&l, 0, sizeof(l));
	assert_int_equal(schedule_expand(p, &c,
	    iso("2022-05-01T00:00:00+07:00"), iso("2022-05-07T23:59:59+07:00"),
	    &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 7);
	out = print_to_string(schedule_print_text, p, &l);
	got[0] = '\0';
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == ' ')
			continue;
		cat(got, line, sizeof(got));
		cat(got, "\n", sizeof(got));
	}
	assert_string_equal(got, want);
	free(out);
	schedule_list_clear(&l);
	plan_free(p);
}

/* A lunar task over four years: Tết moves, the reminders with it. */
static const char lunar_tsv[] =
	"fire_at\ttask\tdue\tagency\tchannel\tspec\n"
	/* 2023-01-07 is a Saturday: to Friday. */
	"2023-01-06T08:00:00+07:00\ttet\t2023-01-22\tnoi-vu\tzalo\t"
	    "start-15d@08:00\n"
	"2023-01-22T10:30:00+07:00\ttet\t2023-01-22\tnoi-vu\tzalo\t"
	    "end@trua-30m\n"
	"2024-01-26T08:00:00+07:00\ttet\t2024-02-10\tnoi-vu\tzalo\t"
	    "start-15d@08:00\n"
	"2024-02-10T10:30:00+07:00\ttet\t2024-02-10\tnoi-vu\tzalo\t"
	    "end@trua-30m\n"
	"2025-01-14T08:00:00+07:00\ttet\t2025-01-29\tnoi-vu\tzalo\t"
	    "start-15d@08:00\n"
	"2025-01-29T10:30:00+07:00\ttet\t2025-01-29\tnoi-vu\tzalo\t"
	    "end@trua-30m\n"
	"2026-02-02T08:00:00+07:00\ttet\t2026-02-17\tnoi-vu\tzalo\t"
	    "start-15d@08:00\n"
	"2026-02-17T10:30:00+07:00\ttet\t2026-02-17\tnoi-vu\tzalo\t"
	    "end@trua-30m\n";

static void
test_lunar_years(void **state)
{
	struct config		 c;
	struct sched_list	 l;
	struct plan		*p;
	char			 err[256], *out;

	(void)state;
	p = load("lunar years", CAL_HCM, "[task tet]\nlead = noi-vu\n"
	    "lunar = 1/1\nremind = start-15d@08:00, end@trua-30m\n"
	    "channels = zalo\n");
	test_config(&c, NULL);
	memset(&l, 0, sizeof(l));
	assert_int_equal(schedule_expand(p, &c,
	    schedule_local_ms(p, day("2023-01-01"), 0),
	    schedule_local_ms(p, day("2027-01-01"), 0) - 1, &l, err,
	    sizeof(err)), 0);
	out = print_to_string(schedule_print_tsv, p, &l);
	assert_string_equal(out, lunar_tsv);
	free(out);
	schedule_list_clear(&l);
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_occurrences),
		cmocka_unit_test(test_fire),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_dedup_spec),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_holidays),
		cmocka_unit_test(test_days_off_ahead),
		cmocka_unit_test(test_bad_rule),
		cmocka_unit_test(test_preview),
		cmocka_unit_test(test_lunar_years),
		cmocka_unit_test(test_weekdays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
