/* Thư lỗi (/dead) and the actions of the pages: send dead letters again, pause and resume a channel, each through the script and arguments `nhacviec` uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "parse.h"
#include "pause.h"
#include "requeue.h"
#include "text.h"
#include "web.h"
#include "xmalloc.h"

#define DEAD_SHOWN	300

struct dead {
	struct view_dead	*v;
	size_t			 n;
	char			**strs;		/* what v points to */
	size_t			 nstrs;
	long long		 total;
	char			 id[300];	/* the requeue asked for */
	char			 channel[120];	/* pause, resume */
};

static void
dead_free(void *arg)
{
	struct dead	*d = arg;
	size_t		 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nstrs; i++)
		free(d->strs[i]);
	free(d->strs);
	free(d->v);
	free(d);
}

static struct dead *
dead_new(struct page *p)
{
	struct dead	*d;

	d = xcalloc(1, sizeof(*d));
	p->data = d;
	p->data_free = dead_free;
	return d;
}

/* A value of an entry's field list, kept with the page ("" if none). */
static const char *
dead_keep(struct dead *d, const redisReply *f, const char *name)
{
	const char	*v = "";
	char		**ns;
	size_t		 i;

	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements;
	    i += 2)
		if (strcmp(page_str(f->element[i]), name) == 0) {
			v = page_str(f->element[i + 1]);
			break;
		}
	ns = xreallocarray(d->strs, d->nstrs + 1, sizeof(*ns));
	ns[d->nstrs] = xstrdup(v);
	d->strs = ns;
	return ns[d->nstrs++];
}

static void
dead_list(struct page *p, redisReply *r)
{
	struct dead		*d = p->data;
	const redisReply	*e;
	size_t			 i;

	if (r->type != REDIS_REPLY_ARRAY)
		return;
	d->v = xcalloc(r->elements + 1, sizeof(*d->v));
	for (i = 0; i < r->elements; i++) {
		e = r->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
			continue;
		d->v[d->n].id = dead_keep(d, e->element[1], "id");
		d->v[d->n].channel = dead_keep(d, e->element[1], "channel");
		d->v[d->n].reason = dead_keep(d, e->element[1], "reason");
		d->v[d->n].attempt = dead_keep(d, e->element[1], "attempt");
		d->v[d->n].at = strtoll(dead_keep(d, e->element[1], "at"), NULL,
		    10);
		d->n++;
	}
}

static void
dead_len(struct page *p, redisReply *r)
{
	struct dead	*d = p->data;

	if (r->type == REDIS_REPLY_INTEGER)
		d->total = r->integer;
}

static void
dead_render(struct page *p)
{
	struct dead	*d = p->data;
	struct html	 h;

	html_init(&h);
	view_dead(&h, &p->ctx, d->v, d->n, d->total);
	page_html(p, 200, &h);
}

void
page_dead(struct page *p)
{
	const char	*argv[6];

	dead_new(p);
	argv[0] = "XLEN";
	argv[1] = p->nv->keys.dead;
	page_command(p, dead_len, 2, argv);
	argv[0] = "XRANGE";
	argv[2] = "-";
	argv[3] = "+";
	argv[4] = "COUNT";
	argv[5] = "300";
	page_command(p, dead_list, 6, argv);
	page_go(p, dead_render);
}

/* --- Gửi lại ------------------------------------------------------------- */

static void
requeue_done(struct page *p, redisReply *r)
{
	struct dead	*d = p->data;
	char		 msg[WEB_FLASH_MAX];
	size_t		 n = r->type == REDIS_REPLY_ARRAY ? r->elements : 0;

	log_info("status pages: %s requeued %zu dead letter%s (%s)", p->user,
	    n, n == 1 ? "" : "s", d->id);
	if (n == 0)
		snprintf(msg, sizeof(msg), "Không có thư nào được gửi lại: %s",
		    strcmp(d->id, "*") == 0 ? "không còn thư lỗi." :
		    "thư này không còn trong danh sách thư lỗi.");
	else
		snprintf(msg, sizeof(msg), "Đã đưa %zu thư vào hàng gửi lại. "
		    "%s", n, d->strs != NULL ? d->strs[0] : "");
	page_redirect(p, "/dead", msg, n == 0);
}

/* The dead letters are in: what the plan says now, then requeue.lua. */
static void
requeue_letters(struct page *p, redisReply *r)
{
	struct dead	*d = p->data;
	struct requeue	 q;
	char		 notes[WEB_FLASH_MAX] = "";
	size_t		 i, len;

	if (requeue_prepare(&q, r, p->nv->plan, p->nv->conf, d->id, p->by,
	    clock_now_ms()) == -1) {
		p->failed = 1;
		return;
	}
	for (i = 0; i < q.nnotes; i++) {
		len = strlen(notes);
		snprintf(notes + len, sizeof(notes) - len, "%s%s", len ? " " :
		    "", q.notes[i].text);
	}
	d->strs = xcalloc(1, sizeof(*d->strs));
	d->strs[0] = xstrdup(notes);
	d->nstrs = 1;
	if (q.n == 0) {
		requeue_clear(&q);
		page_redirect(p, "/dead", *notes ? notes : "Không có thư nào "
		    "để gửi lại.", 1);
		return;
	}
	page_script(p, &p->nv->keys, SCRIPT_REQUEUE, requeue_done, q.argc,
	    q.argv);
	requeue_clear(&q);
}

void
page_requeue(struct page *p)
{
	struct dead	*d = dead_new(p);
	const char	*id = page_arg(p, "id"), *argv[4];

	if (id == NULL || *id == '\0' || strlen(id) >= sizeof(d->id)) {
		page_redirect(p, "/dead", "Không rõ gửi lại thư nào.", 1);
		page_free(p);
		return;
	}
	snprintf(d->id, sizeof(d->id), "%s", id);
	argv[0] = "XRANGE";
	argv[1] = p->nv->keys.dead;
	argv[2] = "-";
	argv[3] = "+";
	page_command(p, requeue_letters, 4, argv);
	page_go(p, NULL);
}

/* --- Tạm dừng, cho tiếp tục ----------------------------------------------- */

static void
pause_done(struct page *p, redisReply *r)
{
	struct dead	*d = p->data;
	char		 msg[WEB_FLASH_MAX];

	(void)r;
	log_notice("status pages: %s paused channel %s", p->user, d->channel);
	snprintf(msg, sizeof(msg), "Đã tạm dừng kênh %s ở mọi máy chủ.",
	    d->channel);
	page_redirect(p, "/", msg, 0);
}

static void
resume_done(struct page *p, redisReply *r)
{
	struct dead	*d = p->data;
	char		 msg[WEB_FLASH_MAX];
	long long	 held = 0;
	int		 lifted = 0;

	if (r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
		lifted = r->element[0]->integer != 0;
		held = r->element[1]->integer;
	}
	log_notice("status pages: %s resumed channel %s", p->user,
	    d->channel);
	if (lifted)
		snprintf(msg, sizeof(msg), "Kênh %s gửi tiếp; %lld nhắc việc "
		    "đang chờ sẽ được gửi.", d->channel, held);
	else
		snprintf(msg, sizeof(msg), "Kênh %s không bị tạm dừng.",
		    d->channel);
	page_redirect(p, "/", msg, !lifted);
}

/* The channel the form names, if the config has it; else answered. */
static int
pause_channel(struct page *p, struct dead *d)
{
	const char	*ch = page_arg(p, "channel");

	if (ch == NULL || config_channel_find(p->nv->conf, ch) == NULL) {
		page_redirect(p, "/", "Không có kênh này trong cấu hình.", 1);
		page_free(p);
		return -1;
	}
	snprintf(d->channel, sizeof(d->channel), "%s", ch);
	return 0;
}

void
page_pause(struct page *p)
{
	struct dead		*d = dead_new(p);
	struct pause_call	 pc;
	const char		*reason = page_arg(p, "reason");
	const char		*dur = page_arg(p, "for");
	char			 err[200], why[300];
	int64_t			 for_ms = 0;

	if (pause_channel(p, d) == -1)
		return;
	if (dur != NULL && strcmp(dur, "0") != 0 && (parse_duration(dur,
	    &for_ms, err, sizeof(err)) == -1 || for_ms <= 0)) {
		page_redirect(p, "/", "Thời gian tạm dừng không hợp lệ.", 1);
		page_free(p);
		return;
	}
	/* At most 300 bytes of reason, whole characters, one line. */
	text_printable(why, sizeof(why), reason ? reason : "", reason ?
	    strlen(reason) : 0);
	pause_prepare(&pc, d->channel, p->by, why, for_ms, clock_now_ms());
	page_script(p, &p->nv->keys, SCRIPT_PAUSE, pause_done, pc.argc,
	    pc.argv);
	page_go(p, NULL);
}

void
page_resume(struct page *p)
{
	struct dead		*d = dead_new(p);
	struct pause_call	 pc;

	if (pause_channel(p, d) == -1)
		return;
	pause_resume_prepare(&pc, d->channel, 0, p->by, clock_now_ms());
	page_script(p, &p->nv->keys, SCRIPT_RESUME, resume_done, pc.argc,
	    pc.argv);
	page_go(p, NULL);
}
