/*
 * lang/fn_type.c — type conversion functions: tobool tolist tomap tonumber
 * toset tostring (Terraform's explicit conversions, with its error
 * wording), sensitive and nonsensitive.  can() and try() are special forms
 * the evaluator implements (see fn.h).
 */
#include "lang/fn_int.h"

#include <stdlib.h>
#include <string.h>

static val to_type(const val *a, ty *want, fn_err *e)
{
    val v = a[0];
    int sens = val_contains_sensitive(v);
    ty *got = val_type(v);
    val r = val_invalid();
    if (val_is_unknown(v)) {
        r = val_unknown(ty_copy(want));
        if (sens)
            r = val_mark(r, VAL_MARK_SENSITIVE);
        goto out;
    }
    if (!ty_equal(got, want) && !ty_convertible(got, want, 1)) {
        char *gn = ty_friendly_name(got, 0), *wn = ty_friendly_name(want, 1);
        enum ty_kind gk = ty_kind(got), wk = ty_kind(want);
        if ((gk == TY_TUPLE && wk == TY_TUPLE) || (gk == TY_OBJECT && wk == TY_OBJECT)) {
            char *mm = ty_mismatch_msg(got, want);
            fn_errf(e, 0, "incompatible %s type for conversion: %s",
                    gk == TY_TUPLE ? "tuple" : "object", mm);
            free(mm);
        } else {
            fn_errf(e, 0, "cannot convert %s to %s", gn, wn);
        }
        free(gn);
        free(wn);
        goto out;
    }
    /* Terraform's conversions take marks (its MakeToFunc, AllowMarked): the
     * value's own mark stays on the result and marks inside stay where they
     * are (a set takes its elements' marks whole, as cty.SetVal does). */
    val plain = val_unmark_deep(val_copy(v));
    r = val_convert(val_copy(v), want);
    if (!val_is_valid(r)) {
        char *gn = ty_friendly_name(got, 0), *wn = ty_friendly_name(want, 1);
        enum ty_kind gk = ty_kind(got), wk = ty_kind(want);
        if (sens) {
            fn_errf(e, 0, "cannot convert this sensitive %s to %s", gn, wn);
        } else if (gk == TY_STRING && (wk == TY_BOOL || wk == TY_NUMBER)) {
            strbuf q = {0};
            if (val_is_null(plain)) {
                sb_puts(&q, "string");
            } else {
                /* Go's strconv.Quote is close enough to a JSON quote here */
                sb_putc(&q, '"');
                const char *s = val_get_string(plain);
                for (size_t i = 0; i < val_string_len(plain); i++) {
                    unsigned char ch = (unsigned char)s[i];
                    if (ch == '"' || ch == '\\')
                        sb_printf(&q, "\\%c", ch);
                    else if (ch == '\n')
                        sb_puts(&q, "\\n");
                    else if (ch == '\t')
                        sb_puts(&q, "\\t");
                    else if (ch < 0x20 || ch == 0x7F)
                        sb_printf(&q, "\\x%02x", ch);
                    else
                        sb_putc(&q, (char)ch);
                }
                sb_putc(&q, '"');
            }
            char *qs = sb_take(&q);
            if (wk == TY_BOOL)
                fn_errf(e, 0, "cannot convert %s to bool; only the strings \"true\" or \"false\" "
                              "are allowed", qs ? qs : "string");
            else
                fn_errf(e, 0, "cannot convert %s to number; given string must be a decimal "
                              "representation of a number", qs ? qs : "string");
            free(qs);
        } else {
            fn_errf(e, 0, "cannot convert %s to %s", gn, wn);
        }
        free(gn);
        free(wn);
    } else if (val_is_sensitive(v)) {
        r = val_mark(r, VAL_MARK_SENSITIVE);
    }
    val_free(plain);
out:
    ty_free(got);
    ty_free(want);
    return r;
}

static val fn_tobool(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return to_type(a, ty_bool(), e);
}

static val fn_tonumber(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return to_type(a, ty_number(), e);
}

static val fn_tostring(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return to_type(a, ty_string(), e);
}

static val fn_tolist(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return to_type(a, ty_list(ty_any()), e);
}

static val fn_toset(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return to_type(a, ty_set(ty_any()), e);
}

static val fn_tomap(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return to_type(a, ty_map(ty_any()), e);
}

static val fn_sensitive(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_mark(val_copy(a[0]), VAL_MARK_SENSITIVE);
}

static val fn_nonsensitive(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_unmark(val_copy(a[0]), VAL_MARK_SENSITIVE);
}

static val fn_issensitive(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_bool(val_is_sensitive(a[0]));
}

/* cairn has no ephemeral values, so this is the identity. */
static val fn_ephemeralasnull(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_copy(a[0]);
}

#define CONV_FLAGS (FN_ALLOW_NULL | FN_ALLOW_SENSITIVE | FN_ALLOW_UNKNOWN)
static const fn_param p_v[] = {{"v", FN_T_ANY, CONV_FLAGS}};
static const fn_param p_value[] = {
    {"value", FN_T_ANY, FN_ALLOW_NULL | FN_ALLOW_SENSITIVE | FN_ALLOW_UNKNOWN}};

const fn_def fn_type_defs[] = {
    {"ephemeralasnull", p_value, 1, NULL, FN_T_ANY, NULL, fn_ephemeralasnull, 0,
     "Ephemeral values as null (identity here)."},
    {"issensitive", p_value, 1, NULL, FN_T_BOOL, NULL, fn_issensitive, 0,
     "Whether a value is marked sensitive."},
    {"nonsensitive", p_value, 1, NULL, FN_T_ANY, NULL, fn_nonsensitive, 0,
     "Remove the sensitive mark."},
    {"sensitive", p_value, 1, NULL, FN_T_ANY, NULL, fn_sensitive, 0, "Mark as sensitive."},
    {"tobool", p_v, 1, NULL, FN_T_BOOL, NULL, fn_tobool, 0, "Convert to bool."},
    {"tolist", p_v, 1, NULL, FN_T_LIST_ANY, NULL, fn_tolist, 0, "Convert to a list."},
    {"tomap", p_v, 1, NULL, FN_T_MAP_ANY, NULL, fn_tomap, 0, "Convert to a map."},
    {"tonumber", p_v, 1, NULL, FN_T_NUMBER, NULL, fn_tonumber, 0, "Convert to a number."},
    {"toset", p_v, 1, NULL, FN_T_SET_ANY, NULL, fn_toset, 0, "Convert to a set."},
    {"tostring", p_v, 1, NULL, FN_T_STRING, NULL, fn_tostring, 0, "Convert to a string."},
};
const size_t fn_type_defs_count = sizeof fn_type_defs / sizeof *fn_type_defs;
