/* file_read: only regular files, within their size, never blocking; as config, plan, template and secret readers use it. */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"
#include "helpers.h"
#include "secret.h"
#include "template.h"

struct file_case {
	const char	*name;
	const char	*path;		/* DIR: the scratch folder */
	int		 flags;
	size_t		 max;
	const char	*want;		/* the error, or NULL: read */
};

static const struct file_case file_cases[] = {
	{ "a plain file", "DIR/plain.txt", FILE_TEXT, 100, NULL },
	{ "a FIFO is not opened for reading", "DIR/fifo", 0, 100,
	  "not a regular file (a FIFO)" },
	{ "a character device", "/dev/zero", 0, 100,
	  "not a regular file (a character device)" },
	{ "a link to a character device", "DIR/zero-link", 0, 100,
	  "not a regular file (a character device)" },
	{ "a directory", "DIR/sub", 0, 100,
	  "not a regular file (a directory)" },
	{ "a link to a directory", "DIR/sub-link", 0, 100,
	  "not a regular file (a directory)" },
	{ "a link refused", "DIR/plain-link", FILE_NOFOLLOW, 100,
	  "a symbolic link: name the file itself" },
	{ "a link allowed", "DIR/plain-link", 0, 100, NULL },
	{ "too large", "DIR/plain.txt", 0, 3,
	  "larger than 3 bytes" },
	{ "readable by others", "DIR/open.txt", FILE_OWNER_ONLY, 100,
	  "readable by group or others (mode 0644); chmod 600 it" },
	{ "a NUL byte", "DIR/nul.txt", FILE_TEXT, 100,
	  "holds a NUL byte: not a text file" },
	{ "missing", "DIR/none", 0, 100,
	  "cannot open: No such file or directory" },
};

static int
setup(void **state)
{
	(void)state;
	if (test_dir_make("fileio") == -1)
		return -1;
	test_write("plain.txt", "Kính gửi\n");
	test_write("open.txt", "x\n");
	chmod(test_path("open.txt"), 0644);
	test_write_len("nul.txt", "a\0b", 3);
	mkdir(test_path("sub"), 0755);
	if (mkfifo(test_path("fifo"), 0600) == -1 ||
	    symlink("/dev/zero", test_path("zero-link")) == -1 ||
	    symlink("sub", test_path("sub-link")) == -1 ||
	    symlink("plain.txt", test_path("plain-link")) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_dir_remove();
	return 0;
}

static void
test_file_cases(void **state)
{
	const struct file_case	*c;
	char			*out, *path, *want, err[512];
	size_t			 i, len;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(file_cases); i++) {
		c = &file_cases[i];
		path = test_subst(c->path);
		rc = file_read(path, c->flags, c->max, &out, &len, err,
		    sizeof(err));
		if (c->want == NULL) {
			if (rc != 0)
				fail_msg("%s: %s", c->name, err);
			assert_int_equal(len, strlen("Kính gửi\n"));
			assert_string_equal(out, "Kính gửi\n");
			free(out);
		} else {
			want = test_subst(c->want);
			if (rc != -1 || strcmp(err, want) != 0)
				fail_msg("%s:\n got  %s\n want %s", c->name,
				    rc == -1 ? err : "(read)", want);
			assert_null(out);
			free(want);
		}
		free(path);
	}
}

/* The readers built on it: a template, a secret. */
static void
test_readers(void **state)
{
	struct diag	 d;
	char		*s, err[512], *want;

	(void)state;
	diag_init(&d);
	assert_null(template_load("/dev/zero", &d));
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.msgs[0], "/dev/zero: not a regular file (a "
	    "character device)");
	diag_clear(&d);
	assert_int_equal(secret_read(test_path("fifo"), &s, err, sizeof(err)),
	    -1);
	want = test_subst("DIR/fifo: not a regular file (a FIFO)");
	assert_string_equal(err, want);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_cases),
		cmocka_unit_test(test_readers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
