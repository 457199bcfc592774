#!/usr/bin/env bash
# Install the Debian packages that building and testing cairn need.
# Idempotent: prints nothing and touches nothing when every package is present.
set -eu
PKGS=(
  build-essential pkg-config
  libcurl4-openssl-dev libssl-dev libxml2-dev libjansson-dev liblmdb-dev
  lmdb-utils            # mdb_stat for the state crash tests
  clang                 # libFuzzer targets
  python3 python3-botocore   # AWS emulator; botocore is the SigV4 oracle
  curl                  # emulator shell helpers (tests/awsemu/emu.sh), curl's SigV4 signer
  golang-go golang-github-hashicorp-hcl-v2-dev golang-github-zclconf-go-cty-dev
  golang-github-apparentlymart-go-cidr-dev   # expression-evaluation oracle
  cmark                 # Markdown renderer for plan-comment tests
)
missing=()
# @cdktf/hcl2json (the parse oracle) needs node and npm; the machine's own
# Node.js is used when present (Debian's nodejs package conflicts with it).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/cairn-deps.log 2>&1; then
  $SUDO apt-get update -q >>/tmp/cairn-deps.log 2>&1 || true
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/cairn-deps.log 2>&1 || {
    echo "deps: apt-get failed, see /tmp/cairn-deps.log" >&2; tail -20 /tmp/cairn-deps.log >&2; exit 1; }
fi
