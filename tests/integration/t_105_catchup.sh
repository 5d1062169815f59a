#!/bin/bash
# Catch-up after downtime: at start, a reminder missed by less than the grace
# is sent and marked late; an older one is recorded as missed in the ledger,
# never silently skipped. SIGHUP re-reads the plan files and re-plans.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook
mkdir -p "$T/plan.d"
write_conf "$T/nv.conf" "$hook_PORT"
printf '\n[plan]\nfiles = plan.d/*.conf\n' >>"$T/nv.conf"
# write_plan LAST: the task's reminders, the last one at LAST.
write_plan() {
	cat >"$T/plan.d/p.conf" <<EOP
[agency a]
email = a@example.gov.vn

[task t]
title = Thử nghiệm bù giờ
lead = a
date = 2022-04-29
remind = end@08:00, end@13:00, $1
channels = hook
EOP
}
write_plan end@16:00
# Friday 15:00: 08:00 is 7 h late (grace 6h), 13:00 is 2 h late.
# 2022-04-29T00:00Z = 1651190400000; 16:00 +07:00 = 09:00Z = 1651222800000.
NV_CLOCK=2022-04-29T15:00:00+07:00
daemon_start nv "$T/nv.conf"
wait_until 10 '[ "$(ledger_count)" -ge 2 ]' || fail "no catch-up: $(rcli XRANGE '{t}:log' - +)"
rcli XRANGE '{t}:log' - + >"$T/ledger.txt"
assert_eq missed "$(rcli HGET '{t}:state' 't/2022-04-29/end@08:00/a/hook')" "state of the 7 h late reminder"
assert_eq sent "$(rcli HGET '{t}:state' 't/2022-04-29/end@13:00/a/hook')" "state of the 2 h late reminder"
assert_eq 1 "$(fake_count hook)" "requests (only the one within grace)"
assert_eq t/2022-04-29/end@13:00/a/hook "$(cut -f1 "$T/hook.log")" "what was sent"
# The ledger says which was missed and that the other was late.
awk '$0 == "outcome" { getline; print }' "$T/ledger.txt" | sort >"$T/outcomes.txt"
assert_eq "missed sent" "$(paste -sd' ' "$T/outcomes.txt")" "ledger outcomes"
awk '$0 == "late" { getline; print }' "$T/ledger.txt" >"$T/late.txt"
assert_grep '^1$' "$T/late.txt" "late flag in the ledger"
assert_eq 1651222800000 "$(due_score 't/2022-04-29/end@16:00/a/hook')" "16:00 still due"

# SIGHUP with a changed plan file: 16:00 becomes 17:00.
write_plan end@17:00
kill -HUP "$(pid_of nv)"
wait_until 10 '[ "$(due_score "t/2022-04-29/end@17:00/a/hook")" = 1651226400000 ]' ||
    fail "SIGHUP did not re-plan: $(due_list | paste -sd';')"
assert_eq "" "$(due_score 't/2022-04-29/end@16:00/a/hook')" "the 16:00 reminder removed"
stop nv || fail "exit status $?"
