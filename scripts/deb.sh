#!/bin/sh
# make deb: build the Debian package from a copy of the source tree under
# build/deb/ (dpkg-buildpackage writes its results to the parent of the tree
# it builds), put build/nhacviec_VERSION_ARCH.deb next to the programs, and
# run lintian on it: any error fails the build.
set -e
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=nhacviec_${version}_${arch}.deb
stage=$root/build/deb
src=$stage/nhacviec-$version

rm -rf "$stage"
mkdir -p "$src"
# The tree as it is, less what builds and tests leave behind.
tar -cf - --exclude=./build --exclude=./run --exclude=./tests/tmp \
    --exclude=./.git --exclude='*.o' . | tar -xf - -C "$src"
# A make inside make must not take the outer one's job slots.
unset MAKEFLAGS MFLAGS MAKELEVEL
(cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -b -us -uc >"$stage/build.log" 2>&1) || {
	tail -n 40 "$stage/build.log" >&2
	echo "deb: dpkg-buildpackage failed; the whole log: $stage/build.log" >&2
	exit 1
}
cp "$stage/$deb" "$root/build/$deb"
echo "deb: build/$deb"
lintian --info --display-info "$root/build/$deb" | tee "$stage/lintian.txt"
if grep -q '^E: ' "$stage/lintian.txt"; then
	echo "deb: lintian reports errors" >&2
	exit 1
fi
