/* Unit tests for common/plan.c: a full plan, recipients, workdays, day helpers, every error. */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "xmalloc.h"

#define MSGS_MAX	12
#define HOUR_MS		(60LL * 60 * 1000)

/* Prints what the loader said, for a failing case. */
static void
dump(const char *name, const struct diag *d)
{
	size_t	i;

	print_error("case '%s' got %zu message(s):\n", name, d->n);
	for (i = 0; i < d->n; i++)
		print_error("  %s\n", d->msgs[i]);
}

/* Loads one or two texts as a.conf and b.conf. */
static struct plan *
load2(const char *a, const char *b, struct diag *d)
{
	const char *const	names[] = { "a.conf", "b.conf" };
	const char *const	texts[] = { a, b };

	diag_init(d);
	return plan_load_texts(names, texts, b != NULL ? 2 : 1, d);
}

/* The day of "YYYY-MM-DD", which must parse. */
static plan_day
day(const char *s)
{
	plan_day	v = 0;

	if (plan_parse_day(s, &v) != 0)
		fail_msg("bad day in the test: %s", s);
	return v;
}

/* The first file: calendar, windows, agencies, with CRLF, a BOM and Vietnamese. */
static const char plan_a[] =
	"\xef\xbb\xbf; Kế hoạch thử\r\n"				/* 1 */
	"[calendar]\r\n"						/* 2 */
	"timezone = Asia/Ho_Chi_Minh\r\n"				/* 3 */
	"workdays = mon-fri\r\n"					/* 4 */
	"holidays = 2022-01-03, 2022-01-31..2022-02-04, 2022-09-02, "
	    "2022-02-01\r\n"						/* 5 */
	"extra_workdays = 2022-01-08   ; a working Saturday\r\n"	/* 6 */
	"\r\n"								/* 7 */
	"[window trua]\r\n"						/* 8 */
	"start = 11:00\r\n"						/* 9 */
	"end   = 11:30\r\n"						/* 10 */
	"[window chieu]\r\n"						/* 11 */
	"name  = Khung giờ chiều\r\n"					/* 12 */
	"start = 16:45\r\n"						/* 13 */
	"end   = 18:30\r\n"						/* 14 */
	"\r\n"								/* 15 */
	"[agency dai-truyen-thanh]\r\n"					/* 16 */
	"name  = Đài Truyền thanh huyện\r\n"				/* 17 */
	"head  = Trưởng Đài\r\n"					/* 18 */
	"zalo  = 5218391034920148231\r\n"				/* 19 */
	"phone = 0912345678\r\n"					/* 20 */
	"email = dtt@example.gov.vn\r\n"				/* 21 */
	"[agency noi-vu]\r\n"						/* 22 */
	"phone = +84912345679\r\n"					/* 23 */
	"zalo  =\r\n"							/* 24 */
	"[agency van-hoa]\r\n"						/* 25 */
	"phone = 849123456780\r\n"					/* 26 */
	"[agency tai-chinh]\r\n"					/* 27 */
	"[agency ubnd-a]\r\n"						/* 28 */
	"[agency ubnd-b]";						/* 29, no line end */

/* The second file: groups and tasks, naming what the first defines. */
static const char plan_b[] =
	"[group tat-ca]\n"						/* 1 */
	"name    = Tất cả\n"						/* 2 */
	"members = phong-ban, ubnd-xa, noi-vu\n"			/* 3 */
	"[group phong-ban]\n"						/* 4 */
	"members = noi-vu, van-hoa, tai-chinh\n"			/* 5 */
	"[group ubnd-xa]\n"						/* 6 */
	"members = ubnd-a,ubnd-b\n"					/* 7 */
	"\n"								/* 8 */
	"[task dan-hoi]\n"						/* 9 */
	"title    = Chuyên mục \"Dân hỏi - Chính quyền trả lời\"\n"	/* 10 */
	"lead     = dai-truyen-thanh\n"					/* 11 */
	"partners = tat-ca, dai-truyen-thanh, van-hoa\n"		/* 12 */
	"note     = Theo Kế hoạch của tỉnh\n"				/* 13 */
	"rule     = FREQ=MONTHLY;BYDAY=-1SA\n"				/* 14 */
	"start    = 2022-01-01\n"					/* 15 */
	"until    = 2022-12-31\n"					/* 16 */
	"remind      = end-3d@08:00, end-1d@08:00\n"			/* 17 */
	"remind_lead = end@trua-30m, end+2d@chieu+15m, start@trua, "
	    "end-0d@chieu-1h30m\n"					/* 18 */
	"channels = zalo, email\n"					/* 19 */
	"template = dan-hoi.txt\n"					/* 20 */
	"[task chi-so]\n"						/* 21 */
	"lead     = noi-vu\n"						/* 22 */
	"partners =\n"							/* 23 */
	"month    = 2022-04\n"						/* 24 */
	"remind   = start@08:00\n"					/* 25 */
	"channels = zalo\n"						/* 26 */
	"[task quy]\n"							/* 27 */
	"lead        = van-hoa\n"					/* 28 */
	"quarter     = 2022-Q2\n"					/* 29 */
	"remind_lead = end-7d@7:30\n"					/* 30 */
	"channels    = email\n"						/* 31 */
	"[task ngay]\n"							/* 32 */
	"lead     = tai-chinh\n"					/* 33 */
	"partners = ubnd-xa\n"						/* 34 */
	"date     = 2022-04-30\n"					/* 35 */
	"remind   = end@chieu\n"					/* 36 */
	"channels = zalo\n"						/* 37 */
	"[task nhieu-ngay]\n"						/* 38 */
	"lead     = ubnd-b\n"						/* 39 */
	"dates    = 2022-09-15, 2022-03-15\n"				/* 40 */
	"remind   = end-1d@08:00\n"					/* 41 */
	"channels = zalo\n";						/* 42 */

/* Checks one spec's parts. */
static void
check_spec(const struct plan_spec *sp, const char *text,
    enum plan_anchor anchor, int days, int minutes, const char *window,
    int64_t offset_ms)
{
	assert_string_equal(sp->text, text);
	assert_int_equal(sp->anchor, anchor);
	assert_int_equal(sp->days, days);
	assert_int_equal(sp->minutes, minutes);
	if (window == NULL)
		assert_null(sp->window);
	else
		assert_string_equal(sp->window, window);
	assert_int_equal(sp->offset_ms, offset_ms);
}

static void
test_valid(void **state)
{
	const struct plan_agency	*a, **r;
	const struct plan_window	*w;
	const struct plan_group		*g;
	const struct plan_task		*t;
	const struct plan_calendar	*c;
	struct plan			*p;
	struct diag			 d;
	size_t				 n;

	(void)state;
	p = load2(plan_a, plan_b, &d);
	if (p == NULL || d.n != 0)
		dump("valid", &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	assert_int_equal(p->nfiles, 2);
	assert_string_equal(p->files[0], "a.conf");
	assert_string_equal(p->files[1], "b.conf");

	/* The calendar: holidays sorted, ranges expanded, each day once. */
	c = &p->calendar;
	assert_ptr_equal(c->where.file, p->files[0]);
	assert_int_equal(c->where.line, 2);
	assert_string_equal(c->timezone, "Asia/Ho_Chi_Minh");
	assert_int_equal(c->workdays, 0x3e);
	assert_int_equal(c->nholidays, 7);
	assert_int_equal(c->holidays[0], day("2022-01-03"));
	assert_int_equal(c->holidays[1], day("2022-01-31"));
	assert_int_equal(c->holidays[2], day("2022-02-01"));
	assert_int_equal(c->holidays[5], day("2022-02-04"));
	assert_int_equal(c->holidays[6], day("2022-09-02"));
	assert_int_equal(c->nextra, 1);
	assert_int_equal(c->extra_workdays[0], day("2022-01-08"));

	/* Workdays: a holiday, a weekend, an extra working Saturday. */
	assert_false(plan_is_workday(c, day("2022-01-03")));	/* Mon, off */
	assert_true(plan_is_workday(c, day("2022-01-04")));	/* Tue */
	assert_true(plan_is_workday(c, day("2022-01-07")));	/* Fri */
	assert_true(plan_is_workday(c, day("2022-01-08")));	/* Sat, extra */
	assert_false(plan_is_workday(c, day("2022-01-09")));	/* Sun */
	assert_false(plan_is_workday(c, day("2022-01-15")));	/* Sat */
	assert_false(plan_is_workday(c, day("2022-02-02")));	/* Tết */
	assert_true(plan_is_workday(c, day("2022-02-07")));	/* Mon */

	/* Windows. */
	assert_int_equal(p->nwindows, 2);
	w = plan_window_find(p, "trua");
	assert_non_null(w);
	assert_int_equal(w->start, 11 * 60);
	assert_int_equal(w->end, 11 * 60 + 30);
	assert_string_equal(w->name, "trua");
	assert_int_equal(w->where.line, 8);
	w = plan_window_find(p, "chieu");
	assert_non_null(w);
	assert_int_equal(w->start, 16 * 60 + 45);
	assert_int_equal(w->end, 18 * 60 + 30);
	assert_string_equal(w->name, "Khung giờ chiều");
	assert_null(plan_window_find(p, "toi"));

	/* Agencies: phones normalized to 84..., absent contacts NULL. */
	assert_int_equal(p->nagencies, 6);
	a = plan_agency_find(p, "dai-truyen-thanh");
	assert_non_null(a);
	assert_ptr_equal(a->where.file, p->files[0]);
	assert_int_equal(a->where.line, 16);
	assert_string_equal(a->name, "Đài Truyền thanh huyện");
	assert_string_equal(a->head, "Trưởng Đài");
	assert_string_equal(a->zalo, "5218391034920148231");
	assert_string_equal(a->phone, "84912345678");
	assert_string_equal(a->email, "dtt@example.gov.vn");
	a = plan_agency_find(p, "noi-vu");
	assert_non_null(a);
	assert_string_equal(a->name, "noi-vu");
	assert_null(a->head);
	assert_null(a->zalo);
	assert_string_equal(a->phone, "84912345679");
	assert_null(a->email);
	assert_string_equal(plan_agency_find(p, "van-hoa")->phone,
	    "849123456780");
	a = plan_agency_find(p, "ubnd-b");
	assert_non_null(a);
	assert_int_equal(a->where.line, 29);
	assert_null(plan_agency_find(p, "ubnd-c"));

	/* Groups, members as written. */
	assert_int_equal(p->ngroups, 3);
	g = plan_group_find(p, "tat-ca");
	assert_non_null(g);
	assert_ptr_equal(g->where.file, p->files[1]);
	assert_int_equal(g->where.line, 1);
	assert_string_equal(g->name, "Tất cả");
	assert_int_equal(g->nmembers, 3);
	assert_string_equal(g->members[0], "phong-ban");
	assert_string_equal(g->members[2], "noi-vu");
	g = plan_group_find(p, "ubnd-xa");
	assert_non_null(g);
	assert_string_equal(g->name, "ubnd-xa");
	assert_int_equal(g->nmembers, 2);
	assert_string_equal(g->members[1], "ubnd-b");

	/* A rule task, with every kind of spec. */
	assert_int_equal(p->ntasks, 5);
	t = plan_task_find(p, "dan-hoi");
	assert_non_null(t);
	assert_ptr_equal(t, &p->tasks[0]);
	assert_ptr_equal(t->where.file, p->files[1]);
	assert_int_equal(t->where.line, 9);
	assert_string_equal(t->title,
	    "Chuyên mục \"Dân hỏi - Chính quyền trả lời\"");
	assert_string_equal(t->lead, "dai-truyen-thanh");
	assert_int_equal(t->npartners, 3);
	assert_string_equal(t->partners[0], "tat-ca");
	assert_string_equal(t->note, "Theo Kế hoạch của tỉnh");
	assert_int_equal(t->when, WHEN_RULE);
	assert_string_equal(t->rule, "FREQ=MONTHLY;BYDAY=-1SA");
	assert_int_equal(t->start, day("2022-01-01"));
	assert_int_equal(t->until, day("2022-12-31"));
	assert_int_equal(t->nremind, 2);
	check_spec(&t->remind[0], "end-3d@08:00", ANCHOR_END, -3, 8 * 60,
	    NULL, 0);
	check_spec(&t->remind[1], "end-1d@08:00", ANCHOR_END, -1, 8 * 60,
	    NULL, 0);
	assert_int_equal(t->nremind_lead, 4);
	check_spec(&t->remind_lead[0], "end@trua-30m", ANCHOR_END, 0, 0,
	    "trua", -HOUR_MS / 2);
	check_spec(&t->remind_lead[1], "end+2d@chieu+15m", ANCHOR_END, 2, 0,
	    "chieu", HOUR_MS / 4);
	check_spec(&t->remind_lead[2], "start@trua", ANCHOR_START, 0, 0,
	    "trua", 0);
	check_spec(&t->remind_lead[3], "end-0d@chieu-1h30m", ANCHOR_END, 0, 0,
	    "chieu", -HOUR_MS * 3 / 2);
	assert_int_equal(t->nchannels, 2);
	assert_string_equal(t->channels[0], "zalo");
	assert_string_equal(t->channels[1], "email");
	assert_string_equal(t->template, "dan-hoi.txt");

	/* Recipients: lead first, groups expanded in order, each once. */
	n = plan_recipients(p, t, &r);
	assert_int_equal(n, 6);
	assert_string_equal(r[0]->id, "dai-truyen-thanh");
	assert_string_equal(r[1]->id, "noi-vu");
	assert_string_equal(r[2]->id, "van-hoa");
	assert_string_equal(r[3]->id, "tai-chinh");
	assert_string_equal(r[4]->id, "ubnd-a");
	assert_string_equal(r[5]->id, "ubnd-b");
	free(r);

	/* A month, empty partners, the defaults. */
	t = plan_task_find(p, "chi-so");
	assert_non_null(t);
	assert_int_equal(t->when, WHEN_MONTH);
	assert_int_equal(t->year, 2022);
	assert_int_equal(t->month, 4);
	assert_string_equal(t->title, "chi-so");
	assert_int_equal(t->npartners, 0);
	assert_null(t->note);
	assert_null(t->rule);
	assert_null(t->template);
	assert_int_equal(t->until, -1);
	check_spec(&t->remind[0], "start@08:00", ANCHOR_START, 0, 8 * 60,
	    NULL, 0);
	assert_int_equal(t->nremind_lead, 0);
	n = plan_recipients(p, t, &r);
	assert_int_equal(n, 1);
	assert_string_equal(r[0]->id, "noi-vu");
	free(r);

	/* A quarter, remind_lead alone, H:MM. */
	t = plan_task_find(p, "quy");
	assert_non_null(t);
	assert_int_equal(t->when, WHEN_QUARTER);
	assert_int_equal(t->year, 2022);
	assert_int_equal(t->quarter, 2);
	assert_int_equal(t->nremind, 0);
	check_spec(&t->remind_lead[0], "end-7d@7:30", ANCHOR_END, -7,
	    7 * 60 + 30, NULL, 0);
	assert_string_equal(t->channels[0], "email");

	/* One date; a group partner. */
	t = plan_task_find(p, "ngay");
	assert_non_null(t);
	assert_int_equal(t->when, WHEN_DATE);
	assert_int_equal(t->ndates, 1);
	assert_int_equal(t->dates[0], day("2022-04-30"));
	check_spec(&t->remind[0], "end@chieu", ANCHOR_END, 0, 0, "chieu", 0);
	n = plan_recipients(p, t, &r);
	assert_int_equal(n, 3);
	assert_string_equal(r[0]->id, "tai-chinh");
	assert_string_equal(r[1]->id, "ubnd-a");
	assert_string_equal(r[2]->id, "ubnd-b");
	free(r);

	/* Dates, sorted. */
	t = plan_task_find(p, "nhieu-ngay");
	assert_non_null(t);
	assert_int_equal(t->when, WHEN_DATES);
	assert_int_equal(t->ndates, 2);
	assert_int_equal(t->dates[0], day("2022-03-15"));
	assert_int_equal(t->dates[1], day("2022-09-15"));
	assert_int_equal(t->where.line, 38);
	assert_null(plan_task_find(p, "khong-co"));

	plan_free(p);
	diag_clear(&d);
	plan_free(NULL);
}

/* Lunar tasks: the day and month, start and until when given. */
static void
test_lunar(void **state)
{
	const struct plan_task	*t;
	struct plan		*p;
	struct diag		 d;

	(void)state;
	p = load2("[agency a1]\n"
	    "[task gio-to]\nlead = a1\nlunar = 10/3\n"
	    "remind = start-15d@08:00\nchannels = zalo\n"
	    "[task tet]\nlead = a1\nlunar = 01/1\nstart = 2023-01-01\n"
	    "until = 2030-12-31\nremind = end@trua-30m\nchannels = zalo\n"
	    "[window trua]\nstart = 11:00\nend = 11:30\n", NULL, &d);
	if (p == NULL || d.n != 0)
		dump("lunar", &d);
	assert_non_null(p);
	t = plan_task_find(p, "gio-to");
	assert_int_equal(t->when, WHEN_LUNAR);
	assert_int_equal(t->lunar_day, 10);
	assert_int_equal(t->lunar_month, 3);
	assert_int_equal(t->start, -1);
	assert_int_equal(t->until, -1);
	t = plan_task_find(p, "tet");
	assert_int_equal(t->when, WHEN_LUNAR);
	assert_int_equal(t->lunar_day, 1);
	assert_int_equal(t->lunar_month, 1);
	assert_int_equal(t->start, day("2023-01-01"));
	assert_int_equal(t->until, day("2030-12-31"));
	plan_free(p);
	diag_clear(&d);
}

/* No [calendar]: the defaults. */
static void
test_default_calendar(void **state)
{
	struct plan	*p;
	struct diag	 d;

	(void)state;
	p = load2("[agency a]\n[task t]\nlead = a\ndate = 2022-05-02\n"
	    "remind = end@08:00\nchannels = zalo\n", NULL, &d);
	if (p == NULL)
		dump("default calendar", &d);
	assert_non_null(p);
	assert_null(p->calendar.where.file);
	assert_string_equal(p->calendar.timezone, "Asia/Ho_Chi_Minh");
	assert_int_equal(p->calendar.workdays, 0x3e);
	assert_int_equal(p->calendar.nholidays, 0);
	assert_true(plan_is_workday(&p->calendar, day("2022-05-02")));
	assert_false(plan_is_workday(&p->calendar, day("2022-05-01")));
	plan_free(p);
	diag_clear(&d);

	p = load2("[calendar]\nworkdays = mon-wed, fri,SAT\n", NULL, &d);
	assert_non_null(p);
	assert_int_equal(p->calendar.workdays, 0x6e);
	assert_int_equal(p->ntasks, 0);
	plan_free(p);
	diag_clear(&d);

	p = load2("[calendar]\nworkdays = sun, mon-sun\n"
	    "timezone = Europe/Berlin\n", NULL, &d);
	assert_non_null(p);
	assert_int_equal(p->calendar.workdays, 0x7f);
	assert_string_equal(p->calendar.timezone, "Europe/Berlin");
	plan_free(p);
	diag_clear(&d);
}

/*
 * A ';' is part of the value unless white space comes before it: then it
 * starts a comment (README, "The plan"). '#' starts a comment only at the
 * start of a line.
 */
static void
test_semicolon(void **state)
{
	const struct plan_agency	*a;
	const struct plan_task		*t;
	struct plan			*p;
	struct diag			 d;

	(void)state;
	p = load2("[agency a]\n"
	    "name  = Phòng A;B ; the comment\n"
	    "head  = Trưởng phòng ;; a comment\n"
	    "email = a@example.gov.vn\t; after a tab\n"
	    "# a comment line\n"
	    "[task t]\n"
	    "title    = Họp; báo cáo quý #2\n"
	    "note     = x;y;z\n"
	    "lead     = a\n"
	    "rule     = FREQ=MONTHLY;BYDAY=-1SA ; the last Saturday\n"
	    "start    = 2022-01-01\n"
	    "until    = 2022-12-31\n"
	    "remind   = end@08:00\n"
	    "channels = zalo\n", NULL, &d);
	if (p == NULL)
		dump("semicolon", &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	a = plan_agency_find(p, "a");
	assert_string_equal(a->name, "Phòng A;B");
	assert_string_equal(a->head, "Trưởng phòng");
	assert_string_equal(a->email, "a@example.gov.vn");
	t = plan_task_find(p, "t");
	assert_string_equal(t->title, "Họp; báo cáo quý #2");
	assert_string_equal(t->note, "x;y;z");
	assert_string_equal(t->rule, "FREQ=MONTHLY;BYDAY=-1SA");
	plan_free(p);
	diag_clear(&d);

	/* Without white space before it, a ';' is text, even at the end. */
	p = load2("[agency a]\n[task t]\nlead = a\ndate = 2022-05-02\n"
	    "remind = end@08:00;\nchannels = zalo\n", NULL, &d);
	assert_null(p);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], "a.conf:5: remind: bad time '08:00;' "
	    "in 'end@08:00;': use HH:MM from 00:00 to 23:59, e.g. 08:30");
	diag_clear(&d);
}

/*
 * [calendar] in several files and several times in a file: holidays and
 * extra working days add up, the time zone and working week may be
 * repeated with the same value.
 */
static void
test_calendars_add_up(void **state)
{
	static const char a[] =
	    "[calendar]\ntimezone = Asia/Ho_Chi_Minh\nworkdays = mon-fri\n"
	    "\n; 2022\n[calendar]\nholidays = 2022-01-03, 2022-09-01..2022-09-02\n"
	    "extra_workdays =\n";
	static const char b[] =
	    "; 2023, beside the tasks of 2023\n[calendar]\n"
	    "timezone = Asia/Ho_Chi_Minh\n"
	    "holidays = 2023-01-02, 2023-01-20..2023-01-26, 2022-09-02\n"
	    "extra_workdays = 2023-01-14\n";
	const struct plan_calendar	*c;
	struct plan			*p;
	struct diag			 d;

	(void)state;
	p = load2(a, b, &d);
	if (p == NULL || d.n != 0)
		dump("calendars", &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	c = &p->calendar;
	assert_string_equal(c->where.file, "a.conf");
	assert_int_equal(c->where.line, 1);
	assert_string_equal(c->timezone, "Asia/Ho_Chi_Minh");
	assert_int_equal(c->workdays, 0x3e);
	/* 1 + 2 + 1 + 7 days, 2022-09-02 once. */
	assert_int_equal(c->nholidays, 11);
	assert_int_equal(c->holidays[0], day("2022-01-03"));
	assert_int_equal(c->holidays[2], day("2022-09-02"));
	assert_int_equal(c->holidays[3], day("2023-01-02"));
	assert_int_equal(c->holidays[10], day("2023-01-26"));
	assert_int_equal(c->nextra, 1);
	assert_false(plan_is_workday(c, day("2022-09-02")));
	assert_false(plan_is_workday(c, day("2023-01-23")));
	assert_true(plan_is_workday(c, day("2023-01-14")));
	assert_true(plan_is_workday(c, day("2023-01-27")));
	plan_free(p);
	diag_clear(&d);

	/* The working week from a later [calendar], the zone by default. */
	p = load2("[calendar]\nholidays = 2022-01-03\n",
	    "[calendar]\nworkdays = mon-sat\n", &d);
	assert_non_null(p);
	assert_int_equal(p->calendar.workdays, 0x7e);
	assert_string_equal(p->calendar.timezone, "Asia/Ho_Chi_Minh");
	assert_int_equal(p->calendar.nholidays, 1);
	plan_free(p);
	diag_clear(&d);
}

/* [plan]: the document of the tasks of its own file, wherever it stands. */
static void
test_plan_doc(void **state)
{
	static const char a[] =
	    "[agency nv]\n"
	    "[task a1]\nlead = nv\ndate = 2022-05-02\nremind = end@08:00\n"
	    "channels = zalo\n"
	    "[plan]\n"						/* 7 */
	    "number = 45/KH-UBND\n"
	    "date   = 2022-02-20\n"
	    "issuer = Ủy ban nhân dân huyện Thạnh Trị\n"
	    "title  = tuyên truyền cải cách hành chính năm 2022\n";
	static const char b[] =
	    "[plan]\ntitle = tuyên truyền cải cách hành chính năm 2023\n"
	    "[task b1]\nlead = nv\ndate = 2023-05-04\nremind = end@08:00\n"
	    "channels = zalo\n";
	static const char c[] =
	    "[task c1]\nlead = nv\ndate = 2023-05-04\nremind = end@08:00\n"
	    "note = Ưu tiên khung giờ {{windows}}.\nchannels = zalo\n";
	const char *const	 names[] = { "a.conf", "b.conf", "c.conf" };
	const char *const	 texts[] = { a, b, c };
	const struct plan_task	*t;
	const struct plan_doc	*doc;
	struct plan		*p;
	struct diag		 d;

	(void)state;
	diag_init(&d);
	p = plan_load_texts(names, texts, 3, &d);
	if (p == NULL || d.n != 0)
		dump("plan doc", &d);
	assert_non_null(p);
	assert_int_equal(p->ndocs, 2);
	t = plan_task_find(p, "a1");
	assert_non_null(doc = t->doc);
	assert_string_equal(doc->where.file, "a.conf");
	assert_int_equal(doc->where.line, 7);
	assert_string_equal(doc->number, "45/KH-UBND");
	assert_int_equal(doc->date, day("2022-02-20"));
	assert_string_equal(doc->issuer, "Ủy ban nhân dân huyện Thạnh Trị");
	assert_string_equal(doc->title,
	    "tuyên truyền cải cách hành chính năm 2022");
	assert_int_equal(t->note_line, 0);
	t = plan_task_find(p, "b1");
	assert_non_null(doc = t->doc);
	assert_null(doc->number);
	assert_int_equal(doc->date, -1);
	assert_null(doc->issuer);
	assert_string_equal(doc->title,
	    "tuyên truyền cải cách hành chính năm 2023");
	t = plan_task_find(p, "c1");
	assert_null(t->doc);
	assert_int_equal(t->note_line, 5);
	plan_free(p);
	diag_clear(&d);
}

/* Days since 1970-01-01 and back, weekdays, the YYYY-MM-DD parser. */
static void
test_days(void **state)
{
	static const struct {
		const char	*text;
		int		 y, m, d;
		plan_day	 day;
		int		 weekday;
	} cases[] = {
		{ "1970-01-01", 1970, 1, 1, 0, 4 },
		{ "1969-12-31", 1969, 12, 31, -1, 3 },
		{ "2000-02-29", 2000, 2, 29, 11016, 2 },
		{ "2022-04-30", 2022, 4, 30, 19112, 6 },
		{ "2022-05-01", 2022, 5, 1, 19113, 0 },
		{ "2024-12-31", 2024, 12, 31, 20088, 2 },
		{ "1900-03-01", 1900, 3, 1, -25508, 4 },
		{ "9999-12-31", 9999, 12, 31, 2932896, 5 },
	};
	static const char *const bad[] = {
		"2022-02-29", "1900-02-29", "2022-13-01", "2022-00-10",
		"2022-04-31", "2022-4-30", "22-04-30", "2022/04/30",
		"2022-04-30x", "", "0000-01-01", "2022-04-3a",
	};
	plan_day	v;
	size_t		i;
	int		y, m, d;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		if (plan_parse_day(cases[i].text, &v) != 0 ||
		    v != cases[i].day)
			fail_msg("case '%s': got %d", cases[i].text, (int)v);
		assert_int_equal(plan_day_from_ymd(cases[i].y, cases[i].m,
		    cases[i].d), cases[i].day);
		plan_day_to_ymd(cases[i].day, &y, &m, &d);
		if (y != cases[i].y || m != cases[i].m || d != cases[i].d)
			fail_msg("case '%s': back to %04d-%02d-%02d",
			    cases[i].text, y, m, d);
		if (plan_weekday(cases[i].day) != cases[i].weekday)
			fail_msg("case '%s': weekday %d", cases[i].text,
			    plan_weekday(cases[i].day));
	}
	for (i = 0; i < nitems(bad); i++) {
		if (plan_parse_day(bad[i], &v) != -1)
			fail_msg("'%s' parsed", bad[i]);
	}
	/* Round trip over some centuries. */
	for (v = -800000; v < 800000; v += 997) {
		plan_day_to_ymd(v, &y, &m, &d);
		assert_int_equal(plan_day_from_ymd(y, m, d), v);
	}
}

/* Files through a glob: sorted, named as found; a glob matching nothing. */
static void
test_glob(void **state)
{
	char		 dir[] = "/tmp/nv-test-plan-XXXXXX", path[256], pat[256];
	char		 want[600];
	struct plan	*p;
	struct diag	 d;
	FILE		*fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/20-tasks.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("[task t]\nlead = a\nmonth = 2022-08\nremind = end@trua\n"
	    "channels = zalo\n", fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(path, sizeof(path), "%s/10-agencies.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("[agency a]\n\n[window trua]\nstart = 11:00\nend = 11:30\n",
	    fp);
	assert_int_equal(fclose(fp), 0);

	snprintf(pat, sizeof(pat), "%s/*.conf", dir);
	diag_init(&d);
	p = plan_load_glob(pat, &d);
	if (p == NULL)
		dump("glob", &d);
	assert_non_null(p);
	assert_int_equal(p->nfiles, 2);
	assert_string_equal(p->files[0], path);
	assert_ptr_equal(p->windows[0].where.file, p->files[0]);
	assert_int_equal(p->windows[0].where.line, 3);
	assert_ptr_equal(p->tasks[0].where.file, p->files[1]);
	plan_free(p);
	diag_clear(&d);

	/* An error in a file found by the glob names that file. */
	assert_non_null(fp = fopen(path, "a"));
	fputs("[agency a]\n", fp);
	assert_int_equal(fclose(fp), 0);
	diag_init(&d);
	assert_null(plan_load_glob(pat, &d));
	assert_int_equal(d.n, 1);
	snprintf(want, sizeof(want), "%s:6: duplicate agency 'a' (first "
	    "defined at %s:1)", path, path);
	assert_string_equal(d.msgs[0], want);
	diag_clear(&d);

	unlink(path);
	snprintf(path, sizeof(path), "%s/20-tasks.conf", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);

	snprintf(pat, sizeof(pat), "%s/*.conf", dir);
	diag_init(&d);
	assert_null(plan_load_glob(pat, &d));
	assert_int_equal(d.n, 1);
	assert_int_equal(d.nerrors, 1);
	snprintf(want, sizeof(want), "%s/*.conf: no plan files match", dir);
	assert_string_equal(d.msgs[0], want);
	diag_clear(&d);
}

/* What most bad cases need: two agencies, a group, a window. */
#define BASE	"[agency a1]\n[agency a2]\n[group g1]\nmembers = a1, a2\n" \
		"[window trua]\nstart = 11:00\nend = 11:30\n"	/* 7 lines */
/* A task's required keys but its first line, "[task t]" and lead = a1. */
#define TASK	"[task t]\nlead = a1\n"				/* 2 lines */
#define WHEN	"date = 2022-04-30\n"
#define REST	"remind = end-1d@08:00\nchannels = zalo\n"
#define IDH	"use a-z, 0-9, '_' and '-', starting with a letter or digit"
#define SPECH	"use ANCHOR[±Nd]@TIME, e.g. end-1d@08:00 or end@trua-30m " \
		"(ANCHOR: start or end; TIME: HH:MM or WINDOW±DURATION)"
#define RULEH	"use an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=-1SA"
#define MALFORMED "MALFORMEDDATA: An input string was not correctly " \
		"formed or a component has missing or extra properties"

/* A plan that must fail, and every message it must give, in order. */
static const struct {
	const char	*name;
	const char	*a;		/* a.conf */
	const char	*b;		/* b.conf, or NULL */
	const char	*msgs[MSGS_MAX];
} bad_cases[] = {
	/* Sections and keys. */
	{ "unknown section with a suggestion",
	    "[agencie noi-vu]\nname = x\n[calender]\n", NULL,
	    { "a.conf:1: unknown section [agencie noi-vu]; did you mean "
	      "[agency noi-vu]?",
	      "a.conf:3: unknown section [calender]; did you mean "
	      "[calendar]?" } },
	{ "unknown section without a suggestion",
	    "[channel zalo]\ntype = zalo\n", NULL,
	    { "a.conf:1: unknown section [channel zalo]; use [calendar], "
	      "[plan], [window ID], [agency ID], [group ID] or [task ID]" } },
	{ "bad section ids",
	    "[agency Noi_Vu]\n[task]\n[calendar 2022]\n[group -x]\n"
	    "[window ca-2]\n", NULL,
	    { "a.conf:1: bad agency id 'Noi_Vu': " IDH,
	      "a.conf:2: [task] needs a name: [task ID], ID made of a-z, 0-9, "
	      "'_' and '-', starting with a letter or digit",
	      "a.conf:3: [calendar] takes no name; write [calendar]",
	      "a.conf:4: bad group id '-x': " IDH,
	      "a.conf:5: bad window id 'ca-2': reminders would read '-2' as "
	      "an offset; put no digit right after a '-'" } },
	{ "unknown key with a suggestion",
	    BASE TASK "titel = x\n" WHEN REST, NULL,
	    { "a.conf:10: unknown key 'titel' in [task t]; did you mean "
	      "'title'?" } },
	{ "unknown key without a suggestion",
	    "[agency a]\nfax = 123\n[window w]\nstart = 11:00\nend = 12:00\n"
	    "color = red\n", NULL,
	    { "a.conf:2: unknown key 'fax' in [agency a]; use 'name', "
	      "'head', 'zalo', 'phone' or 'email'",
	      "a.conf:6: unknown key 'color' in [window w]; use 'name', "
	      "'start' or 'end'" } },
	{ "duplicate key",
	    "[agency a]\nphone = 0912345678\nphone = 0912345679\n", NULL,
	    { "a.conf:3: duplicate key 'phone' in [agency a]; the first is "
	      "at line 2" } },
	{ "key outside any section",
	    "timezone = Asia/Ho_Chi_Minh\n[calendar]\n", NULL,
	    { "a.conf:1: 'timezone' is outside any section; put it under a "
	      "section: use [calendar], [plan], [window ID], [agency ID], "
	      "[group ID] or [task ID]" } },
	{ "syntax the reader rejects",
	    "[agency a\nname = x\n[agency b] name = y\nphone 0912345678\n"
	    "= 1\n", NULL,
	    { "a.conf:1: missing ']' after the section name; write [name]",
	      "a.conf:3: unexpected text after ']'; a comment starts with "
	      "';'",
	      "a.conf:4: expected 'key = value' or '[section]'",
	      "a.conf:5: missing key before '='; expected 'key = value'" } },

	/* Ids across files. */
	{ "duplicate id across two files",
	    "; agencies\n\n\n\n\n\n\n\n\n[agency noi-vu]\n", 
	    "; more agencies\n\n[agency noi-vu]\nname = Phòng Nội vụ\n",
	    { "b.conf:3: duplicate agency 'noi-vu' (first defined at "
	      "a.conf:10)" } },
	{ "duplicate window and task; [calendar] twice is fine",
	    BASE TASK WHEN REST "[calendar]\n",
	    "[window trua]\nstart = 11:00\nend = 11:30\n" TASK WHEN REST
	    "[calendar]\n",
	    { "b.conf:1: duplicate window 'trua' (first defined at a.conf:5)",
	      "b.conf:4: duplicate task 't' (first defined at a.conf:8)" } },
	{ "a group with an agency's id",
	    "[agency x]\n[group x]\nmembers = x\n", NULL,
	    { "a.conf:2: group 'x' has the id of agency 'x' (a.conf:1); "
	      "members and partners could not tell them apart: rename "
	      "one" } },

	/* Calendar. */
	{ "unknown time zone",
	    "[calendar]\ntimezone = Asia/Ho_Chi_Mihn\n", NULL,
	    { "a.conf:2: timezone: unknown time zone 'Asia/Ho_Chi_Mihn'; "
	      "did you mean 'Asia/Ho_Chi_Minh'?" } },
	{ "time zone in the wrong case",
	    "[calendar]\ntimezone = asia/ho_chi_minh\n", NULL,
	    { "a.conf:2: timezone: unknown time zone 'asia/ho_chi_minh'; "
	      "did you mean 'Asia/Ho_Chi_Minh'?" } },
	{ "unknown time zone without a suggestion",
	    "[calendar]\ntimezone = ICT\n", NULL,
	    { "a.conf:2: timezone: unknown time zone 'ICT'; use an IANA "
	      "name, e.g. Asia/Ho_Chi_Minh" } },
	{ "bad workdays",
	    "[calendar]\nworkdays = mon-fry\n", "[calendar]\nworkdays = "
	    "fri-mon\n",
	    { "a.conf:2: workdays: bad value 'mon-fry': use sun, mon, tue, "
	      "wed, thu, fri and sat, listed or in ranges, e.g. mon-fri or "
	      "mon,wed,fri",
	      "b.conf:2: workdays: bad value 'fri-mon': use sun, mon, tue, "
	      "wed, thu, fri and sat, listed or in ranges, e.g. mon-fri or "
	      "mon,wed,fri" } },
	{ "bad holidays",
	    "[calendar]\nholidays = 2022-02-30, 2022-02-04..2022-01-31, "
	    "2022-01-01..2023-06-01, 2022-05-02..2022-5-3\n"
	    "extra_workdays = 2022-01-08,, 2022-01-15\n", NULL,
	    { "a.conf:2: holidays: bad day '2022-02-30': use YYYY-MM-DD or a "
	      "range YYYY-MM-DD..YYYY-MM-DD, e.g. 2022-09-01..2022-09-02",
	      "a.conf:2: holidays: the range '2022-02-04..2022-01-31' ends "
	      "before it starts; put the earlier day first",
	      "a.conf:2: holidays: the range '2022-01-01..2023-06-01' is "
	      "longer than a year; check the years",
	      "a.conf:2: holidays: bad day '2022-05-02..2022-5-3': use "
	      "YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, e.g. "
	      "2022-09-01..2022-09-02",
	      "a.conf:3: extra_workdays: empty item in '2022-01-08,, "
	      "2022-01-15'; separate days with one comma" } },
	{ "a day both holiday and extra working day",
	    "[calendar]\nextra_workdays = 2022-01-08, 2022-02-05\n"
	    "holidays = 2022-01-31..2022-02-05\n", NULL,
	    { "a.conf:2: extra_workdays: 2022-02-05 is also a holiday; a day "
	      "is a holiday or an extra working day, not both" } },
	{ "a day both holiday and extra working day, in two [calendar]",
	    "[calendar]\nholidays = 2022-09-01..2022-09-02\n"
	    "extra_workdays = 2023-01-14\n",
	    "; 2023\n[calendar]\nholidays = 2023-01-20..2023-01-26\n"
	    "extra_workdays = 2022-09-02\n[calendar]\n"
	    "holidays = 2023-01-14\n",
	    { "b.conf:4: extra_workdays: 2022-09-02 is also a holiday; a day "
	      "is a holiday or an extra working day, not both",
	      "b.conf:6: holidays: 2023-01-14 is an extra working day in an "
	      "earlier [calendar]; a day is a holiday or an extra working "
	      "day, not both" } },
	{ "timezone and workdays given twice, different",
	    "[calendar]\ntimezone = Asia/Ho_Chi_Minh\n\n[calendar]\n"
	    "workdays = mon-fri\ntimezone = Asia/Ho_Chi_Minh\n",
	    "[calendar]\nholidays = 2023-01-02\n"
	    "timezone = Asia/Bangkok\nworkdays = mon-sat\n",
	    { "b.conf:3: timezone: 'Asia/Bangkok' differs from "
	      "'Asia/Ho_Chi_Minh' at a.conf:2; a plan has one time zone: set "
	      "it in one [calendar]",
	      "b.conf:4: workdays: mon, tue, wed, thu, fri, sat differs from "
	      "mon, tue, wed, thu, fri at a.conf:5; a plan has one working "
	      "week: set it in one [calendar]" } },
	{ "a key twice in one [calendar] is still a duplicate",
	    "[calendar]\nholidays = 2022-01-03\nholidays = 2022-04-11\n",
	    NULL,
	    { "a.conf:3: duplicate key 'holidays' in [calendar]; the first is "
	      "at line 2" } },

	/* The plan document. */
	{ "[plan]: twice in a file, bad values, unknown key",
	    "[plan]\nnumber = 45/KH-UBND\n\n[plan]\ndate = 2022-02-30\n"
	    "title =\nsigner = Chủ tịch\n", NULL,
	    { "a.conf:4: duplicate [plan] in this file (first at line 1); a "
	      "file names one plan, the one its tasks come from",
	      "a.conf:5: date: bad day '2022-02-30': use YYYY-MM-DD, e.g. "
	      "2022-01-01",
	      "a.conf:6: title: empty value; give a value or remove the line",
	      "a.conf:7: unknown key 'signer' in [plan]; use 'number', 'date', "
	      "'issuer' or 'title'" } },
	{ "[plan] takes no name",
	    "[plan 2022]\n", NULL,
	    { "a.conf:1: [plan] takes no name; write [plan]" } },

	/* Windows. */
	{ "window end not after start",
	    "[window trua]\nstart = 11:30\nend = 11:00\n"
	    "[window chieu]\nstart = 16:45\nend = 16:45\n", NULL,
	    { "a.conf:3: end: 11:00 is not after start 11:30; a window ends "
	      "later the same day",
	      "a.conf:6: end: 16:45 is not after start 16:45; a window ends "
	      "later the same day" } },
	{ "window without start or end, bad time",
	    "[window trua]\nend = 11:30\n[window chieu]\nstart = 16:45\n"
	    "[window toi]\nstart = 19:00\nend = 24:00\n", NULL,
	    { "a.conf:1: window 'trua' has no start: set start = HH:MM, e.g. "
	      "11:00",
	      "a.conf:3: window 'chieu' has no end: set end = HH:MM, e.g. "
	      "11:30",
	      "a.conf:7: end: bad time '24:00': use HH:MM from 00:00 to "
	      "23:59, e.g. 08:30" } },

	/* Agencies. */
	{ "bad contacts",
	    "[agency a]\nphone = 091234567\nemail = dtt.example.gov.vn\n"
	    "zalo = 52183-91034\n[agency b]\nphone = 0912 345 678\n"
	    "email = dtt@example\n[agency c]\nphone = 85912345678\n"
	    "email = a@b@c.vn\nname =\n", NULL,
	    { "a.conf:2: phone: bad phone number '091234567': use 0 or 84 and "
	      "then 9 or 10 digits, e.g. 0912345678 or 84912345678",
	      "a.conf:3: email: bad address 'dtt.example.gov.vn': use "
	      "NAME@DOMAIN, e.g. dtt@example.gov.vn",
	      "a.conf:4: zalo: bad Zalo user id '52183-91034': use its "
	      "digits, e.g. 5218391034920148231",
	      "a.conf:6: phone: bad phone number '0912 345 678': use 0 or 84 "
	      "and then 9 or 10 digits, e.g. 0912345678 or 84912345678",
	      "a.conf:7: email: bad address 'dtt@example': use NAME@DOMAIN, "
	      "e.g. dtt@example.gov.vn",
	      "a.conf:9: phone: bad phone number '85912345678': use 0 or 84 "
	      "and then 9 or 10 digits, e.g. 0912345678 or 84912345678",
	      "a.conf:10: email: bad address 'a@b@c.vn': use NAME@DOMAIN, "
	      "e.g. dtt@example.gov.vn",
	      "a.conf:11: name: empty value; give a value or remove the "
	      "line" } },

	/* Groups. */
	{ "unknown group member",
	    "[agency noi-vu]\n[group phong-ban]\nmembers = noi-vu\n"
	    "[group tat-ca]\nmembers = phong-x, noi-vu, so-y-te\n", NULL,
	    { "a.conf:5: unknown agency or group 'phong-x' in members; did "
	      "you mean 'phong-ban'?",
	      "a.conf:5: unknown agency or group 'so-y-te' in members; define "
	      "[agency so-y-te] or [group so-y-te]" } },
	{ "group cycle",
	    "[agency x]\n[group a]\nmembers = x, b\n", 
	    "[group b]\nmembers = c\n[group c]\nmembers = a, x\n"
	    "[group d]\nmembers = d\n",
	    { "a.conf:3: group cycle a → b → c → a: a group cannot contain "
	      "itself, even through other groups; remove a member to break "
	      "it",
	      "b.conf:6: group cycle d → d: a group cannot contain itself, "
	      "even through other groups; remove a member to break it" } },
	{ "group without members, bad member lists",
	    "[agency a]\n[group g]\nname = G\n[group h]\nmembers =\n"
	    "[group i]\nmembers = a, A, a\n[group j]\nmembers = a,\n", NULL,
	    { "a.conf:2: group 'g' has no members: set members = AGENCY or "
	      "GROUP, ...",
	      "a.conf:5: members: empty value; give a value or remove the "
	      "line",
	      "a.conf:7: members: bad id 'A': " IDH,
	      "a.conf:7: members: 'a' is listed twice; list it once",
	      "a.conf:9: members: empty item in 'a,'; separate names with one "
	      "comma" } },

	/* Tasks: who. */
	{ "unknown lead and partners",
	    BASE "[task t]\nlead = a3\npartners = g1, g1x, a1, x\n" WHEN REST,
	    NULL,
	    { "a.conf:9: unknown agency 'a3' in lead; did you mean 'a1'?",
	      "a.conf:10: unknown agency or group 'g1x' in partners; did "
	      "you mean 'g1'?",
	      "a.conf:10: unknown agency or group 'x' in partners; define "
	      "[agency x] or [group x]" } },
	{ "a group as lead",
	    BASE "[task t]\nlead = g1\n" WHEN REST, NULL,
	    { "a.conf:9: lead: 'g1' is a group, but lead must be one agency; "
	      "name the agency that leads and put the group in partners" } },
	{ "no lead, no channels, no reminders",
	    BASE "[task t]\n" WHEN "remind =\n", NULL,
	    { "a.conf:8: task 't' has no lead: set lead = AGENCY, the one "
	      "agency that leads it",
	      "a.conf:8: task 't' has no reminders: set remind or remind_lead, "
	      "e.g. remind = end-1d@08:00",
	      "a.conf:8: task 't' has no channels: set channels = NAME, ... "
	      "with the [channel NAME] sections of the main config, e.g. "
	      "channels = zalo, email" } },
	{ "bad lead and channels",
	    BASE "[task t]\nlead = Noi Vu\n" WHEN "remind = end@08:00\n"
	    "channels =\n[task u]\nlead = a1\n" WHEN "remind = end@08:00\n"
	    "channels = zalo, Email, zalo\n", NULL,
	    { "a.conf:9: lead: bad id 'Noi Vu': " IDH,
	      "a.conf:12: channels: empty value; give a value or remove the "
	      "line",
	      "a.conf:17: channels: bad channel name 'Email': use a-z, 0-9, "
	      "'_' and '-'",
	      "a.conf:17: channels: 'zalo' is listed twice; list it once" } },

	/* Tasks: when. */
	{ "no date form",
	    BASE TASK REST, NULL,
	    { "a.conf:8: task 't' has no date: set one of rule, date, dates, "
	      "month, quarter, lunar" } },
	{ "two date forms",
	    BASE TASK "month = 2022-04\n" WHEN REST, NULL,
	    { "a.conf:8: task 't' has more than one date: month (line 10) and "
	      "date (line 11); keep one of rule, date, dates, month, "
	      "quarter, lunar" } },
	{ "three date forms",
	    BASE TASK "quarter = 2022-Q2\nrule = FREQ=DAILY\n"
	    "start = 2022-01-01\ndates = 2022-04-30\n" REST, NULL,
	    { "a.conf:8: task 't' has more than one date: quarter (line 10), "
	      "rule (line 11) and dates (line 13); keep one of rule, date, "
	      "dates, month, quarter, lunar" } },
	{ "rule libical rejects",
	    BASE TASK "rule = FREQ=MONTLY;BYDAY=-1SA\nstart = 2022-01-01\n"
	    REST, NULL,
	    { "a.conf:10: rule: libical rejects 'FREQ=MONTLY;BYDAY=-1SA': "
	      MALFORMED "; " RULEH } },
	{ "rule libical rejects from its start",
	    BASE TASK "rule = FREQ=YEARLY;BYMONTH=13\nstart = 2022-01-01\n"
	    REST, NULL,
	    { "a.conf:10: rule: libical rejects 'FREQ=YEARLY;BYMONTH=13': "
	      MALFORMED "; " RULEH } },
	{ "rule without FREQ, hourly, with UNTIL",
	    BASE TASK "rule = BYDAY=SA\nstart = 2022-01-01\n" REST
	    TASK "rule = FREQ=HOURLY\nstart = 2022-01-01\n" REST
	    TASK "rule = FREQ=WEEKLY;UNTIL=20221231\nstart = 2022-01-01\n"
	    REST, NULL,
	    { "a.conf:10: rule: 'BYDAY=SA' has no FREQ; " RULEH,
	      "a.conf:14: duplicate task 't' (first defined at a.conf:8)",
	      "a.conf:16: rule: FREQ=HOURLY repeats within a day, but an "
	      "occurrence is a whole day; use DAILY, WEEKLY, MONTHLY or "
	      "YEARLY",
	      "a.conf:20: duplicate task 't' (first defined at a.conf:8)",
	      "a.conf:22: rule: UNTIL is not taken in rule; give the last day "
	      "as until = YYYY-MM-DD" } },
	{ "rule without start, start and until without rule",
	    BASE TASK "rule = FREQ=MONTHLY\nuntil = 2022-12-31\n" REST
	    "[task u]\nlead = a1\n" WHEN "start = 2022-01-01\n"
	    "until = 2022-12-31\n" REST, NULL,
	    { "a.conf:10: rule: a rule needs start = YYYY-MM-DD, the day it "
	      "counts from",
	      "a.conf:17: start: only rule and lunar take start and until; "
	      "remove it, or add rule = RRULE or lunar = D/M",
	      "a.conf:18: until: only rule and lunar take start and until; "
	      "remove it, or add rule = RRULE or lunar = D/M" } },
	{ "until before start",
	    BASE TASK "rule = FREQ=MONTHLY\nstart = 2022-01-01\n"
	    "until = 2021-12-31\n" REST, NULL,
	    { "a.conf:12: until: 2021-12-31 is before start 2022-01-01; the "
	      "last day cannot come before the first" } },
	{ "bad dates, month, quarter",
	    BASE TASK "date = 2022-02-29\n" REST
	    "[task u]\nlead = a1\ndates = 2022-04-30, 30/04/2022, "
	    "2022-04-30\n" REST
	    "[task v]\nlead = a1\nmonth = 2022-4\n" REST
	    "[task w]\nlead = a1\nquarter = 2022-Q5\n" REST
	    "[task x]\nlead = a1\nrule = FREQ=DAILY\nstart = 2022-1-1\n" REST,
	    NULL,
	    { "a.conf:10: date: bad day '2022-02-29': use YYYY-MM-DD, e.g. "
	      "2022-04-30",
	      "a.conf:15: dates: bad day '30/04/2022': use YYYY-MM-DD, e.g. "
	      "2022-04-30",
	      "a.conf:15: dates: 2022-04-30 is listed twice; list each day "
	      "once",
	      "a.conf:20: month: bad month '2022-4': use YYYY-MM, e.g. "
	      "2022-04",
	      "a.conf:25: quarter: bad quarter '2022-Q5': use YYYY-Qn with n "
	      "from 1 to 4, e.g. 2022-Q2",
	      "a.conf:31: start: bad day '2022-1-1': use YYYY-MM-DD, e.g. "
	      "2022-01-01" } },

	/* Tasks: lunar dates. */
	{ "bad lunar dates",
	    BASE TASK "lunar = 31/3\n" REST
	    "[task u]\nlead = a1\nlunar = 10/13\n" REST
	    "[task v]\nlead = a1\nlunar = 10-3\n" REST
	    "[task w]\nlead = a1\nlunar = 10/3n\n" REST
	    "[task x]\nlead = a1\nlunar = 0/1\n" REST
	    "[task y]\nlead = a1\nlunar =\n" REST, NULL,
	    { "a.conf:10: lunar: bad lunar date '31/3': use DAY/MONTH of the "
	      "lunar calendar, e.g. 10/3 (the 10th of the 3rd month) or 1/1 "
	      "(Tết)",
	      "a.conf:15: lunar: bad lunar date '10/13': use DAY/MONTH of the "
	      "lunar calendar, e.g. 10/3 (the 10th of the 3rd month) or 1/1 "
	      "(Tết)",
	      "a.conf:20: lunar: bad lunar date '10-3': use DAY/MONTH of the "
	      "lunar calendar, e.g. 10/3 (the 10th of the 3rd month) or 1/1 "
	      "(Tết)",
	      "a.conf:25: lunar: bad lunar date '10/3n': use DAY/MONTH of the "
	      "lunar calendar, e.g. 10/3 (the 10th of the 3rd month) or 1/1 "
	      "(Tết)",
	      "a.conf:30: lunar: bad lunar date '0/1': use DAY/MONTH of the "
	      "lunar calendar, e.g. 10/3 (the 10th of the 3rd month) or 1/1 "
	      "(Tết)",
	      "a.conf:35: lunar: empty value; give a value or remove the "
	      "line" } },
	{ "lunar with another date, until before start",
	    BASE TASK "lunar = 10/3\n" WHEN REST
	    "[task u]\nlead = a1\nlunar = 1/1\nstart = 2023-01-01\n"
	    "until = 2022-12-31\n" REST, NULL,
	    { "a.conf:8: task 't' has more than one date: lunar (line 10) and "
	      "date (line 11); keep one of rule, date, dates, month, quarter, "
	      "lunar",
	      "a.conf:18: until: 2022-12-31 is before start 2023-01-01; the "
	      "last day cannot come before the first" } },

	/* Tasks: reminders. */
	{ "bad reminder specs",
	    BASE TASK WHEN "remind = end-1@08:00, due@08:00, end-1d 08:00, "
	    "end@, start+400d@08:00, end@25:00, end@Trua\n"
	    "channels = zalo\n", NULL,
	    { "a.conf:11: remind: bad reminder 'end-1@08:00': " SPECH,
	      "a.conf:11: remind: bad reminder 'due@08:00': " SPECH,
	      "a.conf:11: remind: bad reminder 'end-1d 08:00': " SPECH,
	      "a.conf:11: remind: bad reminder 'end@': " SPECH,
	      "a.conf:11: remind: bad reminder 'start+400d@08:00': the day "
	      "count must be from 0 to 366",
	      "a.conf:11: remind: bad time '25:00' in 'end@25:00': use HH:MM "
	      "from 00:00 to 23:59, e.g. 08:30",
	      "a.conf:11: remind: bad reminder 'end@Trua': " SPECH } },
	{ "bad durations",
	    BASE TASK WHEN "remind_lead = end@trua-30x, start@trua+2d, "
	    "end@trua-1h30\n" "channels = zalo\n", NULL,
	    { "a.conf:11: remind_lead: bad duration '30x' in 'end@trua-30x': "
	      "use a number and a unit, e.g. 30m, 2h or 1h30m",
	      "a.conf:11: remind_lead: offset '2d' in 'start@trua+2d' is more "
	      "than a day: move the day instead, e.g. start+1d@trua",
	      "a.conf:11: remind_lead: bad duration '1h30' in "
	      "'end@trua-1h30': use a number and a unit, e.g. 30m, 2h or "
	      "1h30m" } },
	{ "unknown window in a spec",
	    BASE TASK WHEN "remind = end@trau-30m, end-1d@08:00\n"
	    "remind_lead = start@sang\nchannels = zalo\n", NULL,
	    { "a.conf:11: unknown window 'trau' in remind 'end@trau-30m'; did "
	      "you mean 'trua'?",
	      "a.conf:12: unknown window 'sang' in remind_lead 'start@sang'; "
	      "define [window sang]" } },
	{ "the same reminder twice",
	    BASE TASK WHEN "remind = end-1d@08:00, end-1d@8:00, end@trua, "
	    "end@trua-0m, end@trua\nchannels = zalo\n", NULL,
	    { "a.conf:11: remind: 'end-1d@8:00' is the same reminder as "
	      "'end-1d@08:00'; list it once",
	      "a.conf:11: remind: 'end@trua-0m' is the same reminder as "
	      "'end@trua'; list it once",
	      "a.conf:11: remind: 'end@trua' is listed twice; list it once" } },
	{ "stop_on neither done nor acknowledged",
	    BASE TASK WHEN REST "stop_on = seen\n", NULL,
	    { "a.conf:13: stop_on: 'seen' is neither done nor acknowledged: "
	      "use stop_on = done (the default) or stop_on = acknowledged" } },
	{ "escalations that name nobody, a bad spec, a bad id, twice",
	    BASE TASK WHEN REST
	    "escalate = a1, end+2d@trua > a2, end+3d > a1\n"
	    "[task u]\nlead = a1\n" WHEN REST
	    "escalate = end+1d@08:00 >, end+2d@08:00 > A1\n"
	    "[task v]\nlead = a1\n" WHEN REST
	    "escalate = end+1d@08:00 > a1, end+1d@8:00 > a2\n", NULL,
	    { "a.conf:13: escalate: 'a1' names nobody: use SPEC > AGENCY, "
	      "e.g. escalate = end+1d@08:00 > noi-vu",
	      "a.conf:13: escalate: bad reminder 'end+3d': " SPECH,
	      "a.conf:19: escalate: 'end+1d@08:00' names nobody after '>': "
	      "name the agencies (or groups) to tell, separated by commas",
	      "a.conf:19: escalate: bad id 'A1': " IDH,
	      "a.conf:25: escalate: 'end+1d@8:00' is given twice; name "
	      "everyone to tell after one '>'" } },
	{ "an escalation to an unknown agency and window",
	    BASE TASK WHEN REST "escalate = end+1d@toi > noi-vu, g1\n", NULL,
	    { "a.conf:13: unknown agency or group 'noi-vu' in escalate; "
	      "define [agency noi-vu] or [group noi-vu]",
	      "a.conf:13: unknown window 'toi' in escalate 'end+1d@toi'; "
	      "define [window toi]" } },
	{ "remind_lead repeating remind",
	    BASE TASK WHEN "remind = end-1d@08:00, end@trua\n"
	    "remind_lead = end@trua+1h, end-1d@08:00, end+0d@trua\n"
	    "channels = zalo\n", NULL,
	    { "a.conf:12: remind_lead: 'end-1d@08:00' is also in remind, "
	      "which reaches the lead already; keep it in one of them",
	      "a.conf:12: remind_lead: 'end+0d@trua' is also in remind, "
	      "which reaches the lead already; keep it in one of them" } },
	{ "empty text",
	    BASE TASK WHEN REST "title =\nnote =\ntemplate =\n", NULL,
	    { "a.conf:13: title: empty value; give a value or remove the line",
	      "a.conf:14: note: empty value; give a value or remove the line",
	      "a.conf:15: template: empty value; give a value or remove the "
	      "line" } },

	/* All errors, in line order, the ones found at the end included. */
	{ "several errors, all reported in line order",
	    "[calendar]\n"					/* 1 */
	    "timezone = Asia/Hanoi\n"				/* 2 */
	    "[window trua]\n"					/* 3 */
	    "start = 11:30\n"					/* 4 */
	    "end = 11:00\n"					/* 5 */
	    "[agency noi-vu]\n"					/* 6 */
	    "phone = 12345\n"					/* 7 */
	    "[group phong-ban]\n"				/* 8 */
	    "members = noi-vu, van-hoa\n"			/* 9 */
	    "[task dan-hoi]\n"					/* 10 */
	    "lead = noi-vu\n"					/* 11 */
	    "partners = phong-ban\n"				/* 12 */
	    "rule = FREQ=MONTLY\n"				/* 13 */
	    "start = 2022-01-01\n"				/* 14 */
	    "remind = end-1d@08:00, end@trau\n"			/* 15 */
	    "remind_lead = end@trua-30\n"			/* 16 */
	    "chanels = zalo\n"					/* 17 */
	    "[task bao-cao]\n"					/* 18 */
	    "lead = noi-vu\n"					/* 19 */
	    "remind = end@08:00\n"				/* 20 */
	    "channels = zalo\n",				/* 21 */
	    NULL,
	    { "a.conf:2: timezone: unknown time zone 'Asia/Hanoi'; use an "
	      "IANA name, e.g. Asia/Ho_Chi_Minh",
	      "a.conf:5: end: 11:00 is not after start 11:30; a window ends "
	      "later the same day",
	      "a.conf:7: phone: bad phone number '12345': use 0 or 84 and then "
	      "9 or 10 digits, e.g. 0912345678 or 84912345678",
	      "a.conf:9: unknown agency or group 'van-hoa' in members; define "
	      "[agency van-hoa] or [group van-hoa]",
	      "a.conf:10: task 'dan-hoi' has no channels: set channels = NAME, "
	      "... with the [channel NAME] sections of the main config, e.g. "
	      "channels = zalo, email",
	      "a.conf:13: rule: libical rejects 'FREQ=MONTLY': " MALFORMED
	      "; " RULEH,
	      "a.conf:15: unknown window 'trau' in remind 'end@trau'; did you "
	      "mean 'trua'?",
	      "a.conf:16: remind_lead: bad duration '30' in 'end@trua-30': use "
	      "a number and a unit, e.g. 30m, 2h or 1h30m",
	      "a.conf:17: unknown key 'chanels' in [task dan-hoi]; did you "
	      "mean 'channels'?",
	      "a.conf:18: task 'bao-cao' has no date: set one of rule, date, "
	      "dates, month, quarter, lunar" } },
};

static void
test_bad(void **state)
{
	struct plan	*p;
	struct diag	 d;
	size_t		 i, j, n;

	(void)state;
	for (i = 0; i < nitems(bad_cases); i++) {
		p = load2(bad_cases[i].a, bad_cases[i].b, &d);
		for (n = 0; n < MSGS_MAX && bad_cases[i].msgs[n] != NULL; n++)
			;
		if (p != NULL || d.n != n || d.nerrors != n) {
			dump(bad_cases[i].name, &d);
			plan_free(p);
			fail_msg("case '%s': want %zu errors and no plan",
			    bad_cases[i].name, n);
		}
		for (j = 0; j < n; j++) {
			if (strcmp(d.msgs[j], bad_cases[i].msgs[j]) != 0) {
				dump(bad_cases[i].name, &d);
				fail_msg("case '%s': message %zu:\n got  %s\n "
				    "want %s", bad_cases[i].name, j, d.msgs[j],
				    bad_cases[i].msgs[j]);
			}
		}
		diag_clear(&d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_lunar),
		cmocka_unit_test(test_default_calendar),
		cmocka_unit_test(test_semicolon),
		cmocka_unit_test(test_calendars_add_up),
		cmocka_unit_test(test_plan_doc),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
