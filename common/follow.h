/* Recording what an agency did about an occurrence (follow.lua): its arguments, built from the plan. */
#ifndef NV_FOLLOW_H
#define NV_FOLLOW_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "keys.h"
#include "plan.h"

enum follow_what {
	FOLLOW_RECEIVED,	/* Zalo: the message reached the phone */
	FOLLOW_SEEN,		/* Zalo: it was opened */
	FOLLOW_ACK,		/* the head confirmed it */
	FOLLOW_DONE,		/* the head reported it done */
};

/* "received", "seen", "ack", "done": the field names in {p}:occ:… */
const char	*follow_what_name(enum follow_what);

/* One call of follow.lua, ready: keys (occ set) and ARGV. */
struct follow {
	struct keys	  keys;
	const char	**argv;
	int		  argc;
	char		**ids;		/* the reminders it stops */
	size_t		  nids;
	size_t		  nlater;	/* ids[0..nlater) fire after ms */
	char		  later[24];
	char		  occurrence[300];	/* TASK/DUE */
	char		  ms[24];
	char		  reason[300];
	int		  stops;	/* done, or ack on stop_on = acknowledged */
};

/*
 * What agency did about the occurrence of task due on day due (YYYY-MM-DD),
 * at ms, through via (zalo, link, admin, ...), with detail and a note (may
 * be NULL). The plan names the reminders a stop ends; -1 with why when it
 * has no such task, occurrence or recipient.
 */
int	follow_prepare(struct follow *, const struct keys *,
	    const struct plan *, const struct config *, const char *task,
	    const char *due, const char *agency, enum follow_what, int64_t ms,
	    const char *via, const char *detail, const char *note, char *err,
	    size_t len);
void	follow_clear(struct follow *);

#endif
