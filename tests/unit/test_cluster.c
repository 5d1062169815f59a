/* Unit tests for common/cluster.c: CRC16 and hash slots against Redis's own answers, redirections, CLUSTER SLOTS. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"
#include "helpers.h"

static void
test_crc16(void **state)
{
	(void)state;
	/* The check value the Cluster spec gives (appendix A). */
	assert_int_equal(cluster_crc16("123456789", 9), 0x31c3);
	assert_int_equal(cluster_crc16("", 0), 0);
	assert_int_equal(cluster_crc16("A", 1), 0x58e5);
}

/* Each slot is what CLUSTER KEYSLOT answered on Redis 7.0. */
static const struct {
	const char	*key;
	int		 slot;
} slot_cases[] = {
	{ "123456789", 12739 },
	{ "foo", 12182 },
	{ "", 0 },
	/* The spec's hash-tag examples. */
	{ "{user1000}.following", 3443 },
	{ "{user1000}.followers", 3443 },
	{ "user1000", 3443 },
	{ "foo{}{bar}", 8363 },		/* an empty tag: the whole key */
	{ "foo{{bar}}zap", 4015 },	/* the tag is "{bar" */
	{ "{bar", 4015 },
	{ "foo{bar}{zap}", 5061 },	/* the first tag only */
	{ "bar", 5061 },
	{ "a{}", 6082 },
	{ "{}", 15257 },
	/* nhacviec's keys: one slot per prefix. */
	{ "{t}:due", 15891 },
	{ "{t}:", 15891 },
	{ "t", 15891 },
	{ "{nhacviec}:due", 5796 },
	{ "thanh-tri", 13011 },
	{ "my-tu", 10140 },
};

static void
test_keyslot(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(slot_cases); i++) {
		print_message("keyslot '%s'\n", slot_cases[i].key);
		assert_int_equal(cluster_keyslot(slot_cases[i].key,
		    strlen(slot_cases[i].key)), slot_cases[i].slot);
	}
}

static const struct {
	const char		*err;
	enum cluster_redirect	 kind;
	int			 slot;
	const char		*host;
	int			 port;
} redirect_cases[] = {
	{ "MOVED 3999 127.0.0.1:6381", CLUSTER_MOVED, 3999, "127.0.0.1", 6381 },
	{ "ASK 15891 127.0.0.1:7101", CLUSTER_ASK, 15891, "127.0.0.1", 7101 },
	{ "MOVED 0 redis-3.example.gov.vn:6379", CLUSTER_MOVED, 0,
	    "redis-3.example.gov.vn", 6379 },
	{ "MOVED 16383 ::1:7000", CLUSTER_MOVED, 16383, "::1", 7000 },
	{ "MOVED 12 [fe80::1]:7000", CLUSTER_MOVED, 12, "fe80::1", 7000 },
	/* An unknown endpoint: the node that answered. */
	{ "MOVED 5 :7002", CLUSTER_MOVED, 5, "10.0.0.9", 7002 },
	{ "TRYAGAIN Multiple keys request during rehashing of slot",
	    CLUSTER_TRYAGAIN, -1, NULL, 0 },
	{ "TRYAGAIN", CLUSTER_TRYAGAIN, -1, NULL, 0 },
	{ "CLUSTERDOWN The cluster is down", CLUSTER_DOWN, -1, NULL, 0 },
	{ "CLUSTERDOWN Hash slot not served", CLUSTER_DOWN, -1, NULL, 0 },
	/* Not redirections. */
	{ "ERR unknown command", CLUSTER_REPLY, -1, NULL, 0 },
	{ "NOSCRIPT No matching script", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVEDX 1 a:1", CLUSTER_REPLY, -1, NULL, 0 },
	{ "TRYAGAINX", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED 16384 a:1", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED -1 a:1", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED 1 a:0", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED 1 a:65536", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED 1 a", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED 1 a:", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED x a:1", CLUSTER_REPLY, -1, NULL, 0 },
	{ "MOVED 1 a:1 trailing", CLUSTER_REPLY, -1, NULL, 0 },
	{ "ASK 1", CLUSTER_REPLY, -1, NULL, 0 },
};

static void
test_redirect(void **state)
{
	struct cluster_node	to;
	size_t			i;
	int			slot;

	(void)state;
	for (i = 0; i < nitems(redirect_cases); i++) {
		print_message("redirect '%s'\n", redirect_cases[i].err);
		slot = -1;
		memset(&to, 0, sizeof(to));
		assert_int_equal(cluster_redirect_parse(redirect_cases[i].err,
		    "10.0.0.9", &slot, &to), redirect_cases[i].kind);
		if (redirect_cases[i].host == NULL)
			continue;
		assert_int_equal(slot, redirect_cases[i].slot);
		assert_string_equal(to.host, redirect_cases[i].host);
		assert_int_equal(to.port, redirect_cases[i].port);
	}
}

/* Three masters with a replica each, as `redis-cli --cluster create` leaves them. */
#define SLOTS_3 "[" \
	"[:0 :5460 [127.0.0.1 :7101 aaaa [] ] [127.0.0.1 :7105 dddd [] ]] " \
	"[:5461 :10922 [127.0.0.1 :7102 bbbb [] ] [127.0.0.1 :7106 eeee]] " \
	"[:10923 :16383 [127.0.0.1 :7103 cccc] [127.0.0.1 :7104 ffff]]]"

static const struct {
	const char	*name;
	const char	*reply;
	int		 slot;
	const char	*err;		/* NULL: found */
	const char	*host;
	int		 port;
	const char	*id;
} slots_cases[] = {
	{ "first range", SLOTS_3, 0, NULL, "127.0.0.1", 7101, "aaaa" },
	{ "end of a range", SLOTS_3, 10922, NULL, "127.0.0.1", 7102, "bbbb" },
	{ "last slot", SLOTS_3, 16383, NULL, "127.0.0.1", 7103, "cccc" },
	{ "a slot split in two ranges",
	    "[[:0 :99 [10.0.0.1 :6379 x]] [:100 :100 [10.0.0.2 :6379 y]] "
	    "[:101 :16383 [10.0.0.1 :6379 x]]]", 100, NULL, "10.0.0.2", 6379,
	    "y" },
	{ "no id (Redis 3)", "[[:0 :16383 [10.0.0.1 :6379]]]", 7, NULL,
	    "10.0.0.1", 6379, "" },
	{ "an empty endpoint: the node asked", "[[:0 :16383 ['' :7000 z]]]",
	    7, NULL, "10.0.0.9", 7000, "z" },
	{ "a slot nobody serves", "[[:0 :99 [10.0.0.1 :6379 x]]]", 100,
	    "no node serves slot 100", NULL, 0, NULL },
	{ "an empty Cluster", "[]", 100, "no node serves slot 100", NULL, 0,
	    NULL },
	{ "an unknown endpoint", "[[:0 :16383 [? :7000 z]]]", 5,
	    "the master of slot 5 has no known endpoint "
	    "(cluster-preferred-endpoint-type)", NULL, 0, NULL },
	{ "an error", "-ERR", 5, "CLUSTER SLOTS: ERR", NULL, 0, NULL },
	{ "not an array", "OK", 5, "CLUSTER SLOTS: odd reply", NULL, 0, NULL },
	{ "a range without a node", "[[:0 :16383]]", 5,
	    "CLUSTER SLOTS: odd reply", NULL, 0, NULL },
	{ "a port as text", "[[:0 :16383 [h 7000 z]]]", 5,
	    "CLUSTER SLOTS: odd reply", NULL, 0, NULL },
	{ "bounds as text", "[[0 16383 [h :7000 z]]]", 5,
	    "CLUSTER SLOTS: odd reply", NULL, 0, NULL },
	{ "port 0", "[[:0 :16383 [h :0 z]]]", 5,
	    "CLUSTER SLOTS: odd endpoint 'h:0' for slot 5", NULL, 0, NULL },
};

static void
test_slots(void **state)
{
	struct cluster_node	 owner;
	redisReply		*r;
	char			 err[200];
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(slots_cases); i++) {
		print_message("slots: %s\n", slots_cases[i].name);
		r = test_resp(slots_cases[i].reply);
		err[0] = '\0';
		rc = cluster_slots_owner(r, slots_cases[i].slot, "10.0.0.9",
		    &owner, err, sizeof(err));
		freeReplyObject(r);
		if (slots_cases[i].err != NULL) {
			assert_int_equal(rc, -1);
			assert_string_equal(err, slots_cases[i].err);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(owner.host, slots_cases[i].host);
		assert_int_equal(owner.port, slots_cases[i].port);
		assert_string_equal(owner.id, slots_cases[i].id);
	}
	assert_int_equal(cluster_slots_owner(NULL, 1, NULL, &owner, err,
	    sizeof(err)), -1);
}

static void
test_format(void **state)
{
	struct cluster_node	n = { "127.0.0.1", 7101, "" };
	char			buf[300];

	(void)state;
	cluster_node_format(&n, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:7101");
	snprintf(n.host, sizeof(n.host), "::1");
	cluster_node_format(&n, buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:7101");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc16),
		cmocka_unit_test(test_keyslot),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
