/* A list of diagnostics, each "FILE:LINE: message", collected while checking input. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

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
	diag_init(d);
}

static void
diag_add(struct diag *d, const char *file, unsigned line, const char *kind,
    const char *fmt, va_list ap)
{
	char	 msg[1024], where[512], *s, **nm;
	size_t	 ncap;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%u", file, line);
	else
		snprintf(where, sizeof(where), "%s", file);
	if (asprintf(&s, "%s: %s%s", where, kind, msg) == -1)
		abort();
	if (d->n == d->cap) {
		ncap = d->cap ? d->cap * 2 : 8;
		if ((nm = realloc(d->msgs, ncap * sizeof(*nm))) == NULL)
			abort();
		d->msgs = nm;
		d->cap = ncap;
	}
	d->msgs[d->n++] = s;
}

void
diag_error(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_add(d, file, line, "", fmt, ap);
	va_end(ap);
	d->nerrors++;
}

void
diag_warn(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_add(d, file, line, "warning: ", fmt, ap);
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

/* A warning's line says so after its place ("FILE:LINE: warning: "). */
int
diag_is_warning(const char *msg)
{
	const char	*p = strstr(msg, ": warning: ");

	return p != NULL && strchr(msg, ' ') == p + 1;
}

void
diag_log(const struct diag *d, void (*err)(const char *, ...),
    void (*warn)(const char *, ...))
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		(diag_is_warning(d->msgs[i]) ? warn : err)("%s", d->msgs[i]);
}

const char *
diag_first_error(const struct diag *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		if (!diag_is_warning(d->msgs[i]))
			return d->msgs[i];
	return NULL;
}
