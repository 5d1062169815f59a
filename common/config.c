/* The main config file: its typed keys, their checks and the parsed result. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "i18n.h"
#include "log.h"
#include "plan.h"
#include "schema.h"
#include "template.h"
#include "users.h"
#include "xmalloc.h"
#include "zalo.h"

#define SECTIONS_HINT	"use [redis], [plan], [ledger], [delivery], " \
			"[channel NAME], [report NAME] or [http]"
#define ID_FIRST	"abcdefghijklmnopqrstuvwxyz0123456789"
#define NAME_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789_-"
#define TOKEN_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789!#$%&'*+-.^_`|~"

/* flags of the config's keys, beside SCHEMA_REPEAT */
#define KEY_POSITIVE	0x02	/* a duration more than 0 */
#define KEY_TCP		0x04	/* an address that is HOST:PORT only */
#define KEY_MIN_DAYS	0x08	/* a duration of at least min days */

#define TYPE(t)		(1u << (t))

enum section_id {
	SECT_REDIS, SECT_PLAN, SECT_LEDGER, SECT_DELIVERY, SECT_CHANNEL,
	SECT_HTTP, SECT_ALERT, SECT_REPORT, SECT_MAX
};

/* Everything config_load keeps while the file is read. */
struct config_loader {
	struct schema		*s;
	struct config		*conf;
	struct config_channel	*chan;		/* in a [channel], else NULL */
	struct config_report	*rep;		/* in a [report], else NULL */
	int			 scratch_used;	/* a duplicate's section */

	unsigned		 sect_line[SECT_MAX];
	unsigned		 sect_seen[SECT_MAX][SCHEMA_KEYS_MAX];
	unsigned		 obj_seen[SCHEMA_KEYS_MAX];	/* chan, rep */
	unsigned		 scratch_seen[SCHEMA_KEYS_MAX];
	struct config		 scratch;
	struct config_channel	 scratch_chan;
	struct config_report	 scratch_rep;
};

static const char *const type_names[] = {
	"console", "webhook", "smtp", "zalo", NULL
};
static const char *const contact_names[] = { "zalo", "phone", "email", NULL };
static const char *const method_names[] = {
	"GET", "POST", "PUT", "PATCH", NULL
};
static const char *const every_names[] = {
	"month", "quarter", "half", "year", NULL
};
static const char *const by_names[] = { "agency", "task", NULL };

static schema_set_fn	config_set_name, config_set_duration, config_set_int,
			config_set_bool, config_set_hours, config_set_address,
			config_set_enum, config_set_type, config_set_fallback,
			config_set_header, config_set_idlist, config_set_at;

#define C(f)	offsetof(struct config, f)
#define CH(f)	offsetof(struct config_channel, f)
#define R(f)	offsetof(struct config_report, f)

static const struct schema_key redis_keys[] = {
	{ .name = "address", .set = config_set_address,
	    .off = C(redis_address), .aux = C(redis_addr) },
	{ .name = "prefix", .set = config_set_name, .off = C(prefix),
	    .def = "nhacviec" },
	{ .name = "username", .set = schema_set_string, .off = C(username) },
	{ .name = "password_file", .set = schema_set_secret,
	    .off = C(password_file) },
	/* Default: the host name and the machine id (config_fill). */
	{ .name = "consumer", .set = config_set_name, .off = C(consumer) },
	{ .name = "connect_timeout", .set = config_set_duration,
	    .off = C(connect_timeout_ms), .flags = KEY_POSITIVE, .def = "2s" },
	{ .name = "sentinels", .set = schema_set_string, .off = C(sentinels) },
	{ .name = "master", .set = config_set_name, .off = C(master) },
	{ .name = "cluster", .set = schema_set_string, .off = C(cluster) },
};

static const struct schema_key plan_keys[] = {
	/* A relative glob is relative to the config file's folder. */
	{ .name = "files", .set = schema_set_path, .off = C(plan_files),
	    .def = CONFIG_DEFAULT_PLAN_FILES },
	{ .name = "horizon", .set = config_set_duration, .off = C(horizon_ms),
	    .flags = KEY_POSITIVE, .def = "35d" },
};

static const struct schema_key ledger_keys[] = {
	/* What is older goes to the archive, then leaves Redis. */
	{ .name = "keep", .set = config_set_duration, .off = C(keep_ms),
	    .flags = KEY_MIN_DAYS, .min = CONFIG_KEEP_MIN_DAYS,
	    .def = "400d" },
	{ .name = "archive_dir", .set = schema_set_path, .off = C(archive_dir),
	    .def = CONFIG_DEFAULT_ARCHIVE_DIR },
};

static const struct schema_key delivery_keys[] = {
	{ .name = "hours", .set = config_set_hours, .off = C(hours_start),
	    .aux = C(hours_end), .def = "07:00-21:00" },
	{ .name = "grace", .set = config_set_duration, .off = C(grace_ms),
	    .def = "6h" },
	{ .name = "max_attempts", .set = config_set_int,
	    .off = C(max_attempts), .min = 1, .max = 100, .def = "8" },
	{ .name = "batch", .set = config_set_int, .off = C(batch),
	    .min = 1, .max = 10000, .def = "256" },
	{ .name = "retry_base", .set = config_set_duration,
	    .off = C(retry_base_ms), .flags = KEY_POSITIVE, .def = "30s" },
	{ .name = "retry_max", .set = config_set_duration,
	    .off = C(retry_max_ms), .flags = KEY_POSITIVE, .def = "1h" },
	{ .name = "drain_timeout", .set = config_set_duration,
	    .off = C(drain_timeout_ms), .def = "10s" },
	{ .name = "reclaim_idle", .set = config_set_duration,
	    .off = C(reclaim_idle_ms), .flags = KEY_POSITIVE, .def = "2m" },
	{ .name = "unhealthy_after", .set = config_set_duration,
	    .off = C(unhealthy_after_ms), .flags = KEY_POSITIVE, .def = "60s" },
};

/*
 * A channel's keys: those of every type, then each type's own (zalo's are
 * common/zalo.c's). The order is the order messages list them in.
 */
static const struct schema_key channel_keys[] = {
	{ .name = "type", .set = config_set_type, .off = CH(type),
	    .choices = type_names },
	{ .name = "contact", .set = config_set_enum, .off = CH(contact),
	    .choices = contact_names },
	{ .name = "fallback", .set = config_set_fallback, .off = CH(fallback) },
};

/* A URL checked once the channel's type is known; a body for a gateway. */
#define CHANNEL_URL	{ .name = "url", .set = schema_set_string,	\
			    .off = CH(url) }
#define CHANNEL_BODY	{ .name = "body_template", .set = schema_set_file, \
			    .off = CH(body_template) }

static const struct schema_key webhook_keys[] = {
	CHANNEL_URL,
	{ .name = "method", .set = config_set_enum, .off = CH(method),
	    .choices = method_names, .def = "POST" },
	{ .name = "header", .set = config_set_header, .flags = SCHEMA_REPEAT },
	CHANNEL_BODY,
};

static const struct schema_key channel_all_keys[] = {
	{ .name = "template", .set = schema_set_file, .off = CH(template) },
	{ .name = "timeout", .set = config_set_duration, .off = CH(timeout_ms),
	    .flags = KEY_POSITIVE, .def = "10s" },
	/* Default: by type and contact (config_fill). */
	{ .name = "digest", .set = config_set_bool, .off = CH(digest) },
	{ .name = "concurrency", .set = config_set_int,
	    .off = CH(concurrency), .min = 1, .max = 1000, .def = "8" },
	{ .name = "ca_file", .set = schema_set_file, .off = CH(ca_file) },
};

static const struct schema_key smtp_keys[] = {
	CHANNEL_URL,
	CHANNEL_BODY,
	{ .name = "from", .set = schema_set_string, .off = CH(from) },
	{ .name = "username", .set = schema_set_string, .off = CH(username) },
	{ .name = "password_file", .set = schema_set_secret,
	    .off = CH(password_file) },
	{ .name = "subject_template", .set = schema_set_file,
	    .off = CH(subject_template) },
};

static const struct schema_table channel_tables[] = {
	{ channel_keys, nitems(channel_keys), 0, 0 },
	{ webhook_keys, nitems(webhook_keys), TYPE(CHANNEL_WEBHOOK), 0 },
	{ channel_all_keys, nitems(channel_all_keys), 0, 0 },
	{ zalo_keys, ZALO_NKEYS, TYPE(CHANNEL_ZALO), CH(zalo) },
	{ smtp_keys, nitems(smtp_keys), TYPE(CHANNEL_SMTP), 0 },
};

static const struct schema_key http_keys[] = {
	{ .name = "listen", .set = config_set_address, .off = C(listen),
	    .aux = C(listen_addr), .flags = KEY_TCP },
	{ .name = "listen_allow_remote", .set = config_set_bool,
	    .off = C(listen_allow_remote) },
	{ .name = "max_connections", .set = config_set_int,
	    .off = C(http_max_connections), .min = 1, .max = 65536,
	    .def = "256" },
	{ .name = "idle_timeout", .set = config_set_duration,
	    .off = C(http_idle_timeout_ms), .flags = KEY_POSITIVE,
	    .def = "60s" },
	{ .name = "request_timeout", .set = config_set_duration,
	    .off = C(http_request_timeout_ms), .flags = KEY_POSITIVE,
	    .def = "10s" },
	{ .name = "public_listen", .set = config_set_address,
	    .off = C(public_listen), .aux = C(public_listen_addr),
	    .flags = KEY_TCP },
	{ .name = "public_url", .set = schema_set_url, .off = C(public_url) },
	{ .name = "link_secret_file", .set = schema_set_secret,
	    .off = C(link_secret_file) },
	{ .name = "users_file", .set = schema_set_path, .off = C(users_file) },
};

static const struct schema_key alert_keys[] = {
	{ .name = "email", .set = schema_set_string, .off = C(alert_email) },
	{ .name = "channel", .set = schema_set_string,
	    .off = C(alert_channel) },
};

static const struct schema_key report_keys[] = {
	{ .name = "every", .set = config_set_enum, .off = R(every),
	    .choices = every_names },
	/* The morning after the period. */
	{ .name = "at", .set = config_set_at, .off = R(at),
	    .def = "end+1d@08:00" },
	{ .name = "to", .set = config_set_idlist, .off = R(to), .aux = R(nto) },
	{ .name = "by", .set = config_set_enum, .off = R(by),
	    .choices = by_names, .def = "agency" },
	{ .name = "channels", .set = config_set_idlist, .off = R(channels),
	    .aux = R(nchannels) },
};

#define TABLE(keys)	(const struct schema_table[]){ { keys, nitems(keys), \
			    0, 0 } }, 1

static void	*config_begin(struct schema *, const struct schema_section *,
		    const char *, unsigned, unsigned **);
static void	*config_begin_channel(struct schema *,
		    const struct schema_section *, const char *, unsigned,
		    unsigned **);
static void	*config_begin_report(struct schema *,
		    const struct schema_section *, const char *, unsigned,
		    unsigned **);
static void	 config_end(struct schema *, void *);

/* In the order of enum section_id. */
static const struct schema_section config_sections[SECT_MAX] = {
	{ "redis", 0, TABLE(redis_keys), config_begin, config_end },
	{ "plan", 0, TABLE(plan_keys), config_begin, config_end },
	{ "ledger", 0, TABLE(ledger_keys), config_begin, config_end },
	{ "delivery", 0, TABLE(delivery_keys), config_begin, config_end },
	{ "channel", 1, channel_tables, nitems(channel_tables),
	    config_begin_channel, config_end },
	{ "http", 0, TABLE(http_keys), config_begin, config_end },
	{ "alert", 0, TABLE(alert_keys), config_begin, config_end },
	{ "report", 1, TABLE(report_keys), config_begin_report, config_end },
};

static int	config_name_check(struct schema *,
		    const struct schema_section *, const char *, unsigned);
static void	config_then(const char *, struct diag *);

static const struct schema_format config_format = {
	.sections = config_sections,
	.nsections = SECT_MAX,
	.hint = N_(SECTIONS_HINT),
	/* TRANSLATORS: a placeholder, as in [channel NAME]. */
	.placeholder = N_("NAME"),
	.name_rule = N_("made of a-z, 0-9, '_' and '-'"),
	.name_check = config_name_check,
	.then = config_then,
	.variant_key = "type",
	.variant_names = type_names,
};

static char	*config_default_consumer(void);

/* The line of key in unnamed section sect (0: not given). */
#define SECT_LINE(l, sect, key)	schema_line(&config_sections[sect], \
				    (l)->sect_seen[sect], key)

/* Every string a channel owns: what clear frees and dup copies. */
static const size_t channel_strings[] = {
	CH(name), CH(contact), CH(fallback), CH(url), CH(method),
	CH(body_template), CH(template), CH(subject_template), CH(ca_file),
	CH(from), CH(username), CH(password_file),
};

/* The strings a report owns. */
static const size_t report_strings[] = { R(name), R(every), R(at), R(by) };

/* The strings the config owns. */
static const size_t config_strings[] = {
	C(path), C(sentinels), C(master), C(cluster), C(redis_address),
	C(prefix), C(password_file), C(consumer), C(username), C(plan_files),
	C(archive_dir), C(listen), C(users_file), C(alert_email),
	C(alert_channel), C(public_listen), C(public_url), C(link_secret_file),
};

/* Frees the n strings of obj at offs. */
static void
config_free_strings(void *obj, const size_t *offs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(*(char **)((char *)obj + offs[i]));
}

/* Frees what a channel holds and zeroes it. */
static void
config_channel_clear(struct config_channel *c)
{
	size_t	i;

	config_free_strings(c, channel_strings, nitems(channel_strings));
	for (i = 0; i < c->nheaders; i++) {
		free(c->headers[i].name);
		free(c->headers[i].value);
	}
	free(c->headers);
	zalo_conf_clear(&c->zalo);
	memset(c, 0, sizeof(*c));
}

struct config_channel *
config_channel_dup(const struct config_channel *c)
{
	struct config_channel	*d;
	char			**f;
	size_t			 i;

	d = xmalloc(sizeof(*d));
	*d = *c;
	for (i = 0; i < nitems(channel_strings); i++) {
		f = (char **)((char *)d + channel_strings[i]);
		if (*f != NULL)
			*f = xstrdup(*f);
	}
	if (c->nheaders > 0) {
		d->headers = xcalloc(c->nheaders, sizeof(*d->headers));
		for (i = 0; i < c->nheaders; i++) {
			d->headers[i].name = xstrdup(c->headers[i].name);
			d->headers[i].value = xstrdup(c->headers[i].value);
		}
	}
	zalo_conf_copy(&d->zalo, &c->zalo);
	return d;
}

void
config_channel_free(struct config_channel *c)
{
	if (c == NULL)
		return;
	config_channel_clear(c);
	free(c);
}

/* Frees what a report holds and zeroes it. */
static void
config_report_clear(struct config_report *r)
{
	config_free_strings(r, report_strings, nitems(report_strings));
	schema_list_free(r->to, r->nto);
	schema_list_free(r->channels, r->nchannels);
	memset(r, 0, sizeof(*r));
}

/* A report with its name and its section's line (schema_defaults follows). */
static void
config_report_init(struct config_report *r, const char *name, unsigned line)
{
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->line = line;
}

/* The one of n objects of size bytes at v whose name (at off) is name. */
static const void *
config_find(const void *v, size_t n, size_t size, size_t off,
    const char *name)
{
	const char	*p = v;

	for (; n > 0; n--, p += size)
		if (strcmp(*(char *const *)(p + off), name) == 0)
			return p;
	return NULL;
}

const struct config_report *
config_report_find(const struct config *conf, const char *name)
{
	return config_find(conf->reports, conf->nreports,
	    sizeof(*conf->reports), R(name), name);
}

/* Frees what a config holds and zeroes it. */
static void
config_clear(struct config *conf)
{
	size_t	i;

	for (i = 0; i < conf->nchannels; i++)
		config_channel_clear(&conf->channels[i]);
	for (i = 0; i < conf->nreports; i++)
		config_report_clear(&conf->reports[i]);
	for (i = 0; i < conf->nsentinels; i++)
		address_clear(&conf->sentinel_addrs[i]);
	for (i = 0; i < conf->ncluster; i++)
		address_clear(&conf->cluster_addrs[i]);
	free(conf->channels);
	free(conf->reports);
	free(conf->sentinel_addrs);
	free(conf->cluster_addrs);
	config_free_strings(conf, config_strings, nitems(config_strings));
	address_clear(&conf->redis_addr);
	address_clear(&conf->listen_addr);
	address_clear(&conf->public_listen_addr);
	memset(conf, 0, sizeof(*conf));
}

void
config_free(struct config *conf)
{
	if (conf == NULL)
		return;
	config_clear(conf);
	free(conf);
}

/* A channel with its name and its section's line (schema_defaults follows). */
static void
config_channel_init(struct config_channel *c, const char *name,
    unsigned line)
{
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->line = line;
	c->digest = -1;		/* by type and contact: config_fill */
}

const struct config_channel *
config_channel_find(const struct config *conf, const char *name)
{
	return config_find(conf->channels, conf->nchannels,
	    sizeof(*conf->channels), CH(name), name);
}

const char *
config_channel_type_name(enum channel_type type)
{
	if ((size_t)type >= nitems(type_names) - 1)
		return "unknown";
	return type_names[type];
}

/* --- the config's setters ------------------------------------------------ */

/* Replaces the string at field with a copy of s. */
static void
config_put(void *field, const char *s)
{
	free(*(char **)field);
	*(char **)field = xstrdup(s);
}

static int
config_set_name(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	if (*value == '\0' || strspn(value, NAME_CHARS
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.") != strlen(value)) {
		schema_bad(s, "%s: bad value '%s': use letters, digits, '_', "
		    "'.' and '-'", k->name, value);
		return -1;
	}
	config_put((char *)obj + k->off, value);
	return 0;
}

/* A word that means "never": [ledger] keep refuses them by name. */
static int
config_never(const char *value)
{
	return strcmp(value, "0") == 0 || strcasecmp(value, "off") == 0 ||
	    strcasecmp(value, "no") == 0 || strcasecmp(value, "never") == 0 ||
	    strcasecmp(value, "forever") == 0;
}

static int
config_set_duration(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	char	why[256];
	int64_t	ms;

	if ((k->flags & KEY_MIN_DAYS) && config_never(value)) {
		schema_bad(s, "%s: '%s' is not allowed: what is older is "
		    "archived and leaves Redis, and nothing stays there "
		    "forever; give at least %ldd, e.g. 400d", k->name, value,
		    k->min);
		return -1;
	}
	if (parse_duration(value, &ms, why, sizeof(why)) == -1) {
		schema_bad(s, "%s: %s", k->name, why);
		return -1;
	}
	if ((k->flags & KEY_POSITIVE) && ms == 0) {
		schema_bad(s, "%s: must be more than 0, e.g. 30s", k->name);
		return -1;
	}
	if ((k->flags & KEY_MIN_DAYS) && ms < k->min * 86400000LL) {
		schema_bad(s, "%s: %s is shorter than %ldd: what is older is "
		    "archived and leaves Redis; give at least %ldd, e.g. 400d",
		    k->name, value, k->min, k->min);
		return -1;
	}
	*(int64_t *)((char *)obj + k->off) = ms;
	return 0;
}

static int
config_set_int(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	char	why[256];
	long	n;

	if (parse_int(value, k->min, k->max, &n, why, sizeof(why)) == -1) {
		schema_bad(s, "%s: %s", k->name, why);
		return -1;
	}
	*(int *)((char *)obj + k->off) = (int)n;
	return 0;
}

static int
config_set_bool(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	int	*field = (int *)((char *)obj + k->off);

	if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 ||
	    strcasecmp(value, "on") == 0 || strcmp(value, "1") == 0)
		*field = 1;
	else if (strcasecmp(value, "no") == 0 ||
	    strcasecmp(value, "false") == 0 ||
	    strcasecmp(value, "off") == 0 || strcmp(value, "0") == 0)
		*field = 0;
	else {
		schema_bad(s, "%s: bad value '%s': use yes or no", k->name,
		    value);
		return -1;
	}
	return 0;
}

/* HH:MM-HH:MM: the start's minutes at off, the end's at aux. */
static int
config_set_hours(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	char	why[256];
	int	start, end;

	if (parse_hours(value, &start, &end, why, sizeof(why)) == -1) {
		schema_bad(s, "%s: %s", k->name, why);
		return -1;
	}
	*(int *)((char *)obj + k->off) = start;
	*(int *)((char *)obj + k->aux) = end;
	return 0;
}

/* unix:PATH or HOST:PORT: as written at off, parsed at aux. */
static int
config_set_address(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	struct address	 a, *field = (struct address *)((char *)obj + k->aux);
	char		 why[256], *path, *abs;
	int		 rc;

	/* A relative socket path is relative to the config file. */
	if (strncmp(value, "unix:", 5) == 0 && value[5] != '/' &&
	    value[5] != '\0') {
		path = schema_path(s, value + 5);
		xasprintf(&abs, "unix:%s", path);
		free(path);
		rc = parse_address(abs, &a, why, sizeof(why));
		free(abs);
	} else
		rc = parse_address(value, &a, why, sizeof(why));
	if (rc == -1) {
		schema_bad(s, "%s: %s", k->name, why);
		return -1;
	}
	if ((k->flags & KEY_TCP) && a.path != NULL) {
		address_clear(&a);
		schema_bad(s, "%s: bad address '%s': use HOST:PORT, e.g. "
		    "127.0.0.1:9464; unix sockets are not supported here",
		    k->name, value);
		return -1;
	}
	address_clear(field);
	*field = a;
	config_put((char *)obj + k->off, value);
	return 0;
}

/* The index of value among k's choices; -1 after an error. */
static int
config_choice(struct schema *s, const struct schema_key *k, const char *value)
{
	char	list[256];
	int	i;

	for (i = 0; k->choices[i] != NULL; i++)
		if (strcmp(k->choices[i], value) == 0)
			return i;
	schema_bad(s, "%s: bad value '%s': use %s", k->name, value,
	    schema_join(k->choices, "", "", list, sizeof(list)));
	return -1;
}

static int
config_set_enum(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	if (config_choice(s, k, value) == -1)
		return -1;
	config_put((char *)obj + k->off, value);
	return 0;
}

/* A channel's type: what the rest of its section may hold. */
static int
config_set_type(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	int	i;

	if ((i = config_choice(s, k, value)) == -1)
		return -1;
	*(enum channel_type *)((char *)obj + k->off) = (enum channel_type)i;
	schema_variant_set(s, i);
	return 0;
}

/* Another channel's name, checked once the file is read. */
static int
config_set_fallback(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	struct config_channel	*c = obj;

	if (*value == '\0' || strspn(value, NAME_CHARS) != strlen(value)) {
		schema_bad(s, "%s: bad channel name '%s': use a-z, 0-9, '_' "
		    "and '-'", k->name, value);
		return -1;
	}
	if (strcmp(value, c->name) == 0) {
		schema_bad(s, "%s: channel '%s' cannot fall back to itself; "
		    "name another channel", k->name, value);
		return -1;
	}
	config_put((char *)obj + k->off, value);
	c->fallback_line = schema_key_line(s);
	return 0;
}

/* "Name: value" with an HTTP token as the name, appended to the channel. */
static int
config_set_header(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	struct config_channel	*c = obj;
	struct config_header	*h;
	const char		*colon, *v;

	(void)k;
	if ((colon = strchr(value, ':')) == NULL) {
		schema_bad(s, "header: bad header '%s': use 'Name: value', "
		    "e.g. 'X-Api-Key: abc'", value);
		return -1;
	}
	if (colon == value || strspn(value, TOKEN_CHARS) !=
	    (size_t)(colon - value)) {
		schema_bad(s, "header: bad header name '%.*s': use letters, "
		    "digits and !#$%%&'*+-.^_`|~", (int)(colon - value),
		    value);
		return -1;
	}
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	c->headers = xreallocarray(c->headers, c->nheaders + 1,
	    sizeof(*c->headers));
	h = &c->headers[c->nheaders++];
	h->name = xstrndup(value, colon - value);
	h->value = xstrdup(v);
	return 0;
}

/*
 * "a, b, c": names as plan ids are written (a-z, 0-9, '_', '-', starting
 * with a letter or digit), each once, at least one; char ** at off, the
 * count at aux.
 */
static int
config_set_idlist(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	char	*copy, *item, *save = NULL, **v = NULL;
	size_t	 n = 0, i;
	int	 rv = -1;

	copy = xstrdup(value);
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		if (strchr(ID_FIRST, item[0]) == NULL ||
		    strspn(item, NAME_CHARS) != strlen(item)) {
			schema_bad(s, "%s: bad name '%s': use a-z, 0-9, '_' "
			    "and '-', starting with a letter or digit",
			    k->name, item);
			goto out;
		}
		for (i = 0; i < n && strcmp(v[i], item) != 0; i++)
			;
		if (i < n) {
			schema_bad(s, "%s: '%s' is listed twice", k->name,
			    item);
			goto out;
		}
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = xstrdup(item);
	}
	if (n == 0) {
		schema_bad(s, "%s: empty list; name at least one", k->name);
		goto out;
	}
	schema_list_free(*(char ***)((char *)obj + k->off),
	    *(size_t *)((char *)obj + k->aux));
	*(char ***)((char *)obj + k->off) = v;
	*(size_t *)((char *)obj + k->aux) = n;
	v = NULL;
	n = 0;
	rv = 0;
 out:
	schema_list_free(v, n);
	free(copy);
	return rv;
}

/*
 * A report's at: end[±Nd]@HH:MM, as plan reminders write it, counted from
 * the last day of the period (never its start, never a window).
 */
static int
config_set_at(struct schema *s, const struct schema_key *k,
    void *obj, const char *value)
{
	struct config_report	*r = obj;
	struct plan_spec	 sp;
	char			 why[400];
	int			 rv = -1;

	(void)k;
	if (plan_spec_parse(value, &sp, why, sizeof(why)) == -1) {
		if (strncmp(why, "bad time", 8) == 0)
			schema_bad(s, "at: %s", why);
		else
			schema_bad(s, "at: bad time '%s': use end[±Nd]@HH:MM, "
			    "e.g. end+5d@08:00 (five days after the period "
			    "ends)", value);
		return -1;
	}
	if (sp.window != NULL)
		schema_bad(s, "at: '%s' names a broadcast window; a report "
		    "goes at a time of day: use end[±Nd]@HH:MM, e.g. "
		    "end+5d@08:00", value);
	else if (sp.anchor != ANCHOR_END)
		schema_bad(s, "at: '%s' counts from the period's start; a "
		    "report counts from its end: use end[±Nd]@HH:MM, e.g. "
		    "end+5d@08:00", value);
	else {
		config_put(&r->at, value);
		r->at_days = sp.days;
		r->at_minutes = sp.minutes;
		rv = 0;
	}
	plan_spec_clear(&sp);
	return rv;
}

/* A URL for SMTP: smtp:// or smtps://, then a host. */
static int
config_smtp_url(const char *s)
{
	const char	*p;

	if (strncmp(s, "smtps://", 8) == 0)
		p = s + 8;
	else if (strncmp(s, "smtp://", 7) == 0)
		p = s + 7;
	else
		return -1;
	if (*p == '\0' || *p == '/' || *p == ':')
		return -1;
	for (; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -1;
	}
	return 0;
}

/*
 * A reminder to render templates with at load: every field set, with
 * quotes, a backslash, a newline and Vietnamese (full), or only what a
 * payload must hold.
 */
static void
config_sample(struct reminder *r, int full)
{
	memset(r, 0, sizeof(*r));
	r->id = "mau/2022-04-30/end-1d@08:00/dai-truyen-thanh/kenh";
	r->task = "mau";
	r->agency = "dai-truyen-thanh";
	r->channel = "kenh";
	if (!full)
		return;
	r->title = "Chuyên mục \"Dân hỏi - Chính quyền trả lời\"";
	r->agency_name = "Đài Truyền thanh huyện";
	r->head = "Trưởng Đài \"Truyền thanh\" huyện";
	r->contact = "dtt@example.gov.vn";
	r->due = "2022-04-30";
	r->period = "day";
	r->spec = "end-1d@08:00";
	r->note = "Theo Kế hoạch của tỉnh;\ndòng hai, C:\\thư mục\t\"trích\"";
	r->lead = "Đài Truyền thanh huyện";
	r->partners = "Các ban, phòng ngành huyện, UBND các xã, thị trấn";
	r->window = "trua";
	r->window_name = "Khung giờ \"trưa\"";
	r->window_start = "11:00";
	r->window_end = "11:30";
	r->windows = "11:00–11:30 và 16:45–18:30";
	r->role = "partner";
	r->plan_number = "45/KH-UBND";
	r->plan_date = "2022-02-20";
	r->plan_issuer = "Ủy ban nhân dân huyện Thạnh Trị";
	r->plan_title = "tuyên truyền cải cách hành chính năm 2022";
	r->fire_at = 1651194000000LL;	/* 2022-04-29T08:00:00+07:00 */
	/* Sent a day after the due date: the overdue sections are in. */
	r->sent_at = 1651366800000LL;	/* 2022-05-01T08:00:00+07:00 */
	r->expires_at = 1651338000000LL; /* 2022-05-01T00:00:00+07:00 */
}

/* Parses a template a key names; its own errors follow the one at line. */
static struct template *
config_template(struct config_loader *l, const char *key, const char *path,
    unsigned line)
{
	struct template	*t;
	struct diag	 d;

	diag_init(&d);
	if ((t = template_load(path, &d)) == NULL)
		schema_error_then(l->s, line, path, "%s: %s has %zu error%s",
		    key, path, d.nerrors, d.nerrors == 1 ? "" : "s");
	diag_clear(&d);
	return t;
}

/*
 * The channel's templates parse; a webhook's body_template renders to JSON
 * with every field set and with none; a zalo text fits Zalo's limit even
 * with no values; an SMTP subject is one line.
 */
static void
config_channel_templates(struct config_loader *l, struct config_channel *c)
{
	const struct schema_section	*s = &config_sections[SECT_CHANNEL];
	struct template			*t;
	struct reminder			 r;
	json_error_t			 jerr;
	json_t				*j;
	char				*out;
	unsigned			 line;
	size_t				 n;
	int				 full;

	line = schema_line(s, l->obj_seen, "template");
	if (c->template != NULL && line != 0 &&
	    (t = config_template(l, "template", c->template, line)) != NULL) {
		config_sample(&r, 0);
		if (schema_variant(l->s) >= 0 && c->type == CHANNEL_ZALO &&
		    (out = template_render(t, &r, TEMPLATE_PLAIN, NULL)) !=
		    NULL) {
			if ((n = template_utf8_chars(out)) > TEMPLATE_ZALO_MAX)
				schema_error(l->s, line, "template %s has %zu "
				    "characters with no values filled in; a "
				    "Zalo text takes at most %d", c->template,
				    n, TEMPLATE_ZALO_MAX);
			free(out);
		}
		template_free(t);
	}
	line = schema_line(s, l->obj_seen, "subject_template");
	if (c->subject_template != NULL && line != 0 && (t = config_template(l,
	    "subject_template", c->subject_template, line)) != NULL) {
		config_sample(&r, 0);
		if ((out = template_render(t, &r, TEMPLATE_PLAIN, NULL)) !=
		    NULL && strchr(out, '\n') != NULL)
			schema_error(l->s, line, "subject_template %s has more "
			    "than one line; a mail subject is one line",
			    c->subject_template);
		free(out);
		template_free(t);
	}
	line = schema_line(s, l->obj_seen, "body_template");
	if (c->body_template == NULL || line == 0 || (t = config_template(l,
	    "body_template", c->body_template, line)) == NULL)
		return;
	for (full = 1; full >= 0 && schema_variant(l->s) >= 0 &&
	    c->type == CHANNEL_WEBHOOK; full--) {
		config_sample(&r, full);
		if ((out = template_render(t, &r, TEMPLATE_JSON, NULL)) ==
		    NULL)
			fatal("%s", __func__);
		j = json_loads(out, JSON_REJECT_DUPLICATES, &jerr);
		free(out);
		if (j == NULL) {
			schema_error(l->s, line, "body_template %s does not "
			    "render to valid JSON: %s%s", c->body_template,
			    jerr.text, full ? "" : " (with the optional values "
			    "empty)");
			break;
		}
		json_decref(j);
	}
	template_free(t);
}

/* Checks a finished channel: its type, what the type needs and allows. */
static void
config_channel_check(struct config_loader *l, struct config_channel *c)
{
	const struct schema_section	*s = &config_sections[SECT_CHANNEL];
	const char			*tname;
	char				 err[512], list[128];
	unsigned			 line;

	config_channel_templates(l, c);
	if (schema_line(s, l->obj_seen, "type") == 0) {
		schema_error(l->s, c->line, "[channel %s] needs a type: %s",
		    c->name, schema_join(type_names, "type = ", "", list,
		    sizeof(list)));
		return;
	}
	if (schema_variant(l->s) < 0)
		return;
	tname = config_channel_type_name(c->type);
	schema_check_variant(l->s);
	if (c->type != CHANNEL_CONSOLE &&
	    schema_line(s, l->obj_seen, "contact") == 0)
		schema_error(l->s, c->line, "[channel %s] of type %s needs "
		    "contact = zalo, phone or email", c->name, tname);
	if (c->type != CHANNEL_WEBHOOK && c->type != CHANNEL_SMTP)
		return;
	line = schema_line(s, l->obj_seen, "url");
	if (line == 0) {
		schema_error(l->s, c->line, "[channel %s] of type %s needs "
		    "url = %s", c->name, tname, c->type == CHANNEL_SMTP ?
		    "smtps://HOST[:PORT]" : "https://HOST/PATH");
		return;
	}
	if (c->url == NULL)
		return;
	if (c->type == CHANNEL_WEBHOOK &&
	    parse_url(c->url, err, sizeof(err)) == -1)
		schema_error(l->s, line, "url: %s", err);
	if (c->type == CHANNEL_SMTP && config_smtp_url(c->url) == -1)
		schema_error(l->s, line, "url: bad SMTP URL '%s': use "
		    "smtps://HOST[:PORT] or smtp://HOST[:PORT]", c->url);
}

/* Checks a finished report: what it needs, where its keys were. */
static void
config_report_check(struct config_loader *l, struct config_report *r)
{
	const struct schema_section	*s = &config_sections[SECT_REPORT];
	char				 list[128];

	r->to_line = schema_line(s, l->obj_seen, "to");
	r->channels_line = schema_line(s, l->obj_seen, "channels");
	if (schema_line(s, l->obj_seen, "every") == 0)
		schema_error(l->s, r->line, "[report %s] needs every = %s",
		    r->name, schema_join(every_names, "", "", list,
		    sizeof(list)));
	if (r->to_line == 0)
		schema_error(l->s, r->line, "[report %s] needs to = AGENCY[, "
		    "AGENCY...]: the agencies of the plan that receive it",
		    r->name);
}

/* --- sections ------------------------------------------------------------- */

static int
config_name_check(struct schema *s, const struct schema_section *sect,
    const char *name, unsigned line)
{
	if (strspn(name, NAME_CHARS) != strlen(name)) {
		schema_error(s, line, "bad %s name '%s': use a-z, 0-9, '_' and "
		    "'-'", sect->name, name);
		return -1;
	}
	return 0;
}

/* A section of the config itself ([redis], [plan], ...): once. */
static void *
config_begin(struct schema *s,
    const struct schema_section *sect, const char *name, unsigned line,
    unsigned **lines)
{
	struct config_loader	*l = schema_arg(s);
	size_t			 i = sect - config_sections;

	(void)name;
	if (l->sect_line[i] != 0) {
		schema_error(s, line, "duplicate section [%s]; the first is at "
		    "line %u; merge them", sect->name, l->sect_line[i]);
		memset(l->scratch_seen, 0, sizeof(l->scratch_seen));
		memset(&l->scratch, 0, sizeof(l->scratch));
		l->scratch_used = 1;
		*lines = l->scratch_seen;
		return &l->scratch;
	}
	l->sect_line[i] = line;
	*lines = l->sect_seen[i];
	return l->conf;
}

/* [channel NAME]: a new channel, or a duplicate's scratch one. */
static void *
config_begin_channel(struct schema *s,
    const struct schema_section *sect, const char *name, unsigned line,
    unsigned **lines)
{
	struct config_loader		*l = schema_arg(s);
	struct config			*conf = l->conf;
	const struct config_channel	*dup;

	memset(l->obj_seen, 0, sizeof(l->obj_seen));
	*lines = l->obj_seen;
	if ((dup = config_channel_find(conf, name)) != NULL) {
		schema_error(s, line, "duplicate section [%s %s]; the first is "
		    "at line %u", sect->name, name, dup->line);
		l->chan = &l->scratch_chan;
		l->scratch_used = 1;
	} else {
		conf->channels = xreallocarray(conf->channels,
		    conf->nchannels + 1, sizeof(*conf->channels));
		l->chan = &conf->channels[conf->nchannels++];
	}
	config_channel_init(l->chan, name, line);
	schema_defaults(s, sect, l->chan);
	return l->chan;
}

/* [report NAME]: a new report, or a duplicate's scratch one. */
static void *
config_begin_report(struct schema *s,
    const struct schema_section *sect, const char *name, unsigned line,
    unsigned **lines)
{
	struct config_loader		*l = schema_arg(s);
	struct config			*conf = l->conf;
	const struct config_report	*dup;

	memset(l->obj_seen, 0, sizeof(l->obj_seen));
	*lines = l->obj_seen;
	if ((dup = config_report_find(conf, name)) != NULL) {
		schema_error(s, line, "duplicate section [%s %s]; the first is "
		    "at line %u", sect->name, name, dup->line);
		l->rep = &l->scratch_rep;
		l->scratch_used = 1;
	} else {
		conf->reports = xreallocarray(conf->reports,
		    conf->nreports + 1, sizeof(*conf->reports));
		l->rep = &conf->reports[conf->nreports++];
	}
	config_report_init(l->rep, name, line);
	schema_defaults(s, sect, l->rep);
	return l->rep;
}

/* Ends a section: checks a channel or a report, drops a duplicate's values. */
static void
config_end(struct schema *s, void *obj)
{
	struct config_loader	*l = schema_arg(s);

	(void)obj;
	if (l->chan != NULL)
		config_channel_check(l, l->chan);
	if (l->rep != NULL)
		config_report_check(l, l->rep);
	if (l->scratch_used) {
		config_clear(&l->scratch);
		config_channel_clear(&l->scratch_chan);
		config_report_clear(&l->scratch_rep);
		l->scratch_used = 0;
	}
	l->chan = NULL;
	l->rep = NULL;
}

/* After an error about a template: its own FILE:LINE errors, read again. */
static void
config_then(const char *path, struct diag *d)
{
	template_free(template_load(path, d));
}

/* [redis] sentinels = HOST:PORT, ... with master = NAME: Sentinel finds the master. */
static void
config_check_sentinels(struct config_loader *l, struct config *conf)
{
	unsigned	 ls, lm;
	char		*copy, *item, *save = NULL, err[256];
	struct address	 a;

	ls = SECT_LINE(l, SECT_REDIS, "sentinels");
	lm = SECT_LINE(l, SECT_REDIS, "master");
	if ((conf->sentinels == NULL) != (conf->master == NULL)) {
		schema_error(l->s, ls ? ls : lm, "[redis] sentinels and "
		    "master go together: the Sentinels to ask, and the "
		    "master's name they monitor");
		return;
	}
	if (conf->sentinels == NULL)
		return;
	copy = xstrdup(conf->sentinels);
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		if (parse_address(item, &a, err, sizeof(err)) == -1) {
			schema_error(l->s, ls, "sentinels: %s", err);
			continue;
		}
		conf->sentinel_addrs = xreallocarray(conf->sentinel_addrs,
		    conf->nsentinels + 1, sizeof(*conf->sentinel_addrs));
		conf->sentinel_addrs[conf->nsentinels++] = a;
	}
	free(copy);
	if (conf->nsentinels == 0)
		schema_error(l->s, ls, "sentinels: name at least one "
		    "HOST:PORT");
}

/* [redis] cluster = HOST:PORT, ...: seed nodes of a Redis Cluster, alone. */
static void
config_check_cluster(struct config_loader *l, struct config *conf)
{
	unsigned	 lc;
	char		*copy, *item, *save = NULL, err[256];
	struct address	 a;

	if (conf->cluster == NULL)
		return;
	lc = SECT_LINE(l, SECT_REDIS, "cluster");
	if (conf->redis_address != NULL || conf->sentinels != NULL) {
		schema_error(l->s, lc, "[redis] cluster excludes %s: name the "
		    "Cluster's nodes, or one Redis with address, or Sentinels",
		    conf->redis_address ? "address" : "sentinels and master");
		return;
	}
	copy = xstrdup(conf->cluster);
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		if (parse_address(item, &a, err, sizeof(err)) == -1) {
			schema_error(l->s, lc, "cluster: %s", err);
			continue;
		}
		if (a.path != NULL) {
			schema_error(l->s, lc, "cluster: '%s' is a socket; a "
			    "Cluster's nodes are HOST:PORT", item);
			address_clear(&a);
			continue;
		}
		conf->cluster_addrs = xreallocarray(conf->cluster_addrs,
		    conf->ncluster + 1, sizeof(*conf->cluster_addrs));
		conf->cluster_addrs[conf->ncluster++] = a;
	}
	free(copy);
	if (conf->ncluster == 0)
		schema_error(l->s, lc, "cluster: name at least one HOST:PORT");
}

/* [alert]: an address with @, and a channel that exists and is not zalo. */
static void
config_check_alert(struct config_loader *l, struct config *conf)
{
	const struct config_channel	*ch;
	unsigned			 le, lc;

	le = SECT_LINE(l, SECT_ALERT, "email");
	lc = SECT_LINE(l, SECT_ALERT, "channel");
	if (conf->alert_email && strchr(conf->alert_email, '@') == NULL)
		schema_error(l->s, le, "[alert] email '%s' is not an address: "
		    "use name@domain", conf->alert_email);
	if ((conf->alert_email == NULL) != (conf->alert_channel == NULL))
		schema_error(l->s, le ? le : lc, "[alert] needs both email and "
		    "channel (the channel that carries alerts)");
	if (conf->alert_channel == NULL)
		return;
	if ((ch = config_channel_find(conf, conf->alert_channel)) == NULL)
		schema_error(l->s, lc, "[alert] channel '%s' is not defined: "
		    "name a [channel] with contact = email",
		    conf->alert_channel);
	else if (ch->type == CHANNEL_ZALO || (ch->contact &&
	    strcmp(ch->contact, "email") != 0))
		schema_error(l->s, lc, "[alert] channel '%s' does not carry "
		    "email: use a webhook or smtp channel with contact = "
		    "email", conf->alert_channel);
}

/*
 * [http] users_file: the status pages need the listener, and the file (if
 * it is there yet: `nhacviec user add` makes it) must be the owner's alone.
 */
static void
config_check_users(struct config_loader *l, struct config *conf)
{
	struct stat	st;
	char		why[300];
	unsigned	line;

	if (conf->users_file == NULL)
		return;
	line = SECT_LINE(l, SECT_HTTP, "users_file");
	if (conf->listen == NULL)
		schema_error(l->s, line, "users_file: the status pages are "
		    "served on [http] listen, which is not set: add listen = "
		    "127.0.0.1:PORT");
	if (lstat(conf->users_file, &st) == -1 && errno == ENOENT)
		return;
	if (file_check(conf->users_file, FILE_NOFOLLOW | FILE_OWNER_ONLY |
	    FILE_TEXT, USERS_FILE_MAX, why, sizeof(why)) == -1)
		schema_error(l->s, line, "users_file %s: %s", conf->users_file,
		    why);
}

/* [http] listen beyond loopback only when the file says so outright. */
static void
config_check_http(struct config_loader *l, struct config *conf)
{
	unsigned	line;

	if (conf->public_listen != NULL && conf->public_url == NULL &&
	    SECT_LINE(l, SECT_HTTP, "public_url") == 0)
		schema_error(l->s, SECT_LINE(l, SECT_HTTP, "public_listen"),
		    "public_listen needs public_url: the address heads' "
		    "links and Zalo reach it by, e.g. public_url = "
		    "https://nhacviec.example.gov.vn");
	config_check_users(l, conf);
	if (conf->listen == NULL || conf->listen_addr.host == NULL ||
	    conf->listen_allow_remote ||
	    parse_is_loopback(conf->listen_addr.host))
		return;
	line = SECT_LINE(l, SECT_HTTP, "listen");
	schema_error(l->s, line, "listen: %s is not a loopback address, and "
	    "/metrics and /healthz would answer anyone who can reach it; use "
	    "127.0.0.1:PORT, or add listen_allow_remote = yes to [http]",
	    conf->listen);
}

/* A channel a report names must exist; a suggestion when one is near. */
static void
config_report_channel(struct config_loader *l, const struct config_report *r,
    const char *name)
{
	struct config			*conf = l->conf;
	const struct config_channel	*c;
	const char			*names[64], *near;
	char				 list[512];
	size_t				 i, n;

	if ((c = config_channel_find(conf, name)) != NULL) {
		if (c->body_template != NULL)
			schema_error(l->s, r->channels_line, "channels: "
			    "channel '%s' fills its body_template, which has "
			    "no place for a report; use an smtp channel, or a "
			    "webhook without body_template", name);
		return;
	}
	for (i = 0, n = 0; i < conf->nchannels && n < nitems(names) - 1; i++)
		names[n++] = conf->channels[i].name;
	names[n] = NULL;
	if ((near = parse_nearest(name, names)) != NULL)
		schema_error(l->s, r->channels_line, "channels: no channel "
		    "named '%s'; did you mean '%s'?", name, near);
	else if (n > 0)
		schema_error(l->s, r->channels_line, "channels: no channel "
		    "named '%s'; use %s", name, schema_join(names, "'", "'",
		    list, sizeof(list)));
	else
		schema_error(l->s, r->channels_line, "channels: no channel "
		    "named '%s'; define [channel %s]", name, name);
}

/*
 * A report counts what its period's occurrences came to, read from Redis
 * when it goes: [ledger] keep must leave the whole period there, the days
 * until the report goes, and a week of its retries.
 */
static void
config_report_keep(struct config_loader *l, const struct config_report *r)
{
	static const int	 period_days[] = { 31, 92, 184, 366 };
	const char *const	*e;
	unsigned		 line;
	long long		 need;
	int			 i;

	for (e = every_names, i = 0; *e != NULL && r->every != NULL &&
	    strcmp(*e, r->every) != 0; e++, i++)
		;
	if (r->every == NULL || *e == NULL)
		return;
	need = period_days[i] + (r->at_days > 0 ? r->at_days : 0) + 7;
	if (l->conf->keep_ms >= need * 86400000LL)
		return;
	line = SECT_LINE(l, SECT_LEDGER, "keep");
	schema_error(l->s, line ? line : r->line, "[ledger] keep = %lldd is "
	    "shorter than [report %s] reads back (a %s, %d day%s after it and "
	    "a week of retries): its figures would miss what was archived; "
	    "make keep at least %lldd", (long long)(l->conf->keep_ms /
	    86400000LL), r->name, r->every, r->at_days > 0 ? r->at_days : 0,
	    r->at_days == 1 ? "" : "s", need);
}

/*
 * A report's channels: those it names, else the first smtp channel (the
 * CSV goes with it), else the first that carries email in its own words
 * (a body_template writes a reminder's fields, not a report).
 */
static void
config_check_reports(struct config_loader *l, struct config *conf)
{
	struct config_report		*r;
	const struct config_channel	*c, *pick;
	size_t				 i, j;

	for (i = 0; i < conf->nreports; i++) {
		r = &conf->reports[i];
		config_report_keep(l, r);
		for (j = 0; j < r->nchannels; j++)
			config_report_channel(l, r, r->channels[j]);
		if (r->nchannels > 0)
			continue;
		for (j = 0, pick = NULL; j < conf->nchannels && pick == NULL;
		    j++)
			if (conf->channels[j].type == CHANNEL_SMTP)
				pick = &conf->channels[j];
		for (j = 0; j < conf->nchannels && pick == NULL; j++) {
			c = &conf->channels[j];
			if (c->type != CHANNEL_ZALO && c->contact != NULL &&
			    strcmp(c->contact, "email") == 0 &&
			    c->body_template == NULL)
				pick = c;
		}
		if (pick == NULL) {
			schema_error(l->s, r->line, "[report %s] has no "
			    "channel that carries email (type smtp, or a "
			    "webhook with contact = email and no "
			    "body_template): define one, or name the channels "
			    "with channels = NAME", r->name);
			continue;
		}
		r->channels = xcalloc(1, sizeof(*r->channels));
		r->channels[0] = xstrdup(pick->name);
		r->nchannels = 1;
	}
}

/* The checks that need the whole file. */
static void
config_check_all(struct config_loader *l)
{
	struct config			*conf = l->conf;
	const struct config_channel	*c;
	const char			*names[64], *near;
	char				 list[512];
	size_t				 i, j, n;
	unsigned			 line;

	for (i = 0; i < conf->nchannels; i++) {
		c = &conf->channels[i];
		if (c->fallback == NULL ||
		    config_channel_find(conf, c->fallback) != NULL)
			continue;
		for (j = 0, n = 0; j < conf->nchannels && n < nitems(names) - 1;
		    j++) {
			if (j != i)
				names[n++] = conf->channels[j].name;
		}
		names[n] = NULL;
		line = c->fallback_line;
		if ((near = parse_nearest(c->fallback, names)) != NULL)
			schema_error(l->s, line, "fallback: no channel named "
			    "'%s'; did you mean '%s'?", c->fallback, near);
		else if (n > 0)
			schema_error(l->s, line, "fallback: no channel named "
			    "'%s'; use %s", c->fallback, schema_join(names, "'",
			    "'", list, sizeof(list)));
		else
			schema_error(l->s, line, "fallback: no channel named "
			    "'%s'; define [channel %s]", c->fallback,
			    c->fallback);
	}
	if (conf->retry_max_ms < conf->retry_base_ms) {
		line = SECT_LINE(l, SECT_DELIVERY, "retry_max");
		if (line == 0)
			line = SECT_LINE(l, SECT_DELIVERY, "retry_base");
		schema_error(l->s, line, "retry_max is shorter than "
		    "retry_base; make it at least as long");
	}
	config_check_sentinels(l, conf);
	config_check_cluster(l, conf);
	if (conf->redis_address == NULL && conf->sentinels == NULL &&
	    conf->cluster == NULL && SECT_LINE(l, SECT_REDIS, "address") == 0)
		schema_error(l->s, 0, "[redis] address is required: use "
		    "unix:/path or HOST:PORT (or sentinels and master, or "
		    "cluster)");
	config_check_alert(l, conf);
	config_check_http(l, conf);
	config_check_reports(l, conf);
}

/* The defaults worked out from the rest, for what the file did not set. */
static void
config_fill(struct config *conf)
{
	size_t	i;

	if (conf->consumer == NULL)
		conf->consumer = config_default_consumer();
	for (i = 0; i < conf->nchannels; i++) {
		struct config_channel *c = &conf->channels[i];

		/* Digests where a head reads: Zalo, and mail (SMTP, or a
		 * gateway addressed by email). */
		if (c->digest == -1)
			c->digest = c->type == CHANNEL_ZALO ||
			    c->type == CHANNEL_SMTP ||
			    (c->type == CHANNEL_WEBHOOK && c->contact != NULL &&
			    strcmp(c->contact, "email") == 0);
	}
}

/*
 * The default consumer name: the host name and the start of the machine
 * id, so that two servers cloned from one image (one host name) still
 * differ, and a restarted daemon finds its own pending entries.
 */
static char *
config_default_consumer(void)
{
	char	host[256], id[9] = "", err[200], *s, *text;
	size_t	 n;

	if (gethostname(host, sizeof(host)) == -1 || host[0] == '\0')
		snprintf(host, sizeof(host), "nhacviecd");
	host[sizeof(host) - 1] = '\0';
	if (file_read("/etc/machine-id", FILE_TEXT, 4096, &text, NULL, err,
	    sizeof(err)) == 0) {
		for (n = 0; n < 8 && isxdigit((unsigned char)text[n]); n++)
			id[n] = text[n];
		id[n] = '\0';
		free(text);
	}
	n = strlen(id);
	if (n < 8 || asprintf(&s, "%.200s-%s", host, id) == -1)
		return xstrdup(host);
	return s;
}

/* The config file's directory, absolute when it can be. */
static char *
config_dir(const char *path)
{
	char	*copy, *dir, *abs;

	copy = xstrdup(path);
	dir = dirname(copy);
	if ((abs = realpath(dir, NULL)) == NULL)
		abs = xstrdup(dir);
	free(copy);
	return abs;
}

/*
 * Every zalo channel: what only common/zalo.c knows (mode, rate,
 * template_data); errors at the section line.
 */
static void
config_check_zalo(const struct config *conf, struct diag *d)
{
	const struct config_channel	*c;
	struct zalo_settings		 z;
	struct template			*t;
	char				 err[512], name[300];
	size_t				 i, j;

	for (i = 0; i < conf->nchannels; i++) {
		c = &conf->channels[i];
		if (c->type != CHANNEL_ZALO)
			continue;
		if (zalo_settings_get(&c->zalo, &z, err, sizeof(err)) == -1) {
			diag_error(d, conf->path, c->line, "[channel %s]: %s",
			    c->name, err);
			continue;
		}
		/* Each ZNS parameter is a small template: check its names. */
		for (j = 0; j < z.nparams; j++) {
			snprintf(name, sizeof(name), "%s: [channel %s] "
			    "template_data %s", conf->path, c->name,
			    z.param_names[j]);
			t = template_parse(name, z.param_values[j], d);
			template_free(t);
		}
		zalo_settings_clear(&z);
	}
}

/* Reads path through the schema engine; see config.h. */
struct config *
config_load(const char *path, struct diag *d)
{
	struct config_loader	 l;
	struct config		*conf;
	char			*text, *dir, why[512];
	size_t			 before, len, i;
	int			 rc;

	if (file_read(path, 0, FILE_MAX_CONFIG, &text, &len, why,
	    sizeof(why)) == -1) {
		diag_error(d, path, 0, "%s", why);
		return NULL;
	}
	memset(&l, 0, sizeof(l));
	conf = xcalloc(1, sizeof(*conf));
	conf->path = xstrdup(path);
	l.conf = conf;
	l.s = schema_new(&config_format, &l);
	dir = config_dir(path);
	schema_set_dir(l.s, dir);
	free(dir);
	for (i = 0; i < SECT_MAX; i++)
		if (!config_sections[i].named)
			schema_defaults(l.s, &config_sections[i], conf);

	rc = schema_read(l.s, path, text, len);
	free(text);
	if (rc == 0)
		config_check_all(&l);
	config_fill(conf);
	if (schema_finish(l.s, d) > 0) {
		config_free(conf);
		return NULL;
	}
	before = d->nerrors;
	config_check_zalo(conf, d);
	if (d->nerrors > before) {
		config_free(conf);
		return NULL;
	}
	log_debug("config %s: %zu channels", path, conf->nchannels);
	return conf;
}
