/* HTTP(S) and SMTP transfers through libcurl's multi-socket interface on the daemon's loop. */
#ifndef NV_HTTP_H
#define NV_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <event2/event.h>

struct http;

struct http_request {
	const char		*method;	/* NULL: POST when body, else GET */
	const char		*url;
	struct curl_slist	*headers;	/* owned by the request */
	char			*body;		/* owned by the request */
	size_t			 body_len;
	int64_t			 timeout_ms;
	const char		*ca_file;	/* NULL: the system's CAs */
};

struct http_response {
	long		 status;	/* 0 when no HTTP answer came */
	CURLcode	 code;		/* CURLE_OK when an answer came */
	const char	*error;		/* curl's words when code != CURLE_OK */
	const char	*body;		/* NUL-terminated, capped at 64 KiB */
	size_t		 body_len;
	int64_t		 retry_after_s;	/* from Retry-After, or -1 */
	int64_t		 latency_ms;
	const char	*reply;		/* SMTP: the server's last reply line */
	int		 local;		/* failed here, out of descriptors or
					   memory: nothing reached the peer */
};

typedef void	http_done_cb(void *arg, const struct http_response *);

struct http	*http_new(struct event_base *);
/* Cancel every transfer (their callbacks are not called) and free. */
void		 http_free(struct http *);
/*
 * Start a transfer; takes ownership of req->headers and req->body. -1 only
 * when this process is out of memory: nothing was sent.
 */
int		 http_submit(struct http *, struct http_request *,
		    http_done_cb *, void *arg);
/* An easy handle to prepare for http_submit_easy (reused when it can be). */
CURL		*http_easy(struct http *);
/* Start a transfer on an easy handle the caller prepared; takes ownership. */
int		 http_submit_easy(struct http *, CURL *, struct curl_slist *,
		    char *owned, http_done_cb *, void *arg);
size_t		 http_active(const struct http *);
/* Transfers that failed here (http_response.local), since the start. */
uint64_t	 http_local_failures(const struct http *);

#endif
