#!/usr/bin/env bash
# Retries and the rate limiter against the AWS emulator with 30% throttling
# and 5% HTTP 500s: 1,000 DescribeVpcs calls from 10 threads must all
# succeed, no call may use up its attempts (max_retries + 1), the emulator's
# call log must agree with the client's attempt count, and the adaptive
# limiter must lower the rate of throttled responses (per second) compared
# with the same client without it.  Figures are printed as '#' lines.
#
# The emulator throttles at random (a fixed share of requests, whatever the
# load), so the throttled *share* stays near 30% either way; the limiter's
# effect on a service that throttles by load is measured in
# test_aws_client's limiter_lowers_throttling_under_load.
set -u
: "${ROOT:?}" "${BUILD:?}"
emu="$ROOT/tests/awsemu/server.py"
helper="$ROOT/$BUILD/tests/helpers/aws_stress"
if [ ! -f "$emu" ]; then
  echo "skip stress_emulator # tests/awsemu/server.py not present"
  exit 0
fi
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
python3 "$emu" --port 0 --throttle-rate 0.3 --error-rate 0.05 --seed 11 \
  --log "$work/calls.jsonl" >"$work/port" 2>"$work/stderr" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(head -1 "$work/port")
if [ -z "$port" ]; then
  echo "not ok stress_emulator_starts"; sed 's/^/# /' "$work/stderr"; exit 1
fi
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_EC2
fail=0
check() {   # name, condition-status
  if [ "$2" -eq 0 ]; then echo "ok $1"; else echo "not ok $1"; fail=1; fi
}
fig() { grep "^$2=" "$1" | cut -d= -f2; }

# Without the limiter (rate -1) first, then with it.  The ceiling (1600/s)
# is far above what 10 threads reach unpaced (~300-400/s here), so any
# difference comes from the limiter backing off on throttles (down to its
# floor, 1/16 of the ceiling), not from the ceiling itself.
"$helper" "http://127.0.0.1:$port" 1000 10 -1 25 20 >"$work/off" 2>&1
check stress_without_limiter_all_succeed $?
"$helper" "http://127.0.0.1:$port" 1000 10 1600 25 20 >"$work/on" 2>&1
rc=$?
sed 's/^/# with limiter: /' "$work/on"
sed 's/^/# without limiter: /' "$work/off"
check stress_1000_calls_10_threads_all_succeed $rc
[ "$(fig "$work/on" succeeded)" = 1000 ]
check stress_1000_succeeded_count $?
max=$(fig "$work/on" max_attempts); allowed=$(fig "$work/on" max_allowed_attempts)
[ -n "$max" ] && [ "$max" -lt "$allowed" ]
check stress_attempts_per_call_under_max $?
# The faults really happened: throttles and 500s were seen and retried.
thr=$(fig "$work/on" throttled); s5=$(fig "$work/on" server_errors)
[ "${thr:-0}" -gt 100 ] && [ "${s5:-0}" -gt 10 ]
check stress_faults_were_injected_and_retried $?
# The emulator's call log counts the same attempts the client made.
logged=$(grep -c '"action": "DescribeVpcs"' "$work/calls.jsonl")
made=$(( $(fig "$work/on" attempts) + $(fig "$work/off" attempts) ))
echo "# emulator logged $logged DescribeVpcs calls, client made $made attempts"
[ "$logged" -eq "$made" ]
check stress_call_log_matches_attempts $?
on_tps=$(fig "$work/on" throttled_per_second); off_tps=$(fig "$work/off" throttled_per_second)
echo "# throttled responses per second: without limiter $off_tps, with limiter $on_tps"
echo "# throttled share: without limiter $(fig "$work/off" throttle_ratio), with $(fig "$work/on" throttle_ratio)"
awk -v a="$on_tps" -v b="$off_tps" 'BEGIN { exit !(a + 0 < b + 0) }'
check stress_limiter_lowers_throttled_rate $?
exit $fail
