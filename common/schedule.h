/* From plan to reminders: occurrences (libical), specs, shifts, deferrals, fire instants. */
#ifndef NV_SCHEDULE_H
#define NV_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "diag.h"
#include "plan.h"

/* An occurrence of a task: a span of days. */
struct occurrence {
	plan_day	start;
	plan_day	end;		/* == start for a one-day occurrence */
};

/* One reminder: one recipient, one channel, one instant. */
struct sched_reminder {
	char				*id;	/* task/END-DAY/spec/agency/channel */
	const struct plan_task		*task;
	const struct plan_agency	*agency;
	const struct plan_spec		*spec;
	const struct config_channel	*channel;
	const char			*contact;	/* the agency's address */
	struct occurrence		 occ;
	int				 lead_only;	/* from remind_lead */
	const struct plan_escalation	*esc;	/* an escalation, or NULL */
	int				 shifted;	/* moved to a working day */
	int				 deferred;	/* moved into [delivery] hours */
	int64_t				 fire_at;	/* epoch ms, final */
};

struct sched_list {
	struct sched_reminder	*v;
	size_t			 n;
	size_t			 cap;
};

/*
 * Every occurrence of a task whose span touches [from, to] (days), in order;
 * malloc'd into *out. -1 (with err) when libical rejects the rule.
 */
int	schedule_occurrences(const struct plan_task *, plan_day from,
	    plan_day to, struct occurrence **out, size_t *n, char *err,
	    size_t len);

/*
 * Every reminder of the plan whose final fire time is in [from_ms, to_ms],
 * sorted by fire_at, task, agency, channel. Recipients lacking the contact
 * a channel needs are skipped (schedule_check reports them). The list
 * starts empty (zeroed) and is left empty on failure.
 */
int	schedule_expand(const struct plan *, const struct config *,
	    int64_t from_ms, int64_t to_ms, struct sched_list *, char *err,
	    size_t len);
void	schedule_list_clear(struct sched_list *);
/*
 * Every reminder id the plan gives agency a for the occurrence of task t
 * due on day due (all specs that reach it, all channels it has an address
 * for): what a follow-up that is done stops. -1 with why when the task has
 * no such occurrence or the agency is not a recipient. *out (n strings)
 * is malloc'd.
 */
int	schedule_follow_ids(const struct plan *, const struct config *,
	    const struct plan_task *t, plan_day due,
	    const struct plan_agency *a, char ***out, size_t *n, char *err,
	    size_t len);
/*
 * The reminder an id names ("task/END/spec/agency/channel"), as the plan
 * says now; -1 with why when the plan no longer has it. fire_at is left 0;
 * out->id is malloc'd.
 */
int	schedule_find(const struct plan *, const struct config *,
	    const char *id, struct sched_reminder *out, char *err,
	    size_t len);

/*
 * Cross-checks between plan and main config, into d: a task channel the
 * config lacks (error), an RRULE libical rejects (error, with its reason),
 * a recipient without the contact field a channel needs (warning). Each
 * task's template file is read and parsed here, once, and kept in the task.
 */
void	schedule_check(struct plan *, const struct config *, struct diag *d);

/*
 * Local civil time in the plan's zone to epoch ms: a time in a DST gap
 * moves forward by the gap, an ambiguous one takes the earlier instant.
 */
int64_t	schedule_local_ms(const struct plan *, plan_day, int minutes);
/*
 * An instant moved into the daily hours [start, end) (minutes, the plan's
 * zone): the same day's opening if before it, else the next day's.
 */
int64_t	schedule_within_hours(const struct plan *, int start, int end,
	    int64_t ms);
/* The local day of an instant in the plan's zone, and its minutes. */
plan_day schedule_day_of(const struct plan *, int64_t ms, int *minutes);
/* "2022-04-29T08:00:00+07:00" in the plan's zone. */
void	schedule_format_iso(const struct plan *, int64_t ms, char *buf,
	    size_t len);
/* "2022-04-30", or "2022-04-01..2022-04-30" for a span. */
void	schedule_due_text(const struct occurrence *, char *buf, size_t len);

/* preview: the TSV of the issue, or the Vietnamese calendar text. */
void	schedule_print_tsv(const struct plan *, const struct sched_list *,
	    FILE *);
void	schedule_print_text(const struct plan *, const struct sched_list *,
	    FILE *);

#endif
