/* One Redis connection on the loop: hiredis async, our own watchdogs, reconnect with back-off, Lua scripts, a Cluster slot followed. */
#ifndef NV_STORE_H
#define NV_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <hiredis/hiredis.h>

#include "parse.h"

struct store;

/* Called exactly once per command: reply NULL when the connection failed. */
typedef void	store_reply_cb(void *arg, redisReply *reply);

struct store_params {
	const char		*name;		/* for log lines */
	const struct address	*addr;
	const struct address	*sentinels;	/* ask them for the master */
	size_t			 nsentinels;
	const char		*master;	/* the name they monitor */
	const struct address	*seeds;		/* a Cluster's nodes to ask */
	size_t			 nseeds;
	const char		*slot_key;	/* a key of the slot to follow */
	const char		*username;	/* an ACL user, or NULL */
	const char		*password;	/* or NULL; never logged */
	int64_t			 connect_timeout_ms;
	int64_t			 reply_timeout_ms;	/* watchdog on replies */
	const char *const	*scripts;	/* NULL-terminated Lua sources */
	void			(*up)(void *);	/* connected, scripts loaded */
	void			(*down)(void *);	/* connection lost */
	void			*arg;
};

struct store	*store_new(struct event_base *, const struct store_params *);
/* Fails every outstanding command (callbacks get NULL) and frees. */
void		 store_free(struct store *);
int		 store_is_up(const struct store *);
/*
 * Queue a command; -1 when not connected (the callback is not called).
 * In a Cluster, MOVED, ASK and TRYAGAIN never reach the callback: the
 * command is sent again where and when the Cluster says, or the callback
 * gets NULL as for a lost connection (the command was not run).
 */
int		 store_command(struct store *, store_reply_cb *, void *,
		    int argc, const char **argv, const size_t *argvlen);
int		 store_commandf(struct store *, store_reply_cb *, void *,
		    const char *fmt, ...);
/*
 * EVALSHA script number `n` (EVAL again after NOSCRIPT); argv is what
 * follows the script: numkeys, the keys, the arguments.
 */
int		 store_script(struct store *, int n, store_reply_cb *, void *,
		    int argc, const char **argv);

#endif
