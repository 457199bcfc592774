/*
 * lang/fmt.c — canonical formatting of HCL native syntax (see lang/fmt.h).
 *
 * Three passes over a token array:
 *   1. fmt_scan: split the text into tokens the way HCL's scanner does for
 *      the purposes of layout (templates, heredocs and comments included).
 *      Whitespace between tokens is dropped; token bytes are kept verbatim.
 *   2. (FMT_TERRAFORM) tf_rewrite: terraform fmt's expression rewrites on
 *      attribute values, producing a new token array.
 *   3. layout: group tokens into lines, split each line into cells (lead,
 *      "= value", trailing comment), compute indentation, spacing and
 *      alignment, and print.
 * Whether the input is valid beyond what the scanner checks is the
 * parser's business; callers (cmd_fmt) parse before formatting.
 */
#include "lang/fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum ftk {
    T_NIL, T_NL, T_COMMENT, T_IDENT, T_NUMBER,
    T_OQUOTE, T_CQUOTE, T_QLIT, T_SLIT, T_INTERP, T_CONTROL, T_SEQEND,
    T_OHEREDOC, T_CHEREDOC,
    T_OBRACE, T_CBRACE, T_OBRACK, T_CBRACK, T_OPAREN, T_CPAREN,
    T_COMMA, T_DOT, T_ELLIPSIS, T_EQUAL, T_COLON, T_DCOLON, T_QUESTION, T_ARROW,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
    T_EQOP, T_NEQ, T_LT, T_LE, T_GT, T_GE, T_AND, T_OR, T_BANG,
};

typedef struct ftok {
    int kind;
    const char *p;  /* bytes (into the source, or a static string) */
    uint32_t len;
    uint32_t off;   /* source offset, for diagnostics */
    int spaces;     /* spaces printed before the token (layout pass) */
} ftok;

typedef struct ftoks {
    ftok *t;
    size_t n, cap;
} ftoks;

static const ftok tok_nil = {T_NIL, "", 0, 0, 0};

static int toks_push(ftoks *a, int kind, const char *p, size_t len, uint32_t off)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 256;
        ftok *nt = realloc(a->t, ncap * sizeof *nt);
        if (!nt)
            return err_set(CAIRN_ENOMEM, "out of memory formatting");
        a->t = nt;
        a->cap = ncap;
    }
    a->t[a->n++] = (ftok){kind, p, (uint32_t)len, off, 0};
    return 0;
}

/* ---- pass 1: scanning ---------------------------------------------- */

enum { M_BRACE, M_INTERP, M_QUOTE, M_HEREDOC };

typedef struct scan_mode {
    int kind;
    const char *marker; /* heredoc marker */
    size_t mlen;
    int bol;            /* heredoc: at the start of a content line */
} scan_mode;

typedef struct scanner {
    const char *s;
    size_t n, i;
    ftoks *out;
    scan_mode stack[FMT_MAX_DEPTH];
    int depth;
    const char *err;    /* static message when scanning failed */
    size_t err_off;
} scanner;

static int sc_fail(scanner *sc, size_t off, const char *msg)
{
    if (!sc->err) {
        sc->err = msg;
        sc->err_off = off;
    }
    return CAIRN_EDIAG;
}

static int sc_emit(scanner *sc, int kind, size_t start, size_t end)
{
    return toks_push(sc->out, kind, sc->s + start, end - start, (uint32_t)start);
}

static int sc_push(scanner *sc, int kind, const char *marker, size_t mlen)
{
    if (sc->depth >= FMT_MAX_DEPTH)
        return sc_fail(sc, sc->i, "Nesting too deep");
    sc->stack[sc->depth++] = (scan_mode){kind, marker, mlen, 1};
    return 0;
}

static int is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* The character at i + k, or 0 past the end. */
static unsigned char sc_at(const scanner *sc, size_t k)
{
    return sc->i + k < sc->n ? (unsigned char)sc->s[sc->i + k] : 0;
}

/* A template interpolation or directive opener at i ("${", "%{", with an
 * optional "~"); returns its length or 0. */
static size_t sc_template_open(const scanner *sc, int *kind)
{
    unsigned char c = sc_at(sc, 0);
    if ((c != '$' && c != '%') || sc_at(sc, 1) != '{')
        return 0;
    *kind = c == '$' ? T_INTERP : T_CONTROL;
    return sc_at(sc, 2) == '~' ? 3 : 2;
}

/* "<<" or "<<-" followed by an identifier and a newline: the opener's
 * length (through the newline), or 0. */
static size_t sc_heredoc_open(const scanner *sc, size_t *mstart, size_t *mlen)
{
    size_t k = 2;
    if (sc_at(sc, 0) != '<' || sc_at(sc, 1) != '<')
        return 0;
    if (sc_at(sc, k) == '-')
        k++;
    if (!is_ident_start(sc_at(sc, k)))
        return 0;
    *mstart = sc->i + k;
    while (is_ident_char(sc_at(sc, k)))
        k++;
    *mlen = sc->i + k - *mstart;
    if (sc_at(sc, k) == '\r')
        k++;
    if (sc_at(sc, k) != '\n')
        return 0;
    return k + 1;
}

/* Quoted template body: literal runs, interpolations, the closing quote. */
static int scan_quoted(scanner *sc)
{
    size_t start = sc->i;
    int kind;
    size_t n;
    while (sc->i < sc->n) {
        unsigned char c = sc_at(sc, 0);
        if (c == '"' || sc_template_open(sc, &kind))
            break;
        if (c == '\n')
            return sc_fail(sc, sc->i, "Unterminated template string");
        if (c == '\\' && sc->i + 1 < sc->n)
            sc->i += 2;
        else if ((c == '$' || c == '%') && sc_at(sc, 1) == c && sc_at(sc, 2) == '{')
            sc->i += 3;
        else
            sc->i++;
    }
    if (sc->i > start && sc_emit(sc, T_QLIT, start, sc->i) < 0)
        return CAIRN_ENOMEM;
    if (sc->i >= sc->n)
        return sc_fail(sc, start, "Unterminated template string");
    if (sc_at(sc, 0) == '"') {
        sc->depth--;
        sc->i++;
        return sc_emit(sc, T_CQUOTE, sc->i - 1, sc->i);
    }
    n = sc_template_open(sc, &kind);
    if (sc_emit(sc, kind, sc->i, sc->i + n) < 0)
        return CAIRN_ENOMEM;
    sc->i += n;
    return sc_push(sc, M_INTERP, NULL, 0);
}

/* Heredoc body: one literal token per line (split at interpolations), and
 * the closing marker line as one token with its leading whitespace. */
static int scan_heredoc(scanner *sc)
{
    scan_mode *m = &sc->stack[sc->depth - 1];
    size_t start = sc->i;
    int kind;
    size_t n;
    if (m->bol) {
        size_t eol = start, a, b;
        while (eol < sc->n && sc->s[eol] != '\n')
            eol++;
        a = start;
        b = eol;
        while (a < b && (sc->s[a] == ' ' || sc->s[a] == '\t'))
            a++;
        while (b > a && (sc->s[b - 1] == ' ' || sc->s[b - 1] == '\t' || sc->s[b - 1] == '\r'))
            b--;
        if (b - a == m->mlen && !memcmp(sc->s + a, m->marker, m->mlen)) {
            size_t end = eol;
            if (end > start && sc->s[end - 1] == '\r')
                end--;
            sc->depth--;
            sc->i = end;
            return sc_emit(sc, T_CHEREDOC, start, end);
        }
        if (eol >= sc->n)
            return sc_fail(sc, start, "Unterminated heredoc");
    }
    m->bol = 0;
    while (sc->i < sc->n && sc->s[sc->i] != '\n' && !sc_template_open(sc, &kind)) {
        unsigned char c = sc_at(sc, 0);
        if ((c == '$' || c == '%') && sc_at(sc, 1) == c && sc_at(sc, 2) == '{')
            sc->i += 3;
        else
            sc->i++;
    }
    if (sc->i >= sc->n)
        return sc_fail(sc, start, "Unterminated heredoc");
    if (sc->s[sc->i] == '\n') {
        sc->i++;
        m->bol = 1;
        return sc_emit(sc, T_SLIT, start, sc->i);
    }
    if (sc->i > start && sc_emit(sc, T_SLIT, start, sc->i) < 0)
        return CAIRN_ENOMEM;
    n = sc_template_open(sc, &kind);
    if (sc_emit(sc, kind, sc->i, sc->i + n) < 0)
        return CAIRN_ENOMEM;
    sc->i += n;
    return sc_push(sc, M_INTERP, NULL, 0);
}

/* Operators and punctuation: kind and length of the token at i, or 0. */
static size_t scan_punct(const scanner *sc, int *kind)
{
    static const struct { const char *s; int kind; } ops[] = {
        {"...", T_ELLIPSIS}, {"==", T_EQOP}, {"!=", T_NEQ}, {"<=", T_LE}, {">=", T_GE},
        {"&&", T_AND}, {"||", T_OR}, {"=>", T_ARROW}, {"::", T_DCOLON},
        {"(", T_OPAREN}, {")", T_CPAREN}, {"[", T_OBRACK}, {"]", T_CBRACK},
        {",", T_COMMA}, {".", T_DOT}, {"=", T_EQUAL}, {":", T_COLON}, {"?", T_QUESTION},
        {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH}, {"%", T_PERCENT},
        {"<", T_LT}, {">", T_GT}, {"!", T_BANG},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t l = strlen(ops[k].s);
        if (sc->i + l <= sc->n && !memcmp(sc->s + sc->i, ops[k].s, l)) {
            *kind = ops[k].kind;
            return l;
        }
    }
    return 0;
}

static size_t scan_number_len(const scanner *sc)
{
    size_t k = 0;
    while (is_digit(sc_at(sc, k)))
        k++;
    if (sc_at(sc, k) == '.' && is_digit(sc_at(sc, k + 1))) {
        k++;
        while (is_digit(sc_at(sc, k)))
            k++;
    }
    if (sc_at(sc, k) == 'e' || sc_at(sc, k) == 'E') {
        size_t e = k + 1;
        if (sc_at(sc, e) == '+' || sc_at(sc, e) == '-')
            e++;
        if (is_digit(sc_at(sc, e))) {
            while (is_digit(sc_at(sc, e)))
                e++;
            k = e;
        }
    }
    return k;
}

/* Comments: "#" and "//" run through the newline; block comments through
 * the closing star-slash.  Returns the length, 0 if none, or -1 if a block
 * comment is unterminated. */
static long scan_comment_len(const scanner *sc)
{
    unsigned char c = sc_at(sc, 0);
    size_t k;
    if (c == '#' || (c == '/' && sc_at(sc, 1) == '/')) {
        const char *nl = memchr(sc->s + sc->i, '\n', sc->n - sc->i);
        return nl ? (long)(nl - (sc->s + sc->i)) + 1 : (long)(sc->n - sc->i);
    }
    if (c != '/' || sc_at(sc, 1) != '*')
        return 0;
    for (k = 2; sc->i + k + 1 < sc->n; k++)
        if (sc->s[sc->i + k] == '*' && sc->s[sc->i + k + 1] == '/')
            return (long)k + 2;
    return -1;
}

static int scan_normal(scanner *sc)
{
    unsigned char c = sc_at(sc, 0);
    int top = sc->depth ? sc->stack[sc->depth - 1].kind : -1;
    size_t start = sc->i, n, ms = 0, ml = 0;
    long cl;
    int kind;

    if (c == ' ' || c == '\t') {
        sc->i++;
        return 0;
    }
    if (c == '\n' || (c == '\r' && sc_at(sc, 1) == '\n')) {
        sc->i += c == '\n' ? 1 : 2;
        return sc_emit(sc, T_NL, start, sc->i);
    }
    cl = scan_comment_len(sc);
    if (cl < 0)
        return sc_fail(sc, start, "Unterminated block comment");
    if (cl > 0) {
        sc->i += (size_t)cl;
        return sc_emit(sc, T_COMMENT, start, sc->i);
    }
    if (c == '"') {
        sc->i++;
        if (sc_emit(sc, T_OQUOTE, start, sc->i) < 0)
            return CAIRN_ENOMEM;
        return sc_push(sc, M_QUOTE, NULL, 0);
    }
    if (c == '{') {
        sc->i++;
        if (sc_emit(sc, T_OBRACE, start, sc->i) < 0)
            return CAIRN_ENOMEM;
        return sc_push(sc, M_BRACE, NULL, 0);
    }
    if (c == '}' || (c == '~' && sc_at(sc, 1) == '}' && top == M_INTERP)) {
        if (top != M_INTERP && top != M_BRACE)
            return sc_fail(sc, start, "Unbalanced closing brace");
        sc->i += c == '}' ? 1 : 2;
        sc->depth--;
        return sc_emit(sc, top == M_INTERP ? T_SEQEND : T_CBRACE, start, sc->i);
    }
    n = sc_heredoc_open(sc, &ms, &ml);
    if (n) {
        sc->i += n;
        if (sc_emit(sc, T_OHEREDOC, start, sc->i) < 0)
            return CAIRN_ENOMEM;
        return sc_push(sc, M_HEREDOC, sc->s + ms, ml);
    }
    if (is_digit(c)) {
        sc->i += scan_number_len(sc);
        return sc_emit(sc, T_NUMBER, start, sc->i);
    }
    if (is_ident_start(c)) {
        while (sc->i < sc->n && is_ident_char((unsigned char)sc->s[sc->i]))
            sc->i++;
        return sc_emit(sc, T_IDENT, start, sc->i);
    }
    n = scan_punct(sc, &kind);
    if (!n)
        return sc_fail(sc, start, "Invalid character");
    sc->i += n;
    return sc_emit(sc, kind, start, sc->i);
}

/* Tokenize src into out.  Returns 0, CAIRN_EDIAG (sc->err says why) or
 * CAIRN_ENOMEM. */
static int fmt_scan(scanner *sc, const char *src, size_t len, ftoks *out)
{
    int rc = 0;
    memset(sc, 0, sizeof *sc);
    sc->s = src;
    sc->n = len;
    sc->out = out;
    while (rc == 0 && sc->i < sc->n) {
        int top = sc->depth ? sc->stack[sc->depth - 1].kind : -1;
        if (top == M_QUOTE)
            rc = scan_quoted(sc);
        else if (top == M_HEREDOC)
            rc = scan_heredoc(sc);
        else
            rc = scan_normal(sc);
    }
    if (rc == 0 && sc->depth > 0) {
        int top = sc->stack[sc->depth - 1].kind;
        rc = sc_fail(sc, len, top == M_HEREDOC ? "Unterminated heredoc"
                              : top == M_QUOTE ? "Unterminated template string"
                                               : "Unclosed brace");
    }
    return rc;
}

/* ---- pass 2: terraform fmt's rewrites ------------------------------- */

static int bracket_change(int kind)
{
    switch (kind) {
    case T_OBRACE: case T_OBRACK: case T_OPAREN: case T_INTERP: case T_CONTROL:
        return 1;
    case T_CBRACE: case T_CBRACK: case T_CPAREN: case T_SEQEND:
        return -1;
    default:
        return 0;
    }
}

static int tok_is(const ftok *t, int kind, const char *text)
{
    return t->kind == kind && t->len == strlen(text) && !memcmp(t->p, text, t->len);
}

/* Whether v[0..n) is a quoted template holding exactly one interpolation
 * and nothing else, "${expr}"; sets *multiline if expr spans lines. */
/* Whether closer kind c closes opener kind o. */
static int closes(int o, int c)
{
    return (o == T_OBRACE && c == T_CBRACE) || (o == T_OBRACK && c == T_CBRACK) ||
           (o == T_OPAREN && c == T_CPAREN) ||
           ((o == T_INTERP || o == T_CONTROL) && c == T_SEQEND);
}

/* The brackets inside must nest properly (each closer matching its opener),
 * or unwrapping could change how the text scans: a file that does not
 * parse is left as it is. */
static int lone_interpolation(const ftok *v, size_t n, int *multiline)
{
    int stack[FMT_MAX_DEPTH];
    int depth = 0;
    if (n < 5 || v[0].kind != T_OQUOTE || !tok_is(&v[1], T_INTERP, "${") ||
        !tok_is(&v[n - 2], T_SEQEND, "}") || v[n - 1].kind != T_CQUOTE)
        return 0;
    for (size_t k = 1; k < n - 2; k++) {
        int b = bracket_change(v[k].kind);
        if (b > 0) {
            if (depth >= FMT_MAX_DEPTH)
                return 0;
            stack[depth++] = v[k].kind;
        } else if (b < 0) {
            if (depth <= 1 || !closes(stack[depth - 1], v[k].kind))
                return 0; /* closed early ("${a}${b}") or mismatched */
            depth--;
        }
        if (v[k].kind == T_NL || v[k].kind == T_COMMENT)
            *multiline = 1;
    }
    return depth == 1;
}

/* Append v[0..n) to out, rewritten if it is a lone interpolation "${x}"
 * (becomes x, parenthesised when x spans lines) or, for a variable's type,
 * a legacy type keyword. */
static int tf_value(ftoks *out, const ftok *v, size_t n, int is_type)
{
    static const struct { const char *from; const char *to[4]; } types[] = {
        {"string", {"string"}}, {"list", {"list", "(", "string", ")"}},
        {"map", {"map", "(", "string", ")"}},
    };
    static const int type_kinds[4] = {T_IDENT, T_OPAREN, T_IDENT, T_CPAREN};
    int multiline = 0, wrapped = 0;
    if (is_type && (n == 1 || n == 3)) {
        const ftok *w = n == 1 ? &v[0] : &v[1];
        int ok = n == 1 ? w->kind == T_IDENT
                        : v[0].kind == T_OQUOTE && w->kind == T_QLIT && v[2].kind == T_CQUOTE;
        for (size_t k = n == 1 ? 1 : 0; ok && k < 3; k++) {
            if (!tok_is(w, w->kind, types[k].from))
                continue;
            for (int j = 0; j < 4 && types[k].to[j]; j++)
                if (toks_push(out, type_kinds[j], types[k].to[j], strlen(types[k].to[j]),
                              w->off) < 0)
                    return CAIRN_ENOMEM;
            return 0;
        }
    }
    /* Unwrap repeatedly, so that "${"${x}"}" becomes x in one pass and
     * formatting stays idempotent. */
    while (lone_interpolation(v, n, &multiline)) {
        v += 2;
        n -= 4;
        wrapped = 1;
    }
    if (wrapped && multiline && toks_push(out, T_OPAREN, "(", 1, v[0].off) < 0)
        return CAIRN_ENOMEM;
    for (size_t k = 0; k < n; k++)
        if (toks_push(out, v[k].kind, v[k].p, v[k].len, v[k].off) < 0)
            return CAIRN_ENOMEM;
    if (wrapped && multiline && toks_push(out, T_CPAREN, ")", 1, v[n - 1].off) < 0)
        return CAIRN_ENOMEM;
    return 0;
}

/* Walk the body structure: at body level, "NAME = value NEWLINE" is an
 * attribute and "TYPE LABEL... {" opens a block.  Everything else is copied.
 * blocks[] remembers which open braces are blocks, and whether each is a
 * variable block. */
static int tf_rewrite(const ftoks *in, ftoks *out)
{
    unsigned char blocks[FMT_MAX_DEPTH]; /* 1 block, 2 variable block */
    int nb = 0;
    size_t i = 0;
    while (i < in->n) {
        const ftok *t = &in->t[i];
        size_t j = i, end, vend;
        int depth = 0;
        if (t->kind == T_CBRACE && nb > 0) {
            nb--;
            if (toks_push(out, t->kind, t->p, t->len, t->off) < 0)
                return CAIRN_ENOMEM;
            i++;
            continue;
        }
        if (t->kind != T_IDENT) {
            if (toks_push(out, t->kind, t->p, t->len, t->off) < 0)
                return CAIRN_ENOMEM;
            i++;
            continue;
        }
        if (i + 1 < in->n && in->t[i + 1].kind == T_EQUAL) {
            /* attribute: value runs to the newline at depth 0 */
            int is_type = nb > 0 && blocks[nb - 1] == 2 && tok_is(t, T_IDENT, "type");
            for (end = i + 2; end < in->n; end++) {
                int k = in->t[end].kind;
                if (depth <= 0 && (k == T_NL || (k == T_CBRACE && depth == 0)))
                    break;
                if (k == T_OHEREDOC)
                    depth++;
                else if (k == T_CHEREDOC)
                    depth--;
                else
                    depth += bracket_change(k);
            }
            vend = end;
            if (vend > i + 2 && in->t[vend - 1].kind == T_COMMENT)
                vend--;
            for (j = i; j < i + 2; j++)
                if (toks_push(out, in->t[j].kind, in->t[j].p, in->t[j].len, in->t[j].off) < 0)
                    return CAIRN_ENOMEM;
            if (tf_value(out, &in->t[i + 2], vend - (i + 2), is_type) < 0)
                return CAIRN_ENOMEM;
            for (j = vend; j < end; j++)
                if (toks_push(out, in->t[j].kind, in->t[j].p, in->t[j].len, in->t[j].off) < 0)
                    return CAIRN_ENOMEM;
            i = end;
            continue;
        }
        /* block header: labels then "{"; copy through the brace */
        for (j = i + 1; j < in->n; j++) {
            int k = in->t[j].kind;
            if (k != T_IDENT && k != T_OQUOTE && k != T_QLIT && k != T_CQUOTE)
                break;
        }
        if (j < in->n && in->t[j].kind == T_OBRACE && nb < FMT_MAX_DEPTH) {
            int is_var = nb == 0 && tok_is(t, T_IDENT, "variable");
            blocks[nb++] = is_var ? 2 : 1;
            end = j + 1;
        } else {
            end = i + 1;
        }
        for (; i < end; i++)
            if (toks_push(out, in->t[i].kind, in->t[i].p, in->t[i].len, in->t[i].off) < 0)
                return CAIRN_ENOMEM;
    }
    return 0;
}

/* ---- pass 3: layout -------------------------------------------------- */

/* One output line: tokens [first, lead_end) are the lead cell,
 * [lead_end, assign_end) the "= value" cell, [assign_end, end) the trailing
 * comment cell (at most one token).  nl is the newline token ending the
 * line, or -1 (last line, or a line comment that carries its newline). */
typedef struct fline {
    size_t first, lead_end, assign_end, end;
    long nl;
} fline;

static int is_template_part(int k)
{
    return k == T_QLIT || k == T_SLIT || k == T_OQUOTE || k == T_OHEREDOC;
}

/* Whether a space goes between subject and after; before is the token ahead
 * of subject in the same cell (or tok_nil). */
static int space_after(const ftok *before, const ftok *subject, const ftok *after)
{
    int s = subject->kind, a = after->kind;
    if (a == T_NL || a == T_NIL)
        return 0;
    if (s == T_IDENT && a == T_OPAREN)
        return 0;
    if ((s == T_IDENT && a == T_DCOLON) || (s == T_DCOLON && a == T_IDENT))
        return 0;
    if (s == T_DOT || a == T_DOT)
        return 0;
    if (a == T_COMMA || a == T_ELLIPSIS)
        return 0;
    if (s == T_COMMA)
        return 1;
    if (s == T_BANG)
        return 0;
    if (is_template_part(s) || a == T_QLIT || a == T_SLIT || a == T_CQUOTE || a == T_CHEREDOC)
        return 0;
    if (tok_is(subject, T_IDENT, "in") && before->kind == T_IDENT)
        return 1; /* "for x in [a]" keeps its space before the tuple */
    if (a == T_OBRACK &&
        (s == T_IDENT || s == T_NUMBER || bracket_change(s) < 0))
        return 0;
    if (s == T_MINUS) {
        switch (before->kind) {
        case T_NIL: case T_OPAREN: case T_OBRACE: case T_OBRACK: case T_EQUAL: case T_COLON:
        case T_COMMA: case T_QUESTION: case T_PLUS: case T_STAR: case T_SLASH: case T_PERCENT:
        case T_MINUS: case T_EQOP: case T_NEQ: case T_GT: case T_GE: case T_LT: case T_LE:
        case T_AND: case T_OR: case T_BANG:
            return 0; /* unary minus */
        default:
            return 1;
        }
    }
    if (s == T_OBRACE || a == T_CBRACE)
        return !(s == T_OBRACE && a == T_CBRACE);
    if ((s == T_INTERP || s == T_CONTROL) && a == T_OBRACE)
        return 1;
    if (s == T_CBRACE && a == T_SEQEND)
        return 1;
    if (s == T_SEQEND && (a == T_INTERP || a == T_CONTROL))
        return 0;
    if (bracket_change(s) > 0 || bracket_change(a) < 0)
        return 0;
    return 1;
}

/* Split tokens into lines; a heredoc (opener through closer) stays on the
 * line that opens it. */
static int make_lines(const ftoks *tk, fline **out, size_t *nout)
{
    fline *ls = NULL;
    size_t n = 0, cap = 0, i = 0, start = 0;
    while (i <= tk->n) {
        int end_line = i == tk->n;
        long nl = -1;
        size_t stop = i;
        if (!end_line && tk->t[i].kind == T_OHEREDOC) {
            int hd = 0;
            for (; i < tk->n; i++) {
                hd += tk->t[i].kind == T_OHEREDOC;
                hd -= tk->t[i].kind == T_CHEREDOC;
                if (hd == 0)
                    break;
            }
            i++;
            continue;
        }
        if (!end_line && tk->t[i].kind == T_NL) {
            end_line = 1;
            nl = (long)i;
        } else if (!end_line && tk->t[i].kind == T_COMMENT && tk->t[i].len &&
                   tk->t[i].p[tk->t[i].len - 1] == '\n') {
            end_line = 1;
            stop = i + 1;
        }
        if (!end_line) {
            i++;
            continue;
        }
        if (i == tk->n && start == tk->n)
            break;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            fline *nl2 = realloc(ls, ncap * sizeof *nl2);
            if (!nl2) {
                free(ls);
                return err_set(CAIRN_ENOMEM, "out of memory formatting");
            }
            ls = nl2;
            cap = ncap;
        }
        ls[n++] = (fline){start, stop, stop, stop, nl};
        i++;
        start = i;
    }
    *out = ls;
    *nout = n;
    return 0;
}

/* Net bracket change of tokens [a, b), stopping after a heredoc opener. */
static int net_brackets(const ftoks *tk, size_t a, size_t b)
{
    int net = 0;
    for (size_t k = a; k < b; k++) {
        net += bracket_change(tk->t[k].kind);
        if (tk->t[k].kind == T_OHEREDOC)
            break;
    }
    return net;
}

/* Split each line into lead, assign and comment cells. */
static void make_cells(const ftoks *tk, fline *l)
{
    size_t n = l->end - l->first;
    if (n > 1 && tk->t[l->end - 1].kind == T_COMMENT) {
        l->lead_end = l->end - 1;
        l->assign_end = l->end - 1;
    }
    for (size_t k = l->first + 1; k < l->lead_end; k++) {
        if (tk->t[k].kind != T_EQUAL)
            continue;
        if (net_brackets(tk, k, l->lead_end) == 0)
            l->lead_end = k;
        break;
    }
}

/* Indentation: two spaces per entry of a stack of bracket counts opened by
 * earlier lines. */
static int do_indent(ftoks *tk, fline *ls, size_t nl)
{
    int stack[FMT_MAX_DEPTH];
    int depth = 0;
    for (size_t i = 0; i < nl; i++) {
        fline *l = &ls[i];
        int net;
        if (l->first == l->end)
            continue;
        net = net_brackets(tk, l->first, l->lead_end) +
              net_brackets(tk, l->lead_end, l->assign_end);
        if (net > 0) {
            tk->t[l->first].spaces = 2 * depth;
            if (depth >= FMT_MAX_DEPTH)
                return err_set(CAIRN_ELIMIT, "nesting deeper than %d", FMT_MAX_DEPTH);
            stack[depth++] = net;
            continue;
        }
        for (int closing = -net; closing > 0 && depth > 0;) {
            if (closing >= stack[depth - 1]) {
                closing -= stack[depth - 1];
                depth--;
            } else {
                stack[depth - 1] -= closing;
                closing = 0;
            }
        }
        tk->t[l->first].spaces = 2 * depth;
    }
    return 0;
}

/* Whether printing prev and t with no space between would make them scan
 * as different tokens ("." "." "." becomes "...", "!" "=" becomes "!=",
 * "1" "." "5" becomes "1.5").  Never the case in valid files; this keeps
 * fmt from changing the tokens of files the parser would reject anyway. */
static int would_merge(const ftok *prev2, const ftok *prev, const ftok *t)
{
    if (prev->kind == T_DOT && (t->kind == T_DOT || t->kind == T_ELLIPSIS))
        return 1;
    if (prev->kind == T_BANG && (t->kind == T_EQUAL || t->kind == T_EQOP))
        return 1;
    return prev2->kind == T_NUMBER && prev->kind == T_DOT && t->kind == T_NUMBER;
}

static void do_spaces(ftoks *tk, const fline *l)
{
    size_t cells[4] = {l->first, l->lead_end, l->assign_end, l->end};
    for (int c = 0; c < 3; c++) {
        for (size_t k = cells[c] + 1; k < cells[c + 1]; k++) {
            const ftok *before = k - 1 > cells[c] ? &tk->t[k - 2] : &tok_nil;
            tk->t[k].spaces = space_after(before, &tk->t[k - 1], &tk->t[k]);
            if (tk->t[k].spaces == 0 &&
                would_merge(k - 1 > l->first ? &tk->t[k - 2] : &tok_nil, &tk->t[k - 1],
                            &tk->t[k]))
                tk->t[k].spaces = 1;
        }
    }
    if (l->lead_end < l->assign_end)
        tk->t[l->lead_end].spaces = 1;
}

/* Printed width of tokens [a, b) with their spaces, in characters (UTF-8
 * continuation bytes do not count). */
static size_t columns(const ftoks *tk, size_t a, size_t b)
{
    size_t w = 0;
    for (size_t k = a; k < b; k++) {
        w += (size_t)tk->t[k].spaces;
        for (uint32_t i = 0; i < tk->t[k].len; i++)
            w += ((unsigned char)tk->t[k].p[i] & 0xC0) != 0x80;
    }
    return w;
}

/* Align "=" (which == 0) or trailing comments (which == 1) within runs of
 * consecutive lines that have that cell. */
static void do_align(ftoks *tk, fline *ls, size_t nl, int which)
{
    size_t run = 0, maxw = 0;
    for (size_t i = 0; i <= nl; i++) {
        int has = 0;
        size_t w = 0;
        if (i < nl) {
            has = which == 0 ? ls[i].lead_end < ls[i].assign_end
                             : ls[i].assign_end < ls[i].end;
            w = columns(tk, ls[i].first, which == 0 ? ls[i].lead_end : ls[i].assign_end);
        }
        if (has) {
            if (w > maxw)
                maxw = w;
            continue;
        }
        for (size_t r = run; r < i; r++) {
            size_t at = which == 0 ? ls[r].lead_end : ls[r].assign_end;
            size_t wr = columns(tk, ls[r].first, at);
            tk->t[at].spaces = (int)(maxw - wr + 1);
        }
        run = i + 1;
        maxw = 0;
    }
}

static void put_spaces(strbuf *b, int n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        int k = n < (int)sizeof sp - 1 ? n : (int)sizeof sp - 1;
        sb_append(b, sp, (size_t)k);
        n -= k;
    }
}

static int layout(ftoks *tk, strbuf *b)
{
    fline *ls = NULL;
    size_t nl = 0;
    int rc = make_lines(tk, &ls, &nl);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < nl; i++) {
        make_cells(tk, &ls[i]);
        do_spaces(tk, &ls[i]);
    }
    rc = do_indent(tk, ls, nl);
    if (rc == 0) {
        do_align(tk, ls, nl, 0);
        do_align(tk, ls, nl, 1);
        for (size_t i = 0; i < nl; i++) {
            for (size_t k = ls[i].first; k < ls[i].end; k++) {
                put_spaces(b, tk->t[k].spaces);
                sb_append(b, tk->t[k].p, tk->t[k].len);
            }
            if (ls[i].nl >= 0)
                sb_append(b, tk->t[ls[i].nl].p, tk->t[ls[i].nl].len);
        }
        if (b->failed)
            rc = err_set(CAIRN_ENOMEM, "out of memory formatting");
    }
    free(ls);
    return rc;
}

/* The formatted text must scan to exactly the tokens it was printed from
 * (kinds and bytes): whitespace is all fmt may change.  A mismatch is a
 * formatter bug; refuse rather than write a file that means something
 * else. */
static int same_tokens(scanner *sc, const ftoks *want, const char *text, size_t len)
{
    ftoks got = {0};
    int rc = fmt_scan(sc, text, len, &got);
    if (rc == 0 && got.n != want->n)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < got.n; i++)
        if (got.t[i].kind != want->t[i].kind || got.t[i].len != want->t[i].len ||
            memcmp(got.t[i].p, want->t[i].p, got.t[i].len) != 0)
            rc = -1;
    free(got.t);
    if (rc == CAIRN_ENOMEM)
        return rc;
    if (rc != 0)
        return err_set(CAIRN_EINVAL, "fmt: internal error: formatting would change the "
                                     "tokens of the file; it was left unchanged");
    return 0;
}

int fmt_format(src_file *f, unsigned flags, char **out, size_t *outlen, diag_list *diags)
{
    scanner *sc = NULL;
    ftoks raw = {0}, tf = {0}, *use = &raw;
    strbuf b = {0};
    int rc;
    *out = NULL;
    *outlen = 0;
    if (f->len > SRC_MAX_FILE_SIZE)
        return err_set(CAIRN_ELIMIT, "%s: larger than %u bytes", f->name, SRC_MAX_FILE_SIZE);
    sc = malloc(sizeof *sc);
    if (!sc)
        return err_set(CAIRN_ENOMEM, "out of memory formatting");
    rc = fmt_scan(sc, f->text, f->len, &raw);
    if (rc == CAIRN_EDIAG) {
        srange r = {f, (uint32_t)sc->err_off, (uint32_t)sc->err_off};
        if (r.end < f->len)
            r.end++;
        diag_add(diags, DIAG_ERROR, r, sc->err, NULL);
        goto fail;
    }
    if (rc < 0)
        goto fail;
    if (flags & FMT_TERRAFORM) {
        rc = tf_rewrite(&raw, &tf);
        if (rc < 0)
            goto fail;
        use = &tf;
    }
    rc = layout(use, &b);
    if (rc < 0)
        goto fail;
    rc = same_tokens(sc, use, b.s ? b.s : "", b.len);
    if (rc < 0)
        goto fail;
    /* Whitespace after the last token of a file without a final newline is
     * kept, as one space per byte (hclwrite does the same). */
    if (raw.n) {
        const ftok *last = &raw.t[raw.n - 1];
        size_t end = (size_t)(last->p - f->text) + last->len;
        put_spaces(&b, (int)(f->len - end));
    } else {
        put_spaces(&b, (int)f->len);
    }
    *outlen = b.len;
    *out = sb_take(&b);
    if (!*out)
        rc = err_set(CAIRN_ENOMEM, "out of memory formatting");
fail:
    free(sc);
    free(raw.t);
    free(tf.t);
    sb_free(&b);
    return rc;
}
