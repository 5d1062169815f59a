#!/bin/bash
# A Redis Cluster loses a master in the middle of 3,000 deliveries of the
# district it serves: the Cluster promotes its replica, the daemon finds
# the slot's new master and finishes. Every reminder is delivered at least
# once; the duplicates (sends whose outcome the dead master took with it)
# are counted and bounded. A second district, on another master, goes on
# untouched (cluster-require-full-coverage no, as README advises).
. "$(dirname "$0")/../integration/harness.sh"
. "$(dirname "$0")/../integration/fakes.sh"
. "$(dirname "$0")/../integration/nv.sh"
nv_setup "$(basename "$0" .sh)"

N=3000
M=1000
CONC=8
CLUSTER_NODE_TIMEOUT=1000 cluster_start
mapfile -t districts < <(cluster_districts 2) || fail "no two districts on two masters"
a=${districts[0]} b=${districts[1]}
owner=$(cluster_owner "{$a}:")
other=$(cluster_owner "{$b}:")
oid=$(redis-cli -p "$owner" CLUSTER MYID)
replica=$(redis-cli -p "$owner" CLUSTER NODES |
    awk -v m="$oid" '$4 == m { split($2, x, "[:@]"); print x[2]; exit }')
[ -n "$replica" ] || fail "no replica of master $owner"

fake_start hook -d 3
fake_start hookb -d 3
for d in "$a" "$b"; do
	port=$hook_PORT
	[ "$d" = "$b" ] && port=$hookb_PORT
	write_conf "$T/$d.conf" "$port" address= prefix="$d" consumer="nv-$d" \
	    "cluster=$CLUSTER_SEEDS" reclaim_idle=10s hook.concurrency=$CONC
done
redis-cli -c -p "$owner" --eval "$(nv_lua tests/integration/seed.lua)" \
    "{$a}:reminders" "{$a}:due" , $N $((NV_CLOCK_MS - 1000)) 0 hook "$a" \
    >/dev/null || fail "seeding $a"
redis-cli -c -p "$other" --eval "$(nv_lua tests/integration/seed.lua)" \
    "{$b}:reminders" "{$b}:due" , $M $((NV_CLOCK_MS - 1000)) 0 hook "$b" \
    >/dev/null || fail "seeding $b"
# The replica has the seed before its master may die.
wait_until 30 "[ \"\$(printf 'READONLY\\nZCARD {%s}:due:hook\\n' $a | redis-cli -p $replica | tail -1)\" = $N ]" ||
    fail "the seed did not reach the replica"

daemon_start "nv-$a" "$T/$a.conf"
daemon_start "nv-$b" "$T/$b.conf"
wait_until 120 '[ "$(fake_count hook)" -ge 600 ]' || fail "delivery did not start"
kill9 "node-$owner"
echo "killed master $owner after $(fake_count hook) requests" >&2
wait_until 60 "[ \"\$(cluster_owner '{$a}:')\" = $replica ]" ||
    fail "no failover: slot of $a on '$(cluster_owner "{$a}:")'"
wait_until 300 "[ \"\$(fake_ok_ids hook | wc -l)\" -ge $N ]" ||
    fail "only $(fake_ok_ids hook | wc -l) of $N delivered"
wait_until 60 "[ \"\$(redis-cli -p $replica HVALS '{$a}:state' | grep -cx sent)\" -ge $N ]" ||
    fail "states on the new master: $(redis-cli -p "$replica" HVALS "{$a}:state" | sort | uniq -c)"
assert_grep "redis main: connected to 127.0.0.1:$replica, the master of slot" \
    "$T/nv-$a.out" "the daemon on the promoted replica"
assert_eq $N "$(fake_ok_ids hook | wc -l)" "distinct reminders of $a delivered"
assert_eq 0 "$(redis-cli -p "$replica" ZCARD "{$a}:due:hook")" "left due"
dups=$(fake_ok_dups hook)
echo "duplicates across the failover: $dups (sends in flight at most $CONC)" >&2
# What the dead master may take along: the outcomes of the sends in
# flight, and a claim or two that had not reached the replica.
assert_le "$dups" $((4 * CONC)) "duplicates across the failover"

# The district on the other master never noticed.
wait_until 120 "[ \"\$(fake_ok_ids hookb | wc -l)\" -ge $M ]" ||
    fail "$b: only $(fake_ok_ids hookb | wc -l) of $M delivered"
assert_eq 0 "$(fake_ok_dups hookb)" "$b: duplicates"
assert_no_grep "redis (main|control): connection lost" "$T/nv-$b.out" "$b: a connection lost"
"$NHACVIEC" -c "$T/$a.conf" status >"$T/status.out" || fail "status after the failover"
assert_grep "^sent +$N\$" "$T/status.out" "status on the new master"
stop "nv-$a" || fail "nv-$a: exit status $?"
stop "nv-$b" || fail "nv-$b: exit status $?"
