#!/bin/bash
# kill -9 in the middle of 5,000 sends, then restart: every reminder delivered
# at least once; duplicates no more than the in-flight limit (concurrency 8).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 5
write_conf "$T/nv.conf" "$hook_PORT"
seed 5000 $((NV_CLOCK_MS - 1000)) 0 hook kill
daemon_start nv "$T/nv.conf"
wait_until 120 '[ "$(fake_count hook)" -ge 1500 ]' || fail "delivery did not get going"
kill9 nv
before=$(fake_count hook)
assert_le "$(ledger_count)" 4999 "ledger entries at the kill"

daemon_start nv2 "$T/nv.conf"
wait_until 300 '[ "$(fake_ok_count hook 2>/dev/null || fake_unique hook)" -ge 5000 ] && [ "$(fake_unique hook)" -ge 5000 ]' ||
    fail "only $(fake_unique hook) of 5000 delivered"
wait_until 30 '[ "$(state_count sent)" -ge 5000 ]' || fail "$(state_count sent) in state sent"
dups=$(( $(fake_count hook) - $(fake_unique hook) ))
echo "kill -9 after $before requests: $dups duplicates (limit 8)"
assert_le "$dups" 8 "duplicates after kill -9"
assert_eq 5000 "$(fake_unique hook)" "distinct reminders delivered"
assert_eq 5000 "$(ledger_unique)" "distinct reminders in the ledger"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left"
assert_eq 0 "$(due_count)" "reminders left due"
