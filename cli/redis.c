/* The admin command's Redis side: the connection (one Redis, Sentinel or a Cluster's slot), scripts, streams read in chunks, the plan as loaded. */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "cli.h"
#include "cluster.h"
#include "diag.h"
#include "log.h"
#include "plan.h"
#include "planstore.h"
#include "schedule.h"
#include "scripts.h"
#include "secret.h"
#include "xmalloc.h"

/* Where the config says Redis is, for messages. */
static const char *
cli_where(const struct config *c)
{
	if (c->cluster)
		return c->cluster;
	if (c->nsentinels > 0)
		return c->master;
	return c->redis_address ? c->redis_address : "?";
}

/* Log in with the config's password file, if any; -1 after saying why. */
static int
cli_auth(redisContext *rc, const struct config *c)
{
	redisReply	*r;
	char		*pw, err[512];

	if (c->password_file == NULL)
		return 0;
	if (secret_read(c->password_file, &pw, err, sizeof(err)) == -1) {
		fprintf(stderr, "nhacviec: %s\n", err);
		return -1;
	}
	r = c->username ? (redisCommand)(rc, "AUTH %s %s", c->username, pw) :
	    (redisCommand)(rc, "AUTH %s", pw);
	secret_free(pw);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		fprintf(stderr, _("nhacviec: Redis refused AUTH\n"));
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

/* Ask each Sentinel in turn where the master is, and connect there. */
static redisContext *
cli_sentinel_master(const struct config *c, struct timeval tv)
{
	const struct address	*a;
	redisContext		*sc;
	redisReply		*r;
	size_t			 i;

	for (i = 0; i < c->nsentinels; i++) {
		a = &c->sentinel_addrs[i];
		sc = a->path ? redisConnectUnixWithTimeout(a->path, tv) :
		    redisConnectWithTimeout(a->host, a->port, tv);
		if (sc == NULL || sc->err) {
			redisFree(sc);
			continue;
		}
		r = (redisCommand)(sc, "SENTINEL get-master-addr-by-name %s",
		    c->master);
		if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
			redisContext *rc = redisConnectWithTimeout(
			    r->element[0]->str, atoi(r->element[1]->str), tv);

			freeReplyObject(r);
			redisFree(sc);
			return rc;
		}
		freeReplyObject(r);
		redisFree(sc);
	}
	fprintf(stderr, _("nhacviec: no Sentinel of %s named master %s\n"),
	    c->sentinels, c->master);
	return NULL;
}

/*
 * A Cluster: what cli_command needs to follow the slot of the prefix.
 * nhacviec runs one command against one config, so this is set once.
 */
static struct {
	const struct config	*conf;
	int			 slot;		/* -1: not a Cluster */
	struct timeval		 tv;
} cli_cluster = { NULL, -1, { 0, 0 } };

#define CLI_HOPS_MAX		5
#define CLI_TRYAGAIN_MAX	300	/* 100 ms apart */

/* A connection to one node, authenticated; NULL (and why in err). */
static redisContext *
cli_node(const char *host, int port, char *err, size_t len)
{
	redisContext	*rc;

	rc = redisConnectWithTimeout(host, port, cli_cluster.tv);
	if (rc == NULL || rc->err) {
		snprintf(err, len, "%s:%d: %s", host, port,
		    rc ? rc->errstr : "no memory");
		redisFree(rc);
		return NULL;
	}
	redisSetTimeout(rc, (struct timeval){ 10, 0 });
	if (cli_auth(rc, cli_cluster.conf) == -1) {
		redisFree(rc);
		exit(EX_UNAVAILABLE);
	}
	return rc;
}

/* Does this node serve our slot? 1 yes, 0 no (owner says who), -1 error. */
static int
cli_owns(redisContext *rc, const char *here, struct cluster_node *owner,
    char *err, size_t len)
{
	redisReply	*id, *slots;
	int		 rv;

	id = (redisCommand)(rc, "CLUSTER MYID");
	slots = (redisCommand)(rc, "CLUSTER SLOTS");
	if (id == NULL || id->type != REDIS_REPLY_STRING) {
		snprintf(err, len, _("%s is not a Cluster node: %s"), here,
		    id == NULL ? rc->errstr : id->type == REDIS_REPLY_ERROR ?
		    id->str : _("odd reply"));
		rv = -1;
	} else if (cluster_slots_owner(slots, cli_cluster.slot, rc->tcp.host,
	    owner, err, len) == -1)
		rv = -1;
	else if (owner->id[0] != '\0')
		rv = strcmp(owner->id, id->str) == 0;
	else	/* no ids in CLUSTER SLOTS (before Redis 4) */
		rv = owner->port == rc->tcp.port &&
		    strcmp(owner->host, rc->tcp.host) == 0;
	freeReplyObject(id);
	freeReplyObject(slots);
	return rv;
}

/* Ask each seed which master serves the slot, connect there, check. */
static redisContext *
cli_cluster_master(const struct config *c)
{
	const struct address	*a;
	struct cluster_node	 owner;
	redisContext		*rc;
	char			 err[512] = "", here[300];
	size_t			 i;
	int			 hops, own;

	for (i = 0; i < c->ncluster; i++) {
		a = &c->cluster_addrs[i];
		if ((rc = cli_node(a->host, a->port, err, sizeof(err))) ==
		    NULL)
			continue;
		/* Past a few hops, wait between them (see below). */
		for (hops = 0; hops < CLI_HOPS_MAX + CLI_TRYAGAIN_MAX;
		    hops++) {
			if (hops >= CLI_HOPS_MAX)
				usleep(100000);
			snprintf(here, sizeof(here), "%s:%d", rc->tcp.host,
			    rc->tcp.port);
			if ((own = cli_owns(rc, here, &owner, err,
			    sizeof(err))) != 0)
				break;
			redisFree(rc);
			if ((rc = cli_node(owner.host, owner.port, err,
			    sizeof(err))) == NULL)
				break;
		}
		if (rc != NULL && own == 1)
			return rc;
		redisFree(rc);
	}
	fprintf(stderr, _("nhacviec: no node of the Cluster %s serves slot "
	    "%d of prefix %s%s%s\n"), c->cluster, cli_cluster.slot, c->prefix,
	    err[0] ? ": " : "", err);
	return NULL;
}

redisContext *
cli_connect(const struct config *c)
{
	struct timeval	 tv = { c->connect_timeout_ms / 1000,
	    (c->connect_timeout_ms % 1000) * 1000 };
	redisContext	*rc;
	char		 key[KEYS_PREFIX_MAX + 4];

	cli_cluster.conf = c;
	cli_cluster.tv = tv;
	if (c->ncluster > 0) {
		snprintf(key, sizeof(key), "{%s}:", c->prefix);
		cli_cluster.slot = cluster_keyslot(key, strlen(key));
		return cli_cluster_master(c);
	}
	if (c->nsentinels > 0)
		rc = cli_sentinel_master(c, tv);
	else if (c->redis_addr.path)
		rc = redisConnectUnixWithTimeout(c->redis_addr.path, tv);
	else
		rc = redisConnectWithTimeout(c->redis_addr.host,
		    c->redis_addr.port, tv);
	if (rc == NULL || rc->err) {
		fprintf(stderr, _("nhacviec: cannot connect to Redis at %s: "
		    "%s\n"), cli_where(c), rc ? rc->errstr : _("no memory"));
		redisFree(rc);
		return NULL;
	}
	redisSetTimeout(rc, (struct timeval){ 10, 0 });
	if (cli_auth(rc, c) == -1) {
		redisFree(rc);
		return NULL;
	}
	return rc;
}

/*
 * MOVED: the same context, reconnected to the new owner. hiredis 0.14's
 * redisReconnect connects to the context's own tcp.host and tcp.port.
 */
static int
cli_move(redisContext *rc, const struct cluster_node *to)
{
	char	*host;

	if ((host = strdup(to->host)) == NULL)
		return -1;
	free(rc->tcp.host);
	rc->tcp.host = host;
	rc->tcp.port = to->port;
	if (redisReconnect(rc) != REDIS_OK)
		return -1;
	redisSetTimeout(rc, (struct timeval){ 10, 0 });
	if (cli_auth(rc, cli_cluster.conf) == -1)
		exit(EX_UNAVAILABLE);
	return 0;
}

/* One command already in RESP, and its reply (NULL: see rc->errstr). */
static redisReply *
cli_send(redisContext *rc, const char *cmd, size_t len)
{
	void	*r = NULL;

	if (redisAppendFormattedCommand(rc, cmd, len) != REDIS_OK ||
	    redisGetReply(rc, &r) != REDIS_OK)
		return NULL;
	return r;
}

/* ASK: the one command, after ASKING, on the node importing the slot. */
static redisReply *
cli_ask(const struct cluster_node *to, const char *cmd, size_t len)
{
	redisContext	*ac;
	redisReply	*r;
	char		 err[512];

	if ((ac = cli_node(to->host, to->port, err, sizeof(err))) == NULL) {
		fprintf(stderr, "nhacviec: %s\n", err);
		return NULL;
	}
	freeReplyObject((redisCommand)(ac, "ASKING"));
	r = cli_send(ac, cmd, len);
	redisFree(ac);
	return r;
}

/*
 * In a Cluster: MOVED reconnects to the new owner and sends again, ASK
 * sends once to the importing node, TRYAGAIN waits a moment. None of them
 * ran the command, so sending it again does it exactly once. While a slot
 * is handed over, its old and new owners can send us back and forth for a
 * moment (one has heard of the change, the other not yet): past a few
 * hops, each one waits as TRYAGAIN does.
 */
static redisReply *
cli_command_formatted(redisContext *rc, const char *cmd, size_t len)
{
	struct cluster_node	 to;
	redisReply		*r;
	int			 slot, hops = 0, tries = 0;

	for (;;) {
		r = cli_send(rc, cmd, len);
		if (r == NULL || r->type != REDIS_REPLY_ERROR)
			return r;
		switch (cluster_redirect_parse(r->str, rc->tcp.host, &slot,
		    &to)) {
		case CLUSTER_MOVED:
			if (++hops > CLI_HOPS_MAX) {
				if (tries++ >= CLI_TRYAGAIN_MAX)
					return r;
				usleep(100000);
			}
			freeReplyObject(r);
			if (cli_move(rc, &to) == -1)
				return NULL;
			continue;
		case CLUSTER_ASK:
			freeReplyObject(r);
			r = cli_ask(&to, cmd, len);
			if (r == NULL || r->type != REDIS_REPLY_ERROR ||
			    strncmp(r->str, "TRYAGAIN", 8) != 0)
				return r;
			/* FALLTHROUGH */
		case CLUSTER_TRYAGAIN:
			if (tries++ >= CLI_TRYAGAIN_MAX)
				return r;
			freeReplyObject(r);
			usleep(100000);
			continue;
		default:
			return r;
		}
	}
}

redisReply *
cli_command_argv(redisContext *rc, int argc, const char **argv,
    const size_t *argvlen)
{
	redisReply	*r;
	char		*cmd;
	int		 n;

	if (cli_cluster.slot < 0)
		return (redisCommandArgv)(rc, argc, argv, argvlen);
	if ((n = redisFormatCommandArgv(&cmd, argc, argv, argvlen)) < 0)
		return NULL;
	r = cli_command_formatted(rc, cmd, (size_t)n);
	redisFreeCommand(cmd);
	return r;
}

redisReply *
cli_command(redisContext *rc, const char *fmt, ...)
{
	redisReply	*r;
	va_list		 ap;
	char		*cmd;
	int		 n;

	va_start(ap, fmt);
	if (cli_cluster.slot < 0) {
		r = redisvCommand(rc, fmt, ap);
		va_end(ap);
		return r;
	}
	n = redisvFormatCommand(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	r = cli_command_formatted(rc, cmd, (size_t)n);
	redisFreeCommand(cmd);
	return r;
}

redisReply *
cli_script(redisContext *rc, const struct keys *k, enum script_id id,
    int argc, const char **argv)
{
	const char	**full;
	char		  nkeys[8];
	redisReply	 *r;
	int		  n;

	if ((full = calloc(2 + SCRIPT_KEYS_MAX + (size_t)argc,
	    sizeof(*full))) == NULL)
		return NULL;
	full[0] = "EVAL";
	full[1] = scripts[id].source;
	n = script_args(id, k, argc, argv, full + 2, nkeys);
	r = redisCommandArgv(rc, n + 2, full, NULL);
	free(full);
	return r;
}

/* INFO's value of name ("aof_enabled"), or NULL; into buf. */
static const char *
cli_info(const char *info, const char *name, char *buf, size_t len)
{
	const char	*p = info;
	size_t		 n = strlen(name), k;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == info || p[-1] == '\n') && p[n] == ':') {
			p += n + 1;
			k = strcspn(p, "\r\n");
			snprintf(buf, len, "%.*s", (int)k, p);
			return buf;
		}
		p += n;
	}
	return NULL;
}

/*
 * Is this Redis safe to keep reminders in? It must write its changes
 * durably (AOF) and never evict keys; every finding is a warning (exit 0)
 * since the admin may know better, but each says what it costs.
 */
int
cli_check_redis(const struct config *c)
{
	redisContext	*rc;
	redisReply	*r, *f;
	char		 v[64], where[300];
	int		 warned = 0;

	if ((rc = cli_connect(c)) == NULL)
		return EX_UNAVAILABLE;
	snprintf(where, sizeof(where), "%s: [redis] %s", c->path,
	    cli_where(c));
	r = redisCommand(rc, "INFO persistence");
	if (r && r->type == REDIS_REPLY_STRING &&
	    cli_info(r->str, "aof_enabled", v, sizeof(v)) &&
	    strcmp(v, "1") != 0) {
		printf(_("%s warning: Redis has no append-only file "
		    "(appendonly no): after a crash it comes back from its "
		    "last snapshot, and reminders claimed or sent since are "
		    "lost or sent again; set appendonly yes\n"), where);
		warned++;
	}
	freeReplyObject(r);
	r = redisCommand(rc, "CONFIG GET appendfsync");
	if (r && r->type == REDIS_REPLY_ERROR)
		printf(_("%s note: CONFIG GET is not allowed (%s): check "
		    "appendfsync and maxmemory-policy on the Redis host\n"),
		    where, strncmp(r->str, "NOPERM", 6) == 0 ?
		    _("an ACL user without it") : _("renamed or disabled"));
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    (f = r->element[1])->type == REDIS_REPLY_STRING &&
	    strcmp(f->str, "always") != 0) {
		printf(_("%s note: appendfsync %s: a power cut may lose the "
		    "last %s of changes (a reminder may be sent twice, none is "
		    "lost while its outbox entry survives); appendfsync "
		    "always loses nothing\n"), where, f->str,
		    strcmp(f->str, "no") == 0 ? _("30 seconds or so") :
		    _("second"));
	}
	freeReplyObject(r);
	r = redisCommand(rc, "CONFIG GET maxmemory-policy");
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    (f = r->element[1])->type == REDIS_REPLY_STRING &&
	    strcmp(f->str, "noeviction") != 0) {
		printf(_("%s warning: maxmemory-policy %s lets Redis delete "
		    "keys when full, reminders among them; set noeviction\n"),
		    where, f->str);
		warned++;
	}
	freeReplyObject(r);
	redisFree(rc);
	printf(ngettext("%s: Redis checked, %d warning\n",
	    "%s: Redis checked, %d warnings\n", (unsigned long)warned),
	    c->path, warned);
	return 0;
}

struct plan *
cli_plan(redisContext *rc, const struct config *c, const struct keys *k)
{
	struct plan_sources	 ps;
	struct plan		*p;
	struct diag		 d;
	redisReply		*r;
	size_t			 i, n;

	r = redisCommand(rc, "HGETALL %s", k->plan_sources);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
		freeReplyObject(r);
		return NULL;	/* no plan loaded (yet) */
	}
	n = r->elements / 2;
	ps.n = n;
	ps.names = xcalloc(n, sizeof(*ps.names));
	ps.texts = xcalloc(n, sizeof(*ps.texts));
	for (i = 0; i < n; i++) {
		ps.names[i] = r->element[2 * i]->str;
		ps.texts[i] = r->element[2 * i + 1]->str;
	}
	diag_init(&d);
	p = planstore_parse(c, &ps, &d);
	if (p == NULL) {
		diag_print(&d, stderr);
		fprintf(stderr, _("nhacviec: the plan in Redis has errors\n"));
	}
	diag_clear(&d);
	free(ps.names);		/* the strings are the reply's */
	free(ps.texts);
	freeReplyObject(r);
	return p;
}

const struct plan *
cli_plan_view(struct cli *cl, redisContext *rc)
{
	struct diag	 d;
	redisReply	*r = NULL;
	const char	**names = NULL, **texts = NULL;
	size_t		 i, n;

	if (cl->plan != NULL)
		return cl->plan;
	diag_init(&d);
	/* Messages about the plan are check's and load's to give. */
	if (rc != NULL && (r = redisCommand(rc, "HGETALL %s",
	    cl->keys.plan_sources)) != NULL && r->type == REDIS_REPLY_ARRAY &&
	    (n = r->elements / 2) > 0 &&
	    (names = calloc(n, sizeof(*names))) != NULL &&
	    (texts = calloc(n, sizeof(*texts))) != NULL) {
		for (i = 0; i < n; i++) {
			names[i] = r->element[2 * i]->str;
			texts[i] = r->element[2 * i + 1]->str;
		}
		cl->plan = plan_load_texts(names, texts, n, &d);
	}
	free(names);
	free(texts);
	freeReplyObject(r);
	diag_clear(&d);
	if (cl->plan == NULL && cl->conf->plan_files != NULL) {
		diag_init(&d);
		cl->plan = plan_load_glob(cl->conf->plan_files, &d);
		diag_clear(&d);
	}
	if (cl->plan == NULL) {
		diag_init(&d);
		cl->plan = plan_load_texts(NULL, NULL, 0, &d);
		diag_clear(&d);
	}
	if (cl->plan == NULL) {
		fprintf(stderr, _("nhacviec: out of memory\n"));
		exit(EX_UNAVAILABLE);
	}
	return cl->plan;
}

void
cli_time(struct cli *cl, redisContext *rc, int64_t ms, char *buf, size_t len)
{
	schedule_format_iso(cli_plan_view(cl, rc), ms, buf, len);
}

/* The stream id just after id ("5-1" after "5-0"), into buf. */
static int
cli_next_id(const char *id, char *buf, size_t len)
{
	unsigned long long	ms, seq;
	char			*end;

	ms = strtoull(id, &end, 10);
	if (*end != '-')
		return -1;
	seq = strtoull(end + 1, &end, 10);
	if (*end != '\0')
		return -1;
	if (seq == ~0ULL) {
		ms++;
		seq = 0;
	} else
		seq++;
	snprintf(buf, len, "%llu-%llu", ms, seq);
	return 0;
}

int
cli_stream_each(redisContext *rc, const char *key,
    void (*fn)(void *, const char *const *, size_t), void *arg)
{
	return cli_stream_range(rc, key, "-", "+", fn, arg);
}

/* What cli_stream_range's callers get, without the entry id. */
struct cli_fields_only {
	void	(*fn)(void *, const char *const *, size_t);
	void	*arg;
};

static void
cli_fields_only(void *arg, const char *id, const char *const *fields,
    size_t n)
{
	struct cli_fields_only	*f = arg;

	(void)id;
	f->fn(f->arg, fields, n);
}

int
cli_stream_range(redisContext *rc, const char *key, const char *from,
    const char *to, void (*fn)(void *, const char *const *, size_t),
    void *arg)
{
	struct cli_fields_only	f = { fn, arg };

	return cli_stream_entries(rc, key, from, to, cli_fields_only, &f);
}

int
cli_stream_entries(redisContext *rc, const char *key, const char *from,
    const char *to, void (*fn)(void *, const char *, const char *const *,
    size_t), void *arg)
{
	redisReply	 *r, *e, *f;
	const char	**fields = NULL, **nf;
	char		  start[48];
	size_t		  i, j, cap = 0;
	int		  rv = 0;

	snprintf(start, sizeof(start), "%s", from);
	for (;;) {
		r = redisCommand(rc, "XRANGE %s %s %s COUNT 1000", key, start,
		    to);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
			fprintf(stderr, _("nhacviec: reading %s failed: %s\n"),
			    key, r == NULL ? rc->errstr :
			    r->type == REDIS_REPLY_ERROR ? r->str :
			    _("odd reply"));
			freeReplyObject(r);
			rv = -1;
			break;
		}
		for (i = 0; i < r->elements; i++) {
			e = r->element[i];
			if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
			    e->element[0]->type != REDIS_REPLY_STRING ||
			    (f = e->element[1])->type != REDIS_REPLY_ARRAY)
				continue;
			if (f->elements > cap) {
				if ((nf = reallocarray(fields, f->elements,
				    sizeof(*fields))) == NULL) {
					fprintf(stderr, _("nhacviec: out of "
					    "memory\n"));
					freeReplyObject(r);
					free(fields);
					return -1;
				}
				fields = nf;
				cap = f->elements;
			}
			for (j = 0; j < f->elements; j++)
				fields[j] = f->element[j]->type ==
				    REDIS_REPLY_STRING ? f->element[j]->str : "";
			fn(arg, e->element[0]->str, fields, f->elements);
		}
		if (r->elements < 1000 || (e = r->element[r->elements - 1])->
		    type != REDIS_REPLY_ARRAY || e->elements != 2 ||
		    e->element[0]->type !=
		    REDIS_REPLY_STRING || cli_next_id(e->element[0]->str,
		    start, sizeof(start)) == -1) {
			freeReplyObject(r);
			break;
		}
		freeReplyObject(r);
	}
	free(fields);
	return rv;
}

void
cli_who(char *buf, size_t len, const char *what)
{
	const char	*user = getenv("SUDO_USER");
	struct passwd	*pw;
	char		 host[128];

	if (user == NULL && (pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	snprintf(buf, len, "%s@%s (%s)", user ? user : "?", host, what);
}
