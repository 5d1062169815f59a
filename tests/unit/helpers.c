/* What the unit tests share: a scratch folder per suite, files written in it, DIR replaced by its path. */
#include <sys/stat.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

char	test_dir[PATH_MAX];

int
test_dir_make(const char *name)
{
	char	tmpl[PATH_MAX];

	snprintf(tmpl, sizeof(tmpl), "/tmp/nv-test-%s-XXXXXX", name);
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, test_dir) == NULL)
		return -1;
	return 0;
}

static int
test_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

void
test_dir_remove(void)
{
	if (test_dir[0] != '\0')
		nftw(test_dir, test_rm, 16, FTW_DEPTH | FTW_PHYS);
	test_dir[0] = '\0';
}

const char *
test_path(const char *name)
{
	static char	path[PATH_MAX + 256];

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	return path;
}

/* Every folder on the way to name. */
static void
test_mkdirs(const char *name)
{
	char	path[PATH_MAX + 256], *p;

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	for (p = path + strlen(test_dir) + 1; (p = strchr(p, '/')) != NULL;
	    p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

void
test_write_len(const char *name, const char *text, size_t len)
{
	FILE	*fp;

	test_mkdirs(name);
	assert_non_null(fp = fopen(test_path(name), "w"));
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

void
test_write(const char *name, const char *text)
{
	test_write_len(name, text, strlen(text));
}

char *
test_subst(const char *s)
{
	char	*out, *o;
	size_t	 k = strlen(test_dir);

	out = o = calloc(strlen(s) + 1, k + 1);
	assert_non_null(out);
	while (*s != '\0') {
		if (strncmp(s, "DIR", 3) == 0) {
			memcpy(o, test_dir, k);
			o += k;
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}
