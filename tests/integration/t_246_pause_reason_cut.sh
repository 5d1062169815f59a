#!/bin/bash
# A pause with a long Vietnamese reason: the daemon keeps a bounded piece
# of it, which ends inside a character. The reminders held while the
# channel is paused are recorded with whole characters only; the daemon
# does not abort (it did: the ledger could not encode the cut reason as
# JSON).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT"
nv() { "$NHACVIEC" -c "$T/nv.conf" --clock "$NV_CLOCK" "$@"; }
nv pause hook --reason "$(printf 'ấ%.0s' $(seq 100))" >"$T/pause.out" 2>&1 ||
    fail "pause: $(cat "$T/pause.out")"
seed 3 $((NV_CLOCK_MS - 1000)) 0 hook cut
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(ledger_count)" -ge 3 ] || ! alive nv' || fail "ledger has $(ledger_count) of 3"
alive nv || fail "the daemon died on the cut reason"
rcli XRANGE '{t}:log' - + >"$T/log.txt"
assert_eq 3 "$(grep -cx defer "$T/log.txt")" "held outcomes"
# 200 bytes of "channel hook paused: ấấ…": 59 whole characters, then the
# two bytes of the 60th that fit, each a '?'.
assert_grep '^channel hook paused: (ấ){59}\?\?: held until it resumes$' \
    "$T/log.txt" "the reason, whole characters"
assert_eq 0 "$(fake_count hook)" "sends while paused"
assert_eq 3 "$(state_count held)" "reminders held"
stop nv || fail "exit status $?"
