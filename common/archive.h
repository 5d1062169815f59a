/* The ledger's archive: what is old enough to leave Redis, the JSON lines (a file a year) that keep it, and reading them back. */
#ifndef NV_ARCHIVE_H
#define NV_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define ARCHIVE_STEP		1000	/* items a step reads and moves */
#define ARCHIVE_OCC_STEP	100	/* follow-up hashes a step moves */
#define ARCHIVE_DIR_MODE	0750
#define ARCHIVE_FILE_MODE	0640

/* What the archive holds, each as its own kind of line. */
enum archive_kind {
	ARCHIVE_LOG,	/* a {p}:log entry */
	ARCHIVE_DEAD,	/* a {p}:dead entry */
	ARCHIVE_STATE,	/* a final state of {p}:state, its attempts */
	ARCHIVE_REF,	/* a {p}:refs entry: message id -> reminder id */
	ARCHIVE_OCC,	/* a {p}:occ:TASK/DUE hash, its {p}:occurrences member */
	ARCHIVE_KINDS
};
#define ARCHIVE_MASK(k)	(1u << (k))

/* "log", "dead", "state", "ref", "occ". */
const char	*archive_kind_name(enum archive_kind);

/*
 * The instant before which things may leave Redis: now - keep, but never
 * within what the planner looks back over (the longer of a week and the
 * grace, and two days more): a reminder it can still plan keeps its
 * state, or it would be planned, and sent, again.
 */
int64_t		 archive_cutoff(int64_t now_ms, int64_t keep_ms,
		    int64_t grace_ms);
/*
 * The time a reminder id stands for, compared with the cutoff: a planned
 * id's due day plus the days an end+Nd spec fires after it, to the end of
 * that day (UTC); an ad-hoc id's stamp. -1 for a [report] send's id
 * ("report:...": a few a year, kept) and any other form (kept).
 */
int		 archive_id_time(const char *id, int64_t *ms);
struct plan;
/*
 * The most days after its due day a reminder or an escalation of the
 * plan fires (an end+Nd or start+Nd spec; 0 for none, or no plan): an
 * occurrence's
 * follow-ups stay that much longer, while its reminders may still go.
 */
int		 archive_plan_after(const struct plan *);
/* 1 for a state that ends a reminder: sent, dead, missed, skipped. */
int		 archive_final(const char *state);
/* A stream entry's time: its `at` field, else its id's milliseconds; -1. */
int64_t		 archive_entry_time(const char *entry,
		    const char *const *fields, size_t n);
/* The year (UTC) of an instant: the file it goes to, YEAR.jsonl. */
int		 archive_year(int64_t ms);

/*
 * The lines (malloc'd, ending in a newline). lens may be NULL (strlen);
 * text that is not UTF-8 gets U+FFFD for each bad byte.
 *   {"kind":"log","id":"1651021200000-0","fields":{"id":...,...}}
 *   {"kind":"state","id":"...","state":"sent","attempts":"2"}
 *   {"kind":"ref","ref":"...","id":"..."}
 *   {"kind":"occ","occ":"TASK/DUE","end":MS,"fields":{...}}
 */
char		*archive_line_entry(enum archive_kind, const char *entry,
		    const char *const *fields, const size_t *lens, size_t n);
char		*archive_line_state(const char *id, const char *state,
		    const char *attempts);
char		*archive_line_ref(const char *ref, const char *id);
char		*archive_line_occ(const char *occ, int64_t end,
		    const char *const *fields, const size_t *lens, size_t n);

/* A line read back; the strings live as long as the item. */
struct archive_item {
	enum archive_kind	 kind;
	const char		*id;	/* entry id, reminder id, ref, TASK/DUE */
	int64_t			 time;	/* as archive_entry_time, the occ's end,
					   archive_id_time; -1 unknown */
	const char		**fields;	/* log, dead, occ: name, value */
	size_t			 nfields;
	const char		*state;		/* state */
	const char		*attempts;	/* state: NULL when none */
	const char		*target;	/* ref: the reminder id */
	json_t			*json;
};

/* -1 with why (no place: the caller has it) when line is not one of ours. */
int		 archive_parse(const char *line, size_t len,
		    struct archive_item *, char *err, size_t errlen);
void		 archive_item_clear(struct archive_item *);

/*
 * Items already seen, by kind and id: a crash between writing and removing
 * leaves an item twice (in a file and in Redis, or twice in a file).
 */
struct archive_seen;
struct archive_seen *archive_seen_new(void);
void		 archive_seen_free(struct archive_seen *);
/* 1 when it is new (and now known), 0 when seen before. */
int		 archive_seen_add(struct archive_seen *, enum archive_kind,
		    const char *id);
int		 archive_seen_has(const struct archive_seen *,
		    enum archive_kind, const char *id);

/*
 * An occurrence's follow-ups gathered from several copies, oldest first:
 * a field keeps its first value, as HSETNX did, except AGENCY:note, whose
 * last value wins, as HSET did.
 */
struct archive_fields {
	char	**v;		/* name, value, ... (malloc'd) */
	size_t	  n;
	size_t	  cap;
};
void		 archive_fields_merge(struct archive_fields *,
		    const char *const *fields, size_t n);
void		 archive_fields_clear(struct archive_fields *);

typedef void	 archive_item_cb(void *arg, const struct archive_item *);
/*
 * The items of the kinds in mask whose time is in [from_ms, to_ms) (-1:
 * no bound), from the year files of dir that can hold them, in file order.
 * With seen, an item of a kind other than occ comes once (occ copies are
 * the caller's to merge). A line that is not ours is a warning on warn,
 * "FILE:LINE: why; skipped". No folder or no file for a year is no
 * archive yet; -1 with err for one that cannot be read.
 */
int		 archive_read(const char *dir, int64_t from_ms, int64_t to_ms,
		    unsigned mask, struct archive_seen *seen,
		    archive_item_cb *cb, void *arg, FILE *warn, char *err,
		    size_t errlen);

/*
 * Append lines to dir/YEAR.jsonl durably (blocking: the file fsynced, the
 * folder too when either is new; file ARCHIVE_FILE_MODE, folder
 * ARCHIVE_DIR_MODE). -1 with why, and nothing half-written kept.
 */
int		 archive_append(const char *dir, int year, const char *buf,
		    size_t len, char *err, size_t errlen);

#endif
