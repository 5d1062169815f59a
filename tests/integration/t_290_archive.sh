#!/bin/bash
# A ledger that does not grow forever. Sixteen months of a district's Redis
# (archive_data.py: the ledger, dead letters, states, attempts, refs and
# follow-ups, 2021-01 to 2022-04) and a daemon on the virtual clock of
# 27/04/2022 with [ledger] keep = 30d. An archive folder that is not a
# folder stops the run before anything leaves Redis. Then the run (a control
# message type=archive) writes exactly the old items to 2021.jsonl and
# 2022.jsonl, fsynced, modes 640, and Redis keeps exactly the recent ones;
# lines an earlier run wrote without removing (a crash in between) are
# written again and read once, a bad line and a torn one are skipped with
# FILE:LINE. `nhacviec log` and `report` give the same bytes as before the
# archive, over old ranges and ranges that straddle it. A lock held by
# another daemon stops a run; a second run moves nothing. The removal
# script removes nothing that changed after it was read.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
mkdir -p "$T/plan.d"
CLOCK=2022-04-27T09:00:00+07:00
NOW=$(date -d "$CLOCK" +%s%3N)
# conf KEY=VALUE...: the test config with [ledger] keep = 30d.
conf() {
	write_conf "$T/nv.conf" "$hook_PORT" keep=30d "$@"
	printf '\n[plan]\nfiles = plan.d/*.conf\n' >>"$T/nv.conf"
}
conf "archive_dir=$T/archive"
cat >"$T/plan.d/p.conf" <<'EOP'
[calendar]
timezone = Asia/Ho_Chi_Minh

[agency noi-vu]
name = Phòng Nội vụ
email = nv@example.gov.vn

[agency tai-chinh]
name = Phòng Tài chính, Kế hoạch
email = tc@example.gov.vn

[agency van-hoa]
name = Phòng Văn hóa và Thông tin
email = vh@example.gov.vn

[task dan-hoi]
title = Chuyên mục "Dân hỏi, Chính quyền trả lời"
lead = noi-vu
partners = tai-chinh, van-hoa
rule = FREQ=MONTHLY;BYDAY=-1SA
start = 2021-01-01
until = 2022-12-31
remind = end-3d@08:00
channels = hook
EOP
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load.out" 2>&1 || fail "load: $(cat "$T/load.out")"
"$NV_PYTHON" "$NV_ROOT/tests/integration/archive_data.py" "$T" "$NOW" 30 ||
    fail "archive_data.py"
rcli <"$T/fill.redis" | grep -v '^[0-9]' | grep . && fail "filling Redis: see above"
"$NHACVIEC" -c "$T/nv.conf" --clock "$CLOCK" pause hook --reason "bảo trì" >"$T/pause.out" 2>&1 ||
    fail "pause: $(cat "$T/pause.out")"
. "$T/expect.sh"
# The pause is in the ledger too (what people did): a recent entry.
PAUSED=$(($(rcli XLEN '{t}:log') - OLD_LOG - NEW_LOG))
assert_le "$PAUSED" 1 "ledger entries of the pause"
NEW_LOG=$((NEW_LOG + PAUSED))
assert_ge "$OLD_LOG" 40 "old ledger entries to archive"
assert_ge "$NEW_LOG" 1 "recent ledger entries to keep"

# nv OUT ARGS...: nhacviec on the scenario's clock, stdout to OUT; a
# sanitizer report (a leak) fails the scenario.
nv() {
	local out=$1 rc=0
	shift
	"$NHACVIEC" -c "$T/nv.conf" --clock "$CLOCK" "$@" >"$out" 2>"$T/nv.err" || rc=$?
	if grep -Eq -- "$NV_SAN_RE" "$T/nv.err"; then
		cat "$T/nv.err" >&2
		fail "nhacviec $*: a sanitizer report"
	fi
	return $rc
}
# What an admin reads, before anything is archived.
reads() {	# SUFFIX
	nv "$T/log-2021.$1" log --since 2021-01-01 --until 2021-12-31 --format tsv &&
	nv "$T/log-all.$1" log --format tsv &&
	nv "$T/log-mar.$1" log --since 2022-03-01 --format tsv &&
	nv "$T/agency-q2.$1" report --by agency --from 2021-04-01 --to 2021-06-30 --format csv &&
	nv "$T/task-2022.$1" report --by task --from 2022-01-01 --to 2022-04-30 --format csv &&
	nv "$T/agency-2021.$1" report --by agency --from 2021-01-01 --to 2021-12-31 &&
	nv "$T/channel.$1" report --from 2021-01-01 --to 2022-04-30 --format csv
}
reads before || fail "reading before the archive: $(cat "$T/nv.err")"
assert_eq "$((OLD_LOG + NEW_LOG + 1))" "$(wc -l <"$T/log-all.before")" "the whole ledger, header and all"
grep -q ',2022-03-26,3,2,1,1,1,0,2'$'\r''$' "$T/task-2022.before" ||
    fail "the report's row of March: $(cat "$T/task-2022.before")"

# archive_run: send type=archive once the daemon reads {t}:control, and
# wait until a run ends (its figures in {t}:archive).
archive_run() {
	local before
	before=$(rcli HGET '{t}:archive' last_run)
	wait_until 20 "rcli CLIENT LIST | grep -q 'cmd=xread'" ||
	    fail "the daemon does not read {t}:control"
	rcli XADD '{t}:control' '*' type archive >/dev/null
	wait_until 30 '[ "$(rcli HGET "{t}:archive" last_run)" != "$before" ]' ||
	    fail "no archive run ended; see $T/nv.out"
}
field() { rcli HGET '{t}:archive' "$1"; }

# --- a folder that is not a folder: the run stops, nothing leaves Redis ------
echo "not a folder" >"$T/archive"
daemon_start nv "$T/nv.conf" --clock "$CLOCK"	# the last --clock wins
n_log=$(rcli XLEN '{t}:log')
n_state=$(rcli HLEN '{t}:state')
archive_run
assert_eq "$T/archive: not a folder (a regular file)" "$(field last_error)" "the run's error"
assert_grep 'archive: .*/archive: not a folder \(a regular file\); nothing more removed from Redis' \
    "$T/nv.out" "the log says so"
assert_eq "$n_log" "$(rcli XLEN '{t}:log')" "ledger entries after a refused run"
assert_eq "$n_state" "$(rcli HLEN '{t}:state')" "states after a refused run"
# The daemon's clock has run on a little since $CLOCK.
kept=$(field oldest_kept)
assert_ge "$kept" "$CUTOFF" "what Redis keeps from now on"
assert_le "$kept" "$((CUTOFF + 120000))" "what Redis keeps from now on"

# --- the run ------------------------------------------------------------------
rm "$T/archive"
mkdir -m 750 "$T/archive"
cp "$T/inject.jsonl" "$T/archive/2021.jsonl"
chmod 640 "$T/archive/2021.jsonl"
kill -HUP "$(pid_of nv)"
archive_run
assert_eq "" "$(field last_error)" "the run's error"
[ -f "$T/archive/2022.jsonl" ] || fail "no 2022.jsonl"
assert_eq 640 "$(stat -c %a "$T/archive/2022.jsonl")" "the mode of a new year file"
# kinds FILE...: "KIND COUNT" lines of the archive lines that parse.
kinds() {
	"$NV_PYTHON" - "$@" <<'EOF'
import collections, json, sys
n = collections.Counter()
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        try:
            n[json.loads(line)["kind"]] += 1
        except ValueError:
            pass
for k in ("log", "dead", "state", "ref", "occ"):
    print(k, n[k])
EOF
}
kinds "$T"/archive/*.jsonl >"$T/kinds.out"
# What was injected (2 ledger entries, a state, an occurrence) is there twice.
assert_eq "log $((OLD_LOG + 2))
dead $OLD_DEAD
state $((OLD_STATE + 1))
ref $OLD_REF
occ $((OLD_OCC + 1))" "$(cat "$T/kinds.out")" "lines per kind in the archive"
assert_eq "$((OLD_LOG + OLD_DEAD + OLD_STATE + OLD_REF + OLD_OCC))" "$(field moved)" \
    "moved, as {t}:archive says"
# The torn line was ended before the run's first line: that one is whole.
assert_eq '{"kind":"log","id":"16' "$(sed -n 6p "$T/archive/2021.jsonl")" "the torn line, on its own"
sed -n 7p "$T/archive/2021.jsonl" | "$NV_PYTHON" -c 'import json, sys; json.loads(sys.stdin.read())' ||
    fail "the run's first line is not whole"
# A state line carries its attempts.
grep -q '"kind":"state","id":"dan-hoi/2021-01-30/end-3d@08:00/van-hoa/hook","state":"dead","attempts":"3"}' \
    "$T/archive/2021.jsonl" || fail "the dead letter's state and attempts"

# Redis keeps exactly what is recent.
assert_eq "$NEW_LOG" "$(rcli XLEN '{t}:log')" "ledger entries kept"
assert_eq "$NEW_DEAD" "$(rcli XLEN '{t}:dead')" "dead letters kept"
assert_eq "$((NEW_STATE + 2))" "$(rcli HLEN '{t}:state')" "states kept (and the report's, the held one)"
assert_eq sent "$(rcli HGET '{t}:state' report:quy/2021-Q1/noi-vu/hook)" "a report send's state stays"
assert_eq held "$(rcli HGET '{t}:state' dan-hoi/2021-01-30/end-1d@08:00/noi-vu/hook)" "a state not final stays"
assert_eq "$NEW_REF" "$(rcli HLEN '{t}:refs')" "refs kept"
assert_eq "$NEW_DEAD" "$(rcli HLEN '{t}:attempts')" "attempts left (of the recent dead letters)"
assert_eq 0 "$(rcli ZCOUNT '{t}:occurrences' -inf "($CUTOFF")" "old occurrences in the index"
assert_eq 0 "$(rcli --scan --pattern '{t}:occ:dan-hoi/2021-*' | wc -l)" "old follow-up hashes"
assert_eq "$NEW_OCC" "$(rcli --scan --pattern '{t}:occ:*' | wc -l)" "follow-up hashes kept"
oldest=$(rcli XRANGE '{t}:log' - + COUNT 1 | awk 'p { print; exit } $0 == "at" { p = 1 }')
assert_ge "$oldest" "$((CUTOFF + 1))" "the oldest ledger entry kept"
assert_grep 'archive: .* moved to .*Redis keeps what is newer than' "$T/nv.out" "the run's summary"

# --- reading: the same bytes as before ------------------------------------------
reads after || fail "reading after the archive: $(cat "$T/nv.err")"
for f in log-2021 log-all log-mar agency-q2 task-2022 agency-2021 channel; do
	cmp "$T/$f.before" "$T/$f.after" ||
	    { diff "$T/$f.before" "$T/$f.after" >&2; fail "$f differs after the archive"; }
done
# The lines that are not archive lines, named by FILE:LINE.
nv "$T/log.out" log --since 2021-01-01 --until 2021-01-31
assert_grep "^$T/archive/2021.jsonl:5: not JSON: .*; skipped$" "$T/nv.err" "the bad line"
assert_grep "^$T/archive/2021.jsonl:6: not JSON: .*; skipped$" "$T/nv.err" "the torn line"
nv "$T/status.out" status || fail "status: $(cat "$T/nv.err")"
assert_grep "^archive +last run 2022-04-27T09:[0-9:]+\+07:00, $(field moved) moved to $T/archive$" \
    "$T/status.out" "status: the last run"
assert_grep '^ +Redis holds what is newer than 2022-03-28T09:0[0-2]:[0-9]{2}\+07:00; older is in the archive$' \
    "$T/status.out" "status: what Redis holds"

# --- another daemon holds the lock: nothing happens ------------------------------
md5sum "$T"/archive/*.jsonl >"$T/md5.1"
rcli SET '{t}:archive:lock' other-daemon PX 600000 >/dev/null
n=$(grep -c 'another daemon holds' "$T/nv.out")
rcli XADD '{t}:control' '*' type archive >/dev/null
wait_until 20 '[ "$(grep -c "another daemon holds" "$T/nv.out")" -gt '"$n"' ]' ||
    fail "the lock held elsewhere did not stop the run"
assert_eq other-daemon "$(rcli GET '{t}:archive:lock')" "the other daemon's lock"
rcli DEL '{t}:archive:lock' >/dev/null

# --- a second run moves nothing, writes nothing -----------------------------------
archive_run
assert_eq 0 "$(field moved)" "moved by a second run"
md5sum "$T"/archive/*.jsonl | cmp -s - "$T/md5.1" || fail "a second run changed the archive"
assert_eq "" "$(rcli GET '{t}:archive:lock')" "the lock after a run"
stop nv || fail "nhacviecd exit status $?"

# --- the removal script removes only what is unchanged ----------------------------
# A state that changed since it was read (requeued), an occurrence with a
# follow-up more, a ref that names another reminder: all stay.
rcli HSET '{t}:state' x/2021-01-02/end@08:00/a/hook queued >/dev/null
rcli HSET '{t}:occ:x/2021-01-02' a:reached '1 hook' a:done '2 link' >/dev/null
rcli ZADD '{t}:occurrences' 1609606800000 x/2021-01-02 >/dev/null
rcli HSET '{t}:refs' r-x other/2021-01-02/end@08:00/a/hook >/dev/null
rcli SET '{t}:archive:lock' tok >/dev/null
lua() {
	rcli EVAL "$(cat "$NV_ROOT/lua/archive.lua")" 8 '{t}:archive:lock' '{t}:archive' \
	    '{t}:log' '{t}:dead' '{t}:state' '{t}:attempts' '{t}:refs' '{t}:occurrences' "$@"
}
assert_eq 0 "$(lua state tok 60000 x/2021-01-02/end@08:00/a/hook sent)" "a changed state removed"
assert_eq 0 "$(lua occ tok 60000 x/2021-01-02 1 a:reached '1 hook')" "a changed occurrence removed"
assert_eq 0 "$(lua ref tok 60000 r-x x/2021-01-02/end@08:00/a/hook)" "a changed ref removed"
assert_eq 2 "$(rcli HLEN '{t}:occ:x/2021-01-02')" "the changed occurrence"
assert_eq 1 "$(rcli ZCOUNT '{t}:occurrences' 1609606800000 1609606800000)" "its index member"
[[ $(lua state wrong-token 60000 a b 2>&1) == *LOCKLOST* ]] || fail "a run that lost the lock"
# Unchanged, they go.
assert_eq 1 "$(lua occ tok 60000 x/2021-01-02 2 a:done '2 link' a:reached '1 hook')" "an unchanged occurrence"
assert_eq 0 "$(rcli EXISTS '{t}:occ:x/2021-01-02')" "its hash"
assert_eq 1 "$(lua state tok 60000 x/2021-01-02/end@08:00/a/hook queued)" "an unchanged state"
