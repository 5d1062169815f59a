#!/bin/bash
# The claim takes what a channel has room for. A channel that sends each
# reminder alone (digest "0") gets exactly its room, the first due; one
# that sends a minute's reminders to one agency as one message (digest
# "1") gets the whole minute's group even past its room, so the group is
# not cut in two. Five reminders to agency-1 due in one minute, room 3.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
claim() {	# claim ROOM DIGEST: prints how many were claimed
	rcli --eval "$(nv_lua lua/claim.lua)" '{t}:due' '{t}:reminders' \
	    '{t}:attempts' '{t}:state' '{t}:outbox' '{t}:log' , \
	    dispatch 100 21600000 60000 '' '' '' '' 2000 '' hook "$1" "$2" |
	    head -1
}
raw=$(rcli TIME | { read -r s; read -r us; echo $((s * 1000 + us / 1000)); })
at=$((raw - 1000))
seed_group() {
	local tag
	for tag in a b c d e; do seed 1 $at 0 hook "$1$tag"; done
}

seed_group alone
assert_eq 5 "$(rcli ZCARD '{t}:due:hook')" "due before the claim"
assert_eq 3 "$(claim 3 0)" "claimed for a channel that sends each alone"
assert_eq 2 "$(rcli ZCARD '{t}:due:hook')" "left due"
assert_eq 3 "$(rcli XLEN '{t}:outbox')" "outbox entries"
# The first due went: seeded a to e one after the other at one instant,
# the set orders them by member.
assert_eq "task-alonea/2022-04-30/end-1d@08:00/agency-1/hook task-aloneb/2022-04-30/end-1d@08:00/agency-1/hook task-alonec/2022-04-30/end-1d@08:00/agency-1/hook" \
    "$(rcli XRANGE '{t}:outbox' - + | grep '^task-' | paste -sd' ')" "the entries, in order"

rcli DEL '{t}:due:hook' '{t}:outbox' '{t}:state' '{t}:duesets' >/dev/null
seed_group digest
assert_eq 5 "$(claim 3 1)" "claimed for a digest channel (the minute's group whole)"
assert_eq 0 "$(rcli ZCARD '{t}:due:hook')" "left due"
