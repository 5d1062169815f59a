/* What the fake servers of the tests share: the port file, the clock, control bodies. */
#ifndef NV_FAKEUTIL_H
#define NV_FAKEUTIL_H

#include <event2/http.h>
#include <jansson.h>

long long	now_ms(void);
/* One integer member of a control body; 0 if absent, -1 if bad. */
int		control_int(json_t *root, const char *key, long long min,
		    long long max, long long *v);
/* The port into path through a temporary file: readers see all or nothing. */
void		write_portfile(const char *path, int port);
/* The port a listening socket got (after asking for port 0). */
int		bound_port(struct evhttp_bound_socket *);

#endif
