/* Redis Cluster arithmetic and replies: a key's hash slot, redirections, the node that serves a slot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

uint16_t
cluster_crc16(const char *buf, size_t len)
{
	uint16_t	crc = 0;
	size_t		i;
	int		bit;

	for (i = 0; i < len; i++) {
		crc ^= (uint16_t)((unsigned char)buf[i] << 8);
		for (bit = 0; bit < 8; bit++)
			crc = crc & 0x8000 ? (uint16_t)(crc << 1) ^ 0x1021 :
			    (uint16_t)(crc << 1);
	}
	return crc;
}

/* The Cluster spec's rule: the first "{", the first "}" after it, not empty. */
int
cluster_keyslot(const char *key, size_t len)
{
	const char	*open, *close;

	if ((open = memchr(key, '{', len)) != NULL &&
	    (close = memchr(open + 1, '}', len - (size_t)(open + 1 - key))) !=
	    NULL && close > open + 1)
		return cluster_crc16(open + 1, (size_t)(close - open - 1)) &
		    (CLUSTER_SLOTS - 1);
	return cluster_crc16(key, len) & (CLUSTER_SLOTS - 1);
}

/* "HOST:PORT" split at the last colon; an empty host is `here`. */
static int
cluster_endpoint(const char *s, size_t n, const char *here,
    struct cluster_node *node)
{
	const char	*colon;
	char		*end;
	long		 port;
	size_t		 hlen;

	memset(node, 0, sizeof(*node));
	if ((colon = memrchr(s, ':', n)) == NULL)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (end != s + n || end == colon + 1 || port < 1 || port > 65535)
		return -1;
	hlen = (size_t)(colon - s);
	if (hlen == 0) {
		if (here == NULL || strlen(here) >= sizeof(node->host))
			return -1;
		snprintf(node->host, sizeof(node->host), "%s", here);
	} else {
		/* "[::1]" as well as "::1" */
		if (s[0] == '[' && colon[-1] == ']') {
			s++;
			hlen -= 2;
		}
		if (hlen == 0 || hlen >= sizeof(node->host))
			return -1;
		memcpy(node->host, s, hlen);
	}
	node->port = (int)port;
	return 0;
}

enum cluster_redirect
cluster_redirect_parse(const char *err, const char *here, int *slot,
    struct cluster_node *to)
{
	enum cluster_redirect	 kind;
	const char		*p, *sp;
	char			*end;
	long			 n;

	if (strncmp(err, "MOVED ", 6) == 0) {
		kind = CLUSTER_MOVED;
		p = err + 6;
	} else if (strncmp(err, "ASK ", 4) == 0) {
		kind = CLUSTER_ASK;
		p = err + 4;
	} else if (strncmp(err, "TRYAGAIN", 8) == 0 &&
	    (err[8] == ' ' || err[8] == '\0'))
		return CLUSTER_TRYAGAIN;
	else if (strncmp(err, "CLUSTERDOWN", 11) == 0 &&
	    (err[11] == ' ' || err[11] == '\0'))
		return CLUSTER_DOWN;
	else
		return CLUSTER_REPLY;
	n = strtol(p, &end, 10);
	if (end == p || *end != ' ' || n < 0 || n >= CLUSTER_SLOTS)
		return CLUSTER_REPLY;
	p = end + 1;
	sp = p + strcspn(p, " \r\n");
	if (*sp != '\0' || cluster_endpoint(p, (size_t)(sp - p), here, to) ==
	    -1)
		return CLUSTER_REPLY;
	*slot = (int)n;
	return kind;
}

int
cluster_slots_owner(const redisReply *r, int slot, const char *here,
    struct cluster_node *owner, char *err, size_t len)
{
	const redisReply	*range, *node;
	char			 ep[CLUSTER_HOST_MAX + 8];
	size_t			 i;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		snprintf(err, len, "CLUSTER SLOTS: %s", r != NULL &&
		    r->type == REDIS_REPLY_ERROR ? r->str : "odd reply");
		return -1;
	}
	for (i = 0; i < r->elements; i++) {
		range = r->element[i];
		if (range->type != REDIS_REPLY_ARRAY || range->elements < 3 ||
		    range->element[0]->type != REDIS_REPLY_INTEGER ||
		    range->element[1]->type != REDIS_REPLY_INTEGER) {
			snprintf(err, len, "CLUSTER SLOTS: odd reply");
			return -1;
		}
		if (slot < range->element[0]->integer ||
		    slot > range->element[1]->integer)
			continue;
		/* The master comes first: endpoint, port, id (Redis 4 on). */
		node = range->element[2];
		if (node->type != REDIS_REPLY_ARRAY || node->elements < 2 ||
		    node->element[0]->type != REDIS_REPLY_STRING ||
		    node->element[1]->type != REDIS_REPLY_INTEGER) {
			snprintf(err, len, "CLUSTER SLOTS: odd reply");
			return -1;
		}
		if (strcmp(node->element[0]->str, "?") == 0) {
			snprintf(err, len, "the master of slot %d has no "
			    "known endpoint (cluster-preferred-endpoint-type)",
			    slot);
			return -1;
		}
		snprintf(ep, sizeof(ep), "%s:%lld", node->element[0]->str,
		    node->element[1]->integer);
		if (cluster_endpoint(ep, strlen(ep), here, owner) == -1) {
			snprintf(err, len, "CLUSTER SLOTS: odd endpoint '%.64s' "
			    "for slot %d", ep, slot);
			return -1;
		}
		if (node->elements >= 3 &&
		    node->element[2]->type == REDIS_REPLY_STRING)
			snprintf(owner->id, sizeof(owner->id), "%s",
			    node->element[2]->str);
		return 0;
	}
	snprintf(err, len, "no node serves slot %d", slot);
	return -1;
}

void
cluster_node_format(const struct cluster_node *n, char *buf, size_t len)
{
	snprintf(buf, len, strchr(n->host, ':') ? "[%s]:%d" : "%s:%d",
	    n->host, n->port);
}
