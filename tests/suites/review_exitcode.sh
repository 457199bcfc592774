#!/usr/bin/env bash
# tests/suites/review_exitcode.sh — exit statuses as Terraform's:
# plan -detailed-exitcode is 0 with no changes, 2 with changes, 1 on an
# error (also with -json); plan without it is 0 whether or not there are
# changes; only a new output value is a change too; apply is 0 on success and 1 on an error.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
rc_is() {   # NAME WANT cairn-args...
  local name=$1 want=$2; shift 2
  "$CAIRN" "$@" >"$TMP/out" 2>&1; local rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else nok "$name" "exit $rc, want $want"; sed 's/^/# /' "$TMP/out" | head -5; fi
}
mkdir -p "$TMP/w/objects"; cd "$TMP/w" || exit 1
export TEST_PROVIDER_DIR="$TMP/w/objects"
echo 'resource "test_resource" "a" { name = "a" }' >main.tf
rc_is detailed_changes_2 2 plan -detailed-exitcode -no-color
rc_is detailed_changes_json_2 2 plan -detailed-exitcode -json
rc_is plain_changes_0 0 plan -no-color
rc_is apply_ok_0 0 apply -auto-approve -no-color
rc_is detailed_no_changes_0 0 plan -detailed-exitcode -no-color
rc_is detailed_no_changes_json_0 0 plan -detailed-exitcode -json
echo 'resource "test_resource" "b" { name = nope.x }' >bad.tf
rc_is detailed_error_1 1 plan -detailed-exitcode -no-color
rc_is detailed_error_json_1 1 plan -detailed-exitcode -json
rc_is plain_error_1 1 plan -no-color
rc_is apply_error_1 1 apply -auto-approve -no-color
rm bad.tf
echo 'resource "test_resource" "c" { fail_on = "create" }' >fail.tf
rc_is detailed_changes_again_2 2 plan -detailed-exitcode -no-color
rc_is apply_failure_1 1 apply -auto-approve -no-color
rc_is bad_flag_1 1 plan -detailed-exitcode -no-such-flag
rc_is target_no_changes_0 0 plan -detailed-exitcode -no-color -target=test_resource.a
rm fail.tf
echo 'output "x" { value = "new" }' >out.tf
rc_is output_changes_only_2 2 plan -detailed-exitcode -no-color
exit 0
