#!/bin/bash
# A reload that removes a channel with sends in flight: they finish (here
# refused: 404, so the removed channel's own settings are read again for
# its fallback, after the old config is freed), its queued reminders
# (claimed, or waiting for its room) become dead letters naming the
# reason, and the other channel goes on.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
fake_start slow -d 1500 -s 404
write_conf "$T/nv.conf" "$hook_PORT"
cp "$T/nv.conf" "$T/one.conf"
cat >>"$T/nv.conf" <<EOC

[channel slow]
type = webhook
contact = email
url = http://127.0.0.1:$slow_PORT/hook
concurrency = 2
fallback = hook
EOC
seed 10 $((NV_CLOCK_MS - 1000)) 0 slow rm
daemon_start nv "$T/nv.conf"
wait_until 10 '[ "$(fake_count slow)" -ge 2 ]' || fail "slow sends did not start"
cp "$T/one.conf" "$T/nv.conf"
kill -HUP "$(pid_of nv)"
wait_until 10 "grep -q 'reloaded $T/nv.conf' '$T/nv.out'" || fail "reload"
wait_until 20 '[ "$(ledger_count)" -ge 10 ]' || fail "ledger has $(ledger_count) of 10"
inflight=$(fake_count slow)
echo "in flight on the removed channel: $inflight"
assert_ge "$inflight" 2 "sends in flight at the reload"
wait_until 20 "[ \$(state_count dead) -ge 10 ]" || fail "$(state_count dead) of 10 dead"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
# Those claimed already name the removal; those still waiting for the
# channel's room come out after it and find it unknown.
assert_eq $((10 - inflight)) "$(grep -Ec "channel 'slow' (was removed from|is not configured in)" "$T/dead.txt")" "dead letters for the queued ones"
assert_eq "$inflight" "$(grep -c '^HTTP 404' "$T/dead.txt")" "dead letters for the refused ones"
# Their fallback (the email webhook) delivers the refused ones.
wait_until 20 "[ \$(fake_count hook) -ge $inflight ]" || fail "no fallback deliveries"
assert_eq "$inflight" "$(grep -c '~fallback-hook' "$T/hook.log")" "fallback deliveries"
seed 3 $((NV_CLOCK_MS)) 0 hook after
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 20 "[ \$(fake_count hook) -ge $((inflight + 3)) ]" || fail "the other channel stopped"
stop nv || fail "exit status $?"
