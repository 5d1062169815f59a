#!/bin/bash
# The systemd unit: systemd's own offline rating stays at 1.5 or better, and
# `systemd-analyze verify` accepts the unit as `make install` puts it.

. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup t_300_unit_hardening

unit=$NV_ROOT/systemd/nhacviecd.service
# The test runs inside `make check`: a make of its own must not think it
# shares that one's job slots.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$NV_ROOT" "$@"; }

# --- the rating -------------------------------------------------------------
# --threshold counts in tenths: 15 is the 1.5 the unit must not exceed.
systemd-analyze security --offline=true --no-pager "$unit" >"$T/security.txt" 2>&1
rc=$?
grep 'Overall exposure level' "$T/security.txt"
assert_eq 0 "$rc" "systemd-analyze security ran"
systemd-analyze security --offline=true --threshold=15 --no-pager "$unit" \
    >/dev/null 2>&1 || fail "the unit is rated above 1.5: $(grep Overall "$T/security.txt")"

# The same check on the unit without its sandbox must fail, or the rating
# above read some other file than ours.
sed '/^# --- Sandbox/,/^\[Install\]/{/^\[Install\]/!d}' "$unit" \
    >"$T/nhacviecd.service"
assert_no_grep '^(PrivateUsers|SystemCallFilter)=' "$T/nhacviecd.service" \
    "sandbox stripped from the copy"
if systemd-analyze security --offline=true --threshold=15 --no-pager \
    "$T/nhacviecd.service" >/dev/null 2>&1; then
	fail "the unit without its sandbox passes the threshold too"
fi

# --- verify, on the unit as installed ----------------------------------------
# There is no systemd running here, so verify works on files: the unit from
# a scratch install, its own programs' paths pointed into that install (verify
# wants them executable), and man(1) looking there for the pages named in
# Documentation=.
root=$T/root
mk install DESTDIR="$root" >"$T/install.out" 2>&1 || {
	cat "$T/install.out"
	fail "make install DESTDIR=$root"
}
installed=$root/lib/systemd/system/nhacviecd.service
[ -f "$installed" ] || fail "make install put no unit at $installed"
cmp -s "$unit" "$installed" || fail "the installed unit differs from $unit"
mkdir -p "$T/verify"
sed "s#=/usr/bin/nhacviecd #=$root/usr/bin/nhacviecd #" "$installed" \
    >"$T/verify/nhacviecd.service"
assert_eq 2 "$(grep -c "=$root/usr/bin/nhacviecd " "$T/verify/nhacviecd.service")" \
    "ExecStartPre and ExecStart pointed into the scratch install"
MANPATH=$root/usr/share/man systemd-analyze verify --man=yes \
    "$T/verify/nhacviecd.service" >"$T/verify.out" 2>&1
rc=$?
cat "$T/verify.out"
assert_eq 0 "$rc" "systemd-analyze verify exit status"
[ -s "$T/verify.out" ] && fail "systemd-analyze verify has something to say"

# And verify does fail on a unit whose program is missing.
sed "s#=$root/usr/bin/nhacviecd #=$root/usr/bin/nhacviecd-missing #" \
    "$T/verify/nhacviecd.service" >"$T/verify/broken.service"
if systemd-analyze verify "$T/verify/broken.service" >/dev/null 2>&1; then
	fail "verify accepts a unit whose program is missing"
fi

echo "ok"
