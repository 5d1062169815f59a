/* The checks nhacviecd makes before it starts, made the same way by nhacviecd -n and nhacviec check. */
#include <glob.h>
#include <string.h>

#include "chanstart.h"
#include "preflight.h"

struct plan *
preflight_run(const struct config *c, struct plan_sources *src,
    struct diag *d)
{
	struct chanstart	 cs;
	struct plan		*p = NULL;
	glob_t			 g;
	char			 err[600];
	size_t			 i;
	int			 rc;

	memset(src, 0, sizeof(*src));
	memset(&g, 0, sizeof(g));
	rc = glob(c->plan_files, 0, NULL, &g);
	globfree(&g);
	if (rc == GLOB_NOMATCH)
		diag_warn(d, c->path, 0, "no plan files match %s: nhacviecd "
		    "plans from the plan loaded in Redis (`nhacviec load`)",
		    c->plan_files);
	else
		p = planstore_load(c, src, d);
	for (i = 0; i < c->nchannels; i++) {
		if (chanstart_read(c, &c->channels[i], &cs, err,
		    sizeof(err)) == -1) {
			diag_error(d, c->path, c->channels[i].line, "%s", err);
			continue;
		}
		chanstart_clear(&cs);
	}
	return p;
}
