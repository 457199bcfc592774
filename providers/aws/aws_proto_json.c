/*
 * providers/aws/aws_proto_json.c — helpers for REST-JSON (EKS) bodies and
 * responses with jansson.  Request bodies are json_t values the caller
 * builds (aws_request.json); responses are parsed by aws_call into
 * aws_response.json.  Paths are '.'-separated object keys.
 */
#include "providers/aws/aws_internal.h"

#include <string.h>

/* Longest key in a path. */
#define AWS_JSON_MAX_KEY 256

json_t *aws_json_path(const json_t *j, const char *path)
{
    const json_t *cur = j;
    const char *p = path ? path : "";
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        char key[AWS_JSON_MAX_KEY];
        if (l == 0 || l >= sizeof key)
            return NULL;
        memcpy(key, p, l);
        key[l] = 0;
        cur = json_object_get(cur, key);
        p += l;
        if (*p == '.')
            p++;
    }
    return (json_t *)cur;
}

const char *aws_json_str(const json_t *j, const char *path)
{
    return json_string_value(aws_json_path(j, path));
}

int aws_json_kvs(aws_kvlist *out, const json_t *obj)
{
    if (!obj)
        return 0;
    if (!json_is_object(obj))
        return err_set(CAIRN_EPROTO, "expected a JSON object of strings");
    const char *k;
    json_t *v;
    int n = 0;
    /* check everything first so that a bad object leaves out untouched */
    json_object_foreach((json_t *)obj, k, v) {
        if (!json_is_string(v))
            return err_set(CAIRN_EPROTO, "JSON value of \"%s\" is not a string", k);
    }
    json_object_foreach((json_t *)obj, k, v) {
        aws_kv_set(out, k, json_string_value(v));
        n++;
    }
    return n;
}

json_t *aws_json_from_kvs(const aws_kvlist *kvs)
{
    json_t *o = json_object();
    for (size_t i = 0; o && kvs && i < kvs->n; i++)
        json_object_set_new(o, kvs->items[i].key, json_string(kvs->items[i].value));
    return o;
}
