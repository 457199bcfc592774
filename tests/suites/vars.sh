#!/usr/bin/env bash
# Input variable values through `cairn console` (engine/vars.h): tfvars files
# in the configuration directory, TF_VAR_, -var-file and -var interleaved in
# command-line order, JSON tfvars, undeclared names, conversion errors.
# Fixtures are written to a temporary directory.
set -u
ROOT=${ROOT:-$(pwd)}
CAIRN=${CAIRN:-$ROOT/build/cairn}
DIR=$(mktemp -d /tmp/cairn-vars-suite.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
fail=0

cat >"$DIR/main.tf" <<'EOF'
variable "region" {
  type    = string
  default = "default"
}
variable "sizes" {
  type    = map(number)
  default = {}
}
variable "count_" {
  type    = number
  default = 1
}
EOF

# check NAME WANT_STDOUT [console args...] <<< input  (runs in $DIR)
check() {
  local name=$1 want=$2; shift 2
  local got
  got=$(cd "$DIR" && "$CAIRN" console "$@" 2>"$DIR/err")
  LAST_RC=$?
  if [ "$got" = "$want" ]; then
    echo "ok vars_$name"
  else
    echo "not ok vars_$name"
    printf '%s\n' "$got" | sed 's/^/#   got:  /'
    printf '%s\n' "$want" | sed 's/^/#   want: /'
    sed 's/^/#   stderr: /' "$DIR/err" | head -10
    fail=1
  fi
}

check default '"default"' <<<'var.region'
TF_VAR_region=env check env '"env"' <<<'var.region'

echo 'region = "tfvars"' >"$DIR/terraform.tfvars"
TF_VAR_region=env check tfvars_over_env '"tfvars"' <<<'var.region'

echo '{"region": "json", "sizes": {"a": "2"}}' >"$DIR/terraform.tfvars.json"
check json_over_tfvars '"json"' <<<'var.region'
check json_converted '2' <<<'var.sizes.a'

echo 'region = "auto"' >"$DIR/x.auto.tfvars"
check auto_over_json '"auto"' <<<'var.region'

echo 'region = "given"' >"$DIR/given.tfvars"
check var_file_over_auto '"given"' -var-file=given.tfvars <<<'var.region'
check var_after_file '"cli"' -var-file=given.tfvars -var region=cli <<<'var.region'
check file_after_var '"given"' -var region=cli -var-file given.tfvars <<<'var.region'
check complex_cli '3' -var 'sizes={b = 3}' <<<'var.sizes.b'

echo 'unknown_name = 1' >"$DIR/y.auto.tfvars"
check undeclared_in_file_warns '"auto"' <<<'var.region'
if [ "$LAST_RC" -eq 0 ] && grep -q 'Value for undeclared variable' "$DIR/err"; then
  echo "ok vars_undeclared_in_file_warning"
else
  echo "not ok vars_undeclared_in_file_warning # rc=$LAST_RC"; fail=1
fi
rm -f "$DIR/y.auto.tfvars"

check conversion_error '' -var count_=many <<<'1'
want='Unsuitable value for var.count_ set using -var="count_=...": a number is required.'
if [ "$LAST_RC" -eq 1 ] && grep -qF "$want" "$DIR/err"; then
  echo "ok vars_conversion_error_text"
else
  echo "not ok vars_conversion_error_text # rc=$LAST_RC"; fail=1
fi

check missing_var_file '' -var-file=nope.tfvars <<<'1'
if [ "$LAST_RC" -eq 1 ] && grep -qF 'Given variables file nope.tfvars does not exist.' "$DIR/err"
then
  echo "ok vars_missing_var_file_text"
else
  echo "not ok vars_missing_var_file_text # rc=$LAST_RC"; fail=1
fi

rm -f "$DIR"/*.tf
check empty_directory '2' <<<'1 + 1'
exit $fail
