/* What the files of the public listener's events share: the listener's state and one stored event on its way through. */
#ifndef NV_INBOUND_PRIV_H
#define NV_INBOUND_PRIV_H

#include <stdint.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "reply.h"

#define INBOUND_GROUP		"events"
/* A reply without a code is about a reminder sent this recently. */
#define INBOUND_OPEN_DAYS	14

struct inbound_oa {
	char		*channel;	/* the zalo channel's name */
	char		*app_id;
	char		*secret;	/* the OA webhook key; never logged */
};

struct inbound {
	struct nv		*nv;
	struct listener		*pub;
	struct inbound_oa	*oa;
	size_t			 noa;
	int			 reading;
	int			 history;	/* our own pending first */
	char			 cursor[48];	/* in that history */
	struct event		*sweep_ev;
	uint64_t		 events, refused, replies, placed, inboxed;
};

/* One stored event on its way through. */
struct inevent {
	struct inbound	*in;
	char		 entry[48];
	json_t		*body;
	char		*channel;
	const char	*name;		/* event_name */
	int		 pending;	/* replies still awaited */
	/* user_send_text */
	const struct plan_agency *agency;
	enum reply_kind	 kind;
	char		 text[1024];
	char		 msg_id[128];
	char		 quote[128];
	char		 code[REPLY_CODE_SIZE];
	char		 sender[128];
	char		 seen[300];	/* its key in {p}:handled */
};

/* inbound.c: the event is handled (or a copy): acknowledged, deleted. */
void	inbound_done(struct inevent *);

/* inbound_reply.c: what the event says. */
/* The reminders a Zalo message carried (HMGET {p}:refs): received, seen. */
void	inbound_reply_refs(void *arg, redisReply *);
/* A head wrote to the OA: placed on its occurrence, or kept in the inbox. */
void	inbound_reply_text(struct inevent *);

#endif
