#!/bin/bash
# Nothing from Redis names a file: payloads whose "template" is
# /etc/passwd, /dev/zero or a FIFO are sent with the channel's own text,
# and no file is opened for them (no passwd line in any body, no hang, no
# crash). Plan files that are a FIFO, a link to /dev/zero or a link to a
# folder are refused by check, -n and start with FILE: reason, at once.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
. "$(dirname "$0")/nv.sh"
nv_setup "$(basename "$0" .sh)"

redis_start
fake_start hook -B "$T/bodies.json"
write_conf "$T/nv.conf" "$hook_PORT"
mkfifo "$T/fifo"
i=0
for f in /etc/passwd /dev/zero "$T/fifo"; do
	i=$((i + 1))
	id="evil/2022-04-30/end-1d@08:00/agency-$i/hook"
	rcli HSET '{t}:reminders' "$id" "{\"id\":\"$id\",\"task\":\"evil\",\"title\":\"Thử $i\",\"agency\":\"agency-$i\",\"contact\":\"a$i@example.gov.vn\",\"channel\":\"hook\",\"due\":\"2022-04-30\",\"spec\":\"end-1d@08:00\",\"template\":\"$f\"}" >/dev/null
	rcli ZADD '{t}:due' $((NV_CLOCK_MS - 1000)) "$id" >/dev/null
done
daemon_start nv "$T/nv.conf"
wait_until 20 '[ "$(state_count sent)" -ge 3 ]' ||
    fail "$(state_count sent) of 3 sent (dead: $(state_count dead))"
assert_no_grep 'root:x:0:0' "$T/bodies.json" "a line of /etc/passwd in a body"
assert_grep 'Thử 3' "$T/bodies.json" "the third reminder's text"
alive nv || fail "the daemon died"
stop nv || fail "exit status $?"

# Plan files that would hang or mislead a reader.
mkdir -p "$T/plan.d" "$T/folder"
cp "$NV_ROOT/config/plan.d/"*.conf "$T/plan.d/"
{ cat "$T/nv.conf"; printf '\n[plan]\nfiles = %s/plan.d/*.conf\n' "$T"; } \
    >"$T/plan.conf"
for bad in fifo zero folder; do
	rm -f "$T/plan.d/zz.conf"
	case $bad in
	fifo)	mkfifo "$T/plan.d/zz.conf"; want='not a regular file \(a FIFO\)' ;;
	zero)	ln -s /dev/zero "$T/plan.d/zz.conf"
		want='not a regular file \(a character device\)' ;;
	folder)	ln -s "$T/folder" "$T/plan.d/zz.conf"
		want='not a regular file \(a directory\)' ;;
	esac
	timeout 20 "$NHACVIEC" -c "$T/plan.conf" check >"$T/check-$bad.out" 2>&1
	rc=$?
	assert_eq 78 "$rc" "check with a $bad as a plan file (124: it hung)"
	assert_grep "zz.conf: $want" "$T/check-$bad.out" "check names the $bad"
	timeout 20 "$NHACVIECD" -n -c "$T/plan.conf" >"$T/n-$bad.out" 2>&1
	assert_eq 78 "$?" "nhacviecd -n with a $bad as a plan file"
	assert_grep "zz.conf: $want" "$T/n-$bad.out" "-n names the $bad"
done
