/* Reading a whole file the careful way: only a regular file, never past a size, never blocking on a FIFO. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "something else";
}

/* Open and check; the descriptor, or -1 with err. */
static int
file_open(const char *path, int flags, size_t max, struct stat *st,
    char *err, size_t errlen)
{
	int	fd, of = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

	if (flags & FILE_NOFOLLOW)
		of |= O_NOFOLLOW;
	if ((fd = open(path, of)) == -1) {
		if (errno == ELOOP && (flags & FILE_NOFOLLOW))
			snprintf(err, errlen, "a symbolic link: name the file "
			    "itself");
		else
			snprintf(err, errlen, "cannot open: %s",
			    strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "not a regular file (%s)",
		    file_kind(st->st_mode));
		close(fd);
		return -1;
	}
	if ((size_t)st->st_size > max) {
		snprintf(err, errlen, "larger than %zu bytes", max);
		close(fd);
		return -1;
	}
	if ((flags & FILE_OWNER_ONLY) && (st->st_mode & 077)) {
		snprintf(err, errlen, "readable by group or others (mode "
		    "%04o); chmod 600 it", (unsigned)(st->st_mode & 07777));
		close(fd);
		return -1;
	}
	return fd;
}

int
file_check(const char *path, int flags, size_t max, char *err,
    size_t errlen)
{
	struct stat	st;
	int		fd;

	if ((fd = file_open(path, flags, max, &st, err, errlen)) == -1)
		return -1;
	close(fd);
	return 0;
}

int
file_read(const char *path, int flags, size_t max, char **out, size_t *len,
    char *err, size_t errlen)
{
	struct stat	 st;
	char		*buf;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	*out = NULL;
	if ((fd = file_open(path, flags, max, &st, err, errlen)) == -1)
		return -1;
	/* One byte more than allowed tells a file that grew meanwhile. */
	if ((buf = malloc(max + 2)) == NULL) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return -1;
	}
	while (got <= max && (n = read(fd, buf + got, max + 1 - got)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read: %s",
			    strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	if (got > max) {
		snprintf(err, errlen, "larger than %zu bytes", max);
		free(buf);
		return -1;
	}
	buf[got] = '\0';
	if ((flags & FILE_TEXT) && strlen(buf) != got) {
		snprintf(err, errlen, "holds a NUL byte: not a text file");
		free(buf);
		return -1;
	}
	*out = buf;
	if (len)
		*len = got;
	return 0;
}
