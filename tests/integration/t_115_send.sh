#!/bin/bash
# nhacviec send: an ad-hoc notice (text from stdin) to one agency through the
# same outbox, ledger and rules as any reminder: it reaches the webhook with
# its Vietnamese text and has its ledger entry; an unknown agency is refused.
# To a group (groups of groups too): one notice to each member agency, each
# with its own id; a member without the channel's contact is named and the
# exit is 65, the others still get theirs.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
mkdir -p "$T/plan.d"
write_conf "$T/nv.conf" "$hook_PORT"
printf '\n[plan]\nfiles = plan.d/*.conf\n' >>"$T/nv.conf"
cat >"$T/plan.d/p.conf" <<'EOP'
[agency noi-vu]
name = Phòng Nội vụ
head = Trưởng phòng Nội vụ
email = noivu@example.gov.vn

[agency dtt]
name = Đài Truyền thanh huyện

[agency van-hoa]
name = Phòng Văn hóa và Thông tin
email = vanhoa@example.gov.vn

[group co-email]
members = noi-vu, van-hoa

[group tat-ca]
members = co-email, dtt

[task t]
lead = noi-vu
date = 2022-12-31
remind = end@08:00
channels = hook
EOP
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load.out" 2>&1 || fail "load: $(cat "$T/load.out")"
daemon_start nv "$T/nv.conf"
printf 'Họp khẩn lúc 14:00 hôm nay tại phòng họp số 2.\n' |
    "$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" send --agency noi-vu --channel hook >"$T/send.out" 2>&1 ||
    fail "send: $(cat "$T/send.out")"
id=$(cat "$T/send.out")
case "$id" in adhoc/*/noi-vu/hook) ;; *) fail "send printed '$id'" ;; esac
wait_until 15 '[ "$(fake_count hook)" -ge 1 ]' || fail "the notice did not arrive"
assert_eq "$id" "$(cut -f1 "$T/hook.log")" "the id the webhook got"
wait_until 10 "[ \"\$(rcli HGET '{t}:state' '$id')\" = sent ]" || fail "not recorded as sent"
rcli XRANGE '{t}:log' - + >"$T/ledger.txt"
assert_grep "^$id\$" "$T/ledger.txt" "ledger entry for the notice"
# An agency without the channel's contact, and one not in the plan: refused.
echo "x" | "$NHACVIEC" -c "$T/nv.conf" send --agency dtt --channel hook >"$T/nocontact.out" 2>&1
assert_eq 65 "$?" "exit status for an agency without email"
assert_grep 'agency dtt has no email for channel hook' "$T/nocontact.out" "why"
echo "x" | "$NHACVIEC" -c "$T/nv.conf" send --agency nobody --channel hook >"$T/unknown.out" 2>&1
assert_eq 65 "$?" "exit status for an unknown agency"
assert_grep 'no agency or group nobody' "$T/unknown.out" "why"
assert_eq 1 "$(fake_count hook)" "requests (only the one notice)"

# A group: one notice per agency, each its own id.
printf 'Họp giao ban sáng thứ Hai.\n' |
    "$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" send --agency co-email --channel hook >"$T/group.out" 2>"$T/group.err" ||
    fail "send to a group: $(cat "$T/group.err")"
assert_eq 2 "$(wc -l <"$T/group.out")" "ids printed for the group"
assert_eq 2 "$(sort -u "$T/group.out" | wc -l)" "distinct ids"
assert_eq "noi-vu/hook van-hoa/hook" \
    "$(sed 's|^adhoc/[^/]*/||' "$T/group.out" | paste -sd' ')" "agency and channel of each"
wait_until 15 '[ "$(fake_count hook)" -ge 3 ]' || fail "the group's notices did not arrive"
# A group of groups with an agency lacking email: the others are sent, dtt is named.
printf 'x\n' | "$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" send --agency tat-ca --channel hook >"$T/all.out" 2>"$T/all.err"
assert_eq 65 "$?" "exit status when a member has no email"
assert_grep 'agency dtt has no email for channel hook' "$T/all.err" "the member named"
assert_grep 'group tat-ca: 1 of 3 agencies not sent to' "$T/all.err" "the sum"
assert_eq 2 "$(wc -l <"$T/all.out")" "ids printed for the members with email"
wait_until 15 '[ "$(fake_count hook)" -ge 5 ]' || fail "the notices to tat-ca did not arrive"
assert_eq 5 "$(fake_count hook)" "requests (1 + 2 + 2)"
assert_eq 5 "$(fake_unique hook)" "each notice its own id"

# A notice at 06:30 in Ho Chi Minh City (23:30 UTC the day before) is due
# that day in the plan's zone.
printf 'Sớm.\n' | "$NHACVIEC" -c "$T/nv.conf" --clock 2022-04-27T06:30:00+07:00 \
    send --agency noi-vu --channel hook >"$T/early.out" 2>&1 || fail "send: $(cat "$T/early.out")"
wait_until 15 '[ "$(fake_count hook)" -ge 6 ]' || fail "the early notice did not arrive"
assert_eq 2022-04-27 "$(tail -n 1 "$T/hook.dump" | json_get body | json_get due)" \
    "due day of the early notice"
stop nv || fail "exit status $?"
