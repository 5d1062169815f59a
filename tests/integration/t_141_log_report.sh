#!/bin/bash
# The history an admin reads. `nhacviec log` prints the ledger newest last,
# times in the plan's zone (whatever TZ says), with the task's title and the
# agency's name; --format tsv has the documented header and one line per
# entry; --since/--until take days of the plan's zone, instants and "1d";
# --agency (an agency or a group), --task and --channel filter. `report`
# counts per channel, missed reminders under their own channel (they have no
# channel field), with no limit on rows, over --from/--to. `dead`,
# `upcoming`, `zalo token status`, `pause` and `status` print times in the
# plan's zone too.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
mkdir -p "$T/plan.d"
write_conf "$T/nv.conf" "$hook_PORT"
printf '\n[plan]\nfiles = plan.d/*.conf\n' >>"$T/nv.conf"
cat >"$T/plan.d/p.conf" <<'EOP'
[calendar]
timezone = Asia/Ho_Chi_Minh

[agency noi-vu]
name = Phòng Nội vụ
email = noivu@example.gov.vn

[agency van-hoa]
name = Phòng Văn hóa và Thông tin
email = vanhoa@example.gov.vn

[group phong-ban]
members = noi-vu, van-hoa

[task dan-hoi]
title = Chuyên mục "Dân hỏi - Chính quyền trả lời"
lead = noi-vu
partners = van-hoa
date = 2022-04-30
remind = end-3d@08:00, end-1d@08:00
channels = hook
EOP
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load.out" 2>&1 || fail "load: $(cat "$T/load.out")"

# The ledger as complete.lua and claim.lua write it (the missed entry has
# no channel), a fallback, two notices, and an entry that names its task
# and agency in fields of its own.
led() { rcli XADD '{t}:log' '*' "$@" >/dev/null || fail "XADD $*"; }
D=dan-hoi/2022-04-30
led id $D/end-1d@08:00/noi-vu/hook channel hook outcome sent status 200 \
    latency_ms 12 attempt 1 at 1651194000000 late 0 ref m-1 detail '' stale 0 entry yes
led id $D/end-1d@08:00/van-hoa/hook channel hook outcome retry status 503 \
    latency_ms 9 attempt 1 at 1651194001000 late 0 ref '' detail 'HTTP 503' stale 0 entry yes
led id $D/end-1d@08:00/van-hoa/hook channel hook outcome sent status 200 \
    latency_ms 9 attempt 2 at 1651194061000 late 0 ref m-2 detail '' stale 0 entry yes
led id $D/end-3d@08:00/noi-vu/hook outcome missed fire_at 1651021200000 \
    at 1651219200000 detail 'not sent: more than the grace period late'
led id $D/end-3d@08:00/van-hoa/hook channel hook outcome dead status 404 \
    latency_ms 9 attempt 3 at 1651222800000 late 0 ref '' detail 'HTTP 404: no such mailbox' stale 0 entry yes
led id $D/end-3d@08:00/van-hoa/hook~fallback-email channel email outcome sent status 200 \
    latency_ms 9 attempt 1 at 1651223100000 late 1 ref m-3 detail '' stale 0 entry yes
led id adhoc/1651223400000-77-0/noi-vu/hook channel hook outcome sent status 200 \
    latency_ms 9 attempt 1 at 1651223400000 late 0 ref m-4 detail '' stale 0 entry yes
led id digest-1 task dan-hoi agency noi-vu channel hook outcome skipped \
    at 1651226400000 detail 'done already'
led id adhoc/1651343400000-77-1/van-hoa/hook channel hook outcome sent status 200 \
    latency_ms 9 attempt 1 at 1651343400000 late 0 ref m-5 detail '' stale 0 entry yes

H=$'at\tid\ttask\tagency\tchannel\toutcome\tattempt\tdetail'
L1=$'2022-04-29T08:00:00+07:00\tdan-hoi/2022-04-30/end-1d@08:00/noi-vu/hook\tdan-hoi\tnoi-vu\thook\tsent\t1\t'
L2=$'2022-04-29T08:00:01+07:00\tdan-hoi/2022-04-30/end-1d@08:00/van-hoa/hook\tdan-hoi\tvan-hoa\thook\tretry\t1\tHTTP 503'
L3=$'2022-04-29T08:01:01+07:00\tdan-hoi/2022-04-30/end-1d@08:00/van-hoa/hook\tdan-hoi\tvan-hoa\thook\tsent\t2\t'
L4=$'2022-04-29T15:00:00+07:00\tdan-hoi/2022-04-30/end-3d@08:00/noi-vu/hook\tdan-hoi\tnoi-vu\thook\tmissed\t\tnot sent: more than the grace period late'
L5=$'2022-04-29T16:00:00+07:00\tdan-hoi/2022-04-30/end-3d@08:00/van-hoa/hook\tdan-hoi\tvan-hoa\thook\tdead\t3\tHTTP 404: no such mailbox'
L6=$'2022-04-29T16:05:00+07:00\tdan-hoi/2022-04-30/end-3d@08:00/van-hoa/hook~fallback-email\tdan-hoi\tvan-hoa\temail\tsent\t1\t'
L7=$'2022-04-29T16:10:00+07:00\tadhoc/1651223400000-77-0/noi-vu/hook\tadhoc\tnoi-vu\thook\tsent\t1\t'
L8=$'2022-04-29T17:00:00+07:00\tdigest-1\tdan-hoi\tnoi-vu\thook\tskipped\t\tdone already'
L9=$'2022-05-01T01:30:00+07:00\tadhoc/1651343400000-77-1/van-hoa/hook\tadhoc\tvan-hoa\thook\tsent\t1\t'

# nv ARGS...: nhacviec in a zone far from the plan's; output to $T/out.
nv() {
	TZ=America/New_York "$NHACVIEC" -c "$T/nv.conf" "$@" >"$T/out" 2>"$T/err"
}
# expect WHAT LINE...: $T/out is exactly these lines.
expect() {
	local what=$1
	shift
	printf '%s\n' "$@" >"$T/want"
	diff -u "$T/want" "$T/out" >&2 || fail "$what"
}

nv log --format tsv || fail "log: $(cat "$T/err")"
expect "the whole ledger" "$H" "$L1" "$L2" "$L3" "$L4" "$L5" "$L6" "$L7" "$L8" "$L9"
nv log --format tsv --agency van-hoa || fail "log --agency"
expect "--agency van-hoa" "$H" "$L2" "$L3" "$L5" "$L6" "$L9"
nv log --format tsv --agency phong-ban --channel email || fail "log --agency GROUP"
expect "--agency phong-ban --channel email" "$H" "$L6"
nv log --format tsv --task adhoc || fail "log --task"
expect "--task adhoc" "$H" "$L7" "$L9"
nv log --format tsv --task dan-hoi --agency noi-vu || fail "log --task --agency"
expect "--task dan-hoi --agency noi-vu" "$H" "$L1" "$L4" "$L8"
# Days are the plan's: 2022-05-01 began at 2022-04-30T17:00Z.
nv log --format tsv --since 2022-05-01 || fail "log --since DAY"
expect "--since 2022-05-01" "$H" "$L9"
nv log --format tsv --since 2022-04-29 --until 2022-04-29 --channel hook || fail "log --until DAY"
expect "the 29th on hook" "$H" "$L1" "$L2" "$L3" "$L4" "$L5" "$L7" "$L8"
nv log --format tsv --since 2022-04-29T16:00:00+07:00 --until 2022-04-29T09:10:00Z ||
    fail "log, instants"
expect "16:00 to 16:10" "$H" "$L5" "$L6"
nv --clock 2022-05-01T12:00:00+07:00 log --format tsv --since 1d || fail "log --since 1d"
expect "--since 1d" "$H" "$L9"
nv log --format tsv --agency nobody || fail "log, no match"
expect "no match" "$H"

# Text: the title and the name from the loaded plan.
nv log --since 2022-04-29 --until 2022-04-29 --agency noi-vu || fail "log text"
expect "text" \
    "2022-04-29 08:00:00+07:00  sent    hook     Phòng Nội vụ — Chuyên mục \"Dân hỏi - Chính quyền trả lời\" (due 2022-04-30, attempt 1)" \
    "2022-04-29 15:00:00+07:00  missed  hook     Phòng Nội vụ — Chuyên mục \"Dân hỏi - Chính quyền trả lời\" (due 2022-04-30): not sent: more than the grace period late" \
    "2022-04-29 16:10:00+07:00  sent    hook     Phòng Nội vụ — ad-hoc notice (attempt 1)" \
    "2022-04-29 17:00:00+07:00  skipped hook     Phòng Nội vụ — Chuyên mục \"Dân hỏi - Chính quyền trả lời\": done already"
nv log --channel email || fail "log text, fallback"
expect "text, fallback" \
    "2022-04-29 16:05:00+07:00  sent    email    Phòng Văn hóa và Thông tin — Chuyên mục \"Dân hỏi - Chính quyền trả lời\" (due 2022-04-30, attempt 1, late, fallback)"

# Bad arguments: exit 64 and the reason.
for args in "--since yesterday" "--format csv" "--until" "extra"; do
	rc=0
	nv log $args || rc=$?
	assert_eq 64 "$rc" "log $args: exit status"
	assert_grep '^usage: nhacviec log ' "$T/err" "log $args: usage line"
done
nv log --since yesterday
assert_grep "^nhacviec log: --since 'yesterday': give a day" "$T/err" "why --since is refused"

# report: per channel, over days of the plan's zone.
R=$(printf '%-16s %8s %8s %8s %8s %8s %8s' channel sent retry defer dead missed skipped)
row() { printf '%-16s %8s %8s %8s %8s %8s %8s' "$@"; }
nv report || fail "report: $(cat "$T/err")"
expect "report" "$R" "$(row email 1 0 0 0 0 0)" "$(row hook 4 1 0 1 1 1)" \
    "9 ledger entries; 1 sent late (within the grace)"
nv report --from 2022-05-01 || fail "report --from"
expect "report --from" "$R" "$(row hook 1 0 0 0 0 0)" \
    "1 ledger entry from 2022-05-01T00:00:00+07:00; 0 sent late (within the grace)"
nv report --from 2022-04-29 --to 2022-04-29 || fail "report --from --to"
expect "report --from --to" "$R" "$(row email 1 0 0 0 0 0)" "$(row hook 3 1 0 1 1 1)" \
    "8 ledger entries from 2022-04-29T00:00:00+07:00 until 2022-04-30T00:00:00+07:00; 1 sent late (within the grace)"
rc=0
nv report --from 29/04/2022 || rc=$?
assert_eq 64 "$rc" "report --from with a bad day"

# dead and upcoming: the plan's zone, whatever TZ says.
rcli XADD '{t}:dead' '*' id $D/end-3d@08:00/van-hoa/hook channel hook \
    reason 'HTTP 404: no such mailbox' status 404 attempt 3 at 1651222800000 payload '{}' >/dev/null
nv dead || fail "dead"
expect "dead" "2022-04-29T16:00:00+07:00  $D/end-3d@08:00/van-hoa/hook  via hook (attempt 3): HTTP 404: no such mailbox"
rcli ZADD '{t}:due:hook' 1651453200000 later/2022-05-02/end@08:00/noi-vu >/dev/null
rcli SADD '{t}:duesets' hook >/dev/null
nv upcoming 1 || fail "upcoming"
expect "upcoming" "2022-05-02T08:00:00+07:00  later/2022-05-02/end@08:00/noi-vu/hook"
rcli ZREM '{t}:due:hook' later/2022-05-02/end@08:00/noi-vu >/dev/null

# zalo token status, from the pair in Redis.
zalo_URL=http://127.0.0.1:9
write_zalo_conf "$T/z.conf" cs
printf '\n[plan]\nfiles = plan.d/*.conf\n' >>"$T/z.conf"
zalo_seed_token at-1 rt-1 1651453200000
TZ=UTC "$NHACVIEC" -c "$T/z.conf" zalo token status >"$T/out" 2>"$T/err" ||
    fail "zalo token status: $(cat "$T/err")"
assert_grep '^  redis \{t\}:zalo:token: access token present until 2022-05-02T08:00:00\+07:00; refresh token issued 2022-04-27T08:00:00\+07:00; updated 2022-04-27T08:00:00\+07:00; ok$' \
    "$T/out" "zalo token status in the plan's zone"

# After downtime: 100 reminders missed (claim.lua writes them without a
# channel), one sent; report puts them all on their channel's row. The
# daemon runs without a plan, which would take the seeded reminders away.
rcli DEL '{t}:plan:sources' >/dev/null
write_conf "$T/noplan.conf" "$hook_PORT"
seed 100 $((NV_CLOCK_MS - 7 * 3600 * 1000)) 0 hook m
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook live
daemon_start nv "$T/noplan.conf"
wait_until 20 '[ "$(state_count missed)" -eq 100 ] && [ "$(state_count sent)" -eq 1 ]' ||
    fail "not 100 missed and 1 sent: $(state_count missed) $(state_count sent)"
stop nv || fail "daemon exit status $?"
nv report || fail "report after downtime"
expect "report after downtime" "$R" "$(row email 1 0 0 0 0 0)" "$(row hook 5 1 0 1 101 1)" \
    "110 ledger entries; 1 sent late (within the grace)"
nv log --format tsv --task task-live || fail "log of the daemon's send"
assert_eq 2 "$(wc -l <"$T/out")" "lines for the daemon's send"
assert_eq $'task-live/2022-04-30/end-1d@08:00/agency-1/hook\ttask-live\tagency-1\thook\tsent\t1\t' \
    "$(tail -n 1 "$T/out" | cut -f 2-)" "the daemon's ledger entry as log reads it"
nv log --format tsv --task task-m --channel hook || fail "log of the missed"
assert_eq 101 "$(wc -l <"$T/out")" "missed reminders, found by their channel"

# A ledger with more channels than any fixed table: every one gets its row.
for i in $(seq -w 1 70); do
	led id "t/2022-04-30/end@08:00/a/old-$i" channel "old-$i" outcome sent \
	    attempt 1 at 1651194000000
done
nv report || fail "report with 72 channels"
assert_eq 74 "$(wc -l <"$T/out")" "report lines: header, 72 channels, total"
assert_grep "^$(row old-70 1 0 0 0 0 0)\$" "$T/out" "the 70th old channel"
assert_grep '^180 ledger entries;' "$T/out" "every entry counted"

# A pause's times, as pause and status print them: the plan's zone too.
TZ=America/New_York "$NHACVIEC" -c "$T/nv.conf" pause hook --for 2h --reason 'bảo trì' \
    >"$T/pause.out" 2>&1 || fail "pause: $(cat "$T/pause.out")"
assert_grep '^hook paused in every daemon, until 20[0-9-]{8}T[0-9:]{8}\+07:00$' "$T/pause.out" \
    "pause: until when, in the plan's zone"
nv status || fail "status: $(cat "$T/err")"
assert_grep '^paused hook since 20[0-9-]{8}T[0-9:]{8}\+07:00 until 20[0-9-]{8}T[0-9:]{8}\+07:00, by .*: bảo trì; ' \
    "$T/out" "status: the pause in the plan's zone"
