/* This daemon's consumer name as a lease in Redis, the entries it holds kept fresh, and the rescue of reminders a rewound Redis stranded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "dispatch.h"
#include "fileio.h"
#include "log.h"
#include "scripts.h"
#include "xmalloc.h"

#define LEASE_RESCUE_STEP	"500"	/* {p}:state fields per rescue step */
#define LEASE_RESCUE_EVERY_MS	(3600 * 1000)

static void	lease_rescue(struct dispatch *);

/* /proc/PID/stat's start time (field 22): who a pid is, across reuse. */
static int
lease_proc_start(long pid, unsigned long long *start)
{
	char	path[64], err[200], *buf, *p;
	int	 i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (file_read(path, FILE_TEXT, 4096, &buf, NULL, err,
	    sizeof(err)) == -1)
		return -1;
	if ((p = strrchr(buf, ')')) != NULL)
		for (i = 2; i < 22 && p; i++)
			p = strchr(p + 1, ' ');
	if (p != NULL)
		*start = strtoull(p + 1, NULL, 10);
	free(buf);
	return p == NULL ? -1 : 0;
}

/*
 * Our lease token: host/pid/start. A holder on this host whose process
 * is gone (or is another process under a reused pid) is dead.
 */
static void
lease_token(struct dispatch *d)
{
	char			host[128];
	unsigned long long	start = 0;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	lease_proc_start((long)getpid(), &start);
	snprintf(d->token, sizeof(d->token), "%s/%ld/%llu", host,
	    (long)getpid(), start);
}

static int
lease_holder_dead(const char *holder)
{
	char			host[128], them[128];
	long			pid;
	unsigned long long	start, now;

	if (sscanf(holder, "%127[^/]/%ld/%llu", them, &pid, &start) != 3 ||
	    gethostname(host, sizeof(host)) == -1)
		return 0;
	host[sizeof(host) - 1] = '\0';
	if (strcmp(host, them) != 0)
		return 0;
	if (lease_proc_start(pid, &now) == -1)
		return errno == ENOENT;
	return now != start;
}

/* Jobs not started whose entry another holds: theirs to send, not ours. */
static void
lease_drop(struct job *j, const char *holder)
{
	log_notice("%s: outbox entry %s is held by %s; not sent here",
	    j->rid, j->entry, holder);
	channel_unlink(j);
	j->state = JOB_DROPPED;
	j->d->dropped++;
	dispatch_finish(j);
}

/* Our name went to another process: nothing waiting here is ours. */
static void
lease_drop_queued(struct dispatch *d, const char *holder)
{
	struct channel	*ch;
	struct job	*j;

	TAILQ_FOREACH(ch, &d->channels, link)
		while ((j = TAILQ_FIRST(&ch->queue)) != NULL)
			lease_drop(j, holder);
}

static void
lease_keep_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	struct job	*j;
	const char	*holder;
	size_t		 i;
	int		 was = d->leased;

	d->keeping = 0;
	if (r == NULL || d->stopped)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
	    r->element[0]->type != REDIS_REPLY_STRING) {
		dispatch_fault(d, FAULT_TAKE, "keeping the consumer lease %s "
		    "failed: %.120s", d->nv->keys.lease,
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		log_err("%s", d->fault_why[FAULT_TAKE]);
		return;
	}
	holder = r->element[0]->str;
	if (strcmp(holder, d->token) != 0) {
		d->leased = 0;
		if (lease_holder_dead(holder) &&
		    strcmp(d->take_from, holder) != 0) {
			log_notice("consumer name %s was held by %s, which no "
			    "longer runs: taking it", d->nv->consumer, holder);
			snprintf(d->take_from, sizeof(d->take_from), "%s",
			    holder);
			lease_keep(d);
			return;
		}
		if (d->fault_since[FAULT_LEASE] == 0 || was)
			log_err("consumer name %s is in use by %s: this daemon "
			    "waits until it is free (two daemons need two "
			    "[redis] consumer names)", d->nv->consumer, holder);
		dispatch_fault(d, FAULT_LEASE, "consumer name %s is in use "
		    "by %s", d->nv->consumer, holder);
		if (was)
			lease_drop_queued(d, holder);
		return;
	}
	d->take_from[0] = '\0';
	d->leased = 1;
	dispatch_fault(d, FAULT_LEASE, NULL);
	for (i = 1; i + 1 < r->elements; i += 2) {
		if ((j = dispatch_job_find(d, r->element[i]->str)) == NULL)
			continue;
		holder = r->element[i + 1]->str;
		if (holder[0] == '\0' || j->state != JOB_QUEUED || j->ch == NULL)
			continue;	/* nobody's: the outcome still counts */
		lease_drop(j, holder);
	}
	if (!d->started) {
		d->started = 1;
		d->history = 1;
		snprintf(d->cursor, sizeof(d->cursor), "0-0");
	}
	if (!was) {
		d->more_due = 1;
		lease_rescue(d);
	}
	claim_more(d);
}

/* Renew our lease and keep every entry we hold from looking idle. */
void
lease_keep(struct dispatch *d)
{
	struct nv	*nv = d->nv;
	struct job	*j;
	const char	**argv;
	char		 ttl[24];
	int		 argc = 0;

	if (d->keeping || !store_is_up(nv->store))
		return;
	argv = xcalloc(5 + d->njobs, sizeof(*argv));
	snprintf(ttl, sizeof(ttl), "%lld", (long long)nv->conf->reclaim_idle_ms);
	argv[argc++] = KEYS_GROUP;
	argv[argc++] = nv->consumer;
	argv[argc++] = d->token;
	argv[argc++] = ttl;
	argv[argc++] = d->take_from;
	TAILQ_FOREACH(j, &d->all, all)
		if (j->state != JOB_DROPPED)
			argv[argc++] = j->entry;
	if (script_run(nv, SCRIPT_KEEP, lease_keep_reply, d, argc, argv) == 0)
		d->keeping = 1;
	free(argv);
}

static void
lease_keep_event(evutil_socket_t fd, short what, void *arg)
{
	struct dispatch	*d = arg;

	(void)fd;
	(void)what;
	if (!d->stopped || d->njobs > 0)
		lease_keep(d);
	claim_timer(d->keep_ev, d->nv->conf->reclaim_idle_ms / 3);
}

static void
lease_rescue_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;
	struct timeval	 tv = { 0, 0 };

	d->rescuing = 0;
	if (r == NULL || d->stopped)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING) {
		log_err("looking for stranded reminders in %s failed: %.120s",
		    d->nv->keys.state, r->type == REDIS_REPLY_ERROR ? r->str :
		    "odd reply");
		claim_timer(d->rescue_ev, LEASE_RESCUE_EVERY_MS / 60);
		return;
	}
	if (r->element[1]->integer > 0) {
		log_warnx("%lld reminders were queued but neither due nor in "
		    "%s (Redis came back from an older copy?): due again",
		    r->element[1]->integer, d->nv->keys.outbox);
		d->more_due = 1;
		claim_more(d);
	}
	snprintf(d->rescue_at, sizeof(d->rescue_at), "%s",
	    r->element[0]->str);
	if (strcmp(d->rescue_at, "0") != 0)
		evtimer_add(d->rescue_ev, &tv);		/* the next step */
	else
		claim_timer(d->rescue_ev, LEASE_RESCUE_EVERY_MS);
}

/* One step of the look for stranded reminders; the cursor goes on. */
static void
lease_rescue(struct dispatch *d)
{
	char		 now[24];
	const char	*argv[3];

	if (d->rescuing || !d->leased)
		return;
	snprintf(now, sizeof(now), "%lld", (long long)clock_now_ms());
	argv[0] = d->rescue_at;
	argv[1] = LEASE_RESCUE_STEP;
	argv[2] = now;
	if (script_run(d->nv, SCRIPT_RESCUE, lease_rescue_reply, d, 3,
	    argv) == 0)
		d->rescuing = 1;
}

static void
lease_rescue_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	lease_rescue(arg);
}

static void
lease_release_reply(void *arg, redisReply *r)
{
	struct dispatch	*d = arg;

	(void)r;
	d->leased = 0;
	dispatch_idle(d);
}

void
lease_release(struct dispatch *d)
{
	const char	*argv[5];

	if (d->releasing)
		return;
	argv[0] = KEYS_GROUP;
	argv[1] = d->nv->consumer;
	argv[2] = d->token;
	argv[3] = "0";
	argv[4] = "";
	if (d->leased && script_run(d->nv, SCRIPT_KEEP, lease_release_reply, d,
	    5, argv) == 0) {
		d->releasing = 1;
		return;
	}
	dispatch_idle(d);
}

void
lease_init(struct dispatch *d)
{
	struct nv	*nv = d->nv;

	lease_token(d);
	d->keep_ev = evtimer_new(nv->base, lease_keep_event, d);
	d->rescue_ev = evtimer_new(nv->base, lease_rescue_event, d);
	if (d->keep_ev == NULL || d->rescue_ev == NULL)
		fatalx("out of memory");
	claim_timer(d->keep_ev, nv->conf->reclaim_idle_ms / 3);
}

void
lease_free(struct dispatch *d)
{
	if (d->keep_ev)
		event_free(d->keep_ev);
	if (d->rescue_ev)
		event_free(d->rescue_ev);
}

/* Stopping: no more rescues (the lease is kept until the last send). */
void
lease_stop(struct dispatch *d)
{
	evtimer_del(d->rescue_ev);
}
