#!/bin/bash
# `nhacviec import-appendix`: the seed plan's appendix table, as pasted
# (tests/data/appendix-2022.tsv: from its first "STT<tab>" line to the end),
# becomes 7 [task] sections with the right leads, partners and date forms,
# matched against the agencies and groups of config/plan.d; the output loads
# next to that plan; a row naming an agency the plan lacks is reported as
# FILE:ROW with its column, the rest is still printed, and the exit is 65.
. "$(dirname "$0")/lib.sh"
nv_setup "$(basename "$0" .sh)"

tsv=$NV_ROOT/tests/data/appendix-2022.tsv
[ -f "$tsv" ] || fail "no $tsv"
cat >"$T/nv.conf" <<EOC
[redis]
address = unix:$T/redis.sock

[plan]
files = $NV_ROOT/config/plan.d/*.conf

[channel zalo]
type = console
contact = zalo

[channel email]
type = console
contact = email
EOC

# The value of KEY in [task ID] of FILE, spaces squeezed; "-" when absent.
task_key() {
	awk -v sect="[task $2]" -v key="$3" '
	    /^\[/ { in_s = ($0 == sect); next }
	    in_s && index($0, "=") {
		k = $0; sub(/[ \t]*=.*/, "", k)
		if (k != key) next
		v = $0; sub(/^[^=]*=[ \t]*/, "", v); gsub(/[ \t]+/, " ", v)
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

# The output is a plan file: it loads next to the plan it was matched
# against, and its tasks give reminders (row 1: the last Saturday of April,
# 3 days before and on the day; row 7: November, to the lead alone).
mkdir -p "$T/plan.d"
cp "$NV_ROOT/config/plan.d/thanh-tri-2022.conf" "$f" "$T/plan.d/"
sed "s|^files = .*|files = $T/plan.d/*.conf|" "$T/nv.conf" >"$T/check.conf"
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
