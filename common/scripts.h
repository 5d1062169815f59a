/* The Lua scripts (lua/NAME.lua, embedded at build time), each described once: its source and its keys by name. */
#ifndef NV_SCRIPTS_H
#define NV_SCRIPTS_H

#include <stddef.h>

#include "keys.h"

enum script_id {
	SCRIPT_CLAIM,
	SCRIPT_TAKE,
	SCRIPT_COMPLETE,
	SCRIPT_KEEP,
	SCRIPT_RESCUE,
	SCRIPT_PLAN_LOAD,
	SCRIPT_PLAN,
	SCRIPT_ENQUEUE,
	SCRIPT_REQUEUE,
	SCRIPT_ZALO_UNLOCK,
	SCRIPT_PAUSE,
	SCRIPT_RESUME,
	SCRIPT_RELEASE,
	SCRIPT_FOLLOW,
	SCRIPT_OPEN,
	SCRIPT_LEDGER_SEEK,
	SCRIPT_ARCHIVE,
	SCRIPT_DUE_READ,
	SCRIPT_COUNT
};

#define SCRIPT_KEYS_MAX	12

struct script {
	const char	*name;		/* lua/NAME.lua */
	const char	*source;
	size_t		 nkeys;
	size_t		 keys[SCRIPT_KEYS_MAX - 1];	/* offsets in struct keys;
						   the guard comes after */
};

extern const struct script scripts[SCRIPT_COUNT];
/* Every source, NULL-terminated, in script_id order (to load them). */
extern const char *const script_sources[SCRIPT_COUNT + 1];

/*
 * The arguments after EVAL's script: numkeys, the keys (named from k), the
 * guard key, then argv. out must hold 1 + SCRIPT_KEYS_MAX + argc;
 * nkeys_buf holds numkeys as text. Returns the count written to out.
 *
 * The guard ({p}:slot-guard) never exists and no script touches it. While
 * a Redis Cluster migrates the slot, a command whose keys are not all on
 * one node is refused before it starts (TRYAGAIN, or ASK then TRYAGAIN),
 * and a missing key counts as elsewhere: so no script starts until the
 * slot has moved. Without it a script whose declared keys were all still
 * there ran, and failed half-way, its first writes kept, at the first key
 * not there (an undeclared {p}:occ:..., or a hash it had just emptied):
 * "Script attempted to access a non local key in a cluster node".
 * Outside a migration the guard costs nothing.
 */
int	script_args(enum script_id, const struct keys *k, int argc,
	    const char *const *argv, const char **out, char nkeys_buf[8]);
/* The name of the key at a struct keys offset ("due"), for messages. */
const char *script_key_name(size_t offset);

#endif
