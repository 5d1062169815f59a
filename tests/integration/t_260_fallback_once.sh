#!/bin/bash
# Fallback never doubles a message: channel a falls back to b; a task that
# sends on a and b already gives the head one message on b when a fails
# for good (the ledger says the fallback was skipped, and why); a task on
# a alone falls back to b as before.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start fa -s 404
fake_start fb
mkdir -p "$T/plan"
{ conf_base; cat <<EOC

[plan]
files = $T/plan/*.conf

[channel a]
type = webhook
contact = email
url = http://127.0.0.1:$fa_PORT/a
fallback = b

[channel b]
type = webhook
contact = email
url = http://127.0.0.1:$fb_PORT/b
EOC
} >"$T/nv.conf"
cat >"$T/plan/p.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-fri

[agency noi-vu]
name = Phòng Nội vụ
email = nv@example.gov.vn

[task both]
title = Hai kênh
lead = noi-vu
date = 2022-04-27
remind = end@07:30
channels = a, b

[task only-a]
title = Một kênh
lead = noi-vu
date = 2022-04-27
remind = end@07:40
channels = a
EOP
daemon_start nv "$T/nv.conf"
wait_until 30 '[ "$(fake_ok_count fb)" -ge 2 ]' || fail "b got $(fake_ok_count fb)"
sleep 2
assert_eq 2 "$(fake_count fa)" "requests on a (one per task)"
assert_eq 1 "$(grep -c '^both/' "$T/fb.log")" "messages on b for the task on a and b"
assert_eq 1 "$(grep -c '^only-a/.*~fallback-b' "$T/fb.log")" "the fallback of the task on a alone"
rcli XRANGE '{t}:log' - + >"$T/log.txt"
assert_grep 'fallback to b skipped: task both sends this reminder to noi-vu on b already' \
    "$T/log.txt" "the ledger says why"
assert_eq skipped "$(rcli HGET '{t}:state' 'both/2022-04-27/end@07:30/noi-vu/a~fallback-b')" \
    "the skipped fallback's state"
stop nv || fail "exit status $?"
