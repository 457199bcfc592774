#!/usr/bin/env bash
# tests/suites/show_json.sh — `cairn show -json PLANFILE` on the golden plans
# listed in tests/show/cases (steps of tests/engine/cases: creates, updates,
# replacements, deletions with every reason, unknowns, sensitive values,
# modules, count/for_each, moves, imports, drift, data sources).
#
# For each case the steps up to the last listed one run as in
# engine_golden.sh (configuration copied in, plan, apply, after.sh); at a
# listed step the plan is saved (-out), shown with -json, normalised (object
# ids tr-ID, times TIME, pretty-printed) and compared with
# tests/show/golden/CASE_STEP.json, and tests/show/check_plan_json.py
# validates it against Terraform's format.  Then: -show-sensitive puts the
# values back (and says so on stderr), and the same plan file shows the
# same bytes twice.  GOLDEN_UPDATE=1 rewrites the golden files.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
CASES="$ROOT/tests/engine/cases"
SHOW="$ROOT/tests/show"
CHECK="python3 $SHOW/check_plan_json.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

compare() {   # name got want
  if [ "${GOLDEN_UPDATE:-}" = 1 ]; then cp "$2" "$3"; fi
  if [ -f "$3" ] && diff -u "$3" "$2" >"$TMP/diff"; then echo "ok $1"
  else echo "not ok $1"; sed 's/^/# /' "$TMP/diff" 2>/dev/null | head -30
    [ -f "$3" ] || echo "# missing $3"; fi
}

grep -v '^#' "$SHOW/cases" | awk '{print $1}' | uniq | while read -r c; do
  last=$(awk -v c="$c" '$1 == c {print $2}' "$SHOW/cases" | sort -n | tail -1)
  work="$TMP/$c"
  mkdir -p "$work/objects"
  export TEST_PROVIDER_DIR="$work/objects"
  for step in $(ls "$CASES/$c" | grep -E '^[0-9]+$' | sort -n); do
    [ "$step" -le "$last" ] || break
    s="$CASES/$c/$step"
    [ -f "$s/fails" ] && continue
    find "$work" -maxdepth 1 \( -name '*.tf' -o -name '*.tfvars' -o -name '*.tfvars.json' \) -delete
    rm -rf "$work/modules"
    (cd "$s" && tar cf - --exclude='*.golden' --exclude=args --exclude=fails \
        --exclude=apply_fails --exclude=after.sh --exclude=noconverge .) | (cd "$work" && tar xf -)
    args=()
    [ -f "$s/args" ] && read -r -a args <"$s/args"
    t="show_json_${c}_$step"
    if grep -qx "$c $step" "$SHOW/cases"; then
      (cd "$work" && "$CAIRN" plan -no-color -out=plan.bin "${args[@]}" >/dev/null 2>"$TMP/err"); rc=$?
      if [ $rc -ne 0 ]; then echo "not ok $t # plan exit $rc"; sed 's/^/# /' "$TMP/err" | head; continue; fi
      (cd "$work" && "$CAIRN" show -json plan.bin >"$TMP/raw.json" 2>"$TMP/err"); rc=$?
      if [ $rc -ne 0 ]; then echo "not ok $t # show exit $rc"; sed 's/^/# /' "$TMP/err" | head; continue; fi
      $CHECK --normalize "$TMP/raw.json" >"$TMP/got.json"
      compare "$t" "$TMP/got.json" "$SHOW/golden/${c}_$step.json"
      if $CHECK "$TMP/raw.json" >"$TMP/problems" 2>&1; then echo "ok ${t}_valid"
      else echo "not ok ${t}_valid"; sed 's/^/# /' "$TMP/problems" | head -20; fi
      (cd "$work" && "$CAIRN" show -json plan.bin >"$TMP/again.json" 2>/dev/null)
      if cmp -s "$TMP/raw.json" "$TMP/again.json"; then echo "ok ${t}_deterministic"
      else echo "not ok ${t}_deterministic"; fi
    fi
    (cd "$work" && "$CAIRN" apply -auto-approve -no-color "${args[@]}" >/dev/null 2>&1)
    if [ -f "$s/after.sh" ]; then (cd "$work" && bash "$s/after.sh"); fi
  done
done

# -show-sensitive: the values come back, and stderr says so.
work="$TMP/28_sensitive"
cd "$work" || exit 1
export TEST_PROVIDER_DIR="$work/objects"
rm -f *.tf && cp "$CASES/28_sensitive/1/"*.tf .
"$CAIRN" state rm test_resource.db test_resource.user >/dev/null 2>&1
"$CAIRN" plan -out=s.bin >/dev/null 2>&1
"$CAIRN" show -json s.bin >plain.json 2>plain.err
"$CAIRN" show -json -show-sensitive s.bin >clear.json 2>clear.err
if ! grep -q hunter2 plain.json && ! grep -q admin-user plain.json && [ ! -s plain.err ] &&
   grep -q hunter2-s3cr3t clear.json && grep -q admin-user-x9 clear.json &&
   grep -q -- "-show-sensitive" clear.err; then echo "ok show_json_show_sensitive"
else echo "not ok show_json_show_sensitive"; head -c 300 plain.err clear.err | sed 's/^/# /'; fi
exit 0
