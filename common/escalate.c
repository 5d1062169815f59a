/* What an escalation tells: how each recipient of an occurrence stands, read from its follow-ups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escalate.h"
#include "schedule.h"

/* The follow-up fields, strongest first, and the state each means. */
static const struct {
	const char		*what;
	enum escalate_state	 state;
} escalate_fields[] = {
	{ "done", ESCALATE_DONE },
	{ "ack", ESCALATE_ACK },
	{ "seen", ESCALATE_SEEN },
	{ "received", ESCALATE_REACHED },
	{ "reached", ESCALATE_REACHED },
};

enum escalate_state
escalate_state_of(const json_t *follow, const char *agency, long long *at)
{
	const char	*v;
	char		 key[300];
	size_t		 i;

	*at = 0;
	for (i = 0; i < sizeof(escalate_fields) / sizeof(escalate_fields[0]);
	    i++) {
		snprintf(key, sizeof(key), "%s:%s", agency,
		    escalate_fields[i].what);
		v = json_string_value(json_object_get(follow, key));
		if (v == NULL)
			continue;
		*at = strtoll(v, NULL, 10);	/* "MS VIA ..." */
		return escalate_fields[i].state;
	}
	return ESCALATE_NOT_REACHED;
}

int
escalate_status(const struct plan *p, const struct plan_task *t,
    const json_t *follow, char **text, size_t *recipients, char *err,
    size_t len)
{
	const struct plan_agency	**rec;
	enum escalate_state		  st;
	long long			  at;
	struct buf			  b = BUF_INIT;
	char				  day[16] = "";
	size_t				  i, n;
	int				  y, m, d, open = 0;

	*text = NULL;
	*recipients = 0;
	if (!json_is_object(follow)) {
		snprintf(err, len, "the follow-ups are not a JSON object");
		return -1;
	}
	n = plan_recipients(p, t, &rec);
	*recipients = n;
	for (i = 0; i < n; i++) {
		st = escalate_state_of(follow, rec[i]->id, &at);
		day[0] = '\0';
		if (at > 0) {
			plan_day_to_ymd(schedule_day_of(p, at, NULL), &y, &m,
			    &d);
			snprintf(day, sizeof(day), "%02d/%02d/%04d", d, m, y);
		}
		open += st != ESCALATE_DONE;
		buf_printf(&b, "- %s: ", rec[i]->name);
		switch (st) {
		case ESCALATE_DONE:
			buf_printf(&b, "đã hoàn thành%s%s%s", *day ? " (" : "",
			    day, *day ? ")" : "");
			break;
		case ESCALATE_ACK:
			buf_printf(&b, "đã xác nhận%s%s%s, chưa báo hoàn thành",
			    *day ? " ngày " : "", day, "");
			break;
		case ESCALATE_SEEN:
			buf_puts(&b, "đã xem tin nhắn, chưa xác nhận");
			break;
		case ESCALATE_REACHED:
			buf_puts(&b, "đã nhận được nhắc việc, chưa xác nhận");
			break;
		case ESCALATE_NOT_REACHED:
			buf_puts(&b, "chưa nhận được nhắc việc");
			break;
		}
		buf_putc(&b, '\n');
	}
	free(rec);
	if (open == 0) {
		buf_clear(&b);
		return 0;
	}
	if (b.n > 0 && b.p[b.n - 1] == '\n')
		b.p[--b.n] = '\0';
	*text = buf_take(&b, NULL);
	return open;
}
