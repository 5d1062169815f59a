/* Zalo OA facts the daemon and the admin command share: settings, the token pair, error classes. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "parse.h"
#include "template.h"
#include "fileio.h"
#include "text.h"
#include "xmalloc.h"
#include "zalo.h"

/*
 * Reference §5. Codes not listed are treated by their range: a negative
 * code we do not know is permanent for the recipient (4xx-like), so one
 * bad reminder never pauses a channel.
 */
static const struct {
	long			code;
	enum zalo_action	action;
} zalo_codes[] = {
	{ 0, ZALO_OK },
	{ -32, ZALO_RETRY },		/* app rate limit */
	{ -100, ZALO_RETRY },		/* ZNS unknown error */
	{ -115, ZALO_RETRY },		/* ZNS balance */
	{ -133, ZALO_RETRY },		/* ZNS at night */
	{ -147, ZALO_RETRY_TOMORROW },	/* template daily limit */
	{ -144, ZALO_RETRY_TOMORROW },	/* OA daily ZNS quota */
	{ -200, ZALO_RETRY },		/* send failed */
	{ -211, ZALO_RETRY },		/* out of quota */
	{ -218, ZALO_RETRY },		/* recipient's cap */
	{ -234, ZALO_RETRY },		/* at night */
	{ -124, ZALO_REFRESH },		/* ZNS: access token invalid */
	{ -216, ZALO_REFRESH },		/* access token invalid */
	{ -220, ZALO_REFRESH },		/* access token expired */
	{ -213, ZALO_NOT_REACHABLE },	/* not a follower */
	{ -230, ZALO_NOT_REACHABLE },	/* no interaction in 7 days */
	{ -232, ZALO_NOT_REACHABLE },	/* interaction expired */
	{ -101, ZALO_MISCONFIGURED }, { -102, ZALO_MISCONFIGURED },
	{ -103, ZALO_MISCONFIGURED }, { -104, ZALO_MISCONFIGURED },
	{ -105, ZALO_MISCONFIGURED }, { -109, ZALO_MISCONFIGURED },
	{ -117, ZALO_MISCONFIGURED }, { -125, ZALO_MISCONFIGURED },
	{ -131, ZALO_MISCONFIGURED }, { -135, ZALO_MISCONFIGURED },
	{ -1351, ZALO_MISCONFIGURED }, { -136, ZALO_MISCONFIGURED },
	{ -137, ZALO_MISCONFIGURED }, { -146, ZALO_MISCONFIGURED },
	{ -204, ZALO_MISCONFIGURED }, { -205, ZALO_MISCONFIGURED },
	{ -209, ZALO_MISCONFIGURED }, { -212, ZALO_MISCONFIGURED },
	{ -219, ZALO_MISCONFIGURED }, { -221, ZALO_MISCONFIGURED },
	{ -223, ZALO_MISCONFIGURED }, { -224, ZALO_MISCONFIGURED },
	{ -235, ZALO_MISCONFIGURED }, { -240, ZALO_MISCONFIGURED },
	{ -242, ZALO_MISCONFIGURED }, { -1241, ZALO_MISCONFIGURED },
	{ -320, ZALO_MISCONFIGURED }, { -321, ZALO_MISCONFIGURED },
};

enum zalo_action
zalo_classify(long code)
{
	size_t	i;

	for (i = 0; i < sizeof(zalo_codes) / sizeof(zalo_codes[0]); i++)
		if (zalo_codes[i].code == code)
			return zalo_codes[i].action;
	return code == 0 ? ZALO_OK : ZALO_PERMANENT;
}

const char *
zalo_action_name(enum zalo_action a)
{
	static const char *names[] = { "ok", "retry", "retry tomorrow",
	    "refresh", "not reachable by cs", "permanent", "misconfigured" };

	return names[a];
}

/* A string member of o as printable text in buf; "" when absent. */
static void
zalo_json_text(json_t *o, const char *name, char *buf, size_t len)
{
	const char	*s = json_string_value(json_object_get(o, name));

	text_printable(buf, len, s ? s : "", s ? strlen(s) : 0);
}

/* A token goes into a header line: no control character in it. */
static int
zalo_token_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

void
zalo_reply_parse(struct zalo_reply *z, long status, const char *body,
    size_t len)
{
	json_error_t	 jerr;
	json_t		*o, *v, *data;

	memset(z, 0, sizeof(*z));
	o = json_loadb(body ? body : "", body ? len : 0, 0, &jerr);
	v = json_object_get(o, "error");
	if (!json_is_integer(v)) {
		z->action = status >= 400 && status < 500 && status != 408 &&
		    status != 429 ? ZALO_PERMANENT : ZALO_RETRY;
		json_decref(o);
		return;
	}
	z->coded = 1;
	z->code = (long)json_integer_value(v);
	z->action = zalo_classify(z->code);
	zalo_json_text(o, "message", z->message, sizeof(z->message));
	if (z->action == ZALO_OK) {
		data = json_object_get(o, "data");
		if (json_is_string(json_object_get(data, "message_id")))
			zalo_json_text(data, "message_id", z->ref,
			    sizeof(z->ref));
		else
			zalo_json_text(data, "msg_id", z->ref, sizeof(z->ref));
	}
	json_decref(o);
}

int
zalo_refresh_parse(struct zalo_token *t, long status, const char *body,
    size_t len, int64_t now_ms, char *err, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*o, *v;
	const char	*at, *rt;
	char		 name[100];
	int64_t		 exp_s = ZALO_EXPIRES_DEFAULT_S;

	memset(t, 0, sizeof(*t));
	o = json_loadb(body ? body : "", body ? len : 0, 0, &jerr);
	at = json_string_value(json_object_get(o, "access_token"));
	rt = json_string_value(json_object_get(o, "refresh_token"));
	if (at == NULL || rt == NULL || !zalo_token_ok(at) ||
	    !zalo_token_ok(rt)) {
		zalo_json_text(o, "error_name", name, sizeof(name));
		v = json_object_get(o, "error");
		snprintf(err, errlen, "the token refresh was refused (HTTP %ld, "
		    "error %lld%s%s)", status, json_is_integer(v) ?
		    (long long)json_integer_value(v) : 0LL,
		    name[0] ? ": " : "", name);
		json_decref(o);
		return -1;
	}
	v = json_object_get(o, "expires_in");
	if (json_is_integer(v))
		exp_s = json_integer_value(v);
	else if (json_is_string(v))
		exp_s = strtoll(json_string_value(v), NULL, 10);
	if (exp_s <= 0)
		exp_s = ZALO_EXPIRES_DEFAULT_S;
	if (exp_s > ZALO_EXPIRES_MAX_S)
		exp_s = ZALO_EXPIRES_MAX_S;
	t->access_token = xstrdup(at);
	t->refresh_token = xstrdup(rt);
	t->status = xstrdup("ok");
	t->access_expires_at = now_ms + exp_s * 1000;
	t->refresh_issued_at = now_ms;
	t->updated_at = now_ms;
	json_decref(o);
	if (t->access_token == NULL || t->refresh_token == NULL ||
	    t->status == NULL) {
		zalo_token_clear(t);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
zalo_parse_rate(const char *s, double *per_s)
{
	char	*end;
	double	 n;

	n = strtod(s, &end);
	if (end == s || n <= 0)
		return -1;
	if (strcmp(end, "/min") == 0)
		*per_s = n / 60;
	else if (strcmp(end, "/s") == 0)
		*per_s = n;
	else if (strcmp(end, "/h") == 0)
		*per_s = n / 3600;
	else
		return -1;
	return 0;
}

#define ZC(f)	offsetof(struct zalo_conf, f)

/* A zalo [channel]'s keys: kept as written, checked by zalo_settings_get. */
const struct schema_key zalo_keys[ZALO_NKEYS] = {
	{ .name = "app_id", .set = schema_set_string, .off = ZC(app_id) },
	{ .name = "secret_key_file", .set = schema_set_secret,
	    .off = ZC(secret_key_file) },
	{ .name = "oa_secret_file", .set = schema_set_secret,
	    .off = ZC(oa_secret_file) },
	{ .name = "template_id", .set = schema_set_string,
	    .off = ZC(template_id) },
	{ .name = "template_data", .set = schema_set_string,
	    .off = ZC(template_data) },
	{ .name = "api_base", .set = schema_set_url, .off = ZC(api_base),
	    .def = ZALO_API_BASE },
	{ .name = "zns_base", .set = schema_set_url, .off = ZC(zns_base),
	    .def = ZALO_ZNS_BASE },
	{ .name = "oauth_base", .set = schema_set_url, .off = ZC(oauth_base),
	    .def = ZALO_OAUTH_BASE },
	{ .name = "state_file", .set = schema_set_path, .off = ZC(state_file),
	    .def = ZALO_STATE_FILE },
	{ .name = "refresh_before", .set = schema_set_string,
	    .off = ZC(refresh_before), .def = "5h" },
	{ .name = "rate", .set = schema_set_string, .off = ZC(rate),
	    .def = "4000/min" },
	{ .name = "mode", .set = schema_set_string, .off = ZC(mode),
	    .def = "cs" },
};

/* Every string of a struct zalo_conf. */
static const size_t zalo_conf_strings[] = {
	ZC(app_id), ZC(secret_key_file), ZC(oa_secret_file), ZC(template_id),
	ZC(template_data), ZC(api_base), ZC(zns_base), ZC(oauth_base),
	ZC(state_file), ZC(refresh_before), ZC(rate), ZC(mode),
};

void
zalo_conf_clear(struct zalo_conf *c)
{
	size_t	i;

	for (i = 0; i < nitems(zalo_conf_strings); i++)
		free(*(char **)((char *)c + zalo_conf_strings[i]));
	memset(c, 0, sizeof(*c));
}

void
zalo_conf_copy(struct zalo_conf *dst, const struct zalo_conf *src)
{
	size_t	i, o;

	for (i = 0; i < nitems(zalo_conf_strings); i++) {
		o = zalo_conf_strings[i];
		*(char **)((char *)dst + o) = xstrdup(*(char *const *)(
		    (const char *)src + o));
	}
}

void
zalo_settings_clear(struct zalo_settings *z)
{
	size_t	i;

	for (i = 0; i < z->nparams; i++) {
		free(z->param_names[i]);
		free(z->param_values[i]);
	}
	free(z->param_names);
	free(z->param_values);
	free(z->api_base);
	free(z->zns_base);
	free(z->oauth_base);
	free(z->state_file);
	memset(z, 0, sizeof(*z));
}

/* "ho_ten={{head}}, cong_viec={{title}}" into names and values. */
static int
zalo_params(const char *s, struct zalo_settings *z, char *err, size_t len)
{
	char	*copy, *item, *save = NULL, *eq, *name, *val;
	size_t	 cap = 0;

	copy = xstrdup(s);
	for (item = strtok_r(copy, ",", &save); item;
	    item = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(item, '=')) == NULL) {
			snprintf(err, len, "template_data: '%s' is not "
			    "name={{placeholder}}", item);
			free(copy);
			return -1;
		}
		*eq = '\0';
		name = item + strspn(item, " \t");
		name[strcspn(name, " \t")] = '\0';
		val = eq + 1 + strspn(eq + 1, " \t");
		while (*val && (val[strlen(val) - 1] == ' ' ||
		    val[strlen(val) - 1] == '\t'))
			val[strlen(val) - 1] = '\0';
		if (*name == '\0' || *val == '\0') {
			snprintf(err, len, "template_data: an empty name or "
			    "value in '%s'", s);
			free(copy);
			return -1;
		}
		if (z->nparams == cap) {
			cap = cap ? cap * 2 : 8;
			z->param_names = xreallocarray(z->param_names, cap,
			    sizeof(char *));
			z->param_values = xreallocarray(z->param_values, cap,
			    sizeof(char *));
		}
		z->param_names[z->nparams] = xstrdup(name);
		z->param_values[z->nparams++] = xstrdup(val);
	}
	free(copy);
	return 0;
}

static int
zalo_settings_fill(const struct zalo_conf *c, struct zalo_settings *z,
    char *err, size_t len)
{
	/* Copies: the settings outlive the config they came from (SIGHUP). */
	z->api_base = xstrdup(c->api_base);
	z->zns_base = xstrdup(c->zns_base);
	z->oauth_base = xstrdup(c->oauth_base);
	z->state_file = xstrdup(c->state_file);
	if (z->api_base == NULL || z->zns_base == NULL ||
	    z->oauth_base == NULL || z->state_file == NULL)
		abort();
	if (c->mode == NULL || strcmp(c->mode, "cs") == 0)
		z->mode = ZALO_CS;
	else if (strcmp(c->mode, "zns") == 0)
		z->mode = ZALO_ZNS;
	else if (strcmp(c->mode, "cs-then-zns") == 0)
		z->mode = ZALO_CS_THEN_ZNS;
	else {
		snprintf(err, len, "mode '%s': use cs, zns or cs-then-zns",
		    c->mode);
		return -1;
	}
	if (c->refresh_before && parse_duration(c->refresh_before,
	    &z->refresh_before_ms, err, len) == -1)
		return -1;
	if (c->rate && zalo_parse_rate(c->rate, &z->rate_per_s) == -1) {
		snprintf(err, len, "rate '%s': use a number per minute, "
		    "second or hour, e.g. 4000/min", c->rate);
		return -1;
	}
	if (c->app_id == NULL) {
		snprintf(err, len, "app_id is required for type zalo (and the "
		    "app secret: secret_key_file, or the systemd credential "
		    "%s)", ZALO_SECRET_CREDENTIAL);
		return -1;
	}
	if (z->mode != ZALO_CS && (c->template_id == NULL ||
	    c->template_data == NULL)) {
		snprintf(err, len, "mode %s sends ZNS: template_id and "
		    "template_data are required", c->mode);
		return -1;
	}
	if (c->template_data && zalo_params(c->template_data, z, err,
	    len) == -1)
		return -1;
	return 0;
}

int
zalo_settings_get(const struct zalo_conf *c, struct zalo_settings *z,
    char *err, size_t len)
{
	memset(z, 0, sizeof(*z));
	if (zalo_settings_fill(c, z, err, len) == -1) {
		zalo_settings_clear(z);
		return -1;
	}
	return 0;
}

static void
zalo_free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
zalo_token_clear(struct zalo_token *t)
{
	zalo_free_secret(t->access_token);
	zalo_free_secret(t->refresh_token);
	free(t->status);
	free(t->reason);
	memset(t, 0, sizeof(*t));
}

int
zalo_token_copy(struct zalo_token *dst, const struct zalo_token *src)
{
	zalo_token_clear(dst);
	*dst = *src;
	dst->access_token = xstrdup(src->access_token);
	dst->refresh_token = xstrdup(src->refresh_token);
	dst->status = xstrdup(src->status);
	dst->reason = xstrdup(src->reason);
	return 0;
}

/* A number stored as a JSON integer or a decimal string. */
static int64_t
zalo_json_ms(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	return 0;
}

int
zalo_token_read_file(const char *path, struct zalo_token *t, char *err,
    size_t len)
{
	json_error_t	 jerr;
	json_t		*o;
	char		*text;
	size_t		 n;

	memset(t, 0, sizeof(*t));
	if (file_read(path, FILE_NOFOLLOW | FILE_OWNER_ONLY, 65536, &text, &n,
	    err, len) == -1) {
		char	why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, len, "%s: %s", path, why);
		return -1;
	}
	o = json_loadb(text, n, 0, &jerr);
	explicit_bzero(text, n);
	free(text);
	if (o == NULL || !json_is_object(o)) {
		snprintf(err, len, "%s:%d: not a token file: %s", path,
		    jerr.line, o ? "not an object" : jerr.text);
		json_decref(o);
		return -1;
	}
	t->access_token = xstrdup(json_string_value(json_object_get(o,
	    "access_token")));
	t->refresh_token = xstrdup(json_string_value(json_object_get(o,
	    "refresh_token")));
	t->access_expires_at = zalo_json_ms(json_object_get(o,
	    "access_expires_at"));
	t->refresh_issued_at = zalo_json_ms(json_object_get(o,
	    "refresh_issued_at"));
	t->updated_at = zalo_json_ms(json_object_get(o, "updated_at"));
	t->status = xstrdup(json_string_value(json_object_get(o, "status")));
	t->reason = xstrdup(json_string_value(json_object_get(o, "reason")));
	json_decref(o);
	if (t->refresh_token == NULL) {
		snprintf(err, len, "%s: no refresh_token in the file", path);
		zalo_token_clear(t);
		return -1;
	}
	return 0;
}

int
zalo_token_write_file(const char *path, const struct zalo_token *t,
    char *err, size_t len)
{
	json_t	*o;
	char	*text, *tmp, *dircopy;
	int	 fd, dfd, rc = -1;
	size_t	 n;

	o = json_pack("{s:s?, s:s?, s:I, s:I, s:I, s:s?, s:s?}",
	    "access_token", t->access_token, "refresh_token", t->refresh_token,
	    "access_expires_at", (json_int_t)t->access_expires_at,
	    "refresh_issued_at", (json_int_t)t->refresh_issued_at,
	    "updated_at", (json_int_t)t->updated_at,
	    "status", t->status, "reason", t->reason);
	if (o == NULL || (text = json_dumps(o, JSON_INDENT(1))) == NULL) {
		json_decref(o);
		snprintf(err, len, "cannot encode the token file");
		return -1;
	}
	json_decref(o);
	/*
	 * A fresh temporary file each time (mkostemp: O_CREAT|O_EXCL, so no
	 * stale file or link is reused), its mode set on the descriptor.
	 */
	if (asprintf(&tmp, "%s.XXXXXX", path) == -1)
		abort();
	n = strlen(text);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1 || fchmod(fd, 0600) == -1 ||
	    write(fd, text, n) != (ssize_t)n || fsync(fd) == -1) {
		snprintf(err, len, "%s: cannot write: %s", tmp,
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		goto out;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		snprintf(err, len, "%s: cannot rename to %s: %s", tmp, path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	/* The rename itself must survive a crash: fsync the folder. */
	dircopy = xstrdup(path);
	if ((dfd = open(dirname(dircopy), O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	free(dircopy);
	rc = 0;
out:
	explicit_bzero(text, n);
	free(text);
	free(tmp);
	return rc;
}

int
zalo_token_from_pairs(struct zalo_token *t, char *const *pairs, size_t n)
{
	size_t	i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i + 1 < n; i += 2) {
		const char *k = pairs[i], *v = pairs[i + 1];

		if (strcmp(k, "access_token") == 0 && *v)
			t->access_token = xstrdup(v);
		else if (strcmp(k, "refresh_token") == 0 && *v)
			t->refresh_token = xstrdup(v);
		else if (strcmp(k, "access_expires_at") == 0)
			t->access_expires_at = strtoll(v, NULL, 10);
		else if (strcmp(k, "refresh_issued_at") == 0)
			t->refresh_issued_at = strtoll(v, NULL, 10);
		else if (strcmp(k, "updated_at") == 0)
			t->updated_at = strtoll(v, NULL, 10);
		else if (strcmp(k, "status") == 0)
			t->status = xstrdup(v);
		else if (strcmp(k, "reason") == 0)
			t->reason = xstrdup(v);
	}
	return t->refresh_token ? 0 : -1;
}
