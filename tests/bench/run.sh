#!/bin/bash
# make bench: nhacviecd's figures against baselines and targets measured in
# the same run, on the same machine. Prints numbers and writes them to
# tests/bench/RESULTS.md; never passes or fails on time.
#  1. delivery: N planned reminders due now (a plan of 100 tasks for 200
#     agencies), each built from the plan, POSTed to a loopback webhook
#     and recorded, against curl alone POSTing as many bodies with the same
#     parallelism, and against the floor: the daemon's own HTTP layer
#     sending them (tests/bench/http_floor.c), where the CPU that is the
#     daemon's own work begins; CPU per 1,000 deliveries, Redis commands per delivery
#     (INFO commandstats, Lua-internal calls included), peak RSS;
#  2. Redis memory per planned reminder: 1,000,000 of them, and the
#     shipped plan's reminders of 2022 in 500 districts (its own ids);
#  3. a backlog of 1,000,000 due: the daemon's peak RSS and the outbox;
#  4. a burst of 100,000 due at one instant on one channel, and a trickle
#     of 200 a second on another: the trickle's lateness;
#  5. idle: CPU used in 5 s holding 100,000 future reminders;
#  6. Redis memory for a year of the shipped plan (2022, each reminder sent
#     with three ledger entries, its ref, the follow-ups), for one district
#     and a province of 10 (10 prefixes in one Redis), before and after the
#     archive with [ledger] keep = 30d (BENCH_ARCHIVE=1: this one alone).
# BENCH_RSS=1: section 3 alone; BENCH_BURST=1: section 4 alone; BENCH_ONE=1:
# section 1 alone. In section 1:
# BENCH_PERF=1 records a profile (BENCH_PERF_F samples a second, 499),
# BENCH_STRACE=1 counts the daemon's system calls (strace -c), BENCH_PAR=N
# another parallelism than 32.
set -u
NV_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# BENCH_DAEMON=PATH: another build of nhacviecd measured the same way (an
# earlier commit's, to compare).
export NHACVIECD=${BENCH_DAEMON:-$NV_ROOT/build/nhacviecd} NHACVIEC=$NV_ROOT/build/nhacviec
export FAKE_WEBHOOK=$NV_ROOT/build/rel/tests/fake_webhook
. "$NV_ROOT/tests/integration/harness.sh"
. "$NV_ROOT/tests/integration/fakes.sh"
. "$NV_ROOT/tests/integration/nv.sh"
nv_setup bench
PAR=${BENCH_PAR:-32}
TCK=$(getconf CLK_TCK)
RES=$T/results.txt
: >"$RES"
say() { echo "$*" | tee -a "$RES"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
# The process's own memory (anonymous pages), without the shared libraries'
# pages it maps (libcurl alone brings GnuTLS, LDAP, Kerberos, libssh2 with OpenSSL...).
anon_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status"; }
file_kb() { awk '/^RssFile:/ { print $2 }' "/proc/$1/status"; }
used() { rcli INFO memory | awk -F: '/^used_memory:/ { print $2 + 0 }'; }
# Commands Redis ran (Lua-internal calls included), less the bench's own.
calls() {
	rcli INFO commandstats | tr -d '\r' | awk -F'[:=,]' '
	    /^cmdstat_/ { c = $1; sub("cmdstat_", "", c)
	        if (c !~ /^(info|config|xlen|hvals|zcard|ping|hello|client|flushall)$/)
	            n += $3 }
	    END { print n + 0 }'
}
evals() {
	rcli INFO commandstats | tr -d '\r' | awk -F'[:=,]' '
	    /^cmdstat_(evalsha|eval)/ { n += $3 } END { print n + 0 }'
}

# --- 6. a year of the shipped plan, and the archive ---------------------------
# district_conf N: district N (prefix dN) with the shipped plan, its channels
# printing, the ledger kept 30 days.
district_conf() {
	cat >"$T/d$1.conf" <<EOC
[redis]
address = unix:$T/redis.sock
prefix = d$1
consumer = bench-$1

[ledger]
keep = 30d
archive_dir = $T/archive-d$1

[plan]
files = $NV_ROOT/config/plan.d/*.conf

[channel zalo]
type = console
contact = zalo

[channel email]
type = console
contact = email
EOC
}
# archive_districts N...: each district's daemon on the clock of 01/01/2023
# archives, one after the other; the ms each run took into $T/archive.ms.
archive_districts() {
	local d i
	for d in "$@"; do
		bg "a$d" "$NHACVIECD" -c "$T/d$d.conf" --clock 2023-01-01T03:00:00+07:00
		wait_until 30 "grep -q 'ready: consumer' '$T/a$d.out'" ||
		    fail "district $d's daemon is not ready"
		# The control stream is read from its end: say it until heard.
		for ((i = 0; i < 60; i++)); do
			rcli XADD "{d$d}:control" '*' type archive >/dev/null
			wait_until 2 "[ -n \"\$(rcli HGET '{d$d}:archive' last_run)\" ]" && break
		done
		[ -n "$(rcli HGET "{d$d}:archive" last_run)" ] || fail "district $d: no archive run"
		[ -z "$(rcli HGET "{d$d}:archive" last_error)" ] ||
		    fail "district $d: $(rcli HGET "{d$d}:archive" last_error)"
		sed -n 's/.*archive: [0-9]* moved .* in \([0-9]*\) ms;.*/\1/p' "$T/a$d.out" |
		    head -1 >>"$T/archive.ms"
		stop "a$d"
	done
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
# used_memory of the data: the scripts' cache (the daemons loaded theirs)
# flushed first, the daemons gone.
data_used() { rcli SCRIPT FLUSH >/dev/null; used; }
bench_archive() {
	local d m0 m1 m2 m3 m4 n nlog nocc ms year after
	rcli FLUSHALL >/dev/null
	: >"$T/archive.ms"
	for d in $(seq 1 10); do
		district_conf "$d"
		"$NHACVIEC" -c "$T/d$d.conf" load >"$T/load-d$d.out" 2>&1 ||
		    fail "loading the shipped plan: $(cat "$T/load-d$d.out")"
	done
	"$NHACVIEC" -c "$T/d1.conf" preview --from 2022-01-01 --to 2022-12-31 \
	    --format tsv >"$T/year.tsv" || fail "preview of 2022"
	n=$(($(wc -l <"$T/year.tsv") - 1))
	for d in $(seq 1 10); do
		"$NV_PYTHON" "$NV_ROOT/tests/bench/year.py" "d$d" <"$T/year.tsv" \
		    >"$T/fill-d$d.resp" || fail "year.py"
	done
	# Redis grows some structures once (a daemon's first connections and
	# scripts): a district 0 run first, so that they are in the baseline.
	district_conf 0
	"$NHACVIEC" -c "$T/d0.conf" load >"$T/load-d0.out" 2>&1 ||
	    fail "loading the shipped plan: $(cat "$T/load-d0.out")"
	archive_districts 0
	: >"$T/archive.ms"
	m0=$(data_used)
	rcli --pipe <"$T/fill-d1.resp" >"$T/pipe.out" || fail "filling district 1"
	m1=$(data_used)
	nlog=$(rcli XLEN '{d1}:log')
	nocc=$(rcli ZCARD '{d1}:occurrences')
	archive_districts 1
	m2=$(data_used)
	year=$(( (m1 - m0) ))
	after=$(( (m2 - m0) ))
	ms=$(head -1 "$T/archive.ms")
	say "6. Redis memory for one simulated year of the shipped plan ($n reminders, $nlog ledger entries, $nocc occurrences; the plan itself left out):"
	say "   one district                $(mib $year); after the archive with keep = 30d $(mib $after) ($(( after * 100 / year ))%), moved in $ms ms, archive files $(mib "$(du -sb "$T/archive-d1" | cut -f1)")"
	for d in $(seq 2 10); do
		rcli --pipe <"$T/fill-d$d.resp" >"$T/pipe.out" || fail "filling district $d"
	done
	m3=$(data_used)
	archive_districts $(seq 2 10)
	m4=$(data_used)
	year=$(( (m1 - m0) + (m3 - m2) ))
	after=$(( m4 - m0 ))
	say "   a province of 10 districts  $(mib $year); after the archive $(mib $after) ($(( after * 100 / year ))%), runs of $(sort -n "$T/archive.ms" | tail -n +2 | head -1)-$(sort -n "$T/archive.ms" | tail -1) ms each"
}

# --- 3. a backlog of a million due ------------------------------------------
# No plan here: what the daemon holds is the backlog's doing alone.
bench_backlog() {
	local pid i o a maxo=0 maxa=0 rss lib curl_rss
	rcli FLUSHALL >/dev/null
	write_conf "$T/plain.conf" "$hook_PORT" batch=1024 hook.concurrency=$PAR
	seed 1000000 $((NV_CLOCK_MS - 1000)) 0 hook back
	bg back "$NHACVIECD" -c "$T/plain.conf" --clock "$NV_CLOCK"
	pid=$(pid_of back)
	for ((i = 0; i < 100; i++)); do
		o=$(rcli XLEN '{t}:outbox')
		[ "$o" -gt "$maxo" ] && maxo=$o
		a=$(anon_kb "$pid")
		[ "$a" -gt "$maxa" ] && maxa=$a
		sleep 0.1
	done
	rss=$(hwm_kb "$pid")
	lib=$(file_kb "$pid")
	# Resident KiB per mapped file, the largest first.
	awk '/^[0-9a-f]+-[0-9a-f]+ / { f = ($6 == "" ? "[anon]" : $6); sub(".*/", "", f) }
	    /^Rss:/ { k[f] += $2 } END { for (f in k) if (k[f] >= 256) printf "%s %.1f\n", f, k[f] / 1024 }' \
	    "/proc/$pid/smaps" | sort -k2 -rn >"$T/smaps.txt"
	stop back
	# Baseline: the curl command, one request, with the same libcurl and what
	# it brings (its TLS, LDAP, Kerberos, SSH...): its peak RSS.
	curl_rss=$(/usr/bin/python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
	    curl -s -o /dev/null -d x "http://127.0.0.1:$hook_PORT/base")
	say "3. a backlog of 1,000,000 due: daemon peak RSS $(awk -v k=$rss 'BEGIN { printf "%.1f", k / 1024 }') MiB (target <= 16): its own memory at most $(awk -v k=$maxa 'BEGIN { printf "%.1f", k / 1024 }') MiB, shared libraries' pages $(awk -v k=$lib 'BEGIN { printf "%.1f", k / 1024 }') MiB; outbox at most $maxo entries over 10 s"
	say "   baseline: curl alone, one request, peak RSS $(awk -v k=$curl_rss 'BEGIN { printf "%.1f", k / 1024 }') MiB"
	say "   resident MiB by mapping: $(head -12 "$T/smaps.txt" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')"
}

# nginx_start: the sink of section 1, as in the measurement that set the
# targets: nginx answering every POST with a small JSON body, one worker,
# kept-alive connections, an access log (buffered) of each request's time
# and path. Sets SINK_PORT and SINK_PIDS (master and worker, for their CPU).
nginx_start() {
	local n=0
	SINK_PORT=$(free_port)
	mkdir -p "$T/nginx"
	cat >"$T/nginx/nginx.conf" <<EON
worker_processes 1;
daemon off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 1024; }
http {
	log_format t '\$msec \$uri';
	client_body_temp_path $T/nginx/body;
	proxy_temp_path $T/nginx/proxy;
	fastcgi_temp_path $T/nginx/fastcgi;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$SINK_PORT;
		access_log $T/nginx/access.log t buffer=256k flush=1s;
		location / {
			default_type application/json;
			return 200 '{"ok":true}';
		}
	}
}
EON
	bg sink /usr/sbin/nginx -c "$T/nginx/nginx.conf" -p "$T/nginx"
	until curl -s -o /dev/null -d x "http://127.0.0.1:$SINK_PORT/ready"; do
		((n++ < 50)) || fail "nginx did not start: $(cat "$T/nginx/error.log" "$T/sink.out")"
		sleep 0.1
	done
	SINK_PIDS="$(pid_of sink) $(pgrep -P "$(pid_of sink)" | tr '\n' ' ')"
}
# The CPU ticks of the sink's processes.
sink_ticks() {
	local p n=0
	for p in $SINK_PIDS; do n=$((n + $(ticks "$p"))); done
	echo "$n"
}

# --- 4. a burst and a trickle -------------------------------------------------
bench_burst() {
	local now at p50 p99
	rcli FLUSHALL >/dev/null
	write_conf "$T/two.conf" "$hook_PORT" batch=1024 hook.concurrency=$PAR
	cat >>"$T/two.conf" <<EOC

[channel mail]
type = webhook
contact = email
url = http://127.0.0.1:$mail_PORT/mail
concurrency = 8
digest = no
EOC
	now=$(now_ms)
	at=$((now + 3000))
	seed 100000 $at 0 hook burst
	seed 4000 $at 5 mail trickle		# 200 a second for 20 s
	: >"$T/mail.log"
	bg two "$NHACVIECD" -c "$T/two.conf"
	wait_until 300 '[ "$(fake_count mail)" -ge 4000 ]' || fail "the trickle did not finish"
	stop two
	awk -F'\t' -v at="$at" '{ n = $1; sub(/.*agency-/, "", n); sub(/\/.*/, "", n)
    print $3 - (at + (n - 1) * 5) }' "$T/mail.log" | sort -n >"$T/late.txt"
	p50=$(awk '{ a[NR] = $1 } END { print a[int(NR * 0.5)] }' "$T/late.txt")
	p99=$(awk '{ a[NR] = $1 } END { print a[int(NR * 0.99)] }' "$T/late.txt")
	say "4. 100,000 due at one instant on one channel, 200 a second on another: the trickle's lateness p50 $p50 ms, p99 $p99 ms"
}

redis_start
fake_start hook
fake_start mail
[ -z "${BENCH_ARCHIVE:-}" ] || { bench_archive; exit 0; }
[ -z "${BENCH_RSS:-}" ] || { bench_backlog; exit 0; }
[ -z "${BENCH_BURST:-}" ] || { bench_burst; exit 0; }

# --- 1. delivery ----------------------------------------------------------
AG=200
TASKS=${BENCH_TASKS:-100}
N=$((AG * TASKS))
mkdir -p "$T/plan"
{
	printf '[calendar]\ntimezone = Asia/Ho_Chi_Minh\nworkdays = mon-sun\n'
	printf 'holidays = 2022-01-03\n\n'
	members=
	for ((a = 1; a <= AG; a++)); do
		printf '[agency ag-%d]\nname = Cơ quan %d\nemail = a%d@example.gov.vn\n\n' $a $a $a
		members="$members${members:+, }ag-$a"
	done
	printf '[group all]\nname = Tất cả\nmembers = %s\n\n' "$members"
	for ((t = 1; t <= TASKS; t++)); do
		printf '[task t-%d]\ntitle = Nhiệm vụ thử %d\nlead = ag-1\npartners = all\n' $t $t
		printf 'date = 2022-04-27\nremind = end@08:00\nchannels = hook\n\n'
	done
} >"$T/plan/bench.conf"
nginx_start
write_conf "$T/nv.conf" "$SINK_PORT" batch=1024 hook.concurrency=$PAR
printf '\n[plan]\nfiles = %s/plan/*.conf\n' "$T" >>"$T/nv.conf"

# Baseline: curl alone, a body of the same size, same parallelism.
body='{"id":"t-1/2022-04-27/end@08:00/ag-1/hook","task":"t-1","title":"Nhiệm vụ thử 1","agency":"ag-1","agency_name":"Cơ quan 1","due":"2022-04-27","fire_at":"2022-04-27T08:00:00+07:00","text":"Kính gửi: Lãnh đạo Cơ quan 1. Nhắc việc: Nhiệm vụ thử 1. Thời hạn: Thứ Tư, ngày 27/04/2022."}'
: >"$T/curl.cfg"
qbody=${body//\"/\\\"}
for ((i = 0; i < N; i++)); do
	# "next" ends one transfer's options: without it the data would pile up.
	[ $i -eq 0 ] || echo next >>"$T/curl.cfg"
	printf 'url = "http://127.0.0.1:%s/base"\ndata = "%s"\noutput = /dev/null\nheader = "Content-Type: application/json"\n' \
	    "$SINK_PORT" "$qbody" >>"$T/curl.cfg"
done
t0=$(now_ms)
cc0=$(awk '{ print $16 + $17 }' /proc/$$/stat)
curl -s --no-progress-meter --parallel --parallel-max $PAR -K "$T/curl.cfg" || fail "curl baseline"
t1=$(now_ms)
# The CPU curl used: what this shell's waited-for children used since.
ccpu=$(( $(awk '{ print $16 + $17 }' /proc/$$/stat) - cc0 ))
base_ms=$((t1 - t0))
# The floor: the daemon's own HTTP layer sending the same body, nothing else.
floor=$("$NV_ROOT/build/rel/tests/bench/http_floor" "http://127.0.0.1:$SINK_PORT/floor" \
    "$N" "$PAR" "$body") || fail "the HTTP floor"

rcli CONFIG RESETSTAT >/dev/null
c0=$(calls)
r0=$(ticks "$(pid_of redis)")
k0=$(sink_ticks)
t0=$(now_ms)
bg nv ${BENCH_PERF:+perf record --call-graph dwarf,8192 -F ${BENCH_PERF_F:-499} -o "$T/perf.data"} "$NHACVIECD" -c "$T/nv.conf" \
    --clock 2022-04-27T08:00:01+07:00
# BENCH_STRACE=1: the daemon's system calls counted (strace -c).
[ -z "${BENCH_STRACE:-}" ] || strace -c -o "$T/strace.txt" -p "$(pid_of nv)" 2>/dev/null &
# Every delivery adds one ledger entry: XLEN is cheap to poll, where
# reading every state would take the CPU being measured.
wait_until 600 "[ \"\$(rcli XLEN '{t}:log')\" -ge $N ]" ||
    fail "delivery did not finish: $(rcli XLEN '{t}:log') ledger entries of $N"
# The end: when Redis recorded the last outcome (the ms of its ledger
# entry's id), not when this loop, polling every 0.1 s, noticed.
t1=$(rcli XREVRANGE '{t}:log' + - COUNT 1 | head -1 | cut -d- -f1)
wait_until 60 "[ \"\$(state_count sent)\" -ge $N ]" ||
    fail "delivery did not finish: $(state_count sent) of $N sent"
nv_ms=$((t1 - t0))
pid=$(pid_of nv)
cpu=$(ticks "$pid")
rcpu=$(( $(ticks "$(pid_of redis)") - r0 ))
kcpu=$(( $(sink_ticks) - k0 ))
rss=$(hwm_kb "$pid")
c1=$(calls)
ev=$(evals)
mix=$(rcli INFO commandstats | tr -d '\r' | awk -F'[:=,]' -v n=$N '
    /^cmdstat_/ { c = $1; sub("cmdstat_", "", c)
        if (c !~ /^(info|config|xlen|hvals|zcard|ping|hello|client|flushall|evalsha|eval)$/ && $3 / n >= 0.05)
            printf "%s %.2f, ", c, $3 / n }')
stop nv
stop sink	# its access log written out
rcli INFO commandstats >"$T/commandstats.txt"
sent=$(state_count sent)
cpd=$(awk -v a="$c0" -v b="$c1" -v e="$ev" -v n="$sent" 'BEGIN { printf "%.2f", (b - a - e) / n }')
cpde=$(awk -v a="$c0" -v b="$c1" -v n="$sent" 'BEGIN { printf "%.2f", (b - a) / n }')
cpu1k=$(awk -v c="$cpu" -v t="$TCK" -v n="$sent" 'BEGIN { printf "%.4f", c / t / n * 1000 }')
ratio=$(awk -v b="$base_ms" -v d="$nv_ms" 'BEGIN { printf "%.2f", b / d }')
say "1. delivery of $N planned reminders to a loopback webhook, nginx (parallelism $PAR):"
say "   curl alone (baseline)       $(printf '%7d' $base_ms) ms  $(awk -v n=$N -v b=$base_ms 'BEGIN { printf "%8.0f", n * 1000 / b }') requests/s"
say "   nhacviecd end to end        $(printf '%7d' $nv_ms) ms  $(awk -v n=$N -v d=$nv_ms 'BEGIN { printf "%8.0f", n * 1000 / d }') reminders/s ($sent sent: planned, claimed, built, sent, recorded)"
say "   HTTP layer alone (floor)    $(printf '%7d' ${floor% *}) ms  $(awk -v n=$N -v b=${floor% *} 'BEGIN { printf "%8.0f", n * 1000 / b }') requests/s (daemon/http.c sending the body, no Redis, plan or JSON)"
say "   ratio nhacviecd/curl        $ratio of the baseline       (target >= 0.90)"
# The same at the sink, first request to last: the daemon's start, plan and
# the test's polling left out, as curl's reading of its 20,000 transfers.
span=$(awk '{ ms = $1 * 1000 } $2 == "/hook" { if (!h0) h0 = ms; h1 = ms } $2 == "/base" { if (!b0) b0 = ms; b1 = ms }
    END { printf "%d %d", b1 - b0, h1 - h0 }' "$T/nginx/access.log")
say "   at the sink, first to last  curl $(echo "$span" | cut -d' ' -f1) ms, nhacviecd $(echo "$span" | cut -d' ' -f2) ms: $(echo "$span" | awk '{ printf "%.2f", $1 / $2 }') of the baseline"
say "   CPU per 1,000 deliveries    $cpu1k s                    (target <= 0.025)"
say "   curl's own CPU per 1,000    $(awk -v c="$ccpu" -v t="$TCK" -v n="$N" 'BEGIN { printf "%.4f", c / t / n * 1000 }') s (the baseline's sender)"
say "   the floor's CPU per 1,000   $(awk -v c="${floor#* }" -v n="$N" 'BEGIN { printf "%.4f", c / n * 1000 }') s (the daemon's HTTP layer alone)"
say "   beside it, per 1,000         Redis $(awk -v c="$rcpu" -v t="$TCK" -v n="$sent" 'BEGIN { printf "%.4f", c / t / n * 1000 }') s, the sink (nginx) $(awk -v c="$kcpu" -v t="$TCK" -v n="$sent" 'BEGIN { printf "%.4f", c / t / n * 1000 }') s of CPU"
say "   Redis commands per delivery $cpd, $cpde with the EVALSHAs   (target <= 6)"
say "   of which (per delivery)     ${mix%, }"
say "   daemon peak RSS             $((rss / 1024)) MiB"

# BENCH_ONE=1: the delivery figures only (with BENCH_PERF=1: a profile).
[ -z "${BENCH_ONE:-}" ] || exit 0

# --- 2. memory per planned reminder ----------------------------------------
rcli FLUSHALL >/dev/null
m0=$(used)
rcli --eval "$(nv_lua tests/bench/plant.lua)" '{t}:due' , synthetic >/dev/null ||
    fail "planting a million reminders"
[ "$(rcli ZCARD '{t}:due:zalo')" -eq 1000000 ] || fail "a million reminders were not planted"
m1=$(used)
per=$(( (m1 - m0) / 1000000 ))
say "2. Redis memory per planned reminder: $per bytes (1,000,000 planned: $(( (m1 - m0) / 1048576 )) MiB)   (target <= 150)"
# The same with the shipped plan's own ids (their length is what counts):
# its reminders of 2022 in 500 districts.
rcli FLUSHALL >/dev/null
district_conf 1
"$NHACVIEC" -c "$T/d1.conf" preview --from 2022-01-01 --to 2022-12-31 \
    --format tsv >"$T/plan2022.tsv" || fail "preview of 2022"
"$NV_PYTHON" - "$T/plan2022.tsv" >"$T/year.args" <<'EOP' || fail "the plan's ids"
import datetime, sys
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()[1:]
for r in rows:
    at, task, due, agency, channel, spec = r.split("\t")
    ms = int(datetime.datetime.fromisoformat(at).timestamp() * 1000)
    print(f"{task}/{due}/{spec}/{agency}/{channel}\n{ms}")
EOP
n=$(($(wc -l <"$T/year.args") / 2))
m0=$(used)
xargs -d '\n' -n 1000 -a "$T/year.args" redis-cli -s "$T/redis.sock" --eval \
    "$(nv_lua tests/bench/plant.lua)" , plan 500 >/dev/null ||
    fail "planting the shipped plan"
m1=$(used)
say "   the shipped plan's ids: $(( (m1 - m0) / (n * 500) )) bytes each (its $n reminders of 2022 in 500 districts)"

bench_backlog

# --- 4. (bench_burst, above) -----------------------------------------------
bench_burst

# --- 5. idle ---------------------------------------------------------------------
rcli FLUSHALL >/dev/null
seed 100000 $((NV_CLOCK_MS + 86400000)) 1 hook idle
bg idle "$NHACVIECD" -c "$T/plain.conf" --clock "$NV_CLOCK"
wait_until 30 "grep -q 'ready: consumer' '$T/idle.out'" || fail "idle daemon not ready"
pid=$(pid_of idle)
a=$(ticks "$pid")
sleep 5 & spid=$!
wait $spid
b=$(ticks "$pid")
stop idle
say "5. idle for 5 s holding 100,000 future reminders: $((b - a)) clock ticks ($TCK/s); sleep 5 (baseline): 0"

bench_archive

{
	echo "# make bench: the last run"
	echo
	echo "Written by tests/bench/run.sh; the figures of one run, on the machine below."
	echo "No test passes or fails on them: they are read, and compared with the"
	echo "baseline measured in the same run."
	echo
	echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
	echo "- $(redis-server --version | cut -d' ' -f1-3), $(curl --version | head -1 | cut -d' ' -f1-2)"
	echo "- date: $(date -u +%Y-%m-%d)"
	echo
	echo '```'
	cat "$RES"
	echo '```'
} >"$NV_ROOT/tests/bench/RESULTS.md"
echo "(written to tests/bench/RESULTS.md)"
