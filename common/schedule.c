/* From plan to reminders: occurrences (libical), specs, shifts, deferrals, fire instants. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libical/ical.h>

#include "civil.h"
#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "lunar.h"
#include "parse.h"
#include "reminder.h"
#include "schedule.h"
#include "fileio.h"
#include "template.h"
#include "xmalloc.h"
#include "zone.h"

#define DAY_S		86400LL
#define DAY_MS		86400000LL
#define DEFAULT_TZ	"Asia/Ho_Chi_Minh"
#define SHIFT_MAX	366		/* days a reminder may move back */
#define RULE_STEPS_MAX	1000000		/* instances read from one rule */
#define RULE_HINT	"use an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=-1SA"

static const char *const weekday_vi[] = {
	"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu",
	"Thứ Bảy",
};

/* The fire instant of one (occurrence, spec), the same for every recipient. */
struct fire {
	int64_t	at;
	int	shifted;
	int	deferred;
};

/* The plan's zone; UTC when libical does not know it (plan_load refuses that). */
static icaltimezone *
schedule_zone(const struct plan *p)
{
	const char	*name = p->calendar.timezone;
	icaltimezone	*z;

	if (name == NULL)
		name = DEFAULT_TZ;
	if ((z = zone_find(name)) == NULL)
		z = icaltimezone_get_utc_timezone();
	return z;
}

/* Seconds east of UTC in zone z at the instant t (seconds). */
static int
zone_offset(icaltimezone *z, int64_t t)
{
	struct icaltimetype	tt;
	int			dst;

	tt = icaltime_from_timet_with_zone((time_t)t, 0,
	    icaltimezone_get_utc_timezone());
	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
}

/*
 * The instant (seconds) of a local civil time given as seconds since
 * 1970-01-01T00:00 local. libical 3.0.16's icaltime_as_timet_with_zone maps
 * a time in a spring-forward gap backward (02:30 -> 01:30 in Europe/Berlin)
 * and an ambiguous fall-back time to the later instant, so we resolve it
 * here from the offsets libical gives for UTC instants, which are right:
 * the earlier of the valid readings, or, in a gap, the time read with the
 * offset before the change (which moves it forward by the gap's width).
 */
#define ZONE_UTC_CACHE	64	/* a plan's fire times repeat: remembered */

static int64_t
zone_local_to_utc(icaltimezone *z, int64_t local)
{
	static struct {
		icaltimezone	*z;
		int64_t		 local, utc;
	}		 cache[ZONE_UTC_CACHE];
	size_t		 h = (size_t)((uint64_t)local / 60 % ZONE_UTC_CACHE);
	int		 before, after;
	int64_t		 best = INT64_MAX;

	if (cache[h].z == z && cache[h].local == local)
		return cache[h].utc;
	before = zone_offset(z, local - DAY_S);
	after = zone_offset(z, local + DAY_S);
	if (zone_offset(z, local - before) == before)
		best = local - before;
	if (zone_offset(z, local - after) == after && local - after < best)
		best = local - after;
	if (best == INT64_MAX)
		best = local - before;
	cache[h].z = z;
	cache[h].local = local;
	cache[h].utc = best;
	return best;
}

/* The instant, in ms, of a local day and minute in zone z. */
static int64_t
zone_local_ms(icaltimezone *z, plan_day day, int minutes)
{
	return zone_local_to_utc(z, (int64_t)day * DAY_S +
	    (int64_t)minutes * 60) * 1000;
}

/* The local day of an instant, and its minutes after local midnight. */
static plan_day
zone_day_of(icaltimezone *z, int64_t ms, int *minutes)
{
	int64_t	s = civil_floordiv(ms, 1000), local;
	int64_t	day;

	local = s + zone_offset(z, s);
	day = civil_floordiv(local, DAY_S);
	if (minutes != NULL)
		*minutes = (int)((local - day * DAY_S) / 60);
	return (plan_day)day;
}

int64_t
schedule_local_ms(const struct plan *p, plan_day day, int minutes)
{
	return zone_local_ms(schedule_zone(p), day, minutes);
}

plan_day
schedule_day_of(const struct plan *p, int64_t ms, int *minutes)
{
	return zone_day_of(schedule_zone(p), ms, minutes);
}

int64_t
schedule_within_hours(const struct plan *p, int start, int end, int64_t ms)
{
	plan_day	day;
	int		min;

	if (start == 0 && end >= 1440)
		return ms;
	day = schedule_day_of(p, ms, &min);
	if (min >= start && min < end)
		return ms;
	if (min >= end)
		day++;
	return schedule_local_ms(p, day, start);
}

void
schedule_format_iso(const struct plan *p, int64_t ms, char *buf, size_t len)
{
	icaltimezone	*z = schedule_zone(p);
	int64_t		 s = civil_floordiv(ms, 1000), local, day, sod;
	int		 off = zone_offset(z, s), y, m, d, aoff;

	local = s + off;
	day = civil_floordiv(local, DAY_S);
	sod = local - day * DAY_S;
	plan_day_to_ymd((plan_day)day, &y, &m, &d);
	aoff = off < 0 ? -off : off;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d,
	    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
	    off < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
}

/* "2022-04-30" */
static void
day_text(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

void
schedule_due_text(const struct occurrence *o, char *buf, size_t len)
{
	char	a[16], b[16];

	day_text(o->start, a, sizeof(a));
	if (o->end == o->start) {
		snprintf(buf, len, "%s", a);
		return;
	}
	day_text(o->end, b, sizeof(b));
	snprintf(buf, len, "%s..%s", a, b);
}

/* Parse a rule as libical reads it; on failure name the part it rejects. */
static int
schedule_rule_parse(const char *text, struct icalrecurrencetype *r,
    char *err, size_t len)
{
	struct icalrecurrencetype	 t;
	char				*copy, *part, *save, probe[512];
	int				 bad = 0;

	icalerror_clear_errno();
	*r = icalrecurrencetype_from_string(text);
	if (r->freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR) {
		if (r->freq >= ICAL_DAILY_RECURRENCE)
			return 0;
		snprintf(err, len, _("rule: FREQ=%s repeats within a day, but "
		    "an occurrence is a whole day; use DAILY, WEEKLY, MONTHLY "
		    "or YEARLY"), icalrecur_freq_to_string(r->freq));
		return -1;
	}
	icalerror_clear_errno();
	copy = xstrdup(text);
	for (part = strtok_r(copy, ";", &save); part != NULL && !bad;
	    part = strtok_r(NULL, ";", &save)) {
		snprintf(probe, sizeof(probe), "%s%s",
		    strncasecmp(part, "FREQ=", 5) == 0 ? "" : "FREQ=YEARLY;",
		    part);
		t = icalrecurrencetype_from_string(probe);
		if (t.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
			snprintf(err, len, _("rule: libical rejects '%s' in "
			    "'%s'; " RULE_HINT), part, text);
			bad = 1;
		}
		icalerror_clear_errno();
	}
	free(copy);
	if (!bad && strcasestr(text, "FREQ=") == NULL)
		snprintf(err, len, _("rule: '%s' has no FREQ; " RULE_HINT),
		    text);
	else if (!bad)
		snprintf(err, len, _("rule: libical rejects '%s'; " RULE_HINT),
		    text);
	return -1;
}

/* Appends one occurrence to a growing array. */
static void
occ_push(struct occurrence **v, size_t *n, size_t *cap, plan_day start,
    plan_day end)
{
	struct occurrence	*nv;
	size_t			 ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 16;
		nv = xreallocarray(*v, ncap, sizeof(*nv));
		*v = nv;
		*cap = ncap;
	}
	(*v)[*n].start = start;
	(*v)[(*n)++].end = end;
}

/*
 * The rule's instances in [from, to], each day once. DTSTART is the start
 * day at 00:00 floating rather than a DATE value: with a DATE DTSTART,
 * libical 3.0.16's icalrecur_iterator_next returns the first instance twice
 * (FREQ=MONTHLY;BYDAY=-1SA from 2022-01-01) and never returns for
 * FREQ=WEEKLY;BYDAY=MO from a Saturday.
 */
static int
schedule_rule_occurrences(const struct plan_task *t, plan_day from,
    plan_day to, struct occurrence **v, size_t *n, size_t *cap, char *err,
    size_t len)
{
	struct icalrecurrencetype	 r;
	struct icaltimetype		 dtstart, next;
	icalrecur_iterator		*it;
	plan_day			 day, prev = INT32_MIN;
	long				 steps;
	int				 y, m, d;

	if (t->rule == NULL) {
		snprintf(err, len, _("rule: missing; " RULE_HINT));
		return -1;
	}
	if (schedule_rule_parse(t->rule, &r, err, len) == -1)
		return -1;
	if (t->until >= 0 && t->until < t->start)
		return 0;
	if (t->start > to || (t->until >= 0 && t->until < from))
		return 0;
	dtstart = icaltime_null_time();
	plan_day_to_ymd(t->start, &y, &m, &d);
	dtstart.year = y;
	dtstart.month = m;
	dtstart.day = d;
	icalerror_clear_errno();
	if ((it = icalrecur_iterator_new(r, dtstart)) == NULL) {
		snprintf(err, len, _("rule: libical cannot expand '%s' from "
		    "%04d-%02d-%02d: %s; " RULE_HINT), t->rule, y, m, d,
		    icalerror_strerror(icalerrno));
		icalerror_clear_errno();
		return -1;
	}
	for (steps = 0; steps < RULE_STEPS_MAX; steps++) {
		next = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(next))
			break;
		day = plan_day_from_ymd(next.year, next.month, next.day);
		if (day > to || (t->until >= 0 && day > t->until))
			break;
		if (day < from || day <= prev)
			continue;
		occ_push(v, n, cap, day, day);
		prev = day;
	}
	icalrecur_iterator_free(it);
	return 0;
}

/*
 * A lunar task's days in [from, to] within start and until: lunar day D
 * of month M each lunar year, in the regular month when the year has a
 * leap month M as well. Day 30 of a month of 29 days is its last day, as
 * "30 Tết" is the last day of the year whichever it is. Only the years the
 * lunar calendar covers give days.
 */
static void
schedule_lunar_occurrences(const struct plan_task *t, plan_day from,
    plan_day to, struct occurrence **v, size_t *n, size_t *cap)
{
	struct lunar_date	ld;
	plan_day		day;
	int			y, y0, y1, m, d, len;

	if (t->start >= 0 && t->start > from)
		from = t->start;
	if (t->until >= 0 && t->until < to)
		to = t->until;
	if (from < plan_day_from_ymd(LUNAR_YEAR_FIRST, 1, 1))
		from = plan_day_from_ymd(LUNAR_YEAR_FIRST, 1, 1);
	if (to > plan_day_from_ymd(LUNAR_YEAR_LAST, 12, 31))
		to = plan_day_from_ymd(LUNAR_YEAR_LAST, 12, 31);
	if (from > to)
		return;
	plan_day_to_ymd(from, &y0, &m, &d);
	plan_day_to_ymd(to, &y1, &m, &d);
	/* Months 11 and 12 of lunar year Y fall in solar year Y + 1 at most. */
	for (y = y0 - 1; y <= y1; y++) {
		if ((len = lunar_month_days(y, t->lunar_month, 0)) == 0)
			continue;
		ld.year = y;
		ld.month = t->lunar_month;
		ld.leap = 0;
		ld.day = t->lunar_day < len ? t->lunar_day : len;
		if (lunar_to_solar(&ld, &day) == 0 && day >= from && day <= to)
			occ_push(v, n, cap, day, day);
	}
}

/* The first and last day of a month. */
static void
month_span(int y, int m, plan_day *start, plan_day *end)
{
	*start = plan_day_from_ymd(y, m, 1);
	*end = (m == 12 ? plan_day_from_ymd(y + 1, 1, 1) :
	    plan_day_from_ymd(y, m + 1, 1)) - 1;
}

int
schedule_occurrences(const struct plan_task *t, plan_day from, plan_day to,
    struct occurrence **out, size_t *n, char *err, size_t len)
{
	struct occurrence	*v = NULL;
	size_t			 nv = 0, cap = 0, i;
	plan_day		 s, e, e2;

	*out = NULL;
	*n = 0;
	switch (t->when) {
	case WHEN_RULE:
		if (schedule_rule_occurrences(t, from, to, &v, &nv, &cap, err,
		    len) == -1) {
			free(v);
			return -1;
		}
		break;
	case WHEN_DATE:
	case WHEN_DATES:
		for (i = 0; i < t->ndates; i++) {
			if (t->dates[i] >= from && t->dates[i] <= to &&
			    (nv == 0 || v[nv - 1].start != t->dates[i]))
				occ_push(&v, &nv, &cap, t->dates[i],
				    t->dates[i]);
		}
		break;
	case WHEN_MONTH:
		month_span(t->year, t->month, &s, &e);
		if (s <= to && e >= from)
			occ_push(&v, &nv, &cap, s, e);
		break;
	case WHEN_QUARTER:
		month_span(t->year, 3 * t->quarter - 2, &s, &e);
		month_span(t->year, 3 * t->quarter, &e, &e2);
		if (s <= to && e2 >= from)
			occ_push(&v, &nv, &cap, s, e2);
		break;
	case WHEN_LUNAR:
		schedule_lunar_occurrences(t, from, to, &v, &nv, &cap);
		break;
	default:
		snprintf(err, len, "task '%s' has no date", t->id);
		return -1;
	}
	*out = v;
	*n = nv;
	return 0;
}

/*
 * When a spec fires for an occurrence: HH:MM on a non-working day moves to
 * the previous working day, then into [delivery] hours; a window-anchored
 * one is the window's start that day plus the offset, never moved. The
 * offset's whole days are civil days (as RFC 5545 counts "P1D"), the rest
 * elapsed time, so "-1d" stays at the window's hour across a DST change.
 */
static int
schedule_fire(const struct plan *p, const struct config *c, icaltimezone *z,
    const struct occurrence *o, const struct plan_spec *s, struct fire *f,
    char *err, size_t len)
{
	const struct plan_window	*w;
	plan_day			 day;
	int				 k, dir, m = s->minutes;

	memset(f, 0, sizeof(*f));
	day = (s->anchor == ANCHOR_START ? o->start : o->end) + s->days;
	if (s->window != NULL) {
		if ((w = plan_window_find(p, s->window)) == NULL) {
			snprintf(err, len, "spec '%s': no window '%s'",
			    s->text, s->window);
			return -1;
		}
		f->at = zone_local_ms(z, day + (plan_day)(s->offset_ms /
		    DAY_MS), w->start) + s->offset_ms % DAY_MS;
		return 0;
	}
	/*
	 * A reminder on a day off moves back to the working day before it
	 * (the head hears of it in time); an escalation, which tells what
	 * happened by then, moves on to the next one.
	 */
	dir = strncmp(s->text, "escalate:", 9) == 0 ? 1 : -1;
	for (k = 0; k < SHIFT_MAX && !plan_is_workday(&p->calendar,
	    day + dir * k); k++)
		;
	if (k > 0 && k < SHIFT_MAX) {
		day += dir * k;
		f->shifted = 1;
	}
	if (m < c->hours_start) {
		m = c->hours_start;
		f->deferred = 1;
	} else if (m >= c->hours_end) {
		day++;
		m = c->hours_start;
		f->deferred = 1;
	}
	f->at = zone_local_ms(z, day, m);
	return 0;
}

/* The agency's value for a contact field (zalo, phone, email), or NULL. */
static const char *
agency_contact(const struct plan_agency *a, const char *field)
{
	const char	*v = NULL;

	if (strcmp(field, "zalo") == 0)
		v = a->zalo;
	else if (strcmp(field, "phone") == 0)
		v = a->phone;
	else if (strcmp(field, "email") == 0)
		v = a->email;
	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * Adds one reminder unless the recipient lacks the channel's contact or
 * the same id is already among those added since mark (the same task and
 * occurrence: a lead who is also a partner, a spec in both lists).
 */
static void
schedule_add(struct sched_list *l, size_t mark, const struct plan_task *t,
    const struct occurrence *o, const struct plan_spec *s,
    const struct plan_agency *a, const struct config_channel *ch,
    const struct fire *f, int lead_only)
{
	struct sched_reminder	*r, *nv;
	const char		*contact = NULL;
	char			*id, end[16];
	size_t			 i, ncap;

	if (ch->contact != NULL &&
	    (contact = agency_contact(a, ch->contact)) == NULL)
		return;
	day_text(o->end, end, sizeof(end));
	xasprintf(&id, "%s/%s/%s/%s/%s", t->id, end, s->text, a->id, ch->name);
	for (i = mark; i < l->n; i++) {
		if (strcmp(l->v[i].id, id) == 0) {
			free(id);
			return;
		}
	}
	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 64;
		nv = xreallocarray(l->v, ncap, sizeof(*nv));
		l->v = nv;
		l->cap = ncap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->task = t;
	r->agency = a;
	r->spec = s;
	r->channel = ch;
	r->contact = contact;
	r->occ = *o;
	r->lead_only = lead_only;
	r->shifted = f->shifted;
	r->deferred = f->deferred;
	r->fire_at = f->at;
}

/* By fire_at, task, agency, channel; the id makes the order total. */
static int
sched_cmp(const void *a, const void *b)
{
	const struct sched_reminder	*x = a, *y = b;
	int				 c;

	if (x->fire_at != y->fire_at)
		return x->fire_at < y->fire_at ? -1 : 1;
	if ((c = strcmp(x->task->id, y->task->id)) != 0)
		return c;
	if ((c = strcmp(x->agency->id, y->agency->id)) != 0)
		return c;
	if ((c = strcmp(x->channel->name, y->channel->name)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/*
 * The span of anchor days (occurrence start or end) whose reminders can
 * fire within local days [fd, td]: a HH:MM reminder fires between its day
 * less the working-day shift and the next day (deferral); a window one
 * within the offset's days either side. A shift carries a reminder back
 * over the non-working days that follow td, so those widen the end.
 */
static void
schedule_task_span(const struct plan *p, const struct plan_task *t,
    plan_day fd, plan_day td, plan_day *lo, plan_day *hi)
{
	const struct plan_spec	*s;
	plan_day		 k, off, fwd;
	size_t			 i, n = t->nremind + t->nremind_lead;

	n += t->nescalate;
	for (k = 0; k < SHIFT_MAX && !plan_is_workday(&p->calendar,
	    td + 1 + k); k++)
		;
	*lo = fd;
	*hi = td;
	for (i = 0; i < n; i++) {
		s = i < t->nremind ? &t->remind[i] :
		    i < t->nremind + t->nremind_lead ?
		    &t->remind_lead[i - t->nremind] :
		    &t->escalate[i - t->nremind - t->nremind_lead].spec;
		off = s->window ? (plan_day)(s->offset_ms / DAY_MS) : 0;
		/* An escalation moves forward: its anchor may be earlier. */
		fwd = i >= t->nremind + t->nremind_lead ? SHIFT_MAX : 0;
		if (fd - 2 - off - fwd - s->days < *lo)
			*lo = fd - 2 - off - fwd - s->days;
		if (td + 2 + k - off - s->days > *hi)
			*hi = td + 2 + k - off - s->days;
	}
}

/*
 * An occurrence's escalation e into l when it fires within [from, to]: one
 * message to each agency it names (groups expanded) on each of the task's
 * channels the agency has an address for.
 */
static int
schedule_escalation(const struct plan *p, const struct config *c,
    icaltimezone *z, const struct plan_task *t, const struct occurrence *o,
    const struct plan_escalation *e, const struct config_channel **chans,
    size_t nch, int64_t from_ms, int64_t to_ms, struct sched_list *l,
    size_t mark, char *err, size_t len)
{
	const struct plan_agency	**who;
	struct fire			  f;
	char				  why[400];
	size_t				  i, a, k, n, before;

	if (schedule_fire(p, c, z, o, &e->spec, &f, why, sizeof(why)) == -1) {
		snprintf(err, len, "task '%s': %s", t->id, why);
		return -1;
	}
	if (f.at < from_ms || f.at > to_ms)
		return 0;
	for (i = 0; i < e->nto; i++) {
		n = plan_members(p, e->to[i], &who);
		for (a = 0; a < n; a++)
			for (k = 0; k < nch; k++) {
				before = l->n;
				schedule_add(l, mark, t, o, &e->spec, who[a],
				    chans[k], &f, 0);
				if (l->n > before)
					l->v[l->n - 1].esc = e;
			}
		free(who);
	}
	return 0;
}

/* The reminders of one task into l, with their fire time in [from, to]. */
static int
schedule_task(const struct plan *p, const struct config *c, icaltimezone *z,
    const struct plan_task *t, int64_t from_ms, int64_t to_ms,
    struct sched_list *l, char *err, size_t len)
{
	const struct plan_agency	**rec = NULL, *lead;
	const struct config_channel	**chans;
	const struct plan_spec		 *s;
	struct occurrence		 *occ = NULL;
	struct fire			  f;
	plan_day			  lo, hi;
	size_t				  nocc, nrec = 0, nch = 0, i, j, a, k;
	size_t				  mark;
	char				  why[400];
	int				  rv = -1;

	schedule_task_span(p, t, zone_day_of(z, from_ms, NULL),
	    zone_day_of(z, to_ms, NULL), &lo, &hi);
	if (schedule_occurrences(t, lo, hi, &occ, &nocc, why,
	    sizeof(why)) == -1) {
		snprintf(err, len, "task '%s': %s", t->id, why);
		return -1;
	}
	chans = xcalloc(t->nchannels + 1, sizeof(*chans));
	for (i = 0; i < t->nchannels; i++)
		if ((chans[nch] = config_channel_find(c, t->channels[i])) !=
		    NULL)
			nch++;
	if (t->nremind > 0)
		nrec = plan_recipients(p, t, &rec);
	lead = t->lead ? plan_agency_find(p, t->lead) : NULL;
	for (i = 0; i < nocc; i++) {
		mark = l->n;
		for (j = 0; j < t->nremind + t->nremind_lead; j++) {
			s = j < t->nremind ? &t->remind[j] :
			    &t->remind_lead[j - t->nremind];
			if (schedule_fire(p, c, z, &occ[i], s, &f, why,
			    sizeof(why)) == -1) {
				snprintf(err, len, "task '%s': %s", t->id,
				    why);
				goto out;
			}
			if (f.at < from_ms || f.at > to_ms)
				continue;
			if (j >= t->nremind) {
				if (lead == NULL)
					continue;
				for (k = 0; k < nch; k++)
					schedule_add(l, mark, t, &occ[i], s,
					    lead, chans[k], &f, 1);
				continue;
			}
			for (a = 0; a < nrec; a++)
				for (k = 0; k < nch; k++)
					schedule_add(l, mark, t, &occ[i], s,
					    rec[a], chans[k], &f, 0);
		}
		for (j = 0; j < t->nescalate; j++)
			if (schedule_escalation(p, c, z, t, &occ[i],
			    &t->escalate[j], chans, nch, from_ms, to_ms, l,
			    mark, err, len) == -1)
				goto out;
	}
	rv = 0;
out:
	free(rec);
	free(chans);
	free(occ);
	return rv;
}

int
schedule_expand(const struct plan *p, const struct config *c, int64_t from_ms,
    int64_t to_ms, struct sched_list *l, char *err, size_t len)
{
	icaltimezone	*z = schedule_zone(p);
	size_t		 i;

	for (i = 0; i < p->ntasks; i++) {
		if (schedule_task(p, c, z, &p->tasks[i], from_ms, to_ms, l,
		    err, len) == -1) {
			schedule_list_clear(l);
			return -1;
		}
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), sched_cmp);
	return 0;
}

/* Whether escalation e tells agency a. */
static int
schedule_escalation_to(const struct plan *p, const struct plan_escalation *e,
    const struct plan_agency *a)
{
	const struct plan_agency	**who;
	size_t				  i, k, n;
	int				  found = 0;

	for (i = 0; i < e->nto && !found; i++) {
		n = plan_members(p, e->to[i], &who);
		for (k = 0; k < n && !found; k++)
			found = who[k] == a;
		free(who);
	}
	return found;
}

/*
 * The reminder an id names, as the plan says now ("task/END/spec/agency/
 * channel"): the occurrence ending on END, the spec by its text, the
 * agency still a recipient, the channel still the task's and the agency's
 * contact for it. Fills *out (its id malloc'd; free with
 * schedule_list_clear's rule: free(out->id)) or says why not.
 */
int
schedule_find(const struct plan *p, const struct config *c, const char *id,
    struct sched_reminder *out, char *err, size_t len)
{
	const struct plan_task		 *t;
	const struct plan_agency	 *a;
	const struct config_channel	 *ch;
	const struct plan_spec		 *s = NULL;
	const struct plan_escalation	 *esc = NULL;
	struct occurrence		 *occ = NULL;
	char				  part[5][256], why[400];
	const char			 *q = id, *slash;
	plan_day			  end;
	size_t				  i, n, nocc;
	int				  lead_only = 0, found = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 5; i++) {
		slash = i < 4 ? strchr(q, '/') : q + strlen(q);
		if (slash == NULL || (size_t)(slash - q) >= sizeof(part[i]) ||
		    slash == q) {
			snprintf(err, len, "'%s' is not a planned reminder's id "
			    "(task/DUE/spec/agency/channel)", id);
			return -1;
		}
		snprintf(part[i], sizeof(part[i]), "%.*s", (int)(slash - q),
		    q);
		q = slash + 1;
	}
	if ((t = plan_task_find(p, part[0])) == NULL) {
		snprintf(err, len, "task '%s' is no longer in the plan",
		    part[0]);
		return -1;
	}
	if (plan_parse_day(part[1], &end) == -1) {
		snprintf(err, len, "'%s' in %s is not a day", part[1], id);
		return -1;
	}
	for (i = 0; i < t->nremind + t->nremind_lead && s == NULL; i++) {
		const struct plan_spec *x = i < t->nremind ? &t->remind[i] :
		    &t->remind_lead[i - t->nremind];

		if (strcmp(x->text, part[2]) == 0) {
			s = x;
			lead_only = i >= t->nremind;
		}
	}
	for (i = 0; i < t->nescalate && s == NULL; i++)
		if (strcmp(t->escalate[i].spec.text, part[2]) == 0) {
			esc = &t->escalate[i];
			s = &esc->spec;
		}
	if (s == NULL) {
		snprintf(err, len, "task '%s' no longer has the reminder %s",
		    t->id, part[2]);
		return -1;
	}
	if ((a = plan_agency_find(p, part[3])) == NULL) {
		snprintf(err, len, "agency '%s' is no longer in the plan",
		    part[3]);
		return -1;
	}
	if (esc != NULL)
		found = schedule_escalation_to(p, esc, a);
	else if (lead_only)
		found = t->lead && strcmp(t->lead, a->id) == 0;
	else
		found = plan_reaches(p, t, a);
	if (!found) {
		snprintf(err, len, "agency '%s' no longer receives task '%s'",
		    a->id, t->id);
		return -1;
	}
	for (i = 0, found = 0; i < t->nchannels && !found; i++)
		found = strcmp(t->channels[i], part[4]) == 0;
	if (!found || (ch = config_channel_find(c, part[4])) == NULL) {
		snprintf(err, len, "task '%s' no longer uses channel %s",
		    t->id, part[4]);
		return -1;
	}
	if (schedule_occurrences(t, end - 400, end, &occ, &nocc, why,
	    sizeof(why)) == -1) {
		snprintf(err, len, "task '%s': %s", t->id, why);
		return -1;
	}
	for (i = 0, n = nocc; i < nocc; i++)
		if (occ[i].end == end)
			n = i;
	if (n == nocc) {
		free(occ);
		snprintf(err, len, "task '%s' no longer has an occurrence "
		    "ending %s", t->id, part[1]);
		return -1;
	}
	if (ch->contact != NULL &&
	    (out->contact = agency_contact(a, ch->contact)) == NULL) {
		free(occ);
		snprintf(err, len, "agency '%s' has no %s for channel %s now",
		    a->id, ch->contact, ch->name);
		return -1;
	}
	out->occ = occ[n];
	free(occ);
	out->id = xstrdup(id);
	out->task = t;
	out->agency = a;
	out->spec = s;
	out->channel = ch;
	out->lead_only = lead_only;
	out->esc = esc;
	return 0;
}

int
schedule_follow_ids(const struct plan *p, const struct config *c,
    const struct plan_task *t, plan_day due, const struct plan_agency *a,
    char ***out, size_t *n, char *err, size_t len)
{
	const struct plan_agency	**rec = NULL;
	const struct config_channel	 *ch;
	const struct plan_spec		 *s;
	struct occurrence		 *occ = NULL;
	size_t				  nocc, nrec, i, k, found = 0;
	int				  partner = 0, lead;
	char				  end[16], why[400], *id, **v;

	*out = NULL;
	*n = 0;
	if (schedule_occurrences(t, due - 400, due, &occ, &nocc, why,
	    sizeof(why)) == -1) {
		snprintf(err, len, "task '%s': %s", t->id, why);
		return -1;
	}
	for (i = 0; i < nocc; i++)
		found += occ[i].end == due;
	free(occ);
	day_text(due, end, sizeof(end));
	if (!found) {
		snprintf(err, len, "task '%s' has no occurrence due %s", t->id,
		    end);
		return -1;
	}
	lead = t->lead && strcmp(t->lead, a->id) == 0;
	nrec = plan_recipients(p, t, &rec);
	for (i = 0; i < nrec; i++)
		partner |= rec[i] == a;
	free(rec);
	if (!lead && !partner) {
		snprintf(err, len, "agency '%s' is not a recipient of task "
		    "'%s'", a->id, t->id);
		return -1;
	}
	v = xcalloc((t->nremind + t->nremind_lead) * (t->nchannels + 1) + 1,
	    sizeof(*v));
	for (i = 0; i < t->nremind + t->nremind_lead; i++) {
		s = i < t->nremind ? &t->remind[i] :
		    &t->remind_lead[i - t->nremind];
		if ((i < t->nremind && !partner) || (i >= t->nremind && !lead))
			continue;
		for (k = 0; k < t->nchannels; k++) {
			if ((ch = config_channel_find(c, t->channels[k])) ==
			    NULL || (ch->contact != NULL &&
			    agency_contact(a, ch->contact) == NULL))
				continue;
			xasprintf(&id, "%s/%s/%s/%s/%s", t->id, end, s->text,
			    a->id, ch->name);
			v[(*n)++] = id;
		}
	}
	*out = v;
	return 0;
}

void
schedule_list_clear(struct sched_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].id);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A task channel the main config lacks: an error with a suggestion. */
static void
schedule_check_channel(const struct config *c, const struct plan_task *t,
    const char *name, struct diag *d)
{
	const char	**names, *near;
	const char	 *conf = c->path ? c->path : "the main config";
	char		 *list = NULL, *nl;
	size_t		  i;

	names = xcalloc(c->nchannels + 1, sizeof(*names));
	for (i = 0; i < c->nchannels; i++)
		names[i] = c->channels[i].name;
	if ((near = parse_nearest(name, names)) != NULL) {
		diag_error(d, t->where.file, t->where.line, "task '%s': no "
		    "channel '%s' in %s; did you mean '%s'?", t->id, name,
		    conf, near);
	} else if (c->nchannels > 0) {
		for (i = 0; i < c->nchannels; i++) {
			xasprintf(&nl, "%s%s'%s'", list ? list : "",
			    list ? ", " : "", names[i]);
			free(list);
			list = nl;
		}
		diag_error(d, t->where.file, t->where.line, "task '%s': no "
		    "channel '%s' in %s; use %s", t->id, name, conf, list);
	} else {
		diag_error(d, t->where.file, t->where.line, "task '%s': no "
		    "channel '%s' in %s; define [channel %s] there", t->id,
		    name, conf, name);
	}
	free(list);
	free(names);
}

/*
 * A task's template, relative to its plan file, must read and parse: an
 * error at the task, then the template's own FILE:LINE errors.
 */
static void
schedule_check_template(struct plan_task *t, struct diag *d)
{
	struct template	*tp;
	struct diag	 td;
	char		*path, why[512];

	path = template_resolve(t->where.file, t->template);
	if (file_check(path, 0, FILE_MAX_TEMPLATE, why, sizeof(why)) == -1) {
		diag_error(d, t->where.file, t->where.line, "task '%s': "
		    "template: %s: %s", t->id, path, why);
		free(path);
		return;
	}
	diag_init(&td);
	if ((tp = template_load(path, &td)) == NULL) {
		diag_error(d, t->where.file, t->where.line, "task '%s': "
		    "template: %s has %zu error%s", t->id, path, td.nerrors,
		    td.nerrors == 1 ? "" : "s");
		tp = template_load(path, d);
		template_free(tp);
		tp = NULL;
	}
	/* Kept: the daemon renders with it, never reading the file again. */
	template_free(t->tmpl);
	t->tmpl = tp;
	diag_clear(&td);
	free(path);
}

/* 1 when the calendar lists a holiday in year y. */
static int
schedule_has_holidays(const struct plan_calendar *cal, int y)
{
	plan_day	first = plan_day_from_ymd(y, 1, 1);
	size_t		lo = 0, hi = cal->nholidays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->holidays[mid] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->nholidays &&
	    cal->holidays[lo] < plan_day_from_ymd(y + 1, 1, 1);
}

/*
 * How far a task without an end (rule or lunar without until) is looked
 * at: the end of the year [plan] horizon reaches from now, or of the last
 * year with holidays if later.
 */
static plan_day
schedule_open_end(const struct plan *p, const struct config *c, int64_t now)
{
	int	y, y1, m, dd;

	plan_day_to_ymd(schedule_day_of(p, now + c->horizon_ms, NULL), &y1,
	    &m, &dd);
	if (p->calendar.nholidays > 0) {
		plan_day_to_ymd(p->calendar.holidays[p->calendar.nholidays -
		    1], &y, &m, &dd);
		if (y > y1)
			y1 = y;
	}
	return plan_day_from_ymd(y1, 12, 31);
}

/*
 * A year in which reminders may still come with no holiday listed for it:
 * a warning at the first task (in plan order) with an occurrence in it,
 * once per year. The years are this one (on the plan's clock) and later;
 * a task without an end (rule or lunar without until) counts up to the
 * end of [plan] horizon from now, or the last year with holidays if later.
 */
static void
schedule_check_holidays(const struct plan *p, const struct config *c,
    struct diag *d)
{
	const struct plan_task	*t;
	struct occurrence	*occ;
	int64_t			 now = clock_now_ms();
	plan_day		 from, to, open_to, far;
	size_t			 i, j, k, n, nwarned = 0;
	int			 y, m, dd, y0, ys, ye;
	int			*warned = NULL, *nw;
	char			 why[400];

	plan_day_to_ymd(schedule_day_of(p, now, NULL), &y0, &m, &dd);
	from = plan_day_from_ymd(y0, 1, 1);
	open_to = schedule_open_end(p, c, now);
	far = plan_day_from_ymd(9999, 12, 31);
	for (i = 0; i < p->ntasks; i++) {
		t = &p->tasks[i];
		to = (t->when == WHEN_RULE || t->when == WHEN_LUNAR) &&
		    t->until < 0 ? open_to : far;
		if (schedule_occurrences(t, from, to, &occ, &n, why,
		    sizeof(why)) == -1)
			continue;	/* the rule's own error says it */
		for (j = 0; j < n; j++) {
			plan_day_to_ymd(occ[j].start, &ys, &m, &dd);
			plan_day_to_ymd(occ[j].end, &ye, &m, &dd);
			for (y = ys; y <= ye; y++) {
				for (k = 0; k < nwarned && warned[k] != y; k++)
					;
				if (k < nwarned ||
				    schedule_has_holidays(&p->calendar, y))
					continue;
				nw = xreallocarray(warned, nwarned + 1,
				    sizeof(*warned));
				warned = nw;
				warned[nwarned++] = y;
				diag_warn(d, t->where.file, t->where.line,
				    "no holidays listed for %d: add them to "
				    "[calendar] holidays (`nhacviec calendar "
				    "%d` prints them)", y, y);
			}
		}
		free(occ);
	}
	free(warned);
}

/* "07:00", "24:00": minutes after midnight as HH:MM. */
static void
hhmm_text(int minutes, char *buf, size_t len)
{
	snprintf(buf, len, "%02d:%02d", minutes / 60, minutes % 60);
}

/*
 * A window reminder is sent at its instant whatever [delivery] hours say;
 * one that falls outside them is likely a slip (trua-5h for trua+5h), so
 * check says so.
 */
static void
schedule_check_hours(const struct plan *p, const struct config *c,
    const struct plan_task *t, const struct plan_spec *v, size_t n,
    struct diag *d)
{
	const struct plan_window	*w;
	char				 at[16], from[16], to[16];
	size_t				 i;
	int64_t				 m;

	if (c->hours_start == 0 && c->hours_end >= 1440)
		return;
	for (i = 0; i < n; i++) {
		if (v[i].window == NULL ||
		    (w = plan_window_find(p, v[i].window)) == NULL)
			continue;
		m = (w->start + v[i].offset_ms / 60000) % 1440;
		if (m < 0)
			m += 1440;
		if (m >= c->hours_start && m < c->hours_end)
			continue;
		hhmm_text((int)m, at, sizeof(at));
		hhmm_text(c->hours_start, from, sizeof(from));
		hhmm_text(c->hours_end, to, sizeof(to));
		diag_warn(d, t->where.file, t->where.line, "task '%s': "
		    "reminder '%s' fires at %s, outside [delivery] hours "
		    "%s-%s of %s; a window reminder is sent at its time all "
		    "the same", t->id, v[i].text, at, from, to,
		    c->path ? c->path : "the main config");
	}
}

#define DAYS_OFF_SHOWN	4	/* days named in a day-off warning */
#define DAYS_BACK	(SHIFT_MAX + 1)	/* days an occurrence reaches ahead */

static const char *const weekday_en[] = {
	N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"),
	N_("Sat"),
};

/*
 * The days off that a spec of a task fires on, from now on, as a warning:
 * a window reminder stays on its air day, and one deferred past [delivery]
 * hours goes out at the next day's opening, working or not. A window
 * reminder on the very day of a one-day occurrence that falls on a weekend
 * is the plan's own choice ("the last Saturday of the month") and not
 * reported; on a holiday it is. A task without an end is looked at as far
 * as schedule_open_end says.
 */
static void
schedule_check_days_off(const struct plan *p, const struct config *c,
    const struct plan_task *t, int64_t now, plan_day open_to,
    struct diag *d)
{
	icaltimezone		*z = schedule_zone(p);
	const struct plan_spec	*s;
	struct occurrence	*occ = NULL;
	struct fire		 f;
	plan_day		 from, to, day, last;
	size_t			 nocc = 0, i, j, n;
	char			 why[400], list[200];
	size_t			 off;
	int			 y, m, dd;

	/* An occurrence up to a year back may have reminders still to come. */
	from = zone_day_of(z, now, NULL) - DAYS_BACK;
	to = (t->when == WHEN_RULE || t->when == WHEN_LUNAR) && t->until < 0 ?
	    open_to : plan_day_from_ymd(9999, 12, 31);
	if (from > to || schedule_occurrences(t, from, to, &occ, &nocc, why,
	    sizeof(why)) == -1)
		return;		/* schedule_check reports the rule */
	for (j = 0; j < t->nremind + t->nremind_lead; j++) {
		s = j < t->nremind ? &t->remind[j] :
		    &t->remind_lead[j - t->nremind];
		n = 0;
		off = 0;
		last = INT32_MIN;
		list[0] = '\0';
		for (i = 0; i < nocc; i++) {
			if (schedule_fire(p, c, z, &occ[i], s, &f, why,
			    sizeof(why)) == -1)
				break;
			if (f.at < now)
				continue;
			day = zone_day_of(z, f.at, NULL);
			if (plan_is_workday(&p->calendar, day) || day == last)
				continue;
			if (s->window != NULL && occ[i].start == occ[i].end &&
			    day == occ[i].start &&
			    !plan_is_holiday(&p->calendar, day))
				continue;
			last = day;
			if (n++ < DAYS_OFF_SHOWN && off < sizeof(list)) {
				plan_day_to_ymd(day, &y, &m, &dd);
				off += snprintf(list + off, sizeof(list) - off,
				    "%s%s %04d-%02d-%02d%s", n > 1 ? ", " : "",
				    _(weekday_en[plan_weekday(day)]), y, m, dd,
				    plan_is_holiday(&p->calendar, day) ?
				    _(" (a holiday)") : "");
			}
		}
		if (n == 0)
			continue;
		if (n > DAYS_OFF_SHOWN && off < sizeof(list))
			snprintf(list + off, sizeof(list) - off, _(" and %zu "
			    "more"), n - DAYS_OFF_SHOWN);
		diag_warn(d, t->where.file, t->where.line, s->window != NULL ?
		    "task '%s': %s '%s' is sent on %s: %s; a window reminder "
		    "keeps its air day (give it a day offset or an HH:MM time "
		    "to send it on a working day)" : N_("task '%s': %s '%s' is "
		    "sent on %s: %s; after [delivery] hours a reminder waits "
		    "for the next day's opening"), t->id, j < t->nremind ?
		    "remind" : "remind_lead", s->text, n == 1 ?
		    _("a day off") : _("days off"), list);
	}
	free(occ);
}

/* A note's placeholders, checked as a template at the note's FILE:LINE. */
static void
schedule_check_note(const struct plan_task *t, struct diag *d)
{
	template_free(template_parse_at(t->where.file, t->note_line ?
	    t->note_line : t->where.line, t->note, d));
}

void
schedule_check(struct plan *p, const struct config *c, struct diag *d)
{
	struct plan_task		 *t;
	const struct plan_agency	**rec, *lead;
	const struct config_channel	 *ch;
	struct icalrecurrencetype	  r;
	int64_t				  now = clock_now_ms();
	plan_day			  open_to = schedule_open_end(p, c, now);
	size_t				  i, j, k, a, nrec;
	char				  why[400];
	int				  dup;

	for (i = 0; i < p->ntasks; i++) {
		t = &p->tasks[i];
		if (t->when == WHEN_RULE && t->rule != NULL &&
		    schedule_rule_parse(t->rule, &r, why, sizeof(why)) == -1)
			diag_error(d, t->where.file, t->where.line,
			    "task '%s': %s", t->id, why);
		if (t->template != NULL)
			schedule_check_template(t, d);
		schedule_check_hours(p, c, t, t->remind, t->nremind, d);
		schedule_check_hours(p, c, t, t->remind_lead, t->nremind_lead,
		    d);
		if (t->note != NULL && strstr(t->note, "{{") != NULL)
			schedule_check_note(t, d);
		schedule_check_days_off(p, c, t, now, open_to, d);
		rec = NULL;
		nrec = 0;
		if (t->nremind > 0)
			nrec = plan_recipients(p, t, &rec);
		else if (t->nremind_lead > 0 && t->lead != NULL &&
		    (lead = plan_agency_find(p, t->lead)) != NULL) {
			rec = xcalloc(1, sizeof(*rec));
			rec[nrec++] = lead;
		}
		for (j = 0; j < t->nchannels; j++) {
			for (k = 0, dup = 0; k < j && !dup; k++)
				dup = strcmp(t->channels[k], t->channels[j]) ==
				    0;
			if (dup)
				continue;
			if ((ch = config_channel_find(c, t->channels[j])) ==
			    NULL) {
				schedule_check_channel(c, t, t->channels[j],
				    d);
				continue;
			}
			if (ch->contact == NULL)
				continue;
			for (a = 0; a < nrec; a++) {
				if (agency_contact(rec[a], ch->contact) ==
				    NULL)
					diag_warn(d, t->where.file,
					    t->where.line, "task '%s': agency "
					    "'%s' has no %s for channel '%s'",
					    t->id, rec[a]->id, ch->contact,
					    ch->name);
			}
		}
		free(rec);
	}
	schedule_check_holidays(p, c, d);
}

void
schedule_print_tsv(const struct plan *p, const struct sched_list *l,
    FILE *fp)
{
	const struct sched_reminder	*r;
	char				 when[40], due[32];
	size_t				 i;

	fprintf(fp, "fire_at\ttask\tdue\tagency\tchannel\tspec\n");
	for (i = 0; i < l->n; i++) {
		r = &l->v[i];
		schedule_format_iso(p, r->fire_at, when, sizeof(when));
		schedule_due_text(&r->occ, due, sizeof(due));
		fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%s\n", when, r->task->id, due,
		    r->agency->id, r->channel->name, r->spec->text);
	}
}

/*
 * A task's note as its message shows it, placeholders filled for reminder
 * r (malloc'd); NULL when the task has none.
 */
static char *
schedule_note(const struct plan *p, const struct sched_reminder *r)
{
	const struct plan_task		*t = r->task;
	const struct plan_window	*w = NULL;
	const struct plan_agency	*lead;
	struct reminder			 m;
	char				 due[32], pdate[16], ws[16], we[16];
	char				 windows[512];
	char				*s;
	int				 y, mo, d;

	if (t->note == NULL)
		return NULL;
	if (strstr(t->note, "{{") == NULL) {
		s = xstrdup(t->note);
		return s;
	}
	memset(&m, 0, sizeof(m));
	schedule_due_text(&r->occ, due, sizeof(due));
	plan_windows_text(p, windows, sizeof(windows));
	m.id = r->id;
	m.task = t->id;
	m.title = t->title;
	m.agency = r->agency->id;
	m.agency_name = r->agency->name;
	m.head = r->agency->head;
	m.contact = r->contact;
	m.channel = r->channel->name;
	m.due = due;
	m.period = t->when == WHEN_MONTH ? "month" :
	    t->when == WHEN_QUARTER ? "quarter" : "day";
	m.note = t->note;
	if ((lead = plan_agency_find(p, t->lead)) != NULL)
		m.lead = lead->name;
	m.role = t->lead != NULL && strcmp(t->lead, r->agency->id) == 0 ?
	    "lead" : "partner";
	if (r->spec->window != NULL &&
	    (w = plan_window_find(p, r->spec->window)) != NULL) {
		plan_hhmm_text(w->start, ws, sizeof(ws));
		plan_hhmm_text(w->end, we, sizeof(we));
		m.window = w->id;
		m.window_name = w->name;
		m.window_start = ws;
		m.window_end = we;
	}
	m.windows = windows;
	if (t->doc != NULL) {
		m.plan_number = t->doc->number;
		m.plan_issuer = t->doc->issuer;
		m.plan_title = t->doc->title;
		if (t->doc->date >= 0) {
			plan_day_to_ymd(t->doc->date, &y, &mo, &d);
			snprintf(pdate, sizeof(pdate), "%04d-%02d-%02d", y, mo,
			    d);
			m.plan_date = pdate;
		}
	}
	m.fire_at = r->fire_at;
	m.expires_at = schedule_local_ms(p, r->occ.end + 1, 0);
	if ((s = template_note(&m, p->calendar.timezone)) == NULL)
		fatal("%s", __func__);
	return s;
}

/* Same instant, task and agency: one line of the text calendar. */
static int
same_line(const struct sched_reminder *a, const struct sched_reminder *b)
{
	return a->fire_at == b->fire_at && a->task == b->task &&
	    a->agency == b->agency && a->esc == b->esc;
}

/*
 * The calendar an admin reads: a heading per day ("Thứ Sáu, 29/04/2022"),
 * a line per time, task and agency with its channels, then the task's due
 * day and note under the lines of each time and task.
 */
void
schedule_print_text(const struct plan *p, const struct sched_list *l,
    FILE *fp)
{
	icaltimezone			*z = schedule_zone(p);
	const struct sched_reminder	*r, *q;
	plan_day			 day, prev = 0;
	size_t				 i, j, k;
	char				 dues[32], due[80], *note;
	int				 min, y, m, d, shifted, deferred, seen;

	if (l->n == 0) {
		fprintf(fp, "Không có nhắc việc nào trong khoảng này.\n");
		return;
	}
	for (i = 0; i < l->n; i = j) {
		r = &l->v[i];
		day = zone_day_of(z, r->fire_at, &min);
		if (i == 0 || day != prev) {
			plan_day_to_ymd(day, &y, &m, &d);
			fprintf(fp, "%s%s, %02d/%02d/%04d\n", i ? "\n" : "",
			    weekday_vi[plan_weekday(day)], d, m, y);
			prev = day;
		}
		fprintf(fp, "  %02d:%02d  %s%s — %s (", min / 60, min % 60,
		    r->esc ? "Đôn đốc: " : "",
		    r->task->title ? r->task->title : r->task->id,
		    r->agency->name ? r->agency->name : r->agency->id);
		shifted = deferred = 0;
		for (j = i; j < l->n && same_line(r, &l->v[j]); j++) {
			q = &l->v[j];
			shifted |= q->shifted;
			deferred |= q->deferred;
			for (k = i, seen = 0; k < j && !seen; k++)
				seen = strcmp(l->v[k].channel->name,
				    q->channel->name) == 0;
			if (!seen)
				fprintf(fp, "%s%s", j > i ? ", " : "",
				    q->channel->name);
		}
		fprintf(fp, ")%s%s\n",
		    shifted ? " (dời sang ngày làm việc trước)" : "",
		    deferred ? " (hoãn đến giờ gửi)" : "");
		if (j < l->n && l->v[j].fire_at == r->fire_at &&
		    l->v[j].task == r->task)
			continue;
		schedule_due_text(&r->occ, dues, sizeof(dues));
		reminder_due_text(dues, due, sizeof(due));
		note = schedule_note(p, r);
		fprintf(fp, "         Thời hạn: %s.%s%s\n", due,
		    note ? " Ghi chú: " : "", note ? note : "");
		free(note);
	}
}
