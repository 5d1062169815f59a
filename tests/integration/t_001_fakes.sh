#!/bin/bash
# Self-test of the Zalo fake and the SMTP sink: token rotation, sends, scripted faults, signed OA events, a decoded mail.

. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup t_001_fakes

APP=4242
SECRET=S3cr3t-app
OA_SECRET=oa-W3bh00k-key
OA_ID=1000000000000000001
TEXT='Nhắc việc: họp giao ban 8h00 ngày 05/06.'

# refresh RT [SECRET]: the OAuth reply body.
refresh() {
	curl -sS -H "secret_key: ${2:-$SECRET}" --data-urlencode "app_id=$APP" \
	    --data-urlencode grant_type=refresh_token \
	    --data-urlencode "refresh_token=$1" "$zalo_URL/v4/oa/access_token"
}

# cs TOKEN USER_ID TEXT [CURL ARGS...]: the cs reply body.
cs() {
	local tok=$1 body
	body=$("$NV_PYTHON" -c 'import json, sys; print(json.dumps({"recipient":
	    {"user_id": sys.argv[1]}, "message": {"text": sys.argv[2]}},
	    ensure_ascii=False))' "$2" "$3")
	shift 3
	curl -sS -H "access_token: $tok" -H 'Content-Type: application/json' \
	    --data-binary "$body" "$@" "$zalo_URL/v3.0/oa/message/cs"
}

# zns TOKEN PHONE TRACKING_ID: the ZNS reply body.
zns() {
	local body
	body=$("$NV_PYTHON" -c 'import json, sys; print(json.dumps({"phone":
	    sys.argv[1], "template_id": "305123", "template_data": {"ho_ten":
	    "Nguyễn Văn A", "cuoc_hop": "Giao ban quý II"}, "tracking_id":
	    sys.argv[2]}, ensure_ascii=False))' "$2" "$3")
	curl -sS -H "access_token: $1" -H 'Content-Type: application/json' \
	    --data-binary "$body" "$zalo_URL/message/template"
}

zalo_start zalo --app-id "$APP" --secret "$SECRET" --refresh-token RT-seed \
    --zns-quota 2 --expires-in 3600 --oa-secret "$OA_SECRET"
assert_eq false "$(zalo_stat zalo access_token_valid)" "no access token before the first refresh"
assert_eq -216 "$(cs AT-guess 111 "$TEXT" | json_get error)" "unknown access token"

# --- OAuth: rotation, single use --------------------------------------------
r=$(refresh RT-seed wrong-secret)
assert_eq -14002 "$(json_get error <<<"$r")" "wrong secret_key"
assert_eq "Invalid app secret" "$(json_get error_name <<<"$r")" "error_name-style body"
assert_eq RT-seed "$(zalo_token zalo refresh_token)" "a refused refresh rotates nothing"

r=$(refresh RT-seed)
[[ $r == *'"expires_in":"3600"'* ]] || fail "expires_in not the string \"3600\": $r"
AT1=$(json_get access_token <<<"$r")
RT1=$(json_get refresh_token <<<"$r")
[[ $AT1 =~ ^AT-[0-9a-f]{64}$ && $RT1 =~ ^RT-[0-9a-f]{64}$ ]] || fail "odd tokens in $r"
assert_eq "$RT1" "$(zalo_token zalo refresh_token)" "the fake keeps the new refresh token"
assert_eq true "$(zalo_stat zalo access_token_valid)" "access token valid after refresh"
assert_eq -14014 "$(refresh RT-seed | json_get error)" "the used refresh token is refused"
assert_eq 1 "$(zalo_stat zalo refreshes)" "one rotation"
assert_eq 2 "$(zalo_stat zalo refresh_failures)" "two refused refreshes"

# --- cs: a Vietnamese text arrives intact -----------------------------------
r=$(cs "$AT1" 1234567890123456789 "$TEXT" -D "$T/cs.headers")
assert_eq 0 "$(json_get error <<<"$r")" "cs send with the new token"
CS_MID=$(json_get data.message_id <<<"$r")
[[ $CS_MID =~ ^[0-9a-f]{20}$ ]] || fail "message_id in $r"
[[ $r == *'"sent_time":"1'[0-9]* ]] || fail "sent_time not a ms string: $r"
assert_eq 1234567890123456789 "$(json_get data.user_id <<<"$r")" "user_id echoed as a string"
assert_grep '^X-RateLimit-Remain: 399[0-9]' "$T/cs.headers" "rate limit header"
assert_grep $'^cs\t0\t[0-9]{13}\t1234567890123456789\t"'"$TEXT"$'"\t-\t'"$CS_MID"'$' \
    "$T/zalo.log" "Vietnamese text and the message id logged"

r=$(curl -sS -H "Authorization: Bearer $AT1" -H 'Content-Type: application/json' \
    --data-binary '{"recipient":{"user_id":"1"},"message":{"text":"x"}}' \
    "$zalo_URL/v3.0/oa/message/cs")
assert_eq -216 "$(json_get error <<<"$r")" "Authorization: Bearer is not accepted"
assert_eq -201 "$(cs "$AT1" "" x | json_get error)" "empty user_id"
long=$(printf 'ệ%.0s' $(seq 2000))
assert_eq 0 "$(cs "$AT1" 222 "$long" | json_get error)" "2000 code points (6000 bytes) fit"
assert_eq -210 "$(cs "$AT1" 222 "${long}a" | json_get error)" "2001 code points are too long"

# --- the access token stops working: -220 -----------------------------------
zalo_control zalo '{"expire_access_after": 1}'
assert_eq 0 "$(cs "$AT1" 333 one | json_get error)" "last send before expiry"
assert_eq -220 "$(cs "$AT1" 333 two | json_get error)" "expired access token"
assert_eq -220 "$(zns "$AT1" 84912345678 z0 | json_get error)" "expired on the ZNS host too"
assert_eq false "$(zalo_stat zalo access_token_valid)" "stats see the expiry"
r=$(refresh "$RT1")
AT2=$(json_get access_token <<<"$r")
RT2=$(json_get refresh_token <<<"$r")
assert_eq 0 "$(cs "$AT2" 333 three | json_get error)" "new token, no send limit"
assert_eq -216 "$(cs "$AT1" 333 four | json_get error)" "the previous access token is invalidated"
assert_eq -124 "$(zns "$AT1" 84912345678 z0 | json_get error)" "ZNS: invalidated token is -124"

# --- ZNS: quota decrements, -144 at 0 ---------------------------------------
r=$(zns "$AT2" 84912345678 rem-0001)
assert_eq 0 "$(json_get error <<<"$r")" "ZNS send"
ZNS_MID=$(json_get data.msg_id <<<"$r")
[[ $ZNS_MID =~ ^[0-9a-f]{20}$ ]] || fail "msg_id in $r"
[[ $r == *'"dailyQuota":"2","remainingQuota":"1"'* ]] || fail "quota strings in $r"
assert_eq -108 "$(zns "$AT2" 0912345678 rem-bad | json_get error)" "phone not in 84 form"
assert_eq 0 "$(zns "$AT2" 849123456789 rem-0002 | json_get data.quota.remainingQuota)" \
    "quota down to 0"
assert_eq -144 "$(zns "$AT2" 84912345678 rem-0003 | json_get error)" "quota exhausted"
assert_grep $'^zns\t0\t[0-9]+\t84912345678\t\\{"ho_ten":"Nguyễn Văn A","cuoc_hop":"Giao ban quý II"\\}\trem-0001\t'"$ZNS_MID"'$' \
    "$T/zalo.log" "template_data, tracking_id and msg_id logged"
zalo_control zalo '{"zns_quota": 5, "zns_error": {"84900000000": -118}}'
assert_eq -118 "$(zns "$AT2" 84900000000 rem-0004 | json_get error)" "phone not on Zalo"
assert_eq 0 "$(zns "$AT2" 84911111111 rem-0005 | json_get error)" "quota reset by control"

# --- scripted faults ---------------------------------------------------------
zalo_control zalo '{"next_errors": [-32, -200], "cs_error": {"u7": -230}}'
assert_eq -32 "$(cs "$AT2" u1 a | json_get error)" "first scripted error"
assert_eq -200 "$(zns "$AT2" 84912345678 rem-0006 | json_get error)" "second, on the ZNS host"
assert_eq -230 "$(cs "$AT2" u7 a | json_get error)" "user marked not interacted"
assert_eq 0 "$(cs "$AT2" u1 a | json_get error)" "scripted errors used up"
zalo_control zalo '{"cs_error": {"u7": null}}'
assert_eq 0 "$(cs "$AT2" u7 a | json_get error)" "mark cleared"

zalo_control zalo '{"http_status": 503, "count": 2}'
code=$(curl -s -o "$T/empty" -w '%{http_code}' -H "access_token: $AT2" \
    -H 'Content-Type: application/json' --data-binary '{}' "$zalo_URL/message/template")
assert_eq 503 "$code" "scripted HTTP status"
[ ! -s "$T/empty" ] || fail "scripted HTTP status has a body"
assert_eq 503 "$(cs "$AT2" u1 a -o /dev/null -w '%{http_code}')" "second 503"
assert_eq 0 "$(cs "$AT2" u1 a | json_get error)" "HTTP faults used up"
assert_eq 1 "$(zalo_count zalo zns http503)" "HTTP fault logged for ZNS"
assert_eq 1 "$(zalo_count zalo cs http503)" "HTTP fault logged for cs"

zalo_control zalo '{"delay_ms": 400}'
t0=$(now_ms)
assert_eq 0 "$(cs "$AT2" u1 slow | json_get error)" "delayed send"
assert_ge $(($(now_ms) - t0)) 400 "reply held back by delay_ms"
zalo_control zalo '{"delay_ms": 0}'
assert_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -d '{"bogus": 1}' \
    "$zalo_URL/_control")" "unknown control member refused"

# refresh_mode empty: a 200 body with neither error nor tokens, no rotation.
zalo_control zalo '{"refresh_mode": "empty"}'
assert_eq '{}' "$(refresh "$RT2")" "empty refresh body"
assert_eq "$RT2" "$(zalo_token zalo refresh_token)" "no rotation on an empty reply"
zalo_control zalo '{"refresh_mode": "error"}'
assert_eq -14014 "$(refresh "$RT2" | json_get error)" "scripted refresh error"
assert_eq "$RT2" "$(zalo_token zalo refresh_token)" "no rotation on an error"

# refresh_mode slow: the fake rotates, then the client times out (ambiguous).
zalo_control zalo '{"refresh_mode": "slow", "slow_ms": 1500}'
r=$(curl -sS -m 0.5 -H "secret_key: $SECRET" \
    -d "app_id=$APP&grant_type=refresh_token&refresh_token=$RT2" \
    "$zalo_URL/v4/oa/access_token" 2>&1)
[[ $r == *'timed out'* ]] || fail "slow refresh answered in time: $r"
RT3=$(zalo_token zalo refresh_token)
[ -n "$RT3" ] && [ "$RT3" != "$RT2" ] || fail "slow refresh did not rotate first"
zalo_control zalo '{"refresh_mode": "normal"}'
assert_eq -14014 "$(refresh "$RT2" | json_get error)" "the RT behind the timed-out refresh is spent"
AT4=$(zalo_token zalo access_token)

# --- OA webhook events: posted and signed as Zalo does -----------------------
# The message ids the OA got for its sends, found in the log by recipient.
assert_eq "$CS_MID" "$(zalo_msg_id zalo 1234567890123456789)" "msg_id of the cs send"
assert_eq "$ZNS_MID" "$(zalo_msg_id zalo 84912345678 'Nguyễn Văn A')" "msg_id of the ZNS send"
assert_eq 2 "$(zalo_msg_ids zalo 333 | wc -l)" "two sends reached user 333"
assert_eq "$(zalo_msg_ids zalo 333 | tail -n 1)" "$(zalo_msg_id zalo 333 three)" \
    "the send to 333 whose text matches"
zalo_msg_id zalo 333 nothing-like-this >/dev/null && fail "zalo_msg_id found a send that was not made"
zalo_msg_id zalo 84900000000 >/dev/null && fail "a refused send has no msg_id"

# A tiny receiver: the fake webhook dumps each request's headers and body.
fake_start hook -B "$T/hook.dump"
ZALO_EVENT_URL=http://127.0.0.1:$hook_PORT/zalo/events
printf '%s\n' "$OA_SECRET" >"$T/oa.key"

assert_eq 200 "$(zalo_reply zalo 1234567890123456789 'Dạ, đã hoàn thành ạ 👍' "$CS_MID")" \
    "a reply quoting the reminder"
assert_eq 200 "$(zalo_seen zalo 1234567890123456789 "$CS_MID" 0123456789abcdef0123)" "seen"
assert_eq 200 "$(zalo_received zalo 84912345678 "$ZNS_MID" rem-0001)" "a ZNS delivery"
assert_eq 200 "$(zalo_event zalo '{"event_name":"user_send_text","sender":{"id":"7"},"message":{"text":"xong"}}' bad)" \
    "a wrong signature is posted too"
assert_eq 200 "$(zalo_event zalo '{"event_name":"user_send_text","sender":{"id":"7"},"message":{"text":"xong"}}' none)" \
    "no signature"
r=$(zalo_post zalo '{"url":"'"$ZALO_EVENT_URL"'","app_id":"9999","event":{"event_name":"follow","follower":{"id":"7"}}}')
assert_eq '[200]' "$(json_get status <<<"$r")" "an event of another app"
r=$(zalo_post zalo '{"url":"'"$ZALO_EVENT_URL"'","repeat":3,"event":{"event_name":"user_send_text","sender":{"id":"8"},"message":{"text":"ok"}}}')
assert_eq '[200, 200, 200]' "$(json_get status <<<"$r")" "the same event three times"
REPEATED=$(json_get body <<<"$r")
r=$(zalo_post zalo '{"url":"'"$ZALO_EVENT_URL"'","pad_to":1048576,"event":{"event_name":"user_send_text","sender":{"id":"9"},"message":{"text":"big"}}}')
assert_eq '[200]' "$(json_get status <<<"$r")" "a 1 MB event"
assert_eq 1048576 "$(json_get bytes <<<"$r")" "padded to 1 MB"
assert_eq '' "$(json_get body <<<"$r")" "a 1 MB body is not echoed"
r=$(zalo_post zalo "$(_nv_json '{"url": a[0], "raw": a[1]}' "$ZALO_EVENT_URL" "$REPEATED")")
assert_eq '[200]' "$(json_get status <<<"$r")" "a retry posted byte for byte later"
assert_eq "$REPEATED" "$(json_get body <<<"$r")" "the retry's bytes"

# What the receiver got: exactly what Zalo would send (reference §8b).
"$NV_PYTHON" - "$T/hook.dump" "$APP" "$OA_ID" "$CS_MID" "$ZNS_MID" <<'PY' || fail "event bodies, see above"
import json, re, sys
dump, app, oa, cs_mid, zns_mid = sys.argv[1:]
ev = [json.loads(l) for l in open(dump, encoding="utf-8")]
assert len(ev) == 11, len(ev)
for e in ev:
    h = e["headers"]
    assert h["Content-Type"] == "application/json", h
    assert int(h["Content-Length"]) == len(e["body"].encode()), h
bodies = [json.loads(e["body"]) for e in ev]
def check(b, name, **kw):
    assert b["event_name"] == name, b
    assert re.fullmatch(r"1[0-9]{12}", b["timestamp"]), b
    for k, v in kw.items():
        node = b
        for part in k.split("__"):
            node = node[part]
        assert node == v, (k, node, v)
r = bodies[0]
check(r, "user_send_text", app_id=app, sender__id="1234567890123456789",
      recipient__id=oa, message__text="Dạ, đã hoàn thành ạ 👍",
      message__quote_msg_id=cs_mid)
assert re.fullmatch(r"[0-9a-f]{20}", r["message"]["msg_id"]), r
assert next(iter(r)) == "app_id", "app_id comes first"
check(bodies[1], "user_seen_message", sender__id=oa,
      recipient__id="1234567890123456789",
      message__msg_ids=[cs_mid, "0123456789abcdef0123"])
check(bodies[2], "user_received_message", sender__id=oa,
      recipient__id="84912345678", message__msg_id=zns_mid,
      message__tracking_id="rem-0001")
check(bodies[5], "follow", app_id="9999")
assert "recipient" not in bodies[5], "no OA side filled in for follow"
assert ev[6]["body"] == ev[7]["body"] == ev[8]["body"] == ev[10]["body"], "retries differ"
assert ev[6]["headers"]["X-ZEvent-Signature"] == ev[10]["headers"]["X-ZEvent-Signature"]
assert len(ev[9]["body"]) == 1048576 and bodies[9]["message"]["text"] == "big"
assert "X-ZEvent-Signature" not in ev[4]["headers"], "sign none sends no header"
PY
# The signature as the daemon checks it (common/sign.c): only the good ones pass.
[ -x "$ZEVENT_CHECK" ] || fail "no $ZEVENT_CHECK (make build/rel/tests/zevent_check)"
"$ZEVENT_CHECK" "$APP" "$T/oa.key" "$T/hook.dump" >"$T/verdicts"
assert_eq 1 "$?" "zevent_check fails when one event does not verify"
assert_eq "ok ok ok bad signature missing wrong app ok ok ok ok ok" \
    "$(paste -sd ' ' "$T/verdicts")" "verdicts of common/sign.c"
# ... and as the reference states it, worked out once more with Python.
"$NV_PYTHON" - "$T/hook.dump" "$OA_SECRET" <<'PY' || fail "signature formula, see above"
import hashlib, json, sys
for i, l in enumerate(open(sys.argv[1], encoding="utf-8")):
    e = json.loads(l)
    b = json.loads(e["body"])
    mac = hashlib.sha256((b["app_id"] + e["body"] + b["timestamp"] +
                          sys.argv[2]).encode()).hexdigest()
    got = e["headers"].get("X-ZEvent-Signature")
    assert (got == "mac=" + mac) == (i not in (3, 4)), (i, got, mac)
PY

# The daemon's answer is logged, whatever it is.
fake_control hook '{"status": 503}'
assert_eq 503 "$(zalo_reply zalo 7 xong)" "the receiver's 503 reported"
fake_control hook '{"status": 200}'
assert_eq 0 "$(ZALO_EVENT_URL=http://127.0.0.1:$(free_port)/zalo/events zalo_reply zalo 7 xong)" \
    "no receiver: status 0"
assert_eq 11 "$(zalo_count zalo event 200)" "events answered 200 in the fake's log"
assert_eq 1 "$(zalo_count zalo event 503)" "the 503 in the fake's log"
assert_eq 1 "$(zalo_count zalo event error)" "the unanswered one in the fake's log"
assert_grep $'^event\t200\t[0-9]{13}\tuser_send_text\t\\{"sign":"good","bytes":1048576,"try":1\\}$' \
    "$T/zalo.log" "the 1 MB event logged"
assert_grep $'^event\t200\t[0-9]{13}\tuser_send_text\t\\{"sign":"bad",' "$T/zalo.log" "how it was signed"
for bad in '{"event":{},"bogus":1}' '{"event":[],"url":"'"$ZALO_EVENT_URL"'"}' \
    '{"event":{},"url":"ftp://x/"}' '{"event":{},"sign":"maybe"}' \
    '{"event":{},"raw":"{}"}' '{"event":{},"repeat":11}' '{"sign":"good"}'; do
	assert_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -d "$bad" "$zalo_URL/_event")" \
	    "control refused: $bad"
done
fake_stop hook
san_check hook

# --- the log and the stderr output never hold a whole token -----------------
for tok in "$AT1" "$RT1" "$AT2" "$RT2" "$RT3" "$AT4"; do
	assert_no_grep "$tok" "$T/zalo.log" "token in the request log"
	assert_no_grep "$tok" "$T/zalo.out" "token in the fake's output"
done
assert_eq "$(wc -l <"$T/zalo.log")" "$(awk -F '\t' 'NF >= 4' "$T/zalo.log" | wc -l)" \
    "every log line has KIND, RESULT, RECV_MS, KEY"

# A reply still held back at SIGTERM is answered, then the fake exits 0.
zalo_control zalo '{"delay_ms": 5000}'
cs "$AT4" u1 held -m 10 -w ' %{http_code}' >"$T/held" 2>&1 &
held=$!
wait_until 5 "grep -q '\"held\"' '$T/zalo.log'" || fail "held send not received"
zalo_stop zalo
assert_eq 0 "$?" "fake_zalo exits 0 on SIGTERM"
wait "$held"
assert_eq ' 503' "$(cat "$T/held")" "held reply answered 503 at exit"
san_check zalo

# --- SMTP sink ---------------------------------------------------------------
smtp_start mail --reply-code 451 --reply-count 1
subj=$(printf 'Nhắc việc' | base64)
printf 'From: a@x\r\nTo: b@y\r\nSubject: =?UTF-8?B?%s?=\r\nMIME-Version: 1.0\r\n%s\r\n%s\r\n\r\n%s\r\n%s\r\n' \
    "$subj" 'Content-Type: text/plain; charset=UTF-8' \
    'Content-Transfer-Encoding: quoted-printable' \
    'H=E1=BB=8Dp giao ban 8h00 ng=C3=A0y 05/06' 'D=C3=B2ng hai' >"$T/msg.eml"
send_mail() {
	curl -sS --url "smtp://127.0.0.1:$mail_PORT" --mail-from a@x \
	    --mail-rcpt b@y --upload-file "$T/msg.eml" 2>>"$T/curl-smtp.err"
}
send_mail && fail "first DATA should get 451"
assert_eq 1 "$(smtp_rejected mail)" "one DATA refused"
assert_eq 0 "$(smtp_count mail)" "refused mail not stored"
send_mail || fail "second send failed, see $T/curl-smtp.err"
assert_eq 1 "$(smtp_count mail)" "mail stored"
assert_eq $'a@x\tb@y\tNhắc việc\tHọp giao ban 8h00 ngày 05/06' "$(cat "$T/mail/index.tsv")" \
    "RFC 2047 subject and quoted-printable body decoded"
cmp -s "$T/msg.eml" "$T/mail/0001.eml" || fail "stored bytes differ from the sent ones"
smtp_stop mail
assert_eq 0 "$?" "smtp_sink exits 0 on SIGTERM"
exit 0
