#!/usr/bin/env bash
# Engine benchmarks: apply scheduling and plan scaling with the test provider.
# Inputs come from bench/engine_gen.py, under a temporary directory in
# $BENCH_TMP (default /tmp) that is removed at the end.
#
#   a  apply of 200 independent test_resource instances, create_delay 1s,
#      -parallelism=10.  Goal: under 22 s (ideal: ceil(200/10) x 1 s = 20 s).
#   b  apply of a chain of 10 resources (create_delay 1s each) plus 50
#      instances fanned out from the chain's first element, -parallelism=10.
#      The fan-out is declared first and sorts first, so only critical-path
#      priority starts each chain step as soon as it is ready (taken in file
#      or name order, the fan-out would hold the chain back about 5 s).
#      Goal: wall time within 1.10x of the critical path (computed by
#      engine_gen.py from the generated graph: 10 s).
#   c  `cairn plan -refresh=false -no-color -detailed-exitcode >/dev/null` of N
#      resources (a random DAG, two references each) from existing state.
#      Every run must report no changes (exit 0).  Wall time, CPU time and
#      peak RSS (/usr/bin/time's "Maximum resident set size", as -v prints
#      it).  Goal: under 2 s and 500 MB at 10,000, near-linear growth.
#      The state comes three ways, each setup timed too:
#        from apply  (N up to BENCH_ENGINE_APPLY_MAX) a real `cairn apply
#                    -parallelism=64` of the N creates: a commit per create.
#        pushed      `cairn state push` of a generated v4 state: one bulk
#                    commit.  A v4 file has no attribute types, so these
#                    records are smaller than apply's.
#        refreshed   the pushed state after `cairn apply -refresh-only`: the
#                    generated objects differ from the state in created_at,
#                    so every instance is rewritten as apply stores it (with
#                    its attribute type).  This is the figure the goal and the
#                    growth column use; its plans match "from apply" ones.
#
# Usage: bench/engine.sh [a] [b] [c]          (default: all three)
# Environment: BUILD (default build); CAIRN, a cairn binary to measure instead
# of $BUILD/cairn (its plugins/ directory must hold cairn-provider-test.so; no
# make then); BENCH_ENGINE_RUNS (default 3); BENCH_ENGINE_SIZES (default
# "1000 10000 50000"); BENCH_ENGINE_APPLY_MAX (default 10000).
#
# The binary and the test provider are copied into the temporary directory
# first, so a rebuild of $BUILD while this runs does not change what is
# measured.  Results go to stdout; copy them into bench/README.md by hand
# (with the machine, the commit and the date).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${BENCH_ENGINE_RUNS:-3}
SIZES=${BENCH_ENGINE_SIZES:-"1000 10000 50000"}
APPLY_MAX=${BENCH_ENGINE_APPLY_MAX:-10000}
WHICH=${*:-a b c}
GEN="python3 $PWD/bench/engine_gen.py"

if [ ! -x /usr/bin/time ]; then
  echo "bench: installing time (Debian package)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q --no-install-recommends time >/dev/null 2>&1 ||
    { $SUDO apt-get update -q >/dev/null 2>&1; $SUDO apt-get install -y -q time >/dev/null; }
fi

SRC=""
if [ -z "${CAIRN:-}" ]; then
  SRC=1
  make --no-print-directory -s "$BUILD/cairn" "$BUILD/plugins/cairn-provider-test.so"
  CAIRN=$BUILD/cairn
fi
T=$(mktemp -d "${BENCH_TMP:-/tmp}/cairn-engine-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin/plugins"
cp "$CAIRN" "$T/bin/cairn"
cp "$(dirname "$CAIRN")/plugins/cairn-provider-test.so" "$T/bin/plugins/"
C="$T/bin/cairn"
unset CAIRN_PLUGIN_PATH

echo "# machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
  head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$SRC" ]; then SRC="source $(git describe --always --dirty 2>/dev/null || echo '?')"
else SRC="given binary $CAIRN"; fi
echo "# cairn: $SRC (sha256 $(sha256sum "$C" | cut -c1-12)); $(date -u '+%Y-%m-%d %H:%M UTC')"

# run DIR LOG CMD...: run CMD in DIR with stdout+stderr to LOG; sets WALL
# (seconds, from $EPOCHREALTIME), RSS (peak, MB) and CPU (user + system seconds), both
# from /usr/bin/time, and RC.
run() {
  local dir=$1 log=$2; shift 2
  local t0 t1
  t0=$EPOCHREALTIME
  set +e
  (cd "$dir" && TEST_PROVIDER_DIR="$dir/objects" /usr/bin/time -f '%M %U %S' -o "$T/rss" "$@") \
    >"$log" 2>&1
  RC=$?
  set -e
  t1=$EPOCHREALTIME
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
  RSS=$(awk '{printf "%.0f", $1 / 1024}' "$T/rss")
  CPU=$(awk '{printf "%.2f", $2 + $3}' "$T/rss")
}

# stats V...: "median min max" of the values.
stats() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1}
    END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
         printf "%.2f %.2f %.2f", m, v[1], v[NR]}'
}

# fresh DIR: forget the state and the objects of the previous run.
fresh() { rm -rf "$1/.cairn" "$1/objects" "$1/terraform.tfstate.d"; mkdir -p "$1/objects"; }

SUM_APPLY=() SUM_PLAN=()
verdict() { awk -v v="$1" -v g="$2" 'BEGIN {print (v <= g) ? "met" : "MISSED"}'; }

# apply_bench NAME DIR N_EXPECTED REF GOAL: RUNS applies at -parallelism=10 from
# nothing; REF is the bound the wall time is compared with, GOAL (s) every run must meet.
apply_bench() {
  local name=$1 dir=$2 n=$3 ref=$4 goal=$5 walls=() r
  echo
  echo "| run | wall | wall / reference ($ref s) | peak RSS |"
  echo "|----:|-----:|------------------------:|---------:|"
  for r in $(seq 1 "$RUNS"); do
    fresh "$dir"
    run "$dir" "$T/apply.log" "$C" apply -auto-approve -no-color -parallelism=10
    local got
    got=$(find "$dir/objects" -maxdepth 1 -name 'tr-*.json' | wc -l)
    if [ "$RC" -ne 0 ] || [ "$got" -ne "$n" ] ||
       ! grep -q "Resources: $n added, 0 changed, 0 destroyed" "$T/apply.log"; then
      echo "bench: $name run $r failed (exit $RC, $got objects); last lines:" >&2
      tail -5 "$T/apply.log" >&2
      exit 1
    fi
    walls+=("$WALL")
    echo "| $r | $WALL s | $(awk -v w="$WALL" -v i="$ref" 'BEGIN {printf "%.3f", w / i}')x" \
         "| $RSS MB |"
  done
  read -r med min max <<<"$(stats "${walls[@]}")"
  SUM_APPLY+=("| $name | $RUNS | $med s | $min s | $max s | $ref s | $(
    awk -v m="$med" -v i="$ref" 'BEGIN {printf "%.3f", m / i}')x | every run under $goal s: $(
    verdict "$max" "$goal") |")
}

bench_a() {
  echo
  echo "== a: apply, 200 independent instances, create_delay 1s, -parallelism=10 ($RUNS runs)"
  local cp
  cp=$($GEN flat "$T/a" 200 1s)
  # With no dependencies the bound is the work divided among the workers.
  local ideal=$(( (200 + 9) / 10 ))
  echo "critical path ${cp} s; ideal ceil(200/10) x 1 s = $ideal s"
  apply_bench "a: 200 independent" "$T/a" 200 "$ideal" 22
}

bench_b() {
  echo
  echo "== b: apply, chain of 10 + fan-out of 50 from its first element, create_delay 1s," \
       "-parallelism=10 ($RUNS runs)"
  local cp
  cp=$($GEN chain "$T/b" 10 50 1s)
  # 60 creates over 10 workers take 6 s, less than the chain: the chain bounds.
  echo "critical path (computed from the generated graph): $cp s"
  apply_bench "b: chain 10 + fan-out 50" "$T/b" 60 "$cp" \
              "$(awk -v c="$cp" 'BEGIN {printf "%.2f", c * 1.10}')"
}

# setup N DIR TEXT ARGS...: run cairn ARGS in DIR as a timed setup step.
setup() {
  local n=$1 d=$2 text=$3; shift 3
  run "$d" "$T/c.log" "$C" "$@"
  if [ "$RC" -ne 0 ]; then
    echo "bench: $text for $n failed (exit $RC); last lines:" >&2
    tail -5 "$T/c.log" >&2
    exit 1
  fi
  echo "| $n | setup: $text | - | $WALL s | $CPU s | $RSS MB | |"
}

# plan_runs N DIR SETUP: RUNS plans of DIR, each of which must find no change;
# a row per run, and a summary row (growth against the previous refreshed size).
plan_runs() {
  local n=$1 d=$2 setup=$3 walls=() cpus=() rsss=() r
  for r in $(seq 1 "$RUNS"); do
    run "$d" /dev/null "$C" plan -refresh=false -no-color -detailed-exitcode
    if [ "$RC" -ne 0 ]; then
      echo "bench: plan of $n ($setup) exited $RC (2: it found changes; expected none)" >&2
      exit 1
    fi
    walls+=("$WALL") cpus+=("$CPU") rsss+=("$RSS")
    echo "| $n | plan -refresh=false, state $setup | $r | $WALL s | $CPU s | $RSS MB |" \
         "$(awk -v w="$WALL" -v n="$n" 'BEGIN {printf "%.0f", w * 1e6 / n}') |"
  done
  local med min max cmed rmed rmin rmax growth="-" goal="-"
  read -r med min max <<<"$(stats "${walls[@]}")"
  read -r cmed _ _ <<<"$(stats "${cpus[@]}")"
  read -r rmed rmin rmax <<<"$(stats "${rsss[@]}")"
  if [ "$setup" = refreshed ]; then
    [ -n "$PREV_MED" ] && growth=$(awk -v a="$PREV_MED" -v b="$med" -v m="$PREV_N" -v n="$n" \
      'BEGIN {printf "%.1fx time for %.0fx instances", b / a, n / m}')
    PREV_MED=$med PREV_N=$n
  fi
  [ "$n" -eq 10000 ] && [ "$setup" = refreshed ] &&
    goal="every run under 2 s: $(verdict "$max" 2), under 500 MB: $(verdict "$rmax" 500)"
  SUM_PLAN+=("| $n | $setup | $RUNS | $med s | $min s | $max s | $cmed s | ${rmed%.*} MB |\
 ${rmin%.*}-${rmax%.*} MB | $growth | $goal |")
}

bench_c() {
  echo
  echo "== c: plan -refresh=false of N instances from state (random DAG, 2 references each)"
  echo
  echo "| N | what | run | wall | CPU (user+sys) | peak RSS | µs wall / instance |"
  echo "|--:|------|----:|-----:|---------------:|---------:|-------------------:|"
  local n d
  PREV_MED="" PREV_N=""
  for n in $SIZES; do
    d="$T/c$n"
    $GEN dag "$d" "$n"
    if [ "$n" -le "$APPLY_MAX" ]; then
      fresh "$d"
      setup "$n" "$d" "apply -parallelism=64 (real creates)" \
        apply -auto-approve -no-color -parallelism=64
      plan_runs "$n" "$d" "from apply"
    fi
    fresh "$d"
    $GEN state "$d" "$n"
    setup "$n" "$d" "state push ($(du -m "$d/terraform.tfstate" | cut -f1) MB v4 file)" \
      state push terraform.tfstate
    plan_runs "$n" "$d" pushed
    setup "$n" "$d" "apply -refresh-only (every instance drifted)" \
      apply -refresh-only -auto-approve -no-color
    plan_runs "$n" "$d" refreshed
    rm -rf "$d"
  done
}

for b in $WHICH; do
  case $b in
  a) bench_a ;;
  b) bench_b ;;
  c) bench_c ;;
  *) echo "usage: bench/engine.sh [a] [b] [c]" >&2; exit 2 ;;
  esac
  echo "(load average after $b: $(cut -d' ' -f1-3 /proc/loadavg))"
done

echo
echo "== summary"
if [ ${#SUM_APPLY[@]} -gt 0 ]; then
  echo
  echo "| apply | runs | median | min | max | reference | median / reference | goal |"
  echo "|-------|-----:|-------:|----:|----:|----------:|-------------------:|------|"
  printf '%s\n' "${SUM_APPLY[@]}"
fi
if [ ${#SUM_PLAN[@]} -gt 0 ]; then
  echo
  echo "| plan -refresh=false, N | state | runs | median | min | max | CPU median |" \
       "peak RSS median | RSS min-max | growth (refreshed) | goal |"
  echo "|--:|-------|-----:|-------:|----:|----:|-----------:|----------------:|------------:|\
--------|------|"
  printf '%s\n' "${SUM_PLAN[@]}"
fi
