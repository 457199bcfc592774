#!/usr/bin/env bash
# The state commands end to end (issue 3, acceptance 3, 4, 5 and the
# command list): Terraform v4 import and round trip, list/show/mv/rm/
# history/push checks, bad inputs that must leave the store untouched,
# permissions under umask 000, workspaces.
set -u
W="$ROOT/$BUILD/tests/helpers/state_writer"
FIX="$ROOT/tests/suites/data/state_v4.tfstate"
T=$(mktemp -d /tmp/cairn-state-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; echo "#   $2"; fi; }
c() { "$CAIRN" "$@"; }
fp() { # fingerprint of a store: data file checksum plus backup names
  { sha256sum "$1/data.mdb"; ls "$1/backups" 2>/dev/null; } | sha256sum
}

# ---- acceptance 3: import a hand-written Terraform v4 file, list it
A="$T/a"
c state push -state-dir="$A" "$FIX" >"$T/o" 2>"$T/e"; rc=$?
check state_push_v4_into_empty_dir '[ $rc -eq 0 ]'
cat >"$T/want.list" <<'L'
data.aws_availability_zones.available
aws_db_instance.main
aws_eip.nat[0]
aws_eip.nat[1]
aws_nat_gateway.this[0]
aws_nat_gateway.this[1]
module.network.aws_subnet.private["us-east-1a"]
module.network.aws_subnet.private["us-east-1b"]
module.network.aws_subnet.public["us-east-1a"]
module.network.aws_subnet.public["us-east-1b"]
module.network.aws_vpc.this
L
c state list -state-dir="$A" >"$T/got.list"
check state_list_imported_addresses 'diff "$T/want.list" "$T/got.list"'
c state list -state-dir="$A" module.network.aws_subnet.private >"$T/l2"
check state_list_filters_by_resource '[ "$(wc -l <"$T/l2")" -eq 2 ]'
c state list -state-dir="$A" -id=nat-0f00000000000000b >"$T/l3"
check state_list_filters_by_id '[ "$(cat "$T/l3")" = "aws_nat_gateway.this[1]" ]'

# ---- round trip: pull -> push into an empty dir -> pull is identical
c state pull -state-dir="$A" >"$T/p1.json"
check state_pull_equals_imported_file 'cmp -s "$T/p1.json" "$FIX"'
c state push -state-dir="$T/b" "$T/p1.json" >/dev/null 2>&1
c state pull -state-dir="$T/b" >"$T/p2.json"
check state_round_trip_identical 'cmp -s "$T/p1.json" "$T/p2.json"'
check state_pull_carries_sensitive_and_tainted \
  'grep -q "\"status\": \"tainted\"" "$T/p2.json" && grep -q "\"value\": \"password\"" "$T/p2.json"'

# ---- pull writes JSON as Terraform (Go) does; big numbers survive a round trip
printf '%s' '{"version":4,"serial":2,"lineage":"n","resources":[{"mode":"managed",
 "type":"a_b","name":"c","provider":"p","instances":[{"index_key":2,"attributes":
 {"f":0.1,"g":1e300,"n":5432,"h":"<a&b>"}}]}]}' >"$T/num.tfstate"
c state push -state-dir="$T/n1" "$T/num.tfstate" >/dev/null 2>&1
c state pull -state-dir="$T/n1" >"$T/n1.json"
check state_pull_numbers_shortest_no_exponent \
  'grep -q "\"f\": 0.1," "$T/n1.json" && grep -q "\"n\": 5432," "$T/n1.json" && grep -q "\"g\": 10000000000" "$T/n1.json"'
check state_pull_escapes_html_like_go 'grep -q "\"h\": \"\\\\u003ca\\\\u0026b\\\\u003e\"" "$T/n1.json"'
c state push -state-dir="$T/n2" "$T/n1.json" >/dev/null 2>&1
check state_round_trip_big_numbers 'c state pull -state-dir="$T/n2" | cmp -s - "$T/n1.json"'

# ---- show
c state show -state-dir="$A" aws_db_instance.main >"$T/show"
check state_show_redacts_sensitive 'grep -q "password *= (sensitive value)" "$T/show" && ! grep -q s3cr3t "$T/show"'
check state_show_header 'head -2 "$T/show" | grep -q "^resource \"aws_db_instance\" \"main\" {"'
c state show -state-dir="$A" 'aws_eip.nat[7]' >/dev/null 2>"$T/e"; rc=$?
check state_show_missing_instance '[ $rc -eq 1 ] && grep -q "No instance found" "$T/e"'

# ---- push checks: lineage, serial, -force
sed 's/"lineage": "3f6c2a8e[^"]*"/"lineage": "other-lineage"/' "$FIX" >"$T/other.tfstate"
c state push -state-dir="$A" "$T/other.tfstate" >/dev/null 2>"$T/e"; rc=$?
check state_push_refuses_other_lineage \
  '[ $rc -eq 1 ] && grep -q "cannot import state with lineage \"other-lineage\" over unrelated state" "$T/e"'
sed 's/"serial": 17/"serial": 3/' "$FIX" >"$T/old.tfstate"
c state push -state-dir="$A" "$T/old.tfstate" >/dev/null 2>"$T/e"; rc=$?
check state_push_refuses_older_serial \
  '[ $rc -eq 1 ] && grep -q "cannot import state with serial 3 over newer state with serial 17" "$T/e"'
cp -r "$A" "$T/f"
c state push -state-dir="$T/f" -force "$T/other.tfstate" >/dev/null 2>&1; rc=$?
check state_push_force_overrides '[ $rc -eq 0 ] && c state pull -state-dir="$T/f" | grep -q "\"serial\": 18"'

# A forced push records, per instance, only what it changed.
H="$T/pushhist"; c state push -state-dir="$H" "$FIX" >/dev/null 2>&1
c state rm -state-dir="$H" 'aws_eip.nat[0]' >/dev/null 2>&1
c state push -state-dir="$H" -force "$FIX" >/dev/null 2>&1
c state history -state-dir="$H" | sed -n '/^serial 19 /,$p' >"$T/h19"
check state_push_history_records_only_changes \
  '[ "$(grep -c "^  " "$T/h19")" -eq 1 ] && grep -q "create *aws_eip.nat\[0\]" "$T/h19"'

# ---- mv: whole resource, across keys, whole module, refusals
M="$T/m"; c state push -state-dir="$M" "$FIX" >/dev/null 2>&1
c state mv -state-dir="$M" aws_eip.nat aws_eip.gw >"$T/o" 2>"$T/e"; rc=$?
check state_mv_whole_resource_keeps_keys \
  '[ $rc -eq 0 ] && c state list -state-dir="$M" aws_eip.gw | tr "\n" " " | grep -qx "aws_eip.gw\[0\] aws_eip.gw\[1\] " && grep -q "Successfully moved 2 object(s)." "$T/o"'
c state mv -state-dir="$M" 'aws_nat_gateway.this[1]' 'aws_nat_gateway.this["b"]' >/dev/null 2>&1; rc=$?
check state_mv_across_count_and_for_each_keys \
  '[ $rc -eq 0 ] && c state list -state-dir="$M" | grep -qx "aws_nat_gateway.this\[\"b\"\]"'
c state mv -state-dir="$M" module.network module.net >"$T/o" 2>&1; rc=$?
check state_mv_whole_module \
  '[ $rc -eq 0 ] && [ "$(c state list -state-dir="$M" module.net | wc -l)" -eq 5 ] && [ "$(c state list -state-dir="$M" module.network | wc -l)" -eq 0 ]'
c state mv -state-dir="$M" module.net 'module.net["x"]' >/dev/null 2>&1; rc=$?
check state_mv_module_to_keyed_instance \
  '[ $rc -eq 0 ] && c state list -state-dir="$M" | grep -qx "module.net\[\"x\"\].aws_vpc.this"'
fpm=$(fp "$M")
c state mv -state-dir="$M" 'aws_eip.gw[0]' 'aws_eip.gw[1]' >/dev/null 2>"$T/e"; rc=$?
check state_mv_refuses_existing_target '[ $rc -eq 1 ] && grep -q "already a resource instance" "$T/e"'
c state mv -state-dir="$M" 'aws_eip.gw[0]' 'aws_vpc.gw' >/dev/null 2>"$T/e"; rc=$?
check state_mv_refuses_type_change '[ $rc -eq 1 ] && grep -q "types" "$T/e"'
c state mv -state-dir="$M" aws_eip.nope aws_eip.x >/dev/null 2>"$T/e"; rc=$?
check state_mv_refuses_missing_source '[ $rc -eq 1 ] && grep -q "Invalid source address" "$T/e"'
c state list -state-dir="$M" >"$T/after_refusals"
check state_mv_refusals_change_nothing \
  '[ "$(wc -l <"$T/after_refusals")" -eq 11 ] && grep -qx "aws_eip.gw\[0\]" "$T/after_refusals"'
c state mv -state-dir="$M" -dry-run 'aws_eip.gw[0]' 'aws_eip.gw[5]' >"$T/o" 2>&1; rc=$?
check state_mv_dry_run_writes_nothing \
  '[ $rc -eq 0 ] && grep -q "Would move" "$T/o" && c state list -state-dir="$M" | grep -qx "aws_eip.gw\[0\]"'

# ---- rm
c state rm -state-dir="$M" 'module.net["x"]' >"$T/o" 2>&1; rc=$?
check state_rm_whole_module \
  '[ $rc -eq 0 ] && grep -q "Successfully removed 5 resource instance(s)." "$T/o" && [ "$(c state list -state-dir="$M" | wc -l)" -eq 6 ]'
c state rm -state-dir="$M" aws_eip.none >/dev/null 2>"$T/e"; rc=$?
check state_rm_refuses_no_match '[ $rc -eq 1 ] && grep -q "No matching objects found" "$T/e" && [ "$(c state list -state-dir="$M" | wc -l)" -eq 6 ]'
check state_backups_made_before_writes '[ "$(ls "$M/backups" | grep -c "^state-")" -ge 5 ]'

# ---- history
c state history -state-dir="$M" 'aws_eip.gw[0]' >"$T/h"
check state_history_for_address 'grep -q "move-to *aws_eip.gw\[0\]" "$T/h" && grep -q "state mv" "$T/h"'
# push (serial 17 from the file), 4 mv, 1 rm: 6 entries, serials 17..22.
c state history -state-dir="$M" | grep '^serial' | awk '{print $2}' | tr '\n' ' ' >"$T/hs"
check state_history_one_entry_per_commit '[ "$(cat "$T/hs")" = "17 18 19 20 21 22 " ] && c state pull -state-dir="$M" | grep -q "\"serial\": 22,"'

# ---- acceptance 4: bad inputs, clear errors, exit 1, store untouched
B="$T/bad"; cp -r "$A" "$B"; before=$(fp "$B")
printf '{"version": 4, "serial": 3, "lineage": "x", "resources": [' >"$T/malformed.tfstate"
c state push -state-dir="$B" "$T/malformed.tfstate" >/dev/null 2>"$T/e"; rc=$?
check state_bad_malformed_json \
  '[ $rc -eq 1 ] && grep -q "not valid JSON" "$T/e" && [ "$(fp "$B")" = "$before" ]'
sed 's/"index_key": 0,/"index_key": 0, "deposed": "0000000G",/' "$FIX" >"$T/deposed.tfstate"
c state push -state-dir="$B" "$T/deposed.tfstate" >/dev/null 2>"$T/e"; rc=$?
check state_bad_deposed_key \
  '[ $rc -eq 1 ] && grep -q "deposed must be a key" "$T/e" && [ "$(fp "$B")" = "$before" ]'
# A deposed object (left by an interrupted create_before_destroy
# replacement) is carried over and pulled back where it was.
D="$T/dep"; cp -r "$A" "$D"
sed 's/"index_key": 0,/"index_key": 0, "deposed": "00000001",/' "$FIX" >"$T/deposed.tfstate"
c state push -force -state-dir="$D" "$T/deposed.tfstate" >/dev/null 2>"$T/e"; rc=$?
c state pull -state-dir="$D" >"$T/dep.pull"
check state_push_pull_deposed \
  '[ $rc -eq 0 ] && [ "$(grep -c "\"deposed\": \"00000001\"" "$T/deposed.tfstate")" -eq 2 ] &&
   [ "$(grep -c "\"deposed\": \"00000001\"" "$T/dep.pull")" -eq 2 ] &&
   c state list -state-dir="$D" | grep -qx "aws_eip.nat\[1\]" &&
   ! c state list -state-dir="$D" | grep -q "aws_eip.nat\[0\]"'
sed 's/"version": 4,/"version": 5,/' "$FIX" >"$T/v5.tfstate"
c state push -state-dir="$B" "$T/v5.tfstate" >/dev/null 2>"$T/e"; rc=$?
check state_bad_v5_file '[ $rc -eq 1 ] && grep -q "version 5" "$T/e" && [ "$(fp "$B")" = "$before" ]'
for cmd in "state rm" "state mv" "state show" "state list"; do
  extra=(); [ "$cmd" = "state mv" ] && extra=(aws_vpc.x)
  c $cmd -state-dir="$B" 'aws_vpc.main[' "${extra[@]}" >/dev/null 2>"$T/e"; rc=$?
  n=$(echo "$cmd" | tr ' ' _)
  check "state_bad_address_${n#state_}" \
    '[ $rc -eq 1 ] && grep -q "Invalid address" "$T/e" && [ "$(fp "$B")" = "$before" ]'
done
N="$T/newer"; cp -r "$A" "$N"; "$W" setformat "$N" 99; before=$(fp "$N")
for cmd in "state list" "state rm aws_db_instance.main" "state pull"; do
  c $cmd -state-dir="$N" >/dev/null 2>"$T/e"; rc=$?
  check "state_bad_newer_format_${cmd// /_}" \
    '[ $rc -eq 1 ] && grep -q "written by a newer cairn" "$T/e" && [ "$(fp "$N")" = "$before" ]'
done
c state push -state-dir="$N" "$FIX" >/dev/null 2>"$T/e"; rc=$?
check state_bad_newer_format_push '[ $rc -eq 1 ] && grep -q "newer cairn" "$T/e" && [ "$(fp "$N")" = "$before" ]'
X="$T/trunc"; cp -r "$A" "$X"
truncate -s 12288 "$X/data.mdb"; before=$(fp "$X")
for cmd in "state list" "state rm aws_db_instance.main" "state pull" "state backup"; do
  c $cmd -state-dir="$X" >/dev/null 2>"$T/e"; rc=$?
  check "state_bad_truncated_${cmd// /_}" \
    '[ $rc -eq 1 ] && grep -q "truncated" "$T/e" && grep -q "$X/data.mdb" "$T/e" && [ "$(fp "$X")" = "$before" ]'
done
c state push -state-dir="$X" "$FIX" >/dev/null 2>"$T/e"; rc=$?
check state_bad_truncated_push '[ $rc -eq 1 ] && grep -q "truncated" "$T/e" && [ "$(fp "$X")" = "$before" ]'
truncate -s 100 "$X/data.mdb"; before=$(fp "$X")
c state push -state-dir="$X" "$FIX" >/dev/null 2>"$T/e"; rc=$?
check state_bad_truncated_to_100_bytes_not_recreated \
  '[ $rc -eq 1 ] && grep -q "truncated" "$T/e" && [ "$(fp "$X")" = "$before" ]'

G="$T/garbage"; cp -r "$A" "$G"
dd if=/dev/urandom of="$G/data.mdb" bs=4096 count=2 conv=notrunc 2>/dev/null; before=$(fp "$G")
c state list -state-dir="$G" >/dev/null 2>"$T/e"; rc=$?
check state_bad_garbage_header \
  '[ $rc -eq 1 ] && grep -q "is corrupt or truncated" "$T/e" && grep -q "$G/data.mdb" "$T/e" && [ "$(fp "$G")" = "$before" ]'
Z="$T/zeroed"; cp -r "$A" "$Z"
pages=$(( $(stat -c %s "$Z/data.mdb") / 4096 - 2 ))
dd if=/dev/zero of="$Z/data.mdb" bs=4096 seek=2 count="$pages" conv=notrunc 2>/dev/null
before=$(fp "$Z")
c state rm -state-dir="$Z" aws_db_instance.main >/dev/null 2>"$T/e"; rc=$?
check state_bad_zeroed_pages \
  '[ $rc -eq 1 ] && grep -q "is corrupt" "$T/e" && [ "$(fp "$Z")" = "$before" ]'

# ---- acceptance 5: permissions under umask 000
P="$T/perm"
( umask 000
  c state push -state-dir="$P" "$FIX" >/dev/null 2>&1
  c state backup -state-dir="$P" >/dev/null 2>&1
  c workspace new -state-dir="$P" dev >/dev/null 2>&1 )
modes=$(cd "$P" && find . -printf '%y %m %p\n' | sort)
echo "$modes" | sed 's/^/# /'
bad_files=$(echo "$modes" | awk '$1 == "f" && $2 != "600"' | wc -l)
bad_dirs=$(echo "$modes" | awk '$1 == "d" && $2 != "700"' | wc -l)
nfiles=$(echo "$modes" | awk '$1 == "f"' | wc -l)
check state_perm_files_0600_under_umask_000 '[ "$nfiles" -ge 4 ] && [ "$bad_files" -eq 0 ]'
check state_perm_dirs_0700_under_umask_000 '[ "$bad_dirs" -eq 0 ]'

# ---- workspaces
c workspace show -state-dir="$T/nostore" >"$T/o" 2>&1; rc=$?
check workspace_show_without_store '[ $rc -eq 0 ] && [ "$(cat "$T/o")" = default ] && [ ! -e "$T/nostore" ]'
K="$T/ws"; c state push -state-dir="$K" "$FIX" >/dev/null 2>&1
c workspace new -state-dir="$K" dev >"$T/o" 2>&1; rc=$?
check workspace_new_switches '[ $rc -eq 0 ] && grep -q "Created and switched to workspace \"dev\"" "$T/o" && [ "$(c workspace show -state-dir="$K")" = dev ]'
check workspace_new_is_empty '[ -z "$(c state list -state-dir="$K")" ]'
c workspace list -state-dir="$K" >"$T/o"
check workspace_list_marks_current 'grep -qx "\* dev" "$T/o" && grep -qx "  default" "$T/o"'
c workspace new -state-dir="$K" dev >/dev/null 2>"$T/e"; rc=$?
check workspace_new_existing_fails '[ $rc -eq 1 ] && grep -q "already exists" "$T/e"'
c workspace select -state-dir="$K" nope >/dev/null 2>"$T/e"; rc=$?
check workspace_select_missing_fails '[ $rc -eq 1 ] && grep -q "doesn.t exist" "$T/e"'
c workspace select -state-dir="$K" default >/dev/null 2>&1
check workspace_select_default_sees_state '[ "$(c state list -state-dir="$K" | wc -l)" -eq 11 ]'
check workspace_env_override '[ -z "$(TF_WORKSPACE=dev c state list -state-dir="$K")" ]'
c workspace delete -state-dir="$K" default >/dev/null 2>"$T/e"; rc=$?
check workspace_delete_default_refused '[ $rc -eq 1 ]'
c workspace delete -state-dir="$K" dev >"$T/o" 2>&1; rc=$?
check workspace_delete '[ $rc -eq 0 ] && ! c workspace list -state-dir="$K" | grep -q dev'
exit $fail
