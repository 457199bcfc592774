#!/usr/bin/env bash
# The client layer end to end against the AWS emulator (whose SigV4 check is
# written independently): every service and protocol through aws_call,
# pagination with 2-item pages, error documents decoded, tags, S3 keys.
# tests/helpers/aws_emulator_tour.c prints the ok/not ok lines.
set -u
: "${ROOT:?}" "${BUILD:?}"
emu="$ROOT/tests/awsemu/server.py"
if [ ! -f "$emu" ]; then
  echo "skip tour_emulator # tests/awsemu/server.py not present"
  exit 0
fi
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
python3 "$emu" --port 0 --max-page 2 --seed 3 >"$work/port" 2>"$work/stderr" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(head -1 "$work/port")
if [ -z "$port" ]; then
  echo "not ok tour_emulator_starts"; sed 's/^/# /' "$work/stderr"; exit 1
fi
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
  "$ROOT/$BUILD/tests/helpers/aws_emulator_tour" "http://127.0.0.1:$port"
