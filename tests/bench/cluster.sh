#!/bin/bash
# make bench-cluster: a province's scale-out. BENCH_DISTRICTS districts
# (default 3), each its own prefix, daemon and webhook, each with
# BENCH_N reminders due now (default 10,000), delivered twice in the same
# run: all on one redis-server (the baseline), then on a local Redis
# Cluster of three masters and three replicas. Prints deliveries per
# second and, per Redis master, the commands per delivery (INFO
# commandstats before and after: the commands the daemons sent, and those
# their scripts ran). Prints numbers; never passes or fails on time.
set -u
NV_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export NHACVIECD=$NV_ROOT/build/nhacviecd FAKE_WEBHOOK=$NV_ROOT/build/rel/tests/fake_webhook
. "$NV_ROOT/tests/integration/harness.sh"
. "$NV_ROOT/tests/integration/fakes.sh"
. "$NV_ROOT/tests/integration/nv.sh"
nv_setup bench-cluster
D=${BENCH_DISTRICTS:-3}
N=${BENCH_N:-10000}
PAR=32

# commandstats PORT|sock: "calls scripts" since the last CONFIG RESETSTAT,
# leaving out what the bench itself asks (INFO, CONFIG, XLEN).
commandstats() {
	local -a cli=(redis-cli -p "$1")
	[ "$1" = sock ] && cli=(redis-cli -s "$T/redis.sock")
	"${cli[@]}" INFO commandstats | tr -d '\r' | awk -F '[:=,]' '
	/^cmdstat_/ {
		c = substr($1, 9)
		if (c == "info" || c == "config" || c == "xlen")
			next
		calls += $3
		if (c == "evalsha" || c == "eval")
			scripts += $3
	}
	END { print calls + 0, scripts + 0 }'
}

# cpu PORT|sock: the CPU seconds the server has used (user and system).
cpu() {
	local -a cli=(redis-cli -p "$1")
	[ "$1" = sock ] && cli=(redis-cli -s "$T/redis.sock")
	"${cli[@]}" INFO cpu | tr -d '\r' | awk -F: '
	$1 == "used_cpu_user" || $1 == "used_cpu_sys" { t += $2 }
	END { printf "%.3f\n", t }'
}

# run_districts LABEL: starts a daemon per district (configs
# $T/LABEL-DISTRICT.conf, reminders seeded), waits until every webhook has
# them all; the milliseconds it took in RUN_MS.
run_districts() {
	local label=$1 d i=0 t0 t1
	t0=$(now_ms)
	for d in "${districts[@]}"; do
		bg "$label-$d" "$NHACVIECD" -c "$T/$label-$d.conf" --clock "$NV_CLOCK"
	done
	for d in "${districts[@]}"; do
		i=$((i + 1))
		wait_until 1200 "[ \"\$(fake_ok_count hook$i)\" -ge $N ]" ||
		    fail "$label $d: $(fake_ok_count "hook$i") of $N delivered"
	done
	t1=$(now_ms)
	for d in "${districts[@]}"; do
		stop "$label-$d"
	done
	RUN_MS=$((t1 - t0))
}

# write_district LABEL DISTRICT HOOK_PORT KEY=VALUE...: its config.
write_district() {
	local label=$1 d=$2 port=$3
	shift 3
	write_conf "$T/$label-$d.conf" "$port" prefix="$d" consumer="bench-$d" \
	    batch=1024 hook.concurrency=$PAR "$@"
}

for ((i = 1; i <= D; i++)); do
	fake_start "hook$i"
done

# --- one redis-server ---------------------------------------------------------
redis_start
cluster_start
mapfile -t districts < <(cluster_districts "$D") ||
    fail "cannot spread $D districts over the masters"
i=0
for d in "${districts[@]}"; do
	i=$((i + 1))
	port_var=hook${i}_PORT
	write_district single "$d" "${!port_var}"
	write_district cluster "$d" "${!port_var}" address= "cluster=$CLUSTER_SEEDS"
	rcli --eval "$(nv_lua tests/integration/seed.lua)" "{$d}:reminders" \
	    "{$d}:due" , "$N" $((NV_CLOCK_MS - 1000)) 0 hook "$d" >/dev/null ||
	    fail "seeding $d"
done
rcli CONFIG RESETSTAT >/dev/null
cpu0=$(cpu sock)
run_districts single
single_ms=$RUN_MS
read -r single_calls single_scripts < <(commandstats sock)
single_cpu=$(awk -v a="$cpu0" -v b="$(cpu sock)" 'BEGIN { printf "%.2f", b - a }')
redis_stop
for ((i = 1; i <= D; i++)); do
	: >"$T/hook$i.log"	# the cluster run counts afresh
done

# --- the Cluster -----------------------------------------------------------
declare -A shard_deliveries=()
for d in "${districts[@]}"; do
	owner=$(cluster_owner "{$d}:")
	redis-cli -p "$owner" --eval "$(nv_lua tests/integration/seed.lua)" \
	    "{$d}:reminders" "{$d}:due" , "$N" $((NV_CLOCK_MS - 1000)) 0 hook \
	    "$d" >/dev/null || fail "seeding $d on $owner"
	shard_deliveries[$owner]=$((${shard_deliveries[$owner]:-0} + N))
done
masters=$(cluster_masters | sort -n)
declare -A cpu0=()
for m in $masters; do
	redis-cli -p "$m" CONFIG RESETSTAT >/dev/null
	cpu0[$m]=$(cpu "$m")
done
run_districts cluster
cluster_ms=$RUN_MS

total=$((D * N))
echo "$D districts x $N reminders, webhook concurrency $PAR each; Redis commands"
echo "counted by INFO commandstats, the commands a script runs included:"
awk -v t="$total" -v ms="$single_ms" -v c="$single_calls" -v s="$single_scripts" \
    -v cpu="$single_cpu" 'BEGIN {
	printf "  one redis-server          %7d ms  %8.0f deliveries/s  %6.2f commands per delivery (%.2f script calls), Redis CPU %.2f s\n",
	    ms, t * 1000 / ms, c / t, s / t, cpu
}'
awk -v t="$total" -v ms="$cluster_ms" -v base="$single_ms" 'BEGIN {
	printf "  Redis Cluster, 3 masters  %7d ms  %8.0f deliveries/s  (%.2f times the one-server figure)\n",
	    ms, t * 1000 / ms, base / ms
}'
for m in $masters; do
	read -r calls scripts < <(commandstats "$m")
	names=
	for d in "${districts[@]}"; do
		[ "$(cluster_owner "{$d}:")" = "$m" ] && names="$names $d"
	done
	awk -v m="$m" -v names="${names:- (none)}" -v dl="${shard_deliveries[$m]:-0}" \
	    -v c="$calls" -v s="$scripts" -v a="${cpu0[$m]}" -v b="$(cpu "$m")" 'BEGIN {
		printf "    master %-6s%-24s %7d deliveries  ", m, names, dl
		if (dl > 0)
			printf "%6.2f commands per delivery (%.2f script calls), Redis CPU %.2f s\n",
			    c / dl, s / dl, b - a
		else
			printf "%6d commands, Redis CPU %.2f s\n", c, b - a
	}'
done
echo "  (both runs on this machine, $(nproc) CPUs shared by the daemons, webhooks and Redis)"
