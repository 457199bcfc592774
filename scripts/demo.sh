#!/usr/bin/env bash
# make demo: cairn on examples/vpc (a 3-AZ AWS network written as for
# Terraform's AWS provider: VPC, public and private subnets, internet
# gateway, a NAT gateway per zone with its EIP, route tables, security
# groups) against the project's AWS emulator (tests/awsemu/server.py) on
# loopback, with real SigV4 signing:
#   1. check the formatting and evaluate a few expressions in `cairn console`,
#   2. start the emulator (asynchronous durations scaled to 1/50: a NAT
#      gateway takes about 2 s to become available instead of 90 s),
#   3. cairn init, plan -out, show, apply of the saved plan, output,
#   4. a second plan (No changes.), destroy, and stop the emulator.
# The configuration is used unchanged: the emulator is reached through
# AWS_ENDPOINT_URL and the AWS_* credential variables, as a shell would.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
CAIRN="$ROOT/$BUILD/cairn"
EX=examples/vpc
status=0

echo "==> cairn version"
"$CAIRN" version

echo
echo "==> Checking formatting (cairn fmt -check -diff -recursive examples)"
if "$CAIRN" fmt -check -diff -recursive examples; then
  echo "    all files are formatted canonically"
else
  echo "    FAIL: some files need formatting (diff above)"; status=1
fi

echo
echo "==> Evaluating expressions in cairn console (in $EX)"
for e in 'local.public_subnets' 'local.common_tags' 'cidrsubnets(var.vpc_cidr, 4, 4, 8)'; do
  echo "> $e"
  (cd "$EX" && echo "$e" | "$CAIRN" console) || status=1
done

echo
echo "==> Starting the AWS emulator (tests/awsemu/server.py, loopback only)"
DEMO_DIR=$(mktemp -d)
. "$ROOT/tests/awsemu/emu.sh"
EMU_LOG="$DEMO_DIR/aws-calls.jsonl"
cleanup() { emu_stop; rm -rf "$DEMO_DIR"; }
trap cleanup EXIT
if ! emu_start --time-scale 0.02; then
  echo "    FAIL: the emulator did not start"; exit 1
fi
emu_env
echo "    listening on $EMU_URL (AWS_ENDPOINT_URL), region $AWS_REGION"

cp -r "$EX"/. "$DEMO_DIR/vpc"
run() {
  echo
  echo "\$ cairn $*"
  (cd "$DEMO_DIR/vpc" && "$CAIRN" "$@")
  local rc=$?
  [ $rc -eq 0 ] || { echo "    (exit status $rc)"; status=1; }
  return $rc
}
run init &&
  run plan -out=tfplan &&
  run show tfplan | tail -25 &&
  run apply tfplan &&
  run output
echo
echo "    the emulator now holds: $(curl -s "$EMU_URL/_emu/state" | python3 -c '
import json, sys
st = json.load(sys.stdin)
names = {"vpc": "VPC", "subnet": "subnets", "igw": "internet gateway", "eip": "EIPs",
         "natgw": "NAT gateways", "rtb": "route tables", "sg": "security groups"}
print(", ".join("%d %s" % (len(st.get(k, [])), v) for k, v in names.items()))')"
echo "    ($(emu_count) signed AWS API calls so far; log: one JSON line per call)"
run plan -detailed-exitcode
run destroy -auto-approve | tail -4
echo
if [ $status -eq 0 ]; then
  echo "==> Demo complete: examples/vpc planned, applied, re-planned and destroyed."
else
  echo "==> Demo finished with errors (see above)."
fi
exit $status
