/*
 * lang/val_fmt.c — `terraform console` value and type printing (see
 * lang/val_fmt.h).  Follows Terraform's repl.FormatValue rule for rule:
 * unknown first, then sensitive (the value's own mark only), then null
 * with its type hint, then the value by type.
 */
#include "lang/val_fmt.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- quoting */

static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, *cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, *cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, *cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3f);
    }
    if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
        return 0;
    return len;
}

#include "lang/val_fmt_print.h"

/* Go's strconv.IsPrint for a code point >= 0x80 (binary search of the
 * non-printable ranges). */
static int go_isprint(unsigned cp)
{
    size_t lo = 0, hi = sizeof val_fmt_nonprint / sizeof val_fmt_nonprint[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < val_fmt_nonprint[mid][0])
            hi = mid;
        else if (cp > val_fmt_nonprint[mid][1])
            lo = mid + 1;
        else
            return 0;
    }
    return 1;
}

void val_fmt_quote(strbuf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    sb_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            sb_putc(b, (char)c);
            i++;
            continue;
        }
        if (c < 0x80) {
            switch (c) {
            case '"': sb_puts(b, "\\\""); break;
            case '\\': sb_puts(b, "\\\\"); break;
            case '\a': sb_puts(b, "\\a"); break;
            case '\b': sb_puts(b, "\\b"); break;
            case '\f': sb_puts(b, "\\f"); break;
            case '\n': sb_puts(b, "\\n"); break;
            case '\r': sb_puts(b, "\\r"); break;
            case '\t': sb_puts(b, "\\t"); break;
            case '\v': sb_puts(b, "\\v"); break;
            default: sb_printf(b, "\\x%02x", c);
            }
            i++;
            continue;
        }
        unsigned cp;
        size_t len = utf8_len(p + i, n - i, &cp);
        if (len == 0) {
            sb_printf(b, "\\x%02x", c);
            i++;
            continue;
        }
        if (go_isprint(cp))
            sb_append(b, s + i, len);
        else if (cp < 0x10000)
            sb_printf(b, "\\u%04x", cp);
        else
            sb_printf(b, "\\U%08x", cp);
        i += len;
    }
    sb_putc(b, '"');
}

/* ---------------------------------------------------------------- values */

static void spaces(strbuf *b, int n)
{
    for (int i = 0; i < n; i++)
        sb_putc(b, ' ');
}

/* Whether line s[0..n) trimmed of white space equals delim. */
static int line_is(const char *s, size_t n, const char *delim)
{
    while (n && strchr(" \t\r\n\v\f", s[0]))
        s++, n--;
    while (n && strchr(" \t\r\n\v\f", s[n - 1]))
        n--;
    return n == strlen(delim) && memcmp(s, delim, n) == 0;
}

static void fmt_string(strbuf *b, const char *s, size_t n, int indent)
{
    if (!memchr(s, '\n', n)) {
        val_fmt_quote(b, s, n);
        return;
    }
    /* heredoc: pick a delimiter no line equals (EOT, EOT_, EOT__, ...) */
    strbuf delim = {0};
    sb_puts(&delim, "EOT");
    for (;;) {
        int clash = 0;
        for (size_t st = 0; st <= n && !clash;) {
            const char *nl = memchr(s + st, '\n', n - st);
            size_t e = nl ? (size_t)(nl - s) : n;
            clash = line_is(s + st, e - st, delim.s);
            st = e + 1;
        }
        if (!clash || delim.failed)
            break;
        sb_putc(&delim, '_');
    }
    sb_puts(b, indent > 0 ? "<<-" : "<<");
    sb_puts(b, delim.s);
    for (size_t st = 0; st <= n;) {
        const char *nl = memchr(s + st, '\n', n - st);
        size_t e = nl ? (size_t)(nl - s) : n;
        sb_putc(b, '\n');
        spaces(b, indent);
        sb_append(b, s + st, e - st);
        st = e + 1;
    }
    sb_putc(b, '\n');
    spaces(b, indent);
    sb_puts(b, delim.s);
    sb_free(&delim);
}

static void fmt_val(strbuf *b, val v, int indent, int depth);

static void fmt_seq(strbuf *b, val v, int indent, int depth)
{
    sb_putc(b, '[');
    size_t n = val_len(v);
    for (size_t i = 0; i < n; i++) {
        sb_putc(b, '\n');
        spaces(b, indent + 2);
        fmt_val(b, *val_at(v, i), indent + 2, depth + 1);
        sb_putc(b, ',');
    }
    if (n) {
        sb_putc(b, '\n');
        spaces(b, indent);
    }
    sb_putc(b, ']');
}

static void fmt_mapping(strbuf *b, val v, int indent, int depth)
{
    sb_putc(b, '{');
    size_t n = val_len(v);
    for (size_t i = 0; i < n; i++) {
        const char *k = val_key_at(v, i);
        sb_putc(b, '\n');
        spaces(b, indent + 2);
        fmt_string(b, k, strlen(k), indent + 2);
        sb_puts(b, " = ");
        fmt_val(b, *val_at(v, i), indent + 2, depth + 1);
    }
    if (n) {
        sb_putc(b, '\n');
        spaces(b, indent);
    }
    sb_putc(b, '}');
}

static void fmt_null(strbuf *b, val v)
{
    ty *t = val_type(v);
    char *en = NULL;
    switch (ty_kind(t)) {
    case TY_ANY: sb_puts(b, "null"); break;
    case TY_STRING: sb_puts(b, "tostring(null)"); break;
    case TY_NUMBER: sb_puts(b, "tonumber(null)"); break;
    case TY_BOOL: sb_puts(b, "tobool(null)"); break;
    case TY_LIST: case TY_SET: case TY_MAP:
        en = ty_friendly_name(ty_elem(t), 0);
        sb_printf(b, "%s(null) /* of %s */",
                  ty_kind(t) == TY_LIST ? "tolist" : ty_kind(t) == TY_SET ? "toset" : "tomap",
                  en);
        break;
    default:
        en = ty_friendly_name(t, 0);
        sb_printf(b, "null /* %s */", en);
    }
    free(en);
    ty_free(t);
}

static void fmt_val(strbuf *b, val v, int indent, int depth)
{
    if (val_is_unknown(v)) {
        sb_puts(b, "(known after apply)");
        return;
    }
    if (val_is_sensitive(v)) {
        sb_puts(b, "(sensitive value)");
        return;
    }
    if (depth > VAL_FMT_MAX_DEPTH) {
        sb_puts(b, "...");
        return;
    }
    char num[VAL_NUMBER_BUF];
    switch (val_kind(v)) {
    case VAL_NULL:
        fmt_null(b, v);
        return;
    case VAL_STRING:
        fmt_string(b, val_get_string(v), val_string_len(v), indent);
        return;
    case VAL_NUMBER:
        val_number_fmt(val_get_number(v), num, sizeof num);
        sb_puts(b, num);
        return;
    case VAL_BOOL:
        sb_puts(b, val_get_bool(v) ? "true" : "false");
        return;
    case VAL_TUPLE:
        fmt_seq(b, v, indent, depth);
        return;
    case VAL_OBJECT:
        fmt_mapping(b, v, indent, depth);
        return;
    case VAL_LIST: case VAL_SET:
        sb_puts(b, val_kind(v) == VAL_LIST ? "tolist(" : "toset(");
        fmt_seq(b, v, indent, depth);
        sb_putc(b, ')');
        return;
    case VAL_MAP:
        sb_puts(b, "tomap(");
        fmt_mapping(b, v, indent, depth);
        sb_putc(b, ')');
        return;
    default:
        sb_puts(b, "(invalid value)");
    }
}

void val_fmt_sb(strbuf *b, const val *v, int indent)
{
    fmt_val(b, *v, indent, 0);
}

char *val_fmt(const val *v)
{
    strbuf b = {0};
    fmt_val(&b, *v, 0, 0);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

/* ---------------------------------------------------------------- types */

static void tspaces(strbuf *b, int level)
{
    for (int i = 0; i < level; i++)
        sb_puts(b, "    ");
}

static void fmt_type(strbuf *b, const ty *t, int level)
{
    size_t n;
    switch (ty_kind(t)) {
    case TY_ANY: sb_puts(b, "dynamic"); return;
    case TY_STRING: sb_puts(b, "string"); return;
    case TY_NUMBER: sb_puts(b, "number"); return;
    case TY_BOOL: sb_puts(b, "bool"); return;
    case TY_OBJECT:
        n = ty_len(t);
        if (n == 0) {
            sb_puts(b, "object({})");
            return;
        }
        sb_puts(b, "object({\n");
        for (size_t i = 0; i < n; i++) {
            tspaces(b, level + 1);
            sb_puts(b, ty_attr_name(t, i));
            sb_puts(b, ": ");
            fmt_type(b, ty_index(t, i), level + 1);
            sb_puts(b, ",\n");
        }
        tspaces(b, level);
        sb_puts(b, "})");
        return;
    case TY_TUPLE:
        n = ty_len(t);
        if (n == 0) {
            sb_puts(b, "tuple([])");
            return;
        }
        sb_puts(b, "tuple([\n");
        for (size_t i = 0; i < n; i++) {
            tspaces(b, level + 1);
            fmt_type(b, ty_index(t, i), level + 1);
            sb_puts(b, ",\n");
        }
        tspaces(b, level);
        sb_puts(b, "])");
        return;
    case TY_LIST: case TY_SET: case TY_MAP: {
        sb_puts(b, ty_kind(t) == TY_LIST ? "list(" : ty_kind(t) == TY_SET ? "set(" : "map(");
        const ty *e = ty_elem(t);
        int complex = ty_kind(e) == TY_OBJECT || ty_kind(e) == TY_TUPLE;
        if (complex) {
            sb_putc(b, '\n');
            tspaces(b, level + 1);
            fmt_type(b, e, level + 1);
            sb_puts(b, ",\n");
            tspaces(b, level);
        } else {
            fmt_type(b, e, level);
        }
        sb_putc(b, ')');
        return;
    }
    }
}

char *val_fmt_type(const ty *t)
{
    strbuf b = {0};
    fmt_type(&b, t, 0);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}
