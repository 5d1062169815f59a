/* What a channel needs from outside the config to start, read and checked the same way by nhacviecd, nhacviecd -n and nhacviec check. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chanstart.h"
#include "mime.h"
#include "secret.h"

static int
chanstart_webhook(const struct config *c, const struct config_channel *cc,
    struct chanstart *out, char *err, size_t len)
{
	char	*dir = NULL, *copy, *value, why[300];
	size_t	 i;

	if (cc->nheaders == 0)
		return 0;
	if ((copy = strdup(c->path)) == NULL ||
	    asprintf(&dir, "%s/secrets", dirname(copy)) == -1)
		dir = NULL;
	free(copy);
	if ((out->headers = calloc(cc->nheaders, sizeof(*out->headers))) ==
	    NULL) {
		free(dir);
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (i = 0; i < cc->nheaders; i++) {
		if (secret_expand(cc->headers[i].value, dir ? dir : ".", &value,
		    why, sizeof(why)) == -1) {
			snprintf(err, len, "[channel %s] header %s: %s",
			    cc->name, cc->headers[i].name, why);
			free(dir);
			return -1;
		}
		if (asprintf(&out->headers[i], "%s: %s", cc->headers[i].name,
		    value) == -1)
			out->headers[i] = NULL;
		secret_free(value);
		if (out->headers[i] == NULL) {
			free(dir);
			snprintf(err, len, "out of memory");
			return -1;
		}
		out->nheaders++;
	}
	free(dir);
	return 0;
}

static int
chanstart_smtp(const struct config_channel *cc, struct chanstart *out,
    char *err, size_t len)
{
	char	why[512];

	if (cc->from == NULL || !mime_address_ok(cc->from)) {
		snprintf(err, len, "[channel %s] of type smtp needs "
		    "from = ADDRESS (local@domain, ASCII), e.g. "
		    "from = nhacviec@example.gov.vn%s%s%s",
		    cc->name, cc->from ? "; got '" : "",
		    cc->from ? cc->from : "", cc->from ? "'" : "");
		return -1;
	}
	if ((cc->username == NULL) != (cc->password_file == NULL)) {
		snprintf(err, len, "[channel %s] needs both username "
		    "and password_file, or neither", cc->name);
		return -1;
	}
	if (cc->password_file != NULL &&
	    secret_read(cc->password_file, &out->password, why,
	    sizeof(why)) == -1) {
		snprintf(err, len, "[channel %s] password_file: %s",
		    cc->name, why);
		return -1;
	}
	return 0;
}

int
chanstart_secret(const char *file, const char *credential, int optional,
    char **out, char *err, size_t len)
{
	const char	*cred = getenv("CREDENTIALS_DIRECTORY");
	char		 path[1024];

	*out = NULL;
	if (file != NULL)
		return secret_read(file, out, err, len);
	if (cred == NULL) {
		if (optional)
			return 0;
		snprintf(err, len, "no file named, and no systemd credential "
		    "%s ($CREDENTIALS_DIRECTORY is not set)", credential);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", cred, credential);
	if (optional && access(path, F_OK) == -1)
		return 0;
	return secret_read(path, out, err, len);
}

static int
chanstart_zalo(const struct config_channel *cc, struct chanstart *out,
    char *err, size_t len)
{
	const char	*cred;
	char		 why[400], path[1024];

	if (zalo_settings_get(&cc->zalo, &out->zalo, why, sizeof(why)) == -1) {
		snprintf(err, len, "%s", why);
		return -1;
	}
	out->have_zalo = 1;
	if (chanstart_secret(cc->zalo.oa_secret_file, CHANSTART_OA_CREDENTIAL,
	    1, &out->oa_secret, why, sizeof(why)) == -1) {
		snprintf(err, len, "[channel %s] oa_secret_file: %s", cc->name,
		    why);
		return -1;
	}
	if (cc->zalo.secret_key_file != NULL) {
		if (secret_read(cc->zalo.secret_key_file, &out->secret, why,
		    sizeof(why)) == -1) {
			snprintf(err, len, "[channel %s] secret_key_file: %s",
			    cc->name, why);
			return -1;
		}
		return 0;
	}
	if ((cred = getenv("CREDENTIALS_DIRECTORY")) == NULL) {
		snprintf(err, len, "[channel %s] has no secret_key_file, and "
		    "there is no systemd credential %s ($CREDENTIALS_DIRECTORY "
		    "is not set): set secret_key_file, or name the folder the "
		    "unit loads it from (CREDENTIALS_DIRECTORY=/etc/nhacviec/"
		    "secrets nhacviec check)", cc->name,
		    ZALO_SECRET_CREDENTIAL);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", cred, ZALO_SECRET_CREDENTIAL);
	if (secret_read(path, &out->secret, why, sizeof(why)) == -1) {
		snprintf(err, len, "[channel %s] credential %s: %s", cc->name,
		    ZALO_SECRET_CREDENTIAL, why);
		return -1;
	}
	return 0;
}

int
chanstart_read(const struct config *c, const struct config_channel *cc,
    struct chanstart *out, char *err, size_t len)
{
	int	rc = 0;

	memset(out, 0, sizeof(*out));
	switch (cc->type) {
	case CHANNEL_WEBHOOK:
		rc = chanstart_webhook(c, cc, out, err, len);
		break;
	case CHANNEL_SMTP:
		rc = chanstart_smtp(cc, out, err, len);
		break;
	case CHANNEL_ZALO:
		rc = chanstart_zalo(cc, out, err, len);
		break;
	case CHANNEL_CONSOLE:
		break;
	}
	if (rc == -1)
		chanstart_clear(out);
	return rc;
}

void
chanstart_clear(struct chanstart *cs)
{
	size_t	i;

	for (i = 0; i < cs->nheaders; i++)
		secret_free(cs->headers[i]);
	free(cs->headers);
	secret_free(cs->password);
	secret_free(cs->secret);
	secret_free(cs->oa_secret);
	if (cs->have_zalo)
		zalo_settings_clear(&cs->zalo);
	memset(cs, 0, sizeof(*cs));
}
