/* Unit tests for lang/parse.c and lang/parse_tmpl.c: every construct (as
 * S-expressions), precedence, ranges, templates, recovery and limits. */
#include "lang/parse.h"
#include "tests/unit/harness.h"

#include <stdlib.h>

/* Parse one expression; return its S-expression (static buffer) or
 * "ERR: <first summary>" when there were errors. */
static const char *sx_expr(const char *text)
{
    static char buf[4096];
    src_file *f = src_from_string("e.tf", text, strlen(text));
    diag_list d = {0};
    ast_file *af = parse_expression(f, &d);
    if (!af) {
        snprintf(buf, sizeof buf, "NULL");
    } else if (d.nerrors) {
        snprintf(buf, sizeof buf, "ERR: %s", d.items[0].summary);
    } else {
        char *s = ast_sexpr(af->expr);
        snprintf(buf, sizeof buf, "%s", s);
        free(s);
    }
    ast_file_free(af);
    diag_list_free(&d);
    src_free(f);
    return buf;
}

typedef struct parsed {
    src_file *f;
    diag_list d;
    ast_file *af;
} parsed;

static void parse_text(parsed *p, const char *text)
{
    memset(p, 0, sizeof *p);
    p->f = src_from_string("t.tf", text, strlen(text));
    p->af = parse_config(p->f, &p->d);
}

static void parsed_free(parsed *p)
{
    ast_file_free(p->af);
    diag_list_free(&p->d);
    src_free(p->f);
}

/* "line:col summary" of diagnostic i. */
static const char *diag_at(parsed *p, size_t i)
{
    static char buf[512];
    if (i >= p->d.n)
        return "(none)";
    int l, c;
    src_pos(p->f, p->d.items[i].range.start, &l, &c);
    snprintf(buf, sizeof buf, "%d:%d %s", l, c, p->d.items[i].summary);
    return buf;
}

static const char *text_of(parsed *p, srange r)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%.*s", (int)(r.end - r.start), p->f->text + r.start);
    return buf;
}

/* ------------------------------------------------------------ literals */

TEST(parse_literals)
{
    CHECK_STR(sx_expr("1"), "1");
    CHECK_STR(sx_expr("1.5e3"), "1.5e3");
    CHECK_STR(sx_expr("true"), "true");
    CHECK_STR(sx_expr("false"), "false");
    CHECK_STR(sx_expr("null"), "null");
    CHECK_STR(sx_expr("\"s\""), "(tmpl \"s\")");
    CHECK_STR(sx_expr("\"\""), "(tmpl)");
}

TEST(parse_number_value)
{
    src_file *f = src_from_string("e", "2.5e-3", 6);
    diag_list d = {0};
    ast_file *af = parse_expression(f, &d);
    CHECK(af && af->expr->kind == AST_LITERAL);
    CHECK(af->expr->u.lit.num == 2.5e-3);
    CHECK_STR(af->expr->u.lit.text, "2.5e-3");
    ast_file_free(af);
    diag_list_free(&d);
    src_free(f);
}

TEST(parse_string_escapes)
{
    CHECK_STR(sx_expr("\"a\\nb\\t\\\"\\\\\""), "(tmpl \"a\\nb\t\\\"\\\\\")");
    CHECK_STR(sx_expr("\"\\u00e9\\U0001F600\""), "(tmpl \"\xc3\xa9\xf0\x9f\x98\x80\")");
    CHECK_STR(sx_expr("\"$${x}%%{y}\""), "(tmpl \"${x}%{y}\")");
    CHECK_STR(sx_expr("\"\\q\""), "ERR: Invalid escape sequence");
    CHECK_STR(sx_expr("\"\\u12\""), "ERR: Invalid escape sequence");
}

/* ---------------------------------------------------------- precedence */

TEST(parse_precedence_arithmetic)
{
    CHECK_STR(sx_expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
    CHECK_STR(sx_expr("1 * 2 + 3"), "(+ (* 1 2) 3)");
    CHECK_STR(sx_expr("10 - 4 - 3"), "(- (- 10 4) 3)");
    CHECK_STR(sx_expr("8 / 4 / 2"), "(/ (/ 8 4) 2)");
    CHECK_STR(sx_expr("7 % 3 * 2"), "(* (% 7 3) 2)");
    CHECK_STR(sx_expr("(1 + 2) * 3"), "(* (paren (+ 1 2)) 3)");
}

TEST(parse_precedence_logic_and_comparison)
{
    CHECK_STR(sx_expr("a || b && c"), "(|| a (&& b c))");
    CHECK_STR(sx_expr("a && b || c"), "(|| (&& a b) c)");
    CHECK_STR(sx_expr("a == b && c != d"), "(&& (== a b) (!= c d))");
    CHECK_STR(sx_expr("a < b == c > d"), "(== (< a b) (> c d))");
    CHECK_STR(sx_expr("a + 1 >= b * 2"), "(>= (+ a 1) (* b 2))");
    CHECK_STR(sx_expr("a <= b"), "(<= a b)");
    CHECK_STR(sx_expr("a == b == c"), "(== (== a b) c)");
}

TEST(parse_unary)
{
    CHECK_STR(sx_expr("-1"), "(neg 1)");
    CHECK_STR(sx_expr("!a"), "(! a)");
    CHECK_STR(sx_expr("!!a"), "(! (! a))");
    CHECK_STR(sx_expr("-a * -b"), "(* (neg a) (neg b))");
    CHECK_STR(sx_expr("!a || b"), "(|| (! a) b)");
    CHECK_STR(sx_expr("-a.b[0]"), "(neg ([] (. a b) 0))");
}

TEST(parse_conditional)
{
    CHECK_STR(sx_expr("a ? b : c"), "(? a b c)");
    CHECK_STR(sx_expr("a ? b : c ? d : e"), "(? a b (? c d e))");
    CHECK_STR(sx_expr("a || b ? 1 + 2 : 3"), "(? (|| a b) (+ 1 2) 3)");
    CHECK_STR(sx_expr("a ? b"), "ERR: Missing false expression in conditional");
}

/* ---------------------------------------------------------- collections */

TEST(parse_tuples)
{
    CHECK_STR(sx_expr("[]"), "(tuple)");
    CHECK_STR(sx_expr("[1, \"a\", true,]"), "(tuple 1 (tmpl \"a\") true)");
    CHECK_STR(sx_expr("[\n1,\n2\n]"), "(tuple 1 2)");
    CHECK_STR(sx_expr("[[1], []]"), "(tuple (tuple 1) (tuple))");
    CHECK_STR(sx_expr("[1 2]"), "ERR: Missing item separator");
}

TEST(parse_objects)
{
    CHECK_STR(sx_expr("{}"), "(object)");
    CHECK_STR(sx_expr("{a = 1, b: 2}"), "(object (bare a 1) (bare b 2))");
    CHECK_STR(sx_expr("{\n a = 1\n b = 2\n}"), "(object (bare a 1) (bare b 2))");
    CHECK_STR(sx_expr("{\"k\" = 1}"), "(object ((tmpl \"k\") 1))");
    CHECK_STR(sx_expr("{(k) = 1}"), "(object ((paren k) 1))");
    CHECK_STR(sx_expr("{a.b = 1}"), "(object ((. a b) 1))");
    CHECK_STR(sx_expr("{true = 1, for = 2}"), "(object (bare true 1) (bare for 2))");
    CHECK_STR(sx_expr("{a = 1 b = 2}"), "ERR: Missing attribute separator");
    CHECK_STR(sx_expr("{a}"), "ERR: Missing attribute value");
}

TEST(parse_object_item_flags)
{
    src_file *f = src_from_string("e", "{a: 1, \"b\" = 2}", 15);
    diag_list d = {0};
    ast_file *af = parse_expression(f, &d);
    CHECK_INT(d.nerrors, 0);
    CHECK_INT(af->expr->u.object.n, 2);
    CHECK_INT(af->expr->u.object.items[0].colon, 1);
    CHECK_INT(af->expr->u.object.items[0].key_bare, 1);
    CHECK_INT(af->expr->u.object.items[1].colon, 0);
    CHECK_INT(af->expr->u.object.items[1].key_bare, 0);
    ast_file_free(af);
    diag_list_free(&d);
    src_free(f);
}

/* ----------------------------------------------------------- for */

TEST(parse_for_expressions)
{
    CHECK_STR(sx_expr("[for x in xs : x]"), "(for[] x xs x)");
    CHECK_STR(sx_expr("[for i, x in xs : x if i > 0]"), "(for[] i x xs x if (> i 0))");
    CHECK_STR(sx_expr("{for k, v in m : k => v}"), "(for{} k v m k v)");
    CHECK_STR(sx_expr("{for u in us : u.r => u...}"), "(for{} u us (. u r) u ...)");
    CHECK_STR(sx_expr("{for u in us : u.r => u... if u.ok}"),
              "(for{} u us (. u r) u ... if (. u ok))");
    CHECK_STR(sx_expr("[\n for x in xs :\n x\n]"), "(for[] x xs x)");
    CHECK_STR(sx_expr("[for x xs : x]"), "ERR: Invalid 'for' expression");
    CHECK_STR(sx_expr("{for k in m : k v}"), "ERR: Invalid 'for' expression");
    CHECK_STR(sx_expr("[for x in xs : x...]"), "ERR: Invalid 'for' expression");
}

/* ----------------------------------------------------------- traversals */

TEST(parse_traversals)
{
    CHECK_STR(sx_expr("var.x"), "(. var x)");
    CHECK_STR(sx_expr("a.b.c"), "(. (. a b) c)");
    CHECK_STR(sx_expr("a[0]"), "([] a 0)");
    CHECK_STR(sx_expr("a[\"k\"].b"), "(. ([] a (tmpl \"k\")) b)");
    CHECK_STR(sx_expr("a.0.b"), "(. (.N a 0) b)");
    CHECK_STR(sx_expr("f(x).y"), "(. (call f x) y)");
    CHECK_STR(sx_expr("[1][0]"), "([] (tuple 1) 0)");
    CHECK_STR(sx_expr("a.1.2"), "ERR: Invalid legacy index syntax");
    CHECK_STR(sx_expr("a."), "ERR: Invalid attribute name");
}

TEST(parse_splats)
{
    CHECK_STR(sx_expr("a[*]"), "([*] a @)");
    CHECK_STR(sx_expr("a[*].b"), "([*] a (. @ b))");
    CHECK_STR(sx_expr("a[*].b[0].c"), "([*] a (. ([] (. @ b) 0) c))");
    CHECK_STR(sx_expr("a.*"), "(.* a @)");
    CHECK_STR(sx_expr("a.*.b.c"), "(.* a (. (. @ b) c))");
    /* after an attribute-only splat, [0] applies to the result */
    CHECK_STR(sx_expr("a.*.b[0]"), "([] (.* a (. @ b)) 0)");
    CHECK_STR(sx_expr("a.*.b.0"), "(.* a (.N (. @ b) 0))");
    CHECK_STR(sx_expr("a[*].b[*].c"), "([*] a ([*] (. @ b) (. @ c)))");
    CHECK_STR(sx_expr("a[*x]"), "ERR: Missing close bracket on splat index");
}

TEST(parse_calls)
{
    CHECK_STR(sx_expr("f()"), "(call f)");
    CHECK_STR(sx_expr("f(1, 2,)"), "(call f 1 2)");
    CHECK_STR(sx_expr("f(\n1,\n2\n)"), "(call f 1 2)");
    CHECK_STR(sx_expr("f(xs...)"), "(call f xs ...)");
    CHECK_STR(sx_expr("f(1, xs...)"), "(call f 1 xs ...)");
    CHECK_STR(sx_expr("f(g(h(1)))"), "(call f (call g (call h 1)))");
    CHECK_STR(sx_expr("provider::aws::arn_parse(x)"), "(call provider::aws::arn_parse x)");
    CHECK_STR(sx_expr("f(xs..., y)"), "ERR: Missing closing parenthesis");
    CHECK_STR(sx_expr("f(1 2)"), "ERR: Missing argument separator");
    CHECK_STR(sx_expr("f(1"), "ERR: Unterminated function call");
}

/* ------------------------------------------------------------ templates */

TEST(parse_templates)
{
    CHECK_STR(sx_expr("\"${x}\""), "(wrap x)");
    CHECK_STR(sx_expr("\"a${x}b\""), "(tmpl \"a\" x \"b\")");
    CHECK_STR(sx_expr("\"${x}${y}\""), "(tmpl x y)");
    CHECK_STR(sx_expr("\"%{if c}y%{else}n%{endif}\""),
              "(tmpl (%if c (tmpl \"y\") (tmpl \"n\")))");
    CHECK_STR(sx_expr("\"%{if c}y%{endif}\""), "(tmpl (%if c (tmpl \"y\")))");
    CHECK_STR(sx_expr("\"%{for k, v in m}${k}%{endfor}\""), "(tmpl (%for k v m (tmpl k)))");
    CHECK_STR(sx_expr("\"%{for v in l}%{if v}x%{endif}%{endfor}\""),
              "(tmpl (%for v l (tmpl (%if v (tmpl \"x\")))))");
    CHECK_STR(sx_expr("\"%{if c}\""), "ERR: Unexpected end of template");
    CHECK_STR(sx_expr("\"%{endif}\""), "ERR: Unexpected endif directive");
    CHECK_STR(sx_expr("\"%{while}\""), "ERR: Invalid template control keyword");
    CHECK_STR(sx_expr("\"${a b}\""), "ERR: Extra characters after interpolation expression");
}

TEST(parse_strip_markers)
{
    CHECK_STR(sx_expr("\"a  ${~ x ~}  b\""), "(tmpl \"a\" x \"b\")");
    CHECK_STR(sx_expr("\"a  ${x ~}  b\""), "(tmpl \"a  \" x \"b\")");
    CHECK_STR(sx_expr("\"%{ if c ~}  y  %{~ endif }\""), "(tmpl (%if c (tmpl \"y\")))");
}

TEST(parse_heredocs)
{
    CHECK_STR(sx_expr("<<EOT\nhello\n  world\nEOT\n"), "(tmpl \"hello\\n  world\\n\")");
    CHECK_STR(sx_expr("<<-EOT\n    a\n      b\n    EOT\n"), "(tmpl \"a\\n  b\\n\")");
    CHECK_STR(sx_expr("<<-EOT\n    a\n\n    b\n  EOT\n"), "(tmpl \"a\\n\\nb\\n\")");
    CHECK_STR(sx_expr("<<-EOT\n    x ${y}\n  ${z}\n  EOT\n"),
              "(tmpl \"  x \" y \"\\n\" z \"\\n\")");
    CHECK_STR(sx_expr("<<EOT\n\\n $${a}\nEOT\n"), "(tmpl \"\\\\n ${a}\\n\")");
    CHECK_STR(sx_expr("<<EOT\nEOT\n"), "(tmpl)");
}

TEST(parse_heredoc_fields)
{
    const char *t = "<<-END\n  x\n  END\n";
    src_file *f = src_from_string("e", t, strlen(t));
    diag_list d = {0};
    ast_file *af = parse_expression(f, &d);
    CHECK_INT(d.nerrors, 0);
    CHECK_INT(af->expr->u.tmpl.heredoc, 1);
    CHECK_INT(af->expr->u.tmpl.flush, 1);
    CHECK_STR(af->expr->u.tmpl.delim, "END");
    CHECK_INT(af->expr->range.start, 0);
    CHECK_INT(af->expr->range.end, strlen(t) - 1);
    ast_file_free(af);
    diag_list_free(&d);
    src_free(f);
}

TEST(parse_template_file)
{
    const char *t = "Hi ${name}!\n%{ for x in xs ~}\n- ${x}\n%{ endfor ~}\n";
    src_file *f = src_from_string("t.tpl", t, strlen(t));
    diag_list d = {0};
    ast_file *af = parse_template(f, &d);
    CHECK_INT(d.nerrors, 0);
    char *s = ast_sexpr(af->expr);
    /* the strip marker empties the last literal; HCL keeps it as "" too */
    CHECK_STR(s, "(tmpl \"Hi \" name \"!\\n\" (%for x xs (tmpl \"- \" x \"\\n\")) \"\")");
    free(s);
    ast_file_free(af);
    diag_list_free(&d);
    src_free(f);
}

/* ------------------------------------------------------------ ranges */

TEST(parse_expression_ranges)
{
    parsed p;
    parse_text(&p, "a = f( x , y )\nb = x[*].y\nc = (1 + 2) * 3\nd = \"q${z}\"\n");
    CHECK_INT(p.d.nerrors, 0);
    const ast_body *b = p.af->body;
    CHECK_INT(b->n, 4);
    CHECK_STR(text_of(&p, b->items[0].u.attr->expr->range), "f( x , y )");
    CHECK_STR(text_of(&p, b->items[0].u.attr->name.range), "a");
    CHECK_STR(text_of(&p, b->items[1].u.attr->expr->range), "x[*].y");
    CHECK_STR(text_of(&p, b->items[2].u.attr->expr->range), "(1 + 2) * 3");
    CHECK_STR(text_of(&p, b->items[2].u.attr->expr->u.binary.lhs->range), "(1 + 2)");
    CHECK_STR(text_of(&p, b->items[2].u.attr->expr->u.binary.op_range), "*");
    CHECK_STR(text_of(&p, b->items[3].u.attr->expr->range), "\"q${z}\"");
    CHECK_STR(text_of(&p, b->items[3].u.attr->range), "d = \"q${z}\"");
    parsed_free(&p);
}

/* ------------------------------------------------------------- bodies */

TEST(parse_blocks_and_labels)
{
    parsed p;
    parse_text(&p, "resource \"aws_vpc\" main {\n  cidr = \"x\"\n  inner {}\n}\n"
                   "locals { a = 1 }\nempty {}\n");
    CHECK_INT(p.d.nerrors, 0);
    const ast_body *b = p.af->body;
    CHECK_INT(b->n, 3);
    const ast_block *r = b->items[0].u.block;
    CHECK_INT(b->items[0].kind, AST_ITEM_BLOCK);
    CHECK_STR(r->type.s, "resource");
    CHECK_INT(r->nlabels, 2);
    CHECK_STR(r->labels[0].s, "aws_vpc");
    CHECK_INT(r->labels[0].quoted, 1);
    CHECK_STR(text_of(&p, r->labels[0].range), "\"aws_vpc\"");
    CHECK_STR(r->labels[1].s, "main");
    CHECK_INT(r->labels[1].quoted, 0);
    CHECK_INT(r->body->n, 2);
    CHECK_STR(text_of(&p, r->open_brace), "{");
    CHECK_STR(text_of(&p, r->close_brace), "}");
    CHECK_STR(text_of(&p, r->range), "resource \"aws_vpc\" main {\n  cidr = \"x\"\n  inner {}\n}");
    CHECK(ast_body_attr(r->body, "cidr") != NULL);
    CHECK(ast_body_attr(r->body, "nope") == NULL);
    const ast_block *l = b->items[1].u.block;
    CHECK_INT(l->body->n, 1);
    CHECK_STR(l->body->items[0].u.attr->name.s, "a");
    CHECK_INT(b->items[2].u.block->body->n, 0);
    parsed_free(&p);
}

TEST(parse_comments_everywhere)
{
    parsed p;
    parse_text(&p, "# c\na = [ # c\n 1, /* c */ 2 // c\n]\nb \"x\" { # c\n c = 1 # c\n} # c\n");
    CHECK_INT(p.d.nerrors, 0);
    CHECK_INT(p.af->body->n, 2);
    parsed_free(&p);
}

TEST(parse_duplicate_attribute_keeps_first)
{
    parsed p;
    parse_text(&p, "a = 1\nb = 2\na = 3\n");
    CHECK_INT(p.d.nerrors, 1);
    CHECK_STR(diag_at(&p, 0), "3:1 Attribute redefined");
    CHECK(strstr(p.d.items[0].detail, "already set at t.tf:1,1-2") != NULL);
    CHECK_INT(p.af->body->n, 2);
    CHECK_STR(p.af->body->items[0].u.attr->expr->u.lit.text, "1");
    parsed_free(&p);
}

/* ----------------------------------------------------------- recovery */

TEST(parse_reports_every_error)
{
    parsed p;
    parse_text(&p, "a = \nb = 1\nc = [1 2]\nd {\n  e = \n  f = 2\n}\ng = (1\nh = 1\n");
    CHECK_STR(diag_at(&p, 0), "1:5 Invalid expression");
    CHECK_STR(diag_at(&p, 1), "3:8 Missing item separator");
    CHECK_STR(diag_at(&p, 2), "5:7 Invalid expression");
    CHECK_STR(diag_at(&p, 3), "9:1 Unbalanced parentheses");
    CHECK_INT(p.d.nerrors, 4);
    /* the good attributes before the unclosed parenthesis survive */
    CHECK(ast_body_attr(p.af->body, "b") != NULL);
    CHECK_INT(p.af->body->n, 5);   /* a c g with AST_BAD values, b, block d */
    CHECK_INT(ast_body_attr(p.af->body, "a")->expr->kind, AST_BAD);
    parsed_free(&p);
}

TEST(parse_unclosed_block_names_opener)
{
    parsed p;
    parse_text(&p, "a = 1\nresource \"x\" \"y\" {\n  b = 2\n");
    CHECK_INT(p.d.nerrors, 1);
    CHECK_STR(diag_at(&p, 0), "2:18 Unclosed configuration block");
    parsed_free(&p);
}

TEST(parse_missing_closer_detail_names_line)
{
    parsed p;
    parse_text(&p, "a = (1 +\n2\n");
    CHECK_INT(p.d.nerrors, 1);
    CHECK_STR(diag_at(&p, 0), "3:1 Unbalanced parentheses");
    CHECK(p.d.n && strstr(p.d.items[0].detail, "on line 1") != NULL);
    parsed_free(&p);
}

TEST(parse_body_errors)
{
    parsed p;
    parse_text(&p, "= 1\na b c\nx { y }\nz = 1 2\nq {} r = 1\nlocals { a = 1\n b = 2 }\n");
    CHECK_STR(diag_at(&p, 0), "1:1 Argument or block definition required");
    CHECK_STR(diag_at(&p, 1), "2:6 Invalid block definition");
    CHECK_STR(diag_at(&p, 2), "3:5 Argument or block definition required");
    CHECK_STR(diag_at(&p, 3), "4:7 Missing newline after argument");
    CHECK_STR(diag_at(&p, 4), "5:6 Missing newline after block definition");
    CHECK_STR(diag_at(&p, 5), "6:15 Invalid single-argument block definition");
    CHECK_INT(p.d.nerrors, 6);
    parsed_free(&p);
}

TEST(parse_label_with_template_is_error)
{
    parsed p;
    parse_text(&p, "r \"${x}\" {\n}\n");
    CHECK_STR(diag_at(&p, 0), "1:4 Invalid string literal");
    parsed_free(&p);
}

TEST(parse_expression_extra_characters)
{
    CHECK_STR(sx_expr("1 2"), "ERR: Extra characters after expression");
    CHECK_STR(sx_expr("a = 1"), "ERR: Extra characters after expression");
    CHECK_STR(sx_expr("1 # comment\n"), "1");
    CHECK_STR(sx_expr(""), "ERR: Missing expression");
}

TEST(parse_unsupported_operators)
{
    CHECK_STR(sx_expr("[1 & 2]"), "ERR: Unsupported operator");
    parsed p;
    parse_text(&p, "a = 1 ~ 2\nb = 1;\n");
    CHECK_STR(diag_at(&p, 0), "1:7 Unsupported operator");
    CHECK_STR(diag_at(&p, 1), "2:6 Invalid character");
    CHECK_INT(p.d.nerrors, 2);
    parsed_free(&p);
}

/* ------------------------------------------------------------- limits */

TEST(parse_depth_limit)
{
    size_t n = PARSE_MAX_DEPTH + 10;
    char *t = malloc(2 * n + 1);
    memset(t, '[', n);
    memset(t + n, ']', n);
    t[2 * n] = '\0';
    CHECK_STR(sx_expr(t), "ERR: Nesting too deep");
    memset(t, '(', n);
    memset(t + n, ')', n);
    CHECK_STR(sx_expr(t), "ERR: Nesting too deep");
    memset(t, '!', 2 * n);
    t[2 * n - 1] = 'x';
    CHECK_STR(sx_expr(t), "ERR: Nesting too deep");
    free(t);
    /* just under the limit is fine */
    char ok[64];
    memset(ok, '[', 20);
    memset(ok + 20, ']', 20);
    ok[40] = '\0';
    CHECK(strncmp(sx_expr(ok), "(tuple", 6) == 0);
}

TEST(parse_block_depth_limit)
{
    strbuf b = {0};
    for (int i = 0; i < PARSE_MAX_DEPTH + 5; i++)
        sb_puts(&b, "a {\n");
    for (int i = 0; i < PARSE_MAX_DEPTH + 5; i++)
        sb_puts(&b, "}\n");
    parsed p;
    parse_text(&p, b.s);
    CHECK(p.d.nerrors >= 1);
    CHECK(p.d.n && strcmp(p.d.items[0].summary, "Nesting too deep") == 0);
    parsed_free(&p);
    sb_free(&b);
}

TEST(parse_collection_limit)
{
    strbuf b = {0};
    sb_putc(&b, '[');
    for (int i = 0; i <= PARSE_MAX_COLLECTION; i++)
        sb_puts(&b, "1,");
    sb_putc(&b, ']');
    CHECK_STR(sx_expr(b.s), "ERR: Too many tuple elements");
    sb_free(&b);
}

TEST(parse_null_diags_allowed)
{
    src_file *f = src_from_string("t", "a = (", 5);
    ast_file *af = parse_config(f, NULL);
    CHECK(af != NULL);
    ast_file_free(af);
    src_free(f);
}

TEST(parse_keeps_tokens)
{
    parsed p;
    parse_text(&p, "a = 1 # c\n");
    CHECK_INT(p.af->tokens.n, 6);
    CHECK_INT(p.af->tokens.v[4].kind, LEX_NEWLINE);
    CHECK_INT(p.af->tokens.v[3].kind, LEX_COMMENT);
    parsed_free(&p);
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
