#!/bin/sh
# Embeds the Lua scripts as C strings: embed-lua.sh OUT.c lua/NAME.lua...
# Each becomes `const char lua_NAME[]`; common/scripts.c describes them.
set -e
out=$1
shift
{
	echo "/* Made by scripts/embed-lua.sh from lua/*.lua: edit those. */"
	for f; do
		n=$(basename "$f" .lua)
		echo "extern const char lua_$n[];"
		echo "const char lua_$n[] ="
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' \
		    "$f"
		echo ";"
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
