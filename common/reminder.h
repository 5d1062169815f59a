/* A reminder as stored in Redis ({p}:reminders, JSON) and the bodies built from it. */
#ifndef NV_REMINDER_H
#define NV_REMINDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * The strings point into `json` (a stored payload) or `arena` (one built
 * from the plan) and live as long as the reminder; `own` holds strings set
 * later (an escalation's status, a confirmation link). id, task, agency
 * and channel are required; the rest may be NULL.
 */
struct reminder {
	json_t		*json;
	char		*arena;
	char		*own[2];
	const char	*id;
	const char	*task;
	const char	*title;		/* defaults to task */
	const char	*agency;
	const char	*agency_name;	/* defaults to agency */
	const char	*head;
	const char	*contact;	/* the address on this channel */
	const char	*channel;
	const char	*due;		/* "2022-04-30" or "2022-04-01..2022-04-30" */
	const char	*spec;
	const char	*note;
	const char	*text;		/* an ad-hoc notice's own text */
	const char	*status;	/* an escalation: how recipients stand */
	const char	*confirm_url;	/* a signed confirmation link */
	int		 open;		/* an escalation: recipients not done */
	int		 recipients;	/* an escalation: all of them */
	const char	*lead;		/* the lead agency's name */
	const char	*partners;	/* partner names, "a, b" */
	const char	*window;	/* a broadcast window id, or NULL */
	const char	*period;	/* day | month | quarter */
	const char	*zalo;		/* every contact of the agency */
	const char	*phone;
	const char	*email;
	const char	*role;		/* "lead" or "partner": the recipient's */
	const char	*window_name;	/* the window's name, "11:00", "11:30" */
	const char	*window_start;
	const char	*window_end;
	const char	*windows;	/* "11:00–11:30 và 16:45–18:30" */
	const char	*plan_number;	/* the plan document of the task */
	const char	*plan_date;	/* "2022-02-20" */
	const char	*plan_issuer;
	const char	*plan_title;
	int64_t		 fire_at;	/* ms, from {p}:due */
	int64_t		 expires_at;	/* ms: the occurrence's end; 0: none */
	int64_t		 sent_at;	/* ms: when it is sent; 0: at fire_at */
	int		 escalation;	/* it tells the task's owners how it stands */
	int		 attempt;	/* 1 on the first try */
	int		 late;		/* sent after its time, within grace */
};

/* Parse a stored payload; on failure say why in err. Takes nothing. */
int	reminder_parse(struct reminder *, const char *payload, size_t n,
	    char *err, size_t len);
/* The same from a parsed object; takes the reference (freed on error). */
int	reminder_from_json(struct reminder *, json_t *, char *err, size_t len);
void	reminder_clear(struct reminder *);
/* Are the required members there (and title, agency_name defaulted)? */
int	reminder_check(struct reminder *, char *err, size_t len);
/*
 * Every string member copied into one allocation of its own (`arena`), the
 * JSON object and anything else they pointed into let go: a reminder held
 * for long costs its text and no more.
 */
void	reminder_pack(struct reminder *);
/* The payload's JSON object (a new reference), or NULL out of memory. */
json_t	*reminder_to_json(const struct reminder *);
/* The member named `name` (a payload's key), or NULL. */
const char *reminder_member(const struct reminder *, const char *name);
/*
 * The message text (malloc'd): the reminder in Vietnamese, as
 * template_text_default gives it in the default zone.
 */
char	*reminder_text(const struct reminder *);
/* The default webhook body: id, task, title, agency, due, fire_at, text... */
json_t	*reminder_webhook_body(const struct reminder *, const char *text);
/* "30/04/2022" for a day, "01/04/2022 – 30/04/2022" for a span. */
void	reminder_due_text(const char *due, char *buf, size_t len);

#endif
