#!/bin/bash
# Closing the loop through Zalo: the OA's events come to the public
# listener signed; received and seen are recorded on the follow-up; a head
# replying "Đã hoàn thành" quoting a reminder marks the occurrence done,
# its later reminders are not sent (the ledger says skipped), and the OA
# confirms once even when Zalo sends the event again. A wrong signature or
# another app's event gets 403 and changes nothing; a 1 MB body 413; an
# ambiguous "xong" makes the OA ask for the code and records nothing.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
pub=$(free_port)
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-ev-0001 \
    --access-token AT-ev-0001 --expires-in 90000 --oa-secret "oa-key-$$" \
    --event-url "http://127.0.0.1:$pub/zalo/events"
zalo_seed_token AT-ev-0001 RT-ev-0001 $((NV_CLOCK_MS + 20 * 3600 * 1000))
write_zalo_conf "$T/nv.conf" cs zalo.digest=no zalo.oa_secret_file="$T/oa.secret"
umask 077
printf 'oa-key-%s\n' "$$" >"$T/oa.secret"
head -c 32 /dev/urandom | base64 >"$T/link.secret"
umask 022
mkdir -p "$T/plan"
cat >>"$T/nv.conf" <<EOC

[http]
public_listen = 127.0.0.1:$pub
public_url = http://127.0.0.1:$pub
link_secret_file = $T/link.secret

[plan]
files = $T/plan/*.conf
EOC
u1=5218391034900000001
u2=5218391034900000002
cat >"$T/plan/p.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-sun
holidays = 2022-01-03

[agency noi-vu]
name = Phòng Nội vụ
zalo = $u1

[agency van-hoa]
name = Phòng Văn hóa và Thông tin
zalo = $u2

[task bao-cao]
title = Báo cáo cải cách hành chính
lead = noi-vu
partners = van-hoa
date = 2022-04-30
remind = end-3d@08:00, end-1d@08:00
channels = zalo

[task kiem-tra]
title = Kiểm tra hồ sơ một cửa
lead = van-hoa
date = 2022-04-29
remind = end-2d@08:00
channels = zalo
EOP
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock 2022-04-27T07:59:58+07:00
wait_until 20 "grep -q 'ready: consumer' '$T/nv.out'" || fail "not ready"
wait_until 20 '[ "$(zalo_stat zalo cs_ok)" -ge 3 ]' || fail "the first reminders"
m1=$(zalo_msg_id zalo $u1) || fail "no message to noi-vu"
occ='{t}:occ:bao-cao/2022-04-30'

# Received, seen: recorded on the follow-up.
assert_eq 200 "$(zalo_received zalo $u1 "$m1")" "received event"
assert_eq 200 "$(zalo_seen zalo $u1 "$m1")" "seen event"
wait_until 10 "rcli HEXISTS '$occ' noi-vu:seen | grep -qx 1" || fail "seen not recorded"
assert_eq 1 "$(rcli HEXISTS "$occ" noi-vu:received)" "received recorded"

# Refused: a bad signature, none, another app, too big; nothing changes.
before=$(rcli HLEN "$occ")
assert_eq 403 "$(zalo_event zalo "{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"$u1\"},\"message\":{\"text\":\"xong\",\"msg_id\":\"x1\",\"quote_msg_id\":\"$m1\"}}" bad)" "a bad signature"
assert_eq 403 "$(zalo_event zalo "{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"$u1\"},\"message\":{\"text\":\"xong\",\"msg_id\":\"x2\",\"quote_msg_id\":\"$m1\"}}" none)" "no signature"
out=$(zalo_post zalo "{\"event\":{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"$u1\"},\"message\":{\"text\":\"xong\",\"msg_id\":\"x3\",\"quote_msg_id\":\"$m1\"}},\"app_id\":\"9999\"}")
echo "$out" | grep -q '"status": *\[403\]' || fail "another app's event: $out"
out=$(zalo_post zalo "{\"event\":{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"$u1\"},\"message\":{\"text\":\"xong\",\"msg_id\":\"x4\"}},\"pad_to\":1048576}")
echo "$out" | grep -q '"status": *\[413\]' || fail "a 1 MB body: $out"
sleep 1
assert_eq "$before" "$(rcli HLEN "$occ")" "follow-up fields after refused events"
assert_eq 0 "$(rcli HEXISTS "$occ" noi-vu:done)" "done after refused events"

# "Đã hoàn thành" quoting the reminder: done, confirmed once, later
# reminders to noi-vu skipped (Zalo sends the event twice).
ev="{\"event_name\":\"user_send_text\",\"timestamp\":\"1651021300000\",\"sender\":{\"id\":\"$u1\"},\"message\":{\"text\":\"Dạ, đã hoàn thành ạ\",\"msg_id\":\"r1\",\"quote_msg_id\":\"$m1\"}}"
assert_eq 200 "$(zalo_event zalo "$ev")" "the reply"
assert_eq 200 "$(zalo_event zalo "$ev")" "the reply again (Zalo's retry)"
wait_until 10 "rcli HEXISTS '$occ' noi-vu:done | grep -qx 1" || fail "done not recorded"
wait_until 10 "grep -q 'Đã ghi nhận' '$T/zalo.log'" || fail "no confirmation"
sleep 1
assert_eq 1 "$(grep -c 'Đã ghi nhận' "$T/zalo.log")" "confirmations sent"
assert_eq skipped "$(rcli HGET '{t}:state' 'bao-cao/2022-04-30/end-1d@08:00/noi-vu/zalo')" \
    "noi-vu's later reminder"
rcli XRANGE '{t}:log' - + >"$T/log.txt"
assert_grep 'not sent: noi-vu reported it done \(zalo' "$T/log.txt" "the ledger's reason"

# van-hoa has two open tasks: "xong" with no quote and no code is asked
# about, and nothing is recorded.
assert_eq 200 "$(zalo_reply zalo $u2 "xong")" "an ambiguous reply"
wait_until 10 "grep -q 'mã nhiệm vụ' '$T/zalo.log'" || fail "the OA did not ask"
assert_eq 0 "$(rcli HEXISTS "$occ" van-hoa:done)" "recorded from an ambiguous reply"
assert_eq 0 "$(rcli HEXISTS '{t}:occ:kiem-tra/2022-04-29' van-hoa:done)" "recorded from an ambiguous reply"
"$NHACVIEC" -c "$T/nv.conf" inbox >"$T/inbox.out" 2>&1 || fail "inbox"
assert_grep 'van-hoa .*: xong' "$T/inbox.out" "inbox keeps it"
# With the code the OA gave, it is placed.
code=$(grep -o '#[0-9A-Z]\{4\}' "$T/zalo.log" | tail -1)
assert_eq 200 "$(zalo_reply zalo $u2 "$code xong")" "a reply with the code"
wait_until 10 "[ \$(rcli HEXISTS '$occ' van-hoa:done) = 1 ] || [ \$(rcli HEXISTS '{t}:occ:kiem-tra/2022-04-29' van-hoa:done) = 1 ]" ||
    fail "the coded reply was not placed"
stop nv || fail "exit status $?"

# Stored but not handled when the daemon died: handled after the restart,
# once. (The event is put where the listener puts it, as if the daemon
# died right after answering.)
body="{\"app_id\":\"4242\",\"event_name\":\"user_send_text\",\"timestamp\":\"1651021400000\",\"sender\":{\"id\":\"$u2\"},\"message\":{\"text\":\"đã nhận\",\"msg_id\":\"r9\",\"quote_msg_id\":\"$(zalo_msg_id zalo $u2 | head -1)\"}}"
rcli XADD '{t}:events' '*' channel zalo at "$NV_CLOCK_MS" body "$body" >/dev/null
n0=$(grep -c 'Đã ghi nhận' "$T/zalo.log")
bg nv2 "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK"
wait_until 20 "[ \$(grep -c 'Đã ghi nhận' '$T/zalo.log') -gt $n0 ]" || fail "not handled after the restart"
stop nv2 || fail "exit status $?"
bg nv3 "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK"
wait_until 20 "grep -q 'ready: consumer' '$T/nv3.out'" || fail "nv3 not ready"
sleep 2
assert_eq $((n0 + 1)) "$(grep -c 'Đã ghi nhận' "$T/zalo.log")" "handled once over two restarts"
assert_eq 0 "$(rcli XLEN '{t}:events')" "events left"
stop nv3 || fail "exit status $?"
