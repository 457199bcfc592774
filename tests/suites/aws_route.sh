#!/usr/bin/env bash
# tests/suites/aws_route.sh — aws_route_table, aws_route and
# aws_route_table_association end to end: the cairn command line, the aws
# plugin and the AWS emulator (tests/awsemu/server.py).
#   - a VPC, an attached internet gateway and a NAT gateway made through the
#     emulator's API (outside cairn, so the suite does not depend on
#     aws_internet_gateway); subnets, route tables with inline routes, a
#     table whose routes are left to aws_route, aws_route, associations;
#   - state and emulator agree, the cairn:token tag, no changes next plan;
#   - in place: a route's target (ReplaceRoute), routes added and removed,
#     an association moved to another table (ReplaceRouteTableAssociation);
#   - drift: routes deleted and added outside cairn are planned back;
#   - ambiguous creates of routes and associations settled by natural key;
#   - attributes as blocks: `route = []` removes every route, unset routes
#     are not managed (read, never changed), both forms at once is an error;
#   - configuration errors; import of each type with its id format;
#   - destroy disassociates what others associated and leaves no route table
#     but the main one; a refresh of many instances costs a few
#     DescribeRouteTables, not one per instance.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
# check NAME EXPR [FILE]: on failure, also the end of FILE (cairn's output).
check() {
  if eval "$2"; then ok "$1"; return; fi
  nok "$1" "failed: $2"
  [ -n "${3:-}" ] && [ -f "$3" ] && tail -8 "$3" | sed 's/^/# | /'
  return 0
}
# Every run is bounded, so that a regression fails instead of hanging.
cairn() { timeout -k 5 240 "$CAIRN" "$@"; }

if [ ! -f "$ROOT/tests/awsemu/server.py" ]; then
  echo "skip aws_route # tests/awsemu/server.py not present"; exit 0
fi
TMP=$(mktemp -d)
EMU_LOG="$TMP/calls.jsonl"
. "$ROOT/tests/awsemu/emu.sh"
cleanup() {
  emu_stop
  if [ -n "${KEEP:-}" ]; then echo "# kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
if ! emu_start --time-scale 0.01; then
  echo "not ok aws_route_emulator_starts"; exit 1
fi
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION \
  AWS_DEFAULT_REGION AWS_ENDPOINT_URL

# admin METHOD PATH [JSON]: the emulator's admin interface.
admin() {
  python3 - "$EMU_URL" "$@" <<'PY'
import sys, urllib.request
url, method, path = sys.argv[1], sys.argv[2], sys.argv[3]
data = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url + path, data=data, method=method,
                             headers={'Content-Type': 'application/json'})
print(urllib.request.urlopen(req).read().decode())
PY
}
# ec2 ACTION [k=v ...]: an EC2 call made outside cairn; prints the XML body.
ec2() {
  local action=$1; shift
  python3 - "$EMU_URL" "$action" "$@" <<'PY'
import json, sys, urllib.request
url, action = sys.argv[1], sys.argv[2]
params = dict(a.split('=', 1) for a in sys.argv[3:])
body = json.dumps({'service': 'ec2', 'action': action, 'params': params}).encode()
req = urllib.request.Request(url + '/_emu/call', data=body, method='POST',
                             headers={'Content-Type': 'application/json'})
print(json.load(urllib.request.urlopen(req))['body'])
PY
}
# first_id PREFIX: the first id with that prefix in stdin.
first_id() { grep -o "$1-[0-9a-f]*" | head -1; }
# calls [action]: AWS calls logged since the last calls_reset.
calls() { admin GET "/_emu/calls/count${1:+?action=$1}" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["count"])'; }
calls_reset() { admin POST /_emu/calls/reset >/dev/null; }
# nres TYPE: how many resources of TYPE the emulator holds.
nres() { admin GET "/_emu/resources?type=$1" | python3 -c \
  'import json,sys; print(len(json.load(sys.stdin)))'; }
# rtb ID EXPR: a python expression over t, the emulator's route table ID
# (routes: t['routeSet'], associations: t['associationSet']).
rtb() { admin GET "/_emu/resources?type=rtb" | python3 -c "
import json,sys
r=[x for x in json.load(sys.stdin) if x.get('routeTableId')=='$1']
t=r[0] if r else None
print($2 if t else 'MISSING')" 2>/dev/null; }
# route_to ID DEST: the target of DEST in route table ID ('-' when none).
route_to() { rtb "$1" "([r.get('gatewayId') or r.get('natGatewayId') or '?'
  for r in t['routeSet'] if r.get('destinationCidrBlock')=='$2'] or ['-'])[0]"; }
# assoc_of SUBNET: the route table the subnet is associated with ('-').
assoc_of() { admin GET "/_emu/resources?type=rtb" | python3 -c "
import json,sys
print(([t['routeTableId'] for t in json.load(sys.stdin) for a in t['associationSet']
        if a.get('subnetId')=='$1'] or ['-'])[0])"; }
# attr ADDR NAME: an attribute of an instance in cairn's state.
attr() { cairn state show -no-color "$1" 2>/dev/null |
  sed -n "s/^ *$2 *= \"\\(.*\\)\"\$/\\1/p" | head -1; }

SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
provider_block() {
  cat <<PROV
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "$SECRET"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  endpoints {
    ec2 = "$EMU_URL"
    sts = "$EMU_URL"
  }
  default_tags {
    tags = { Suite = "aws_route" }
  }
}
PROV
}
newdir() { W="$TMP/$1"; mkdir -p "$W"; cd "$W" || exit 1; }

# --- the network made outside cairn ----------------------------------------------
VPC=$(ec2 CreateVpc CidrBlock=10.0.0.0/16 | first_id vpc)
IGW=$(ec2 CreateInternetGateway | first_id igw)
ec2 AttachInternetGateway InternetGatewayId="$IGW" VpcId="$VPC" >/dev/null
NATSUB=$(ec2 CreateSubnet VpcId="$VPC" CidrBlock=10.0.250.0/24 | first_id subnet)
EIP=$(ec2 AllocateAddress Domain=vpc | first_id eipalloc)
NAT=$(ec2 CreateNatGateway SubnetId="$NATSUB" AllocationId="$EIP" | first_id nat)
MAIN_RTB=$(admin GET "/_emu/resources?type=rtb" | python3 -c \
  "import json,sys; print([t['routeTableId'] for t in json.load(sys.stdin)][0])")
check network_made_outside '[[ "$VPC" == vpc-* ]] && [[ "$IGW" == igw-* ]] &&
  [[ "$NAT" == nat-* ]] && [[ "$MAIN_RTB" == rtb-* ]] && [ "$(nres rtb)" -eq 1 ]'

main_tf() {
  provider_block
  cat <<EOF
variable "vpc_id" {
  default = "$VPC"
}
variable "igw_id" {
  default = "$IGW"
}
variable "nat_id" {
  default = "$NAT"
}
EOF
  cat <<'EOF'
variable "use_nat" {
  default = false
}
variable "extra" {
  default = true
}
variable "moved" {
  default = 0
}

resource "aws_subnet" "s" {
  count      = 3
  vpc_id     = var.vpc_id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
}

# Inline routes: the table's routes are exactly these.
resource "aws_route_table" "public" {
  vpc_id = var.vpc_id
  route {
    cidr_block     = "0.0.0.0/0"
    gateway_id     = var.use_nat ? null : var.igw_id
    nat_gateway_id = var.use_nat ? var.nat_id : null
  }
  dynamic "route" {
    for_each = var.extra ? ["192.168.0.0/16"] : []
    content {
      cidr_block = route.value
      gateway_id = var.igw_id
    }
  }
  tags = {
    Name = "public"
  }
}

# No route blocks: the routes are aws_route's.
resource "aws_route_table" "private" {
  count  = 2
  vpc_id = var.vpc_id
  tags = {
    Name = "private-${count.index}"
  }
}

resource "aws_route" "private_default" {
  count                  = 2
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = var.use_nat ? null : var.igw_id
  nat_gateway_id         = var.use_nat ? var.nat_id : null
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.s[0].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.s[count.index + 1].id
  route_table_id = aws_route_table.private[(count.index + var.moved) % 2].id
}
EOF
}

# --- apply, state and emulator agree, no changes ---------------------------------
newdir main
main_tf >main.tf
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check apply_succeeds '[ $rc -eq 0 ] &&
  grep -q "Resources: 11 added, 0 changed, 0 destroyed" apply.out' apply.out
PUB=$(attr aws_route_table.public id)
PRIV0=$(attr 'aws_route_table.private[0]' id)
PRIV1=$(attr 'aws_route_table.private[1]' id)
S0=$(attr 'aws_subnet.s[0]' id)
S1=$(attr 'aws_subnet.s[1]' id)
S2=$(attr 'aws_subnet.s[2]' id)
A1=$(attr 'aws_route_table_association.private[0]' id)
R0=$(attr 'aws_route.private_default[0]' id)
check state_has_ids '[[ "$PUB" == rtb-* ]] && [[ "$PRIV0" == rtb-* ]] &&
  [[ "$A1" == rtbassoc-* ]] && [[ "$R0" == r-$PRIV0* ]] &&
  [[ "$(attr aws_route_table.public arn)" == arn:aws:ec2:us-east-1:*:route-table/$PUB ]] &&
  [ "$(attr aws_route_table.public owner_id)" = 123456789012 ] &&
  [ "$(attr "aws_route.private_default[0]" state)" = active ] &&
  [ "$(attr "aws_route.private_default[0]" origin)" = CreateRoute ]'
check emulator_has_tables '[ "$(nres rtb)" -eq 4 ]'
check inline_routes_in_emulator '[ "$(route_to "$PUB" 0.0.0.0/0)" = "$IGW" ] &&
  [ "$(route_to "$PUB" 192.168.0.0/16)" = "$IGW" ] &&
  [ "$(rtb "$PUB" "len(t[\"routeSet\"])")" -eq 3 ]'
check aws_route_in_emulator '[ "$(route_to "$PRIV0" 0.0.0.0/0)" = "$IGW" ] &&
  [ "$(route_to "$PRIV1" 0.0.0.0/0)" = "$IGW" ]'
check associations_in_emulator '[ "$(assoc_of "$S0")" = "$PUB" ] &&
  [ "$(assoc_of "$S1")" = "$PRIV0" ] && [ "$(assoc_of "$S2")" = "$PRIV1" ]'
check token_tag_on_route_table \
  '[[ "$(rtb "$PUB" "t[\"_tags\"].get(\"cairn:token\",\"\")")" =~ ^[0-9a-f]{32}$ ]]'
check tags_on_route_table '[ "$(rtb "$PUB" "t[\"_tags\"].get(\"Name\")")" = public ] &&
  [ "$(rtb "$PUB" "t[\"_tags\"].get(\"Suite\")")" = aws_route ]'
cairn state show -no-color aws_route_table.public >show_pub.out 2>&1
# The VPC's local route (gateway "local") is AWS's, never the table's.
check inline_routes_in_state 'grep -q "192.168.0.0/16" show_pub.out &&
  grep -q "$IGW" show_pub.out && ! grep -q "\"local\"" show_pub.out' show_pub.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check second_plan_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
# A table whose routes are not managed reads them all, as Terraform's does
# (aws_route's too), and still plans no change.
cairn apply -refresh-only -auto-approve -no-color >refresh.out 2>&1; rc=$?
cairn state show -no-color 'aws_route_table.private[0]' >show_priv.out 2>&1
check unmanaged_routes_read_into_state '[ $rc -eq 0 ] && grep -q "0.0.0.0/0" show_priv.out &&
  grep -q "$IGW" show_priv.out' show_priv.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check unmanaged_routes_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out

# --- routes changed in place ---------------------------------------------------------
# igw -> NAT gateway: ReplaceRoute for the inline route and both aws_route.
calls_reset
cairn apply -auto-approve -no-color -var use_nat=true >apply.out 2>&1; rc=$?
check route_target_in_place '[ $rc -eq 0 ] &&
  grep -q "0 added, 3 changed, 0 destroyed" apply.out &&
  [ "$(calls ReplaceRoute)" -eq 3 ] && [ "$(calls CreateRoute)" -eq 0 ] &&
  [ "$(calls DeleteRoute)" -eq 0 ] && [ "$(route_to "$PUB" 0.0.0.0/0)" = "$NAT" ] &&
  [ "$(route_to "$PRIV0" 0.0.0.0/0)" = "$NAT" ] && [ "$(route_to "$PRIV1" 0.0.0.0/0)" = "$NAT" ] &&
  [ "$(attr "aws_route.private_default[0]" id)" = "$R0" ]' apply.out
cairn plan -detailed-exitcode -no-color -var use_nat=true >plan.out 2>&1; rc=$?
check route_target_converged '[ $rc -eq 0 ]' plan.out
# An inline route removed, then added again.
calls_reset
cairn apply -auto-approve -no-color -var use_nat=true -var extra=false >apply.out 2>&1; rc=$?
check inline_route_removed '[ $rc -eq 0 ] && grep -q "0 added, 1 changed, 0 destroyed" apply.out &&
  [ "$(calls DeleteRoute)" -eq 1 ] && [ "$(route_to "$PUB" 192.168.0.0/16)" = "-" ] &&
  [ "$(route_to "$PUB" 0.0.0.0/0)" = "$NAT" ]' apply.out
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check inline_route_added '[ $rc -eq 0 ] && [ "$(calls CreateRoute)" -eq 1 ] &&
  [ "$(route_to "$PUB" 192.168.0.0/16)" = "$IGW" ] &&
  [ "$(route_to "$PUB" 0.0.0.0/0)" = "$IGW" ]' apply.out

# --- an association moved to another table in place ----------------------------------
calls_reset
cairn apply -auto-approve -no-color -var moved=1 >apply.out 2>&1; rc=$?
A1B=$(attr 'aws_route_table_association.private[0]' id)
check association_moved_in_place '[ $rc -eq 0 ] &&
  grep -q "0 added, 2 changed, 0 destroyed" apply.out &&
  [ "$(calls ReplaceRouteTableAssociation)" -eq 2 ] &&
  [ "$(calls AssociateRouteTable)" -eq 0 ] && [ "$(calls DisassociateRouteTable)" -eq 0 ] &&
  [ "$(assoc_of "$S1")" = "$PRIV1" ] && [ "$(assoc_of "$S2")" = "$PRIV0" ] &&
  [[ "$A1B" == rtbassoc-* ]] && [ "$A1B" != "$A1" ] &&
  [ "$(attr "aws_route_table_association.private[0]" route_table_id)" = "$PRIV1" ]' apply.out
cairn plan -detailed-exitcode -no-color -var moved=1 >plan.out 2>&1; rc=$?
check association_moved_converged '[ $rc -eq 0 ]' plan.out
cairn apply -auto-approve -no-color >/dev/null 2>&1

# --- drift ----------------------------------------------------------------------------
# aws_route's route deleted outside: planned again.
ec2 DeleteRoute RouteTableId="$PRIV0" DestinationCidrBlock=0.0.0.0/0 >/dev/null
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check drift_route_deleted_is_create '[ $rc -eq 2 ] &&
  grep -q "aws_route.private_default\[0\] will be created" plan.out &&
  grep -q "1 to add, 0 to change, 0 to destroy" plan.out' plan.out
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check drift_route_recreated '[ $rc -eq 0 ] && [ "$(route_to "$PRIV0" 0.0.0.0/0)" = "$IGW" ]' \
  apply.out
# An inline route deleted and a foreign route added outside: the table is
# brought back to its blocks.
ec2 DeleteRoute RouteTableId="$PUB" DestinationCidrBlock=192.168.0.0/16 >/dev/null
ec2 CreateRoute RouteTableId="$PUB" DestinationCidrBlock=172.16.0.0/12 GatewayId="$IGW" \
  >/dev/null
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check drift_inline_routes_is_update '[ $rc -eq 2 ] &&
  grep -q "aws_route_table.public will be updated in-place" plan.out &&
  grep -q "172.16.0.0/12" plan.out && grep -q "0 to add, 1 to change, 0 to destroy" plan.out' \
  plan.out
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check drift_inline_routes_fixed '[ $rc -eq 0 ] &&
  [ "$(route_to "$PUB" 192.168.0.0/16)" = "$IGW" ] &&
  [ "$(route_to "$PUB" 172.16.0.0/12)" = "-" ]' \
  apply.out
# An association removed outside: planned again.
ec2 DisassociateRouteTable AssociationId="$(attr aws_route_table_association.public id)" \
  >/dev/null
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check drift_association_removed '[ $rc -eq 2 ] &&
  grep -q "aws_route_table_association.public will be created" plan.out' plan.out
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check drift_association_restored '[ $rc -eq 0 ] && [ "$(assoc_of "$S0")" = "$PUB" ]' apply.out
# A route added outside to a table whose routes are not managed: no change.
ec2 CreateRoute RouteTableId="$PRIV1" DestinationCidrBlock=172.16.0.0/12 GatewayId="$IGW" \
  >/dev/null
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check unmanaged_table_ignores_foreign_routes '[ $rc -eq 0 ]' plan.out
ec2 DeleteRoute RouteTableId="$PRIV1" DestinationCidrBlock=172.16.0.0/12 >/dev/null

# --- destroy: what others associated is disassociated; only the main table is left ---
ec2 AssociateRouteTable RouteTableId="$PUB" SubnetId="$NATSUB" >/dev/null
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check destroy_succeeds '[ $rc -eq 0 ] && grep -q "Resources: 11 destroyed" destroy.out' \
  destroy.out
check destroy_leaves_main_table_only '[ "$(nres rtb)" -eq 1 ] &&
  [ "$(rtb "$MAIN_RTB" "t[\"routeTableId\"]")" = "$MAIN_RTB" ] &&
  [ -z "$(cairn state list 2>/dev/null)" ]'

# --- ambiguous creates are settled by natural key --------------------------------------
# The connection drops after CreateRoute / AssociateRouteTable took effect:
# the route is found by table and destination, the association by table and
# subnet, and neither call is sent twice.
newdir ambiguous
provider_block >main.tf
cat >>main.tf <<EOF
resource "aws_subnet" "x" {
  vpc_id     = "$VPC"
  cidr_block = "10.0.20.0/24"
}
resource "aws_route_table" "x" {
  vpc_id = "$VPC"
}
resource "aws_route" "x" {
  route_table_id         = aws_route_table.x.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "$IGW"
}
resource "aws_route_table_association" "x" {
  subnet_id      = aws_subnet.x.id
  route_table_id = aws_route_table.x.id
}
EOF
admin POST /_emu/faults \
  '{"drop_after_rate": 1.0, "actions": ["CreateRoute", "AssociateRouteTable"]}' >/dev/null
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
admin POST /_emu/faults '{"drop_after_rate": 0, "actions": []}' >/dev/null
check create_dropped_connection_recovered '[ $rc -eq 0 ] &&
  [ "$(calls CreateRoute)" -eq 1 ] && [ "$(calls AssociateRouteTable)" -eq 1 ] &&
  [ "$(route_to "$(attr aws_route_table.x id)" 0.0.0.0/0)" = "$IGW" ] &&
  [[ "$(attr aws_route_table_association.x id)" == rtbassoc-* ]]' apply.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check ambiguous_converged '[ $rc -eq 0 ]' plan.out
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check ambiguous_destroyed '[ $rc -eq 0 ] && [ "$(nres rtb)" -eq 1 ]' destroy.out

# --- attributes as blocks: `route = []` ------------------------------------------------
# As in Terraform, `route` may be assigned as an argument: `route = []`
# removes every route of the table (besides the local one); with neither
# blocks nor the argument the routes are not managed, and a new table's plan
# says they are known after apply.  Both forms at once is an error.
newdir asattr
provider_block >main.tf
cat >>main.tf <<EOF
resource "aws_route_table" "t" {
  vpc_id = "$VPC"
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "$IGW"
  }
}
resource "aws_route_table" "loose" {
  vpc_id = "$VPC"
}
EOF
cairn plan -no-color >plan.out 2>&1; rc=$?
check unset_routes_known_after_apply '[ $rc -eq 0 ] &&
  grep -A3 "aws_route_table.loose will be created" plan.out >/dev/null &&
  grep -q "+ route *= (known after apply)" plan.out' plan.out
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
T=$(attr aws_route_table.t id)
check asattr_applied '[ $rc -eq 0 ] && [ "$(route_to "$T" 0.0.0.0/0)" = "$IGW" ]' apply.out
sed -i '/^  route {/,/^  }/c\  route = []' main.tf
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check empty_route_argument_plans_removal '[ $rc -eq 2 ] &&
  grep -q "aws_route_table.t will be updated in-place" plan.out &&
  grep -q "Plan: 0 to add, 1 to change, 0 to destroy." plan.out' plan.out
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check empty_route_argument_removes_routes '[ $rc -eq 0 ] && [ "$(calls DeleteRoute)" -eq 1 ] &&
  [ "$(rtb "$T" "len(t[\"routeSet\"])")" -eq 1 ] && [ "$(route_to "$T" 0.0.0.0/0)" = "-" ]' apply.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check empty_route_argument_converged '[ $rc -eq 0 ]' plan.out
# A route added outside: `route = []` manages the routes, so it is planned away.
ec2 CreateRoute RouteTableId="$T" DestinationCidrBlock=172.16.0.0/12 GatewayId="$IGW" >/dev/null
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check empty_route_argument_removes_foreign '[ $rc -eq 2 ] && grep -q "172.16.0.0/12" plan.out' \
  plan.out
sed -i 's/^  route = \[\]/  route = []\n  route {\n    cidr_block = "10.9.0.0\/16"\n    gateway_id = "x"\n  }/' \
  main.tf
cairn plan -no-color >plan.out 2>&1; rc=$?
line=$(grep -n "^  route {" main.tf | cut -d: -f1)
check route_argument_and_blocks_rejected '[ $rc -eq 1 ] &&
  grep -q "Duplicate route definition" plan.out && grep -q "main.tf:$line:" plan.out' plan.out
sed -i '/^  route = \[\]/,/^  }/c\  route = [{ cidr_block = "10.9.0.0/16", gateway_id = "x" }]' main.tf
cairn plan -no-color >plan.out 2>&1; rc=$?
check route_argument_needs_every_field '[ $rc -eq 1 ] &&
  grep -q "Incorrect attribute value type" plan.out && grep -q "\"nat_gateway_id\",.* are required" plan.out' \
  plan.out
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check asattr_destroyed '[ $rc -eq 0 ] && [ "$(nres rtb)" -eq 1 ]' destroy.out

# --- configuration errors: refused before any call that creates ------------------------
newdir config
config_error() {   # NAME PATTERN: main.tf is provider + $CFG; apply must fail with PATTERN
  provider_block >main.tf
  echo "$CFG" >>main.tf
  calls_reset
  cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
  PAT=$2
  check "$1" '[ $rc -ne 0 ] && grep -q "$PAT" apply.out && [ "$(calls CreateRoute)" -eq 0 ] &&
    [ "$(calls AssociateRouteTable)" -eq 0 ] && [ "$(nres rtb)" -eq 1 ]' apply.out
}
CFG="resource \"aws_route\" \"r\" {
  route_table_id         = \"$MAIN_RTB\"
  destination_cidr_block = \"0.0.0.0/0\"
  gateway_id             = \"$IGW\"
  nat_gateway_id         = \"$NAT\"
}"
config_error route_two_targets_rejected "exactly one target"
CFG="resource \"aws_route\" \"r\" {
  route_table_id         = \"$MAIN_RTB\"
  destination_cidr_block = \"10.1.2.3/16\"
  gateway_id             = \"$IGW\"
}"
config_error route_invalid_cidr_rejected "Invalid destination"
CFG="resource \"aws_route\" \"r\" {
  route_table_id = \"$MAIN_RTB\"
  gateway_id     = \"$IGW\"
}"
config_error route_no_destination_rejected "exactly one destination"
CFG="resource \"aws_route_table\" \"t\" {
  vpc_id = \"$VPC\"
  route {
    ipv6_cidr_block = \"2001:db8::1/56\"
    gateway_id      = \"$IGW\"
  }
}"
config_error inline_route_invalid_ipv6_rejected "is not an IPv6 network"
CFG="resource \"aws_route_table_association\" \"a\" {
  subnet_id      = \"$NATSUB\"
  gateway_id     = \"$IGW\"
  route_table_id = \"$MAIN_RTB\"
}"
config_error association_two_targets_rejected "only one of"

# --- import ---------------------------------------------------------------------------
if cairn import -help 2>&1 | grep -q 'has no command named'; then
  echo "skip aws_route_import # cairn has no import verb yet"
else
  newdir import
  T1=$(ec2 CreateRouteTable VpcId="$VPC" TagSpecification.1.ResourceType=route-table \
    TagSpecification.1.Tag.1.Key=Suite TagSpecification.1.Tag.1.Value=aws_route | first_id rtb)
  T2=$(ec2 CreateRouteTable VpcId="$VPC" | first_id rtb)
  ec2 CreateRoute RouteTableId="$T1" DestinationCidrBlock=10.9.0.0/16 GatewayId="$IGW" \
    >/dev/null
  ec2 CreateRoute RouteTableId="$T2" DestinationCidrBlock=0.0.0.0/0 GatewayId="$IGW" >/dev/null
  ec2 CreateRoute RouteTableId="$T2" DestinationIpv6CidrBlock=::/0 GatewayId="$IGW" >/dev/null
  IS=$(ec2 CreateSubnet VpcId="$VPC" CidrBlock=10.0.30.0/24 | first_id subnet)
  IA=$(ec2 AssociateRouteTable RouteTableId="$T1" SubnetId="$IS" | first_id rtbassoc)
  provider_block >main.tf
  cat >>main.tf <<EOF
resource "aws_route_table" "t" {
  vpc_id = "$VPC"
  route {
    cidr_block = "10.9.0.0/16"
    gateway_id = "$IGW"
  }
}
resource "aws_route" "r" {
  route_table_id         = "$T2"
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "$IGW"
}
resource "aws_route" "r6" {
  route_table_id              = "$T2"
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = "$IGW"
}
resource "aws_route_table_association" "a" {
  subnet_id      = "$IS"
  route_table_id = aws_route_table.t.id
}
EOF
  cairn import -no-color aws_route_table.t "$T1" >import.out 2>&1; rc1=$?
  cairn import -no-color aws_route.r "${T2}_0.0.0.0/0" >>import.out 2>&1; rc2=$?
  cairn import -no-color aws_route.r6 "${T2}_::/0" >>import.out 2>&1; rc3=$?
  cairn import -no-color aws_route_table_association.a "$IS/$T1" >>import.out 2>&1; rc4=$?
  check import_route_table '[ $rc1 -eq 0 ] && [ "$(attr aws_route_table.t id)" = "$T1" ]' \
    import.out
  check import_route '[ $rc2 -eq 0 ] && [ $rc3 -eq 0 ] &&
    [ "$(attr aws_route.r route_table_id)" = "$T2" ] &&
    [[ "$(attr aws_route.r id)" == r-$T2* ]] &&
    [ "$(attr aws_route.r6 destination_ipv6_cidr_block)" = "::/0" ]' import.out
  check import_association '[ $rc4 -eq 0 ] &&
    [ "$(attr aws_route_table_association.a id)" = "$IA" ]' import.out
  cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
  check import_then_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
  cat >>main.tf <<EOF
resource "aws_route" "bad" {
  route_table_id         = "$T2"
  destination_cidr_block = "10.99.0.0/16"
  gateway_id             = "$IGW"
}
resource "aws_route_table_association" "bad" {
  subnet_id      = "$NATSUB"
  route_table_id = "$T2"
}
EOF
  cairn import -no-color aws_route.bad "$T2" >bad.out 2>&1; rc=$?
  check import_bad_route_id '[ $rc -ne 0 ] && grep -q "ROUTETABLEID_DESTINATION" bad.out' bad.out
  cairn import -no-color aws_route.bad "${T2}_10.99.0.0/16" >bad.out 2>&1; rc=$?
  check import_missing_route '[ $rc -ne 0 ] && grep -q "non-existent" bad.out' bad.out
  cairn import -no-color aws_route_table_association.bad "$NATSUB/$T2" >bad.out 2>&1; rc=$?
  check import_missing_association '[ $rc -ne 0 ] &&
    grep -q "no association found" bad.out' bad.out
  sed -i '/resource "aws_route" "bad"/,$d' main.tf
  cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
  check import_destroyed '[ $rc -eq 0 ] && [ "$(rtb "$T1" 1)" = MISSING ] &&
    [ "$(route_to "$T2" 0.0.0.0/0)" = "-" ]' destroy.out
  ec2 DeleteRouteTable RouteTableId="$T2" >/dev/null
  ec2 DeleteSubnet SubnetId="$IS" >/dev/null
fi

# --- many instances: refresh in a handful of DescribeRouteTables ------------------------
# 120 tables, 120 routes, 120 associations: each type is read with one
# DescribeRouteTables per 200 tables or association ids, pages of 100.
newdir many
provider_block >main.tf
cat >>main.tf <<EOF
variable "n" {
  default = 120
}
resource "aws_subnet" "m" {
  count      = var.n
  vpc_id     = "$VPC"
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index + 100)
}
resource "aws_route_table" "m" {
  count  = var.n
  vpc_id = "$VPC"
}
resource "aws_route" "m" {
  count                  = var.n
  route_table_id         = aws_route_table.m[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "$IGW"
}
resource "aws_route_table_association" "m" {
  count          = var.n
  subnet_id      = aws_subnet.m[count.index].id
  route_table_id = aws_route_table.m[count.index].id
}
EOF
cairn apply -auto-approve -no-color -parallelism=20 >apply.out 2>&1; rc=$?
check many_apply '[ $rc -eq 0 ] && grep -q "Resources: 480 added" apply.out &&
  [ "$(nres rtb)" -eq 121 ]' apply.out
calls_reset
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
drt=$(calls DescribeRouteTables); all=$(calls)
echo "# refresh of 120 tables, routes and associations: $drt DescribeRouteTables, $all calls"
check many_refresh_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
check many_refresh_few_describes '[ "$drt" -le 6 ] && [ "$all" -le 10 ]'
admin POST /_emu/config '{"max_page": 5}' >/dev/null
calls_reset
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
drt=$(calls DescribeRouteTables)
echo "# with 5-item pages: $drt DescribeRouteTables"
check many_refresh_small_pages '[ $rc -eq 0 ] && [ "$drt" -eq 72 ]' plan.out
admin POST /_emu/config '{"max_page": 100}' >/dev/null
ec2 DeleteRoute RouteTableId="$(attr 'aws_route_table.m[7]' id)" DestinationCidrBlock=0.0.0.0/0 \
  >/dev/null
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check many_refresh_finds_one_gone '[ $rc -eq 2 ] &&
  grep -q "aws_route.m\[7\] will be created" plan.out &&
  grep -q "1 to add, 0 to change, 0 to destroy" plan.out' plan.out
cairn destroy -auto-approve -no-color -parallelism=20 >destroy.out 2>&1; rc=$?
check many_destroy '[ $rc -eq 0 ] && [ "$(nres rtb)" -eq 1 ] &&
  [ "$(nres subnet)" -eq 1 ]' destroy.out

# --- no secret anywhere -------------------------------------------------------------
check no_secret_in_outputs "! grep -rqF --include='*.out' -- '$SECRET' '$TMP'"
# Runs that were expected to fail must not hide a sanitizer report (SANITIZE=1).
check no_sanitizer_reports \
  "! grep -rqE --include='*.out' 'AddressSanitizer|LeakSanitizer|runtime error:' '$TMP'"
