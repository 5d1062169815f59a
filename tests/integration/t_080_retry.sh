#!/bin/bash
# Failures are not lost: 503 is retried until it works, a 4xx is a dead
# letter at once, and a reminder that keeps failing is dead after max_attempts.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -f 2
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook retry
t_start=$(now_ms)
daemon_start nv "$T/nv.conf"
# Two 503s (retry after 0.5-1 s, then 1-2 s), then delivered.
wait_until 30 '[ "$(state_count sent)" -ge 1 ]' || fail "not delivered after 503s"
assert_eq 3 "$(fake_count hook)" "attempts"
assert_eq 3 "$(ledger_count)" "ledger entries: retry, retry, sent"
assert_eq "retry retry sent" "$(rcli XRANGE '{t}:log' - + | awk 'p { printf "%s%s", s, $0; s = " "; p = 0 } $0 == "outcome" { p = 1 }')" "ledger outcomes"

# A permanent refusal: dead at the first attempt.
fake_control hook '{"status": 404}' >/dev/null
seed 1 $((NV_CLOCK_MS)) 0 hook perm
rcli XADD '{t}:control' '*' type due at $NV_CLOCK_MS >/dev/null
wait_until 20 '[ "$(state_count dead)" -ge 1 ]' || fail "404 not a dead letter"
assert_eq 4 "$(fake_count hook)" "one attempt for a 404"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
assert_grep 'HTTP 404' "$T/dead.txt" "dead letter reason"

# Always 500: dead after max_attempts (3), with the reason.
fake_control hook '{"status": 500}' >/dev/null
seed 1 $((NV_CLOCK_MS)) 0 hook always
rcli XADD '{t}:control' '*' type due at $NV_CLOCK_MS >/dev/null
wait_until 30 '[ "$(state_count dead)" -ge 2 ]' || fail "never gave up"
assert_eq 7 "$(fake_count hook)" "attempts in all"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
assert_grep 'gave up after 3 attempts: HTTP 500' "$T/dead.txt" "dead letter reason"
# A reminder whose occurrence ends 1.5 s from now: the second retry would
# come 1.5-3 s after the first try, past the end, so by then at the latest it
# is dead with reason "expired" (not "gave up": max_attempts is 3).
vnow=$((NV_CLOCK_MS + $(now_ms) - t_start))	# the daemon's clock runs at 1x
exp=$((vnow + 1500))
rcli HSET '{t}:reminders' exp/1 "{\"id\":\"exp/1\",\"task\":\"exp\",\"agency\":\"a\",\"channel\":\"hook\",\"contact\":\"a@example.gov.vn\",\"expires_at\":$exp}" >/dev/null
rcli ZADD '{t}:due' "$vnow" exp/1 >/dev/null
rcli XADD '{t}:control' '*' type due at "$vnow" >/dev/null
wait_until 30 '[ "$(rcli HGET "{t}:state" exp/1)" = dead ]' || fail "never expired"
rcli XRANGE '{t}:dead' - + >"$T/dead.txt"
assert_grep '^expired: the occurrence ended before the next try \(HTTP 500' "$T/dead.txt" "dead letter reason"
n=$(grep -c '^exp/1' "$T/hook.log")
assert_ge "$n" 1 "attempts before it expired"
assert_le "$n" 2 "attempts before it expired"

# 401: the gateway refuses our credentials, not this reminder: the channel
# pauses (the reminder is held until it resumes) and the alert is logged;
# once the gateway takes our key again, resume sends it.
fake_control hook '{"status": 401}' >/dev/null
seed 1 $((NV_CLOCK_MS)) 0 hook auth
vnow=$((NV_CLOCK_MS + $(now_ms) - t_start))
rcli XADD '{t}:control' '*' type due at "$vnow" >/dev/null
wait_until 20 "grep -q 'crit: channel hook paused: the webhook answers HTTP 401' '$T/nv.out'" ||
    fail "401 did not pause the channel"
auth=$(rcli HKEYS '{t}:state' | grep '^task-auth/')
wait_until 10 "[ \"\$(rcli HGET '{t}:state' '$auth')\" = held ]" ||
    fail "the 401 reminder is not held: $(rcli HGET '{t}:state' "$auth")"
fake_control hook '{"status": 200}' >/dev/null
"$NHACVIEC" -c "$T/nv.conf" resume hook >/dev/null || fail "nhacviec resume"
wait_until 10 "grep -q 'channel hook resumed' '$T/nv.out'" || fail "resume"
wait_until 10 "[ \"\$(rcli HGET '{t}:state' '$auth')\" = sent ]" ||
    fail "the held reminder was not sent after resume"

# The admin's view: `dead` lists them, `requeue` sends one again (the peer
# works now), `report` sums the ledger.
"$NHACVIEC" -c "$T/nv.conf" dead >"$T/dead.out" || fail "dead"
assert_eq 3 "$(grep -c 'via hook' "$T/dead.out")" "dead letters listed"
assert_grep 'task-perm/.*HTTP 404' "$T/dead.out" "the 404 listed with its reason"
fake_control hook '{"status": 200}' >/dev/null
vnow=$((NV_CLOCK_MS + $(now_ms) - t_start))
iso=$(date -u -d "@$((vnow / 1000))" +%Y-%m-%dT%H:%M:%SZ)
perm=$(rcli HKEYS '{t}:state' | grep '^task-perm/')
"$NHACVIEC" -c "$T/nv.conf" --clock "$iso" dead requeue "$perm" >"$T/requeue.out" || fail "requeue"
assert_grep '^requeued 1 dead letter$' "$T/requeue.out" "requeue output"
wait_until 20 "[ \"\$(rcli HGET '{t}:state' '$perm')\" = sent ]" || fail "the requeued letter was not sent"
assert_eq 2 "$(rcli XLEN '{t}:dead')" "dead letters left"
"$NHACVIEC" -c "$T/nv.conf" report >"$T/report.out" || fail "report"
assert_grep '^hook +3 +[0-9]+ +1 +3 +0 +0$' "$T/report.out" "report: sent (the 401 one after resume), retries, the held 401, dead, none missed or skipped"
stop nv || fail "nhacviecd exit status $?"
