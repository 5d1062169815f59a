/* The status pages' accounts: the users file ([http] users_file, "name:hash[:read-only]" lines, owner-only) and yescrypt hashes through libcrypt. */
#ifndef NV_USERS_H
#define NV_USERS_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include "diag.h"

#define USERS_NAME_MAX		64
#define USERS_PASSWORD_MAX	256	/* bytes of a password */
#define USERS_FILE_MAX		(1 << 20)
#define USERS_READ_ONLY		"read-only"

struct users_entry {
	char		*name;
	char		*hash;		/* "$y$..." */
	int		 read_only;	/* sees the pages, no actions */
	unsigned	 line;
};

/* The file as read, and what it was (to notice a change). */
struct users {
	struct users_entry	*v;
	size_t			 n;
	dev_t			 dev;
	ino_t			 ino;
	off_t			 size;
	struct timespec		 mtime;
};

/*
 * Read the users file: only a regular file, not a symbolic link, readable
 * by its owner alone. Each problem goes to d as FILE:LINE; NULL when there
 * was any (a missing file too: err says so then, with ENOENT in *missing).
 */
struct users	*users_load(const char *path, struct diag *d, int *missing);
void		 users_free(struct users *);
/* Has the file changed (or gone) since u was read? */
int		 users_changed(const struct users *, const char *path);
const struct users_entry *users_find(const struct users *, const char *name);

/* A name is 1 to USERS_NAME_MAX of [a-z0-9._-], starting with a letter
 * or a digit. */
int	users_name_ok(const char *);
/* A fresh yescrypt hash of password into out (CRYPT_OUTPUT_SIZE). */
int	users_hash(const char *password, char *out, size_t len, char *err,
	    size_t errlen);
/* 1 when password matches hash, else 0. Slow on purpose (yescrypt). */
int	users_verify(const char *hash, const char *password);
/*
 * Add a user, or give an existing one a new hash and role: the file is
 * written anew (a temporary file of mode 600 beside it, fsynced, renamed),
 * keeping its owner and every other line. *replaced says whether the name
 * was there. -1 with why.
 */
int	users_put(const char *path, const char *name, const char *hash,
	    int read_only, int *replaced, char *err, size_t len);
/* Remove a user; -1 with why (also when there is no such user). */
int	users_remove(const char *path, const char *name, char *err,
	    size_t len);

#endif
