#!/bin/bash
# Mail confirmation links: each reminder mailed through the shipped body
# carries {{confirm_url}} (and {{code}}). A GET shows the task and two
# buttons and changes nothing (mail scanners open links); a POST records
# acknowledged, then done, and done stops the agency's later reminder. A
# tampered link gets 403, a bad form 400, and neither changes anything;
# 30 days after the due day the link is expired: 410, nothing changes.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
pub=$(free_port)
umask 077
head -c 32 /dev/urandom | base64 >"$T/link.secret"
umask 022
write_conf "$T/nv.conf" "$hook_PORT" \
    "hook.body_template=$NV_ROOT/config/templates/webhook-body.json"
mkdir -p "$T/plan"
cat >>"$T/nv.conf" <<EOC

[http]
public_listen = 127.0.0.1:$pub
public_url = http://127.0.0.1:$pub
link_secret_file = $T/link.secret

[plan]
files = $T/plan/*.conf
EOC
cat >"$T/plan/p.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-sun
holidays = 2022-01-03

[agency van-hoa]
name = Phòng Văn hóa
email = vh@example.gov.vn

[agency tai-chinh]
name = Phòng Tài chính
email = tc@example.gov.vn

[task kiem-tra]
title = Kiểm tra hồ sơ một cửa
lead = van-hoa
partners = tai-chinh
date = 2022-04-30
remind = end-3d@08:00, end-1d@08:00
channels = hook
EOP
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock 2022-04-27T07:59:58+07:00
wait_until 20 "grep -q 'ready: consumer' '$T/nv.out'" || fail "not ready"
wait_until 20 '[ "$(fake_ok_count hook)" -ge 2 ]' || fail "the first reminders"

# The link and the code, in each mail's text.
link_of() {
	grep "$1" "$T/hook.dump" | head -n 1 | json_get body | json_get text |
	    grep -o "http://127.0.0.1:$pub/c/[A-Za-z0-9_-]*" | head -n 1
}
tc=$(link_of tc@example.gov.vn)
vh=$(link_of vh@example.gov.vn)
[ -n "$tc" ] && [ -n "$vh" ] || fail "no confirmation link in the mails"
[ "$tc" != "$vh" ] || fail "both agencies got the same link"
grep tc@example.gov.vn "$T/hook.dump" | head -n 1 | json_get body | json_get text >"$T/tc.txt"
assert_grep '^\(Mã nhiệm vụ: #[0-9A-Z]{4}\)$' "$T/tc.txt" "the code in the mail"

occ='{t}:occ:kiem-tra/2022-04-30'
fields() { rcli HKEYS "$occ" | sort | tr '\n' ' '; }
before=$(fields)
code=$(curl -s -o "$T/get.html" -w '%{http_code}' "$tc")
assert_eq 200 "$code" "GET of the link"
assert_grep 'Kiểm tra hồ sơ một cửa' "$T/get.html" "the page names the task"
assert_grep 'Phòng Tài chính' "$T/get.html" "the page names the agency"
assert_grep 'value="done">Đã hoàn thành<' "$T/get.html" "the done button"
assert_grep 'value="ack">Đã nhận<' "$T/get.html" "the ack button"
curl -s -o /dev/null "$tc"
assert_eq "$before" "$(fields)" "follow-ups after two GETs"

# Tampered: one character of the signature changed.
last=${tc: -1}
[ "$last" = A ] && swap=B || swap=A
bad=${tc%?}$swap
assert_eq 403 "$(curl -s -o "$T/bad.html" -w '%{http_code}' "$bad")" "GET of a tampered link"
assert_grep 'Liên kết không hợp lệ' "$T/bad.html" "the tampered link's page"
assert_eq 403 "$(curl -s -o /dev/null -w '%{http_code}' -d action=done "$bad")" "POST to a tampered link"
assert_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -d action=maybe "$tc")" "POST of a bad form"
assert_eq "$before" "$(fields)" "follow-ups after the refused requests"

# The buttons: acknowledged, then done.
assert_eq 200 "$(curl -s -o "$T/ack.html" -w '%{http_code}' -d action=ack "$tc")" "POST ack"
assert_grep 'Đã ghi nhận' "$T/ack.html" "the ack's answer"
rcli HGET "$occ" tai-chinh:ack >"$T/ack.txt"
assert_grep '^[0-9]+ link$' "$T/ack.txt" "ack recorded through the link"
assert_eq "" "$(rcli HGET "$occ" tai-chinh:done)" "not done yet"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -d action=done "$tc")" "POST done"
rcli HGET "$occ" tai-chinh:done >"$T/done.txt"
assert_grep '^[0-9]+ link$' "$T/done.txt" "done recorded through the link"
assert_eq skipped "$(rcli HGET '{t}:state' 'kiem-tra/2022-04-30/end-1d@08:00/tai-chinh/hook')" \
    "the later reminder to the agency that is done"
assert_eq "" "$(rcli HGET "$occ" van-hoa:done)" "the other agency is untouched"
stop nv || fail "exit status $?"

# 32 days after the due day: expired.
before=$(fields)
bg nv2 "$NHACVIECD" -c "$T/nv.conf" --clock 2022-06-01T09:00:00+07:00
wait_until 20 "grep -q 'ready: consumer' '$T/nv2.out'" || fail "not ready again"
assert_eq 410 "$(curl -s -o "$T/old.html" -w '%{http_code}' "$vh")" "GET of an expired link"
assert_grep 'hết hạn' "$T/old.html" "the expired link's page"
assert_eq 410 "$(curl -s -o /dev/null -w '%{http_code}' -d action=done "$vh")" "POST to an expired link"
assert_eq "$before" "$(fields)" "follow-ups after the expired link"
stop nv2 || fail "exit status $?"
