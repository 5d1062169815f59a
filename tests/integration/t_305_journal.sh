#!/bin/bash
# Under systemd (JOURNAL_STREAM names stderr) the daemon writes to the
# journal natively: each delivery with NHACVIEC_REMINDER, _TASK, _AGENCY,
# _CHANNEL and _OUTCOME (so `journalctl -u nhacviecd NHACVIEC_AGENCY=X`
# filters), a delivery at debug, and a summary a minute at info. With no
# journald on this machine, a stand-in binds journald's socket.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

sock=/run/systemd/journal/socket
if [ -S "$sock" ] && pgrep -x systemd-journald >/dev/null; then
	echo "a journald runs here: not replacing its socket; skipped" >&2
	exit 0
fi
bg journal "$NV_PYTHON" "$NV_ROOT/tests/integration/journal_sink.py" \
    "$sock" "$T/journal.jsonl"
wait_until 10 "grep -q _READY '$T/journal.jsonl'" || fail "no journal stand-in"
redis_start
fake_start hook -f 1
write_conf "$T/nv.conf" "$hook_PORT"
seed 3 $((NV_CLOCK_MS - 1000)) 0 hook jrn
: >"$T/nv.out"
export JOURNAL_STREAM=$(stat -c '%d:%i' "$T/nv.out")
bg nv "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK" -v
unset JOURNAL_STREAM
wait_until 20 "grep -q 'ready: consumer' '$T/journal.jsonl'" ||
    fail "not ready (in the journal)"
wait_until 20 '[ "$(state_count sent)" -ge 3 ]' || fail "not delivered"
stop nv || fail "exit status $?"
rm -f "$sock"
j=$T/journal.jsonl
assert_grep '"NHACVIEC_AGENCY": "agency-2".*"NHACVIEC_OUTCOME": "sent"|"NHACVIEC_OUTCOME": "sent".*"NHACVIEC_AGENCY": "agency-2"' "$j" \
    "a delivery with its agency and outcome"
grep '"NHACVIEC_OUTCOME": "sent"' "$j" >"$T/sent.jsonl"
assert_eq 3 "$(wc -l <"$T/sent.jsonl")" "deliveries in the journal"
assert_grep '"PRIORITY": "7"' "$T/sent.jsonl" "a delivery at debug"
assert_no_grep '"PRIORITY": "[0-6]"' "$T/sent.jsonl" "a delivery above debug"
assert_grep '"NHACVIEC_OUTCOME": "retry".*"PRIORITY": "4"|"PRIORITY": "4".*"NHACVIEC_OUTCOME": "retry"' \
    "$j" "the 503's retry at warning"
assert_grep '"SYSLOG_IDENTIFIER": "nhacviecd"' "$j" "the identifier"
assert_grep '"MESSAGE": "ready: consumer test-1' "$j" "plain messages too"
# Nothing went to stderr but what came before the journal was known.
assert_no_grep 'sent task-jrn' "$T/nv.out" "deliveries on stderr"
