#!/bin/bash
# 429 with Retry-After: 2: the retry waits at least that long, even though
# the back-off alone (retry_base 1s: 0.5-1 s) would come sooner.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -f 1 -F 429 -r 2
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook ra
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(fake_count hook)" -ge 2 ]' || fail "no retry after the 429"
first=$(sed -n 1p "$T/hook.log" | cut -f3)
second=$(sed -n 2p "$T/hook.log" | cut -f3)
assert_eq 429 "$(sed -n 1p "$T/hook.log" | cut -f2)" "first answer"
assert_ge $((second - first)) 2000 "ms between the 429 and the retry"
wait_until 10 '[ "$(state_count sent)" -ge 1 ]' || fail "not recorded as sent"
stop nv || fail "exit status $?"
