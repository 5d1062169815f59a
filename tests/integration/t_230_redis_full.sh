#!/bin/bash
# Redis is full (maxmemory, noeviction) when the daemon starts: nothing is
# moved half-way (the scripts are refused up front), /healthz turns 503
# with the reason and the metric says so; once memory is freed, delivery
# resumes by itself, without a restart.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
port=$(free_port)
write_conf "$T/nv.conf" "$hook_PORT" unhealthy_after=2s
printf '\n[http]\nlisten = 127.0.0.1:%s\n' "$port" >>"$T/nv.conf"
seed 2000 $((NV_CLOCK_MS - 1000)) 0 hook full
used=$(rcli INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p' | tr -d '\r')
rcli CONFIG SET maxmemory-policy noeviction >/dev/null
rcli CONFIG SET maxmemory $((used / 2)) >/dev/null
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK"
health() { curl -s "http://127.0.0.1:$port/healthz"; }
code() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz"; }
wait_until 20 '[ "$(code)" = 503 ]' || fail "/healthz never said 503 ($(health))"
health >"$T/health.txt"
assert_grep 'OOM|maxmemory' "$T/health.txt" "/healthz names the reason"
curl -s "http://127.0.0.1:$port/metrics" >"$T/metrics.txt"
assert_grep '^nhacviec_healthy 0' "$T/metrics.txt" "the health metric"
assert_eq 0 "$(rcli XLEN '{t}:outbox')" "entries moved into the outbox while full"
assert_eq 0 "$(fake_count hook)" "sent while full"
rcli CONFIG SET maxmemory 0 >/dev/null
wait_until 60 '[ "$(state_count sent)" -ge 2000 ]' ||
    fail "only $(state_count sent) of 2000 sent after memory was freed"
wait_until 20 '[ "$(code)" = 200 ]' || fail "/healthz still says $(health)"
assert_eq 2000 "$(fake_unique hook)" "distinct reminders delivered"
stop nv || fail "exit status $?"
