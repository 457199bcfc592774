#!/usr/bin/env bash
# The AWS emulator's own tests: start tests/awsemu/server.py on a free port
# (fast lifecycles: --time-scale 0.01) and run every tests/awsemu/test_*.py
# with Debian's python3, whose botocore is the independent signing client.
# The server runs on the plain `python3` on PATH (standard library only).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
PY=/usr/bin/python3
if ! "$PY" -c 'import botocore' 2>/dev/null; then
  echo "skip awsemu # /usr/bin/python3 has no botocore (scripts/deps.sh installs python3-botocore)"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/awsemu.XXXXXX")
pid="" pid2=""
cleanup() {
  local p
  for p in $pid $pid2; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
python3 "$ROOT/tests/awsemu/server.py" --port 0 --time-scale 0.01 --seed 7 \
  --log "$work/calls.jsonl" >"$work/port" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/port" ] && break
  sleep 0.05
done
port=$(head -1 "$work/port")
if [ -z "$port" ]; then
  echo "not ok awsemu.server_starts"; sed 's/^/# /' "$work/stderr"; exit 1
fi
echo "ok awsemu.server_starts"
export EMU_URL="http://127.0.0.1:$port" EMU_LOG="$work/calls.jsonl"
rc=0
for t in "$ROOT"/tests/awsemu/test_*.py; do
  [ -f "$t" ] || continue
  if [ -n "${AWSEMU_TESTS:-}" ] && [[ "$(basename "$t")" != *"$AWSEMU_TESTS"* ]]; then continue; fi
  "$PY" -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_emu/reset", b"{}", method="POST"))' \
    "$EMU_URL" || { echo "not ok awsemu.reset_before_$(basename "$t" .py)"; rc=1; continue; }
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$ROOT/tests/awsemu" "$PY" "$t" || rc=1
done
# curl's own SigV4 signer (a third implementation) is accepted and checked too.
if curl --help all 2>/dev/null | grep -q -- --aws-sigv4; then
  out=$(curl -s --aws-sigv4 "aws:amz:us-east-1:ec2" \
    --user 'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' \
    -d 'Action=DescribeVpcs&Version=2016-11-15' "$EMU_URL/")
  if [[ "$out" == *"<DescribeVpcsResponse"* ]]; then echo "ok awsemu.curl_sigv4_accepted"
  else echo "# $out"; echo "not ok awsemu.curl_sigv4_accepted"; rc=1; fi
  out=$(curl -s --aws-sigv4 "aws:amz:us-east-1:ec2" \
    --user 'AKIAIOSFODNN7EXAMPLE:wrong-secret' \
    -d 'Action=DescribeVpcs&Version=2016-11-15' "$EMU_URL/")
  if [[ "$out" == *"<Code>SignatureDoesNotMatch</Code>"* ]]; then
    echo "ok awsemu.curl_sigv4_wrong_secret"
  else echo "# $out"; echo "not ok awsemu.curl_sigv4_wrong_secret"; rc=1; fi
else
  echo "skip awsemu.curl_sigv4_accepted # curl without --aws-sigv4"
fi
# The server also runs on Debian's python3 (standard library only).
"$PY" "$ROOT/tests/awsemu/server.py" --port 0 >"$work/port2" 2>"$work/stderr2" &
pid2=$!
for _ in $(seq 1 300); do [ -s "$work/port2" ] && break; sleep 0.05; done
if [ -s "$work/port2" ] && "$PY" -c 'import sys, urllib.request
sys.exit(0 if b"true" in urllib.request.urlopen(sys.argv[1]).read() else 1)' \
     "http://127.0.0.1:$(head -1 "$work/port2")/_emu/health"; then
  echo "ok awsemu.runs_on_debian_python"
else
  echo "not ok awsemu.runs_on_debian_python"; sed 's/^/# /' "$work/stderr2"; rc=1
fi
kill "$pid2" 2>/dev/null; wait "$pid2" 2>/dev/null
# The shell helpers other suites source (tests/awsemu/emu.sh; they use curl).
if ! command -v curl >/dev/null 2>&1; then
  echo "skip awsemu.emu_sh_helpers # no curl"
else (
  EMU_LOG="$work/helper-calls.jsonl"
  . "$ROOT/tests/awsemu/emu.sh"
  emu_start --time-scale 0.01 || exit 1
  trap emu_stop EXIT
  emu_env
  curl -s --aws-sigv4 "aws:amz:us-east-1:ec2" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -d 'Action=DescribeVpcs&Version=2016-11-15' "$EMU_URL/" >/dev/null
  [ "$(emu_count action=DescribeVpcs)" = 1 ] || exit 1
  emu_admin POST /_emu/faults '{"drop_rate": 0.5}' | grep -q '"drop_rate": 0.5' || exit 1
  grep -q '"action": "DescribeVpcs"' "$EMU_LOG" || exit 1
) && echo "ok awsemu.emu_sh_helpers" || { echo "not ok awsemu.emu_sh_helpers"; rc=1; }
fi
if [ -s "$work/stderr" ]; then
  echo "# emulator stderr:"; sed 's/^/# /' "$work/stderr" | head -50
  if grep -q Traceback "$work/stderr"; then echo "not ok awsemu.no_server_tracebacks"; rc=1
  else echo "ok awsemu.no_server_tracebacks"; fi
else
  echo "ok awsemu.no_server_tracebacks"
fi
exit $rc
