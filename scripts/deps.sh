#!/bin/sh
# Install the Debian 12 packages that building, testing, packaging and the
# demo need, and the vi_VN.UTF-8 locale the tests of Vietnamese messages
# run in; do nothing when they are all present. `deps.sh bench` adds what
# make bench alone needs: nginx-light, the sink of its delivery figures
# (run by the bench on a port of its own; the package's own service is not
# started by this install).
set -e
pkgs="gcc make pkg-config libevent-dev libhiredis-dev libcurl4-gnutls-dev
libjansson-dev libical-dev libinih-dev libsystemd-dev libcmocka-dev nettle-dev
libssh2-1-dev libssl-dev
redis-server redis-tools python3 python3-aiosmtpd ca-certificates curl tzdata
build-essential dpkg-dev debhelper fakeroot lintian mandoc man-db
bash-completion systemd libfaketime libcrypt-dev chromium chromium-driver
python3-selenium fonts-dejavu-core gettext locales"
[ "${1:-}" != bench ] || pkgs="$pkgs nginx-light"
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$missing; run as root or install them" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# No service of what we install starts now (nginx would take port 80):
	# invoke-rc.d asks policy-rc.d, and 101 says "not now".
	policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		policy=1
	fi
	rc=0
	apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	    $missing || rc=$?
	[ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
	[ "$rc" -eq 0 ] || exit "$rc"
fi

# glibc translates only in a locale that is installed: LANG=vi_VN.UTF-8
# needs vi_VN.UTF-8 generated. Listed in /etc/locale.gen, it survives the
# next locale-gen (an upgrade of the locales package runs one).
if ! locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\{0,1\}8'; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: the locale vi_VN.UTF-8 is missing; run as root or" \
		    "generate it (locale-gen)" >&2
		exit 1
	fi
	echo "deps: generating the locale vi_VN.UTF-8"
	grep -qx 'vi_VN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null ||
	    echo 'vi_VN.UTF-8 UTF-8' >>/etc/locale.gen
	locale-gen >/dev/null
fi
