/* Where each agency stands on each occurrence: the follow-up fields of {p}:occ:TASK/DUE read against the plan; what status, reports and pages count. */
#ifndef NV_FOLLOWUP_H
#define NV_FOLLOWUP_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

enum followup_state {
	FU_NOT_REACHED,		/* no reminder delivered yet */
	FU_REACHED,		/* delivered, nothing heard */
	FU_SEEN,		/* Zalo says it was opened */
	FU_ACK,			/* the head confirmed it */
	FU_DONE_ON_TIME,	/* done by the end of the due day */
	FU_DONE_LATE,		/* done after it */
	FU_OVERDUE,		/* the due day is past and it is not done */
	FU_STATES
};

/* One agency on one occurrence. */
struct followup {
	const struct plan_task		*task;
	const struct plan_agency	*agency;
	char				 due[11];	/* YYYY-MM-DD */
	int64_t				 due_end;	/* ms: the due day's end */
	int				 lead;		/* the task's lead */
	int64_t				 reached, received, seen, ack, done;
	int64_t				 escalated;
	char				 done_via[24];
	char				 ack_via[24];
};

/*
 * The follow-ups of occurrence "TASK/DUE", one per recipient the plan
 * gives it (in the plan's order), from the fields of its hash (name,
 * value, name, value...). due_end is the due day's end (ms). Appends to
 * *v (n entries, cap grown as needed); -1 when the plan has no such task.
 */
int	followup_read(const struct plan *, const char *occurrence,
	    int64_t due_end, char *const *fields, size_t nfields,
	    struct followup **v, size_t *n, size_t *cap);
/* Where it stands at now. */
enum followup_state followup_state(const struct followup *, int64_t now);
/* "chưa nhận", "đã nhận", "đã xem", ... and a short English word. */
const char	*followup_state_vi(enum followup_state);
const char	*followup_state_en(enum followup_state);

#endif
