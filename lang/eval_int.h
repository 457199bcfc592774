/*
 * lang/eval_int.h — private helpers shared by the evaluator's files
 * (eval.c: core, references, operators, access, calls; eval_tmpl.c:
 * templates, for expressions, splats).  Not part of any contract.
 */
#ifndef CAIRN_EVAL_INT_H
#define CAIRN_EVAL_INT_H

#include "lang/eval.h"

/* A name bound by a for expression, %{for} or templatefile (name set), or
 * the element of the innermost splat (name NULL).  Lives on the C stack of
 * the binding evaluator; v is borrowed. */
struct eval_bind {
    const char *name;
    val v;
    struct eval_bind *next;
};

/* Append an error diagnostic at r and return VAL_INVALID. */
val eval_fail(eval_ctx *c, srange r, const char *summary, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sensitive bit of v (top level), for propagation. */
static inline unsigned eval_sens(val v) { return val_marks(v) & VAL_MARK_SENSITIVE; }

/* Add marks m (only VAL_MARK_SENSITIVE is meaningful) to v (consumed). */
val eval_remark(val v, unsigned m);

/* An unknown value of any type (cty.DynamicVal). */
static inline val eval_dynamic(void) { return val_unknown(ty_any()); }

/* Whether v is a null of type any (a literal null). */
int eval_is_dynamic_null(val v);

/* Convert v (consumed) to a bool / string for a condition or template;
 * NULL-safe wrappers around val_convert. */
val eval_convert(val v, ty *target_borrowed);

val eval_template(eval_ctx *c, const ast *e);
val eval_for(eval_ctx *c, const ast *e);
val eval_splat(eval_ctx *c, const ast *e);

/* Iterate a known, non-null collection: element i's key (number index for
 * list/tuple, string key for map/object, the element itself for a set) and
 * value; both owned. */
void eval_iter_at(val coll, size_t i, val *key, val *value);
/* Whether the kind can be iterated by for expressions. */
int eval_iterable(val v);

#endif
