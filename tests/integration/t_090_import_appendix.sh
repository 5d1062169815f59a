#!/bin/bash
# `nhacviec import-appendix`: the seed plan's appendix table, as pasted
# (tests/data/appendix-2022.tsv: from its first "STT<tab>" line to the end),
# becomes 7 [task] sections with the right leads, partners and date forms,
# matched against the agencies and groups of config/plan.d; the output loads
# next to that plan; a row naming an agency the plan lacks is reported as
# FILE:ROW with its column, the rest is still printed, and the exit is 65.
# A task the plan has already is a warning. The same table saved by Excel as
# "Unicode Text" (UTF-16 with a BOM) or by Word in Windows-1258 gives the
# same tasks. "Thường xuyên", "Cả năm", "Hàng quý, 6 tháng, năm" (a task a
# period) and ISO dates are read; a loose name match is a comment beside its
# line.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup "$(basename "$0" .sh)"

tsv=$NV_ROOT/tests/data/appendix-2022.tsv
[ -f "$tsv" ] || fail "no $tsv"
# write_import_conf FILE PLAN_FILES: console channels and the plan files given.
write_import_conf() {
	cat >"$1" <<EOC
[redis]
address = unix:$T/redis.sock

[plan]
files = $2

[channel zalo]
type = console
contact = zalo

[channel email]
type = console
contact = email
EOC
}
write_import_conf "$T/nv.conf" "$NV_ROOT/config/plan.d/*.conf"

# The value of KEY in [task ID] of FILE, spaces squeezed, without a comment
# (a ';' after a space); "-" when absent.
task_key() {
	awk -v sect="[task $2]" -v key="$3" '
	    /^\[/ { in_s = ($0 == sect); next }
	    in_s && index($0, "=") {
		k = $0; sub(/[ \t]*=.*/, "", k)
		if (k != key) next
		v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+;.*/, "", v)
		gsub(/[ \t]+/, " ", v)
		print v; found = 1; exit
	    }
	    END { if (!found) print "-" }' "$1"
}

# --- the seed's table ----------------------------------------------------
rc=0
"$NHACVIEC" -c "$T/nv.conf" import-appendix "$tsv" >"$T/tasks.conf" \
    2>"$T/import.out" || rc=$?
cat "$T/import.out"
assert_eq 0 "$rc" "exit status for the seed table"
assert_eq 7 "$(grep -c '^\[task ' "$T/tasks.conf")" "tasks written"

# id | lead | partners | note | form key | form value
while IFS='|' read -r id lead partners note key value; do
	[ -n "$id" ] || continue
	assert_eq "$lead" "$(task_key "$T/tasks.conf" "$id" lead)" "$id: lead"
	assert_eq "$partners" "$(task_key "$T/tasks.conf" "$id" partners)" \
	    "$id: partners"
	assert_eq "$note" "$(task_key "$T/tasks.conf" "$id" note)" "$id: note"
	assert_eq "$value" "$(task_key "$T/tasks.conf" "$id" "$key")" \
	    "$id: $key"
	assert_eq "start@08:00, end-3d@08:00" \
	    "$(task_key "$T/tasks.conf" "$id" remind)" "$id: remind"
	assert_eq "zalo, email" "$(task_key "$T/tasks.conf" "$id" channels)" \
	    "$id: channels"
done <<'EOT'
chuyen-muc-dan-hoi-chinh|dai-truyen-thanh|phong-ban, ubnd-xa|Khi nhận được thông tin góp ý của người dân|rule|FREQ=MONTHLY;BYDAY=-1SA
ket-qua-chi-so-cai|dai-truyen-thanh|noi-vu|-|month|2022-04
danh-gia-mo-hinh-cach|dai-truyen-thanh|phong-ban|-|month|2022-08
tham-gia-chuong-trinh-lan|noi-vu|phong-ban, ubnd-xa|-|month|2022-08
tham-gia-hoi-thi-truc|noi-vu|van-hoa|-|month|2022-09
danh-gia-tinh-hinh-to|dai-truyen-thanh|van-hoa, van-phong|-|month|2022-10
tham-gia-hoc-tap-mo|noi-vu|-|Theo Kế hoạch của tỉnh|month|2022-11
EOT
f=$T/tasks.conf
assert_eq 2022-01-01 "$(task_key "$f" chuyen-muc-dan-hoi-chinh start)" "row 1: start"
assert_eq 2022-12-31 "$(task_key "$f" chuyen-muc-dan-hoi-chinh until)" "row 1: until"
assert_eq 'Chuyên mục "Dân hỏi - Chính quyền trả lời"' \
    "$(task_key "$f" chuyen-muc-dan-hoi-chinh title)" "row 1: title without tags"
assert_eq 'Đánh giá mô hình, cách làm hay góp phần nâng cao chất lượng công tác cải cách hành chính' \
    "$(task_key "$f" danh-gia-mo-hinh-cach title)" "row 3: title without the stray 2."
assert_grep "^; .*appendix-2022.tsv:10, STT 7," "$f" "row comment with the TSV line"
# Every row repeats a task of the shipped plan: a warning each, not an error.
assert_eq 7 "$(grep -c ': warning: task .* repeats task ' "$T/import.out")" "repeat warnings"
assert_grep "^$tsv:2: warning: task 'chuyen-muc-dan-hoi-chinh' repeats task 'dan-hoi' of .*/config/plan.d/[^:]*:[0-9]+ \(the same title\): add it only if it is another task\$" \
    "$T/import.out" "row 1 repeats dan-hoi"
assert_grep '^; repeats \[task dan-hoi\] of ' "$f" "the repeat said beside the task"

# --- what Excel and Word save ---------------------------------------------
# The same table as UTF-16 with a BOM (both byte orders) and Windows-1258:
# the same tasks, and a line saying how it was read.
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$tsv"; } >"$T/unicode-le.txt"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$tsv"; } >"$T/unicode-be.txt"
iconv -f UTF-8 -t WINDOWS-1258 "$tsv" >"$T/cp1258.txt"
sed "s|$tsv|TABLE|g" "$f" >"$T/utf8.norm"
for enc in unicode-le:UTF-16LE unicode-be:UTF-16BE cp1258:Windows-1258; do
	name=${enc%%:*}
	rc=0
	"$NHACVIEC" -c "$T/nv.conf" import-appendix "$T/$name.txt" \
	    >"$T/$name.conf" 2>"$T/$name.out" || rc=$?
	assert_eq 0 "$rc" "$name: exit status ($(head -n 3 "$T/$name.out"))"
	assert_grep "^; The table was read as ${enc#*:}\.\$" "$T/$name.conf" "$name: how it was read"
	grep -v '^; The table was read as ' "$T/$name.conf" |
	    sed "s|$T/$name.txt|TABLE|g" >"$T/$name.norm"
	diff -u "$T/utf8.norm" "$T/$name.norm" >&2 || fail "$name: other tasks than from UTF-8"
done
# Today's reader said "holds a NUL byte" for UTF-16; bytes that are neither
# UTF-8 nor Windows-1258 are refused with the offset.
printf 'STT\t\x81\n' >"$T/bad-bytes.txt"
rc=0
"$NHACVIEC" -c "$T/nv.conf" import-appendix "$T/bad-bytes.txt" >/dev/null 2>"$T/bad-bytes.out" || rc=$?
assert_eq 65 "$rc" "exit status for bytes in no known encoding"
assert_grep "^$T/bad-bytes.txt: neither UTF-8 nor Windows-1258 \(byte 0x81 at offset 4 is not Windows-1258\)" \
    "$T/bad-bytes.out" "why"

# --- timings and names as admins write them --------------------------------
printf '%s\t%s\t%s\t%s\t%s\r\n' \
    STT 'NỘI DUNG TUYÊN TRUYỀN' 'CƠ QUAN CHỦ TRÌ' 'CƠ QUAN PHỐI HỢP' 'THỜI GIAN THỰC HIỆN' \
    1 'Tuyên truyền trên trang thông tin điện tử' 'Nội vụ' 'Văn hóa, Các ban, phòng ngành' 'Thường xuyên' \
    2 'Cập nhật thủ tục hành chính tại bộ phận một cửa' 'Văn phòng HĐND và UBND huyện' 'UBND các xã, thị trấn' 'Cả năm' \
    3 'Báo cáo kết quả cải cách hành chính' 'Phòng Nội vụ' 'Các ban, phòng ngành' 'Hàng quý, 6 tháng, năm' \
    4 'Họp giao ban cải cách hành chính' 'Phòng Nội vụ' '' '2022-06-15' >"$T/new.tsv"
rc=0
"$NHACVIEC" -c "$T/nv.conf" import-appendix "$T/new.tsv" >"$T/new.conf" 2>"$T/new.out" || rc=$?
cat "$T/new.out"
assert_eq 0 "$rc" "exit status for the new rows"
assert_no_grep 'repeats' "$T/new.out" "a repeat among new tasks"
n=$T/new.conf
assert_eq 6 "$(grep -c '^\[task ' "$n")" "tasks: one a period for row 3"
assert_grep '^lead        = noi-vu   ; "Nội vụ" taken as Phòng Nội vụ$' "$n" "the loose lead said beside it"
assert_grep '^partners    = van-hoa, phong-ban   ; "Văn hóa" taken as Phòng Văn hóa và Thông tin$' \
    "$n" "the loose partner said beside the line"
assert_eq noi-vu "$(task_key "$n" tuyen-truyen-tren-trang-thong lead)" "row 1: lead"
assert_eq "FREQ=MONTHLY;BYMONTHDAY=-1" "$(task_key "$n" tuyen-truyen-tren-trang-thong rule)" \
    "row 1: Thường xuyên, every month"
assert_eq 2022-12-31 "$(task_key "$n" tuyen-truyen-tren-trang-thong until)" "row 1: the table's year"
assert_eq 2022-12-31 "$(task_key "$n" cap-nhat-thu-tuc-hanh date)" "row 2: Cả năm"
assert_eq "2022-03-31, 2022-09-30" "$(task_key "$n" bao-cao-ket-qua-cai-quy dates)" \
    "row 3: the quarters the longer reports do not end"
assert_eq "Báo cáo kết quả cải cách hành chính (quý)" \
    "$(task_key "$n" bao-cao-ket-qua-cai-quy title)" "row 3: the quarter's title"
assert_eq 2022-06-30 "$(task_key "$n" bao-cao-ket-qua-cai-6-thang date)" "row 3: 6 months"
assert_eq 2022-12-31 "$(task_key "$n" bao-cao-ket-qua-cai-nam date)" "row 3: the year"
assert_eq phong-ban "$(task_key "$n" bao-cao-ket-qua-cai-nam partners)" "row 3: partners of each"
assert_eq 2022-06-15 "$(task_key "$n" hop-giao-ban-cai-cach date)" "row 4: an ISO date"
# They load next to the plan; importing them again, each repeats a loaded task.
mkdir -p "$T/plan2.d"
cp "$NV_ROOT/config/plan.d/"*.conf "$n" "$T/plan2.d/"
write_import_conf "$T/check2.conf" "$T/plan2.d/*.conf"
"$NHACVIEC" -c "$T/check2.conf" check >"$T/check2.out" 2>&1 ||
    { cat "$T/check2.out"; fail "the new tasks do not pass check"; }
"$NHACVIEC" -c "$T/check2.conf" preview --from 2022-06-30 --to 2022-06-30 \
    --format tsv >"$T/preview2.tsv" 2>&1 || fail "preview of the new tasks"
assert_grep $'^2022-06-30T08:00:00\+07:00\tbao-cao-ket-qua-cai-6-thang\t2022-06-30\tnoi-vu\tzalo\tstart@08:00$' \
    "$T/preview2.tsv" "row 3: the 6-month report reminded on the 30th"
"$NHACVIEC" -c "$T/check2.conf" import-appendix "$T/new.tsv" >/dev/null 2>"$T/again.out" ||
    fail "import again: $(cat "$T/again.out")"
assert_eq 6 "$(grep -c ': warning: task .* repeats task ' "$T/again.out")" "repeats of the loaded tasks"

# The output is a plan file: it loads next to the plan it was matched
# against, and its tasks give reminders (row 1: the last Saturday of April,
# 3 days before and on the day; row 7: November, to the lead alone).
mkdir -p "$T/plan.d"
cp "$NV_ROOT/config/plan.d/"*.conf "$f" "$T/plan.d/"
write_import_conf "$T/check.conf" "$T/plan.d/*.conf"
"$NHACVIEC" -c "$T/check.conf" check >"$T/check.out" 2>&1 ||
    { cat "$T/check.out"; fail "the imported tasks do not pass check"; }
"$NHACVIEC" -c "$T/check.conf" preview --from 2022-04-01 --to 2022-11-30 \
    --format tsv >"$T/preview.tsv" 2>"$T/preview.out" ||
    { cat "$T/preview.out"; fail "preview of the imported tasks failed"; }
assert_grep $'^2022-04-27T08:00:00\+07:00\tchuyen-muc-dan-hoi-chinh\t2022-04-30\tubnd-vinh-loi\tzalo\tend-3d@08:00$' \
    "$T/preview.tsv" "row 1 reminds a commune 3 days before the last Saturday"
assert_eq "noi-vu" "$(awk -F '\t' '$2 == "tham-gia-hoc-tap-mo" { print $4 }' \
    "$T/preview.tsv" | sort -u)" "row 7 reminds its lead alone"

# --- a table with agencies the plan lacks -----------------------------------
# Line 3 is STT 2 (its lead replaced), line 5 is STT 4 (a partner added).
awk -F '\t' -v OFS='\t' '
    NR == 3 { $3 = "Trung tâm Y tế huyện" }
    NR == 5 { $4 = $4 ", Ban Chỉ huy Quân sự huyện" }
    { print }' "$tsv" >"$T/bad.tsv"
rc=0
"$NHACVIEC" -c "$T/nv.conf" import-appendix "$T/bad.tsv" >"$T/bad.conf" \
    2>"$T/bad.out" || rc=$?
cat "$T/bad.out"
assert_eq 65 "$rc" "exit status with unknown agencies"
assert_grep "^$T/bad.tsv:3: column CƠ QUAN CHỦ TRÌ: cannot match 'Trung tâm Y tế huyện' to an agency$" \
    "$T/bad.out" "unknown lead, by row and column"
assert_grep "^$T/bad.tsv:5: column CƠ QUAN PHỐI HỢP: cannot match 'Ban Chỉ huy Quân sự huyện' to an agency or group$" \
    "$T/bad.out" "unknown partner, by row and column"
assert_eq 2 "$(grep -c 'cannot match' "$T/bad.out")" "errors reported"
assert_eq 5 "$(grep -c '^\[task ' "$T/bad.conf")" "the other rows still written"
assert_no_grep '^\[task ket-qua-chi-so-cai\]' "$T/bad.conf" "row with an unknown lead"
assert_no_grep 'Ban Chỉ huy|Trung tâm Y tế' "$T/bad.conf" "a guess"
exit 0
