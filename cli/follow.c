/* nhacviec ack and inbox: what a head told an admin, and the replies that could not be placed. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "follow.h"
#include "plan.h"

/* ack TASK DUE AGENCY [--done] [--note TEXT]: a head phoned in. */
int
cmd_ack(struct cli *cl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "done", no_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*note = NULL, *user = getenv("SUDO_USER");
	struct passwd	*pw;
	struct follow	 f;
	struct plan	*p;
	redisContext	*rc;
	redisReply	*r;
	char		 err[400], by[200], host[128];
	int		 o, done = 0, rv = 0;

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (o) {
		case 'd':
			done = 1;
			break;
		case 'n':
			note = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if ((rc = cli_connect(cl->conf)) == NULL)
		return EX_UNAVAILABLE;
	if ((p = cli_plan(rc, cl->conf, &cl->keys)) == NULL) {
		fprintf(stderr, _("nhacviec ack: no plan in Redis: `nhacviec "
		    "load` first\n"));
		redisFree(rc);
		return EX_UNAVAILABLE;
	}
	if (user == NULL && (pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	snprintf(by, sizeof(by), "by %s@%s", user ? user : "?", host);
	if (follow_prepare(&f, &cl->keys, p, cl->conf, argv[optind],
	    argv[optind + 1], argv[optind + 2], done ? FOLLOW_DONE :
	    FOLLOW_ACK, clock_now_ms(), "admin", by, note, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "nhacviec ack: %s\n", err);
		plan_free(p);
		redisFree(rc);
		return EX_DATAERR;
	}
	r = cli_script(rc, &f.keys, SCRIPT_FOLLOW, f.argc, f.argv);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
		fprintf(stderr, "nhacviec ack: %s\n", r == NULL ? rc->errstr :
		    r->type == REDIS_REPLY_ERROR ? r->str : _("odd reply"));
		rv = EX_UNAVAILABLE;
	} else {
		printf("%s: %s %s%s", f.occurrence, argv[optind + 2],
		    r->element[0]->integer ? (done ? _("done") :
		    _("acknowledged")) : (done ? _("was done already") :
		    _("was acknowledged already")), note ? _(" (note kept)") :
		    "");
		if (r->element[1]->integer > 0)
			printf(ngettext("; %lld later reminder stopped",
			    "; %lld later reminders stopped",
			    (unsigned long)r->element[1]->integer),
			    r->element[1]->integer);
		printf("\n");
	}
	freeReplyObject(r);
	follow_clear(&f);
	plan_free(p);
	redisFree(rc);
	return rv;
}

static const char *
inbox_field(redisReply *f, const char *name)
{
	size_t	i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2)
		if (strcmp(f->element[i]->str, name) == 0)
			return f->element[i + 1]->str;
	return "";
}

/* inbox: replies the daemon could not place, oldest first. */
int
cmd_inbox(struct cli *cl, int argc, char **argv)
{
	redisContext	*rc;
	redisReply	*r, *f;
	char		 when[40];
	size_t		 i;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if ((rc = cli_connect(cl->conf)) == NULL)
		return EX_UNAVAILABLE;
	r = redisCommand(rc, "XRANGE %s - +", cl->keys.inbox);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements;
	    i++) {
		f = r->element[i]->element[1];
		clock_format_iso8601(strtoll(inbox_field(f, "at"), NULL, 10),
		    when, sizeof(when));
		printf("%s  %s (%s): %s\n  -> %s\n", when,
		    *inbox_field(f, "agency") ? inbox_field(f, "agency") :
		    _("unknown sender"), inbox_field(f, "from"),
		    inbox_field(f, "text"), inbox_field(f, "why"));
	}
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 0)
		printf(_("no reply waits to be placed\n"));
	freeReplyObject(r);
	redisFree(rc);
	return 0;
}
