/*
 * lang/eval.c — the evaluator's core: dispatch, references, operators,
 * attribute and index access, conditionals, function calls and the can()
 * and try() special forms.  Templates, for expressions and splats are in
 * eval_tmpl.c.  Semantics follow hclsyntax + cty as Terraform uses them;
 * see lang/eval.h for the contract.
 *
 * Ownership inside: every eval_* returns an owned value or VAL_INVALID
 * (after a diagnostic); helpers that take a `val` consume it.
 */
#include "lang/eval_int.h"
#include "lang/parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

val eval_fail(eval_ctx *c, srange r, const char *summary, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(c->diags, DIAG_ERROR, r, summary, fmt, ap);
    va_end(ap);
    return val_invalid();
}

val eval_remark(val v, unsigned m)
{
    m &= VAL_MARK_SENSITIVE;
    if (!m || !val_is_valid(v))
        return v;
    return val_mark(v, m);
}

int eval_is_dynamic_null(val v)
{
    if (!val_is_null(v))
        return 0;
    ty *t = val_type(v);
    int any = ty_kind(t) == TY_ANY;
    ty_free(t);
    return any;
}

val eval_convert(val v, ty *target)
{
    if (!val_is_valid(v))
        return v;
    return val_convert(v, target);
}

void eval_ctx_init(eval_ctx *ctx, diag_list *diags)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->diags = diags;
}

static const struct eval_bind *bind_find(const eval_ctx *c, const char *name)
{
    for (const struct eval_bind *b = c->binds; b; b = b->next)
        if (b->name && strcmp(b->name, name) == 0)
            return b;
    return NULL;
}

/* ---------------------------------------------------------------- references */

static const struct {
    const char *root;
    enum eval_ref_kind kind;
} ref_roots[] = {
    {"var", EVAL_REF_VAR},         {"local", EVAL_REF_LOCAL},
    {"module", EVAL_REF_MODULE},   {"count", EVAL_REF_COUNT},
    {"each", EVAL_REF_EACH},       {"path", EVAL_REF_PATH},
    {"terraform", EVAL_REF_TERRAFORM},
};

/* Kind for a root name that takes one attribute; -1 for "data", resource
 * kind for any other name. */
static int root_kind(const char *root)
{
    for (size_t i = 0; i < sizeof ref_roots / sizeof ref_roots[0]; i++)
        if (strcmp(root, ref_roots[i].root) == 0)
            return (int)ref_roots[i].kind;
    if (strcmp(root, "data") == 0)
        return -1;
    return EVAL_REF_RESOURCE;
}

/* If e is exactly a complete reference (var.x, data.t.n, self, ...) that no
 * bound name shadows, describe it in *ref and return 1. */
static int ref_of(const eval_ctx *c, const ast *e, eval_ref *ref)
{
    memset(ref, 0, sizeof *ref);
    ref->range = e->range;
    if (c->tmpl_scope)
        return 0;   /* a template file sees only its own variables */
    if (e->kind == AST_VARIABLE) {
        if (strcmp(e->u.var.s, "self") == 0 && !bind_find(c, "self")) {
            ref->kind = EVAL_REF_SELF;
            return 1;
        }
        return 0;
    }
    if (e->kind != AST_GETATTR)
        return 0;
    const ast *o = e->u.getattr.obj;
    if (o->kind == AST_VARIABLE) {
        const char *root = o->u.var.s;
        int k = root_kind(root);
        if (bind_find(c, root) || k < 0 || strcmp(root, "self") == 0)
            return 0;
        ref->kind = (enum eval_ref_kind)k;
        ref->type = k == EVAL_REF_RESOURCE ? root : NULL;
        ref->name = e->u.getattr.name.s;
        return 1;
    }
    if (o->kind == AST_GETATTR && o->u.getattr.obj->kind == AST_VARIABLE &&
        strcmp(o->u.getattr.obj->u.var.s, "data") == 0 && !bind_find(c, "data")) {
        ref->kind = EVAL_REF_DATA;
        ref->type = o->u.getattr.name.s;
        ref->name = e->u.getattr.name.s;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- eval_refs */

struct refwalk {
    eval_ref_cb cb;
    void *payload;
    const char *local[64];   /* names bound by enclosing for expressions */
    size_t nlocal;
};

static int walk_bound(const struct refwalk *w, const char *name)
{
    for (size_t i = 0; i < w->nlocal; i++)
        if (strcmp(w->local[i], name) == 0)
            return 1;
    return 0;
}

static void walk(struct refwalk *w, const ast *e);

static void walk_all(struct refwalk *w, ast **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        walk(w, items[i]);
}

/* Walk a for body with its iteration names bound. */
static void walk_scoped(struct refwalk *w, const char *k, const char *v, const ast *const *parts,
                        size_t n)
{
    size_t saved = w->nlocal;
    if (k && w->nlocal < 64)
        w->local[w->nlocal++] = k;
    if (v && w->nlocal < 64)
        w->local[w->nlocal++] = v;
    for (size_t i = 0; i < n; i++)
        walk(w, parts[i]);
    w->nlocal = saved;
}

static void walk(struct refwalk *w, const ast *e)
{
    if (!e)
        return;
    eval_ctx none;
    memset(&none, 0, sizeof none);
    eval_ref r;
    if ((e->kind == AST_GETATTR || e->kind == AST_VARIABLE) && ref_of(&none, e, &r)) {
        const ast *root = e;
        while (root->kind == AST_GETATTR)
            root = root->u.getattr.obj;
        if (!walk_bound(w, root->u.var.s))
            w->cb(&r, w->payload);
        return;
    }
    switch (e->kind) {
    case AST_TEMPLATE: walk_all(w, e->u.tmpl.parts, e->u.tmpl.nparts); break;
    case AST_TUPLE: walk_all(w, e->u.tuple.items, e->u.tuple.n); break;
    case AST_OBJECT:
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (!e->u.object.items[i].key_bare)
                walk(w, e->u.object.items[i].key);
            walk(w, e->u.object.items[i].value);
        }
        break;
    case AST_GETATTR: walk(w, e->u.getattr.obj); break;
    case AST_INDEX: walk(w, e->u.index.obj); walk(w, e->u.index.key); break;
    case AST_SPLAT: walk(w, e->u.splat.source); walk(w, e->u.splat.each); break;
    case AST_CALL: walk_all(w, e->u.call.args, e->u.call.nargs); break;
    case AST_UNARY: walk(w, e->u.unary.operand); break;
    case AST_BINARY: walk(w, e->u.binary.lhs); walk(w, e->u.binary.rhs); break;
    case AST_COND:
        walk(w, e->u.cond.cond);
        walk(w, e->u.cond.then);
        walk(w, e->u.cond.else_);
        break;
    case AST_PAREN: walk(w, e->u.paren.inner); break;
    case AST_FOR: {
        walk(w, e->u.for_.coll);
        const ast *parts[3] = {e->u.for_.key, e->u.for_.value, e->u.for_.cond};
        walk_scoped(w, e->u.for_.key_var.s, e->u.for_.val_var.s, parts, 3);
        break;
    }
    case AST_TPL_IF:
        walk(w, e->u.tpl_if.cond);
        walk(w, e->u.tpl_if.then);
        walk(w, e->u.tpl_if.else_);
        break;
    case AST_TPL_FOR: {
        walk(w, e->u.tpl_for.coll);
        const ast *parts[1] = {e->u.tpl_for.body};
        walk_scoped(w, e->u.tpl_for.key_var.s, e->u.tpl_for.val_var.s, parts, 1);
        break;
    }
    default:
        break;
    }
}

void eval_refs(const ast *e, eval_ref_cb cb, void *payload)
{
    struct refwalk w;
    memset(&w, 0, sizeof w);
    w.cb = cb;
    w.payload = payload;
    walk(&w, e);
}

static val ref_undeclared(eval_ctx *c, const eval_ref *r)
{
    switch (r->kind) {
    case EVAL_REF_VAR:
        return eval_fail(c, r->range, "Reference to undeclared input variable",
                         "An input variable with the name \"%s\" has not been declared. "
                         "This variable can be declared with a variable \"%s\" {} block.",
                         r->name, r->name);
    case EVAL_REF_LOCAL:
        return eval_fail(c, r->range, "Reference to undeclared local value",
                         "A local value with the name \"%s\" has not been declared.", r->name);
    case EVAL_REF_RESOURCE:
        return eval_fail(c, r->range, "Reference to undeclared resource",
                         "A managed resource \"%s\" \"%s\" has not been declared in the "
                         "root module.", r->type, r->name);
    case EVAL_REF_DATA:
        return eval_fail(c, r->range, "Reference to undeclared resource",
                         "A data resource \"%s\" \"%s\" has not been declared in the root "
                         "module.", r->type, r->name);
    case EVAL_REF_MODULE:
        return eval_fail(c, r->range, "Reference to undeclared module",
                         "No module call named \"%s\" is declared in the root module.",
                         r->name);
    case EVAL_REF_COUNT:
        return eval_fail(c, r->range, "Reference to \"count\" in non-counted context",
                         "The \"count\" object can only be used in \"module\", \"resource\", "
                         "and \"data\" blocks, and only when the \"count\" argument is set.");
    case EVAL_REF_EACH:
        return eval_fail(c, r->range, "Reference to \"each\" in context without for_each",
                         "The \"each\" object can be used only in \"module\" or \"resource\" "
                         "blocks, and only when the \"for_each\" argument is set.");
    case EVAL_REF_SELF:
        return eval_fail(c, r->range, "Invalid \"self\" reference",
                         "The \"self\" object is not available in this context. This object "
                         "can be used only in resource provisioner and connection blocks.");
    case EVAL_REF_PATH:
        return eval_fail(c, r->range, "Invalid \"path\" attribute",
                         "The \"path\" object does not have an attribute named \"%s\". The "
                         "supported attributes are path.cwd, path.module, and path.root.",
                         r->name);
    case EVAL_REF_TERRAFORM:
        return eval_fail(c, r->range, "Invalid \"terraform\" attribute",
                         "The \"terraform\" object does not have an attribute named \"%s\". "
                         "The only supported attribute is terraform.workspace.", r->name);
    }
    return eval_fail(c, r->range, "Invalid reference", NULL);
}

static val eval_ref_value(eval_ctx *c, const eval_ref *r)
{
    if (!c->resolve)
        return ref_undeclared(c, r);
    val out = val_invalid();
    int rc = c->resolve(r, &out, c->diags, c->payload);
    if (rc == 0 && val_is_valid(out))
        return out;
    val_free(out);
    if (rc == CAIRN_ENOTFOUND || rc == 0)
        return ref_undeclared(c, r);
    if (!diag_has_errors(c->diags))
        return eval_fail(c, r->range, "Invalid reference", "%s", err_msg());
    return val_invalid();
}

static val eval_variable(eval_ctx *c, const ast *e)
{
    const char *name = e->u.var.s;
    const struct eval_bind *b = bind_find(c, name);
    if (b)
        return val_copy(b->v);
    eval_ref r;
    if (ref_of(c, e, &r))
        return eval_ref_value(c, &r);
    if (c->tmpl_scope)
        return eval_fail(c, e->range, "Unknown variable",
                         "There is no variable named \"%s\".", name);
    if (root_kind(name) != EVAL_REF_RESOURCE)
        return eval_fail(c, e->range, "Invalid reference",
                         "The \"%s\" object cannot be accessed directly. Instead, access one "
                         "of its attributes.", name);
    return eval_fail(c, e->range, "Invalid reference",
                     "A reference to a resource type must be followed by at least one "
                     "attribute access, specifying the resource name.");
}

/* ---------------------------------------------------------------- access */

/* obj.name (obj consumed), with HCL's checks and wording. */
static val get_attr(eval_ctx *c, val obj, const char *name, srange r)
{
    unsigned m = eval_sens(obj);
    ty *t = val_type(obj);
    enum ty_kind k = ty_kind(t);
    val out = val_invalid();
    if (val_is_null(obj)) {
        eval_fail(c, r, "Attempt to get attribute from null value",
                  "This value is null, so it does not have any attributes.");
    } else if (k == TY_OBJECT) {
        long i = ty_attr_find(t, name);
        if (i < 0)
            eval_fail(c, r, "Unsupported attribute",
                      "This object does not have an attribute named \"%s\".", name);
        else if (val_is_unknown(obj))
            out = val_unknown(ty_copy(ty_index(t, (size_t)i)));
        else
            out = val_copy(*val_lookup(obj, name));
    } else if (k == TY_MAP) {
        const val *p = val_is_unknown(obj) ? NULL : val_lookup(obj, name);
        if (val_is_unknown(obj))
            out = val_unknown(ty_copy(ty_elem(t)));
        else if (!p)
            eval_fail(c, r, "Missing map element",
                      "This map does not have an element with the key \"%s\".", name);
        else
            out = val_copy(*p);
    } else if (k == TY_ANY) {
        out = eval_dynamic();
    } else if ((k == TY_LIST || k == TY_SET) && ty_kind(ty_elem(t)) == TY_OBJECT) {
        eval_fail(c, r, "Unsupported attribute",
                  "Can't access attributes on a %s of objects. Did you mean to access "
                  "attribute \"%s\" for a specific element of the %s, or across all "
                  "elements of the %s?", k == TY_LIST ? "list" : "set", name,
                  k == TY_LIST ? "list" : "set", k == TY_LIST ? "list" : "set");
    } else {
        char *ts = ty_str(t);
        eval_fail(c, r, "Unsupported attribute",
                  "Can't access attributes on a primitive-typed value (%s).", ts);
        free(ts);
    }
    ty_free(t);
    val_free(obj);
    return eval_remark(out, m);
}

/* Integer index of a number key, or -1 if it is not a whole number. */
static long whole_index(double d)
{
    if (d != floor(d) || d > 1e15 || d < -1e15)
        return -1000000000000000000L;
    return (long)d;
}

/* coll[key] (both consumed), hcl.Index. */
static val get_index(eval_ctx *c, val coll, val key, srange r)
{
    unsigned m = eval_sens(coll) | eval_sens(key);
    ty *t = val_type(coll), *kt = val_type(key);
    enum ty_kind k = ty_kind(t);
    val out = val_invalid();
    if (val_is_null(coll)) {
        eval_fail(c, r, "Attempt to index null value",
                  "This value is null, so it does not have any indices.");
    } else if (val_is_null(key)) {
        eval_fail(c, r, "Invalid index", "Can't use a null value as an indexing key.");
    } else if (k == TY_ANY || ty_kind(kt) == TY_ANY) {
        out = eval_dynamic();
    } else if (k == TY_LIST || k == TY_TUPLE || k == TY_MAP || k == TY_OBJECT) {
        int seq = k == TY_LIST || k == TY_TUPLE;
        key = val_convert(key, seq ? ty_number() : ty_string());
        if (!val_is_valid(key)) {
            eval_fail(c, r, "Invalid index",
                      "The given key does not identify an element in this collection "
                      "value: %s.", err_msg());
        } else if (val_is_unknown(key) || val_is_unknown(coll)) {
            if (k == TY_LIST || k == TY_MAP)
                out = val_unknown(ty_copy(ty_elem(t)));
            else if (k == TY_OBJECT && !val_is_unknown(key) &&
                     ty_attr_find(t, val_get_string(key)) >= 0)
                out = val_unknown(ty_copy(ty_index(t, (size_t)ty_attr_find(
                    t, val_get_string(key)))));
            else if (k == TY_TUPLE && !val_is_unknown(key) &&
                     whole_index(val_get_number(key)) >= 0 &&
                     (size_t)whole_index(val_get_number(key)) < ty_len(t))
                out = val_unknown(ty_copy(ty_index(t, (size_t)whole_index(
                    val_get_number(key)))));
            else
                out = eval_dynamic();
        } else if (seq) {
            long i = whole_index(val_get_number(key));
            if (i < 0 && i > -1000000000000000000L)
                eval_fail(c, r, "Invalid index",
                          "The given key does not identify an element in this collection "
                          "value: a negative number is not a valid index for a sequence.");
            else if (i < 0 || (size_t)i >= val_len(coll))
                eval_fail(c, r, "Invalid index",
                          "The given key does not identify an element in this collection "
                          "value: the given index is greater than or equal to the length "
                          "of the collection.");
            else
                out = val_copy(*val_at(coll, (size_t)i));
        } else {
            const val *p = val_lookup(coll, val_get_string(key));
            if (!p)
                eval_fail(c, r, "Invalid index",
                          "The given key does not identify an element in this collection "
                          "value.");
            else
                out = val_copy(*p);
        }
    } else if (k == TY_SET) {
        eval_fail(c, r, "Invalid index",
                  "Elements of a set are identified only by their value and don't have any "
                  "separate index or key to select with, so it's only possible to perform "
                  "operations across all elements of the set.");
    } else {
        eval_fail(c, r, "Invalid index", "This value does not have any indices.");
    }
    ty_free(t);
    ty_free(kt);
    val_free(coll);
    val_free(key);
    return eval_remark(out, m);
}

static val eval_getattr(eval_ctx *c, const ast *e)
{
    eval_ref r;
    if (ref_of(c, e, &r))
        return eval_ref_value(c, &r);
    val obj = eval_expr(c, e->u.getattr.obj);
    if (!val_is_valid(obj))
        return obj;
    srange at = e->range;
    at.start = e->u.getattr.obj->range.end;
    return get_attr(c, obj, e->u.getattr.name.s, at);
}

static val eval_index(eval_ctx *c, const ast *e)
{
    val coll = eval_expr(c, e->u.index.obj);
    val key = eval_expr(c, e->u.index.key);
    if (!val_is_valid(coll) || !val_is_valid(key)) {
        val_free(coll);
        val_free(key);
        return val_invalid();
    }
    return get_index(c, coll, key, e->u.index.brackets);
}

/* ---------------------------------------------------------------- operators */

/* Convert an operand to number/bool; "Invalid operand" on failure. */
static val operand(eval_ctx *c, val v, ty *want, const char *side, srange r)
{
    val out = val_convert(v, want);
    if (!val_is_valid(out))
        return eval_fail(c, r, "Invalid operand", "Unsuitable value for %s operand: %s.",
                         side, err_msg());
    return out;
}

/* Whether types a and b could still become the same once their `any`
 * parts are known (cty's TestConformance in both directions). */
static int ty_could_match(const ty *a, const ty *b)
{
    if (ty_kind(a) == TY_ANY || ty_kind(b) == TY_ANY)
        return 1;
    if (ty_kind(a) != ty_kind(b))
        return 0;
    switch (ty_kind(a)) {
    case TY_LIST: case TY_SET: case TY_MAP:
        return ty_could_match(ty_elem(a), ty_elem(b));
    case TY_TUPLE:
    case TY_OBJECT:
        if (ty_len(a) != ty_len(b))
            return 0;
        for (size_t i = 0; i < ty_len(a); i++) {
            if (ty_kind(a) == TY_OBJECT &&
                strcmp(ty_attr_name(a, i), ty_attr_name(b, i)) != 0)
                return 0;
            if (!ty_could_match(ty_index(a, i), ty_index(b, i)))
                return 0;
        }
        return 1;
    default:
        return 1;
    }
}

/* cty's Value.Equals: 1 equal, 0 not, -1 unknown.  Marks ignored. */
static int equal3(val a, val b)
{
    int ua = val_is_unknown(a), ub = val_is_unknown(b);
    ty *ta = val_type(a), *tb = val_type(b);
    int res;
    if (ua || ub) {
        val known = ua ? b : a;
        const ty *ut = ua ? ta : tb;
        if (ua && ub)
            res = -1;
        else if (val_is_null(known) || ty_has_any(ut))
            res = -1;
        else
            res = ty_equal(ta, tb) ? -1 : 0;
        goto done;
    }
    if (val_is_null(a) || val_is_null(b)) {
        res = val_is_null(a) && val_is_null(b);
        goto done;
    }
    if (ty_has_any(ta) || ty_has_any(tb)) {
        res = ty_could_match(ta, tb) ? -1 : 0;
        goto done;
    }
    if (!ty_equal(ta, tb)) {
        res = 0;
        goto done;
    }
    switch (val_kind(a)) {
    case VAL_BOOL:
        res = !val_get_bool(a) == !val_get_bool(b);
        break;
    case VAL_NUMBER:
        res = val_get_number(a) == val_get_number(b);
        break;
    case VAL_STRING:
        res = val_string_len(a) == val_string_len(b) &&
              memcmp(val_get_string(a), val_get_string(b), val_string_len(a)) == 0;
        break;
    case VAL_SET:
        if (!val_is_wholly_known(a) || !val_is_wholly_known(b))
            res = -1;
        else {
            /* val_raw_equal borrows its arguments. */
            val ua_ = val_unmark_deep(val_copy(a)), ub_ = val_unmark_deep(val_copy(b));
            res = val_raw_equal(ua_, ub_);
            val_free(ua_);
            val_free(ub_);
        }
        break;
    case VAL_MAP:
    case VAL_OBJECT:
    case VAL_LIST:
    case VAL_TUPLE: {
        size_t n = val_len(a);
        res = 1;
        if (n != val_len(b)) {
            res = 0;
            break;
        }
        int keyed = val_kind(a) == VAL_MAP || val_kind(a) == VAL_OBJECT;
        for (size_t i = 0; i < n && res == 1; i++) {
            if (keyed && strcmp(val_key_at(a, i), val_key_at(b, i)) != 0) {
                res = 0;
                break;
            }
            res = equal3(*val_at(a, i), *val_at(b, i));
        }
        break;
    }
    default:
        res = 1;
    }
done:
    ty_free(ta);
    ty_free(tb);
    return res;
}

static val eval_equality(val l, val r, int negate)
{
    unsigned m = (val_contains_sensitive(l) || val_contains_sensitive(r)) ?
                 VAL_MARK_SENSITIVE : 0;
    int eq = equal3(l, r);
    val_free(l);
    val_free(r);
    if (eq < 0)
        return eval_remark(val_unknown(ty_bool()), m);
    return eval_remark(val_bool(negate ? !eq : eq), m);
}

static val arith(eval_ctx *c, const ast *e, double a, double b)
{
    double x = 0;
    switch (e->u.binary.op) {
    case AST_OP_ADD: x = a + b; break;
    case AST_OP_SUB: x = a - b; break;
    case AST_OP_MUL: x = a * b; break;
    case AST_OP_DIV:
        if (a == 0 && b == 0)
            return eval_fail(c, e->range, "Operation failed",
                             "Error during operation: can't divide zero by zero.");
        x = a / b;
        break;
    case AST_OP_MOD:
        /* cty: x % 0 is x; otherwise the sign follows the dividend. */
        x = b == 0 ? a : fmod(a, b);
        break;
    case AST_OP_LT: return val_bool(a < b);
    case AST_OP_GT: return val_bool(a > b);
    case AST_OP_LE: return val_bool(a <= b);
    case AST_OP_GE: return val_bool(a >= b);
    default: break;
    }
    if (isnan(x))
        return eval_fail(c, e->range, "Operation failed",
                         "Error during operation: the result is not a number.");
    return val_number(x);
}

static val eval_binary(eval_ctx *c, const ast *e)
{
    enum ast_op op = e->u.binary.op;
    val l = eval_expr(c, e->u.binary.lhs);
    val r = eval_expr(c, e->u.binary.rhs);
    if (!val_is_valid(l) || !val_is_valid(r)) {
        val_free(l);
        val_free(r);
        return val_invalid();
    }
    if (op == AST_OP_EQ || op == AST_OP_NE)
        return eval_equality(l, r, op == AST_OP_NE);
    int logic = op == AST_OP_AND || op == AST_OP_OR;
    ty *want = logic ? ty_bool() : ty_number();
    l = operand(c, l, want, "left", e->u.binary.lhs->range);
    r = operand(c, r, want, "right", e->u.binary.rhs->range);
    if (!val_is_valid(l) || !val_is_valid(r)) {
        val_free(l);
        val_free(r);
        return val_invalid();
    }
    unsigned m = eval_sens(l) | eval_sens(r);
    int cmp = op == AST_OP_LT || op == AST_OP_GT || op == AST_OP_LE || op == AST_OP_GE;
    val out;
    if (val_is_null(l) || val_is_null(r))
        out = eval_fail(c, e->range, "Operation failed",
                        "Error during operation: argument must not be null.");
    else if (val_is_unknown(l) || val_is_unknown(r))
        out = val_unknown(logic || cmp ? ty_bool() : ty_number());
    else if (op == AST_OP_AND)
        out = val_bool(val_get_bool(l) && val_get_bool(r));
    else if (op == AST_OP_OR)
        out = val_bool(val_get_bool(l) || val_get_bool(r));
    else
        out = arith(c, e, val_get_number(l), val_get_number(r));
    val_free(l);
    val_free(r);
    return eval_remark(out, m);
}

static val eval_unary(eval_ctx *c, const ast *e)
{
    int not = e->u.unary.op == AST_OP_NOT;
    val v = eval_expr(c, e->u.unary.operand);
    if (!val_is_valid(v))
        return v;
    v = operand(c, v, not ? ty_bool() : ty_number(), "unary", e->u.unary.operand->range);
    if (!val_is_valid(v))
        return v;
    unsigned m = eval_sens(v);
    val out;
    if (val_is_null(v))
        out = eval_fail(c, e->range, "Operation failed",
                        "Error during operation: argument must not be null.");
    else if (val_is_unknown(v))
        out = val_unknown(not ? ty_bool() : ty_number());
    else if (not)
        out = val_bool(!val_get_bool(v));
    else
        out = val_number(-val_get_number(v));
    val_free(v);
    return eval_remark(out, m);
}

/* ---------------------------------------------------------------- conditional */

static val eval_cond(eval_ctx *c, const ast *e)
{
    diag_list *outer = c->diags;
    diag_list dt = {0}, df = {0};
    c->diags = &dt;
    val t = eval_expr(c, e->u.cond.then);
    c->diags = &df;
    val f = eval_expr(c, e->u.cond.else_);
    c->diags = outer;
    val cond = eval_expr(c, e->u.cond.cond);
    val out = val_invalid();
    ty *rt = NULL;
    if (!val_is_valid(cond))
        goto fail;
    if (val_is_null(cond)) {
        eval_fail(c, e->u.cond.cond->range, "Null condition",
                  "The condition value is null. Conditions must either be true or false.");
        goto fail;
    }
    /* Result type: a literal null takes the other side's type. */
    ty *tt = val_is_valid(t) ? val_type(t) : ty_any();
    ty *ft = val_is_valid(f) ? val_type(f) : ty_any();
    if (val_is_valid(t) && eval_is_dynamic_null(t)) {
        rt = ty_copy(ft);
    } else if (val_is_valid(f) && eval_is_dynamic_null(f)) {
        rt = ty_copy(tt);
    } else {
        const ty *both[2] = {tt, ft};
        rt = ty_unify(both, 2);
    }
    if (!rt) {
        char *a = ty_str(tt), *b = ty_str(ft);
        eval_fail(c, e->range, "Inconsistent conditional result types",
                  "The true and false result expressions must have consistent types. The "
                  "'true' value is %s, but the 'false' value is %s.", a, b);
        free(a);
        free(b);
    }
    ty_free(tt);
    ty_free(ft);
    if (!rt)
        goto fail;
    unsigned m = eval_sens(cond);
    if (val_is_unknown(cond)) {
        out = eval_remark(val_unknown(ty_copy(rt)), m);
        goto done;
    }
    cond = val_convert(cond, ty_bool());
    if (!val_is_valid(cond)) {
        eval_fail(c, e->u.cond.cond->range, "Incorrect condition type",
                  "The condition expression must be of type bool.");
        goto fail;
    }
    int which = val_get_bool(cond);
    diag_move(c->diags, which ? &dt : &df);
    val pick = which ? t : f;
    if (which)
        t = val_invalid();
    else
        f = val_invalid();
    if (!val_is_valid(pick))
        goto done;
    out = val_convert(pick, rt);
    if (!val_is_valid(out))
        eval_fail(c, which ? e->u.cond.then->range : e->u.cond.else_->range,
                  "Inconsistent conditional result types",
                  "The %s result value cannot be converted to the result type: %s.",
                  which ? "true" : "false", err_msg());
    out = eval_remark(out, m);
    goto done;
fail:
    out = val_invalid();
done:
    ty_free(rt);
    val_free(cond);
    val_free(t);
    val_free(f);
    diag_list_free(&dt);
    diag_list_free(&df);
    return out;
}

/* ---------------------------------------------------------------- constructors */

static val eval_tuple(eval_ctx *c, const ast *e)
{
    val out = val_tuple_empty();
    int ok = 1;
    for (size_t i = 0; i < e->u.tuple.n; i++) {
        val v = eval_expr(c, e->u.tuple.items[i]);
        if (!val_is_valid(v)) {
            ok = 0;
            continue;
        }
        if (ok)
            out = val_tuple_append(out, v);
        else
            val_free(v);
    }
    if (!ok) {
        val_free(out);
        return val_invalid();
    }
    return out;
}

static val eval_object(eval_ctx *c, const ast *e)
{
    val out = val_object_empty();
    int ok = 1, known = 1;
    unsigned m = 0;
    for (size_t i = 0; i < e->u.object.n; i++) {
        const ast_object_item *it = &e->u.object.items[i];
        val k;
        if (it->key_bare && it->key->kind == AST_VARIABLE)
            k = val_string(it->key->u.var.s);
        else
            k = eval_expr(c, it->key);
        val v = eval_expr(c, it->value);
        if (val_is_valid(k) && val_is_null(k)) {
            eval_fail(c, it->key->range, "Null value as key", "Can't use a null value as a key.");
            val_free(k);
            k = val_invalid();
        } else if (val_is_valid(k) && !val_is_unknown(k)) {
            k = val_convert(k, ty_string());
            if (!val_is_valid(k))
                eval_fail(c, it->key->range, "Incorrect key type",
                          "Can't use this value as a key: %s.", err_msg());
        }
        if (!val_is_valid(k) || !val_is_valid(v)) {
            ok = 0;
        } else if (val_is_unknown(k)) {
            known = 0;
        } else if (ok && known) {
            m |= eval_sens(k);
            out = val_object_set(out, val_get_string(k), v);
            v = val_invalid();
        }
        val_free(k);
        val_free(v);
    }
    if (!ok) {
        val_free(out);
        return val_invalid();
    }
    if (!known) {
        val_free(out);
        return eval_dynamic();
    }
    return eval_remark(out, m);
}

/* ---------------------------------------------------------------- calls */

/* Whether evaluating e could depend on an unknown value: some reference
 * chain in it (outside names the expression binds itself) evaluates to a
 * value that is not wholly known.  This is tryfunc's dependsOnUnknowns. */
static int refs_unknown(eval_ctx *c, const ast *e, const char **local, size_t nlocal);

static int chain_root(const ast *e, const char **root)
{
    while (e) {
        switch (e->kind) {
        case AST_VARIABLE:
            *root = e->u.var.s;
            return 1;
        case AST_GETATTR:
            e = e->u.getattr.obj;
            break;
        case AST_INDEX: {
            const ast *k = e->u.index.key;
            const char *s;
            size_t n;
            if (!(k->kind == AST_LITERAL || ast_template_literal(k, &s, &n)))
                return 0;
            e = e->u.index.obj;
            break;
        }
        default:
            return 0;
        }
    }
    return 0;
}

static int unknown_in_list(eval_ctx *c, ast **items, size_t n, const char **local,
                           size_t nlocal)
{
    for (size_t i = 0; i < n; i++)
        if (items[i] && refs_unknown(c, items[i], local, nlocal))
            return 1;
    return 0;
}

static int refs_unknown(eval_ctx *c, const ast *e, const char **local, size_t nlocal)
{
    const char *root;
    if (!e)
        return 0;
    if ((e->kind == AST_VARIABLE || e->kind == AST_GETATTR || e->kind == AST_INDEX) &&
        chain_root(e, &root)) {
        for (size_t i = 0; i < nlocal; i++)
            if (strcmp(local[i], root) == 0)
                return 0;
        diag_list quiet = {0}, *outer = c->diags;
        c->diags = &quiet;
        val v = eval_expr(c, e);
        c->diags = outer;
        int unk = val_is_valid(v) && !quiet.nerrors && !val_is_wholly_known(v);
        val_free(v);
        diag_list_free(&quiet);
        return unk;
    }
    const char *loc[64];
    size_t nl = nlocal < 60 ? nlocal : 60;
    if (nl)
        memcpy(loc, local, nl * sizeof *loc);
    switch (e->kind) {
    case AST_TEMPLATE:
        return unknown_in_list(c, e->u.tmpl.parts, e->u.tmpl.nparts, local, nlocal);
    case AST_TUPLE:
        return unknown_in_list(c, e->u.tuple.items, e->u.tuple.n, local, nlocal);
    case AST_OBJECT:
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (!e->u.object.items[i].key_bare &&
                refs_unknown(c, e->u.object.items[i].key, local, nlocal))
                return 1;
            if (refs_unknown(c, e->u.object.items[i].value, local, nlocal))
                return 1;
        }
        return 0;
    case AST_GETATTR:
        return refs_unknown(c, e->u.getattr.obj, local, nlocal);
    case AST_INDEX:
        return refs_unknown(c, e->u.index.obj, local, nlocal) ||
               refs_unknown(c, e->u.index.key, local, nlocal);
    case AST_SPLAT:
        return refs_unknown(c, e->u.splat.source, local, nlocal);
    case AST_CALL:
        return unknown_in_list(c, e->u.call.args, e->u.call.nargs, local, nlocal);
    case AST_UNARY:
        return refs_unknown(c, e->u.unary.operand, local, nlocal);
    case AST_BINARY:
        return refs_unknown(c, e->u.binary.lhs, local, nlocal) ||
               refs_unknown(c, e->u.binary.rhs, local, nlocal);
    case AST_COND:
        return refs_unknown(c, e->u.cond.cond, local, nlocal) ||
               refs_unknown(c, e->u.cond.then, local, nlocal) ||
               refs_unknown(c, e->u.cond.else_, local, nlocal);
    case AST_PAREN:
        return refs_unknown(c, e->u.paren.inner, local, nlocal);
    case AST_FOR:
        if (refs_unknown(c, e->u.for_.coll, local, nlocal))
            return 1;
        if (e->u.for_.key_var.s)
            loc[nl++] = e->u.for_.key_var.s;
        loc[nl++] = e->u.for_.val_var.s;
        return refs_unknown(c, e->u.for_.key, loc, nl) ||
               refs_unknown(c, e->u.for_.value, loc, nl) ||
               refs_unknown(c, e->u.for_.cond, loc, nl);
    case AST_TPL_IF:
        return refs_unknown(c, e->u.tpl_if.cond, local, nlocal) ||
               refs_unknown(c, e->u.tpl_if.then, local, nlocal) ||
               refs_unknown(c, e->u.tpl_if.else_, local, nlocal);
    case AST_TPL_FOR:
        if (refs_unknown(c, e->u.tpl_for.coll, local, nlocal))
            return 1;
        if (e->u.tpl_for.key_var.s)
            loc[nl++] = e->u.tpl_for.key_var.s;
        loc[nl++] = e->u.tpl_for.val_var.s;
        return refs_unknown(c, e->u.tpl_for.body, loc, nl);
    default:
        return 0;
    }
}

/* can(expr) and try(expr...): errors in an argument are its value. */
static val eval_can_try(eval_ctx *c, const ast *e, int is_can)
{
    size_t n = e->u.call.nargs;
    if (is_can && n != 1)
        return eval_fail(c, e->range, n ? "Too many function arguments" :
                         "Not enough function arguments",
                         "Function \"can\" expects only 1 argument(s).");
    if (!is_can && n == 0)
        return eval_fail(c, e->range, "Error in function call",
                         "Call to function \"try\" failed: at least one argument is required.");
    char *first = NULL;
    for (size_t i = 0; i < n; i++) {
        const ast *a = e->u.call.args[i];
        if (refs_unknown(c, a, NULL, 0)) {
            free(first);
            return is_can ? val_unknown(ty_bool()) : eval_dynamic();
        }
        diag_list quiet = {0}, *outer = c->diags;
        c->diags = &quiet;
        val v = eval_expr(c, a);
        c->diags = outer;
        if (val_is_valid(v) && !quiet.nerrors) {
            diag_list_free(&quiet);
            free(first);
            if (is_can) {
                val_free(v);
                return val_bool(1);
            }
            return v;
        }
        if (!first && quiet.n)
            first = xasprintf("%s%s%s", quiet.items[0].summary,
                              quiet.items[0].detail ? ": " : "",
                              quiet.items[0].detail ? quiet.items[0].detail : "");
        val_free(v);
        diag_list_free(&quiet);
    }
    if (is_can) {
        free(first);
        return val_bool(0);
    }
    eval_fail(c, e->range, "Error in function call",
              "Call to function \"try\" failed: no expression succeeded:\n- %s",
              first ? first : "(no detail)");
    free(first);
    return val_invalid();
}

static val render_cb(void *payload, const char *path, val vars, fn_err *err)
{
    eval_ctx *outer = payload;
    diag_list d = {0};
    src_file *src = NULL, *tsrc = NULL;
    val out = val_invalid();
    if (outer->tmpl_depth >= EVAL_MAX_TEMPLATEFILE_DEPTH) {
        snprintf(err->msg, sizeof err->msg,
                 "templatefile calls nest more than %d deep (EVAL_MAX_TEMPLATEFILE_DEPTH)",
                 EVAL_MAX_TEMPLATEFILE_DEPTH);
        val_free(vars);
        return out;
    }
    src = src_load(path);
    if (!src) {
        snprintf(err->msg, sizeof err->msg, "%s", err_msg());
        val_free(vars);
        return out;
    }
    eval_ctx c;
    eval_ctx_init(&c, &d);
    c.base_dir = outer->base_dir;
    c.allow_impure = outer->allow_impure;
    c.depth = outer->depth;
    c.tmpl_depth = outer->tmpl_depth + 1;
    out = eval_template_text(&c, path, src->text, src->len, vars, &tsrc);
    if (!val_is_valid(out) || d.nerrors) {
        val_free(out);
        out = val_invalid();
        if (d.n) {
            int line = 0, col = 0;
            if (d.items[0].range.file)
                src_pos(d.items[0].range.file, d.items[0].range.start, &line, &col);
            /* Terraform's shape: "FILE:LINE,COL: Summary; Detail" (the
             * detail's final period is added by fn_call's framing). */
            const char *det = d.items[0].detail ? d.items[0].detail : "";
            static const char nested[] = "Call to function \"templatefile\" failed: ";
            size_t dl = strlen(det);
            if (dl && det[dl - 1] == '.')
                dl--;
            if (strncmp(det, nested, sizeof nested - 1) == 0) {
                /* A nested templatefile failed: pass its message through
                 * rather than wrapping it once per level. */
                det += sizeof nested - 1;
                dl -= sizeof nested - 1;
                snprintf(err->msg, sizeof err->msg, "%.*s", (int)dl, det);
            } else {
                snprintf(err->msg, sizeof err->msg, "%s:%d,%d: %s%s%.*s", path, line, col,
                         d.items[0].summary, dl ? "; " : "", (int)dl, det);
            }
        } else {
            snprintf(err->msg, sizeof err->msg, "failed to render %s", path);
        }
    }
    diag_list_free(&d);
    src_free(tsrc);
    src_free(src);
    return out;
}

static val eval_call(eval_ctx *c, const ast *e)
{
    const char *name = e->u.call.name.s;
    const fn_def *f = fn_lookup(name);
    if (!f)
        return eval_fail(c, e->u.call.name.range, "Call to unknown function",
                         "There is no function named \"%s\".", name);
    if (fn_is_special(f))
        return eval_can_try(c, e, strcmp(name, "can") == 0);
    size_t n = e->u.call.nargs, nargs = 0, cap = n + 1;
    val *args = xcalloc(cap, sizeof *args);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        args[i] = eval_expr(c, e->u.call.args[i]);
        if (!val_is_valid(args[i]))
            ok = 0;
    }
    nargs = n;
    val out = val_invalid();
    if (!ok)
        goto done;
    if (e->u.call.expand && n > 0) {
        val last = args[n - 1];
        const ast *la = e->u.call.args[n - 1];
        if (val_is_null(last)) {
            eval_fail(c, la->range, "Invalid expanding argument value",
                      "The expanding argument (indicated by ...) must not be null.");
            goto done;
        }
        if (val_is_unknown(last)) {
            out = eval_dynamic();
            goto done;
        }
        enum val_kind k = val_kind(last);
        if (k != VAL_LIST && k != VAL_SET && k != VAL_TUPLE) {
            eval_fail(c, la->range, "Invalid expanding argument value",
                      "The expanding argument (indicated by ...) must be of a tuple, list, "
                      "or set type.");
            goto done;
        }
        size_t m = val_len(last);
        unsigned sm = eval_sens(last);
        if (n - 1 + m + 1 > cap) {
            cap = n - 1 + m + 1;
            args = xrealloc(args, cap * sizeof *args);
        }
        for (size_t j = 0; j < m; j++)
            args[n - 1 + j] = eval_remark(val_copy(*val_at(last, j)), sm);
        nargs = n - 1 + m;
        val_free(last);
    }
    if (nargs < f->nparams) {
        eval_fail(c, e->u.call.close_paren, "Not enough function arguments",
                  "Function \"%s\" expects %zu argument(s). Missing value for \"%s\".",
                  name, f->nparams, f->params[nargs].name);
        goto done;
    }
    if (nargs > f->nparams && !f->varparam) {
        size_t ai = f->nparams < n ? f->nparams : n - 1;
        eval_fail(c, e->u.call.args[ai]->range, "Too many function arguments",
                  "Function \"%s\" expects only %zu argument(s).", name, f->nparams);
        goto done;
    }
    fn_ctx fc = {0};
    fc.base_dir = c->base_dir;
    fc.allow_impure = c->allow_impure;
    fc.payload = c;
    fc.render_template = render_cb;
    fn_err err;
    memset(&err, 0, sizeof err);
    err.arg = -1;
    out = fn_call(f, &fc, args, nargs, &err);
    nargs = 0;  /* consumed */
    if (!val_is_valid(out)) {
        /* fn_call frames the message in HCL's wording and names the summary. */
        const char *sum = err.summary ? err.summary : err.arg >= 0 ?
                          "Invalid function argument" : "Error in function call";
        srange r = e->range;
        if (err.arg >= 0 && n > 0)
            r = e->u.call.args[(size_t)err.arg < n ? (size_t)err.arg : n - 1]->range;
        eval_fail(c, r, sum, "%s", err.msg);
    }
done:
    for (size_t i = 0; i < nargs; i++)
        val_free(args[i]);
    free(args);
    return out;
}

/* ---------------------------------------------------------------- dispatch */

static val eval_literal(const ast *e)
{
    switch (e->u.lit.kind) {
    case AST_LIT_NULL: return val_null();
    case AST_LIT_BOOL: return val_bool(e->u.lit.b);
    case AST_LIT_NUMBER: return val_number(e->u.lit.num);
    case AST_LIT_STRING: return val_string_n(e->u.lit.text, e->u.lit.len);
    }
    return val_null();
}

val eval_expr(eval_ctx *c, const ast *e)
{
    if (!e)
        return eval_fail(c, (srange){0}, "Missing expression", NULL);
    if (c->depth >= EVAL_MAX_DEPTH)
        return eval_fail(c, e->range, "Expression too complex",
                         "Evaluation nests deeper than %d levels (EVAL_MAX_DEPTH).",
                         EVAL_MAX_DEPTH);
    c->depth++;
    val v;
    switch (e->kind) {
    case AST_LITERAL: v = eval_literal(e); break;
    case AST_TEMPLATE:
    case AST_TPL_IF:
    case AST_TPL_FOR: v = eval_template(c, e); break;
    case AST_TUPLE: v = eval_tuple(c, e); break;
    case AST_OBJECT: v = eval_object(c, e); break;
    case AST_VARIABLE: v = eval_variable(c, e); break;
    case AST_GETATTR: v = eval_getattr(c, e); break;
    case AST_INDEX: v = eval_index(c, e); break;
    case AST_SPLAT: v = eval_splat(c, e); break;
    case AST_SPLAT_ITEM: {
        const struct eval_bind *b = c->binds;
        while (b && b->name)
            b = b->next;
        v = b ? val_copy(b->v) : eval_fail(c, e->range, "Invalid splat item", NULL);
        break;
    }
    case AST_CALL: v = eval_call(c, e); break;
    case AST_UNARY: v = eval_unary(c, e); break;
    case AST_BINARY: v = eval_binary(c, e); break;
    case AST_COND: v = eval_cond(c, e); break;
    case AST_FOR: v = eval_for(c, e); break;
    case AST_PAREN: v = eval_expr(c, e->u.paren.inner); break;
    default:
        v = eval_fail(c, e->range, "Invalid expression",
                      "This expression could not be parsed.");
    }
    c->depth--;
    /* A builder that failed (e.g. out of memory) leaves the reason in the
     * last error; make sure a failure always carries a diagnostic. */
    if (!val_is_valid(v) && !diag_has_errors(c->diags))
        eval_fail(c, e->range, "Evaluation failed", "%s", err_msg());
    return v;
}

val eval_string(eval_ctx *ctx, const char *name, const char *text, size_t len,
                src_file **srcp)
{
    *srcp = src_from_string(name, text, len);
    if (!*srcp)
        return eval_fail(ctx, (srange){0}, "Out of memory", NULL);
    size_t before = ctx->diags->nerrors;
    ast_file *af = parse_expression(*srcp, ctx->diags);
    if (!af)
        return eval_fail(ctx, (srange){0}, "Out of memory", NULL);
    val v = val_invalid();
    if (ctx->diags->nerrors == before)
        v = eval_expr(ctx, af->expr);
    ast_file_free(af);
    return v;
}

val eval_template_text(eval_ctx *ctx, const char *name, const char *text, size_t len,
                       val vars, src_file **srcp)
{
    *srcp = src_from_string(name, text, len);
    if (!*srcp) {
        val_free(vars);
        return eval_fail(ctx, (srange){0}, "Out of memory", NULL);
    }
    size_t before = ctx->diags->nerrors;
    ast_file *af = parse_template(*srcp, ctx->diags);
    if (!af) {
        val_free(vars);
        return eval_fail(ctx, (srange){0}, "Out of memory", NULL);
    }
    val v = val_invalid();
    enum val_kind vk = val_kind(vars);
    if (ctx->diags->nerrors != before) {
        /* parse errors already reported */
    } else if (val_is_unknown(vars)) {
        v = val_unknown(ty_string());
    } else if (vk != VAL_OBJECT && vk != VAL_MAP && !val_is_null(vars)) {
        eval_fail(ctx, (srange){0}, "Invalid template variables",
                  "The variables for a template must be given as an object or a map.");
    } else {
        size_t n = val_is_null(vars) ? 0 : val_len(vars);
        struct eval_bind *b = n ? xcalloc(n, sizeof *b) : NULL;
        struct eval_bind *saved = ctx->binds;
        ctx->binds = NULL;
        for (size_t i = 0; i < n; i++) {
            b[i].name = val_key_at(vars, i);
            b[i].v = *val_at(vars, i);
            b[i].next = ctx->binds;
            ctx->binds = &b[i];
        }
        int saved_scope = ctx->tmpl_scope;
        ctx->tmpl_scope = 1;   /* a template sees only its variables */
        v = eval_expr(ctx, af->expr);
        ctx->tmpl_scope = saved_scope;
        ctx->binds = saved;
        free(b);
        if (val_is_valid(v) && !(af->expr && af->expr->kind == AST_TEMPLATE &&
                                 af->expr->u.tmpl.wrap)) {
            v = val_convert(v, ty_string());
            if (!val_is_valid(v))
                eval_fail(ctx, af->expr->range, "Invalid template result", "%s", err_msg());
        }
    }
    ast_file_free(af);
    val_free(vars);
    return v;
}
