/* A list of diagnostics, each "FILE:LINE: message", collected while checking input. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "i18n.h"

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_clear(struct diag *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	free(d->warn);
	diag_init(d);
}

/* The format is translated here, once for every caller. */
static void
diag_add(struct diag *d, const char *file, unsigned line, int warn,
    const char *fmt, va_list ap)
{
	char		 msg[1024], where[512], *s, **nm;
	unsigned char	*nw;
	size_t		 ncap;

	vsnprintf(msg, sizeof(msg), _(fmt), ap);
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%u", file, line);
	else
		snprintf(where, sizeof(where), "%s", file);
	if (asprintf(&s, "%s: %s%s", where, warn ? _("warning: ") : "",
	    msg) == -1)
		abort();
	if (d->n == d->cap) {
		ncap = d->cap ? d->cap * 2 : 8;
		if ((nm = realloc(d->msgs, ncap * sizeof(*nm))) == NULL)
			abort();
		d->msgs = nm;
		if ((nw = realloc(d->warn, ncap)) == NULL)
			abort();
		d->warn = nw;
		d->cap = ncap;
	}
	d->warn[d->n] = warn != 0;
	d->msgs[d->n++] = s;
}

void
diag_error(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_add(d, file, line, 0, fmt, ap);
	va_end(ap);
	d->nerrors++;
}

void
diag_warn(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_add(d, file, line, 1, fmt, ap);
	va_end(ap);
	d->nwarnings++;
}

void
diag_print(const struct diag *d, FILE *fp)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		fprintf(fp, "%s\n", d->msgs[i]);
}

int
diag_is_warning(const struct diag *d, size_t i)
{
	return i < d->n && d->warn[i];
}

void
diag_log(const struct diag *d, void (*err)(const char *, ...),
    void (*warn)(const char *, ...))
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		(diag_is_warning(d, i) ? warn : err)("%s", d->msgs[i]);
}

const char *
diag_first_error(const struct diag *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		if (!diag_is_warning(d, i))
			return d->msgs[i];
	return NULL;
}
