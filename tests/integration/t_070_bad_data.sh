#!/bin/bash
# Bad data in Redis: a payload that is not JSON, one that lacks fields, one
# naming an unknown channel. Each becomes a dead letter naming the key and
# the reason, the daemon does not crash, and good reminders go out.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
at=$((NV_CLOCK_MS - 1000))
rcli HSET '{t}:reminders' bad/json '{"id": "bad/json", oops' >/dev/null
rcli HSET '{t}:reminders' bad/fields '{"id": "bad/fields", "task": 5}' >/dev/null
rcli HSET '{t}:reminders' bad/channel '{"id":"bad/channel","task":"x","agency":"a","channel":"fax"}' >/dev/null
rcli ZADD '{t}:due' $at bad/json $at bad/fields $at bad/channel $at bad/nopayload >/dev/null
seed 10 $at 0 hook good
daemon_start nv "$T/nv.conf"
wait_until 30 '[ "$(ledger_count)" -ge 14 ]' || fail "ledger has $(ledger_count) of 14"
assert_eq 10 "$(fake_count hook)" "good reminders delivered"
assert_eq 4 "$(state_count dead)" "bad reminders in state dead"
assert_eq 4 "$(rcli XLEN '{t}:dead')" "dead letters"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
assert_grep 'bad payload in \{t\}:reminders: payload is not a JSON object' "$T/dead.txt" "reason for bad JSON"
assert_grep "payload member 'task' is not a string" "$T/dead.txt" "reason for a bad field"
assert_grep "channel 'fax' is not configured" "$T/dead.txt" "reason for an unknown channel"
assert_grep 'bad payload in \{t\}:reminders: no payload' "$T/dead.txt" "reason for a missing payload"
alive nv || fail "nhacviecd died on bad data"
stop nv || fail "nhacviecd exit status $?"
