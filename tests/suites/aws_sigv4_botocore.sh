#!/usr/bin/env bash
# cairn's SigV4 signatures equal botocore's (Debian python3-botocore) for the
# requests tests/helpers/aws_sign_requests.c builds: 8 services, 4 protocols,
# with and without session tokens, default and custom endpoints, S3 virtual-
# hosted and path-style.  Prints one ok/not ok line per request.
set -u
: "${ROOT:?}" "${BUILD:?}"
helper="$ROOT/$BUILD/tests/helpers/aws_sign_requests"
if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
  echo "not ok botocore_available # /usr/bin/python3 cannot import botocore (scripts/deps.sh)"
  exit 1
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if ! "$helper" >"$tmp"; then
  echo "not ok botocore_requests_prepared"
  exit 1
fi
echo "ok botocore_requests_prepared"
out=$(/usr/bin/python3 "$ROOT/tests/helpers/aws_botocore_check.py" <"$tmp")
rc=$?
echo "$out"
n=$(grep -c '^ok botocore_' <<<"$out")
svcs=$(grep -c . < <(grep -o '"service":"[a-z0-9]*"' "$tmp" | sort -u))
protos=0
grep -q '"service":"ec2"' "$tmp" && protos=$((protos + 1))      # EC2 query
grep -q '"service":"rds"' "$tmp" && protos=$((protos + 1))      # query
grep -q '"service":"eks"' "$tmp" && protos=$((protos + 1))      # REST-JSON
grep -q '"service":"s3"' "$tmp" && protos=$((protos + 1))       # REST-XML
if [ "$n" -ge 30 ] && [ "$svcs" -ge 8 ] && [ "$protos" -eq 4 ]; then
  echo "ok botocore_coverage_30_requests_8_services_4_protocols"
else
  echo "not ok botocore_coverage_30_requests_8_services_4_protocols # $n matched, $svcs services, $protos protocols"
  rc=1
fi
exit $rc
