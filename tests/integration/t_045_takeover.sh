#!/bin/bash
# Two instances share one Redis. One is killed with reminders pending in its
# name; the other takes them over (XAUTOCLAIM after reclaim_idle) and
# delivers everything.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 300
write_conf "$T/a.conf" "$hook_PORT"
write_conf "$T/b.conf" "$hook_PORT" consumer=test-2
seed 200 $((NV_CLOCK_MS - 1000)) 0 hook take
daemon_start a "$T/a.conf"
wait_until 30 '[ "$(fake_count hook)" -ge 16 ]' || fail "instance a did not start sending"
kill9 a
pending=$(rcli XPENDING '{t}:outbox' dispatch | head -1)
assert_ge "$pending" 1 "entries pending for the killed instance"
daemon_start b "$T/b.conf"
wait_until 120 '[ "$(fake_unique hook)" -ge 200 ]' || fail "only $(fake_unique hook) of 200 delivered"
wait_until 30 '[ "$(state_count sent)" -ge 200 ]' || fail "$(state_count sent) in state sent"
assert_grep 'took over [0-9]+ outbox entries' "$T/b.out" "takeover logged"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left"
assert_le "$(fake_dups hook)" 8 "duplicates"
stop b || fail "exit status $?"
