/* The admin command's Redis side: the connection, scripts, streams read in chunks, the plan as loaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "cli.h"
#include "diag.h"
#include "log.h"
#include "plan.h"
#include "planstore.h"
#include "schedule.h"
#include "scripts.h"
#include "secret.h"

/* A synchronous connection for the admin command, authenticated. */
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
		r = redisCommand(sc, "SENTINEL get-master-addr-by-name %s",
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
	fprintf(stderr, "nhacviec: no Sentinel of %s named master %s\n",
	    c->sentinels, c->master);
	return NULL;
}

redisContext *
cli_connect(const struct config *c)
{
	struct timeval	 tv = { c->connect_timeout_ms / 1000,
	    (c->connect_timeout_ms % 1000) * 1000 };
	redisContext	*rc;
	redisReply	*r;
	char		*pw, err[512];

	if (c->nsentinels > 0)
		rc = cli_sentinel_master(c, tv);
	else if (c->redis_addr.path)
		rc = redisConnectUnixWithTimeout(c->redis_addr.path, tv);
	else
		rc = redisConnectWithTimeout(c->redis_addr.host,
		    c->redis_addr.port, tv);
	if (rc == NULL || rc->err) {
		fprintf(stderr, "nhacviec: cannot connect to Redis at %s: "
		    "%s\n", c->redis_address ? c->redis_address : c->master,
		    rc ? rc->errstr : "no memory");
		redisFree(rc);
		return NULL;
	}
	redisSetTimeout(rc, (struct timeval){ 10, 0 });
	if (c->password_file) {
		if (secret_read(c->password_file, &pw, err, sizeof(err)) ==
		    -1) {
			fprintf(stderr, "nhacviec: %s\n", err);
			redisFree(rc);
			return NULL;
		}
		r = c->username ? redisCommand(rc, "AUTH %s %s", c->username,
		    pw) : redisCommand(rc, "AUTH %s", pw);
		secret_free(pw);
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			fprintf(stderr, "nhacviec: Redis refused AUTH\n");
			freeReplyObject(r);
			redisFree(rc);
			return NULL;
		}
		freeReplyObject(r);
	}
	return rc;
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
	    c->redis_address ? c->redis_address : c->master);
	r = redisCommand(rc, "INFO persistence");
	if (r && r->type == REDIS_REPLY_STRING &&
	    cli_info(r->str, "aof_enabled", v, sizeof(v)) &&
	    strcmp(v, "1") != 0) {
		printf("%s warning: Redis has no append-only file "
		    "(appendonly no): after a crash it comes back from its "
		    "last snapshot, and reminders claimed or sent since are "
		    "lost or sent again; set appendonly yes\n", where);
		warned++;
	}
	freeReplyObject(r);
	r = redisCommand(rc, "CONFIG GET appendfsync");
	if (r && r->type == REDIS_REPLY_ERROR)
		printf("%s note: CONFIG GET is not allowed (%s): check "
		    "appendfsync and maxmemory-policy on the Redis host\n",
		    where, strncmp(r->str, "NOPERM", 6) == 0 ?
		    "an ACL user without it" : "renamed or disabled");
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    (f = r->element[1])->type == REDIS_REPLY_STRING &&
	    strcmp(f->str, "always") != 0) {
		printf("%s note: appendfsync %s: a power cut may lose the last "
		    "%s of changes (a reminder may be sent twice, none is "
		    "lost while its outbox entry survives); appendfsync "
		    "always loses nothing\n", where, f->str,
		    strcmp(f->str, "no") == 0 ? "30 seconds or so" :
		    "second");
	}
	freeReplyObject(r);
	r = redisCommand(rc, "CONFIG GET maxmemory-policy");
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    (f = r->element[1])->type == REDIS_REPLY_STRING &&
	    strcmp(f->str, "noeviction") != 0) {
		printf("%s warning: maxmemory-policy %s lets Redis delete keys "
		    "when full, reminders among them; set noeviction\n",
		    where, f->str);
		warned++;
	}
	freeReplyObject(r);
	redisFree(rc);
	printf("%s: Redis checked, %d warning%s\n", c->path, warned,
	    warned == 1 ? "" : "s");
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
	ps.names = calloc(n, sizeof(*ps.names));
	ps.texts = calloc(n, sizeof(*ps.texts));
	if (ps.names == NULL || ps.texts == NULL)
		fatal("calloc");
	for (i = 0; i < n; i++) {
		ps.names[i] = r->element[2 * i]->str;
		ps.texts[i] = r->element[2 * i + 1]->str;
	}
	diag_init(&d);
	p = planstore_parse(c, &ps, &d);
	if (p == NULL) {
		diag_print(&d, stderr);
		fprintf(stderr, "nhacviec: the plan in Redis has errors\n");
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
		fprintf(stderr, "nhacviec: out of memory\n");
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

int
cli_stream_range(redisContext *rc, const char *key, const char *from,
    const char *to, void (*fn)(void *, const char *const *, size_t),
    void *arg)
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
			fprintf(stderr, "nhacviec: reading %s failed: %s\n",
			    key, r == NULL ? rc->errstr :
			    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
			freeReplyObject(r);
			rv = -1;
			break;
		}
		for (i = 0; i < r->elements; i++) {
			e = r->element[i];
			if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
			    (f = e->element[1])->type != REDIS_REPLY_ARRAY)
				continue;
			if (f->elements > cap) {
				if ((nf = reallocarray(fields, f->elements,
				    sizeof(*fields))) == NULL) {
					fprintf(stderr, "nhacviec: out of "
					    "memory\n");
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
			fn(arg, fields, f->elements);
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
