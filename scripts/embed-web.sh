#!/bin/sh
# Embeds the status pages' files as C strings: embed-web.sh OUT.c web/FILE...
# Each becomes `const char web_NAME[]` (NAME: the file name, '.' and '-'
# as '_') and `const size_t web_NAME_len`; daemon/web.c serves them.
set -e
out=$1
shift
{
	echo "/* Made by scripts/embed-web.sh from web/*: edit those. */"
	echo "#include <stddef.h>"
	for f; do
		n=$(basename "$f" | tr '.-' '__')
		echo "extern const char web_$n[];"
		echo "extern const size_t web_${n}_len;"
		echo "const char web_$n[] ="
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' \
		    "$f"
		echo ";"
		echo "const size_t web_${n}_len = sizeof(web_$n) - 1;"
	done
} >"$out.tmp"
mv "$out.tmp" "$out"
