/* Where each agency stands on each occurrence: the follow-up fields of {p}:occ:TASK/DUE read against the plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "followup.h"
#include "i18n.h"
#include "log.h"
#include "xmalloc.h"

static const char *const state_vi[FU_STATES] = {
	[FU_NOT_REACHED] = "chưa nhận được",
	[FU_REACHED] = "đã gửi tới",
	[FU_SEEN] = "đã xem",
	[FU_ACK] = "đã xác nhận",
	[FU_DONE_ON_TIME] = "hoàn thành đúng hạn",
	[FU_DONE_LATE] = "hoàn thành trễ hạn",
	[FU_OVERDUE] = "quá hạn, chưa hoàn thành",
};

/* Marked for the catalog: nhacviec status prints them translated. */
static const char *const state_en[FU_STATES] = {
	[FU_NOT_REACHED] = N_("not reached"),
	[FU_REACHED] = N_("reached"),
	[FU_SEEN] = N_("seen"),
	[FU_ACK] = N_("acknowledged"),
	[FU_DONE_ON_TIME] = N_("done on time"),
	[FU_DONE_LATE] = N_("done late"),
	[FU_OVERDUE] = N_("overdue"),
};

const char *
followup_state_vi(enum followup_state s)
{
	return state_vi[s];
}

const char *
followup_state_en(enum followup_state s)
{
	return state_en[s];
}

/* "MS VIA[ DETAIL]": the instant, and the way into via. */
static int64_t
followup_when(const char *v, char *via, size_t len)
{
	char	*end;
	int64_t	 ms = strtoll(v, &end, 10);

	if (via != NULL && len > 0) {
		while (*end == ' ')
			end++;
		snprintf(via, len, "%.*s", (int)strcspn(end, " "), end);
	}
	return ms > 0 ? ms : 0;
}

int
followup_read(const struct plan *p, const char *occurrence, int64_t due_end,
    char *const *fields, size_t nfields, struct followup **v, size_t *n,
    size_t *cap)
{
	const struct plan_task		*t;
	const struct plan_agency	**rec = NULL, *lead;
	struct followup			*f, *nv;
	char				 task[256];
	const char			*slash = strchr(occurrence, '/');
	size_t				 i, j, nrec, alen;

	if (slash == NULL || (size_t)(slash - occurrence) >= sizeof(task))
		return -1;
	snprintf(task, sizeof(task), "%.*s", (int)(slash - occurrence),
	    occurrence);
	if ((t = plan_task_find(p, task)) == NULL)
		return -1;
	nrec = plan_recipients(p, t, &rec);
	lead = t->lead ? plan_agency_find(p, t->lead) : NULL;
	if (nrec == 0 && lead != NULL) {
		free(rec);
		rec = xcalloc(1, sizeof(*rec));
		rec[nrec++] = lead;
	}
	for (i = 0; i < nrec; i++) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			nv = xreallocarray(*v, *cap, sizeof(**v));
			*v = nv;
		}
		f = &(*v)[(*n)++];
		memset(f, 0, sizeof(*f));
		f->task = t;
		f->agency = rec[i];
		f->lead = rec[i] == lead;
		snprintf(f->due, sizeof(f->due), "%s", slash + 1);
		f->due_end = due_end;
		alen = strlen(rec[i]->id);
		for (j = 0; j + 1 < nfields; j += 2) {
			const char *name = fields[j], *val = fields[j + 1];

			if (strncmp(name, rec[i]->id, alen) != 0 ||
			    name[alen] != ':')
				continue;
			name += alen + 1;
			if (strcmp(name, "reached") == 0)
				f->reached = followup_when(val, NULL, 0);
			else if (strcmp(name, "received") == 0)
				f->received = followup_when(val, NULL, 0);
			else if (strcmp(name, "seen") == 0)
				f->seen = followup_when(val, NULL, 0);
			else if (strcmp(name, "ack") == 0)
				f->ack = followup_when(val, f->ack_via,
				    sizeof(f->ack_via));
			else if (strcmp(name, "done") == 0)
				f->done = followup_when(val, f->done_via,
				    sizeof(f->done_via));
			else if (strcmp(name, "escalated") == 0)
				f->escalated = followup_when(val, NULL, 0);
		}
	}
	free(rec);
	return 0;
}

enum followup_state
followup_state(const struct followup *f, int64_t now)
{
	if (f->done)
		return f->done <= f->due_end ? FU_DONE_ON_TIME : FU_DONE_LATE;
	if (now >= f->due_end)
		return FU_OVERDUE;
	if (f->ack)
		return FU_ACK;
	if (f->seen)
		return FU_SEEN;
	if (f->reached || f->received)
		return FU_REACHED;
	return FU_NOT_REACHED;
}
