#!/bin/bash
# Two daemons need a refresh at the same time (their shared token is within
# refresh_before of its expiry): one refresh, through the Redis lock; both
# keep sending with the new token.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-shared-01 \
    --access-token AT-shared-01 --expires-in 90000
write_zalo_conf "$T/a.conf" cs batch=5
write_zalo_conf "$T/b.conf" cs batch=5 consumer=test-2 \
    zalo.state_file="$T/zalo-token-b.json"
# An hour left: less than refresh_before (5h), so both refresh first.
zalo_seed_token AT-shared-01 RT-shared-01 $((NV_CLOCK_MS + 3600 * 1000))
zalo_control zalo '{"delay_ms": 20}'
seed 200 $((NV_CLOCK_MS - 1000)) 0 zalo two
bg a "$NHACVIECD" -v -c "$T/a.conf" --clock "$NV_CLOCK"
bg b "$NHACVIECD" -v -c "$T/b.conf" --clock "$NV_CLOCK"
wait_until 120 '[ "$(state_count sent)" -ge 200 ]' || fail "$(state_count sent) of 200 sent"
assert_eq 1 "$(zalo_stat zalo refreshes)" "refreshes for two daemons"
assert_eq 0 "$(zalo_count zalo refresh -14014)" "refreshes with a spent token"
assert_eq 0 "$(zalo_count zalo cs -216)" "sends with a dead token"
na=$(grep -c '^.* sent .* via zalo' "$T/a.out")
nb=$(grep -c '^.* sent .* via zalo' "$T/b.out")
echo "daemon a sent $na, daemon b sent $nb"
assert_ge "$na" 1 "sends by daemon a"
assert_ge "$nb" 1 "sends by daemon b"
assert_eq 200 $((na + nb)) "sends in all"
stop a || fail "a: exit status $?"
stop b || fail "b: exit status $?"
