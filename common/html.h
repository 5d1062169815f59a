/* Building HTML text safely: a growing buffer where every value is escaped unless the code says it is markup. */
#ifndef NV_HTML_H
#define NV_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The page so far. */
struct html {
	struct buf	b;
};

void	html_init(struct html *);
void	html_clear(struct html *);
/* The text so far (malloc'd, NUL-terminated) and its length; h is emptied. */
char	*html_take(struct html *, size_t *len);

/* Markup written by the code itself, never a value from outside. */
void	html_raw(struct html *, const char *);
void	html_rawn(struct html *, const char *, size_t);
/*
 * A value as text: & < > " ' escaped, so it is safe between tags and
 * inside a quoted attribute; bytes that are not UTF-8, and control
 * characters but tab and line ends, become U+FFFD.
 */
void	html_text(struct html *, const char *);
void	html_textn(struct html *, const char *, size_t);
/* A value inside a URL (a path segment or a query value): percent-encoded
 * but for letters, digits and -._~, then escaped as text. */
void	html_url(struct html *, const char *);

/*
 * Formatted output; the format is the code's, the values are not:
 *	%s	text (html_text)	%u	inside a URL (html_url)
 *	%r	markup (html_raw)	%d	int
 *	%D	int64_t			%%	a percent sign
 * An unknown directive is written as it is.
 */
void	html_put(struct html *, const char *fmt, ...);

#endif
