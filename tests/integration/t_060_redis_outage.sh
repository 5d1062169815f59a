#!/bin/bash
# Redis stopped for 5 s in the middle of delivery and started again: the
# daemon reconnects (logging each back-off step) and finishes; nothing lost.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 3
write_conf "$T/nv.conf" "$hook_PORT"
seed 2000 $((NV_CLOCK_MS - 1000)) 0 hook outage
daemon_start nv "$T/nv.conf"
wait_until 60 '[ "$(fake_count hook)" -ge 300 ]' || fail "delivery did not start"
redis_stop
stopped_at=$(fake_count hook)
sleep 5
alive nv || fail "nhacviecd died while Redis was down"
assert_grep 'redis main: .*retrying in' "$T/nv.out" "back-off logged"
# Sends stop while outcomes cannot be recorded: at most one window more.
assert_le "$(fake_count hook)" $((stopped_at + 8)) "requests while Redis was down"
redis_start
wait_until 180 '[ "$(fake_unique hook)" -ge 2000 ]' || fail "only $(fake_unique hook) of 2000 delivered"
wait_until 30 '[ "$(state_count sent)" -ge 2000 ]' || fail "$(state_count sent) in state sent"
assert_eq 2000 "$(ledger_unique)" "distinct reminders in the ledger"
dups=$(fake_dups hook)
echo "duplicates after the outage: $dups"
assert_le "$dups" 8 "duplicates after the outage"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left"
stop nv || fail "nhacviecd exit status $?"
