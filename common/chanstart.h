/* What a channel needs from outside the config to start (secrets, expanded headers), read and checked the same way by nhacviecd, nhacviecd -n and nhacviec check. */
#ifndef NV_CHANSTART_H
#define NV_CHANSTART_H

#define CHANSTART_OA_CREDENTIAL		"zalo-oa-secret"
#define CHANSTART_LINK_CREDENTIAL	"link-secret"

#include <stddef.h>

#include "config.h"
#include "zalo.h"

struct chanstart {
	char			**headers;	/* webhook: "Name: value", secrets in */
	size_t			  nheaders;
	char			 *password;	/* smtp: password_file's */
	char			 *secret;	/* zalo: the app secret */
	char			 *oa_secret;	/* zalo: the OA webhook key, or NULL */
	struct zalo_settings	  zalo;		/* zalo: its settings */
	int			  have_zalo;
};

/*
 * Read what channel cc of config c needs to start into out, or say why
 * not in err ("[channel NAME] ...", to follow the channel's FILE:LINE).
 * Secrets come from their files (owner-only) or systemd's
 * $CREDENTIALS_DIRECTORY.
 */
int	chanstart_read(const struct config *c, const struct config_channel *cc,
	    struct chanstart *out, char *err, size_t len);
/*
 * A secret from its file (file set) or the systemd credential name;
 * *out NULL (and 0) when neither is there and it is optional.
 */
int	chanstart_secret(const char *file, const char *credential, int optional,
	    char **out, char *err, size_t len);
/* Forget it all, secrets wiped. */
void	chanstart_clear(struct chanstart *);

#endif
