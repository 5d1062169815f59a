#!/bin/bash
# A reminder due 2 s ahead on the virtual clock is not sent early, and is sent.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS + 2000)) 0 hook early
t0=$(now_ms)
daemon_start nv "$T/nv.conf"
sleep 1
assert_eq 0 "$(fake_count hook)" "requests before the reminder is due"
wait_until 10 '[ "$(fake_count hook)" -ge 1 ]' || fail "the reminder never came"
recv=$(cut -f3 "$T/hook.log" | head -1)
assert_ge "$recv" $((t0 + 2000)) "receive time (ms) vs. start + 2 s"
# The ledger's virtual instant is not before the fire time either.
wait_until 5 '[ "$(ledger_count)" -ge 1 ]' || fail "no ledger entry"
at=$(rcli XRANGE '{t}:log' - + | awk 'p { print; exit } $0 == "at" { p = 1 }')
assert_ge "$at" $((NV_CLOCK_MS + 2000)) "ledger 'at' vs. fire time"
stop nv || fail "nhacviecd exit status $?"
