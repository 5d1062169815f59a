/* nhacviec send: an ad-hoc notice through the same outbox, ledger and rules as any reminder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "fileio.h"
#include "planstore.h"

/* The notice's text: standard input, its last line ends dropped. */
static char *
send_read_text(void)
{
	char	*buf, err[200];
	size_t	 len;

	if (file_read_fd(STDIN_FILENO, FILE_TEXT, FILE_MAX_TEMPLATE, &buf, &len,
	    err, sizeof(err)) == -1) {
		fprintf(stderr, _("nhacviec: send: standard input: %s\n"), err);
		return NULL;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return buf;
}

/* The agency's field from {p}:agency:ID, or NULL. */
static const char *
send_field(redisReply *r, const char *name)
{
	size_t	i;

	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements;
	    i += 2)
		if (strcmp(r->element[i]->str, name) == 0 &&
		    *r->element[i + 1]->str)
			return r->element[i + 1]->str;
	return NULL;
}

/*
 * One notice to one agency, its id on stdout: 0, EX_DATAERR when the agency
 * is not in the loaded plan or lacks the channel's contact (said why), or
 * EX_UNAVAILABLE.
 */
static int
send_one(struct cli *cl, redisContext *rc, const struct config_channel *ch,
    const char *agency, const char *title, const char *text, int64_t now)
{
	const struct keys	*k = &cl->keys;
	redisReply		*a, *r;
	const char		*contact;
	char			*id = NULL, *payload, at[24];
	int			 rv = 0;

	a = redisCommand(rc, "HGETALL %s%s:%s", k->base, "agency", agency);
	if (a == NULL || a->type != REDIS_REPLY_ARRAY || a->elements == 0) {
		fprintf(stderr, _("nhacviec: send: no agency %s in the loaded "
		    "plan (%sagency:%s); `nhacviec load` first\n"), agency,
		    k->base, agency);
		freeReplyObject(a);
		return EX_DATAERR;
	}
	contact = ch->contact ? send_field(a, ch->contact) : NULL;
	if (ch->contact && contact == NULL) {
		fprintf(stderr, _("nhacviec: send: agency %s has no %s for "
		    "channel %s\n"), agency, ch->contact, ch->name);
		freeReplyObject(a);
		return EX_DATAERR;
	}
	payload = planstore_adhoc(cli_plan_view(cl, rc), &id, agency,
	    send_field(a, "name"), send_field(a, "head"), contact, ch->name,
	    title, text, now);
	freeReplyObject(a);
	if (payload == NULL) {
		fprintf(stderr, _("nhacviec: send: out of memory\n"));
		free(id);
		return EX_UNAVAILABLE;
	}
	snprintf(at, sizeof(at), "%lld", (long long)now);
	{
		const char *av[] = { id, at, payload };

		r = cli_script(rc, k, SCRIPT_ENQUEUE, 3, av);
	}
	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		fprintf(stderr, "nhacviec: send: %s\n", r == NULL ? rc->errstr :
		    r->type == REDIS_REPLY_ERROR ? r->str : _("odd reply"));
		rv = EX_UNAVAILABLE;
	} else
		printf("%s\n", id);
	freeReplyObject(r);
	free(payload);
	free(id);
	return rv;
}

/* Is id an agency of the loaded plan ({p}:agency:ID)? */
static int
send_is_agency(const struct cli *cl, redisContext *rc, const char *id)
{
	redisReply	*r;
	int		 yes;

	r = redisCommand(rc, "EXISTS %s%s:%s", cl->keys.base, "agency", id);
	yes = r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer > 0;
	freeReplyObject(r);
	return yes;
}

int
cmd_send(struct cli *cl, int argc, char **argv)
{
	const struct config		*c = cl->conf;
	static const struct option longopts[] = {
		{ "agency", required_argument, NULL, 'a' },
		{ "channel", required_argument, NULL, 'c' },
		{ "title", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const struct config_channel	*ch;
	const struct plan_agency	**members = NULL;
	const struct plan		*p;
	const char			*agency = NULL, *chan = NULL;
	const char			*title = "Thông báo";
	redisContext			*rc;
	char				*text;
	size_t				 i, n, nbad = 0;
	int				 o, rv = 0, one;
	int64_t				 now = clock_now_ms();

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (o) {
		case 'a':
			agency = optarg;
			break;
		case 'c':
			chan = optarg;
			break;
		case 't':
			title = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (agency == NULL || chan == NULL)
		return cli_usage(cl, "needs --agency and --channel");
	if ((ch = config_channel_find(c, chan)) == NULL) {
		fprintf(stderr, _("nhacviec: no channel %s in %s\n"), chan,
		    c->path);
		return EX_CONFIG;
	}
	if ((text = send_read_text()) == NULL || *text == '\0') {
		free(text);
		fprintf(stderr, _("nhacviec: send: no text on standard "
		    "input\n"));
		return EX_USAGE;
	}
	if ((rc = cli_connect(c)) == NULL) {
		free(text);
		return EX_UNAVAILABLE;
	}
	if (send_is_agency(cl, rc, agency)) {
		rv = send_one(cl, rc, ch, agency, title, text, now);
		goto out;
	}
	/* A group of the loaded plan: one notice to each of its agencies. */
	p = cli_plan_view(cl, rc);
	if (plan_group_find(p, agency) == NULL) {
		fprintf(stderr, _("nhacviec: send: no agency or group %s in "
		    "the loaded plan (%sagency:%s); `nhacviec load` first\n"),
		    agency, cl->keys.base, agency);
		rv = EX_DATAERR;
		goto out;
	}
	if ((n = plan_members(p, agency, &members)) == 0) {
		fprintf(stderr, _("nhacviec: send: group %s has no "
		    "agencies\n"), agency);
		rv = EX_DATAERR;
	}
	for (i = 0; i < n && rv != EX_UNAVAILABLE; i++) {
		if ((one = send_one(cl, rc, ch, members[i]->id, title, text,
		    now)) == EX_DATAERR)
			nbad++;
		else if (one != 0)
			rv = one;
	}
	if (nbad > 0) {
		fprintf(stderr, _("nhacviec: send: group %s: %zu of %zu "
		    "agencies not sent to\n"), agency, nbad, n);
		if (rv == 0)
			rv = EX_DATAERR;
	}
	free(members);
out:
	redisFree(rc);
	free(text);
	return rv;
}
