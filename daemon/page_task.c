/* Nhiệm vụ (/tasks, /tasks/ID and its phone-call form): the follow-ups of a period read from their hashes (Cơ quan is page_agency.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "follow.h"
#include "i18n.h"
#include "log.h"
#include "schedule.h"
#include "text.h"
#include "web.h"
#include "xmalloc.h"

#define TASK_OCC_MAX	400	/* columns of a matrix */
#define PERIOD_MAX_DAYS	366

/* An occurrence's hash, copied: field, value, field, value... */
struct pt_hash {
	char	**fields;
	size_t	  n;
};

static void
pt_hash_copy(struct pt_hash *h, char *const *fields, size_t n)
{
	size_t	i;

	h->fields = xcalloc(n + 1, sizeof(*h->fields));
	for (i = 0; i < n; i++)
		h->fields[i] = page_strdup(fields[i]);
	h->n = n;
}

static void
pt_hash_clear(struct pt_hash *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		free(h->fields[i]);
	free(h->fields);
	memset(h, 0, sizeof(*h));
}

/* --- /tasks ------------------------------------------------------------ */

struct pt_count {
	char		*task;
	long long	 occurrences;
	long long	 follow[FU_STATES];
};

struct pt_tasks {
	struct view_period	 period;
	struct pt_count		*c;
	size_t			 n;
};

static void
pt_tasks_free(void *arg)
{
	struct pt_tasks	*t = arg;
	size_t		 i;

	for (i = 0; i < t->n; i++)
		free(t->c[i].task);
	free(t->c);
	free(t);
}

static struct pt_count *
pt_count(struct pt_tasks *t, const char *task)
{
	struct pt_count	*c;
	size_t		 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->c[i].task, task) == 0)
			return &t->c[i];
	c = xreallocarray(t->c, t->n + 1, sizeof(*c));
	t->c = c;
	c = &t->c[t->n++];
	memset(c, 0, sizeof(*c));
	c->task = page_strdup(task);
	return c;
}

static void
pt_tasks_occ(struct page *p, const char *occ, int64_t due_end,
    char *const *fields, size_t nfields)
{
	struct pt_tasks	*t = p->data;
	struct pt_count	*c;
	struct followup	*v = NULL;
	size_t		 n = 0, cap = 0, i;

	if (p->nv->plan == NULL || followup_read(p->nv->plan, occ, due_end,
	    fields, nfields, &v, &n, &cap) == -1 || n == 0) {
		free(v);
		return;
	}
	c = pt_count(t, v[0].task->id);
	c->occurrences++;
	for (i = 0; i < n; i++)
		c->follow[followup_state(&v[i], p->ctx.now)]++;
	free(v);
}

static void
pt_tasks_render(struct page *p)
{
	struct pt_tasks		*t = p->data;
	const struct plan	*plan = p->nv->plan;
	struct view_task_row	*rows;
	struct pt_count		*c;
	struct html		 h;
	size_t			 i, n = 0;

	rows = xcalloc(plan ? plan->ntasks + 1 : 1, sizeof(*rows));
	for (i = 0; plan != NULL && i < plan->ntasks; i++) {
		rows[n].task = &plan->tasks[i];
		c = pt_count(t, plan->tasks[i].id);
		rows[n].occurrences = c->occurrences;
		memcpy(rows[n].follow, c->follow, sizeof(c->follow));
		n++;
	}
	html_init(&h);
	view_tasks(&h, &p->ctx, &t->period, rows, n);
	page_html(p, 200, &h);
	free(rows);
}

void
page_tasks(struct page *p)
{
	struct pt_tasks		*t;
	struct view_period	 def;

	t = xcalloc(1, sizeof(*t));
	p->data = t;
	p->data_free = pt_tasks_free;
	page_month(p, &def);
	page_period(p, def.from, def.to, PERIOD_MAX_DAYS, &t->period);
	page_occurrences(p, page_day_ms(p, t->period.from) + 1,
	    page_due_end(p, t->period.to), pt_tasks_occ, pt_tasks_render);
	page_go(p, p->next);
}

/* --- /tasks/ID: the matrix --------------------------------------------- */

/* An escalation the plan gives an occurrence, and its state. */
struct pt_esc {
	char	*due;
	char	*agency;
	char	*channel;
	char	*id;
	char	*state;		/* NULL: not claimed yet */
	int64_t	 at;		/* its instant in its channel's {p}:due:CHANNEL, or 0 */
};

struct pt_matrix {
	struct view_period	 period;
	char			*task;
	char			**dues;
	int64_t			 *ends;
	struct pt_hash		 *hash;
	size_t			  n;
	size_t			  got;
	struct pt_esc		 *esc;
	size_t			  nesc;
};

static void
pt_matrix_free(void *arg)
{
	struct pt_matrix	*m = arg;
	size_t			 i;

	for (i = 0; i < m->n; i++) {
		free(m->dues[i]);
		pt_hash_clear(&m->hash[i]);
	}
	for (i = 0; i < m->nesc; i++) {
		free(m->esc[i].due);
		free(m->esc[i].agency);
		free(m->esc[i].channel);
		free(m->esc[i].id);
		free(m->esc[i].state);
	}
	free(m->esc);
	free(m->dues);
	free(m->ends);
	free(m->hash);
	free(m->task);
	free(m);
}

static void
pt_matrix_esc_due(struct page *p, redisReply *r)
{
	struct pt_matrix	*m = p->data;
	size_t			 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements &&
	    i < m->nesc; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING)
			m->esc[i].at = strtoll(r->element[i]->str, NULL, 10);
}

static void
pt_matrix_esc_states(struct page *p, redisReply *r)
{
	struct pt_matrix	*m = p->data;
	size_t			 i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements &&
	    i < m->nesc; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING)
			m->esc[i].state = page_strdup(r->element[i]->str);
}

/* One escalation id, once. */
static void
pt_esc_add(struct pt_matrix *m, const char *task, const char *due,
    const char *spec, const char *agency, const char *channel)
{
	struct pt_esc	*e;
	char		*id;
	size_t		 i;

	xasprintf(&id, "%s/%s/%s/%s/%s", task, due, spec, agency, channel);
	for (i = 0; i < m->nesc; i++)
		if (strcmp(m->esc[i].id, id) == 0) {
			free(id);
			return;
		}
	e = xreallocarray(m->esc, m->nesc + 1, sizeof(*e));
	m->esc = e;
	e = &m->esc[m->nesc++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->due = page_strdup(due);
	e->agency = page_strdup(agency);
	e->channel = page_strdup(channel);
}

/*
 * The escalations of the matrix's occurrences, as the plan names them
 * (TASK/DUE/escalate:SPEC/AGENCY/CHANNEL), their states (HMGET) and
 * when those still due go (due_read.lua); one never planned (no contact for
 * the channel) has neither.
 */
static void
pt_matrix_esc(struct page *p, const struct plan_task *t)
{
	struct pt_matrix		 *m = p->data;
	const struct plan_escalation	 *x;
	const struct plan_agency	**who;
	const char			**argv;
	size_t				  i, j, k, a, c, n;

	for (i = 0; i < m->n; i++)
		for (j = 0; j < t->nescalate; j++) {
			x = &t->escalate[j];
			for (k = 0; k < x->nto; k++) {
				n = plan_members(p->nv->plan, x->to[k], &who);
				for (a = 0; a < n; a++)
					for (c = 0; c < t->nchannels; c++)
						pt_esc_add(m, t->id, m->dues[i],
						    x->spec.text, who[a]->id,
						    t->channels[c]);
				free(who);
			}
		}
	if (m->nesc == 0)
		return;
	argv = xcalloc(m->nesc + 2, sizeof(*argv));
	argv[0] = "HMGET";
	argv[1] = p->nv->keys.state;
	for (i = 0; i < m->nesc; i++)
		argv[2 + i] = m->esc[i].id;
	page_command(p, pt_matrix_esc_states, (int)m->nesc + 2, argv);
	argv[1] = "scores";
	page_script(p, &p->nv->keys, SCRIPT_DUE_READ, pt_matrix_esc_due,
	    (int)m->nesc + 1, argv + 1);
	free(argv);
}

static void
pt_matrix_hash(struct page *p, redisReply *r)
{
	struct pt_matrix	*m = p->data;
	char			**fields;
	size_t			 i;

	if (m->got >= m->n)
		return;
	if (r->type == REDIS_REPLY_ARRAY) {
		fields = xcalloc(r->elements + 1, sizeof(*fields));
		for (i = 0; i < r->elements; i++)
			fields[i] = (char *)page_str(r->element[i]);
		pt_hash_copy(&m->hash[m->got], fields, r->elements);
		free(fields);
	}
	m->got++;
}

static void
pt_matrix_render(struct page *p)
{
	struct pt_matrix		*m = p->data;
	const struct plan		*plan = p->nv->plan;
	const struct plan_task		*t;
	const struct plan_agency	**rec = NULL, *lead;
	struct view_matrix		 v;
	struct view_escalation		*esc;
	struct followup			*f = NULL;
	const char			**notes = NULL;
	char				 occ[400];
	size_t				 i, j, nf = 0, cap = 0, nrec, before;
	struct html			 h;

	if (plan == NULL || (t = plan_task_find(plan, m->task)) == NULL) {
		page_error(p, 404, "Không có nhiệm vụ này", "Kế hoạch vừa nạp "
		    "không còn nhiệm vụ này.");
		return;
	}
	nrec = plan_recipients(plan, t, &rec);
	lead = t->lead ? plan_agency_find(plan, t->lead) : NULL;
	if (nrec == 0 && lead != NULL) {
		free(rec);
		rec = xcalloc(1, sizeof(*rec));
		rec[nrec++] = lead;
	}
	notes = xcalloc(m->n * nrec + 1, sizeof(*notes));
	for (i = 0; i < m->n; i++) {
		snprintf(occ, sizeof(occ), "%s/%s", t->id, m->dues[i]);
		before = nf;
		if (followup_read(plan, occ, m->ends[i], m->hash[i].fields,
		    m->hash[i].n, &f, &nf, &cap) == -1 || nf - before != nrec) {
			page_error(p, 500, "Không đọc được nhiệm vụ",
			    "Kế hoạch và các kỳ hạn không khớp nhau; tải lại "
			    "trang.");
			free(notes);
			free(f);
			free(rec);
			return;
		}
		for (j = 0; j < nrec; j++)
			notes[i * nrec + j] = page_note(m->hash[i].fields,
			    m->hash[i].n, rec[j]->id);
	}
	esc = xcalloc(m->nesc + 1, sizeof(*esc));
	for (i = 0, j = 0; i < m->nesc; i++) {
		if (m->esc[i].state == NULL && m->esc[i].at == 0)
			continue;
		esc[j].due = m->esc[i].due;
		esc[j].agency = m->esc[i].agency;
		esc[j].channel = m->esc[i].channel;
		esc[j].at = m->esc[i].at;
		esc[j++].state = m->esc[i].state ? m->esc[i].state : "due";
	}
	memset(&v, 0, sizeof(v));
	v.esc = esc;
	v.nesc = j;
	v.task = t;
	v.period = m->period;
	v.dues = (const char **)m->dues;
	v.nocc = m->n;
	v.recipients = rec;
	v.nrec = nrec;
	v.f = f;
	v.notes = notes;
	html_init(&h);
	view_matrix(&h, &p->ctx, &v);
	page_html(p, 200, &h);
	free(esc);
	free(notes);
	free(f);
	free(rec);
}

void
page_task(struct page *p)
{
	const struct plan_task	*t;
	struct pt_matrix	*m;
	struct occurrence	*occ = NULL;
	struct view_period	 def;
	struct keys		 k = p->nv->keys;
	const char		*argv[2];
	char			 err[300], id[400];
	size_t			 nocc = 0, i;
	int			 y, mo, d;

	if (p->nv->plan == NULL || (t = plan_task_find(p->nv->plan,
	    p->id)) == NULL) {
		page_error(p, 404, "Không có nhiệm vụ này", "Kế hoạch không có "
		    "nhiệm vụ nào mang mã này. Chọn ở trang Nhiệm vụ.");
		page_free(p);
		return;
	}
	m = xcalloc(1, sizeof(*m));
	p->data = m;
	p->data_free = pt_matrix_free;
	m->task = page_strdup(t->id);
	/* By default the quarter of today. */
	plan_day_to_ymd(page_today(p), &y, &mo, &d);
	mo = (mo - 1) / 3 * 3 + 1;
	def.from = plan_day_from_ymd(y, mo, 1);
	def.to = plan_day_from_ymd(mo == 10 ? y + 1 : y, mo == 10 ? 1 :
	    mo + 3, 1) - 1;
	page_period(p, def.from, def.to, PERIOD_MAX_DAYS, &m->period);
	if (schedule_occurrences(t, m->period.from, m->period.to, &occ, &nocc,
	    err, sizeof(err)) == -1) {
		page_error(p, 500, "Không đọc được nhiệm vụ", err);
		page_free(p);
		return;
	}
	m->dues = xcalloc(nocc + 1, sizeof(*m->dues));
	m->ends = xcalloc(nocc + 1, sizeof(*m->ends));
	m->hash = xcalloc(nocc + 1, sizeof(*m->hash));
	/* Columns: the occurrences whose due day is in the period. */
	for (i = 0; i < nocc && m->n < TASK_OCC_MAX; i++) {
		char	due[11];

		if (occ[i].end < m->period.from || occ[i].end > m->period.to)
			continue;
		plan_day_to_ymd(occ[i].end, &y, &mo, &d);
		snprintf(due, sizeof(due), "%04d-%02d-%02d", y, mo, d);
		snprintf(id, sizeof(id), "%s/%s", t->id, due);
		if (keys_set_occ(&k, id) == -1)
			continue;
		m->dues[m->n] = page_strdup(due);
		m->ends[m->n] = page_due_end(p, occ[i].end);
		m->n++;
		argv[0] = "HGETALL";
		argv[1] = k.occ;
		page_command(p, pt_matrix_hash, 2, argv);
	}
	free(occ);
	pt_matrix_esc(p, t);
	page_go(p, pt_matrix_render);
}

/* --- the phone-call form ------------------------------------------------ */

static void
pt_follow_done(struct page *p, redisReply *r)
{
	char	msg[WEB_FLASH_MAX], to[400];
	int	fresh = 0;

	if (r->type == REDIS_REPLY_ARRAY && r->elements == 2)
		fresh = r->element[0]->integer != 0;
	snprintf(msg, sizeof(msg), "%s", fresh ? "Đã ghi nhận." :
	    "Việc này đã được ghi nhận từ trước; giữ lần đầu.");
	if (fresh && r->element[1]->integer > 0)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		    " %lld nhắc việc sau đó sẽ không gửi nữa.",
		    r->element[1]->integer);
	snprintf(to, sizeof(to), "/tasks/%s", (char *)p->data);
	page_redirect(p, to, msg, 0);
}

void
page_follow(struct page *p)
{
	const char	*task = page_arg(p, "task"), *due = page_arg(p, "due");
	const char	*agency = page_arg(p, "agency");
	const char	*what = page_arg(p, "what");
	const char	*note = page_arg(p, "note");
	struct follow	 f;
	char		 err[400], detail[200], cut[320], to[400];
	int		 done;

	if (task == NULL || due == NULL || agency == NULL || what == NULL ||
	    (strcmp(what, "ack") != 0 && strcmp(what, "done") != 0)) {
		page_redirect(p, "/tasks", "Thiếu cơ quan, kỳ hạn hoặc việc "
		    "cần ghi nhận.", 1);
		page_free(p);
		return;
	}
	done = strcmp(what, "done") == 0;
	snprintf(detail, sizeof(detail), "by %s", p->by);
	if (note != NULL)
		text_printable(cut, sizeof(cut), note, strlen(note));
	if (p->nv->plan == NULL || follow_prepare(&f, &p->nv->keys,
	    p->nv->plan, p->nv->conf, task, due, agency, done ? FOLLOW_DONE :
	    FOLLOW_ACK, clock_now_ms(), "admin", detail, note && *note ? cut :
	    NULL, err, sizeof(err)) == -1) {
		snprintf(to, sizeof(to), "/tasks/%s", task);
		page_redirect(p, p->nv->plan && plan_task_find(p->nv->plan,
		    task) ? to : "/tasks", p->nv->plan ? err :
		    "Chưa có kế hoạch.", 1);
		page_free(p);
		return;
	}
	p->data = page_strdup(task);
	p->data_free = free;
	log_info("status pages: %s records %s %s of %s", p->user, agency,
	    done ? _("done") : _("acknowledged"), f.occurrence);
	page_script(p, &f.keys, SCRIPT_FOLLOW, pt_follow_done, f.argc,
	    f.argv);
	follow_clear(&f);
	page_go(p, NULL);
}
