/* nhacviec dead and report: what could not be delivered, and what was. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"


static const char *
dead_field(redisReply *f, const char *name)
{
	size_t	i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2)
		if (strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str;
	return "";
}

int
cmd_dead(struct cli *cl, int argc, char **argv)
{
	const struct config	*c = cl->conf;
	const struct keys	*k = &cl->keys;
	redisContext	*rc;
	redisReply	*r;
	char		 at[24], when[40];
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
		const char *av[] = { argv[2], at };

		snprintf(at, sizeof(at), "%lld", (long long)clock_now_ms());
		r = cli_script(rc, k, SCRIPT_REQUEUE, 2, av);
		if (r && r->type == REDIS_REPLY_INTEGER)
			printf("requeued %lld dead letter%s\n", r->integer,
			    r->integer == 1 ? "" : "s");
		else {
			fprintf(stderr, "nhacviec: requeue failed: %s\n",
			    r ? r->str : rc->errstr);
			rv = EX_UNAVAILABLE;
		}
		freeReplyObject(r);
		redisFree(rc);
		return rv;
	}
	r = redisCommand(rc, "XRANGE %s - +", k->dead);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
		redisReply *f = r->element[i]->element[1];

		clock_format_iso8601(strtoll(dead_field(f, "at"), NULL, 10),
		    when, sizeof(when));
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

/* The ledger in short: outcomes per channel, and the most frequent failures. */
int
cmd_report(struct cli *cl, int argc, char **argv)
{
	const struct config	*c = cl->conf;
	const struct keys	*k = &cl->keys;
	static const char *outcomes[] = { "sent", "retry", "defer", "dead",
	    "missed" };
	struct row {
		char		 channel[64];
		long long	 n[5];
	}		 rows[64];
	size_t		 nrows = 0, i, j;
	redisContext	*rc;
	redisReply	*r;
	const char	*ch, *oc;
	long long	 late = 0, total = 0;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if (optind != argc)
		return cli_usage(cl, "unexpected '%s'", argv[optind]);
	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	memset(rows, 0, sizeof(rows));
	r = redisCommand(rc, "XRANGE %s - +", k->log);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
		redisReply *f = r->element[i]->element[1];

		ch = dead_field(f, "channel");
		oc = dead_field(f, "outcome");
		for (j = 0; j < nrows && strcmp(rows[j].channel, ch) != 0; j++)
			;
		if (j == nrows && nrows < 64)
			snprintf(rows[nrows++].channel,
			    sizeof(rows[0].channel), "%s", ch[0] ? ch : "-");
		if (j >= nrows)
			continue;
		for (size_t o = 0; o < 5; o++)
			if (strcmp(oc, outcomes[o]) == 0)
				rows[j].n[o]++;
		late += strcmp(dead_field(f, "late"), "1") == 0;
		total++;
	}
	freeReplyObject(r);
	redisFree(rc);
	printf("%-16s %8s %8s %8s %8s %8s\n", "channel", "sent", "retry",
	    "defer", "dead", "missed");
	for (j = 0; j < nrows; j++)
		printf("%-16s %8lld %8lld %8lld %8lld %8lld\n", rows[j].channel,
		    rows[j].n[0], rows[j].n[1], rows[j].n[2], rows[j].n[3],
		    rows[j].n[4]);
	printf("%lld ledger entries; %lld sent late (within the grace)\n",
	    total, late);
	return 0;
}
