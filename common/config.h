/* The main config file: its typed keys, their checks and the parsed result. */
#ifndef NV_CONFIG_H
#define NV_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "parse.h"
#include "zalo.h"

#define CONFIG_DEFAULT_PATH	"/etc/nhacviec/nhacviec.conf"
#define CONFIG_DEFAULT_PLAN_FILES "/etc/nhacviec/plan.d/*.conf"
#define CONFIG_DEFAULT_ARCHIVE_DIR "/var/lib/nhacviec/archive"
#define CONFIG_KEEP_MIN_DAYS	30	/* [ledger] keep, at least */

enum channel_type {
	CHANNEL_CONSOLE,
	CHANNEL_WEBHOOK,
	CHANNEL_SMTP,
	CHANNEL_ZALO,
};

struct config_header {
	char	*name;
	char	*value;
};

struct config_channel {
	char			*name;		/* from [channel NAME] */
	unsigned		 line;		/* where the section starts */
	enum channel_type	 type;
	char			*contact;	/* zalo | phone | email */
	char			*fallback;	/* another channel's name, or NULL */
	char			*url;
	char			*method;	/* default POST */
	struct config_header	*headers;	/* header = Name: value, repeatable */
	size_t			 nheaders;
	char			*body_template;	/* a file, or NULL */
	char			*template;	/* the message text's file, or NULL */
	char			*subject_template;	/* type smtp: a file */
	int64_t			 timeout_ms;	/* default 10s */
	int			 concurrency;	/* default 8 */
	int			 digest;	/* one message a minute per head;
						   default yes for zalo and mail */
	char			*ca_file;	/* CAs to trust instead of the system's */
	unsigned		 fallback_line;	/* where fallback is set */

	/* type zalo: its keys, common/zalo.c's */
	struct zalo_conf	 zalo;

	/* type smtp */
	char			*from;
	char			*username;
	char			*password_file;	/* owner-only file */
};

/* [report NAME]: a report the daemon sends by itself after each period. */
struct config_report {
	char			*name;		/* from [report NAME] */
	unsigned		 line;		/* where the section starts */
	char			*every;		/* month | quarter | half | year */
	char			*at;		/* end[±Nd]@HH:MM, as written */
	int			 at_days;	/* the ±Nd: days after the end */
	int			 at_minutes;	/* the HH:MM */
	char			*by;		/* agency | task; default agency */
	char			**to;		/* agency or group ids of the plan */
	size_t			 nto;
	unsigned		 to_line;
	char			**channels;	/* default: the first channel
						   that carries email */
	size_t			 nchannels;
	unsigned		 channels_line;
};

struct config {
	char			*path;

	/* [redis] */
	struct address		 redis_addr;
	char			*redis_address;	/* as written */
	char			*prefix;	/* default "nhacviec" */
	char			*username;	/* an ACL user, or NULL */
	char			*password_file;
	char			*consumer;	/* default: the host name */
	int64_t			 connect_timeout_ms;	/* default 2s */
	char			*sentinels;	/* as written, or NULL */
	struct address		*sentinel_addrs;	/* asked for the master */
	size_t			 nsentinels;
	char			*master;	/* the name Sentinel monitors */
	char			*cluster;	/* as written, or NULL */
	struct address		*cluster_addrs;	/* seed nodes of a Cluster */
	size_t			 ncluster;

	/* [plan] */
	char			*plan_files;
	int64_t			 horizon_ms;	/* default 35d */

	/* [ledger] */
	int64_t			 keep_ms;	/* default 400d, at least 30d */
	char			*archive_dir;	/* made absolute */

	/* [delivery] */
	int			 hours_start;	/* minutes; default 07:00 */
	int			 hours_end;	/* default 21:00 */
	int64_t			 grace_ms;	/* default 6h */
	int			 max_attempts;	/* default 8 */
	int			 batch;		/* claim batch, default 256 */
	int64_t			 retry_base_ms;	/* default 30s */
	int64_t			 retry_max_ms;	/* default 1h */
	int64_t			 drain_timeout_ms;	/* default 10s */
	int64_t			 reclaim_idle_ms;	/* default 2m */
	int64_t			 unhealthy_after_ms;	/* default 60s */

	/* [channel NAME] */
	struct config_channel	*channels;
	size_t			 nchannels;

	/* [report NAME] */
	struct config_report	*reports;
	size_t			 nreports;

	/* [alert] */
	char			*alert_email;	/* who hears of a paused channel */
	char			*alert_channel;	/* the channel that carries it */

	/* [http] */
	char			*listen;	/* NULL: no metrics server */
	struct address		 listen_addr;
	int			 listen_allow_remote;	/* default no */
	int			 http_max_connections;	/* default 256 */
	int64_t			 http_idle_timeout_ms;	/* default 60s */
	int64_t			 http_request_timeout_ms;	/* default 10s */
	char			*public_listen;	/* NULL: no public listener */
	struct address		 public_listen_addr;
	char			*public_url;	/* its address from outside */
	char			*link_secret_file;	/* the links' HMAC key */
	char			*users_file;	/* the pages' accounts, or NULL:
						   no pages */
};

/*
 * Parse and check a config file. Every problem goes to d as FILE:LINE; the
 * result is NULL when there was any error (warnings alone still return it).
 */
struct config	*config_load(const char *path, struct diag *d);
void		 config_free(struct config *);
const struct config_channel *config_channel_find(const struct config *,
		    const char *name);
const char	*config_channel_type_name(enum channel_type);
const struct config_report *config_report_find(const struct config *,
		    const char *name);
/* A channel's settings on their own, to outlive their config; and free. */
struct config_channel *config_channel_dup(const struct config_channel *);
void		 config_channel_free(struct config_channel *);

#endif
