/* nhacviecd: the reminder daemon's start, signals, reload and orderly stop. */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <hiredis/hiredis.h>
#include <jansson.h>
#include <libssh2.h>
#include <systemd/sd-daemon.h>

#include "clock.h"
#include "i18n.h"
#include "log.h"
#include "nhacviecd.h"
#include "planstore.h"
#include "preflight.h"
#include "secret.h"
#include "template.h"
#include "xmalloc.h"

#define EX_CONFIG	78
#define WATCH_EXTRA_MS	10000
#define NOFILE_SPARE	128	/* descriptors kept for Redis, sends, files */

static struct event	*drain_ev;
static struct event	*watchdog_ev;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, _("usage: nhacviecd [-c FILE] [-n] [-d] [-v] "
	    "[--clock ISO8601 [--clock-rate N]]\n"));
	exit(64);
}

void
nv_ready(struct nv *nv)
{
	if (nv->ready || nv->stopping)
		return;
	nv->ready = 1;
	sd_notify(0, "READY=1\nSTATUS=connected to Redis, timer armed");
	log_info("ready: consumer %s, prefix %s", nv->consumer,
	    nv->keys.prefix);
}

static void
main_store_up(void *arg)
{
	struct nv	*nv = arg;

	if (nv->dispatch)
		dispatch_store_up(nv->dispatch);
	if (nv->planner)
		planner_store_up(nv->planner);
	inbound_store_up(nv->inbound);
	if (nv->archive)
		archive_store_up(nv->archive);
}

static void
main_store_down(void *arg)
{
	struct nv	*nv = arg;

	sd_notify(0, "STATUS=Redis unreachable; reconnecting");
	if (nv->dispatch)
		dispatch_store_down(nv->dispatch);
}

static void
main_watch_up(void *arg)
{
	struct nv	*nv = arg;

	if (nv->control)
		control_store_up(nv->control);
}

/* Read the Redis password named by the config, if any. */
static int
main_password(const struct config *c, char **pw)
{
	char	err[512];

	*pw = NULL;
	if (c->password_file == NULL)
		return 0;
	if (secret_read(c->password_file, pw, err, sizeof(err)) == -1) {
		log_err("[redis] password_file: %s", err);
		return -1;
	}
	return 0;
}

static struct store *
main_store(struct nv *nv, const char *name, const char *pw, int64_t reply_ms,
    const char *const *sources, void (*up)(void *), void (*down)(void *))
{
	struct store_params	p;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.addr = &nv->conf->redis_addr;
	p.sentinels = nv->conf->sentinel_addrs;
	p.nsentinels = nv->conf->nsentinels;
	p.master = nv->conf->master;
	p.seeds = nv->conf->cluster_addrs;
	p.nseeds = nv->conf->ncluster;
	p.slot_key = nv->keys.base;
	p.username = nv->conf->username;
	p.password = pw;
	p.connect_timeout_ms = nv->conf->connect_timeout_ms;
	p.reply_timeout_ms = reply_ms;
	p.scripts = sources;
	p.up = up;
	p.down = down;
	p.arg = nv;
	return store_new(nv->base, &p);
}

static void
main_idle(void *arg)
{
	struct nv	*nv = arg;

	log_info("every send in flight has finished and is recorded");
	event_base_loopexit(nv->base, NULL);
}

static void
main_drain_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct nv	*nv = arg;

	(void)fd;
	(void)what;
	log_warnx("drain deadline reached with sends still unrecorded; they "
	    "stay pending in %s and are redone after a restart",
	    nv->keys.outbox);
	event_base_loopexit(nv->base, NULL);
}

/* SIGTERM: stop claiming, let in-flight sends finish under a deadline. */
static void
main_stop(struct nv *nv)
{
	struct timeval	tv;

	if (nv->stopping) {
		log_warnx("second stop signal: exiting now");
		event_base_loopexit(nv->base, NULL);
		return;
	}
	nv->stopping = 1;
	sd_notify(0, "STOPPING=1");
	log_info("stopping: no new claims; draining sends in flight "
	    "(deadline %llds)", (long long)(nv->conf->drain_timeout_ms / 1000));
	tv.tv_sec = nv->conf->drain_timeout_ms / 1000;
	tv.tv_usec = (nv->conf->drain_timeout_ms % 1000) * 1000;
	drain_ev = evtimer_new(nv->base, main_drain_deadline, nv);
	evtimer_add(drain_ev, &tv);
	dispatch_stop(nv->dispatch, main_idle, nv);
}

/*
 * What a reload cannot change: the Redis connections and the listeners were
 * built from these. The running values stay (a reload swaps them into the
 * new config), so a later reload compares with what runs, not with the
 * previous file. A field without a key is derived from the one before it.
 */
enum running_kind { RUN_STR, RUN_VAL, RUN_WITH };

#define RUN(field, kind, key)	{ key, kind, offsetof(struct config, field), \
				    sizeof(((struct config *)0)->field) }
static const struct running {
	const char		*key;
	enum running_kind	 kind;
	size_t			 off, size;
} main_running[] = {
	RUN(redis_address, RUN_STR, "[redis] address"),
	RUN(redis_addr, RUN_WITH, NULL),
	RUN(prefix, RUN_STR, "[redis] prefix"),
	RUN(username, RUN_STR, "[redis] username"),
	RUN(password_file, RUN_STR, "[redis] password_file"),
	RUN(consumer, RUN_STR, "[redis] consumer"),
	RUN(connect_timeout_ms, RUN_VAL, "[redis] connect_timeout"),
	RUN(sentinels, RUN_STR, "[redis] sentinels"),
	RUN(sentinel_addrs, RUN_WITH, NULL),
	RUN(nsentinels, RUN_WITH, NULL),
	RUN(master, RUN_STR, "[redis] master"),
	RUN(cluster, RUN_STR, "[redis] cluster"),
	RUN(cluster_addrs, RUN_WITH, NULL),
	RUN(ncluster, RUN_WITH, NULL),
	RUN(listen, RUN_STR, "[http] listen"),
	RUN(listen_addr, RUN_WITH, NULL),
	RUN(listen_allow_remote, RUN_VAL, "[http] listen_allow_remote"),
	RUN(http_max_connections, RUN_VAL, "[http] max_connections"),
	RUN(http_idle_timeout_ms, RUN_VAL, "[http] idle_timeout"),
	RUN(http_request_timeout_ms, RUN_VAL, "[http] request_timeout"),
	RUN(public_listen, RUN_STR, "[http] public_listen"),
	RUN(public_listen_addr, RUN_WITH, NULL),
	RUN(users_file, RUN_STR, "[http] users_file"),
};

/* The largest field above: a struct address. */
#define RUN_SIZE_MAX	sizeof(struct address)
_Static_assert(sizeof(char *) <= RUN_SIZE_MAX &&
    sizeof(int64_t) <= RUN_SIZE_MAX, "a running field fits RUN_SIZE_MAX");

static int
main_running_same(const struct running *r, const struct config *a,
    const struct config *b)
{
	const char	*pa = (const char *)a + r->off;
	const char	*pb = (const char *)b + r->off;
	const char	*sa, *sb;

	switch (r->kind) {
	case RUN_STR:
		memcpy(&sa, pa, sizeof(sa));
		memcpy(&sb, pb, sizeof(sb));
		return (sa == NULL && sb == NULL) ||
		    (sa && sb && strcmp(sa, sb) == 0);
	case RUN_VAL:
		return memcmp(pa, pb, r->size) == 0;
	case RUN_WITH:
		break;
	}
	return 1;
}

/* Swaps the running fields of a and b; says in changed which differ. */
static void
main_running_swap(struct config *a, struct config *b, char *changed,
    size_t len)
{
	unsigned char	 tmp[RUN_SIZE_MAX];
	size_t		 i, off = 0;

	if (changed != NULL && len > 0)
		changed[0] = '\0';
	for (i = 0; i < nitems(main_running); i++) {
		const struct running *r = &main_running[i];

		if (changed != NULL && r->key != NULL &&
		    !main_running_same(r, a, b) && off < len)
			off += (size_t)snprintf(changed + off, len - off,
			    "%s%s", off ? ", " : "", r->key);
		memcpy(tmp, (char *)a + r->off, r->size);
		memcpy((char *)a + r->off, (char *)b + r->off, r->size);
		memcpy((char *)b + r->off, tmp, r->size);
	}
}

/* SIGHUP: parse into a fresh config; swap only when all of it is good. */
static void
main_reload(struct nv *nv)
{
	struct config		*old = nv->conf, *fresh;
	struct plan		*plan;
	struct plan_sources	 src;
	struct diag		 d;
	char			 err[600], changed[512];
	size_t			 i;

	if (nv->stopping)
		return;
	sd_notify(0, "RELOADING=1");
	diag_init(&d);
	fresh = config_load(nv->conf_path, &d);
	for (i = 0; i < d.n; i++)
		log_err("%s", d.msgs[i]);
	diag_clear(&d);
	if (fresh == NULL) {
		log_err("reload refused: %s has errors; still running on the "
		    "previous config", nv->conf_path);
		sd_notify(0, "READY=1");
		return;
	}
	/* What start and `nhacviec check` check: the plan, the channels. */
	diag_init(&d);
	plan = preflight_run(fresh, &src, &d);
	diag_log(&d, log_err, log_warnx);
	if (d.nerrors > 0 || dispatch_check(nv->dispatch, fresh, err,
	    sizeof(err)) == -1) {
		log_err("reload refused: %s; still running on the previous "
		    "config and plan", d.nerrors > 0 ? diag_first_error(&d) :
		    err);
		diag_clear(&d);
		plan_free(plan);
		planstore_sources_clear(&src);
		config_free(fresh);
		sd_notify(0, "READY=1");
		return;
	}
	diag_clear(&d);
	/* The new config carries the running connections' settings. */
	main_running_swap(fresh, old, changed, sizeof(changed));
	nv->conf = fresh;
	if (dispatch_reconfigure(nv->dispatch, err, sizeof(err)) == -1) {
		log_err("reload refused: %s; still running on the previous "
		    "config", err);
		main_running_swap(fresh, old, NULL, 0);
		nv->conf = old;
		plan_free(plan);
		planstore_sources_clear(&src);
		config_free(fresh);
		sd_notify(0, "READY=1");
		return;
	}
	if (changed[0] != '\0')
		log_warnx("reload: %s changed; these take effect at the next "
		    "restart, the running values stay until then", changed);
	log_info("reloaded %s", nv->conf_path);
	config_free(old);
	planner_reload(nv->planner, plan, &src);
	sd_notify(0, "READY=1");
}

static void
main_signal(evutil_socket_t sig, short what, void *arg)
{
	struct nv	*nv = arg;

	(void)what;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		main_stop(nv);
		break;
	case SIGHUP:
		main_reload(nv);
		break;
	}
}

static void
main_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

/*
 * Raise the soft descriptor limit to the hard one (LimitNOFILE= in the
 * unit): the default soft 1,024 is what a flood of connections exhausts.
 */
static void
main_nofile(const struct config *c)
{
	struct rlimit	rl;
	rlim_t		was;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit RLIMIT_NOFILE");
		return;
	}
	was = rl.rlim_cur;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_max != RLIM_INFINITY) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			log_warn("cannot raise the descriptor limit from %llu "
			    "to %llu", (unsigned long long)was,
			    (unsigned long long)rl.rlim_max);
			rl.rlim_cur = was;
		}
	}
	log_info("descriptors: up to %llu open at once (soft limit was %llu)",
	    (unsigned long long)rl.rlim_cur, (unsigned long long)was);
	if (c->listen != NULL && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)c->http_max_connections + NOFILE_SPARE)
		log_warnx("[http] max_connections = %d leaves fewer than %d of "
		    "the %llu descriptors this process may open for Redis, "
		    "sends and files; lower it or raise LimitNOFILE",
		    c->http_max_connections, NOFILE_SPARE,
		    (unsigned long long)rl.rlim_cur);
}

static void
main_versions(void)
{
	log_info("nhacviecd starting: libevent %s, hiredis %d.%d.%d, %s, "
	    "jansson %s", event_get_version(), HIREDIS_MAJOR, HIREDIS_MINOR,
	    HIREDIS_PATCH, curl_version(), jansson_version_str());
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "clock", required_argument, NULL, 'C' },
		{ "clock-rate", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct nv	 nv;
	struct diag	 d;
	struct plan	*plan;
	struct plan_sources src;
	struct event	*sigs[3] = { NULL, NULL, NULL };
	const char	*clock_at = NULL;
	char		 err[512], *pw = NULL, *end;
	double		 rate = 1.0;
	int64_t		 start_ms;
	uint64_t	 wd_usec;
	int		 ch, check = 0, verbose = 0, i, rc = 0;
	const int	 signums[] = { SIGTERM, SIGINT, SIGHUP };

	memset(&nv, 0, sizeof(nv));
	nv.conf_path = CONFIG_DEFAULT_PATH;
	i18n_init();
	while ((ch = getopt_long(argc, argv, "c:ndv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			nv.conf_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'd':
		case 'v':
			verbose = 1;
			break;
		case 'C':
			clock_at = optarg;
			break;
		case 'R':
			errno = 0;
			rate = strtod(optarg, &end);
			if (errno || *end != '\0' || rate <= 0 || rate > 1e6) {
				fprintf(stderr, _("nhacviecd: --clock-rate: "
				    "'%s' is not a number in (0, 1000000]\n"),
				    optarg);
				return 64;
			}
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("nhacviecd", verbose);
	/* No core dump, no ptrace by others: the process holds secrets. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		log_warn("prctl PR_SET_DUMPABLE");
	if (clock_at) {
		if (clock_parse_iso8601(clock_at, &start_ms, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, _("nhacviecd: --clock: %s\n"), err);
			return 64;
		}
		clock_set_virtual(start_ms, rate);
	}

	diag_init(&d);
	nv.conf = config_load(nv.conf_path, &d);
	diag_print(&d, stderr);
	diag_clear(&d);
	if (nv.conf == NULL)
		return EX_CONFIG;
	/* What `nhacviec check` checks too, the same code: -n stops here. */
	diag_init(&d);
	plan = preflight_run(nv.conf, &src, &d);
	diag_print(&d, stderr);
	if (d.nerrors > 0 || check) {
		rc = d.nerrors > 0 ? EX_CONFIG : 0;
		if (rc == 0)
			printf(_("%s: configuration OK\n"), nv.conf_path);
		diag_clear(&d);
		plan_free(plan);
		planstore_sources_clear(&src);
		config_free(nv.conf);
		return rc;
	}
	diag_clear(&d);
	if (main_password(nv.conf, &pw) == -1) {
		config_free(nv.conf);
		return EX_CONFIG;
	}
	if (keys_init(&nv.keys, nv.conf->prefix) == -1)
		fatalx("bad prefix %s", nv.conf->prefix);
	nv.consumer = xstrdup(nv.conf->consumer);
	if (keys_set_consumer(&nv.keys, nv.consumer) == -1)
		fatalx("[redis] consumer %s is too long", nv.consumer);

	signal(SIGPIPE, SIG_IGN);
	/*
	 * libcurl starts its SSH library, and that sets up all of OpenSSL
	 * (1.5 MiB resident) for scp:// and sftp://, which no transfer of
	 * ours may use (http,https and smtp,smtps only). Started first
	 * without its crypto, libssh2 only counts curl's call.
	 */
	if (libssh2_init(LIBSSH2_INIT_NO_CRYPTO) != 0)
		fatalx("libssh2_init failed");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	main_versions();
	main_nofile(nv.conf);
	if (clock_at)
		log_notice("virtual clock: starting at %s, %g times real "
		    "speed", clock_at, rate);
	srandom((unsigned)getpid() ^ (unsigned)clock_now_ms());

	if ((nv.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if ((nv.http = http_new(nv.base)) == NULL)
		fatalx("cannot start libcurl's multi interface");
	/* A channel or the plan that cannot start is a config error too. */
	if ((nv.dispatch = dispatch_new(&nv)) == NULL ||
	    (nv.planner = planner_new(&nv, plan, &src)) == NULL) {
		rc = EX_CONFIG;
		secret_free(pw);
		goto out;
	}
	if ((nv.control = control_new(&nv)) == NULL)
		fatalx("out of memory");
	nv.archive = archive_new(&nv);
	if (nv.conf->listen &&
	    (nv.metrics = metrics_new(&nv, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (nv.conf->public_listen &&
	    ((nv.inbound = inbound_new(&nv, err, sizeof(err))) == NULL ||
	    (nv.links = links_new(&nv, err, sizeof(err))) == NULL))
		fatalx("%s", err);
	for (i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(nv.base, signums[i], main_signal, &nv);
		evsignal_add(sigs[i], NULL);
	}
	if (sd_watchdog_enabled(0, &wd_usec) > 0) {
		struct timeval tv = { (time_t)(wd_usec / 2000000),
		    (suseconds_t)(wd_usec / 2 % 1000000) };

		watchdog_ev = event_new(nv.base, -1, EV_PERSIST,
		    main_watchdog, NULL);
		event_add(watchdog_ev, &tv);
	}
	nv.store = main_store(&nv, "main", pw, 15000, script_sources,
	    main_store_up, main_store_down);
	nv.watch = main_store(&nv, "control", pw, 30000 + WATCH_EXTRA_MS,
	    NULL, main_watch_up, NULL);
	secret_free(pw);
	if (nv.store == NULL || nv.watch == NULL)
		fatalx("out of memory");

	event_base_dispatch(nv.base);
	log_info("stopped");
out:
	/* Stores first: their callbacks see NULL replies while jobs exist. */
	store_free(nv.watch);
	store_free(nv.store);
	nv.watch = nv.store = NULL;
	dispatch_free(nv.dispatch);
	planner_free(nv.planner);
	control_free(nv.control);
	archive_free(nv.archive);
	metrics_free(nv.metrics);
	inbound_free(nv.inbound);
	links_free(nv.links);
	http_free(nv.http);
	for (i = 0; i < 3; i++)
		if (sigs[i])
			event_free(sigs[i]);
	if (drain_ev)
		event_free(drain_ev);
	if (watchdog_ev)
		event_free(watchdog_ev);
	event_base_free(nv.base);
	config_free(nv.conf);
	free(nv.consumer);
	curl_global_cleanup();
	libssh2_exit();
	return rc;
}
