#!/bin/bash
# The daemon's host clock jumps a day ahead (libfaketime, from Debian; its
# monotonic clock stays) while ten reminders are due in the next seconds:
# claims go by Redis's clock, so none is recorded missed, none goes early,
# and the jump is logged at CRIT. (A host a day fast is the same case as a
# second server whose clock is wrong.)
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -f "$lib" ] || fail "no $lib (Debian package libfaketime)"
redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
echo "+0" >"$T/faketime.rc"
# Under ASan, a preloaded library comes before its runtime: allowed here.
ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
    FAKETIME_TIMESTAMP_FILE=$T/faketime.rc FAKETIME_NO_CACHE=1 \
    FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$lib \
    bg nv "$NHACVIECD" -c "$T/nv.conf"
wait_until 20 "grep -q 'ready: consumer' '$T/nv.out'" || fail "not ready"
t0=$(now_ms)
seed 10 $((t0 + 4000)) 1000 hook step
rcli XADD '{t}:control' '*' type due at "$t0" >/dev/null
echo "+1d" >"$T/faketime.rc"
wait_until 60 '[ "$(state_count sent)" -ge 10 ]' ||
    fail "$(state_count sent) sent, $(state_count missed) missed after the jump"
assert_eq 0 "$(state_count missed)" "reminders recorded as missed"
assert_eq 10 "$(fake_ok_ids hook | wc -l)" "reminders delivered"
# None before its time by the real clock (the fake's, Redis's).
i=1
while read -r id status recv rest; do
	n=${id##*agency-}
	n=${n%%/*}
	assert_ge "$recv" $((t0 + 4000 + (n - 1) * 1000)) "receive time of $id"
	i=$((i + 1))
done <"$T/hook.log"
assert_grep 'crit: this host.s clock jumped \+(8639[0-9]|8640[0-9])s' "$T/nv.out" \
    "the jump at CRIT"
stop nv || fail "exit status $?"
