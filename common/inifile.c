/* INI text through libinih, with line numbers, line checks and sections. */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "inifile.h"
#include "log.h"
#include "xmalloc.h"

/* Everything one read keeps. */
struct inifile_reader {
	const struct inifile_handler	*h;
	void				*arg;

	const char			*text;
	size_t				 textlen;
	size_t				 textpos;

	unsigned			 lineno;
	const char			*raw;		/* the current line */
	size_t				 rawlen;
	const char			*feed;		/* what inih gets */
	size_t				 feedlen;
	size_t				 feedpos;

	char				*section;	/* NULL: before any */
	int				 broken;	/* header lacks ']' */
};

/* Reports msg for line through the caller's error callback. */
static void
inifile_error(struct inifile_reader *r, unsigned line, const char *msg)
{
	r->h->error(r->arg, line, msg);
}

/* 0 when the n bytes at s are well-formed UTF-8. */
static int
inifile_utf8(const unsigned char *s, size_t n)
{
	size_t		i = 0, k, need;
	uint32_t	c;

	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			c &= 0x07;
		} else
			return -1;
		if (n - i <= need)
			return -1;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && (c < 0x800 ||
		    (c >= 0xd800 && c <= 0xdfff))) ||
		    (need == 3 && (c < 0x10000 || c > 0x10ffff)))
			return -1;
		i += need + 1;
	}
	return 0;
}

/*
 * The first of chars in [s, e), or NULL when none comes before the end or
 * an inline comment (';' after a space): the same scan as inih's.
 */
static const char *
inifile_find(const char *s, const char *e, const char *chars)
{
	int	was_space = 0;

	for (; s < e; s++) {
		if (strchr(chars, *s) != NULL)
			return s;
		if (was_space && *s == ';')
			return NULL;
		was_space = isspace((unsigned char)*s);
	}
	return NULL;
}

/* Makes the header text in [s, e) the current section and tells the caller. */
static void
inifile_section(struct inifile_reader *r, const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	free(r->section);
	r->section = xstrndup(s, e - s);
	r->broken = 0;
	r->h->section(r->arg, r->section, r->lineno);
}

/* Checks the syntax of the raw line and starts sections; -1 if it is bad. */
static int
inifile_check_line(struct inifile_reader *r)
{
	const char	*s = r->raw, *e = r->raw + r->rawlen, *p;
	size_t		 n = r->rawlen;
	char		 msg[128];

	if (memchr(s, '\0', n) != NULL) {
		inifile_error(r, r->lineno, "the line holds a NUL byte; the "
		    "file must be UTF-8 text");
		return -1;
	}
	if (n > INIFILE_LINE_MAX) {
		snprintf(msg, sizeof(msg), "the line is too long (%zu bytes); "
		    "at most %d", n, INIFILE_LINE_MAX);
		inifile_error(r, r->lineno, msg);
		return -1;
	}
	if (inifile_utf8((const unsigned char *)s, n) == -1) {
		inifile_error(r, r->lineno, "the line is not valid UTF-8; save "
		    "the file as UTF-8");
		return -1;
	}
	if (r->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (s == e || *s == ';' || *s == '#')
		return 0;
	if (*s == '[') {
		if ((p = inifile_find(s + 1, e, "]")) == NULL) {
			inifile_error(r, r->lineno, "missing ']' after the "
			    "section name; write [name]");
			free(r->section);
			r->section = NULL;
			r->broken = 1;
			r->h->section(r->arg, NULL, r->lineno);
			return -1;
		}
		inifile_section(r, s + 1, p);
		for (p++; p < e && isspace((unsigned char)*p); p++)
			;
		if (p < e && *p != ';' && *p != '#') {
			inifile_error(r, r->lineno, "unexpected text after "
			    "']'; a comment starts with ';'");
			return -1;
		}
		return 0;
	}
	if ((p = inifile_find(s, e, "=:")) == NULL) {
		inifile_error(r, r->lineno, "expected 'key = value' or "
		    "'[section]'");
		return -1;
	}
	if (p == s) {
		snprintf(msg, sizeof(msg), "missing key before '%c'; expected "
		    "'key = value'", *p);
		inifile_error(r, r->lineno, msg);
		return -1;
	}
	return 0;
}

/* The next raw line of the text, with its line end; -1 at the end. */
static int
inifile_raw_line(struct inifile_reader *r)
{
	const char	*nl;

	if (r->textpos == r->textlen)
		return -1;
	r->raw = r->text + r->textpos;
	nl = memchr(r->raw, '\n', r->textlen - r->textpos);
	r->rawlen = nl != NULL ? (size_t)(nl - r->raw) + 1 :
	    r->textlen - r->textpos;
	r->textpos += r->rawlen;
	return 0;
}

/* Reads the next raw line and decides what inih gets of it. */
static int
inifile_next_line(struct inifile_reader *r)
{
	if (inifile_raw_line(r) == -1)
		return -1;
	r->lineno++;
	r->feed = r->raw;
	r->feedlen = r->rawlen;
	r->feedpos = 0;
	if (inifile_check_line(r) == -1) {
		/* Reported already: inih sees a blank line instead. */
		r->feed = "\n";
		r->feedlen = 1;
	}
	return 0;
}

/*
 * The fgets-style reader inih calls. It hands over one raw line at a time,
 * in pieces when inih's buffer is smaller, so inih's handler calls for a line
 * all come before the next line is read and r->lineno is always theirs.
 * getline, not fgets, because fgets cannot tell where a line with a NUL ends.
 */
static char *
inifile_feed(char *str, int num, void *arg)
{
	struct inifile_reader	*r = arg;
	size_t			 n;

	if (num < 2)
		return NULL;
	if (r->feedpos == r->feedlen && inifile_next_line(r) == -1)
		return NULL;
	n = r->feedlen - r->feedpos;
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, r->feed + r->feedpos, n);
	str[n] = '\0';
	r->feedpos += n;
	return str;
}

/*
 * Called by inih for every "key = value" line. inih truncates section names
 * to 49 bytes and says nothing of a section without keys, so the reader
 * tracks sections itself and ignores inih's.
 */
static int
inifile_key(void *arg, const char *section, const char *name,
    const char *value)
{
	struct inifile_reader	*r = arg;

	(void)section;
	if (r->broken)
		return 1;
	r->h->key(r->arg, r->section, name, value != NULL ? value : "",
	    r->lineno);
	return 1;
}

/* Runs inih over the reader with the globals it needs, then restores them. */
static int
inifile_run(struct inifile_reader *r)
{
	bool	old_stack, old_realloc, old_multiline;
	int	old_max, rc;

	/*
	 * Debian's libinih 55 turns its compile-time knobs into globals.
	 * Without these it cuts lines at 200 bytes and reads the rest as a
	 * new line; multi-line values would make an indented "key = value"
	 * part of the key before it. Restored afterwards: they are global.
	 */
	old_stack = ini_use_stack;
	old_realloc = ini_allow_realloc;
	old_max = ini_max_line;
	old_multiline = ini_allow_multiline;
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = 65536;
	ini_allow_multiline = 0;
	rc = ini_parse_stream(inifile_feed, r, inifile_key, r);
	ini_use_stack = old_stack;
	ini_allow_realloc = old_realloc;
	ini_max_line = old_max;
	ini_allow_multiline = old_multiline;

	free(r->section);
	if (rc == -2) {
		inifile_error(r, 0, "out of memory");
		return -1;
	}
	/*
	 * The line checks leave inih nothing to reject: should it still
	 * find a line it cannot read, say so rather than drop it.
	 */
	if (rc > 0)
		inifile_error(r, (unsigned)rc, "expected 'key = value' or "
		    "'[section]'");
	return 0;
}

int
inifile_read_text(const char *text, size_t len,
    const struct inifile_handler *h, void *arg)
{
	struct inifile_reader	r;

	memset(&r, 0, sizeof(r));
	r.h = h;
	r.arg = arg;
	r.text = text;
	r.textlen = len;
	return inifile_run(&r);
}

void
inifile_split_section(char *text, char **kindp, char **namep)
{
	char	*kind, *name, *e;

	for (kind = text; isspace((unsigned char)*kind); kind++)
		;
	for (e = kind + strlen(kind); e > kind &&
	    isspace((unsigned char)e[-1]); e--)
		*(e - 1) = '\0';
	for (name = kind; *name != '\0' && !isspace((unsigned char)*name);
	    name++)
		;
	if (*name != '\0') {
		*name++ = '\0';
		while (isspace((unsigned char)*name))
			name++;
	}
	*kindp = kind;
	*namep = name;
}
