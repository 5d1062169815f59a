/* Reading a plan's appendix table as an admin pastes it: Vietnamese folding, cells, the time column, partner lists. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appendix.h"
#include "civil.h"
#include "text.h"
#include "xmalloc.h"


/* --- output buffers -------------------------------------------------------- */

struct obuf {
	char	*p;
	size_t	 len;
	size_t	 n;
	int	 cut;
};

static void
ob_init(struct obuf *b, char *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->n = 0;
	b->cut = 0;
	if (len > 0)
		p[0] = '\0';
}

/* Appends n bytes whole or not at all, so UTF-8 is never cut inside a character. */
static void
ob_put(struct obuf *b, const char *s, size_t n)
{
	if (b->cut || b->len == 0 || b->n + n >= b->len) {
		b->cut = 1;
		return;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
ob_putc(struct obuf *b, char c)
{
	ob_put(b, &c, 1);
}

static void
ob_puts(struct obuf *b, const char *s)
{
	ob_put(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
ob_printf(struct obuf *b, const char *fmt, ...)
{
	char	tmp[512];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		b->cut = 1;
	else
		ob_put(b, tmp, (size_t)n);
}

static void
ob_rtrim(struct obuf *b)
{
	while (b->n > 0 && b->p[b->n - 1] == ' ')
		b->p[--b->n] = '\0';
}

static int
ob_done(struct obuf *b)
{
	return b->cut ? -1 : 0;
}

/* --- UTF-8 and folding ----------------------------------------------------- */


/* The start of s in buf, cut between characters (with "…") when too long. */
static const char *
brief(const char *s, char *buf, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct obuf		 b;
	size_t			 n;

	ob_init(&b, buf, len > 3 ? len - 3 : len);
	while (*u && !b.cut) {
		(void)text_utf8_next(u, &n);
		ob_put(&b, (const char *)u, n);
		u += n;
	}
	if (b.cut && len > 3) {
		b.len = len;
		b.cut = 0;
		ob_puts(&b, "\xe2\x80\xa6");
	}
	return buf;
}

int
appendix_fold(const char *in, char *out, size_t len)
{
	const unsigned char	*s = (const unsigned char *)in;
	struct obuf		 b;
	uint32_t		 c;
	size_t			 n;
	int			 f;

	ob_init(&b, out, len);
	while (*s) {
		c = text_utf8_next(s, &n);
		f = text_fold(c);
		if (f == TEXT_FOLD_MARK)
			;
		else if (f > 0)
			ob_putc(&b, (char)f);
		else if (c == 0xa0)
			ob_putc(&b, ' ');
		else
			ob_put(&b, (const char *)s, n);
		s += n;
	}
	return ob_done(&b);
}

/* --- the file's encoding --------------------------------------------------- */

static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list	ap;

	if (len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* in converted from the iconv encoding from to UTF-8, into *out. */
static int
decode_iconv(const char *from, const char *name, const char *in, size_t len,
    char **out, size_t *outlen, char *err, size_t errlen)
{
	iconv_t	 cd;
	char	*buf, *ib = (char *)in, *ob;
	size_t	 il = len, ol, cap, r;

	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		seterr(err, errlen, "iconv cannot read '%s': %s (iconv -l "
		    "lists the encodings it knows)", from, strerror(errno));
		return -1;
	}
	/* a byte of a one-byte code page is at most 3 bytes of UTF-8 */
	if (len > (SIZE_MAX - 8) / 3 || (buf = malloc((cap = len * 3 + 8) +
	    1)) == NULL) {
		iconv_close(cd);
		seterr(err, errlen, "out of memory");
		return -1;
	}
	ob = buf;
	ol = cap;
	r = iconv(cd, &ib, &il, &ob, &ol);
	/* Windows-1258 holds a letter back for the tone mark that may follow. */
	if (r != (size_t)-1)
		r = iconv(cd, NULL, NULL, &ob, &ol);
	if (r == (size_t)-1) {
		if (errno == EILSEQ)
			seterr(err, errlen, "byte 0x%02x at offset %zu is not "
			    "%s", (unsigned char)*ib, (size_t)(ib - in), name);
		else if (errno == EINVAL)
			seterr(err, errlen, "the text ends inside a %s "
			    "character", name);
		else
			seterr(err, errlen, "cannot convert from %s: %s", name,
			    strerror(errno));
		iconv_close(cd);
		free(buf);
		return -1;
	}
	iconv_close(cd);
	*ob = '\0';
	*out = buf;
	*outlen = (size_t)(ob - buf);
	return 0;
}

int
appendix_decode(const char *in, size_t len, const char *encoding, char **out,
    size_t *outlen, char *how, size_t howlen, char *err, size_t errlen)
{
	const unsigned char	*u = (const unsigned char *)in;
	const char		*from = NULL, *name;
	char			*buf;
	size_t			 n;

	*out = NULL;
	if (encoding != NULL)
		from = name = encoding;
	else if (len >= 3 && memcmp(u, "\xef\xbb\xbf", 3) == 0) {
		in += 3;
		len -= 3;
		name = "UTF-8";
	} else if (len >= 2 && u[0] == 0xff && u[1] == 0xfe) {
		in += 2;
		len -= 2;
		from = name = "UTF-16LE";
	} else if (len >= 2 && u[0] == 0xfe && u[1] == 0xff) {
		in += 2;
		len -= 2;
		from = name = "UTF-16BE";
	} else if (len >= 2 && u[0] != 0 && u[0] < 0x80 && u[1] == 0)
		from = name = "UTF-16LE";
	else if (len >= 2 && u[0] == 0 && u[1] != 0 && u[1] < 0x80)
		from = name = "UTF-16BE";
	else if (memchr(in, '\0', len) != NULL) {
		seterr(err, errlen, "holds a NUL byte and is not UTF-16: save "
		    "the table as Unicode Text or as UTF-8 text");
		return -1;
	} else if (text_utf8_valid((const char *)u, len))
		name = "UTF-8";
	else {
		from = "CP1258";
		name = "Windows-1258";
	}
	if (from == NULL) {
		if ((buf = malloc(len + 1)) == NULL) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
		memcpy(buf, in, len);
		buf[len] = '\0';
		n = len;
	} else if (decode_iconv(from, name, in, len, &buf, &n, err,
	    errlen) == -1) {
		if (encoding == NULL && strcmp(name, "Windows-1258") == 0) {
			/* say first that it was not UTF-8 */
			char why[160];

			snprintf(why, sizeof(why), "%s", err);
			seterr(err, errlen, "neither UTF-8 nor Windows-1258 "
			    "(%s): save the table as Unicode Text or as UTF-8 "
			    "text, or name its encoding", why);
		}
		return -1;
	}
	/* a BOM the conversion kept */
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		memmove(buf, buf + 3, n - 2);
		n -= 3;
	}
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		seterr(err, errlen, "holds a NUL character: not a text table");
		return -1;
	}
	snprintf(how, howlen, "%s", name);
	*out = buf;
	*outlen = n;
	return 0;
}

/* --- tokens ---------------------------------------------------------------- */

/* A folded word (letters and digits) or one ASCII punctuation character. */
struct tok {
	char	 w[40];
	int	 word;
	long	 num;		/* all digits: the value, else -1 */
	int	 ndigits;
	size_t	 off, end;	/* its bytes in the input */
	int	 used;
};

#define MAXTOK	128

static size_t
tokenize(const char *in, struct tok *t, size_t max)
{
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 ntok = 0, n, i, wl = 0;
	uint32_t		 c;
	int			 f, inword = 0;

	for (i = 0; s[i]; i += n) {
		c = text_utf8_next(s + i, &n);
		f = text_fold(c);
		if (f == TEXT_FOLD_MARK && inword) {
			t[ntok - 1].end = i + n;
			continue;
		}
		if (f > 0) {
			if (!inword) {
				if (ntok == max)
					break;
				memset(&t[ntok], 0, sizeof(t[ntok]));
				t[ntok].word = 1;
				t[ntok].off = i;
				ntok++;
				inword = 1;
				wl = 0;
			}
			if (wl + 1 < sizeof(t[0].w))
				t[ntok - 1].w[wl++] = (char)f;
			t[ntok - 1].end = i + n;
			continue;
		}
		inword = 0;
		if (c < 0x80 && c > ' ' && c != 0x7f) {
			if (ntok == max)
				break;
			memset(&t[ntok], 0, sizeof(t[ntok]));
			t[ntok].w[0] = (char)c;
			t[ntok].num = -1;
			t[ntok].off = i;
			t[ntok].end = i + 1;
			ntok++;
		}
	}
	for (i = 0; i < ntok; i++) {
		const char *p;

		if (!t[i].word)
			continue;
		t[i].num = -1;
		for (p = t[i].w; *p >= '0' && *p <= '9'; p++)
			;
		if (*p == '\0' && p - t[i].w <= 9) {
			t[i].num = strtol(t[i].w, NULL, 10);
			t[i].ndigits = (int)(p - t[i].w);
		}
	}
	return ntok;
}

/* How many tokens from i on spell phrase (words, one space apart), or 0. */
static size_t
phrase_at(const struct tok *t, size_t n, size_t i, const char *phrase)
{
	const char	*p = phrase, *sp;
	size_t		 k = 0, wl;

	while (*p) {
		sp = strchr(p, ' ');
		wl = sp ? (size_t)(sp - p) : strlen(p);
		if (i + k >= n || !t[i + k].word || t[i + k].used ||
		    strlen(t[i + k].w) != wl || memcmp(t[i + k].w, p, wl) != 0)
			return 0;
		k++;
		p += wl;
		if (*p == ' ')
			p++;
	}
	return k;
}

/* The first unused place phrase starts at, or -1; its length in *k. */
static long
phrase_find(const struct tok *t, size_t n, const char *phrase, size_t *k)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((*k = phrase_at(t, n, i, phrase)) > 0)
			return (long)i;
	return -1;
}

static void
mark(struct tok *t, size_t i, size_t k)
{
	while (k-- > 0)
		t[i++].used = 1;
}

/* Finds and marks the first of the phrases present; its index or -1. */
static int
take_any(struct tok *t, size_t n, const char *const *phrases, size_t np)
{
	size_t	j, k;
	long	i;

	for (j = 0; j < np; j++)
		if ((i = phrase_find(t, n, phrases[j], &k)) >= 0) {
			mark(t, (size_t)i, k);
			return (int)j;
		}
	return -1;
}

/* --- keys ------------------------------------------------------------------ */

static const char *const fillers[] = { "huyen", "va", "cac" };

/* Long forms and the short form both sides are brought to. */
static const struct {
	const char	*words;
	const char	*abbr;
} shorts[] = {
	{ "uy ban nhan dan", "ubnd" },
	{ "hoi dong nhan dan", "hdnd" },
	{ "van phong", "vp" },
	{ "phat trien nong thon", "ptnt" },
	{ "lao dong thuong binh xa hoi", "ldtbxh" },
};

int
appendix_key(const char *in, char *out, size_t len)
{
	struct tok	 t[MAXTOK];
	struct obuf	 b;
	size_t		 n, i, j, k, m = 0;
	int		 filler;

	ob_init(&b, out, len);
	n = tokenize(in, t, MAXTOK);
	/* Words only, fillers dropped: compacted in place. */
	for (i = 0; i < n; i++) {
		if (!t[i].word)
			continue;
		filler = 0;
		for (j = 0; j < nitems(fillers); j++)
			if (strcmp(t[i].w, fillers[j]) == 0)
				filler = 1;
		if (!filler)
			t[m++] = t[i];
	}
	for (i = 0; i < m; ) {
		k = 0;
		for (j = 0; j < nitems(shorts) && k == 0; j++)
			if ((k = phrase_at(t, m, i, shorts[j].words)) > 0)
				break;
		if (b.n > 0)
			ob_putc(&b, ' ');
		if (k > 0) {
			ob_puts(&b, shorts[j].abbr);
			i += k;
		} else
			ob_puts(&b, t[i++].w);
	}
	return ob_done(&b);
}

/* --- cells ----------------------------------------------------------------- */

/* Tags that separate words when dropped. */
static int
tag_breaks(const char *tag, size_t n)
{
	static const char *const names[] = { "br", "p", "div", "li", "tr",
	    "td", "th" };
	size_t	i, l;

	if (n > 0 && tag[0] == '/') {
		tag++;
		n--;
	}
	for (l = 0; l < n && ((tag[l] >= 'a' && tag[l] <= 'z') ||
	    (tag[l] >= 'A' && tag[l] <= 'Z') || (tag[l] >= '0' &&
	    tag[l] <= '9')); l++)
		;
	for (i = 0; i < nitems(names); i++)
		if (strlen(names[i]) == l && strncasecmp(tag, names[i], l) == 0)
			return 1;
	return 0;
}

int
appendix_clean(const char *in, char *out, size_t len)
{
	static const struct {
		const char	*ent;
		const char	*text;
	} ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&apos;", "'" }, { "&#39;", "'" },
		{ "&nbsp;", " " },
	};
	const unsigned char	*s = (const unsigned char *)in;
	const char		*gt;
	struct obuf		 b;
	uint32_t		 c;
	size_t			 n, i;
	int			 space = 0, nquotes = 0, open;

	ob_init(&b, out, len);
	while (*s) {
		c = text_utf8_next(s, &n);
		if (c == '<' && ((s[1] >= 'a' && s[1] <= 'z') ||
		    (s[1] >= 'A' && s[1] <= 'Z') || s[1] == '/' || s[1] == '!') &&
		    (gt = strchr((const char *)s, '>')) != NULL) {
			if (tag_breaks((const char *)s + 1,
			    (size_t)(gt - (const char *)s - 1)))
				space = 1;
			s = (const unsigned char *)gt + 1;
			continue;
		}
		if (c == '&') {
			for (i = 0; i < nitems(ents); i++)
				if (strncmp((const char *)s, ents[i].ent,
				    strlen(ents[i].ent)) == 0)
					break;
			if (i < nitems(ents)) {
				s += strlen(ents[i].ent);
				if (ents[i].text[0] == ' ')
					space = 1;
				else {
					if (space && b.n > 0)
						ob_putc(&b, ' ');
					space = 0;
					ob_puts(&b, ents[i].text);
				}
				continue;
			}
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == 0xa0 || (c >= 0x2000 && c <= 0x200b) || c == 0x202f) {
			space = 1;
			s += n;
			continue;
		}
		/* Quotes: “ and ‘ open, ” and ’ close, '"' alternates. */
		open = -1;
		if (c == 0x201c || c == 0x2018)
			open = 1;
		else if (c == 0x201d || c == 0x2019)
			open = 0;
		else if (c == '"')
			open = (nquotes++ % 2) == 0;
		if (open == 1) {
			if (space && b.n > 0)
				ob_putc(&b, ' ');
			ob_putc(&b, c == 0x2018 ? '\'' : '"');
			space = 0;
			s += n;
			/* no space just inside an opening quote */
			while (*s == ' ' || *s == '\t')
				s++;
			continue;
		}
		if (open == 0) {
			ob_rtrim(&b);
			ob_putc(&b, c == 0x2019 ? '\'' : '"');
			space = 0;
			s += n;
			continue;
		}
		if (space && b.n > 0)
			ob_putc(&b, ' ');
		space = 0;
		ob_put(&b, (const char *)s, n);
		s += n;
	}
	return ob_done(&b);
}

const char *
appendix_skip_number(const char *in)
{
	const char	*p = in, *q;

	while (*p == ' ' || *p == '\t')
		p++;
	q = p;
	if (*q >= '0' && *q <= '9') {
		q++;
		if (*q >= '0' && *q <= '9')
			q++;
		if ((*q == '.' || *q == ')') && (q[1] == ' ' || q[1] == '\0'))
			p = q + 1;
	} else if ((*q == '-' || *q == '+') && q[1] == ' ')
		p = q + 1;
	else if (strncmp(q, "\xe2\x80\xa2", 3) == 0)	/* • */
		p = q + 3;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int
appendix_task_id(const char *title, int max_words, char *out, size_t len)
{
	struct tok	 t[MAXTOK];
	struct obuf	 b;
	size_t		 n, i;
	int		 words = 0;

	ob_init(&b, out, len);
	n = tokenize(appendix_skip_number(title), t, MAXTOK);
	for (i = 0; i < n && words < max_words; i++) {
		if (!t[i].word)
			continue;
		if (words++ > 0)
			ob_putc(&b, '-');
		ob_puts(&b, t[i].w);
	}
	if (words == 0)
		ob_puts(&b, "task");
	return ob_done(&b);
}

int
appendix_same_title(const char *a, const char *b)
{
	char	ka[1024], kb[1024];

	if (appendix_key(appendix_skip_number(a), ka, sizeof(ka)) == -1 ||
	    appendix_key(appendix_skip_number(b), kb, sizeof(kb)) == -1)
		return 0;
	return ka[0] != '\0' && strcmp(ka, kb) == 0;
}

/* --- the time column ------------------------------------------------------- */

static int
is_year(const struct tok *t)
{
	return t->word && t->ndigits == 4 && t->num >= 1900 && t->num <= 2099;
}

/* The year tokens of t[0..n) name: 0 none, -1 several different. */
static int
tok_year(const struct tok *t, size_t n)
{
	size_t	i;
	int	y = 0;

	for (i = 0; i < n; i++)
		if (is_year(&t[i])) {
			if (y != 0 && y != t[i].num)
				return -1;
			y = (int)t[i].num;
		}
	return y;
}

int
appendix_year(const char *cell)
{
	struct tok	t[MAXTOK];

	return tok_year(t, tokenize(cell, t, MAXTOK));
}

static int
ymd_cmp(const void *a, const void *b)
{
	const struct appendix_ymd *x = a, *y = b;

	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->m != y->m)
		return x->m < y->m ? -1 : 1;
	return x->d < y->d ? -1 : x->d > y->d;
}

#define WHEN_HINT	"use e.g. Tháng 4/2022, Quý II/2022, ngày 15/6/2022, " \
			"6 tháng đầu năm 2022, Năm 2022, hàng tháng, hàng quý"

static int
is_sep(const struct tok *t, size_t i, size_t n)
{
	return i < n && !t[i].word && !t[i].used &&
	    (t[i].w[0] == '/' || t[i].w[0] == '-' || t[i].w[0] == '.');
}

static int
is_num(const struct tok *t, size_t i, size_t n, long lo, long hi)
{
	return i < n && t[i].word && !t[i].used && t[i].num >= lo &&
	    t[i].num <= hi;
}

/*
 * A year right after t[i]: "/2022", "-2022" or "năm 2022". Its value (and
 * the tokens it takes in *k), or 0.
 */
static int
year_after(const struct tok *t, size_t n, size_t i, size_t *k)
{
	if (is_sep(t, i, n) && i + 1 < n && is_year(&t[i + 1]) &&
	    !t[i + 1].used) {
		*k = 2;
		return (int)t[i + 1].num;
	}
	if (phrase_at(t, n, i, "nam") && i + 1 < n && is_year(&t[i + 1]) &&
	    !t[i + 1].used) {
		*k = 2;
		return (int)t[i + 1].num;
	}
	*k = 0;
	return 0;
}

/* "2022-04" at t[i]: a year, '-', a two-digit month (the start of 2022-04-30 too). */
static int
is_iso(const struct tok *t, size_t i, size_t n)
{
	return i + 2 < n && is_year(&t[i]) && !t[i].used &&
	    is_sep(t, i + 1, n) && t[i + 1].w[0] == '-' &&
	    is_num(t, i + 2, n, 1, 12) && t[i + 2].ndigits == 2;
}

static int
roman_quarter(const char *w)
{
	static const char *const r[] = { "i", "ii", "iii", "iv" };
	size_t	i;

	for (i = 0; i < nitems(r); i++)
		if (strcmp(w, r[i]) == 0)
			return (int)i + 1;
	return 0;
}

/*
 * A word a time cell may hold besides its form ("trong", "hoàn thành",
 * "trước"): anything else (a second number, "cuối tháng 4") is not read.
 */
static int
time_filler(const struct tok *t, int year)
{
	static const char *const words[] = { "trong", "ca", "nam", "thang",
	    "quy", "ngay", "dinh", "ky", "vao", "truoc", "thuc", "hien", "du",
	    "kien", "cua", "tuan", "hang", "moi", "thoi", "gian", "va", "cac",
	    "hoan", "thanh", "trien", "khai", "to", "chuc", "han", "chot" };
	size_t	i;

	if (t->num >= 0)
		return is_year(t) && t->num == year;
	for (i = 0; i < nitems(words); i++)
		if (strcmp(t->w, words[i]) == 0)
			return 1;
	return 0;
}

/* A condition "khi ..." cut off the time part into note, capitalised. */
static size_t
cut_condition(const char *cell, struct tok *t, size_t n,
    struct appendix_when *w)
{
	struct obuf	 b;
	size_t		 i;
	const char	*p;

	for (i = 0; i < n; i++)
		if (t[i].word && strcmp(t[i].w, "khi") == 0)
			break;
	if (i == n)
		return n;
	ob_init(&b, w->note, sizeof(w->note));
	p = cell + t[i].off;
	ob_putc(&b, (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p));
	ob_puts(&b, p + 1);
	while (b.n > 0 && strchr(" .,;:", b.p[b.n - 1]) != NULL)
		b.p[--b.n] = '\0';
	return i;
}

static const char *const day_names[] = { "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday" };
static const char *const day_codes[] = { "MO", "TU", "WE", "TH", "FR", "SA",
    "SU" };

/* "thứ Bảy", "thứ 7", "Chủ nhật": 0 (Monday) .. 6, or -1. */
static int
take_weekday(struct tok *t, size_t n, int *again)
{
	static const struct {
		const char	*words;
		int		 day;
	} days[] = {
		{ "thu hai", 0 }, { "thu 2", 0 }, { "thu ba", 1 },
		{ "thu 3", 1 }, { "thu tu", 2 }, { "thu 4", 2 },
		{ "thu nam", 3 }, { "thu 5", 3 }, { "thu sau", 4 },
		{ "thu 6", 4 }, { "thu bay", 5 }, { "thu 7", 5 },
		{ "chu nhat", 6 },
	};
	size_t	j, k;
	long	i;
	int	day = -1;

	*again = 0;
	for (j = 0; j < nitems(days); j++)
		while ((i = phrase_find(t, n, days[j].words, &k)) >= 0) {
			mark(t, (size_t)i, k);
			if (day >= 0 && day != days[j].day)
				*again = 1;
			day = days[j].day;
		}
	return day;
}

int
appendix_parse_when(const char *cell, int year, struct appendix_when *w,
    char *err, size_t len)
{
	static const char *const last[] = { "tuan cuoi cung", "tuan cuoi",
	    "cuoi thang", "cuoi cung" };
	static const char *const first[] = { "tuan dau tien", "tuan dau",
	    "dau thang", "dau tien" };
	static const char *const weekly[] = { "hang tuan", "moi tuan" };
	static const char *const quarterly[] = { "hang quy", "moi quy" };
	static const char *const yearly[] = { "hang nam", "moi nam" };
	static const char *const in_month[] = { "hang thang", "moi thang",
	    "trong thang", "dinh ky" };
	struct tok		 t[MAXTOK];
	struct appendix_ymd	 dl[APPENDIX_MAXDATES];
	struct obuf		 b;
	size_t			 n, i, k, k2, nd = 0;
	long			 at;
	char			 cb[64];
	int		 y, cy, day, again, forms = 0, quarter = 0, month = 0;
	int		 qy = 0, my = 0, nq = 0, nm = 0, d, m, yy;

	memset(w, 0, sizeof(*w));
	n = tokenize(cell, t, MAXTOK);
	n = cut_condition(cell, t, n, w);
	if ((cy = tok_year(t, n)) == -1) {
		seterr(err, len, "'%s' names several years: one period a row",
		    cell);
		return -1;
	}
	y = cy > 0 ? cy : year;
	if (phrase_find(t, n, "den", &k) >= 0) {
		seterr(err, len, "cannot read '%s' as a time: a span (từ ... "
		    "đến ...) is not a form a task has; split it into months or "
		    "quarters, or list dates", cell);
		return -1;
	}

	/* A weekday in the month: "thứ Bảy của tuần cuối cùng trong tháng". */
	if ((day = take_weekday(t, n, &again)) >= 0) {
		if (again) {
			seterr(err, len, "'%s' names several weekdays: one a "
			    "row", cell);
			return -1;
		}
		forms++;
		w->kind = APPENDIX_RULE;
		if (take_any(t, n, last, nitems(last)) >= 0) {
			snprintf(w->rule, sizeof(w->rule),
			    "FREQ=MONTHLY;BYDAY=-1%s", day_codes[day]);
			snprintf(w->comment, sizeof(w->comment), "read as the "
			    "last %s of every month", day_names[day]);
		} else if (take_any(t, n, first, nitems(first)) >= 0) {
			snprintf(w->rule, sizeof(w->rule),
			    "FREQ=MONTHLY;BYDAY=1%s", day_codes[day]);
			snprintf(w->comment, sizeof(w->comment), "read as the "
			    "first %s of every month", day_names[day]);
		} else if (take_any(t, n, weekly, nitems(weekly)) >= 0) {
			snprintf(w->rule, sizeof(w->rule),
			    "FREQ=WEEKLY;BYDAY=%s", day_codes[day]);
			snprintf(w->comment, sizeof(w->comment), "read as every "
			    "%s", day_names[day]);
		} else {
			seterr(err, len, "cannot read '%s' as a time: which %s "
			    "of the month? Say e.g. \"tuần cuối cùng\" (the last)"
			    " or \"tuần đầu tiên\" (the first)", cell,
			    day_names[day]);
			return -1;
		}
		while (take_any(t, n, in_month, nitems(in_month)) >= 0)
			;
		w->start = (struct appendix_ymd){ y, 1, 1 };
		w->until = (struct appendix_ymd){ y, 12, 31 };
	}

	/* "ngày 15 hàng tháng", "hàng tháng", "hàng quý", "hàng năm". */
	if ((at = phrase_find(t, n, "hang thang", &k)) >= 0 ||
	    (at = phrase_find(t, n, "moi thang", &k)) >= 0) {
		forms++;
		mark(t, (size_t)at, k);
		w->kind = APPENDIX_RULE;
		w->start = (struct appendix_ymd){ y, 1, 1 };
		w->until = (struct appendix_ymd){ y, 12, 31 };
		if (at >= 2 && phrase_at(t, n, (size_t)at - 2, "ngay") &&
		    is_num(t, (size_t)at - 1, n, 1, 31)) {
			mark(t, (size_t)at - 2, 2);
			snprintf(w->rule, sizeof(w->rule),
			    "FREQ=MONTHLY;BYMONTHDAY=%ld", t[at - 1].num);
		} else {
			snprintf(w->rule, sizeof(w->rule),
			    "FREQ=MONTHLY;BYMONTHDAY=-1");
			snprintf(w->comment, sizeof(w->comment), "\"hàng "
			    "tháng\" read as the last day of every month");
		}
	}
	/* "Thường xuyên": all year round; a reminder each month keeps it in mind. */
	if ((at = phrase_find(t, n, "thuong xuyen", &k)) >= 0) {
		forms++;
		mark(t, (size_t)at, k);
		w->kind = APPENDIX_RULE;
		w->start = (struct appendix_ymd){ y, 1, 1 };
		w->until = (struct appendix_ymd){ y, 12, 31 };
		snprintf(w->rule, sizeof(w->rule),
		    "FREQ=MONTHLY;BYMONTHDAY=-1");
		snprintf(w->comment, sizeof(w->comment), "\"thường xuyên\" "
		    "(ongoing) read as a reminder on the last day of every "
		    "month");
	}
	if (take_any(t, n, quarterly, nitems(quarterly)) >= 0) {
		forms++;
		w->kind = APPENDIX_RULE;
		snprintf(w->rule, sizeof(w->rule),
		    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1");
		w->start = (struct appendix_ymd){ y, 3, 31 };
		w->until = (struct appendix_ymd){ y, 12, 31 };
		snprintf(w->comment, sizeof(w->comment), "\"hàng quý\" read "
		    "as the last day of every quarter");
	}
	if (take_any(t, n, yearly, nitems(yearly)) >= 0) {
		forms++;
		w->kind = APPENDIX_DATE;
		w->dates[0] = (struct appendix_ymd){ y, 12, 31 };
		w->ndates = 1;
		snprintf(w->comment, sizeof(w->comment), "\"hàng năm\" read "
		    "as due by the end of the year");
	}

	/* "6 tháng đầu năm", "6 tháng cuối năm": due by the half's end. */
	if ((at = phrase_find(t, n, "6 thang dau nam", &k)) >= 0 ||
	    (at = phrase_find(t, n, "6 thang cuoi nam", &k)) >= 0) {
		int h1 = strcmp(t[at + 2].w, "dau") == 0;

		forms++;
		mark(t, (size_t)at, k);
		w->kind = APPENDIX_DATE;
		w->dates[0] = (struct appendix_ymd){ y, h1 ? 6 : 12,
		    h1 ? 30 : 31 };
		w->ndates = 1;
		snprintf(w->comment, sizeof(w->comment), "\"6 tháng %s năm\" "
		    "read as due by the end of the %s half year",
		    h1 ? "đầu" : "cuối", h1 ? "first" : "second");
	}

	/* Dates: 15/6/2022, 15-6-2022, 2022-06-15, ngày 15 tháng 6 năm 2022, 15/6. */
	for (i = 0; i < n; i++) {
		d = m = yy = 0;
		if (is_iso(t, i, n) && is_sep(t, i + 3, n) &&
		    t[i + 3].w[0] == '-' && is_num(t, i + 4, n, 1, 31) &&
		    t[i + 4].ndigits == 2) {
			yy = (int)t[i].num;
			m = (int)t[i + 2].num;
			d = (int)t[i + 4].num;
			k = 5;
		} else if (is_num(t, i, n, 1, 31) && is_sep(t, i + 1, n) &&
		    is_num(t, i + 2, n, 1, 12) && is_sep(t, i + 3, n) &&
		    i + 4 < n && is_year(&t[i + 4]) && !t[i + 4].used) {
			d = (int)t[i].num;
			m = (int)t[i + 2].num;
			yy = (int)t[i + 4].num;
			k = 5;
		} else if (phrase_at(t, n, i, "ngay") &&
		    is_num(t, i + 1, n, 1, 31) &&
		    phrase_at(t, n, i + 2, "thang") &&
		    is_num(t, i + 3, n, 1, 12)) {
			d = (int)t[i + 1].num;
			m = (int)t[i + 3].num;
			yy = year_after(t, n, i + 4, &k2);
			k = 4 + k2;
		} else if (is_num(t, i, n, 1, 31) && is_sep(t, i + 1, n) &&
		    t[i + 1].w[0] == '/' && is_num(t, i + 2, n, 1, 12) &&
		    !(i > 0 && t[i - 1].word && (strcmp(t[i - 1].w,
		    "thang") == 0 || strcmp(t[i - 1].w, "quy") == 0))) {
			d = (int)t[i].num;
			m = (int)t[i + 2].num;
			k = 3;
		} else
			continue;
		if (yy == 0)
			yy = y;
		if (yy == 0) {
			seterr(err, len, "'%s' names no year: write it (e.g. "
			    "15/6/2022) or give --year", cell);
			return -1;
		}
		if (d > civil_month_days(yy, m)) {
			seterr(err, len, "'%s': %d/%d/%d is not a date", cell,
			    d, m, yy);
			return -1;
		}
		if (nd == APPENDIX_MAXDATES) {
			seterr(err, len, "'%s' lists more than %d dates", cell,
			    APPENDIX_MAXDATES);
			return -1;
		}
		mark(t, i, k);
		dl[nd++] = (struct appendix_ymd){ yy, m, d };
		i += k - 1;
	}
	if (nd > 0) {
		forms++;
		w->kind = APPENDIX_DATE;
		memcpy(w->dates, dl, nd * sizeof(dl[0]));
		w->ndates = nd;
	}

	/* Quarters: "Quý II/2022", "Quý 2 năm 2022". */
	for (i = 0; i < n; i++) {
		if (!phrase_at(t, n, i, "quy") || i + 1 >= n ||
		    t[i + 1].used || !t[i + 1].word)
			continue;
		if ((quarter = roman_quarter(t[i + 1].w)) == 0 &&
		    (quarter = t[i + 1].num >= 1 && t[i + 1].num <= 4 ?
		    (int)t[i + 1].num : 0) == 0)
			continue;
		qy = year_after(t, n, i + 2, &k2);
		mark(t, i, 2 + k2);
		nq++;
		w->quarter = quarter;
	}
	if (nq > 1) {
		seterr(err, len, "'%s' names several quarters: one period a "
		    "row", cell);
		return -1;
	}
	if (nq == 1) {
		forms++;
		w->kind = APPENDIX_QUARTER;
		w->year = qy ? qy : y;
	}

	/* Months: "Tháng 4/2022", "tháng 4 năm 2022", "tháng 4", "2022-04". */
	for (i = 0; i < n; i++) {
		if (!is_iso(t, i, n))
			continue;
		month = (int)t[i + 2].num;
		my = (int)t[i].num;
		mark(t, i, 3);
		nm++;
	}
	for (i = 0; i < n; i++) {
		if (!phrase_at(t, n, i, "thang") || !is_num(t, i + 1, n, 1, 12))
			continue;
		month = (int)t[i + 1].num;
		my = year_after(t, n, i + 2, &k2);
		mark(t, i, 2 + k2);
		nm++;
	}
	if (nm > 1) {
		seterr(err, len, "'%s' names several months: one period a "
		    "row (or list the dates)", cell);
		return -1;
	}
	if (nm == 1) {
		forms++;
		w->kind = APPENDIX_MONTH;
		w->month = month;
		w->year = my ? my : y;
	}

	/* "Năm 2022", "Cả năm 2022", "Cả năm": due by the year's end. */
	if (forms == 0 && (cy > 0 || phrase_find(t, n, "nam", &k) >= 0)) {
		forms++;
		w->kind = APPENDIX_DATE;
		w->dates[0] = (struct appendix_ymd){ y, 12, 31 };
		w->ndates = 1;
		if (cy > 0)
			snprintf(w->comment, sizeof(w->comment), "\"Năm %d\" "
			    "read as due by the end of the year", cy);
		else
			snprintf(w->comment, sizeof(w->comment), "\"%s\" read "
			    "as the whole year, due by its end",
			    brief(cell, cb, sizeof(cb)));
		for (i = 0; i < n; i++)
			if (is_year(&t[i]))
				t[i].used = 1;
	}

	if (forms == 0) {
		seterr(err, len, "cannot read '%s' as a time: " WHEN_HINT,
		    cell);
		return -1;
	}
	if (forms > 1) {
		seterr(err, len, "cannot read '%s' as a time: it mixes forms "
		    "(one period, one rule or a list of dates a row)", cell);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (t[i].word && !t[i].used && !time_filler(&t[i], y)) {
			seterr(err, len, "cannot read '%s' as a time: what is "
			    "'%.*s'? " WHEN_HINT, cell,
			    (int)(t[i].end - t[i].off), cell + t[i].off);
			return -1;
		}
	if ((w->kind == APPENDIX_RULE ? w->start.y : w->kind ==
	    APPENDIX_MONTH || w->kind == APPENDIX_QUARTER ? w->year :
	    w->dates[0].y) == 0) {
		seterr(err, len, "'%s' names no year: write it (e.g. Tháng "
		    "4/2022) or give --year", cell);
		return -1;
	}
	if (w->kind == APPENDIX_DATE && w->ndates > 1)
		w->kind = APPENDIX_DATES;
	if (w->kind == APPENDIX_DATES || w->kind == APPENDIX_DATE) {
		qsort(w->dates, w->ndates, sizeof(w->dates[0]), ymd_cmp);
		for (i = 1, k = 1; i < w->ndates; i++)
			if (ymd_cmp(&w->dates[i], &w->dates[k - 1]) != 0)
				w->dates[k++] = w->dates[i];
		w->ndates = k;
		w->kind = k > 1 ? APPENDIX_DATES : APPENDIX_DATE;
	}
	if (w->kind == APPENDIX_RULE && w->comment[0] != '\0') {
		/* say the year the rule was bounded to */
		ob_init(&b, w->comment + strlen(w->comment),
		    sizeof(w->comment) - strlen(w->comment));
		ob_printf(&b, " of %d", w->start.y);
	}
	return 0;
}

/* The report periods a list may name, shortest first. */
static const struct period {
	const char	*words;		/* folded, after fillers */
	const char	*words2;	/* another way to say it, or NULL */
	const char	*label;
	const char	*suffix;
	const char	*every;		/* for a rule: "month", "quarter" */
	unsigned	 months;	/* bit m-1: the periods end with month m */
} periods[] = {
	{ "thang", NULL, "tháng", "thang", "month", 0xfff },
	{ "quy", NULL, "quý", "quy", "quarter", 0x924 },
	{ "6 thang", "sau thang", "6 tháng", "6-thang", NULL, 0x820 },
	{ "nam", NULL, "năm", "nam", NULL, 0x800 },
};

/* Words around a period in a list that say nothing of it. */
static int
period_filler(const char *w)
{
	static const char *const words[] = { "hang", "dinh", "ky", "moi",
	    "bao", "cao", "ca", "trong" };
	size_t	i;

	for (i = 0; i < nitems(words); i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

/*
 * The period tokens t[a, b) name, ignoring fillers and a year: an index in
 * periods, -1 for anything else, -2 for nothing.
 */
static int
period_of(const struct tok *t, size_t a, size_t b)
{
	char	words[64];
	size_t	i, l = 0;
	int	j, any = 0;

	words[0] = '\0';
	for (i = a; i < b; i++) {
		if (!t[i].word && strchr(".:()-", t[i].w[0]) != NULL)
			continue;
		if (!t[i].word)
			return -1;
		if (period_filler(t[i].w) || is_year(&t[i]))
			continue;
		any = 1;
		if (l + strlen(t[i].w) + 2 > sizeof(words))
			return -1;
		l += (size_t)snprintf(words + l, sizeof(words) - l, "%s%s",
		    l ? " " : "", t[i].w);
	}
	if (!any)
		return -2;
	for (j = 0; j < (int)nitems(periods); j++)
		if (strcmp(words, periods[j].words) == 0 ||
		    (periods[j].words2 && strcmp(words, periods[j].words2) == 0))
			return j;
	return -1;
}

int
appendix_parse_periods(const char *cell, int year,
    struct appendix_when w[APPENDIX_MAXPERIODS], size_t *n, char *err,
    size_t len)
{
	struct tok	 t[MAXTOK];
	struct obuf	 b;
	char		 note[256], cb[52];
	size_t		 nt, i, a, k;
	unsigned	 longer, keep;
	int		 seen[nitems(periods)], p, y, cy, m, count = 0, nd;

	memset(seen, 0, sizeof(seen));
	memset(&w[0], 0, sizeof(w[0]));
	nt = tokenize(cell, t, MAXTOK);
	nt = cut_condition(cell, t, nt, &w[0]);
	snprintf(note, sizeof(note), "%s", w[0].note);
	/* Parts between commas, semicolons, slashes and "và": each a period? */
	for (a = i = 0; i <= nt; i++) {
		if (i < nt && !(t[i].word ? strcmp(t[i].w, "va") == 0 :
		    strchr(",;/&+", t[i].w[0]) != NULL))
			continue;
		if ((p = period_of(t, a, i)) == -1 || (p >= 0 && seen[p]))
			goto one;
		if (p >= 0) {
			seen[p] = 1;
			count++;
		}
		a = i + 1;
	}
	/* One period alone is a form appendix_parse_when knows, but 6 months. */
	if (count == 0 || (count == 1 && !seen[2]))
		goto one;
	if ((cy = tok_year(t, nt)) == -1)
		goto one;
	if ((y = cy > 0 ? cy : year) == 0) {
		seterr(err, len, "'%s' names no year: write it (e.g. Tháng "
		    "4/2022) or give --year", cell);
		return -1;
	}
	*n = 0;
	for (p = 0; p < (int)nitems(periods); p++) {
		if (!seen[p])
			continue;
		longer = 0;
		for (k = (size_t)p + 1; k < nitems(periods); k++)
			if (seen[k])
				longer |= periods[k].months;
		keep = periods[p].months & ~longer;
		memset(&w[*n], 0, sizeof(w[*n]));
		snprintf(w[*n].note, sizeof(w[*n].note), "%s", note);
		if (count > 1) {
			snprintf(w[*n].label, sizeof(w[*n].label), "%s",
			    periods[p].label);
			snprintf(w[*n].suffix, sizeof(w[*n].suffix), "%s",
			    periods[p].suffix);
		}
		ob_init(&b, w[*n].comment, sizeof(w[*n].comment));
		if (count > 1)
			ob_printf(&b, "one task a period of \"%s\": %s, ",
			    brief(cell, cb, sizeof(cb)), periods[p].label);
		else
			ob_printf(&b, "\"%s\" read as ", brief(cell, cb,
			    sizeof(cb)));
		if (keep == periods[p].months && periods[p].every != NULL) {
			/* as "hàng tháng" and "hàng quý" read alone */
			w[*n].kind = APPENDIX_RULE;
			snprintf(w[*n].rule, sizeof(w[*n].rule), "%s", p == 0 ?
			    "FREQ=MONTHLY;BYMONTHDAY=-1" :
			    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1");
			w[*n].start = (struct appendix_ymd){ y, p == 0 ? 1 : 3,
			    p == 0 ? 1 : 31 };
			w[*n].until = (struct appendix_ymd){ y, 12, 31 };
			ob_printf(&b, "due on the last day of every %s of %d",
			    periods[p].every, y);
		} else {
			w[*n].kind = APPENDIX_DATES;
			nd = 0;
			ob_puts(&b, "due ");
			for (m = 1; m <= 12; m++) {
				if (!(keep & (1u << (m - 1))))
					continue;
				w[*n].dates[w[*n].ndates++] =
				    (struct appendix_ymd){ y, m,
				    civil_month_days(y, m) };
				ob_printf(&b, "%s%02d/%02d/%d", nd++ ? ", " :
				    "", civil_month_days(y, m), m, y);
			}
			if (keep != periods[p].months)
				ob_puts(&b, " (the longer periods' reports "
				    "stand for the others)");
			if (w[*n].ndates == 1)
				w[*n].kind = APPENDIX_DATE;
		}
		if (ob_done(&b) == -1)
			w[*n].comment[0] = '\0';
		(*n)++;
	}
	return 0;
one:
	*n = 1;
	return appendix_parse_when(cell, year, &w[0], err, len);
}

int
appendix_when_format(const struct appendix_when *w, char *out, size_t len)
{
	struct obuf	b;
	size_t		i;

	ob_init(&b, out, len);
	switch (w->kind) {
	case APPENDIX_RULE:
		ob_printf(&b, "rule = %s\nstart = %04d-%02d-%02d\n"
		    "until = %04d-%02d-%02d\n", w->rule, w->start.y, w->start.m,
		    w->start.d, w->until.y, w->until.m, w->until.d);
		break;
	case APPENDIX_DATE:
		ob_printf(&b, "date = %04d-%02d-%02d\n", w->dates[0].y,
		    w->dates[0].m, w->dates[0].d);
		break;
	case APPENDIX_DATES:
		ob_puts(&b, "dates = ");
		for (i = 0; i < w->ndates; i++)
			ob_printf(&b, "%s%04d-%02d-%02d", i ? ", " : "",
			    w->dates[i].y, w->dates[i].m, w->dates[i].d);
		ob_putc(&b, '\n');
		break;
	case APPENDIX_MONTH:
		ob_printf(&b, "month = %04d-%02d\n", w->year, w->month);
		break;
	case APPENDIX_QUARTER:
		ob_printf(&b, "quarter = %04d-Q%d\n", w->year, w->quarter);
		break;
	}
	return ob_done(&b);
}

/* --- agencies and groups --------------------------------------------------- */

/* The key of an id: "noi-vu" as "noi vu". */
static void
id_key(const char *id, char *out, size_t len)
{
	size_t	i;

	for (i = 0; id[i] && i + 1 < len; i++)
		out[i] = id[i] == '-' || id[i] == '_' || id[i] == '.' ? ' ' :
		    (id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
	if (len > 0)
		out[i] = '\0';
}

enum match_how { MATCH_EXACT, MATCH_PREFIX, MATCH_WITHIN };

static int
key_fits(const char *key, const char *q, enum match_how how)
{
	size_t		 ql = strlen(q);
	const char	*p;

	switch (how) {
	case MATCH_EXACT:
		return strcmp(key, q) == 0;
	case MATCH_PREFIX:
		return strncmp(key, q, ql) == 0 && key[ql] == ' ';
	case MATCH_WITHIN:
		for (p = key; (p = strstr(p, q)) != NULL; p++)
			if ((p == key || p[-1] == ' ') &&
			    (p[ql] == ' ' || p[ql] == '\0'))
				return 1;
		return 0;
	}
	return 0;
}

int
appendix_match(const struct appendix_dir *dir, const char *text, int *loose,
    char *why, size_t len)
{
	struct obuf	b;
	char		q[512], key[512];
	size_t		i, nfit;
	int		how, found, by_id;

	ob_init(&b, why, len);
	if (loose != NULL)
		*loose = 0;
	if (appendix_key(text, q, sizeof(q)) == -1 || q[0] == '\0')
		return -1;
	for (how = MATCH_EXACT; how <= MATCH_WITHIN; how++) {
		nfit = 0;
		found = -1;
		by_id = 0;
		for (i = 0; i < dir->n; i++) {
			int fits = 0;

			if (appendix_key(dir->v[i].name ? dir->v[i].name :
			    dir->v[i].id, key, sizeof(key)) == 0)
				fits = key_fits(key, q, (enum match_how)how);
			if (!fits && how == MATCH_EXACT) {
				id_key(dir->v[i].id, key, sizeof(key));
				if ((fits = strcmp(key, q) == 0))
					by_id = 1;
			}
			if (!fits)
				continue;
			ob_printf(&b, "%s%s", nfit ? ", " : "", dir->v[i].id);
			nfit++;
			found = (int)i;
		}
		if (nfit == 1) {
			ob_init(&b, why, len);
			/* "Nội vụ" for noi-vu is loose; "noi-vu" itself is not */
			if (loose != NULL)
				*loose = how != MATCH_EXACT || (by_id &&
				    strcmp(text + strspn(text, " "),
				    dir->v[found].id) != 0);
			return found;
		}
		if (nfit > 1)
			return -2;
	}
	return -1;
}

/* A byte span of the cell. */
struct span {
	size_t	off, end;
};

static void
span_text(const char *s, struct span sp, char *out, size_t len)
{
	size_t	n;

	while (sp.off < sp.end && strchr(" ,;:.", s[sp.off]) != NULL)
		sp.off++;
	while (sp.end > sp.off && strchr(" ,;:.", s[sp.end - 1]) != NULL)
		sp.end--;
	n = sp.end - sp.off;
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, s + sp.off, n);
	out[n] = '\0';
}

static void
add_piece(struct appendix_partners *p, int entry, int loose, const char *text,
    const char *why)
{
	struct appendix_piece	*pc;
	size_t			 i;

	if (entry >= 0)
		for (i = 0; i < p->n; i++)
			if (p->v[i].entry == entry)
				return;
	if (p->n == APPENDIX_MAXPIECES) {
		/* the last piece stands for the rest, unmatched */
		pc = &p->v[p->n - 1];
		if (pc->entry >= 0)
			p->nbad++;
		pc->entry = -1;
		pc->loose = 0;
		snprintf(pc->why, sizeof(pc->why), "more than %d names in one "
		    "cell", APPENDIX_MAXPIECES);
		return;
	}
	pc = &p->v[p->n++];
	pc->entry = entry;
	pc->loose = entry >= 0 && loose;
	snprintf(pc->text, sizeof(pc->text), "%s", text);
	snprintf(pc->why, sizeof(pc->why), "%s", why ? why : "");
	if (entry < 0)
		p->nbad++;
}

static void
add_note(struct appendix_partners *p, const char *text)
{
	size_t	l = strlen(p->note);

	snprintf(p->note + l, sizeof(p->note) - l, "%s%s", l ? ". " : "",
	    text);
}

/* One item (no list numbers in it): whole, or cut and matched by longest runs. */
static void
split_item(const struct appendix_dir *dir, const char *item,
    struct appendix_partners *p)
{
	struct tok	 t[MAXTOK];
	struct span	 seg[MAXTOK + 1];
	char		 text[512], why[192], key[512];
	size_t		 n, nseg = 0, i, j, start = 0;
	int		 e, loose;

	span_text(item, (struct span){ 0, strlen(item) }, text, sizeof(text));
	n = tokenize(text, t, MAXTOK);
	for (i = 0; i < n && !t[i].word; i++)
		;
	if (i == n)
		return;		/* "", "-", "…": no one */
	if (appendix_key(text, key, sizeof(key)) == 0 &&
	    (strncmp(key, "theo ", 5) == 0 || strcmp(key, "theo") == 0)) {
		add_note(p, text);
		return;
	}
	if ((e = appendix_match(dir, text, &loose, why, sizeof(why))) >= 0) {
		add_piece(p, e, loose, text, NULL);
		return;
	}
	n = tokenize(item, t, MAXTOK);
	for (i = 0; i < n; i++) {
		int cut = (!t[i].word && strchr(",;+", t[i].w[0]) != NULL) ||
		    (t[i].word && strcmp(t[i].w, "va") == 0);

		if (!cut)
			continue;
		if (t[i].off > start)
			seg[nseg++] = (struct span){ start, t[i].off };
		start = t[i].end;
	}
	if (strlen(item) > start)
		seg[nseg++] = (struct span){ start, strlen(item) };
	if (nseg <= 1) {
		add_piece(p, e, 0, text, why);
		return;
	}
	for (i = 0; i < nseg; ) {
		for (j = nseg; j > i; j--) {
			span_text(item, (struct span){ seg[i].off,
			    seg[j - 1].end }, text, sizeof(text));
			if ((e = appendix_match(dir, text, &loose, why,
			    sizeof(why))) >= 0)
				break;
		}
		if (j > i) {
			add_piece(p, e, loose, text, NULL);
			i = j;
			continue;
		}
		span_text(item, seg[i], text, sizeof(text));
		if (text[0] != '\0') {
			e = appendix_match(dir, text, &loose, why,
			    sizeof(why));
			add_piece(p, e, loose, text, why);
		}
		i++;
	}
}

size_t
appendix_split(const struct appendix_dir *dir, const char *cell,
    struct appendix_partners *p)
{
	char		 buf[1024], item[1024];
	const char	*s, *q, *start;
	size_t		 n;

	memset(p, 0, sizeof(*p));
	if (appendix_clean(cell, buf, sizeof(buf)) == -1)
		snprintf(buf, sizeof(buf), "%s", cell);
	/* Items between list numbers: "1. A 2. B", "1) A, 2) B". */
	s = appendix_skip_number(buf);
	start = s;
	for (q = s; *q; q++) {
		const char *r = q;

		if (q == s || !(q[-1] == ' ' || q[-1] == ',' || q[-1] == ';'))
			continue;
		if (!(*r >= '0' && *r <= '9'))
			continue;
		r++;
		if (*r >= '0' && *r <= '9')
			r++;
		if (!((*r == '.' || *r == ')') && (r[1] == ' ' ||
		    r[1] == '\0')))
			continue;
		n = (size_t)(q - start);
		memcpy(item, start, n);
		item[n] = '\0';
		split_item(dir, item, p);
		start = r + 1;
		q = r;
	}
	split_item(dir, start, p);
	return p->nbad;
}

/* --- the table ------------------------------------------------------------- */

struct rowbuf {
	char	**cells;
	size_t	  n, cap;
};

static int
row_add(struct rowbuf *r, const char *s, size_t n, int quoted)
{
	char	**v, *c;
	size_t	  i, j;

	if (r->n == r->cap) {
		if ((v = reallocarray(r->cells, r->cap ? r->cap * 2 : 8,
		    sizeof(*v))) == NULL)
			return -1;
		r->cells = v;
		r->cap = r->cap ? r->cap * 2 : 8;
	}
	if ((c = malloc(n + 1)) == NULL)
		return -1;
	for (i = j = 0; i < n; i++) {
		c[j++] = s[i];
		if (quoted && s[i] == '"' && i + 1 < n && s[i + 1] == '"')
			i++;
	}
	c[j] = '\0';
	r->cells[r->n++] = c;
	return 0;
}

/*
 * Where a quoted cell at s (s[0] == '"') ends: the closing quote, followed
 * by a tab, a line end or the end. NULL when s is not a well-formed quoted
 * cell (then it is read as plain text).
 */
static const char *
quoted_end(const char *s, const char *end)
{
	const char	*p;

	for (p = s + 1; p < end; p++) {
		if (*p != '"')
			continue;
		if (p + 1 < end && p[1] == '"') {
			p++;
			continue;
		}
		if (p + 1 == end || p[1] == '\t' || p[1] == '\n' ||
		    (p[1] == '\r' && (p + 2 == end || p[2] == '\n')))
			return p;
		return NULL;
	}
	return NULL;
}

int
appendix_table_read(const char *text, size_t len, struct appendix_table *t)
{
	const char		*p = text, *end = text + len, *q, *c;
	struct rowbuf		 r = { NULL, 0, 0 };
	struct appendix_row	*v;
	unsigned		 line = 1, rowline;
	size_t			 cap = 0, i;
	int			 blank;

	t->rows = NULL;
	t->nrows = 0;
	while (p < end) {
		rowline = line;
		blank = 1;
		for (;;) {
			if (p < end && *p == '"' &&
			    (q = quoted_end(p, end)) != NULL) {
				for (c = p; c < q; c++)
					if (*c == '\n')
						line++;
				if (row_add(&r, p + 1, (size_t)(q - p - 1), 1) ==
				    -1)
					goto nomem;
				blank = 0;
				p = q + 1;
			} else {
				for (q = p; q < end && *q != '\t' && *q != '\n';
				    q++)
					;
				c = q;
				if (c > p && c[-1] == '\r' && (c == end ||
				    *c == '\n'))
					c--;
				for (i = 0; p + i < c; i++)
					if (p[i] != ' ')
						blank = 0;
				if (row_add(&r, p, (size_t)(c - p), 0) == -1)
					goto nomem;
				p = q;
			}
			if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			if (p >= end || *p == '\n')
				break;
			p++;	/* the tab */
		}
		if (p < end)
			p++;	/* the line end */
		line++;
		if (blank) {
			for (i = 0; i < r.n; i++)
				free(r.cells[i]);
			free(r.cells);
		} else {
			if (t->nrows == cap) {
				if ((v = reallocarray(t->rows, cap ? cap * 2 :
				    16, sizeof(*v))) == NULL)
					goto nomem;
				t->rows = v;
				cap = cap ? cap * 2 : 16;
			}
			t->rows[t->nrows].line = rowline;
			t->rows[t->nrows].cells = r.cells;
			t->rows[t->nrows].ncells = r.n;
			t->nrows++;
		}
		r.cells = NULL;
		r.n = r.cap = 0;
	}
	return 0;
nomem:
	for (i = 0; i < r.n; i++)
		free(r.cells[i]);
	free(r.cells);
	appendix_table_clear(t);
	return -1;
}

void
appendix_table_clear(struct appendix_table *t)
{
	size_t	i, j;

	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->rows[i].ncells; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}
