/* The delivery ledger as an admin reads it: {p}:log entries, the parts of their reminder ids, filters, TSV lines. */
#include <stdlib.h>
#include <string.h>

#include "history.h"

#define FALLBACK_MARK	"~fallback-"

/* Copies [s, s + n) into a part; -1 when it is empty or does not fit. */
static int
part_copy(char *dst, size_t len, const char *s, size_t n)
{
	if (n == 0 || n >= len)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int
history_parse_id(const char *id, struct history_entry *e)
{
	const char	*parts[6], *end, *fb, *p;
	size_t		 lens[6], n = 0;
	int		 ok;

	e->task[0] = e->agency[0] = e->channel[0] = e->due[0] = '\0';
	e->fallback = 0;
	end = (fb = strstr(id, FALLBACK_MARK)) != NULL ? fb : id + strlen(id);
	for (p = id; n < 6; ) {
		const char *slash = memchr(p, '/', (size_t)(end - p));

		parts[n] = p;
		lens[n++] = slash != NULL ? (size_t)(slash - p) :
		    (size_t)(end - p);
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	if (n == 4 && lens[0] == 5 && strncmp(parts[0], "adhoc", 5) == 0)
		ok = part_copy(e->task, sizeof(e->task), "adhoc", 5) == 0 &&
		    part_copy(e->agency, sizeof(e->agency), parts[2],
		    lens[2]) == 0 && part_copy(e->channel,
		    sizeof(e->channel), parts[3], lens[3]) == 0;
	else if (n == 5)
		ok = part_copy(e->task, sizeof(e->task), parts[0],
		    lens[0]) == 0 && part_copy(e->due, sizeof(e->due),
		    parts[1], lens[1]) == 0 && part_copy(e->agency,
		    sizeof(e->agency), parts[3], lens[3]) == 0 &&
		    part_copy(e->channel, sizeof(e->channel), parts[4],
		    lens[4]) == 0;
	else
		ok = 0;
	if (ok && fb != NULL) {
		/* the last fallback names the channel it went out on */
		while ((p = strstr(fb + 1, FALLBACK_MARK)) != NULL)
			fb = p;
		fb += strlen(FALLBACK_MARK);
		ok = part_copy(e->channel, sizeof(e->channel), fb,
		    strlen(fb)) == 0;
		e->fallback = 1;
	}
	if (!ok) {
		e->task[0] = e->agency[0] = e->channel[0] = e->due[0] = '\0';
		e->fallback = 0;
		return -1;
	}
	return 0;
}

/* A field's value, or NULL. */
static const char *
field(const char *const *f, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i + 1 < n; i += 2)
		if (f[i] != NULL && strcmp(f[i], name) == 0)
			return f[i + 1] != NULL ? f[i + 1] : "";
	return NULL;
}

/* The entry's own field over what the id says, when it has one. */
static void
override(char *dst, size_t len, const char *value)
{
	if (value != NULL && value[0] != '\0')
		(void)part_copy(dst, len, value, strlen(value));
}

int
history_read(struct history_entry *e, const char *const *f, size_t n)
{
	const char	*v, *s;
	char		*end;

	memset(e, 0, sizeof(*e));
	if ((e->id = field(f, n, "id")) == NULL)
		return -1;
	(void)history_parse_id(e->id, e);
	override(e->task, sizeof(e->task), field(f, n, "task"));
	override(e->agency, sizeof(e->agency), field(f, n, "agency"));
	override(e->channel, sizeof(e->channel), field(f, n, "channel"));
	override(e->due, sizeof(e->due), field(f, n, "due"));
	e->outcome = (s = field(f, n, "outcome")) != NULL ? s : "";
	e->attempt = (s = field(f, n, "attempt")) != NULL ? s : "";
	e->detail = (s = field(f, n, "detail")) != NULL ? s : "";
	e->ref = (s = field(f, n, "ref")) != NULL ? s : "";
	e->late = (v = field(f, n, "late")) != NULL && strcmp(v, "1") == 0;
	e->at = -1;
	if ((v = field(f, n, "at")) != NULL && *v != '\0') {
		e->at = strtoll(v, &end, 10);
		if (*end != '\0' || e->at < 0)
			e->at = -1;
	}
	return 0;
}

int
history_match(const struct history_filter *f, const struct history_entry *e)
{
	size_t	i;

	if (f->since >= 0 && (e->at < 0 || e->at < f->since))
		return 0;
	if (f->until >= 0 && (e->at < 0 || e->at >= f->until))
		return 0;
	if (f->task != NULL && strcmp(f->task, e->task) != 0)
		return 0;
	if (f->channel != NULL && strcmp(f->channel, e->channel) != 0)
		return 0;
	if (f->agencies == NULL)
		return 1;
	for (i = 0; i < f->nagencies; i++)
		if (strcmp(f->agencies[i], e->agency) == 0)
			return 1;
	return 0;
}

/* A value on one TSV line: tabs and line ends as spaces. */
static void
tsv_value(FILE *fp, const char *s, int last)
{
	for (; *s != '\0'; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
	fputc(last ? '\n' : '\t', fp);
}

void
history_print_tsv(FILE *fp, const struct history_entry *e, const char *at)
{
	tsv_value(fp, at, 0);
	tsv_value(fp, e->id, 0);
	tsv_value(fp, e->task, 0);
	tsv_value(fp, e->agency, 0);
	tsv_value(fp, e->channel, 0);
	tsv_value(fp, e->outcome, 0);
	tsv_value(fp, e->attempt, 0);
	tsv_value(fp, e->detail, 1);
}
