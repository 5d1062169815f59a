/* Reads {p}:control on its own connection, blocking: messages from admins and peers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "entry.h"
#include "log.h"
#include "nhacviecd.h"

#define CONTROL_BLOCK_MS	30000

struct control {
	struct nv	*nv;
	char		 last[48];	/* last entry id seen, "$" at first */
	int		 reading;
};

static void	control_read(struct control *);

/* One message: due, plan-changed, pause, resume, archive. */
static void
control_handle(struct control *c, const char *id,
    const struct entry_control *m)
{
	if (m->kind == ENTRY_DUE) {
		if (c->nv->dispatch)
			dispatch_wake(c->nv->dispatch, m->at);
	} else if (m->kind == ENTRY_PAUSE || m->kind == ENTRY_RESUME) {
		/* {p}:pauses says what holds; the message says: look. */
		if (c->nv->dispatch)
			channels_pauses_read(c->nv->dispatch);
	} else if (m->kind == ENTRY_PLAN_CHANGED) {
		if (c->nv->planner)
			planner_changed(c->nv->planner, m->version);
	} else if (m->kind == ENTRY_ARCHIVE) {
		if (c->nv->archive)
			archive_now(c->nv->archive);
	} else
		log_debug("%s entry %s: type %s not handled here",
		    c->nv->keys.control, id, m->type);
}

static void
control_reply(void *arg, redisReply *r)
{
	struct control		*c = arg;
	const redisReply	*entries;
	struct entry_control	 m;
	size_t			 i;
	char			 err[200];

	c->reading = 0;
	if (r == NULL)
		return;		/* reconnect; "up" reads again */
	if (r->type == REDIS_REPLY_ERROR) {
		log_err("reading %s failed: %s", c->nv->keys.control, r->str);
		return;
	}
	if ((entries = entry_xread_entries(r)) != NULL) {
		for (i = 0; i < entries->elements; i++) {
			if (entry_control_parse(&m, entries->element[i],
			    clock_now_ms(), err, sizeof(err)) == -1) {
				log_warnx("%s entry %s: %s; ignored",
				    c->nv->keys.control,
				    m.entry ? m.entry : "?", err);
				if (m.entry == NULL)
					continue;
			} else
				control_handle(c, m.entry, &m);
			snprintf(c->last, sizeof(c->last), "%s", m.entry);
		}
	}
	control_read(c);
}

static void
control_read(struct control *c)
{
	char		 block[16];
	const char	*argv[] = { "XREAD", "BLOCK", block, "COUNT", "100",
	    "STREAMS", c->nv->keys.control, c->last };

	if (c->reading || c->nv->stopping || !store_is_up(c->nv->watch))
		return;
	snprintf(block, sizeof(block), "%d", CONTROL_BLOCK_MS);
	if (store_command(c->nv->watch, control_reply, c, 8, argv, NULL) == 0)
		c->reading = 1;
}

void
control_store_up(struct control *c)
{
	c->reading = 0;
	control_read(c);
}

struct control *
control_new(struct nv *nv)
{
	struct control	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->nv = nv;
	snprintf(c->last, sizeof(c->last), "$");
	return c;
}

void
control_free(struct control *c)
{
	free(c);
}
