/* A Redis Cluster's slot followed: the owner found from the seeds and checked, MOVED, ASK on a connection of its own, TRYAGAIN sent again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>

#include "log.h"
#include "store_priv.h"

#define STORE_TRYAGAIN_MS	100
#define STORE_TRYAGAIN_MAX	300	/* then the caller gets the error */

/* TRYAGAIN: the slot's keys are split between two nodes for a moment. */
static void
store_cluster_later_event(evutil_socket_t fd, short what, void *arg)
{
	struct store		*s = arg;
	struct store_call	*c;

	(void)fd;
	(void)what;
	while ((c = TAILQ_FIRST(&s->later)) != NULL) {
		TAILQ_REMOVE(&s->later, c, link);
		if (s->draining || store_post(s, c) == -1)
			store_call_fail(c);
	}
}

static void
store_cluster_ask_connect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;

	if (s == NULL || status == REDIS_OK)
		return;
	s->ask = NULL;		/* hiredis frees it; its calls get NULL */
	store_drop_later(s, "cannot reach the node importing the slot");
}

static void
store_cluster_ask_disconnect_cb(const redisAsyncContext *ac, int status)
{
	struct store	*s = ac->data;

	(void)status;
	if (s == NULL)
		return;
	s->ask = NULL;
	store_drop_later(s, "lost the node importing the slot");
}

static void
store_cluster_ask_auth_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	if (r && r->type == REDIS_REPLY_ERROR) {
		log_err("redis %s: AUTH refused by %s:%d: %s", s->p.name,
		    s->ask_node.host, s->ask_node.port, r->str);
		store_drop_later(s, "authentication failed");
	}
}

/* Never from inside the ASK connection's own callbacks. */
static void
store_cluster_ask_close(struct store *s)
{
	redisAsyncContext	*ac;

	if ((ac = s->ask) == NULL)
		return;
	s->ask = NULL;
	ac->data = NULL;
	redisAsyncFree(ac);	/* pending callbacks get NULL */
}

/*
 * ASK: while a slot migrates, a key already moved is served by the
 * importing node, one command at a time after ASKING. One connection
 * there; commands queue in hiredis until it is up, behind AUTH.
 */
static int
store_cluster_ask(struct store *s, struct store_call *c,
    const struct cluster_node *to)
{
	redisAsyncContext	*ac;
	char			 where[300];

	if (s->ask != NULL && (s->ask_node.port != to->port ||
	    strcmp(s->ask_node.host, to->host) != 0))
		return -1;	/* a second migration at once: start over */
	if (s->ask == NULL) {
		ac = redisAsyncConnect(to->host, to->port);
		if (ac == NULL || ac->err) {
			if (ac)
				redisAsyncFree(ac);
			return -1;
		}
		ac->data = s;
		s->ask = ac;
		s->ask_node = *to;
		redisLibeventAttach(ac, s->base);
		redisAsyncSetConnectCallback(ac, store_cluster_ask_connect_cb);
		redisAsyncSetDisconnectCallback(ac,
		    store_cluster_ask_disconnect_cb);
		cluster_node_format(to, where, sizeof(where));
		log_info("redis %s: slot %d is migrating to %s; following ASK "
		    "there", s->p.name, s->slot, where);
		if (s->password) {
			const char		*argv[3];
			struct store_call	*a;
			int			 rc;

			if ((a = store_call_new(s, store_cluster_ask_auth_reply,
			    s)) == NULL)
				fatal("calloc");
			a->asked = 1;
			rc = store_format(a, store_auth_argv(s, argv), argv,
			    NULL) == -1 || redisAsyncFormattedCommand(ac,
			    store_reply, a, a->cmd, a->len) != REDIS_OK;
			store_forget(a);
			if (rc) {
				store_call_free(a);
				return -1;
			}
			s->outstanding++;
		}
	}
	c->asked = 1;
	if (store_post(s, c) == -1) {
		c->asked = 0;
		return -1;
	}
	return 0;
}

/* The slot has another owner: connect there next, at once. */
static void
store_cluster_follow(struct store *s, const struct cluster_node *to,
    const char *why)
{
	if (s->draining)
		return;
	s->owner = *to;
	s->have_owner = 1;
	s->hop = 1;
	store_drop_later(s, why);
}

/*
 * A Cluster's answer meant for the client, not the caller. 0: the store
 * sends c again (later, or elsewhere); 1: the caller gets NULL (lost, as
 * when a connection drops: it sends again once up); -1: the caller gets
 * the reply. MOVED, ASK and TRYAGAIN mean the command was not run at all,
 * so sending it again can neither lose nor repeat its effect.
 */
int
store_cluster_redirect(struct store *s, struct store_call *c,
    const redisReply *r)
{
	struct cluster_node	to;
	struct timeval		tv = { 0, STORE_TRYAGAIN_MS * 1000 };
	char			why[400], where[300];
	int			slot = -1;

	switch (cluster_redirect_parse(r->str, s->addr.host, &slot, &to)) {
	case CLUSTER_REPLY:
		return -1;
	case CLUSTER_MOVED:
		cluster_node_format(&to, where, sizeof(where));
		snprintf(why, sizeof(why), "slot %d moved to %s", slot, where);
		store_cluster_follow(s, &to, why);
		return 1;
	case CLUSTER_ASK:
		if (!c->raw && !c->asked && slot == s->slot &&
		    store_cluster_ask(s, c, &to) == 0)
			return 0;
		break;
	case CLUSTER_TRYAGAIN:
		if (c->raw)
			break;
		if (++c->tries > STORE_TRYAGAIN_MAX)
			return -1;
		c->asked = 0;
		TAILQ_INSERT_TAIL(&s->later, c, link);
		if (!evtimer_pending(s->later_ev, NULL))
			evtimer_add(s->later_ev, &tv);
		return 0;
	case CLUSTER_DOWN:
		s->have_owner = 0;
		snprintf(why, sizeof(why), "the Cluster cannot serve slot %d "
		    "(%.100s)", s->slot, r->str);
		store_drop_later(s, why);
		return 1;
	}
	/* In a transaction, or a second ASK: start over from the seeds. */
	s->have_owner = 0;
	snprintf(why, sizeof(why), "%s (%.100s)", c->raw ? "a transaction met "
	    "a slot migration" : "cannot follow ASK", r->str);
	store_drop_later(s, why);
	return 1;
}

static void
store_cluster_myid_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	s->nchecks--;
	s->myid[0] = '\0';
	if (r == NULL)
		return;
	if (r->type != REDIS_REPLY_STRING) {
		log_err("redis %s: %s is not a Cluster node: %s", s->p.name,
		    s->where, r->type == REDIS_REPLY_ERROR ? r->str :
		    "odd reply to CLUSTER MYID");
		store_drop_later(s, "not a Cluster node");
		return;
	}
	snprintf(s->myid, sizeof(s->myid), "%s", r->str);
}

/* Is the node we reached the master of our slot? If not, go there. */
static void
store_cluster_slots_reply(void *arg, redisReply *r)
{
	struct store		*s = arg;
	struct cluster_node	 owner;
	char			 err[300], where[300], why[400];

	s->nchecks--;
	if (r == NULL || s->draining)
		return;
	if (cluster_slots_owner(r, s->slot, s->addr.host, &owner, err,
	    sizeof(err)) == -1) {
		store_drop_later(s, err);
		return;
	}
	if (owner.id[0] != '\0' ? strcmp(owner.id, s->myid) == 0 :
	    owner.port == s->addr.port && strcmp(owner.host, s->addr.host) ==
	    0) {
		store_ready_check(s);
		return;
	}
	cluster_node_format(&owner, where, sizeof(where));
	snprintf(why, sizeof(why), "slot %d is served by %s", s->slot, where);
	store_cluster_follow(s, &owner, why);
}

/* A node that serves the slot but sees the Cluster down refuses every command. */
static void
store_cluster_state_reply(void *arg, redisReply *r)
{
	struct store	*s = arg;

	s->nchecks--;
	if (r == NULL || s->draining)
		return;
	if (r->type != REDIS_REPLY_STRING ||
	    strstr(r->str, "cluster_state:ok") == NULL) {
		store_drop_later(s, "the Cluster is down (CLUSTER INFO)");
		return;
	}
	store_ready_check(s);
}

/* A Cluster: make sure this node serves our slot, now, and can. */
void
store_cluster_check(struct store *s)
{
	const char *myid[] = { "CLUSTER", "MYID" };
	const char *slots[] = { "CLUSTER", "SLOTS" };
	const char *info[] = { "CLUSTER", "INFO" };

	if (store_own(s, store_cluster_myid_reply, 2, myid) == 0)
		s->nchecks++;
	if (store_own(s, store_cluster_slots_reply, 2, slots) == 0)
		s->nchecks++;
	if (store_own(s, store_cluster_state_reply, 2, info) == 0)
		s->nchecks++;
}

/* Where to connect: the owner a node named, or the next seed to ask. */
void
store_cluster_pick(struct store *s)
{
	const struct address	*a;

	if (s->have_owner)
		store_set_addr(s, s->owner.host, s->owner.port);
	else {
		a = &s->seeds[s->next_seed++ % s->nseeds];
		store_set_addr(s, a->host, a->port);
	}
}

/* The connection is gone: so are the ASK link and TRYAGAIN's commands. */
void
store_cluster_reset(struct store *s)
{
	struct store_call	*c;

	if (s->later_ev)
		evtimer_del(s->later_ev);
	store_cluster_ask_close(s);
	while ((c = TAILQ_FIRST(&s->later)) != NULL) {
		TAILQ_REMOVE(&s->later, c, link);
		store_call_fail(c);
	}
}

/* Seeds given: a Cluster, and the slot of slot_key the one to follow. */
int
store_cluster_init(struct store *s, const struct store_params *p)
{
	if (p->nseeds > 0) {
		s->nseeds = p->nseeds;
		if (store_copy_addrs(&s->seeds, p->seeds, p->nseeds) == -1)
			return -1;
		s->slot = cluster_keyslot(p->slot_key, strlen(p->slot_key));
	}
	s->p.seeds = NULL;
	s->p.slot_key = NULL;
	if ((s->later_ev = evtimer_new(s->base, store_cluster_later_event,
	    s)) == NULL)
		return -1;
	return 0;
}

void
store_cluster_free(struct store *s)
{
	store_cluster_reset(s);
	if (s->later_ev)
		event_free(s->later_ev);
	s->later_ev = NULL;
	store_free_addrs(s->seeds, s->nseeds);
	s->seeds = NULL;
}
