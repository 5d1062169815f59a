/* Building HTML text safely: a growing buffer where every value is escaped unless the code says it is markup. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

#define HTML_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

void
html_init(struct html *h)
{
	buf_init(&h->b);
}

void
html_clear(struct html *h)
{
	buf_clear(&h->b);
}

char *
html_take(struct html *h, size_t *len)
{
	return buf_take(&h->b, len);
}

void
html_rawn(struct html *h, const char *s, size_t n)
{
	buf_add(&h->b, s, n);
}

void
html_raw(struct html *h, const char *s)
{
	html_rawn(h, s, strlen(s));
}

/* The length of the UTF-8 character at s (n bytes left), or 0 if none. */
static size_t
html_utf8(const unsigned char *s, size_t n)
{
	size_t		len, i;
	unsigned	cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
html_textn(struct html *h, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, start = 0, k;
	const char		*rep;

	while (i < n) {
		rep = NULL;
		k = 1;
		switch (u[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\t':
		case '\n':
		case '\r':
			break;
		default:
			if (u[i] < 0x20 || u[i] == 0x7f)
				rep = HTML_REPLACEMENT;
			else if ((k = html_utf8(u + i, n - i)) == 0) {
				rep = HTML_REPLACEMENT;
				k = 1;
			}
			break;
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		html_rawn(h, s + start, i - start);
		html_raw(h, rep);
		i += k;
		start = i;
	}
	html_rawn(h, s + start, n - start);
}

void
html_text(struct html *h, const char *s)
{
	html_textn(h, s ? s : "", s ? strlen(s) : 0);
}

void
html_url(struct html *h, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u = (const unsigned char *)(s ? s : "");
	char			 e[3];

	for (; *u != '\0'; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr("-._~", *u) != NULL) {
			html_rawn(h, (const char *)u, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[*u >> 4];
		e[2] = hex[*u & 15];
		html_rawn(h, e, 3);
	}
}

void
html_put(struct html *h, const char *fmt, ...)
{
	va_list		 ap;
	const char	*p, *start = fmt;
	char		 num[32];

	va_start(ap, fmt);
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		html_rawn(h, start, (size_t)(p - start));
		switch (p[1]) {
		case 's':
			html_text(h, va_arg(ap, const char *));
			break;
		case 'u':
			html_url(h, va_arg(ap, const char *));
			break;
		case 'r':
			html_raw(h, va_arg(ap, const char *));
			break;
		case 'd':
			snprintf(num, sizeof(num), "%d", va_arg(ap, int));
			html_raw(h, num);
			break;
		case 'D':
			snprintf(num, sizeof(num), "%lld",
			    (long long)va_arg(ap, int64_t));
			html_raw(h, num);
			break;
		case '%':
			html_raw(h, "%");
			break;
		default:
			/* not a directive: the percent sign as it is */
			html_raw(h, "%");
			start = p + 1;
			continue;
		}
		p++;
		start = p + 1;
	}
	html_rawn(h, start, (size_t)(p - start));
	va_end(ap);
}
