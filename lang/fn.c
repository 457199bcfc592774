/*
 * lang/fn.c — the function registry and fn_call, which applies the generic
 * calling rules of cty's function.Call and HCL's call expression (argument
 * counts, conversion to parameter types, null/unknown/sensitive handling)
 * before handing converted arguments to a family's implementation.
 *
 * Must stay true: fn_call consumes every argument exactly once on every path.
 */
#include "lang/fn_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ registry */

static const fn_param fn_special_params[] = {{"expressions", FN_T_ANY, 7}};

static const fn_def fn_special_defs[] = {
    {"can", fn_special_params, 1, NULL, FN_T_BOOL, NULL, NULL, FN_SPECIAL,
     "Whether an expression evaluates without error."},
    {"try", NULL, 0, fn_special_params, FN_T_ANY, NULL, NULL, FN_SPECIAL,
     "The first of its argument expressions that evaluates without error."},
};

struct fn_family {
    const fn_def *defs;
    const size_t *count;
};

static const struct fn_family fn_families[] = {
    {fn_num_defs, &fn_num_defs_count},
    {fn_str_defs, &fn_str_defs_count},
    {fn_fmt_defs, &fn_fmt_defs_count},
    {fn_coll_defs, &fn_coll_defs_count},
    {fn_set_defs, &fn_set_defs_count},
    {fn_enc_defs, &fn_enc_defs_count},
    {fn_hash_defs, &fn_hash_defs_count},
    {fn_time_defs, &fn_time_defs_count},
    {fn_net_defs, &fn_net_defs_count},
    {fn_type_defs, &fn_type_defs_count},
    {fn_fs_defs, &fn_fs_defs_count},
    {fn_glob_defs, &fn_glob_defs_count},
};

/* Process-wide, built once: every descriptor sorted by name. */
#define FN_MAX_DEFS 256
static const fn_def *fn_sorted[FN_MAX_DEFS];
static size_t fn_nsorted;
static pthread_once_t fn_once = PTHREAD_ONCE_INIT;

static int fn_cmp_def(const void *a, const void *b)
{
    const fn_def *x = *(const fn_def *const *)a, *y = *(const fn_def *const *)b;
    return strcmp(x->name, y->name);
}

static void fn_build_index(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof fn_special_defs / sizeof *fn_special_defs; i++)
        fn_sorted[n++] = &fn_special_defs[i];
    for (size_t f = 0; f < sizeof fn_families / sizeof *fn_families; f++)
        for (size_t i = 0; i < *fn_families[f].count && n < FN_MAX_DEFS; i++)
            fn_sorted[n++] = &fn_families[f].defs[i];
    qsort(fn_sorted, n, sizeof *fn_sorted, fn_cmp_def);
    fn_nsorted = n;
}

const fn_def *fn_lookup(const char *name)
{
    pthread_once(&fn_once, fn_build_index);
    size_t lo = 0, hi = fn_nsorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, fn_sorted[mid]->name);
        if (c == 0)
            return fn_sorted[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t fn_count(void)
{
    pthread_once(&fn_once, fn_build_index);
    return fn_nsorted;
}

const fn_def *fn_at(size_t i)
{
    pthread_once(&fn_once, fn_build_index);
    return i < fn_nsorted ? fn_sorted[i] : NULL;
}

int fn_is_special(const fn_def *f)
{
    return f && (f->flags & FN_SPECIAL);
}

ty *fn_type_ty(enum fn_type t)
{
    switch (t) {
    case FN_T_ANY: return ty_any();
    case FN_T_STRING: return ty_string();
    case FN_T_NUMBER: return ty_number();
    case FN_T_BOOL: return ty_bool();
    case FN_T_LIST_ANY: return ty_list(ty_any());
    case FN_T_LIST_STRING: return ty_list(ty_string());
    case FN_T_LIST_NUMBER: return ty_list(ty_number());
    case FN_T_LIST_BOOL: return ty_list(ty_bool());
    case FN_T_SET_ANY: return ty_set(ty_any());
    case FN_T_MAP_ANY: return ty_map(ty_any());
    case FN_T_MAP_STRING: return ty_map(ty_string());
    case FN_T_MAP_LIST_STRING: return ty_map(ty_list(ty_string()));
    case FN_T_LIST_LIST_ANY: return ty_list(ty_list(ty_any()));
    }
    return ty_any();
}

/* ------------------------------------------------------------ helpers */

val fn_errf(fn_err *err, int arg, const char *fmt, ...)
{
    va_list ap;
    err->arg = arg;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return val_invalid();
}

int fn_is_int(double n)
{
    return n == n && n >= -9.2e18 && n <= 9.2e18 && (double)(long long)n == n;
}

void fn_quote_redacted(strbuf *b, const fn_ctx *c, int arg, const char *s, size_t n)
{
    if (c && arg >= 0 && arg < (int)(8 * sizeof c->sensitive_args) &&
        (c->sensitive_args & (1UL << arg))) {
        sb_puts(b, "(sensitive value)");
        return;
    }
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)ch);
        } else if (ch == '\n') {
            sb_puts(b, "\\n");
        } else if (ch == '\t') {
            sb_puts(b, "\\t");
        } else if (ch == '\r') {
            sb_puts(b, "\\r");
        } else if (ch < 0x20 || ch == 0x7F) {
            sb_printf(b, "\\x%02x", ch);
        } else {
            sb_putc(b, (char)ch);
        }
    }
    sb_putc(b, '"');
}

val fn_sb_val(strbuf *b, fn_err *err)
{
    if (b->failed) {
        sb_free(b);
        return fn_errf(err, -1, "result is too large");
    }
    size_t n = b->len;
    char *s = sb_take(b);
    if (!s)
        return fn_errf(err, -1, "result is too large");
    return val_string_own(s, n);
}

size_t fn_utf8_decode(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        c &= 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return n;
}

void fn_utf8_put(strbuf *b, unsigned cp)
{
    char t[4];
    if (cp < 0x80) {
        sb_putc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        sb_append(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        sb_append(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        sb_append(b, t, 4);
    }
}

/* Code points that extend the previous character into one grapheme
 * (combining marks, variation selectors, emoji modifiers, ZWJ joins). */
static int fn_is_extend(unsigned cp)
{
    static const unsigned r[][2] = {
        {0x300, 0x36F},   {0x483, 0x489},   {0x591, 0x5BD},   {0x5BF, 0x5C7},
        {0x610, 0x61A},   {0x64B, 0x65F},   {0x670, 0x670},   {0x6D6, 0x6ED},
        {0x900, 0x903},   {0x93A, 0x94F},   {0x951, 0x957},   {0x962, 0x963},
        {0x981, 0x983},   {0x9BC, 0x9D7},   {0xE31, 0xE31},   {0xE33, 0xE3A},
        {0xE47, 0xE4E},   {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200C, 0x200D},
        {0x20D0, 0x20FF}, {0x302A, 0x302F}, {0x3099, 0x309A}, {0xFE00, 0xFE0F},
        {0xFE20, 0xFE2F}, {0x1F3FB, 0x1F3FF}, {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
    };
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        if (cp >= r[i][0] && cp <= r[i][1])
            return 1;
    return 0;
}

static int fn_is_regional(unsigned cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Extended_Pictographic, approximately: what a ZWJ may join (GB11). */
static int fn_is_pictographic(unsigned cp)
{
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
           (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
           (cp >= 0x2190 && cp <= 0x21FF) || cp == 0xA9 || cp == 0xAE || cp == 0x203C ||
           cp == 0x2049 || cp == 0x2122 || cp == 0x2139 || cp == 0x3030 || cp == 0x303D ||
           cp == 0x3297 || cp == 0x3299;
}

/* Hangul jamo classes for GB6-GB8: 1 L, 2 V, 3 T, 4 LV, 5 LVT, 0 other. */
static int fn_hangul(unsigned cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0xA960 && cp <= 0xA97C))
        return 1;
    if ((cp >= 0x1160 && cp <= 0x11A7) || (cp >= 0xD7B0 && cp <= 0xD7C6))
        return 2;
    if ((cp >= 0x11A8 && cp <= 0x11FF) || (cp >= 0xD7CB && cp <= 0xD7FB))
        return 3;
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return (cp - 0xAC00) % 28 == 0 ? 4 : 5;
    return 0;
}

/* Whether Hangul class b continues a syllable after class a. */
static int fn_hangul_joins(int a, int b)
{
    return (a == 1 && b != 0 && b != 3) || ((a == 2 || a == 4) && (b == 2 || b == 3)) ||
           ((a == 3 || a == 5) && b == 3);
}

/* Length in bytes of the grapheme starting at s. */
static size_t fn_grapheme(const char *s, size_t len)
{
    unsigned cp, prev;
    size_t n = fn_utf8_decode(s, len, &cp);
    if (cp == '\r' && n < len && s[n] == '\n')
        return n + 1;
    if (fn_is_regional(cp) && n < len) {
        /* a flag is a pair of regional indicators */
        unsigned cp2;
        size_t k = fn_utf8_decode(s + n, len - n, &cp2);
        if (fn_is_regional(cp2))
            n += k;
    }
    prev = cp;
    int pict = fn_is_pictographic(cp);
    while (n < len) {
        size_t k = fn_utf8_decode(s + n, len - n, &cp);
        if (fn_is_extend(cp) || (prev == 0x200D && pict && fn_is_pictographic(cp)) ||
            fn_hangul_joins(fn_hangul(prev), fn_hangul(cp))) {
            n += k;
            prev = cp;
            continue;
        }
        break;
    }
    return n;
}

size_t fn_str_chars(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        i += fn_grapheme(s + i, len - i);
        n++;
    }
    return n;
}

size_t fn_str_char_off(const char *s, size_t len, size_t idx)
{
    size_t i = 0;
    while (idx > 0 && i < len) {
        i += fn_grapheme(s + i, len - i);
        idx--;
    }
    return i;
}

/* ------------------------------------------------------------ calling */

static const fn_param *fn_param_at(const fn_def *f, size_t i)
{
    return i < f->nparams ? &f->params[i] : f->varparam;
}

static ty *fn_ret_type(const fn_def *f, const val *args, size_t nargs)
{
    if (f->type_of)
        return f->type_of(args, nargs);
    return fn_type_ty(f->ret);
}

static void fn_free_args(val *args, size_t nargs, size_t from)
{
    for (size_t i = from; i < nargs; i++)
        val_free(args[i]);
}

/* Wrap an implementation's bare message in HCL's framing. */
static void fn_frame(const fn_def *f, fn_err *err)
{
    char bare[FN_ERR_MSG_MAX];
    memcpy(bare, err->msg, sizeof bare);
    const fn_param *p = err->arg >= 0 ? fn_param_at(f, (size_t)err->arg) : NULL;
    if (p) {
        err->summary = "Invalid function argument";
        snprintf(err->msg, sizeof err->msg, "Invalid value for \"%s\" parameter: %.440s.", p->name,
                 bare);
    } else {
        err->arg = -1;
        err->summary = "Error in function call";
        snprintf(err->msg, sizeof err->msg, "Call to function \"%s\" failed: %.440s.", f->name,
                 bare);
    }
}

/* Count check: 0 or -1 with err filled (HCL's wording). */
static int fn_check_count(const fn_def *f, size_t nargs, fn_err *err)
{
    if (nargs < f->nparams) {
        err->summary = "Not enough function arguments";
        err->arg = -1;
        snprintf(err->msg, sizeof err->msg,
                 "Function \"%s\" expects%s %zu argument(s). Missing value for \"%s\".", f->name,
                 f->varparam ? " at least" : "", f->nparams, f->params[nargs].name);
        return -1;
    }
    if (!f->varparam && nargs > f->nparams) {
        err->summary = "Too many function arguments";
        err->arg = (int)f->nparams;
        snprintf(err->msg, sizeof err->msg, "Function \"%s\" expects only %zu argument(s).",
                 f->name, f->nparams);
        return -1;
    }
    return 0;
}

/* Remove from *arg the sensitive marks its parameter p does not let the impl
 * see (all of them, or with FN_OWN_MARKS the argument's own), as cty's
 * function.Call does.  Returns 1 when a mark was removed: the result must
 * then be sensitive.  *nested is set when an FN_OWN_MARKS argument keeps a
 * sensitive value inside for the impl to carry. */
static int fn_take_marks(const fn_param *p, val *arg, int *nested)
{
    if (p->flags & FN_ALLOW_SENSITIVE)
        return 0;
    if (p->flags & FN_OWN_MARKS) {
        int own = val_is_sensitive(*arg);
        if (own)
            *arg = val_unmark(*arg, VAL_MARK_SENSITIVE);
        if (val_contains_sensitive(*arg))
            *nested = 1;
        return own;
    }
    if (!val_contains_sensitive(*arg))
        return 0;
    *arg = val_unmark_deep(*arg);
    return 1;
}

val fn_call(const fn_def *f, fn_ctx *ctx, val *args, size_t nargs, fn_err *err)
{
    fn_ctx local = {0};
    unsigned marks = 0;
    int want_unknown = 0, nested = 0;
    size_t i = 0;
    val r;

    err->summary = NULL;
    err->arg = -1;
    err->msg[0] = 0;
    if (ctx)
        local = *ctx;
    local.sensitive_args = 0;
    ctx = &local;
    if (!f || (f->flags & FN_SPECIAL) || !f->impl) {
        fn_free_args(args, nargs, 0);
        err->summary = "Error in function call";
        snprintf(err->msg, sizeof err->msg, "Function \"%s\" must be evaluated lazily.",
                 f ? f->name : "?");
        return val_invalid();
    }
    if (fn_check_count(f, nargs, err) < 0) {
        fn_free_args(args, nargs, 0);
        return val_invalid();
    }
    for (i = 0; i < nargs; i++) {
        if (!val_is_valid(args[i])) {   /* a caller bug; refuse rather than crash */
            fn_free_args(args, nargs, 0);
            err->arg = (int)i;
            err->summary = "Invalid function argument";
            snprintf(err->msg, sizeof err->msg, "Invalid value for argument %zu.", i);
            return val_invalid();
        }
    }
    for (i = 0; i < nargs; i++) {
        const fn_param *p = fn_param_at(f, i);
        if (p->type != FN_T_ANY) {
            ty *t = fn_type_ty(p->type);
            val c = val_convert(args[i], t);
            ty_free(t);
            args[i] = c;
            if (!val_is_valid(c)) {
                err->arg = (int)i;
                err->summary = "Invalid function argument";
                snprintf(err->msg, sizeof err->msg, "Invalid value for \"%s\" parameter: %s.",
                         p->name, err_msg());
                fn_free_args(args, nargs, i + 1);
                fn_free_args(args, i, 0);
                return val_invalid();
            }
        }
        if (val_is_null(args[i]) && !(p->flags & FN_ALLOW_NULL)) {
            fn_errf(err, (int)i, "argument must not be null");
            goto fail;
        }
    }
    for (i = 0; i < nargs; i++) {
        const fn_param *p = fn_param_at(f, i);
        if (val_is_unknown(args[i]) && !(p->flags & FN_ALLOW_UNKNOWN))
            want_unknown = 1;
        if (fn_take_marks(p, &args[i], &nested)) {
            marks |= VAL_MARK_SENSITIVE;
            if (i < 8 * sizeof ctx->sensitive_args)
                ctx->sensitive_args |= 1UL << i;
        }
    }
    if (want_unknown) {
        /* cty returns a plain unknown here; we keep sensitivity so that a
         * secret never loses its mark through an unknown. */
        r = val_unknown(fn_ret_type(f, args, nargs));
    } else {
        r = f->impl(ctx, args, nargs, err);
    }
    fn_free_args(args, nargs, 0);
    if (!val_is_valid(r)) {
        fn_frame(f, err);
        return r;
    }
    /* An unknown result has no elements left to carry the nested marks of an
     * FN_OWN_MARKS argument: it takes them whole (cty drops them; we do not
     * leak). */
    if (nested && val_is_unknown(r))
        marks |= VAL_MARK_SENSITIVE;
    if (marks)
        r = val_mark(r, marks);
    return r;
fail:
    fn_free_args(args, nargs, 0);
    fn_frame(f, err);
    return val_invalid();
}

val fn_call_name(const char *name, fn_ctx *ctx, val *args, size_t nargs, fn_err *err)
{
    const fn_def *f = fn_lookup(name);
    if (!f) {
        fn_free_args(args, nargs, 0);
        err->summary = "Call to unknown function";
        err->arg = -1;
        snprintf(err->msg, sizeof err->msg, "There is no function named \"%s\".", name);
        return val_invalid();
    }
    return fn_call(f, ctx, args, nargs, err);
}
