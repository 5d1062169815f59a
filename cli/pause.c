/* nhacviec pause and resume: a pause is a fact in Redis ({p}:pauses) that every daemon honours, now and after a restart. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "clock.h"
#include "parse.h"
#include "pause.h"

/* The channels named: one, or every channel of the config for '*'. */
static int
pause_channels(struct cli *cl, const char *name, const char ***out,
    size_t *n)
{
	const struct config	*c = cl->conf;
	size_t			 i;

	*n = 0;
	if ((*out = calloc(c->nchannels + 1, sizeof(**out))) == NULL)
		return -1;
	if (strcmp(name, "*") == 0) {
		for (i = 0; i < c->nchannels; i++)
			(*out)[(*n)++] = c->channels[i].name;
		return 0;
	}
	if (config_channel_find(c, name) == NULL) {
		fprintf(stderr, _("nhacviec %s: no channel %s in %s\n"),
		    cl->cmd->name, name, c->path);
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[(*n)++] = name;
	return 0;
}

/* pause CHANNEL|'*' [--for DURATION] [--reason TEXT] */
int
cmd_pause(struct cli *cl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "for", required_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char	**names, *reason = "";
	struct pause_call pc;
	redisContext	*rc;
	redisReply	*r;
	char		 who[300], err[200], until[40];
	int64_t		 for_ms = 0;
	size_t		 i, n;
	int		 o, rv = 0;

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (o) {
		case 'f':
			if (parse_duration(optarg, &for_ms, err,
			    sizeof(err)) == -1 || for_ms <= 0)
				return cli_usage(cl, "--for '%s': a duration "
				    "such as 30m, 2h or 3d", optarg);
			break;
		case 'r':
			reason = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (pause_channels(cl, argv[optind], &names, &n) == -1)
		return EX_CONFIG;
	if ((rc = cli_connect(cl->conf)) == NULL) {
		free(names);
		return EX_UNAVAILABLE;
	}
	cli_who(who, sizeof(who), "nhacviec pause");
	for (i = 0; i < n && rv == 0; i++) {
		pause_prepare(&pc, names[i], who, reason, for_ms,
		    clock_now_ms());
		r = cli_script(rc, &cl->keys, SCRIPT_PAUSE, pc.argc, pc.argv);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY ||
		    r->elements != 2) {
			fprintf(stderr, "nhacviec pause: %s\n", r == NULL ?
			    rc->errstr : r->type == REDIS_REPLY_ERROR ?
			    r->str : _("odd reply"));
			rv = EX_UNAVAILABLE;
		} else {
			if (r->element[1]->integer > 0)
				cli_time(cl, rc, r->element[1]->integer, until,
				    sizeof(until));
			if (r->element[1]->integer > 0)
				printf(_("%s paused in every daemon, until "
				    "%s\n"), names[i], until);
			else
				printf(_("%s paused in every daemon, until "
				    "`nhacviec resume %s`\n"), names[i],
				    names[i]);
		}
		freeReplyObject(r);
	}
	redisFree(rc);
	free(names);
	return rv;
}

/* resume CHANNEL|'*': the pause goes, held reminders are due again. */
int
cmd_resume(struct cli *cl, int argc, char **argv)
{
	const char	**names;
	struct pause_call pc;
	redisContext	*rc;
	redisReply	*r;
	char		 who[300];
	size_t		 i, n;
	int		 rv = 0;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if (pause_channels(cl, argv[optind], &names, &n) == -1)
		return EX_CONFIG;
	if ((rc = cli_connect(cl->conf)) == NULL) {
		free(names);
		return EX_UNAVAILABLE;
	}
	cli_who(who, sizeof(who), "nhacviec resume");
	for (i = 0; i < n && rv == 0; i++) {
		pause_resume_prepare(&pc, names[i], 0, who, clock_now_ms());
		r = cli_script(rc, &cl->keys, SCRIPT_RESUME, pc.argc, pc.argv);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY ||
		    r->elements != 2) {
			fprintf(stderr, "nhacviec resume: %s\n", r == NULL ?
			    rc->errstr : r->type == REDIS_REPLY_ERROR ?
			    r->str : _("odd reply"));
			rv = EX_UNAVAILABLE;
		} else if (r->element[0]->integer == 0 &&
		    r->element[1]->integer == 0 && n == 1) {
			printf(_("%s was not paused\n"), names[i]);
		} else
			printf(ngettext("%s resumed; %lld held reminder goes "
			    "out as soon as a daemon runs\n", "%s resumed; "
			    "%lld held reminders go out as soon as a daemon "
			    "runs\n", (unsigned long)r->element[1]->integer),
			    names[i], r->element[1]->integer);
		freeReplyObject(r);
	}
	redisFree(rc);
	free(names);
	return rv;
}

/* status: the paused channels, why, by whom, until when, and held. */
void
cli_print_pauses(struct cli *cl, redisContext *rc)
{
	const struct keys	*k = &cl->keys;
	redisReply		*r, *h;
	json_t			*o;
	size_t			 i, j;
	long long		 held;
	char			 since[48], until[48];

	r = redisCommand(rc, "HGETALL %s", k->pauses);
	h = redisCommand(rc, "HVALS %s", k->held);
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements;
	    i += 2) {
		if ((o = json_loads(r->element[i + 1]->str, 0, NULL)) == NULL) {
			printf(_("paused %s (unreadable: %s)\n"),
			    r->element[i]->str, r->element[i + 1]->str);
			continue;
		}
		for (j = 0, held = 0; h && h->type == REDIS_REPLY_ARRAY &&
		    j < h->elements; j++)
			held += strcmp(h->element[j]->str,
			    r->element[i]->str) == 0;
		cli_time(cl, rc, json_integer_value(json_object_get(o, "at")),
		    since, sizeof(since));
		if (json_integer_value(json_object_get(o, "until")) > 0)
			cli_time(cl, rc, json_integer_value(json_object_get(o,
			    "until")), until, sizeof(until));
		else
			snprintf(until, sizeof(until), "%s",
			    _("resumed by hand"));
		printf(ngettext("paused %s since %s until %s, by %s: %s; "
		    "%lld reminder held\n", "paused %s since %s until %s, by "
		    "%s: %s; %lld reminders held\n", (unsigned long)held),
		    r->element[i]->str, since, until,
		    json_string_value(json_object_get(o, "by")) ?
		    json_string_value(json_object_get(o, "by")) : "?",
		    json_string_value(json_object_get(o, "reason")) &&
		    *json_string_value(json_object_get(o, "reason")) ?
		    json_string_value(json_object_get(o, "reason")) :
		    _("no reason given"), held);
		json_decref(o);
	}
	freeReplyObject(r);
	freeReplyObject(h);
}
