/* Message templates: {{placeholders}} filled from a reminder, and the Vietnamese date text they use. */
#ifndef NV_TEMPLATE_H
#define NV_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "reminder.h"

#define TEMPLATE_DEFAULT_TZ	"Asia/Ho_Chi_Minh"
#define TEMPLATE_ZALO_MAX	2000	/* code points in a Zalo text */

/*
 * A parsed template. The text holds {{name}} (spaces allowed inside the
 * braces) with name one of: title, task, due, due_text, agency, head, lead,
 * partners, window, note, fire_at, contact (the recipient's address);
 * window_name, window_start, window_end (the reminder's broadcast window),
 * windows (every window: "11:00–11:30 và 16:45–18:30"); overdue ("1 ngày"
 * when sent after the due date, else empty); role ("chủ trì" to the lead,
 * "phối hợp" to a partner), lead_role and partner_role (set only for the
 * one); plan ("Kế hoạch số … ngày … của … về …"), plan_number, plan_date,
 * plan_issuer, plan_title. And sections {{#name}}...{{/name}} (kept when
 * the value is not empty) and {{^name}}...{{/name}} (kept when it is). A
 * section tag alone on its line takes the whole line with it. One final
 * newline of a file is not part of the text. A note's own placeholders are
 * filled the same way.
 */
struct template;

enum template_escape {
	TEMPLATE_PLAIN,		/* values inserted as they are */
	TEMPLATE_JSON,		/* values JSON-string-escaped, for "{{x}}" */
};

/*
 * Read and parse a template file; every error goes to d as PATH:LINE.
 * NULL when there was any.
 */
struct template	*template_load(const char *path, struct diag *d);
/* The same from text; name is the FILE of the messages. */
struct template	*template_parse(const char *name, const char *text,
		    struct diag *d);
/* The same, the text's first line being line `first` of FILE. */
struct template	*template_parse_at(const char *name, unsigned first,
		    const char *text, struct diag *d);
void		 template_free(struct template *);
/* The name or path it was parsed under. */
const char	*template_name(const struct template *);

/*
 * The template filled from r (malloc'd), fire_at in zone tz (NULL: the
 * default). Missing values are empty. NULL when out of memory, or, with
 * TEMPLATE_JSON, when a value is not valid UTF-8.
 */
char	*template_render(const struct template *, const struct reminder *r,
	    enum template_escape, const char *tz);
/* The reminder's note with its placeholders filled (malloc'd, "" for none). */
char	*template_note(const struct reminder *r, const char *tz);
/*
 * The message when no template is set (malloc'd): the reminder in plain
 * Vietnamese, several lines; an ad-hoc notice's own text as it is.
 */
char	*template_text_default(const struct reminder *r, const char *tz);

/* Code points in UTF-8 text (what Zalo's 2000-character limit counts). */
size_t	 template_utf8_chars(const char *);

/*
 * The values the placeholders take. due_text: "Thứ Bảy, ngày 30/04/2022"
 * for a day, "tháng 4/2022" for a month, "quý II/2022" for a quarter, "từ
 * ngày 01/04/2022 đến ngày 15/04/2022" for another span; period (day,
 * month, quarter) may be NULL: the span decides. Empty for a NULL due.
 */
void	 template_due_text(const char *due, const char *period, char *buf,
	    size_t len);
/* "08:00 ngày 29/04/2022" in zone tz (NULL: the default); -1 if unknown. */
int	 template_fire_text(int64_t ms, const char *tz, char *buf, size_t len);
/*
 * An escalation's message (malloc'd; NULL when r is none): to the agency
 * that follows the task up, how its recipients stand, and the code.
 */
char	*template_escalation(const struct reminder *, const char *tz);

/*
 * A path from a plan or config file: an absolute path as it is, a relative
 * one against the directory of base (a file), made absolute (malloc'd).
 */
char	*template_resolve(const char *base, const char *path);


#endif
