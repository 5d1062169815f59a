/* The checks nhacviecd makes before it starts, made the same way by nhacviecd -n and nhacviec check. */
#include <glob.h>
#include <string.h>

#include "chanstart.h"
#include "secret.h"
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
		/* Zalo's events come in on the public listener, signed. */
		if (c->public_listen && c->channels[i].type == CHANNEL_ZALO &&
		    cs.oa_secret == NULL)
			diag_error(d, c->path, c->channels[i].line, "[channel "
			    "%s]: the OA's events come to public_listen, and "
			    "their signature needs the OA secret key: set "
			    "oa_secret_file, or give the systemd credential %s",
			    c->channels[i].name, CHANSTART_OA_CREDENTIAL);
		chanstart_clear(&cs);
	}
	if (c->public_listen) {
		char	*key;

		if (chanstart_secret(c->link_secret_file,
		    CHANSTART_LINK_CREDENTIAL, 0, &key, err, sizeof(err)) == -1)
			diag_error(d, c->path, 0, "[http] link_secret_file: %s "
			    "(the key that signs confirmation links)", err);
		else if (strlen(key) < 16)
			diag_error(d, c->path, 0, "[http] link_secret_file: the "
			    "key is %zu bytes; links need at least 16 (e.g. "
			    "head -c 32 /dev/urandom | base64)", strlen(key));
		secret_free(key);
	}
	return p;
}
