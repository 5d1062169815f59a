#!/bin/bash
# The refresh reply comes after the client's timeout (Zalo rotated the pair,
# the answer never arrived): no second refresh with the old token, the
# channel pauses, a CRIT line is logged and the alert mail goes out. An admin
# sets a new refresh token: the channel resumes and the reminders go out.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-amb-0001
write_zalo_conf "$T/nv.conf" cs
# No access token yet: the first send refreshes; the reply is late (4 s > 2 s).
echo RT-amb-0001 | "$NHACVIEC" -c "$T/nv.conf" zalo token set >"$T/set.out" 2>&1 || fail "token set: $(cat "$T/set.out")"
zalo_control zalo '{"refresh_mode": "slow", "slow_ms": 4000}'
seed 5 $((NV_CLOCK_MS - 1000)) 0 zalo amb
daemon_start nv "$T/nv.conf"
wait_until 20 "grep -q 'crit: channel zalo paused' '$T/nv.out'" || fail "no CRIT pause line"
wait_until 20 '[ "$(fake_count hook)" -ge 1 ]' || fail "no alert mail"
assert_grep '/alert/email' "$T/hook.log" "the alert went to the email channel"
sleep 5
assert_eq 1 "$(zalo_count zalo refresh)" "refresh requests (never a second one)"
assert_eq 0 "$(zalo_stat zalo cs_ok)" "sends while paused"
assert_eq paused "$(rcli HGET '{t}:zalo:token' status)" "status in Redis"
assert_eq 0 "$(state_count dead)" "nothing dead while paused"

# The admin gets a fresh grant (here: the fake's current pair) and sets it.
zalo_control zalo '{"refresh_mode": "normal"}'
zalo_token zalo refresh_token | "$NHACVIEC" -c "$T/nv.conf" zalo token set >"$T/set2.out" 2>&1 ||
    fail "token set: $(cat "$T/set2.out")"
# Deferred reminders come back 10 min after the pause: bring them forward.
for m in $(rcli ZRANGE '{t}:due:zalo' 0 -1); do
	rcli ZADD '{t}:due:zalo' XX "$NV_CLOCK_MS" "$m" >/dev/null
done
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 30 '[ "$(state_count sent)" -ge 6 ]' || fail "$(state_count sent) sent after the new token"
assert_eq 5 "$(zalo_stat zalo cs_ok)" "reminders delivered after resuming"
"$NHACVIEC" -c "$T/nv.conf" zalo token status >"$T/status.out" 2>&1 || fail "token status"
assert_grep 'access token present until' "$T/status.out" "status shows the expiry"
stop nv || fail "exit status $?"
for tok in "$(zalo_token zalo access_token)" "$(zalo_token zalo refresh_token)" RT-amb-0001 "app-secret-$$"; do
	assert_no_grep "$tok" "$T/nv.out" "a token in the daemon's log"
	assert_no_grep "$tok" "$T/status.out" "a token in token status"
done
