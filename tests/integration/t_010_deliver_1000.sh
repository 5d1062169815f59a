#!/bin/bash
# 1,000 reminders due now: each delivered exactly once, each with one ledger entry.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
seed 1000 $((NV_CLOCK_MS - 1000)) 0 hook a
daemon_start nv "$T/nv.conf"

wait_until 120 '[ "$(ledger_count)" -ge 1000 ]' || fail "ledger has $(ledger_count) entries"
sleep 1
assert_eq 1000 "$(fake_count hook)" "requests the webhook received"
assert_eq 1000 "$(fake_unique hook)" "distinct reminders the webhook received"
assert_eq 1000 "$(ledger_count)" "ledger entries"
assert_eq 1000 "$(ledger_unique)" "distinct reminders in the ledger"
assert_eq 1000 "$(state_count sent)" "reminders in state sent"
assert_eq 0 "$(due_count)" "reminders left due"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "entries left in the outbox"
assert_eq 0 "$(rcli HLEN '{t}:reminders')" "payloads left behind"
# Every ledger entry says sent with HTTP 200.
assert_eq 1000 "$(rcli XRANGE '{t}:log' - + | grep -cx sent)" "ledger outcomes 'sent'"
# Connections are reused: at most one per concurrent send (8), not 1,000.
conns=$(cut -f7 "$T/hook.log" | sort -u | wc -l)
echo "1000 requests over $conns connections"
assert_le "$conns" 8 "TCP connections for 1,000 requests"
stop nv || fail "nhacviecd exit status $?"
assert_grep 'every send in flight has finished' "$T/nv.out" "clean stop"
