#!/bin/bash
# Redis is killed in the middle of a 20,000-reminder drain to a peer that
# fails 30 % of requests, and comes back from an append-only file whose
# last writes are cut off (what a power cut does to `appendfsync
# everysec`): every reminder is still delivered at least once, none is
# left queued and forgotten, and the duplicates the rewind costs are
# counted.
. "$(dirname "$0")/../integration/harness.sh"
. "$(dirname "$0")/../integration/fakes.sh"
. "$(dirname "$0")/../integration/nv.sh"
nv_setup "$(basename "$0" .sh)"

N=20000
redis_start
fake_start hook -R 30
write_conf "$T/nv.conf" "$hook_PORT" max_attempts=50 reclaim_idle=4s \
    grace=30d hook.concurrency=32
seed $N $((NV_CLOCK_MS - 1000)) 0 hook rewind
daemon_start nv "$T/nv.conf"
for cut in 1 2; do
	wait_until 120 "[ \"\$(fake_ok_count hook)\" -ge $((cut * N / 3)) ]" ||
	    fail "delivery stalled before cut $cut"
	kill9 redis
	# The tail of the newest append-only file is lost, as in a power cut.
	aof=$(ls -t "$T"/appendonlydir/*.incr.aof | head -1)
	size=$(stat -c %s "$aof")
	truncate -s $((size > 200000 ? size - 200000 : size / 2)) "$aof"
	echo "cut $cut: $aof from $size to $(stat -c %s "$aof") bytes" >&2
	redis_start
done
wait_until 600 "[ \"\$(fake_ok_ids hook | wc -l)\" -ge $N ]" ||
    fail "only $(fake_ok_ids hook | wc -l) of $N delivered"
wait_until 60 '[ "$(state_count queued)" = 0 ] && [ "$(due_count)" = 0 ]' ||
    fail "left queued: $(state_count queued), due: $(due_count) $(due_list | head -3 | tr "\n" ";") states: $(rcli HVALS '{t}:state' | sort | uniq -c | tr "\n" " ")"
echo "duplicates after two rewinds: $(fake_ok_dups hook) deliveries acknowledged twice" >&2
assert_eq $N "$(fake_ok_ids hook | wc -l)" "distinct reminders delivered"
assert_eq 0 "$(state_count dead)" "dead letters"
stop nv || fail "exit status $?"
