/* Stream entries as hiredis hands them (an outbox entry, a control message), read into small structs with every type checked. */
#ifndef NV_ENTRY_H
#define NV_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#define ENTRY_ID_MAX	48	/* a stream entry id, "MS-SEQ", with its NUL */

/* An outbox entry as the take script returns it; strings point into the reply. */
struct entry_outbox {
	const char	*entry;		/* the stream entry id; NULL: unusable */
	const char	*id;		/* the reminder id (UTF-8) */
	int		 attempt;	/* 1 when absent */
	int		 late;		/* 0 or 1; 0 when absent */
	int64_t		 fire_at;	/* ms; now_ms when absent */
	const char	*payload;	/* NULL when absent */
	size_t		 payload_len;
	const char	*follow;	/* an escalation's follow-ups (JSON) */
};

/*
 * One element of the take script's list: { entry id, { field, value, ... } }
 * with fields id, attempt, late, fire_at, payload, follow (others are
 * ignored).
 * -1 with err naming the field when one is missing, twice, of the wrong
 * type or out of range; entry (and id) stay set when they were good, so
 * that the caller can record the refusal against them.
 */
int	entry_outbox_parse(struct entry_outbox *, const redisReply *,
	    int64_t now_ms, char *err, size_t len);

enum entry_kind {
	ENTRY_OTHER,		/* a type this version does not act on */
	ENTRY_DUE,		/* something is due at `at` */
	ENTRY_PLAN_CHANGED,	/* a new plan, `version` */
	ENTRY_PAUSE,		/* {p}:pauses changed: read it again */
	ENTRY_RESUME,
	ENTRY_ARCHIVE,		/* archive what is older than [ledger] keep now */
};

/* A message on {p}:control; strings point into the reply. */
struct entry_control {
	const char	*entry;		/* the stream entry id; NULL: unusable */
	enum entry_kind	 kind;
	const char	*type;		/* as written */
	int64_t		 at;		/* due: ms; now_ms when absent */
	long long	 version;	/* plan-changed: 0 when absent */
	const char	*channel;	/* pause, resume: the channel; NULL */
};

/*
 * One control entry { entry id, { field, value, ... } }. -1 with err when
 * it has no type or a field it uses is of the wrong type or out of range;
 * an unknown type is not an error (kind ENTRY_OTHER).
 */
int	entry_control_parse(struct entry_control *, const redisReply *,
	    int64_t now_ms, char *err, size_t len);

/* The entry list of a one-stream XREAD reply, or NULL (none, or odd). */
const redisReply *entry_xread_entries(const redisReply *);

#endif
