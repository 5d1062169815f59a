/* A growing string: bytes appended at its end, NUL-terminated at all times; running out of memory is fatal. */
#ifndef NV_BUF_H
#define NV_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*p;		/* NULL until something is added */
	size_t	 n;		/* bytes, without the NUL */
	size_t	 cap;
};

#define BUF_INIT	{ NULL, 0, 0 }

void	buf_init(struct buf *);
void	buf_clear(struct buf *);
void	buf_add(struct buf *, const void *, size_t);
void	buf_puts(struct buf *, const char *);
void	buf_putc(struct buf *, int);
void	buf_printf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_vprintf(struct buf *, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));
/* The string (malloc'd; "" when nothing was added) and its length; b is
 * empty again. */
char	*buf_take(struct buf *, size_t *len);

#endif
