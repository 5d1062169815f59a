#!/usr/bin/python3
"""The names the man pages and the shell completion must know, read from the C sources.

    doc_names.py config     "SECTION KEY" for every key of the main config
    doc_names.py plan       "SECTION KEY" for every key of the plan files
    doc_names.py commands   "COMMAND" for every command of nhacviec

What it reads:
  - common/config.c: each array of `struct schema_key` (its entries hold
    `.name = "KEY"`, some through a #define of one entry), the arrays of
    `struct schema_table` that put several of them together (a channel's:
    zalo's keys are common/zalo.c's), and `config_sections`, whose entries
    `{ "SECTION", NAMED, TABLE(KEYS) | TABLES, ...}` say which is which
    section's;
  - common/plan.c: the same, with `plan_sections`;
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


def key_arrays(src):
    """Each array of struct schema_key: its name and its keys, in order."""
    macros = dict(re.findall(r'#define\s+(\w+)\s+\{\s*\.name\s*=\s*"(\w+)"',
                             src))
    arrays = {}
    for m in re.finditer(r"const struct schema_key\s+(\w+)\[\w*\]\s*=\s*"
                         r"\{(.*?)\n\};", src, re.S):
        body = m.group(2)
        for name, key in macros.items():
            body = re.sub(r"\b%s\b" % name, '.name = "%s"' % key, body)
        arrays[m.group(1)] = re.findall(r'\.name\s*=\s*"([a-z_][a-z0-9_]*)"',
                                        body)
    return arrays


def keys(path, sections):
    """(section, key) pairs, in the order of the sections' table."""
    src = read(path)
    arrays = key_arrays(src)
    arrays.update(key_arrays(read("common/zalo.c")))
    tables = {}
    for m in re.finditer(r"const struct schema_table\s+(\w+)\[\w*\]\s*=\s*"
                         r"\{(.*?)\n\};", src, re.S):
        tables[m.group(1)] = re.findall(r"\{\s*(\w+),", m.group(2))
    m = re.search(r"const struct schema_section\s+%s\[\w*\]\s*=\s*\{(.*?)\n\};"
                  % sections, src, re.S)
    if m is None:
        return []
    out = []
    for sect, one, many in re.findall(
            r'\{\s*"(\w+)",\s*[01],\s*(?:TABLE\((\w+)\)|(\w+)),', m.group(1)):
        names = []
        for array in ([one] if one else tables.get(many, [])):
            names += [k for k in arrays.get(array, []) if k not in names]
        out += [(sect, k) for k in names]
    return out


def commands():
    m = re.search(r"static const struct command\s+\w+\[\]\s*=\s*\{(.*?)\n\};",
                  read("cli/nhacviec.c"), re.S)
    return re.findall(r'\{\s*"([a-z][a-z-]*)"', m.group(1)) if m else []


def main():
    what = sys.argv[1] if len(sys.argv) == 2 else ""
    if what == "config":
        lines = ["%s %s" % p for p in keys("common/config.c",
                                           "config_sections")]
    elif what == "plan":
        lines = ["%s %s" % p for p in keys("common/plan.c",
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
