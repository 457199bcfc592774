#!/usr/bin/env bash
# tests/suites/engine_cmds.sh — `cairn graph`, `cairn import` and `cairn show`
# with the test provider: DOT output (edges, order, determinism, destroy
# direction, cycles), import (success then "No changes.", missing id,
# unconfigured address, already managed, lock held), show (state, sensitive
# values, outputs, -json, modules, saved plans), state show's map keys and
# nested blocks (from the plugin's schema, and without the plugin).
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "failed: $2"; fi; }

export TEST_PROVIDER_DIR="$TMP/objects"
mkdir -p "$TEST_PROVIDER_DIR"
newdir() { W="$TMP/$1"; mkdir -p "$W"; cd "$W" || exit 1; }
nstate() { "$CAIRN" state list 2>/dev/null | wc -l; }
serial() {
  "$CAIRN" state pull 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["serial"])'
}
# An edge as `cairn graph` writes it (node names without "[root] "); whether
# file $1 has line $2.
edge() { printf '"[root] %s" -> "[root] %s"' "$1" "$2"; }
has() { grep -qF -- "$2" "$1"; }
PROV='provider[\"registry.terraform.io/hashicorp/test\"]'


# Valid DOT: graphviz when it is installed, else a line-by-line check of the
# subset `cairn graph` writes.
dot_ok() {
  if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$1" >/dev/null 2>&1
    return
  fi
  python3 - "$1" <<'EOF'
import re, sys
q = r'"(?:[^"\\]|\\.)*"'
node = re.compile(r'^\t\t' + q + r' \[label = ' + q + r', shape = "(box|diamond|note)"\]$')
edge = re.compile(r'^\t\t' + q + ' -> ' + q + r'( \[color = "red", penwidth = "2.0"\])?$')
lines = open(sys.argv[1]).read().split("\n")
head = ["digraph {", '\tcompound = "true"', '\tnewrank = "true"', '\tsubgraph "root" {']
assert lines[:4] == head, lines[:4]
assert lines[-3:] == ["\t}", "}", ""], lines[-3:]
for l in lines[4:-3]:
    assert node.match(l) or edge.match(l), l
EOF
}

# --- graph --------------------------------------------------------------------
newdir graph
cat >main.tf <<'EOF'
resource "test_resource" "a" {
  name = "a"
}

resource "test_resource" "b" {
  count = 2
  name  = "b-${test_resource.a.id}"
}

resource "test_resource" "c" {
  items = test_resource.b[*].id
}

resource "test_resource" "lone" {
  name = "lone"
}
EOF
"$CAIRN" graph >g1 2>err; rc=$?
"$CAIRN" graph >g2 2>&1
check graph_exit_0 '[ $rc -eq 0 ] && [ ! -s err ]'
check graph_deterministic 'cmp -s g1 g2'
check graph_valid_dot 'dot_ok g1'
A="test_resource.a (expand)" B="test_resource.b (expand)" C="test_resource.c (expand)"
check graph_chain_edges 'has g1 "$(edge "$B" "$A")" && has g1 "$(edge "$C" "$B")"'
check graph_no_reverse_edges '! has g1 "\"[root] $A\" -> \"[root] test_resource" &&
  ! has g1 "-> \"[root] test_resource.lone"'
check graph_node_style 'has g1 "\"[root] $A\" [label = \"test_resource.a\", shape = \"box\"]" &&
  has g1 "compound = \"true\"" && has g1 "subgraph \"root\" {"'
check graph_provider_node 'has g1 "shape = \"diamond\"" && has g1 "$(edge "$A" "$PROV")"'
check graph_sorted 'grep -- "->" g1 | LC_ALL=C sort -c'
check graph_no_refresh_no_state '[ "$(nstate)" -eq 0 ] && [ -z "$(ls "$TEST_PROVIDER_DIR")" ]'
"$CAIRN" graph -type=apply >ga 2>&1; rc=$?
check graph_apply_instances '[ $rc -eq 0 ] && dot_ok ga &&
  grep -qF "\"[root] test_resource.c\" -> \"[root] test_resource.b[1]\"" ga &&
  grep -qF "\"[root] test_resource.b[0]\" -> \"[root] test_resource.a\"" ga'
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
"$CAIRN" graph -type=destroy >gd 2>&1; rc=$?
check graph_destroy_reversed '[ $rc -eq 0 ] && dot_ok gd &&
  grep -qF "\"[root] test_resource.a (destroy)\" -> \"[root] test_resource.b[0] (destroy)\"" gd &&
  grep -qF "\"[root] test_resource.b[1] (destroy)\" -> \"[root] test_resource.c (destroy)\"" gd &&
  ! grep -qF "\"[root] test_resource.c (destroy)\" -> \"[root] test_resource.b" gd'
check graph_destroy_changed_nothing '[ "$(nstate)" -eq 5 ]'
# A replacement waits for the delete of what depended on the object it
# replaces, as apply schedules them.
newdir replace
printf 'resource "test_resource" "a" {\n  replace_me = "1"\n}\n' >main.tf
printf 'resource "test_resource" "c" {\n  name = test_resource.a.id\n}\n' >zc.tf
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
rm zc.tf
sed -i 's/"1"/"2"/' main.tf
"$CAIRN" graph -type=apply >out 2>&1; rc=$?
check graph_apply_replace_after_delete '[ $rc -eq 0 ] && dot_ok out &&
  has out "$(edge test_resource.a "test_resource.c (destroy)")"'
"$CAIRN" graph -type=nonsense >out 2>&1; rc=$?
check graph_bad_type '[ $rc -eq 1 ] && grep -q "Invalid graph type requested: nonsense" out'

newdir cycle
cat >main.tf <<'EOF'
locals {
  a = local.b
  b = test_resource.x.name
}

resource "test_resource" "x" {
  name = local.a
}
EOF
"$CAIRN" graph >out 2>err; rc=$?
check graph_cycle_error '[ $rc -eq 1 ] && [ ! -s out ] && grep -q "Cycle:" err'
"$CAIRN" graph -draw-cycles >out 2>err; rc=$?
check graph_draw_cycles '[ $rc -eq 0 ] && dot_ok out &&
  [ "$(grep -c "color = \"red\"" out)" -eq 3 ] && grep -qF "\"[root] local.b (expand)\" -> \"[root] test_resource.x (expand)\" [color" out'

# --- import -------------------------------------------------------------------
# One resource block, so that the importing configuration matches the one
# that created the object: resource_block NAME NAME_EXPRESSION.
resource_block() {
  cat <<EOF
resource "test_resource" "$1" {
  name   = $2
  tags   = { env = "ci", "two words" = "x" }
  items  = ["p", "q"]
  secret = "s3cr3t-value"

  rule {
    port = 443
    cidr = "10.0.0.0/8"
  }
}
EOF
}

newdir src
{ resource_block src '"imported"'; cat <<'EOF'

output "id" {
  value = test_resource.src.id
}

output "secret" {
  value     = test_resource.src.secret
  sensitive = true
}
EOF
} >main.tf
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
ID=$("$CAIRN" output -raw id 2>/dev/null)
check import_source_created 'case "$ID" in tr-*) true ;; *) false ;; esac'

newdir dst
{ printf 'variable "name" {\n  type = string\n}\n\n'; resource_block dst var.name; } >main.tf
"$CAIRN" import -var name=imported test_resource.dst "$ID" >out 2>err; rc=$?
check import_ok '[ $rc -eq 0 ] && [ "$(nstate)" -eq 1 ] &&
  "$CAIRN" state list | grep -qx test_resource.dst'
check import_messages 'grep -qF "test_resource.dst: Importing from ID \"$ID\"..." out &&
  grep -qF "test_resource.dst: Import prepared!" out && grep -q "^Import successful!" out &&
  grep -q "henceforth be managed by cairn" out'
check import_state_attrs '"$CAIRN" state show test_resource.dst | grep -q "name *= \"imported\""'
check import_no_secret_printed '! grep -q s3cr3t out err'
"$CAIRN" plan -var name=imported -detailed-exitcode -no-color >out 2>&1; rc=$?
check import_then_no_changes '[ $rc -eq 0 ] && grep -q "No changes." out'
cat >>main.tf <<'EOF'

resource "test_resource" "other" {
  count = 1
  name  = "other"
}
EOF
"$CAIRN" show >out 2>&1
check import_sensitive_kept 'grep -q "secret *= (sensitive value)" out && ! grep -q s3cr3t out'

s0=$(serial); l0=$("$CAIRN" state list)
"$CAIRN" import -var name=imported 'test_resource.other[0]' tr-00000000deadbeef >out 2>err; rc=$?
unchanged() { [ "$(serial)" = "$s0" ] && [ "$("$CAIRN" state list)" = "$l0" ]; }
check import_missing_id_fails '[ $rc -eq 1 ] && has err "Cannot import non-existent remote object"'
check import_missing_id_state_unchanged unchanged
"$CAIRN" import -var name=imported test_resource.nowhere "$ID" >out 2>err; rc=$?
NOCFG="Configuration for import target does not exist"
check import_unconfigured_fails '[ $rc -eq 1 ] && has err "$NOCFG" &&
  grep -q "resource \"test_resource\" \"nowhere\"" err'
"$CAIRN" import -var name=imported 'test_resource.other[5]' "$ID" >out 2>err; rc=$?
check import_unconfigured_instance_fails '[ $rc -eq 1 ] && has err "$NOCFG"'
"$CAIRN" import -var name=imported module.nope.test_resource.x "$ID" >out 2>err; rc=$?
check import_unknown_module_fails '[ $rc -eq 1 ] && grep -q "Import to non-existent module" err'
"$CAIRN" import -var name=imported data.test_data.d "$ID" >out 2>err; rc=$?
check import_data_refused '[ $rc -eq 1 ] &&
  has err "Importing into a data resource is not allowed"'
"$CAIRN" import -var name=imported test_resource.dst "$ID" >out 2>err; rc=$?
check import_already_managed_fails '[ $rc -eq 1 ] && has err "Resource already managed by cairn"'
"$CAIRN" import -var name=imported test_resource.dst >out 2>err; rc=$?
check import_needs_two_args '[ $rc -eq 1 ] && grep -q "expects two arguments" err'
check import_failures_state_unchanged unchanged

# The lock is held for the whole import: a second one waits, then fails.
newdir locked
cat >main.tf <<'EOF'
resource "test_resource" "slow" {
  create_delay = "3s"
}

resource "test_resource" "dst" {
  name = "imported"
}
EOF
"$CAIRN" apply -auto-approve -no-color -target=test_resource.slow >/dev/null 2>&1 &
pid=$!
sleep 1
"$CAIRN" import -lock-timeout=0s test_resource.dst "$ID" >out 2>err; rc=$?
wait $pid
check import_respects_lock '[ $rc -eq 1 ] && grep -q "Error acquiring the state lock" err &&
  ! "$CAIRN" state list | grep -q test_resource.dst'

# --- show ---------------------------------------------------------------------
cd "$TMP/src" || exit 1
"$CAIRN" show -no-color >out 2>err; rc=$?
check show_ok '[ $rc -eq 0 ] && grep -qx "# test_resource.src:" out &&
  grep -qx "resource \"test_resource\" \"src\" {" out'
check show_attrs_aligned 'grep -qx "    name       = \"imported\"" out &&
  grep -qx "    secret     = (sensitive value)" out'
check show_hides_sensitive '! grep -q s3cr3t out'
check show_map_and_block 'grep -qx "        \"two words\" = \"x\"" out &&
  grep -qx "    rule {" out &&
  grep -qx "        port = 443" out'
check show_outputs 'grep -qx "Outputs:" out && grep -qx "id = \"$ID\"" out &&
  grep -qx "secret = (sensitive value)" out'
# state show: map keys quoted ("env" too), as Terraform's `state show`, and
# sensitive values redacted.
"$CAIRN" state show test_resource.src >state_show.out 2>&1; rc=$?
check state_show_map_keys_quoted '[ $rc -eq 0 ] &&
  grep -qx "        \"env\"       = \"ci\"" state_show.out &&
  grep -qx "        \"two words\" = \"x\"" state_show.out &&
  grep -qx "    secret *= (sensitive value)" state_show.out && ! grep -q s3cr3t state_show.out'
"$CAIRN" show -json >out.json 2>err; rc=$?
check show_json_parses '[ $rc -eq 0 ] && python3 - out.json "$ID" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == "1.0"
r = d["values"]["root_module"]["resources"][0]
assert r["address"] == "test_resource.src" and r["mode"] == "managed", r
assert r["type"] == "test_resource" and r["name"] == "src", r
assert r["provider_name"] == "registry.terraform.io/hashicorp/test", r
assert r["values"]["id"] == sys.argv[2] and r["values"]["tags"]["two words"] == "x", r
assert r["values"]["secret"] is None and r["sensitive_values"]["secret"] is True, r
assert d["values"]["outputs"]["secret"] == {"sensitive": True, "value": None}, d
assert d["values"]["outputs"]["id"]["value"] == sys.argv[2]
EOF'
check show_json_hides_sensitive '! grep -q s3cr3t out.json'

# state show draws nested blocks from the provider's schema, as Terraform's
# `state show`: after the attributes, a blank line before each block type's
# first block and none between blocks of one type.  Without the plugin (a
# copy of cairn with no plugins beside it) the stored lists of objects are
# shown as attributes.
newdir blocks
cat >main.tf <<'EOF'
resource "test_resource" "b" {
  name = "b"
  rule {
    port = 443
    cidr = "10.0.0.0/8"
  }
  rule {
    port = 80
  }
  setting {
    key   = "k"
    value = "v"
  }
  single {
    x = "y"
  }
}
EOF
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
"$CAIRN" state show -no-color test_resource.b 2>&1 |
  sed -E -e 's/tr-[0-9a-f]{16}/tr-ID/g' -e 's/"[0-9T:-]+Z"/"TIME"/' >got
cat >want <<'EOF'
# test_resource.b:
resource "test_resource" "b" {
    arn        = "arn:test:::resource/tr-ID"
    created_at = "TIME"
    generation = 1
    id         = "tr-ID"
    name       = "b"
    name_upper = "B"

    rule {
        cidr = "10.0.0.0/8"
        port = 443
    }
    rule {
        port = 80
    }

    setting {
        key   = "k"
        value = "v"
    }

    single {
        x = "y"
    }
}
EOF
check state_show_blocks_from_schema 'diff -u want got >&2'
mkdir -p bin && cp "$CAIRN" bin/cairn
if [ -e /usr/local/lib/cairn/plugins/cairn-provider-test.so ]; then
  ok "state_show_without_plugin # skip: the installed test plugin would be found"
else
  env -u CAIRN_PLUGIN_PATH ./bin/cairn state show -no-color test_resource.b >nop.out 2>&1; rc=$?
  check state_show_without_plugin '[ $rc -eq 0 ] && grep -qx "    rule       = \[" nop.out &&
    grep -qx "    single     = {" nop.out && ! grep -q "rule {" nop.out'
fi

newdir empty
echo 'resource "test_resource" "x" {}' >main.tf
"$CAIRN" show >out 2>&1; rc=$?
check show_no_state '[ $rc -eq 0 ] && grep -q "No state." out && [ ! -e .cairn ]'
check show_json_no_state '[ "$("$CAIRN" show -json)" = "{\"format_version\":\"1.0\"}" ]'

newdir mods
mkdir -p mod
cat >mod/main.tf <<'EOF'
variable "n" {
  type = number
}

resource "test_resource" "r" {
  count = var.n
  name  = "r-${count.index}"
}

output "ids" {
  value = test_resource.r[*].id
}
EOF
cat >main.tf <<'EOF'
module "m" {
  source = "./mod"
  n      = 2
}

resource "test_resource" "top" {
  for_each = toset(["k1", "k 2"])
  name     = each.key
}
EOF
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
"$CAIRN" show -json >out.json 2>err; rc=$?
check show_json_modules '[ $rc -eq 0 ] && python3 - out.json <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))["values"]["root_module"]
top = ["test_resource.top[\"k 2\"]", "test_resource.top[\"k1\"]"]
assert [r["address"] for r in d["resources"]] == top, d
assert d["resources"][1]["index"] == "k1"
(m,) = d["child_modules"]
assert m["address"] == "module.m", m
assert [r["index"] for r in m["resources"]] == [0, 1], m
assert m["resources"][0]["address"] == "module.m.test_resource.r[0]"
EOF'
"$CAIRN" show >out 2>&1
check show_module_instances 'grep -qx "# module.m.test_resource.r\[1\]:" out &&
  grep -qxF "# test_resource.top[\"k 2\"]:" out'

# A saved plan is shown as it would be applied, without its secrets.
cd "$TMP/src" || exit 1
cat >>main.tf <<'EOF'

resource "test_resource" "added" {
  name   = "added-${test_resource.src.id}"
  secret = "another-s3cr3t"
}
EOF
"$CAIRN" plan -out=tfplan -no-color >/dev/null 2>&1
s0=$(serial)
"$CAIRN" show -no-color tfplan >out 2>err; rc=$?
check show_planfile '[ $rc -eq 0 ] && grep -q "test_resource.added" out &&
  grep -q "1 to add, 0 to change, 0 to destroy" out &&
  ! grep -q s3cr3t out'
"$CAIRN" show -json tfplan >out.json 2>err; rc=$?
check show_planfile_json '[ $rc -eq 0 ] && ! grep -q s3cr3t out.json &&
  python3 - out.json <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
ch = {c["address"]: c["change"] for c in d["resource_changes"]}
assert ch["test_resource.added"]["actions"] == ["create"], ch
assert ch["test_resource.added"]["after_unknown"]["id"] is True
assert ch["test_resource.added"]["after_sensitive"]["secret"] is True
assert ch["test_resource.src"]["actions"] == ["no-op"]
EOF'
check show_planfile_no_apply '[ "$(serial)" = "$s0" ] && [ "$(nstate)" -eq 1 ]'
echo 'resource "test_resource" "more" {}' >more.tf
"$CAIRN" show tfplan >out 2>err; rc=$?
check show_stale_planfile '[ $rc -eq 1 ] && [ -s err ]'
rm -f more.tf
"$CAIRN" show no-such-plan >out 2>err; rc=$?
check show_missing_planfile '[ $rc -eq 1 ] && grep -q "Failed to read the given file" err'
exit 0
