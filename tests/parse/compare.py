#!/usr/bin/env python3
"""tests/parse/compare.py ORACLE_LINES CAIRN_DIR FILE...

Compare the oracle's output (one JSON line per file from oracle.js) with
cairn's (CAIRN_DIR/<basename>.json, written by `cairn parse -json`).  JSON is
normalised: keys sorted, every number read as a float (the oracle goes
through JavaScript doubles; cairn prints exact decimals).  Prints one
`ok NAME` / `not ok NAME` line per file."""
import json, os, sys

def norm(text):
    return json.dumps(json.loads(text, parse_int=float, parse_float=float), sort_keys=True)

def main():
    oracle = {}
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                oracle[o["file"]] = o
    bad = 0
    for path in sys.argv[3:]:
        name = os.path.basename(path)
        o = oracle.get(path)
        mine = os.path.join(sys.argv[2], name + ".json")
        if o is None or "error" in o:
            print("not ok parse_%s # oracle: %s" % (name, o and o.get("error")))
            bad += 1
            continue
        want = json.dumps(json.loads(json.dumps(o["json"]), parse_int=float, parse_float=float),
                          sort_keys=True)
        try:
            with open(mine) as f:
                got = norm(f.read())
        except Exception as e:
            print("# cairn output unreadable: %s" % e)
            got = None
        if got == want:
            print("ok parse_%s" % name)
        else:
            bad += 1
            print("# want %s" % want[:2000])
            print("# got  %s" % (got or "")[:2000])
            print("not ok parse_%s" % name)
    return 1 if bad else 0

sys.exit(main())
