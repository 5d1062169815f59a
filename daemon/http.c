/* HTTP(S) and SMTP transfers through libcurl's multi-socket interface on the daemon's loop. */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "http.h"
#include "log.h"
#include "peer.h"

#define HTTP_BODY_MAX	(64 * 1024)
#define HTTP_NOTE_MS	60000	/* at most one local-failure warning a minute */

#define HTTP_SPARE	128	/* easy handles kept for the next transfers */

struct http {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	struct http_job		*jobs;		/* every transfer under way */
	size_t			 njobs;
	uint64_t		 local_failures;
	uint64_t		 local_since_note;
	int64_t			 local_noted_at;
	CURL			*spare[HTTP_SPARE];	/* reset, ready again */
	size_t			 nspare;
	struct http_sock	**socks;	/* by descriptor number */
	size_t			 nsocks;
};

struct http_job {
	struct http		*http;
	CURL			*easy;
	struct curl_slist	*headers;
	char			*owned;		/* the request body */
	char			*resp;
	size_t			 resp_len;
	struct peer_headers	 hdrs;		/* Retry-After, SMTP reply */
	int			 socket_errno;	/* socket() failed with it */
	char			 local_why[128];	/* see http_is_local */
	struct timespec		 started;
	http_done_cb		*cb;
	void			*arg;
	char			 errbuf[CURL_ERROR_SIZE];
	struct http_job		*prev, *next;
};

/*
 * Our watcher of one descriptor, kept in curl's socket pointer while curl
 * uses it, in http.socks by number always. A kept-alive connection goes
 * back to curl's cache after each transfer and out again for the next: its
 * socket stays watched for reading in between (parked), so that a transfer
 * on it costs no epoll_ctl. Only sockets curl opened and closes through
 * http_open_socket and http_close_socket are parked: a close we never see
 * would leave the next descriptor of that number unwatched.
 */
struct http_sock {
	struct http	*h;
	struct event	*ev;
	short		 kind;		/* EV_READ|EV_WRITE watched; 0: none */
	int		 parked;	/* curl let go of it, we still watch */
	int		 ours;		/* opened by http_open_socket */
};

static void	http_check_done(struct http *);

/* The watcher of descriptor fd, made on first use; NULL out of memory. */
static struct http_sock *
http_sock_at(struct http *h, int fd)
{
	struct http_sock	**p, *hs;
	size_t			  n;

	if (fd < 0)
		return NULL;
	if ((size_t)fd >= h->nsocks) {
		n = (size_t)fd + 64;
		if ((p = realloc(h->socks, n * sizeof(*p))) == NULL)
			return NULL;
		memset(p + h->nsocks, 0, (n - h->nsocks) * sizeof(*p));
		h->socks = p;
		h->nsocks = n;
	}
	if ((hs = h->socks[fd]) == NULL) {
		if ((hs = calloc(1, sizeof(*hs))) == NULL)
			return NULL;
		if ((hs->ev = event_new(h->base, -1, 0, NULL, NULL)) == NULL) {
			free(hs);
			return NULL;
		}
		hs->h = h;
		h->socks[fd] = hs;
	}
	return hs;
}

static void
http_sock_unwatch(struct http_sock *hs)
{
	if (hs->kind != 0)
		event_del(hs->ev);
	hs->kind = 0;
	hs->parked = 0;
}

static void
http_sock_event(evutil_socket_t fd, short what, void *arg)
{
	struct http_sock	*hs = arg;
	struct http		*h = hs->h;
	int			 flags = 0, running;

	/*
	 * An idle connection spoke or closed: curl sees it when it next
	 * looks at the connection; until then nothing watches it.
	 */
	if (hs->parked) {
		http_sock_unwatch(hs);
		return;
	}
	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	http_check_done(h);
}

static void
http_timer_event(evutil_socket_t fd, short what, void *arg)
{
	struct http	*h = arg;
	int		 running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(h);
}

/* CURLMOPT_SOCKETFUNCTION: what curl wants of a socket, watched. */
static int
http_sock_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http	 *h = userp;
	struct http_sock *hs = socketp;
	short		  kind;

	(void)easy;
	if (hs == NULL && (size_t)s < h->nsocks)
		hs = h->socks[s];
	if (what == CURL_POLL_REMOVE) {
		if (hs == NULL)
			return 0;
		if (hs->ours && hs->kind == EV_READ)
			hs->parked = 1;
		else
			http_sock_unwatch(hs);
		return 0;
	}
	if (socketp == NULL) {
		if (hs == NULL && (hs = http_sock_at(h, s)) == NULL)
			return -1;
		curl_multi_assign(h->multi, s, hs);
		/* Watched already only if parked by us; anything else anew. */
		if (!hs->parked)
			http_sock_unwatch(hs);
	}
	hs->parked = 0;
	kind = ((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
	if (kind == hs->kind)
		return 0;
	http_sock_unwatch(hs);
	event_assign(hs->ev, h->base, s, kind | EV_PERSIST, http_sock_event,
	    hs);
	if (event_add(hs->ev, NULL) == -1)
		return -1;
	hs->kind = kind;
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: -1 deletes the timer, 0 runs it on the next pass. */
static int
http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http	*h = userp;
	struct timeval	 tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(h->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(h->timer, &tv);
	return 0;
}

static size_t
http_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_job	*j = arg;
	size_t		 len = size * n, room;
	char		*p;

	room = HTTP_BODY_MAX - j->resp_len;
	if (len < room)
		room = len;
	if (room > 0) {
		if ((p = realloc(j->resp, j->resp_len + room + 1)) == NULL)
			return 0;
		j->resp = p;
		memcpy(j->resp + j->resp_len, data, room);
		j->resp_len += room;
		j->resp[j->resp_len] = '\0';
	}
	return len;
}

/* Keep Retry-After (an HTTP date counts from now) and the SMTP reply line. */
static size_t
http_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_job	*j = arg;

	peer_header(&j->hdrs, data, size * n, (int64_t)time(NULL));
	return size * n;
}

/* CURLOPT_OPENSOCKETFUNCTION: the socket curl asks for, and why it failed. */
static curl_socket_t
http_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_job		*j = arg;
	struct http_sock	*hs;
	int			 s;

	(void)purpose;
	if ((s = socket(a->family, a->socktype | SOCK_CLOEXEC,
	    a->protocol)) == -1) {
		j->socket_errno = errno;
		return CURL_SOCKET_BAD;
	}
	/* Without a watcher now it is simply never parked. */
	if ((hs = http_sock_at(j->http, s)) != NULL) {
		http_sock_unwatch(hs);
		hs->ours = 1;
	}
	return s;
}

/* CURLOPT_CLOSESOCKETFUNCTION: no watcher outlives its socket. */
static int
http_close_socket(void *arg, curl_socket_t s)
{
	struct http		*h = arg;
	struct http_sock	*hs;

	if ((size_t)s < h->nsocks && (hs = h->socks[s]) != NULL) {
		http_sock_unwatch(hs);
		hs->ours = 0;
	}
	return close(s);
}

static int
http_resource_errno(long e)
{
	return e == EMFILE || e == ENFILE || e == ENOMEM || e == ENOBUFS ||
	    e == EADDRNOTAVAIL;
}

/*
 * Did the transfer fail here, for want of descriptors, memory or local
 * ports, rather than at or on the way to the peer? Then it was never tried.
 * The one place that decides it: socket()'s errno, connect()'s, curl's own
 * out-of-memory; and a failed name lookup while this process cannot open a
 * socket right now (the resolver's thread reports only "could not resolve").
 */
static int
http_is_local(struct http_job *j, CURLcode code)
{
	long	os_errno = 0;
	int	probe;

	if (code == CURLE_OK)
		return 0;
	if (code == CURLE_OUT_OF_MEMORY) {
		snprintf(j->local_why, sizeof(j->local_why), "out of memory");
		return 1;
	}
	if (http_resource_errno(j->socket_errno)) {
		snprintf(j->local_why, sizeof(j->local_why), "cannot open a "
		    "socket: %s", strerror(j->socket_errno));
		return 1;
	}
	if (code == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(j->easy, CURLINFO_OS_ERRNO, &os_errno) ==
	    CURLE_OK && http_resource_errno(os_errno)) {
		snprintf(j->local_why, sizeof(j->local_why), "cannot connect: "
		    "%s", strerror((int)os_errno));
		return 1;
	}
	if (code == CURLE_COULDNT_RESOLVE_HOST ||
	    code == CURLE_COULDNT_RESOLVE_PROXY) {
		if ((probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC,
		    0)) != -1) {
			close(probe);
			return 0;
		}
		if (!http_resource_errno(errno))
			return 0;
		snprintf(j->local_why, sizeof(j->local_why), "cannot look up "
		    "the host: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* Count a local failure; warn at most once a minute, with the count. */
static void
http_note_local(struct http *h, const char *why)
{
	struct timespec	ts;
	int64_t		now;

	h->local_failures++;
	h->local_since_note++;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (h->local_noted_at != 0 && now - h->local_noted_at < HTTP_NOTE_MS)
		return;
	h->local_noted_at = now;
	log_warnx("outgoing transfer failed on this machine (%s): sends are "
	    "deferred, no attempt spent (%llu such failures since the last "
	    "notice)", why, (unsigned long long)h->local_since_note);
	h->local_since_note = 0;
}

struct http *
http_new(struct event_base *base)
{
	struct http	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->base = base;
	h->multi = curl_multi_init();
	h->timer = evtimer_new(base, http_timer_event, h);
	if (h->multi == NULL || h->timer == NULL) {
		http_free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_sock_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, 64L);
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	return h;
}

/*
 * An easy handle from the spares (reset: no option of the last transfer
 * left; its connection stays in the multi handle's cache), or a new one.
 */
CURL *
http_easy(struct http *h)
{
	if (h->nspare > 0)
		return h->spare[--h->nspare];
	return curl_easy_init();
}

static void
http_easy_put(struct http *h, CURL *e)
{
	if (h->nspare < HTTP_SPARE) {
		curl_easy_reset(e);
		h->spare[h->nspare++] = e;
	} else
		curl_easy_cleanup(e);
}

static void
http_job_free(struct http_job *j)
{
	struct http	*h = j->http;

	if (j->prev)
		j->prev->next = j->next;
	else
		h->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	h->njobs--;
	curl_multi_remove_handle(h->multi, j->easy);
	http_easy_put(h, j->easy);
	curl_slist_free_all(j->headers);
	free(j->owned);
	free(j->resp);
	free(j);
}

void
http_free(struct http *h)
{
	size_t	i;

	if (h == NULL)
		return;
	while (h->jobs)
		http_job_free(h->jobs);
	while (h->nspare > 0)
		curl_easy_cleanup(h->spare[--h->nspare]);
	if (h->multi)
		curl_multi_cleanup(h->multi);
	for (i = 0; i < h->nsocks; i++)
		if (h->socks[i] != NULL) {
			event_free(h->socks[i]->ev);
			free(h->socks[i]);
		}
	free(h->socks);
	if (h->timer)
		event_free(h->timer);
	free(h);
}

static int64_t
http_elapsed_ms(const struct timespec *t0)
{
	struct timespec	t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Finish every transfer curl reports done: outside curl's own callbacks. */
static void
http_check_done(struct http *h)
{
	struct http_response	 r;
	struct http_job		*j;
	CURLMsg			*msg;
	int			 left;
	char			*priv;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		j = (struct http_job *)priv;
		memset(&r, 0, sizeof(r));
		r.code = msg->data.result;
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &r.status);
		if (r.code != CURLE_OK)
			r.error = j->errbuf[0] ? j->errbuf :
			    curl_easy_strerror(r.code);
		r.body = j->resp ? j->resp : "";
		r.body_len = j->resp_len;
		r.retry_after_s = j->hdrs.retry_after_s;
		r.reply = j->hdrs.reply;
		r.latency_ms = http_elapsed_ms(&j->started);
		if ((r.local = http_is_local(j, r.code)) != 0) {
			r.error = j->local_why;
			http_note_local(h, r.error);
		}
		j->cb(j->arg, &r);
		http_job_free(j);
	}
}

int
http_submit_easy(struct http *h, CURL *easy, struct curl_slist *headers,
    char *owned, http_done_cb *cb, void *arg)
{
	struct http_job	*j;

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		curl_easy_cleanup(easy);
		curl_slist_free_all(headers);
		free(owned);
		http_note_local(h, "out of memory");
		return -1;
	}
	j->http = h;
	j->easy = easy;
	j->headers = headers;
	j->owned = owned;
	j->cb = cb;
	j->arg = arg;
	peer_headers_init(&j->hdrs);
	clock_gettime(CLOCK_MONOTONIC, &j->started);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, (char *)j);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, http_open_socket);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, j);
	curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, http_close_socket);
	curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, h);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (headers)
		curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
	j->next = h->jobs;
	if (h->jobs)
		h->jobs->prev = j;
	h->jobs = j;
	h->njobs++;
	if (curl_multi_add_handle(h->multi, easy) != CURLM_OK) {
		http_job_free(j);
		http_note_local(h, "libcurl refused the transfer");
		return -1;
	}
	return 0;
}

int
http_submit(struct http *h, struct http_request *req, http_done_cb *cb,
    void *arg)
{
	CURL	*easy;

	if ((easy = http_easy(h)) == NULL) {
		curl_slist_free_all(req->headers);
		free(req->body);
		http_note_local(h, "out of memory");
		return -1;
	}
	curl_easy_setopt(easy, CURLOPT_URL, req->url);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(req->timeout_ms < 10000 ? req->timeout_ms : 10000));
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "nhacviecd/0.1");
	/*
	 * What comes back is a few hundred bytes of JSON: a 4 KiB read
	 * buffer, not curl's 16 KiB, for each transfer under way.
	 */
	curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 4096L);
	if (req->body) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE,
		    (long)req->body_len);
	}
	if (req->method && strcmp(req->method, "POST") != 0)
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req->method);
	/* Verification stays on; a private CA is trusted, never skipped. */
	if (req->ca_file)
		curl_easy_setopt(easy, CURLOPT_CAINFO, req->ca_file);
	return http_submit_easy(h, easy, req->headers, req->body, cb, arg);
}

size_t
http_active(const struct http *h)
{
	return h->njobs;
}

uint64_t
http_local_failures(const struct http *h)
{
	return h->local_failures;
}
