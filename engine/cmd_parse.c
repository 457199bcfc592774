/*
 * engine/cmd_parse.c — `cairn parse -json FILE...`: a configuration's syntax
 * as JSON in the shape of HashiCorp's hcl2json (and the npm package
 * @cdktf/hcl2json built from it), so that policy tools can read it.
 *
 * The shape, as hcl2json produces it:
 *   - a body is an object: attributes by name, blocks by type, then by each
 *     label in turn, ending in an array of bodies (one per block, in order);
 *   - literal values are JSON values: numbers (printed exactly, in plain
 *     decimal as cty prints them), true/false/null, and unary minus / not on
 *     a literal is folded;
 *   - strings without interpolation are JSON strings, with a literal "${"
 *     or "%{" written as "$${" / "%%{" (so the result reads back as
 *     Terraform's JSON syntax);
 *   - tuples and objects are arrays and objects of converted elements;
 *     object keys that are bare names or traversals keep their source text;
 *   - templates keep their interpolations as "${source}" and directives as
 *     "%{if cond}...%{else}...%{endif}" / "%{for k, v in coll}...%{endfor}";
 *   - any other expression is "${" + its exact source text + "}".
 *
 * Output: with one FILE, that file's object on one line.  With several,
 * one object keyed by each FILE as given on the command line.  If any file
 * has a syntax error, the diagnostics go to stderr, nothing is printed on
 * stdout, and the exit status is 1.
 */
#include "engine/cli.h"
#include "lang/parse.h"

#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------- a small JSON tree */

enum jkind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
    enum jkind k;
    int b;
    char *s;            /* J_NUM text, J_STR bytes */
    size_t len;
    struct jv **items;  /* J_ARR elements, J_OBJ values */
    char **keys;        /* J_OBJ */
    size_t n, cap;
} jv;

static jv *jnew(enum jkind k)
{
    jv *v = xcalloc(1, sizeof *v);
    v->k = k;
    return v;
}

static jv *jstr_own(char *s, size_t len)
{
    jv *v = jnew(J_STR);
    v->s = s;
    v->len = len;
    return v;
}

static void jfree(jv *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        jfree(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->s);
    free(v);
}

static void jgrow(jv *v)
{
    if (v->n < v->cap)
        return;
    v->cap = v->cap ? v->cap * 2 : 4;
    v->items = xrealloc(v->items, v->cap * sizeof *v->items);
    if (v->k == J_OBJ)
        v->keys = xrealloc(v->keys, v->cap * sizeof *v->keys);
}

static void jarr_push(jv *a, jv *x)
{
    jgrow(a);
    a->items[a->n++] = x;
}

static jv *jobj_get(jv *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return o->items[i];
    return NULL;
}

/* Set key (copied) to x (owned); a later value replaces an earlier one. */
static void jobj_set(jv *o, const char *key, jv *x)
{
    for (size_t i = 0; i < o->n; i++) {
        if (strcmp(o->keys[i], key) == 0) {
            jfree(o->items[i]);
            o->items[i] = x;
            return;
        }
    }
    jgrow(o);
    o->keys[o->n] = xstrdup(key);
    o->items[o->n++] = x;
}

static void jstring_out(strbuf *b, const char *s, size_t n)
{
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)c);
        } else if (c == '\n') {
            sb_puts(b, "\\n");
        } else if (c == '\r') {
            sb_puts(b, "\\r");
        } else if (c == '\t') {
            sb_puts(b, "\\t");
        } else if (c < 0x20) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

static int key_cmp(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

static void jout(strbuf *b, const jv *v)
{
    switch (v->k) {
    case J_NULL: sb_puts(b, "null"); break;
    case J_BOOL: sb_puts(b, v->b ? "true" : "false"); break;
    case J_NUM: sb_puts(b, v->s); break;
    case J_STR: jstring_out(b, v->s, v->len); break;
    case J_ARR:
        sb_putc(b, '[');
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                sb_putc(b, ',');
            jout(b, v->items[i]);
        }
        sb_putc(b, ']');
        break;
    case J_OBJ: {
        /* keys in byte order, as Go's encoding/json writes maps */
        const char **ks = xmalloc((v->n ? v->n : 1) * sizeof *ks);
        for (size_t i = 0; i < v->n; i++)
            ks[i] = v->keys[i];
        qsort(ks, v->n, sizeof *ks, key_cmp);
        sb_putc(b, '{');
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                sb_putc(b, ',');
            jstring_out(b, ks[i], strlen(ks[i]));
            sb_putc(b, ':');
            jout(b, jobj_get((jv *)v, ks[i]));
        }
        sb_putc(b, '}');
        free(ks);
        break;
    }
    }
}

/* ------------------------------------------------------------ numbers */

/* A number literal's text in plain decimal, as cty prints a number
 * (big.Float 'f' format): "1e3" -> "1000", "1.50" -> "1.5", "00012" -> "12". */
static char *number_text(const char *t, int neg)
{
    strbuf ds = {0};
    long point = 0, exp10 = 0;
    const char *p = t;
    for (; *p >= '0' && *p <= '9'; p++, point++)
        sb_putc(&ds, *p);
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            sb_putc(&ds, *p);
    if (*p == 'e' || *p == 'E') {
        p++;
        long sign = 1;
        if (*p == '+' || *p == '-')
            sign = *p++ == '-' ? -1 : 1;
        for (; *p >= '0' && *p <= '9'; p++)
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (*p - '0');
        exp10 *= sign;
    }
    char *d = ds.s ? ds.s : "";
    size_t n = ds.len, lead = 0;
    long pos = point + exp10;
    while (lead < n && d[lead] == '0') {
        lead++;
        pos--;
    }
    while (n > lead && d[n - 1] == '0')
        n--;
    strbuf out = {0};
    if (n == lead) {
        sb_putc(&out, '0');
    } else {
        if (neg)
            sb_putc(&out, '-');
        long len = (long)(n - lead);
        const char *dig = d + lead;
        if (pos <= 0) {
            sb_puts(&out, "0.");
            for (long i = 0; i < -pos; i++)
                sb_putc(&out, '0');
            sb_append(&out, dig, (size_t)len);
        } else if (pos >= len) {
            sb_append(&out, dig, (size_t)len);
            for (long i = 0; i < pos - len; i++)
                sb_putc(&out, '0');
        } else {
            sb_append(&out, dig, (size_t)pos);
            sb_putc(&out, '.');
            sb_append(&out, dig + pos, (size_t)(len - pos));
        }
    }
    sb_free(&ds);
    char *r = sb_take(&out);
    return r ? r : xstrdup("0");
}

/* ------------------------------------------------------- conversion */

typedef struct conv {
    const char *src;
} conv;

static jv *conv_expr(conv *c, const ast *e);
static void conv_part(conv *c, strbuf *b, const ast *e);

static void put_source(conv *c, strbuf *b, srange r)
{
    sb_append(b, c->src + r.start, r.end - r.start);
}

static jv *wrap(conv *c, const ast *e)
{
    strbuf b = {0};
    sb_puts(&b, "${");
    put_source(c, &b, e->range);
    sb_putc(&b, '}');
    size_t n = b.len;
    return jstr_own(sb_take(&b), n);
}

/* A literal string written back with ${ and %{ escaped. */
static void put_escaped(strbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((s[i] == '$' || s[i] == '%') && i + 1 < n && s[i + 1] == '{')
            sb_putc(b, s[i]);
        sb_putc(b, s[i]);
    }
}

static void conv_template(conv *c, strbuf *b, const ast *t)
{
    for (size_t i = 0; i < t->u.tmpl.nparts; i++)
        conv_part(c, b, t->u.tmpl.parts[i]);
}

/* Render %{if}...%{endif} from a condition and two branches. */
static void conv_if(conv *c, strbuf *b, const ast *cond, const ast *then, const ast *els)
{
    sb_puts(b, "%{if ");
    put_source(c, b, cond->range);
    sb_putc(b, '}');
    conv_part(c, b, then);
    if (els) {
        strbuf eb = {0};
        conv_part(c, &eb, els);
        if (eb.len) {
            sb_puts(b, "%{else}");
            sb_append(b, eb.s, eb.len);
        }
        sb_free(&eb);
    }
    sb_puts(b, "%{endif}");
}

/* One part of a template, as hcl2json's convertStringPart. */
static void conv_part(conv *c, strbuf *b, const ast *e)
{
    switch (e->kind) {
    case AST_LITERAL:
        if (e->u.lit.kind == AST_LIT_STRING) {
            put_escaped(b, e->u.lit.text, e->u.lit.len);
        } else if (e->u.lit.kind == AST_LIT_NUMBER) {
            char *s = number_text(e->u.lit.text, 0);
            sb_puts(b, s);
            free(s);
        } else if (e->u.lit.kind == AST_LIT_BOOL) {
            sb_puts(b, e->u.lit.b ? "true" : "false");
        }
        return;
    case AST_TEMPLATE:
        if (e->u.tmpl.wrap) {
            conv_part(c, b, e->u.tmpl.parts[0]);
            return;
        }
        conv_template(c, b, e);
        return;
    case AST_COND:
        conv_if(c, b, e->u.cond.cond, e->u.cond.then, e->u.cond.else_);
        return;
    case AST_TPL_IF:
        conv_if(c, b, e->u.tpl_if.cond, e->u.tpl_if.then, e->u.tpl_if.else_);
        return;
    case AST_TPL_FOR:
        sb_puts(b, "%{for ");
        if (e->u.tpl_for.key_var.s) {
            sb_puts(b, e->u.tpl_for.key_var.s);
            sb_puts(b, ", ");
        }
        sb_puts(b, e->u.tpl_for.val_var.s);
        sb_puts(b, " in ");
        put_source(c, b, e->u.tpl_for.coll->range);
        sb_putc(b, '}');
        conv_part(c, b, e->u.tpl_for.body);
        sb_puts(b, "%{endfor}");
        return;
    default: {
        jv *w = wrap(c, e);
        sb_append(b, w->s, w->len);
        jfree(w);
        return;
    }
    }
}

/* A traversal from a root name with only static steps (HCL's
 * ScopeTraversalExpr). */
static int is_traversal(const ast *e)
{
    switch (e->kind) {
    case AST_VARIABLE:
        return 1;
    case AST_GETATTR:
        return is_traversal(e->u.getattr.obj);
    case AST_INDEX: {
        const ast *k = e->u.index.key;
        const char *s;
        size_t n;
        if (k->kind != AST_LITERAL && !ast_template_literal(k, &s, &n))
            return 0;
        return is_traversal(e->u.index.obj);
    }
    default:
        return 0;
    }
}

static char *conv_key(conv *c, const ast *k)
{
    strbuf b = {0};
    if (is_traversal(k))
        put_source(c, &b, k->range);
    else
        conv_part(c, &b, k);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

static jv *conv_unary(conv *c, const ast *e)
{
    const ast *x = e->u.unary.operand;
    if (x->kind != AST_LITERAL)
        return wrap(c, e);
    if (e->u.unary.op == AST_OP_NEG && x->u.lit.kind == AST_LIT_NUMBER) {
        jv *v = jnew(J_NUM);
        v->s = number_text(x->u.lit.text, 1);
        return v;
    }
    if (e->u.unary.op == AST_OP_NOT && x->u.lit.kind == AST_LIT_BOOL) {
        jv *v = jnew(J_BOOL);
        v->b = !x->u.lit.b;
        return v;
    }
    return wrap(c, e);
}

static jv *conv_expr(conv *c, const ast *e)
{
    switch (e->kind) {
    case AST_LITERAL: {
        jv *v;
        switch (e->u.lit.kind) {
        case AST_LIT_NULL:
            return jnew(J_NULL);
        case AST_LIT_BOOL:
            v = jnew(J_BOOL);
            v->b = e->u.lit.b;
            return v;
        case AST_LIT_NUMBER:
            v = jnew(J_NUM);
            v->s = number_text(e->u.lit.text, 0);
            return v;
        case AST_LIT_STRING: {
            strbuf b = {0};
            put_escaped(&b, e->u.lit.text, e->u.lit.len);
            size_t n = b.len;
            char *s = sb_take(&b);
            return jstr_own(s ? s : xstrdup(""), n);
        }
        }
        return jnew(J_NULL);
    }
    case AST_UNARY:
        return conv_unary(c, e);
    case AST_TEMPLATE: {
        if (e->u.tmpl.wrap)
            return conv_expr(c, e->u.tmpl.parts[0]);
        strbuf b = {0};
        conv_template(c, &b, e);
        size_t n = b.len;
        char *s = sb_take(&b);
        return jstr_own(s ? s : xstrdup(""), n);
    }
    case AST_TUPLE: {
        jv *a = jnew(J_ARR);
        for (size_t i = 0; i < e->u.tuple.n; i++)
            jarr_push(a, conv_expr(c, e->u.tuple.items[i]));
        return a;
    }
    case AST_OBJECT: {
        jv *o = jnew(J_OBJ);
        for (size_t i = 0; i < e->u.object.n; i++) {
            char *k = conv_key(c, e->u.object.items[i].key);
            jobj_set(o, k, conv_expr(c, e->u.object.items[i].value));
            free(k);
        }
        return o;
    }
    default:
        return wrap(c, e);
    }
}

static jv *conv_body(conv *c, const ast_body *b, const char *fname);

/* Blocks nest by type then each label, ending in an array of bodies.
 * Returns -1 when a name is already used by something else. */
static int conv_block(conv *c, const ast_block *blk, jv *out, const char *fname)
{
    const char *key = blk->type.s;
    for (size_t i = 0; i < blk->nlabels; i++) {
        jv *inner = jobj_get(out, key);
        if (!inner) {
            inner = jnew(J_OBJ);
            jobj_set(out, key, inner);
        } else if (inner->k != J_OBJ) {
            goto clash;
        }
        out = inner;
        key = blk->labels[i].s;
    }
    jv *list = jobj_get(out, key);
    if (!list) {
        list = jnew(J_ARR);
        jobj_set(out, key, list);
    } else if (list->k != J_ARR) {
        goto clash;
    }
    jv *body = conv_body(c, blk->body, fname);
    if (!body)
        return -1;
    jarr_push(list, body);
    return 0;
clash:
    fprintf(stderr, "%s: error: Unable to convert block \"%s\" to JSON: the name \"%s\" "
                    "is already used\n", fname, blk->type.s, key);
    return -1;
}

static jv *conv_body(conv *c, const ast_body *b, const char *fname)
{
    jv *o = jnew(J_OBJ);
    if (!b)
        return o;
    /* attributes first, then blocks, as hcl2json does */
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].kind == AST_ITEM_ATTR)
            jobj_set(o, b->items[i].u.attr->name.s, conv_expr(c, b->items[i].u.attr->expr));
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].kind == AST_ITEM_BLOCK &&
            conv_block(c, b->items[i].u.block, o, fname) < 0) {
            jfree(o);
            return NULL;
        }
    }
    return o;
}

/* ------------------------------------------------------------ command */

static void usage(FILE *out)
{
    fprintf(out, "Usage: cairn parse -json FILE...\n\n"
                 "  Prints the syntax of each configuration file as JSON, in the shape\n"
                 "  HashiCorp's hcl2json produces. With several files, prints one object\n"
                 "  keyed by file name. Exits 1 (printing nothing) if any file has errors.\n");
}

/* Parse and convert one file: 0 and *out, or 1 after printing diagnostics. */
static int parse_one(const char *path, jv **out, int color)
{
    src_file *f = src_load(path);
    if (!f) {
        fprintf(stderr, "Error: cannot read %s: %s\n", path, err_msg());
        return 1;
    }
    diag_list d = {0};
    ast_file *af = parse_config(f, &d);
    int rc = 0;
    if (!af) {
        fprintf(stderr, "Error: %s\n", err_msg());
        rc = 1;
    } else if (diag_has_errors(&d)) {
        diag_print_all(stderr, &d, color);
        rc = 1;
    } else {
        conv c = {f->text};
        *out = conv_body(&c, af->body, path);
        if (!*out)
            rc = 1;
    }
    diag_list_free(&d);
    ast_file_free(af);
    src_free(f);
    return rc;
}

int cmd_parse(int argc, char **argv)
{
    int json = 0, first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        const char *a = argv[first];
        if (strcmp(a, "-json") == 0 || strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-no-color") == 0) {
            cli_no_color = 1;
        } else {
            fprintf(stderr, "Error: unknown option %s\n\n", a);
            usage(stderr);
            return 1;
        }
    }
    if (!json || first >= argc) {
        usage(stderr);
        return 1;
    }
    int color = cli_use_color(stderr), rc = 0;
    int nfiles = argc - first;
    jv *all = jnew(J_OBJ), *single = NULL;
    for (int i = first; i < argc; i++) {
        jv *v = NULL;
        if (parse_one(argv[i], &v, color)) {
            rc = 1;
            continue;
        }
        if (nfiles == 1)
            single = v;
        else
            jobj_set(all, argv[i], v);
    }
    if (rc == 0) {
        strbuf b = {0};
        jout(&b, single ? single : all);
        sb_putc(&b, '\n');
        if (b.failed) {
            fprintf(stderr, "Error: output too large\n");
            rc = 1;
        } else {
            fwrite(b.s, 1, b.len, stdout);
        }
        sb_free(&b);
    }
    jfree(single);
    jfree(all);
    return rc;
}
