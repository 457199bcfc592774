#!/usr/bin/env bash
# tests/suites/fmt.sh — `cairn fmt`.
#
#  1. On every file of the corpus (tests/parse/*.tf, tests/fmt/cases/*.tf,
#     examples/): formatting is idempotent; cairn's layout rules give the
#     same bytes as hclwrite.Format (the Go oracle tests/fmt/hclfmt_oracle.go,
#     built from Debian's hcl package), on the file and on three
#     whitespace-mangled copies of it; and `cairn parse -json` of the
#     formatted file equals that of the original (when parse -json exists).
#  2. The command line: -check (exit 3 and the list), -diff, -write=false,
#     -list=false, -recursive, stdin, refusing files that do not parse
#     (exit 2, file untouched), and the examples being formatted.
set -u
cd "$ROOT"
FMTCORE="$ROOT/$BUILD/tests/helpers/fmt_core"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; fails=$((fails + 1)); }
skip() { echo "skip $1 # $2"; }

# --- the oracle --------------------------------------------------------
ORACLE_DIR="$ROOT/build/fmt-oracle"
ORACLE="$ORACLE_DIR/hclfmt"
if [ ! -x "$ORACLE" ] || [ tests/fmt/hclfmt_oracle.go -nt "$ORACLE" ]; then
  mkdir -p "$ORACLE_DIR"
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$ORACLE_DIR/cache" \
    go build -o "$ORACLE" tests/fmt/hclfmt_oracle.go >"$TMP/gobuild.log" 2>&1 ||
    { sed 's/^/# /' "$TMP/gobuild.log"; rm -f "$ORACLE"; }
fi

# --- corpus checks -------------------------------------------------------
parse_works=0
"$CAIRN" parse -json examples/vpc/main.tf >/dev/null 2>&1 && parse_works=1

files=()
for f in tests/parse/*.tf tests/fmt/cases/*.tf examples/*/*.tf examples/*/*.tfvars; do
  [ -f "$f" ] && files+=("$f")
done

for f in "${files[@]}"; do
  n=$(echo "$f" | tr '/.' '__')
  "$CAIRN" fmt - <"$f" >"$TMP/once" 2>"$TMP/err"; rc=$?
  if [ $rc -ne 0 ]; then
    nok "fmt_idempotent_$n"; sed 's/^/# /' "$TMP/err" | head -5
    continue
  fi
  "$CAIRN" fmt - <"$TMP/once" >"$TMP/twice" 2>/dev/null
  if cmp -s "$TMP/once" "$TMP/twice"; then ok "fmt_idempotent_$n"; else
    nok "fmt_idempotent_$n"; diff "$TMP/once" "$TMP/twice" | head -10 | sed 's/^/# /'; fi

  if [ -x "$ORACLE" ]; then
    for seed in 0 1 2 3; do
      if [ $seed -eq 0 ]; then cp "$f" "$TMP/in"; t="fmt_oracle_$n"; else
        python3 tests/fmt/mangle.py "$f" $seed >"$TMP/in"; t="fmt_oracle_mangled${seed}_$n"; fi
      if ! "$ORACLE" <"$TMP/in" >"$TMP/want" 2>"$TMP/oerr"; then
        skip "$t" "oracle does not parse it: $(head -c 120 "$TMP/oerr" | tr '\n' ' ')"
        continue
      fi
      "$FMTCORE" <"$TMP/in" >"$TMP/got" 2>&1
      if cmp -s "$TMP/want" "$TMP/got"; then ok "$t"; else
        nok "$t"; diff "$TMP/want" "$TMP/got" | head -10 | sed 's/^/# /'; fi
    done
  else
    skip "fmt_oracle_$n" "Go oracle did not build"
  fi

  if [ $parse_works -eq 1 ]; then
    cp "$f" "$TMP/orig.tf"; cp "$TMP/once" "$TMP/formatted.tf"
    "$CAIRN" parse -json "$TMP/orig.tf" >"$TMP/j1" 2>/dev/null
    "$CAIRN" parse -json "$TMP/formatted.tf" >"$TMP/j2" 2>/dev/null
    # Expression source text is compared modulo whitespace and a wrapping
    # pair of parentheses (tests/fmt/json_norm.py says why).
    if [ -s "$TMP/j1" ] && python3 tests/fmt/json_norm.py "$TMP/j1" >"$TMP/n1" &&
       python3 tests/fmt/json_norm.py "$TMP/j2" >"$TMP/n2" && cmp -s "$TMP/n1" "$TMP/n2"; then
      ok "fmt_same_parse_$n"; else
      nok "fmt_same_parse_$n"; diff "$TMP/n1" "$TMP/n2" | head -10 | sed 's/^/# /'; fi
  else
    skip "fmt_same_parse_$n" "cairn parse -json not implemented yet"
  fi
done

# --- command line ------------------------------------------------------
W="$TMP/work"
mkdir -p "$W/sub/.hidden"
printf 'a=1\nbb = 2\n' >"$W/ugly.tf"
printf 'a = 1\n' >"$W/pretty.tf"
printf 'x  =  "y"\n' >"$W/vars.tfvars"
printf 'not = [config\n' >"$W/notes.txt"
printf 'c=3\n' >"$W/sub/deep.tf"
printf 'c=3\n' >"$W/sub/.hidden/skip.tf"
cp -r "$W" "$TMP/pristine"

(cd "$W" && "$CAIRN" fmt -check >"$TMP/out" 2>"$TMP/err"); rc=$?
[ $rc -eq 3 ] && ok fmt_check_exit_3 || { nok fmt_check_exit_3; echo "# rc=$rc"; }
[ "$(cat "$TMP/out")" = "$(printf 'ugly.tf\nvars.tfvars')" ] && ok fmt_check_lists_files ||
  { nok fmt_check_lists_files; sed 's/^/# /' "$TMP/out"; }
diff -r "$W" "$TMP/pristine" >/dev/null && ok fmt_check_writes_nothing || nok fmt_check_writes_nothing

(cd "$W" && "$CAIRN" fmt -check -list=false >"$TMP/out" 2>&1); rc=$?
[ $rc -eq 3 ] && [ ! -s "$TMP/out" ] && ok fmt_list_false || nok fmt_list_false

(cd "$W" && "$CAIRN" fmt -check -diff ugly.tf >"$TMP/out" 2>&1)
if grep -qx -- '--- old/ugly.tf' "$TMP/out" && grep -qx -- '+++ new/ugly.tf' "$TMP/out" &&
   grep -qx -- '-a=1' "$TMP/out" && grep -qx -- '+a  = 1' "$TMP/out" &&
   grep -qx -- '@@ -1,2 +1,2 @@' "$TMP/out"; then ok fmt_diff_output; else
  nok fmt_diff_output; sed 's/^/# /' "$TMP/out"; fi

(cd "$W" && "$CAIRN" fmt -write=false >"$TMP/out" 2>&1); rc=$?
[ $rc -eq 0 ] && diff -r "$W" "$TMP/pristine" >/dev/null && grep -qx ugly.tf "$TMP/out" &&
  ok fmt_write_false || nok fmt_write_false

(cd "$W" && "$CAIRN" fmt >"$TMP/out" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$(cat "$W/ugly.tf")" = "$(printf 'a  = 1\nbb = 2')" ] &&
  [ "$(cat "$W/vars.tfvars")" = 'x = "y"' ] && ok fmt_writes_files || nok fmt_writes_files
[ "$(cat "$W/sub/deep.tf")" = "c=3" ] && ok fmt_not_recursive_by_default ||
  nok fmt_not_recursive_by_default
(cd "$W" && "$CAIRN" fmt -check >/dev/null 2>&1) && ok fmt_check_clean_exit_0 ||
  nok fmt_check_clean_exit_0

(cd "$W" && "$CAIRN" fmt -recursive >"$TMP/out" 2>&1)
[ "$(cat "$W/sub/deep.tf")" = "c = 3" ] && grep -qx sub/deep.tf "$TMP/out" &&
  ok fmt_recursive || { nok fmt_recursive; sed 's/^/# /' "$TMP/out"; }
[ "$(cat "$W/sub/.hidden/skip.tf")" = "c=3" ] && ok fmt_recursive_skips_hidden ||
  nok fmt_recursive_skips_hidden

out=$(printf 'a=1\nbbb="${x}"\n' | "$CAIRN" fmt -); rc=$?
[ $rc -eq 0 ] && [ "$out" = "$(printf 'a   = 1\nbbb = x')" ] && ok fmt_stdin ||
  { nok fmt_stdin; echo "# $out"; }
printf 'a=1\n' | "$CAIRN" fmt -check - >/dev/null; rc=$?
[ $rc -eq 3 ] && ok fmt_stdin_check_exit_3 || nok fmt_stdin_check_exit_3

printf 'a = "open\n' >"$W/broken.tf"
cp "$W/broken.tf" "$TMP/broken.orig"
(cd "$W" && "$CAIRN" fmt broken.tf >"$TMP/out" 2>"$TMP/err"); rc=$?
[ $rc -eq 2 ] && cmp -s "$W/broken.tf" "$TMP/broken.orig" && grep -q 'broken.tf:1:' "$TMP/err" &&
  ok fmt_refuses_unparsable || { nok fmt_refuses_unparsable; echo "# rc=$rc"; sed 's/^/# /' "$TMP/err"; }
rm -f "$W/broken.tf"

(cd "$W" && "$CAIRN" fmt notes.txt >/dev/null 2>&1); rc=$?
[ $rc -eq 2 ] && ok fmt_rejects_other_extensions || nok fmt_rejects_other_extensions
(cd "$W" && "$CAIRN" fmt missing.tf >/dev/null 2>&1); rc=$?
[ $rc -eq 2 ] && ok fmt_missing_path || nok fmt_missing_path
"$CAIRN" fmt -bogus >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && ok fmt_bad_flag_exit_1 || nok fmt_bad_flag_exit_1

for d in examples/*/; do
  n=$(basename "$d")
  "$CAIRN" fmt -check -recursive "$d" >"$TMP/out" 2>&1 && ok "fmt_example_${n}_is_formatted" ||
    { nok "fmt_example_${n}_is_formatted"; sed 's/^/# /' "$TMP/out"; }
done

[ $fails -eq 0 ]
