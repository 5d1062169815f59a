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
#include <hiredis/hiredis.h>

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

/* A reply written short, as RESP read by hiredis's own reader (helpers.h). */
static void
resp_add(char **out, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
resp_add(char **out, size_t *len, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	*out = realloc(*out, *len + (size_t)n + 1);
	assert_non_null(*out);
	memcpy(*out + *len, s, (size_t)n + 1);
	*len += (size_t)n;
	free(s);
}

/* One value from *p on, as RESP appended to out. */
static void
resp_value(const char **p, char **out, size_t *len)
{
	char	 word[256], *items = NULL;
	size_t	 n, ilen = 0, count = 0;

	*p += strspn(*p, " ");
	if (**p == '[') {
		(*p)++;
		for (;;) {
			*p += strspn(*p, " ");
			if (**p == ']' || **p == '\0')
				break;
			resp_value(p, &items, &ilen);
			count++;
		}
		assert_int_equal(**p, ']');
		(*p)++;
		resp_add(out, len, "*%zu\r\n%s", count, items ? items : "");
		free(items);
		return;
	}
	n = strcspn(*p, " ]");
	assert_true(n > 0 && n < sizeof(word));
	memcpy(word, *p, n);
	word[n] = '\0';
	*p += n;
	if (word[0] == ':')
		resp_add(out, len, "%s\r\n", word);
	else if (strcmp(word, "~") == 0)
		resp_add(out, len, "$-1\r\n");
	else if (word[0] == '+' || word[0] == '-')
		resp_add(out, len, "%s\r\n", word);
	else if (strcmp(word, "''") == 0)
		resp_add(out, len, "$0\r\n\r\n");
	else
		resp_add(out, len, "$%zu\r\n%s\r\n", n, word);
}

redisReply *
test_resp(const char *text)
{
	redisReader	*rd;
	void		*reply = NULL;
	char		*raw = NULL;
	size_t		 len = 0;

	resp_value(&text, &raw, &len);
	assert_non_null(rd = redisReaderCreate());
	assert_int_equal(redisReaderFeed(rd, raw, len), REDIS_OK);
	assert_int_equal(redisReaderGetReply(rd, &reply), REDIS_OK);
	assert_non_null(reply);
	redisReaderFree(rd);
	free(raw);
	return reply;
}
