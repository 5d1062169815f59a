/* A list of diagnostics, each "FILE:LINE: message", collected while checking input. */
#ifndef NV_DIAG_H
#define NV_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct diag {
	char		**msgs;	/* formatted lines, in the order found */
	unsigned char	 *warn;	/* 1 where msgs[i] is a warning */
	size_t		  n;
	size_t		  cap;
	size_t		  nerrors;
	size_t		  nwarnings;
};

void	diag_init(struct diag *);
void	diag_clear(struct diag *);
/* line 0 means "the whole file": printed as FILE: message. */
void	diag_error(struct diag *, const char *file, unsigned line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	diag_warn(struct diag *, const char *file, unsigned line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	diag_print(const struct diag *, FILE *);
/* 1 when message i is a warning, not an error. */
int	diag_is_warning(const struct diag *, size_t i);
/* Each message to err or warn by its kind (log_err, log_warnx). */
void	diag_log(const struct diag *, void (*err)(const char *, ...),
	    void (*warn)(const char *, ...));
/* The first error's message, or NULL. */
const char *diag_first_error(const struct diag *);

#endif
