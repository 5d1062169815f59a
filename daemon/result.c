/* What a channel reports when a send failed on this machine, not at the peer. */
#include <stdio.h>
#include <string.h>

#include "nhacviecd.h"

void
result_not_tried(struct result *res, const char *why)
{
	res->verdict = VERDICT_DEFER;
	res->retry_after_s = NV_LOCAL_RETRY_S;
	snprintf(res->detail, sizeof(res->detail), "not tried: this process "
	    "is out of descriptors or memory: %.180s", why);
}

int
result_local(struct result *res, const struct http_response *r)
{
	if (!r->local)
		return 0;
	result_not_tried(res, r->error ? r->error : "?");
	return 1;
}
