/* The Lua scripts and the keys each touches, named once here. */
#include <stddef.h>
#include <stdio.h>

#include "scripts.h"

#define K(f)	offsetof(struct keys, f)

/* Made from lua/NAME.lua by scripts/embed-lua.sh. */
extern const char lua_claim[], lua_take[], lua_complete[], lua_keep[],
    lua_rescue[], lua_plan_load[], lua_plan[], lua_enqueue[], lua_requeue[],
    lua_zalo_unlock[], lua_pause[], lua_resume[], lua_release[],
    lua_follow[], lua_open[], lua_ledger_seek[], lua_archive[], lua_due_read[];

/* Each key list matches the KEYS line at the top of its .lua file. */
const struct script scripts[SCRIPT_COUNT] = {
	[SCRIPT_CLAIM] = { "claim", lua_claim, 6,
	    { K(due), K(reminders), K(attempts), K(state), K(outbox),
	      K(log) } },
	[SCRIPT_TAKE] = { "take", lua_take, 6,
	    { K(outbox), K(state), K(log), K(dead), K(reminders),
	      K(attempts) } },
	[SCRIPT_COMPLETE] = { "complete", lua_complete, 9,
	    { K(outbox), K(state), K(log), K(due), K(reminders), K(attempts),
	      K(dead), K(held), K(refs) } },
	[SCRIPT_KEEP] = { "keep", lua_keep, 2, { K(outbox), K(lease) } },
	[SCRIPT_RESCUE] = { "rescue", lua_rescue, 4,
	    { K(state), K(due), K(outbox), K(log) } },
	[SCRIPT_PLAN_LOAD] = { "plan_load", lua_plan_load, 2,
	    { K(plan_version), K(control) } },
	[SCRIPT_PLAN] = { "plan", lua_plan, 4,
	    { K(due), K(reminders), K(state), K(occurrences) } },
	[SCRIPT_ENQUEUE] = { "enqueue", lua_enqueue, 4,
	    { K(due), K(reminders), K(state), K(control) } },
	[SCRIPT_REQUEUE] = { "requeue", lua_requeue, 7,
	    { K(dead), K(reminders), K(state), K(attempts), K(due),
	      K(control), K(log) } },
	[SCRIPT_ZALO_UNLOCK] = { "zalo_unlock", lua_zalo_unlock, 1,
	    { K(zalo_lock) } },
	[SCRIPT_PAUSE] = { "pause", lua_pause, 3,
	    { K(pauses), K(control), K(log) } },
	[SCRIPT_RESUME] = { "resume", lua_resume, 4,
	    { K(pauses), K(held), K(control), K(log) } },
	[SCRIPT_RELEASE] = { "release", lua_release, 3,
	    { K(pauses), K(held), K(due) } },
	/* KEYS[1], the occurrence's hash, is given by the caller (occ). */
	[SCRIPT_FOLLOW] = { "follow", lua_follow, 6,
	    { K(occ), K(due), K(state), K(log), K(reminders), K(attempts) } },
	[SCRIPT_OPEN] = { "open", lua_open, 1, { K(occurrences) } },
	[SCRIPT_LEDGER_SEEK] = { "ledger_seek", lua_ledger_seek, 1,
	    { K(log) } },
	[SCRIPT_ARCHIVE] = { "archive", lua_archive, 8,
	    { K(archive_lock), K(archive), K(log), K(dead), K(state),
	      K(attempts), K(refs), K(occurrences) } },
	[SCRIPT_DUE_READ] = { "due_read", lua_due_read, 1, { K(due) } },
};

const char *const script_sources[SCRIPT_COUNT + 1] = {
	lua_claim, lua_take, lua_complete, lua_keep, lua_rescue,
	lua_plan_load, lua_plan, lua_enqueue, lua_requeue, lua_zalo_unlock,
	lua_pause, lua_resume, lua_release, lua_follow, lua_open,
	lua_ledger_seek, lua_archive, lua_due_read, NULL
};

static const struct {
	size_t		 offset;
	const char	*name;
} script_key_names[] = {
	{ K(due), "due" }, { K(reminders), "reminders" },
	{ K(attempts), "attempts" }, { K(state), "state" },
	{ K(outbox), "outbox" }, { K(log), "log" }, { K(dead), "dead" },
	{ K(control), "control" }, { K(plan_version), "plan_version" },
	{ K(plan_sources), "plan_sources" },
	{ K(zalo_token), "zalo_token" }, { K(zalo_lock), "zalo_lock" },
	{ K(lease), "lease" }, { K(pauses), "pauses" }, { K(held), "held" },
	{ K(occurrences), "occurrences" }, { K(refs), "refs" },
	{ K(events), "events" }, { K(inbox), "inbox" }, { K(occ), "occ" },
	{ K(handled), "handled" }, { K(archive), "archive" },
	{ K(archive_lock), "archive_lock" },
};

const char *
script_key_name(size_t offset)
{
	size_t	i;

	for (i = 0; i < sizeof(script_key_names) /
	    sizeof(script_key_names[0]); i++)
		if (script_key_names[i].offset == offset)
			return script_key_names[i].name;
	return NULL;
}

int
script_args(enum script_id id, const struct keys *k, int argc,
    const char *const *argv, const char **out, char nkeys_buf[8])
{
	const struct script	*s = &scripts[id];
	size_t			 i;
	int			 n = 0;

	snprintf(nkeys_buf, 8, "%zu", s->nkeys + 1);
	out[n++] = nkeys_buf;
	for (i = 0; i < s->nkeys; i++)
		out[n++] = (const char *)k + s->keys[i];
	out[n++] = k->guard;
	for (i = 0; i < (size_t)argc; i++)
		out[n++] = argv[i];
	return n;
}
