/* Redis key names, all under one hash-tagged prefix so a Cluster keeps them together. */
#ifndef NV_KEYS_H
#define NV_KEYS_H

#include <stddef.h>

#define KEYS_PREFIX_MAX	100
#define KEYS_NAME_MAX	(KEYS_PREFIX_MAX + 32)
#define KEYS_GROUP	"dispatch"	/* the outbox consumer group */

struct keys {
	char	prefix[KEYS_PREFIX_MAX + 1];
	char	base[KEYS_NAME_MAX];		/* "{prefix}:", for scripts */
	char	due[KEYS_NAME_MAX];		/* ZSET id -> fire time (ms) */
	char	reminders[KEYS_NAME_MAX];	/* HASH id -> JSON payload */
	char	attempts[KEYS_NAME_MAX];	/* HASH id -> attempts so far */
	char	state[KEYS_NAME_MAX];		/* HASH id -> queued|sent|dead|missed */
	char	outbox[KEYS_NAME_MAX];		/* STREAM of claimed reminders */
	char	log[KEYS_NAME_MAX];		/* STREAM: the delivery ledger */
	char	dead[KEYS_NAME_MAX];		/* STREAM: dead letters */
	char	control[KEYS_NAME_MAX];		/* STREAM: messages to daemons */
	char	plan_version[KEYS_NAME_MAX];	/* STRING */
	char	plan_sources[KEYS_NAME_MAX];	/* HASH file -> text as loaded */
	char	zalo_token[KEYS_NAME_MAX];	/* HASH: the OA token pair */
	char	zalo_lock[KEYS_NAME_MAX];	/* STRING: one refresh at a time */
	char	pauses[KEYS_NAME_MAX];		/* HASH channel -> pause (JSON) */
	char	held[KEYS_NAME_MAX];		/* HASH id -> paused channel */
	char	occurrences[KEYS_NAME_MAX];	/* ZSET TASK/DUE -> due end (ms) */
	char	refs[KEYS_NAME_MAX];		/* HASH message id -> reminder id */
	char	events[KEYS_NAME_MAX];		/* STREAM: inbound events */
	char	inbox[KEYS_NAME_MAX];		/* STREAM: replies not placed */
	char	handled[KEYS_NAME_MAX];		/* HASH: events handled once */
	char	guard[KEYS_NAME_MAX];		/* never exists: every script
						   declares it (scripts.c) */
	char	archive[KEYS_NAME_MAX];		/* HASH: the last archive run */
	char	archive_lock[KEYS_NAME_MAX];	/* STRING: one archiver at a time */
	char	occ[KEYS_NAME_MAX + 256];	/* HASH: one occurrence's follow-ups,
						   set by keys_occ before use */
	char	lease[KEYS_NAME_MAX + 256];	/* STRING: consumer:NAME's holder */
};

/* Fill in every name for a prefix such as "nhacviec" ("{nhacviec}:due"). */
int	keys_init(struct keys *, const char *prefix);
/* occ names the follow-ups of an occurrence ("TASK/DUE"): a copy of the
 * keys does it for the follow script. */
int	keys_set_occ(struct keys *, const char *occurrence);
/* The lease key of a consumer name ("{nhacviec}:consumer:NAME"). */
int	keys_set_consumer(struct keys *, const char *consumer);

#endif
