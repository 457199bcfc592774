/*
 * engine/cmd_console.c — `cairn console`: evaluate expressions against the
 * configuration in the working directory.
 *
 *   cairn console [-var NAME=VALUE]... [-var-file FILE]... [-no-color]
 *
 * Scope: input variables (default, then terraform.tfvars and
 * *.auto.tfvars, then TF_VAR_NAME, then -var-file, then -var, each
 * converted to the declared type; sensitive ones print as (sensitive
 * value)), locals (evaluated lazily, on first use, so only what an
 * expression needs is evaluated; a cycle is an error), path.module and
 * path.root ("."), path.cwd, terraform.workspace (TF_WORKSPACE or
 * "default"), and declared resources, data sources and modules as unknown
 * values (there is no state to read them from yet).
 *
 * Input: one expression per line from standard input; on a terminal with a
 * "> " prompt.  An expression with open brackets, interpolations or a
 * heredoc continues on the next lines ("... " prompt).  "exit" ends the
 * session, blank lines are skipped.
 * Output: each result on standard output formatted as terraform console
 * prints it (lang/val_fmt.h); diagnostics on standard error.
 *
 * Difference from terraform console when input is not a terminal:
 * Terraform stops at the first failing line (exit 1) and prints only the
 * last result.  cairn prints every result, reports a failing line's
 * diagnostics and goes on with the next one, and exits 1 at the end if any
 * line failed, so that scripts see every answer.
 */
#include "engine/cli.h"
#include "lang/eval.h"
#include "lang/lex.h"
#include "lang/parse.h"
#include "lang/val_fmt.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest console input line. */
#define CONSOLE_MAX_LINE (1u << 20)

enum local_state { LOCAL_TODO, LOCAL_BUSY, LOCAL_DONE, LOCAL_FAILED };

struct console_local {
    const char *name;
    const ast *expr;
    enum local_state state;
    val v;
};

struct console_decl {        /* a declared resource, data source or module */
    enum eval_ref_kind kind;
    const char *type, *name;
};

typedef struct console {
    src_file **srcs;          /* every file parsed or evaluated: kept for diags */
    size_t nsrcs;
    ast_file **files;
    size_t nfiles;
    eval_table *table;        /* variables, path, terraform */
    struct console_local *locals;
    size_t nlocals;
    struct console_decl *decls;
    size_t ndecls;
    diag_list diags;          /* startup diagnostics */
} console;

static void keep_src(console *cs, src_file *s)
{
    if (!s)
        return;
    cs->srcs = xrealloc(cs->srcs, (cs->nsrcs + 1) * sizeof *cs->srcs);
    cs->srcs[cs->nsrcs++] = s;
}

static int console_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload);

static void console_ctx(console *cs, eval_ctx *c, diag_list *d)
{
    eval_ctx_init(c, d);
    c->resolve = console_resolve;
    c->payload = cs;
    c->allow_impure = 1;
}

/* ---------------------------------------------------------------- locals */

static int console_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    console *cs = payload;
    if (ref->kind == EVAL_REF_LOCAL) {
        for (size_t i = 0; i < cs->nlocals; i++) {
            struct console_local *l = &cs->locals[i];
            if (strcmp(l->name, ref->name) != 0)
                continue;
            if (l->state == LOCAL_BUSY) {
                diag_add(diags, DIAG_ERROR, ref->range, "Cycle in local values",
                         "The local value \"%s\" refers to itself, directly or through "
                         "other local values.", l->name);
                return CAIRN_EINVAL;
            }
            if (l->state == LOCAL_TODO) {
                eval_ctx c;
                console_ctx(cs, &c, diags);
                l->state = LOCAL_BUSY;
                size_t before = diags->nerrors;
                l->v = eval_expr(&c, l->expr);
                l->state = val_is_valid(l->v) && diags->nerrors == before ? LOCAL_DONE
                                                                          : LOCAL_FAILED;
            }
            if (l->state != LOCAL_DONE) {
                if (!diag_has_errors(diags))
                    diag_add(diags, DIAG_ERROR, ref->range, "Invalid local value",
                             "The local value \"%s\" could not be evaluated.", l->name);
                return CAIRN_EINVAL;
            }
            *out = val_copy(l->v);
            return 0;
        }
        return CAIRN_ENOTFOUND;
    }
    for (size_t i = 0; i < cs->ndecls; i++) {
        const struct console_decl *d = &cs->decls[i];
        if (d->kind == ref->kind && strcmp(d->name, ref->name) == 0 &&
            (!d->type || (ref->type && strcmp(d->type, ref->type) == 0))) {
            *out = val_unknown(ty_any());
            return 0;
        }
    }
    return eval_table_resolve(ref, out, diags, cs->table);
}

/* ---------------------------------------------------------------- loading */

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the files in dir ending in suffix, sorted; caller frees. */
static char **list_files(const char *suffix, size_t *n)
{
    DIR *d = opendir(".");
    char **names = NULL;
    *n = 0;
    if (!d)
        return NULL;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix))
            continue;
        names = xrealloc(names, (*n + 1) * sizeof *names);
        names[(*n)++] = xstrdup(de->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, cmp_names);
    return names;
}

static ast_file *load_file(console *cs, const char *path)
{
    src_file *s = src_load(path);
    if (!s) {
        diag_add(&cs->diags, DIAG_ERROR, (srange){0}, "Failed to read file", "%s: %s", path,
                 err_msg());
        return NULL;
    }
    keep_src(cs, s);
    ast_file *af = parse_config(s, &cs->diags);
    if (af) {
        cs->files = xrealloc(cs->files, (cs->nfiles + 1) * sizeof *cs->files);
        cs->files[cs->nfiles++] = af;
    }
    return af;
}

static void add_decl(console *cs, enum eval_ref_kind k, const char *type, const char *name)
{
    cs->decls = xrealloc(cs->decls, (cs->ndecls + 1) * sizeof *cs->decls);
    cs->decls[cs->ndecls++] = (struct console_decl){k, type, name};
}

/* A declared variable and where its value came from. */
struct console_var {
    const char *name;
    ty *type;          /* NULL: any */
    int sensitive;
    int literal;       /* -var / TF_VAR values are literal strings */
    val v;             /* VAL_INVALID: no value yet */
    srange range;
};

static void scan_config(console *cs, ast_file *af, struct console_var **vars, size_t *nvars)
{
    for (size_t i = 0; af->body && i < af->body->n; i++) {
        if (af->body->items[i].kind != AST_ITEM_BLOCK)
            continue;
        const ast_block *b = af->body->items[i].u.block;
        const char *bt = b->type.s;
        if (strcmp(bt, "locals") == 0) {
            for (size_t j = 0; j < b->body->n; j++) {
                if (b->body->items[j].kind != AST_ITEM_ATTR)
                    continue;
                const ast_attr *a = b->body->items[j].u.attr;
                cs->locals = xrealloc(cs->locals, (cs->nlocals + 1) * sizeof *cs->locals);
                cs->locals[cs->nlocals++] = (struct console_local){
                    a->name.s, a->expr, LOCAL_TODO, VAL_INVALID_INIT};
            }
        } else if (strcmp(bt, "variable") == 0 && b->nlabels == 1) {
            struct console_var v = {b->labels[0].s, NULL, 0, 1, VAL_INVALID_INIT, b->range};
            const ast_attr *t = ast_body_attr(b->body, "type");
            if (t) {
                v.type = eval_type_expr(t->expr, &cs->diags);
                enum ty_kind k = v.type ? ty_kind(v.type) : TY_STRING;
                v.literal = k == TY_STRING || k == TY_NUMBER || k == TY_BOOL;
            }
            const ast_attr *s = ast_body_attr(b->body, "sensitive");
            if (s && s->expr->kind == AST_LITERAL && s->expr->u.lit.kind == AST_LIT_BOOL)
                v.sensitive = s->expr->u.lit.b;
            const ast_attr *d = ast_body_attr(b->body, "default");
            if (d) {
                eval_ctx c;
                eval_ctx_init(&c, &cs->diags);
                v.v = eval_expr(&c, d->expr);
                if (!val_is_valid(v.v))
                    v.v = val_null();
            }
            *vars = xrealloc(*vars, (*nvars + 1) * sizeof **vars);
            (*vars)[(*nvars)++] = v;
        } else if (strcmp(bt, "resource") == 0 && b->nlabels == 2) {
            add_decl(cs, EVAL_REF_RESOURCE, b->labels[0].s, b->labels[1].s);
        } else if (strcmp(bt, "data") == 0 && b->nlabels == 2) {
            add_decl(cs, EVAL_REF_DATA, b->labels[0].s, b->labels[1].s);
        } else if (strcmp(bt, "module") == 0 && b->nlabels == 1) {
            add_decl(cs, EVAL_REF_MODULE, NULL, b->labels[0].s);
        }
    }
}

static struct console_var *find_var(struct console_var *vars, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(vars[i].name, name) == 0)
            return &vars[i];
    return NULL;
}

/* Set variable `name` from text given on the command line or in the
 * environment: a literal string for primitive types, else an expression. */
static void set_var_text(console *cs, struct console_var *vars, size_t n, const char *name,
                         const char *text, const char *origin)
{
    struct console_var *v = find_var(vars, n, name);
    if (!v) {
        if (strcmp(origin, "-var") == 0)
            diag_add(&cs->diags, DIAG_ERROR, (srange){0}, "Value for undeclared variable",
                     "A variable named \"%s\" was assigned on the command line, but the "
                     "root module does not declare a variable of that name.", name);
        return;
    }
    val nv;
    if (v->literal) {
        nv = val_string(text);
    } else {
        eval_ctx c;
        src_file *src = NULL;
        eval_ctx_init(&c, &cs->diags);
        nv = eval_string(&c, origin, text, strlen(text), &src);
        keep_src(cs, src);
        if (!val_is_valid(nv))
            return;
    }
    val_free(v->v);
    v->v = nv;
}

/* Variables from a .tfvars file: each attribute assigns one. */
static void load_tfvars(console *cs, struct console_var *vars, size_t n, const char *path)
{
    ast_file *af = load_file(cs, path);
    if (!af || !af->body)
        return;
    for (size_t i = 0; i < af->body->n; i++) {
        if (af->body->items[i].kind != AST_ITEM_ATTR)
            continue;
        const ast_attr *a = af->body->items[i].u.attr;
        struct console_var *v = find_var(vars, n, a->name.s);
        if (!v)
            continue;   /* Terraform warns; values for other configurations are common */
        eval_ctx c;
        eval_ctx_init(&c, &cs->diags);
        val nv = eval_expr(&c, a->expr);
        if (val_is_valid(nv)) {
            val_free(v->v);
            v->v = nv;
        }
    }
}

/* Convert each variable to its type and put it in the table. */
static void finish_vars(console *cs, struct console_var *vars, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct console_var *v = &vars[i];
        if (!val_is_valid(v->v)) {
            diag_add(&cs->diags, DIAG_ERROR, v->range, "No value for required variable",
                     "The root module input variable \"%s\" is not set, and has no default "
                     "value. Use a -var or -var-file command line argument to provide a "
                     "value for this variable.", v->name);
            continue;
        }
        val x = v->v;
        v->v = val_invalid();
        if (v->type) {
            x = val_convert(x, v->type);
            if (!val_is_valid(x)) {
                diag_add(&cs->diags, DIAG_ERROR, v->range, "Invalid value for input variable",
                         "The given value is not suitable for var.%s: %s.", v->name,
                         err_msg());
                continue;
            }
        }
        if (v->sensitive)
            x = val_mark(x, VAL_MARK_SENSITIVE);
        eval_table_set(cs->table, EVAL_REF_VAR, NULL, v->name, x);
    }
}

static int console_load(console *cs, char **var_args, size_t nvar_args, char **var_files,
                        size_t nvar_files)
{
    size_t nf;
    char **names = list_files(".tf", &nf);
    struct console_var *vars = NULL;
    size_t nvars = 0;
    for (size_t i = 0; i < nf; i++) {
        ast_file *af = load_file(cs, names[i]);
        if (af)
            scan_config(cs, af, &vars, &nvars);
        free(names[i]);
    }
    free(names);
    if (access("terraform.tfvars", R_OK) == 0)
        load_tfvars(cs, vars, nvars, "terraform.tfvars");
    names = list_files(".auto.tfvars", &nf);
    for (size_t i = 0; i < nf; i++) {
        load_tfvars(cs, vars, nvars, names[i]);
        free(names[i]);
    }
    free(names);
    for (size_t i = 0; i < nvars; i++) {
        char *env = xasprintf("TF_VAR_%s", vars[i].name);
        const char *e = getenv(env);
        if (e)
            set_var_text(cs, vars, nvars, vars[i].name, e, "TF_VAR");
        free(env);
    }
    for (size_t i = 0; i < nvar_files; i++)
        load_tfvars(cs, vars, nvars, var_files[i]);
    for (size_t i = 0; i < nvar_args; i++) {
        char *eq = strchr(var_args[i], '=');
        if (!eq) {
            diag_add(&cs->diags, DIAG_ERROR, (srange){0}, "Invalid -var option",
                     "The given -var option \"%s\" is not correctly specified. It must be a "
                     "variable name and value separated by an equals sign, like "
                     "-var=\"key=value\".", var_args[i]);
            continue;
        }
        char *name = xstrndup(var_args[i], (size_t)(eq - var_args[i]));
        set_var_text(cs, vars, nvars, name, eq + 1, "-var");
        free(name);
    }
    finish_vars(cs, vars, nvars);
    for (size_t i = 0; i < nvars; i++) {
        if (vars[i].type)
            ty_free(vars[i].type);
        val_free(vars[i].v);
    }
    free(vars);

    char cwd[4096];
    const char *ws = getenv("TF_WORKSPACE");
    eval_table_set(cs->table, EVAL_REF_PATH, NULL, "module", val_string("."));
    eval_table_set(cs->table, EVAL_REF_PATH, NULL, "root", val_string("."));
    eval_table_set(cs->table, EVAL_REF_PATH, NULL, "cwd",
                   val_string(getcwd(cwd, sizeof cwd) ? cwd : "."));
    eval_table_set(cs->table, EVAL_REF_TERRAFORM, NULL, "workspace",
                   val_string(ws && *ws ? ws : "default"));
    return diag_has_errors(&cs->diags) ? -1 : 0;
}

static void console_free(console *cs)
{
    for (size_t i = 0; i < cs->nlocals; i++)
        val_free(cs->locals[i].v);
    free(cs->locals);
    free(cs->decls);
    for (size_t i = 0; i < cs->nfiles; i++)
        ast_file_free(cs->files[i]);
    free(cs->files);
    diag_list_free(&cs->diags);
    for (size_t i = 0; i < cs->nsrcs; i++)
        src_free(cs->srcs[i]);
    free(cs->srcs);
    eval_table_free(cs->table);
}

/* ---------------------------------------------------------------- the loop */

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: cairn console [options]\n\n"
            "  Evaluate expressions against the configuration in the working directory,\n"
            "  one per line from standard input (interactive on a terminal).\n\n"
            "Options:\n"
            "  -var 'NAME=VALUE'  Set a value for an input variable (repeatable).\n"
            "  -var-file=FILE     Set variables from a .tfvars file (repeatable).\n"
            "  -no-color          No colour in diagnostics.\n\n"
            "  Unlike terraform console, piped input prints every result and continues\n"
            "  after a failing line; the exit status is 1 if any line failed.\n");
}

/* Whether text opens more brackets, interpolations or heredocs than it
 * closes, so that the expression continues on the next line. */
static int console_incomplete(const char *text, size_t n)
{
    src_file *s = src_from_string("<console-input>", text, n);
    if (!s)
        return 0;
    lex_tokens toks = {0};
    lex_run(s, LEX_MODE_CONFIG, &toks, NULL);
    long depth = 0;
    for (size_t i = 0; i < toks.n; i++) {
        switch (toks.v[i].kind) {
        case LEX_OBRACE: case LEX_OBRACK: case LEX_OPAREN: case LEX_OHEREDOC:
        case LEX_TEMPLATE_INTERP: case LEX_TEMPLATE_CONTROL:
            depth++;
            break;
        case LEX_CBRACE: case LEX_CBRACK: case LEX_CPAREN: case LEX_CHEREDOC:
        case LEX_TEMPLATE_SEQ_END:
            depth--;
            break;
        default:
            break;
        }
    }
    lex_tokens_free(&toks);
    src_free(s);
    return depth > 0;
}

/* Evaluate one line; 0 ok, -1 failed. */
static int console_line(console *cs, const char *line, size_t n, int color)
{
    diag_list d = {0};
    eval_ctx c;
    src_file *src = NULL;
    console_ctx(cs, &c, &d);
    val v = eval_string(&c, "<console-input>", line, n, &src);
    int rc = 0;
    if (!val_is_valid(v) || diag_has_errors(&d)) {
        rc = -1;
    } else {
        char *s = val_fmt(&v);
        printf("%s\n", s ? s : "");
        free(s);
    }
    fflush(stdout);
    diag_print_all(stderr, &d, color);
    diag_list_free(&d);
    val_free(v);
    src_free(src);
    return rc;
}

int cmd_console(int argc, char **argv)
{
    char **vars = xcalloc((size_t)argc + 1, sizeof *vars);
    char **files = xcalloc((size_t)argc + 1, sizeof *files);
    size_t nvars = 0, nfiles = 0;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-var") == 0 && i + 1 < argc) {
            vars[nvars++] = argv[++i];
        } else if (strncmp(a, "-var=", 5) == 0) {
            vars[nvars++] = argv[i] + 5;
        } else if (strcmp(a, "-var-file") == 0 && i + 1 < argc) {
            files[nfiles++] = argv[++i];
        } else if (strncmp(a, "-var-file=", 10) == 0) {
            files[nfiles++] = argv[i] + 10;
        } else if (strcmp(a, "-no-color") == 0) {
            continue;
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0 ||
                   strcmp(a, "--help") == 0) {
            usage(stdout);
            free(vars);
            free(files);
            return 0;
        } else {
            fprintf(stderr, "Error: unknown option \"%s\" for cairn console\n\n", a);
            usage(stderr);
            free(vars);
            free(files);
            return 1;
        }
    }
    int color = cli_use_color(stderr);
    console cs;
    memset(&cs, 0, sizeof cs);
    cs.table = eval_table_new();
    int loaded = console_load(&cs, vars, nvars, files, nfiles);
    diag_print_all(stderr, &cs.diags, color);
    free(vars);
    free(files);
    if (loaded < 0) {
        console_free(&cs);
        return 1;
    }
    int tty = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t cap = 0;
    strbuf input = {0};   /* an expression may continue over several lines */
    input.cap = CONSOLE_MAX_LINE;
    for (;;) {
        if (tty) {
            fputs(input.len ? "... " : "> ", stdout);
            fflush(stdout);
        }
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0)
            break;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        size_t off = 0;
        while (off < (size_t)n && (line[off] == ' ' || line[off] == '\t'))
            off++;
        if (!input.len && off == (size_t)n)
            continue;
        if (!input.len && strcmp(line + off, "exit") == 0)
            break;
        sb_append(&input, line, (size_t)n);
        sb_putc(&input, '\n');
        if (input.failed) {
            fprintf(stderr, "Error: input longer than %u bytes (CONSOLE_MAX_LINE)\n",
                    CONSOLE_MAX_LINE);
            sb_free(&input);
            input.cap = CONSOLE_MAX_LINE;
            status = 1;
            continue;
        }
        if (console_incomplete(input.s, input.len))
            continue;
        if (console_line(&cs, input.s, input.len, color) < 0)
            status = 1;
        input.len = 0;
    }
    if (input.len && console_line(&cs, input.s, input.len, color) < 0)
        status = 1;   /* unterminated input at the end: report its errors */
    sb_free(&input);
    if (tty)
        putchar('\n');
    free(line);
    console_free(&cs);
    return tty ? 0 : status;
}
