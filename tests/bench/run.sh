#!/bin/bash
# make bench: figures for nhacviecd against baselines measured in the same
# run, on the same machine. Prints numbers; never passes or fails on time.
#  1. delivery: N reminders due now, claimed, POSTed to a loopback webhook and
#     recorded, against curl alone POSTing the same N bodies with the same
#     parallelism (what the HTTP part costs without any bookkeeping);
#  2. idle: CPU used in 5 s by a daemon holding 100,000 future reminders
#     (no polling: it should be nothing), against `sleep 5`.
set -u
NV_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export NHACVIECD=$NV_ROOT/build/nhacviecd FAKE_WEBHOOK=$NV_ROOT/build/rel/tests/fake_webhook
. "$NV_ROOT/tests/integration/lib.sh"
. "$NV_ROOT/tests/integration/nv.sh"
nv_setup bench
N=${BENCH_N:-20000}
PAR=32

redis_start
fake_start hook
write_conf "$T/nv.conf" "$hook_PORT" "batch = 1024"
sed -i "s/^concurrency = 8/concurrency = $PAR/" "$T/nv.conf"

# Baseline: curl alone, same bodies, same parallelism, keep-alive.
body='{"id":"task-x/2022-04-30/end-1d@08:00/agency-1/hook","task":"task-x","title":"Nhiệm vụ thử","agency":"agency-1","due":"2022-04-30","fire_at":"2022-04-27T08:00:00+07:00","text":"Nhắc việc: Nhiệm vụ thử. Thời hạn: 30/04/2022."}'
: >"$T/curl.cfg"
qbody=${body//\"/\\\"}
for ((i = 0; i < N; i++)); do
	# "next" ends one transfer's options: without it the data would pile up.
	[ $i -eq 0 ] || echo next >>"$T/curl.cfg"
	printf 'url = "http://127.0.0.1:%s/base"\ndata = "%s"\noutput = /dev/null\nheader = "Content-Type: application/json"\n' \
	    "$hook_PORT" "$qbody" >>"$T/curl.cfg"
done
t0=$(now_ms)
curl -s --no-progress-meter --parallel --parallel-max $PAR -K "$T/curl.cfg" || fail "curl baseline"
t1=$(now_ms)
base_ms=$((t1 - t0))

seed "$N" $((NV_CLOCK_MS - 1000)) 0 hook bench
t0=$(now_ms)
bg nv ${BENCH_PERF:+perf record -g -o "$T/perf.data"} "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK"
wait_until 600 "[ \"\$(ledger_count)\" -ge $N ]" || fail "delivery did not finish"
t1=$(now_ms)
nv_ms=$((t1 - t0))
sent=$(state_count sent)
stop nv

awk -v n="$N" -v b="$base_ms" -v d="$nv_ms" -v s="$sent" 'BEGIN {
	printf "delivery of %d reminders over a loopback webhook (parallelism %d):\n", n, '"$PAR"'
	printf "  curl alone (baseline)   %7d ms  %8.0f requests/s\n", b, n * 1000 / b
	printf "  nhacviecd end to end    %7d ms  %8.0f reminders/s  (%d sent, each claimed, sent and recorded)\n", d, n * 1000 / d, s
	printf "  ratio nhacviecd/curl    %7.2f of the baseline throughput\n", b / d
}'

# Idle cost: 100,000 reminders due tomorrow, the daemon waits on one timer.
rcli FLUSHALL >/dev/null
seed 100000 $((NV_CLOCK_MS + 86400000)) 1 hook idle
bg idle "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK"
wait_until 30 "grep -q 'ready: consumer' '$T/idle.out'" || fail "idle daemon not ready"
pid=$(pid_of idle)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
a=$(ticks "$pid")
sleep 5 & spid=$!
wait $spid
b=$(ticks "$pid")
stop idle
echo "idle for 5 s holding 100,000 future reminders:"
echo "  nhacviecd CPU           $((b - a)) clock ticks ($(getconf CLK_TCK)/s); sleep 5 (baseline): 0"
