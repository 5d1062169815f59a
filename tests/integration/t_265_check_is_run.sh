#!/bin/bash
# check = run: nhacviec check, nhacviecd -n and nhacviecd's start make the
# same checks through the same code, and fail or pass together. A Zalo
# channel without its app secret (outside systemd) fails all three with
# the same FILE:LINE; plan files that match nothing pass all three with
# the same warning (the daemon plans from the plan in Redis).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
unset CREDENTIALS_DIRECTORY
{ conf_base; cat <<EOC

[plan]
files = $T/nowhere/*.conf

[channel zalo]
type = zalo
contact = zalo
app_id = 4242
EOC
} >"$T/nosecret.conf"
want="nosecret.conf:22: \[channel zalo\] has no secret_key_file, and there is no systemd credential zalo-app-secret"
"$NHACVIEC" -c "$T/nosecret.conf" check >"$T/check1.out" 2>&1
assert_eq 78 "$?" "check without the app secret"
assert_grep "$want" "$T/check1.out" "check says why"
"$NHACVIECD" -n -c "$T/nosecret.conf" >"$T/n1.out" 2>&1
assert_eq 78 "$?" "nhacviecd -n without the app secret"
assert_grep "$want" "$T/n1.out" "-n says why"
timeout 20 "$NHACVIECD" -c "$T/nosecret.conf" >"$T/run1.out" 2>&1
assert_eq 78 "$?" "nhacviecd without the app secret"
assert_grep "$want" "$T/run1.out" "the daemon says why"

fake_start hook
write_conf "$T/noplan.conf" "$hook_PORT"
printf '\n[plan]\nfiles = %s/nowhere/*.conf\n' "$T" >>"$T/noplan.conf"
want2="warning: no plan files match $T/nowhere/\*.conf: nhacviecd plans from the plan loaded in Redis"
"$NHACVIEC" -c "$T/noplan.conf" check >"$T/check2.out" 2>&1 ||
    fail "check with no plan files: $(cat "$T/check2.out")"
assert_grep "$want2" "$T/check2.out" "check warns"
"$NHACVIECD" -n -c "$T/noplan.conf" >"$T/n2.out" 2>&1 ||
    fail "-n with no plan files: $(cat "$T/n2.out")"
assert_grep "$want2" "$T/n2.out" "-n warns"
daemon_start nv "$T/noplan.conf"
assert_grep "$want2" "$T/nv.out" "the daemon warns the same"
stop nv || fail "exit status $?"
