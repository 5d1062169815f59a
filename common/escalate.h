/* What an escalation tells: how each recipient of an occurrence stands, read from its follow-ups. */
#ifndef NV_ESCALATE_H
#define NV_ESCALATE_H

#include <jansson.h>
#include <stddef.h>

#include "plan.h"

enum escalate_state {
	ESCALATE_NOT_REACHED,	/* no reminder delivered */
	ESCALATE_REACHED,	/* delivered (or received) */
	ESCALATE_SEEN,		/* Zalo says read */
	ESCALATE_ACK,		/* acknowledged */
	ESCALATE_DONE,		/* reported done */
};

/*
 * The standing of each recipient of task t, from follow: the occurrence's
 * follow-ups as a JSON object (AGENCY:WHAT -> "MS VIA[ DETAIL]", what
 * {p}:occ:TASK/DUE holds). One Vietnamese line per recipient, in plan
 * order, into *text (malloc'd): "- Phòng Văn hóa: đã hoàn thành
 * (28/04/2022)". Returns how many are not done (0: everyone is, and *text
 * is NULL), or -1 with why when follow is not such an object.
 */
int	escalate_status(const struct plan *, const struct plan_task *t,
	    const json_t *follow, char **text, size_t *recipients, char *err,
	    size_t len);

/* The state one agency is in, and when it got there (ms; 0: unknown). */
enum escalate_state escalate_state_of(const json_t *follow,
	    const char *agency, long long *at);

#endif
