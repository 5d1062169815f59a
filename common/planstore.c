/* The plan in Redis: the load script and its document, the plan script and reminder payloads. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "planstore.h"
#include "report.h"
#include "template.h"
#include "text.h"
#include "xmalloc.h"

char *
planstore_adhoc(const struct plan *plan, char **id, const char *agency,
    const char *agency_name, const char *head, const char *contact,
    const char *channel, const char *title, const char *text, int64_t now_ms)
{
	static unsigned	 seq;
	json_t		*o;
	char		*s, day[16];
	time_t		 t = (time_t)(now_ms / 1000);
	struct tm	 tm;
	int		 y, m, d, min;

	if (plan != NULL) {
		/* today in the plan's zone, as the admin and the agency see it */
		plan_day_to_ymd(schedule_day_of(plan, now_ms, &min), &y, &m,
		    &d);
		snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	} else {
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	}
	if (asprintf(id, "adhoc/%lld-%d-%u/%s/%s", (long long)now_ms,
	    (int)getpid(), seq++, agency, channel) == -1)
		return NULL;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, "
	    "s:s, s:s}", "id", *id, "task", "adhoc", "title", title,
	    "agency", agency, "agency_name", agency_name ? agency_name : agency,
	    "head", head, "contact", contact, "channel", channel,
	    "text", text, "due", day, "period", "day");
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static char *
planstore_slurp(const char *path, struct diag *d)
{
	char	*buf, why[512];

	if (file_read(path, FILE_TEXT, FILE_MAX_PLAN, &buf, NULL, why,
	    sizeof(why)) == -1) {
		diag_error(d, path, 0, "%s", why);
		return NULL;
	}
	return buf;
}

int
planstore_read(const char *pattern, struct plan_sources *s, struct diag *d)
{
	glob_t	g;
	size_t	i;
	int	rc;

	memset(s, 0, sizeof(*s));
	rc = glob(pattern, GLOB_ERR, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		diag_error(d, pattern, 0, "no plan files match");
		return -1;
	}
	if (rc != 0) {
		diag_error(d, pattern, 0, "cannot read the plan files");
		return -1;
	}
	s->names = calloc(g.gl_pathc, sizeof(*s->names));
	s->texts = calloc(g.gl_pathc, sizeof(*s->texts));
	if (s->names == NULL || s->texts == NULL) {
		globfree(&g);
		planstore_sources_clear(s);
		return -1;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		s->names[s->n] = xstrdup(g.gl_pathv[i]);
		s->texts[s->n] = planstore_slurp(g.gl_pathv[i], d);
		if (s->names[s->n] == NULL || s->texts[s->n] == NULL) {
			free(s->names[s->n]);
			free(s->texts[s->n]);
			continue;
		}
		s->n++;
	}
	globfree(&g);
	return s->n == g.gl_pathc ? 0 : -1;
}

void
planstore_sources_clear(struct plan_sources *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		free(s->names[i]);
		free(s->texts[i]);
	}
	free(s->names);
	free(s->texts);
	memset(s, 0, sizeof(*s));
}

struct plan *
planstore_parse(const struct config *c, const struct plan_sources *src,
    struct diag *d)
{
	struct plan	*p;

	p = plan_load_texts((const char *const *)src->names,
	    (const char *const *)src->texts, src->n, d);
	if (p == NULL)
		return NULL;
	schedule_check(p, c, d);
	report_check(p, c, d);
	if (d->nerrors > 0) {
		plan_free(p);
		return NULL;
	}
	return p;
}

struct plan *
planstore_load(const struct config *c, struct plan_sources *src,
    struct diag *d)
{
	if (planstore_read(c->plan_files, src, d) == -1)
		return NULL;
	return planstore_parse(c, src, d);
}

/* A list as the readable "a, b, c". */
static char *
planstore_join(char *const *v, size_t n)
{
	size_t	 i, len = 1;
	char	*s;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 2;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, v[i]);
	}
	return s;
}

static void
planstore_set(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static void
planstore_set_list(json_t *o, const char *key, char *const *v, size_t n)
{
	char	*s = planstore_join(v, n);

	if (s)
		json_object_set_new(o, key, json_string(s));
	free(s);
}

static void
planstore_set_day(json_t *o, const char *key, plan_day day)
{
	char	buf[16];
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	json_object_set_new(o, key, json_string(buf));
}

static void
planstore_set_specs(json_t *o, const char *key, const struct plan_spec *v,
    size_t n)
{
	char	**texts;
	size_t	  i;

	if (n == 0)
		return;
	if ((texts = calloc(n, sizeof(*texts))) == NULL)
		return;
	for (i = 0; i < n; i++)
		texts[i] = v[i].text;
	planstore_set_list(o, key, texts, n);
	free(texts);
}

static json_t *
planstore_task(const struct plan_task *t)
{
	json_t	*o = json_object();
	char	 buf[32];
	size_t	 i;

	planstore_set(o, "title", t->title);
	planstore_set(o, "lead", t->lead);
	planstore_set_list(o, "partners", t->partners, t->npartners);
	planstore_set(o, "note", t->note);
	switch (t->when) {
	case WHEN_RULE:
		planstore_set(o, "rule", t->rule);
		planstore_set_day(o, "start", t->start);
		if (t->until >= 0)
			planstore_set_day(o, "until", t->until);
		break;
	case WHEN_DATE:
	case WHEN_DATES: {
		char	**days = calloc(t->ndates ? t->ndates : 1,
		    sizeof(*days));
		int	  y, m, d;

		for (i = 0; days && i < t->ndates; i++) {
			plan_day_to_ymd(t->dates[i], &y, &m, &d);
			if (asprintf(&days[i], "%04d-%02d-%02d", y, m, d) == -1)
				days[i] = NULL;
		}
		if (days)
			planstore_set_list(o, t->when == WHEN_DATE ? "date" :
			    "dates", days, t->ndates);
		for (i = 0; days && i < t->ndates; i++)
			free(days[i]);
		free(days);
		break;
	}
	case WHEN_MONTH:
		snprintf(buf, sizeof(buf), "%04d-%02d", t->year, t->month);
		planstore_set(o, "month", buf);
		break;
	case WHEN_QUARTER:
		snprintf(buf, sizeof(buf), "%04d-Q%d", t->year, t->quarter);
		planstore_set(o, "quarter", buf);
		break;
	case WHEN_LUNAR:
		snprintf(buf, sizeof(buf), "%d/%d", t->lunar_day,
		    t->lunar_month);
		planstore_set(o, "lunar", buf);
		if (t->start >= 0)
			planstore_set_day(o, "start", t->start);
		if (t->until >= 0)
			planstore_set_day(o, "until", t->until);
		break;
	}
	planstore_set_specs(o, "remind", t->remind, t->nremind);
	planstore_set_specs(o, "remind_lead", t->remind_lead,
	    t->nremind_lead);
	planstore_set_list(o, "channels", t->channels, t->nchannels);
	planstore_set(o, "template", t->template);
	return o;
}

char *
planstore_document(const struct plan *p, const struct plan_sources *src,
    int64_t now_ms)
{
	json_t	*doc, *kind, *o, *sources;
	char	*s, buf[16];
	size_t	 i;

	doc = json_object();
	kind = json_object();
	for (i = 0; i < p->ntasks; i++)
		json_object_set_new(kind, p->tasks[i].id,
		    planstore_task(&p->tasks[i]));
	json_object_set_new(doc, "tasks", kind);
	kind = json_object();
	for (i = 0; i < p->nagencies; i++) {
		const struct plan_agency *a = &p->agencies[i];

		o = json_object();
		planstore_set(o, "name", a->name);
		planstore_set(o, "head", a->head);
		planstore_set(o, "zalo", a->zalo);
		planstore_set(o, "phone", a->phone);
		planstore_set(o, "email", a->email);
		json_object_set_new(kind, a->id, o);
	}
	json_object_set_new(doc, "agencies", kind);
	kind = json_object();
	for (i = 0; i < p->ngroups; i++) {
		o = json_object();
		planstore_set(o, "name", p->groups[i].name);
		planstore_set_list(o, "members", p->groups[i].members,
		    p->groups[i].nmembers);
		json_object_set_new(kind, p->groups[i].id, o);
	}
	json_object_set_new(doc, "groups", kind);
	kind = json_object();
	for (i = 0; i < p->nwindows; i++) {
		o = json_object();
		snprintf(buf, sizeof(buf), "%02d:%02d",
		    p->windows[i].start / 60, p->windows[i].start % 60);
		planstore_set(o, "start", buf);
		snprintf(buf, sizeof(buf), "%02d:%02d",
		    p->windows[i].end / 60, p->windows[i].end % 60);
		planstore_set(o, "end", buf);
		json_object_set_new(kind, p->windows[i].id, o);
	}
	json_object_set_new(doc, "windows", kind);
	o = json_object();
	planstore_set(o, "timezone", p->calendar.timezone);
	json_object_set_new(doc, "calendar", o);
	sources = json_object();
	for (i = 0; i < src->n; i++)
		json_object_set_new(sources, src->names[i],
		    json_string(src->texts[i]));
	json_object_set_new(doc, "sources", sources);
	json_object_set_new(doc, "loaded_at", json_integer(now_ms));
	json_object_set_new(doc, "ntasks", json_integer((json_int_t)p->ntasks));
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return s;
}

char *
planstore_payload(const struct plan *p, const struct sched_reminder *r)
{
	json_t	*o = planstore_payload_json(p, r);
	char	*s;

	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/*
 * One planned reminder as the plan says: every member a message or a
 * payload may use. The one place that says what a planned reminder
 * carries; its JSON payload (planstore_payload_json) is made from it. The
 * id, channel and contact may be given instead of the plan's (a fallback).
 */
static void
planstore_reminder(const struct plan *p, const struct sched_reminder *r,
    const char *id, const char *channel, const char *contact,
    struct reminder *out)
{
	const struct plan_task		*t = r->task;
	const struct plan_agency	*lead;
	const struct plan_window	*w;
	const struct plan_doc		*doc;
	char				 due[32], start[16], end[16], all[512];
	char				 day[16], **names, *partners = NULL;
	int				 y, m, d;
	size_t				 i;

	/* The plan's own strings and ours below, copied at the end. */
	memset(out, 0, sizeof(*out));
	schedule_due_text(&r->occ, due, sizeof(due));
	out->id = id ? id : r->id;
	out->task = t->id;
	out->title = t->title;
	out->agency = r->agency->id;
	out->agency_name = r->agency->name;
	out->channel = channel ? channel : r->channel->name;
	out->due = due;
	out->spec = r->spec->text;
	out->period = t->when == WHEN_MONTH ? "month" :
	    t->when == WHEN_QUARTER ? "quarter" : "day";
	/* Retries stop when the occurrence is over: midnight after its end. */
	out->expires_at = schedule_local_ms(p, r->occ.end + 1, 0);
	out->head = r->agency->head;
	out->contact = contact ? contact : r->contact;
	out->zalo = r->agency->zalo;
	out->phone = r->agency->phone;
	out->email = r->agency->email;
	out->note = t->note;
	out->escalation = r->esc != NULL;	/* its status: when taken */
	if ((lead = plan_agency_find(p, t->lead)) != NULL)
		out->lead = lead->name;
	/*
	 * What the recipient is to the task: the lead or a partner; one an
	 * escalation reaches is neither.
	 */
	if (r->esc == NULL)
		out->role = t->lead != NULL &&
		    strcmp(r->agency->id, t->lead) == 0 ? "lead" : "partner";
	if (r->spec->window &&
	    (w = plan_window_find(p, r->spec->window)) != NULL) {
		out->window = w->id;
		out->window_name = w->name;
		plan_hhmm_text(w->start, start, sizeof(start));
		out->window_start = start;
		plan_hhmm_text(w->end, end, sizeof(end));
		out->window_end = end;
	}
	/* A cut may have split a character: whole ones only, as UTF-8. */
	plan_windows_text(p, all, sizeof(all));
	if (all[0] != '\0' && text_utf8_valid(all, strlen(all)))
		out->windows = all;
	/* The plan document the task comes from, as its file names it. */
	if ((doc = t->doc) != NULL) {
		out->plan_number = doc->number;
		if (doc->date >= 0) {
			plan_day_to_ymd(doc->date, &y, &m, &d);
			snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
			out->plan_date = day;
		}
		out->plan_issuer = doc->issuer;
		out->plan_title = doc->title;
	}
	/* Partners by their readable names, groups as their group name. */
	if (t->npartners > 0 &&
	    (names = calloc(t->npartners, sizeof(*names))) != NULL) {
		for (i = 0; i < t->npartners; i++) {
			const struct plan_agency *pa;
			const struct plan_group *g;

			if ((pa = plan_agency_find(p, t->partners[i])) != NULL)
				names[i] = pa->name;
			else if ((g = plan_group_find(p,
			    t->partners[i])) != NULL)
				names[i] = g->name;
			else
				names[i] = t->partners[i];
		}
		partners = planstore_join(names, t->npartners);
		free(names);
		out->partners = partners;
	}
	if (out->title == NULL)
		out->title = out->task;
	if (out->agency_name == NULL)
		out->agency_name = out->agency;
	reminder_pack(out);
	free(partners);
}

json_t *
planstore_payload_json(const struct plan *p, const struct sched_reminder *r)
{
	struct reminder	 m;
	json_t		*o;

	planstore_reminder(p, r, NULL, NULL, NULL, &m);
	o = reminder_to_json(&m);
	reminder_clear(&m);
	return o;
}

/*
 * The address channel fb sends base's fallback to: the member fb's contact
 * names (zalo, phone, email), or base's own contact. NULL with why.
 */
static const char *
planstore_fallback_contact(const struct reminder *base,
    const struct config_channel *fb, char *err, size_t len)
{
	const char	*contact;

	contact = fb->contact == NULL ? base->contact :
	    reminder_member(base, fb->contact);
	if (contact == NULL || *contact == '\0') {
		snprintf(err, len, "agency %s has no %s for channel %s",
		    base->agency, fb->contact ? fb->contact : "contact",
		    fb->name);
		return NULL;
	}
	return contact;
}

char *
planstore_fallback(const struct reminder *base, const char *fb_id,
    const struct config_channel *fb, char *err, size_t len)
{
	const char	*contact;
	json_t		*o;
	char		*s;

	if ((contact = planstore_fallback_contact(base, fb, err, len)) == NULL)
		return NULL;
	/* A stored payload's own JSON (a report request's included), else
	 * the one a planned reminder's members make. */
	o = base->json ? json_deep_copy(base->json) : reminder_to_json(base);
	if (o == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	json_object_set_new(o, "id", json_string(fb_id));
	json_object_set_new(o, "channel", json_string(fb->name));
	json_object_set_new(o, "contact", json_string(contact));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* "ID~fallback-CHANNEL" split; NULL when id is not a fallback's. */
static const char *
planstore_fallback_of(const char *id, char *base, size_t len)
{
	const char	*t = strstr(id, "~fallback-");

	if (t == NULL || (size_t)(t - id) >= len)
		return NULL;
	snprintf(base, len, "%.*s", (int)(t - id), id);
	return t + strlen("~fallback-");
}

int
planstore_reminder_now(const struct plan *p, const struct config *c,
    const char *id, struct reminder *out, char *err, size_t len)
{
	struct sched_reminder		 r;
	struct reminder			 base;
	const struct config_channel	*fb;
	const char			*fbname, *contact;
	char				 plain[1024];

	memset(out, 0, sizeof(*out));
	if ((fbname = planstore_fallback_of(id, plain, sizeof(plain))) == NULL)
		snprintf(plain, sizeof(plain), "%s", id);
	if (schedule_find(p, c, plain, &r, err, len) == -1)
		return -1;
	if (fbname == NULL) {
		planstore_reminder(p, &r, NULL, NULL, NULL, out);
		free(r.id);
		return 0;
	}
	/* A fallback: the same reminder, on its channel, to its address. */
	if ((fb = config_channel_find(c, fbname)) == NULL) {
		snprintf(err, len, "channel %s is no longer in %s", fbname,
		    c->path);
		free(r.id);
		return -1;
	}
	planstore_reminder(p, &r, NULL, NULL, NULL, &base);
	if ((contact = planstore_fallback_contact(&base, fb, err,
	    len)) == NULL) {
		reminder_clear(&base);
		free(r.id);
		return -1;
	}
	planstore_reminder(p, &r, id, fb->name, contact, out);
	reminder_clear(&base);
	free(r.id);
	return 0;
}

json_t *
planstore_payload_now_json(const struct plan *p, const struct config *c,
    const char *id, char *err, size_t len)
{
	struct reminder	 m;
	json_t		*o;

	if (planstore_reminder_now(p, c, id, &m, err, len) == -1)
		return NULL;
	o = reminder_to_json(&m);
	reminder_clear(&m);
	return o;
}

char *
planstore_payload_now(const struct plan *p, const struct config *c,
    const char *id, char *err, size_t len)
{
	json_t	*o = planstore_payload_now_json(p, c, id, err, len);
	char	*s;

	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}
