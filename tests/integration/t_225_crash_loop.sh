#!/bin/bash
# An entry in flight each time the daemon dies (here: kill -9 twice while
# the peer holds the request) is not tried a third time: it becomes a dead
# letter that says why, and the daemon goes on with the rest.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 600000
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook loop
for n in 1 2; do
	daemon_start "nv$n" "$T/nv.conf"
	wait_until 10 "[ \"\$(fake_count hook)\" -ge $n ]" || fail "send $n never came"
	kill9 "nv$n"
done
fake_control hook '{"delay_ms": 0}'
daemon_start nv3 "$T/nv.conf"
wait_until 10 '[ "$(state_count dead)" = 1 ]' || fail "no dead letter"
assert_eq 2 "$(fake_count hook)" "requests (no third try)"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
assert_grep 'in flight at 2 stops' "$T/dead.txt" "the reason"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook after
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 10 '[ "$(state_count sent)" = 1 ]' || fail "the daemon did not go on"
stop nv3 || fail "exit status $?"
