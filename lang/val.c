/*
 * lang/val.c — the value model: construction, reference counting, builders
 * with copy-on-write, marks, accessors, equality and the canonical order.
 *
 * What must stay true:
 *   - A heap payload with rc > 1 is never modified.  Builders clone first.
 *   - Sets and maps may be "dirty" (appended out of order) only while their
 *     payload has a single owner; every read path and val_copy() normalises
 *     (sorts, dedupes) first, so shared payloads are always canonical.
 *   - heap->deep holds exactly the marks found anywhere inside.
 *   - Known bool/number values carry no heap pointer; everything else
 *     (strings, collections, null and unknown of a non-primitive type)
 *     may.  heap_of() is the one place that decides.
 */
#include "lang/val.h"
#include "lang/val_internal.h"
#include "lang/diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_normalise(struct val_heap *h);
static void map_normalise(struct val_heap *h);

/* ---------------------------------------------------------------- heap */

static inline struct val_heap *heap_of(val v)
{
    if (v.kind >= VAL_STRING || v.kind == VAL_NULL || (v.marks & VAL_MARK_UNKNOWN))
        return v.u.h;
    return NULL;
}

static struct val_heap *heap_new(enum val_heap_kind hk, size_t extra)
{
    struct val_heap *h = xcalloc(1, sizeof *h + extra);
    atomic_init(&h->rc, 1);
    h->hk = (uint8_t)hk;
    return h;
}

/* Make a read-ready heap: dirty sets and maps are normalised. */
static inline struct val_heap *rd(val v)
{
    struct val_heap *h = heap_of(v);
    if (h && h->dirty) {
        if (h->hk == VH_SEQ)
            set_normalise(h);
        else
            map_normalise(h);
    }
    return h;
}

static void heap_free(struct val_heap *h)
{
    switch ((enum val_heap_kind)h->hk) {
    case VH_STR:
        if (!h->inl)
            free(h->s);
        break;
    case VH_SEQ:
        for (size_t i = 0; i < h->n; i++)
            val_free(h->items[i]);
        free(h->items);
        break;
    case VH_MAP:
        for (size_t i = 0; i < h->n; i++) {
            val_free(h->items[i]);
            free(h->keys[i]);
        }
        free(h->items);
        free(h->keys);
        break;
    case VH_TYPE:
        break;
    }
    ty_free(h->t);
    free(h);
}

val val_copy(val v)
{
    struct val_heap *h = rd(v);
    if (h)
        atomic_fetch_add_explicit(&h->rc, 1, memory_order_relaxed);
    return v;
}

void val_free(val v)
{
    struct val_heap *h = heap_of(v);
    if (h && atomic_fetch_sub_explicit(&h->rc, 1, memory_order_acq_rel) == 1)
        heap_free(h);
}

/* Marks of v itself plus any found inside it. */
static inline unsigned deep_marks(val v)
{
    struct val_heap *h = heap_of(v);
    return v.marks | (h && (h->hk == VH_SEQ || h->hk == VH_MAP) ? h->deep : 0);
}

/* ---------------------------------------------------------------- constructors */

static enum val_kind kind_of_type(const ty *t)
{
    switch (ty_kind(t)) {
    case TY_ANY: return VAL_NULL;
    case TY_BOOL: return VAL_BOOL;
    case TY_NUMBER: return VAL_NUMBER;
    case TY_STRING: return VAL_STRING;
    case TY_LIST: return VAL_LIST;
    case TY_SET: return VAL_SET;
    case TY_MAP: return VAL_MAP;
    case TY_OBJECT: return VAL_OBJECT;
    case TY_TUPLE: return VAL_TUPLE;
    }
    return VAL_NULL;
}

static int ty_is_prim(const ty *t)
{
    enum ty_kind k = ty_kind(t);
    return k == TY_ANY || k == TY_BOOL || k == TY_NUMBER || k == TY_STRING;
}

static struct val_heap *type_heap(ty *t)
{
    struct val_heap *h = heap_new(VH_TYPE, 0);
    h->t = t;
    return h;
}

val val_null(void)
{
    val v = {.kind = VAL_NULL};
    v.u.h = NULL;
    return v;
}

val val_null_of(ty *t)
{
    val v = val_null();
    if (t && ty_kind(t) != TY_ANY)
        v.u.h = type_heap(t);
    else
        ty_free(t);
    return v;
}

val val_unknown(ty *t)
{
    if (!t)
        t = ty_any();
    val v = {.kind = (uint8_t)kind_of_type(t), .marks = VAL_MARK_UNKNOWN};
    v.u.h = NULL;
    if (ty_is_prim(t))
        ty_free(t);
    else
        v.u.h = type_heap(t);
    return v;
}

val val_bool(int b)
{
    val v = {.kind = VAL_BOOL};
    v.u.b = b != 0;
    return v;
}

val val_number(double n)
{
    val v = {.kind = VAL_NUMBER};
    v.u.n = n;
    return v;
}

val val_string_n(const char *s, size_t n)
{
    struct val_heap *h = heap_new(VH_STR, n + 1);
    h->inl = 1;
    h->s = (char *)(h + 1);
    if (n)
        memcpy(h->s, s, n);
    h->s[n] = '\0';
    h->n = n;
    val v = {.kind = VAL_STRING};
    v.u.h = h;
    return v;
}

val val_string(const char *s)
{
    return val_string_n(s, strlen(s));
}

val val_string_own(char *s, size_t n)
{
    struct val_heap *h = heap_new(VH_STR, 0);
    h->s = s;
    h->n = n;
    val v = {.kind = VAL_STRING};
    v.u.h = h;
    return v;
}

static val coll_empty(enum val_kind k, enum val_heap_kind hk, ty *elem)
{
    struct val_heap *h = heap_new(hk, 0);
    h->t = elem;
    val v = {.kind = (uint8_t)k};
    v.u.h = h;
    return v;
}

val val_list_empty(ty *elem) { return coll_empty(VAL_LIST, VH_SEQ, elem ? elem : ty_any()); }
val val_set_empty(ty *elem) { return coll_empty(VAL_SET, VH_SEQ, elem ? elem : ty_any()); }
val val_map_empty(ty *elem) { return coll_empty(VAL_MAP, VH_MAP, elem ? elem : ty_any()); }
val val_tuple_empty(void) { return coll_empty(VAL_TUPLE, VH_SEQ, NULL); }
val val_object_empty(void) { return coll_empty(VAL_OBJECT, VH_MAP, NULL); }

/* ---------------------------------------------------------------- builders */

/* The payload of collection *v, exclusively owned (cloned when shared). */
static struct val_heap *own(val *v)
{
    struct val_heap *h = heap_of(*v);
    if (atomic_load_explicit(&h->rc, memory_order_acquire) == 1)
        return h;
    rd(*v);
    struct val_heap *c = heap_new((enum val_heap_kind)h->hk, 0);
    c->deep = h->deep;
    c->t = ty_copy(h->t);
    c->n = c->cap = h->n;
    if (h->n) {
        c->items = xmalloc(h->n * sizeof *c->items);
        for (size_t i = 0; i < h->n; i++)
            c->items[i] = val_copy(h->items[i]);
        if (h->hk == VH_MAP) {
            c->keys = xmalloc(h->n * sizeof *c->keys);
            for (size_t i = 0; i < h->n; i++)
                c->keys[i] = xstrdup(h->keys[i]);
        }
    }
    val_free(*v);
    v->u.h = c;
    return c;
}

static void grow(struct val_heap *h)
{
    if (h->n < h->cap)
        return;
    size_t cap = h->cap ? h->cap * 2 : 4;
    h->items = xrealloc(h->items, cap * sizeof *h->items);
    if (h->hk == VH_MAP)
        h->keys = xrealloc(h->keys, cap * sizeof *h->keys);
    h->cap = cap;
}

/* Whether v's type is exactly t (without building v's type). */
static int val_has_type(val v, const ty *t)
{
    enum ty_kind tk = ty_kind(t);
    struct val_heap *h = heap_of(v);
    if (v.kind == VAL_NULL || val_is_unknown(v)) {
        if (h && h->hk == VH_TYPE)
            return ty_equal(h->t, t);
        if (v.kind == VAL_NULL)
            return tk == TY_ANY;
        return kind_of_type(t) == v.kind && ty_is_prim(t);
    }
    switch ((enum val_kind)v.kind) {
    case VAL_BOOL: return tk == TY_BOOL;
    case VAL_NUMBER: return tk == TY_NUMBER;
    case VAL_STRING: return tk == TY_STRING;
    case VAL_LIST: case VAL_SET: case VAL_MAP:
        return tk == (v.kind == VAL_LIST ? TY_LIST : v.kind == VAL_SET ? TY_SET : TY_MAP) &&
               ty_equal(h->t, ty_elem(t));
    case VAL_TUPLE:
        if (tk != TY_TUPLE || ty_len(t) != h->n)
            return 0;
        for (size_t i = 0; i < h->n; i++)
            if (!val_has_type(h->items[i], ty_index(t, i)))
                return 0;
        return 1;
    case VAL_OBJECT:
        rd(v);
        if (tk != TY_OBJECT || ty_len(t) != h->n || ty_has_optional(t))
            return 0;
        for (size_t i = 0; i < h->n; i++)
            if (strcmp(h->keys[i], ty_attr_name(t, i)) != 0 ||
                !val_has_type(h->items[i], ty_index(t, i)))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* Check (and if needed adapt) item for a collection with element type
 * *elem: an any-typed null/unknown item takes the element type; an
 * any-typed empty collection takes the item's type.  Returns 0 or -1. */
static int fit_elem(struct val_heap *h, val *item)
{
    if (ty_kind(h->t) == TY_ANY) {
        if (h->n == 0) {
            ty_free(h->t);
            h->t = val_type(*item);
        }
        return 0;
    }
    if (val_has_type(*item, h->t))
        return 0;
    if (item->kind == VAL_NULL && !heap_of(*item)) {
        /* a null or unknown of type any takes the element type */
        unsigned m = item->marks;
        *item = val_is_unknown(*item) ? val_unknown(ty_copy(h->t)) : val_null_of(ty_copy(h->t));
        item->marks |= m;
        return 0;
    }
    char *want = ty_str(h->t);
    ty *it = val_type(*item);
    char *got = ty_str(it);
    err_set(CAIRN_EINVAL, "element of type %s does not match collection element type %s",
            got, want);
    free(want);
    free(got);
    ty_free(it);
    return -1;
}

static val builder_fail(val coll, val item)
{
    val_free(coll);
    val_free(item);
    return val_invalid();
}

static int is_coll(val v, enum val_kind k)
{
    return v.kind == k && !val_is_unknown(v) && heap_of(v) != NULL;
}

static val seq_push(val coll, val item, int typed)
{
    struct val_heap *h = own(&coll);
    if (typed && fit_elem(h, &item) < 0)
        return builder_fail(coll, item);
    grow(h);
    h->items[h->n++] = item;
    h->deep |= (uint8_t)deep_marks(item);
    return coll;
}

val val_list_append(val list, val item)
{
    if (!is_coll(list, VAL_LIST) || !val_is_valid(item)) {
        err_set(CAIRN_EINVAL, "val_list_append: not a known list or invalid item");
        return builder_fail(list, item);
    }
    return seq_push(list, item, 1);
}

val val_tuple_append(val tuple, val item)
{
    if (!is_coll(tuple, VAL_TUPLE) || !val_is_valid(item)) {
        err_set(CAIRN_EINVAL, "val_tuple_append: not a known tuple or invalid item");
        return builder_fail(tuple, item);
    }
    return seq_push(tuple, item, 0);
}

val val_set_add(val set, val item)
{
    if (!is_coll(set, VAL_SET) || !val_is_valid(item)) {
        err_set(CAIRN_EINVAL, "val_set_add: not a known set or invalid item");
        return builder_fail(set, item);
    }
    /* As cty does, marks of elements move onto the set itself. */
    if (deep_marks(item) & VAL_MARK_SENSITIVE) {
        set.marks |= VAL_MARK_SENSITIVE;
        item = val_unmark_deep(item);
    }
    struct val_heap *h = heap_of(set);
    size_t before = h->n;
    set = seq_push(set, item, 1);
    if (val_is_valid(set) && before > 0)
        heap_of(set)->dirty = 1;
    return set;
}

static void recompute_deep(struct val_heap *h)
{
    unsigned d = 0;
    for (size_t i = 0; i < h->n; i++)
        d |= deep_marks(h->items[i]);
    h->deep = (uint8_t)d;
}

static val map_put(val coll, const char *key, val v, int typed)
{
    struct val_heap *h = own(&coll);
    if (typed && fit_elem(h, &v) < 0)
        return builder_fail(coll, v);
    if (!h->dirty && h->n > 0 && strcmp(h->keys[h->n - 1], key) >= 0) {
        size_t lo = 0, hi = h->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(h->keys[mid], key);
            if (c == 0) {
                unsigned old = deep_marks(h->items[mid]);
                val_free(h->items[mid]);
                h->items[mid] = v;
                if (old)
                    recompute_deep(h);
                else
                    h->deep |= (uint8_t)deep_marks(v);
                return coll;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        h->dirty = 1;
    }
    grow(h);
    h->keys[h->n] = xstrdup(key);
    h->items[h->n++] = v;
    h->deep |= (uint8_t)deep_marks(v);
    return coll;
}

val val_map_set(val map, const char *key, val v)
{
    if (!is_coll(map, VAL_MAP) || !val_is_valid(v) || !key) {
        err_set(CAIRN_EINVAL, "val_map_set: not a known map or invalid value");
        return builder_fail(map, v);
    }
    return map_put(map, key, v, 1);
}

val val_object_set(val obj, const char *key, val v)
{
    if (!is_coll(obj, VAL_OBJECT) || !val_is_valid(v) || !key) {
        err_set(CAIRN_EINVAL, "val_object_set: not a known object or invalid value");
        return builder_fail(obj, v);
    }
    return map_put(obj, key, v, 0);
}

/* ---------------------------------------------------------------- normalising */

struct sort_ctx {
    struct val_heap *h;
    char **hb;   /* set: precomputed hash bytes of complex elements, or NULL */
};

static int cmp_set_idx(const void *a, const void *b, void *arg)
{
    const struct sort_ctx *c = arg;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int r = 0;
    val x = c->h->items[i], y = c->h->items[j];
    int xn = val_is_null(x), yn = val_is_null(y);
    int xu = val_is_unknown(x), yu = val_is_unknown(y);
    if (xn != yn)
        r = xn - yn;
    else if (xu != yu)
        r = xu - yu;
    else if (c->hb && c->hb[i] && c->hb[j])
        r = strcmp(c->hb[i], c->hb[j]);
    if (r == 0)
        r = val_compare(x, y);
    if (r == 0)
        r = (i > j) - (i < j);
    return r;
}

static void set_normalise(struct val_heap *h)
{
    h->dirty = 0;
    if (h->n < 2)
        return;
    size_t n = h->n;
    size_t *idx = xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    struct sort_ctx c = {h, NULL};
    int complex = 0;
    for (size_t i = 0; i < n && !complex; i++)
        complex = h->items[i].kind >= VAL_LIST && !val_is_unknown(h->items[i]);
    if (complex) {
        c.hb = xcalloc(n, sizeof *c.hb);
        for (size_t i = 0; i < n; i++)
            if (!val_is_unknown(h->items[i]) && h->items[i].kind != VAL_NULL)
                c.hb[i] = val_set_hash_bytes(h->items[i]);
    }
    qsort_r(idx, n, sizeof *idx, cmp_set_idx, &c);
    val *out = xmalloc(n * sizeof *out);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        val x = h->items[idx[k]];
        if (m > 0 && val_is_wholly_known(x) && val_is_wholly_known(out[m - 1]) &&
            val_raw_equal(out[m - 1], x)) {
            val_free(x);
            continue;
        }
        out[m++] = x;
    }
    if (c.hb) {
        for (size_t i = 0; i < n; i++)
            free(c.hb[i]);
        free(c.hb);
    }
    free(idx);
    free(h->items);
    h->items = out;
    h->n = m;
    h->cap = n;
}

static int cmp_map_idx(const void *a, const void *b, void *arg)
{
    const struct val_heap *h = arg;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int r = strcmp(h->keys[i], h->keys[j]);
    return r ? r : (i > j) - (i < j);
}

static void map_normalise(struct val_heap *h)
{
    h->dirty = 0;
    size_t n = h->n;
    if (n < 2)
        return;
    size_t *idx = xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, cmp_map_idx, h);
    val *items = xmalloc(n * sizeof *items);
    char **keys = xmalloc(n * sizeof *keys);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        if (m > 0 && strcmp(keys[m - 1], h->keys[i]) == 0) {
            /* a later set of the same key replaces the earlier one */
            val_free(items[m - 1]);
            free(keys[m - 1]);
            m--;
        }
        keys[m] = h->keys[i];
        items[m++] = h->items[i];
    }
    free(idx);
    free(h->items);
    free(h->keys);
    h->items = items;
    h->keys = keys;
    h->n = m;
    h->cap = n;
    recompute_deep(h);
}

/* ---------------------------------------------------------------- marks */

unsigned val_marks(val v) { return v.marks; }

val val_mark(val v, unsigned marks)
{
    if (!val_is_valid(v))
        return v;
    if ((marks & VAL_MARK_UNKNOWN) && !val_is_unknown(v)) {
        unsigned keep = v.marks;
        ty *t = val_type(v);
        val_free(v);
        v = val_unknown(t);
        v.marks |= (uint8_t)keep;
    }
    v.marks |= (uint8_t)(marks & (VAL_MARK_UNKNOWN | VAL_MARK_SENSITIVE));
    return v;
}

val val_unmark(val v, unsigned marks)
{
    /* The unknown mark cannot be removed: there is no value under it. */
    v.marks &= (uint8_t)~(marks & VAL_MARK_SENSITIVE);
    return v;
}

int val_is_wholly_known(val v)
{
    return !(deep_marks(v) & VAL_MARK_UNKNOWN);
}

int val_contains_sensitive(val v)
{
    return (deep_marks(v) & VAL_MARK_SENSITIVE) != 0;
}

val val_unmark_deep(val v)
{
    v.marks &= (uint8_t)~VAL_MARK_SENSITIVE;
    struct val_heap *h = heap_of(v);
    if (!h || (h->hk != VH_SEQ && h->hk != VH_MAP) || !(h->deep & VAL_MARK_SENSITIVE))
        return v;
    h = own(&v);
    for (size_t i = 0; i < h->n; i++)
        h->items[i] = val_unmark_deep(h->items[i]);
    recompute_deep(h);
    return v;
}

/* ---------------------------------------------------------------- accessors */

ty *val_type(val v)
{
    struct val_heap *h = rd(v);
    if (v.kind == VAL_NULL || val_is_unknown(v)) {
        if (h && h->hk == VH_TYPE)
            return ty_copy(h->t);
        switch ((enum val_kind)v.kind) {
        case VAL_BOOL: return ty_bool();
        case VAL_NUMBER: return ty_number();
        case VAL_STRING: return ty_string();
        default: return ty_any();
        }
    }
    switch ((enum val_kind)v.kind) {
    case VAL_BOOL: return ty_bool();
    case VAL_NUMBER: return ty_number();
    case VAL_STRING: return ty_string();
    case VAL_LIST: return ty_list(ty_copy(h->t));
    case VAL_SET: return ty_set(ty_copy(h->t));
    case VAL_MAP: return ty_map(ty_copy(h->t));
    case VAL_TUPLE: {
        ty *small[8];
        ty **ts = h->n <= 8 ? small : xmalloc(h->n * sizeof *ts);
        for (size_t i = 0; i < h->n; i++)
            ts[i] = val_type(h->items[i]);
        ty *t = ty_tuple(ts, h->n);
        if (ts != small)
            free(ts);
        return t;
    }
    case VAL_OBJECT: {
        ty **ts = h->n ? xmalloc(h->n * sizeof *ts) : NULL;
        for (size_t i = 0; i < h->n; i++)
            ts[i] = val_type(h->items[i]);
        ty *t = ty_object((const char *const *)h->keys, ts, h->n, NULL, NULL);
        free(ts);
        return t;
    }
    default:
        return ty_any();
    }
}

int val_get_bool(val v)
{
    return v.kind == VAL_BOOL && !val_is_unknown(v) ? v.u.b : 0;
}

double val_get_number(val v)
{
    return v.kind == VAL_NUMBER && !val_is_unknown(v) ? v.u.n : 0.0;
}

const char *val_get_string(val v)
{
    if (v.kind != VAL_STRING || val_is_unknown(v))
        return "";
    return v.u.h->s;
}

size_t val_string_len(val v)
{
    if (v.kind != VAL_STRING || val_is_unknown(v))
        return 0;
    return v.u.h->n;
}

static struct val_heap *coll_heap(val v)
{
    if (v.kind < VAL_LIST || val_is_unknown(v))
        return NULL;
    return rd(v);
}

size_t val_len(val v)
{
    struct val_heap *h = coll_heap(v);
    return h ? h->n : 0;
}

const val *val_at(val v, size_t i)
{
    struct val_heap *h = coll_heap(v);
    return h && i < h->n ? &h->items[i] : NULL;
}

const char *val_key_at(val v, size_t i)
{
    struct val_heap *h = coll_heap(v);
    return h && h->hk == VH_MAP && i < h->n ? h->keys[i] : NULL;
}

const val *val_lookup(val v, const char *key)
{
    struct val_heap *h = coll_heap(v);
    if (!h || h->hk != VH_MAP)
        return NULL;
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(h->keys[mid], key);
        if (c == 0)
            return &h->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---------------------------------------------------------------- comparison */

static int ty_compare(const ty *a, const ty *b)
{
    if (ty_equal(a, b))
        return 0;
    char *x = ty_str(a), *y = ty_str(b);
    int r = strcmp(x, y);
    free(x);
    free(y);
    return r ? r : (a < b ? -1 : 1);
}

int val_raw_equal(val a, val b)
{
    return val_compare(a, b) == 0;
}

static int str_cmp(val a, val b)
{
    struct val_heap *x = a.u.h, *y = b.u.h;
    size_t n = x->n < y->n ? x->n : y->n;
    int r = memcmp(x->s, y->s, n);
    if (r)
        return r;
    return (x->n > y->n) - (x->n < y->n);
}

int val_compare(val a, val b)
{
    int an = val_is_null(a), bn = val_is_null(b);
    int au = val_is_unknown(a), bu = val_is_unknown(b);
    if (an != bn)
        return an - bn;              /* null sorts last */
    if (au != bu)
        return au - bu;              /* unknown after known */
    if (an || au) {
        ty *x = val_type(a), *y = val_type(b);
        int r = ty_compare(x, y);
        ty_free(x);
        ty_free(y);
        if (r || an)
            return r;
        return (a.kind > b.kind) - (a.kind < b.kind);
    }
    if (a.kind != b.kind)
        return (a.kind > b.kind) - (a.kind < b.kind);
    switch ((enum val_kind)a.kind) {
    case VAL_BOOL:
        return (a.u.b != 0) - (b.u.b != 0);
    case VAL_NUMBER:
        return (a.u.n > b.u.n) - (a.u.n < b.u.n);
    case VAL_STRING:
        return str_cmp(a, b);
    case VAL_LIST: case VAL_SET: case VAL_TUPLE: case VAL_MAP: case VAL_OBJECT: {
        struct val_heap *x = rd(a), *y = rd(b);
        if (x->t && y->t) {
            int r = ty_compare(x->t, y->t);
            if (r)
                return r;
        }
        size_t n = x->n < y->n ? x->n : y->n;
        for (size_t i = 0; i < n; i++) {
            int r = 0;
            if (x->hk == VH_MAP)
                r = strcmp(x->keys[i], y->keys[i]);
            if (!r)
                r = val_compare(x->items[i], y->items[i]);
            if (r)
                return r;
        }
        return (x->n > y->n) - (x->n < y->n);
    }
    default:
        return 0;
    }
}

/* ---------------------------------------------------------------- set hash bytes */

/* Go's %q for a string, close enough for ordering: printable ASCII as is,
 * the common escapes, other control bytes as \xNN, UTF-8 passed through. */
static void go_quote(strbuf *b, const char *s, size_t n)
{
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
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
        default:
            if (c < 0x20 || c == 0x7f)
                sb_printf(b, "\\x%02x", c);
            else
                sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

static void hash_bytes(strbuf *b, val v)
{
    if (val_is_unknown(v)) {
        sb_putc(b, '?');
        return;
    }
    if (v.kind == VAL_NULL) {
        sb_putc(b, '~');
        return;
    }
    struct val_heap *h = rd(v);
    switch ((enum val_kind)v.kind) {
    case VAL_NUMBER: {
        char tmp[64];
        /* big.Float.String() is Text('g', 10) */
        snprintf(tmp, sizeof tmp, "%.10g", v.u.n);
        sb_puts(b, tmp);
        return;
    }
    case VAL_BOOL:
        sb_putc(b, v.u.b ? 'T' : 'F');
        return;
    case VAL_STRING:
        go_quote(b, h->s, h->n);
        return;
    case VAL_MAP:
        sb_putc(b, '{');
        for (size_t i = 0; i < h->n; i++) {
            go_quote(b, h->keys[i], strlen(h->keys[i]));
            sb_putc(b, ':');
            hash_bytes(b, h->items[i]);
            sb_putc(b, ';');
        }
        sb_putc(b, '}');
        return;
    case VAL_LIST: case VAL_SET:
        sb_putc(b, '[');
        for (size_t i = 0; i < h->n; i++) {
            hash_bytes(b, h->items[i]);
            sb_putc(b, ';');
        }
        sb_putc(b, ']');
        return;
    case VAL_OBJECT: case VAL_TUPLE:
        sb_putc(b, '<');
        for (size_t i = 0; i < h->n; i++) {
            hash_bytes(b, h->items[i]);
            sb_putc(b, ';');
        }
        sb_putc(b, '>');
        return;
    default:
        return;
    }
}

/* The bytes cty hashes a set element by (and orders non-primitive set
 * elements by).  Caller frees. */
char *val_set_hash_bytes(val v)
{
    strbuf b = {0};
    hash_bytes(&b, v);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}

/* ---------------------------------------------------------------- numbers */

/* Terraform prints numbers with big.Float's Text('f', -1): the shortest
 * decimal that reads back to the same value, never with an exponent. */
void val_number_fmt(double n, char *buf, size_t size)
{
    if (size == 0)
        return;
    if (isnan(n)) {
        snprintf(buf, size, "NaN");
        return;
    }
    if (isinf(n)) {
        snprintf(buf, size, n > 0 ? "+Inf" : "-Inf");
        return;
    }
    char e[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec - 1, n);
        if (strtod(e, NULL) == n)
            break;
    }
    /* e is "[-]d.ddde[+-]xx": rebuild without the exponent */
    char digits[24];
    size_t nd = 0;
    const char *p = e;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    char out[400];
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    int dp = exp + 1;   /* digits before the decimal point */
    if (dp <= 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -dp; i++)
            out[o++] = '0';
        for (size_t i = 0; i < nd; i++)
            out[o++] = digits[i];
    } else {
        for (int i = 0; i < dp; i++)
            out[o++] = (size_t)i < nd ? digits[i] : '0';
        if ((size_t)dp < nd) {
            out[o++] = '.';
            for (size_t i = (size_t)dp; i < nd; i++)
                out[o++] = digits[i];
        }
    }
    out[o] = '\0';
    if (o < size) {
        memcpy(buf, out, o + 1);
    } else {
        /* too long for the caller's buffer: fall back to exponent form */
        snprintf(buf, size, "%.*g", prec, n);
    }
}
