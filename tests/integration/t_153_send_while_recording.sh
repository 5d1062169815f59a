#!/bin/bash
# A channel's slot is a send in flight, not an outcome waiting for Redis:
# once a reply has come, the next reminder the daemon holds goes out while
# the outcome is still being recorded. Concurrency 1, three reminders held,
# replies after 300 ms; Redis takes no writes for 6 s (CLIENT PAUSE WRITE)
# from the first request on, so no outcome can be recorded: all three
# requests still reach the webhook, one at a time, and once Redis writes
# again each is recorded sent, each sent once.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 300
write_conf "$T/nv.conf" "$hook_PORT" hook.concurrency=1
# Concurrency 1 holds seven jobs (DISPATCH_AHEAD): all three due.
seed 3 $((NV_CLOCK_MS - 1000)) 0 hook held
daemon_start nv "$T/nv.conf"

# All three taken (pending for this consumer), the first one sent.
wait_until 10 '[ "$(rcli XPENDING "{t}:outbox" dispatch | head -1)" = 3 ]' ||
    fail "the daemon did not take the three: $(rcli XPENDING '{t}:outbox' dispatch | head -1)"
wait_until 10 '[ "$(fake_count hook)" -ge 1 ]' || fail "the first request did not come"
assert_eq OK "$(rcli CLIENT PAUSE 6000 WRITE)" "pausing Redis's writes"
wait_until 5 '[ "$(fake_count hook)" -ge 3 ]' ||
    fail "$(fake_count hook) of 3 requests while the outcomes could not be recorded"
assert_eq 0 "$(state_count sent)" "outcomes recorded while Redis took no writes"
# One at a time: each request came at least the reply delay after the last.
gap=$(cut -f3 "$T/hook.log" | sort -n | awk 'NR > 1 && (m == "" || $1 - p < m) { m = $1 - p } { p = $1 } END { print m }')
assert_ge "$gap" 300 "ms between two requests (concurrency 1, replies after 300 ms)"

assert_eq OK "$(rcli CLIENT UNPAUSE)" "Redis writes again"
wait_until 10 '[ "$(state_count sent)" -ge 3 ]' || fail "recorded $(state_count sent) of 3"
assert_eq 3 "$(fake_count hook)" "requests"
assert_eq 3 "$(fake_unique hook)" "distinct reminders (each once)"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "the outbox after recording"
stop nv || fail "exit status $?"
