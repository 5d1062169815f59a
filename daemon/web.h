/* The status pages on the admin listener (Trang theo dõi): what daemon/web.c, page.c and the page_*.c files share. */
#ifndef NV_WEB_H
#define NV_WEB_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <hiredis/hiredis.h>

#include "history.h"
#include "nhacviecd.h"
#include "users.h"
#include "view.h"

#define WEB_TOKEN_LEN	64	/* hex digits of a session id or form token */
#define WEB_FLASH_MAX	600

struct web;
struct listener;

/* A logged-in browser: the cookie's id, who, the form token. */
struct web_session {
	char			 id[WEB_TOKEN_LEN + 1];
	char			 csrf[WEB_TOKEN_LEN + 1];
	char			 user[USERS_NAME_MAX + 1];
	int			 read_only;
	int64_t			 used;		/* monotonic ms */
	char			 flash[WEB_FLASH_MAX];
	int			 flash_bad;
	TAILQ_ENTRY(web_session) link;
};

/* The pages on listener l (users in nv->conf's users_file). */
struct web	*web_new(struct nv *, struct listener *, char *err, size_t len);
/* Answers what waits (503) and frees; before the listener goes. */
void		 web_free(struct web *);

/*
 * One page being answered: the request, who asks, what Redis is still to
 * answer. Commands go out together (hiredis pipelines them); when the last
 * reply is in, next runs: it sends more commands (and sets next again) or
 * answers. A page not answered within the deadline gets 503; its replies
 * are still awaited before it is freed.
 */
struct page;
typedef void	page_step(struct page *);
typedef void	page_reply(struct page *, redisReply *);

struct page {
	struct web		*w;
	struct nv		*nv;
	struct evhttp_request	*req;
	struct view_ctx		 ctx;
	char			 user[USERS_NAME_MAX + 1];
	char			 csrf[WEB_TOKEN_LEN + 1];
	char			 flash[WEB_FLASH_MAX];
	char			 by[USERS_NAME_MAX + 40];	/* the ledger's */
	char			 sid[WEB_TOKEN_LEN + 1];	/* its session */
	struct evkeyvalq	 query;		/* GET query or POST form */
	char			*id;		/* /tasks/ID: ID, decoded */
	int			 pending;
	int			 failed;
	int			 answered;
	struct event		*deadline;
	page_step		*next;
	void			*data;		/* the page's own */
	void			(*data_free)(void *);
	void			*ledger;	/* page.c's readers */
	void			*occ;
};

/* page.c: commands for a page; -1 (and the page failed) when Redis is down. */
int	page_command(struct page *, page_reply *, int argc, const char **argv);
int	page_script(struct page *, const struct keys *, enum script_id,
	    page_reply *, int argc, const char **argv);
/* All sent: run next now if nothing is awaited (the handler's last call). */
void	page_go(struct page *, page_step *next);
/* Answer with an HTML body (taken), a CSV, a redirect after an action. */
void	page_html(struct page *, int status, struct html *);
void	page_csv(struct page *, const char *filename, char *body, size_t len);
void	page_redirect(struct page *, const char *location, const char *flash,
	    int bad);
/* Answer with a short page saying what went wrong. */
void	page_error(struct page *, int status, const char *title,
	    const char *text);
/* A query or form value, or NULL. */
const char *page_arg(struct page *, const char *name);
/* A day of the query (YYYY-MM-DD) or def; *bad set when it was not one. */
plan_day page_day(struct page *, const char *name, plan_day def, int *bad);
/* The period of the query, default [from, to], at most max_days long. */
void	page_period(struct page *, plan_day from, plan_day to, int max_days,
	    struct view_period *);
/* Today in the plan's zone (UTC days without a plan). */
plan_day page_today(struct page *);
/* The first instant of a day in the plan's zone. */
int64_t	page_day_ms(struct page *, plan_day);
/* The month of today, as a period. */
void	page_month(struct page *, struct view_period *);
/* The end of a due day (ms): the next day's first instant, as the planner
 * scores {p}:occurrences. */
int64_t	page_due_end(struct page *, plan_day);
/* A copy of s; "" for NULL. */
char	*page_strdup(const char *s);
/* "AGENCY:note" among a hash's field, value pairs, or NULL. */
const char *page_note(char *const *fields, size_t n, const char *agency);
/* A reply's element as a string ("" when it is not one). */
const char *page_str(const redisReply *);

/*
 * The two readers below end a page's step: their own replies come in
 * several rounds, and done is the step after them (one reader a step).
 *
 * The ledger entries whose at is in [since, until), oldest first: found
 * with ledger_seek.lua, then read in chunks; each goes to fn. At most
 * PAGE_LEDGER_MAX entries are read (*cut then set).
 */
#define PAGE_LEDGER_MAX	50000
typedef void	page_entry_fn(struct page *, const struct history_entry *,
		    const char *const *fields, size_t nfields);
void	page_ledger(struct page *, int64_t since, int64_t until,
	    page_entry_fn *, page_step *done, int *cut, long long *read);

/*
 * The follow-ups of the occurrences whose due day ends in [from, to] (ms;
 * the {p}:occurrences index scores an occurrence by the instant its due
 * day ends), then each hash: fn gets each occurrence. At most
 * PAGE_OCC_MAX occurrences.
 */
#define PAGE_OCC_MAX	2000
#define PAGE_OCC_MAX_S	"2000"
typedef void	page_occ_fn(struct page *, const char *occurrence,
		    int64_t due_end, char *const *fields, size_t nfields);
void	page_occurrences(struct page *, int64_t from_ms, int64_t to_ms,
	    page_occ_fn *, page_step *done);

/* The handlers (page_*.c), each given a page to answer. */
void	page_overview(struct page *);
void	page_dead(struct page *);
void	page_requeue(struct page *);
void	page_pause(struct page *);
void	page_resume(struct page *);
void	page_tasks(struct page *);
void	page_task(struct page *);
void	page_follow(struct page *);
void	page_agencies(struct page *);
void	page_agency(struct page *);
void	page_report(struct page *);
void	page_report_csv(struct page *);

/* page.c: a page for this request and session (NULL: out of memory). */
struct page	*page_new(struct web *, struct nv *, struct evhttp_request *,
		    struct web_session *, const char *section,
		    int64_t deadline_ms);
void		 page_free(struct page *);
void		 page_readers_free(struct page *);

/* web.c: the session of an id, if it is still there (a page's answer may
 * come after a logout). */
struct web_session *web_session_find(struct web *, const char *id);
/* Headers every page gets: content type, CSP, no framing, no caching. */
void		 web_headers(struct evhttp_request *, const char *type,
		    int private);

/* web.c, for web_login.c: the pieces of an answer, the accounts. */
int64_t		 web_mono_ms(void);
const struct users *web_users(struct web *);
struct web_session *web_session_new(struct web *, const char *user,
		    int read_only);
void		 web_cookie(struct evhttp_request *, const char *id);
void		 web_login_page(struct web *, struct evhttp_request *,
		    int status, const char *user, const char *err);
void		 web_error(struct web *, struct evhttp_request *,
		    const struct web_session *, int status, const char *title,
		    const char *text);
void		 web_redirect(struct evhttp_request *, const char *to);
/* A form's fields into q (evhttp_clear_headers after); -1 if unreadable. */
int		 web_form(struct evhttp_request *, struct evkeyvalq *q);
/* Who sent it (address, and the proxy's X-Forwarded-For), for a log. */
void		 web_from(struct evhttp_request *, char *buf, size_t len);
/* Printable ASCII of an outside value, for a log line. */
void		 web_loggable(const char *in, char *out, size_t len);

/* web_login.c: POST /login, and the thread that checks passwords. */
struct web_login;
struct web_login *web_login_new(struct web *, struct nv *,
		    int64_t delay_max_ms, char *err, size_t len);
/* Answers the logins still waiting (503), stops the thread. */
void		 web_login_free(struct web_login *);
void		 web_login_post(struct web_login *, struct evhttp_request *);

#endif
