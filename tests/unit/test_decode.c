/*
 * tests/unit/test_decode.c — block bodies against schemas (engine/decode.h):
 * every diagnostic with its position and wording, defaults, the four
 * nesting modes, dynamic blocks (iterators, nesting, unknown for_each),
 * sensitive marks, unknowns, timeouts, durations, suggestions and the
 * reference walk.  The schemas are static data here; their types come from
 * plugin_schema_type_build, so no plugin is loaded.
 */
#include "tests/unit/harness.h"
#include "engine/decode.h"
#include "engine/plugin.h"
#include "lang/parse.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- schemas */

static const prov_attr rule_attrs[] = {
    {"port", "number", PROV_REQUIRED, NULL, NULL},
    {"protocol", "string", PROV_OPTIONAL, "\"tcp\"", NULL},
    {"cidr_blocks", "list(string)", PROV_OPTIONAL, NULL, NULL},
};
static const prov_schema rule_schema = {rule_attrs, 3, NULL, 0};

static const prov_attr kv_attrs[] = {{"value", "string", PROV_REQUIRED, NULL, NULL}};
static const prov_schema kv_schema = {kv_attrs, 1, NULL, 0};

static const prov_block outer_blocks[] = {{"inner", PROV_NEST_LIST, 0, 0, 0, &rule_schema}};
static const prov_attr outer_attrs[] = {{"name", "string", PROV_OPTIONAL, NULL, NULL}};
static const prov_schema outer_schema = {outer_attrs, 1, outer_blocks, 1};

static const prov_attr top_attrs[] = {
    {"cidr_block", "string", PROV_REQUIRED, NULL, NULL},
    {"name", "string", PROV_OPTIONAL, NULL, NULL},
    {"port", "number", PROV_OPTIONAL, NULL, NULL},
    {"enabled", "bool", PROV_OPTIONAL, "true", NULL},
    {"tags", "map(string)", PROV_OPTIONAL, "{\"env\":\"dev\"}", NULL},
    {"id", "string", PROV_COMPUTED, NULL, NULL},
    {"arn", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL, NULL},
    {"password", "string", PROV_OPTIONAL | PROV_SENSITIVE, NULL, NULL},
};
static const prov_block top_blocks[] = {
    {"ingress", PROV_NEST_LIST, 0, 3, 0, &rule_schema},
    {"egress", PROV_NEST_SET, 0, 0, 0, &rule_schema},
    {"logging", PROV_NEST_SINGLE, 0, 1, 0, &kv_schema},
    {"setting", PROV_NEST_MAP, 0, 0, 0, &kv_schema},
    {"outer", PROV_NEST_LIST, 0, 0, 0, &outer_schema},
};
static const prov_schema top = {top_attrs, 8, top_blocks, 5};

/* Blocks with lower limits. */
static const prov_block need_blocks[] = {
    {"rule", PROV_NEST_LIST, 1, 2, 0, &rule_schema},
    {"must", PROV_NEST_SINGLE, 1, 1, 0, &kv_schema},
};
static const prov_schema need = {NULL, 0, need_blocks, 2};

/* A block type that may also be assigned as an argument (PROV_AS_ATTR). */
static const prov_block asattr_blocks[] = {
    {"rule", PROV_NEST_SET, 0, 0, PROV_AS_ATTR, &rule_schema},
};
static const prov_schema asattr = {outer_attrs, 1, asattr_blocks, 1};

/* ---------------------------------------------------------------- running */

static eval_table *scope(void)
{
    eval_table *t = eval_table_new();
    eval_table_set(t, EVAL_REF_VAR, NULL, "region", val_string("eu"));
    val ports = val_list_append(val_list_empty(ty_number()), val_number(80));
    ports = val_list_append(ports, val_number(443));
    eval_table_set(t, EVAL_REF_VAR, NULL, "ports", ports);
    eval_table_set(t, EVAL_REF_VAR, NULL, "unk", val_unknown(ty_string()));
    eval_table_set(t, EVAL_REF_VAR, NULL, "unk_list", val_unknown(ty_list(ty_number())));
    eval_table_set(t, EVAL_REF_VAR, NULL, "secret",
                   val_mark(val_string("hunter2"), VAL_MARK_SENSITIVE));
    return t;
}

/* The current run: the source, tree and diagnostics stay alive until the
 * next one, so that checks can look at ranges. */
static struct {
    src_file *src;
    ast_file *af;
    diag_list d;
    val v;
} R;

static void reset(void)
{
    val_free(R.v);
    diag_list_free(&R.d);
    ast_file_free(R.af);
    src_free(R.src);
    memset(&R, 0, sizeof R);
}

/* Parse text (a file holding one block) and return that block. */
static const ast_block *parse_block(const char *text)
{
    reset();
    R.src = src_from_string("<t>", text, strlen(text));
    R.af = parse_config(R.src, &R.d);
    CHECK(R.af && !diag_has_errors(&R.d) && R.af->body->n == 1);
    if (diag_has_errors(&R.d))
        diag_print_all(stdout, &R.d, 0);
    return R.af->body->items[0].u.block;
}

/* Decode the one block of text against s.  Evaluation diagnostics must go
 * to R.d too, and ctx must come back as it went in. */
static val dec(const char *text, const prov_schema *s, unsigned flags)
{
    const ast_block *b = parse_block(text);
    ty *st = NULL;
    CHECK_INT(plugin_schema_type_build(s, &st), 0);
    eval_table *t = scope();
    diag_list other = {0};
    eval_ctx c;
    eval_ctx_init(&c, &other);
    c.resolve = eval_table_resolve;
    c.payload = t;
    R.v = decode_body(b->body, s, st, b->open_brace, &c, flags, &R.d);
    CHECK_INT(other.n, 0);
    CHECK(c.diags == &other && c.resolve == eval_table_resolve && c.payload == t);
    if (val_is_valid(R.v)) {
        ty *vt = val_type(R.v);
        CHECK(!diag_has_errors(&R.d));
        CHECK(ty_equal(vt, st));
        ty_free(vt);
    }
    diag_list_free(&other);
    eval_table_free(t);
    ty_free(st);
    return R.v;
}

/* Compact form: "!" before a sensitive value, "?" for unknown, lists [..],
 * sets <..>, tuples (..), maps and objects {k=v,..}. */
static void show(strbuf *b, val v)
{
    if (val_is_sensitive(v))
        sb_putc(b, '!');
    if (val_is_unknown(v) || val_is_null(v)) {
        sb_puts(b, val_is_unknown(v) ? "?" : "null");
        return;
    }
    char num[VAL_NUMBER_BUF];
    const char *open = "[", *close = "]";
    switch (val_kind(v)) {
    case VAL_BOOL: sb_puts(b, val_get_bool(v) ? "true" : "false"); return;
    case VAL_NUMBER:
        val_number_fmt(val_get_number(v), num, sizeof num);
        sb_puts(b, num);
        return;
    case VAL_STRING: sb_printf(b, "\"%s\"", val_get_string(v)); return;
    case VAL_SET: open = "<"; close = ">"; break;
    case VAL_TUPLE: open = "("; close = ")"; break;
    case VAL_MAP: case VAL_OBJECT: open = "{"; close = "}"; break;
    default: break;
    }
    sb_puts(b, open);
    for (size_t i = 0; i < val_len(v); i++) {
        if (i)
            sb_putc(b, ',');
        if (val_kind(v) == VAL_MAP || val_kind(v) == VAL_OBJECT)
            sb_printf(b, "%s=", val_key_at(v, i));
        show(b, *val_at(v, i));
    }
    sb_puts(b, close);
}

/* The compact form of attribute `name` of R.v (static buffer). */
static const char *attr(const char *name)
{
    static char buf[1024];
    const val *a = val_is_valid(R.v) ? val_lookup(R.v, name) : NULL;
    if (!a)
        return "(none)";
    strbuf b = {0};
    show(&b, *a);
    char *s = sb_take(&b);
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    free(s);
    return buf;
}

/* The first diagnostic with this summary, or NULL (the list printed). */
static const diag *find(const char *summary)
{
    for (size_t i = 0; i < R.d.n; i++)
        if (strcmp(R.d.items[i].summary, summary) == 0)
            return &R.d.items[i];
    printf("# no diagnostic \"%s\" among:\n", summary);
    diag_print_all(stdout, &R.d, 0);
    return NULL;
}

/* Check the number of diagnostics, printing them when it is wrong. */
#define CHECK_NDIAG(n_) do {                                             \
        CHECK_INT(R.d.n, n_);                                            \
        if (R.d.n != (size_t)(n_))                                       \
            diag_print_all(stdout, &R.d, 0);                             \
    } while (0)

/* Check that a diagnostic `summary` exists at line:col with `detail`. */
#define CHECK_DIAG(sum_, line_, col_, detail_) do {                      \
        const diag *g_ = find(sum_);                                     \
        CHECK(g_ != NULL);                                               \
        if (g_) {                                                        \
            int l_ = 0, c_ = 0;                                          \
            src_pos(g_->range.file, g_->range.start, &l_, &c_);          \
            CHECK_INT(l_, line_);                                        \
            CHECK_INT(c_, col_);                                         \
            CHECK_STR(g_->detail, detail_);                              \
        }                                                                \
    } while (0)

/* ---------------------------------------------------------------- attributes */

TEST(decode_values_and_defaults)
{
    val v = dec("resource \"t\" \"x\" {\n"
                "  cidr_block = \"10.0.0.0/16\"\n"
                "  port       = \"80\"\n"
                "  name       = \"${var.region}-vpc\"\n"
                "}\n", &top, DECODE_RESOURCE);
    CHECK(val_is_valid(v));
    CHECK_NDIAG(0);
    CHECK_STR(attr("cidr_block"), "\"10.0.0.0/16\"");
    CHECK_STR(attr("port"), "80");
    CHECK_STR(attr("name"), "\"eu-vpc\"");
    CHECK_STR(attr("enabled"), "true");
    CHECK_STR(attr("tags"), "{env=\"dev\"}");
    CHECK_STR(attr("id"), "null");
    CHECK_STR(attr("arn"), "null");
    CHECK_STR(attr("password"), "null");
    CHECK_STR(attr("ingress"), "[]");
    CHECK_STR(attr("egress"), "<>");
    CHECK_STR(attr("logging"), "null");
    CHECK_STR(attr("setting"), "{}");
    reset();
}

TEST(decode_unsupported_argument)
{
    val v = dec("resource \"t\" \"x\" {\n"
                "  cidr_block = \"a\"\n"
                "  cidr_blok = \"10.0.0.0/16\"\n"
                "  xyzzy = 1\n"
                "}\n", &top, DECODE_RESOURCE);
    CHECK(!val_is_valid(v));
    CHECK_INT(R.d.nerrors, 2);
    CHECK_DIAG("Unsupported argument", 3, 3,
               "An argument named \"cidr_blok\" is not expected here. Did you mean "
               "\"cidr_block\"?");
    if (R.d.n == 2) {
        CHECK_STR(R.d.items[1].detail, "An argument named \"xyzzy\" is not expected here.");
        CHECK_INT(R.d.items[1].range.end - R.d.items[1].range.start, 5);
    }
    reset();
}

TEST(decode_computed_only_argument)
{
    dec("resource \"t\" \"x\" {\n  cidr_block = \"a\"\n  id = \"vpc-1\"\n  arn = \"ok\"\n}\n",
        &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 1);
    CHECK_DIAG("Unsupported argument", 3, 3,
               "The argument \"id\" is read-only (computed by the provider).");
    reset();
}

TEST(decode_missing_required)
{
    dec("resource \"t\" \"x\" {\n  name = \"a\"\n}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 1);
    CHECK_DIAG("Missing required argument", 1, 18,
               "The argument \"cidr_block\" is required, but no definition was found.");
    dec("resource \"t\" \"x\" {\n  cidr_block = null\n}\n", &top, DECODE_RESOURCE);
    CHECK_DIAG("Missing required argument", 2, 16,
               "The argument \"cidr_block\" is required, but was set to null.");
    reset();
}

TEST(decode_incorrect_type)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  port = \"abc\"\n"
        "  tags = [\"x\"]\n"
        "  enabled = \"yes\"\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 3);
    CHECK_DIAG("Incorrect attribute value type", 3, 10,
               "Inappropriate value for attribute \"port\": a number is required.");
    if (R.d.n == 3) {
        CHECK_STR(R.d.items[1].detail,
                  "Inappropriate value for attribute \"tags\": map of string required.");
        CHECK_STR(R.d.items[2].detail,
                  "Inappropriate value for attribute \"enabled\": a bool is required.");
    }
    reset();
}

TEST(decode_evaluation_errors_reported)
{
    val v = dec("resource \"t\" \"x\" {\n  cidr_block = var.nope\n  name = 1 + \"a\"\n}\n",
                &top, DECODE_RESOURCE);
    CHECK(!val_is_valid(v));
    CHECK_INT(R.d.nerrors, 2);
    CHECK_DIAG("Reference to undeclared input variable", 2, 16,
               "An input variable with the name \"nope\" has not been declared. This variable "
               "can be declared with a variable \"nope\" {} block.");
    reset();
}

TEST(decode_block_attribute_confusion)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  ingress = []\n"
        "  tags {\n  }\n"
        "  ingres {\n  }\n"
        "  frobnicate {\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 4);
    CHECK_DIAG("Unsupported argument", 3, 3,
               "An argument named \"ingress\" is not expected here. Did you mean to define a "
               "block of type \"ingress\"?");
    CHECK_DIAG("Unsupported block type", 4, 3,
               "Blocks of type \"tags\" are not expected here. Did you mean to define argument "
               "\"tags\"? If so, use the equals sign to assign it a value.");
    if (R.d.n == 4) {
        CHECK_STR(R.d.items[2].detail, "Blocks of type \"ingres\" are not expected here. Did "
                                       "you mean \"ingress\"?");
        CHECK_STR(R.d.items[3].detail, "Blocks of type \"frobnicate\" are not expected here.");
    }
    reset();
}

TEST(decode_attributes_as_blocks)
{
    /* Neither form: null, which the plan reads as "keep the prior value". */
    dec("resource \"t\" \"x\" {\n  name = \"a\"\n}\n", &asattr, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("rule"), "null");
    /* An empty list assigned: an empty set, not null. */
    dec("resource \"t\" \"x\" {\n  rule = []\n}\n", &asattr, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("rule"), "<>");
    /* Assigned objects carry every field. */
    dec("resource \"t\" \"x\" {\n"
        "  rule = [{ port = 443, protocol = \"tcp\", cidr_blocks = [] }]\n"
        "}\n", &asattr, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("rule"), "<{cidr_blocks=[],port=443,protocol=\"tcp\"}>");
    /* Blocks still work, defaults included. */
    dec("resource \"t\" \"x\" {\n  rule {\n    port = 22\n  }\n}\n", &asattr,
        DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("rule"), "<{cidr_blocks=null,port=22,protocol=\"tcp\"}>");
    /* A missing field in the argument form is a type error at the value. */
    dec("resource \"t\" \"x\" {\n  rule = [{ port = 443 }]\n}\n", &asattr,
        DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 1);
    CHECK(find("Incorrect attribute value type") != NULL);
    /* Both forms: one error, at the first block, naming the argument. */
    dec("resource \"t\" \"x\" {\n"
        "  rule = []\n"
        "  rule {\n    port = 22\n  }\n"
        "}\n", &asattr, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 1);
    CHECK_DIAG("Duplicate rule definition", 3, 3,
               "\"rule\" is set as an argument at <t>:2,3-7; it cannot also be written as "
               "blocks.");
    reset();
}

TEST(decode_sensitive_and_unknown)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = var.unk\n"
        "  password = \"pw\"\n"
        "  name = var.secret\n"
        "  tags = {a = var.unk}\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("cidr_block"), "?");
    CHECK_STR(attr("password"), "!\"pw\"");
    CHECK_STR(attr("name"), "!\"hunter2\"");
    CHECK_STR(attr("tags"), "{a=?}");
    const val *p = val_lookup(R.v, "cidr_block");
    if (p) {
        ty *t = val_type(*p);
        CHECK(ty_kind(t) == TY_STRING);
        ty_free(t);
    }
    dec("resource \"t\" \"x\" {\n  cidr_block = \"a\"\n  password = var.unk\n}\n", &top, 0);
    CHECK_STR(attr("password"), "!?");
    reset();
}

/* ---------------------------------------------------------------- meta-arguments */

TEST(decode_meta_arguments)
{
    const char *res = "resource \"t\" \"x\" {\n"
                      "  count = 1\n  for_each = {}\n  depends_on = []\n  provider = aws.x\n"
                      "  cidr_block = \"a\"\n"
                      "  lifecycle {\n  }\n  provisioner \"local-exec\" {\n  }\n"
                      "  connection {\n  }\n  timeouts {\n  }\n"
                      "}\n";
    CHECK(val_is_valid(dec(res, &top, DECODE_RESOURCE)));
    CHECK_NDIAG(0);
    dec(res, &top, DECODE_DATA);   /* provisioner, connection and timeouts are not data's */
    CHECK_INT(R.d.nerrors, 3);
    dec(res, &top, 0);
    CHECK_INT(R.d.nerrors, 8);
    const char *prov = "provider \"p\" {\n  alias = \"b\"\n  version = \"1\"\n"
                       "  cidr_block = \"a\"\n}\n";
    CHECK(val_is_valid(dec(prov, &top, DECODE_PROVIDER)));
    dec(prov, &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 2);
    reset();
}

/* ---------------------------------------------------------------- nesting modes */

TEST(decode_nesting_modes)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  ingress {\n    port = 80\n  }\n"
        "  ingress {\n    port = 443\n    protocol = \"udp\"\n    cidr_blocks = [\"0/0\"]\n  }\n"
        "  egress {\n    port = 2\n  }\n"
        "  egress {\n    port = 1\n  }\n"
        "  egress {\n    port = 2\n  }\n"
        "  logging {\n    value = \"on\"\n  }\n"
        "  setting \"b\" {\n    value = \"2\"\n  }\n"
        "  setting \"a\" {\n    value = \"1\"\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("ingress"), "[{cidr_blocks=null,port=80,protocol=\"tcp\"},"
                               "{cidr_blocks=[\"0/0\"],port=443,protocol=\"udp\"}]");
    CHECK_STR(attr("egress"), "<{cidr_blocks=null,port=1,protocol=\"tcp\"},"
                              "{cidr_blocks=null,port=2,protocol=\"tcp\"}>");
    CHECK_STR(attr("logging"), "{value=\"on\"}");
    CHECK_STR(attr("setting"), "{a={value=\"1\"},b={value=\"2\"}}");
    reset();
}

TEST(decode_nested_block_errors)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  ingress {\n    protocol = 1\n    prot = 2\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 2);
    CHECK_DIAG("Missing required argument", 3, 11,
               "The argument \"port\" is required, but no definition was found.");
    CHECK_DIAG("Unsupported argument", 5, 5,
               "An argument named \"prot\" is not expected here. Did you mean \"port\"?");
    reset();
}

TEST(decode_labels)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  ingress \"x\" {\n    port = 1\n  }\n"
        "  setting {\n    value = \"v\"\n  }\n"
        "  setting \"a\" \"b\" {\n    value = \"v\"\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 3);
    CHECK_DIAG("Extraneous label for ingress", 3, 11, "No labels are expected for ingress blocks.");
    CHECK_DIAG("Missing name for setting", 6, 11, "All setting blocks must have 1 labels (name).");
    CHECK_DIAG("Extraneous label for setting", 9, 15,
               "Only 1 labels (name) are expected for setting blocks.");
    reset();
}

TEST(decode_block_counts)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  ingress {\n    port = 1\n  }\n"
        "  ingress {\n    port = 2\n  }\n"
        "  ingress {\n    port = 3\n  }\n"
        "  ingress {\n    port = 4\n  }\n"
        "  logging {\n    value = \"a\"\n  }\n"
        "  logging {\n    value = \"b\"\n  }\n"
        "  setting \"k\" {\n    value = \"a\"\n  }\n"
        "  setting \"k\" {\n    value = \"b\"\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 3);
    CHECK_DIAG("Too many ingress blocks", 12, 3, "No more than 3 \"ingress\" blocks are allowed");
    CHECK_DIAG("Duplicate logging block", 18, 3,
               "Only one logging block is allowed. Another was defined at <t>:15,3-10.");
    CHECK_DIAG("Duplicate setting block", 24, 3,
               "Only one setting block with the label \"k\" is allowed. Another was defined at "
               "<t>:21,3-14.");
    dec("resource \"t\" \"x\" {\n}\n", &need, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 2);
    CHECK_DIAG("Insufficient rule blocks", 1, 18, "At least 1 \"rule\" blocks are required.");
    CHECK_DIAG("Missing must block", 1, 18, "A block of type \"must\" is required here.");
    reset();
}

/* ---------------------------------------------------------------- dynamic blocks */

TEST(decode_dynamic_list)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  ingress {\n    port = 1\n  }\n"
        "  dynamic \"ingress\" {\n"
        "    for_each = [var.ports[1]]\n"
        "    content {\n"
        "      port     = ingress.value\n"
        "      protocol = \"p${ingress.key}-${var.region}\"\n"
        "    }\n"
        "  }\n"
        "  ingress {\n    port = 2\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("ingress"), "[{cidr_blocks=null,port=1,protocol=\"tcp\"},"
                               "{cidr_blocks=null,port=443,protocol=\"p0-eu\"},"
                               "{cidr_blocks=null,port=2,protocol=\"tcp\"}]");
    reset();
}

TEST(decode_dynamic_iterator_map_single_set)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  dynamic \"setting\" {\n"
        "    for_each = {b = \"2\", a = \"1\"}\n"
        "    iterator = s\n"
        "    labels   = [\"k-${s.key}\"]\n"
        "    content {\n      value = s.value\n    }\n"
        "  }\n"
        "  dynamic \"logging\" {\n"
        "    for_each = [\"only\"]\n"
        "    content {\n      value = logging.value\n    }\n"
        "  }\n"
        "  dynamic \"egress\" {\n"
        "    for_each = toset([3, 1, 3])\n"
        "    iterator = each\n"
        "    content {\n      port = each.key + each.value\n    }\n"
        "  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("setting"), "{k-a={value=\"1\"},k-b={value=\"2\"}}");
    CHECK_STR(attr("logging"), "{value=\"only\"}");
    CHECK_STR(attr("egress"), "<{cidr_blocks=null,port=2,protocol=\"tcp\"},"
                              "{cidr_blocks=null,port=6,protocol=\"tcp\"}>");
    reset();
}

/* Inner iterators see outer ones; an inner one of the same name shadows. */
TEST(decode_dynamic_nested)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  dynamic \"outer\" {\n"
        "    for_each = {x = [1, 2], y = [3]}\n"
        "    content {\n"
        "      name = outer.key\n"
        "      dynamic \"inner\" {\n"
        "        for_each = outer.value\n"
        "        content {\n"
        "          port     = inner.value * 10\n"
        "          protocol = \"${outer.key}${inner.key}\"\n"
        "        }\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "  dynamic \"outer\" {\n"
        "    for_each = [[7]]\n"
        "    iterator = it\n"
        "    content {\n"
        "      dynamic \"inner\" {\n"
        "        for_each = it.value\n"
        "        iterator = it\n"
        "        content {\n          port = it.value\n        }\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    CHECK_STR(attr("outer"),
              "[{inner=[{cidr_blocks=null,port=10,protocol=\"x0\"},"
              "{cidr_blocks=null,port=20,protocol=\"x1\"}],name=\"x\"},"
              "{inner=[{cidr_blocks=null,port=30,protocol=\"y0\"}],name=\"y\"},"
              "{inner=[{cidr_blocks=null,port=7,protocol=\"tcp\"}],name=null}]");
    reset();
}

TEST(decode_dynamic_unknown_for_each)
{
    const char *text = "resource \"t\" \"x\" {\n"
                       "  cidr_block = \"a\"\n"
                       "  ingress {\n    port = 1\n  }\n"
                       "  dynamic \"ingress\" {\n"
                       "    for_each = var.unk_list\n"
                       "    content {\n      port = ingress.value\n    }\n"
                       "  }\n"
                       "  dynamic \"logging\" {\n"
                       "    for_each = var.unk_list\n"
                       "    content {\n      value = \"x\"\n    }\n"
                       "  }\n"
                       "  dynamic \"setting\" {\n"
                       "    for_each = [1]\n"
                       "    labels = [var.unk]\n"
                       "    content {\n      value = \"x\"\n    }\n"
                       "  }\n"
                       "}\n";
    CHECK(val_is_valid(dec(text, &top, DECODE_RESOURCE)));
    CHECK_NDIAG(0);
    CHECK_STR(attr("ingress"), "?");
    CHECK_STR(attr("logging"), "?");
    CHECK_STR(attr("setting"), "?");
    const val *in = val_lookup(R.v, "ingress");
    if (in) {
        ty *t = val_type(*in);
        char *s = ty_str(t);
        CHECK_STR(s, "list(object({cidr_blocks=list(string), port=number, protocol=string}))");
        free(s);
        ty_free(t);
    }
    /* min_items is not checked when an unknown for_each contributed */
    dec("resource \"t\" \"x\" {\n"
        "  dynamic \"rule\" {\n    for_each = var.unk_list\n"
        "    content {\n      port = 1\n    }\n  }\n"
        "  must {\n    value = \"x\"\n  }\n"
        "}\n", &need, DECODE_RESOURCE);
    CHECK_NDIAG(0);
    reset();
}

TEST(decode_dynamic_errors)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  dynamic \"ingress\" {\n    content {\n    }\n  }\n"                    /* 3 */
        "  dynamic \"ingress\" {\n    for_each = [1]\n  }\n"                      /* 7 */
        "  dynamic \"ingress\" {\n    for_each = null\n    content {\n    }\n  }\n" /* 10 */
        "  dynamic \"ingress\" {\n    for_each = 3\n    content {\n    }\n  }\n" /* 15 */
        "  dynamic \"ingres\" {\n    for_each = [1]\n    content {\n    }\n  }\n" /* 20 */
        "  dynamic {\n    for_each = [1]\n    content {\n    }\n  }\n"           /* 25 */
        "  dynamic \"ingress\" {\n    for_each = [1]\n    iterator = a.b\n"       /* 30 */
        "    content {\n    }\n  }\n"
        "  dynamic \"ingress\" {\n    for_each = [1]\n    iterator = var\n"       /* 36 */
        "    content {\n    }\n  }\n"
        "  dynamic \"ingress\" {\n    for_each = [1]\n    foreach = 1\n"          /* 42 */
        "    content {\n    }\n  }\n"
        "  dynamic \"ingress\" {\n    for_each = [1]\n"                         /* 48 */
        "    content {\n      port = ingress.val\n    }\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_DIAG("Missing required argument", 3, 21,
               "The argument \"for_each\" is required, but no definition was found.");
    CHECK_DIAG("Missing dynamic content block", 7, 3,
               "A dynamic block must have a nested block of type \"content\" to describe the "
               "body of each generated block.");
    CHECK_DIAG("Invalid dynamic for_each value", 11, 16, "Cannot use a null value in for_each.");
    if (R.d.n > 3)
        CHECK_STR(R.d.items[3].detail,
                  "Cannot use a number value in for_each. An iterable collection is required.");
    CHECK_DIAG("Unsupported block type", 20, 11,
               "Blocks of type \"ingres\" are not expected here. Did you mean \"ingress\"?");
    CHECK_DIAG("Missing type for dynamic", 25, 11,
               "All dynamic blocks must have 1 labels (type).");
    CHECK_DIAG("Invalid dynamic iterator name", 32, 16,
               "Dynamic iterator must be a single variable name.");
    CHECK_DIAG("Unsupported argument", 44, 5,
               "An argument named \"foreach\" is not expected here. Did you mean \"for_each\"?");
    CHECK_DIAG("Unsupported attribute", 51, 14,
               "This object does not have an attribute named \"val\".");
    CHECK_INT(R.d.nerrors, 10);
    int reserved = 0;
    for (size_t i = 0; i < R.d.n; i++)
        reserved += R.d.items[i].detail && strstr(R.d.items[i].detail, "\"var\" is a reference");
    CHECK_INT(reserved, 1);
    reset();
}

TEST(decode_dynamic_labels_errors)
{
    dec("resource \"t\" \"x\" {\n"
        "  cidr_block = \"a\"\n"
        "  dynamic \"setting\" {\n    for_each = [1]\n    content {\n"
        "      value = \"x\"\n    }\n  }\n"
        "  dynamic \"setting\" {\n    for_each = [1]\n    labels = [\"a\", \"b\"]\n"
        "    content {\n      value = \"x\"\n    }\n  }\n"
        "  dynamic \"setting\" {\n    for_each = [1]\n    labels = [[1]]\n"
        "    content {\n      value = \"x\"\n    }\n  }\n"
        "}\n", &top, DECODE_RESOURCE);
    CHECK_INT(R.d.nerrors, 3);
    CHECK_DIAG("Missing name for setting", 3, 21,
               "All setting blocks must have 1 labels (name): set labels = [...] in the dynamic "
               "block.");
    CHECK_DIAG("Wrong number of labels for setting", 11, 14,
               "setting blocks have 1 labels; this dynamic block gives 2.");
    if (R.d.n == 3)
        CHECK_STR(R.d.items[2].summary, "Invalid dynamic block labels");
    reset();
}

/* ---------------------------------------------------------------- references */

struct refs { char buf[512]; };

static void collect(const eval_ref *r, void *payload)
{
    struct refs *rs = payload;
    size_t n = strlen(rs->buf);
    snprintf(rs->buf + n, sizeof rs->buf - n, "%s%s%s%s ", r->type ? r->type : "",
             r->type ? "." : "", r->kind == EVAL_REF_VAR ? "var." : "", r->name ? r->name : "");
}

TEST(decode_refs_skip_iterators_and_meta)
{
    const ast_block *b = parse_block(
        "resource \"t\" \"x\" {\n"
        "  count = var.n\n"
        "  cidr_block = aws_vpc.main.cidr\n"
        "  dynamic \"ingress\" {\n"
        "    for_each = var.ports\n"
        "    content {\n"
        "      port = ingress.value + other.x.y\n"
        "      dynamic \"inner\" {\n"
        "        for_each = ingress.value\n"
        "        iterator = each\n"
        "        content {\n          port = each.value + var.z\n        }\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "  lifecycle {\n    create_before_destroy = var.cbd\n  }\n"
        "  logging {\n    value = var.log\n  }\n"
        "}\n");
    struct refs rs = {{0}};
    decode_refs(b->body, DECODE_RESOURCE, collect, &rs);
    CHECK_STR(rs.buf, "aws_vpc.main var.ports other.x var.z var.log ");
    rs.buf[0] = 0;
    decode_refs(b->body, 0, collect, &rs);
    CHECK_STR(rs.buf, "var.n aws_vpc.main var.ports other.x var.z var.cbd var.log ");
    reset();
}

/* ---------------------------------------------------------------- timeouts */

static int timeouts(const char *text, uint64_t out[4])
{
    const ast_block *b = parse_block(text);
    eval_table *t = scope();
    diag_list other = {0};
    eval_ctx c;
    eval_ctx_init(&c, &other);
    c.resolve = eval_table_resolve;
    c.payload = t;
    int rc = decode_timeouts(b->body, &c, out, &R.d);
    CHECK(c.diags == &other && other.n == 0);
    eval_table_free(t);
    return rc;
}

TEST(decode_timeouts_block)
{
    uint64_t ms[4] = {1, 1, 1, 1};
    CHECK_INT(timeouts("resource \"t\" \"x\" {\n"
                       "  timeouts {\n"
                       "    create = \"60m\"\n    update = \"1h30m\"\n"
                       "    delete = \"${2}h\"\n    read = null\n"
                       "  }\n}\n", ms), 0);
    CHECK_INT(ms[DECODE_TIMEOUT_CREATE], 3600000);
    CHECK_INT(ms[DECODE_TIMEOUT_UPDATE], 5400000);
    CHECK_INT(ms[DECODE_TIMEOUT_DELETE], 7200000);
    CHECK_INT(ms[DECODE_TIMEOUT_READ], 0);
    CHECK_INT(timeouts("resource \"t\" \"x\" {\n  timeouts {\n    default = \"5m\"\n"
                       "    read = \"10s\"\n  }\n}\n", ms), 0);
    CHECK_INT(ms[DECODE_TIMEOUT_CREATE], 300000);
    CHECK_INT(ms[DECODE_TIMEOUT_READ], 10000);
    CHECK_INT(timeouts("resource \"t\" \"x\" {\n  name = 1\n}\n", ms), 0);
    CHECK(ms[0] == 0 && ms[1] == 0 && ms[2] == 0 && ms[3] == 0);
    reset();
}

TEST(decode_timeouts_errors)
{
    uint64_t ms[4];
    CHECK_INT(timeouts("resource \"t\" \"x\" {\n"
                       "  timeouts {\n"
                       "    create = \"60x\"\n"
                       "    craete = \"1m\"\n"
                       "    update = var.unk\n"
                       "    delete = [1]\n"
                       "    deep {\n    }\n"
                       "  }\n"
                       "  timeouts {\n  }\n"
                       "}\n", ms), CAIRN_EDIAG);
    CHECK_INT(R.d.nerrors, 6);
    CHECK_DIAG("Invalid duration", 3, 14,
               "The value of \"create\" is not a duration: time: unknown unit \"x\" in duration "
               "\"60x\". Use a number and a unit, such as \"30s\", \"10m\" or \"1h30m\".");
    CHECK_DIAG("Unsupported argument", 4, 5,
               "An argument named \"craete\" is not expected here. Did you mean \"create\"?");
    CHECK_DIAG("Unsupported block type", 7, 5, "Blocks of type \"deep\" are not expected here.");
    CHECK_DIAG("Duplicate timeouts block", 10, 3,
               "Only one timeouts block is allowed. Another was defined at <t>:2,3-11.");
    CHECK_INT(ms[DECODE_TIMEOUT_CREATE], 0);
    reset();
}

TEST(decode_durations)
{
    static const struct { const char *s; long long ms; const char *err; } cases[] = {
        {"0", 0, NULL}, {"45s", 45000, NULL}, {"500ms", 500, NULL}, {"1h30m", 5400000, NULL},
        {"1.5h", 5400000, NULL}, {".5s", 500, NULL}, {"1.s", 1000, NULL},
        {"500us", 1, NULL}, {"1\xc2\xb5s", 1, NULL}, {"2m3s4ms", 123004, NULL},
        {"+10s", 10000, NULL}, {"-0", 0, NULL},
        {"", -1, "time: invalid duration \"\""},
        {"10", -1, "time: missing unit in duration \"10\""},
        {"1x", -1, "time: unknown unit \"x\" in duration \"1x\""},
        {"1h-5m", -1, "time: unknown unit \"h-\" in duration \"1h-5m\""},
        {"1h 5m", -1, "time: unknown unit \"h \" in duration \"1h 5m\""},
        {"a1h", -1, "time: invalid duration \"a1h\""},
        {".s", -1, "time: invalid duration \".s\""},
        {"-5m", -1, "negative duration \"-5m\""},
        {"3000000h", -1, "time: invalid duration \"3000000h\""},
        {"99999999999999999999s", -1, "time: invalid duration \"99999999999999999999s\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t ms = 7;
        int rc = decode_duration(cases[i].s, &ms);
        CHECK_INT(rc, cases[i].err ? CAIRN_EINVAL : 0);
        if (cases[i].err)
            CHECK_STR(err_msg(), cases[i].err);
        else
            CHECK_INT(ms, cases[i].ms);
    }
}

/* ---------------------------------------------------------------- suggestions */

TEST(decode_suggestions)
{
    const char *c[] = {"cidr_block", NULL, "name", "names", "tags", "ingress"};
    char out[32];
    decode_suggest("cidr", c, 6, out, sizeof out);
    CHECK_STR(out, "");   /* distance 6 */
    decode_suggest("cidr_blok", c, 6, out, sizeof out);
    CHECK_STR(out, "cidr_block");
    decode_suggest("nam", c, 6, out, sizeof out);
    CHECK_STR(out, "name");   /* closest first: name (1) before names (2) */
    decode_suggest("namess", c, 6, out, sizeof out);
    CHECK_STR(out, "names");
    decode_suggest("tgas", c, 6, out, sizeof out);
    CHECK_STR(out, "tags");   /* a swap is two edits */
    decode_suggest("xyz", c, 6, out, sizeof out);
    CHECK_STR(out, "");
    decode_suggest("ingres", c, 6, out, 4);
    CHECK_STR(out, "ing");   /* truncated to the buffer */
    char longname[DECODE_SUGGEST_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    const char *lc[] = {longname};
    decode_suggest(longname, lc, 1, out, sizeof out);
    CHECK_STR(out, "");
}

int main(int argc, char **argv)
{
    int rc = harness_main(argc, argv);
    reset();
    return rc;
}
