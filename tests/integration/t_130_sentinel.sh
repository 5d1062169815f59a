#!/bin/bash
# Redis with a replica and a Sentinel: the daemon finds the master through
# Sentinel; the master is killed in the middle of 2,000 sends; Sentinel
# promotes the replica; the daemon finds the new master and finishes:
# every reminder delivered at least once.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

freeport() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mp=$(freeport); rp=$(freeport); sp=$(freeport)
mkdir -p "$T/m" "$T/r" "$T/s"
bg master redis-server --port "$mp" --bind 127.0.0.1 --dir "$T/m" --appendonly yes --save ''
bg replica redis-server --port "$rp" --bind 127.0.0.1 --dir "$T/r" --appendonly yes --save '' \
    --replicaof 127.0.0.1 "$mp"
wait_until 10 "redis-cli -p $mp ping | grep -q PONG" || fail "master"
wait_until 10 "redis-cli -p $rp ping | grep -q PONG" || fail "replica"
cat >"$T/s/sentinel.conf" <<EOC
port $sp
bind 127.0.0.1
dir $T/s
sentinel monitor mymaster 127.0.0.1 $mp 1
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 5000
EOC
bg sentinel redis-server "$T/s/sentinel.conf" --sentinel
wait_until 10 "redis-cli -p $sp sentinel get-master-addr-by-name mymaster | grep -q $mp" || fail "sentinel"
wait_until 10 "redis-cli -p $mp info replication | grep -q 'connected_slaves:1'" || fail "replication"
# Sentinel learns of the replica from the master's INFO (every 10 s at
# first): without it a failover has no replica to promote.
wait_until 30 "redis-cli -p $sp sentinel replicas mymaster | grep -q $rp" || fail "Sentinel does not see the replica"

fake_start hook -d 3
cat >"$T/nv.conf" <<EOC
[redis]
sentinels = 127.0.0.1:$sp
master = mymaster
prefix = t
consumer = test-1
connect_timeout = 1s

[delivery]
hours = 00:00-24:00
reclaim_idle = 10s

[channel hook]
type = webhook
contact = email
url = http://127.0.0.1:$hook_PORT/hook
concurrency = 8
EOC
redis-cli -p "$mp" --eval "$(nv_lua tests/integration/seed.lua)" '{t}:reminders' '{t}:due' , \
    2000 $((NV_CLOCK_MS - 1000)) 0 hook sen >/dev/null || fail "seed"
# Wait until the replica has the seed before the master may die.
wait_until 10 "[ \$(redis-cli -p $rp zcard '{t}:due:hook') -ge 1 ]" || fail "seed not replicated"
daemon_start nv "$T/nv.conf"
assert_grep "connected to 127.0.0.1:$mp" "$T/nv.out" "connected to the master Sentinel named"
wait_until 60 '[ "$(fake_count hook)" -ge 400 ]' || fail "delivery did not start"
kill9 master
wait_until 30 "redis-cli -p $sp sentinel get-master-addr-by-name mymaster | grep -q $rp" ||
    fail "no failover"
wait_until 120 '[ "$(fake_unique hook)" -ge 2000 ]' || fail "only $(fake_unique hook) of 2000 delivered"
assert_grep "connected to 127.0.0.1:$rp" "$T/nv.out" "reconnected to the promoted replica"
wait_until 30 "[ \$(redis-cli -p $rp hvals '{t}:state' | grep -cx sent) -ge 2000 ]" ||
    fail "states on the new master: $(redis-cli -p $rp hvals '{t}:state' | sort | uniq -c)"
echo "duplicates across the failover: $(fake_dups hook)"
# The admin command finds the new master through Sentinel too.
"$NHACVIEC" -c "$T/nv.conf" status >"$T/status.out" || fail "status via Sentinel"
assert_grep '^sent +2000$' "$T/status.out" "status through Sentinel"
stop nv || fail "exit status $?"
