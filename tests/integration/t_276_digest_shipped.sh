#!/bin/bash
# Digests on the shipped plan at the channels' default concurrency: on
# Monday 01/08/2022 at 08:00 two month tasks open (mo-hinh-hay and
# lan-toa-dvc), so each office hears of both at once. Each agency gets one
# Zalo message and one mail listing both, not two of each, however the
# claim cuts the minute's reminders; every reminder is still sent and
# recorded on its own.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-d-0001 \
    --access-token AT-d-0001 --expires-in 90000
umask 077
printf 'app-secret-%s\n' "$$" >"$T/zalo.secret"
umask 022
at=$(date -d 2022-08-01T07:59:50+07:00 +%s)000
rcli HSET '{t}:zalo:token' access_token AT-d-0001 refresh_token RT-d-0001 \
    access_expires_at $((at + 86400000)) refresh_issued_at "$at" \
    updated_at "$at" status ok reason '' >/dev/null
{ conf_base; cat <<EOC

[channel zalo]
type = zalo
contact = zalo
mode = cs
app_id = 4242
secret_key_file = $T/zalo.secret
api_base = $zalo_URL
zns_base = $zalo_URL
oauth_base = $zalo_URL
state_file = $T/zalo-token.json
rate = 100000/min

[channel email]
type = webhook
contact = email
url = http://127.0.0.1:$hook_PORT/mail

[plan]
files = $NV_ROOT/config/plan.d/*.conf
EOC
} >"$T/nv.conf"
"$NHACVIEC" -c "$T/nv.conf" preview --from 2022-08-01 --to 2022-08-01 --format tsv \
    >"$T/day.tsv" 2>"$T/preview.err" || fail "preview: $(cat "$T/preview.err")"
# The reminders of 08:00; an escalation (dan-hoi of 30/07, to Phòng Nội vụ)
# goes on its own.
grep -P '^2022-08-01T08:00:00\+07:00\t' "$T/day.tsv" >"$T/all.tsv"
grep -v 'escalate:' "$T/all.tsv" >"$T/0800.tsv"
esc=$(grep -c 'escalate:.*	zalo	\|	zalo	escalate:' "$T/all.tsv")
assert_eq 1 "$esc" "escalations by Zalo at 08:00"
n=$(wc -l <"$T/0800.tsv")
total=$(wc -l <"$T/all.tsv")
agencies=$(cut -f4 "$T/0800.tsv" | sort -u | wc -l)
twice=$(cut -f4,5 "$T/0800.tsv" | sort | uniq -d | cut -f1 | sort -u | wc -l)
echo "08:00: $n reminders to $agencies agencies, $twice of them with two or more"
assert_ge "$twice" 10 "agencies with more than one reminder at 08:00"

bg nv "$NHACVIECD" -c "$T/nv.conf" --clock 2022-08-01T07:59:50+07:00
wait_until 20 "grep -q 'ready: consumer' '$T/nv.out'" || fail "not ready"
wait_until 60 "[ \"\$(state_count sent)\" -ge $total ]" || fail "sent $(state_count sent) of $total"
sleep 1
stop nv || fail "exit status $?"
# One message per agency and channel.
assert_eq $((agencies + esc)) "$(zalo_count zalo cs 0)" "Zalo messages at 08:00"
grep -v 'escalate:' "$T/hook.dump" >"$T/mails.dump"
assert_eq "$agencies" "$(grep -c . "$T/mails.dump")" "mails at 08:00 (the escalation aside)"
"$NV_PYTHON" -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    b = json.loads(json.loads(line)["body"])
    print(b["agency"], len(b.get("reminders", [b["id"]])))' "$T/mails.dump" | sort >"$T/mails.txt"
assert_eq "$agencies" "$(cut -d' ' -f1 "$T/mails.txt" | sort -u | wc -l)" "agencies mailed (each once)"
assert_eq "$n" $(( $(awk '{ s += $2 } END { print s }' "$T/mails.txt") * 2 )) \
    "reminders the mails list (as many by Zalo)"
# Each reminder recorded on its own.
assert_eq "$total" "$(state_count sent)" "reminders in state sent"
