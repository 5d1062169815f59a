#!/bin/bash
# -230 on cs (no interaction in 7 days): in mode cs-then-zns the ZNS template
# message delivers it; in mode cs, the channel's fallback (email) does.
# A world-readable secret file is refused at start.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-fb-0001 \
    --access-token AT-fb-0001 --expires-in 90000
zalo_seed_token AT-fb-0001 RT-fb-0001 $((NV_CLOCK_MS + 20 * 3600 * 1000))
write_zalo_conf "$T/nv.conf" cs-then-zns
# Users 1 and 2 have not written to the OA for a week.
zalo_control zalo '{"cs_error": {"5218391034900000001": -230, "5218391034900000002": -230}}'
seed 3 $((NV_CLOCK_MS - 1000)) 0 zalo fb
daemon_start nv "$T/nv.conf"
wait_until 30 '[ "$(state_count sent)" -ge 3 ]' || fail "$(state_count sent) of 3 sent"
assert_eq 1 "$(zalo_stat zalo cs_ok)" "cs deliveries"
assert_eq 2 "$(zalo_stat zalo zns_ok)" "ZNS deliveries"
assert_grep $'^zns\t0\t[0-9]+\t849' "$T/zalo.log" "ZNS to the phone"
assert_grep '"cong_viec":"Nhiệm vụ thử 1"' "$T/zalo.log" "template_data rendered"
stop nv || fail "exit status $?"

# Mode cs with fallback = email: the dead cs letter, then email delivers it.
write_zalo_conf "$T/cs.conf" cs zalo.fallback=email
seed 1 $((NV_CLOCK_MS)) 0 zalo fb2
rcli XADD '{t}:control' '*' type due at 0 >/dev/null
zalo_control zalo '{"cs_error": {"5218391034900000001": -230}}'
daemon_start nv2 "$T/cs.conf"
wait_until 30 '[ "$(fake_count hook)" -ge 1 ]' || fail "the fallback email did not come"
assert_grep $'^task-fb2/2022-04-30/end-1d@08:00/agency-1/zalo~fallback-email\t200' "$T/hook.log" "the fallback reminder"
assert_eq dead "$(rcli HGET '{t}:state' 'task-fb2/2022-04-30/end-1d@08:00/agency-1/zalo')" "the cs reminder"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
assert_grep 'Zalo cs error -230' "$T/dead.txt" "dead letter reason with the code"
stop nv2 || fail "exit status $?"

chmod 644 "$T/zalo.secret"
"$NHACVIECD" -c "$T/nv.conf" -n >"$T/refused.out" 2>&1
assert_eq 78 "$?" "exit status with a world-readable secret_key_file"
assert_grep "$T/nv.conf:[0-9]+: .*readable by group or others" "$T/refused.out" "FILE:LINE of the refusal"
