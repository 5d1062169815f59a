#!/bin/bash
# systemd and monitoring, through a real notify socket: READY=1 once
# connected and armed, WATCHDOG=1 at half the watchdog interval, STOPPING=1 on
# SIGTERM; /healthz and /metrics report what was delivered.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
write_conf "$T/nv.conf" "$hook_PORT"
printf '\n[http]\nlisten = 127.0.0.1:%s\n' "$port" >>"$T/nv.conf"
bg notify /usr/bin/python3 "$NV_ROOT/tests/integration/notify_listen.py" "$T/notify.sock"
wait_until 10 "grep -q listening '$T/notify.out'" || fail "notify listener"
seed 25 $((NV_CLOCK_MS - 1000)) 0 hook m
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=1000000 daemon_start nv "$T/nv.conf"
wait_until 10 "grep -q 'READY=1' '$T/notify.out'" || fail "no READY=1"
wait_until 30 '[ "$(ledger_count)" -ge 25 ]' || fail "not delivered"
# WatchdogSec=1s: a WATCHDOG=1 every half second from the loop.
wait_until 5 "[ \$(grep -c '^WATCHDOG=1' '$T/notify.out') -ge 3 ]" || fail "no watchdog pings"

curl -s "http://127.0.0.1:$port/healthz" >"$T/healthz.txt"
assert_grep '^ok$' "$T/healthz.txt" "/healthz"
curl -s "http://127.0.0.1:$port/metrics" >"$T/metrics.txt"
assert_grep '^nhacviec_sent_total\{channel="hook"\} 25$' "$T/metrics.txt" "sent counter"
assert_grep '^nhacviec_redis_up 1$' "$T/metrics.txt" "redis_up"
assert_grep '^nhacviec_claimed_total 25$' "$T/metrics.txt" "claimed counter"
assert_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nope")" "unknown path"

redis_stop
wait_until 20 "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/healthz)\" = 503 ]" ||
    fail "/healthz does not say Redis is down"
redis_start
wait_until 20 "[ \"\$(curl -s http://127.0.0.1:$port/healthz)\" = ok ]" || fail "/healthz after Redis came back"

stop nv || fail "nhacviecd exit status $?"
wait_until 5 "grep -q 'STOPPING=1' '$T/notify.out'" || fail "no STOPPING=1"
# READY=1 came before STOPPING=1, once.
assert_eq 1 "$(grep -c '^READY=1' "$T/notify.out")" "READY=1 lines"
