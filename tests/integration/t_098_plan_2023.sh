#!/bin/bash
# The plan rolls over to 2023 the way README tells an admin, in December
# 2022: copy tasks-2022.conf to tasks-2023.conf, rename the ids and move
# the dates, append 2023's days off (`nhacviec calendar 2023`) to
# calendar.conf as one more [calendar] section. Then `check` is clean: no
# error, no year without holidays, and as warnings only the broadcast-window
# reminders to come that the plan itself puts on a day off (the radio
# station's April reminder on Sunday 30/4; the last Saturday of April 2023
# is Giỗ Tổ Hùng Vương). `preview` gives the instants worked out here by hand,
# with 2023's holidays taken into account; 2022 is untouched. A second time
# zone in another file is an error naming both places.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup "$(basename "$0" .sh)"

mkdir -p "$T/plan.d"
cp "$NV_ROOT/config/plan.d/"*.conf "$T/plan.d/"
cat >"$T/nv.conf" <<EOC
[redis]
address = unix:$T/redis.sock

[plan]
files = $T/plan.d/*.conf

[channel zalo]
type = console
contact = zalo

[channel email]
type = console
contact = email
EOC
nv() { "$NHACVIEC" --clock 2022-12-15T08:00:00+07:00 -c "$T/nv.conf" "$@"; }
tsv() { nv preview --format tsv --from "$1" --to "$2"; }

nv check >"$T/check0.out" 2>&1 || { cat "$T/check0.out"; fail "the shipped plan does not pass check"; }
tsv 2022-01-01 2022-12-31 >"$T/2022-before.tsv" || fail "preview of 2022"

# --- what the admin does -------------------------------------------------
# Ids get the year; every 2022 becomes 2023 (dates, titles, the plan's own
# document); nothing else changes.
sed -e 's/2022/2023/g' -e 's/^\[task \([^]]*\)\]/[task \1-2023]/' \
    "$T/plan.d/tasks-2022.conf" >"$T/plan.d/tasks-2023.conf"
assert_eq "$(grep -c '^\[task ' "$T/plan.d/tasks-2022.conf")" \
    "$(grep -c '^\[task [a-z0-9-]*-2023\]$' "$T/plan.d/tasks-2023.conf")" "tasks renamed"

# Without 2023's days off `check` says so, at the first task of 2023, and
# the last Saturday of January 2023 (the 28th) is reminded of on Wednesday
# the 25th, in the middle of Tết.
nv check >"$T/check1.out" 2>&1 || { cat "$T/check1.out"; fail "check without 2023's holidays"; }
line=$(grep -n '^\[task dan-hoi-2023\]$' "$T/plan.d/tasks-2023.conf" | cut -d: -f1)
assert_grep "^$T/plan.d/tasks-2023.conf:$line: warning: no holidays listed for 2023: " "$T/check1.out" "2023 without holidays"
tsv 2023-01-01 2023-01-31 >"$T/jan-noholidays.tsv" || fail "preview without 2023's holidays"
assert_grep $'^2023-01-25T08:00:00\+07:00\tdan-hoi-2023\t2023-01-28\tdai-truyen-thanh\tzalo\tend-3d@08:00$' \
    "$T/jan-noholidays.tsv" "before: end-3d on Tết"

# 2023's days off for civil servants, as the government's notice gave them:
# New Year on Mon 02/01 (01/01 a Sunday); Tết Quý Mão Fri 20/01 to Thu
# 26/01; Hùng Kings (Sat 29/04) and 30/4 (Sun) made up on Tue 02/05 and
# Wed 03/05, with 1/5 on Mon 01/05; National Day Fri 01/09 to Mon 04/09.
# `nhacviec calendar 2023` prints them as a whole [calendar] section (the
# same time zone and working week again, which may be repeated).
{ echo; nv calendar 2023; } >>"$T/plan.d/calendar.conf" || fail "calendar 2023"
assert_eq "holidays = 2023-01-01..2023-01-02, 2023-01-20..2023-01-26, 2023-04-29..2023-05-03, 2023-09-01..2023-09-04" \
    "$(grep '^holidays = 2023' "$T/plan.d/calendar.conf")" "2023's days off"
assert_eq 2 "$(grep -c '^\[calendar\]$' "$T/plan.d/calendar.conf")" "two [calendar] sections"

# --- check: clean -------------------------------------------------------
nv check >"$T/check.out" 2>&1 || { cat "$T/check.out"; fail "check with 2023 failed"; }
cat "$T/check.out"
assert_no_grep 'error|no holidays listed' "$T/check.out" "errors or a year without holidays"
assert_grep "configuration OK; plan .*: 22 tasks, 24 agencies, 3 warnings$" "$T/check.out" "summary"
grep ': warning: ' "$T/check.out" | sed -e "s|^$T/plan.d/||" -e 's/:[0-9]*: warning: / /' -e 's/;.*//' >"$T/warnings.txt"
cat >"$T/warnings.want" <<'EOW'
tasks-2023.conf task 'dan-hoi-2023': remind_lead 'end@trua-30m' is sent on a day off: Sat 2023-04-29 (a holiday)
tasks-2023.conf task 'dan-hoi-2023': remind_lead 'end@chieu-30m' is sent on a day off: Sat 2023-04-29 (a holiday)
tasks-2023.conf task 'chi-so-cchc-2023': remind_lead 'end@trua-30m' is sent on a day off: Sun 2023-04-30 (a holiday)
EOW
diff "$T/warnings.want" "$T/warnings.txt" || fail "the warnings differ"

# --- preview: worked out by hand -----------------------------------------
tsv 2023-01-01 2023-12-31 >"$T/2023.tsv" 2>"$T/2023.err" || fail "preview of 2023: $(cat "$T/2023.err")"
# 2022's tasks end with their last escalation: December's broadcast
# (Saturday 31/12/2022) is followed up on Tuesday 3 January (1 January a
# Sunday, 2 January its day off).
assert_eq "$(printf '2023-01-03T08:00:00+07:00\tdan-hoi\t2022-12-31\tnoi-vu\temail\tescalate:end+1d@08:00\n2023-01-03T08:00:00+07:00\tdan-hoi\t2022-12-31\tnoi-vu\tzalo\tescalate:end+1d@08:00')" \
    "$(tail -n +2 "$T/2023.tsv" | grep -vP '^[^\t]*\t[^\t]*-2023\t')" "only 2023's tasks in 2023, and 2022's last escalation"
tsv 2022-01-01 2022-12-31 >"$T/2022-after.tsv" || fail "preview of 2022 after"
cmp -s "$T/2022-before.tsv" "$T/2022-after.tsv" || fail "2022's reminders changed: $(diff "$T/2022-before.tsv" "$T/2022-after.tsv" | head)"

# Row 1 in January, to the radio station: the 25th is Tết, and so are the
# 24th, 23rd and 20th (the 21st and 22nd a weekend): back to Thursday 19th.
# Friday 27th works; the air day keeps its window reminders.
grep -P '^2023-01[^\t]*\tdan-hoi-2023\t[^\t]*\tdai-truyen-thanh\tzalo\t' "$T/2023.tsv" >"$T/row1.tsv"
cat >"$T/row1.want" <<'EOW'
2023-01-19T08:00:00+07:00	dan-hoi-2023	2023-01-28	dai-truyen-thanh	zalo	end-3d@08:00
2023-01-27T08:00:00+07:00	dan-hoi-2023	2023-01-28	dai-truyen-thanh	zalo	end-1d@08:00
2023-01-28T10:30:00+07:00	dan-hoi-2023	2023-01-28	dai-truyen-thanh	zalo	end@trua-30m
2023-01-28T16:15:00+07:00	dan-hoi-2023	2023-01-28	dai-truyen-thanh	zalo	end@chieu-30m
EOW
diff "$T/row1.want" "$T/row1.tsv" || fail "row 1 (January 2023, radio station) differs"

# Row 2, Tháng 4/2023: 1 April is a Saturday, back to Friday 31 March; 23
# April a Sunday, back to Friday 21; 27 April a Thursday; the window
# reminder on Sunday 30 April, 10:30, unmoved; the escalation from 1 May
# over the holidays (29/4 to 3/5) to Thursday 4 May.
grep -P '^[^\t]*\tchi-so-cchc-2023\t' "$T/2023.tsv" >"$T/row2.tsv"
cat >"$T/row2.want" <<'EOW'
2023-03-31T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	email	start@08:00
2023-03-31T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	zalo	start@08:00
2023-03-31T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	noi-vu	email	start@08:00
2023-03-31T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	noi-vu	zalo	start@08:00
2023-04-21T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	email	end-7d@08:00
2023-04-21T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	zalo	end-7d@08:00
2023-04-21T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	noi-vu	email	end-7d@08:00
2023-04-21T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	noi-vu	zalo	end-7d@08:00
2023-04-27T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	email	end-3d@08:00
2023-04-27T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	zalo	end-3d@08:00
2023-04-30T10:30:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	email	end@trua-30m
2023-04-30T10:30:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	dai-truyen-thanh	zalo	end@trua-30m
2023-05-04T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	noi-vu	email	escalate:end+1d@08:00
2023-05-04T08:00:00+07:00	chi-so-cchc-2023	2023-04-01..2023-04-30	noi-vu	zalo	escalate:end+1d@08:00
EOW
diff "$T/row2.want" "$T/row2.tsv" || fail "row 2 (April 2023) differs"

# Row 5, Tháng 9/2023: 1 September is National Day's first day off, so the
# opening reminder goes on Thursday 31 August.
assert_eq "2023-08-31T08:00:00+07:00" \
    "$(awk -F '\t' '$2 == "hoi-thi-cchc-2023" && $4 == "van-hoa" && $5 == "zalo" && $6 == "start@08:00" { print $1 }' "$T/2023.tsv")" \
    "row 5: start on the day before National Day"

# The reports: due Friday 15/09/2023; Phòng Nội vụ's escalation the day
# after falls on a Saturday and goes on the Monday; the six-month one
# (Thursday 15/06) a week before on Thursday 08/06, its escalation on
# Friday 16/06.
assert_eq "2023-09-18T08:00:00+07:00" \
    "$(awk -F '\t' '$2 == "bao-cao-quy-2023" && $3 == "2023-09-15" && $4 == "noi-vu" && $5 == "zalo" && $6 == "escalate:end+1d@08:00" { print $1 }' "$T/2023.tsv")" \
    "quarterly report: the escalation the day after, on a Saturday"
assert_eq "2023-06-08T08:00:00+07:00 2023-06-16T08:00:00+07:00" \
    "$(awk -F '\t' '$2 == "bao-cao-6-thang-2023" && $4 == "noi-vu" && $5 == "zalo" && ($6 == "end-7d@08:00" || $6 == "escalate:end+1d@08:00") { print $1 }' "$T/2023.tsv" | paste -sd ' ')" \
    "six-month report: a week before and the day after"

# The lunar example: Giỗ Tổ Hùng Vương was Saturday 29/04/2023. Two weeks
# before is Saturday 15/04, back to Friday 14/04; three days before is
# Wednesday 26/04.
assert_eq "2023-04-14T08:00:00+07:00 2023-04-26T08:00:00+07:00" \
    "$(awk -F '\t' '$2 == "gio-to-hung-vuong-2023" && $4 == "van-hoa" && $5 == "zalo" { print $1 }' "$T/2023.tsv" | paste -sd ' ')" \
    "Hùng Kings 2023, to the lead"

# --- the calendar holds one time zone -------------------------------------
printf '\n[calendar]\ntimezone = Asia/Bangkok\n' >>"$T/plan.d/tasks-2023.conf"
tzline=$(grep -n -m1 '^timezone' "$T/plan.d/calendar.conf" | cut -d: -f1)
nv check >"$T/tz.out" 2>&1
assert_eq 78 "$?" "exit status with two time zones"
assert_grep "^$T/plan.d/tasks-2023.conf:[0-9]+: timezone: 'Asia/Bangkok' differs from 'Asia/Ho_Chi_Minh' at $T/plan.d/calendar.conf:$tzline; " \
    "$T/tz.out" "both places named"
exit 0
