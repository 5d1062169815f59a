/* The report Phòng Nội vụ hands in: what each agency did about the occurrences due in a span of days, as rows by agency or by task, written as CSV or a Vietnamese table; and the [report] sends the daemon plans. */
#ifndef NV_REPORT_H
#define NV_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "plan.h"

/* The CSV header lines, exactly (README names them). */
#define REPORT_CSV_AGENCY	"agency,name,occurrences,reached,seen," \
	"acknowledged,done_on_time,done_late,not_done,messages_sent," \
	"messages_failed"
#define REPORT_CSV_TASK		"task,title,due,agencies,reached,seen," \
	"acknowledged,done_on_time,done_late,not_done"
/* UTF-8's byte-order mark: Excel reads the CSV as UTF-8 only with it. */
#define REPORT_BOM		"\xef\xbb\xbf"

enum report_by { REPORT_BY_AGENCY, REPORT_BY_TASK };
enum report_every { REPORT_MONTH, REPORT_QUARTER, REPORT_HALF, REPORT_YEAR };

/*
 * The counts of a set of follow-ups (an occurrence and one of its
 * agencies each); see README, "The report", for what each one means.
 */
struct report_counts {
	long long	follow_ups;	/* by agency: occurrences;
					   by task: agencies */
	long long	reached;	/* a reminder was delivered */
	long long	seen;		/* seen (Zalo), acknowledged or done */
	long long	acknowledged;	/* acknowledged or done */
	long long	done_on_time;	/* done by the end of the due day */
	long long	done_late;	/* done after it */
	long long	not_done;	/* no done recorded */
	long long	overdue;	/* not done, the due day over */
	long long	messages_sent;	/* ledger: sent */
	long long	messages_failed;	/* ledger: dead */
};

/* One row: an agency, or an occurrence of a task. */
struct report_row {
	const char		*id;	/* the agency or task id (the plan's) */
	const char		*name;	/* its name or title (the plan's) */
	char			 due[11];	/* by task: YYYY-MM-DD */
	struct report_counts	 c;
};

struct report;

/* A report over the occurrences due from day from to day to (both in). */
struct report	*report_new(enum report_by, plan_day from, plan_day to);
void		 report_free(struct report *);
/*
 * An occurrence "TASK/DUE" of {p}:occurrences and the field-value pairs of
 * its {p}:occ hash (copied). 0 when kept; -1 when its due day is outside
 * the report's days or the name is not TASK/YYYY-MM-DD (ignored).
 */
int		 report_add_occurrence(struct report *, const char *occurrence,
		    const char *const *fields, size_t n);
/*
 * A {p}:log entry (field-value pairs), after every occurrence is added:
 * a `sent` or `dead` of a reminder of one of them counts for its agency.
 */
void		 report_add_ledger(struct report *, const char *const *fields,
		    size_t n);
/*
 * The rows, against the plan as it is now (recipients, names, titles) at
 * instant now; occurrences of tasks the plan no longer has are left out.
 * The rows point into the plan: it must outlive them.
 */
void		 report_compute(struct report *, const struct plan *,
		    int64_t now);
const struct report_row *report_rows(const struct report *, size_t *n);
/* Every agency with a follow-up (plan order), whatever the report is by. */
const struct report_row *report_agencies(const struct report *, size_t *n);
const struct report_counts *report_total(const struct report *);
/* Occurrences left out: their task is no longer in the plan. */
size_t		 report_gone(const struct report *);

/* One CSV field (RFC 4180): quoted when it holds , " CR or LF. */
void		 report_csv_field(struct buf *, const char *);
/* The whole CSV (malloc'd, its length in *len): BOM, header, CRLF lines. */
char		*report_csv(const struct report *, size_t *len);
/*
 * The report as an aligned table with Vietnamese headings, what the
 * counts mean and the instant they were taken (malloc'd). period_text
 * ("quý II/2022") may be NULL.
 */
char		*report_text(const struct report *, const struct plan *,
		    const char *period_text);
/*
 * The short message a [report] send carries (malloc'd): to whom, the
 * period, the counts, the agencies with work overdue; attachment names
 * the CSV that goes with it, or is NULL.
 */
char		*report_summary(const struct report *, const struct plan *,
		    const char *head, const char *agency_name,
		    const char *period_text, const char *attachment);

/* A period of a [report]: its days, "2022-Q2" and "quý II/2022". */
struct report_period {
	plan_day	from;
	plan_day	to;
	char		label[32];
	char		text[64];
};

int		 report_every_parse(const char *, enum report_every *);
/* The period of kind every that holds day. */
void		 report_period_of(enum report_every, plan_day,
		    struct report_period *);
/* "từ ngày 01/04/2022 đến ngày 30/06/2022" */
void		 report_days_text(plan_day from, plan_day to, char *buf,
		    size_t len);

/*
 * When a [report] goes for the period ending on day end: at's days after
 * it and its time, on a working day (a day off moves it later, never
 * earlier: it reports on a period that must be over), within [delivery]
 * hours.
 */
int64_t		 report_fire(const struct plan *, const struct config *,
		    const struct config_report *, plan_day end);

/* One planned report send: into {p}:due like a reminder. */
struct report_send {
	char	*id;		/* report:NAME/PERIOD/AGENCY/CHANNEL */
	int64_t	 fire_at;
	char	*payload;	/* JSON, as {p}:reminders holds */
};

struct report_sends {
	struct report_send	*v;
	size_t			 n;
	size_t			 cap;
};

/*
 * Every send of the config's [report] sections whose instant is in
 * [from_ms, to_ms]: one per period, agency of `to` and channel (an agency
 * without the channel's contact is left out: report_check says so).
 * Appends to *out.
 */
void		 report_plan(const struct plan *, const struct config *,
		    int64_t from_ms, int64_t to_ms, struct report_sends *out);
void		 report_sends_clear(struct report_sends *);

/* What a report send's payload asks for. */
struct report_request {
	char			name[64];
	enum report_by		by;
	struct report_period	period;
};

/* 1 (and *rq) when the payload is a report send's, 0 when it is not, -1 with why when it is broken. */
int		 report_request_read(json_t *payload, struct report_request *,
		    char *err, size_t len);

/*
 * The [report] sections against the plan, into d as the main config's
 * FILE:LINE: every agency or group of `to` exists, and has the contact of
 * every channel the report goes on.
 */
void		 report_check(const struct plan *, const struct config *,
		    struct diag *);

/*
 * The instants within which the ledger holds what a report over days
 * [from, to] counts: from the earliest a reminder of an occurrence due
 * then can fire to a day after the last one's retries end.
 */
void		 report_ledger_span(const struct plan *, plan_day from,
		    plan_day to, int64_t *lo, int64_t *hi);

#endif
