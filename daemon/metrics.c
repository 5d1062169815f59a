/* The /metrics (Prometheus text) and /healthz endpoints, on evhttp in the same loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "log.h"
#include "nhacviecd.h"

struct metrics {
	struct nv	*nv;
	struct evhttp	*http;
};

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	struct metrics		*m = arg;
	struct evbuffer		*b = evbuffer_new();
	const char		*path = evhttp_request_get_uri(req);
	int			 up = store_is_up(m->nv->store), ok;
	char			 why[256];

	if (b == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	if (strcmp(path, "/healthz") == 0) {
		ok = up && m->nv->dispatch &&
		    dispatch_healthy(m->nv->dispatch, why, sizeof(why));
		if (!up)
			snprintf(why, sizeof(why), "redis unreachable");
		else if (m->nv->dispatch == NULL)
			snprintf(why, sizeof(why), "starting");
		evbuffer_add_printf(b, "%s\n", why);
		evhttp_send_reply(req, ok ? 200 : 503, ok ? "OK" :
		    "Service Unavailable", b);
	} else if (strcmp(path, "/metrics") == 0) {
		evbuffer_add_printf(b, "# TYPE nhacviec_redis_up gauge\n"
		    "nhacviec_redis_up %d\n", up);
		if (m->nv->dispatch)
			dispatch_stats(m->nv->dispatch, b);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "text/plain; version=0.0.4");
		evhttp_send_reply(req, 200, "OK", b);
	} else
		evhttp_send_error(req, 404, NULL);
	evbuffer_free(b);
}

struct metrics *
metrics_new(struct nv *nv, char *err, size_t len)
{
	struct metrics		*m;
	const struct address	*a = &nv->conf->listen_addr;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->nv = nv;
	if ((m->http = evhttp_new(nv->base)) == NULL ||
	    evhttp_bind_socket(m->http, a->host, (ev_uint16_t)a->port) != 0) {
		snprintf(err, len, "cannot listen on %s for /metrics",
		    nv->conf->listen);
		metrics_free(m);
		return NULL;
	}
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(m->http, metrics_request, m);
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	if (m->http)
		evhttp_free(m->http);
	free(m);
}
