/* Logging: to the journal with fields under systemd, else to stderr. */
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <systemd/sd-journal.h>

#include "i18n.h"
#include "log.h"

static const char	*log_name = "nhacviec";
static int		 log_verbose;
static int		 log_journal;

/*
 * Under systemd, JOURNAL_STREAM names the stream stderr is connected to
 * ("DEV:INODE"): then messages go to the journal itself, with fields.
 */
void
log_init(const char *progname, int verbose)
{
	const char		*js = getenv("JOURNAL_STREAM");
	struct stat		 st;
	unsigned long long	 dev, ino;

	log_name = progname;
	log_verbose = verbose;
	log_journal = js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(2, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/* To the journal, natively: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, fields. */
static int
log_journal_send(int pri, const char *msg, const struct log_field *f,
    size_t n)
{
	struct iovec	 iov[16];
	char		 buf[16][512], *m;
	size_t		 i, k = 0;
	int		 rc;

	if (asprintf(&m, "MESSAGE=%s", msg) == -1)
		return -1;
	iov[k].iov_base = m;
	iov[k++].iov_len = strlen(m);
	snprintf(buf[0], sizeof(buf[0]), "PRIORITY=%d", pri);
	snprintf(buf[1], sizeof(buf[1]), "SYSLOG_IDENTIFIER=%s", log_name);
	for (i = 0; i < 2; i++) {
		iov[k].iov_base = buf[i];
		iov[k++].iov_len = strlen(buf[i]);
	}
	for (i = 0; i < n && k < 16; i++) {
		if (f[i].value == NULL)
			continue;
		snprintf(buf[k], sizeof(buf[k]), "%s=%s", f[i].name,
		    f[i].value);
		iov[k].iov_base = buf[k];
		iov[k].iov_len = strlen(buf[k]);
		k++;
	}
	rc = sd_journal_sendv(iov, (int)k);
	free(m);
	return rc < 0 ? -1 : 0;
}

void
log_set_verbose(int verbose)
{
	log_verbose = verbose;
}

int
log_wants(int pri)
{
	return pri != LOG_DEBUG || log_verbose;
}

static void
log_vwritef(int pri, const char *errstr, const struct log_field *f,
    size_t n, const char *fmt, va_list ap)
{
	static const char *names[] = { "emerg", "alert", "crit", "error",
	    "warning", "notice", "info", "debug" };
	char		 msg[2048], full[2300];
	struct timespec	 ts;
	struct tm	 tm;

	if (pri == LOG_DEBUG && !log_verbose)
		return;
	/* In the admin's language: every log_* call's format meets it here. */
	vsnprintf(msg, sizeof(msg), _(fmt), ap);
	if (log_journal) {
		snprintf(full, sizeof(full), "%s%s%s", msg, errstr ? ": " : "",
		    errstr ? errstr : "");
		if (log_journal_send(pri, full, f, n) == 0)
			return;
		fprintf(stderr, "<%d>%s\n", pri, full);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %s %s: %s%s%s\n", tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, log_name, names[pri],
	    msg, errstr ? ": " : "", errstr ? errstr : "");
}

static void
log_vwrite(int pri, const char *errstr, const char *fmt, va_list ap)
{
	log_vwritef(pri, errstr, NULL, 0, fmt, ap);
}

void
log_fields(int pri, const struct log_field *f, size_t n, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwritef(pri, NULL, f, n, fmt, ap);
	va_end(ap);
}

#define LOG_FN(fn, pri)							\
void									\
fn(const char *fmt, ...)						\
{									\
	va_list ap;							\
	va_start(ap, fmt);						\
	log_vwrite(pri, NULL, fmt, ap);					\
	va_end(ap);							\
}

LOG_FN(log_debug, LOG_DEBUG)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_notice, LOG_NOTICE)
LOG_FN(log_warnx, LOG_WARNING)
LOG_FN(log_err, LOG_ERR)
LOG_FN(log_crit, LOG_CRIT)

/* Like log_warnx, with strerror(errno) appended. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}
