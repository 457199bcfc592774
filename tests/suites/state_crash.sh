#!/usr/bin/env bash
# Crash safety of the state store (issue 3, acceptance 2): a helper commits
# 10,000 single-instance changes; it is killed with SIGKILL at 50 random
# moments.  After each kill the store opens, passes mdb_stat, its serial
# equals the number of history entries and the writes that committed, and
# the next writer takes the lock without force-unlock.
set -u
W="$ROOT/$BUILD/tests/helpers/state_writer"
TOTAL=${STATE_CRASH_WRITES:-10000}
KILLS=${STATE_CRASH_KILLS:-50}
T=$(mktemp -d /tmp/cairn-state-crash.XXXXXX)
trap 'rm -rf "$T"' EXIT
D="$T/store" LOG="$T/log"
fail=0
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; fail=1; }

command -v mdb_stat >/dev/null || { echo "skip state_crash_mdb_stat # mdb_stat missing"; }
"$W" write "$D" 0 || nok state_crash_init
bad_open=0 bad_stat=0 bad_count=0 stuck=0 last=0 advanced=0
for i in $(seq 1 "$KILLS"); do
  before=$(wc -l <"$LOG" 2>/dev/null || echo 0)
  "$W" write "$D" "$TOTAL" "$LOG" 2>"$T/writer.err" &
  pid=$!
  if [ $((i % 5)) -eq 0 ]; then
    # Every fifth kill: a random moment 0-29 ms after start (open, lock,
    # first commits).
    sleep "0.0$(printf '%02d' $((RANDOM % 30)))"
  else
    # Otherwise: once commits are flowing (however slow the build, e.g.
    # under ASan), a random 0-39 ms later.
    for _ in $(seq 1 2000); do
      [ "$(wc -l <"$LOG" 2>/dev/null || echo 0)" -gt $((before + 1)) ] && break   # start line + a commit
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.005
    done
    sleep "0.0$(printf '%02d' $((RANDOM % 40)))"
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if ! s=$("$W" check "$D" "$LOG" 2>"$T/check.err"); then
    bad_count=$((bad_count + 1)); echo "# kill $i: $(cat "$T/check.err")"
  fi
  if command -v mdb_stat >/dev/null && ! mdb_stat -efa "$D" >/dev/null 2>"$T/stat.err"; then
    bad_stat=$((bad_stat + 1)); echo "# kill $i: mdb_stat: $(cat "$T/stat.err")"
  fi
  if [ -s "$T/writer.err" ]; then   # it failed (e.g. the lock) instead of being killed
    stuck=$((stuck + 1)); echo "# kill $i: writer failed: $(cat "$T/writer.err")"
  fi
  [ "${s:-0}" -gt "$last" ] && advanced=$((advanced + 1))
  last=${s:-0}
done
echo "# $KILLS kills, serial reached $last, $advanced runs made progress"
[ "$bad_count" -eq 0 ] && ok state_crash_serial_equals_history_and_commits || nok state_crash_serial_equals_history_and_commits
[ "$bad_stat" -eq 0 ] && ok state_crash_mdb_stat_clean || nok state_crash_mdb_stat_clean
[ "$stuck" -eq 0 ] && ok state_crash_lock_of_killed_holder_is_free || nok state_crash_lock_of_killed_holder_is_free
# Most kills must land after some commits, or the test tests nothing.
[ "$advanced" -ge $((KILLS / 2)) ] && ok state_crash_kills_land_mid_writes || nok state_crash_kills_land_mid_writes
# Finish the run: every one of the writes is there, once.
if "$W" write "$D" "$TOTAL" "$LOG" && s=$("$W" check "$D" "$LOG") && [ "$s" -eq "$TOTAL" ]; then
  ok state_crash_all_writes_after_restarts
else
  nok state_crash_all_writes_after_restarts
fi
# The lock-info record of a killed holder does not block the CLI either.
"$CAIRN" state list -state-dir="$D" >/dev/null && ok state_crash_cli_reads_after_kills || nok state_crash_cli_reads_after_kills
exit $fail
