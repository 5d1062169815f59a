/* The text a channel sends: the task's template, else the channel's, else the default. */
#include <stdio.h>
#include <stdlib.h>

#include "nhacviecd.h"
#include "template.h"

char *
render_text(struct channel *ch, const struct reminder *r, char *err,
    size_t len)
{
	struct nv		*nv = ch->nv;
	const struct template	*t = NULL;
	const char		*path, *tz = planner_timezone(nv->planner);
	char			*s;

	if (r->text != NULL && r->template == NULL)
		path = NULL;		/* an ad-hoc notice says it all */
	else
		path = r->template ? r->template : ch->cfg->template;
	if (path != NULL &&
	    (t = template_cache_get(nv->templates, path, err, len)) == NULL)
		return NULL;
	s = t ? template_render(t, r, TEMPLATE_PLAIN, tz) :
	    template_text_default(r, tz);
	if (s == NULL)
		snprintf(err, len, "cannot render the message%s%s",
		    path ? " with " : "", path ? path : "");
	return s;
}
