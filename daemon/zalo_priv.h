/* What the Zalo channel's files share: the channel's state, its OA token's life, and one send's own state. */
#ifndef NV_ZALO_PRIV_H
#define NV_ZALO_PRIV_H

#include "keys.h"
#include "nhacviecd.h"
#include "zalo.h"

/* Where the OA token's life stands; all but idle: a refresh at work. */
enum zalo_auth_state {
	ZALO_AUTH_IDLE,
	ZALO_AUTH_READING,	/* HGETALL {p}:zalo:token */
	ZALO_AUTH_LOCKING,	/* SET {p}:zalo:lock NX */
	ZALO_AUTH_LOCK_WAIT,	/* another instance holds it: look again */
	ZALO_AUTH_REFRESHING,	/* the refresh token POSTed */
	ZALO_AUTH_STORING,	/* the new pair into {p}:zalo:token */
};

/* How a refresh ends: what the sends that waited for it get. */
enum zalo_auth_end {
	ZALO_AUTH_OK,		/* a good token: they go */
	ZALO_AUTH_NOT_TRIED,	/* failed on this machine: deferred */
	ZALO_AUTH_AGAIN,	/* Redis or the OAuth server away: retried */
	ZALO_AUTH_PAUSE,	/* the channel pauses here: held */
	ZALO_AUTH_SPENT,	/* the refresh token may be spent: paused
				 * everywhere, an admin alerted */
};

struct zalo_auth {
	enum zalo_auth_state	 state;
	struct zalo_token	 tok;		/* what we send with */
	unsigned		 gen;		/* bumped when tok changes */
	int			 synced;	/* compared with Redis once */
	int			 locked;	/* we hold {p}:zalo:lock */
	int			 force;		/* the access token refused */
	char			 lockval[96];
	char			 lock_key[KEYS_NAME_MAX];
	char			 token_key[KEYS_NAME_MAX];
	struct jobq		 waiting;	/* sends waiting for a token */
	struct event		*lock_ev;
	struct event		*renew_ev;	/* refresh ahead of its end */
};

struct zalo {
	struct channel		*ch;
	struct zalo_settings	 set;		/* our own copy */
	char			*secret;	/* the app secret */
	struct zalo_auth	 auth;
};

/* One send's own state (job->chan), freed by channel_zalo_ops.job_free. */
struct zalo_send {
	int			 stage;		/* 0 cs, 1 ZNS */
	int			 auth_retried;	/* refreshed once for it */
	unsigned		 gen;		/* token generation used */
};

/* channel_zalo.c: one request with the token we hold now. */
void	zalo_post(struct zalo *, struct job *);
/* j's outcome, not from a reply of Zalo's. */
void	zalo_result(struct job *, enum verdict, long status, int64_t retry_s,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* zalo_auth.c: the OA token's life: read, lock, refresh, store, renew. */
int	zalo_auth_init(struct zalo *);
void	zalo_auth_free(struct zalo *);
/* Compared with Redis once, and good for longer than refresh_before. */
int	zalo_auth_ready(const struct zalo *);
/* j (or NULL) waits for a good token: Redis first, then lock and refresh. */
void	zalo_auth_need(struct zalo *, struct job *);
/* Zalo refused the token of generation gen that j was sent with: j goes
 * again with a newer one, after a refresh if need be. */
void	zalo_auth_refused(struct zalo *, struct job *, unsigned gen);
/* An admin set a new pair: read the store again soon. */
void	zalo_auth_resume(struct zalo *);

#endif
