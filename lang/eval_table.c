/*
 * lang/eval_table.c — a table scope for the evaluator: a flat list of
 * (kind, type, name) -> value, for `cairn console`, tests and tools.  Small
 * (a linear search); the engine resolves against its graph instead.
 */
#include "lang/eval.h"

#include <stdlib.h>
#include <string.h>

struct eval_table_entry {
    enum eval_ref_kind kind;
    char *type, *name;
    val v;
};

struct eval_table {
    struct eval_table_entry *e;
    size_t n, cap;
};

eval_table *eval_table_new(void)
{
    return xcalloc(1, sizeof(eval_table));
}

void eval_table_free(eval_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].type);
        free(t->e[i].name);
        val_free(t->e[i].v);
    }
    free(t->e);
    free(t);
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static struct eval_table_entry *find(const eval_table *t, enum eval_ref_kind kind,
                                     const char *type, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].kind == kind && str_eq(t->e[i].type, type) && str_eq(t->e[i].name, name))
            return &t->e[i];
    return NULL;
}

int eval_table_set(eval_table *t, enum eval_ref_kind kind, const char *type,
                   const char *name, val v)
{
    struct eval_table_entry *e = find(t, kind, type, name);
    if (e) {
        val_free(e->v);
        e->v = v;
        return 0;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->e = xrealloc(t->e, t->cap * sizeof *t->e);
    }
    e = &t->e[t->n++];
    e->kind = kind;
    e->type = type ? xstrdup(type) : NULL;
    e->name = name ? xstrdup(name) : NULL;
    e->v = v;
    return 0;
}

const val *eval_table_get(const eval_table *t, enum eval_ref_kind kind, const char *type,
                          const char *name)
{
    struct eval_table_entry *e = find(t, kind, type, name);
    return e ? &e->v : NULL;
}

int eval_table_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    (void)diags;
    const val *v = eval_table_get(payload, ref->kind, ref->type, ref->name);
    if (!v)
        return CAIRN_ENOTFOUND;
    *out = val_copy(*v);
    return 0;
}
