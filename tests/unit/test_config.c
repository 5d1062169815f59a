/* Unit tests for common/config.c: a full config, defaults, every error. */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <ini.h>

#include "config.h"
#include "xmalloc.h"

#define MSGS_MAX	8

static char	test_dir[4096];		/* real path of a fresh temp dir */
static char	test_conf[4200];	/* test_dir/nhacviec.conf */

/* A copy of s, FILE replaced by the config's path and DIR by its dir. */
static char *
subst(const char *s)
{
	char	*out, *o;
	size_t	 k;

	/* Each byte of s grows at most to the whole of test_conf. */
	out = o = calloc(strlen(s) + 1, strlen(test_conf) + 1);
	assert_non_null(out);
	while (*s != '\0') {
		if (strncmp(s, "FILE", 4) == 0) {
			k = strlen(test_conf);
			memcpy(o, test_conf, k);
			o += k;
			s += 4;
		} else if (strncmp(s, "DIR", 3) == 0) {
			k = strlen(test_dir);
			memcpy(o, test_dir, k);
			o += k;
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

static void
write_file(const char *name, const char *text, size_t len, mode_t mode)
{
	char	path[4400];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Writes text (after subst) as the config file and loads it. */
static struct config *
load_text(const char *text, struct diag *d)
{
	char	*t = subst(text);

	write_file("nhacviec.conf", t, strlen(t), 0644);
	free(t);
	diag_init(d);
	return config_load(test_conf, d);
}

static void
remove_file(const char *name)
{
	char	path[4400];

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	unlink(path);
}

static void
write_text(const char *name, const char *text)
{
	write_file(name, text, strlen(text), 0644);
}

/* Files setup writes, for teardown. */
static const char *const test_files[] = {
	"nhacviec.conf", "secret600", "secret644", "secret640", "body.json",
	"tpl-ok.txt", "tpl-bad.txt", "subject.txt", "subject-2.txt",
	"body-bad.json", "body-note.json", "body-dup.json", "tpl-long.txt",
};

static int
setup(void **state)
{
	char	tmpl[] = "/tmp/nv-test-config-XXXXXX", *long_text;
	size_t	i;

	(void)state;
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, test_dir) == NULL)
		return -1;
	snprintf(test_conf, sizeof(test_conf), "%s/nhacviec.conf", test_dir);
	write_file("secret600", "s3cret\n", 7, 0600);
	write_file("secret644", "s3cret\n", 7, 0644);
	write_file("secret640", "s3cret\n", 7, 0640);
	write_text("body.json", "{\"text\": \"{{title}}\"}\n");
	write_text("tpl-ok.txt", "Kính gửi {{ head }}: {{title}}, hạn "
	    "{{due_text}}.\n");
	write_text("tpl-bad.txt", "Kính gửi {{titel}}\n\nhạn {{due_text\n"
	    "{{#note}}Ghi chú: {{note}}\n");
	write_text("subject.txt", "[Nhắc việc] {{title}}\n");
	write_text("subject-2.txt", "[Nhắc việc] {{title}}\nhạn {{due}}\n");
	write_text("body-bad.json", "{\"task\": {{task}}}\n");
	write_text("body-note.json", "{\"task\": \"{{task}}\"{{#note}}, "
	    "\"note\": \"{{note}}\"{{/note}}{{^note}},{{/note}}}\n");
	write_text("body-dup.json", "{\"a\": \"{{task}}\", \"a\": 1}\n");
	/* 2001 code points (4002 bytes and more) once {{note}} is empty. */
	assert_non_null(long_text = calloc(1, 2 * 3 * 2000 + 32));
	strcpy(long_text, "{{note}}");
	for (i = 0; i < 2000; i++)
		strcat(long_text, "ạ");
	strcat(long_text, "x\n");
	write_text("tpl-long.txt", long_text);
	free(long_text);
	return 0;
}

static int
teardown(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(test_files); i++)
		remove_file(test_files[i]);
	return rmdir(test_dir);
}

/* Prints what the loader said, for a failing case. */
static void
dump(const char *name, const struct diag *d)
{
	size_t	i;

	print_error("case '%s' got %zu message(s):\n", name, d->n);
	for (i = 0; i < d->n; i++)
		print_error("  %s\n", d->msgs[i]);
}

static const char full_config[] =
	"; nhacviec main config\n"
	"[redis]\n"
	"address = unix:/run/redis/redis-server.sock\n"
	"prefix  = nv-test\n"
	"password_file = secret600\n"
	"consumer = worker-1\n"
	"connect_timeout = 500ms\n"
	"\n"
	"[plan]\n"
	"files   = plan.d/*.conf\n"
	"horizon = 40d\n"
	"\n"
	"# delivery rules\n"
	"[delivery]\n"
	"hours        = 06:30-24:00\n"
	"grace        = 1h30m\n"
	"max_attempts = 5\n"
	"batch = 100\n"
	"retry_base = 10s\n"
	"retry_max = 30m\n"
	"drain_timeout = 5s\n"
	"reclaim_idle = 90s\n"
	"\n"
	"[channel zalo]            ; NAME is what tasks list\n"
	"type    = zalo            ; zalo | webhook | smtp | console\n"
	"contact = zalo\n"
	"fallback = email\n"
	"app_id = 1234\n"
	"secret_key_file = DIR/secret600\n"
	"api_base = http://127.0.0.1:8081\n"
	"template_id = 987\n"
	"\n"
	"[channel email]\n"
	"type    = webhook\n"
	"contact = email\n"
	"url     = https://mail.example.gov.vn/api/send?a=1;b=2\n"
	"method  = PUT\n"
	"header  = Authorization: Bearer abc\n"
	"header  = X-Trace:1\n"
	"header  = Content-Type: text/plain; charset=utf-8 ; a comment\n"
	"body_template = body.json\n"
	"timeout = 3s\n"
	"  concurrency = 2\n"
	"\n"
	"[channel mail]\n"
	"type = smtp\n"
	"contact = email\n"
	"url = smtps://smtp.example.gov.vn:465\n"
	"from = nhacviec@example.gov.vn\n"
	"username = nv\n"
	"password_file = secret600\n"
	"template = tpl-ok.txt\n"
	"subject_template = subject.txt\n"
	"\n"
	"[channel log]\n"
	"type = console\n"
	"template = DIR/tpl-ok.txt\n"
	"\n"
	"[http]\n"
	"listen = [::1]:9464\n"
	"max_connections = 64\n"
	"idle_timeout = 30s\n"
	"request_timeout = 5s\n"
	"\n"
	"[ledger]\n"
	"keep = 2000h\n"
	"archive_dir = archive\n";

static void
test_full(void **state)
{
	const struct config_channel	*c;
	struct config			*conf;
	struct diag			 d;
	char				*s;

	(void)state;
	conf = load_text(full_config, &d);
	if (conf == NULL || d.n != 0)
		dump("full", &d);
	assert_non_null(conf);
	assert_int_equal(d.n, 0);

	assert_string_equal(conf->path, test_conf);
	assert_string_equal(conf->redis_address,
	    "unix:/run/redis/redis-server.sock");
	assert_string_equal(conf->redis_addr.path,
	    "/run/redis/redis-server.sock");
	assert_null(conf->redis_addr.host);
	assert_string_equal(conf->prefix, "nv-test");
	s = subst("DIR/secret600");
	assert_string_equal(conf->password_file, s);
	free(s);
	assert_string_equal(conf->consumer, "worker-1");
	assert_int_equal(conf->connect_timeout_ms, 500);

	/* Relative paths are relative to the config file's folder. */
	s = subst("DIR/plan.d/*.conf");
	assert_string_equal(conf->plan_files, s);
	free(s);
	assert_int_equal(conf->horizon_ms, 40LL * 86400 * 1000);

	assert_int_equal(conf->hours_start, 6 * 60 + 30);
	assert_int_equal(conf->hours_end, 24 * 60);
	assert_int_equal(conf->grace_ms, 90 * 60 * 1000);
	assert_int_equal(conf->max_attempts, 5);
	assert_int_equal(conf->batch, 100);
	assert_int_equal(conf->retry_base_ms, 10000);
	assert_int_equal(conf->retry_max_ms, 30 * 60 * 1000);
	assert_int_equal(conf->drain_timeout_ms, 5000);
	assert_int_equal(conf->reclaim_idle_ms, 90000);

	assert_int_equal(conf->nchannels, 4);
	c = config_channel_find(conf, "zalo");
	assert_non_null(c);
	assert_ptr_equal(c, &conf->channels[0]);
	assert_int_equal(c->line, 24);
	assert_int_equal(c->type, CHANNEL_ZALO);
	assert_string_equal(c->contact, "zalo");
	assert_string_equal(c->fallback, "email");
	assert_int_equal(c->fallback_line, 27);
	assert_string_equal(c->zalo.app_id, "1234");
	s = subst("DIR/secret600");
	assert_string_equal(c->zalo.secret_key_file, s);
	free(s);
	assert_string_equal(c->zalo.api_base, "http://127.0.0.1:8081");
	assert_string_equal(c->zalo.template_id, "987");
	assert_null(c->url);
	assert_int_equal(c->timeout_ms, 10000);
	assert_int_equal(c->concurrency, 8);

	c = config_channel_find(conf, "email");
	assert_non_null(c);
	assert_int_equal(c->line, 33);
	assert_int_equal(c->type, CHANNEL_WEBHOOK);
	assert_string_equal(c->contact, "email");
	assert_null(c->fallback);
	assert_string_equal(c->url,
	    "https://mail.example.gov.vn/api/send?a=1;b=2");
	assert_string_equal(c->method, "PUT");
	assert_int_equal(c->nheaders, 3);
	assert_string_equal(c->headers[0].name, "Authorization");
	assert_string_equal(c->headers[0].value, "Bearer abc");
	assert_string_equal(c->headers[1].name, "X-Trace");
	assert_string_equal(c->headers[1].value, "1");
	/* ';' after a space starts a comment; without one it is text. */
	assert_string_equal(c->headers[2].name, "Content-Type");
	assert_string_equal(c->headers[2].value, "text/plain; charset=utf-8");
	s = subst("DIR/body.json");
	assert_string_equal(c->body_template, s);
	free(s);
	assert_int_equal(c->timeout_ms, 3000);
	/* An indented line is a key of its own, not a continuation. */
	assert_int_equal(c->concurrency, 2);

	c = config_channel_find(conf, "mail");
	assert_non_null(c);
	assert_int_equal(c->type, CHANNEL_SMTP);
	assert_string_equal(c->url, "smtps://smtp.example.gov.vn:465");
	assert_string_equal(c->from, "nhacviec@example.gov.vn");
	assert_string_equal(c->username, "nv");
	assert_string_equal(c->method, "POST");
	/* Template paths are stored, resolved like every file. */
	s = subst("DIR/tpl-ok.txt");
	assert_string_equal(c->template, s);
	free(s);
	s = subst("DIR/subject.txt");
	assert_string_equal(c->subject_template, s);
	free(s);

	c = config_channel_find(conf, "log");
	assert_non_null(c);
	assert_int_equal(c->type, CHANNEL_CONSOLE);
	assert_null(c->contact);
	s = subst("DIR/tpl-ok.txt");
	assert_string_equal(c->template, s);
	free(s);
	assert_null(c->body_template);
	assert_null(c->subject_template);
	assert_null(config_channel_find(conf, "zalo")->template);

	assert_null(config_channel_find(conf, "sms"));
	assert_string_equal(conf->listen, "[::1]:9464");
	assert_string_equal(conf->listen_addr.host, "::1");
	assert_int_equal(conf->listen_addr.port, 9464);
	assert_int_equal(conf->listen_allow_remote, 0);
	assert_int_equal(conf->http_max_connections, 64);
	assert_int_equal(conf->http_idle_timeout_ms, 30000);
	assert_int_equal(conf->http_request_timeout_ms, 5000);

	assert_int_equal(conf->keep_ms, 2000LL * 3600 * 1000);
	s = subst("DIR/archive");
	assert_string_equal(conf->archive_dir, s);
	free(s);

	/* The libinih knobs are global: config_load puts them back. */
	assert_true(ini_allow_multiline);

	config_free(conf);
	diag_clear(&d);
}

static void
test_defaults(void **state)
{
	FILE		*fp;
	char		 id[64];
	struct config	*conf;
	struct diag	 d;
	char		 host[256];

	(void)state;
	conf = load_text("[redis]\naddress = 127.0.0.1:6379\n", &d);
	if (conf == NULL)
		dump("defaults", &d);
	assert_non_null(conf);
	assert_int_equal(d.n, 0);
	assert_string_equal(conf->redis_addr.host, "127.0.0.1");
	assert_int_equal(conf->redis_addr.port, 6379);
	assert_string_equal(conf->prefix, "nhacviec");
	assert_null(conf->password_file);
	/* The host name and the machine id's start: unique per machine. */
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	assert_int_equal(strncmp(conf->consumer, host, strlen(host)), 0);
	if ((fp = fopen("/etc/machine-id", "r")) != NULL) {
		assert_non_null(fgets(id, sizeof(id), fp));
		fclose(fp);
		assert_int_equal(conf->consumer[strlen(host)], '-');
		assert_int_equal(strncmp(conf->consumer + strlen(host) + 1, id,
		    8), 0);
		assert_int_equal(strlen(conf->consumer), strlen(host) + 9);
	}
	assert_int_equal(conf->connect_timeout_ms, 2000);
	assert_string_equal(conf->plan_files, "/etc/nhacviec/plan.d/*.conf");
	assert_int_equal(conf->horizon_ms, 35LL * 86400 * 1000);
	assert_int_equal(conf->keep_ms, 400LL * 86400 * 1000);
	assert_string_equal(conf->archive_dir, "/var/lib/nhacviec/archive");
	assert_int_equal(conf->hours_start, 7 * 60);
	assert_int_equal(conf->hours_end, 21 * 60);
	assert_int_equal(conf->grace_ms, 6 * 3600 * 1000);
	assert_int_equal(conf->max_attempts, 8);
	assert_int_equal(conf->batch, 256);
	assert_int_equal(conf->retry_base_ms, 30000);
	assert_int_equal(conf->retry_max_ms, 3600000);
	assert_int_equal(conf->drain_timeout_ms, 10000);
	assert_int_equal(conf->reclaim_idle_ms, 120000);
	assert_int_equal(conf->nchannels, 0);
	assert_null(conf->listen);
	config_free(conf);
	diag_clear(&d);
	config_free(NULL);
}

/* [http]: the limits' defaults; beyond loopback when the file says so outright. */
static void
test_listen_remote(void **state)
{
	static const char *const texts[] = {
		"[redis]\naddress = 127.0.0.1:6379\n[http]\n"
		"listen = 0.0.0.0:9464\nlisten_allow_remote = yes\n",
		"[redis]\naddress = 127.0.0.1:6379\n[http]\n"
		"listen_allow_remote = on\nlisten = [::]:9464\n",
		"[redis]\naddress = 127.0.0.1:6379\n[http]\n"
		"listen = localhost:9464\n",
		"[redis]\naddress = 127.0.0.1:6379\n[http]\n"
		"listen = 127.0.0.2:9464\nlisten_allow_remote = no\n",
	};
	static const int allowed[] = { 1, 1, 0, 0 };
	struct config	*conf;
	struct diag	 d;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(texts); i++) {
		conf = load_text(texts[i], &d);
		if (conf == NULL || d.n != 0)
			dump(texts[i], &d);
		assert_non_null(conf);
		assert_int_equal(d.n, 0);
		assert_int_equal(conf->listen_allow_remote, allowed[i]);
		assert_int_equal(conf->http_max_connections, 256);
		assert_int_equal(conf->http_idle_timeout_ms, 60000);
		assert_int_equal(conf->http_request_timeout_ms, 10000);
		config_free(conf);
		diag_clear(&d);
	}
}

/* [redis] cluster: the seed nodes, in order; address and Sentinels unset. */
static void
test_cluster(void **state)
{
	static const char text[] = "[redis]\nprefix = thanh-tri\n"
	    "cluster = 10.0.0.5:7000, 10.0.0.6:7001\t[::1]:7002\n";
	struct config	*conf;
	struct diag	 d;

	(void)state;
	conf = load_text(text, &d);
	if (conf == NULL || d.n != 0)
		dump(text, &d);
	assert_non_null(conf);
	assert_int_equal(conf->ncluster, 3);
	assert_string_equal(conf->cluster_addrs[0].host, "10.0.0.5");
	assert_int_equal(conf->cluster_addrs[0].port, 7000);
	assert_string_equal(conf->cluster_addrs[1].host, "10.0.0.6");
	assert_int_equal(conf->cluster_addrs[1].port, 7001);
	assert_string_equal(conf->cluster_addrs[2].host, "::1");
	assert_int_equal(conf->cluster_addrs[2].port, 7002);
	assert_null(conf->redis_address);
	assert_int_equal(conf->nsentinels, 0);
	assert_string_equal(conf->prefix, "thanh-tri");
	config_free(conf);
	diag_clear(&d);
}

/* users_file: relative to the config; a file not made yet is fine. */
static void
test_users_file(void **state)
{
	struct config	*conf;
	struct diag	 d;
	char		*want;

	(void)state;
	conf = load_text("[redis]\naddress = 127.0.0.1:6379\n"
	    "[http]\nlisten = 127.0.0.1:9464\n"
	    "users_file = users-not-yet\n", &d);
	assert_non_null(conf);
	assert_int_equal(d.n, 0);
	want = subst("DIR/users-not-yet");
	assert_string_equal(conf->users_file, want);
	free(want);
	config_free(conf);
	diag_clear(&d);
	conf = load_text("[redis]\naddress = 127.0.0.1:6379\n"
	    "[http]\nlisten = 127.0.0.1:9464\n"
	    "users_file = secret600\n", &d);
	assert_non_null(conf);
	assert_int_equal(d.n, 0);
	config_free(conf);
	diag_clear(&d);
	conf = load_text("[redis]\naddress = 127.0.0.1:6379\n", &d);
	assert_non_null(conf);
	assert_null(conf->users_file);
	config_free(conf);
	diag_clear(&d);
}

/* Windows line ends, a byte-order mark and Vietnamese text are fine. */
static void
test_crlf_bom(void **state)
{
	struct config	*conf;
	struct diag	 d;

	(void)state;
	conf = load_text("\xef\xbb\xbf[redis]\r\n"
	    "address = 127.0.0.1:6379\r\n"
	    "; Kênh nhắc việc qua Zalo\r\n"
	    "[channel zalo]\r\n"
	    "type = zalo\r\n"
	    "contact = zalo\r\n"
	    "app_id = 1234\r\n"
	    "secret_key_file = secret600\r\n"
	    "template_data = ho_ten={{head}}, noi_dung={{title}}\r\n", &d);
	if (conf == NULL)
		dump("crlf", &d);
	assert_non_null(conf);
	assert_string_equal(conf->channels[0].contact, "zalo");
	assert_string_equal(conf->channels[0].zalo.template_data,
	    "ho_ten={{head}}, noi_dung={{title}}");
	config_free(conf);
	diag_clear(&d);
}

/* A line longer than inih's first buffer arrives whole; lines still count. */
static void
test_long_lines(void **state)
{
	struct config	*conf;
	struct diag	 d;
	char		*text, *want;
	size_t		 n = 70000;

	(void)state;
	text = calloc(1, n + 200);
	assert_non_null(text);
	strcpy(text, "[redis]\naddress = 127.0.0.1:6379\n[channel w]\n"
	    "type = webhook\ncontact = email\nurl = https://h.example/\n"
	    "header = X-Long: ");
	memset(text + strlen(text), 'v', 5000);
	strcat(text, "\nbogus line\n");
	conf = load_text(text, &d);
	want = subst("FILE:8: expected 'key = value' or '[section]'");
	if (d.n != 1 || strcmp(d.msgs[0], want) != 0)
		dump("5000-byte line", &d);
	assert_null(conf);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	diag_clear(&d);

	strcpy(text, "[redis]\naddress = 127.0.0.1:6379\nprefix = ");
	memset(text + strlen(text), 'p', n);
	strcat(text, "\nbogus\n");
	conf = load_text(text, &d);
	assert_null(conf);
	if (d.n != 2)
		dump("70000-byte line", &d);
	assert_int_equal(d.n, 2);
	want = subst("FILE:3: the line is too long (70010 bytes); at most "
	    "65533");
	assert_string_equal(d.msgs[0], want);
	free(want);
	want = subst("FILE:4: expected 'key = value' or '[section]'");
	assert_string_equal(d.msgs[1], want);
	free(want);
	diag_clear(&d);
	free(text);
}

/* A NUL byte and bytes that are not UTF-8 are errors at their line. */
static void
test_bad_bytes(void **state)
{
	static const char text[] = "[redis]\naddress = 127.0.0.1:6379\n"
	    "prefix = a\0b\nconsumer = \xe1\xbb\n";
	struct config	*conf;
	struct diag	 d;
	char		*want;

	(void)state;
	write_file("nhacviec.conf", text, sizeof(text) - 1, 0644);
	diag_init(&d);
	conf = config_load(test_conf, &d);
	assert_null(conf);
	if (d.n != 2)
		dump("bad bytes", &d);
	assert_int_equal(d.n, 2);
	want = subst("FILE:3: the line holds a NUL byte; the file must be "
	    "UTF-8 text");
	assert_string_equal(d.msgs[0], want);
	free(want);
	want = subst("FILE:4: the line is not valid UTF-8; save the file as "
	    "UTF-8");
	assert_string_equal(d.msgs[1], want);
	free(want);
	diag_clear(&d);
}

static void
test_cannot_open(void **state)
{
	struct diag	 d;
	char		*path, *want;

	(void)state;
	diag_init(&d);
	path = subst("DIR/missing.conf");
	assert_null(config_load(path, &d));
	want = subst("DIR/missing.conf: cannot open: No such file or "
	    "directory");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	free(path);
	diag_clear(&d);

	diag_init(&d);
	path = subst("DIR");
	assert_null(config_load(path, &d));
	want = subst("DIR: not a regular file (a directory)");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], want);
	free(want);
	free(path);
	diag_clear(&d);
}

static void
test_type_names(void **state)
{
	(void)state;
	assert_string_equal(config_channel_type_name(CHANNEL_CONSOLE),
	    "console");
	assert_string_equal(config_channel_type_name(CHANNEL_WEBHOOK),
	    "webhook");
	assert_string_equal(config_channel_type_name(CHANNEL_SMTP), "smtp");
	assert_string_equal(config_channel_type_name(CHANNEL_ZALO), "zalo");
	assert_string_equal(config_channel_type_name((enum channel_type)9),
	    "unknown");
}

#define REDIS	"[redis]\naddress = 127.0.0.1:6379\n"
#define TPL_ALLOWED	"title, task, due, due_text, agency, head, lead, " \
			"partners, window, note, fire_at, contact, " \
			"window_name, window_start, window_end, windows, " \
			"overdue, role, lead_role, partner_role, plan, " \
			"plan_number, plan_date, plan_issuer, plan_title, code, " \
			"confirm_url, escalation"
#define DHINT	"use a number and a unit (ms, s, m, h, d), e.g. 30m"
/* Lines 3 to 9: a mail channel a report can go on. */
#define MAIL	"[channel mail]\ntype = smtp\ncontact = email\n" \
		"url = smtps://smtp.example.gov.vn\n" \
		"from = nhacviec@example.gov.vn\n\n\n"

/* A config that must fail, and every message it must give, in order. */
static const struct {
	const char	*name;
	const char	*text;
	const char	*msgs[MSGS_MAX];
} bad_cases[] = {
	{ "unknown section with a suggestion",
	    REDIS "[deliverty]\ngrace = 1h\n",
	    { "FILE:3: unknown section [deliverty]; did you mean "
	      "[delivery]?" } },
	{ "unknown section, channel misspelt",
	    REDIS "[chanel zalo]\ntype = zalo\n",
	    { "FILE:3: unknown section [chanel zalo]; did you mean "
	      "[channel zalo]?" } },
	{ "unknown section without a suggestion",
	    REDIS "[metrics]\n",
	    { "FILE:3: unknown section [metrics]; use [redis], [plan], "
	      "[ledger], [delivery], [channel NAME], [report NAME] or "
	      "[http]" } },
	{ "unknown key with a suggestion",
	    REDIS "[plan]\nhorizn = 30d\n",
	    { "FILE:4: unknown key 'horizn' in [plan]; did you mean "
	      "'horizon'?" } },
	{ "unknown key without a suggestion",
	    REDIS "[plan]\ndirectory = /x\n",
	    { "FILE:4: unknown key 'directory' in [plan]; use 'files' or "
	      "'horizon'" } },
	{ "unknown key in a channel",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nheaders = X-A: 1\n",
	    { "FILE:7: unknown key 'headers' in [channel e]; did you mean "
	      "'header'?" } },
	{ "unknown key in a channel of a known type",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nbogus = 1\n[channel c]\nbogus = 1\n"
	    "type = console\n",
	    { "FILE:7: unknown key 'bogus' in [channel e]; use 'type', "
	      "'contact', 'fallback', 'url', 'method', 'header', "
	      "'body_template', 'template', 'timeout', 'digest', 'concurrency' or "
	      "'ca_file'",
	      "FILE:9: unknown key 'bogus' in [channel c]; use 'type', "
	      "'contact', 'fallback', 'url', 'method', 'header', "
	      "'body_template', 'template', 'timeout', 'digest', 'concurrency', 'ca_file', "
	      "'app_id', 'secret_key_file', 'oa_secret_file', 'template_id', 'template_data', "
	      "'api_base', 'zns_base', 'oauth_base', 'state_file', "
	      "'refresh_before', 'rate', 'mode', 'from', 'username', "
	      "'password_file' or 'subject_template'" } },
	{ "unknown key in [ledger]",
	    REDIS "[ledger]\nfolder = /x\n",
	    { "FILE:4: unknown key 'folder' in [ledger]; use 'keep' or "
	      "'archive_dir'" } },
	{ "ledger kept too short",
	    REDIS "[ledger]\nkeep = 29d23h\n",
	    { "FILE:4: keep: 29d23h is shorter than 30d: what is older is "
	      "archived and leaves Redis; give at least 30d, e.g. 400d" } },
	{ "ledger kept 0",
	    REDIS "[ledger]\nkeep = 0\n",
	    { "FILE:4: keep: '0' is not allowed: what is older is archived "
	      "and leaves Redis, and nothing stays there forever; give at "
	      "least 30d, e.g. 400d" } },
	{ "ledger kept off",
	    REDIS "[ledger]\nkeep = Off\n",
	    { "FILE:4: keep: 'Off' is not allowed: what is older is archived "
	      "and leaves Redis, and nothing stays there forever; give at "
	      "least 30d, e.g. 400d" } },
	{ "ledger kept in weeks",
	    REDIS "[ledger]\nkeep = 8w\n",
	    { "FILE:4: keep: bad duration '8w': " DHINT } },
	{ "an empty archive_dir",
	    REDIS "[ledger]\narchive_dir =\n",
	    { "FILE:4: archive_dir: empty value; give a value or remove the "
	      "line" } },
	{ "a report reads back more than the ledger keeps",
	    REDIS MAIL "[report q]\nevery = quarter\nat = end+5d@08:00\n"
	    "to = noi-vu\n[ledger]\nkeep = 60d\n",
	    { "FILE:15: [ledger] keep = 60d is shorter than [report q] reads "
	      "back (a quarter, 5 days after it and a week of retries): its "
	      "figures would miss what was archived; make keep at least "
	      "104d" } },
	{ "a year's report and the default keep",
	    REDIS MAIL "[report y]\nevery = year\nat = end+40d@08:00\n"
	    "to = noi-vu\n",
	    { "FILE:10: [ledger] keep = 400d is shorter than [report y] reads "
	      "back (a year, 40 days after it and a week of retries): its "
	      "figures would miss what was archived; make keep at least "
	      "413d" } },
	{ "bad duration",
	    REDIS "[delivery]\ngrace = 6x\n",
	    { "FILE:4: grace: bad duration '6x': " DHINT } },
	{ "negative duration",
	    REDIS "[delivery]\nretry_base = -1s\n",
	    { "FILE:4: retry_base: negative duration '-1s': use 0 or more, "
	      "e.g. 30m" } },
	{ "zero horizon",
	    REDIS "[plan]\nhorizon = 0d\n",
	    { "FILE:4: horizon: must be more than 0, e.g. 30s" } },
	{ "bad hours",
	    REDIS "[delivery]\nhours = 7-21\n",
	    { "FILE:4: hours: bad hours '7-21': use HH:MM-HH:MM, e.g. "
	      "07:00-21:00" } },
	{ "hours end before start",
	    REDIS "[delivery]\nhours = 21:00-07:00\n",
	    { "FILE:4: hours: the end is not after the start in "
	      "'21:00-07:00': use a later end, e.g. 07:00-21:00 (the end may "
	      "be 24:00)" } },
	{ "int out of range",
	    REDIS "[delivery]\nmax_attempts = 0\nbatch = 10001\n",
	    { "FILE:4: max_attempts: '0' is out of range: use a whole number "
	      "from 1 to 100",
	      "FILE:5: batch: '10001' is out of range: use a whole number "
	      "from 1 to 10000" } },
	{ "retry_max shorter than retry_base",
	    REDIS "[delivery]\nretry_base = 2h\nretry_max = 1h\n",
	    { "FILE:5: retry_max is shorter than retry_base; make it at "
	      "least as long" } },
	{ "retry_base longer than the default retry_max",
	    REDIS "[delivery]\nretry_base = 2h\n",
	    { "FILE:4: retry_max is shorter than retry_base; make it at "
	      "least as long" } },
	{ "bad address",
	    "[redis]\naddress = localhost\n",
	    { "FILE:2: address: bad address 'localhost': use unix:/path or "
	      "HOST:PORT, e.g. 127.0.0.1:6379" } },
	{ "bad port",
	    "[redis]\naddress = localhost:70000\n",
	    { "FILE:2: address: bad port '70000' in 'localhost:70000': use 1 "
	      "to 65535" } },
	{ "bad prefix",
	    "[redis]\naddress = localhost:6379\nprefix = {nv}\n",
	    { "FILE:3: prefix: bad value '{nv}': use letters, digits, '_', "
	      "'.' and '-'" } },
	{ "listen on a unix socket",
	    REDIS "[http]\nlisten = unix:/run/nv.sock\n",
	    { "FILE:4: listen: bad address 'unix:/run/nv.sock': use "
	      "HOST:PORT, e.g. 127.0.0.1:9464; unix sockets are not "
	      "supported here" } },
	{ "max_connections out of range",
	    REDIS "[http]\nmax_connections = 0\n",
	    { "FILE:4: max_connections: '0' is out of range: use a whole "
	      "number from 1 to 65536" } },
	{ "max_connections not a number",
	    REDIS "[http]\nmax_connections = many\n",
	    { "FILE:4: max_connections: bad number 'many': use a whole number "
	      "from 1 to 65536" } },
	{ "zero idle_timeout",
	    REDIS "[http]\nidle_timeout = 0s\n",
	    { "FILE:4: idle_timeout: must be more than 0, e.g. 30s" } },
	{ "bad request_timeout",
	    REDIS "[http]\nrequest_timeout = soon\n",
	    { "FILE:4: request_timeout: bad duration 'soon': " DHINT } },
	{ "zero request_timeout",
	    REDIS "[http]\nrequest_timeout = 0ms\n",
	    { "FILE:4: request_timeout: must be more than 0, e.g. 30s" } },
	{ "users_file readable by others",
	    REDIS "[http]\nlisten = 127.0.0.1:9464\nusers_file = secret644\n",
	    { "FILE:5: users_file DIR/secret644: readable by group or others "
	      "(mode 0644); chmod 600 it" } },
	{ "users_file without a listener",
	    REDIS "[http]\nusers_file = secret600\n",
	    { "FILE:4: users_file: the status pages are served on [http] "
	      "listen, which is not set: add listen = 127.0.0.1:PORT" } },
	{ "users_file a folder",
	    REDIS "[http]\nlisten = 127.0.0.1:9464\nusers_file = DIR\n",
	    { "FILE:5: users_file DIR: not a regular file (a directory)" } },
	{ "bad listen_allow_remote",
	    REDIS "[http]\nlisten_allow_remote = maybe\n",
	    { "FILE:4: listen_allow_remote: bad value 'maybe': use yes or "
	      "no" } },
	{ "listen on every address",
	    REDIS "[http]\nmax_connections = 16\nlisten = 0.0.0.0:9464\n",
	    { "FILE:5: listen: 0.0.0.0:9464 is not a loopback address, and "
	      "/metrics and /healthz would answer anyone who can reach it; "
	      "use 127.0.0.1:PORT, or add listen_allow_remote = yes to "
	      "[http]" } },
	{ "listen on a LAN address, remote refused outright",
	    REDIS "[http]\nlisten = 10.1.2.3:9464\nlisten_allow_remote = no\n",
	    { "FILE:4: listen: 10.1.2.3:9464 is not a loopback address, and "
	      "/metrics and /healthz would answer anyone who can reach it; "
	      "use 127.0.0.1:PORT, or add listen_allow_remote = yes to "
	      "[http]" } },
	{ "listen on a host name",
	    REDIS "[http]\nlisten = nhacviec.example.gov.vn:9464\n",
	    { "FILE:4: listen: nhacviec.example.gov.vn:9464 is not a "
	      "loopback address, and /metrics and /healthz would answer "
	      "anyone who can reach it; use 127.0.0.1:PORT, or add "
	      "listen_allow_remote = yes to [http]" } },
	{ "unknown key in [http]",
	    REDIS "[http]\nheader_timeout = 5s\n",
	    { "FILE:4: unknown key 'header_timeout' in [http]; use 'listen', "
	      "'listen_allow_remote', 'max_connections', 'idle_timeout', "
	      "'request_timeout', 'public_listen', 'public_url', "
	      "'link_secret_file' or 'users_file'" } },
	{ "a public listener with no public address",
	    REDIS "[http]\npublic_listen = 127.0.0.1:9465\n",
	    { "FILE:4: public_listen needs public_url: the address heads' "
	      "links and Zalo reach it by, e.g. public_url = "
	      "https://nhacviec.example.gov.vn" } },
	{ "a public address that is no URL",
	    REDIS "[http]\npublic_listen = 127.0.0.1:9465\n"
	    "public_url = nhacviec.example.gov.vn\n",
	    { "FILE:5: public_url: bad URL 'nhacviec.example.gov.vn' (Bad "
	      "scheme): use https://HOST/PATH" } },
	{ "missing redis address",
	    "[redis]\nprefix = nv\n",
	    { "FILE: [redis] address is required: use unix:/path or "
	      "HOST:PORT (or sentinels and master, or cluster)" } },
	{ "empty file",
	    "",
	    { "FILE: [redis] address is required: use unix:/path or "
	      "HOST:PORT (or sentinels and master, or cluster)" } },
	{ "sentinels without master",
	    "[redis]\nsentinels = 127.0.0.1:26379\n",
	    { "FILE:2: [redis] sentinels and master go together: the "
	      "Sentinels to ask, and the master's name they monitor" } },
	{ "cluster and address",
	    "[redis]\naddress = 127.0.0.1:6379\ncluster = 127.0.0.1:7000\n",
	    { "FILE:3: [redis] cluster excludes address: name the Cluster's "
	      "nodes, or one Redis with address, or Sentinels" } },
	{ "cluster and sentinels",
	    "[redis]\ncluster = 127.0.0.1:7000\nsentinels = 127.0.0.1:26379\n"
	    "master = m\n",
	    { "FILE:2: [redis] cluster excludes sentinels and master: name the "
	      "Cluster's nodes, or one Redis with address, or Sentinels" } },
	{ "a bad cluster node",
	    "[redis]\ncluster = 127.0.0.1:7000, nowhere, 10.0.0.5:99999\n",
	    { "FILE:2: cluster: bad address 'nowhere': use unix:/path or "
	      "HOST:PORT, e.g. 127.0.0.1:6379",
	      "FILE:2: cluster: bad port '99999' in '10.0.0.5:99999': use 1 "
	      "to 65535" } },
	{ "a socket among the cluster nodes",
	    "[redis]\nprefix = my-tu\ncluster = unix:/run/redis.sock "
	    "127.0.0.1:7000\n",
	    { "FILE:3: cluster: 'unix:/run/redis.sock' is a socket; a "
	      "Cluster's nodes are HOST:PORT" } },
	{ "a cluster of commas",
	    "[redis]\ncluster = , ,\n",
	    { "FILE:2: cluster: name at least one HOST:PORT" } },
	{ "an empty cluster",
	    "[redis]\ncluster =\n",
	    { "FILE:2: cluster: empty value; give a value or remove the line",
	      "FILE: [redis] address is required: use unix:/path or "
	      "HOST:PORT (or sentinels and master, or cluster)" } },
	{ "a bad sentinel address",
	    "[redis]\nsentinels = 127.0.0.1:26379, nowhere\nmaster = m\n",
	    { "FILE:2: sentinels: bad address 'nowhere': use unix:/path or "
	      "HOST:PORT, e.g. 127.0.0.1:6379" } },
	{ "http to a host that is not loopback",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = http://mail.example.gov.vn/send\n",
	    { "FILE:6: url: plain http is allowed only to a loopback host; "
	      "use https" } },
	{ "bad URL scheme",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = ftp://mail.example.gov.vn/send\n",
	    { "FILE:6: url: URL 'ftp://mail.example.gov.vn/send': the scheme "
	      "must be http or https; use https://HOST/PATH" } },
	{ "bad zalo api_base",
	    REDIS "[channel z]\ntype = zalo\ncontact = zalo\n"
	    "api_base = http://openapi.zalo.me\n",
	    { "FILE:6: api_base: plain http is allowed only to a loopback "
	      "host; use https" } },
	{ "bad smtp URL",
	    REDIS "[channel m]\ntype = smtp\ncontact = email\n"
	    "url = https://smtp.example.gov.vn\n",
	    { "FILE:6: url: bad SMTP URL 'https://smtp.example.gov.vn': use "
	      "smtps://HOST[:PORT] or smtp://HOST[:PORT]" } },
	{ "missing type",
	    REDIS "[channel e]\ncontact = email\n",
	    { "FILE:3: [channel e] needs a type: type = console, type = "
	      "webhook, type = smtp or type = zalo" } },
	{ "unknown type",
	    REDIS "[channel e]\ntype = sms\n",
	    { "FILE:4: type: bad value 'sms': use console, webhook, smtp or "
	      "zalo" } },
	{ "missing contact and url",
	    REDIS "[channel e]\ntype = webhook\n",
	    { "FILE:3: [channel e] of type webhook needs contact = zalo, "
	      "phone or email",
	      "FILE:3: [channel e] of type webhook needs url = "
	      "https://HOST/PATH" } },
	{ "bad contact",
	    REDIS "[channel z]\ntype = zalo\ncontact = facebook\n",
	    { "FILE:5: contact: bad value 'facebook': use zalo, phone or "
	      "email" } },
	{ "key that does not apply to the type",
	    REDIS "[channel log]\nurl = https://x.example/\ntype = console\n"
	    "app_id = 1\n",
	    { "FILE:4: 'url' does not apply to type console",
	      "FILE:6: 'app_id' does not apply to type console" } },
	{ "bad method and header",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nmethod = post\nheader = X-A 1\n"
	    "header = X A: 1\n",
	    { "FILE:7: method: bad value 'post': use GET, POST, PUT or PATCH",
	      "FILE:8: header: bad header 'X-A 1': use 'Name: value', e.g. "
	      "'X-Api-Key: abc'",
	      "FILE:9: header: bad header name 'X A': use letters, digits "
	      "and !#$%&'*+-.^_`|~" } },
	{ "missing body template",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nbody_template = nope.json\n",
	    { "FILE:7: body_template: DIR/nope.json: cannot open: No such "
	      "file or directory" } },
	{ "missing template",
	    REDIS "[channel z]\ntype = zalo\ncontact = zalo\n"
	    "template = nope.txt\n",
	    { "FILE:6: template: DIR/nope.txt: cannot open: No such file or "
	      "directory" } },
	{ "template with errors: the config line, then the template's",
	    REDIS "[channel c]\ntype = console\ntemplate = tpl-bad.txt\n"
	    "[channel z]\ntype = zalo\ncontact = zalo\n"
	    "template = tpl-bad.txt\n",
	    { "FILE:5: template: DIR/tpl-bad.txt has 3 errors",
	      "DIR/tpl-bad.txt:1: unknown placeholder {{titel}}; did you mean "
	      "{{title}}? (allowed: " TPL_ALLOWED ")",
	      "DIR/tpl-bad.txt:3: unclosed {{: close the placeholder with }} "
	      "on the same line (allowed: " TPL_ALLOWED ")",
	      "DIR/tpl-bad.txt:4: {{#note}} is not closed; end the section "
	      "with {{/note}}",
	      "FILE:9: template: DIR/tpl-bad.txt has 3 errors",
	      "DIR/tpl-bad.txt:1: unknown placeholder {{titel}}; did you mean "
	      "{{title}}? (allowed: " TPL_ALLOWED ")",
	      "DIR/tpl-bad.txt:3: unclosed {{: close the placeholder with }} "
	      "on the same line (allowed: " TPL_ALLOWED ")",
	      "DIR/tpl-bad.txt:4: {{#note}} is not closed; end the section "
	      "with {{/note}}" } },
	{ "body_template that is not a template",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nbody_template = tpl-bad.txt\n",
	    { "FILE:7: body_template: DIR/tpl-bad.txt has 3 errors",
	      "DIR/tpl-bad.txt:1: unknown placeholder {{titel}}; did you mean "
	      "{{title}}? (allowed: " TPL_ALLOWED ")",
	      "DIR/tpl-bad.txt:3: unclosed {{: close the placeholder with }} "
	      "on the same line (allowed: " TPL_ALLOWED ")",
	      "DIR/tpl-bad.txt:4: {{#note}} is not closed; end the section "
	      "with {{/note}}" } },
	{ "body_template with a placeholder outside quotes",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nbody_template = body-bad.json\n",
	    { "FILE:7: body_template DIR/body-bad.json does not render to "
	      "valid JSON: invalid token near 'mau'" } },
	{ "body_template invalid only when a value is missing",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nbody_template = body-note.json\n",
	    { "FILE:7: body_template DIR/body-note.json does not render to "
	      "valid JSON: string or '}' expected near '}' (with the optional "
	      "values empty)" } },
	{ "body_template with a duplicate key",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nbody_template = body-dup.json\n",
	    { "FILE:7: body_template DIR/body-dup.json does not render to "
	      "valid JSON: duplicate object key near '\"a\"'" } },
	{ "subject_template of two lines",
	    REDIS "[channel m]\ntype = smtp\ncontact = email\n"
	    "url = smtps://smtp.example.gov.vn\n"
	    "subject_template = subject-2.txt\n",
	    { "FILE:7: subject_template DIR/subject-2.txt has more than one "
	      "line; a mail subject is one line" } },
	{ "subject_template on a webhook",
	    REDIS "[channel e]\ntype = webhook\ncontact = email\n"
	    "url = https://e.example/\nsubject_template = subject.txt\n",
	    { "FILE:7: 'subject_template' does not apply to type webhook" } },
	{ "zalo template too long even when empty",
	    REDIS "[channel z]\ntype = zalo\ncontact = zalo\n"
	    "template = tpl-long.txt\n",
	    { "FILE:6: template DIR/tpl-long.txt has 2001 characters with no "
	      "values filled in; a Zalo text takes at most 2000" } },
	{ "duplicate channel",
	    REDIS "[channel e]\ntype = console\n\n[channel e]\n"
	    "type = console\n",
	    { "FILE:6: duplicate section [channel e]; the first is at "
	      "line 3" } },
	{ "duplicate section",
	    REDIS "[plan]\nhorizon = 1d\n[plan]\nhorizon = 2d\n",
	    { "FILE:5: duplicate section [plan]; the first is at line 3; "
	      "merge them" } },
	{ "bad channel names",
	    REDIS "[channel Email]\n[channel]\n[redis x]\n",
	    { "FILE:3: bad channel name 'Email': use a-z, 0-9, '_' and '-'",
	      "FILE:4: [channel] needs a name: [channel NAME], NAME made of "
	      "a-z, 0-9, '_' and '-'",
	      "FILE:5: [redis] takes no name; write [redis]" } },
	{ "duplicate key",
	    REDIS "[delivery]\ngrace = 1h\ngrace = 2h\n",
	    { "FILE:5: duplicate key 'grace' in [delivery]; the first is at "
	      "line 4" } },
	{ "duplicate key in a channel",
	    REDIS "[channel c]\ntype = console\ntype = console\n",
	    { "FILE:5: duplicate key 'type' in [channel c]; the first is at "
	      "line 4" } },
	{ "fallback to an undefined channel",
	    REDIS "[channel zalo]\ntype = zalo\ncontact = zalo\n"
	    "fallback = emial\n[channel email]\ntype = console\n",
	    { "FILE:6: fallback: no channel named 'emial'; did you mean "
	      "'email'?" } },
	{ "fallback with no other channel",
	    REDIS "[channel zalo]\ntype = zalo\ncontact = zalo\n"
	    "fallback = sms\n",
	    { "FILE:6: fallback: no channel named 'sms'; define "
	      "[channel sms]" } },
	{ "fallback to itself",
	    REDIS "[channel c]\ntype = console\nfallback = c\n",
	    { "FILE:5: fallback: channel 'c' cannot fall back to itself; "
	      "name another channel" } },
	{ "syntax error line",
	    REDIS "[plan]\nhorizon 30d\n",
	    { "FILE:4: expected 'key = value' or '[section]'" } },
	{ "missing bracket",
	    REDIS "[plan\nhorizon = 30d\n",
	    { "FILE:3: missing ']' after the section name; write [name]" } },
	{ "text after a section",
	    REDIS "[plan] horizon = 30d\n",
	    { "FILE:3: unexpected text after ']'; a comment starts with "
	      "';'" } },
	{ "missing key name",
	    REDIS "[plan]\n= 30d\n",
	    { "FILE:4: missing key before '='; expected 'key = value'" } },
	{ "key before any section",
	    "prefix = nv\n" REDIS,
	    { "FILE:1: 'prefix' is outside any section; put it under a "
	      "section: use [redis], [plan], [ledger], [delivery], "
	      "[channel NAME], [report NAME] or [http]" } },
	{ "empty value",
	    REDIS "consumer =\n",
	    { "FILE:3: consumer: bad value '': use letters, digits, '_', '.' "
	      "and '-'" } },
	{ "world-readable password file",
	    "[redis]\naddress = 127.0.0.1:6379\npassword_file = secret644\n",
	    { "FILE:3: password_file DIR/secret644: readable by group or "
	      "others (mode 0644); chmod 600 it" } },
	{ "group-readable secret key file",
	    REDIS "[channel z]\ntype = zalo\ncontact = zalo\n"
	    "secret_key_file = DIR/secret640\n",
	    { "FILE:6: secret_key_file DIR/secret640: readable by group or "
	      "others (mode 0640); chmod 600 it" } },
	{ "missing password file",
	    REDIS "password_file = /nonexistent/redis\n",
	    { "FILE:3: password_file /nonexistent/redis: cannot open: No such "
	      "file or directory" } },
	{ "several errors, all reported in file order",
	    "[redis]\n"
	    "address = 127.0.0.1:99999\n"
	    "[plan]\n"
	    "horizn = 3d\n"
	    "[delivery]\n"
	    "grace = 6x\n"
	    "hours = 25:00-26:00\n"
	    "[channel a]\n"
	    "url = http://example.com/\n"
	    "type = console\n"
	    "fallback = nowhere\n"
	    "oops\n"
	    "[channel b]\n"
	    "type = sms\n",
	    { "FILE:2: address: bad port '99999' in '127.0.0.1:99999': use 1 "
	      "to 65535",
	      "FILE:4: unknown key 'horizn' in [plan]; did you mean "
	      "'horizon'?",
	      "FILE:6: grace: bad duration '6x': " DHINT,
	      "FILE:7: hours: bad hours '25:00-26:00': use HH:MM-HH:MM, e.g. "
	      "07:00-21:00",
	      "FILE:9: 'url' does not apply to type console",
	      "FILE:11: fallback: no channel named 'nowhere'; use 'b'",
	      "FILE:12: expected 'key = value' or '[section]'",
	      "FILE:14: type: bad value 'sms': use console, webhook, smtp or "
	      "zalo" } },
	{ "report without every and to",
	    REDIS MAIL "[report quy]\nat = end+5d@08:00\n",
	    { "FILE:10: [report quy] needs every = month, quarter, half or "
	      "year",
	      "FILE:10: [report quy] needs to = AGENCY[, AGENCY...]: the "
	      "agencies of the plan that receive it" } },
	{ "report every, by and at misspelt",
	    REDIS MAIL "[report quy]\nevery = weekly\nto = noi-vu\n"
	    "by = channel\nat = next monday\n",
	    { "FILE:11: every: bad value 'weekly': use month, quarter, half "
	      "or year",
	      "FILE:13: by: bad value 'channel': use agency or task",
	      "FILE:14: at: bad time 'next monday': use end[±Nd]@HH:MM, e.g. "
	      "end+5d@08:00 (five days after the period ends)" } },
	{ "report at: a window, the start, a bad hour",
	    REDIS MAIL "[report a]\nevery = month\nto = noi-vu\n"
	    "at = end@trua-30m\n"
	    "[report b]\nevery = month\nto = noi-vu\nat = start+5d@08:00\n"
	    "[report c]\nevery = month\nto = noi-vu\nat = end+5d@25:00\n",
	    { "FILE:13: at: 'end@trua-30m' names a broadcast window; a report "
	      "goes at a time of day: use end[±Nd]@HH:MM, e.g. end+5d@08:00",
	      "FILE:17: at: 'start+5d@08:00' counts from the period's start; "
	      "a report counts from its end: use end[±Nd]@HH:MM, e.g. "
	      "end+5d@08:00",
	      "FILE:21: at: bad time '25:00' in 'end+5d@25:00': use HH:MM "
	      "from 00:00 to 23:59, e.g. 08:30" } },
	{ "report to: a bad name, twice, none",
	    REDIS MAIL "[report a]\nevery = year\nto = noi-vu, Noi-Vu\n"
	    "[report b]\nevery = year\nto = noi-vu, noi-vu\n"
	    "[report c]\nevery = year\nto = ,\n",
	    { "FILE:12: to: bad name 'Noi-Vu': use a-z, 0-9, '_' and '-', "
	      "starting with a letter or digit",
	      "FILE:15: to: 'noi-vu' is listed twice",
	      "FILE:18: to: empty list; name at least one" } },
	{ "report channels unknown",
	    REDIS MAIL "[report quy]\nevery = quarter\nto = noi-vu\n"
	    "channels = mial, sms\n",
	    { "FILE:13: channels: no channel named 'mial'; did you mean "
	      "'mail'?",
	      "FILE:13: channels: no channel named 'sms'; use 'mail'" } },
	{ "report with no channel that carries email",
	    REDIS "[channel z]\ntype = console\n"
	    "[channel email]\ntype = webhook\ncontact = email\n"
	    "url = https://mail.example.gov.vn/send\n"
	    "body_template = DIR/body.json\n"
	    "[report quy]\nevery = quarter\nto = noi-vu\n",
	    { "FILE:10: [report quy] has no channel that carries email (type "
	      "smtp, or a webhook with contact = email and no body_template): "
	      "define one, or name the channels with channels = NAME" } },
	{ "report on a webhook that fills a body_template",
	    REDIS "[channel email]\ntype = webhook\ncontact = email\n"
	    "url = https://mail.example.gov.vn/send\n"
	    "body_template = DIR/body.json\n"
	    "[report quy]\nevery = quarter\nto = noi-vu\nchannels = email\n",
	    { "FILE:11: channels: channel 'email' fills its body_template, "
	      "which has no place for a report; use an smtp channel, or a "
	      "webhook without body_template" } },
	{ "report twice, a key misspelt, no name",
	    REDIS MAIL "[report quy]\nevery = quarter\nto = noi-vu\n"
	    "[report quy]\nevry = quarter\nto = noi-vu\n[report]\n",
	    { "FILE:13: duplicate section [report quy]; the first is at "
	      "line 10",
	      "FILE:13: [report quy] needs every = month, quarter, half or "
	      "year",
	      "FILE:14: unknown key 'evry' in [report quy]; did you mean "
	      "'every'?",
	      "FILE:16: [report] needs a name: [report NAME], NAME made of "
	      "a-z, 0-9, '_' and '-'" } },
};

/* [report NAME]: its values, its defaults, the channel it goes on. */
static void
test_reports(void **state)
{
	const struct config_report	*r;
	struct config			*conf;
	struct diag			 d;

	(void)state;
	conf = load_text(REDIS
	    "[report quy]\n"
	    "every = quarter\n"
	    "at = end+5d@08:30\n"
	    "to = noi-vu, ubnd  ; the head of the office and the district\n"
	    "by = task\n"
	    "channels = hook, mail\n"
	    "[report nam]\n"
	    "every = year\n"
	    "to = noi-vu\n"
	    "[channel hook]\ntype = webhook\ncontact = email\n"
	    "url = https://mail.example.gov.vn/send\n"
	    "[channel mail]\ntype = smtp\ncontact = email\n"
	    "url = smtps://smtp.example.gov.vn\n"
	    "from = nhacviec@example.gov.vn\n", &d);
	if (conf == NULL || d.n != 0)
		dump("reports", &d);
	assert_non_null(conf);
	assert_int_equal(conf->nreports, 2);
	assert_null(config_report_find(conf, "thang"));
	r = config_report_find(conf, "quy");
	assert_ptr_equal(r, &conf->reports[0]);
	assert_int_equal(r->line, 3);
	assert_string_equal(r->every, "quarter");
	assert_string_equal(r->at, "end+5d@08:30");
	assert_int_equal(r->at_days, 5);
	assert_int_equal(r->at_minutes, 8 * 60 + 30);
	assert_string_equal(r->by, "task");
	assert_int_equal(r->nto, 2);
	assert_string_equal(r->to[0], "noi-vu");
	assert_string_equal(r->to[1], "ubnd");
	assert_int_equal(r->to_line, 6);
	assert_int_equal(r->nchannels, 2);
	assert_string_equal(r->channels[0], "hook");
	assert_string_equal(r->channels[1], "mail");
	assert_int_equal(r->channels_line, 8);
	/* The defaults: the morning after, by agency, the smtp channel
	 * (even when a webhook carrying email comes first). */
	r = config_report_find(conf, "nam");
	assert_string_equal(r->every, "year");
	assert_string_equal(r->at, "end+1d@08:00");
	assert_int_equal(r->at_days, 1);
	assert_int_equal(r->at_minutes, 8 * 60);
	assert_string_equal(r->by, "agency");
	assert_int_equal(r->nchannels, 1);
	assert_string_equal(r->channels[0], "mail");
	assert_int_equal(r->channels_line, 0);
	config_free(conf);
	diag_clear(&d);

	/* No smtp channel: the first that carries email; a negative day. */
	conf = load_text(REDIS
	    "[channel log]\ntype = console\n"
	    "[channel hook]\ntype = webhook\ncontact = email\n"
	    "url = https://mail.example.gov.vn/send\n"
	    "[report thang]\nevery = month\nto = noi-vu\n"
	    "at = end-2d@16:00\n", &d);
	if (conf == NULL || d.n != 0)
		dump("reports, webhook", &d);
	assert_non_null(conf);
	r = config_report_find(conf, "thang");
	assert_int_equal(r->at_days, -2);
	assert_int_equal(r->at_minutes, 16 * 60);
	assert_int_equal(r->nchannels, 1);
	assert_string_equal(r->channels[0], "hook");
	config_free(conf);
	diag_clear(&d);
}

static void
test_bad(void **state)
{
	struct config	*conf;
	struct diag	 d;
	char		*want;
	size_t		 i, j, n;

	(void)state;
	for (i = 0; i < nitems(bad_cases); i++) {
		conf = load_text(bad_cases[i].text, &d);
		for (n = 0; n < MSGS_MAX && bad_cases[i].msgs[n] != NULL; n++)
			;
		if (conf != NULL || d.n != n || d.nerrors != n) {
			dump(bad_cases[i].name, &d);
			config_free(conf);
			fail_msg("case '%s': want %zu errors and no config",
			    bad_cases[i].name, n);
		}
		for (j = 0; j < n; j++) {
			want = subst(bad_cases[i].msgs[j]);
			if (strcmp(d.msgs[j], want) != 0) {
				dump(bad_cases[i].name, &d);
				fail_msg("case '%s': message %zu:\n got  %s\n "
				    "want %s", bad_cases[i].name, j, d.msgs[j],
				    want);
			}
			free(want);
		}
		diag_clear(&d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_listen_remote),
		cmocka_unit_test(test_cluster),
		cmocka_unit_test(test_users_file),
		cmocka_unit_test(test_crlf_bom),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_cannot_open),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
