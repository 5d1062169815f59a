#!/bin/bash
# Redis forgets a claimed entry while its send is in flight (here: XACK by
# hand, as a Redis restarted from an older copy or a promoted replica can):
# the outcome (a retry) is still applied, so the reminder goes back to due
# and is delivered; nothing is left `queued` and forgotten.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 3000 -s 503
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook rewind
daemon_start nv "$T/nv.conf"
pending() { rcli XPENDING '{t}:outbox' dispatch | head -1; }
wait_until 10 '[ "$(pending)" = 1 ]' || fail "the send never went out"
entry=$(rcli XRANGE '{t}:outbox' - + | head -1)
assert_eq 1 "$(rcli XACK '{t}:outbox' dispatch "$entry")" "XACK by hand"
fake_control hook '{"status": 200, "delay_ms": 0}'
wait_until 30 '[ "$(fake_ok_count hook)" -ge 1 ]' ||
    fail "the reminder was never delivered (state: $(rcli HVALS '{t}:state'))"
wait_until 10 '[ "$(state_count sent)" = 1 ]' || fail "state is not sent"
assert_grep 'no longer pending .*outcome retry applied' "$T/nv.out" \
    "the log says what happened"
assert_no_grep 'another instance' "$T/nv.out" "no talk of another instance"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left"
stop nv || fail "exit status $?"
