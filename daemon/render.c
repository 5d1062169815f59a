/* The text a channel sends: the task's template, else the channel's, else the default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "nhacviecd.h"
#include "plan.h"
#include "template.h"

/* One reminder's text, from its task's template, the channel's or ours. */
static char *
render_one(struct channel *ch, const struct reminder *r, char *err,
    size_t len)
{
	struct nv		*nv = ch->nv;
	const struct template	*t = NULL;
	const struct plan_task	*task;
	const char		*tz = planner_timezone(nv->planner);
	char			*s;

	if (r->status != NULL) {
		if ((s = template_escalation(r, tz)) == NULL)
			snprintf(err, len, "cannot write the escalation");
		return s;
	}
	/* An ad-hoc notice says it all; else the task's, or the channel's. */
	if (r->text == NULL || strcmp(r->task, "adhoc") != 0) {
		if (nv->plan && (task = plan_task_find(nv->plan,
		    r->task)) != NULL && task->tmpl != NULL)
			t = task->tmpl;
		else if (r->text == NULL)
			t = ch->tmpl[CHANNEL_TMPL_TEXT];
	}
	s = t ? template_render(t, r, TEMPLATE_PLAIN, tz) :
	    template_text_default(r, tz);
	if (s == NULL)
		snprintf(err, len, "cannot render the message%s%s",
		    t ? " with " : "", t ? template_name(t) : "");
	return s;
}

/*
 * A digest: the reminders one head gets in the same minute on one channel,
 * as one message that lists them.
 */
static char *
render_digest(const struct job *j, const char *tz)
{
	const struct job	*m;
	const struct reminder	*r = &j->r;
	struct buf		 b = BUF_INIT;
	char			 due[128], *note;
	size_t			 n = 1;

	if (r->head)
		buf_printf(&b, "Kính gửi: %s (%s),\n\n", r->head,
		    r->agency_name ? r->agency_name : r->agency);
	else
		buf_printf(&b, "Kính gửi: Lãnh đạo %s,\n\n",
		    r->agency_name ? r->agency_name : r->agency);
	buf_printf(&b, "Phòng Nội vụ nhắc %zu nhiệm vụ theo kế hoạch:\n",
	    j->nmembers + 1);
	for (m = j; m != NULL; m = m == j ? TAILQ_FIRST(&j->members) :
	    TAILQ_NEXT(m, link)) {
		template_due_text(m->r.due, m->r.period, due, sizeof(due));
		buf_printf(&b, "\n%zu. %s\n   Thời hạn: %s", n++,
		    m->r.title ? m->r.title : m->r.task, due);
		if (m->r.lead && m->r.agency_name &&
		    strcmp(m->r.lead, m->r.agency_name) != 0)
			buf_printf(&b, "\n   Đơn vị chủ trì: %s", m->r.lead);
		/* A note's placeholders ({{windows}}) filled, as alone. */
		if (m->r.note && (note = template_note(&m->r, tz)) != NULL) {
			buf_printf(&b, "\n   Ghi chú: %s", note);
			free(note);
		}
		buf_putc(&b, '\n');
	}
	return buf_take(&b, NULL);
}

char *
render_text(struct channel *ch, const struct job *j, char *err, size_t len)
{
	char	*s;

	if (TAILQ_EMPTY(&j->members))
		return render_one(ch, &j->r, err, len);
	if ((s = render_digest(j, planner_timezone(ch->nv->planner))) == NULL)
		snprintf(err, len, "cannot write the digest");
	return s;
}

char *
render_digest_subject(const struct job *j)
{
	char	*s;

	if (asprintf(&s, "[Nhắc việc] %zu nhiệm vụ cần thực hiện",
	    j->nmembers + 1) == -1)
		return NULL;
	return s;
}
