#!/bin/bash
# Escalation: `escalate = end+1d@08:00 > noi-vu` on two occurrences of a
# task with three recipients. For the first, one recipient reported done,
# one acknowledged, one was never reached: Phòng Nội vụ gets one message
# (by mail: the webhook's email address, in the shipped body) listing each agency's standing.
# For the second, all three reported done: nothing is sent, the ledger says
# skipped. preview shows the escalations; the escalation counts in no
# agency's follow-ups.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
# The shipped webhook body: a letter, or the escalation's own text.
write_conf "$T/nv.conf" "$hook_PORT" \
    "hook.body_template=$NV_ROOT/config/templates/webhook-body.json"
mkdir -p "$T/plan"
printf '\n[plan]\nfiles = %s/plan/*.conf\n' "$T" >>"$T/nv.conf"
cat >"$T/plan/p.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-sun

[agency noi-vu]
name = Phòng Nội vụ
email = nv@example.gov.vn

[agency van-hoa]
name = Phòng Văn hóa
email = vh@example.gov.vn

[agency tai-chinh]
name = Phòng Tài chính
email = tc@example.gov.vn

[agency xa-a]
name = UBND xã A

[task bao-cao]
title = Báo cáo tiến độ
lead = van-hoa
partners = tai-chinh, xa-a
dates = 2022-04-29, 2022-05-06
remind = end-1d@08:00
escalate = end+1d@08:00 > noi-vu
channels = hook
EOP
"$NHACVIEC" -c "$T/nv.conf" check >"$T/check.out" 2>&1 || fail "check: $(cat "$T/check.out")"
"$NHACVIEC" -c "$T/nv.conf" preview --from 2022-04-27 --to 2022-05-08 \
    >"$T/preview.out" 2>&1 || fail "preview: $(cat "$T/preview.out")"
assert_eq 2 "$(grep -c '^  08:00  Đôn đốc: Báo cáo tiến độ — Phòng Nội vụ (hook)$' "$T/preview.out")" \
    "escalations in the preview"
"$NHACVIEC" -c "$T/nv.conf" preview --from 2022-04-27 --to 2022-05-08 --format tsv \
    >"$T/preview.tsv" 2>&1 || fail "preview: $(cat "$T/preview.tsv")"
assert_grep '	bao-cao	2022-04-29	noi-vu	hook	escalate:end\+1d@08:00$' "$T/preview.tsv" \
    "the TSV names the escalation"
"$NHACVIEC" -c "$T/nv.conf" load >/dev/null || fail "load"

# The follow-ups, as heads would leave them: the first occurrence half
# done, the second all done (xa-a has no address: done by a phone call).
ack() {
	"$NHACVIEC" -c "$T/nv.conf" --clock "$1" ack "${@:2}" >>"$T/ack.out" 2>&1 ||
	    fail "ack ${*:2}: $(cat "$T/ack.out")"
}
ack 2022-04-28T15:00:00+07:00 bao-cao 2022-04-29 van-hoa --done
ack 2022-04-28T16:00:00+07:00 bao-cao 2022-04-29 tai-chinh
for a in van-hoa tai-chinh xa-a; do
	ack 2022-05-05T10:00:00+07:00 bao-cao 2022-05-06 "$a" --done
done

# Six hours a second from 28/04 07:59: the first escalation fires on 30/04
# 08:00 (about 8 s), the second on 07/05.
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock 2022-04-28T07:59:00+07:00 \
    --clock-rate 21600
wait_until 60 '[ -n "$(rcli HGET "{t}:state" "bao-cao/2022-05-06/escalate:end+1d@08:00/noi-vu/hook")" ]' ||
    fail "the second escalation was never decided"
sleep 1
esc1='bao-cao/2022-04-29/escalate:end+1d@08:00/noi-vu/hook'
esc2='bao-cao/2022-05-06/escalate:end+1d@08:00/noi-vu/hook'
assert_eq sent "$(rcli HGET '{t}:state' "$esc1")" "the first escalation"
assert_eq skipped "$(rcli HGET '{t}:state' "$esc2")" "the second escalation (everyone done)"
assert_eq 1 "$(grep -c 'nv@example.gov.vn' "$T/hook.dump")" "messages to Phòng Nội vụ"
grep 'nv@example.gov.vn' "$T/hook.dump" | json_get body | json_get text >"$T/esc-text.txt" ||
    fail "no text in the escalation's body"

cat "$T/esc-text.txt"
assert_grep '^Kính gửi: Lãnh đạo Phòng Nội vụ,$' "$T/esc-text.txt" "addressed to Phòng Nội vụ"
assert_eq "[Nhắc việc] Đôn đốc: Báo cáo tiến độ — hạn Thứ Sáu, ngày 29/04/2022 (đã quá hạn)" \
    "$(grep 'nv@example.gov.vn' "$T/hook.dump" | json_get body | json_get subject)" "the subject"
assert_grep '^Nhiệm vụ: Báo cáo tiến độ$' "$T/esc-text.txt" "the task"
assert_grep '^Thời hạn: Thứ Sáu, ngày 29/04/2022$' "$T/esc-text.txt" "its due day"
assert_grep '^Đơn vị chủ trì: Phòng Văn hóa$' "$T/esc-text.txt" "its lead"
assert_grep '^Đến 08:00 ngày 30/04/2022, 2/3 đơn vị chưa báo cáo hoàn thành:$' "$T/esc-text.txt" "how many are not done"
assert_grep '^- Phòng Văn hóa: đã hoàn thành \(28/04/2022\)$' "$T/esc-text.txt" "the one done"
assert_grep '^- Phòng Tài chính: đã xác nhận ngày 28/04/2022, chưa báo hoàn thành$' "$T/esc-text.txt" "the one acknowledged"
assert_grep '^- UBND xã A: chưa nhận được nhắc việc$' "$T/esc-text.txt" "the one never reached"
assert_grep '^Mã nhiệm vụ: #[0-9A-Z]{4}$' "$T/esc-text.txt" "the occurrence's code"
rcli XRANGE '{t}:log' - + >"$T/log.txt"
assert_grep 'every recipient reported it done' "$T/log.txt" "the skip's reason"
assert_eq "" "$(rcli HGET '{t}:occ:bao-cao/2022-04-29' noi-vu:reached)" \
    "the escalation is no follow-up of Phòng Nội vụ"
stop nv || fail "exit status $?"
