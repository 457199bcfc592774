# Shell helpers for suites that need the AWS emulator.  Source this file:
#
#   . "$ROOT/tests/awsemu/emu.sh"
#   emu_start --time-scale 0.01        # sets EMU_PORT, EMU_URL, EMU_PID, EMU_LOG
#   trap emu_stop EXIT                 # (or call emu_stop yourself)
#   emu_env                            # exports AWS_* variables for cairn
#   emu_admin POST /_emu/faults '{"throttle_rate": 0.3}'
#   n=$(emu_count action=DescribeSubnets)
#
# The emulator runs on the plain `python3` on PATH (standard library only);
# extra arguments go to tests/awsemu/server.py.  The call log is written to
# $EMU_LOG (a temporary file unless EMU_LOG is set before emu_start).

EMU_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EMU_PID="" EMU_PORT="" EMU_URL=""
EMU_ACCESS_KEY=AKIAIOSFODNN7EXAMPLE
EMU_SECRET_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

emu_start() {
  local out
  out=$(mktemp "${TMPDIR:-/tmp}/awsemu-port.XXXXXX") || return 1
  EMU_LOG=${EMU_LOG:-$(mktemp "${TMPDIR:-/tmp}/awsemu-calls.XXXXXX")}
  python3 "$EMU_DIR/server.py" --port 0 --log "$EMU_LOG" "$@" >"$out" 2>"$out.err" &
  EMU_PID=$!
  local i
  for i in $(seq 1 300); do
    [ -s "$out" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.05
  done
  EMU_PORT=$(head -1 "$out")
  rm -f "$out"
  if [ -z "$EMU_PORT" ]; then
    echo "# emulator failed to start:" >&2; sed 's/^/# /' "$out.err" >&2
    rm -f "$out.err"; EMU_PID=""; return 1
  fi
  rm -f "$out.err"
  EMU_URL="http://127.0.0.1:$EMU_PORT"
  export EMU_PID EMU_PORT EMU_URL EMU_LOG
}

emu_stop() {
  if [ -n "$EMU_PID" ]; then
    kill "$EMU_PID" 2>/dev/null
    wait "$EMU_PID" 2>/dev/null
    EMU_PID=""
  fi
}

# AWS_* environment for a client talking to the emulator (every service).
emu_env() {
  export AWS_ACCESS_KEY_ID=$EMU_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$EMU_SECRET_KEY
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=$EMU_URL
  unset AWS_SESSION_TOKEN AWS_PROFILE
}

# emu_admin METHOD PATH [JSON]: print the admin response.
emu_admin() {
  if [ -n "${3:-}" ]; then
    curl -s -X "$1" -H 'Content-Type: application/json' -d "$3" "$EMU_URL$2"
  else
    curl -s -X "$1" "$EMU_URL$2"
  fi
}

# emu_count [key=value ...]: number of logged AWS calls matching the filters
# (service=, action=, status=, fault=, since=).
emu_count() {
  local q
  q=$(IFS='&'; echo "$*")
  curl -s "$EMU_URL/_emu/calls/count${q:+?$q}" | sed -n 's/.*"count": *\([0-9]*\).*/\1/p'
}
