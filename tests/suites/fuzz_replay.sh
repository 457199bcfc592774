#!/usr/bin/env bash
# tests/suites/fuzz_replay.sh — replay the fuzz corpus and every crash the
# fuzzer ever found (tests/fuzz/crashes/, kept as regression inputs) through
# the fuzz target built with the normal compiler (and ASan under SANITIZE=1).
# One check for the whole corpus, one per crash file.
set -u
cd "$ROOT"
R="$ROOT/$BUILD/tests/helpers/fuzz_lang_replay"
fails=0
mapfile -t corpus < <(find tests/fuzz/corpus -type f ! -name '.*' | sort)
if [ ${#corpus[@]} -eq 0 ]; then
  echo "not ok fuzz_replay_corpus # empty corpus"; fails=1
elif printf '%s\0' "${corpus[@]}" | xargs -0 -n 200 "$R" 2>"$BUILD/test-logs/fuzz_replay_corpus.err"; then
  echo "ok fuzz_replay_corpus # ${#corpus[@]} inputs"
else
  echo "not ok fuzz_replay_corpus"; tail -20 "$BUILD/test-logs/fuzz_replay_corpus.err" | sed 's/^/# /'
  fails=1
fi
for c in tests/fuzz/crashes/*; do
  [ -f "$c" ] || continue
  n=$(basename "$c")
  if "$R" "$c" 2>"$BUILD/test-logs/fuzz_replay_crash.err"; then echo "ok fuzz_replay_crash_$n"; else
    echo "not ok fuzz_replay_crash_$n"; tail -20 "$BUILD/test-logs/fuzz_replay_crash.err" | sed 's/^/# /'
    fails=1
  fi
done
[ $fails -eq 0 ]
