/* Text from outside: UTF-8 checked, made safe to log and store as JSON, read a character at a time and folded to ASCII; its width on a terminal. */
#include <stdint.h>

#include "text.h"

/* The length of the well-formed character at s (n bytes left), or 0. */
static size_t
text_char_len(const unsigned char *s, size_t n)
{
	uint32_t	cp;
	size_t		len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int
text_utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;

	while (i < n) {
		if ((k = text_char_len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

size_t
text_printable(char *dst, size_t len, const char *src, size_t n)
{
	const unsigned char	*p = (const unsigned char *)src;
	size_t			 i = 0, o = 0, k;

	if (len == 0)
		return 0;
	while (i < n && p[i] != '\0') {
		if ((k = text_char_len(p + i, n - i)) <= 1) {
			if (o + 1 >= len)
				break;
			if (k == 1 && p[i] >= 0x20 && p[i] != 0x7f)
				dst[o] = (char)p[i];
			else if (p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
				dst[o] = ' ';
			else
				dst[o] = '?';
			o++;
			i++;
			continue;
		}
		if (o + k >= len)
			break;
		while (k-- > 0)
			dst[o++] = (char)p[i++];
	}
	dst[o] = '\0';
	return o;
}

size_t
text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 w = 0;
	unsigned		 cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			cp = *p++;
		} else if ((*p & 0xe0) == 0xc0 && p[1] != '\0') {
			cp = (unsigned)(*p & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else {
			cp = 0x10000;	/* three or four bytes: never a mark */
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
		if (cp < 0x300 || cp > 0x36f)
			w++;
	}
	return w;
}

uint32_t
text_utf8_next(const unsigned char *s, size_t *n)
{
	uint32_t	c = s[0];

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	if ((c & 0xe0) == 0xc0 && c >= 0xc2 && (s[1] & 0xc0) == 0x80) {
		*n = 2;
		return ((c & 0x1f) << 6) | (s[1] & 0x3f);
	}
	if ((c & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*n = 3;
		return ((c & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) |
		    (s[2] & 0x3f);
	}
	if ((c & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		*n = 4;
		return ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
		    ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	}
	*n = 1;
	return 0xfffd;
}

int
text_fold(uint32_t c)
{
	/* U+00C0..U+00FF; '*' has no base letter (Æ, ×, Þ, ß, æ, ÷, þ). */
	static const char latin1[] =
	    "aaaaaa*ceeeeiiiidnooooo*ouuuuy**"
	    "aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";

	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			return (int)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			return (int)c;
		return 0;
	}
	if (c >= 0xc0 && c <= 0xff)
		return latin1[c - 0xc0] == '*' ? 0 : latin1[c - 0xc0];
	switch (c) {
	case 0x102: case 0x103:		/* Ă ă */
		return 'a';
	case 0x110: case 0x111:		/* Đ đ */
		return 'd';
	case 0x128: case 0x129:		/* Ĩ ĩ */
		return 'i';
	case 0x168: case 0x169:		/* Ũ ũ */
	case 0x1af: case 0x1b0:		/* Ư ư */
		return 'u';
	case 0x1a0: case 0x1a1:		/* Ơ ơ */
		return 'o';
	}
	if (c >= 0x300 && c <= 0x36f)
		return TEXT_FOLD_MARK;
	/* Latin Extended Additional: the Vietnamese letters with tones. */
	if (c >= 0x1ea0 && c <= 0x1eb7)
		return 'a';
	if (c >= 0x1eb8 && c <= 0x1ec7)
		return 'e';
	if (c >= 0x1ec8 && c <= 0x1ecb)
		return 'i';
	if (c >= 0x1ecc && c <= 0x1ee3)
		return 'o';
	if (c >= 0x1ee4 && c <= 0x1ef1)
		return 'u';
	if (c >= 0x1ef2 && c <= 0x1ef9)
		return 'y';
	return 0;
}
