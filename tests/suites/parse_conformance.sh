#!/usr/bin/env bash
# Parse conformance: `cairn parse -json` against the npm package
# @cdktf/hcl2json (HashiCorp's HCL parser compiled to WASM) on every file of
# tests/parse/*.tf.  One `ok`/`not ok parse_<file>` line per file; JSON is
# compared after normalisation (tests/parse/compare.py).  The oracle runs
# once over all files in one node process (tests/parse/oracle.js).
# Without node/npm (or if the install fails) every file is reported `skip`.
set -u
cd "$ROOT"
files=(tests/parse/*.tf)
skip_all() {
  for f in "${files[@]}"; do echo "skip parse_$(basename "$f") # $1"; done
  exit 0
}
NODE_DIR="$ROOT/build/node"
command -v node >/dev/null 2>&1 || skip_all "node is not installed"
if [ ! -f "$NODE_DIR/node_modules/@cdktf/hcl2json/package.json" ]; then
  command -v npm >/dev/null 2>&1 || skip_all "npm is not installed"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error @cdktf/hcl2json \
    >"$NODE_DIR/install.log" 2>&1 || skip_all "npm install @cdktf/hcl2json failed"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
NODE_PATH="$NODE_DIR/node_modules" node tests/parse/oracle.js "${files[@]}" >"$tmp/oracle.txt"
for f in "${files[@]}"; do
  n=$(basename "$f")
  "$CAIRN" parse -json "$f" >"$tmp/$n.json" 2>"$tmp/$n.err"
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "# cairn parse -json $f exited $rc:"
    sed 's/^/#   /' "$tmp/$n.err" | head -20
  fi
done
python3 tests/parse/compare.py "$tmp/oracle.txt" "$tmp" "${files[@]}"
