#!/bin/bash
# SIGTERM during delivery: in-flight sends finish and are recorded, exit 0,
# nothing lost; a restart delivers the rest, with no duplicates.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 200
write_conf "$T/nv.conf" "$hook_PORT"
seed 300 $((NV_CLOCK_MS - 1000)) 0 hook term
daemon_start nv "$T/nv.conf"
wait_until 60 '[ "$(fake_count hook)" -ge 40 ]' || fail "delivery did not start"
stop nv TERM
rc=$?
assert_eq 0 "$rc" "nhacviecd exit status after SIGTERM"
# What reached the webhook before the stop is exactly what the ledger
# says was sent; reminders taken but not started go back to due, each with
# a defer entry.
outcome() {
	rcli XRANGE '{t}:log' - + | awk -v o="$1" 'p == "outcome" && $0 == o { n++ } { p = $0 } END { print n + 0 }'
}
done1=$(outcome sent)
assert_le "$done1" 299 "reminders sent before the stop (some must be left)"
assert_eq "$done1" "$(fake_count hook)" "webhook requests vs. sent entries after the stop"
assert_eq "$(ledger_count)" $((done1 + $(outcome defer))) "ledger entries: sent, or not started and due again"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left at the stop"
assert_grep 'stopping: no new claims' "$T/nv.out" "stop logged"

daemon_start nv2 "$T/nv.conf"
# Every one sent (the ledger also holds the defer entries of the stop).
wait_until 120 '[ "$(state_count sent)" -ge 300 ]' || fail "$(state_count sent) of 300 sent after restart"
sleep 0.5
assert_eq 300 "$(fake_unique hook)" "distinct reminders delivered"
assert_eq 300 "$(fake_count hook)" "requests (no duplicates after a clean stop)"
assert_eq 300 "$(state_count sent)" "reminders in state sent"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left"
