#!/bin/sh
# Install the Debian 12 packages that building, testing, packaging and the
# demo need; do nothing when they are all present.
set -e
pkgs="gcc make pkg-config libevent-dev libhiredis-dev libcurl4-openssl-dev
libjansson-dev libical-dev libinih-dev libsystemd-dev libcmocka-dev libssl-dev
redis-server redis-tools python3 python3-aiosmtpd ca-certificates curl tzdata
build-essential dpkg-dev debhelper fakeroot lintian mandoc man-db
bash-completion systemd libfaketime libcrypt-dev chromium chromium-driver
python3-selenium fonts-dejavu-core"
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run as root or install them" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
