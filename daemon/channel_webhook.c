/* The webhook channel: a JSON POST per reminder, for email gateways and anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libgen.h>

#include "log.h"
#include "chanstart.h"
#include "nhacviecd.h"
#include "secret.h"
#include "template.h"
#include "xmalloc.h"

/* The channel's headers with ${secret:NAME} expanded: kept, never logged. */
struct webhook {
	struct curl_slist	*headers;
};

/* The answer classified (common/peer.c); 401 and 403 pause the channel. */
static void
webhook_done(void *arg, const struct http_response *r)
{
	struct job		*j = arg;
	struct result		 res;
	struct peer_outcome	 o;

	memset(&res, 0, sizeof(res));
	if (result_local(&res, r)) {
		ledger_job_done(j, &res);
		return;
	}
	peer_webhook(&o, r->code, r->error, r->status, r->body, r->body_len);
	res.verdict = o.verdict;
	res.status = r->status;
	res.latency_ms = r->latency_ms;
	res.retry_after_s = r->retry_after_s;
	snprintf(res.detail, sizeof(res.detail), "%s", o.detail);
	/* The gateway refuses us, not this mail: hold the channel, tell a human. */
	if (o.pause && j->ch != NULL) {
		channel_pause(j->ch, o.why);
		dispatch_alert(j->ch->nv->dispatch,
		    "[nhacviec] Kênh gửi thư tạm dừng", o.why);
	}
	ledger_job_done(j, &res);
}

/* The body: body_template filled (JSON-escaped), or the default object. */
static char *
webhook_body(struct channel *ch, struct job *j, size_t *n, char *err,
    size_t len)
{
	const struct template	*t;
	json_t			*body;
	char			*text, *s, buf[2048];

	if ((t = ch->tmpl[CHANNEL_TMPL_BODY]) != NULL) {
		s = template_render(t, &j->r, TEMPLATE_JSON,
		    planner_timezone(ch->nv->planner));
		/*
		 * JSON without parsing it again: the config check rendered
		 * it to valid JSON, and every value is escaped for JSON.
		 */
		if (s == NULL)
			snprintf(err, len, "cannot render %s",
			    ch->cfg->body_template);
		else
			*n = strlen(s);
		return s;
	}
	if ((text = render_text(ch, j, err, len)) == NULL)
		return NULL;
	body = reminder_webhook_body(&j->r, text);
	free(text);
	if (body != NULL && j->nmembers > 0) {
		/* A digest: every reminder it carries, the lead first. */
		json_t		 *ids = json_array();
		const struct job *m;

		json_array_append_new(ids, json_string(j->rid));
		TAILQ_FOREACH(m, &j->members, link)
			json_array_append_new(ids, json_string(m->rid));
		json_object_set_new(body, "reminders", ids);
	}
	/* Dumped on the stack first: one allocation of the right size. */
	*n = body ? json_dumpb(body, buf, sizeof(buf), JSON_COMPACT) : 0;
	if (*n > 0 && *n <= sizeof(buf))
		s = xstrndup(buf, *n);
	else if ((s = body ? json_dumps(body, JSON_COMPACT) : NULL) != NULL)
		*n = strlen(s);
	json_decref(body);
	if (s == NULL)
		snprintf(err, len, "cannot build the JSON body");
	return s;
}

/* Does the channel set header name itself (names compare without case)? */
static int
webhook_has(const struct config_channel *cc, const char *name)
{
	size_t	i;

	for (i = 0; i < cc->nheaders; i++)
		if (strcasecmp(cc->headers[i].name, name) == 0)
			return 1;
	return 0;
}

static void
webhook_send(struct channel *ch, struct job *j)
{
	const struct config_channel	*cc = ch->cfg;
	struct webhook			*w = ch->priv;
	struct http_request		 req;
	struct result			 res;
	struct curl_slist		*h;
	char				 hdr[512];

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	res.retry_after_s = -1;
	if ((req.body = webhook_body(ch, j, &req.body_len, res.detail,
	    sizeof(res.detail))) == NULL) {
		res.verdict = VERDICT_PERMANENT;
		ledger_job_done(j, &res);
		return;
	}
	req.method = cc->method;
	req.url = cc->url;
	req.timeout_ms = cc->timeout_ms;
	req.ca_file = cc->ca_file;
	/* A header line of the channel replaces the default of its name. */
	if (!webhook_has(cc, "Content-Type"))
		req.headers = curl_slist_append(req.headers,
		    "Content-Type: application/json; charset=utf-8");
	/* Receivers can drop repeats: the same attempt keeps the same key. */
	if (!webhook_has(cc, "Idempotency-Key")) {
		snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", j->rid);
		req.headers = curl_slist_append(req.headers, hdr);
	}
	for (h = w->headers; h != NULL; h = h->next)
		req.headers = curl_slist_append(req.headers, h->data);
	if (http_submit(ch->nv->http, &req, webhook_done, j) == -1) {
		result_not_tried(&res, "cannot start the HTTP request");
		ledger_job_done(j, &res);
	}
}

static void
webhook_free(struct channel *ch)
{
	struct webhook		*w = ch->priv;
	struct curl_slist	*h;

	if (w == NULL)
		return;
	for (h = w->headers; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(w->headers);
	free(w);
	ch->priv = NULL;
}

/* Expand ${secret:NAME} in the headers now: a missing secret stops the start. */
static int
webhook_init(struct channel *ch, char *err, size_t len)
{
	struct webhook		*w;
	struct chanstart	 cs;
	size_t			 i;

	if (chanstart_read(ch->nv->conf, ch->cfg, &cs, err, len) == -1)
		return -1;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		chanstart_clear(&cs);
		return -1;
	}
	ch->priv = w;
	for (i = 0; i < cs.nheaders; i++)
		w->headers = curl_slist_append(w->headers, cs.headers[i]);
	chanstart_clear(&cs);
	return 0;
}

const struct channel_ops channel_webhook_ops = {
	.type = "webhook",
	.init = webhook_init,
	.free = webhook_free,
	.send = webhook_send,
};
