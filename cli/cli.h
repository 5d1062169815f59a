/* The commands of the nhacviec admin command that live outside its main file. */
#ifndef NV_CLI_H
#define NV_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "config.h"
#include "i18n.h"
#include "keys.h"
#include "scripts.h"

#define EX_USAGE	64
#define EX_DATAERR	65
#define EX_NOINPUT	66
#define EX_UNAVAILABLE	69
#define EX_CONFIG	78

struct option;
struct command;
struct plan;

/* What every command gets: the config it runs with, its keys, itself. */
struct cli {
	const char		*path;		/* -c FILE */
	struct config		*conf;
	struct keys		 keys;
	const struct command	*cmd;
	int			 getopt_started;
	struct plan		*plan;		/* cli_plan_view's, freed by main */
};

/* One command: `nhacviec NAME ARGS`; fn gets argv[0] == NAME. */
struct command {
	const char	*name;
	const char	*args;		/* the usage after the name */
	const char	*what;		/* one line for the list */
	int		 min, max;	/* operands after the options (-1: any) */
	const char	*missing;	/* said when fewer than min are given
					   (every command with a min has one) */
	int		(*fn)(struct cli *, int argc, char **argv);
};

/*
 * getopt_long over a command's own options (argv[0] is its name): the
 * option's value, -1 at the end, 0 after printing what was wrong (the
 * command then returns EX_USAGE). At the end, the operands left are
 * counted against the command's min and max.
 */
int	cli_getopt(struct cli *, int argc, char **argv,
	    const struct option *longopts);
/* "nhacviec CMD: why" (when fmt is set) and the usage line; EX_USAGE. */
int	cli_usage(const struct cli *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Spaces after s up to width columns (UTF-8: translated labels line up). */
void	cli_pad(FILE *, const char *s, size_t width);

/*
 * A connection to the config's Redis, authenticated; NULL after saying why.
 * With [redis] cluster, to the master serving the prefix's slot.
 */
redisContext	*cli_connect(const struct config *);
/*
 * redisCommand and redisCommandArgv for the connection cli_connect made:
 * in a Cluster they follow MOVED, ASK and TRYAGAIN. Every file of cli/
 * calls them by the hiredis names, which the macros below send here.
 */
redisReply	*cli_command(redisContext *, const char *fmt, ...);
redisReply	*cli_command_argv(redisContext *, int argc, const char **argv,
		    const size_t *argvlen);
#define redisCommand(rc, ...)	((void *)cli_command((rc), __VA_ARGS__))
#define redisCommandArgv(rc, argc, argv, argvlen) \
	((void *)cli_command_argv((rc), (argc), (argv), (argvlen)))
/* EVAL a script of common/scripts.h, its keys named from k. */
redisReply	*cli_script(redisContext *, const struct keys *k,
		    enum script_id, int argc, const char **argv);
/* The plan as loaded in Redis, parsed as a daemon does; NULL when there
 * is none, or after printing its errors. */
struct plan	*cli_plan(redisContext *, const struct config *,
		    const struct keys *);
/* check --redis: is the Redis safe to keep reminders in? Warnings. */
int		 cli_check_redis(const struct config *);
/*
 * The plan to show names and times by (not to send by: that is
 * cli_plan's): as loaded in Redis (rc may be NULL), read without the
 * config's checks, else the config's plan files, else an empty plan in
 * the default zone. Never NULL; kept in the cli, quiet.
 */
const struct plan *cli_plan_view(struct cli *, redisContext *rc);
/* An instant as ISO 8601 in the plan's zone ("2022-04-29T08:00:00+07:00"). */
void		 cli_time(struct cli *, redisContext *rc, int64_t ms,
		    char *buf, size_t len);
/*
 * Calls fn with the field-value pairs of every entry of a stream, oldest
 * first, read 1000 at a time; -1 after saying why on stderr.
 */
int		 cli_stream_each(redisContext *, const char *key,
		    void (*fn)(void *arg, const char *const *fields,
		    size_t nfields), void *arg);
/* The same over the entries with ids from `from` to `to` (XRANGE's). */
int		 cli_stream_range(redisContext *, const char *key,
		    const char *from, const char *to,
		    void (*fn)(void *arg, const char *const *fields,
		    size_t nfields), void *arg);
/* The same, fn told each entry's id too. */
int		 cli_stream_entries(redisContext *, const char *key,
		    const char *from, const char *to,
		    void (*fn)(void *arg, const char *id,
		    const char *const *fields, size_t nfields), void *arg);
/*
 * cli/archive.c. The instant before which Redis may no longer hold the
 * ledger, states and follow-ups (they went to the archive), or -1 when
 * nothing was ever archived.
 */
int64_t		 cli_archive_kept(struct cli *, redisContext *);
/*
 * The archive's items of the kinds in mask (enum archive_kind bits) with
 * a time in [from, to) (-1: open), from [ledger] archive_dir; seen as
 * archive_read's. -1 after saying why on stderr (a file that cannot be
 * read); a bad line is a warning naming FILE:LINE.
 */
struct archive_seen;
struct archive_item;
int		 cli_archive_read(struct cli *, int64_t from, int64_t to,
		    unsigned mask, struct archive_seen *seen,
		    void (*fn)(void *arg, const struct archive_item *),
		    void *arg);
/* status: when the last archive ran, what it moved, what Redis keeps. */
void		 cli_print_archive(struct cli *, redisContext *);

/* Who runs the command, for the record: "login@host (what)". */
void		 cli_who(char *buf, size_t len, const char *what);

int	cmd_zalo(struct cli *, int argc, char **argv);
int	cmd_send(struct cli *, int argc, char **argv);
int	cmd_import_appendix(struct cli *, int argc, char **argv);
int	cmd_preview(struct cli *, int argc, char **argv);
int	cmd_dead(struct cli *, int argc, char **argv);
int	cmd_report(struct cli *, int argc, char **argv);
int	cmd_pause(struct cli *, int argc, char **argv);
int	cmd_ack(struct cli *, int argc, char **argv);
int	cmd_inbox(struct cli *, int argc, char **argv);
int	cmd_resume(struct cli *, int argc, char **argv);
/* status: each paused channel, why, by whom, until when, what it holds. */
void	cli_print_pauses(struct cli *, redisContext *);
/* calendar YEAR...: the years' statutory days off as a [calendar] section. */
int	cmd_calendar(struct cli *, int argc, char **argv);
int	cmd_log(struct cli *, int argc, char **argv);
/*
 * report --by agency|task: the follow-ups of the occurrences due from
 * day `from` to day `to` (YYYY-MM-DD, the plan's zone), as text or CSV.
 */
int	cli_report_follow(struct cli *, const char *by, const char *from,
	    const char *to, int csv);
/* user add|remove|list: the status pages' accounts. */
int	cmd_user(struct cli *, int argc, char **argv);

/*
 * complete channels|tasks|agencies|groups: the names of that kind, sorted,
 * one a line, from the config at cl->path and the plan files it names, read
 * without any check (see complete.c): main calls it before loading the
 * config, and cl->conf is NULL.
 */
int	cmd_complete(struct cli *, int argc, char **argv);

#endif
