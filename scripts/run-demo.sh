#!/bin/sh
# make run: a private redis-server under run/, and nhacviecd in the
# foreground with the 2022 Thạnh Trị plan (config/plan.d/), on a virtual
# clock, every channel printing each reminder.
# Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
mkdir -p run
sock=run/redis.sock
redis-cli -s "$sock" shutdown nosave >/dev/null 2>&1 || true
redis-server --port 0 --unixsocket "$top/$sock" --unixsocketperm 700 \
    --dir "$top/run" --appendonly yes --save "" --daemonize no \
    --logfile "$top/run/redis.log" &
redis_pid=$!
stop_redis() {
	redis-cli -s "$sock" shutdown nosave >/dev/null 2>&1 ||
	    kill "$redis_pid" 2>/dev/null || true
	wait "$redis_pid" 2>/dev/null || true
}
trap 'stop_redis' EXIT
trap 'exit 130' INT TERM
i=0
until redis-cli -s "$sock" ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "run: redis-server did not start; see run/redis.log" >&2; exit 1; }
	sleep 0.1
done
redis-cli -s "$sock" flushall >/dev/null
build/nhacviec -c config/demo.conf preview --from 2022-04-27 --to 2022-04-30 \
    --format tsv | tail -n +2 | wc -l | sed 's/^/run: reminders of the 2022 plan from 27 to 30\/04\/2022: /'
echo "run: the clock starts at 07:59:50 on Wednesday 27/04/2022 and runs 3600 times real speed (an hour a second)"
echo "run: metrics at http://127.0.0.1:9464/metrics; Ctrl-C stops"
TZ=Asia/Ho_Chi_Minh build/nhacviecd -c config/demo.conf \
    --clock 2022-04-27T07:59:50+07:00 --clock-rate 3600 || true
