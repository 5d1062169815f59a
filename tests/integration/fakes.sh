# The peers' helpers the scenarios source after harness.sh: the fake webhook, the fake Zalo OA and its events, the SMTP sink, JSON on the way.

: "${FAKE_WEBHOOK:=$NV_ROOT/build/rel/tests/fake_webhook}"
: "${FAKE_ZALO:=$NV_ROOT/build/rel/tests/fake_zalo}"
: "${ZEVENT_CHECK:=$NV_ROOT/build/rel/tests/zevent_check}"
: "${SMTP_SINK:=$NV_ROOT/tests/smtp_sink.py}"
export FAKE_WEBHOOK FAKE_ZALO ZEVENT_CHECK SMTP_SINK

# --- fake webhooks ---------------------------------------------------------

_nv_port_ready() {
	[ -s "$T/$1.port" ] || { alive "$1" || fail "fake $1 exited, see $T/$1.out"; return 1; }
}

# fake_start NAME [ARGS...]: a fake webhook logging to $T/NAME.log; sets NAME_PORT.
fake_start() {
	local name=$1 port
	shift
	[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
	    fail "fake_start: '$name' is not a shell variable name"
	[ -x "$FAKE_WEBHOOK" ] || fail "no $FAKE_WEBHOOK (make build/rel/tests/fake_webhook)"
	rm -f "$T/$name.port"
	bg "$name" "$FAKE_WEBHOOK" -P "$T/$name.port" -o "$T/$name.log" "$@"
	local n=0
	until _nv_port_ready "$name"; do
		((n++ < 100)) || fail "fake $name wrote no port file in 10 s"
		sleep 0.1
	done
	read -r port <"$T/$name.port"
	printf -v "${name}_PORT" %s "$port"
	export "${name}_PORT"
}

fake_stop() {
	stop "$1" TERM
}

# Requests the fake received (one line each in $T/NAME.log).
fake_count() {
	if [ -f "$T/$1.log" ]; then wc -l <"$T/$1.log"; else echo 0; fi
}

# Distinct ids received ("-" counts as one id).
fake_unique() {
	[ -f "$T/$1.log" ] || { echo 0; return; }
	cut -f1 "$T/$1.log" | sort -u | wc -l
}

# Extra copies: requests minus distinct ids, whatever the status.
fake_dups() {
	echo $(($(fake_count "$1") - $(fake_unique "$1")))
}

# The distinct ids answered with 2xx, one a line, sorted.
fake_ok_ids() {
	[ -f "$T/$1.log" ] || return 0
	awk -F '\t' '$2 ~ /^2/ { print $1 }' "$T/$1.log" | sort -u
}

# Requests answered with 2xx.
fake_ok_count() {
	[ -f "$T/$1.log" ] || { echo 0; return; }
	awk -F '\t' '$2 ~ /^2/ { n++ } END { print n + 0 }' "$T/$1.log"
}

# Deliveries acknowledged more than once: 2xx requests minus distinct 2xx ids.
fake_ok_dups() {
	echo $(($(fake_ok_count "$1") - $(fake_ok_ids "$1" | wc -l)))
}

# fake_control NAME JSON: changes status, delay_ms, fail, retry_after at runtime.
fake_control() {
	local port_var=${1}_PORT
	curl -sf -d "$2" "http://127.0.0.1:${!port_var}/_control" >/dev/null ||
	    fail "fake_control $1 $2 refused"
}

# Prints {"requests":N,"ok":N,"failed":N}.
fake_stats() {
	local port_var=${1}_PORT
	curl -sf "http://127.0.0.1:${!port_var}/_stats"
}

# --- the Zalo fake and the SMTP sink ---------------------------------------

# _nv_wait_port NAME: waits for $T/NAME.port, then sets and exports NAME_PORT.
_nv_wait_port() {
	local n=0 port
	until _nv_port_ready "$1"; do
		((n++ < 100)) || fail "$1 wrote no port file in 10 s"
		sleep 0.1
	done
	read -r port <"$T/$1.port"
	printf -v "${1}_PORT" %s "$port"
	export "${1}_PORT"
}

_nv_varname() {
	[[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
	    fail "$1: '$2' is not a shell variable name"
}

# json_get FIELD: prints member FIELD (a.b for nested) of the JSON on stdin;
# strings bare, booleans as true/false, absent as nothing.
json_get() {
	"$NV_PYTHON" -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v.get(k) if isinstance(v, dict) else None
if v is not None:
    print(v if isinstance(v, str) else json.dumps(v))' "$1"
}

# zalo_start NAME [ARGS...]: fake_zalo logging to $T/NAME.log; sets NAME_PORT
# and NAME_URL (the one base for api_base, zns_base and oauth_base).
# ARGS must include --app-id, --secret and --refresh-token.
zalo_start() {
	local name=$1
	shift
	_nv_varname zalo_start "$name"
	[ -x "$FAKE_ZALO" ] || fail "no $FAKE_ZALO (make build/rel/tests/fake_zalo)"
	rm -f "$T/$name.port"
	bg "$name" "$FAKE_ZALO" -P "$T/$name.port" -o "$T/$name.log" "$@"
	_nv_wait_port "$name"
	local port_var=${name}_PORT
	printf -v "${name}_URL" %s "http://127.0.0.1:${!port_var}"
	export "${name}_URL"
}

zalo_stop() {
	stop "$1" TERM
}

# zalo_control NAME JSON: scripts faults and state (see tests/fake_zalo.c).
zalo_control() {
	local port_var=${1}_PORT
	curl -sf -d "$2" "http://127.0.0.1:${!port_var}/_control" >/dev/null ||
	    fail "zalo_control $1 $2 refused"
}

# Prints {"cs_ok":N,"zns_ok":N,"refreshes":N,"refresh_failures":N,
# "rejected":N,"access_token_valid":B,"zns_remaining":N}.
zalo_stats() {
	local port_var=${1}_PORT
	curl -sf "http://127.0.0.1:${!port_var}/_stats"
}

# zalo_stat NAME FIELD: one member of the stats.
zalo_stat() {
	zalo_stats "$1" | json_get "$2"
}

# zalo_token NAME access_token|refresh_token: the fake's current token, to
# compare with what the daemon stored (never print it in a log).
zalo_token() {
	local port_var=${1}_PORT
	curl -sf "http://127.0.0.1:${!port_var}/_tokens" | json_get "$2"
}

# zalo_count NAME KIND [RESULT]: requests logged with KIND (cs, zns, refresh,
# other; event for the events it posted) and, if given, RESULT (0, -220,
# http503, empty, ...; for events the daemon's status or "error").
zalo_count() {
	[ -f "$T/$1.log" ] || { echo 0; return; }
	awk -F '\t' -v k="$2" -v r="${3-}" -v any="${3+x}" \
	    '$1 == k && (any == "" || $2 == r) { n++ } END { print n + 0 }' \
	    "$T/$1.log"
}

# zalo_msg_ids NAME KEY [REGEX]: the message ids the fake returned for the
# sends (cs or ZNS) that reached KEY (a user id or phone) and whose logged
# payload matches REGEX (awk ERE), oldest first, one a line.
zalo_msg_ids() {
	[ -f "$T/$1.log" ] || return 0
	awk -F '\t' -v k="$2" -v re="${3-}" \
	    '($1 == "cs" || $1 == "zns") && $2 == "0" && ($4 "") == (k "") && NF >= 7 &&
	    $5 ~ re { print $7 }' "$T/$1.log"
}

# zalo_msg_id NAME KEY [REGEX]: the latest of them; fails when there is none.
zalo_msg_id() {
	local id
	id=$(zalo_msg_ids "$@" | tail -n 1)
	[ -n "$id" ] || return 1
	echo "$id"
}

# zalo_post NAME JSON: the fake posts an OA webhook event as Zalo does
# (POST /_event, see tests/fake_zalo.c) and prints its answer once the
# daemon answered: {"status":[..],"bytes":N,"signature":..,"body":..}.
zalo_post() {
	local port_var=${1}_PORT
	curl -sS -f -m 150 --data-binary "$2" "http://127.0.0.1:${!port_var}/_event"
}

# zalo_event NAME EVENT_JSON [good|bad|none]: posts EVENT_JSON (app_id, the
# OA's side, a timestamp filled in) to $ZALO_EVENT_URL, or else the fake's
# --event-url, signed with its --oa-secret; prints the daemon's HTTP status
# (0: no answer).
zalo_event() {
	local ctl
	ctl=$("$NV_PYTHON" -c 'import json, sys
c = {"event": json.loads(sys.argv[1]), "sign": sys.argv[2]}
if sys.argv[3]:
    c["url"] = sys.argv[3]
print(json.dumps(c, ensure_ascii=False))' "$2" "${3:-good}" "${ZALO_EVENT_URL:-}") ||
	    return 1
	zalo_post "$1" "$ctl" | "$NV_PYTHON" -c 'import json, sys
print(" ".join(str(s) for s in json.load(sys.stdin)["status"]))'
}

# _nv_json ARGS...: one JSON value from python expression $1 over sys.argv[2:].
_nv_json() {
	"$NV_PYTHON" -c 'import json, sys
a = sys.argv[2:]
print(json.dumps(eval(sys.argv[1]), ensure_ascii=False))' "$@"
}

# zalo_reply NAME USER TEXT [QUOTE_MSG_ID]: USER writes TEXT to the OA
# (user_send_text), quoting the OA's message QUOTE_MSG_ID if given.
zalo_reply() {
	zalo_event "$1" "$(_nv_json '{"event_name": "user_send_text",
	    "sender": {"id": a[0]}, "message": dict({"text": a[1]},
	    **({"quote_msg_id": a[2]} if len(a) > 2 else {}))}' "${@:2}")"
}

# zalo_received NAME USER MSG_ID [TRACKING_ID]: the message reached USER's
# phone (user_received_message; ZNS deliveries carry their tracking_id).
zalo_received() {
	zalo_event "$1" "$(_nv_json '{"event_name": "user_received_message",
	    "recipient": {"id": a[0]}, "message": dict({"msg_id": a[1]},
	    **({"tracking_id": a[2]} if len(a) > 2 else {}))}' "${@:2}")"
}

# zalo_seen NAME USER MSG_ID...: USER opened the conversation (user_seen_message).
zalo_seen() {
	zalo_event "$1" "$(_nv_json '{"event_name": "user_seen_message",
	    "recipient": {"id": a[0]}, "message": {"msg_ids": a[1:]}}' "${@:2}")"
}

# smtp_start NAME [ARGS...]: tests/smtp_sink.py storing mail in $T/NAME/;
# sets NAME_PORT. ARGS: --starttls CERT KEY, --auth USER PASS,
# --reply-code CODE --reply-count N.
smtp_start() {
	local name=$1
	shift
	_nv_varname smtp_start "$name"
	rm -f "$T/$name.port"
	bg "$name" "$NV_PYTHON" "$SMTP_SINK" --port-file "$T/$name.port" \
	    --out-dir "$T/$name" "$@"
	_nv_wait_port "$name"
}

smtp_stop() {
	stop "$1" TERM
}

# Messages the sink accepted (lines of $T/NAME/index.tsv).
smtp_count() {
	if [ -f "$T/$1/index.tsv" ]; then wc -l <"$T/$1/index.tsv"; else echo 0; fi
}

# DATA commands refused through --reply-code (lines of $T/NAME/rejected.tsv).
smtp_rejected() {
	if [ -f "$T/$1/rejected.tsv" ]; then wc -l <"$T/$1/rejected.tsv"; else echo 0; fi
}
