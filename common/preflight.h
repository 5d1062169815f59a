/* The checks nhacviecd makes before it starts, made the same way by nhacviecd -n and nhacviec check: one code path for all three. */
#ifndef NV_PREFLIGHT_H
#define NV_PREFLIGHT_H

#include "config.h"
#include "diag.h"
#include "plan.h"
#include "planstore.h"

/*
 * After the config loaded: the plan files it names (none matching is a
 * warning: the daemon then plans from the plan loaded in Redis), checked
 * against the config, and every channel's secrets and settings (what
 * each needs to start). Every problem goes to d; the plan (NULL when
 * there are no files or errors) and its sources come back. It failed
 * when d->nerrors grew.
 */
struct plan	*preflight_run(const struct config *, struct plan_sources *src,
		    struct diag *d);

#endif
