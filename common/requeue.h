/* Sending dead letters again (requeue.lua): the arguments, built from the dead letters and the plan, for `nhacviec dead requeue` and the status page alike. */
#ifndef NV_REQUEUE_H
#define NV_REQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "config.h"
#include "plan.h"

/* What was said about one dead letter while the call was prepared. */
struct requeue_note {
	char	*id;
	char	*text;		/* a sentence, for the admin */
	int	 refused;	/* not requeued (else: requeued as stored) */
};

/* One call of requeue.lua, ready: ARGV is at, by, then id payload pairs. */
struct requeue {
	const char		**argv;
	int			  argc;
	size_t			  n;		/* letters it requeues */
	char			**payloads;
	struct requeue_note	 *notes;
	size_t			  nnotes;
	char			  at[24];
	char			 *by;
};

/*
 * The dead letters that which names ('*': every one) from dead, the XRANGE
 * reply of {p}:dead, each id once: a reminder of a task the plan has goes
 * back as the plan says now (an empty payload: its text is built when it
 * is taken; refused, with a note, when the plan no longer gives it);
 * anything else (an ad-hoc notice, an id the plan does not know, or no
 * plan) with its stored payload. by names who asked, for the
 * ledger. -1 only when dead is not a stream reply.
 */
int	requeue_prepare(struct requeue *, const redisReply *dead,
	    const struct plan *, const struct config *, const char *which,
	    const char *by, int64_t now_ms);
void	requeue_clear(struct requeue *);

#endif
