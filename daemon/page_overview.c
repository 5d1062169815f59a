/* Tổng quan (/): the coming days' reminders, the last day's outcomes, the follow-ups, the channels, the dead letters and the plan, from a few Redis commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "schedule.h"
#include "web.h"
#include "xmalloc.h"

#define OV_DAYS_AHEAD	7
#define OV_GROUPS_MAX	200	/* rows of the coming days' table */
#define OV_FOLLOW_BACK	31	/* days of follow-ups counted */
#define DAY_MS		(24LL * 3600 * 1000)

/* A row of the coming days' table, copied out of the plan. */
struct ov_group {
	int64_t		 fire_at;
	char		*task;
	char		*agency;	/* the first; several when n > 1 */
	size_t		 nagencies;
	char		 channels[200];
	size_t		 sent, waiting, failed, other;
};

struct ov_channel {
	char		*name;
	char		*pause;		/* its {p}:pauses JSON, or NULL */
	long long	 held;
};

struct ov {
	struct view_overview	 v;
	struct ov_group		*groups;
	size_t			 ngroups;
	size_t			*group_of;	/* per reminder asked */
	size_t			 nids;
	struct ov_channel	*ch;
	size_t			 nch;
	char			*zalo[5];	/* HMGET of the token's times */
	json_t			**json;		/* pauses parsed, till drawn */
};

static void
ov_free(void *arg)
{
	struct ov	*o = arg;
	size_t		 i;

	if (o == NULL)
		return;
	for (i = 0; i < o->ngroups; i++) {
		free(o->groups[i].task);
		free(o->groups[i].agency);
	}
	for (i = 0; i < o->nch; i++) {
		free(o->ch[i].name);
		free(o->ch[i].pause);
		if (o->json != NULL)
			json_decref(o->json[i]);
	}
	free(o->json);
	for (i = 0; i < 5; i++)
		free(o->zalo[i]);
	free(o->groups);
	free(o->group_of);
	free(o->ch);
	free(o->v.up);
	free(o->v.channels);
	free(o);
}

/* "zalo, email": a channel into the group's list, once. */
static void
ov_add_channel(struct ov_group *g, const char *name)
{
	const char	*p = g->channels;
	size_t		 n = strlen(name), len;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == g->channels || p[-1] == ' ') && (p[n] == '\0' ||
		    p[n] == ','))
			return;
		p += n;
	}
	len = strlen(g->channels);
	snprintf(g->channels + len, sizeof(g->channels) - len, "%s%s",
	    len ? ", " : "", name);
}

static page_reply ov_states;

/*
 * The reminders from today's start to a week ahead, as the plan gives
 * them, grouped by minute and task; their states are asked with one HMGET.
 */
static void
ov_upcoming(struct page *p, struct ov *o)
{
	const struct plan	*plan = p->nv->plan;
	struct sched_list	 l;
	struct ov_group		*g = NULL;
	const char		**argv;
	char			 err[300];
	size_t			 i, n = 0;
	int64_t			 from = page_day_ms(p, page_today(p));

	memset(&l, 0, sizeof(l));
	if (plan == NULL || schedule_expand(plan, p->nv->conf, from,
	    p->ctx.now + OV_DAYS_AHEAD * DAY_MS, &l, err, sizeof(err)) == -1)
		return;
	o->groups = xcalloc(l.n + 1, sizeof(*o->groups));
	o->group_of = xcalloc(l.n + 1, sizeof(*o->group_of));
	argv = xcalloc(l.n + 2, sizeof(*argv));
	argv[n++] = "HMGET";
	argv[n++] = p->nv->keys.state;
	for (i = 0; i < l.n; i++) {
		const struct sched_reminder *r = &l.v[i];

		if (g == NULL || g->fire_at != r->fire_at ||
		    strcmp(g->task, r->task->id) != 0) {
			if (o->ngroups == OV_GROUPS_MAX) {
				o->v.up_left++;
				continue;
			}
			g = &o->groups[o->ngroups++];
			g->fire_at = r->fire_at;
			g->task = page_strdup(r->task->id);
			g->agency = page_strdup(r->agency->id);
		}
		if (strcmp(g->agency, r->agency->id) != 0 ||
		    g->nagencies == 0) {
			/* sorted by task, agency: a new agency of the group */
			if (g->nagencies == 0 || i == 0 ||
			    strcmp(l.v[i - 1].agency->id, r->agency->id) != 0)
				g->nagencies++;
		}
		ov_add_channel(g, r->channel->name);
		o->group_of[o->nids++] = (size_t)(g - o->groups);
		argv[n++] = r->id;
	}
	if (o->nids > 0)
		page_command(p, ov_states, (int)n, argv);
	free(argv);
	schedule_list_clear(&l);
}

static void
ov_states(struct page *p, redisReply *r)
{
	struct ov	*o = p->data;
	struct ov_group	*g;
	const char	*st;
	size_t		 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements &&
	    i < o->nids; i++) {
		g = &o->groups[o->group_of[i]];
		st = page_str(r->element[i]);
		if (strcmp(st, "sent") == 0)
			g->sent++;
		else if (*st == '\0' || strcmp(st, "queued") == 0 ||
		    strcmp(st, "held") == 0 || strcmp(st, "waiting") == 0)
			g->waiting++;
		else if (strcmp(st, "dead") == 0 || strcmp(st, "missed") == 0)
			g->failed++;
		else
			g->other++;
	}
}

static void
ov_info(struct page *p, redisReply *r)
{
	struct ov	*o = p->data;
	size_t		 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements;
	    i += 2) {
		if (strcmp(page_str(r->element[i]), "version") == 0)
			o->v.plan_version = strtoll(page_str(
			    r->element[i + 1]), NULL, 10);
		else if (strcmp(page_str(r->element[i]), "loaded_at") == 0)
			o->v.plan_loaded_at = strtoll(page_str(
			    r->element[i + 1]), NULL, 10);
	}
}

static struct ov_channel *
ov_channel(struct ov *o, const char *name)
{
	size_t	i;

	for (i = 0; i < o->nch; i++)
		if (strcmp(o->ch[i].name, name) == 0)
			return &o->ch[i];
	return NULL;
}

static void
ov_pauses(struct page *p, redisReply *r)
{
	struct ov		*o = p->data;
	struct ov_channel	*c;
	size_t			 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements;
	    i += 2)
		if ((c = ov_channel(o, page_str(r->element[i]))) != NULL) {
			free(c->pause);
			c->pause = page_strdup(page_str(r->element[i + 1]));
		}
}

static void
ov_held(struct page *p, redisReply *r)
{
	struct ov		*o = p->data;
	struct ov_channel	*c;
	size_t			 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		if ((c = ov_channel(o, page_str(r->element[i]))) != NULL)
			c->held++;
}

static void
ov_zalo(struct page *p, redisReply *r)
{
	struct ov	*o = p->data;
	size_t		 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements &&
	    i < 5; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING)
			o->zalo[i] = page_strdup(r->element[i]->str);
}

static void
ov_dead(struct page *p, redisReply *r)
{
	struct ov	*o = p->data;

	if (r->type == REDIS_REPLY_INTEGER)
		o->v.dead = r->integer;
}

static void
ov_follow(struct page *p, const char *occ, int64_t due_end,
    char *const *fields, size_t nfields)
{
	struct ov	*o = p->data;
	struct followup	*v = NULL;
	size_t		 n = 0, cap = 0, i;

	if (p->nv->plan == NULL || followup_read(p->nv->plan, occ, due_end,
	    fields, nfields, &v, &n, &cap) == -1)
		return;
	for (i = 0; i < n; i++)
		o->v.follow[followup_state(&v[i], p->ctx.now)]++;
	o->v.occurrences += (long long)n;
	free(v);
}

static void
ov_entry(struct page *p, const struct history_entry *e,
    const char *const *fields, size_t nfields)
{
	struct ov	*o = p->data;

	(void)fields;
	(void)nfields;
	if (strcmp(e->outcome, "sent") == 0)
		o->v.sent++;
	else if (strcmp(e->outcome, "dead") == 0)
		o->v.failed++;
	else if (strcmp(e->outcome, "defer") == 0)
		o->v.deferred++;
	else if (strcmp(e->outcome, "retry") == 0)
		o->v.retried++;
	else if (strcmp(e->outcome, "missed") == 0)
		o->v.missed++;
	else if (strcmp(e->outcome, "skipped") == 0)
		o->v.skipped++;
}

static void
ov_render(struct page *p)
{
	struct ov		*o = p->data;
	const struct config	*c = p->nv->conf;
	struct view_channel	*vc;
	struct ov_channel	*oc;
	json_t			*j, *x;
	struct html		 h;
	size_t			 i;

	o->v.up = xcalloc(o->ngroups + 1, sizeof(*o->v.up));
	o->v.channels = xcalloc(c->nchannels + 1, sizeof(*o->v.channels));
	o->json = xcalloc(o->nch + 1, sizeof(*o->json));
	for (i = 0; i < o->ngroups; i++) {
		struct ov_group		*g = &o->groups[i];
		struct view_upcoming	*u = &o->v.up[i];

		u->fire_at = g->fire_at;
		u->task = g->task;
		u->agency = g->nagencies == 1 ? g->agency : NULL;
		u->nagencies = g->nagencies;
		u->channels = g->channels;
		u->sent = g->sent;
		u->waiting = g->waiting;
		u->failed = g->failed;
		u->other = g->other;
	}
	o->v.nup = o->ngroups;
	/* The channels of the config now, their pauses as Redis has them. */
	for (i = 0; i < c->nchannels; i++) {
		vc = &o->v.channels[o->v.nchannels++];
		vc->name = c->channels[i].name;
		vc->type = config_channel_type_name(c->channels[i].type);
		if ((oc = ov_channel(o, c->channels[i].name)) == NULL ||
		    oc->pause == NULL)
			continue;
		vc->paused = 1;
		vc->held = oc->held;
		if ((j = json_loads(oc->pause, 0, NULL)) == NULL) {
			vc->reason = oc->pause;
			continue;
		}
		o->json[oc - o->ch] = j;
		vc->since = json_integer_value(json_object_get(j, "at"));
		vc->until = json_integer_value(json_object_get(j, "until"));
		x = json_object_get(j, "reason");
		vc->reason = json_is_string(x) ? json_string_value(x) : NULL;
		x = json_object_get(j, "by");
		vc->by = json_is_string(x) ? json_string_value(x) : NULL;
	}
	if (o->zalo[0] != NULL || o->zalo[3] != NULL) {
		o->v.zalo.have = 1;
		o->v.zalo.access_expires_at = o->zalo[0] ?
		    strtoll(o->zalo[0], NULL, 10) : 0;
		o->v.zalo.refresh_issued_at = o->zalo[1] ?
		    strtoll(o->zalo[1], NULL, 10) : 0;
		o->v.zalo.updated_at = o->zalo[2] ?
		    strtoll(o->zalo[2], NULL, 10) : 0;
		o->v.zalo.status = o->zalo[3];
		o->v.zalo.reason = o->zalo[4];
	}
	html_init(&h);
	view_overview(&h, &p->ctx, &o->v);
	page_html(p, 200, &h);
}

static void
ov_ledger(struct page *p)
{
	struct ov	*o = p->data;

	page_ledger(p, p->ctx.now - DAY_MS, p->ctx.now + 1, ov_entry,
	    ov_render, &o->v.ledger_cut, &o->v.ledger_read);
}

void
page_overview(struct page *p)
{
	const struct config	*c = p->nv->conf;
	const struct keys	*k = &p->nv->keys;
	struct ov		*o;
	const char		*argv[8];
	char			 info[KEYS_NAME_MAX + 16];
	size_t			 i;
	int			 zalo = 0;
	int64_t			 today;

	o = xcalloc(1, sizeof(*o));
	o->ch = xcalloc(c->nchannels + 1, sizeof(*o->ch));
	p->data = o;
	p->data_free = ov_free;
	for (i = 0; i < c->nchannels; i++) {
		o->ch[o->nch++].name = page_strdup(c->channels[i].name);
		zalo |= c->channels[i].type == CHANNEL_ZALO;
	}
	ov_upcoming(p, o);
	snprintf(info, sizeof(info), "%splan:info", k->base);
	argv[0] = "HGETALL";
	argv[1] = info;
	page_command(p, ov_info, 2, argv);
	argv[1] = k->pauses;
	page_command(p, ov_pauses, 2, argv);
	argv[0] = "HVALS";
	argv[1] = k->held;
	page_command(p, ov_held, 2, argv);
	if (zalo) {
		/* The times and the status: never the tokens themselves. */
		argv[0] = "HMGET";
		argv[1] = k->zalo_token;
		argv[2] = "access_expires_at";
		argv[3] = "refresh_issued_at";
		argv[4] = "updated_at";
		argv[5] = "status";
		argv[6] = "reason";
		page_command(p, ov_zalo, 7, argv);
	}
	argv[0] = "XLEN";
	argv[1] = k->dead;
	page_command(p, ov_dead, 2, argv);
	today = page_day_ms(p, page_today(p));
	page_occurrences(p, today - OV_FOLLOW_BACK * DAY_MS + 1,
	    today + (OV_DAYS_AHEAD + 1) * DAY_MS, ov_follow, ov_ledger);
	page_go(p, p->next);
}
