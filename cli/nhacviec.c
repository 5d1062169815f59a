/* nhacviec: the admin command (check the config, look at the queue). */
#include <getopt.h>
#include <stdarg.h>
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
#include "preflight.h"
#include "followup.h"
#include "schedule.h"
#include "secret.h"
#include "text.h"
#include "xmalloc.h"


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
cmd_check(struct cli *cl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "redis", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char		*path = cl->path;
	struct config		*c = cl->conf;
	struct plan_sources	 src;
	struct plan		*p;
	struct diag		 d;
	int			 o, redis = 0, rv;

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		if (o != 'r')
			return EX_USAGE;
		redis = 1;
	}
	/* What nhacviecd checks before it starts, the same code. */
	diag_init(&d);
	p = preflight_run(c, &src, &d);
	diag_print(&d, stderr);
	rv = d.nerrors == 0 ? 0 : EX_CONFIG;
	if (rv == 0 && p != NULL)
		printf(_("%s: configuration OK; plan %s: %zu tasks, %zu "
		    "agencies, %zu warnings\n"), path, c->plan_files,
		    p->ntasks, p->nagencies, d.nwarnings);
	else if (rv == 0)
		printf(_("%s: configuration OK; no plan files (nhacviecd uses "
		    "the plan in Redis), %zu warnings\n"), path, d.nwarnings);
	diag_clear(&d);
	plan_free(p);
	planstore_sources_clear(&src);
	if (redis && cli_check_redis(c) != 0 && rv == 0)
		rv = EX_UNAVAILABLE;
	return rv;
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

/*
 * The due sets, {p}:due:CHANNEL for each channel {p}:duesets names and
 * {p}:due itself (lua/lib/due.lua), read with plain commands: each follows
 * a Cluster's ASK while the slot moves, where a script would wait for the
 * whole slot. Each key into fn, its channel NULL for {p}:due.
 */
static void
due_each(redisContext *rc, const struct keys *k,
    void (*fn)(redisContext *, const char *, const char *, void *), void *arg)
{
	redisReply	*r;
	char		 key[KEYS_NAME_MAX + 128];
	size_t		 i;

	r = redisCommand(rc, "SMEMBERS %ssets", k->due);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    (size_t)snprintf(key, sizeof(key), "%s:%s", k->due,
		    r->element[i]->str) < sizeof(key))
			fn(rc, key, r->element[i]->str, arg);
	freeReplyObject(r);
	fn(rc, k->due, NULL, arg);
}

/* The id of member m of channel ch's due set (NULL: {p}:due, m is one). */
static char *
due_id(const char *ch, const char *m)
{
	const char	*fb = NULL, *p = m;
	char		*id;

	while ((p = strstr(p, "~fallback-")) != NULL)
		fb = p++;
	if (ch == NULL || (fb != NULL && fb[10] != '\0' &&
	    strchr(fb, '/') == NULL))
		return xstrdup(m);		/* a fallback's, whole */
	xasprintf(&id, "%s/%s", m, ch);
	return id;
}

/* The n earliest of every due set, for upcoming. */
struct due_first {
	long		 n;
	struct due_item {
		char	*id;
		double	 at;
	}		*v;
	size_t		 nv;
};

static void
due_first(redisContext *rc, const char *key, const char *ch, void *arg)
{
	struct due_first	*f = arg;
	redisReply		*r;
	size_t			 i;

	r = redisCommand(rc, "ZRANGE %s 0 %ld WITHSCORES", key, f->n - 1);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements;
	    i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    r->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		f->v = xreallocarray(f->v, f->nv + 1, sizeof(*f->v));
		f->v[f->nv].id = due_id(ch, r->element[i]->str);
		f->v[f->nv++].at = strtod(r->element[i + 1]->str, NULL);
	}
	freeReplyObject(r);
}

static int
due_item_cmp(const void *a, const void *b)
{
	const struct due_item	*x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return strcmp(x->id, y->id);
}

struct due_counts {
	char		 now[24];
	long long	 all, ready;
};

static void
due_count(redisContext *rc, const char *key, const char *ch, void *arg)
{
	struct due_counts	*c = arg;
	redisReply		*r;
	long long		 n;

	(void)ch;
	if ((n = cli_int(rc, "ZCARD %s", key)) > 0)
		c->all += n;
	r = redisCommand(rc, "ZCOUNT %s -inf %s", key, c->now);
	if (r && r->type == REDIS_REPLY_INTEGER)
		c->ready += r->integer;
	freeReplyObject(r);
}

static void	status_followups(struct cli *, redisContext *);

/* A line of status: the label (translated) in width columns, the count. */
static void
status_line(const char *label, size_t width, long long n)
{
	printf("%s", label);
	cli_pad(stdout, label, width);
	printf("%lld\n", n);
}

static int
cmd_status(struct cli *cl, int argc, char **argv)
{
	const struct config	*c = cl->conf;
	const struct keys	*k = &cl->keys;
	redisContext	*rc;
	redisReply	*r;
	long long	 counts[4] = { 0, 0, 0, 0 };
	const char	*names[] = { "queued", "sent", "dead", "missed" };
	struct due_counts dc;
	const char	*labels[] = { N_("queued"), N_("sent"), N_("dead"),
			    N_("missed") };
	/* held (a paused channel) is shown with the pause */
	size_t		 i;
	int		 j;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	r = redisCommand(rc, "HVALS %s", k->state);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		for (j = 0; j < 4; j++)
			if (strcmp(r->element[i]->str, names[j]) == 0)
				counts[j]++;
	freeReplyObject(r);
	/* Those due by now are not claimed yet: their channel has no room. */
	memset(&dc, 0, sizeof(dc));
	snprintf(dc.now, sizeof(dc.now), "%lld", (long long)clock_now_ms());
	due_each(rc, k, due_count, &dc);
	status_line(_("due (waiting for their time)"), 30, dc.all - dc.ready);
	if (dc.ready > 0)
		status_line(_("due, waiting for a channel"), 30, dc.ready);
	status_line(_("outbox (claimed, not done)"), 30,
	    cli_int(rc, "XLEN %s", k->outbox));
	for (j = 0; j < 4; j++)
		status_line(_(labels[j]), 30, counts[j]);
	status_line(_("ledger entries"), 30, cli_int(rc, "XLEN %s", k->log));
	cli_print_pauses(cl, rc);
	cli_print_archive(cl, rc);
	status_followups(cl, rc);
	redisFree(rc);
	return 0;
}

/*
 * The follow-ups of the occurrences due from 31 days ago to 7 days ahead:
 * how many agencies were reached, saw, confirmed, finished, are overdue.
 */
static void
status_followups(struct cli *cl, redisContext *rc)
{
	const struct plan	*p = cli_plan_view(cl, rc);
	struct followup		*v = NULL;
	redisReply		*r, *h;
	long long		 count[FU_STATES];
	int64_t			 now = clock_now_ms(), end;
	size_t			 i, n = 0, cap = 0;
	int			 s;

	r = redisCommand(rc, "ZRANGEBYSCORE %s %lld %lld WITHSCORES",
	    cl->keys.occurrences, (long long)(now - 31 * 86400000LL),
	    (long long)(now + 7 * 86400000LL));
	for (i = 0; p && r && r->type == REDIS_REPLY_ARRAY &&
	    i + 1 < r->elements; i += 2) {
		end = strtoll(r->element[i + 1]->str, NULL, 10);
		h = redisCommand(rc, "HGETALL %socc:%s", cl->keys.base,
		    r->element[i]->str);
		if (h && h->type == REDIS_REPLY_ARRAY) {
			char	**f = calloc(h->elements + 1, sizeof(*f));
			size_t	  k;

			for (k = 0; f && k < h->elements; k++)
				f[k] = h->element[k]->str;
			if (f)
				followup_read(p, r->element[i]->str, end, f,
				    h->elements, &v, &n, &cap);
			free(f);
		}
		freeReplyObject(h);
	}
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		count[followup_state(&v[i], now)]++;
	printf(_("follow-ups of the occurrences due from 31 days ago to 7 "
	    "days ahead (%zu occurrences, %zu agencies to answer):\n"),
	    r && r->type == REDIS_REPLY_ARRAY ? r->elements / 2 : 0, n);
	for (s = 0; s < FU_STATES; s++) {
		printf("  ");
		status_line(_(followup_state_en(s)), 28, count[s]);
	}
	freeReplyObject(r);
	free(v);
}

/* Check the plan files against the config, then write them in one step. */
static int
cmd_load(struct cli *cl, int argc, char **argv)
{
	const struct config	*c = cl->conf;
	const struct keys	*k = &cl->keys;
	struct plan_sources	 src;
	struct plan		*p = NULL;
	struct diag		 d;
	redisContext		*rc;
	redisReply		*r;
	const char		*av[2];
	char			*doc;
	int			 rv = EX_CONFIG;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	diag_init(&d);
	p = planstore_load(c, &src, &d);
	diag_print(&d, stderr);
	if (p == NULL) {
		fprintf(stderr, ngettext("nhacviec: the plan has %zu error; "
		    "nothing was written to Redis\n", "nhacviec: the plan has "
		    "%zu errors; nothing was written to Redis\n", d.nerrors),
		    d.nerrors);
		goto out;
	}
	rv = EX_UNAVAILABLE;
	if ((rc = cli_connect(c)) == NULL)
		goto out;
	if ((doc = planstore_document(p, &src, clock_now_ms())) == NULL)
		fatalx("out of memory");
	av[0] = k->base;
	av[1] = doc;
	r = cli_script(rc, k, SCRIPT_PLAN_LOAD, 2, av);
	free(doc);
	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		fprintf(stderr, _("nhacviec: writing the plan failed: %s\n"),
		    r == NULL ? rc->errstr : r->type == REDIS_REPLY_ERROR ?
		    r->str : _("odd reply"));
	} else {
		printf(_("loaded %zu files: %zu tasks, %zu agencies, %zu "
		    "groups, %zu windows, as plan version %lld\n"), src.n,
		    p->ntasks,
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
cmd_upcoming(struct cli *cl, int argc, char **argv)
{
	redisContext	*rc;
	size_t		 i;
	char		 when[40], *end;
	struct due_first f;
	long		 n = 20;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if (optind < argc) {
		n = strtol(argv[optind], &end, 10);
		if (*argv[optind] == '\0' || *end != '\0' || n < 1 ||
		    n > 100000)
			return cli_usage(cl, "'%s' is not a count from 1 to "
			    "100000", argv[optind]);
	}
	if ((rc = cli_connect(cl->conf)) == NULL)
		return EX_UNAVAILABLE;
	memset(&f, 0, sizeof(f));
	f.n = n;
	due_each(rc, &cl->keys, due_first, &f);
	if (f.nv > 0)
		qsort(f.v, f.nv, sizeof(*f.v), due_item_cmp);
	for (i = 0; i < f.nv; i++) {
		if ((long)i < n) {
			cli_time(cl, rc, (int64_t)f.v[i].at, when,
			    sizeof(when));
			printf("%s  %s\n", when, f.v[i].id);
		}
		free(f.v[i].id);
	}
	free(f.v);
	redisFree(rc);
	return 0;
}

/* The commands, in the order `nhacviec --help` lists them. */
static const struct command commands[] = {
	{ "check", "[--redis]", N_("the config and the plan files, every "
	    "problem as FILE:LINE; --redis: the Redis it names too"),
	    0, 0, NULL, cmd_check },
	{ "calendar", "YEAR [YEAR...]", N_("the years' statutory days off "
	    "(Tết and Hùng Kings from the lunar calendar) as a [calendar] "
	    "section"), 1, -1, N_("which year?"), cmd_calendar },
	{ "preview", "--from DATE --to DATE [--format text|tsv]",
	    N_("the reminders the plan gives, offline"), 0, 0, NULL,
	    cmd_preview },
	{ "load", "", N_("check the plan files and write them to Redis in "
	    "one step"), 0, 0, NULL, cmd_load },
	{ "import-appendix", "[--year N] [--remind SPECS] [--channels LIST] "
	    "[--encoding NAME] FILE", N_("a plan's appendix table (UTF-8, "
	    "UTF-16, Windows-1258) as [task] sections"), 1, 1, N_("which "
	    "file? the appendix table copied from the plan, its cells "
	    "separated by tabs (STT, NỘI DUNG TUYÊN TRUYỀN, CƠ QUAN CHỦ TRÌ, "
	    "CƠ QUAN PHỐI HỢP, THỜI GIAN THỰC HIỆN); - reads standard input"),
	    cmd_import_appendix },
	{ "status", "", N_("what is due, queued, sent and dead in Redis"),
	    0, 0, NULL, cmd_status },
	{ "upcoming", "[N]", N_("the next N reminders due (default 20)"),
	    0, 1, NULL, cmd_upcoming },
	{ "send", "--agency ID|GROUP --channel NAME [--title TEXT] < TEXT",
	    N_("an ad-hoc notice through the outbox (a group: one to each "
	    "agency)"), 0, 0, NULL, cmd_send },
	{ "dead", "[requeue ID|'*']", N_("the dead letters, or send them "
	    "again"), 0, 2, NULL, cmd_dead },
	{ "log", "[--since DATE|Nd] [--until DATE] [--agency ID] [--task ID] "
	    "[--channel NAME] [--format text|tsv]", N_("the ledger, entry by "
	    "entry, newest last, in the plan's time zone"), 0, 0, NULL,
	    cmd_log },
	{ "report", "[--by channel|agency|task] [--from DATE] [--to DATE] "
	    "[--format text|csv]", N_("per channel: the ledger's outcomes; "
	    "per agency or task: who was reached, saw, confirmed, finished, "
	    "for the occurrences due from --from to --to"), 0, 0, NULL,
	    cmd_report },
	{ "pause", "CHANNEL|'*' [--for DURATION] [--reason TEXT]",
	    N_("hold a channel in every daemon, also after restarts"),
	    1, 1, N_("which channel?"), cmd_pause },
	{ "resume", "CHANNEL|'*'", N_("release a paused channel; what it "
	    "held is due again"), 1, 1, N_("which channel?"), cmd_resume },
	{ "zalo", "[--channel NAME] token set|status",
	    N_("the Zalo OA refresh token (set reads standard input)"),
	    2, 2, N_("token set or token status?"), cmd_zalo },
	{ "ack", "TASK DUE AGENCY [--done] [--note TEXT]", N_("record what "
	    "a head said (a phone call): acknowledged, or done"), 3, 3,
	    N_("needs the task, its due day and the agency"), cmd_ack },
	{ "inbox", "", N_("replies from heads that could not be placed"),
	    0, 0, NULL, cmd_inbox },
	{ "user", "add NAME [--read-only] | remove NAME | list",
	    N_("the status pages' accounts ([http] users_file; add reads the "
	    "password twice from standard input)"), 1, 2,
	    N_("add, remove or list?"), cmd_user },
	{ "complete", "channels|tasks|agencies|groups",
	    N_("names for shell completion"), 1, 1, N_("which names?"),
	    cmd_complete },
	{ "help", "[COMMAND]", N_("this list, or one command's usage"), 0, 1,
	    NULL, NULL },
};

static const struct command *
cli_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
cli_list(FILE *fp)
{
	size_t	i;

	fprintf(fp, _("usage: nhacviec [-c FILE] [--clock ISO8601] COMMAND "
	    "[ARGS]\n       nhacviec help COMMAND\ncommands:\n"));
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-16s %s\n", commands[i].name,
		    _(commands[i].what));
	fprintf(fp, _("-c FILE: the main config (default %s)\n"),
	    CONFIG_DEFAULT_PATH);
}

int
cli_usage(const struct cli *cl, const char *fmt, ...)
{
	va_list	ap;

	if (fmt != NULL) {
		fprintf(stderr, "nhacviec %s: ", cl->cmd->name);
		va_start(ap, fmt);
		vfprintf(stderr, _(fmt), ap);	/* every caller's, translated */
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, _("usage: nhacviec %s%s%s\n"), cl->cmd->name,
	    cl->cmd->args[0] ? " " : "", cl->cmd->args);
	return EX_USAGE;
}

void
cli_pad(FILE *fp, const char *s, size_t width)
{
	size_t	w;

	for (w = text_width(s); w < width; w++)
		fputc(' ', fp);
}

/* The operands left after the options, against the command's table entry. */
static int
cli_operands(const struct cli *cl, int n, char **argv)
{
	const struct command	*c = cl->cmd;

	if (n < c->min) {
		cli_usage(cl, "%s", _(c->missing));
		return 0;
	}
	if (c->max >= 0 && n > c->max) {
		cli_usage(cl, "unexpected '%s'", argv[c->max]);
		return 0;
	}
	return -1;
}

int
cli_getopt(struct cli *cl, int argc, char **argv,
    const struct option *longopts)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	int	o;

	if (!cl->getopt_started) {
		cl->getopt_started = 1;
		optind = 0;	/* start over: main's getopt ran before */
		opterr = 0;
	}
	o = getopt_long(argc, argv, "", longopts ? longopts : none, NULL);
	if (o == -1)
		return cli_operands(cl, argc - optind, argv + optind);
	if (o == '?') {
		if (optopt)
			cli_usage(cl, "option %s needs a value",
			    argv[optind - 1]);
		else
			cli_usage(cl, "unknown option %s", argv[optind - 1]);
	}
	return o == -1 ? -1 : o == '?' ? 0 : o;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "clock", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli		 cl;
	const struct command	*cmd;
	char			 err[256];
	int64_t			 ms;
	int			 ch, rc;

	memset(&cl, 0, sizeof(cl));
	cl.path = CONFIG_DEFAULT_PATH;
	i18n_init();
	log_init("nhacviec", 0);
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cl.path = optarg;
			break;
		case 'C':
			if (clock_parse_iso8601(optarg, &ms, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, _("nhacviec: --clock: %s\n"),
				    err);
				return EX_USAGE;
			}
			clock_set_virtual(ms, 1.0);
			break;
		case 'h':
			cli_list(stdout);
			return 0;
		default:
			cli_list(stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		cli_list(stderr);
		return EX_USAGE;
	}
	if ((cmd = cli_find(argv[optind])) == NULL) {
		fprintf(stderr, _("nhacviec: no command '%s'\n"),
		    argv[optind]);
		cli_list(stderr);
		return EX_USAGE;
	}
	cl.cmd = cmd;
	if (cmd->fn == NULL) {		/* help [COMMAND] */
		if (argc - optind > 2)
			return cli_usage(&cl, "one command at a time");
		if (argc - optind == 1) {
			cli_list(stdout);
			return 0;
		}
		if ((cl.cmd = cli_find(argv[optind + 1])) == NULL) {
			fprintf(stderr, _("nhacviec help: no command '%s'\n"),
			    argv[optind + 1]);
			cli_list(stderr);
			return EX_USAGE;
		}
		printf(_("usage: nhacviec %s%s%s\n"), cl.cmd->name,
		    cl.cmd->args[0] ? " " : "", cl.cmd->args);
		printf("  %s\n", _(cl.cmd->what));
		return 0;
	}
	/* complete reads the files unchecked: no config_load. */
	if (cmd->fn == cmd_complete)
		return cmd_complete(&cl, argc - optind, argv + optind);
	if ((cl.conf = cli_config(cl.path)) == NULL)
		return EX_CONFIG;
	if (keys_init(&cl.keys, cl.conf->prefix) == -1) {
		config_free(cl.conf);
		return EX_CONFIG;
	}
	/* The command sees its own name as argv[0], as getopt expects. */
	rc = cmd->fn(&cl, argc - optind, argv + optind);
	plan_free(cl.plan);
	config_free(cl.conf);
	return rc;
}
