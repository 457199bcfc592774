/*
 * state/encode.c — the instance record: allocation, copying, and the
 * versioned JSON encoding stored under each address.
 *
 * Record (STATE_RECORD_VERSION 1), one JSON object:
 *   {"v":1, "type":"aws_vpc", "provider":"provider[...]", "schema_version":1,
 *    "attributes":{...}, "attributes_type":[...]?, "sensitive_attributes":[...]?,
 *    "private":"..."?, "dependencies":[...], "status":"tainted"?,
 *    "create_before_destroy":true?, "created":1700000000}
 * A record with "v" above STATE_RECORD_VERSION is refused, never rewritten.
 */
#include "state/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

state_instance *state_instance_new(void) { return xcalloc(1, sizeof(state_instance)); }

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

state_instance *state_instance_dup(const state_instance *s)
{
    state_instance *d = state_instance_new();
    d->type = dup_or_null(s->type);
    d->provider = dup_or_null(s->provider);
    d->schema_version = s->schema_version;
    d->attrs_json = dup_or_null(s->attrs_json);
    d->attrs_type = dup_or_null(s->attrs_type);
    d->sensitive_json = dup_or_null(s->sensitive_json);
    d->private_b64 = dup_or_null(s->private_b64);
    for (size_t i = 0; i < s->ndeps; i++)
        state_instance_add_dep(d, s->deps[i]);
    d->status = s->status;
    d->create_before_destroy = s->create_before_destroy;
    d->created = s->created;
    return d;
}

void state_instance_free(state_instance *i)
{
    if (!i)
        return;
    free(i->type);
    free(i->provider);
    free(i->attrs_json);
    free(i->attrs_type);
    free(i->sensitive_json);
    free(i->private_b64);
    state_strv_free(i->deps, i->ndeps);
    free(i);
}

void state_instance_add_dep(state_instance *i, const char *addr)
{
    i->deps = xrealloc(i->deps, (i->ndeps + 1) * sizeof *i->deps);
    i->deps[i->ndeps++] = xstrdup(addr);
}

/* Parse JSON text that must be of the given kind (0: any). */
static json_t *load_part(const char *text, const char *what, json_type want)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
    if (!j) {
        err_set(CAIRN_EINVAL, "instance %s is not valid JSON: %s", what, je.text);
        return NULL;
    }
    if (want != JSON_NULL && json_typeof(j) != want) {
        json_decref(j);
        err_set(CAIRN_EINVAL, "instance %s must be a JSON %s", what,
                want == JSON_OBJECT ? "object" : "array");
        return NULL;
    }
    return j;
}

int state_instance_encode(char **out, size_t *len, const state_instance *inst)
{
    *out = NULL;
    *len = 0;
    if (!inst->type || !*inst->type)
        return err_set(CAIRN_EINVAL, "instance has no resource type");
    if (!inst->attrs_json)
        return err_set(CAIRN_EINVAL, "instance has no attributes");
    json_t *r = json_object(), *deps = json_array();
    json_t *a = load_part(inst->attrs_json, "attributes", JSON_OBJECT);
    int rc = 0;
    if (!a) {
        rc = err_code();
        goto fail;
    }
    json_object_set_new(r, "v", json_integer(STATE_RECORD_VERSION));
    json_object_set_new(r, "type", json_string(inst->type));
    if (inst->provider)
        json_object_set_new(r, "provider", json_string(inst->provider));
    json_object_set_new(r, "schema_version", json_integer(inst->schema_version));
    json_object_set_new(r, "attributes", a);
    if (inst->attrs_type) {
        json_t *t = load_part(inst->attrs_type, "attribute type", JSON_NULL);
        if (!t) {
            rc = err_code();
            goto fail;
        }
        json_object_set_new(r, "attributes_type", t);
    }
    if (inst->sensitive_json) {
        json_t *s = load_part(inst->sensitive_json, "sensitive_attributes", JSON_ARRAY);
        if (!s) {
            rc = err_code();
            goto fail;
        }
        json_object_set_new(r, "sensitive_attributes", s);
    }
    if (inst->private_b64)
        json_object_set_new(r, "private", json_string(inst->private_b64));
    for (size_t i = 0; i < inst->ndeps; i++)
        json_array_append_new(deps, json_string(inst->deps[i]));
    json_object_set(r, "dependencies", deps);
    if (inst->status == STATE_STATUS_TAINTED)
        json_object_set_new(r, "status", json_string("tainted"));
    if (inst->create_before_destroy)
        json_object_set_new(r, "create_before_destroy", json_true());
    json_object_set_new(r, "created", json_integer(inst->created));
    *out = json_dumps(r, JSON_COMPACT);
    if (!*out) {
        rc = err_set(CAIRN_EINVAL, "instance cannot be encoded (invalid UTF-8 in a string?)");
        goto fail;
    }
    *len = strlen(*out);
fail:
    json_decref(deps);
    json_decref(r);
    return rc;
}

/* ---------------------------------------------------------------- decode */

/* The record's three big values (attributes, attributes_type,
 * sensitive_attributes) are kept as JSON text, so decoding cuts them out
 * of the record as they are instead of parsing them into jansson trees and
 * printing them again (a plan reads every record: that was a fifth of its
 * time at 10,000 instances).  Only the small rest goes through jansson. */

static size_t skip_ws(const char *d, size_t i, size_t n)
{
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
        i++;
    return i;
}

/* End (one past) of the string starting at d[i] == '"', or 0. */
static size_t skip_string(const char *d, size_t i, size_t n)
{
    for (i++; i < n; i++) {
        if (d[i] == '\\')
            i++;
        else if (d[i] == '"')
            return i + 1;
    }
    return 0;
}

/* End (one past) of the JSON value starting at d[i], or 0. */
static size_t skip_value(const char *d, size_t i, size_t n)
{
    if (i >= n)
        return 0;
    if (d[i] == '"')
        return skip_string(d, i, n);
    if (d[i] != '{' && d[i] != '[') {
        while (i < n && !strchr(",}] \t\n\r", d[i]))
            i++;
        return i;
    }
    size_t depth = 0;
    for (; i < n; i++) {
        if (d[i] == '"') {
            i = skip_string(d, i, n);
            if (!i)
                return 0;
            i--;
        } else if (d[i] == '{' || d[i] == '[') {
            depth++;
        } else if ((d[i] == '}' || d[i] == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

struct span {
    const char *key;
    size_t at, len;             /* len 0: absent */
};

/* Find the values of spans' keys at the top level of the object in d, and
 * write d with each of them replaced by null into skel (len + 1 bytes).
 * 0, or -1 when d is not an object this scanner can walk. */
static int cut_spans(const char *d, size_t n, struct span *sp, size_t nsp, char *skel,
                     size_t *skel_len)
{
    size_t i = skip_ws(d, 0, n), o = 0, from = 0;
    if (i >= n || d[i] != '{')
        return -1;
    i = skip_ws(d, i + 1, n);
    while (i < n && d[i] != '}') {
        size_t ks = i, ke = d[i] == '"' ? skip_string(d, i, n) : 0;
        if (!ke)
            return -1;
        i = skip_ws(d, ke, n);
        if (i >= n || d[i] != ':')
            return -1;
        size_t vs = skip_ws(d, i + 1, n), ve = skip_value(d, vs, n);
        if (!ve || ve <= vs)
            return -1;
        for (size_t k = 0; k < nsp; k++)
            if (ke - ks - 2 == strlen(sp[k].key) && !memcmp(d + ks + 1, sp[k].key, ke - ks - 2)) {
                sp[k].at = vs;
                sp[k].len = ve - vs;
                memcpy(skel + o, d + from, vs - from);
                o += vs - from;
                memcpy(skel + o, "null", 4);
                o += 4;
                from = ve;
            }
        i = skip_ws(d, ve, n);
        if (i < n && d[i] == ',')
            i = skip_ws(d, i + 1, n);
    }
    if (i >= n)
        return -1;
    memcpy(skel + o, d + from, n - from);
    *skel_len = o + n - from;
    return 0;
}

int state_instance_decode(state_instance **out, const char *data, size_t len)
{
    *out = NULL;
    json_error_t je;
    struct span sp[] = {{"attributes", 0, 0}, {"attributes_type", 0, 0},
                        {"sensitive_attributes", 0, 0}};
    /* The skeleton is no longer than the record plus "null" for each cut
     * value shorter than four bytes. */
    char *skel = xmalloc(len + 4 * 3 + 1);
    size_t slen = 0;
    int cut = cut_spans(data, len, sp, 3, skel, &slen) == 0;
    json_t *r = json_loadb(cut ? skel : data, cut ? slen : len, 0, &je);
    free(skel);
    state_instance *i = NULL;
    int rc = 0;
    if (!r || !json_is_object(r)) {
        rc = err_set(CAIRN_ECORRUPT, "damaged instance record (%s)",
                     r ? "not an object" : je.text);
        goto fail;
    }
    json_int_t v = json_integer_value(json_object_get(r, "v"));
    if (v > STATE_RECORD_VERSION) {
        rc = err_set(CAIRN_EVERSION, "instance record version %lld was written by a newer "
                     "cairn (this one reads %d)", (long long)v, STATE_RECORD_VERSION);
        goto fail;
    }
    json_t *type = json_object_get(r, "type");
    if (v < 1 || !json_is_string(type) || !cut || !sp[0].len || data[sp[0].at] != '{') {
        rc = err_set(CAIRN_ECORRUPT, "damaged instance record (missing version, type or "
                     "attributes)");
        goto fail;
    }
    i = state_instance_new();
    i->type = xstrdup(json_string_value(type));
    const char *p = json_string_value(json_object_get(r, "provider"));
    i->provider = dup_or_null(p);
    i->schema_version = json_integer_value(json_object_get(r, "schema_version"));
    i->attrs_json = xstrndup(data + sp[0].at, sp[0].len);
    if (sp[1].len)
        i->attrs_type = xstrndup(data + sp[1].at, sp[1].len);
    if (sp[2].len)
        i->sensitive_json = xstrndup(data + sp[2].at, sp[2].len);
    i->private_b64 = dup_or_null(json_string_value(json_object_get(r, "private")));
    json_t *deps = json_object_get(r, "dependencies");
    size_t k;
    json_t *d;
    json_array_foreach(deps, k, d) {
        if (json_is_string(d))
            state_instance_add_dep(i, json_string_value(d));
    }
    const char *st = json_string_value(json_object_get(r, "status"));
    i->status = st && !strcmp(st, "tainted") ? STATE_STATUS_TAINTED : STATE_STATUS_OK;
    i->create_before_destroy = json_is_true(json_object_get(r, "create_before_destroy"));
    i->created = json_integer_value(json_object_get(r, "created"));
    *out = i;
    i = NULL;
fail:
    state_instance_free(i);
    json_decref(r);
    return rc;
}
