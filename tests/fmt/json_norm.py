#!/usr/bin/env python3
"""Normalise `cairn parse -json` output for the fmt suite's "same parse"
check.  hcl2json's shape keeps every non-literal expression as its source
text ("${1+2}"), and formatting rewrites that text: spacing around operators
and brackets, and `"${\n x\n}"` unwrapped to `(\n x\n)` as terraform fmt
does, and a variable's legacy quoted type ("string", "map", "list") upgraded
to its type expression as terraform fmt does.  None of these changes meaning, so expression strings are compared with
whitespace outside string literals removed and one pair of parentheses that
wraps the whole expression dropped.  Everything else (structure, literal
values, string contents) must match exactly."""
import json
import sys


def squeeze(src):
    out, i, n = [], 0, len(src)
    quote = False
    while i < n:
        c = src[i]
        if quote:
            out.append(c)
            if c == '\\' and i + 1 < n:
                out.append(src[i + 1])
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
            out.append(c)
        elif not c.isspace():
            out.append(c)
        i += 1
    return ''.join(out)


def wraps_whole(e):
    if len(e) < 2 or e[0] != '(' or e[-1] != ')':
        return False
    depth, quote = 0, False
    for i, c in enumerate(e):
        if quote:
            if c == '"':
                quote = False
            continue
        if c == '"':
            quote = True
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0 and i != len(e) - 1:
                return False
    return True


LEGACY_TYPES = {'string': '${string}', 'map': '${map(string)}', 'list': '${list(string)}'}


def norm(v, key=None):
    if isinstance(v, dict):
        return {k: norm(x, k) for k, x in v.items()}
    if key == 'type' and isinstance(v, str) and v in LEGACY_TYPES:
        return LEGACY_TYPES[v]
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, str) and v.startswith('${') and v.endswith('}'):
        e = squeeze(v[2:-1])
        if wraps_whole(e):
            e = e[1:-1]
        return '${' + e + '}'
    return v


print(json.dumps(norm(json.load(open(sys.argv[1]))), sort_keys=True))
