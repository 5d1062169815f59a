/* libFuzzer entry: what nhacviec takes from outside (config, plan files, templates, Redis payloads and replies, peers' answers, heads' replies, links, OA events, archive lines). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "archive.h"
#include "config.h"
#include "diag.h"
#include "entry.h"
#include "peer.h"
#include "plan.h"
#include "reminder.h"
#include "reply.h"
#include "report.h"
#include "retry.h"
#include "sign.h"
#include "template.h"
#include "text.h"
#include "zalo.h"

#define FUZZ_NOW_S	1651021200LL	/* the scenarios' virtual instant */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An archive file's lines, read back as `log` and `report` do. */
static void
fuzz_archive(const char *data, size_t len)
{
	struct archive_item	 it;
	struct archive_seen	*seen = archive_seen_new();
	struct archive_fields	 m;
	const char		*nl;
	char			 err[300];
	size_t			 n, i;

	memset(&m, 0, sizeof(m));
	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl ? (size_t)(nl - data) : len;
		if (archive_parse(data, n, &it, err, sizeof(err)) == 0) {
			(void)archive_seen_add(seen, it.kind, it.id);
			if (it.kind == ARCHIVE_OCC)
				archive_fields_merge(&m, it.fields, it.nfields);
			for (i = 0; i < it.nfields; i++)
				if (it.fields[i] == NULL)
					abort();
			archive_item_clear(&it);
		}
		data += n + (nl != NULL);
		len -= n + (nl != NULL);
	}
	archive_fields_clear(&m);
	archive_seen_free(seen);
}

/* The main config is read from a file: one temp file, rewritten each run. */
static void
fuzz_config(const char *text, size_t len, struct diag *d)
{
	static char	 path[] = "/tmp/nv-fuzz-config-XXXXXX";
	static int	 made;
	struct config	*c;
	FILE		*fp;
	int		 fd;

	if (!made) {
		if ((fd = mkstemp(path)) == -1)
			return;
		close(fd);
		made = 1;
	}
	if ((fp = fopen(path, "w")) == NULL)
		return;
	fwrite(text, 1, len, fp);
	fclose(fp);
	c = config_load(path, d);
	config_free(c);
}

/* What the daemon stores as JSON must be UTF-8, or the ledger fails. */
static void
fuzz_text(const char *s)
{
	if (!text_utf8_valid(s, strlen(s)))
		abort();
}

/* Each header line (up to LF) as curl hands them over. */
static void
fuzz_headers(const char *data, size_t len)
{
	struct peer_headers	 h;
	const char		*nl;
	size_t			 n;

	peer_headers_init(&h);
	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl ? (size_t)(nl - data) + 1 : len;
		peer_header(&h, data, n, FUZZ_NOW_S);
		data += n;
		len -= n;
	}
	if (h.retry_after_s < -1 || h.retry_after_s > RETRY_AFTER_MAX_S ||
	    strlen(h.reply) >= sizeof(h.reply))
		abort();
}

/* The transfer ends a classifier sees, picked by one byte. */
static const CURLcode fuzz_codes[] = {
	CURLE_OK, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT,
	CURLE_LOGIN_DENIED, CURLE_USE_SSL_FAILED, CURLE_RECV_ERROR,
	CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
};

/* Bytes 0-2: the curl code and the status; then the body (or reply). */
static void
fuzz_reply(int kind, const char *data, size_t len)
{
	struct peer_outcome	 o;
	struct zalo_reply	 z;
	struct zalo_token	 t;
	const char		*err;
	char			 why[300];
	CURLcode		 code;
	long			 status;
	int			 peer_err;

	if (len < 3)
		return;
	peer_err = (unsigned char)data[0] & 0x80;
	code = fuzz_codes[(unsigned char)data[0] % (sizeof(fuzz_codes) /
	    sizeof(fuzz_codes[0]))];
	status = ((unsigned char)data[1] << 8 | (unsigned char)data[2]) % 1000;
	if ((unsigned char)data[1] == 0xff)
		status = -status;
	data += 3;
	len -= 3;
	/* curl's own words, or a peer's bytes in the error buffer. */
	err = peer_err ? data : NULL;
	switch (kind) {
	case 0:
		peer_webhook(&o, code, err, status, data, len);
		break;
	case 1:
		peer_smtp(&o, code, err, status, data);
		break;
	case 2:
		zalo_reply_parse(&z, status, data, len);
		fuzz_text(z.message);
		fuzz_text(z.ref);
		if (!z.coded && z.action != ZALO_PERMANENT &&
		    z.action != ZALO_RETRY)
			abort();
		if (zalo_refresh_parse(&t, status, data, len,
		    FUZZ_NOW_S * 1000, why, sizeof(why)) == 0) {
			if (t.access_expires_at <= FUZZ_NOW_S * 1000 ||
			    t.access_expires_at > FUZZ_NOW_S * 1000 +
			    ZALO_EXPIRES_MAX_S * 1000LL)
				abort();
			zalo_token_clear(&t);
		} else
			fuzz_text(why);
		return;
	}
	fuzz_text(o.detail);
	fuzz_text(o.why);
	if (o.pause != (o.verdict == VERDICT_DEFER) ||
	    (code != CURLE_OK && o.detail[0] == '\0'))
		abort();
}

/*
 * hiredis 0.14 allocates an array's slots as soon as it reads the count:
 * keep counts small, or the run is about memory, not about our parsers.
 */
static int
fuzz_resp_small(const char *data, size_t len)
{
	size_t	i, digits;

	for (i = 0; i < len; i++) {
		if (data[i] != '*')
			continue;
		for (digits = 0; i + 1 < len && data[i + 1] >= '0' &&
		    data[i + 1] <= '9'; i++)
			digits++;
		if (digits > 3)
			return 0;
	}
	return 1;
}

/* An outbox entry as the take script returns it, and its payload. */
static void
fuzz_outbox(const redisReply *e)
{
	struct entry_outbox	 o;
	struct reminder		 r;
	char			 err[200];

	if (entry_outbox_parse(&o, e, FUZZ_NOW_S * 1000, err,
	    sizeof(err)) == -1) {
		fuzz_text(err);
		if (o.id != NULL)
			fuzz_text(o.id);
		return;
	}
	if (o.entry == NULL || strlen(o.entry) >= ENTRY_ID_MAX ||
	    o.id == NULL || o.attempt < 1 || (o.late != 0 && o.late != 1))
		abort();
	fuzz_text(o.id);
	if (reminder_parse(&r, o.payload, o.payload_len, err,
	    sizeof(err)) == 0)
		reminder_clear(&r);
}

static void
fuzz_control(const redisReply *e)
{
	struct entry_control	 c;
	char			 err[200];

	if (entry_control_parse(&c, e, FUZZ_NOW_S * 1000, err,
	    sizeof(err)) == -1) {
		fuzz_text(err);
		return;
	}
	if (c.entry == NULL || c.type == NULL || c.version < 0)
		abort();
	fuzz_text(c.type);
	if (c.channel)
		fuzz_text(c.channel);
}

/* RESP through hiredis's own reader; each reply as an entry and a list. */
static void
fuzz_redis(int control, const char *data, size_t len)
{
	redisReader		*rd;
	const redisReply	*list;
	void			*reply;
	size_t			 i;

	if (!fuzz_resp_small(data, len) || (rd = redisReaderCreate()) == NULL)
		return;
	if (redisReaderFeed(rd, data, len) == REDIS_OK) {
		while (redisReaderGetReply(rd, &reply) == REDIS_OK &&
		    reply != NULL) {
			list = control ? entry_xread_entries(reply) : reply;
			if (control)
				fuzz_control(reply);
			else
				fuzz_outbox(reply);
			for (i = 0; list != NULL && list->type ==
			    REDIS_REPLY_ARRAY && i < list->elements; i++) {
				if (control)
					fuzz_control(list->element[i]);
				else
					fuzz_outbox(list->element[i]);
			}
			freeReplyObject(reply);
		}
	}
	redisReaderFree(rd);
}

/*
 * The first byte picks the parser; the rest is its input: 0 plan, 1
 * template, 2 payload, 3 config, 4 header lines, 5 webhook answer, 6 SMTP
 * end, 7 Zalo answers, 8 outbox entries (RESP), 9 control entries (RESP),
 * 10 a head's reply, 11 a link token, 12 an OA event (header line, body).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag	 d;
	struct reminder	 r;
	struct report_request rq;
	struct plan	*p;
	struct template	*t;
	struct sign_link l;
	const char	*name = "fuzz.conf", *body;
	char		*text, err[256], *out, code[REPLY_CODE_SIZE];

	if (size < 1)
		return 0;
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	diag_init(&d);
	switch (data[0] % 14) {
	case 0:
		p = plan_load_texts(&name, (const char *const *)&text, 1, &d);
		plan_free(p);
		break;
	case 1:
		if ((t = template_parse("fuzz.txt", text, &d)) != NULL &&
		    reminder_parse(&r, "{\"id\":\"a\",\"task\":\"t\",\"agency\":"
		    "\"x\",\"channel\":\"c\",\"due\":\"2022-04-30\"}", 71, err,
		    sizeof(err)) == 0) {
			out = template_render(t, &r, TEMPLATE_JSON, NULL);
			free(out);
			reminder_clear(&r);
		}
		template_free(t);
		break;
	case 2:
		if (reminder_parse(&r, text, size - 1, err, sizeof(err)) == 0) {
			out = reminder_text(&r);
			free(out);
			(void)report_request_read(r.json, &rq, err,
			    sizeof(err));
			reminder_clear(&r);
		}
		break;
	case 3:
		fuzz_config(text, size - 1, &d);
		break;
	case 4:
		fuzz_headers((const char *)data + 1, size - 1);
		break;
	case 5:
	case 6:
	case 7:
		/* The SMTP reply and curl's error are NUL-terminated: text. */
		fuzz_reply(data[0] % 14 - 5, text, size - 1);
		break;
	case 8:
	case 9:
		fuzz_redis(data[0] % 14 == 9, (const char *)data + 1, size - 1);
		break;
	case 10:
		reply_classify(text);
		reply_code_find(text, code);
		free(reply_normalise(text));
		break;
	case 11:
		sign_link_parse(text, "0123456789abcdef0123456789abcdef", 32,
		    0, &l);
		break;
	case 12:
		/* the header line, then the body */
		if ((body = strchr(text, '\n')) != NULL) {
			text[body - text] = '\0';
			body++;
			sign_zalo_check(text, body, strlen(body), "4242",
			    "oa-key", err, sizeof(err));
		}
		break;
	case 13:
		fuzz_archive((const char *)data + 1, size - 1);
		break;
	}
	diag_clear(&d);
	free(text);
	return 0;
}
