/*
 * lang/typeexpr.c — type expressions (a variable's `type = ...`) to `ty`:
 *
 *   type   := "string" | "number" | "bool" | "any"
 *           | ("list" | "set" | "map") "(" type ")"
 *           | "tuple" "(" "[" type, ... "]" ")"
 *           | "object" "(" "{" name "=" attrtype, ... "}" ")"
 *   attrtype := type | "optional" "(" type [ "," default ] ")"
 *
 * The wording of errors follows HCL's typeexpr package ("Invalid type
 * specification").  optional() is only valid directly as an attribute type.
 */
#include "lang/eval.h"

#include <stdlib.h>
#include <string.h>

static ty *type_of(const ast *e, diag_list *d, int depth);

static ty *bad(diag_list *d, const ast *e, const char *fmt, const char *arg)
{
    diag_add(d, DIAG_ERROR, e->range, "Invalid type specification", fmt, arg);
    return NULL;
}

static ty *one_arg(const ast *e, diag_list *d, int depth, ty *(*mk)(ty *))
{
    if (e->u.call.nargs != 1)
        return bad(d, e, "The %s type constructor requires one argument specifying the "
                   "element type.", e->u.call.name.s);
    ty *el = type_of(e->u.call.args[0], d, depth + 1);
    return el ? mk(el) : NULL;
}

static ty *tuple_of(const ast *e, diag_list *d, int depth)
{
    const ast *a = e->u.call.nargs == 1 ? e->u.call.args[0] : NULL;
    if (!a || a->kind != AST_TUPLE)
        return bad(d, e, "The %s type constructor requires one argument specifying the "
                   "element types as a list.", "tuple");
    size_t n = a->u.tuple.n;
    ty **els = xcalloc(n ? n : 1, sizeof *els);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        els[i] = type_of(a->u.tuple.items[i], d, depth + 1);
        if (!els[i])
            ok = 0;
    }
    ty *t = NULL;
    if (ok) {
        t = ty_tuple(els, n);
    } else {
        for (size_t i = 0; i < n; i++)
            if (els[i])
                ty_free(els[i]);
    }
    free(els);
    return t;
}

/* The name an object-type attribute key stands for, or NULL. */
static const char *attr_name(const ast_object_item *it)
{
    const char *s;
    size_t n;
    if (it->key->kind == AST_VARIABLE)
        return it->key->u.var.s;
    if (ast_template_literal(it->key, &s, &n))
        return s;
    return NULL;
}

/* optional(T) / optional(T, default) as an attribute type. */
static ty *optional_of(const ast *e, diag_list *d, int depth, val *def)
{
    size_t n = e->u.call.nargs;
    if (n < 1 || n > 2)
        return bad(d, e, "The %s modifier requires the attribute type as its first argument "
                   "and an optional default value as its second.", "optional");
    ty *t = type_of(e->u.call.args[0], d, depth + 1);
    if (!t || n == 1)
        return t;
    eval_ctx c;
    eval_ctx_init(&c, d);
    val v = eval_expr(&c, e->u.call.args[1]);
    if (!val_is_valid(v)) {
        ty_free(t);
        return NULL;
    }
    v = val_convert(v, t);
    if (!val_is_valid(v)) {
        diag_add(d, DIAG_ERROR, e->u.call.args[1]->range, "Invalid default value for "
                 "optional attribute", "This default value is not compatible with the "
                 "attribute's type constraint: %s.", err_msg());
        ty_free(t);
        return NULL;
    }
    *def = v;
    return t;
}

static ty *object_of(const ast *e, diag_list *d, int depth)
{
    const ast *a = e->u.call.nargs == 1 ? e->u.call.args[0] : NULL;
    if (!a || a->kind != AST_OBJECT)
        return bad(d, e, "The %s type constructor requires one argument specifying the "
                   "attribute types as a map.", "object");
    size_t n = a->u.object.n;
    const char **names = xcalloc(n ? n : 1, sizeof *names);
    ty **types = xcalloc(n ? n : 1, sizeof *types);
    int *opt = xcalloc(n ? n : 1, sizeof *opt);
    val *defs = xcalloc(n ? n : 1, sizeof *defs);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        const ast_object_item *it = &a->u.object.items[i];
        names[i] = attr_name(it);
        if (!names[i]) {
            bad(d, it->key, "Object constructor map keys must be attribute names.%s", "");
            ok = 0;
            continue;
        }
        const ast *v = it->value;
        if (v->kind == AST_CALL && strcmp(v->u.call.name.s, "optional") == 0) {
            opt[i] = 1;
            types[i] = optional_of(v, d, depth, &defs[i]);
        } else {
            types[i] = type_of(v, d, depth + 1);
        }
        if (!types[i])
            ok = 0;
    }
    ty *t = NULL;
    if (ok) {
        t = ty_object(names, types, n, opt, defs);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (types[i])
                ty_free(types[i]);
            val_free(defs[i]);
        }
    }
    free(names);
    free(types);
    free(opt);
    free(defs);
    return t;
}

static ty *type_of(const ast *e, diag_list *d, int depth)
{
    if (depth > EVAL_MAX_DEPTH)
        return bad(d, e, "The type expression nests more than %s levels.", "EVAL_MAX_DEPTH");
    if (e->kind == AST_VARIABLE) {
        const char *s = e->u.var.s;
        if (strcmp(s, "string") == 0) return ty_string();
        if (strcmp(s, "number") == 0) return ty_number();
        if (strcmp(s, "bool") == 0) return ty_bool();
        if (strcmp(s, "any") == 0) return ty_any();
        if (!strcmp(s, "list") || !strcmp(s, "set") || !strcmp(s, "map") ||
            !strcmp(s, "tuple") || !strcmp(s, "object"))
            return bad(d, e, "The %s type constructor requires one argument specifying the "
                       "element type.", s);
        return bad(d, e, "The keyword \"%s\" is not a valid type specification.", s);
    }
    if (e->kind == AST_CALL) {
        const char *s = e->u.call.name.s;
        if (strcmp(s, "list") == 0) return one_arg(e, d, depth, ty_list);
        if (strcmp(s, "set") == 0) return one_arg(e, d, depth, ty_set);
        if (strcmp(s, "map") == 0) return one_arg(e, d, depth, ty_map);
        if (strcmp(s, "tuple") == 0) return tuple_of(e, d, depth);
        if (strcmp(s, "object") == 0) return object_of(e, d, depth);
        if (strcmp(s, "optional") == 0)
            return bad(d, e, "Keyword \"%s\" is valid only as a modifier for object type "
                       "attributes.", s);
        return bad(d, e, "Keyword \"%s\" is not a valid type constructor.", s);
    }
    return bad(d, e, "A type specification is either a primitive type keyword (bool, number, "
               "string) or a complex type constructor call, like list(string).%s", "");
}

ty *eval_type_expr(const ast *e, diag_list *diags)
{
    return type_of(e, diags, 0);
}
