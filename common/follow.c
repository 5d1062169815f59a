/* Recording what an agency did about an occurrence (follow.lua): its arguments, built from the plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "follow.h"
#include "log.h"
#include "schedule.h"
#include "xmalloc.h"

static const char *const follow_names[] = {
	[FOLLOW_RECEIVED] = "received",
	[FOLLOW_SEEN] = "seen",
	[FOLLOW_ACK] = "ack",
	[FOLLOW_DONE] = "done",
};

const char *
follow_what_name(enum follow_what w)
{
	return follow_names[w];
}

int
follow_prepare(struct follow *f, const struct keys *k, const struct plan *p,
    const struct config *c, const char *task, const char *due,
    const char *agency, enum follow_what what, int64_t ms, const char *via,
    const char *detail, const char *note, char *err, size_t len)
{
	const struct plan_task		*t;
	const struct plan_agency	*a;
	plan_day			 day;
	char				 when[40];
	size_t				 i;
	int				 n = 0;

	memset(f, 0, sizeof(*f));
	if ((t = plan_task_find(p, task)) == NULL) {
		snprintf(err, len, "no task '%s' in the plan", task);
		return -1;
	}
	if ((a = plan_agency_find(p, agency)) == NULL) {
		snprintf(err, len, "no agency '%s' in the plan", agency);
		return -1;
	}
	if (plan_parse_day(due, &day) == -1) {
		snprintf(err, len, "'%s' is not a day (YYYY-MM-DD)", due);
		return -1;
	}
	if (schedule_follow_ids(p, c, t, day, a, &f->ids, &f->nids, err,
	    len) == -1)
		return -1;
	f->keys = *k;
	snprintf(f->occurrence, sizeof(f->occurrence), "%s/%s", task, due);
	if (keys_set_occ(&f->keys, f->occurrence) == -1) {
		snprintf(err, len, "occurrence id too long");
		follow_clear(f);
		return -1;
	}
	f->stops = what == FOLLOW_DONE ||
	    (what == FOLLOW_ACK && t->stop_on_ack);
	snprintf(f->ms, sizeof(f->ms), "%lld", (long long)ms);
	clock_format_iso8601(ms, when, sizeof(when));
	snprintf(f->reason, sizeof(f->reason), "not sent: %s reported it %s "
	    "(%s, %s)", agency, what == FOLLOW_DONE ? "done" : "received",
	    via, when);
	/*
	 * Those planned to fire after this instant first: one with no state
	 * yet is not planned yet and is stopped too; an earlier one with no
	 * state never went out (or its state is gone) and is left alone.
	 */
	for (i = 0; i < f->nids; i++) {
		struct sched_reminder	 r;
		char			 why[200], *tmp;

		if (schedule_find(p, c, f->ids[i], &r, why, sizeof(why)) == -1)
			continue;
		free(r.id);
		if (r.fire_at > ms) {
			tmp = f->ids[f->nlater];
			f->ids[f->nlater++] = f->ids[i];
			f->ids[i] = tmp;
		}
	}
	snprintf(f->later, sizeof(f->later), "%zu", f->stops ? f->nlater : 0);
	f->argv = xcalloc(9 + f->nids + 1, sizeof(*f->argv));
	f->argv[n++] = agency;
	f->argv[n++] = follow_names[what];
	f->argv[n++] = f->ms;
	f->argv[n++] = via;
	f->argv[n++] = detail ? detail : "";
	f->argv[n++] = f->stops ? "1" : "";
	f->argv[n++] = note ? note : "";
	f->argv[n++] = f->reason;
	f->argv[n++] = f->later;
	for (i = 0; f->stops && i < f->nids; i++)
		f->argv[n++] = f->ids[i];
	f->argc = n;
	return 0;
}

void
follow_clear(struct follow *f)
{
	size_t	i;

	for (i = 0; i < f->nids; i++)
		free(f->ids[i]);
	free(f->ids);
	free(f->argv);
	memset(f, 0, sizeof(*f));
}
