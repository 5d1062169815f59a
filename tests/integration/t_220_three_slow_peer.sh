#!/bin/bash
# Three live daemons and a peer that takes a second per request, so that
# entries wait longer than reclaim_idle: no fault at all, so no duplicate.
# (Entries are read only as slots free up, and the ones held are kept
# fresh, so no daemon takes over another's work in progress.)
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 1000
for i in 1 2 3; do
	write_conf "$T/nv$i.conf" "$hook_PORT" consumer=test-$i
done
seed 300 $((NV_CLOCK_MS - 1000)) 0 hook slow
for i in 1 2 3; do
	daemon_start "nv$i" "$T/nv$i.conf"
done
wait_until 120 '[ "$(state_count sent)" -ge 300 ]' ||
    fail "only $(state_count sent) of 300 sent"
assert_eq 300 "$(fake_unique hook)" "distinct reminders delivered"
assert_eq 0 "$(fake_dups hook)" "duplicates"
for i in 1 2 3; do
	assert_no_grep 'took over' "$T/nv$i.out" "takeovers by nv$i"
	stop "nv$i" || fail "exit status of nv$i: $?"
done
