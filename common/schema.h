/* One engine for nhacviec's INI files: sections with or without a name, tables of typed keys with their defaults, the line of each key, errors in file and line order. */
#ifndef NV_SCHEMA_H
#define NV_SCHEMA_H

#include <stddef.h>

#include "diag.h"

#define SCHEMA_KEYS_MAX	48	/* keys in the largest section */

#define SCHEMA_REPEAT	0x01	/* may be given more than once */

struct schema;
struct schema_key;

/*
 * Checks value as key k and stores it in obj (the section's object, less
 * the table's base); reports what is wrong with schema_error and returns
 * -1. A setter is also how a default reaches obj.
 */
typedef int	schema_set_fn(struct schema *, const struct schema_key *k,
		    void *obj, const char *value);

/* One typed key: where its value goes, how it is checked, its default. */
struct schema_key {
	const char		*name;
	schema_set_fn		*set;
	size_t			 off;
	size_t			 aux;		/* a second field, by type */
	int			 flags;
	long			 min, max;	/* by type */
	const char *const	*choices;	/* NULL-terminated, by type */
	const char		*def;		/* as written in a file; NULL:
						   none, or worked out later */
};

/*
 * A run of a section's keys: those of every variant of the section (a
 * channel of any type) or of some (variants: a bit each, 0 for all). A key
 * may come in the tables of several variants; it is one key.
 */
struct schema_table {
	const struct schema_key	*keys;
	size_t			 nkeys;
	unsigned		 variants;
	size_t			 base;		/* its fields' place in obj */
};

struct schema_section {
	const char			*name;
	int				 named;		/* [kind NAME] */
	const struct schema_table	*tables;
	size_t				 ntables;
	/*
	 * A section begins: its object (the defaults in it already, see
	 * schema_defaults), and where the line of each key goes (zeroed,
	 * SCHEMA_KEYS_MAX of them); NULL when the section is refused (its
	 * keys are skipped: the error said enough).
	 */
	void			*(*begin)(struct schema *,
				    const struct schema_section *,
				    const char *name, unsigned line,
				    unsigned **lines);
	/* The section ends: its own checks, with the lines as they are. */
	void			 (*end)(struct schema *, void *obj);
};

/* What a file holds, and how its messages speak of it. */
struct schema_format {
	const struct schema_section	*sections;
	size_t				 nsections;
	const char			*hint;		/* "use [redis], ..." */
	const char			*placeholder;	/* [kind NAME] */
	const char			*name_rule;	/* "made of a-z, ..." */
	/* -1 after an error when a section's name is not one. */
	int	(*name_check)(struct schema *, const struct schema_section *,
		    const char *name, unsigned line);
	/* What follows an error that names a file (schema_error_then). */
	void	(*then)(const char *file, struct diag *);
	/* The variants' names, for "'KEY' does not apply to type NAME". */
	const char			*variant_key;
	const char *const		*variant_names;
};

/* arg is the caller's, for its setters and callbacks (schema_arg). */
struct schema	*schema_new(const struct schema_format *, void *arg);
/* Emits the errors to d, sorted by file, line (the whole file's last) and
 * the order found; frees s. Returns how many there were. */
size_t		 schema_finish(struct schema *, struct diag *d);
void		*schema_arg(const struct schema *);
/* The folder relative paths are taken from (a config file's). */
void		 schema_set_dir(struct schema *, const char *dir);

/*
 * Read the len bytes of text as the file named file (the pointer is
 * kept: errors about it compare it). -1 when the text could not be read
 * to its end (said in an error).
 */
int		 schema_read(struct schema *, const char *file,
		    const char *text, size_t len);
/* file becomes the current one without reading (an error about it). */
void		 schema_file(struct schema *, const char *file);

/* Errors: at line of the current file; of another file; followed by
 * what the format says of path. */
void		 schema_error(struct schema *, unsigned line, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
void		 schema_error_in(struct schema *, const char *file,
		    unsigned line, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
void		 schema_error_then(struct schema *, unsigned line,
		    const char *path, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* An error at the line of the key being set. */
void		 schema_bad(struct schema *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Every default of section s into obj. */
void		 schema_defaults(struct schema *, const struct schema_section *,
		    void *obj);
/* The index of key name in s's lines; -1 when s has no such key. */
int		 schema_index(const struct schema_section *, const char *name);
/* The line of key name in lines (0: not given). */
unsigned	 schema_line(const struct schema_section *,
		    const unsigned *lines, const char *name);
/* 1 when key number i of the current section was given and was right. */
int		 schema_ok(const struct schema *, int i);

/* The section being read: its name as written ("" for none), its line,
 * the line of the key being set. */
const char	*schema_name(const struct schema *);
unsigned	 schema_section_line(const struct schema *);
unsigned	 schema_key_line(const struct schema *);
/* The current section's variant, once a key says it; -1 before. */
void		 schema_variant_set(struct schema *, int);
int		 schema_variant(const struct schema *);
/* "'KEY' does not apply to type NAME" for every key given in the current
 * section that its variant does not take. */
void		 schema_check_variant(struct schema *);

/* "a, b, c or d": names (NULL-terminated) each between before and after. */
const char	*schema_join(const char *const *names, const char *before,
		    const char *after, char *buf, size_t len);
/* Frees n strings and the list that holds them. */
void		 schema_list_free(char **, size_t n);
/* A copy of a path, absolute against the folder of schema_set_dir. */
char		*schema_path(const struct schema *, const char *path);

/* "KEY: empty value; ...", at the key's line; -1. */
int		 schema_empty(struct schema *, const struct schema_key *);

/* Setters both formats use. */
schema_set_fn	 schema_set_string;	/* char *: any text but empty */
schema_set_fn	 schema_set_url;	/* char *: an http(s) URL */
schema_set_fn	 schema_set_path;	/* char *: made absolute */
schema_set_fn	 schema_set_file;	/* char *: a readable file, absolute */
schema_set_fn	 schema_set_secret;	/* char *: the owner's only, absolute */

#endif
