#!/usr/bin/env bash
# Evaluation conformance: every expression of tests/eval/*.txt (except
# doc_checked.txt) must give the same type and value from cairn's evaluator
# (build/tests/helpers/evalexpr) as from the oracle built from HashiCorp's
# hcl and go-cty libraries (tests/oracle/main.go).  Functions the oracle's
# libraries lack are checked against Terraform's documented examples in
# tests/eval/doc_checked.txt.  One process each for the whole corpus.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
cd "$ROOT"
EVALEXPR="$ROOT/$BUILD/tests/helpers/evalexpr"
ORACLE_DIR="$ROOT/build/oracle"
ORACLE="$ORACLE_DIR/oracle"
SCOPE=tests/eval/scope.def
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$EVALEXPR" ]; then
  echo "not ok eval_conformance_helper # $EVALEXPR missing"; exit 1
fi

# Build the oracle once (cached until main.go changes).
if [ ! -x "$ORACLE" ] || [ tests/oracle/main.go -nt "$ORACLE" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "skip eval_oracle # go not installed"; ORACLE=
  else
    mkdir -p "$ORACLE_DIR"
    if ! (cd tests/oracle && GO111MODULE=off GOFLAGS=-mod=mod \
          GOPATH="$ORACLE_DIR/gopath:/usr/share/gocode" GOCACHE="$ORACLE_DIR/gocache" \
          go build -o "$ORACLE.tmp" . ) >"$TMP/build.log" 2>&1; then
      echo "not ok eval_oracle_build"; sed 's/^/# /' "$TMP/build.log"; exit 1
    fi
    mv "$ORACLE.tmp" "$ORACLE"
  fi
fi

fail=0
# Expressions where cairn knowingly differs from the oracle (one per line,
# each with its reason in a comment above it).
grep -v '^[[:space:]]*\(#\|$\)' tests/eval/divergences.txt >"$TMP/divergent" 2>/dev/null || :
# Gather the oracle corpus: "name<TAB>expression" per line.
for f in tests/eval/*.txt; do
  case "$(basename "$f")" in doc_checked.txt|divergences.txt) continue ;; esac
  awk -v f="$(basename "$f" .txt)" '!/^[[:space:]]*(#|$)/ { printf "%s:%d\t%s\n", f, NR, $0 }' "$f"
done >"$TMP/corpus"
cut -f2- "$TMP/corpus" >"$TMP/exprs"
n=$(wc -l <"$TMP/exprs")
echo "# $n oracle-checked expressions"

if [ -n "$ORACLE" ]; then
  "$ORACLE" "$SCOPE" <"$TMP/exprs" >"$TMP/want" 2>"$TMP/oracle.err" || {
    echo "not ok eval_oracle_run"; sed 's/^/# /' "$TMP/oracle.err"; exit 1; }
  "$EVALEXPR" "$SCOPE" <"$TMP/exprs" >"$TMP/got" 2>"$TMP/cairn.err"
  rc=$?
  if [ "$rc" -ne 0 ] || [ "$(wc -l <"$TMP/got")" -ne "$n" ]; then
    echo "not ok eval_cairn_run # exit $rc, $(wc -l <"$TMP/got") of $n lines"
    tail -5 "$TMP/cairn.err" | sed 's/^/# /'
    fail=1
  fi
  paste -d '\n' "$TMP/corpus" "$TMP/want" "$TMP/got" >"$TMP/triples"
  while IFS= read -r line && IFS= read -r want && IFS= read -r got; do
    name=${line%%$'\t'*}; expr=${line#*$'\t'}
    if [ "$want" = "$got" ]; then
      echo "ok eval $name $expr"
    elif [[ "$got" == "error nofunc "* ]]; then
      echo "skip eval $name $expr # function ${got#error nofunc } not in cairn's library yet"
    elif grep -qxF -- "$expr" "$TMP/divergent"; then
      echo "skip eval $name $expr # known divergence (tests/eval/divergences.txt)"
      echo "#   oracle: $want"
      echo "#   cairn:  $got"
    else
      echo "not ok eval $name $expr"
      echo "#   oracle: $want"
      echo "#   cairn:  $got"
      fail=1
    fi
  done <"$TMP/triples"
fi

# Documentation-checked functions.
awk '!/^[[:space:]]*(#|$)/ { printf "doc_checked:%d\t%s\n", NR, $0 }' tests/eval/doc_checked.txt \
  >"$TMP/doc"
sed -e 's/^[^\t]*\t//' -e 's/ => .*$//' "$TMP/doc" >"$TMP/docexprs"
fns=$(grep -o '^[a-z0-9]*(' "$TMP/docexprs" | tr -d '(' | sort -u | tr '\n' ' ')
echo "# checked against Terraform's documentation instead of the oracle: $fns"
(cd tests/eval/files && "$EVALEXPR" "../scope.def" <"$TMP/docexprs") >"$TMP/docgot" 2>"$TMP/doc.err"
paste -d '\n' "$TMP/doc" "$TMP/docgot" >"$TMP/docpairs"
while IFS= read -r line && IFS= read -r got; do
  name=${line%%$'\t'*}; rest=${line#*$'\t'}
  expr=${rest% => *}; want=${rest##* => }
  if [ "$want" = "$got" ]; then
    echo "ok eval $name $expr"
  elif [[ "$got" == "error nofunc "* ]] && [ "$want" != error ]; then
    echo "skip eval $name $expr # function ${got#error nofunc } not in cairn's library yet"
  else
    echo "not ok eval $name $expr"
    echo "#   documented: $want"
    echo "#   cairn:      $got"
    fail=1
  fi
done <"$TMP/docpairs"
exit $fail
