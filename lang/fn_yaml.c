/*
 * lang/fn_yaml.c — yamlencode, producing the text Terraform's yamlencode
 * (go-cty-yaml over the libyaml emitter port) produces: block style with
 * two-space indentation, sequences inside mappings not indented, keys and
 * strings double-quoted, multi-line strings as literal blocks ("|", "|-",
 * "|+") when the emitter allows it, long double-quoted strings folded at
 * column 80, plain numbers/bools/null, "..." after a top-level plain
 * scalar.
 */
#include "lang/fn_int.h"

#include <string.h>

#define YAML_BEST_WIDTH 80
#define YAML_INDENT 2

typedef struct yaml_out {
    strbuf *b;
    int column;      /* characters on the current line */
} yaml_out;

static void y_put(yaml_out *y, const char *s, size_t n)
{
    sb_append(y->b, s, n);
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            y->column++;
}

static void y_puts(yaml_out *y, const char *s)
{
    y_put(y, s, strlen(s));
}

static void y_break(yaml_out *y)
{
    sb_putc(y->b, '\n');
    y->column = 0;
}

static void y_indent(yaml_out *y, int ind)
{
    while (y->column < ind) {
        sb_putc(y->b, ' ');
        y->column++;
    }
}

/* libyaml's IS_PRINTABLE with unicode output enabled. */
static int y_printable(unsigned cp)
{
    return cp == 0x0A || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
           (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

static int y_is_break(unsigned cp)
{
    return cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* Whether libyaml would allow a block (literal) scalar for s. */
static int y_block_allowed(const char *s, size_t n)
{
    size_t i = 0;
    unsigned prev = 0;
    int first = 1;
    while (i < n) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + i, n - i, &cp);
        if (!y_printable(cp) || cp == 0xFEFF)
            return 0;   /* special characters */
        if (!first && prev == ' ' && y_is_break(cp))
            return 0;   /* space followed by a break */
        prev = cp;
        first = 0;
        i += k;
    }
    return !(n > 0 && s[n - 1] == ' ');   /* trailing space */
}

static void y_escape(yaml_out *y, unsigned cp)
{
    char t[16];
    switch (cp) {
    case 0: y_puts(y, "\\0"); return;
    case 0x07: y_puts(y, "\\a"); return;
    case 0x08: y_puts(y, "\\b"); return;
    case 0x09: y_puts(y, "\\t"); return;
    case 0x0A: y_puts(y, "\\n"); return;
    case 0x0B: y_puts(y, "\\v"); return;
    case 0x0C: y_puts(y, "\\f"); return;
    case 0x0D: y_puts(y, "\\r"); return;
    case 0x1B: y_puts(y, "\\e"); return;
    case '"': y_puts(y, "\\\""); return;
    case '\\': y_puts(y, "\\\\"); return;
    case 0x85: y_puts(y, "\\N"); return;
    case 0xA0: y_puts(y, "\\_"); return;
    case 0x2028: y_puts(y, "\\L"); return;
    case 0x2029: y_puts(y, "\\P"); return;
    default: break;
    }
    if (cp <= 0xFF)
        snprintf(t, sizeof t, "\\x%02X", cp);
    else if (cp <= 0xFFFF)
        snprintf(t, sizeof t, "\\u%04X", cp);
    else
        snprintf(t, sizeof t, "\\U%08X", cp);
    y_puts(y, t);
}

/* Double-quoted scalar; breaks: fold long lines at spaces (values). */
static void y_double_quoted(yaml_out *y, const char *s, size_t n, int indent, int breaks)
{
    int spaces = 0;
    size_t i = 0;
    y_puts(y, "\"");
    while (i < n) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + i, n - i, &cp);
        if (!y_printable(cp) || cp == 0xFEFF || y_is_break(cp) || cp == '"' || cp == '\\') {
            y_escape(y, cp);
            spaces = 0;
        } else if (cp == ' ') {
            if (breaks && !spaces && y->column > YAML_BEST_WIDTH && i != 0 && i != n - 1) {
                y_break(y);
                y_indent(y, indent);
                if (i + 1 < n && s[i + 1] == ' ')
                    y_puts(y, "\\");
            } else {
                y_put(y, s + i, k);
            }
            spaces = 1;
        } else {
            y_put(y, s + i, k);
            spaces = 0;
        }
        i += k;
    }
    y_puts(y, "\"");
}

/* Literal block scalar ("|" with hints) at indentation indent. */
static void y_literal(yaml_out *y, const char *s, size_t n, int indent)
{
    int ws = y->b->len == 0 || y->b->s[y->b->len - 1] == ' ' || y->b->s[y->b->len - 1] == '\n';
    y_puts(y, ws ? "|" : " |");
    if (n > 0 && (s[0] == ' ' || s[0] == '\n' || s[0] == '\r')) {
        char h[4];
        snprintf(h, sizeof h, "%d", YAML_INDENT);
        y_puts(y, h);
    }
    if (n == 0 || s[n - 1] != '\n')
        y_puts(y, "-");
    else if (n == 1 || s[n - 2] == '\n')
        y_puts(y, "+");
    y_break(y);
    int brk = 1;
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + i, n - i, &cp);
        if (y_is_break(cp)) {
            y_break(y);
            brk = 1;
        } else {
            if (brk)
                y_indent(y, indent);
            y_put(y, s + i, k);
            brk = 0;
        }
        i += k;
    }
}

static void y_string(yaml_out *y, const char *s, size_t n, int indent)
{
    if (memchr(s, '\n', n) && y_block_allowed(s, n))
        y_literal(y, s, n, indent);
    else
        y_double_quoted(y, s, n, indent, 1);
}

static int y_is_block(val v)
{
    enum val_kind k = val_kind(v);
    return !val_is_null(v) && (k == VAL_LIST || k == VAL_SET || k == VAL_TUPLE ||
                               k == VAL_MAP || k == VAL_OBJECT) && val_len(v) > 0;
}

/* A scalar (or empty collection) value; indent is where continuation
 * lines of the scalar go. */
static void y_scalar(yaml_out *y, val v, int indent)
{
    enum val_kind k = val_kind(v);
    if (val_is_null(v)) {
        y_puts(y, "null");
    } else if (k == VAL_BOOL) {
        y_puts(y, val_get_bool(v) ? "true" : "false");
    } else if (k == VAL_NUMBER) {
        char nb[VAL_NUMBER_BUF];
        double x = val_get_number(v);
        if (x != x)
            y_puts(y, ".nan");
        else if (x > 1.7e308)
            y_puts(y, "+Inf");
        else if (x < -1.7e308)
            y_puts(y, "-Inf");
        else {
            val_number_fmt(x, nb, sizeof nb);
            y_puts(y, nb);
        }
    } else if (k == VAL_STRING) {
        y_string(y, val_get_string(v), val_string_len(v), indent);
    } else if (k == VAL_MAP || k == VAL_OBJECT) {
        y_puts(y, "{}");
    } else {
        y_puts(y, "[]");
    }
}

/* A non-empty block collection whose entries start at column ind.  When
 * inline is set the first entry continues the current line ("- - x"). */
static void y_block(yaml_out *y, val v, int ind, int inl)
{
    enum val_kind k = val_kind(v);
    int is_map = k == VAL_MAP || k == VAL_OBJECT;
    for (size_t i = 0; i < val_len(v); i++) {
        if (i > 0 || !inl) {
            if (y->column > 0)
                y_break(y);
            y_indent(y, ind);
        }
        val x = *val_at(v, i);
        if (is_map) {
            const char *key = val_key_at(v, i);
            y_double_quoted(y, key, strlen(key), ind + YAML_INDENT, 0);
            y_puts(y, ":");
            if (y_is_block(x)) {
                enum val_kind xk = val_kind(x);
                /* sequences inside mappings are not indented */
                y_block(y, x, xk == VAL_MAP || xk == VAL_OBJECT ? ind + YAML_INDENT : ind, 0);
            } else {
                y_puts(y, " ");
                y_scalar(y, x, ind + YAML_INDENT);
            }
        } else {
            y_puts(y, "- ");
            if (y_is_block(x))
                y_block(y, x, ind + YAML_INDENT, 1);
            else
                y_scalar(y, x, ind + YAML_INDENT);
        }
    }
}

val fn_yamlencode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_string());
    strbuf b = {0};
    yaml_out y = {&b, 0};
    val v = a[0];
    if (y_is_block(v)) {
        y_block(&y, v, 0, 0);
        if (y.column > 0)
            y_break(&y);
    } else {
        enum val_kind k = val_kind(v);
        y_scalar(&y, v, YAML_INDENT);
        if (y.column > 0)
            y_break(&y);
        /* plain scalars and "|+" blocks leave the document open-ended */
        int plain = val_is_null(v) || k == VAL_BOOL || k == VAL_NUMBER;
        int keep = k == VAL_STRING && !val_is_null(v) && b.len >= 2 &&
                   strncmp(b.s, "|+", 2) == 0;
        if (plain || keep)
            sb_puts(&b, "...\n");
    }
    return fn_sb_val(&b, e);
}
