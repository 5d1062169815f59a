#!/bin/bash
# The claim script itself, on a real Redis: when Redis's clock is a day
# past what the caller expected (a step on the Redis host), reminders the
# step jumped over are claimed, not marked missed, and the step is
# returned; without the step the same late reminders are missed.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
claim() {	# claim EXPECT: prints "claimed missed step"
	rcli --eval "$(nv_lua lua/claim.lua)" '{t}:due' '{t}:reminders' \
	    '{t}:attempts' '{t}:state' '{t}:outbox' '{t}:log' , \
	    dispatch 100 21600000 60000 '' '' '' "$1" 2000 '' |
	    sed -n '1p;2p;6p' | tr '\n' ' '
}
raw=$(rcli TIME | { read -r s; read -r us; echo $((s * 1000 + us / 1000)); })
seed 3 $((raw - 36000000)) 0 hook jumped
set -- $(claim $((raw - 86400000)))
assert_eq 3 "$1" "claimed after a step"
assert_eq 0 "$2" "missed after a step"
assert_ge "$3" 86000000 "the step returned (ms)"
assert_eq 3 "$(rcli XLEN '{t}:outbox')" "entries in the outbox"
seed 3 $((raw - 36000000)) 0 hook steady
set -- $(claim "$raw")
assert_eq 0 "$1" "claimed without a step"
assert_eq 3 "$2" "missed without a step"
assert_eq 0 "$3" "no step"
