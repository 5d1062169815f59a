/* Zalo OA facts the daemon and the admin command share: settings, the token pair, error classes. */
#ifndef NV_ZALO_H
#define NV_ZALO_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "schema.h"

#define ZALO_API_BASE		"https://openapi.zalo.me"
#define ZALO_ZNS_BASE		"https://business.openapi.zalo.me"
#define ZALO_OAUTH_BASE		"https://oauth.zaloapp.com"
#define ZALO_STATE_FILE		"/var/lib/nhacviec/zalo-token.json"
#define ZALO_TEXT_MAX		2000	/* characters in a "cs" text */
/* Without secret_key_file, the app secret is this systemd credential. */
#define ZALO_SECRET_CREDENTIAL	"zalo-app-secret"

enum zalo_mode { ZALO_CS, ZALO_ZNS, ZALO_CS_THEN_ZNS };

/* A zalo channel's keys as its [channel] section gives them. */
struct zalo_conf {
	char		*app_id;
	char		*secret_key_file;	/* owner-only file */
	char		*oa_secret_file;	/* the OA webhook's key */
	char		*template_id;
	char		*template_data;
	char		*api_base;	/* URLs, checked by parse_url */
	char		*zns_base;
	char		*oauth_base;
	char		*state_file;	/* made absolute */
	char		*refresh_before;
	char		*rate;
	char		*mode;
};

/* The keys type zalo adds to a [channel] (their fields: struct zalo_conf). */
#define ZALO_NKEYS	12
extern const struct schema_key	zalo_keys[ZALO_NKEYS];
void	zalo_conf_clear(struct zalo_conf *);
void	zalo_conf_copy(struct zalo_conf *, const struct zalo_conf *);

/* A zalo channel's settings, checked and with defaults. */
struct zalo_settings {
	enum zalo_mode	 mode;
	char		*api_base, *zns_base, *oauth_base, *state_file;	/* owned */
	int64_t		 refresh_before_ms;	/* default 5h */
	double		 rate_per_s;		/* default 4000/min */
	/* template_data: ZNS parameter name = reminder placeholder */
	char		**param_names;
	char		**param_values;		/* e.g. "{{title}}" */
	size_t		 nparams;
};

int	zalo_settings_get(const struct zalo_conf *, struct zalo_settings *,
	    char *err, size_t len);
void	zalo_settings_clear(struct zalo_settings *);
/* "4000/min", "10/s" as sends per second. */
int	zalo_parse_rate(const char *, double *per_s);

/* The OA token pair, as kept in the state file and {p}:zalo:token. */
struct zalo_token {
	char		*access_token;		/* NULL until the first refresh */
	char		*refresh_token;
	int64_t		 access_expires_at;	/* ms */
	int64_t		 refresh_issued_at;	/* ms; lives about 3 months */
	int64_t		 updated_at;		/* ms: the newer copy wins */
	char		*status;		/* "ok" or "paused" */
	char		*reason;		/* why paused; never a token */
};

void	zalo_token_clear(struct zalo_token *);
int	zalo_token_copy(struct zalo_token *, const struct zalo_token *);
/* The state file: JSON, mode 600 (a readable one is refused). */
int	zalo_token_read_file(const char *path, struct zalo_token *, char *err,
	    size_t len);
/* Write durably: temp file, fsync, rename, fsync the folder. */
int	zalo_token_write_file(const char *path, const struct zalo_token *,
	    char *err, size_t len);
/* As flat field/value pairs for HSET, and back from HGETALL's pairs. */
int	zalo_token_from_pairs(struct zalo_token *, char *const *pairs,
	    size_t n);

/* What to do with a Zalo error code (reference §5), one table. */
enum zalo_action {
	ZALO_OK,
	ZALO_RETRY,		/* transient: back off and retry */
	ZALO_RETRY_TOMORROW,	/* daily quota: not before the next day */
	ZALO_REFRESH,		/* token refused: refresh once, retry once */
	ZALO_NOT_REACHABLE,	/* cs cannot reach this user: try ZNS */
	ZALO_PERMANENT,		/* this recipient: dead letter, fallback */
	ZALO_MISCONFIGURED,	/* the app or OA: pause the channel, alert */
};

enum zalo_action zalo_classify(long code);
const char	*zalo_action_name(enum zalo_action);

/* What a send answered: its code and what to do, Zalo's words, the message id. */
struct zalo_reply {
	int			 coded;		/* an integer "error" came */
	long			 code;
	enum zalo_action	 action;
	char			 message[200];	/* printable; "" when none */
	char			 ref[128];	/* the message id, on ZALO_OK */
};

/*
 * The body of a cs or ZNS answer (HTTP status). Without an error code the
 * status decides: a 4xx other than 408 and 429 is ZALO_PERMANENT, anything
 * else ZALO_RETRY.
 */
void	zalo_reply_parse(struct zalo_reply *, long status, const char *body,
	    size_t len);

#define ZALO_EXPIRES_DEFAULT_S	90000		/* 25 h, when the reply omits it */
#define ZALO_EXPIRES_MAX_S	(30 * 86400)	/* a peer's number, bounded */

/*
 * The OAuth answer to a refresh: the new pair into t (status "ok", its
 * times from now_ms, expires_in bounded by ZALO_EXPIRES_MAX_S); -1 with
 * why in err (the HTTP status and Zalo's error) when it holds no pair.
 */
int	zalo_refresh_parse(struct zalo_token *t, long status, const char *body,
	    size_t len, int64_t now_ms, char *err, size_t errlen);

#endif
