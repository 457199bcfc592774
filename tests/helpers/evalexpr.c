/*
 * tests/helpers/evalexpr.c — cairn's side of the evaluation conformance
 * suite (tests/suites/eval_conformance.sh).
 *
 * Usage: evalexpr SCOPEFILE < expressions
 *
 * Builds the scope described by SCOPEFILE (see tests/eval/scope.def) in an
 * eval_table, then evaluates each line of standard input as one expression
 * and prints one line in the canonical form of tests/oracle/main.go:
 * "TYPE VALUE", or "error" when the expression has diagnostics ("error
 * nofunc NAME" when it calls a function cairn does not have).  With -v,
 * diagnostics go to standard error.  The two printers must stay in step.
 */
#include "lang/eval.h"
#include "lang/parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int verbose;

static void type_str(strbuf *b, const ty *t)
{
    switch (ty_kind(t)) {
    case TY_ANY: sb_puts(b, "any"); return;
    case TY_BOOL: sb_puts(b, "bool"); return;
    case TY_NUMBER: sb_puts(b, "number"); return;
    case TY_STRING: sb_puts(b, "string"); return;
    case TY_LIST: case TY_SET: case TY_MAP:
        sb_puts(b, ty_kind(t) == TY_LIST ? "list(" : ty_kind(t) == TY_SET ? "set(" : "map(");
        type_str(b, ty_elem(t));
        sb_putc(b, ')');
        return;
    case TY_TUPLE:
        sb_puts(b, "tuple([");
        for (size_t i = 0; i < ty_len(t); i++) {
            if (i)
                sb_puts(b, ", ");
            type_str(b, ty_index(t, i));
        }
        sb_puts(b, "])");
        return;
    case TY_OBJECT:
        /* ty keeps attributes sorted by name (byte order), as Go's sort does. */
        sb_puts(b, "object({");
        for (size_t i = 0; i < ty_len(t); i++) {
            if (i)
                sb_puts(b, ", ");
            sb_puts(b, ty_attr_name(t, i));
            sb_putc(b, '=');
            type_str(b, ty_index(t, i));
        }
        sb_puts(b, "})");
        return;
    }
}

static void quote(strbuf *b, const char *s, size_t n)
{
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') sb_puts(b, "\\\"");
        else if (c == '\\') sb_puts(b, "\\\\");
        else if (c == '\n') sb_puts(b, "\\n");
        else if (c == '\t') sb_puts(b, "\\t");
        else if (c == '\r') sb_puts(b, "\\r");
        else if (c < 0x20 || c == 0x7f) sb_printf(b, "\\u%04x", c);
        else sb_putc(b, (char)c);
    }
    sb_putc(b, '"');
}

static void num_str(strbuf *b, double x)
{
    if (isinf(x)) {
        sb_puts(b, x > 0 ? "inf" : "-inf");
        return;
    }
    if (x == trunc(x) && fabs(x) < 9007199254740992.0) {
        sb_printf(b, "%.0f", x);
        return;
    }
    char buf[64];
    for (int p = 0; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    sb_puts(b, buf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void val_str(strbuf *b, val v)
{
    if (val_is_sensitive(v))
        sb_puts(b, "sensitive ");
    if (val_is_unknown(v)) {
        sb_putc(b, '?');
        return;
    }
    if (val_is_null(v)) {
        sb_puts(b, "null");
        return;
    }
    switch (val_kind(v)) {
    case VAL_BOOL: sb_puts(b, val_get_bool(v) ? "true" : "false"); return;
    case VAL_NUMBER: num_str(b, val_get_number(v)); return;
    case VAL_STRING: quote(b, val_get_string(v), val_string_len(v)); return;
    case VAL_LIST: case VAL_TUPLE: case VAL_SET: {
        size_t n = val_len(v);
        char **parts = calloc(n ? n : 1, sizeof *parts);
        for (size_t i = 0; i < n; i++) {
            strbuf e = {0};
            val_str(&e, *val_at(v, i));
            parts[i] = sb_take(&e);
        }
        if (val_kind(v) == VAL_SET)
            qsort(parts, n, sizeof *parts, cmp_str);
        sb_putc(b, '[');
        for (size_t i = 0; i < n; i++) {
            sb_puts(b, i ? ", " : "");
            sb_puts(b, parts[i]);
            free(parts[i]);
        }
        sb_putc(b, ']');
        free(parts);
        return;
    }
    case VAL_MAP: case VAL_OBJECT:
        sb_putc(b, '{');
        for (size_t i = 0; i < val_len(v); i++) {
            const char *k = val_key_at(v, i);
            sb_puts(b, i ? ", " : "");
            quote(b, k, strlen(k));
            sb_puts(b, ": ");
            val_str(b, *val_at(v, i));
        }
        sb_putc(b, '}');
        return;
    default:
        sb_puts(b, "?value");
    }
}

/* Parse "var.NAME" / "local.NAME" into kind and name; 0 or -1. */
static int ref_name(const char *s, enum eval_ref_kind *kind, const char **name)
{
    if (strncmp(s, "var.", 4) == 0) {
        *kind = EVAL_REF_VAR;
        *name = s + 4;
    } else if (strncmp(s, "local.", 6) == 0) {
        *kind = EVAL_REF_LOCAL;
        *name = s + 6;
    } else {
        return -1;
    }
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = 0;
    return s;
}

static int load_scope(const char *path, eval_table *tab)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        diag_list d = {0};
        src_file *src = NULL;
        enum eval_ref_kind kind;
        const char *name;
        val v = val_invalid();
        if (strncmp(s, "unknown ", 8) == 0) {
            char *ref = s + 8, *sp = strchr(ref, ' ');
            if (!sp)
                goto bad;
            *sp = 0;
            src = src_from_string("<type>", sp + 1, strlen(sp + 1));
            ast_file *af = parse_expression(src, &d);
            ty *t = af && !diag_has_errors(&d) ? eval_type_expr(af->expr, &d) : NULL;
            ast_file_free(af);
            if (!t || ref_name(ref, &kind, &name) < 0)
                goto bad;
            v = val_unknown(t);
        } else if (strncmp(s, "typed ", 6) == 0) {
            char *ref = s + 6, *sp = strchr(ref, ' '), *def = strstr(ref, " := ");
            if (!sp || !def || def < sp)
                goto bad;
            *sp = 0;
            *def = 0;
            src = src_from_string("<type>", sp + 1, strlen(sp + 1));
            ast_file *af = parse_expression(src, &d);
            ty *t = af && !diag_has_errors(&d) ? eval_type_expr(af->expr, &d) : NULL;
            ast_file_free(af);
            if (!t || ref_name(ref, &kind, &name) < 0)
                goto bad;
            src_file *src2 = NULL;
            eval_ctx c;
            eval_ctx_init(&c, &d);
            c.resolve = eval_table_resolve;
            c.payload = tab;
            v = eval_string(&c, "<scope>", def + 4, strlen(def + 4), &src2);
            if (val_is_valid(v))
                v = val_convert(v, t);
            ty_free(t);
            if (!val_is_valid(v)) {
                fprintf(stderr, "evalexpr: %s\n", err_msg());
                diag_print_all(stderr, &d, 0);
                src_free(src2);
                goto bad;
            }
            diag_print_all(stderr, &d, 0);
            src_free(src2);
        } else {
            int sensitive = strncmp(s, "sensitive ", 10) == 0;
            char *eq = strchr(s, '=');
            if (!eq)
                goto bad;
            *eq = 0;
            char *ref = trim(s + (sensitive ? 10 : 0)), *expr = eq + 1;
            if (ref_name(ref, &kind, &name) < 0)
                goto bad;
            eval_ctx c;
            eval_ctx_init(&c, &d);
            c.resolve = eval_table_resolve;
            c.payload = tab;
            v = eval_string(&c, "<scope>", expr, strlen(expr), &src);
            if (!val_is_valid(v))
                goto bad;
            if (sensitive)
                v = val_mark(v, VAL_MARK_SENSITIVE);
        }
        eval_table_set(tab, kind, NULL, name, v);
        diag_list_free(&d);
        src_free(src);
        continue;
bad:
        /* Reported, then left out: the expressions using it fail visibly. */
        fprintf(stderr, "evalexpr: bad scope line: %s\n", s);
        diag_print_all(stderr, &d, 0);
        diag_list_free(&d);
        src_free(src);
    }
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    int ai = 1;
    if (ai < argc && strcmp(argv[ai], "-v") == 0) {
        verbose = 1;
        ai++;
    }
    if (ai + 1 != argc) {
        fprintf(stderr, "usage: evalexpr [-v] SCOPEFILE < expressions\n");
        return 2;
    }
    eval_table *tab = eval_table_new();
    if (load_scope(argv[ai], tab) < 0)
        return 2;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = 0;
        diag_list d = {0};
        src_file *src = NULL;
        eval_ctx c;
        eval_ctx_init(&c, &d);
        c.resolve = eval_table_resolve;
        c.payload = tab;
        c.allow_impure = 1;
        val v = eval_string(&c, "<expr>", line, (size_t)n, &src);
        strbuf out = {0};
        if (!val_is_valid(v) || diag_has_errors(&d)) {
            /* Name a function the library lacks, so the suite can say so. */
            const char *missing = NULL;
            for (size_t i = 0; i < d.n && !missing; i++)
                if (strcmp(d.items[i].summary, "Call to unknown function") == 0 &&
                    d.items[i].range.file)
                    missing = d.items[i].range.file->text + d.items[i].range.start;
            sb_puts(&out, "error");
            if (missing) {
                size_t k = strcspn(missing, "(");
                sb_puts(&out, " nofunc ");
                sb_append(&out, missing, k);
            }
        } else {
            ty *t = val_type(v);
            type_str(&out, t);
            ty_free(t);
            sb_putc(&out, ' ');
            val_str(&out, v);
        }
        char *s = sb_take(&out);
        printf("%s\n", s ? s : "error");
        fflush(stdout);
        free(s);
        if (verbose)
            diag_print_all(stderr, &d, 0);
        val_free(v);
        diag_list_free(&d);
        src_free(src);
    }
    free(line);
    eval_table_free(tab);
    return 0;
}
