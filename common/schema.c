/* The INI schema engine: reads sections and keys through inifile, checks names, keys and duplicates, calls each key's setter, and keeps the errors until they can be told in order. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "i18n.h"
#include "inifile.h"
#include "log.h"
#include "parse.h"
#include "schema.h"
#include "xmalloc.h"

#define SCHEMA_ALL	(~0u)	/* a key every variant takes */

/* One key of a section, its tables put end to end. */
struct schema_flat {
	const struct schema_key	*k;
	size_t			 base;
	unsigned		 variants;
};

/* An error, told when the whole input is read. */
struct schema_error {
	size_t		 file;
	unsigned	 line;
	size_t		 seq;
	char		*msg;
	char		*then;		/* a file the format says more of */
};

struct schema {
	const struct schema_format	*fmt;
	void				*arg;
	char				*dir;

	const char			**files;
	size_t				 nfiles;
	size_t				 file;		/* the current one */

	const struct schema_section	*sect;		/* NULL: none, or bad */
	int				 bad_sect;
	struct schema_flat		 keys[SCHEMA_KEYS_MAX];
	size_t				 nkeys;
	void				*obj;
	unsigned			*lines;
	unsigned char			 bad[SCHEMA_KEYS_MAX];
	char				*name;
	unsigned			 sect_line;
	unsigned			 key_line;
	int				 variant;
	int				 defaulting;

	struct schema_error		*errs;
	size_t				 nerrs;
	size_t				 errcap;
};

/* s's tables end to end, a key given by several once; the count. */
static size_t
schema_flatten(const struct schema_section *s, struct schema_flat *out)
{
	const struct schema_table	*t;
	size_t				 i, j, k, n = 0;
	unsigned			 v;

	for (i = 0; i < s->ntables; i++) {
		t = &s->tables[i];
		v = t->variants ? t->variants : SCHEMA_ALL;
		for (j = 0; j < t->nkeys; j++) {
			for (k = 0; k < n && strcmp(out[k].k->name,
			    t->keys[j].name) != 0; k++)
				;
			if (k < n) {
				out[k].variants |= v;
				continue;
			}
			if (n == SCHEMA_KEYS_MAX)
				fatalx("schema: [%s] has more than %d keys",
				    s->name, SCHEMA_KEYS_MAX);
			out[n].k = &t->keys[j];
			out[n].base = t->base;
			out[n++].variants = v;
		}
	}
	return n;
}

struct schema *
schema_new(const struct schema_format *fmt, void *arg)
{
	struct schema	*s;

	s = xcalloc(1, sizeof(*s));
	s->fmt = fmt;
	s->arg = arg;
	s->variant = -1;
	return s;
}

void *
schema_arg(const struct schema *s)
{
	return s->arg;
}

void
schema_set_dir(struct schema *s, const char *dir)
{
	free(s->dir);
	s->dir = xstrdup(dir);
}

/* The index of file in s's list, added when it is new. */
static size_t
schema_file_index(struct schema *s, const char *file)
{
	size_t	i;

	for (i = 0; i < s->nfiles && s->files[i] != file; i++)
		;
	if (i == s->nfiles) {
		s->files = xreallocarray(s->files, s->nfiles + 1,
		    sizeof(*s->files));
		s->files[s->nfiles++] = file;
	}
	return i;
}

void
schema_file(struct schema *s, const char *file)
{
	s->file = schema_file_index(s, file);
}

static void
schema_verror(struct schema *s, size_t file, unsigned line, const char *then,
    const char *fmt, va_list ap)
{
	struct schema_error	*e;
	char			*msg;

	/* In the admin's language: every error of both files meets it here. */
	xvasprintf(&msg, _(fmt), ap);
	if (s->defaulting)
		fatalx("schema: a default is refused: %s", msg);
	if (s->nerrs == s->errcap) {
		s->errcap = s->errcap ? s->errcap * 2 : 8;
		s->errs = xreallocarray(s->errs, s->errcap, sizeof(*s->errs));
	}
	e = &s->errs[s->nerrs];
	e->file = file;
	e->line = line;
	e->seq = s->nerrs++;
	e->msg = msg;
	e->then = xstrdup(then);
}

void
schema_error(struct schema *s, unsigned line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	schema_verror(s, s->file, line, NULL, fmt, ap);
	va_end(ap);
}

void
schema_error_in(struct schema *s, const char *file, unsigned line,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	schema_verror(s, schema_file_index(s, file), line, NULL, fmt, ap);
	va_end(ap);
}

void
schema_error_then(struct schema *s, unsigned line, const char *path,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	schema_verror(s, s->file, line, path, fmt, ap);
	va_end(ap);
}

void
schema_bad(struct schema *s, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	schema_verror(s, s->file, s->key_line, NULL, fmt, ap);
	va_end(ap);
}

/* File order, then line order with whole-file errors last, then as found. */
static int
schema_error_cmp(const void *a, const void *b)
{
	const struct schema_error	*x = a, *y = b;
	unsigned			 lx, ly;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	lx = x->line ? x->line : UINT_MAX;
	ly = y->line ? y->line : UINT_MAX;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t
schema_finish(struct schema *s, struct diag *d)
{
	size_t	i, n = s->nerrs;

	if (n > 0)
		qsort(s->errs, n, sizeof(*s->errs), schema_error_cmp);
	for (i = 0; i < n; i++) {
		diag_error(d, s->files[s->errs[i].file], s->errs[i].line, "%s",
		    s->errs[i].msg);
		if (s->errs[i].then != NULL && s->fmt->then != NULL)
			s->fmt->then(s->errs[i].then, d);
		free(s->errs[i].msg);
		free(s->errs[i].then);
	}
	free(s->errs);
	free(s->files);
	free(s->name);
	free(s->dir);
	free(s);
	return n;
}

const char *
schema_join(const char *const *names, const char *before, const char *after,
    char *buf, size_t len)
{
	size_t	i, n, off = 0;
	int	w;

	buf[0] = '\0';
	for (n = 0; names[n] != NULL; n++)
		;
	for (i = 0; i < n && off < len; i++) {
		/* TRANSLATORS: before the last of a list, "a, b or c". */
		w = snprintf(buf + off, len - off, "%s%s%s%s",
		    i == 0 ? "" : i == n - 1 ? _(" or ") : ", ", before,
		    names[i], after);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

void
schema_list_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *
schema_path(const struct schema *s, const char *path)
{
	char	*p;

	if (path[0] == '/' || s->dir == NULL)
		return xstrdup(path);
	xasprintf(&p, "%s/%s", s->dir, path);
	return p;
}

int
schema_index(const struct schema_section *s, const char *name)
{
	struct schema_flat	flat[SCHEMA_KEYS_MAX];
	size_t			i, n = schema_flatten(s, flat);

	for (i = 0; i < n; i++)
		if (strcmp(flat[i].k->name, name) == 0)
			return (int)i;
	return -1;
}

unsigned
schema_line(const struct schema_section *s, const unsigned *lines,
    const char *name)
{
	int	i = schema_index(s, name);

	if (i < 0)
		fatalx("schema: [%s] has no key %s", s->name, name);
	return lines != NULL ? lines[i] : 0;
}

int
schema_ok(const struct schema *s, int i)
{
	return s->lines != NULL && s->lines[i] != 0 && !s->bad[i];
}

const char *
schema_name(const struct schema *s)
{
	return s->name != NULL ? s->name : "";
}

unsigned
schema_section_line(const struct schema *s)
{
	return s->sect_line;
}

unsigned
schema_key_line(const struct schema *s)
{
	return s->key_line;
}

void
schema_variant_set(struct schema *s, int v)
{
	s->variant = v;
}

int
schema_variant(const struct schema *s)
{
	return s->variant;
}

void
schema_check_variant(struct schema *s)
{
	size_t	i;

	if (s->variant < 0 || s->lines == NULL)
		return;
	for (i = 0; i < s->nkeys; i++)
		if (s->lines[i] != 0 &&
		    !(s->keys[i].variants & (1u << s->variant)))
			schema_error(s, s->lines[i], "'%s' does not apply to "
			    "%s %s", s->keys[i].k->name, s->fmt->variant_key,
			    s->fmt->variant_names[s->variant]);
}

void
schema_defaults(struct schema *s, const struct schema_section *sect,
    void *obj)
{
	struct schema_flat	flat[SCHEMA_KEYS_MAX];
	size_t			i, n = schema_flatten(sect, flat);

	s->defaulting = 1;
	for (i = 0; i < n; i++)
		if (flat[i].k->def != NULL)
			flat[i].k->set(s, flat[i].k, (char *)obj + flat[i].base,
			    flat[i].k->def);
	s->defaulting = 0;
}

/* "[task dan-hoi]" or "[calendar]" for the current section. */
static const char *
schema_label(const struct schema *s, char *buf, size_t len)
{
	if (s->sect->named)
		snprintf(buf, len, "[%s %s]", s->sect->name, s->name);
	else
		snprintf(buf, len, "[%s]", s->sect->name);
	return buf;
}

/* Called by the reader for every "key = value" line. */
static void
schema_key(void *arg, const char *section, const char *name,
    const char *value, unsigned line)
{
	struct schema		*s = arg;
	const char		*names[SCHEMA_KEYS_MAX + 1], *near;
	char			 label[300], list[512];
	size_t			 i, n;

	(void)section;
	s->key_line = line;
	if (s->sect == NULL) {
		if (!s->bad_sect)
			schema_error(s, line, "'%s' is outside any section; "
			    "put it under a section: %s", name, _(s->fmt->hint));
		return;
	}
	schema_label(s, label, sizeof(label));
	for (i = 0; i < s->nkeys && strcmp(s->keys[i].k->name, name) != 0;
	    i++)
		;
	if (i == s->nkeys) {
		for (i = 0; i < s->nkeys; i++)
			names[i] = s->keys[i].k->name;
		names[i] = NULL;
		if ((near = parse_nearest(name, names)) != NULL) {
			schema_error(s, line, "unknown key '%s' in %s; did you "
			    "mean '%s'?", name, label, near);
			return;
		}
		/* Once its variant is known, a section lists what it takes. */
		for (i = 0, n = 0; s->variant >= 0 && i < s->nkeys; i++)
			if (s->keys[i].variants & (1u << s->variant))
				names[n++] = s->keys[i].k->name;
		if (s->variant >= 0)
			names[n] = NULL;
		schema_error(s, line, "unknown key '%s' in %s; use %s", name,
		    label, schema_join(names, "'", "'", list, sizeof(list)));
		return;
	}
	if (s->lines[i] != 0 && !(s->keys[i].k->flags & SCHEMA_REPEAT)) {
		schema_error(s, line, "duplicate key '%s' in %s; the first is "
		    "at line %u", name, label, s->lines[i]);
		return;
	}
	if (s->lines[i] == 0)
		s->lines[i] = line;
	if (s->keys[i].k->set(s, s->keys[i].k, (char *)s->obj +
	    s->keys[i].base, value) == -1)
		s->bad[i] = 1;
}

/* The current section ends: its own checks. */
static void
schema_section_end(struct schema *s)
{
	if (s->sect != NULL && s->sect->end != NULL)
		s->sect->end(s, s->obj);
	s->sect = NULL;
	s->bad_sect = 0;
	s->obj = NULL;
	s->lines = NULL;
	s->variant = -1;
}

/* The section named by the text inside "[...]": its kind and name checked. */
static const struct schema_section *
schema_section_find(struct schema *s, char *text, unsigned line,
    const char **namep)
{
	const struct schema_format	*f = s->fmt;
	const struct schema_section	*sect = NULL;
	const char			*names[32], *near;
	char				*kind, *name;
	size_t				 i;

	inifile_split_section(text, &kind, &name);
	*namep = name;
	for (i = 0; i < f->nsections && i < nitems(names) - 1; i++) {
		names[i] = f->sections[i].name;
		if (strcmp(kind, names[i]) == 0)
			sect = &f->sections[i];
	}
	names[i] = NULL;
	if (*kind == '\0') {
		schema_error(s, line, "empty section name []; %s", _(f->hint));
		return NULL;
	}
	if (sect == NULL) {
		if ((near = parse_nearest(kind, names)) == NULL) {
			schema_error(s, line, "unknown section [%s%s%s]; %s",
			    kind, *name ? " " : "", name, _(f->hint));
			return NULL;
		}
		for (i = 0; strcmp(names[i], near) != 0; i++)
			;
		sect = &f->sections[i];
		schema_error(s, line, "unknown section [%s%s%s]; did you mean "
		    "[%s%s%s]?", kind, *name ? " " : "", name, near,
		    sect->named ? " " : "", !sect->named ? "" : *name ? name :
		    _(f->placeholder));
		return NULL;
	}
	if (sect->named && *name == '\0') {
		schema_error(s, line, "[%s] needs a name: [%s %s], %s %s", kind,
		    kind, _(f->placeholder), _(f->placeholder),
		    _(f->name_rule));
		return NULL;
	}
	if (sect->named && f->name_check(s, sect, name, line) == -1)
		return NULL;
	if (!sect->named && *name != '\0') {
		schema_error(s, line, "[%s] takes no name; write [%s]", kind,
		    kind);
		return NULL;
	}
	return sect;
}

/* Called by the reader for every "[...]" line; NULL for a broken one. */
static void
schema_section(void *arg, const char *text, unsigned line)
{
	struct schema			*s = arg;
	const struct schema_section	*sect;
	const char			*name;
	char				*buf;

	schema_section_end(s);
	s->bad_sect = 1;
	if (text == NULL)
		return;
	buf = xstrdup(text);
	if ((sect = schema_section_find(s, buf, line, &name)) != NULL) {
		free(s->name);
		s->name = xstrdup(name);
		s->sect_line = line;
		s->nkeys = schema_flatten(sect, s->keys);
		memset(s->bad, 0, sizeof(s->bad));
		s->lines = NULL;
		s->obj = sect->begin(s, sect, name, line, &s->lines);
		if (s->obj != NULL && s->lines != NULL) {
			s->sect = sect;
			s->bad_sect = 0;
		}
	}
	free(buf);
}

/* Called by the reader for a line it rejects itself. */
static void
schema_read_error(void *arg, unsigned line, const char *msg)
{
	schema_error(arg, line, "%s", msg);
}

static const struct inifile_handler schema_reader = {
	.section = schema_section,
	.key = schema_key,
	.error = schema_read_error,
};

int
schema_read(struct schema *s, const char *file, const char *text,
    size_t len)
{
	int	rc;

	schema_file(s, file);
	s->sect = NULL;
	s->bad_sect = 0;
	rc = inifile_read_text(text, len, &schema_reader, s);
	schema_section_end(s);
	return rc;
}

/* --- setters ------------------------------------------------------------ */

/* Replaces the string at *p with a copy of v. */
static void
schema_put(void *field, const char *v)
{
	free(*(char **)field);
	*(char **)field = xstrdup(v);
}

int
schema_empty(struct schema *s, const struct schema_key *k)
{
	schema_bad(s, "%s: empty value; give a value or remove the line",
	    k->name);
	return -1;
}

int
schema_set_string(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	if (*value == '\0')
		return schema_empty(s, k);
	schema_put((char *)obj + k->off, value);
	return 0;
}

int
schema_set_url(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	char	err[256];

	if (parse_url(value, err, sizeof(err)) == -1) {
		schema_bad(s, "%s: %s", k->name, err);
		return -1;
	}
	schema_put((char *)obj + k->off, value);
	return 0;
}

enum schema_file_kind { SCHEMA_ANY, SCHEMA_READABLE, SCHEMA_SECRET };

/* A path, made absolute, that file_check takes as kind; -1 if not. */
static int
schema_set_checked(struct schema *s, const struct schema_key *k, void *obj,
    const char *value, enum schema_file_kind kind)
{
	char	*path, why[512];
	int	 rc = 0;

	if (*value == '\0')
		return schema_empty(s, k);
	path = schema_path(s, value);
	if (kind == SCHEMA_READABLE && (rc = file_check(path, 0,
	    FILE_MAX_TEMPLATE, why, sizeof(why))) == -1)
		schema_bad(s, "%s: %s: %s", k->name, path, why);
	else if (kind == SCHEMA_SECRET && (rc = file_check(path,
	    FILE_NOFOLLOW | FILE_OWNER_ONLY, FILE_MAX_SECRET, why,
	    sizeof(why))) == -1)
		schema_bad(s, "%s %s: %s", k->name, path, why);
	if (rc == -1) {
		free(path);
		return -1;
	}
	free(*(char **)((char *)obj + k->off));
	*(char **)((char *)obj + k->off) = path;
	return 0;
}

int
schema_set_path(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	return schema_set_checked(s, k, obj, value, SCHEMA_ANY);
}

int
schema_set_file(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	return schema_set_checked(s, k, obj, value, SCHEMA_READABLE);
}

int
schema_set_secret(struct schema *s, const struct schema_key *k, void *obj,
    const char *value)
{
	return schema_set_checked(s, k, obj, value, SCHEMA_SECRET);
}
