#!/bin/bash
# Bash completion: nhacviec <TAB> offers every command the sources have, and
# channel, task and agency names come from the config and plan in use, read
# unchecked (a secret the user may not read does not stop them).

. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup t_302_completion

script=$NV_ROOT/completion/nhacviec.bash
[ -f /usr/share/bash-completion/bash_completion ] ||
    fail "bash-completion is not installed (scripts/deps.sh)"

# A config with a secret nobody can read and a channel commented out, its
# plan files relative to it.
mkdir -p "$T/etc/plan.d"
cat >"$T/etc/nhacviec.conf" <<'EOF'
[redis]
address = unix:/run/redis/redis-server.sock
password_file = /nonexistent/secrets/redis

[plan]
files = plan.d/*.conf

[channel zalo]
type = zalo

[channel email]   ; the gateway
type = webhook

; [channel mail]
; type = smtp

[channel sms-gw]
type = webhook
EOF
cat >"$T/etc/plan.d/a.conf" <<'EOF'
[agency noi-vu]
name = Phòng Nội vụ
[agency phong-tu-phap]
[agency phong-y-te]
[group phong-ban]
members = noi-vu
[task bao-cao-quy]
[task dan-hoi]
EOF
cat >"$T/etc/plan.d/b.conf" <<'EOF'
[task chi-so-cchc]
lead = noi-vu
[agency ubnd-xa-a
[agency dai-truyen-thanh]
EOF
conf=$T/etc/nhacviec.conf

# COMPREPLY for a command line whose last word is under the cursor, sorted,
# one a line; run from / so that relative paths cannot help.
cat >"$T/comp.sh" <<EOF
. /usr/share/bash-completion/bash_completion
. "$script"
COMP_WORDS=("\$@")
COMP_CWORD=\$((\$# - 1))
COMP_LINE="\$*"
COMP_POINT=\${#COMP_LINE}
COMPREPLY=()
_nhacviec "\$1" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "\${COMPREPLY[@]}" | LC_ALL=C sort
EOF
comp() {
	(cd / && bash "$T/comp.sh" "$NHACVIEC" "$@") 2>>"$T/comp.err"
}
expect() {	# WHAT EXPECTED-WORDS -- WORDS...
	local what=$1 want
	want=$(printf '%s\n' $2 | LC_ALL=C sort)
	shift 3
	assert_eq "$want" "$(comp "$@")" "$what"
}

# Every command cli/nhacviec.c dispatches, and nothing else.
commands=$(python3 "$NV_ROOT/tests/integration/doc_names.py" commands) ||
    fail "doc_names.py commands"
expect "commands" "$commands" -- ""
expect "commands after -c" "$commands" -- -c "$conf" ""
expect "commands beginning with re" "report resume" -- re
expect "options before the command" "-c --clock -h --help" -- -
expect "-c completes files" "$conf" -- -c "$T/etc/nhacviec.c"

# Names from the config: sections, not comments.
expect "pause: channels and '*'" "email sms-gw zalo '*'" -- -c "$conf" pause ""
expect "resume, -cFILE" "sms-gw" -- "-c$conf" resume s
expect "send --channel" "email sms-gw zalo" -- -c "$conf" send --channel ""
expect "pause's options" "--for --reason" -- -c "$conf" pause --
expect "pause after its options" "email sms-gw zalo '*'" -- \
    -c "$conf" pause --for 2h --reason "họp" ""
expect "pause takes one channel" "" -- -c "$conf" pause email ""
expect "zalo --channel" "email sms-gw zalo" -- -c "$conf" zalo --channel ""

# Names from the plan files, both of them.
expect "send --agency: agencies and groups" \
    "dai-truyen-thanh noi-vu phong-ban phong-tu-phap phong-y-te" -- \
    -c "$conf" send --agency ""
expect "send --agency phong-t" "phong-tu-phap" -- \
    -c "$conf" send --agency phong-t
expect "log --task" "bao-cao-quy chi-so-cchc dan-hoi" -- -c "$conf" log --task ""
expect "log's options" "--since --until --agency --task --channel --format" -- \
    log --since 7d --
# No command takes --group yet: any that does will get groups.
expect "--group" "phong-ban" -- -c "$conf" log --group p
expect "ack: the task" "bao-cao-quy chi-so-cchc dan-hoi" -- -c "$conf" ack ""
expect "ack: the due day" "" -- -c "$conf" ack dan-hoi ""
expect "ack: the agency" "noi-vu" -- -c "$conf" ack dan-hoi 2022-04-30 no
expect "ack's options" "--done --note" -- -c "$conf" ack dan-hoi 2022-04-30 noi-vu --

# A command's own words.
expect "send's options" "--agency --channel --title" -- send --
expect "preview --format" "text tsv" -- preview --from 2022-04-01 --format ""
expect "zalo" "token" -- -c "$conf" zalo --channel zalo ""
expect "zalo token" "set status" -- -c "$conf" zalo --channel zalo token ""
expect "dead" "requeue" -- dead ""
expect "dead requeue" "'*'" -- dead requeue ""
expect "user" "add list remove" -- user ""
expect "user add's option" "--read-only" -- user add --
expect "complete" "agencies channels groups tasks" -- complete ""
expect "check" "--redis" -- check ""
expect "check --redis, then nothing" "" -- check --redis ""
expect "help" "$commands" -- help ""
expect "help pre" "preview" -- help pre
[ -s "$T/comp.err" ] && { cat "$T/comp.err"; fail "completion wrote errors"; }

# The helper itself: sorted, each name once, nothing checked.
"$NHACVIEC" -c "$conf" complete agencies >"$T/agencies" 2>"$T/helper.out" ||
    fail "complete agencies: exit status $?"
assert_eq "dai-truyen-thanh noi-vu phong-tu-phap phong-y-te" \
    "$(tr '\n' ' ' <"$T/agencies" | sed 's/ $//')" "complete agencies"
"$NHACVIEC" -c "$T/none.conf" complete tasks >>"$T/helper.out" 2>&1
assert_eq 66 "$?" "complete with a config that is not there"
"$NHACVIEC" -c "$conf" complete widgets >>"$T/helper.out" 2>&1
assert_eq 64 "$?" "complete of an unknown kind"
assert_grep 'cannot read .*none.conf' "$T/helper.out" "the missing config named"
san_check helper

# The command table counts each command's operands after its options: too
# few says what is missing, too many names the first extra one, both exit
# 64 before anything is read or written.
ok=$NV_ROOT/config/demo.conf
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086
	"$NHACVIEC" -c "$ok" $args >"$T/usage.out" 2>&1
	assert_eq 64 "$?" "nhacviec $args: exit status"
	assert_grep "^nhacviec ${args%% *}: $want" "$T/usage.out" "nhacviec $args"
	assert_grep "^usage: nhacviec ${args%% *}" "$T/usage.out" \
	    "nhacviec $args: its usage line"
	san_check usage
done <<'EOT'
status now|unexpected 'now'
upcoming 5 6|unexpected '6'
pause|which channel\?
pause --for 1h zalo email|unexpected 'email'
resume|which channel\?
calendar|which year\?
import-appendix|which file\?
ack bao-cao 2022-06-30|needs the task, its due day and the agency
zalo token|token set or token status\?
dead requeue a b|unexpected 'b'
log --since 7d extra|unexpected 'extra'
check --redis x|unexpected 'x'
user|add, remove or list\?
complete|which names\?
EOT

echo "ok"
