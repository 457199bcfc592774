#!/usr/bin/env bash
# tests/suites/aws_gateway.sh — aws_internet_gateway, aws_eip and
# aws_nat_gateway end to end: the cairn command line, the aws plugin and the
# AWS emulator (tests/awsemu/server.py).
#   - apply of a VPC, an internet gateway, a subnet, an Elastic IP and a NAT
#     gateway: attributes in state and in the emulator, the cairn:token tag,
#     the NAT gateway's wait for "available", a second plan with no changes;
#   - in-place updates: tags of all three, an internet gateway moved to
#     another VPC (detach + attach);
#   - drift: a NAT gateway deleted outside cairn (left listed as "deleted",
#     as AWS does), an internet gateway deleted outside cairn;
#   - a NAT gateway in a VPC without internet gateway fails (AWS's reason in
#     the message) and is deleted again; bounded DependencyViolation retries
#     of an internet gateway detach and InvalidIPAddress.InUse retries of an
#     Elastic IP release; CreateNatGateway re-sent with its ClientToken after
#     dropped connections creates one gateway;
#   - import of each type by its id; configuration errors;
#   - a refresh of 250 Elastic IPs, 250 internet gateways and 20 NAT
#     gateways costs one Describe per 200 ids (and pages);
#   - destroy leaves the emulator empty.
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
  echo "skip aws_gateway # tests/awsemu/server.py not present"; exit 0
fi
TMP=$(mktemp -d)
EMU_LOG="$TMP/calls.jsonl"
. "$ROOT/tests/awsemu/emu.sh"
cleanup() {
  emu_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
if ! emu_start --time-scale 0.01; then
  echo "not ok aws_gateway_emulator_starts"; exit 1
fi
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION \
  AWS_DEFAULT_REGION AWS_ENDPOINT_URL

# admin METHOD PATH [JSON]: the emulator's admin interface.
admin() {
  python3 - "$EMU_URL" "$@" <<'EOF'
import sys, urllib.request
url, method, path = sys.argv[1], sys.argv[2], sys.argv[3]
data = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url + path, data=data, method=method,
                             headers={'Content-Type': 'application/json'})
print(urllib.request.urlopen(req).read().decode())
EOF
}
# ec2call ACTION JSON-PARAMS: an EC2 call made outside cairn (signed by the
# emulator itself); prints the response.
ec2call() { admin POST /_emu/call "{\"service\": \"ec2\", \"action\": \"$1\", \"params\": $2}"; }
# calls [action]: AWS calls logged since the last calls_reset.
calls() { admin GET "/_emu/calls/count${1:+?action=$1}" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["count"])'; }
calls_reset() { admin POST /_emu/calls/reset >/dev/null; }
# nres TYPE: how many resources of TYPE the emulator holds (NAT gateways in
# state "deleted" do not count: AWS lists them for an hour).
nres() { admin GET "/_emu/resources?type=$1" | python3 -c \
  'import json,sys
print(len([r for r in json.load(sys.stdin) if r.get("state") != "deleted"]))'; }
# field TYPE ID EXPR: a python expression over r, the list holding the
# resource of TYPE with ID (private fields such as _tags included).
field() { admin GET /_emu/state | python3 -c "
import json,sys
key={'vpc':'vpcId','subnet':'subnetId','igw':'internetGatewayId','eip':'allocationId',
     'natgw':'natGatewayId'}['$1']
r=[x for x in json.load(sys.stdin).get('$1',[]) if x.get(key)=='$2']
print($3 if r else 'MISSING')" 2>/dev/null; }
# attr ADDR NAME: a string attribute of an instance in cairn's state.
attr() { cairn state show -no-color "$1" 2>/dev/null |
  sed -n "s/^ *$2 *= \"\\(.*\\)\"\$/\\1/p" | head -1; }
# wait_field TYPE ID EXPR VALUE: until the emulator's field equals VALUE (5 s).
wait_field() {
  for _ in $(seq 100); do [ "$(field "$1" "$2" "$3")" = "$4" ] && return 0; sleep 0.05; done
  return 1
}
token_of() { field "$1" "$2" "r[0]['_tags'].get('cairn:token','')"; }

SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
provider_block() {   # $1: extra lines inside the block; NO_DEFAULT_TAGS=1 drops them
  cat <<EOF
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
EOF
  [ -z "${NO_DEFAULT_TAGS:-}" ] && cat <<EOF
  default_tags {
    tags = { Suite = "aws_gateway" }
  }
EOF
  printf '%s\n}\n' "$1"
}
main_tf() {   # VPC, internet gateway, subnet, Elastic IP, NAT gateway
  provider_block "${1:-}"
  cat <<'EOF'
variable "tag" {
  default = "one"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = "gw-${var.tag}"
  }
}

resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_eip" "nat" {
  domain = "vpc"
  tags = {
    Name = "eip-${var.tag}"
  }
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
  tags = {
    Name = "nat-${var.tag}"
  }
  depends_on = [aws_internet_gateway.gw]
}
EOF
}
newdir() { W="$TMP/$1"; mkdir -p "$W"; cd "$W" || exit 1; }

# --- apply: attributes in state and in the emulator, no changes after ----------
newdir main
main_tf >main.tf
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check apply_succeeds '[ $rc -eq 0 ] &&
  grep -q "Resources: 5 added, 0 changed, 0 destroyed" apply.out' apply.out
VPC=$(attr aws_vpc.main id)
IGW=$(attr aws_internet_gateway.gw id)
EIP=$(attr aws_eip.nat id)
NAT=$(attr aws_nat_gateway.nat id)
SUB=$(attr aws_subnet.public id)
check state_has_ids '[[ "$IGW" == igw-* ]] && [[ "$EIP" == eipalloc-* ]] &&
  [[ "$NAT" == nat-* ]] && [ "$(attr aws_eip.nat allocation_id)" = "$EIP" ]'
check emulator_has_gateways '[ "$(nres igw)" -eq 1 ] && [ "$(nres eip)" -eq 1 ] &&
  [ "$(nres natgw)" -eq 1 ]'
check igw_attached_to_vpc \
  '[ "$(field igw "$IGW" "r[0][\"attachmentSet\"][0][\"vpcId\"]")" = "$VPC" ] &&
   [ "$(attr aws_internet_gateway.gw vpc_id)" = "$VPC" ]'
check igw_arn_and_owner \
  '[ "$(attr aws_internet_gateway.gw arn)" = \
     "arn:aws:ec2:us-east-1:123456789012:internet-gateway/$IGW" ] &&
   [ "$(attr aws_internet_gateway.gw owner_id)" = 123456789012 ]'
PIP=$(field eip "$EIP" "r[0]['publicIp']")
check eip_addresses '[ -n "$PIP" ] && [ "$(attr aws_nat_gateway.nat public_ip)" = "$PIP" ] &&
  [ "$(attr aws_nat_gateway.nat allocation_id)" = "$EIP" ] &&
  [ "$(attr aws_eip.nat domain)" = vpc ]'
check eip_public_dns \
  '[ "$(attr aws_eip.nat public_dns)" = "ec2-${PIP//./-}.compute-1.amazonaws.com" ] &&
   [ "$(attr aws_eip.nat arn)" = "arn:aws:ec2:us-east-1::elastic-ip/$EIP" ]'
check nat_attributes '[ "$(field natgw "$NAT" "r[0][\"state\"]")" = available ] &&
  [ "$(attr aws_nat_gateway.nat connectivity_type)" = public ] &&
  [ "$(attr aws_nat_gateway.nat subnet_id)" = "$SUB" ] &&
  [[ "$(attr aws_nat_gateway.nat network_interface_id)" == eni-* ]] &&
  [[ "$(attr aws_nat_gateway.nat association_id)" == eipassoc-* ]] &&
  [ "$(attr aws_nat_gateway.nat private_ip)" = \
    "$(field natgw "$NAT" "r[0][\"natGatewayAddressSet\"][0][\"privateIp\"]")" ]'
check nat_create_waited '[ "$(calls DescribeNatGateways)" -gt 1 ]'
check nat_create_sent_once '[ "$(calls CreateNatGateway)" -eq 1 ]'
check token_tags '[[ "$(token_of igw "$IGW")" =~ ^[0-9a-f]{32}$ ]] &&
  [[ "$(token_of eip "$EIP")" =~ ^[0-9a-f]{32}$ ]] &&
  [[ "$(token_of natgw "$NAT")" =~ ^[0-9a-f]{32}$ ]] &&
  [ "$(token_of igw "$IGW")" != "$(token_of natgw "$NAT")" ]'
check tags_at_create '[ "$(field natgw "$NAT" "r[0][\"_tags\"][\"Name\"]")" = nat-one ] &&
  [ "$(field eip "$EIP" "r[0][\"_tags\"][\"Suite\"]")" = aws_gateway ]'
check token_not_in_state '! cairn state show -no-color aws_nat_gateway.nat | grep -q "cairn:token"'
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check second_plan_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out

# --- tags in place -------------------------------------------------------------
calls_reset
cairn apply -auto-approve -no-color -var tag=two >apply.out 2>&1; rc=$?
check tags_update_in_place '[ $rc -eq 0 ] &&
  grep -q "Resources: 0 added, 3 changed, 0 destroyed" apply.out &&
  [ "$(field natgw "$NAT" "r[0][\"_tags\"][\"Name\"]")" = nat-two ] &&
  [ "$(field eip "$EIP" "r[0][\"_tags\"][\"Name\"]")" = eip-two ] &&
  [ "$(field igw "$IGW" "r[0][\"_tags\"][\"Name\"]")" = gw-two ] &&
  [ "$(attr aws_nat_gateway.nat id)" = "$NAT" ]' apply.out
check tags_update_no_create '[ "$(calls CreateNatGateway)" -eq 0 ] &&
  [ "$(calls AllocateAddress)" -eq 0 ] && [ "$(calls CreateTags)" -eq 3 ]'
# The EIP's association (made by the NAT gateway after the EIP was read) is
# in state after the next apply's refresh.
check eip_association_refreshed \
  '[ "$(attr aws_eip.nat network_interface)" = \
     "$(attr aws_nat_gateway.nat network_interface_id)" ] &&
   [[ "$(attr aws_eip.nat association_id)" == eipassoc-* ]] &&
   [[ "$(attr aws_eip.nat private_dns)" == ip-10-0-1-*.ec2.internal ]]'
check tags_update_kept_token '[[ "$(token_of natgw $NAT)" =~ ^[0-9a-f]{32}$ ]]'
cairn plan -detailed-exitcode -no-color -var tag=two >plan.out 2>&1; rc=$?
check tags_update_converged '[ $rc -eq 0 ]' plan.out

# --- drift: a NAT gateway deleted outside cairn ----------------------------------
# DeleteNatGateway leaves it listed as "deleted" (AWS: about an hour): gone.
ec2call DeleteNatGateway "{\"NatGatewayId\": \"$NAT\"}" >/dev/null
wait_field natgw "$NAT" "r[0]['state']" deleted
cairn plan -detailed-exitcode -no-color -var tag=two >plan.out 2>&1; rc=$?
check drift_deleted_nat_is_create '[ $rc -eq 2 ] &&
  grep -q "aws_nat_gateway.nat will be created" plan.out &&
  grep -q "1 to add, 0 to change, 0 to destroy" plan.out' plan.out
cairn apply -auto-approve -no-color -var tag=two >apply.out 2>&1; rc=$?
NAT2=$(attr aws_nat_gateway.nat id)
check drift_nat_recreated '[ $rc -eq 0 ] && [ "$(nres natgw)" -eq 1 ] &&
  [[ "$NAT2" == nat-* ]] && [ "$NAT2" != "$NAT" ] &&
  [ "$(field natgw "$NAT2" "r[0][\"state\"]")" = available ]' apply.out
admin POST /_emu/delete "{\"id\": \"$IGW\"}" >/dev/null
cairn plan -detailed-exitcode -no-color -var tag=two >plan.out 2>&1; rc=$?
check drift_deleted_igw_is_create '[ $rc -eq 2 ] &&
  grep -q "aws_internet_gateway.gw will be created" plan.out' plan.out
cairn apply -auto-approve -no-color -var tag=two >apply.out 2>&1; rc=$?
IGW2=$(attr aws_internet_gateway.gw id)
check drift_igw_recreated '[ $rc -eq 0 ] && [ "$(nres igw)" -eq 1 ] && [ "$IGW2" != "$IGW" ] &&
  [ "$(field igw "$IGW2" "r[0][\"attachmentSet\"][0][\"vpcId\"]")" = "$VPC" ]' apply.out
cairn plan -detailed-exitcode -no-color -var tag=two >plan.out 2>&1; rc=$?
check drift_converged '[ $rc -eq 0 ]' plan.out

# --- destroy leaves nothing --------------------------------------------------------
cairn destroy -auto-approve -no-color -var tag=two >destroy.out 2>&1; rc=$?
check destroy_succeeds '[ $rc -eq 0 ] && grep -q "Resources: 5 destroyed" destroy.out' \
  destroy.out
check destroy_leaves_nothing '[ "$(nres igw)" -eq 0 ] && [ "$(nres eip)" -eq 0 ] &&
  [ "$(nres natgw)" -eq 0 ] && [ "$(nres vpc)" -eq 0 ] && [ "$(nres subnet)" -eq 0 ] &&
  [ -z "$(cairn state list 2>/dev/null)" ]'

# --- an internet gateway moved to another VPC, in place ------------------------------
newdir move
provider_block "" >main.tf
cat >>main.tf <<'EOF'
variable "which" {
  default = "a"
}
resource "aws_vpc" "a" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_vpc" "b" {
  cidr_block = "10.2.0.0/16"
}
resource "aws_internet_gateway" "g" {
  vpc_id = var.which == "a" ? aws_vpc.a.id : aws_vpc.b.id
}
EOF
cairn apply -auto-approve -no-color >apply.out 2>&1
G=$(attr aws_internet_gateway.g id)
VB=$(attr aws_vpc.b id)
cairn apply -auto-approve -no-color -var which=b >apply.out 2>&1; rc=$?
check igw_move_in_place '[ $rc -eq 0 ] &&
  grep -q "Resources: 0 added, 1 changed, 0 destroyed" apply.out &&
  [ "$(attr aws_internet_gateway.g id)" = "$G" ] &&
  [ "$(field igw "$G" "r[0][\"attachmentSet\"][0][\"vpcId\"]")" = "$VB" ] &&
  [ "$(attr aws_internet_gateway.g vpc_id)" = "$VB" ]' apply.out
cairn destroy -auto-approve -no-color -var which=b >/dev/null 2>&1
check igw_move_destroyed '[ "$(nres igw)" -eq 0 ] && [ "$(nres vpc)" -eq 0 ]'

# --- a NAT gateway that fails (no internet gateway) is deleted again ----------------
newdir failed
provider_block "" >main.tf
cat >>main.tf <<'EOF'
resource "aws_vpc" "v" {
  cidr_block = "10.3.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.3.1.0/24"
}
resource "aws_eip" "e" {
  domain = "vpc"
}
resource "aws_nat_gateway" "n" {
  allocation_id = aws_eip.e.id
  subnet_id     = aws_subnet.s.id
}
EOF
start=$(date +%s)
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
check nat_failed_reported '[ $rc -ne 0 ] && grep -q "Gateway.NotAttached" apply.out &&
  grep -q "deleted again" apply.out && [ $took -le 60 ]' apply.out
check nat_failed_left_nothing '[ "$(nres natgw)" -eq 0 ] &&
  ! cairn state list 2>/dev/null | grep -q aws_nat_gateway' apply.out
cairn destroy -auto-approve -no-color >/dev/null 2>&1

# --- bounded retries: an internet gateway detach, an Elastic IP release ------------
# A NAT gateway made outside cairn holds the Elastic IP and maps a public
# address in the VPC: the release (InvalidIPAddress.InUse) and the detach
# (DependencyViolation) are retried for the delete timeout, then fail;
# once the NAT gateway is gone they succeed.
newdir blocked
provider_block "" >main.tf
cat >>main.tf <<'EOF'
variable "tmo" {
  default = "3s"
}
resource "aws_vpc" "v" {
  cidr_block = "10.4.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.4.1.0/24"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
  timeouts {
    delete = var.tmo
  }
}
resource "aws_eip" "e" {
  domain = "vpc"
  timeouts {
    delete = var.tmo
  }
}
EOF
cairn apply -auto-approve -no-color >apply.out 2>&1
G=$(attr aws_internet_gateway.g id)
E=$(attr aws_eip.e id)
FN=$(ec2call CreateNatGateway "{\"SubnetId\": \"$(attr aws_subnet.s id)\",
  \"AllocationId\": \"$E\"}" | grep -o 'nat-[0-9a-f]*' | head -1)
wait_field natgw "$FN" "r[0]['state']" available
start=$(date +%s)
cairn apply -auto-approve -no-color -replace=aws_eip.e >replace.out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
check eip_release_in_use_bounded '[ $rc -ne 0 ] && grep -q "InvalidIPAddress.InUse" replace.out &&
  [ $took -ge 2 ] && [ $took -le 30 ] && [ "$(field eip "$E" "r[0][\"allocationId\"]")" = "$E" ]' \
  replace.out
start=$(date +%s)
cairn apply -auto-approve -no-color -replace=aws_internet_gateway.g >replace.out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
check igw_detach_dependency_bounded '[ $rc -ne 0 ] && grep -q DependencyViolation replace.out &&
  [ $took -ge 2 ] && [ $took -le 30 ] &&
  [ "$(field igw "$G" "r[0][\"attachmentSet\"][0][\"vpcId\"]")" = "$(attr aws_vpc.v id)" ]' \
  replace.out
# Now with room to wait: the NAT gateway is deleted behind cairn's back.
"$CAIRN" apply -auto-approve -no-color -var tmo=60s -replace=aws_internet_gateway.g \
  -replace=aws_eip.e >replace.out 2>&1 &
RPID=$!
sleep 1.5
ec2call DeleteNatGateway "{\"NatGatewayId\": \"$FN\"}" >/dev/null
wait "$RPID"; rc=$?
check blocked_deletes_retried '[ $rc -eq 0 ] &&
  [ "$(field igw "$G" "r[0][\"internetGatewayId\"]")" = MISSING ] &&
  [ "$(field eip "$E" "r[0][\"allocationId\"]")" = MISSING ] &&
  [ "$(nres igw)" -eq 1 ] && [ "$(nres eip)" -eq 1 ]' replace.out
cairn destroy -auto-approve -no-color >/dev/null 2>&1

# --- CreateNatGateway re-sent with its ClientToken: one gateway -----------------------
# Every reply is lost after the call took effect; the client re-sends the same
# ClientToken (AWS answers with the same gateway), then finds it by its tag.
newdir token
main_tf "  max_retries = 2" >main.tf
admin POST /_emu/faults '{"drop_after_rate": 1.0, "actions": ["CreateNatGateway"]}' >/dev/null
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
admin POST /_emu/faults '{"drop_after_rate": 0, "actions": []}' >/dev/null
check nat_client_token_one_gateway '[ $rc -eq 0 ] && [ "$(calls CreateNatGateway)" -ge 2 ] &&
  [ "$(nres natgw)" -eq 1 ] &&
  [ "$(attr aws_nat_gateway.nat id)" = "$(admin GET "/_emu/resources?type=natgw" |
    python3 -c "import json,sys
print([n[\"natGatewayId\"] for n in json.load(sys.stdin)
       if n[\"state\"] != \"deleted\"][0])")" ]' \
  apply.out
cairn destroy -auto-approve -no-color >/dev/null 2>&1

# --- import of each type by its id ----------------------------------------------------
if cairn import -help 2>&1 | grep -q 'has no command named'; then
  echo "skip aws_gateway_import # cairn has no import verb yet"
else
  newdir import
  IV=$(ec2call CreateVpc '{"CidrBlock": "10.5.0.0/16"}' | grep -o 'vpc-[0-9a-f]*' | head -1)
  IS=$(ec2call CreateSubnet "{\"VpcId\": \"$IV\", \"CidrBlock\": \"10.5.1.0/24\"}" |
    grep -o 'subnet-[0-9a-f]*' | head -1)
  IG=$(ec2call CreateInternetGateway '{}' | grep -o 'igw-[0-9a-f]*' | head -1)
  ec2call AttachInternetGateway "{\"InternetGatewayId\": \"$IG\", \"VpcId\": \"$IV\"}" >/dev/null
  IE=$(ec2call AllocateAddress '{"Domain": "vpc"}' | grep -o 'eipalloc-[0-9a-f]*' | head -1)
  IN=$(ec2call CreateNatGateway "{\"SubnetId\": \"$IS\", \"AllocationId\": \"$IE\"}" |
    grep -o 'nat-[0-9a-f]*' | head -1)
  wait_field natgw "$IN" "r[0]['state']" available
  NO_DEFAULT_TAGS=1 provider_block "" >main.tf
  cat >>main.tf <<EOF
resource "aws_internet_gateway" "g" {
  vpc_id = "$IV"
}
resource "aws_eip" "e" {
  domain = "vpc"
}
resource "aws_nat_gateway" "n" {
  allocation_id = "$IE"
  subnet_id     = "$IS"
}
EOF
  cairn import -no-color aws_internet_gateway.g "$IG" >import.out 2>&1; rc1=$?
  cairn import -no-color aws_eip.e "$IE" >>import.out 2>&1; rc2=$?
  cairn import -no-color aws_nat_gateway.n "$IN" >>import.out 2>&1; rc3=$?
  check import_each_type '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $rc3 -eq 0 ] &&
    [ "$(attr aws_internet_gateway.g vpc_id)" = "$IV" ] &&
    [ "$(attr aws_eip.e public_ip)" = "$(field eip "$IE" "r[0][\"publicIp\"]")" ] &&
    [ "$(attr aws_nat_gateway.n subnet_id)" = "$IS" ] &&
    [ "$(attr aws_nat_gateway.n allocation_id)" = "$IE" ]' import.out
  cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
  check import_then_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
  mkdir -p bad && NO_DEFAULT_TAGS=1 provider_block "" >bad/main.tf
  cat >>bad/main.tf <<EOF
resource "aws_eip" "x" {}
resource "aws_nat_gateway" "x" {
  subnet_id         = "$IS"
  connectivity_type = "private"
}
EOF
  cairn -chdir=bad import -no-color aws_eip.x eipalloc-0123456789abcdef0 >bad.out 2>&1; rc1=$?
  cairn -chdir=bad import -no-color aws_nat_gateway.x "igw-0123" >>bad.out 2>&1; rc2=$?
  check import_bad_ids '[ $rc1 -ne 0 ] && [ $rc2 -ne 0 ] &&
    grep -q "Cannot import non-existent remote object" bad.out &&
    grep -q "Invalid import id" bad.out' bad.out
  cairn destroy -auto-approve -no-color >/dev/null 2>&1
  check import_destroyed '[ "$(nres natgw)" -eq 0 ] && [ "$(nres igw)" -eq 0 ] &&
    [ "$(nres eip)" -eq 0 ]'
  ec2call DeleteSubnet "{\"SubnetId\": \"$IS\"}" >/dev/null
  ec2call DeleteVpc "{\"VpcId\": \"$IV\"}" >/dev/null
fi

# --- configuration errors ---------------------------------------------------------------
newdir config
provider_block "" >main.tf
cat >>main.tf <<'EOF'
resource "aws_vpc" "v" {
  cidr_block = "10.6.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.6.1.0/24"
}
resource "aws_nat_gateway" "n" {
  subnet_id         = aws_subnet.s.id
  connectivity_type = "sideways"
}
resource "aws_eip" "e" {
  network_interface = "eni-0123456789abcdef0"
}
EOF
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check invalid_arguments_rejected '[ $rc -ne 0 ] &&
  grep -q "Invalid connectivity_type" apply.out &&
  grep -q "Argument not supported yet" apply.out &&
  [ "$(nres natgw)" -eq 0 ] && [ "$(nres eip)" -eq 0 ]' apply.out
cairn destroy -auto-approve -no-color >/dev/null 2>&1

# --- batched refresh: 250 EIPs, 250 internet gateways, 20 NAT gateways ------------------
newdir many
provider_block "" >main.tf
cat >>main.tf <<'EOF'
variable "n" {
  default = 250
}
resource "aws_vpc" "v" {
  cidr_block = "10.7.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.7.1.0/24"
}
resource "aws_eip" "e" {
  count  = var.n
  domain = "vpc"
}
resource "aws_internet_gateway" "g" {
  count = var.n
}
resource "aws_nat_gateway" "n" {
  count             = 20
  connectivity_type = "private"
  subnet_id         = aws_subnet.s.id
}
EOF
cairn apply -auto-approve -no-color -parallelism=20 >apply.out 2>&1; rc=$?
check many_apply '[ $rc -eq 0 ] && grep -q "Resources: 522 added" apply.out &&
  [ "$(nres eip)" -eq 250 ] && [ "$(nres igw)" -eq 250 ] && [ "$(nres natgw)" -eq 20 ]' \
  apply.out
calls_reset
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
da=$(calls DescribeAddresses); di=$(calls DescribeInternetGateways)
dn=$(calls DescribeNatGateways); all=$(calls)
echo "# refresh of 250 EIPs, 250 IGWs, 20 NATs: $da DescribeAddresses," \
  "$di DescribeInternetGateways, $dn DescribeNatGateways, $all calls in all"
check many_refresh_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
check many_refresh_batched '[ "$da" -eq 2 ] && [ "$di" -le 4 ] && [ "$dn" -eq 1 ]'
admin POST /_emu/config '{"max_page": 5}' >/dev/null
calls_reset
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
da=$(calls DescribeAddresses); di=$(calls DescribeInternetGateways)
dn=$(calls DescribeNatGateways)
echo "# with 5-item pages: $da DescribeAddresses, $di DescribeInternetGateways," \
  "$dn DescribeNatGateways"
check many_refresh_small_pages '[ $rc -eq 0 ] && [ "$da" -eq 2 ] && [ "$di" -eq 50 ] &&
  [ "$dn" -eq 4 ]' plan.out
admin POST /_emu/config '{"max_page": 100}' >/dev/null
cairn destroy -auto-approve -no-color -parallelism=20 >destroy.out 2>&1; rc=$?
check many_destroy '[ $rc -eq 0 ] && [ "$(nres eip)" -eq 0 ] && [ "$(nres igw)" -eq 0 ] &&
  [ "$(nres natgw)" -eq 0 ] && [ "$(nres vpc)" -eq 0 ]' destroy.out

# --- nothing left, no secret anywhere ---------------------------------------------------
check emulator_empty '[ "$(admin GET /_emu/resources | python3 -c "import json,sys
print(len([r for r in json.load(sys.stdin) if r[\"_type\"] in
  (\"vpc\", \"subnet\", \"igw\", \"eip\", \"eni\") or
  (r[\"_type\"] == \"natgw\" and r.get(\"state\") != \"deleted\")]))")" -eq 0 ]'
check no_secret_in_outputs "! grep -rqF --include='*.out' -- '$SECRET' '$TMP'"
check no_sanitizer_reports \
  "! grep -rqE --include='*.out' 'AddressSanitizer|LeakSanitizer|runtime error:' '$TMP'"
