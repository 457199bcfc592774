/*
 * lang/parse.c — recursive-descent parser: token access, bodies (attributes
 * and blocks), and expressions.  Templates are in parse_tmpl.c.
 *
 * Recovery: an error inside a construct skips to its closer (balancing
 * brackets) or, in a body, to the end of the line, so one run reports every
 * independent error.  Depth is capped at PARSE_MAX_DEPTH.
 */
#include "lang/parse_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

const lex_token *p_peek(parser *p)
{
    int sig = p->nnl ? p->nl[p->nnl - 1] : 1;
    while (p->pos + 1 < p->ntok) {
        enum lex_kind k = p->tok[p->pos].kind;
        if (k == LEX_COMMENT || (k == LEX_NEWLINE && !sig))
            p->pos++;
        else
            break;
    }
    return &p->tok[p->pos];
}

const lex_token *p_next(parser *p)
{
    const lex_token *t = p_peek(p);
    if (t->kind != LEX_EOF)
        p->pos++;
    return t;
}

/* Peek at the significant token after the current one (comments and
 * newlines skipped). */
static const lex_token *p_peek2(parser *p)
{
    p_peek(p);
    size_t i = p->pos + 1;
    while (i + 1 < p->ntok && (p->tok[i].kind == LEX_COMMENT || p->tok[i].kind == LEX_NEWLINE))
        i++;
    return &p->tok[i < p->ntok ? i : p->ntok - 1];
}

void p_nl_push(parser *p, int significant)
{
    if (p->nnl < PARSE_NL_STACK)
        p->nl[p->nnl] = (unsigned char)significant;
    p->nnl++;
}

void p_nl_pop(parser *p)
{
    if (p->nnl > 0)
        p->nnl--;
}

srange p_rng(parser *p, uint32_t a, uint32_t b)
{
    return (srange){p->f, a, b};
}

srange p_trange(parser *p, const lex_token *t)
{
    return (srange){p->f, t->start, t->end};
}

void p_error(parser *p, srange r, const char *summary, const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    diag_addv(p->diags, DIAG_ERROR, r, summary, detail_fmt, ap);
    va_end(ap);
}

void *p_alloc(parser *p, size_t n)
{
    void *x = ast_arena_alloc(p->arena, n);
    if (!x)
        p->nomem = 1;
    return x;
}

char *p_strndup(parser *p, const char *s, size_t n)
{
    char *x = ast_arena_strndup(p->arena, s, n);
    if (!x)
        p->nomem = 1;
    return x;
}

/* A node; never NULL (on out of memory a static BAD node, with nomem set). */
ast *p_node(parser *p, enum ast_kind k, uint32_t start, uint32_t end)
{
    static ast oom_node;
    ast *e = p_alloc(p, sizeof *e);
    if (!e)
        return &oom_node;
    e->kind = k;
    e->range = p_rng(p, start, end);
    return e;
}

ast *p_bad(parser *p, uint32_t start, uint32_t end)
{
    return p_node(p, AST_BAD, start, end);
}

int pv_push(parser *p, pvec *v, void *x)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 8;
        void **nv = realloc(v->v, nc * sizeof *nv);
        if (!nv) {
            p->nomem = 1;
            err_set(CAIRN_ENOMEM, "out of memory parsing");
            return -1;
        }
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = x;
    return 0;
}

void **pv_finish(parser *p, pvec *v)
{
    void **out = NULL;
    if (v->n) {
        out = p_alloc(p, v->n * sizeof *out);
        if (out)
            memcpy(out, v->v, v->n * sizeof *out);
    }
    free(v->v);
    v->v = NULL;
    v->cap = 0;
    return out;
}

int p_depth_enter(parser *p, uint32_t at)
{
    if (p->depth >= PARSE_MAX_DEPTH) {
        if (!p->depth_reported)
            p_error(p, p_rng(p, at, at + 1), "Nesting too deep",
                    "Expressions and blocks may be nested at most %d levels deep "
                    "(PARSE_MAX_DEPTH).", PARSE_MAX_DEPTH);
        p->depth_reported = 1;
        return -1;
    }
    p->depth++;
    return 0;
}

void p_depth_leave(parser *p)
{
    p->depth--;
}

static int is_keyword(parser *p, const lex_token *t, const char *kw)
{
    size_t n = strlen(kw);
    return t->kind == LEX_IDENT && t->end - t->start == n && memcmp(p->s + t->start, kw, n) == 0;
}

static ast_name tok_name(parser *p, const lex_token *t)
{
    return (ast_name){p_strndup(p, p->s + t->start, t->end - t->start), p_trange(p, t)};
}

static int is_opener(enum lex_kind k)
{
    return k == LEX_OBRACE || k == LEX_OBRACK || k == LEX_OPAREN || k == LEX_OQUOTE ||
           k == LEX_OHEREDOC || k == LEX_TEMPLATE_INTERP || k == LEX_TEMPLATE_CONTROL;
}

static int is_closer(enum lex_kind k)
{
    return k == LEX_CBRACE || k == LEX_CBRACK || k == LEX_CPAREN || k == LEX_CQUOTE ||
           k == LEX_CHEREDOC || k == LEX_TEMPLATE_SEQ_END;
}

/* Skip tokens (balancing brackets) until the closer of the construct we
 * are in; consume it if it is `close`.  Returns 1 if consumed. */
static int skip_to_closer(parser *p, enum lex_kind close)
{
    int depth = 0;
    for (;;) {
        const lex_token *t = &p->tok[p->pos];
        if (t->kind == LEX_EOF)
            return 0;
        if (is_opener(t->kind)) {
            depth++;
        } else if (is_closer(t->kind)) {
            if (depth == 0) {
                if (t->kind == close) {
                    p->pos++;
                    return 1;
                }
                return 0;
            }
            depth--;
        }
        p->pos++;
    }
}

/* In a body: skip to just after the end of the current line (brackets
 * balanced), stopping before a `}` that closes the enclosing block. */
static void skip_line(parser *p)
{
    int depth = 0;
    for (;;) {
        const lex_token *t = &p->tok[p->pos];
        if (t->kind == LEX_EOF)
            return;
        if (t->kind == LEX_NEWLINE && depth == 0) {
            p->pos++;
            return;
        }
        if (is_opener(t->kind)) {
            depth++;
        } else if (is_closer(t->kind)) {
            if (depth == 0 && t->kind == LEX_CBRACE)
                return;
            if (depth > 0)
                depth--;
        }
        p->pos++;
    }
}

/* "file:L,C-C2" / "file:L,C-L2,C2" as HCL prints a range (caller frees). */
static char *range_str(parser *p, srange r)
{
    int l1, c1, l2, c2;
    src_pos(p->f, r.start, &l1, &c1);
    src_pos(p->f, r.end, &l2, &c2);
    if (l1 == l2)
        return xasprintf("%s:%d,%d-%d", p->f->name, l1, c1, c2);
    return xasprintf("%s:%d,%d-%d,%d", p->f->name, l1, c1, l2, c2);
}

/* An invalid character where an operator or newline was expected. */
static int invalid_operator(parser *p, const lex_token *t)
{
    if (t->kind != LEX_INVALID)
        return 0;
    char c = p->s[t->start];
    const char *hint = c == '~' ? "NOT (\"!\")" : c == '&' ? "AND (\"&&\")"
                     : c == '|' ? "OR (\"||\")" : NULL;
    if (hint) {
        p_error(p, p_trange(p, t), "Unsupported operator",
                "Bitwise operators are not supported. Did you mean boolean %s?", hint);
        return 1;
    }
    if (c == ';') {
        p_error(p, p_trange(p, t), "Invalid character",
                "The \";\" character is not valid. Use newlines to separate arguments "
                "and blocks, and commas to separate items in collection values.");
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------ expressions */

static ast *p_unary(parser *p);
static ast *p_traversals(parser *p, ast *e);
static void closer_error(parser *p, int found, const lex_token *open, const char *summary,
                         const char *detail);

/* An operator token at a binary precedence level (0 lowest), or -1. */
static int binop(enum lex_kind k, int level)
{
    switch (level) {
    case 0: return k == LEX_OR ? AST_OP_OR : -1;
    case 1: return k == LEX_AND ? AST_OP_AND : -1;
    case 2: return k == LEX_EQUALOP ? AST_OP_EQ : k == LEX_NOTEQUAL ? AST_OP_NE : -1;
    case 3:
        return k == LEX_LT ? AST_OP_LT : k == LEX_GT ? AST_OP_GT : k == LEX_LE ? AST_OP_LE
             : k == LEX_GE ? AST_OP_GE : -1;
    case 4: return k == LEX_PLUS ? AST_OP_ADD : k == LEX_MINUS ? AST_OP_SUB : -1;
    case 5:
        return k == LEX_STAR ? AST_OP_MUL : k == LEX_SLASH ? AST_OP_DIV
             : k == LEX_PERCENT ? AST_OP_MOD : -1;
    default: return -1;
    }
}

#define BINARY_LEVELS 6

/* binary(level) := binary(level+1) { op(level) binary(level+1) } */
static ast *p_binary(parser *p, int level)
{
    if (level == BINARY_LEVELS)
        return p_unary(p);
    ast *lhs = p_binary(p, level + 1);
    for (;;) {
        const lex_token *t = p_peek(p);
        int op = binop(t->kind, level);
        if (op < 0 || lhs->kind == AST_BAD)
            return lhs;
        srange opr = p_trange(p, t);
        p_next(p);
        ast *rhs = p_binary(p, level + 1);
        ast *e = p_node(p, AST_BINARY, lhs->range.start, rhs->range.end);
        e->u.binary.op = (enum ast_op)op;
        e->u.binary.lhs = lhs;
        e->u.binary.rhs = rhs;
        e->u.binary.op_range = opr;
        lhs = e;
        if (rhs->kind == AST_BAD)
            return lhs;
    }
}

/* expr := binary(0) [ "?" expr ":" expr ] */
ast *p_expr(parser *p)
{
    const lex_token *t = p_peek(p);
    if (p_depth_enter(p, t->start) < 0) {
        skip_to_closer(p, LEX_EOF);
        return p_bad(p, t->start, t->end);
    }
    ast *c = p_binary(p, 0);
    t = p_peek(p);
    if (t->kind == LEX_QUESTION && c->kind != AST_BAD) {
        p_next(p);
        ast *a = p_expr(p);
        ast *b;
        t = p_peek(p);
        if (a->kind == AST_BAD) {
            b = a;
        } else if (t->kind != LEX_COLON) {
            p_error(p, p_trange(p, t), "Missing false expression in conditional",
                    "The conditional operator (...?...:...) requires a false expression, "
                    "delimited by a colon.");
            b = p_bad(p, t->start, t->start);
        } else {
            p_next(p);
            b = p_expr(p);
        }
        ast *e = p_node(p, AST_COND, c->range.start, b->range.end);
        e->u.cond.cond = c;
        e->u.cond.then = a;
        e->u.cond.else_ = b;
        c = e;
    }
    p_depth_leave(p);
    return c;
}

/* unary := ("-" | "!") unary | postfix */
static ast *p_unary(parser *p)
{
    const lex_token *t = p_peek(p);
    if (t->kind != LEX_MINUS && t->kind != LEX_BANG)
        return p_traversals(p, NULL);
    if (p_depth_enter(p, t->start) < 0) {
        skip_to_closer(p, LEX_EOF);
        return p_bad(p, t->start, t->end);
    }
    uint32_t start = t->start;
    enum ast_op op = t->kind == LEX_MINUS ? AST_OP_NEG : AST_OP_NOT;
    p_next(p);
    ast *x = p_unary(p);
    ast *e = p_node(p, AST_UNARY, start, x->range.end);
    e->u.unary.op = op;
    e->u.unary.operand = x;
    p_depth_leave(p);
    return e;
}

static ast *p_number(parser *p, const lex_token *t)
{
    ast *e = p_node(p, AST_LITERAL, t->start, t->end);
    e->u.lit.kind = AST_LIT_NUMBER;
    e->u.lit.len = t->end - t->start;
    e->u.lit.text = p_strndup(p, p->s + t->start, e->u.lit.len);
    e->u.lit.num = e->u.lit.text ? strtod(e->u.lit.text, NULL) : 0;
    return e;
}

/* call := name [ "::" name ... ] "(" [ expr { "," expr } [ "," | "..." ] ] ")" */
static ast *p_call(parser *p, const lex_token *name)
{
    uint32_t start = name->start, nend = name->end;
    while (p_peek(p)->kind == LEX_DCOLON) {
        p_next(p);
        const lex_token *t = p_peek(p);
        if (t->kind != LEX_IDENT) {
            p_error(p, p_trange(p, t), "Missing function name",
                    "Function scope resolution symbol :: must be followed by a function "
                    "name in this scope.");
            return p_bad(p, start, t->end);
        }
        p_next(p);
        nend = t->end;
    }
    const lex_token *open = p_peek(p);
    if (open->kind != LEX_OPAREN) {
        p_error(p, p_trange(p, open), "Missing open parenthesis",
                "Function selector must be followed by an open parenthesis to begin the "
                "function call.");
        return p_bad(p, start, open->end);
    }
    p_next(p);
    p_nl_push(p, 0);
    ast *e = p_node(p, AST_CALL, start, 0);
    e->u.call.name = (ast_name){p_strndup(p, p->s + start, nend - start), p_rng(p, start, nend)};
    e->u.call.open_paren = p_trange(p, open);
    pvec args = {0};
    int ok = 1;
    for (;;) {
        const lex_token *t = p_peek(p);
        if (t->kind == LEX_CPAREN)
            break;
        ast *a = p_expr(p);
        pv_push(p, &args, a);
        if (a->kind == AST_BAD) {
            ok = 0;
            break;
        }
        if (args.n > PARSE_MAX_COLLECTION) {
            p_error(p, a->range, "Too many function arguments",
                    "A function call may have at most %d arguments (PARSE_MAX_COLLECTION).",
                    PARSE_MAX_COLLECTION);
            ok = 0;
            break;
        }
        t = p_peek(p);
        if (t->kind == LEX_COMMA) {
            p_next(p);
            continue;
        }
        if (t->kind == LEX_ELLIPSIS) {
            const lex_token *ell = p_next(p);
            e->u.call.expand = 1;
            t = p_peek(p);
            if (t->kind != LEX_CPAREN) {
                p_error(p, p_trange(p, ell), "Missing closing parenthesis",
                        "An expanded function argument (with ...) must be immediately "
                        "followed by closing parentheses.");
                ok = 0;
            }
            break;
        }
        if (t->kind != LEX_CPAREN) {
            if (t->kind == LEX_EOF)
                p_error(p, p_rng(p, start, open->end), "Unterminated function call",
                        "There is no closing parenthesis for this function call before the "
                        "end of the file. This may be caused by incorrect parenthesis "
                        "nesting elsewhere in this file.");
            else
                p_error(p, p_trange(p, t), "Missing argument separator",
                        "A comma is required to separate each function argument from the "
                        "next.");
            ok = 0;
        }
        break;
    }
    uint32_t end = p_peek(p)->end;
    if (ok && p_peek(p)->kind == LEX_CPAREN) {
        e->u.call.close_paren = p_trange(p, p_peek(p));
        p_next(p);
    } else {
        ok = skip_to_closer(p, LEX_CPAREN);
        end = p->tok[p->pos ? p->pos - 1 : 0].end;
    }
    p_nl_pop(p);
    e->u.call.nargs = args.n;
    e->u.call.args = (ast **)pv_finish(p, &args);
    e->range.end = end;
    return e;
}

/* for := "for" ident ["," ident] "in" expr ":" [expr "=>"] expr ["..."]
 *        ["if" expr] closer   (the opener is already consumed) */
static ast *p_for(parser *p, const lex_token *open, int object)
{
    enum lex_kind close = object ? LEX_CBRACE : LEX_CBRACK;
    ast *e = p_node(p, AST_FOR, open->start, 0);
    e->u.for_.object = object;
    p_nl_push(p, 0);
    p_next(p); /* for */
    const lex_token *t = p_next(p);
    const char *bad = NULL;
    if (t->kind != LEX_IDENT) {
        bad = "For expression requires variable name after 'for'.";
        goto fail;
    }
    e->u.for_.val_var = tok_name(p, t);
    if (p_peek(p)->kind == LEX_COMMA) {
        p_next(p);
        t = p_next(p);
        if (t->kind != LEX_IDENT) {
            bad = "For expression requires value variable name after comma.";
            goto fail;
        }
        e->u.for_.key_var = e->u.for_.val_var;
        e->u.for_.val_var = tok_name(p, t);
    }
    t = p_next(p);
    if (!is_keyword(p, t, "in")) {
        bad = "For expression requires the 'in' keyword after its name declarations.";
        goto fail;
    }
    e->u.for_.coll = p_expr(p);
    if (e->u.for_.coll->kind == AST_BAD)
        goto skip;
    t = p_next(p);
    if (t->kind != LEX_COLON) {
        bad = "For expression requires a colon after the collection expression.";
        goto fail;
    }
    if (object) {
        e->u.for_.key = p_expr(p);
        if (e->u.for_.key->kind == AST_BAD)
            goto skip;
        t = p_next(p);
        if (t->kind != LEX_FATARROW) {
            bad = "Key expression in 'for' expression must be followed by a '=>' symbol "
                  "and a value expression.";
            goto fail;
        }
    }
    e->u.for_.value = p_expr(p);
    if (e->u.for_.value->kind == AST_BAD)
        goto skip;
    if (p_peek(p)->kind == LEX_ELLIPSIS) {
        t = p_next(p);
        if (!object) {
            p_error(p, p_trange(p, t), "Invalid 'for' expression",
                    "Grouping ellipsis (...) cannot be used in a tuple for expression.");
            goto skip;
        }
        e->u.for_.group = 1;
    }
    if (is_keyword(p, p_peek(p), "if")) {
        p_next(p);
        e->u.for_.cond = p_expr(p);
        if (e->u.for_.cond->kind == AST_BAD)
            goto skip;
    }
    t = p_peek(p);
    if (t->kind != close) {
        bad = object ? "Extra characters after the end of the 'for' expression."
                     : "Extra characters after the end of the 'for' expression.";
        goto fail;
    }
    p_next(p);
    p_nl_pop(p);
    e->range.end = t->end;
    return e;
fail:
    p_error(p, p_trange(p, t), "Invalid 'for' expression", "%s", bad);
skip:
    skip_to_closer(p, close);
    p_nl_pop(p);
    return p_bad(p, open->start, p->tok[p->pos ? p->pos - 1 : 0].end);
}

/* At `for` IDENT (newlines and comments skipped)? */
static int starts_for(parser *p)
{
    size_t i = p->pos;
    while (i + 1 < p->ntok && (p->tok[i].kind == LEX_COMMENT || p->tok[i].kind == LEX_NEWLINE))
        i++;
    if (!is_keyword(p, &p->tok[i], "for"))
        return 0;
    i++;
    while (i + 1 < p->ntok && (p->tok[i].kind == LEX_COMMENT || p->tok[i].kind == LEX_NEWLINE))
        i++;
    return p->tok[i].kind == LEX_IDENT;
}

/* tuple := "[" [ expr { "," expr } [","] ] "]" */
static ast *p_tuple(parser *p)
{
    const lex_token *open = p_next(p);
    if (starts_for(p))
        return p_for(p, open, 0);
    p_nl_push(p, 0);
    ast *e = p_node(p, AST_TUPLE, open->start, 0);
    pvec items = {0};
    int ok = 1;
    for (;;) {
        const lex_token *t = p_peek(p);
        if (t->kind == LEX_CBRACK)
            break;
        if (t->kind == LEX_EOF) {
            p_error(p, p_trange(p, open), "Unterminated tuple constructor expression",
                    "There is no corresponding closing bracket before the end of the file. "
                    "This may be caused by incorrect bracket nesting elsewhere in this file.");
            ok = 0;
            break;
        }
        ast *x = p_expr(p);
        pv_push(p, &items, x);
        if (x->kind == AST_BAD) {
            ok = 0;
            break;
        }
        if (items.n == PARSE_MAX_COLLECTION + 1) {
            p_error(p, x->range, "Too many tuple elements",
                    "A tuple constructor may have at most %d elements (PARSE_MAX_COLLECTION).",
                    PARSE_MAX_COLLECTION);
            ok = 0;
            break;
        }
        t = p_peek(p);
        if (t->kind == LEX_COMMA) {
            p_next(p);
        } else if (t->kind != LEX_CBRACK) {
            if (!invalid_operator(p, t))
                p_error(p, p_trange(p, t), "Missing item separator",
                        "Expected a comma to mark the beginning of the next item.");
            ok = 0;
            break;
        }
    }
    uint32_t end;
    if (ok) {
        end = p_next(p)->end;
    } else {
        skip_to_closer(p, LEX_CBRACK);
        end = p->tok[p->pos ? p->pos - 1 : 0].end;
    }
    p_nl_pop(p);
    e->u.tuple.n = items.n;
    e->u.tuple.items = (ast **)pv_finish(p, &items);
    e->range.end = end;
    return ok ? e : p_bad(p, open->start, end);
}

/* object := "{" { key ("=" | ":") expr [ "," | newline ] } "}" */
static ast *p_object(parser *p)
{
    const lex_token *open = p_next(p);
    if (starts_for(p))
        return p_for(p, open, 1);
    p_nl_push(p, 1);
    ast *e = p_node(p, AST_OBJECT, open->start, 0);
    ast_object_item *items = NULL;
    size_t n = 0, cap = 0;
    int ok = 1;
    for (;;) {
        const lex_token *t = p_peek(p);
        if (t->kind == LEX_NEWLINE || t->kind == LEX_COMMA) {
            if (t->kind == LEX_COMMA && n == 0)
                goto bad_key;
            p_next(p);
            continue;
        }
        if (t->kind == LEX_CBRACE)
            break;
        if (t->kind == LEX_EOF) {
            int line, col;
            src_pos(p->f, open->start, &line, &col);
            p_error(p, p_trange(p, t), "Missing expression",
                    "Expected the start of an expression, but found the end of the file. "
                    "The object constructor opened on line %d has no closing brace.", line);
            ok = 0;
            break;
        }
        ast *k;
        enum lex_kind after = p_peek2(p)->kind;
        if (t->kind == LEX_IDENT && (after == LEX_EQUAL || after == LEX_COLON)) {
            /* a bare name, even a keyword, is the key's string */
            p_next(p);
            k = p_node(p, AST_VARIABLE, t->start, t->end);
            k->u.var = tok_name(p, t);
        } else {
            k = p_expr(p);
        }
        if (k->kind == AST_BAD) {
            ok = 0;
            break;
        }
        t = p_peek(p);
        if (t->kind != LEX_EQUAL && t->kind != LEX_COLON) {
            if (t->kind == LEX_NEWLINE || t->kind == LEX_CBRACE || t->kind == LEX_COMMA)
                p_error(p, p_trange(p, t), "Missing attribute value",
                        "Expected an attribute value, introduced by an equals sign (\"=\").");
            else
                p_error(p, p_trange(p, t), "Missing key/value separator",
                        "Expected an equals sign (\"=\") to mark the beginning of the "
                        "attribute value.");
            ok = 0;
            break;
        }
        int colon = t->kind == LEX_COLON;
        p_next(p);
        ast *v = p_expr(p);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            ast_object_item *ni = realloc(items, nc * sizeof *ni);
            if (!ni) {
                p->nomem = 1;
                ok = 0;
                break;
            }
            items = ni;
            cap = nc;
        }
        items[n++] = (ast_object_item){k, v, k->kind == AST_VARIABLE, colon};
        if (v->kind == AST_BAD) {
            ok = 0;
            break;
        }
        if (n > PARSE_MAX_COLLECTION) {
            p_error(p, k->range, "Too many object attributes",
                    "An object constructor may have at most %d attributes "
                    "(PARSE_MAX_COLLECTION).", PARSE_MAX_COLLECTION);
            ok = 0;
            break;
        }
        t = p_peek(p);
        if (t->kind != LEX_COMMA && t->kind != LEX_NEWLINE && t->kind != LEX_CBRACE) {
            if (!invalid_operator(p, t))
                p_error(p, p_trange(p, t), "Missing attribute separator",
                        "Expected a newline or comma to mark the beginning of the next "
                        "attribute.");
            ok = 0;
            break;
        }
        continue;
    bad_key:
        p_error(p, p_trange(p, t), "Invalid expression",
                "Expected the start of an expression, but found an invalid expression "
                "token.");
        ok = 0;
        break;
    }
    uint32_t end;
    if (ok) {
        end = p_next(p)->end;
    } else {
        skip_to_closer(p, LEX_CBRACE);
        end = p->tok[p->pos ? p->pos - 1 : 0].end;
    }
    p_nl_pop(p);
    e->u.object.n = n;
    if (n) {
        e->u.object.items = p_alloc(p, n * sizeof *items);
        if (e->u.object.items)
            memcpy(e->u.object.items, items, n * sizeof *items);
    }
    free(items);
    e->range.end = end;
    return ok ? e : p_bad(p, open->start, end);
}

/* paren := "(" expr ")" */
static ast *p_paren(parser *p)
{
    const lex_token *open = p_next(p);
    p_nl_push(p, 0);
    ast *x = p_expr(p);
    const lex_token *t = p_peek(p);
    ast *e;
    if (x->kind == AST_BAD) {
        skip_to_closer(p, LEX_CPAREN);
        e = x;
    } else if (t->kind != LEX_CPAREN) {
        if (t->kind == LEX_EOF)
            closer_error(p, 0, open, "Unbalanced parentheses",
                         "Expected a closing parenthesis to terminate the expression.");
        else if (!invalid_operator(p, t))
            p_error(p, p_trange(p, t), "Unbalanced parentheses",
                    "Expected a closing parenthesis to terminate the expression.");
        skip_to_closer(p, LEX_CPAREN);
        e = p_bad(p, open->start, p->tok[p->pos ? p->pos - 1 : 0].end);
    } else {
        p_next(p);
        e = p_node(p, AST_PAREN, open->start, t->end);
        e->u.paren.inner = x;
    }
    p_nl_pop(p);
    return e;
}

/* Error for a token that cannot start an expression. */
static ast *no_expression(parser *p, const lex_token *t)
{
    if (t->kind == LEX_EOF)
        p_error(p, p_trange(p, t), "Missing expression",
                "Expected the start of an expression, but found the end of the file.");
    else if (t->kind == LEX_INVALID && !invalid_operator(p, t))
        p_error(p, p_trange(p, t), "Invalid character",
                "This character is not used within the language.");
    else if (t->kind != LEX_INVALID && t->kind != LEX_BAD_UTF8)
        p_error(p, p_trange(p, t), "Invalid expression",
                "Expected the start of an expression, but found an invalid expression "
                "token.");
    return p_bad(p, t->start, t->end);
}

/* term := number | "true" | "false" | "null" | ident | call | paren
 *       | tuple | object | for | template | heredoc */
static ast *p_term(parser *p)
{
    const lex_token *t = p_peek(p);
    switch (t->kind) {
    case LEX_NUMBER:
        p_next(p);
        return p_number(p, t);
    case LEX_IDENT: {
        p_next(p);
        ast *e;
        if (is_keyword(p, t, "true") || is_keyword(p, t, "false")) {
            e = p_node(p, AST_LITERAL, t->start, t->end);
            e->u.lit.kind = AST_LIT_BOOL;
            e->u.lit.b = p->s[t->start] == 't';
            return e;
        }
        if (is_keyword(p, t, "null")) {
            e = p_node(p, AST_LITERAL, t->start, t->end);
            e->u.lit.kind = AST_LIT_NULL;
            return e;
        }
        enum lex_kind nk = p->tok[p->pos].kind;
        if (nk == LEX_OPAREN || nk == LEX_DCOLON)
            return p_call(p, t);
        e = p_node(p, AST_VARIABLE, t->start, t->end);
        e->u.var = tok_name(p, t);
        return e;
    }
    case LEX_OPAREN:
        return p_paren(p);
    case LEX_OBRACK:
        return p_tuple(p);
    case LEX_OBRACE:
        return p_object(p);
    case LEX_OQUOTE:
    case LEX_OHEREDOC:
        return p_template(p);
    default:
        return no_expression(p, t);
    }
}

/* An error about a missing closer, HCL-style: reported at the closer that
 * recovery found (found = 1, the token just consumed) or at the end of the
 * file, naming the line of the opener. */
static void closer_error(parser *p, int found, const lex_token *open, const char *summary,
                         const char *detail)
{
    int line, col;
    src_pos(p->f, open->start, &line, &col);
    if (found) {
        p_error(p, p_trange(p, &p->tok[p->pos - 1]), summary, "%s", detail);
        return;
    }
    const lex_token *eof = &p->tok[p->ntok - 1];
    p_error(p, p_trange(p, eof), summary, "%s The opening \"%.*s\" is on line %d.", detail,
            (int)(open->end - open->start), p->s + open->start, line);
}

/* Legacy `.N` (and `.N.M`, lexed as one number): index steps. */
static ast *legacy_index(parser *p, ast *e, const lex_token *num, uint32_t start)
{
    uint32_t a = num->start;
    while (a < num->end) {
        uint32_t b = a;
        while (b < num->end && p->s[b] >= '0' && p->s[b] <= '9')
            b++;
        if (b == a)
            break;
        ast *k = p_number(p, &(lex_token){LEX_NUMBER, a, b});
        ast *x = p_node(p, AST_INDEX, start, b);
        x->u.index.obj = e;
        x->u.index.key = k;
        x->u.index.legacy = 1;
        x->u.index.brackets = p_rng(p, a, b);
        e = x;
        a = b + 1;
    }
    return e;
}

/* After `.*`: the attribute steps applied to each element. */
static ast *attr_splat(parser *p, ast *src, const lex_token *dot, const lex_token *star)
{
    ast *item = p_node(p, AST_SPLAT_ITEM, dot->start, star->end);
    ast *each = item;
    uint32_t end = star->end;
    while (p->tok[p->pos].kind == LEX_DOT) {
        const lex_token *t = &p->tok[p->pos + 1];
        if (t->kind == LEX_NUMBER) {
            p->pos += 2;
            each = legacy_index(p, each, t, each->range.start);
        } else if (t->kind == LEX_IDENT) {
            p->pos += 2;
            ast *x = p_node(p, AST_GETATTR, each->range.start, t->end);
            x->u.getattr.obj = each;
            x->u.getattr.name = tok_name(p, t);
            each = x;
        } else {
            if (t->kind == LEX_STAR) {
                p_error(p, p_trange(p, t), "Nested splat expression not allowed",
                        "A splat expression (*) cannot be used inside another attribute-only "
                        "splat expression.");
                p->pos += 2;
                return p_bad(p, src->range.start, t->end);
            }
            break;
        }
        end = t->end;
    }
    ast *e = p_node(p, AST_SPLAT, src->range.start, end);
    e->u.splat.source = src;
    e->u.splat.each = each;
    e->u.splat.marker = p_rng(p, dot->start, star->end);
    return e;
}

/* postfix := term { "." ident | "." number | ".*" | "[" expr "]" | "[*]" }
 * With e given (a splat item), parse only the steps applied to it. */
static ast *p_traversals(parser *p, ast *e)
{
    if (!e)
        e = p_term(p);
    if (e->kind == AST_BAD)
        return e;
    for (;;) {
        const lex_token *t = p_peek(p);
        if (t->kind == LEX_DOT) {
            p_next(p);
            const lex_token *n = &p->tok[p->pos];
            if (n->kind == LEX_IDENT) {
                p->pos++;
                ast *x = p_node(p, AST_GETATTR, e->range.start, n->end);
                x->u.getattr.obj = e;
                x->u.getattr.name = tok_name(p, n);
                e = x;
            } else if (n->kind == LEX_NUMBER) {
                p->pos++;
                if (memchr(p->s + n->start, '.', n->end - n->start) ||
                    memchr(p->s + n->start, 'e', n->end - n->start) ||
                    memchr(p->s + n->start, 'E', n->end - n->start)) {
                    p_error(p, p_trange(p, n), "Invalid legacy index syntax",
                            "When using the legacy index syntax, chaining two indexes together "
                            "is not permitted. Use the proper index syntax instead, like [1][2].");
                    return p_bad(p, e->range.start, n->end);
                }
                e = legacy_index(p, e, n, e->range.start);
            } else if (n->kind == LEX_STAR) {
                p->pos++;
                e = attr_splat(p, e, t, n);
            } else {
                p_error(p, p_trange(p, n), "Invalid attribute name",
                        "An attribute name is required after a dot.");
                return p_bad(p, e->range.start, n->end);
            }
        } else if (t->kind == LEX_OBRACK) {
            p_next(p);
            p_nl_push(p, 0);
            const lex_token *s = p_peek(p);
            if (s->kind == LEX_STAR) {
                p_next(p);
                const lex_token *c = p_peek(p);
                if (c->kind != LEX_CBRACK) {
                    int found = skip_to_closer(p, LEX_CBRACK);
                    closer_error(p, found, t, "Missing close bracket on splat index",
                                 "The star for a full splat operator must be immediately "
                                 "followed by a closing bracket (\"]\").");
                    p_nl_pop(p);
                    return p_bad(p, e->range.start, p->tok[p->pos - 1].end);
                }
                p_next(p);
                p_nl_pop(p);
                ast *item = p_node(p, AST_SPLAT_ITEM, t->start, c->end);
                ast *each = p_traversals(p, item);
                ast *x = p_node(p, AST_SPLAT, e->range.start,
                                each == item ? c->end : each->range.end);
                x->u.splat.source = e;
                x->u.splat.each = each;
                x->u.splat.full = 1;
                x->u.splat.marker = p_rng(p, t->start, c->end);
                return x;
            }
            ast *k = p_expr(p);
            const lex_token *c = p_peek(p);
            if (k->kind == AST_BAD || c->kind != LEX_CBRACK) {
                int found = skip_to_closer(p, LEX_CBRACK);
                if (k->kind != AST_BAD)
                    closer_error(p, found, t, "Missing close bracket on index",
                                 "The index operator must end with a closing bracket (\"]\").");
                p_nl_pop(p);
                return p_bad(p, e->range.start, p->tok[p->pos ? p->pos - 1 : 0].end);
            }
            p_next(p);
            p_nl_pop(p);
            ast *x = p_node(p, AST_INDEX, e->range.start, c->end);
            x->u.index.obj = e;
            x->u.index.key = k;
            x->u.index.brackets = p_rng(p, t->start, c->end);
            e = x;
        } else {
            return e;
        }
    }
}

/* ------------------------------------------------------------ bodies */

static ast_body *p_body(parser *p, uint32_t start, int in_block);

/* Duplicate attribute names: sort (name, position) and report the later
 * ones; the first definition is kept. */
typedef struct name_ix {
    const char *name;
    size_t ix;
} name_ix;

static int name_ix_cmp(const void *a, const void *b)
{
    const name_ix *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->ix < y->ix ? -1 : x->ix > y->ix;
}

static void check_duplicates(parser *p, ast_body *b)
{
    size_t na = 0;
    for (size_t i = 0; i < b->n; i++)
        na += b->items[i].kind == AST_ITEM_ATTR;
    if (na < 2)
        return;
    name_ix *v = malloc(na * sizeof *v);
    unsigned char *drop = calloc(b->n, 1);
    if (!v || !drop) {
        free(v);
        free(drop);
        p->nomem = 1;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].kind == AST_ITEM_ATTR)
            v[k++] = (name_ix){b->items[i].u.attr->name.s, i};
    qsort(v, na, sizeof *v, name_ix_cmp);
    size_t ndrop = 0;
    for (size_t i = 1; i < na; i++) {
        size_t j = i;
        while (j > 0 && strcmp(v[j - 1].name, v[i].name) == 0)
            j--;
        if (j == i)
            continue;
        ast_attr *first = b->items[v[j].ix].u.attr, *dup = b->items[v[i].ix].u.attr;
        char *where = range_str(p, first->name.range);
        p_error(p, dup->name.range, "Attribute redefined",
                "The argument \"%s\" was already set at %s. Each argument may be set only "
                "once.", dup->name.s, where);
        free(where);
        drop[v[i].ix] = 1;
        ndrop++;
    }
    if (ndrop) {
        size_t o = 0;
        for (size_t i = 0; i < b->n; i++)
            if (!drop[i])
                b->items[o++] = b->items[i];
        b->n = o;
    }
    free(v);
    free(drop);
}

/* attribute := ident "=" expr  (the name is consumed) */
static ast_attr *p_attribute(parser *p, const lex_token *name)
{
    ast_attr *a = p_alloc(p, sizeof *a);
    if (!a)
        return NULL;
    a->name = tok_name(p, name);
    a->equals = p_trange(p, p_next(p));
    size_t nerr = p->diags->nerrors;
    a->expr = p_expr(p);
    if (p->diags->nerrors > nerr && a->expr->kind != AST_BAD)
        a->expr = p_bad(p, a->expr->range.start, a->expr->range.end);
    a->range = p_rng(p, name->start, a->expr->range.end);
    return a;
}

/* After an attribute or block: a newline, or the end of the file. */
static void end_of_item(parser *p, int attr, int bad)
{
    const lex_token *t = p_peek(p);
    if (t->kind == LEX_NEWLINE) {
        p_next(p);
        return;
    }
    if (t->kind == LEX_EOF)
        return;
    if (!bad && !(attr && invalid_operator(p, t))) {
        if (attr)
            p_error(p, p_trange(p, t), "Missing newline after argument",
                    "An argument definition must end with a newline.");
        else
            p_error(p, p_trange(p, t), "Missing newline after block definition",
                    "A block definition must end with a newline.");
    }
    skip_line(p);
}

/* label := ident | quoted string without interpolation */
static int p_label(parser *p, ast_label *l)
{
    const lex_token *t = p_peek(p);
    if (t->kind == LEX_IDENT) {
        p_next(p);
        l->s = p_strndup(p, p->s + t->start, t->end - t->start);
        l->range = p_trange(p, t);
        return 0;
    }
    size_t first = p->pos;
    ast *e = p_template(p);
    const char *s;
    size_t n;
    l->range = e->range;
    l->quoted = 1;
    if (e->kind == AST_BAD)
        return -1;
    if (!ast_template_literal(e, &s, &n)) {
        srange r = e->range;
        for (size_t i = first; i < p->pos; i++) {
            if (p->tok[i].kind == LEX_TEMPLATE_INTERP || p->tok[i].kind == LEX_TEMPLATE_CONTROL) {
                r = p_trange(p, &p->tok[i]);
                break;
            }
        }
        p_error(p, r, "Invalid string literal",
                "Template sequences are not allowed in this string. To include a literal "
                "\"$\", double it (as \"$$\") to escape it.");
        return -1;
    }
    l->s = s;
    return 0;
}

/* Single-line block body: "{" [ ident "=" expr ] "}" (open consumed). */
static ast_body *p_oneline_body(parser *p, const lex_token *open, int *ok)
{
    ast_body *b = p_alloc(p, sizeof *b);
    if (!b)
        return NULL;
    b->range = p_rng(p, open->end, open->end);
    const lex_token *t = p_peek(p);
    if (t->kind == LEX_CBRACE)
        return b;
    if (t->kind != LEX_IDENT || p->tok[p->pos + 1].kind != LEX_EQUAL) {
        const char *detail = t->kind == LEX_IDENT
            ? "An argument or block definition is required here. To set an argument, use "
              "the equals sign \"=\" to introduce the argument value."
            : "An argument or block definition is required here.";
        p_error(p, p_trange(p, t), "Argument or block definition required", "%s", detail);
        *ok = 0;
        return b;
    }
    p_next(p);
    ast_attr *a = p_attribute(p, t);
    if (!a)
        return b;
    b->items = p_alloc(p, sizeof *b->items);
    if (b->items) {
        b->items[0].kind = AST_ITEM_ATTR;
        b->items[0].u.attr = a;
        b->n = 1;
    }
    b->range.end = a->range.end;
    t = p_peek(p);
    if (a->expr->kind == AST_BAD) {
        *ok = 0;
    } else if (t->kind != LEX_CBRACE) {
        if (!invalid_operator(p, t))
            p_error(p, p_trange(p, t), "Invalid single-argument block definition",
                    "An argument definition on the same line as its containing block creates "
                    "a single-line block definition, which must also be closed on the same "
                    "line. Place the block's closing brace immediately after the argument "
                    "definition.");
        *ok = 0;
    }
    return b;
}

/* block := ident { label } "{" newline body "}" | ident { label } "{" [attr] "}" */
static ast_block *p_block(parser *p, const lex_token *type)
{
    ast_block *blk = p_alloc(p, sizeof *blk);
    if (!blk)
        return NULL;
    blk->type = tok_name(p, type);
    ast_label labels[64];
    size_t nl = 0;
    ast_label *heap = NULL;
    int ok = 1;
    for (;;) {
        const lex_token *t = p_peek(p);
        if (t->kind != LEX_IDENT && t->kind != LEX_OQUOTE)
            break;
        ast_label l = {0};
        if (p_label(p, &l) < 0)
            ok = 0;
        if (nl < 64) {
            labels[nl++] = l;
        } else {
            p_error(p, l.range, "Too many block labels", "A block may have at most 64 labels.");
            ok = 0;
        }
    }
    (void)heap;
    if (nl) {
        blk->labels = p_alloc(p, nl * sizeof *blk->labels);
        if (blk->labels)
            memcpy(blk->labels, labels, nl * sizeof *labels);
        blk->nlabels = nl;
    }
    const lex_token *open = p_peek(p);
    if (open->kind != LEX_OBRACE) {
        if (ok)
            p_error(p, p_trange(p, open), "Invalid block definition",
                    "A block definition must have block content delimited by \"{\" and \"}\", "
                    "starting on the same line as the block header.");
        skip_line(p);
        return NULL;
    }
    p_next(p);
    blk->open_brace = p_trange(p, open);
    if (p_depth_enter(p, open->start) < 0) {
        skip_to_closer(p, LEX_CBRACE);
        return NULL;
    }
    const lex_token *t = p_peek(p);
    if (t->kind == LEX_NEWLINE) {
        blk->body = p_body(p, open->end, 1);
        t = p_peek(p);
        if (t->kind != LEX_CBRACE) {
            p_error(p, p_trange(p, open), "Unclosed configuration block",
                    "There is no closing brace for this block before the end of the file. "
                    "This may be caused by incorrect brace nesting elsewhere in this file.");
            p_depth_leave(p);
            return blk->body ? blk : NULL;
        }
    } else {
        blk->body = p_oneline_body(p, open, &ok);
        if (!ok) {
            p_depth_leave(p);
            skip_to_closer(p, LEX_CBRACE);
            end_of_item(p, 0, 1);
            return NULL;
        }
        t = p_peek(p);
    }
    p_depth_leave(p);
    p_next(p);
    blk->close_brace = p_trange(p, t);
    blk->range = p_rng(p, type->start, t->end);
    end_of_item(p, 0, 0);
    return blk;
}

/* item := attribute newline | block newline  (at an identifier) */
static int p_item(parser *p, ast_item *it)
{
    const lex_token *name = p_next(p);
    const lex_token *t = p_peek(p);
    if (t->kind == LEX_EQUAL) {
        ast_attr *a = p_attribute(p, name);
        if (!a)
            return -1;
        end_of_item(p, 1, a->expr->kind == AST_BAD);
        it->kind = AST_ITEM_ATTR;
        it->u.attr = a;
        return 0;
    }
    if (t->kind == LEX_IDENT || t->kind == LEX_OQUOTE || t->kind == LEX_OBRACE) {
        ast_block *b = p_block(p, name);
        if (!b)
            return -1;
        it->kind = AST_ITEM_BLOCK;
        it->u.block = b;
        return 0;
    }
    if (t->kind == LEX_NEWLINE || t->kind == LEX_EOF)
        p_error(p, p_trange(p, t), "Argument or block definition required",
                "An argument or block definition is required here. To set an argument, use "
                "the equals sign \"=\" to introduce the argument value.");
    else
        p_error(p, p_trange(p, t), "Argument or block definition required",
                "An argument or block definition is required here. To set an argument, use "
                "the equals sign \"=\" to introduce the argument value.");
    skip_line(p);
    return -1;
}

/* body := { newline | item } — until "}" (in a block) or the end. */
static ast_body *p_body(parser *p, uint32_t start, int in_block)
{
    ast_body *b = p_alloc(p, sizeof *b);
    if (!b)
        return NULL;
    ast_item *items = NULL;
    size_t n = 0, cap = 0;
    p_nl_push(p, 1);
    for (;;) {
        if (p->nomem)
            break;
        const lex_token *t = p_peek(p);
        if (t->kind == LEX_NEWLINE) {
            p_next(p);
            continue;
        }
        if (t->kind == LEX_EOF || (t->kind == LEX_CBRACE && in_block))
            break;
        if (t->kind != LEX_IDENT) {
            if (!invalid_operator(p, t))
                p_error(p, p_trange(p, t), "Argument or block definition required",
                        "An argument or block definition is required here.");
            if (t->kind == LEX_CBRACE)
                p_next(p);
            skip_line(p);
            continue;
        }
        ast_item it;
        if (p_item(p, &it) < 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            ast_item *ni = realloc(items, nc * sizeof *ni);
            if (!ni) {
                p->nomem = 1;
                break;
            }
            items = ni;
            cap = nc;
        }
        items[n++] = it;
    }
    p_nl_pop(p);
    b->range = p_rng(p, start, p_peek(p)->start);
    if (n) {
        b->items = p_alloc(p, n * sizeof *items);
        if (b->items) {
            memcpy(b->items, items, n * sizeof *items);
            b->n = n;
        }
    }
    free(items);
    check_duplicates(p, b);
    return b;
}

/* -------------------------------------------------------- entry points */

enum parse_what { PW_CONFIG, PW_EXPR, PW_TEMPLATE };

static ast_file *parse_any(src_file *src, diag_list *diags, enum parse_what what)
{
    diag_list scratch = {0};
    if (!diags)
        diags = &scratch;
    ast_file *af = calloc(1, sizeof *af);
    if (!af) {
        err_set(CAIRN_ENOMEM, "out of memory");
        return NULL;
    }
    af->src = src;
    af->arena = ast_arena_new();
    if (!af->arena)
        goto fail;
    if (lex_run(src, what == PW_TEMPLATE ? LEX_MODE_TEMPLATE : LEX_MODE_CONFIG, &af->tokens,
                diags) == CAIRN_ENOMEM)
        goto fail;
    if (af->tokens.n == 0)
        goto fail;
    parser p = {.f = src, .s = src->text, .tok = af->tokens.v, .ntok = af->tokens.n,
                .diags = diags, .arena = af->arena};
    if (what == PW_CONFIG) {
        af->body = p_body(&p, 0, 0);
    } else if (what == PW_TEMPLATE) {
        af->expr = p_template_file(&p);
    } else {
        p_nl_push(&p, 0);
        af->expr = p_expr(&p);
        const lex_token *t = p_peek(&p);
        if (t->kind != LEX_EOF && af->expr->kind != AST_BAD)
            p_error(&p, p_trange(&p, t), "Extra characters after expression",
                    "An expression was successfully parsed, but extra characters were found "
                    "after it.");
    }
    if (p.nomem)
        goto fail;
    diag_list_free(&scratch);
    return af;
fail:
    err_set(CAIRN_ENOMEM, "out of memory parsing %s", src->name);
    ast_file_free(af);
    diag_list_free(&scratch);
    return NULL;
}

ast_file *parse_config(src_file *src, diag_list *diags)
{
    return parse_any(src, diags, PW_CONFIG);
}

ast_file *parse_expression(src_file *src, diag_list *diags)
{
    return parse_any(src, diags, PW_EXPR);
}

ast_file *parse_template(src_file *src, diag_list *diags)
{
    return parse_any(src, diags, PW_TEMPLATE);
}
