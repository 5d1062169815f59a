#!/bin/bash
# Reminders where nhacviec 0.1 kept them: every one in {t}:due (full ids),
# those waiting for room in {t}:wait:hook with the state `waiting`, and one
# a program added itself to {t}:due. The claim moves them, a batch (here
# 16) at a time, into their channels' sets ({t}:due:hook, {t}:due:mail);
# every one is sent once, on its own channel, and the old keys are gone.
# `nhacviec upcoming` and `status` read both layouts meanwhile.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
fake_start mail
write_conf "$T/nv.conf" "$hook_PORT" batch=16
cat >>"$T/nv.conf" <<EOC

[channel mail]
type = webhook
contact = email
url = http://127.0.0.1:$mail_PORT/mail
digest = no
EOC
at=$((NV_CLOCK_MS - 1000))
seed 60 $at 0 hook old
seed 20 $at 0 mail old
seed 1 $((NV_CLOCK_MS + 86400000)) 0 hook later
# Back to the old layout: 40 of hook's and mail's all in {t}:due, the rest
# of hook's waiting; the later one in {t}:due too.
rcli EVAL "
local t, n = KEYS[1], 0
for _, ch in ipairs({ 'hook', 'mail' }) do
  local key = t .. ':due:' .. ch
  local got = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for i = 1, #got, 2 do
    local id = got[i] .. '/' .. ch
    n = n + 1
    if ch == 'hook' and n > 40 and n <= 60 then
      redis.call('ZADD', t .. ':wait:hook', got[i + 1], id)
      redis.call('SADD', t .. ':waiting', 'hook')
      redis.call('HSET', t .. ':state', id, 'waiting')
    else
      redis.call('ZADD', t .. ':due', got[i + 1], id)
    end
  end
  redis.call('DEL', key)
end
redis.call('DEL', t .. ':duesets')
return n" 1 '{t}' >/dev/null || fail "the old layout"
assert_eq 61 "$(rcli ZCARD '{t}:due')" "in {t}:due, the old way"
assert_eq 20 "$(rcli ZCARD '{t}:wait:hook')" "waiting, the old way"
"$NHACVIEC" -c "$T/nv.conf" upcoming 1 >"$T/up.out" || fail "upcoming"
assert_grep '  task-old/2022-04-30/end-1d@08:00/agency-1/(hook|mail)$' "$T/up.out" \
    "upcoming reads {t}:due"
# A reminder a program adds itself, the documented way.
id=task-own/2022-04-30/end-1d@08:00/agency-1/mail
rcli HSET '{t}:reminders' "$id" "$(rcli HGET '{t}:reminders' \
    task-old/2022-04-30/end-1d@08:00/agency-1/mail | sed 's/task-old/task-own/g')" >/dev/null
rcli ZADD '{t}:due' "$at" "$id" >/dev/null

daemon_start nv "$T/nv.conf"
wait_until 30 '[ "$(fake_count hook)" -ge 60 ] && [ "$(fake_count mail)" -ge 21 ]' ||
    fail "hook got $(fake_count hook) of 60, mail $(fake_count mail) of 21"
wait_until 10 '[ "$(state_count sent)" -ge 81 ]' || fail "$(state_count sent) of 81 recorded"
sleep 1
assert_eq 60 "$(fake_ok_ids hook | wc -l)" "distinct reminders on hook"
assert_eq 21 "$(fake_ok_ids mail | wc -l)" "distinct reminders on mail"
assert_eq 0 "$(fake_ok_dups hook)" "sent twice on hook"
assert_eq 0 "$(grep -c '/hook$' <(cut -f1 "$T/mail.log"))" "hook's reminders on mail"
assert_grep "$id" "$T/mail.log" "the program's own reminder"
assert_eq 0 "$(rcli EXISTS '{t}:wait:hook' '{t}:waiting')" "the old wait is gone"
assert_eq 0 "$(rcli ZCARD '{t}:due')" "{t}:due is empty"
assert_eq 0 "$(state_count waiting)" "states still waiting"
# The later one moved to its channel's set, as planned.
assert_eq $((NV_CLOCK_MS + 86400000)) \
    "$(rcli ZSCORE '{t}:due:hook' task-later/2022-04-30/end-1d@08:00/agency-1)" \
    "the later reminder, in {t}:due:hook without its channel"
"$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" status >"$T/status.out" || fail "status"
assert_grep '^due \(waiting for their time\) +1$' "$T/status.out" "status counts it"
stop nv || fail "exit status $?"
