#!/bin/bash
# A refresh reply without both tokens (a 200 with neither error nor tokens):
# the stored pair is not overwritten, no second refresh is tried with the
# same token, the channel pauses, CRIT is logged and the alert mail goes out.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-empty-01
write_zalo_conf "$T/nv.conf" cs
echo RT-empty-01 | "$NHACVIEC" -c "$T/nv.conf" zalo token set >/dev/null 2>&1 || fail "token set"
zalo_control zalo '{"refresh_mode": "empty"}'
seed 3 $((NV_CLOCK_MS - 1000)) 0 zalo empty
daemon_start nv "$T/nv.conf"
wait_until 20 "grep -q 'crit: channel zalo paused: the token refresh was refused' '$T/nv.out'" ||
    fail "no CRIT pause line"
wait_until 20 '[ "$(fake_count hook)" -ge 1 ]' || fail "no alert mail"
sleep 3
assert_eq 1 "$(zalo_count zalo refresh)" "refresh requests"
assert_eq RT-empty-01 "$(rcli HGET '{t}:zalo:token' refresh_token)" "the stored refresh token (not overwritten)"
assert_eq paused "$(rcli HGET '{t}:zalo:token' status)" "status in Redis"
assert_eq 0 "$(state_count dead)" "dead letters while paused"
stop nv || fail "exit status $?"
assert_no_grep RT-empty-01 "$T/nv.out" "the token in the log"
