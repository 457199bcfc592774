#!/usr/bin/env bash
# tests/suites/review_markdown.sh — plans as pull-request comments:
# `cairn show -markdown PLANFILE` and `cairn plan -markdown=FILE`.
#
#   big       a 2,000-instance configuration whose second plan changes 350
#             of them (50 replaced, 100 destroyed, 150 updated, 50 created):
#             the comment is at most 60,000 characters, names every destroy
#             and replace in the alert at the top and every change in the
#             table, says which diffs it left out, and cmark turns it into
#             HTML with the table and <details> blocks; plan -markdown and
#             show -markdown give the same bytes, twice.
#   largest   one huge diff among small ones: with -max-chars only the huge
#             one is left out, and the note names it.
#   fits      a small plan: every diff is there and no note.
#   none      a plan without changes: a short comment.
set -u
ROOT=${ROOT:-$(pwd)}
BUILD=${BUILD:-build}
CAIRN=${CAIRN:-$ROOT/$BUILD/cairn}
TMP=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
ok() { echo "ok $1"; }
nok() { echo "not ok $1"; [ $# -gt 1 ] && echo "# $2"; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "failed: $2"; fi; }
newdir() {
  W="$TMP/$1"; mkdir -p "$W/objects"; cd "$W" || exit 1
  export TEST_PROVIDER_DIR="$W/objects"
}

# --- big: 2,000 instances ------------------------------------------------------
newdir big
cat >main.tf <<'TF'
resource "test_resource" "keep" {
  count = 1400
  name  = "keep-${count.index}"
}
resource "test_resource" "upd" {
  count = 150
  name  = "upd-${count.index}"
  tags  = { generation = "1" }
}
resource "test_resource" "rep" {
  count      = 50
  name       = "rep-${count.index}"
  replace_me = "a"
}
resource "test_resource" "shrink" {
  count = 100
  name  = "shrink-${count.index}"
}
resource "test_resource" "old" {
  count = 50
  name  = "old-${count.index}"
}
resource "test_resource" "pad" {
  count = 250
  name  = "pad-${count.index}"
}
TF
"$CAIRN" apply -auto-approve -parallelism=50 -no-color >out 2>&1; rc=$?
check big_setup_apply '[ $rc -eq 0 ] && [ "$("$CAIRN" state list | wc -l)" -eq 2000 ]'
sed -i -e 's/generation = "1"/generation = "2"/' -e 's/replace_me = "a"/replace_me = "b"/' \
  -e '/"shrink"/,/}/s/count = 100/count = 50/' main.tf
sed -i '/resource "test_resource" "old"/,/^}/d' main.tf
cat >>main.tf <<'TF'
resource "test_resource" "fresh" {
  count = 50
  name  = "fresh-${count.index}"
}
TF
"$CAIRN" plan -no-color -out=big.bin -markdown=pr.md >plan.txt 2>&1; rc=$?
check big_plan_ok '[ $rc -eq 0 ] && grep -q "Plan: 100 to add, 150 to change, 150 to destroy." plan.txt'
check big_plan_text_too 'grep -q "will be updated in-place" plan.txt && [ -s pr.md ]'
"$CAIRN" show -markdown big.bin >show.md 2>err; rc=$?
check big_show_ok '[ $rc -eq 0 ] && [ ! -s err ]'
check big_same_bytes 'cmp -s pr.md show.md'
"$CAIRN" show -markdown big.bin >show2.md 2>/dev/null
check big_deterministic 'cmp -s show.md show2.md'
chars=$(wc -m <show.md)
check big_at_most_60000 '[ "$chars" -le 60000 ] && [ "$chars" -gt 30000 ]'
check big_verdict_first 'head -1 show.md | grep -q "^\*\*cairn plan: 150 to destroy or replace\*\*"'
check big_counts 'sed -n 3p show.md | grep -q "^Plan: 100 to add, 150 to change, 150 to destroy. " &&
  sed -n 3p show.md | grep -q "50 create, 150 update, 50 replace, 100 destroy$"'
# Every destroy and replace in the alert (before the table), with a reason.
sed -n '/^> \[!CAUTION\]/,/^$/p' show.md >alert
want=$( (for i in $(seq 0 49); do echo "test_resource.rep[$i] replace"; echo "test_resource.old[$i] destroy"; done
         for i in $(seq 50 99); do echo "test_resource.shrink[$i] destroy"; done) | sort)
got=$(sed -n 's/^> - `\([^`]*\)` \*\*\([a-z]*\)\*\*: .*/\1 \2/p' alert | sort)
check big_alert_lists_every_destroy_replace '[ -n "$got" ] && [ "$got" = "$want" ]'
check big_alert_reasons 'grep -qF "test_resource.old[7]\` **destroy**: test\_resource.old is not in configuration" alert &&
  grep -qF "shrink[77]\` **destroy**: index \[77\] is out of range for count" alert &&
  grep -qF "rep[3]\` **replace**: a change to replace\_me forces replacement" alert'
check big_alert_before_table '[ "$(grep -n "^> \[!CAUTION\]" show.md | cut -d: -f1)" -lt "$(grep -n "^<table>" show.md | cut -d: -f1)" ]'
rows=$(grep -c "^<tr><td><code>" show.md)
check big_table_every_change '[ "$rows" -eq 350 ] &&
  grep -qF "<tr><td><code>test_resource.upd[149]</code></td><td>update</td><td></td></tr>" show.md &&
  grep -qF "<tr><td><code>test_resource.fresh[0]</code></td><td>create</td>" show.md'
ndetails=$(grep -c "^<details>" show.md)
check big_details_cut_with_note '[ "$ndetails" -gt 10 ] && [ "$ndetails" -lt 350 ] &&
  grep -q "^> .* of 350 diffs (.* characters) were left out, the largest first" show.md'
cmark --unsafe show.md >show.html 2>err; rc=$?
check big_cmark_html '[ $rc -eq 0 ] && [ "$(grep -c "<table>" show.html)" -eq 1 ] &&
  [ "$(grep -c "^<tr><td><code>" show.html)" -eq 350 ] &&
  [ "$(grep -c "<details>" show.html)" -eq "$ndetails" ] &&
  [ "$(grep -c "</details>" show.html)" -eq "$ndetails" ] &&
  grep -q "<pre><code class=\"language-diff\">" show.html && grep -q "<blockquote>" show.html'
check big_cmark_list 'grep -c "^<li><code>test_resource" show.html | grep -qx 150'

# --- largest first ---------------------------------------------------------------
newdir largest
{
  echo 'resource "test_resource" "small" {'; echo '  count = 5'; echo '  name  = "small-${count.index}"'; echo '}'
  echo 'resource "test_resource" "huge" {'; echo '  name = "huge"'; echo '  tags = {'
  for i in $(seq 1 200); do echo "    key$i = \"value-$i-xxxxxxxxxxxxxxxxxxxx\""; done
  echo '  }'; echo '}'
} >main.tf
"$CAIRN" plan -no-color -out=l.bin >/dev/null 2>&1
"$CAIRN" show -markdown -max-chars=5000 l.bin >l.md 2>err; rc=$?
check largest_fits '[ $rc -eq 0 ] && [ "$(wc -m <l.md)" -le 5000 ]'
check largest_cut_first 'grep -q "^> 1 of 6 diffs" l.md && grep -qF "Left out: \`test_resource.huge\`" l.md &&
  [ "$(grep -c "^<details>" l.md)" -eq 5 ] && ! grep -q "key17" l.md'
"$CAIRN" show -markdown -max-chars=100000 l.bin >all.md 2>/dev/null
check fits_no_note '[ "$(grep -c "^<details>" all.md)" -eq 6 ] && ! grep -q "left out" all.md &&
  grep -q "key17" all.md'
"$CAIRN" show -markdown -max-chars=10 l.bin >/dev/null 2>err; rc=$?
check max_chars_bad_value '[ $rc -eq 1 ] && grep -q "invalid value" err'
"$CAIRN" show -markdown >/dev/null 2>err; rc=$?
check markdown_needs_planfile '[ $rc -eq 1 ] && grep -q "needs a saved plan" err'

# --- no changes --------------------------------------------------------------------
"$CAIRN" apply -auto-approve -no-color >/dev/null 2>&1
"$CAIRN" plan -no-color -out=n.bin -markdown=none.md >/dev/null 2>&1
check none_short '[ "$(wc -m <none.md)" -lt 200 ] && head -1 none.md | grep -qx "\*\*cairn plan: no changes\*\*" &&
  ! grep -q "<table>" none.md'
exit 0
