#!/bin/bash
# A webhook refusing with bytes that are not clean UTF-8 (a long Vietnamese
# error page, which the ledger's snippet cuts inside a character, then a
# byte 0xff): the refusal is recorded with a printable detail, the reminder
# is retried and delivered, and the daemon never aborts (it did: the ledger
# could not encode the cut snippet as JSON).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

# 118 ASCII bytes, then "ấ" (3 bytes) across the 120-byte cut, then junk.
{ printf 'x%.0s' $(seq 118); printf 'ấ \xff tail'; } >"$T/body.txt"
redis_start
fake_start hook -f 1 -F 503 -b "$T/body.txt"
write_conf "$T/nv.conf" "$hook_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook bytes
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(fake_count hook)" -ge 2 ] || ! alive nv' || fail "no retry after the 503"
alive nv || fail "the daemon died on the peer's bytes"
wait_until 10 '[ "$(state_count sent)" -ge 1 ]' || fail "not recorded as sent"
rcli XRANGE '{t}:log' - + >"$T/log.txt"
assert_grep '^HTTP 503: x{118}$' "$T/log.txt" "the retry's detail, cut before the broken character"
assert_grep '^sent$' "$T/log.txt" "the delivery on the retry"
stop nv || fail "exit status $?"
