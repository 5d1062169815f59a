/* Pausing and resuming a channel (pause.lua, resume.lua): their arguments, the same for `nhacviec pause|resume`, the daemon and the status page. */
#ifndef NV_PAUSE_H
#define NV_PAUSE_H

#include <stdint.h>

/* One call's ARGV, ready; the strings given must outlive it. */
struct pause_call {
	const char	*argv[5];
	int		 argc;
	char		 for_ms[24];
	char		 at[24];
};

/*
 * pause.lua: hold channel in every daemon for for_ms (0: until resumed);
 * by and reason go to {p}:pauses and the ledger, at now_ms.
 */
void	pause_prepare(struct pause_call *, const char *channel,
	    const char *by, const char *reason, int64_t for_ms,
	    int64_t now_ms);
/* resume.lua: lift the pause (only_expired: only one whose time is up). */
void	pause_resume_prepare(struct pause_call *, const char *channel,
	    int only_expired, const char *by, int64_t now_ms);

#endif
