/* The delivery ledger as an admin reads it: {p}:log entries, the parts of their reminder ids, filters, TSV lines. */
#ifndef NV_HISTORY_H
#define NV_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* `nhacviec log --format tsv`: its header line, exactly. */
#define HISTORY_TSV_HEADER \
	"at\tid\ttask\tagency\tchannel\toutcome\tattempt\tdetail"

#define HISTORY_PART_MAX	128

/*
 * One ledger entry. The strings that are not arrays point into the field
 * list it was read from, "" when the entry lacks the field.
 */
struct history_entry {
	const char	*id;		/* the reminder id */
	const char	*outcome;	/* sent retry defer dead missed skipped */
	const char	*attempt;	/* "" for missed */
	const char	*detail;
	const char	*ref;		/* the provider's message id, if sent */
	int64_t		 at;		/* ms; -1 when the entry has none */
	int		 late;		/* sent late, within the grace */
	/* from the entry's own fields, else taken from the id; "" unknown */
	char		 task[HISTORY_PART_MAX];	/* "adhoc" for a notice */
	char		 agency[HISTORY_PART_MAX];
	char		 channel[HISTORY_PART_MAX];
	char		 due[32];	/* the due day of a planned reminder */
	int		 fallback;	/* the id names a fallback send */
};

/*
 * The parts of a reminder id into e's arrays: "TASK/DUE/SPEC/AGENCY/CHANNEL"
 * (planned) or "adhoc/STAMP/AGENCY/CHANNEL" (a notice), either followed by
 * "~fallback-CHANNEL" for the send on a fallback channel (its channel wins).
 * -1 when id has neither form (the arrays are left "").
 */
int	history_parse_id(const char *id, struct history_entry *e);

/*
 * An entry from the field-value pairs of a stream entry (fields[0] a name,
 * fields[1] its value, ...): task, agency and channel from fields of those
 * names when present, else from the id. -1 when there is no id field.
 */
int	history_read(struct history_entry *e, const char *const *fields,
	    size_t nfields);

/* What `log` and `report` keep; a NULL or -1 member keeps everything. */
struct history_filter {
	int64_t		  since;	/* at >= since (ms), or -1 */
	int64_t		  until;	/* at < until (ms), or -1 */
	const char	 *task;
	const char	 *channel;
	const char	**agencies;	/* any of these */
	size_t		  nagencies;
};

int	history_match(const struct history_filter *,
	    const struct history_entry *);

/*
 * The TSV line of an entry (header HISTORY_TSV_HEADER), at given as text;
 * tabs and line ends inside a value become spaces.
 */
void	history_print_tsv(FILE *, const struct history_entry *,
	    const char *at);

#endif
