#!/bin/bash
# The OA access token expires in the middle of 500 sends: exactly one
# refresh, every reminder delivered; the rotated pair is stored in the state
# file and in Redis; no token ever appears in the daemon's output.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-start-0001 \
    --access-token AT-start-0001 --expires-in 90000
write_zalo_conf "$T/nv.conf" cs
zalo_seed_token AT-start-0001 RT-start-0001 $((NV_CLOCK_MS + 20 * 3600 * 1000))
zalo_control zalo '{"expire_access_after": 200}'
seed 500 $((NV_CLOCK_MS - 1000)) 0 zalo z
daemon_start nv "$T/nv.conf"
wait_until 120 '[ "$(state_count sent)" -ge 500 ]' || fail "$(state_count sent) of 500 sent"
assert_eq 1 "$(zalo_stat zalo refreshes)" "refreshes"
assert_eq 500 "$(zalo_stat zalo cs_ok)" "cs messages delivered"
assert_eq 500 "$(awk -F '\t' '$1 == "cs" && $2 == 0 { print $4 }' "$T/zalo.log" | sort -u | wc -l)" "distinct users reached"
assert_eq 0 "$(zalo_count zalo refresh -14014)" "refreshes with a spent token"
# The Vietnamese text arrived intact.
assert_grep 'Nhiệm vụ thử 17' "$T/zalo.log" "message text"
# The new pair is where the daemon and the next instance will look.
at=$(zalo_token zalo access_token)
rt=$(zalo_token zalo refresh_token)
assert_eq "$rt" "$(rcli HGET '{t}:zalo:token' refresh_token)" "refresh token in Redis"
assert_grep "\"refresh_token\": \"$rt\"" "$T/zalo-token.json" "refresh token in the state file"
assert_eq "-rw-------" "$(stat -c %A "$T/zalo-token.json")" "state file mode"
# A reload hands the channel new settings (the old config is freed): it
# keeps its token and goes on sending.
write_zalo_conf "$T/nv.conf" cs zalo.concurrency=4
kill -HUP "$(pid_of nv)"
wait_until 10 "grep -q 'reloaded $T/nv.conf' '$T/nv.out'" || fail "reload"
seed 5 $((NV_CLOCK_MS)) 0 zalo after
rcli XADD '{t}:control' '*' type due at "$NV_CLOCK_MS" >/dev/null
wait_until 20 '[ "$(state_count sent)" -ge 505 ]' || fail "$(state_count sent) of 505 after the reload"
assert_eq 1 "$(zalo_stat zalo refreshes)" "refreshes after the reload"
stop nv || fail "exit status $?"
for tok in "$at" "$rt" AT-start-0001 RT-start-0001 "app-secret-$$"; do
	assert_no_grep "$tok" "$T/nv.out" "a token or secret in the daemon's log"
done
