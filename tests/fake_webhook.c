/* A fake webhook peer for the scenario tests: logs each request, answers with a chosen status, maybe late. */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "fakeutil.h"
#include "fileio.h"
#include "log.h"
#include "xmalloc.h"

struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct fake		*fake;
	struct evhttp_request	*req;
	struct event		*timer;
	int			 status;
};

struct fake {
	struct event_base	*base;
	struct evhttp		*http;
	struct event		*ev_term;
	struct event		*ev_int;
	FILE			*out;
	FILE			*dump;		/* -B: headers and body, as JSON */
	int			 status;	/* default reply status */
	long long		 delay_ms;	/* delay of every reply */
	long long		 retry_after;	/* -1: no Retry-After header */
	long long		 fail;		/* fail_status to this many more */
	int			 fail_status;	/* default 503 */
	int			 fail_pct;	/* -R: that share fails at random */
	int			 close;		/* -c: each answer closes */
	char			*fail_body;	/* -b: a failure's body, as is */
	size_t			 fail_body_len;
	unsigned long long	 requests;
	unsigned long long	 ok;
	unsigned long long	 failed;
	TAILQ_HEAD(, pending)	 pending;
};

static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr, "usage: fake_webhook [-v] [-a addr] [-p port] "
	    "[-P portfile] [-o outfile]\n"
	    "\t[-s status] [-d delay_ms] [-r retry_after] [-f nfail] "
	    "[-F fail_status] [-R fail_percent] [-B dumpfile] "
	    "[-b failbody]\n\t[-c] [-k idle_s]\n");
	exit(2);
}

/* A whole (small) file into memory, or die naming it. */
static void
read_file(const char *path, char **data, size_t *len)
{
	char	err[300];

	if (file_read(path, 0, 65536, data, len, err, sizeof(err)) == -1)
		fatalx("%s: %s", path, err);
}

/* Parses a decimal number in [min, max] or dies naming the option. */
static long long
parse_num(const char *s, long long min, long long max, int opt)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		fatalx("-%c: %s: not a number in [%lld, %lld]", opt, s, min,
		    max);
	return v;
}

static const char *
method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_TRACE:
		return "TRACE";
	case EVHTTP_REQ_CONNECT:
		return "CONNECT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	}
	return "OTHER";
}

/* Sends obj as the JSON body of the reply; takes ownership of obj. */
static void
fake_reply_json(struct fake *fake, struct evhttp_request *req, int status,
    json_t *obj)
{
	struct evbuffer	*buf;
	char		*s;
	char		 num[32];

	s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	buf = evbuffer_new();
	if (s == NULL || buf == NULL)
		fatalx("out of memory");
	evbuffer_add(buf, s, strlen(s));
	free(s);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	if ((status < 200 || status > 299) && fake->retry_after >= 0) {
		snprintf(num, sizeof(num), "%lld", fake->retry_after);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", num);
	}
	evhttp_send_reply(req, status, NULL, buf);
	evbuffer_free(buf);
}

static void
fake_reply_error(struct fake *fake, struct evhttp_request *req, int status,
    const char *msg)
{
	fake_reply_json(fake, req, status, json_pack("{s:s}", "error", msg));
}

/* -b: the failure body's bytes as they are, whatever they hold. */
static void
fake_reply_raw(struct fake *fake, struct evhttp_request *req, int status)
{
	struct evbuffer	*buf;
	char		 num[32];

	if ((buf = evbuffer_new()) == NULL)
		fatalx("out of memory");
	evbuffer_add(buf, fake->fail_body, fake->fail_body_len);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain");
	if (fake->retry_after >= 0) {
		snprintf(num, sizeof(num), "%lld", fake->retry_after);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", num);
	}
	evhttp_send_reply(req, status, NULL, buf);
	evbuffer_free(buf);
}

/* The reply to a normal request: {"ok":true} on 2xx, an error otherwise. */
static void
fake_reply_status(struct fake *fake, struct evhttp_request *req, int status)
{
	char	msg[64];

	if (status >= 200 && status <= 299) {
		fake_reply_json(fake, req, status,
		    json_pack("{s:b}", "ok", 1));
		return;
	}
	if (fake->fail_body != NULL) {
		fake_reply_raw(fake, req, status);
		return;
	}
	snprintf(msg, sizeof(msg), "fake failure (status %d)", status);
	fake_reply_error(fake, req, status, msg);
}

/*
 * A delayed reply is due. libevent allows a non-persistent event to be
 * freed from its own callback, and the timer belongs to us, not to evhttp.
 */
static void
pending_fire(evutil_socket_t fd, short what, void *arg)
{
	struct pending	*p = arg;
	struct fake	*fake = p->fake;

	(void)fd;
	(void)what;
	TAILQ_REMOVE(&fake->pending, p, entry);
	fake_reply_status(fake, p->req, p->status);
	event_free(p->timer);
	free(p);
}

static void
fake_delay(struct fake *fake, struct evhttp_request *req, int status)
{
	struct pending	*p;
	struct timeval	 tv;

	p = xcalloc(1, sizeof(*p));
	p->fake = fake;
	p->req = req;
	p->status = status;
	if ((p->timer = evtimer_new(fake->base, pending_fire, p)) == NULL)
		fatalx("evtimer_new");
	tv.tv_sec = fake->delay_ms / 1000;
	tv.tv_usec = (fake->delay_ms % 1000) * 1000;
	TAILQ_INSERT_TAIL(&fake->pending, p, entry);
	evtimer_add(p->timer, &tv);
}

/* Parses the request body as a JSON object, or returns NULL. */
static json_t *
body_json(struct evhttp_request *req, size_t *lenp)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	unsigned char	*data;
	json_t		*root;

	*lenp = len;
	if (len == 0 || (data = evbuffer_pullup(in, -1)) == NULL)
		return NULL;
	root = json_loadb((const char *)data, len, 0, NULL);
	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/*
 * A header into the dump's object: a name sent twice (in any case) becomes
 * an array of its values, so a test sees the repeat.
 */
static void
fake_dump_header(json_t *hdrs, const char *name, const char *value)
{
	const char	*k;
	json_t		*v, *a;

	json_object_foreach(hdrs, k, v) {
		if (strcasecmp(k, name) != 0)
			continue;
		if (json_is_array(v))
			json_array_append_new(v, json_string(value));
		else {
			a = json_array();
			json_array_append(a, v);
			json_array_append_new(a, json_string(value));
			json_object_set_new(hdrs, k, a);
		}
		return;
	}
	json_object_set_new(hdrs, name, json_string(value));
}

/*
 * -B: one JSON line per request, {"headers": {...}, "body": "..."}; a
 * repeated header's value is an array.
 */
static void
fake_dump(struct fake *fake, struct evhttp_request *req, size_t len)
{
	struct evkeyvalq	*hs = evhttp_request_get_input_headers(req);
	struct evkeyval		*h;
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	json_t			*o, *hdrs;
	char			*line;
	unsigned char		*data;

	if (fake->dump == NULL)
		return;
	hdrs = json_object();
	TAILQ_FOREACH(h, hs, next)
		fake_dump_header(hdrs, h->key, h->value);
	data = len ? evbuffer_pullup(in, -1) : NULL;
	o = json_pack("{s:o, s:s%}", "headers", hdrs, "body",
	    data ? (const char *)data : "", len);
	if (o != NULL && (line = json_dumps(o, JSON_COMPACT)) != NULL) {
		fprintf(fake->dump, "%s\n", line);
		fflush(fake->dump);
		free(line);
	}
	json_decref(o);
}

/* Appends ID TAB STATUS TAB RECV_MS TAB METHOD TAB PATH TAB BYTES TAB PEER_PORT. */
static void
fake_record(struct fake *fake, const char *id, int status, const char *method,
    const char *path, size_t len, struct evhttp_request *req)
{
	struct evhttp_connection	*conn;
	char				 buf[256], *host = NULL;
	ev_uint16_t			 port = 0;
	size_t				 i;

	if (fake->out == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", id);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')
			buf[i] = '_';
	/* The client's port, last: one per connection, to see reuse. */
	if ((conn = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_get_peer(conn, &host, &port);
	fprintf(fake->out, "%s\t%d\t%lld\t%s\t%s\t%zu\t%u\n", buf, status,
	    now_ms(), method, path, len, (unsigned)port);
	fflush(fake->out);
}

static json_t *
fake_settings(struct fake *fake)
{
	return json_pack("{s:i,s:I,s:I,s:I}", "status", fake->status,
	    "delay_ms", (json_int_t)fake->delay_ms,
	    "fail", (json_int_t)fake->fail,
	    "retry_after", (json_int_t)fake->retry_after);
}

/* POST /_control: changes status, delay_ms, fail, retry_after; all or none. */
static void
fake_control(struct fake *fake, struct evhttp_request *req)
{
	json_t		*root;
	size_t		 len;
	long long	 status = fake->status, delay = fake->delay_ms;
	long long	 fail = fake->fail, retry = fake->retry_after;

	if ((root = body_json(req, &len)) == NULL) {
		fake_reply_error(fake, req, 400, "body is not a JSON object");
		return;
	}
	if (control_int(root, "status", 100, 599, &status) == -1 ||
	    control_int(root, "delay_ms", 0, 3600000, &delay) == -1 ||
	    control_int(root, "fail", 0, LLONG_MAX, &fail) == -1 ||
	    control_int(root, "retry_after", -1, INT_MAX, &retry) == -1) {
		json_decref(root);
		fake_reply_error(fake, req, 400, "bad member value");
		return;
	}
	json_decref(root);
	fake->status = (int)status;
	fake->delay_ms = delay;
	fake->fail = fail;
	fake->retry_after = retry;
	log_info("control: status %d, delay %lld ms, fail %lld, "
	    "retry-after %lld", fake->status, fake->delay_ms, fake->fail,
	    fake->retry_after);
	fake_reply_json(fake, req, 200, fake_settings(fake));
}

static void
fake_stats(struct fake *fake, struct evhttp_request *req)
{
	fake_reply_json(fake, req, 200, json_pack("{s:I,s:I,s:I}",
	    "requests", (json_int_t)fake->requests,
	    "ok", (json_int_t)fake->ok,
	    "failed", (json_int_t)fake->failed));
}

/* Every request: /_stats and /_control are ours, anything else is a webhook. */
static void
fake_request(struct evhttp_request *req, void *arg)
{
	struct fake			*fake = arg;
	const struct evhttp_uri		*uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type		 cmd = evhttp_request_get_command(req);
	const char			*path = NULL, *id = "-";
	json_t				*root, *m;
	size_t				 len;
	int				 status;

	if (uri != NULL)
		path = evhttp_uri_get_path(uri);
	if (path == NULL || *path == '\0')
		path = "/";
	/* -c: the connection ends with this answer (evhttp closes it). */
	if (fake->close)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");

	if (strncmp(path, "/_", 2) == 0) {
		if (strcmp(path, "/_stats") == 0 && cmd == EVHTTP_REQ_GET)
			fake_stats(fake, req);
		else if (strcmp(path, "/_control") == 0 &&
		    cmd == EVHTTP_REQ_POST)
			fake_control(fake, req);
		else
			fake_reply_error(fake, req, 404, "no such control");
		return;
	}

	root = body_json(req, &len);
	if (root != NULL && (m = json_object_get(root, "id")) != NULL &&
	    json_is_string(m))
		id = json_string_value(m);

	if (fake->fail > 0) {
		fake->fail--;
		status = fake->fail_status;
	} else if (fake->fail_pct > 0 && random() % 100 < fake->fail_pct)
		status = fake->fail_status;
	else
		status = fake->status;
	fake->requests++;
	if (status >= 200 && status <= 299)
		fake->ok++;
	else
		fake->failed++;
	fake_record(fake, id, status, method_name(cmd), path, len, req);
	fake_dump(fake, req, len);
	log_debug("%s %s id %s: %d", method_name(cmd), path, id, status);
	json_decref(root);

	if (fake->delay_ms > 0)
		fake_delay(fake, req, status);
	else
		fake_reply_status(fake, req, status);
}

static void
fake_signal(evutil_socket_t sig, short what, void *arg)
{
	struct fake	*fake = arg;

	(void)what;
	log_info("signal %d: exiting", (int)sig);
	event_base_loopbreak(fake->base);
}

/* Answers what is still waiting so evhttp_free can release every request. */
static void
fake_flush_pending(struct fake *fake)
{
	struct pending	*p;

	while ((p = TAILQ_FIRST(&fake->pending)) != NULL) {
		TAILQ_REMOVE(&fake->pending, p, entry);
		fake_reply_error(fake, p->req, 503, "shutting down");
		event_free(p->timer);
		free(p);
	}
}

int
main(int argc, char *argv[])
{
	struct fake			 fake;
	struct evhttp_bound_socket	*bs;
	const char			*addr = "127.0.0.1";
	const char			*portfile = NULL, *outfile = NULL;
	const char			*dumpfile = NULL, *bodyfile = NULL;
	int				 ch, port = 0, verbose = 0, idle_s = 0;

	memset(&fake, 0, sizeof(fake));
	fake.status = 200;
	fake.fail_status = 503;
	fake.retry_after = -1;
	TAILQ_INIT(&fake.pending);

	while ((ch = getopt(argc, argv, "a:B:b:cd:F:f:k:o:P:p:R:r:s:v")) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'b':
			bodyfile = optarg;
			break;
		case 'B':
			dumpfile = optarg;
			break;
		case 'c':
			fake.close = 1;
			break;
		case 'k':
			idle_s = (int)parse_num(optarg, 1, 3600, ch);
			break;
		case 'd':
			fake.delay_ms = parse_num(optarg, 0, 3600000, ch);
			break;
		case 'f':
			fake.fail = parse_num(optarg, 0, LLONG_MAX, ch);
			break;
		case 'F':
			fake.fail_status = (int)parse_num(optarg, 100, 599, ch);
			break;
		case 'R':
			fake.fail_pct = (int)parse_num(optarg, 0, 100, ch);
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'P':
			portfile = optarg;
			break;
		case 'p':
			port = (int)parse_num(optarg, 0, 65535, ch);
			break;
		case 'r':
			fake.retry_after = parse_num(optarg, 0, LLONG_MAX, ch);
			break;
		case 's':
			fake.status = (int)parse_num(optarg, 100, 599, ch);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("fake_webhook", verbose);
	signal(SIGPIPE, SIG_IGN);

	if (outfile != NULL && (fake.out = fopen(outfile, "a")) == NULL)
		fatal("%s", outfile);
	if (dumpfile != NULL && (fake.dump = fopen(dumpfile, "a")) == NULL)
		fatal("%s", dumpfile);
	if (bodyfile != NULL)
		read_file(bodyfile, &fake.fail_body, &fake.fail_body_len);
	if ((fake.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if ((fake.http = evhttp_new(fake.base)) == NULL)
		fatalx("evhttp_new");
	evhttp_set_allowed_methods(fake.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(fake.http, fake_request, &fake);
	/* -k: a connection idle that long is closed (evhttp's own timeout). */
	if (idle_s > 0)
		evhttp_set_timeout(fake.http, idle_s);
	if ((bs = evhttp_bind_socket_with_handle(fake.http, addr,
	    (ev_uint16_t)port)) == NULL)
		fatalx("cannot listen on %s port %d", addr, port);
	port = bound_port(bs);

	fake.ev_term = evsignal_new(fake.base, SIGTERM, fake_signal, &fake);
	fake.ev_int = evsignal_new(fake.base, SIGINT, fake_signal, &fake);
	if (fake.ev_term == NULL || fake.ev_int == NULL ||
	    evsignal_add(fake.ev_term, NULL) == -1 ||
	    evsignal_add(fake.ev_int, NULL) == -1)
		fatalx("cannot set up signal events");

	if (portfile != NULL)
		write_portfile(portfile, port);
	log_info("listening on %s port %d (libevent %s, jansson %s)", addr,
	    port, event_get_version(), JANSSON_VERSION);

	event_base_dispatch(fake.base);

	fake_flush_pending(&fake);
	evhttp_free(fake.http);
	event_free(fake.ev_term);
	event_free(fake.ev_int);
	event_base_free(fake.base);
	if (fake.out != NULL)
		fclose(fake.out);
	if (fake.dump != NULL)
		fclose(fake.dump);
	free(fake.fail_body);
	return 0;
}
