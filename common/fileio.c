/* Reading a whole file the careful way (only a regular file, never past a size, never blocking on a FIFO), and appending to one durably. */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libgen.h>

#include "buf.h"
#include "fileio.h"
#include "i18n.h"

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
			snprintf(err, errlen, "%s", _("a symbolic link: name "
			    "the file itself"));
		else
			snprintf(err, errlen, _("cannot open: %s"),
			    strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1) {
		snprintf(err, errlen, _("cannot read: %s"), strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, _("not a regular file (%s)"),
		    file_kind(st->st_mode));
		close(fd);
		return -1;
	}
	if ((size_t)st->st_size > max) {
		snprintf(err, errlen, _("larger than %zu bytes"), max);
		close(fd);
		return -1;
	}
	if ((flags & FILE_OWNER_ONLY) && (st->st_mode & 077)) {
		snprintf(err, errlen, _("readable by group or others (mode "
		    "%04o); chmod 600 it"), (unsigned)(st->st_mode & 07777));
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

/* The rest of fd, up to max bytes, into *out (NUL-terminated). */
static int
file_slurp(int fd, int flags, size_t max, char **out, size_t *len,
    char *err, size_t errlen)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[16384];
	ssize_t		 n;

	/* One byte more than allowed tells a file that grew meanwhile. */
	while (b.n <= max && (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, _("cannot read: %s"),
			    strerror(errno));
			buf_clear(&b);
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	if (b.n > max) {
		snprintf(err, errlen, _("larger than %zu bytes"), max);
		buf_clear(&b);
		return -1;
	}
	if ((flags & FILE_TEXT) && b.n > 0 && memchr(b.p, '\0', b.n) != NULL) {
		snprintf(err, errlen, _("holds a NUL byte: not a text file"));
		buf_clear(&b);
		return -1;
	}
	*out = buf_take(&b, len);
	return 0;
}

int
file_read(const char *path, int flags, size_t max, char **out, size_t *len,
    char *err, size_t errlen)
{
	struct stat	 st;
	int		 fd, rc;

	*out = NULL;
	if ((fd = file_open(path, flags, max, &st, err, errlen)) == -1)
		return -1;
	rc = file_slurp(fd, flags, max, out, len, err, errlen);
	close(fd);
	return rc;
}

int
file_read_fd(int fd, int flags, size_t max, char **out, size_t *len,
    char *err, size_t errlen)
{
	*out = NULL;
	return file_slurp(fd, flags, max, out, len, err, errlen);
}

int
file_open_read(const char *path, int flags, char *err, size_t errlen)
{
	struct stat	st;

	return file_open(path, flags, SIZE_MAX, &st, err, errlen);
}

/* fsync a folder: what it lists (a new name) is then on disk too. */
static int
file_sync_dir(const char *dir, char *err, size_t errlen)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1) {
		snprintf(err, errlen, "%s: cannot sync: %s", dir,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
file_dir_ready(const char *dir, unsigned mode, char *err, size_t errlen)
{
	struct stat	 st;
	char		*copy;
	int		 rc;

	if (stat(dir, &st) == -1) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return -1;
		}
		if (mkdir(dir, (mode_t)mode) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "%s: cannot create: %s", dir,
			    strerror(errno));
			return -1;
		}
		if (chmod(dir, (mode_t)mode) == -1) {
			snprintf(err, errlen, "%s: cannot chmod: %s", dir,
			    strerror(errno));
			return -1;
		}
		if ((copy = strdup(dir)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		rc = file_sync_dir(dirname(copy), err, errlen);
		free(copy);
		return rc;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a folder (%s)", dir,
		    S_ISREG(st.st_mode) ? "a regular file" :
		    file_kind(st.st_mode));
		return -1;
	}
	if (access(dir, W_OK | X_OK) == -1) {
		snprintf(err, errlen, "%s: cannot write in it: %s", dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* All of buf at the end of fd; -1 on the first error, errno set. */
static int
file_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_append_sync(const char *dir, const char *name, unsigned mode,
    const char *buf, size_t len, char *err, size_t errlen)
{
	const int	 of = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
			    O_NONBLOCK | O_NOCTTY;
	struct stat	 st;
	char		*path, last;
	int		 dfd, fd = -1, created = 0, rv = -1;

	if (asprintf(&path, "%s/%s", dir, name) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(path);
		return -1;
	}
	while (fd == -1) {
		if ((fd = openat(dfd, name, of)) != -1)
			break;
		if (errno != ENOENT)
			goto fail;
		if ((fd = openat(dfd, name, of | O_CREAT | O_EXCL,
		    (mode_t)mode)) != -1) {
			created = 1;
			if (fchmod(fd, (mode_t)mode) == -1)
				goto fail;
			break;
		}
		if (errno != EEXIST)
			goto fail;
	}
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (%s)", path,
		    file_kind(st.st_mode));
		goto out;
	}
	/* A crash in an earlier write may have left half a line: end it. */
	if (st.st_size > 0 && (pread(fd, &last, 1, st.st_size - 1) != 1 ||
	    (last != '\n' && file_write_all(fd, "\n", 1) == -1)))
		goto fail;
	if (file_write_all(fd, buf, len) == -1) {
		snprintf(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		/* Cut the part written off again: no half line stays (and
		 * if that fails too, the next append ends the line). */
		if (ftruncate(fd, st.st_size) == -1)
			snprintf(err, errlen, "%s: cannot write, nor cut off "
			    "what was written: %s", path, strerror(errno));
		goto out;
	}
	if (fsync(fd) == -1) {
		snprintf(err, errlen, "%s: cannot sync: %s", path,
		    strerror(errno));
		goto out;
	}
	if (created && fsync(dfd) == -1)
		goto fail;
	rv = 0;
	goto out;
 fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
 out:
	if (fd != -1)
		close(fd);
	close(dfd);
	free(path);
	return rv;
}
