/* Inside the dispatcher: what dispatch.c, claim.c, channel.c and ledger.c share (planner → claim → channel → ledger). */
#ifndef NV_DISPATCH_H
#define NV_DISPATCH_H

#include <stdint.h>

#include "nhacviecd.h"

#define DISPATCH_BUCKETS	4096	/* entry id hash (power of two) */

/* What can keep delivery from going on, for /healthz. */
enum fault {
	FAULT_CLAIM,		/* moving due reminders into the outbox */
	FAULT_TAKE,		/* reading the outbox */
	FAULT_RECORD,		/* recording outcomes */
	FAULT_LEASE,		/* our consumer name is held elsewhere */
	FAULT_COUNT
};

struct dispatch {
	struct nv		*nv;
	TAILQ_HEAD(, channel)	 channels;
	struct jobq		 all;		/* every job in memory */
	size_t			 njobs;
	struct job		*byentry[DISPATCH_BUCKETS];
	int			 stopped;
	void			(*idle)(void *);
	void			*idle_arg;

	/* claim.c: due → outbox → jobs */
	struct event		*due_ev;	/* the earliest due reminder */
	struct event		*sweep_ev;	/* the safety net */
	struct event		*keep_ev;	/* lease and entries kept fresh */
	struct event		*rescue_ev;	/* stranded reminders */
	int64_t			 next_due;	/* virtual ms, -1 when none */
	int			 claiming, taking, keeping, rescuing;
	int			 more_due;	/* the last claim filled its batch */
	size_t			 asked;		/* the claim's or read's count */
	int			 drained;	/* the last read found nothing new */
	int			 history;	/* re-reading our own pending */
	char			 cursor[48];	/* in our history */
	char			 reclaim[48];	/* XAUTOCLAIM cursor */
	char			 rescue_at[32];	/* HSCAN cursor of the rescue */
	int			 leased;	/* the consumer name is ours */
	int			 releasing;	/* giving it up at a stop */
	int			 started;	/* history read once */
	char			 token[160];	/* our lease: host:pid:start */
	char			 take_from[160];	/* a dead holder's token */
	int64_t			 raw_at;	/* Redis TIME at the last claim */
	int64_t			 mono_at;	/* our monotonic clock then */
	int64_t			 keep_after;	/* never missed from here; -1 */
	int64_t			 local_real_at;	/* this host's clock then */
	int64_t			 local_mono_at;

	/* health: when each fault began (monotonic ms, 0: none), and why */
	int64_t			 fault_since[FAULT_COUNT];
	char			 fault_why[FAULT_COUNT][200];

	/* channel.c: pauses */
	struct event		*pause_ev;	/* the earliest pause's end */
	int			 reading_pauses;
	int			 batching;	/* taking a read: pump after */

	/* ledger.c: outcomes on their way to Redis */
	struct jobq		 unrecorded;	/* Redis unreachable: wait */
	struct jobq		 torecord;	/* outcomes to record */
	size_t			 recording;	/* complete calls in flight */
	struct event		*flush_ev;
	struct event		*record_ev;
	struct record		*recs;		/* a complete call's, made once */
	const char		**rec_argv;
	int64_t			 expired_alert_at;	/* last such alert */
	struct event		*summary_ev;	/* the minute's summary */
	uint64_t		 minute[4];	/* sent, retry, dead, other */
	uint64_t		 claimed, missed, dropped;
};

/* dispatch.c */
struct job	*dispatch_job_new(struct dispatch *, const char *entry);
struct job	*dispatch_job_find(struct dispatch *, const char *entry);
void		 dispatch_job_free(struct job *);
/* A job leaves memory: its channel slot frees, more work may come in. */
void		 dispatch_finish(struct job *);
/* Send slots in all: the sum of the channels' concurrency. */
/*
 * Jobs held at once: DISPATCH_AHEAD times the channels' concurrency, so
 * that a send slot that frees finds the next job waiting, not a round trip
 * to Redis (and a backlog still stays in Redis, not here). Besides the
 * sends in flight they cover the outcomes being recorded (a complete call
 * in flight, the next gathering) and a claim's round trip queued behind
 * them: at 3 a busy channel had nothing queued a third of the time (make
 * bench: 20,000 a second at 4, 22,500 at 5, 25,000 at 7 or 8, no more at
 * 12). A held reminder is its text in one allocation; at 7 a million due
 * keep the daemon at 15.7-15.8 MiB (16.0 at 8: the first read after a
 * start takes the whole room, payloads and all, at once, and its reply is
 * the peak; reading it in parts would cut a digest's group in two).
 */
#define DISPATCH_AHEAD	7
size_t		 dispatch_capacity(const struct dispatch *);
/* Mark a fault (fmt) or clear it (fmt NULL). */
void		 dispatch_fault(struct dispatch *, enum fault,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
int64_t		 dispatch_mono_ms(void);
/* Stopped, nothing in flight, lease given up: tell whoever waits. */
void		 dispatch_idle(struct dispatch *);

/* claim.c */
void		 claim_init(struct dispatch *);
void		 claim_free(struct dispatch *);
void		 claim_store_up(struct dispatch *);
void		 claim_store_down(struct dispatch *);
/* Room or work may have appeared: take from the outbox, or claim. */
void		 claim_more(struct dispatch *);
void		 claim_stop(struct dispatch *);
/* A timer in real ms from now (0 and below: at once). */
void		 claim_timer(struct event *, int64_t real_ms);
/* Create the consumer group again (a flushed or rewound Redis). */
void		 claim_group(struct dispatch *);

/* lease.c: our name in the group, our entries kept fresh, the rescue */
void		 lease_init(struct dispatch *);
void		 lease_free(struct dispatch *);
void		 lease_stop(struct dispatch *);
/* Take or renew the lease; keep every entry we hold fresh. */
void		 lease_keep(struct dispatch *);
/* Give our consumer name up, then dispatch_idle. */
void		 lease_release(struct dispatch *);
/* One outbox entry becomes a job (unless we hold it already). */
void		 claim_add(struct dispatch *, redisReply *entry);

/* Redis's clock now (ms), from the last claim and our monotonic clock. */
int64_t		 dispatch_redis_ms(const struct dispatch *);

/* channel.c */
void		 channels_init(struct dispatch *);
int		 channels_reconfigure(struct dispatch *, char *err, size_t len);
int		 channels_check(struct dispatch *, const struct config *,
		    char *err, size_t len);
void		 channels_free(struct dispatch *);
void		 channel_pump(struct channel *);
void		 channel_pump_soon(struct channel *);
/* Gives back the slot j's send held; 1 if it held one. */
int		 channel_slot_release(struct job *);
int		 channel_digests(const struct channel *);
/* Queue j on its channel (in a digest when it can be); pump unless
 * d->batching. */
void		 channel_enqueue(struct channel *, struct job *);
/* Take j out of its channel's queue or its digest. */
void		 channel_unlink(struct job *);
/* After a batch: start what each channel can. */
void		 channels_pump(struct dispatch *);

/* ledger.c */
void		 ledger_init(struct dispatch *);
void		 ledger_free(struct dispatch *);
void		 ledger_store_up(struct dispatch *);
/* A job that cannot be sent: recorded dead at once, with the reason. */
void		 ledger_reject(struct job *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* A job that is not to be sent (no longer in the plan): skipped, why. */
void		 ledger_skip(struct job *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* A job not tried (stopping): back to due, free. */
void		 ledger_defer(struct job *, const char *why, int64_t wait_ms);
/* A job whose channel is paused: held until it resumes, free. */
void		 ledger_hold(struct job *);

#endif
