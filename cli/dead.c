/* nhacviec dead: what could not be delivered, and sending it again. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "log.h"
#include "planstore.h"


static const char *
dead_field(redisReply *f, const char *name)
{
	size_t	i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2)
		if (strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str;
	return "";
}

/* The task part of a reminder id ("task/DUE/..."), into buf. */
static const char *
dead_task(const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(id, "/"), id);
	return buf;
}

/*
 * requeue ID|'*': each dead letter goes back with what the plan says now
 * (a fixed phone or email is used); an ad-hoc notice with its own text.
 * An id that is not a dead letter, or that the plan no longer gives, is
 * refused with the reason (exit 65).
 */
static int
dead_requeue(struct cli *cl, redisContext *rc, const char *which)
{
	const struct keys	*k = &cl->keys;
	struct plan		*p = NULL;
	redisReply		*r, *d, *st;
	const char		**av = NULL, *id;
	char			**payloads = NULL, at[24], err[400], task[256];
	size_t			 i, j, n = 0, ok = 0;
	int			 rv = 0, dup, loaded = 0;

	d = redisCommand(rc, "XRANGE %s - +", k->dead);
	if (d == NULL || d->type != REDIS_REPLY_ARRAY) {
		fprintf(stderr, "nhacviec dead: reading %s failed\n", k->dead);
		freeReplyObject(d);
		return EX_UNAVAILABLE;
	}
	if (strcmp(which, "*") != 0) {
		st = redisCommand(rc, "HGET %s %s", k->state, which);
		if (st == NULL || st->type != REDIS_REPLY_STRING ||
		    strcmp(st->str, "dead") != 0) {
			fprintf(stderr, "nhacviec dead: %s is not a dead letter "
			    "(%s%s)\n", which, st && st->type ==
			    REDIS_REPLY_STRING ? "its state is " :
			    "no such reminder", st && st->type ==
			    REDIS_REPLY_STRING ? st->str : "");
			freeReplyObject(st);
			freeReplyObject(d);
			return EX_DATAERR;
		}
		freeReplyObject(st);
	}
	av = calloc(1 + 2 * d->elements, sizeof(*av));
	payloads = calloc(d->elements + 1, sizeof(*payloads));
	if (av == NULL || payloads == NULL)
		fatal("calloc");
	for (i = 0; i < d->elements; i++) {
		redisReply *f = d->element[i]->element[1];

		id = dead_field(f, "id");
		if (*id == '\0' || (strcmp(which, "*") != 0 &&
		    strcmp(id, which) != 0))
			continue;
		for (j = 0, dup = 0; j < n && !dup; j++)
			dup = strcmp(av[1 + 2 * j], id) == 0;
		if (dup)
			continue;
		/*
		 * A reminder of a task the plan has: what the plan says now
		 * (refused when it no longer gives it). Anything else (an
		 * ad-hoc notice, a reminder another program added): as stored.
		 */
		if (!loaded) {
			p = cli_plan(rc, cl->conf, k);
			loaded = 1;
		}
		if (p != NULL && strncmp(id, "adhoc/", 6) != 0 &&
		    plan_task_find(p, dead_task(id, task, sizeof(task)))) {
			/* Checked against the plan now; built when taken. */
			if ((payloads[n] = planstore_payload_now(p, cl->conf,
			    id, err, sizeof(err))) == NULL) {
				fprintf(stderr, "nhacviec dead: %s not "
				    "requeued: %s\n", id, err);
				rv = EX_DATAERR;
				continue;
			}
			payloads[n][0] = '\0';
		} else {
			if ((payloads[n] = strdup(dead_field(f,
			    "payload"))) == NULL)
				fatal("strdup");
			if (strncmp(id, "adhoc/", 6) != 0)
				printf("%s is not a task of the plan in Redis: "
				    "requeued as stored\n", id);
		}
		av[1 + 2 * n] = id;
		av[2 + 2 * n] = payloads[n];
		n++;
	}
	if (n > 0) {
		snprintf(at, sizeof(at), "%lld", (long long)clock_now_ms());
		av[0] = at;
		r = cli_script(rc, k, SCRIPT_REQUEUE, (int)(1 + 2 * n), av);
		if (r && r->type == REDIS_REPLY_ARRAY) {
			for (i = 0; i < r->elements; i++)
				printf("requeued %s\n", r->element[i]->str);
			ok = r->elements;
		} else {
			fprintf(stderr, "nhacviec dead: requeue failed: %s\n",
			    r ? r->str : rc->errstr);
			rv = EX_UNAVAILABLE;
		}
		freeReplyObject(r);
	}
	printf("requeued %zu dead letter%s\n", ok, ok == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		free(payloads[i]);
	free(payloads);
	free(av);
	plan_free(p);
	freeReplyObject(d);
	return rv;
}

int
cmd_dead(struct cli *cl, int argc, char **argv)
{
	const struct config	*c = cl->conf;
	const struct keys	*k = &cl->keys;
	redisContext	*rc;
	redisReply	*r;
	char		 when[40];
	size_t		 i;
	int		 rv = 0;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	argc -= optind - 1;
	argv += optind - 1;
	if (argc > 3 || (argc >= 2 && strcmp(argv[1], "requeue") != 0))
		return cli_usage(cl, "unexpected '%s'", argv[argc > 3 ? 3 : 1]);
	if (argc == 2)
		return cli_usage(cl, "requeue which? an id, or '*' for all");
	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	if (argc == 3) {
		rv = dead_requeue(cl, rc, argv[2]);
		redisFree(rc);
		return rv;
	}
	r = redisCommand(rc, "XRANGE %s - +", k->dead);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
		redisReply *f = r->element[i]->element[1];

		cli_time(cl, rc, strtoll(dead_field(f, "at"), NULL, 10), when,
		    sizeof(when));
		printf("%s  %s  via %s (attempt %s): %s\n", when,
		    dead_field(f, "id"), dead_field(f, "channel"),
		    dead_field(f, "attempt"), dead_field(f, "reason"));
	}
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 0)
		printf("no dead letters\n");
	freeReplyObject(r);
	redisFree(rc);
	return 0;
}
