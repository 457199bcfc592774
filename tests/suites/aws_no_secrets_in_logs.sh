#!/usr/bin/env bash
# Run the AWS client tests (and the emulator stress run when the emulator is
# present) at CAIRN_LOG=trace, then check that no access key, secret key,
# session token, sensitive parameter or Authorization value appears in the
# log file or in any output (the aws plugin's apply/plan/destroy through
# cairn included).  Extend SECRETS and the command list as provider
# families arrive.
set -u
: "${ROOT:?}" "${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log="$tmp/trace.log"
export CAIRN_LOG=trace CAIRN_LOG_PATH="$log"

# Values the tests use as credentials and sensitive attributes.
SECRETS=(
  AKIDUNITTEST00000001 unitTestSecretKey/0000000000000000000001
  UnitTestSessionToken//////////EXAMPLE+0001=
  AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  secretenv secretblock tokenblock secretfiledefault secretfiledev tokenfiledev
  secretconfigonly Sup3r-Secret-DB-Pass Sup3r-Secret-DB-Pass%21
  WrongSecretThatMustNotLeak0001 TokenThatMustNotLeak0001
)
# Shapes of an Authorization header or a signature.
PATTERNS=('AWS4-HMAC-SHA256 Credential=' 'Signature=[0-9a-f]{64}' 'X-Amz-Security-Token=[^(]')

fail=0
run() {   # name, command...
  local name=$1; shift
  if "$@" >"$tmp/$name.out" 2>&1; then
    echo "ok trace_run_$name"
  else
    echo "not ok trace_run_$name"; sed 's/^/# /' "$tmp/$name.out" | grep -v '^# ok ' | head -20
    fail=1
  fi
}

for t in "$ROOT/$BUILD"/tests/test_aws_*; do
  [ -x "$t" ] || continue
  run "$(basename "$t")" "$t"
done
emu="$ROOT/tests/awsemu/server.py"
pids=()
start_emu() {   # name, server args... ; sets port
  python3 "$emu" --port 0 "${@:2}" >"$tmp/$1.port" 2>"$tmp/$1.err" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$tmp/$1.port" ] && break; sleep 0.1; done
  port=$(head -1 "$tmp/$1.port")
}
if [ -f "$emu" ]; then
  export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
  export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  start_emu faulty --throttle-rate 0.2 --error-rate 0.05
  run emulator_stress "$ROOT/$BUILD/tests/helpers/aws_stress" "http://127.0.0.1:$port" 100 4 1600 25 10
  start_emu tour --max-page 2
  run emulator_tour "$ROOT/$BUILD/tests/helpers/aws_emulator_tour" "http://127.0.0.1:$port"
  # rejected credentials: the error paths log too
  if AWS_SECRET_ACCESS_KEY=WrongSecretThatMustNotLeak0001 AWS_SESSION_TOKEN=TokenThatMustNotLeak0001 \
      "$ROOT/$BUILD/tests/helpers/aws_stress" "http://127.0.0.1:$port" 1 1 -1 0 >"$tmp/bad.out" 2>&1; then
    echo "not ok trace_run_rejected_credentials # the call should have failed"; fail=1
  elif grep -q 'AuthFailure\|SignatureDoesNotMatch\|InvalidClientTokenId' "$tmp/bad.out"; then
    echo "ok trace_run_rejected_credentials"
  else
    echo "not ok trace_run_rejected_credentials"; sed 's/^/# /' "$tmp/bad.out"; fail=1
  fi
  # the aws plugin through cairn: configure (STS), create, refresh, destroy.
  # The working directory is outside $tmp: its main.tf holds the secret.
  work=$(mktemp -d)
  cat >"$work/main.tf" <<EOF
provider "aws" {
  region     = "us-east-1"
  access_key = "$AWS_ACCESS_KEY_ID"
  secret_key = "$AWS_SECRET_ACCESS_KEY"
  endpoints {
    ec2 = "http://127.0.0.1:$port"
    sts = "http://127.0.0.1:$port"
  }
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
EOF
  run cairn_aws_apply "$ROOT/$BUILD/cairn" -chdir="$work" apply -auto-approve -no-color
  run cairn_aws_plan "$ROOT/$BUILD/cairn" -chdir="$work" plan -detailed-exitcode -no-color
  run cairn_aws_destroy "$ROOT/$BUILD/cairn" -chdir="$work" destroy -auto-approve -no-color
  if grep -rqF -- "$AWS_SECRET_ACCESS_KEY" "$work/.cairn"; then
    echo "not ok no_secret_in_cairn_state"; fail=1
  else
    echo "ok no_secret_in_cairn_state"
  fi
  rm -rf "$work"
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
else
  echo "skip trace_run_emulator # tests/awsemu/server.py not merged yet"
fi

# One record per line: every line starts with a timestamp.
if [ -s "$log" ] && ! grep -qvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$log"; then
  echo "ok trace_log_one_record_per_line"
else
  echo "not ok trace_log_one_record_per_line"; grep -vE '^[0-9]{4}-' "$log" | head -3 | sed 's/^/# /'; fail=1
fi
# The log must exist and hold the debug and trace lines, or the check is empty.
if [ -s "$log" ] && grep -q '\[debug\] aws: call ec2 DescribeVpcs status 200 [0-9]*ms attempt 1 request-id req-123' "$log" \
   && grep -q '\[trace\] aws: rds CreateDBInstance attempt 1: POST' "$log"; then
  echo "ok trace_log_has_call_lines"
else
  echo "not ok trace_log_has_call_lines"; fail=1
fi
if grep -q 'MasterUserPassword=\*\*\*\*' "$log"; then
  echo "ok trace_log_masks_sensitive_parameter"
else
  echo "not ok trace_log_masks_sensitive_parameter"; fail=1
fi
i=0
for s in "${SECRETS[@]}"; do
  i=$((i + 1))
  if grep -rqF -- "$s" "$tmp"; then
    echo "not ok no_secret_in_logs_${i}_${s:0:8}"; grep -rlF -- "$s" "$tmp" | sed 's/^/# in /'; fail=1
  else
    echo "ok no_secret_in_logs_${i}_${s:0:8}"
  fi
done
i=0
for p in "${PATTERNS[@]}"; do
  i=$((i + 1))
  if grep -rqE -- "$p" "$tmp"; then
    echo "not ok no_authorization_in_logs_$i # pattern $p"
    grep -rhE -- "$p" "$tmp" | head -3 | cut -c1-200 | sed 's/^/# /'; fail=1
  else
    echo "ok no_authorization_in_logs_$i"
  fi
done
exit $fail
