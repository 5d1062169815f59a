/* What a peer answered, read without the network: header lines, and webhook and SMTP replies as verdicts. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "peer.h"
#include "retry.h"
#include "text.h"

#define PEER_SNIPPET	120	/* bytes of a refusing body in the ledger */

void
peer_headers_init(struct peer_headers *h)
{
	h->retry_after_s = -1;
	h->reply[0] = '\0';
}

void
peer_header(struct peer_headers *h, const char *data, size_t len,
    int64_t now_s)
{
	size_t	k;

	/* curl hands SMTP replies to the header callback: keep the last. */
	if (len >= 4 && data[0] >= '2' && data[0] <= '5' &&
	    data[1] >= '0' && data[1] <= '9' && data[2] >= '0' &&
	    data[2] <= '9' && (data[3] == ' ' || data[3] == '-')) {
		for (k = 0; k < len && k < sizeof(h->reply) - 1 &&
		    data[k] != '\r' && data[k] != '\n'; k++)
			h->reply[k] = data[k];
		h->reply[k] = '\0';
	}
	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
		h->retry_after_s = retry_after_parse(data + 12, len - 12,
		    now_s);
}

/* A webhook status and what it means; a status not listed is never sent. */
static const struct {
	long		 from, to;
	enum verdict	 verdict;
	int		 pause;		/* it refuses us, not the mail */
} peer_webhook_statuses[] = {
	{ 200, 299, VERDICT_OK, 0 },
	{ 401, 401, VERDICT_DEFER, 1 },
	{ 403, 403, VERDICT_DEFER, 1 },
	{ 408, 408, VERDICT_TRANSIENT, 0 },
	{ 425, 425, VERDICT_TRANSIENT, 0 },
	{ 429, 429, VERDICT_TRANSIENT, 0 },
	{ 500, LONG_MAX, VERDICT_TRANSIENT, 0 },
};

/* curl's words for a transfer that got no answer, printable. */
static void
peer_curl_error(char *buf, size_t len, CURLcode code, const char *error)
{
	if (error == NULL || *error == '\0')
		error = curl_easy_strerror(code);
	text_printable(buf, len, error, strlen(error));
}

void
peer_webhook(struct peer_outcome *o, CURLcode code, const char *error,
    long status, const char *body, size_t body_len)
{
	char	snippet[PEER_SNIPPET];
	size_t	i;

	memset(o, 0, sizeof(*o));
	if (code != CURLE_OK) {
		o->verdict = VERDICT_TRANSIENT;
		peer_curl_error(o->detail, sizeof(o->detail), code, error);
		return;
	}
	o->verdict = VERDICT_PERMANENT;
	for (i = 0; i < sizeof(peer_webhook_statuses) /
	    sizeof(peer_webhook_statuses[0]); i++)
		if (status >= peer_webhook_statuses[i].from &&
		    status <= peer_webhook_statuses[i].to) {
			o->verdict = peer_webhook_statuses[i].verdict;
			o->pause = peer_webhook_statuses[i].pause;
			break;
		}
	if (o->verdict == VERDICT_OK)
		return;
	/* A short, printable piece of the answer helps whoever reads the ledger. */
	text_printable(snippet, sizeof(snippet), body ? body : "",
	    body ? body_len : 0);
	snprintf(o->detail, sizeof(o->detail), "HTTP %ld: %s", status,
	    snippet);
	if (o->pause)
		snprintf(o->why, sizeof(o->why), "the webhook answers HTTP %ld "
		    "to our credentials; check the channel's header lines",
		    status);
}

/* Transfer ends that pause an SMTP channel: a config fault, not this mail. */
static const struct {
	CURLcode	 code;		/* CURLE_OK: any */
	long		 status;	/* 0: any */
	int		 login;		/* the login, else STARTTLS */
} peer_smtp_pauses[] = {
	{ CURLE_USE_SSL_FAILED, 0, 0 },
	{ CURLE_LOGIN_DENIED, 0, 1 },
	{ CURLE_OK, 535, 1 },
};

void
peer_smtp(struct peer_outcome *o, CURLcode code, const char *error,
    long status, const char *reply)
{
	char	words[200];
	size_t	i, n;

	memset(o, 0, sizeof(*o));
	if (code == CURLE_OK)
		o->verdict = VERDICT_OK;
	else if (status >= 500 && status < 600)
		o->verdict = VERDICT_PERMANENT;
	else
		o->verdict = VERDICT_TRANSIENT;
	if (code != CURLE_OK) {
		/* "SMTP 550: the server's words" for a refusal, else curl's. */
		n = reply ? strlen(reply) : 0;
		if (status >= 400 && n > 4 &&
		    strtol(reply, NULL, 10) == status) {
			text_printable(words, sizeof(words), reply + 4, n - 4);
			snprintf(o->detail, sizeof(o->detail), "SMTP %ld: %s",
			    status, words);
		} else {
			peer_curl_error(words, sizeof(words), code, error);
			if (status >= 400)
				snprintf(o->detail, sizeof(o->detail),
				    "SMTP %ld: %s", status, words);
			else
				snprintf(o->detail, sizeof(o->detail), "%s",
				    words);
		}
	}
	for (i = 0; i < sizeof(peer_smtp_pauses) /
	    sizeof(peer_smtp_pauses[0]); i++)
		if ((peer_smtp_pauses[i].code == CURLE_OK ||
		    peer_smtp_pauses[i].code == code) &&
		    (peer_smtp_pauses[i].status == 0 ||
		    peer_smtp_pauses[i].status == status)) {
			o->verdict = VERDICT_DEFER;
			o->pause = 1;
			if (peer_smtp_pauses[i].login)
				snprintf(o->why, sizeof(o->why), "the SMTP "
				    "server refused the login (%ld); check "
				    "username and password_file", status);
			else
				snprintf(o->why, sizeof(o->why), "the SMTP "
				    "server does not offer STARTTLS; use "
				    "smtps:// or a server that does");
			break;
		}
}

const char *
peer_verdict_name(enum verdict v)
{
	static const char *names[] = { "ok", "transient", "permanent",
	    "defer" };

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] :
	    "?";
}
