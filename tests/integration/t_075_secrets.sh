#!/bin/bash
# The Redis password comes from a file only its owner can read: a group- or
# world-readable one is refused at start (exit 78); with mode 600 the daemon
# authenticates, and the password appears in no log line.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

pw=s3cret-Pa55-nhacviec-$$
redis_start
rcli CONFIG SET requirepass "$pw" >/dev/null
fake_start hook
printf '%s\n' "$pw" >"$T/redis.pw"
chmod 644 "$T/redis.pw"
write_conf "$T/nv.conf" "$hook_PORT" password_file="$T/redis.pw"

"$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK" >"$T/refused.out" 2>&1
assert_eq 78 "$?" "exit status with a world-readable password file"
assert_grep "$T/nv.conf:[0-9]+: .*readable by group or others" "$T/refused.out" "refusal names file and line"

chmod 600 "$T/redis.pw"
export REDISCLI_AUTH=$pw
seed 3 $((NV_CLOCK_MS - 1000)) 0 hook pw
daemon_start nv "$T/nv.conf" -v
wait_until 20 '[ "$(ledger_count)" -ge 3 ]' || fail "not delivered with AUTH"
# A wrong password: refused by Redis, logged without the password.
printf 'wrong-%s\n' "$pw" >"$T/redis.pw"
stop nv || fail "exit status $?"
daemon_start_fails() { bg nv2 "$NHACVIECD" -c "$T/nv.conf" --clock "$NV_CLOCK" -v; }
daemon_start_fails
wait_until 10 "grep -q 'AUTH refused' '$T/nv2.out'" || fail "a wrong password is not reported"
stop nv2
assert_no_grep "$pw" "$T/nv.out" "password in the log"
assert_no_grep "$pw" "$T/nv2.out" "password in the log"
assert_no_grep "$pw" "$T/refused.out" "password in the refusal"
