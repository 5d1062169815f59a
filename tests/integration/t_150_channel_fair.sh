#!/bin/bash
# A slow channel never holds back another: 400 reminders due at once on a
# webhook that answers after 100 ms (2 at a time: 20 s of work), and 20
# due at the same instant on a second channel. The second channel's are
# all delivered while most of the slow channel's still wait in their
# channel's set, {t}:due:hook (`nhacviec status` says they wait for a
# channel); done reported for one of them takes it out; at the end every
# reminder is sent once.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -d 100
fake_start mail
write_conf "$T/nv.conf" "$hook_PORT" hook.concurrency=2
cat >>"$T/nv.conf" <<EOC

[channel mail]
type = webhook
contact = email
url = http://127.0.0.1:$mail_PORT/mail
concurrency = 4
digest = no
EOC
at=$((NV_CLOCK_MS - 1000))
seed 400 $at 0 hook burst
seed 20 $at 0 mail other
daemon_start nv "$T/nv.conf"

wait_until 30 '[ "$(fake_count mail)" -ge 20 ]' || fail "the second channel got $(fake_count mail) of 20"
n=$(fake_count hook)
assert_le "$n" 200 "slow channel's deliveries when the other had all 20 (it cannot have done more than half)"
w=$(rcli ZCOUNT '{t}:due:hook' -inf "$NV_CLOCK_MS")
assert_ge "$w" 100 "reminders waiting for the slow channel"
assert_eq 0 "$(rcli ZCARD '{t}:due:mail')" "the other channel's set"
"$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" status >"$T/status.out" || fail "status"
assert_grep '^due, waiting for a channel +[0-9]{3}$' "$T/status.out" "status shows the wait"
assert_grep '^due \(waiting for their time\) +0$' "$T/status.out" "nothing is due later"

# A waiting reminder stopped by its agency's report leaves the wait.
last=$(rcli ZRANGE '{t}:due:hook' -1 -1)/hook
[ "$last" != /hook ] || fail "nothing waits any more"
rcli --eval "$(nv_lua lua/follow.lua)" "{t}:occ:task-burst/2022-04-30" '{t}:due' \
    '{t}:state' '{t}:log' '{t}:reminders' '{t}:attempts' , agency-400 done \
    "$NV_CLOCK_MS" admin '' 1 '' 'not sent: done' 0 "$last" >"$T/follow.out" ||
    fail "follow.lua: $(cat "$T/follow.out")"
assert_eq skipped "$(rcli HGET '{t}:state' "$last")" "the stopped reminder's state"
assert_eq "" "$(due_score "$last")" "the stopped reminder left the wait"

wait_until 120 '[ "$(state_count sent)" -ge 419 ]' || fail "sent $(state_count sent) of 419"
sleep 1
assert_eq 399 "$(fake_count hook)" "slow channel deliveries (one stopped)"
assert_eq 20 "$(fake_count mail)" "second channel deliveries"
assert_eq 0 "$(rcli EXISTS '{t}:due:hook')" "the wait is empty"
assert_eq "" "$(rcli SMEMBERS '{t}:duesets')" "no channel has a set left"
stop nv || fail "exit status $?"
