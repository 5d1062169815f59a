#!/bin/bash
# Redis down when the daemon starts: it keeps running, logs once per back-off
# step (not once per attempt in a tight loop), and starts work once Redis is up.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK"
sleep 3
alive nv || fail "nhacviecd exited with Redis down"
n=$(grep -c 'redis main: .*retrying in' "$T/nv.out")
# 0.25 + 0.5 + 1 + 2 s: about four steps in three seconds, never dozens.
assert_ge "$n" 2 "back-off lines in 3 s"
assert_le "$n" 6 "back-off lines in 3 s"
redis_start
seed 5 $((NV_CLOCK_MS - 1000)) 0 hook late
rcli XADD '{t}:control' '*' type due at $NV_CLOCK_MS >/dev/null
wait_until 40 '[ "$(fake_count hook)" -ge 5 ]' || fail "nothing delivered after Redis came up"
assert_grep 'ready: consumer' "$T/nv.out" "ready after connecting"
stop nv || fail "nhacviecd exit status $?"
