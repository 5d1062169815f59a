#!/bin/bash
# The man pages: mandoc -Tlint and groff find nothing to say, and every
# config key, plan key and command in the sources has its entry.

. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/fakes.sh"
nv_setup t_301_man

man=$NV_ROOT/man
pages=(nhacviec.1 nhacviec.conf.5 nhacviec-plan.5 nhacviecd.8)
names=$NV_ROOT/tests/integration/doc_names.py

# --- lint ---------------------------------------------------------------------
# Whether another package's page (systemd.exec(5), glob(7)) is installed, and
# how fresh this machine's mandoc.db is, are not the pages' business: those
# two messages are left out, and references to our own pages are checked
# against man/ below.
for p in "${pages[@]}"; do
	[ -f "$man/$p" ] || fail "no man page $man/$p"
	mandoc -Tlint "$man/$p" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'mandoc\.db' >>"$T/lint.out"
	LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$man/$p" \
	    2>>"$T/groff.out" >/dev/null
done
cat "$T/lint.out" "$T/groff.out"
[ -s "$T/lint.out" ] && fail "mandoc -Tlint has something to say"
[ -s "$T/groff.out" ] && fail "groff has something to say"

# Cross references between our pages name pages that exist.
grep -h '^\.Xr nhacviec' "$man"/* | while read -r _ page sect _; do
	[ -f "$man/$page.$sect" ] || echo "$page($sect)"
done >"$T/xr.out"
[ -s "$T/xr.out" ] && fail "references to missing pages: $(cat "$T/xr.out")"

# --- every name has its entry ------------------------------------------------
# An entry is an ".It Cm NAME" line: config and plan keys in the subsection
# of their section (".Ss [SECTION" ...), commands under ".Sh COMMANDS".
check_entries() {	# PAGE KIND (what doc_names.py gives)
	python3 "$names" "$2" >"$T/names.$2" || fail "doc_names.py $2"
	python3 - "$1" "$2" "$T/names.$2" <<'EOF'
import re, sys
page, kind, listing = sys.argv[1:]
where = None
have = set()
for line in open(page, encoding="utf-8"):
    m = re.match(r'\.(Sh|Ss) (.*)', line)
    if m:
        title = m.group(2).replace('\\&', '')
        if kind == "commands":
            where = "" if m.group(1) == "Sh" and title == "COMMANDS" else \
                (where if m.group(1) == "Ss" else None)
        else:
            s = re.match(r'\[([a-z]+)[] ]', title) if m.group(1) == "Ss" else None
            where = s.group(1) if s else None
        continue
    m = re.match(r'\.It Cm ([a-z_-]+)(\s|$)', line)
    if m and where is not None:
        have.add((where + " " + m.group(1)).strip())
missing = [n for n in open(listing).read().split("\n") if n and n not in have]
for n in missing:
    print("%s: no entry for %s %s" % (page, "command" if kind == "commands"
                                      else "key", n))
sys.exit(1 if missing else 0)
EOF
}
check_entries "$man/nhacviec.conf.5" config || fail "nhacviec.conf(5) misses config keys"
check_entries "$man/nhacviec-plan.5" plan || fail "nhacviec-plan(5) misses plan keys"
check_entries "$man/nhacviec.1" commands || fail "nhacviec(1) misses commands"
assert_ge "$(wc -l <"$T/names.config")" 40 "config keys found in common/config.c"
assert_ge "$(wc -l <"$T/names.commands")" 12 "commands found in cli/nhacviec.c"

# The check finds a missing entry: a key dropped from a copy of the page,
# and a key documented in the wrong section.
grep -v '^\.It Cm reclaim_idle' "$man/nhacviec.conf.5" >"$T/dropped.5"
check_entries "$T/dropped.5" config >"$T/dropped.out" &&
    fail "a page without reclaim_idle passes"
assert_grep 'no entry for key delivery reclaim_idle' "$T/dropped.out" \
    "the missing key named"
sed 's/^\.Ss \[alert\]/.Ss [elsewhere]/' "$man/nhacviec.conf.5" >"$T/moved.5"
check_entries "$T/moved.5" config >"$T/moved.out" &&
    fail "a page with [alert]'s keys under another section passes"
assert_grep 'no entry for key alert email' "$T/moved.out" "the misplaced key named"
grep -v '^\.It Cm upcoming' "$man/nhacviec.1" >"$T/dropped.1"
check_entries "$T/dropped.1" commands >"$T/dropped1.out" &&
    fail "a page without upcoming passes"

echo "ok"
