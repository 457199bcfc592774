/*
 * lang/eval_tmpl.c — templates ("...${x}...", %{if}, %{for}), for
 * expressions and splats: everything that iterates or concatenates.
 *
 * HCL desugars %{if c}a%{else}b%{endif} to a conditional over two templates
 * and %{for} to a string join over a tuple-form for expression; the same
 * rules (null and type errors, unknowns) apply here.
 */
#include "lang/eval_int.h"

#include <stdlib.h>
#include <string.h>

int eval_iterable(val v)
{
    switch (val_kind(v)) {
    case VAL_LIST: case VAL_SET: case VAL_TUPLE: case VAL_MAP: case VAL_OBJECT:
        return 1;
    default:
        return 0;
    }
}

void eval_iter_at(val coll, size_t i, val *key, val *value)
{
    *value = val_copy(*val_at(coll, i));
    switch (val_kind(coll)) {
    case VAL_MAP: case VAL_OBJECT:
        *key = val_string(val_key_at(coll, i));
        break;
    case VAL_SET:
        *key = val_copy(*value);
        break;
    default:
        *key = val_number((double)i);
    }
}

/* ---------------------------------------------------------------- templates */

/* State of one template being rendered. */
struct tpl {
    strbuf out;
    int known;      /* no unknown part so far */
    int failed;     /* an error was reported */
    unsigned marks;
};

static void tpl_part(eval_ctx *c, struct tpl *t, const ast *part);

/* Append one value (consumed) to the template output. */
static void tpl_value(eval_ctx *c, struct tpl *t, val v, srange r)
{
    if (!val_is_valid(v)) {
        t->failed = 1;
        return;
    }
    t->marks |= eval_sens(v);
    if (val_is_null(v)) {
        eval_fail(c, r, "Invalid template interpolation value",
                  "The expression result is null. Cannot include a null value in a string "
                  "template.");
        t->failed = 1;
    } else if (val_is_unknown(v)) {
        t->known = 0;
    } else {
        v = val_convert(v, ty_string());
        if (!val_is_valid(v)) {
            eval_fail(c, r, "Invalid template interpolation value",
                      "Cannot include the given value in a string template: %s.", err_msg());
            t->failed = 1;
            return;
        }
        if (t->known && !t->failed)
            sb_append(&t->out, val_get_string(v), val_string_len(v));
        if (t->out.len > EVAL_MAX_TEMPLATE_SIZE && !t->failed) {
            eval_fail(c, r, "Template result too long",
                      "The template produces more than %u bytes "
                      "(EVAL_MAX_TEMPLATE_SIZE).", EVAL_MAX_TEMPLATE_SIZE);
            t->failed = 1;
        }
    }
    val_free(v);
}

static void tpl_parts(eval_ctx *c, struct tpl *t, const ast *tmpl)
{
    if (!tmpl)
        return;
    if (tmpl->kind != AST_TEMPLATE) {
        tpl_part(c, t, tmpl);
        return;
    }
    for (size_t i = 0; i < tmpl->u.tmpl.nparts; i++)
        tpl_part(c, t, tmpl->u.tmpl.parts[i]);
}

static void tpl_if(eval_ctx *c, struct tpl *t, const ast *e)
{
    val cond = eval_expr(c, e->u.tpl_if.cond);
    if (!val_is_valid(cond)) {
        t->failed = 1;
        return;
    }
    t->marks |= eval_sens(cond);
    if (val_is_null(cond)) {
        eval_fail(c, e->u.tpl_if.cond->range, "Null condition",
                  "The condition value is null. Conditions must either be true or false.");
        t->failed = 1;
    } else if (val_is_unknown(cond)) {
        /* Both branches still get evaluated for their diagnostics. */
        struct tpl scratch = {.known = 1};
        tpl_parts(c, &scratch, e->u.tpl_if.then);
        tpl_parts(c, &scratch, e->u.tpl_if.else_);
        t->failed |= scratch.failed;
        sb_free(&scratch.out);
        t->known = 0;
    } else {
        cond = val_convert(cond, ty_bool());
        if (!val_is_valid(cond)) {
            eval_fail(c, e->u.tpl_if.cond->range, "Incorrect condition type",
                      "The condition expression must be of type bool.");
            t->failed = 1;
            return;
        }
        tpl_parts(c, t, val_get_bool(cond) ? e->u.tpl_if.then : e->u.tpl_if.else_);
    }
    val_free(cond);
}

static void tpl_for(eval_ctx *c, struct tpl *t, const ast *e)
{
    const ast *ce = e->u.tpl_for.coll;
    val coll = eval_expr(c, ce);
    if (!val_is_valid(coll)) {
        t->failed = 1;
        return;
    }
    t->marks |= eval_sens(coll);
    if (val_is_null(coll)) {
        eval_fail(c, ce->range, "Iteration over null value",
                  "A null value cannot be used as the collection in a 'for' expression.");
        t->failed = 1;
    } else if (val_is_unknown(coll)) {
        t->known = 0;
    } else if (!eval_iterable(coll)) {
        ty *ty_ = val_type(coll);
        char *ts = ty_str(ty_);
        eval_fail(c, ce->range, "Iteration over non-iterable value",
                  "A value of type %s cannot be used as the collection in a 'for' "
                  "expression.", ts);
        free(ts);
        ty_free(ty_);
        t->failed = 1;
    } else {
        for (size_t i = 0; i < val_len(coll) && !t->failed; i++) {
            val k, v;
            eval_iter_at(coll, i, &k, &v);
            struct eval_bind bk = {e->u.tpl_for.key_var.s, k, c->binds};
            struct eval_bind bv = {e->u.tpl_for.val_var.s, v, e->u.tpl_for.key_var.s ? &bk :
                                   c->binds};
            struct eval_bind *saved = c->binds;
            c->binds = &bv;
            tpl_parts(c, t, e->u.tpl_for.body);
            c->binds = saved;
            val_free(k);
            val_free(v);
        }
    }
    val_free(coll);
}

static void tpl_part(eval_ctx *c, struct tpl *t, const ast *part)
{
    switch (part->kind) {
    case AST_LITERAL:
        if (part->u.lit.kind == AST_LIT_STRING) {
            if (t->known && !t->failed)
                sb_append(&t->out, part->u.lit.text, part->u.lit.len);
            return;
        }
        tpl_value(c, t, eval_expr(c, part), part->range);
        return;
    case AST_TPL_IF:
        tpl_if(c, t, part);
        return;
    case AST_TPL_FOR:
        tpl_for(c, t, part);
        return;
    default:
        tpl_value(c, t, eval_expr(c, part), part->range);
    }
}

val eval_template(eval_ctx *c, const ast *e)
{
    if (e->kind == AST_TEMPLATE && e->u.tmpl.wrap && e->u.tmpl.nparts == 1)
        return eval_expr(c, e->u.tmpl.parts[0]);
    struct tpl t = {.known = 1};
    t.out.cap = EVAL_MAX_TEMPLATE_SIZE + 1;
    tpl_parts(c, &t, e);
    if (t.failed) {
        sb_free(&t.out);
        return val_invalid();
    }
    if (!t.known) {
        sb_free(&t.out);
        return eval_remark(val_unknown(ty_string()), t.marks);
    }
    if (t.out.failed) {
        sb_free(&t.out);
        return eval_fail(c, e->range, "Template result too long",
                         "The template produces more than %u bytes (EVAL_MAX_TEMPLATE_SIZE).",
                         EVAL_MAX_TEMPLATE_SIZE);
    }
    size_t n = t.out.len;
    char *s = sb_take(&t.out);
    if (!s)
        return eval_fail(c, e->range, "Out of memory", NULL);
    return eval_remark(val_string_own(s, n), t.marks);
}

/* ---------------------------------------------------------------- for */

/* Evaluate the if clause for the current element: 1 include, 0 skip,
 * -1 unknown, -2 error. */
static int for_cond(eval_ctx *c, const ast *cond, unsigned *marks)
{
    if (!cond)
        return 1;
    val v = eval_expr(c, cond);
    if (!val_is_valid(v))
        return -2;
    *marks |= eval_sens(v);
    int r;
    if (val_is_null(v)) {
        eval_fail(c, cond->range, "Invalid 'for' condition",
                  "The value of the 'if' clause must not be null.");
        r = -2;
    } else if (val_is_unknown(v)) {
        r = -1;
    } else {
        v = val_convert(v, ty_bool());
        if (!val_is_valid(v)) {
            eval_fail(c, cond->range, "Invalid 'for' condition",
                      "The 'if' clause value is invalid: %s.", err_msg());
            return -2;
        }
        r = val_get_bool(v);
    }
    val_free(v);
    return r;
}

/* HCL type-checks the if clause once with the iteration variables
 * unknown, before iterating (so `if 1` fails even over an empty
 * collection).  0 ok, -1 after a diagnostic. */
static int for_cond_precheck(eval_ctx *c, const ast *e)
{
    const ast *cond = e->u.for_.cond;
    struct eval_bind bk = {e->u.for_.key_var.s, eval_dynamic(), c->binds};
    struct eval_bind bv = {e->u.for_.val_var.s, eval_dynamic(),
                           e->u.for_.key_var.s ? &bk : c->binds};
    struct eval_bind *saved = c->binds;
    c->binds = &bv;
    val v = eval_expr(c, cond);
    c->binds = saved;
    int rc = 0;
    if (!val_is_valid(v)) {
        rc = -1;
    } else if (val_is_null(v)) {
        eval_fail(c, cond->range, "Condition is null",
                  "The value of the 'if' clause must not be null.");
        rc = -1;
    } else {
        v = val_convert(v, ty_bool());
        if (!val_is_valid(v)) {
            eval_fail(c, cond->range, "Invalid 'for' condition",
                      "The 'if' clause value is invalid: %s.", err_msg());
            rc = -1;
        }
    }
    val_free(v);
    return rc;
}

/* Add v (consumed) to group `key` of the grouped object result. */
static val group_add(val obj, const char *key, val v)
{
    const val *g = val_lookup(obj, key);
    val grp = g ? val_copy(*g) : val_tuple_empty();
    grp = val_tuple_append(grp, v);
    return val_object_set(obj, key, grp);
}

/* One element of the object form: returns 0, -1 unknown key, -2 error. */
static int for_object_item(eval_ctx *c, const ast *e, val *out, unsigned *marks)
{
    val k = eval_expr(c, e->u.for_.key);
    val v = eval_expr(c, e->u.for_.value);
    int r = 0;
    if (!val_is_valid(k) || !val_is_valid(v)) {
        r = -2;
    } else if (val_is_null(k)) {
        eval_fail(c, e->u.for_.key->range, "Invalid object key",
                  "Key expression in 'for' expression must not produce a null value.");
        r = -2;
    } else if (val_is_unknown(k)) {
        r = -1;
    } else {
        *marks |= eval_sens(k);
        k = val_convert(k, ty_string());
        if (!val_is_valid(k)) {
            eval_fail(c, e->u.for_.key->range, "Invalid object key",
                      "The key expression produced an invalid result: %s.", err_msg());
            r = -2;
        } else if (e->u.for_.group) {
            *out = group_add(*out, val_get_string(k), v);
            v = val_invalid();
        } else if (val_lookup(*out, val_get_string(k))) {
            eval_fail(c, e->u.for_.key->range, "Duplicate object key",
                      "Two different items produced the key \"%s\" in this 'for' "
                      "expression. If duplicates are expected, use the ellipsis (...) after "
                      "the value expression to enable grouping by key.", val_get_string(k));
            r = -2;
        } else {
            *out = val_object_set(*out, val_get_string(k), v);
            v = val_invalid();
        }
    }
    val_free(k);
    val_free(v);
    return r;
}

val eval_for(eval_ctx *c, const ast *e)
{
    const ast *ce = e->u.for_.coll;
    val coll = eval_expr(c, ce);
    if (!val_is_valid(coll))
        return coll;
    unsigned marks = eval_sens(coll);
    if (val_is_null(coll)) {
        val_free(coll);
        return eval_fail(c, ce->range, "Iteration over null value",
                         "A null value cannot be used as the collection in a 'for' "
                         "expression.");
    }
    ty *ct = val_type(coll);
    int dyn = ty_kind(ct) == TY_ANY;
    ty_free(ct);
    if (dyn) {
        val_free(coll);
        return eval_remark(eval_dynamic(), marks);
    }
    if (!eval_iterable(coll)) {
        ty *t = val_type(coll);
        char *ts = ty_str(t);
        eval_fail(c, ce->range, "Iteration over non-iterable value",
                  "A value of type %s cannot be used as the collection in a 'for' "
                  "expression.", ts);
        free(ts);
        ty_free(t);
        val_free(coll);
        return val_invalid();
    }
    if (val_is_unknown(coll)) {
        val_free(coll);
        return eval_remark(eval_dynamic(), marks);
    }
    if (e->u.for_.cond && for_cond_precheck(c, e) < 0) {
        val_free(coll);
        return val_invalid();
    }
    size_t n = val_len(coll);
    if (n > EVAL_MAX_FOR_RESULT) {
        val_free(coll);
        return eval_fail(c, ce->range, "Collection too large",
                         "A 'for' expression may produce at most %d elements "
                         "(EVAL_MAX_FOR_RESULT).", EVAL_MAX_FOR_RESULT);
    }
    val out = e->u.for_.object ? val_object_empty() : val_tuple_empty();
    int known = 1, failed = 0;
    struct eval_bind *saved = c->binds;
    for (size_t i = 0; i < n; i++) {
        val k, v;
        eval_iter_at(coll, i, &k, &v);
        struct eval_bind bk = {e->u.for_.key_var.s, k, saved};
        struct eval_bind bv = {e->u.for_.val_var.s, v, e->u.for_.key_var.s ? &bk : saved};
        c->binds = &bv;
        int inc = for_cond(c, e->u.for_.cond, &marks);
        if (inc == -2) {
            failed = 1;
        } else if (inc == -1) {
            known = 0;
        } else if (inc == 1 && e->u.for_.object) {
            int r = for_object_item(c, e, &out, &marks);
            if (r == -2)
                failed = 1;
            else if (r == -1)
                known = 0;
        } else if (inc == 1) {
            val item = eval_expr(c, e->u.for_.value);
            if (!val_is_valid(item))
                failed = 1;
            else
                out = val_tuple_append(out, item);
        }
        c->binds = saved;
        val_free(k);
        val_free(v);
    }
    val_free(coll);
    if (failed || !val_is_valid(out)) {
        val_free(out);
        return val_invalid();
    }
    if (!known) {
        val_free(out);
        return eval_remark(eval_dynamic(), marks);
    }
    return eval_remark(out, marks);
}

/* ---------------------------------------------------------------- splat */

/* Type a splat over elements of type et would produce per element: evaluate
 * `each` on an unknown of that type, quietly. */
static ty *splat_item_type(eval_ctx *c, const ast *each, const ty *et)
{
    diag_list quiet = {0}, *outer = c->diags;
    struct eval_bind b = {NULL, val_unknown(ty_copy(et)), c->binds};
    c->diags = &quiet;
    c->binds = &b;
    val v = eval_expr(c, each);
    c->binds = b.next;
    c->diags = outer;
    ty *t = val_is_valid(v) ? val_type(v) : ty_any();
    val_free(v);
    val_free(b.v);
    diag_list_free(&quiet);
    return t;
}

val eval_splat(eval_ctx *c, const ast *e)
{
    val src = eval_expr(c, e->u.splat.source);
    if (!val_is_valid(src))
        return src;
    ty *st = val_type(src);
    enum ty_kind sk = ty_kind(st);
    int upgrade = !(sk == TY_LIST || sk == TY_SET || sk == TY_TUPLE);
    if (val_is_null(src)) {
        ty_free(st);
        val_free(src);
        if (upgrade)
            return val_tuple_empty();
        return eval_fail(c, e->u.splat.source->range, "Splat of null value",
                         "Splat expressions (with the * symbol) cannot be applied to null "
                         "sequences.");
    }
    if (val_is_unknown(src)) {
        val out;
        if (sk == TY_LIST || sk == TY_SET) {
            out = val_unknown(ty_list(splat_item_type(c, e->u.splat.each, ty_elem(st))));
        } else if (sk == TY_TUPLE) {
            size_t n = ty_len(st);
            ty **tys = xcalloc(n ? n : 1, sizeof *tys);
            for (size_t i = 0; i < n; i++)
                tys[i] = splat_item_type(c, e->u.splat.each, ty_index(st, i));
            out = val_unknown(ty_tuple(tys, n));
            free(tys);
        } else
            out = eval_dynamic();
        unsigned m = eval_sens(src);
        ty_free(st);
        val_free(src);
        return eval_remark(out, m);
    }
    unsigned m = eval_sens(src);
    if (upgrade)
        src = val_tuple_append(val_tuple_empty(), val_unmark(src, VAL_MARK_SENSITIVE));
    else
        src = val_unmark(src, VAL_MARK_SENSITIVE);
    size_t n = val_len(src);
    int ok = 1;
    val *items = n ? xcalloc(n, sizeof *items) : NULL;
    for (size_t i = 0; i < n; i++) {
        struct eval_bind b = {NULL, *val_at(src, i), c->binds};
        c->binds = &b;
        items[i] = eval_expr(c, e->u.splat.each);
        c->binds = b.next;
        if (!val_is_valid(items[i]))
            ok = 0;
    }
    val out = val_invalid();
    if (ok && (sk == TY_LIST || sk == TY_SET)) {
        ty *et = n ? NULL : splat_item_type(c, e->u.splat.each, ty_elem(st));
        if (n) {
            ty **tys = xcalloc(n, sizeof *tys);
            for (size_t i = 0; i < n; i++)
                tys[i] = val_type(items[i]);
            et = ty_unify((const ty *const *)tys, n);
            for (size_t i = 0; i < n; i++)
                ty_free(tys[i]);
            free(tys);
        }
        out = et ? val_list_empty(et) : eval_fail(c, e->range, "Inconsistent splat result",
                                                   "The splat results have no common type.");
        ty *lt = val_is_valid(out) ? val_type(out) : NULL;
        for (size_t i = 0; i < n && val_is_valid(out); i++) {
            val item = val_convert(items[i], ty_elem(lt));
            items[i] = val_invalid();
            if (!val_is_valid(item)) {
                val_free(out);
                out = eval_fail(c, e->range, "Inconsistent splat result", "%s", err_msg());
                break;
            }
            out = val_list_append(out, item);
        }
        if (lt)
            ty_free(lt);
    } else if (ok) {
        out = val_tuple_empty();
        for (size_t i = 0; i < n; i++) {
            out = val_tuple_append(out, items[i]);
            items[i] = val_invalid();
        }
    }
    for (size_t i = 0; i < n; i++)
        val_free(items[i]);
    free(items);
    ty_free(st);
    val_free(src);
    return eval_remark(out, m);
}
