#!/bin/bash
# `dead requeue` sends what the plan says now: after the agency's address
# is fixed and loaded, the requeued dead letter goes to the new address. A
# requeued reminder is not put back at its old time by a planning pass (a
# restart hours later does not record it missed). An id that is not a dead
# letter is refused with the reason.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -s 404 -B "$T/bodies.json"
write_conf "$T/nv.conf" "$hook_PORT"
mkdir -p "$T/plan"
printf '\n[plan]\nfiles = %s/plan/*.conf\n' "$T" >>"$T/nv.conf"
plan() {
	cat >"$T/plan/a.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-fri

[agency noi-vu]
name = Phòng Nội vụ
email = $1

[task bao-cao]
title = Báo cáo tháng
lead = noi-vu
date = 2022-04-27
remind = end@05:00
channels = hook
EOP
}
nv() { "$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" "$@"; }
id='bao-cao/2022-04-27/end@05:00/noi-vu/hook'
plan old@example.gov.vn
nv load >/dev/null || fail "load"
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(rcli HGET "{t}:state" "$id")" = dead ]' ||
    fail "no dead letter (state: $(rcli HGET '{t}:state' "$id"))"
stop nv || fail "exit status $?"
assert_grep 'old@example.gov.vn' "$T/bodies.json" "the first try's address"

plan new@example.gov.vn
nv load >/dev/null || fail "load with the new address"
fake_control hook '{"status": 200}'
nv dead requeue "$id" >"$T/requeue.out" 2>&1 || fail "requeue: $(cat "$T/requeue.out")"
assert_grep "^requeued $id\$" "$T/requeue.out" "requeue names the id"
# Seven hours later (more than the grace): a planning pass must not put
# it back at 05:00 and record it missed.
bg nv2 "$NHACVIECD" -c "$T/nv.conf" --clock 2022-04-27T12:00:00+07:00
wait_until 20 "grep -q 'ready: consumer' '$T/nv2.out'" || fail "not ready"
wait_until 20 '[ "$(rcli HGET "{t}:state" "$id")" = sent ]' ||
    fail "not sent after the requeue (state: $(rcli HGET '{t}:state' "$id"))"
assert_eq 0 "$(state_count missed)" "reminders recorded missed"
tail -1 "$T/bodies.json" >"$T/last.json"
assert_grep 'new@example.gov.vn' "$T/last.json" "the requeued send's address"
nv dead requeue "$id" >"$T/again.out" 2>&1
assert_eq 65 "$?" "requeue of a reminder that is not a dead letter"
assert_grep "is not a dead letter \(its state is sent\)" "$T/again.out" "why"
stop nv2 || fail "exit status $?"
