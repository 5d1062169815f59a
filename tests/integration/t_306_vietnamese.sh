#!/bin/bash
# Messages in the admin's language: with LANG=vi_VN.UTF-8 nhacviec check
# reports a broken plan and a broken config in Vietnamese, every finding
# still behind its FILE:LINE; with LANG=C in English, word for word as
# before. --help, status and the daemon's own lines read in Vietnamese too,
# while what machines read (CSV, TSV, numbers) stays as it is. The catalog
# is the one the build compiled (build/locale, through NHACVIEC_LOCALEDIR);
# po/vi.po has no fuzzy entry, and none untranslated among the messages of
# check and of the nhacviec command.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\{0,1\}8' ||
    fail "no vi_VN.UTF-8 locale: run scripts/deps.sh (make test does)"
mo=$NV_ROOT/build/locale/vi/LC_MESSAGES/nhacviec.mo
[ -f "$mo" ] || fail "no $mo: make builds it from po/vi.po"

# In English, and in Vietnamese from the build's catalog.
en() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$@"; }
vi() {
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=vi_VN.UTF-8 \
	    NHACVIEC_LOCALEDIR="$NV_ROOT/build/locale" "$@"
}

# Compares a command's output with the expected text, line for line.
same() {
	if ! diff -u "$2" "$1" >"$T/diff.out"; then
		cat "$T/diff.out"
		fail "$3"
	fi
}

# --- the catalog ------------------------------------------------------------
po=$NV_ROOT/po/vi.po
msgfmt --check --statistics -o /dev/null "$po" >"$T/stats.out" 2>&1 ||
    fail "msgfmt --check po/vi.po: $(cat "$T/stats.out")"
cat "$T/stats.out"
msgattrib --only-fuzzy --no-obsolete "$po" >"$T/fuzzy.po" || fail "msgattrib"
assert_no_grep '^msgid ".' "$T/fuzzy.po" "fuzzy entries in po/vi.po (make po guessed)"
# Where check's findings and the command's words come from (a message a
# later change adds elsewhere may wait for its translation in English).
src=(common/schema.c common/plan.c common/config.c common/parse.c
    common/diag.c common/preflight.c common/schedule.c common/template.c common/report.c
    common/fileio.c common/secret.c common/users.c common/zalo.c 'cli/*.c')
msggrep "${src[@]/#/--location=}" "$po" |
    msgattrib --untranslated --no-obsolete >"$T/untranslated.po" || fail "msggrep"
assert_no_grep '^msgid ".' "$T/untranslated.po" \
    "untranslated messages of check or nhacviec in po/vi.po"

# --- a broken plan ------------------------------------------------------------
# An unknown key with a suggestion, a bad date, an unknown agency with a
# suggestion, and what their absence makes of the task.
redis_start
mkdir -p "$T/plan.d"
{ conf_base; cat <<EOC

[plan]
files = plan.d/*.conf

[channel zalo]
type = console
EOC
} >"$T/nv.conf"
cat >"$T/plan.d/p.conf" <<'EOP'
[calendar]
timezone = Asia/Ho_Chi_Minh

[agency noi-vu]
name = Phòng Nội vụ
head = Trưởng phòng Nội vụ

[task bao-cao]
title = Báo cáo công tác cải cách hành chính
lead = noi-vuu
date = 2022-13-40
remnd = end-1d@08:00
channels = zalo
EOP
p=$T/plan.d/p.conf
en "$NHACVIEC" -c "$T/nv.conf" check >"$T/plan.en" 2>&1
assert_eq 78 "$?" "check on the broken plan, in English"
same "$T/plan.en" - "the plan's findings in English" <<EOT
$p:8: task 'bao-cao' has no reminders: set remind or remind_lead, e.g. remind = end-1d@08:00
$p:10: unknown agency 'noi-vuu' in lead; did you mean 'noi-vu'?
$p:11: date: bad day '2022-13-40': use YYYY-MM-DD, e.g. 2022-04-30
$p:12: unknown key 'remnd' in [task bao-cao]; did you mean 'remind'?
EOT
vi "$NHACVIEC" -c "$T/nv.conf" check >"$T/plan.vi" 2>&1
assert_eq 78 "$?" "check on the broken plan, in Vietnamese"
same "$T/plan.vi" - "the plan's findings in Vietnamese" <<EOT
$p:8: nhiệm vụ 'bao-cao' chưa có lần nhắc nào: hãy đặt remind hoặc remind_lead, ví dụ remind = end-1d@08:00
$p:10: cơ quan không xác định 'noi-vuu' trong lead; có phải là 'noi-vu' không?
$p:11: date: ngày '2022-13-40' không hợp lệ: dùng YYYY-MM-DD, ví dụ 2022-04-30
$p:12: khóa không xác định 'remnd' trong [task bao-cao]; có phải là 'remind' không?
EOT
# nhacviecd -n checks through the same code, in the same language.
vi "$NHACVIECD" -n -c "$T/nv.conf" >"$T/plan-n.vi" 2>&1
assert_eq 78 "$?" "nhacviecd -n on the broken plan"
same "$T/plan-n.vi" "$T/plan.vi" "nhacviecd -n says what check says"

# --- a broken config ------------------------------------------------------------
# An unknown key and an unknown section with suggestions, bad values, a
# required key missing.
cat >"$T/bad.conf" <<EOC
[redis]
address = unix:$T/redis.sock
prefx = t

[delivery]
hours = 07:00-25:00
grace = soon
max_attempts = many

[chanel zalo]
type = console

[channel email]
type = webhook
contact = email
EOC
c=$T/bad.conf
en "$NHACVIEC" -c "$c" check >"$T/conf.en" 2>&1
assert_eq 78 "$?" "check on the broken config, in English"
same "$T/conf.en" - "the config's findings in English" <<EOT
$c:3: unknown key 'prefx' in [redis]; did you mean 'prefix'?
$c:6: hours: bad hours '07:00-25:00': use HH:MM-HH:MM, e.g. 07:00-21:00
$c:7: grace: bad duration 'soon': use a number and a unit (ms, s, m, h, d), e.g. 30m
$c:8: max_attempts: bad number 'many': use a whole number from 1 to 100
$c:10: unknown section [chanel zalo]; did you mean [channel zalo]?
$c:13: [channel email] of type webhook needs url = https://HOST/PATH
EOT
vi "$NHACVIEC" -c "$c" check >"$T/conf.vi" 2>&1
assert_eq 78 "$?" "check on the broken config, in Vietnamese"
same "$T/conf.vi" - "the config's findings in Vietnamese" <<EOT
$c:3: khóa không xác định 'prefx' trong [redis]; có phải là 'prefix' không?
$c:6: hours: khung giờ '07:00-25:00' không hợp lệ: dùng HH:MM-HH:MM, ví dụ 07:00-21:00
$c:7: grace: thời lượng 'soon' không hợp lệ: dùng một số và đơn vị (ms, s, m, h, d), ví dụ 30m
$c:8: max_attempts: số 'many' không hợp lệ: dùng số nguyên từ 1 đến 100
$c:10: mục không xác định [chanel zalo]; có phải là [channel zalo] không?
$c:13: [channel email] loại webhook cần có url = https://HOST/PATH
EOT

# --- a warning, and a clean check ---------------------------------------------------
{ conf_base; printf '\n[plan]\nfiles = %s/nowhere/*.conf\n' "$T"
  printf '\n[channel zalo]\ntype = console\n'; } >"$T/noplan.conf"
vi "$NHACVIEC" -c "$T/noplan.conf" check >"$T/noplan.vi" 2>&1 ||
    fail "check with no plan files: $(cat "$T/noplan.vi")"
same "$T/noplan.vi" - "a warning and the summary in Vietnamese" <<EOT
$T/noplan.conf: cảnh báo: không có tệp kế hoạch nào khớp với $T/nowhere/*.conf: nhacviecd lập lịch theo kế hoạch đã nạp vào Redis (\`nhacviec load\`)
$T/noplan.conf: cấu hình hợp lệ; không có tệp kế hoạch (nhacviecd dùng kế hoạch trong Redis), 1 cảnh báo
EOT
en "$NHACVIEC" -c "$T/noplan.conf" check >"$T/noplan.en" 2>&1 ||
    fail "check with no plan files: $(cat "$T/noplan.en")"
assert_grep "^$T/noplan.conf: warning: no plan files match " "$T/noplan.en" \
    "the warning in English"

# --- usage and help -------------------------------------------------------------
vi "$NHACVIEC" --help >"$T/help.vi" 2>&1 || fail "nhacviec --help"
assert_grep '^cách dùng: nhacviec \[-c TỆP\] \[--clock ISO8601\] LỆNH \[THAM SỐ\]$' \
    "$T/help.vi" "the usage line in Vietnamese"
assert_grep '^  check            kiểm tra tệp cấu hình và các tệp kế hoạch, mỗi lỗi kèm TỆP:DÒNG' \
    "$T/help.vi" "check's summary in Vietnamese"
assert_grep '^  pause            tạm dừng một kênh ở mọi tiến trình nhacviecd' \
    "$T/help.vi" "pause's summary in Vietnamese"
en "$NHACVIEC" --help >"$T/help.en" 2>&1 || fail "nhacviec --help"
assert_grep '^usage: nhacviec \[-c FILE\] \[--clock ISO8601\] COMMAND \[ARGS\]$' \
    "$T/help.en" "the usage line in English"
vi "$NHACVIEC" -c "$T/noplan.conf" pause >"$T/usage.vi" 2>&1
assert_eq 64 "$?" "pause without a channel"
same "$T/usage.vi" - "a command's usage error in Vietnamese" <<'EOT'
nhacviec pause: kênh nào?
cách dùng: nhacviec pause CHANNEL|'*' [--for DURATION] [--reason TEXT]
EOT

# --- status, and what machines read ---------------------------------------------------
seed 3 $((NV_CLOCK_MS + 3600000)) 0 zalo vi
vi "$NHACVIEC" -c "$T/noplan.conf" --clock "$NV_CLOCK" status >"$T/status.vi" 2>&1 ||
    fail "status: $(cat "$T/status.vi")"
cat "$T/status.vi"
# The counts line up at column 31, as in English, whatever the labels' bytes.
assert_grep '^đến hạn \(chờ tới giờ gửi\)     3$' "$T/status.vi" "due, in Vietnamese"
assert_grep '^đang gửi \(đã nhận, chưa xong\) 0$' "$T/status.vi" "the outbox, in Vietnamese"
assert_grep '^đã gửi                        0$' "$T/status.vi" "sent, in Vietnamese"
assert_grep '^bản ghi trong sổ theo dõi     0$' "$T/status.vi" "the ledger, in Vietnamese"
assert_grep '^theo dõi các lượt nhiệm vụ đến hạn từ 31 ngày trước' "$T/status.vi" \
    "the follow-ups' heading in Vietnamese"
assert_grep '^  quá hạn, chưa hoàn thành    0$' "$T/status.vi" "a follow-up state"
en "$NHACVIEC" -c "$T/noplan.conf" --clock "$NV_CLOCK" status >"$T/status.en" 2>&1 ||
    fail "status: $(cat "$T/status.en")"
assert_grep '^due \(waiting for their time\)  3$' "$T/status.en" "due, in English"
assert_grep '^ledger entries                0$' "$T/status.en" "the ledger, in English"
vi "$NHACVIEC" -c "$T/noplan.conf" report --format csv >"$T/report.csv" 2>&1 ||
    fail "report --format csv: $(cat "$T/report.csv")"
assert_eq $'\xef\xbb\xbfchannel,sent,retry,defer,dead,missed,skipped\r' \
    "$(head -n 1 "$T/report.csv")" "the CSV header stays as machines read it"
vi "$NHACVIEC" -c "$T/noplan.conf" log --format tsv >"$T/log.tsv" 2>&1 ||
    fail "log --format tsv: $(cat "$T/log.tsv")"
assert_eq $'at\tid\ttask\tagency\tchannel\toutcome\tattempt\tdetail' \
    "$(head -n 1 "$T/log.tsv")" "the TSV header stays as machines read it"
vi "$NHACVIEC" -c "$T/noplan.conf" report >"$T/report.vi" 2>&1 ||
    fail "report: $(cat "$T/report.vi")"
assert_grep '^kênh            ' "$T/report.vi" "report's heading in Vietnamese"
assert_grep '^0 bản ghi trong sổ theo dõi; 0 tin gửi trễ' "$T/report.vi" \
    "report's summary in Vietnamese"

# --- the daemon's own lines ---------------------------------------------------------
# A decimal number stays with its point (LC_NUMERIC is C): vi_VN writes 1,5.
bg nv env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=vi_VN.UTF-8 \
    NHACVIEC_LOCALEDIR="$NV_ROOT/build/locale" \
    "$NHACVIECD" -c "$T/noplan.conf" --clock "$NV_CLOCK" --clock-rate 1.5
wait_until 20 "grep -q 'sẵn sàng: tiến trình test-1, tiền tố t' '$T/nv.out'" ||
    fail "the daemon's ready line in Vietnamese: $(tail -n 5 "$T/nv.out")"
assert_grep 'notice: đồng hồ ảo: bắt đầu lúc 2022-04-27T08:00:00\+07:00, nhanh gấp 1\.5 lần' \
    "$T/nv.out" "the virtual clock's line, its number with a point"
assert_grep 'cảnh báo: không có tệp kế hoạch nào khớp' "$T/nv.out" \
    "the daemon's warning in Vietnamese"
stop nv || fail "exit status $?"
assert_grep 'info: đã dừng$' "$T/nv.out" "the daemon's last line in Vietnamese"

echo "ok"
