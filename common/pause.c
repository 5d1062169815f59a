/* Pausing and resuming a channel (pause.lua, resume.lua): their arguments, the same for `nhacviec pause|resume`, the daemon and the status page. */
#include <stdio.h>
#include <string.h>

#include "pause.h"

void
pause_prepare(struct pause_call *c, const char *channel, const char *by,
    const char *reason, int64_t for_ms, int64_t now_ms)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->for_ms, sizeof(c->for_ms), "%lld",
	    (long long)(for_ms > 0 ? for_ms : 0));
	snprintf(c->at, sizeof(c->at), "%lld", (long long)now_ms);
	c->argv[0] = channel;
	c->argv[1] = by;
	c->argv[2] = reason ? reason : "";
	c->argv[3] = c->for_ms;
	c->argv[4] = c->at;
	c->argc = 5;
}

void
pause_resume_prepare(struct pause_call *c, const char *channel,
    int only_expired, const char *by, int64_t now_ms)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->at, sizeof(c->at), "%lld", (long long)now_ms);
	c->argv[0] = channel;
	c->argv[1] = only_expired ? "1" : "";
	c->argv[2] = by ? by : "";
	c->argv[3] = c->at;
	c->argc = 4;
}
