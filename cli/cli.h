/* The commands of the nhacviec admin command that live outside its main file. */
#ifndef NV_CLI_H
#define NV_CLI_H

#include <hiredis/hiredis.h>

#include "config.h"
#include "keys.h"
#include "scripts.h"

#define EX_USAGE	64
#define EX_DATAERR	65
#define EX_UNAVAILABLE	69
#define EX_CONFIG	78

/* A connection to the config's Redis, authenticated; NULL after saying why. */
redisContext	*cli_connect(const struct config *);
/* EVAL a script of common/scripts.h, its keys named from k. */
redisReply	*cli_script(redisContext *, const struct keys *k,
		    enum script_id, int argc, const char **argv);

/*
 * zalo token set | zalo token status [--channel NAME]: store a refresh
 * token read from standard input (never from the command line), or show
 * when the stored pair expires (never the tokens).
 */
int	cmd_zalo(const struct config *, const struct keys *, int argc,
	    char **argv);

/*
 * send --agency ID --channel NAME: an ad-hoc notice, its text from standard
 * input, through the same outbox, ledger and rules as any reminder.
 */
int	cmd_send(const struct config *, const struct keys *, int argc,
	    char **argv);

/*
 * import-appendix [--year N] [--remind SPECS] [--channels LIST] FILE.tsv:
 * a plan's appendix table, as pasted (tab-separated), as [task] sections on
 * stdout. argv[0] is the command name, as getopt has it, and the words
 * after it follow (argv without the command name is accepted too). Returns
 * the exit status: 0, 64 (usage), 65 (a row it could not read, reported as
 * FILE:ROW), 66 (no such file) or 78 (the plan files do not load).
 */
int	cmd_import_appendix(const struct config *, int argc, char **argv);

/*
 * preview --from YYYY-MM-DD --to YYYY-MM-DD [--format text|tsv]: the
 * reminders the plan files give whose fire time falls on those days (in the
 * plan's zone), from the files alone, without Redis. argv[0] is the command
 * name, as getopt has it. Returns the exit status: 0, 64 (usage) or 78 (the
 * plan does not load or does not fit the config).
 */
int	cmd_preview(const struct config *, int argc, char **argv);

/* dead [requeue ID|'*']: the dead letters, or put them back in due. */
int	cmd_dead(const struct config *, const struct keys *, int argc,
	    char **argv);
/* report: the ledger's outcomes per channel. */
int	cmd_report(const struct config *, const struct keys *, int argc,
	    char **argv);

#endif
