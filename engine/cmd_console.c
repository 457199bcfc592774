/*
 * engine/cmd_console.c — `cairn console`: evaluate expressions against the
 * configuration in the working directory.
 *
 *   cairn console [-var NAME=VALUE]... [-var-file FILE]... [-no-color]
 *
 * Scope: input variables (gathered by engine/vars.h with Terraform's
 * precedence: default, TF_VAR_NAME, terraform.tfvars[.json],
 * *.auto.tfvars[.json], then -var-file and -var in command-line order; each
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
 * Also: a required variable without a value is an error here ("No value
 * for required variable"); terraform console treats it as unknown.
 */
#include "engine/cli.h"
#include "engine/config.h"
#include "engine/vars.h"
#include "lang/eval.h"
#include "lang/lex.h"
#include "lang/parse.h"
#include "lang/val_fmt.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest console input line. */
#define CONSOLE_MAX_LINE (1u << 20)

enum local_state { LOCAL_TODO, LOCAL_BUSY, LOCAL_DONE, LOCAL_FAILED };

struct console_local {
    const cfg_local *cfg;
    enum local_state state;
    val v;
};

typedef struct console {
    cfg_module *root;         /* the configuration in "." */
    vars_srcs vsrcs;          /* tfvars texts the startup diagnostics point into */
    eval_table *table;        /* variables, path, terraform */
    struct console_local *locals;   /* one per root->locals[i] */
    diag_list diags;          /* startup diagnostics */
} console;

static int console_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload);

static void console_ctx(console *cs, eval_ctx *c, diag_list *d)
{
    eval_ctx_init(c, d);
    c->resolve = console_resolve;
    c->payload = cs;
    c->allow_impure = 1;
}

/* ---------------------------------------------------------------- locals */

static int console_local(console *cs, const eval_ref *ref, val *out, diag_list *diags)
{
    for (size_t i = 0; i < cs->root->nlocals; i++) {
        struct console_local *l = &cs->locals[i];
        if (strcmp(l->cfg->name, ref->name) != 0)
            continue;
        if (l->state == LOCAL_BUSY) {
            diag_add(diags, DIAG_ERROR, ref->range, "Cycle in local values",
                     "The local value \"%s\" refers to itself, directly or through "
                     "other local values.", l->cfg->name);
            return CAIRN_EINVAL;
        }
        if (l->state == LOCAL_TODO) {
            eval_ctx c;
            console_ctx(cs, &c, diags);
            l->state = LOCAL_BUSY;
            size_t before = diags->nerrors;
            l->v = eval_expr(&c, l->cfg->expr);
            l->state = val_is_valid(l->v) && diags->nerrors == before ? LOCAL_DONE
                                                                      : LOCAL_FAILED;
        }
        if (l->state != LOCAL_DONE) {
            if (!diag_has_errors(diags))
                diag_add(diags, DIAG_ERROR, ref->range, "Invalid local value",
                         "The local value \"%s\" could not be evaluated.", l->cfg->name);
            return CAIRN_EINVAL;
        }
        *out = val_copy(l->v);
        return 0;
    }
    return CAIRN_ENOTFOUND;
}

/* Locals lazily; declared resources, data sources and modules as unknown
 * values (no state yet); the rest from the table. */
static int console_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    console *cs = payload;
    int declared = 0;
    switch (ref->kind) {
    case EVAL_REF_LOCAL:
        return console_local(cs, ref, out, diags);
    case EVAL_REF_RESOURCE:
    case EVAL_REF_DATA:
        declared = ref->type &&
                   cfg_resource_find(cs->root, ref->kind == EVAL_REF_DATA, ref->type, ref->name);
        break;
    case EVAL_REF_MODULE:
        declared = cfg_call_find(cs->root, ref->name) != NULL;
        break;
    default:
        break;
    }
    if (declared) {
        *out = val_unknown(ty_any());
        return 0;
    }
    return eval_table_resolve(ref, out, diags, cs->table);
}

/* ---------------------------------------------------------------- loading */

/* The configuration in ".": a directory without .tf files is fine for the
 * console (an empty module), as it is for terraform console. */
static cfg_module *console_config(console *cs)
{
    diag_list d = {0};
    cfg_module *m = cfg_load(".", &d);
    if (!m && d.n == 1 && strcmp(d.items[0].summary, "No configuration files") == 0) {
        diag_list_free(&d);
        m = xcalloc(1, sizeof *m);
        m->dir = xstrdup(".");
        m->path = xstrdup("");
        return m;
    }
    diag_move(&cs->diags, &d);
    diag_list_free(&d);
    return m;
}

static int console_load(console *cs, const vars_opts *o)
{
    cs->root = console_config(cs);
    if (!cs->root)
        return -1;
    cs->locals = xcalloc(cs->root->nlocals + 1, sizeof *cs->locals);
    for (size_t i = 0; i < cs->root->nlocals; i++)
        cs->locals[i] = (struct console_local){&cs->root->locals[i], LOCAL_TODO,
                                               VAL_INVALID_INIT};
    val *vals = vars_collect(cs->root, o, &cs->diags);
    for (size_t i = 0; vals && i < cs->root->nvars; i++)
        eval_table_set(cs->table, EVAL_REF_VAR, NULL, cs->root->vars[i].name,
                       val_copy(vals[i]));
    vars_free(vals, vals ? cs->root->nvars : 0);

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
    for (size_t i = 0; cs->root && i < cs->root->nlocals; i++)
        val_free(cs->locals[i].v);
    free(cs->locals);
    diag_list_free(&cs->diags);
    vars_srcs_free(&cs->vsrcs);
    cfg_free(cs->root);
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

static void free_args(char **args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(args[i]);
    free(args);
}

int cmd_console(int argc, char **argv)
{
    /* -var and -var-file in command-line order: "var:N=V" / "file:PATH" */
    char **args = xcalloc((size_t)argc + 1, sizeof *args);
    size_t nargs = 0;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-var") == 0 && i + 1 < argc) {
            args[nargs++] = xasprintf("var:%s", argv[++i]);
        } else if (strncmp(a, "-var=", 5) == 0) {
            args[nargs++] = xasprintf("var:%s", a + 5);
        } else if (strcmp(a, "-var-file") == 0 && i + 1 < argc) {
            args[nargs++] = xasprintf("file:%s", argv[++i]);
        } else if (strncmp(a, "-var-file=", 10) == 0) {
            args[nargs++] = xasprintf("file:%s", a + 10);
        } else if (strcmp(a, "-no-color") == 0) {
            continue;
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0 ||
                   strcmp(a, "--help") == 0) {
            usage(stdout);
            free_args(args, nargs);
            return 0;
        } else {
            fprintf(stderr, "Error: unknown option \"%s\" for cairn console\n\n", a);
            usage(stderr);
            free_args(args, nargs);
            return 1;
        }
    }
    int color = cli_use_color(stderr);
    console cs;
    memset(&cs, 0, sizeof cs);
    cs.table = eval_table_new();
    vars_opts o = {.ordered = args, .nordered = nargs, .srcs = &cs.vsrcs};
    int loaded = console_load(&cs, &o);
    diag_print_all(stderr, &cs.diags, color);
    free_args(args, nargs);
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
