/* Secrets read from files that only their owner may read; never logged. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"

#define SECRET_MAX	8192

int
secret_read(const char *path, char **out, char *err, size_t len)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, len, "%s: cannot open: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, len, "%s is readable by group or others "
		    "(mode %04o); chmod 600 it", path,
		    (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	if ((buf = malloc(SECRET_MAX + 1)) == NULL) {
		close(fd);
		snprintf(err, len, "out of memory");
		return -1;
	}
	while (got < SECRET_MAX &&
	    (n = read(fd, buf + got, SECRET_MAX - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		buf[--got] = '\0';
	if (got == 0 || strlen(buf) != got) {
		snprintf(err, len, "%s: %s", path, got ? "holds a NUL byte" :
		    "is empty");
		secret_free(buf);
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
			snprintf(err, len, "bad ${secret:NAME}: NAME is "
			    "letters, digits, '.', '_' and '-'");
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
