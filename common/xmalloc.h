/* Allocation that never returns NULL (running out of memory is fatal), and the count of an array's items. */
#ifndef NV_XMALLOC_H
#define NV_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t nmemb, size_t size);
/* A copy of s; NULL stays NULL. */
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* Like asprintf; returns the length. */
int	 xasprintf(char **, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));

#endif
