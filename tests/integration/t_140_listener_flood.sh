#!/bin/bash
# The admin listener cannot be flooded. With 1,024 descriptors, 1,100 idle
# connections while 300 reminders are due: every reminder delivered, no dead
# letter, no log flood, /healthz answers after. With a cap set above what the
# descriptors allow: accepting pauses (a line a minute, not a line per
# accept) and sends that cannot get a socket are deferred, never counted as
# attempts. A slowloris, a 1 MB header and a body over 64 KiB are cut off.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

abuse=$NV_ROOT/tests/integration/http_abuse.py
# The daemon with at most 1,024 descriptors, soft and hard.
cat >"$T/nhacviecd-1024" <<EOF
#!/bin/bash
ulimit -n 1024 && exec "$NHACVIECD" "\$@"
EOF
chmod +x "$T/nhacviecd-1024"

# "sent S of T" from a helper's output file: prints S and T.
sent_of() { awk '$1 == "sent" { print $2, $4 }' "$1"; }
# The attempt number of each ledger entry "sent" for reminders of task-$1.
sent_attempts() {
	rcli XRANGE '{t}:log' - + | awk -v task="task-$1/" '
	    function flush() { if (o == "sent" && index(id, task) == 1) print a }
	    /^[0-9]+-[0-9]+$/ { flush(); k = ""; o = ""; id = ""; a = ""; next }
	    k == "" { k = $0; next }
	    { if (k == "id") id = $0; if (k == "outcome") o = $0
	      if (k == "attempt") a = $0; k = "" }
	    END { flush() }'
}
fds() { ls "/proc/$(pid_of "$1")/fd" | wc -l; }
vm() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$(pid_of "$1")/status"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

redis_start
fake_start hook
port=$(free_port)
write_conf "$T/nv.conf" "$hook_PORT"
printf '\n[http]\nlisten = 127.0.0.1:%s\nrequest_timeout = 2s\n' "$port" >>"$T/nv.conf"
NHACVIECD=$T/nhacviecd-1024 daemon_start nv "$T/nv.conf"
assert_eq 1024 "$(awk '/Max open files/ { print $4 }' "/proc/$(pid_of nv)/limits")" "descriptor limit"

# --- a slowloris, a 1 MB header, a body over the limit ----------------------
# One header byte every 0.1 s for 20 s: cut off by request_timeout (2s).
"$NV_PYTHON" "$abuse" trickle 127.0.0.1 "$port" 200 0.1 >"$T/trickle.txt"
cat "$T/trickle.txt"
read -r sent total < <(sent_of "$T/trickle.txt")
assert_le "$sent" $((total - 1)) "bytes of a trickled request sent before the cut"

hwm0=$(vm nv VmHWM)
"$NV_PYTHON" "$abuse" bigheader 127.0.0.1 "$port" $((64 * 1024 * 1024)) >"$T/bigheader.txt"
cat "$T/bigheader.txt"
hwm1=$(vm nv VmHWM)
echo "peak RSS ${hwm0} kB before, ${hwm1} kB after the 64 MB header"
assert_le $((hwm1 - hwm0)) $((32 * 1024)) "peak RSS growth (kB) from a 64 MB header"
read -r sent total < <(sent_of "$T/bigheader.txt")
assert_le "$sent" $((total - 1)) "bytes of a 64 MB header sent before the cut"
# A 1 MB header line gets an answer (413) or a closed connection.
"$NV_PYTHON" "$abuse" bigheader 127.0.0.1 "$port" $((1024 * 1024)) >"$T/bigheader1.txt"
cat "$T/bigheader1.txt"
if grep -q '^status' "$T/bigheader1.txt"; then
	assert_grep '^status (413|431|400)$' "$T/bigheader1.txt" "answer to a 1 MB header"
else
	read -r sent total < <(sent_of "$T/bigheader1.txt")
	assert_le "$sent" $((total - 1)) "bytes of a 1 MB header sent before the cut"
fi

head -c $((64 * 1024 + 1)) /dev/zero >"$T/body"
assert_eq 413 "$(code -H 'Expect: 100-continue' --data-binary @"$T/body" "http://127.0.0.1:$port/healthz")" \
    "POST over 64 KiB"
assert_eq 405 "$(code -d x "http://127.0.0.1:$port/healthz")" "POST to /healthz"
assert_eq 200 "$(code "http://127.0.0.1:$port/healthz")" "/healthz after the abuse"

# --- 1,100 idle connections while 300 reminders are due ---------------------
bg flood "$NV_PYTHON" "$abuse" flood 127.0.0.1 "$port" 1100 "$T/flood.status"
wait_until 30 "grep -q 'opened 1100' '$T/flood.status'" || fail "flood did not start"
wait_until 30 '[ "$(fds nv)" -ge 250 ]' || fail "the flood did not reach the daemon"
seed 300 $((NV_CLOCK_MS - 1000)) 0 hook f
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 90 '[ "$(fake_ok_ids hook | wc -l)" -ge 300 ]' ||
    fail "delivered $(fake_ok_ids hook | wc -l) of 300 under the flood; $(rcli XLEN '{t}:dead') dead letters"
assert_eq 0 "$(rcli XLEN '{t}:dead')" "dead letters under the flood"
assert_eq 300 "$(state_count sent)" "reminders sent under the flood"
echo "daemon descriptors under the flood: $(fds nv)"
assert_le "$(fds nv)" 512 "descriptors the daemon holds under the flood"
stop flood
wait_until 30 '[ "$(code "http://127.0.0.1:$port/healthz")" = 200 ]' ||
    fail "/healthz after the flood"
curl -s "http://127.0.0.1:$port/metrics" >"$T/metrics1.txt"
assert_grep '^nhacviec_http_at_cap_total\{listener="admin"\} [1-9]' "$T/metrics1.txt" "the cap held"
assert_grep '^nhacviec_http_request_timeouts_total\{listener="admin"\} [1-9]' "$T/metrics1.txt" "request timeouts"
lines=$(grep -ci 'accept' "$T/nv.out")
echo "$lines log lines about accept"
assert_le "$lines" 100 "log lines about accept"
stop nv || fail "nhacviecd exit status $?"

# --- a cap above the descriptors: accepting pauses, sends are deferred -------
write_conf "$T/nv2.conf" "$hook_PORT"
printf '\n[http]\nlisten = 127.0.0.1:%s\nmax_connections = 4000\nrequest_timeout = 5m\nidle_timeout = 5m\n' \
    "$port" >>"$T/nv2.conf"
NHACVIECD=$T/nhacviecd-1024 daemon_start nv2 "$T/nv2.conf"
rm -f "$T/flood.status"
bg flood "$NV_PYTHON" "$abuse" flood 127.0.0.1 "$port" 1100 "$T/flood.status"
wait_until 60 "grep -q 'accepting paused' '$T/nv2.out'" || fail "accepting never paused"
seed 50 $((NV_CLOCK_MS - 1000)) 0 hook g
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
# Out of descriptors, each send is put back without spending an attempt.
wait_until 30 "grep -q 'sends are deferred' '$T/nv2.out'" || fail "no deferred send"
wait_until 30 "rcli XRANGE '{t}:log' - + | grep -q 'out of descriptors or memory'" ||
    fail "no deferral in the ledger"
stop flood
wait_until 90 '[ "$(fake_ok_ids hook | wc -l)" -ge 350 ]' ||
    fail "delivered $(fake_ok_ids hook | wc -l) of 350 after the flood; $(rcli XLEN '{t}:dead') dead letters"
assert_eq 0 "$(rcli XLEN '{t}:dead')" "dead letters after running out of descriptors"
defers=$(rcli XRANGE '{t}:log' - + | grep -c 'out of descriptors or memory')
echo "$defers sends deferred for want of descriptors"
assert_ge "$defers" 1 "ledger entries of deferred sends"
# Every one sent on its first attempt: a deferral does not count.
sent_attempts g | sort | uniq -c
assert_eq 50 "$(sent_attempts g | wc -l)" "ledger entries sent for the second batch"
assert_eq 1 "$(sent_attempts g | sort -u)" "attempt numbers of the second batch's sends"
wait_until 30 '[ "$(code "http://127.0.0.1:$port/healthz")" = 200 ]' ||
    fail "/healthz after the second flood"
curl -s "http://127.0.0.1:$port/metrics" >"$T/metrics2.txt"
assert_grep '^nhacviec_http_accept_pauses_total\{listener="admin"\} [1-9]' "$T/metrics2.txt" "accept pauses"
assert_grep '^nhacviec_send_local_failures_total [1-9]' "$T/metrics2.txt" "local send failures"
lines=$(grep -ci 'accept' "$T/nv2.out")
echo "$lines log lines about accept"
assert_le "$lines" 10 "log lines about accept while out of descriptors"
stop nv2 || fail "nhacviecd exit status $?"
