#!/usr/bin/env python3
"""Whitespace mangler for tests/suites/fmt.sh: re-indent every line and
perturb the spaces around punctuation (outside strings, comments and
heredocs) without changing the tokens, so the result means the same.

Usage: mangle.py FILE SEED > OUT"""
import random
import re
import sys

random.seed(int(sys.argv[2]))
src = open(sys.argv[1], encoding="utf-8").read()
out = []
heredoc = None
PUNCT = re.compile(r'\s*(=>|==|!=|<=|>=|[=,:?()\[\]{}+*%])\s*')
for line in src.split('\n'):
    if heredoc:
        out.append(line)
        if line.strip() == heredoc:
            heredoc = None
        continue
    m = re.search(r'<<-?([A-Za-z_][A-Za-z0-9_-]*)\s*$', line)
    if m:
        heredoc = m.group(1)
    body = line.strip()
    if not any(c in body for c in ('"', '#', '//', '/*', '*/', '<<')):
        body = PUNCT.sub(lambda mm: random.choice(['', ' ', '  ']) + mm.group(1)
                         + random.choice(['', ' ', '  ']), body)
        body = re.sub(r'\s+', lambda mm: random.choice([' ', '  ', '\t']), body).strip()
    else:
        body = re.sub(r'^(\w+)\s*=\s*', lambda mm: mm.group(1)
                      + random.choice(['=', ' = ', '   =  ']), body)
    trail = '' if m else random.choice(['', '', ' '])  # "<<EOT " opens no heredoc
    out.append(random.choice(['', ' ', '    ', '\t', '      ']) + body + trail)
sys.stdout.write('\n'.join(out))
