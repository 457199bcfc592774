#!/usr/bin/env bash
# State store benchmark: builds bench/state_bench.c against $BUILD/libcairn.a
# and runs it RUNS times on a fresh store each time (under $BENCH_TMP, by
# default /tmp: put it on the disk you care about, fsync costs differ).
# Usage: BUILD=build bench/state_bench.sh [RUNS] [COMMITS] [INSTANCES]
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${1:-5} COMMITS=${2:-2000} INSTANCES=${3:-10000}
make --no-print-directory "$BUILD/libcairn.a" >/dev/null
mkdir -p "$BUILD/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -g -I. $(pkg-config --cflags jansson lmdb) -o "$BUILD/bench/state_bench" \
  bench/state_bench.c "$BUILD/libcairn.a" $(pkg-config --libs jansson lmdb) -lpthread -lm
T=$(mktemp -d "${BENCH_TMP:-/tmp}/cairn-state-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
echo "# machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(df -h "$T" | awk 'NR==2 {print $1}')"
for r in $(seq 1 "$RUNS"); do
  "$BUILD/bench/state_bench" "$T/run$r" "$COMMITS" "$INSTANCES"
done
