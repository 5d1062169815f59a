/* The webhook channel: a JSON POST per reminder, for email gateways and anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nhacviecd.h"

/* Classify an HTTP answer: 2xx delivered; 408, 425, 429, 5xx later; else never. */
static enum verdict
webhook_verdict(const struct http_response *r)
{
	if (r->code != CURLE_OK)
		return VERDICT_TRANSIENT;
	if (r->status >= 200 && r->status < 300)
		return VERDICT_OK;
	if (r->status == 408 || r->status == 425 || r->status == 429 ||
	    r->status >= 500)
		return VERDICT_TRANSIENT;
	return VERDICT_PERMANENT;
}

static void
webhook_done(void *arg, const struct http_response *r)
{
	struct job	*j = arg;
	struct result	 res;
	size_t		 i, n;
	char		 snippet[120];

	memset(&res, 0, sizeof(res));
	res.verdict = webhook_verdict(r);
	res.status = r->status;
	res.latency_ms = r->latency_ms;
	res.retry_after_s = r->retry_after_s;
	if (r->code != CURLE_OK)
		snprintf(res.detail, sizeof(res.detail), "%s", r->error);
	else if (res.verdict != VERDICT_OK) {
		/* A short, printable piece of the answer helps whoever reads the ledger. */
		n = r->body_len < sizeof(snippet) - 1 ? r->body_len :
		    sizeof(snippet) - 1;
		for (i = 0; i < n; i++)
			snippet[i] = (r->body[i] == '\n' || r->body[i] == '\r')
			    ? ' ' : r->body[i];
		snippet[n] = '\0';
		snprintf(res.detail, sizeof(res.detail), "HTTP %ld: %s",
		    r->status, snippet);
	}
	dispatch_job_done(j, &res);
}

static void
webhook_send(struct channel *ch, struct job *j)
{
	const struct config_channel	*cc = ch->cfg;
	struct http_request		 req;
	struct result			 res;
	json_t				*body;
	char				*text, hdr[512];
	size_t				 i;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	res.retry_after_s = -1;
	text = reminder_text(&j->r);
	body = text ? reminder_webhook_body(&j->r, text) : NULL;
	free(text);
	if (body == NULL ||
	    (req.body = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		res.verdict = VERDICT_PERMANENT;
		snprintf(res.detail, sizeof(res.detail),
		    "cannot build the JSON body");
		dispatch_job_done(j, &res);
		return;
	}
	json_decref(body);
	req.body_len = strlen(req.body);
	req.method = cc->method;
	req.url = cc->url;
	req.timeout_ms = cc->timeout_ms;
	req.headers = curl_slist_append(NULL,
	    "Content-Type: application/json; charset=utf-8");
	/* Receivers can drop repeats: the same attempt keeps the same key. */
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", j->rid);
	req.headers = curl_slist_append(req.headers, hdr);
	for (i = 0; i < cc->nheaders; i++) {
		snprintf(hdr, sizeof(hdr), "%s: %s", cc->headers[i].name,
		    cc->headers[i].value);
		req.headers = curl_slist_append(req.headers, hdr);
	}
	if (http_submit(ch->nv->http, &req, webhook_done, j) == -1) {
		res.verdict = VERDICT_TRANSIENT;
		snprintf(res.detail, sizeof(res.detail),
		    "cannot start the HTTP request");
		dispatch_job_done(j, &res);
	}
}

const struct channel_ops channel_webhook_ops = {
	.type = "webhook",
	.send = webhook_send,
};
