#!/usr/bin/env bash
# `cairn console` against small configurations (tests/eval/console/*):
# variables with defaults, types and -var, lazy locals across files, declared
# resources, output formatting, errors that continue, exit status.
set -u
ROOT=${ROOT:-$(pwd)}
CAIRN=${CAIRN:-$ROOT/build/cairn}
FIX="$ROOT/tests/eval/console"
fail=0

# check NAME DIR WANT_STDOUT [console args...] <<< input
check() {
  local name=$1 dir=$2 want=$3; shift 3
  local got rc
  got=$(cd "$FIX/$dir" && "$CAIRN" console "$@" 2>/tmp/console-err.$$)
  rc=$?
  if [ "$got" = "$want" ]; then
    echo "ok console_$name"
  else
    echo "not ok console_$name"
    printf '%s\n' "$got" | sed 's/^/#   got:  /'
    printf '%s\n' "$want" | sed 's/^/#   want: /'
    sed 's/^/#   stderr: /' /tmp/console-err.$$ | head -10
    fail=1
  fi
  LAST_RC=$rc
}

check var_default basic '"us-east-1"' <<<'var.region'
check var_list basic 'tolist([
  "a",
  "b",
])' <<<'var.azs'
check var_converted_to_type basic '3' <<<'var.instance_count + 1'
check var_optional_default basic '10' <<<'var.settings.size'
check var_sensitive basic '(sensitive value)' <<<'var.password'
check var_cli basic '"eu-west-1"' -var region=eu-west-1 <<<'var.region'
check var_cli_number basic '8' -var instance_count=4 <<<'local.doubled'
check var_cli_list basic '"z"' -var 'azs=["z"]' <<<'var.azs[0]'
check var_untyped_literal basic '"7"' -var untyped=7 <<<'var.untyped'
check local_chain basic '"app-us-east-1-b"' <<<'local.names[1]'
check local_other_file basic '5' <<<'local.count_plus'
check resource_unknown basic '(known after apply)' <<<'aws_vpc.main.id'
check path_module basic '"."' <<<'path.module'
check workspace basic '"default"' <<<'terraform.workspace'
check several_lines basic '"us-east-1"
2
true' <<<$'var.region\n\nvar.instance_count\nvar.instance_count == 2'

check multi_line_expression basic '[
  1,
  "us-east-1",
]
"x"' <<<$'[\n  1,\n  var.region,\n]\n"x"'
check multi_line_heredoc basic '<<EOT
hi us-east-1

EOT' <<<$'<<EOT\nhi ${var.region}\nEOT'
check error_continues basic '1
3' <<<$'1\nvar.nope\n3'
if [ "$LAST_RC" -eq 1 ] && grep -q 'Reference to undeclared input variable' /tmp/console-err.$$; then
  echo "ok console_error_status_and_diagnostic"
else
  echo "not ok console_error_status_and_diagnostic # rc=$LAST_RC"; fail=1
fi
check exit_command basic '1' <<<$'1\nexit\n2'
check cycle_detected cycle '1' <<<$'local.a\nlocal.ok'
if grep -q 'Cycle in local values' /tmp/console-err.$$; then
  echo "ok console_cycle_diagnostic"
else
  echo "not ok console_cycle_diagnostic"; fail=1
fi
check required_missing required '' <<<'1'
if [ "$LAST_RC" -eq 1 ] && grep -q 'No value for required variable' /tmp/console-err.$$; then
  echo "ok console_required_variable"
else
  echo "not ok console_required_variable # rc=$LAST_RC"; fail=1
fi
check required_given required '"x"' -var needed=x <<<'var.needed'
check undeclared_cli_var basic '' -var nope=1 <<<'1'
[ "$LAST_RC" -eq 1 ] && echo "ok console_undeclared_cli_var_status" || {
  echo "not ok console_undeclared_cli_var_status"; fail=1; }
rm -f /tmp/console-err.$$
exit $fail
