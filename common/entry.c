/* Stream entries as hiredis hands them (an outbox entry, a control message), read into small structs with every type checked. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "text.h"

#define ENTRY_TIME_MAX	9007199254740992LL	/* 2^53 ms: exact as a double */

/* A field wanted from a flat { name, value, ... } array, and what was found. */
struct entry_field {
	const char		*name;
	const redisReply	*v;
};

static const char *
entry_type_name(const redisReply *v)
{
	switch (v->type) {
	case REDIS_REPLY_STRING:
		return "text";
	case REDIS_REPLY_ARRAY:
		return "an array";
	case REDIS_REPLY_INTEGER:
		return "an integer";
	case REDIS_REPLY_NIL:
		return "nil";
	case REDIS_REPLY_STATUS:
		return "a status";
	case REDIS_REPLY_ERROR:
		return "an error";
	}
	return "of an unknown type";
}

/* "MS-SEQ", both decimal, short enough for our buffers. */
static int
entry_id_ok(const redisReply *v)
{
	size_t	i, digits = 0, dashes = 0;

	if (v->type != REDIS_REPLY_STRING || v->len == 0 ||
	    v->len >= ENTRY_ID_MAX)
		return 0;
	for (i = 0; i < v->len; i++) {
		if (v->str[i] >= '0' && v->str[i] <= '9')
			digits++;
		else if (v->str[i] == '-' && digits > 0 && dashes == 0) {
			dashes = 1;
			digits = 0;
		} else
			return 0;
	}
	return dashes == 1 && digits > 0;
}

/*
 * { entry id, fields }: the id into *entry, the wanted fields found. -1
 * with err for a bad shape, a name that is not text, or a field twice.
 */
static int
entry_walk(const redisReply *e, const char **entry, struct entry_field *want,
    size_t nwant, char *err, size_t len)
{
	const redisReply	*f, *k;
	size_t			 i, w;

	*entry = NULL;
	if (e == NULL || e->type != REDIS_REPLY_ARRAY || e->elements != 2) {
		snprintf(err, len, "not an { id, fields } pair but %s%s",
		    e ? entry_type_name(e) : "nothing",
		    e && e->type == REDIS_REPLY_ARRAY ? " of another size" :
		    "");
		return -1;
	}
	if (!entry_id_ok(e->element[0])) {
		snprintf(err, len, "the entry id is not MS-SEQ text");
		return -1;
	}
	*entry = e->element[0]->str;
	f = e->element[1];
	if (f->type != REDIS_REPLY_ARRAY) {
		snprintf(err, len, "the fields are %s, not an array",
		    entry_type_name(f));
		return -1;
	}
	if (f->elements % 2 != 0) {
		snprintf(err, len, "an odd number (%zu) of field names and "
		    "values", f->elements);
		return -1;
	}
	for (i = 0; i < f->elements; i += 2) {
		k = f->element[i];
		if (k->type != REDIS_REPLY_STRING) {
			snprintf(err, len, "field name %zu is %s, not text",
			    i / 2 + 1, entry_type_name(k));
			return -1;
		}
		for (w = 0; w < nwant; w++) {
			if (strlen(want[w].name) != k->len ||
			    memcmp(want[w].name, k->str, k->len) != 0)
				continue;
			if (want[w].v != NULL) {
				snprintf(err, len, "field '%s' appears twice",
				    want[w].name);
				return -1;
			}
			want[w].v = f->element[i + 1];
		}
	}
	return 0;
}

/* A text field: a string reply, UTF-8 unless raw, no NUL inside. */
static int
entry_text(const struct entry_field *f, int raw, const char **out,
    size_t *outlen, char *err, size_t len)
{
	const redisReply	*v = f->v;

	if (v->type != REDIS_REPLY_STRING) {
		snprintf(err, len, "field '%s' is %s, not text", f->name,
		    entry_type_name(v));
		return -1;
	}
	if (!raw && (memchr(v->str, '\0', v->len) != NULL ||
	    !text_utf8_valid(v->str, v->len))) {
		snprintf(err, len, "field '%s' is not UTF-8 text", f->name);
		return -1;
	}
	*out = v->str;
	if (outlen)
		*outlen = v->len;
	return 0;
}

/* An integer field in [min, max]: an integer reply, or decimal text. */
static int
entry_int(const struct entry_field *f, long long min, long long max,
    long long *out, char *err, size_t len)
{
	const redisReply	*v = f->v;
	char			 buf[32], *end;
	long long		 n;

	if (v->type == REDIS_REPLY_INTEGER)
		n = v->integer;
	else if (v->type == REDIS_REPLY_STRING && v->len > 0 &&
	    v->len < sizeof(buf)) {
		memcpy(buf, v->str, v->len);
		buf[v->len] = '\0';
		errno = 0;
		n = strtoll(buf, &end, 10);
		if (*end != '\0' || errno != 0 || buf[0] == ' ' ||
		    buf[0] == '+' || buf[0] == '\t')
			goto bad;
	} else
		goto bad;
	if (n < min || n > max)
		goto bad;
	*out = n;
	return 0;
bad:
	snprintf(err, len, "field '%s' is not an integer in [%lld, %lld]",
	    f->name, min, max);
	return -1;
}

/* A time in ms: an integer reply, or a number as text (a ZSET score). */
static int
entry_time(const struct entry_field *f, int64_t *out, char *err, size_t len)
{
	const redisReply	*v = f->v;
	char			 buf[64], *end;
	double			 d;

	if (v->type == REDIS_REPLY_INTEGER) {
		if (v->integer < -ENTRY_TIME_MAX || v->integer > ENTRY_TIME_MAX)
			goto bad;
		*out = v->integer;
		return 0;
	}
	/* Decimal only: strtod would take "inf", "nan" and hex too. */
	if (v->type != REDIS_REPLY_STRING || v->len == 0 ||
	    v->len >= sizeof(buf) ||
	    strspn(v->str, "0123456789.eE+-") != v->len)
		goto bad;
	memcpy(buf, v->str, v->len);
	buf[v->len] = '\0';
	d = strtod(buf, &end);
	if (*end != '\0' || end == buf || !isfinite(d) ||
	    d < (double)-ENTRY_TIME_MAX || d > (double)ENTRY_TIME_MAX)
		goto bad;
	*out = (int64_t)d;
	return 0;
bad:
	snprintf(err, len, "field '%s' is not a time in ms", f->name);
	return -1;
}

enum {
	OB_ID, OB_ATTEMPT, OB_LATE, OB_FIRE_AT, OB_PAYLOAD, OB_FOLLOW,
	OB_FIELDS
};

int
entry_outbox_parse(struct entry_outbox *o, const redisReply *e,
    int64_t now_ms, char *err, size_t len)
{
	struct entry_field	f[OB_FIELDS] = {
		[OB_ID] = { "id", NULL },
		[OB_ATTEMPT] = { "attempt", NULL },
		[OB_LATE] = { "late", NULL },
		[OB_FIRE_AT] = { "fire_at", NULL },
		[OB_PAYLOAD] = { "payload", NULL },
		[OB_FOLLOW] = { "follow", NULL },
	};
	long long		 n;

	memset(o, 0, sizeof(*o));
	o->attempt = 1;
	o->fire_at = now_ms;
	if (entry_walk(e, &o->entry, f, OB_FIELDS, err, len) == -1)
		return -1;
	if (f[OB_ID].v == NULL) {
		snprintf(err, len, "no field 'id' (the reminder id)");
		return -1;
	}
	if (entry_text(&f[OB_ID], 0, &o->id, NULL, err, len) == -1)
		return -1;
	if (*o->id == '\0') {
		o->id = NULL;
		snprintf(err, len, "field 'id' is empty");
		return -1;
	}
	if (f[OB_ATTEMPT].v != NULL) {
		if (entry_int(&f[OB_ATTEMPT], 1, INT_MAX, &n, err, len) == -1)
			return -1;
		o->attempt = (int)n;
	}
	if (f[OB_LATE].v != NULL) {
		if (entry_int(&f[OB_LATE], 0, 1, &n, err, len) == -1)
			return -1;
		o->late = (int)n;
	}
	if (f[OB_FIRE_AT].v != NULL &&
	    entry_time(&f[OB_FIRE_AT], &o->fire_at, err, len) == -1)
		return -1;
	if (f[OB_PAYLOAD].v != NULL && entry_text(&f[OB_PAYLOAD], 1,
	    &o->payload, &o->payload_len, err, len) == -1)
		return -1;
	if (f[OB_FOLLOW].v != NULL && entry_text(&f[OB_FOLLOW], 1,
	    &o->follow, NULL, err, len) == -1)
		return -1;
	return 0;
}

enum { CT_TYPE, CT_AT, CT_VERSION, CT_CHANNEL, CT_FIELDS };

/* The control types this version acts on. */
static const struct {
	const char	*name;
	enum entry_kind	 kind;
} entry_kinds[] = {
	{ "due", ENTRY_DUE },
	{ "plan-changed", ENTRY_PLAN_CHANGED },
	{ "pause", ENTRY_PAUSE },
	{ "resume", ENTRY_RESUME },
	{ "archive", ENTRY_ARCHIVE },
};

int
entry_control_parse(struct entry_control *c, const redisReply *e,
    int64_t now_ms, char *err, size_t len)
{
	struct entry_field	f[CT_FIELDS] = {
		[CT_TYPE] = { "type", NULL },
		[CT_AT] = { "at", NULL },
		[CT_VERSION] = { "version", NULL },
		[CT_CHANNEL] = { "channel", NULL },
	};
	size_t			 i;

	memset(c, 0, sizeof(*c));
	c->at = now_ms;
	if (entry_walk(e, &c->entry, f, CT_FIELDS, err, len) == -1)
		return -1;
	if (f[CT_TYPE].v == NULL) {
		snprintf(err, len, "no field 'type'");
		return -1;
	}
	if (entry_text(&f[CT_TYPE], 0, &c->type, NULL, err, len) == -1)
		return -1;
	c->kind = ENTRY_OTHER;
	for (i = 0; i < sizeof(entry_kinds) / sizeof(entry_kinds[0]); i++)
		if (strcmp(c->type, entry_kinds[i].name) == 0)
			c->kind = entry_kinds[i].kind;
	switch (c->kind) {
	case ENTRY_DUE:
		if (f[CT_AT].v != NULL &&
		    entry_time(&f[CT_AT], &c->at, err, len) == -1)
			return -1;
		break;
	case ENTRY_PLAN_CHANGED:
		if (f[CT_VERSION].v != NULL && entry_int(&f[CT_VERSION], 0,
		    LLONG_MAX, &c->version, err, len) == -1)
			return -1;
		break;
	case ENTRY_PAUSE:
	case ENTRY_RESUME:
		/* Only a hint: {p}:pauses says what holds. */
		if (f[CT_CHANNEL].v != NULL && entry_text(&f[CT_CHANNEL], 0,
		    &c->channel, NULL, err, len) == -1)
			return -1;
		break;
	case ENTRY_ARCHIVE:
	case ENTRY_OTHER:
		break;
	}
	return 0;
}

const redisReply *
entry_xread_entries(const redisReply *r)
{
	const redisReply	*s;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 1)
		return NULL;
	s = r->element[0];
	if (s->type != REDIS_REPLY_ARRAY || s->elements != 2 ||
	    s->element[1]->type != REDIS_REPLY_ARRAY)
		return NULL;
	return s->element[1];
}
