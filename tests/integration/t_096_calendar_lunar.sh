#!/bin/bash
# Next year without a search engine: `nhacviec calendar YEAR` prints the
# statutory days off of 2023 to 2030, Tết and Giỗ Tổ Hùng Vương on their
# published days, as a [calendar] section the plan loads as it is; `check`
# names a year that a task reaches without holidays, and the command that
# prints them; a lunar task previews on the right solar day every year.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup "$(basename "$0" .sh)"

nv() { "$NHACVIEC" "$@"; }
# The main config: a console channel, the plan files of $T/plan.d.
mkdir -p "$T/plan.d"
cat >"$T/nv.conf" <<EOC
[redis]
address = unix:$T/redis.sock
prefix = t

[plan]
files = $T/plan.d/*.conf
horizon = 35d

[channel console]
type = console
EOC
cal() { nv -c "$T/nv.conf" calendar "$@"; }

# --- calendar: the published lunar days, the ranges, the notice ----------
# Tết (mùng 1) and Giỗ Tổ Hùng Vương (10/3) as published in Vietnam. 2030:
# the new moon of 2 February came at 23:07 in Hanoi, 00:07 in Beijing, so
# Vietnam's Tết is a day before China's (3 February).
tet=(2023-01-22 2024-02-10 2025-01-29 2026-02-17 2027-02-06 2028-01-26 2029-02-13 2030-02-02)
hung=(2023-04-29 2024-04-18 2025-04-07 2026-04-26 2027-04-16 2028-04-04 2029-04-23 2030-04-12)
# The holidays lines: days in lieu of weekend holidays included, weekends
# between days off joined into ranges. 2023-2026 are the days the
# government announced, less its swapped working days (2025: 2/5 for 26/4;
# 2026: 31/8 for 22/8), which the notice adds.
declare -A want=(
[2023]="2023-01-01..2023-01-02, 2023-01-20..2023-01-26, 2023-04-29..2023-05-03, 2023-09-01..2023-09-04"
[2024]="2024-01-01, 2024-02-08..2024-02-14, 2024-04-18, 2024-04-30..2024-05-01, 2024-09-02..2024-09-03"
[2025]="2025-01-01, 2025-01-27..2025-01-31, 2025-04-07, 2025-04-30..2025-05-01, 2025-09-01..2025-09-02"
[2026]="2026-01-01, 2026-02-16..2026-02-20, 2026-04-26..2026-04-27, 2026-04-30..2026-05-01, 2026-09-01..2026-09-02"
[2027]="2027-01-01, 2027-02-04..2027-02-10, 2027-04-16, 2027-04-30..2027-05-03, 2027-09-02..2027-09-03"
[2028]="2028-01-01..2028-01-03, 2028-01-24..2028-01-28, 2028-04-04, 2028-04-30..2028-05-02, 2028-09-01..2028-09-04"
[2029]="2029-01-01, 2029-02-12..2029-02-16, 2029-04-23, 2029-04-30..2029-05-01, 2029-09-01..2029-09-04"
[2030]="2030-01-01, 2030-01-31..2030-02-06, 2030-04-12, 2030-04-30..2030-05-01, 2030-09-02..2030-09-03"
)
# dd/mm of an ISO day
dm() { echo "${1:8:2}/${1:5:2}"; }
for i in "${!tet[@]}"; do
	y=${tet[$i]:0:4}
	cal "$y" >"$T/cal-$y.conf" 2>"$T/cal-$y.err" || fail "calendar $y: $(cat "$T/cal-$y.err")"
	[ ! -s "$T/cal-$y.err" ] || fail "calendar $y wrote to stderr"
	assert_eq "holidays = ${want[$y]}" "$(grep '^holidays = ' "$T/cal-$y.conf")" "holidays of $y"
	assert_grep "^;   Tết Âm lịch [^(]+ \(5 ngày; mùng 1 Tết: [^ ]+ [^ ]+ $(dm "${tet[$i]}")\): " "$T/cal-$y.conf" "Tết $y on ${tet[$i]}"
	assert_grep "^;   Giỗ Tổ Hùng Vương \(10/3 âm lịch\): [^ ]+ [^ ]+ $(dm "${hung[$i]}")" "$T/cal-$y.conf" "Hùng Kings $y on ${hung[$i]}"
	assert_grep '^; THÔNG BÁO HẰNG NĂM CỦA CHÍNH PHỦ quyết định ngày nghỉ chính thức' "$T/cal-$y.conf" "the notice decides ($y)"
	assert_grep 'đi làm bù vào extra_workdays\.$' "$T/cal-$y.conf" "swapped Saturdays go to extra_workdays ($y)"
	assert_eq "extra_workdays =" "$(tail -1 "$T/cal-$y.conf")" "last line ($y)"
done
assert_grep '^;   Tết Âm lịch Canh Tuất \(5 ngày; mùng 1 Tết: thứ Bảy 02/02\): thứ Năm 31/01, thứ Sáu 01/02, thứ Hai 04/02, thứ Ba 05/02, thứ Tư 06/02$' "$T/cal-2030.conf" "Tết 2030 line"
assert_grep '^;   Giỗ Tổ Hùng Vương \(10/3 âm lịch\): thứ Bảy 29/04; nghỉ bù thứ Ba 02/05$' "$T/cal-2023.conf" "a day in lieu"
# Two years at once: one section, one holidays line.
cal 2025 2024 >"$T/cal-2024-2025.conf" || fail "calendar 2025 2024"
assert_eq "holidays = ${want[2024]}, ${want[2025]}" "$(grep '^holidays = ' "$T/cal-2024-2025.conf")" "holidays of 2024 and 2025"
assert_eq 1 "$(grep -c '^\[calendar\]$' "$T/cal-2024-2025.conf")" "one [calendar]"
# Years the law does not cover.
for bad in 2020 2101 20x4; do
	cal "$bad" >"$T/bad.out" 2>"$T/bad.err" && fail "calendar $bad succeeded"
	assert_eq 64 "$(cal "$bad" >/dev/null 2>&1; echo $?)" "calendar $bad exit status"
	assert_grep "^nhacviec calendar: '$bad' is not a year from 2021 to 2100" "$T/bad.err" "calendar $bad message"
	[ ! -s "$T/bad.out" ] || fail "calendar $bad printed something"
done

# --- the fragment in a plan; check and its warning ------------------------
cat >"$T/plan.d/tasks.conf" <<'EOP'
[window trua]
start = 11:00
end = 11:30

[agency van-hoa]
name = Phòng Văn hóa và Thông tin

[task gio-to]
title = Giỗ Tổ Hùng Vương
lead = van-hoa
lunar = 10/3
remind_lead = end@trua-30m
channels = console

[task bao-cao]
title = Báo cáo năm 2025
lead = van-hoa
date = 2025-12-15
remind = end-2d@08:00
channels = console
EOP
cal 2023 2024 >"$T/plan.d/00-calendar.conf" || fail "calendar 2023 2024"
check() { nv --clock "$1" -c "$T/nv.conf" check >"$T/check.out" 2>"$T/check.err" || fail "check at $1: $(cat "$T/check.err")"; }
# The lunar task's window reminder falls on Giỗ Tổ itself, a holiday once
# a year has its holidays listed: check says so too (a warning of its own,
# left aside here but for the count).
holidays_warnings() { grep -v "warning: task 'gio-to': remind_lead 'end@trua-30m' is sent on a day off: " "$T/check.err"; }
# In June 2023: 2025 has a task and no holidays; the lunar task has no end,
# but the horizon stays in 2023 and 2024 is listed (Giỗ Tổ 2024, Thursday
# 18 April, with it).
check 2023-06-01T08:00:00+07:00
assert_eq "$T/plan.d/tasks.conf:15: warning: no holidays listed for 2025: add them to [calendar] holidays (\`nhacviec calendar 2025\` prints them)" "$(holidays_warnings)" "the warning, at the task that reaches 2025"
assert_grep "^$T/plan.d/tasks.conf:8: warning: task 'gio-to': remind_lead 'end@trua-30m' is sent on a day off: Thu 2024-04-18 \(a holiday\); " "$T/check.err" "Giỗ Tổ 2024"
assert_grep '2 warnings$' "$T/check.out" "check counts them"
# In December 2024 the horizon reaches January 2025: the open lunar task,
# first in the file, is the first to reach it.
check 2024-12-10T08:00:00+07:00
assert_eq "$T/plan.d/tasks.conf:8: warning: no holidays listed for 2025: add them to [calendar] holidays (\`nhacviec calendar 2025\` prints them)" "$(holidays_warnings)" "the warning, at the open task"
# The admin adds 2025: no year left without holidays (Giỗ Tổ 2025, Monday
# 7 April, is now known as a holiday).
cal 2023 2024 2025 >"$T/plan.d/00-calendar.conf" || fail "calendar 2023 2024 2025"
check 2024-12-10T08:00:00+07:00
[ -z "$(holidays_warnings)" ] || fail "check still warns: $(cat "$T/check.err")"
assert_grep "^$T/plan.d/tasks.conf:8: warning: task 'gio-to': remind_lead 'end@trua-30m' is sent on a day off: Mon 2025-04-07 \(a holiday\); " "$T/check.err" "Giỗ Tổ 2025"
assert_grep 'configuration OK; .*: 2 tasks, 1 agencies, 1 warnings$' "$T/check.out" "check clean but for Giỗ Tổ"

# --- preview: the lunar task on its solar day, every year ------------------
nv -c "$T/nv.conf" preview --format tsv --from 2023-01-01 --to 2030-12-31 >"$T/years.tsv" 2>"$T/years.err" || fail "preview: $(cat "$T/years.err")"
{
	printf 'fire_at\ttask\tdue\tagency\tchannel\tspec\n'
	for d in "${hung[@]}"; do
		printf '%sT10:30:00+07:00\tgio-to\t%s\tvan-hoa\tconsole\tend@trua-30m\n' "$d" "$d"
	done
} >"$T/years.want"
grep -v $'\tbao-cao\t' "$T/years.tsv" | diff "$T/years.want" - || fail "the lunar task's days differ"
# And the text calendar names the day: Saturday 29 April 2023.
nv -c "$T/nv.conf" preview --from 2023-04-29 --to 2023-04-29 >"$T/day.txt" || fail "text preview"
assert_grep '^Thứ Bảy, 29/04/2023$' "$T/day.txt" "day heading"
assert_grep '^  10:30  Giỗ Tổ Hùng Vương — Phòng Văn hóa và Thông tin \(console\)$' "$T/day.txt" "task line"
echo "ok"
