/* Secrets read from files that only their owner may read; never logged. */
#ifndef NV_SECRET_H
#define NV_SECRET_H

#include <stddef.h>

/* Read a secret file (one value, trailing newline dropped) into *out (malloc'd). */
int	secret_read(const char *path, char **out, char *err, size_t len);
/*
 * Expand every ${secret:NAME} in text (malloc'd into *out): NAME is read
 * from $CREDENTIALS_DIRECTORY (systemd's LoadCredential=) when set, else
 * from dir (the secrets folder). NAME: letters, digits, '.', '_', '-'.
 */
int	secret_expand(const char *text, const char *dir, char **out, char *err,
	    size_t len);
/* Wipe and free a secret. */
void	secret_free(char *);

#endif
