/* Time zones by name, found once: libical's lookup is a walk of every zone it knows. */
#ifndef NHACVIEC_ZONE_H
#define NHACVIEC_ZONE_H

#include <libical/ical.h>

/* libical's builtin zone of that name (cached; zones live as long as the
 * process), or NULL when it knows none. */
icaltimezone	*zone_find(const char *name);

#endif
