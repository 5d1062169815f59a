/* Time zones by name, found once: libical's lookup is a walk of every zone it knows. */
#include <string.h>

#include "zone.h"

#define ZONE_CACHE	4	/* a plan has one zone; tests use a few */

icaltimezone *
zone_find(const char *name)
{
	static struct {
		char		 name[64];
		icaltimezone	*z;
	}		 cache[ZONE_CACHE];
	static size_t	 next;
	icaltimezone	*z;
	size_t		 i;

	for (i = 0; i < ZONE_CACHE; i++)
		if (cache[i].z != NULL && strcmp(cache[i].name, name) == 0)
			return cache[i].z;
	if ((z = icaltimezone_get_builtin_timezone(name)) == NULL ||
	    strlen(name) >= sizeof(cache[0].name))
		return z;
	strcpy(cache[next].name, name);
	cache[next].z = z;
	next = (next + 1) % ZONE_CACHE;
	return z;
}
