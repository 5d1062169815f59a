/* The text a channel sends: the task's template, else the channel's, else the default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nhacviecd.h"
#include "plan.h"
#include "template.h"

char *
render_text(struct channel *ch, const struct reminder *r, char *err,
    size_t len)
{
	struct nv		*nv = ch->nv;
	const struct template	*t = NULL;
	const struct plan_task	*task;
	const char		*tz = planner_timezone(nv->planner);
	char			*s;

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
