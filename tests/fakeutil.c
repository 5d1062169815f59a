/* What the fake servers of the tests share: the port file, the clock, control bodies. */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "fakeutil.h"
#include "log.h"

/* Wall-clock milliseconds since the epoch (the RECV_MS of the logs). */
long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads one integer member of a control body; 0 if absent, -1 if bad. */
int
control_int(json_t *root, const char *key, long long min, long long max,
    long long *v)
{
	json_t	*m;

	if ((m = json_object_get(root, key)) == NULL)
		return 0;
	if (!json_is_integer(m) || json_integer_value(m) < min ||
	    json_integer_value(m) > max)
		return -1;
	*v = json_integer_value(m);
	return 0;
}

/* Writes the port to path through a temporary file, so readers see all or nothing. */
void
write_portfile(const char *path, int port)
{
	char	 tmp[PATH_MAX];
	FILE	*f;
	int	 n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		fatalx("%s: path too long", path);
	if ((f = fopen(tmp, "w")) == NULL)
		fatal("%s", tmp);
	fprintf(f, "%d\n", port);
	if (fflush(f) == EOF || fsync(fileno(f)) == -1)
		fatal("%s", tmp);
	if (fclose(f) == EOF)
		fatal("%s", tmp);
	if (rename(tmp, path) == -1)
		fatal("rename %s", path);
}


int
bound_port(struct evhttp_bound_socket *bs)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);

	if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss,
	    &slen) == -1)
		fatal("getsockname");
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	fatalx("unexpected address family %d", ss.ss_family);
}
