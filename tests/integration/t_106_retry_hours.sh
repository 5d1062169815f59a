#!/bin/bash
# A retry that would fall outside [delivery] hours waits for the next
# opening: a 20:59:59 reminder whose first try fails is tried again at 07:00
# the next morning, not at night.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -f 1 -r 2
mkdir -p "$T/plan.d"
write_conf "$T/nv.conf" "$hook_PORT" hours=07:00-21:00
printf '\n[plan]\nfiles = plan.d/*.conf\n' >>"$T/nv.conf"
cat >"$T/plan.d/p.conf" <<'EOP'
[agency a]
email = a@example.gov.vn

[task t]
lead = a
month = 2022-04
remind = end-1d@20:59
channels = hook
EOP
# Friday 2022-04-29 20:59:59 +07:00; the reminder is due at 20:59; the
# first try gets 503 with Retry-After: 2, so the retry would be after 21:00.
# (The month's occurrence ends on the 30th: the morning is still in time.)
NV_CLOCK=2022-04-29T20:59:59+07:00
daemon_start nv "$T/nv.conf"
wait_until 15 '[ "$(fake_count hook)" -ge 1 ]' || fail "no first try"
wait_until 10 '[ "$(due_score "t/2022-04-30/end-1d@20:59/a/hook")" != "" ]' ||
    fail "the retry was not scheduled"
# 2022-04-30T07:00:00+07:00 = 2022-04-30T00:00:00Z = 1651276800000.
assert_eq 1651276800000 "$(due_score 't/2022-04-30/end-1d@20:59/a/hook')" "retry time"
stop nv || fail "exit status $?"
