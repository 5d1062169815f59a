/* The status pages on the admin listener: routes, sessions and form tokens, the answers that need no Redis (web_login.c checks passwords). */
#include <sys/random.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "clock.h"
#include "i18n.h"
#include "listener.h"
#include "log.h"
#include "web.h"

#define WEB_SESSIONS_MAX	256
#define WEB_SESSION_IDLE_MS	(8 * 3600 * 1000)	/* a working day */
#define WEB_COOKIE		"nv_session"

/* Made by scripts/embed-web.sh from web/. */
extern const char	web_style_css[], web_favicon_svg[];
extern const size_t	web_style_css_len, web_favicon_svg_len;

struct web {
	struct nv		*nv;
	struct listener		*l;
	struct users		*users;
	char			*users_path;
	int			 users_warned;
	TAILQ_HEAD(, web_session) sessions;
	size_t			 nsessions;
	int64_t			 deadline_ms;
	struct web_login	*login;		/* web_login.c */
};

int64_t
web_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Hex of fresh random bytes: a session id or a form token. */
static int
web_token(char out[WEB_TOKEN_LEN + 1])
{
	unsigned char	b[WEB_TOKEN_LEN / 2];
	size_t		i;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	for (i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	explicit_bzero(b, sizeof(b));
	return 0;
}

/* Equal without saying where they differ. */
static int
web_same(const char *a, const char *b)
{
	size_t		i, n = strlen(a);
	unsigned char	d = 0;

	if (n != strlen(b) || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

void
web_headers(struct evhttp_request *req, const char *type, int private)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'self'; img-src 'self'; form-action 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "same-origin");
	evhttp_add_header(h, "Cache-Control", private ? "no-store" :
	    "public, max-age=3600");
}

/* Printable ASCII of an outside value, for a log line. */
void
web_loggable(const char *in, char *out, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; in != NULL && in[i] != '\0' && o + 1 < len; i++)
		out[o++] = in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[o] = '\0';
}

/* Who sent the request: its address, and the proxy's X-Forwarded-For. */
void
web_from(struct evhttp_request *req, char *buf, size_t len)
{
	struct evhttp_connection	*evcon;
	const char			*xff;
	char				*addr = NULL, x[80];
	ev_uint16_t			 port = 0;

	evcon = evhttp_request_get_connection(req);
	if (evcon != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	xff = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Forwarded-For");
	web_loggable(xff, x, sizeof(x));
	snprintf(buf, len, "%s%s%s%s", addr ? addr : "?", xff ? " (for " : "",
	    xff ? x : "", xff ? ")" : "");
}

/* --- users and sessions -------------------------------------------------- */

/* The users file as it is now (read again when it changed). */
const struct users *
web_users(struct web *w)
{
	struct users	*u;
	struct diag	 d;
	int		 missing;

	if (w->users != NULL && !users_changed(w->users, w->users_path))
		return w->users;
	diag_init(&d);
	u = users_load(w->users_path, &d, &missing);
	if (u == NULL && !w->users_warned) {
		diag_log(&d, log_warnx, log_warnx);
		log_warnx("status pages: nobody can log in until %s is right",
		    w->users_path);
		w->users_warned = 1;
	}
	diag_clear(&d);
	if (u != NULL) {
		if (w->users != NULL || w->users_warned)
			log_info("status pages: %s read again, %zu user%s",
			    w->users_path, u->n, u->n == 1 ? "" : "s");
		w->users_warned = 0;
	}
	users_free(w->users);
	w->users = u;
	return u;
}

static void
web_session_drop(struct web *w, struct web_session *s)
{
	TAILQ_REMOVE(&w->sessions, s, link);
	w->nsessions--;
	explicit_bzero(s, sizeof(*s));
	free(s);
}

struct web_session *
web_session_find(struct web *w, const char *id)
{
	struct web_session	*s;

	TAILQ_FOREACH(s, &w->sessions, link)
		if (web_same(s->id, id))
			return s;
	return NULL;
}

/* The session the request's cookie names, still valid, or NULL. */
static struct web_session *
web_session(struct web *w, struct evhttp_request *req)
{
	const struct users		*u;
	const struct users_entry	*e;
	struct web_session		*s;
	const char			*c, *p;
	char				 id[WEB_TOKEN_LEN + 1];
	int64_t				 now = web_mono_ms();

	c = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Cookie");
	for (p = c; p != NULL && (p = strstr(p, WEB_COOKIE "=")) != NULL;
	    p++) {
		if (p != c && p[-1] != ' ' && p[-1] != ';')
			continue;
		p += strlen(WEB_COOKIE "=");
		if (strspn(p, "0123456789abcdef") != WEB_TOKEN_LEN)
			return NULL;
		memcpy(id, p, WEB_TOKEN_LEN);
		id[WEB_TOKEN_LEN] = '\0';
		break;
	}
	if (p == NULL || (s = web_session_find(w, id)) == NULL)
		return NULL;
	if (now - s->used > WEB_SESSION_IDLE_MS) {
		web_session_drop(w, s);
		return NULL;
	}
	/* A user removed or changed to read-only since: it shows at once. */
	u = web_users(w);
	if (u == NULL || (e = users_find(u, s->user)) == NULL) {
		web_session_drop(w, s);
		return NULL;
	}
	s->read_only = e->read_only;
	s->used = now;
	return s;
}

struct web_session *
web_session_new(struct web *w, const char *user, int read_only)
{
	struct web_session	*s, *old;

	/* Full: the one unused the longest goes. */
	while (w->nsessions >= WEB_SESSIONS_MAX) {
		old = TAILQ_FIRST(&w->sessions);
		TAILQ_FOREACH(s, &w->sessions, link)
			if (s->used < old->used)
				old = s;
		web_session_drop(w, old);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (web_token(s->id) == -1 || web_token(s->csrf) == -1) {
		free(s);
		return NULL;
	}
	snprintf(s->user, sizeof(s->user), "%s", user);
	s->read_only = read_only;
	s->used = web_mono_ms();
	TAILQ_INSERT_TAIL(&w->sessions, s, link);
	w->nsessions++;
	return s;
}

/* The cookie; Secure when the proxy says the browser came over HTTPS. */
void
web_cookie(struct evhttp_request *req, const char *id)
{
	const char	*proto;
	char		 c[200];

	proto = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Forwarded-Proto");
	snprintf(c, sizeof(c), WEB_COOKIE "=%s; Path=/; HttpOnly; "
	    "SameSite=Strict%s%s", id ? id : "", proto && strcmp(proto,
	    "https") == 0 ? "; Secure" : "", id ? "" : "; Max-Age=0");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Set-Cookie", c);
}

/* --- answers ------------------------------------------------------------ */

static void
web_send(struct evhttp_request *req, int status, const char *type,
    int private, const char *body, size_t len)
{
	struct evbuffer	*b = evbuffer_new();

	web_headers(req, type, private);
	if (b == NULL || evbuffer_add(b, body, len) == -1) {
		evbuffer_free(b);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evhttp_send_reply(req, status, status == 200 ? "OK" : status == 303 ?
	    "See Other" : status == 401 ? "Unauthorized" : status == 403 ?
	    "Forbidden" : status == 404 ? "Not Found" : status == 405 ?
	    "Method Not Allowed" : status == 503 ? "Service Unavailable" :
	    "Error", b);
	evbuffer_free(b);
}

/* A page not tied to Redis: login, errors. */
static void
web_send_html(struct evhttp_request *req, int status, struct html *h)
{
	char	*body;
	size_t	 len;

	if ((body = html_take(h, &len)) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	web_send(req, status, "text/html; charset=utf-8", 1, body, len);
	free(body);
}

static void
web_ctx(struct web *w, struct view_ctx *c, const struct web_session *s)
{
	memset(c, 0, sizeof(*c));
	c->plan = w->nv->plan;
	c->now = clock_now_ms();
	if (s != NULL) {
		c->user = s->user;
		c->read_only = s->read_only;
		c->csrf = s->csrf;
	}
}

void
web_error(struct web *w, struct evhttp_request *req,
    const struct web_session *s, int status, const char *title,
    const char *text)
{
	struct view_ctx	c;
	struct html	h;

	web_ctx(w, &c, s);
	html_init(&h);
	view_error(&h, &c, title, text);
	web_send_html(req, status, &h);
}

void
web_login_page(struct web *w, struct evhttp_request *req, int status,
    const char *user, const char *err)
{
	struct view_ctx	c;
	struct html	h;

	web_ctx(w, &c, NULL);
	html_init(&h);
	view_login(&h, &c, user, err);
	web_send_html(req, status, &h);
}

void
web_redirect(struct evhttp_request *req, const char *to)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location",
	    to);
	web_send(req, 303, "text/html; charset=utf-8", 1, "", 0);
}

/* A form's fields (application/x-www-form-urlencoded) into q. */
int
web_form(struct evhttp_request *req, struct evkeyvalq *q)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 n = evbuffer_get_length(in);
	char		*body;
	int		 rc;

	TAILQ_INIT(q);
	if ((body = malloc(n + 1)) == NULL)
		return -1;
	evbuffer_copyout(in, body, n);
	body[n] = '\0';
	rc = n == 0 ? 0 : evhttp_parse_query_str(body, q);
	explicit_bzero(body, n);
	free(body);
	return rc;
}

/* --- routes ------------------------------------------------------------- */

static const struct {
	const char	*path;
	int		 post;
	int		 with_id;	/* path is a prefix: /tasks/ID */
	const char	*section;
	void		(*fn)(struct page *);
} web_routes[] = {
	{ "/", 0, 0, "overview", page_overview },
	{ "/tasks", 0, 0, "tasks", page_tasks },
	{ "/tasks/", 0, 1, "tasks", page_task },
	{ "/agencies", 0, 0, "agencies", page_agencies },
	{ "/agencies/", 0, 1, "agencies", page_agency },
	{ "/dead", 0, 0, "dead", page_dead },
	{ "/report", 0, 0, "report", page_report },
	{ "/report.csv", 0, 0, "report", page_report_csv },
	{ "/dead/requeue", 1, 0, "dead", page_requeue },
	{ "/channels/pause", 1, 0, "overview", page_pause },
	{ "/channels/resume", 1, 0, "overview", page_resume },
	{ "/follow", 1, 0, "tasks", page_follow },
};

/* The listener's callback for everything under "/" but /metrics, /healthz. */
static void
web_request(struct evhttp_request *req, void *arg)
{
	struct web			*w = arg;
	const struct evhttp_uri		*uri;
	const char			*path, *token;
	struct web_session		*s;
	struct page			*p;
	size_t				 i, n;
	int				 post, known = 0;

	uri = evhttp_request_get_evhttp_uri(req);
	path = uri ? evhttp_uri_get_path(uri) : NULL;
	if (path == NULL || *path == '\0')
		path = "/";
	post = evhttp_request_get_command(req) == EVHTTP_REQ_POST;
	/* What is not personal: the style sheet and the icon. */
	if (strcmp(path, "/style.css") == 0 && !post) {
		web_send(req, 200, "text/css; charset=utf-8", 0, web_style_css,
		    web_style_css_len);
		return;
	}
	if (strcmp(path, "/favicon.svg") == 0 && !post) {
		web_send(req, 200, "image/svg+xml", 0, web_favicon_svg,
		    web_favicon_svg_len);
		return;
	}
	if (strcmp(path, "/login") == 0) {
		if (post)
			web_login_post(w->login, req);
		else
			web_login_page(w, req, 200, NULL, NULL);
		return;
	}
	s = web_session(w, req);
	if (strcmp(path, "/logout") == 0 && post) {
		struct evkeyvalq q;

		TAILQ_INIT(&q);
		if (s != NULL && web_form(req, &q) == 0 &&
		    (token = evhttp_find_header(&q, "csrf")) != NULL &&
		    web_same(token, s->csrf)) {
			log_info("status pages: %s logged out", s->user);
			web_session_drop(w, s);
		}
		evhttp_clear_headers(&q);
		web_cookie(req, NULL);
		web_redirect(req, "/login");
		return;
	}
	if (s == NULL) {
		if (post)
			web_error(w, req, NULL, 403, "Chưa đăng nhập",
			    "Phiên làm việc đã hết; đăng nhập lại rồi làm "
			    "lại.");
		else
			web_redirect(req, "/login");
		return;
	}
	for (i = 0; i < sizeof(web_routes) / sizeof(web_routes[0]); i++) {
		n = strlen(web_routes[i].path);
		if (web_routes[i].with_id ? strncmp(path, web_routes[i].path,
		    n) != 0 || path[n] == '\0' || strchr(path + n, '/') !=
		    NULL : strcmp(path, web_routes[i].path) != 0)
			continue;
		known = 1;
		if (web_routes[i].post == post)
			break;
	}
	if (i == sizeof(web_routes) / sizeof(web_routes[0])) {
		if (known)
			evhttp_add_header(
			    evhttp_request_get_output_headers(req), "Allow",
			    post ? "GET, HEAD" : "POST");
		web_error(w, req, s, known ? 405 : 404, known ?
		    "Không làm được" : "Không có trang này", known ?
		    "Trang này không nhận cách gửi đó." :
		    "Địa chỉ này không có trang nào. Chọn trang ở trình đơn "
		    "phía trên.");
		return;
	}
	if ((p = page_new(w, w->nv, req, s, web_routes[i].section,
	    w->deadline_ms)) == NULL) {
		web_error(w, req, s, 503, "Máy chủ đang bận",
		    "Thiếu bộ nhớ; thử lại sau.");
		return;
	}
	if (post) {
		/* Every action: the session's own token, not read-only. */
		if (web_form(req, &p->query) == -1 ||
		    (token = evhttp_find_header(&p->query, "csrf")) == NULL ||
		    !web_same(token, s->csrf)) {
			log_warnx("status pages: %s %s without the form token "
			    "of %s's session: refused", "POST", path, s->user);
			page_error(p, 403, "Không làm được", "Biểu mẫu này "
			    "không còn hợp lệ (thiếu mã bảo vệ). Mở lại trang "
			    "rồi làm lại.");
			page_free(p);
			return;
		}
		if (s->read_only) {
			page_error(p, 403, "Không làm được", "Tài khoản chỉ "
			    "xem không làm được thao tác này.");
			page_free(p);
			return;
		}
	} else if (uri != NULL && evhttp_uri_get_query(uri) != NULL &&
	    evhttp_parse_query_str(evhttp_uri_get_query(uri), &p->query) ==
	    -1) {
		evhttp_clear_headers(&p->query);
		TAILQ_INIT(&p->query);
	}
	if (web_routes[i].with_id &&
	    (p->id = evhttp_uridecode(path + strlen(web_routes[i].path), 0,
	    NULL)) == NULL) {
		page_error(p, 400, "Không có trang này", "Địa chỉ hỏng.");
		page_free(p);
		return;
	}
	/* The flash of the last action shows once, on this page. */
	if (s->flash[0] != '\0') {
		snprintf(p->flash, sizeof(p->flash), "%s", s->flash);
		p->ctx.flash = p->flash;
		p->ctx.flash_bad = s->flash_bad;
		s->flash[0] = '\0';
	}
	web_routes[i].fn(p);
}

/* --- start and stop ----------------------------------------------------- */

struct web *
web_new(struct nv *nv, struct listener *l, char *err, size_t len)
{
	const struct config	*c = nv->conf;
	struct web		*w;
	int64_t			 delay_max;

	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->users_path = strdup(c->users_file)) == NULL) {
		free(w);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	w->nv = nv;
	w->l = l;
	TAILQ_INIT(&w->sessions);
	/* Pages answer well within the listener's own limit. */
	w->deadline_ms = c->http_request_timeout_ms * 8 / 10;
	delay_max = c->http_request_timeout_ms / 2;
	if ((w->login = web_login_new(w, nv, delay_max, err, len)) == NULL) {
		web_free(w);
		return NULL;
	}
	if (listener_route(l, "/", EVHTTP_REQ_GET | EVHTTP_REQ_POST,
	    web_request, w) == -1) {
		snprintf(err, len, "out of memory");
		web_free(w);
		return NULL;
	}
	(void)web_users(w);
	log_info("status pages on the admin listener, accounts in %s%s",
	    w->users_path, w->users ? "" : _(" (none can log in yet)"));
	return w;
}

void
web_free(struct web *w)
{
	struct web_session	*s;

	if (w == NULL)
		return;
	/* Logins waiting for their answer get it now (503). */
	web_login_free(w->login);
	while ((s = TAILQ_FIRST(&w->sessions)) != NULL)
		web_session_drop(w, s);
	users_free(w->users);
	free(w->users_path);
	free(w);
}
