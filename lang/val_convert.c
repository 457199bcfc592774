/*
 * lang/val_convert.c — Terraform's type conversions and unification
 * (the behaviour of go-cty's convert package, re-expressed).
 *
 * Two layers, as in cty: a type-level question ("is there a conversion
 * from type A to type B?", conv_ok) that decides what may be tried and how
 * to word a mismatch, and a value-level walk (conv) that performs it and
 * may still fail on particular values (the string "abc" to number).
 * "unsafe" conversions are those that can fail on some values
 * (string->number, string->bool, list->set, map->object); val_convert uses
 * them, as Terraform does.
 *
 * Defaults of optional object attributes (object({a=optional(string,"x")}))
 * are applied during conversion: a missing or null attribute takes its
 * default, converted to the attribute type.
 */
#include "lang/val.h"
#include "lang/val_internal.h"
#include "lang/diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static ty *unify(const ty *const *types, size_t n, int unsafe);

/* ---------------------------------------------------------------- names */

static void friendly(strbuf *b, const ty *t, int constraint)
{
    switch (ty_kind(t)) {
    case TY_ANY: sb_puts(b, constraint ? "any type" : "dynamic"); return;
    case TY_BOOL: sb_puts(b, "bool"); return;
    case TY_NUMBER: sb_puts(b, "number"); return;
    case TY_STRING: sb_puts(b, "string"); return;
    case TY_OBJECT: sb_puts(b, "object"); return;
    case TY_TUPLE: sb_puts(b, "tuple"); return;
    case TY_LIST: case TY_SET: case TY_MAP:
        sb_puts(b, ty_kind(t) == TY_LIST ? "list of " : ty_kind(t) == TY_SET ? "set of "
                                                                            : "map of ");
        if (constraint && ty_kind(ty_elem(t)) == TY_ANY)
            sb_puts(b, "any single type");
        else
            friendly(b, ty_elem(t), constraint);
        return;
    }
}

char *ty_friendly_name(const ty *t, int constraint)
{
    strbuf b = {0};
    friendly(&b, t, constraint);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

/* ---------------------------------------------------------------- type level */

static int is_prim(const ty *t)
{
    enum ty_kind k = ty_kind(t);
    return k == TY_BOOL || k == TY_NUMBER || k == TY_STRING;
}

static int is_coll(const ty *t)
{
    enum ty_kind k = ty_kind(t);
    return k == TY_LIST || k == TY_SET || k == TY_MAP;
}

/* Whether a value of type in can be converted to type out (cty's
 * getConversion != nil). */
static int conv_ok(const ty *in, const ty *out, int unsafe)
{
    enum ty_kind ik = ty_kind(in), ok = ty_kind(out);
    if (ok == TY_ANY)
        return 1;
    if (ik == TY_ANY)
        return unsafe;
    if (is_prim(in) && is_prim(out)) {
        if (ik == ok)
            return 1;
        if (ok == TY_STRING)
            return 1;              /* number/bool -> string: safe */
        return unsafe && ik == TY_STRING;
    }
    if (ok == TY_OBJECT && ik == TY_OBJECT) {
        for (size_t i = 0; i < ty_len(out); i++) {
            long j = ty_attr_find(in, ty_attr_name(out, i));
            if (j < 0) {
                if (ty_attr_optional(out, i))
                    continue;
                return 0;
            }
            if (!conv_ok(ty_index(in, (size_t)j), ty_index(out, i), unsafe))
                return 0;
        }
        return 1;
    }
    if (ok == TY_TUPLE && ik == TY_TUPLE) {
        if (ty_len(in) != ty_len(out))
            return 0;
        for (size_t i = 0; i < ty_len(in); i++)
            if (!conv_ok(ty_index(in, i), ty_index(out, i), unsafe))
                return 0;
        return 1;
    }
    if ((ok == TY_LIST || ok == TY_SET) && (ik == TY_LIST || ik == TY_SET)) {
        if (ok == TY_SET && ik == TY_LIST && !unsafe)
            return 0;
        return ty_equal(ty_elem(in), ty_elem(out)) ||
               conv_ok(ty_elem(in), ty_elem(out), unsafe);
    }
    if (ok == TY_MAP && ik == TY_MAP)
        return conv_ok(ty_elem(in), ty_elem(out), unsafe);
    if ((ok == TY_LIST || ok == TY_SET) && ik == TY_TUPLE) {
        size_t n = ty_len(in);
        if (n == 0)
            return 1;
        const ty *ety = ty_elem(out);
        ty *u = NULL;
        if (ty_kind(ety) == TY_ANY) {
            const ty **ts = xmalloc(n * sizeof *ts);
            for (size_t i = 0; i < n; i++)
                ts[i] = ty_index(in, i);
            u = unify(ts, n, unsafe);
            free(ts);
            if (!u)
                return 0;
            if (ty_kind(u) == TY_ANY)
                for (size_t i = 0; i < n; i++)
                    if (ty_kind(ty_index(in, i)) != TY_ANY) {
                        ty_free(u);
                        return 0;
                    }
            ety = u;
        }
        int r = 1;
        for (size_t i = 0; i < n && r; i++)
            r = ty_equal(ty_index(in, i), ety) || conv_ok(ty_index(in, i), ety, unsafe);
        ty_free(u);
        return r;
    }
    if (ok == TY_MAP && ik == TY_OBJECT) {
        size_t n = ty_len(in);
        if (n == 0)
            return 1;
        const ty *ety = ty_elem(out);
        ty *u = NULL;
        if (ty_kind(ety) == TY_ANY) {
            const ty **ts = xmalloc(n * sizeof *ts);
            for (size_t i = 0; i < n; i++)
                ts[i] = ty_index(in, i);
            u = unify(ts, n, unsafe);
            free(ts);
            if (!u)
                return 0;
            ety = u;
        }
        int r = 1;
        for (size_t i = 0; i < n && r; i++)
            r = ty_equal(ty_index(in, i), ety) || conv_ok(ty_index(in, i), ety, unsafe);
        ty_free(u);
        return r;
    }
    if (ok == TY_OBJECT && ik == TY_MAP) {
        if (!unsafe)
            return 0;
        for (size_t i = 0; i < ty_len(out); i++) {
            const ty *aty = ty_index(out, i);
            if (ty_equal(aty, ty_elem(in)))
                continue;
            if (!conv_ok(ty_elem(in), aty, unsafe) && !ty_attr_optional(out, i))
                return 0;
        }
        return 1;
    }
    return 0;
}

int ty_convertible(const ty *from, const ty *to, int unsafe)
{
    return conv_ok(from, to, unsafe);
}

/* ---------------------------------------------------------------- mismatch */

static void mismatch(strbuf *b, const ty *got, const ty *want);

static void want_required(strbuf *b, const ty *want)
{
    friendly(b, want, 1);
    sb_puts(b, " required");
}

static void mismatch_objects(strbuf *b, const ty *got, const ty *want)
{
    size_t nmissing = 0;
    const char *missing[3] = {0};
    size_t lastmiss = 0;
    long unsafe_attr = -1, safe_attr = -1;
    for (size_t i = 0; i < ty_len(want); i++) {
        const char *name = ty_attr_name(want, i);
        long j = ty_attr_find(got, name);
        if (j < 0) {
            if (!ty_attr_optional(want, i)) {
                if (nmissing < 2)
                    missing[nmissing] = name;
                lastmiss = i;
                nmissing++;
            }
            continue;
        }
        const ty *ga = ty_index(got, (size_t)j), *wa = ty_index(want, i);
        if (ty_equal(ga, wa))
            continue;
        if (unsafe_attr < 0 && !conv_ok(ga, wa, 1))
            unsafe_attr = (long)i;
        if (safe_attr < 0 && !conv_ok(ga, wa, 0))
            safe_attr = (long)i;
    }
    if (nmissing == 1) {
        sb_printf(b, "attribute \"%s\" is required", missing[0]);
    } else if (nmissing == 2) {
        sb_printf(b, "attributes \"%s\" and \"%s\" are required", missing[0], missing[1]);
    } else if (nmissing > 2) {
        sb_puts(b, "attributes ");
        for (size_t i = 0, k = 0; i < ty_len(want); i++) {
            const char *name = ty_attr_name(want, i);
            if (ty_attr_find(got, name) >= 0 || ty_attr_optional(want, i))
                continue;
            if (i == lastmiss)
                sb_printf(b, "and \"%s\"", name);
            else
                sb_printf(b, "\"%s\", ", name);
            k++;
        }
        sb_puts(b, " are required");
    } else if (unsafe_attr >= 0 || safe_attr >= 0) {
        size_t i = (size_t)(unsafe_attr >= 0 ? unsafe_attr : safe_attr);
        const char *name = ty_attr_name(want, i);
        sb_printf(b, "attribute \"%s\": ", name);
        mismatch(b, ty_index(got, (size_t)ty_attr_find(got, name)), ty_index(want, i));
    } else {
        sb_puts(b, "incorrect object attributes");
    }
}

static void mismatch(strbuf *b, const ty *got, const ty *want)
{
    enum ty_kind gk = ty_kind(got), wk = ty_kind(want);
    if (gk == TY_OBJECT && wk == TY_OBJECT) {
        mismatch_objects(b, got, want);
        return;
    }
    int wany = is_coll(want) && ty_kind(ty_elem(want)) == TY_ANY;
    if (gk == TY_TUPLE && wk == TY_LIST && wany) {
        sb_puts(b, "all list elements must have the same type");
        return;
    }
    if (gk == TY_TUPLE && wk == TY_SET && wany) {
        sb_puts(b, "all set elements must have the same type");
        return;
    }
    if (gk == TY_OBJECT && wk == TY_MAP && wany) {
        sb_puts(b, "all map elements must have the same type");
        return;
    }
    if ((gk == TY_TUPLE || gk == TY_OBJECT) && is_coll(want)) {
        if (((wk == TY_LIST || wk == TY_SET) && gk != TY_TUPLE) ||
            (wk == TY_MAP && gk != TY_OBJECT)) {
            want_required(b, want);
            return;
        }
        const ty *wety = ty_elem(want);
        for (size_t i = 0; i < ty_len(got); i++) {
            const ty *g = ty_index(got, i);
            if (ty_equal(g, wety) || conv_ok(g, wety, 1))
                continue;
            if (gk == TY_TUPLE)
                sb_printf(b, "element %zu: ", i);
            else
                sb_printf(b, "element \"%s\": ", ty_attr_name(got, i));
            mismatch(b, g, wety);
            return;
        }
        sb_puts(b, "all elements must be ");
        friendly(b, wety, 1);
        return;
    }
    if (is_coll(got) && is_coll(want)) {
        if (((wk == TY_LIST || wk == TY_SET) && gk == TY_MAP) ||
            (wk == TY_MAP && gk != TY_MAP)) {
            want_required(b, want);
            return;
        }
        sb_printf(b, "incorrect %s element type: ",
                  wk == TY_LIST ? "list" : wk == TY_SET ? "set" : "map");
        mismatch(b, ty_elem(got), ty_elem(want));
        return;
    }
    want_required(b, want);
}

char *ty_mismatch_msg(const ty *got, const ty *want)
{
    strbuf b = {0};
    mismatch(&b, got, want);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

/* ---------------------------------------------------------------- unify */

/* cty's compareTypes: -1 if a is preferred over b (b converts to a). */
static int cmp_types(const ty *a, const ty *b)
{
    enum ty_kind ak = ty_kind(a), bk = ty_kind(b);
    if (ak == TY_ANY || bk == TY_ANY) {
        if (ak != TY_ANY)
            return -1;
        if (bk != TY_ANY)
            return 1;
        return 0;
    }
    if (is_prim(a) && is_prim(b)) {
        if (ak == TY_STRING || bk == TY_STRING) {
            if (ak != TY_STRING)
                return 1;
            if (bk != TY_STRING)
                return -1;
        }
        return 0;
    }
    if (ak == bk && is_coll(a))
        return cmp_types(ty_elem(a), ty_elem(b));
    int swap = 1;
    if ((ak == TY_TUPLE && bk == TY_LIST) || (ak == TY_OBJECT && bk == TY_MAP) ||
        (ak == TY_SET && bk == TY_TUPLE) || (ak == TY_SET && bk == TY_LIST)) {
        const ty *t = a;
        a = b;
        b = t;
        ak = ty_kind(a);
        bk = ty_kind(b);
        swap = -1;
    }
    if (bk == TY_SET && (ak == TY_TUPLE || ak == TY_LIST))
        return -swap;
    if (ak == TY_LIST && bk == TY_TUPLE)
        return -swap;
    if (ak == TY_MAP && bk == TY_OBJECT)
        return -swap;
    if ((ak == TY_OBJECT && bk == TY_OBJECT) || (ak == TY_TUPLE && bk == TY_TUPLE)) {
        if (ty_len(a) != ty_len(b))
            return 0;
        int asup = 0, bsup = 0;
        for (size_t i = 0; i < ty_len(a); i++) {
            const ty *x = ty_index(a, i), *y;
            if (ak == TY_OBJECT) {
                long j = ty_attr_find(b, ty_attr_name(a, i));
                if (j < 0)
                    return 0;
                y = ty_index(b, (size_t)j);
            } else {
                y = ty_index(b, i);
            }
            int c = cmp_types(x, y);
            if (c < 0)
                asup = 1;
            else if (c > 0)
                bsup = 1;
        }
        if (asup && bsup)
            return 0;
        return asup ? -swap : bsup ? swap : 0;
    }
    return 0;
}

/* Topological preference order of types (cty's sortTypes). */
static void sort_types(const ty *const *ts, size_t n, size_t *order)
{
    unsigned char *edge = xcalloc(n * n, 1);
    size_t *indeg = xcalloc(n, sizeof *indeg);
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            int c = cmp_types(ts[i], ts[j]);
            if (c < 0) {
                edge[i * n + j] = 1;
                indeg[j]++;
            } else if (c > 0) {
                edge[j * n + i] = 1;
                indeg[i]++;
            }
        }
    size_t qh = 0, qt = 0;
    for (size_t i = 0; i < n; i++)
        if (indeg[i] == 0)
            order[qt++] = i;
    while (qh < qt) {
        size_t i = order[qh++];
        for (size_t j = 0; j < n; j++)
            if (edge[i * n + j] && --indeg[j] == 0)
                order[qt++] = j;
    }
    /* a cycle cannot happen with cmp_types, but keep order[] defined */
    for (; qt < n; qt++)
        order[qt] = n;
    free(edge);
    free(indeg);
}

static int all_convert(const ty *const *ts, size_t n, const ty *to, int unsafe)
{
    for (size_t i = 0; i < n; i++)
        if (!ty_equal(ts[i], to) && !conv_ok(ts[i], to, unsafe))
            return 0;
    return 1;
}

static ty *unify_coll(enum ty_kind k, const ty *const *ts, size_t n, int unsafe)
{
    const ty **es = xmalloc(n * sizeof *es);
    for (size_t i = 0; i < n; i++)
        es[i] = ty_elem(ts[i]);
    ty *e = unify(es, n, unsafe);
    free(es);
    if (!e)
        return NULL;
    ty *r = k == TY_LIST ? ty_list(e) : k == TY_SET ? ty_set(e) : ty_map(e);
    if (!all_convert(ts, n, r, unsafe)) {
        ty_free(r);
        return NULL;
    }
    return r;
}

/* All attribute types of the objects (or element types of the tuples),
 * unified to one element type; wrapped as map (or list). */
static ty *unify_flat(const ty *const *ts, size_t n, int unsafe, enum ty_kind wrap)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += ty_len(ts[i]);
    const ty **es = xmalloc((total ? total : 1) * sizeof *es);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ty_len(ts[i]); j++)
            es[k++] = ty_index(ts[i], j);
    ty *e = unify(es, total, unsafe);
    free(es);
    if (!e)
        return NULL;
    ty *r = wrap == TY_MAP ? ty_map(e) : ty_list(e);
    if (!all_convert(ts, n, r, unsafe)) {
        ty_free(r);
        return NULL;
    }
    return r;
}

static ty *unify_objects(const ty *const *ts, size_t n, int unsafe)
{
    const ty *first = ts[0];
    for (size_t i = 1; i < n; i++) {
        if (ty_len(ts[i]) != ty_len(first))
            return unify_flat(ts, n, unsafe, TY_MAP);
        for (size_t j = 0; j < ty_len(ts[i]); j++)
            if (ty_attr_find(first, ty_attr_name(ts[i], j)) < 0)
                return unify_flat(ts, n, unsafe, TY_MAP);
    }
    size_t na = ty_len(first);
    ty **atys = xcalloc(na ? na : 1, sizeof *atys);
    const char **names = xcalloc(na ? na : 1, sizeof *names);
    const ty **across = xmalloc(n * sizeof *across);
    ty *r = NULL;
    for (size_t a = 0; a < na; a++) {
        names[a] = ty_attr_name(first, a);
        for (size_t i = 0; i < n; i++)
            across[i] = ty_index(ts[i], (size_t)ty_attr_find(ts[i], names[a]));
        atys[a] = unify(across, n, unsafe);
        if (!atys[a]) {
            for (size_t k = 0; k < a; k++)
                ty_free(atys[k]);
            goto done;
        }
    }
    r = ty_object(names, atys, na, NULL, NULL);
    if (!all_convert(ts, n, r, unsafe)) {
        ty_free(r);
        r = unify_flat(ts, n, unsafe, TY_MAP);
    }
done:
    free(atys);
    free(names);
    free(across);
    return r;
}

static ty *unify_tuples(const ty *const *ts, size_t n, int unsafe)
{
    size_t ne = ty_len(ts[0]);
    for (size_t i = 1; i < n; i++)
        if (ty_len(ts[i]) != ne)
            return unify_flat(ts, n, unsafe, TY_LIST);
    ty **etys = xcalloc(ne ? ne : 1, sizeof *etys);
    const ty **across = xmalloc(n * sizeof *across);
    ty *r = NULL;
    for (size_t e = 0; e < ne; e++) {
        for (size_t i = 0; i < n; i++)
            across[i] = ty_index(ts[i], e);
        etys[e] = unify(across, n, unsafe);
        if (!etys[e]) {
            for (size_t k = 0; k < e; k++)
                ty_free(etys[k]);
            goto done;
        }
    }
    r = ty_tuple(etys, ne);
    if (!all_convert(ts, n, r, unsafe)) {
        ty_free(r);
        r = unify_flat(ts, n, unsafe, TY_LIST);
    }
done:
    free(etys);
    free(across);
    return r;
}

/* Replace the tuples (objects) among ts by the list (map) type they unify
 * to, then unify again; the result must be a list (map). */
static ty *unify_mixed(const ty *const *ts, size_t n, int unsafe, enum ty_kind structural)
{
    enum ty_kind coll = structural == TY_TUPLE ? TY_LIST : TY_MAP;
    const ty **st = xmalloc(n * sizeof *st);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)
        if (ty_kind(ts[i]) == structural)
            st[ns++] = ts[i];
    ty *c = unify_flat(st, ns, unsafe, coll);
    ty *r = NULL;
    if (c && ty_kind(c) == coll) {
        for (size_t i = 0, k = 0; i < n; i++)
            st[k++] = ty_kind(ts[i]) == structural ? c : ts[i];
        r = unify(st, n, unsafe);
        if (r && ty_kind(r) != coll) {
            ty_free(r);
            r = NULL;
        }
    }
    ty_free(c);
    free(st);
    return r;
}

static ty *unify(const ty *const *ts, size_t n, int unsafe)
{
    if (n == 0)
        return NULL;
    size_t nmap = 0, nlist = 0, nset = 0, nobj = 0, ntup = 0, ndyn = 0;
    for (size_t i = 0; i < n; i++) {
        switch (ty_kind(ts[i])) {
        case TY_MAP: nmap++; break;
        case TY_LIST: nlist++; break;
        case TY_SET: nset++; break;
        case TY_OBJECT: nobj++; break;
        case TY_TUPLE: ntup++; break;
        case TY_ANY: ndyn++; break;
        default: break;
        }
    }
    if (nmap > 0 && nmap + ndyn == n)
        return ndyn ? ty_any() : unify_coll(TY_MAP, ts, n, unsafe);
    if (nmap > 0 && nmap + nobj + ndyn == n) {
        ty *r = unify_mixed(ts, n, unsafe, TY_OBJECT);
        if (r)
            return r;
    } else if (nlist > 0 && nlist + ndyn == n) {
        return ndyn ? ty_any() : unify_coll(TY_LIST, ts, n, unsafe);
    } else if (nlist > 0 && nlist + ntup + ndyn == n) {
        ty *r = unify_mixed(ts, n, unsafe, TY_TUPLE);
        if (r)
            return r;
    } else if (nset > 0 && nset + ndyn == n) {
        return ndyn ? ty_any() : unify_coll(TY_SET, ts, n, unsafe);
    } else if (nobj > 0 && nobj + ndyn == n) {
        return ndyn ? ty_any() : unify_objects(ts, n, unsafe);
    } else if (ntup > 0 && ntup + ndyn == n) {
        return ndyn ? ty_any() : unify_tuples(ts, n, unsafe);
    } else if (nobj > 0 && ntup > 0) {
        return NULL;
    }
    size_t *order = xmalloc(n * sizeof *order);
    sort_types(ts, n, order);
    ty *r = NULL;
    for (size_t k = 0; k < n && !r; k++) {
        if (order[k] >= n)
            break;
        const ty *want = ts[order[k]];
        if (all_convert(ts, n, want, unsafe))
            r = ty_copy(want);
    }
    free(order);
    return r;
}

ty *ty_unify(const ty *const *types, size_t n)
{
    return unify(types, n, 1);
}

ty *ty_unify_safe(const ty *const *types, size_t n)
{
    return unify(types, n, 0);
}

/* ---------------------------------------------------------------- values */

/* Drop optional markers deep (cty's WithoutOptionalAttributesDeep). */
static ty *strip_optional(const ty *t)
{
    switch (ty_kind(t)) {
    case TY_LIST: return ty_list(strip_optional(ty_elem(t)));
    case TY_SET: return ty_set(strip_optional(ty_elem(t)));
    case TY_MAP: return ty_map(strip_optional(ty_elem(t)));
    case TY_TUPLE: {
        size_t n = ty_len(t);
        ty **es = xmalloc((n ? n : 1) * sizeof *es);
        for (size_t i = 0; i < n; i++)
            es[i] = strip_optional(ty_index(t, i));
        ty *r = ty_tuple(es, n);
        free(es);
        return r;
    }
    case TY_OBJECT: {
        size_t n = ty_len(t);
        ty **es = xmalloc((n ? n : 1) * sizeof *es);
        const char **names = xmalloc((n ? n : 1) * sizeof *names);
        for (size_t i = 0; i < n; i++) {
            es[i] = strip_optional(ty_index(t, i));
            names[i] = ty_attr_name(t, i);
        }
        ty *r = ty_object(names, es, n, NULL, NULL);
        free(es);
        free(names);
        return r;
    }
    default:
        return ty_copy(t);
    }
}

/* cty's dynamicReplace: the type an unknown/null of type in becomes when
 * converted to out (any parts of out filled from in). */
static ty *dyn_replace(const ty *in, const ty *out)
{
    enum ty_kind ik = ty_kind(in), ok = ty_kind(out);
    if (ik == TY_ANY)
        return ty_copy(out);
    if (ok == TY_ANY)
        return ty_copy(in);
    if (is_prim(out))
        return ty_copy(out);
    if (ok == TY_MAP || ok == TY_LIST || ok == TY_SET) {
        ty *e = NULL;
        if (ik == TY_MAP || ik == TY_LIST || ik == TY_SET) {
            e = dyn_replace(ty_elem(in), ty_elem(out));
        } else if (ik == TY_OBJECT || ik == TY_TUPLE) {
            size_t n = ty_len(in);
            const ty **ts = xmalloc((n ? n : 1) * sizeof *ts);
            for (size_t i = 0; i < n; i++)
                ts[i] = ty_index(in, i);
            ty *u = unify(ts, n, 1);
            free(ts);
            e = dyn_replace(u ? u : ty_any(), ty_elem(out));
            ty_free(u);
        } else {
            e = ty_copy(ty_elem(out));
        }
        return ok == TY_MAP ? ty_map(e) : ok == TY_LIST ? ty_list(e) : ty_set(e);
    }
    if (ok == TY_OBJECT) {
        /* as cty: from anything but a map or object, no attributes at all */
        size_t n = ik == TY_MAP || ik == TY_OBJECT ? ty_len(out) : 0;
        ty **es = xmalloc((n ? n : 1) * sizeof *es);
        const char **names = xmalloc((n ? n : 1) * sizeof *names);
        for (size_t i = 0; i < n; i++) {
            names[i] = ty_attr_name(out, i);
            const ty *src = NULL;
            if (ik == TY_MAP)
                src = ty_elem(in);
            else if (ik == TY_OBJECT && ty_attr_find(in, names[i]) >= 0)
                src = ty_index(in, (size_t)ty_attr_find(in, names[i]));
            es[i] = src ? dyn_replace(src, ty_index(out, i)) : ty_copy(ty_index(out, i));
        }
        ty *r = ty_object(names, es, n, NULL, NULL);
        free(es);
        free(names);
        return r;
    }
    if (ok == TY_TUPLE) {
        size_t n = ty_len(out);
        ty **es = xmalloc((n ? n : 1) * sizeof *es);
        for (size_t i = 0; i < n; i++) {
            const ty *src = ik == TY_TUPLE && i < ty_len(in) ? ty_index(in, i) : ty_any();
            es[i] = dyn_replace(src, ty_index(out, i));
        }
        ty *r = ty_tuple(es, n);
        free(es);
        return r;
    }
    return ty_copy(out);
}

static val conv(val v, const ty *out, int unsafe);

static val fail_msg(val v, const char *msg)
{
    val_free(v);
    err_set(CAIRN_EINVAL, "%s", msg);
    return val_invalid();
}

/* String to number with big.ParseFloat's base-10 grammar. */
static int parse_number(const char *s, size_t n, double *out)
{
    if (n == 0 || strlen(s) != n)
        return -1;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (strcmp(p, "Inf") == 0 || strcmp(p, "inf") == 0) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return 0;
    }
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (!digits)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return -1;
    *out = strtod(s, NULL);
    return 0;
}

static val conv_prim(val v, const ty *out)
{
    enum ty_kind ok = ty_kind(out);
    if (ok == TY_STRING) {
        if (v.kind == VAL_NUMBER) {
            char buf[400];
            val_number_fmt(val_get_number(v), buf, sizeof buf);
            return val_string(buf);
        }
        if (v.kind == VAL_BOOL)
            return val_string(val_get_bool(v) ? "true" : "false");
        return v;
    }
    if (v.kind != VAL_STRING)
        return v;     /* same kind (checked by the caller) */
    const char *s = val_get_string(v);
    size_t n = val_string_len(v);
    if (ok == TY_NUMBER) {
        double d;
        if (parse_number(s, n, &d) < 0)
            return fail_msg(v, "a number is required");
        val_free(v);
        return val_number(d);
    }
    /* bool */
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
        val_free(v);
        return val_bool(1);
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
        val_free(v);
        return val_bool(0);
    }
    if (strcasecmp(s, "true") == 0)
        return fail_msg(v, "a bool is required; to convert from string, use lowercase \"true\"");
    if (strcasecmp(s, "false") == 0)
        return fail_msg(v, "a bool is required; to convert from string, use lowercase \"false\"");
    return fail_msg(v, "a bool is required");
}

/* ---------------------------------------------------------------- collections
 *
 * The element steps follow cty's conversion functions one by one, because
 * their differences show in results: only tuple->list (always) and
 * ->map (when the element type is a collection or object) unify the
 * converted elements' types; the others only check that the types agree
 * (cty's CanListVal / CanSetVal / CanMapVal) and fail with "element types
 * must all match for conversion to list" and the like.
 */

static void free_elems(val *es, size_t n)
{
    for (size_t i = 0; i < n; i++)
        val_free(es[i]);
    free(es);
}

/* Convert element i of v (a list, set, tuple, map or object) to ety. */
static int conv_each(val v, const ty *ety, int unsafe, val **out, size_t *nout)
{
    size_t n = val_len(v);
    val *es = xmalloc((n ? n : 1) * sizeof *es);
    for (size_t i = 0; i < n; i++) {
        es[i] = conv(val_copy(*val_at(v, i)), ety, unsafe);
        if (!val_is_valid(es[i])) {
            free_elems(es, i);
            return -1;
        }
        if (val_is_null(es[i]) && ty_kind(ety) != TY_ANY) {
            /* a null element loses optional markers of its type */
            ty *t = val_type(es[i]);
            unsigned m = val_marks(es[i]);
            val_free(es[i]);
            es[i] = val_mark(val_null_of(strip_optional(t)), m);
            ty_free(t);
        }
    }
    *out = es;
    *nout = n;
    return 0;
}

/* cty's conversionUnify{List,Collection}Elements: convert every element to
 * the unified type of all of them.  On failure es and its elements are
 * freed. */
static int unify_elems(val *es, size_t n, int unsafe)
{
    if (n < 2)
        return 0;
    ty **ts = xmalloc(n * sizeof *ts);
    for (size_t i = 0; i < n; i++)
        ts[i] = val_type(es[i]);
    ty *u = unify((const ty *const *)ts, n, unsafe);
    for (size_t i = 0; i < n; i++)
        ty_free(ts[i]);
    free(ts);
    if (!u) {
        free_elems(es, n);
        return err_set(CAIRN_EINVAL, "cannot find a common base type for all elements");
    }
    for (size_t i = 0; i < n; i++) {
        es[i] = conv(es[i], u, unsafe);
        if (!val_is_valid(es[i])) {
            for (size_t k = i + 1; k < n; k++)
                val_free(es[k]);
            free_elems(es, i);
            ty_free(u);
            return -1;
        }
    }
    ty_free(u);
    return 0;
}

/* cty's CanListVal: the element type, ignoring elements of type any; NULL
 * (no error set) when two elements disagree.  Owned. */
static ty *common_type(const val *es, size_t n)
{
    ty *et = ty_any();
    for (size_t i = 0; i < n; i++) {
        ty *t = val_type(es[i]);
        if (ty_kind(et) == TY_ANY) {
            ty_free(et);
            et = t;
        } else if (ty_kind(t) != TY_ANY && !ty_equal(et, t)) {
            ty_free(t);
            ty_free(et);
            return NULL;
        } else {
            ty_free(t);
        }
    }
    return et;
}

/* Build a list or set (k) of the n converted elements es (consumed), which
 * must agree on a type; empty_ety is the element type of an empty result. */
static val build_seq(enum ty_kind k, val *es, size_t n, ty *empty_ety)
{
    ty *et = n ? common_type(es, n) : empty_ety;
    if (n)
        ty_free(empty_ety);
    if (!et) {
        free_elems(es, n);
        err_set(CAIRN_EINVAL, "element types must all match for conversion to %s",
                k == TY_LIST ? "list" : "set");
        return val_invalid();
    }
    val r = k == TY_LIST ? val_list_empty(et) : val_set_empty(et);
    for (size_t i = 0; i < n; i++) {
        if (!val_is_valid(r)) {
            val_free(es[i]);
            continue;
        }
        r = k == TY_LIST ? val_list_append(r, es[i]) : val_set_add(r, es[i]);
    }
    free(es);
    return r;
}

/* A set whose length is not known (cty: not wholly known and more than one
 * element stored), converted to a list, is an unknown list. */
static int set_length_unknown(val v)
{
    return val_kind(v) == VAL_SET && !val_is_wholly_known(v) && val_len(v) != 1;
}

/* tuple -> list/set (cty's conversionTupleToList / conversionTupleToSet) */
static val conv_tuple_to_seq(val v, const ty *out, int unsafe)
{
    enum ty_kind k = ty_kind(out);
    const ty *ety = ty_elem(out);
    size_t n = val_len(v);
    if (n == 0) {
        val_free(v);
        return k == TY_LIST ? val_list_empty(strip_optional(ety))
                            : val_set_empty(strip_optional(ety));
    }
    ty *u = NULL;
    if (ty_kind(ety) == TY_ANY) {
        const ty **ts = xmalloc(n * sizeof *ts);
        ty **own = xmalloc(n * sizeof *own);
        for (size_t i = 0; i < n; i++)
            ts[i] = own[i] = val_type(*val_at(v, i));
        u = unify(ts, n, unsafe);
        for (size_t i = 0; i < n; i++)
            ty_free(own[i]);
        free(own);
        free(ts);
        ety = u;    /* conv_ok checked that this exists */
    }
    val *es;
    size_t ne;
    int rc = conv_each(v, ety ? ety : ty_any(), unsafe, &es, &ne);
    ty_free(u);
    val_free(v);
    if (rc < 0)
        return val_invalid();
    if (k == TY_LIST && unify_elems(es, ne, unsafe) < 0)
        return val_invalid();
    return build_seq(k, es, ne, ty_any());
}

/* list/set -> list/set (cty's conversionCollectionToList / ToSet) */
static val conv_coll_to_seq(val v, const ty *out, int unsafe)
{
    enum ty_kind k = ty_kind(out);
    const ty *ety = ty_elem(out);
    ty *vt = val_type(v);
    if (k == TY_LIST && set_length_unknown(v)) {
        val r = val_unknown(ty_list(ty_copy(ty_elem(vt))));
        ty_free(vt);
        val_free(v);
        return r;
    }
    ty *empty = ty_kind(ety) == TY_ANY ? ty_copy(ty_elem(vt)) : strip_optional(ety);
    ty_free(vt);
    val *es;
    size_t n;
    int rc = conv_each(v, ety, unsafe, &es, &n);
    val_free(v);
    if (rc < 0) {
        ty_free(empty);
        return val_invalid();
    }
    return build_seq(k, es, n, empty);
}

/* map/object -> map (cty's conversionCollectionToMap / ObjectToMap) */
static val conv_to_map(val v, const ty *out, int unsafe)
{
    int from_obj = val_kind(v) == VAL_OBJECT;
    const ty *ety = ty_elem(out);
    size_t n = val_len(v);
    ty *vt = val_type(v);
    ty *u = NULL, *empty;
    if (from_obj) {
        if (n > 0 && ty_kind(ety) == TY_ANY) {
            const ty **ts = xmalloc(n * sizeof *ts);
            for (size_t i = 0; i < n; i++)
                ts[i] = ty_index(vt, i);
            u = unify(ts, n, unsafe);
            free(ts);
            ety = u;
        }
        empty = strip_optional(ety ? ety : ty_any());
    } else {
        /* cty keeps optional markers on an empty map's element type */
        empty = ty_kind(ety) == TY_ANY ? ty_copy(ty_elem(vt)) : ty_copy(ety);
    }
    ty_free(vt);
    val *es;
    size_t ne;
    int rc = conv_each(v, ety ? ety : ty_any(), unsafe, &es, &ne);
    enum ty_kind ek = ety ? ty_kind(ety) : TY_ANY;
    ty_free(u);
    /* cty unifies map elements with safe conversions only, object
     * attributes with the caller's */
    if (rc < 0 || ((ek == TY_LIST || ek == TY_SET || ek == TY_MAP || ek == TY_OBJECT) &&
                   unify_elems(es, ne, from_obj ? unsafe : 0) < 0)) {
        ty_free(empty);
        val_free(v);
        return val_invalid();
    }
    ty *et = ne ? common_type(es, ne) : ty_copy(empty);
    ty_free(empty);
    if (!et) {
        free_elems(es, ne);
        val_free(v);
        err_set(CAIRN_EINVAL, "%s types must all match for conversion to map",
                from_obj ? "attribute" : "element");
        return val_invalid();
    }
    val r = val_map_empty(et);
    for (size_t i = 0; i < ne; i++) {
        if (!val_is_valid(r)) {
            val_free(es[i]);
            continue;
        }
        r = val_map_set(r, val_key_at(v, i), es[i]);
    }
    free(es);
    val_free(v);
    return r;
}

static val conv_to_object(val v, const ty *out, int unsafe)
{
    val r = val_object_empty();
    int from_map = v.kind == VAL_MAP;
    for (size_t i = 0; i < ty_len(out); i++) {
        const char *name = ty_attr_name(out, i);
        const ty *aty = ty_index(out, i);
        const val *src = val_lookup(v, name);
        val a;
        if (!src) {
            if (!ty_attr_optional(out, i)) {
                val_free(r);
                if (from_map)
                    err_set(CAIRN_EINVAL, "map has no element for required attribute \"%s\"",
                            name);
                else
                    err_set(CAIRN_EINVAL, "attribute \"%s\" is required", name);
                val_free(v);
                return val_invalid();
            }
            /* cty keeps optional markers here when converting from a map */
            a = val_null_of(from_map ? ty_copy(aty) : strip_optional(aty));
        } else {
            a = conv(val_copy(*src), aty, unsafe);
            if (!val_is_valid(a)) {
                /* cty words it so only when no conversion exists at all
                 * (possible for optional attributes) */
                ty *et = from_map ? val_type(*src) : NULL;
                int none = et && !conv_ok(et, aty, unsafe);
                ty_free(et);
                if (none) {
                    char *m = xstrdup(err_msg());
                    err_set(CAIRN_EINVAL, "map element type is incompatible with attribute "
                            "\"%s\": %s", name, m);
                    free(m);
                }
                val_free(r);
                val_free(v);
                return val_invalid();
            }
        }
        if (val_is_null(a)) {
            val d = ty_attr_default(out, i);
            if (val_is_valid(d)) {
                val_free(a);
                a = conv(d, aty, unsafe);
                if (!val_is_valid(a)) {
                    val_free(r);
                    val_free(v);
                    return val_invalid();
                }
            }
        }
        r = val_object_set(r, name, a);
    }
    unsigned marks = val_marks(v);
    val_free(v);
    return val_mark(r, marks);
}

static val conv_to_tuple(val v, const ty *out, int unsafe)
{
    val r = val_tuple_empty();
    for (size_t i = 0; i < ty_len(out); i++) {
        val a = conv(val_copy(*val_at(v, i)), ty_index(out, i), unsafe);
        if (!val_is_valid(a)) {
            val_free(r);
            val_free(v);
            return val_invalid();
        }
        r = val_tuple_append(r, a);
    }
    unsigned marks = val_marks(v);
    val_free(v);
    return val_mark(r, marks);
}

/* The value-level conversion; the type-level check was done by the caller
 * (or is repeated here for nested values). */
static val conv(val v, const ty *out, int unsafe)
{
    enum ty_kind ok = ty_kind(out);
    if (ok == TY_ANY)
        return v;
    if (val_has_type(v, out))
        return v;             /* the common case, without allocating */
    unsigned marks = val_marks(v) & VAL_MARK_SENSITIVE;
    ty *in = val_type(v);
    if (ty_equal(in, out) && !ty_has_optional(out)) {
        ty_free(in);
        return v;
    }
    if (!conv_ok(in, out, unsafe)) {
        char *m = ty_mismatch_msg(in, out);
        ty_free(in);
        val r = fail_msg(v, m);
        free(m);
        return r;
    }
    if (val_is_unknown(v) || val_is_null(v)) {
        ty *so = strip_optional(out);
        ty *nt = dyn_replace(in, so);
        ty_free(so);
        ty_free(in);
        int unk = val_is_unknown(v);
        val_free(v);
        val r = unk ? val_unknown(nt) : val_null_of(nt);
        return val_mark(r, marks);
    }
    enum ty_kind ik = ty_kind(in);
    ty_free(in);
    if (ik == TY_ANY)
        return v;   /* not reached: known values have a concrete type */
    val r;
    if (is_prim(out)) {
        val u = val_unmark(v, VAL_MARK_SENSITIVE);
        r = conv_prim(u, out);
    } else if ((ok == TY_LIST || ok == TY_SET) && ik == TY_TUPLE) {
        r = conv_tuple_to_seq(v, out, unsafe);
    } else if (ok == TY_LIST || ok == TY_SET) {
        r = conv_coll_to_seq(v, out, unsafe);
    } else if (ok == TY_MAP) {
        r = conv_to_map(v, out, unsafe);
    } else if (ok == TY_OBJECT) {
        r = conv_to_object(v, out, unsafe);
    } else {
        r = conv_to_tuple(v, out, unsafe);
    }
    if (!val_is_valid(r))
        return r;
    return val_mark(r, marks);
}

/* Whether t has an optional attribute anywhere. */
static int ty_has_optional_deep(const ty *t)
{
    switch (ty_kind(t)) {
    case TY_LIST: case TY_SET: case TY_MAP:
        return ty_has_optional_deep(ty_elem(t));
    case TY_TUPLE: case TY_OBJECT:
        if (ty_kind(t) == TY_OBJECT && ty_has_optional(t))
            return 1;
        for (size_t i = 0; i < ty_len(t); i++)
            if (ty_has_optional_deep(ty_index(t, i)))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* Whether t has a default for an optional attribute anywhere. */
static int has_defaults(const ty *t)
{
    switch (ty_kind(t)) {
    case TY_LIST: case TY_SET: case TY_MAP:
        return has_defaults(ty_elem(t));
    case TY_TUPLE: case TY_OBJECT:
        for (size_t i = 0; i < ty_len(t); i++) {
            if (ty_kind(t) == TY_OBJECT) {
                val d = ty_attr_default(t, i);
                int has = val_is_valid(d);
                val_free(d);
                if (has)
                    return 1;
            }
            if (has_defaults(ty_index(t, i)))
                return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* cty's Convert returns its input when the type already equals the target
 * without optional markers (then there is nothing to convert; Terraform
 * would still apply defaults, so not when the target has any). */
static val convert_top(val v, const ty *target, int unsafe)
{
    if (ty_has_optional_deep(target) && !has_defaults(target)) {
        ty *plain = strip_optional(target);
        int same = val_has_type(v, plain);
        ty_free(plain);
        if (same)
            return v;
    }
    return conv(v, target, unsafe);
}

val val_convert(val v, const ty *target)
{
    if (!val_is_valid(v) || !target) {
        val_free(v);
        err_set(CAIRN_EINVAL, "val_convert: invalid value or type");
        return val_invalid();
    }
    return convert_top(v, target, 1);
}

val val_convert_safe(val v, const ty *target)
{
    if (!val_is_valid(v) || !target) {
        val_free(v);
        err_set(CAIRN_EINVAL, "val_convert_safe: invalid value or type");
        return val_invalid();
    }
    return convert_top(v, target, 0);
}
