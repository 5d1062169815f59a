/* nhacviec: the admin command (check the config, look at the queue). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "cli.h"
#include "clock.h"
#include "config.h"
#include "keys.h"
#include "log.h"
#include "planstore.h"
#include "schedule.h"
#include "secret.h"


static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: nhacviec [-c FILE] [--clock ISO8601] COMMAND\n"
	    "commands:\n"
	    "  check            check the config; print every error as "
	    "FILE:LINE\n"
	    "  preview --from DATE --to DATE [--format tsv|text]\n"
	    "                   the reminders the plan gives, offline\n"
	    "  load             check the plan files and write them to Redis "
	    "in one step\n"
	    "  import-appendix FILE.tsv\n"
	    "                   the appendix table of a plan document as "
	    "[task] sections\n"
	    "  send --agency ID --channel NAME < text\n"
	    "                   an ad-hoc notice through the outbox\n"
	    "  zalo token set|status\n"
	    "                   the Zalo OA refresh token (set reads stdin)\n"
	    "  status           what is due, queued, sent and dead in Redis\n"
	    "  dead [requeue ID|'*']\n"
	    "                   the dead letters, or send them again\n"
	    "  report           the ledger's outcomes per channel\n"
	    "  pause|resume CHANNEL|'*'\n"
	    "                   hold or release a channel in every daemon\n"
	    "  upcoming [N]     the next N reminders due (default 20)\n");
	exit(EX_USAGE);
}

static struct config *
cli_config(const char *path)
{
	struct config	*c;
	struct diag	 d;

	diag_init(&d);
	c = config_load(path, &d);
	diag_print(&d, stderr);
	diag_clear(&d);
	return c;
}

/* The config, then the plan files it names, with every error and warning. */
static int
cmd_check(const char *path)
{
	struct config		*c;
	struct plan_sources	 src;
	struct plan		*p;
	struct diag		 d;

	if ((c = cli_config(path)) == NULL)
		return EX_CONFIG;
	diag_init(&d);
	p = planstore_load(c, &src, &d);
	diag_print(&d, stderr);
	if (p != NULL)
		printf("%s: configuration OK; plan %s: %zu tasks, %zu "
		    "agencies, %zu warnings\n", path, c->plan_files,
		    p->ntasks, p->nagencies, d.nwarnings);
	diag_clear(&d);
	plan_free(p);
	planstore_sources_clear(&src);
	config_free(c);
	return p != NULL ? 0 : EX_CONFIG;
}

static long long
cli_int(redisContext *rc, const char *fmt, const char *key)
{
	redisReply	*r = redisCommand(rc, fmt, key);
	long long	 v = -1;

	if (r && r->type == REDIS_REPLY_INTEGER)
		v = r->integer;
	freeReplyObject(r);
	return v;
}

static int
cmd_status(const struct config *c, const struct keys *k)
{
	redisContext	*rc;
	redisReply	*r;
	long long	 counts[4] = { 0, 0, 0, 0 };
	const char	*names[] = { "queued", "sent", "dead", "missed" };
	size_t		 i;
	int		 j;

	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	r = redisCommand(rc, "HVALS %s", k->state);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		for (j = 0; j < 4; j++)
			if (strcmp(r->element[i]->str, names[j]) == 0)
				counts[j]++;
	freeReplyObject(r);
	printf("due (waiting for their time)  %lld\n",
	    cli_int(rc, "ZCARD %s", k->due));
	printf("outbox (claimed, not done)    %lld\n",
	    cli_int(rc, "XLEN %s", k->outbox));
	for (j = 0; j < 4; j++)
		printf("%-30s%lld\n", names[j], counts[j]);
	printf("ledger entries                %lld\n",
	    cli_int(rc, "XLEN %s", k->log));
	redisFree(rc);
	return 0;
}

/* Check the plan files against the config, then write them in one step. */
static int
cmd_load(const struct config *c, const struct keys *k)
{
	struct plan_sources	 src;
	struct plan		*p = NULL;
	struct diag		 d;
	redisContext		*rc;
	redisReply		*r;
	const char		*argv[7];
	char			*doc;
	int			 rv = EX_CONFIG;

	diag_init(&d);
	p = planstore_load(c, &src, &d);
	diag_print(&d, stderr);
	if (p == NULL) {
		fprintf(stderr, "nhacviec: the plan has %zu error%s; nothing "
		    "was written to Redis\n", d.nerrors,
		    d.nerrors == 1 ? "" : "s");
		goto out;
	}
	rv = EX_UNAVAILABLE;
	if ((rc = cli_connect(c)) == NULL)
		goto out;
	if ((doc = planstore_document(p, &src, clock_now_ms())) == NULL)
		fatalx("out of memory");
	argv[0] = k->base;
	argv[1] = doc;
	r = cli_script(rc, k, SCRIPT_PLAN_LOAD, 2, argv);
	free(doc);
	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		fprintf(stderr, "nhacviec: writing the plan failed: %s\n",
		    r == NULL ? rc->errstr : r->type == REDIS_REPLY_ERROR ?
		    r->str : "odd reply");
	} else {
		printf("loaded %zu files: %zu tasks, %zu agencies, %zu groups, "
		    "%zu windows, as plan version %lld\n", src.n, p->ntasks,
		    p->nagencies, p->ngroups, p->nwindows, r->integer);
		rv = 0;
	}
	freeReplyObject(r);
	redisFree(rc);
out:
	diag_clear(&d);
	plan_free(p);
	planstore_sources_clear(&src);
	return rv;
}

static int
cmd_upcoming(const struct config *c, const struct keys *k, long n)
{
	redisContext	*rc;
	redisReply	*r;
	size_t		 i;
	char		 when[40];

	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	r = redisCommand(rc, "ZRANGE %s 0 %ld WITHSCORES", k->due, n - 1);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements;
	    i += 2) {
		clock_format_iso8601((int64_t)strtod(r->element[i + 1]->str,
		    NULL), when, sizeof(when));
		printf("%s  %s\n", when, r->element[i]->str);
	}
	freeReplyObject(r);
	redisFree(rc);
	return 0;
}

/* pause / resume: a message on {p}:control that every daemon acts on. */
static int
cmd_pause(const struct config *c, const struct keys *k, const char *cmd,
    int argc, char **argv)
{
	redisContext	*rc;
	redisReply	*r;
	int		 rv = 0;

	if (argc != 1) {
		fprintf(stderr, "usage: nhacviec %s CHANNEL|'*'\n", cmd);
		return EX_USAGE;
	}
	if (strcmp(argv[0], "*") != 0 && config_channel_find(c, argv[0]) ==
	    NULL) {
		fprintf(stderr, "nhacviec: no channel %s in %s\n", argv[0],
		    c->path);
		return EX_CONFIG;
	}
	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	r = redisCommand(rc, "XADD %s MAXLEN ~ 1000 * type %s channel %s "
	    "reason %s", k->control, cmd, argv[0], "nhacviec command");
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		fprintf(stderr, "nhacviec: %s\n", r ? r->str : rc->errstr);
		rv = EX_UNAVAILABLE;
	} else
		printf("%s %s: sent to every daemon\n", cmd, argv[0]);
	freeReplyObject(r);
	redisFree(rc);
	return rv;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "clock", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*path = CONFIG_DEFAULT_PATH, *cmd;
	struct config	*c;
	struct keys	 k;
	char		 err[256];
	int64_t		 ms;
	int		 ch, rc;

	log_init("nhacviec", 0);
	while ((ch = getopt_long(argc, argv, "+c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			if (clock_parse_iso8601(optarg, &ms, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "nhacviec: --clock: %s\n", err);
				return EX_USAGE;
			}
			clock_set_virtual(ms, 1.0);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	cmd = argv[optind++];
	if (strcmp(cmd, "check") == 0) {
		if (optind != argc)
			usage();
		return cmd_check(path);
	}
	if (strcmp(cmd, "status") != 0 && strcmp(cmd, "upcoming") != 0 &&
	    strcmp(cmd, "load") != 0 && strcmp(cmd, "preview") != 0 &&
	    strcmp(cmd, "import-appendix") != 0 && strcmp(cmd, "send") != 0 &&
	    strcmp(cmd, "zalo") != 0 && strcmp(cmd, "dead") != 0 &&
	    strcmp(cmd, "report") != 0 && strcmp(cmd, "pause") != 0 &&
	    strcmp(cmd, "resume") != 0)
		usage();
	if ((c = cli_config(path)) == NULL)
		return EX_CONFIG;
	if (strcmp(cmd, "preview") == 0 ||
	    strcmp(cmd, "import-appendix") == 0) {
		/* Their own options follow the command name (argv[0]). */
		rc = cmd[0] == 'p' ?
		    cmd_preview(c, argc - optind + 1, argv + optind - 1) :
		    cmd_import_appendix(c, argc - optind + 1,
		    argv + optind - 1);
		config_free(c);
		return rc;
	}
	if (keys_init(&k, c->prefix) == -1) {
		config_free(c);
		return EX_CONFIG;
	}
	if (strcmp(cmd, "status") == 0)
		rc = cmd_status(c, &k);
	else if (strcmp(cmd, "load") == 0)
		rc = cmd_load(c, &k);
	else if (strcmp(cmd, "send") == 0)
		rc = cmd_send(c, &k, argc - optind + 1, argv + optind - 1);
	else if (strcmp(cmd, "zalo") == 0)
		rc = cmd_zalo(c, &k, argc - optind + 1, argv + optind - 1);
	else if (strcmp(cmd, "dead") == 0)
		rc = cmd_dead(c, &k, argc - optind + 1, argv + optind - 1);
	else if (strcmp(cmd, "pause") == 0 || strcmp(cmd, "resume") == 0)
		rc = cmd_pause(c, &k, cmd, argc - optind, argv + optind);
	else if (strcmp(cmd, "report") == 0)
		rc = cmd_report(c, &k, argc - optind + 1, argv + optind - 1);
	else
		rc = cmd_upcoming(c, &k, optind < argc ?
		    strtol(argv[optind], NULL, 10) : 20);
	config_free(c);
	return rc;
}
