/* What comes back from the heads: the public listener, Zalo OA events (stored first, then read), replies placed on an occurrence, confirmation links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "chanstart.h"
#include "clock.h"
#include "follow.h"
#include "listener.h"
#include "log.h"
#include "nhacviecd.h"
#include "plan.h"
#include "planstore.h"
#include "reply.h"
#include "schedule.h"
#include "secret.h"
#include "sign.h"
#include "template.h"

#define INBOUND_BODY_MAX	(64 * 1024)
#define INBOUND_HEADER_MAX	(16 * 1024)
#define INBOUND_GROUP		"events"
#define INBOUND_LINK_DAYS	30	/* links work this long after the due day */
#define INBOUND_OPEN_DAYS	14	/* a reply without code: sent this recently */
#define INBOUND_READ		16

struct inbound_oa {
	char		*channel;	/* the zalo channel's name */
	char		*app_id;
	char		*secret;	/* the OA webhook key; never logged */
};

struct inbound {
	struct nv		*nv;
	struct listener		*pub;
	struct inbound_oa	*oa;
	size_t			 noa;
	char			*link_key;	/* never logged */
	int			 reading;
	int			 history;	/* our own pending first */
	char			 cursor[48];	/* in that history */
	struct event		*sweep_ev;
	uint64_t		 events, refused, replies, placed, inboxed;
};

/* One stored event on its way through. */
struct inevent {
	struct inbound	*in;
	char		 entry[48];
	json_t		*body;
	char		*channel;
	const char	*name;		/* event_name */
	int		 pending;	/* replies still awaited */
	/* user_send_text */
	const struct plan_agency *agency;
	enum reply_kind	 kind;
	char		 text[1024];
	char		 msg_id[128];
	char		 quote[128];
	char		 code[REPLY_CODE_SIZE];
	char		 sender[128];
	char		 seen[300];	/* its key in {p}:handled */
};

static void	inbound_read(struct inbound *);
static void	inbound_done(struct inevent *);

/* ---- answering ------------------------------------------------------ */

static void
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
static void
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

/* One follow-up of a reminder id (TASK/DUE/SPEC/AGENCY/CHANNEL). */
static int
inbound_split_id(const char *id, char *task, char *due, char *agency,
    size_t len)
{
	char	parts[5][256], plain[1024], *t;
	const char *q;
	size_t	i, n;

	snprintf(plain, sizeof(plain), "%s", id);
	if ((t = strstr(plain, "~fallback-")) != NULL)
		*t = '\0';
	q = plain;
	for (i = 0; i < 5; i++) {
		n = i < 4 ? strcspn(q, "/") : strlen(q);
		if (n == 0 || n >= sizeof(parts[i]) || (i < 4 && q[n] != '/'))
			return -1;
		snprintf(parts[i], sizeof(parts[i]), "%.*s", (int)n, q);
		q += n + (i < 4);
	}
	if (strcmp(parts[0], "adhoc") == 0)
		return -1;
	snprintf(task, len, "%s", parts[0]);
	snprintf(due, len, "%s", parts[1]);
	snprintf(agency, len, "%s", parts[3]);
	return 0;
}

static void
inbound_follow_reply(void *arg, redisReply *r)
{
	struct inevent	*e = arg;

	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_warnx("recording a follow-up failed: %s", r ? r->str :
		    "Redis unreachable");
	if (--e->pending == 0)
		inbound_done(e);
}

/* received / seen of the reminders a Zalo message carried. */
static void
inbound_refs_reply(void *arg, redisReply *r)
{
	struct inevent		*e = arg;
	struct inbound		*in = e->in;
	struct follow		 f;
	char			 task[256], due[256], agency[256], err[300];
	size_t			 i;
	enum follow_what	 what = strcmp(e->name, "user_seen_message") ==
	    0 ? FOLLOW_SEEN : FOLLOW_RECEIVED;

	e->pending = 1;
	for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements;
	    i++) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    inbound_split_id(r->element[i]->str, task, due, agency,
		    sizeof(task)) == -1 || in->nv->plan == NULL)
			continue;
		if (follow_prepare(&f, &in->nv->keys, in->nv->plan,
		    in->nv->conf, task, due, agency, what, clock_now_ms(),
		    "zalo", NULL, NULL, err, sizeof(err)) == -1) {
			log_debug("zalo %s: %s", e->name, err);
			continue;
		}
		if (script_run_keys(in->nv, &f.keys, SCRIPT_FOLLOW,
		    inbound_follow_reply, e, f.argc, f.argv) == 0)
			e->pending++;
		follow_clear(&f);
	}
	if (--e->pending == 0)
		inbound_done(e);
}

/* A message to a head through the outbox (recorded, retried like any). */
static void
inbound_say(struct inevent *e, const char *title, const char *text)
{
	struct nv	*nv = e->in->nv;
	const char	*argv[3];
	char		*id = NULL, *payload, at[24];
	int64_t		 now = clock_now_ms();

	payload = planstore_adhoc(nv->plan, &id, e->agency->id,
	    e->agency->name, e->agency->head, e->sender, e->channel, title,
	    text, now);
	if (payload == NULL)
		return;
	snprintf(at, sizeof(at), "%lld", (long long)now);
	argv[0] = id;
	argv[1] = at;
	argv[2] = payload;
	if (script_run(nv, SCRIPT_ENQUEUE, NULL, NULL, 3, argv) == -1)
		log_warnx("the OA's answer to %s could not be queued",
		    e->agency->id);
	free(id);
	free(payload);
}

/* Not placed: kept in {p}:inbox with why, never lost. */
static void
inbound_inbox(struct inevent *e, const char *why)
{
	struct inbound	*in = e->in;
	char		 at[24];
	const char	*argv[] = { "XADD", in->nv->keys.inbox, "*", "at", at,
	    "from", e->sender, "agency", e->agency ? e->agency->id : "",
	    "text", e->text, "msg_id", e->msg_id, "why", why };

	snprintf(at, sizeof(at), "%lld", (long long)clock_now_ms());
	in->inboxed++;
	log_notice("a reply from %s kept in %s: %s", e->agency ?
	    e->agency->id : "an unknown sender", in->nv->keys.inbox, why);
	e->pending++;
	if (store_command(in->nv->store, inbound_follow_reply, e, 15, argv,
	    NULL) == -1)
		e->pending--;
}

static void
inbound_placed_reply(void *arg, redisReply *r)
{
	struct inevent		*e = arg;
	char			 text[600];
	const char		*what = e->kind == REPLY_DONE ? "đã hoàn thành" :
	    "đã nhận";

	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->integer == 1) {
		e->in->placed++;
		snprintf(text, sizeof(text), "Đã ghi nhận %s %s. Cảm ơn "
		    "đồng chí.%s", e->code, what,
		    r->element[1]->integer > 0 ? " Các nhắc việc tiếp theo "
		    "của nhiệm vụ này sẽ không gửi nữa." : "");
		inbound_say(e, "Xác nhận", text);
	}
	inbound_follow_reply(e, r);
}

/* The reply belongs to occurrence task/due: record it, confirm once. */
static void
inbound_place(struct inevent *e, const char *task, const char *due)
{
	struct inbound	*in = e->in;
	struct follow	 f;
	char		 err[300], detail[160];

	reply_code(task, due, e->code);
	snprintf(detail, sizeof(detail), "reply %s", e->msg_id);
	if (follow_prepare(&f, &in->nv->keys, in->nv->plan, in->nv->conf,
	    task, due, e->agency->id, e->kind == REPLY_DONE ? FOLLOW_DONE :
	    FOLLOW_ACK, clock_now_ms(), "zalo", detail, NULL, err,
	    sizeof(err)) == -1) {
		inbound_inbox(e, err);
		return;
	}
	e->pending++;
	if (script_run_keys(in->nv, &f.keys, SCRIPT_FOLLOW,
	    inbound_placed_reply, e, f.argc, f.argv) == -1)
		e->pending--;
	follow_clear(&f);
}

/* Candidates for a reply with no quote: the head's open occurrences. */
static void
inbound_open_reply(void *arg, redisReply *r)
{
	struct inevent	*e = arg;
	redisReply	*occ, *f;
	char		 list[800], code[REPLY_CODE_SIZE], task[256];
	char		 first[REPLY_CODE_SIZE] = "";
	const char	*one = NULL, *slash;
	size_t		 i, n = 0, off = 0;
	int64_t		 since = clock_now_ms() - INBOUND_OPEN_DAYS * 86400000LL;

	e->pending = 1;
	list[0] = '\0';
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_ARRAY &&
	    r->element[1]->type == REDIS_REPLY_ARRAY) {
		occ = r->element[0];
		f = r->element[1];
		for (i = 0; i < occ->elements && i < f->elements; i++) {
			redisReply *v = f->element[i];

			/* reached (and when) and not done: open */
			if (v->type != REDIS_REPLY_ARRAY || v->elements != 2 ||
			    v->element[0]->type != REDIS_REPLY_STRING ||
			    v->element[1]->type == REDIS_REPLY_STRING ||
			    strtoll(v->element[0]->str, NULL, 10) < since)
				continue;
			slash = strchr(occ->element[i]->str, '/');
			if (slash == NULL)
				continue;
			snprintf(task, sizeof(task), "%.*s",
			    (int)(slash - occ->element[i]->str),
			    occ->element[i]->str);
			reply_code(task, slash + 1, code);
			if (e->code[0] != '\0' && strcmp(code, e->code) != 0)
				continue;
			one = occ->element[i]->str;
			if (n++ == 0)
				snprintf(first, sizeof(first), "%s", code);
			if (off < sizeof(list) - 1)
				off += (size_t)snprintf(list + off,
				    sizeof(list) - off, "\n%s %s", code,
				    occ->element[i]->str);
		}
	}
	if (n == 1) {
		slash = strchr(one, '/');
		snprintf(task, sizeof(task), "%.*s", (int)(slash - one), one);
		inbound_place(e, task, slash + 1);
	} else if (n == 0)
		inbound_inbox(e, e->code[0] ? "its code names no open task of "
		    "this agency" : "no open task was sent to this agency in "
		    "the last 14 days");
	else {
		char	text[1000];

		snprintf(text, sizeof(text), "Đồng chí vui lòng trả lời kèm mã "
		    "nhiệm vụ (ví dụ: \"%s xong\"). Các nhiệm vụ đang mở:%s",
		    first, list);
		inbound_say(e, "Xin mã nhiệm vụ", text);
		inbound_inbox(e, "several open tasks could be meant: the OA "
		    "asked which");
	}
	if (--e->pending == 0)
		inbound_done(e);
}

static void
inbound_quote_reply(void *arg, redisReply *r)
{
	struct inevent	*e = arg;
	struct inbound	*in = e->in;
	char		 task[256], due[256], agency[256];
	char		 fr[300], fd[300];
	const char	*argv[4];

	e->pending = 1;
	if (r && r->type == REDIS_REPLY_STRING &&
	    inbound_split_id(r->str, task, due, agency, sizeof(task)) == 0) {
		inbound_place(e, task, due);
		if (--e->pending == 0)
			inbound_done(e);
		return;
	}
	/*
	 * No quote (or one of no reminder): the occurrences sent to this
	 * agency lately, with its reached and done, in one script.
	 */
	snprintf(fr, sizeof(fr), "%s:reached", e->agency->id);
	snprintf(fd, sizeof(fd), "%s:done", e->agency->id);
	argv[0] = fr;
	argv[1] = fd;
	snprintf(task, sizeof(task), "%lld", (long long)(clock_now_ms() -
	    (INBOUND_OPEN_DAYS + 1) * 86400000LL));
	argv[2] = task;
	argv[3] = "200";
	e->pending++;
	if (script_run(in->nv, SCRIPT_OPEN, inbound_open_reply, e, 4,
	    argv) == -1)
		e->pending--;
	if (--e->pending == 0)
		inbound_done(e);
}

/* A head wrote to the OA: what it means, and which task it is about. */
static void
inbound_text_event(struct inevent *e)
{
	struct inbound	*in = e->in;
	const struct plan *p = in->nv->plan;
	json_t		*m = json_object_get(e->body, "message");
	const char	*s;
	size_t		 i;

	snprintf(e->sender, sizeof(e->sender), "%s",
	    (s = json_string_value(json_object_get(json_object_get(e->body,
	    "sender"), "id"))) ? s : "");
	snprintf(e->text, sizeof(e->text), "%s",
	    (s = json_string_value(json_object_get(m, "text"))) ? s : "");
	snprintf(e->msg_id, sizeof(e->msg_id), "%s",
	    (s = json_string_value(json_object_get(m, "msg_id"))) ? s : "");
	snprintf(e->quote, sizeof(e->quote), "%s",
	    (s = json_string_value(json_object_get(m, "quote_msg_id"))) ? s :
	    "");
	in->replies++;
	for (i = 0; p && i < p->nagencies && e->agency == NULL; i++)
		if (p->agencies[i].zalo &&
		    strcmp(p->agencies[i].zalo, e->sender) == 0)
			e->agency = &p->agencies[i];
	e->pending = 1;
	if (e->agency == NULL)
		inbound_inbox(e, "the sender is no agency's zalo id in the plan");
	else if ((e->kind = reply_classify(e->text)) == REPLY_NONE)
		inbound_inbox(e, "the text says neither received nor done");
	else {
		if (reply_code_find(e->text, e->code) <= 0)
			e->code[0] = '\0';
		e->pending++;
		if (store_commandf(in->nv->store, inbound_quote_reply, e,
		    "HGET %s %s", in->nv->keys.refs, e->quote[0] ? e->quote :
		    "-") == -1)
			e->pending--;
	}
	if (--e->pending == 0)
		inbound_done(e);
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
		inbound_text_event(e);
		return;
	}
	/* received (msg_id) or seen (msg_ids): the reminders they carried */
	ids = json_object_get(m, "msg_ids");
	argv = calloc(3 + (json_is_array(ids) ? json_array_size(ids) : 1),
	    sizeof(*argv));
	if (argv == NULL)
		fatal("calloc");
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
	if (n == 2 || store_command(in->nv->store, inbound_refs_reply, e,
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
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal("calloc");
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

/* ---- confirmation links ---------------------------------------------- */

static void
inbound_html(struct evbuffer *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			evbuffer_add(b, "&lt;", 4);
			break;
		case '>':
			evbuffer_add(b, "&gt;", 4);
			break;
		case '&':
			evbuffer_add(b, "&amp;", 5);
			break;
		case '"':
			evbuffer_add(b, "&quot;", 6);
			break;
		case '\'':
			evbuffer_add(b, "&#39;", 5);
			break;
		default:
			evbuffer_add(b, s, 1);
		}
	}
}

static void
inbound_page(struct evhttp_request *req, int code, const char *reason,
    const char *title, const char *body_html)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	inbound_headers(req, "text/html; charset=utf-8");
	evbuffer_add_printf(b, "<!doctype html>\n<html lang=\"vi\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\""
	    "width=device-width, initial-scale=1\"><title>");
	inbound_html(b, title);
	evbuffer_add_printf(b, "</title><style>body{font-family:sans-serif;"
	    "max-width:36em;margin:2em auto;padding:0 1em;line-height:1.5}"
	    "button{font-size:1.1em;padding:.5em 1em;margin:.3em}"
	    "</style></head><body>\n<h1>");
	inbound_html(b, title);
	evbuffer_add_printf(b, "</h1>\n%s\n</body></html>\n", body_html);
	evhttp_send_reply(req, code, reason, b);
	evbuffer_free(b);
}

/* The token of a link (what follows /c/), checked. */
static enum sign_link_result
inbound_link(struct inbound *in, struct evhttp_request *req,
    struct sign_link *l)
{
	const char	*path = evhttp_uri_get_path(
	    evhttp_request_get_evhttp_uri(req));

	if (path == NULL || strncmp(path, "/c/", 3) != 0)
		return SIGN_LINK_MALFORMED;
	return sign_link_parse(path + 3, in->link_key, strlen(in->link_key),
	    clock_now_ms(), l);
}

static void
inbound_link_refused(struct evhttp_request *req, enum sign_link_result r)
{
	if (r == SIGN_LINK_EXPIRED)
		inbound_page(req, 410, "Gone", "Liên kết đã hết hạn",
		    "<p>Liên kết xác nhận này đã hết hạn (30 ngày sau thời hạn "
		    "của nhiệm vụ). Xin liên hệ Phòng Nội vụ để ghi nhận.</p>");
	else
		inbound_page(req, 403, "Forbidden", "Liên kết không hợp lệ",
		    "<p>Liên kết xác nhận này không đúng hoặc đã bị sửa. Xin "
		    "dùng đúng liên kết trong thư, hoặc liên hệ Phòng Nội vụ."
		    "</p>");
}

/* GET /c/TOKEN: what the link is about, and two buttons; nothing changes. */
static void
inbound_link_get(struct evhttp_request *req, struct inbound *in)
{
	const struct plan	*p = in->nv->plan;
	const struct plan_task	*t;
	const struct plan_agency *a;
	struct sign_link	 l;
	enum sign_link_result	 r = inbound_link(in, req, &l);
	struct evbuffer		*b;
	char			 due[128], *html;
	size_t			 len;

	if (r != SIGN_LINK_OK) {
		inbound_link_refused(req, r);
		return;
	}
	t = p ? plan_task_find(p, l.task) : NULL;
	a = p ? plan_agency_find(p, l.agency) : NULL;
	if ((b = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	template_due_text(l.due, NULL, due, sizeof(due));
	evbuffer_add_printf(b, "<p>Nhiệm vụ: <b>");
	inbound_html(b, t ? t->title : l.task);
	evbuffer_add_printf(b, "</b><br>Thời hạn: ");
	inbound_html(b, due);
	evbuffer_add_printf(b, "<br>Cơ quan, đơn vị: ");
	inbound_html(b, a ? a->name : l.agency);
	evbuffer_add_printf(b, "</p>\n<form method=\"post\">"
	    "<button name=\"action\" value=\"ack\">Đã nhận</button>"
	    "<button name=\"action\" value=\"done\">Đã hoàn thành</button>"
	    "</form>");
	len = evbuffer_get_length(b);
	html = calloc(1, len + 1);
	if (html)
		evbuffer_remove(b, html, len);
	evbuffer_free(b);
	inbound_page(req, 200, "OK", "Xác nhận nhiệm vụ", html ? html : "");
	free(html);
}

struct inlink {
	struct evhttp_request	*req;
	int			 done;
};

static void
inbound_link_reply(void *arg, redisReply *r)
{
	struct inlink	*k = arg;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2)
		inbound_page(k->req, 503, "Service Unavailable",
		    "Chưa ghi nhận được", "<p>Hệ thống đang bận; xin bấm lại "
		    "sau ít phút.</p>");
	else
		inbound_page(k->req, 200, "OK", "Đã ghi nhận",
		    k->done ? "<p>Đã ghi nhận: nhiệm vụ đã hoàn thành. Cảm ơn "
		    "quý cơ quan.</p>" : "<p>Đã ghi nhận: quý cơ quan đã "
		    "nhận nhiệm vụ.</p>");
	free(k);
}

/* POST /c/TOKEN with action=ack|done: recorded, as a head's reply is. */
static void
inbound_link_post(struct evhttp_request *req, struct inbound *in)
{
	struct evbuffer		*b = evhttp_request_get_input_buffer(req);
	struct sign_link	 l;
	enum sign_link_result	 r = inbound_link(in, req, &l);
	struct follow		 f;
	struct inlink		*k;
	char			 form[64], err[300];
	size_t			 n;
	int			 done;

	if (r != SIGN_LINK_OK) {
		inbound_link_refused(req, r);
		return;
	}
	n = evbuffer_copyout(b, form, sizeof(form) - 1);
	form[n > 0 ? n : 0] = '\0';
	if (strcmp(form, "action=done") == 0)
		done = 1;
	else if (strcmp(form, "action=ack") == 0)
		done = 0;
	else {
		inbound_page(req, 400, "Bad Request", "Yêu cầu không đúng",
		    "<p>Xin dùng một trong hai nút của trang xác nhận.</p>");
		return;
	}
	if (in->nv->plan == NULL || follow_prepare(&f, &in->nv->keys,
	    in->nv->plan, in->nv->conf, l.task, l.due, l.agency, done ?
	    FOLLOW_DONE : FOLLOW_ACK, clock_now_ms(), "link", NULL, NULL, err,
	    sizeof(err)) == -1) {
		inbound_page(req, 410, "Gone", "Nhiệm vụ không còn trong kế "
		    "hoạch", "<p>Kế hoạch không còn nhiệm vụ này; xin liên hệ "
		    "Phòng Nội vụ.</p>");
		return;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL)
		fatal("calloc");
	k->req = req;
	k->done = done;
	if (script_run_keys(in->nv, &f.keys, SCRIPT_FOLLOW, inbound_link_reply,
	    k, f.argc, f.argv) == -1) {
		free(k);
		inbound_page(req, 503, "Service Unavailable",
		    "Chưa ghi nhận được", "<p>Hệ thống đang bận; xin bấm lại "
		    "sau ít phút.</p>");
	}
	follow_clear(&f);
}

static void
inbound_link_route(struct evhttp_request *req, void *arg)
{
	if (evhttp_request_get_command(req) == EVHTTP_REQ_POST)
		inbound_link_post(req, arg);
	else
		inbound_link_get(req, arg);
}

/* ---- the link a message carries ------------------------------------- */

char *
inbound_confirm_url(const struct nv *nv, const char *task, const char *due,
    const char *agency)
{
	struct inbound	*in = nv->inbound;
	const struct plan *p = nv->plan;
	plan_day	 day;
	char		*token = NULL, *url, err[200];
	int64_t		 exp;

	if (in == NULL || in->link_key == NULL || p == NULL ||
	    plan_parse_day(due, &day) == -1)
		return NULL;
	exp = schedule_local_ms(p, day + 1 + INBOUND_LINK_DAYS, 0);
	if (sign_link_make(task, due, agency, exp, in->link_key,
	    strlen(in->link_key), &token, err, sizeof(err)) == -1)
		return NULL;
	if (asprintf(&url, "%s/c/%s", nv->conf->public_url, token) == -1)
		url = NULL;
	free(token);
	return url;
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
	if ((in = calloc(1, sizeof(*in))) == NULL ||
	    (in->oa = calloc(c->nchannels + 1, sizeof(*in->oa))) == NULL)
		fatal("calloc");
	in->nv = nv;
	in->history = 1;
	snprintf(in->cursor, sizeof(in->cursor), "0");
	for (i = 0; i < c->nchannels; i++) {
		if (c->channels[i].type != CHANNEL_ZALO)
			continue;
		if (chanstart_read(c, &c->channels[i], &cs, err, len) == -1)
			goto fail;
		in->oa[in->noa].channel = strdup(c->channels[i].name);
		in->oa[in->noa].app_id = strdup(c->channels[i].app_id ?
		    c->channels[i].app_id : "");
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
	if (chanstart_secret(c->link_secret_file, CHANSTART_LINK_CREDENTIAL,
	    0, &in->link_key, err, len) == -1)
		goto fail;
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
	    inbound_link_route, in) == -1) {
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
	secret_free(in->link_key);
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
