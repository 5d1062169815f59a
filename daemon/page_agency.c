/* Cơ quan (/agencies, /agencies/ID): one agency's follow-ups of a period, read from their hashes, and its messages from the ledger. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "web.h"
#include "xmalloc.h"

#define AGENCY_MSG_MAX	500	/* messages shown, the newest */
#define PERIOD_MAX_DAYS	366

static void
pa_agencies_render(struct page *p)
{
	struct html	h;

	html_init(&h);
	view_agencies(&h, &p->ctx);
	page_html(p, 200, &h);
}

void
page_agencies(struct page *p)
{
	page_go(p, pa_agencies_render);
}

/* One follow-up of the agency, out of the plan's hands. */
struct pa_fu {
	char		*task;
	char		 due[11];
	int64_t		 due_end;
	int64_t		 reached, received, seen, ack, done, escalated;
	char		 ack_via[24], done_via[24];
	char		*note;
};

struct pa_msg {
	int64_t	 at;
	char	*task, *due, *channel, *outcome, *attempt, *detail;
	int	 late;
};

struct pa_agency {
	char			*agency;
	struct view_period	 period;
	struct pa_fu		*fu;
	size_t			 nfu;
	struct pa_msg		 msg[AGENCY_MSG_MAX];	/* a ring: newest */
	size_t			 nmsg;
	size_t			 first;
	int			 cut;
};

static void
pa_msg_clear(struct pa_msg *m)
{
	free(m->task);
	free(m->due);
	free(m->channel);
	free(m->outcome);
	free(m->attempt);
	free(m->detail);
	memset(m, 0, sizeof(*m));
}

static void
pa_agency_free(void *arg)
{
	struct pa_agency	*a = arg;
	size_t			 i;

	for (i = 0; i < a->nfu; i++) {
		free(a->fu[i].task);
		free(a->fu[i].note);
	}
	for (i = 0; i < AGENCY_MSG_MAX; i++)
		pa_msg_clear(&a->msg[i]);
	free(a->fu);
	free(a->agency);
	free(a);
}

static void
pa_agency_occ(struct page *p, const char *occ, int64_t due_end,
    char *const *fields, size_t nfields)
{
	struct pa_agency	*a = p->data;
	struct followup		*v = NULL;
	struct pa_fu		*fu;
	size_t			 n = 0, cap = 0, i;
	const char		*note;

	if (p->nv->plan == NULL || followup_read(p->nv->plan, occ, due_end,
	    fields, nfields, &v, &n, &cap) == -1) {
		free(v);
		return;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].agency->id, a->agency) != 0)
			continue;
		fu = xreallocarray(a->fu, a->nfu + 1, sizeof(*fu));
		a->fu = fu;
		fu = &a->fu[a->nfu++];
		memset(fu, 0, sizeof(*fu));
		fu->task = page_strdup(v[i].task->id);
		snprintf(fu->due, sizeof(fu->due), "%s", v[i].due);
		fu->due_end = v[i].due_end;
		fu->reached = v[i].reached;
		fu->received = v[i].received;
		fu->seen = v[i].seen;
		fu->ack = v[i].ack;
		fu->done = v[i].done;
		fu->escalated = v[i].escalated;
		snprintf(fu->ack_via, sizeof(fu->ack_via), "%s", v[i].ack_via);
		snprintf(fu->done_via, sizeof(fu->done_via), "%s",
		    v[i].done_via);
		if ((note = page_note(fields, nfields, a->agency)) != NULL)
			fu->note = page_strdup(note);
	}
	free(v);
}

static void
pa_agency_entry(struct page *p, const struct history_entry *e,
    const char *const *fields, size_t nfields)
{
	struct pa_agency	*a = p->data;
	struct pa_msg		*m;

	(void)fields;
	(void)nfields;
	if (strcmp(e->agency, a->agency) != 0)
		return;
	if (a->nmsg == AGENCY_MSG_MAX) {
		/* full: the oldest goes */
		m = &a->msg[a->first];
		a->first = (a->first + 1) % AGENCY_MSG_MAX;
		a->cut = 1;
		pa_msg_clear(m);
	} else
		m = &a->msg[(a->first + a->nmsg++) % AGENCY_MSG_MAX];
	m->at = e->at;
	m->task = page_strdup(e->task);
	m->due = page_strdup(e->due);
	m->channel = page_strdup(e->channel);
	m->outcome = page_strdup(e->outcome);
	m->attempt = page_strdup(e->attempt);
	m->detail = page_strdup(e->detail);
	m->late = e->late;
}

static void
pa_agency_render(struct page *p)
{
	struct pa_agency		*a = p->data;
	const struct plan		*plan = p->nv->plan;
	const struct plan_agency	*ag;
	struct view_agency		 v;
	struct view_message		*msgs;
	struct followup			*f;
	const char			**notes;
	struct html			 h;
	size_t				 i, n = 0;

	if (plan == NULL || (ag = plan_agency_find(plan, a->agency)) ==
	    NULL) {
		page_error(p, 404, "Không có cơ quan này", "Kế hoạch vừa nạp "
		    "không còn cơ quan này.");
		return;
	}
	f = xcalloc(a->nfu + 1, sizeof(*f));
	notes = xcalloc(a->nfu + 1, sizeof(*notes));
	msgs = xcalloc(a->nmsg + 1, sizeof(*msgs));
	for (i = 0; i < a->nfu; i++) {
		const struct pa_fu *x = &a->fu[i];

		if ((f[n].task = plan_task_find(plan, x->task)) == NULL)
			continue;
		f[n].agency = ag;
		snprintf(f[n].due, sizeof(f[n].due), "%s", x->due);
		f[n].due_end = x->due_end;
		f[n].reached = x->reached;
		f[n].received = x->received;
		f[n].seen = x->seen;
		f[n].ack = x->ack;
		f[n].done = x->done;
		f[n].escalated = x->escalated;
		snprintf(f[n].ack_via, sizeof(f[n].ack_via), "%s", x->ack_via);
		snprintf(f[n].done_via, sizeof(f[n].done_via), "%s",
		    x->done_via);
		notes[n++] = x->note;
	}
	/* Newest first. */
	for (i = 0; i < a->nmsg; i++) {
		const struct pa_msg *m = &a->msg[(a->first + a->nmsg - 1 - i) %
		    AGENCY_MSG_MAX];

		msgs[i].at = m->at;
		msgs[i].task = m->task;
		msgs[i].due = m->due;
		msgs[i].channel = m->channel;
		msgs[i].outcome = m->outcome;
		msgs[i].attempt = m->attempt;
		msgs[i].detail = m->detail;
		msgs[i].late = m->late;
	}
	memset(&v, 0, sizeof(v));
	v.agency = ag;
	v.period = a->period;
	v.f = f;
	v.notes = notes;
	v.nf = n;
	v.m = msgs;
	v.nm = a->nmsg;
	v.cut = a->cut;
	html_init(&h);
	view_agency(&h, &p->ctx, &v);
	page_html(p, 200, &h);
	free(msgs);
	free(notes);
	free(f);
}

static void
pa_agency_ledger(struct page *p)
{
	struct pa_agency	*a = p->data;

	page_ledger(p, page_day_ms(p, a->period.from), page_day_ms(p,
	    a->period.to + 1), pa_agency_entry, pa_agency_render, &a->cut,
	    NULL);
}

void
page_agency(struct page *p)
{
	const struct plan_agency	*ag;
	struct pa_agency		*a;
	struct view_period		 def;

	if (p->nv->plan == NULL || (ag = plan_agency_find(p->nv->plan,
	    p->id)) == NULL) {
		page_error(p, 404, "Không có cơ quan này", "Kế hoạch không có "
		    "cơ quan nào mang mã này. Chọn ở trang Cơ quan.");
		page_free(p);
		return;
	}
	a = xcalloc(1, sizeof(*a));
	p->data = a;
	p->data_free = pa_agency_free;
	a->agency = page_strdup(ag->id);
	page_month(p, &def);
	page_period(p, def.from, def.to, PERIOD_MAX_DAYS, &a->period);
	page_occurrences(p, page_day_ms(p, a->period.from) + 1,
	    page_due_end(p, a->period.to), pa_agency_occ, pa_agency_ledger);
	page_go(p, p->next);
}
