/* Unit tests for stream entries as hiredis hands them: outbox entries, control messages, the XREAD envelope. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "entry.h"
#include "helpers.h"

#define NOW_MS	1651021200000LL
#define PAYLOAD	"{\"id\":\"a\",\"task\":\"t\",\"agency\":\"x\",\"channel\":\"hook\"}"

static const struct {
	const char	*name;
	const char	*reply;
	const char	*err;		/* NULL: parses */
	const char	*entry;		/* the entry id kept, or NULL */
	const char	*id;		/* the reminder id kept, or NULL */
	int		 attempt, late;
	int64_t		 fire_at;
	const char	*payload;
} outbox_cases[] = {
	{ "full", "[1651021200000-0 [id a fire_at 1651021199000 attempt 2 "
	    "late 1 payload " PAYLOAD "]]", NULL, "1651021200000-0", "a", 2, 1,
	    1651021199000LL, PAYLOAD },
	{ "defaults", "[1-0 [id a]]", NULL, "1-0", "a", 1, 0, NOW_MS, NULL },
	{ "a score as a double", "[1-0 [id a fire_at 1.651021199e+12]]",
	    NULL, "1-0", "a", 1, 0, 1651021199000LL, NULL },
	{ "integers as integers", "[1-0 [id a attempt :3 late :0 "
	    "fire_at :1651021199000]]", NULL, "1-0", "a", 3, 0,
	    1651021199000LL, NULL },
	{ "an empty payload", "[1-0 [id a payload '']]", NULL, "1-0", "a", 1,
	    0, NOW_MS, "" },
	{ "other fields ignored", "[1-0 [id a note [1 2] n :3 x ~]]", NULL,
	    "1-0", "a", 1, 0, NOW_MS, NULL },
	{ "no id", "[1-0 [attempt 1]]", "no field 'id' (the reminder id)",
	    "1-0", NULL, 0, 0, 0, NULL },
	{ "an integer id", "[1-0 [id :5]]",
	    "field 'id' is an integer, not text", "1-0", NULL, 0, 0, 0, NULL },
	{ "an empty id", "[1-0 [id '']]", "field 'id' is empty", "1-0", NULL,
	    0, 0, 0, NULL },
	{ "an id not UTF-8", "[1-0 [id a\xff]]",
	    "field 'id' is not UTF-8 text", "1-0", NULL, 0, 0, 0, NULL },
	{ "a nested payload", "[1-0 [id a payload [x [y]]]]",
	    "field 'payload' is an array, not text", "1-0", "a", 0, 0, 0,
	    NULL },
	{ "a nil payload", "[1-0 [id a payload ~]]",
	    "field 'payload' is nil, not text", "1-0", "a", 0, 0, 0, NULL },
	{ "attempt in words", "[1-0 [id a attempt two]]",
	    "field 'attempt' is not an integer in [1, 2147483647]", "1-0", "a",
	    0, 0, 0, NULL },
	{ "attempt 0", "[1-0 [id a attempt 0]]",
	    "field 'attempt' is not an integer", "1-0", "a", 0, 0, 0, NULL },
	{ "attempt past int", "[1-0 [id a attempt 99999999999]]",
	    "field 'attempt' is not an integer", "1-0", "a", 0, 0, 0, NULL },
	{ "attempt with a sign", "[1-0 [id a attempt +2]]",
	    "field 'attempt' is not an integer", "1-0", "a", 0, 0, 0, NULL },
	{ "late 2", "[1-0 [id a late 2]]",
	    "field 'late' is not an integer in [0, 1]", "1-0", "a", 0, 0, 0,
	    NULL },
	{ "fire_at inf", "[1-0 [id a fire_at inf]]",
	    "field 'fire_at' is not a time in ms", "1-0", "a", 0, 0, 0, NULL },
	{ "fire_at nan", "[1-0 [id a fire_at nan]]",
	    "field 'fire_at' is not a time in ms", "1-0", "a", 0, 0, 0, NULL },
	{ "fire_at hex", "[1-0 [id a fire_at 0x10]]",
	    "field 'fire_at' is not a time in ms", "1-0", "a", 0, 0, 0, NULL },
	{ "fire_at 1e300", "[1-0 [id a fire_at 1e300]]",
	    "field 'fire_at' is not a time in ms", "1-0", "a", 0, 0, 0, NULL },
	{ "fire_at an array", "[1-0 [id a fire_at [1]]]",
	    "field 'fire_at' is not a time in ms", "1-0", "a", 0, 0, 0, NULL },
	{ "id twice", "[1-0 [id a id b]]", "field 'id' appears twice", "1-0",
	    NULL, 0, 0, 0, NULL },
	{ "a value missing", "[1-0 [id a payload]]",
	    "an odd number (3) of field names and values", "1-0", NULL, 0, 0,
	    0, NULL },
	{ "a name not text", "[1-0 [id a :7 b]]",
	    "field name 2 is an integer, not text", "1-0", NULL, 0, 0, 0,
	    NULL },
	{ "fields nil", "[1-0 ~]", "the fields are nil, not an array", "1-0",
	    NULL, 0, 0, 0, NULL },
	{ "an entry id not text", "[:5 [id a]]",
	    "the entry id is not MS-SEQ text", NULL, NULL, 0, 0, 0, NULL },
	{ "an entry id not MS-SEQ", "[1-0-0 [id a]]",
	    "the entry id is not MS-SEQ text", NULL, NULL, 0, 0, 0, NULL },
	{ "an entry id too long", "[1234567890123456789012345678901234567890"
	    "-1234567 [id a]]", "the entry id is not MS-SEQ text", NULL, NULL,
	    0, 0, 0, NULL },
	{ "not a pair", ":5", "not an { id, fields } pair but an integer",
	    NULL, NULL, 0, 0, 0, NULL },
	{ "three elements", "[1-0 [id a] x]", "not an { id, fields } pair but "
	    "an array of another size", NULL, NULL, 0, 0, 0, NULL },
	{ "an error", "-ERR no", "not an { id, fields } pair but an error",
	    NULL, NULL, 0, 0, 0, NULL },
};

static void
test_outbox(void **state)
{
	struct entry_outbox	 o;
	redisReply		*r;
	char			 err[200];
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(outbox_cases); i++) {
		r = test_resp(outbox_cases[i].reply);
		err[0] = '\0';
		rc = entry_outbox_parse(&o, r, NOW_MS, err, sizeof(err));
		if (outbox_cases[i].err == NULL && rc != 0)
			fail_msg("case '%s': %s", outbox_cases[i].name, err);
		if (outbox_cases[i].err != NULL && (rc != -1 ||
		    strncmp(err, outbox_cases[i].err,
		    strlen(outbox_cases[i].err)) != 0))
			fail_msg("case '%s': got %d '%s'", outbox_cases[i].name,
			    rc, err);
		if ((o.entry == NULL) != (outbox_cases[i].entry == NULL) ||
		    (o.entry && strcmp(o.entry, outbox_cases[i].entry) != 0))
			fail_msg("case '%s': entry %s", outbox_cases[i].name,
			    o.entry ? o.entry : "NULL");
		if ((o.id == NULL) != (outbox_cases[i].id == NULL) ||
		    (o.id && strcmp(o.id, outbox_cases[i].id) != 0))
			fail_msg("case '%s': id %s", outbox_cases[i].name,
			    o.id ? o.id : "NULL");
		if (rc == 0) {
			assert_int_equal(o.attempt, outbox_cases[i].attempt);
			assert_int_equal(o.late, outbox_cases[i].late);
			assert_int_equal(o.fire_at, outbox_cases[i].fire_at);
			if ((o.payload == NULL) !=
			    (outbox_cases[i].payload == NULL) || (o.payload &&
			    (o.payload_len != strlen(outbox_cases[i].payload) ||
			    strcmp(o.payload, outbox_cases[i].payload) != 0)))
				fail_msg("case '%s': payload %s",
				    outbox_cases[i].name,
				    o.payload ? o.payload : "NULL");
		}
		freeReplyObject(r);
	}
}

static const struct {
	const char	*name;
	const char	*reply;
	const char	*err;		/* NULL: parses */
	enum entry_kind	 kind;
	int64_t		 at;
	long long	 version;
	const char	*channel;
} control_cases[] = {
	{ "due", "[5-1 [type due at 1651021260000]]", NULL, ENTRY_DUE,
	    1651021260000LL, 0, NULL },
	{ "due now", "[5-1 [type due]]", NULL, ENTRY_DUE, NOW_MS, 0, NULL },
	{ "due at a bad time", "[5-1 [type due at soon]]",
	    "field 'at' is not a time in ms", ENTRY_DUE, 0, 0, NULL },
	{ "plan-changed", "[5-1 [type plan-changed version 7]]", NULL,
	    ENTRY_PLAN_CHANGED, NOW_MS, 7, NULL },
	{ "plan-changed without a version", "[5-1 [type plan-changed]]", NULL,
	    ENTRY_PLAN_CHANGED, NOW_MS, 0, NULL },
	{ "plan-changed, version in words", "[5-1 [type plan-changed version "
	    "seven]]", "field 'version' is not an integer", ENTRY_OTHER, 0, 0,
	    NULL },
	{ "pause", "[5-1 [type pause channel hook]]", NULL, ENTRY_PAUSE,
	    NOW_MS, 0, "hook" },
	{ "resume", "[5-1 [type resume channel bảo-trì]]", NULL, ENTRY_RESUME,
	    NOW_MS, 0, "bảo-trì" },
	/* The message only says: read {p}:pauses again. */
	{ "pause, no channel", "[5-1 [type pause]]", NULL, ENTRY_PAUSE, NOW_MS,
	    0, NULL },
	{ "resume, an integer channel", "[5-1 [type resume channel :5]]",
	    "field 'channel' is an integer, not text", ENTRY_OTHER, 0, 0,
	    NULL },
	{ "pause, a channel not UTF-8", "[5-1 [type pause channel \xc3]]",
	    "field 'channel' is not UTF-8 text", ENTRY_OTHER, 0, 0, NULL },
	{ "archive", "[5-1 [type archive]]", NULL, ENTRY_ARCHIVE, NOW_MS, 0,
	    NULL },
	{ "an unknown type", "[5-1 [type reload channel :5]]", NULL,
	    ENTRY_OTHER, NOW_MS, 0, NULL },
	{ "no type", "[5-1 [channel hook]]", "no field 'type'", ENTRY_OTHER,
	    0, 0, NULL },
	{ "an array type", "[5-1 [type [pause]]]",
	    "field 'type' is an array, not text", ENTRY_OTHER, 0, 0, NULL },
	{ "type twice", "[5-1 [type due type pause]]",
	    "field 'type' appears twice", ENTRY_OTHER, 0, 0, NULL },
	{ "not an entry", "+OK", "not an { id, fields } pair but a status",
	    ENTRY_OTHER, 0, 0, NULL },
};

static void
test_control(void **state)
{
	struct entry_control	 c;
	redisReply		*r;
	char			 err[200];
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(control_cases); i++) {
		r = test_resp(control_cases[i].reply);
		err[0] = '\0';
		rc = entry_control_parse(&c, r, NOW_MS, err, sizeof(err));
		if (control_cases[i].err != NULL) {
			if (rc != -1 || strncmp(err, control_cases[i].err,
			    strlen(control_cases[i].err)) != 0)
				fail_msg("case '%s': got %d '%s'",
				    control_cases[i].name, rc, err);
			freeReplyObject(r);
			continue;
		}
		if (rc != 0)
			fail_msg("case '%s': %s", control_cases[i].name, err);
		assert_string_equal(c.entry, "5-1");
		if (c.kind != control_cases[i].kind ||
		    c.at != control_cases[i].at ||
		    c.version != control_cases[i].version)
			fail_msg("case '%s': kind %d at %lld version %lld",
			    control_cases[i].name, c.kind, (long long)c.at,
			    c.version);
		if ((c.channel == NULL) != (control_cases[i].channel == NULL) ||
		    (c.channel && strcmp(c.channel,
		    control_cases[i].channel) != 0))
			fail_msg("case '%s': channel %s", control_cases[i].name,
			    c.channel ? c.channel : "NULL");
		freeReplyObject(r);
	}
}

static const struct {
	const char	*name;
	const char	*reply;
	size_t		 entries;	/* (size_t)-1: none */
} xread_cases[] = {
	{ "one stream", "[[{t}:control [[1-0 [type due]] [1-1 [type x]]]]]",
	    2 },
	{ "empty", "[[{t}:control []]]", 0 },
	{ "a timeout", "~", (size_t)-1 },
	{ "entries not a list", "[[{t}:control :5]]", (size_t)-1 },
	{ "two streams", "[[a []] [b []]]", (size_t)-1 },
	{ "no entries", "[[{t}:control]]", (size_t)-1 },
	{ "a stream that is text", "[x]", (size_t)-1 },
	{ "an error", "-ERR wrong", (size_t)-1 },
};

static void
test_xread(void **state)
{
	const redisReply	*e;
	redisReply		*r;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(xread_cases); i++) {
		r = test_resp(xread_cases[i].reply);
		e = entry_xread_entries(r);
		if (xread_cases[i].entries == (size_t)-1 ? e != NULL :
		    (e == NULL || e->elements != xread_cases[i].entries))
			fail_msg("case '%s': %s", xread_cases[i].name,
			    e ? "entries" : "none");
		freeReplyObject(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbox),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_xread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
