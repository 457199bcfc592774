#!/usr/bin/env bash
# make demo: the most useful real thing cairn does so far, on examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CAIRN="$PWD/$BUILD/cairn"
echo "==> cairn version"
"$CAIRN" version
