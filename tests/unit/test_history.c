/* Unit tests for common/history.c: reminder ids taken apart, ledger entries, filters, TSV lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "xmalloc.h"

static const struct {
	const char	*id;
	int		 rc;
	const char	*task, *due, *agency, *channel;
	int		 fallback;
} id_cases[] = {
	{ "dan-hoi/2022-04-30/end-1d@08:00/dai-truyen-thanh/zalo", 0,
	    "dan-hoi", "2022-04-30", "dai-truyen-thanh", "zalo", 0 },
	{ "dan-hoi/2022-04-30/end@trua-30m/noi-vu/email", 0, "dan-hoi",
	    "2022-04-30", "noi-vu", "email", 0 },
	{ "adhoc/1651021200000-4242-0/noi-vu/hook", 0, "adhoc", "", "noi-vu",
	    "hook", 0 },
	{ "dan-hoi/2022-04-30/end-1d@08:00/noi-vu/zalo~fallback-email", 0,
	    "dan-hoi", "2022-04-30", "noi-vu", "email", 1 },
	{ "adhoc/1-2-3/noi-vu/zalo~fallback-email", 0, "adhoc", "", "noi-vu",
	    "email", 1 },
	{ "a/b/c/d/e~fallback-x~fallback-y", 0, "a", "b", "d", "y", 1 },
	{ "a/b/c/d", -1, "", "", "", "", 0 },
	{ "a/b/c/d/e/f", -1, "", "", "", "", 0 },
	{ "a//c/d/e", -1, "", "", "", "", 0 },
	{ "a/b/c/d/e~fallback-", -1, "", "", "", "", 0 },
	{ "plain", -1, "", "", "", "", 0 },
	{ "", -1, "", "", "", "", 0 },
};

static void
test_parse_id(void **state)
{
	struct history_entry	e;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(id_cases); i++) {
		memset(&e, 'x', sizeof(e));
		if (history_parse_id(id_cases[i].id, &e) != id_cases[i].rc)
			fail_msg("'%s': rc", id_cases[i].id);
		if (strcmp(e.task, id_cases[i].task) != 0 ||
		    strcmp(e.due, id_cases[i].due) != 0 ||
		    strcmp(e.agency, id_cases[i].agency) != 0 ||
		    strcmp(e.channel, id_cases[i].channel) != 0 ||
		    e.fallback != id_cases[i].fallback)
			fail_msg("'%s': got task '%s' due '%s' agency '%s' "
			    "channel '%s' fallback %d", id_cases[i].id, e.task,
			    e.due, e.agency, e.channel, e.fallback);
	}
}

/* What complete.lua, claim.lua and a later ledger with task and agency write. */
static void
test_read(void **state)
{
	const char *const sent[] = { "id",
	    "t/2022-04-30/end-1d@08:00/a/hook", "channel", "hook", "outcome",
	    "sent", "status", "200", "latency_ms", "12", "attempt", "1", "at",
	    "1651021200000", "late", "1", "ref", "m-1", "detail", "",
	    "stale", "0", "entry", "yes" };
	const char *const missed[] = { "id", "t/2022-04-30/end@08:00/a/zalo",
	    "outcome", "missed", "fire_at", "1651194000000", "at",
	    "1651219200000", "detail", "not sent: more than the grace "
	    "period late" };
	const char *const named[] = { "id", "odd-id", "task", "t2", "agency",
	    "b", "channel", "email", "outcome", "skipped", "at", "x" };
	const char *const noid[] = { "outcome", "sent" };
	struct history_entry	e;

	(void)state;
	assert_int_equal(history_read(&e, sent, nitems(sent)), 0);
	assert_string_equal(e.id, "t/2022-04-30/end-1d@08:00/a/hook");
	assert_string_equal(e.task, "t");
	assert_string_equal(e.agency, "a");
	assert_string_equal(e.channel, "hook");
	assert_string_equal(e.outcome, "sent");
	assert_string_equal(e.attempt, "1");
	assert_string_equal(e.ref, "m-1");
	assert_int_equal(e.at, 1651021200000LL);
	assert_int_equal(e.late, 1);

	/* missed: no channel field, the id says it */
	assert_int_equal(history_read(&e, missed, nitems(missed)), 0);
	assert_string_equal(e.channel, "zalo");
	assert_string_equal(e.attempt, "");
	assert_int_equal(e.at, 1651219200000LL);
	assert_int_equal(e.late, 0);

	/* fields win over the id; a bad at is none */
	assert_int_equal(history_read(&e, named, nitems(named)), 0);
	assert_string_equal(e.task, "t2");
	assert_string_equal(e.agency, "b");
	assert_string_equal(e.channel, "email");
	assert_int_equal(e.at, -1);

	assert_int_equal(history_read(&e, noid, nitems(noid)), -1);
}

static void
test_match(void **state)
{
	const char *const f1[] = { "id", "t/2022-04-30/end@08:00/a/zalo",
	    "outcome", "sent", "at", "1000" };
	const char *const f2[] = { "id", "t/2022-04-30/end@08:00/a/zalo",
	    "outcome", "sent" };
	const char		*ab[] = { "b", "a" }, *b[] = { "b" };
	struct history_filter	 f = { -1, -1, NULL, NULL, NULL, 0 };
	struct history_entry	 e, none;

	(void)state;
	assert_int_equal(history_read(&e, f1, nitems(f1)), 0);
	assert_int_equal(history_read(&none, f2, nitems(f2)), 0);
	assert_true(history_match(&f, &e));
	assert_true(history_match(&f, &none));
	f.since = 1000;
	assert_true(history_match(&f, &e));
	assert_false(history_match(&f, &none));	/* no time: not in a span */
	f.since = 1001;
	assert_false(history_match(&f, &e));
	f.since = -1;
	f.until = 1000;				/* the end is not in it */
	assert_false(history_match(&f, &e));
	f.until = 1001;
	assert_true(history_match(&f, &e));
	f.task = "t";
	f.channel = "zalo";
	f.agencies = ab;
	f.nagencies = 2;
	assert_true(history_match(&f, &e));
	f.agencies = b;
	f.nagencies = 1;
	assert_false(history_match(&f, &e));
	f.agencies = NULL;
	f.channel = "email";
	assert_false(history_match(&f, &e));
	f.channel = NULL;
	f.task = "u";
	assert_false(history_match(&f, &e));
}

static void
test_tsv(void **state)
{
	const char *const f[] = { "id", "t/2022-04-30/end@08:00/a/hook",
	    "outcome", "retry", "attempt", "2", "detail",
	    "HTTP 503:\tbusy\r\nagain", "at", "1" };
	struct history_entry	 e;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	assert_int_equal(history_read(&e, f, nitems(f)), 0);
	assert_non_null(fp = open_memstream(&buf, &len));
	history_print_tsv(fp, &e, "2022-04-27T08:00:00+07:00");
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(buf, "2022-04-27T08:00:00+07:00\t"
	    "t/2022-04-30/end@08:00/a/hook\tt\ta\thook\tretry\t2\t"
	    "HTTP 503: busy  again\n");
	free(buf);
	assert_string_equal(HISTORY_TSV_HEADER,
	    "at\tid\ttask\tagency\tchannel\toutcome\tattempt\tdetail");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_id),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_tsv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
