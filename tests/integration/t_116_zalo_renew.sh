#!/bin/bash
# With nothing to send, the daemon still refreshes the OA token refresh_before
# ahead of its end (a refresh token unused for 3 months would die with the
# grant), stores the new pair, and then waits for the next due time.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-renew-01 \
    --access-token AT-renew-01 --expires-in 90000
write_zalo_conf "$T/nv.conf" cs zalo.refresh_before=10s
# The access token ends 23 s after the virtual start: renew 13 s in.
zalo_seed_token AT-renew-01 RT-renew-01 $((NV_CLOCK_MS + 23000))
daemon_start nv "$T/nv.conf"
sleep 1
assert_eq 0 "$(zalo_stat zalo refreshes)" "refreshes before it is time"
wait_until 30 '[ "$(zalo_stat zalo refreshes)" -ge 1 ]' || fail "no refresh ahead of the end"
wait_until 5 "[ \"\$(rcli HGET '{t}:zalo:token' refresh_token)\" = \"\$(zalo_token zalo refresh_token)\" ]" ||
    fail "the new pair is not in Redis"
assert_grep "\"refresh_token\": \"$(zalo_token zalo refresh_token)\"" "$T/zalo-token.json" "the new pair in the state file"
sleep 3
assert_eq 1 "$(zalo_stat zalo refreshes)" "refreshes (the new token is good for 25 h)"
assert_eq 0 "$(zalo_stat zalo cs_ok)" "sends (there was nothing to send)"
stop nv || fail "exit status $?"
assert_no_grep "$(zalo_token zalo refresh_token)" "$T/nv.out" "the token in the log"
