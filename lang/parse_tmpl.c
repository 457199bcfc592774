/*
 * lang/parse_tmpl.c — templates: quoted strings, heredocs, template files.
 *
 * Three passes, in HCL's order so that results match it exactly:
 *   1. read the template's tokens into a flat list of items (literal text
 *      decoded, interpolations and directive keywords with their strip
 *      markers);
 *   2. apply the `~` strip markers to the neighbouring literals, then (for
 *      <<-) remove the common indentation, then merge adjacent literals;
 *   3. build the tree: %{if}/%{else}/%{endif} and %{for}/%{endfor} nest.
 */
#include "lang/parse_int.h"

#include <stdlib.h>
#include <string.h>

enum titem_kind { TI_LIT, TI_INTERP, TI_IF, TI_ELSE, TI_ENDIF, TI_FOR, TI_ENDFOR };

typedef struct titem {
    enum titem_kind kind;
    const char *s;          /* TI_LIT: decoded text (arena) */
    size_t len;
    ast *expr;              /* TI_INTERP value, TI_IF cond, TI_FOR collection */
    ast_name k, v;          /* TI_FOR */
    int strip_before, strip_after;
    uint32_t start, end;
} titem;

typedef struct tlist {
    titem *v;
    size_t n, cap;
} tlist;

static int tl_push(parser *p, tlist *l, titem it)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        titem *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            p->nomem = 1;
            return -1;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = it;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(strbuf *b, unsigned long cp)
{
    char u[4];
    if (cp < 0x80) {
        sb_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        sb_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        sb_append(b, u, 3);
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        sb_append(b, u, 4);
    }
}

char *p_unescape(parser *p, uint32_t start, uint32_t end, int quoted, size_t *len)
{
    strbuf b = {0};
    const char *s = p->s;
    uint32_t i = start;
    while (i < end) {
        char c = s[i];
        if ((c == '$' || c == '%') && i + 2 < end && s[i + 1] == c && s[i + 2] == '{') {
            sb_putc(&b, c);
            sb_putc(&b, '{');
            i += 3;
            continue;
        }
        if (c != '\\' || !quoted || i + 1 >= end) {
            sb_putc(&b, c);
            i++;
            continue;
        }
        char e = s[i + 1];
        int nhex = 0;
        switch (e) {
        case 'n': sb_putc(&b, '\n'); break;
        case 'r': sb_putc(&b, '\r'); break;
        case 't': sb_putc(&b, '\t'); break;
        case '"': sb_putc(&b, '"'); break;
        case '\\': sb_putc(&b, '\\'); break;
        case 'u': nhex = 4; break;
        case 'U': nhex = 8; break;
        default: {
            int n = 1;
            while (i + 1 + (uint32_t)n < end && ((unsigned char)s[i + 1 + n] & 0xc0) == 0x80)
                n++;
            p_error(p, p_rng(p, i, i + 1 + (uint32_t)n), "Invalid escape sequence",
                    "The symbol \"%.*s\" is not a valid escape sequence selector.", n, s + i + 1);
            sb_append(&b, s + i, 1 + (size_t)n);
            i += 1 + (uint32_t)n;
            continue;
        }
        }
        if (!nhex) {
            i += 2;
            continue;
        }
        unsigned long cp = 0;
        uint32_t j = i + 2;
        int k = 0;
        for (; k < nhex && j < end && hexval(s[j]) >= 0; k++, j++)
            cp = cp * 16 + (unsigned long)hexval(s[j]);
        if (k < nhex) {
            p_error(p, p_rng(p, i, j), "Invalid escape sequence",
                    "The \\%c escape sequence must be followed by %s hexadecimal digits.", e,
                    nhex == 4 ? "four" : "eight");
            sb_append(&b, s + i, j - i);
        } else if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            p_error(p, p_rng(p, i, j), "Invalid escape sequence",
                    "The escape sequence \"%.*s\" does not represent a valid Unicode "
                    "character.", (int)(j - i), s + i);
        } else {
            put_utf8(&b, cp);
        }
        i = j;
    }
    if (b.failed) {
        sb_free(&b);
        p->nomem = 1;
        return NULL;
    }
    *len = b.len;
    char *out = p_strndup(p, b.s ? b.s : "", b.len);
    sb_free(&b);
    return out;
}

/* At `${` or `%{` (already consumed, `open`): expect the closing `}`. */
static int seq_end(parser *p, const lex_token *open, titem *it, const char *what)
{
    const lex_token *t = p_peek(p);
    if (t->kind == LEX_TEMPLATE_SEQ_END) {
        p_next(p);
        it->strip_after = t->end - t->start == 2;
        it->end = t->end;
        return 0;
    }
    if (t->kind == LEX_EOF || t->kind == LEX_CQUOTE || t->kind == LEX_CHEREDOC ||
        t->kind == LEX_NEWLINE)
        p_error(p, p_trange(p, open), "Unclosed template interpolation sequence",
                "There is no closing brace for this interpolation sequence before the end of "
                "the quoted template. This might be caused by incorrect nesting inside the "
                "given expression.");
    else
        p_error(p, p_trange(p, t), what[0] == 'i' ? "Extra characters after interpolation "
                "expression" : "Extra characters in template directive",
                "Expected a closing brace to end the %s, but found extra characters.%s", what,
                what[0] == 'i' ? "\n\nThis can happen when you include interpolation syntax "
                "for another language, such as shell scripting, but forget to escape the "
                "interpolation start token. If this is an embedded sequence for another "
                "language, escape it by starting with \"$${\" instead of just \"${\"." : "");
    /* skip to this sequence's end */
    int depth = 0;
    for (;;) {
        t = &p->tok[p->pos];
        if (t->kind == LEX_EOF || t->kind == LEX_CQUOTE || t->kind == LEX_CHEREDOC)
            return -1;
        p->pos++;
        if (t->kind == LEX_TEMPLATE_INTERP || t->kind == LEX_TEMPLATE_CONTROL)
            depth++;
        else if (t->kind == LEX_TEMPLATE_SEQ_END && depth-- == 0)
            return -1;
    }
}

static int tkw(parser *p, const lex_token *t, const char *kw)
{
    size_t n = strlen(kw);
    return t->kind == LEX_IDENT && t->end - t->start == n && memcmp(p->s + t->start, kw, n) == 0;
}

/* After `%{`: a directive keyword and its operands. */
static int directive(parser *p, const lex_token *open, titem *it)
{
    const lex_token *t = p_next(p);
    if (tkw(p, t, "if")) {
        it->kind = TI_IF;
        it->expr = p_expr(p);
        if (it->expr->kind == AST_BAD)
            return -1;
    } else if (tkw(p, t, "else")) {
        it->kind = TI_ELSE;
    } else if (tkw(p, t, "endif")) {
        it->kind = TI_ENDIF;
    } else if (tkw(p, t, "endfor")) {
        it->kind = TI_ENDFOR;
    } else if (tkw(p, t, "for")) {
        it->kind = TI_FOR;
        const lex_token *a = p_next(p);
        if (a->kind != LEX_IDENT) {
            p_error(p, p_trange(p, a), "Invalid 'for' directive",
                    "For directive requires variable name after 'for'.");
            return -1;
        }
        it->v = (ast_name){p_strndup(p, p->s + a->start, a->end - a->start), p_trange(p, a)};
        if (p_peek(p)->kind == LEX_COMMA) {
            p_next(p);
            const lex_token *b = p_next(p);
            if (b->kind != LEX_IDENT) {
                p_error(p, p_trange(p, b), "Invalid 'for' directive",
                        "For directive requires value variable name after comma.");
                return -1;
            }
            it->k = it->v;
            it->v = (ast_name){p_strndup(p, p->s + b->start, b->end - b->start),
                               p_trange(p, b)};
        }
        const lex_token *in = p_next(p);
        if (!tkw(p, in, "in")) {
            p_error(p, p_trange(p, in), "Invalid 'for' directive",
                    "For directive requires 'in' keyword after names.");
            return -1;
        }
        it->expr = p_expr(p);
        if (it->expr->kind == AST_BAD)
            return -1;
    } else {
        p_error(p, p_trange(p, t), "Invalid template control keyword",
                "\"%.*s\" is not a valid template control keyword.", (int)(t->end - t->start),
                p->s + t->start);
        return -1;
    }
    return seq_end(p, open, it, "directive");
}

/* Pass 1: items up to the end token (consumed) or EOF. */
static void read_items(parser *p, tlist *l, enum lex_kind endk, int quoted)
{
    p_nl_push(p, 0);
    for (;;) {
        const lex_token *t = &p->tok[p->pos];
        titem it = {.start = t->start, .end = t->end};
        if (t->kind == LEX_QUOTED_LIT || t->kind == LEX_STRING_LIT) {
            p->pos++;
            it.kind = TI_LIT;
            it.s = p_unescape(p, t->start, t->end, quoted, &it.len);
            if (!it.s)
                break;
        } else if (t->kind == LEX_TEMPLATE_INTERP) {
            p->pos++;
            it.kind = TI_INTERP;
            it.strip_before = t->end - t->start == 3;
            it.expr = p_expr(p);
            if (it.expr->kind == AST_BAD || seq_end(p, t, &it, "interpolation expression") < 0) {
                const lex_token *u = &p->tok[p->pos];
                if (it.expr->kind == AST_BAD) {
                    while (u->kind != LEX_EOF && u->kind != LEX_TEMPLATE_SEQ_END &&
                           u->kind != endk && u->kind != LEX_NEWLINE)
                        u = &p->tok[++p->pos];
                    if (u->kind == LEX_TEMPLATE_SEQ_END)
                        p->pos++;
                }
                it.kind = TI_INTERP;
                it.expr = p_bad(p, t->start, p->tok[p->pos ? p->pos - 1 : 0].end);
            }
        } else if (t->kind == LEX_TEMPLATE_CONTROL) {
            p->pos++;
            it.strip_before = t->end - t->start == 3;
            if (directive(p, t, &it) < 0) {
                it.kind = TI_INTERP;
                it.expr = p_bad(p, t->start, p->tok[p->pos ? p->pos - 1 : 0].end);
                const lex_token *u = &p->tok[p->pos];
                while (u->kind != LEX_EOF && u->kind != LEX_TEMPLATE_SEQ_END && u->kind != endk &&
                       u->kind != LEX_NEWLINE)
                    u = &p->tok[++p->pos];
                if (u->kind == LEX_TEMPLATE_SEQ_END)
                    p->pos++;
            }
        } else {
            if (t->kind == endk)
                p->pos++;
            break;
        }
        if (tl_push(p, l, it) < 0)
            break;
    }
    p_nl_pop(p);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Pass 2a: `~` strip markers. */
static void apply_strips(tlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        titem *it = &l->v[i];
        if (it->strip_before && i > 0 && l->v[i - 1].kind == TI_LIT) {
            titem *q = &l->v[i - 1];
            while (q->len && is_space(q->s[q->len - 1]))
                q->len--;
        }
        if (it->strip_after && i + 1 < l->n && l->v[i + 1].kind == TI_LIT) {
            titem *q = &l->v[i + 1];
            while (q->len && is_space(q->s[0])) {
                q->s++;
                q->len--;
            }
        }
    }
}

/* Pass 2b: <<- removes the smallest indentation of the non-blank lines. */
static void flush_heredoc(tlist *l)
{
    size_t min = (size_t)-1;
    int newline = 1;
    for (size_t i = 0; i < l->n; i++) {
        titem *it = &l->v[i];
        if (newline) {
            newline = 0;
            size_t sp = 0;
            if (it->kind == TI_LIT) {
                while (sp < it->len && is_space(it->s[sp]))
                    sp++;
                if (sp == it->len && it->len && it->s[it->len - 1] == '\n')
                    sp = (size_t)-1;   /* a blank line does not count */
            }
            if (sp < min)
                min = sp;
        }
        if (it->kind == TI_LIT && it->len && it->s[it->len - 1] == '\n')
            newline = 1;
    }
    if (min == (size_t)-1 || min == 0)
        return;
    newline = 1;
    for (size_t i = 0; i < l->n; i++) {
        titem *it = &l->v[i];
        int was_nl = newline;
        newline = 0;
        int ends_nl = it->kind == TI_LIT && it->len && it->s[it->len - 1] == '\n';
        if (was_nl && it->kind == TI_LIT) {
            size_t sp = 0;
            while (sp < it->len && is_space(it->s[sp]))
                sp++;
            int blank = sp == it->len && ends_nl;
            if (!blank) {
                size_t cut = min < sp ? min : sp;
                it->s += cut;
                it->len -= cut;
            }
        }
        if (ends_nl)
            newline = 1;
    }
}

/* Pass 2c: merge adjacent literals. */
static void meld(parser *p, tlist *l)
{
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (o > 0 && l->v[i].kind == TI_LIT && l->v[o - 1].kind == TI_LIT) {
            titem *a = &l->v[o - 1];
            char *s = p_alloc(p, a->len + l->v[i].len + 1);
            if (!s)
                return;
            memcpy(s, a->s, a->len);
            memcpy(s + a->len, l->v[i].s, l->v[i].len);
            a->s = s;
            a->len += l->v[i].len;
            a->end = l->v[i].end;
            continue;
        }
        l->v[o++] = l->v[i];
    }
    l->n = o;
}

/* Pass 3: a sequence of parts up to a directive in stop (bit per kind). */
static ast *build_seq(parser *p, tlist *l, size_t *i, unsigned stop, uint32_t start)
{
    pvec parts = {0};
    ast *t = p_node(p, AST_TEMPLATE, start, start);
    while (*i < l->n) {
        titem *it = &l->v[*i];
        if (stop & (1u << it->kind))
            break;
        (*i)++;
        ast *x = NULL;
        switch (it->kind) {
        case TI_LIT:
            x = p_node(p, AST_LITERAL, it->start, it->end);
            x->u.lit.kind = AST_LIT_STRING;
            x->u.lit.text = it->s;
            x->u.lit.len = it->len;
            break;
        case TI_INTERP:
            x = it->expr;
            break;
        case TI_IF: {
            x = p_node(p, AST_TPL_IF, it->start, it->end);
            x->u.tpl_if.cond = it->expr;
            x->u.tpl_if.then = build_seq(p, l, i, 1u << TI_ELSE | 1u << TI_ENDIF, it->end);
            if (*i < l->n && l->v[*i].kind == TI_ELSE) {
                uint32_t e = l->v[*i].end;
                (*i)++;
                x->u.tpl_if.else_ = build_seq(p, l, i, 1u << TI_ENDIF, e);
            }
            if (*i < l->n && l->v[*i].kind == TI_ENDIF) {
                x->range.end = l->v[*i].end;
                (*i)++;
            } else {
                /* reported by check_balance, which knows the end token */
                x->range.end = l->n ? l->v[l->n - 1].end : it->end;
                it->strip_after = -1;
            }
            break;
        }
        case TI_FOR:
            x = p_node(p, AST_TPL_FOR, it->start, it->end);
            x->u.tpl_for.key_var = it->k;
            x->u.tpl_for.val_var = it->v;
            x->u.tpl_for.coll = it->expr;
            x->u.tpl_for.body = build_seq(p, l, i, 1u << TI_ENDFOR, it->end);
            if (*i < l->n && l->v[*i].kind == TI_ENDFOR) {
                x->range.end = l->v[*i].end;
                (*i)++;
            } else {
                it->strip_after = -1;
            }
            break;
        default:
            break;
        }
        if (x)
            pv_push(p, &parts, x);
        t->range.end = it->end;
    }
    t->u.tmpl.nparts = parts.n;
    t->u.tmpl.parts = (ast **)pv_finish(p, &parts);
    return t;
}

/* Report directives that were left open or closed without an opener. */
static void check_balance(parser *p, tlist *l, srange end)
{
    for (size_t i = 0; i < l->n; i++) {
        titem *it = &l->v[i];
        if ((it->kind == TI_IF || it->kind == TI_FOR) && it->strip_after == -1) {
            int line, col, line2, col2;
            src_pos(p->f, it->start, &line, &col);
            src_pos(p->f, it->end, &line2, &col2);
            char *where = line == line2
                ? xasprintf("%s:%d,%d-%d", p->f->name, line, col, col2)
                : xasprintf("%s:%d,%d-%d,%d", p->f->name, line, col, line2, col2);
            p_error(p, end, "Unexpected end of template",
                    "The %s directive at %s is missing its corresponding %s directive.",
                    it->kind == TI_IF ? "if" : "for", where,
                    it->kind == TI_IF ? "endif" : "endfor");
            free(where);
        }
    }
}

/* Build the template node from the item list; top-level stray
 * else/endif/endfor are reported and skipped. */
static ast *finish(parser *p, tlist *l, int flush, uint32_t start, uint32_t end, srange endtok)
{
    apply_strips(l);
    if (flush)
        flush_heredoc(l);
    meld(p, l);
    size_t i = 0;
    pvec parts = {0};
    while (i < l->n) {
        ast *seq = build_seq(p, l, &i, 1u << TI_ELSE | 1u << TI_ENDIF | 1u << TI_ENDFOR, start);
        for (size_t k = 0; k < seq->u.tmpl.nparts; k++)
            pv_push(p, &parts, seq->u.tmpl.parts[k]);
        if (i < l->n) {
            titem *it = &l->v[i];
            const char *kw = it->kind == TI_ELSE ? "else" : it->kind == TI_ENDIF ? "endif"
                                                                                 : "endfor";
            char summary[64];
            snprintf(summary, sizeof summary, "Unexpected %s directive", kw);
            p_error(p, p_rng(p, it->start, it->end), summary,
                    "The control directives within this template are unbalanced.");
            i++;
        }
    }
    check_balance(p, l, endtok);
    ast *t = p_node(p, AST_TEMPLATE, start, end);
    t->u.tmpl.nparts = parts.n;
    t->u.tmpl.parts = (ast **)pv_finish(p, &parts);
    t->u.tmpl.wrap = l->n == 1 && l->v[0].kind == TI_INTERP;
    if (end - start > PARSE_MAX_TEMPLATE_SIZE)
        p_error(p, p_rng(p, start, start + 1), "Template too large",
                "A template may be at most %u bytes long (PARSE_MAX_TEMPLATE_SIZE).",
                PARSE_MAX_TEMPLATE_SIZE);
    return t;
}

ast *p_template(parser *p)
{
    const lex_token *open = p_next(p);
    int heredoc = open->kind == LEX_OHEREDOC;
    tlist l = {0};
    read_items(p, &l, heredoc ? LEX_CHEREDOC : LEX_CQUOTE, !heredoc);
    const lex_token *last = &p->tok[p->pos ? p->pos - 1 : 0];
    uint32_t end = last->end > open->end ? last->end : open->end;
    srange endtok = p_trange(p, last);
    ast *t = finish(p, &l, heredoc && p->s[open->start + 2] == '-', open->start, end, endtok);
    free(l.v);
    if (heredoc) {
        uint32_t ds = open->start + 2 + (p->s[open->start + 2] == '-');
        uint32_t de = ds;
        while (de < open->end && p->s[de] != '\n' && p->s[de] != '\r')
            de++;
        t->u.tmpl.heredoc = 1;
        t->u.tmpl.flush = p->s[open->start + 2] == '-';
        t->u.tmpl.delim = p_strndup(p, p->s + ds, de - ds);
    }
    return t;
}

ast *p_template_file(parser *p)
{
    tlist l = {0};
    read_items(p, &l, LEX_EOF, 0);
    uint32_t end = (uint32_t)p->f->len;
    ast *t = finish(p, &l, 0, 0, end, p_rng(p, end, end));
    free(l.v);
    return t;
}
