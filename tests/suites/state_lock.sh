#!/usr/bin/env bash
# State lock (issue 3, acceptance 1): 8 processes start a writing operation
# on one store at once.  Without -lock-timeout the losers fail within 1 s
# naming the holder; with -lock-timeout=30s all succeed one after another;
# holders never overlap and no write is lost (serial == writes).
set -u
W="$ROOT/$BUILD/tests/helpers/state_writer"
T=$(mktemp -d /tmp/cairn-state-lock.XXXXXX)
D="$T/store"
holder_pid=
cleanup() { [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail=0
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
serial() { "$W" serial "$D" || echo "not ok state_lock_serial_matches_history" >&2; }

# A store with 20 instances aws_instance.i[0..19].
{
  printf '{"version":4,"terraform_version":"1.5.7","serial":1,"lineage":"lock-test",'
  printf '"outputs":{},"resources":[{"mode":"managed","type":"aws_instance","name":"i",'
  printf '"provider":"provider[\\"registry.terraform.io/hashicorp/aws\\"]","instances":['
  for k in $(seq 0 19); do
    [ "$k" -gt 0 ] && printf ','
    printf '{"index_key":%d,"schema_version":1,"attributes":{"id":"i-%d"}}' "$k" "$k"
  done
  printf ']}]}\n'
} >"$T/seed.tfstate"
"$CAIRN" state push -state-dir="$D" "$T/seed.tfstate" >/dev/null || nok state_lock_seed

# Start a holder: keeps the lock until its stdin (a fifo) closes.
start_holder() {
  mkfifo "$T/fifo.$1"
  "$W" hold "$D" <"$T/fifo.$1" >"$T/holder.id" &
  holder_pid=$!
  exec 7>"$T/fifo.$1"
  for _ in $(seq 1 200); do [ -s "$T/holder.id" ] && break; sleep 0.01; done
}
stop_holder() { exec 7>&-; wait "$holder_pid" 2>/dev/null; holder_pid=; }

# 1. Held lock, 8 writers without timeout: all fail fast, naming the holder.
start_holder a
lock_id=$(cat "$T/holder.id")
sum_before=$(sha256sum "$D/data.mdb")
for k in $(seq 0 7); do
  ( s=$(ms); "$CAIRN" state rm -state-dir="$D" "aws_instance.i[$k]" >"$T/o.$k" 2>"$T/e.$k"
    echo "$? $(( $(ms) - s ))" >"$T/r.$k" ) &
done
wait $(jobs -p | grep -v "^$holder_pid$") 2>/dev/null
all_failed=1 fast=1 named=1
for k in $(seq 0 7); do
  read -r rc took <"$T/r.$k"
  [ "$rc" -eq 1 ] || all_failed=0
  [ "$took" -lt 1000 ] || { fast=0; echo "# writer $k took ${took} ms"; }
  grep -q "Error acquiring the state lock" "$T/e.$k" && grep -q "ID:        $lock_id" "$T/e.$k" \
    && grep -q "Who:" "$T/e.$k" && grep -q "Operation: hold" "$T/e.$k" || named=0
done
check state_lock_contenders_exit_1 '[ $all_failed -eq 1 ]'
check state_lock_contenders_fail_within_1s '[ $fast -eq 1 ]'
check state_lock_failure_names_holder '[ $named -eq 1 ]'
check state_lock_contenders_leave_store_untouched '[ "$(sha256sum "$D/data.mdb")" = "$sum_before" ]'

# 2. While held, -lock-timeout=1s waits about a second, then fails.
s=$(ms); "$CAIRN" state rm -state-dir="$D" -lock-timeout=1s 'aws_instance.i[0]' 2>"$T/e.t"; rc=$?
took=$(( $(ms) - s ))
check state_lock_timeout_expires '[ $rc -eq 1 ] && [ $took -ge 900 ] && [ $took -lt 5000 ]'

# 3. force-unlock refuses while the holder lives; -lock=false proceeds with a warning.
"$CAIRN" force-unlock -state-dir="$D" "$lock_id" >/dev/null 2>"$T/e.fu"; rc=$?
check state_lock_force_unlock_refuses_live_holder '[ $rc -eq 1 ] && grep -q "live process" "$T/e.fu"'
"$CAIRN" force-unlock -state-dir="$D" not-the-id >/dev/null 2>"$T/e.fu2"; rc=$?
check state_lock_force_unlock_wrong_id '[ $rc -eq 1 ] && grep -q "does not match" "$T/e.fu2"'
"$CAIRN" state rm -state-dir="$D" -lock=false 'aws_instance.i[19]' >"$T/o.nl" 2>"$T/e.nl"; rc=$?
check state_lock_false_proceeds_with_warning '[ $rc -eq 0 ] && grep -q "Warning: locking is disabled" "$T/e.nl"'

# 4. A holder killed with SIGKILL: the next writer gets the lock without
# force-unlock; its stale record can then no longer be force-unlocked
# (it has been replaced).
kill -9 "$holder_pid"; wait "$holder_pid" 2>/dev/null; holder_pid=; exec 7>&-
"$CAIRN" state rm -state-dir="$D" 'aws_instance.i[18]' >/dev/null 2>"$T/e.k"; rc=$?
check state_lock_dead_holder_released '[ $rc -eq 0 ]'

# 5. A stale record left by a killed holder is cleared by force-unlock.
start_holder b
id_b=$(cat "$T/holder.id")
kill -9 "$holder_pid"; wait "$holder_pid" 2>/dev/null; holder_pid=; exec 7>&-
"$CAIRN" force-unlock -state-dir="$D" "$id_b" >"$T/o.fu3" 2>&1; rc=$?
check state_lock_force_unlock_stale_record '[ $rc -eq 0 ] && grep -q "successfully unlocked" "$T/o.fu3"'

# 6. 8 CLI writers with -lock-timeout=30s: all succeed, nothing lost.
base=$(serial)
for k in $(seq 0 7); do
  ( "$CAIRN" state rm -state-dir="$D" -lock-timeout=30s "aws_instance.i[$k]" >"$T/o.$k" 2>"$T/e.$k"
    echo $? >"$T/r.$k" ) &
done
wait
okc=0
for k in $(seq 0 7); do [ "$(cat "$T/r.$k")" -eq 0 ] && okc=$((okc + 1)); done
check state_lock_timeout_all_8_succeed '[ $okc -eq 8 ]'
check state_lock_serial_counts_all_writes '[ "$(serial)" -eq $((base + 8)) ]'
left=$("$CAIRN" state list -state-dir="$D" | grep -c 'aws_instance.i\[[0-7]\]$')
check state_lock_all_removals_applied '[ "$left" -eq 0 ]'

# 7. Exclusivity, measured: 8 helpers each hold the lock 100 ms while
# writing; their holding intervals must not overlap.
intervals_disjoint() {
  sort -n "$1" | awk 'NR>1 && $1 < prev { bad=1 } { prev=$2 } END { exit bad }'
}
base=$(serial); : >"$T/iv"
for k in $(seq 1 8); do "$W" lockwrite "$D" 30000 100 "$T/iv" & done
wait
check state_lock_wait_8_helpers_all_write '[ "$(wc -l <"$T/iv")" -eq 8 ] && [ "$(serial)" -eq $((base + 8)) ]'
check state_lock_wait_holders_never_overlap 'intervals_disjoint "$T/iv"'

# 8. Same without waiting: losers exit 3 ("busy") fast; winners never
# overlap; serial counts exactly the winners.
base=$(serial); : >"$T/iv"
for k in $(seq 1 8); do
  ( s=$(ms); "$W" lockwrite "$D" 0 300 "$T/iv" 2>"$T/h.$k"; echo "$? $(( $(ms) - s ))" >"$T/r.$k" ) &
done
wait
wins=0 losers_ok=1
for k in $(seq 1 8); do
  read -r rc took <"$T/r.$k"
  if [ "$rc" -eq 0 ]; then wins=$((wins + 1))
  elif [ "$rc" -ne 3 ] || [ "$took" -ge 1000 ] || ! grep -q "locked by" "$T/h.$k"; then
    losers_ok=0; echo "# helper $k: rc $rc, ${took} ms: $(cat "$T/h.$k")"
  fi
done
echo "# no-wait round: $wins winner(s)"
check state_lock_nowait_some_win '[ $wins -ge 1 ]'
check state_lock_nowait_losers_fail_fast_naming_holder '[ $losers_ok -eq 1 ]'
check state_lock_nowait_no_overlap_no_lost_write 'intervals_disjoint "$T/iv" && [ "$(serial)" -eq $((base + wins)) ]'
exit $fail
