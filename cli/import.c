/* nhacviec import-appendix: a plan's appendix table, as an admin pastes it, as [task] sections. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appendix.h"
#include "cli.h"
#include "config.h"
#include "diag.h"
#include "fileio.h"
#include "plan.h"


#define IMPORT_REMIND	"start@08:00, end-3d@08:00"
#define IMPORT_CHANNELS	"zalo, email"
#define IMPORT_ID_WORDS	5
#define IMPORT_MAX	(16 * 1024 * 1024)	/* bytes of table read */
#define CELL_MAX	2048

enum col { COL_STT, COL_TITLE, COL_LEAD, COL_PARTNERS, COL_WHEN, NCOLS };

/* The column headings as the plan writes them, and their keys. */
static const char *const col_names[NCOLS] = { "STT", "NỘI DUNG TUYÊN TRUYỀN",
    "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP", "THỜI GIAN THỰC HIỆN" };
static const char *const col_keys[NCOLS] = { "stt", "noi dung", "chu tri",
    "phoi hop", "thoi gian" };

struct import {
	const char		*file;		/* as named on the command line */
	const struct config	*conf;
	const struct plan	*plan;
	struct appendix_entry	*entries;
	struct appendix_dir	 dir;
	int			 cols[NCOLS];
	int			 year;		/* for cells that name none; 0: unknown */
	const char		*remind;
	const char		*channels;
	char			**ids;		/* the task ids given out */
	size_t			 nids;
	size_t			 ntasks;
	struct diag		 d;
};

/* The bytes of path ("-": stdin; a pipe will do), NUL-terminated, or NULL
 * with err. */
static char *
import_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	char	*buf;
	int	 fd, rc;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	rc = file_read_fd(fd, 0, IMPORT_MAX, &buf, len, err, errlen);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc == -1 ? NULL : buf;
}

/* A cell of the row, cleaned; "" when the row lacks it. */
static void
import_cell(const struct appendix_row *r, int col, char *out, size_t len)
{
	out[0] = '\0';
	if (col >= 0 && (size_t)col < r->ncells &&
	    appendix_clean(r->cells[col], out, len) == -1)
		out[0] = '\0';
}

/* A header row: its first cell says STT. Fills cols, or reports what is missing. */
static int
import_header(struct import *im, const struct appendix_row *r, int *is_header)
{
	char	cell[CELL_MAX], key[CELL_MAX];
	size_t	i;
	int	c, cols[NCOLS], missing = 0;

	*is_header = 0;
	import_cell(r, 0, cell, sizeof(cell));
	if (appendix_key(cell, key, sizeof(key)) == -1 ||
	    strcmp(key, "stt") != 0)
		return 0;
	*is_header = 1;
	for (c = 0; c < NCOLS; c++)
		cols[c] = -1;
	for (i = 0; i < r->ncells; i++) {
		import_cell(r, (int)i, cell, sizeof(cell));
		if (appendix_key(cell, key, sizeof(key)) == -1)
			continue;
		for (c = 0; c < NCOLS; c++)
			if (cols[c] == -1 && strstr(key, col_keys[c]) != NULL)
				cols[c] = (int)i;
	}
	for (c = 0; c < NCOLS; c++)
		if (cols[c] == -1) {
			diag_error(&im->d, im->file, r->line, "the header has no "
			    "column %s: the table needs STT, NỘI DUNG TUYÊN "
			    "TRUYỀN, CƠ QUAN CHỦ TRÌ, CƠ QUAN PHỐI HỢP and THỜI "
			    "GIAN THỰC HIỆN, separated by tabs", col_names[c]);
			missing = 1;
		}
	if (missing)
		return -1;
	memcpy(im->cols, cols, sizeof(cols));
	return 0;
}

/*
 * A value fit for one plan-file line: no ';' that would start a comment;
 * then the comment, if any, beside it.
 */
static void
import_line(FILE *fp, const char *key, const char *value, const char *comment)
{
	const char	*p;

	fprintf(fp, "%-11s = ", key);
	for (p = value; *p; p++) {
		if (*p == ';' && (p == value || p[-1] == ' ' || p[-1] == '\t'))
			fputc(',', fp);
		else
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
	}
	if (comment != NULL && comment[0] != '\0') {
		fputs("   ; ", fp);
		for (p = comment; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
	}
	fputc('\n', fp);
}

static void
import_value(FILE *fp, const char *key, const char *value)
{
	import_line(fp, key, value, NULL);
}

static int
import_id_taken(const struct import *im, const char *id)
{
	size_t	i;

	if (plan_task_find(im->plan, id) != NULL)
		return 1;
	for (i = 0; i < im->nids; i++)
		if (strcmp(im->ids[i], id) == 0)
			return 1;
	return 0;
}

/* An id from the title (and a period's suffix), made unique across the plan and this import. */
static const char *
import_task_id(struct import *im, const char *title, const char *suffix)
{
	char	 base[128], id[160], **v;
	size_t	 l;
	int	 n;

	if (appendix_task_id(title, IMPORT_ID_WORDS, base, sizeof(base)) ==
	    -1)
		snprintf(base, sizeof(base), "task");
	if (suffix[0] != '\0' && (l = strlen(base)) + strlen(suffix) + 2 <
	    sizeof(base))
		snprintf(base + l, sizeof(base) - l, "-%s", suffix);
	snprintf(id, sizeof(id), "%s", base);
	for (n = 2; import_id_taken(im, id); n++)
		snprintf(id, sizeof(id), "%s-%d", base, n);
	if ((v = reallocarray(im->ids, im->nids + 1, sizeof(*v))) == NULL ||
	    (v[im->nids] = strdup(id)) == NULL) {
		if (v != NULL)
			im->ids = v;
		return NULL;
	}
	im->ids = v;
	return im->ids[im->nids++];
}

/* "it fits a, b: write more of the name" for a piece several entries fit. */
static const char *
import_why(const struct appendix_piece *pc, char *buf, size_t len)
{
	if (pc->entry == -2)
		snprintf(buf, len, ": it fits %s; write more of the name",
		    pc->why);
	else if (pc->why[0] != '\0')
		snprintf(buf, len, ": %s", pc->why);
	else
		buf[0] = '\0';
	return buf;
}

/* Adds '"Nội vụ" taken as Phòng Nội vụ' for a loose match to a comment. */
static void
import_loose(const struct import *im, const struct appendix_piece *pc,
    char *buf, size_t len)
{
	const struct appendix_entry	*e = &im->entries[pc->entry];
	size_t				 l = strlen(buf);

	if (!pc->loose || l + 1 >= len)
		return;
	snprintf(buf + l, len - l, "%s\"%s\" taken as %s", l ? ", " : "",
	    pc->text, e->name ? e->name : e->id);
}

/*
 * The lead: exactly one agency. Its id, or NULL after reporting; a loose
 * match of its name is said in loose.
 */
static const char *
import_lead(struct import *im, const struct appendix_row *r, const char *cell,
    char *loose, size_t looselen)
{
	struct appendix_partners	 p;
	const struct appendix_entry	*e = NULL;
	char				 why[256];
	const char			*col = col_names[COL_LEAD];
	size_t				 i, n = 0;
	int				 bad = 0;

	loose[0] = '\0';
	if (cell[0] == '\0') {
		diag_error(&im->d, im->file, r->line, "column %s: empty: name "
		    "the agency that leads the task", col);
		return NULL;
	}
	appendix_split(&im->dir, cell, &p);
	if (p.note[0] != '\0') {
		diag_error(&im->d, im->file, r->line, "column %s: cannot match "
		    "'%s' to an agency", col, p.note);
		bad = 1;
	}
	for (i = 0; i < p.n; i++) {
		if (p.v[i].entry < 0) {
			diag_error(&im->d, im->file, r->line, "column %s: cannot "
			    "match '%s' to an agency%s", col, p.v[i].text,
			    import_why(&p.v[i], why, sizeof(why)));
			bad = 1;
			continue;
		}
		if (im->entries[p.v[i].entry].group) {
			diag_error(&im->d, im->file, r->line, "column %s: '%s' "
			    "is the group %s: the lead must be one agency", col,
			    p.v[i].text, im->entries[p.v[i].entry].id);
			bad = 1;
			continue;
		}
		e = &im->entries[p.v[i].entry];
		import_loose(im, &p.v[i], loose, looselen);
		n++;
	}
	if (bad)
		return NULL;
	if (n != 1) {
		diag_error(&im->d, im->file, r->line, "column %s: '%s' names "
		    "%zu agencies: a task has one lead; put the others under %s",
		    col, cell, n, col_names[COL_PARTNERS]);
		return NULL;
	}
	return e->id;
}

/* A task of the plan files with the same title, or NULL. */
static const struct plan_task *
import_duplicate(const struct import *im, const char *title)
{
	size_t	i;

	for (i = 0; i < im->plan->ntasks; i++)
		if (appendix_same_title(title, im->plan->tasks[i].title ?
		    im->plan->tasks[i].title : im->plan->tasks[i].id))
			return &im->plan->tasks[i];
	return NULL;
}

/* One task's [task] section, for one period of the row. */
static int
import_task(struct import *im, const struct appendix_row *r,
    char cell[NCOLS][CELL_MAX], const char *title, const char *lead,
    const char *lead_loose, const struct appendix_partners *p,
    const char *partners_loose, const struct appendix_when *w, FILE *out)
{
	const struct plan_task	*dup;
	char		 lines[1024], note[600], full[CELL_MAX + 32];
	char		 list[2048], *s, *nl, *eq;
	const char	*id, *pid;
	size_t		 i, k, l = 0;

	if (w->label[0] != '\0')
		snprintf(full, sizeof(full), "%s (%s)", title, w->label);
	else
		snprintf(full, sizeof(full), "%s", title);
	if ((id = import_task_id(im, title, w->suffix)) == NULL) {
		diag_error(&im->d, im->file, r->line, "out of memory");
		return -1;
	}
	if (appendix_when_format(w, lines, sizeof(lines)) == -1) {
		diag_error(&im->d, im->file, r->line, "column %s: too long",
		    col_names[COL_WHEN]);
		return -1;
	}
	if ((dup = import_duplicate(im, full)) != NULL)
		diag_warn(&im->d, im->file, r->line, "task '%s' repeats task "
		    "'%s' of %s:%u (the same title): add it only if it is "
		    "another task", id, dup->id, dup->where.file,
		    dup->where.line);

	fprintf(out, "\n; %s:%u, STT %s, %s: %s\n", im->file, r->line,
	    cell[COL_STT][0] ? cell[COL_STT] : "-", col_names[COL_WHEN],
	    cell[COL_WHEN]);
	if (w->comment[0] != '\0')
		fprintf(out, "; %s\n", w->comment);
	if (dup != NULL)
		fprintf(out, "; repeats [task %s] of %s:%u\n", dup->id,
		    dup->where.file, dup->where.line);
	fprintf(out, "[task %s]\n", id);
	import_value(out, "title", full);
	import_line(out, "lead", lead, lead_loose);
	list[0] = '\0';
	for (i = 0; i < p->n; i++) {
		pid = im->entries[p->v[i].entry].id;
		if (strcmp(pid, lead) == 0)
			continue;	/* the lead is reminded anyway */
		if (l + strlen(pid) + 3 < sizeof(list))
			l += (size_t)snprintf(list + l, sizeof(list) - l,
			    "%s%s", l ? ", " : "", pid);
	}
	if (l > 0)
		import_line(out, "partners", list, partners_loose);
	note[0] = '\0';
	if (p->note[0] != '\0')
		snprintf(note, sizeof(note), "%s", p->note);
	if (w->note[0] != '\0') {
		k = strlen(note);
		snprintf(note + k, sizeof(note) - k, "%s%s", k ? ". " : "",
		    w->note);
	}
	if (note[0] != '\0')
		import_value(out, "note", note);
	/* the time's "key = value" lines, aligned like the rest */
	for (s = lines; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		*nl = '\0';
		if ((eq = strstr(s, " = ")) == NULL)
			continue;
		*eq = '\0';
		import_value(out, s, eq + 3);
	}
	import_value(out, "remind", im->remind);
	import_value(out, "channels", im->channels);
	im->ntasks++;
	return 0;
}

/* One task row: its [task] sections (one a period) into out, or -1 after reporting. */
static int
import_row(struct import *im, const struct appendix_row *r, FILE *out)
{
	struct appendix_partners	 p;
	struct appendix_when		 w[APPENDIX_MAXPERIODS];
	char				 cell[NCOLS][CELL_MAX];
	char				 err[1024], why[256];
	char				 lead_loose[512], partners_loose[1024];
	const char			*lead, *title;
	size_t				 i, nw = 0;
	int				 c, bad = 0;

	for (c = 0; c < NCOLS; c++)
		import_cell(r, im->cols[c], cell[c], sizeof(cell[c]));
	title = appendix_skip_number(cell[COL_TITLE]);
	if (title[0] == '\0') {
		diag_error(&im->d, im->file, r->line, "column %s: empty: a "
		    "task needs a title", col_names[COL_TITLE]);
		bad = 1;
	}
	if ((lead = import_lead(im, r, cell[COL_LEAD], lead_loose,
	    sizeof(lead_loose))) == NULL)
		bad = 1;
	appendix_split(&im->dir, cell[COL_PARTNERS], &p);
	partners_loose[0] = '\0';
	for (i = 0; i < p.n; i++) {
		if (p.v[i].entry >= 0) {
			if (lead == NULL || strcmp(im->entries[p.v[i].entry].id,
			    lead) != 0)
				import_loose(im, &p.v[i], partners_loose,
				    sizeof(partners_loose));
			continue;
		}
		diag_error(&im->d, im->file, r->line, "column %s: cannot "
		    "match '%s' to an agency or group%s",
		    col_names[COL_PARTNERS], p.v[i].text,
		    import_why(&p.v[i], why, sizeof(why)));
		bad = 1;
	}
	if (appendix_parse_periods(cell[COL_WHEN], im->year, w, &nw, err,
	    sizeof(err)) == -1) {
		diag_error(&im->d, im->file, r->line, "column %s: %s",
		    col_names[COL_WHEN], err);
		bad = 1;
	}
	if (bad) {
		fprintf(out, "\n; %s:%u: row not imported, see the errors\n",
		    im->file, r->line);
		return -1;
	}
	for (i = 0; i < nw; i++)
		if (import_task(im, r, cell, title, lead, lead_loose, &p,
		    partners_loose, &w[i], out) == -1)
			return -1;
	return 0;
}

/* An STT: "7" or "7.". */
static int
import_is_number(const char *s)
{
	size_t	n = strspn(s, "0123456789");

	return n > 0 && (s[n] == '\0' || (s[n] == '.' && s[n + 1] == '\0'));
}

/* The year the table's time cells name (else any cell), if just one. */
static int
import_table_year(const struct import *im, const struct appendix_table *t,
    size_t first)
{
	char	cell[CELL_MAX];
	size_t	i, j;
	int	y, year = 0, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = first; i < t->nrows; i++)
			for (j = 0; j < t->rows[i].ncells; j++) {
				if (pass == 0 && (int)j != im->cols[COL_WHEN])
					continue;
				import_cell(&t->rows[i], (int)j, cell,
				    sizeof(cell));
				if ((y = appendix_year(cell)) == -1 ||
				    (y > 0 && year > 0 && y != year))
					return 0;
				if (y > 0)
					year = y;
			}
		if (year > 0)
			return year;
	}
	return 0;
}

/* Checks a --remind or --channels value: one line, no ';'. */
static int
import_check_opt(struct cli *cl, const char *opt, const char *v)
{
	if (v[0] == '\0' || strpbrk(v, ";\n\r") != NULL) {
		cli_usage(cl, "%s '%s': give a comma-separated list, without "
		    "';'", opt, v);
		return -1;
	}
	return 0;
}

/* Warns of a channel in --channels that the main config lacks. */
static void
import_check_channels(struct import *im)
{
	char	*list, *s, *name;

	if ((list = strdup(im->channels)) == NULL)
		return;
	for (s = list; (name = strsep(&s, ",")) != NULL; ) {
		name += strspn(name, " \t");
		name[strcspn(name, " \t")] = '\0';
		if (name[0] != '\0' &&
		    config_channel_find(im->conf, name) == NULL)
			diag_warn(&im->d, im->conf->path, 0, "channel '%s' is "
			    "not configured: `nhacviec check` will refuse the "
			    "imported tasks until a [channel %s] section "
			    "exists", name, name);
	}
	free(list);
}

/* The directory names are matched against: every agency, then every group. */
static int
import_dir(struct import *im)
{
	const struct plan	*pl = im->plan;
	size_t			 i, n = 0;

	im->entries = calloc(pl->nagencies + pl->ngroups + 1,
	    sizeof(*im->entries));
	if (im->entries == NULL)
		return -1;
	for (i = 0; i < pl->nagencies; i++)
		im->entries[n++] = (struct appendix_entry){
		    pl->agencies[i].id, pl->agencies[i].name, 0 };
	for (i = 0; i < pl->ngroups; i++)
		im->entries[n++] = (struct appendix_entry){
		    pl->groups[i].id, pl->groups[i].name, 1 };
	im->dir.v = im->entries;
	im->dir.n = n;
	return 0;
}

int
cmd_import_appendix(struct cli *cl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "remind", required_argument, NULL, 'r' },
		{ "channels", required_argument, NULL, 'c' },
		{ "encoding", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const struct config	*conf = cl->conf;
	struct import		 im;
	struct appendix_table	 t = { NULL, 0 };
	struct plan		*pl = NULL;
	const char		*path = NULL, *encoding = NULL;
	char			*raw = NULL, *text = NULL, err[512], *end;
	char			 how[64];
	size_t			 rawlen, len, i, first = 0, nrows = 0;
	long			 year = 0;
	int			 o, c, rc = EX_DATAERR, header, seen_header = 0;

	memset(&im, 0, sizeof(im));
	im.remind = IMPORT_REMIND;
	im.channels = IMPORT_CHANNELS;
	for (c = 0; c < NCOLS; c++)
		im.cols[c] = c;
	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (o) {
		case 'y':
			errno = 0;
			year = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || year < 1900 ||
			    year > 2099)
				return cli_usage(cl, "--year '%s': give a year "
				    "such as 2022", optarg);
			break;
		case 'r':
			if (import_check_opt(cl, "--remind", optarg) == -1)
				return EX_USAGE;
			im.remind = optarg;
			break;
		case 'c':
			if (import_check_opt(cl, "--channels", optarg) == -1)
				return EX_USAGE;
			im.channels = optarg;
			break;
		case 'e':
			encoding = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	path = argv[optind];
	im.file = path;
	diag_init(&im.d);
	im.conf = conf;

	if ((raw = import_slurp(path, &rawlen, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		return EX_NOINPUT;
	}
	if (appendix_decode(raw, rawlen, encoding, &text, &len, how,
	    sizeof(how), err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", path, err);
		free(raw);
		return EX_DATAERR;
	}
	free(raw);
	if ((pl = plan_load_glob(conf->plan_files, &im.d)) == NULL) {
		diag_print(&im.d, stderr);
		fprintf(stderr, _("nhacviec: import-appendix matches names "
		    "against the agencies and groups of the plan files (%s): "
		    "fix them first\n"), conf->plan_files);
		rc = EX_CONFIG;
		goto out;
	}
	/* plan warnings are `check`'s business: start afresh */
	diag_clear(&im.d);
	im.plan = pl;
	if (pl->nagencies == 0) {
		diag_error(&im.d, conf->plan_files, 0, "no agencies in the "
		    "plan files: import-appendix matches the table's agencies "
		    "against them");
		goto out;
	}
	if (import_dir(&im) == -1 ||
	    appendix_table_read(text, len, &t) == -1) {
		diag_error(&im.d, path, 0, "out of memory");
		goto out;
	}
	import_check_channels(&im);

	/* What comes before the first header is the document's title. */
	for (i = 0; i < t.nrows; i++) {
		if (import_header(&im, &t.rows[i], &header) == -1)
			goto out;
		if (header) {
			first = i;
			seen_header = 1;
			break;
		}
	}
	im.year = year ? (int)year : import_table_year(&im, &t, first);

	printf("; Tasks imported by `nhacviec import-appendix` from %s.\n"
	    "; Check each one, then move it into a plan file.\n", path);
	if (strcmp(how, "UTF-8") != 0)
		printf("; The table was read as %s.\n", how);
	for (i = first; i < t.nrows; i++) {
		const struct appendix_row	*r = &t.rows[i];
		char				 stt[CELL_MAX], cell[CELL_MAX];
		int				 need = 0, empty = 1;

		if (import_header(&im, r, &header) == -1)
			continue;
		if (header)
			continue;
		for (c = 0; c < NCOLS; c++) {
			if (im.cols[c] + 1 > need)
				need = im.cols[c] + 1;
			if (c != COL_STT && c != COL_TITLE) {
				import_cell(r, im.cols[c], cell, sizeof(cell));
				if (cell[0] != '\0')
					empty = 0;
			}
		}
		import_cell(r, im.cols[COL_STT], stt, sizeof(stt));
		import_cell(r, im.cols[COL_TITLE], cell, sizeof(cell));
		if (stt[0] == '\0' && cell[0] == '\0' && empty)
			continue;
		/* "I", "A": a heading inside the table, not a task */
		if (empty && !import_is_number(stt)) {
			printf("\n; %s:%u: a heading, not a task: %s %s\n",
			    path, r->line, stt, cell);
			continue;
		}
		nrows++;
		if (r->ncells < (size_t)need) {
			diag_error(&im.d, path, r->line, "%zu cells where the "
			    "table has %d columns (%s, %s, %s, %s, %s): are the "
			    "cells separated by tabs?", r->ncells, NCOLS,
			    col_names[0], col_names[1], col_names[2],
			    col_names[3], col_names[4]);
			printf("\n; %s:%u: row not imported, see the errors\n",
			    path, r->line);
			continue;
		}
		import_row(&im, r, stdout);
	}
	if (nrows == 0)
		diag_error(&im.d, path, 0, "no task rows%s: paste the appendix "
		    "table with its cells separated by tabs", seen_header ?
		    " under the header" : "");
	if (im.d.nerrors == 0)
		rc = 0;
out:
	fflush(stdout);
	diag_print(&im.d, stderr);
	if (rc == EX_DATAERR && im.d.nerrors > 0) {
		fprintf(stderr, ngettext("nhacviec: import-appendix: %zu task "
		    "written", "nhacviec: import-appendix: %zu tasks written",
		    im.ntasks), im.ntasks);
		fprintf(stderr, ngettext(", %zu error\n", ", %zu errors\n",
		    im.d.nerrors), im.d.nerrors);
	}
	diag_clear(&im.d);
	appendix_table_clear(&t);
	for (i = 0; i < im.nids; i++)
		free(im.ids[i]);
	free(im.ids);
	free(im.entries);
	plan_free(pl);
	free(text);
	return rc;
}
