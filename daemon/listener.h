/* A bounded HTTP listener on evhttp: capped connections, deadlines, size limits, routes by path. */
#ifndef NV_LISTENER_H
#define NV_LISTENER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/http.h>

struct listener;

struct listener_limits {
	int		 max_connections;	/* open at once; more wait */
	int64_t		 idle_timeout_ms;	/* nothing read or written */
	int64_t		 request_timeout_ms;	/* to send a whole request */
	size_t		 max_header_bytes;	/* request line and headers */
	size_t		 max_body_bytes;	/* 413 above */
};

struct listener_stats {
	int		 connections;	/* open now */
	uint64_t	 accepted;
	uint64_t	 at_cap;	/* times max_connections held new ones back */
	uint64_t	 accept_pauses;	/* out of descriptors or memory */
	uint64_t	 timed_out;	/* cut by request_timeout */
};

/*
 * A handler answers the request (evhttp_send_reply or evhttp_send_error),
 * at once or later but within the request timeout.
 */
typedef void	listener_cb(struct evhttp_request *, void *arg);

/* Listen on host:port; name says which listener in the log ("admin"). */
struct listener	*listener_new(struct event_base *, const char *name,
		    const char *host, int port, const struct listener_limits *,
		    char *err, size_t len);
/* Closes the socket and every connection; their handlers are not called. */
void		 listener_free(struct listener *);
/*
 * Send requests for path to cb when their method is one of methods
 * (EVHTTP_REQ_GET, ...; GET brings HEAD). A path ending in '/' takes
 * everything under it; any other, only itself. The longest path wins; a
 * known path asked with another method gets 405, an unknown one 404.
 */
int		 listener_route(struct listener *, const char *path,
		    int methods, listener_cb *, void *arg);
void		 listener_stats(const struct listener *,
		    struct listener_stats *);

#endif
