/* Sending dead letters again (requeue.lua): the arguments, built from the dead letters and the plan, for `nhacviec dead requeue` and the status page alike. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "planstore.h"
#include "requeue.h"
#include "xmalloc.h"

/* A field's value in a stream entry's field list, or "". */
static const char *
requeue_field(const redisReply *f, const char *name)
{
	size_t	i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements;
	    i += 2)
		if (f->element[i]->type == REDIS_REPLY_STRING &&
		    f->element[i + 1]->type == REDIS_REPLY_STRING &&
		    strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str;
	return "";
}

static void
requeue_note(struct requeue *q, const char *id, int refused, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
requeue_note(struct requeue *q, const char *id, int refused, const char *fmt,
    ...)
{
	struct requeue_note	*n;
	va_list			 ap;

	n = xreallocarray(q->notes, q->nnotes + 1, sizeof(*n));
	q->notes = n;
	n = &q->notes[q->nnotes++];
	n->refused = refused;
	n->id = xstrdup(id);
	va_start(ap, fmt);
	xvasprintf(&n->text, fmt, ap);
	va_end(ap);
}

int
requeue_prepare(struct requeue *q, const redisReply *dead,
    const struct plan *p, const struct config *c, const char *which,
    const char *by, int64_t now_ms)
{
	const redisReply	*e;
	const char		*id;
	char			 err[400], task[256];
	size_t			 i, j;
	int			 dup;

	memset(q, 0, sizeof(q[0]));
	if (dead == NULL || dead->type != REDIS_REPLY_ARRAY)
		return -1;
	q->argv = xcalloc(2 + 2 * dead->elements, sizeof(*q->argv));
	q->payloads = xcalloc(dead->elements + 1, sizeof(*q->payloads));
	q->by = xstrdup(by);
	snprintf(q->at, sizeof(q->at), "%lld", (long long)now_ms);
	q->argv[0] = q->at;
	q->argv[1] = q->by;
	for (i = 0; i < dead->elements; i++) {
		e = dead->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
			continue;
		id = requeue_field(e->element[1], "id");
		if (*id == '\0' || (strcmp(which, "*") != 0 &&
		    strcmp(id, which) != 0))
			continue;
		for (j = 0, dup = 0; j < q->n && !dup; j++)
			dup = strcmp(q->argv[2 + 2 * j], id) == 0;
		if (dup)
			continue;
		snprintf(task, sizeof(task), "%.*s", (int)strcspn(id, "/"),
		    id);
		if (p != NULL && strncmp(id, "adhoc/", 6) != 0 &&
		    plan_task_find(p, task) != NULL) {
			/* Checked against the plan now; its text is built
			 * from the plan when it is taken. */
			if ((q->payloads[q->n] = planstore_payload_now(p, c,
			    id, err, sizeof(err))) == NULL) {
				requeue_note(q, id, 1, "%s not requeued: %s",
				    id, err);
				continue;
			}
			q->payloads[q->n][0] = '\0';
		} else {
			q->payloads[q->n] = xstrdup(requeue_field(
			    e->element[1], "payload"));
			if (strncmp(id, "adhoc/", 6) != 0)
				requeue_note(q, id, 0, "%s is not a task of "
				    "the plan in Redis: requeued as stored",
				    id);
		}
		q->argv[2 + 2 * q->n] = id;
		q->argv[3 + 2 * q->n] = q->payloads[q->n];
		q->n++;
	}
	q->argc = (int)(2 + 2 * q->n);
	return 0;
}

void
requeue_clear(struct requeue *q)
{
	size_t	i;

	for (i = 0; i < q->n; i++)
		free(q->payloads[i]);
	for (i = 0; i < q->nnotes; i++) {
		free(q->notes[i].id);
		free(q->notes[i].text);
	}
	free(q->payloads);
	free(q->notes);
	free(q->argv);
	free(q->by);
	memset(q, 0, sizeof(*q));
}
