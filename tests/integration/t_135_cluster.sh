#!/bin/bash
# A province on one Redis Cluster (six nodes: three masters, a replica
# each): three districts, each its own prefix, config, plan and daemon.
# Each finds the master of its prefix's slot from a seed list that starts
# with a replica, loads its plan with `nhacviec load`, and delivers its
# plan's reminders and 200 added beside it to its own webhook; every key of a
# district is on the master its slot says, none elsewhere.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

N=200
NV_CLOCK=2022-04-27T07:59:57+07:00	# a Wednesday; reminders at 08:00
cluster_start
mapfile -t districts < <(cluster_districts 3) ||
    fail "no three districts on three masters: $(redis-cli -p "${CLUSTER_PORTS[0]}" cluster nodes)"
masters=$(cluster_masters | sort)
replica=
for p in "${CLUSTER_PORTS[@]}"; do
	grep -qx "$p" <<<"$masters" || { replica=$p; break; }
done
[ -n "$replica" ] || fail "no replica among ${CLUSTER_PORTS[*]}"

i=0
for d in "${districts[@]}"; do
	i=$((i + 1))
	fake_start "hook$i"
	port_var=hook${i}_PORT
	mkdir -p "$T/$d"
	write_conf "$T/$d/nv.conf" "${!port_var}" address= prefix="$d" \
	    consumer="nv-$d" "cluster=127.0.0.1:$replica, $CLUSTER_SEEDS"
	printf '\n[plan]\nfiles = %s/%s/plan.d/*.conf\n' "$T" "$d" >>"$T/$d/nv.conf"
	mkdir -p "$T/$d/plan.d"
	cat >"$T/$d/plan.d/$d.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-fri

[agency noi-vu]
name = Phòng Nội vụ ($d)
email = noi-vu@$d.example.gov.vn

[agency dtt]
name = Đài Truyền thanh ($d)
email = dtt@$d.example.gov.vn

[task giao-ban]
title = Họp giao ban tuần
lead = noi-vu
partners = dtt
date = 2022-04-27
remind = end@08:00
channels = hook
EOP
	"$NHACVIEC" -c "$T/$d/nv.conf" load >"$T/$d/load.out" 2>&1 ||
	    { cat "$T/$d/load.out"; fail "$d: load through the Cluster"; }
done
# Reminders added from outside once the daemons run (a planner run would
# remove what its plan does not have), announced on {PREFIX}:control.
for d in "${districts[@]}"; do
	daemon_start "nv-$d" "$T/$d/nv.conf"
	redis-cli -c -p "$replica" --eval "$(nv_lua tests/integration/seed.lua)" \
	    "{$d}:reminders" "{$d}:due" , $N $((NV_CLOCK_MS - 4000)) 0 hook "$d" \
	    >/dev/null || fail "$d: seeding"
	redis-cli -c -p "$replica" XADD "{$d}:control" '*' type due \
	    at $((NV_CLOCK_MS - 4000)) >/dev/null || fail "$d: XADD control"
done

i=0
for d in "${districts[@]}"; do
	i=$((i + 1))
	owner=$(cluster_owner "{$d}:")
	slot=$(redis-cli -p "$owner" CLUSTER KEYSLOT "{$d}:")
	wait_until 120 "[ \"\$(fake_ok_ids hook$i | wc -l)\" -ge $((N + 2)) ]" ||
	    fail "$d: $(fake_ok_ids "hook$i" | wc -l) of $((N + 2)) delivered"
	fake_ok_ids "hook$i" | grep -c "^task-$d/" | grep -qx $N ||
	    fail "$d: the seeded reminders are not all there"
	fake_ok_ids "hook$i" | grep -q "^giao-ban/2022-04-27/end@08:00/dtt/hook$" ||
	    fail "$d: the plan's reminder to dtt did not come"
	# Through the replica first: told where the slot is, then there.
	assert_grep "redis main: slot $slot is served by 127.0.0.1:$owner; connecting there" \
	    "$T/nv-$d.out" "$d: the daemon followed the slot from the replica"
	assert_grep "redis main: connected to 127.0.0.1:$owner, the master of slot $slot" \
	    "$T/nv-$d.out" "$d: commands on the slot's master"
	assert_grep "redis control: connected to 127.0.0.1:$owner, the master of slot $slot" \
	    "$T/nv-$d.out" "$d: the control stream on the slot's master"
	wait_until 30 "[ \"\$(redis-cli -p $owner HVALS '{$d}:state' | grep -cx sent)\" = $((N + 2)) ]" ||
	    fail "$d: states $(redis-cli -p "$owner" HVALS "{$d}:state" | sort | uniq -c)"
	# The follow-ups of the plan's occurrence, a key no script declares.
	assert_eq 1 "$(redis-cli -p "$owner" HEXISTS "{$d}:occ:giao-ban/2022-04-27" noi-vu:reached)" \
	    "$d: the occurrence's follow-ups"
	# Every key of the district on its slot's master, none on the others.
	assert_ge "$(cluster_keys "$owner" "$d")" 10 "$d: keys on master $owner"
	for m in $masters; do
		[ "$m" = "$owner" ] && continue
		assert_eq 0 "$(cluster_keys "$m" "$d")" "$d: keys on master $m"
	done
	"$NHACVIEC" -c "$T/$d/nv.conf" status >"$T/$d/status.out" 2>&1 ||
	    fail "$d: status through the Cluster"
	assert_grep "^sent +$((N + 2))\$" "$T/$d/status.out" "$d: status"
	echo "$d: slot $slot on master $owner, $((N + 2)) delivered" >&2
done
for d in "${districts[@]}"; do
	stop "nv-$d" || fail "nv-$d: exit status $?"
done

# A slot handed over, its owners disagreeing for a moment: the old owner
# has been told, the new one not yet, so each sends a client to the other.
# nhacviec waits between the hops instead of giving up, and answers once
# the new owner knows. (A prefix with no keys yet: its slot can be handed
# over without moving any.)
d=handover
src=$(cluster_owner "{$d}:")
slot=$(redis-cli -p "$src" CLUSTER KEYSLOT "{$d}:")
for m in $masters; do [ "$m" != "$src" ] && dst=$m && break; done
dstid=$(redis-cli -p "$dst" CLUSTER MYID)
mkdir -p "$T/$d"
write_conf "$T/$d/nv.conf" "$hook1_PORT" address= prefix="$d" \
    "cluster=$CLUSTER_SEEDS"
redis-cli -p "$src" CLUSTER SETSLOT "$slot" NODE "$dstid" >/dev/null ||
    fail "SETSLOT NODE on the old owner $src"
bg handover "$NHACVIEC" -c "$T/$d/nv.conf" status
sleep 2
alive handover || fail "status gave up while the owners disagreed: $(cat "$T/handover.out")"
for m in "$dst" $masters; do
	redis-cli -p "$m" CLUSTER SETSLOT "$slot" NODE "$dstid" >/dev/null
done
wait_until 60 '! alive handover' || fail "status still waiting after the hand-over"
stop handover || fail "status across the hand-over: exit status $?, $(cat "$T/handover.out")"
assert_grep '^sent +0$' "$T/handover.out" "status across the hand-over"
