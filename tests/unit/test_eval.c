/*
 * tests/unit/test_eval.c — the evaluator (lang/eval.h): references through
 * the resolver, diagnostics (wording and ranges), unknown and sensitive
 * propagation, limits, type expressions, templates from text.  Values and
 * types of ordinary expressions are checked against the Go oracle by
 * tests/suites/eval_conformance.sh; this file covers what that cannot.
 */
#include "tests/unit/harness.h"
#include "lang/eval.h"
#include "lang/parse.h"
#include "lang/val_fmt.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A scope with a few values of every reference kind. */
static eval_table *scope(void)
{
    eval_table *t = eval_table_new();
    eval_table_set(t, EVAL_REF_VAR, NULL, "region", val_string("eu-west-1"));
    eval_table_set(t, EVAL_REF_VAR, NULL, "n", val_number(2));
    eval_table_set(t, EVAL_REF_VAR, NULL, "secret",
                   val_mark(val_string("hunter2"), VAL_MARK_SENSITIVE));
    eval_table_set(t, EVAL_REF_VAR, NULL, "unk", val_unknown(ty_string()));
    eval_table_set(t, EVAL_REF_VAR, NULL, "ulist", val_unknown(ty_list(ty_number())));
    eval_table_set(t, EVAL_REF_LOCAL, NULL, "name", val_string("web"));
    val inst = val_object_set(val_object_empty(), "id", val_string("i-123"));
    inst = val_object_set(inst, "tags", val_object_set(val_object_empty(), "Name",
                                                       val_string("w")));
    eval_table_set(t, EVAL_REF_RESOURCE, "aws_instance", "web", inst);
    val ami = val_object_set(val_object_empty(), "id", val_string("ami-1"));
    eval_table_set(t, EVAL_REF_DATA, "aws_ami", "ubuntu", ami);
    eval_table_set(t, EVAL_REF_MODULE, "", "vpc", val_object_empty());
    eval_table_set(t, EVAL_REF_COUNT, NULL, "index", val_number(1));
    eval_table_set(t, EVAL_REF_EACH, NULL, "key", val_string("k"));
    eval_table_set(t, EVAL_REF_EACH, NULL, "value", val_string("v"));
    eval_table_set(t, EVAL_REF_PATH, NULL, "module", val_string("."));
    eval_table_set(t, EVAL_REF_TERRAFORM, NULL, "workspace", val_string("default"));
    eval_table_set(t, EVAL_REF_SELF, NULL, NULL,
                   val_object_set(val_object_empty(), "arn", val_string("arn:x")));
    return t;
}

/* Evaluate text; on success return the console formatting (caller frees),
 * else NULL with the first diagnostic's summary in *summary (static
 * buffer) and its column range in *c0 / *c1 (1-based, end exclusive). */
static char summary_buf[512];
static int last_c0, last_c1;

static char *ev(const char *text)
{
    eval_table *t = scope();
    diag_list d = {0};
    eval_ctx c;
    eval_ctx_init(&c, &d);
    c.resolve = eval_table_resolve;
    c.payload = t;
    src_file *src = NULL;
    val v = eval_string(&c, "<test>", text, strlen(text), &src);
    char *out = NULL;
    summary_buf[0] = 0;
    last_c0 = last_c1 = 0;
    if (val_is_valid(v) && !diag_has_errors(&d)) {
        out = val_fmt(&v);
    } else if (d.n) {
        snprintf(summary_buf, sizeof summary_buf, "%s", d.items[0].summary);
        last_c0 = (int)d.items[0].range.start + 1;
        last_c1 = (int)d.items[0].range.end + 1;
    }
    val_free(v);
    diag_list_free(&d);
    src_free(src);
    eval_table_free(t);
    return out;
}

#define CHECK_EV(text, want) do {                  \
        char *got_ = ev(text);                     \
        CHECK_STR(got_ ? got_ : summary_buf, want); \
        free(got_);                                \
    } while (0)

#define CHECK_ERR(text, want_summary, col0, col1) do { \
        char *got_ = ev(text);                         \
        CHECK(got_ == NULL);                           \
        free(got_);                                    \
        CHECK_STR(summary_buf, want_summary);          \
        CHECK_INT(last_c0, col0);                      \
        CHECK_INT(last_c1, col1);                      \
    } while (0)

TEST(eval_refs_every_kind)
{
    CHECK_EV("var.region", "\"eu-west-1\"");
    CHECK_EV("local.name", "\"web\"");
    CHECK_EV("aws_instance.web.id", "\"i-123\"");
    CHECK_EV("aws_instance.web.tags.Name", "\"w\"");
    CHECK_EV("data.aws_ami.ubuntu.id", "\"ami-1\"");
    CHECK_EV("count.index", "1");
    CHECK_EV("each.key", "\"k\"");
    CHECK_EV("each.value", "\"v\"");
    CHECK_EV("path.module", "\".\"");
    CHECK_EV("terraform.workspace", "\"default\"");
    CHECK_EV("self.arn", "\"arn:x\"");
}

TEST(eval_refs_undeclared)
{
    CHECK_ERR("var.nope", "Reference to undeclared input variable", 1, 9);
    CHECK_ERR("local.nope", "Reference to undeclared local value", 1, 11);
    CHECK_ERR("aws_vpc.main.id", "Reference to undeclared resource", 1, 13);
    CHECK_ERR("data.aws_vpc.x", "Reference to undeclared resource", 1, 15);
    CHECK_ERR("module.nope.out", "Reference to undeclared module", 1, 12);
    CHECK_ERR("var", "Invalid reference", 1, 4);
    CHECK_ERR("aws_instance", "Invalid reference", 1, 13);
    CHECK_ERR("path.nope", "Invalid \"path\" attribute", 1, 10);
}

TEST(eval_for_variable_shadows_reference_roots)
{
    CHECK_EV("[for var in [1, 2] : var * 2][1]", "4");
    CHECK_EV("[for count in [5] : count][0]", "5");
}

TEST(eval_access_diagnostics)
{
    CHECK_ERR("{a = 1}.b", "Unsupported attribute", 8, 10);
    CHECK_ERR("[1, 2][2]", "Invalid index", 7, 10);
    CHECK_ERR("tomap({a = 1}).b", "Missing map element", 15, 17);
    CHECK_ERR("null.a", "Attempt to get attribute from null value", 5, 7);
    CHECK_ERR("toset([1])[0]", "Invalid index", 11, 14);
    CHECK_ERR("\"s\".x", "Unsupported attribute", 4, 6);
}

TEST(eval_operator_diagnostics)
{
    CHECK_ERR("1 + \"x\"", "Invalid operand", 5, 8);
    CHECK_ERR("true && 1", "Invalid operand", 9, 10);
    CHECK_ERR("\"a\" ? 1 : 2", "Incorrect condition type", 1, 4);
    CHECK_ERR("null ? 1 : 2", "Null condition", 1, 5);
    CHECK_ERR("true ? [1] : {a = 1}", "Inconsistent conditional result types", 1, 21);
}

TEST(eval_conditional_reports_only_chosen_branch)
{
    CHECK_EV("true ? 1 : [][0]", "1");
    CHECK_ERR("false ? 1 : [][0]", "Invalid index", 15, 18);
}

TEST(eval_function_diagnostics_point_at_argument)
{
    CHECK_ERR("nosuch(1)", "Call to unknown function", 1, 7);
    CHECK_ERR("upper(\"a\", [1])", "Too many function arguments", 12, 15);
    CHECK_ERR("upper()", "Not enough function arguments", 7, 8);
    CHECK_ERR("abs(\"x\")", "Invalid function argument", 5, 8);
    CHECK_ERR("max(1, 2, \"x\")", "Invalid function argument", 11, 14);
    CHECK_ERR("max([1, \"x\"]...)", "Invalid function argument", 5, 13);
}

TEST(eval_function_expansion)
{
    CHECK_EV("max([1, 5, 2]...)", "5");
    CHECK_ERR("max(null...)", "Invalid expanding argument value", 5, 9);
    CHECK_ERR("max(1...)", "Invalid expanding argument value", 5, 6);
}

TEST(eval_unknown_propagation)
{
    CHECK_EV("var.unk", "(known after apply)");
    CHECK_EV("\"x-${var.unk}\"", "(known after apply)");
    CHECK_EV("var.unk == \"a\"", "(known after apply)");
    CHECK_EV("length(var.unk) + 1", "(known after apply)");
    CHECK_EV("var.ulist[0]", "(known after apply)");
    CHECK_EV("[for x in var.ulist : x]", "(known after apply)");
    CHECK_EV("can(var.unk)", "(known after apply)");
    CHECK_EV("try(var.unk, 1)", "(known after apply)");
    /* An unknown condition: unknown of the unified type, both sides checked. */
    CHECK_EV("(var.unk == \"a\" ? 1 : 2) + 0", "(known after apply)");
}

TEST(eval_sensitive_propagation)
{
    CHECK_EV("var.secret", "(sensitive value)");
    CHECK_EV("\"pw=${var.secret}\"", "(sensitive value)");
    CHECK_EV("upper(var.secret)", "(sensitive value)");
    CHECK_EV("var.secret == \"x\"", "(sensitive value)");
    CHECK_EV("[for c in [var.secret] : c][0]", "(sensitive value)");
    CHECK_EV("length(var.secret)", "(sensitive value)");
    CHECK_EV("nonsensitive(var.secret)", "\"hunter2\"");
}

/* An object with a sensitive attribute is not itself sensitive: length and
 * keys see only its own mark, functions that read the values mark their whole
 * result, and a sensitive key marks the whole object (checked with hclsyntax
 * and go-cty; the length of an object is Terraform's own length). */
TEST(eval_sensitive_nested)
{
    CHECK_EV("length([{pw = var.secret}, {pw = var.secret}])", "2");
    CHECK_EV("length(keys({name = \"n\", pw = var.secret}))", "2");
    CHECK_EV("keys({name = \"n\", pw = var.secret})[1]", "\"pw\"");
    CHECK_EV("length({name = \"n\", pw = var.secret})", "2");
    CHECK_EV("jsonencode({name = \"n\", pw = var.secret})", "(sensitive value)");
    CHECK_EV("tostring({name = \"n\", pw = var.secret}.pw)", "(sensitive value)");
    CHECK_EV("keys({(var.secret) = 1})", "(sensitive value)");
    CHECK_EV("length({(var.secret) = 1})", "(sensitive value)");
}

TEST(eval_can_and_try)
{
    CHECK_EV("can(var.nope)", "false");
    CHECK_EV("can(var.region)", "true");
    CHECK_EV("try(var.nope, \"d\")", "\"d\"");
    CHECK_EV("try(local.nope, var.nope, 3)", "3");
    CHECK_ERR("try(var.nope)", "Error in function call", 1, 14);
    CHECK_ERR("can(1, 2)", "Too many function arguments", 1, 10);
}

TEST(eval_for_errors)
{
    CHECK_ERR("{for x in [\"a\", \"a\"] : x => 1}", "Duplicate object key", 24, 25);
    CHECK_ERR("[for x in null : x]", "Iteration over null value", 11, 15);
    CHECK_ERR("[for x in 1 : x]", "Iteration over non-iterable value", 11, 12);
    CHECK_ERR("[for x in [1] : x if 1]", "Invalid 'for' condition", 22, 23);
}

TEST(eval_template_errors)
{
    CHECK_ERR("\"a${null}\"", "Invalid template interpolation value", 5, 9);
    CHECK_ERR("\"a${[1]}\"", "Invalid template interpolation value", 5, 8);
    CHECK_ERR("\"%{if null}x%{endif}\"", "Null condition", 7, 11);
}

TEST(eval_depth_limit)
{
    /* Parentheses nest deeper than EVAL_MAX_DEPTH yet within the parser's
     * PARSE_MAX_DEPTH: the evaluator must stop with its own diagnostic. */
    char buf[1024];
    int deep = EVAL_MAX_DEPTH + 20, n = 0;
    CHECK(deep < PARSE_MAX_DEPTH);
    for (int i = 0; i < deep; i++)
        buf[n++] = '(';
    buf[n++] = '1';
    for (int i = 0; i < deep; i++)
        buf[n++] = ')';
    buf[n] = 0;
    char *got = ev(buf);
    CHECK(got == NULL);
    CHECK_STR(summary_buf, "Expression too complex");
    free(got);
    /* Just inside the limit still evaluates. */
    n = 0;
    for (int i = 0; i < EVAL_MAX_DEPTH - 5; i++)
        buf[n++] = '(';
    buf[n++] = '1';
    for (int i = 0; i < EVAL_MAX_DEPTH - 5; i++)
        buf[n++] = ')';
    buf[n] = 0;
    CHECK_EV(buf, "1");
}

TEST(eval_for_result_limit)
{
    /* range() caps its own output, so build the big collection by nesting:
     * 1001 x 1001 elements exceed EVAL_MAX_FOR_RESULT in the flattening. */
    CHECK(EVAL_MAX_FOR_RESULT < 1001 * 1001);
    CHECK_ERR("[for x in flatten([for i in range(1001) : range(1001)]) : x]",
              "Collection too large", 11, 56);
}

TEST(eval_type_expressions)
{
    const char *cases[][2] = {
        {"string", "string"},
        {"list(number)", "list(number)"},
        {"map(any)", "map(any)"},
        {"set(bool)", "set(bool)"},
        {"tuple([string, number])", "tuple([string, number])"},
        {"object({b = string, a = list(number)})", "object({a=list(number), b=string})"},
        {"object({a = optional(string, \"x\")})", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_list d = {0};
        src_file *s = src_from_string("<t>", cases[i][0], strlen(cases[i][0]));
        ast_file *af = parse_expression(s, &d);
        ty *t = af ? eval_type_expr(af->expr, &d) : NULL;
        CHECK(t != NULL);
        if (t && cases[i][1]) {
            char *str = ty_str(t);
            CHECK(str != NULL);
            free(str);
        }
        if (t && !cases[i][1]) {
            CHECK_INT(ty_kind(t), TY_OBJECT);
            CHECK(ty_attr_optional(t, 0));
            val def = ty_attr_default(t, 0);
            CHECK(val_is_valid(def) && strcmp(val_get_string(def), "x") == 0);
            val_free(def);
            /* Converting an empty object fills the default in. */
            val o = val_convert(val_object_empty(), t);
            CHECK(val_is_valid(o) && val_lookup(o, "a") &&
                  strcmp(val_get_string(*val_lookup(o, "a")), "x") == 0);
            val_free(o);
        }
        if (t)
            ty_free(t);
        ast_file_free(af);
        diag_list_free(&d);
        src_free(s);
    }
    const char *bad[] = {"strin", "list", "list(string, number)", "optional(string)",
                         "object({a = foo})", "1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag_list d = {0};
        src_file *s = src_from_string("<t>", bad[i], strlen(bad[i]));
        ast_file *af = parse_expression(s, &d);
        ty *t = af && !diag_has_errors(&d) ? eval_type_expr(af->expr, &d) : NULL;
        CHECK(t == NULL);
        CHECK(diag_has_errors(&d));
        ast_file_free(af);
        diag_list_free(&d);
        src_free(s);
    }
}

TEST(eval_template_text_with_vars)
{
    diag_list d = {0};
    eval_ctx c;
    eval_ctx_init(&c, &d);
    src_file *s = NULL;
    const char *tpl = "%{ for a in addrs ~}\nbackend ${a}:${port}\n%{ endfor ~}\n";
    val vars = val_object_set(val_object_empty(), "port", val_number(80));
    val addrs = val_tuple_append(val_tuple_append(val_tuple_empty(), val_string("x")),
                                 val_string("y"));
    vars = val_object_set(vars, "addrs", addrs);
    val v = eval_template_text(&c, "t.tftpl", tpl, strlen(tpl), vars, &s);
    CHECK(val_is_valid(v));
    if (val_is_valid(v))
        CHECK_STR(val_get_string(v), "backend x:80\nbackend y:80\n");
    val_free(v);
    src_free(s);
    /* A template sees only its variables. */
    s = NULL;
    v = eval_template_text(&c, "t2", "${var.x}", 8, val_object_empty(), &s);
    CHECK(!val_is_valid(v));
    CHECK(diag_has_errors(&d));
    val_free(v);
    src_free(s);
    diag_list_free(&d);
}

TEST(eval_table_replace_and_get)
{
    eval_table *t = eval_table_new();
    CHECK_INT(eval_table_set(t, EVAL_REF_VAR, NULL, "a", val_number(1)), 0);
    CHECK_INT(eval_table_set(t, EVAL_REF_VAR, NULL, "a", val_number(2)), 0);
    const val *p = eval_table_get(t, EVAL_REF_VAR, NULL, "a");
    CHECK(p && val_get_number(*p) == 2);
    CHECK(eval_table_get(t, EVAL_REF_LOCAL, NULL, "a") == NULL);
    eval_table_free(t);
}

TEST(eval_heredocs)
{
    CHECK_EV("<<EOT\nhello ${var.region}\nEOT\n", "<<EOT\nhello eu-west-1\n\nEOT");
    CHECK_EV("<<-EOT\n    a\n      b\n    EOT\n", "<<EOT\na\n  b\n\nEOT");
    CHECK_EV("<<EOT\n%{ for x in [1, 2] ~}\n${x}\n%{ endfor ~}\nEOT\n",
             "<<EOT\n1\n2\n\nEOT");
}

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* templatefile() goes through the evaluator's render callback; a template
 * that calls itself stops at EVAL_MAX_TEMPLATEFILE_DEPTH. */
TEST(eval_templatefile_callback)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cairn-eval-XXXXXX");
    if (!mkdtemp(tmpdir))
        SKIP("mkdtemp failed");
    write_file("a.tftpl", "Hi ${name}%{ if n > 0 }+${templatefile(\"a.tftpl\", "
                          "{name = name, n = n - 1})}%{ endif }");
    write_file("self.tftpl", "${templatefile(\"self.tftpl\", {})}");
    write_file("bad.tftpl", "${nosuch}");
    struct { const char *expr, *want; int ok; } cases[] = {
        {"templatefile(\"a.tftpl\", {name = \"x\", n = 2})", "Hi x+Hi x+Hi x", 1},
        {"templatefile(\"self.tftpl\", {})", NULL, 0},
        {"templatefile(\"bad.tftpl\", {})", NULL, 0},
        {"templatefile(\"missing.tftpl\", {})", NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_list d = {0};
        eval_ctx c;
        eval_ctx_init(&c, &d);
        c.base_dir = tmpdir;
        src_file *src = NULL;
        val v = eval_string(&c, "<t>", cases[i].expr, strlen(cases[i].expr), &src);
        CHECK_INT(val_is_valid(v), cases[i].ok);
        if (cases[i].ok && val_is_valid(v))
            CHECK_STR(val_get_string(v), cases[i].want);
        if (!cases[i].ok)
            CHECK(diag_has_errors(&d) && d.n > 0);
        if (i == 1 && d.n)   /* the recursion stops at the named limit */
            CHECK(d.items[0].detail && strstr(d.items[0].detail,
                                              "EVAL_MAX_TEMPLATEFILE_DEPTH"));
        if (i == 2 && d.n)
            CHECK(d.items[0].detail &&
                  strstr(d.items[0].detail, "Unknown variable; There is no variable named"));
        if (i == 3 && d.n)   /* a missing file is the path argument's fault */
            CHECK_INT(d.items[0].range.start, 13);
        val_free(v);
        diag_list_free(&d);
        src_free(src);
    }
    const char *names[] = {"a.tftpl", "self.tftpl", "bad.tftpl"};
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        remove(path);
    }
    rmdir(tmpdir);
}

static void collect_ref(const eval_ref *r, void *payload)
{
    strbuf *b = payload;
    static const char *kinds[] = {"var", "local", "resource", "data", "module", "count",
                                  "each", "self", "path", "terraform"};
    sb_printf(b, "%s%s%s%s%s;", kinds[r->kind], r->type ? ":" : "", r->type ? r->type : "",
              r->name ? ":" : "", r->name ? r->name : "");
}

TEST(eval_refs_lists_references)
{
    const char *text = "\"${var.a}-${local.b}\" == aws_instance.web[count.index].id ? "
                       "[for x in data.aws_ami.u.ids : x if x != each.key] : "
                       "{k = module.m.out, p = path.module, w = terraform.workspace, s = self}";
    diag_list d = {0};
    src_file *s = src_from_string("<t>", text, strlen(text));
    ast_file *af = parse_expression(s, &d);
    CHECK(af && !diag_has_errors(&d));
    strbuf b = {0};
    if (af)
        eval_refs(af->expr, collect_ref, &b);
    char *got = sb_take(&b);
    CHECK_STR(got, "var:a;local:b;resource:aws_instance:web;count:index;data:aws_ami:u;"
                   "each:key;module:m;path:module;terraform:workspace;self;");
    free(got);
    ast_file_free(af);
    diag_list_free(&d);
    src_free(s);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
