/* Logging: to the journal with fields under systemd, else to stderr. */
#ifndef NV_LOG_H
#define NV_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* A journal field: NAME (upper case, digits, '_') and its value. */
struct log_field {
	const char	*name;
	const char	*value;		/* NULL: left out */
};

void	log_init(const char *progname, int verbose);
/*
 * A message at syslog priority pri with fields the journal keeps beside it
 * (journalctl NHACVIEC_AGENCY=noi-vu); on stderr, the message alone.
 */
void	log_fields(int pri, const struct log_field *, size_t n,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	log_set_verbose(int verbose);
/* Whether a message at pri would be written (debug only when verbose). */
int	log_wants(int pri);
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_crit(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
