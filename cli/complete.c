/* nhacviec complete KIND: the names shell completion offers, read from the files as they stand. */
#include <getopt.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "fileio.h"
#include "inifile.h"
#include "log.h"
#include "xmalloc.h"

/*
 * Nothing is checked: completion must work while an admin is halfway
 * through an edit, and for a user who may read the config and the plan but
 * not the secrets they name (config_load would refuse both).
 */
struct complete {
	const char	 *want;		/* the section kind listed, or NULL */
	char		**names;
	size_t		  n, cap;
	int		  in_plan;	/* in the main config's [plan] */
	char		 *plan_files;	/* its files = value, as written */
};

static const struct {
	const char	*kind;		/* what the command line says */
	const char	*section;	/* the section kind that names them */
	int		 plan;		/* in the plan files, not the config */
} complete_kinds[] = {
	{ "channels", "channel", 0 },
	{ "tasks", "task", 1 },
	{ "agencies", "agency", 1 },
	{ "groups", "group", 1 },
};
#define NKINDS	(sizeof(complete_kinds) / sizeof(complete_kinds[0]))

static void
complete_add(struct complete *c, const char *name)
{
	char	**v;

	if (*name == '\0')
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		v = xreallocarray(c->names, c->cap, sizeof(*v));
		c->names = v;
	}
	c->names[c->n++] = xstrdup(name);
}

static void
complete_section(void *arg, const char *text, unsigned line)
{
	struct complete	*c = arg;
	char		*copy, *kind, *name;

	(void)line;
	c->in_plan = 0;
	if (text == NULL)
		return;
	copy = xstrdup(text);
	inifile_split_section(copy, &kind, &name);
	if (c->want != NULL && strcmp(kind, c->want) == 0)
		complete_add(c, name);
	c->in_plan = strcmp(kind, "plan") == 0 && *name == '\0';
	free(copy);
}

static void
complete_key(void *arg, const char *section, const char *key,
    const char *value, unsigned line)
{
	struct complete	*c = arg;

	(void)section;
	(void)line;
	if (c->in_plan && strcmp(key, "files") == 0) {
		free(c->plan_files);
		c->plan_files = xstrdup(value);
	}
}

static void
complete_error(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	(void)line;
	(void)msg;
}

static const struct inifile_handler complete_reader = {
	.section = complete_section,
	.key = complete_key,
	.error = complete_error,
};

/* Reads one file's sections into c; 0, or -1 when it cannot be opened. */
static int
complete_file(struct complete *c, const char *path)
{
	char	*text, err[300];
	size_t	 len;

	if (file_read(path, 0, FILE_MAX_PLAN, &text, &len, err,
	    sizeof(err)) == -1)
		return -1;
	(void)inifile_read_text(text, len, &complete_reader, c);
	free(text);
	return 0;
}

static int
complete_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cmd_complete(struct cli *cl, int argc, char **argv)
{
	const char	*path = cl->path;
	struct complete	 c;
	glob_t		 g;
	char		*copy, *pattern;
	size_t		 i, k;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	for (k = 0; k < NKINDS; k++)
		if (strcmp(argv[optind], complete_kinds[k].kind) == 0)
			break;
	if (k == NKINDS)
		return cli_usage(cl, "no names of kind '%s'", argv[optind]);
	memset(&c, 0, sizeof(c));
	c.want = complete_kinds[k].plan ? NULL : complete_kinds[k].section;
	if (complete_file(&c, path) == -1) {
		fprintf(stderr, _("nhacviec: cannot read %s\n"), path);
		return EX_NOINPUT;
	}
	if (complete_kinds[k].plan) {
		/* As config_load has it: relative to the config's folder. */
		pattern = c.plan_files;
		if (pattern == NULL)
			pattern = CONFIG_DEFAULT_PLAN_FILES;
		if (*pattern != '/') {
			copy = xstrdup(path);
			xasprintf(&pattern, "%s/%s", dirname(copy), pattern);
			free(copy);
		} else
			pattern = xstrdup(pattern);
		c.want = complete_kinds[k].section;
		if (glob(pattern, 0, NULL, &g) == 0) {
			for (i = 0; i < g.gl_pathc; i++)
				(void)complete_file(&c, g.gl_pathv[i]);
			globfree(&g);
		}
		free(pattern);
	}
	if (c.n > 0)
		qsort(c.names, c.n, sizeof(*c.names), complete_cmp);
	for (i = 0; i < c.n; i++)
		if (i == 0 || strcmp(c.names[i], c.names[i - 1]) != 0)
			printf("%s\n", c.names[i]);
	for (i = 0; i < c.n; i++)
		free(c.names[i]);
	free(c.names);
	free(c.plan_files);
	return 0;
}
