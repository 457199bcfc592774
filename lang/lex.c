/*
 * lang/lex.c — the modal lexer for HCL2 native syntax (see lang/lex.h).
 *
 * A stack of modes drives the scan: the root mode (normal, or template for
 * template files), quoted templates, heredocs, and interpolation frames
 * (normal mode inside a template, counting braces so the `}` that closes
 * the sequence is told apart from an object's).  Every byte of the file is
 * either inside a token or horizontal whitespace between tokens.
 */
#include "lang/lex.h"

#include <stdlib.h>
#include <string.h>

enum frame_kind { FR_NORMAL, FR_QUOTED, FR_HEREDOC, FR_INTERP, FR_TEMPLATE_FILE };

typedef struct frame {
    enum frame_kind kind;
    uint32_t braces;        /* FR_INTERP: open { not yet closed */
    uint32_t dstart, dlen;  /* FR_HEREDOC: delimiter in the text */
    uint32_t open;          /* where the string / heredoc began */
    int line_start;         /* FR_HEREDOC / TEMPLATE_FILE: at start of a line */
} frame;

typedef struct lexer {
    src_file *f;
    const char *s;
    uint32_t len, pos;
    lex_tokens *out;
    diag_list *diags;
    frame *st;
    size_t nst, capst;
    int err;
} lexer;

static const char *kind_names[LEX_NKINDS] = {
    [LEX_EOF] = "end of file", [LEX_NEWLINE] = "newline", [LEX_COMMENT] = "comment",
    [LEX_IDENT] = "identifier", [LEX_NUMBER] = "number",
    [LEX_OBRACE] = "\"{\"", [LEX_CBRACE] = "\"}\"", [LEX_OBRACK] = "\"[\"",
    [LEX_CBRACK] = "\"]\"", [LEX_OPAREN] = "\"(\"", [LEX_CPAREN] = "\")\"",
    [LEX_OQUOTE] = "opening quote", [LEX_CQUOTE] = "closing quote",
    [LEX_QUOTED_LIT] = "string literal", [LEX_OHEREDOC] = "heredoc opener",
    [LEX_CHEREDOC] = "heredoc end marker", [LEX_STRING_LIT] = "string literal",
    [LEX_TEMPLATE_INTERP] = "\"${\"", [LEX_TEMPLATE_CONTROL] = "\"%{\"",
    [LEX_TEMPLATE_SEQ_END] = "end of template sequence",
    [LEX_STAR] = "\"*\"", [LEX_SLASH] = "\"/\"", [LEX_PLUS] = "\"+\"",
    [LEX_MINUS] = "\"-\"", [LEX_PERCENT] = "\"%\"", [LEX_EQUAL] = "\"=\"",
    [LEX_EQUALOP] = "\"==\"", [LEX_NOTEQUAL] = "\"!=\"", [LEX_LT] = "\"<\"",
    [LEX_LE] = "\"<=\"", [LEX_GT] = "\">\"", [LEX_GE] = "\">=\"", [LEX_AND] = "\"&&\"",
    [LEX_OR] = "\"||\"", [LEX_BANG] = "\"!\"", [LEX_DOT] = "\".\"", [LEX_COMMA] = "\",\"",
    [LEX_ELLIPSIS] = "\"...\"", [LEX_FATARROW] = "\"=>\"", [LEX_QUESTION] = "\"?\"",
    [LEX_COLON] = "\":\"", [LEX_DCOLON] = "\"::\"",
    [LEX_INVALID] = "invalid character", [LEX_BAD_UTF8] = "invalid UTF-8 byte",
};

const char *lex_kind_name(enum lex_kind k)
{
    if ((unsigned)k >= LEX_NKINDS || !kind_names[k])
        return "token";
    return kind_names[k];
}

int lex_is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int lex_is_ident_char(int c)
{
    return lex_is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

void lex_tokens_free(lex_tokens *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static srange rng(lexer *lx, uint32_t a, uint32_t b)
{
    return (srange){lx->f, a, b};
}

/* Append a token; on failure remember the error and drop it. */
static void emit(lexer *lx, enum lex_kind k, uint32_t a, uint32_t b)
{
    lex_tokens *t = lx->out;
    if (lx->err)
        return;
    if (t->n >= LEX_MAX_TOKENS) {
        lx->err = err_set(CAIRN_ELIMIT, "more than %u tokens", LEX_MAX_TOKENS);
        diag_add(lx->diags, DIAG_ERROR, rng(lx, a, b), "Too many tokens",
                 "This file has more than %u tokens (LEX_MAX_TOKENS).", LEX_MAX_TOKENS);
        return;
    }
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 256;
        lex_token *nv = realloc(t->v, nc * sizeof *nv);
        if (!nv) {
            lx->err = err_set(CAIRN_ENOMEM, "out of memory lexing %s", lx->f->name);
            return;
        }
        t->v = nv;
        t->cap = nc;
    }
    t->v[t->n++] = (lex_token){k, a, b};
}

static void push(lexer *lx, frame fr)
{
    if (lx->nst == lx->capst) {
        size_t nc = lx->capst ? lx->capst * 2 : 16;
        frame *nv = realloc(lx->st, nc * sizeof *nv);
        if (!nv) {
            lx->err = err_set(CAIRN_ENOMEM, "out of memory lexing %s", lx->f->name);
            return;
        }
        lx->st = nv;
        lx->capst = nc;
    }
    lx->st[lx->nst++] = fr;
}

static frame *top(lexer *lx)
{
    return &lx->st[lx->nst - 1];
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static int utf8_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    int n;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4;
    else
        return 0;
    if ((size_t)n > avail)
        return 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && c == 0xe0 && p[1] < 0xa0)
        return 0;
    if (n == 3 && c == 0xed && p[1] >= 0xa0)
        return 0;
    if (n == 4 && c == 0xf0 && p[1] < 0x90)
        return 0;
    if (n == 4 && c == 0xf4 && p[1] >= 0x90)
        return 0;
    return n;
}

static void bad_utf8(lexer *lx, uint32_t at)
{
    diag_add(lx->diags, DIAG_ERROR, rng(lx, at, at + 1), "Invalid character encoding",
             "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is "
             "selected in your editor.");
}

/* Advance over literal text bytes from pos up to stop; validates UTF-8. */
static uint32_t skip_utf8_char(lexer *lx, uint32_t i)
{
    int n = utf8_len((const unsigned char *)lx->s + i, lx->len - i);
    if (n == 0) {
        bad_utf8(lx, i);
        return i + 1;
    }
    return i + (uint32_t)n;
}

static int at(lexer *lx, uint32_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= lx->len && memcmp(lx->s + i, lit, n) == 0;
}

/* `${` / `%{` (with optional ~) at i: emits the token, pushes an interp
 * frame, returns 1. */
static int template_seq(lexer *lx, uint32_t i)
{
    char c = lx->s[i];
    if ((c != '$' && c != '%') || i + 1 >= lx->len || lx->s[i + 1] != '{')
        return 0;
    uint32_t e = i + 2;
    if (e < lx->len && lx->s[e] == '~')
        e++;
    emit(lx, c == '$' ? LEX_TEMPLATE_INTERP : LEX_TEMPLATE_CONTROL, i, e);
    push(lx, (frame){.kind = FR_INTERP, .open = i});
    lx->pos = e;
    return 1;
}

/* Literal escape `$${` or `%%{` at i: length 3, else 0. */
static int literal_escape(lexer *lx, uint32_t i)
{
    if (at(lx, i, "$${") || at(lx, i, "%%{"))
        return 3;
    return 0;
}

/* One step in a quoted template. */
static void lex_quoted(lexer *lx)
{
    uint32_t i = lx->pos;
    char c = lx->s[i];
    if (c == '"') {
        emit(lx, LEX_CQUOTE, i, i + 1);
        lx->nst--;
        lx->pos = i + 1;
        return;
    }
    if (c == '\n' || (c == '\r' && i + 1 < lx->len && lx->s[i + 1] == '\n')) {
        /* A newline ends the string: report it and resume in the enclosing
         * mode so the next line parses normally. */
        uint32_t e = i + (c == '\r' ? 2 : 1);
        diag_add(lx->diags, DIAG_ERROR, rng(lx, i, e), "Invalid multi-line string",
                 "Quoted strings may not be split over multiple lines. To produce a "
                 "multi-line string, either use the \\n escape to represent a newline "
                 "character or use the \"heredoc\" multi-line template syntax.");
        lx->nst--;
        /* an interpolation left open inside a string ends with it too */
        while (lx->nst > 2 && top(lx)->kind == FR_INTERP &&
               lx->st[lx->nst - 2].kind == FR_QUOTED)
            lx->nst -= 2;
        return;
    }
    if (template_seq(lx, i))
        return;
    uint32_t start = i;
    while (i < lx->len) {
        c = lx->s[i];
        if (c == '"' || c == '\n' || (c == '\r' && i + 1 < lx->len && lx->s[i + 1] == '\n'))
            break;
        int esc = literal_escape(lx, i);
        if (esc) {
            i += (uint32_t)esc;
            continue;
        }
        if ((c == '$' || c == '%') && i + 1 < lx->len && lx->s[i + 1] == '{')
            break;
        if (c == '\\' && i + 1 < lx->len && lx->s[i + 1] != '\n' && lx->s[i + 1] != '\r') {
            i = skip_utf8_char(lx, i + 1);
            continue;
        }
        i = skip_utf8_char(lx, i);
    }
    emit(lx, LEX_QUOTED_LIT, start, i);
    lx->pos = i;
}

/* Whether the line at i is the heredoc's closing marker; *end gets the end
 * of the delimiter. */
static int heredoc_end_line(lexer *lx, frame *fr, uint32_t i, uint32_t *end)
{
    while (i < lx->len && (lx->s[i] == ' ' || lx->s[i] == '\t'))
        i++;
    if (i + fr->dlen > lx->len || memcmp(lx->s + i, lx->s + fr->dstart, fr->dlen) != 0)
        return 0;
    uint32_t e = i + fr->dlen;
    if (e < lx->len && lx->s[e] != '\n' && !(lx->s[e] == '\r' && e + 1 < lx->len &&
                                             lx->s[e + 1] == '\n'))
        return 0;
    *end = e;
    return 1;
}

/* One step in a heredoc or a template file. */
static void lex_heredoc(lexer *lx)
{
    frame *fr = top(lx);
    uint32_t i = lx->pos, end;
    if (fr->kind == FR_HEREDOC && fr->line_start && heredoc_end_line(lx, fr, i, &end)) {
        emit(lx, LEX_CHEREDOC, i, end);
        lx->nst--;
        lx->pos = end;
        return;
    }
    fr->line_start = 0;
    if (template_seq(lx, i))
        return;
    uint32_t start = i;
    while (i < lx->len) {
        char c = lx->s[i];
        if (c == '\n') {
            i++;
            fr->line_start = 1;
            break;
        }
        int esc = literal_escape(lx, i);
        if (esc) {
            i += (uint32_t)esc;
            continue;
        }
        if ((c == '$' || c == '%') && i + 1 < lx->len && lx->s[i + 1] == '{')
            break;
        i = skip_utf8_char(lx, i);
    }
    emit(lx, LEX_STRING_LIT, start, i);
    lx->pos = i;
}

/* `<<EOT` or `<<-EOT` followed by a newline at i: emit and push. */
static int heredoc_open(lexer *lx, uint32_t i)
{
    uint32_t j = i + 2;
    int flush = 0;
    if (j < lx->len && lx->s[j] == '-') {
        flush = 1;
        j++;
    }
    uint32_t ds = j;
    if (j >= lx->len || !lex_is_ident_start((unsigned char)lx->s[j]))
        return 0;
    while (j < lx->len && lex_is_ident_char((unsigned char)lx->s[j]))
        j++;
    uint32_t de = j;
    if (j < lx->len && lx->s[j] == '\r' && j + 1 < lx->len && lx->s[j + 1] == '\n')
        j += 2;
    else if (j < lx->len && lx->s[j] == '\n')
        j++;
    else
        return 0;
    (void)flush;
    emit(lx, LEX_OHEREDOC, i, j);
    push(lx, (frame){.kind = FR_HEREDOC, .dstart = ds, .dlen = de - ds, .open = i,
                     .line_start = 1});
    lx->pos = j;
    return 1;
}

static void lex_number(lexer *lx)
{
    const char *s = lx->s;
    uint32_t i = lx->pos, n = lx->len;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        uint32_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < n && s[j] >= '0' && s[j] <= '9') {
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            i = j;
        }
    }
    emit(lx, LEX_NUMBER, lx->pos, i);
    lx->pos = i;
}

static void lex_ident(lexer *lx)
{
    uint32_t i = lx->pos;
    while (i < lx->len) {
        unsigned char c = (unsigned char)lx->s[i];
        if (c >= 0x80) {
            int n = utf8_len((const unsigned char *)lx->s + i, lx->len - i);
            if (n == 0)
                break;
            i += (uint32_t)n;
        } else if (lex_is_ident_char(c)) {
            i++;
        } else {
            break;
        }
    }
    emit(lx, LEX_IDENT, lx->pos, i);
    lx->pos = i;
}

/* Two-character and one-character operators. */
static int lex_operator(lexer *lx)
{
    static const struct { const char *s; enum lex_kind k; } ops[] = {
        {"...", LEX_ELLIPSIS}, {"==", LEX_EQUALOP}, {"!=", LEX_NOTEQUAL},
        {"<=", LEX_LE}, {">=", LEX_GE}, {"&&", LEX_AND}, {"||", LEX_OR},
        {"=>", LEX_FATARROW}, {"::", LEX_DCOLON},
        {"*", LEX_STAR}, {"/", LEX_SLASH}, {"+", LEX_PLUS}, {"-", LEX_MINUS},
        {"%", LEX_PERCENT}, {"=", LEX_EQUAL}, {"<", LEX_LT}, {">", LEX_GT},
        {"!", LEX_BANG}, {".", LEX_DOT}, {",", LEX_COMMA}, {"?", LEX_QUESTION},
        {":", LEX_COLON}, {"[", LEX_OBRACK}, {"]", LEX_CBRACK}, {"(", LEX_OPAREN},
        {")", LEX_CPAREN},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        if (at(lx, lx->pos, ops[k].s)) {
            uint32_t e = lx->pos + (uint32_t)strlen(ops[k].s);
            emit(lx, ops[k].k, lx->pos, e);
            lx->pos = e;
            return 1;
        }
    }
    return 0;
}

/* Comments; returns 1 if one was consumed. */
static int lex_comment(lexer *lx)
{
    uint32_t i = lx->pos;
    if (lx->s[i] == '#' || at(lx, i, "//")) {
        uint32_t e = i;
        while (e < lx->len && lx->s[e] != '\n' &&
               !(lx->s[e] == '\r' && e + 1 < lx->len && lx->s[e + 1] == '\n'))
            e = skip_utf8_char(lx, e);
        emit(lx, LEX_COMMENT, i, e);
        lx->pos = e;
        return 1;
    }
    if (at(lx, i, "/*")) {
        const char *e = NULL;
        for (uint32_t j = i + 2; j + 1 < lx->len; j++) {
            if (lx->s[j] == '*' && lx->s[j + 1] == '/') {
                e = lx->s + j + 2;
                break;
            }
        }
        if (!e)
            return 0;   /* unterminated: lexed as "/" "*" like HCL does */
        emit(lx, LEX_COMMENT, i, (uint32_t)(e - lx->s));
        lx->pos = (uint32_t)(e - lx->s);
        return 1;
    }
    return 0;
}

/* One step in normal mode (root or inside an interpolation). */
static void lex_normal(lexer *lx)
{
    uint32_t i = lx->pos;
    unsigned char c = (unsigned char)lx->s[i];
    frame *fr = top(lx);
    if (c == ' ' || c == '\t' || (c == '\r' && !(i + 1 < lx->len && lx->s[i + 1] == '\n'))) {
        lx->pos++;
        return;
    }
    if (c == '\n' || c == '\r') {
        uint32_t e = i + (c == '\r' ? 2 : 1);
        emit(lx, LEX_NEWLINE, i, e);
        lx->pos = e;
        return;
    }
    if (lex_comment(lx))
        return;
    if (c >= '0' && c <= '9') {
        lex_number(lx);
        return;
    }
    if (lex_is_ident_start(c)) {
        lex_ident(lx);
        return;
    }
    if (c >= 0x80) {
        if (utf8_len((const unsigned char *)lx->s + i, lx->len - i) == 0) {
            bad_utf8(lx, i);
            emit(lx, LEX_BAD_UTF8, i, i + 1);
            lx->pos = i + 1;
            return;
        }
        lex_ident(lx);
        return;
    }
    switch (c) {
    case '"':
        emit(lx, LEX_OQUOTE, i, i + 1);
        push(lx, (frame){.kind = FR_QUOTED, .open = i});
        lx->pos = i + 1;
        return;
    case '{':
        emit(lx, LEX_OBRACE, i, i + 1);
        if (fr->kind == FR_INTERP)
            fr->braces++;
        lx->pos = i + 1;
        return;
    case '}':
        if (fr->kind == FR_INTERP && fr->braces == 0) {
            emit(lx, LEX_TEMPLATE_SEQ_END, i, i + 1);
            lx->nst--;
        } else {
            emit(lx, LEX_CBRACE, i, i + 1);
            if (fr->kind == FR_INTERP)
                fr->braces--;
        }
        lx->pos = i + 1;
        return;
    case '~':
        if (fr->kind == FR_INTERP && fr->braces == 0 && i + 1 < lx->len &&
            lx->s[i + 1] == '}') {
            emit(lx, LEX_TEMPLATE_SEQ_END, i, i + 2);
            lx->nst--;
            lx->pos = i + 2;
            return;
        }
        break;
    case '<':
        if (i + 1 < lx->len && lx->s[i + 1] == '<' && heredoc_open(lx, i))
            return;
        break;
    default:
        break;
    }
    if (lex_operator(lx))
        return;
    emit(lx, LEX_INVALID, i, i + 1);
    lx->pos = i + 1;
}

/* At end of file: report what is still open. */
static void unclosed(lexer *lx)
{
    for (size_t k = lx->nst; k-- > 1;) {
        frame *fr = &lx->st[k];
        if (fr->kind == FR_QUOTED || fr->kind == FR_HEREDOC) {
            diag_add(lx->diags, DIAG_ERROR, rng(lx, lx->len, lx->len),
                     "Unterminated template string",
                     "No closing marker was found for the string.");
            break;
        }
    }
}

int lex_run(src_file *f, enum lex_mode mode, lex_tokens *out, diag_list *diags)
{
    diag_list scratch = {0};
    lexer lx = {.f = f, .s = f->text, .len = (uint32_t)f->len, .out = out,
                .diags = diags ? diags : &scratch};
    push(&lx, (frame){.kind = mode == LEX_MODE_TEMPLATE ? FR_TEMPLATE_FILE : FR_NORMAL,
                      .line_start = 1});
    while (!lx.err && lx.pos < lx.len) {
        switch (top(&lx)->kind) {
        case FR_NORMAL:
        case FR_INTERP:
            lex_normal(&lx);
            break;
        case FR_QUOTED:
            lex_quoted(&lx);
            break;
        case FR_HEREDOC:
        case FR_TEMPLATE_FILE:
            lex_heredoc(&lx);
            break;
        }
    }
    if (!lx.err)
        unclosed(&lx);
    emit(&lx, LEX_EOF, lx.len, lx.len);
    free(lx.st);
    diag_list_free(&scratch);
    return lx.err;
}
