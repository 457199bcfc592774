/*
 * engine/vars.c — gathering the root module's input variable values
 * (engine/vars.h).
 *
 * Two phases, as in Terraform (command/meta_vars.go, backend's
 * ParseVariableValues, terraform's prepareFinalInputVariableValue):
 *   collect: every source, in precedence order, records a raw assignment per
 *     name (text, an expression of a kept tfvars tree, or decoded JSON); a
 *     later one replaces an earlier one.  Only file syntax is checked here.
 *   finish: the winning assignment of each declared variable is parsed or
 *     evaluated, converted to the type, checked for null, marked sensitive.
 * What must stay true: every src_file a diagnostic may point into is in
 * collector.srcs until vars_collect returns (then the caller's, or freed
 * with the diagnostics detached from it).
 */
#include "engine/vars.h"

#include "lang/eval.h"
#include "lang/parse.h"
#include "lang/val_json.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define GROW(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)))

enum raw_from { FROM_ENV, FROM_FILE, FROM_CLI, FROM_INPUT };

/* One assignment of a name, not evaluated yet. */
struct raw {
    char *name;
    enum raw_from from;
    char *text;          /* ENV, CLI, INPUT: the text */
    const ast *expr;     /* FILE (HCL): the value, borrowed from a kept tree */
    val json;            /* FILE (JSON): the decoded value */
    srange range;        /* FILE: the value */
    srange attr;         /* FILE: the whole assignment (name and value) */
};

typedef struct collector {
    const cfg_module *root;
    diag_list *diags;
    src_file **srcs;     /* every text a diagnostic may point into */
    size_t nsrcs;
    ast_file **trees;    /* parsed tfvars files: raws borrow from them */
    size_t ntrees;
    struct raw *raws;    /* one per name: the latest assignment */
    size_t nraws;
} collector;

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void keep_src(collector *cl, src_file *s)
{
    GROW(cl->srcs, cl->nsrcs);
    cl->srcs[cl->nsrcs++] = s;
}

static struct raw *raw_find(collector *cl, const char *name)
{
    for (size_t i = 0; i < cl->nraws; i++)
        if (strcmp(cl->raws[i].name, name) == 0)
            return &cl->raws[i];
    return NULL;
}

static void raw_clear(struct raw *r)
{
    free(r->name);
    free(r->text);
    val_free(r->json);
}

/* Record r (consumed) as the latest assignment of its name. */
static void raw_put(collector *cl, struct raw r)
{
    struct raw *old = raw_find(cl, r.name);
    if (old) {
        raw_clear(old);
        *old = r;
        return;
    }
    GROW(cl->raws, cl->nraws);
    cl->raws[cl->nraws++] = r;
}

static void raw_put_text(collector *cl, const char *name, const char *text,
                         enum raw_from from)
{
    raw_put(cl, (struct raw){.name = xstrdup(name), .from = from, .text = xstrdup(text),
                             .json = VAL_INVALID_INIT});
}

/* ---------------------------------------------------------------- ranges */

/* Where a block is declared, as HCL's DefRange: its type and labels, up to
 * the last non-blank byte before the `{`. */
static srange def_range(srange block)
{
    const char *t = block.file ? block.file->text : NULL;
    uint32_t last = block.start;
    int quoted = 0;
    for (uint32_t i = block.start; t && i < block.end; i++) {
        char c = t[i];
        if (quoted) {
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = 0;
                last = i + 1;
            }
        } else if (c == '"') {
            quoted = 1;
        } else if (c == '{') {
            break;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            last = i + 1;
        }
    }
    return (srange){block.file, block.start, last};
}

/* HCL's Range.String(): "main.tf:3,1-17" or "main.tf:3,1-5,2".  A "./"
 * prefix is dropped, as Go's filepath.Join drops it.  Caller frees. */
static char *range_str(srange r)
{
    if (!r.file)
        return xstrdup("(unknown)");
    int l1, c1, l2, c2;
    src_pos(r.file, r.start, &l1, &c1);
    src_pos(r.file, r.end, &l2, &c2);
    const char *name = r.file->name;
    if (strncmp(name, "./", 2) == 0)
        name += 2;
    if (l1 == l2)
        return xasprintf("%s:%d,%d-%d", name, l1, c1, c2);
    return xasprintf("%s:%d,%d-%d,%d", name, l1, c1, l2, c2);
}

/* ---------------------------------------------------------------- constants */

/* Names bound by enclosing for expressions. */
struct bound {
    const char *name;
    const struct bound *next;
};

static int is_bound(const struct bound *b, const char *name)
{
    for (; b; b = b->next)
        if (b->name && strcmp(b->name, name) == 0)
            return 1;
    return 0;
}

static void check_const(const ast *e, const struct bound *b, diag_list *d);

static void check_for(const ast_name *k, const ast_name *v, const ast *const *sub, size_t n,
                      const struct bound *b, diag_list *d)
{
    struct bound kb = {k->s, b}, vb = {v->s, k->s ? &kb : b};
    for (size_t i = 0; i < n; i++)
        check_const(sub[i], &vb, d);
}

/* Report what HCL refuses in an expression evaluated without a context
 * (tfvars values, defaults, -var expressions): references and calls. */
static void check_const(const ast *e, const struct bound *b, diag_list *d)
{
    if (!e)
        return;
    switch (e->kind) {
    case AST_VARIABLE:
        if (!is_bound(b, e->u.var.s))
            diag_add(d, DIAG_ERROR, e->range, "Variables not allowed",
                     "Variables may not be used here.");
        break;
    case AST_CALL:
        diag_add(d, DIAG_ERROR, e->range, "Function calls not allowed",
                 "Functions may not be called here.");
        break;
    case AST_TEMPLATE:
        for (size_t i = 0; i < e->u.tmpl.nparts; i++)
            check_const(e->u.tmpl.parts[i], b, d);
        break;
    case AST_TUPLE:
        for (size_t i = 0; i < e->u.tuple.n; i++)
            check_const(e->u.tuple.items[i], b, d);
        break;
    case AST_OBJECT:
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (!e->u.object.items[i].key_bare)
                check_const(e->u.object.items[i].key, b, d);
            check_const(e->u.object.items[i].value, b, d);
        }
        break;
    case AST_GETATTR:
        check_const(e->u.getattr.obj, b, d);
        break;
    case AST_INDEX:
        check_const(e->u.index.obj, b, d);
        check_const(e->u.index.key, b, d);
        break;
    case AST_SPLAT:
        check_const(e->u.splat.source, b, d);
        check_const(e->u.splat.each, b, d);
        break;
    case AST_UNARY:
        check_const(e->u.unary.operand, b, d);
        break;
    case AST_BINARY:
        check_const(e->u.binary.lhs, b, d);
        check_const(e->u.binary.rhs, b, d);
        break;
    case AST_COND:
        check_const(e->u.cond.cond, b, d);
        check_const(e->u.cond.then, b, d);
        check_const(e->u.cond.else_, b, d);
        break;
    case AST_FOR: {
        const ast *sub[] = {e->u.for_.key, e->u.for_.value, e->u.for_.cond};
        check_const(e->u.for_.coll, b, d);
        check_for(&e->u.for_.key_var, &e->u.for_.val_var, sub, 3, b, d);
        break;
    }
    case AST_PAREN:
        check_const(e->u.paren.inner, b, d);
        break;
    case AST_TPL_IF:
        check_const(e->u.tpl_if.cond, b, d);
        check_const(e->u.tpl_if.then, b, d);
        check_const(e->u.tpl_if.else_, b, d);
        break;
    case AST_TPL_FOR: {
        const ast *sub[] = {e->u.tpl_for.body};
        check_const(e->u.tpl_for.coll, b, d);
        check_for(&e->u.tpl_for.key_var, &e->u.tpl_for.val_var, sub, 1, b, d);
        break;
    }
    default:
        break;
    }
}

/* Evaluate an expression that may not refer to anything.  Returns an owned
 * value, or VAL_INVALID after diagnostics. */
static val eval_const(diag_list *d, const ast *e)
{
    size_t before = d->nerrors;
    check_const(e, NULL, d);
    if (d->nerrors != before)
        return val_invalid();
    eval_ctx c;
    eval_ctx_init(&c, d);
    val v = eval_expr(&c, e);
    if (val_is_valid(v) && d->nerrors != before) {
        val_free(v);
        return val_invalid();
    }
    return v;
}

/* ---------------------------------------------------------------- text values */

/* Terraform's parsing mode: literal text for untyped and primitive-typed
 * variables (and undeclared names), an HCL expression for the rest. */
static int literal_mode(const cfg_variable *v)
{
    if (!v || !v->type)
        return 1;
    enum ty_kind k = ty_kind(v->type);
    return k == TY_STRING || k == TY_NUMBER || k == TY_BOOL;
}

/* Parse text s (an expression, or a template when template is set: a JSON
 * string) and evaluate it without references.  s (may be NULL: out of
 * memory) is kept for the diagnostics.  Returns an owned value or
 * VAL_INVALID after diagnostics. */
static val eval_source(collector *cl, src_file *s, int template)
{
    if (!s) {
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Out of memory", "%s", err_msg());
        return val_invalid();
    }
    keep_src(cl, s);
    size_t before = cl->diags->nerrors;
    ast_file *af = template ? parse_template(s, cl->diags) : parse_expression(s, cl->diags);
    val out = val_invalid();
    if (!af)
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Out of memory", "%s", err_msg());
    else if (cl->diags->nerrors == before)
        out = eval_const(cl->diags, af->expr);
    ast_file_free(af);
    return out;
}

/* The value of text given for v (TF_VAR_, -var, prompt).  Returns an owned
 * value or VAL_INVALID after diagnostics. */
static val parse_text(collector *cl, const cfg_variable *v, const char *text)
{
    if (literal_mode(v))
        return val_string(text);
    char *name = xasprintf("<value for var.%s>", v->name);
    src_file *s = src_from_string(name, text, strlen(text));
    free(name);
    return eval_source(cl, s, 0);
}

/* ---------------------------------------------------------------- tfvars (HCL) */

static void tfvars_variable_block(collector *cl, const ast_block *b)
{
    const char *name = b->labels[0].s;
    diag_add(cl->diags, DIAG_ERROR, b->type.range, "Variable declaration in .tfvars file",
             "A .tfvars file is used to assign values to variables that have already been "
             "declared in .tf files, not to declare new variables. To declare variable "
             "\"%s\", place this block in one of your .tf files, such as variables.tf.\n\n"
             "To set a value for this variable in %s, use the definition syntax instead:\n"
             "    %s = <value>", name, b->type.range.file->name, name);
}

/* A .tfvars file: only attributes, each assigning a variable. */
static void read_hcl(collector *cl, src_file *s)
{
    size_t before = cl->diags->nerrors;
    ast_file *af = parse_config(s, cl->diags);
    if (!af) {
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Out of memory", "%s", err_msg());
        return;
    }
    GROW(cl->trees, cl->ntrees);
    cl->trees[cl->ntrees++] = af;
    if (cl->diags->nerrors != before || !af->body)
        return;
    const ast_body *body = af->body;
    for (size_t i = 0; i < body->n; i++) {
        const ast_block *b = body->items[i].u.block;
        if (body->items[i].kind == AST_ITEM_BLOCK && strcmp(b->type.s, "variable") == 0 &&
            b->nlabels == 1)
            tfvars_variable_block(cl, b);
    }
    if (cl->diags->nerrors != before)
        return;   /* as Terraform: the declarations are the problem to fix first */
    for (size_t i = 0; i < body->n; i++) {
        const ast_item *it = &body->items[i];
        if (it->kind == AST_ITEM_BLOCK) {
            char *summary = xasprintf("Unexpected \"%s\" block", it->u.block->type.s);
            diag_add(cl->diags, DIAG_ERROR, it->u.block->type.range, summary,
                     "Blocks are not allowed here.");
            free(summary);
            continue;
        }
        const ast_attr *a = it->u.attr;
        raw_put(cl, (struct raw){.name = xstrdup(a->name.s), .from = FROM_FILE,
                                 .expr = a->expr, .json = VAL_INVALID_INIT,
                                 .range = a->expr->range, .attr = a->range});
    }
}

/* ---------------------------------------------------------------- tfvars (JSON) */

static size_t json_ws(const char *t, size_t n, size_t i)
{
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* The end of the JSON value that starts at t[i]; t is known to be valid. */
static size_t json_skip(const char *t, size_t n, size_t i)
{
    int depth = 0;
    for (; i < n; i++) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < n && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
            if (depth == 0)
                return i + 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            return i;
        }
    }
    return i;
}

static void json_member(collector *cl, src_file *s, size_t ks, size_t ke, size_t vs, size_t ve)
{
    val k = val_from_json(s->text + ks, ke - ks);
    val v = val_from_json(s->text + vs, ve - vs);
    if (val_kind(k) == VAL_STRING && val_is_valid(v)) {
        srange r = {s, (uint32_t)vs, (uint32_t)ve}, a = {s, (uint32_t)ks, (uint32_t)ve};
        raw_put(cl, (struct raw){.name = xstrdup(val_get_string(k)), .from = FROM_FILE,
                                 .json = v, .range = r, .attr = a});
    } else {
        val_free(v);
    }
    val_free(k);
}

/* A .tfvars.json file: one object, each property assigning a variable.  The
 * file is decoded whole first (which validates it), then scanned for the
 * source range of each property. */
static void read_json(collector *cl, src_file *s)
{
    val all = val_from_json(s->text, s->len);
    if (!val_is_valid(all)) {
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Invalid JSON",
                 "The file %s is not valid JSON: %s.", s->name, err_msg());
        return;
    }
    int object = val_kind(all) == VAL_OBJECT;
    val_free(all);
    if (!object) {
        diag_add(cl->diags, DIAG_ERROR, (srange){s, 0, 0}, "Root value must be object",
                 "The root value in a JSON variables file must be a JSON object.");
        return;
    }
    const char *t = s->text;
    size_t n = s->len, i = json_ws(t, n, 0) + 1;   /* past '{' */
    for (;;) {
        i = json_ws(t, n, i);
        if (i >= n || t[i] == '}')
            break;
        if (t[i] == ',') {
            i++;
            continue;
        }
        size_t ks = i, ke = json_skip(t, n, i);
        size_t vs = json_ws(t, n, json_ws(t, n, ke) + 1), ve = json_skip(t, n, vs);
        json_member(cl, s, ks, ke, vs, ve);
        i = ve;
    }
}

/* A JSON string is an HCL template in Terraform ("${...}", "$${" escapes):
 * render those that contain a template sequence.  Consumes v. */
static val json_string(collector *cl, val v, const char *file)
{
    const char *str = val_get_string(v);
    size_t len = val_string_len(v);
    if (!memmem(str, len, "${", 2) && !memmem(str, len, "%{", 2))
        return v;
    src_file *s = src_from_string(file, str, len);
    val_free(v);
    return eval_source(cl, s, 1);
}

/* The value of decoded JSON with its strings taken as templates.
 * Consumes v; VAL_INVALID after diagnostics. */
static val json_eval(collector *cl, val v, const char *file)
{
    enum val_kind k = val_kind(v);
    if (k == VAL_STRING)
        return json_string(cl, v, file);
    if (k != VAL_TUPLE && k != VAL_OBJECT)
        return v;
    val out = k == VAL_TUPLE ? val_tuple_empty() : val_object_empty();
    for (size_t i = 0; i < val_len(v) && val_is_valid(out); i++) {
        val x = json_eval(cl, val_copy(*val_at(v, i)), file);
        if (!val_is_valid(x)) {
            val_free(out);
            out = val_invalid();
        } else if (k == VAL_TUPLE) {
            out = val_tuple_append(out, x);
        } else {
            out = val_object_set(out, val_key_at(v, i), x);
        }
    }
    val_free(v);
    return out;
}

/* ---------------------------------------------------------------- collecting */

/* Read a variables file: .json by its name, HCL otherwise. */
static void read_file(collector *cl, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Failed to read variables file",
                 "Given variables file %s does not exist.", path);
        return;
    }
    src_file *s = src_load(path);
    if (!s) {
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Failed to read variables file",
                 "Error while reading %s: %s.", path, err_msg());
        return;
    }
    keep_src(cl, s);
    if (has_suffix(path, ".json"))
        read_json(cl, s);
    else
        read_hcl(cl, s);
}

static char *join_path(const char *dir, const char *name)
{
    if (strcmp(dir, ".") == 0)
        return xstrdup(name);
    return xasprintf("%s/%s", dir, name);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the *.auto.tfvars and *.auto.tfvars.json files of dir. */
static char **list_auto(collector *cl, const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    *n = 0;
    if (!d)
        return NULL;   /* cfg_load has already said why */
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!has_suffix(de->d_name, ".auto.tfvars") &&
            !has_suffix(de->d_name, ".auto.tfvars.json"))
            continue;
        if (*n >= CFG_MAX_FILES) {
            diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Too many variables files",
                     "Directory %s has more than %d *.auto.tfvars files (CFG_MAX_FILES).",
                     dir, CFG_MAX_FILES);
            break;
        }
        GROW(names, *n);
        names[(*n)++] = xstrdup(de->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, cmp_names);
    return names;
}

/* terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars[.json]. */
static void collect_auto(collector *cl)
{
    const char *dir = cl->root->dir;
    static const char *const fixed[] = {"terraform.tfvars", "terraform.tfvars.json"};
    struct stat st;
    for (size_t i = 0; i < 2; i++) {
        char *p = join_path(dir, fixed[i]);
        if (stat(p, &st) == 0)
            read_file(cl, p);
        free(p);
    }
    size_t n;
    char **names = list_auto(cl, dir, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = join_path(dir, names[i]);
        read_file(cl, p);
        free(p);
        free(names[i]);
    }
    free(names);
}

/* TF_VAR_<name> for each declared variable (others are ignored anyway). */
static void collect_env(collector *cl)
{
    for (size_t i = 0; i < cl->root->nvars; i++) {
        const char *name = cl->root->vars[i].name;
        char *key = xasprintf("TF_VAR_%s", name);
        const char *e = getenv(key);
        if (e)
            raw_put_text(cl, name, e, FROM_ENV);
        free(key);
    }
}

/* One -var NAME=VALUE. */
static void cli_var(collector *cl, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Invalid -var option",
                 "The given -var option \"%s\" is not correctly specified. It must be a "
                 "variable name and value separated by an equals sign, like "
                 "-var=\"key=value\".", arg);
        return;
    }
    char *name = xstrndup(arg, (size_t)(eq - arg));
    size_t len = strlen(name);
    if (len && name[len - 1] == ' ') {
        const char *value = eq + 1 + (eq[1] == ' ');
        diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Invalid -var option",
                 "Variable name \"%s\" is invalid due to trailing space. Did you mean "
                 "-var=\"%.*s=%s\"?", name, (int)(len - 1), name, value);
    } else {
        raw_put_text(cl, name, eq + 1, FROM_CLI);
    }
    free(name);
}

/* -var and -var-file: interleaved when the caller kept their order. */
static void collect_cli(collector *cl, const vars_opts *o)
{
    for (size_t i = 0; i < o->nordered; i++) {
        const char *a = o->ordered[i];
        if (strncmp(a, "var:", 4) == 0)
            cli_var(cl, a + 4);
        else if (strncmp(a, "file:", 5) == 0)
            read_file(cl, a + 5);
        else
            diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Invalid variable option",
                     "\"%s\" is neither \"var:NAME=VALUE\" nor \"file:PATH\".", a);
    }
    if (o->nordered)
        return;
    for (size_t i = 0; i < o->nvar_files; i++)
        read_file(cl, o->var_files[i]);
    for (size_t i = 0; i < o->nvar_args; i++)
        cli_var(cl, o->var_args[i]);
}

/* Ask for one value on the terminal as Terraform's UIInput does, without
 * echo for a sensitive variable.  Returns the line (owned, without its
 * newline) or NULL when nothing could be read. */
static char *prompt_one(const cfg_variable *v)
{
    printf("var.%s\n", v->name);
    if (v->description && *v->description) {
        for (const char *p = v->description; *p;) {
            size_t n = strcspn(p, "\n");
            printf("  %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
        putchar('\n');
    }
    fputs("  Enter a value: ", stdout);
    fflush(stdout);
    struct termios old, quiet;
    int hide = v->sensitive && tcgetattr(STDIN_FILENO, &old) == 0;
    if (hide) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (hide) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        putchar('\n');   /* the user's Enter was not echoed */
    }
    putchar('\n');
    fflush(stdout);
    if (n < 0 || (size_t)n > VARS_MAX_INPUT) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
    return line;
}

static int cmp_vars(const void *a, const void *b)
{
    const cfg_variable *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* Prompt for the required variables nothing set, in lexical order. */
static void collect_input(collector *cl, const vars_opts *o)
{
    if (!o->interactive || !isatty(STDIN_FILENO))
        return;
    const cfg_variable **need = NULL;
    size_t n = 0;
    for (size_t i = 0; i < cl->root->nvars; i++) {
        const cfg_variable *v = &cl->root->vars[i];
        if (!v->default_ && !raw_find(cl, v->name)) {
            GROW(need, n);
            need[n++] = v;
        }
    }
    if (n)
        qsort(need, n, sizeof *need, cmp_vars);
    for (size_t i = 0; i < n; i++) {
        char *text = prompt_one(need[i]);
        if (text)
            raw_put(cl, (struct raw){.name = xstrdup(need[i]->name), .from = FROM_INPUT,
                                     .text = text, .json = VAL_INVALID_INIT});
    }
    free(need);
}

/* ---------------------------------------------------------------- finishing */

/* The value of an assignment for v (NULL: undeclared), before conversion.
 * Returns an owned value or VAL_INVALID after diagnostics. */
static val raw_value(collector *cl, const cfg_variable *v, const struct raw *r)
{
    if (r->from != FROM_FILE)
        return parse_text(cl, v, r->text);
    if (r->expr)
        return eval_const(cl->diags, r->expr);
    return json_eval(cl, val_copy(r->json), r->range.file->name);
}

/* Values for names the root module does not declare: an error from the
 * command line, a warning from a file (the first few, then a count). */
static void check_undeclared(collector *cl)
{
    size_t nfile = 0;
    for (size_t i = 0; i < cl->nraws; i++) {
        const struct raw *r = &cl->raws[i];
        if (cfg_var(cl->root, r->name))
            continue;
        if (r->from == FROM_CLI) {
            diag_add(cl->diags, DIAG_ERROR, (srange){0}, "Value for undeclared variable",
                     "A variable named \"%s\" was given on the command line, but the root "
                     "module does not declare a variable of that name. To use this value, "
                     "add a \"variable\" block to the configuration.", r->name);
            continue;
        }
        if (r->from != FROM_FILE)
            continue;
        val x = raw_value(cl, NULL, r);
        if (!val_is_valid(x))
            continue;
        val_free(x);
        if (nfile++ < VARS_MAX_UNDECLARED_WARNINGS)
            diag_add(cl->diags, DIAG_WARNING, r->attr, "Value for undeclared variable",
                     "The root module does not declare a variable named \"%s\" but a value "
                     "was found in file \"%s\". If you meant to use this value, add a "
                     "\"variable\" block to the configuration.\n\nTo silence these warnings, "
                     "use TF_VAR_... environment variables to provide certain \"global\" "
                     "settings to all configurations in your organization.", r->name,
                     r->range.file->name);
    }
    if (nfile > VARS_MAX_UNDECLARED_WARNINGS)
        diag_add(cl->diags, DIAG_WARNING, (srange){0}, "Values for undeclared variables",
                 "In addition to the other similar warnings shown, %zu other variable(s) "
                 "defined without being declared.", nfile - VARS_MAX_UNDECLARED_WARNINGS);
}

/* Terraform's words for where a value without a source range came from;
 * NULL for a file (which has a range).  Caller frees. */
static char *origin(const struct raw *r, const char *name)
{
    switch (r->from) {
    case FROM_CLI:
        return xasprintf("set using -var=\"%s=...\"", name);
    case FROM_ENV:
        return xasprintf("set using the TF_VAR_%s environment variable", name);
    case FROM_INPUT:
        return xstrdup("set using an interactive prompt");
    default:
        return NULL;
    }
}

/* Report r's value as unsuitable for v: why is the conversion error, or
 * NULL for a null given to a non-nullable variable without a default. */
static void unsuitable(collector *cl, const cfg_variable *v, const struct raw *r,
                       const char *why)
{
    srange decl = def_range(v->range), src = r && r->from == FROM_FILE ? r->range : decl;
    char *at = range_str(decl), *from = r ? origin(r, v->name) : NULL;
    const char *summary = why ? "Invalid value for input variable" : "Required variable not set";
    const char *reason = why ? why : "required variable may not be set to null";
    if (from) {
        diag_add(cl->diags, DIAG_ERROR, decl, summary, "Unsuitable value for var.%s %s: %s.",
                 v->name, from, reason);
    } else if (why && v->sensitive) {
        char *where = range_str(src);
        diag_add(cl->diags, DIAG_ERROR, decl, summary,
                 "The given value is not suitable for var.%s, which is sensitive: %s. Invalid "
                 "value defined at %s.", v->name, why, where);
        free(where);
    } else {
        diag_add(cl->diags, DIAG_ERROR, src, summary,
                 "The given value is not suitable for var.%s %s at %s: %s.", v->name,
                 why ? "declared" : "defined", at, reason);
    }
    free(at);
    free(from);
}

/* v's default, evaluated and converted (VAL_INVALID in *out when it has
 * none).  Returns 0, or -1 after diagnostics. */
static int eval_default(collector *cl, const cfg_variable *v, val *out)
{
    *out = val_invalid();
    if (!v->default_)
        return 0;
    val d = eval_const(cl->diags, v->default_);
    if (!val_is_valid(d))
        return -1;
    if (v->type) {
        d = val_convert(d, v->type);
        if (!val_is_valid(d)) {
            diag_add(cl->diags, DIAG_ERROR, v->default_->range,
                     "Invalid default value for variable",
                     "This default value is not compatible with the variable's type "
                     "constraint: %s.", err_msg());
            return -1;
        }
    }
    if (!v->nullable && val_is_null(d)) {
        diag_add(cl->diags, DIAG_ERROR, v->default_->range, "Invalid default value for variable",
                 "A null default value is not valid when nullable=false.");
        val_free(d);
        return -1;
    }
    *out = d;
    return 0;
}

/* The final value of v from its winning assignment r (NULL: none).
 * Returns an owned value or VAL_INVALID after diagnostics. */
static val finish_var(collector *cl, const cfg_variable *v, const struct raw *r)
{
    val dflt, x;
    if (eval_default(cl, v, &dflt) < 0)
        return val_invalid();
    if (r) {
        x = raw_value(cl, v, r);
    } else if (v->default_) {
        x = val_copy(dflt);
    } else {
        diag_add(cl->diags, DIAG_ERROR, def_range(v->range), "No value for required variable",
                 "The root module input variable \"%s\" is not set, and has no default value. "
                 "Use a -var or -var-file command line argument to provide a value for this "
                 "variable.", v->name);
        return val_invalid();
    }
    if (val_is_valid(x) && v->type) {
        x = val_convert(x, v->type);
        if (!val_is_valid(x)) {
            char *why = xstrdup(err_msg());
            unsuitable(cl, v, r, why);
            free(why);
        }
    }
    if (val_is_valid(x) && val_is_null(x) && !v->nullable) {
        val_free(x);
        x = val_is_valid(dflt) ? val_copy(dflt) : val_invalid();
        if (!val_is_valid(x))
            unsuitable(cl, v, r, NULL);
    }
    val_free(dflt);
    return val_is_valid(x) && v->sensitive ? val_mark(x, VAL_MARK_SENSITIVE) : x;
}

/* Free what the collection holds; hand the sources to o->srcs, or free
 * them after detaching the diagnostics (from index first on) from them. */
static void collector_end(collector *cl, const vars_opts *o, size_t first)
{
    for (size_t i = 0; i < cl->nraws; i++)
        raw_clear(&cl->raws[i]);
    free(cl->raws);
    for (size_t i = 0; i < cl->ntrees; i++)
        ast_file_free(cl->trees[i]);
    free(cl->trees);
    for (size_t i = 0; i < cl->nsrcs; i++) {
        if (o->srcs) {
            GROW(o->srcs->v, o->srcs->n);
            o->srcs->v[o->srcs->n++] = cl->srcs[i];
            continue;
        }
        for (size_t j = first; j < cl->diags->n; j++)
            if (cl->diags->items[j].range.file == cl->srcs[i])
                cl->diags->items[j].range = (srange){0};
        src_free(cl->srcs[i]);
    }
    free(cl->srcs);
}

val *vars_collect(const cfg_module *root, const vars_opts *o, diag_list *diags)
{
    static const vars_opts none;
    collector cl = {.root = root, .diags = diags};
    size_t before = diags->nerrors, first = diags->n;
    o = o ? o : &none;
    collect_env(&cl);
    collect_auto(&cl);
    collect_cli(&cl, o);
    val *out = NULL;
    if (diags->nerrors == before) {   /* as Terraform: no prompt after errors */
        collect_input(&cl, o);
        check_undeclared(&cl);
        out = xcalloc(root->nvars + 1, sizeof *out);
        for (size_t i = 0; i < root->nvars; i++)
            out[i] = finish_var(&cl, &root->vars[i], raw_find(&cl, root->vars[i].name));
    }
    collector_end(&cl, o, first);
    if (diags->nerrors != before) {
        vars_free(out, out ? root->nvars : 0);
        return NULL;
    }
    return out;
}

void vars_free(val *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        val_free(v[i]);
    free(v);
}

void vars_srcs_free(vars_srcs *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        src_free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* ---------------------------------------------------------------- validation */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The text of a failed rule's error_message (msg consumed): trimmed, or a
 * stand-in with a diagnostic when it cannot be shown.  Caller frees. */
static char *check_message(const cfg_check *ck, val msg, diag_list *d)
{
    if (!val_is_valid(msg) || val_is_unknown(msg) || val_is_null(msg)) {
        val_free(msg);
        return xstrdup("Failed to evaluate condition error message.");
    }
    msg = val_convert(msg, ty_string());
    if (!val_is_valid(msg)) {
        diag_add(d, DIAG_ERROR, ck->error_message->range, "Invalid error message",
                 "Unsuitable value for error message: %s.", err_msg());
        return xstrdup("Failed to evaluate condition error message.");
    }
    if (val_is_sensitive(msg)) {
        val_free(msg);
        diag_add(d, DIAG_ERROR, ck->error_message->range,
                 "Error message refers to sensitive values",
                 "The error expression used to explain this condition refers to sensitive "
                 "values. Terraform will not display the resulting message.\n\nYou can correct "
                 "this by removing references to sensitive values, or by carefully using the "
                 "nonsensitive() function if the expression will not reveal the sensitive "
                 "data.");
        return xstrdup("The error message included a sensitive value, so it will not be "
                       "displayed.");
    }
    const char *s = val_get_string(msg);
    size_t n = val_string_len(msg), skip = 0;
    while (skip < n && is_space(s[skip]))
        skip++;
    while (n > skip && is_space(s[n - 1]))
        n--;
    s += skip;
    n -= skip;
    char *out = xstrndup(s, n);
    val_free(msg);
    return out;
}

/* The condition's verdict: 1 true or unknown, 0 false, -1 after a
 * diagnostic (cond consumed). */
static int check_result(const cfg_check *ck, val cond, diag_list *d)
{
    if (!val_is_valid(cond))
        return -1;
    if (val_is_unknown(cond)) {
        val_free(cond);
        return 1;   /* decided once the value is known */
    }
    if (val_is_null(cond)) {
        val_free(cond);
        diag_add(d, DIAG_ERROR, ck->condition->range, "Invalid variable validation result",
                 "Validation condition expression must return either true or false, not null.");
        return -1;
    }
    cond = val_convert(cond, ty_bool());
    if (!val_is_valid(cond)) {
        diag_add(d, DIAG_ERROR, ck->condition->range, "Invalid variable validation result",
                 "Invalid validation condition result value: %s.", err_msg());
        return -1;
    }
    int ok = val_get_bool(cond);
    val_free(cond);
    return ok;
}

static void validate_one(const cfg_check *ck, eval_table *t, diag_list *d)
{
    eval_ctx c;
    eval_ctx_init(&c, d);
    c.resolve = eval_table_resolve;
    c.payload = t;
    val cond = eval_expr(&c, ck->condition);
    val msg = eval_expr(&c, ck->error_message);   /* its errors count even on success */
    if (check_result(ck, cond, d) != 0) {
        val_free(msg);
        return;
    }
    char *text = check_message(ck, msg, d), *at = range_str(def_range(ck->range));
    diag_add(d, DIAG_ERROR, ck->condition->range, "Invalid value for variable",
             "%s\n\nThis was checked by the validation rule at %s.", text, at);
    free(text);
    free(at);
}

int vars_validate(const cfg_variable *v, val value, diag_list *diags)
{
    size_t before = diags->nerrors;
    eval_table *t = eval_table_new();
    if (!t || eval_table_set(t, EVAL_REF_VAR, NULL, v->name, val_copy(value)) != 0) {
        eval_table_free(t);
        diag_add(diags, DIAG_ERROR, v->range, "Out of memory", "%s", err_msg());
        return CAIRN_EDIAG;
    }
    for (size_t i = 0; i < v->nvalidations; i++)
        validate_one(&v->validations[i], t, diags);
    eval_table_free(t);
    return diags->nerrors != before ? CAIRN_EDIAG : 0;
}
