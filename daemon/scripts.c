/* Running the Lua scripts of common/scripts.h on the daemon's connection. */
#include <stdlib.h>

#include "log.h"
#include "nhacviecd.h"
#include "xmalloc.h"

_Static_assert(SCRIPT_COUNT <= 32, "daemon/store.c loads at most 32 scripts");

int
script_run(struct nv *nv, enum script_id id, store_reply_cb *cb, void *arg,
    int argc, const char **argv)
{
	return script_run_keys(nv, &nv->keys, id, cb, arg, argc, argv);
}

int
script_run_keys(struct nv *nv, const struct keys *k, enum script_id id,
    store_reply_cb *cb, void *arg, int argc, const char **argv)
{
	const char	**full;
	char		  nkeys[8];
	int		  n, rc;

	full = xcalloc(1 + SCRIPT_KEYS_MAX + (size_t)argc, sizeof(*full));
	n = script_args(id, k, argc, argv, full, nkeys);
	rc = store_script(nv->store, (int)id, cb, arg, n, full);
	free(full);
	return rc;
}
