#!/bin/bash
# SIGHUP: a bad config is refused with FILE:LINE errors and delivery goes on
# on the old one; a good config is swapped in (the webhook URL moves).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
fake_start other
write_conf "$T/nv.conf" "$hook_PORT"
# One reminder a second of virtual time, from 1 s ahead on.
seed 40 $((NV_CLOCK_MS + 1000)) 1000 hook hup
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(fake_count hook)" -ge 3 ]' || fail "no delivery before the reload"

# An unknown key and a bad duration: both reported, nothing applied.
write_conf "$T/nv.conf" "$other_PORT" grace=6x hook.bogus=1
kill -HUP "$(pid_of nv)"
wait_until 10 "grep -q 'reload refused' '$T/nv.out'" || fail "reload not refused"
assert_grep "$T/nv.conf:[0-9]+: grace" "$T/nv.out" "bad duration reported with FILE:LINE"
assert_grep "$T/nv.conf:[0-9]+: .*bogus" "$T/nv.out" "unknown key reported with FILE:LINE"
n=$(fake_count hook)
wait_until 20 "[ \"\$(fake_count hook)\" -ge $((n + 3)) ]" || fail "delivery stopped after a bad reload"
assert_eq 0 "$(fake_count other)" "requests to the URL of the refused config"
alive nv || fail "nhacviecd died on a bad reload"

# A good config moves the channel to the other webhook.
write_conf "$T/nv.conf" "$other_PORT"
kill -HUP "$(pid_of nv)"
wait_until 10 "grep -q 'reloaded $T/nv.conf' '$T/nv.out'" || fail "good reload not applied"
wait_until 20 '[ "$(fake_count other)" -ge 3 ]' || fail "no delivery to the new URL"

# What a reload cannot change (here the consumer name the outbox knows us
# by) is named, and the running value stays: a second reload of the same
# file names it again, as the daemon still runs on the first.
write_conf "$T/nv.conf" "$other_PORT" consumer=test-2
for n in 1 2; do
	kill -HUP "$(pid_of nv)"
	wait_until 10 "[ \"\$(grep -c 'reload: \[redis\] consumer changed; these take effect at the next restart' '$T/nv.out')\" -ge $n ]" ||
	    fail "reload $n did not name the consumer it cannot change"
done
wait_until 10 "[ \"\$(grep -c 'reloaded $T/nv.conf' '$T/nv.out')\" -ge 3 ]" ||
    fail "the reloads that change the consumer were not applied"
wait_until 60 '[ "$(ledger_count)" -ge 40 ]' || fail "ledger has $(ledger_count) of 40"
assert_eq 40 $(( $(fake_count hook) + $(fake_count other) )) "requests over both webhooks"
assert_eq 40 "$(state_count sent)" "reminders in state sent"
rcli XINFO CONSUMERS '{t}:outbox' dispatch >"$T/consumers"
assert_grep '^test-1$' "$T/consumers" "the running consumer"
assert_no_grep '^test-2$' "$T/consumers" "a consumer name from a reload"
stop nv || fail "nhacviecd exit status $?"
