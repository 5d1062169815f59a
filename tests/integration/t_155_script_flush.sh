#!/bin/bash
# Redis forgets the daemon's scripts (SCRIPT FLUSH by an admin, a restart
# the daemon did not see): each call answered NOSCRIPT is sent again as
# EVAL with the script's text and its arguments as they were formatted,
# and delivery goes on: every reminder sent once, every outcome recorded.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT" hook.concurrency=4
seed 50 $((NV_CLOCK_MS - 1000)) 0 hook first
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(state_count sent)" -ge 50 ]' || fail "first: $(state_count sent) of 50 sent"

assert_eq OK "$(rcli SCRIPT FLUSH)" "SCRIPT FLUSH"
# Due a few seconds on (the daemon's clock runs in real time): the claim,
# the take and the complete calls all meet an empty script cache.
seed 200 $((NV_CLOCK_MS + 3000)) 0 hook second
wait_until 30 '[ "$(state_count sent)" -ge 250 ]' || fail "second: $(state_count sent) of 250 sent"
assert_eq 250 "$(fake_count hook)" "requests"
assert_eq 250 "$(fake_unique hook)" "distinct reminders"
assert_eq 250 "$(ledger_count)" "ledger entries"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "outbox entries left"
# No connection was dropped to get there (a reconnect loads the scripts
# again too, and would hide a bad EVAL): nothing went wrong at all.
assert_eq 0 "$(grep -c 'connection lost' "$T/nv.out")" "connections lost"
assert_eq 0 "$(grep -c ' error: ' "$T/nv.out")" "errors logged"
# The scripts are in Redis's cache again: EVAL put them there.
assert_eq 1 "$(rcli SCRIPT EXISTS "$(sha1sum <"$(nv_lua lua/claim.lua)" | cut -d' ' -f1)" | head -1)" "claim script cached again"
stop nv || fail "exit status $?"
