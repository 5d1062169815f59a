/* Unit tests for common/archive.c: the cutoff, the time of an id, the lines and reading them back, each item once, the files. */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "archive.h"
#include "diag.h"
#include "helpers.h"
#include "plan.h"

#define DAY	86400000LL
/* 2022-04-27T08:00:00+07:00 */
#define NOW	1651021200000LL

static int
setup(void **state)
{
	(void)state;
	return test_dir_make("archive");
}

static int
teardown(void **state)
{
	(void)state;
	test_dir_remove();
	return 0;
}

/* --- the cutoff ------------------------------------------------------------ */

static const struct {
	const char	*name;
	int64_t		 keep, grace, want;
} cutoff_cases[] = {
	{ "keep wins", 400 * DAY, 6 * 3600000LL, NOW - 400 * DAY },
	{ "the shortest keep", 30 * DAY, 6 * 3600000LL, NOW - 30 * DAY },
	/* The planner looks back a week (or the grace): never within it. */
	{ "a grace longer than keep", 30 * DAY, 40 * DAY, NOW - 42 * DAY },
	{ "keep within the look back", 8 * DAY, 0, NOW - 9 * DAY },
};

static void
test_cutoff(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(cutoff_cases); i++) {
		if (archive_cutoff(NOW, cutoff_cases[i].keep,
		    cutoff_cases[i].grace) != cutoff_cases[i].want)
			fail_msg("case '%s'", cutoff_cases[i].name);
	}
}

/* --- the time of an id --------------------------------------------------------- */

static const struct {
	const char	*id;
	int64_t		 want;		/* -1: not archived */
} id_cases[] = {
	/* the end of the due day (UTC), or of the last day it can fire */
	{ "dan-hoi/2022-04-30/end-1d@08:00/noi-vu/zalo", 1651363200000LL },
	{ "dan-hoi/2022-04-30/end@trua-30m/dai-truyen-thanh/zalo",
	    1651363200000LL },
	{ "bao-cao/2022-06-30/start@08:00/noi-vu/email", 1656633600000LL },
	{ "bao-cao/2022-06-30/end+5d@08:00/noi-vu/email",
	    1656633600000LL + 5 * DAY },
	{ "bao-cao/2022-06-30/start+100d@08:00/noi-vu/email",
	    1656633600000LL + 100 * DAY },
	{ "dan-hoi/2022-04-30/end-3d@08:00/van-hoa/hook~fallback-email",
	    1651363200000LL },
	{ "dan-hoi/2024-02-29/end@08:00/a/b", 1709251200000LL },
	/* an escalation: its spec, named so */
	{ "bao-cao/2022-06-30/escalate:end+2d@08:00/noi-vu/email",
	    1656633600000LL + 2 * DAY },
	{ "bao-cao/2022-06-30/escalate:@08:00/noi-vu/email", -1 },
	/* a notice: its stamp */
	{ "adhoc/1651223400000-77-0/noi-vu/hook", 1651223400000LL },
	/* kept */
	{ "report:quy/2022-Q2/noi-vu/mail", -1 },
	{ "dan-hoi/2022-02-30/end@08:00/a/b", -1 },
	{ "dan-hoi/2023-02-29/end@08:00/a/b", -1 },
	{ "dan-hoi/2022-04-30/middle@08:00/a/b", -1 },
	{ "dan-hoi/2022-04-30/end+3@08:00/a/b", -1 },
	{ "dan-hoi/2022-04-30/end-1d/a/b", -1 },
	{ "dan-hoi/2022-04-30/end@08:00/a", -1 },
	{ "dan-hoi/2022-04-30/end@08:00/a/b/c", -1 },
	{ "/2022-04-30/end@08:00/a/b", -1 },
	{ "adhoc/soon/noi-vu/hook", -1 },
	{ "digest-1", -1 },
	{ "", -1 },
};

static void
test_id_time(void **state)
{
	int64_t	t;
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < nitems(id_cases); i++) {
		t = -7;
		rc = archive_id_time(id_cases[i].id, &t);
		if (id_cases[i].want == -1 ? rc != -1 :
		    rc != 0 || t != id_cases[i].want)
			fail_msg("id '%s': rc %d, time %lld", id_cases[i].id,
			    rc, (long long)t);
	}
	assert_true(archive_final("sent"));
	assert_true(archive_final("dead"));
	assert_true(archive_final("missed"));
	assert_true(archive_final("skipped"));
	assert_false(archive_final("queued"));
	assert_false(archive_final("held"));
	assert_false(archive_final("waiting"));
}

static void
test_plan_after(void **state)
{
	const char	*names[] = { "a.conf" };
	const char	*texts[] = {
	    "[agency a]\nemail = a@example.gov.vn\n"
	    "[task t]\nlead = a\ndate = 2022-04-30\n"
	    "remind = start-2d@08:00, end+3d@08:00\nchannels = c\n"
	    "[task u]\nlead = a\ndate = 2022-05-30\n"
	    "remind = end-1d@08:00\nremind_lead = start+12d@08:00\n"
	    "channels = c\n"
	    "[task v]\nlead = a\ndate = 2022-05-30\n"
	    "remind = end-1d@08:00\nescalate = end+20d@09:00 > a\n"
	    "channels = c\n" };
	struct plan	*p;
	struct diag	 d;

	(void)state;
	diag_init(&d);
	p = plan_load_texts(names, texts, 1, &d);
	if (p == NULL)
		fail_msg("plan: %s", d.n ? d.msgs[0] : "?");
	assert_int_equal(archive_plan_after(p), 20);
	plan_free(p);
	diag_clear(&d);
	assert_int_equal(archive_plan_after(NULL), 0);
}

static void
test_entry_time(void **state)
{
	const char	*with[] = { "id", "x", "at", "1651021200000" };
	const char	*bad[] = { "at", "soon" };
	const char	*none[] = { "id", "x" };

	(void)state;
	assert_int_equal(archive_entry_time("1700000000000-3", with, 4),
	    1651021200000LL);
	/* On a virtual clock `at` is what counts; else the id's time. */
	assert_int_equal(archive_entry_time("1700000000000-3", bad, 2),
	    1700000000000LL);
	assert_int_equal(archive_entry_time("1700000000000-3", none, 2),
	    1700000000000LL);
	assert_int_equal(archive_entry_time("x", none, 2), -1);
	assert_int_equal(archive_year(1640995199999LL), 2021);
	assert_int_equal(archive_year(1640995200000LL), 2022);
	assert_int_equal(archive_year(0), 1970);
}

/* --- lines, and reading them back ------------------------------------------------ */

static void
test_lines(void **state)
{
	const char		*f[] = { "id", "dan-hoi/2022-04-30/end-1d@08:00/"
	    "noi-vu/hook", "detail", "HTTP 404: \"không\" có\n", "at",
	    "1651021200000" };
	const char		*occ[] = { "noi-vu:done", "1651280400000 link",
	    "noi-vu:note", "Đã gọi" };
	const char		*bin[] = { "detail", "a\xff" "b\xc3" };
	struct archive_item	 it;
	char			*line, err[200];

	(void)state;
	line = archive_line_entry(ARCHIVE_LOG, "1651021200000-0", f, NULL, 6);
	assert_string_equal(line, "{\"kind\":\"log\",\"id\":\"1651021200000-0\","
	    "\"fields\":{\"id\":\"dan-hoi/2022-04-30/end-1d@08:00/noi-vu/hook\","
	    "\"detail\":\"HTTP 404: \\\"không\\\" có\\n\","
	    "\"at\":\"1651021200000\"}}\n");
	assert_int_equal(archive_parse(line, strlen(line) - 1, &it, err,
	    sizeof(err)), 0);
	assert_int_equal(it.kind, ARCHIVE_LOG);
	assert_string_equal(it.id, "1651021200000-0");
	assert_int_equal(it.time, 1651021200000LL);
	assert_int_equal(it.nfields, 6);
	assert_string_equal(it.fields[2], "detail");
	assert_string_equal(it.fields[3], "HTTP 404: \"không\" có\n");
	archive_item_clear(&it);
	free(line);

	line = archive_line_entry(ARCHIVE_DEAD, "5-1", bin, NULL, 2);
	assert_string_equal(line, "{\"kind\":\"dead\",\"id\":\"5-1\",\"fields\":"
	    "{\"detail\":\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"}}\n");
	assert_int_equal(archive_parse(line, strlen(line), &it, err,
	    sizeof(err)), 0);
	assert_int_equal(it.kind, ARCHIVE_DEAD);
	assert_int_equal(it.time, 5);	/* no at: the id's time */
	archive_item_clear(&it);
	free(line);

	line = archive_line_state("adhoc/1651223400000-77-0/noi-vu/hook",
	    "sent", NULL);
	assert_string_equal(line, "{\"kind\":\"state\",\"id\":\"adhoc/"
	    "1651223400000-77-0/noi-vu/hook\",\"state\":\"sent\"}\n");
	assert_int_equal(archive_parse(line, strlen(line), &it, err,
	    sizeof(err)), 0);
	assert_int_equal(it.kind, ARCHIVE_STATE);
	assert_string_equal(it.state, "sent");
	assert_null(it.attempts);
	assert_int_equal(it.time, 1651223400000LL);
	archive_item_clear(&it);
	free(line);
	line = archive_line_state("report:quy/2022-Q2/noi-vu/mail", "dead",
	    "3");
	assert_string_equal(line, "{\"kind\":\"state\",\"id\":\"report:quy/"
	    "2022-Q2/noi-vu/mail\",\"state\":\"dead\",\"attempts\":\"3\"}\n");
	assert_int_equal(archive_parse(line, strlen(line), &it, err,
	    sizeof(err)), 0);
	assert_string_equal(it.attempts, "3");
	assert_int_equal(it.time, -1);
	archive_item_clear(&it);
	free(line);

	line = archive_line_ref("m-1", "adhoc/1651223400000-77-0/noi-vu/hook");
	assert_string_equal(line, "{\"kind\":\"ref\",\"ref\":\"m-1\",\"id\":"
	    "\"adhoc/1651223400000-77-0/noi-vu/hook\"}\n");
	assert_int_equal(archive_parse(line, strlen(line), &it, err,
	    sizeof(err)), 0);
	assert_int_equal(it.kind, ARCHIVE_REF);
	assert_string_equal(it.id, "m-1");
	assert_string_equal(it.target, "adhoc/1651223400000-77-0/noi-vu/hook");
	assert_int_equal(it.time, 1651223400000LL);
	archive_item_clear(&it);
	free(line);

	line = archive_line_occ("dan-hoi/2022-04-30", 1651338000000LL, occ,
	    NULL, 4);
	assert_string_equal(line, "{\"kind\":\"occ\",\"occ\":\"dan-hoi/"
	    "2022-04-30\",\"end\":1651338000000,\"fields\":{\"noi-vu:done\":"
	    "\"1651280400000 link\",\"noi-vu:note\":\"Đã gọi\"}}\n");
	assert_int_equal(archive_parse(line, strlen(line), &it, err,
	    sizeof(err)), 0);
	assert_int_equal(it.kind, ARCHIVE_OCC);
	assert_string_equal(it.id, "dan-hoi/2022-04-30");
	assert_int_equal(it.time, 1651338000000LL);
	assert_int_equal(it.nfields, 4);
	assert_string_equal(it.fields[3], "Đã gọi");
	archive_item_clear(&it);
	free(line);

	/* An occurrence with no follow-ups yet is archived too. */
	line = archive_line_occ("hop/2022-05-10", 1652202000000LL, NULL, NULL,
	    0);
	assert_string_equal(line, "{\"kind\":\"occ\",\"occ\":\"hop/2022-05-10\","
	    "\"end\":1652202000000,\"fields\":{}}\n");
	free(line);
}

static const struct {
	const char	*line;
	const char	*err;		/* how it begins */
} bad_lines[] = {
	{ "", "not JSON: " },
	{ "{\"kind\":\"log\",\"id\":\"1", "not JSON: " },
	{ "[1, 2]", "not a JSON object" },
	{ "{\"id\":\"5-0\"}", "'kind' is missing" },
	{ "{\"kind\":5}", "'kind' is not text" },
	{ "{\"kind\":\"trace\"}", "unknown kind 'trace'" },
	{ "{\"kind\":\"log\",\"fields\":{}}", "'id' is missing" },
	{ "{\"kind\":\"log\",\"id\":\"5-0\"}", "'fields' is missing" },
	{ "{\"kind\":\"log\",\"id\":\"5-0\",\"fields\":[]}",
	    "'fields' is not an object" },
	{ "{\"kind\":\"log\",\"id\":\"5-0\",\"fields\":{\"at\":5}}",
	    "field 'at' is not text" },
	{ "{\"kind\":\"log\",\"id\":\"x\",\"fields\":{}}",
	    "no time: neither 'at' nor an entry id MS-SEQ" },
	{ "{\"kind\":\"state\",\"id\":\"a\"}", "'state' is missing" },
	{ "{\"kind\":\"state\",\"id\":\"a\",\"state\":\"sent\","
	    "\"attempts\":3}", "'attempts' is not text" },
	{ "{\"kind\":\"ref\",\"ref\":\"m\"}", "'id' is missing" },
	{ "{\"kind\":\"occ\",\"occ\":\"a/2022-01-01\",\"fields\":{}}",
	    "'end' is not a time in ms" },
	{ "{\"kind\":\"occ\",\"occ\":\"a/2022-01-01\",\"end\":\"5\","
	    "\"fields\":{}}", "'end' is not a time in ms" },
};

static void
test_bad_lines(void **state)
{
	struct archive_item	it;
	char			err[200];
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(bad_lines); i++) {
		err[0] = '\0';
		if (archive_parse(bad_lines[i].line, strlen(bad_lines[i].line),
		    &it, err, sizeof(err)) != -1 || strncmp(err,
		    bad_lines[i].err, strlen(bad_lines[i].err)) != 0)
			fail_msg("line '%s': got '%s'", bad_lines[i].line, err);
		assert_null(it.json);
	}
}

/* --- each item once -------------------------------------------------------------- */

static void
test_seen(void **state)
{
	struct archive_seen	*s = archive_seen_new();
	char			 id[32];
	int			 i, n = 0;

	(void)state;
	assert_int_equal(archive_seen_add(s, ARCHIVE_LOG, "5-0"), 1);
	assert_int_equal(archive_seen_add(s, ARCHIVE_LOG, "5-0"), 0);
	/* the same id of another kind is another item */
	assert_false(archive_seen_has(s, ARCHIVE_DEAD, "5-0"));
	assert_int_equal(archive_seen_add(s, ARCHIVE_DEAD, "5-0"), 1);
	assert_true(archive_seen_has(s, ARCHIVE_LOG, "5-0"));
	/* past its first size, every id still found once */
	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "%d-%d", 1651021200 + i / 3, i % 3);
		n += archive_seen_add(s, ARCHIVE_LOG, id);
	}
	assert_int_equal(n, 5000);
	for (i = 0; i < 5000; i += 7) {
		snprintf(id, sizeof(id), "%d-%d", 1651021200 + i / 3, i % 3);
		assert_true(archive_seen_has(s, ARCHIVE_LOG, id));
		assert_int_equal(archive_seen_add(s, ARCHIVE_LOG, id), 0);
	}
	assert_false(archive_seen_has(s, ARCHIVE_LOG, "1-0"));
	archive_seen_free(s);
	archive_seen_free(NULL);
}

static void
test_merge(void **state)
{
	const char		*a[] = { "noi-vu:reached", "1 hook",
	    "noi-vu:note", "first" };
	const char		*b[] = { "noi-vu:reached", "9 hook",
	    "noi-vu:done", "5 link", "noi-vu:note", "last" };
	struct archive_fields	 m;

	(void)state;
	memset(&m, 0, sizeof(m));
	archive_fields_merge(&m, a, 4);
	archive_fields_merge(&m, b, 6);
	/* HSETNX's first value, HSET's last note, each field once */
	assert_int_equal(m.n, 6);
	assert_string_equal(m.v[0], "noi-vu:reached");
	assert_string_equal(m.v[1], "1 hook");
	assert_string_equal(m.v[2], "noi-vu:note");
	assert_string_equal(m.v[3], "last");
	assert_string_equal(m.v[4], "noi-vu:done");
	assert_string_equal(m.v[5], "5 link");
	archive_fields_clear(&m);
	assert_int_equal(m.n, 0);
}

/* --- the files -------------------------------------------------------------------- */

struct got {
	char	ids[64][64];
	int	n;
};

static void
got_item(void *arg, const struct archive_item *it)
{
	struct got	*g = arg;

	assert_true(g->n < 64);
	snprintf(g->ids[g->n++], sizeof(g->ids[0]), "%s %s",
	    archive_kind_name(it->kind), it->id);
}

static void
test_read(void **state)
{
	struct archive_seen	*seen;
	struct got		 g;
	FILE			*warn;
	char			*w = NULL, err[600], *want;
	size_t			 wlen = 0;

	(void)state;
	test_write("a/2021.jsonl",
	    "{\"kind\":\"log\",\"id\":\"1640995100000-0\",\"fields\":"
	    "{\"at\":\"1640995100000\"}}\n"
	    "not an archive line\n"
	    "{\"kind\":\"state\",\"id\":\"dan-hoi/2021-12-25/end@08:00/a/b\","
	    "\"state\":\"sent\"}\n"
	    "\n"
	    "{\"kind\":\"log\",\"id\":\"1640995100000-0\",\"fields\":"
	    "{\"at\":\"1640995100000\"}}\n"
	    "{\"kind\":\"occ\",\"occ\":\"dan-hoi/2021-12-25\",\"end\":"
	    "1640451600000,\"fields\":{}}\n"
	    "{\"kind\":\"occ\",\"occ\":\"dan-hoi/2021-12-25\",\"end\":"
	    "1640451600000,\"fields\":{}}\n"
	    "{\"kind\":\"log\",\"id\":\"16");
	test_write("a/2022.jsonl",
	    "{\"kind\":\"log\",\"id\":\"1641081600000-0\",\"fields\":"
	    "{\"at\":\"1641081600000\"}}\n");
	test_write("a/notes.txt", "not a year file\n");

	/* Everything, each ledger entry once, the occurrence's copies both. */
	memset(&g, 0, sizeof(g));
	seen = archive_seen_new();
	assert_non_null(warn = open_memstream(&w, &wlen));
	assert_int_equal(archive_read(test_path("a"), -1, -1,
	    ARCHIVE_MASK(ARCHIVE_LOG) | ARCHIVE_MASK(ARCHIVE_OCC) |
	    ARCHIVE_MASK(ARCHIVE_STATE), seen, got_item, &g, warn, err,
	    sizeof(err)), 0);
	fclose(warn);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.ids[0], "log 1640995100000-0");
	assert_string_equal(g.ids[1], "state dan-hoi/2021-12-25/end@08:00/a/b");
	assert_string_equal(g.ids[2], "occ dan-hoi/2021-12-25");
	assert_string_equal(g.ids[3], "occ dan-hoi/2021-12-25");
	assert_string_equal(g.ids[4], "log 1641081600000-0");
	want = test_subst("DIR/a/2021.jsonl:2: not JSON: '[' or '{' expected "
	    "near 'not'; skipped\n"
	    "DIR/a/2021.jsonl:8: not JSON: premature end of input near "
	    "'\"16'; skipped\n");
	assert_string_equal(w, want);
	free(want);
	free(w);
	archive_seen_free(seen);

	/* A span: only 2022's file is read; a kind of its own. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(archive_read(test_path("a"), 1641000000000LL, -1,
	    ARCHIVE_MASK(ARCHIVE_LOG), NULL, got_item, &g, NULL, err,
	    sizeof(err)), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.ids[0], "log 1641081600000-0");
	memset(&g, 0, sizeof(g));
	assert_int_equal(archive_read(test_path("a"), 1600000000000LL,
	    1640995100001LL, ARCHIVE_MASK(ARCHIVE_LOG), NULL, got_item, &g,
	    NULL, err, sizeof(err)), 0);
	assert_int_equal(g.n, 2);	/* no seen: both copies */

	/* No archive yet; a folder that cannot be read. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(archive_read(test_path("none"), -1, -1, ~0u, NULL,
	    got_item, &g, NULL, err, sizeof(err)), 0);
	assert_int_equal(archive_read(test_path("none"), 0, 1, ~0u, NULL,
	    got_item, &g, NULL, err, sizeof(err)), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(archive_read(test_path("a/notes.txt"), -1, -1, ~0u,
	    NULL, got_item, &g, NULL, err, sizeof(err)), -1);
	want = test_subst("DIR/a/notes.txt: Not a directory");
	assert_string_equal(err, want);
	free(want);
	assert_int_equal(mkdir(test_path("a/2023.jsonl"), 0700), 0);
	assert_int_equal(archive_read(test_path("a"), 1672531200000LL, -1,
	    ~0u, NULL, got_item, &g, NULL, err, sizeof(err)), -1);
	want = test_subst("DIR/a/2023.jsonl: not a regular file (a "
	    "directory)");
	assert_string_equal(err, want);
	free(want);
}

static void
test_append(void **state)
{
	struct stat	 st;
	char		*text, err[600], *want;
	size_t		 len;
	FILE		*fp;

	(void)state;
	umask(077);
	/* The folder and the file are made, with their modes. */
	assert_int_equal(archive_append(test_path("new"), 2022, "one\n", 4,
	    err, sizeof(err)), 0);
	assert_int_equal(stat(test_path("new"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal(stat(test_path("new/2022.jsonl"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(archive_append(test_path("new"), 2022, "two\n", 4,
	    err, sizeof(err)), 0);
	/* A line torn by a crash is ended before the next one. */
	assert_non_null(fp = fopen(test_path("new/2022.jsonl"), "a"));
	fputs("thr", fp);
	fclose(fp);
	assert_int_equal(archive_append(test_path("new"), 2022, "four\n", 5,
	    err, sizeof(err)), 0);
	assert_non_null(fp = fopen(test_path("new/2022.jsonl"), "r"));
	text = NULL;
	len = 0;
	assert_true(getdelim(&text, &len, '\0', fp) > 0);
	fclose(fp);
	assert_string_equal(text, "one\ntwo\nthr\nfour\n");
	free(text);
	/* Not a folder; a folder whose parent is missing; a link. */
	test_write("plain", "x\n");
	assert_int_equal(archive_append(test_path("plain"), 2022, "x\n", 2,
	    err, sizeof(err)), -1);
	want = test_subst("DIR/plain: not a folder (a regular file)");
	assert_string_equal(err, want);
	free(want);
	assert_int_equal(archive_append(test_path("no/such"), 2022, "x\n", 2,
	    err, sizeof(err)), -1);
	want = test_subst("DIR/no/such: cannot create: No such file or "
	    "directory");
	assert_string_equal(err, want);
	free(want);
	assert_int_equal(symlink("2022.jsonl", test_path("new/2023.jsonl")),
	    0);
	assert_int_equal(archive_append(test_path("new"), 2023, "x\n", 2,
	    err, sizeof(err)), -1);
	want = test_subst("DIR/new/2023.jsonl: Too many levels of symbolic "
	    "links");
	assert_string_equal(err, want);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test(test_id_time),
		cmocka_unit_test(test_plan_after),
		cmocka_unit_test(test_entry_time),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_seen),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_append),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
