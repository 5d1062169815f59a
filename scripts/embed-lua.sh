#!/bin/sh
# Embeds the Lua scripts as C strings: embed-lua.sh OUT.c lua/NAME.lua...
# Each becomes `const char lua_NAME[]`; common/scripts.c describes them.
# A line `--@NAME` in a script is replaced by lua/lib/NAME.lua.
# embed-lua.sh -x FILE.lua prints a script so expanded (for tests that run
# one with redis-cli --eval).
set -e
lib=$(cd "$(dirname "$0")/../lua/lib" && pwd)
expand() {
	awk -v lib="$lib" '
	    /^--@[a-z_]+$/ { f = lib "/" substr($0, 4) ".lua"
	        while ((r = (getline l < f)) > 0) print l
	        if (r < 0) { print "embed-lua.sh: no " f >"/dev/stderr"; exit 1 }
	        close(f); next }
	    { print }' "$1"
}
if [ "$1" = -x ]; then
	expand "$2"
	exit
fi
out=$1
shift
{
	echo "/* Made by scripts/embed-lua.sh from lua/*.lua: edit those. */"
	for f; do
		n=$(basename "$f" .lua)
		echo "extern const char lua_$n[];"
		echo "const char lua_$n[] ="
		expand "$f" >"$out.one"
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' \
		    "$out.one"
		echo ";"
	done
} >"$out.tmp"
rm -f "$out.one"
mv "$out.tmp" "$out"
