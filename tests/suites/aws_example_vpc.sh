#!/usr/bin/env bash
# tests/suites/aws_example_vpc.sh — examples/vpc, unchanged, against the AWS
# emulator (tests/awsemu/server.py): the acceptance of the VPC family.
#   1. init, apply (30 resources: VPC, 6 subnets over 3 zones, internet
#      gateway, 3 EIPs and NAT gateways, 4 route tables, 4 routes, 6
#      associations, 2 security groups), outputs, a second plan with no
#      changes, destroy in dependency order (the emulator enforces AWS's
#      rules), nothing left in state or in the emulator; the saved plans
#      of the create, of a reviewed change (replacements, deletions,
#      updates) and of the destroy have golden `show -json` outputs;
#   2. with 30% throttling and 5% 5xx injected, apply and destroy succeed;
#   3. kill -9 of `cairn apply` at 20 random moments: after each, the next
#      apply converges and the emulator holds exactly one object per address
#      (no duplicates); after the last destroy, no orphans.
# The configuration reaches the emulator through AWS_ENDPOINT_URL and the
# AWS_* credential variables, as a user's shell would: no file is edited.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
KILLS=${AWS_EXAMPLE_KILLS:-20}
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
# check NAME EXPR [FILE]: on failure, also the end of FILE (cairn's output).
check() {
  if eval "$2"; then ok "$1"; return; fi
  nok "$1" "failed: $2"
  [ -n "${3:-}" ] && [ -f "$3" ] && tail -12 "$3" | sed 's/^/# | /'
  return 0
}
# Every run is bounded, so that a regression fails instead of hanging.
cairn() { timeout -k 5 300 "$CAIRN" "$@"; }

if [ ! -f "$ROOT/tests/awsemu/server.py" ]; then
  echo "skip aws_example_vpc # tests/awsemu/server.py not present"; exit 0
fi
TMP=$(mktemp -d)
EMU_LOG="$TMP/calls.jsonl"
. "$ROOT/tests/awsemu/emu.sh"
cleanup() {
  [ -n "${APID:-}" ] && kill -9 "$APID" 2>/dev/null
  emu_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
if ! emu_start --time-scale 0.01; then
  echo "not ok aws_example_vpc_emulator_starts"; exit 1
fi
emu_env

# The emulator's objects, as "type count" lines of what the example creates:
# default objects of a VPC (main route table, default security group) and
# NAT gateways already deleted are left out, so an exact match means one
# object per address.
inventory() {
  curl -s "$EMU_URL/_emu/state" | python3 -c '
import json, sys
st = json.load(sys.stdin)
def live(t, keep=lambda r: True):
    return sum(1 for r in st.get(t, []) if keep(r))
main_rtb = lambda r: not any(a.get("main") in (True, "true")
                             for a in r.get("associationSet", []) or [])
print("vpc", live("vpc"))
print("subnet", live("subnet"))
print("igw", live("igw"))
print("eip", live("eip"))
print("natgw", live("natgw", lambda r: r.get("state") not in ("deleted", "deleting")))
print("rtb", live("rtb", main_rtb))
print("sg", live("sg", lambda r: r.get("groupName") != "default"))
'
}
EXPECTED="vpc 1
subnet 6
igw 1
eip 3
natgw 3
rtb 4
sg 2"
EMPTY="vpc 0
subnet 0
igw 0
eip 0
natgw 0
rtb 0
sg 0"

W="$TMP/vpc"
cp -r "$ROOT/examples/vpc" "$W"
cd "$W" || exit 1

# show_golden NAME PLANFILE: `show -json` of a saved plan of the example is
# valid Terraform plan JSON (tests/show/check_plan_json.py) and, normalised
# (AWS ids, IPs and times), equals tests/show/golden/vpc_NAME.json; the
# golden plans of the review issue that come from the VPC example.
# GOLDEN_UPDATE=1 rewrites the golden files.
SHOW="$ROOT/tests/show"
show_golden() {
  local want="$SHOW/golden/vpc_$1.json"
  cairn show -json "$2" >"$1.json" 2>"$1.err" || { nok "show_json_vpc_$1" "show exit $?"; return; }
  python3 "$SHOW/check_plan_json.py" --normalize "$1.json" >"$1.norm"
  [ "${GOLDEN_UPDATE:-}" = 1 ] && cp "$1.norm" "$want"
  if [ -f "$want" ] && diff -u "$want" "$1.norm" >"$1.diff"; then ok "show_json_vpc_$1"
  else nok "show_json_vpc_$1" "differs from $want"; head -30 "$1.diff" | sed 's/^/# /'; fi
  if python3 "$SHOW/check_plan_json.py" "$1.json" >"$1.problems" 2>&1; then ok "show_json_vpc_$1_valid"
  else nok "show_json_vpc_$1_valid"; head -20 "$1.problems" | sed 's/^/# /'; fi
}

# --- 1. apply, no changes, destroy ---------------------------------------------
cairn init -no-color >init.out 2>&1; rc=$?
check init '[ $rc -eq 0 ]' init.out
cairn plan -no-color -out=create.bin >plan_create.out 2>&1; rc=$?
check plan_create '[ $rc -eq 0 ] && grep -q "Plan: 30 to add, 0 to change, 0 to destroy." plan_create.out' \
  plan_create.out
show_golden create create.bin
t0=$(date +%s.%N)
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
APPLY_SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
echo "# examples/vpc apply: $APPLY_SECS s"
check apply_succeeds '[ $rc -eq 0 ] &&
  grep -q "Apply complete! Resources: 30 added, 0 changed, 0 destroyed." apply.out' apply.out
check apply_outputs 'grep -q "^vpc_id = \"vpc-" apply.out &&
  grep -q "^nat_gateway_public_ips = \[" apply.out' apply.out
check emulator_holds_the_network '[ "$(inventory)" = "$EXPECTED" ]'
check nat_gateways_available '[ "$(curl -s "$EMU_URL/_emu/resources?type=natgw" |
  python3 -c "import json,sys; print(sum(r[\"state\"] == \"available\" for r in json.load(sys.stdin)))")" -eq 3 ]'
check output_json 'cairn output -json nat_gateway_public_ips | python3 -c "
import json, sys; ips = json.load(sys.stdin); assert len(ips) == 3 and all(ips), ips"'
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check second_plan_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
# A change a team would review: one shared NAT gateway (two NAT gateways
# and EIPs destroyed, routes moved), a new environment tag on everything, a
# narrower SSH range, and the first EIP replaced on request (its NAT gateway
# must be replaced with it).
cairn plan -no-color -out=change.bin -var single_nat_gateway=true -var environment=staging \
  -var 'ssh_allowed_cidrs=["198.51.100.0/24"]' '-replace=aws_eip.nat["us-east-1a"]' \
  >plan_change.out 2>&1; rc=$?
check plan_change '[ $rc -eq 0 ] && grep -q "Plan: 2 to add, 17 to change, 6 to destroy." plan_change.out' \
  plan_change.out
show_golden change change.bin
cairn show -markdown change.bin >change.md 2>&1
missing=0
for a in 'aws_eip.nat["us-east-1a"]' 'aws_nat_gateway.main["us-east-1a"]' 'aws_eip.nat["us-east-1b"]' \
    'aws_eip.nat["us-east-1c"]' 'aws_nat_gateway.main["us-east-1b"]' 'aws_nat_gateway.main["us-east-1c"]'; do
  grep -qF -- "$a" change.md || { missing=$((missing + 1)); echo "# not in the Markdown: $a"; }
done
check markdown_lists_destroys_and_replaces '[ "$missing" -eq 0 ] && [ -s change.md ]' change.md
cairn plan -destroy -no-color -out=destroy.bin >plan_destroy.out 2>&1; rc=$?
check plan_destroy '[ $rc -eq 0 ] && grep -q "Plan: 0 to add, 0 to change, 30 to destroy." plan_destroy.out' \
  plan_destroy.out
show_golden destroy destroy.bin
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check destroy_succeeds '[ $rc -eq 0 ] && grep -q "Resources: 30 destroyed." destroy.out' destroy.out
check destroy_state_empty '[ -z "$(cairn state list 2>/dev/null)" ]'
check destroy_emulator_empty '[ "$(inventory)" = "$EMPTY" ]'

# --- 2. throttling and server errors ---------------------------------------------
emu_admin POST /_emu/faults '{"throttle_rate": 0.3, "error_rate": 0.05}' >/dev/null
curl -s -X POST "$EMU_URL/_emu/calls/reset" >/dev/null
cairn apply -auto-approve -no-color >apply_faults.out 2>&1; rc=$?
check faults_apply_succeeds '[ $rc -eq 0 ] && grep -q "30 added" apply_faults.out' \
  apply_faults.out
check faults_were_injected '[ "$(emu_count fault=throttle)" -gt 0 ] &&
  [ "$(emu_count fault=error)" -gt 0 ]'
echo "# faults injected during the apply: $(emu_count fault=throttle) throttled," \
  "$(emu_count fault=error) 5xx, of $(emu_count) calls"
check faults_emulator_exact '[ "$(inventory)" = "$EXPECTED" ]'
cairn destroy -auto-approve -no-color >destroy_faults.out 2>&1; rc=$?
check faults_destroy_succeeds '[ $rc -eq 0 ] && [ "$(inventory)" = "$EMPTY" ]' \
  destroy_faults.out
emu_admin POST /_emu/faults '{"throttle_rate": 0, "error_rate": 0}' >/dev/null

# --- 3. kill -9 at random moments ----------------------------------------------------
# Each round: an apply killed after a random fraction of a full apply's
# time, then an apply that must converge with exactly the expected objects,
# then a destroy for the next round.
bad_converge=0 bad_dupes=0 bad_destroy=0 killed=0
for i in $(seq 1 "$KILLS"); do
  delay=$(python3 -c "import random; print(round(random.uniform(0.05, $APPLY_SECS), 2))")
  "$CAIRN" apply -auto-approve -no-color >"kill$i.out" 2>&1 &   # no wrapper: kill cairn
  APID=$!
  sleep "$delay"
  if kill -9 "$APID" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$APID" 2>/dev/null
  APID=""
  cairn apply -auto-approve -no-color >"converge$i.out" 2>&1 ||
    { bad_converge=$((bad_converge + 1)); echo "# round $i: apply after kill at ${delay}s failed"
      tail -5 "converge$i.out" | sed 's/^/# | /'; }
  inv=$(inventory)
  [ "$inv" = "$EXPECTED" ] ||
    { bad_dupes=$((bad_dupes + 1)); echo "# round $i (kill at ${delay}s):" $inv; }
  cairn destroy -auto-approve -no-color >"destroy$i.out" 2>&1 ||
    { bad_destroy=$((bad_destroy + 1)); tail -5 "destroy$i.out" | sed 's/^/# | /'; }
done
echo "# kill -9 rounds: $KILLS, of which $killed killed a running apply"
check kill_rounds_killed '[ "$killed" -ge $((KILLS / 2)) ]'
check kill_next_apply_converges '[ "$bad_converge" -eq 0 ]'
check kill_no_duplicates '[ "$bad_dupes" -eq 0 ]'
check kill_destroy_after_each '[ "$bad_destroy" -eq 0 ]'
check kill_no_orphans '[ "$(inventory)" = "$EMPTY" ] && [ -z "$(cairn state list 2>/dev/null)" ]'

check no_secret_in_outputs "! grep -rqF -- '$EMU_SECRET_KEY' '$W'"
