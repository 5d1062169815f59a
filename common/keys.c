/* Redis key names, all under one hash-tagged prefix so a Cluster keeps them together. */
#include <stdio.h>
#include <string.h>

#include "keys.h"

static void
keys_set(char *dst, const char *prefix, const char *name)
{
	snprintf(dst, KEYS_NAME_MAX, "{%s}:%s", prefix, name);
}

int
keys_init(struct keys *k, const char *prefix)
{
	if (strlen(prefix) > KEYS_PREFIX_MAX || strpbrk(prefix, "{}") != NULL)
		return -1;
	snprintf(k->prefix, sizeof(k->prefix), "%s", prefix);
	keys_set(k->base, prefix, "");
	keys_set(k->due, prefix, "due");
	keys_set(k->reminders, prefix, "reminders");
	keys_set(k->attempts, prefix, "attempts");
	keys_set(k->state, prefix, "state");
	keys_set(k->outbox, prefix, "outbox");
	keys_set(k->log, prefix, "log");
	keys_set(k->dead, prefix, "dead");
	keys_set(k->control, prefix, "control");
	keys_set(k->plan_version, prefix, "plan:version");
	keys_set(k->plan_sources, prefix, "plan:sources");
	keys_set(k->zalo_token, prefix, "zalo:token");
	keys_set(k->zalo_lock, prefix, "zalo:lock");
	keys_set(k->pauses, prefix, "pauses");
	keys_set(k->held, prefix, "held");
	keys_set(k->occurrences, prefix, "occurrences");
	keys_set(k->refs, prefix, "refs");
	keys_set(k->events, prefix, "events");
	keys_set(k->inbox, prefix, "inbox");
	keys_set(k->handled, prefix, "handled");
	keys_set(k->guard, prefix, "slot-guard");
	keys_set(k->archive, prefix, "archive");
	keys_set(k->archive_lock, prefix, "archive:lock");
	return 0;
}

int
keys_set_consumer(struct keys *k, const char *consumer)
{
	int	n;

	n = snprintf(k->lease, sizeof(k->lease), "{%s}:consumer:%s",
	    k->prefix, consumer);
	return n < 0 || (size_t)n >= sizeof(k->lease) ? -1 : 0;
}

int
keys_set_occ(struct keys *k, const char *occurrence)
{
	int	n;

	n = snprintf(k->occ, sizeof(k->occ), "%socc:%s", k->base, occurrence);
	return n < 0 || (size_t)n >= sizeof(k->occ) ? -1 : 0;
}
