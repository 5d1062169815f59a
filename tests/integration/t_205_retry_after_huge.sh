#!/bin/bash
# A peer's Retry-After is clamped to [delivery] retry_max with saturating
# arithmetic: 10^17 seconds neither parks the reminder for ages nor
# overflows (which aborted the daemon under UBSan).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -f 1 -F 503 -r 100000000000000000
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook huge
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(fake_count hook)" -ge 2 ]' ||
    fail "no retry within 20 s of a Retry-After of 10^17 s"
first=$(sed -n 1p "$T/hook.log" | cut -f3)
second=$(sed -n 2p "$T/hook.log" | cut -f3)
assert_ge $((second - first)) 1000 "ms between the 503 and the retry"
wait_until 10 '[ "$(state_count sent)" -ge 1 ]' || fail "not recorded as sent"
alive nv || fail "the daemon died"
stop nv || fail "exit status $?"
