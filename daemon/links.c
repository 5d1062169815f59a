/* The confirmation links a message carries (/c/TOKEN on the public listener): signed, a page that asks, a form that records ack or done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

#include "chanstart.h"
#include "clock.h"
#include "follow.h"
#include "log.h"
#include "nhacviecd.h"
#include "plan.h"
#include "schedule.h"
#include "secret.h"
#include "sign.h"
#include "template.h"
#include "xmalloc.h"

#define LINKS_DAYS	30	/* links work this long after the due day */

struct links {
	struct nv	*nv;
	char		*key;		/* never logged */
};

struct links_form {
	struct evhttp_request	*req;
	int			 done;
};

static void
links_html(struct evbuffer *b, const char *s)
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
links_page(struct evhttp_request *req, int code, const char *reason,
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
	links_html(b, title);
	evbuffer_add_printf(b, "</title><style>body{font-family:sans-serif;"
	    "max-width:36em;margin:2em auto;padding:0 1em;line-height:1.5}"
	    "button{font-size:1.1em;padding:.5em 1em;margin:.3em}"
	    "</style></head><body>\n<h1>");
	links_html(b, title);
	evbuffer_add_printf(b, "</h1>\n%s\n</body></html>\n", body_html);
	evhttp_send_reply(req, code, reason, b);
	evbuffer_free(b);
}

/* The token of a link (what follows /c/), checked. */
static enum sign_link_result
links_check(struct links *lk, struct evhttp_request *req,
    struct sign_link *l)
{
	const char	*path = evhttp_uri_get_path(
	    evhttp_request_get_evhttp_uri(req));

	if (path == NULL || strncmp(path, "/c/", 3) != 0)
		return SIGN_LINK_MALFORMED;
	return sign_link_parse(path + 3, lk->key, strlen(lk->key),
	    clock_now_ms(), l);
}

static void
links_refused(struct evhttp_request *req, enum sign_link_result r)
{
	if (r == SIGN_LINK_EXPIRED)
		links_page(req, 410, "Gone", "Liên kết đã hết hạn",
		    "<p>Liên kết xác nhận này đã hết hạn (30 ngày sau thời hạn "
		    "của nhiệm vụ). Xin liên hệ Phòng Nội vụ để ghi nhận.</p>");
	else
		links_page(req, 403, "Forbidden", "Liên kết không hợp lệ",
		    "<p>Liên kết xác nhận này không đúng hoặc đã bị sửa. Xin "
		    "dùng đúng liên kết trong thư, hoặc liên hệ Phòng Nội vụ."
		    "</p>");
}

/* GET /c/TOKEN: what the link is about, and two buttons; nothing changes. */
static void
links_get(struct evhttp_request *req, struct links *lk)
{
	const struct plan	*p = lk->nv->plan;
	const struct plan_task	*t;
	const struct plan_agency *a;
	struct sign_link	 l;
	enum sign_link_result	 r = links_check(lk, req, &l);
	struct evbuffer		*b;
	char			 due[128], *html;
	size_t			 len;

	if (r != SIGN_LINK_OK) {
		links_refused(req, r);
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
	links_html(b, t ? t->title : l.task);
	evbuffer_add_printf(b, "</b><br>Thời hạn: ");
	links_html(b, due);
	evbuffer_add_printf(b, "<br>Cơ quan, đơn vị: ");
	links_html(b, a ? a->name : l.agency);
	evbuffer_add_printf(b, "</p>\n<form method=\"post\">"
	    "<button name=\"action\" value=\"ack\">Đã nhận</button>"
	    "<button name=\"action\" value=\"done\">Đã hoàn thành</button>"
	    "</form>");
	len = evbuffer_get_length(b);
	html = calloc(1, len + 1);
	if (html)
		evbuffer_remove(b, html, len);
	evbuffer_free(b);
	links_page(req, 200, "OK", "Xác nhận nhiệm vụ", html ? html : "");
	free(html);
}

static void
links_reply(void *arg, redisReply *r)
{
	struct links_form	*k = arg;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2)
		links_page(k->req, 503, "Service Unavailable",
		    "Chưa ghi nhận được", "<p>Hệ thống đang bận; xin bấm lại "
		    "sau ít phút.</p>");
	else
		links_page(k->req, 200, "OK", "Đã ghi nhận",
		    k->done ? "<p>Đã ghi nhận: nhiệm vụ đã hoàn thành. Cảm ơn "
		    "quý cơ quan.</p>" : "<p>Đã ghi nhận: quý cơ quan đã "
		    "nhận nhiệm vụ.</p>");
	free(k);
}

/* POST /c/TOKEN with action=ack|done: recorded, as a head's reply is. */
static void
links_post(struct evhttp_request *req, struct links *lk)
{
	struct evbuffer		*b = evhttp_request_get_input_buffer(req);
	struct sign_link	 l;
	enum sign_link_result	 r = links_check(lk, req, &l);
	struct follow		 f;
	struct links_form	*k;
	char			 form[64], err[300];
	size_t			 n;
	int			 done;

	if (r != SIGN_LINK_OK) {
		links_refused(req, r);
		return;
	}
	n = evbuffer_copyout(b, form, sizeof(form) - 1);
	form[n > 0 ? n : 0] = '\0';
	if (strcmp(form, "action=done") == 0)
		done = 1;
	else if (strcmp(form, "action=ack") == 0)
		done = 0;
	else {
		links_page(req, 400, "Bad Request", "Yêu cầu không đúng",
		    "<p>Xin dùng một trong hai nút của trang xác nhận.</p>");
		return;
	}
	if (lk->nv->plan == NULL || follow_prepare(&f, &lk->nv->keys,
	    lk->nv->plan, lk->nv->conf, l.task, l.due, l.agency, done ?
	    FOLLOW_DONE : FOLLOW_ACK, clock_now_ms(), "link", NULL, NULL, err,
	    sizeof(err)) == -1) {
		links_page(req, 410, "Gone", "Nhiệm vụ không còn trong kế "
		    "hoạch", "<p>Kế hoạch không còn nhiệm vụ này; xin liên hệ "
		    "Phòng Nội vụ.</p>");
		return;
	}
	k = xcalloc(1, sizeof(*k));
	k->req = req;
	k->done = done;
	if (script_run_keys(lk->nv, &f.keys, SCRIPT_FOLLOW, links_reply, k,
	    f.argc, f.argv) == -1) {
		free(k);
		links_page(req, 503, "Service Unavailable",
		    "Chưa ghi nhận được", "<p>Hệ thống đang bận; xin bấm lại "
		    "sau ít phút.</p>");
	}
	follow_clear(&f);
}

void
links_route(struct evhttp_request *req, void *arg)
{
	struct nv	*nv = arg;

	if (nv->links == NULL)
		evhttp_send_error(req, 404, NULL);
	else if (evhttp_request_get_command(req) == EVHTTP_REQ_POST)
		links_post(req, nv->links);
	else
		links_get(req, nv->links);
}

/* The signed link of an occurrence for one agency (malloc'd), or NULL. */
static char *
links_url(const struct nv *nv, const char *task, const char *due,
    const char *agency)
{
	struct links	*lk = nv->links;
	const struct plan *p = nv->plan;
	plan_day	 day;
	char		*token = NULL, *url, err[200];
	int64_t		 exp;

	if (lk == NULL || p == NULL || plan_parse_day(due, &day) == -1)
		return NULL;
	exp = schedule_local_ms(p, day + 1 + LINKS_DAYS, 0);
	if (sign_link_make(task, due, agency, exp, lk->key, strlen(lk->key),
	    &token, err, sizeof(err)) == -1)
		return NULL;
	if (asprintf(&url, "%s/c/%s", nv->conf->public_url, token) == -1)
		url = NULL;
	free(token);
	return url;
}

void
links_confirm(const struct nv *nv, struct reminder *r)
{
	char	*url, day[11];
	size_t	 n;

	if (nv->links == NULL || r->escalation)
		return;
	if (r->task == NULL || r->due == NULL || r->agency == NULL ||
	    (n = strlen(r->due)) < 10)
		return;
	memcpy(day, r->due + n - 10, 10);	/* a span's end day */
	day[10] = '\0';
	if ((url = links_url(nv, r->task, day, r->agency)) != NULL) {
		free(r->own[1]);
		r->own[1] = url;
		r->confirm_url = url;
	}
}

struct links *
links_new(struct nv *nv, char *err, size_t len)
{
	struct links	*lk;

	lk = xcalloc(1, sizeof(*lk));
	lk->nv = nv;
	if (chanstart_secret(nv->conf->link_secret_file,
	    CHANSTART_LINK_CREDENTIAL, 0, &lk->key, err, len) == -1) {
		links_free(lk);
		return NULL;
	}
	return lk;
}

void
links_free(struct links *lk)
{
	if (lk == NULL)
		return;
	secret_free(lk->key);
	free(lk);
}
