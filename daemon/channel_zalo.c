/* The Zalo channel: OA "cs" messages and ZNS template messages (the OA token's life is zalo_auth.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanstart.h"
#include "clock.h"
#include "log.h"
#include "secret.h"
#include "template.h"
#include "xmalloc.h"
#include "zalo_priv.h"

#define VN_OFFSET_MS		(7LL * 3600 * 1000)

void
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

/* Take a newer pair (from Redis or the file) as ours. */
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
	struct zalo_send	*zs = j->chan;
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
		    zs->stage ? "zns" : "cs");
		break;
	case ZALO_REFRESH:
		if (zs->auth_retried) {
			zalo_misconfigured(z, j, code, "the access token was "
			    "refused again right after a refresh");
			return;
		}
		zs->auth_retried = 1;
		zalo_auth_refused(z, j, zs->gen);
		return;
	case ZALO_NOT_REACHABLE:
		if (zs->stage == 0 && z->set.mode == ZALO_CS_THEN_ZNS &&
		    (j->r.phone || j->r.contact)) {
			log_info("%s: cs refused (%ld, %s): sending ZNS",
			    j->rid, code, msg);
			zs->stage = 1;
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
		    "%.150s", zs->stage ? "zns" : "cs", code, msg);
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
void
zalo_post(struct zalo *z, struct job *j)
{
	struct zalo_send	*zs = j->chan;
	struct http_request	 req;
	json_t			*body;
	char			*text = NULL, *url = NULL, err[300], hdr[600];
	char			 track[32];
	const char		*to;
	size_t			 n;

	if (z->set.mode == ZALO_ZNS)
		zs->stage = 1;
	/* A ZNS template carries one reminder: a digest goes apart. */
	if (zs->stage == 1 && j->nmembers > 0)
		channel_split(j);
	zs->gen = z->auth.gen;
	memset(&req, 0, sizeof(req));
	if (zs->stage == 0) {
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
		xasprintf(&url, "%s/v3.0/oa/message/cs", z->set.api_base);
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
		    "template_id", z->ch->cfg->zalo.template_id,
		    "template_data", data, "tracking_id", track);
		xasprintf(&url, "%s/message/template", z->set.zns_base);
	}
	if (to == NULL || body == NULL ||
	    (req.body = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		free(url);
		zalo_result(j, VERDICT_PERMANENT, 0, -1, "agency %s has no %s",
		    j->r.agency, zs->stage ? "phone for ZNS" : "Zalo user id");
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
	snprintf(hdr, sizeof(hdr), "access_token: %s",
	    z->auth.tok.access_token);
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

/* Every send starts with cs (unless the mode is ZNS only), its state new. */
static void
zalo_send(struct channel *ch, struct job *j)
{
	struct zalo	*z = ch->priv;

	if (j->chan == NULL)
		j->chan = xcalloc(1, sizeof(struct zalo_send));
	memset(j->chan, 0, sizeof(struct zalo_send));
	if (!zalo_auth_ready(z))
		zalo_auth_need(z, j);
	else
		zalo_post(z, j);
}

static void
zalo_job_free(struct job *j)
{
	free(j->chan);
	j->chan = NULL;
}

/* An admin set a new token: forget ours, read the store again. */
static void
zalo_resume(struct channel *ch)
{
	zalo_auth_resume(ch->priv);
}

static void	zalo_free(struct channel *);

static int
zalo_init(struct channel *ch, char *err, size_t len)
{
	struct zalo		*z;
	struct chanstart	 cs;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return -1;
	z->ch = ch;
	ch->priv = z;
	if (chanstart_read(ch->nv->conf, ch->cfg, &cs, err, len) == -1)
		goto fail;
	z->set = cs.zalo;		/* ours now */
	z->secret = cs.secret;
	cs.have_zalo = 0;
	cs.secret = NULL;
	chanstart_clear(&cs);
	ch->rate_per_s = z->set.rate_per_s;
	if (zalo_auth_init(z) == -1)
		goto fail;
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
	zalo_auth_free(z);
	zalo_settings_clear(&z->set);
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
	.job_free = zalo_job_free,
};
