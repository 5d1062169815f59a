# The scenarios' process harness: work dir, background processes, assertions, waiting, a real redis-server and Cluster.
#
# A scenario begins with
#	. "$(dirname "$0")/harness.sh"
#	. "$(dirname "$0")/fakes.sh"
#	nv_setup "$(basename "$0" .sh)"
# Every process started with bg (and so redis_start and fake_start) is
# stopped by the EXIT trap, which then fails the scenario if any $T/*.out
# holds a sanitizer report. The work dir $T is kept for debugging.
# Note: bg shadows the job-control builtin of the same name.

: "${NV_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${NHACVIECD:=$NV_ROOT/build/san/nhacviecd}"
: "${NHACVIEC:=$NV_ROOT/build/san/nhacviec}"
: "${NV_STOP_WAIT:=30}"		# seconds stop waits before SIGKILL
: "${NV_PYTHON:=/usr/bin/python3}"	# Debian's, which has aiosmtpd
export NV_ROOT NHACVIECD NHACVIEC NV_PYTHON

# The programs speak the caller's language (LANG=vi_VN.UTF-8: Vietnamese);
# the scenarios assert on their English, whatever the caller's language.
# t_306_vietnamese asks for Vietnamese itself.
unset LANGUAGE
case ${LC_ALL:-C} in C | C.* | POSIX) ;; *) export LC_ALL=C.UTF-8 ;; esac
export LC_MESSAGES=C

declare -A NV_PID=()		# bg name -> pid
NV_SAN_RE='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:'

# --- failing and asserting -------------------------------------------------

# Only ends the scenario from its main shell, not from inside $(...).
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

_nv_int() {
	[[ $1 =~ ^-?[0-9]+$ ]] || fail "$2: '$1' is not an integer"
}

assert_le() {
	_nv_int "$1" "$3"; _nv_int "$2" "$3"
	[ "$1" -le "$2" ] || fail "$3: expected $1 <= $2"
}

assert_ge() {
	_nv_int "$1" "$3"; _nv_int "$2" "$3"
	[ "$1" -ge "$2" ] || fail "$3: expected $1 >= $2"
}

# PATTERN is an extended regular expression (grep -E).
assert_grep() {
	[ -f "$2" ] || fail "$3: no file $2"
	grep -Eq -- "$1" "$2" || fail "$3: no line matching /$1/ in $2"
}

assert_no_grep() {
	[ -f "$2" ] || return 0
	if grep -Eq -- "$1" "$2"; then
		grep -E -m 5 -- "$1" "$2" >&2
		fail "$3: found /$1/ in $2"
	fi
}

# Fails if $T/NAME.out holds an ASan, LSan or UBSan report.
san_check() {
	local f=$T/$1.out
	[ -f "$f" ] || fail "san_check: no file $f"
	if grep -Eq -- "$NV_SAN_RE" "$f"; then
		grep -E -A 30 -m 1 -- "$NV_SAN_RE" "$f" >&2
		fail "sanitizer report in $f"
	fi
}

# --- time and waiting ------------------------------------------------------

# Wall-clock milliseconds since the epoch, as in the fakes' RECV_MS column.
now_ms() {
	local us=${EPOCHREALTIME//[!0-9]/}
	echo $((us / 1000))
}

# Seconds, possibly with a fraction ("2", "0.5"), as milliseconds.
_nv_ms() {
	local i=${1%%.*} f=0
	if [[ $1 == *.* ]]; then
		f=${1#*.}000
		f=${f:0:3}
	fi
	echo $((10#${i:-0} * 1000 + 10#$f))
}

# wait_until SECONDS CMD [ARGS...]: polls CMD every 0.1 s until it succeeds.
# A single argument is a shell string, evaluated afresh at each poll:
#	wait_until 5 '[ "$(fake_count hook)" -ge 3 ]'
wait_until() {
	local end=$(($(now_ms) + $(_nv_ms "$1")))
	shift
	while :; do
		if [ $# -eq 1 ]; then
			eval "$1" >/dev/null 2>&1 && return 0
		else
			"$@" >/dev/null 2>&1 && return 0
		fi
		[ "$(now_ms)" -lt "$end" ] || break
		sleep 0.1
	done
	echo "wait_until: gave up waiting for: $*" >&2
	return 1
}

# A TCP port on 127.0.0.1 that nothing listens on (for a moment).
free_port() {
	"$NV_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# --- background processes --------------------------------------------------

# True while pid runs (a zombie not yet reaped counts as gone).
_nv_running() {
	local line st
	[ -n "$1" ] && read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	st=${line##*) }
	[ "${st%% *}" != Z ]
}

# bg NAME CMD [ARGS...]: runs CMD with stdout and stderr appended to $T/NAME.out.
bg() {
	local name=$1
	shift
	[ -z "${NV_PID[$name]:-}" ] || fail "bg: $name is already running"
	# Traps off around the fork: a child signalled before its exec would
	# run them (bash runs the EXIT trap even on a fatal signal).
	trap - EXIT HUP INT TERM
	"$@" </dev/null >>"$T/$name.out" 2>&1 &
	NV_PID[$name]=$!
	[ -z "${NV_MAIN_PID:-}" ] || _nv_traps
}

pid_of() {
	[ -n "${NV_PID[$1]:-}" ] || return 1
	echo "${NV_PID[$1]}"
}

# True while the process started as NAME runs.
alive() {
	_nv_running "${NV_PID[$1]:-}"
}

# stop NAME [SIGNAL]: signals (TERM), waits, returns the exit status (128+N if killed).
stop() {
	local name=$1 sig=${2:-TERM} pid rc n=0 killed=
	pid=${NV_PID[$name]:-}
	[ -n "$pid" ] || fail "stop: no process named $name"
	kill -s "$sig" "$pid" 2>/dev/null
	# stderr off: bash's "Killed" notice when it reaps the child.
	{
		while _nv_running "$pid"; do
			if ((n++ >= NV_STOP_WAIT * 10)); then
				kill -KILL "$pid"
				killed=1
				break
			fi
			sleep 0.1
		done
		wait "$pid"
	} 2>/dev/null
	rc=$?
	unset "NV_PID[$name]"
	[ -z "$killed" ] ||
	    echo "stop: $name still ran $NV_STOP_WAIT s after SIG$sig: killed" >&2
	return $rc
}

kill9() {
	stop "$1" KILL
	return 0
}

# The EXIT trap: stops what is left, then fails on any sanitizer report.
_nv_cleanup() {
	local rc=$? name pid n f
	[ "$BASHPID" = "$NV_MAIN_PID" ] || exit "$rc"
	{
		for name in "${!NV_PID[@]}"; do
			kill -TERM "${NV_PID[$name]}"
		done
		for name in "${!NV_PID[@]}"; do
			pid=${NV_PID[$name]}
			n=0
			while _nv_running "$pid" && ((n++ < 50)); do
				sleep 0.1
			done
			kill -KILL "$pid"
			wait "$pid"
		done
	} 2>/dev/null
	NV_PID=()
	for f in "$T"/*.out; do
		if [ -f "$f" ] && grep -Eq -- "$NV_SAN_RE" "$f"; then
			grep -E -A 30 -m 1 -- "$NV_SAN_RE" "$f" >&2
			echo "FAIL: sanitizer report in $f" >&2
			[ "$rc" -ne 0 ] || rc=1
		fi
	done
	exit "$rc"
}

# nv_setup NAME: makes a fresh work dir $NV_ROOT/tests/tmp/NAME, exported as T.
# run.sh keeps its log of the scenario, $NV_TEST_LOG, inside that dir.
nv_setup() {
	local f
	[[ $1 =~ ^[A-Za-z0-9_.-]+$ ]] || fail "nv_setup: bad name '$1'"
	T=$NV_ROOT/tests/tmp/$1
	export T
	mkdir -p "$T" || fail "cannot create $T"
	for f in "$T"/* "$T"/.[!.]*; do
		[ -e "$f" ] && [ "$f" != "${NV_TEST_LOG:-}" ] && rm -rf -- "$f"
	done
	NV_MAIN_PID=$BASHPID
	_nv_traps
}

_nv_traps() {
	trap _nv_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# --- Redis -----------------------------------------------------------------

rcli() {
	redis-cli -s "$T/redis.sock" "$@"
}

redis_ping() {
	[ "$(rcli ping 2>/dev/null)" = PONG ]
}

# A private redis-server on $T/redis.sock, data (AOF) in $T.
redis_start() {
	[ ${#T} -lt 90 ] || fail "redis_start: $T too long for a unix socket"
	rm -f "$T/redis.sock"
	bg redis redis-server --port 0 --unixsocket "$T/redis.sock" \
	    --unixsocketperm 700 --dir "$T" --appendonly yes \
	    --appendfsync everysec --save "" --logfile "$T/redis.log" \
	    --daemonize no
	wait_until 10 redis_ping || fail "redis did not start, see $T/redis.log"
}

# SIGTERM: Redis flushes the AOF and exits; returns its exit status.
redis_stop() {
	stop redis TERM
}

redis_restart() {
	redis_stop || fail "redis exited with status $? on SIGTERM"
	redis_start
}

# --- a Redis Cluster --------------------------------------------------------

# cluster_start: six redis-server in cluster mode on loopback (three
# masters, a replica each; cluster-node-timeout CLUSTER_NODE_TIMEOUT ms,
# default 1000; cluster-require-full-coverage no, as README advises for a
# province), joined by `redis-cli --cluster create`. Each node's files
# are in $T/cluster/PORT. Sets CLUSTER_PORTS (all six) and CLUSTER_SEEDS
# ("127.0.0.1:P, 127.0.0.1:P, ..." for [redis] cluster). Processes are
# named node-PORT (stop node-PORT KILL kills one).
cluster_start() {
	local i port bus
	local -a addrs=()
	CLUSTER_PORTS=()
	for i in 1 2 3 4 5 6; do
		port=$(free_port)
		bus=$(free_port)
		mkdir -p "$T/cluster/$port"
		bg "node-$port" redis-server --port "$port" --bind 127.0.0.1 \
		    --cluster-enabled yes --cluster-port "$bus" \
		    --cluster-config-file nodes.conf \
		    --cluster-node-timeout "${CLUSTER_NODE_TIMEOUT:-1000}" \
		    --cluster-require-full-coverage "${CLUSTER_FULL_COVERAGE:-no}" \
		    --dir "$T/cluster/$port" --appendonly yes \
		    --appendfsync everysec --save "" \
		    --logfile "$T/cluster/$port/redis.log" --daemonize no
		CLUSTER_PORTS+=("$port")
		addrs+=("127.0.0.1:$port")
	done
	for port in "${CLUSTER_PORTS[@]}"; do
		wait_until 10 "[ \"\$(redis-cli -p $port ping 2>/dev/null)\" = PONG ]" ||
		    fail "cluster node $port did not start, see $T/cluster/$port/redis.log"
	done
	redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 \
	    --cluster-yes >"$T/cluster/create.out" 2>&1 ||
	    fail "redis-cli --cluster create failed, see $T/cluster/create.out"
	for port in "${CLUSTER_PORTS[@]}"; do
		wait_until 30 "redis-cli -p $port cluster info | grep -q '^cluster_state:ok'" ||
		    fail "cluster node $port: $(redis-cli -p "$port" cluster info | head -1)"
	done
	CLUSTER_SEEDS=$(printf '127.0.0.1:%s, ' "${CLUSTER_PORTS[@]}")
	CLUSTER_SEEDS=${CLUSTER_SEEDS%, }
	export CLUSTER_SEEDS
}

# A node of the Cluster that answers (the first of CLUSTER_PORTS alive).
cluster_any() {
	local port
	for port in "${CLUSTER_PORTS[@]}"; do
		if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# cluster_owner KEY [PORT]: the port of the master serving KEY's slot, as
# CLUSTER NODES of PORT (default: any node alive) says; nothing if none.
cluster_owner() {
	local at=${2:-$(cluster_any)} slot
	slot=$(redis-cli -p "$at" CLUSTER KEYSLOT "$1")
	redis-cli -p "$at" CLUSTER NODES | awk -v s="$slot" '
	$3 ~ /master/ && $3 !~ /(^|,)fail(,|$)/ {
		for (i = 9; i <= NF; i++) {
			if ($i ~ /^\[/)
				continue
			n = split($i, r, "-")
			lo = r[1]; hi = n > 1 ? r[2] : r[1]
			if (s + 0 >= lo + 0 && s + 0 <= hi + 0) {
				split($2, a, "[:@]")
				print a[2]
				exit
			}
		}
	}'
}

# The ports of the masters, as CLUSTER NODES says now.
cluster_masters() {
	redis-cli -p "$(cluster_any)" CLUSTER NODES |
	    awk '$3 ~ /master/ && $3 !~ /(^|,)fail(,|$)/ { split($2, a, "[:@]"); print a[2] }'
}

# cluster_keys PORT PREFIX: how many keys of {PREFIX}: the node holds.
cluster_keys() {
	redis-cli -p "$1" --scan --pattern "{$2}:*" | wc -l
}

# cluster_districts N: N district names (prefixes) spread over the masters
# as evenly as their slots allow (N masters: one each), one a line.
cluster_districts() {
	local name owner n=0 round
	local -A per=() owner_of=() taken=()
	local -a names=(thanh-tri my-tu chau-thanh nga-nam ke-sach long-phu
	    cu-lao-dung my-xuyen tran-de vinh-chau soc-trang)
	for name in "${names[@]}"; do
		owner_of[$name]=$(cluster_owner "{$name}:")
	done
	for round in 1 2 3 4 5 6 7 8 9 10 11; do
		for name in "${names[@]}"; do
			owner=${owner_of[$name]}
			[ -n "$owner" ] && [ -z "${taken[$name]:-}" ] &&
			    [ "${per[$owner]:-0}" -lt "$round" ] || continue
			taken[$name]=1
			per[$owner]=$((${per[$owner]:-0} + 1))
			echo "$name"
			((++n < $1)) || return 0
		done
	done
	return 1
}
