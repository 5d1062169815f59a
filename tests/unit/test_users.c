/* Unit tests for common/users.c: the users file (every error as FILE:LINE), yescrypt hashes, adding and removing users. */
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

#include "diag.h"
#include "helpers.h"
#include "users.h"

/* A hash made once (yescrypt is slow on purpose). */
static char	hash_a[512];

static int
setup(void **state)
{
	char	err[200];

	(void)state;
	if (test_dir_make("users") == -1)
		return -1;
	return users_hash("mật khẩu đúng", hash_a, sizeof(hash_a), err,
	    sizeof(err));
}

static int
teardown(void **state)
{
	(void)state;
	test_dir_remove();
	return 0;
}

/* Writes name with text and mode; returns its path (static buffer). */
static const char *
put(const char *name, const char *text, mode_t mode)
{
	char	*t = test_subst(text);

	test_write(name, t);
	free(t);
	assert_int_equal(chmod(test_path(name), mode), 0);
	return test_path(name);
}

static void
test_hash(void **state)
{
	char	h[512], err[200], big[USERS_PASSWORD_MAX + 2];

	(void)state;
	assert_int_equal(strncmp(hash_a, "$y$", 3), 0);
	assert_true(users_verify(hash_a, "mật khẩu đúng"));
	assert_false(users_verify(hash_a, "mật khẩu sai"));
	assert_false(users_verify(hash_a, ""));
	assert_false(users_verify("$1$md5$notyescrypt", "x"));
	/* a fresh salt each time */
	assert_int_equal(users_hash("mật khẩu đúng", h, sizeof(h), err,
	    sizeof(err)), 0);
	assert_string_not_equal(h, hash_a);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(users_hash(big, h, sizeof(h), err, sizeof(err)), -1);
	assert_false(users_verify(hash_a, big));
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(users_name_ok("admin"));
	assert_true(users_name_ok("nguyen.van-a_2"));
	assert_false(users_name_ok(""));
	assert_false(users_name_ok("Admin"));
	assert_false(users_name_ok("-x"));
	assert_false(users_name_ok("a:b"));
	assert_false(users_name_ok("nguyễn"));
	assert_false(users_name_ok(
	    "a123456789012345678901234567890123456789012345678901234567890123"
	    "4"));
}

static void
test_load(void **state)
{
	struct users		*u;
	struct diag		 d;
	char			*text;
	const char		*path;
	int			 missing;

	(void)state;
	if (asprintf(&text, "# comment\n\nadmin:%s\r\nxem:%s:read-only\n",
	    hash_a, hash_a) == -1)
		fail();
	path = put("good", text, 0600);
	free(text);
	diag_init(&d);
	assert_non_null(u = users_load(path, &d, &missing));
	assert_int_equal(d.n, 0);
	assert_int_equal(u->n, 2);
	assert_non_null(users_find(u, "admin"));
	assert_false(users_find(u, "admin")->read_only);
	assert_true(users_find(u, "xem")->read_only);
	assert_int_equal(users_find(u, "xem")->line, 4);
	assert_null(users_find(u, "khach"));
	assert_false(users_changed(u, path));
	users_free(u);
	diag_clear(&d);
}

struct load_case {
	const char	*name;
	const char	*text;		/* HASH: a good hash */
	mode_t		 mode;
	const char	*want;		/* the first message; FILE: the path */
};

static const struct load_case load_cases[] = {
	{ "readable by others", "admin:HASH\n", 0644,
	  "FILE: readable by group or others (mode 0644); chmod 600 it" },
	{ "no colon", "admin\n", 0600,
	  "FILE:1: not NAME:HASH (make lines with `nhacviec user add NAME`)" },
	{ "bad name", "\nAdmin:HASH\n", 0600,
	  "FILE:2: 'Admin' is not a user name: 1 to 64 of a-z, 0-9, '.', "
	  "'_', '-'" },
	{ "not yescrypt", "admin:$6$salt$abcdefghijklmnopqrstuv\n", 0600,
	  "FILE:1: the hash of admin is not a yescrypt hash ($y$...): set it "
	  "again with `nhacviec user add admin`" },
	{ "bad role", "admin:HASH:admin\n", 0600,
	  "FILE:1: 'admin' after the hash of admin: the only role is "
	  "read-only" },
	{ "twice", "admin:HASH\nadmin:HASH\n", 0600,
	  "FILE:2: user admin again (line 1 has it already)" },
};

static void
test_load_errors(void **state)
{
	const struct load_case	*c;
	struct users		*u;
	struct diag		 d;
	char			*text, *want, *p, *q, target[4200];
	const char		*path;
	size_t			 i;
	int			 missing;

	(void)state;
	for (i = 0; i < nitems(load_cases); i++) {
		c = &load_cases[i];
		/* HASH -> the hash (no DIR in it) */
		assert_non_null(text = calloc(1, strlen(c->text) +
		    4 * strlen(hash_a) + 1));
		for (p = (char *)c->text, q = text; *p != '\0'; ) {
			if (strncmp(p, "HASH", 4) == 0) {
				strcpy(q, hash_a);
				q += strlen(hash_a);
				p += 4;
			} else
				*q++ = *p++;
		}
		path = put("bad", text, c->mode);
		free(text);
		diag_init(&d);
		u = users_load(path, &d, &missing);
		if (u != NULL || d.n == 0)
			fail_msg("case '%s' loads", c->name);
		assert_int_equal(asprintf(&want, "%s%s", path, c->want + 4),
		    (int)(strlen(path) + strlen(c->want) - 4));
		if (strcmp(d.msgs[0], want) != 0)
			fail_msg("case '%s':\n got  %s\n want %s", c->name,
			    d.msgs[0], want);
		assert_false(missing);
		free(want);
		diag_clear(&d);
	}
	/* not there, and a symbolic link */
	diag_init(&d);
	assert_null(users_load(test_path("none"), &d, &missing));
	assert_true(missing);
	diag_clear(&d);
	put("target", "", 0600);
	snprintf(target, sizeof(target), "%s", test_path("target"));
	assert_int_equal(symlink(target, test_path("link")), 0);
	diag_init(&d);
	assert_null(users_load(test_path("link"), &d, &missing));
	assert_non_null(strstr(d.msgs[0], "a symbolic link"));
	diag_clear(&d);
}

static void
test_put_remove(void **state)
{
	struct users	*u;
	struct diag	 d;
	struct stat	 st;
	char		 err[300], path[4200];
	int		 replaced, missing;

	(void)state;
	snprintf(path, sizeof(path), "%s", test_path("users"));
	assert_int_equal(users_put(path, "admin", hash_a, 0, &replaced, err,
	    sizeof(err)), 0);
	assert_false(replaced);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(users_put(path, "xem", hash_a, 1, &replaced, err,
	    sizeof(err)), 0);
	/* a new password: the line replaced, the other kept */
	assert_int_equal(users_put(path, "admin", "$y$j9T$other$hash0123456789",
	    1, &replaced, err, sizeof(err)), 0);
	assert_true(replaced);
	diag_init(&d);
	assert_non_null(u = users_load(path, &d, &missing));
	assert_int_equal(u->n, 2);
	assert_string_equal(users_find(u, "admin")->hash,
	    "$y$j9T$other$hash0123456789");
	assert_true(users_find(u, "admin")->read_only);
	assert_string_equal(users_find(u, "xem")->hash, hash_a);
	assert_false(users_changed(u, path));
	assert_int_equal(users_remove(path, "xem", err, sizeof(err)), 0);
	assert_true(users_changed(u, path));
	users_free(u);
	diag_clear(&d);
	assert_int_equal(users_remove(path, "xem", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "has no user xem"));
	assert_int_equal(users_put(path, "Bad:Name", hash_a, 0, &replaced, err,
	    sizeof(err)), -1);
	diag_init(&d);
	assert_non_null(u = users_load(path, &d, &missing));
	assert_int_equal(u->n, 1);
	users_free(u);
	diag_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_put_remove),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
