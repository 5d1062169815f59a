/* Message templates: {{placeholders}} filled from a reminder, and the Vietnamese date text they use. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libical/ical.h>

#include "buf.h"
#include "civil.h"
#include "log.h"
#include "parse.h"
#include "plan.h"
#include "fileio.h"
#include "reply.h"
#include "template.h"
#include "xmalloc.h"
#include "zone.h"

#define DAY_S		86400LL
#define ALLOWED		"title, task, due, due_text, agency, head, lead, " \
			"partners, window, note, fire_at, contact, " \
			"window_name, window_start, window_end, windows, " \
			"overdue, role, lead_role, partner_role, plan, " \
			"plan_number, plan_date, plan_issuer, plan_title, " \
			"code, confirm_url, escalation"

enum template_field {
	F_TITLE,
	F_TASK,
	F_DUE,
	F_DUE_TEXT,
	F_AGENCY,
	F_HEAD,
	F_LEAD,
	F_PARTNERS,
	F_WINDOW,
	F_NOTE,
	F_FIRE_AT,
	F_CONTACT,
	F_WINDOW_NAME,
	F_WINDOW_START,
	F_WINDOW_END,
	F_WINDOWS,
	F_OVERDUE,
	F_ROLE,
	F_LEAD_ROLE,
	F_PARTNER_ROLE,
	F_PLAN,
	F_PLAN_NUMBER,
	F_PLAN_DATE,
	F_PLAN_ISSUER,
	F_PLAN_TITLE,
	F_CODE,
	F_CONFIRM_URL,
	F_ESCALATION,
	F_MAX
};

/* In enum order; ALLOWED spells the same list. */
static const char *const field_names[F_MAX + 1] = {
	"title", "task", "due", "due_text", "agency", "head", "lead",
	"partners", "window", "note", "fire_at", "contact", "window_name",
	"window_start", "window_end", "windows", "overdue", "role",
	"lead_role", "partner_role", "plan", "plan_number", "plan_date",
	"plan_issuer", "plan_title", "code", "confirm_url", "escalation",
	NULL
};

#define ROLE_LEAD	"chủ trì"
#define ROLE_PARTNER	"phối hợp"

static const char *const weekday_vi[] = {
	"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu",
	"Thứ Bảy",
};

static const char *const roman[] = { "I", "II", "III", "IV" };

enum node_kind {
	N_TEXT,		/* text[off, off + len) */
	N_VALUE,	/* {{name}} */
	N_IF,		/* {{#name}}: skip to jump when the value is empty */
	N_UNLESS,	/* {{^name}}: skip to jump when it is not */
	N_END,		/* {{/name}} */
};

struct node {
	enum node_kind	kind;
	int		field;
	size_t		off, len;
	size_t		jump;		/* N_IF, N_UNLESS: the index of N_END */
};

struct template {
	char		*name;
	char		*text;		/* CRLF made LF, BOM dropped */
	struct node	*nodes;
	size_t		 n, cap;
	uint64_t	 uses;		/* a bit per field it names */
};

#define USES(f)		((uint64_t)1 << (f))
#define USES_ALL	(~(uint64_t)0)

/* An open section while parsing. */
struct open_section {
	size_t		node;
	int		field;
	char		sigil;
	unsigned	line;
};

/* Appends a node; empty text is left out. */
static void
template_push(struct template *t, enum node_kind kind, int field, size_t off,
    size_t len)
{
	struct node	*nv;
	size_t		 ncap;

	if (kind == N_TEXT && len == 0)
		return;
	if (kind != N_TEXT)
		t->uses |= USES(field);
	if (t->n == t->cap) {
		ncap = t->cap ? t->cap * 2 : 16;
		nv = xreallocarray(t->nodes, ncap, sizeof(*nv));
		t->nodes = nv;
		t->cap = ncap;
	}
	t->nodes[t->n].kind = kind;
	t->nodes[t->n].field = field;
	t->nodes[t->n].off = off;
	t->nodes[t->n].len = len;
	t->nodes[t->n].jump = 0;
	t->n++;
}

/* The field called name (len bytes), or -1. */
static int
template_field(const char *name, size_t len)
{
	int	i;

	for (i = 0; i < F_MAX; i++) {
		if (strlen(field_names[i]) == len &&
		    strncmp(field_names[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* An unknown name inside {{...}}: the error, with a suggestion if one is near. */
static void
template_unknown(struct diag *d, const char *file, unsigned line, char sigil,
    const char *name, size_t len)
{
	const char	*near;
	char		*word;
	char		 s[2] = { sigil, '\0' };

	if (len == 0) {
		diag_error(d, file, line, "empty placeholder {{%s}} (allowed: "
		    ALLOWED ")", s);
		return;
	}
	word = xstrndup(name, len);
	if ((near = parse_nearest(word, field_names)) != NULL)
		diag_error(d, file, line, "unknown placeholder {{%s%s}}; did "
		    "you mean {{%s%s}}? (allowed: " ALLOWED ")", s, word, s,
		    near);
	else
		diag_error(d, file, line, "unknown placeholder {{%s%s}} "
		    "(allowed: " ALLOWED ")", s, word);
	free(word);
}

/* Each line must be UTF-8: what Zalo, mail and JSON all need. */
static int
template_check_utf8(const char *file, unsigned first, const char *text,
    struct diag *d)
{
	const char	*p = text, *nl;
	unsigned	 line = first;
	json_t		*s;
	size_t		 n;
	int		 bad = 0;

	for (;;) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		/* jansson checks UTF-8 when it builds a string. */
		if ((s = json_stringn(p, n)) == NULL) {
			diag_error(d, file, line, "the line is not valid UTF-8; "
			    "save the file as UTF-8");
			bad = 1;
		}
		json_decref(s);
		if (nl == NULL)
			break;
		p = nl + 1;
		line++;
	}
	return bad ? -1 : 0;
}

/* The copy the nodes point into: no byte-order mark, CRLF as LF. */
static char *
template_normalize(const char *text)
{
	char		*out, *o;
	const char	*p = text;

	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	out = xmalloc(strlen(p) + 1);
	for (o = out; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n')
			continue;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* 1 when only spaces and tabs lie in [a, b). */
static int
blank(const char *a, const char *b)
{
	for (; a < b; a++) {
		if (*a != ' ' && *a != '\t')
			return 0;
	}
	return 1;
}

struct template *
template_parse(const char *name, const char *text, struct diag *d)
{
	return template_parse_at(name, 1, text, d);
}

struct template *
template_parse_at(const char *name, unsigned first, const char *text,
    struct diag *d)
{
	struct template		*t;
	struct open_section	*stack = NULL, *ns;
	size_t			 depth = 0, scap = 0, pos = 0, lit_end, next;
	const char		*s, *q, *c, *in, *ine, *ls, *le, *counted;
	unsigned		 line = first;
	size_t			 errors = d->nerrors;
	char			 sigil;
	int			 f;

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->text = template_normalize(text);
	s = t->text;
	template_check_utf8(name, first, s, d);
	counted = s;
	while ((q = strstr(s + pos, "{{")) != NULL) {
		for (; counted < q; counted++)
			line += *counted == '\n';
		/* The closing braces on the same line, before another "{{". */
		for (c = q + 2; *c != '\0' && *c != '\n' &&
		    strncmp(c, "}}", 2) != 0 && strncmp(c, "{{", 2) != 0; c++)
			;
		if (strncmp(c, "}}", 2) != 0) {
			diag_error(d, name, line, "unclosed {{: close the "
			    "placeholder with }} on the same line (allowed: "
			    ALLOWED ")");
			next = (size_t)(q + 2 - s);
			template_push(t, N_TEXT, -1, pos, next - pos);
			pos = next;
			continue;
		}
		for (in = q + 2; *in == ' ' || *in == '\t'; in++)
			;
		sigil = (*in == '#' || *in == '^' || *in == '/') ? *in++ : '\0';
		for (; *in == ' ' || *in == '\t'; in++)
			;
		for (ine = c; ine > in && (ine[-1] == ' ' || ine[-1] == '\t');
		    ine--)
			;
		f = template_field(in, (size_t)(ine - in));
		if (f == -1)
			template_unknown(d, name, line, sigil, in,
			    (size_t)(ine - in));
		lit_end = (size_t)(q - s);
		next = (size_t)(c + 2 - s);
		/* A section tag alone on its line takes the line with it. */
		if (sigil != '\0') {
			for (ls = q; ls > s && ls[-1] != '\n'; ls--)
				;
			for (le = c + 2; *le != '\0' && *le != '\n'; le++)
				;
			if (blank(ls, q) && blank(c + 2, le) &&
			    (size_t)(ls - s) >= pos) {
				lit_end = (size_t)(ls - s);
				next = (size_t)(le - s) + (*le == '\n');
			}
		}
		template_push(t, N_TEXT, -1, pos, lit_end - pos);
		pos = next;
		if (f == -1)
			continue;
		switch (sigil) {
		case '\0':
			template_push(t, N_VALUE, f, 0, 0);
			break;
		case '#':
		case '^':
			if (depth == scap) {
				scap = scap ? scap * 2 : 8;
				ns = xreallocarray(stack, scap, sizeof(*ns));
				stack = ns;
			}
			stack[depth].node = t->n;
			stack[depth].field = f;
			stack[depth].sigil = sigil;
			stack[depth++].line = line;
			template_push(t, sigil == '#' ? N_IF : N_UNLESS, f, 0,
			    0);
			break;
		case '/':
			if (depth == 0) {
				diag_error(d, name, line, "{{/%s}} closes no "
				    "section; open it with {{#%s}} or {{^%s}}",
				    field_names[f], field_names[f],
				    field_names[f]);
				break;
			}
			ns = &stack[--depth];
			if (ns->field != f)
				diag_error(d, name, line, "{{/%s}} does not "
				    "match {{%c%s}} of line %u; close that "
				    "with {{/%s}}", field_names[f], ns->sigil,
				    field_names[ns->field], ns->line,
				    field_names[ns->field]);
			t->nodes[ns->node].jump = t->n;
			template_push(t, N_END, f, 0, 0);
			break;
		}
	}
	template_push(t, N_TEXT, -1, pos, strlen(s + pos));
	while (depth > 0) {
		ns = &stack[--depth];
		diag_error(d, name, ns->line, "{{%c%s}} is not closed; end the "
		    "section with {{/%s}}", ns->sigil, field_names[ns->field],
		    field_names[ns->field]);
	}
	free(stack);
	if (d->nerrors > errors) {
		template_free(t);
		return NULL;
	}
	return t;
}

struct template *
template_load(const char *path, struct diag *d)
{
	struct template	*t;
	char		*buf, why[512];

	if (file_read(path, FILE_TEXT, FILE_MAX_TEMPLATE, &buf, NULL, why,
	    sizeof(why)) == -1) {
		diag_error(d, path, 0, "%s", why);
		return NULL;
	}
	t = template_parse(path, buf, d);
	free(buf);
	return t;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->text);
	free(t->nodes);
	free(t);
}

const char *
template_name(const struct template *t)
{
	return t->name;
}

/* Two days "YYYY-MM-DD[..YYYY-MM-DD]"; -1 if due is not that. */
static int
template_due_days(const char *due, plan_day *a, plan_day *b)
{
	const char	*dots = strstr(due, "..");
	char		 first[16];

	if (dots == NULL) {
		if (plan_parse_day(due, a) == -1)
			return -1;
		*b = *a;
		return 0;
	}
	if ((size_t)(dots - due) >= sizeof(first))
		return -1;
	memcpy(first, due, (size_t)(dots - due));
	first[dots - due] = '\0';
	if (plan_parse_day(first, a) == -1 || plan_parse_day(dots + 2, b) == -1)
		return -1;
	return 0;
}

/* The last day of month m + n of year y (n months after m). */
static plan_day
month_last(int y, int m, int n)
{
	m += n;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	return plan_day_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
	    1) - 1;
}

void
template_due_text(const char *due, const char *period, char *buf, size_t len)
{
	plan_day	a, b;
	int		y, m, dd, y2, m2, d2;
	int		month, quarter;

	if (due == NULL || *due == '\0') {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (template_due_days(due, &a, &b) == -1) {
		snprintf(buf, len, "%s", due);
		return;
	}
	plan_day_to_ymd(a, &y, &m, &dd);
	month = period != NULL && strcmp(period, "month") == 0;
	quarter = period != NULL && strcmp(period, "quarter") == 0;
	if (period == NULL || (!month && !quarter &&
	    strcmp(period, "day") != 0)) {
		/* No period given: the span says what it is. */
		month = dd == 1 && b == month_last(y, m, 0);
		quarter = dd == 1 && (m - 1) % 3 == 0 &&
		    b == month_last(y, m, 2);
	}
	if (quarter)
		snprintf(buf, len, "quý %s/%d", roman[(m - 1) / 3], y);
	else if (month)
		snprintf(buf, len, "tháng %d/%d", m, y);
	else if (a == b)
		snprintf(buf, len, "%s, ngày %02d/%02d/%04d",
		    weekday_vi[plan_weekday(a)], dd, m, y);
	else {
		plan_day_to_ymd(b, &y2, &m2, &d2);
		snprintf(buf, len, "từ ngày %02d/%02d/%04d đến ngày "
		    "%02d/%02d/%04d", dd, m, y, d2, m2, y2);
	}
}

/* The local day of an instant in zone tz, and its seconds; -1 if unknown. */
static int
template_local(int64_t ms, const char *tz, int64_t *day, int64_t *sod)
{
	icaltimezone		*z;
	struct icaltimetype	 tt;
	int64_t			 s, local;
	int			 off, dst;

	if (ms <= 0)
		return -1;
	if ((z = zone_find(tz ? tz :
	    TEMPLATE_DEFAULT_TZ)) == NULL)
		return -1;
	s = civil_floordiv(ms, 1000);
	tt = icaltime_from_timet_with_zone((time_t)s, 0,
	    icaltimezone_get_utc_timezone());
	off = icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
	local = s + off;
	*day = civil_floordiv(local, DAY_S);
	*sod = local - *day * DAY_S;
	return 0;
}

int
template_fire_text(int64_t ms, const char *tz, char *buf, size_t len)
{
	int64_t	day, sod;
	int	y, m, d;

	snprintf(buf, len, "%s", "");
	if (template_local(ms, tz, &day, &sod) == -1)
		return -1;
	plan_day_to_ymd((plan_day)day, &y, &m, &d);
	snprintf(buf, len, "%02d:%02d ngày %02d/%02d/%04d", (int)(sod / 3600),
	    (int)(sod / 60 % 60), d, m, y);
	return 0;
}

/* A growing string; on running out of memory p is NULL and stays so. */
/* v as the inside of a JSON string, by jansson; -1 if it cannot be one. */
static int
template_add_json(struct buf *b, const char *v)
{
	json_t	*js;
	char	*enc;
	size_t	 n;

	if ((js = json_string(v)) == NULL ||
	    (enc = json_dumps(js, JSON_ENCODE_ANY)) == NULL) {
		json_decref(js);
		return -1;
	}
	json_decref(js);
	n = strlen(enc);
	/* enc is "\"...\"": drop the quotes. */
	buf_add(b, enc + 1, n >= 2 ? n - 2 : 0);
	free(enc);
	return 0;
}

/* Every field's value for one reminder, and the text made for them. */
struct values {
	const char	*v[F_MAX];
	char		 due[128];
	char		 fire[64];
	char		 overdue[32];
	char		 plan_date[32];
	char		 code[REPLY_CODE_SIZE];
	char		*plan;		/* malloc'd, or NULL */
	char		*note;		/* the note's placeholders filled */
	char		*escalation;	/* malloc'd, or NULL */
};

/*
 * Whole days past the due date at the instant the reminder goes out (its
 * send time, else its fire time): 0 while the occurrence lasts, 1 on the
 * day after its end. expires_at is the midnight after that end.
 */
static int
template_days_overdue(const struct reminder *r, const char *tz)
{
	int64_t	at = r->sent_at > 0 ? r->sent_at : r->fire_at;
	int64_t	d_at, d_exp, sod;

	if (r->expires_at <= 0 || at <= 0 || at < r->expires_at)
		return 0;
	if (template_local(at, tz, &d_at, &sod) == -1 ||
	    template_local(r->expires_at, tz, &d_exp, &sod) == -1)
		return 1;
	return d_at >= d_exp ? (int)(d_at - d_exp) + 1 : 1;
}

/* "Kế hoạch số N ngày D của ISSUER về TITLE", the parts there are. */
static char *
template_plan_text(const struct reminder *r, const char *date)
{
	struct buf	b = BUF_INIT;

	if ((r->plan_number == NULL || *r->plan_number == '\0') &&
	    *date == '\0' && (r->plan_issuer == NULL ||
	    *r->plan_issuer == '\0') && (r->plan_title == NULL ||
	    *r->plan_title == '\0'))
		return NULL;
	buf_puts(&b, "Kế hoạch");
	if (r->plan_number != NULL && *r->plan_number != '\0') {
		buf_puts(&b, " số ");
		buf_puts(&b, r->plan_number);
	}
	if (*date != '\0') {
		buf_puts(&b, " ngày ");
		buf_puts(&b, date);
	}
	if (r->plan_issuer != NULL && *r->plan_issuer != '\0') {
		buf_puts(&b, " của ");
		buf_puts(&b, r->plan_issuer);
	}
	if (r->plan_title != NULL && *r->plan_title != '\0') {
		buf_puts(&b, " về ");
		buf_puts(&b, r->plan_title);
	}
	return buf_take(&b, NULL);
}

static char	*template_fill(const struct template *, const char *const *,
		    enum template_escape);

/*
 * The code of a planned reminder's occurrence ("#K7Q2"): what a head quotes
 * in a reply. -1 for an ad-hoc notice or a payload without its day.
 */
static int
template_code(const struct reminder *r, char *code)
{
	char	day[11];
	size_t	n;

	if (r->task == NULL || strcmp(r->task, "adhoc") == 0 ||
	    r->due == NULL || (n = strlen(r->due)) < 10)
		return -1;
	memcpy(day, r->due + n - 10, 10);	/* a span's end day */
	day[10] = '\0';
	return reply_code(r->task, day, code);
}

char *
template_escalation(const struct reminder *r, const char *tz)
{
	struct buf	 b = BUF_INIT;
	char		 due[128], at[64], code[REPLY_CODE_SIZE];

	if (r->status == NULL)
		return NULL;
	template_due_text(r->due, r->period, due, sizeof(due));
	if (template_fire_text(r->fire_at, tz, at, sizeof(at)) == -1)
		at[0] = '\0';
	if (r->head)
		buf_printf(&b, "Kính gửi: %s (%s),\n\n", r->head,
		    r->agency_name ? r->agency_name : r->agency);
	else
		buf_printf(&b, "Kính gửi: Lãnh đạo %s,\n\n",
		    r->agency_name ? r->agency_name : r->agency);
	buf_printf(&b, "Nhiệm vụ: %s\nThời hạn: %s\n", r->title ? r->title :
	    r->task, due);
	if (r->lead)
		buf_printf(&b, "Đơn vị chủ trì: %s\n", r->lead);
	buf_printf(&b, "\n%s%s%s%d/%d đơn vị chưa báo cáo hoàn thành:\n%s\n",
	    at[0] ? "Đến " : "", at, at[0] ? ", " : "", r->open,
	    r->recipients, r->status);
	buf_puts(&b, "\nĐề nghị đôn đốc các đơn vị chưa hoàn thành.");
	if (template_code(r, code) == 0)
		buf_printf(&b, "\nMã nhiệm vụ: %s", code);
	buf_putc(&b, '\n');
	return buf_take(&b, NULL);
}

/* Every field's value for r into vs; template_values_clear frees it. */
static void
template_values(const struct reminder *r, const char *tz, uint64_t uses,
    struct values *vs)
{
	const char	**v = vs->v, *v2[F_MAX];
	struct template	 *nt;
	struct diag	  d;
	plan_day	  pd;
	int		  late, y, m, dd, lead, partner;

	memset(vs, 0, sizeof(*vs));
	/* A note may name any field: then every one is worked out. */
	if ((uses & USES(F_NOTE)) && r->note != NULL &&
	    strstr(r->note, "{{") != NULL)
		uses = USES_ALL;
	template_due_text(r->due, r->period, vs->due, sizeof(vs->due));
	if (uses & USES(F_FIRE_AT))
		template_fire_text(r->fire_at, tz, vs->fire, sizeof(vs->fire));
	if ((uses & USES(F_OVERDUE)) &&
	    (late = template_days_overdue(r, tz)) > 0)
		snprintf(vs->overdue, sizeof(vs->overdue), "%d ngày", late);
	if (r->plan_date != NULL && plan_parse_day(r->plan_date, &pd) == 0) {
		plan_day_to_ymd(pd, &y, &m, &dd);
		snprintf(vs->plan_date, sizeof(vs->plan_date),
		    "%02d/%02d/%04d", dd, m, y);
	} else if (r->plan_date != NULL)
		snprintf(vs->plan_date, sizeof(vs->plan_date), "%s",
		    r->plan_date);
	if (uses & USES(F_PLAN))
		vs->plan = template_plan_text(r, vs->plan_date);
	lead = r->role != NULL && strcmp(r->role, "lead") == 0;
	partner = r->role != NULL && strcmp(r->role, "partner") == 0;

	v[F_TITLE] = r->title ? r->title : r->task ? r->task : "";
	v[F_TASK] = r->task;
	v[F_DUE] = r->due;
	v[F_DUE_TEXT] = vs->due;
	v[F_AGENCY] = r->agency_name ? r->agency_name : r->agency;
	v[F_HEAD] = r->head;
	v[F_LEAD] = r->lead;
	v[F_PARTNERS] = r->partners;
	v[F_WINDOW] = r->window;
	v[F_NOTE] = r->note;
	v[F_FIRE_AT] = vs->fire;
	v[F_CONTACT] = r->contact;	/* the recipient's address */
	v[F_WINDOW_NAME] = r->window_name;
	v[F_WINDOW_START] = r->window_start;
	v[F_WINDOW_END] = r->window_end;
	v[F_WINDOWS] = r->windows;
	v[F_OVERDUE] = vs->overdue;
	v[F_ROLE] = lead ? ROLE_LEAD : partner ? ROLE_PARTNER : NULL;
	v[F_LEAD_ROLE] = lead ? ROLE_LEAD : NULL;
	v[F_PARTNER_ROLE] = partner ? ROLE_PARTNER : NULL;
	v[F_PLAN] = vs->plan;
	v[F_PLAN_NUMBER] = r->plan_number;
	v[F_PLAN_DATE] = vs->plan_date;
	v[F_PLAN_ISSUER] = r->plan_issuer;
	v[F_PLAN_TITLE] = r->plan_title;
	if ((uses & USES(F_CODE)) && template_code(r, vs->code) == 0)
		v[F_CODE] = vs->code;
	v[F_CONFIRM_URL] = r->confirm_url;
	if ((uses & USES(F_ESCALATION)) && r->status != NULL)
		v[F_ESCALATION] = vs->escalation = template_escalation(r, tz);

	/*
	 * A note may hold placeholders too ("khung giờ {{windows}}"), checked
	 * when the plan loads; one that does not parse now is shown as it is.
	 */
	if (r->note == NULL || strstr(r->note, "{{") == NULL)
		return;
	diag_init(&d);
	if ((nt = template_parse("note", r->note, &d)) != NULL) {
		memcpy(v2, v, sizeof(v2));
		v2[F_NOTE] = NULL;
		if ((vs->note = template_fill(nt, v2, TEMPLATE_PLAIN)) != NULL)
			v[F_NOTE] = vs->note;
		template_free(nt);
	}
	diag_clear(&d);
}

static void
template_values_clear(struct values *vs)
{
	free(vs->plan);
	free(vs->note);
	free(vs->escalation);
	memset(vs, 0, sizeof(*vs));
}

/* The template filled with the values v (malloc'd); NULL out of memory. */
static char *
template_fill(const struct template *t, const char *const *v,
    enum template_escape esc)
{
	const struct node	*nd;
	const char		*val;
	struct buf		 b = BUF_INIT;
	size_t			 i;
	int			 failed = 0;

	buf_add(&b, "", 0);
	for (i = 0; i < t->n && !failed; i++) {
		nd = &t->nodes[i];
		val = nd->field >= 0 && v[nd->field] ? v[nd->field] : "";
		switch (nd->kind) {
		case N_TEXT:
			buf_add(&b, t->text + nd->off, nd->len);
			break;
		case N_VALUE:
			if (esc == TEMPLATE_JSON)
				failed = template_add_json(&b, val) == -1;
			else
				buf_add(&b, val, strlen(val));
			break;
		case N_IF:
			if (*val == '\0')
				i = nd->jump;
			break;
		case N_UNLESS:
			if (*val != '\0')
				i = nd->jump;
			break;
		case N_END:
			break;
		}
	}
	if (failed) {
		buf_clear(&b);
		return NULL;
	}
	/* The file's last newline and any blank end are not message text. */
	while (b.n > 0 && (b.p[b.n - 1] == '\n' || b.p[b.n - 1] == ' ' ||
	    b.p[b.n - 1] == '\t'))
		b.p[--b.n] = '\0';
	return buf_take(&b, NULL);
}

char *
template_render(const struct template *t, const struct reminder *r,
    enum template_escape esc, const char *tz)
{
	struct values	 vs;
	char		*s;

	template_values(r, tz, t->uses, &vs);
	s = template_fill(t, vs.v, esc);
	template_values_clear(&vs);
	return s;
}

char *
template_note(const struct reminder *r, const char *tz)
{
	struct values	 vs;
	char		*s;

	template_values(r, tz, USES(F_NOTE), &vs);
	s = xstrdup(vs.v[F_NOTE] ? vs.v[F_NOTE] : "");
	template_values_clear(&vs);
	return s;
}

/* 1 when s ends with sentence punctuation (so no '.' is added). */
static int
ends_sentence(const char *s)
{
	size_t	n = strlen(s), e = strlen("…");

	if (n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?'))
		return 1;
	return n >= e && strcmp(s + n - e, "…") == 0;
}

char *
template_text_default(const struct reminder *r, const char *tz)
{
	struct values	 vs;
	const char	**v = vs.v, *agency, *head, *lead;
	struct buf	 b = BUF_INIT;
	int		 span;

	if (r->text != NULL)
		return xstrdup(r->text);
	template_values(r, tz, USES(F_AGENCY) | USES(F_TITLE) | USES(F_NOTE) |
	    USES(F_PARTNER_ROLE) | USES(F_LEAD_ROLE) | USES(F_DUE_TEXT) |
	    USES(F_OVERDUE) | (r->late ? USES(F_FIRE_AT) : 0), &vs);
	agency = v[F_AGENCY] ? v[F_AGENCY] : "";
	head = r->head != NULL && *r->head != '\0' ? r->head : NULL;
	lead = r->lead != NULL && *r->lead != '\0' ? r->lead : NULL;

	buf_puts(&b, "Kính gửi: ");
	if (head == NULL) {
		buf_puts(&b, "Lãnh đạo ");
		buf_puts(&b, agency);
	} else {
		buf_puts(&b, head);
		/* "Trưởng phòng Nội vụ" already names Phòng Nội vụ. */
		if (*agency != '\0' && strcasestr(head, agency) == NULL) {
			buf_puts(&b, " - ");
			buf_puts(&b, agency);
		}
	}
	buf_puts(&b, ".\nNhắc việc: ");
	buf_puts(&b, v[F_TITLE]);
	if (!ends_sentence(v[F_TITLE]))
		buf_puts(&b, ".");
	if (vs.due[0] != '\0') {
		span = strncmp(vs.due, "tháng", strlen("tháng")) == 0 ||
		    strncmp(vs.due, "quý", strlen("quý")) == 0;
		buf_puts(&b, "\nThời hạn: ");
		if (span)
			buf_puts(&b, "trong ");
		buf_puts(&b, vs.due);
		buf_puts(&b, ".");
	}
	if (lead != NULL) {
		buf_puts(&b, "\nĐơn vị chủ trì: ");
		buf_puts(&b, lead);
		buf_puts(&b, ".");
	}
	if (r->partners != NULL && *r->partners != '\0') {
		buf_puts(&b, "\nĐơn vị phối hợp: ");
		buf_puts(&b, r->partners);
		buf_puts(&b, ".");
	}
	if (v[F_NOTE] != NULL && *v[F_NOTE] != '\0') {
		buf_puts(&b, "\nGhi chú: ");
		buf_puts(&b, v[F_NOTE]);
		if (!ends_sentence(v[F_NOTE]))
			buf_puts(&b, ".");
	}
	/* What the recipient is asked: its part, and no passed deadline kept. */
	if (vs.overdue[0] != '\0') {
		buf_puts(&b, "\nThời hạn trên đã qua ");
		buf_puts(&b, vs.overdue);
		buf_puts(&b, ". Nếu đã hoàn thành, xin bỏ qua tin nhắn này; nếu "
		    "chưa, đề nghị quý cơ quan khẩn trương ");
		if (v[F_PARTNER_ROLE] != NULL && lead != NULL) {
			buf_puts(&b, "phối hợp với ");
			buf_puts(&b, lead);
			buf_puts(&b, " thực hiện.");
		} else if (v[F_LEAD_ROLE] != NULL)
			buf_puts(&b, "chủ trì thực hiện.");
		else
			buf_puts(&b, "thực hiện.");
	} else if (v[F_PARTNER_ROLE] != NULL && lead != NULL) {
		buf_puts(&b, "\nĐề nghị quý cơ quan phối hợp với ");
		buf_puts(&b, lead);
		buf_puts(&b, " triển khai, bảo đảm đúng thời hạn.");
	} else if (v[F_LEAD_ROLE] != NULL)
		buf_puts(&b, "\nĐề nghị quý cơ quan chủ trì, chủ động triển khai, "
		    "bảo đảm đúng thời hạn.");
	else
		buf_puts(&b, "\nĐề nghị quý cơ quan chủ động triển khai, bảo đảm "
		    "đúng thời hạn.");
	if (r->late && vs.fire[0] != '\0') {
		buf_puts(&b, "\n(Tin nhắn gửi chậm so với lịch: lẽ ra gửi lúc ");
		buf_puts(&b, vs.fire);
		buf_puts(&b, ".)");
	}
	buf_puts(&b, "\nĐây là tin nhắn nhắc việc tự động theo kế hoạch của "
	    "UBND huyện.");
	template_values_clear(&vs);
	return buf_take(&b, NULL);
}

size_t
template_utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

char *
template_resolve(const char *base, const char *path)
{
	char	*copy, *dir, *abs = NULL, *out, cwd[PATH_MAX];

	if (path[0] == '/') {
		out = xstrdup(path);
		return out;
	}
	copy = xstrdup(base);
	dir = dirname(copy);
	if ((abs = realpath(dir, NULL)) == NULL) {
		/* Not on this machine (a plan read back from Redis). */
		if (dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
			abs = xstrdup(dir);
		else if (strcmp(dir, ".") == 0)
			abs = xstrdup(cwd);
		else
			xasprintf(&abs, "%s/%s", cwd, dir);
	}
	xasprintf(&out, "%s/%s", strcmp(abs, "/") == 0 ? "" : abs, path);
	free(abs);
	free(copy);
	return out;
}

