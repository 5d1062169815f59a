/* A Redis master found through Sentinels: ask one for the master's address, connect there, and check it is the master still. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>

#include "log.h"
#include "store_priv.h"

static void
store_sentinel_role_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	s->nchecks--;
	if (r == NULL)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, "master") != 0) {
		log_warnx("redis %s: %s is not the master (a failover under "
		    "way?); asking the Sentinels again", s->p.name, s->where);
		store_drop_later(s, "not the master");
		return;
	}
	store_ready_check(s);
}

/* Sentinel's answer: the master's address, or nothing it knows of. */
static void
store_sentinel_reply(redisAsyncContext *ac, void *reply, void *priv)
{
	struct store	*s = priv;
	redisReply	*r = reply;

	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    r->element[1]->type == REDIS_REPLY_STRING) {
		store_set_addr(s, r->element[0]->str, atoi(r->element[1]->str));
		s->found = 1;
	} else if (r != NULL)
		log_warnx("redis %s: a Sentinel does not know master %s%s%s",
		    s->p.name, s->master, r->type == REDIS_REPLY_ERROR ?
		    ": " : "", r->type == REDIS_REPLY_ERROR ? r->str : "");
	/* Allowed inside a reply callback, unlike redisAsyncFree. */
	if (r != NULL)
		redisAsyncDisconnect(ac);
}

static void
store_sentinel_connect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	char		 why[200];

	if (status == REDIS_OK)
		return;
	s->sac = NULL;
	evtimer_del(s->watch_ev);
	snprintf(why, sizeof(why), "cannot reach a Sentinel (%s)", ac->errstr);
	store_schedule(s, why);
}

static void
store_sentinel_disconnect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;
	struct timeval	 tv = { 0, 0 };

	(void)status;
	if (s == NULL)
		return;
	s->sac = NULL;
	evtimer_del(s->watch_ev);
	if (s->found)
		evtimer_add(s->master_ev, &tv);	/* not inside hiredis */
	else
		store_schedule(s, "no master from the Sentinels");
}

static void
store_sentinel_master_event(evutil_socket_t fd, short what, void *arg)
{
	struct store	*s = arg;

	(void)fd;
	(void)what;
	store_connect_to(s, &s->addr);
}

/* Ask the next Sentinel where the master is; then connect there. */
void
store_sentinel_discover(struct store *s)
{
	const struct address	*a = &s->sentinels[s->next_sentinel++ %
	    s->nsentinels];
	redisAsyncContext	*ac;

	s->found = 0;
	ac = a->path ? redisAsyncConnectUnix(a->path) :
	    redisAsyncConnect(a->host, a->port);
	if (ac == NULL || ac->err) {
		if (ac)
			redisAsyncFree(ac);
		store_schedule(s, "cannot reach a Sentinel");
		return;
	}
	ac->data = s;
	s->sac = ac;
	redisLibeventAttach(ac, s->base);
	redisAsyncSetConnectCallback(ac, store_sentinel_connect_cb);
	redisAsyncSetDisconnectCallback(ac, store_sentinel_disconnect_cb);
	redisAsyncCommand(ac, store_sentinel_reply, s,
	    "SENTINEL get-master-addr-by-name %s", s->master);
	store_watch_arm(s, s->p.connect_timeout_ms);
}

/* Via Sentinel: make sure the node reached is the master, not a demoted one. */
void
store_sentinel_check(struct store *s)
{
	const char *argv[] = { "ROLE" };

	if (store_own(s, store_sentinel_role_reply, 1, argv) == 0)
		s->nchecks++;
}

/* The watchdog fired: 1 when it was a Sentinel that did not answer. */
int
store_sentinel_timeout(struct store *s)
{
	redisAsyncContext	*sac = s->sac;

	if (sac == NULL)
		return 0;
	sac->data = NULL;
	s->sac = NULL;
	redisAsyncFree(sac);
	store_schedule(s, "a Sentinel did not answer in time");
	return 1;
}

/* Sentinels given: the master's name and where to ask for it. */
int
store_sentinel_init(struct store *s, const struct store_params *p)
{
	if (p->nsentinels > 0) {
		s->nsentinels = p->nsentinels;
		if ((s->master = strdup(p->master)) == NULL ||
		    store_copy_addrs(&s->sentinels, p->sentinels,
		    p->nsentinels) == -1)
			return -1;
		snprintf(s->where, sizeof(s->where), "master %s (via Sentinel)",
		    s->master);
	}
	s->p.sentinels = NULL;
	if ((s->master_ev = evtimer_new(s->base, store_sentinel_master_event,
	    s)) == NULL)
		return -1;
	return 0;
}

void
store_sentinel_free(struct store *s)
{
	redisAsyncContext	*ac;

	if ((ac = s->sac) != NULL) {
		s->sac = NULL;
		ac->data = NULL;
		redisAsyncFree(ac);
	}
	if (s->master_ev)
		event_free(s->master_ev);
	s->master_ev = NULL;
	store_free_addrs(s->sentinels, s->nsentinels);
	s->sentinels = NULL;
	free(s->master);
	s->master = NULL;
}
