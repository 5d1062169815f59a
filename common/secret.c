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
