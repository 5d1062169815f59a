#!/bin/bash
# The wall clock of the host (Redis's and the daemon's) jumps a day ahead
# while ten reminders are due in the coming hours: the daemon says so at
# CRIT and sends them late; none is recorded as missed. libfaketime
# (Debian) moves the clock of both processes; the monotonic clock stays.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -f "$lib" ] || fail "no $lib (Debian package libfaketime)"
echo "+0" >"$T/faketime.rc"
export FAKETIME_TIMESTAMP_FILE=$T/faketime.rc FAKETIME_NO_CACHE=1 \
    FAKETIME_DONT_FAKE_MONOTONIC=1
export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"
LD_PRELOAD=$lib redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
now=$(now_ms)
seed 10 $((now + 3600000)) 3600000 hook step
LD_PRELOAD=$lib bg nv "$NHACVIECD" -c "$T/nv.conf"
wait_until 20 "grep -q 'ready: consumer' '$T/nv.out'" || fail "not ready"
sleep 1
assert_eq 0 "$(fake_count hook)" "sent before the jump"
echo "+1d" >"$T/faketime.rc"
wait_until 30 '[ "$(state_count sent)" -ge 10 ]' ||
    fail "$(state_count sent) sent, $(state_count missed) missed after the jump"
assert_eq 0 "$(state_count missed)" "reminders recorded as missed"
assert_eq 10 "$(fake_ok_ids hook | wc -l)" "reminders delivered"
assert_grep 'crit: the clock jumped \+8640[0-9]s' "$T/nv.out" "the jump at CRIT"
stop nv || fail "exit status $?"
