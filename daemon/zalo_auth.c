/* The Zalo OA token's life: read (the file, then Redis: the newer wins), locked across instances, refreshed, stored durably before use, renewed ahead of its end; every refresh ends in zalo_auth_end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "xmalloc.h"
#include "zalo_priv.h"

#define ZALO_LOCK_RETRY_MS	500

static void	zalo_auth_lock(struct zalo *);

static int
zalo_auth_good(const struct zalo *z)
{
	const struct zalo_auth	*a = &z->auth;

	return a->tok.access_token != NULL && !a->force &&
	    a->tok.access_expires_at - clock_now_ms() >
	    z->set.refresh_before_ms;
}

int
zalo_auth_ready(const struct zalo *z)
{
	return z->auth.synced && zalo_auth_good(z);
}

/*
 * Refresh refresh_before ahead of the access token's end even when nothing
 * is sent: a refresh token unused for 3 months dies, and with it the grant.
 * A delay below 0: from the token's end.
 */
static void
zalo_auth_arm(struct zalo *z, int64_t delay_ms)
{
	struct zalo_auth	*a = &z->auth;
	struct timeval		 tv;
	int64_t			 at;

	if (delay_ms < 0) {
		if (a->tok.refresh_token == NULL)
			return;
		at = a->tok.access_expires_at - z->set.refresh_before_ms;
		delay_ms = clock_real_delay_ms(at - clock_now_ms());
		if (delay_ms < 1000)
			delay_ms = 1000;
	}
	tv.tv_sec = delay_ms / 1000;
	tv.tv_usec = (delay_ms % 1000) * 1000;
	evtimer_add(a->renew_ev, &tv);
}

/* Take a newer pair (from Redis, the file or a refresh) as ours. */
static void
zalo_auth_adopt(struct zalo *z, const struct zalo_token *t)
{
	struct zalo_auth	*a = &z->auth;

	zalo_token_copy(&a->tok, t);
	a->gen++;
	a->force = 0;
	zalo_auth_arm(z, -1);
}

static void
zalo_auth_unlock(struct zalo *z)
{
	struct zalo_auth	*a = &z->auth;
	const char		*argv[1];

	if (!a->locked)
		return;
	a->locked = 0;
	/* Delete the lock only if it is still ours. */
	argv[0] = a->lockval;
	script_run(z->ch->nv, SCRIPT_ZALO_UNLOCK, NULL, NULL, 1, argv);
}

/*
 * The one way a refresh ends: the lock given back, then every send that
 * waited goes, or hears why not. A refresh token that may be spent is never
 * tried again: the channel pauses here and in every instance (the status in
 * Redis, written before the lock goes), and a human is told.
 */
static void
zalo_auth_end(struct zalo *z, enum zalo_auth_end how, const char *why)
{
	struct zalo_auth	*a = &z->auth;
	struct nv		*nv = z->ch->nv;
	const char		*told = why;
	struct result		 res;
	struct jobq		 q;
	struct job		*j;
	char			 text[600];

	a->state = ZALO_AUTH_IDLE;
	if (how == ZALO_AUTH_SPENT)
		store_commandf(nv->store, NULL, NULL,
		    "HSET %s status paused reason %s", a->token_key, why);
	zalo_auth_unlock(z);
	if (how == ZALO_AUTH_OK)
		zalo_auth_arm(z, -1);
	else if (how == ZALO_AUTH_PAUSE || how == ZALO_AUTH_SPENT) {
		channel_pause(z->ch, why);
		told = z->ch->pause_reason;
	}
	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &a->waiting, link);
	while ((j = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, j, link);
		if (how == ZALO_AUTH_OK)
			zalo_post(z, j);
		else if (how == ZALO_AUTH_NOT_TRIED) {
			memset(&res, 0, sizeof(res));
			result_not_tried(&res, told);
			ledger_job_done(j, &res);
		} else
			zalo_result(j, how == ZALO_AUTH_AGAIN ?
			    VERDICT_TRANSIENT : VERDICT_DEFER, 0, -1, "%s",
			    told);
	}
	if (how != ZALO_AUTH_SPENT)
		return;
	snprintf(text, sizeof(text), "Kênh Zalo %s đã tạm dừng: %s. Cần quản "
	    "trị viên cấp lại mã (nhacviec zalo token set) rồi kênh sẽ chạy "
	    "lại. / Zalo channel %s is paused: %s. An admin must set a new "
	    "refresh token (nhacviec zalo token set).", z->ch->name, why,
	    z->ch->name, why);
	dispatch_alert(nv->dispatch, "[nhacviec] Kênh Zalo tạm dừng", text);
}

static void
zalo_auth_stored(void *arg, redisReply *r)
{
	struct zalo	*z = arg;

	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_crit("zalo %s: the new token pair could not be written to "
		    "%s (%s); it is in %s", z->ch->name, z->auth.token_key,
		    r ? r->str : "Redis unreachable", z->set.state_file);
	zalo_auth_end(z, ZALO_AUTH_OK, NULL);
}

/* The pair into {p}:zalo:token, for every instance. */
static int
zalo_auth_store(struct zalo *z, const struct zalo_token *t, store_reply_cb *cb)
{
	char		 s_exp[24], s_iss[24], s_upd[24];
	const char	*argv[16];

	snprintf(s_exp, sizeof(s_exp), "%lld", (long long)t->access_expires_at);
	snprintf(s_iss, sizeof(s_iss), "%lld", (long long)t->refresh_issued_at);
	snprintf(s_upd, sizeof(s_upd), "%lld", (long long)t->updated_at);
	argv[0] = "HSET";
	argv[1] = z->auth.token_key;
	argv[2] = "access_token";
	argv[3] = t->access_token ? t->access_token : "";
	argv[4] = "refresh_token";
	argv[5] = t->refresh_token;
	argv[6] = "access_expires_at";
	argv[7] = s_exp;
	argv[8] = "refresh_issued_at";
	argv[9] = s_iss;
	argv[10] = "updated_at";
	argv[11] = s_upd;
	argv[12] = "status";
	argv[13] = t->status ? t->status : "ok";
	argv[14] = "reason";
	argv[15] = t->reason ? t->reason : "";
	return store_command(z->ch->nv->store, cb, z, 16, argv, NULL);
}

/* True when the HGETALL reply r holds an older pair than t (or none). */
static int
zalo_auth_redis_older(redisReply *r, const struct zalo_token *t)
{
	size_t	i;

	for (i = 0; i + 1 < r->elements; i += 2)
		if (strcmp(r->element[i]->str, "updated_at") == 0)
			return strtoll(r->element[i + 1]->str, NULL, 10) <
			    t->updated_at;
	return 1;
}

/* The OAuth reply: a new pair is stored durably before anything uses it. */
static void
zalo_auth_refreshed(void *arg, const struct http_response *r)
{
	struct zalo		*z = arg;
	struct zalo_token	 t;
	char			 err[300], why[300];
	int64_t			 exp_s, now;

	/* Nothing left this machine: the refresh token is unspent. */
	if (r->local) {
		zalo_auth_end(z, ZALO_AUTH_NOT_TRIED, r->error);
		return;
	}
	if (r->code == CURLE_COULDNT_CONNECT ||
	    r->code == CURLE_COULDNT_RESOLVE_HOST) {
		log_warnx("zalo %s: cannot reach %s: %s; sends wait for the "
		    "next try", z->ch->name, z->set.oauth_base, r->error);
		zalo_auth_end(z, ZALO_AUTH_AGAIN,
		    "cannot reach the Zalo OAuth server");
		return;
	}
	if (r->code != CURLE_OK) {
		snprintf(why, sizeof(why), "the token refresh got no answer "
		    "(%s) after it was sent: the refresh token may be spent",
		    r->error);
		zalo_auth_end(z, ZALO_AUTH_SPENT, why);
		return;
	}
	now = clock_now_ms();
	if (zalo_refresh_parse(&t, r->status, r->body, r->body_len, now, why,
	    sizeof(why)) == -1) {
		zalo_auth_end(z, ZALO_AUTH_SPENT, why);
		return;
	}
	exp_s = (t.access_expires_at - now) / 1000;
	if (zalo_token_write_file(z->set.state_file, &t, err,
	    sizeof(err)) == -1)
		log_crit("zalo %s: %s; the new pair is kept in %s only",
		    z->ch->name, err, z->auth.token_key);
	zalo_auth_adopt(z, &t);
	log_notice("zalo %s: token refreshed; the access token is good for "
	    "%llds", z->ch->name, (long long)exp_s);
	z->auth.state = ZALO_AUTH_STORING;
	if (zalo_auth_store(z, &t, zalo_auth_stored) == -1) {
		log_crit("zalo %s: Redis unreachable: the new pair is in %s "
		    "only", z->ch->name, z->set.state_file);
		zalo_auth_end(z, ZALO_AUTH_OK, NULL);
	}
	zalo_token_clear(&t);
}

/* POST the refresh token: a request never to be repeated blindly. */
static void
zalo_auth_refresh(struct zalo *z)
{
	struct http_request	 req;
	CURL			*e;
	char			*rt, *app, *url, hdr[600];

	if ((e = curl_easy_init()) == NULL) {
		zalo_auth_end(z, ZALO_AUTH_SPENT, "out of memory");
		return;
	}
	rt = curl_easy_escape(e, z->auth.tok.refresh_token, 0);
	app = curl_easy_escape(e, z->ch->cfg->zalo.app_id, 0);
	curl_easy_cleanup(e);
	memset(&req, 0, sizeof(req));
	if (rt == NULL || app == NULL || asprintf(&req.body,
	    "refresh_token=%s&app_id=%s&grant_type=refresh_token", rt,
	    app) == -1) {
		curl_free(rt);
		curl_free(app);
		zalo_auth_end(z, ZALO_AUTH_SPENT, "out of memory");
		return;
	}
	explicit_bzero(rt, strlen(rt));
	curl_free(rt);
	curl_free(app);
	req.body_len = strlen(req.body);
	xasprintf(&url, "%s/v4/oa/access_token", z->set.oauth_base);
	req.url = url;
	req.method = "POST";
	req.timeout_ms = z->ch->cfg->timeout_ms;
	req.ca_file = z->ch->cfg->ca_file;
	req.headers = curl_slist_append(NULL,
	    "Content-Type: application/x-www-form-urlencoded");
	snprintf(hdr, sizeof(hdr), "secret_key: %s", z->secret);
	req.headers = curl_slist_append(req.headers, hdr);
	explicit_bzero(hdr, sizeof(hdr));
	log_info("zalo %s: refreshing the OA access token", z->ch->name);
	z->auth.state = ZALO_AUTH_REFRESHING;
	if (http_submit(z->ch->nv->http, &req, zalo_auth_refreshed, z) == -1)
		zalo_auth_end(z, ZALO_AUTH_NOT_TRIED,
		    "cannot start the token refresh");
	free(url);
}

/*
 * The store's pair, read first and again after the lock (another instance
 * may have refreshed): adopt it when newer; a refresh only when still stale.
 */
static void
zalo_auth_read_reply(void *arg, redisReply *r)
{
	struct zalo		*z = arg;
	struct zalo_auth	*a = &z->auth;
	struct zalo_token	 t;
	char			**pairs, why[300];
	size_t			 i;
	int			 paused = 0;

	if (r == NULL) {
		a->locked = 0;	/* gone with the connection, or soon by TTL */
		zalo_auth_end(z, ZALO_AUTH_AGAIN,
		    "Redis unreachable during the token refresh");
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2) {
		pairs = xcalloc(r->elements, sizeof(*pairs));
		for (i = 0; i < r->elements; i++)
			pairs[i] = r->element[i]->str;
		if (zalo_token_from_pairs(&t, pairs, r->elements) == 0) {
			if (t.status && strcmp(t.status, "paused") == 0) {
				snprintf(why, sizeof(why), "another instance "
				    "paused Zalo: %s", t.reason ? t.reason :
				    "?");
				paused = 1;
			} else if (t.updated_at > a->tok.updated_at)
				zalo_auth_adopt(z, &t);
			zalo_token_clear(&t);
		}
		free(pairs);
	}
	if (paused) {
		zalo_auth_end(z, ZALO_AUTH_PAUSE, why);
		return;
	}
	/* Our file is newer than Redis (Redis lost it): give it back. */
	if (!a->synced && a->tok.refresh_token != NULL &&
	    (r->type != REDIS_REPLY_ARRAY || zalo_auth_redis_older(r, &a->tok)))
		zalo_auth_store(z, &a->tok, NULL);
	a->synced = 1;
	if (zalo_auth_good(z))
		zalo_auth_end(z, ZALO_AUTH_OK, NULL);
	else if (a->tok.refresh_token == NULL)
		zalo_auth_end(z, ZALO_AUTH_PAUSE, "no refresh token: run "
		    "`nhacviec zalo token set`");
	else if (!a->locked)
		zalo_auth_lock(z);
	else
		zalo_auth_refresh(z);
}

static void
zalo_auth_read(struct zalo *z, const char *why)
{
	z->auth.state = ZALO_AUTH_READING;
	if (store_commandf(z->ch->nv->store, zalo_auth_read_reply, z,
	    "HGETALL %s", z->auth.token_key) == -1)
		zalo_auth_end(z, ZALO_AUTH_AGAIN, why);
}

static void
zalo_auth_lock_reply(void *arg, redisReply *r)
{
	struct zalo	*z = arg;
	struct timeval	 tv = { 0, ZALO_LOCK_RETRY_MS * 1000 };

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		zalo_auth_end(z, ZALO_AUTH_AGAIN,
		    "Redis unreachable: cannot take the token lock");
		return;
	}
	if (r->type == REDIS_REPLY_STATUS) {
		z->auth.locked = 1;
		zalo_auth_read(z, "Redis unreachable");
		return;
	}
	/* Another instance is refreshing: look again shortly. */
	z->auth.state = ZALO_AUTH_LOCK_WAIT;
	evtimer_add(z->auth.lock_ev, &tv);
}

/* The other instance may have finished: re-read, lock if still stale. */
static void
zalo_auth_lock_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	zalo_auth_read(arg, "Redis unreachable");
}

/* Take {p}:zalo:lock for longer than the refresh request can take. */
static void
zalo_auth_lock(struct zalo *z)
{
	struct zalo_auth	*a = &z->auth;
	char			 ttl[24];

	snprintf(ttl, sizeof(ttl), "%lld",
	    (long long)(z->ch->cfg->timeout_ms + 30000));
	a->state = ZALO_AUTH_LOCKING;
	if (store_commandf(z->ch->nv->store, zalo_auth_lock_reply, z,
	    "SET %s %s NX PX %s", a->lock_key, a->lockval, ttl) == -1)
		zalo_auth_end(z, ZALO_AUTH_AGAIN,
		    "Redis unreachable: cannot take the token lock");
}

void
zalo_auth_need(struct zalo *z, struct job *j)
{
	struct zalo_auth	*a = &z->auth;

	if (j != NULL)
		TAILQ_INSERT_TAIL(&a->waiting, j, link);
	if (a->state != ZALO_AUTH_IDLE)
		return;
	zalo_auth_read(z, "Redis unreachable");
}

void
zalo_auth_refused(struct zalo *z, struct job *j, unsigned gen)
{
	if (gen == z->auth.gen)
		z->auth.force = 1;	/* this token is dead */
	if (zalo_auth_good(z))
		zalo_post(z, j);
	else
		zalo_auth_need(z, j);
}

static void
zalo_auth_renew_event(evutil_socket_t fd, short what, void *arg)
{
	struct zalo	*z = arg;

	(void)fd;
	(void)what;
	if (z->ch->paused)
		return;		/* a human sets the token; resume re-arms */
	if (!store_is_up(z->ch->nv->store)) {
		zalo_auth_arm(z, 5000);
		return;
	}
	/* Redis first (a peer may have refreshed), then lock and refresh. */
	zalo_auth_need(z, NULL);
	if (z->auth.state == ZALO_AUTH_IDLE)
		zalo_auth_arm(z, 60000);	/* Redis refused: later */
}

void
zalo_auth_resume(struct zalo *z)
{
	z->auth.synced = 0;
	z->auth.force = 0;
	zalo_auth_arm(z, 1000);
}

int
zalo_auth_init(struct zalo *z)
{
	struct zalo_auth	*a = &z->auth;
	struct nv		*nv = z->ch->nv;
	char			 ferr[300];

	TAILQ_INIT(&a->waiting);
	if ((a->lock_ev = evtimer_new(nv->base, zalo_auth_lock_event,
	    z)) == NULL || (a->renew_ev = evtimer_new(nv->base,
	    zalo_auth_renew_event, z)) == NULL)
		return -1;
	snprintf(a->lock_key, sizeof(a->lock_key), "%s", nv->keys.zalo_lock);
	snprintf(a->token_key, sizeof(a->token_key), "%s",
	    nv->keys.zalo_token);
	snprintf(a->lockval, sizeof(a->lockval), "%s:%ld:%s", nv->consumer,
	    (long)getpid(), z->ch->name);
	/* The file now; Redis at the first send (the newer copy wins). */
	if (zalo_token_read_file(z->set.state_file, &a->tok, ferr,
	    sizeof(ferr)) == -1)
		log_notice("zalo %s: %s; the token comes from Redis or "
		    "`nhacviec zalo token set`", z->ch->name, ferr);
	/* At start: compare with Redis (the newer wins), renew if due. */
	zalo_auth_arm(z, 1000);
	return 0;
}

void
zalo_auth_free(struct zalo *z)
{
	struct zalo_auth	*a = &z->auth;

	if (a->lock_ev)
		event_free(a->lock_ev);
	if (a->renew_ev)
		event_free(a->renew_ev);
	zalo_token_clear(&a->tok);
}
