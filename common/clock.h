/* The time everything sees: the real clock, or a virtual one for demos and tests. */
#ifndef NV_CLOCK_H
#define NV_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the epoch, on the virtual clock when one is set. */
int64_t	clock_now_ms(void);
/* From now on, now is `start_ms`, advancing `rate` times real speed. */
void	clock_set_virtual(int64_t start_ms, double rate);
int	clock_is_virtual(void);
/*
 * The virtual clock as an offset on any real clock: virtual now is
 * start_ms + (real now - real_ms) * rate. -1 when the clock is real.
 */
int	clock_virtual_origin(int64_t *start_ms, int64_t *real_ms,
	    double *rate);
/* The real wait, in ms, for a span of virtual time (rounded up). */
int64_t	clock_real_delay_ms(int64_t virtual_ms);
/*
 * How late after its time a send is marked late: late_ms of the clock's
 * time, and on a virtual clock faster than real time at least a second of
 * real time, so that the daemon's own milliseconds (a minute of a demo
 * running an hour a second) never read as lateness.
 */
int64_t	clock_late_after_ms(int64_t late_ms);
/* "2022-04-29T08:00:00+07:00", "...Z", optional seconds and fraction. */
int	clock_parse_iso8601(const char *, int64_t *ms, char *err, size_t len);
/* Epoch ms as ISO 8601 with the local zone's offset. */
void	clock_format_iso8601(int64_t ms, char *buf, size_t len);

#endif
