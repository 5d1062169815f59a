/* The ledger's archive: what is old enough to leave Redis, the JSON lines (a file a year) that keep it, and reading them back. */
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "civil.h"
#include "clock.h"
#include "fileio.h"
#include "log.h"
#include "plan.h"
#include "text.h"
#include "xmalloc.h"

#define DAY_MS		86400000LL
#define LOOKBACK_MS	(7 * DAY_MS)	/* the planner's, at least */
#define MARGIN_MS	(2 * DAY_MS)
#define FALLBACK_MARK	"~fallback-"

static const char *const kind_names[ARCHIVE_KINDS] = {
	[ARCHIVE_LOG] = "log",
	[ARCHIVE_DEAD] = "dead",
	[ARCHIVE_STATE] = "state",
	[ARCHIVE_REF] = "ref",
	[ARCHIVE_OCC] = "occ",
};

const char *
archive_kind_name(enum archive_kind k)
{
	return (unsigned)k < ARCHIVE_KINDS ? kind_names[k] : "?";
}

int64_t
archive_cutoff(int64_t now_ms, int64_t keep_ms, int64_t grace_ms)
{
	int64_t	back = grace_ms > LOOKBACK_MS ? grace_ms : LOOKBACK_MS;
	int64_t	cutoff = now_ms - keep_ms;

	if (cutoff > now_ms - back - MARGIN_MS)
		cutoff = now_ms - back - MARGIN_MS;
	return cutoff;
}

/* Digits from s into *v, at most max of them; the count read. */
static int
archive_digits(const char *s, int max, long long *v)
{
	int	n;

	for (*v = 0, n = 0; n < max && isdigit((unsigned char)s[n]); n++)
		*v = *v * 10 + (s[n] - '0');
	return n;
}

/* YYYY-MM-DD exactly, a day of the calendar. */
static int
archive_day(const char *s, size_t len, int64_t *days)
{
	long long	y, m, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (len != 10 || archive_digits(s, 4, &y) != 4 || s[4] != '-' ||
	    archive_digits(s + 5, 2, &m) != 2 || s[7] != '-' ||
	    archive_digits(s + 8, 2, &d) != 2 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] || (m == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))))
		return -1;
	*days = civil_days((int)y, (int)m, (int)d);
	return 0;
}

/* The days after the due day a spec (start|end[±Nd]@...) can fire. */
static int
archive_spec_after(const char *s, size_t len, long long *after)
{
	const char	*p = s, *end = s + len;
	long long	 n;
	int		 k;

	/* an escalation's spec is a reminder's, named so */
	if (len >= 9 && strncmp(s, "escalate:", 9) == 0)
		p += 9;
	len -= (size_t)(p - s);
	s = p;
	if (len >= 5 && strncmp(s, "start", 5) == 0)
		p += 5;
	else if (len >= 3 && strncmp(s, "end", 3) == 0)
		p += 3;
	else
		return -1;
	*after = 0;
	if (p < end && (*p == '+' || *p == '-')) {
		if ((k = archive_digits(p + 1, 4, &n)) == 0 || p + 1 + k >= end ||
		    p[1 + k] != 'd')
			return -1;
		/* start+Nd is no later than end+Nd: N days after at most */
		if (*p == '+')
			*after = n;
		p += 2 + k;
	}
	return p < end && *p == '@' ? 0 : -1;
}

int
archive_id_time(const char *id, int64_t *ms)
{
	const char	*parts[6], *p, *slash, *stop;
	size_t		 lens[6], n = 0;
	long long	 stamp, after;
	int64_t		 day;
	int		 k;

	if (strncmp(id, "adhoc/", 6) == 0) {
		/* adhoc/MS-PID-RAND/AGENCY/CHANNEL: sent when written */
		if ((k = archive_digits(id + 6, 15, &stamp)) == 0 ||
		    id[6 + k] != '-')
			return -1;
		*ms = stamp;
		return 0;
	}
	if ((stop = strstr(id, FALLBACK_MARK)) == NULL)
		stop = id + strlen(id);
	for (p = id; n < 6; p = slash + 1) {
		slash = memchr(p, '/', (size_t)(stop - p));
		parts[n] = p;
		lens[n++] = slash ? (size_t)(slash - p) : (size_t)(stop - p);
		if (slash == NULL)
			break;
	}
	/* TASK/DUE/SPEC/AGENCY/CHANNEL; "report:..." has a period instead */
	if (n != 5 || lens[0] == 0 || memchr(parts[0], ':', lens[0]) != NULL ||
	    archive_day(parts[1], lens[1], &day) == -1 ||
	    archive_spec_after(parts[2], lens[2], &after) == -1 ||
	    lens[3] == 0 || lens[4] == 0)
		return -1;
	*ms = (day + after + 1) * DAY_MS;
	return 0;
}

int
archive_plan_after(const struct plan *p)
{
	const struct plan_task	*t;
	size_t			 i, j;
	int			 after = 0, d;

	for (i = 0; p != NULL && i < p->ntasks; i++) {
		t = &p->tasks[i];
		for (j = 0; j < t->nremind + t->nremind_lead; j++) {
			d = j < t->nremind ? t->remind[j].days :
			    t->remind_lead[j - t->nremind].days;
			if (d > after)
				after = d;
		}
		for (j = 0; j < t->nescalate; j++)
			if (t->escalate[j].spec.days > after)
				after = t->escalate[j].spec.days;
	}
	return after;
}

int
archive_final(const char *state)
{
	return strcmp(state, "sent") == 0 || strcmp(state, "dead") == 0 ||
	    strcmp(state, "missed") == 0 || strcmp(state, "skipped") == 0;
}

int64_t
archive_entry_time(const char *entry, const char *const *f, size_t n)
{
	long long	v;
	size_t		i;
	int		k;

	for (i = 0; i + 1 < n; i += 2)
		if (f[i] != NULL && f[i + 1] != NULL &&
		    strcmp(f[i], "at") == 0 &&
		    (k = archive_digits(f[i + 1], 16, &v)) > 0 &&
		    f[i + 1][k] == '\0')
			return v;
	if (entry != NULL && (k = archive_digits(entry, 16, &v)) > 0 &&
	    entry[k] == '-')
		return v;
	return -1;
}

int
archive_year(int64_t ms)
{
	struct tm	tm;
	time_t		t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);

	if (gmtime_r(&t, &tm) == NULL)
		return 1970;
	return tm.tm_year + 1900;
}

/* --- lines --------------------------------------------------------------- */

/* A JSON string of s[0..len): bytes that are not UTF-8 become U+FFFD. */
static json_t *
archive_string(const char *s, size_t len)
{
	json_t	*j;
	char	*fix;
	size_t	 i, o = 0, k;

	if (text_utf8_valid(s, len))
		j = json_stringn(s, len);
	else {
		fix = xmalloc(3 * len + 1);
		for (i = 0; i < len; i += k) {
			for (k = 4; k > 0; k--)
				if (i + k <= len && text_utf8_valid(s + i, k))
					break;
			if (k > 0) {
				memcpy(fix + o, s + i, k);
				o += k;
			} else {
				memcpy(fix + o, "\xef\xbf\xbd", 3);
				o += 3;
				k = 1;
			}
		}
		j = json_stringn(fix, o);
		free(fix);
	}
	if (j == NULL)
		fatal("%s", __func__);
	return j;
}

static void
archive_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		fatal("%s", __func__);
}

/* { name: value, ... } of flat pairs; a name that is not UTF-8 is fixed. */
static json_t *
archive_object(const char *const *f, const size_t *lens, size_t n)
{
	json_t	*o, *name;
	size_t	 i;

	if ((o = json_object()) == NULL)
		fatal("%s", __func__);
	for (i = 0; i + 1 < n; i += 2) {
		name = archive_string(f[i], lens ? lens[i] : strlen(f[i]));
		/* jansson keys stop at a NUL: such a name is cut there */
		archive_set(o, json_string_value(name), archive_string(f[i + 1],
		    lens ? lens[i + 1] : strlen(f[i + 1])));
		json_decref(name);
	}
	return o;
}

/* The object as one line, with its newline; frees it. */
static char *
archive_dump(json_t *o)
{
	char	*s, *line;
	size_t	 n;

	if ((s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		fatal("%s", __func__);
	json_decref(o);
	n = strlen(s);
	line = xrealloc(s, n + 2);
	line[n] = '\n';
	line[n + 1] = '\0';
	return line;
}

static json_t *
archive_head(enum archive_kind k)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		fatal("%s", __func__);
	archive_set(o, "kind", json_string(kind_names[k]));
	return o;
}

char *
archive_line_entry(enum archive_kind k, const char *entry,
    const char *const *fields, const size_t *lens, size_t n)
{
	json_t	*o = archive_head(k);

	archive_set(o, "id", archive_string(entry, strlen(entry)));
	archive_set(o, "fields", archive_object(fields, lens, n));
	return archive_dump(o);
}

char *
archive_line_state(const char *id, const char *state, const char *attempts)
{
	json_t	*o = archive_head(ARCHIVE_STATE);

	archive_set(o, "id", archive_string(id, strlen(id)));
	archive_set(o, "state", archive_string(state, strlen(state)));
	if (attempts != NULL)
		archive_set(o, "attempts", archive_string(attempts,
		    strlen(attempts)));
	return archive_dump(o);
}

char *
archive_line_ref(const char *ref, const char *id)
{
	json_t	*o = archive_head(ARCHIVE_REF);

	archive_set(o, "ref", archive_string(ref, strlen(ref)));
	archive_set(o, "id", archive_string(id, strlen(id)));
	return archive_dump(o);
}

char *
archive_line_occ(const char *occ, int64_t end, const char *const *fields,
    const size_t *lens, size_t n)
{
	json_t	*o = archive_head(ARCHIVE_OCC);

	archive_set(o, "occ", archive_string(occ, strlen(occ)));
	archive_set(o, "end", json_integer(end));
	archive_set(o, "fields", archive_object(fields, lens, n));
	return archive_dump(o);
}

/* --- reading a line back ---------------------------------------------------- */

/* A member that must be text; NULL with err. */
static const char *
archive_text(json_t *o, const char *key, int need, char *err, size_t len)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL && !need)
		return NULL;
	if (v == NULL || !json_is_string(v)) {
		snprintf(err, len, "'%s' is %s", key, v == NULL ? "missing" :
		    "not text");
		return NULL;
	}
	return json_string_value(v);
}

/* The fields object as flat pairs into the item. */
static int
archive_fields_of(json_t *o, struct archive_item *it, char *err, size_t len)
{
	json_t		*f = json_object_get(o, "fields"), *v;
	const char	*k;
	size_t		 i = 0;

	if (f == NULL || !json_is_object(f)) {
		snprintf(err, len, "'fields' is %s", f == NULL ? "missing" :
		    "not an object");
		return -1;
	}
	it->fields = xcalloc(2 * json_object_size(f) + 1, sizeof(*it->fields));
	json_object_foreach(f, k, v) {
		if (!json_is_string(v)) {
			snprintf(err, len, "field '%s' is not text", k);
			return -1;
		}
		it->fields[i++] = k;
		it->fields[i++] = json_string_value(v);
	}
	it->nfields = i;
	return 0;
}

int
archive_parse(const char *line, size_t len, struct archive_item *it,
    char *err, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*o, *end;
	const char	*kind;
	int		 k;

	memset(it, 0, sizeof(*it));
	it->time = -1;
	if ((o = json_loadb(line, len, 0, &jerr)) == NULL) {
		snprintf(err, errlen, "not JSON: %s", jerr.text);
		return -1;
	}
	it->json = o;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "not a JSON object");
		goto bad;
	}
	if ((kind = archive_text(o, "kind", 1, err, errlen)) == NULL)
		goto bad;
	for (k = 0; k < ARCHIVE_KINDS && strcmp(kind_names[k], kind) != 0;
	    k++)
		;
	if (k == ARCHIVE_KINDS) {
		snprintf(err, errlen, "unknown kind '%s'", kind);
		goto bad;
	}
	it->kind = (enum archive_kind)k;
	switch (it->kind) {
	case ARCHIVE_LOG:
	case ARCHIVE_DEAD:
		if ((it->id = archive_text(o, "id", 1, err, errlen)) == NULL ||
		    archive_fields_of(o, it, err, errlen) == -1)
			goto bad;
		if ((it->time = archive_entry_time(it->id, it->fields,
		    it->nfields)) < 0) {
			snprintf(err, errlen, "no time: neither 'at' nor an "
			    "entry id MS-SEQ");
			goto bad;
		}
		break;
	case ARCHIVE_STATE:
		if ((it->id = archive_text(o, "id", 1, err, errlen)) == NULL ||
		    (it->state = archive_text(o, "state", 1, err,
		    errlen)) == NULL)
			goto bad;
		if (json_object_get(o, "attempts") != NULL &&
		    (it->attempts = archive_text(o, "attempts", 1, err,
		    errlen)) == NULL)
			goto bad;
		if (archive_id_time(it->id, &it->time) == -1)
			it->time = -1;
		break;
	case ARCHIVE_REF:
		if ((it->id = archive_text(o, "ref", 1, err, errlen)) == NULL ||
		    (it->target = archive_text(o, "id", 1, err,
		    errlen)) == NULL)
			goto bad;
		if (archive_id_time(it->target, &it->time) == -1)
			it->time = -1;
		break;
	case ARCHIVE_OCC:
		if ((it->id = archive_text(o, "occ", 1, err, errlen)) == NULL)
			goto bad;
		if ((end = json_object_get(o, "end")) == NULL ||
		    !json_is_integer(end) || json_integer_value(end) < 0) {
			snprintf(err, errlen, "'end' is not a time in ms");
			goto bad;
		}
		it->time = json_integer_value(end);
		if (archive_fields_of(o, it, err, errlen) == -1)
			goto bad;
		break;
	case ARCHIVE_KINDS:
		break;
	}
	return 0;
 bad:
	archive_item_clear(it);
	return -1;
}

void
archive_item_clear(struct archive_item *it)
{
	free(it->fields);
	json_decref(it->json);
	memset(it, 0, sizeof(*it));
	it->time = -1;
}

/* --- items seen --------------------------------------------------------------- */

struct archive_seen {
	char	**slot;		/* "K" kind letter, then the id */
	size_t	  cap;		/* a power of two */
	size_t	  n;
};

struct archive_seen *
archive_seen_new(void)
{
	struct archive_seen	*s;

	s = xcalloc(1, sizeof(*s));
	s->slot = xcalloc(1024, sizeof(*s->slot));
	s->cap = 1024;
	return s;
}

void
archive_seen_free(struct archive_seen *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	free(s);
}

/* FNV-1a over the kind and the id. */
static size_t
archive_hash(enum archive_kind k, const char *id)
{
	uint64_t	h = 14695981039346656037ULL;

	h = (h ^ (unsigned)k) * 1099511628211ULL;
	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of (k, id): where it is, or the empty one it would go to. */
static size_t
archive_slot(char *const *slot, size_t cap, enum archive_kind k,
    const char *id)
{
	size_t	i = archive_hash(k, id) & (cap - 1);

	while (slot[i] != NULL && (slot[i][0] != 'a' + (int)k ||
	    strcmp(slot[i] + 1, id) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

int
archive_seen_has(const struct archive_seen *s, enum archive_kind k,
    const char *id)
{
	return s->slot[archive_slot(s->slot, s->cap, k, id)] != NULL;
}

int
archive_seen_add(struct archive_seen *s, enum archive_kind k, const char *id)
{
	char	**bigger;
	size_t	  i, j;

	i = archive_slot(s->slot, s->cap, k, id);
	if (s->slot[i] != NULL)
		return 0;
	xasprintf(&s->slot[i], "%c%s", 'a' + (int)k, id);
	if (++s->n * 2 <= s->cap)
		return 1;
	bigger = xcalloc(2 * s->cap, sizeof(*bigger));
	for (i = 0; i < s->cap; i++) {
		if (s->slot[i] == NULL)
			continue;
		j = archive_slot(bigger, 2 * s->cap,
		    (enum archive_kind)(s->slot[i][0] - 'a'), s->slot[i] + 1);
		bigger[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = bigger;
	s->cap *= 2;
	return 1;
}

/* --- follow-ups merged ---------------------------------------------------------- */

static char *
archive_strdup(const char *s)
{
	char	*p;

	p = xstrdup(s != NULL ? s : "");
	return p;
}

/* AGENCY:note: the last value written wins. */
static int
archive_last_wins(const char *name)
{
	size_t	n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ":note") == 0;
}

void
archive_fields_merge(struct archive_fields *a, const char *const *f, size_t n)
{
	size_t	i, j;

	for (i = 0; i + 1 < n; i += 2) {
		for (j = 0; j < a->n && strcmp(a->v[j], f[i]) != 0; j += 2)
			;
		if (j < a->n) {
			if (archive_last_wins(f[i])) {
				free(a->v[j + 1]);
				a->v[j + 1] = archive_strdup(f[i + 1]);
			}
			continue;
		}
		if (a->n + 2 > a->cap) {
			a->cap = a->cap ? 2 * a->cap : 16;
			a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
		}
		a->v[a->n++] = archive_strdup(f[i]);
		a->v[a->n++] = archive_strdup(f[i + 1]);
	}
}

void
archive_fields_clear(struct archive_fields *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* --- reading the files ------------------------------------------------------------ */

static int
archive_int_cmp(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * The years whose files to read: lo to hi when both are known, else the
 * YYYY.jsonl files the folder has, within whichever bound is known.
 */
static int
archive_years(const char *dir, int lo, int hi, int **out, size_t *n,
    char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*de;
	long long	 y;
	int		*v = NULL;
	size_t		 cap = 0;

	*n = 0;
	if (lo > 0 && hi > 0) {
		if (hi < lo)
			hi = lo;
		v = xcalloc((size_t)(hi - lo + 1), sizeof(*v));
		for (; lo <= hi; lo++)
			v[(*n)++] = lo;
		*out = v;
		return 0;
	}
	if ((d = opendir(dir)) == NULL) {
		*out = NULL;
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (archive_digits(de->d_name, 4, &y) != 4 ||
		    strcmp(de->d_name + 4, ".jsonl") != 0 ||
		    (lo > 0 && y < lo) || (hi > 0 && y > hi))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[(*n)++] = (int)y;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), archive_int_cmp);
	*out = v;
	return 0;
}

/* One year file, line by line. */
static int
archive_read_file(const char *path, int64_t from, int64_t to, unsigned mask,
    struct archive_seen *seen, archive_item_cb *cb, void *arg, FILE *warn,
    char *err, size_t errlen)
{
	struct archive_item	 it;
	FILE			*fp;
	char			*line = NULL, why[300];
	size_t			 cap = 0;
	ssize_t			 n;
	unsigned long		 lineno = 0;
	int			 fd;

	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 0;	/* nothing archived that year */
	if ((fd = file_open_read(path, FILE_NOFOLLOW, why,
	    sizeof(why))) == -1) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if ((fp = fdopen(fd, "r")) == NULL)
		fatal("%s", __func__);
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;	/* the end of a torn line, made whole */
		if (archive_parse(line, (size_t)n, &it, why,
		    sizeof(why)) == -1) {
			if (warn != NULL)
				fprintf(warn, "%s:%lu: %s; skipped\n", path,
				    lineno, why);
			continue;
		}
		if ((mask & ARCHIVE_MASK(it.kind)) &&
		    ((from < 0 && to < 0) || (it.time >= 0 &&
		    (from < 0 || it.time >= from) &&
		    (to < 0 || it.time < to))) &&
		    (seen == NULL || it.kind == ARCHIVE_OCC ||
		    archive_seen_add(seen, it.kind, it.id)))
			cb(arg, &it);
		archive_item_clear(&it);
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		free(line);
		fclose(fp);
		return -1;
	}
	free(line);
	fclose(fp);
	return 0;
}

int
archive_read(const char *dir, int64_t from, int64_t to, unsigned mask,
    struct archive_seen *seen, archive_item_cb *cb, void *arg, FILE *warn,
    char *err, size_t errlen)
{
	char	*path;
	int	*years;
	size_t	 i, n;
	int	 rv = 0;

	if (archive_years(dir, from >= 0 ? archive_year(from) : 0,
	    to > 0 ? archive_year(to - 1) : 0, &years, &n, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < n && rv == 0; i++) {
		xasprintf(&path, "%s/%d.jsonl", dir, years[i]);
		rv = archive_read_file(path, from, to, mask, seen, cb, arg,
		    warn, err, errlen);
		free(path);
	}
	free(years);
	return rv;
}

int
archive_append(const char *dir, int year, const char *buf, size_t len,
    char *err, size_t errlen)
{
	char	name[32];

	if (file_dir_ready(dir, ARCHIVE_DIR_MODE, err, errlen) == -1)
		return -1;
	snprintf(name, sizeof(name), "%d.jsonl", year);
	return file_append_sync(dir, name, ARCHIVE_FILE_MODE, buf, len, err,
	    errlen);
}
