#!/bin/bash
# A pause is a fact in Redis: set with no daemon running, the next daemon
# honours it; it survives a restart; each held reminder is recorded once
# (not every few minutes); status shows who, why and until when; resume
# sends what was held; a pause with --for ends by itself.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT" reclaim_idle=2s
nv() { "$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" "$@"; }
nv pause hook --reason "Cổng thư điện tử bảo trì" >"$T/pause.out" 2>&1 ||
    fail "pause with no daemon: $(cat "$T/pause.out")"
assert_grep '^hook paused in every daemon, until `nhacviec resume hook`$' \
    "$T/pause.out" "what pause says"
seed 5 $((NV_CLOCK_MS - 1000)) 0 hook held
daemon_start nv "$T/nv.conf"
defers() { rcli XRANGE '{t}:log' - + | grep -cx defer || true; }
wait_until 20 '[ "$(defers)" -ge 5 ]' || fail "the reminders were not held"
sleep 5		# two sweeps: nothing is deferred again
assert_eq 0 "$(fake_count hook)" "sent while paused"
assert_eq 5 "$(defers)" "defer entries (one per reminder)"
assert_eq 5 "$(state_count held)" "reminders held"
stop nv || fail "exit status $?"
daemon_start nv2 "$T/nv.conf"
sleep 3
assert_eq 0 "$(fake_count hook)" "sent after a restart, still paused"
assert_eq 5 "$(defers)" "defer entries after a restart"
nv status >"$T/status.out" 2>&1 || fail "status: $(cat "$T/status.out")"
assert_grep '^paused hook since .* until resumed by hand, by .*@.*: Cổng thư điện tử bảo trì; 5 reminders held$' \
    "$T/status.out" "status lists the pause"
nv resume hook >"$T/resume.out" 2>&1 || fail "resume: $(cat "$T/resume.out")"
assert_grep '^hook resumed; 5 held reminders go out as soon as a daemon runs$' \
    "$T/resume.out" "what resume says"
wait_until 20 '[ "$(state_count sent)" -ge 5 ]' || fail "held reminders not sent"
assert_eq 5 "$(fake_ok_ids hook | wc -l)" "delivered after resume"

# A pause for a while ends by itself, in every daemon.
nv pause hook --for 3s >/dev/null || fail "pause --for"
seed 2 $((NV_CLOCK_MS - 1000)) 0 hook later
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 20 '[ "$(state_count held)" -ge 2 ]' || fail "not held"
wait_until 20 '[ "$(state_count sent)" -ge 7 ]' || fail "the pause did not end"
assert_eq 0 "$(rcli HLEN '{t}:pauses')" "pauses left"
assert_grep 'channel hook resumed' "$T/nv2.out" "the daemon says it resumed"
stop nv2 || fail "exit status $?"
