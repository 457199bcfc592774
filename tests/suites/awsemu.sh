#!/usr/bin/env bash
# The AWS emulator's own tests: start tests/awsemu/server.py on a free port
# (fast lifecycles: --time-scale 0.01) and run every tests/awsemu/test_*.py
# with Debian's python3, whose botocore is the independent signing client.
# The server runs on the plain `python3` on PATH (standard library only).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
PY=/usr/bin/python3
if ! "$PY" -c 'import botocore' 2>/dev/null; then
  echo "skip awsemu # /usr/bin/python3 has no botocore (scripts/deps.sh installs python3-botocore)"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/awsemu.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
python3 "$ROOT/tests/awsemu/server.py" --port 0 --time-scale 0.01 --seed 7 \
  --log "$work/calls.jsonl" >"$work/port" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/port" ] && break
  sleep 0.05
done
port=$(head -1 "$work/port")
if [ -z "$port" ]; then
  echo "not ok awsemu.server_starts"; sed 's/^/# /' "$work/stderr"; exit 1
fi
echo "ok awsemu.server_starts"
export EMU_URL="http://127.0.0.1:$port" EMU_LOG="$work/calls.jsonl"
rc=0
for t in "$ROOT"/tests/awsemu/test_*.py; do
  [ -f "$t" ] || continue
  if [ -n "${AWSEMU_TESTS:-}" ] && [[ "$(basename "$t")" != *"$AWSEMU_TESTS"* ]]; then continue; fi
  curl -s -X POST -d '{}' "$EMU_URL/_emu/reset" >/dev/null
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$ROOT/tests/awsemu" "$PY" "$t" || rc=1
done
if [ -s "$work/stderr" ]; then
  echo "# emulator stderr:"; sed 's/^/# /' "$work/stderr" | head -50
  if grep -q Traceback "$work/stderr"; then echo "not ok awsemu.no_server_tracebacks"; rc=1
  else echo "ok awsemu.no_server_tracebacks"; fi
else
  echo "ok awsemu.no_server_tracebacks"
fi
exit $rc
