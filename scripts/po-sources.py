#!/usr/bin/python3
"""make po: copy C sources to a folder with their string macros written out.

xgettext does not expand macros, so a message built as "bad id '%s': "
ID_HINT would be extracted cut short, and never found at run time. Each
copy has every use of a file's own string-literal #define (ID_HINT,
SECTIONS_HINT, ...) replaced by its literals, on the same line, so the
line numbers xgettext records stay those of the source.

usage: po-sources.py OUTDIR FILE...
"""
import os
import re
import sys

DEFINE = re.compile(r'^#define\s+([A-Z][A-Z0-9_]*)\s+("(?:[^"\\]|\\.)*"(?:\s*\\?\s*$)?)')
LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')


def macros(lines):
    """The file's macros defined as string literals only, NAME -> text."""
    found = {}
    i = 0
    while i < len(lines):
        m = DEFINE.match(lines[i])
        if not m:
            i += 1
            continue
        body = lines[i][m.start(2):]
        while body.rstrip().endswith('\\') and i + 1 < len(lines):
            i += 1
            body = body.rstrip()[:-1] + ' ' + lines[i]
        body = re.sub(r'/\*.*?\*/', '', body).strip()
        lits = LITERAL.findall(body)
        if lits and LITERAL.sub('', body).strip() == '':
            found[m.group(1)] = ' '.join(lits)
        i += 1
    return found


def main():
    out, files = sys.argv[1], sys.argv[2:]
    for path in files:
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        defs = macros(lines)
        if defs:
            use = re.compile(r'\b(' + '|'.join(map(re.escape, defs)) +
                             r')\b')
            lines = [l if l.lstrip().startswith('#') else
                     use.sub(lambda m: defs[m.group(1)], l) for l in lines]
        dest = os.path.join(out, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))


if __name__ == '__main__':
    main()
