/* A growing string for text built piece by piece: templates, pages, mail, messages. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

#define BUF_FIRST	256

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_clear(struct buf *b)
{
	free(b->p);
	buf_init(b);
}

/* Room for n more bytes and the NUL. */
static void
buf_room(struct buf *b, size_t n)
{
	size_t	cap;

	if (n > SIZE_MAX - b->n - 1)
		fatalx("buf: %zu more bytes after %zu", n, b->n);
	if (b->n + n + 1 <= b->cap)
		return;
	for (cap = b->cap ? b->cap : BUF_FIRST; cap < b->n + n + 1; cap *= 2)
		if (cap > SIZE_MAX / 2) {
			cap = b->n + n + 1;
			break;
		}
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *s, size_t n)
{
	buf_room(b, n);
	if (n > 0)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	aq;
	int	n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		fatalx("buf: cannot format '%s'", fmt);
	buf_room(b, (size_t)n);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	b->n += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_take(struct buf *b, size_t *len)
{
	char	*p;

	if (b->p == NULL)
		buf_room(b, 0);
	p = b->p;
	p[b->n] = '\0';
	if (len != NULL)
		*len = b->n;
	buf_init(b);
	return p;
}
