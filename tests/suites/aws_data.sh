#!/usr/bin/env bash
# tests/suites/aws_data.sh — the aws plugin's data sources end to end: the
# cairn command line, the aws plugin and the AWS emulator.
#   - aws_availability_zones: the emulator's zones of its region, sorted,
#     with exclusions, state and filter blocks (names, zone_ids, group_names);
#   - aws_vpc: a VPC made through the emulator's API (not cairn) found by
#     tag, by id and by filter block, with what DescribeVpcs and
#     DescribeVpcAttribute report; "no matching" and "multiple matched" errors;
#   - aws_subnets: every subnet of that VPC, read over several pages;
#   - aws_caller_identity and aws_region: the emulator's account and user,
#     the provider's region and another one by name;
#   - aws_iam_policy_document: json and minified_json byte for byte against
#     the golden files tests/aws/policy/*.json (cases *.tf), id the CRC-32 of
#     json, no AWS call; configuration errors (duplicate Sid, bad JSON, &{ in
#     version 2008-10-17) as Terraform words them.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
GOLD="$ROOT/tests/aws/policy"
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
cairn() { timeout -k 5 120 "$CAIRN" "$@"; }

if [ ! -f "$ROOT/tests/awsemu/server.py" ]; then
  echo "skip aws_data # tests/awsemu/server.py not present"; exit 0
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
  echo "not ok aws_data_emulator_starts"; exit 1
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
# api ACTION XPATH [Name=Value...]: run an EC2 action through the emulator's
# unsigned admin call (objects made "outside cairn"); print the text of the
# first response element named XPATH.
api() {
  local action=$1 want=$2; shift 2
  python3 - "$EMU_URL" "$action" "$want" "$@" <<'EOF'
import json, re, sys, urllib.request
url, action, want = sys.argv[1:4]
params = dict(a.split('=', 1) for a in sys.argv[4:])
body = json.dumps({'service': 'ec2', 'action': action, 'params': params}).encode()
req = urllib.request.Request(url + '/_emu/call', data=body, method='POST',
                             headers={'Content-Type': 'application/json'})
out = json.loads(urllib.request.urlopen(req).read().decode())
m = re.search('<%s>([^<]*)</%s>' % (want, want), out['body'])
print(m.group(1) if m else 'NONE:' + out['body'][:300])
EOF
}
# calls [action]: AWS calls logged since the last calls_reset.
calls() { admin GET "/_emu/calls/count${1:+?action=$1}" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["count"])'; }
calls_reset() { admin POST /_emu/calls/reset >/dev/null; }
# out NAME: an output of the last apply, raw.
out() { cairn output -raw "$1" 2>/dev/null; }
# jout NAME EXPR: a python expression over v, the output's value.
jout() { cairn output -json "$1" 2>/dev/null | python3 -c "import json,sys; v=json.load(sys.stdin)
print($2)"; }

provider_block() {
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
}
EOF
}
newdir() { W="$TMP/$1"; mkdir -p "$W"; cd "$W" || exit 1; }

# --- objects made outside cairn ------------------------------------------------
VPC=$(api CreateVpc vpcId CidrBlock=10.42.0.0/16 TagSpecification.1.ResourceType=vpc \
  TagSpecification.1.Tag.1.Key=Name TagSpecification.1.Tag.1.Value=found-me \
  TagSpecification.1.Tag.2.Key=Team TagSpecification.1.Tag.2.Value=data)
OTHER=$(api CreateVpc vpcId CidrBlock=10.43.0.0/16)
SUBNETS=()
for i in 0 1 2 3 4; do
  SUBNETS+=("$(api CreateSubnet subnetId VpcId="$VPC" CidrBlock=10.42.$i.0/24 \
    TagSpecification.1.ResourceType=subnet TagSpecification.1.Tag.1.Key=Tier \
    TagSpecification.1.Tag.1.Value=$([ "$i" -lt 2 ] && echo public || echo private))")
done
api CreateSubnet subnetId VpcId="$OTHER" CidrBlock=10.43.0.0/24 >/dev/null
check setup_outside_cairn '[[ "$VPC" == vpc-* ]] && [[ "$OTHER" == vpc-* ]] &&
  [[ "${SUBNETS[4]}" == subnet-* ]]'
MAIN_RTB=$(admin GET /_emu/state | python3 -c "import json,sys
print([v for v in json.load(sys.stdin)['vpc'] if v['vpcId']=='$VPC'][0]['_main_rtb'])")
ASSOC=$(admin GET /_emu/state | python3 -c "import json,sys
v=[v for v in json.load(sys.stdin)['vpc'] if v['vpcId']=='$VPC'][0]
print(v['cidrBlockAssociationSet'][0]['associationId'])")
# What the emulator serves, to compare with (its zones, sorted by name).
ZONES=$(admin GET /_emu/state >/dev/null; python3 - "$ROOT" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1] + '/tests/awsemu')
import ec2
print(' '.join('%s=%s' % z for z in sorted(ec2.zones('us-east-1'))))
EOF
)

# --- reading every data source -------------------------------------------------
newdir read
provider_block >main.tf
cat >>main.tf <<EOF
data "aws_availability_zones" "all" {}

data "aws_availability_zones" "some" {
  state            = "available"
  exclude_names    = ["us-east-1a"]
  exclude_zone_ids = ["use1-az2"]
}

data "aws_availability_zones" "filtered" {
  filter {
    name   = "zone-name"
    values = ["us-east-1d", "us-east-1c"]
  }
}

data "aws_vpc" "tagged" {
  tags = {
    Name = "found-me"
  }
}

data "aws_vpc" "by_id" {
  id = "$VPC"
}

data "aws_vpc" "by_filter" {
  filter {
    name   = "cidr"
    values = ["10.43.0.0/16"]
  }
}

data "aws_subnets" "in_vpc" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.tagged.id]
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.tagged.id]
  }
  tags = {
    Tier = "private"
  }
}

data "aws_caller_identity" "me" {}

data "aws_region" "current" {}

data "aws_region" "dublin" {
  name = "eu-west-1"
}

output "az_names" { value = data.aws_availability_zones.all.names }
output "az_ids" { value = data.aws_availability_zones.all.zone_ids }
output "az_groups" { value = data.aws_availability_zones.all.group_names }
output "az_id" { value = data.aws_availability_zones.all.id }
output "az_some" { value = data.aws_availability_zones.some.names }
output "az_filtered" { value = data.aws_availability_zones.filtered.names }
output "vpc_id" { value = data.aws_vpc.tagged.id }
output "vpc" { value = data.aws_vpc.tagged }
output "vpc_by_id" { value = data.aws_vpc.by_id.tags }
output "vpc_by_filter" { value = data.aws_vpc.by_filter.id }
output "subnet_ids" { value = data.aws_subnets.in_vpc.ids }
output "subnets_private" { value = data.aws_subnets.private.ids }
output "subnets_id" { value = data.aws_subnets.in_vpc.id }
output "me" { value = data.aws_caller_identity.me }
output "region" { value = data.aws_region.current }
output "dublin" { value = data.aws_region.dublin }
EOF
admin POST /_emu/config '{"max_page": 2}' >/dev/null
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check read_apply_succeeds '[ $rc -eq 0 ]' apply.out
check read_only_describes '[ "$(calls)" -eq "$(( $(calls DescribeAvailabilityZones) +
  $(calls DescribeVpcs) + $(calls DescribeVpcAttribute) + $(calls DescribeSubnets) +
  $(calls DescribeRouteTables) + $(calls DescribeSecurityGroups) +
  $(calls DescribeNetworkAcls) + $(calls GetCallerIdentity) ))" ]'
want_names=$(for z in $ZONES; do printf '%s ' "${z%%=*}"; done)
want_ids=$(for z in $ZONES; do printf '%s ' "${z#*=}"; done)
check az_names_are_the_emulators \
  '[ "$(jout az_names "\" \".join(v)") " = "$want_names" ] &&
   [ "$(jout az_names "len(v)")" -eq 6 ]'
check az_zone_ids_in_name_order '[ "$(jout az_ids "\" \".join(v)") " = "$want_ids" ]'
check az_group_names_and_id '[ "$(jout az_groups "\",\".join(v)")" = us-east-1 ] &&
  [ "$(out az_id)" = us-east-1 ]'
check az_exclusions '[ "$(jout az_some "\",\".join(v)")" = \
  "us-east-1c,us-east-1d,us-east-1e,us-east-1f" ]'
check az_filter_block '[ "$(jout az_filtered "\",\".join(v)")" = "us-east-1c,us-east-1d" ]'
check vpc_found_by_tag '[ "$(out vpc_id)" = "$VPC" ]'
check vpc_attributes '[ "$(jout vpc "v[\"cidr_block\"]")" = 10.42.0.0/16 ] &&
  [ "$(jout vpc "v[\"default\"]")" = False ] && [ "$(jout vpc "v[\"state\"]")" = available ] &&
  [ "$(jout vpc "v[\"owner_id\"]")" = 123456789012 ] &&
  [ "$(jout vpc "v[\"instance_tenancy\"]")" = default ] &&
  [ "$(jout vpc "v[\"enable_dns_support\"]")" = True ] &&
  [ "$(jout vpc "v[\"enable_dns_hostnames\"]")" = False ] &&
  [ "$(jout vpc "v[\"arn\"]")" = "arn:aws:ec2:us-east-1:123456789012:vpc/$VPC" ] &&
  [ "$(jout vpc "v[\"main_route_table_id\"]")" = "$MAIN_RTB" ] &&
  [[ "$(jout vpc "v[\"dhcp_options_id\"]")" == dopt-* ]]'
check vpc_cidr_block_associations \
  '[ "$(jout vpc "\",\".join(a[\"association_id\"] + \"|\" + a[\"cidr_block\"] + \"|\" +
      a[\"state\"] for a in v[\"cidr_block_associations\"])")" = \
     "$ASSOC|10.42.0.0/16|associated" ]'
check vpc_tags_all_reported '[ "$(jout vpc "\",\".join(k + \"=\" + x for k, x in
  sorted(v[\"tags\"].items()))")" = "Name=found-me,Team=data" ]'
check vpc_by_id '[ "$(jout vpc_by_id "v[\"Name\"]")" = found-me ]'
check vpc_by_filter_block '[ "$(out vpc_by_filter)" = "$OTHER" ]'
want_subnets=$(printf '%s\n' "${SUBNETS[@]}" | sort | tr '\n' ' ')
check subnets_all_of_the_vpc \
  '[ "$(jout subnet_ids "\" \".join(sorted(v))") " = "$want_subnets" ]'
check subnets_paged '[ "$(calls DescribeSubnets)" -ge 3 ]'
want_private=$(printf '%s\n' "${SUBNETS[@]:2}" | sort | tr '\n' ' ')
check subnets_by_tag '[ "$(jout subnets_private "\" \".join(sorted(v))") " = "$want_private" ] &&
  [ "$(out subnets_id)" = us-east-1 ]'
check caller_identity '[ "$(jout me "v[\"account_id\"]")" = 123456789012 ] &&
  [ "$(jout me "v[\"id\"]")" = 123456789012 ] &&
  [ "$(jout me "v[\"arn\"]")" = arn:aws:iam::123456789012:user/cairn-test ] &&
  [ "$(jout me "v[\"user_id\"]")" = AIDAIOSFODNN7EXAMPLE ]'
check region_current '[ "$(jout region "v[\"name\"]")" = us-east-1 ] &&
  [ "$(jout region "v[\"id\"]")" = us-east-1 ] &&
  [ "$(jout region "v[\"endpoint\"]")" = ec2.us-east-1.amazonaws.com ] &&
  [ "$(jout region "v[\"description\"]")" = "US East (N. Virginia)" ]'
check region_by_name '[ "$(jout dublin "v[\"description\"]")" = "Europe (Ireland)" ] &&
  [ "$(jout dublin "v[\"endpoint\"]")" = ec2.eu-west-1.amazonaws.com ]'
admin POST /_emu/config '{"max_page": 100}' >/dev/null
# A second plan reads again and finds nothing to change.
cairn plan -detailed-exitcode -no-color >plan.out 2>&1; rc=$?
check read_plan_no_changes '[ $rc -eq 0 ]' plan.out
# A tag changed in AWS is seen on the next read.
api CreateTags return ResourceId.1="$VPC" Tag.1.Key=Team Tag.1.Value=moved >/dev/null
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check vpc_reread '[ $rc -eq 0 ] && [ "$(jout vpc "v[\"tags\"][\"Team\"]")" = moved ]' apply.out

# --- aws_vpc errors -------------------------------------------------------------------
newdir nomatch
provider_block >main.tf
cat >>main.tf <<'EOF'
data "aws_vpc" "x" {
  tags = {
    Name = "nobody"
  }
}
EOF
cairn plan -no-color >plan.out 2>&1; rc=$?
check vpc_no_match_error '[ $rc -ne 0 ] && grep -q "no matching EC2 VPC found" plan.out' \
  plan.out
newdir nomatch_id
provider_block >main.tf
printf 'data "aws_vpc" "x" {\n  id = "vpc-0123456789abcdef0"\n}\n' >>main.tf
cairn plan -no-color >plan.out 2>&1; rc=$?
check vpc_unknown_id_no_match '[ $rc -ne 0 ] && grep -q "no matching EC2 VPC found" plan.out' \
  plan.out
newdir multiple
provider_block >main.tf
printf 'data "aws_vpc" "x" {\n  state = "available"\n}\n' >>main.tf
cairn plan -no-color >plan.out 2>&1; rc=$?
check vpc_multiple_error '[ $rc -ne 0 ] &&
  grep -q "multiple EC2 VPCs matched; use additional constraints" plan.out' plan.out
newdir badstate
provider_block >main.tf
printf 'data "aws_availability_zones" "x" {\n  state = "sleepy"\n}\n' >>main.tf
cairn plan -no-color >plan.out 2>&1; rc=$?
check az_bad_state '[ $rc -ne 0 ] && grep -q "expected state to be one of" plan.out' plan.out

# --- aws_iam_policy_document: golden files --------------------------------------------
# Each case NN-name.tf defines data.aws_iam_policy_document.test (and what it
# needs); NN-name.json is the json Terraform writes, NN-name.min.json the
# minified_json.  All cases run in one configuration, as modules.
newdir policy
provider_block >main.tf
ncases=0
for tf in "$GOLD"/*.tf; do
  name=${tf##*/}; name=${name%.tf}; mod=m${name//[^a-zA-Z0-9_]/_}
  mkdir -p "m_$mod"; cp "$tf" "m_$mod/main.tf"
  cat >>"m_$mod/main.tf" <<'EOF'

output "json" { value = data.aws_iam_policy_document.test.json }
output "minified_json" { value = data.aws_iam_policy_document.test.minified_json }
output "id" { value = data.aws_iam_policy_document.test.id }
EOF
  cat >>main.tf <<EOF
module "$mod" {
  source = "./m_$mod"
}
output "${mod}_json" { value = module.$mod.json }
output "${mod}_min" { value = module.$mod.minified_json }
output "${mod}_id" { value = module.$mod.id }
EOF
  ncases=$((ncases + 1))
done
calls_reset
cairn apply -auto-approve -no-color >apply.out 2>&1; rc=$?
check policy_apply '[ $rc -eq 0 ] && [ $ncases -ge 8 ]' apply.out
check policy_no_aws_call '[ "$(calls)" -eq 0 ]'
# same GOT GOLDEN: GOT's bytes equal GOLDEN's, less the golden file's final newline.
same() {
  python3 - "$1" "$2" <<'EOF'
import sys
got = open(sys.argv[1], 'rb').read()
want = open(sys.argv[2], 'rb').read()
if want.endswith(b'\n'):
    want = want[:-1]
if got != want:
    import difflib
    for l in difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(),
                                  'golden', 'cairn', lineterm=''):
        print('# ' + l)
    sys.exit(1)
EOF
}
for tf in "$GOLD"/*.tf; do
  name=${tf##*/}; name=${name%.tf}; mod=m${name//[^a-zA-Z0-9_]/_}
  out "${mod}_json" >"$name.got.json"
  out "${mod}_min" >"$name.got.min.json"
  check "policy_${name}_json" 'same "$name.got.json" "$GOLD/$name.json"'
  check "policy_${name}_minified" 'same "$name.got.min.json" "$GOLD/$name.min.json"'
  check "policy_${name}_id_is_crc32" '[ "$(out "${mod}_id")" = "$(python3 -c "import zlib,sys
print(zlib.crc32(open(sys.argv[1],\"rb\").read()))" "$name.got.json")" ]'
done

# --- aws_iam_policy_document: errors ---------------------------------------------------
policy_error() {   # NAME BODY EXPECTED-TEXT
  newdir "perr_$1"
  provider_block >main.tf
  printf '%s\n' "$2" >>main.tf
  cairn plan -no-color >plan.out 2>&1; rc=$?
  PERR_WANT=$3
  check "policy_error_$1" '[ $rc -ne 0 ] && grep -qF -- "$PERR_WANT" plan.out' plan.out
}
policy_error duplicate_sid 'data "aws_iam_policy_document" "x" {
  statement {
    sid     = "A"
    actions = ["s3:*"]
  }
  statement {
    sid     = "A"
    actions = ["ec2:*"]
  }
}' 'duplicate Sid (A). Remove the Sid or ensure the Sid is unique.'
policy_error duplicate_source_sid 'data "aws_iam_policy_document" "x" {
  source_policy_documents = [
    jsonencode({ Statement = [{ Sid = "S", Effect = "Allow", Action = "a:b" }] }),
    jsonencode({ Statement = [{ Sid = "S", Effect = "Deny", Action = "a:c" }] }),
  ]
}' 'merging source document 1: duplicate Sid (S) in source_policy_documents (statement 0)'
policy_error bad_json 'data "aws_iam_policy_document" "x" {
  override_policy_documents = ["{not json"]
}' 'override_policy_documents.0 contains an invalid JSON'
policy_error old_version_vars 'data "aws_iam_policy_document" "x" {
  version = "2008-10-17"
  statement {
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::b/&{aws:username}"]
  }
}' 'found &{ sequence in (arn:aws:s3:::b/&{aws:username}), which is not supported'
policy_error bad_effect 'data "aws_iam_policy_document" "x" {
  statement {
    effect  = "Maybe"
    actions = ["s3:*"]
  }
}' 'expected statement.0.effect to be one of ["Allow" "Deny"], got Maybe'
policy_error bad_sid 'data "aws_iam_policy_document" "x" {
  statement {
    sid     = "not ok"
    actions = ["s3:*"]
  }
}' 'must only include alphanumeric characters'

# Runs that were expected to fail must not hide a sanitizer report (SANITIZE=1).
check no_sanitizer_reports \
  "! grep -rqE --include='*.out' 'AddressSanitizer|LeakSanitizer|runtime error:' '$TMP'"
