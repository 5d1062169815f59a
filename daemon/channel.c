/* The channels: the registry by name, each one's queue, slots and rate, pause and resume, and their start on a (re)load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "log.h"
#include "template.h"

#define CHANNEL_DEFER_MS	(10 * 60000)	/* a paused channel's work */

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
			ledger_defer(j, ch->pause_reason, CHANNEL_DEFER_MS);
			continue;
		}
		if (!channel_rate_take(ch))
			break;
		TAILQ_REMOVE(&ch->queue, j, link);
		j->state = JOB_SENDING;
		ch->inflight++;
		ch->ops->send(ch, j);
	}
}

void
channel_enqueue(struct channel *ch, struct job *j)
{
	TAILQ_INSERT_TAIL(&ch->queue, j, link);
	channel_pump(ch);
}

void
channel_pause(struct channel *ch, const char *reason)
{
	if (!ch->paused)
		log_crit("channel %s paused: %s", ch->name, reason);
	ch->paused = 1;
	snprintf(ch->pause_reason, sizeof(ch->pause_reason),
	    "channel %s paused: %s", ch->name, reason);
	channel_pump(ch);
}

void
channel_resume(struct channel *ch)
{
	if (!ch->paused)
		return;
	ch->paused = 0;
	log_notice("channel %s resumed", ch->name);
	channel_pump(ch);
}

void
channels_control(struct dispatch *d, int pause, const char *reason)
{
	struct channel	*ch;

	TAILQ_FOREACH(ch, &d->channels, link) {
		if (ch->removed)
			continue;
		if (pause)
			channel_pause(ch, reason ? reason : "by an admin");
		else {
			if (ch->ops->resume)
				ch->ops->resume(ch);
			channel_resume(ch);
		}
	}
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

static struct channel *
channel_new(struct dispatch *d, const struct config_channel *cc, char *err,
    size_t len)
{
	struct channel	*ch;

	if ((ch = calloc(1, sizeof(*ch))) == NULL ||
	    (ch->name = strdup(cc->name)) == NULL)
		fatal("calloc");
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
		if (ch->ops->reconfigure(ch, err, len) == -1)
			goto fail;
	} else if (ch->ops->init) {
		ch->priv = NULL;
		if (ch->ops->init(ch, err, len) == -1) {
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
		if (ops->init(&tmp, err, len) == -1)
			return -1;
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
				j->ch = fresh;
				TAILQ_INSERT_TAIL(&fresh->queue, j, link);
			} else {
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
