/* Reading a head's reply to a reminder: what it means (acknowledged, done) and which occurrence code it names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "reply.h"
#include "text.h"
#include "xmalloc.h"

#define WORD_MAX	24		/* longer words mean nothing here */
#define LOOK_BEFORE	3
#define LOOK_AFTER	2
#define LOOK_PERCENT	3

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* --- characters ------------------------------------------------------------ */

/* The lower case of a Latin letter Vietnamese uses; anything else as is. */
static uint32_t
lower_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	switch (c) {
	case 0x102: case 0x110: case 0x128: case 0x168: case 0x1a0:
	case 0x1af:			/* Ă Đ Ĩ Ũ Ơ Ư */
		return c + 1;
	}
	if (c >= 0x1ea0 && c <= 0x1ef9 && c % 2 == 0)
		return c + 1;		/* Ạ..Ỹ: upper even, lower odd */
	return c;
}

/* 👍 and 👌 say "ok". */
static int
is_ok_emoji(uint32_t c)
{
	return c == 0x1f44d || c == 0x1f44c;
}

static int
is_clause_end(uint32_t c)
{
	return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
	    c == '?' || c == '\n' || c == '\r' || c == 0x2026;
}

/* --- words ----------------------------------------------------------------- */

struct word {
	char		 fold[WORD_MAX];	/* folded: lower-case ASCII */
	uint32_t	 cp[WORD_MAX];		/* as written, lower case */
	size_t		 n;
	unsigned	 clause;
	unsigned	 toolong : 1;
	unsigned	 marks : 1;		/* combining marks (NFD) */
	unsigned	 ascii : 1;		/* typed without diacritics */
	unsigned	 asks : 1;		/* its clause ends with '?' */
	unsigned	 partial : 1;		/* a percentage under 100 */
};

struct words {
	struct word	*v;
	size_t		 n, cap;
};

static struct word *
words_add(struct words *ws, unsigned clause)
{
	struct word	*v;
	size_t		 cap;

	if (ws->n == ws->cap) {
		cap = ws->cap ? 2 * ws->cap : 16;
		if ((v = reallocarray(ws->v, cap, sizeof(*v))) == NULL)
			return NULL;
		ws->v = v;
		ws->cap = cap;
	}
	v = &ws->v[ws->n++];
	memset(v, 0, sizeof(*v));
	v->clause = clause;
	v->ascii = 1;
	return v;
}

static void
word_put(struct word *w, char f, uint32_t c)
{
	if (w->n + 1 >= WORD_MAX) {
		w->toolong = 1;
		return;
	}
	w->fold[w->n] = f;
	w->cp[w->n] = c;
	w->n++;
	w->fold[w->n] = '\0';
	if (c >= 0x80)
		w->ascii = 0;
}

/* The whole number a word of digits spells, -1 if it is not one. */
static long
word_number(const struct word *w)
{
	long	v = 0;
	size_t	i;

	if (w->n == 0 || w->n > 6)
		return -1;
	for (i = 0; i < w->n; i++) {
		if (w->fold[i] < '0' || w->fold[i] > '9')
			return -1;
		v = v * 10 + (w->fold[i] - '0');
	}
	return v;
}

/* Cuts text into folded words and clauses. 0, or -1 when out of memory. */
static int
words_read(const char *text, struct words *ws)
{
	const unsigned char	*s = (const unsigned char *)text;
	struct word		*w = NULL;
	unsigned		 clause = 0;
	uint32_t		 c;
	size_t			 n, k;
	long			 num;
	int			 f;

	memset(ws, 0, sizeof(*ws));
	for (; *s != '\0'; s += n) {
		c = lower_cp(text_utf8_next(s, &n));
		f = text_fold(c);
		if (f == TEXT_FOLD_MARK) {
			if (w != NULL)
				w->marks = 1;
			continue;
		}
		if (f > 0) {
			if (w == NULL && (w = words_add(ws, clause)) == NULL)
				return -1;
			word_put(w, (char)f, c);
			continue;
		}
		if (w != NULL && c == '%' && (num = word_number(w)) >= 0 &&
		    num < 100)
			w->partial = 1;
		w = NULL;
		if (is_ok_emoji(c)) {
			if ((w = words_add(ws, clause)) == NULL)
				return -1;
			word_put(w, 'o', 'o');
			word_put(w, 'k', 'k');
			w = NULL;
		} else if (is_clause_end(c)) {
			for (k = ws->n; k > 0 && ws->v[k - 1].clause == clause;
			    k--)
				ws->v[k - 1].asks |= c == '?';
			clause++;
		}
	}
	return 0;
}

/* --- meaning --------------------------------------------------------------- */

/* 1 when w is the word spelled viet, or that word typed without marks. */
static int
word_is(const struct word *w, const char *viet)
{
	const unsigned char	*s = (const unsigned char *)viet;
	uint32_t		 c;
	size_t			 i = 0, n;

	if (w->toolong)
		return 0;
	for (; *s != '\0'; s += n, i++) {
		c = text_utf8_next(s, &n);
		if (i >= w->n || w->fold[i] != text_fold(c))
			return 0;
		/* with marks typed, they must be this word's */
		if (!w->ascii && !w->marks && w->cp[i] != c)
			return 0;
	}
	return i == w->n;
}

/* 1 when w folds to one of the words of list (NULL-terminated). */
static int
word_in(const struct word *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (!w->toolong && strcmp(w->fold, *list) == 0)
			return 1;
	return 0;
}

/* ok, okk, oke, okie, oki, okay, okey, okela, typed without marks. */
static int
word_is_ok(const struct word *w)
{
	static const char *const	 tails[] = { "", "e", "i", "ie", "ay",
	    "ey", "ela", NULL };
	const char			*p = w->fold;
	size_t				 i;

	if (!w->ascii || w->toolong || *p++ != 'o' || *p != 'k')
		return 0;
	while (*p == 'k')
		p++;
	for (i = 0; tails[i] != NULL; i++)
		if (strcmp(p, tails[i]) == 0)
			return 1;
	return 0;
}

/* Words that, before a phrase, negate it or put it off. */
static const char *const before_words[] = { "chua", "chx", "khong", "ko",
    "k", "kh", "khg", "hong", "hok", "khum", "chang", "cha", "se", "sap",
    "dang", "khi", "neu", "de", "phai", "can", "gang", "muon", "mong",
    "hay", "kien", "chuan", NULL };
/* Words that, just after a phrase, ask about it or halve it. */
static const char *const after_words[] = { "chua", "chx", "khong", "ko",
    "k", "kh", "khg", "hong", "hok", "khum", "nua", NULL };
/* "nhận thấy", "nhận xét", "nhắn tin", "nhân viên", "nhân dân"... */
static const char *const nhan_not_after[] = { "thay", "xet", "dinh", "ra",
    "tin", "vien", "dan", "su", NULL };
/* "tin nhắn", "người nhận", "cá nhân". */
static const char *const nhan_not_before[] = { "tin", "nguoi", "ca", NULL };

#define PH_DA		0x1	/* begins with "đã": the words before do not matter */
#define PH_NHAN		0x2	/* ends with "nhận": nhan_not_* apply */
#define PH_OK		0x4	/* the ok word */

static const struct phrase {
	const char	*w[3];
	enum reply_kind	 kind;
	int		 flags;
} phrases[] = {
	/* longest first: "đã hoàn thành" before "hoàn thành" */
	{ { "đã", "thực", "hiện" }, REPLY_DONE, PH_DA },
	{ { "đã", "hoàn", "thành" }, REPLY_DONE, PH_DA },
	{ { "đã", "hoàn", "tất" }, REPLY_DONE, PH_DA },
	{ { "đã", "xong" }, REPLY_DONE, PH_DA },
	{ { "hoàn", "thành" }, REPLY_DONE, 0 },
	{ { "hoàn", "tất" }, REPLY_DONE, 0 },
	{ { "xong" }, REPLY_DONE, 0 },
	{ { "đã", "nhận" }, REPLY_ACK, PH_DA | PH_NHAN },
	{ { "đã", "biết" }, REPLY_ACK, PH_DA },
	{ { "đã", "rõ" }, REPLY_ACK, PH_DA },
	{ { "xác", "nhận" }, REPLY_ACK, PH_NHAN },
	{ { "tiếp", "nhận" }, REPLY_ACK, PH_NHAN },
	{ { "biết", "rồi" }, REPLY_ACK, 0 },
	{ { "rõ", "rồi" }, REPLY_ACK, 0 },
	{ { "nhận" }, REPLY_ACK, PH_NHAN },
	{ { NULL }, REPLY_ACK, PH_OK },
};

/* The number of words of phrase p that match at ws->v[i], or 0. */
static size_t
phrase_match(const struct phrase *p, const struct words *ws, size_t i)
{
	size_t	k;

	if (p->flags & PH_OK)
		return word_is_ok(&ws->v[i]) ? 1 : 0;
	for (k = 0; k < nitems(p->w) && p->w[k] != NULL; k++)
		if (i + k >= ws->n || ws->v[i + k].clause != ws->v[i].clause ||
		    !word_is(&ws->v[i + k], p->w[k]))
			return 0;
	return k;
}

/* 1 when the words around the phrase at [i, i + len) take its meaning away. */
static int
phrase_undone(const struct phrase *p, const struct words *ws, size_t i,
    size_t len)
{
	const struct word	*w = &ws->v[i];
	size_t			 k;

	if (w->asks)
		return 1;
	for (k = 1; !(p->flags & PH_DA) && k <= LOOK_BEFORE && k <= i &&
	    ws->v[i - k].clause == w->clause; k++)
		if (word_in(&ws->v[i - k], before_words))
			return 1;
	for (k = i + len; k < ws->n && k < i + len + LOOK_PERCENT &&
	    ws->v[k].clause == w->clause; k++) {
		if (k < i + len + LOOK_AFTER &&
		    word_in(&ws->v[k], after_words))
			return 1;
		if (ws->v[k].partial)
			return 1;
	}
	if (p->flags & PH_NHAN) {
		k = i + len;
		if (k < ws->n && ws->v[k].clause == w->clause &&
		    word_in(&ws->v[k], nhan_not_after))
			return 1;
		if (len == 1 && i > 0 && ws->v[i - 1].clause == w->clause &&
		    word_in(&ws->v[i - 1], nhan_not_before))
			return 1;
	}
	return 0;
}

enum reply_kind
reply_classify(const char *text)
{
	struct words		 ws;
	enum reply_kind		 kind = REPLY_NONE;
	size_t			 i, k, len;

	if (words_read(text, &ws) == -1) {
		free(ws.v);
		return REPLY_NONE;
	}
	for (i = 0; i < ws.n; i++) {
		for (k = 0; k < nitems(phrases); k++)
			if ((len = phrase_match(&phrases[k], &ws, i)) > 0)
				break;
		if (k == nitems(phrases))
			continue;
		if (!phrase_undone(&phrases[k], &ws, i, len) &&
		    phrases[k].kind > kind)
			kind = phrases[k].kind;
		i += len - 1;
	}
	free(ws.v);
	return kind;
}

const char *
reply_kind_name(enum reply_kind k)
{
	switch (k) {
	case REPLY_NONE:
		return "none";
	case REPLY_ACK:
		return "ack";
	case REPLY_DONE:
		return "done";
	}
	return "?";
}

char *
reply_normalise(const char *text)
{
	const unsigned char	*s = (const unsigned char *)text;
	char			*out, *o;
	uint32_t		 c;
	size_t			 n;
	int			 f, sep = 0;

	/* a character never gives more bytes than it has: 👍 gives " ok" */
	if ((out = o = malloc(strlen(text) + 1)) == NULL)
		return NULL;
	for (; *s != '\0'; s += n) {
		c = lower_cp(text_utf8_next(s, &n));
		if ((f = text_fold(c)) == TEXT_FOLD_MARK)
			continue;
		if (is_ok_emoji(c)) {
			if (o > out)
				*o++ = ' ';
			*o++ = 'o';
			*o++ = 'k';
			sep = 1;
		} else if (f == 0)
			sep = 1;
		else {
			if (sep && o > out)
				*o++ = ' ';
			sep = 0;
			*o++ = (char)f;
		}
	}
	*o = '\0';
	return out;
}

/* --- codes ----------------------------------------------------------------- */

int
reply_code(const char *task, const char *due, char *code)
{
	struct sha256_ctx	 ctx;
	uint8_t			 md[SHA256_DIGEST_SIZE];
	uint32_t		 v;
	int			 i;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(task), (const uint8_t *)task);
	sha256_update(&ctx, 1, (const uint8_t *)"/");
	sha256_update(&ctx, strlen(due), (const uint8_t *)due);
	sha256_digest(&ctx, sizeof(md), md);
	v = (uint32_t)md[0] << 12 | (uint32_t)md[1] << 4 | md[2] >> 4;
	code[0] = '#';
	for (i = 0; i < 4; i++)
		code[1 + i] = crockford[v >> 5 * (3 - i) & 31];
	code[5] = '\0';
	return 0;
}

/* The Crockford digit a folded character reads as (i, l as 1; o as 0), or 0. */
static char
crockford_read(char c, int aliases)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (aliases && (c == 'I' || c == 'L'))
		return '1';
	if (aliases && c == 'O')
		return '0';
	return c != '\0' && strchr(crockford, c) != NULL ? c : 0;
}

/* A bare word that looks like a time of day: "8h00", "9g30", "10h5". */
static int
looks_like_time(const char *w)
{
	size_t	d = strspn(w, "0123456789");

	return d >= 1 && d <= 2 && (w[d] == 'h' || w[d] == 'g') &&
	    strspn(w + d + 1, "0123456789") == strlen(w + d + 1) &&
	    w[d + 1] != '\0';
}

/* Reads w (4 ASCII letters and digits, lower case) as a code into out; 0 if it is none. */
static int
code_read(const char *w, int hashed, char *out)
{
	int	i, digits = 0, letters = 0;
	char	c;

	if (strlen(w) != 4)
		return 0;
	out[0] = '#';
	for (i = 0; i < 4; i++) {
		if ((c = crockford_read(w[i], hashed)) == 0)
			return 0;
		if (c >= '0' && c <= '9')
			digits++;
		else
			letters++;
		out[1 + i] = c;
	}
	out[5] = '\0';
	return hashed || (digits > 0 && letters > 0 && !looks_like_time(w));
}

#define CODES_MAX	9

/* Adds code to the distinct ones in v (n of them). */
static void
code_add(char v[][REPLY_CODE_SIZE], int *n, const char *code)
{
	int	i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i], code) == 0)
			return;
	if (*n < CODES_MAX)
		memcpy(v[(*n)++], code, REPLY_CODE_SIZE);
}

/*
 * The text made into words for codes: ASCII letters and digits in lower
 * case, '#' starting a word, a letter with marks as '~' (no code has one),
 * anything else a space.
 */
int
reply_code_find(const char *text, char *code)
{
	const unsigned char	*s = (const unsigned char *)text;
	char			 hashed[CODES_MAX][REPLY_CODE_SIZE];
	char			 bare[CODES_MAX][REPLY_CODE_SIZE];
	char			*buf, *o, *w, *save = NULL, c[REPLY_CODE_SIZE];
	uint32_t		 cp;
	size_t			 n;
	int			 nh = 0, nb = 0;

	if ((buf = o = malloc(2 * strlen(text) + 1)) == NULL)
		return 0;
	for (; *s != '\0'; s += n) {
		cp = text_utf8_next(s, &n);
		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))
			*o++ = (char)cp;
		else if (cp >= 'A' && cp <= 'Z')
			*o++ = (char)(cp - 'A' + 'a');
		else if (cp == '#') {
			*o++ = ' ';
			*o++ = '#';
		} else
			*o++ = text_fold(lower_cp(cp)) != 0 ? '~' : ' ';
	}
	*o = '\0';
	for (w = strtok_r(buf, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if (w[0] == '#' && code_read(w + 1, 1, c))
			code_add(hashed, &nh, c);
		else if (w[0] != '#' && code_read(w, 0, c))
			code_add(bare, &nb, c);
	}
	free(buf);
	if (nh > 0) {
		memcpy(code, hashed[0], REPLY_CODE_SIZE);
		return nh;
	}
	if (nb > 0)
		memcpy(code, bare[0], REPLY_CODE_SIZE);
	return nb;
}
