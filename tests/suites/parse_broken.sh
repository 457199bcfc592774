#!/usr/bin/env bash
# Broken corpus: every tests/parse/broken/*.tf starts with a line
#   # expect: LINE:COL Summary of the diagnostic
# and, where HashiCorp's parser accepts the file (cairn is stricter, e.g. a
# nesting limit), a second line "# oracle: accepts (why)".
# `cairn parse -json` must exit 1 without crashing (no sanitizer report) and
# print a diagnostic "FILE:LINE:COL: error: Summary".  When node and the
# oracle (@cdktf/hcl2json, installed by parse_conformance.sh or here) are
# available, the oracle must also reject the file, and the position of its
# first diagnostic must be the expected LINE:COL (check parse_oracle_<file>).
set -u
cd "$ROOT"
files=(tests/parse/broken/*.tf)
NODE_DIR="$ROOT/build/node"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_oracle=0
if command -v node >/dev/null 2>&1; then
  if [ ! -f "$NODE_DIR/node_modules/@cdktf/hcl2json/package.json" ] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$NODE_DIR"
    npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error @cdktf/hcl2json \
      >"$NODE_DIR/install.log" 2>&1
  fi
  if [ -f "$NODE_DIR/node_modules/@cdktf/hcl2json/package.json" ]; then
    NODE_PATH="$NODE_DIR/node_modules" node tests/parse/oracle.js "${files[@]}" >"$tmp/oracle.txt" &&
      have_oracle=1
  fi
fi
fail=0
for f in "${files[@]}"; do
  n=$(basename "$f")
  exp=$(sed -n '1s/^# expect: *//p' "$f")
  pos=${exp%% *}
  summary=${exp#* }
  if [ -z "$exp" ] || [ "$pos" = "$exp" ]; then
    echo "not ok broken_$n # no '# expect: LINE:COL Summary' first line"; fail=1; continue
  fi
  "$CAIRN" parse -json "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if grep -qE 'Sanitizer|runtime error:' "$tmp/err"; then
    echo "# sanitizer report:"; head -20 "$tmp/err" | sed 's/^/#   /'
    echo "not ok broken_$n"; fail=1
  elif [ $rc -ne 1 ]; then
    echo "# exit status $rc, want 1"; echo "not ok broken_$n"; fail=1
  elif [ -s "$tmp/out" ]; then
    echo "# printed JSON for a broken file"; echo "not ok broken_$n"; fail=1
  elif ! grep -qF "$f:$pos: error: $summary" "$tmp/err"; then
    echo "# want \"$f:$pos: error: $summary\", got:"
    grep ': error: ' "$tmp/err" | head -5 | sed 's/^/#   /'
    echo "not ok broken_$n"; fail=1
  else
    echo "ok broken_$n"
  fi
  if [ $have_oracle -eq 1 ]; then
    got=$(python3 - "$tmp/oracle.txt" "$f" <<'PY'
import json, re, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["file"] != sys.argv[2]:
        continue
    if "error" not in o:
        print("accepted")
    else:
        m = re.search(re.escape(sys.argv[2]) + r":(\d+),(\d+)", o["error"])
        print("%s:%s" % (m.group(1), m.group(2)) if m else "nopos")
PY
)
    if sed -n '2p' "$f" | grep -q '^# oracle: accepts'; then
      if [ "$got" = "accepted" ]; then echo "ok oracle_$n"
      else echo "# oracle: $got, expected it to accept the file"; echo "not ok oracle_$n"; fail=1
      fi
    elif [ "$got" = "$pos" ]; then
      echo "ok oracle_$n"
    elif [ "$got" = "nopos" ]; then
      echo "skip oracle_$n # the oracle reports no position"
    else
      echo "# oracle: $got, expected $pos"; echo "not ok oracle_$n"; fail=1
    fi
  else
    echo "skip oracle_$n # @cdktf/hcl2json not available"
  fi
done
exit $fail
