#!/bin/bash
# Self-test of the harness: a private Redis that keeps data over a restart, a fake webhook that fails once.

. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup t_000_harness

redis_start
rcli set nv:harness v >/dev/null
assert_eq v "$(rcli get nv:harness)" "redis round trip"
redis_restart
assert_eq v "$(rcli get nv:harness)" "value survives a restart through the AOF"

fake_start hook -f 1 -r 3
url=http://127.0.0.1:$hook_PORT/hook
code=$(curl -s -o "$T/reply1" -w '%{http_code}' -d '{"id":"x"}' "$url")
assert_eq 503 "$code" "first request fails under -f 1"
assert_grep '"error"' "$T/reply1" "error body"
code=$(curl -s -o "$T/reply2" -w '%{http_code}' -d '{"id":"x"}' "$url")
assert_eq 200 "$code" "second request succeeds"
assert_grep '^\{"ok":true\}$' "$T/reply2" "ok body"

wait_until 5 '[ "$(fake_count hook)" -eq 2 ]' || fail "fake logged $(fake_count hook) requests"
assert_grep $'^x\t503\t[0-9]+\tPOST\t/hook\t10\t[0-9]+$' "$T/hook.log" "failed request logged"
assert_grep $'^x\t200\t' "$T/hook.log" "good request logged"
assert_eq 1 "$(fake_unique hook)" "distinct ids"
assert_eq 1 "$(fake_dups hook)" "extra copies"
assert_eq x "$(fake_ok_ids hook)" "ids answered 2xx"
assert_eq 0 "$(fake_ok_dups hook)" "ids acknowledged twice"
assert_eq '{"requests":2,"ok":1,"failed":1}' "$(fake_stats hook)" "stats"

# Retry-After on failures, behaviour changed at run time, not-JSON bodies.
fake_control hook '{"status":500}'
curl -s -D "$T/headers3" -o /dev/null -d 'not json' "$url"
assert_grep '^HTTP/1.1 500' "$T/headers3" "status set through /_control"
assert_grep '^Retry-After: 3' "$T/headers3" "Retry-After on failures"
assert_grep $'^-\t500\t' "$T/hook.log" "no id logged as -"
assert_eq 3 "$(fake_count hook)" "control requests are not logged"

# The harness must be able to fail.
(assert_eq 1 2 "deliberate") 2>/dev/null && fail "assert_eq cannot fail"
(assert_le 3 2 "deliberate") 2>/dev/null && fail "assert_le cannot fail"
wait_until 0.3 false 2>/dev/null && fail "wait_until cannot time out"
echo "==ERROR: AddressSanitizer: heap-use-after-free" >"$T/fakesan.out"
(san_check fakesan) 2>/dev/null && fail "san_check misses an ASan report"
rm "$T/fakesan.out"

# Background processes: exit status through stop, SIGKILL.
bg sleeper sleep 100
pid_of sleeper >/dev/null || fail "no pid for sleeper"
alive sleeper || fail "sleeper not running"
# Signalled between its fork and its exec, the child is still bash.
wait_until 5 '[ "$(cat /proc/$(pid_of sleeper)/comm 2>/dev/null)" = sleep ]' ||
    fail "sleeper never became sleep"
stop sleeper
assert_eq 143 "$?" "sleep ends on SIGTERM"
bg sleeper sleep 100
kill9 sleeper
pid_of sleeper >/dev/null && fail "sleeper still recorded"

fake_stop hook
assert_eq 0 "$?" "fake exits 0 on SIGTERM"
san_check hook
redis_stop
assert_eq 0 "$?" "redis exits 0 on SIGTERM"
exit 0
