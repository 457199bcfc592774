#!/usr/bin/env bash
# Run every test and print one summary line: "N passed, N failed[, N skipped]".
#
# Unit tests: every $BUILD/tests/test_* binary.  Suites: every tests/suites/*.sh,
# run from the repository root with CAIRN, BUILD and ROOT in the environment.
# Both kinds print one line per test: "ok NAME", "not ok NAME" or "skip NAME # why".
# A program that exits non-zero without printing "not ok" counts as one failure
# (a crash must never pass silently).  TESTS=substring runs a subset.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
export ROOT BUILD CAIRN="$ROOT/$BUILD/cairn"
LOGDIR="$ROOT/$BUILD/test-logs"
mkdir -p "$LOGDIR"
pass=0 fail=0 skip=0

run_one() {   # name, command...
  local name=$1; shift
  local log="$LOGDIR/$name.log"
  if [ -n "${TESTS:-}" ] && [[ "$name" != *"$TESTS"* ]]; then return; fi
  "$@" >"$log" 2>&1
  local rc=$?
  local p f s
  p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log"); s=$(grep -c '^skip ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok $name (exit status $rc)" >>"$log"; f=1
  fi
  pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
  if [ "$f" -gt 0 ]; then
    echo "FAIL $name: $f failed ($log)"
    grep -B3 '^not ok ' "$log" | head -40 | sed 's/^/    /'
  else
    echo "pass $name: $p passed${s:+, $s skipped}" | sed 's/, 0 skipped//'
  fi
}

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  run_one "$(basename "$t")" "$t"
done
for s in tests/suites/*.sh; do
  [ -f "$s" ] || continue
  run_one "$(basename "$s" .sh)" bash "$s"
done

summary="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary="$summary, $skip skipped"
echo "$summary"
[ "$fail" -eq 0 ]
