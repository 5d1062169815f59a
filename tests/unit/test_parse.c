/* Unit tests for common/parse.c: tables of named cases per parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "xmalloc.h"

#define DHINT	"use a number and a unit (ms, s, m, h, d), e.g. 30m"

/* Fails with the case name when got differs from want. */
static void
check_str(const char *name, const char *what, const char *got,
    const char *want)
{
	if (got == NULL && want == NULL)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0)
		fail_msg("case '%s': %s: got '%s', want '%s'", name, what,
		    got ? got : "(null)", want ? want : "(null)");
}

static void
check_rc(const char *name, int got, int want, const char *err)
{
	if (got != want)
		fail_msg("case '%s': returned %d, want %d (err '%s')", name,
		    got, want, err);
}

static const struct {
	const char	*name;
	const char	*in;
	int		 rc;
	int64_t		 ms;
	const char	*err;
} duration_cases[] = {
	{ "milliseconds", "500ms", 0, 500, NULL },
	{ "seconds", "30s", 0, 30000, NULL },
	{ "minutes", "30m", 0, 1800000, NULL },
	{ "hours", "2h", 0, 7200000, NULL },
	{ "days", "1d", 0, 86400000, NULL },
	{ "sum", "1h30m", 0, 5400000, NULL },
	{ "sum of all units", "1d1h1m1s1ms", 0, 90061001, NULL },
	{ "zero", "0s", 0, 0, NULL },
	{ "35 days", "35d", 0, 3024000000LL, NULL },
	{ "empty", "", -1, 0, "bad duration '': " DHINT },
	{ "no unit", "30", -1, 0, "bad duration '30': " DHINT },
	{ "unknown unit", "6x", -1, 0, "bad duration '6x': " DHINT },
	{ "unit word", "5min", -1, 0, "bad duration '5min': " DHINT },
	{ "upper case", "5M", -1, 0, "bad duration '5M': " DHINT },
	{ "unit only", "h", -1, 0, "bad duration 'h': " DHINT },
	{ "space", "1h 30m", -1, 0, "bad duration '1h 30m': " DHINT },
	{ "fraction", "1.5h", -1, 0, "bad duration '1.5h': " DHINT },
	{ "plus sign", "+5m", -1, 0, "bad duration '+5m': " DHINT },
	{ "negative", "-5m", -1, 0,
	    "negative duration '-5m': use 0 or more, e.g. 30m" },
	{ "overflow in number", "99999999999999999999ms", -1, 0,
	    "duration '99999999999999999999ms' is too large: " DHINT },
	{ "overflow in product", "9999999999999999d", -1, 0,
	    "duration '9999999999999999d' is too large: " DHINT },
	{ "overflow in sum", "9223372036854775807ms1ms", -1, 0,
	    "duration '9223372036854775807ms1ms' is too large: " DHINT },
};

static void
test_duration(void **state)
{
	char	err[256];
	int64_t	ms;
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < nitems(duration_cases); i++) {
		err[0] = '\0';
		ms = -1;
		rc = parse_duration(duration_cases[i].in, &ms, err,
		    sizeof(err));
		check_rc(duration_cases[i].name, rc, duration_cases[i].rc,
		    err);
		if (rc == 0 && ms != duration_cases[i].ms)
			fail_msg("case '%s': got %lld ms, want %lld",
			    duration_cases[i].name, (long long)ms,
			    (long long)duration_cases[i].ms);
		if (rc == -1)
			check_str(duration_cases[i].name, "err", err,
			    duration_cases[i].err);
	}
}

static const struct {
	const char	*name;
	const char	*in;
	int		 rc;
	int		 min;
} hhmm_cases[] = {
	{ "midnight", "00:00", 0, 0 },
	{ "morning", "08:30", 0, 510 },
	{ "one digit hour", "7:05", 0, 425 },
	{ "last minute", "23:59", 0, 1439 },
	{ "24:00", "24:00", -1, 0 },
	{ "hour 25", "25:00", -1, 0 },
	{ "minute 60", "12:60", -1, 0 },
	{ "one digit minute", "12:5", -1, 0 },
	{ "no colon", "1200", -1, 0 },
	{ "trailing text", "12:00x", -1, 0 },
	{ "empty", "", -1, 0 },
	{ "seconds", "12:00:00", -1, 0 },
};

static void
test_hhmm(void **state)
{
	char	err[256];
	size_t	i;
	int	rc, min;

	(void)state;
	for (i = 0; i < nitems(hhmm_cases); i++) {
		err[0] = '\0';
		min = -1;
		rc = parse_hhmm(hhmm_cases[i].in, &min, err, sizeof(err));
		check_rc(hhmm_cases[i].name, rc, hhmm_cases[i].rc, err);
		if (rc == 0 && min != hhmm_cases[i].min)
			fail_msg("case '%s': got %d, want %d",
			    hhmm_cases[i].name, min, hhmm_cases[i].min);
	}
	rc = parse_hhmm("12:60", &min, err, sizeof(err));
	check_str("12:60 message", "err", err,
	    "bad time '12:60': use HH:MM from 00:00 to 23:59, e.g. 08:30");
}

static const struct {
	const char	*name;
	const char	*in;
	int		 rc;
	int		 start, end;
	const char	*err;
} hours_cases[] = {
	{ "default", "07:00-21:00", 0, 420, 1260, NULL },
	{ "to midnight", "00:00-24:00", 0, 0, 1440, NULL },
	{ "spaces around dash", "08:00 - 17:30", 0, 480, 1050, NULL },
	{ "end before start", "21:00-07:00", -1, 0, 0,
	    "the end is not after the start in '21:00-07:00': use a later "
	    "end, e.g. 07:00-21:00 (the end may be 24:00)" },
	{ "empty span", "08:00-08:00", -1, 0, 0,
	    "the end is not after the start in '08:00-08:00': use a later "
	    "end, e.g. 07:00-21:00 (the end may be 24:00)" },
	{ "start 24:00", "24:00-24:00", -1, 0, 0,
	    "bad hours '24:00-24:00': use HH:MM-HH:MM, e.g. 07:00-21:00" },
	{ "end 24:01", "07:00-24:01", -1, 0, 0,
	    "bad hours '07:00-24:01': use HH:MM-HH:MM, e.g. 07:00-21:00" },
	{ "no dash", "07:00", -1, 0, 0,
	    "bad hours '07:00': use HH:MM-HH:MM, e.g. 07:00-21:00" },
	{ "words", "7am-9pm", -1, 0, 0,
	    "bad hours '7am-9pm': use HH:MM-HH:MM, e.g. 07:00-21:00" },
	{ "trailing", "07:00-21:00x", -1, 0, 0,
	    "bad hours '07:00-21:00x': use HH:MM-HH:MM, e.g. 07:00-21:00" },
};

static void
test_hours(void **state)
{
	char	err[256];
	size_t	i;
	int	rc, start, end;

	(void)state;
	for (i = 0; i < nitems(hours_cases); i++) {
		err[0] = '\0';
		start = end = -1;
		rc = parse_hours(hours_cases[i].in, &start, &end, err,
		    sizeof(err));
		check_rc(hours_cases[i].name, rc, hours_cases[i].rc, err);
		if (rc == 0 && (start != hours_cases[i].start ||
		    end != hours_cases[i].end))
			fail_msg("case '%s': got %d-%d, want %d-%d",
			    hours_cases[i].name, start, end,
			    hours_cases[i].start, hours_cases[i].end);
		if (rc == -1)
			check_str(hours_cases[i].name, "err", err,
			    hours_cases[i].err);
	}
}

static const struct {
	const char	*name;
	const char	*in;
	int		 rc;
	long		 n;
	const char	*err;
} int_cases[] = {
	{ "low end", "1", 0, 1, NULL },
	{ "high end", "100", 0, 100, NULL },
	{ "leading zero", "08", 0, 8, NULL },
	{ "zero", "0", -1, 0,
	    "'0' is out of range: use a whole number from 1 to 100" },
	{ "too big", "101", -1, 0,
	    "'101' is out of range: use a whole number from 1 to 100" },
	{ "overflow", "99999999999999999999999", -1, 0,
	    "'99999999999999999999999' is out of range: use a whole number "
	    "from 1 to 100" },
	{ "negative", "-1", -1, 0,
	    "bad number '-1': use a whole number from 1 to 100" },
	{ "empty", "", -1, 0,
	    "bad number '': use a whole number from 1 to 100" },
	{ "unit", "8x", -1, 0,
	    "bad number '8x': use a whole number from 1 to 100" },
};

static void
test_int(void **state)
{
	char	err[256];
	long	n;
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < nitems(int_cases); i++) {
		err[0] = '\0';
		n = -1;
		rc = parse_int(int_cases[i].in, 1, 100, &n, err, sizeof(err));
		check_rc(int_cases[i].name, rc, int_cases[i].rc, err);
		if (rc == 0 && n != int_cases[i].n)
			fail_msg("case '%s': got %ld, want %ld",
			    int_cases[i].name, n, int_cases[i].n);
		if (rc == -1)
			check_str(int_cases[i].name, "err", err,
			    int_cases[i].err);
	}
}

#define AHINT	"use unix:/path or HOST:PORT, e.g. 127.0.0.1:6379"

static const struct {
	const char	*name;
	const char	*in;
	int		 rc;
	const char	*path;
	const char	*host;
	int		 port;
	const char	*err;
} address_cases[] = {
	{ "unix socket", "unix:/run/redis/redis-server.sock", 0,
	    "/run/redis/redis-server.sock", NULL, 0, NULL },
	{ "ipv4", "127.0.0.1:6379", 0, NULL, "127.0.0.1", 6379, NULL },
	{ "host name", "redis.example.vn:6380", 0, NULL, "redis.example.vn",
	    6380, NULL },
	{ "ipv6", "[::1]:6379", 0, NULL, "::1", 6379, NULL },
	{ "port 65535", "localhost:65535", 0, NULL, "localhost", 65535,
	    NULL },
	{ "relative unix path", "unix:redis.sock", -1, NULL, NULL, 0,
	    "bad address 'unix:redis.sock': a unix socket needs an absolute "
	    "path, e.g. unix:/run/redis/redis-server.sock" },
	{ "no port", "localhost", -1, NULL, NULL, 0,
	    "bad address 'localhost': " AHINT },
	{ "empty port", "localhost:", -1, NULL, NULL, 0,
	    "bad address 'localhost:': " AHINT },
	{ "empty host", ":6379", -1, NULL, NULL, 0,
	    "bad address ':6379': " AHINT },
	{ "port 0", "localhost:0", -1, NULL, NULL, 0,
	    "bad port '0' in 'localhost:0': use 1 to 65535" },
	{ "port 65536", "localhost:65536", -1, NULL, NULL, 0,
	    "bad port '65536' in 'localhost:65536': use 1 to 65535" },
	{ "long port", "localhost:0000001", -1, NULL, NULL, 0,
	    "bad port '0000001' in 'localhost:0000001': use 1 to 65535" },
	{ "port word", "localhost:redis", -1, NULL, NULL, 0,
	    "bad address 'localhost:redis': " AHINT },
	{ "ipv6 without brackets", "::1:6379", -1, NULL, NULL, 0,
	    "bad address '::1:6379': put an IPv6 address in brackets, "
	    "e.g. [::1]:6379" },
	{ "bad ipv6", "[::g]:6379", -1, NULL, NULL, 0,
	    "bad address '[::g]:6379': " AHINT },
	{ "ipv6 no port", "[::1]", -1, NULL, NULL, 0,
	    "bad address '[::1]': " AHINT },
	{ "space in host", "my host:1", -1, NULL, NULL, 0,
	    "bad address 'my host:1': " AHINT },
};

static void
test_address(void **state)
{
	struct address	a;
	char		err[256];
	size_t		i;
	int		rc;

	(void)state;
	for (i = 0; i < nitems(address_cases); i++) {
		err[0] = '\0';
		rc = parse_address(address_cases[i].in, &a, err, sizeof(err));
		check_rc(address_cases[i].name, rc, address_cases[i].rc, err);
		check_str(address_cases[i].name, "path", a.path,
		    address_cases[i].path);
		check_str(address_cases[i].name, "host", a.host,
		    address_cases[i].host);
		if (a.port != address_cases[i].port)
			fail_msg("case '%s': port %d, want %d",
			    address_cases[i].name, a.port,
			    address_cases[i].port);
		if (rc == -1)
			check_str(address_cases[i].name, "err", err,
			    address_cases[i].err);
		address_clear(&a);
		assert_null(a.host);
		assert_null(a.path);
	}
}

#define UHINT	"use https://HOST/PATH"
#define PLAIN	"plain http is allowed only to a loopback host; use https"

static const struct {
	const char	*name;
	const char	*in;
	int		 rc;
	const char	*err;
} url_cases[] = {
	{ "https", "https://mail.example.gov.vn/api/send", 0, NULL },
	{ "https with port and query", "https://h.example:8443/a?b=c#d", 0,
	    NULL },
	{ "upper-case scheme", "HTTPS://example.com/", 0, NULL },
	{ "http to localhost", "http://localhost:8080/hook", 0, NULL },
	{ "http to 127.0.0.1", "http://127.0.0.1:9000/", 0, NULL },
	{ "http to 127.1.2.3", "http://127.1.2.3/", 0, NULL },
	{ "http to [::1]", "http://[::1]:8080/x", 0, NULL },
	{ "http to a public host", "http://example.com/x", -1, PLAIN },
	{ "http to 128.0.0.1", "http://128.0.0.1/", -1, PLAIN },
	{ "http to localhost.evil", "http://localhost.evil.com/", -1, PLAIN },
	{ "ftp", "ftp://example.com/x", -1,
	    "URL 'ftp://example.com/x': the scheme must be http or https; "
	    UHINT },
	{ "unknown scheme", "gopher://example.com/", -1,
	    "URL 'gopher://example.com/': the scheme must be http or https; "
	    UHINT },
	{ "no host", "https:///path", -1,
	    "URL 'https:///path' has no host: " UHINT },
	{ "one slash", "https:/example.com/", -1,
	    "bad URL 'https:/example.com/': " UHINT },
	{ "three slashes", "https:///example.com/", -1,
	    "URL 'https:///example.com/' has no host: " UHINT },
	{ "nothing after scheme", "https://", -1,
	    "URL 'https://' has no host: " UHINT },
	{ "space", "https://example.com/a b", -1,
	    "bad URL 'https://example.com/a b': it contains a space or a "
	    "control character; " UHINT },
	{ "port 0", "https://example.com:0/", -1,
	    "bad port '0' in URL 'https://example.com:0/': use 1 to 65535" },
	{ "empty", "", -1, NULL },
	{ "no scheme", "example.com/x", -1, NULL },
};

static void
test_url(void **state)
{
	char	err[512];
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < nitems(url_cases); i++) {
		err[0] = '\0';
		rc = parse_url(url_cases[i].in, err, sizeof(err));
		check_rc(url_cases[i].name, rc, url_cases[i].rc, err);
		if (rc == -1 && err[0] == '\0')
			fail_msg("case '%s': no message", url_cases[i].name);
		if (rc == -1 && url_cases[i].err != NULL)
			check_str(url_cases[i].name, "err", err,
			    url_cases[i].err);
	}
}

static const struct {
	const char	*host;
	int		 loopback;
} loopback_cases[] = {
	{ "localhost", 1 },
	{ "LOCALHOST", 1 },
	{ "127.0.0.1", 1 },
	{ "127.255.0.9", 1 },
	{ "::1", 1 },
	{ "[::1]", 1 },
	{ "::ffff:127.0.0.1", 1 },
	{ "128.0.0.1", 0 },
	{ "10.0.0.1", 0 },
	{ "localhost.example.com", 0 },
	{ "127.0.0.1.example.com", 0 },
	{ "::2", 0 },
	{ "[::1", 0 },
	{ "", 0 },
};

static void
test_loopback(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(loopback_cases); i++) {
		if (parse_is_loopback(loopback_cases[i].host) !=
		    loopback_cases[i].loopback)
			fail_msg("case '%s': want %d", loopback_cases[i].host,
			    loopback_cases[i].loopback);
	}
}

static const char *const nearest_names[] = {
	"files", "horizon", "hours", "grace", "max_attempts", NULL
};

static const struct {
	const char	*word;
	const char	*want;
} nearest_cases[] = {
	{ "horizn", "horizon" },
	{ "horizon", "horizon" },
	{ "hors", "hours" },
	{ "fils", "files" },
	{ "max_attempt", "max_attempts" },
	{ "maxattempts", "max_attempts" },
	{ "gracee", "grace" },
	{ "graaaaace", NULL },		/* 4 edits */
	{ "x", NULL },			/* shorter than the distance */
	{ "", NULL },
	{ "completely-different", NULL },
};

static void
test_nearest(void **state)
{
	const char	*empty[] = { NULL };
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(nearest_cases); i++)
		check_str(nearest_cases[i].word, "nearest",
		    parse_nearest(nearest_cases[i].word, nearest_names),
		    nearest_cases[i].want);
	assert_null(parse_nearest("x", empty));
	check_str("sections", "nearest", parse_nearest("deliverty",
	    (const char *const[]){ "redis", "plan", "delivery", "channel",
	    "http", NULL }), "delivery");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_hhmm),
		cmocka_unit_test(test_hours),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
