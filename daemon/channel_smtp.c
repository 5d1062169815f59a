/* The smtp channel: one mail per reminder through libcurl's smtp/smtps, on the shared multi handle. */
#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mime.h"
#include "chanstart.h"
#include "nhacviecd.h"
#include "parse.h"
#include "secret.h"
#include "template.h"

#define SMTP_SUBJECT	"[Nhắc việc] "

struct smtp {
	char	*password;	/* from password_file; never logged */
};

/* One message on its way: curl reads it from here; http.c frees it after smtp_done. */
struct smtp_upload {
	struct job	*job;
	char		 message_id[128];
	size_t		 len, off;
	char		 data[];
};

static size_t
smtp_read(char *buf, size_t size, size_t n, void *arg)
{
	struct smtp_upload	*u = arg;
	size_t			 want = size * n;

	if (want > u->len - u->off)
		want = u->len - u->off;
	memcpy(buf, u->data + u->off, want);
	u->off += want;
	return want;
}

/* curl rewinds when it sends again on a fresh connection after a stale one. */
static int
smtp_seek(void *arg, curl_off_t off, int origin)
{
	struct smtp_upload	*u = arg;

	if (origin != SEEK_SET || off < 0 || (size_t)off > u->len)
		return CURL_SEEKFUNC_CANTSEEK;
	u->off = (size_t)off;
	return CURL_SEEKFUNC_OK;
}

/* 1 when the URL's host is loopback: plain SMTP is allowed there. */
static int
smtp_loopback(const char *url)
{
	CURLU	*h;
	char	*host = NULL;
	int	 lo = 0;

	if ((h = curl_url()) == NULL)
		return 0;
	if (curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		lo = parse_is_loopback(host);
	curl_free(host);
	curl_url_cleanup(h);
	return lo;
}

/* The end classified (common/peer.c); a config fault pauses the channel. */
static void
smtp_done(void *arg, const struct http_response *r)
{
	struct smtp_upload	*u = arg;
	struct job		*j = u->job;
	struct result		 res;
	struct peer_outcome	 o;

	memset(&res, 0, sizeof(res));
	if (result_local(&res, r)) {
		snprintf(res.ref, sizeof(res.ref), "%s", u->message_id);
		ledger_job_done(j, &res);
		return;
	}
	peer_smtp(&o, r->code, r->error, r->status, r->reply);
	res.verdict = o.verdict;
	res.status = r->status;
	res.latency_ms = r->latency_ms;
	res.retry_after_s = -1;
	snprintf(res.ref, sizeof(res.ref), "%s", u->message_id);
	snprintf(res.detail, sizeof(res.detail), "%s", o.detail);
	/*
	 * Every send would fail the same way until someone fixes the config:
	 * pause the channel (its reminders wait, no attempt spent) and alert.
	 */
	if (o.pause && j->ch) {
		log_err("channel %s: %s", j->ch->name, o.why);
		channel_pause(j->ch, o.why);
		dispatch_alert(j->ch->nv->dispatch,
		    "[nhacviec] Kênh thư điện tử tạm dừng", o.why);
	}
	ledger_job_done(j, &res);
}

static uint64_t
smtp_random(void)
{
	struct timespec	ts;
	uint64_t	v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)random() << 32) ^ (uint64_t)random() ^
	    (uint64_t)ts.tv_nsec;
}

/*
 * The subject: the channel's subject_template, else (or for a report
 * or an escalation, which a reminder's template does not fit)
 * "[Nhắc việc] TITLE" ("[Nhắc việc] Đôn đốc: TITLE"); NULL with err.
 */
static char *
smtp_subject(struct channel *ch, const struct job *j, char *err, size_t len)
{
	const struct config_channel	*cc = ch->cfg;
	const struct reminder		*r = &j->r;
	const struct template		*t;
	char				*s;
	size_t				 n;

	if ((t = ch->tmpl[CHANNEL_TMPL_SUBJECT]) == NULL || j->attach != NULL ||
	    r->status != NULL) {
		if (asprintf(&s, SMTP_SUBJECT "%s%s", r->status ?
		    "Đôn đốc: " : "", r->title ? r->title : r->task) == -1) {
			snprintf(err, len, "out of memory");
			return NULL;
		}
		return s;
	}
	if ((s = template_render(t, r, TEMPLATE_PLAIN,
	    planner_timezone(ch->nv->planner))) == NULL) {
		snprintf(err, len, "cannot render the subject with %s",
		    cc->subject_template);
		return NULL;
	}
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* The whole message for j (malloc'd) and its Message-ID, or NULL. */
static char *
smtp_message(const struct config_channel *cc, struct job *j,
    const char *subject, const char *body, char *mid, size_t midlen,
    size_t *len)
{
	struct mime_mail	 m;
	char			 date[64];

	if (mime_date(time(NULL), date, sizeof(date)) == -1 ||
	    mime_message_id(mid, midlen, j->r.id, j->attempt, smtp_random(),
	    strchr(cc->from, '@') + 1) == -1)
		return NULL;
	memset(&m, 0, sizeof(m));
	m.from = cc->from;
	m.to = j->r.contact;
	m.to_name = j->r.agency_name;
	m.subject = subject;
	m.date = date;
	m.message_id = mid;
	m.id = j->r.id;
	m.body = body;
	if (j->attach != NULL) {
		m.attach = j->attach;
		m.attach_len = j->attach_len;
		m.attach_name = j->attach_name;
		m.attach_type = "text/csv; charset=utf-8";
	}
	return mime_message(&m, len);
}

static void
smtp_send(struct channel *ch, struct job *j)
{
	const struct config_channel	*cc = ch->cfg;
	const struct smtp		*s = ch->priv;
	struct smtp_upload		*u = NULL;
	struct curl_slist		*rcpt = NULL;
	struct result			 res;
	CURL				*easy = NULL;
	const char			*to = j->r.contact;
	char				*subject = NULL, *body = NULL, *msg = NULL;
	char				 mid[128], err[256];
	size_t				 len;

	memset(&res, 0, sizeof(res));
	res.retry_after_s = -1;
	res.verdict = VERDICT_PERMANENT;
	if (to == NULL || strchr(to, '@') == NULL) {
		snprintf(res.detail, sizeof(res.detail), "no email address "
		    "for %s: the contact is %s%.100s%s", j->r.agency,
		    to ? "'" : "", to ? to : "empty", to ? "'" : "");
		goto fail;
	}
	if (!mime_address_ok(to)) {
		snprintf(res.detail, sizeof(res.detail), "'%.100s' is not an "
		    "email address this channel can send to (local@domain, "
		    "ASCII)", to);
		goto fail;
	}
	/* A template that does not load or render fails every time. */
	if ((subject = j->nmembers > 0 ? render_digest_subject(j) :
	    smtp_subject(ch, j, err, sizeof(err))) == NULL ||
	    (body = render_text(ch, j, err, sizeof(err))) == NULL) {
		snprintf(res.detail, sizeof(res.detail), "%s", err);
		goto fail;
	}
	res.verdict = VERDICT_TRANSIENT;
	/* Checked at start, but a reload keeps this channel with the new cfg. */
	if (!mime_address_ok(cc->from)) {
		snprintf(res.detail, sizeof(res.detail), "channel %s: from = "
		    "'%.100s' is not an address", ch->name,
		    cc->from ? cc->from : "");
		goto fail;
	}
	if ((msg = smtp_message(cc, j, subject, body, mid, sizeof(mid),
	    &len)) == NULL ||
	    (u = malloc(sizeof(*u) + len)) == NULL ||
	    (easy = http_easy(ch->nv->http)) == NULL ||
	    (rcpt = curl_slist_append(NULL, to)) == NULL) {
		snprintf(res.detail, sizeof(res.detail),
		    "cannot build the message: out of memory");
		goto fail;
	}
	u->job = j;
	snprintf(u->message_id, sizeof(u->message_id), "%s", mid);
	memcpy(u->data, msg, len);
	u->len = len;
	u->off = 0;
	free(msg);
	free(subject);
	free(body);

	curl_easy_setopt(easy, CURLOPT_URL, cc->url);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* STARTTLS or nothing, except on loopback where a test sink listens. */
	curl_easy_setopt(easy, CURLOPT_USE_SSL, (long)(strncmp(cc->url,
	    "smtp://", 7) == 0 && smtp_loopback(cc->url) ? CURLUSESSL_TRY :
	    CURLUSESSL_ALL));
	curl_easy_setopt(easy, CURLOPT_MAIL_FROM, cc->from);
	curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(easy, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(easy, CURLOPT_READDATA, u);
	curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, smtp_seek);
	curl_easy_setopt(easy, CURLOPT_SEEKDATA, u);
	curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)cc->timeout_ms);
	if (cc->ca_file)
		curl_easy_setopt(easy, CURLOPT_CAINFO, cc->ca_file);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(cc->timeout_ms < 10000 ? cc->timeout_ms : 10000));
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	if (cc->username != NULL && s->password != NULL) {
		curl_easy_setopt(easy, CURLOPT_USERNAME, cc->username);
		curl_easy_setopt(easy, CURLOPT_PASSWORD, s->password);
	}
	/*
	 * http.c frees rcpt with the transfer; it also hands it to
	 * CURLOPT_HTTPHEADER, which SMTP reads only with CURLOPT_MIMEPOST.
	 */
	if (http_submit_easy(ch->nv->http, easy, rcpt, (char *)u, smtp_done,
	    u) == -1) {
		result_not_tried(&res, "cannot start the SMTP transfer");
		ledger_job_done(j, &res);
	}
	return;

fail:
	free(subject);
	free(body);
	free(msg);
	free(u);
	curl_easy_cleanup(easy);
	curl_slist_free_all(rcpt);
	ledger_job_done(j, &res);
}

/* Checks what the config cannot: from, the login pair; reads the password. */
static int
smtp_init(struct channel *ch, char *err, size_t len)
{
	struct smtp		*s;
	struct chanstart	 cs;

	if (chanstart_read(ch->nv->conf, ch->cfg, &cs, err, len) == -1)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		chanstart_clear(&cs);
		snprintf(err, len, "out of memory");
		return -1;
	}
	s->password = cs.password;	/* ours now */
	cs.password = NULL;
	chanstart_clear(&cs);
	ch->priv = s;
	return 0;
}

static void
smtp_free(struct channel *ch)
{
	struct smtp	*s = ch->priv;

	if (s == NULL)
		return;
	secret_free(s->password);
	free(s);
	ch->priv = NULL;
}

const struct channel_ops channel_smtp_ops = {
	.type = "smtp",
	.init = smtp_init,
	.free = smtp_free,
	.send = smtp_send,
};
