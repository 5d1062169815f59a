/* The Zalo channel: OA "cs" messages and ZNS template messages, and the OA token's whole life. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "chanstart.h"
#include "nhacviecd.h"
#include "secret.h"
#include "template.h"
#include "zalo.h"

#define ZALO_LOCK_RETRY_MS	500
#define VN_OFFSET_MS		(7LL * 3600 * 1000)

struct zalo {
	struct channel		*ch;
	struct zalo_settings	 set;
	char			*secret;	/* the app secret */
	struct zalo_token	 tok;		/* what we send with */
	unsigned		 gen;		/* bumped when tok changes */
	int			 synced;	/* compared with Redis once */
	int			 refreshing;	/* one refresh at a time here */
	int			 locked;	/* we hold {p}:zalo:lock */
	int			 force;		/* tok.access_token was refused */
	char			 lockval[96];
	char			 lock_key[KEYS_NAME_MAX];
	char			 token_key[KEYS_NAME_MAX];
	struct jobq		 waiting;	/* sends waiting for a token */
	struct event		*lock_ev;
	struct event		*renew_ev;	/* refresh ahead, sends or not */
};

static void	zalo_post(struct zalo *, struct job *);
static void	zalo_refresh_step(struct zalo *);

static int
zalo_token_good(const struct zalo *z)
{
	return z->tok.access_token != NULL && !z->force &&
	    z->tok.access_expires_at - clock_now_ms() > z->set.refresh_before_ms;
}

static void
zalo_result(struct job *j, enum verdict v, long status, int64_t retry_s,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
zalo_result(struct job *j, enum verdict v, long status, int64_t retry_s,
    const char *fmt, ...)
{
	struct result	res;
	va_list		ap;

	memset(&res, 0, sizeof(res));
	res.verdict = v;
	res.status = status;
	res.retry_after_s = retry_s;
	va_start(ap, fmt);
	vsnprintf(res.detail, sizeof(res.detail), fmt, ap);
	va_end(ap);
	ledger_job_done(j, &res);
}

/* Every waiting send: go now (token good), or report why not. */
static void
zalo_release_waiting(struct zalo *z, enum verdict v, const char *why)
{
	struct jobq	 q;
	struct job	*j;

	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &z->waiting, link);
	while ((j = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, j, link);
		if (v == VERDICT_OK)
			zalo_post(z, j);
		else
			zalo_result(j, v, 0, -1, "%s", why);
	}
}

/* The refresh failed on this machine: every waiting send is deferred, not tried. */
static void
zalo_release_local(struct zalo *z, const char *why)
{
	struct result	 res;
	struct jobq	 q;
	struct job	*j;

	TAILQ_INIT(&q);
	TAILQ_CONCAT(&q, &z->waiting, link);
	while ((j = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, j, link);
		memset(&res, 0, sizeof(res));
		result_not_tried(&res, why);
		ledger_job_done(j, &res);
	}
}

/* Take a newer pair (from Redis or the file) as ours. */
/*
 * Refresh refresh_before ahead of the access token's end even when nothing
 * is sent: a refresh token unused for 3 months dies, and with it the grant.
 */
static void
zalo_arm_renew(struct zalo *z, int64_t delay_ms)
{
	struct timeval	tv;
	int64_t		at;

	if (delay_ms < 0) {
		if (z->tok.refresh_token == NULL)
			return;
		at = z->tok.access_expires_at - z->set.refresh_before_ms;
		delay_ms = clock_real_delay_ms(at - clock_now_ms());
		if (delay_ms < 1000)
			delay_ms = 1000;
	}
	tv.tv_sec = delay_ms / 1000;
	tv.tv_usec = (delay_ms % 1000) * 1000;
	evtimer_add(z->renew_ev, &tv);
}

static void
zalo_adopt(struct zalo *z, const struct zalo_token *t)
{
	zalo_token_copy(&z->tok, t);
	z->gen++;
	z->force = 0;
	zalo_arm_renew(z, -1);
}

static void
zalo_unlock(struct zalo *z)
{
	struct nv	*nv = z->ch->nv;
	const char	*argv[1];

	if (!z->locked)
		return;
	z->locked = 0;
	/* Delete the lock only if it is still ours. */
	argv[0] = z->lockval;
	script_run(nv, SCRIPT_ZALO_UNLOCK, NULL, NULL, 1, argv);
}

/*
 * The refresh failed or its outcome is unknown: the refresh token may be
 * spent. Never try it again: pause here and in every instance (the status
 * in Redis), and tell a human.
 */
static void
zalo_fail(struct zalo *z, const char *reason)
{
	struct nv	*nv = z->ch->nv;
	char		 text[600];

	z->refreshing = 0;
	store_commandf(nv->store, NULL, NULL, "HSET %s status paused reason %s",
	    z->token_key, reason);
	zalo_unlock(z);
	channel_pause(z->ch, reason);
	zalo_release_waiting(z, VERDICT_DEFER, z->ch->pause_reason);
	snprintf(text, sizeof(text), "Kênh Zalo %s đã tạm dừng: %s. Cần quản "
	    "trị viên cấp lại mã (nhacviec zalo token set) rồi kênh sẽ chạy "
	    "lại. / Zalo channel %s is paused: %s. An admin must set a new "
	    "refresh token (nhacviec zalo token set).", z->ch->name, reason,
	    z->ch->name, reason);
	dispatch_alert(nv->dispatch, "[nhacviec] Kênh Zalo tạm dừng", text);
}

static void
zalo_done_ok(struct zalo *z)
{
	z->refreshing = 0;
	zalo_unlock(z);
	zalo_arm_renew(z, -1);
	zalo_release_waiting(z, VERDICT_OK, NULL);
}

static void
zalo_store_reply(void *arg, redisReply *r)
{
	struct zalo	*z = arg;

	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_crit("zalo %s: the new token pair could not be written to "
		    "%s (%s); it is in %s", z->ch->name, z->token_key,
		    r ? r->str : "Redis unreachable", z->set.state_file);
	zalo_done_ok(z);
}

/* The pair into {p}:zalo:token, for every instance. */
static int
zalo_store_token(struct zalo *z, const struct zalo_token *t, store_reply_cb *cb)
{
	char		 s_exp[24], s_iss[24], s_upd[24];
	const char	*argv[16];

	snprintf(s_exp, sizeof(s_exp), "%lld", (long long)t->access_expires_at);
	snprintf(s_iss, sizeof(s_iss), "%lld", (long long)t->refresh_issued_at);
	snprintf(s_upd, sizeof(s_upd), "%lld", (long long)t->updated_at);
	argv[0] = "HSET";
	argv[1] = z->token_key;
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
zalo_redis_older(redisReply *r, const struct zalo_token *t)
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
zalo_refresh_done(void *arg, const struct http_response *r)
{
	struct zalo		*z = arg;
	struct zalo_token	 t;
	char			 err[300], why[300];
	int64_t			 exp_s, now;

	if (r->local) {
		/* Nothing left this machine: the refresh token is unspent. */
		z->refreshing = 0;
		zalo_unlock(z);
		zalo_release_local(z, r->error);
		return;
	}
	if (r->code == CURLE_COULDNT_CONNECT ||
	    r->code == CURLE_COULDNT_RESOLVE_HOST) {
		/* Nothing was sent: the refresh token is unspent. */
		log_warnx("zalo %s: cannot reach %s: %s; sends wait for the "
		    "next try", z->ch->name, z->set.oauth_base, r->error);
		z->refreshing = 0;
		zalo_unlock(z);
		zalo_release_waiting(z, VERDICT_TRANSIENT,
		    "cannot reach the Zalo OAuth server");
		return;
	}
	if (r->code != CURLE_OK) {
		snprintf(why, sizeof(why), "the token refresh got no answer "
		    "(%s) after it was sent: the refresh token may be spent",
		    r->error);
		zalo_fail(z, why);
		return;
	}
	now = clock_now_ms();
	if (zalo_refresh_parse(&t, r->status, r->body, r->body_len, now, why,
	    sizeof(why)) == -1) {
		zalo_fail(z, why);
		return;
	}
	exp_s = (t.access_expires_at - now) / 1000;
	if (zalo_token_write_file(z->set.state_file, &t, err,
	    sizeof(err)) == -1)
		log_crit("zalo %s: %s; the new pair is kept in %s only",
		    z->ch->name, err, z->token_key);
	zalo_adopt(z, &t);
	log_notice("zalo %s: token refreshed; the access token is good for "
	    "%llds", z->ch->name, (long long)exp_s);
	if (zalo_store_token(z, &t, zalo_store_reply) == -1) {
		log_crit("zalo %s: Redis unreachable: the new pair is in %s "
		    "only", z->ch->name, z->set.state_file);
		zalo_done_ok(z);
	}
	zalo_token_clear(&t);
}

/* POST the refresh token: the one request that must never be repeated blindly. */
static void
zalo_refresh_post(struct zalo *z)
{
	struct http_request	 req;
	CURL			*e;
	char			*rt, *app, *url, hdr[600];

	if ((e = curl_easy_init()) == NULL) {
		zalo_fail(z, "out of memory");
		return;
	}
	rt = curl_easy_escape(e, z->tok.refresh_token, 0);
	app = curl_easy_escape(e, z->ch->cfg->app_id, 0);
	curl_easy_cleanup(e);
	memset(&req, 0, sizeof(req));
	if (rt == NULL || app == NULL || asprintf(&req.body,
	    "refresh_token=%s&app_id=%s&grant_type=refresh_token", rt,
	    app) == -1) {
		curl_free(rt);
		curl_free(app);
		zalo_fail(z, "out of memory");
		return;
	}
	if (rt)
		explicit_bzero(rt, strlen(rt));
	curl_free(rt);
	curl_free(app);
	req.body_len = strlen(req.body);
	if (asprintf(&url, "%s/v4/oa/access_token", z->set.oauth_base) == -1)
		fatal("asprintf");
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
	if (http_submit(z->ch->nv->http, &req, zalo_refresh_done, z) == -1) {
		z->refreshing = 0;
		zalo_unlock(z);
		zalo_release_local(z, "cannot start the token refresh");
	}
	free(url);
}

/* After the lock: the store again, since another instance may have refreshed. */
static void
zalo_reread_reply(void *arg, redisReply *r)
{
	struct zalo		*z = arg;
	struct zalo_token	 t;
	char			**pairs;
	size_t			 i;

	if (r == NULL) {
		z->refreshing = 0;
		z->locked = 0;
		zalo_release_waiting(z, VERDICT_TRANSIENT,
		    "Redis unreachable during the token refresh");
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2) {
		pairs = calloc(r->elements, sizeof(*pairs));
		if (pairs == NULL)
			fatal("calloc");
		for (i = 0; i < r->elements; i++)
			pairs[i] = r->element[i]->str;
		if (zalo_token_from_pairs(&t, pairs, r->elements) == 0) {
			if (t.status && strcmp(t.status, "paused") == 0) {
				char why[300];

				snprintf(why, sizeof(why), "another instance "
				    "paused Zalo: %s", t.reason ? t.reason :
				    "?");
				zalo_token_clear(&t);
				free(pairs);
				z->refreshing = 0;
				zalo_unlock(z);
				channel_pause(z->ch, why);
				zalo_release_waiting(z, VERDICT_DEFER,
				    z->ch->pause_reason);
				return;
			}
			if (t.updated_at > z->tok.updated_at)
				zalo_adopt(z, &t);
			zalo_token_clear(&t);
		}
		free(pairs);
	}
	/* Our file is newer than Redis (Redis lost it): give it back. */
	if (!z->synced && z->tok.refresh_token != NULL &&
	    (r->type != REDIS_REPLY_ARRAY || zalo_redis_older(r, &z->tok)))
		zalo_store_token(z, &z->tok, NULL);
	z->synced = 1;
	if (zalo_token_good(z)) {
		zalo_done_ok(z);
		return;
	}
	if (z->tok.refresh_token == NULL) {
		z->refreshing = 0;
		zalo_unlock(z);
		channel_pause(z->ch, "no refresh token: run `nhacviec "
		    "zalo token set`");
		zalo_release_waiting(z, VERDICT_DEFER, z->ch->pause_reason);
		return;
	}
	if (!z->locked) {
		zalo_refresh_step(z);	/* take the lock first */
		return;
	}
	zalo_refresh_post(z);
}

static void
zalo_lock_reply(void *arg, redisReply *r)
{
	struct zalo	*z = arg;
	struct timeval	 tv = { 0, ZALO_LOCK_RETRY_MS * 1000 };

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		z->refreshing = 0;
		zalo_release_waiting(z, VERDICT_TRANSIENT,
		    "Redis unreachable: cannot take the token lock");
		return;
	}
	if (r->type == REDIS_REPLY_STATUS) {
		z->locked = 1;
		store_commandf(z->ch->nv->store, zalo_reread_reply, z,
		    "HGETALL %s", z->token_key);
		return;
	}
	/* Another instance is refreshing: look again shortly. */
	evtimer_add(z->lock_ev, &tv);
}

static void
zalo_lock_event(evutil_socket_t fd, short what, void *arg)
{
	struct zalo	*z = arg;

	(void)fd;
	(void)what;
	/* The other instance may have finished: re-read, lock if still stale. */
	if (store_commandf(z->ch->nv->store, zalo_reread_reply, z,
	    "HGETALL %s", z->token_key) == -1) {
		z->refreshing = 0;
		zalo_release_waiting(z, VERDICT_TRANSIENT, "Redis unreachable");
	}
}

/* Take {p}:zalo:lock for longer than the refresh request can take. */
static void
zalo_refresh_step(struct zalo *z)
{
	char	ttl[24];

	snprintf(ttl, sizeof(ttl), "%lld",
	    (long long)(z->ch->cfg->timeout_ms + 30000));
	if (store_commandf(z->ch->nv->store, zalo_lock_reply, z,
	    "SET %s %s NX PX %s", z->lock_key, z->lockval, ttl) == -1) {
		z->refreshing = 0;
		zalo_release_waiting(z, VERDICT_TRANSIENT,
		    "Redis unreachable: cannot take the token lock");
	}
}

/* Get a good token: Redis first (newer wins), then the lock and a refresh. */
static void
zalo_need_token(struct zalo *z, struct job *j)
{
	if (j != NULL)
		TAILQ_INSERT_TAIL(&z->waiting, j, link);
	if (z->refreshing)
		return;
	z->refreshing = 1;
	if (store_commandf(z->ch->nv->store, zalo_reread_reply, z,
	    "HGETALL %s", z->token_key) == -1) {
		z->refreshing = 0;
		zalo_release_waiting(z, VERDICT_TRANSIENT, "Redis unreachable");
	}
}

static void
zalo_renew_event(evutil_socket_t fd, short what, void *arg)
{
	struct zalo	*z = arg;

	(void)fd;
	(void)what;
	if (z->ch->paused)
		return;		/* a human sets the token; resume re-arms */
	if (!store_is_up(z->ch->nv->store)) {
		zalo_arm_renew(z, 5000);
		return;
	}
	/* Redis first (a peer may have refreshed), then lock and refresh. */
	zalo_need_token(z, NULL);
	if (!z->refreshing)
		zalo_arm_renew(z, 60000);	/* Redis refused: later */
}

/* A short stable id for ZNS's tracking_id (≤ 48 characters). */
static void
zalo_tracking_id(const char *rid, char *buf, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *rid; rid++) {
		h ^= (unsigned char)*rid;
		h *= 1099511628211ULL;
	}
	snprintf(buf, len, "nv-%016llx", (unsigned long long)h);
}

/* Seconds to 00:05 next day, Vietnam time: when a daily quota is new. */
static int64_t
zalo_until_tomorrow(void)
{
	int64_t	now = clock_now_ms() + VN_OFFSET_MS;
	int64_t	next = (now / 86400000 + 1) * 86400000 + 5 * 60000;

	return (next - now) / 1000;
}

static void
zalo_misconfigured(struct zalo *z, struct job *j, long code, const char *msg)
{
	char	why[300];

	snprintf(why, sizeof(why), "Zalo error %ld (%s): the app or OA is "
	    "not set up for this", code, msg);
	channel_pause(z->ch, why);
	zalo_result(j, VERDICT_DEFER, 0, -1, "%s", why);
	dispatch_alert(z->ch->nv->dispatch, "[nhacviec] Kênh Zalo tạm dừng",
	    why);
}

static void
zalo_send_done(void *arg, const struct http_response *r)
{
	struct job		*j = arg;
	struct zalo		*z = j->ch->priv;
	struct result		 res;
	struct zalo_reply	 zr;
	const char		*msg;
	long			 code;

	memset(&res, 0, sizeof(res));
	if (result_local(&res, r)) {
		ledger_job_done(j, &res);
		return;
	}
	res.status = r->status;
	res.latency_ms = r->latency_ms;
	res.retry_after_s = r->retry_after_s;
	if (r->code != CURLE_OK) {
		res.verdict = VERDICT_TRANSIENT;
		snprintf(res.detail, sizeof(res.detail), "%s", r->error);
		ledger_job_done(j, &res);
		return;
	}
	zalo_reply_parse(&zr, r->status, r->body, r->body_len);
	if (!zr.coded) {
		res.verdict = zr.action == ZALO_PERMANENT ? VERDICT_PERMANENT :
		    VERDICT_TRANSIENT;
		snprintf(res.detail, sizeof(res.detail), "HTTP %ld without a "
		    "Zalo error code", r->status);
		ledger_job_done(j, &res);
		return;
	}
	code = zr.code;
	msg = zr.message;
	switch (zr.action) {
	case ZALO_OK:
		res.verdict = VERDICT_OK;
		snprintf(res.ref, sizeof(res.ref), "%s", zr.ref);
		snprintf(res.detail, sizeof(res.detail), "%s",
		    j->stage ? "zns" : "cs");
		break;
	case ZALO_REFRESH:
		if (j->auth_retried) {
			zalo_misconfigured(z, j, code, "the access token was "
			    "refused again right after a refresh");
			return;
		}
		j->auth_retried = 1;
		if (j->gen == z->gen)
			z->force = 1;	/* this token is dead */
		if (zalo_token_good(z))
			zalo_post(z, j);
		else
			zalo_need_token(z, j);
		return;
	case ZALO_NOT_REACHABLE:
		if (j->stage == 0 && z->set.mode == ZALO_CS_THEN_ZNS &&
		    (j->r.phone || j->r.contact)) {
			log_info("%s: cs refused (%ld, %s): sending ZNS",
			    j->rid, code, msg);
			j->stage = 1;
			zalo_post(z, j);
			return;
		}
		res.verdict = VERDICT_PERMANENT;
		break;
	case ZALO_RETRY:
		res.verdict = VERDICT_TRANSIENT;
		break;
	case ZALO_RETRY_TOMORROW:
		res.verdict = VERDICT_TRANSIENT;
		res.retry_after_s = zalo_until_tomorrow();
		break;
	case ZALO_PERMANENT:
		res.verdict = VERDICT_PERMANENT;
		break;
	case ZALO_MISCONFIGURED:
		zalo_misconfigured(z, j, code, msg);
		return;
	}
	if (res.verdict != VERDICT_OK)
		snprintf(res.detail, sizeof(res.detail), "Zalo %s error %ld: "
		    "%.150s", j->stage ? "zns" : "cs", code, msg);
	ledger_job_done(j, &res);
}

/* The ZNS template_data: each parameter rendered from its placeholder text. */
static json_t *
zalo_template_data(struct zalo *z, struct job *j, char *err, size_t len)
{
	const char	*tz = planner_timezone(z->ch->nv->planner);
	json_t		*o = json_object();
	struct template	*t;
	struct diag	 d;
	char		*v;
	size_t		 i;

	for (i = 0; i < z->set.nparams; i++) {
		diag_init(&d);
		t = template_parse(z->set.param_names[i],
		    z->set.param_values[i], &d);
		diag_clear(&d);
		v = t ? template_render(t, &j->r, TEMPLATE_PLAIN, tz) : NULL;
		template_free(t);
		if (v == NULL) {
			snprintf(err, len, "template_data %s: cannot render",
			    z->set.param_names[i]);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, z->set.param_names[i], json_string(v));
		free(v);
	}
	return o;
}

/* One request: cs to the follower's user id, or ZNS to the phone. */
static void
zalo_post(struct zalo *z, struct job *j)
{
	struct http_request	 req;
	json_t			*body;
	char			*text = NULL, *url = NULL, err[300], hdr[600];
	char			 track[32];
	const char		*to;
	size_t			 n;

	if (z->set.mode == ZALO_ZNS)
		j->stage = 1;
	/* A ZNS template carries one reminder: a digest goes apart. */
	if (j->stage == 1 && j->nmembers > 0)
		channel_split(j);
	j->gen = z->gen;
	memset(&req, 0, sizeof(req));
	if (j->stage == 0) {
		to = j->r.zalo ? j->r.zalo : j->r.contact;
		if ((text = render_text(z->ch, j, err, sizeof(err))) ==
		    NULL) {
			zalo_result(j, VERDICT_PERMANENT, 0, -1, "%s", err);
			return;
		}
		if (j->nmembers > 0 &&
		    template_utf8_chars(text) > ZALO_TEXT_MAX) {
			/* Too long as one: each reminder on its own. */
			free(text);
			channel_split(j);
			text = render_text(z->ch, j, err, sizeof(err));
			if (text == NULL) {
				zalo_result(j, VERDICT_PERMANENT, 0, -1, "%s",
				    err);
				return;
			}
		}
		if ((n = template_utf8_chars(text)) > ZALO_TEXT_MAX) {
			free(text);
			zalo_result(j, VERDICT_PERMANENT, 0, -1, "the message "
			    "is %zu characters; a Zalo cs text may have %d: "
			    "shorten the template", n, ZALO_TEXT_MAX);
			return;
		}
		body = json_pack("{s:{s:s?}, s:{s:s}}", "recipient", "user_id",
		    to, "message", "text", text);
		free(text);
		if (asprintf(&url, "%s/v3.0/oa/message/cs",
		    z->set.api_base) == -1)
			fatal("asprintf");
	} else {
		json_t *data;

		to = j->r.phone ? j->r.phone : j->r.contact;
		if ((data = zalo_template_data(z, j, err, sizeof(err))) ==
		    NULL) {
			zalo_result(j, VERDICT_PERMANENT, 0, -1, "%s", err);
			return;
		}
		zalo_tracking_id(j->rid, track, sizeof(track));
		body = json_pack("{s:s?, s:s, s:o, s:s}", "phone", to,
		    "template_id", z->ch->cfg->template_id, "template_data",
		    data, "tracking_id", track);
		if (asprintf(&url, "%s/message/template",
		    z->set.zns_base) == -1)
			fatal("asprintf");
	}
	if (to == NULL || body == NULL ||
	    (req.body = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		free(url);
		zalo_result(j, VERDICT_PERMANENT, 0, -1, "agency %s has no %s",
		    j->r.agency, j->stage ? "phone for ZNS" : "Zalo user id");
		return;
	}
	json_decref(body);
	req.url = url;
	req.body_len = strlen(req.body);
	req.method = "POST";
	req.timeout_ms = z->ch->cfg->timeout_ms;
	req.ca_file = z->ch->cfg->ca_file;
	req.headers = curl_slist_append(NULL,
	    "Content-Type: application/json; charset=utf-8");
	/* The token goes in a bare access_token header, nowhere else. */
	snprintf(hdr, sizeof(hdr), "access_token: %s", z->tok.access_token);
	req.headers = curl_slist_append(req.headers, hdr);
	explicit_bzero(hdr, sizeof(hdr));
	if (http_submit(z->ch->nv->http, &req, zalo_send_done, j) == -1) {
		struct result	res;

		memset(&res, 0, sizeof(res));
		result_not_tried(&res, "cannot start the HTTP request");
		ledger_job_done(j, &res);
	}
	free(url);
}

static void
zalo_send(struct channel *ch, struct job *j)
{
	struct zalo	*z = ch->priv;

	j->stage = 0;
	if (!z->synced || !zalo_token_good(z))
		zalo_need_token(z, j);
	else
		zalo_post(z, j);
}

/* An admin set a new token: forget ours, read the store again. */
static void
zalo_resume(struct channel *ch)
{
	struct zalo	*z = ch->priv;

	z->synced = 0;
	z->force = 0;
	zalo_arm_renew(z, 1000);
}

static void	zalo_free(struct channel *);

static int
zalo_init(struct channel *ch, char *err, size_t len)
{
	struct zalo		*z;
	struct nv		*nv = ch->nv;
	struct chanstart	 cs;
	char			 ferr[300];

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return -1;
	TAILQ_INIT(&z->waiting);
	z->ch = ch;
	ch->priv = z;
	if (chanstart_read(nv->conf, ch->cfg, &cs, err, len) == -1)
		goto fail;
	z->set = cs.zalo;		/* ours now */
	z->secret = cs.secret;
	cs.have_zalo = 0;
	cs.secret = NULL;
	chanstart_clear(&cs);
	if ((z->lock_ev = evtimer_new(nv->base, zalo_lock_event, z)) == NULL ||
	    (z->renew_ev = evtimer_new(nv->base, zalo_renew_event, z)) == NULL)
		goto fail;
	snprintf(z->lock_key, sizeof(z->lock_key), "%s", nv->keys.zalo_lock);
	snprintf(z->token_key, sizeof(z->token_key), "%s",
	    nv->keys.zalo_token);
	snprintf(z->lockval, sizeof(z->lockval), "%s:%ld:%s", nv->consumer,
	    (long)getpid(), ch->name);
	ch->rate_per_s = z->set.rate_per_s;
	/* The file now; Redis at the first send (the newer copy wins). */
	if (zalo_token_read_file(z->set.state_file, &z->tok, ferr,
	    sizeof(ferr)) == -1)
		log_notice("zalo %s: %s; the token comes from Redis or "
		    "`nhacviec zalo token set`", ch->name, ferr);
	/* At start: compare with Redis (the newer wins), renew if due. */
	zalo_arm_renew(z, 1000);
	return 0;
fail:
	zalo_free(ch);
	return -1;
}

static void
zalo_free(struct channel *ch)
{
	struct zalo	*z = ch->priv;

	if (z == NULL)
		return;
	if (z->lock_ev)
		event_free(z->lock_ev);
	if (z->renew_ev)
		event_free(z->renew_ev);
	zalo_settings_clear(&z->set);
	zalo_token_clear(&z->tok);
	if (z->secret)
		secret_free(z->secret);
	free(z);
	ch->priv = NULL;
}

/*
 * SIGHUP: the settings point into the config being replaced, so take them
 * from the new one (and the secret again); the token pair stays.
 */
static int
zalo_reconfigure(struct channel *ch, char *err, size_t len)
{
	struct zalo		*z = ch->priv;
	struct chanstart	 cs;

	if (chanstart_read(ch->nv->conf, ch->cfg, &cs, err, len) == -1)
		return -1;
	zalo_settings_clear(&z->set);
	z->set = cs.zalo;
	cs.have_zalo = 0;
	secret_free(z->secret);
	z->secret = cs.secret;
	cs.secret = NULL;
	chanstart_clear(&cs);
	ch->rate_per_s = z->set.rate_per_s;
	return 0;
}

const struct channel_ops channel_zalo_ops = {
	.type = "zalo",
	.init = zalo_init,
	.free = zalo_free,
	.send = zalo_send,
	.resume = zalo_resume,
	.reconfigure = zalo_reconfigure,
};
