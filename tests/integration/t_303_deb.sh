#!/bin/bash
# make deb: the package builds with the Debian tools, lintian finds no error,
# and dpkg installs it into a scratch root with its maintainer scripts run
# there: the nhacviec user and its folders exist, the unit is installed and
# not enabled, /etc/nhacviec is conffiles that a reinstall leaves alone, and
# the installed nhacviec checks the installed config clean, in English and,
# with the installed catalog, in Vietnamese. Remove and purge take away what
# they should.

. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup t_303_deb

[ "$(id -u)" = 0 ] || fail "needs root: dpkg --root and chown in the scratch root"
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$NV_ROOT" "$@"; }

version=$(cd "$NV_ROOT" && dpkg-parsechangelog -S Version) || fail "debian/changelog"
deb=$NV_ROOT/build/nhacviec_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb
rm -f "$deb"
mk deb >"$T/deb.out" 2>&1 || { tail -n 40 "$T/deb.out"; fail "make deb"; }
[ -f "$deb" ] || fail "make deb made no $deb"

# lintian: no error (deb.sh fails on one too); what it says is in the log.
cp "$NV_ROOT/build/deb/lintian.txt" "$T/lintian.txt"
grep -E '^[EWI]: ' "$T/lintian.txt"
assert_no_grep '^E: ' "$T/lintian.txt" "lintian errors"

# The control fields: libraries from dh_shlibdeps, Redis recommended.
dpkg-deb -f "$deb" Depends >"$T/depends"
for lib in libc6 libcurl3-gnutls libevent-2.1-7 libhiredis0.14 libical3 libinih1 \
    libjansson4 libnettle8 libssh2-1 libsystemd0; do
	assert_grep "(^|, )$lib( |,|$)" "$T/depends" "Depends names $lib"
done
assert_eq redis-server "$(dpkg-deb -f "$deb" Recommends)" "Recommends"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$T/conffiles"
for f in /etc/nhacviec/nhacviec.conf /etc/nhacviec/plan.d/calendar.conf \
    /etc/nhacviec/plan.d/agencies.conf /etc/nhacviec/plan.d/tasks-2022.conf \
    /etc/nhacviec/templates/zalo.txt; do
	assert_grep "^$f\$" "$T/conffiles" "$f is a conffile"
done

# --- install into a scratch root ----------------------------------------------
# dpkg --root with its own database; the maintainer scripts run on this
# system with DPKG_ROOT set (debhelper's snippets honour it), since the
# scratch root has no shell to chroot into. Its dependencies are this
# system's libraries, not packages of the scratch root.
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" \
    "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
dpkgr() {
	dpkg --root="$R" --force-script-chrootless --force-depends "$@"
}
dpkgr -i "$deb" >"$T/install.out" 2>&1 || { cat "$T/install.out"; fail "dpkg -i"; }
assert_eq "install ok installed" "$(dpkg-query --admindir="$R/var/lib/dpkg" \
    -W -f='${Status}' nhacviec)" "package state"

# What the maintainer scripts did: the user, its folders, the unit's state.
line=$(grep '^nhacviec:' "$R/etc/passwd") || fail "no nhacviec user in $R/etc/passwd"
uid=$(cut -d: -f3 <<<"$line")
assert_eq /var/lib/nhacviec "$(cut -d: -f6 <<<"$line")" "the user's home"
for d in var/lib/nhacviec etc/nhacviec/secrets; do
	[ -d "$R/$d" ] || fail "tmpfiles made no /$d"
	assert_eq "700 $uid" "$(stat -c '%a %u' "$R/$d")" "/$d mode and owner"
done
[ -f "$R/lib/systemd/system/nhacviecd.service" ] || fail "no unit"
[ -e "$R/etc/systemd/system/multi-user.target.wants/nhacviecd.service" ] &&
    fail "the package enabled the service"
for f in usr/share/man/man1/nhacviec.1.gz usr/share/man/man5/nhacviec.conf.5.gz \
    usr/share/man/man5/nhacviec-plan.5.gz usr/share/man/man8/nhacviecd.8.gz \
    usr/share/bash-completion/completions/nhacviec \
    usr/share/doc/nhacviec/examples/nginx/nhacviec-admin.conf \
    usr/share/locale/vi/LC_MESSAGES/nhacviec.mo; do
	[ -f "$R/$f" ] || fail "not installed: /$f"
done
dpkg-deb -c "$deb" >"$T/contents"
assert_grep ' \./usr/share/locale/vi/LC_MESSAGES/nhacviec\.mo$' "$T/contents" \
    "the Vietnamese catalog in the package"
LC_ALL=C.UTF-8 man --warnings -l "$R/usr/share/man/man5/nhacviec.conf.5.gz" \
    2>"$T/man.err" | grep -q 'unhealthy_after' || fail "the installed nhacviec.conf(5)"
[ -s "$T/man.err" ] && fail "man: $(cat "$T/man.err")"

# The installed programs on the installed config, as README has the admin
# run them: the Zalo app secret in place, named as the unit names it.
conf=$R/etc/nhacviec/nhacviec.conf
(umask 077; echo 'app-secret' >"$R/etc/nhacviec/secrets/zalo-app-secret")
export CREDENTIALS_DIRECTORY=$R/etc/nhacviec/secrets
"$R/usr/bin/nhacviec" -c "$conf" check >"$T/check.out" 2>&1
rc=$?
cat "$T/check.out"
assert_eq 0 "$rc" "nhacviec check exit status"
tasks=$(cat "$NV_ROOT"/config/plan.d/*.conf | grep -c '^\[task ')
agencies=$(cat "$NV_ROOT"/config/plan.d/*.conf | grep -c '^\[agency ')
assert_grep "configuration OK; plan .*: $tasks tasks, $agencies agencies" \
    "$T/check.out" "check on the installed config and plan"
# The scratch root's catalog stands for /usr/share/locale.
env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=vi_VN.UTF-8 \
    NHACVIEC_LOCALEDIR="$R/usr/share/locale" "$R/usr/bin/nhacviec" \
    -c "$conf" check >"$T/check.vi" 2>&1 || fail "check: $(cat "$T/check.vi")"
assert_grep "cấu hình hợp lệ; kế hoạch .*: $tasks nhiệm vụ, $agencies cơ quan" \
    "$T/check.vi" "check in Vietnamese with the installed catalog"
"$R/usr/bin/nhacviecd" -n -c "$conf" >"$T/n.out" 2>&1 ||
    fail "nhacviecd -n: $(cat "$T/n.out")"
unset CREDENTIALS_DIRECTORY
systemd-analyze security --offline=true --threshold=15 --no-pager \
    "$R/lib/systemd/system/nhacviecd.service" >/dev/null 2>&1 ||
    fail "the installed unit is rated above 1.5"

# --- a reinstall keeps the admin's files -----------------------------------
plan=$R/etc/nhacviec/plan.d/tasks-2022.conf
echo '; edited by the admin' >>"$plan"
rm "$R/etc/nhacviec/templates/email.txt"
echo '{}' >"$R/var/lib/nhacviec/zalo-token.json"
dpkgr -i "$deb" >"$T/reinstall.out" 2>&1 || { cat "$T/reinstall.out"; fail "reinstall"; }
assert_eq '; edited by the admin' "$(tail -n 1 "$plan")" "the admin's plan after a reinstall"
[ -e "$R/etc/nhacviec/templates/email.txt" ] &&
    fail "a conffile the admin deleted came back"
[ -f "$R/var/lib/nhacviec/zalo-token.json" ] || fail "the token file went"
[ -f "$R/etc/nhacviec/secrets/zalo-app-secret" ] || fail "the secret went"

# --- remove, then purge ------------------------------------------------------
dpkgr -r nhacviec >"$T/remove.out" 2>&1 || { cat "$T/remove.out"; fail "dpkg -r"; }
[ -e "$R/usr/bin/nhacviecd" ] && fail "remove left the daemon"
assert_eq '; edited by the admin' "$(tail -n 1 "$plan")" "the plan after remove"
[ -f "$R/var/lib/nhacviec/zalo-token.json" ] || fail "remove took the token file"
dpkgr --purge nhacviec >"$T/purge.out" 2>&1 || { cat "$T/purge.out"; fail "dpkg --purge"; }
for p in etc/nhacviec var/lib/nhacviec; do
	[ -e "$R/$p" ] && fail "purge left /$p: $(find "$R/$p" | head -5)"
done

echo "ok"
