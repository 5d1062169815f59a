/* nhacviec dead: what could not be delivered, and sending it again. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "log.h"
#include "requeue.h"


static const char *
dead_field(redisReply *f, const char *name)
{
	size_t	i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2)
		if (strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str;
	return "";
}

/*
 * requeue ID|'*': each dead letter goes back with what the plan says now
 * (a fixed phone or email is used); an ad-hoc notice with its own text
 * (common/requeue.c decides, for the status page too). An id that is not
 * a dead letter, or that the plan no longer gives, is refused with the
 * reason (exit 65).
 */
static int
dead_requeue(struct cli *cl, redisContext *rc, const char *which)
{
	const struct keys	*k = &cl->keys;
	struct plan		*p = NULL;
	struct requeue		 q;
	redisReply		*r, *d, *st;
	char			 who[300];
	size_t			 i, ok = 0;
	int			 rv = 0;

	d = redisCommand(rc, "XRANGE %s - +", k->dead);
	if (d == NULL || d->type != REDIS_REPLY_ARRAY) {
		fprintf(stderr, _("nhacviec dead: reading %s failed\n"),
		    k->dead);
		freeReplyObject(d);
		return EX_UNAVAILABLE;
	}
	if (strcmp(which, "*") != 0) {
		st = redisCommand(rc, "HGET %s %s", k->state, which);
		if (st == NULL || st->type != REDIS_REPLY_STRING ||
		    strcmp(st->str, "dead") != 0) {
			if (st && st->type == REDIS_REPLY_STRING)
				fprintf(stderr, _("nhacviec dead: %s is not a "
				    "dead letter (its state is %s)\n"), which,
				    st->str);
			else
				fprintf(stderr, _("nhacviec dead: %s is not a "
				    "dead letter (no such reminder)\n"), which);
			freeReplyObject(st);
			freeReplyObject(d);
			return EX_DATAERR;
		}
		freeReplyObject(st);
	}
	if (d->elements > 0)
		p = cli_plan(rc, cl->conf, k);
	cli_who(who, sizeof(who), "nhacviec dead requeue");
	requeue_prepare(&q, d, p, cl->conf, which, who, clock_now_ms());
	for (i = 0; i < q.nnotes; i++) {
		fprintf(q.notes[i].refused ? stderr : stdout, "%s%s\n",
		    q.notes[i].refused ? "nhacviec dead: " : "",
		    q.notes[i].text);
		if (q.notes[i].refused)
			rv = EX_DATAERR;
	}
	if (q.n > 0) {
		r = cli_script(rc, k, SCRIPT_REQUEUE, q.argc, q.argv);
		if (r && r->type == REDIS_REPLY_ARRAY) {
			for (i = 0; i < r->elements; i++)
				printf(_("requeued %s\n"), r->element[i]->str);
			ok = r->elements;
		} else {
			fprintf(stderr, _("nhacviec dead: requeue failed: "
			    "%s\n"), r ? r->str : rc->errstr);
			rv = EX_UNAVAILABLE;
		}
		freeReplyObject(r);
	}
	printf(ngettext("requeued %zu dead letter\n",
	    "requeued %zu dead letters\n", ok), ok);
	requeue_clear(&q);
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
	if (argc >= 2 && strcmp(argv[1], "requeue") != 0)
		return cli_usage(cl, "unexpected '%s'", argv[1]);
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
		printf(_("%s  %s  via %s (attempt %s): %s\n"), when,
		    dead_field(f, "id"), dead_field(f, "channel"),
		    dead_field(f, "attempt"), dead_field(f, "reason"));
	}
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 0)
		printf(_("no dead letters\n"));
	freeReplyObject(r);
	redisFree(rc);
	return 0;
}
