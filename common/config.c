/* The main config file: its typed keys, their checks and the parsed result. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "inifile.h"
#include "plan.h"
#include "log.h"
#include "fileio.h"
#include "template.h"
#include "users.h"
#include "xmalloc.h"
#include "zalo.h"

#define KEYS_MAX	32		/* keys in the largest section */
#define SECTIONS_HINT	"use [redis], [plan], [ledger], [delivery], " \
			"[channel NAME], [report NAME] or [http]"
#define ID_FIRST	"abcdefghijklmnopqrstuvwxyz0123456789"
#define REPORT_AT	"end+1d@08:00"	/* the morning after the period */
#define NAME_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789_-"
#define TOKEN_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789!#$%&'*+-.^_`|~"

enum key_type {
	KEY_STRING,	/* any text but empty */
	KEY_NAME,	/* [A-Za-z0-9_.-]+ */
	KEY_PATH,	/* a path, made absolute against the config's dir */
	KEY_FILE,	/* a readable file, made absolute likewise */
	KEY_SECRET,	/* a file only its owner can read, made absolute */
	KEY_DURATION,	/* int64_t ms */
	KEY_INT,	/* int in [min, max] */
	KEY_BOOL,	/* int 0 or 1 */
	KEY_HOURS,	/* two ints: off and aux */
	KEY_ADDRESS,	/* char * as written at off, struct address at aux */
	KEY_URL,	/* an http(s) URL */
	KEY_ENUM,	/* one of choices, as a string */
	KEY_CHANTYPE,	/* enum channel_type */
	KEY_CHANURL,	/* a string, checked when the channel's type is known */
	KEY_CHANREF,	/* another channel's name, checked after the file */
	KEY_HEADER,	/* "Name: value", appended to the channel's headers */
	KEY_IDLIST,	/* "a, b": char ** at off, size_t count at aux */
	KEY_RSPEC,	/* a report's end[±Nd]@HH:MM, into the report */
};

#define KEY_REPEAT	0x01	/* may be given more than once */
#define KEY_POSITIVE	0x02	/* a duration more than 0 */
#define KEY_TCP		0x04	/* an address that is HOST:PORT only */
#define KEY_MIN_DAYS	0x08	/* a duration of at least min days */

#define TYPE(t)		(1u << (t))
#define TYPE_NET	(TYPE(CHANNEL_WEBHOOK) | TYPE(CHANNEL_SMTP))

/* One typed key of a section and where its value goes. */
struct config_key {
	const char		*name;
	enum key_type		 type;
	size_t			 off;
	size_t			 aux;
	int			 flags;
	long			 min, max;	/* KEY_INT; KEY_MIN_DAYS */
	const char *const	*choices;	/* KEY_ENUM */
	unsigned		 types;		/* channel types; 0: all */
};

enum section_id {
	SECT_REDIS,
	SECT_PLAN,
	SECT_LEDGER,
	SECT_DELIVERY,
	SECT_CHANNEL,
	SECT_HTTP,
	SECT_ALERT,
	SECT_REPORT,
	SECT_MAX
};

struct config_section {
	const char		*name;
	int			 named;		/* [channel NAME], [report NAME] */
	const struct config_key	*keys;
	size_t			 nkeys;
};

/* An error found while reading, emitted in line order at the end. */
struct config_error {
	unsigned	 line;
	size_t		 seq;
	char		*msg;
	char		*tpl;		/* a template whose errors follow, or NULL */
};

/* Everything config_load keeps while the file is read. */
struct config_loader {
	struct config		*conf;
	const char		*path;
	char			*dir;

	unsigned		 lineno;	/* of the line being handled */

	const struct config_section *sect;	/* NULL: none, or a bad one */
	int			 bad_sect;
	void			*target;	/* where values go */
	unsigned		*seen;		/* line of each key, or 0 */
	struct config_channel	*chan;		/* in a [channel], else NULL */
	struct config_report	*rep;		/* in a [report], else NULL */
	int			 chan_type_ok;
	int			 scratch_used;	/* target is a duplicate's */

	unsigned		 sect_line[SECT_MAX];
	unsigned		 sect_seen[SECT_MAX][KEYS_MAX];
	unsigned		 chan_seen[KEYS_MAX];
	unsigned		 scratch_seen[KEYS_MAX];
	struct config		 scratch;
	struct config_channel	 scratch_chan;
	struct config_report	 scratch_rep;

	struct config_error	*errs;
	size_t			 nerrs;
	size_t			 errcap;
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

#define C(f)	offsetof(struct config, f)
#define CH(f)	offsetof(struct config_channel, f)
#define R(f)	offsetof(struct config_report, f)

static const struct config_key redis_keys[] = {
	{ .name = "address", .type = KEY_ADDRESS, .off = C(redis_address),
	    .aux = C(redis_addr) },
	{ .name = "prefix", .type = KEY_NAME, .off = C(prefix) },
	{ .name = "username", .type = KEY_STRING, .off = C(username) },
	{ .name = "password_file", .type = KEY_SECRET,
	    .off = C(password_file) },
	{ .name = "consumer", .type = KEY_NAME, .off = C(consumer) },
	{ .name = "connect_timeout", .type = KEY_DURATION,
	    .off = C(connect_timeout_ms), .flags = KEY_POSITIVE },
	{ .name = "sentinels", .type = KEY_STRING, .off = C(sentinels) },
	{ .name = "master", .type = KEY_NAME, .off = C(master) },
	{ .name = "cluster", .type = KEY_STRING, .off = C(cluster) },
};

static const struct config_key plan_keys[] = {
	/* A relative glob is relative to the config file's folder. */
	{ .name = "files", .type = KEY_PATH, .off = C(plan_files) },
	{ .name = "horizon", .type = KEY_DURATION, .off = C(horizon_ms),
	    .flags = KEY_POSITIVE },
};

static const struct config_key ledger_keys[] = {
	/* What is older goes to the archive, then leaves Redis. */
	{ .name = "keep", .type = KEY_DURATION, .off = C(keep_ms),
	    .flags = KEY_MIN_DAYS, .min = CONFIG_KEEP_MIN_DAYS },
	{ .name = "archive_dir", .type = KEY_PATH, .off = C(archive_dir) },
};

static const struct config_key delivery_keys[] = {
	{ .name = "hours", .type = KEY_HOURS, .off = C(hours_start),
	    .aux = C(hours_end) },
	{ .name = "grace", .type = KEY_DURATION, .off = C(grace_ms) },
	{ .name = "max_attempts", .type = KEY_INT, .off = C(max_attempts),
	    .min = 1, .max = 100 },
	{ .name = "batch", .type = KEY_INT, .off = C(batch),
	    .min = 1, .max = 10000 },
	{ .name = "retry_base", .type = KEY_DURATION, .off = C(retry_base_ms),
	    .flags = KEY_POSITIVE },
	{ .name = "retry_max", .type = KEY_DURATION, .off = C(retry_max_ms),
	    .flags = KEY_POSITIVE },
	{ .name = "drain_timeout", .type = KEY_DURATION,
	    .off = C(drain_timeout_ms) },
	{ .name = "reclaim_idle", .type = KEY_DURATION,
	    .off = C(reclaim_idle_ms), .flags = KEY_POSITIVE },
	{ .name = "unhealthy_after", .type = KEY_DURATION,
	    .off = C(unhealthy_after_ms), .flags = KEY_POSITIVE },
};

static const struct config_key channel_keys[] = {
	{ .name = "type", .type = KEY_CHANTYPE, .off = CH(type),
	    .choices = type_names },
	{ .name = "contact", .type = KEY_ENUM, .off = CH(contact),
	    .choices = contact_names },
	{ .name = "fallback", .type = KEY_CHANREF, .off = CH(fallback) },
	{ .name = "url", .type = KEY_CHANURL, .off = CH(url),
	    .types = TYPE_NET },
	{ .name = "method", .type = KEY_ENUM, .off = CH(method),
	    .choices = method_names, .types = TYPE(CHANNEL_WEBHOOK) },
	{ .name = "header", .type = KEY_HEADER, .flags = KEY_REPEAT,
	    .types = TYPE(CHANNEL_WEBHOOK) },
	{ .name = "body_template", .type = KEY_FILE, .off = CH(body_template),
	    .types = TYPE_NET },
	{ .name = "template", .type = KEY_FILE, .off = CH(template) },
	{ .name = "timeout", .type = KEY_DURATION, .off = CH(timeout_ms),
	    .flags = KEY_POSITIVE },
	{ .name = "digest", .type = KEY_BOOL, .off = CH(digest) },
	{ .name = "concurrency", .type = KEY_INT, .off = CH(concurrency),
	    .min = 1, .max = 1000 },
	{ .name = "ca_file", .type = KEY_FILE, .off = CH(ca_file) },
	{ .name = "app_id", .type = KEY_STRING, .off = CH(app_id),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "secret_key_file", .type = KEY_SECRET,
	    .off = CH(secret_key_file), .types = TYPE(CHANNEL_ZALO) },
	{ .name = "oa_secret_file", .type = KEY_SECRET,
	    .off = CH(oa_secret_file), .types = TYPE(CHANNEL_ZALO) },
	{ .name = "template_id", .type = KEY_STRING, .off = CH(template_id),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "template_data", .type = KEY_STRING,
	    .off = CH(template_data), .types = TYPE(CHANNEL_ZALO) },
	{ .name = "api_base", .type = KEY_URL, .off = CH(api_base),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "zns_base", .type = KEY_URL, .off = CH(zns_base),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "oauth_base", .type = KEY_URL, .off = CH(oauth_base),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "state_file", .type = KEY_PATH, .off = CH(state_file),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "refresh_before", .type = KEY_STRING,
	    .off = CH(refresh_before), .types = TYPE(CHANNEL_ZALO) },
	{ .name = "rate", .type = KEY_STRING, .off = CH(rate),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "mode", .type = KEY_STRING, .off = CH(mode),
	    .types = TYPE(CHANNEL_ZALO) },
	{ .name = "from", .type = KEY_STRING, .off = CH(from),
	    .types = TYPE(CHANNEL_SMTP) },
	{ .name = "username", .type = KEY_STRING, .off = CH(username),
	    .types = TYPE(CHANNEL_SMTP) },
	{ .name = "password_file", .type = KEY_SECRET,
	    .off = CH(password_file), .types = TYPE(CHANNEL_SMTP) },
	{ .name = "subject_template", .type = KEY_FILE,
	    .off = CH(subject_template), .types = TYPE(CHANNEL_SMTP) },
};

static const struct config_key http_keys[] = {
	{ .name = "listen", .type = KEY_ADDRESS, .off = C(listen),
	    .aux = C(listen_addr), .flags = KEY_TCP },
	{ .name = "listen_allow_remote", .type = KEY_BOOL,
	    .off = C(listen_allow_remote) },
	{ .name = "max_connections", .type = KEY_INT,
	    .off = C(http_max_connections), .min = 1, .max = 65536 },
	{ .name = "idle_timeout", .type = KEY_DURATION,
	    .off = C(http_idle_timeout_ms), .flags = KEY_POSITIVE },
	{ .name = "request_timeout", .type = KEY_DURATION,
	    .off = C(http_request_timeout_ms), .flags = KEY_POSITIVE },
	{ .name = "public_listen", .type = KEY_ADDRESS,
	    .off = C(public_listen), .aux = C(public_listen_addr),
	    .flags = KEY_TCP },
	{ .name = "public_url", .type = KEY_URL, .off = C(public_url) },
	{ .name = "link_secret_file", .type = KEY_SECRET,
	    .off = C(link_secret_file) },
	{ .name = "users_file", .type = KEY_PATH, .off = C(users_file) },
};

static const struct config_key alert_keys[] = {
	{ .name = "email", .type = KEY_STRING, .off = C(alert_email) },
	{ .name = "channel", .type = KEY_STRING, .off = C(alert_channel) },
};

static const struct config_key report_keys[] = {
	{ .name = "every", .type = KEY_ENUM, .off = R(every),
	    .choices = every_names },
	{ .name = "at", .type = KEY_RSPEC, .off = R(at) },
	{ .name = "to", .type = KEY_IDLIST, .off = R(to), .aux = R(nto) },
	{ .name = "by", .type = KEY_ENUM, .off = R(by), .choices = by_names },
	{ .name = "channels", .type = KEY_IDLIST, .off = R(channels),
	    .aux = R(nchannels) },
};

static const struct config_section config_sections[SECT_MAX] = {
	[SECT_REDIS] = { "redis", 0, redis_keys, nitems(redis_keys) },
	[SECT_PLAN] = { "plan", 0, plan_keys, nitems(plan_keys) },
	[SECT_LEDGER] = { "ledger", 0, ledger_keys, nitems(ledger_keys) },
	[SECT_DELIVERY] = { "delivery", 0, delivery_keys,
	    nitems(delivery_keys) },
	[SECT_CHANNEL] = { "channel", 1, channel_keys, nitems(channel_keys) },
	[SECT_HTTP] = { "http", 0, http_keys, nitems(http_keys) },
	[SECT_ALERT] = { "alert", 0, alert_keys, nitems(alert_keys) },
	[SECT_REPORT] = { "report", 1, report_keys, nitems(report_keys) },
};

_Static_assert(nitems(channel_keys) <= KEYS_MAX, "raise KEYS_MAX");
_Static_assert(nitems(delivery_keys) <= KEYS_MAX, "raise KEYS_MAX");

static char	*config_strdup(const char *);
static char	*config_default_consumer(void);
static void	config_error(struct config_loader *, unsigned, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
static void	config_error_tpl(struct config_loader *, unsigned,
		    const char *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/* Queues an error for line (0: the whole file); tpl's errors follow it. */
static void
config_verror(struct config_loader *l, unsigned line, const char *tpl,
    const char *fmt, va_list ap)
{
	struct config_error	*e;
	size_t			 ncap;

	if (l->nerrs == l->errcap) {
		ncap = l->errcap ? l->errcap * 2 : 8;
		e = xreallocarray(l->errs, ncap, sizeof(*e));
		l->errs = e;
		l->errcap = ncap;
	}
	e = &l->errs[l->nerrs];
	e->line = line;
	e->seq = l->nerrs;
	e->tpl = tpl ? config_strdup(tpl) : NULL;
	xvasprintf(&e->msg, fmt, ap);
	l->nerrs++;
}

static void
config_error(struct config_loader *l, unsigned line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	config_verror(l, line, NULL, fmt, ap);
	va_end(ap);
}

/* An error about template file tpl, to be followed by tpl's own errors. */
static void
config_error_tpl(struct config_loader *l, unsigned line, const char *tpl,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	config_verror(l, line, tpl, fmt, ap);
	va_end(ap);
}

/* Line order, whole-file errors last, and as found within a line. */
static int
config_error_cmp(const void *a, const void *b)
{
	const struct config_error	*x = a, *y = b;
	unsigned			 lx, ly;

	lx = x->line ? x->line : UINT_MAX;
	ly = y->line ? y->line : UINT_MAX;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* strdup that treats running out of memory as fatal. */
static char *
config_strdup(const char *s)
{
	char	*p;

	p = xstrdup(s);
	return p;
}

/* Replaces the string at *p with a copy of s. */
static void
config_setstr(char **p, const char *s)
{
	free(*p);
	*p = config_strdup(s);
}

/* "a, b, c or d" from a NULL-terminated list, each between before and after. */
static const char *
config_join(const char *const *names, const char *before, const char *after,
    char *buf, size_t len)
{
	size_t	i, n, off = 0;
	int	w;

	buf[0] = '\0';
	for (n = 0; names[n] != NULL; n++)
		;
	for (i = 0; i < n && off < len; i++) {
		w = snprintf(buf + off, len - off, "%s%s%s%s",
		    i == 0 ? "" : i == n - 1 ? " or " : ", ", before, names[i],
		    after);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

/* Makes a relative path absolute against the config file's directory. */
static char *
config_resolve(struct config_loader *l, const char *path)
{
	char	*p;

	if (path[0] == '/')
		return config_strdup(path);
	xasprintf(&p, "%s/%s", l->dir, path);
	return p;
}

/* Every string a channel owns: what clear frees and dup copies. */
static const size_t channel_strings[] = {
	offsetof(struct config_channel, name),
	offsetof(struct config_channel, contact),
	offsetof(struct config_channel, fallback),
	offsetof(struct config_channel, url),
	offsetof(struct config_channel, method),
	offsetof(struct config_channel, body_template),
	offsetof(struct config_channel, template),
	offsetof(struct config_channel, subject_template),
	offsetof(struct config_channel, ca_file),
	offsetof(struct config_channel, app_id),
	offsetof(struct config_channel, secret_key_file),
	offsetof(struct config_channel, oa_secret_file),
	offsetof(struct config_channel, template_id),
	offsetof(struct config_channel, template_data),
	offsetof(struct config_channel, api_base),
	offsetof(struct config_channel, zns_base),
	offsetof(struct config_channel, oauth_base),
	offsetof(struct config_channel, state_file),
	offsetof(struct config_channel, refresh_before),
	offsetof(struct config_channel, rate),
	offsetof(struct config_channel, mode),
	offsetof(struct config_channel, from),
	offsetof(struct config_channel, username),
	offsetof(struct config_channel, password_file),
};

/* Frees what a channel holds and zeroes it. */
static void
config_channel_clear(struct config_channel *c)
{
	size_t	i;

	for (i = 0; i < nitems(channel_strings); i++)
		free(*(char **)((char *)c + channel_strings[i]));
	for (i = 0; i < c->nheaders; i++) {
		free(c->headers[i].name);
		free(c->headers[i].value);
	}
	free(c->headers);
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
			*f = config_strdup(*f);
	}
	if (c->nheaders > 0) {
		d->headers = xcalloc(c->nheaders, sizeof(*d->headers));
		for (i = 0; i < c->nheaders; i++) {
			d->headers[i].name = config_strdup(c->headers[i].name);
			d->headers[i].value = config_strdup(c->headers[i].value);
		}
	}
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

/* Frees a list of strings. */
static void
config_list_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Frees what a report holds and zeroes it. */
static void
config_report_clear(struct config_report *r)
{
	free(r->name);
	free(r->every);
	free(r->at);
	free(r->by);
	config_list_free(r->to, r->nto);
	config_list_free(r->channels, r->nchannels);
	memset(r, 0, sizeof(*r));
}

/* A report with its name, its section's line and the defaults. */
static void
config_report_init(struct config_report *r, const char *name, unsigned line)
{
	memset(r, 0, sizeof(*r));
	r->name = config_strdup(name);
	r->line = line;
	r->at_days = 1;
	r->at_minutes = 8 * 60;
}

const struct config_report *
config_report_find(const struct config *conf, const char *name)
{
	size_t	i;

	for (i = 0; i < conf->nreports; i++)
		if (strcmp(conf->reports[i].name, name) == 0)
			return &conf->reports[i];
	return NULL;
}

/* Frees what a config holds and zeroes it. */
static void
config_clear(struct config *conf)
{
	size_t	i;

	free(conf->path);
	address_clear(&conf->redis_addr);
	free(conf->sentinels);
	free(conf->master);
	for (i = 0; i < conf->nsentinels; i++)
		address_clear(&conf->sentinel_addrs[i]);
	free(conf->sentinel_addrs);
	free(conf->cluster);
	for (i = 0; i < conf->ncluster; i++)
		address_clear(&conf->cluster_addrs[i]);
	free(conf->cluster_addrs);
	free(conf->redis_address);
	free(conf->prefix);
	free(conf->password_file);
	free(conf->consumer);
	free(conf->username);
	free(conf->plan_files);
	free(conf->archive_dir);
	for (i = 0; i < conf->nchannels; i++)
		config_channel_clear(&conf->channels[i]);
	free(conf->channels);
	for (i = 0; i < conf->nreports; i++)
		config_report_clear(&conf->reports[i]);
	free(conf->reports);
	free(conf->listen);
	free(conf->users_file);
	free(conf->alert_email);
	free(conf->alert_channel);
	address_clear(&conf->listen_addr);
	free(conf->public_listen);
	address_clear(&conf->public_listen_addr);
	free(conf->public_url);
	free(conf->link_secret_file);
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

/* The defaults that are not strings; strings are filled in after reading. */
static void
config_defaults(struct config *conf)
{
	conf->connect_timeout_ms = 2 * 1000;
	conf->horizon_ms = 35LL * 24 * 3600 * 1000;
	conf->keep_ms = 400LL * 24 * 3600 * 1000;
	conf->hours_start = 7 * 60;
	conf->hours_end = 21 * 60;
	conf->grace_ms = 6LL * 3600 * 1000;
	conf->max_attempts = 8;
	conf->batch = 256;
	conf->retry_base_ms = 30 * 1000;
	conf->retry_max_ms = 3600 * 1000;
	conf->drain_timeout_ms = 10 * 1000;
	conf->reclaim_idle_ms = 2 * 60 * 1000;
	conf->unhealthy_after_ms = 60 * 1000;
	conf->http_max_connections = 256;
	conf->http_idle_timeout_ms = 60 * 1000;
	conf->http_request_timeout_ms = 10 * 1000;
}

/* A channel with its name, its section's line and the defaults. */
static void
config_channel_init(struct config_channel *c, const char *name,
    unsigned line)
{
	memset(c, 0, sizeof(*c));
	c->name = config_strdup(name);
	c->line = line;
	c->timeout_ms = 10 * 1000;
	c->concurrency = 8;
	c->digest = -1;		/* by type and contact: config_fill */
}

const struct config_channel *
config_channel_find(const struct config *conf, const char *name)
{
	size_t	i;

	for (i = 0; i < conf->nchannels; i++) {
		if (strcmp(conf->channels[i].name, name) == 0)
			return &conf->channels[i];
	}
	return NULL;
}

const char *
config_channel_type_name(enum channel_type type)
{
	if ((size_t)type >= nitems(type_names) - 1)
		return "unknown";
	return type_names[type];
}

/* "[plan]" or "[channel email]" for the current section. */
static const char *
config_label(struct config_loader *l, char *buf, size_t len)
{
	if (l->sect->named)
		snprintf(buf, len, "[%s %s]", l->sect->name, l->rep != NULL ?
		    l->rep->name : l->chan->name);
	else
		snprintf(buf, len, "[%s]", l->sect->name);
	return buf;
}

/* The index of the key called name in section s, or -1. */
static int
config_key_index(const struct config_section *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->nkeys; i++) {
		if (strcmp(s->keys[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Checks a secret file: a plain file only its owner may read. */
static int
config_secret(const char *key, const char *path, char *err, size_t len)
{
	char	why[512];

	if (file_check(path, FILE_NOFOLLOW | FILE_OWNER_ONLY, FILE_MAX_SECRET,
	    why, sizeof(why)) == -1) {
		snprintf(err, len, "%s %s: %s", key, path, why);
		return -1;
	}
	return 0;
}

/* Checks that path names a regular file this process can read. */
static int
config_readable(const char *key, const char *path, char *err, size_t len)
{
	char	why[512];

	if (file_check(path, 0, FILE_MAX_TEMPLATE, why, sizeof(why)) == -1) {
		snprintf(err, len, "%s: %s: %s", key, path, why);
		return -1;
	}
	return 0;
}

/* "Name: value" with an HTTP token as the name, appended to the channel. */
static int
config_header(struct config_channel *c, const char *s, char *err, size_t len)
{
	struct config_header	*h;
	const char		*colon, *v;

	if ((colon = strchr(s, ':')) == NULL) {
		snprintf(err, len, "header: bad header '%s': use "
		    "'Name: value', e.g. 'X-Api-Key: abc'", s);
		return -1;
	}
	if (colon == s || strspn(s, TOKEN_CHARS) != (size_t)(colon - s)) {
		snprintf(err, len, "header: bad header name '%.*s': use "
		    "letters, digits and !#$%%&'*+-.^_`|~", (int)(colon - s),
		    s);
		return -1;
	}
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	h = xreallocarray(c->headers, c->nheaders + 1, sizeof(*h));
	c->headers = h;
	h = &c->headers[c->nheaders++];
	h->name = xstrndup(s, colon - s);
	h->value = config_strdup(v);
	return 0;
}

/*
 * "a, b, c": names as plan ids are written (a-z, 0-9, '_', '-', starting
 * with a letter or digit), each once, at least one.
 */
static int
config_idlist(const char *key, const char *value, char ***out, size_t *n,
    char *err, size_t len)
{
	char	*copy, *item, *save = NULL, **v = NULL, **nv;
	size_t	 k = 0, i;
	int	 rv = -1;

	copy = config_strdup(value);
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		if (strchr(ID_FIRST, item[0]) == NULL ||
		    strspn(item, NAME_CHARS) != strlen(item)) {
			snprintf(err, len, "%s: bad name '%s': use a-z, 0-9, "
			    "'_' and '-', starting with a letter or digit",
			    key, item);
			goto out;
		}
		for (i = 0; i < k; i++)
			if (strcmp(v[i], item) == 0) {
				snprintf(err, len, "%s: '%s' is listed twice",
				    key, item);
				goto out;
			}
		nv = xreallocarray(v, k + 1, sizeof(*v));
		v = nv;
		v[k++] = config_strdup(item);
	}
	if (k == 0) {
		snprintf(err, len, "%s: empty list; name at least one", key);
		goto out;
	}
	config_list_free(*out, *n);
	*out = v;
	*n = k;
	v = NULL;
	k = 0;
	rv = 0;
 out:
	config_list_free(v, k);
	free(copy);
	return rv;
}

/*
 * A report's at: end[±Nd]@HH:MM, as plan reminders write it, counted from
 * the last day of the period (never its start, never a window).
 */
static int
config_report_at(struct config_report *r, const char *value, char *err,
    size_t len)
{
	struct plan_spec	sp;
	char			why[400];
	int			rv = -1;

	if (plan_spec_parse(value, &sp, why, sizeof(why)) == -1) {
		if (strncmp(why, "bad time", 8) == 0)
			snprintf(err, len, "at: %s", why);
		else
			snprintf(err, len, "at: bad time '%s': use "
			    "end[±Nd]@HH:MM, e.g. end+5d@08:00 (five days "
			    "after the period ends)", value);
		return -1;
	}
	if (sp.window != NULL)
		snprintf(err, len, "at: '%s' names a broadcast window; a "
		    "report goes at a time of day: use end[±Nd]@HH:MM, e.g. "
		    "end+5d@08:00", value);
	else if (sp.anchor != ANCHOR_END)
		snprintf(err, len, "at: '%s' counts from the period's start; "
		    "a report counts from its end: use end[±Nd]@HH:MM, e.g. "
		    "end+5d@08:00", value);
	else {
		config_setstr(&r->at, value);
		r->at_days = sp.days;
		r->at_minutes = sp.minutes;
		rv = 0;
	}
	plan_spec_clear(&sp);
	return rv;
}

/* Checks value as key k and stores it in the current target. */
static void
config_set(struct config_loader *l, const struct config_key *k,
    const char *value)
{
	char		 err[1024], list[256], *path, *abs;
	char		*field = (char *)l->target + k->off;
	struct address	 a;
	int64_t		 ms;
	long		 n;
	int		 i, start, end, rc;

	switch (k->type) {
	case KEY_STRING:
	case KEY_CHANURL:
		if (*value == '\0')
			goto empty;
		config_setstr((char **)field, value);
		return;
	case KEY_NAME:
		if (*value == '\0' || strspn(value, NAME_CHARS
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.") != strlen(value)) {
			snprintf(err, sizeof(err), "%s: bad value '%s': use "
			    "letters, digits, '_', '.' and '-'", k->name,
			    value);
			goto bad;
		}
		config_setstr((char **)field, value);
		return;
	case KEY_PATH:
	case KEY_FILE:
	case KEY_SECRET:
		if (*value == '\0')
			goto empty;
		path = config_resolve(l, value);
		if ((k->type == KEY_FILE && config_readable(k->name, path, err,
		    sizeof(err)) == -1) || (k->type == KEY_SECRET &&
		    config_secret(k->name, path, err, sizeof(err)) == -1)) {
			free(path);
			goto bad;
		}
		free(*(char **)field);
		*(char **)field = path;
		return;
	case KEY_DURATION:
		if ((k->flags & KEY_MIN_DAYS) && (strcmp(value, "0") == 0 ||
		    strcasecmp(value, "off") == 0 ||
		    strcasecmp(value, "no") == 0 ||
		    strcasecmp(value, "never") == 0 ||
		    strcasecmp(value, "forever") == 0)) {
			snprintf(err, sizeof(err), "%s: '%s' is not allowed: "
			    "what is older is archived and leaves Redis, and "
			    "nothing stays there forever; give at least %ldd, "
			    "e.g. 400d", k->name, value, k->min);
			goto bad;
		}
		if (parse_duration(value, &ms, list, sizeof(list)) == -1) {
			snprintf(err, sizeof(err), "%s: %s", k->name, list);
			goto bad;
		}
		if ((k->flags & KEY_POSITIVE) && ms == 0) {
			snprintf(err, sizeof(err), "%s: must be more than 0, "
			    "e.g. 30s", k->name);
			goto bad;
		}
		if ((k->flags & KEY_MIN_DAYS) && ms < k->min * 86400000LL) {
			snprintf(err, sizeof(err), "%s: %s is shorter than "
			    "%ldd: what is older is archived and leaves Redis; "
			    "give at least %ldd, e.g. 400d", k->name, value,
			    k->min, k->min);
			goto bad;
		}
		*(int64_t *)field = ms;
		return;
	case KEY_INT:
		if (parse_int(value, k->min, k->max, &n, list,
		    sizeof(list)) == -1) {
			snprintf(err, sizeof(err), "%s: %s", k->name, list);
			goto bad;
		}
		*(int *)field = (int)n;
		return;
	case KEY_BOOL:
		if (strcasecmp(value, "yes") == 0 ||
		    strcasecmp(value, "true") == 0 ||
		    strcasecmp(value, "on") == 0 || strcmp(value, "1") == 0)
			*(int *)field = 1;
		else if (strcasecmp(value, "no") == 0 ||
		    strcasecmp(value, "false") == 0 ||
		    strcasecmp(value, "off") == 0 || strcmp(value, "0") == 0)
			*(int *)field = 0;
		else {
			snprintf(err, sizeof(err), "%s: bad value '%s': use "
			    "yes or no", k->name, value);
			goto bad;
		}
		return;
	case KEY_HOURS:
		if (parse_hours(value, &start, &end, list,
		    sizeof(list)) == -1) {
			snprintf(err, sizeof(err), "%s: %s", k->name, list);
			goto bad;
		}
		*(int *)field = start;
		*(int *)((char *)l->target + k->aux) = end;
		return;
	case KEY_ADDRESS:
		/* A relative socket path is relative to the config file. */
		if (strncmp(value, "unix:", 5) == 0 && value[5] != '/' &&
		    value[5] != '\0') {
			path = config_resolve(l, value + 5);
			xasprintf(&abs, "unix:%s", path);
			free(path);
			rc = parse_address(abs, &a, list, sizeof(list));
			free(abs);
		} else
			rc = parse_address(value, &a, list, sizeof(list));
		if (rc == -1) {
			snprintf(err, sizeof(err), "%s: %s", k->name, list);
			goto bad;
		}
		if ((k->flags & KEY_TCP) && a.path != NULL) {
			address_clear(&a);
			snprintf(err, sizeof(err), "%s: bad address '%s': use "
			    "HOST:PORT, e.g. 127.0.0.1:9464; unix sockets are "
			    "not supported here", k->name, value);
			goto bad;
		}
		address_clear((struct address *)((char *)l->target + k->aux));
		*(struct address *)((char *)l->target + k->aux) = a;
		config_setstr((char **)field, value);
		return;
	case KEY_URL:
		if (parse_url(value, list, sizeof(list)) == -1) {
			snprintf(err, sizeof(err), "%s: %s", k->name, list);
			goto bad;
		}
		config_setstr((char **)field, value);
		return;
	case KEY_ENUM:
	case KEY_CHANTYPE:
		for (i = 0; k->choices[i] != NULL; i++) {
			if (strcmp(k->choices[i], value) == 0)
				break;
		}
		if (k->choices[i] == NULL) {
			snprintf(err, sizeof(err), "%s: bad value '%s': use %s",
			    k->name, value, config_join(k->choices, "", "",
			    list, sizeof(list)));
			goto bad;
		}
		if (k->type == KEY_ENUM)
			config_setstr((char **)field, value);
		else {
			*(enum channel_type *)field = (enum channel_type)i;
			l->chan_type_ok = 1;
		}
		return;
	case KEY_CHANREF:
		if (*value == '\0' || strspn(value, NAME_CHARS) !=
		    strlen(value)) {
			snprintf(err, sizeof(err), "%s: bad channel name '%s': "
			    "use a-z, 0-9, '_' and '-'", k->name, value);
			goto bad;
		}
		if (strcmp(value, l->chan->name) == 0) {
			snprintf(err, sizeof(err), "%s: channel '%s' cannot "
			    "fall back to itself; name another channel",
			    k->name, value);
			goto bad;
		}
		config_setstr((char **)field, value);
		l->chan->fallback_line = l->lineno;
		return;
	case KEY_HEADER:
		if (config_header(l->chan, value, err, sizeof(err)) == -1)
			goto bad;
		return;
	case KEY_IDLIST:
		if (config_idlist(k->name, value, (char ***)field,
		    (size_t *)((char *)l->target + k->aux), err,
		    sizeof(err)) == -1)
			goto bad;
		return;
	case KEY_RSPEC:
		if (config_report_at(l->rep, value, err, sizeof(err)) == -1)
			goto bad;
		return;
	}
	return;
 empty:
	snprintf(err, sizeof(err), "%s: empty value; give a value or remove "
	    "the line", k->name);
 bad:
	config_error(l, l->lineno, "%s", err);
}

/* Called by the reader for every "key = value" line. */
static void
config_key(void *arg, const char *section, const char *name,
    const char *value, unsigned line)
{
	struct config_loader	*l = arg;
	const struct config_key	*k;
	const char		*names[KEYS_MAX + 1], *near;
	char			 label[128], list[512];
	size_t			 i, n;
	int			 idx;

	/* Sections come through config_section: l->sect says all. */
	(void)section;
	l->lineno = line;
	if (l->sect == NULL) {
		if (!l->bad_sect)
			config_error(l, l->lineno, "'%s' is outside any "
			    "section; put it under a section: " SECTIONS_HINT,
			    name);
		return;
	}
	config_label(l, label, sizeof(label));
	if ((idx = config_key_index(l->sect, name)) == -1) {
		for (i = 0; i < l->sect->nkeys; i++)
			names[i] = l->sect->keys[i].name;
		names[i] = NULL;
		if ((near = parse_nearest(name, names)) != NULL) {
			config_error(l, l->lineno, "unknown key '%s' in %s; "
			    "did you mean '%s'?", name, label, near);
			return;
		}
		/* A channel of a known type lists only the keys it takes. */
		if (l->chan != NULL && l->chan_type_ok) {
			for (i = 0, n = 0; i < l->sect->nkeys; i++) {
				k = &l->sect->keys[i];
				if (k->types == 0 ||
				    (k->types & TYPE(l->chan->type)))
					names[n++] = k->name;
			}
			names[n] = NULL;
		}
		config_error(l, l->lineno, "unknown key '%s' in %s; use %s",
		    name, label, config_join(names, "'", "'", list,
		    sizeof(list)));
		return;
	}
	k = &l->sect->keys[idx];
	if (l->seen[idx] != 0 && !(k->flags & KEY_REPEAT)) {
		config_error(l, l->lineno, "duplicate key '%s' in %s; the "
		    "first is at line %u", name, label, l->seen[idx]);
		return;
	}
	if (l->seen[idx] == 0)
		l->seen[idx] = l->lineno;
	config_set(l, k, value);
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
		config_error_tpl(l, line, path, "%s: %s has %zu error%s", key,
		    path, d.nerrors, d.nerrors == 1 ? "" : "s");
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
	const struct config_section	*s = &config_sections[SECT_CHANNEL];
	struct template			*t;
	struct reminder			 r;
	json_error_t			 jerr;
	json_t				*j;
	char				*out;
	unsigned			 line;
	size_t				 n;
	int				 full;

	line = l->seen[config_key_index(s, "template")];
	if (c->template != NULL && line != 0 &&
	    (t = config_template(l, "template", c->template, line)) != NULL) {
		config_sample(&r, 0);
		if (l->chan_type_ok && c->type == CHANNEL_ZALO &&
		    (out = template_render(t, &r, TEMPLATE_PLAIN, NULL)) !=
		    NULL) {
			if ((n = template_utf8_chars(out)) > TEMPLATE_ZALO_MAX)
				config_error(l, line, "template %s has %zu "
				    "characters with no values filled in; a "
				    "Zalo text takes at most %d", c->template,
				    n, TEMPLATE_ZALO_MAX);
			free(out);
		}
		template_free(t);
	}
	line = l->seen[config_key_index(s, "subject_template")];
	if (c->subject_template != NULL && line != 0 && (t = config_template(l,
	    "subject_template", c->subject_template, line)) != NULL) {
		config_sample(&r, 0);
		if ((out = template_render(t, &r, TEMPLATE_PLAIN, NULL)) !=
		    NULL && strchr(out, '\n') != NULL)
			config_error(l, line, "subject_template %s has more "
			    "than one line; a mail subject is one line",
			    c->subject_template);
		free(out);
		template_free(t);
	}
	line = l->seen[config_key_index(s, "body_template")];
	if (c->body_template == NULL || line == 0 || (t = config_template(l,
	    "body_template", c->body_template, line)) == NULL)
		return;
	for (full = 1; full >= 0 && l->chan_type_ok &&
	    c->type == CHANNEL_WEBHOOK; full--) {
		config_sample(&r, full);
		if ((out = template_render(t, &r, TEMPLATE_JSON, NULL)) ==
		    NULL)
			fatal("%s", __func__);
		j = json_loads(out, JSON_REJECT_DUPLICATES, &jerr);
		free(out);
		if (j == NULL) {
			config_error(l, line, "body_template %s does not "
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
	const struct config_section	*s = &config_sections[SECT_CHANNEL];
	const struct config_key		*k;
	const char			*tname;
	char				 err[512], list[128];
	unsigned			 line;
	size_t				 i;

	config_channel_templates(l, c);
	if (l->seen[config_key_index(s, "type")] == 0) {
		config_error(l, c->line, "[channel %s] needs a type: %s",
		    c->name, config_join(type_names, "type = ", "", list,
		    sizeof(list)));
		return;
	}
	if (!l->chan_type_ok)
		return;
	tname = config_channel_type_name(c->type);
	for (i = 0; i < s->nkeys; i++) {
		k = &s->keys[i];
		if (l->seen[i] != 0 && k->types != 0 &&
		    !(k->types & TYPE(c->type)))
			config_error(l, l->seen[i], "'%s' does not apply to "
			    "type %s", k->name, tname);
	}
	if (c->type != CHANNEL_CONSOLE &&
	    l->seen[config_key_index(s, "contact")] == 0)
		config_error(l, c->line, "[channel %s] of type %s needs "
		    "contact = zalo, phone or email", c->name, tname);
	if (c->type != CHANNEL_WEBHOOK && c->type != CHANNEL_SMTP)
		return;
	line = l->seen[config_key_index(s, "url")];
	if (line == 0) {
		config_error(l, c->line, "[channel %s] of type %s needs url = "
		    "%s", c->name, tname, c->type == CHANNEL_SMTP ?
		    "smtps://HOST[:PORT]" : "https://HOST/PATH");
		return;
	}
	if (c->url == NULL)
		return;
	if (c->type == CHANNEL_WEBHOOK &&
	    parse_url(c->url, err, sizeof(err)) == -1)
		config_error(l, line, "url: %s", err);
	if (c->type == CHANNEL_SMTP && config_smtp_url(c->url) == -1)
		config_error(l, line, "url: bad SMTP URL '%s': use "
		    "smtps://HOST[:PORT] or smtp://HOST[:PORT]", c->url);
}

/* Checks a finished report: what it needs, where its keys were. */
static void
config_report_check(struct config_loader *l, struct config_report *r)
{
	const struct config_section	*s = &config_sections[SECT_REPORT];
	char				 list[128];

	r->to_line = l->seen[config_key_index(s, "to")];
	r->channels_line = l->seen[config_key_index(s, "channels")];
	if (l->seen[config_key_index(s, "every")] == 0)
		config_error(l, r->line, "[report %s] needs every = %s",
		    r->name, config_join(every_names, "", "", list,
		    sizeof(list)));
	if (r->to_line == 0)
		config_error(l, r->line, "[report %s] needs to = AGENCY[, "
		    "AGENCY...]: the agencies of the plan that receive it",
		    r->name);
	if (r->at == NULL)
		r->at = config_strdup(REPORT_AT);
	if (r->by == NULL)
		r->by = config_strdup("agency");
}

/* Ends the current section: checks a channel or a report, drops a duplicate's values. */
static void
config_section_end(struct config_loader *l)
{
	if (l->sect != NULL && l->chan != NULL)
		config_channel_check(l, l->chan);
	if (l->sect != NULL && l->rep != NULL)
		config_report_check(l, l->rep);
	if (l->scratch_used) {
		config_clear(&l->scratch);
		config_channel_clear(&l->scratch_chan);
		config_report_clear(&l->scratch_rep);
		l->scratch_used = 0;
	}
	l->sect = NULL;
	l->bad_sect = 0;
	l->chan = NULL;
	l->rep = NULL;
}

/* Starts the section named by the text inside "[...]". */
static void
config_section_start(struct config_loader *l, const char *text)
{
	const struct config_section	*s = NULL;
	const char			*names[SECT_MAX + 1], *near;
	struct config_channel		*c;
	const struct config_channel	*dup;
	char				*buf, *kind, *name;
	size_t				 i;

	config_section_end(l);
	l->bad_sect = 1;
	buf = config_strdup(text);
	inifile_split_section(buf, &kind, &name);
	for (i = 0; i < SECT_MAX; i++) {
		names[i] = config_sections[i].name;
		if (strcmp(kind, names[i]) == 0)
			s = &config_sections[i];
	}
	names[i] = NULL;
	if (*kind == '\0') {
		config_error(l, l->lineno, "empty section name []; "
		    SECTIONS_HINT);
		goto out;
	}
	if (s == NULL) {
		if ((near = parse_nearest(kind, names)) == NULL) {
			config_error(l, l->lineno, "unknown section [%s%s%s]; "
			    SECTIONS_HINT, kind, *name ? " " : "", name);
			goto out;
		}
		for (i = 0; strcmp(names[i], near) != 0; i++)
			;
		s = &config_sections[i];
		config_error(l, l->lineno, "unknown section [%s%s%s]; did you "
		    "mean [%s%s%s]?", kind, *name ? " " : "", name, near,
		    s->named ? " " : "", !s->named ? "" : *name ? name :
		    "NAME");
		goto out;
	}
	if (s->named && *name == '\0') {
		config_error(l, l->lineno, "[%s] needs a name: [%s NAME], "
		    "NAME made of a-z, 0-9, '_' and '-'", kind, kind);
		goto out;
	}
	if (s->named && strspn(name, NAME_CHARS) != strlen(name)) {
		config_error(l, l->lineno, "bad %s name '%s': use a-z, 0-9, "
		    "'_' and '-'", kind, name);
		goto out;
	}
	if (!s->named && *name != '\0') {
		config_error(l, l->lineno, "[%s] takes no name; write [%s]",
		    kind, kind);
		goto out;
	}
	l->bad_sect = 0;
	l->sect = s;
	if (s == &config_sections[SECT_REPORT]) {
		struct config_report		*r;
		const struct config_report	*rdup;

		memset(l->chan_seen, 0, sizeof(l->chan_seen));
		l->seen = l->chan_seen;
		if ((rdup = config_report_find(l->conf, name)) != NULL) {
			config_error(l, l->lineno, "duplicate section [%s %s]; "
			    "the first is at line %u", kind, name, rdup->line);
			config_report_init(&l->scratch_rep, name, l->lineno);
			l->rep = &l->scratch_rep;
			l->scratch_used = 1;
		} else {
			r = xreallocarray(l->conf->reports,
			    l->conf->nreports + 1, sizeof(*r));
			l->conf->reports = r;
			l->rep = &r[l->conf->nreports++];
			config_report_init(l->rep, name, l->lineno);
		}
		l->target = l->rep;
		goto out;
	}
	if (s->named) {
		memset(l->chan_seen, 0, sizeof(l->chan_seen));
		l->seen = l->chan_seen;
		l->chan_type_ok = 0;
		if ((dup = config_channel_find(l->conf, name)) != NULL) {
			config_error(l, l->lineno, "duplicate section [%s %s]; "
			    "the first is at line %u", kind, name, dup->line);
			config_channel_init(&l->scratch_chan, name, l->lineno);
			l->chan = &l->scratch_chan;
			l->scratch_used = 1;
		} else {
			c = xreallocarray(l->conf->channels,
			    l->conf->nchannels + 1, sizeof(*c));
			l->conf->channels = c;
			l->chan = &c[l->conf->nchannels++];
			config_channel_init(l->chan, name, l->lineno);
		}
		l->target = l->chan;
		goto out;
	}
	i = s - config_sections;
	if (l->sect_line[i] != 0) {
		config_error(l, l->lineno, "duplicate section [%s]; the first "
		    "is at line %u; merge them", kind, l->sect_line[i]);
		memset(l->scratch_seen, 0, sizeof(l->scratch_seen));
		memset(&l->scratch, 0, sizeof(l->scratch));
		l->seen = l->scratch_seen;
		l->target = &l->scratch;
		l->scratch_used = 1;
		goto out;
	}
	l->sect_line[i] = l->lineno;
	l->seen = l->sect_seen[i];
	l->target = l->conf;
 out:
	free(buf);
}

/* Called by the reader for every "[...]" line; NULL for a broken one. */
static void
config_section(void *arg, const char *text, unsigned line)
{
	struct config_loader	*l = arg;

	l->lineno = line;
	if (text == NULL) {
		config_section_end(l);
		l->bad_sect = 1;
		return;
	}
	config_section_start(l, text);
}

/* Called by the reader for a line it rejects itself. */
static void
config_read_error(void *arg, unsigned line, const char *msg)
{
	config_error(arg, line, "%s", msg);
}

static const struct inifile_handler config_reader = {
	.section = config_section,
	.key = config_key,
	.error = config_read_error,
};

/* [redis] sentinels = HOST:PORT, ... with master = NAME: Sentinel finds the master. */
static void
config_check_sentinels(struct config_loader *l, struct config *conf)
{
	unsigned	 ls, lm;
	char		*copy, *item, *save = NULL, err[256];
	struct address	 a;

	ls = l->sect_seen[SECT_REDIS][config_key_index(
	    &config_sections[SECT_REDIS], "sentinels")];
	lm = l->sect_seen[SECT_REDIS][config_key_index(
	    &config_sections[SECT_REDIS], "master")];
	if ((conf->sentinels == NULL) != (conf->master == NULL)) {
		config_error(l, ls ? ls : lm, "[redis] sentinels and master go "
		    "together: the Sentinels to ask, and the master's name "
		    "they monitor");
		return;
	}
	if (conf->sentinels == NULL)
		return;
	copy = config_strdup(conf->sentinels);
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		if (parse_address(item, &a, err, sizeof(err)) == -1) {
			config_error(l, ls, "sentinels: %s", err);
			continue;
		}
		conf->sentinel_addrs = xreallocarray(conf->sentinel_addrs,
		    conf->nsentinels + 1, sizeof(*conf->sentinel_addrs));
		conf->sentinel_addrs[conf->nsentinels++] = a;
	}
	free(copy);
	if (conf->nsentinels == 0)
		config_error(l, ls, "sentinels: name at least one HOST:PORT");
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
	lc = l->sect_seen[SECT_REDIS][config_key_index(
	    &config_sections[SECT_REDIS], "cluster")];
	if (conf->redis_address != NULL || conf->sentinels != NULL) {
		config_error(l, lc, "[redis] cluster excludes %s: name the "
		    "Cluster's nodes, or one Redis with address, or Sentinels",
		    conf->redis_address ? "address" : "sentinels and master");
		return;
	}
	copy = config_strdup(conf->cluster);
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		if (parse_address(item, &a, err, sizeof(err)) == -1) {
			config_error(l, lc, "cluster: %s", err);
			continue;
		}
		if (a.path != NULL) {
			config_error(l, lc, "cluster: '%s' is a socket; a "
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
		config_error(l, lc, "cluster: name at least one HOST:PORT");
}

/* [alert]: an address with @, and a channel that exists and is not zalo. */
static void
config_check_alert(struct config_loader *l, struct config *conf)
{
	const struct config_channel	*ch;
	unsigned			 le, lc;

	le = l->sect_seen[SECT_ALERT][config_key_index(
	    &config_sections[SECT_ALERT], "email")];
	lc = l->sect_seen[SECT_ALERT][config_key_index(
	    &config_sections[SECT_ALERT], "channel")];
	if (conf->alert_email && strchr(conf->alert_email, '@') == NULL)
		config_error(l, le, "[alert] email '%s' is not an address: "
		    "use name@domain", conf->alert_email);
	if ((conf->alert_email == NULL) != (conf->alert_channel == NULL))
		config_error(l, le ? le : lc, "[alert] needs both email and "
		    "channel (the channel that carries alerts)");
	if (conf->alert_channel == NULL)
		return;
	if ((ch = config_channel_find(conf, conf->alert_channel)) == NULL)
		config_error(l, lc, "[alert] channel '%s' is not defined: "
		    "name a [channel] with contact = email",
		    conf->alert_channel);
	else if (ch->type == CHANNEL_ZALO || (ch->contact &&
	    strcmp(ch->contact, "email") != 0))
		config_error(l, lc, "[alert] channel '%s' does not carry "
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
	line = l->sect_seen[SECT_HTTP][config_key_index(
	    &config_sections[SECT_HTTP], "users_file")];
	if (conf->listen == NULL)
		config_error(l, line, "users_file: the status pages are served "
		    "on [http] listen, which is not set: add listen = "
		    "127.0.0.1:PORT");
	if (lstat(conf->users_file, &st) == -1 && errno == ENOENT)
		return;
	if (file_check(conf->users_file, FILE_NOFOLLOW | FILE_OWNER_ONLY |
	    FILE_TEXT, USERS_FILE_MAX, why, sizeof(why)) == -1)
		config_error(l, line, "users_file %s: %s", conf->users_file,
		    why);
}

/* [http] listen beyond loopback only when the file says so outright. */
static void
config_check_http(struct config_loader *l, struct config *conf)
{
	unsigned	line;

	if (conf->public_listen != NULL && conf->public_url == NULL &&
	    l->sect_seen[SECT_HTTP][config_key_index(
	    &config_sections[SECT_HTTP], "public_url")] == 0)
		config_error(l, l->sect_seen[SECT_HTTP][config_key_index(
		    &config_sections[SECT_HTTP], "public_listen")],
		    "public_listen needs public_url: the address heads' "
		    "links and Zalo reach it by, e.g. public_url = "
		    "https://nhacviec.example.gov.vn");
	config_check_users(l, conf);
	if (conf->listen == NULL || conf->listen_addr.host == NULL ||
	    conf->listen_allow_remote ||
	    parse_is_loopback(conf->listen_addr.host))
		return;
	line = l->sect_seen[SECT_HTTP][config_key_index(
	    &config_sections[SECT_HTTP], "listen")];
	config_error(l, line, "listen: %s is not a loopback address, and "
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
			config_error(l, r->channels_line, "channels: channel "
			    "'%s' fills its body_template, which has no place "
			    "for a report; use an smtp channel, or a webhook "
			    "without body_template", name);
		return;
	}
	for (i = 0, n = 0; i < conf->nchannels && n < nitems(names) - 1; i++)
		names[n++] = conf->channels[i].name;
	names[n] = NULL;
	if ((near = parse_nearest(name, names)) != NULL)
		config_error(l, r->channels_line, "channels: no channel named "
		    "'%s'; did you mean '%s'?", name, near);
	else if (n > 0)
		config_error(l, r->channels_line, "channels: no channel named "
		    "'%s'; use %s", name, config_join(names, "'", "'", list,
		    sizeof(list)));
	else
		config_error(l, r->channels_line, "channels: no channel named "
		    "'%s'; define [channel %s]", name, name);
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
	line = l->sect_seen[SECT_LEDGER][config_key_index(
	    &config_sections[SECT_LEDGER], "keep")];
	config_error(l, line ? line : r->line, "[ledger] keep = %lldd is "
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
			config_error(l, r->line, "[report %s] has no channel "
			    "that carries email (type smtp, or a webhook with "
			    "contact = email and no body_template): define "
			    "one, or name the channels with channels = NAME",
			    r->name);
			continue;
		}
		r->channels = xcalloc(1, sizeof(*r->channels));
		r->channels[0] = config_strdup(pick->name);
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
			config_error(l, line, "fallback: no channel named "
			    "'%s'; did you mean '%s'?", c->fallback, near);
		else if (n > 0)
			config_error(l, line, "fallback: no channel named "
			    "'%s'; use %s", c->fallback, config_join(names, "'",
			    "'", list, sizeof(list)));
		else
			config_error(l, line, "fallback: no channel named "
			    "'%s'; define [channel %s]", c->fallback,
			    c->fallback);
	}
	if (conf->retry_max_ms < conf->retry_base_ms) {
		i = config_key_index(&config_sections[SECT_DELIVERY],
		    "retry_max");
		j = config_key_index(&config_sections[SECT_DELIVERY],
		    "retry_base");
		line = l->sect_seen[SECT_DELIVERY][i];
		if (line == 0)
			line = l->sect_seen[SECT_DELIVERY][j];
		config_error(l, line, "retry_max is shorter than retry_base; "
		    "make it at least as long");
	}
	config_check_sentinels(l, conf);
	config_check_cluster(l, conf);
	if (conf->redis_address == NULL && conf->sentinels == NULL &&
	    conf->cluster == NULL && l->sect_seen[SECT_REDIS][config_key_index(
	    &config_sections[SECT_REDIS], "address")] == 0)
		config_error(l, 0, "[redis] address is required: use "
		    "unix:/path or HOST:PORT (or sentinels and master, or "
		    "cluster)");
	config_check_alert(l, conf);
	config_check_http(l, conf);
	config_check_reports(l, conf);
}

/* The string defaults, for what the file did not set. */
static void
config_fill(struct config *conf)
{
	size_t	i;

	if (conf->prefix == NULL)
		conf->prefix = config_strdup("nhacviec");
	if (conf->plan_files == NULL)
		conf->plan_files = config_strdup(CONFIG_DEFAULT_PLAN_FILES);
	if (conf->archive_dir == NULL)
		conf->archive_dir = config_strdup(CONFIG_DEFAULT_ARCHIVE_DIR);
	if (conf->consumer == NULL)
		conf->consumer = config_default_consumer();
	for (i = 0; i < conf->nchannels; i++) {
		struct config_channel *c = &conf->channels[i];

		if (c->method == NULL)
			c->method = config_strdup("POST");
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
		return config_strdup(host);
	return s;
}

/* The config file's directory, absolute when it can be. */
static char *
config_dir(const char *path)
{
	char	*copy, *dir, *abs;

	copy = config_strdup(path);
	dir = dirname(copy);
	if ((abs = realpath(dir, NULL)) == NULL)
		abs = config_strdup(dir);
	free(copy);
	return abs;
}

/* Reads path through the INI reader; see config.h. */
struct config *
config_load(const char *path, struct diag *d)
{
	struct config_loader	 l;
	struct config		*conf;
	char			*text, why[512];
	int			 rc;
	size_t			 before, len, i;

	memset(&l, 0, sizeof(l));
	if (file_read(path, 0, FILE_MAX_CONFIG, &text, &len, why,
	    sizeof(why)) == -1) {
		diag_error(d, path, 0, "%s", why);
		return NULL;
	}
	conf = xcalloc(1, sizeof(*conf));
	conf->path = config_strdup(path);
	config_defaults(conf);
	l.conf = conf;
	l.path = path;
	l.dir = config_dir(path);

	rc = inifile_read_text(text, len, &config_reader, &l);
	free(text);
	config_section_end(&l);
	if (rc == 0)
		config_check_all(&l);
	config_fill(conf);

	if (l.nerrs > 0)
		qsort(l.errs, l.nerrs, sizeof(*l.errs), config_error_cmp);
	for (i = 0; i < l.nerrs; i++) {
		diag_error(d, path, l.errs[i].line, "%s", l.errs[i].msg);
		/* The template's own FILE:LINE errors, read again. */
		if (l.errs[i].tpl != NULL)
			template_free(template_load(l.errs[i].tpl, d));
		free(l.errs[i].msg);
		free(l.errs[i].tpl);
	}
	free(l.errs);
	free(l.dir);
	if (l.nerrs > 0) {
		config_free(conf);
		return NULL;
	}
	/* What only the zalo module knows: mode, rate, template_data. */
	before = d->nerrors;
	zalo_config_check(conf, d);
	if (d->nerrors > before) {
		config_free(conf);
		return NULL;
	}
	log_debug("config %s: %zu channels", path, conf->nchannels);
	return conf;
}
