/*
 * lang/val.c — the value model: construction, reference counting, builders
 * with copy-on-write, marks, accessors, equality and the canonical order.
 *
 * What must stay true:
 *   - A heap payload with rc > 1 is never modified.  Builders clone first.
 *   - Sets and maps may be "dirty" (appended out of order) only while their
 *     payload has a single owner; val_copy() and every positional read
 *     (val_at, val_key_at) normalise first, so shared payloads are always
 *     canonical.  A map is a sorted prefix plus a short unsorted tail of
 *     unique keys; val_lookup searches both without modifying anything.
 *   - Strings use the small struct val_str payload, everything else
 *     struct val_heap (see lang/val_internal.h); both start with val_hdr.
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
static void recompute_deep(struct val_heap *h);

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
    atomic_init(&h->hd.rc, 1);
    h->hd.hk = (uint8_t)hk;
    return h;
}

static struct val_str *str_new(size_t extra)
{
    struct val_str *h = xcalloc(1, sizeof *h + extra);
    atomic_init(&h->hd.rc, 1);
    h->hd.hk = VH_STR;
    return h;
}

/* The string payload of a known string value. */
static inline const struct val_str *str_of(val v)
{
    return (const struct val_str *)(const void *)v.u.h;
}

/* Key i of a map payload. */
#define KEY(h, i) ((h)->kbuf + (h)->koff[i])

/* Keys of one map live back to back in one buffer: one allocation per
 * map instead of one per key, and cheap to copy.  The offsets are 32-bit. */
#define VAL_MAP_MAX_KEY_BYTES UINT32_MAX

/* Append key to h's key buffer and record its offset for entry h->n. */
static int key_store(struct val_heap *h, const char *key)
{
    size_t len = strlen(key) + 1;
    if (h->klen + len > VAL_MAP_MAX_KEY_BYTES)
        return err_set(CAIRN_ELIMIT, "map keys exceed %u bytes", VAL_MAP_MAX_KEY_BYTES);
    if (h->klen + len > h->kcap) {
        size_t cap = h->kcap ? h->kcap * 2 : 32;
        while (cap < h->klen + len)
            cap *= 2;
        h->kbuf = xrealloc(h->kbuf, cap);
        h->kcap = cap;
    }
    memcpy(h->kbuf + h->klen, key, len);
    h->koff[h->n] = (uint32_t)h->klen;
    h->klen += len;
    return 0;
}

/* Make a read-ready heap: dirty sets and maps are normalised. */
static inline struct val_heap *rd(val v)
{
    struct val_heap *h = heap_of(v);
    if (h && h->hd.dirty) {
        if (h->hd.hk == VH_SEQ)
            set_normalise(h);
        else
            map_normalise(h);
    }
    return h;
}

static void heap_free(struct val_heap *h)
{
    switch ((enum val_heap_kind)h->hd.hk) {
    case VH_STR: {
        struct val_str *st = (struct val_str *)(void *)h;
        if (!st->hd.inl)
            free(st->s);
        free(st);
        return;
    }
    case VH_SEQ:
        for (size_t i = 0; i < h->n; i++)
            val_free(h->items[i]);
        free(h->items);
        break;
    case VH_MAP:
        for (size_t i = 0; i < h->n; i++)
            val_free(h->items[i]);
        free(h->items);
        free(h->koff);
        free(h->kbuf);
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
        atomic_fetch_add_explicit(&h->hd.rc, 1, memory_order_relaxed);
    return v;
}

void val_free(val v)
{
    struct val_heap *h = heap_of(v);
    if (h && atomic_fetch_sub_explicit(&h->hd.rc, 1, memory_order_acq_rel) == 1)
        heap_free(h);
}

/* Marks of v itself plus any found inside it. */
static inline unsigned deep_marks(val v)
{
    struct val_heap *h = heap_of(v);
    return v.marks | (h && (h->hd.hk == VH_SEQ || h->hd.hk == VH_MAP) ? h->hd.deep : 0);
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
    struct val_str *h = str_new(n + 1);
    h->hd.inl = 1;
    h->s = (char *)(h + 1);
    if (n)
        memcpy(h->s, s, n);
    h->s[n] = '\0';
    h->n = n;
    val v = {.kind = VAL_STRING};
    v.u.h = (struct val_heap *)(void *)h;
    return v;
}

val val_string(const char *s)
{
    return val_string_n(s, strlen(s));
}

val val_string_own(char *s, size_t n)
{
    struct val_str *h = str_new(0);
    h->s = s;
    h->n = n;
    val v = {.kind = VAL_STRING};
    v.u.h = (struct val_heap *)(void *)h;
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
    if (atomic_load_explicit(&h->hd.rc, memory_order_acquire) == 1)
        return h;
    rd(*v);
    struct val_heap *c = heap_new((enum val_heap_kind)h->hd.hk, 0);
    c->hd.deep = h->hd.deep;
    c->t = ty_copy(h->t);
    c->n = c->cap = h->n;
    c->sorted = h->hd.hk == VH_MAP ? h->n : 0;
    if (h->n) {
        c->items = xmalloc(h->n * sizeof *c->items);
        for (size_t i = 0; i < h->n; i++)
            c->items[i] = val_copy(h->items[i]);
        if (h->hd.hk == VH_MAP) {
            c->koff = xmalloc(h->n * sizeof *c->koff);
            memcpy(c->koff, h->koff, h->n * sizeof *c->koff);
            c->kbuf = xmalloc(h->klen);
            memcpy(c->kbuf, h->kbuf, h->klen);
            c->klen = c->kcap = h->klen;
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
    if (h->hd.hk == VH_MAP)
        h->koff = xrealloc(h->koff, cap * sizeof *h->koff);
    h->cap = cap;
}

/* Whether v's type is exactly t (without building v's type). */
int val_has_type(val v, const ty *t)
{
    enum ty_kind tk = ty_kind(t);
    struct val_heap *h = heap_of(v);
    if (v.kind == VAL_NULL || val_is_unknown(v)) {
        if (h && h->hd.hk == VH_TYPE)
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
            if (strcmp(KEY(h, i), ty_attr_name(t, i)) != 0 ||
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
    h->hd.deep |= (uint8_t)deep_marks(item);
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
        heap_of(set)->hd.dirty = 1;
    return set;
}

static void recompute_deep(struct val_heap *h)
{
    unsigned d = 0;
    for (size_t i = 0; i < h->n; i++)
        d |= deep_marks(h->items[i]);
    h->hd.deep = (uint8_t)d;
}

/* Index of key in map payload h, or -1.  Works on a dirty payload too:
 * binary search over the sorted prefix, then a scan of the short tail
 * (entries are unique, so no normalising is needed and nothing is
 * modified: safe on a payload other threads read). */
static long map_find(const struct val_heap *h, const char *key)
{
    size_t lo = 0, hi = h->sorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(KEY(h, mid), key);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = h->sorted; i < h->n; i++)
        if (strcmp(KEY(h, i), key) == 0)
            return (long)i;
    return -1;
}

/* Unsorted tail length at which a map is merged back into order: about
 * sqrt(n), so that inserting n keys in any order costs O(n sqrt n) at
 * worst and lookups stay O(log n + sqrt n). */
static size_t map_tail_limit(size_t n)
{
    size_t t = 16;
    while (t * t < n)
        t *= 2;
    return t;
}

static val map_put(val coll, const char *key, val v, int typed)
{
    struct val_heap *h = own(&coll);
    if (typed && fit_elem(h, &v) < 0)
        return builder_fail(coll, v);
    long at = map_find(h, key);
    if (at >= 0) {
        unsigned old = deep_marks(h->items[at]);
        val_free(h->items[at]);
        h->items[at] = v;
        if (old)
            recompute_deep(h);
        else
            h->hd.deep |= (uint8_t)deep_marks(v);
        return coll;
    }
    grow(h);
    int in_order = h->sorted == h->n && (h->n == 0 || strcmp(KEY(h, h->n - 1), key) < 0);
    if (key_store(h, key) < 0)
        return builder_fail(coll, v);
    h->items[h->n++] = v;
    h->hd.deep |= (uint8_t)deep_marks(v);
    if (in_order)
        h->sorted = h->n;
    else if (h->n - h->sorted > map_tail_limit(h->n))
        map_normalise(h);
    h->hd.dirty = h->sorted < h->n;
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
        r = val_cmp(&x, &y);
    if (r == 0)
        r = (i > j) - (i < j);
    return r;
}

static void set_normalise(struct val_heap *h)
{
    h->hd.dirty = 0;
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
            val_cmp(&out[m - 1], &x) == 0) {
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
    return strcmp(KEY(h, i), KEY(h, j));
}

/* Sort the unsorted tail of a map payload and merge it into the sorted
 * prefix.  Keys are unique (map_put replaces), so this is a plain merge. */
static void map_normalise(struct val_heap *h)
{
    size_t n = h->n, p = h->sorted, t = n - p;
    h->hd.dirty = 0;
    h->sorted = n;
    if (t == 0)
        return;
    size_t *idx = xmalloc(t * sizeof *idx);
    for (size_t i = 0; i < t; i++)
        idx[i] = p + i;
    qsort_r(idx, t, sizeof *idx, cmp_map_idx, h);
    val *items = xmalloc(h->cap * sizeof *items);
    uint32_t *koff = xmalloc(h->cap * sizeof *koff);
    size_t a = 0, b = 0, m = 0;
    while (a < p || b < t) {
        size_t src;
        if (b >= t || (a < p && strcmp(KEY(h, a), KEY(h, idx[b])) < 0))
            src = a++;
        else
            src = idx[b++];
        koff[m] = h->koff[src];
        items[m++] = h->items[src];
    }
    free(idx);
    free(h->items);
    free(h->koff);
    h->items = items;
    h->koff = koff;
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
    if (!h || (h->hd.hk != VH_SEQ && h->hd.hk != VH_MAP) || !(h->hd.deep & VAL_MARK_SENSITIVE))
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
        if (h && h->hd.hk == VH_TYPE)
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
        const char **names = h->n ? xmalloc(h->n * sizeof *names) : NULL;
        for (size_t i = 0; i < h->n; i++) {
            ts[i] = val_type(h->items[i]);
            names[i] = KEY(h, i);
        }
        ty *t = ty_object(names, ts, h->n, NULL, NULL);
        free(ts);
        free(names);
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
    return str_of(v)->s;
}

size_t val_string_len(val v)
{
    if (v.kind != VAL_STRING || val_is_unknown(v))
        return 0;
    return str_of(v)->n;
}

static struct val_heap *coll_heap(val v)
{
    if (v.kind < VAL_LIST || val_is_unknown(v))
        return NULL;
    return rd(v);
}

size_t val_len(val v)
{
    if (v.kind < VAL_LIST || val_is_unknown(v))
        return 0;
    struct val_heap *h = heap_of(v);
    if (h && h->hd.hk == VH_SEQ && h->hd.dirty)
        set_normalise(h);    /* dedupe changes the count */
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
    return h && h->hd.hk == VH_MAP && i < h->n ? KEY(h, i) : NULL;
}

const val *val_lookup(val v, const char *key)
{
    if (v.kind < VAL_LIST || val_is_unknown(v))
        return NULL;
    struct val_heap *h = heap_of(v);
    if (!h || h->hd.hk != VH_MAP)
        return NULL;
    long i = map_find(h, key);
    return i >= 0 ? &h->items[i] : NULL;
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

static int str_cmp(val a, val b)
{
    const struct val_str *x = str_of(a), *y = str_of(b);
    size_t n = x->n < y->n ? x->n : y->n;
    int r = memcmp(x->s, y->s, n);
    if (r)
        return r;
    return (x->n > y->n) - (x->n < y->n);
}

static int cmp(val a, val b)
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
            if (x->hd.hk == VH_MAP)
                r = strcmp(KEY(x, i), KEY(y, i));
            if (!r)
                r = cmp(x->items[i], y->items[i]);
            if (r)
                return r;
        }
        return (x->n > y->n) - (x->n < y->n);
    }
    default:
        return 0;
    }
}

int val_cmp(const val *a, const val *b)
{
    return cmp(*a, *b);
}

int val_eq(const val *a, const val *b)
{
    return cmp(*a, *b) == 0;
}

int val_compare(val a, val b)
{
    return cmp(a, b);
}

int val_raw_equal(val a, val b)
{
    return cmp(a, b) == 0;
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
        go_quote(b, str_of(v)->s, str_of(v)->n);
        return;
    case VAL_MAP:
        sb_putc(b, '{');
        for (size_t i = 0; i < h->n; i++) {
            go_quote(b, KEY(h, i), strlen(KEY(h, i)));
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

/* A decimal: digits d[0..n) (no trailing zeros) times 10^(exp - n), i.e.
 * the value is 0.d * 10^exp, as Go's math/big decimal type. */
struct dec {
    char d[900];
    int n, exp;
};

/* The decimal expansion of x to `prec` + 1 significant digits (glibc
 * rounds correctly; with prec large enough the expansion is exact).
 * Returns 1 when digits 19 to prec are all 9: rounding may then have
 * carried into earlier digits.  (All zeros there means the expansion ends
 * before digit 19: a double's expansion never resumes after 22 zeros.) */
static int dec_digits(struct dec *r, long double x, int prec)
{
    char buf[1000];
    snprintf(buf, sizeof buf, "%.*Le", prec, x);
    const char *p = buf;
    if (*p == '-')
        p++;
    r->n = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            r->d[r->n++] = *p;
    r->exp = atoi(p + 1) + 1;
    int all9 = r->n > 19;
    for (int i = 19; i < r->n; i++)
        all9 &= r->d[i] == '9';
    while (r->n > 0 && r->d[r->n - 1] == '0')
        r->n--;
    return all9;
}

static char dec_at(const struct dec *r, int i)
{
    return i < r->n ? r->d[i] : '0';
}

static void dec_trim(struct dec *r)
{
    while (r->n > 0 && r->d[r->n - 1] == '0')
        r->n--;
}

static void dec_round_down(struct dec *r, int n)
{
    if (n < r->n) {
        r->n = n;
        dec_trim(r);
    }
}

static void dec_round_up(struct dec *r, int n)
{
    if (n >= r->n)
        return;
    while (n > 0 && r->d[n - 1] >= '9')
        n--;
    if (n == 0) {
        r->d[0] = '1';
        r->n = 1;
        r->exp++;
        return;
    }
    r->d[n - 1]++;
    r->n = n;
}

static void dec_round(struct dec *r, int n)
{
    if (n >= r->n)
        return;
    int up;
    if (r->d[n] == '5' && n + 1 == r->n)
        up = n > 0 && ((r->d[n - 1] - '0') & 1);
    else
        up = r->d[n] >= '5';
    if (up)
        dec_round_up(r, n);
    else
        dec_round_down(r, n);
}

/* Terraform prints numbers with big.Float's Text('f', -1).  A value that
 * came from a float64 has 53 bits of precision, and Go picks the shortest
 * decimal inside the rounding interval of that precision (math/big's
 * roundShortest); this is the same walk over exact decimal expansions. */
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
    if (n == floor(n) && fabs(n) < 9007199254740992.0) {
        /* integers below 2^53 print exactly */
        if (n == 0 && signbit(n))
            snprintf(buf, size, "-0");
        else
            snprintf(buf, size, "%.0f", n);
        return;
    }
    static _Thread_local struct dec d, lo, hi;
    int e2;
    double f = frexp(fabs(n), &e2);
    uint64_t mant = (uint64_t)ldexp(f, 53);          /* 53 bits, top bit set */
    uint64_t m2 = mant << 1;                         /* lsb = 1/2 ulp */
    int e = e2 - 54;
    long double xd = ldexpl((long double)m2, e), xl = ldexpl((long double)(m2 - 1), e),
                xh = ldexpl((long double)(m2 + 1), e);
    /* 41 digits decide almost always (the walk ends by digit 17); the
     * exact expansions (up to ~800 digits) only when rounding at digit 41
     * could matter. */
    int exact = 0;
    if (dec_digits(&d, xd, 40) | dec_digits(&lo, xl, 40) | dec_digits(&hi, xh, 40)) {
exact_again:
        exact = 1;
        dec_digits(&d, xd, 840);
        dec_digits(&lo, xl, 840);
        dec_digits(&hi, xh, 840);
    }
    int inclusive = (m2 & 2) == 0;
    for (int i = 0; i < d.n; i++) {
        if (i > 17 && !exact)
            goto exact_again;
        char l = dec_at(&lo, i), u = dec_at(&hi, i), m = d.d[i];
        int okdown = l != m || (inclusive && i + 1 == lo.n);
        int okup = m != u && (inclusive || m + 1 < u || i + 1 < hi.n);
        if (okdown && okup) {
            dec_round(&d, i + 1);
            break;
        }
        if (okdown) {
            dec_round_down(&d, i + 1);
            break;
        }
        if (okup) {
            dec_round_up(&d, i + 1);
            break;
        }
    }
    /* 'f' format: integer digits, then every remaining digit */
    if (d.exp > 360 || d.n - d.exp > 360) {
        snprintf(buf, size, "%.17g", n);   /* cannot happen for a double */
        return;
    }
    char out[VAL_NUMBER_BUF];
    size_t o = 0;
    if (n < 0)
        out[o++] = '-';
    if (d.exp > 0) {
        for (int i = 0; i < d.exp; i++)
            out[o++] = dec_at(&d, i);
    } else {
        out[o++] = '0';
    }
    if (d.n > d.exp) {
        out[o++] = '.';
        for (int i = d.exp; i < d.n; i++)
            out[o++] = i < 0 ? '0' : d.d[i];
    }
    out[o] = '\0';
    if (o < size)
        memcpy(buf, out, o + 1);
    else
        snprintf(buf, size, "%.17g", n);   /* too long for the caller's buffer */
}
