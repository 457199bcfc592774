/*
 * lang/ast.c — the arena that owns a syntax tree, and small tree helpers
 * (lookup, names, the S-expression form used by tests).
 */
#include "lang/parse_int.h"

#include <stdlib.h>
#include <string.h>

/* Chunks are at least ARENA_CHUNK bytes; bigger requests get their own. */
#define ARENA_CHUNK (64u * 1024)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    max_align_t data[];
} arena_chunk;

struct ast_arena {
    arena_chunk *head;
};

ast_arena *ast_arena_new(void);
void ast_arena_free(ast_arena *a);

ast_arena *ast_arena_new(void)
{
    ast_arena *a = calloc(1, sizeof *a);
    if (!a)
        err_set(CAIRN_ENOMEM, "out of memory");
    return a;
}

void ast_arena_free(ast_arena *a)
{
    if (!a)
        return;
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

void *ast_arena_alloc(ast_arena *a, size_t n)
{
    const size_t al = sizeof(max_align_t);
    n = (n + al - 1) / al * al;
    if (n == 0)
        n = al;
    arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t sz = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = malloc(sizeof *c + sz);
        if (!c) {
            err_set(CAIRN_ENOMEM, "out of memory building the syntax tree");
            return NULL;
        }
        c->size = sz;
        c->used = 0;
        if (a->head && n > ARENA_CHUNK) {
            /* keep filling the current chunk; the big one goes second */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *ast_arena_strndup(ast_arena *a, const char *s, size_t n)
{
    char *d = ast_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void ast_file_free(ast_file *af)
{
    if (!af)
        return;
    lex_tokens_free(&af->tokens);
    ast_arena_free(af->arena);
    free(af);
}

const ast_attr *ast_body_attr(const ast_body *b, const char *name)
{
    if (!b)
        return NULL;
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].kind == AST_ITEM_ATTR && strcmp(b->items[i].u.attr->name.s, name) == 0)
            return b->items[i].u.attr;
    return NULL;
}

const char *ast_kind_name(enum ast_kind k)
{
    static const char *names[] = {
        [AST_BAD] = "invalid expression", [AST_LITERAL] = "literal",
        [AST_TEMPLATE] = "template", [AST_TUPLE] = "tuple", [AST_OBJECT] = "object",
        [AST_VARIABLE] = "variable", [AST_GETATTR] = "attribute access",
        [AST_INDEX] = "index", [AST_SPLAT] = "splat", [AST_SPLAT_ITEM] = "splat item",
        [AST_CALL] = "function call", [AST_UNARY] = "unary operation",
        [AST_BINARY] = "binary operation", [AST_COND] = "conditional",
        [AST_FOR] = "for expression", [AST_PAREN] = "parentheses",
        [AST_TPL_IF] = "if directive", [AST_TPL_FOR] = "for directive",
    };
    if ((unsigned)k >= sizeof names / sizeof names[0])
        return "?";
    return names[k];
}

const char *ast_op_name(enum ast_op op)
{
    static const char *names[] = {
        [AST_OP_OR] = "||", [AST_OP_AND] = "&&", [AST_OP_EQ] = "==", [AST_OP_NE] = "!=",
        [AST_OP_LT] = "<", [AST_OP_GT] = ">", [AST_OP_LE] = "<=", [AST_OP_GE] = ">=",
        [AST_OP_ADD] = "+", [AST_OP_SUB] = "-", [AST_OP_MUL] = "*", [AST_OP_DIV] = "/",
        [AST_OP_MOD] = "%", [AST_OP_NOT] = "!", [AST_OP_NEG] = "neg",
    };
    if ((unsigned)op >= sizeof names / sizeof names[0])
        return "?";
    return names[op];
}

int ast_template_literal(const ast *t, const char **s, size_t *len)
{
    if (!t || t->kind != AST_TEMPLATE)
        return 0;
    if (t->u.tmpl.nparts == 0) {
        *s = "";
        *len = 0;
        return 1;
    }
    const ast *p = t->u.tmpl.parts[0];
    if (t->u.tmpl.nparts != 1 || p->kind != AST_LITERAL || p->u.lit.kind != AST_LIT_STRING)
        return 0;
    *s = p->u.lit.text;
    *len = p->u.lit.len;
    return 1;
}

static void sx(strbuf *b, const ast *e);

static void sx_name(strbuf *b, const ast_name *n)
{
    sb_puts(b, n->s ? n->s : "_");
}

static void sx_list(strbuf *b, ast *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sb_putc(b, ' ');
        sx(b, v[i]);
    }
}

static void sx_string(strbuf *b, const char *s, size_t n)
{
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            sb_putc(b, '\\');
        if (s[i] == '\n')
            sb_puts(b, "\\n");
        else
            sb_putc(b, s[i]);
    }
    sb_putc(b, '"');
}

static void sx_lit(strbuf *b, const ast *e)
{
    switch (e->u.lit.kind) {
    case AST_LIT_NULL:
        sb_puts(b, "null");
        break;
    case AST_LIT_BOOL:
        sb_puts(b, e->u.lit.b ? "true" : "false");
        break;
    case AST_LIT_NUMBER:
        sb_puts(b, e->u.lit.text);
        break;
    case AST_LIT_STRING:
        sx_string(b, e->u.lit.text, e->u.lit.len);
        break;
    }
}

static void sx_for(strbuf *b, const ast *e)
{
    sb_puts(b, e->u.for_.object ? "(for{} " : "(for[] ");
    if (e->u.for_.key_var.s) {
        sx_name(b, &e->u.for_.key_var);
        sb_putc(b, ' ');
    }
    sx_name(b, &e->u.for_.val_var);
    sb_putc(b, ' ');
    sx(b, e->u.for_.coll);
    if (e->u.for_.key) {
        sb_putc(b, ' ');
        sx(b, e->u.for_.key);
    }
    sb_putc(b, ' ');
    sx(b, e->u.for_.value);
    if (e->u.for_.group)
        sb_puts(b, " ...");
    if (e->u.for_.cond) {
        sb_puts(b, " if ");
        sx(b, e->u.for_.cond);
    }
    sb_putc(b, ')');
}

static void sx(strbuf *b, const ast *e)
{
    if (!e) {
        sb_puts(b, "NULL");
        return;
    }
    switch (e->kind) {
    case AST_BAD:
        sb_puts(b, "BAD");
        break;
    case AST_LITERAL:
        sx_lit(b, e);
        break;
    case AST_TEMPLATE:
        sb_puts(b, e->u.tmpl.wrap ? "(wrap" : "(tmpl");
        sx_list(b, e->u.tmpl.parts, e->u.tmpl.nparts);
        sb_putc(b, ')');
        break;
    case AST_TUPLE:
        sb_puts(b, "(tuple");
        sx_list(b, e->u.tuple.items, e->u.tuple.n);
        sb_putc(b, ')');
        break;
    case AST_OBJECT:
        sb_puts(b, "(object");
        for (size_t i = 0; i < e->u.object.n; i++) {
            const ast_object_item *it = &e->u.object.items[i];
            sb_puts(b, it->key_bare ? " (bare " : " (");
            sx(b, it->key);
            sb_putc(b, ' ');
            sx(b, it->value);
            sb_putc(b, ')');
        }
        sb_putc(b, ')');
        break;
    case AST_VARIABLE:
        sx_name(b, &e->u.var);
        break;
    case AST_GETATTR:
        sb_puts(b, "(. ");
        sx(b, e->u.getattr.obj);
        sb_putc(b, ' ');
        sx_name(b, &e->u.getattr.name);
        sb_putc(b, ')');
        break;
    case AST_INDEX:
        sb_puts(b, e->u.index.legacy ? "(.N " : "([] ");
        sx(b, e->u.index.obj);
        sb_putc(b, ' ');
        sx(b, e->u.index.key);
        sb_putc(b, ')');
        break;
    case AST_SPLAT:
        sb_puts(b, e->u.splat.full ? "([*] " : "(.* ");
        sx(b, e->u.splat.source);
        sb_putc(b, ' ');
        sx(b, e->u.splat.each);
        sb_putc(b, ')');
        break;
    case AST_SPLAT_ITEM:
        sb_putc(b, '@');
        break;
    case AST_CALL:
        sb_puts(b, "(call ");
        sx_name(b, &e->u.call.name);
        sx_list(b, e->u.call.args, e->u.call.nargs);
        if (e->u.call.expand)
            sb_puts(b, " ...");
        sb_putc(b, ')');
        break;
    case AST_UNARY:
        sb_printf(b, "(%s ", ast_op_name(e->u.unary.op));
        sx(b, e->u.unary.operand);
        sb_putc(b, ')');
        break;
    case AST_BINARY:
        sb_printf(b, "(%s ", ast_op_name(e->u.binary.op));
        sx(b, e->u.binary.lhs);
        sb_putc(b, ' ');
        sx(b, e->u.binary.rhs);
        sb_putc(b, ')');
        break;
    case AST_COND:
        sb_puts(b, "(? ");
        sx(b, e->u.cond.cond);
        sb_putc(b, ' ');
        sx(b, e->u.cond.then);
        sb_putc(b, ' ');
        sx(b, e->u.cond.else_);
        sb_putc(b, ')');
        break;
    case AST_FOR:
        sx_for(b, e);
        break;
    case AST_PAREN:
        sb_puts(b, "(paren ");
        sx(b, e->u.paren.inner);
        sb_putc(b, ')');
        break;
    case AST_TPL_IF:
        sb_puts(b, "(%if ");
        sx(b, e->u.tpl_if.cond);
        sb_putc(b, ' ');
        sx(b, e->u.tpl_if.then);
        if (e->u.tpl_if.else_) {
            sb_putc(b, ' ');
            sx(b, e->u.tpl_if.else_);
        }
        sb_putc(b, ')');
        break;
    case AST_TPL_FOR:
        sb_puts(b, "(%for ");
        if (e->u.tpl_for.key_var.s) {
            sx_name(b, &e->u.tpl_for.key_var);
            sb_putc(b, ' ');
        }
        sx_name(b, &e->u.tpl_for.val_var);
        sb_putc(b, ' ');
        sx(b, e->u.tpl_for.coll);
        sb_putc(b, ' ');
        sx(b, e->u.tpl_for.body);
        sb_putc(b, ')');
        break;
    }
}

char *ast_sexpr(const ast *e)
{
    strbuf b = {0};
    sx(&b, e);
    char *s = sb_take(&b);
    return s ? s : xstrdup("(out of memory)");
}
