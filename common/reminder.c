/* A reminder as stored in Redis ({p}:reminders, JSON) and the bodies built from it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "reminder.h"
#include "template.h"
#include "xmalloc.h"

/* A string member, or NULL when absent; -1 when present but not a string. */
static int
reminder_str(json_t *o, const char *key, const char **out)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* The payload's members, where they go, and which must be there. */
static const struct {
	const char	*name;
	size_t		 off;
	int		 required;
} reminder_fields[] = {
	{ "id", offsetof(struct reminder, id), 1 },
	{ "task", offsetof(struct reminder, task), 1 },
	{ "title", offsetof(struct reminder, title), 0 },
	{ "agency", offsetof(struct reminder, agency), 1 },
	{ "agency_name", offsetof(struct reminder, agency_name), 0 },
	{ "head", offsetof(struct reminder, head), 0 },
	{ "contact", offsetof(struct reminder, contact), 0 },
	{ "channel", offsetof(struct reminder, channel), 1 },
	{ "due", offsetof(struct reminder, due), 0 },
	{ "spec", offsetof(struct reminder, spec), 0 },
	{ "note", offsetof(struct reminder, note), 0 },
	{ "text", offsetof(struct reminder, text), 0 },
	{ "status", offsetof(struct reminder, status), 0 },
	{ "confirm_url", offsetof(struct reminder, confirm_url), 0 },
	{ "lead", offsetof(struct reminder, lead), 0 },
	{ "partners", offsetof(struct reminder, partners), 0 },
	{ "window", offsetof(struct reminder, window), 0 },
	{ "period", offsetof(struct reminder, period), 0 },
	{ "zalo", offsetof(struct reminder, zalo), 0 },
	{ "phone", offsetof(struct reminder, phone), 0 },
	{ "email", offsetof(struct reminder, email), 0 },
	{ "role", offsetof(struct reminder, role), 0 },
	{ "window_name", offsetof(struct reminder, window_name), 0 },
	{ "window_start", offsetof(struct reminder, window_start), 0 },
	{ "window_end", offsetof(struct reminder, window_end), 0 },
	{ "windows", offsetof(struct reminder, windows), 0 },
	{ "plan_number", offsetof(struct reminder, plan_number), 0 },
	{ "plan_date", offsetof(struct reminder, plan_date), 0 },
	{ "plan_issuer", offsetof(struct reminder, plan_issuer), 0 },
	{ "plan_title", offsetof(struct reminder, plan_title), 0 },
};

int
reminder_parse(struct reminder *r, const char *payload, size_t n, char *err,
    size_t len)
{
	json_error_t	 jerr;
	json_t		*o;

	memset(r, 0, sizeof(*r));
	if (payload == NULL || n == 0) {
		snprintf(err, len, "no payload");
		return -1;
	}
	o = json_loadb(payload, n, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL || !json_is_object(o)) {
		snprintf(err, len, "payload is not a JSON object: %s",
		    o ? "wrong type" : jerr.text);
		json_decref(o);
		return -1;
	}
	return reminder_from_json(r, o, err, len);
}

int
reminder_from_json(struct reminder *r, json_t *o, char *err, size_t len)
{
	json_t		*v;
	const char	**slot;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->json = o;
	for (i = 0; i < sizeof(reminder_fields) / sizeof(reminder_fields[0]);
	    i++) {
		slot = (const char **)((char *)r + reminder_fields[i].off);
		if (reminder_str(r->json, reminder_fields[i].name, slot) == -1) {
			snprintf(err, len, "payload member '%s' is not a string",
			    reminder_fields[i].name);
			reminder_clear(r);
			return -1;
		}
	}
	v = json_object_get(r->json, "expires_at");
	if (v != NULL && !json_is_integer(v)) {
		snprintf(err, len, "payload member 'expires_at' is not an "
		    "integer (ms)");
		reminder_clear(r);
		return -1;
	}
	r->expires_at = v ? (int64_t)json_integer_value(v) : 0;
	v = json_object_get(r->json, "open");
	r->open = json_is_integer(v) ? (int)json_integer_value(v) : 0;
	v = json_object_get(r->json, "recipients");
	r->recipients = json_is_integer(v) ? (int)json_integer_value(v) : 0;
	r->escalation = json_is_true(json_object_get(r->json, "escalation"));
	if (reminder_check(r, err, len) == -1) {
		reminder_clear(r);
		return -1;
	}
	return 0;
}

int
reminder_check(struct reminder *r, char *err, size_t len)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof(reminder_fields) / sizeof(reminder_fields[0]);
	    i++) {
		v = *(const char **)((char *)r + reminder_fields[i].off);
		if (reminder_fields[i].required && (v == NULL || *v == '\0')) {
			snprintf(err, len, "payload lacks '%s'",
			    reminder_fields[i].name);
			return -1;
		}
	}
	if (r->title == NULL)
		r->title = r->task;
	if (r->agency_name == NULL)
		r->agency_name = r->agency;
	return 0;
}

const char *
reminder_member(const struct reminder *r, const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(reminder_fields) / sizeof(reminder_fields[0]);
	    i++)
		if (strcmp(reminder_fields[i].name, name) == 0)
			return *(const char *const *)((const char *)r +
			    reminder_fields[i].off);
	return NULL;
}

/*
 * The members in the order the plan's payloads have always had them (the
 * order is not a meaning: every reader looks members up by name).
 */
static const char *const reminder_order[] = {
	"id", "task", "title", "agency", "agency_name", "channel", "due",
	"spec", "period", "expires_at", "head", "contact", "zalo", "phone",
	"email", "note", "escalation", "lead", "role", "window", "window_name",
	"window_start", "window_end", "windows", "plan_number", "plan_date",
	"plan_issuer", "plan_title", "partners", "text", "status", "open",
	"recipients", "confirm_url",
};

json_t *
reminder_to_json(const struct reminder *r)
{
	json_t		*o, *v;
	const char	*k, *s;
	size_t		 i;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < sizeof(reminder_order) / sizeof(reminder_order[0]);
	    i++) {
		k = reminder_order[i];
		v = NULL;
		if (strcmp(k, "expires_at") == 0)
			v = r->expires_at ? json_integer(r->expires_at) : NULL;
		else if (strcmp(k, "escalation") == 0)
			v = r->escalation ? json_true() : NULL;
		else if (strcmp(k, "open") == 0)
			v = r->status ? json_integer(r->open) : NULL;
		else if (strcmp(k, "recipients") == 0)
			v = r->status ? json_integer(r->recipients) : NULL;
		else if ((s = reminder_member(r, k)) != NULL)
			v = json_string(s);	/* checked: any source */
		if (v != NULL && json_object_set_new(o, k, v) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

void
reminder_pack(struct reminder *r)
{
	const char	**slot;
	size_t		  i, n, total = 0;
	char		 *m, *q;

	for (i = 0; i < sizeof(reminder_fields) / sizeof(reminder_fields[0]);
	    i++) {
		slot = (const char **)((char *)r + reminder_fields[i].off);
		if (*slot != NULL)
			total += strlen(*slot) + 1;
	}
	q = m = xmalloc(total ? total : 1);
	for (i = 0; i < sizeof(reminder_fields) / sizeof(reminder_fields[0]);
	    i++) {
		slot = (const char **)((char *)r + reminder_fields[i].off);
		if (*slot == NULL)
			continue;
		n = strlen(*slot) + 1;
		memcpy(q, *slot, n);
		*slot = q;
		q += n;
	}
	if (r->json != NULL)
		json_decref(r->json);
	r->json = NULL;
	free(r->arena);
	free(r->own[0]);
	free(r->own[1]);
	r->own[0] = r->own[1] = NULL;
	r->arena = m;
}

void
reminder_clear(struct reminder *r)
{
	if (r->json)
		json_decref(r->json);
	free(r->arena);
	free(r->own[0]);
	free(r->own[1]);
	memset(r, 0, sizeof(*r));
}

/* "2022-04-30" as "30/04/2022"; anything else is copied as it is. */
static void
reminder_day_text(const char *s, size_t n, char *buf, size_t len)
{
	int	y, m, d;
	char	tmp[16];

	if (n == 10) {
		memcpy(tmp, s, 10);
		tmp[10] = '\0';
		if (sscanf(tmp, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			snprintf(buf, len, "%02d/%02d/%04d", d, m, y);
			return;
		}
	}
	snprintf(buf, len, "%.*s", (int)n, s);
}

void
reminder_due_text(const char *due, char *buf, size_t len)
{
	const char	*dots;
	char		 a[32], b[32];

	if (due == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	if ((dots = strstr(due, "..")) == NULL) {
		reminder_day_text(due, strlen(due), buf, len);
		return;
	}
	reminder_day_text(due, (size_t)(dots - due), a, sizeof(a));
	reminder_day_text(dots + 2, strlen(dots + 2), b, sizeof(b));
	snprintf(buf, len, "%s – %s", a, b);
}

/* A thin wrapper kept for its callers: the text is template.c's. */
char *
reminder_text(const struct reminder *r)
{
	return template_text_default(r, NULL);
}

/*
 * One member of the body. The reminder's strings are a jansson object's
 * (checked UTF-8 when it was built or parsed): not checked again.
 */
static int
reminder_body_set(json_t *o, const char *key, const char *v, int required)
{
	json_t	*s;

	if (v == NULL && required)
		return -1;
	s = v ? json_stringn_nocheck(v, strlen(v)) : json_null();
	return json_object_set_new_nocheck(o, key, s);
}

json_t *
reminder_webhook_body(const struct reminder *r, const char *text)
{
	json_t	*o;
	char	 fire[40];

	if ((o = json_object()) == NULL)
		return NULL;
	clock_format_iso8601(r->fire_at, fire, sizeof(fire));
	if (reminder_body_set(o, "id", r->id, 1) == -1 ||
	    reminder_body_set(o, "task", r->task, 1) == -1 ||
	    reminder_body_set(o, "title", r->title, 1) == -1 ||
	    reminder_body_set(o, "agency", r->agency, 1) == -1 ||
	    reminder_body_set(o, "agency_name", r->agency_name, 1) == -1 ||
	    reminder_body_set(o, "head", r->head, 0) == -1 ||
	    reminder_body_set(o, "contact", r->contact, 0) == -1 ||
	    reminder_body_set(o, "due", r->due, 0) == -1 ||
	    reminder_body_set(o, "fire_at", fire, 1) == -1 ||
	    /* Rendered here, from templates: checked. */
	    json_object_set_new_nocheck(o, "text", json_string(text)) == -1 ||
	    reminder_body_set(o, "channel", r->channel, 1) == -1 ||
	    json_object_set_new_nocheck(o, "attempt",
	    json_integer(r->attempt)) == -1 ||
	    json_object_set_new_nocheck(o, "late",
	    json_boolean(r->late)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}
