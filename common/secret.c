/* Secrets read from files that only their owner may read; never logged. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "i18n.h"
#include "secret.h"

int
secret_read(const char *path, char **out, char *err, size_t len)
{
	char	*buf, why[256];
	size_t	 got;

	*out = NULL;
	if (file_read(path, FILE_NOFOLLOW | FILE_OWNER_ONLY | FILE_TEXT,
	    FILE_MAX_SECRET, &buf, &got, why, sizeof(why)) == -1) {
		snprintf(err, len, "%s: %s", path, why);
		return -1;
	}
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		buf[--got] = '\0';
	if (got == 0) {
		snprintf(err, len, _("%s is empty"), path);
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

int
secret_expand(const char *text, const char *dir, char **out, char *err,
    size_t len)
{
	const char	*p = text, *start, *end, *cred;
	char		*res = NULL, *val, *path, name[128], *nr;
	size_t		 n = 0, add, nlen;

	*out = NULL;
	cred = getenv("CREDENTIALS_DIRECTORY");
	for (;;) {
		start = strstr(p, "${secret:");
		add = start ? (size_t)(start - p) : strlen(p);
		if ((nr = realloc(res, n + add + 1)) == NULL)
			goto oom;
		res = nr;
		memcpy(res + n, p, add);
		n += add;
		res[n] = '\0';
		if (start == NULL)
			break;
		start += 9;
		if ((end = strchr(start, '}')) == NULL ||
		    (nlen = (size_t)(end - start)) == 0 ||
		    nlen >= sizeof(name) ||
		    strspn(start, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789._-") != nlen) {
			snprintf(err, len, _("bad ${secret:NAME}: NAME is "
			    "letters, digits, '.', '_' and '-'"));
			goto fail;
		}
		memcpy(name, start, nlen);
		name[nlen] = '\0';
		if (asprintf(&path, "%s/%s", cred ? cred : dir, name) == -1)
			goto oom;
		if (secret_read(path, &val, err, len) == -1) {
			free(path);
			goto fail;
		}
		free(path);
		add = strlen(val);
		if ((nr = realloc(res, n + add + 1)) == NULL) {
			secret_free(val);
			goto oom;
		}
		res = nr;
		memcpy(res + n, val, add + 1);
		n += add;
		secret_free(val);
		p = end + 1;
	}
	*out = res;
	return 0;
oom:
	snprintf(err, len, "out of memory");
fail:
	if (res) {
		explicit_bzero(res, n);
		free(res);
	}
	return -1;
}
