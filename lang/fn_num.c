/*
 * lang/fn_num.c — numeric functions: abs ceil floor log max min parseint
 * pow signum.  Behaviour follows cty's stdlib (numbers are doubles here).
 */
#include "lang/fn_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FN_INT_RANGE_MSG \
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807"

static val fn_abs(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_number(fabs(val_get_number(a[0])));
}

static val fn_ceil(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_number(ceil(val_get_number(a[0])) + 0.0);
}

static val fn_floor(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_number(floor(val_get_number(a[0])) + 0.0);
}

/* cty panics on NaN (it has no NaN); surface that as an error. */
static val fn_num_result(double r, fn_err *e)
{
    if (r != r)
        return fn_errf(e, -1, "the result is not a number (NaN)");
    return val_number(r);
}

static val fn_log(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return fn_num_result(log(val_get_number(a[0])) / log(val_get_number(a[1])), e);
}

static val fn_pow(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return fn_num_result(pow(val_get_number(a[0]), val_get_number(a[1])), e);
}

static val fn_signum(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    double x = val_get_number(a[0]);
    if (!fn_is_int(x))
        return fn_errf(e, -1, FN_INT_RANGE_MSG);
    return val_number(x < 0 ? -1 : x > 0 ? 1 : 0);
}

static val fn_minmax(const val *a, size_t n, fn_err *e, int want_max)
{
    if (n == 0)
        return fn_errf(e, -1, "must pass at least one number");
    double r = want_max ? -INFINITY : INFINITY;
    for (size_t i = 0; i < n; i++) {
        double x = val_get_number(a[i]);
        if (want_max ? x > r : x < r)
            r = x;
    }
    return val_number(r);
}

static val fn_max(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    return fn_minmax(a, n, e, 1);
}

static val fn_min(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    return fn_minmax(a, n, e, 0);
}

/* Digit value in Go's big.Int.SetString for base b, or -1. */
static int fn_digit(char ch, int base)
{
    int d;
    if (ch >= '0' && ch <= '9')
        d = ch - '0';
    else if (ch >= 'a' && ch <= 'z')
        d = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'Z')
        d = ch - 'A' + (base <= 36 ? 10 : 36);
    else
        return -1;
    return d < base ? d : -1;
}

static val fn_parseint(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    ty *t = val_type(a[0]);
    if (ty_kind(t) != TY_STRING) {

        char *fr = ty_friendly_name(t, 0);
        fn_errf(e, 0, "first argument must be a string, not %s", fr);
        free(fr);

        ty_free(t);
        return val_invalid();
    }
    ty_free(t);
    double b = val_get_number(a[1]);
    if (!fn_is_int(b))
        return fn_errf(e, 1, FN_INT_RANGE_MSG);
    if (b < 2 || b > 62)
        return fn_errf(e, 1, "base must be a whole number between 2 and 62 inclusive");
    int base = (int)b;
    const char *s = val_get_string(a[0]);
    size_t len = val_string_len(a[0]), i = 0;
    int neg = 0;
    double r = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == len)
        goto bad;
    for (; i < len; i++) {
        int d = fn_digit(s[i], base);
        if (d < 0)
            goto bad;
        r = r * base + d;
    }
    return val_number(neg && r != 0 ? -r : r);
bad:
    return fn_errf(e, 0, "cannot parse \"%s\" as a base %d integer", s, base);
}

static const fn_param p_num[] = {{"num", FN_T_NUMBER, 0}};
static const fn_param p_log[] = {{"num", FN_T_NUMBER, 0}, {"base", FN_T_NUMBER, 0}};
static const fn_param p_pow[] = {{"num", FN_T_NUMBER, 0}, {"power", FN_T_NUMBER, 0}};
static const fn_param p_numbers = {"numbers", FN_T_NUMBER, 0};
static const fn_param p_parseint[] = {{"number", FN_T_ANY, 0}, {"base", FN_T_NUMBER, 0}};

const fn_def fn_num_defs[] = {
    {"abs", p_num, 1, NULL, FN_T_NUMBER, NULL, fn_abs, 0, "Absolute value."},
    {"ceil", p_num, 1, NULL, FN_T_NUMBER, NULL, fn_ceil, 0, "Round up to a whole number."},
    {"floor", p_num, 1, NULL, FN_T_NUMBER, NULL, fn_floor, 0, "Round down to a whole number."},
    {"log", p_log, 2, NULL, FN_T_NUMBER, NULL, fn_log, 0, "Logarithm in a given base."},
    {"max", NULL, 0, &p_numbers, FN_T_NUMBER, NULL, fn_max, 0, "Greatest of the numbers."},
    {"min", NULL, 0, &p_numbers, FN_T_NUMBER, NULL, fn_min, 0, "Smallest of the numbers."},
    {"parseint", p_parseint, 2, NULL, FN_T_NUMBER, NULL, fn_parseint, 0,
     "Parse a string as an integer in a base."},
    {"pow", p_pow, 2, NULL, FN_T_NUMBER, NULL, fn_pow, 0, "Exponentiation."},
    {"signum", p_num, 1, NULL, FN_T_NUMBER, NULL, fn_signum, 0, "Sign of a number."},
};
const size_t fn_num_defs_count = sizeof fn_num_defs / sizeof *fn_num_defs;
