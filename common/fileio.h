/* Reading a whole file the careful way: only a regular file, never past a size, never blocking on a FIFO. */
#ifndef NV_FILEIO_H
#define NV_FILEIO_H

#include <stddef.h>

#define FILE_NOFOLLOW	0x1	/* a symbolic link is refused */
#define FILE_OWNER_ONLY	0x2	/* readable by group or others is refused */
#define FILE_TEXT	0x4	/* a NUL byte is refused */

/* The limits of what nhacviec reads. */
#define FILE_MAX_CONFIG		(1 << 20)
#define FILE_MAX_PLAN		(4 << 20)
#define FILE_MAX_TEMPLATE	(256 << 10)
#define FILE_MAX_SECRET		8192

/*
 * The whole of path (NUL-terminated, malloc'd) into *out, its length into
 * *len (may be NULL). Opened with O_NONBLOCK (and O_NOFOLLOW when asked)
 * and checked on the descriptor: a FIFO, a device, a directory or a file
 * over max bytes is refused, never read. err gets the reason without the
 * path, to follow "PATH: " ("not a regular file (a FIFO)").
 */
int	file_read(const char *path, int flags, size_t max, char **out,
	    size_t *len, char *err, size_t errlen);
/* The rest of an open descriptor (standard input), up to max bytes, as
 * file_read gives a file; no check on what it reads from. */
int	file_read_fd(int fd, int flags, size_t max, char **out, size_t *len,
	    char *err, size_t errlen);
/* The same checks without reading: is path a file file_read would take? */
int	file_check(const char *path, int flags, size_t max, char *err,
	    size_t errlen);
/* The same checks, whatever the size: the descriptor to read on, or -1. */
int	file_open_read(const char *path, int flags, char *err, size_t errlen);

/*
 * A folder to write files in: made (mode, whatever the umask; its parent
 * fsynced) when it is missing. -1 with why when it is not a folder, or
 * this process cannot create files in it.
 */
int	file_dir_ready(const char *dir, unsigned mode, char *err,
	    size_t errlen);
/*
 * Append buf to dir/name durably: created (mode, whatever the umask) when
 * missing, never through a symbolic link; the file fsynced, and the folder
 * too when the file is new. A last line left without its newline (a crash
 * in a write) is ended first; a failed write is cut off again. Blocks.
 */
int	file_append_sync(const char *dir, const char *name, unsigned mode,
	    const char *buf, size_t len, char *err, size_t errlen);

#endif
