/* What a peer answered, read without the network: header lines, and webhook and SMTP replies as verdicts. */
#ifndef NV_PEER_H
#define NV_PEER_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

/* What one attempt came to, as a channel reports it. */
enum verdict {
	VERDICT_OK,		/* delivered */
	VERDICT_TRANSIENT,	/* try again later */
	VERDICT_PERMANENT,	/* will never work: dead letter */
	VERDICT_DEFER,		/* not tried (channel paused): later, free */
};

/* What the header lines of one transfer left: Retry-After, the SMTP reply. */
struct peer_headers {
	int64_t	 retry_after_s;	/* -1 unless the peer said */
	char	 reply[200];	/* SMTP: the last "NNN text" line, or "" */
};

void	peer_headers_init(struct peer_headers *);
/*
 * One header line as curl hands it (not NUL-terminated, CRLF included):
 * keeps an SMTP reply line, and Retry-After read with bounds from now_s.
 */
void	peer_header(struct peer_headers *, const char *line, size_t len,
	    int64_t now_s);

/* A reply classified: the verdict, and whether the whole channel must wait. */
struct peer_outcome {
	enum verdict	 verdict;	/* VERDICT_DEFER when pause */
	int		 pause;		/* every send would fail alike */
	char		 detail[256];	/* for the ledger: printable */
	char		 why[300];	/* when pause: for log and alert */
};

/*
 * A webhook's answer: 2xx delivered; 408, 425, 429, 5xx and no answer
 * (code != CURLE_OK, error says why) later; 401 and 403 pause the channel;
 * any other status never. The detail quotes a printable piece of body.
 */
void	peer_webhook(struct peer_outcome *, CURLcode code, const char *error,
	    long status, const char *body, size_t body_len);
/*
 * An SMTP transfer's end: delivered on CURLE_OK; a refused login (535) or
 * no STARTTLS pauses the channel; else by the last reply, 5xx never,
 * anything else later. reply is the server's last line (peer_headers).
 */
void	peer_smtp(struct peer_outcome *, CURLcode code, const char *error,
	    long status, const char *reply);
const char *peer_verdict_name(enum verdict);

#endif
