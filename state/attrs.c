/*
 * state/attrs.c — instance attributes as cairn values: the bridge between
 * the stored form (Terraform v4 "attributes" JSON, a cty type JSON, and
 * "sensitive_attributes" paths) and lang/val.h.
 *
 * cty type JSON: "string" | "number" | "bool" | "dynamic" |
 *   ["list", T] | ["set", T] | ["map", T] | ["tuple", [T...]] |
 *   ["object", {"name": T, ...}] (optional names as a third element).
 * Sensitive path step: {"type":"get_attr","value":NAME} or
 *   {"type":"index","value":{"value":KEY,"type":"number"|"string"}}.
 */
#include "state/internal.h"
#include "lang/val_json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define STATE_TYPE_MAX_DEPTH 64
#define STATE_TYPE_CACHE 16     /* parsed attribute types kept (per process) */
#define STATE_PATH_MAX_DEPTH 64

/* ---------------------------------------------------------------- types */

static json_t *ty_json(const ty *t, int depth)
{
    if (depth > STATE_TYPE_MAX_DEPTH)
        return NULL;
    switch (ty_kind(t)) {
    case TY_ANY: return json_string("dynamic");
    case TY_BOOL: return json_string("bool");
    case TY_NUMBER: return json_string("number");
    case TY_STRING: return json_string("string");
    case TY_LIST:
    case TY_SET:
    case TY_MAP: {
        const char *k = ty_kind(t) == TY_LIST ? "list" : ty_kind(t) == TY_SET ? "set" : "map";
        json_t *e = ty_json(ty_elem(t), depth + 1);
        return e ? json_pack("[s,o]", k, e) : NULL;
    }
    case TY_TUPLE: {
        json_t *a = json_array();
        for (size_t i = 0; i < ty_len(t); i++) {
            json_t *e = ty_json(ty_index(t, i), depth + 1);
            if (!e) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, e);
        }
        return json_pack("[s,o]", "tuple", a);
    }
    case TY_OBJECT: {
        json_t *o = json_object(), *opt = json_array();
        for (size_t i = 0; i < ty_len(t); i++) {
            json_t *e = ty_json(ty_index(t, i), depth + 1);
            if (!e) {
                json_decref(o);
                json_decref(opt);
                return NULL;
            }
            json_object_set_new(o, ty_attr_name(t, i), e);
            if (ty_attr_optional(t, i))
                json_array_append_new(opt, json_string(ty_attr_name(t, i)));
        }
        if (json_array_size(opt))
            return json_pack("[s,o,o]", "object", o, opt);
        json_decref(opt);
        return json_pack("[s,o]", "object", o);
    }
    }
    return NULL;
}

static ty *ty_parse(json_t *j, int depth)
{
    if (depth > STATE_TYPE_MAX_DEPTH)
        return NULL;
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        if (!strcmp(s, "string"))
            return ty_string();
        if (!strcmp(s, "number"))
            return ty_number();
        if (!strcmp(s, "bool"))
            return ty_bool();
        if (!strcmp(s, "dynamic"))
            return ty_any();
        return NULL;
    }
    const char *k = json_string_value(json_array_get(j, 0));
    json_t *arg = json_array_get(j, 1);
    if (!k || !arg)
        return NULL;
    if (!strcmp(k, "list") || !strcmp(k, "set") || !strcmp(k, "map")) {
        ty *e = ty_parse(arg, depth + 1);
        if (!e)
            return NULL;
        return k[0] == 'l' ? ty_list(e) : k[0] == 's' ? ty_set(e) : ty_map(e);
    }
    if (!strcmp(k, "tuple") && json_is_array(arg)) {
        size_t n = json_array_size(arg);
        ty **v = xcalloc(n ? n : 1, sizeof *v);
        for (size_t i = 0; i < n; i++) {
            v[i] = ty_parse(json_array_get(arg, i), depth + 1);
            if (!v[i]) {
                for (size_t k2 = 0; k2 < i; k2++)
                    ty_free(v[k2]);
                free(v);
                return NULL;
            }
        }
        ty *t = ty_tuple(v, n);
        free(v);
        return t;
    }
    if (!strcmp(k, "object") && json_is_object(arg)) {
        size_t n = json_object_size(arg), i = 0;
        const char **names = xcalloc(n ? n : 1, sizeof *names);
        ty **types = xcalloc(n ? n : 1, sizeof *types);
        int *opt = xcalloc(n ? n : 1, sizeof *opt);
        json_t *optl = json_array_get(j, 2), *e;
        const char *name;
        int bad = 0;
        json_object_foreach(arg, name, e) {
            names[i] = name;
            types[i] = bad ? NULL : ty_parse(e, depth + 1);
            if (!types[i])
                bad = 1;
            size_t q;
            json_t *on;
            json_array_foreach(optl, q, on) {
                if (json_is_string(on) && !strcmp(json_string_value(on), name))
                    opt[i] = 1;
            }
            i++;
        }
        ty *t = NULL;
        if (!bad) {
            t = ty_object(names, types, n, opt, NULL);
        } else {
            for (size_t q = 0; q < n; q++)
                if (types[q])
                    ty_free(types[q]);
        }
        free(names);
        free(types);
        free(opt);
        return t;
    }
    return NULL;
}

/* ---------------------------------------------------------------- paths */

static json_t *step_attr(const char *name)
{
    return json_pack("{s:s, s:s}", "type", "get_attr", "value", name);
}

static json_t *step_index_num(size_t i)
{
    return json_pack("{s:s, s:{s:I, s:s}}", "type", "index", "value", "value", (json_int_t)i,
                     "type", "number");
}

static json_t *step_index_str(const char *k)
{
    return json_pack("{s:s, s:{s:s, s:s}}", "type", "index", "value", "value", k, "type",
                     "string");
}

/* Append the path of every sensitive mark in v to paths (prefix: the path
 * so far).  A marked node is recorded and not descended into. */
static int collect_paths(val v, json_t *prefix, json_t *paths, int depth)
{
    if (depth > STATE_PATH_MAX_DEPTH)
        return err_set(CAIRN_ELIMIT, "attributes nested deeper than %d", STATE_PATH_MAX_DEPTH);
    if (val_is_sensitive(v)) {
        json_array_append(paths, prefix);
        return 0;
    }
    if (!val_contains_sensitive(v))
        return 0;
    enum val_kind k = val_kind(v);
    if (k == VAL_SET) {   /* cty cannot address set elements: mark the set */
        json_array_append(paths, prefix);
        return 0;
    }
    for (size_t i = 0; i < val_len(v); i++) {
        json_t *step = k == VAL_OBJECT ? step_attr(val_key_at(v, i))
                       : k == VAL_MAP  ? step_index_str(val_key_at(v, i))
                                       : step_index_num(i);
        json_t *p = json_copy(prefix);
        json_array_append_new(p, step);
        int rc = collect_paths(*val_at(v, i), p, paths, depth + 1);
        json_decref(p);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Rebuild list/tuple v with element i replaced by e (all consumed). */
static val replace_elem(val v, size_t i, val e)
{
    int tuple = val_kind(v) == VAL_TUPLE;
    val out;
    if (tuple) {
        out = val_tuple_empty();
    } else {
        ty *t = val_type(v);
        out = val_list_empty(ty_copy(ty_elem(t)));
        ty_free(t);
    }
    unsigned marks = val_marks(v);
    for (size_t k = 0; k < val_len(v) && val_is_valid(out); k++) {
        val item = k == i ? val_copy(e) : val_copy(*val_at(v, k));
        out = tuple ? val_tuple_append(out, item) : val_list_append(out, item);
    }
    val_free(e);
    val_free(v);
    return marks && val_is_valid(out) ? val_mark(out, marks) : out;
}

/* Mark the node at path[i..] in v as sensitive (consumes v).  Steps that
 * do not match the value are ignored (the value changed shape). */
static val mark_path(val v, json_t *path, size_t i, int depth)
{
    if (i == json_array_size(path) || depth > STATE_PATH_MAX_DEPTH)
        return val_mark(v, VAL_MARK_SENSITIVE);
    json_t *step = json_array_get(path, i);
    const char *type = json_string_value(json_object_get(step, "type"));
    json_t *value = json_object_get(step, "value");
    enum val_kind k = val_kind(v);
    if (!type || val_is_null(v) || val_is_unknown(v))
        return v;
    if (!strcmp(type, "get_attr") && json_is_string(value) &&
        (k == VAL_OBJECT || k == VAL_MAP)) {
        const char *name = json_string_value(value);
        const val *c = val_lookup(v, name);
        if (!c)
            return v;
        val nc = mark_path(val_copy(*c), path, i + 1, depth + 1);
        return k == VAL_OBJECT ? val_object_set(v, name, nc) : val_map_set(v, name, nc);
    }
    if (!strcmp(type, "index")) {
        json_t *kv = json_object_get(value, "value");
        if (json_is_string(kv) && (k == VAL_MAP || k == VAL_OBJECT)) {
            const char *name = json_string_value(kv);
            const val *c = val_lookup(v, name);
            if (!c)
                return v;
            val nc = mark_path(val_copy(*c), path, i + 1, depth + 1);
            return k == VAL_MAP ? val_map_set(v, name, nc) : val_object_set(v, name, nc);
        }
        if (json_is_integer(kv) && (k == VAL_LIST || k == VAL_TUPLE)) {
            json_int_t n = json_integer_value(kv);
            if (n < 0 || (size_t)n >= val_len(v))
                return v;
            val nc = mark_path(val_copy(*val_at(v, (size_t)n)), path, i + 1, depth + 1);
            return replace_elem(v, (size_t)n, nc);
        }
        if (k == VAL_SET)   /* a path into a set marks the set */
            return val_mark(v, VAL_MARK_SENSITIVE);
    }
    return v;
}

/* ---------------------------------------------------------------- API */

/* The type of a record's attributes_type text (owned reference), or NULL
 * if it is not a valid cty type.  The instances of one resource type all
 * carry the same text, so the last few parsed are kept: a plan of 10,000
 * instances otherwise parses the same type 10,000 times. */
static ty *cached_type(const char *text)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static struct { char *text; ty *t; } cache[STATE_TYPE_CACHE];
    static size_t next;
    ty *t = NULL;
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < STATE_TYPE_CACHE && !t; i++)
        if (cache[i].text && !strcmp(cache[i].text, text))
            t = ty_copy(cache[i].t);
    pthread_mutex_unlock(&mu);
    if (t)
        return t;
    json_error_t je;
    json_t *tj = json_loads(text, JSON_DECODE_ANY, &je);
    t = tj ? ty_parse(tj, 0) : NULL;
    json_decref(tj);
    if (!t)
        return NULL;
    pthread_mutex_lock(&mu);
    free(cache[next].text);
    ty_free(cache[next].t);
    cache[next].text = xstrdup(text);
    cache[next].t = ty_copy(t);
    next = (next + 1) % STATE_TYPE_CACHE;
    pthread_mutex_unlock(&mu);
    return t;
}

int state_instance_attrs(const state_instance *inst, val *out)
{
    *out = val_invalid();
    if (!inst->attrs_json)
        return err_set(CAIRN_EINVAL, "instance has no attributes");
    val v = val_from_json(inst->attrs_json, strlen(inst->attrs_json));
    if (!val_is_valid(v))
        return state__wrap(CAIRN_ECORRUPT, "instance attributes");
    if (inst->attrs_type) {
        ty *t = cached_type(inst->attrs_type);
        if (!t) {
            val_free(v);
            return err_set(CAIRN_ECORRUPT, "instance attribute type is not a valid cty type");
        }
        v = val_convert(v, t);
        ty_free(t);
        if (!val_is_valid(v))
            return state__wrap(CAIRN_ECORRUPT, "instance attributes do not match their type");
    }
    if (inst->sensitive_json) {
        json_error_t je;
        json_t *paths = json_loads(inst->sensitive_json, 0, &je);
        size_t i;
        json_t *p;
        json_array_foreach(paths, i, p) {
            if (!val_is_valid(v))
                break;
            if (json_is_array(p))
                v = mark_path(v, p, 0, 0);
        }
        json_decref(paths);
        if (!val_is_valid(v))
            return state__wrap(CAIRN_ECORRUPT, "instance attributes");
    }
    *out = v;
    return 0;
}

int state_instance_set_attrs(state_instance *inst, val attrs)
{
    int rc = 0;
    json_t *paths = json_array(), *root = json_array(), *tj = NULL;
    char *js = NULL, *ts = NULL, *ps = NULL;
    ty *t = NULL;
    if (val_kind(attrs) != VAL_OBJECT && val_kind(attrs) != VAL_MAP) {
        rc = err_set(CAIRN_EINVAL, "instance attributes must be an object");
        goto fail;
    }
    if (!val_is_wholly_known(attrs)) {
        rc = err_set(CAIRN_EINVAL, "instance attributes must be wholly known to be stored");
        goto fail;
    }
    rc = collect_paths(attrs, root, paths, 0);
    if (rc != 0)
        goto fail;
    attrs = val_unmark_deep(attrs);
    js = val_to_json(&attrs, NULL);
    if (!js) {
        rc = err_code() ? err_code() : CAIRN_EINVAL;
        goto fail;
    }
    t = val_type(attrs);
    tj = t ? ty_json(t, 0) : NULL;
    ts = tj ? json_dumps(tj, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    ps = json_dumps(paths, JSON_COMPACT);
    if (!ts || !ps) {
        rc = err_set(CAIRN_EINVAL, "instance attribute type cannot be encoded");
        goto fail;
    }
    free(inst->attrs_json);
    free(inst->attrs_type);
    free(inst->sensitive_json);
    inst->attrs_json = js;
    inst->attrs_type = ts;
    inst->sensitive_json = ps;
    js = ts = ps = NULL;
fail:
    val_free(attrs);
    ty_free(t);
    json_decref(tj);
    json_decref(paths);
    json_decref(root);
    free(js);
    free(ts);
    free(ps);
    return rc;
}
