#!/usr/bin/env bash
# tests/suites/review_sensitive.sh — no sensitive value in any output made
# for review.  A configuration with sensitive variables (one from -var, one
# from TF_VAR_, one a default), sensitive outputs, and the test provider's
# sensitive attribute `secret` (set from a variable and from a literal):
# none of the values appears in plan text, plan -json, plan -markdown,
# show text, show -json, show -markdown (of the saved plan and of the
# state), apply output, CAIRN_LOG=trace logs, or the error messages of
# failing runs (a validation on a sensitive variable, a sensitive value of
# the wrong type, a failing precondition).  Each value is grepped for in
# every file.  Then -show-sensitive puts them back, saying so on stderr.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "failed: $2"; fi; }

W="$TMP/w"; O="$TMP/out"; mkdir -p "$W/objects" "$O"; cd "$W" || exit 1
export TEST_PROVIDER_DIR="$W/objects" CAIRN_LOG=trace CAIRN_LOG_PATH="$O/cairn.log"
SECRETS=(pw-SENS1-value tok-SENS2-value lit-SENS3-value key-SENS4-value pw-SENS5-next)
cat >main.tf <<'TF'
variable "db_password" {
  type      = string
  sensitive = true
}
variable "api_token" {
  type      = string
  sensitive = true
}
variable "signing_key" {
  type      = string
  sensitive = true
  default   = "key-SENS4-value"
}
resource "test_resource" "db" {
  name   = "db"
  secret = var.db_password
}
resource "test_resource" "lit" {
  name   = "lit"
  secret = "lit-SENS3-value"
}
resource "test_resource" "tok" {
  name = var.api_token
  tags = { key = var.signing_key }
}
output "password" {
  value     = var.db_password
  sensitive = true
}
output "bearer" {
  value     = "Bearer ${var.api_token}"
  sensitive = true
}
TF
export TF_VAR_api_token=tok-SENS2-value
run() {   # NAME cairn-args...: stdout and stderr kept in $O/NAME.{out,err}
  local n=$1; shift
  "$CAIRN" "$@" >"$O/$n.out" 2>"$O/$n.err"; echo $? >"$O/$n.rc"
}
run plan plan -no-color -var db_password=pw-SENS1-value -out=p1.bin -markdown="$O/plan1.md"
run planjson plan -json -var db_password=pw-SENS1-value
run show show -no-color p1.bin
run showjson show -json p1.bin
run showmd show -markdown p1.bin
run apply apply -no-color p1.bin
check applied '[ "$(cat "$O/apply.rc")" = 0 ] && [ "$("$CAIRN" state list | wc -l)" -eq 3 ]'
run state show -no-color
run statejson show -json
run output output -no-color
# An update of every secret: before and after both sensitive.
run plan2 plan -no-color -var db_password=pw-SENS5-next -out=p2.bin -markdown="$O/plan2.md"
check update_planned 'grep -q "1 to change" "$O/plan2.out"'
run plan2json plan -json -var db_password=pw-SENS5-next
run show2json show -json p2.bin
run show2md show -markdown p2.bin
run apply2 apply -no-color p2.bin
# Failing runs whose messages are about sensitive values.
cp main.tf main.tf.good
cat >>main.tf <<'TF'
variable "extra" {
  type      = string
  sensitive = true
  validation {
    condition     = length(var.extra) > 100
    error_message = "The extra value is too short."
  }
}
TF
run err_validation plan -no-color -var extra=pw-SENS1-value -var db_password=pw-SENS1-value
run err_validation_json plan -json -var extra=pw-SENS1-value -var db_password=pw-SENS1-value
check validation_failed '[ "$(cat "$O/err_validation.rc")" = 1 ] && grep -q "too short" "$O/err_validation.err"'
cp main.tf.good main.tf
cat >>main.tf <<'TF'
resource "test_resource" "typed" {
  count_value = var.db_password
}
TF
run err_type plan -no-color -var db_password=pw-SENS1-value
check type_error_failed '[ "$(cat "$O/err_type.rc")" = 1 ] && [ -s "$O/err_type.err" ]'
cp main.tf.good main.tf
cat >>main.tf <<'TF'
resource "test_resource" "guarded" {
  name = "g"
  lifecycle {
    precondition {
      condition     = var.db_password == "something else"
      error_message = "The password is not the expected one."
    }
  }
}
TF
run err_precondition plan -no-color -var db_password=pw-SENS5-next
check precondition_failed '[ "$(cat "$O/err_precondition.rc")" = 1 ] && grep -q "not the expected" "$O/err_precondition.err"'
cp main.tf.good main.tf
run err_apply apply -no-color -auto-approve -var db_password=pw-SENS1-value -var bogus=1
check nothing_applied_on_error '[ "$(cat "$O/err_apply.rc")" = 1 ]'

# Every value, in every file made above (the plan files hold the variable
# values by design: they are 0600 and not an output).
for s in "${SECRETS[@]}"; do
  hits=$(grep -rl -- "$s" "$O" | sed "s|$O/||" | tr '\n' ' ')
  check "no_${s}_anywhere" '[ -z "$hits" ]'
  [ -n "$hits" ] && echo "# found in: $hits"
done
check planfile_private '[ "$(stat -c %a p1.bin)" = 600 ]'
check outputs_checked '[ -s "$O/plan.out" ] && [ -s "$O/planjson.out" ] && [ -s "$O/showjson.out" ] &&
  [ -s "$O/showmd.out" ] && [ -s "$O/plan1.md" ] && [ -s "$O/statejson.out" ] && [ -s "$O/state.out" ]'
check redacted_where_shown 'grep -q "(sensitive value)" "$O/plan.out" &&
  grep -q "(sensitive value)" "$O/showmd.out" && grep -q "\"secret\":true" "$O/showjson.out"'

# -show-sensitive: back in clear, and stderr says so.
"$CAIRN" plan -no-color -var db_password=pw-SENS1-value -out=p3.bin >/dev/null 2>&1
"$CAIRN" show -json -show-sensitive p3.bin >clear.json 2>clear.err
"$CAIRN" show -markdown -show-sensitive p3.bin >clear.md 2>clear2.err
check show_sensitive_opt_in 'grep -q pw-SENS1-value clear.json && grep -q lit-SENS3-value clear.json &&
  grep -q pw-SENS1-value clear.md && grep -q -- "-show-sensitive" clear.err &&
  grep -q -- "-show-sensitive" clear2.err'
exit 0
