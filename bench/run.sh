#!/usr/bin/env bash
# make bench: generate a 10,000-resource configuration (bench/gen.py), then
# time parsing and evaluating all of it (bench/bench_lang.c) with hyperfine
# and measure peak RSS with /usr/bin/time -v.  Also times `cairn fmt -check`
# on the same files.  Results go to stdout and build/bench/; copy the
# figures into bench/README.md by hand (with the machine and the runs).
#
# BENCH_RUNS (default 10) runs per command; BENCH_RESOURCES (default 10000).
# Then the engine benchmarks, bench/engine.sh (apply scheduling with the test
# provider, plan of 1,000-50,000 instances; its own BENCH_ENGINE_* settings;
# about 5 minutes): BENCH_ENGINE=0 skips them.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-10}
NRES=${BENCH_RESOURCES:-10000}
OUT=build/bench
CFG="$OUT/config"
mkdir -p "$OUT"

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "bench: installing hyperfine (Debian package)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q --no-install-recommends hyperfine >/dev/null 2>&1 ||
    { $SUDO apt-get update -q >/dev/null 2>&1; $SUDO apt-get install -y -q hyperfine >/dev/null; }
fi

make --no-print-directory -s "$BUILD/libcairn.a" "$BUILD/cairn"
PKG_LIBS=$(pkg-config --libs libcurl openssl libxml-2.0 jansson lmdb 2>/dev/null || true)
cc -std=c11 -D_GNU_SOURCE -O2 -g -I. bench/bench_lang.c "$BUILD/libcairn.a" $PKG_LIBS \
   -lpthread -lm -ldl -o "$OUT/bench_lang"

python3 bench/gen.py "$CFG" "$NRES"
files=("$CFG"/*.tf)
echo "bench: ${#files[@]} files, $(cat "${files[@]}" | wc -l) lines, $(cat "${files[@]}" | wc -c) bytes"
"$OUT/bench_lang" "${files[@]}"

echo
echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|CPU max MHz)' || true
echo "nproc: $(nproc)"
free -m | head -2

echo
echo "== parse + evaluate ($RUNS runs)"
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$OUT/parse_eval.md" \
  "$OUT/bench_lang $CFG/*.tf" "CAIRN_NO_HUGEPAGES=1 $OUT/bench_lang $CFG/*.tf"
echo
echo "== peak RSS (parse + evaluate)"
/usr/bin/time -v "$OUT/bench_lang" "${files[@]}" 2>&1 | grep -E 'Maximum resident|Elapsed|page faults'
echo
echo "== cairn fmt -check on the same files ($RUNS runs)"
hyperfine --warmup 1 --runs "$RUNS" -i --export-markdown "$OUT/fmt.md" \
  "$BUILD/cairn fmt -check $CFG"
/usr/bin/time -v "$BUILD/cairn" fmt -check "$CFG" 2>&1 | grep -E 'Maximum resident' || true

if [ "${BENCH_ENGINE:-1}" != 0 ]; then
  echo
  echo "== engine: apply scheduling and plan scaling (bench/engine.sh)"
  BUILD="$BUILD" bench/engine.sh
fi
