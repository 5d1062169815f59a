/* nhacviec zalo token set|status: the OA refresh token, stored where the daemon reads it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "pause.h"
#include "xmalloc.h"
#include "zalo.h"

static const struct config_channel *
zalo_channel(const struct config *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nchannels; i++)
		if (c->channels[i].type == CHANNEL_ZALO &&
		    (name == NULL || strcmp(c->channels[i].name, name) == 0))
			return &c->channels[i];
	return NULL;
}

/* An instant in the plan's time zone, "-" for none. */
static void
zalo_when(struct cli *cl, redisContext *rc, int64_t ms, char *buf, size_t len)
{
	if (ms <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	cli_time(cl, rc, ms, buf, len);
}

/* Read one line from stdin, without echo on a terminal. */
static char *
zalo_read_token(void)
{
	struct termios	 t, quiet;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	int		 tty = isatty(0) && tcgetattr(0, &t) == 0;

	if (tty) {
		fprintf(stderr, "%s", _("Zalo OA refresh token: "));
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSANOW, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(0, TCSANOW, &t);
		fprintf(stderr, "\n");
	}
	if (n <= 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
	    line[n - 1] == ' '))
		line[--n] = '\0';
	if (n == 0) {
		free(line);
		return NULL;
	}
	return line;
}

static int
zalo_set(const struct config *c, const struct keys *k,
    const struct config_channel *ch, const struct zalo_settings *set)
{
	struct zalo_token	 t;
	redisContext		*rc;
	redisReply		*r;
	char			 err[400], now_s[24];
	int64_t			 now = clock_now_ms();

	memset(&t, 0, sizeof(t));
	if ((t.refresh_token = zalo_read_token()) == NULL) {
		fprintf(stderr, _("nhacviec: no refresh token on standard "
		    "input\n"));
		return EX_USAGE;
	}
	t.refresh_issued_at = now;
	t.updated_at = now;
	t.status = xstrdup("ok");
	if ((rc = cli_connect(c)) == NULL) {
		zalo_token_clear(&t);
		return EX_UNAVAILABLE;
	}
	/* The file first (the daemon's own copy), then Redis for every instance. */
	if (zalo_token_write_file(set->state_file, &t, err, sizeof(err)) == -1)
		fprintf(stderr, _("nhacviec: warning: %s (Redis still gets "
		    "it)\n"), err);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	{
		const char *argv[] = { "HSET", k->zalo_token, "refresh_token",
		    t.refresh_token, "access_token", "", "access_expires_at",
		    "0", "refresh_issued_at", now_s, "updated_at", now_s,
		    "status", "ok", "reason", "" };

		r = redisCommandArgv(rc, 16, argv, NULL);
	}
	zalo_token_clear(&t);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		fprintf(stderr, _("nhacviec: writing %s failed: %s\n"),
		    k->zalo_token, r ? r->str : rc->errstr);
		freeReplyObject(r);
		redisFree(rc);
		return EX_UNAVAILABLE;
	}
	freeReplyObject(r);
	/* A new token lifts the channel's pause; what it held is due. */
	{
		struct pause_call	pc;
		char			who[300];

		cli_who(who, sizeof(who), "nhacviec zalo token set");
		pause_resume_prepare(&pc, ch->name, 0, who, clock_now_ms());
		r = cli_script(rc, k, SCRIPT_RESUME, pc.argc, pc.argv);
		freeReplyObject(r);
	}
	redisFree(rc);
	printf(_("stored the refresh token for channel %s in %s and %s; "
	    "running daemons resume it\n"), ch->name, set->state_file,
	    k->zalo_token);
	return 0;
}

static int
zalo_status(struct cli *cl, const struct config_channel *ch,
    const struct zalo_settings *set)
{
	const struct keys	*k = &cl->keys;
	struct zalo_token	 f, t;
	redisContext		*rc;
	redisReply		*r;
	char			 err[400], a[48], b[48], u[48];
	char			**pairs;
	size_t			 i;
	int			 have_f, have_r = 0;

	have_f = zalo_token_read_file(set->state_file, &f, err,
	    sizeof(err)) == 0;
	rc = cli_connect(cl->conf);
	printf(_("channel %s (app %s)\n"), ch->name, ch->zalo.app_id);
	if (have_f) {
		zalo_when(cl, rc, f.access_expires_at, a, sizeof(a));
		zalo_when(cl, rc, f.refresh_issued_at, b, sizeof(b));
		zalo_when(cl, rc, f.updated_at, u, sizeof(u));
		printf(_("  file %s: access token %s until %s; refresh token "
		    "issued %s (good about 3 months); updated %s; %s%s%s\n"),
		    set->state_file, f.access_token ? _("present") :
		    _("none"),
		    a, b, u, f.status ? f.status : "ok",
		    f.reason && *f.reason ? ": " : "",
		    f.reason ? f.reason : "");
		zalo_token_clear(&f);
	} else
		printf(_("  file: %s\n"), err);
	if (rc != NULL) {
		r = redisCommand(rc, "HGETALL %s", k->zalo_token);
		if (r && r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
			pairs = calloc(r->elements, sizeof(*pairs));
			for (i = 0; pairs && i < r->elements; i++)
				pairs[i] = r->element[i]->str;
			have_r = pairs && zalo_token_from_pairs(&t, pairs,
			    r->elements) == 0;
			free(pairs);
		}
		freeReplyObject(r);
	}
	if (have_r) {
		zalo_when(cl, rc, t.access_expires_at, a, sizeof(a));
		zalo_when(cl, rc, t.refresh_issued_at, b, sizeof(b));
		zalo_when(cl, rc, t.updated_at, u, sizeof(u));
		printf(_("  redis %s: access token %s until %s; refresh token "
		    "issued %s; updated %s; %s%s%s\n"), k->zalo_token,
		    t.access_token ? _("present") : _("none"), a, b, u,
		    t.status ? t.status : "ok",
		    t.reason && *t.reason ? ": " : "",
		    t.reason ? t.reason : "");
		zalo_token_clear(&t);
	} else
		printf(_("  redis %s: no token\n"), k->zalo_token);
	redisFree(rc);
	return have_f || have_r ? 0 : EX_UNAVAILABLE;
}

int
cmd_zalo(struct cli *cl, int argc, char **argv)
{
	const struct config		*c = cl->conf;
	const struct keys		*k = &cl->keys;
	static const struct option longopts[] = {
		{ "channel", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const struct config_channel	*ch;
	struct zalo_settings		 set;
	const char			*name = NULL;
	char				 err[300];
	int				 o, rc;

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		if (o != 'c')
			return EX_USAGE;
		name = optarg;
	}
	if (strcmp(argv[optind], "token") != 0)
		return cli_usage(cl, NULL);
	if ((ch = zalo_channel(c, name)) == NULL) {
		if (name != NULL)
			fprintf(stderr, _("nhacviec: no zalo channel named %s "
			    "in %s\n"), name, c->path);
		else
			fprintf(stderr, _("nhacviec: no zalo channel in %s\n"),
			    c->path);
		return EX_CONFIG;
	}
	if (zalo_settings_get(&ch->zalo, &set, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s:%u: [channel %s]: %s\n", c->path, ch->line,
		    ch->name, err);
		return EX_CONFIG;
	}
	if (strcmp(argv[optind + 1], "set") == 0)
		rc = zalo_set(c, k, ch, &set);
	else if (strcmp(argv[optind + 1], "status") == 0)
		rc = zalo_status(cl, ch, &set);
	else {
		zalo_settings_clear(&set);
		return cli_usage(cl, "'%s': set or status", argv[optind + 1]);
	}
	zalo_settings_clear(&set);
	return rc;
}
