/* The plan: calendar, broadcast windows, agencies, groups and tasks, read from plan files. */
#ifndef NV_PLAN_H
#define NV_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* A civil date as days since 1970-01-01 (Thursday). */
typedef int32_t plan_day;

struct plan_where {
	const char	*file;		/* points into plan->files */
	unsigned	 line;		/* the line of the [section] header */
};

struct plan_calendar {
	struct plan_where where;	/* file NULL: no [calendar], defaults */
	char		*timezone;	/* IANA name; default Asia/Ho_Chi_Minh */
	unsigned	 workdays;	/* bit d set: weekday d works (0 = Sunday) */
	plan_day	*holidays;	/* sorted, each day once */
	size_t		 nholidays;
	plan_day	*extra_workdays;	/* sorted */
	size_t		 nextra;
};

/*
 * The plan document a file's tasks come from ([plan] in that file), as
 * administrative letters cite it: "Kế hoạch số NUMBER ngày DATE của ISSUER
 * về TITLE". Every part may be missing.
 */
struct plan_doc {
	struct plan_where where;
	char		*number;	/* "45/KH-UBND" */
	plan_day	 date;		/* -1: none */
	char		*issuer;	/* "Ủy ban nhân dân huyện Thạnh Trị" */
	char		*title;		/* what it is about, as after "về" */
};

struct plan_window {
	struct plan_where where;
	char		*id;
	int		 start;		/* minutes after midnight */
	int		 end;		/* > start */
	char		*name;		/* display name; default: the id */
};

struct plan_agency {
	struct plan_where where;
	char		*id;
	char		*name;		/* default: the id */
	char		*head;		/* may be NULL */
	char		*zalo;		/* contact fields; NULL when absent */
	char		*phone;
	char		*email;
};

struct plan_group {
	struct plan_where where;
	char		*id;
	char		*name;
	char		**members;	/* agency or group ids, as written */
	size_t		 nmembers;
};

enum plan_anchor { ANCHOR_START, ANCHOR_END };

/* A reminder spec: ANCHOR[±Nd]@HH:MM or ANCHOR[±Nd]@WINDOW±DURATION. */
struct plan_spec {
	char		*text;		/* as written, trimmed: used in ids */
	enum plan_anchor anchor;
	int		 days;		/* the ±Nd, signed */
	int		 minutes;	/* HH:MM as minutes, when window is NULL */
	char		*window;	/* a window id, or NULL */
	int64_t		 offset_ms;	/* ±DURATION from the window's start */
};

enum plan_when {
	WHEN_RULE,		/* rule = RRULE, with start and until */
	WHEN_DATE,		/* date = 2022-04-30 */
	WHEN_DATES,		/* dates = 2022-04-30, 2022-05-28 */
	WHEN_MONTH,		/* month = 2022-04: the whole month */
	WHEN_QUARTER,		/* quarter = 2022-Q2 */
	WHEN_LUNAR,		/* lunar = 10/3: that lunar day, every year */
};

struct template;

/* escalate = SPEC > AGENCY, ...: told at SPEC how the recipients stand. */
struct plan_escalation {
	struct plan_spec	  spec;	/* text: "escalate:" + the spec */
	char			**to;	/* agency or group ids, as written */
	size_t			  nto;
};

struct plan_task {
	struct plan_where where;
	char		*id;
	char		*title;		/* default: the id */
	char		*lead;		/* an agency id */
	char		**partners;	/* agency or group ids, as written */
	size_t		 npartners;
	char		*note;
	enum plan_when	 when;
	char		*rule;		/* WHEN_RULE: the RRULE text */
	plan_day	 start;		/* WHEN_RULE: DTSTART's day; LUNAR: or -1 */
	plan_day	 until;		/* WHEN_RULE, WHEN_LUNAR: last day, or -1 */
	plan_day	*dates;		/* WHEN_DATE, WHEN_DATES: sorted */
	size_t		 ndates;
	int		 year;		/* WHEN_MONTH, WHEN_QUARTER */
	int		 month;		/* 1..12 */
	int		 quarter;	/* 1..4 */
	int		 lunar_day;	/* WHEN_LUNAR: 1..30 */
	int		 lunar_month;	/* WHEN_LUNAR: 1..12, never the leap one */
	struct plan_spec *remind;	/* to the lead and every partner */
	size_t		 nremind;
	struct plan_spec *remind_lead;	/* to the lead alone */
	size_t		 nremind_lead;
	char		**channels;	/* channel names from the main config */
	size_t		 nchannels;
	char		*template;	/* a template file, or NULL */
	struct template	*tmpl;		/* it, parsed by schedule_check */
	int		 stop_on_ack;	/* stop_on = acknowledged */
	struct plan_escalation *escalate;
	size_t		 nescalate;
	const struct plan_doc *doc;	/* the [plan] of its file, or NULL */
	unsigned	 note_line;	/* the line of note, or 0 */
};

struct plan {
	char			**files;	/* every file read, in order */
	size_t			  nfiles;
	struct plan_calendar	  calendar;
	struct plan_doc		 *docs;		/* one per file at most */
	size_t			  ndocs;
	struct plan_window	 *windows;
	size_t			  nwindows;
	struct plan_agency	 *agencies;
	size_t			  nagencies;
	struct plan_group	 *groups;
	size_t			  ngroups;
	struct plan_task	 *tasks;
	size_t			  ntasks;
	struct plan_index	 *index;	/* once loaded: lookups */
};

/*
 * Read every file the glob names (sorted), or, with texts != NULL, the
 * ntexts in-memory sources named by names (what Redis holds). All errors go
 * to d as FILE:LINE; NULL when there was any.
 */
struct plan	*plan_load_glob(const char *glob, struct diag *d);
struct plan	*plan_load_texts(const char *const *names,
		    const char *const *texts, size_t ntexts, struct diag *d);
void		 plan_free(struct plan *);

const struct plan_agency *plan_agency_find(const struct plan *, const char *);
const struct plan_group	 *plan_group_find(const struct plan *, const char *);
const struct plan_window *plan_window_find(const struct plan *, const char *);
const struct plan_task	 *plan_task_find(const struct plan *, const char *);

/*
 * The agencies a task's `remind` reaches: the lead, then every partner with
 * groups expanded, each agency once, in plan order. Returns the count and a
 * malloc'd array in *out.
 */
size_t		 plan_recipients(const struct plan *, const struct plan_task *,
		    const struct plan_agency ***out);
/* Whether the task's `remind` reaches the agency (no allocation). */
int		 plan_reaches(const struct plan *, const struct plan_task *,
		    const struct plan_agency *);

/*
 * The agencies id reaches: the agency itself, or every agency of the group
 * (groups of groups expanded), each once, in the order the groups list
 * them. Returns the count
 * (0 for an unknown id) and a malloc'd array in *out.
 */
size_t		 plan_members(const struct plan *, const char *id,
		    const struct plan_agency ***out);
/*
 * Every broadcast window as messages name them, "11:00–11:30 và
 * 16:45–18:30", in plan order; "" when there is none.
 */
void		 plan_windows_text(const struct plan *, char *buf, size_t len);
/* "11:00" */
void		 plan_hhmm_text(int minutes, char *buf, size_t len);

/*
 * A reminder spec as plan files write it (ANCHOR[±Nd]@TIME), on its own:
 * the window, if any, is not checked. -1 with why; plan_spec_clear frees
 * what it holds.
 */
int		 plan_spec_parse(const char *, struct plan_spec *, char *err,
		    size_t len);
void		 plan_spec_clear(struct plan_spec *);

/* Day helpers, on common/civil.c. */
plan_day	 plan_day_from_ymd(int y, int m, int d);
void		 plan_day_to_ymd(plan_day, int *y, int *m, int *d);
int		 plan_weekday(plan_day);	/* 0 = Sunday */
int		 plan_parse_day(const char *, plan_day *);	/* YYYY-MM-DD */
/* A working day per workdays, holidays and extra_workdays. */
int		 plan_is_workday(const struct plan_calendar *, plan_day);
/* A day listed in holidays. */
int		 plan_is_holiday(const struct plan_calendar *, plan_day);

#endif
