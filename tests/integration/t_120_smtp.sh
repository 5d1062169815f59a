#!/bin/bash
# The smtp channel against a real SMTP server (tests/smtp_sink.py): three
# reminders arrive as three well-formed mails with the Vietnamese subject and
# body decoded right; a 451 is retried, a 550 and a missing address are dead
# letters; AUTH uses a password from an owner-only file that no log shows, a
# readable one is refused at start; STARTTLS is required off loopback.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

FROM=nhacviec@example.gov.vn

# write_smtp_conf FILE URL [KEY=VALUE...]: a config with one smtp channel,
# mail; mail.KEY=VALUE sets a key of it (mail.from= leaves from out).
write_smtp_conf() {
	local file=$1 url=$2
	shift 2
	{
		conf_base
		echo
		_nv_channel mail type=smtp contact=email "url=$url" \
		    "from=$FROM" timeout=5s concurrency=4 -- "${@#mail.}"
	} >"$file"
}

# ledger_tsv STREAM: id, outcome, status, ref and detail (or reason) of each entry.
ledger_tsv() {
	rcli --json XRANGE "$1" - + | "$NV_PYTHON" -c '
import json, sys
for _, f in json.load(sys.stdin):
    d = dict(zip(f[::2], f[1::2]))
    print("\t".join(d.get(k, "") for k in ("id", "outcome", "status", "ref")) +
          "\t" + d.get("detail", d.get("reason", "")))'
}

# outcomes TAG: the ledger outcomes of the reminders seeded with TAG, in order.
outcomes() {
	ledger_tsv '{t}:log' | awk -F '\t' -v t="task-$1/" \
	    'index($1, t) == 1 { printf "%s%s", s, $2; s = " " }'
}

redis_start

# --- three reminders, three mails -------------------------------------------
smtp_start sink
write_smtp_conf "$T/nv.conf" "smtp://127.0.0.1:$sink_PORT"
seed 3 $((NV_CLOCK_MS - 1000)) 0 mail vi
daemon_start nv "$T/nv.conf"
wait_until 30 '[ "$(state_count sent)" -ge 3 ]' ||
    fail "not delivered: $(state_count sent) sent, see $T/nv.out"
assert_eq 3 "$(smtp_count sink)" "mails the sink accepted"
for i in 1 2 3; do
	line=$(awk -F '\t' -v r="a$i@example.gov.vn" '$2 == r' "$T/sink/index.tsv")
	[ -n "$line" ] || fail "no mail to a$i@example.gov.vn in $T/sink/index.tsv"
	assert_eq "$FROM" "$(cut -f1 <<<"$line")" "envelope sender of mail $i"
	assert_eq "[Nhắc việc] Nhiệm vụ thử $i" "$(cut -f3 <<<"$line")" \
	    "decoded Subject of mail $i"
	assert_eq "Kính gửi: Lãnh đạo Cơ quan $i." \
	    "$(cut -f4 <<<"$line")" "first body line of mail $i"
done
for f in "$T"/sink/000[123].eml; do
	assert_grep $'^From: nhacviec@example\\.gov\\.vn\r$' "$f" "From in $f"
	assert_grep $'^To: =\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?= <a[123]@example\\.gov\\.vn>\r$' "$f" "To in $f"
	assert_grep $'^Subject: =\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?=\r$' "$f" "Subject in $f"
	assert_grep $'^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\r$' "$f" "Date in $f"
	assert_grep $'^Message-ID: <[0-9a-f]{16}\\.1\\.[0-9a-f]{16}@example\\.gov\\.vn>\r$' "$f" "Message-ID in $f"
	assert_grep $'^MIME-Version: 1\\.0\r$' "$f" "MIME-Version in $f"
	assert_grep $'^Content-Type: text/plain; charset=utf-8\r$' "$f" "Content-Type in $f"
	assert_grep $'^Content-Transfer-Encoding: base64\r$' "$f" "transfer encoding in $f"
	assert_grep $'^Auto-Submitted: auto-generated\r$' "$f" "Auto-Submitted in $f"
	assert_grep $'^X-Nhacviec-Id: task-vi/2022-04-30/end-1d@08:00/agency-[123]/mail\r$' "$f" "X-Nhacviec-Id in $f"
done
# What a mail reader sees: names decoded, the date now, CRLF only, short lines.
"$NV_PYTHON" - "$T"/sink/000[123].eml <<'EOF' || fail "a mail is malformed (see above)"
import email, email.policy, email.utils, sys, time
bad = 0
def check(ok, what):
    global bad
    if not ok:
        print(f"{path}: {what}", file=sys.stderr)
        bad = 1
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    i = m["X-Nhacviec-Id"].split("/")[3].split("-")[1]
    check(m["To"].addresses[0].display_name == f"Cơ quan {i}", f"To name {m['To']!r}")
    check(m["To"].addresses[0].addr_spec == f"a{i}@example.gov.vn", "To address")
    check(abs(email.utils.parsedate_to_datetime(str(m["Date"])).timestamp() - time.time()) < 300, f"Date {m['Date']} is not now")
    check(m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8", "Content-Type")
    check(m.get_content().splitlines()[1:3] == [f"Nhắc việc: Nhiệm vụ thử {i}.", "Thời hạn: Thứ Bảy, ngày 30/04/2022."], "body")
    check(b"\n" not in raw.replace(b"\r\n", b""), "a bare LF")
    check(all(len(l) <= 78 for l in raw.split(b"\r\n")), "a line over 78")
sys.exit(bad)
EOF
ledger_tsv '{t}:log' >"$T/ledger.tsv"
assert_eq "sent sent sent" "$(outcomes vi)" "ledger outcomes"
assert_eq 3 "$(awk -F '\t' '$3 == 250' "$T/ledger.tsv" | wc -l)" "ledger entries with status 250"
# The ledger keeps each mail's Message-ID as its ref.
assert_eq "$(grep -ah '^Message-ID:' "$T"/sink/000[123].eml | tr -d '\r' | cut -d' ' -f2 | sort)" \
    "$(cut -f4 "$T/ledger.tsv" | sort)" "ledger refs = Message-IDs"
# A contact that is no email address: a dead letter at once, nothing sent.
rcli --eval "$(nv_lua tests/integration/seed.lua)" '{t}:reminders' '{t}:due' , \
    1 "$NV_CLOCK_MS" 0 mail nomail 0912345678 >/dev/null || fail "seeding"
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 20 '[ "$(state_count dead)" -ge 1 ]' || fail "no dead letter for a phone number"
ledger_tsv '{t}:dead' >"$T/dead.tsv"
assert_grep "task-nomail/.*no email address for agency-1: the contact is '0912345678'" \
    "$T/dead.tsv" "dead letter reason"
assert_eq 3 "$(smtp_count sink)" "mails after the one without address"
# The channel's templates, taken up on SIGHUP: subject and body from them.
printf 'Nhắc {{agency}}: {{title}}\n' >"$T/subject.tpl"
printf '{{agency}} ơi, hạn {{due_text}}.\nViệc: {{title}}\n' >"$T/body.tpl"
printf 'template = %s\nsubject_template = %s\n' "$T/body.tpl" "$T/subject.tpl" >>"$T/nv.conf"
kill -HUP "$(pid_of nv)"
wait_until 10 "grep -q 'reloaded $T/nv.conf' '$T/nv.out'" || fail "no reload"
seed 1 "$NV_CLOCK_MS" 0 mail tpl
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 20 '[ "$(smtp_count sink)" -ge 4 ]' || fail "no mail with the templates"
assert_eq $'nhacviec@example.gov.vn\ta1@example.gov.vn\tNhắc Cơ quan 1: Nhiệm vụ thử 1\tCơ quan 1 ơi, hạn Thứ Bảy, ngày 30/04/2022.' \
    "$(tail -n 1 "$T/sink/index.tsv")" "the mail from the templates"
stop nv || fail "nhacviecd exit status $?"
smtp_stop sink

# --- 451 once: retried, then delivered --------------------------------------
smtp_start soft --reply-code 451 --reply-count 1
write_smtp_conf "$T/soft.conf" "smtp://127.0.0.1:$soft_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 mail soft
daemon_start nv "$T/soft.conf"
wait_until 20 '[ "$(outcomes soft)" = "retry sent" ]' ||
    fail "451 not retried then delivered: '$(outcomes soft)'"
assert_eq 1 "$(smtp_rejected soft)" "DATA refused with 451"
assert_eq 1 "$(smtp_count soft)" "mails delivered after the 451"
ledger_tsv '{t}:log' >"$T/log.tsv"
assert_grep $'task-soft/.*\tretry\t451\t.*\tSMTP 451: 4\\.0\\.0 Scripted failure' "$T/log.tsv" "the retry's status and reason"
# A second attempt gets a Message-ID of its own.
assert_grep $'^Message-ID: <[0-9a-f]{16}\\.2\\.[0-9a-f]{16}@example\\.gov\\.vn>\r$' "$T/soft/0001.eml" "Message-ID of attempt 2"
stop nv || fail "nhacviecd exit status $?"
smtp_stop soft

# --- 550: a dead letter at the first attempt ---------------------------------
smtp_start hard --reply-code 550 --reply-count 100
write_smtp_conf "$T/hard.conf" "smtp://127.0.0.1:$hard_PORT"
seed 1 $((NV_CLOCK_MS - 1000)) 0 mail hard
daemon_start nv "$T/hard.conf"
wait_until 20 '[ "$(outcomes hard)" = dead ]' || fail "550 not a dead letter: '$(outcomes hard)'"
assert_eq 1 "$(smtp_rejected hard)" "attempts for a 550"
ledger_tsv '{t}:dead' >"$T/dead.tsv"
assert_grep $'task-hard/.*\t550\t.*\tSMTP 550: 5\\.0\\.0 Scripted failure' "$T/dead.tsv" "dead letter reason names 550"
stop nv || fail "nhacviecd exit status $?"
smtp_stop hard

# --- AUTH with a password from an owner-only file ----------------------------
pw=Sm7p-pa55-nhacviec-$$
smtp_start auth --auth nhacviec "$pw"
printf '%s\n' "$pw" >"$T/smtp.pw"
chmod 644 "$T/smtp.pw"
write_smtp_conf "$T/auth.conf" "smtp://127.0.0.1:$auth_PORT" \
    mail.username=nhacviec mail.password_file="$T/smtp.pw"
"$NHACVIECD" -c "$T/auth.conf" --clock "$NV_CLOCK" >"$T/refused.out" 2>&1
assert_eq 78 "$?" "exit status with a world-readable password file"
assert_grep "$T/auth.conf:[0-9]+: .*readable by group or others" "$T/refused.out" \
    "refusal names file and line"
chmod 600 "$T/smtp.pw"
seed 2 $((NV_CLOCK_MS - 1000)) 0 mail auth
daemon_start nv "$T/auth.conf" -v
wait_until 20 '[ "$(outcomes auth)" = "sent sent" ]' || fail "not delivered with AUTH: '$(outcomes auth)'"
assert_eq 2 "$(smtp_count auth)" "mails delivered with AUTH"
assert_grep 'AUTH [A-Z]+: accepted' "$T/auth.out" "the sink saw a good login"
stop nv || fail "nhacviecd exit status $?"
# A wrong password: 535 pauses the channel (the reminder waits, deferred,
# not dead: every mail would fail the same way), an error names the channel.
printf 'wrong-%s\n' "$pw" >"$T/smtp.pw"
seed 1 $((NV_CLOCK_MS - 1000)) 0 mail badpw
bg nv2 "$NHACVIECD" -c "$T/auth.conf" --clock "$NV_CLOCK" -v
wait_until 20 '[ "$(outcomes badpw)" = defer ]' || fail "535 did not defer: '$(outcomes badpw)'"
assert_grep 'channel mail: the SMTP server refused the login \(535\)' "$T/nv2.out" "login error names the channel"
assert_grep 'crit: channel mail paused' "$T/nv2.out" "the channel paused"
ledger_tsv '{t}:log' >"$T/log.tsv"
assert_grep $'task-badpw/.*\tdefer\t535\t' "$T/log.tsv" "ledger: deferred with status 535"
assert_eq held "$(rcli HGET '{t}:state' 'task-badpw/2022-04-30/end-1d@08:00/agency-1/mail')" "the reminder is held until the channel resumes"
stop nv2 || fail "nhacviecd exit status $?"
for f in "$T"/*.out; do
	assert_no_grep "$pw" "$f" "the password in a log"
done
rcli --json XRANGE '{t}:log' - + >"$T/ledger.json"
rcli --json XRANGE '{t}:dead' - + >>"$T/ledger.json"
assert_no_grep "$pw" "$T/ledger.json" "the password in the ledger"
smtp_stop auth

# --- a start-up check: from is required ---------------------------------------
write_smtp_conf "$T/nofrom.conf" "smtp://127.0.0.1:1" mail.from=
"$NHACVIECD" -c "$T/nofrom.conf" --clock "$NV_CLOCK" >"$T/nofrom.out" 2>&1
assert_eq 78 "$?" "exit status without from"
assert_grep "$T/nofrom.conf:[0-9]+: \[channel mail\] of type smtp needs from = ADDRESS" \
    "$T/nofrom.out" "the error names file and line"

# --- a host not named as loopback: plain SMTP is refused, STARTTLS or nothing --
# The machine's own name, when /etc/hosts maps it to 127.x: the traffic stays
# on loopback, but the daemon sees a host name, not a loopback address.
host=$(hostname)
hostaddr=$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }')
addr=
case "$hostaddr" in 127.*) addr=$host ;; esac
if [ -n "$addr" ]; then
	smtp_start plain --addr "$hostaddr"
	write_smtp_conf "$T/plain.conf" "smtp://$addr:$plain_PORT"
	# The refused login above paused mail in Redis: an admin resumes it.
	"$NHACVIEC" -c "$T/plain.conf" resume mail >/dev/null ||
	    fail "resume mail"
	seed 1 $((NV_CLOCK_MS - 1000)) 0 mail plain
	daemon_start nv "$T/plain.conf"
	wait_until 20 '[ "$(outcomes plain)" = defer ]' ||
	    fail "plain SMTP to $addr not refused: '$(outcomes plain)'"
	assert_eq 0 "$(smtp_count plain)" "mails sent in clear to $addr"
	ledger_tsv '{t}:log' >"$T/log.tsv"
	assert_grep 'task-plain/.*STARTTLS' "$T/log.tsv" "ledger reason"
	assert_grep 'channel mail: the SMTP server does not offer STARTTLS' "$T/nv.out" \
	    "the error says why"
	stop nv || fail "nhacviecd exit status $?"
else
	echo "note: the host name does not map to 127.x: STARTTLS-required case skipped"
fi
