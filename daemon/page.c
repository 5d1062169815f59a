/* One status page being answered: its Redis commands in flight, its deadline, its answer; and the bounded reads every page shares (the ledger by time, the follow-ups of a period). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "clock.h"
#include "entry.h"
#include "log.h"
#include "schedule.h"
#include "web.h"
#include "xmalloc.h"

#define PAGE_LEDGER_CHUNK	1000	/* entries per XRANGE */
#define PAGE_LEDGER_CHUNK_S	"1000"
#define PAGE_LEDGER_SLACK_MS	(3600 * 1000)	/* writers' clocks differ */

/* One command of a page: the reply goes to cb, then the page settles. */
struct page_call {
	struct page	*p;
	page_reply	*cb;
};

static void	page_settle(struct page *);

static void
page_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct page	*p = arg;

	(void)fd;
	(void)what;
	if (p->answered)
		return;
	log_warnx("status pages: %s took too long (Redis slow?); answered "
	    "503", evhttp_request_get_uri(p->req));
	page_error(p, 503, "Chưa trả lời được", "Cơ sở dữ liệu Redis trả lời "
	    "chậm. Thử lại sau ít phút.");
}

struct page *
page_new(struct web *w, struct nv *nv, struct evhttp_request *req,
    struct web_session *s, const char *section, int64_t deadline_ms)
{
	struct page	*p;
	struct timeval	 tv;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->deadline = evtimer_new(nv->base, page_deadline, p)) == NULL) {
		free(p);
		return NULL;
	}
	p->w = w;
	p->nv = nv;
	p->req = req;
	TAILQ_INIT(&p->query);
	snprintf(p->user, sizeof(p->user), "%s", s->user);
	snprintf(p->csrf, sizeof(p->csrf), "%s", s->csrf);
	snprintf(p->sid, sizeof(p->sid), "%s", s->id);
	snprintf(p->by, sizeof(p->by), "%s (trang theo dõi)", s->user);
	p->ctx.user = p->user;
	p->ctx.csrf = p->csrf;
	p->ctx.read_only = s->read_only;
	p->ctx.section = section;
	p->ctx.now = clock_now_ms();
	p->ctx.plan = nv->plan;
	tv.tv_sec = deadline_ms / 1000;
	tv.tv_usec = (deadline_ms % 1000) * 1000;
	evtimer_add(p->deadline, &tv);
	return p;
}

void
page_free(struct page *p)
{
	if (p == NULL)
		return;
	if (p->data_free != NULL)
		p->data_free(p->data);
	page_readers_free(p);
	evhttp_clear_headers(&p->query);
	event_free(p->deadline);
	free(p->id);
	free(p);
}

static void
page_call_reply(void *arg, redisReply *r)
{
	struct page_call	*c = arg;
	struct page		*p = c->p;

	p->pending--;
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		if (!p->failed)
			log_warnx("status pages: %s: %s",
			    evhttp_request_get_uri(p->req), r ? r->str :
			    "Redis unreachable");
		p->failed = 1;
	} else if (!p->failed && !p->answered)
		c->cb(p, r);
	free(c);
	page_settle(p);
}

static struct page_call *
page_call(struct page *p, page_reply *cb)
{
	struct page_call	*c;

	if (p->failed || (c = calloc(1, sizeof(*c))) == NULL) {
		p->failed = 1;
		return NULL;
	}
	c->p = p;
	c->cb = cb;
	return c;
}

int
page_command(struct page *p, page_reply *cb, int argc, const char **argv)
{
	struct page_call	*c;

	if ((c = page_call(p, cb)) == NULL)
		return -1;
	if (store_command(p->nv->store, page_call_reply, c, argc, argv,
	    NULL) == -1) {
		free(c);
		p->failed = 1;
		return -1;
	}
	p->pending++;
	return 0;
}

int
page_script(struct page *p, const struct keys *k, enum script_id id,
    page_reply *cb, int argc, const char **argv)
{
	struct page_call	*c;

	if ((c = page_call(p, cb)) == NULL)
		return -1;
	if (script_run_keys(p->nv, k, id, page_call_reply, c, argc,
	    argv) == -1) {
		free(c);
		p->failed = 1;
		return -1;
	}
	p->pending++;
	return 0;
}

/* Nothing more awaited: go on, answer, or (answered) let the page go. */
static void
page_settle(struct page *p)
{
	page_step	*next;

	if (p->pending > 0)
		return;
	while (!p->answered && !p->failed && p->pending == 0 &&
	    p->next != NULL) {
		next = p->next;
		p->next = NULL;
		p->ctx.plan = p->nv->plan;
		next(p);
	}
	if (p->pending > 0)
		return;
	if (!p->answered)
		page_error(p, 503, "Chưa trả lời được", p->failed ? "Không "
		    "đọc được cơ sở dữ liệu Redis. Thử lại sau ít phút." :
		    "Trang này gặp lỗi.");
	page_free(p);
}

void
page_go(struct page *p, page_step *next)
{
	p->next = next;
	page_settle(p);
}

/* The body of an answer goes when libevent has written it. */
static void
page_body_free(const void *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	free((void *)(uintptr_t)data);
}

static void
page_answer(struct page *p, int status, const char *type, int private,
    char *body, size_t len, const char *filename)
{
	struct evbuffer	*b;
	char		 disp[200];

	p->answered = 1;
	evtimer_del(p->deadline);
	web_headers(p->req, type, private);
	if (filename != NULL) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    filename);
		evhttp_add_header(evhttp_request_get_output_headers(p->req),
		    "Content-Disposition", disp);
	}
	if ((b = evbuffer_new()) == NULL ||
	    evbuffer_add_reference(b, body, len, page_body_free, NULL) == -1) {
		evbuffer_free(b);
		free(body);
		evhttp_send_error(p->req, 500, NULL);
		return;
	}
	evhttp_send_reply(p->req, status, status == 200 ? "OK" :
	    status == 303 ? "See Other" : status == 400 ? "Bad Request" :
	    status == 403 ? "Forbidden" : status == 404 ? "Not Found" :
	    status == 503 ? "Service Unavailable" : "Error", b);
	evbuffer_free(b);
}

void
page_html(struct page *p, int status, struct html *h)
{
	char	*body;
	size_t	 len;

	if ((body = html_take(h, &len)) == NULL) {
		p->answered = 1;
		evtimer_del(p->deadline);
		evhttp_send_error(p->req, 500, NULL);
		return;
	}
	page_answer(p, status, "text/html; charset=utf-8", 1, body, len, NULL);
}

void
page_csv(struct page *p, const char *filename, char *body, size_t len)
{
	page_answer(p, 200, "text/csv; charset=utf-8", 1, body, len, filename);
}

void
page_redirect(struct page *p, const char *location, const char *flash,
    int bad)
{
	struct web_session	*s;
	char			*body;

	if (flash != NULL && (s = web_session_find(p->w, p->sid)) != NULL) {
		snprintf(s->flash, sizeof(s->flash), "%s", flash);
		s->flash_bad = bad;
	}
	evhttp_add_header(evhttp_request_get_output_headers(p->req),
	    "Location", location);
	if ((body = strdup("")) == NULL) {
		p->answered = 1;
		evtimer_del(p->deadline);
		evhttp_send_error(p->req, 500, NULL);
		return;
	}
	page_answer(p, 303, "text/html; charset=utf-8", 1, body, 0, NULL);
}

void
page_error(struct page *p, int status, const char *title, const char *text)
{
	struct html	h;

	html_init(&h);
	p->ctx.plan = p->nv->plan;
	view_error(&h, &p->ctx, title, text);
	page_html(p, status, &h);
}

const char *
page_arg(struct page *p, const char *name)
{
	return evhttp_find_header(&p->query, name);
}

plan_day
page_day(struct page *p, const char *name, plan_day def, int *bad)
{
	const char	*v = page_arg(p, name);
	plan_day	 d;

	if (v == NULL || *v == '\0')
		return def;
	if (plan_parse_day(v, &d) == -1) {
		*bad = 1;
		return def;
	}
	return d;
}

void
page_period(struct page *p, plan_day from, plan_day to, int max_days,
    struct view_period *pr)
{
	int	bad = 0;

	pr->from = page_day(p, "from", from, &bad);
	pr->to = page_day(p, "to", to, &bad);
	if (pr->to < pr->from) {
		pr->to = pr->from;
		bad = 1;
	}
	if (pr->to - pr->from >= max_days) {
		pr->to = pr->from + max_days - 1;
		bad = 1;
	}
	if (bad && p->ctx.flash == NULL) {
		snprintf(p->flash, sizeof(p->flash), "Khoảng ngày không hợp "
		    "lệ: hiện từ ngày bắt đầu, tối đa %d ngày.", max_days);
		p->ctx.flash = p->flash;
		p->ctx.flash_bad = 1;
	}
}

plan_day
page_today(struct page *p)
{
	int	min;

	if (p->nv->plan == NULL)
		return (plan_day)(p->ctx.now / 86400000);
	return schedule_day_of(p->nv->plan, p->ctx.now, &min);
}

int64_t
page_day_ms(struct page *p, plan_day day)
{
	if (p->nv->plan == NULL)
		return (int64_t)day * 86400000;
	return schedule_local_ms(p->nv->plan, day, 0);
}

/* The month of today, as a period. */
void
page_month(struct page *p, struct view_period *pr)
{
	int	y, m, d;

	plan_day_to_ymd(page_today(p), &y, &m, &d);
	pr->from = plan_day_from_ymd(y, m, 1);
	pr->to = plan_day_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
	    1) - 1;
}

/* The end of a due day (ms): the next day's first instant, as the
 * planner scores {p}:occurrences. */
int64_t
page_due_end(struct page *p, plan_day day)
{
	return page_day_ms(p, day + 1);
}

/* "AGENCY:note" among a hash's field, value pairs, or NULL. */
const char *
page_note(char *const *fields, size_t n, const char *agency)
{
	size_t	i, len = strlen(agency);

	for (i = 0; i + 1 < n; i += 2)
		if (strncmp(fields[i], agency, len) == 0 &&
		    strcmp(fields[i] + len, ":note") == 0)
			return fields[i + 1];
	return NULL;
}

char *
page_strdup(const char *s)
{
	return xstrdup(s ? s : "");
}

const char *
page_str(const redisReply *r)
{
	if (r != NULL && (r->type == REDIS_REPLY_STRING ||
	    r->type == REDIS_REPLY_STATUS))
		return r->str;
	return "";
}

/* --- the ledger by time -------------------------------------------------- */

struct page_ledger {
	int64_t		 since, until;
	page_entry_fn	*fn;
	page_step	*done;
	int		*cut;
	long long	*read;
	long long	 n;
	char		 from[ENTRY_ID_MAX + 1];
};

static void	page_ledger_more(struct page *);

static void
page_ledger_chunk(struct page *p, redisReply *r)
{
	struct page_ledger	*lg = p->ledger;
	struct history_entry	 e;
	const redisReply	*x, *f;
	const char		**fields;
	size_t			 i, j;
	int			 stop = 0;

	if (r->type != REDIS_REPLY_ARRAY) {
		p->failed = 1;
		return;
	}
	for (i = 0; i < r->elements && !stop; i++) {
		x = r->element[i];
		if (x->type != REDIS_REPLY_ARRAY || x->elements != 2 ||
		    x->element[0]->type != REDIS_REPLY_STRING ||
		    (f = x->element[1])->type != REDIS_REPLY_ARRAY)
			continue;
		snprintf(lg->from, sizeof(lg->from), "(%s", x->element[0]->str);
		lg->n++;
		fields = xcalloc(f->elements + 1, sizeof(*fields));
		for (j = 0; j < f->elements; j++)
			fields[j] = page_str(f->element[j]);
		if (history_read(&e, fields, f->elements) == 0 && e.at >= 0) {
			/* Past the end, and past what other clocks may add. */
			if (e.at >= lg->until + PAGE_LEDGER_SLACK_MS)
				stop = 1;
			else if (e.at >= lg->since && e.at < lg->until)
				lg->fn(p, &e, fields, f->elements);
		}
		free(fields);
	}
	if (lg->read != NULL)
		*lg->read = lg->n;
	if (stop || r->elements < PAGE_LEDGER_CHUNK)
		p->next = lg->done;
	else if (lg->n >= PAGE_LEDGER_MAX) {
		if (lg->cut != NULL)
			*lg->cut = 1;
		p->next = lg->done;
	} else
		p->next = page_ledger_more;
}

static void
page_ledger_more(struct page *p)
{
	struct page_ledger	*lg = p->ledger;
	const char		*argv[6];

	argv[0] = "XRANGE";
	argv[1] = p->nv->keys.log;
	argv[2] = lg->from;
	argv[3] = "+";
	argv[4] = "COUNT";
	argv[5] = PAGE_LEDGER_CHUNK_S;
	page_command(p, page_ledger_chunk, 6, argv);
}

static void
page_ledger_seek(struct page *p, redisReply *r)
{
	struct page_ledger	*lg = p->ledger;
	const char		*start = page_str(r);

	if (*start == '\0') {
		p->next = lg->done;
		return;
	}
	snprintf(lg->from, sizeof(lg->from), "%s", start);
	p->next = page_ledger_more;
}

void
page_ledger(struct page *p, int64_t since, int64_t until, page_entry_fn *fn,
    page_step *done, int *cut, long long *read)
{
	struct page_ledger	*lg;
	char			 at[24];
	const char		*argv[1];

	if (p->ledger == NULL)
		p->ledger = xcalloc(1, sizeof(*lg));
	lg = p->ledger;
	memset(lg, 0, sizeof(*lg));
	lg->since = since;
	lg->until = until;
	lg->fn = fn;
	lg->done = done;
	lg->cut = cut;
	lg->read = read;
	/* Start early: entries of other clocks may come a little out of
	 * order; what is before since is left out when read. */
	snprintf(at, sizeof(at), "%lld", (long long)(since -
	    PAGE_LEDGER_SLACK_MS));
	argv[0] = at;
	p->next = NULL;
	page_script(p, &p->nv->keys, SCRIPT_LEDGER_SEEK, page_ledger_seek, 1,
	    argv);
}

/* --- the follow-ups of a period ------------------------------------------- */

struct page_occ {
	page_occ_fn	*fn;
	page_step	*done;
	char		**ids;
	int64_t		 *ends;
	size_t		  n;
	size_t		  got;
};

static void
page_occ_clear(struct page_occ *o)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		free(o->ids[i]);
	free(o->ids);
	free(o->ends);
	memset(o, 0, sizeof(*o));
}

/* One occurrence's hash: replies come in the order asked. */
static void
page_occ_hash(struct page *p, redisReply *r)
{
	struct page_occ	*o = p->occ;
	char		**fields;
	size_t		 i;

	if (o->got >= o->n)
		return;
	if (r->type == REDIS_REPLY_ARRAY) {
		fields = xcalloc(r->elements + 1, sizeof(*fields));
		for (i = 0; i < r->elements; i++)
			fields[i] = (char *)page_str(r->element[i]);
		o->fn(p, o->ids[o->got], o->ends[o->got], fields, r->elements);
		free(fields);
	}
	o->got++;
}

static void
page_occ_list(struct page *p, redisReply *r)
{
	struct page_occ	*o = p->occ;
	struct keys	 k = p->nv->keys;
	const char	*argv[2];
	size_t		 i;

	p->next = o->done;
	if (r->type != REDIS_REPLY_ARRAY)
		return;
	o->ids = xcalloc(r->elements / 2 + 1, sizeof(*o->ids));
	o->ends = xcalloc(r->elements / 2 + 1, sizeof(*o->ends));
	for (i = 0; i + 1 < r->elements; i += 2) {
		if (keys_set_occ(&k, page_str(r->element[i])) == -1)
			continue;
		o->ids[o->n] = xstrdup(page_str(r->element[i]));
		o->ends[o->n++] = strtoll(page_str(r->element[i + 1]), NULL,
		    10);
		argv[0] = "HGETALL";
		argv[1] = k.occ;
		page_command(p, page_occ_hash, 2, argv);
	}
}

void
page_occurrences(struct page *p, int64_t from_ms, int64_t to_ms,
    page_occ_fn *fn, page_step *done)
{
	struct page_occ	*o;
	char		 a[24], b[24];
	const char	*argv[8];

	if (p->occ == NULL)
		p->occ = xcalloc(1, sizeof(*o));
	o = p->occ;
	page_occ_clear(o);
	o->fn = fn;
	o->done = done;
	snprintf(a, sizeof(a), "%lld", (long long)from_ms);
	snprintf(b, sizeof(b), "%lld", (long long)to_ms);
	argv[0] = "ZRANGEBYSCORE";
	argv[1] = p->nv->keys.occurrences;
	argv[2] = a;
	argv[3] = b;
	argv[4] = "WITHSCORES";
	argv[5] = "LIMIT";
	argv[6] = "0";
	argv[7] = PAGE_OCC_MAX_S;
	p->next = NULL;
	page_command(p, page_occ_list, 8, argv);
}

void
page_readers_free(struct page *p)
{
	if (p->occ != NULL)
		page_occ_clear(p->occ);
	free(p->occ);
	free(p->ledger);
	p->occ = p->ledger = NULL;
}
