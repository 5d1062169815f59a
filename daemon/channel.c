/* The channels: the registry by name, each one's queue, slots and rate, pause and resume, and their start on a (re)load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "log.h"
#include "pause.h"
#include "template.h"
#include "xmalloc.h"

static const struct channel_ops *const channel_types[] = {
	[CHANNEL_CONSOLE] = &channel_console_ops,
	[CHANNEL_WEBHOOK] = &channel_webhook_ops,
	[CHANNEL_SMTP] = &channel_smtp_ops,
	[CHANNEL_ZALO] = &channel_zalo_ops,
};

struct channel *
channel_find(struct dispatch *d, const char *name)
{
	struct channel	*ch;

	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed && strcmp(ch->name, name) == 0)
			return ch;
	return NULL;
}

/* The channel's token bucket (one second of burst): may one more go now? */
static int
channel_rate_take(struct channel *ch)
{
	int64_t		now = dispatch_mono_ms();
	double		burst = ch->rate_per_s < 1 ? 1 : ch->rate_per_s;
	struct timeval	tv;
	int64_t		wait;

	if (ch->rate_per_s <= 0)
		return 1;
	ch->tokens += (double)(now - ch->rate_at) * ch->rate_per_s / 1000;
	if (ch->tokens > burst)
		ch->tokens = burst;
	ch->rate_at = now;
	if (ch->tokens >= 1) {
		ch->tokens -= 1;
		return 1;
	}
	wait = (int64_t)((1 - ch->tokens) * 1000 / ch->rate_per_s) + 1;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	if (!evtimer_pending(ch->rate_ev, NULL))
		evtimer_add(ch->rate_ev, &tv);
	return 0;
}

/* Pump on the next pass of the loop (not inside a send's own call). */
void
channel_pump_soon(struct channel *ch)
{
	struct timeval	now = { 0, 0 };

	if (!evtimer_pending(ch->rate_ev, NULL))
		evtimer_add(ch->rate_ev, &now);
}

int
channel_slot_release(struct job *j)
{
	if (!j->slot)
		return 0;
	j->slot = 0;
	j->ch->inflight--;
	return 1;
}

static void
channel_rate_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	channel_pump(arg);
}

/* Start what the channel's slots, rate and state allow. */
void
channel_pump(struct channel *ch)
{
	struct dispatch	*d = ch->nv->dispatch;
	struct job	*j;

	while (!d->stopped && !ch->removed &&
	    ch->inflight < ch->cfg->concurrency &&
	    (j = TAILQ_FIRST(&ch->queue)) != NULL) {
		if (ch->paused) {
			TAILQ_REMOVE(&ch->queue, j, link);
			ledger_hold(j);
			continue;
		}
		if (!channel_rate_take(ch))
			break;
		TAILQ_REMOVE(&ch->queue, j, link);
		if (j->nmembers > 0)
			log_debug("%s: one message for %zu reminders to %s",
			    ch->name, j->nmembers + 1, j->r.contact);
		j->state = JOB_SENDING;
		j->slot = 1;
		ch->inflight++;
		ch->ops->send(ch, j);
	}
}

#define CHANNEL_DIGEST_MAX	20	/* reminders in one message */

/* Does ch send a minute's reminders to one address as one message? */
int
channel_digests(const struct channel *ch)
{
	/* A body_template writes one reminder's fields. */
	return ch->cfg->digest > 0 && ch->tmpl[CHANNEL_TMPL_BODY] == NULL;
}

/*
 * Can j go in a digest on ch? A planned reminder's first try, on a
 * channel that digests and words its own text.
 */
static int
channel_digestible(const struct channel *ch, const struct job *j)
{
	return channel_digests(ch) && j->r.text == NULL && j->r.status == NULL && j->attempt <= 1 &&
	    j->r.contact != NULL &&
	    j->lead == NULL && j->state == JOB_QUEUED;
}

/*
 * Several reminders to the same address on the same channel in the same
 * minute go as one message: the first queued is the lead, the others its
 * members; each is still recorded on its own.
 */
void
channel_enqueue(struct channel *ch, struct job *j)
{
	struct job	*l;

	if (channel_digestible(ch, j))
		TAILQ_FOREACH(l, &ch->queue, link)
			if (channel_digestible(ch, l) &&
			    l->nmembers + 1 < CHANNEL_DIGEST_MAX &&
			    strcmp(l->r.contact, j->r.contact) == 0 &&
			    l->fire_at / 60000 == j->fire_at / 60000) {
				j->lead = l;
				TAILQ_INSERT_TAIL(&l->members, j, link);
				l->nmembers++;
				return;
			}
	TAILQ_INSERT_TAIL(&ch->queue, j, link);
	if (!ch->nv->dispatch->batching)
		channel_pump(ch);
}

void
channels_pump(struct dispatch *d)
{
	struct channel	*ch;

	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed)
			channel_pump(ch);
}

void
channel_unlink(struct job *j)
{
	struct job	*l = j->lead, *m;

	if (l != NULL) {
		TAILQ_REMOVE(&l->members, j, link);
		l->nmembers--;
		j->lead = NULL;
		return;
	}
	if ((m = TAILQ_FIRST(&j->members)) == NULL) {
		TAILQ_REMOVE(&j->ch->queue, j, link);
		return;
	}
	/* A lead leaves: its first member leads the rest in its place. */
	TAILQ_REMOVE(&j->members, m, link);
	TAILQ_INSERT_AFTER(&j->ch->queue, j, m, link);
	TAILQ_REMOVE(&j->ch->queue, j, link);
	m->lead = NULL;
	TAILQ_CONCAT(&m->members, &j->members, link);
	m->nmembers = j->nmembers - 1;
	j->nmembers = 0;
	TAILQ_FOREACH(l, &m->members, link)
		l->lead = m;
}

/* The state j kept on its channel goes (it moves, or leaves memory). */
void
channel_job_forget(struct job *j)
{
	if (j->chan != NULL && j->ch != NULL && j->ch->ops->job_free != NULL)
		j->ch->ops->job_free(j);
}

void
channel_split(struct job *lead)
{
	struct job	*m;

	while ((m = TAILQ_LAST(&lead->members, jobq)) != NULL) {
		TAILQ_REMOVE(&lead->members, m, link);
		m->lead = NULL;
		TAILQ_INSERT_HEAD(&lead->ch->queue, m, link);
	}
	lead->nmembers = 0;
	channel_pump(lead->ch);
}

/* This daemon holds the channel: what it says and until when. */
static void
channel_hold(struct channel *ch, const char *why, int64_t until)
{
	if (!ch->paused)
		log_crit("channel %s paused: %s", ch->name, why);
	ch->paused = 1;
	ch->pause_until = until;
	snprintf(ch->pause_reason, sizeof(ch->pause_reason),
	    "channel %.60s paused: %.180s", ch->name, why);
	channel_pump(ch);
}

static void
channel_release(struct channel *ch)
{
	if (!ch->paused)
		return;
	ch->paused = 0;
	ch->pause_until = 0;
	log_notice("channel %s resumed", ch->name);
	if (ch->ops->resume)
		ch->ops->resume(ch);
	channel_pump(ch);
}

static void
channel_pause_reply(void *arg, redisReply *r)
{
	struct channel	*ch = arg;

	(void)ch;
	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_crit("the pause could not be stored in Redis (%s): other "
		    "daemons keep sending", r ? r->str : "unreachable");
}

void
channel_pause(struct channel *ch, const char *reason)
{
	struct nv		*nv = ch->nv;
	struct pause_call	 pc;
	char			 by[200];

	channel_hold(ch, reason, 0);
	snprintf(by, sizeof(by), "nhacviecd %s", nv->consumer);
	pause_prepare(&pc, ch->name, by, reason, 0, clock_now_ms());
	/* The channel outlives the reply: channels are freed only at exit. */
	if (script_run(nv, SCRIPT_PAUSE, channel_pause_reply, ch, pc.argc,
	    pc.argv) == -1)
		log_crit("the pause could not be stored in Redis "
		    "(unreachable): other daemons keep sending");
}

/* The earliest end of a pause this daemon holds to, by Redis's clock. */
static void
channels_pause_arm(struct dispatch *d)
{
	struct channel	*ch;
	struct timeval	 tv;
	int64_t		 first = 0, wait;

	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed && ch->paused && ch->pause_until > 0 &&
		    (first == 0 || ch->pause_until < first))
			first = ch->pause_until;
	if (first == 0) {
		evtimer_del(d->pause_ev);
		return;
	}
	wait = first - dispatch_redis_ms(d) + 50;
	if (wait < 0)
		wait = 0;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(d->pause_ev, &tv);
}

/* One channel's pause as stored: JSON { by, at, reason, until }. */
static void
channel_pause_apply(struct channel *ch, const char *json, int64_t now)
{
	json_t		*o;
	json_error_t	 jerr;
	const char	*by, *why;
	int64_t		 until;
	char		 text[240], when[40];

	if ((o = json_loads(json, 0, &jerr)) == NULL) {
		log_warnx("%s: the pause of %s is not JSON: %s; the channel is "
		    "held", ch->nv->keys.pauses, ch->name, jerr.text);
		channel_hold(ch, "a pause that cannot be read", 0);
		return;
	}
	by = json_string_value(json_object_get(o, "by"));
	why = json_string_value(json_object_get(o, "reason"));
	until = json_integer_value(json_object_get(o, "until"));
	if (until > 0 && until <= now) {
		json_decref(o);
		channel_release(ch);	/* over; its daemon lifts it */
		return;
	}
	when[0] = '\0';
	if (until > 0)
		clock_format_iso8601(until, when, sizeof(when));
	snprintf(text, sizeof(text), "%s%s%s%s%s", why && *why ? why :
	    "no reason given", by ? ", by " : "", by ? by : "",
	    until > 0 ? ", until " : "", when);
	json_decref(o);
	channel_hold(ch, text, until);
}

static void
channel_release_reply(void *arg, redisReply *r)
{
	struct channel	*ch = arg;

	if (r && r->type == REDIS_REPLY_INTEGER && r->integer > 0) {
		log_notice("channel %s: %lld held reminders due again",
		    ch->name, r->integer);
		dispatch_wake(ch->nv->dispatch, clock_now_ms());
	}
}

/* Not paused (any more): what the channel held is due again, now. */
static void
channel_release_held(struct channel *ch)
{
	const char	*argv[2];
	char		 now[24];

	snprintf(now, sizeof(now), "%lld", (long long)clock_now_ms());
	argv[0] = ch->name;
	argv[1] = now;
	script_run(ch->nv, SCRIPT_RELEASE, channel_release_reply, ch, 2,
	    argv);
}

static void
channels_pauses_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	struct channel	*ch;
	int64_t		 now = dispatch_redis_ms(d);
	size_t		 i;
	int		 found;

	d->reading_pauses = 0;
	if (r == NULL || d->stopped)
		return;
	if (r->type != REDIS_REPLY_ARRAY) {
		log_err("reading %s failed: %s", d->nv->keys.pauses,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		return;
	}
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed)
			continue;
		for (i = 0, found = 0; !found && i + 1 < r->elements; i += 2)
			if (r->element[i]->type == REDIS_REPLY_STRING &&
			    r->element[i + 1]->type == REDIS_REPLY_STRING &&
			    strcmp(r->element[i]->str, ch->name) == 0) {
				channel_pause_apply(ch, r->element[i + 1]->str,
				    now);
				found = 1;
			}
		if (!found) {
			channel_release(ch);
			channel_release_held(ch);
		}
	}
	channels_pause_arm(d);
}

void
channels_pauses_read(struct dispatch *d)
{
	if (d->reading_pauses)
		return;
	if (store_commandf(d->nv->store, channels_pauses_reply, d,
	    "HGETALL %s", d->nv->keys.pauses) == 0)
		d->reading_pauses = 1;
}

static void
channels_resume_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;

	(void)r;
	channels_pauses_read(d);
}

/* A pause's time is up: lift it in Redis (whichever daemon comes first). */
static void
channels_pause_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;
	struct channel		*ch;
	struct pause_call	 pc;
	int64_t			 rnow = dispatch_redis_ms(d);

	(void)fd;
	(void)what;
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed || !ch->paused || ch->pause_until == 0 ||
		    ch->pause_until > rnow)
			continue;
		pause_resume_prepare(&pc, ch->name, 1, "", clock_now_ms());
		script_run(d->nv, SCRIPT_RESUME, channels_resume_reply, d,
		    pc.argc, pc.argv);
	}
	channels_pause_arm(d);
}

void
channels_init(struct dispatch *d)
{
	if ((d->pause_ev = evtimer_new(d->nv->base, channels_pause_event,
	    d)) == NULL)
		fatalx("out of memory");
}

/*
 * The channel's template files, read and parsed now: nothing is read from
 * a file when a reminder is sent.
 */
static int
channel_templates_load(const struct config_channel *cc,
    struct template *out[CHANNEL_TMPLS], char *err, size_t len)
{
	const char	*paths[CHANNEL_TMPLS] = { cc->template,
	    cc->body_template, cc->subject_template };
	struct diag	 d;
	int		 i, j;

	for (i = 0; i < CHANNEL_TMPLS; i++) {
		out[i] = NULL;
		if (paths[i] == NULL)
			continue;
		diag_init(&d);
		out[i] = template_load(paths[i], &d);
		if (out[i] == NULL) {
			snprintf(err, len, "channel %s: %s", cc->name,
			    d.n > 0 ? d.msgs[0] : paths[i]);
			diag_clear(&d);
			for (j = 0; j < i; j++)
				template_free(out[j]);
			return -1;
		}
		diag_clear(&d);
	}
	return 0;
}

static void
channel_templates_set(struct channel *ch, struct template *t[CHANNEL_TMPLS])
{
	int	i;

	for (i = 0; i < CHANNEL_TMPLS; i++) {
		template_free(ch->tmpl[i]);
		ch->tmpl[i] = t ? t[i] : NULL;
	}
}

static void
channel_free(struct channel *ch)
{
	if (ch->ops && ch->ops->free)
		ch->ops->free(ch);
	if (ch->rate_ev)
		event_free(ch->rate_ev);
	channel_templates_set(ch, NULL);
	config_channel_free(ch->own_cfg);
	free(ch->name);
	free(ch);
}

/* "FILE:LINE: " of the channel's section before what went wrong. */
static void
channel_where(const struct config *c, const struct config_channel *cc,
    char *err, size_t len)
{
	char	why[512];

	snprintf(why, sizeof(why), "%s", err);
	snprintf(err, len, "%s:%u: %s", c->path, cc->line, why);
}

static struct channel *
channel_new(struct dispatch *d, const struct config_channel *cc, char *err,
    size_t len)
{
	struct channel	*ch;

	ch = xcalloc(1, sizeof(*ch));
	ch->name = xstrdup(cc->name);
	ch->nv = d->nv;
	ch->cfg = cc;
	ch->ops = channel_types[cc->type];
	TAILQ_INIT(&ch->queue);
	if ((ch->rate_ev = evtimer_new(d->nv->base, channel_rate_event,
	    ch)) == NULL)
		fatal("evtimer_new");
	if (ch->ops == NULL) {
		snprintf(err, len, "channel %s: type %s is not supported yet",
		    cc->name, config_channel_type_name(cc->type));
		channel_free(ch);
		return NULL;
	}
	if (channel_templates_load(cc, ch->tmpl, err, len) == -1) {
		ch->ops = NULL;
		channel_free(ch);
		return NULL;
	}
	if (ch->ops->init && ch->ops->init(ch, err, len) == -1) {
		channel_where(d->nv->conf, cc, err, len);
		ch->ops = NULL;		/* nothing to undo */
		channel_free(ch);
		return NULL;
	}
	ch->rate_at = dispatch_mono_ms();
	ch->tokens = 1;
	return ch;
}

void
channels_free(struct dispatch *d)
{
	struct channel	*ch;

	if (d->pause_ev)
		event_free(d->pause_ev);
	while ((ch = TAILQ_FIRST(&d->channels)) != NULL) {
		TAILQ_REMOVE(&d->channels, ch, link);
		channel_free(ch);
	}
}

/*
 * A channel takes up new settings (ch->cfg already points at them): its own
 * way when it keeps state across (zalo's token), else a fresh init whose
 * result replaces the old one only when it worked.
 */
static int
channel_retake(struct channel *ch, char *err, size_t len)
{
	struct channel	 old;
	struct template	*t[CHANNEL_TMPLS];
	void		*prev = ch->priv;
	int		 i;

	if (channel_templates_load(ch->cfg, t, err, len) == -1)
		return -1;
	if (ch->ops->reconfigure) {
		if (ch->ops->reconfigure(ch, err, len) == -1) {
			channel_where(ch->nv->conf, ch->cfg, err, len);
			goto fail;
		}
	} else if (ch->ops->init) {
		ch->priv = NULL;
		if (ch->ops->init(ch, err, len) == -1) {
			channel_where(ch->nv->conf, ch->cfg, err, len);
			ch->priv = prev;
			goto fail;
		}
		old = *ch;
		old.priv = prev;
		if (ch->ops->free)
			ch->ops->free(&old);
	}
	channel_templates_set(ch, t);
	return 0;
fail:
	for (i = 0; i < CHANNEL_TMPLS; i++)
		template_free(t[i]);
	return -1;
}

/*
 * Before a reload swaps anything: can every channel of the new config
 * start (secrets readable, settings complete)? Each is tried on a scratch
 * channel and let go.
 */
int
channels_check(struct dispatch *d, const struct config *c, char *err,
    size_t len)
{
	struct channel			 tmp;
	const struct channel_ops	*ops;
	struct template			*t[CHANNEL_TMPLS];
	size_t				 i;
	int				 k;

	for (i = 0; i < c->nchannels; i++) {
		if (channel_templates_load(&c->channels[i], t, err, len) == -1)
			return -1;
		for (k = 0; k < CHANNEL_TMPLS; k++)
			template_free(t[k]);
		ops = channel_types[c->channels[i].type];
		if (ops == NULL || ops->init == NULL)
			continue;
		memset(&tmp, 0, sizeof(tmp));
		tmp.nv = d->nv;
		tmp.name = c->channels[i].name;
		tmp.cfg = &c->channels[i];
		tmp.ops = ops;
		TAILQ_INIT(&tmp.queue);
		if (ops->init(&tmp, err, len) == -1) {
			channel_where(c, &c->channels[i], err, len);
			return -1;
		}
		if (ops->free)
			ops->free(&tmp);
	}
	return 0;
}

/* Match channels to nv->conf; takes effect for the next send. */
int
channels_reconfigure(struct dispatch *d, char *err, size_t len)
{
	const struct config		*c = d->nv->conf;
	const struct config_channel	*cc;
	struct channel			*ch, *fresh;
	struct job			*j;
	size_t				 i;

	/* Build what is new first, so a failure changes nothing. */
	for (i = 0; i < c->nchannels; i++) {
		cc = &c->channels[i];
		ch = channel_find(d, cc->name);
		if (ch == NULL || ch->cfg->type != cc->type) {
			if ((fresh = channel_new(d, cc, err, len)) == NULL)
				return -1;
			fresh->removed = -1;	/* not live yet */
			TAILQ_INSERT_TAIL(&d->channels, fresh, link);
		}
	}
	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed == 1)
			continue;
		if (ch->removed == -1) {
			ch->removed = 0;
			continue;
		}
		cc = config_channel_find(c, ch->name);
		if (cc != NULL && cc->type == ch->cfg->type) {
			ch->cfg = cc;
			if (channel_retake(ch, err, len) == -1)
				log_err("reload: channel %s: %s; it keeps its "
				    "previous settings", ch->name, err);
			continue;
		}
		/*
		 * Gone or retyped: queued work moves or dies, in-flight ends.
		 * Its settings are copied: the old config is freed next.
		 */
		ch->removed = 1;
		ch->own_cfg = config_channel_dup(ch->cfg);
		ch->cfg = ch->own_cfg;
		fresh = cc ? channel_find(d, ch->name) : NULL;
		while ((j = TAILQ_FIRST(&ch->queue)) != NULL) {
			TAILQ_REMOVE(&ch->queue, j, link);
			if (fresh) {
				struct job *m;

				TAILQ_FOREACH(m, &j->members, link) {
					channel_job_forget(m);
					m->ch = fresh;
				}
				channel_job_forget(j);
				j->ch = fresh;
				TAILQ_INSERT_TAIL(&fresh->queue, j, link);
			} else {
				channel_job_forget(j);
				j->ch = NULL;
				ledger_reject(j, "channel '%s' was removed "
				    "from %s", ch->name, d->nv->conf_path);
			}
		}
	}
	TAILQ_FOREACH(ch, &d->channels, link)
		if (!ch->removed)
			channel_pump(ch);
	return 0;
}
