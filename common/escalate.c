/* What an escalation tells: how each recipient of an occurrence stands, read from its follow-ups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	char				 *s = NULL, day[16] = "";
	size_t				  i, n, size = 0;
	int				  y, m, d, open = 0;
	FILE				 *fp;

	*text = NULL;
	*recipients = 0;
	if (!json_is_object(follow)) {
		snprintf(err, len, "the follow-ups are not a JSON object");
		return -1;
	}
	n = plan_recipients(p, t, &rec);
	*recipients = n;
	if ((fp = open_memstream(&s, &size)) == NULL) {
		free(rec);
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		st = escalate_state_of(follow, rec[i]->id, &at);
		day[0] = '\0';
		if (at > 0) {
			plan_day_to_ymd(schedule_day_of(p, at, NULL), &y, &m,
			    &d);
			snprintf(day, sizeof(day), "%02d/%02d/%04d", d, m, y);
		}
		open += st != ESCALATE_DONE;
		fprintf(fp, "- %s: ", rec[i]->name);
		switch (st) {
		case ESCALATE_DONE:
			fprintf(fp, "đã hoàn thành%s%s%s", *day ? " (" : "",
			    day, *day ? ")" : "");
			break;
		case ESCALATE_ACK:
			fprintf(fp, "đã xác nhận%s%s%s, chưa báo hoàn thành",
			    *day ? " ngày " : "", day, "");
			break;
		case ESCALATE_SEEN:
			fputs("đã xem tin nhắn, chưa xác nhận", fp);
			break;
		case ESCALATE_REACHED:
			fputs("đã nhận được nhắc việc, chưa xác nhận", fp);
			break;
		case ESCALATE_NOT_REACHED:
			fputs("chưa nhận được nhắc việc", fp);
			break;
		}
		fputc('\n', fp);
	}
	free(rec);
	if (fclose(fp) != 0) {
		free(s);
		snprintf(err, len, "out of memory");
		return -1;
	}
	if (open == 0) {
		free(s);
		return 0;
	}
	if (size > 0 && s[size - 1] == '\n')
		s[size - 1] = '\0';
	*text = s;
	return open;
}
