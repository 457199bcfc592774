/*
 * lang/fn_enc.c — encoding functions: base64encode base64decode csvdecode
 * jsondecode jsonencode urlencode yamlencode.  JSON goes through
 * lang/val_json (the one JSON codec); base64 is RFC 4648 with padding as
 * Go's StdEncoding; CSV follows Go's encoding/csv reader (RFC 4180); YAML
 * output is in lang/fn_yaml.c.
 */
#include "lang/fn_int.h"
#include "lang/val_json.h"

#include <stdlib.h>
#include <string.h>

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void fn_base64(strbuf *b, const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        char t[4] = {b64chars[v >> 18], b64chars[(v >> 12) & 63], b64chars[(v >> 6) & 63],
                     b64chars[v & 63]};
        sb_append(b, t, 4);
    }
    if (i < n) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
        char t[4] = {b64chars[v >> 18], b64chars[(v >> 12) & 63],
                     i + 1 < n ? b64chars[(v >> 6) & 63] : '=', '='};
        sb_append(b, t, 4);
    }
}

static val fn_base64encode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    strbuf b = {0};
    fn_base64(&b, (const unsigned char *)val_get_string(a[0]), val_string_len(a[0]));
    return fn_sb_val(&b, e);
}

static int b64val(char ch)
{
    const char *p = ch ? strchr(b64chars, ch) : NULL;
    return p ? (int)(p - b64chars) : -1;
}

/* Go's StdEncoding.DecodeString: padding required, \r and \n ignored. */
static int base64_decode(const char *s, size_t n, strbuf *out)
{
    unsigned q[4];
    size_t k = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\r' || ch == '\n')
            continue;
        if (ch == '=') {
            if (k < 2)
                return -1;
            pad++;
            q[k++] = 0;
        } else {
            int v = b64val(ch);
            if (v < 0 || pad)
                return -1;
            q[k++] = (unsigned)v;
        }
        if (k == 4) {
            unsigned v = q[0] << 18 | q[1] << 12 | q[2] << 6 | q[3];
            char t[3] = {(char)(v >> 16), (char)(v >> 8), (char)v};
            sb_append(out, t, 3 - pad);
            k = 0;
            if (pad) {
                for (size_t j = i + 1; j < n; j++)
                    if (s[j] != '\r' && s[j] != '\n')
                        return -1;
                return 0;
            }
        }
    }
    return k == 0 ? 0 : -1;
}

static int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && !(k == 3 && (unsigned char)s[i] == 0xEF))
            return 0;
        if (k > 1 && ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
                      (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                      (cp >= 0xD800 && cp <= 0xDFFF)))
            return 0;
        i += k;
    }
    return 1;
}

static val fn_base64decode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    strbuf b = {0};
    const char *s = val_get_string(a[0]);
    if (base64_decode(s, val_string_len(a[0]), &b) < 0) {
        sb_free(&b);
        strbuf q = {0};
        val_json_quote(&q, s, val_string_len(a[0]));
        char *qs = sb_take(&q);
        fn_errf(e, -1, "failed to decode base64 data %s", qs ? qs : "");
        free(qs);
        return val_invalid();
    }
    if (!utf8_valid(b.s ? b.s : "", b.len)) {
        sb_free(&b);
        return fn_errf(e, -1, "the result of decoding the provided string is not valid UTF-8");
    }
    return fn_sb_val(&b, e);
}

/* Go's url.QueryEscape. */
static val fn_urlencode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    strbuf b = {0};
    const unsigned char *s = (const unsigned char *)val_get_string(a[0]);
    for (size_t i = 0; i < val_string_len(a[0]); i++) {
        unsigned char ch = s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~')
            sb_putc(&b, (char)ch);
        else if (ch == ' ')
            sb_putc(&b, '+');
        else
            sb_printf(&b, "%%%02X", ch);
    }
    return fn_sb_val(&b, e);
}

static val fn_jsonencode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_string());
    size_t len = 0;
    char *s = val_to_json(&a[0], &len);
    if (!s)
        return fn_errf(e, -1, "%s", err_msg());
    return val_string_own(s, len);
}

static val fn_jsondecode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    /* val_json words its errors as go-cty's json decoder does */
    val r = val_from_json(val_get_string(a[0]), val_string_len(a[0]));
    if (!val_is_valid(r))
        return fn_errf(e, -1, "%s", err_msg());
    return r;
}

/* ------------------------------------------------------------ CSV */

typedef struct csv_reader {
    const char *s;
    size_t n, pos;
    size_t line;
} csv_reader;

/* Read one record into fields (a tuple of strings).  Returns 1, 0 at EOF,
 * -1 with err filled. */
static int csv_read(csv_reader *r, val *fields, fn_err *e)
{
    /* skip empty lines */
    while (r->pos < r->n && (r->s[r->pos] == '\n' ||
                             (r->s[r->pos] == '\r' && r->pos + 1 < r->n &&
                              r->s[r->pos + 1] == '\n'))) {
        r->pos += r->s[r->pos] == '\r' ? 2 : 1;
        r->line++;
    }
    if (r->pos >= r->n)
        return 0;
    size_t rec_line = r->line;
    *fields = val_tuple_empty();
    for (;;) {
        strbuf f = {0};
        sb_append(&f, "", 0);
        if (r->pos < r->n && r->s[r->pos] == '"') {
            size_t qline = r->line;
            r->pos++;
            for (;;) {
                if (r->pos >= r->n) {
                    sb_free(&f);
                    val_free(*fields);
                    fn_errf(e, -1, "CSV parse error on line %zu: extraneous or missing \" in "
                                   "quoted-field", qline);
                    return -1;
                }
                char ch = r->s[r->pos++];
                if (ch == '"') {
                    if (r->pos < r->n && r->s[r->pos] == '"') {
                        sb_putc(&f, '"');
                        r->pos++;
                        continue;
                    }
                    break;
                }
                if (ch == '\r' && r->pos < r->n && r->s[r->pos] == '\n')
                    continue;
                if (ch == '\n')
                    r->line++;
                sb_putc(&f, ch);
            }
            if (r->pos < r->n && r->s[r->pos] != ',' && r->s[r->pos] != '\n' &&
                !(r->s[r->pos] == '\r' && r->pos + 1 < r->n && r->s[r->pos + 1] == '\n') &&
                r->s[r->pos] != '\r') {
                sb_free(&f);
                val_free(*fields);
                fn_errf(e, -1, "CSV parse error on line %zu: extraneous or missing \" in "
                               "quoted-field", r->line);
                return -1;
            }
        } else {
            while (r->pos < r->n && r->s[r->pos] != ',' && r->s[r->pos] != '\n' &&
                   !(r->s[r->pos] == '\r' && r->pos + 1 < r->n && r->s[r->pos + 1] == '\n')) {
                if (r->s[r->pos] == '"') {
                    sb_free(&f);
                    val_free(*fields);
                    fn_errf(e, -1, "CSV parse error on line %zu: bare \" in non-quoted-field",
                            r->line);
                    return -1;
                }
                sb_putc(&f, r->s[r->pos++]);
            }
        }
        size_t fl = f.len;
        char *fs = sb_take(&f);
        *fields = val_tuple_append(*fields, val_string_own(fs, fl));
        if (r->pos < r->n && r->s[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->pos < r->n) {
            r->pos += r->s[r->pos] == '\r' ? 2 : 1;
            r->line++;
        }
        (void)rec_line;
        return 1;
    }
}

static val fn_csvdecode(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    csv_reader r = {val_get_string(a[0]), val_string_len(a[0]), 0, 1};
    val hdr, row;
    int rc = csv_read(&r, &hdr, e);
    if (rc == 0)
        return fn_errf(e, -1, "missing header line");
    if (rc < 0)
        return val_invalid();
    size_t nh = val_len(hdr);
    for (size_t i = 0; i < nh; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(val_get_string(*val_at(hdr, i)), val_get_string(*val_at(hdr, j)))) {
                fn_errf(e, -1, "duplicate column name \"%s\"", val_get_string(*val_at(hdr, i)));
                val_free(hdr);
                return val_invalid();
            }
    val rows = val_tuple_empty();
    for (;;) {
        size_t line = r.line;
        rc = csv_read(&r, &row, e);
        if (rc < 0) {
            val_free(rows);
            val_free(hdr);
            return val_invalid();
        }
        if (rc == 0)
            break;
        if (val_len(row) != nh) {
            val_free(row);
            val_free(rows);
            val_free(hdr);
            return fn_errf(e, -1, "CSV parse error on line %zu: wrong number of fields", line);
        }
        val obj = val_object_empty();
        for (size_t i = 0; i < nh; i++)
            obj = val_object_set(obj, val_get_string(*val_at(hdr, i)), val_copy(*val_at(row, i)));
        val_free(row);
        rows = val_tuple_append(rows, obj);
    }
    /* list(object({col = string, ...})) */
    const char **names = xcalloc(nh ? nh : 1, sizeof *names);
    ty **types = xcalloc(nh ? nh : 1, sizeof *types);
    for (size_t i = 0; i < nh; i++) {
        names[i] = val_get_string(*val_at(hdr, i));
        types[i] = ty_string();
    }
    ty *ot = ty_object((const char *const *)names, types, nh, NULL, NULL);
    free(names);
    free(types);
    val_free(hdr);
    val out = val_list_empty(ty_copy(ot));
    for (size_t i = 0; i < val_len(rows); i++)
        out = val_list_append(out, val_copy(*val_at(rows, i)));
    val_free(rows);
    ty_free(ot);
    return out;
}

static const fn_param p_str[] = {{"str", FN_T_STRING, 0}};
static const fn_param p_val[] = {{"val", FN_T_ANY, FN_ALLOW_NULL}};
static const fn_param p_value[] = {{"value", FN_T_ANY, FN_ALLOW_NULL}};

const fn_def fn_enc_defs[] = {
    {"base64decode", p_str, 1, NULL, FN_T_STRING, NULL, fn_base64decode, 0,
     "Decode base64 to a UTF-8 string."},
    {"base64encode", p_str, 1, NULL, FN_T_STRING, NULL, fn_base64encode, 0,
     "Encode a string as base64."},
    {"csvdecode", p_str, 1, NULL, FN_T_ANY, NULL, fn_csvdecode, 0,
     "Parse CSV into a list of objects."},
    {"jsondecode", p_str, 1, NULL, FN_T_ANY, NULL, fn_jsondecode, 0, "Parse JSON."},
    {"jsonencode", p_val, 1, NULL, FN_T_STRING, NULL, fn_jsonencode, 0, "Encode as JSON."},
    {"urlencode", p_str, 1, NULL, FN_T_STRING, NULL, fn_urlencode, 0, "URL query escaping."},
    {"yamlencode", p_value, 1, NULL, FN_T_STRING, NULL, fn_yamlencode, 0, "Encode as YAML."},
};
const size_t fn_enc_defs_count = sizeof fn_enc_defs / sizeof *fn_enc_defs;
