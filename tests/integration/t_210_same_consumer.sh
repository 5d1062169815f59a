#!/bin/bash
# Two daemons given the same consumer name (two servers cloned from one
# image): the name is a lease in Redis, the second waits for it instead of
# sending the first one's entries again; /healthz says why. When the first
# stops, the second takes over. No duplicates.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 20
write_conf "$T/a.conf" "$hook_PORT"
port=$(free_port)
write_conf "$T/b.conf" "$hook_PORT"
printf '\n[http]\nlisten = 127.0.0.1:%s\n' "$port" >>"$T/b.conf"
seed 600 $((NV_CLOCK_MS - 1000)) 0 hook same
daemon_start a "$T/a.conf"
bg b "$NHACVIECD" -c "$T/b.conf" --clock "$NV_CLOCK"
wait_until 20 "grep -q 'consumer name test-1 is in use' '$T/b.out'" ||
    fail "the second daemon did not see the name in use"
wait_until 10 "curl -s http://127.0.0.1:$port/healthz | grep -q 'in use'" ||
    fail "/healthz of the second does not say why"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/healthz)
assert_eq 503 "$code" "/healthz status of the waiting daemon"
wait_until 10 '[ "$(fake_count hook)" -ge 100 ]' || fail "delivery did not start"
stop a || fail "exit status of a: $?"
wait_until 60 '[ "$(state_count sent)" -ge 600 ]' ||
    fail "only $(state_count sent) of 600 sent after the first stopped"
assert_eq 600 "$(fake_unique hook)" "distinct reminders delivered"
assert_eq 0 "$(fake_dups hook)" "duplicates"
stop b || fail "exit status of b: $?"
