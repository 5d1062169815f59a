#!/bin/bash
# Between two transfers a kept-alive connection's socket stays watched
# (daemon/http.c parks it: no epoll_ctl per send). Whatever the peer does
# with its connections, nothing is lost or stuck and nothing spins:
#  1. the peer closes connections idle for a second: the daemon, idle
#     itself, uses no CPU on the closed sockets, and the next wave goes
#     out over new connections;
#  2. the peer closes the connection after every answer: each send opens
#     a socket, often of a number just closed, and every one is answered.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

TCK=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

redis_start
fake_start hook -k 1
write_conf "$T/nv.conf" "$hook_PORT" hook.concurrency=8
seed 40 $((NV_CLOCK_MS - 1000)) 0 hook first
seed 40 $((NV_CLOCK_MS + 6000)) 0 hook second
daemon_start nv "$T/nv.conf"
wait_until 10 '[ "$(state_count sent)" -ge 40 ]' || fail "first wave: $(state_count sent) of 40 sent"
pid=$(pid_of nv)
# The peer has closed the idle connections (after 1 s); the daemon waits
# for the second wave. A socket left watched after its peer closed it
# would be readable for ever: the daemon would take a core.
sleep 2
a=$(ticks "$pid")
sleep 2
b=$(ticks "$pid")
assert_le $((b - a)) $((TCK / 4)) "clock ticks used in 2 s of waiting ($TCK a second)"
wait_until 15 '[ "$(state_count sent)" -ge 80 ]' || fail "second wave: $(state_count sent) of 80 sent"
assert_eq 80 "$(fake_count hook)" "requests"
assert_eq 80 "$(fake_unique hook)" "distinct reminders"
stop nv || fail "exit status $?"
fake_stop hook

# 2. A new connection for each send.
rcli FLUSHALL >/dev/null
: >"$T/hook.log"
fake_start close -c
write_conf "$T/close.conf" "$close_PORT" hook.concurrency=8
seed 300 $((NV_CLOCK_MS - 1000)) 0 hook each
daemon_start nv2 "$T/close.conf"
wait_until 30 '[ "$(state_count sent)" -ge 300 ]' ||
    fail "$(state_count sent) of 300 sent: $(grep -c 'timed out\|Timeout' "$T/nv2.out") timeouts"
assert_eq 300 "$(fake_count close)" "requests"
assert_eq 300 "$(fake_unique close)" "distinct reminders"
assert_eq 0 "$(grep -c 'imeout' "$T/nv2.out")" "timeouts in the log"
stop nv2 || fail "exit status $?"
