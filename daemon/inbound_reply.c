/* What a Zalo event says: the reminders a message carried were received or seen, or a head's reply is placed on its occurrence (or kept in {p}:inbox), and the OA answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "follow.h"
#include "inbound_priv.h"
#include "log.h"
#include "nhacviecd.h"
#include "plan.h"
#include "planstore.h"
#include "reply.h"

/* One follow-up of a reminder id (TASK/DUE/SPEC/AGENCY/CHANNEL). */
static int
inbound_reply_split(const char *id, char *task, char *due, char *agency,
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
inbound_reply_followed(void *arg, redisReply *r)
{
	struct inevent	*e = arg;

	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_warnx("recording a follow-up failed: %s", r ? r->str :
		    "Redis unreachable");
	if (--e->pending == 0)
		inbound_done(e);
}

/* received / seen of the reminders a Zalo message carried. */
void
inbound_reply_refs(void *arg, redisReply *r)
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
		    inbound_reply_split(r->element[i]->str, task, due, agency,
		    sizeof(task)) == -1 || in->nv->plan == NULL)
			continue;
		if (follow_prepare(&f, &in->nv->keys, in->nv->plan,
		    in->nv->conf, task, due, agency, what, clock_now_ms(),
		    "zalo", NULL, NULL, err, sizeof(err)) == -1) {
			log_debug("zalo %s: %s", e->name, err);
			continue;
		}
		if (script_run_keys(in->nv, &f.keys, SCRIPT_FOLLOW,
		    inbound_reply_followed, e, f.argc, f.argv) == 0)
			e->pending++;
		follow_clear(&f);
	}
	if (--e->pending == 0)
		inbound_done(e);
}

/* A message to a head through the outbox (recorded, retried like any). */
static void
inbound_reply_say(struct inevent *e, const char *title, const char *text)
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
inbound_reply_inbox(struct inevent *e, const char *why)
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
	if (store_command(in->nv->store, inbound_reply_followed, e, 15, argv,
	    NULL) == -1)
		e->pending--;
}

static void
inbound_reply_placed(void *arg, redisReply *r)
{
	struct inevent		*e = arg;
	char			 text[600];
	const char		*what;

	what = e->kind == REPLY_DONE ? "đã hoàn thành" : "đã nhận";
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->integer == 1) {
		e->in->placed++;
		snprintf(text, sizeof(text), "Đã ghi nhận %s %s. Cảm ơn "
		    "đồng chí.%s", e->code, what,
		    r->element[1]->integer > 0 ? " Các nhắc việc tiếp theo "
		    "của nhiệm vụ này sẽ không gửi nữa." : "");
		inbound_reply_say(e, "Xác nhận", text);
	}
	inbound_reply_followed(e, r);
}

/* The reply belongs to occurrence task/due: record it, confirm once. */
static void
inbound_reply_place(struct inevent *e, const char *task, const char *due)
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
		inbound_reply_inbox(e, err);
		return;
	}
	e->pending++;
	if (script_run_keys(in->nv, &f.keys, SCRIPT_FOLLOW,
	    inbound_reply_placed, e, f.argc, f.argv) == -1)
		e->pending--;
	follow_clear(&f);
}

/* Candidates for a reply with no quote: the head's open occurrences. */
static void
inbound_reply_open(void *arg, redisReply *r)
{
	struct inevent	*e = arg;
	redisReply	*occ, *f;
	char		 list[800], code[REPLY_CODE_SIZE], task[256];
	char		 first[REPLY_CODE_SIZE] = "";
	const char	*one = NULL, *slash;
	size_t		 i, n = 0, off = 0;
	int64_t		 since;

	since = clock_now_ms() - INBOUND_OPEN_DAYS * 86400000LL;
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
		inbound_reply_place(e, task, slash + 1);
	} else if (n == 0)
		inbound_reply_inbox(e, e->code[0] ? "its code names no open "
		    "task of this agency" : "no open task was sent to this "
		    "agency in the last 14 days");
	else {
		char	text[1000];

		snprintf(text, sizeof(text), "Đồng chí vui lòng trả lời kèm mã "
		    "nhiệm vụ (ví dụ: \"%s xong\"). Các nhiệm vụ đang mở:%s",
		    first, list);
		inbound_reply_say(e, "Xin mã nhiệm vụ", text);
		inbound_reply_inbox(e, "several open tasks could be meant: "
		    "the OA asked which");
	}
	if (--e->pending == 0)
		inbound_done(e);
}

static void
inbound_reply_quote(void *arg, redisReply *r)
{
	struct inevent	*e = arg;
	struct inbound	*in = e->in;
	char		 task[256], due[256], agency[256];
	char		 fr[300], fd[300];
	const char	*argv[4];

	e->pending = 1;
	if (r && r->type == REDIS_REPLY_STRING &&
	    inbound_reply_split(r->str, task, due, agency, sizeof(task)) == 0) {
		inbound_reply_place(e, task, due);
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
	if (script_run(in->nv, SCRIPT_OPEN, inbound_reply_open, e, 4,
	    argv) == -1)
		e->pending--;
	if (--e->pending == 0)
		inbound_done(e);
}

/* A head wrote to the OA: what it means, and which task it is about. */
void
inbound_reply_text(struct inevent *e)
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
		inbound_reply_inbox(e, "the sender is no agency's zalo id in "
		    "the plan");
	else if ((e->kind = reply_classify(e->text)) == REPLY_NONE)
		inbound_reply_inbox(e, "the text says neither received nor "
		    "done");
	else {
		if (reply_code_find(e->text, e->code) <= 0)
			e->code[0] = '\0';
		e->pending++;
		if (store_commandf(in->nv->store, inbound_reply_quote, e,
		    "HGET %s %s", in->nv->keys.refs, e->quote[0] ? e->quote :
		    "-") == -1)
			e->pending--;
	}
	if (--e->pending == 0)
		inbound_done(e);
}
