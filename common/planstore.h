/* The plan in Redis: the load script and its document, the plan script and reminder payloads. */
#ifndef NV_PLANSTORE_H
#define NV_PLANSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "diag.h"
#include "keys.h"
#include "plan.h"
#include "reminder.h"
#include "schedule.h"

/* Plan sources: file names and their texts, as read and as stored. */
struct plan_sources {
	char	**names;
	char	**texts;
	size_t	  n;
};

/*
 * An ad-hoc notice's payload (JSON text, malloc'd); id gets a fresh id. Its
 * due day is today in the plan's zone (UTC without a plan).
 */
char	*planstore_adhoc(const struct plan *, char **id, const char *agency,
	    const char *agency_name, const char *head, const char *contact,
	    const char *channel, const char *title, const char *text,
	    int64_t now_ms);

/* Read every file the glob names (sorted); errors into d. */
int	planstore_read(const char *glob, struct plan_sources *, struct diag *);
void	planstore_sources_clear(struct plan_sources *);
/*
 * Parse plan sources and cross-check them with the main config (channels,
 * contacts): what load, check, preview and the daemon all do. NULL when
 * there is any error; every error and warning goes to d.
 */
struct plan *planstore_parse(const struct config *,
	    const struct plan_sources *, struct diag *);
/* The same from the files the config names; sources kept in *src. */
struct plan *planstore_load(const struct config *, struct plan_sources *src,
	    struct diag *);

/* The load script's document (JSON text, malloc'd). */
char	*planstore_document(const struct plan *, const struct plan_sources *,
	    int64_t now_ms);
/* The {p}:reminders payload of one planned reminder (JSON text, malloc'd). */
char	*planstore_payload(const struct plan *, const struct sched_reminder *);
/* The same as a JSON object (a new reference), or NULL. */
json_t	*planstore_payload_json(const struct plan *,
	    const struct sched_reminder *);

/*
 * A planned reminder's payload as the plan says now, by its id (a
 * fallback's id "ID~fallback-CHANNEL" too): what a requeued dead letter is
 * sent with. NULL with why when the plan no longer gives it.
 */
char	*planstore_payload_now(const struct plan *, const struct config *,
	    const char *id, char *err, size_t len);
/* The same as a JSON object (a new reference). */
json_t	*planstore_payload_now_json(const struct plan *,
	    const struct config *, const char *id, char *err, size_t len);
/*
 * The same as a reminder (its strings its own), with no JSON in between:
 * what the daemon sends a planned reminder from. -1 with why.
 */
int	 planstore_reminder_now(const struct plan *, const struct config *,
	    const char *id, struct reminder *, char *err, size_t len);
/*
 * The fallback of a reminder (its payload as JSON text): id fb_id, on
 * channel fb, to the agency's address for it. NULL with why when the
 * agency has none.
 */
char	*planstore_fallback(const struct reminder *base, const char *fb_id,
	    const struct config_channel *fb, char *err, size_t len);

#endif
