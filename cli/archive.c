/* The admin command's side of the archive: what Redis still holds, the year files read for older ranges, what status says of the last run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "archive.h"
#include "cli.h"

int64_t
cli_archive_kept(struct cli *cl, redisContext *rc)
{
	redisReply	*r;
	int64_t		 kept = -1;
	char		*end;

	r = redisCommand(rc, "HGET %s oldest_kept", cl->keys.archive);
	if (r != NULL && r->type == REDIS_REPLY_STRING) {
		kept = strtoll(r->str, &end, 10);
		if (*end != '\0' || kept < 0)
			kept = -1;
	}
	freeReplyObject(r);
	return kept;
}

int
cli_archive_read(struct cli *cl, int64_t from, int64_t to, unsigned mask,
    struct archive_seen *seen,
    void (*fn)(void *, const struct archive_item *), void *arg)
{
	char	err[600];

	if (archive_read(cl->conf->archive_dir, from, to, mask, seen, fn, arg,
	    stderr, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, _("nhacviec %s: the archive ([ledger] archive_dir) "
	    "cannot be read: %s; run as the nhacviec user, or as root\n"),
	    cl->cmd ? cl->cmd->name : "", err);
	return -1;
}

void
cli_print_archive(struct cli *cl, redisContext *rc)
{
	redisReply	*r;
	const char	*last = NULL, *moved = NULL, *kept = NULL, *error = NULL;
	const char	*k;
	char		 when[48];
	size_t		 i;

	r = redisCommand(rc, "HGETALL %s", cl->keys.archive);
	for (i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY &&
	    i + 1 < r->elements; i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    r->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		k = r->element[i]->str;
		if (strcmp(k, "last_run") == 0)
			last = r->element[i + 1]->str;
		else if (strcmp(k, "moved") == 0)
			moved = r->element[i + 1]->str;
		else if (strcmp(k, "oldest_kept") == 0)
			kept = r->element[i + 1]->str;
		else if (strcmp(k, "last_error") == 0)
			error = r->element[i + 1]->str;
	}
	printf("%s", _("archive"));
	cli_pad(stdout, _("archive"), 30);
	if (last == NULL)
		printf(_("never run yet (keep %lldd)\n"),
		    (long long)(cl->conf->keep_ms / 86400000LL));
	else {
		cli_time(cl, rc, strtoll(last, NULL, 10), when, sizeof(when));
		printf(_("last run %s, %s moved to %s\n"), when,
		    moved ? moved : "0", cl->conf->archive_dir);
		if (error != NULL && *error != '\0')
			printf(_("%-30sthat run stopped: %s\n"), "", error);
	}
	if (kept != NULL) {
		cli_time(cl, rc, strtoll(kept, NULL, 10), when, sizeof(when));
		printf(_("%-30sRedis holds what is newer than %s; older is in "
		    "the archive\n"), "", when);
	}
	freeReplyObject(r);
}
