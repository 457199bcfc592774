#!/usr/bin/env bash
# tests/suites/engine_apply.sh — apply behaviour with the test provider:
# partial failure, interrupt, drift and -refresh-only, saved plans (stale,
# changed configuration, corrupt), destroy, outputs, -target, -replace.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "failed: $2"; fi; }

newdir() {
  W="$TMP/$1"; mkdir -p "$W/objects"; cd "$W" || exit 1
  export TEST_PROVIDER_DIR="$W/objects"
}
nobj() { find "$TEST_PROVIDER_DIR" -maxdepth 1 -name 'tr-*.json' | wc -l; }
nstate() { "$CAIRN" state list 2>/dev/null | wc -l; }

# --- partial failure: 30 instances, one fails on create ---------------------
newdir partial
cat >main.tf <<'EOF'
resource "test_resource" "base" {
  count = 10
  name  = "base-${count.index}"
}

resource "test_resource" "mid" {
  count      = 10
  name       = "mid-${count.index}"
  items      = [test_resource.base[count.index].id]
  fail_on    = count.index == 3 ? "create" : null
  fail_count = count.index == 3 ? 1 : null
}

resource "test_resource" "top" {
  count = 10
  name  = "top-${count.index}"
  items = [test_resource.mid[count.index].id]
}
EOF
"$CAIRN" apply -auto-approve -no-color >out 2>err; rc=$?
check partial_exit_1 '[ $rc -eq 1 ]'
check partial_28_created '[ "$(nobj)" -eq 28 ] && [ "$(nstate)" -eq 28 ]'
check partial_failed_named 'grep -q "injected failure" err && grep -q "test_resource.mid\[3\]" err'
check partial_dependent_skipped '! "$CAIRN" state list | grep -q "test_resource.top\[3\]"'
check partial_independent_done '"$CAIRN" state list | grep -q "test_resource.top\[4\]"'
"$CAIRN" apply -auto-approve -no-color >out2 2>&1; rc=$?
check partial_second_apply_rest '[ $rc -eq 0 ] && grep -q "Resources: 2 added, 0 changed, 0 destroyed" out2'
check partial_all_30 '[ "$(nobj)" -eq 30 ] && [ "$(nstate)" -eq 30 ]'

# --- references to resources declared later (planned on demand) ------------
newdir forward
cat >main.tf <<'EOF'
resource "test_resource" "d" { name = test_resource.z.id }
resource "test_resource" "z" { name = test_resource.y.id }
resource "test_resource" "y" {}
resource "test_resource" "top" { items = test_resource.r[*].id }
resource "test_resource" "r" {
  count = 2
  name  = "r${count.index}"
}
EOF
echo 'resource "test_resource" "e" { name = test_resource.d.id }' >e.tf
"$CAIRN" apply -auto-approve -no-color >out 2>&1; rc=$?
check forward_refs_apply '[ $rc -eq 0 ] && grep -q "7 added" out && [ "$(nobj)" -eq 7 ]'
"$CAIRN" graph -type=apply >graph 2>&1
check forward_refs_edges 'grep -qF "test_resource.z\" -> \"[root] test_resource.y\"" graph && ! grep -qF "test_resource.z\" -> \"[root] test_resource.z\"" graph'
check forward_refs_converge '"$CAIRN" plan -detailed-exitcode >/dev/null 2>&1'

# --- interrupt: SIGINT in the middle of a 100-instance apply ----------------
newdir interrupt
cat >main.tf <<'EOF'
resource "test_resource" "slow" {
  count        = 100
  name         = "slow-${count.index}"
  create_delay = "1s"
}
EOF
"$CAIRN" apply -auto-approve -no-color -parallelism=10 >out 2>err &
pid=$!
sleep 2.5
kill -INT $pid
wait $pid; rc=$?
check interrupt_exit_1 '[ $rc -eq 1 ]'
n1=$(nobj); s1=$(nstate)
check interrupt_inflight_recorded '[ "$n1" -eq "$s1" ] && [ "$n1" -gt 0 ] && [ "$n1" -lt 100 ]'
check interrupt_lock_released '"$CAIRN" plan -no-color -lock-timeout=0s >/dev/null 2>&1'
"$CAIRN" apply -auto-approve -no-color -parallelism=50 >out2 2>&1; rc=$?
check interrupt_converges '[ $rc -eq 0 ] && [ "$(nobj)" -eq 100 ] && [ "$(nstate)" -eq 100 ]'
echo "# interrupted after $n1 of 100 instances"

# --- -parallelism bounds calls, not objects waiting to become available ----
# 12 creates at -parallelism=2, each a 0.2 s call (create_delay, holds a
# slot) then a 3 s wait for availability (create_wait, gives the slot back).
# Holding slots while waiting would take 6 rounds of 3.2 s (over 19 s); with
# the waits overlapping, about 1.2 s of calls plus one 3 s wait.
newdir waits
cat >main.tf <<'EOF'
resource "test_resource" "w" {
  count        = 12
  name         = "w-${count.index}"
  create_delay = "200ms"
  create_wait  = "3s"
}
EOF
t0=$(date +%s.%N)
"$CAIRN" apply -auto-approve -no-color -parallelism=2 >out 2>&1; rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
echo "# 12 creates (0.2 s call + 3 s wait) at -parallelism=2: $secs s"
check waits_apply '[ $rc -eq 0 ] && [ "$(nobj)" -eq 12 ] && [ "$(nstate)" -eq 12 ]'
check waits_do_not_hold_slots 'awk -v s="$secs" "BEGIN {exit !(s < 10)}"'
# The calls themselves stay bounded: 12 x 1 s calls at -parallelism=3 take 4 rounds.
newdir calls
cat >main.tf <<'EOF'
resource "test_resource" "c" {
  count        = 12
  name         = "c-${count.index}"
  create_delay = "1s"
}
EOF
t0=$(date +%s.%N)
"$CAIRN" apply -auto-approve -no-color -parallelism=3 >out 2>&1; rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
echo "# 12 creates (1 s call) at -parallelism=3: $secs s"
check calls_apply '[ $rc -eq 0 ] && [ "$(nobj)" -eq 12 ]'
check calls_bounded_by_parallelism 'awk -v s="$secs" "BEGIN {exit !(s >= 3.9)}"'

# --- destroy honours the configuration's timeouts { delete } ----------------
newdir delete_timeout
cat >main.tf <<'EOF'
resource "test_resource" "slow" {
  name         = "slow"
  delete_delay = "3s"
  timeouts {
    delete = "1s"
  }
}
EOF
"$CAIRN" apply -auto-approve -no-color >out 2>&1
"$CAIRN" destroy -auto-approve -no-color >out2 2>&1; rc=$?
check destroy_delete_timeout_applies '[ $rc -eq 1 ] && grep -q "timed out" out2 &&
  grep -q "waited 1000 ms, its timeout" out2 && [ "$(nobj)" -eq 1 ] && [ "$(nstate)" -eq 1 ]'
sed -i 's/delete = "1s"/delete = "10s"/' main.tf
"$CAIRN" destroy -auto-approve -no-color >out3 2>&1; rc=$?
check destroy_delete_timeout_longer '[ $rc -eq 0 ] && [ "$(nobj)" -eq 0 ] && [ "$(nstate)" -eq 0 ]'

# --- postconditions checked again after apply ---------------------------------
# name_upper is computed: unknown when planning, so only apply can tell.
newdir postcondition
cat >main.tf <<'EOF'
resource "test_resource" "checked" {
  name = "web"
  lifecycle {
    postcondition {
      condition     = self.name_upper == "API"
      error_message = "The name must be api, not ${self.name}."
    }
  }
}
resource "test_resource" "after" {
  name  = "after"
  items = [test_resource.checked.id]
}
EOF
"$CAIRN" plan -no-color >plan 2>&1; prc=$?
"$CAIRN" apply -auto-approve -no-color >out 2>&1; rc=$?
check postcondition_unknown_at_plan '[ $prc -eq 0 ] && grep -q "2 to add" plan'
check postcondition_fails_after_apply '[ $rc -eq 1 ] &&
  grep -q "Resource postcondition failed" out && grep -q "The name must be api, not web." out'
check postcondition_object_kept_dependent_skipped '[ "$(nobj)" -eq 1 ] &&
  "$CAIRN" state list | grep -qx "test_resource.checked" &&
  ! "$CAIRN" state list | grep -q "test_resource.after"'

# --- drift: changed and deleted outside cairn --------------------------------
# b and c are deleted outside cairn: the plan notes b, which the update of
# a refers to, and not c, which nothing refers to (Terraform's relevant
# drift).
newdir drift
cat >main.tf <<'EOF'
resource "test_resource" "a" {
  name = "a"
  tags = { peer = test_resource.b.name }
}

resource "test_resource" "b" {
  name = "b"
}

resource "test_resource" "c" {
  name = "c"
}
EOF
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
ida=$("$CAIRN" state show test_resource.a 2>/dev/null | grep -o 'tr-[0-9a-f]*' | head -1)
idb=$("$CAIRN" state show test_resource.b 2>/dev/null | grep -o 'tr-[0-9a-f]*' | head -1)
idc=$("$CAIRN" state show test_resource.c 2>/dev/null | grep -o 'tr-[0-9a-f]*' | head -1)
python3 - "$TEST_PROVIDER_DIR/$ida.json" <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["attributes"]["name"] = "changed-outside"
json.dump(d, open(p, "w"))
EOF
rm -f "$TEST_PROVIDER_DIR/$idb.json" "$TEST_PROVIDER_DIR/$idc.json"
"$CAIRN" plan -no-color >plan 2>&1; rc=$?
check drift_plan_ok '[ $rc -eq 0 ]'
check drift_update_planned 'grep -q "test_resource.a" plan && grep -q "2 to add, 1 to change, 0 to destroy" plan'
check drift_deleted_note 'grep -qx "  # test_resource.b has been deleted" plan &&
  grep -qx "  - resource \"test_resource\" \"b\" {" plan'
check drift_unreferenced_not_noted '! grep -q "test_resource.c has been deleted" plan &&
  grep -qx "  # test_resource.c will be created" plan'
"$CAIRN" apply -refresh-only -auto-approve -no-color >out 2>&1; rc=$?
check drift_refresh_only_ok '[ $rc -eq 0 ]'
check drift_refresh_only_notes 'grep -qx "  # test_resource.a has changed" out &&
  grep -q "^      ~ name *= \"a\" -> \"changed-outside\"$" out &&
  grep -q "^      - name *= \"b\" -> null$" out &&
  grep -qx "  # test_resource.c has been deleted" out'
check drift_refresh_only_recorded '[ "$(nstate)" -eq 1 ] && "$CAIRN" state show test_resource.a | grep -q changed-outside'
check drift_refresh_only_no_change '[ "$(nobj)" -eq 1 ]'
"$CAIRN" apply -auto-approve -no-color >out 2>&1
check drift_converges '[ "$(nobj)" -eq 3 ] && "$CAIRN" plan -detailed-exitcode >/dev/null 2>&1'

# --- saved plans -----------------------------------------------------------
newdir saved
cat >main.tf <<'EOF'
variable "n" {
  type = number
}

resource "test_resource" "a" {
  count = var.n
  name  = "a-${count.index}"
}

output "names" {
  value = test_resource.a[*].name
}
EOF
"$CAIRN" plan -no-color -var n=2 -out=tfplan >out 2>&1; rc=$?
check saved_plan_written '[ $rc -eq 0 ] && [ -f tfplan ] && [ "$(stat -c %a tfplan)" = 600 ]'
"$CAIRN" apply -no-color tfplan >out 2>&1; rc=$?
check saved_plan_applies '[ $rc -eq 0 ] && [ "$(nobj)" -eq 2 ]'
check saved_plan_vars_kept '"$CAIRN" output -json names | grep -q "a-1"'
"$CAIRN" plan -no-color -var n=3 -out=p1 >/dev/null 2>&1
"$CAIRN" plan -no-color -var n=4 -out=p2 >/dev/null 2>&1
"$CAIRN" apply -no-color p1 >/dev/null 2>&1
"$CAIRN" apply -no-color p2 >out 2>&1; rc=$?
check saved_plan_stale '[ $rc -eq 1 ] && grep -q "Saved plan is stale" out && [ "$(nobj)" -eq 3 ]'
check saved_plan_stale_unlocks '"$CAIRN" plan -no-color -var n=3 -lock-timeout=0s >/dev/null 2>&1'
"$CAIRN" plan -no-color -var n=5 -out=p3 >/dev/null 2>&1
echo '# edited' >>main.tf
"$CAIRN" apply -no-color p3 >out 2>&1; rc=$?
check saved_plan_config_changed '[ $rc -eq 1 ] && grep -q "does not match the configuration" out'
head -c 40 p3 >p4
"$CAIRN" apply -no-color p4 >out 2>&1; rc=$?
check saved_plan_corrupt '[ $rc -eq 1 ] && grep -q "not a valid cairn plan file" out'

# --- outputs, -target, -replace, destroy ------------------------------------
newdir misc
cat >main.tf <<'EOF'
resource "test_resource" "x" {
  name = "x"
}

resource "test_resource" "y" {
  name  = "y"
  items = [test_resource.x.id]
}

resource "test_resource" "z" {
  name = "z"
}

output "x_upper" {
  value = test_resource.x.name_upper
}

output "secret" {
  value     = "hunter2"
  sensitive = true
}
EOF
"$CAIRN" apply -auto-approve -no-color -target=test_resource.y >out 2>&1; rc=$?
check target_with_deps '[ $rc -eq 0 ] && [ "$(nstate)" -eq 2 ] && ! "$CAIRN" state list | grep -q test_resource.z'
"$CAIRN" apply -auto-approve -no-color >out 2>&1
check outputs_printed 'grep -q "x_upper = \"X\"" out && grep -q "secret = <sensitive>" out && ! grep -q hunter2 out'
check output_raw '[ "$("$CAIRN" output -raw x_upper)" = X ]'
check output_json '"$CAIRN" output -json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"secret\"][\"sensitive\"] is True"'
old=$("$CAIRN" state show test_resource.z | grep -o 'tr-[0-9a-f]*' | head -1)
"$CAIRN" apply -auto-approve -no-color -replace=test_resource.z >out 2>&1; rc=$?
new=$("$CAIRN" state show test_resource.z | grep -o 'tr-[0-9a-f]*' | head -1)
check replace_flag '[ $rc -eq 0 ] && [ -n "$new" ] && [ "$old" != "$new" ] && [ "$(nobj)" -eq 3 ]'
"$CAIRN" plan -destroy -no-color >out 2>&1
check plan_destroy 'grep -q "0 to add, 0 to change, 3 to destroy" out'
"$CAIRN" destroy -auto-approve -no-color >out 2>&1; rc=$?
check destroy_all '[ $rc -eq 0 ] && [ "$(nobj)" -eq 0 ] && [ "$(nstate)" -eq 0 ] && grep -q "Destroy complete! Resources: 3 destroyed." out'
check detailed_exitcode_2 '"$CAIRN" plan -detailed-exitcode >/dev/null 2>&1; [ $? -eq 2 ]'
"$CAIRN" apply -no-color </dev/null >out 2>&1; rc=$?
check apply_needs_approval '[ $rc -eq 1 ] && [ "$(nobj)" -eq 0 ]'
# --- a state stored under an older schema (pushed from Terraform, or a
# provider that gained an attribute since): missing attributes read as
# null, attributes the schema dropped are ignored, nothing is replaced ----
newdir oldschema
cat >main.tf <<'EOF'
resource "test_resource" "s" {
  name  = "s"
  items = ["x"]
  rule {
    port = 80
  }
}
EOF
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
"$CAIRN" state pull | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["serial"] += 1
a = d["resources"][0]["instances"][0]["attributes"]
del a["create_wait"]
a["obsolete_attribute"] = "gone from the schema"
del a["rule"][0]["cidr"]
print(json.dumps(d))' >old.tfstate
"$CAIRN" state push old.tfstate >out 2>&1; rc=$?
"$CAIRN" plan -refresh=false -detailed-exitcode -no-color >plan1 2>&1; rc1=$?
"$CAIRN" plan -detailed-exitcode -no-color >plan2 2>&1; rc2=$?
check old_schema_state_no_changes \
  '[ $rc -eq 0 ] && [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && grep -q "No changes." plan1'
exit 0
