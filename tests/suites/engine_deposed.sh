#!/usr/bin/env bash
# tests/suites/engine_deposed.sh — deposed objects: a create_before_destroy
# replacement whose delete of the old object fails, or is killed, keeps the
# old object in state as a deposed object (never lost, as Terraform keeps
# it); the next plan reads it and destroys it; a deposed object deleted
# outside cairn is dropped; destroy removes deposed objects too.  And the
# order of replacements: delete then create, dependents deleted first and
# created last; create_before_destroy deletes the deposed object only after
# what refers to the instance uses the new one.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && echo "# kept $TMP" || rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "failed: $2"; fi; }
nobj() { find "$TEST_PROVIDER_DIR" -maxdepth 1 -name 'tr-*.json' | wc -l; }
ndeposed() { "$CAIRN" state pull 2>/dev/null | grep -c '"deposed"'; }
# The id of test_resource.a in state.
cur_id() { "$CAIRN" state show test_resource.a 2>/dev/null | sed -n 's/^ *id *= "\(tr-[0-9a-f]*\)"$/\1/p'; }
# A fresh working directory NAME with its own provider objects.
workdir() {
  W="$TMP/$1"; mkdir -p "$W/objects"; cd "$W" || exit 1
  export TEST_PROVIDER_DIR="$W/objects"
}

# config VERSION EXTRA: test_resource.a (create_before_destroy) whose
# replace_me is VERSION, plus EXTRA lines in its body; test_resource.b
# depends on it.
config() {
  cat >main.tf <<TF
resource "test_resource" "a" {
  name       = "a"
  replace_me = "$1"
  $2
  lifecycle {
    create_before_destroy = true
  }
}

resource "test_resource" "b" {
  name = "b-\${test_resource.a.id}"
}
TF
}

# --- a failed delete of the old object leaves it deposed ----------------------
workdir fail
config v1 'fail_on = "delete"
  fail_count = 1'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
old=$(cur_id)
check fail_first_apply '[ -n "$old" ] && [ "$(nobj)" -eq 2 ]'
config v2 'fail_on = "delete"
  fail_count = 1'
"$CAIRN" apply -auto-approve -no-color >apply2 2>&1; rc=$?
check fail_apply_exits_1 '[ $rc -eq 1 ] && grep -q "injected failure on delete" apply2'
check fail_dependent_moved_first \
  'grep -q "test_resource.b: Modifications complete" apply2 &&
   [ "$(grep -n "test_resource.b: Modifications complete" apply2 | cut -d: -f1)" -lt \
     "$(grep -n "(deposed object [0-9a-f]*): Destroying" apply2 | cut -d: -f1)" ]'
new=$(cur_id)
check fail_new_object_current '[ -n "$new" ] && [ "$new" != "$old" ]'
check fail_old_object_deposed \
  '[ "$(ndeposed)" -eq 1 ] && "$CAIRN" state pull | grep -q "\"id\": \"$old\"" && [ -f "objects/$old.json" ]'
check fail_state_list_current_only '[ "$("$CAIRN" state list | grep -c "test_resource.a")" -eq 1 ]'
"$CAIRN" plan -no-color >plan3 2>&1; rc=$?
key=$(sed -n 's/.*(deposed object \([0-9a-f]*\)) will be destroyed$/\1/p' plan3)
check fail_plan_header \
  '[ $rc -eq 0 ] && [ ${#key} -eq 8 ] && grep -q "^  # (left over from a partially-failed replacement of this instance)$" plan3'
check fail_plan_body 'grep -q "^  - resource \"test_resource\" \"a\" {" plan3 && grep -q "\"$old\" -> null" plan3'
check fail_plan_summary 'grep -q "^Plan: 0 to add, 0 to change, 1 to destroy.$" plan3'
"$CAIRN" plan -no-color -out=p.bin >/dev/null 2>&1
"$CAIRN" show -json p.bin >plan3.json 2>&1
check fail_plan_json_deposed \
  'python3 -c "import json,sys; d=json.load(open(\"plan3.json\")); r=[c for c in d[\"resource_changes\"] if c.get(\"deposed\")]; sys.exit(0 if len(r)==1 and r[0][\"deposed\"]==\"$key\" and r[0][\"change\"][\"actions\"]==[\"delete\"] and r[0][\"address\"]==\"test_resource.a\" else 1)"'
"$CAIRN" apply -no-color p.bin >apply3 2>&1; rc=$?
check fail_apply_deletes_deposed \
  '[ $rc -eq 0 ] && grep -q "test_resource.a (deposed object $key): Destruction complete" apply3 && grep -q "0 added, 0 changed, 1 destroyed" apply3'
check fail_converged '[ "$(nobj)" -eq 2 ] && [ ! -f "objects/$old.json" ] && [ "$(ndeposed)" -eq 0 ]'
"$CAIRN" plan -no-color -detailed-exitcode >plan4 2>&1; rc=$?
check fail_then_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan4'

# --- kill -9 while the old object is being deleted -----------------------------
workdir kill
config v1 'delete_delay = "4s"'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
old=$(cur_id)
config v2 'delete_delay = "4s"'
"$CAIRN" apply -auto-approve -no-color >apply2 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "Replacing\|Creation complete\|Destroying" apply2 2>/dev/null && [ "$(nobj)" -ge 3 ] && break
  sleep 0.1
done
sleep 0.5
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
check kill_left_both_objects '[ "$(nobj)" -eq 3 ] && [ -f "objects/$old.json" ]'
check kill_old_object_deposed '[ "$(ndeposed)" -eq 1 ]'
"$CAIRN" plan -no-color >plan3 2>&1; rc=$?
check kill_plan_destroys_deposed \
  '[ $rc -eq 0 ] && grep -Eq "# test_resource.a \(deposed object [0-9a-f]{8}\) will be destroyed" plan3'
"$CAIRN" apply -auto-approve -no-color >apply3 2>&1; rc=$?
check kill_converged '[ $rc -eq 0 ] && [ "$(nobj)" -eq 2 ] && [ ! -f "objects/$old.json" ] && [ "$(ndeposed)" -eq 0 ]'
"$CAIRN" plan -no-color -detailed-exitcode >plan4 2>&1; rc=$?
check kill_then_no_changes '[ $rc -eq 0 ]'

# --- a deposed object deleted outside cairn is dropped ---------------------------
workdir gone
config v1 'fail_on = "delete"'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
old=$(cur_id)
config v2 ''
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
check gone_deposed_kept '[ "$(ndeposed)" -eq 1 ] && [ -f "objects/$old.json" ]'
rm -f "objects/$old.json"
"$CAIRN" plan -no-color -detailed-exitcode >plan3 2>&1; rc=$?
check gone_plan_no_changes '[ $rc -eq 0 ] && ! grep -q "deposed" plan3'
"$CAIRN" apply -refresh-only -auto-approve -no-color >/dev/null 2>&1
check gone_dropped_from_state '[ "$(ndeposed)" -eq 0 ] && "$CAIRN" state list | grep -qx test_resource.a'

# --- state rm forgets an instance with its deposed objects -------------------------
workdir rm
config v1 'fail_on = "delete"'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
config v2 'fail_on = "delete"'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
check rm_has_deposed '[ "$(ndeposed)" -eq 1 ]'
"$CAIRN" state rm test_resource.a >rm 2>&1; rc=$?
check rm_forgets_deposed \
  '[ $rc -eq 0 ] && grep -qx "Removed test_resource.a" rm && [ "$(ndeposed)" -eq 0 ] &&
   ! "$CAIRN" state list | grep -q "test_resource.a" && [ "$(nobj)" -eq 3 ]'

# --- destroy removes deposed objects too ------------------------------------------
workdir destroy
config v1 'fail_on = "delete"
  fail_count = 1'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
config v2 'fail_on = "delete"
  fail_count = 1'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
check destroy_has_deposed '[ "$(ndeposed)" -eq 1 ] && [ "$(nobj)" -eq 3 ]'
"$CAIRN" destroy -auto-approve -no-color >destroy 2>&1; rc=$?
check destroy_removes_all \
  '[ $rc -eq 0 ] && grep -q "3 destroyed" destroy && [ "$(nobj)" -eq 0 ] && [ "$(ndeposed)" -eq 0 ] && [ -z "$("$CAIRN" state list)" ]'

# --- the order of replacements ---------------------------------------------------
# line LABEL-PATTERN FILE: the first line number matching, or 0.
line() { grep -n -m1 "$1" "$2" | cut -d: -f1 | grep . || echo 0; }
# before FILE A B: A's first line comes before B's (both present).
before() { local a b; a=$(line "$2" "$1"); b=$(line "$3" "$1"); [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -lt "$b" ]; }
# pair VERSION A-EXTRA [B-EXTRA]: b's replace_me is a's id (replacing a
# replaces b); B-EXTRA defaults to A-EXTRA.
pair() {
  cat >main.tf <<TF
resource "test_resource" "a" {
  name       = "a"
  replace_me = "$1"
  $2
}

resource "test_resource" "b" {
  name       = "b"
  replace_me = test_resource.a.id
  ${3-$2}
}
TF
}
workdir order
pair v1 ''
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
pair v2 ''
"$CAIRN" apply -auto-approve -no-color >apply 2>&1; rc=$?
check replace_order_dependent_deleted_first \
  '[ $rc -eq 0 ] && before apply "test_resource.b: Destruction complete" "test_resource.a: Destroying"'
check replace_order_delete_then_create \
  'before apply "test_resource.a: Destruction complete" "test_resource.a: Creating"'
check replace_order_dependent_created_last \
  'before apply "test_resource.a: Creation complete" "test_resource.b: Creating" &&
   grep -q "Resources: 2 added, 0 changed, 2 destroyed" apply && [ "$(nobj)" -eq 2 ]'
workdir order_cbd
cbd='lifecycle {
    create_before_destroy = true
  }'
pair v1 "$cbd"
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
pair v2 "$cbd"
"$CAIRN" apply -auto-approve -no-color >apply 2>&1; rc=$?
check cbd_order_creates_first \
  '[ $rc -eq 0 ] && before apply "test_resource.a: Creation complete" "test_resource.b: Creating" &&
   before apply "test_resource.b: Creation complete" "test_resource.b (deposed object"'
check cbd_order_deposed_dependent_first \
  'before apply "test_resource.b (deposed object [0-9a-f]*): Destruction complete" "test_resource.a (deposed object [0-9a-f]*): Destroying" &&
   grep -q "Resources: 2 added, 0 changed, 2 destroyed" apply && [ "$(nobj)" -eq 2 ] && [ "$(ndeposed)" -eq 0 ]'
# create_before_destroy on b alone: Terraform propagates it to a, which b
# depends on.
workdir order_propagated
pair v1 '' "$cbd"
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
pair v2 '' "$cbd"
"$CAIRN" plan -no-color >plan 2>&1
check cbd_propagated_to_dependency \
  'grep -q "^+/- resource \"test_resource\" \"a\"" plan && grep -q "^+/- resource \"test_resource\" \"b\"" plan'
"$CAIRN" apply -auto-approve -no-color >apply 2>&1; rc=$?
check cbd_propagated_order \
  '[ $rc -eq 0 ] && before apply "test_resource.a: Creation complete" "test_resource.b: Creating" &&
   before apply "test_resource.b (deposed object [0-9a-f]*): Destruction complete" "test_resource.a (deposed object [0-9a-f]*): Destroying" &&
   [ "$(nobj)" -eq 2 ] && [ "$(ndeposed)" -eq 0 ]'
