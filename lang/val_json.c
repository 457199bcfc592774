/*
 * lang/val_json.c — jsonencode / jsondecode (see lang/val_json.h).
 *
 * A small recursive encoder and a recursive-descent decoder with an
 * explicit depth bound.  Errors are worded like Go's encoding/json where
 * Terraform users see them through cty ("invalid character 'x' looking for
 * beginning of value", "unexpected EOF", "extraneous data after JSON
 * object"), including Go's quirk of accepting a stray closing bracket after
 * the top-level value ("[1]]").
 */
#include "lang/val_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- utf-8 */

/* Decode one UTF-8 sequence at s (n bytes available).  Returns its length
 * and the code point in *cp, or 0 for an invalid sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2;
        *cp = c & 0x1f;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3;
        *cp = c & 0x0f;
        min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4;
        *cp = c & 0x07;
        min = 0x10000;
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

static void utf8_put(strbuf *b, unsigned cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xc0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xe0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        t[0] = (char)(0xf0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sb_append(b, t, n);
}

/* ---------------------------------------------------------------- encoding */

void val_json_quote(strbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    sb_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                size_t j = i + 1;
                while (j < n && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '"' && p[j] != '\\' &&
                       p[j] != '<' && p[j] != '>' && p[j] != '&')
                    j++;
                sb_append(b, s + i, j - i);
                i = j;
                continue;
            }
            switch (c) {
            case '"': sb_puts(b, "\\\""); break;
            case '\\': sb_puts(b, "\\\\"); break;
            case '\n': sb_puts(b, "\\n"); break;
            case '\r': sb_puts(b, "\\r"); break;
            case '\t': sb_puts(b, "\\t"); break;
            default: {
                /* Go (1.19) writes other control bytes and <, >, & as \u00XX */
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                sb_append(b, u, 6);
            }
            }
            i++;
            continue;
        }
        unsigned cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            sb_puts(b, "\\ufffd");
            i++;
            continue;
        }
        if (cp == 0x2028 || cp == 0x2029)
            sb_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
        else
            sb_append(b, s + i, len);
        i += len;
    }
    sb_putc(b, '"');
}

static int enc(strbuf *b, val v, int depth)
{
    if (depth > VAL_JSON_MAX_DEPTH)
        return err_set(CAIRN_ELIMIT, "value nested deeper than %d levels cannot be "
                       "serialized as JSON", VAL_JSON_MAX_DEPTH);
    if (val_is_unknown(v))
        return err_set(CAIRN_EINVAL, "value is not known");
    if (b->failed)
        return err_set(CAIRN_ELIMIT, "JSON output larger than %u bytes", VAL_JSON_MAX_SIZE);
    switch (val_kind(v)) {
    case VAL_NULL:
        sb_puts(b, "null");
        return 0;
    case VAL_BOOL:
        sb_puts(b, val_get_bool(v) ? "true" : "false");
        return 0;
    case VAL_NUMBER: {
        double d = val_get_number(v);
        if (isinf(d) || isnan(d))
            return err_set(CAIRN_EINVAL, "cannot serialize infinity as JSON");
        char buf[VAL_NUMBER_BUF];
        val_number_fmt(d, buf, sizeof buf);
        sb_puts(b, buf);
        return 0;
    }
    case VAL_STRING:
        val_json_quote(b, val_get_string(v), val_string_len(v));
        return 0;
    case VAL_LIST: case VAL_SET: case VAL_TUPLE:
        sb_putc(b, '[');
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                sb_putc(b, ',');
            int rc = enc(b, *val_at(v, i), depth + 1);
            if (rc < 0)
                return rc;
        }
        sb_putc(b, ']');
        return 0;
    case VAL_MAP: case VAL_OBJECT:
        sb_putc(b, '{');
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                sb_putc(b, ',');
            const char *k = val_key_at(v, i);
            val_json_quote(b, k, strlen(k));
            sb_putc(b, ':');
            int rc = enc(b, *val_at(v, i), depth + 1);
            if (rc < 0)
                return rc;
        }
        sb_putc(b, '}');
        return 0;
    default:
        return err_set(CAIRN_EINVAL, "invalid value cannot be serialized as JSON");
    }
}

int val_to_json_sb(strbuf *b, const val *v)
{
    if (!b->cap)
        b->cap = VAL_JSON_MAX_SIZE;
    int rc = enc(b, *v, 0);
    if (rc == 0 && b->failed)
        rc = err_set(CAIRN_ELIMIT, "JSON output larger than %u bytes", VAL_JSON_MAX_SIZE);
    return rc;
}

char *val_to_json(const val *v, size_t *len)
{
    strbuf b = {.cap = VAL_JSON_MAX_SIZE};
    if (val_to_json_sb(&b, v) < 0) {
        sb_free(&b);
        return NULL;
    }
    size_t n = b.len;
    char *s = sb_take(&b);
    if (!s) {
        err_set(CAIRN_ENOMEM, "out of memory encoding JSON");
        return NULL;
    }
    if (len)
        *len = n;
    return s;
}

/* ---------------------------------------------------------------- decoding */

struct jdec {
    const char *s;
    size_t n, pos;
};

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct jdec *d)
{
    while (d->pos < d->n && is_ws(d->s[d->pos]))
        d->pos++;
}

/* Go's quoteChar: a byte as encoding/json names it in errors ('x', '\t',
 * '\x01', '\'', and bytes >= 0x80 as the code point U+00XX). */
static void quote_char(strbuf *b, unsigned char c)
{
    static const char esc[] = "abtnvfr";
    sb_putc(b, '\'');
    if (c == '\'')
        sb_puts(b, "\\'");
    else if (c == '\\')
        sb_puts(b, "\\\\");
    else if (c >= 0x07 && c <= 0x0d)
        sb_printf(b, "\\%c", esc[c - 0x07]);
    else if (c < 0x20 || c == 0x7f)
        sb_printf(b, "\\x%02x", c);
    else if (c < 0x80)
        sb_putc(b, (char)c);
    else if (c <= 0xa0 || c == 0xad)
        sb_printf(b, "\\u%04x", c);
    else
        utf8_put(b, c);
    sb_putc(b, '\'');
}

/* A syntax error at d->pos: "invalid character 'x' <where>", or Go's
 * "unexpected EOF" when the input ends inside a token.  where may be "". */
static val bad_char(struct jdec *d, const char *where)
{
    if (d->pos >= d->n) {
        err_set(CAIRN_EINVAL, "unexpected EOF");
        return val_invalid();
    }
    strbuf b = {0};
    sb_puts(&b, "invalid character ");
    quote_char(&b, (unsigned char)d->s[d->pos]);
    if (*where) {
        sb_putc(&b, ' ');
        sb_puts(&b, where);
    }
    err_set(CAIRN_EINVAL, "%s", b.s ? b.s : "invalid character");
    sb_free(&b);
    return val_invalid();
}

/* Like bad_char at a point between tokens: the end of input there is
 * Go's plain "EOF". */
static val bad_between(struct jdec *d, const char *where)
{
    if (d->pos >= d->n) {
        err_set(CAIRN_EINVAL, "EOF");
        return val_invalid();
    }
    return bad_char(d, where);
}

static int hexval_json(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? 1 : -1;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Parse a string literal at d->pos (which is '"') into b. */
static int dec_string(struct jdec *d, strbuf *b)
{
    d->pos++;
    while (d->pos < d->n) {
        unsigned char c = (unsigned char)d->s[d->pos];
        if (c == '"') {
            d->pos++;
            return b->failed ? err_set(CAIRN_ENOMEM, "out of memory decoding JSON") : 0;
        }
        if (c < 0x20) {
            bad_char(d, "in string literal");
            return -1;
        }
        if (c == '\\') {
            if (d->pos + 1 >= d->n)
                break;
            char e = d->s[d->pos + 1];
            d->pos += 2;
            switch (e) {
            case '"': sb_putc(b, '"'); continue;
            case '\\': sb_putc(b, '\\'); continue;
            case '/': sb_putc(b, '/'); continue;
            case 'b': sb_putc(b, '\b'); continue;
            case 'f': sb_putc(b, '\f'); continue;
            case 'n': sb_putc(b, '\n'); continue;
            case 'r': sb_putc(b, '\r'); continue;
            case 't': sb_putc(b, '\t'); continue;
            case 'u': {
                unsigned cp;
                if (d->pos + 4 > d->n || hex4(d->s + d->pos, &cp) < 0) {
                    while (d->pos < d->n && hexval_json(d->s[d->pos]) >= 0)
                        d->pos++;
                    bad_char(d, "in \\u hexadecimal character escape");
                    return -1;
                }
                d->pos += 4;
                if (cp >= 0xd800 && cp < 0xdc00) {
                    unsigned lo;
                    if (d->pos + 6 <= d->n && d->s[d->pos] == '\\' && d->s[d->pos + 1] == 'u' &&
                        hex4(d->s + d->pos + 2, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
                        d->pos += 6;
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    } else {
                        cp = 0xfffd;
                    }
                } else if (cp >= 0xdc00 && cp < 0xe000) {
                    cp = 0xfffd;
                }
                utf8_put(b, cp);
                continue;
            }
            default:
                d->pos--;
                bad_char(d, "in string escape code");
                return -1;
            }
        }
        if (c < 0x80) {
            sb_putc(b, (char)c);
            d->pos++;
            continue;
        }
        unsigned cp;
        size_t len = utf8_decode((const unsigned char *)d->s + d->pos, d->n - d->pos, &cp);
        if (len == 0) {
            utf8_put(b, 0xfffd);   /* as Go does for invalid UTF-8 */
            d->pos++;
        } else {
            sb_append(b, d->s + d->pos, len);
            d->pos += len;
        }
    }
    err_set(CAIRN_EINVAL, "unexpected EOF");
    return -1;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static val dec_number(struct jdec *d)
{
    size_t st = d->pos;
    const char *s = d->s;
    size_t p = d->pos;
    if (p < d->n && s[p] == '-')
        p++;
    if (p >= d->n) {
        d->pos = p;
        return bad_char(d, "in numeric literal");
    }
    if (s[p] == '0') {
        p++;
    } else if (s[p] >= '1' && s[p] <= '9') {
        while (p < d->n && s[p] >= '0' && s[p] <= '9')
            p++;
    } else {
        d->pos = p;
        return bad_char(d, "in numeric literal");
    }
    if (p < d->n && s[p] == '.') {
        p++;
        if (p >= d->n || !(s[p] >= '0' && s[p] <= '9')) {
            d->pos = p;
            return bad_char(d, "after decimal point in numeric literal");
        }
        while (p < d->n && s[p] >= '0' && s[p] <= '9')
            p++;
    }
    if (p < d->n && (s[p] == 'e' || s[p] == 'E')) {
        p++;
        if (p < d->n && (s[p] == '+' || s[p] == '-'))
            p++;
        if (p >= d->n || !(s[p] >= '0' && s[p] <= '9')) {
            d->pos = p;
            return bad_char(d, "in exponent of numeric literal");
        }
        while (p < d->n && s[p] >= '0' && s[p] <= '9')
            p++;
    }
    d->pos = p;
    char small[64];
    size_t len = p - st;
    char *tmp = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(tmp, s + st, len);
    tmp[len] = '\0';
    double v = strtod(tmp, NULL);
    if (tmp != small)
        free(tmp);
    return val_number(v);
}

static int lit(struct jdec *d, const char *word)
{
    size_t l = strlen(word);
    for (size_t i = 0; i < l; i++) {
        if (d->pos + i >= d->n || d->s[d->pos + i] != word[i]) {
            char where[48];
            snprintf(where, sizeof where, "in literal %s (expecting '%c')", word, word[i]);
            d->pos += i;
            bad_char(d, where);
            return -1;
        }
    }
    d->pos += l;
    return 0;
}

static val dec_value(struct jdec *d, int depth);

static val dec_array(struct jdec *d, int depth)
{
    d->pos++;
    val t = val_tuple_empty();
    skip_ws(d);
    if (d->pos < d->n && d->s[d->pos] == ']') {
        d->pos++;
        return t;
    }
    for (;;) {
        val e = dec_value(d, depth + 1);
        if (!val_is_valid(e))
            goto fail;
        t = val_tuple_append(t, e);
        skip_ws(d);
        if (d->pos < d->n && d->s[d->pos] == ',') {
            d->pos++;
            continue;
        }
        if (d->pos < d->n && d->s[d->pos] == ']') {
            d->pos++;
            return t;
        }
        bad_between(d, "after array element");
        goto fail;
    }
fail:
    val_free(t);
    return val_invalid();
}

static val dec_object(struct jdec *d, int depth)
{
    d->pos++;
    val o = val_object_empty();
    strbuf key = {0};
    skip_ws(d);
    if (d->pos < d->n && d->s[d->pos] == '}') {
        d->pos++;
        return o;
    }
    for (int first = 1;; first = 0) {
        skip_ws(d);
        if (d->pos >= d->n || d->s[d->pos] != '"') {
            /* Go gives no context for the first key */
            bad_between(d, first ? "" : "looking for beginning of object key string");
            goto fail;
        }
        if (dec_string(d, &key) < 0)
            goto fail;
        skip_ws(d);
        if (d->pos >= d->n || d->s[d->pos] != ':') {
            bad_between(d, "after object key");
            goto fail;
        }
        d->pos++;
        val e = dec_value(d, depth + 1);
        if (!val_is_valid(e))
            goto fail;
        /* keys with NUL cannot be stored; cut at the NUL as C strings do */
        sb_putc(&key, '\0');
        o = val_object_set(o, key.s, e);
        key.len = 0;
        skip_ws(d);
        if (d->pos < d->n && d->s[d->pos] == ',') {
            d->pos++;
            continue;
        }
        if (d->pos < d->n && d->s[d->pos] == '}') {
            d->pos++;
            sb_free(&key);
            return o;
        }
        bad_between(d, "after object key:value pair");
        goto fail;
    }
fail:
    sb_free(&key);
    val_free(o);
    return val_invalid();
}

static val dec_value(struct jdec *d, int depth)
{
    if (depth > VAL_JSON_MAX_DEPTH) {
        err_set(CAIRN_ELIMIT, "JSON nested deeper than %d levels", VAL_JSON_MAX_DEPTH);
        return val_invalid();
    }
    skip_ws(d);
    if (d->pos >= d->n) {
        err_set(CAIRN_EINVAL, "EOF");
        return val_invalid();
    }
    char c = d->s[d->pos];
    switch (c) {
    case '{':
        return dec_object(d, depth);
    case '[':
        return dec_array(d, depth);
    case '"': {
        strbuf b = {0};
        if (dec_string(d, &b) < 0) {
            sb_free(&b);
            return val_invalid();
        }
        size_t n = b.len;
        char *s = sb_take(&b);
        if (!s) {
            err_set(CAIRN_ENOMEM, "out of memory decoding JSON");
            return val_invalid();
        }
        return val_string_own(s, n);
    }
    case 't':
        return lit(d, "true") < 0 ? val_invalid() : val_bool(1);
    case 'f':
        return lit(d, "false") < 0 ? val_invalid() : val_bool(0);
    case 'n':
        return lit(d, "null") < 0 ? val_invalid() : val_null();
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return dec_number(d);
        return bad_char(d, "looking for beginning of value");
    }
}

val val_from_json(const char *s, size_t n)
{
    if (n > VAL_JSON_MAX_SIZE) {
        err_set(CAIRN_ELIMIT, "JSON text larger than %u bytes", VAL_JSON_MAX_SIZE);
        return val_invalid();
    }
    struct jdec d = {s, n, 0};
    val v = dec_value(&d, 0);
    if (!val_is_valid(v))
        return v;
    skip_ws(&d);
    /* as Go's Decoder.More(): a stray closing bracket ends the input */
    if (d.pos < d.n && d.s[d.pos] != ']' && d.s[d.pos] != '}') {
        val_free(v);
        err_set(CAIRN_EINVAL, "extraneous data after JSON object");
        return val_invalid();
    }
    return v;
}
