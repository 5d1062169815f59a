/* The admin command's Redis connection: synchronous, authenticated. */
#include <stdio.h>
#include <stdlib.h>

#include <hiredis/hiredis.h>

#include "cli.h"
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
		r = redisCommand(rc, "AUTH %s", pw);
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
