# Helpers for the daemon scenarios, on top of harness.sh and fakes.sh: configs, seeding, the daemon.

# The virtual instant every scenario starts at, and the same in epoch ms.
NV_CLOCK=2022-04-27T08:00:00+07:00
NV_CLOCK_MS=1651021200000

# conf_base [KEY=VALUE...]: the [redis], [ledger] and [delivery] of every
# test config, on standard output. Each argument sets a key of one of them,
# replacing the default ("max_attempts=50", "consumer=test-2", "keep=30d");
# KEY= leaves the key out ("address= cluster=$CLUSTER_SEEDS"). The archive
# is under $T, never the system's.
conf_base() {
	local -A set=()
	local kv k
	for kv in "$@"; do
		[[ $kv == *=* ]] || fail "conf_base: '$kv' is not KEY=VALUE"
		k=${kv%%=*}
		k=${k//[[:space:]]/}
		set[$k]=${kv#*=}
		set[$k]=${set[$k]#"${set[$k]%%[![:space:]]*}"}
	done
	_nv_section redis "address=unix:$T/redis.sock" prefix=t consumer=test-1 \
	    connect_timeout=1s username= password_file= sentinels= master= \
	    cluster=
	echo
	_nv_section ledger keep= "archive_dir=$T/archive"
	echo
	_nv_section delivery hours=00:00-24:00 grace=6h max_attempts=3 \
	    retry_base=1s retry_max=2s reclaim_idle=10s drain_timeout=10s
}

# _nv_section NAME KEY=DEFAULT...: one section; conf_base's set[] wins, and
# keys of set[] this section does not know go to [delivery].
_nv_section() {
	local name=$1 kv k
	shift
	echo "[$name]"
	for kv in "$@"; do
		k=${kv%%=*}
		if [ -n "${set[$k]+x}" ]; then
			[ -z "${set[$k]}" ] || echo "$k = ${set[$k]}"
			unset "set[$k]"
		elif [ -n "${kv#*=}" ]; then	# KEY= : no default, not written
			echo "$k = ${kv#*=}"
		fi
	done
	if [ "$name" = delivery ]; then
		for k in "${!set[@]}"; do
			echo "$k = ${set[$k]}"
		done
	fi
}

# write_conf FILE HOOK_PORT [KEY=VALUE...]: a test config with one webhook
# channel, hook; hook.KEY=VALUE sets a key of the channel (hook.timeout,
# hook.concurrency, hook.digest: no unless set), other keys go to conf_base.
write_conf() {
	local file=$1 port=$2 kv timeout=5s concurrency=8 digest=no
	local -a rest=() more=()
	shift 2
	for kv in "$@"; do
		case $kv in
		hook.timeout=*)		timeout=${kv#*=} ;;
		hook.concurrency=*)	concurrency=${kv#*=} ;;
		hook.digest=*)		digest=${kv#*=} ;;
		hook.*=*)		kv=${kv#hook.}; more+=("${kv%%=*} = ${kv#*=}") ;;
		*)			rest+=("$kv") ;;
		esac
	done
	{ conf_base "${rest[@]}"; cat <<EOC

[channel hook]
type = webhook
contact = email
url = http://127.0.0.1:$port/hook
timeout = $timeout
concurrency = $concurrency
digest = $digest
EOC
	[ ${#more[@]} -eq 0 ] || printf '%s\n' "${more[@]}"
	} >"$file"
}

# nv_lua FILE: a Lua script of the repository (lua/claim.lua,
# tests/integration/seed.lua) with its --@ lines read in, as the daemon
# embeds it: the path of that copy, to run with redis-cli --eval.
nv_lua() {
	local out
	out="$T/lua-$(basename "$1")"
	"$NV_ROOT/scripts/embed-lua.sh" -x "$NV_ROOT/$1" >"$out" ||
	    fail "expanding $1"
	printf '%s\n' "$out"
}

# seed N AT_MS STEP_MS CHANNEL TAG: N reminders due from AT_MS on.
seed() {
	rcli --eval "$(nv_lua tests/integration/seed.lua)" '{t}:reminders' \
	    '{t}:due' , "$1" "$2" "$3" "$4" "$5" >/dev/null ||
	    fail "seeding $1 reminders"
}

# due_score ID: when the reminder ID is due (in its channel's set,
# {t}:due:CHANNEL), or "" when it is not.
due_score() {
	rcli --eval "$(nv_lua lua/due_read.lua)" '{t}:due' , scores "$1"
}

# due_count: how many reminders wait for their time, every channel's.
due_count() {
	local n ch
	n=$(rcli ZCARD '{t}:due')
	for ch in $(rcli SMEMBERS '{t}:duesets'); do
		n=$((n + $(rcli ZCARD "{t}:due:$ch")))
	done
	echo "$n"
}

# due_list: every reminder due, a line "CHANNEL MEMBER SCORE" each (no
# channel: in {t}:due), for failure messages.
due_list() {
	local ch
	for ch in $(rcli SMEMBERS '{t}:duesets'); do
		rcli ZRANGE "{t}:due:$ch" 0 -1 WITHSCORES | paste -d' ' - - |
		    sed "s|^|$ch |"
	done
	rcli ZRANGE '{t}:due' 0 -1 WITHSCORES | paste -d' ' - -
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

# _nv_channel NAME KEY=DEFAULT... -- KEY=VALUE...: [channel NAME] with its
# default keys, each replaced by a KEY=VALUE after "--" (KEY= leaves it
# out); keys no default names are added at the end.
_nv_channel() {
	local name=$1 kv k
	local -A set=()
	local -a keys=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		keys+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	for kv in "$@"; do
		[[ $kv == *=* ]] || fail "_nv_channel: '$kv' is not KEY=VALUE"
		set[${kv%%=*}]=${kv#*=}
	done
	echo "[channel $name]"
	for kv in "${keys[@]}"; do
		k=${kv%%=*}
		if [ -n "${set[$k]+x}" ]; then
			[ -z "${set[$k]}" ] || echo "$k = ${set[$k]}"
			unset "set[$k]"
		else
			echo "$k = ${kv#*=}"
		fi
	done
	for kv in "$@"; do
		k=${kv%%=*}
		[ -z "${set[$k]+x}" ] || echo "$k = ${set[$k]}"
	done
}

# write_zalo_conf FILE MODE [KEY=VALUE...]: a config with a zalo channel on
# the fake ($zalo_URL) and an email webhook ($hook_PORT) that carries alerts
# to admin@example.gov.vn. zalo.KEY=VALUE sets a key of the zalo channel,
# email.KEY=VALUE one of the email channel (KEY= leaves a default out);
# other keys go to conf_base.
write_zalo_conf() {
	local file=$1 mode=$2 kv
	local data='co_quan={{agency}}, cong_viec={{title}}, han={{due_text}}'
	local -a base=() zalo=() email=()
	shift 2
	for kv in "$@"; do
		case $kv in
		zalo.*=*)	zalo+=("${kv#zalo.}") ;;
		email.*=*)	email+=("${kv#email.}") ;;
		*)		base+=("$kv") ;;
		esac
	done
	umask 077
	printf 'app-secret-%s\n' "$$" >"$T/zalo.secret"
	umask 022
	{
		conf_base "${base[@]}"
		echo
		_nv_channel zalo type=zalo contact=zalo "mode=$mode" \
		    app_id=4242 "secret_key_file=$T/zalo.secret" \
		    template_id=305123 "template_data=$data" \
		    "api_base=$zalo_URL" "zns_base=$zalo_URL" \
		    "oauth_base=$zalo_URL" \
		    "state_file=$T/zalo-token.json" rate=100000/min timeout=2s \
		    concurrency=8 -- "${zalo[@]}"
		echo
		_nv_channel email type=webhook contact=email \
		    "url=http://127.0.0.1:$hook_PORT/mail" -- "${email[@]}"
		printf '\n[alert]\nemail = admin@example.gov.vn\nchannel = email\n'
	} >"$file"
}

# zalo_seed_token AT RT EXPIRES_MS: the pair in Redis as the daemon keeps it.
zalo_seed_token() {
	rcli HSET '{t}:zalo:token' access_token "$1" refresh_token "$2" \
	    access_expires_at "$3" refresh_issued_at "$NV_CLOCK_MS" \
	    updated_at "$NV_CLOCK_MS" status ok reason '' >/dev/null
}
