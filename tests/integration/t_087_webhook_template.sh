#!/bin/bash
# The webhook channel as an email gateway sees it: the shipped body_template
# filled with the reminder (Vietnamese, JSON-escaped), a header whose value
# comes from ${secret:NAME} in the secrets folder (never logged), and an
# Idempotency-Key, and the channel's own Content-Type instead of the default
# one (never both); a template with an unknown placeholder is refused at start
# with its FILE:LINE.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/hook.dump"
# write_hook_conf FILE BODY_TEMPLATE: the gateway's headers, its secret among them.
write_hook_conf() {
	write_conf "$1" "$hook_PORT" \
	    'hook.header=Authorization: Bearer ${secret:mail-gateway}' \
	    'hook.header=content-type: application/json; charset=utf-8; profile=mail' \
	    hook.body_template="$2"
}
write_hook_conf "$T/nv.conf" "$NV_ROOT/config/templates/webhook-body.json"
mkdir -p "$T/secrets"
tok="gw-token-$$-Zx9"
(umask 077; printf '%s\n' "$tok" >"$T/secrets/mail-gateway")
seed 1 $((NV_CLOCK_MS - 1000)) 0 hook tpl
daemon_start nv "$T/nv.conf"
wait_until 15 '[ "$(state_count sent)" -ge 1 ]' || fail "not delivered"
/usr/bin/python3 - "$T/hook.dump" "$tok" <<'EOPY' || fail "the request differs"
import json, sys
req = json.loads(open(sys.argv[1]).readline())
h, body = req["headers"], json.loads(req["body"])
assert h["Authorization"] == "Bearer " + sys.argv[2], h
ct = [v for k, v in h.items() if k.lower() == "content-type"]
assert ct == ["application/json; charset=utf-8; profile=mail"], ct
assert h["Idempotency-Key"] == "task-tpl/2022-04-30/end-1d@08:00/agency-1/hook", h
assert body["to"] == "a1@example.gov.vn", body
assert body["subject"] == "[Nhắc việc] Nhiệm vụ thử 1 — hạn Thứ Bảy, ngày 30/04/2022", body
assert body["text"].startswith("Kính gửi: Lãnh đạo Cơ quan 1,\n\n"), body["text"]
assert "Nhiệm vụ: Nhiệm vụ thử 1\nThời hạn: Thứ Bảy, ngày 30/04/2022" in body["text"], body["text"]
assert body["due"] == "2022-04-30" and body["task"] == "task-tpl", body
EOPY
# A reload whose secret cannot be read is refused whole; sending goes on
# with the header the channel had.
mv "$T/secrets/mail-gateway" "$T/mail-gateway.away"
kill -HUP "$(pid_of nv)"
wait_until 10 "grep -q 'reload refused: .*mail-gateway' '$T/nv.out'" || fail "reload not refused"
seed 1 $((NV_CLOCK_MS)) 0 hook after
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 15 '[ "$(state_count sent)" -ge 2 ]' || fail "no delivery after the refused reload"
assert_eq 2 "$(grep -c "Bearer $tok" "$T/hook.dump")" "requests with the secret header"
mv "$T/mail-gateway.away" "$T/secrets/mail-gateway"
stop nv || fail "exit status $?"
assert_no_grep "$tok" "$T/nv.out" "the secret header in the log"

# A template with a typo: refused at start, FILE:LINE of the template.
printf '{"text": "{{titel}}"}\n' >"$T/bad.json"
write_hook_conf "$T/bad.conf" "$T/bad.json"
"$NHACVIECD" -n -c "$T/bad.conf" >"$T/bad.out" 2>&1
assert_eq 78 "$?" "exit status with a bad body_template"
assert_grep "$T/bad.json:1: unknown placeholder \{\{titel\}\}; did you mean \{\{title\}\}" "$T/bad.out" "the template's FILE:LINE"
# A missing secret: the channel cannot start.
rm "$T/secrets/mail-gateway"
"$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK" >"$T/nosecret.out" 2>&1
assert_eq 78 "$?" "exit status with a missing secret"
assert_grep 'header Authorization: .*mail-gateway: cannot open' "$T/nosecret.out" "why"
