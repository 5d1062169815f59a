/* The admin listener's pages: /metrics (Prometheus text) and /healthz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "listener.h"
#include "log.h"
#include "nhacviecd.h"
#include "web.h"

#define METRICS_HEADER_MAX	(16 * 1024)
#define METRICS_BODY_MAX	(64 * 1024)

struct metrics {
	struct nv	*nv;
	struct listener	*admin;
	struct web	*web;		/* the status pages, or NULL */
};

static void
metrics_healthz(struct evhttp_request *req, void *arg)
{
	struct metrics	*m = arg;
	struct evbuffer	*b = evbuffer_new();
	int		 up = store_is_up(m->nv->store), ok;
	char		 why[256];

	if (b == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	ok = up && m->nv->dispatch &&
	    dispatch_healthy(m->nv->dispatch, why, sizeof(why));
	if (!up)
		snprintf(why, sizeof(why), "redis unreachable");
	else if (m->nv->dispatch == NULL)
		snprintf(why, sizeof(why), "starting");
	evbuffer_add_printf(b, "%s\n", why);
	evhttp_send_reply(req, ok ? 200 : 503, ok ? "OK" :
	    "Service Unavailable", b);
	evbuffer_free(b);
}

/* The listener's own figures, so an operator sees a flood for what it is. */
static void
metrics_listener(struct evbuffer *b, const char *name,
    const struct listener *l)
{
	struct listener_stats	st;

	listener_stats(l, &st);
	evbuffer_add_printf(b,
	    "# TYPE nhacviec_http_connections gauge\n"
	    "nhacviec_http_connections{listener=\"%s\"} %d\n"
	    "# TYPE nhacviec_http_accepted_total counter\n"
	    "nhacviec_http_accepted_total{listener=\"%s\"} %llu\n"
	    "# TYPE nhacviec_http_at_cap_total counter\n"
	    "nhacviec_http_at_cap_total{listener=\"%s\"} %llu\n"
	    "# TYPE nhacviec_http_accept_pauses_total counter\n"
	    "nhacviec_http_accept_pauses_total{listener=\"%s\"} %llu\n"
	    "# TYPE nhacviec_http_request_timeouts_total counter\n"
	    "nhacviec_http_request_timeouts_total{listener=\"%s\"} %llu\n",
	    name, st.connections, name, (unsigned long long)st.accepted, name,
	    (unsigned long long)st.at_cap, name,
	    (unsigned long long)st.accept_pauses, name,
	    (unsigned long long)st.timed_out);
}

static void
metrics_metrics(struct evhttp_request *req, void *arg)
{
	struct metrics	*m = arg;
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evbuffer_add_printf(b, "# TYPE nhacviec_redis_up gauge\n"
	    "nhacviec_redis_up %d\n", store_is_up(m->nv->store));
	if (m->nv->dispatch)
		dispatch_stats(m->nv->dispatch, b);
	inbound_stats(m->nv->inbound, b);
	evbuffer_add_printf(b, "# TYPE nhacviec_send_local_failures_total "
	    "counter\nnhacviec_send_local_failures_total %llu\n",
	    (unsigned long long)http_local_failures(m->nv->http));
	metrics_listener(b, "admin", m->admin);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

struct metrics *
metrics_new(struct nv *nv, char *err, size_t len)
{
	const struct config	*c = nv->conf;
	struct listener_limits	 lim;
	struct metrics		*m;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	m->nv = nv;
	memset(&lim, 0, sizeof(lim));
	lim.max_connections = c->http_max_connections;
	lim.idle_timeout_ms = c->http_idle_timeout_ms;
	lim.request_timeout_ms = c->http_request_timeout_ms;
	lim.max_header_bytes = METRICS_HEADER_MAX;
	lim.max_body_bytes = METRICS_BODY_MAX;
	if ((m->admin = listener_new(nv->base, "admin", c->listen_addr.host,
	    c->listen_addr.port, &lim, err, len)) == NULL ||
	    listener_route(m->admin, "/healthz", EVHTTP_REQ_GET,
	    metrics_healthz, m) == -1 ||
	    listener_route(m->admin, "/metrics", EVHTTP_REQ_GET,
	    metrics_metrics, m) == -1) {
		if (m->admin != NULL)
			snprintf(err, len, "out of memory");
		metrics_free(m);
		return NULL;
	}
	if (c->users_file != NULL &&
	    (m->web = web_new(nv, m->admin, err, len)) == NULL) {
		metrics_free(m);
		return NULL;
	}
	if (c->listen_allow_remote && !parse_is_loopback(c->listen_addr.host))
		log_warnx("[http] listen = %s is not a loopback address: "
		    "/metrics and /healthz answer anyone who can reach it "
		    "(listen_allow_remote = yes)", c->listen);
	log_info("admin listener on %s: at most %d connections, requests "
	    "within %gs, idle connections closed after %gs", c->listen,
	    lim.max_connections, (double)lim.request_timeout_ms / 1000,
	    (double)lim.idle_timeout_ms / 1000);
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	web_free(m->web);
	listener_free(m->admin);
	free(m);
}
