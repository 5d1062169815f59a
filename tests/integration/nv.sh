# Helpers for the daemon scenarios, on top of lib.sh: configs, seeding, the daemon.

# The virtual instant every scenario starts at, and the same in epoch ms.
NV_CLOCK=2022-04-27T08:00:00+07:00
NV_CLOCK_MS=1651021200000

# write_conf FILE HOOK_PORT [extra lines for [delivery]]: a test config.
write_conf() {
	cat >"$1" <<EOC
[redis]
address = unix:$T/redis.sock
prefix = t
consumer = test-1
connect_timeout = 1s

[delivery]
hours = 00:00-24:00
grace = 6h
max_attempts = 3
retry_base = 1s
retry_max = 2s
reclaim_idle = 10s
drain_timeout = 10s
$3

[channel hook]
type = webhook
contact = email
url = http://127.0.0.1:$2/hook
timeout = 5s
concurrency = 8
EOC
}

# seed N AT_MS STEP_MS CHANNEL TAG: N reminders due from AT_MS on.
seed() {
	rcli --eval "$NV_ROOT/tests/integration/seed.lua" '{t}:reminders' \
	    '{t}:due' , "$1" "$2" "$3" "$4" "$5" >/dev/null ||
	    fail "seeding $1 reminders"
}

# daemon_start NAME CONF [ARGS]: nhacviecd on the virtual clock, until ready.
daemon_start() {
	local name=$1 conf=$2
	shift 2
	bg "$name" "$NHACVIECD" -c "$conf" --clock "$NV_CLOCK" "$@"
	wait_until 20 "grep -q 'ready: consumer' '$T/$name.out'" ||
	    fail "$name did not become ready"
}

ledger_count() {
	rcli XLEN '{t}:log'
}

# The number of reminders whose state is $1 (sent, dead, queued, missed).
state_count() {
	rcli HVALS '{t}:state' | grep -cx "$1" || true
}

# Distinct reminder ids in the ledger.
ledger_unique() {
	rcli XRANGE '{t}:log' - + | awk 'p { print; p = 0 } $0 == "id" { p = 1 }' |
	    sort -u | wc -l
}
