/* Reads {p}:control on its own connection, blocking: messages from admins and peers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "nhacviecd.h"

#define CONTROL_BLOCK_MS	30000

struct control {
	struct nv	*nv;
	char		 last[48];	/* last entry id seen, "$" at first */
	int		 reading;
};

static void	control_read(struct control *);

static const char *
control_field(redisReply *f, const char *name)
{
	size_t	i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements;
	    i += 2)
		if (f->element[i]->type == REDIS_REPLY_STRING &&
		    f->element[i + 1]->type == REDIS_REPLY_STRING &&
		    strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str;
	return NULL;
}

/* One message: due, plan-changed, pause, resume. */
static void
control_handle(struct control *c, const char *id, redisReply *fields)
{
	const char	*type = control_field(fields, "type");
	const char	*at;

	if (type == NULL) {
		log_warnx("%s entry %s has no type; ignored",
		    c->nv->keys.control, id);
		return;
	}
	if (strcmp(type, "due") == 0) {
		at = control_field(fields, "at");
		if (c->nv->dispatch)
			dispatch_wake(c->nv->dispatch,
			    at ? (int64_t)strtod(at, NULL) : clock_now_ms());
	} else if (strcmp(type, "pause") == 0 || strcmp(type, "resume") == 0) {
		/* {p}:pauses says what holds; the message says: look. */
		if (c->nv->dispatch)
			channels_pauses_read(c->nv->dispatch);
	} else if (strcmp(type, "plan-changed") == 0) {
		at = control_field(fields, "version");
		if (c->nv->planner)
			planner_changed(c->nv->planner,
			    at ? strtoll(at, NULL, 10) : 0);
	} else
		log_debug("%s entry %s: type %s not handled here",
		    c->nv->keys.control, id, type);
}

static void
control_reply(void *arg, redisReply *r)
{
	struct control	*c = arg;
	redisReply	*entries, *e;
	size_t		 i;

	c->reading = 0;
	if (r == NULL)
		return;		/* reconnect; "up" reads again */
	if (r->type == REDIS_REPLY_ERROR) {
		log_err("reading %s failed: %s", c->nv->keys.control, r->str);
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->elements == 2) {
		entries = r->element[0]->element[1];
		for (i = 0; i < entries->elements; i++) {
			e = entries->element[i];
			if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
				continue;
			snprintf(c->last, sizeof(c->last), "%s",
			    e->element[0]->str);
			control_handle(c, e->element[0]->str, e->element[1]);
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
