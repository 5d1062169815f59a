#!/usr/bin/python3
"""The names the man pages and the shell completion must know, read from the C sources.

    doc_names.py config     "SECTION KEY" for every key of the main config
    doc_names.py plan       "SECTION KEY" for every key of the plan files
    doc_names.py commands   "COMMAND" for every command of nhacviec

What it reads:
  - common/config.c: each array of `struct config_key` (its entries begin
    `{ .name = "KEY"`), and `config_sections`, whose entries
    `{ "SECTION", NAMED, TABLE, ...}` say which array is which section's;
  - common/plan.c: the same with `struct plan_key` (entries `{ "KEY", ...`)
    and `plan_sections`;
  - cli/nhacviec.c: the array of `struct command`, whose entries begin
    `{ "NAME", ...`.

It exits 1 when a source yields nothing, so that a reorganised source makes
the tests fail instead of checking an empty list: then teach it the new
shape here, and only here.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def keys(path, struct, sections):
    """(section, key) pairs, in the order of the sections' table."""
    src = read(path)
    tables = {}
    for m in re.finditer(r"static const struct %s\s+(\w+)\[\]\s*=\s*\{(.*?)\n\};"
                         % struct, src, re.S):
        tables[m.group(1)] = re.findall(
            r'\{\s*(?:\.name\s*=\s*)?"([a-z_][a-z0-9_]*)"', m.group(2))
    m = re.search(r"static const struct \w+\s+%s\[\w*\]\s*=\s*\{(.*?)\n\};"
                  % sections, src, re.S)
    if m is None:
        return []
    out = []
    for sect, table in re.findall(r'\{\s*"(\w+)",\s*[01],\s*(\w+),', m.group(1)):
        out += [(sect, k) for k in tables.get(table, [])]
    return out


def commands():
    m = re.search(r"static const struct command\s+\w+\[\]\s*=\s*\{(.*?)\n\};",
                  read("cli/nhacviec.c"), re.S)
    return re.findall(r'\{\s*"([a-z][a-z-]*)"', m.group(1)) if m else []


def main():
    what = sys.argv[1] if len(sys.argv) == 2 else ""
    if what == "config":
        lines = ["%s %s" % p for p in keys("common/config.c", "config_key",
                                           "config_sections")]
    elif what == "plan":
        lines = ["%s %s" % p for p in keys("common/plan.c", "plan_key",
                                           "plan_sections")]
    elif what == "commands":
        lines = commands()
    else:
        sys.exit("usage: doc_names.py config|plan|commands")
    if not lines:
        sys.exit("doc_names.py: found no %s names: has the source changed "
                 "shape?" % what)
    print("\n".join(lines))


main()
