/* What the daemon's files share: the daemon state, jobs, channels and their glue. */
#ifndef NV_NHACVIECD_H
#define NV_NHACVIECD_H

#include <sys/queue.h>

#include <stdint.h>

#include <event2/event.h>

#include "config.h"
#include "http.h"
#include "keys.h"
#include "peer.h"
#include "reminder.h"
#include "store.h"

#include "scripts.h"

/* A reminder claimed later than this after its fire time is marked late. */
#define NV_LATE_AFTER_MS	60000

struct control;
struct planner;
struct template;
struct evbuffer;
struct dispatch;
struct metrics;
struct inbound;
struct archive;
struct links;

struct plan;

struct nv {
	struct event_base	*base;
	struct config		*conf;
	const struct plan	*plan;		/* the planner's, NULL before */
	const char		*conf_path;
	struct keys		 keys;
	char			*consumer;	/* our name in the group */
	struct store		*store;		/* commands and scripts */
	struct store		*watch;		/* blocking reads of {p}:control */
	struct http		*http;
	struct dispatch		*dispatch;
	struct control		*control;
	struct planner		*planner;
	struct metrics		*metrics;
	struct inbound		*inbound;	/* [http] public_listen */
	struct archive		*archive;	/* [ledger] keep */
	struct links		*links;		/* its confirmation links */
	int			 ready;		/* READY=1 was sent */
	int			 stopping;
};

/* nhacviecd.c: tell systemd (once) that we are connected and armed. */
void	nv_ready(struct nv *);

struct result {
	enum verdict	 verdict;
	long		 status;	/* HTTP or SMTP status, 0 if none */
	int64_t		 retry_after_s;	/* -1 unless the peer said */
	int64_t		 latency_ms;
	char		 detail[256];	/* why, for the ledger; no secrets */
	char		 ref[128];	/* the provider's message id */
};

enum job_state {
	JOB_QUEUED,		/* waiting for a channel slot */
	JOB_SENDING,
	JOB_RECORDING,		/* complete script sent */
	JOB_UNRECORDED,		/* outcome known, Redis unreachable */
	JOB_DROPPED,		/* not started; another consumer holds it */
	JOB_GATHERING,		/* a report: its content read from Redis */
};

struct channel;
struct job;
struct reporter;
TAILQ_HEAD(jobq, job);

struct job {
	struct dispatch		*d;
	struct channel		*ch;		/* NULL when it cannot be sent */
	enum job_state		 state;
	char			 entry[48];	/* outbox stream entry id */
	char			*rid;		/* reminder id */
	struct reminder		 r;		/* parsed payload */
	int			 attempt;
	int			 late;
	int64_t			 fire_at;
	struct result		 res;
	int64_t			 retry_at;
	int			 deferred;	/* not an attempt: back to due */
	int			 held;		/* its channel is paused */
	int			 skip;		/* not to be sent: skipped */
	struct jobq		 members;	/* a digest's other reminders */
	size_t			 nmembers;
	struct job		*lead;		/* the digest this one is in */
	int			 member;	/* went out in another's message */
	int			 slot;		/* holds one of its channel's slots */
	char			*fb_id;		/* a fallback reminder to add */
	char			*fb_payload;	/* NULL: skipped, see fb_skip */
	char			*fb_skip;	/* why the fallback is not sent */
	void			*chan;		/* its channel's: job_free */
	struct reporter		*reporter;	/* a report being gathered */
	char			*attach;	/* a report's CSV, for mail */
	size_t			 attach_len;
	char			*attach_name;	/* "bao-cao-2022-Q2.csv" */
	TAILQ_ENTRY(job)	 link;		/* a channel queue or a list */
	TAILQ_ENTRY(job)	 all;		/* every job in memory */
	struct job		*hnext;		/* the entry id hash chain */
};

struct channel_ops {
	const char	*type;
	int		(*init)(struct channel *, char *err, size_t len);
	void		(*free)(struct channel *);
	/* Start sending; report exactly once with ledger_job_done. */
	void		(*send)(struct channel *, struct job *);
	/* An admin resumed the channel: re-read what it depends on. */
	void		(*resume)(struct channel *);
	/* SIGHUP gave the channel new settings (ch->cfg): take them up,
	 * keeping its state. Without it, a fresh init replaces the old. */
	int		(*reconfigure)(struct channel *, char *err, size_t len);
	/* Free job->chan, the state one send keeps on this channel. */
	void		(*job_free)(struct job *);
};

enum {
	CHANNEL_TMPL_TEXT,		/* template = */
	CHANNEL_TMPL_BODY,		/* body_template = */
	CHANNEL_TMPL_SUBJECT,		/* subject_template = */
	CHANNEL_TMPLS
};

struct channel {
	struct nv			*nv;
	char				*name;
	const struct config_channel	*cfg;	/* nv->conf's, or own_cfg */
	struct config_channel		*own_cfg;	/* once removed */
	const struct channel_ops	*ops;
	struct template			*tmpl[CHANNEL_TMPLS];	/* parsed at load */
	void				*priv;
	int				 inflight;
	int				 removed;	/* gone from the config */
	int				 paused;	/* sends held: see reason */
	char				 pause_reason[320];
	int64_t				 pause_until;	/* Redis ms; 0: none */
	double				 rate_per_s;	/* 0: no limit */
	double				 tokens;	/* the rate's bucket */
	int64_t				 rate_at;	/* last refill, real ms */
	struct event			*rate_ev;
	struct jobq			 queue;
	size_t				 room;	/* concurrency less jobs held */
	size_t				 waiting;	/* due in {p}:due:NAME, no room */
	uint64_t			 sent, failed, retried, dead;
	TAILQ_ENTRY(channel)		 link;
};

extern const struct channel_ops channel_console_ops;
extern const struct channel_ops channel_webhook_ops;
extern const struct channel_ops channel_smtp_ops;
extern const struct channel_ops channel_zalo_ops;

/* scripts.c: run a script of common/scripts.h on nv->store, its keys
 * filled in; argv is the script's ARGV. -1 when Redis is unreachable. */
int		 script_run(struct nv *, enum script_id, store_reply_cb *,
		    void *, int argc, const char **argv);
/* The same with keys of the caller's (a copy with occ set). */
int		 script_run_keys(struct nv *, const struct keys *,
		    enum script_id, store_reply_cb *, void *, int argc,
		    const char **argv);

/* dispatch.c: the frame of planner → claim → channel → ledger */
struct dispatch	*dispatch_new(struct nv *);
void		 dispatch_free(struct dispatch *);
void		 dispatch_store_up(struct dispatch *);
void		 dispatch_store_down(struct dispatch *);
/* Something may be due (at `at`, ms): claim as soon as there is room. */
void		 dispatch_wake(struct dispatch *, int64_t at);
/* Could every channel of c start? (A reload asks before it swaps.) */
int		 dispatch_check(struct dispatch *, const struct config *c,
		    char *err, size_t len);
/* Match channels to a new config; takes effect for the next send. */
int		 dispatch_reconfigure(struct dispatch *, char *err, size_t len);
/* Stop claiming; report when nothing is in flight any more. */
void		 dispatch_stop(struct dispatch *, void (*idle)(void *), void *);
/* Queue a notice to the admins ([alert]); never fails silently. */
void		 dispatch_alert(struct dispatch *, const char *subject,
		    const char *text);
void		 dispatch_stats(struct dispatch *, struct evbuffer *);
int		 dispatch_busy(const struct dispatch *);
/* 1 when delivery goes on; else 0 and why in buf (for /healthz). */
int		 dispatch_healthy(const struct dispatch *, char *buf,
		    size_t len);

/* channel.c */
struct channel	*channel_find(struct dispatch *, const char *name);
/*
 * Pause a channel in every daemon (written to {p}:pauses): a daemon's own
 * finding, such as a refused credential. Its reminders are held, each
 * recorded once, until an admin resumes it.
 */
void		 channel_pause(struct channel *, const char *reason);
/* {p}:pauses changed (a control message, a start): take it up. */
void		 channels_pauses_read(struct dispatch *);
/*
 * A digest cannot go as one (ZNS, too long): its members go back to the
 * queue, each to be sent on its own.
 */
void		 channel_split(struct job *lead);
/* Free what j keeps on its channel (job->chan), before it moves or goes. */
void		 channel_job_forget(struct job *);

/* ledger.c: what one attempt came to, from its channel, exactly once */
void		 ledger_job_done(struct job *, const struct result *);

/* control.c */
struct control	*control_new(struct nv *);
void		 control_free(struct control *);
void		 control_store_up(struct control *);

/* planner.c */
struct plan_sources;
/* The plan and sources preflight_run read (NULL: none); takes both. */
struct planner	*planner_new(struct nv *, struct plan *, struct plan_sources *);
void		 planner_free(struct planner *);
void		 planner_store_up(struct planner *);
void		 planner_changed(struct planner *, long long version);
void		 planner_reload(struct planner *, struct plan *,
		    struct plan_sources *);
/* The plan's time zone, or NULL before there is a plan. */
const char	*planner_timezone(const struct planner *);

/*
 * result.c: a send that failed on this machine (out of descriptors, memory
 * or local ports) was never tried: VERDICT_DEFER, again after
 * NV_LOCAL_RETRY_S, no attempt spent. Every channel asks these first.
 */
#define NV_LOCAL_RETRY_S	10
/* r failed here: res says not tried, and 1; else 0, res untouched. */
int		 result_local(struct result *, const struct http_response *);
/* Not tried for want of descriptors or memory (http_submit's -1), why. */
void		 result_not_tried(struct result *, const char *why);

/*
 * render.c: the message text of j on ch (malloc'd); NULL with err. A
 * digest (j with members) lists every reminder it carries.
 */
char		*render_text(struct channel *, const struct job *j, char *err,
		    size_t len);
/* A digest's subject line (malloc'd), for channels that have one. */
char		*render_digest_subject(const struct job *j);

/* inbound.c: the public listener, events, replies */
struct evhttp_request;
struct inbound	*inbound_new(struct nv *, char *err, size_t len);
void		 inbound_free(struct inbound *);
void		 inbound_store_up(struct inbound *);
void		 inbound_stats(const struct inbound *, struct evbuffer *);
/* The headers of every answer on the public listener. */
void		 inbound_headers(struct evhttp_request *, const char *type);

/* links.c: the confirmation links, served on the public listener */
struct links	*links_new(struct nv *, char *err, size_t len);
void		 links_free(struct links *);
/* GET or POST /c/TOKEN; arg is the struct nv. */
void		 links_route(struct evhttp_request *, void *arg);
/*
 * A reminder's payload o gets its confirmation link ({{confirm_url}}) when
 * the public listener is set up: it names the occurrence and the agency.
 */
void		 links_confirm(const struct nv *, struct reminder *);

/*
 * reporter.c: a [report] send's content, read from Redis when it is sent.
 * 1 when j's payload is a report's.
 */
int		 reporter_wants(const struct job *j);
/* Gather, render (j->r.text, and j->attach on an smtp channel), then
 * queue j on its channel; a failure defers or rejects j. */
void		 reporter_start(struct job *j);
/* j leaves memory: let go of what the reporter holds for it. */
void		 reporter_job_free(struct job *j);

/*
 * archive.c: what is older than [ledger] keep goes to the archive files,
 * then leaves Redis; once a day, a minute after start, and now (a control
 * message type=archive).
 */
struct archive	*archive_new(struct nv *);
void		 archive_free(struct archive *);
void		 archive_store_up(struct archive *);
void		 archive_now(struct archive *);

/* metrics.c */
struct metrics	*metrics_new(struct nv *, char *err, size_t len);
void		 metrics_free(struct metrics *);

#endif
