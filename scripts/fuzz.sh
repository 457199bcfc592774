#!/usr/bin/env bash
# make fuzz: build every libFuzzer target tests/fuzz/fuzz_*.c with clang
# (-fsanitize=fuzzer,address,undefined) into build/fuzz/ and run each for
# FUZZ_SECONDS (default 300) on the corpus tests/fuzz/corpus/.
#
# New inputs go to build/fuzz/corpus-<target>/; at the end the ones that add
# coverage are merged into tests/fuzz/corpus/ (set FUZZ_MERGE=0 to skip).
# Crashes, leaks and timeouts are written to tests/fuzz/crashes/ — once the
# bug is fixed, keep the file: tests/suites/fuzz_replay.sh replays it forever.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-300}
FUZZ_MERGE=${FUZZ_MERGE:-1}
OUT=build/fuzz
CC=${FUZZ_CC:-clang}
CFLAGS=(-std=c11 -D_GNU_SOURCE -g -O1 -I. -fno-omit-frame-pointer
        -fsanitize=address,undefined -fno-sanitize-recover=undefined)
mkdir -p "$OUT/obj" tests/fuzz/crashes tests/fuzz/corpus

# The language library (lang/ only: the targets need nothing else), built
# with coverage instrumentation.
objs=()
for src in lang/*.c; do
  obj="$OUT/obj/$(basename "$src" .c).o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find lang -name '*.h' -newer "$obj")" ]; then
    echo "fuzz: cc $src"
    "$CC" "${CFLAGS[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  fi
  objs+=("$obj")
done

status=0
for t in tests/fuzz/fuzz_*.c; do
  name=$(basename "$t" .c)
  echo "fuzz: building $name"
  "$CC" "${CFLAGS[@]}" -fsanitize=fuzzer "$t" "${objs[@]}" -o "$OUT/$name" -lm -lcrypto
  work="$OUT/corpus-$name"
  mkdir -p "$work"
  dict=(); [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  echo "fuzz: running $name for ${FUZZ_SECONDS}s"
  if ! "$OUT/$name" "${dict[@]}" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
       -max_len=8192 -print_final_stats=1 -artifact_prefix=tests/fuzz/crashes/ \
       "$work" tests/fuzz/corpus 2>&1 | tee "$OUT/$name.log" | grep -E '^(#[0-9]+ +(pulse|DONE)|==|SUMMARY|stat::)' ; then
    :
  fi
  if grep -qE 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)|runtime error:|deadly signal|Test unit written' "$OUT/$name.log"; then
    echo "fuzz: $name FOUND A PROBLEM — see $OUT/$name.log and tests/fuzz/crashes/" >&2
    status=1
  else
    echo "fuzz: $name: no crash in ${FUZZ_SECONDS}s"
  fi
  if [ "$FUZZ_MERGE" = 1 ]; then
    "$OUT/$name" -merge=1 -max_len=8192 tests/fuzz/corpus "$work" >"$OUT/$name.merge.log" 2>&1 || true
  fi
done
exit $status
