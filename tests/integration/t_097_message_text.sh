#!/bin/bash
# What the heads read, from the shipped plan and templates through a real
# daemon to a mail gateway: the letter opens by citing the plan
# ("Thực hiện Kế hoạch … của Ủy ban nhân dân huyện Thạnh Trị về …"); the
# lead is asked to lead and a partner to work with the lead; broadcast
# times come from [window], so a changed window changes the note; a
# reminder that goes out after its due date (here: sent late, after
# midnight, on the daemon's clock) says the date has passed instead of
# asking to keep it; a digest shows each note with its placeholders filled.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
mkdir -p "$T/plan.d"
cp "$NV_ROOT/config/plan.d/"*.conf "$T/plan.d/"
# write_text_conf KEY=VALUE...: the shipped plan, mail through the gateway's
# body template, and a [channel zalo] of the keys given.
write_text_conf() {
	{
		conf_base grace=12h hours=07:00-21:00
		printf '\n[plan]\nfiles = %s/plan.d/*.conf\nhorizon = 35d\n\n' "$T"
		_nv_channel email type=webhook contact=email \
		    "url=http://127.0.0.1:$hook_PORT/hook" \
		    "body_template=$NV_ROOT/config/templates/webhook-body.json" --
		echo
		_nv_channel zalo -- "$@"
	} >"$T/nv.conf"
}
write_text_conf type=console contact=zalo

# mail ID: the text the gateway got for reminder ID, and its subject.
mail() {
	"$NV_PYTHON" - "$T/hook.dump" "$1" <<'EOPY'
import json, sys
for line in open(sys.argv[1]):
    req = json.loads(line)
    if req["headers"].get("Idempotency-Key") == sys.argv[2]:
        body = json.loads(req["body"])
        print(body["subject"])
        print(body["text"])
        break
EOPY
}
opening='Thực hiện Kế hoạch của Ủy ban nhân dân huyện Thạnh Trị về tuyên truyền cải cách hành chính huyện Thạnh Trị năm 2022, Phòng Nội vụ kính đề nghị Quý cơ quan, đơn vị'

# --- sent after the due date --------------------------------------------
# Sunday 25/09/2022 00:30: the radio station's reminder of Saturday 16:15
# (before the afternoon window of the last Saturday of September) is late
# by less than the grace, so it goes now, after its day is over.
NV_CLOCK=2022-09-25T00:30:00+07:00
daemon_start nv "$T/nv.conf"
late=dan-hoi/2022-09-24/end@chieu-30m/dai-truyen-thanh/email
wait_until 20 '[ "$(rcli HGET "{t}:state" "$late")" = sent ]' || fail "the late reminder was not sent: $(rcli HGET '{t}:state' "$late")"
mail "$late" >"$T/late.txt"
cat "$T/late.txt"
assert_eq '[Nhắc việc] Chuyên mục "Dân hỏi - Chính quyền trả lời" — hạn Thứ Bảy, ngày 24/09/2022 (đã quá hạn)' \
    "$(head -1 "$T/late.txt")" "subject of the late reminder"
assert_grep "^$opening chủ trì thực hiện nhiệm vụ sau:$" "$T/late.txt" "the lead is asked to lead"
assert_grep '^Khung giờ phát sóng: Buổi chiều, từ 16:45 đến 18:30$' "$T/late.txt" "the window"
assert_grep '^Thời hạn trên đã qua 1 ngày\. Nếu Quý cơ quan, đơn vị đã hoàn thành, xin bỏ qua thư này; nếu chưa, đề nghị khẩn trương thực hiện\.$' \
    "$T/late.txt" "overdue wording"
assert_no_grep 'bảo đảm đúng thời hạn' "$T/late.txt" "a deadline that has passed"
assert_no_grep 'Bộ phận' "$T/late.txt" "a sub-unit in the signature"
# The console channel's default text says the same.
wait_until 10 "grep -q 'zalo → Đài Truyền thanh huyện' '$T/nv.out'" || fail "no console message"
assert_grep '^Thời hạn trên đã qua 1 ngày\. .*khẩn trương chủ trì thực hiện\.$' "$T/nv.out" "default text, overdue"
stop nv || fail "exit status $?"

# --- in time, to the lead and to the partners; a window moved ------------
# The afternoon window now starts at 17:00: the notes follow, untouched.
{
	awk '/^\[window chieu\]/ { exit } { print }' \
	    "$NV_ROOT/config/plan.d/calendar.conf"
	printf '[window chieu]\nname = Buổi chiều\nstart = 17:00\nend = 18:30\n'
} >"$T/plan.d/calendar.conf"
grep -q '^start = 16:45$' "$NV_ROOT/config/plan.d/calendar.conf" &&
    [ "$(grep -c '^\[window' "$T/plan.d/calendar.conf")" = 2 ] ||
    fail "the afternoon window is not the last of the shipped calendar"
# Friday 30/09/2022 08:00: row 6 (October) opens, moved from Saturday 1/10.
NV_CLOCK=2022-09-30T07:59:50+07:00
daemon_start nv2 "$T/nv.conf"
base=chuyen-doi-so/2022-10-31/start@08:00
for a in dai-truyen-thanh van-hoa van-phong; do
	wait_until 30 '[ "$(rcli HGET "{t}:state" "$base/$a/email")" = sent ]' || fail "$a: not sent"
	mail "$base/$a/email" >"$T/$a.txt"
	assert_eq '[Nhắc việc] Đánh giá tình hình tổ chức thực hiện lộ trình chuyển đổi số huyện — hạn tháng 10/2022' \
	    "$(head -1 "$T/$a.txt")" "$a: subject"
	assert_grep '^Ghi chú: Ưu tiên phát trong khung giờ 11:00–11:30 và 17:00–18:30\.$' "$T/$a.txt" "$a: the windows of the plan"
	assert_grep '^Đề nghị Quý cơ quan, đơn vị chủ động triển khai, bảo đảm đúng thời hạn\.$' "$T/$a.txt" "$a: in time"
	assert_no_grep 'đã qua|quá hạn' "$T/$a.txt" "$a: overdue wording in time"
done
cat "$T/van-hoa.txt"
assert_grep "^$opening chủ trì thực hiện nhiệm vụ sau:$" "$T/dai-truyen-thanh.txt" "the lead"
for a in van-hoa van-phong; do
	assert_grep "^$opening phối hợp với Đài Truyền thanh huyện thực hiện nhiệm vụ sau:$" "$T/$a.txt" "$a: a partner"
done
stop nv2 || fail "exit status $?"

# --- a digest: the notes filled too -------------------------------------
# Monday 01/08/2022 08:00: Phòng Nội vụ leads row 4 and takes part in row 3,
# both opening that minute: one message on a channel that digests.
rcli FLUSHALL >/dev/null
fake_start hook2 -B "$T/hook2.dump"
write_text_conf type=webhook contact=zalo \
    "url=http://127.0.0.1:$hook2_PORT/hook" digest=yes concurrency=64
NV_CLOCK=2022-08-01T07:59:50+07:00
daemon_start nv3 "$T/nv.conf"
wait_until 30 '[ "$(rcli HGET "{t}:state" "mo-hinh-hay/2022-08-31/start@08:00/noi-vu/zalo")" = sent ]' || fail "the digest was not sent"
"$NV_PYTHON" - "$T/hook2.dump" >"$T/digest.txt" <<'EOPY' || fail "no digest to Phòng Nội vụ"
import json, sys
for line in open(sys.argv[1]):
    body = json.loads(json.loads(line)["body"])
    if body["agency"] == "noi-vu" and len(body.get("reminders", [])) == 2:
        print(body["text"])
        break
else:
    sys.exit(1)
EOPY
cat "$T/digest.txt"
assert_grep '^   Ghi chú: Ưu tiên phát trong khung giờ 11:00–11:30 và 17:00–18:30\.$' "$T/digest.txt" "the note in the digest"
assert_no_grep '\{\{|\}\}' "$T/digest.txt" "a placeholder left in the digest"
stop nv3 || fail "exit status $?"
