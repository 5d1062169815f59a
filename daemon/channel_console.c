/* The console channel: prints each reminder on standard output (the demo and tests). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nhacviecd.h"

static void
console_send(struct channel *ch, struct job *j)
{
	struct result	 res = { .verdict = VERDICT_OK, .retry_after_s = -1 };
	char		*text, when[40];
	time_t		 t = (time_t)(j->fire_at / 1000);
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%d/%m/%Y %H:%M", &tm);
	if ((text = reminder_text(&j->r)) == NULL) {
		res.verdict = VERDICT_TRANSIENT;
		snprintf(res.detail, sizeof(res.detail), "out of memory");
	} else {
		printf("[%s]%s %s → %s%s%s: %s\n", when,
		    j->late ? " (trễ)" : "", ch->name, j->r.agency_name,
		    j->r.contact ? " · " : "", j->r.contact ? j->r.contact : "",
		    text);
		fflush(stdout);
		free(text);
	}
	ledger_job_done(j, &res);
}

const struct channel_ops channel_console_ops = {
	.type = "console",
	.send = console_send,
};
