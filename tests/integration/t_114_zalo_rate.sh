#!/bin/bash
# The zalo channel's token bucket: rate = 10/s lets a burst of 10 through,
# then one every 100 ms, so 40 sends take at least 3 s however fast the
# machine (the bound can only be exceeded, never undercut, on a slow one).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
zalo_start zalo --app-id 4242 --secret "app-secret-$$" --refresh-token RT-rate-01 \
    --access-token AT-rate-01 --expires-in 90000
zalo_seed_token AT-rate-01 RT-rate-01 $((NV_CLOCK_MS + 20 * 3600 * 1000))
write_zalo_conf "$T/nv.conf" cs zalo.rate=10/s
seed 40 $((NV_CLOCK_MS - 1000)) 0 zalo rate
daemon_start nv "$T/nv.conf"
wait_until 60 '[ "$(state_count sent)" -ge 40 ]' || fail "$(state_count sent) of 40 sent"
first=$(awk -F '\t' '$1 == "cs" { print $3 }' "$T/zalo.log" | sort -n | head -1)
last=$(awk -F '\t' '$1 == "cs" { print $3 }' "$T/zalo.log" | sort -n | tail -1)
echo "40 sends at 10/s took $((last - first)) ms"
assert_ge $((last - first)) 2900 "ms from the first send to the last"
stop nv || fail "exit status $?"
