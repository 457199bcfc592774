#!/usr/bin/env bash
# tests/suites/engine_crash.sh — crash safety of apply with the test
# provider: intents left by a run that died are reconciled by the next plan
# (an object created with the intent's token is adopted, a create that never
# happened is retried), and kill -9 at random moments of an apply never
# leaves an orphan or a duplicate once the next apply has converged.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
INTENT="$ROOT/$BUILD/tests/helpers/intent_tool"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "failed: $2"; fi; }
nobj() { find "$TEST_PROVIDER_DIR" -maxdepth 1 -name 'tr-*.json' | wc -l; }
nstate() { "$CAIRN" state list 2>/dev/null | wc -l; }

# --- adoption and retry of staged intents ------------------------------------
W="$TMP/adopt"; mkdir -p "$W/objects/.tokens"; cd "$W" || exit 1
export TEST_PROVIDER_DIR="$W/objects"
cat >main.tf <<'TF'
resource "test_resource" "a" {
  name = "a"
}

resource "test_resource" "b" {
  name = "b"
}

resource "test_resource" "c" {
  name = "c"
}
TF
"$CAIRN" apply -auto-approve -no-color -target=test_resource.a >/dev/null 2>&1
# What a run killed after creating b (object and token written, state not):
"$INTENT" open .cairn test_resource.b create tok-b-0001
printf 'tr-00000000000000bb' >objects/.tokens/tok-b-0001
python3 - objects/tr-00000000000000bb.json <<'PY'
import json, sys
attrs = {k: None for k in ["name", "count_value", "enabled", "tags", "items", "labels",
         "config", "secret", "replace_me", "create_delay", "update_delay", "delete_delay",
         "fail_on", "fail_count", "id", "name_upper", "arn", "created_at", "generation",
         "rule", "setting", "single"]}
attrs.update(name="b", id="tr-00000000000000bb", name_upper="B",
             arn="arn:test:::resource/tr-00000000000000bb",
             created_at="2026-01-01T00:00:00Z", generation=1, rule=[], setting=[])
json.dump({"attributes": attrs, "token": "tok-b-0001", "address": "test_resource.b"},
          open(sys.argv[1], "w"))
PY
# ... and a run killed before its create of c reached the provider:
"$INTENT" open .cairn test_resource.c create tok-c-0001
"$CAIRN" plan -no-color >plan 2>&1; rc=$?
check adopt_plan_ok '[ $rc -eq 0 ]'
check adopt_noted 'grep -q "test_resource.b was created by an interrupted run and has been adopted" plan'
check adopt_in_state '"$CAIRN" state show test_resource.b | grep -q tr-00000000000000bb'
check retry_planned 'grep -q "1 to add, 0 to change, 0 to destroy" plan'
check intents_closed '[ -z "$("$INTENT" list .cairn)" ]'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
check adopt_converges '[ "$(nobj)" -eq 3 ] && [ "$(nstate)" -eq 3 ] && "$CAIRN" plan -detailed-exitcode >/dev/null 2>&1'

# --- kill -9 at random moments ----------------------------------------------
W="$TMP/kill"; mkdir -p "$W/objects"; cd "$W" || exit 1
export TEST_PROVIDER_DIR="$W/objects"
cat >main.tf <<'TF'
resource "test_resource" "base" {
  count        = 20
  name         = "base-${count.index}"
  create_delay = "150ms"
  delete_delay = "100ms"
}

resource "test_resource" "top" {
  count        = 20
  name         = "top-${count.index}"
  items        = [test_resource.base[count.index].id]
  create_delay = "100ms"
}
TF
kills=0
for i in $(seq 1 10); do
  "$CAIRN" apply -auto-approve -no-color -parallelism=8 >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 $pid 2>/dev/null && kills=$((kills + 1))
  wait $pid 2>/dev/null
  # Every few rounds, destroy part of it to kill deletes too.
  if [ $((i % 3)) -eq 0 ]; then
    "$CAIRN" destroy -auto-approve -no-color >/dev/null 2>&1 &
    pid=$!; sleep "0.$((RANDOM % 5 + 1))"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  fi
done
echo "# $kills applies killed with SIGKILL"
"$CAIRN" apply -auto-approve -no-color >out 2>&1; rc=$?
check kill_converges '[ $rc -eq 0 ] && "$CAIRN" plan -detailed-exitcode >/dev/null 2>&1'
check kill_no_orphans '[ "$(nobj)" -eq 40 ] && [ "$(nstate)" -eq 40 ]'
dups=$(cat objects/tr-*.json | python3 -c '
import json, sys, collections
names = collections.Counter()
for line in sys.stdin.read().replace("}{", "}\n{").splitlines():
    if line.strip():
        names[json.loads(line)["attributes"]["name"]] += 1
print(sum(1 for n, c in names.items() if c > 1))')
check kill_no_duplicates '[ "$dups" = 0 ]'
check kill_no_open_intents '[ -z "$("$INTENT" list .cairn)" ]'
exit 0
