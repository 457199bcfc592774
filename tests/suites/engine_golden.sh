#!/usr/bin/env bash
# tests/suites/engine_golden.sh — golden cases for plan/apply with the test
# provider: configuration -> plan text -> apply -> state listing -> a
# second plan that says "No changes." (exit 0 with -detailed-exitcode).
#
# Each case is a directory tests/engine/cases/NAME/ with numbered steps
# 1/, 2/, ...  A step holds the configuration to use at that step (every
# file except the ones below is copied into the working directory, which
# keeps .cairn/ and the provider's objects from step to step; *.tf and
# *.tfvars files and modules/ of the previous step are removed first) and:
#   plan.golden    expected `cairn plan -no-color` output (required)
#   state.golden   expected `cairn state list` after the apply (optional)
#   args           extra arguments for plan and apply (optional)
#   fails          present: plan must exit 1; plan.golden holds its stderr
#                  and nothing is applied (diagnostic cases)
#   apply_fails    present: apply must exit 1; apply.golden holds the
#                  sorted lines of its stderr that start with "Error"
#   after.sh       run in the working directory after the apply (drift:
#                  edit or delete provider objects) (optional)
#   noconverge     present: skip the "second plan has no changes" check
# Output is normalised: object ids (tr-<hex>) become tr-ID, timestamps
# become TIME.  GOLDEN_UPDATE=1 rewrites the golden files (review the diff!).
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
CASES="$ROOT/tests/engine/cases"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

norm() {
  sed -E -e 's/tr-[0-9a-f]{16}/tr-ID/g' \
         -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g' \
         -e 's/after [0-9]+s/after Ns/g' \
         -e "s|$TMP/[^/ ]*|WORK|g"
}

# compare NAME GOT WANTFILE
compare() {
  local name=$1 got=$2 want=$3
  if [ "${GOLDEN_UPDATE:-}" = 1 ]; then cp "$got" "$want"; fi
  : >"$TMP/diff"
  if [ -f "$want" ] && diff -u "$want" "$got" >"$TMP/diff"; then
    echo "ok $name"
  else
    echo "not ok $name"
    sed 's/^/# /' "$TMP/diff" | head -40
    [ -f "$want" ] || echo "# missing $want"
  fi
}

for case_dir in "$CASES"/*/; do
  c=$(basename "$case_dir")
  work="$TMP/$c"
  mkdir -p "$work/objects"
  export TEST_PROVIDER_DIR="$work/objects"
  for step in $(ls "$case_dir" | grep -E '^[0-9]+$' | sort -n); do
    s="$case_dir$step"
    t="engine_${c}_$step"
    find "$work" -maxdepth 1 \( -name '*.tf' -o -name '*.tfvars' -o -name '*.tfvars.json' \) -delete
    rm -rf "$work/modules"
    (cd "$s" && tar cf - --exclude='*.golden' --exclude=args --exclude=fails \
        --exclude=apply_fails --exclude=after.sh --exclude=noconverge .) | (cd "$work" && tar xf -)
    args=()
    [ -f "$s/args" ] && read -r -a args <"$s/args"
    if [ -f "$s/fails" ]; then
      (cd "$work" && "$CAIRN" plan -no-color "${args[@]}" >"$TMP/out" 2>"$TMP/err"); rc=$?
      norm <"$TMP/err" >"$TMP/got"
      if [ $rc -eq 1 ]; then compare "${t}_diagnostics" "$TMP/got" "$s/plan.golden"
      else echo "not ok ${t}_diagnostics # exit $rc, want 1"; sed 's/^/# /' "$TMP/got" | head; fi
      continue
    fi
    (cd "$work" && "$CAIRN" plan -no-color "${args[@]}" >"$TMP/out" 2>"$TMP/err"); rc=$?
    cat "$TMP/err" >>"$TMP/out"
    norm <"$TMP/out" >"$TMP/got"
    if [ $rc -ne 0 ]; then echo "not ok ${t}_plan # exit $rc"; sed 's/^/# /' "$TMP/got" | head -20
    else compare "${t}_plan" "$TMP/got" "$s/plan.golden"; fi
    (cd "$work" && "$CAIRN" apply -auto-approve -no-color "${args[@]}" >"$TMP/aout" 2>"$TMP/aerr"); rc=$?
    if [ -f "$s/apply_fails" ]; then
      grep '^Error\|error:' "$TMP/aerr" | norm | sort >"$TMP/got"
      if [ $rc -eq 1 ]; then compare "${t}_apply_fails" "$TMP/got" "$s/apply.golden"
      else echo "not ok ${t}_apply_fails # exit $rc, want 1"; fi
    elif [ $rc -ne 0 ]; then
      echo "not ok ${t}_apply # exit $rc"; cat "$TMP/aout" "$TMP/aerr" | sed 's/^/# /' | tail -20
      continue
    else
      echo "ok ${t}_apply"
    fi
    if [ -f "$s/state.golden" ] || [ "${GOLDEN_UPDATE:-}" = 1 ]; then
      (cd "$work" && "$CAIRN" state list >"$TMP/got" 2>&1)
      compare "${t}_state" "$TMP/got" "$s/state.golden"
    fi
    if [ -f "$s/after.sh" ]; then (cd "$work" && bash "$s/after.sh"); fi
    if [ ! -f "$s/noconverge" ] && [ ! -f "$s/after.sh" ] && [ ! -f "$s/apply_fails" ]; then
      (cd "$work" && "$CAIRN" plan -no-color -detailed-exitcode "${args[@]}" >"$TMP/out2" 2>&1); rc=$?
      if [ $rc -eq 0 ] && grep -q '^No changes\.' "$TMP/out2"; then echo "ok ${t}_converged"
      else echo "not ok ${t}_converged # second plan exit $rc"; norm <"$TMP/out2" | sed 's/^/# /' | head -30; fi
    fi
  done
done
