/* tests/unit/test_vars.c — engine/vars: root input variable values from
 * defaults, TF_VAR_, tfvars files, -var-file and -var (every precedence pair),
 * parsing modes, conversion, nullable, sensitive, required, undeclared
 * names, and vars_validate. */
#include "tests/unit/harness.h"
#include "engine/vars.h"
#include "lang/eval.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

/* A configuration written to a fresh directory, which is the working
 * directory while the fixture is open. */
typedef struct fx {
    char dir[320];
    char old[4096];
    cfg_module *root;
    diag_list d;
    vars_srcs srcs;
    val *v;
} fx;

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
}

/* Open a fixture: files are name/content pairs, NULL-terminated; the
 * first must be the configuration. */
static void fx_open(fx *f, const char *const *files)
{
    static int n;
    memset(f, 0, sizeof *f);
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/cairn-test-vars-XXXXXX");
        if (!mkdtemp(tmpdir))
            abort();
    }
    snprintf(f->dir, sizeof f->dir, "%s/c%d", tmpdir, n++);
    if (mkdir(f->dir, 0700) != 0 || !getcwd(f->old, sizeof f->old) || chdir(f->dir) != 0)
        abort();
    for (size_t i = 0; files[i]; i += 2)
        write_file(files[i], files[i + 1]);
    f->root = cfg_load(".", &f->d);
    if (!f->root || diag_has_errors(&f->d))
        printf("# fixture configuration failed to load\n");
}

static val *fx_collect(fx *f, vars_opts o)
{
    if (!o.srcs)
        o.srcs = &f->srcs;
    f->v = vars_collect(f->root, &o, &f->d);
    return f->v;
}

static void fx_close(fx *f)
{
    if (f->v)
        vars_free(f->v, f->root->nvars);
    diag_list_free(&f->d);
    vars_srcs_free(&f->srcs);
    cfg_free(f->root);
    if (chdir(f->old) != 0)
        abort();
}

/* The first diagnostic with this summary, or NULL. */
static const diag *find_diag(const diag_list *d, const char *summary)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->items[i].summary, summary) == 0)
            return &d->items[i];
    return NULL;
}

static void print_diags(const diag_list *d)
{
    for (size_t i = 0; i < d->n; i++)
        printf("# diag: %s: %s\n", d->items[i].summary,
               d->items[i].detail ? d->items[i].detail : "");
}

static const char *file_of(const diag *g)
{
    return g && g->range.file ? g->range.file->name : "(none)";
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* The text a diagnostic's range covers (static buffer). */
static const char *text_of(const diag *g)
{
    static char buf[256];
    if (!g || !g->range.file)
        return "(none)";
    size_t n = g->range.end - g->range.start;
    snprintf(buf, sizeof buf, "%.*s", (int)n, g->range.file->text + g->range.start);
    return buf;
}

/* ---------------------------------------------------------------- precedence */

enum { P_DEFAULT, P_ENV, P_TFVARS, P_TFVARS_JSON, P_AUTO_A, P_AUTO_B, P_VAR_FILE, P_VAR, P_N };
static const char *const level_name[P_N] = {"default", "env", "tfvars", "tfvars_json",
                                            "auto_a", "auto_b", "var_file", "var"};

/* Set up source `level` (giving x the value of its name); fills o. */
static void set_level(int level, vars_opts *o, char **var_arg, char **var_file)
{
    switch (level) {
    case P_ENV: setenv("TF_VAR_x", "env", 1); break;
    case P_TFVARS: write_file("terraform.tfvars", "x = \"tfvars\"\n"); break;
    case P_TFVARS_JSON: write_file("terraform.tfvars.json", "{\"x\": \"tfvars_json\"}"); break;
    case P_AUTO_A: write_file("a.auto.tfvars", "x = \"auto_a\"\n"); break;
    case P_AUTO_B: write_file("b.auto.tfvars.json", "{\"x\": \"auto_b\"}"); break;
    case P_VAR_FILE:
        write_file("../given.tfvars", "x = \"var_file\"\n");
        *var_file = "../given.tfvars";
        o->var_files = var_file;
        o->nvar_files = 1;
        break;
    case P_VAR:
        *var_arg = "x=var";
        o->var_args = var_arg;
        o->nvar_args = 1;
        break;
    default: break;
    }
}

TEST(precedence_every_pair)
{
    for (int lo = 0; lo < P_N; lo++) {
        for (int hi = lo + 1; hi < P_N; hi++) {
            const char *cfg = lo == P_DEFAULT ? "variable \"x\" {\n  default = \"default\"\n}\n"
                                              : "variable \"x\" {}\n";
            fx f;
            fx_open(&f, (const char *const[]){"main.tf", cfg, NULL});
            vars_opts o = {0};
            char *va = NULL, *vf = NULL;
            set_level(lo, &o, &va, &vf);
            set_level(hi, &o, &va, &vf);
            val *v = fx_collect(&f, o);
            unsetenv("TF_VAR_x");
            if (!v) {
                printf("# %s < %s failed\n", level_name[lo], level_name[hi]);
                print_diags(&f.d);
                CHECK(v != NULL);
            } else if (strcmp(val_get_string(v[0]), level_name[hi]) != 0) {
                printf("# %s < %s: got %s\n", level_name[lo], level_name[hi],
                       val_get_string(v[0]));
                CHECK(0);
            }
            CHECK_INT(f.d.n, 0);
            fx_close(&f);
        }
    }
}

TEST(auto_files_lexical_order_across_suffixes)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {}\nvariable \"y\" {}\n",
                                      "b.auto.tfvars", "x = \"b\"\ny = \"b\"\n",
                                      "a.auto.tfvars.json", "{\"x\": \"a\", \"y\": \"a\"}",
                                      "c.auto.tfvars.json", "{\"y\": \"c\"}", NULL});
    val *v = fx_collect(&f, (vars_opts){0});
    CHECK(v != NULL);
    if (v) {
        CHECK_STR(val_get_string(v[0]), "b");
        CHECK_STR(val_get_string(v[1]), "c");
    }
    fx_close(&f);
}

TEST(ordered_interleaves_var_and_var_file)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {}\n", "f.tfvars",
                                      "x = \"file\"\n", NULL});
    char *a[] = {"var:x=cli", "file:f.tfvars"};
    val *v = fx_collect(&f, (vars_opts){.ordered = a, .nordered = 2});
    CHECK(v && strcmp(val_get_string(v[0]), "file") == 0);
    vars_free(f.v, 1);
    char *b[] = {"file:f.tfvars", "var:x=cli"};
    v = fx_collect(&f, (vars_opts){.ordered = b, .nordered = 2});
    CHECK(v && strcmp(val_get_string(v[0]), "cli") == 0);
    fx_close(&f);
}

TEST(later_var_wins_and_only_winner_is_evaluated)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"n\" {\n  type = number\n}\n",
                                      "terraform.tfvars", "n = \"not a number\"\n", NULL});
    char *args[] = {"n=1", "n=2"};
    val *v = fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 2});
    CHECK(v && val_get_number(v[0]) == 2);
    CHECK_INT(f.d.n, 0);
    fx_close(&f);
}

/* ---------------------------------------------------------------- parsing */

TEST(complex_types_parse_cli_and_env_as_hcl)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf",
                                      "variable \"l\" {\n  type = list(string)\n}\n"
                                      "variable \"m\" {\n  type = map(number)\n}\n"
                                      "variable \"a\" {\n  type = any\n}\n"
                                      "variable \"u\" {}\n"
                                      "variable \"s\" {\n  type = string\n}\n", NULL});
    setenv("TF_VAR_m", "{ a = 1, b = \"2\" }", 1);
    char *args[] = {"l=[\"x\", \"y\"]", "a=[1, true]", "u=[1]", "s=[1]"};
    val *v = fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 4});
    unsetenv("TF_VAR_m");
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(val_kind(v[0]), VAL_LIST);
        CHECK_INT(val_len(v[0]), 2);
        CHECK_STR(val_get_string(*val_at(v[0], 1)), "y");
        CHECK_INT(val_kind(v[1]), VAL_MAP);
        CHECK(val_get_number(*val_lookup(v[1], "b")) == 2);
        CHECK_INT(val_kind(v[2]), VAL_TUPLE);   /* any: an expression */
        CHECK_STR(val_get_string(v[3]), "[1]"); /* untyped: literal */
        CHECK_STR(val_get_string(v[4]), "[1]"); /* string: literal */
    }
    print_diags(&f.d);
    fx_close(&f);
}

TEST(cli_expression_errors_name_the_value)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"l\" {\n  type = list(string)\n}\n",
                                      NULL});
    char *args[] = {"l=[var.x]"};
    CHECK(fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 1}) == NULL);
    const diag *g = find_diag(&f.d, "Variables not allowed");
    CHECK(g != NULL);
    CHECK_STR(file_of(g), "<value for var.l>");
    fx_close(&f);
}

TEST(tfvars_refuse_references_and_calls)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"a\" {}\nvariable \"b\" {}\n",
                                      "terraform.tfvars",
                                      "a = upper(\"x\")\nb = [for i in [1] : i]\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    const diag *g = find_diag(&f.d, "Function calls not allowed");
    CHECK_STR(text_of(g), "upper(\"x\")");
    CHECK_STR(file_of(g), "terraform.tfvars");
    CHECK(find_diag(&f.d, "Variables not allowed") == NULL);   /* i is bound by for */
    fx_close(&f);
}

TEST(default_may_not_refer)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"a\" {\n  default = var.b\n}\n"
                                                 "variable \"b\" {\n  default = 1\n}\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    CHECK_STR(text_of(find_diag(&f.d, "Variables not allowed")), "var");
    fx_close(&f);
}

TEST(json_tfvars_values_and_templates)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf",
                                      "variable \"o\" {\n  type = object({a = list(number), "
                                      "b = string})\n}\nvariable \"t\" {}\n",
                                      "terraform.tfvars.json",
                                      "{\n  \"o\": {\"a\": [1, 2], \"b\": \"x\"},\n"
                                      "  \"t\": [\"$${lit}\", \"${1 + 1}\"]\n}\n", NULL});
    val *v = fx_collect(&f, (vars_opts){0});
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(val_kind(v[0]), VAL_OBJECT);
        CHECK(val_get_number(*val_at(*val_lookup(v[0], "a"), 1)) == 2);
        CHECK_STR(val_get_string(*val_at(v[1], 0)), "${lit}");
        CHECK(val_get_number(*val_at(v[1], 1)) == 2);
    }
    print_diags(&f.d);
    fx_close(&f);
}

TEST(json_tfvars_conversion_error_points_at_property)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"n\" {\n  type = number\n}\n",
                                      "terraform.tfvars.json", "{\"n\": [1, {\"x\": 2}]}",
                                      NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    const diag *g = find_diag(&f.d, "Invalid value for input variable");
    CHECK_STR(text_of(g), "[1, {\"x\": 2}]");
    CHECK_STR(file_of(g), "terraform.tfvars.json");
    fx_close(&f);
}

/* ---------------------------------------------------------------- conversion */

TEST(conversion_error_from_file)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"n\" {\n  type = number\n}\n",
                                      "terraform.tfvars", "n = \"abc\"\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    const diag *g = find_diag(&f.d, "Invalid value for input variable");
    CHECK(g != NULL);
    if (g) {
        CHECK_STR(g->detail, "The given value is not suitable for var.n declared at "
                             "main.tf:1,1-13: a number is required.");
        CHECK_STR(file_of(g), "terraform.tfvars");
        CHECK_STR(text_of(g), "\"abc\"");
    }
    fx_close(&f);
}

TEST(conversion_error_from_cli_and_env)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"n\" {\n  type = number\n}\n"
                                                 "variable \"b\" {\n  type = bool\n}\n", NULL});
    setenv("TF_VAR_b", "maybe", 1);
    char *args[] = {"n=abc"};
    CHECK(fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 1}) == NULL);
    unsetenv("TF_VAR_b");
    CHECK_INT(f.d.nerrors, 2);
    if (f.d.n == 2) {
        CHECK_STR(f.d.items[0].detail, "Unsuitable value for var.n set using -var=\"n=...\": "
                                       "a number is required.");
        CHECK_STR(text_of(&f.d.items[0]), "variable \"n\"");
        CHECK_STR(f.d.items[1].detail, "Unsuitable value for var.b set using the TF_VAR_b "
                                       "environment variable: a bool is required.");
    }
    fx_close(&f);
}

TEST(conversion_error_sensitive_hides_value_location_in_detail)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"p\" {\n  type = number\n"
                                                 "  sensitive = true\n}\n",
                                      "terraform.tfvars", "p = \"hunter2\"\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    const diag *g = find_diag(&f.d, "Invalid value for input variable");
    CHECK(g != NULL);
    if (g) {
        CHECK_STR(g->detail, "The given value is not suitable for var.p, which is sensitive: "
                             "a number is required. Invalid value defined at "
                             "terraform.tfvars:1,5-14.");
        CHECK(has_suffix(file_of(g), "main.tf"));   /* at the declaration */
    }
    fx_close(&f);
}

TEST(invalid_default_for_type)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"n\" {\n  type = number\n"
                                                 "  default = \"x\"\n}\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    const diag *g = find_diag(&f.d, "Invalid default value for variable");
    CHECK(g && strstr(g->detail, "a number is required"));
    CHECK_STR(text_of(g), "\"x\"");
    fx_close(&f);
}

TEST(optional_attributes_filled_and_default_converted)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf",
                                      "variable \"o\" {\n  type = object({a = string, "
                                      "b = optional(number, 7)})\n}\n"
                                      "variable \"n\" {\n  type = number\n  default = \"3\"\n}\n",
                                      "terraform.tfvars", "o = { a = \"x\" }\n", NULL});
    val *v = fx_collect(&f, (vars_opts){0});
    CHECK(v != NULL);
    if (v) {
        CHECK(val_get_number(*val_lookup(v[0], "b")) == 7);
        CHECK_INT(val_kind(v[1]), VAL_NUMBER);
    }
    fx_close(&f);
}

/* ---------------------------------------------------------------- null, sensitive */

TEST(nullable_false_null_takes_default)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf",
                                      "variable \"a\" {\n  default = \"d\"\n"
                                      "  nullable = false\n}\n"
                                      "variable \"b\" {\n  default = \"d\"\n}\n",
                                      "terraform.tfvars", "a = null\nb = null\n", NULL});
    val *v = fx_collect(&f, (vars_opts){0});
    CHECK(v != NULL);
    if (v) {
        CHECK_STR(val_get_string(v[0]), "d");
        CHECK(val_is_null(v[1]));   /* nullable: null stays null */
    }
    fx_close(&f);
}

TEST(nullable_false_null_without_default_is_error)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"a\" {\n  nullable = false\n}\n"
                                                 "variable \"b\" {\n  type = list(string)\n"
                                                 "  nullable = false\n}\n",
                                      "terraform.tfvars", "a = null\n", NULL});
    char *args[] = {"b=null"};
    CHECK(fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 1}) == NULL);
    CHECK_INT(f.d.nerrors, 2);
    if (f.d.n == 2) {
        CHECK_STR(f.d.items[0].summary, "Required variable not set");
        CHECK_STR(f.d.items[0].detail, "The given value is not suitable for var.a defined at "
                                       "main.tf:1,1-13: required variable may not be set to "
                                       "null.");
        CHECK_STR(text_of(&f.d.items[0]), "null");
        CHECK_STR(f.d.items[1].detail, "Unsuitable value for var.b set using -var=\"b=...\": "
                                       "required variable may not be set to null.");
    }
    fx_close(&f);
}

TEST(null_default_with_nullable_false_is_invalid)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"a\" {\n  default = null\n"
                                                 "  nullable = false\n}\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) == NULL);
    const diag *g = find_diag(&f.d, "Invalid default value for variable");
    CHECK(g && strcmp(g->detail, "A null default value is not valid when nullable=false.") == 0);
    fx_close(&f);
}

TEST(sensitive_values_are_marked)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf",
                                      "variable \"p\" {\n  default = \"x\"\n"
                                      "  sensitive = true\n}\n"
                                      "variable \"q\" {\n  default = \"y\"\n}\n", NULL});
    char *args[] = {"p=secret"};
    val *v = fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 1});
    CHECK(v != NULL);
    if (v) {
        CHECK(val_is_sensitive(v[0]));
        CHECK_STR(val_get_string(v[0]), "secret");
        CHECK(!val_is_sensitive(v[1]));
    }
    fx_close(&f);
}

/* ---------------------------------------------------------------- required, undeclared */

TEST(required_missing_noninteractive)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"needed\" {\n  type = string\n}\n"
                                                 "variable \"ok\" {\n  default = 1\n}\n", NULL});
    int saved = dup(STDIN_FILENO);
    FILE *null = freopen("/dev/null", "r", stdin);   /* no terminal: no prompt */
    CHECK(fx_collect(&f, (vars_opts){.interactive = 1}) == NULL);
    if (null)
        dup2(saved, STDIN_FILENO);
    close(saved);
    CHECK_INT(f.d.n, 1);
    const diag *g = find_diag(&f.d, "No value for required variable");
    CHECK(g != NULL);
    if (g) {
        CHECK_STR(g->detail, "The root module input variable \"needed\" is not set, and has no "
                             "default value. Use a -var or -var-file command line argument to "
                             "provide a value for this variable.");
        CHECK_STR(text_of(g), "variable \"needed\"");
    }
    fx_close(&f);
}

TEST(undeclared_cli_var_is_error)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {\n  default = 1\n}\n", NULL});
    char *args[] = {"nope=1"};
    CHECK(fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 1}) == NULL);
    const diag *g = find_diag(&f.d, "Value for undeclared variable");
    CHECK(g && g->sev == DIAG_ERROR);
    if (g)
        CHECK_STR(g->detail, "A variable named \"nope\" was given on the command line, but the "
                             "root module does not declare a variable of that name. To use "
                             "this value, add a \"variable\" block to the configuration.");
    fx_close(&f);
}

TEST(undeclared_in_file_warns_and_env_is_ignored)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {\n  default = 1\n}\n",
                                      "terraform.tfvars", "x = 2\nother = \"o\"\n", NULL});
    setenv("TF_VAR_unrelated", "1", 1);
    val *v = fx_collect(&f, (vars_opts){0});
    unsetenv("TF_VAR_unrelated");
    CHECK(v && val_get_number(v[0]) == 2);
    CHECK_INT(f.d.nerrors, 0);
    CHECK_INT(f.d.nwarnings, 1);
    const diag *g = find_diag(&f.d, "Value for undeclared variable");
    CHECK(g && g->sev == DIAG_WARNING);
    CHECK_STR(text_of(g), "other = \"o\"");
    CHECK(g && strstr(g->detail, "named \"other\" but a value was found in file "
                                 "\"terraform.tfvars\""));
    fx_close(&f);
}

TEST(many_undeclared_in_files_are_summarised)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {\n  default = 1\n}\n",
                                      "terraform.tfvars", "a = 1\nb = 2\nc = 3\nd = 4\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) != NULL);
    CHECK_INT(f.d.nwarnings, 3);
    const diag *g = find_diag(&f.d, "Values for undeclared variables");
    CHECK(g && strstr(g->detail, "2 other variable(s)"));
    fx_close(&f);
}

TEST(bad_var_syntax)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {\n  default = 1\n}\n", NULL});
    char *args[] = {"novalue", "x =1"};
    CHECK(fx_collect(&f, (vars_opts){.var_args = args, .nvar_args = 2}) == NULL);
    CHECK_INT(f.d.nerrors, 2);
    if (f.d.n == 2) {
        CHECK_STR(f.d.items[0].summary, "Invalid -var option");
        CHECK_STR(f.d.items[0].detail, "The given -var option \"novalue\" is not correctly "
                                       "specified. It must be a variable name and value "
                                       "separated by an equals sign, like -var=\"key=value\".");
        CHECK_STR(f.d.items[1].detail, "Variable name \"x \" is invalid due to trailing space. "
                                       "Did you mean -var=\"x=1\"?");
    }
    fx_close(&f);
}

TEST(missing_var_file_and_declaration_in_tfvars)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {\n  default = 1\n}\n",
                                      "bad.tfvars", "variable \"x\" {\n}\n", NULL});
    char *files[] = {"missing.tfvars", "bad.tfvars"};
    CHECK(fx_collect(&f, (vars_opts){.var_files = files, .nvar_files = 2}) == NULL);
    const diag *g = find_diag(&f.d, "Failed to read variables file");
    CHECK(g && strcmp(g->detail, "Given variables file missing.tfvars does not exist.") == 0);
    g = find_diag(&f.d, "Variable declaration in .tfvars file");
    CHECK_STR(text_of(g), "variable");
    fx_close(&f);
}

TEST(without_srcs_diagnostics_lose_their_location)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "variable \"x\" {}\n",
                                      "terraform.tfvars", "x = \n", NULL});
    vars_opts o = {0};
    CHECK(vars_collect(f.root, &o, &f.d) == NULL);
    CHECK(f.d.nerrors > 0);
    for (size_t i = 0; i < f.d.n; i++)
        CHECK(f.d.items[i].range.file == NULL);
    fx_close(&f);
}

TEST(no_variables_gives_empty_array)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", "locals {\n  a = 1\n}\n", NULL});
    CHECK(fx_collect(&f, (vars_opts){0}) != NULL);
    fx_close(&f);
}

/* ---------------------------------------------------------------- validation */

static const char *const validated_cfg =
    "variable \"n\" {\n"
    "  type = number\n"
    "  validation {\n"
    "    condition     = var.n > 0\n"
    "    error_message = \"  n must be positive, not ${var.n}.  \"\n"
    "  }\n"
    "}\n"
    "variable \"s\" {\n"
    "  validation {\n"
    "    condition     = var.s\n"
    "    error_message = \"bad\"\n"
    "  }\n"
    "}\n";

TEST(validate_pass_and_fail)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", validated_cfg, NULL});
    const cfg_variable *n = cfg_var(f.root, "n");
    val ok = val_number(3), bad = val_number(-1);
    CHECK_INT(vars_validate(n, ok, &f.d), 0);
    CHECK_INT(f.d.n, 0);
    CHECK_INT(vars_validate(n, bad, &f.d), CAIRN_EDIAG);
    const diag *g = find_diag(&f.d, "Invalid value for variable");
    CHECK(g != NULL);
    if (g) {
        CHECK_STR(g->detail, "n must be positive, not -1.\n\nThis was checked by the "
                             "validation rule at main.tf:3,3-13.");
        CHECK_STR(text_of(g), "var.n > 0");
    }
    val_free(ok);
    val_free(bad);
    fx_close(&f);
}

TEST(validate_unknown_passes)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", validated_cfg, NULL});
    val u = val_unknown(ty_number());
    CHECK_INT(vars_validate(cfg_var(f.root, "n"), u, &f.d), 0);
    CHECK_INT(f.d.n, 0);
    val_free(u);
    fx_close(&f);
}

TEST(validate_non_bool_and_null_results)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", validated_cfg, NULL});
    const cfg_variable *s = cfg_var(f.root, "s");
    val word = val_string("maybe"), nul = val_null(), yes = val_string("true");
    CHECK_INT(vars_validate(s, word, &f.d), CAIRN_EDIAG);
    const diag *g = find_diag(&f.d, "Invalid variable validation result");
    CHECK(g && strcmp(g->detail, "Invalid validation condition result value: a bool is "
                                 "required.") == 0);
    diag_list_free(&f.d);
    CHECK_INT(vars_validate(s, nul, &f.d), CAIRN_EDIAG);
    g = find_diag(&f.d, "Invalid variable validation result");
    CHECK(g && strstr(g->detail, "not null"));
    diag_list_free(&f.d);
    CHECK_INT(vars_validate(s, yes, &f.d), 0);   /* "true" converts to bool */
    val_free(word);
    val_free(nul);
    val_free(yes);
    fx_close(&f);
}

TEST(validate_sensitive_message_is_hidden)
{
    fx f;
    fx_open(&f, (const char *const[]){"main.tf", validated_cfg, NULL});
    val secret = val_mark(val_number(-5), VAL_MARK_SENSITIVE);
    CHECK_INT(vars_validate(cfg_var(f.root, "n"), secret, &f.d), CAIRN_EDIAG);
    CHECK(find_diag(&f.d, "Error message refers to sensitive values") != NULL);
    const diag *g = find_diag(&f.d, "Invalid value for variable");
    CHECK(g && strstr(g->detail, "will not be displayed") && !strstr(g->detail, "-5"));
    val_free(secret);
    fx_close(&f);
}

int main(int argc, char **argv)
{
    int rc = harness_main(argc, argv);
    if (tmpdir[0]) {
        char *cmd = xasprintf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            rc = 1;
        free(cmd);
    }
    return rc;
}
