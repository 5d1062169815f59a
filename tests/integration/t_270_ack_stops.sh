#!/bin/bash
# Done stops the rest: after the first of three reminders of an occurrence
# went out, an admin records that the head reported it done (a phone
# call); the two later reminders to that agency are not sent, each is in
# the ledger as skipped with the reason, and the other agency still gets
# all three. On a task with stop_on = acknowledged, acknowledging stops
# them.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
mkdir -p "$T/plan"
printf '\n[plan]\nfiles = %s/plan/*.conf\n' "$T" >>"$T/nv.conf"
cat >"$T/plan/p.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-sun

[agency noi-vu]
name = Phòng Nội vụ
email = nv@example.gov.vn

[agency tai-chinh]
name = Phòng Tài chính
email = tc@example.gov.vn

[task bao-cao]
title = Báo cáo quý
lead = noi-vu
partners = tai-chinh
date = 2022-04-29
remind = end-2d@08:30, end-1d@08:30, end@08:30
channels = hook

[task nop]
title = Nộp số liệu
lead = tai-chinh
date = 2022-04-29
remind = end-2d@08:30, end-1d@08:30, end@08:30
channels = hook
stop_on = acknowledged
EOP
"$NHACVIEC" -c "$T/nv.conf" load >/dev/null || fail "load"
# Ten hours a second from 08:29 on 27/04: a day is 2.4 s.
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock 2022-04-27T08:29:00+07:00 \
    --clock-rate 36000
wait_until 20 '[ "$(fake_ok_count hook)" -ge 2 ]' || fail "the first reminders"
"$NHACVIEC" -c "$T/nv.conf" --clock 2022-04-27T12:00:00+07:00 \
    ack bao-cao 2022-04-29 noi-vu --done \
    --note "Đã gọi điện báo" >"$T/ack.out" 2>&1 || fail "ack: $(cat "$T/ack.out")"
assert_grep '^bao-cao/2022-04-29: noi-vu done \(note kept\); 2 later reminders stopped$' \
    "$T/ack.out" "what ack says"
# stop_on = acknowledged: acknowledging is enough.
"$NHACVIEC" -c "$T/nv.conf" --clock 2022-04-27T12:00:00+07:00 \
    ack nop 2022-04-29 tai-chinh >"$T/ack2.out" 2>&1 || fail "ack: $(cat "$T/ack2.out")"
assert_grep '^nop/2022-04-29: tai-chinh acknowledged; 2 later reminders stopped$' \
    "$T/ack2.out" "what ack says on stop_on = acknowledged"
wait_until 30 '[ "$(grep -c "tai-chinh" "$T/hook.log")" -ge 3 ]' ||
    fail "the partner did not get all three"
sleep 1
assert_eq 1 "$(grep -c '/noi-vu/' "$T/hook.log")" "reminders to the agency that is done"
assert_eq 4 "$(rcli HVALS '{t}:state' | grep -cx skipped)" "reminders skipped"
assert_eq 1 "$(grep -c '^nop/' "$T/hook.log")" "reminders of the task stopped on acknowledgement"
rcli XRANGE '{t}:log' - + >"$T/log.txt"
assert_grep 'not sent: noi-vu reported it done \(admin' "$T/log.txt" "the reason in the ledger"
rcli HGET '{t}:occ:bao-cao/2022-04-29' noi-vu:done >"$T/done.txt"
assert_grep '^[0-9]+ admin by ' "$T/done.txt" "the follow-up"
assert_eq "Đã gọi điện báo" "$(rcli HGET '{t}:occ:bao-cao/2022-04-29' noi-vu:note)" "the note"
# status counts the follow-ups: noi-vu done on time, tai-chinh reached.
"$NHACVIEC" -c "$T/nv.conf" --clock 2022-04-29T12:00:00+07:00 status \
    >"$T/status.out" 2>&1 || fail "status"
assert_grep '^  done on time +1$' "$T/status.out" "status: done on time"
assert_grep '^  reached +1$' "$T/status.out" "status: reached, not answered"
assert_grep '^  overdue +0$' "$T/status.out" "status: overdue"
stop nv || fail "exit status $?"
