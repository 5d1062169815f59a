/* Redis Cluster arithmetic and replies: a key's hash slot, redirections, the node that serves a slot. */
#ifndef NV_CLUSTER_H
#define NV_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#define CLUSTER_SLOTS		16384
#define CLUSTER_HOST_MAX	256
#define CLUSTER_ID_MAX		41	/* 40 hex digits and a NUL */

/* What an error reply asks of a Cluster client. */
enum cluster_redirect {
	CLUSTER_REPLY,		/* nothing: an answer like any other */
	CLUSTER_MOVED,		/* the slot has a new owner: go there */
	CLUSTER_ASK,		/* this key only, once, with ASKING first */
	CLUSTER_TRYAGAIN,	/* keys split by a migration: again shortly */
	CLUSTER_DOWN		/* the Cluster cannot serve the slot now */
};

/* A node as a client reaches it: HOST:PORT, and its id when known. */
struct cluster_node {
	char	host[CLUSTER_HOST_MAX];
	int	port;
	char	id[CLUSTER_ID_MAX];
};

/* CRC16 as Redis Cluster defines it (XMODEM: polynomial 0x1021, from 0). */
uint16_t	cluster_crc16(const char *buf, size_t len);
/* The slot of a key: the CRC16 of its hash tag ({...}) or of the whole key. */
int		cluster_keyslot(const char *key, size_t len);
/*
 * Reads an error reply ("MOVED 3999 127.0.0.1:6381"); for MOVED and ASK
 * fills slot and to (an empty host in the reply means the node asked:
 * `here`'s host). Anything else is CLUSTER_REPLY.
 */
enum cluster_redirect cluster_redirect_parse(const char *err,
		    const char *here, int *slot, struct cluster_node *to);
/*
 * The master serving slot in a CLUSTER SLOTS reply, into owner (an empty
 * endpoint: `here`). -1 with a reason when the reply is odd or the slot has
 * no master.
 */
int		cluster_slots_owner(const redisReply *, int slot,
		    const char *here, struct cluster_node *owner, char *err,
		    size_t len);
/* "HOST:PORT", brackets around an IPv6 host. */
void		cluster_node_format(const struct cluster_node *, char *buf,
		    size_t len);

#endif
