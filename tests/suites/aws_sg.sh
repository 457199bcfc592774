#!/usr/bin/env bash
# tests/suites/aws_sg.sh — aws_security_group, aws_vpc_security_group_ingress_rule
# and aws_vpc_security_group_egress_rule end to end: the cairn command line,
# the aws plugin and the AWS emulator (tests/awsemu/server.py).
#   - apply of a VPC, a group with inline rules (several CIDR blocks in one
#     block, self, a group source, protocol -1, a protocol number), a group
#     with a generated name and separate ingress / egress rule resources:
#     state, the emulator's rules, the default egress rule removed, the
#     cairn:token tag on groups and rules, a second plan with no changes;
#   - inline rules added and removed in place; a rule resource changed in
#     place (ModifySecurityGroupRules); a description change replaces;
#   - drift: a rule revoked outside cairn is an update, a group deleted
#     outside cairn is re-created (with its rules);
#   - attributes as blocks: `ingress = []` revokes every ingress rule, an
#     unset direction is not managed (kept, never touched);
#   - import of each type; revoke_rules_on_delete; configuration errors;
#   - a delete blocked by another group's rule retries DependencyViolation
#     for the delete timeout only;
#   - a refresh of many groups and rules costs one Describe per 200 ids;
#   - destroy leaves no group but the VPC defaults (and then nothing).
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
  [ -n "${3:-}" ] && [ -f "$3" ] && tail -12 "$3" | sed 's/^/# | /'
  return 0
}
# Every run is bounded, so that a regression fails instead of hanging.
cairn() { timeout -k 5 240 "$CAIRN" "$@"; }

if [ ! -f "$ROOT/tests/awsemu/server.py" ]; then
  echo "skip aws_sg # tests/awsemu/server.py not present"; exit 0
fi
TMP=$(mktemp -d)
EMU_LOG="$TMP/calls.jsonl"
. "$ROOT/tests/awsemu/emu.sh"
cleanup() {
  emu_stop
  if [ -n "${KEEP_TMP:-}" ]; then echo "# kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
if ! emu_start --time-scale 0.01; then
  echo "not ok aws_sg_emulator_starts"; exit 1
fi
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION \
  AWS_DEFAULT_REGION AWS_ENDPOINT_URL

# admin METHOD PATH [JSON]: the emulator's admin interface (python, no curl needed).
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
# calls [action]: AWS calls logged since the last calls_reset.
calls() { admin GET "/_emu/calls/count${1:+?action=$1}" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["count"])'; }
calls_reset() { admin POST /_emu/calls/reset >/dev/null; }
# nres TYPE: how many resources of TYPE the emulator holds.
nres() { admin GET "/_emu/resources?type=$1" | python3 -c \
  'import json,sys; print(len(json.load(sys.stdin)))'; }
# ngroups: security groups other than the VPCs' default ones.
ngroups() { admin GET "/_emu/resources?type=sg" | python3 -c \
  'import json,sys; print(len([g for g in json.load(sys.stdin)
                                if g["groupName"] != "default"]))'; }
# rules GID: the group's rules, one line each, sorted:
# "in|out PROTO FROM TO SOURCE [DESCRIPTION]".
rules() { admin GET "/_emu/resources?type=sgr" | python3 -c "
import json,sys
out=[]
for r in json.load(sys.stdin):
    if r['groupId'] != '$1': continue
    src = r.get('cidrIpv4') or r.get('cidrIpv6') or r.get('prefixListId') or \
          r.get('referencedGroupInfo', {}).get('groupId')
    line = '%s %s %s %s %s' % ('out' if r['isEgress'] else 'in', r['ipProtocol'],
                               r.get('fromPort'), r.get('toPort'), src)
    if r.get('description'): line += ' ' + r['description']
    out.append(line)
print('\n'.join(sorted(out)))"; }
# field TYPE ID EXPR: a python expression over r, the list holding the
# resource of TYPE (sg, sgr) with ID.
field() { admin GET "/_emu/resources?type=$1" | python3 -c "
import json,sys
key={'sg':'groupId','sgr':'securityGroupRuleId'}['$1']
r=[x for x in json.load(sys.stdin) if x.get(key)=='$2']
print($3 if r else 'MISSING')" 2>/dev/null; }
# attr ADDR NAME: a top-level string attribute of an instance in cairn's state.
attr() { cairn state show -no-color "$1" 2>/dev/null |
  sed -n "s/^    $2 *= \"\\(.*\\)\"\$/\\1/p" | head -1; }
# ec2 ACTION JSON-PARAMS: an EC2 call made outside cairn (drift, imports).
ec2() { admin POST /_emu/call "{\"service\": \"ec2\", \"action\": \"$1\", \"params\": $2}"; }

# provider_block [nodefault]: the provider, with default_tags unless told.
provider_block() {
  local dt='  default_tags {
    tags = { Suite = "aws_sg" }
  }'
  [ "${1:-}" = nodefault ] && dt=""
  cat <<EOF
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  endpoints {
    ec2 = "$EMU_URL"
    sts = "$EMU_URL"
  }
$dt
}
EOF
}
# main_tf: the VPC, group "web" with inline rules, group "admin" (generated
# name, no rules), group "app" whose rules are separate resources.
# Variables switch the changes.
main_tf() {
  provider_block
  cat <<'EOF'
variable "extra_rule" {
  default = false
}
variable "app_desc" {
  default = "application"
}
variable "app_port" {
  default = 8080
}
variable "app_out_cidr" {
  default = null
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.1.0.0/16", "10.0.0.0/16"]
  }
  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "6"
    security_groups = [aws_security_group.admin.id]
  }
  dynamic "ingress" {
    for_each = var.extra_rule ? [1] : []
    content {
      from_port   = 8
      to_port     = 0
      protocol    = "icmp"
      cidr_blocks = ["192.168.0.0/24"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = {
    Name = "web"
  }
}

resource "aws_security_group" "admin" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "app" {
  name_prefix = "app-"
  description = var.app_desc
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "app_in" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "10.0.0.0/16"
  ip_protocol       = "tcp"
  from_port         = var.app_port
  to_port           = var.app_port
  description       = "app port"
  tags = {
    Name = "app-in"
  }
}

resource "aws_vpc_security_group_egress_rule" "app_out" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = var.app_out_cidr == null ? aws_security_group.web.id : null
  cidr_ipv4                    = var.app_out_cidr
  ip_protocol                  = "-1"
}
EOF
}
newdir() { W="$TMP/$1"; mkdir -p "$W"; cd "$W" || exit 1; }

# --- apply: state, emulator, default egress removed, token tags -------------------
newdir main
main_tf >main.tf
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check apply_succeeds '[ $rc -eq 0 ] &&
  grep -q "Resources: 6 added, 0 changed, 0 destroyed" apply.out' apply.out
WEB=$(attr aws_security_group.web id)
ADMIN=$(attr aws_security_group.admin id)
APP=$(attr aws_security_group.app id)
RIN=$(attr aws_vpc_security_group_ingress_rule.app_in id)
ROUT=$(attr aws_vpc_security_group_egress_rule.app_out id)
check state_has_ids '[[ "$WEB" == sg-* ]] && [[ "$APP" == sg-* ]] && [[ "$ADMIN" == sg-* ]] &&
  [[ "$RIN" == sgr-* ]] && [[ "$ROUT" == sgr-* ]]'
check state_computed_attrs '
  [ "$(attr aws_security_group.web arn)" = \
    "arn:aws:ec2:us-east-1:123456789012:security-group/$WEB" ] &&
  [ "$(attr aws_security_group.web owner_id)" = 123456789012 ] &&
  [ "$(attr aws_vpc_security_group_ingress_rule.app_in security_group_rule_id)" = "$RIN" ] &&
  [[ "$(attr aws_vpc_security_group_ingress_rule.app_in arn)" == *":security-group-rule/$RIN" ]]'
ADMINNAME=$(attr aws_security_group.admin name)
check generated_name '[[ "$ADMINNAME" =~ ^terraform-[0-9]{18}[0-9a-f]{8}$ ]] &&
  [ "$(attr aws_security_group.admin name_prefix)" = terraform- ] &&
  [ "$(attr aws_security_group.admin description)" = "Managed by Terraform" ] &&
  [ "$(field sg "$ADMIN" "r[0][\"groupName\"]")" = "$ADMINNAME" ] &&
  [[ "$(attr aws_security_group.app name)" =~ ^app-[0-9]{18}[0-9a-f]{8}$ ]]'
want_web="in -1 -1 -1 $WEB
in tcp 22 22 $ADMIN
in tcp 443 443 10.0.0.0/16 https
in tcp 443 443 10.1.0.0/16 https
out -1 -1 -1 0.0.0.0/0"
check emulator_web_rules '[ "$(rules "$WEB")" = "$want_web" ]'
want_app="in tcp 8080 8080 10.0.0.0/16 app port
out -1 -1 -1 $WEB"
check emulator_app_rules_default_egress_removed '[ "$(rules "$APP")" = "$want_app" ] &&
  [ -z "$(rules "$ADMIN")" ]'
check token_tag_on_group \
  '[[ "$(field sg "$WEB" "r[0][\"_tags\"].get(\"cairn:token\",\"\")")" =~ ^[0-9a-f]{32}$ ]]'
check token_tag_on_rule \
  '[[ "$(field sgr "$RIN" "r[0][\"_tags\"].get(\"cairn:token\",\"\")")" =~ ^[0-9a-f]{32}$ ]] &&
   [ "$(field sgr "$RIN" "r[0][\"_tags\"].get(\"Name\",\"\")")" = app-in ]'
check token_not_in_state \
  '! cairn state show -no-color aws_security_group.web | grep -q "cairn:token"'
check state_inline_rule_kept_together \
  'cairn state show -no-color aws_security_group.web | tr -d " \n" |
   grep -q "cidr_blocks=\[\"10.1.0.0/16\",\"10.0.0.0/16\",\]"'
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check second_plan_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
# No ingress blocks: not managed; a refresh records the rules there are.
cairn apply -refresh-only -auto-approve -no-color >refresh.out 2>&1; rc=$?
check state_unmanaged_rules_reported '[ $rc -eq 0 ] &&
  cairn state show -no-color aws_security_group.app | grep -q "from_port *= 8080" &&
  cairn state show -no-color aws_security_group.admin | grep -q "ingress *= \[\]"' refresh.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check unmanaged_rules_no_changes '[ $rc -eq 0 ]' plan.out

# --- inline rules added and removed in place -----------------------------------------
calls_reset
cairn apply -auto-approve -no-color -var extra_rule=true >apply.out 2>&1; rc=$?
check inline_rule_added_in_place '[ $rc -eq 0 ] &&
  grep -q "0 added, 1 changed, 0 destroyed" apply.out &&
  [[ "$(rules "$WEB")" == *"in icmp 8 0 192.168.0.0/24"* ]] &&
  [ "$(rules "$WEB" | wc -l)" -eq 6 ] && [ "$(calls RevokeSecurityGroupIngress)" -eq 0 ] &&
  [ "$(attr aws_security_group.web id)" = "$WEB" ]' apply.out
cairn plan -detailed-exitcode -no-color -var extra_rule=true >plan.out 2>&1; rc=$?
check inline_rule_added_converged '[ $rc -eq 0 ]' plan.out
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check inline_rule_removed_in_place '[ $rc -eq 0 ] &&
  grep -q "0 added, 1 changed, 0 destroyed" apply.out &&
  [ "$(rules "$WEB")" = "$want_web" ]' apply.out

# --- a rule resource changed in place -------------------------------------------------
calls_reset
cairn apply -auto-approve -no-color -var app_port=9090 >apply.out 2>&1; rc=$?
check rule_resource_modified_in_place '[ $rc -eq 0 ] &&
  grep -q "0 added, 1 changed, 0 destroyed" apply.out &&
  [ "$(calls ModifySecurityGroupRules)" -eq 1 ] &&
  [ "$(attr aws_vpc_security_group_ingress_rule.app_in id)" = "$RIN" ] &&
  [ "$(field sgr "$RIN" "r[0][\"fromPort\"]")" = 9090 ]' apply.out
cairn plan -detailed-exitcode -no-color -var app_port=9090 >plan.out 2>&1; rc=$?
check rule_resource_modified_converged '[ $rc -eq 0 ]' plan.out
# Another kind of peer needs a new rule (ModifySecurityGroupRules cannot do it).
cairn plan -detailed-exitcode -no-color -var app_port=9090 -var app_out_cidr=10.0.0.0/8 \
  >plan.out 2>&1; rc=$?
check rule_resource_peer_kind_replaces '[ $rc -eq 2 ] &&
  grep -q "aws_vpc_security_group_egress_rule.app_out must be replaced" plan.out &&
  grep -q "1 to add, 0 to change, 1 to destroy" plan.out' plan.out

# --- drift: a rule revoked outside cairn -----------------------------------------------
ec2 RevokeSecurityGroupIngress "{\"GroupId\": \"$WEB\", \"IpPermissions.1.IpProtocol\": \"tcp\",
  \"IpPermissions.1.FromPort\": 443, \"IpPermissions.1.ToPort\": 443,
  \"IpPermissions.1.IpRanges.1.CidrIp\": \"10.1.0.0/16\"}" >/dev/null
check drift_revoked_in_emulator '[ "$(rules "$WEB" | wc -l)" -eq 4 ]'
cairn plan -detailed-exitcode -no-color -var app_port=9090 >plan.out 2>&1; rc=$?
check drift_revoked_rule_is_update '[ $rc -eq 2 ] &&
  grep -q "aws_security_group.web will be updated in-place" plan.out &&
  grep -q "0 to add, 1 to change, 0 to destroy" plan.out' plan.out
# Attributes as blocks are drawn as Terraform draws them, as a set attribute:
# the refreshed rule (one CIDR left) deleted, the configured one added, the
# other rules hidden.
cat >want_ingress <<'EOF'
      ~ ingress                = [
          - {
              - cidr_blocks      = [
                  - "10.0.0.0/16",
                ]
              - description      = "https"
              - from_port        = 443
              - ipv6_cidr_blocks = []
              - prefix_list_ids  = []
              - protocol         = "tcp"
              - security_groups  = []
              - self             = false
              - to_port          = 443
            },
          + {
              + cidr_blocks      = [
                  + "10.1.0.0/16",
                  + "10.0.0.0/16",
                ]
              + description      = "https"
              + from_port        = 443
              + ipv6_cidr_blocks = []
              + prefix_list_ids  = []
              + protocol         = "tcp"
              + security_groups  = []
              + self             = false
              + to_port          = 443
            },
            # (2 unchanged elements hidden)
        ]
EOF
sed -n '/^      ~ ingress /,/^        \]$/p' plan.out >got_ingress
check drift_revoked_rule_plan_text 'diff -u want_ingress got_ingress >ingress.diff' ingress.diff
cairn apply -auto-approve -no-color -var app_port=9090 >apply.out 2>&1; rc=$?
check drift_revoked_rule_restored '[ $rc -eq 0 ] && [ "$(rules "$WEB")" = "$want_web" ]' apply.out
ec2 RevokeSecurityGroupIngress "{\"GroupId\": \"$APP\", \"SecurityGroupRuleId.1\": \"$RIN\"}" \
  >/dev/null
cairn plan -detailed-exitcode -no-color -var app_port=9090 >plan.out 2>&1; rc=$?
check drift_revoked_rule_resource_is_create '[ $rc -eq 2 ] &&
  grep -q "aws_vpc_security_group_ingress_rule.app_in will be created" plan.out &&
  grep -q "1 to add, 0 to change, 0 to destroy" plan.out' plan.out
cairn apply -auto-approve -no-color -var app_port=9090 >apply.out 2>&1; rc=$?
RIN=$(attr aws_vpc_security_group_ingress_rule.app_in id)
check drift_rule_resource_recreated '[ $rc -eq 0 ] &&
  [ "$(field sgr "$RIN" "r[0][\"fromPort\"]")" = 9090 ]' apply.out

# --- drift: a group deleted outside cairn ------------------------------------------------
admin POST /_emu/delete "{\"id\": \"$APP\"}" >/dev/null
cairn plan -detailed-exitcode -no-color -var app_port=9090 >plan.out 2>&1; rc=$?
check drift_deleted_group_is_create '[ $rc -eq 2 ] &&
  grep -q "aws_security_group.app will be created" plan.out &&
  grep -q "aws_vpc_security_group_ingress_rule.app_in will be created" plan.out' plan.out
cairn apply -auto-approve -no-color -var app_port=9090 >apply.out 2>&1; rc=$?
APP2=$(attr aws_security_group.app id)
check drift_deleted_group_recreated '[ $rc -eq 0 ] && [[ "$APP2" == sg-* ]] &&
  [ "$APP2" != "$APP" ] && [ "$(rules "$APP2" | wc -l)" -eq 2 ] &&
  grep -q "3 added, 0 changed, 0 destroyed" apply.out' apply.out
cairn plan -detailed-exitcode -no-color -var app_port=9090 >plan.out 2>&1; rc=$?
check drift_deleted_group_converged '[ $rc -eq 0 ]' plan.out
APP=$APP2

# --- a description change replaces the group (and its rule resources) --------------
cairn apply -auto-approve -no-color -var app_port=9090 -var app_desc="app tier" \
  >apply.out 2>&1; rc=$?
APP3=$(attr aws_security_group.app id)
check description_change_replaces '[ $rc -eq 0 ] &&
  grep -q "3 added, 0 changed, 3 destroyed" apply.out &&
  [ "$APP3" != "$APP" ] && [ "$(field sg "$APP" "r[0][\"groupId\"]")" = MISSING ] &&
  [ "$(field sg "$APP3" "r[0][\"groupDescription\"]")" = "app tier" ] &&
  [ "$(rules "$APP3" | wc -l)" -eq 2 ]' apply.out
cairn plan -detailed-exitcode -no-color -var app_port=9090 -var app_desc="app tier" \
  >plan.out 2>&1; rc=$?
check description_change_converged '[ $rc -eq 0 ]' plan.out

# --- destroy ------------------------------------------------------------------------------
cairn destroy -auto-approve -no-color -var app_port=9090 -var app_desc="app tier" \
  >destroy.out 2>&1; rc=$?
check destroy_succeeds '[ $rc -eq 0 ] && grep -q "Resources: 6 destroyed" destroy.out' destroy.out
check destroy_leaves_nothing '[ "$(ngroups)" -eq 0 ] && [ "$(nres sgr)" -eq 0 ] &&
  [ "$(nres vpc)" -eq 0 ] && [ -z "$(cairn state list 2>/dev/null)" ]'

# --- import of each type ------------------------------------------------------------------
newdir import
VPC=$(ec2 CreateVpc '{"CidrBlock": "10.5.0.0/16"}' | grep -o 'vpc-[0-9a-f]*' | head -1)
IG=$(ec2 CreateSecurityGroup "{\"GroupName\": \"imp\", \"GroupDescription\": \"imported\",
  \"VpcId\": \"$VPC\"}" | grep -o 'sg-[0-9a-f]*' | head -1)
IIN=$(ec2 AuthorizeSecurityGroupIngress "{\"GroupId\": \"$IG\",
  \"IpPermissions.1.IpProtocol\": \"tcp\", \"IpPermissions.1.FromPort\": 80,
  \"IpPermissions.1.ToPort\": 80, \"IpPermissions.1.IpRanges.1.CidrIp\": \"10.5.0.0/16\"}" |
  grep -o 'sgr-[0-9a-f]*' | head -1)
IOUT=$(admin GET "/_emu/resources?type=sgr" | python3 -c "import json,sys
print([r['securityGroupRuleId'] for r in json.load(sys.stdin)
       if r['groupId'] == '$IG' and r['isEgress']][0])")
provider_block nodefault >main.tf
cat >>main.tf <<EOF
resource "aws_security_group" "imp" {
  name        = "imp"
  description = "imported"
  vpc_id      = "$VPC"
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.5.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "imp" {
  security_group_id = "$IG"
  cidr_ipv4         = "10.5.0.0/16"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}
resource "aws_vpc_security_group_egress_rule" "imp" {
  security_group_id = "$IG"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
EOF
cairn import -no-color aws_security_group.imp "$IG" >import.out 2>&1; rc1=$?
cairn import -no-color aws_vpc_security_group_ingress_rule.imp "$IIN" >>import.out 2>&1; rc2=$?
cairn import -no-color aws_vpc_security_group_egress_rule.imp "$IOUT" >>import.out 2>&1; rc3=$?
check import_each_type '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $rc3 -eq 0 ] &&
  [ "$(attr aws_security_group.imp id)" = "$IG" ] &&
  [ "$(attr aws_vpc_security_group_ingress_rule.imp id)" = "$IIN" ] &&
  [ "$(attr aws_vpc_security_group_egress_rule.imp id)" = "$IOUT" ]' import.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check import_then_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
cairn state rm aws_vpc_security_group_egress_rule.imp >/dev/null 2>&1
cairn import -no-color aws_vpc_security_group_egress_rule.imp "$IIN" >wrong.out 2>&1; rc=$?
check import_wrong_direction_refused '[ $rc -ne 0 ] &&
  grep -q "Cannot import non-existent remote object" wrong.out' wrong.out
cairn state rm aws_vpc_security_group_ingress_rule.imp >/dev/null 2>&1
sed -i '/^resource "aws_vpc_security_group_ingress_rule" "imp"/,$d' main.tf
sed -i 's/^  name        = "imp"/  name        = "imp"\n  revoke_rules_on_delete = true/' main.tf
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check revoke_rules_on_delete_set '[ $rc -eq 0 ]' apply.out
calls_reset
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check destroy_revokes_rules_first '[ $rc -eq 0 ] &&
  [ "$(calls RevokeSecurityGroupIngress)" -eq 1 ] &&
  [ "$(calls RevokeSecurityGroupEgress)" -eq 1 ] &&
  [ "$(field sg "$IG" "r[0][\"groupId\"]")" = MISSING ]' destroy.out
ec2 DeleteVpc "{\"VpcId\": \"$VPC\"}" >/dev/null

# --- attributes as blocks: `ingress = []` ---------------------------------------------
# `ingress = []` revokes every ingress rule; egress with neither blocks nor
# the argument is not managed: its rule stays in AWS and in the state, and no
# call touches it.  A new group's unset directions are known after apply.
newdir asattr
provider_block >main.tf
cat >>main.tf <<'EOF'
resource "aws_vpc" "v" {
  cidr_block = "10.7.0.0/16"
}
resource "aws_security_group" "g" {
  name   = "asattr"
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "bare" {
  name   = "bare"
  vpc_id = aws_vpc.v.id
}
EOF
cairn plan -no-color >plan.out 2>&1; rc=$?
check unset_rules_known_after_apply '[ $rc -eq 0 ] &&
  [ "$(grep -c "+ ingress *= (known after apply)" plan.out)" -eq 1 ] &&
  [ "$(grep -c "+ egress *= (known after apply)" plan.out)" -eq 1 ]' plan.out
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
G=$(attr aws_security_group.g id)
check asattr_applied '[ $rc -eq 0 ] && [ "$(rules "$G" | wc -l)" -eq 2 ]' apply.out
python3 - main.tf <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r"  ingress \{.*?\n  \}\n", "  ingress = []\n", s, flags=re.S)
s = re.sub(r"  egress \{.*?\n  \}\n", "", s, flags=re.S)
open(sys.argv[1], "w").write(s)
PY
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check empty_ingress_plans_revoke '[ $rc -eq 2 ] &&
  grep -q "aws_security_group.g will be updated in-place" plan.out &&
  grep -q "Plan: 0 to add, 1 to change, 0 to destroy." plan.out &&
  ! grep -q "egress" plan.out && ! grep -q "ingress {" plan.out &&
  grep -A1 "~ ingress *= \[$" plan.out | grep -q "^          - {$"' plan.out
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check empty_ingress_revokes_unset_egress_kept '[ $rc -eq 0 ] &&
  [ "$(calls RevokeSecurityGroupIngress)" -eq 1 ] && [ "$(calls RevokeSecurityGroupEgress)" -eq 0 ] &&
  [ "$(rules "$G")" = "out -1 -1 -1 0.0.0.0/0" ]' apply.out
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check empty_ingress_converged '[ $rc -eq 0 ]' plan.out
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check asattr_destroyed '[ $rc -eq 0 ] && [ "$(ngroups)" -eq 0 ]' destroy.out

# --- configuration errors ------------------------------------------------------------------
newdir config
provider_block >main.tf
cat >>main.tf <<'EOF'
resource "aws_vpc" "v" {
  cidr_block = "10.6.0.0/16"
}
resource "aws_security_group" "bad" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
EOF
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check protocol_all_needs_zero_ports '[ $rc -ne 0 ] &&
  grep -q "must both be 0" apply.out && [ "$(ngroups)" -eq 0 ]' apply.out
provider_block >main.tf
cat >>main.tf <<'EOF'
resource "aws_vpc" "v" {
  cidr_block = "10.6.0.0/16"
}
resource "aws_security_group" "g" {
  name_prefix = "pre-"
  vpc_id      = aws_vpc.v.id
}
resource "aws_vpc_security_group_ingress_rule" "two" {
  security_group_id = aws_security_group.g.id
  cidr_ipv4         = "10.0.0.0/8"
  prefix_list_id    = "pl-0123456789abcdef0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}
EOF
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check rule_needs_exactly_one_peer '[ $rc -ne 0 ] &&
  grep -q "Exactly one of these attributes" apply.out &&
  [ -z "$(rules "$(attr aws_security_group.g id)")" ]' apply.out
cairn destroy -auto-approve -no-color >/dev/null 2>&1

# --- a delete blocked by another group's rule: bounded DependencyViolation retries ------
# -replace deletes with the configured timeouts { delete } (4 s here).
newdir dependency
VPC=$(ec2 CreateVpc '{"CidrBlock": "10.9.0.0/16"}' | grep -o 'vpc-[0-9a-f]*' | head -1)
provider_block >main.tf
cat >>main.tf <<EOF
resource "aws_security_group" "dep" {
  name   = "dep"
  vpc_id = "$VPC"
  timeouts {
    delete = "4s"
  }
}
EOF
cairn apply -auto-approve -no-color >apply.out 2>&1
D=$(attr aws_security_group.dep id)
OTHER=$(ec2 CreateSecurityGroup "{\"GroupName\": \"other\", \"GroupDescription\": \"x\",
  \"VpcId\": \"$VPC\"}" | grep -o 'sg-[0-9a-f]*' | head -1)
ec2 AuthorizeSecurityGroupIngress "{\"GroupId\": \"$OTHER\",
  \"IpPermissions.1.IpProtocol\": \"-1\", \"IpPermissions.1.Groups.1.GroupId\": \"$D\"}" >/dev/null
calls_reset
start=$(date +%s)
cairn apply -auto-approve -no-color -replace=aws_security_group.dep >replace.out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
check delete_dependency_bounded '[ $rc -ne 0 ] && grep -q DependencyViolation replace.out &&
  [ $took -ge 3 ] && [ $took -le 20 ] && [ "$(field sg "$D" "r[0][\"groupId\"]")" = "$D" ] &&
  [ "$(calls DeleteSecurityGroup)" -ge 2 ]' replace.out
ec2 DeleteSecurityGroup "{\"GroupId\": \"$OTHER\"}" >/dev/null
cairn destroy -auto-approve -no-color >destroy.out 2>&1; rc=$?
check delete_after_dependency_gone '[ $rc -eq 0 ] && [ "$(ngroups)" -eq 0 ]' destroy.out
ec2 DeleteVpc "{\"VpcId\": \"$VPC\"}" >/dev/null

# --- many groups and rules: batched refresh ---------------------------------------------
newdir many
provider_block >main.tf
cat >>main.tf <<'EOF'
variable "n" {
  default = 210
}
resource "aws_vpc" "v" {
  cidr_block = "10.7.0.0/16"
}
resource "aws_security_group" "g" {
  count  = var.n
  name   = "g-${count.index}"
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.7.0.0/16"]
  }
}
resource "aws_vpc_security_group_egress_rule" "r" {
  count             = var.n
  security_group_id = aws_security_group.g[count.index].id
  cidr_ipv4         = "10.8.0.0/16"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}
EOF
cairn apply -auto-approve -no-color -parallelism=20 >apply.out 2>&1; rc=$?
check many_apply '[ $rc -eq 0 ] && grep -q "Resources: 421 added" apply.out &&
  [ "$(ngroups)" -eq 210 ]' apply.out
calls_reset
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
dsg=$(calls DescribeSecurityGroups); dsr=$(calls DescribeSecurityGroupRules)
echo "# refresh of 210 groups and 210 rules: $dsg DescribeSecurityGroups," \
  "$dsr DescribeSecurityGroupRules, $(calls) calls in all"
check many_refresh_no_changes '[ $rc -eq 0 ] && grep -q "No changes." plan.out' plan.out
check many_refresh_batched '[ "$dsg" -ge 2 ] && [ "$dsg" -le 4 ] &&
  [ "$dsr" -ge 2 ] && [ "$dsr" -le 4 ]'
cairn destroy -auto-approve -no-color -parallelism=20 >destroy.out 2>&1; rc=$?
check many_destroy '[ $rc -eq 0 ] && [ "$(ngroups)" -eq 0 ] && [ "$(nres sgr)" -eq 0 ] &&
  [ "$(nres vpc)" -eq 0 ]' destroy.out

# Runs that were expected to fail must not hide a sanitizer report (SANITIZE=1).
check no_sanitizer_reports \
  "! grep -rqE --include='*.out' 'AddressSanitizer|LeakSanitizer|runtime error:' '$TMP'"
