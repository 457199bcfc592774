/*
 * tests/unit/test_fmt.c — the formatter's rules, one small case each.
 *
 * Expected outputs of the core cases (flags 0) were checked against
 * hclwrite.Format (tests/fmt/hclfmt_oracle.go); tests/suites/fmt.sh compares
 * the two on whole files.
 */
#include "tests/unit/harness.h"

#include "lang/diag.h"
#include "lang/fmt.h"

/* Format in with flags; returns the output (static buffer) or "<error>". */
static const char *fmt(const char *in, unsigned flags)
{
    static char buf[4096];
    diag_list d = {0};
    char *out = NULL;
    size_t n = 0;
    src_file *f = src_from_string("t.tf", in, strlen(in));
    int rc = fmt_format(f, flags, &out, &n, &d);
    if (rc != 0 || n >= sizeof buf) {
        snprintf(buf, sizeof buf, "<error>");
    } else {
        memcpy(buf, out, n);
        buf[n] = '\0';
    }
    free(out);
    diag_list_free(&d);
    src_free(f);
    return buf;
}

/* Formatting twice gives the same as once. */
static int idempotent(const char *in, unsigned flags)
{
    char once[4096];
    snprintf(once, sizeof once, "%s", fmt(in, flags));
    return strcmp(once, fmt(once, flags)) == 0;
}

TEST(fmt_indent_two_spaces)
{
    CHECK_STR(fmt("a {\nb {\nc = 1\n}\n}\n", 0), "a {\n  b {\n    c = 1\n  }\n}\n");
    CHECK_STR(fmt("a {\n\t\t  b = 1\n      }\n", 0), "a {\n  b = 1\n}\n");
}

TEST(fmt_align_equals_in_group)
{
    CHECK_STR(fmt("x {\na = 1\nlonger = 2\n}\n", 0), "x {\n  a      = 1\n  longer = 2\n}\n");
}

TEST(fmt_blank_line_breaks_alignment)
{
    CHECK_STR(fmt("a = 1\n\nlonger = 2\n", 0), "a = 1\n\nlonger = 2\n");
}

TEST(fmt_blank_lines_kept)
{
    CHECK_STR(fmt("a = 1\n\n\n\nb = 2\n", 0), "a = 1\n\n\n\nb = 2\n");
    CHECK_STR(fmt("a = 1\n   \nb = 2\n", 0), "a = 1\n\nb = 2\n");
}

TEST(fmt_multiline_value_breaks_alignment)
{
    CHECK_STR(fmt("a = 1\nbbbb = {\nc = 1\n}\nd = 2\n", 0),
              "a = 1\nbbbb = {\n  c = 1\n}\nd = 2\n");
}

TEST(fmt_comment_line_breaks_alignment)
{
    CHECK_STR(fmt("a = 1\n# note\nbbb = 2\n", 0), "a = 1\n# note\nbbb = 2\n");
}

TEST(fmt_trailing_comments_aligned)
{
    CHECK_STR(fmt("a = 1 # one\nbbb = 22 # two\n", 0), "a   = 1  # one\nbbb = 22 # two\n");
}

TEST(fmt_operator_spacing)
{
    CHECK_STR(fmt("a = 1+2*3-4/5%6\n", 0), "a = 1 + 2 * 3 - 4 / 5 % 6\n");
    CHECK_STR(fmt("a = x==y&&y!=z||!w\n", 0), "a = x == y && y != z || !w\n");
    CHECK_STR(fmt("a = x<y?x>=y:x<=y\n", 0), "a = x < y ? x >= y : x <= y\n");
}

TEST(fmt_unary_minus)
{
    CHECK_STR(fmt("a = -1\n", 0), "a = -1\n");
    CHECK_STR(fmt("a = x - -1\n", 0), "a = x - -1\n");
    CHECK_STR(fmt("a = [-1, - 2]\n", 0), "a = [-1, -2]\n");
    CHECK_STR(fmt("a = f(-x)\n", 0), "a = f(-x)\n");
}

TEST(fmt_commas_and_brackets)
{
    CHECK_STR(fmt("a = [ 1 ,2,3 ]\n", 0), "a = [1, 2, 3]\n");
    CHECK_STR(fmt("a = f( x , y... )\n", 0), "a = f(x, y...)\n");
    CHECK_STR(fmt("a = ( 1 )\n", 0), "a = (1)\n");
}

TEST(fmt_object_braces_padded)
{
    CHECK_STR(fmt("a = {b=1,c=2}\n", 0), "a = { b = 1, c = 2 }\n");
    CHECK_STR(fmt("a = { }\n", 0), "a = {}\n");
    CHECK_STR(fmt("a = {\"k\":1}\n", 0), "a = { \"k\" : 1 }\n");
}

TEST(fmt_traversals)
{
    CHECK_STR(fmt("a = b . c [ 0 ] . d\n", 0), "a = b.c[0].d\n");
    CHECK_STR(fmt("a = b[*].c\n", 0), "a = b[*].c\n");
    CHECK_STR(fmt("a = b.*.c\n", 0), "a = b.*.c\n");
    CHECK_STR(fmt("a = b.0.c\n", 0), "a = b.0.c\n");
    CHECK_STR(fmt("a = f(x)[0]\n", 0), "a = f(x)[0]\n");
}

TEST(fmt_for_expressions)
{
    CHECK_STR(fmt("a = [for x in xs: x if x>1]\n", 0), "a = [for x in xs : x if x > 1]\n");
    CHECK_STR(fmt("a = {for k,v in m: k=>v...}\n", 0), "a = { for k, v in m : k => v... }\n");
    CHECK_STR(fmt("a = [for x in [1,2]: x]\n", 0), "a = [for x in [1, 2] : x]\n");
}

TEST(fmt_templates_untouched_inside_literals)
{
    CHECK_STR(fmt("a = \"  x  ${ b }  y  \"\n", 0), "a = \"  x  ${b}  y  \"\n");
    CHECK_STR(fmt("a = \"%{ if c }y%{ else }n%{ endif }\"\n", 0),
              "a = \"%{if c}y%{else}n%{endif}\"\n");
    CHECK_STR(fmt("a = \"${~ b ~}\"\n", 0), "a = \"${~b~}\"\n");
    CHECK_STR(fmt("a = \"$${x} %%{y}\"\n", 0), "a = \"$${x} %%{y}\"\n");
}

TEST(fmt_heredoc_body_untouched)
{
    const char *in = "x {\nh = <<-EOT\n    a   b\n  ${ c }\n      EOT\n  b = 1\n}\n";
    CHECK_STR(fmt(in, 0), "x {\n  h = <<-EOT\n    a   b\n  ${c}\n      EOT\n  b = 1\n}\n");
}

TEST(fmt_one_line_blocks)
{
    CHECK_STR(fmt("a \"b\" {c=1}\n", 0), "a \"b\" { c = 1 }\n");
    CHECK_STR(fmt("a {}\n", 0), "a {}\n");
}

TEST(fmt_comments_kept)
{
    CHECK_STR(fmt("# a\n// b\n/* c */\n  x = 1 /* d */\n", 0),
              "# a\n// b\n/* c */\nx = 1 /* d */\n");
    CHECK_STR(fmt("a {\n    # inside\n}\n", 0), "a {\n  # inside\n}\n");
}

TEST(fmt_trailing_whitespace_removed)
{
    CHECK_STR(fmt("a = 1   \nb = 2\t\n", 0), "a = 1\nb = 2\n");
}

TEST(fmt_crlf_kept)
{
    CHECK_STR(fmt("a  = 1\r\nb = 2\r\n", 0), "a = 1\r\nb = 2\r\n");
}

TEST(fmt_no_final_newline_kept)
{
    CHECK_STR(fmt("a = 1", 0), "a = 1");
    CHECK_STR(fmt("", 0), "");
}

TEST(fmt_tf_unwraps_lone_interpolation)
{
    CHECK_STR(fmt("a = \"${var.x}\"\n", FMT_TERRAFORM), "a = var.x\n");
    CHECK_STR(fmt("a = \"${var.x}-y\"\n", FMT_TERRAFORM), "a = \"${var.x}-y\"\n");
    CHECK_STR(fmt("a = \"${x}${y}\"\n", FMT_TERRAFORM), "a = \"${x}${y}\"\n");
    CHECK_STR(fmt("a = \"${x}\"\n", 0), "a = \"${x}\"\n");
    CHECK_STR(fmt("b {\n  a = \"${f(x)}\" # c\n}\n", FMT_TERRAFORM), "b {\n  a = f(x) # c\n}\n");
}

TEST(fmt_tf_unwraps_nested_interpolation_at_once)
{
    /* found by the fuzzer (crash-81585d32...): one pass must reach the
     * fixed point, or fmt is not idempotent */
    CHECK_STR(fmt("a = \"${\"${x}\"}\"\n", FMT_TERRAFORM), "a = x\n");
    CHECK_STR(fmt("a = \"${\n  x\n}\"\n", FMT_TERRAFORM), "a = (\n  x\n)\n");
}

TEST(fmt_tf_object_values_not_unwrapped)
{
    /* only attribute values are rewritten, not items inside them */
    CHECK_STR(fmt("a = { b = \"${x}\" }\n", FMT_TERRAFORM), "a = { b = \"${x}\" }\n");
}

TEST(fmt_tf_legacy_variable_types)
{
    CHECK_STR(fmt("variable \"v\" {\n  type = \"string\"\n}\n", FMT_TERRAFORM),
              "variable \"v\" {\n  type = string\n}\n");
    CHECK_STR(fmt("variable \"v\" {\n  type = \"list\"\n}\n", FMT_TERRAFORM),
              "variable \"v\" {\n  type = list(string)\n}\n");
    CHECK_STR(fmt("variable \"v\" {\n  type = map\n}\n", FMT_TERRAFORM),
              "variable \"v\" {\n  type = map(string)\n}\n");
    CHECK_STR(fmt("resource \"r\" \"n\" {\n  type = \"string\"\n}\n", FMT_TERRAFORM),
              "resource \"r\" \"n\" {\n  type = \"string\"\n}\n");
}

TEST(fmt_scan_errors_refused)
{
    CHECK_STR(fmt("a = \"unterminated\n", 0), "<error>");
    CHECK_STR(fmt("a = <<EOT\nno end\n", 0), "<error>");
    CHECK_STR(fmt("a = 1 }\n", 0), "<error>");
    CHECK_STR(fmt("a = 1 /* open\n", 0), "<error>");
    CHECK_STR(fmt("a = 1 $\n", 0), "<error>");
}

TEST(fmt_never_merges_tokens)
{
    /* invalid input, but fmt must not turn ". . ." into "..." or "! =" into
     * "!=" (found by the fuzzer: tests/fuzz/crashes/crash-0655d4f3...) */
    CHECK_STR(fmt("a = f(b.. .2)\n", 0), "a = f(b. . .2)\n");
    CHECK_STR(fmt("a = b ! = c\n", 0), "a = b ! = c\n");
    CHECK_STR(fmt("a = 1 . 5\n", 0), "a = 1. 5\n");
}

TEST(fmt_idempotent)
{
    CHECK(idempotent("a {\nb = [\n1,\n2\n]\nc = { d = 1 }\n}\n", 0));
    CHECK(idempotent("x = [{\n  a = 1\n  }, {\n  b = 2\n}]\n", 0));
    CHECK(idempotent("variable \"v\" {\ntype = \"list\"\ndefault = \"${1}\"\n}\n",
                     FMT_TERRAFORM));
}

TEST(fmt_diff_unified)
{
    strbuf b = {0};
    fmt_diff(&b, "old/a.tf", "a\nb\nc\n", 6, "new/a.tf", "a\nB\nc\n", 6);
    CHECK_STR(b.s, "--- old/a.tf\n+++ new/a.tf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    sb_free(&b);
    fmt_diff(&b, "x", "same\n", 5, "y", "same\n", 5);
    CHECK_INT(b.len, 0);
    sb_free(&b);
    fmt_diff(&b, "x", "a", 1, "y", "a\n", 2);
    CHECK_STR(b.s, "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
    sb_free(&b);
}

TEST(fmt_diff_separate_hunks)
{
    strbuf b = {0};
    const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
    const char *c = "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n";
    fmt_diff(&b, "x", a, strlen(a), "y", c, strlen(c));
    CHECK_STR(b.s, "--- x\n+++ y\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
                   "@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n");
    sb_free(&b);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
