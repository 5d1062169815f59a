#!/bin/bash
# Fewer pings: three reminders to one agency on one channel in the same
# minute go as one message listing the three tasks; each is recorded sent
# on its own in the ledger. With digest = no on the channel, three
# messages.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/bodies.json"
mkdir -p "$T/plan"
cat >"$T/plan/p.conf" <<EOP
[calendar]
timezone = Asia/Ho_Chi_Minh
workdays = mon-sun

[agency noi-vu]
name = Phòng Nội vụ
head = Trưởng phòng Nội vụ
email = nv@example.gov.vn

[agency van-hoa]
name = Phòng Văn hóa và Thông tin
email = vh@example.gov.vn

[task a]
title = Báo cáo cải cách hành chính
lead = noi-vu
date = 2022-04-28
remind = end-1d@08:01
channels = hook

[task b]
title = Kiểm tra hồ sơ một cửa
lead = noi-vu
date = 2022-04-29
remind = end-2d@08:01
channels = hook

[task c]
title = Tuyên truyền trên đài
lead = van-hoa
partners = noi-vu
date = 2022-04-30
remind = end-3d@08:01
channels = hook
EOP
for digest in yes no; do
	write_conf "$T/nv.conf" "$hook_PORT" hook.digest="$digest"
	printf '\n[plan]\nfiles = %s/plan/*.conf\n' "$T" >>"$T/nv.conf"
	rcli FLUSHALL >/dev/null
	: >"$T/hook.log"
	: >"$T/bodies.json"
	bg "nv-$digest" "$NHACVIECD" -c "$T/nv.conf" \
	    --clock 2022-04-27T08:00:57+07:00
	wait_until 20 '[ "$(state_count sent)" -ge 4 ]' ||
	    fail "digest=$digest: $(state_count sent) of 4 sent"
	stop "nv-$digest" || fail "exit status $?"
	nv_msgs=$(grep -c 'nv@example.gov.vn' "$T/bodies.json")
	if [ "$digest" = yes ]; then
		assert_eq 1 "$nv_msgs" "messages to noi-vu (digest)"
		grep 'nv@example.gov.vn' "$T/bodies.json" >"$T/digest.json"
		for t in "Báo cáo cải cách hành chính" "Kiểm tra hồ sơ một cửa" \
		    "Tuyên truyền trên đài"; do
			assert_grep "$t" "$T/digest.json" "the digest lists '$t'"
		done
		assert_grep 'nhắc 3 nhiệm vụ' "$T/digest.json" "the digest's count"
	else
		assert_eq 3 "$nv_msgs" "messages to noi-vu (digest = no)"
	fi
	assert_eq 1 "$(grep -c 'vh@example.gov.vn' "$T/bodies.json")" \
	    "messages to van-hoa (digest=$digest)"
	rcli XRANGE '{t}:log' - + >"$T/log-$digest.txt"
	assert_eq 4 "$(grep -cx sent "$T/log-$digest.txt")" \
	    "ledger sent entries, one per reminder (digest=$digest)"
done
