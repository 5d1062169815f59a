/* What comes back from the heads: the public listener and its Zalo OA events, stored first, then read and handed on once (what they mean is inbound_reply.c, the confirmation links links.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "chanstart.h"
#include "clock.h"
#include "inbound_priv.h"
#include "listener.h"
#include "log.h"
#include "nhacviecd.h"
#include "secret.h"
#include "sign.h"
#include "xmalloc.h"

#define INBOUND_BODY_MAX	(64 * 1024)
#define INBOUND_HEADER_MAX	(16 * 1024)
#define INBOUND_READ		16

static void	inbound_read(struct inbound *);

/* ---- answering ------------------------------------------------------ */

void
inbound_headers(struct evhttp_request *req, const char *type)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'unsafe-inline'; form-action 'self'");
}

static void
inbound_text(struct evhttp_request *req, int code, const char *reason,
    const char *text)
{
	struct evbuffer	*b = evbuffer_new();

	inbound_headers(req, "application/json");
	if (b)
		evbuffer_add_printf(b, "{\"result\":\"%s\"}\n", text);
	evhttp_send_reply(req, code, reason, b);
	if (b)
		evbuffer_free(b);
}

/* ---- Zalo OA events: checked, stored, answered ------------------------ */

struct instore {
	struct inbound		*in;
	struct evhttp_request	*req;
};

static void
inbound_stored(void *arg, redisReply *r)
{
	struct instore	*s = arg;
	struct inbound	*in = s->in;

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		/* Not stored: Zalo sends it again later. */
		log_warnx("a Zalo event could not be stored in %s (%s): "
		    "answered 503, Zalo sends it again", in->nv->keys.events,
		    r ? r->str : "Redis unreachable");
		if (s->req)
			inbound_text(s->req, 503, "Service Unavailable",
			    "try again");
	} else {
		in->events++;
		if (s->req)
			inbound_text(s->req, 200, "OK", "ok");
		inbound_read(in);
	}
	free(s);
}

/*
 * POST /zalo/events: the signature first (a wrong or missing one changes
 * nothing: 403), then the raw event goes to {p}:events before the 200, so
 * a crash after it loses nothing; it is read and handled from there.
 */
static void
inbound_zalo_event(struct evhttp_request *req, void *arg)
{
	struct inbound		*in = arg;
	struct evbuffer		*b = evhttp_request_get_input_buffer(req);
	const char		*sig, *argv[8];
	struct instore		*s;
	enum sign_zalo_result	 res = SIGN_ZALO_WRONG_APP;
	char			 err[256], at[24];
	size_t			 len = evbuffer_get_length(b), i;
	unsigned char		*body;

	sig = evhttp_find_header(evhttp_request_get_input_headers(req),
	    SIGN_ZALO_HEADER);
	body = evbuffer_pullup(b, -1);
	for (i = 0; i < in->noa && res == SIGN_ZALO_WRONG_APP; i++)
		res = sign_zalo_check(sig, body, len, in->oa[i].app_id,
		    in->oa[i].secret, err, sizeof(err));
	if (res != SIGN_ZALO_OK || in->noa == 0) {
		in->refused++;
		log_notice("a Zalo event refused (%s): %s",
		    sign_zalo_name(res), in->noa ? err : "no zalo channel");
		inbound_text(req, 403, "Forbidden", sign_zalo_name(res));
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		inbound_text(req, 503, "Service Unavailable", "try again");
		return;
	}
	s->in = in;
	s->req = req;
	snprintf(at, sizeof(at), "%lld", (long long)clock_now_ms());
	argv[0] = "XADD";
	argv[1] = in->nv->keys.events;
	argv[2] = "*";
	argv[3] = "channel";
	argv[4] = in->oa[i - 1].channel;
	argv[5] = "at";
	argv[6] = at;
	argv[7] = "body";
	{
		const char	*full[10];
		size_t		 lens[10];
		int		 k;

		for (k = 0; k < 8; k++) {
			full[k] = argv[k];
			lens[k] = strlen(argv[k]);
		}
		full[8] = (const char *)body;
		lens[8] = len;
		if (store_command(in->nv->store, inbound_stored, s, 9, full,
		    lens) == -1) {
			s->req = NULL;
			inbound_text(req, 503, "Service Unavailable",
			    "try again");
			free(s);
		}
	}
}

/* ---- handling stored events ------------------------------------------ */

static void
inbound_event_free(struct inevent *e)
{
	json_decref(e->body);
	free(e->channel);
	free(e);
}

static void
inbound_ack_reply(void *arg, redisReply *r)
{
	(void)arg;
	(void)r;
}

/* The event is handled (or known to be a copy): acknowledged, deleted. */
void
inbound_done(struct inevent *e)
{
	struct inbound	*in = e->in;

	/* Marked handled only now: a crash before this handles it again. */
	if (e->seen[0] != '\0')
		store_commandf(in->nv->store, inbound_ack_reply, NULL,
		    "HSET %s %s %lld", in->nv->keys.handled, e->seen,
		    (long long)clock_now_ms());
	store_commandf(in->nv->store, inbound_ack_reply, NULL, "XACK %s %s %s",
	    in->nv->keys.events, INBOUND_GROUP, e->entry);
	store_commandf(in->nv->store, inbound_ack_reply, NULL, "XDEL %s %s",
	    in->nv->keys.events, e->entry);
	inbound_event_free(e);
}

/* The first copy of an event goes on; Zalo's retries of it stop here. */
static void
inbound_first_reply(void *arg, redisReply *r)
{
	struct inevent	*e = arg;
	struct inbound	*in = e->in;
	json_t		*m = json_object_get(e->body, "message"), *ids, *v;
	const char	**argv;
	size_t		 i, n = 0;

	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		inbound_event_free(e);	/* stays pending: read again */
		return;
	}
	if (r->integer == 1) {
		log_debug("a Zalo event already handled: %s", e->name);
		e->seen[0] = '\0';
		inbound_done(e);
		return;
	}
	if (strcmp(e->name, "user_send_text") == 0) {
		inbound_reply_text(e);
		return;
	}
	/* received (msg_id) or seen (msg_ids): the reminders they carried */
	ids = json_object_get(m, "msg_ids");
	argv = xcalloc(3 + (json_is_array(ids) ? json_array_size(ids) : 1),
	    sizeof(*argv));
	argv[n++] = "HMGET";
	argv[n++] = in->nv->keys.refs;
	if (json_is_array(ids)) {
		json_array_foreach(ids, i, v)
			if (json_is_string(v))
				argv[n++] = json_string_value(v);
	} else if ((v = json_object_get(m, "msg_id")) && json_is_string(v))
		argv[n++] = json_string_value(v);
	if ((v = json_object_get(m, "tracking_id")) && json_is_string(v))
		argv[n++] = json_string_value(v);
	if (n == 2 || store_command(in->nv->store, inbound_reply_refs, e,
	    (int)n, argv, NULL) == -1)
		inbound_done(e);
	free(argv);
}

/* One stored event: its name, and whether it was seen before. */
static void
inbound_event(struct inbound *in, redisReply *entry)
{
	struct inevent	*e;
	redisReply	*f;
	const char	*body = NULL, *channel = NULL, *key, *ts;
	json_error_t	 jerr;
	size_t		 blen = 0, i;
	json_t		*m;

	if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
	    entry->element[0]->type != REDIS_REPLY_STRING)
		return;
	e = xcalloc(1, sizeof(*e));
	e->in = in;
	snprintf(e->entry, sizeof(e->entry), "%s", entry->element[0]->str);
	f = entry->element[1];
	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements;
	    i += 2) {
		if (f->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		if (strcmp(f->element[i]->str, "body") == 0) {
			body = f->element[i + 1]->str;
			blen = f->element[i + 1]->len;
		} else if (strcmp(f->element[i]->str, "channel") == 0)
			channel = f->element[i + 1]->str;
	}
	if (body == NULL || channel == NULL ||
	    (e->body = json_loadb(body, blen, 0, &jerr)) == NULL ||
	    (e->name = json_string_value(json_object_get(e->body,
	    "event_name"))) == NULL ||
	    (e->channel = strdup(channel)) == NULL) {
		log_warnx("%s entry %s is not an event we can read; dropped",
		    in->nv->keys.events, e->entry);
		inbound_done(e);
		return;
	}
	m = json_object_get(e->body, "message");
	if ((key = json_string_value(json_object_get(m, "msg_id"))) == NULL)
		key = json_string_value(json_array_get(json_object_get(m,
		    "msg_ids"), 0));
	if (strcmp(e->name, "user_send_text") != 0 &&
	    strcmp(e->name, "user_received_message") != 0 &&
	    strcmp(e->name, "user_seen_message") != 0) {
		log_debug("Zalo event %s: not one nhacviec follows", e->name);
		inbound_done(e);
		return;
	}
	/* Zalo retries: the same event name, message and time. */
	ts = json_string_value(json_object_get(e->body, "timestamp"));
	snprintf(e->seen, sizeof(e->seen), "%s:%s:%s", e->name, key ? key : "",
	    ts ? ts : "");
	if (store_commandf(in->nv->store, inbound_first_reply, e,
	    "HEXISTS %s %s", in->nv->keys.handled, e->seen) == -1)
		inbound_event_free(e);
}

static void
inbound_read_reply(void *arg, redisReply *r)
{
	struct inbound	*in = arg;
	redisReply	*entries;
	size_t		 i, n = 0;

	in->reading = 0;
	if (r == NULL)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		if (strstr(r->str, "NOGROUP"))
			store_commandf(in->nv->store, NULL, NULL,
			    "XGROUP CREATE %s %s 0 MKSTREAM",
			    in->nv->keys.events, INBOUND_GROUP);
		else
			log_err("reading %s failed: %s", in->nv->keys.events,
			    r->str);
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->elements == 2) {
		entries = r->element[0]->element[1];
		n = entries->elements;
		for (i = 0; i < n; i++)
			inbound_event(in, entries->element[i]);
		if (in->history && n > 0 &&
		    entries->element[n - 1]->type == REDIS_REPLY_ARRAY &&
		    entries->element[n - 1]->elements > 0)
			snprintf(in->cursor, sizeof(in->cursor), "%s",
			    entries->element[n - 1]->element[0]->str);
	}
	/* Our history is read: what is new comes next. */
	if (in->history && n == 0)
		in->history = 0;
	else if (n == 0)
		return;
	inbound_read(in);
}

/* Events waiting: our own pending first (after a restart), then new. */
static void
inbound_read(struct inbound *in)
{
	char		 count[8];
	const char	*argv[] = { "XREADGROUP", "GROUP", INBOUND_GROUP,
	    in->nv->consumer, "COUNT", count, "STREAMS", in->nv->keys.events,
	    in->history ? in->cursor : ">" };

	if (in->reading || !store_is_up(in->nv->store) || in->nv->plan == NULL)
		return;
	snprintf(count, sizeof(count), "%d", INBOUND_READ);
	if (store_command(in->nv->store, inbound_read_reply, in, 9, argv,
	    NULL) == 0)
		in->reading = 1;
}

/* Now and then: events another daemon stored and could not handle. */
static void
inbound_sweep_event(evutil_socket_t fd, short what, void *arg)
{
	struct inbound	*in = arg;
	struct timeval	 tv = { 30, 0 };

	(void)fd;
	(void)what;
	if (store_is_up(in->nv->store))
		store_commandf(in->nv->store, NULL, NULL,
		    "XAUTOCLAIM %s %s %s 60000 0-0 COUNT 16 JUSTID",
		    in->nv->keys.events, INBOUND_GROUP, in->nv->consumer);
	if (!in->reading) {
		in->history = 1;
		snprintf(in->cursor, sizeof(in->cursor), "0");
	}
	inbound_read(in);
	evtimer_add(in->sweep_ev, &tv);
}

/* ---- start and stop --------------------------------------------------- */

struct inbound *
inbound_new(struct nv *nv, char *err, size_t len)
{
	const struct config	*c = nv->conf;
	struct listener_limits	 lim;
	struct inbound		*in;
	struct chanstart	 cs;
	struct timeval		 tv = { 30, 0 };
	size_t			 i;

	if (c->public_listen == NULL)
		return NULL;
	in = xcalloc(1, sizeof(*in));
	in->oa = xcalloc(c->nchannels + 1, sizeof(*in->oa));
	in->nv = nv;
	in->history = 1;
	snprintf(in->cursor, sizeof(in->cursor), "0");
	for (i = 0; i < c->nchannels; i++) {
		if (c->channels[i].type != CHANNEL_ZALO)
			continue;
		if (chanstart_read(c, &c->channels[i], &cs, err, len) == -1)
			goto fail;
		in->oa[in->noa].channel = xstrdup(c->channels[i].name);
		in->oa[in->noa].app_id = xstrdup(c->channels[i].zalo.app_id ?
		    c->channels[i].zalo.app_id : "");
		in->oa[in->noa].secret = cs.oa_secret;
		cs.oa_secret = NULL;
		chanstart_clear(&cs);
		if (in->oa[in->noa].secret == NULL) {
			snprintf(err, len, "[channel %s]: no OA secret key",
			    c->channels[i].name);
			in->noa++;
			goto fail;
		}
		in->noa++;
	}
	memset(&lim, 0, sizeof(lim));
	lim.max_connections = c->http_max_connections;
	lim.idle_timeout_ms = c->http_idle_timeout_ms;
	lim.request_timeout_ms = c->http_request_timeout_ms;
	lim.max_header_bytes = INBOUND_HEADER_MAX;
	lim.max_body_bytes = INBOUND_BODY_MAX;
	if ((in->pub = listener_new(nv->base, "public",
	    c->public_listen_addr.host, c->public_listen_addr.port, &lim, err,
	    len)) == NULL)
		goto fail;
	if (listener_route(in->pub, "/zalo/events", EVHTTP_REQ_POST,
	    inbound_zalo_event, in) == -1 ||
	    listener_route(in->pub, "/c/", EVHTTP_REQ_GET | EVHTTP_REQ_POST,
	    links_route, nv) == -1) {
		snprintf(err, len, "out of memory");
		goto fail;
	}
	if ((in->sweep_ev = evtimer_new(nv->base, inbound_sweep_event,
	    in)) == NULL)
		fatal("evtimer_new");
	evtimer_add(in->sweep_ev, &tv);
	log_info("public listener on %s (%s): Zalo events at /zalo/events, "
	    "confirmation links at /c/", c->public_listen, c->public_url);
	return in;
fail:
	inbound_free(in);
	return NULL;
}

void
inbound_free(struct inbound *in)
{
	size_t	i;

	if (in == NULL)
		return;
	listener_free(in->pub);
	if (in->sweep_ev)
		event_free(in->sweep_ev);
	for (i = 0; i < in->noa; i++) {
		free(in->oa[i].channel);
		free(in->oa[i].app_id);
		secret_free(in->oa[i].secret);
	}
	free(in->oa);
	free(in);
}

/* Connected: the group, then whatever waits. */
void
inbound_store_up(struct inbound *in)
{
	if (in == NULL)
		return;
	in->reading = 0;
	store_commandf(in->nv->store, NULL, NULL,
	    "XGROUP CREATE %s %s 0 MKSTREAM", in->nv->keys.events,
	    INBOUND_GROUP);
	in->history = 1;
	snprintf(in->cursor, sizeof(in->cursor), "0");
	inbound_read(in);
}

void
inbound_stats(const struct inbound *in, struct evbuffer *b)
{
	if (in == NULL)
		return;
	evbuffer_add_printf(b, "# TYPE nhacviec_events_total counter\n"
	    "nhacviec_events_total %llu\n"
	    "# TYPE nhacviec_events_refused_total counter\n"
	    "nhacviec_events_refused_total %llu\n"
	    "# TYPE nhacviec_replies_total counter\n"
	    "nhacviec_replies_total %llu\n"
	    "# TYPE nhacviec_replies_placed_total counter\n"
	    "nhacviec_replies_placed_total %llu\n"
	    "# TYPE nhacviec_replies_inbox_total counter\n"
	    "nhacviec_replies_inbox_total %llu\n",
	    (unsigned long long)in->events, (unsigned long long)in->refused,
	    (unsigned long long)in->replies, (unsigned long long)in->placed,
	    (unsigned long long)in->inboxed);
}
