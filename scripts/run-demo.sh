#!/bin/sh
# make run: a private redis-server under run/, and nhacviecd in the
# foreground with the 2022 Thạnh Trị plan (config/plan.d/), on a virtual
# clock, every channel printing each reminder; the status page on
# 127.0.0.1:9464 with a demo account, and a few heads answering (a script
# below) so that the page has something to follow.
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
script_pid=
stop_redis() {
	[ -z "$script_pid" ] || kill "$script_pid" 2>/dev/null || true
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

# A demo account for the status page, its password new each time.
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-12)
rm -f run/users
printf '%s\n%s\n' "$password" "$password" |
    build/nhacviec -c config/demo.conf user add demo >/dev/null

build/nhacviec -c config/demo.conf preview --from 2022-04-27 --to 2022-04-30 \
    --format tsv | tail -n +2 | wc -l | sed 's/^/run: reminders of the 2022 plan from 27 to 30\/04\/2022: /'
echo "run: the clock starts at 07:59:50 on Wednesday 27/04/2022 and runs 3600 times real speed (an hour a second)"
echo "run: status page (Trang theo dõi): http://127.0.0.1:9464/  login: demo  password: $password"
echo "run: metrics at http://127.0.0.1:9464/metrics; Ctrl-C stops"

# What the heads do, a few seconds in (the clock's hours): the instant on
# the virtual clock for the commands that record it.
start=$(date +%s)
vclock() {
	TZ=Asia/Ho_Chi_Minh date -d "@$(( $(date -d 2022-04-27T07:59:50+07:00 +%s) +
	    ($(date +%s) - start) * 3600 ))" +%Y-%m-%dT%H:%M:%S%:z
}
nv() {
	build/nhacviec -c config/demo.conf --clock "$(vclock)" "$@" \
	    >>run/demo-heads.log 2>&1 || true
}
(
	sleep 4
	# Phòng Nội vụ confirms by phone, Phòng Tư pháp has done it.
	nv ack dan-hoi 2022-04-30 noi-vu --note "Đã nhận, sẽ gửi bài trước thứ Sáu"
	nv ack dan-hoi 2022-04-30 tu-phap --done
	# Zalo would say who opened the message; the demo has no Zalo, so it
	# writes what the OA's "seen" events would (see README).
	for a in van-hoa y-te tai-chinh; do
		redis-cli -s "$sock" HSETNX '{nhacviec}:occ:dan-hoi/2022-04-30' \
		    "$a:seen" "$(($(date -d "$(vclock)" +%s) * 1000)) zalo" >/dev/null
	done
	# A notice on the SMS gateway the demo does not have: a dead letter.
	echo "Họp giao ban chiều nay lúc 14:00." |
	    nv send --agency noi-vu --channel sms --title "Họp giao ban"
	sleep 20
	nv ack dan-hoi 2022-04-30 noi-vu --done
	nv ack chi-so-cchc 2022-04-30 dai-truyen-thanh
) &
script_pid=$!
TZ=Asia/Ho_Chi_Minh build/nhacviecd -c config/demo.conf \
    --clock 2022-04-27T07:59:50+07:00 --clock-rate 3600 || true
