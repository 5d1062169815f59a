#!/bin/bash
# The Redis ACL user README gives (keys under the prefix only, no
# dangerous commands) is enough for the daemon and the admin command; a
# key outside the prefix is refused to it. check --redis says what it
# found, warns of a Redis without an append-only file or that may evict.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
acl=$(grep -m1 '^redis-cli ACL SETUSER nhacviec ' "$NV_ROOT/README.md") ||
    fail "README has no 'redis-cli ACL SETUSER nhacviec' line"
acl=${acl#redis-cli }
acl=${acl//'{nhacviec}'/'{t}'}
acl=${acl//PASSWORD/s3cret-acl}
eval "rcli $acl" >"$T/acl.out" 2>&1
assert_grep '^OK$' "$T/acl.out" "ACL SETUSER from README"
umask 077
echo s3cret-acl >"$T/redis.pass"
umask 022
write_conf "$T/nv.conf" "$hook_PORT" username=nhacviec \
    password_file="$T/redis.pass"
seed 100 $((NV_CLOCK_MS - 1000)) 0 hook acl
daemon_start nv "$T/nv.conf"
wait_until 30 '[ "$(state_count sent)" -ge 100 ]' ||
    fail "$(state_count sent) of 100 sent as the ACL user"
"$NHACVIEC" -c "$T/nv.conf" status >"$T/status.out" 2>&1 ||
    fail "status as the ACL user: $(cat "$T/status.out")"
assert_grep '^sent +100' "$T/status.out" "status as the ACL user"
rcli --user nhacviec --pass s3cret-acl --no-auth-warning SET other x \
    >"$T/other.out" 2>&1
assert_grep 'NOPERM' "$T/other.out" "a key outside the prefix"
assert_no_grep 's3cret-acl' "$T/nv.out" "the password in the log"
stop nv || fail "exit status $?"

# check --redis: this Redis has an append-only file; then it has none and
# may evict keys.
"$NHACVIEC" -c "$T/nv.conf" check --redis >"$T/check1.out" 2>&1
assert_grep 'CONFIG GET is not allowed \(an ACL user' "$T/check1.out" \
    "check --redis as the ACL user"
assert_grep 'Redis checked, 0 warnings' "$T/check1.out" "no warning"
rcli CONFIG SET appendonly no >/dev/null
rcli CONFIG SET maxmemory-policy allkeys-lru >/dev/null
write_conf "$T/nv.conf" "$hook_PORT"
"$NHACVIEC" -c "$T/nv.conf" check --redis >"$T/check2.out" 2>&1
assert_grep 'warning: Redis has no append-only file' "$T/check2.out" "no AOF"
assert_grep 'warning: maxmemory-policy allkeys-lru' "$T/check2.out" "eviction"
assert_grep 'note: appendfsync everysec' "$T/check2.out" "everysec"
assert_grep 'Redis checked, 2 warnings' "$T/check2.out" "the count"
