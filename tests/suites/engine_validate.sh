#!/usr/bin/env bash
# tests/suites/engine_validate.sh — `cairn validate [-json]`: schema checks
# (unknown argument with a did-you-mean, wrong type, missing required),
# reference validity in resources, locals and outputs, variable validation
# rules with known defaults, required_version; a valid configuration passes.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
check() { if eval "$2"; then echo "ok $1"; else echo "not ok $1"; echo "# failed: $2"; fi; }
export TEST_PROVIDER_DIR="$TMP/objects"

mkdir "$TMP/bad" && cd "$TMP/bad" || exit 1
cat >main.tf <<'TF'
variable "env" {
  default = "qa"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
}

locals {
  x = local.missing
}

resource "test_resource" "a" {
  nmae        = "x"
  count_value = "abc"
  rule {
    cidr = "10.0.0.0/8"
  }
}

output "o" {
  value = test_resource.b.id
}
TF
"$CAIRN" validate -no-color >out 2>err; rc=$?
check validate_bad_exit_1 '[ $rc -eq 1 ]'
check validate_did_you_mean 'grep -q "^main.tf:14:3: error: Unsupported argument" err && grep -q "Did you mean \"name\"?" err'
check validate_wrong_type 'grep -q "^main.tf:15:17: error: Incorrect attribute value type" err'
check validate_missing_required 'grep -q "Missing required argument" err && grep -q "\"port\" is required" err'
check validate_undeclared_local 'grep -q "^main.tf:10:7: error: Reference to undeclared local value" err'
check validate_undeclared_resource 'grep -q "^main.tf:22:11: error: Reference to undeclared resource" err'
check validate_variable_rule 'grep -q "env must be dev or prod." err'
"$CAIRN" validate -json >json 2>/dev/null
check validate_json 'python3 -c "import json; d=json.load(open(\"json\")); assert d[\"valid\"] is False and d[\"error_count\"] == 6, d[\"error_count\"]"'

mkdir "$TMP/good" && cd "$TMP/good" || exit 1
cp "$ROOT"/examples/quickstart/*.tf .
"$CAIRN" validate -no-color >out 2>&1; rc=$?
check validate_good '[ $rc -eq 0 ] && grep -q "Success! The configuration is valid." out'
"$CAIRN" validate -json >json 2>/dev/null
check validate_good_json 'python3 -c "import json; d=json.load(open(\"json\")); assert d[\"valid\"] is True and d[\"error_count\"] == 0"'
printf 'terraform {\n  required_version = ">= 1.10"\n}\n' >versions.tf
"$CAIRN" validate -no-color >out 2>&1; rc=$?
check validate_required_version '[ $rc -eq 1 ] && grep -q "Unsupported Terraform Core version" out'
exit 0
