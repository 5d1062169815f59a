#!/bin/bash
# The plan from files to Redis to reminders: `nhacviec load` writes it in one
# step, the daemon plans it into {p}:due at the instants the plan says, the
# reminders reach the webhook at those virtual instants; a changed task moves
# its future reminders and leaves delivered ones delivered; a plan with
# errors is refused by load and changes nothing in Redis.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
mkdir -p "$T/plan.d"
write_conf "$T/nv.conf" "$hook_PORT" hours=07:00-21:00
printf '\n[plan]\nfiles = %s/plan.d/*.conf\nhorizon = 35d\n' "$T" >>"$T/nv.conf"
# write_plan REMIND_LEAD LEAD: the plan, with hop's remind_lead and lead.
write_plan() {
	cat >"$T/plan.d/test.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-fri
holidays = 2022-04-11

[window trua]
start = 11:00
end = 11:30

[agency dtt]
name = Đài Truyền thanh huyện
email = dtt@example.gov.vn

[agency nv]
name = Phòng Nội vụ
email = nv@example.gov.vn

[task hop]
title = Họp giao ban
lead = $2
partners = nv
date = 2022-04-29
remind = end@08:00
remind_lead = $1
channels = hook

[task bao-cao]
title = Báo cáo tháng
lead = nv
month = 2022-04
remind = end@08:00
channels = hook
EOP
}
write_plan end@trua-30m dtt
cmp_due() { due_list | paste -sd';'; }

# load: the plan keys, readable, and the version.
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load.out" 2>&1 || { cat "$T/load.out"; fail "load failed"; }
assert_grep 'as plan version 1' "$T/load.out" "load output"
assert_eq "Họp giao ban" "$(rcli HGET '{t}:task:hop' title)" "task hash"
assert_eq "dtt, nv" "$(rcli SMEMBERS '{t}:agencies' | sort | paste -sd, | sed 's/,/, /')" "agency set"
assert_eq 1 "$(rcli GET '{t}:plan:version')" "plan version"

# The daemon (its files glob also matches: it stores them again, version 2).
# Virtual clock: Friday 2022-04-29 07:59:57 +07:00.
NV_CLOCK=2022-04-29T07:59:57+07:00
t0=$(now_ms)
daemon_start nv "$T/nv.conf"
# 08:00 +07:00 = 01:00Z = 1651194000000; the window: 10:30 = 1651203000000;
# bao-cao's end is Saturday 2022-04-30: moved to Friday 08:00 too.
wait_until 10 '[ "$(due_score "hop/2022-04-29/end@trua-30m/dtt/hook")" = 1651203000000 ]' ||
    fail "window reminder not planned at 10:30: $(cmp_due)"
wait_until 10 '[ "$(fake_count hook)" -ge 3 ]' || fail "the 08:00 reminders did not come: $(cmp_due)"
recv=$(cut -f3 "$T/hook.log" | sort -n | head -1)
assert_ge "$recv" $((t0 + 3000)) "first receive vs. 08:00 on the virtual clock"
cut -f1 "$T/hook.log" | sort >"$T/got.txt"
printf '%s\n' bao-cao/2022-04-30/end@08:00/nv/hook hop/2022-04-29/end@08:00/dtt/hook \
    hop/2022-04-29/end@08:00/nv/hook >"$T/want.txt"
diff "$T/want.txt" "$T/got.txt" || fail "the 08:00 reminders differ"
wait_until 10 '[ "$(state_count sent)" -ge 3 ]' || fail "not recorded"
# Its own load's plan-changed message comes back to it: read, not planned
# a second time (seconds have passed since it planned).
assert_grep 'plan files stored in Redis as plan version 2$' "$T/nv.out" "own load"
assert_eq 1 "$(grep -c 'planned plan version 2:' "$T/nv.out")" "plannings of version 2"

# A changed task: the window reminder moves to 10:45, delivered ones stay.
write_plan end@trua-15m dtt
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load2.out" 2>&1 || fail "second load"
wait_until 10 '[ "$(due_score "hop/2022-04-29/end@trua-15m/dtt/hook")" = 1651203900000 ]' ||
    fail "changed reminder not planned at 10:45: $(cmp_due)"
assert_eq "" "$(due_score 'hop/2022-04-29/end@trua-30m/dtt/hook')" "old window reminder removed"
assert_eq "" "$(due_score 'hop/2022-04-29/end@08:00/dtt/hook')" "a sent reminder planned again"
assert_eq sent "$(rcli HGET '{t}:state' 'hop/2022-04-29/end@08:00/dtt/hook')" "state of a sent reminder"
assert_eq 3 "$(fake_count hook)" "requests (nothing sent twice)"
assert_eq 1 "$(grep -c 'planned plan version 3:' "$T/nv.out")" "plannings of a peer's load"

# A plan with errors: refused, nothing in Redis changes.
before_v=$(rcli GET '{t}:plan:version')
before_due=$(cmp_due)
before_task=$(rcli HGETALL '{t}:task:hop')
write_plan end@trua-15m dtx
"$NHACVIEC" -c "$T/nv.conf" load >"$T/load3.out" 2>&1
assert_eq 78 "$?" "load exit status with errors"
assert_grep "$T/plan.d/test.conf:[0-9]+: .*dtx" "$T/load3.out" "error names file and line"
assert_eq "$before_v" "$(rcli GET '{t}:plan:version')" "plan version after a refused load"
assert_eq "$before_due" "$(cmp_due)" "due after a refused load"
assert_eq "$before_task" "$(rcli HGETALL '{t}:task:hop')" "task after a refused load"
stop nv || fail "exit status $?"
