#!/bin/bash
# The shipped 2022 plan, row by row for three appendix tasks: `preview`
# prints the instants worked out here by hand (weekends move to the Friday
# before; broadcast-window reminders stay on the air day).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup "$(basename "$0" .sh)"

conf=$NV_ROOT/config/demo.conf
tsv() { "$NHACVIEC" -c "$conf" preview --format tsv --from "$1" --to "$2"; }
tsv 2022-01-01 2022-12-31 >"$T/year.tsv" 2>"$T/year.err" || fail "preview failed: $(cat "$T/year.err")"
assert_eq "$(printf 'fire_at\ttask\tdue\tagency\tchannel\tspec')" "$(head -1 "$T/year.tsv")" "TSV header"

# Row 7, Tháng 11/2022, lead Phòng Nội vụ alone (the partner is the province's plan).
# 1 Nov is a Tuesday; 23 Nov a Wednesday; 27 Nov a Sunday -> Friday 25 Nov;
# the escalation to Phòng Nội vụ the day after the month: Thursday 1 Dec.
grep -P '^[^\t]*\thoc-tap-ngoai-tinh\t' "$T/year.tsv" >"$T/row7.tsv"
cat >"$T/row7.want" <<'EOW'
2022-11-01T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	email	start@08:00
2022-11-01T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	zalo	start@08:00
2022-11-23T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	email	end-7d@08:00
2022-11-23T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	zalo	end-7d@08:00
2022-11-25T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	email	end-3d@08:00
2022-11-25T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	zalo	end-3d@08:00
2022-12-01T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	email	escalate:end+1d@08:00
2022-12-01T08:00:00+07:00	hoc-tap-ngoai-tinh	2022-11-01..2022-11-30	noi-vu	zalo	escalate:end+1d@08:00
EOW
diff "$T/row7.want" "$T/row7.tsv" || fail "row 7 differs"

# Row 2, Tháng 4/2022, lead the radio station, partner Phòng Nội vụ.
# 1 Apr is a Friday; 23 Apr a Saturday -> Friday 22 Apr; 27 Apr a Wednesday;
# the window reminder: 30 Apr (a Saturday and a holiday) 11:00 - 30m, unmoved;
# the escalation moves forward from Sunday 1 May over the holidays of 2 and
# 3 May to Wednesday 4 May.
grep -P '^[^\t]*\tchi-so-cchc\t' "$T/year.tsv" >"$T/row2.tsv"
cat >"$T/row2.want" <<'EOW'
2022-04-01T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	email	start@08:00
2022-04-01T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	zalo	start@08:00
2022-04-01T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	noi-vu	email	start@08:00
2022-04-01T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	noi-vu	zalo	start@08:00
2022-04-22T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	email	end-7d@08:00
2022-04-22T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	zalo	end-7d@08:00
2022-04-22T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	noi-vu	email	end-7d@08:00
2022-04-22T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	noi-vu	zalo	end-7d@08:00
2022-04-27T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	email	end-3d@08:00
2022-04-27T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	zalo	end-3d@08:00
2022-04-30T10:30:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	email	end@trua-30m
2022-04-30T10:30:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	dai-truyen-thanh	zalo	end@trua-30m
2022-05-04T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	noi-vu	email	escalate:end+1d@08:00
2022-05-04T08:00:00+07:00	chi-so-cchc	2022-04-01..2022-04-30	noi-vu	zalo	escalate:end+1d@08:00
EOW
diff "$T/row2.want" "$T/row2.tsv" || fail "row 2 differs"

# Row 1 in May: the last Saturday is 28 May. To the radio station: Wednesday
# 25 and Friday 27 at 08:00, and on the air day 10:30 and 16:15 (16:45 - 30m).
grep -P '^2022-05[^\t]*\tdan-hoi\t[^\t]*\tdai-truyen-thanh\tzalo\t' "$T/year.tsv" >"$T/row1.tsv"
cat >"$T/row1.want" <<'EOW'
2022-05-25T08:00:00+07:00	dan-hoi	2022-05-28	dai-truyen-thanh	zalo	end-3d@08:00
2022-05-27T08:00:00+07:00	dan-hoi	2022-05-28	dai-truyen-thanh	zalo	end-1d@08:00
2022-05-28T10:30:00+07:00	dan-hoi	2022-05-28	dai-truyen-thanh	zalo	end@trua-30m
2022-05-28T16:15:00+07:00	dan-hoi	2022-05-28	dai-truyen-thanh	zalo	end@chieu-30m
EOW
diff "$T/row1.want" "$T/row1.tsv" || fail "row 1 (May, radio station) differs"
# Its escalation: Sunday 29 May moves on to Monday 30 May.
assert_eq "$(printf '2022-05-30T08:00:00+07:00\tdan-hoi\t2022-05-28\tnoi-vu\tzalo\tescalate:end+1d@08:00')" \
    "$(grep -P '^2022-05[^\t]*\tdan-hoi\t2022-05-28\tnoi-vu\tzalo\tescalate:' "$T/year.tsv")" \
    "row 1's escalation in May"
# Every partner agency (groups expanded, each once) gets end-3d on both channels.
n=$(grep -cP '^2022-05-25T08:00:00\+07:00\tdan-hoi\t' "$T/year.tsv")
agencies=$(grep -cP '^2022-05-25T08:00:00\+07:00\tdan-hoi\t[^\t]*\t[^\t]*\tzalo\t' "$T/year.tsv")
assert_eq $((agencies * 2)) "$n" "end-3d rows: two channels per agency"
assert_eq "$agencies" "$(grep -P '^2022-05-25T08:00:00\+07:00\tdan-hoi\t' "$T/year.tsv" | cut -f4 | sort -u | wc -l)" "distinct agencies"
assert_ge "$agencies" 20 "agencies reminded of row 1 (all offices and communes)"
# The lunar example: Giỗ Tổ Hùng Vương, 10/3 of the lunar year, was Sunday
# 10 April 2022. Two weeks before is Sunday 27 March -> Friday 25 March;
# three days before is Thursday 7 April. The lead, Phòng Văn hóa, and each
# partner (the station, the UBND office, ten communes) on both channels.
grep -P '^[^\t]*\tgio-to-hung-vuong\t' "$T/year.tsv" >"$T/hung.tsv"
grep -P '\tvan-hoa\tzalo\t' "$T/hung.tsv" >"$T/hung-lead.tsv"
cat >"$T/hung-lead.want" <<'EOW'
2022-03-25T08:00:00+07:00	gio-to-hung-vuong	2022-04-10	van-hoa	zalo	start-14d@08:00
2022-04-07T08:00:00+07:00	gio-to-hung-vuong	2022-04-10	van-hoa	zalo	start-3d@08:00
EOW
diff "$T/hung-lead.want" "$T/hung-lead.tsv" || fail "Hùng Kings, the lead's rows differ"
assert_eq 52 "$(wc -l <"$T/hung.tsv")" "Hùng Kings rows: 13 agencies, 2 reminders, 2 channels"
assert_eq "2022-03-25T08:00:00+07:00 2022-04-07T08:00:00+07:00" "$(cut -f1 "$T/hung.tsv" | sort -u | paste -sd' ')" "Hùng Kings instants"

# The whole year is sorted by fire_at.
tail -n +2 "$T/year.tsv" | cut -f1 >"$T/times.txt"
sort -c "$T/times.txt" || fail "not sorted by fire_at"

# The text calendar reads as Vietnamese, day by day.
"$NHACVIEC" -c "$conf" preview --from 2022-11-25 --to 2022-11-25 >"$T/text.txt" || fail "text preview"
assert_grep '^Thứ Sáu, 25/11/2022$' "$T/text.txt" "day heading"
assert_grep '08:00  Tham gia học tập mô hình sáng kiến, kinh nghiệm ngoài tỉnh — Phòng Nội vụ \(email, zalo\)' "$T/text.txt" "task line"
