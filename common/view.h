/* The status pages as HTML (Trang theo dõi): each page drawn from plain data that the daemon gathered, every value escaped. */
#ifndef NV_VIEW_H
#define NV_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "followup.h"
#include "html.h"
#include "plan.h"
#include "report.h"

/* What every page knows: who looks, and the plan to name things by. */
struct view_ctx {
	const struct plan	*plan;		/* NULL before there is one */
	const char		*user;		/* NULL: not logged in */
	int			 read_only;	/* no action buttons */
	const char		*csrf;		/* the session's form token */
	const char		*flash;		/* what the last action did */
	int			 flash_bad;	/* ... and it failed */
	int64_t			 now;		/* ms */
	const char		*section;	/* the menu item to mark */
};

/* "Thứ Sáu, 29/04/2022 08:00" in the plan's zone. */
void	view_when(const struct plan *, int64_t ms, char *buf, size_t len);
/* "Thứ Sáu, 29/04/2022". */
void	view_day(plan_day, char *buf, size_t len);
/* "Đã gửi" etc.: a ledger outcome in Vietnamese (the word itself if new). */
const char *view_outcome(const char *outcome);

/* A task's title, an agency's name, by id (the id when the plan lacks it). */
const char *view_task_title(const struct plan *, const char *id);
const char *view_agency_name(const struct plan *, const char *id);
/* A due day "YYYY-MM-DD" as "Thứ Bảy, 30/04/2022" (other text as it is). */
void	view_due(const char *due, char *buf, size_t len);
/* The hidden form field with the session's token. */
void	view_hidden_csrf(struct html *, const struct view_ctx *);
/* A GET form choosing a period (two dates) for base + id (id may be NULL),
 * with one more field (may be NULL). */
struct view_period;
void	view_period_form(struct html *, const char *base, const char *id,
	    const struct view_period *, const char *extra_name,
	    const char *extra_value);
/* The follow-up counts per state, as figures. */
void	view_follow_counts(struct html *, const long long *follow);

/* The page around a body: head (title), menu; foot closes it. */
void	view_begin(struct html *, const struct view_ctx *, const char *title);
void	view_end(struct html *, const struct view_ctx *);
/* A whole page saying what went wrong (Vietnamese text). */
void	view_error(struct html *, const struct view_ctx *, const char *title,
	    const char *text);
/* The login form; err: why the last try failed, or NULL. */
void	view_login(struct html *, const struct view_ctx *, const char *user,
	    const char *err);

/* --- Tổng quan ----------------------------------------------------------- */

/* Reminders of one task at one minute (the coming days' list). */
struct view_upcoming {
	int64_t		 fire_at;
	const char	*task;		/* id */
	const char	*agency;	/* the one agency, or NULL: several */
	size_t		 nagencies;
	const char	*channels;	/* "zalo, email" */
	size_t		 sent, waiting, failed, other;
};

struct view_channel {
	const char	*name;
	const char	*type;
	int		 paused;
	const char	*by;
	const char	*reason;
	int64_t		 since;		/* ms, Redis's clock */
	int64_t		 until;		/* 0: until resumed */
	long long	 held;		/* reminders it holds */
};

struct view_zalo {
	int		 have;		/* a token pair is stored */
	int64_t		 access_expires_at;
	int64_t		 refresh_issued_at;
	int64_t		 updated_at;
	const char	*status;	/* "ok", "paused", ... */
	const char	*reason;
};

struct view_overview {
	struct view_upcoming	*up;
	size_t			 nup;
	size_t			 up_left;	/* groups not shown */
	/* the last 24 hours of the ledger */
	long long		 sent, failed, deferred, retried, missed;
	long long		 skipped, ledger_read;
	int			 ledger_cut;	/* more than was read */
	struct view_channel	*channels;
	size_t			 nchannels;
	struct view_zalo	 zalo;
	long long		 dead;
	long long		 plan_version;	/* 0: none loaded */
	int64_t			 plan_loaded_at;
	long long		 follow[FU_STATES];	/* -31 days .. +7 */
	long long		 occurrences;
};

void	view_overview(struct html *, const struct view_ctx *,
	    const struct view_overview *);

/* --- Thư lỗi ------------------------------------------------------------- */

struct view_dead {
	const char	*id;		/* the reminder id */
	const char	*channel;
	const char	*reason;
	const char	*attempt;
	int64_t		 at;
};

void	view_dead(struct html *, const struct view_ctx *,
	    const struct view_dead *, size_t n, long long total);

/* --- Nhiệm vụ, Cơ quan --------------------------------------------------- */

/* A period of days, [from, to]. */
struct view_period {
	plan_day	from;
	plan_day	to;
};

/* The follow-ups of the period per task (Nhiệm vụ). */
struct view_task_row {
	const struct plan_task	*task;
	long long		 occurrences;
	long long		 follow[FU_STATES];
};

void	view_tasks(struct html *, const struct view_ctx *,
	    const struct view_period *, const struct view_task_row *,
	    size_t n);

/* An escalation of an occurrence: who is told, on what, and its state
 * ({p}:state: sent, skipped, queued, dead...; "due": not yet, at at). */
struct view_escalation {
	const char	*due;
	const char	*agency;
	const char	*channel;
	const char	*state;
	int64_t		 at;
};

/*
 * One task's matrix: a row per recipient, a column per occurrence. f has
 * nocc * nrec follow-ups, occurrence by occurrence, each in the order of
 * recipients (what followup_read gives).
 */
struct view_matrix {
	const struct plan_task		 *task;
	struct view_period		  period;
	const char			**dues;		/* YYYY-MM-DD */
	size_t				  nocc;
	const struct plan_agency	**recipients;
	size_t				  nrec;
	const struct followup		 *f;
	/* the heads' notes, per cell */
	const char			**notes;	/* nocc * nrec, or
							   NULL */
	const struct view_escalation	 *esc;
	size_t				  nesc;
};

void	view_matrix(struct html *, const struct view_ctx *,
	    const struct view_matrix *);

void	view_agencies(struct html *, const struct view_ctx *);

/* One message of the ledger, for one agency's history. */
struct view_message {
	int64_t		 at;
	const char	*task;
	const char	*due;
	const char	*channel;
	const char	*outcome;
	const char	*attempt;
	const char	*detail;
	int		 late;
};

struct view_agency {
	const struct plan_agency	*agency;
	struct view_period		 period;
	const struct followup		*f;		/* its follow-ups */
	const char			**notes;	/* per follow-up,
							   or NULL */
	size_t				 nf;
	const struct view_message	*m;
	size_t				 nm;
	int				 cut;	/* more messages than shown */
};

void	view_agency(struct html *, const struct view_ctx *,
	    const struct view_agency *);

/* --- Báo cáo ------------------------------------------------------------- */

struct view_report {
	struct view_period	 period;
	enum report_by		 by;
	const struct report_row	*rows;
	size_t			 n;
	const long long		*sent_per_day;	/* period.from .. to */
	int			 cut;	/* the ledger was not read whole */
};

void	view_report(struct html *, const struct view_ctx *,
	    const struct view_report *);

#endif
