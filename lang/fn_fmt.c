/*
 * lang/fn_fmt.c — format() and formatlist(): printf-style verbs with cty's
 * rules (%v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q %%, flags # 0 - +
 * space, width, precision, explicit argument index %[n]v).  Width counts
 * characters; integer verbs format exact integers as Go's big.Int does;
 * float verbs follow Go's big.Float (shortest digits for %g without a
 * precision).
 */
#include "lang/fn_int.h"
#include "lang/val_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fmt_verb {
    const char *raw;   /* from '%' to the verb letter */
    size_t rawlen, offset;
    size_t argnum;     /* 1-based */
    char mode;
    int zero, sharp, plus, minus, space;
    int width, prec;   /* -1 when absent */
} fmt_verb;

/* Error text with the verb quoted as Go's %q would. */
static val fmt_err(fn_err *e, int arg, const fmt_verb *v, const char *what)
{
    return fn_errf(e, arg, "unsupported value for \"%.*s\" at %zu: %s", (int)v->rawlen, v->raw,
                   v->offset, what);
}

/* Pad s to the verb's width (characters), left unless '-'. */
static void fmt_pad(strbuf *b, const fmt_verb *v, const char *s, size_t n)
{
    size_t have = fn_str_chars(s, n);
    size_t pad = v->width > 0 && (size_t)v->width > have ? (size_t)v->width - have : 0;
    if (!v->minus)
        for (size_t i = 0; i < pad; i++)
            sb_putc(b, v->zero ? '0' : ' ');
    sb_append(b, s, n);
    if (v->minus)
        for (size_t i = 0; i < pad; i++)
            sb_putc(b, v->zero ? '0' : ' ');
}

/* Go big.Int formatting of an exact integer. */
static void fmt_int(strbuf *b, const fmt_verb *v, double x)
{
    char digits[1100];
    size_t nd = 0;
    int neg = x < 0;
    double m = fabs(x);
    unsigned base = v->mode == 'b' ? 2 : v->mode == 'o' ? 8 : (v->mode == 'd' ? 10 : 16);
    const char *dig = v->mode == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    if (m < 1.8e19) {
        unsigned long long u = (unsigned long long)m;
        do {
            digits[nd++] = dig[u % base];
            u /= base;
        } while (u && nd < sizeof digits);
    } else {
        /* big values: peel digits off the double exactly (it is an integer) */
        while (m >= 1 && nd < sizeof digits) {
            double q = floor(m / base);
            double r = m - q * base;
            if (r < 0)
                r = 0;
            digits[nd++] = dig[(int)r % (int)base];
            m = q;
        }
    }
    const char *sign = neg ? "-" : v->plus ? "+" : v->space ? " " : "";
    const char *prefix = "";
    if (v->sharp)
        prefix = v->mode == 'b' ? "0b" : v->mode == 'o' ? "0" : v->mode == 'x' ? "0x"
                 : v->mode == 'X' ? "0X" : "";
    size_t zeros = 0;
    if (v->prec >= 0) {
        if (nd == 1 && digits[0] == '0' && v->prec == 0)
            nd = 0;
        if ((size_t)v->prec > nd)
            zeros = (size_t)v->prec - nd;
    }
    size_t len = strlen(sign) + strlen(prefix) + zeros + nd;
    size_t pad = v->width > 0 && (size_t)v->width > len ? (size_t)v->width - len : 0;
    if (pad && !v->minus && v->zero && v->prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!v->minus)
        for (size_t i = 0; i < pad; i++)
            sb_putc(b, ' ');
    sb_puts(b, sign);
    sb_puts(b, prefix);
    for (size_t i = 0; i < zeros; i++)
        sb_putc(b, '0');
    while (nd > 0)
        sb_putc(b, digits[--nd]);
    if (v->minus)
        for (size_t i = 0; i < pad; i++)
            sb_putc(b, ' ');
}

/* Shortest decimal digits that round-trip x (> 0): digits into d, the
 * decimal exponent (value = 0.d * 10^exp) into *exp. */
static size_t fmt_shortest(double x, char *d, int *exp)
{
    char buf[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, x);
        if (strtod(buf, NULL) == x || p == 17)
            break;
    }
    size_t n = 0;
    const char *q = buf;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9')
            d[n++] = *q;
    while (n > 1 && d[n - 1] == '0')
        n--;
    *exp = atoi(q + 1) + 1;
    return n;
}

/* Go's %g with no precision (shortest), as big.Float.Text('g', -1). */
static void fmt_g_shortest(strbuf *out, double x, char e)
{
    char d[40];
    int exp;
    if (x == 0) {
        sb_puts(out, signbit(x) ? "-0" : "0");
        return;
    }
    if (x < 0)
        sb_putc(out, '-');
    size_t n = fmt_shortest(fabs(x), d, &exp);
    int xe = exp - 1;
    if (xe < -4 || xe >= 6) {
        sb_putc(out, d[0]);
        if (n > 1) {
            sb_putc(out, '.');
            sb_append(out, d + 1, n - 1);
        }
        sb_printf(out, "%c%c%02d", e, xe < 0 ? '-' : '+', xe < 0 ? -xe : xe);
        return;
    }
    if (exp <= 0) {
        sb_puts(out, "0.");
        for (int i = 0; i < -exp; i++)
            sb_putc(out, '0');
        sb_append(out, d, n);
    } else if ((size_t)exp >= n) {
        sb_append(out, d, n);
        for (size_t i = n; i < (size_t)exp; i++)
            sb_putc(out, '0');
    } else {
        sb_append(out, d, (size_t)exp);
        sb_putc(out, '.');
        sb_append(out, d + exp, n - (size_t)exp);
    }
}

static void fmt_float(strbuf *b, const fmt_verb *v, double x)
{
    char spec[32], tmp[512];
    if ((v->mode == 'g' || v->mode == 'G') && v->prec < 0) {
        strbuf t = {0};
        if (x >= 0 && v->plus)
            sb_putc(&t, '+');
        else if (x >= 0 && v->space)
            sb_putc(&t, ' ');
        fmt_g_shortest(&t, x, v->mode == 'G' ? 'E' : 'e');
        char *s = sb_take(&t);
        fmt_verb pv = *v;
        if (s) {
            fmt_pad(b, &pv, s, strlen(s));
            free(s);
        }
        return;
    }
    snprintf(spec, sizeof spec, "%%%s%s%s%s%s%s*.*%c", v->sharp ? "#" : "", v->zero ? "0" : "",
             v->minus ? "-" : "", v->plus ? "+" : "", v->space ? " " : "", "", v->mode);
    int w = v->width < 0 ? 0 : v->width, p = v->prec < 0 ? 6 : v->prec;
    if (p > 300)
        p = 300;
    if (w > 300)
        w = 300;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    int n = snprintf(tmp, sizeof tmp, spec, w, p, x);
#pragma GCC diagnostic pop
    if (n > 0)
        sb_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static val fmt_convert(val v, ty *t)
{
    val r = val_convert(val_copy(v), t);
    ty_free(t);
    return r;
}

/* Append one verb's output; VAL_INVALID-free: 0 or -1 with err filled. */
static int fmt_append(strbuf *b, fmt_verb *v, const val *args, size_t nargs, fn_err *e)
{
    if (v->argnum > nargs || v->argnum == 0) {
        fn_errf(e, -1, "not enough arguments for \"%.*s\" at %zu: need index %zu but have %zu "
                       "total", (int)v->rawlen, v->raw, v->offset, v->argnum, nargs);
        return -1;
    }
    val a = args[v->argnum - 1];
    if (v->mode != 'v' && val_is_null(a)) {
        fmt_err(e, -1, v, "null value cannot be formatted");
        return -1;
    }
    switch (v->mode) {
    case 'v': {
        enum val_kind k = val_kind(a);
        if (!v->sharp && !val_is_null(a) && k == VAL_STRING) {
            fmt_pad(b, v, val_get_string(a), val_string_len(a));
            return 0;
        }
        if (!v->sharp && !val_is_null(a) && k == VAL_NUMBER) {
            strbuf t = {0};
            fmt_g_shortest(&t, val_get_number(a), 'e');
            size_t n = t.len;
            char *s = sb_take(&t);
            if (s)
                fmt_pad(b, v, s, n);
            free(s);
            return 0;
        }
        strbuf t = {0};
        if (val_to_json_sb(&t, &a) < 0) {
            sb_free(&t);
            fmt_err(e, -1, v, err_msg());
            return -1;
        }
        size_t n = t.len;
        char *s = sb_take(&t);
        if (s)
            fmt_pad(b, v, s, n);
        free(s);
        return 0;
    }
    case 't': {
        val c = fmt_convert(a, ty_bool());
        if (!val_is_valid(c)) {
            fmt_err(e, -1, v, err_msg());
            return -1;
        }
        sb_puts(b, val_get_bool(c) ? "true" : "false");
        val_free(c);
        return 0;
    }
    case 'b': case 'd': case 'o': case 'x': case 'X':
    case 'e': case 'E': case 'f': case 'g': case 'G': {
        val c = fmt_convert(a, ty_number());
        if (!val_is_valid(c)) {
            fmt_err(e, -1, v, err_msg());
            return -1;
        }
        double x = val_get_number(c);
        val_free(c);
        if (strchr("bdoxX", v->mode)) {
            if (x != floor(x) || isinf(x)) {
                fmt_err(e, -1, v, "an integer is required");
                return -1;
            }
            fmt_int(b, v, x);
        } else {
            fmt_float(b, v, x);
        }
        return 0;
    }
    case 's': case 'q': {
        val c = fmt_convert(a, ty_string());
        if (!val_is_valid(c)) {
            fmt_err(e, -1, v, err_msg());
            return -1;
        }
        const char *s = val_get_string(c);
        size_t n = val_string_len(c);
        if (v->prec > 0)
            n = fn_str_char_off(s, n, (size_t)v->prec);
        if (v->mode == 's') {
            fmt_pad(b, v, s, n);
        } else {
            strbuf t = {0};
            val_json_quote(&t, s, n);
            size_t tn = t.len;
            char *q = sb_take(&t);
            if (q)
                fmt_pad(b, v, q, tn);
            free(q);
        }
        val_free(c);
        return 0;
    }
    default:
        fn_errf(e, -1, "unsupported format verb '%c' in \"%.*s\" at offset %zu", v->mode,
                (int)v->rawlen, v->raw, v->offset);
        return -1;
    }
}

static size_t fmt_digits(const char *f, size_t len, size_t *i)
{
    size_t n = 0;
    while (*i < len && f[*i] >= '0' && f[*i] <= '9') {
        if (n < 100000)
            n = n * 10 + (size_t)(f[*i] - '0');
        (*i)++;
    }
    return n;
}

static int fmt_argidx(const char *f, size_t len, size_t *i, fmt_verb *v)
{
    if (*i < len && f[*i] == '[') {
        size_t j = *i + 1;
        if (j >= len || f[j] < '1' || f[j] > '9') {
            *i = j;   /* the offending character is reported */
            return -1;
        }
        size_t n = fmt_digits(f, len, &j);
        if (j >= len || f[j] != ']') {
            *i = j;
            return -1;
        }
        v->argnum = n;
        *i = j + 1;
    }
    return 0;
}

/* The format engine shared by format and formatlist. */
static int fmt_run(strbuf *b, const char *f, size_t len, const val *args, size_t nargs,
                   fn_err *e)
{
    size_t i = 0, next = 1, highest = 0;
    while (i < len) {
        if (f[i] != '%') {
            sb_putc(b, f[i++]);
            continue;
        }
        if (i + 1 < len && f[i + 1] == '%') {
            sb_putc(b, '%');
            i += 2;
            continue;
        }
        fmt_verb v = {0};
        v.raw = f + i;
        v.offset = i;
        v.argnum = next;
        v.width = v.prec = -1;
        i++;
        for (; i < len; i++) {
            char c = f[i];
            if (c == '#') v.sharp = 1;
            else if (c == '0') v.zero = 1;
            else if (c == '-') v.minus = 1;
            else if (c == '+') v.plus = 1;
            else if (c == ' ') v.space = 1;
            else break;
        }
        if (fmt_argidx(f, len, &i, &v) < 0)
            goto bad_char;
        if (i < len && f[i] >= '0' && f[i] <= '9')
            v.width = (int)fmt_digits(f, len, &i);
        if (i < len && f[i] == '.') {
            i++;
            v.prec = (int)fmt_digits(f, len, &i);
        }
        if (fmt_argidx(f, len, &i, &v) < 0)
            goto bad_char;
        if (i >= len) {
            fn_errf(e, -1, "invalid format string starting at offset %zu", i);
            return -1;
        }
        if (!((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= 'A' && f[i] <= 'Z')))
            goto bad_char;
        v.mode = f[i++];
        v.rawlen = (size_t)(f + i - v.raw);
        if (v.argnum > highest)
            highest = v.argnum;
        if (fmt_append(b, &v, args, nargs, e) < 0)
            return -1;
        next = v.argnum + 1;
        continue;
bad_char:
        if (i >= len) {
            fn_errf(e, -1, "invalid format string starting at offset %zu", i);
            return -1;
        }
        {
            unsigned cp;
            fn_utf8_decode(f + i, len - i, &cp);
            strbuf t = {0};
            fn_utf8_put(&t, cp);
            char *s = sb_take(&t);
            fn_errf(e, -1, "unrecognized format character '%s' at offset %zu", s ? s : "?", i);
            free(s);
            return -1;
        }
    }
    if (highest < nargs) {
        if (highest == 0)
            fn_errf(e, 1, "too many arguments; no verbs in format string");
        else
            fn_errf(e, (int)highest + 1, "too many arguments; only %zu used by format string",
                    highest);
        return -1;
    }
    return 0;
}

static val fn_format(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    for (size_t i = 1; i < n; i++)
        if (!val_is_wholly_known(a[i]))
            return val_unknown(ty_string());
    strbuf b = {0};
    if (fmt_run(&b, val_get_string(a[0]), val_string_len(a[0]), a + 1, n - 1, e) < 0) {
        sb_free(&b);
        return val_invalid();
    }
    return fn_sb_val(&b, e);
}

static int fmt_is_seq(val v)
{
    enum val_kind k = val_kind(v);
    return (k == VAL_LIST || k == VAL_SET || k == VAL_TUPLE) && !val_is_null(v);
}

static val fn_formatlist(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    size_t nargs = n - 1;
    long iterlen = -1;
    size_t chooser = 0;
    int unknown = 0;
    for (size_t i = 1; i < n; i++) {
        if (fmt_is_seq(a[i])) {
            if (val_is_unknown(a[i])) {
                unknown = 1;
                continue;
            }
            long len = (long)val_len(a[i]);
            if (iterlen < 0) {
                iterlen = len;
                chooser = i;
            } else if (len != iterlen) {
                return fn_errf(e, (int)i, "argument %zu has length %ld, which is inconsistent "
                                          "with argument %zu of length %ld", i, len, chooser,
                               iterlen);
            }
        } else if (val_is_unknown(a[i])) {
            ty *t = val_type(a[i]);
            if (ty_kind(t) == TY_ANY)
                unknown = 1;
            ty_free(t);
        }
    }
    if (unknown)
        return val_unknown(ty_list(ty_string()));
    if (iterlen == 0)
        return val_list_empty(ty_string());
    if (iterlen < 0)
        iterlen = 1;
    val r = val_list_empty(ty_string());
    val *fa = nargs ? xcalloc(nargs, sizeof *fa) : NULL;
    for (long it = 0; it < iterlen; it++) {
        int unk = 0;
        for (size_t i = 0; i < nargs; i++) {
            fa[i] = fmt_is_seq(a[i + 1]) ? *val_at(a[i + 1], (size_t)it) : a[i + 1];
            if (!val_is_wholly_known(fa[i]))
                unk = 1;
        }
        if (unk) {
            r = val_list_append(r, val_unknown(ty_string()));
            continue;
        }
        strbuf b = {0};
        fn_err fe = {0};
        if (fmt_run(&b, val_get_string(a[0]), val_string_len(a[0]), fa, nargs, &fe) < 0) {
            sb_free(&b);
            val_free(r);
            free(fa);
            return fn_errf(e, -1, "error on format iteration %ld: %s", it, fe.msg);
        }
        val s = fn_sb_val(&b, e);
        if (!val_is_valid(s)) {
            val_free(r);
            free(fa);
            return s;
        }
        r = val_list_append(r, s);
    }
    free(fa);
    return r;
}

static const fn_param p_format[] = {{"format", FN_T_STRING, 0}};
static const fn_param p_format_args = {"args", FN_T_ANY, FN_ALLOW_NULL};
static const fn_param p_formatlist_args = {"args", FN_T_ANY, FN_ALLOW_NULL | FN_ALLOW_UNKNOWN};

const fn_def fn_fmt_defs[] = {
    {"format", p_format, 1, &p_format_args, FN_T_STRING, NULL, fn_format, 0,
     "Format values printf-style."},
    {"formatlist", p_format, 1, &p_formatlist_args, FN_T_LIST_STRING, NULL, fn_formatlist, 0,
     "Format each element of lists printf-style."},
};
const size_t fn_fmt_defs_count = sizeof fn_fmt_defs / sizeof *fn_fmt_defs;
