/*
 * lang/ty.c — Terraform's type descriptors (see lang/val.h).
 *
 * A ty is immutable once built.  Primitive types are static singletons whose
 * reference count is never touched; compound types are heap objects with an
 * atomic count so that values holding them can be shared across threads.
 * Object attributes are kept sorted by name (byte order), which makes
 * equality and lookup simple and printing deterministic.
 */
#include "lang/val.h"
#include "lang/val_internal.h"
#include "lang/diag.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* rc == TY_STATIC marks a singleton. */
#define TY_STATIC UINT32_MAX

static ty ty_any_s = {.rc = TY_STATIC, .kind = TY_ANY};
static ty ty_bool_s = {.rc = TY_STATIC, .kind = TY_BOOL};
static ty ty_number_s = {.rc = TY_STATIC, .kind = TY_NUMBER};
static ty ty_string_s = {.rc = TY_STATIC, .kind = TY_STRING};

ty *ty_any(void) { return &ty_any_s; }
ty *ty_bool(void) { return &ty_bool_s; }
ty *ty_number(void) { return &ty_number_s; }
ty *ty_string(void) { return &ty_string_s; }

static ty *ty_new(enum ty_kind k)
{
    ty *t = xcalloc(1, sizeof *t);
    atomic_init(&t->rc, 1);
    t->kind = k;
    return t;
}

static ty *ty_coll(enum ty_kind k, ty *elem)
{
    ty *t = ty_new(k);
    t->elem = elem ? elem : ty_any();
    return t;
}

ty *ty_list(ty *elem) { return ty_coll(TY_LIST, elem); }
ty *ty_set(ty *elem) { return ty_coll(TY_SET, elem); }
ty *ty_map(ty *elem) { return ty_coll(TY_MAP, elem); }

ty *ty_tuple(ty **elems, size_t n)
{
    ty *t = ty_new(TY_TUPLE);
    t->n = n;
    if (n) {
        t->elems = xmalloc(n * sizeof *t->elems);
        memcpy(t->elems, elems, n * sizeof *t->elems);
    }
    return t;
}

/* Object attribute sorting: an index permutation sorted by name. */
struct attr_tmp {
    const char *name;
    ty *type;
    int opt;
    val def;
    size_t idx;     /* position given, so that a later duplicate wins */
};

static int attr_cmp(const void *a, const void *b)
{
    const struct attr_tmp *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    return r ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

ty *ty_object(const char *const *names, ty **types, size_t n, const int *optional,
              val *defaults)
{
    ty *t = ty_new(TY_OBJECT);
    if (n == 0)
        return t;
    struct attr_tmp *tmp = xmalloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++) {
        tmp[i].name = names[i];
        tmp[i].type = types[i];
        tmp[i].opt = optional ? optional[i] != 0 : 0;
        tmp[i].def = defaults ? defaults[i] : val_invalid();
        tmp[i].idx = i;
    }
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = strcmp(tmp[i - 1].name, tmp[i].name) < 0;
    if (!sorted)
        qsort(tmp, n, sizeof *tmp, attr_cmp);
    t->names = xmalloc(n * sizeof *t->names);
    t->elems = xmalloc(n * sizeof *t->elems);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && strcmp(t->names[m - 1], tmp[i].name) == 0) {
            /* duplicate name: the later one wins */
            ty_free(t->elems[m - 1]);
            val_free(t->defs ? t->defs[m - 1] : val_invalid());
            m--;
        }
        t->names[m] = xstrdup(tmp[i].name);
        t->elems[m] = tmp[i].type;
        if (tmp[i].opt || val_is_valid(tmp[i].def)) {
            if (!t->opt)
                t->opt = xcalloc(n, 1);
            t->opt[m] = (unsigned char)tmp[i].opt;
        }
        if (val_is_valid(tmp[i].def)) {
            if (!t->defs)
                t->defs = xcalloc(n, sizeof *t->defs);
            t->defs[m] = tmp[i].def;
        } else if (t->defs) {
            t->defs[m] = val_invalid();
        }
        m++;
    }
    t->n = m;
    free(tmp);
    return t;
}

ty *ty_copy(const ty *t)
{
    ty *m = (ty *)t;
    if (!m || m->rc == TY_STATIC)
        return m;
    atomic_fetch_add_explicit(&m->rc, 1, memory_order_relaxed);
    return m;
}

void ty_free(ty *t)
{
    if (!t || t->rc == TY_STATIC)
        return;
    if (atomic_fetch_sub_explicit(&t->rc, 1, memory_order_acq_rel) != 1)
        return;
    if (t->elem)
        ty_free(t->elem);
    for (size_t i = 0; i < t->n; i++) {
        ty_free(t->elems[i]);
        if (t->names)
            free(t->names[i]);
        if (t->defs)
            val_free(t->defs[i]);
    }
    free(t->elems);
    free(t->names);
    free(t->opt);
    free(t->defs);
    free(t);
}

enum ty_kind ty_kind(const ty *t) { return (enum ty_kind)t->kind; }

const ty *ty_elem(const ty *t)
{
    if (t->kind == TY_LIST || t->kind == TY_SET || t->kind == TY_MAP)
        return t->elem;
    return NULL;
}

size_t ty_len(const ty *t)
{
    return (t->kind == TY_TUPLE || t->kind == TY_OBJECT) ? t->n : 0;
}

const ty *ty_index(const ty *t, size_t i)
{
    if ((t->kind != TY_TUPLE && t->kind != TY_OBJECT) || i >= t->n)
        return NULL;
    return t->elems[i];
}

const char *ty_attr_name(const ty *t, size_t i)
{
    if (t->kind != TY_OBJECT || i >= t->n)
        return NULL;
    return t->names[i];
}

int ty_attr_optional(const ty *t, size_t i)
{
    if (t->kind != TY_OBJECT || i >= t->n || !t->opt)
        return 0;
    return t->opt[i];
}

val ty_attr_default(const ty *t, size_t i)
{
    if (t->kind != TY_OBJECT || i >= t->n || !t->defs)
        return val_invalid();
    return val_copy(t->defs[i]);
}

long ty_attr_find(const ty *t, const char *name)
{
    if (t->kind != TY_OBJECT)
        return -1;
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->names[mid], name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int ty_has_optional(const ty *t)
{
    if (t->opt)
        for (size_t i = 0; i < t->n; i++)
            if (t->opt[i])
                return 1;
    return 0;
}

int ty_equal(const ty *a, const ty *b)
{
    if (a == b)
        return 1;
    if (!a || !b || a->kind != b->kind)
        return 0;
    switch ((enum ty_kind)a->kind) {
    case TY_ANY: case TY_BOOL: case TY_NUMBER: case TY_STRING:
        return 1;
    case TY_LIST: case TY_SET: case TY_MAP:
        return ty_equal(a->elem, b->elem);
    case TY_TUPLE:
    case TY_OBJECT:
        if (a->n != b->n)
            return 0;
        for (size_t i = 0; i < a->n; i++) {
            if (a->kind == TY_OBJECT &&
                (strcmp(a->names[i], b->names[i]) != 0 ||
                 ty_attr_optional(a, i) != ty_attr_optional(b, i)))
                return 0;
            if (!ty_equal(a->elems[i], b->elems[i]))
                return 0;
        }
        return 1;
    }
    return 0;
}

int ty_has_any(const ty *t)
{
    switch ((enum ty_kind)t->kind) {
    case TY_ANY:
        return 1;
    case TY_BOOL: case TY_NUMBER: case TY_STRING:
        return 0;
    case TY_LIST: case TY_SET: case TY_MAP:
        return ty_has_any(t->elem);
    case TY_TUPLE: case TY_OBJECT:
        for (size_t i = 0; i < t->n; i++)
            if (ty_has_any(t->elems[i]))
                return 1;
        return 0;
    }
    return 0;
}

static void ty_str_sb(strbuf *b, const ty *t)
{
    switch ((enum ty_kind)t->kind) {
    case TY_ANY: sb_puts(b, "any"); return;
    case TY_BOOL: sb_puts(b, "bool"); return;
    case TY_NUMBER: sb_puts(b, "number"); return;
    case TY_STRING: sb_puts(b, "string"); return;
    case TY_LIST: case TY_SET: case TY_MAP:
        sb_puts(b, t->kind == TY_LIST ? "list(" : t->kind == TY_SET ? "set(" : "map(");
        ty_str_sb(b, t->elem);
        sb_putc(b, ')');
        return;
    case TY_TUPLE:
        sb_puts(b, "tuple([");
        for (size_t i = 0; i < t->n; i++) {
            if (i)
                sb_puts(b, ", ");
            ty_str_sb(b, t->elems[i]);
        }
        sb_puts(b, "])");
        return;
    case TY_OBJECT:
        sb_puts(b, "object({");
        for (size_t i = 0; i < t->n; i++) {
            if (i)
                sb_puts(b, ", ");
            sb_puts(b, t->names[i]);
            sb_putc(b, '=');
            if (ty_attr_optional(t, i)) {
                sb_puts(b, "optional(");
                ty_str_sb(b, t->elems[i]);
                sb_putc(b, ')');
            } else {
                ty_str_sb(b, t->elems[i]);
            }
        }
        sb_puts(b, "})");
        return;
    }
}

char *ty_str(const ty *t)
{
    strbuf b = {0};
    ty_str_sb(&b, t);
    char *s = sb_take(&b);
    return s ? s : xstrdup("");
}
