/* What the Redis connection's files share: the store, a command in flight, and the steps the Cluster and Sentinel files call back into. */
#ifndef NV_STORE_PRIV_H
#define NV_STORE_PRIV_H

#include <sys/queue.h>

#include <hiredis/async.h>

#include "cluster.h"
#include "store.h"

#define STORE_SCRIPTS_MAX	32
#define STORE_HOPS_MAX		5	/* redirections followed in a row */

/* A command in flight: our callback wraps the caller's. */
struct store_call {
	struct store		*s;
	store_reply_cb		*cb;
	void			*arg;
	int			 script;	/* -1, or the script to EVAL on NOSCRIPT */
	size_t			 args;		/* where its arguments start in cmd */
	char			*cmd;		/* as sent; kept in a Cluster,
						   and for a script's NOSCRIPT */
	size_t			 len;
	int			 raw;		/* in MULTI: never redirected alone */
	int			 asked;		/* on the ASK link, after ASKING */
	int			 tries;		/* TRYAGAIN answers so far */
	TAILQ_ENTRY(store_call)	 link;		/* on later */
};
TAILQ_HEAD(store_calls, store_call);

struct store {
	struct event_base	*base;
	struct store_params	 p;
	struct address		 addr;		/* our copy; Sentinel's answer */
	struct address		*sentinels;	/* asked for the master, or none */
	size_t			 nsentinels;
	size_t			 next_sentinel;
	char			*master;
	redisAsyncContext	*sac;		/* a Sentinel being asked */
	int			 found;		/* it named the master */
	struct event		*master_ev;	/* connect to it, next pass */
	char			*password;
	char			 where[300];
	redisAsyncContext	*ac;
	int			 up;		/* connected and ready */
	int			 connected;	/* TCP up, maybe not ready */
	int			 draining;	/* dropped next pass: take nothing */
	int64_t			 backoff_ms;
	struct event		*retry_ev;	/* reconnect after back-off */
	struct event		*watch_ev;	/* connect and reply watchdog */
	struct event		*drop_ev;	/* drop the connection next pass */
	char			 drop_why[512];
	size_t			 outstanding;
	int			 nscripts;
	char			 sha[STORE_SCRIPTS_MAX][41];
	int			 nloading;	/* SCRIPT LOAD replies awaited */
	int			 nchecks;	/* ROLE or CLUSTER replies awaited */
	int			 nloaded;
	/* A Cluster: the node serving our slot, found from the seeds. */
	int			 slot;		/* -1 when not a Cluster */
	struct address		*seeds;
	size_t			 nseeds;
	size_t			 next_seed;
	char			 myid[CLUSTER_ID_MAX];
	struct cluster_node	 owner;		/* where the slot is, learned */
	int			 have_owner;
	int			 hop;		/* connect to owner at once */
	int			 hops;		/* in a row, without getting up */
	int			 in_multi;
	redisAsyncContext	*ask;		/* to the node importing the slot */
	struct cluster_node	 ask_node;
	struct store_calls	 later;		/* TRYAGAIN: sent again soon */
	struct event		*later_ev;
};

/* store.c: the connection. */
void		 store_watch_arm(struct store *, int64_t ms);
struct store_call *store_call_new(struct store *, store_reply_cb *, void *);
void		 store_call_free(struct store_call *);
void		 store_call_fail(struct store_call *);
int		 store_format(struct store_call *, int argc, const char **argv,
		    const size_t *argvlen);
void		 store_forget(struct store_call *);
int		 store_post(struct store *, struct store_call *);
int		 store_auth_argv(const struct store *, const char *argv[3]);
int		 store_own(struct store *, store_reply_cb *, int argc,
		    const char **argv);
void		 store_reply(redisAsyncContext *, void *, void *);
void		 store_schedule(struct store *, const char *why);
void		 store_ready_check(struct store *);
void		 store_drop_later(struct store *, const char *why);
void		 store_set_addr(struct store *, const char *host, int port);
void		 store_connect_to(struct store *, const struct address *);
int		 store_copy_addrs(struct address **, const struct address *,
		    size_t);
void		 store_free_addrs(struct address *, size_t);

/* store_cluster.c: a Cluster's slot followed. */
int		 store_cluster_init(struct store *,
		    const struct store_params *);
void		 store_cluster_pick(struct store *);
void		 store_cluster_check(struct store *);
int		 store_cluster_redirect(struct store *, struct store_call *,
		    const redisReply *);
void		 store_cluster_reset(struct store *);
void		 store_cluster_free(struct store *);

/* store_sentinel.c: the master found through Sentinels. */
int		 store_sentinel_init(struct store *,
		    const struct store_params *);
void		 store_sentinel_discover(struct store *);
void		 store_sentinel_check(struct store *);
int		 store_sentinel_timeout(struct store *);
void		 store_sentinel_free(struct store *);

#endif
