/* One Redis connection on the loop: hiredis async, our own watchdogs, reconnect with back-off, Lua scripts (a Cluster in store_cluster.c, Sentinels in store_sentinel.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>

#include "log.h"
#include "store_priv.h"
#include "xmalloc.h"

#define STORE_BACKOFF_MIN_MS	250
#define STORE_BACKOFF_MAX_MS	30000

static void	store_connect(struct store *);
static void	store_lost(struct store *, const char *why);
static int	store_eval(struct store_call *, const char *script);

void
store_watch_arm(struct store *s, int64_t ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(s->watch_ev, &tv);
}

struct store_call *
store_call_new(struct store *s, store_reply_cb *cb, void *arg)
{
	struct store_call	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	c->script = -1;
	return c;
}

void
store_call_free(struct store_call *c)
{
	redisFreeCommand(c->cmd);
	free(c);
}

/* The caller hears that its command was lost (it is never sent). */
void
store_call_fail(struct store_call *c)
{
	if (c->cb)
		c->cb(c->arg, NULL);
	store_call_free(c);
}

/* "*N\r\n" or "$N\r\n" at p; returns the end. */
static char *
store_resp_len(char *p, char kind, size_t v)
{
	char	d[24];
	size_t	n = 0;

	*p++ = kind;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		*p++ = d[--n];
	*p++ = '\r';
	*p++ = '\n';
	return p;
}

/*
 * The command in Redis's protocol, as redisFormatCommandArgv writes it
 * but without a printf per argument (a complete call has over a thousand).
 * NUL-terminated, as hiredis reads it (the command's name with strchr);
 * allocated with malloc: hiredis 0.14's redisFreeCommand is free().
 */
int
store_format(struct store_call *c, int argc, const char **argv,
    const size_t *argvlen)
{
	char	*cmd, *p;
	size_t	 len, total = 1 + 20 + 2 + 1, i;

	if (argc < 0)
		return -1;
	for (i = 0; i < (size_t)argc; i++) {
		len = argvlen ? argvlen[i] : strlen(argv[i]);
		total += 1 + 20 + 2 + len + 2;
	}
	if ((cmd = malloc(total)) == NULL)
		return -1;
	p = store_resp_len(cmd, '*', (size_t)argc);
	for (i = 0; i < (size_t)argc; i++) {
		len = argvlen ? argvlen[i] : strlen(argv[i]);
		p = store_resp_len(p, '$', len);
		memcpy(p, argv[i], len);
		p += len;
		*p++ = '\r';
		*p++ = '\n';
	}
	*p = '\0';
	redisFreeCommand(c->cmd);
	c->cmd = cmd;
	c->len = (size_t)(p - cmd);
	return 0;
}

/* The command text is not needed again: gone, and a password with it. */
void
store_forget(struct store_call *c)
{
	if (c->cmd == NULL)
		return;
	explicit_bzero(c->cmd, c->len);
	redisFreeCommand(c->cmd);
	c->cmd = NULL;
}

/*
 * Send c: on the connection, or (asked) with ASKING just before it on the
 * connection to the node importing the slot. Outside a Cluster the command
 * text is not kept: nothing is ever sent twice from it.
 */
int
store_post(struct store *s, struct store_call *c)
{
	redisAsyncContext	*ac = c->asked ? s->ask : s->ac;

	if (ac == NULL || (!c->asked && !s->connected))
		return -1;
	if (c->asked && redisAsyncCommand(ac, NULL, NULL, "ASKING") !=
	    REDIS_OK)
		return -1;
	if (redisAsyncFormattedCommand(ac, store_reply, c, c->cmd, c->len) !=
	    REDIS_OK)
		return -1;
	if (s->slot < 0 && c->script < 0)
		store_forget(c);
	if (s->outstanding++ == 0)
		store_watch_arm(s, s->p.reply_timeout_ms);
	return 0;
}

/* AUTH [username] password: an ACL user, or the default. Returns argc. */
int
store_auth_argv(const struct store *s, const char *argv[3])
{
	argv[0] = "AUTH";
	if (s->p.username == NULL) {
		argv[1] = s->password;
		return 2;
	}
	argv[1] = s->p.username;
	argv[2] = s->password;
	return 3;
}

/*
 * A command of the store's own (AUTH, checks, SCRIPT LOAD), never sent
 * twice; -1 if not sent.
 */
int
store_own(struct store *s, store_reply_cb *cb, int argc, const char **argv)
{
	struct store_call	*c;

	if ((c = store_call_new(s, cb, s)) == NULL)
		fatal("calloc");
	if (store_format(c, argc, argv, NULL) == -1 ||
	    store_post(s, c) == -1) {
		store_forget(c);
		store_call_free(c);
		return -1;
	}
	store_forget(c);
	return 0;
}

/* Commands between MULTI and EXEC are one: none is redirected alone. */
static void
store_multi(struct store *s, struct store_call *c, const char *verb,
    size_t n)
{
	if (n == 5 && strncasecmp(verb, "MULTI", 5) == 0)
		s->in_multi = 1;
	c->raw = s->in_multi;
	if ((n == 4 && strncasecmp(verb, "EXEC", 4) == 0) ||
	    (n == 7 && strncasecmp(verb, "DISCARD", 7) == 0))
		s->in_multi = 0;
}

void
store_reply(redisAsyncContext *ac, void *r, void *priv)
{
	struct store_call	*c = priv;
	struct store		*s = c->s;
	redisReply		*reply = r;
	int			 rc;

	(void)ac;
	if (s->outstanding > 0)
		s->outstanding--;
	if (reply != NULL && s->ac != NULL) {
		if (s->outstanding > 0)
			store_watch_arm(s, s->p.reply_timeout_ms);
		else
			evtimer_del(s->watch_ev);
	}
	if (reply && reply->type == REDIS_REPLY_ERROR && s->slot >= 0) {
		if ((rc = store_cluster_redirect(s, c, reply)) == 0)
			return;
		/* Leaving this node: the caller tries again once up. */
		if (rc == 1 || s->draining)
			reply = NULL;
	}
	/* After a failover or restart the script cache is empty: EVAL it. */
	if (reply && reply->type == REDIS_REPLY_ERROR && c->script >= 0 &&
	    c->cmd != NULL && strncmp(reply->str, "NOSCRIPT", 8) == 0) {
		if (store_eval(c, s->p.scripts[c->script]) == 0 &&
		    store_post(s, c) == 0)
			return;
		reply = NULL;
	}
	if (c->cb)
		c->cb(c->arg, reply);
	store_call_free(c);
}

/* Takes ownership of c; -1 when not sent (c freed, the callback not called). */
static int
store_start(struct store *s, struct store_call *c, const char *verb,
    size_t n)
{
	store_multi(s, c, verb, n);
	if (store_post(s, c) == -1) {
		store_call_free(c);
		return -1;
	}
	return 0;
}

int
store_command(struct store *s, store_reply_cb *cb, void *arg, int argc,
    const char **argv, const size_t *argvlen)
{
	struct store_call	*c;

	if (!store_is_up(s) || argc < 1)
		return -1;
	if ((c = store_call_new(s, cb, arg)) == NULL)
		return -1;
	if (store_format(c, argc, argv, argvlen) == -1) {
		store_call_free(c);
		return -1;
	}
	return store_start(s, c, argv[0], argvlen ? argvlen[0] :
	    strlen(argv[0]));
}

int
store_commandf(struct store *s, store_reply_cb *cb, void *arg,
    const char *fmt, ...)
{
	struct store_call	*c;
	va_list			 ap;
	char			*cmd;
	int			 n;

	if (!store_is_up(s))
		return -1;
	va_start(ap, fmt);
	n = redisvFormatCommand(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((c = store_call_new(s, cb, arg)) == NULL) {
		redisFreeCommand(cmd);
		return -1;
	}
	c->cmd = cmd;
	c->len = (size_t)n;
	return store_start(s, c, fmt, strcspn(fmt, " "));
}

/* The length of the bulk string at p ("$N\r\n...\r\n"), all of it. */
static size_t
store_bulk_len(const char *p)
{
	char	*end;
	size_t	 n = strtoul(p + 1, &end, 10);

	return (size_t)(end - p) + 2 + n + 2;
}

/*
 * A script call turned from EVALSHA into EVAL with the script's text: its
 * arguments, formatted once, are kept as they are.
 */
static int
store_eval(struct store_call *c, const char *script)
{
	size_t	 slen = strlen(script), args = c->len - c->args, count;
	char	*cmd, *p;

	count = strtoul(c->cmd + 1, NULL, 10);
	if ((cmd = malloc(3 * 24 + 6 + slen + 2 + args + 1)) == NULL)
		return -1;
	p = store_resp_len(cmd, '*', count);
	p = store_resp_len(p, '$', 4);
	memcpy(p, "EVAL\r\n", 6);
	p += 6;
	p = store_resp_len(p, '$', slen);
	memcpy(p, script, slen);
	p += slen;
	*p++ = '\r';
	*p++ = '\n';
	memcpy(p, c->cmd + c->args, args);
	p += args;
	*p = '\0';
	redisFreeCommand(c->cmd);
	c->cmd = cmd;
	c->len = (size_t)(p - cmd);
	c->script = -1;
	c->args = 0;
	return 0;
}

int
store_script(struct store *s, int n, store_reply_cb *cb, void *arg,
    int argc, const char **argv)
{
	struct store_call	*c;
	const char		**full, *p;
	int			 i, total = argc + 2;

	if (!store_is_up(s) || n < 0 || n >= s->nscripts)
		return -1;
	if ((c = store_call_new(s, cb, arg)) == NULL)
		return -1;
	if ((full = calloc(total, sizeof(*full))) == NULL) {
		store_call_free(c);
		return -1;
	}
	full[0] = "EVALSHA";
	full[1] = s->sha[n];
	for (i = 0; i < argc; i++)
		full[i + 2] = argv[i];
	if (store_format(c, total, full, NULL) == -1) {
		free(full);
		store_call_free(c);
		return -1;
	}
	free(full);
	/* The text is kept for NOSCRIPT: its arguments follow the digest. */
	c->script = n;
	p = strchr(c->cmd, '\n') + 1;
	p += store_bulk_len(p);
	p += store_bulk_len(p);
	c->args = (size_t)(p - c->cmd);
	return store_start(s, c, "EVALSHA", 7);
}

int
store_is_up(const struct store *s)
{
	return s->up && !s->draining && s->ac != NULL;
}

static void
store_retry_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	store_connect(arg);
}

/* Schedule the next connect; log once for this step of the back-off. */
void
store_schedule(struct store *s, const char *why)
{
	struct timeval	tv;

	if (s->backoff_ms == 0)
		s->backoff_ms = STORE_BACKOFF_MIN_MS;
	log_warnx("redis %s: %s at %s; retrying in %.1fs", s->p.name, why,
	    s->where, (double)s->backoff_ms / 1000);
	tv.tv_sec = s->backoff_ms / 1000;
	tv.tv_usec = (s->backoff_ms % 1000) * 1000;
	evtimer_add(s->retry_ev, &tv);
	s->backoff_ms *= 2;
	if (s->backoff_ms > STORE_BACKOFF_MAX_MS)
		s->backoff_ms = STORE_BACKOFF_MAX_MS;
}

/* The context is dead or dying: forget it, tell the owner, reconnect later. */
static void
store_lost(struct store *s, const char *why)
{
	struct timeval		 now = { 0, 0 };
	int			 was_up = s->up;

	s->ac = NULL;
	s->up = 0;
	s->connected = 0;
	s->outstanding = 0;
	s->draining = 0;
	s->in_multi = 0;
	evtimer_del(s->watch_ev);
	evtimer_del(s->drop_ev);
	store_cluster_reset(s);
	if (was_up && s->p.down)
		s->p.down(s->p.arg);
	/* Redirected: straight to the node named, a few times in a row. */
	if (s->hop && s->hops < STORE_HOPS_MAX) {
		s->hop = 0;
		s->hops++;
		log_info("redis %s: %s; connecting there", s->p.name, why);
		evtimer_add(s->retry_ev, &now);
		return;
	}
	s->hop = 0;
	s->have_owner = 0;	/* ask the seeds again */
	store_schedule(s, why);
}

void
store_ready_check(struct store *s)
{
	if (s->nloading > 0 || s->nchecks > 0 || s->up || s->draining)
		return;
	s->up = 1;
	s->backoff_ms = 0;
	s->hops = 0;
	if (s->slot >= 0)
		log_info("redis %s: connected to %s, the master of slot %d",
		    s->p.name, s->where, s->slot);
	else
		log_info("redis %s: connected to %s", s->p.name, s->where);
	if (s->p.up)
		s->p.up(s->p.arg);
}

/* Drop the connection on the next loop pass, never inside hiredis. */
void
store_drop_later(struct store *s, const char *why)
{
	struct timeval	tv = { 0, 0 };

	if (s->draining)
		return;
	s->draining = 1;
	snprintf(s->drop_why, sizeof(s->drop_why), "%s", why);
	evtimer_add(s->drop_ev, &tv);
}

static void
store_auth_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	if (r && r->type == REDIS_REPLY_ERROR) {
		log_err("redis %s: AUTH refused: %s", s->p.name, r->str);
		store_drop_later(s, "authentication failed");
	}
}

/* Replies come in order: the n-th SCRIPT LOAD answer is script n. */
static void
store_load_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;
	int		 n = s->nloaded++;

	if (r == NULL || n >= s->nscripts)
		return;
	if (r->type != REDIS_REPLY_STRING || r->len != 40) {
		log_err("redis %s: SCRIPT LOAD failed: %s", s->p.name,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		/* EVALSHA will fall back to EVAL and say why if it fails too. */
		snprintf(s->sha[n], sizeof(s->sha[n]), "%040d", 0);
	} else
		memcpy(s->sha[n], r->str, 41);
	s->nloading--;
	store_ready_check(s);
}

/* While connecting: queue AUTH, the checks and SCRIPT LOAD; "up" after the last reply. */
static void
store_handshake(struct store *s)
{
	int	i;

	if (s->password) {
		const char	*argv[3];

		store_own(s, store_auth_reply, store_auth_argv(s, argv), argv);
	}
	s->nloading = 0;
	s->nloaded = 0;
	s->nchecks = 0;
	s->in_multi = 0;
	if (s->nsentinels > 0)
		store_sentinel_check(s);
	if (s->slot >= 0)
		store_cluster_check(s);
	for (i = 0; i < s->nscripts; i++) {
		const char *argv[] = { "SCRIPT", "LOAD", s->p.scripts[i] };

		if (store_own(s, store_load_reply, 3, argv) == -1)
			break;
		s->nloading++;
	}
	store_ready_check(s);
}

static void
store_connect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	char		 why[200];

	if (status != REDIS_OK) {
		snprintf(why, sizeof(why), "cannot connect (%s)", ac->errstr);
		store_lost(s, why);	/* hiredis frees the context */
		return;
	}
	s->connected = 1;
	store_handshake(s);
}

static void
store_disconnect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	char		 why[200];

	if (s == NULL)
		return;
	snprintf(why, sizeof(why), "connection lost (%s)",
	    status == REDIS_OK ? "closed" : ac->errstr);
	store_lost(s, why);
}

void
store_connect_to(struct store *s, const struct address *a)
{
	redisAsyncContext	*ac;

	if (a->path)
		ac = redisAsyncConnectUnix(a->path);
	else
		ac = redisAsyncConnect(a->host, a->port);
	if (ac == NULL || ac->err) {
		char why[200];

		snprintf(why, sizeof(why), "cannot connect (%s)",
		    ac ? ac->errstr : "out of memory");
		if (ac)
			redisAsyncFree(ac);
		s->hop = 0;
		s->have_owner = 0;
		store_schedule(s, why);
		return;
	}
	ac->data = s;
	s->ac = ac;
	redisLibeventAttach(ac, s->base);
	redisAsyncSetConnectCallback(ac, store_connect_cb);
	redisAsyncSetDisconnectCallback(ac, store_disconnect_cb);
	/* hiredis 0.14 has no connect timeout: the watchdog is ours. */
	store_watch_arm(s, s->p.connect_timeout_ms);
}

static void
store_where(struct store *s)
{
	if (s->addr.path)
		snprintf(s->where, sizeof(s->where), "unix:%s", s->addr.path);
	else
		snprintf(s->where, sizeof(s->where),
		    s->addr.host && strchr(s->addr.host, ':') ? "[%s]:%d" :
		    "%s:%d", s->addr.host ? s->addr.host : "?", s->addr.port);
}

void
store_set_addr(struct store *s, const char *host, int port)
{
	char	*h;

	h = xstrdup(host);
	free(s->addr.host);
	free(s->addr.path);
	s->addr.path = NULL;
	s->addr.host = h;
	s->addr.port = port;
	store_where(s);
}

static void
store_connect(struct store *s)
{
	if (s->nsentinels > 0) {
		store_sentinel_discover(s);
		return;
	}
	if (s->slot >= 0)
		store_cluster_pick(s);
	store_connect_to(s, &s->addr);
}

/*
 * The watchdog: a connect that takes too long or a reply that does not come.
 * hiredis 0.14 frees a context that never connected without calling our
 * disconnect callback, so store_lost runs here in both cases.
 */
static void
store_drop(struct store *s, const char *why)
{
	redisAsyncContext	*ac = s->ac;

	if (ac == NULL)
		return;
	ac->data = NULL;	/* our disconnect callback must not run twice */
	s->ac = NULL;
	redisAsyncFree(ac);	/* pending callbacks get NULL */
	store_lost(s, why);
}

static void
store_watch_event(evutil_socket_t fd, short what, void *arg)
{
	struct store		*s = arg;

	(void)fd;
	(void)what;
	if (store_sentinel_timeout(s))
		return;
	store_drop(s, s->connected ? "no reply in time" : "connect timed out");
}

static void
store_drop_event(evutil_socket_t fd, short what, void *arg)
{
	struct store	*s = arg;
	char		 why[sizeof(s->drop_why)];

	(void)fd;
	(void)what;
	memcpy(why, s->drop_why, sizeof(why));
	store_drop(s, why);
}

int
store_copy_addrs(struct address **to, const struct address *from, size_t n)
{
	size_t	i;

	if ((*to = calloc(n, sizeof(**to))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		(*to)[i].port = from[i].port;
		if ((from[i].path && ((*to)[i].path = strdup(from[i].path)) ==
		    NULL) || (from[i].host && ((*to)[i].host =
		    strdup(from[i].host)) == NULL))
			return -1;
	}
	return 0;
}

struct store *
store_new(struct event_base *base, const struct store_params *p)
{
	struct store	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->base = base;
	s->p = *p;
	s->slot = -1;
	TAILQ_INIT(&s->later);
	if (p->password && (s->password = strdup(p->password)) == NULL)
		goto fail;
	s->p.password = NULL;
	if (p->addr != NULL && ((p->addr->path &&
	    (s->addr.path = strdup(p->addr->path)) == NULL) ||
	    (p->addr->host && (s->addr.host = strdup(p->addr->host)) == NULL)))
		goto fail;
	if (p->addr != NULL)
		s->addr.port = p->addr->port;
	s->p.addr = &s->addr;
	store_where(s);
	if (store_sentinel_init(s, p) == -1 || store_cluster_init(s, p) == -1)
		goto fail;
	while (p->scripts && p->scripts[s->nscripts] &&
	    s->nscripts < STORE_SCRIPTS_MAX)
		s->nscripts++;
	s->retry_ev = evtimer_new(base, store_retry_event, s);
	s->watch_ev = evtimer_new(base, store_watch_event, s);
	s->drop_ev = evtimer_new(base, store_drop_event, s);
	if (s->retry_ev == NULL || s->watch_ev == NULL || s->drop_ev == NULL)
		goto fail;
	store_connect(s);
	return s;
fail:
	store_free(s);
	return NULL;
}

void
store_free_addrs(struct address *a, size_t n)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < n; i++)
		address_clear(&a[i]);
	free(a);
}

void
store_free(struct store *s)
{
	redisAsyncContext	*ac;

	if (s == NULL)
		return;
	s->p.down = NULL;
	s->up = 0;
	if ((ac = s->ac) != NULL) {
		s->ac = NULL;
		ac->data = NULL;
		redisAsyncFree(ac);
	}
	store_cluster_free(s);
	store_sentinel_free(s);
	if (s->retry_ev)
		event_free(s->retry_ev);
	if (s->watch_ev)
		event_free(s->watch_ev);
	if (s->drop_ev)
		event_free(s->drop_ev);
	if (s->password) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	free(s->addr.path);
	free(s->addr.host);
	free(s);
}
