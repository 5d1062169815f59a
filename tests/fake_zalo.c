/* A fake of the three Zalo hosts (OA API v3, ZNS, OAuth v4) for the scenario tests, with scripted faults; it also posts OA webhook events. */
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
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
#include <openssl/evp.h>

#include "fakeutil.h"
#include "log.h"
#include "xmalloc.h"

#define ZALO_EXPIRES_IN		90000	/* seconds, as Zalo issues them */
#define ZALO_SLOW_MS		5000
#define ZALO_ZNS_QUOTA		500
#define ZALO_RATE_LIMIT		4000	/* OA requests a minute, per app */
#define ZALO_TEXT_MAX		2000	/* code points in a cs text */
#define ZALO_TOKEN_BYTES	32	/* random bytes in a token */
#define ZALO_MAX_MS		3600000LL
#define ZALO_OA_ID		"1000000000000000001"	/* the OA's own id */
#define EVENT_TIMEOUT_S		30	/* posting one event */
#define EVENT_REPEAT_MAX	10
#define EVENT_PAD_MAX		(16 * 1024 * 1024)
#define EVENT_ECHO_MAX		65536	/* bodies up to this are echoed */

enum kind {
	KIND_CS,
	KIND_ZNS,
};

static const char *const kind_names[] = { "cs", "zns" };

enum refresh_mode {
	REFRESH_NORMAL,
	REFRESH_EMPTY,
	REFRESH_SLOW,
	REFRESH_ERROR,
};

static const char *const refresh_modes[] = { "normal", "empty", "slow",
    "error", NULL };

/* A reply held back by a timer (delay_ms, slow_ms). */
struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct fake		*fake;
	struct evhttp_request	*req;
	struct event		*timer;
	int			 status;
	json_t			*body;		/* NULL: empty body */
};

/* An OA webhook event being posted for POST /_event, tries times. */
struct post {
	TAILQ_ENTRY(post)	 entry;
	struct fake		*fake;
	struct evhttp_request	*control;	/* answered after the last try */
	struct evhttp_connection *conn;		/* of the try in flight */
	char			*host;
	int			 port;
	char			*path;		/* with the query */
	char			*body;
	size_t			 len;
	char			*signature;	/* the header; NULL: none */
	const char		*sign;		/* how it was signed, for the log */
	char			*name;		/* event_name, for the log */
	long long		 tries, done;
	long long		 recv;		/* when the try began */
	json_t			*status;	/* the answer to each try */
};

struct fake {
	struct event_base	*base;
	struct evhttp		*http;
	struct event		*ev_term;
	struct event		*ev_int;
	FILE			*out;
	const char		*app_id;
	const char		*secret;
	const char		*oa_secret;	/* signs events; NULL: none */
	const char		*oa_id;
	const char		*event_url;	/* default url of /_event */
	char			*access_token;	/* NULL: none issued */
	long long		 access_expires;	/* monotonic ms */
	long long		 access_sends;	/* ok sends left; -1: no limit */
	char			*refresh_token;	/* the only one that works */
	long long		 expires_in;	/* seconds, for tokens issued */
	enum refresh_mode	 refresh_mode;
	long long		 slow_ms;
	long long		 delay_ms;	/* of every message reply */
	json_t			*cs_error;	/* user_id -> code */
	json_t			*zns_error;	/* phone -> code */
	json_t			*next_errors;	/* codes, taken from the front */
	long long		 zns_daily;
	long long		 zns_remaining;
	int			 http_status;
	long long		 http_count;	/* message requests still to fail */
	long long		 rate_limit;	/* 0: none */
	long long		 rate_minute;
	long long		 rate_used;
	unsigned long long	 cs_ok;
	unsigned long long	 zns_ok;
	unsigned long long	 refreshes;
	unsigned long long	 refresh_failures;
	unsigned long long	 rejected;
	TAILQ_HEAD(, pending)	 pending;
	TAILQ_HEAD(, post)	 posts;
};

static const struct {
	int		 code;
	const char	*msg;
} error_messages[] = {
	{ -32, "Your application/OA reached limit call api" },
	{ -100, "Unknown error" },
	{ -108, "Phone number invalid" },
	{ -109, "Template ID invalid" },
	{ -111, "Template data empty" },
	{ -112, "Template data invalid" },
	{ -115, "Out of quota" },
	{ -118, "Zalo account does not exist" },
	{ -119, "Account cannot receive the message" },
	{ -124, "Access token invalid" },
	{ -133, "Cannot send ZNS at night (22h-6h)" },
	{ -144, "OA has exceeded its daily quota" },
	{ -200, "Send message failed" },
	{ -201, "Parameters are invalid!" },
	{ -210, "Parameter exceeds allowable limit" },
	{ -213, "User has not followed OA" },
	{ -216, "Access token is invalid" },
	{ -217, "User has blocked invitation from OA" },
	{ -220, "Access token is expired or removed" },
	{ -227, "User has been banned or inactive for more than 45 days" },
	{ -230, "User has not interacted with the OA in the past 7 days" },
	{ -232, "User has not interacted or the last interaction expired" },
	{ -234, "Cannot send at night (22h-6h)" },
};

static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr, "usage: fake_zalo [-v] [-a addr] [-p port] "
	    "[-P portfile] [-o outfile]\n"
	    "\t--app-id id --secret secret --refresh-token rt\n"
	    "\t[--access-token at] [--expires-in s] [--zns-quota n] "
	    "[--rate-limit n]\n"
	    "\t[--oa-secret key] [--oa-id id] [--event-url url]\n");
	exit(2);
}

/* Parses a decimal number in [min, max] or dies naming the option. */
static long long
parse_num(const char *s, long long min, long long max, const char *opt)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		fatalx("%s: %s: not a number in [%lld, %lld]", opt, s, min,
		    max);
	return v;
}

static long long
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes 2 * n random lowercase hex digits and a NUL to out. */
static void
random_hex(char *out, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 buf[64];
	size_t			 i;

	if (n > sizeof(buf))
		fatalx("random_hex: %zu bytes", n);
	if (getrandom(buf, n, 0) != (ssize_t)n)
		fatal("getrandom");
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[buf[i] >> 4];
		out[2 * i + 1] = hex[buf[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* A new random token "PREFIX-<hex>"; the caller frees it. */
static char *
token_new(const char *prefix)
{
	char	 hex[2 * ZALO_TOKEN_BYTES + 1];
	char	*t;

	random_hex(hex, ZALO_TOKEN_BYTES);
	xasprintf(&t, "%s-%s", prefix, hex);
	return t;
}

/* At most the first 4 characters of a token, for the log: never a whole one. */
static const char *
redact(const char *t, char *buf, size_t len)
{
	if (t == NULL)
		return "none";
	snprintf(buf, len, "%.4s...", t);
	return buf;
}

static const char *
error_message(int code)
{
	size_t	i;

	for (i = 0; i < sizeof(error_messages) / sizeof(error_messages[0]);
	    i++)
		if (error_messages[i].code == code)
			return error_messages[i].msg;
	return "Error";
}

/* Code points in valid UTF-8 (jansson checked it when parsing). */
static size_t
utf8_length(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* ^84[0-9]{9,10}$ */
static int
phone_valid(const char *s)
{
	size_t	i, n = strlen(s);

	if (n < 11 || n > 12 || strncmp(s, "84", 2) != 0)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The reply, now; takes ownership of body (NULL: an empty body). */
static void
reply_now(struct evhttp_request *req, int status, json_t *body)
{
	struct evbuffer	*buf = NULL;
	char		*s;

	if (body != NULL) {
		s = json_dumps(body, JSON_COMPACT);
		json_decref(body);
		if (s == NULL || (buf = evbuffer_new()) == NULL)
			fatalx("out of memory");
		evbuffer_add(buf, s, strlen(s));
		free(s);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "application/json; charset=utf-8");
	}
	evhttp_send_reply(req, status, NULL, buf);
	if (buf != NULL)
		evbuffer_free(buf);
}

/*
 * A held-back reply is due. libevent allows a non-persistent event to be
 * freed from its own callback, and the timer belongs to us, not to evhttp.
 * If the client has gone, evhttp_send_reply just frees the request.
 */
static void
pending_fire(evutil_socket_t fd, short what, void *arg)
{
	struct pending	*p = arg;

	(void)fd;
	(void)what;
	TAILQ_REMOVE(&p->fake->pending, p, entry);
	reply_now(p->req, p->status, p->body);
	event_free(p->timer);
	free(p);
}

/* Replies now, or after delay ms; takes ownership of body. */
static void
fake_reply(struct fake *fake, struct evhttp_request *req, int status,
    json_t *body, long long delay)
{
	struct pending	*p;
	struct timeval	 tv;

	if (delay <= 0) {
		reply_now(req, status, body);
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->fake = fake;
	p->req = req;
	p->status = status;
	p->body = body;
	if ((p->timer = evtimer_new(fake->base, pending_fire, p)) == NULL)
		fatalx("evtimer_new");
	tv.tv_sec = delay / 1000;
	tv.tv_usec = (delay % 1000) * 1000;
	TAILQ_INSERT_TAIL(&fake->pending, p, entry);
	evtimer_add(p->timer, &tv);
}

/* Answers what is still held back so evhttp_free can release every request. */
static void
fake_flush_pending(struct fake *fake)
{
	struct pending	*p;

	while ((p = TAILQ_FIRST(&fake->pending)) != NULL) {
		TAILQ_REMOVE(&fake->pending, p, entry);
		json_decref(p->body);
		reply_now(p->req, 503, NULL);
		event_free(p->timer);
		free(p);
	}
}

/* The body as a NUL-terminated string, or NULL if empty; the caller frees it. */
static char *
body_string(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	char		*s;

	if (len == 0)
		return NULL;
	s = xmalloc(len + 1);
	if (evbuffer_copyout(in, s, len) != (ev_ssize_t)len)
		fatalx("evbuffer_copyout");
	s[len] = '\0';
	return s;
}

/* Parses the request body as a JSON object, or returns NULL. */
static json_t *
body_json(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	unsigned char	*data;
	json_t		*root;

	if (len == 0 || (data = evbuffer_pullup(in, -1)) == NULL)
		return NULL;
	root = json_loadb((const char *)data, len, 0, NULL);
	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static const char *
header(struct evhttp_request *req, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(req), name);
}

/* Writes s with tabs and line breaks made '_', so it stays one column. */
static void
put_field(FILE *f, const char *s)
{
	fputc('\t', f);
	for (; *s != '\0'; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? '_' : *s, f);
}

/*
 * Appends KIND TAB RESULT TAB RECV_MS TAB KEY [TAB PAYLOAD [TAB TRACKING
 * [TAB MSG_ID]]]. payload is compact JSON; never a token. A send that got
 * a message id has all seven, TRACKING "-" when there is none (cs).
 */
static void
fake_record(struct fake *fake, const char *kind, const char *result,
    long long recv, const char *key, json_t *payload, const char *tracking,
    const char *msg_id)
{
	char	*s;

	if (fake->out == NULL)
		return;
	fprintf(fake->out, "%s\t%s\t%lld", kind, result, recv);
	put_field(fake->out, key);
	if (payload != NULL) {
		if ((s = json_dumps(payload, JSON_COMPACT |
		    JSON_ENCODE_ANY)) == NULL)
			fatalx("out of memory");
		put_field(fake->out, s);
		free(s);
	}
	if (tracking != NULL || msg_id != NULL)
		put_field(fake->out, tracking != NULL ? tracking : "-");
	if (msg_id != NULL)
		put_field(fake->out, msg_id);
	fputc('\n', fake->out);
	fflush(fake->out);
}

static void
fake_record_code(struct fake *fake, const char *kind, int code,
    long long recv, const char *key)
{
	char	result[16];

	snprintf(result, sizeof(result), "%d", code);
	fake_record(fake, kind, result, recv, key, NULL, NULL, NULL);
}

/* The current access token can be used: issued, not past its time or count. */
static int
access_valid(struct fake *fake)
{
	return fake->access_token != NULL && fake->access_sends != 0 &&
	    mono_ms() < fake->access_expires;
}

/* 0, or the code for a missing, unknown or expired access_token header. */
static int
token_check(struct fake *fake, struct evhttp_request *req, enum kind kind)
{
	const char	*at = header(req, "access_token");
	char		 buf[8];

	if (at == NULL || fake->access_token == NULL ||
	    strcmp(at, fake->access_token) != 0) {
		log_debug("%s: access token %s is not the current one",
		    kind_names[kind], redact(at, buf, sizeof(buf)));
		return kind == KIND_CS ? -216 : -124;
	}
	if (!access_valid(fake))
		return -220;
	return 0;
}

static int
content_is_json(struct evhttp_request *req)
{
	const char	*ct = header(req, "Content-Type");

	return ct != NULL && strncasecmp(ct, "application/json", 16) == 0;
}

/* The code scripted for key in map, or 0. */
static int
scripted(json_t *map, const char *key)
{
	json_t	*m = json_object_get(map, key);

	return json_is_integer(m) ? (int)json_integer_value(m) : 0;
}

/* The next scripted error for either message endpoint, or 0. */
static int
next_error(struct fake *fake)
{
	json_t	*m;
	int	 code;

	if ((m = json_array_get(fake->next_errors, 0)) == NULL)
		return 0;
	code = (int)json_integer_value(m);
	json_array_remove(fake->next_errors, 0);
	return code;
}

/* Counts a cs request against the per-minute bucket; 0, or -32 when over. */
static int
rate_take(struct fake *fake, struct evhttp_request *req)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	long long		 minute = now_ms() / 60000, remain;
	char			 num[32];

	if (fake->rate_limit == 0)
		return 0;
	if (minute != fake->rate_minute) {
		fake->rate_minute = minute;
		fake->rate_used = 0;
	}
	fake->rate_used++;
	remain = fake->rate_limit - fake->rate_used;
	snprintf(num, sizeof(num), "%lld", fake->rate_limit);
	evhttp_add_header(h, "X-RateLimit-Limit", num);
	snprintf(num, sizeof(num), "%lld", remain < 0 ? 0 : remain);
	evhttp_add_header(h, "X-RateLimit-Remain", num);
	return remain < 0 ? -32 : 0;
}

/* Checks a cs request; 0, or a code and maybe a message in *msg. */
static int
cs_check(struct fake *fake, struct evhttp_request *req, json_t *root,
    const char **msg)
{
	json_t	*uid, *message, *text;
	int	 code;

	if ((code = token_check(fake, req, KIND_CS)) != 0)
		return code;
	if (!content_is_json(req)) {
		*msg = "Content-Type must be application/json";
		return -201;
	}
	if (root == NULL) {
		*msg = "body is invalid!";
		return -201;
	}
	uid = json_object_get(json_object_get(root, "recipient"), "user_id");
	if (!json_is_string(uid) || json_string_length(uid) == 0) {
		*msg = "user_id is invalid!";
		return -201;
	}
	message = json_object_get(root, "message");
	text = json_object_get(message, "text");
	if (json_is_string(text)) {
		if (json_string_length(text) == 0) {
			*msg = "text is invalid!";
			return -201;
		}
		if (utf8_length(json_string_value(text)) > ZALO_TEXT_MAX)
			return -210;
	} else if (text != NULL ||
	    !json_is_object(json_object_get(message, "attachment"))) {
		*msg = "message is invalid!";
		return -201;
	}
	return scripted(fake->cs_error, json_string_value(uid));
}

/* Checks a ZNS request; 0, or a code and maybe a message in *msg. */
static int
zns_check(struct fake *fake, struct evhttp_request *req, json_t *root,
    const char **msg)
{
	json_t		*phone, *tid, *data, *v;
	const char	*k;
	int		 code;

	if ((code = token_check(fake, req, KIND_ZNS)) != 0)
		return code;
	if (!content_is_json(req)) {
		*msg = "Content-Type must be application/json";
		return -100;
	}
	if (root == NULL) {
		*msg = "body is invalid";
		return -100;
	}
	phone = json_object_get(root, "phone");
	if (!json_is_string(phone) || !phone_valid(json_string_value(phone)))
		return -108;
	tid = json_object_get(root, "template_id");
	if (!json_is_string(tid) || json_string_length(tid) == 0)
		return -109;
	data = json_object_get(root, "template_data");
	if (!json_is_object(data) || json_object_size(data) == 0)
		return -111;
	json_object_foreach(data, k, v) {
		if (!json_is_string(v)) {
			*msg = "Template data invalid: values must be strings";
			return -112;
		}
	}
	if (!json_is_string(json_object_get(root, "tracking_id")) ||
	    json_string_length(json_object_get(root, "tracking_id")) == 0) {
		*msg = "tracking_id is invalid";
		return -100;
	}
	if ((code = scripted(fake->zns_error, json_string_value(phone))) != 0)
		return code;
	if (fake->zns_remaining <= 0)
		return -144;
	return 0;
}

/* A successful send used the access token once more. */
static void
access_used(struct fake *fake)
{
	char	buf[8];

	if (fake->access_sends > 0 && --fake->access_sends == 0)
		log_info("access token %s used up: now -220",
		    redact(fake->access_token, buf, sizeof(buf)));
}

static json_t *
ms_string(long long ms)
{
	char	num[32];

	snprintf(num, sizeof(num), "%lld", ms);
	return json_string(num);
}

/* The data member of a successful send; counts it. */
static json_t *
fake_success(struct fake *fake, enum kind kind, json_t *root, json_t **payload,
    const char **tracking)
{
	json_t	*message, *quota;
	char	 id[21], daily[32], remain[32];

	random_hex(id, 10);
	access_used(fake);
	if (kind == KIND_CS) {
		fake->cs_ok++;
		message = json_object_get(root, "message");
		if ((*payload = json_object_get(message, "text")) == NULL)
			*payload = json_object_get(message, "attachment");
		return json_pack("{s:s,s:O,s:o}", "message_id", id,
		    "user_id", json_object_get(json_object_get(root,
		    "recipient"), "user_id"), "sent_time", ms_string(now_ms()));
	}
	fake->zns_ok++;
	fake->zns_remaining--;
	*payload = json_object_get(root, "template_data");
	*tracking = json_string_value(json_object_get(root, "tracking_id"));
	snprintf(daily, sizeof(daily), "%lld", fake->zns_daily);
	snprintf(remain, sizeof(remain), "%lld", fake->zns_remaining);
	quota = json_pack("{s:s,s:s}", "dailyQuota", daily,
	    "remainingQuota", remain);
	return json_pack("{s:s,s:o,s:s,s:o}", "msg_id", id,
	    "sent_time", ms_string(now_ms()), "sending_mode", "1",
	    "quota", quota);
}

/* POST /v3.0/oa/message/cs and POST /message/template. */
static void
fake_message(struct fake *fake, struct evhttp_request *req, enum kind kind)
{
	json_t		*root, *data, *payload = NULL, *reply;
	const char	*key = NULL, *msg = NULL, *tracking = NULL;
	const char	*kname = kind_names[kind];
	char		 result[16];
	long long	 recv = now_ms();
	int		 code, rate;

	root = body_json(req);
	if (kind == KIND_CS)
		key = json_string_value(json_object_get(json_object_get(root,
		    "recipient"), "user_id"));
	else
		key = json_string_value(json_object_get(root, "phone"));
	if (key == NULL || *key == '\0')
		key = "-";
	rate = kind == KIND_CS ? rate_take(fake, req) : 0;

	if (fake->http_count > 0) {
		fake->http_count--;
		fake->rejected++;
		snprintf(result, sizeof(result), "http%d", fake->http_status);
		fake_record(fake, kname, result, recv, key, NULL, NULL, NULL);
		log_debug("%s %s: scripted HTTP %d", kname, key,
		    fake->http_status);
		fake_reply(fake, req, fake->http_status, NULL, fake->delay_ms);
		json_decref(root);
		return;
	}
	if ((code = next_error(fake)) == 0 && (code = rate) == 0)
		code = kind == KIND_CS ? cs_check(fake, req, root, &msg) :
		    zns_check(fake, req, root, &msg);
	if (code != 0) {
		fake->rejected++;
		fake_record_code(fake, kname, code, recv, key);
		log_debug("%s %s: error %d", kname, key, code);
		reply = json_pack("{s:i,s:s}", "error", code, "message",
		    msg != NULL ? msg : error_message(code));
	} else {
		data = fake_success(fake, kind, root, &payload, &tracking);
		fake_record(fake, kname, "0", recv, key, payload, tracking,
		    json_string_value(json_object_get(data,
		    kind == KIND_CS ? "message_id" : "msg_id")));
		log_debug("%s %s: sent", kname, key);
		reply = json_pack("{s:i,s:s,s:o}", "error", 0,
		    "message", "Success", "data", data);
	}
	if (reply == NULL)
		fatalx("json_pack");
	json_decref(root);
	fake_reply(fake, req, 200, reply, fake->delay_ms);
}

/* An OAuth error: HTTP 200 with error_name-style members. */
static void
oauth_error(struct fake *fake, struct evhttp_request *req, long long recv,
    int code, const char *name, const char *desc)
{
	fake->refresh_failures++;
	fake_record_code(fake, "refresh", code, recv, "-");
	log_info("refresh refused: %d %s", code, name);
	fake_reply(fake, req, 200, json_pack("{s:i,s:s,s:s,s:s}",
	    "error", code, "error_name", name, "error_description", desc,
	    "error_reason", ""), 0);
}

/* Issues a new pair; the presented refresh token and the old access token die. */
static void
fake_rotate(struct fake *fake)
{
	char	*at, *rt, b1[8], b2[8], b3[8], b4[8];

	at = token_new("AT");
	rt = token_new("RT");
	log_info("refresh: refresh token %s replaced by %s, access token %s "
	    "by %s, expires in %lld s",
	    redact(fake->refresh_token, b1, sizeof(b1)),
	    redact(rt, b2, sizeof(b2)),
	    redact(fake->access_token, b3, sizeof(b3)),
	    redact(at, b4, sizeof(b4)), fake->expires_in);
	free(fake->access_token);
	free(fake->refresh_token);
	fake->access_token = at;
	fake->refresh_token = rt;
	fake->access_expires = mono_ms() + fake->expires_in * 1000;
	fake->access_sends = -1;
	fake->refreshes++;
}

/* POST /v4/oa/access_token with grant_type=refresh_token. */
static void
fake_refresh(struct fake *fake, struct evhttp_request *req)
{
	struct evkeyvalq	 form;
	const char		*secret, *app_id, *grant, *rt;
	char			*body, num[32];
	long long		 recv = now_ms();

	TAILQ_INIT(&form);
	if ((body = body_string(req)) != NULL &&
	    evhttp_parse_query_str(body, &form) == -1)
		evhttp_clear_headers(&form);
	free(body);
	secret = header(req, "secret_key");
	app_id = evhttp_find_header(&form, "app_id");
	grant = evhttp_find_header(&form, "grant_type");
	rt = evhttp_find_header(&form, "refresh_token");

	if (secret == NULL || strcmp(secret, fake->secret) != 0)
		oauth_error(fake, req, recv, -14002, "Invalid app secret",
		    "The secret_key header does not match the app secret");
	else if (app_id == NULL || strcmp(app_id, fake->app_id) != 0)
		oauth_error(fake, req, recv, -14001, "Invalid app id",
		    "app_id is missing or is not this app");
	else if (grant == NULL || strcmp(grant, "refresh_token") != 0)
		oauth_error(fake, req, recv, -14006, "Invalid grant type",
		    "grant_type must be refresh_token");
	else if (fake->refresh_mode == REFRESH_ERROR || rt == NULL ||
	    fake->refresh_token == NULL || strcmp(rt, fake->refresh_token) != 0)
		oauth_error(fake, req, recv, -14014, "Invalid refresh token",
		    "The refresh token is invalid, expired or already used");
	else if (fake->refresh_mode == REFRESH_EMPTY) {
		fake->refresh_failures++;
		fake_record(fake, "refresh", "empty", recv, "-", NULL, NULL, NULL);
		log_info("refresh: scripted empty reply, no rotation");
		fake_reply(fake, req, 200, json_object(), 0);
	} else {
		fake_rotate(fake);
		fake_record(fake, "refresh", "0", recv, "-", NULL, NULL, NULL);
		snprintf(num, sizeof(num), "%lld", fake->expires_in);
		fake_reply(fake, req, 200, json_pack("{s:s,s:s,s:s}",
		    "access_token", fake->access_token,
		    "refresh_token", fake->refresh_token,
		    "expires_in", num),
		    fake->refresh_mode == REFRESH_SLOW ? fake->slow_ms : 0);
	}
	evhttp_clear_headers(&form);
}

static json_t *
fake_settings(struct fake *fake)
{
	json_t	*o;

	o = json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:i,s:I,s:I,s:O,s:O,s:O}",
	    "expires_in", (json_int_t)fake->expires_in,
	    "refresh_mode", refresh_modes[fake->refresh_mode],
	    "slow_ms", (json_int_t)fake->slow_ms,
	    "delay_ms", (json_int_t)fake->delay_ms,
	    "expire_access_after", (json_int_t)fake->access_sends,
	    "zns_quota", (json_int_t)fake->zns_daily,
	    "zns_remaining", (json_int_t)fake->zns_remaining,
	    "http_status", fake->http_status,
	    "count", (json_int_t)fake->http_count,
	    "rate_limit", (json_int_t)fake->rate_limit,
	    "next_errors", fake->next_errors,
	    "cs_error", fake->cs_error,
	    "zns_error", fake->zns_error);
	if (o == NULL)
		fatalx("json_pack");
	return o;
}

/* A map member (key -> code or null) is well formed, or absent. */
static int
control_map(json_t *root, const char *key)
{
	json_t		*m, *v;
	const char	*k;

	if ((m = json_object_get(root, key)) == NULL)
		return 0;
	if (!json_is_object(m))
		return -1;
	json_object_foreach(m, k, v)
		if (!json_is_integer(v) && !json_is_null(v))
			return -1;
	return 0;
}

/* Merges a map member into map: a code marks the key, 0 or null clears it. */
static void
control_merge(json_t *map, json_t *m)
{
	json_t		*v;
	const char	*k;

	json_object_foreach(m, k, v) {
		if (json_is_null(v) || json_integer_value(v) == 0)
			json_object_del(map, k);
		else
			json_object_set(map, k, v);
	}
}

static const char *const control_members[] = { "expire_access_after",
    "expires_in", "refresh_mode", "slow_ms", "cs_error", "zns_error",
    "next_errors", "delay_ms", "zns_quota", "http_status", "count",
    "rate_limit", NULL };

/* Checks every member of a control body; 0, or -1 with the culprit in *bad. */
static int
control_check(json_t *root, const char **bad, int *mode)
{
	json_t		*m, *v;
	const char	*k;
	size_t		 i;
	long long	 x;

	json_object_foreach(root, k, v) {
		for (i = 0; control_members[i] != NULL; i++)
			if (strcmp(k, control_members[i]) == 0)
				break;
		if (control_members[i] == NULL) {
			*bad = k;
			return -1;
		}
	}
#define CHECK(c, name)	do { if (c) { *bad = (name); return -1; } } while (0)
	CHECK(control_int(root, "expire_access_after", -1, LLONG_MAX, &x),
	    "expire_access_after");
	CHECK(control_int(root, "expires_in", 1, 100LL * 365 * 86400, &x),
	    "expires_in");
	CHECK(control_int(root, "slow_ms", 0, ZALO_MAX_MS, &x), "slow_ms");
	CHECK(control_int(root, "delay_ms", 0, ZALO_MAX_MS, &x), "delay_ms");
	CHECK(control_int(root, "zns_quota", 0, LLONG_MAX, &x), "zns_quota");
	CHECK(control_int(root, "http_status", 100, 599, &x), "http_status");
	CHECK(control_int(root, "count", 0, LLONG_MAX, &x), "count");
	CHECK(control_int(root, "rate_limit", 0, LLONG_MAX, &x), "rate_limit");
	CHECK(control_map(root, "cs_error"), "cs_error");
	CHECK(control_map(root, "zns_error"), "zns_error");
	if ((m = json_object_get(root, "next_errors")) != NULL) {
		CHECK(!json_is_array(m), "next_errors");
		json_array_foreach(m, i, v)
			CHECK(!json_is_integer(v) || json_integer_value(v) == 0 ||
			    json_integer_value(v) < INT_MIN ||
			    json_integer_value(v) > INT_MAX, "next_errors");
	}
	if ((m = json_object_get(root, "refresh_mode")) != NULL) {
		CHECK(!json_is_string(m), "refresh_mode");
		for (i = 0; refresh_modes[i] != NULL; i++)
			if (strcmp(json_string_value(m), refresh_modes[i]) == 0)
				break;
		CHECK(refresh_modes[i] == NULL, "refresh_mode");
		*mode = (int)i;
	}
#undef CHECK
	return 0;
}

/* POST /_control: changes the members present; all or none. */
static void
fake_control(struct fake *fake, struct evhttp_request *req)
{
	json_t		*root, *m;
	const char	*bad = NULL;
	long long	 status = fake->http_status;
	int		 mode = (int)fake->refresh_mode;

	if ((root = body_json(req)) == NULL) {
		fake_reply(fake, req, 400, json_pack("{s:s}", "error",
		    "body is not a JSON object"), 0);
		return;
	}
	if (control_check(root, &bad, &mode) == -1) {
		log_warnx("control: bad member %s", bad);
		fake_reply(fake, req, 400, json_pack("{s:s,s:s}", "error",
		    "bad or unknown member", "member", bad), 0);
		json_decref(root);
		return;
	}
	control_int(root, "expire_access_after", -1, LLONG_MAX,
	    &fake->access_sends);
	control_int(root, "expires_in", 1, LLONG_MAX, &fake->expires_in);
	control_int(root, "slow_ms", 0, ZALO_MAX_MS, &fake->slow_ms);
	control_int(root, "delay_ms", 0, ZALO_MAX_MS, &fake->delay_ms);
	control_int(root, "rate_limit", 0, LLONG_MAX, &fake->rate_limit);
	if (control_int(root, "zns_quota", 0, LLONG_MAX, &fake->zns_daily) ==
	    0 && json_object_get(root, "zns_quota") != NULL)
		fake->zns_remaining = fake->zns_daily;
	if (json_object_get(root, "http_status") != NULL) {
		control_int(root, "http_status", 100, 599, &status);
		fake->http_status = (int)status;
		fake->http_count = 1;
	}
	control_int(root, "count", 0, LLONG_MAX, &fake->http_count);
	fake->refresh_mode = (enum refresh_mode)mode;
	if ((m = json_object_get(root, "cs_error")) != NULL)
		control_merge(fake->cs_error, m);
	if ((m = json_object_get(root, "zns_error")) != NULL)
		control_merge(fake->zns_error, m);
	if ((m = json_object_get(root, "next_errors")) != NULL) {
		json_array_clear(fake->next_errors);
		json_array_extend(fake->next_errors, m);
	}
	json_decref(root);
	log_info("control: refresh %s, delay %lld ms, %lld x HTTP %d, "
	    "%zu scripted errors, zns quota %lld/%lld",
	    refresh_modes[fake->refresh_mode], fake->delay_ms,
	    fake->http_count, fake->http_status,
	    json_array_size(fake->next_errors), fake->zns_remaining,
	    fake->zns_daily);
	fake_reply(fake, req, 200, fake_settings(fake), 0);
}

static void
fake_stats(struct fake *fake, struct evhttp_request *req)
{
	fake_reply(fake, req, 200, json_pack("{s:I,s:I,s:I,s:I,s:I,s:b,s:I}",
	    "cs_ok", (json_int_t)fake->cs_ok,
	    "zns_ok", (json_int_t)fake->zns_ok,
	    "refreshes", (json_int_t)fake->refreshes,
	    "refresh_failures", (json_int_t)fake->refresh_failures,
	    "rejected", (json_int_t)fake->rejected,
	    "access_token_valid", access_valid(fake),
	    "zns_remaining", (json_int_t)fake->zns_remaining), 0);
}

/* GET /_tokens: the current pair, for tests that compare it with the daemon's store. */
static void
fake_tokens(struct fake *fake, struct evhttp_request *req)
{
	fake_reply(fake, req, 200, json_pack("{s:s?,s:s?}",
	    "access_token", fake->access_token,
	    "refresh_token", fake->refresh_token), 0);
}

/* --- OA webhook events: POST /_event ---------------------------------------- */

/*
 * The member of an event that goes into its signature, as text: a string,
 * or an integer as its digits; "" when absent.
 */
static void
event_member(json_t *root, const char *name, char *buf, size_t len)
{
	json_t	*m = json_object_get(root, name);

	if (json_is_string(m))
		snprintf(buf, len, "%s", json_string_value(m));
	else if (json_is_integer(m))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(m));
	else
		buf[0] = '\0';
}

/*
 * The X-ZEvent-Signature value Zalo sends (reference §8b): "mac=" and the
 * hex SHA-256 of app_id + body + timestamp + OA secret key. Worked out
 * here on its own, not with common/sign.c, so that the fake checks the
 * daemon rather than agreeing with it.
 */
static char *
event_signature(const char *body, size_t len, const char *fallback_app,
    const char *key)
{
	static const char	 hex[] = "0123456789abcdef";
	EVP_MD_CTX		*ctx;
	json_t			*root;
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;
	char			 app[256], ts[64], *out;

	if ((root = json_loadb(body, len, 0, NULL)) != NULL) {
		event_member(root, "app_id", app, sizeof(app));
		event_member(root, "timestamp", ts, sizeof(ts));
		json_decref(root);
	} else {
		snprintf(app, sizeof(app), "%s", fallback_app);
		ts[0] = '\0';
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, app, strlen(app)) != 1 ||
	    EVP_DigestUpdate(ctx, body, len) != 1 ||
	    EVP_DigestUpdate(ctx, ts, strlen(ts)) != 1 ||
	    EVP_DigestUpdate(ctx, key, strlen(key)) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		fatalx("SHA-256 failed");
	EVP_MD_CTX_free(ctx);
	out = xmalloc(4 + 2 * mdlen + 1);
	memcpy(out, "mac=", 4);
	for (i = 0; i < mdlen; i++) {
		out[4 + 2 * i] = hex[md[i] >> 4];
		out[4 + 2 * i + 1] = hex[md[i] & 0xf];
	}
	out[4 + 2 * mdlen] = '\0';
	return out;
}

/*
 * The event as Zalo would post it: app_id first when the test gave none,
 * the OA's side of sender/recipient filled in for user_* events (the
 * sender of user_received_message and user_seen_message, the recipient
 * of the others), message.msg_id for user_send_text, a timestamp (epoch
 * ms as a string). Then a "padding" member to make it pad_to bytes. The
 * caller frees it.
 */
static char *
event_body(struct fake *fake, json_t *event, const char *app_id,
    long long pad_to, size_t *len)
{
	json_t		*o, *m;
	const char	*name, *side;
	char		*s, id[21], *fill;
	size_t		 n, pad = strlen(",\"padding\":\"\"");

	if ((o = json_object()) == NULL)
		fatalx("out of memory");
	if (json_object_get(event, "app_id") == NULL)
		json_object_set_new(o, "app_id", json_string(app_id));
	json_object_update(o, event);
	name = json_string_value(json_object_get(o, "event_name"));
	if (name != NULL && strncmp(name, "user_", 5) == 0) {
		side = strcmp(name, "user_received_message") == 0 ||
		    strcmp(name, "user_seen_message") == 0 ? "sender" :
		    "recipient";
		if (json_object_get(o, side) == NULL)
			json_object_set_new(o, side, json_pack("{s:s}", "id",
			    fake->oa_id));
		m = json_object_get(o, "message");
		if (strcmp(name, "user_send_text") == 0 && json_is_object(m) &&
		    json_object_get(m, "msg_id") == NULL) {
			random_hex(id, 10);
			json_object_set_new(m, "msg_id", json_string(id));
		}
	}
	if (json_object_get(o, "timestamp") == NULL)
		json_object_set_new(o, "timestamp", ms_string(now_ms()));
	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("out of memory");
	n = strlen(s);
	if (pad_to > 0 && (size_t)pad_to > n + pad) {
		free(s);
		fill = xmalloc((size_t)pad_to - n - pad + 1);
		memset(fill, 'x', (size_t)pad_to - n - pad);
		fill[(size_t)pad_to - n - pad] = '\0';
		json_object_set_new(o, "padding", json_string(fill));
		free(fill);
		if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
			fatalx("out of memory");
		n = strlen(s);
	}
	json_decref(o);
	*len = n;
	return s;
}

static void	post_start(struct post *);

static void
post_free(struct post *p)
{
	if (p->conn != NULL)
		evhttp_connection_free(p->conn);
	free(p->host);
	free(p->path);
	free(p->body);
	free(p->signature);
	free(p->name);
	json_decref(p->status);
	free(p);
}

/* After a try, on the next loop pass: its connection is ours to free now. */
static void
post_next(evutil_socket_t fd, short what, void *arg)
{
	struct post	*p = arg;
	struct fake	*fake = p->fake;
	json_t		*reply;

	(void)fd;
	(void)what;
	evhttp_connection_free(p->conn);
	p->conn = NULL;
	if (++p->done < p->tries) {
		post_start(p);
		return;
	}
	TAILQ_REMOVE(&fake->posts, p, entry);
	reply = json_pack("{s:O,s:I,s:s?}", "status", p->status,
	    "bytes", (json_int_t)p->len, "signature", p->signature);
	if (reply != NULL && p->len <= EVENT_ECHO_MAX)
		json_object_set_new(reply, "body", json_stringn(p->body,
		    p->len));
	fake_reply(fake, p->control, 200, reply, 0);
	post_free(p);
}

/*
 * A try ended: req is the daemon's answer (a status of 0 when there was
 * none). Logs EVENT TAB STATUS TAB RECV_MS TAB EVENT_NAME TAB
 * {"sign":..,"bytes":..,"try":..}; "error" for no answer.
 */
static void
post_done(struct evhttp_request *req, void *arg)
{
	struct post	*p = arg;
	struct timeval	 tv = { 0, 0 };
	json_t		*sum;
	char		 result[16];
	int		 code = req != NULL ? evhttp_request_get_response_code(req) : 0;

	if (code > 0)
		snprintf(result, sizeof(result), "%d", code);
	else
		snprintf(result, sizeof(result), "error");
	sum = json_pack("{s:s,s:I,s:I}", "sign", p->sign, "bytes",
	    (json_int_t)p->len, "try", (json_int_t)p->done + 1);
	fake_record(p->fake, "event", result, p->recv, p->name, sum, NULL,
	    NULL);
	json_decref(sum);
	log_debug("event %s try %lld: %s", p->name, p->done + 1, result);
	json_array_append_new(p->status, json_integer(code));
	if (event_base_once(p->fake->base, -1, EV_TIMEOUT, post_next, p,
	    &tv) == -1)
		fatalx("event_base_once");
}

/* Posts the body once more, on a new connection. */
static void
post_start(struct post *p)
{
	struct evhttp_request	*req;
	struct evkeyvalq	*h;
	struct timeval		 tv = { 0, 0 };
	char			 host[300];

	p->recv = now_ms();
	if ((p->conn = evhttp_connection_base_new(p->fake->base, NULL,
	    p->host, (ev_uint16_t)p->port)) == NULL)
		fatalx("evhttp_connection_base_new");
	evhttp_connection_set_timeout(p->conn, EVENT_TIMEOUT_S);
	/* a 413 sent before the whole body was read is still an answer */
	evhttp_connection_set_flags(p->conn, EVHTTP_CON_READ_ON_WRITE_ERROR);
	if ((req = evhttp_request_new(post_done, p)) == NULL)
		fatalx("evhttp_request_new");
	h = evhttp_request_get_output_headers(req);
	snprintf(host, sizeof(host), "%s:%d", p->host, p->port);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Content-Type", "application/json");
	if (p->signature != NULL)
		evhttp_add_header(h, "X-ZEvent-Signature", p->signature);
	evbuffer_add(evhttp_request_get_output_buffer(req), p->body, p->len);
	if (evhttp_make_request(p->conn, req, EVHTTP_REQ_POST, p->path) == -1) {
		/* libevent freed req; count the try as unanswered */
		fake_record(p->fake, "event", "error", p->recv, p->name, NULL,
		    NULL, NULL);
		json_array_append_new(p->status, json_integer(0));
		if (event_base_once(p->fake->base, -1, EV_TIMEOUT, post_next,
		    p, &tv) == -1)
			fatalx("event_base_once");
	}
}

static const char *const event_members[] = { "url", "event", "raw", "sign",
    "signature", "app_id", "repeat", "pad_to", NULL };
static const char *const sign_modes[] = { "good", "bad", "none", NULL };

/* Checks a /_event body; 0, or -1 with the culprit in *bad. */
static int
event_check(struct fake *fake, json_t *root, const char **bad)
{
	json_t		*v;
	const char	*k;
	long long	 x;
	size_t		 i;

	json_object_foreach(root, k, v) {
		for (i = 0; event_members[i] != NULL; i++)
			if (strcmp(k, event_members[i]) == 0)
				break;
		if (event_members[i] == NULL) {
			*bad = k;
			return -1;
		}
	}
#define CHECK(c, name)	do { if (c) { *bad = (name); return -1; } } while (0)
	CHECK((json_object_get(root, "event") == NULL) ==
	    (json_object_get(root, "raw") == NULL), "event");
	CHECK(json_object_get(root, "event") != NULL &&
	    !json_is_object(json_object_get(root, "event")), "event");
	CHECK(json_object_get(root, "raw") != NULL &&
	    !json_is_string(json_object_get(root, "raw")), "raw");
	CHECK(json_object_get(root, "url") == NULL && fake->event_url == NULL,
	    "url");
	CHECK(json_object_get(root, "url") != NULL &&
	    !json_is_string(json_object_get(root, "url")), "url");
	CHECK(json_object_get(root, "app_id") != NULL &&
	    !json_is_string(json_object_get(root, "app_id")), "app_id");
	CHECK(json_object_get(root, "signature") != NULL &&
	    !json_is_string(json_object_get(root, "signature")), "signature");
	CHECK(control_int(root, "repeat", 1, EVENT_REPEAT_MAX, &x), "repeat");
	CHECK(control_int(root, "pad_to", 0, EVENT_PAD_MAX, &x), "pad_to");
	if ((v = json_object_get(root, "sign")) != NULL) {
		CHECK(!json_is_string(v), "sign");
		for (i = 0; sign_modes[i] != NULL; i++)
			if (strcmp(json_string_value(v), sign_modes[i]) == 0)
				break;
		CHECK(sign_modes[i] == NULL, "sign");
		CHECK(strcmp(json_string_value(v), "none") != 0 &&
		    json_object_get(root, "signature") == NULL &&
		    fake->oa_secret == NULL, "sign");
	} else
		CHECK(json_object_get(root, "signature") == NULL &&
		    fake->oa_secret == NULL, "sign");
#undef CHECK
	return 0;
}

/*
 * POST /_event: posts an OA webhook event to the daemon as Zalo does and
 * answers, once every try has ended, {"status": [the daemon's status of
 * each try, 0 for none], "bytes": N, "signature": the header sent, "body":
 * the bytes posted (when at most 64 KiB)}. Members:
 *	event	the event object (see event_body for what is filled in), or
 *	raw	a body posted byte for byte (signed with its app_id and
 *		timestamp when it is JSON, else with --app-id and "");
 *	url	where to (default --event-url);
 *	sign	"good" (default, with --oa-secret), "bad" (another key), "none";
 *	signature  the header value itself, whatever sign says;
 *	app_id	the app_id given to an event that has none (default --app-id);
 *	repeat	the same bytes posted 1-10 times in a row (Zalo's retries);
 *	pad_to	the body grown to this many bytes (a "padding" member).
 */
static void
fake_event(struct fake *fake, struct evhttp_request *req)
{
	struct evhttp_uri	*uri = NULL;
	struct post		*p;
	json_t			*root, *m;
	const char		*bad = NULL, *url, *app, *path, *query;
	char			*key;
	long long		 repeat = 1, pad_to = 0;
	size_t			 n, i;

	if ((root = body_json(req)) == NULL) {
		fake_reply(fake, req, 400, json_pack("{s:s}", "error",
		    "body is not a JSON object"), 0);
		return;
	}
	url = json_string_value(json_object_get(root, "url"));
	if (url == NULL)
		url = fake->event_url;
	if (event_check(fake, root, &bad) == -1 ||
	    (bad = "url", uri = evhttp_uri_parse(url)) == NULL ||
	    evhttp_uri_get_scheme(uri) == NULL ||
	    strcmp(evhttp_uri_get_scheme(uri), "http") != 0 ||
	    evhttp_uri_get_host(uri) == NULL) {
		log_warnx("event: bad member %s", bad);
		fake_reply(fake, req, 400, json_pack("{s:s,s:s}", "error",
		    "bad or unknown member", "member", bad), 0);
		if (uri != NULL)
			evhttp_uri_free(uri);
		json_decref(root);
		return;
	}
	control_int(root, "repeat", 1, EVENT_REPEAT_MAX, &repeat);
	control_int(root, "pad_to", 0, EVENT_PAD_MAX, &pad_to);
	if ((app = json_string_value(json_object_get(root, "app_id"))) == NULL)
		app = fake->app_id;

	p = xcalloc(1, sizeof(*p));
	p->fake = fake;
	p->control = req;
	p->tries = repeat;
	if ((p->status = json_array()) == NULL)
		fatalx("out of memory");
	p->host = xstrdup(evhttp_uri_get_host(uri));
	p->port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
	path = evhttp_uri_get_path(uri);
	query = evhttp_uri_get_query(uri);
	xasprintf(&p->path, "%s%s%s",
	    path != NULL && *path != '\0' ? path : "/",
	    query != NULL ? "?" : "", query != NULL ? query : "");
	evhttp_uri_free(uri);

	if ((m = json_object_get(root, "raw")) != NULL) {
		n = json_string_length(m);
		p->body = xmalloc(n + 1);
		memcpy(p->body, json_string_value(m), n + 1);
		p->len = n;
		if ((m = json_loadb(p->body, n, 0, NULL)) != NULL)
			p->name = xstrdup(json_is_string(json_object_get(m,
			    "event_name")) ? json_string_value(json_object_get(m,
			    "event_name")) : "-");
		json_decref(m);
	} else {
		p->body = event_body(fake, json_object_get(root, "event"), app,
		    pad_to, &p->len);
		m = json_object_get(json_object_get(root, "event"),
		    "event_name");
		p->name = xstrdup(json_is_string(m) ? json_string_value(m) :
		    "-");
	}
	if (p->name == NULL)
		p->name = xstrdup("-");
	for (key = p->name; *key != '\0'; key++)
		if (*key == '\t' || *key == '\n' || *key == '\r')
			*key = '_';

	/* one of sign_modes (checked), not a pointer into root */
	p->sign = sign_modes[0];
	if ((m = json_object_get(root, "sign")) != NULL)
		for (i = 0; sign_modes[i] != NULL; i++)
			if (strcmp(json_string_value(m), sign_modes[i]) == 0)
				p->sign = sign_modes[i];
	if ((m = json_object_get(root, "signature")) != NULL) {
		p->signature = xstrdup(json_string_value(m));
		p->sign = "given";
	} else if (strcmp(p->sign, "good") == 0)
		p->signature = event_signature(p->body, p->len, app,
		    fake->oa_secret);
	else if (strcmp(p->sign, "bad") == 0) {
		xasprintf(&key, "%s-not", fake->oa_secret);
		p->signature = event_signature(p->body, p->len, app, key);
		free(key);
	}
	json_decref(root);
	log_info("event %s: %zu bytes to %s:%d%s, signature %s, %lld %s",
	    p->name, p->len, p->host, p->port, p->path, p->sign, p->tries,
	    p->tries == 1 ? "try" : "tries");
	TAILQ_INSERT_TAIL(&fake->posts, p, entry);
	post_start(p);
}

/* At exit: drops the events still in flight and answers their controls. */
static void
fake_flush_posts(struct fake *fake)
{
	struct post	*p;

	while ((p = TAILQ_FIRST(&fake->posts)) != NULL) {
		TAILQ_REMOVE(&fake->posts, p, entry);
		reply_now(p->control, 503, NULL);
		post_free(p);
	}
}

/* Routes a request: the three Zalo endpoints, then our /_ ones. */
static void
fake_request(struct evhttp_request *req, void *arg)
{
	struct fake			*fake = arg;
	const struct evhttp_uri		*uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type		 cmd = evhttp_request_get_command(req);
	const char			*path = NULL;
	int				 post = cmd == EVHTTP_REQ_POST;
	int				 get = cmd == EVHTTP_REQ_GET;

	if (uri != NULL)
		path = evhttp_uri_get_path(uri);
	if (path == NULL || *path == '\0')
		path = "/";

	if (post && strcmp(path, "/v3.0/oa/message/cs") == 0)
		fake_message(fake, req, KIND_CS);
	else if (post && strcmp(path, "/message/template") == 0)
		fake_message(fake, req, KIND_ZNS);
	else if (post && strcmp(path, "/v4/oa/access_token") == 0)
		fake_refresh(fake, req);
	else if (post && strcmp(path, "/_control") == 0)
		fake_control(fake, req);
	else if (post && strcmp(path, "/_event") == 0)
		fake_event(fake, req);
	else if (get && strcmp(path, "/_stats") == 0)
		fake_stats(fake, req);
	else if (get && strcmp(path, "/_tokens") == 0)
		fake_tokens(fake, req);
	else {
		log_warnx("no endpoint for %s", path);
		fake_record(fake, "other", "http404", now_ms(), path, NULL,
		    NULL, NULL);
		fake_reply(fake, req, 404, json_pack("{s:i,s:s}", "error", -1,
		    "message", "no such endpoint"), 0);
	}
}

static void
fake_signal(evutil_socket_t sig, short what, void *arg)
{
	struct fake	*fake = arg;

	(void)what;
	log_info("signal %d: exiting", (int)sig);
	event_base_loopbreak(fake->base);
}

enum {
	OPT_APP_ID = 256,
	OPT_SECRET,
	OPT_REFRESH_TOKEN,
	OPT_ACCESS_TOKEN,
	OPT_EXPIRES_IN,
	OPT_ZNS_QUOTA,
	OPT_RATE_LIMIT,
	OPT_OA_SECRET,
	OPT_OA_ID,
	OPT_EVENT_URL,
};

static const struct option long_options[] = {
	{ "app-id", required_argument, NULL, OPT_APP_ID },
	{ "secret", required_argument, NULL, OPT_SECRET },
	{ "refresh-token", required_argument, NULL, OPT_REFRESH_TOKEN },
	{ "access-token", required_argument, NULL, OPT_ACCESS_TOKEN },
	{ "expires-in", required_argument, NULL, OPT_EXPIRES_IN },
	{ "zns-quota", required_argument, NULL, OPT_ZNS_QUOTA },
	{ "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
	{ "oa-secret", required_argument, NULL, OPT_OA_SECRET },
	{ "oa-id", required_argument, NULL, OPT_OA_ID },
	{ "event-url", required_argument, NULL, OPT_EVENT_URL },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char *argv[])
{
	struct fake			 fake;
	struct evhttp_bound_socket	*bs;
	struct timeval			 tv;
	const char			*addr = "127.0.0.1";
	const char			*portfile = NULL, *outfile = NULL;
	const char			*at = NULL, *rt = NULL;
	int				 ch, port = 0, verbose = 0;

	log_init("fake_zalo", 0);
	memset(&fake, 0, sizeof(fake));
	fake.expires_in = ZALO_EXPIRES_IN;
	fake.slow_ms = ZALO_SLOW_MS;
	fake.zns_daily = ZALO_ZNS_QUOTA;
	fake.rate_limit = ZALO_RATE_LIMIT;
	fake.access_sends = -1;
	fake.http_status = 503;
	fake.oa_id = ZALO_OA_ID;
	TAILQ_INIT(&fake.pending);
	TAILQ_INIT(&fake.posts);

	while ((ch = getopt_long(argc, argv, "a:o:P:p:v", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'P':
			portfile = optarg;
			break;
		case 'p':
			port = (int)parse_num(optarg, 0, 65535, "-p");
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_APP_ID:
			fake.app_id = optarg;
			break;
		case OPT_SECRET:
			fake.secret = optarg;
			break;
		case OPT_REFRESH_TOKEN:
			rt = optarg;
			break;
		case OPT_ACCESS_TOKEN:
			at = optarg;
			break;
		case OPT_EXPIRES_IN:
			fake.expires_in = parse_num(optarg, 1,
			    100LL * 365 * 86400, "--expires-in");
			break;
		case OPT_ZNS_QUOTA:
			fake.zns_daily = parse_num(optarg, 0, LLONG_MAX,
			    "--zns-quota");
			break;
		case OPT_RATE_LIMIT:
			fake.rate_limit = parse_num(optarg, 0, LLONG_MAX,
			    "--rate-limit");
			break;
		case OPT_OA_SECRET:
			fake.oa_secret = optarg;
			break;
		case OPT_OA_ID:
			fake.oa_id = optarg;
			break;
		case OPT_EVENT_URL:
			fake.event_url = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || fake.app_id == NULL || fake.secret == NULL ||
	    rt == NULL || *rt == '\0' || (at != NULL && *at == '\0') ||
	    (fake.oa_secret != NULL && *fake.oa_secret == '\0') ||
	    *fake.oa_id == '\0')
		usage();
	log_set_verbose(verbose);
	signal(SIGPIPE, SIG_IGN);

	fake.zns_remaining = fake.zns_daily;
	fake.refresh_token = xstrdup(rt);
	if (at != NULL) {
		fake.access_token = xstrdup(at);
		fake.access_expires = mono_ms() + fake.expires_in * 1000;
	}
	if ((fake.cs_error = json_object()) == NULL ||
	    (fake.zns_error = json_object()) == NULL ||
	    (fake.next_errors = json_array()) == NULL)
		fatalx("out of memory");

	if (outfile != NULL && (fake.out = fopen(outfile, "a")) == NULL)
		fatal("%s", outfile);
	if ((fake.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if ((fake.http = evhttp_new(fake.base)) == NULL)
		fatalx("evhttp_new");
	evhttp_set_allowed_methods(fake.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(fake.http, fake_request, &fake);
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
	log_info("listening on %s port %d (libevent %s, jansson %s); "
	    "app %s, access token %s, zns quota %lld, events %s", addr, port,
	    event_get_version(), JANSSON_VERSION, fake.app_id,
	    at != NULL ? "given" : "none", fake.zns_daily,
	    fake.oa_secret != NULL ? "signed" : "unsigned");

	event_base_dispatch(fake.base);

	/* Stop accepting, answer what is held back, let the loop write it out. */
	evhttp_del_accept_socket(fake.http, bs);
	fake_flush_pending(&fake);
	fake_flush_posts(&fake);
	tv.tv_sec = 0;
	tv.tv_usec = 200000;
	event_base_loopexit(fake.base, &tv);
	event_base_dispatch(fake.base);
	evhttp_free(fake.http);
	event_free(fake.ev_term);
	event_free(fake.ev_int);
	event_base_free(fake.base);
	json_decref(fake.cs_error);
	json_decref(fake.zns_error);
	json_decref(fake.next_errors);
	free(fake.access_token);
	free(fake.refresh_token);
	if (fake.out != NULL)
		fclose(fake.out);
	return 0;
}
