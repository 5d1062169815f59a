/* The status pages' accounts: the users file ([http] users_file, "name:hash[:read-only]" lines, owner-only) and yescrypt hashes through libcrypt. */
#include <sys/stat.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "users.h"
#include "xmalloc.h"

#define USERS_NAME_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789._-"

void
users_free(struct users *u)
{
	size_t	i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->v[i].name);
		free(u->v[i].hash);
	}
	free(u->v);
	free(u);
}

int
users_name_ok(const char *name)
{
	size_t	n = strlen(name);

	return n > 0 && n <= USERS_NAME_MAX &&
	    strspn(name, USERS_NAME_CHARS) == n &&
	    strchr("._-", name[0]) == NULL;
}

/* A line "name:hash[:read-only]" into e; -1 with why. */
static int
users_parse_line(char *line, struct users_entry *e, char *err, size_t len)
{
	char	*name = line, *hash, *role;

	if ((hash = strchr(line, ':')) == NULL) {
		snprintf(err, len, "not NAME:HASH (make lines with `nhacviec "
		    "user add NAME`)");
		return -1;
	}
	*hash++ = '\0';
	if ((role = strchr(hash, ':')) != NULL)
		*role++ = '\0';
	if (!users_name_ok(name)) {
		snprintf(err, len, "'%.64s' is not a user name: 1 to %d of "
		    "a-z, 0-9, '.', '_', '-'", name, USERS_NAME_MAX);
		return -1;
	}
	if (strncmp(hash, "$y$", 3) != 0 || strlen(hash) < 20 ||
	    strlen(hash) >= CRYPT_OUTPUT_SIZE) {
		snprintf(err, len, "the hash of %s is not a yescrypt hash "
		    "($y$...): set it again with `nhacviec user add %s`", name,
		    name);
		return -1;
	}
	if (role != NULL && strcmp(role, USERS_READ_ONLY) != 0) {
		snprintf(err, len, "'%.40s' after the hash of %s: the only "
		    "role is %s", role, name, USERS_READ_ONLY);
		return -1;
	}
	if ((e->name = strdup(name)) == NULL ||
	    (e->hash = strdup(hash)) == NULL) {
		free(e->name);
		snprintf(err, len, "out of memory");
		return -1;
	}
	e->read_only = role != NULL;
	return 0;
}

struct users *
users_load(const char *path, struct diag *d, int *missing)
{
	struct users		*u;
	struct users_entry	 e, *nv;
	struct stat		 st;
	char			*text, *line, *next, why[300];
	size_t			 cap = 0, n;
	unsigned		 lineno = 0;
	size_t			 errors = d->nerrors;

	*missing = 0;
	if (file_read(path, FILE_NOFOLLOW | FILE_OWNER_ONLY | FILE_TEXT,
	    USERS_FILE_MAX, &text, NULL, why, sizeof(why)) == -1) {
		*missing = stat(path, &st) == -1 && errno == ENOENT;
		diag_error(d, path, 0, "%s", *missing ? "no such file: make it "
		    "with `nhacviec user add NAME`" : why);
		return NULL;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		free(text);
		diag_error(d, path, 0, "out of memory");
		return NULL;
	}
	if (stat(path, &st) == 0) {
		u->dev = st.st_dev;
		u->ino = st.st_ino;
		u->size = st.st_size;
		u->mtime = st.st_mtim;
	}
	for (line = text; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		memset(&e, 0, sizeof(e));
		if (users_parse_line(line, &e, why, sizeof(why)) == -1) {
			diag_error(d, path, lineno, "%s", why);
			continue;
		}
		e.line = lineno;
		if (users_find(u, e.name) != NULL) {
			diag_error(d, path, lineno, "user %s again (line %u "
			    "has it already)", e.name,
			    users_find(u, e.name)->line);
			free(e.name);
			free(e.hash);
			continue;
		}
		if (u->n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = reallocarray(u->v, cap, sizeof(*nv))) ==
			    NULL) {
				free(e.name);
				free(e.hash);
				diag_error(d, path, lineno, "out of memory");
				break;
			}
			u->v = nv;
		}
		u->v[u->n++] = e;
	}
	explicit_bzero(text, strlen(text));
	free(text);
	if (d->nerrors > errors) {
		users_free(u);
		return NULL;
	}
	return u;
}

int
users_changed(const struct users *u, const char *path)
{
	struct stat	st;

	if (stat(path, &st) == -1)
		return 1;
	return st.st_dev != u->dev || st.st_ino != u->ino ||
	    st.st_size != u->size || st.st_mtim.tv_sec != u->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != u->mtime.tv_nsec;
}

const struct users_entry *
users_find(const struct users *u, const char *name)
{
	size_t	i;

	for (i = 0; u != NULL && i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0)
			return &u->v[i];
	return NULL;
}

int
users_hash(const char *password, char *out, size_t len, char *err,
    size_t errlen)
{
	struct crypt_data	*cd;
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char		*h;

	if (strlen(password) > USERS_PASSWORD_MAX) {
		snprintf(err, errlen, "a password of more than %d bytes",
		    USERS_PASSWORD_MAX);
		return -1;
	}
	/* count 0: libcrypt's default cost for yescrypt */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL) {
		snprintf(err, errlen, "libcrypt cannot make a yescrypt salt: "
		    "%s", strerror(errno));
		return -1;
	}
	if ((cd = calloc(1, sizeof(*cd))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h = crypt_rn(password, salt, cd, (int)sizeof(*cd));
	if (h == NULL || h[0] == '*' || strlen(h) >= len) {
		snprintf(err, errlen, "libcrypt cannot hash with yescrypt");
		explicit_bzero(cd, sizeof(*cd));
		free(cd);
		return -1;
	}
	snprintf(out, len, "%s", h);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return 0;
}

int
users_verify(const char *hash, const char *password)
{
	struct crypt_data	*cd;
	const char		*h;
	size_t			 i, n;
	unsigned char		 diff = 0;

	if (strlen(password) > USERS_PASSWORD_MAX ||
	    strncmp(hash, "$y$", 3) != 0 ||
	    (cd = calloc(1, sizeof(*cd))) == NULL)
		return 0;
	h = crypt_rn(password, hash, cd, (int)sizeof(*cd));
	if (h == NULL || h[0] == '*' || (n = strlen(h)) != strlen(hash)) {
		explicit_bzero(cd, sizeof(*cd));
		free(cd);
		return 0;
	}
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(h[i] ^ hash[i]);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return diff == 0;
}

/*
 * Write text as path's new content: a fresh temporary file (mode 600)
 * beside it, owned as the old file was (or, new, as its folder when we
 * are root and the folder is not writable by others), fsynced, renamed
 * over it, the folder fsynced.
 */
static int
users_write(const char *path, const char *text, char *err, size_t len)
{
	struct stat	 st, dst;
	char		 tmp[PATH_MAX], dirbuf[PATH_MAX], *dir;
	size_t		 n = strlen(text);
	ssize_t		 w;
	int		 fd, dfd, have = 0, own = 0;
	uid_t		 uid = 0;
	gid_t		 gid = 0;

	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	dir = dirname(dirbuf);
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, len, "%s: not a regular file", path);
			return -1;
		}
		have = 1;
		uid = st.st_uid;
		gid = st.st_gid;
	} else if (geteuid() == 0 && stat(dir, &dst) == 0 &&
	    (dst.st_mode & 022) == 0) {
		own = 1;
		uid = dst.st_uid;
		gid = dst.st_gid;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    sizeof(tmp)) {
		snprintf(err, len, "%s: path too long", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, len, "cannot write in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) == -1 ||
	    ((have || own) && geteuid() == 0 && fchown(fd, uid, gid) == -1))
		goto fail;
	while (n > 0) {
		if ((w = write(fd, text, n)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		text += w;
		n -= (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

/*
 * The file's text without name's line (*had: it was there), or an empty
 * text when there is no file; NULL with why.
 */
static char *
users_without(const char *path, const char *name, int *had, char *err,
    size_t len)
{
	struct stat	 st;
	char		*text, *out, *line, *next, why[300];
	size_t		 n, o = 0, nlen = strlen(name);

	*had = 0;
	if (lstat(path, &st) == -1 && errno == ENOENT)
		return xstrdup("");
	if (file_read(path, FILE_NOFOLLOW | FILE_TEXT, USERS_FILE_MAX, &text,
	    &n, why, sizeof(why)) == -1) {
		snprintf(err, len, "%s: %s", path, why);
		return NULL;
	}
	if ((out = malloc(n + 2)) == NULL) {
		free(text);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, name, nlen) == 0 && line[nlen] == ':') {
			*had = 1;
			continue;
		}
		n = strlen(line);
		memcpy(out + o, line, n);
		o += n;
		out[o++] = '\n';
	}
	out[o] = '\0';
	explicit_bzero(text, strlen(text));
	free(text);
	return out;
}

int
users_put(const char *path, const char *name, const char *hash,
    int read_only, int *replaced, char *err, size_t len)
{
	char	*old, *text;
	int	 rc;

	if (!users_name_ok(name)) {
		snprintf(err, len, "'%s' is not a user name: 1 to %d of a-z, "
		    "0-9, '.', '_', '-'", name, USERS_NAME_MAX);
		return -1;
	}
	if ((old = users_without(path, name, replaced, err, len)) == NULL)
		return -1;
	if (asprintf(&text, "%s%s:%s%s%s\n", old, name, hash, read_only ?
	    ":" : "", read_only ? USERS_READ_ONLY : "") == -1) {
		free(old);
		snprintf(err, len, "out of memory");
		return -1;
	}
	rc = users_write(path, text, err, len);
	free(old);
	free(text);
	return rc;
}

int
users_remove(const char *path, const char *name, char *err, size_t len)
{
	char	*text;
	int	 had, rc;

	if ((text = users_without(path, name, &had, err, len)) == NULL)
		return -1;
	if (!had) {
		snprintf(err, len, "%s has no user %s", path, name);
		free(text);
		return -1;
	}
	rc = users_write(path, text, err, len);
	free(text);
	return rc;
}
