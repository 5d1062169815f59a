#!/bin/bash
# A district's slot moves to another master of the Redis Cluster while it
# delivers 3,000 notices (to a peer that asks for 10 % of them again), and
# an admin loads the plan meanwhile: CLUSTER SETSLOT IMPORTING and
# MIGRATING, the keys moved one by one with MIGRATE, then SETSLOT NODE.
# The daemon follows ASK to the importing node, waits out TRYAGAIN, then
# follows MOVED; `nhacviec load` waits and loads on the new master; both
# log in on every node as the district's ACL user. Every
# notice is delivered, none twice, each recorded sent once; no script
# stops half-way (the load used to: the old task keys deleted, the new
# ones refused as "a non local key").
. "$(dirname "$0")/../integration/harness.sh"
. "$(dirname "$0")/../integration/fakes.sh"
. "$(dirname "$0")/../integration/nv.sh"
nv_setup "$(basename "$0" .sh)"

N=3000
cluster_start
d=$(cluster_districts 1) || fail "no district"
src=$(cluster_owner "{$d}:")
slot=$(redis-cli -p "$src" CLUSTER KEYSLOT "{$d}:")
dst=$(cluster_masters | grep -vx "$src" | head -1)
srcid=$(redis-cli -p "$src" CLUSTER MYID)
dstid=$(redis-cli -p "$dst" CLUSTER MYID)

# The district logs in as its own ACL user on every node: README's user,
# limited to the district, with the questions asked at connect.
acl=$(grep -m1 '^redis-cli ACL SETUSER nhacviec ' "$NV_ROOT/README.md") ||
    fail "README has no 'redis-cli ACL SETUSER nhacviec' line"
acl=${acl#redis-cli ACL SETUSER nhacviec }
acl=${acl//'{nhacviec}'/"{$d}"}
acl=${acl//PASSWORD/s3cret-$d}
for p in "${CLUSTER_PORTS[@]}"; do
	eval "redis-cli -p $p ACL SETUSER $d $acl +cluster\|slots +cluster\|myid +cluster\|info" |
	    grep -qx OK || fail "ACL SETUSER on $p"
done
umask 077
echo "s3cret-$d" >"$T/redis.pass"
umask 022

fake_start hook -d 10 -R 10 -F 503
write_conf "$T/nv.conf" "$hook_PORT" address= prefix="$d" consumer="nv-$d" \
    "cluster=$CLUSTER_SEEDS" max_attempts=50 retry_base=1s retry_max=2s \
    username="$d" password_file="$T/redis.pass"
printf '\n[plan]\nfiles = %s/plan.d/*.conf\n' "$T" >>"$T/nv.conf"
mkdir -p "$T/plan.d"
# write_plan TITLE: the plan, its one task titled TITLE.
write_plan() {
	cat >"$T/plan.d/plan.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-fri
holidays = 2022-05-02..2022-05-03

[agency noi-vu]
name = Phòng Nội vụ
email = noi-vu@example.gov.vn

[agency dtt]
name = Đài Truyền thanh
email = dtt@example.gov.vn

[task giao-ban]
title = $1
lead = noi-vu
partners = dtt
date = 2022-05-20
remind = end@08:00
channels = hook
EOP
}
write_plan "Họp giao ban tháng"
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load1.out" 2>&1 || fail "load: $(cat "$T/load1.out")"
redis-cli -c -p "$src" --eval "$(nv_lua tests/integration/seed.lua)" \
    "{$d}:reminders" "{$d}:due" , $N $((NV_CLOCK_MS - 1000)) 0 hook "$d" '' \
    adhoc >/dev/null || fail "seeding"
daemon_start nv "$T/nv.conf"
wait_until 120 '[ "$(fake_ok_count hook)" -ge 500 ]' || fail "delivery did not start"

echo "slot $slot of $d: $src -> $dst after $(fake_ok_count hook) deliveries" >&2
redis-cli -p "$dst" CLUSTER SETSLOT "$slot" IMPORTING "$srcid" >/dev/null ||
    fail "IMPORTING"
redis-cli -p "$src" CLUSTER SETSLOT "$slot" MIGRATING "$dstid" >/dev/null ||
    fail "MIGRATING"
# The admin changes a title and loads, while the slot is on the move.
version=$(redis-cli -p "$src" GET "{$d}:plan:version")
write_plan "Họp giao ban tháng năm"
bg load "$NHACVIEC" -c "$T/nv.conf" load
# One key at a time, slowly, so that the daemon meets every state of the
# slot: the keys no script declares ({d}:occ:..., {d}:task:...) first.
moved=0
for round in 1 2 3; do
	redis-cli -p "$src" CLUSTER GETKEYSINSLOT "$slot" 1000 | grep -v '^$' >"$T/keys"
	[ -s "$T/keys" ] || break
	{ grep -E ':(occ|task|agency):' "$T/keys"
	  grep -vE ':(occ|task|agency):' "$T/keys"; } | while read -r key; do
		out=$(redis-cli -p "$src" MIGRATE 127.0.0.1 "$dst" "" 0 5000 KEYS "$key")
		[ "$out" = OK ] || [ "$out" = NOKEY ] || echo "MIGRATE $key: $out" >&2
		sleep 0.3
	done
	moved=$((moved + $(wc -l <"$T/keys")))
	"$NHACVIEC" -c "$T/nv.conf" status >"$T/status-$round.out" 2>&1 ||
	    fail "status while the slot moves: $(cat "$T/status-$round.out")"
done
assert_eq 0 "$(redis-cli -p "$src" CLUSTER COUNTKEYSINSLOT "$slot")" "keys left on $src"
for p in $(cluster_masters); do
	redis-cli -p "$p" CLUSTER SETSLOT "$slot" NODE "$dstid" >/dev/null
done
echo "moved $moved keys at $(fake_ok_count hook) deliveries" >&2
wait_until 60 '! alive load' || fail "load still waiting after the move"
stop load || fail "load during the move: exit status $?, $(cat "$T/load.out")"
assert_grep "as plan version $((version + 1))" "$T/load.out" "load during the move"
assert_eq giao-ban "$(redis-cli -p "$dst" SMEMBERS "{$d}:tasks")" "the plan's tasks"
assert_eq "Họp giao ban tháng năm" "$(redis-cli -p "$dst" HGET "{$d}:task:giao-ban" title)" \
    "the task as loaded during the move"

wait_until 300 "[ \"\$(fake_ok_ids hook | wc -l)\" -ge $N ]" ||
    fail "only $(fake_ok_ids hook | wc -l) of $N delivered"
wait_until 60 "[ \"\$(redis-cli -p $dst HVALS '{$d}:state' | grep -cx sent)\" -ge $N ]" ||
    fail "states on $dst: $(redis-cli -p "$dst" HVALS "{$d}:state" | sort | uniq -c)"
assert_eq $N "$(fake_ok_ids hook | wc -l)" "distinct notices delivered"
assert_eq 0 "$(fake_ok_dups hook)" "deliveries acknowledged twice"
# Each notice recorded sent exactly once in the ledger.
redis-cli -p "$dst" XRANGE "{$d}:log" - + |
    awk 'p == "id" { id = $0 } p == "outcome" && $0 == "sent" { print id } { p = $0 }' |
    sort | uniq -d >"$T/twice"
[ -s "$T/twice" ] && fail "recorded sent twice: $(head -3 "$T/twice")"
assert_eq $N "$(redis-cli -p "$dst" XRANGE "{$d}:log" - + | grep -cx sent)" "sent entries in the ledger"
assert_no_grep "non local key|do not hash to the same slot" "$T/nv.out" "a script stopped by the Cluster"
assert_no_grep "s3cret" "$T/nv.out" "the password in the log"
assert_grep "redis main: slot $slot is migrating to 127.0.0.1:$dst; following ASK there" \
    "$T/nv.out" "ASK followed"
assert_grep "redis main: slot $slot moved to 127.0.0.1:$dst; connecting there" \
    "$T/nv.out" "MOVED followed"
assert_grep "redis main: connected to 127.0.0.1:$dst, the master of slot $slot" \
    "$T/nv.out" "on the new master"
assert_eq 0 "$(cluster_keys "$src" "$d")" "keys of $d on $src"
"$NHACVIEC" -c "$T/nv.conf" status >"$T/status.out" || fail "status after the move"
assert_grep "^sent +$N\$" "$T/status.out" "status on the new master"
stop nv || fail "exit status $?"
