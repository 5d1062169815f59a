/* A bounded HTTP listener on evhttp: capped connections, deadlines, size limits, routes by path. */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "listener.h"
#include "log.h"

#define LISTENER_BACKLOG	128
#define LISTENER_PAUSE_MS	1000	/* accepting paused for want of descriptors */
#define LISTENER_NOTE_MS	60000	/* at most one warning of a kind a minute */

/*
 * One accepted connection.
 *
 * evhttp in libevent 2.1 has no cap on connections and tells nobody when
 * one opens. What it has: evhttp_set_bevcb, called exactly once per
 * accepted connection (evhttp_get_request_connection) for the bufferevent
 * the connection will use; and evhttp_connection_set_closecb, whose callback
 * evhttp_connection_free runs for every incoming connection (it has a
 * descriptor and is never reset to EVCON_DISCONNECTED). The bevcb makes the
 * bufferevent evhttp would have made itself (a socket one, fd set later,
 * evhttp closing the fd) and counts the connection; right after the accept
 * callback returns, listener_attach finds the connection through the
 * bufferevent's callback argument (evhttp_connection_base_bufferevent_new
 * sets it to the evhttp_connection) and sets the close callback. A
 * reference held on the bufferevent meanwhile keeps it readable even if
 * evhttp already dropped the connection, which bufferevent_free shows by
 * clearing every callback. A callback on the input buffer sees the first
 * byte of each request, which starts its deadline.
 */
struct listener_conn {
	struct listener			*l;
	struct bufferevent		*bev;	/* evhttp's, made by us */
	struct evbuffer_cb_entry	*input_cb;
	struct event			*deadline;
	int				 armed;
	int				 attached;	/* close callback set */
	TAILQ_ENTRY(listener_conn)	 link;
};

struct listener_route {
	char		*path;
	int		 methods;
	listener_cb	*cb;
	void		*arg;
};

struct listener {
	struct event_base		*base;
	char				*name;
	struct listener_limits		 lim;
	struct evhttp			*http;
	struct evconnlistener		*lev;	/* owned by http once bound */
	struct event			*resume_ev;
	struct event			*attach_ev;
	int				 accepting;
	int				 paused;	/* until resume_ev */
	int				 starved;	/* since a failed accept */
	int				 starved_noted;
	int64_t				 starved_noted_at;
	int64_t				 cap_noted_at;
	int64_t				 error_noted_at;
	uint64_t			 cap_since_note;
	uint64_t			 pauses_since_note;
	struct listener_stats		 st;
	TAILQ_HEAD(listener_conns, listener_conn) conns;	/* unattached last */
	struct listener_route		*routes;
	size_t				 nroutes;
	TAILQ_ENTRY(listener)		 all;
};

/* Every listener: accept errors reach us with evhttp's argument, not ours. */
static TAILQ_HEAD(, listener)	listeners = TAILQ_HEAD_INITIALIZER(listeners);

static int64_t
listener_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
listener_tv(struct timeval *tv, int64_t ms)
{
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

/* Accept while under the cap and not paused for want of descriptors. */
static void
listener_update(struct listener *l)
{
	int	want;

	want = !l->paused && l->st.connections < l->lim.max_connections;
	if (want == l->accepting || l->lev == NULL)
		return;
	if (want)
		evconnlistener_enable(l->lev);
	else
		evconnlistener_disable(l->lev);
	l->accepting = want;
}

/* Too slow a request: shut the socket, and evhttp frees the connection. */
static void
listener_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct listener_conn	*c = arg;
	evutil_socket_t		 s;

	(void)fd;
	(void)what;
	c->armed = 0;
	if ((s = bufferevent_getfd(c->bev)) == -1)
		return;
	c->l->st.timed_out++;
	log_debug("%s listener: a request took longer than %gs; connection "
	    "closed", c->l->name, (double)c->l->lim.request_timeout_ms / 1000);
	shutdown(s, SHUT_RDWR);
}

static void
listener_arm(struct listener_conn *c)
{
	struct timeval	tv;

	if (c->armed)
		return;
	listener_tv(&tv, c->l->lim.request_timeout_ms);
	evtimer_add(c->deadline, &tv);
	c->armed = 1;
}

/* More input: a request's first byte starts its clock. */
static void
listener_input(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	(void)buf;
	if (info->n_added > 0)
		listener_arm(arg);
}

/* The connection is gone (or never got going): count it out. */
static void
listener_conn_free(struct listener_conn *c)
{
	struct listener	*l = c->l;

	if (c->input_cb != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_input(c->bev),
		    c->input_cb);
	event_free(c->deadline);
	TAILQ_REMOVE(&l->conns, c, link);
	l->st.connections--;
	listener_update(l);
	free(c);
}

/* evhttp's close callback: evhttp_connection_free is under way. */
static void
listener_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	listener_conn_free(arg);
}

/* After the accept callback: hook the close callback of each new connection. */
static void
listener_attach(evutil_socket_t fd, short what, void *arg)
{
	struct listener			*l = arg;
	struct listener_conn		*c, *prev;
	struct bufferevent		*bev;
	bufferevent_data_cb		 rcb, wcb;
	bufferevent_event_cb		 ecb;
	void				*cbarg;

	(void)fd;
	(void)what;
	/* New connections go last: the unattached ones are the tail. */
	for (c = TAILQ_LAST(&l->conns, listener_conns);
	    c != NULL && !c->attached; c = prev) {
		prev = TAILQ_PREV(c, listener_conns, link);
		bev = c->bev;
		bufferevent_getcb(bev, &rcb, &wcb, &ecb, &cbarg);
		if (rcb == NULL && wcb == NULL && ecb == NULL)
			listener_conn_free(c);	/* evhttp dropped it */
		else {
			evhttp_connection_set_closecb(cbarg, listener_closed,
			    c);
			c->attached = 1;
		}
		bufferevent_decref(bev);
	}
}

/* At most one warning of a kind a minute: 1 when this one may be logged. */
static int
listener_may_note(int64_t *last)
{
	int64_t	now = listener_now_ms();

	if (*last != 0 && now - *last < LISTENER_NOTE_MS)
		return 0;
	*last = now;
	return 1;
}

/* evhttp's bevcb: once per accepted connection, before it is read. */
static struct bufferevent *
listener_bev(struct event_base *base, void *arg)
{
	struct listener		*l = arg;
	struct listener_conn	*c;

	/* NULL lets evhttp make the bufferevent: served, but not counted. */
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->deadline = evtimer_new(base, listener_deadline, c)) == NULL) {
		free(c);
		return NULL;
	}
	if ((c->bev = bufferevent_socket_new(base, -1, 0)) == NULL) {
		event_free(c->deadline);
		free(c);
		return NULL;
	}
	c->input_cb = evbuffer_add_cb(bufferevent_get_input(c->bev),
	    listener_input, c);
	bufferevent_incref(c->bev);	/* until listener_attach */
	c->l = l;
	TAILQ_INSERT_TAIL(&l->conns, c, link);
	event_active(l->attach_ev, EV_TIMEOUT, 0);
	l->st.connections++;
	l->st.accepted++;
	/* The first request is timed from the connection's opening. */
	listener_arm(c);
	if (l->starved) {
		l->starved = 0;
		if (l->starved_noted)
			log_info("%s listener: accepting connections again",
			    l->name);
		l->starved_noted = 0;
	}
	if (l->st.connections >= l->lim.max_connections) {
		l->st.at_cap++;
		l->cap_since_note++;
		if (listener_may_note(&l->cap_noted_at)) {
			log_warnx("%s listener: %d connections open, the most "
			    "[http] max_connections allows; new ones wait "
			    "(%llu times since the last notice)", l->name,
			    l->st.connections,
			    (unsigned long long)l->cap_since_note);
			l->cap_since_note = 0;
		}
	}
	/*
	 * Disabling here stops the accept loop at once: listener_read_cb in
	 * libevent 2.1 returns when a callback left the listener disabled.
	 * The connections over the cap wait in the kernel's backlog.
	 */
	listener_update(l);
	return c->bev;
}

static void
listener_resume(evutil_socket_t fd, short what, void *arg)
{
	struct listener	*l = arg;

	(void)fd;
	(void)what;
	/* Still starved shows as another failed accept, and another pause. */
	l->paused = 0;
	listener_update(l);
}

/*
 * accept() failed. Out of descriptors or memory it fails again at once
 * (the connection stays queued), so stop accepting and retry from a timer:
 * a loop that spins on accept() writes a line per failure. One warning per
 * minute at most; the count of pauses goes to /metrics.
 */
static void
listener_accept_error(struct evconnlistener *lev, void *arg)
{
	struct listener	*l;
	struct timeval	 tv;
	int		 err = EVUTIL_SOCKET_ERROR();

	/* arg is evhttp's own (evhttp_bind_listener sets it): find ours. */
	(void)arg;
	TAILQ_FOREACH(l, &listeners, all)
		if (l->lev == lev)
			break;
	if (l == NULL)
		return;
	if (err != EMFILE && err != ENFILE && err != ENOBUFS &&
	    err != ENOMEM) {
		if (listener_may_note(&l->error_noted_at))
			log_warnx("%s listener: accept: %s", l->name,
			    evutil_socket_error_to_string(err));
		return;
	}
	l->paused = 1;
	l->starved = 1;
	l->st.accept_pauses++;
	l->pauses_since_note++;
	listener_update(l);
	listener_tv(&tv, LISTENER_PAUSE_MS);
	evtimer_add(l->resume_ev, &tv);
	if (!l->starved_noted && listener_may_note(&l->starved_noted_at)) {
		log_warnx("%s listener: cannot accept: %s (%d connections "
		    "open); accepting paused, retried every %ds (%llu pauses "
		    "since the last notice)", l->name,
		    evutil_socket_error_to_string(err), l->st.connections,
		    LISTENER_PAUSE_MS / 1000,
		    (unsigned long long)l->pauses_since_note);
		l->pauses_since_note = 0;
		l->starved_noted = 1;
	}
}

int
listener_route(struct listener *l, const char *path, int methods,
    listener_cb *cb, void *arg)
{
	struct listener_route	*r;

	if (path[0] != '/')
		return -1;
	r = reallocarray(l->routes, l->nroutes + 1, sizeof(*r));
	if (r == NULL)
		return -1;
	l->routes = r;
	r = &l->routes[l->nroutes];
	if ((r->path = strdup(path)) == NULL)
		return -1;
	if (methods & EVHTTP_REQ_GET)
		methods |= EVHTTP_REQ_HEAD;
	r->methods = methods;
	r->cb = cb;
	r->arg = arg;
	l->nroutes++;
	return 0;
}

/* The longest route for path, and whether it takes method. */
static struct listener_route *
listener_find(struct listener *l, const char *path, int method, int *allow)
{
	struct listener_route	*r, *best = NULL;
	size_t			 i, n, best_len = 0;

	*allow = 0;
	for (i = 0; i < l->nroutes; i++) {
		r = &l->routes[i];
		n = strlen(r->path);
		if (r->path[n - 1] == '/' ? strncmp(path, r->path, n) != 0 :
		    strcmp(path, r->path) != 0)
			continue;
		if (n < best_len)
			continue;
		if (n > best_len) {
			*allow = 0;
			best = NULL;
			best_len = n;
		}
		*allow |= r->methods;
		if ((r->methods & method) && best == NULL)
			best = r;
	}
	return best;
}

/* "GET, HEAD, POST" for an Allow header. */
static void
listener_allow(int methods, char *buf, size_t len)
{
	static const struct {
		int		 m;
		const char	*name;
	} names[] = {
		{ EVHTTP_REQ_GET, "GET" }, { EVHTTP_REQ_HEAD, "HEAD" },
		{ EVHTTP_REQ_POST, "POST" }, { EVHTTP_REQ_PUT, "PUT" },
		{ EVHTTP_REQ_DELETE, "DELETE" }, { EVHTTP_REQ_PATCH, "PATCH" },
		{ EVHTTP_REQ_OPTIONS, "OPTIONS" },
	};
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && off < len; i++) {
		if (methods & names[i].m)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "", names[i].name);
	}
}

/* evhttp's generic callback: a whole request has arrived. */
static void
listener_request(struct evhttp_request *req, void *arg)
{
	struct listener		*l = arg;
	struct listener_conn	*c;
	struct listener_route	*r;
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent	*bev;
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(req);
	const char		*path = uri ? evhttp_uri_get_path(uri) : NULL;
	char			 allow[64];
	int			 methods;

	/* The request is in: its deadline stops; idle_timeout holds. */
	bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	TAILQ_FOREACH(c, &l->conns, link)
		if (c->bev == bev) {
			if (c->armed)
				evtimer_del(c->deadline);
			c->armed = 0;
			break;
		}
	if (path == NULL || *path == '\0')
		path = "/";
	if ((r = listener_find(l, path, evhttp_request_get_command(req),
	    &methods)) != NULL) {
		r->cb(req, r->arg);
		return;
	}
	if (methods == 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	listener_allow(methods, allow, sizeof(allow));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow",
	    allow);
	evhttp_send_error(req, 405, "Method Not Allowed");
}

/* A listening socket on the first address of host:port that binds. */
static struct evconnlistener *
listener_bind(struct listener *l, const char *host, int port, char *err,
    size_t len)
{
	struct evconnlistener	*lev = NULL;
	struct addrinfo		 hints, *res, *ai;
	char			 serv[16];
	int			 rc, e = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(serv, sizeof(serv), "%d", port);
	if ((rc = getaddrinfo(host, serv, &hints, &res)) != 0) {
		snprintf(err, len, "%s listener: cannot resolve %s: %s",
		    l->name, host, gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai != NULL && lev == NULL; ai = ai->ai_next) {
		lev = evconnlistener_new_bind(l->base, NULL, NULL,
		    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE |
		    LEV_OPT_CLOSE_ON_EXEC, LISTENER_BACKLOG, ai->ai_addr,
		    (int)ai->ai_addrlen);
		if (lev == NULL)
			e = errno;
	}
	freeaddrinfo(res);
	if (lev == NULL)
		snprintf(err, len, "%s listener: cannot listen on %s port %d: "
		    "%s", l->name, host, port, strerror(e));
	return lev;
}

struct listener *
listener_new(struct event_base *base, const char *name, const char *host,
    int port, const struct listener_limits *lim, char *err, size_t len)
{
	struct listener		*l;
	struct timeval		 tv;

	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->name = strdup(name)) == NULL) {
		free(l);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	l->base = base;
	l->lim = *lim;
	if (l->lim.max_connections < 1)
		l->lim.max_connections = 1;
	TAILQ_INIT(&l->conns);
	TAILQ_INSERT_TAIL(&listeners, l, all);
	if ((l->http = evhttp_new(base)) == NULL ||
	    (l->resume_ev = evtimer_new(base, listener_resume, l)) == NULL ||
	    (l->attach_ev = event_new(base, -1, 0, listener_attach,
	    l)) == NULL) {
		snprintf(err, len, "out of memory");
		listener_free(l);
		return NULL;
	}
	if ((l->lev = listener_bind(l, host, port, err, len)) == NULL) {
		listener_free(l);
		return NULL;
	}
	if (evhttp_bind_listener(l->http, l->lev) == NULL) {
		evconnlistener_free(l->lev);
		l->lev = NULL;
		snprintf(err, len, "out of memory");
		listener_free(l);
		return NULL;
	}
	l->accepting = 1;
	/* After evhttp_bind_listener, which sets the accept callback. */
	evconnlistener_set_error_cb(l->lev, listener_accept_error);
	evhttp_set_bevcb(l->http, listener_bev, l);
	evhttp_set_gencb(l->http, listener_request, l);
	evhttp_set_allowed_methods(l->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
	evhttp_set_max_headers_size(l->http, (ev_ssize_t)l->lim.max_header_bytes);
	evhttp_set_max_body_size(l->http, (ev_ssize_t)l->lim.max_body_bytes);
	listener_tv(&tv, l->lim.idle_timeout_ms);
	evhttp_set_timeout_tv(l->http, &tv);
	return l;
}

void
listener_free(struct listener *l)
{
	struct listener_conn	*c;
	struct bufferevent	*bev;

	if (l == NULL)
		return;
	/*
	 * evhttp_free frees the listening socket, then each connection: their
	 * close callbacks count them out here, with nothing to re-enable.
	 */
	l->lev = NULL;
	if (l->http != NULL)
		evhttp_free(l->http);
	/* What listener_attach had not reached yet: evhttp dropped them. */
	while ((c = TAILQ_FIRST(&l->conns)) != NULL) {
		bev = c->attached ? NULL : c->bev;
		if (c->attached)
			c->input_cb = NULL;	/* not expected: its bev is gone */
		listener_conn_free(c);
		if (bev != NULL)
			bufferevent_decref(bev);
	}
	if (l->attach_ev != NULL)
		event_free(l->attach_ev);
	if (l->resume_ev != NULL)
		event_free(l->resume_ev);
	while (l->nroutes > 0)
		free(l->routes[--l->nroutes].path);
	free(l->routes);
	TAILQ_REMOVE(&listeners, l, all);
	free(l->name);
	free(l);
}

void
listener_stats(const struct listener *l, struct listener_stats *st)
{
	*st = l->st;
}
