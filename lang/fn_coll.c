/*
 * lang/fn_coll.c — collection functions: alltrue anytrue chunklist coalesce
 * coalescelist compact concat contains distinct element flatten index keys
 * length lookup matchkeys merge one range reverse slice sort sum transpose
 * values zipmap.  Semantics follow cty's stdlib and Terraform's lang/funcs.
 */
#include "lang/fn_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FN_RANGE_MAX 1024   /* cty's limit on range() results */

static int is_seq_kind(enum val_kind k)
{
    return k == VAL_LIST || k == VAL_SET || k == VAL_TUPLE;
}

static ty *ty_of(val v)
{
    return val_type(v);
}

static char *friendly(val v)
{
    ty *t = val_type(v);
    char *s = ty_friendly_name(t, 0);
    ty_free(t);
    return s;
}

/* Element type for an empty list built from v (a list/set/tuple). */
static ty *seq_elem(val v)
{
    ty *t = val_type(v);
    ty *r = ty_kind(t) == TY_LIST || ty_kind(t) == TY_SET ? ty_copy(ty_elem(t)) : ty_any();
    ty_free(t);
    return r;
}

/* ------------------------------------------------------------ booleans */

static val fn_alltrue(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    for (size_t i = 0; i < val_len(a[0]); i++) {
        val v = *val_at(a[0], i);
        if (val_is_unknown(v))
            return val_unknown(ty_bool());
        if (val_is_null(v) || !val_get_bool(v))
            return val_bool(0);
    }
    return val_bool(1);
}

static val fn_anytrue(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    int unk = 0;
    for (size_t i = 0; i < val_len(a[0]); i++) {
        val v = *val_at(a[0], i);
        if (val_is_unknown(v)) {
            unk = 1;
            continue;
        }
        if (!val_is_null(v) && val_get_bool(v))
            return val_bool(1);
    }
    return unk ? val_unknown(ty_bool()) : val_bool(0);
}

/* ------------------------------------------------------------ length etc */

static val fn_length(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    ty *t = val_type(a[0]);
    enum ty_kind k = ty_kind(t);
    val r = val_invalid();
    if (k == TY_TUPLE || k == TY_OBJECT)
        r = val_number((double)ty_len(t));
    else if (val_is_unknown(a[0]))
        r = val_unknown(ty_number());
    else if (k == TY_STRING)
        r = val_number((double)fn_str_chars(val_get_string(a[0]), val_string_len(a[0])));
    else if (k == TY_LIST || k == TY_SET || k == TY_MAP)
        r = val_number((double)val_len(a[0]));
    else if (k == TY_ANY)
        r = val_unknown(ty_number());
    else
        fn_errf(e, 0, "argument must be a string, a collection type, or a structural type");
    ty_free(t);
    return r;
}

static val fn_chunklist(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    double sz = val_get_number(a[1]);
    if (!fn_is_int(sz))
        return fn_errf(e, -1, "invalid size: value must be a whole number, between "
                              "-9223372036854775808 and 9223372036854775807");
    if (sz < 0)
        return fn_errf(e, -1, "the size argument must be positive");
    ty *lt = val_type(a[0]);
    size_t len = val_len(a[0]);
    if (len == 0)
        return val_list_empty(lt);
    val out = val_list_empty(ty_copy(lt));
    if (sz == 0) {
        ty_free(lt);
        return val_list_append(out, val_copy(a[0]));
    }
    val chunk = val_list_empty(ty_copy(ty_elem(lt)));
    for (size_t i = 0; i < len; i++) {
        chunk = val_list_append(chunk, val_copy(*val_at(a[0], i)));
        if ((i + 1) % (size_t)sz == 0 || i + 1 == len) {
            out = val_list_append(out, chunk);
            chunk = val_list_empty(ty_copy(ty_elem(lt)));
        }
    }
    val_free(chunk);
    ty_free(lt);
    return out;
}

/* Terraform's coalesce: the first argument that is not null and not "". */
static val fn_coalesce(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    if (n == 0)
        return fn_errf(e, -1, "at least one argument is required");
    const ty **ts = xcalloc(n, sizeof *ts);
    for (size_t i = 0; i < n; i++)
        ts[i] = val_type(a[i]);
    ty *u = ty_unify((const ty *const *)ts, n);
    for (size_t i = 0; i < n; i++)
        ty_free((ty *)ts[i]);
    free(ts);
    if (!u)
        return fn_errf(e, -1, "all arguments must have the same type");
    for (size_t i = 0; i < n; i++) {
        val v = val_convert(val_copy(a[i]), u);
        if (!val_is_valid(v)) {
            ty_free(u);
            return fn_errf(e, (int)i, "%s", err_msg());
        }
        if (val_is_unknown(v)) {
            val_free(v);
            return val_unknown(u);
        }
        if (val_is_null(v) || (ty_kind(u) == TY_STRING && val_string_len(v) == 0)) {
            val_free(v);
            continue;
        }
        ty_free(u);
        return v;
    }
    ty_free(u);
    return fn_errf(e, -1, "no non-null, non-empty-string arguments");
}

static val fn_coalescelist(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    if (n == 0)
        return fn_errf(e, -1, "at least one argument is required");
    for (size_t i = 0; i < n; i++) {
        enum val_kind k = val_kind(a[i]);
        ty *t = val_type(a[i]);
        int any = ty_kind(t) == TY_ANY;
        ty_free(t);
        if (val_is_unknown(a[i]))
            return val_unknown(ty_any());
        (void)any;
        if (k != VAL_LIST && k != VAL_TUPLE)
            return fn_errf(e, -1, "coalescelist arguments must be lists or tuples");
    }
    for (size_t i = 0; i < n; i++) {
        if (val_is_null(a[i]))
            continue;
        if (val_len(a[i]) > 0)
            return val_copy(a[i]);
    }
    return fn_errf(e, -1, "no non-null arguments");
}

static val fn_compact(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_list(ty_string()));
    val r = val_list_empty(ty_string());
    for (size_t i = 0; i < val_len(a[0]); i++) {
        val v = *val_at(a[0], i);
        if (val_is_null(v) || val_string_len(v) == 0)
            continue;
        r = val_list_append(r, val_copy(v));
    }
    return r;
}

static val fn_concat(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    if (n == 0)
        return fn_errf(e, -1, "at least one argument is required");
    int all_lists = 1;
    for (size_t i = 0; i < n; i++) {
        enum val_kind k = val_kind(a[i]);
        if (k != VAL_LIST)
            all_lists = 0;
        if (k != VAL_LIST && k != VAL_TUPLE) {
            char *fr = friendly(a[i]);
            fn_errf(e, (int)i, "all arguments must be lists or tuples; got %s", fr);
            free(fr);
            return val_invalid();
        }
    }
    if (all_lists) {
        const ty **ts = xcalloc(n, sizeof *ts);
        for (size_t i = 0; i < n; i++)
            ts[i] = val_type(a[i]);
        ty *u = ty_unify((const ty *const *)ts, n);
        for (size_t i = 0; i < n; i++)
            ty_free((ty *)ts[i]);
        free(ts);
        if (u) {
            val r = val_list_empty(ty_copy(ty_elem(u)));
            for (size_t i = 0; i < n; i++) {
                val l = val_convert(val_copy(a[i]), u);
                if (!val_is_valid(l)) {
                    val_free(r);
                    ty_free(u);
                    return fn_errf(e, (int)i, "%s", err_msg());
                }
                if (val_is_unknown(l)) {
                    val_free(l);
                    val_free(r);
                    return val_unknown(u);
                }
                for (size_t j = 0; j < val_len(l); j++)
                    r = val_list_append(r, val_copy(*val_at(l, j)));
                val_free(l);
            }
            ty_free(u);
            return r;
        }
    }
    val r = val_tuple_empty();
    for (size_t i = 0; i < n; i++) {
        if (val_is_unknown(a[i])) {
            val_free(r);
            return val_unknown(ty_any());
        }
        for (size_t j = 0; j < val_len(a[i]); j++)
            r = val_tuple_append(r, val_copy(*val_at(a[i], j)));
    }
    return r;
}

/* cty's Equals for the purposes of contains/index: 1, 0, or -1 unknown. */
static int coll_equal(val x, val y)
{
    if (!val_is_wholly_known(x) || !val_is_wholly_known(y))
        return -1;
    if (val_is_null(x) || val_is_null(y))
        return val_is_null(x) && val_is_null(y);
    ty *tx = val_type(x), *ty_ = val_type(y);
    int same = ty_equal(tx, ty_);
    ty_free(tx);
    ty_free(ty_);
    if (!same)
        return 0;
    return val_raw_equal(x, y);
}

static val fn_contains(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    if (!is_seq_kind(val_kind(a[0])))
        return fn_errf(e, -1, "argument must be list, tuple, or set");
    if (val_len(a[0]) == 0)
        return val_bool(0);
    if (val_is_unknown(a[0]) || val_is_unknown(a[1]))
        return val_unknown(ty_bool());
    int unk = 0;
    for (size_t i = 0; i < val_len(a[0]); i++) {
        int eq = coll_equal(a[1], *val_at(a[0], i));
        if (eq < 0)
            unk = 1;
        else if (eq)
            return val_bool(1);
    }
    return unk ? val_unknown(ty_bool()) : val_bool(0);
}

static val fn_distinct(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    ty *t = val_type(a[0]);
    if (!val_is_wholly_known(a[0]))
        return val_unknown(t);
    val r = val_list_empty(ty_copy(ty_elem(t)));
    ty_free(t);
    for (size_t i = 0; i < val_len(a[0]); i++) {
        val v = *val_at(a[0], i);
        int seen = 0;
        for (size_t j = 0; j < val_len(r) && !seen; j++)
            seen = val_raw_equal(*val_at(r, j), v);
        if (!seen)
            r = val_list_append(r, val_copy(v));
    }
    return r;
}

static ty *ret_element(const val *a, size_t n);

static val fn_element(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    double idx = val_get_number(a[1]);
    enum val_kind k = val_kind(a[0]);
    if (!fn_is_int(idx))
        return fn_errf(e, -1, "invalid index: value must be a whole number, between "
                              "-9223372036854775808 and 9223372036854775807");
    if (idx < 0)
        return fn_errf(e, -1, "cannot use element function with a negative index");
    if (k != VAL_LIST && k != VAL_TUPLE) {
        char *fr = friendly(a[0]);
        fn_errf(e, -1, "cannot read elements from %s", fr);
        free(fr);
        return val_invalid();
    }
    if (val_is_unknown(a[0]))
        return val_unknown(ret_element(a, n));
    size_t len = val_len(a[0]);
    if (len == 0)
        return fn_errf(e, -1, "cannot use element function with an empty list");
    return val_copy(*val_at(a[0], (size_t)fmod(idx, (double)len)));
}

/* Append the elements of v to *out, those of nested sequences in their
 * place.  A nested sequence's own mark has no element left to stay on, so
 * it is set in *marks for the whole result (cty's flattener).  Returns 0
 * when an unknown sequence (or an unknown of any type) leaves the result's
 * length unknown. */
static int flatten_into(val v, val *out, unsigned *marks)
{
    int known = 1;
    for (size_t i = 0; i < val_len(v); i++) {
        val x = *val_at(v, i);
        ty *t = val_type(x);
        enum ty_kind k = ty_kind(t);
        ty_free(t);
        if (val_is_unknown(x) && k == TY_ANY)
            known = 0;
        if (!val_is_null(x) && (k == TY_LIST || k == TY_SET || k == TY_TUPLE)) {
            *marks |= val_marks(x) & VAL_MARK_SENSITIVE;
            if (val_is_unknown(x)) {
                known = 0;
                continue;
            }
            if (!flatten_into(x, out, marks))
                known = 0;
        } else {
            *out = val_tuple_append(*out, val_copy(x));
        }
    }
    return known;
}

static val fn_flatten(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    if (!is_seq_kind(val_kind(a[0])))
        return fn_errf(e, -1, "can only flatten lists, sets and tuples");
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_any());
    val r = val_tuple_empty();
    unsigned marks = 0;
    if (!flatten_into(a[0], &r, &marks)) {
        val_free(r);
        r = val_unknown(ty_any());
    }
    return val_mark(r, marks);
}

static val fn_index(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    enum val_kind k = val_kind(a[0]);
    if (k != VAL_LIST && k != VAL_TUPLE)
        return fn_errf(e, 0, "argument must be a list or tuple");
    if (val_is_unknown(a[0]))
        return val_unknown(ty_number());
    if (val_len(a[0]) == 0)
        return fn_errf(e, 0, "cannot search an empty list");
    for (size_t i = 0; i < val_len(a[0]); i++) {
        int eq = coll_equal(*val_at(a[0], i), a[1]);
        if (eq < 0)
            return val_unknown(ty_number());
        if (eq)
            return val_number((double)i);
    }
    return fn_errf(e, -1, "item not found");
}

static val fn_keys(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    ty *t = val_type(a[0]);
    enum ty_kind k = ty_kind(t);
    val r;
    if (k == TY_OBJECT) {
        r = val_tuple_empty();
        for (size_t i = 0; i < ty_len(t); i++)
            r = val_tuple_append(r, val_string(ty_attr_name(t, i)));
    } else if (k == TY_MAP) {
        if (val_is_unknown(a[0])) {
            r = val_unknown(ty_list(ty_string()));
        } else {
            r = val_list_empty(ty_string());
            for (size_t i = 0; i < val_len(a[0]); i++)
                r = val_list_append(r, val_string(val_key_at(a[0], i)));
        }
    } else if (k == TY_ANY) {
        r = val_unknown(ty_any());
    } else {
        r = fn_errf(e, 0, "must have map or object type");
    }
    ty_free(t);
    return r;
}

/* Terraform's lookup(map, key, default?). */
static val fn_lookup_map(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    if (n > 3)
        return fn_errf(e, -1, "lookup() accepts no more than three arguments");
    ty *t = val_type(a[0]);
    enum ty_kind k = ty_kind(t);
    const char *key = val_get_string(a[1]);
    val r = val_invalid();
    if (k != TY_OBJECT && k != TY_MAP && k != TY_ANY) {
        r = fn_errf(e, 0, "lookup() requires a map as the first argument");
        goto out;
    }
    if (!val_is_wholly_known(a[0])) {
        r = val_unknown(k == TY_MAP ? ty_copy(ty_elem(t)) : ty_any());
        goto out;
    }
    const val *hit = val_lookup(a[0], key);
    if (hit) {
        r = val_copy(*hit);
        goto out;
    }
    if (n == 3) {
        if (k == TY_MAP) {
            r = val_convert(val_copy(a[2]), ty_elem(t));
            if (!val_is_valid(r))
                r = fn_errf(e, 2, "the default value must have the same type as the map "
                                  "elements");
        } else {
            r = val_copy(a[2]);
        }
        goto out;
    }
    if (k == TY_OBJECT) {
        r = fn_errf(e, 0, "the given object has no attribute \"%s\"", key);
    } else {
        strbuf q = {0};
        fn_quote_redacted(&q, c, 1, key, strlen(key));
        char *qk = sb_take(&q);
        r = fn_errf(e, -1, "lookup failed to find key %s", qk ? qk : "");
        free(qk);
    }
out:
    ty_free(t);
    return r;
}

static val fn_matchkeys(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    if (val_len(a[0]) != val_len(a[1]))
        return fn_errf(e, -1, "length of keys and values should be equal");
    ty *vt = val_type(a[0]);
    ty *kt = val_type(a[1]), *st = val_type(a[2]);
    const ty *pair[2] = {ty_elem(kt), ty_elem(st)};
    ty *u = ty_unify(pair, 2);
    ty_free(kt);
    ty_free(st);
    if (!u) {
        ty_free(vt);
        return fn_errf(e, -1, "keys and searchset must be of the same type");
    }
    ty_free(u);
    if (!val_is_wholly_known(a[1]) || !val_is_wholly_known(a[2])) {
        val r = val_unknown(vt);
        return r;
    }
    val r = val_list_empty(ty_copy(ty_elem(vt)));
    ty_free(vt);
    for (size_t i = 0; i < val_len(a[1]); i++) {
        val k = *val_at(a[1], i);
        for (size_t j = 0; j < val_len(a[2]); j++) {
            int eq = coll_equal(k, *val_at(a[2], j));
            if (eq == 0) {
                /* also compare across number/string spellings after unification */
                ty *t1 = val_type(k), *t2 = val_type(*val_at(a[2], j));
                const ty *p[2] = {t1, t2};
                ty *uu = ty_unify(p, 2);
                if (uu) {
                    val x = val_convert(val_copy(k), uu);
                    val y = val_convert(val_copy(*val_at(a[2], j)), uu);
                    eq = val_is_valid(x) && val_is_valid(y) && val_raw_equal(x, y);
                    val_free(x);
                    val_free(y);
                    ty_free(uu);
                }
                ty_free(t1);
                ty_free(t2);
            }
            if (eq > 0) {
                r = val_list_append(r, val_copy(*val_at(a[0], i)));
                break;
            }
        }
    }
    return r;
}

static val fn_merge(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    if (n == 0)
        return val_object_empty();
    ty *first = NULL;
    int matching = 1, any_unknown = 0;
    for (size_t i = 0; i < n; i++) {
        ty *t = val_type(a[i]);
        enum ty_kind k = ty_kind(t);
        if (k == TY_ANY) {
            ty_free(t);
            if (val_is_unknown(a[i])) {
                ty_free(first);
                return val_unknown(ty_any());
            }
            matching = 0;   /* cty: a dynamic argument makes the result an object */
            continue;
        }
        if (k != TY_MAP && k != TY_OBJECT) {
            char *fr = ty_friendly_name(t, 0);
            fn_errf(e, -1, "arguments must be maps or objects, got \"%s\"", fr);
            free(fr);
            ty_free(t);
            ty_free(first);
            return val_invalid();
        }
        if (val_is_unknown(a[i]))
            any_unknown = 1;
        if (!first)
            first = t;
        else {
            if (!ty_equal(first, t))
                matching = 0;
            ty_free(t);
        }
    }
    if (any_unknown) {
        val r = val_unknown(matching ? first : ty_any());
        if (!matching)
            ty_free(first);
        return r;
    }
    int as_map = matching && ty_kind(first) == TY_MAP;
    val r = as_map ? val_map_empty(ty_copy(ty_elem(first))) : val_object_empty();
    ty_free(first);
    for (size_t i = 0; i < n; i++) {
        if (val_is_null(a[i]))
            continue;
        for (size_t j = 0; j < val_len(a[i]); j++) {
            val v = val_copy(*val_at(a[i], j));
            r = as_map ? val_map_set(r, val_key_at(a[i], j), v)
                       : val_object_set(r, val_key_at(a[i], j), v);
        }
    }
    return r;
}

static val fn_one(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    enum val_kind k = val_kind(a[0]);
    if (!is_seq_kind(k))
        return fn_errf(e, 0, "must be a list, set, or tuple value with either zero or one "
                             "elements");
    if (val_is_unknown(a[0]))
        return val_unknown(seq_elem(a[0]));
    size_t len = val_len(a[0]);
    if (len == 0)
        return val_null_of(seq_elem(a[0]));
    if (len == 1)
        return val_copy(*val_at(a[0], 0));
    return fn_errf(e, 0, "must be a list, set, or tuple value with either zero or one elements");
}

/* cty adds in 512-bit precision, so 0.3 + 0.3 + 0.3 is 0.9 there; snap a
 * double sum to its 15-significant-digit decimal to get the same value. */
static double fn_decimal_snap(double x)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", x);
    return strtod(buf, NULL);
}

static val fn_range(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    double start, end, step;
    switch (n) {
    case 1:
        start = 0, end = val_get_number(a[0]), step = end < 0 ? -1 : 1;
        break;
    case 2:
        start = val_get_number(a[0]), end = val_get_number(a[1]);
        step = end < start ? -1 : 1;
        break;
    case 3:
        start = val_get_number(a[0]), end = val_get_number(a[1]), step = val_get_number(a[2]);
        break;
    default:
        return fn_errf(e, -1, "must have one, two, or three arguments");
    }
    /* cty's "step must not be zero" check never fires (it compares values
     * by identity), so a zero step runs into the 1024-value limit below */
    if (step < 0 && end > start)
        return fn_errf(e, 1, "end must be less than start when step is negative");
    if (step > 0 && end < start)
        return fn_errf(e, 1, "end must be greater than start when step is positive");
    val r = val_list_empty(ty_number());
    size_t cnt = 0;
    for (double x = start; step < 0 ? x > end : x < end; x = fn_decimal_snap(start + step * cnt)) {
        if (cnt++ >= FN_RANGE_MAX) {
            val_free(r);
            return fn_errf(e, -1, "more than 1024 values were generated; either decrease the "
                                  "difference between start and end or use a smaller step");
        }
        r = val_list_append(r, val_number(x));
    }
    return r;
}

static val fn_reverse(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    enum val_kind k = val_kind(a[0]);
    if (!is_seq_kind(k)) {
        char *fr = friendly(a[0]);
        fn_errf(e, 0, "can only reverse list or tuple values, not %s", fr);
        free(fr);
        return val_invalid();
    }
    size_t len = val_len(a[0]);
    val r = k == VAL_TUPLE ? val_tuple_empty() : val_list_empty(seq_elem(a[0]));
    for (size_t i = len; i > 0; i--) {
        val v = val_copy(*val_at(a[0], i - 1));
        r = k == VAL_TUPLE ? val_tuple_append(r, v) : val_list_append(r, v);
    }
    return r;
}

static int slice_idx(val v, int arg, const char *what, size_t len, long *out, fn_err *e)
{
    double x = val_get_number(v);
    if (!fn_is_int(x)) {
        fn_errf(e, arg, "invalid %s index: value must be a whole number, between "
                        "-9223372036854775808 and 9223372036854775807", what);
        return -1;
    }
    if (x < 0) {
        fn_errf(e, arg, "%s index must not be less than zero", what);
        return -1;
    }
    if (x > (double)len) {
        fn_errf(e, arg, "%s index must not be greater than the length of the list", what);
        return -1;
    }
    *out = (long)x;
    return 0;
}

static val fn_slice(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    enum val_kind k = val_kind(a[0]);
    if (k == VAL_SET)
        return fn_errf(e, 0, "cannot slice a set, because its elements do not have indices; "
                             "explicitly convert to a list if the ordering of the result is not "
                             "important");
    if (k != VAL_LIST && k != VAL_TUPLE)
        return fn_errf(e, 0, "must be a list or tuple value");
    if (val_is_unknown(a[0]) && k == VAL_LIST)
        return val_unknown(ty_of(a[0]));
    size_t len = val_len(a[0]);
    long st, en;
    if (slice_idx(a[1], 1, "start", len, &st, e) < 0 || slice_idx(a[2], 2, "end", len, &en, e) < 0)
        return val_invalid();
    if (st > en)
        return fn_errf(e, 1, "start index must not be greater than end index");
    val r = k == VAL_TUPLE ? val_tuple_empty() : val_list_empty(seq_elem(a[0]));
    for (long i = st; i < en; i++) {
        val v = val_copy(*val_at(a[0], (size_t)i));
        r = k == VAL_TUPLE ? val_tuple_append(r, v) : val_list_append(r, v);
    }
    return r;
}

static int cmp_str_val(const void *x, const void *y)
{
    const val *a = x, *b = y;
    size_t la = val_string_len(*a), lb = val_string_len(*b);
    int c = memcmp(val_get_string(*a), val_get_string(*b), la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static val fn_sort(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_list(ty_string()));
    size_t len = val_len(a[0]);
    val *items = xcalloc(len ? len : 1, sizeof *items);
    for (size_t i = 0; i < len; i++) {
        items[i] = *val_at(a[0], i);
        if (val_is_null(items[i])) {
            free(items);
            return fn_errf(e, -1, "given list element %zu is null; a null string cannot be "
                                  "sorted", i);
        }
    }
    qsort(items, len, sizeof *items, cmp_str_val);
    val r = val_list_empty(ty_string());
    for (size_t i = 0; i < len; i++)
        r = val_list_append(r, val_copy(items[i]));
    free(items);
    return r;
}

static val fn_sum(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    enum val_kind k = val_kind(a[0]);
    int mapping = k == VAL_MAP || k == VAL_OBJECT;
    if (!is_seq_kind(k) && !mapping)
        return fn_errf(e, 0, "cannot sum noniterable");
    size_t len = val_len(a[0]);
    if (len == 0)
        return fn_errf(e, 0, "cannot sum an empty list");
    if (mapping) {
        char *fr = friendly(a[0]);
        fn_errf(e, 0, "argument must be list, set, or tuple. Received %s", fr);
        free(fr);
        return val_invalid();
    }
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_number());
    double s = 0;
    for (size_t i = 0; i < len; i++) {
        val v = *val_at(a[0], i);
        if (val_is_null(v))
            return fn_errf(e, 0, "argument must be list, set, or tuple of number values");
        val x = val_convert(val_copy(v), ty_number());
        if (!val_is_valid(x))
            return fn_errf(e, 0, "argument must be list, set, or tuple of number values");
        s += val_get_number(x);
        val_free(x);
    }
    if (isinf(s) && s != s)
        return fn_errf(e, -1, "can't compute sum of opposing infinities");
    return val_number(s);
}

static val fn_transpose(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    if (!val_is_wholly_known(a[0]))
        return val_unknown(ty_map(ty_list(ty_string())));
    val r = val_map_empty(ty_list(ty_string()));
    for (size_t i = 0; i < val_len(a[0]); i++) {
        const char *key = val_key_at(a[0], i);
        val l = *val_at(a[0], i);
        if (val_is_null(l))
            continue;
        for (size_t j = 0; j < val_len(l); j++) {
            val el = *val_at(l, j);
            if (val_is_null(el)) {
                val_free(r);
                return fn_errf(e, -1, "input must not contain null string values");
            }
            const char *k2 = val_get_string(el);
            const val *cur = val_lookup(r, k2);
            val nl = cur ? val_copy(*cur) : val_list_empty(ty_string());
            nl = val_list_append(nl, val_string(key));
            r = val_map_set(r, k2, nl);
        }
    }
    return r;
}

static val fn_values(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    ty *t = val_type(a[0]);
    enum ty_kind k = ty_kind(t);
    val r;
    if (k == TY_MAP) {
        if (val_is_unknown(a[0])) {
            r = val_unknown(ty_list(ty_copy(ty_elem(t))));
        } else {
            r = val_list_empty(ty_copy(ty_elem(t)));
            for (size_t i = 0; i < val_len(a[0]); i++)
                r = val_list_append(r, val_copy(*val_at(a[0], i)));
        }
    } else if (k == TY_OBJECT) {
        if (val_is_unknown(a[0])) {
            r = val_unknown(ty_any());
        } else {
            r = val_tuple_empty();
            for (size_t i = 0; i < val_len(a[0]); i++)
                r = val_tuple_append(r, val_copy(*val_at(a[0], i)));
        }
    } else if (k == TY_ANY) {
        r = val_unknown(ty_any());
    } else {
        r = fn_errf(e, -1, "values() requires a map as the first argument");
    }
    ty_free(t);
    return r;
}

static val fn_zipmap(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    enum val_kind vk = val_kind(a[1]);
    if (vk != VAL_LIST && vk != VAL_TUPLE)
        return fn_errf(e, -1, "values argument must be a list or tuple value");
    if (!val_is_wholly_known(a[0]) || val_is_unknown(a[1]))
        return val_unknown(ty_any());
    size_t nk = val_len(a[0]), nv = val_len(a[1]);
    if (nk != nv)
        return fn_errf(e, -1, "number of keys (%zu) does not match number of values (%zu)", nk,
                       nv);
    for (size_t i = 0; i < nk; i++)
        if (val_is_null(*val_at(a[0], i)))
            return fn_errf(e, -1, "keys list has null value at index %zu", i);
    val r;
    if (vk == VAL_LIST) {
        ty *t = val_type(a[1]);
        r = val_map_empty(ty_copy(ty_elem(t)));
        ty_free(t);
        for (size_t i = 0; i < nk; i++)
            r = val_map_set(r, val_get_string(*val_at(a[0], i)), val_copy(*val_at(a[1], i)));
    } else {
        r = val_object_empty();
        for (size_t i = 0; i < nk; i++)
            r = val_object_set(r, val_get_string(*val_at(a[0], i)), val_copy(*val_at(a[1], i)));
    }
    return r;
}

/* list() and map() were removed in Terraform 0.12; calls explain why. */
static val fn_list_removed(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)a, (void)n;
    return fn_errf(e, -1, "the \"list\" function was deprecated in Terraform v0.12 and is no "
                          "longer available; use tolist([ ... ]) syntax to write a literal list");
}

static val fn_map_removed(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)a, (void)n;
    return fn_errf(e, -1, "the \"map\" function was deprecated in Terraform v0.12 and is no "
                          "longer available; use tomap({ ... }) syntax to write a literal map");
}

static ty *ret_first(const val *a, size_t n)
{
    (void)n;
    return val_type(a[0]);
}

/* element(): the element type of a list/set, or of the indexed tuple
 * element when the index is known. */
static ty *ret_element(const val *a, size_t n)
{
    ty *t = val_type(a[0]), *r;
    enum ty_kind k = ty_kind(t);
    if (k == TY_LIST || k == TY_SET) {
        r = ty_copy(ty_elem(t));
    } else if (k == TY_TUPLE && n > 1 && ty_len(t) > 0 && !val_is_unknown(a[1]) &&
               val_kind(a[1]) == VAL_NUMBER && fn_is_int(val_get_number(a[1])) &&
               val_get_number(a[1]) >= 0) {
        r = ty_copy(ty_index(t, (size_t)fmod(val_get_number(a[1]), (double)ty_len(t))));
    } else {
        r = ty_any();
    }
    ty_free(t);
    return r;
}

/* one(): element type of a list/set, the only element of a 1-tuple. */
static ty *ret_one(const val *a, size_t n)
{
    (void)n;
    ty *t = val_type(a[0]), *r;
    enum ty_kind k = ty_kind(t);
    if (k == TY_LIST || k == TY_SET)
        r = ty_copy(ty_elem(t));
    else if (k == TY_TUPLE && ty_len(t) == 1)
        r = ty_copy(ty_index(t, 0));
    else
        r = ty_any();
    ty_free(t);
    return r;
}

/* lookup(): map element type, or the attribute's type for a known key. */
static ty *ret_lookup(const val *a, size_t n)
{
    ty *t = val_type(a[0]), *r = NULL;
    enum ty_kind k = ty_kind(t);
    if (k == TY_MAP) {
        r = ty_copy(ty_elem(t));
    } else if (k == TY_OBJECT && !val_is_unknown(a[1]) && val_kind(a[1]) == VAL_STRING) {
        long i = ty_attr_find(t, val_get_string(a[1]));
        if (i >= 0)
            r = ty_copy(ty_index(t, (size_t)i));
        else if (n > 2)
            r = val_type(a[2]);
    }
    ty_free(t);
    return r ? r : ty_any();
}

static ty *ret_list_of_first(const val *a, size_t n)
{
    (void)n;
    return ty_list(val_type(a[0]));
}

/* reverse(): a list keeps its type, a tuple's element types reverse. */
static ty *ret_reverse(const val *a, size_t n)
{
    (void)n;
    ty *t = val_type(a[0]), *r;
    enum ty_kind k = ty_kind(t);
    if (k == TY_LIST) {
        r = ty_copy(t);
    } else if (k == TY_TUPLE) {
        size_t len = ty_len(t);
        ty **el = malloc((len ? len : 1) * sizeof *el);
        if (!el)
            abort();
        for (size_t i = 0; i < len; i++)
            el[i] = ty_copy(ty_index(t, len - 1 - i));
        r = ty_tuple(el, len);
        free(el);
    } else {
        r = ty_any();
    }
    ty_free(t);
    return r;
}

/* slice(): a list keeps its type; a tuple's depends on the indices. */
static ty *ret_slice(const val *a, size_t n)
{
    (void)n;
    ty *t = val_type(a[0]);
    if (ty_kind(t) == TY_LIST)
        return t;
    ty_free(t);
    return ty_any();
}

/* values(): list of a map's element type, tuple of an object's attributes
 * (in their sorted order, as the values come out). */
static ty *ret_values(const val *a, size_t n)
{
    (void)n;
    ty *t = val_type(a[0]), *r;
    enum ty_kind k = ty_kind(t);
    if (k == TY_MAP) {
        r = ty_list(ty_copy(ty_elem(t)));
    } else if (k == TY_OBJECT) {
        size_t len = ty_len(t);
        ty **el = malloc((len ? len : 1) * sizeof *el);
        if (!el)
            abort();
        for (size_t i = 0; i < len; i++)
            el[i] = ty_copy(ty_index(t, i));
        r = ty_tuple(el, len);
        free(el);
    } else {
        r = ty_any();
    }
    ty_free(t);
    return r;
}

static const fn_param p_list_bool[] = {{"list", FN_T_LIST_BOOL, 0}};
static const fn_param p_chunk[] = {{"list", FN_T_LIST_ANY, FN_OWN_MARKS},
                                   {"size", FN_T_NUMBER, 0}};
static const fn_param p_vals_unk = {"vals", FN_T_ANY, FN_ALLOW_NULL | FN_ALLOW_UNKNOWN};
static const fn_param p_list_str[] = {{"list", FN_T_LIST_STRING, 0}};
static const fn_param p_seqs = {"seqs", FN_T_ANY, FN_OWN_MARKS};
static const fn_param p_contains[] = {{"list", FN_T_ANY, 0}, {"value", FN_T_ANY, 0}};
static const fn_param p_list_any[] = {{"list", FN_T_LIST_ANY, 0}};
static const fn_param p_element[] = {{"list", FN_T_ANY, FN_OWN_MARKS},
                                     {"index", FN_T_NUMBER, 0}};
static const fn_param p_list_dyn[] = {{"list", FN_T_ANY, 0}};
/* Functions that rebuild their result from the parts of a sequence or map
 * (cty's AllowMarked: element, reverse, slice, values...): each part keeps
 * its own marks, and only the argument's own mark covers the result. */
static const fn_param p_list_parts[] = {{"list", FN_T_ANY, FN_OWN_MARKS}};
static const fn_param p_index[] = {{"list", FN_T_ANY, 0}, {"value", FN_T_ANY, 0}};
/* Keys and a length do not depend on the values inside, so only the
 * argument's own mark reaches the result (Terraform's length, cty's keys). */
static const fn_param p_keys[] = {{"inputMap", FN_T_ANY, FN_ALLOW_UNKNOWN | FN_OWN_MARKS}};
static const fn_param p_length[] = {{"value", FN_T_ANY, FN_ALLOW_UNKNOWN | FN_OWN_MARKS}};
/* Terraform's lookup: the element found keeps its marks and gets the map's
 * and the key's; the default keeps its own marks and reaches the result only
 * when it is the result (so the impl handles them). */
static const fn_param p_lookup[] = {{"inputMap", FN_T_ANY, FN_OWN_MARKS},
                                    {"key", FN_T_STRING, 0}};
static const fn_param p_lookup_def = {"default", FN_T_ANY,
                                      FN_ALLOW_NULL | FN_ALLOW_UNKNOWN | FN_ALLOW_SENSITIVE};
static const fn_param p_matchkeys[] = {{"values", FN_T_LIST_ANY, 0}, {"keys", FN_T_LIST_ANY, 0},
                                       {"searchset", FN_T_LIST_ANY, 0}};
static const fn_param p_maps = {"maps", FN_T_ANY, FN_ALLOW_NULL | FN_OWN_MARKS};
static const fn_param p_params = {"params", FN_T_NUMBER, 0};
static const fn_param p_slice[] = {{"list", FN_T_ANY, FN_OWN_MARKS},
                                   {"start_index", FN_T_NUMBER, 0},
                                   {"end_index", FN_T_NUMBER, 0}};
static const fn_param p_transpose[] = {{"values", FN_T_MAP_LIST_STRING, 0}};
static const fn_param p_mapping[] = {{"mapping", FN_T_ANY, FN_OWN_MARKS}};
/* A key cannot carry a mark, so a sensitive key marks the whole map (cty). */
static const fn_param p_zipmap[] = {{"keys", FN_T_LIST_STRING, 0},
                                    {"values", FN_T_ANY, FN_OWN_MARKS}};

const fn_def fn_coll_defs[] = {
    {"alltrue", p_list_bool, 1, NULL, FN_T_BOOL, NULL, fn_alltrue, 0, "All elements true."},
    {"anytrue", p_list_bool, 1, NULL, FN_T_BOOL, NULL, fn_anytrue, 0, "Any element true."},
    {"chunklist", p_chunk, 2, NULL, FN_T_ANY, ret_list_of_first, fn_chunklist, 0,
     "Split a list into chunks."},
    {"coalesce", NULL, 0, &p_vals_unk, FN_T_ANY, NULL, fn_coalesce, 0,
     "First non-null, non-empty argument."},
    {"coalescelist", NULL, 0, &p_vals_unk, FN_T_ANY, NULL, fn_coalescelist, 0,
     "First non-empty list."},
    {"compact", p_list_str, 1, NULL, FN_T_LIST_STRING, NULL, fn_compact, 0,
     "Remove empty strings."},
    {"concat", NULL, 0, &p_seqs, FN_T_ANY, NULL, fn_concat, 0, "Concatenate lists."},
    {"contains", p_contains, 2, NULL, FN_T_BOOL, NULL, fn_contains, 0, "Membership test."},
    {"distinct", p_list_any, 1, NULL, FN_T_ANY, ret_first, fn_distinct, 0,
     "Remove duplicates."},
    {"element", p_element, 2, NULL, FN_T_ANY, ret_element, fn_element, 0,
     "Element with wrap-around."},
    {"flatten", p_list_parts, 1, NULL, FN_T_ANY, NULL, fn_flatten, 0, "Flatten nested lists."},
    {"index", p_index, 2, NULL, FN_T_NUMBER, NULL, fn_index, 0, "Index of a value."},
    {"keys", p_keys, 1, NULL, FN_T_ANY, NULL, fn_keys, 0, "Keys of a map."},
    {"length", p_length, 1, NULL, FN_T_NUMBER, NULL, fn_length, 0, "Length."},
    {"list", NULL, 0, &p_vals_unk, FN_T_ANY, NULL, fn_list_removed, 0,
     "Removed in Terraform 0.12 (use tolist)."},
    {"lookup", p_lookup, 2, &p_lookup_def, FN_T_ANY, ret_lookup, fn_lookup_map, 0,
     "Map element with default."},
    {"map", NULL, 0, &p_vals_unk, FN_T_ANY, NULL, fn_map_removed, 0,
     "Removed in Terraform 0.12 (use tomap)."},
    {"matchkeys", p_matchkeys, 3, NULL, FN_T_ANY, ret_first, fn_matchkeys, 0,
     "Elements whose keys are in a set."},
    {"merge", NULL, 0, &p_maps, FN_T_ANY, NULL, fn_merge, 0, "Merge maps or objects."},
    {"one", p_list_dyn, 1, NULL, FN_T_ANY, ret_one, fn_one, 0, "The only element, or null."},
    {"range", NULL, 0, &p_params, FN_T_LIST_NUMBER, NULL, fn_range, 0, "A list of numbers."},
    {"reverse", p_list_parts, 1, NULL, FN_T_ANY, ret_reverse, fn_reverse, 0, "Reverse a list."},
    {"slice", p_slice, 3, NULL, FN_T_ANY, ret_slice, fn_slice, 0, "A sub-list."},
    {"sort", p_list_str, 1, NULL, FN_T_LIST_STRING, NULL, fn_sort, 0, "Sort strings."},
    {"sum", p_list_dyn, 1, NULL, FN_T_NUMBER, NULL, fn_sum, 0, "Sum of numbers."},
    {"transpose", p_transpose, 1, NULL, FN_T_MAP_LIST_STRING, NULL, fn_transpose, 0,
     "Swap keys and values of a map of lists."},
    {"values", p_mapping, 1, NULL, FN_T_ANY, ret_values, fn_values, 0, "Values of a map."},
    {"zipmap", p_zipmap, 2, NULL, FN_T_ANY, NULL, fn_zipmap, 0, "Map from keys and values."},
};
const size_t fn_coll_defs_count = sizeof fn_coll_defs / sizeof *fn_coll_defs;

/* ------------------------------------------------------------ sets */

/* Convert every argument to set(U) for the unified element type U. */
static val set_op(const val *a, size_t n, fn_err *e, int op)
{
    const ty **ts = xcalloc(n, sizeof *ts);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        ty *t = val_type(a[i]);
        if (!val_is_unknown(a[i]) && val_len(a[i]) == 0 && ty_kind(ty_elem(t)) == TY_ANY) {
            ty_free(t);
            continue;
        }
        ts[nt++] = ty_copy(ty_elem(t));
        ty_free(t);
    }
    ty *u = nt ? ty_unify((const ty *const *)ts, nt) : ty_any();
    for (size_t i = 0; i < nt; i++)
        ty_free((ty *)ts[i]);
    free(ts);
    if (!u)
        return fn_errf(e, -1, "given sets must all have compatible element types");
    ty *st = ty_set(u);
    val acc = val_invalid();
    for (size_t i = 0; i < n; i++) {
        val s = val_convert(val_copy(a[i]), st);
        if (!val_is_valid(s)) {
            val_free(acc);
            ty_free(st);
            return fn_errf(e, (int)i, "%s", err_msg());
        }
        if (!val_is_wholly_known(s)) {
            val_free(s);
            val_free(acc);
            return val_unknown(st);
        }
        if (i == 0) {
            acc = s;
            continue;
        }
        val r = val_set_empty(ty_copy(ty_elem(st)));
        if (op == 'u') {
            for (size_t j = 0; j < val_len(acc); j++)
                r = val_set_add(r, val_copy(*val_at(acc, j)));
            for (size_t j = 0; j < val_len(s); j++)
                r = val_set_add(r, val_copy(*val_at(s, j)));
        } else {
            for (size_t j = 0; j < val_len(acc); j++) {
                val x = *val_at(acc, j);
                int found = 0;
                for (size_t k = 0; k < val_len(s) && !found; k++)
                    found = val_raw_equal(x, *val_at(s, k));
                if ((op == 'i') == found)
                    r = val_set_add(r, val_copy(x));
            }
        }
        val_free(acc);
        val_free(s);
        acc = r;
    }
    ty_free(st);
    return acc;
}

static val fn_setunion(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    return set_op(a, n, e, 'u');
}

static val fn_setintersection(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    return set_op(a, n, e, 'i');
}

static val fn_setsubtract(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    return set_op(a, n, e, 's');
}

static val fn_setproduct(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    if (n < 2)
        return fn_errf(e, -1, "at least two arguments are required");
    size_t nlists = 0;
    ty **ets = xcalloc(n, sizeof *ets);
    val r = val_invalid();
    for (size_t i = 0; i < n; i++) {
        ty *t = val_type(a[i]);
        enum ty_kind k = ty_kind(t);
        if (k == TY_SET) {
            ets[i] = ty_copy(ty_elem(t));
        } else if (k == TY_LIST) {
            ets[i] = ty_copy(ty_elem(t));
            nlists++;
        } else if (k == TY_TUPLE) {
            nlists++;
            if (ty_len(t) == 0) {
                ets[i] = ty_any();
            } else {
                const ty **tt = xcalloc(ty_len(t), sizeof *tt);
                for (size_t j = 0; j < ty_len(t); j++)
                    tt[j] = ty_index(t, j);
                ets[i] = ty_unify((const ty *const *)tt, ty_len(t));
                free(tt);
                if (!ets[i]) {
                    ty_free(t);
                    fn_errf(e, (int)i, "all elements must be of the same type");
                    goto out;
                }
            }
        } else {
            ty_free(t);
            fn_errf(e, (int)i, "a set or a list is required");
            goto out;
        }
        ty_free(t);
    }
    ty **copies = xcalloc(n, sizeof *copies);
    for (size_t i = 0; i < n; i++)
        copies[i] = ty_copy(ets[i]);
    ty *tt = ty_tuple(copies, n);
    free(copies);
    int as_list = nlists == n;
    size_t total = 1;
    for (size_t i = 0; i < n; i++) {
        if (val_is_unknown(a[i])) {
            r = val_unknown(as_list ? ty_list(tt) : ty_set(tt));
            goto out;
        }
        total *= val_len(a[i]);
        if (total > FN_MAX_ELEMS) {
            ty_free(tt);
            fn_errf(e, -1, "the product has too many elements");
            goto out;
        }
    }
    r = as_list ? val_list_empty(ty_copy(tt)) : val_set_empty(ty_copy(tt));
    size_t *idx = xcalloc(n, sizeof *idx);
    for (size_t p = 0; p < total; p++) {
        val tup = val_tuple_empty();
        for (size_t j = 0; j < n; j++) {
            val v = val_convert(val_copy(*val_at(a[j], idx[j])), ets[j]);
            tup = val_tuple_append(tup, v);
        }
        tup = val_convert(tup, tt);
        r = as_list ? val_list_append(r, tup) : val_set_add(r, tup);
        for (size_t j = n; j > 0; j--) {
            if (++idx[j - 1] < val_len(a[j - 1]))
                break;
            idx[j - 1] = 0;
        }
    }
    free(idx);
    ty_free(tt);
out:
    for (size_t i = 0; i < n; i++)
        ty_free(ets[i]);
    free(ets);
    return r;
}

/* setunion()/setintersection(): a set of the unified element types of
 * every argument (cty's setOperationReturnType). */
static ty *ret_setop(const val *a, size_t n)
{
    const ty **el = malloc((n ? n : 1) * sizeof *el);
    ty **owned = malloc((n ? n : 1) * sizeof *owned);
    if (!el || !owned)
        abort();
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        owned[i] = val_type(a[i]);
        if (ty_kind(owned[i]) != TY_SET)
            ok = 0;
        el[i] = ok ? ty_elem(owned[i]) : NULL;
    }
    ty *u = ok && n ? ty_unify_safe(el, n) : NULL;
    for (size_t i = 0; i < n; i++)
        ty_free(owned[i]);
    free(owned);
    free((void *)el);
    return ty_set(u ? u : ty_any());
}

static const fn_param p_set1[] = {{"first_set", FN_T_SET_ANY, 0}};
static const fn_param p_setv = {"other_sets", FN_T_SET_ANY, 0};
static const fn_param p_setsub[] = {{"a", FN_T_SET_ANY, 0}, {"b", FN_T_SET_ANY, 0}};
/* Each element keeps its mark in its tuple; a set result takes them whole
 * (val_set_add), as cty.SetVal does. */
static const fn_param p_sets = {"sets", FN_T_ANY, FN_OWN_MARKS};

const fn_def fn_set_defs[] = {
    {"setintersection", p_set1, 1, &p_setv, FN_T_SET_ANY, ret_setop, fn_setintersection, 0,
     "Elements in every set."},
    {"setproduct", NULL, 0, &p_sets, FN_T_ANY, NULL, fn_setproduct, 0,
     "Cartesian product."},
    {"setsubtract", p_setsub, 2, NULL, FN_T_SET_ANY, NULL, fn_setsubtract, 0,
     "Elements of a not in b."},
    {"setunion", p_set1, 1, &p_setv, FN_T_SET_ANY, ret_setop, fn_setunion, 0,
     "Elements in any set."},
};
const size_t fn_set_defs_count = sizeof fn_set_defs / sizeof *fn_set_defs;
