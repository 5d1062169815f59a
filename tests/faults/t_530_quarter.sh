#!/bin/bash
# A quarter of the shipped plan, closed loop: the second quarter of 2022 runs
# on the virtual clock (a day a second) against the fake Zalo OA and a mail
# gateway taking the shipped webhook body, with heads answering as scripted:
#   dan-hoi due 30/04 (24 recipients): UBND thị trấn Phú Lộc replies
#     "Đã hoàn thành" quoting its reminder, Phòng Văn hóa "đã nhận" quoting
#     its own, Phòng Tài chính clicks done in its mail, Thanh tra huyện only
#     reads; Phòng Nội vụ's escalation lists them; after it, Phòng Tư pháp
#     writes "xong" with the task's code (done late);
#   bao-cao-6-thang due 15/06 (24 recipients): three offices click done in
#     their mails, Phòng Nội vụ's own report is recorded by an admin.
# `nhacviec report` for the quarter, by task and by agency, gives what was
# scripted, worked out by hand below.
. "$(dirname "$0")/../integration/harness.sh"
. "$(dirname "$0")/../integration/fakes.sh"
. "$(dirname "$0")/../integration/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
pub=$(free_port)
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-q-0001 \
    --access-token AT-q-0001 --expires-in 90000 --oa-secret "oa-key-$$" \
    --event-url "http://127.0.0.1:$pub/zalo/events"
umask 077
printf 'app-secret-%s\n' "$$" >"$T/zalo.secret"
printf 'oa-key-%s\n' "$$" >"$T/oa.secret"
head -c 32 /dev/urandom | base64 >"$T/link.secret"
umask 022
start=2022-04-01T07:00:00+07:00
start_ms=1648771200000
rcli HSET '{t}:zalo:token' access_token AT-q-0001 refresh_token RT-q-0001 \
    access_expires_at $((start_ms + 400 * 86400000)) refresh_issued_at "$start_ms" \
    updated_at "$start_ms" status ok reason '' >/dev/null
# A day a second: the grace must hold a second of the machine's hiccups.
{ conf_base grace=3d; cat <<EOC

[channel zalo]
type = zalo
contact = zalo
mode = cs
app_id = 4242
secret_key_file = $T/zalo.secret
oa_secret_file = $T/oa.secret
template = $NV_ROOT/config/templates/zalo.txt
api_base = $zalo_URL
zns_base = $zalo_URL
oauth_base = $zalo_URL
state_file = $T/zalo-token.json
rate = 100000/min
timeout = 2s
concurrency = 16

[channel email]
type = webhook
contact = email
url = http://127.0.0.1:$hook_PORT/mail
body_template = $NV_ROOT/config/templates/webhook-body.json
concurrency = 16

[http]
public_listen = 127.0.0.1:$pub
public_url = http://127.0.0.1:$pub
link_secret_file = $T/link.secret

[plan]
files = $NV_ROOT/config/plan.d/*.conf
EOC
} >"$T/nv.conf"
"$NHACVIEC" -c "$T/nv.conf" check >"$T/check.out" 2>&1 || fail "check: $(cat "$T/check.out")"

PHU_LOC=9000000000000000201 VAN_HOA=9000000000000000103
THANH_TRA=9000000000000000107 TU_PHAP=9000000000000000106
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock "$start" --clock-rate 86400
wait_until 30 "grep -q 'ready: consumer' '$T/nv.out'" || fail "not ready"

# --- dan-hoi due 30/04: its first reminder goes on Wednesday 27/04 --------
wait_until 60 "zalo_msg_id zalo $PHU_LOC 'Dân hỏi' >/dev/null" || fail "no dan-hoi reminder to Phú Lộc"
m=$(zalo_msg_id zalo $PHU_LOC 'Dân hỏi')
assert_eq 200 "$(zalo_reply zalo $PHU_LOC 'Đã hoàn thành' "$m")" "Phú Lộc's reply"
wait_until 10 "zalo_msg_id zalo $VAN_HOA 'Dân hỏi' >/dev/null" || fail "no dan-hoi reminder to Văn hóa"
assert_eq 200 "$(zalo_reply zalo $VAN_HOA 'đã nhận' "$(zalo_msg_id zalo $VAN_HOA 'Dân hỏi')")" "Văn hóa's reply"
wait_until 10 "zalo_msg_id zalo $THANH_TRA 'Dân hỏi' >/dev/null" || fail "no dan-hoi reminder to Thanh tra"
assert_eq 200 "$(zalo_seen zalo $THANH_TRA "$(zalo_msg_id zalo $THANH_TRA 'Dân hỏi')")" "Thanh tra reads"
# The confirmation link in a mail: its first line with that address and task.
link_of() {
	wait_until 90 "grep '$1' '$T/hook.dump' | grep -q '$2'" || fail "no mail to $1 about $2"
	grep "$1" "$T/hook.dump" | grep "$2" | head -n 1 | json_get body | json_get text |
	    grep -o "http://127.0.0.1:$pub/c/[A-Za-z0-9_-]*" | head -n 1
}
l=$(link_of tai-chinh@example.gov.vn 'Dân hỏi')
[ -n "$l" ] || fail "no link in Tài chính's mail"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -d action=done "$l")" "Tài chính clicks done"
occ='{t}:occ:dan-hoi/2022-04-30'
wait_until 10 "[ -n \"\$(rcli HGET '$occ' ubnd-phu-loc:done)\" ] && [ -n \"\$(rcli HGET '$occ' van-hoa:ack)\" ] && [ -n \"\$(rcli HGET '$occ' thanh-tra:seen)\" ]" ||
    fail "the replies were not all recorded: $(rcli HGETALL "$occ" | tr '\n' ' ')"
done_at=$(rcli HGET "$occ" ubnd-phu-loc:done | cut -d' ' -f1)
assert_le "$done_at" 1651337999999 "Phú Lộc's done recorded before the due day ended"

# The escalation: 01/05 is a Sunday and 02-03/05 days off, so Wednesday
# 04/05 08:00, to Phòng Nội vụ by Zalo and by mail.
esc='dan-hoi/2022-04-30/escalate:end+1d@08:00/noi-vu/email'
wait_until 60 "[ \"\$(rcli HGET '{t}:state' '$esc')\" = sent ]" || fail "the escalation was not sent: $(rcli HGET '{t}:state' "$esc")"
grep 'noi-vu@example.gov.vn' "$T/hook.dump" | grep 'Đôn đốc' | grep 'Dân hỏi' | head -n 1 |
    json_get body | json_get text >"$T/esc.txt"
assert_grep '^Nhiệm vụ: Chuyên mục "Dân hỏi - Chính quyền trả lời"$' "$T/esc.txt" "the escalation's task"
assert_grep '^Đến 08:00 ngày 04/05/2022, 22/24 đơn vị chưa báo cáo hoàn thành:$' "$T/esc.txt" "the escalation's count"
assert_grep '^- UBND thị trấn Phú Lộc: đã hoàn thành \(27/04/2022\)$' "$T/esc.txt" "Phú Lộc in the escalation"
assert_grep '^- Phòng Tài chính - Kế hoạch: đã hoàn thành \(27/04/2022\)$' "$T/esc.txt" "Tài chính in the escalation"
assert_grep '^- Phòng Văn hóa và Thông tin: đã xác nhận ngày 27/04/2022, chưa báo hoàn thành$' "$T/esc.txt" "Văn hóa in the escalation"
assert_grep '^- Thanh tra huyện: đã xem tin nhắn, chưa xác nhận$' "$T/esc.txt" "Thanh tra in the escalation"
assert_grep '^- Phòng Tư pháp: đã nhận được nhắc việc, chưa xác nhận$' "$T/esc.txt" "Tư pháp in the escalation"
# Now Tư pháp answers, late, with the task's code and no quote.
code=$("$NV_PYTHON" -c 'import hashlib
a = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
h = hashlib.sha256(b"dan-hoi/2022-04-30").digest()
v = h[0] << 12 | h[1] << 4 | h[2] >> 4
print("#" + "".join(a[v >> (15 - 5 * i) & 31] for i in range(4)))')
assert_grep "^Mã nhiệm vụ: $code\$" "$T/esc.txt" "the code in the escalation"
assert_eq 200 "$(zalo_reply zalo $TU_PHAP "xong $code")" "Tư pháp's reply"
wait_until 10 "[ -n \"\$(rcli HGET '$occ' tu-phap:done)\" ]" || fail "Tư pháp's done not recorded"

# --- bao-cao-6-thang due 15/06: links in the mails of Wednesday 08/06 ----
for a in kinh-te y-te giao-duc; do
	l=$(link_of "$a@example.gov.vn" '6 tháng')
	[ -n "$l" ] || fail "no link in $a's mail"
	assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -d action=done "$l")" "$a clicks done"
done
"$NHACVIEC" -c "$T/nv.conf" --clock 2022-06-10T09:00:00+07:00 \
    ack bao-cao-6-thang 2022-06-15 noi-vu --done --note 'Đã nộp' >"$T/ack.out" 2>&1 ||
    fail "ack: $(cat "$T/ack.out")"

# --- to the quarter's end: dan-hoi due 25/06 is escalated on Monday 27/06 --
wait_until 120 "[ \"\$(rcli HGET '{t}:state' 'dan-hoi/2022-06-25/escalate:end+1d@08:00/noi-vu/email')\" = sent ]" ||
    fail "the quarter did not run to its end"
stop nv || fail "exit status $?"
assert_eq 0 "$(rcli XLEN '{t}:dead')" "dead letters"
assert_eq 0 "$(rcli XLEN '{t}:inbox')" "replies left unplaced"

# --- the report ------------------------------------------------------------
# On the quarter's clock: the ledger's stream ids are this machine's real
# time, its entries' own instants the virtual one, and a report taken on
# the virtual clock reads them all.
"$NHACVIEC" -c "$T/nv.conf" --clock 2022-07-01T08:00:00+07:00 report --from 2022-04-01 --to 2022-06-30 --by task \
    --format csv >"$T/task.csv" 2>"$T/report.err" || fail "report: $(cat "$T/report.err")"
"$NHACVIEC" -c "$T/nv.conf" --clock 2022-07-01T08:00:00+07:00 report --from 2022-04-01 --to 2022-06-30 --by agency \
    --format csv >"$T/agency.csv" 2>"$T/report.err" || fail "report: $(cat "$T/report.err")"
# By task: due (a month's last day), recipients, reached, seen,
# acknowledged, done on time, done late, not done. Every recipient has both
# addresses, so all are reached; seen counts a read, an acknowledgement or
# a done. Giỗ Tổ: Văn hóa, the station, the office and the ten communes.
cat >"$T/task.want" <<'EOW'
chi-so-cchc 2022-04-30 2 2 0 0 0 0 2
dan-hoi 2022-04-30 24 24 5 4 2 1 21
dan-hoi 2022-05-28 24 24 0 0 0 0 24
dan-hoi 2022-06-25 24 24 0 0 0 0 24
gio-to-hung-vuong 2022-04-10 13 13 0 0 0 0 13
bao-cao-6-thang 2022-06-15 24 24 4 4 4 0 20
EOW
"$NV_PYTHON" - "$T/task.csv" >"$T/task.got" <<'EOF' || fail "the CSV by task does not read"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        print(r["task"], r["due"], r["agencies"], r["reached"], r["seen"],
              r["acknowledged"], r["done_on_time"], r["done_late"], r["not_done"])
EOF
diff <(sort "$T/task.want") <(sort "$T/task.got") || fail "the report by task differs from the script"
# By agency, for those the script names: occurrences, reached, seen,
# acknowledged, done on time, done late, not done, messages sent, failed.
# A partner of dan-hoi gets two reminders on two channels (4), as it does
# of the six-month report; Giỗ Tổ's first reminder (25/03, before the
# quarter started) is missed, its second goes on both channels (2).
#   Tư pháp: dan-hoi thrice, the report; done late stops nothing: 16.
#   Phú Lộc: dan-hoi thrice, Giỗ Tổ, the report; its done of 27/04 stops
#     that occurrence's reminder of 29/04: 2 + 4 + 4 + 2 + 4 = 16.
#   Văn hóa: dan-hoi thrice, Giỗ Tổ (lead), the report; acknowledging
#     stops nothing: 12 + 2 + 4 = 18.
#   Kinh tế: dan-hoi thrice, the report, whose reminder of 13/06 its click
#     of 08/06 stops: 12 + 2 = 14.
#   Nội vụ: dan-hoi thrice, Chỉ số CCHC (partner: 01/04 and 22/04), the
#     report it leads, its reminder of 13/06 stopped by the admin's record
#     of 10/06: 12 + 4 + 2 = 18; its escalations are not a recipient's
#     messages.
cat >"$T/agency.want" <<'EOW'
tu-phap 4 4 1 1 0 1 3 16 0
ubnd-phu-loc 5 5 1 1 1 0 4 16 0
van-hoa 5 5 1 1 0 0 5 18 0
kinh-te 4 4 1 1 1 0 3 14 0
noi-vu 5 5 1 1 1 0 4 18 0
EOW
"$NV_PYTHON" - "$T/agency.csv" >"$T/agency.got" <<'EOF' || fail "the CSV by agency does not read"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        if r["agency"] in ("tu-phap", "ubnd-phu-loc", "van-hoa", "kinh-te", "noi-vu"):
            print(r["agency"], r["occurrences"], r["reached"], r["seen"],
                  r["acknowledged"], r["done_on_time"], r["done_late"],
                  r["not_done"], r["messages_sent"], r["messages_failed"])
EOF
diff <(sort "$T/agency.want") <(sort "$T/agency.got") || fail "the report by agency differs from the script"
