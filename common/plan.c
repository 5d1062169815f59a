/* The plan: calendar, windows, agencies, groups and tasks, from plan files. */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "civil.h"
#include "fileio.h"
#include "i18n.h"
#include "log.h"
#include "parse.h"
#include "plan.h"
#include "schema.h"
#include "template.h"
#include "xmalloc.h"

#define DAY_MS		(24LL * 60 * 60 * 1000)
#define SPAN_MAX	366		/* days in a holiday range, at most */
#define DAYS_MAX	366		/* the N of a reminder's ±Nd */
#define ID_FIRST	"abcdefghijklmnopqrstuvwxyz0123456789"
#define ID_CHARS	ID_FIRST "_-"
#define ID_HINT		"use a-z, 0-9, '_' and '-', starting with a letter " \
			"or digit"
#define SECTIONS_HINT	"use [calendar], [plan], [window ID], [agency ID], " \
			"[group ID] or [task ID]"
#define WHEN_KEYS	"rule, date, dates, month, quarter, lunar"
#define SPEC_HINT	"use ANCHOR[±Nd]@TIME, e.g. end-1d@08:00 or " \
			"end@trua-30m (ANCHOR: start or end; TIME: HH:MM or " \
			"WINDOW±DURATION)"
#define RULE_HINT	"use an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=-1SA"
#define DEFAULT_TZ	"Asia/Ho_Chi_Minh"

enum plan_kind {
	KIND_CALENDAR,
	KIND_PLAN,
	KIND_WINDOW,
	KIND_AGENCY,
	KIND_GROUP,
	KIND_TASK,
	KIND_MAX
};

/* flags of the plan's keys, beside SCHEMA_REPEAT */
#define PK_NONEMPTY	0x02	/* a list that must hold something */
#define PK_CHANNELS	0x04	/* names of the main config's channels */
#define PK_ONE		0x08	/* one day, not a list */

static schema_set_fn	plan_set_zalo, plan_set_phone, plan_set_email,
			plan_set_timezone, plan_set_workdays, plan_set_spans,
			plan_set_hhmm, plan_set_id, plan_set_ids, plan_set_day,
			plan_set_dates, plan_set_month, plan_set_quarter,
			plan_set_lunar, plan_set_specs, plan_set_stop_on,
			plan_set_escalate;

enum { CAL_TIMEZONE, CAL_WORKDAYS, CAL_HOLIDAYS, CAL_EXTRA };
enum { DOC_NUMBER, DOC_DATE, DOC_ISSUER, DOC_TITLE };
enum { WIN_NAME, WIN_START, WIN_END };
enum { AG_NAME, AG_HEAD, AG_ZALO, AG_PHONE, AG_EMAIL };
enum { GR_NAME, GR_MEMBERS };
enum {
	T_TITLE, T_LEAD, T_PARTNERS, T_NOTE, T_RULE, T_START, T_UNTIL, T_DATE,
	T_DATES, T_MONTH, T_QUARTER, T_REMIND, T_REMIND_LEAD, T_CHANNELS,
	T_TEMPLATE, T_LUNAR, T_STOP_ON, T_ESCALATE
};

#define CAL(f)	offsetof(struct plan_calendar, f)
#define DOC(f)	offsetof(struct plan_doc, f)
#define WIN(f)	offsetof(struct plan_window, f)
#define AG(f)	offsetof(struct plan_agency, f)
#define GR(f)	offsetof(struct plan_group, f)
#define TK(f)	offsetof(struct plan_task, f)

static const struct schema_key calendar_keys[] = {
	[CAL_TIMEZONE] = { .name = "timezone", .set = plan_set_timezone,
	    .off = CAL(timezone), .def = DEFAULT_TZ },
	[CAL_WORKDAYS] = { .name = "workdays", .set = plan_set_workdays,
	    .off = CAL(workdays), .def = "mon-fri" },
	[CAL_HOLIDAYS] = { .name = "holidays", .set = plan_set_spans,
	    .off = CAL(holidays), .aux = CAL(nholidays) },
	[CAL_EXTRA] = { .name = "extra_workdays", .set = plan_set_spans,
	    .off = CAL(extra_workdays), .aux = CAL(nextra) },
};

static const struct schema_key doc_keys[] = {
	[DOC_NUMBER] = { .name = "number", .set = schema_set_string,
	    .off = DOC(number) },
	[DOC_DATE] = { .name = "date", .set = plan_set_day, .off = DOC(date) },
	[DOC_ISSUER] = { .name = "issuer", .set = schema_set_string,
	    .off = DOC(issuer) },
	[DOC_TITLE] = { .name = "title", .set = schema_set_string,
	    .off = DOC(title) },
};

static const struct schema_key window_keys[] = {
	[WIN_NAME] = { .name = "name", .set = schema_set_string,
	    .off = WIN(name) },
	[WIN_START] = { .name = "start", .set = plan_set_hhmm,
	    .off = WIN(start) },
	[WIN_END] = { .name = "end", .set = plan_set_hhmm, .off = WIN(end) },
};

static const struct schema_key agency_keys[] = {
	[AG_NAME] = { .name = "name", .set = schema_set_string,
	    .off = AG(name) },
	[AG_HEAD] = { .name = "head", .set = schema_set_string,
	    .off = AG(head) },
	[AG_ZALO] = { .name = "zalo", .set = plan_set_zalo, .off = AG(zalo) },
	[AG_PHONE] = { .name = "phone", .set = plan_set_phone,
	    .off = AG(phone) },
	[AG_EMAIL] = { .name = "email", .set = plan_set_email,
	    .off = AG(email) },
};

static const struct schema_key group_keys[] = {
	[GR_NAME] = { .name = "name", .set = schema_set_string,
	    .off = GR(name) },
	[GR_MEMBERS] = { .name = "members", .set = plan_set_ids,
	    .off = GR(members), .aux = GR(nmembers), .flags = PK_NONEMPTY },
};

static const struct schema_key task_keys[] = {
	[T_TITLE] = { .name = "title", .set = schema_set_string,
	    .off = TK(title) },
	[T_LEAD] = { .name = "lead", .set = plan_set_id, .off = TK(lead) },
	[T_PARTNERS] = { .name = "partners", .set = plan_set_ids,
	    .off = TK(partners), .aux = TK(npartners) },
	[T_NOTE] = { .name = "note", .set = schema_set_string,
	    .off = TK(note) },
	/* Checked with libical at the end of the section. */
	[T_RULE] = { .name = "rule", .set = schema_set_string,
	    .off = TK(rule) },
	[T_START] = { .name = "start", .set = plan_set_day, .off = TK(start) },
	[T_UNTIL] = { .name = "until", .set = plan_set_day, .off = TK(until) },
	[T_DATE] = { .name = "date", .set = plan_set_dates, .off = TK(dates),
	    .aux = TK(ndates), .flags = PK_ONE },
	[T_DATES] = { .name = "dates", .set = plan_set_dates,
	    .off = TK(dates), .aux = TK(ndates), .flags = PK_NONEMPTY },
	[T_MONTH] = { .name = "month", .set = plan_set_month, .off = TK(year),
	    .aux = TK(month) },
	[T_QUARTER] = { .name = "quarter", .set = plan_set_quarter,
	    .off = TK(year), .aux = TK(quarter) },
	[T_REMIND] = { .name = "remind", .set = plan_set_specs,
	    .off = TK(remind), .aux = TK(nremind) },
	[T_REMIND_LEAD] = { .name = "remind_lead", .set = plan_set_specs,
	    .off = TK(remind_lead), .aux = TK(nremind_lead) },
	[T_CHANNELS] = { .name = "channels", .set = plan_set_ids,
	    .off = TK(channels), .aux = TK(nchannels),
	    .flags = PK_NONEMPTY | PK_CHANNELS },
	[T_TEMPLATE] = { .name = "template", .set = schema_set_string,
	    .off = TK(template) },
	[T_LUNAR] = { .name = "lunar", .set = plan_set_lunar,
	    .off = TK(lunar_day), .aux = TK(lunar_month) },
	[T_STOP_ON] = { .name = "stop_on", .set = plan_set_stop_on,
	    .off = TK(stop_on_ack), .def = "done" },
	[T_ESCALATE] = { .name = "escalate", .set = plan_set_escalate,
	    .off = TK(escalate), .aux = TK(nescalate) },
};

#define TABLE(keys)	(const struct schema_table[]){ { keys, nitems(keys), \
			    0, 0 } }, 1

static void	*plan_begin(struct schema *, const struct schema_section *,
		    const char *, unsigned, unsigned **);
static void	 plan_end(struct schema *, void *);

static const struct schema_section plan_sections[KIND_MAX] = {
	[KIND_CALENDAR] = { "calendar", 0, TABLE(calendar_keys), plan_begin,
	    plan_end },
	[KIND_PLAN] = { "plan", 0, TABLE(doc_keys), plan_begin, plan_end },
	[KIND_WINDOW] = { "window", 1, TABLE(window_keys), plan_begin,
	    plan_end },
	[KIND_AGENCY] = { "agency", 1, TABLE(agency_keys), plan_begin,
	    plan_end },
	[KIND_GROUP] = { "group", 1, TABLE(group_keys), plan_begin,
	    plan_end },
	[KIND_TASK] = { "task", 1, TABLE(task_keys), plan_begin, plan_end },
};

static int	plan_name_check(struct schema *,
		    const struct schema_section *, const char *, unsigned);

static const struct schema_format plan_format = {
	.sections = plan_sections,
	.nsections = KIND_MAX,
	.hint = N_(SECTIONS_HINT),
	/* TRANSLATORS: a placeholder, as in [agency ID]. */
	.placeholder = N_("ID"),
	.name_rule = N_("made of a-z, 0-9, '_' and '-', starting with a "
	    "letter or digit"),
	.name_check = plan_name_check,
};

/* The date forms of a task, in the order the messages name them. */
static const int when_keys[] = {
	T_RULE, T_DATE, T_DATES, T_MONTH, T_QUARTER, T_LUNAR
};
static const enum plan_when when_forms[] = {
	WHEN_RULE, WHEN_DATE, WHEN_DATES, WHEN_MONTH, WHEN_QUARTER, WHEN_LUNAR
};

static const char *const day_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

/* The line of each key of a section, kept for the checks at the end. */
struct plan_lines {
	unsigned	 at[SCHEMA_KEYS_MAX];
};

/* Everything a load keeps while the sources are read. */
struct plan_loader {
	struct schema		*s;
	struct plan		*plan;
	const char		*file;		/* the source being read */

	enum plan_kind		 kind;		/* of the current section */
	unsigned		*seen;		/* line of each key, or 0 */
	unsigned		 sect_line;
	int			 scratch_used;	/* a duplicate's section */

	struct plan_where	 cal_tz;	/* where timezone was set first */
	struct plan_where	 cal_wd;	/* where workdays was set first */
	struct plan_lines	 scratch_lines;
	struct plan_lines	*lines[KIND_MAX];	/* one per object */
	union {
		struct plan_calendar	c;
		struct plan_doc		d;
		struct plan_window	w;
		struct plan_agency	a;
		struct plan_group	g;
		struct plan_task	t;
	} scratch;
};


/* "2022-04-30" into buf, 32 bytes for any plan_day. */
static const char *
plan_day_text(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* 1 when s is an id: [a-z0-9][a-z0-9_-]*. */
static int
plan_id_ok(const char *s)
{
	return s[0] != '\0' && strchr(ID_FIRST, s[0]) != NULL &&
	    strspn(s, ID_CHARS) == strlen(s);
}

static int
plan_day_cmp(const void *a, const void *b)
{
	plan_day	x = *(const plan_day *)a, y = *(const plan_day *)b;

	return x < y ? -1 : x > y;
}

/* Sorts days and drops repeats. */
static size_t
plan_days_sort(plan_day *v, size_t n)
{
	size_t	i, k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), plan_day_cmp);
	for (i = 1, k = 1; i < n; i++) {
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	}
	return k;
}

static int
plan_days_has(const plan_day *v, size_t n, plan_day day)
{
	return n > 0 && bsearch(&day, v, n, sizeof(*v), plan_day_cmp) != NULL;
}

/* Appends a day to a growing array. */
static void
plan_days_add(plan_day **v, size_t *n, size_t *cap, plan_day day)
{
	plan_day	*nv;
	size_t		 ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 8;
		nv = xreallocarray(*v, ncap, sizeof(*nv));
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = day;
}

/*
 * The comma-separated items of value, each trimmed, into *items (malloc'd);
 * an empty value is no items. -1 when an item is empty ("a,,b").
 */
static int
plan_split(const char *value, char ***items, size_t *n)
{
	const char	*s = value, *e, *end;
	char		**v = NULL;
	size_t		 k = 0;

	*items = NULL;
	*n = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return 0;
	for (;;) {
		if ((end = strchr(s, ',')) == NULL)
			end = s + strlen(s);
		while (s < end && isspace((unsigned char)*s))
			s++;
		for (e = end; e > s && isspace((unsigned char)e[-1]); e--)
			;
		if (e == s) {
			schema_list_free(v, k);
			return -1;
		}
		v = xreallocarray(v, k + 1, sizeof(*v));
		v[k++] = xstrndup(s, e - s);
		if (*end == '\0')
			break;
		s = end + 1;
	}
	*items = v;
	*n = k;
	return 0;
}

/* Frees what a spec holds. */
void
plan_spec_clear(struct plan_spec *sp)
{
	free(sp->text);
	free(sp->window);
	memset(sp, 0, sizeof(*sp));
}

static void
plan_specs_free(struct plan_spec *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		plan_spec_clear(&v[i]);
	free(v);
}

/* 1 when two specs name the same instant of an occurrence. */
static int
plan_spec_same(const struct plan_spec *a, const struct plan_spec *b)
{
	if (a->anchor != b->anchor || a->days != b->days)
		return 0;
	if ((a->window == NULL) != (b->window == NULL))
		return 0;
	if (a->window == NULL)
		return a->minutes == b->minutes;
	return strcmp(a->window, b->window) == 0 &&
	    a->offset_ms == b->offset_ms;
}

static void
plan_escalations_free(struct plan_escalation *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		plan_spec_clear(&v[i].spec);
		schema_list_free(v[i].to, v[i].nto);
	}
	free(v);
}

static void
plan_calendar_clear(struct plan_calendar *c)
{
	free(c->timezone);
	free(c->holidays);
	free(c->extra_workdays);
	memset(c, 0, sizeof(*c));
}

static void
plan_doc_clear(struct plan_doc *d)
{
	free(d->number);
	free(d->issuer);
	free(d->title);
	memset(d, 0, sizeof(*d));
}

static void
plan_window_clear(struct plan_window *w)
{
	free(w->id);
	free(w->name);
	memset(w, 0, sizeof(*w));
}

static void
plan_agency_clear(struct plan_agency *a)
{
	free(a->id);
	free(a->name);
	free(a->head);
	free(a->zalo);
	free(a->phone);
	free(a->email);
	memset(a, 0, sizeof(*a));
}

static void
plan_group_clear(struct plan_group *g)
{
	free(g->id);
	free(g->name);
	schema_list_free(g->members, g->nmembers);
	memset(g, 0, sizeof(*g));
}

static void
plan_task_clear(struct plan_task *t)
{
	free(t->id);
	free(t->title);
	free(t->lead);
	schema_list_free(t->partners, t->npartners);
	free(t->note);
	free(t->rule);
	free(t->dates);
	plan_specs_free(t->remind, t->nremind);
	plan_specs_free(t->remind_lead, t->nremind_lead);
	plan_escalations_free(t->escalate, t->nescalate);
	schema_list_free(t->channels, t->nchannels);
	free(t->template);
	template_free(t->tmpl);
	memset(t, 0, sizeof(*t));
}

/*
 * What a loaded plan is asked for each reminder it builds, answered without
 * a walk: ids sorted for a binary search, and each task's recipients (a
 * plan of 200 agencies in a group spent most of a send's CPU in strcmp).
 */
struct plan_index {
	const struct plan_agency	**agencies;	/* sorted by id */
	const struct plan_group		**groups;
	const struct plan_task		**tasks;
	const struct plan_agency	***reach;	/* per task */
	size_t				 *nreach;
	unsigned char			**reaches;	/* per task, per agency */
};

static void	plan_index_build(struct plan *);

static void
plan_index_free(struct plan *p)
{
	struct plan_index	*x = p->index;
	size_t			 i;

	if (x == NULL)
		return;
	for (i = 0; i < p->ntasks; i++) {
		free(x->reach[i]);
		free(x->reaches[i]);
	}
	free(x->agencies);
	free(x->groups);
	free(x->tasks);
	free(x->reach);
	free(x->nreach);
	free(x->reaches);
	free(x);
	p->index = NULL;
}

void
plan_free(struct plan *p)
{
	size_t	i;

	if (p == NULL)
		return;
	plan_index_free(p);
	plan_calendar_clear(&p->calendar);
	for (i = 0; i < p->ndocs; i++)
		plan_doc_clear(&p->docs[i]);
	free(p->docs);
	for (i = 0; i < p->nwindows; i++)
		plan_window_clear(&p->windows[i]);
	free(p->windows);
	for (i = 0; i < p->nagencies; i++)
		plan_agency_clear(&p->agencies[i]);
	free(p->agencies);
	for (i = 0; i < p->ngroups; i++)
		plan_group_clear(&p->groups[i]);
	free(p->groups);
	for (i = 0; i < p->ntasks; i++)
		plan_task_clear(&p->tasks[i]);
	free(p->tasks);
	schema_list_free(p->files, p->nfiles);
	free(p);
}

#define PLAN_FIND(name, type, v, n)					\
static int								\
plan_##name##_cmp(const void *a, const void *b)				\
{									\
	return strcmp((*(const type *const *)a)->id,			\
	    (*(const type *const *)b)->id);				\
}									\
									\
const type *								\
plan_##name##_find(const struct plan *p, const char *id)		\
{									\
	const type	*const *hit, key = { .id = (char *)(uintptr_t)id }, \
			*kp = &key;					\
	size_t		 i;						\
									\
	if (p->index != NULL) {						\
		hit = bsearch(&kp, p->index->v, p->n, sizeof(*hit),	\
		    plan_##name##_cmp);					\
		return hit ? *hit : NULL;				\
	}								\
	for (i = 0; i < p->n; i++)					\
		if (strcmp(p->v[i].id, id) == 0)			\
			return &p->v[i];				\
	return NULL;							\
}

PLAN_FIND(agency, struct plan_agency, agencies, nagencies)
PLAN_FIND(group, struct plan_group, groups, ngroups)
PLAN_FIND(task, struct plan_task, tasks, ntasks)

const struct plan_window *
plan_window_find(const struct plan *p, const char *id)
{
	size_t	i;

	for (i = 0; i < p->nwindows; i++) {
		if (strcmp(p->windows[i].id, id) == 0)
			return &p->windows[i];
	}
	return NULL;
}

plan_day
plan_day_from_ymd(int y, int m, int d)
{
	return (plan_day)civil_days(y, m, d);
}

void
plan_day_to_ymd(plan_day day, int *y, int *m, int *d)
{
	civil_from_days(day, y, m, d);
}

int
plan_weekday(plan_day day)
{
	return civil_weekday(day);
}

/* n decimal digits at s, as a number; -1 if any is not a digit. */
static int
plan_digits(const char *s, int n)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

/* "YYYY-MM-DD", a real day of years 0001 to 9999, and nothing after it. */
int
plan_parse_day(const char *s, plan_day *out)
{
	int	y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = plan_digits(s, 4);
	m = plan_digits(s + 5, 2);
	d = plan_digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > civil_month_days(y, m))
		return -1;
	*out = plan_day_from_ymd(y, m, d);
	return 0;
}

void
plan_hhmm_text(int minutes, char *buf, size_t len)
{
	snprintf(buf, len, "%02d:%02d", minutes / 60, minutes % 60);
}

void
plan_windows_text(const struct plan *p, char *buf, size_t len)
{
	char	a[16], b[16];
	size_t	i, off = 0;
	int	w;

	buf[0] = '\0';
	for (i = 0; i < p->nwindows && off < len; i++) {
		plan_hhmm_text(p->windows[i].start, a, sizeof(a));
		plan_hhmm_text(p->windows[i].end, b, sizeof(b));
		w = snprintf(buf + off, len - off, "%s%s–%s", i == 0 ? "" :
		    i + 1 == p->nwindows ? " và " : ", ", a, b);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

int
plan_is_holiday(const struct plan_calendar *c, plan_day day)
{
	return plan_days_has(c->holidays, c->nholidays, day);
}

int
plan_is_workday(const struct plan_calendar *c, plan_day day)
{
	if (plan_days_has(c->extra_workdays, c->nextra, day))
		return 1;
	if (plan_days_has(c->holidays, c->nholidays, day))
		return 0;
	return (c->workdays >> plan_weekday(day)) & 1;
}

/* Adds the agencies id reaches (an agency, or a group's) to out, once each. */
static void
plan_reach(const struct plan *p, const char *id, unsigned char *seen_agency,
    unsigned char *seen_group, const struct plan_agency **out, size_t *n)
{
	const struct plan_agency	*a;
	const struct plan_group		*g;
	size_t				 i;

	if ((a = plan_agency_find(p, id)) != NULL) {
		if (!seen_agency[a - p->agencies]) {
			seen_agency[a - p->agencies] = 1;
			out[(*n)++] = a;
		}
		return;
	}
	if ((g = plan_group_find(p, id)) == NULL || seen_group[g - p->groups])
		return;
	seen_group[g - p->groups] = 1;	/* also guards against a cycle */
	for (i = 0; i < g->nmembers; i++)
		plan_reach(p, g->members[i], seen_agency, seen_group, out, n);
}

/* The recipients of t computed, into *out (malloc'd); the count. */
static size_t
plan_recipients_walk(const struct plan *p, const struct plan_task *t,
    const struct plan_agency ***out)
{
	const struct plan_agency	**v;
	unsigned char			 *sa, *sg;
	size_t				  i, n = 0;

	v = xcalloc(p->nagencies + 1, sizeof(*v));
	sa = xcalloc(p->nagencies + 1, 1);
	sg = xcalloc(p->ngroups + 1, 1);
	if (t->lead != NULL && plan_agency_find(p, t->lead) != NULL)
		plan_reach(p, t->lead, sa, sg, v, &n);
	for (i = 0; i < t->npartners; i++)
		plan_reach(p, t->partners[i], sa, sg, v, &n);
	free(sa);
	free(sg);
	*out = v;
	return n;
}

size_t
plan_recipients(const struct plan *p, const struct plan_task *t,
    const struct plan_agency ***out)
{
	size_t	k, n;

	if (p->index == NULL)
		return plan_recipients_walk(p, t, out);
	k = (size_t)(t - p->tasks);
	n = p->index->nreach[k];
	*out = xcalloc(n + 1, sizeof(**out));
	memcpy(*out, p->index->reach[k], n * sizeof(**out));
	return n;
}

int
plan_reaches(const struct plan *p, const struct plan_task *t,
    const struct plan_agency *a)
{
	const struct plan_agency	**v;
	size_t				  i, n;
	int				  found = 0;

	if (p->index != NULL)
		return p->index->reaches[t - p->tasks][a - p->agencies];
	n = plan_recipients_walk(p, t, &v);
	for (i = 0; i < n && !found; i++)
		found = v[i] == a;
	free(v);
	return found;
}

size_t
plan_members(const struct plan *p, const char *id,
    const struct plan_agency ***out)
{
	const struct plan_agency	**v;
	unsigned char			 *sa, *sg;
	size_t				  n = 0;

	v = xcalloc(p->nagencies + 1, sizeof(*v));
	sa = xcalloc(p->nagencies + 1, 1);
	sg = xcalloc(p->ngroups + 1, 1);
	plan_reach(p, id, sa, sg, v, &n);
	free(sa);
	free(sg);
	*out = v;
	return n;
}

/* "mon-fri", "mon,wed,fri", "mon-wed, sat": weeks run Monday to Sunday. */
static int
plan_parse_workdays(const char *value, unsigned *out)
{
	char		**items, *dash;
	size_t		  n, i;
	unsigned	  bits = 0;
	int		  a, b, k, rc = 0;

	if (plan_split(value, &items, &n) == -1 || n == 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		a = b = -1;
		if ((dash = strchr(items[i], '-')) != NULL)
			*dash++ = '\0';
		for (k = 0; k < 7; k++) {
			if (strcasecmp(items[i], day_names[k]) == 0)
				a = k;
			if (dash != NULL && strcasecmp(dash, day_names[k]) == 0)
				b = k;
		}
		if (dash == NULL)
			b = a;
		/* Monday first: Sunday is the week's last day. */
		if (a == -1 || b == -1 || (a + 6) % 7 > (b + 6) % 7) {
			rc = -1;
			break;
		}
		for (k = (a + 6) % 7; k <= (b + 6) % 7; k++)
			bits |= 1u << ((k + 1) % 7);
	}
	schema_list_free(items, n);
	if (rc == 0)
		*out = bits;
	return rc;
}

/*
 * The zone libical knows within two edits of name (case aside), or NULL.
 * Tighter than parse_nearest: a zone a little further off is another
 * country ("Asia/Hanoi" is 3 edits from "Asia/Yangon"), the worst advice.
 */
static const char *
plan_nearest_zone(const char *name)
{
	icalarray	*zones;
	const char	*loc, *best = NULL;
	size_t		 i, dist, bestd = 3;

	if ((zones = icaltimezone_get_builtin_timezones()) == NULL)
		return NULL;
	for (i = 0; i < zones->num_elements; i++) {
		loc = icaltimezone_get_location(icalarray_element_at(zones, i));
		if (loc != NULL && (dist = parse_distance(name, loc, 1)) < bestd) {
			bestd = dist;
			best = loc;
		}
	}
	return best;
}

/*
 * "ANCHOR[±Nd]@TIME", TIME "HH:MM" or "WINDOW[±DURATION]"; a window's id
 * ends at the last '+' or '-' that a digit follows. The window is checked
 * later, against every file.
 */
static int
plan_parse_spec(const char *s, struct plan_spec *sp, char *err, size_t len)
{
	const char	*p = s, *t, *split = NULL;
	char		 sign;
	int64_t		 ms;
	int		 n, digits;

	memset(sp, 0, sizeof(*sp));
	for (t = s; *t != '\0'; t++) {
		if (isspace((unsigned char)*t))
			goto bad;
	}
	if (strncmp(p, "start", 5) == 0) {
		sp->anchor = ANCHOR_START;
		p += 5;
	} else if (strncmp(p, "end", 3) == 0) {
		sp->anchor = ANCHOR_END;
		p += 3;
	} else
		goto bad;
	if (*p == '+' || *p == '-') {
		sign = *p++;
		for (n = 0, digits = 0; isdigit((unsigned char)*p) &&
		    digits < 4; p++, digits++)
			n = n * 10 + *p - '0';
		if (digits == 0 || *p++ != 'd')
			goto bad;
		if (n > DAYS_MAX) {
			snprintf(err, len, _("bad reminder '%s': the day count "
			    "must be from 0 to %d"), s, DAYS_MAX);
			return -1;
		}
		sp->days = sign == '-' ? -n : n;
	}
	if (*p++ != '@' || *p == '\0')
		goto bad;
	if (strchr(p, ':') != NULL) {
		if (parse_hhmm(p, &sp->minutes, err, len) == -1) {
			snprintf(err, len, _("bad time '%s' in '%s': use HH:MM "
			    "from 00:00 to 23:59, e.g. 08:30"), p, s);
			return -1;
		}
	} else {
		for (t = p; *t != '\0'; t++) {
			if ((*t == '+' || *t == '-') &&
			    isdigit((unsigned char)t[1]))
				split = t;
		}
		sp->window = xstrndup(p,
		    split != NULL ? (size_t)(split - p) : strlen(p));
		if (!plan_id_ok(sp->window))
			goto bad;
		if (split != NULL) {
			if (parse_duration(split + 1, &ms, err, len) == -1) {
				snprintf(err, len, _("bad duration '%s' in "
				    "'%s': use a number and a unit, e.g. 30m, "
				    "2h or 1h30m"), split + 1, s);
				goto fail;
			}
			if (ms > DAY_MS) {
				snprintf(err, len, _("offset '%s' in '%s' is "
				    "more than a day: move the day instead, "
				    "e.g. %s+1d@%s"), split + 1, s,
				    sp->anchor == ANCHOR_START ? "start" :
				    "end", sp->window);
				goto fail;
			}
			sp->offset_ms = *split == '-' ? -ms : ms;
		}
	}
	sp->text = xstrdup(s);
	return 0;
 bad:
	snprintf(err, len, _("bad reminder '%s': " SPEC_HINT), s);
 fail:
	plan_spec_clear(sp);
	return -1;
}

int
plan_spec_parse(const char *s, struct plan_spec *sp, char *err, size_t len)
{
	return plan_parse_spec(s, sp, err, len);
}

/* "84..." from a phone as written: digits, a leading 0 or + allowed. */
static int
plan_parse_phone(const char *s, char **out)
{
	char	*v;
	size_t	 n;

	if (*s == '+')
		s++;
	n = strlen(s);
	if (n == 0 || strspn(s, "0123456789") != n)
		return -1;
	if (s[0] == '0') {
		xasprintf(&v, "84%s", s + 1);
	} else
		v = xstrdup(s);
	n = strlen(v);
	if (strncmp(v, "84", 2) != 0 || n < 11 || n > 12) {
		free(v);
		return -1;
	}
	*out = v;
	return 0;
}

/* NAME@DOMAIN.TLD with no spaces, one '@' and no empty domain label. */
static int
plan_email_ok(const char *s)
{
	const char	*at, *p;

	if ((at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return -1;
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == ',' ||
		    *p == '<' || *p == '>')
			return -1;
	}
	p = at + 1;
	if (*p == '.' || strchr(p, '.') == NULL || p[strlen(p) - 1] == '.' ||
	    strstr(p, "..") != NULL)
		return -1;
	return 0;
}

/* The items of a day list with ranges A..B; -1 after reporting an error. */
static int
plan_parse_spans(struct schema *s, const struct schema_key *k,
    const char *value, plan_day **out, size_t *nout)
{
	char		**items, *dots;
	plan_day	 *v = NULL, a, b, day;
	size_t		  n, i, nv = 0, cap = 0;
	int		  rc = 0;

	if (plan_split(value, &items, &n) == -1) {
		schema_bad(s, "%s: empty item in '%s'; separate days with one "
		    "comma", k->name, value);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((dots = strstr(items[i], "..")) != NULL)
			*dots = '\0';
		if (plan_parse_day(items[i], &a) == -1 || (dots != NULL &&
		    plan_parse_day(dots + 2, &b) == -1)) {
			if (dots != NULL)
				*dots = '.';
			schema_bad(s, "%s: bad day '%s': use YYYY-MM-DD or a "
			    "range YYYY-MM-DD..YYYY-MM-DD, e.g. "
			    "2022-09-01..2022-09-02", k->name, items[i]);
			rc = -1;
			continue;
		}
		if (dots == NULL)
			b = a;
		if (b < a || b - a >= SPAN_MAX) {
			if (dots != NULL)
				*dots = '.';
			schema_bad(s, b < a ? "%s: the range '%s' ends before "
			    "it starts; put the earlier day first" : N_("%s: "
			    "the range '%s' is longer than a year; check the "
			    "years"), k->name, items[i]);
			rc = -1;
			continue;
		}
		for (day = a; day <= b; day++)
			plan_days_add(&v, &nv, &cap, day);
	}
	schema_list_free(items, n);
	if (rc == -1) {
		free(v);
		return -1;
	}
	*out = v;
	*nout = plan_days_sort(v, nv);
	return 0;
}

/* "D/M", a day 1..30 and a month 1..12 of the lunar calendar. */
static int
plan_parse_lunar(const char *s, int *day, int *month)
{
	const char	*slash = strchr(s, '/');
	size_t		 nd, nm;

	if (slash == NULL)
		return -1;
	nd = (size_t)(slash - s);
	nm = strlen(slash + 1);
	if (nd < 1 || nd > 2 || nm < 1 || nm > 2 ||
	    strspn(s, "0123456789") != nd ||
	    strspn(slash + 1, "0123456789") != nm)
		return -1;
	*day = plan_digits(s, (int)nd);
	*month = plan_digits(slash + 1, (int)nm);
	return *day >= 1 && *day <= 30 && *month >= 1 && *month <= 12 ? 0 : -1;
}

/* s without the white space around it (in place). */
static char *
plan_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t');)
		*--e = '\0';
	return s;
}

/*
 * escalate = SPEC > AGENCY[, AGENCY...][, SPEC > AGENCY...]: a comma list
 * where an item with '>' starts the next escalation (a spec holds no
 * comma, an id no '>'; ';' would start a comment). Each escalation's spec
 * and the ids it names (checked against the plan at the end).
 */
static int
plan_set_escalate(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	struct plan_escalation	**out, *v, *e = NULL;
	size_t			 *nout = (size_t *)((char *)obj + k->aux);
	char			**items = NULL, *gt, *spec, *id, err[400];
	size_t			  nitems_ = 0, n = 0, i, j;
	int			  rc = 0;

	out = (struct plan_escalation **)((char *)obj + k->off);
	if (*value == '\0')
		return schema_empty(s, k);
	if (plan_split(value, &items, &nitems_) == -1) {
		schema_bad(s, "escalate: empty item in '%s'; separate "
		    "names with one comma", value);
		return -1;
	}
	v = xcalloc(nitems_ + 1, sizeof(*v));
	for (i = 0; i < nitems_; i++) {
		if ((gt = strchr(items[i], '>')) == NULL) {
			if (e == NULL) {
				schema_bad(s, "escalate: '%s' names "
				    "nobody: use SPEC > AGENCY, e.g. escalate "
				    "= end+1d@08:00 > noi-vu", items[i]);
				rc = -1;
				continue;
			}
			id = items[i];
		} else {
			*gt = '\0';
			spec = plan_trim(items[i]);
			id = plan_trim(gt + 1);
			e = &v[n++];
			if (plan_parse_spec(spec, &e->spec, err,
			    sizeof(err)) == -1) {
				schema_bad(s, "escalate: %s", err);
				rc = -1;
			} else {
				free(e->spec.text);
				xasprintf(&e->spec.text, "escalate:%s", spec);
				for (j = 0; j + 1 < n; j++)
					if (v[j].spec.text != NULL &&
					    plan_spec_same(&v[j].spec,
					    &e->spec)) {
						schema_bad(s, "escalate: "
						    "'%s' is given twice; name "
						    "everyone to tell after "
						    "one '>'", spec);
						rc = -1;
					}
			}
			if (*id == '\0') {
				schema_bad(s, "escalate: '%s' names "
				    "nobody after '>': name the agencies (or "
				    "groups) to tell, separated by commas",
				    spec);
				rc = -1;
				continue;
			}
		}
		if (!plan_id_ok(id)) {
			schema_bad(s, "escalate: bad id '%s': " ID_HINT, id);
			rc = -1;
			continue;
		}
		e->to = xreallocarray(e->to, e->nto + 1, sizeof(*e->to));
		e->to[e->nto++] = xstrdup(id);
	}
	schema_list_free(items, nitems_);
	if (rc == -1) {
		plan_escalations_free(v, n);
		return -1;
	}
	plan_escalations_free(*out, *nout);
	*out = v;
	*nout = n;
	return 0;
}

/* --- the plan's setters -------------------------------------------------- */

/* Replaces the string at field with a copy of s. */
static void
plan_put(void *field, const char *s)
{
	free(*(char **)field);
	*(char **)field = xstrdup(s);
}

/* A Zalo user id: its digits; empty: none. */
static int
plan_set_zalo(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	if (*value == '\0')
		return 0;
	if (strspn(value, "0123456789") != strlen(value)) {
		schema_bad(s, "zalo: bad Zalo user id '%s': use its digits, "
		    "e.g. 5218391034920148231", value);
		return -1;
	}
	plan_put((char *)obj + k->off, value);
	return 0;
}

/* A phone number, kept as 84...; empty: none. */
static int
plan_set_phone(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	char	*v;

	if (*value == '\0')
		return 0;
	if (plan_parse_phone(value, &v) == -1) {
		schema_bad(s, "phone: bad phone number '%s': use 0 or 84 and "
		    "then 9 or 10 digits, e.g. 0912345678 or 84912345678",
		    value);
		return -1;
	}
	free(*(char **)((char *)obj + k->off));
	*(char **)((char *)obj + k->off) = v;
	return 0;
}

/* NAME@DOMAIN; empty: none. */
static int
plan_set_email(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	if (*value == '\0')
		return 0;
	if (plan_email_ok(value) == -1) {
		schema_bad(s, "email: bad address '%s': use NAME@DOMAIN, e.g. "
		    "dtt@example.gov.vn", value);
		return -1;
	}
	plan_put((char *)obj + k->off, value);
	return 0;
}

/* A time zone libical knows. */
static int
plan_set_timezone(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	const char	*near;

	if (icaltimezone_get_builtin_timezone(value) == NULL) {
		if ((near = plan_nearest_zone(value)) != NULL)
			schema_bad(s, "timezone: unknown time zone '%s'; did "
			    "you mean '%s'?", value, near);
		else
			schema_bad(s, "timezone: unknown time zone '%s'; use "
			    "an IANA name, e.g. " DEFAULT_TZ, value);
		return -1;
	}
	plan_put((char *)obj + k->off, value);
	return 0;
}

/* The working week: a bit per weekday. */
static int
plan_set_workdays(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	unsigned	bits;

	if (plan_parse_workdays(value, &bits) == -1) {
		schema_bad(s, "workdays: bad value '%s': use sun, mon, tue, "
		    "wed, thu, fri and sat, listed or in ranges, e.g. mon-fri "
		    "or mon,wed,fri", value);
		return -1;
	}
	*(unsigned *)((char *)obj + k->off) = bits;
	return 0;
}

/* Days and ranges A..B: plan_day * at off, the count at aux. */
static int
plan_set_spans(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	plan_day	*days;
	size_t		 n;

	if (plan_parse_spans(s, k, value, &days, &n) == -1)
		return -1;
	free(*(plan_day **)((char *)obj + k->off));
	*(plan_day **)((char *)obj + k->off) = days;
	*(size_t *)((char *)obj + k->aux) = n;
	return 0;
}

/* HH:MM as minutes. */
static int
plan_set_hhmm(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	char	err[512];
	int	mins;

	if (parse_hhmm(value, &mins, err, sizeof(err)) == -1) {
		schema_bad(s, "%s: %s", k->name, err);
		return -1;
	}
	*(int *)((char *)obj + k->off) = mins;
	return 0;
}

/* An agency's id. */
static int
plan_set_id(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	if (*value == '\0')
		return schema_empty(s, k);
	if (!plan_id_ok(value)) {
		schema_bad(s, "%s: bad id '%s': " ID_HINT, k->name, value);
		return -1;
	}
	plan_put((char *)obj + k->off, value);
	return 0;
}

/* Ids (or, with PK_CHANNELS, channel names), each once: char ** at off,
 * the count at aux. */
static int
plan_set_ids(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	char	**items;
	size_t	  n, i, j;
	int	  rc = 0, chans = k->flags & PK_CHANNELS;

	if (plan_split(value, &items, &n) == -1) {
		schema_bad(s, "%s: empty item in '%s'; separate names with one "
		    "comma", k->name, value);
		return -1;
	}
	if (n == 0 && (k->flags & PK_NONEMPTY))
		return schema_empty(s, k);
	for (i = 0; i < n; i++) {
		if (chans ? items[i][strspn(items[i], ID_CHARS)] != '\0' :
		    !plan_id_ok(items[i])) {
			if (chans)
				schema_bad(s, "%s: bad channel name '%s': use "
				    "a-z, 0-9, '_' and '-'", k->name, items[i]);
			else
				schema_bad(s, "%s: bad id '%s': " ID_HINT,
				    k->name, items[i]);
			rc = -1;
			continue;
		}
		for (j = 0; j < i && strcmp(items[i], items[j]) != 0; j++)
			;
		if (j < i) {
			schema_bad(s, "%s: '%s' is listed twice; list it once",
			    k->name, items[i]);
			rc = -1;
		}
	}
	if (rc == -1) {
		schema_list_free(items, n);
		return -1;
	}
	schema_list_free(*(char ***)((char *)obj + k->off),
	    *(size_t *)((char *)obj + k->aux));
	*(char ***)((char *)obj + k->off) = items;
	*(size_t *)((char *)obj + k->aux) = n;
	return 0;
}

/* A day: plan_day. */
static int
plan_set_day(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	plan_day	day;

	if (plan_parse_day(value, &day) == -1) {
		schema_bad(s, "%s: bad day '%s': use YYYY-MM-DD, e.g. "
		    "2022-01-01", k->name, value);
		return -1;
	}
	*(plan_day *)((char *)obj + k->off) = day;
	return 0;
}

/* Days (one with PK_ONE), each once, sorted: plan_day * at off, the count
 * at aux. */
static int
plan_set_dates(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	char		**items = NULL;
	plan_day	 *days;
	size_t		  n = 0, i, j;
	int		  rc = 0;

	if (*value == '\0')
		return schema_empty(s, k);
	if (k->flags & PK_ONE) {
		items = xcalloc(1, sizeof(*items));
		items[0] = xstrdup(value);
		n = 1;
	} else if (plan_split(value, &items, &n) == -1) {
		schema_bad(s, "%s: empty item in '%s'; separate days with one "
		    "comma", k->name, value);
		return -1;
	}
	if (n == 0)
		return schema_empty(s, k);
	days = xcalloc(n, sizeof(*days));
	for (i = 0; i < n; i++) {
		if (plan_parse_day(items[i], &days[i]) == -1) {
			days[i] = INT32_MIN;	/* matches no day */
			schema_bad(s, "%s: bad day '%s': use YYYY-MM-DD, e.g. "
			    "2022-04-30", k->name, items[i]);
			rc = -1;
			continue;
		}
		for (j = 0; j < i && days[j] != days[i]; j++)
			;
		if (j < i) {
			schema_bad(s, "%s: %s is listed twice; list each day "
			    "once", k->name, items[i]);
			rc = -1;
		}
	}
	schema_list_free(items, n);
	if (rc == -1) {
		free(days);
		return -1;
	}
	qsort(days, n, sizeof(*days), plan_day_cmp);
	free(*(plan_day **)((char *)obj + k->off));
	*(plan_day **)((char *)obj + k->off) = days;
	*(size_t *)((char *)obj + k->aux) = n;
	return 0;
}

/* YYYY-MM: the year at off, the month at aux. */
static int
plan_set_month(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	int	m;

	if (strlen(value) != 7 || value[4] != '-' ||
	    (m = plan_digits(value + 5, 2)) < 1 || m > 12 ||
	    plan_digits(value, 4) < 1) {
		schema_bad(s, "month: bad month '%s': use YYYY-MM, e.g. "
		    "2022-04", value);
		return -1;
	}
	*(int *)((char *)obj + k->off) = plan_digits(value, 4);
	*(int *)((char *)obj + k->aux) = m;
	return 0;
}

/* YYYY-Qn: the year at off, the quarter at aux. */
static int
plan_set_quarter(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	if (strlen(value) != 7 || value[4] != '-' ||
	    (value[5] != 'Q' && value[5] != 'q') ||
	    value[6] < '1' || value[6] > '4' || plan_digits(value, 4) < 1) {
		schema_bad(s, "quarter: bad quarter '%s': use YYYY-Qn with n "
		    "from 1 to 4, e.g. 2022-Q2", value);
		return -1;
	}
	*(int *)((char *)obj + k->off) = plan_digits(value, 4);
	*(int *)((char *)obj + k->aux) = value[6] - '0';
	return 0;
}

/* D/M of the lunar calendar: the day at off, the month at aux. */
static int
plan_set_lunar(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	if (*value == '\0')
		return schema_empty(s, k);
	if (plan_parse_lunar(value, (int *)((char *)obj + k->off),
	    (int *)((char *)obj + k->aux)) == -1) {
		schema_bad(s, "lunar: bad lunar date '%s': use DAY/MONTH of "
		    "the lunar calendar, e.g. 10/3 (the 10th of the 3rd month) "
		    "or 1/1 (Tết)", value);
		return -1;
	}
	return 0;
}

/* Reminders, each a different instant: struct plan_spec * at off, the
 * count at aux. */
static int
plan_set_specs(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	struct plan_spec	*specs;
	char			**items, err[512];
	size_t			  n, i, j;
	int			  rc = 0;

	if (plan_split(value, &items, &n) == -1) {
		schema_bad(s, "%s: empty item in '%s'; separate reminders with "
		    "one comma", k->name, value);
		return -1;
	}
	specs = xcalloc(n + 1, sizeof(*specs));
	for (i = 0; i < n; i++) {
		if (plan_parse_spec(items[i], &specs[i], err,
		    sizeof(err)) == -1) {
			schema_bad(s, "%s: %s", k->name, err);
			rc = -1;
			continue;
		}
		for (j = 0; j < i && (specs[j].text == NULL ||
		    !plan_spec_same(&specs[j], &specs[i])); j++)
			;
		if (j == i)
			continue;
		if (strcmp(specs[j].text, specs[i].text) == 0)
			schema_bad(s, "%s: '%s' is listed twice; list it once",
			    k->name, items[i]);
		else
			schema_bad(s, "%s: '%s' is the same reminder as '%s'; "
			    "list it once", k->name, items[i], specs[j].text);
		rc = -1;
	}
	schema_list_free(items, n);
	if (rc == -1) {
		plan_specs_free(specs, n);
		return -1;
	}
	plan_specs_free(*(struct plan_spec **)((char *)obj + k->off),
	    *(size_t *)((char *)obj + k->aux));
	*(struct plan_spec **)((char *)obj + k->off) = specs;
	*(size_t *)((char *)obj + k->aux) = n;
	return 0;
}

/* done (0) or acknowledged (1). */
static int
plan_set_stop_on(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	int	*field = (int *)((char *)obj + k->off);

	if (strcmp(value, "done") == 0)
		*field = 0;
	else if (strcmp(value, "acknowledged") == 0)
		*field = 1;
	else {
		schema_bad(s, "stop_on: '%s' is neither done nor acknowledged: "
		    "use stop_on = done (the default) or stop_on = "
		    "acknowledged", value);
		return -1;
	}
	return 0;
}

/* A usable key of the current section: set, and its value right. */
#define KEY_OK(l, k)	schema_ok((l)->s, k)
/* A key of the current section given with a wrong value. */
#define KEY_BAD(l, k)	((l)->seen[k] != 0 && !schema_ok((l)->s, k))

/* Checks a rule with libical, from its start day when that is known. */
static void
plan_check_rule(struct plan_loader *l, const struct plan_task *t)
{
	struct icalrecurrencetype	 r;
	struct icaltimetype		 dtstart;
	icalrecur_iterator		*it;
	unsigned			 line = l->seen[T_RULE];
	int				 y, m, d;

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(t->rule);
	if (icalerrno != ICAL_NO_ERROR) {
		schema_error(l->s, line, "rule: libical rejects '%s': %s; "
		    RULE_HINT, t->rule, icalerror_strerror(icalerrno));
		icalerror_clear_errno();
		return;
	}
	if (r.freq == ICAL_NO_RECURRENCE) {
		schema_error(l->s, line, "rule: '%s' has no FREQ; "
		    RULE_HINT, t->rule);
		return;
	}
	if (r.freq < ICAL_DAILY_RECURRENCE) {
		schema_error(l->s, line, "rule: FREQ=%s repeats within a "
		    "day, but an occurrence is a whole day; use DAILY, WEEKLY, "
		    "MONTHLY or YEARLY", icalrecur_freq_to_string(r.freq));
		return;
	}
	if (r.until.year != 0) {
		schema_error(l->s, line, "rule: UNTIL is not taken in "
		    "rule; give the last day as until = YYYY-MM-DD");
		return;
	}
	if (!KEY_OK(l, T_START))
		return;
	dtstart = icaltime_null_date();
	plan_day_to_ymd(t->start, &y, &m, &d);
	dtstart.year = y;
	dtstart.month = m;
	dtstart.day = d;
	if ((it = icalrecur_iterator_new(r, dtstart)) == NULL) {
		schema_error(l->s, line, "rule: libical rejects '%s': %s; "
		    RULE_HINT, t->rule, icalerror_strerror(icalerrno));
		icalerror_clear_errno();
		return;
	}
	icalrecur_iterator_free(it);
}

/* The checks of a task that need the whole section. */
static void
plan_task_end(struct plan_loader *l, struct plan_task *t)
{
	const char	*forms[nitems(when_keys)];
	unsigned	 lines[nitems(when_keys)];
	char		 list[256], a[32], b[32];
	size_t		 i, j, k, n = 0, off;

	if (t->title == NULL)
		t->title = xstrdup(t->id);
	t->note_line = l->seen[T_NOTE];
	if (l->seen[T_LEAD] == 0)
		schema_error(l->s, l->sect_line, "task '%s' has no lead: "
		    "set lead = AGENCY, the one agency that leads it", t->id);

	/* The date forms, in the order of their lines. */
	for (i = 0; i < nitems(when_keys); i++) {
		if (l->seen[when_keys[i]] == 0)
			continue;
		for (j = n; j > 0 && lines[j - 1] > l->seen[when_keys[i]];
		    j--) {
			forms[j] = forms[j - 1];
			lines[j] = lines[j - 1];
		}
		forms[j] = task_keys[when_keys[i]].name;
		lines[j] = l->seen[when_keys[i]];
		t->when = when_forms[i];
		n++;
	}
	if (n == 0)
		schema_error(l->s, l->sect_line, "task '%s' has no date: "
		    "set one of " WHEN_KEYS, t->id);
	else if (n > 1) {
		for (k = 0, off = 0; k < n && off < sizeof(list); k++)
			off += snprintf(list + off, sizeof(list) - off,
			    "%s%s (line %u)", k == 0 ? "" : k == n - 1 ?
			    " and " : ", ", forms[k], lines[k]);
		schema_error(l->s, l->sect_line, "task '%s' has more than "
		    "one date: %s; keep one of " WHEN_KEYS, t->id, list);
	}

	if (l->seen[T_RULE] != 0 || l->seen[T_LUNAR] != 0) {
		if (l->seen[T_RULE] != 0 && l->seen[T_START] == 0)
			schema_error(l->s, l->seen[T_RULE], "rule: a rule "
			    "needs start = YYYY-MM-DD, the day it counts from");
		if (KEY_OK(l, T_RULE))
			plan_check_rule(l, t);
		if (KEY_OK(l, T_START) && KEY_OK(l, T_UNTIL) &&
		    t->until < t->start)
			schema_error(l->s, l->seen[T_UNTIL], "until: %s is "
			    "before start %s; the last day cannot come before "
			    "the first", plan_day_text(t->until, a, sizeof(a)),
			    plan_day_text(t->start, b, sizeof(b)));
	} else {
		if (l->seen[T_START] != 0)
			schema_error(l->s, l->seen[T_START], "start: only rule "
			    "and lunar take start and until; remove it, or add "
			    "rule = RRULE or lunar = D/M");
		if (l->seen[T_UNTIL] != 0)
			schema_error(l->s, l->seen[T_UNTIL], "until: only rule "
			    "and lunar take start and until; remove it, or add "
			    "rule = RRULE or lunar = D/M");
	}

	if (t->nremind + t->nremind_lead == 0 && !KEY_BAD(l, T_REMIND) &&
	    !KEY_BAD(l, T_REMIND_LEAD))
		schema_error(l->s, l->sect_line, "task '%s' has no "
		    "reminders: set remind or remind_lead, e.g. remind = "
		    "end-1d@08:00", t->id);
	for (i = 0; i < t->nremind_lead; i++) {
		for (j = 0; j < t->nremind; j++) {
			if (plan_spec_same(&t->remind_lead[i], &t->remind[j]))
				break;
		}
		if (j < t->nremind)
			schema_error(l->s, l->seen[T_REMIND_LEAD],
			    "remind_lead: '%s' is also in remind, which "
			    "reaches the lead already; keep it in one of them",
			    t->remind_lead[i].text);
	}
	if (l->seen[T_CHANNELS] == 0)
		schema_error(l->s, l->sect_line, "task '%s' has no "
		    "channels: set channels = NAME, ... with the "
		    "[channel NAME] sections of the main config, e.g. "
		    "channels = zalo, email",
		    t->id);
}

/* "mon, tue, wed, thu, fri" for workdays bits, Monday first. */
static const char *
plan_workdays_text(unsigned bits, char *buf, size_t len)
{
	size_t	off = 0;
	int	k, d;

	buf[0] = '\0';
	for (k = 1; k <= 7 && off < len; k++) {
		d = k % 7;
		if ((bits >> d) & 1)
			off += snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "", day_names[d]);
	}
	return buf;
}

/* Days a and b together, sorted, each once (malloc'd); *n their count. */
static plan_day *
plan_days_union(const plan_day *a, size_t na, const plan_day *b, size_t nb,
    size_t *n)
{
	plan_day	*v;

	v = xreallocarray(NULL, na + nb + 1, sizeof(*v));
	if (na > 0)
		memcpy(v, a, na * sizeof(*v));
	if (nb > 0)
		memcpy(v + na, b, nb * sizeof(*v));
	*n = plan_days_sort(v, na + nb);
	return v;
}

/*
 * Adds a [calendar] section (c, with the current seen lines) to the plan's
 * calendar: holidays and extra working days add up; timezone and workdays
 * may be given in several sections only with the same value.
 */
static void
plan_calendar_merge(struct plan_loader *l, struct plan_calendar *c)
{
	struct plan_calendar	*pc = &l->plan->calendar;
	plan_day		*v;
	char			 s1[64], s2[64];
	size_t			 i, n;

	if (pc->where.file == NULL)
		pc->where = c->where;
	for (i = 0; i < c->nholidays; i++) {
		if (plan_days_has(pc->extra_workdays, pc->nextra,
		    c->holidays[i]))
			schema_error(l->s, l->seen[CAL_HOLIDAYS], "holidays: "
			    "%s is an extra working day in an earlier "
			    "[calendar]; a day is a holiday or an extra "
			    "working day, not both",
			    plan_day_text(c->holidays[i], s1, sizeof(s1)));
	}
	v = plan_days_union(pc->holidays, pc->nholidays, c->holidays,
	    c->nholidays, &n);
	free(pc->holidays);
	pc->holidays = v;
	pc->nholidays = n;
	for (i = 0; i < c->nextra; i++) {
		if (plan_days_has(pc->holidays, pc->nholidays,
		    c->extra_workdays[i]))
			schema_error(l->s, l->seen[CAL_EXTRA],
			    "extra_workdays: %s is also a holiday; a day is a "
			    "holiday or an extra working day, not both",
			    plan_day_text(c->extra_workdays[i], s1,
			    sizeof(s1)));
	}
	v = plan_days_union(pc->extra_workdays, pc->nextra, c->extra_workdays,
	    c->nextra, &n);
	free(pc->extra_workdays);
	pc->extra_workdays = v;
	pc->nextra = n;

	if (KEY_OK(l, CAL_TIMEZONE)) {
		if (l->cal_tz.file == NULL) {
			free(pc->timezone);
			pc->timezone = c->timezone;
			c->timezone = NULL;
			l->cal_tz.file = l->file;
			l->cal_tz.line = l->seen[CAL_TIMEZONE];
		} else if (strcmp(pc->timezone, c->timezone) != 0)
			schema_error(l->s, l->seen[CAL_TIMEZONE], "timezone: "
			    "'%s' differs from '%s' at %s:%u; a plan has one "
			    "time zone: set it in one [calendar]", c->timezone,
			    pc->timezone, l->cal_tz.file, l->cal_tz.line);
	}
	if (KEY_OK(l, CAL_WORKDAYS)) {
		if (l->cal_wd.file == NULL) {
			pc->workdays = c->workdays;
			l->cal_wd.file = l->file;
			l->cal_wd.line = l->seen[CAL_WORKDAYS];
		} else if (pc->workdays != c->workdays)
			schema_error(l->s, l->seen[CAL_WORKDAYS], "workdays: "
			    "%s differs from %s at %s:%u; a plan has one "
			    "working week: set it in one [calendar]",
			    plan_workdays_text(c->workdays, s1, sizeof(s1)),
			    plan_workdays_text(pc->workdays, s2, sizeof(s2)),
			    l->cal_wd.file, l->cal_wd.line);
	}
}

/*
 * Ends a section: its checks, then drops a duplicate's values (and what a
 * [calendar] did not hand over to the plan's).
 */
static void
plan_end(struct schema *s, void *obj)
{
	struct plan_loader	*l = schema_arg(s);
	struct plan_window	*w;
	struct plan_agency	*a;
	struct plan_group	*g;
	char			 s1[32], s2[32];

	switch (l->kind) {
	case KIND_CALENDAR:
		plan_calendar_merge(l, obj);
		break;
	case KIND_PLAN:
		break;
	case KIND_WINDOW:
		w = obj;
		if (w->name == NULL)
			w->name = xstrdup(w->id);
		if (l->seen[WIN_START] == 0)
			schema_error(l->s, l->sect_line, "window '%s' has no "
			    "start: set start = HH:MM, e.g. 11:00", w->id);
		if (l->seen[WIN_END] == 0)
			schema_error(l->s, l->sect_line, "window '%s' has no "
			    "end: set end = HH:MM, e.g. 11:30", w->id);
		if (KEY_OK(l, WIN_START) && KEY_OK(l, WIN_END) &&
		    w->end <= w->start) {
			snprintf(s1, sizeof(s1), "%02d:%02d", w->end / 60,
			    w->end % 60);
			snprintf(s2, sizeof(s2), "%02d:%02d", w->start / 60,
			    w->start % 60);
			schema_error(l->s, l->seen[WIN_END], "end: %s is not "
			    "after start %s; a window ends later the same day",
			    s1, s2);
		}
		break;
	case KIND_AGENCY:
		a = obj;
		if (a->name == NULL)
			a->name = xstrdup(a->id);
		break;
	case KIND_GROUP:
		g = obj;
		if (g->name == NULL)
			g->name = xstrdup(g->id);
		if (l->seen[GR_MEMBERS] == 0)
			schema_error(l->s, l->sect_line, "group '%s' has no "
			    "members: set members = AGENCY or GROUP, ...",
			    g->id);
		break;
	case KIND_TASK:
		plan_task_end(l, obj);
		break;
	case KIND_MAX:
		break;
	}
	if (l->scratch_used) {
		switch (l->kind) {
		case KIND_CALENDAR:
			plan_calendar_clear(&l->scratch.c);
			break;
		case KIND_PLAN:
			plan_doc_clear(&l->scratch.d);
			break;
		case KIND_WINDOW:
			plan_window_clear(&l->scratch.w);
			break;
		case KIND_AGENCY:
			plan_agency_clear(&l->scratch.a);
			break;
		case KIND_GROUP:
			plan_group_clear(&l->scratch.g);
			break;
		case KIND_TASK:
			plan_task_clear(&l->scratch.t);
			break;
		case KIND_MAX:
			break;
		}
		l->scratch_used = 0;
	}
	l->seen = NULL;
}

/* The where of a named object of kind, or NULL when there is none by id. */
static const struct plan_where *
plan_find_where(const struct plan *p, enum plan_kind kind, const char *id)
{
	const struct plan_window	*w;
	const struct plan_agency	*a;
	const struct plan_group		*g;
	const struct plan_task		*t;

	switch (kind) {
	case KIND_WINDOW:
		return (w = plan_window_find(p, id)) ? &w->where : NULL;
	case KIND_AGENCY:
		return (a = plan_agency_find(p, id)) ? &a->where : NULL;
	case KIND_GROUP:
		return (g = plan_group_find(p, id)) ? &g->where : NULL;
	case KIND_TASK:
		return (t = plan_task_find(p, id)) ? &t->where : NULL;
	default:
		return NULL;	/* [calendar] may come more than once */
	}
}

/* A new zeroed object of kind at the end of its array, with its lines. */
static void *
plan_append(struct plan_loader *l, enum plan_kind kind)
{
	struct plan		*p = l->plan;
	struct plan_lines	*nl;
	void			*v, **arr;
	size_t			*n, size;

	switch (kind) {
	case KIND_PLAN:
		arr = (void **)&p->docs;
		n = &p->ndocs;
		size = sizeof(*p->docs);
		break;
	case KIND_WINDOW:
		arr = (void **)&p->windows;
		n = &p->nwindows;
		size = sizeof(*p->windows);
		break;
	case KIND_AGENCY:
		arr = (void **)&p->agencies;
		n = &p->nagencies;
		size = sizeof(*p->agencies);
		break;
	case KIND_GROUP:
		arr = (void **)&p->groups;
		n = &p->ngroups;
		size = sizeof(*p->groups);
		break;
	default:
		arr = (void **)&p->tasks;
		n = &p->ntasks;
		size = sizeof(*p->tasks);
		break;
	}
	v = xreallocarray(*arr, *n + 1, size);
	*arr = v;
	nl = xreallocarray(l->lines[kind], *n + 1, sizeof(*nl));
	l->lines[kind] = nl;
	memset(&nl[*n], 0, sizeof(*nl));
	l->seen = nl[*n].at;
	v = (char *)v + *n * size;
	memset(v, 0, size);
	(*n)++;
	return v;
}

/* An id as plan ids go; a window's with no digit after a '-'. */
static int
plan_name_check(struct schema *s, const struct schema_section *sect,
    const char *name, unsigned line)
{
	const char	*e;

	if (!plan_id_ok(name)) {
		schema_error(s, line, "bad %s id '%s': " ID_HINT, sect->name,
		    name);
		return -1;
	}
	/* Reminders read "trua-30m" as the window trua, less 30 minutes. */
	if (sect != &plan_sections[KIND_WINDOW])
		return 0;
	for (e = name; (e = strchr(e, '-')) != NULL; e++)
		if (isdigit((unsigned char)e[1])) {
			schema_error(s, line, "bad window id '%s': reminders "
			    "would read '-%c' as an offset; put no digit right "
			    "after a '-'", name, e[1]);
			return -1;
		}
	return 0;
}

/* A section begins: a new object, or a duplicate's (or a [calendar]'s)
 * scratch one. */
static void *
plan_begin(struct schema *s, const struct schema_section *sect,
    const char *name, unsigned line, unsigned **lines)
{
	struct plan_loader		*l = schema_arg(s);
	enum plan_kind			 kind = sect - plan_sections;
	const struct plan_where		*first;
	struct plan_where		*where;
	void				*obj;
	size_t				 i;

	l->kind = kind;
	l->sect_line = line;
	/* Every [calendar] is read apart, then added to the plan's. */
	first = sect->named ? plan_find_where(l->plan, kind, name) : NULL;
	if (first != NULL)
		schema_error(s, line, "duplicate %s '%s' (first defined at "
		    "%s:%u)", sect->name, name, first->file, first->line);
	/* A [plan] names the document of the tasks in its own file. */
	if (kind == KIND_PLAN) {
		for (i = 0; i < l->plan->ndocs; i++) {
			if (l->plan->docs[i].where.file == l->file)
				first = &l->plan->docs[i].where;
		}
		if (first != NULL)
			schema_error(s, line, "duplicate [plan] in this file "
			    "(first at line %u); a file names one plan, the "
			    "one its tasks come from", first->line);
	}
	if (first != NULL || kind == KIND_CALENDAR) {
		memset(&l->scratch, 0, sizeof(l->scratch));
		memset(&l->scratch_lines, 0, sizeof(l->scratch_lines));
		l->seen = l->scratch_lines.at;
		obj = &l->scratch;
		l->scratch_used = 1;
	} else
		obj = plan_append(l, kind);

	/* where and id lead every object's struct but the calendar's. */
	where = obj;
	where->file = l->file;
	where->line = line;
	if (sect->named)
		*(char **)((char *)obj + sizeof(struct plan_where)) =
		    xstrdup(name);
	if (kind == KIND_TASK)
		((struct plan_task *)obj)->start =
		    ((struct plan_task *)obj)->until = -1;
	if (kind == KIND_PLAN)
		((struct plan_doc *)obj)->date = -1;
	if (kind != KIND_CALENDAR)
		schema_defaults(s, sect, obj);
	*lines = l->seen;
	return obj;
}

_Static_assert(offsetof(struct plan_window, id) == sizeof(struct plan_where) &&
    offsetof(struct plan_agency, id) == sizeof(struct plan_where) &&
    offsetof(struct plan_group, id) == sizeof(struct plan_where) &&
    offsetof(struct plan_task, id) == sizeof(struct plan_where) &&
    offsetof(struct plan_calendar, where) == 0 &&
    offsetof(struct plan_doc, where) == 0,
    "plan objects begin with where, then id");


/* Adds a source's name to the plan and makes it the one being read. */
static void
plan_begin_source(struct plan_loader *l, const char *name)
{
	struct plan	*p = l->plan;
	char		**v;

	v = xreallocarray(p->files, p->nfiles + 1, sizeof(*v));
	p->files = v;
	p->files[p->nfiles] = xstrdup(name);
	l->file = p->files[p->nfiles++];
	schema_file(l->s, l->file);
}

/* Reports an unknown reference at line, with the nearest of names. */
static void
plan_unknown(struct plan_loader *l, const char *file, unsigned line,
    const char *what, const char *id, const char *key,
    const char *const *names, const char *define)
{
	const char	*near;

	if ((near = parse_nearest(id, names)) != NULL)
		schema_error_in(l->s, file, line, "unknown %s '%s' in %s; did "
		    "you mean '%s'?", _(what), id, key, near);
	else
		schema_error_in(l->s, file, line, "unknown %s '%s' in %s; "
		    "define %s", _(what), id, key, define);
}

/* Every agency and group id, or every window id, NULL-terminated. */
static const char **
plan_ids(const struct plan *p, int windows)
{
	const char	**v;
	size_t		  i, n = 0;

	v = xcalloc(p->nagencies + p->ngroups + p->nwindows + 1, sizeof(*v));
	if (windows) {
		for (i = 0; i < p->nwindows; i++)
			v[n++] = p->windows[i].id;
		return v;
	}
	for (i = 0; i < p->nagencies; i++)
		v[n++] = p->agencies[i].id;
	for (i = 0; i < p->ngroups; i++)
		v[n++] = p->groups[i].id;
	return v;
}

/* Checks that a list of agency or group ids names only defined ones. */
static void
plan_check_refs(struct plan_loader *l, const char *file, unsigned line,
    const char *key, char *const *ids, size_t n, const char *const *names)
{
	char	define[256];
	size_t	i;

	for (i = 0; i < n; i++) {
		if (plan_agency_find(l->plan, ids[i]) != NULL ||
		    plan_group_find(l->plan, ids[i]) != NULL)
			continue;
		snprintf(define, sizeof(define), "[agency %s] or [group %s]",
		    ids[i], ids[i]);
		plan_unknown(l, file, line, N_("agency or group"), ids[i], key,
		    names, define);
	}
}

/*
 * Depth-first from group gi: state 1 while on the path, 2 when done. A
 * member on the path closes a cycle, reported at that group's members.
 */
static void
plan_cycles_from(struct plan_loader *l, size_t gi, unsigned char *state,
    size_t *path, size_t depth)
{
	const struct plan	*p = l->plan;
	const struct plan_group	*g = &p->groups[gi], *m;
	char			 text[1024];
	size_t			 i, k, mi, off;

	state[gi] = 1;
	path[depth++] = gi;
	for (i = 0; i < g->nmembers; i++) {
		/* An id names an agency first, as in plan_recipients. */
		if (plan_agency_find(p, g->members[i]) != NULL ||
		    (m = plan_group_find(p, g->members[i])) == NULL)
			continue;
		mi = m - p->groups;
		if (state[mi] == 0) {
			plan_cycles_from(l, mi, state, path, depth);
			continue;
		}
		if (state[mi] != 1)
			continue;
		for (k = 0; path[k] != mi; k++)
			;
		for (off = 0; k < depth && off < sizeof(text); k++)
			off += snprintf(text + off, sizeof(text) - off,
			    "%s → ", p->groups[path[k]].id);
		if (off < sizeof(text))
			snprintf(text + off, sizeof(text) - off, "%s", m->id);
		schema_error_in(l->s, m->where.file, l->lines[KIND_GROUP][mi].at
		    [GR_MEMBERS], "group cycle %s: a group cannot contain "
		    "itself, even through other groups; remove a member to "
		    "break it", text);
	}
	state[gi] = 2;
}

/* The checks that need every source: references, cycles, windows. */
static void
plan_check_all(struct plan_loader *l)
{
	struct plan			*p = l->plan;
	const struct plan_agency	*a;
	const struct plan_group		*g;
	const struct plan_task		*t;
	const struct plan_spec		*sp;
	const struct plan_lines		*tl;
	const char			**ids, **wids;
	unsigned char			*state;
	size_t				*path, i, j, k, n;
	char				 define[160], key[600];

	ids = plan_ids(p, 0);
	wids = plan_ids(p, 1);
	for (i = 0; i < p->ngroups; i++) {
		g = &p->groups[i];
		if ((a = plan_agency_find(p, g->id)) != NULL)
			schema_error_in(l->s, g->where.file, g->where.line,
			    "group '%s' has the id of agency '%s' (%s:%u); "
			    "members and partners could not tell them apart: "
			    "rename one", g->id, a->id, a->where.file,
			    a->where.line);
		plan_check_refs(l, g->where.file,
		    l->lines[KIND_GROUP][i].at[GR_MEMBERS], "members",
		    g->members, g->nmembers, ids);
	}
	state = xcalloc(p->ngroups + 1, 1);
	path = xcalloc(p->ngroups + 1, sizeof(*path));
	for (i = 0; i < p->ngroups; i++) {
		if (state[i] == 0)
			plan_cycles_from(l, i, state, path, 0);
	}
	free(state);
	free(path);

	for (i = 0; i < p->ntasks; i++) {
		t = &p->tasks[i];
		tl = &l->lines[KIND_TASK][i];
		if (t->lead != NULL && plan_agency_find(p, t->lead) == NULL) {
			if (plan_group_find(p, t->lead) != NULL)
				schema_error_in(l->s, t->where.file,
				    tl->at[T_LEAD], "lead: '%s' is a group, "
				    "but lead must be one agency; name the "
				    "agency that leads and put the group in "
				    "partners", t->lead);
			else {
				snprintf(define, sizeof(define),
				    "[agency %s]", t->lead);
				/* Agencies come first in ids: only those. */
				ids[p->nagencies] = NULL;
				plan_unknown(l, t->where.file, tl->at[T_LEAD],
				    N_("agency"), t->lead, "lead", ids, define);
				if (p->ngroups > 0)
					ids[p->nagencies] = p->groups[0].id;
			}
		}
		plan_check_refs(l, t->where.file, tl->at[T_PARTNERS],
		    "partners", t->partners, t->npartners, ids);
		for (j = 0; j < t->nescalate; j++) {
			sp = &t->escalate[j].spec;
			plan_check_refs(l, t->where.file, tl->at[T_ESCALATE],
			    "escalate", t->escalate[j].to, t->escalate[j].nto,
			    ids);
			if (sp->window == NULL ||
			    plan_window_find(p, sp->window) != NULL)
				continue;
			snprintf(define, sizeof(define), "[window %s]",
			    sp->window);
			snprintf(key, sizeof(key), "escalate '%s'", sp->text +
			    strlen("escalate:"));
			plan_unknown(l, t->where.file, tl->at[T_ESCALATE],
			    N_("window"), sp->window, key, wids, define);
		}
		for (k = 0; k < 2; k++) {
			n = k == 0 ? t->nremind : t->nremind_lead;
			for (j = 0; j < n; j++) {
				sp = k == 0 ? &t->remind[j] :
				    &t->remind_lead[j];
				if (sp->window == NULL ||
				    plan_window_find(p, sp->window) != NULL)
					continue;
				snprintf(define, sizeof(define),
				    "[window %s]", sp->window);
				snprintf(key, sizeof(key), "%s '%s'", k == 0 ?
				    "remind" : "remind_lead", sp->text);
				plan_unknown(l, t->where.file, tl->at[k == 0 ?
				    T_REMIND : T_REMIND_LEAD], N_("window"),
				    sp->window, key, wids, define);
			}
		}
	}
	free(ids);
	free(wids);
}

/* The [plan] of a file, or NULL. */
static const struct plan_doc *
plan_doc_of(const struct plan *p, const char *file)
{
	size_t	i;

	for (i = 0; i < p->ndocs; i++) {
		if (p->docs[i].where.file == file)
			return &p->docs[i];
	}
	return NULL;
}

/* A new load: its plan with the calendar's defaults. */
static void
plan_start(struct plan_loader *l)
{
	memset(l, 0, sizeof(*l));
	l->s = schema_new(&plan_format, l);
	l->plan = xcalloc(1, sizeof(*l->plan));
	schema_defaults(l->s, &plan_sections[KIND_CALENDAR],
	    &l->plan->calendar);
}

/* After the sources: whole-plan checks, defaults, errors; the plan or NULL. */
static struct plan *
plan_finish(struct plan_loader *l, struct diag *d)
{
	struct plan	*p = l->plan;
	size_t		 i;

	plan_check_all(l);
	/* Each task comes from the plan named in its own file, if any. */
	for (i = 0; i < p->ntasks; i++)
		p->tasks[i].doc = plan_doc_of(p, p->tasks[i].where.file);
	for (i = 0; i < KIND_MAX; i++)
		free(l->lines[i]);
	if (schema_finish(l->s, d) > 0) {
		plan_free(p);
		return NULL;
	}
	plan_index_build(p);
	log_debug("plan: %zu files, %zu tasks, %zu agencies, %zu groups, "
	    "%zu windows", p->nfiles, p->ntasks, p->nagencies, p->ngroups,
	    p->nwindows);
	return p;
}

/* The lookups of a plan loaded without errors (ids are unique then). */
static void
plan_index_build(struct plan *p)
{
	struct plan_index	*x;
	size_t			 i, j;

	x = xcalloc(1, sizeof(*x));
	x->agencies = xcalloc(p->nagencies + 1, sizeof(*x->agencies));
	x->groups = xcalloc(p->ngroups + 1, sizeof(*x->groups));
	x->tasks = xcalloc(p->ntasks + 1, sizeof(*x->tasks));
	x->reach = xcalloc(p->ntasks + 1, sizeof(*x->reach));
	x->nreach = xcalloc(p->ntasks + 1, sizeof(*x->nreach));
	x->reaches = xcalloc(p->ntasks + 1, sizeof(*x->reaches));
	for (i = 0; i < p->nagencies; i++)
		x->agencies[i] = &p->agencies[i];
	for (i = 0; i < p->ngroups; i++)
		x->groups[i] = &p->groups[i];
	for (i = 0; i < p->ntasks; i++)
		x->tasks[i] = &p->tasks[i];
	qsort(x->agencies, p->nagencies, sizeof(*x->agencies),
	    plan_agency_cmp);
	qsort(x->groups, p->ngroups, sizeof(*x->groups), plan_group_cmp);
	qsort(x->tasks, p->ntasks, sizeof(*x->tasks), plan_task_cmp);
	for (i = 0; i < p->ntasks; i++) {
		x->nreach[i] = plan_recipients_walk(p, &p->tasks[i],
		    &x->reach[i]);
		x->reaches[i] = xcalloc(p->nagencies + 1, 1);
		for (j = 0; j < x->nreach[i]; j++)
			x->reaches[i][x->reach[i][j] - p->agencies] = 1;
	}
	p->index = x;	/* the walk above ran on the linear lookups */
}

struct plan *
plan_load_texts(const char *const *names, const char *const *texts,
    size_t ntexts, struct diag *d)
{
	struct plan_loader	l;
	size_t			i;

	plan_start(&l);
	for (i = 0; i < ntexts; i++) {
		plan_begin_source(&l, names[i]);
		if (texts[i] == NULL)
			schema_error(l.s, 0, "no text");
		else
			schema_read(l.s, l.file, texts[i], strlen(texts[i]));
	}
	return plan_finish(&l, d);
}

/* What stopped glob: the errno of its last failed directory. */
static __thread int	plan_glob_errno;

/*
 * glob's error callback: a directory that is not there matches nothing,
 * but one it cannot read stops it, so that no plan file drops out quietly.
 */
static int
plan_glob_error(const char *path, int eerrno)
{
	(void)path;
	if (eerrno == ENOENT || eerrno == ENOTDIR)
		return 0;
	plan_glob_errno = eerrno;
	return 1;
}

struct plan *
plan_load_glob(const char *pattern, struct diag *d)
{
	struct plan_loader	 l;
	glob_t			 g;
	char			*text, why[512];
	size_t			 i, len;
	int			 rc;

	memset(&g, 0, sizeof(g));
	plan_glob_errno = 0;
	if ((rc = glob(pattern, 0, plan_glob_error, &g)) != 0) {
		if (rc == GLOB_NOMATCH)
			diag_error(d, pattern, 0, "no plan files match");
		else
			diag_error(d, pattern, 0, "cannot list the plan files: "
			    "%s", rc == GLOB_NOSPACE ? "out of memory" :
			    strerror(plan_glob_errno));
		globfree(&g);
		return NULL;
	}
	plan_start(&l);
	for (i = 0; i < g.gl_pathc; i++) {
		plan_begin_source(&l, g.gl_pathv[i]);
		if (file_read(g.gl_pathv[i], 0, FILE_MAX_PLAN, &text, &len,
		    why, sizeof(why)) == -1) {
			schema_error(l.s, 0, "%s", why);
			continue;
		}
		schema_read(l.s, l.file, text, len);
		free(text);
	}
	globfree(&g);
	return plan_finish(&l, d);
}
