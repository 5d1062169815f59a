#!/bin/bash
# The report Phòng Nội vụ hands in. A quarter is scripted: follow-ups as
# the daemon and the event processor write them ({t}:occ:TASK/DUE, the
# index {t}:occurrences), three through `nhacviec ack`, the ledger's sends,
# retries, a dead letter, a skip, a notice and entries of other quarters.
# `nhacviec report --by agency|task --format csv` gives exactly the rows
# worked out by hand (BOM, header, CRLF, quoting), the text table too;
# --from/--to take whole days of the plan's zone, both ends in; on the real
# clock the ledger is read only over the span that can matter (one XRANGE
# against 3,000 older entries). A [report] section then fires on the
# virtual clock: the mail carries the summary and the CSV attached, which
# decodes to the same bytes; the webhook gets the summary; planning again
# never sends it twice.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
smtp_start sink
mkdir -p "$T/plan.d"
write_conf "$T/nv.conf" "$hook_PORT"
cat >>"$T/nv.conf" <<EOC

[channel mail]
type = smtp
contact = email
url = smtp://127.0.0.1:$sink_PORT
from = nhacviec@example.gov.vn
timeout = 5s

[plan]
files = plan.d/*.conf

[report quy]
every = quarter
at = end+4d@08:00
to = noi-vu
channels = mail, hook
EOC
cat >"$T/plan.d/p.conf" <<'EOP'
[calendar]
timezone = Asia/Ho_Chi_Minh
holidays = 2022-09-01..2022-09-02

[agency noi-vu]
name = Phòng Nội vụ
head = Trưởng phòng Nội vụ
email = nv@example.gov.vn

[agency tai-chinh]
name = Phòng Tài chính, Kế hoạch
email = tc@example.gov.vn

[agency van-hoa]
name = Phòng Văn hóa và Thông tin
email = vh@example.gov.vn

[task dan-hoi]
title = Chuyên mục "Dân hỏi, Chính quyền trả lời"
lead = van-hoa
partners = tai-chinh
rule = FREQ=MONTHLY;BYDAY=-1SA
start = 2022-01-01
until = 2022-12-31
remind = end-3d@08:00
channels = hook

[task hop]
title = Họp giao ban
lead = noi-vu
date = 2022-05-10
remind = end-1d@08:00
channels = hook

[task bao-cao]
title = Báo cáo quý
lead = noi-vu
partners = tai-chinh, van-hoa
quarter = 2022-Q2
remind = end-3d@08:00
channels = hook
EOP
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load.out" 2>&1 || fail "load: $(cat "$T/load.out")"

# ms ISO: epoch milliseconds.
ms() { date -d "$1" +%s%3N; }

# --- the quarter, as it was recorded -----------------------------------------
# 3,000 ledger entries of 2021 first (stream ids are Redis's clock: a
# report on the real clock reads only the span that concerns it).
for i in $(seq 1 3000); do
	echo "XADD {t}:log $(ms 2021-06-01T08:00:00+07:00)-$i id old/2021-06-03/end-2d@08:00/noi-vu/hook task old agency noi-vu channel hook outcome sent attempt 1 at $(ms 2021-06-01T08:00:00+07:00)"
done | rcli >/dev/null || fail "the 2021 entries"

# led ISO SEQ ID OUTCOME [FIELD VALUE...]: a ledger entry as complete.lua
# writes it, its stream id the instant itself.
led() {
	local at out
	at=$(ms "$1")
	out=$(rcli XADD '{t}:log' "$at-$2" id "$3" outcome "$4" at "$at" \
	    attempt 1 late 0 "${@:5}")
	[ "$out" = "$at-$2" ] || fail "XADD $3 $4: $out"
}
D1=dan-hoi/2022-04-30
D2=dan-hoi/2022-05-28
D3=dan-hoi/2022-06-25
B=bao-cao/2022-06-30
H=hop/2022-05-10
led 2022-03-23T08:00:00+07:00 0 dan-hoi/2022-03-26/end-3d@08:00/van-hoa/hook sent channel hook ref q1
led 2022-04-27T08:00:00+07:00 0 $D1/end-3d@08:00/van-hoa/hook sent channel hook ref m1
led 2022-04-27T08:00:00+07:00 1 $D1/end-3d@08:00/tai-chinh/hook retry channel hook detail 'HTTP 503'
led 2022-04-27T08:01:00+07:00 0 $D1/end-3d@08:00/tai-chinh/hook sent channel hook ref m2
led 2022-05-09T08:00:00+07:00 0 $H/end-1d@08:00/noi-vu/hook sent channel hook ref m3
led 2022-05-12T10:00:00+07:00 0 adhoc/1652324400000-7-0/noi-vu/hook sent channel hook ref m4
led 2022-05-25T08:00:00+07:00 0 $D2/end-3d@08:00/van-hoa/hook sent channel hook ref m5
led 2022-05-25T08:00:01+07:00 0 $D2/end-3d@08:00/tai-chinh/hook dead channel hook detail 'HTTP 404: no such mailbox'
led 2022-06-22T08:00:00+07:00 0 $D3/end-3d@08:00/tai-chinh/hook sent channel hook ref m6
led 2022-06-22T08:00:01+07:00 0 $D3/end-3d@08:00/van-hoa/hook skipped task dan-hoi agency van-hoa detail 'not sent: van-hoa reported it done'
i=0
for a in noi-vu tai-chinh van-hoa; do
	led 2022-06-27T08:00:00+07:00 $((i++)) $B/end-3d@08:00/$a/hook sent channel hook ref "m-$a"
	rcli HSET '{t}:state' $B/end-3d@08:00/$a/hook sent >/dev/null
done
led 2022-06-27T08:00:00+07:00 3 dan-hoi/2022-07-30/end-3d@08:00/van-hoa/hook dead channel hook

# The index, as the planner writes it: TASK/DUE -> the end of its day.
for o in dan-hoi/2022-03-26 $D1 $H $D2 $D3 $B dan-hoi/2022-07-30 cu/2022-05-15; do
	rcli ZADD '{t}:occurrences' "$(ms "${o#*/}T00:00:00+07:00 + 1 day")" "$o" >/dev/null
done
# occ OCCURRENCE AGENCY WHAT ISO VIA: a follow-up field, the first time wins.
occ() {
	rcli HSETNX "{t}:occ:$1" "$2:$3" "$(ms "$4") $5" >/dev/null
}
occ dan-hoi/2022-03-26 van-hoa done 2022-03-25T08:00:00+07:00 link
occ $D1 van-hoa reached 2022-04-27T08:00:00+07:00 hook
occ $D1 van-hoa seen 2022-04-27T09:00:00+07:00 zalo
occ $D1 van-hoa ack 2022-04-27T10:00:00+07:00 reply
occ $D1 van-hoa done 2022-04-29T15:00:00+07:00 link
occ $D1 tai-chinh reached 2022-04-27T08:01:00+07:00 hook
occ $H noi-vu reached 2022-05-09T08:00:00+07:00 hook
occ $D2 van-hoa reached 2022-05-25T08:00:00+07:00 hook
occ $D2 van-hoa received 2022-05-25T08:00:05+07:00 zalo
occ $D2 van-hoa seen 2022-05-25T11:00:00+07:00 zalo
occ $D3 tai-chinh reached 2022-06-22T08:00:00+07:00 hook
occ $D3 tai-chinh ack 2022-06-22T09:00:00+07:00 reply
occ $D3 tai-chinh done 2022-06-25T23:00:00+07:00 reply
occ $B noi-vu reached 2022-06-27T08:00:00+07:00 hook
occ $B noi-vu done 2022-06-30T16:00:00+07:00 link
occ $B tai-chinh reached 2022-06-27T08:00:00+07:00 hook
occ $B tai-chinh seen 2022-06-27T10:00:00+07:00 zalo
occ $B van-hoa reached 2022-06-27T08:00:00+07:00 hook
occ $B van-hoa done 2022-07-02T09:00:00+07:00 reply
occ dan-hoi/2022-07-30 van-hoa reached 2022-07-27T08:00:00+07:00 hook
occ cu/2022-05-15 noi-vu done 2022-05-14T08:00:00+07:00 link
# What heads told an admin on the phone.
ack() {
	"$NHACVIEC" -c "$T/nv.conf" --clock "$1" ack "${@:2}" >>"$T/ack.out" 2>&1 ||
	    fail "ack ${*:2}: $(cat "$T/ack.out")"
}
ack 2022-05-02T09:00:00+07:00 dan-hoi 2022-04-30 tai-chinh --done
ack 2022-05-09T10:00:00+07:00 hop 2022-05-10 noi-vu
ack 2022-06-24T10:00:00+07:00 dan-hoi 2022-06-25 van-hoa --done --note 'gọi điện'

# --- the CSV, worked out by hand ------------------------------------------
# noi-vu: hop (reached, acknowledged, not done), bao-cao (done on time).
# tai-chinh: D1 done late (ack), D2 nothing (its reminder dead), D3 done
# on time, bao-cao seen only. van-hoa: D1 on time, D2 seen, D3 done by
# phone (never reached), bao-cao done late. Sent and dead from the ledger.
BOM=$'\xef\xbb\xbf'
DH='"Chuyên mục ""Dân hỏi, Chính quyền trả lời"""'
printf '%s\r\n' \
    "${BOM}agency,name,occurrences,reached,seen,acknowledged,done_on_time,done_late,not_done,messages_sent,messages_failed" \
    "noi-vu,Phòng Nội vụ,2,2,2,2,1,0,1,2,0" \
    'tai-chinh,"Phòng Tài chính, Kế hoạch",4,3,3,2,1,1,2,3,1' \
    "van-hoa,Phòng Văn hóa và Thông tin,4,3,4,3,2,1,1,3,0" >"$T/want-agency.csv"
printf '%s\r\n' \
    "${BOM}task,title,due,agencies,reached,seen,acknowledged,done_on_time,done_late,not_done" \
    "dan-hoi,$DH,2022-04-30,2,2,2,2,1,1,0" \
    "hop,Họp giao ban,2022-05-10,1,1,1,1,0,0,1" \
    "dan-hoi,$DH,2022-05-28,2,1,1,0,0,0,2" \
    "dan-hoi,$DH,2022-06-25,2,1,2,2,2,0,0" \
    "bao-cao,Báo cáo quý,2022-06-30,3,3,3,2,1,1,1" >"$T/want-task.csv"

# nv OUT ARGS...: nhacviec in a zone far from the plan's, stdout to OUT.
nv() {
	local out=$1
	shift
	TZ=America/New_York "$NHACVIEC" -c "$T/nv.conf" "$@" >"$out" 2>"$T/err"
}
AT=(--clock 2022-07-04T08:00:00+07:00)
Q=(--from 2022-04-01 --to 2022-06-30)
nv "$T/agency.csv" "${AT[@]}" report --by agency "${Q[@]}" --format csv ||
    fail "report --by agency: $(cat "$T/err")"
cmp "$T/want-agency.csv" "$T/agency.csv" ||
    { diff <(cat -A "$T/want-agency.csv") <(cat -A "$T/agency.csv") >&2; fail "the CSV by agency"; }
nv "$T/task.csv" "${AT[@]}" report --by task "${Q[@]}" --format csv ||
    fail "report --by task: $(cat "$T/err")"
cmp "$T/want-task.csv" "$T/task.csv" ||
    { diff <(cat -A "$T/want-task.csv") <(cat -A "$T/task.csv") >&2; fail "the CSV by task"; }
# What a spreadsheet reads: RFC 4180 through Python's csv module.
"$NV_PYTHON" - "$T/task.csv" <<'EOF' || fail "the CSV does not read back"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
assert rows[1][1] == 'Chuyên mục "Dân hỏi, Chính quyền trả lời"', rows[1]
assert all(len(r) == 10 for r in rows), rows
EOF

# On the real clock: the same bytes, the ledger read in one XRANGE of the
# span that matters (the whole ledger would take four).
rcli CONFIG RESETSTAT >/dev/null
nv "$T/real.csv" report --by agency "${Q[@]}" --format csv || fail "report on the real clock"
cmp "$T/want-agency.csv" "$T/real.csv" || fail "the CSV on the real clock"
assert_eq 1 "$(rcli INFO commandstats | sed -n 's/^cmdstat_xrange:calls=\([0-9]*\),.*/\1/p')" \
    "XRANGE calls for a quarter's report"
assert_eq 1 "$(rcli INFO commandstats | sed -n 's/^cmdstat_zrangebyscore:calls=\([0-9]*\),.*/\1/p')" \
    "ZRANGEBYSCORE calls"

# --- the text table -------------------------------------------------------
nv "$T/agency.txt" "${AT[@]}" report --by agency "${Q[@]}" || fail "report text"
cat >"$T/want-agency.txt" <<'EOF'
BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO CƠ QUAN
Kỳ báo cáo: quý II/2022 (từ ngày 01/04/2022 đến ngày 30/06/2022)
Số liệu tính đến 08:00 ngày 04/07/2022

Cơ quan                     Số việc  Đã nhận  Đã xem  Đã xác nhận  Đúng hạn  Trễ hạn  Chưa xong  Tin đã gửi  Tin lỗi
--------------------------------------------------------------------------------------------------------------------
Phòng Nội vụ                      2        2       2            2         1        0          1           2        0
Phòng Tài chính, Kế hoạch         4        3       3            2         1        1          2           3        1
Phòng Văn hóa và Thông tin        4        3       4            3         2        1          1           3        0
--------------------------------------------------------------------------------------------------------------------
Tổng cộng                        10        8       9            7         4        2          4           8        1

Ghi chú:
- Số việc: số lượt nhiệm vụ đến hạn trong kỳ mà cơ quan chủ trì hoặc phối hợp thực hiện.
- Đã nhận: đã có tin nhắc gửi tới cơ quan.
- Đã xem: cơ quan đã đọc tin (Zalo báo đã xem), đã xác nhận hoặc đã hoàn thành.
- Đã xác nhận: cơ quan đã xác nhận nhận việc, hoặc đã hoàn thành.
- Đúng hạn, Trễ hạn: đã hoàn thành trước hoặc sau khi hết ngày đến hạn.
- Chưa xong: chưa báo hoàn thành.
- Tin đã gửi, Tin lỗi: tin nhắc đã gửi được, và tin không gửi được sau mọi lần thử.
- Không tính 1 lượt nhiệm vụ không còn trong kế hoạch.
EOF
diff -u "$T/want-agency.txt" "$T/agency.txt" >&2 || fail "the text table by agency"
nv "$T/task.txt" "${AT[@]}" report --by task "${Q[@]}" || fail "report text by task"
cat >"$T/want-task.txt" <<'EOF'
BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO NHIỆM VỤ
Kỳ báo cáo: quý II/2022 (từ ngày 01/04/2022 đến ngày 30/06/2022)
Số liệu tính đến 08:00 ngày 04/07/2022

Nhiệm vụ                                   Hạn         Số cơ quan  Đã nhận  Đã xem  Đã xác nhận  Đúng hạn  Trễ hạn  Chưa xong
-----------------------------------------------------------------------------------------------------------------------------
Chuyên mục "Dân hỏi, Chính quyền trả lời"  30/04/2022           2        2       2            2         1        1          0
Họp giao ban                               10/05/2022           1        1       1            1         0        0          1
Chuyên mục "Dân hỏi, Chính quyền trả lời"  28/05/2022           2        1       1            0         0        0          2
Chuyên mục "Dân hỏi, Chính quyền trả lời"  25/06/2022           2        1       2            2         2        0          0
Báo cáo quý                                30/06/2022           3        3       3            2         1        1          1
-----------------------------------------------------------------------------------------------------------------------------
Tổng cộng                                                      10        8       9            7         4        2          4

Ghi chú:
- Số cơ quan: số cơ quan chủ trì và phối hợp thực hiện lượt nhiệm vụ.
- Đã nhận: đã có tin nhắc gửi tới cơ quan.
- Đã xem: cơ quan đã đọc tin (Zalo báo đã xem), đã xác nhận hoặc đã hoàn thành.
- Đã xác nhận: cơ quan đã xác nhận nhận việc, hoặc đã hoàn thành.
- Đúng hạn, Trễ hạn: đã hoàn thành trước hoặc sau khi hết ngày đến hạn.
- Chưa xong: chưa báo hoàn thành.
- Không tính 1 lượt nhiệm vụ không còn trong kế hoạch.
EOF
diff -u "$T/want-task.txt" "$T/task.txt" >&2 || fail "the text table by task"

# --- the bounds: whole days of the plan's zone, both ends in ---------------
nv "$T/b.csv" "${AT[@]}" report --by task --from 2022-04-30 --to 2022-05-28 --format csv ||
    fail "report 30/04-28/05"
assert_eq "dan-hoi/2022-04-30 hop/2022-05-10 dan-hoi/2022-05-28" \
    "$(tail -n +2 "$T/b.csv" | awk -F, '{ printf "%s%s/%s", s, $1, $(NF-7); s = " " }')" \
    "occurrences due 30/04 to 28/05"
nv "$T/b.csv" "${AT[@]}" report --by task --from 2022-05-01 --to 2022-05-27 --format csv ||
    fail "report 01/05-27/05"
assert_eq "hop" "$(tail -n +2 "$T/b.csv" | cut -d, -f1 | tr -d '\r')" "occurrences due 01/05 to 27/05"
nv "$T/b.txt" "${AT[@]}" report --by agency --from 2022-10-01 --to 2022-10-31 || fail "an empty month"
assert_grep '^Kỳ báo cáo: tháng 10/2022 \(từ ngày 01/10/2022 đến ngày 31/10/2022\)$' "$T/b.txt" "a whole month says so"
assert_grep '^Không có nhiệm vụ nào đến hạn trong kỳ\.$' "$T/b.txt" "nothing due"
for args in "--by agency --from 2022-04-01" "--by task --from 2022-06-30 --to 2022-04-01" \
    "--by agency --from 01/04/2022 --to 2022-06-30" "--by region" "--format xls"; do
	rc=0
	nv "$T/u.out" report $args || rc=$?
	assert_eq 64 "$rc" "report $args: exit status"
	assert_grep '^usage: nhacviec report ' "$T/err" "report $args: the usage line"
done
nv "$T/u.out" report --by agency --from 2022-04-01
assert_grep '^nhacviec report: --by agency and --by task need --from and --to' "$T/err" \
    "why a missing --to is refused"
# By channel, as before: the ledger's outcomes, and now as CSV too.
nv "$T/ch.csv" report --from 2022-04-01 --to 2022-06-30 --format csv || fail "report by channel, CSV"
printf '%s\r\n' "${BOM}channel,sent,retry,defer,dead,missed,skipped" "hook,9,1,0,2,0,1" >"$T/want-ch.csv"
cmp "$T/want-ch.csv" "$T/ch.csv" || fail "the CSV by channel"

# --- [report quy]: the daemon sends Q2's on 04/07 at 08:00 -------------------
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock 2022-07-04T07:59:00+07:00 --clock-rate 60
wait_until 30 '[ "$(smtp_count sink)" -ge 1 ] && grep -q report: "$T/hook.dump"' ||
    fail "no report mailed and posted: $(smtp_count sink) mails, see $T/nv.out"
R=report:quy/2022-Q2/noi-vu
wait_until 20 '[ "$(rcli HGET "{t}:state" $R/mail)" = sent ] && [ "$(rcli HGET "{t}:state" $R/hook)" = sent ]' ||
    fail "the report sends are not recorded sent"
"$NV_PYTHON" - "$T/sink/0001.eml" "$T/want-agency.csv" <<'EOF' || fail "the report mail (see above)"
import email, email.policy, re, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
want_csv = open(sys.argv[2], "rb").read()
assert msg["To"].addresses[0].addr_spec == "nv@example.gov.vn", msg["To"]
assert str(msg["Subject"]) == "[Nhắc việc] Báo cáo kết quả thực hiện nhiệm vụ quý II/2022", msg["Subject"]
assert msg.get_content_type() == "multipart/mixed", msg.get_content_type()
parts = list(msg.iter_parts())
assert [p.get_content_type() for p in parts] == ["text/plain", "text/csv"], parts
text, att = parts
assert att.get_filename() == "bao-cao-2022-Q2.csv", att.get_filename()
assert att.get_content_disposition() == "attachment"
assert att["Content-Transfer-Encoding"] == "base64"
got = att.get_payload(decode=True)
assert got == want_csv, (got, want_csv)
body = text.get_content().replace("\r\n", "\n")
want = """Kính gửi: Trưởng phòng Nội vụ,

Báo cáo kết quả thực hiện nhiệm vụ quý II/2022 (từ ngày 01/04/2022 đến ngày 30/06/2022), số liệu đến 08:MM ngày 04/07/2022:
- 3 nhiệm vụ, 10 lượt việc của 3 cơ quan: 4 hoàn thành đúng hạn, 2 hoàn thành trễ hạn, 4 chưa hoàn thành.
- Tin nhắc: 8 tin đã gửi, 1 tin không gửi được.
- Cơ quan còn việc quá hạn: Phòng Nội vụ (1), Phòng Tài chính, Kế hoạch (2), Phòng Văn hóa và Thông tin (1).

Chi tiết từng cơ quan trong tệp đính kèm bao-cao-2022-Q2.csv.
"""
body = re.sub(r"đến 08:[0-5][0-9] ngày", "đến 08:MM ngày", body)
assert body == want, "\n" + body
# Every line of the message within 998 bytes, CRLF only.
raw = open(sys.argv[1], "rb").read()
assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
assert max(len(l) for l in raw.split(b"\r\n")) <= 78
EOF
"$NV_PYTHON" - "$T/hook.dump" <<'EOF' || fail "the report posted to the webhook (see above)"
import json, sys
for line in open(sys.argv[1]):
    body = json.loads(json.loads(line)["body"])
    if body["id"].startswith("report:"):
        break
else:
    sys.exit("no report in the dump")
assert body["id"] == "report:quy/2022-Q2/noi-vu/hook", body["id"]
assert body["title"] == "Báo cáo kết quả thực hiện nhiệm vụ quý II/2022", body["title"]
t = body["text"]
assert "- Tin nhắc: 8 tin đã gửi, 1 tin không gửi được.\n" in t, t
assert "đính kèm" not in t, t
assert t.endswith("Phòng Văn hóa và Thông tin (1).\n"), t
EOF
# In the ledger under its own name; planned again (SIGHUP), never sent twice.
nv "$T/log.tsv" log --task report:quy --format tsv || fail "log --task report:quy"
assert_eq "$R/hook report:quy noi-vu hook sent
$R/mail report:quy noi-vu mail sent" "$(tail -n +2 "$T/log.tsv" | cut -f 2-6 | tr '\t' ' ' | sort)" \
    "the report sends in the ledger"
n=$(grep -c 'planned plan version' "$T/nv.out")
kill -HUP "$(pid_of nv)"
wait_until 20 '[ "$(grep -c "planned plan version" "$T/nv.out")" -gt '"$n"' ]' ||
    fail "no planning after SIGHUP"
assert_eq "" "$(due_score $R/mail)" "the sent report is not due again"
assert_eq 1 "$(smtp_count sink)" "report mails"
stop nv || fail "exit status $?"
