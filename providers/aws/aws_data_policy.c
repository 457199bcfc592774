/*
 * providers/aws/aws_data_policy.c — the aws_iam_policy_document data
 * source: an IAM policy document built locally (no API call) from
 * statement blocks and merged with source and override documents, with
 * the JSON Terraform's AWS provider (v5) writes, byte for byte.
 *
 * The rules it follows, as Terraform documents and produces them:
 *   - the document is Version, Id, Statement; a statement is Sid, Effect,
 *     Action, NotAction, Resource, NotResource, Principal, NotPrincipal,
 *     Condition; empty members are left out (an empty Sid too);
 *   - the sets (actions, not_actions, resources, not_resources, principal
 *     identifiers) are sorted in reverse byte order; condition values keep
 *     their order; any list of one element is written as a bare string;
 *   - principals and conditions are maps: keys sorted, the identifiers or
 *     values of blocks with the same key appended; a lone principal of
 *     type "*" with identifier "*" is written "Principal": "*";
 *   - &{...} becomes ${...} in resources, principals and condition values;
 *   - merge order: source_policy_documents (Sids unique across them), the
 *     statements of the configuration, then override_policy_documents; a
 *     statement with a Sid replaces the earlier one with that Sid, others
 *     are appended; a later Id wins, the greater Version wins;
 *   - json is indented by two spaces, minified_json has no whitespace;
 *     strings are escaped as Go's encoding/json does (<, >, & and U+2028/9
 *     as \u escapes); id is the CRC-32 of json in decimal.
 *
 * What must stay true: the output depends only on the configuration (no
 * call, no clock), and every size is bounded (PD_MAX_JSON, PD_MAX_DEPTH).
 */
#include "providers/aws/aws_resource.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))
/* Largest document written or read (bytes); IAM's own limits are far lower. */
#define PD_MAX_JSON (4u * 1024 * 1024)
/* Deepest JSON nesting written back from a source document. */
#define PD_MAX_DEPTH 64
#define PD_VERSION_DEFAULT "2012-10-17"

#pragma GCC visibility push(hidden)
extern const prov_schema aws_data_policy_schema;
int aws_data_policy_read(prov_instance *p, const prov_call *c, val config, val *state,
                         prov_diag *d);
#pragma GCC visibility pop

/* ================================================================ schema */

static const prov_attr principal_attrs[] = {
    {"identifiers", "set(string)", PROV_REQUIRED, NULL, "Principal ARNs, services, ..."},
    {"type", "string", PROV_REQUIRED, NULL, "AWS, Service, Federated, CanonicalUser or *."},
};
static const prov_schema principal_schema = {principal_attrs, NELEM(principal_attrs),
                                             NULL, 0};

static const prov_attr condition_attrs[] = {
    {"test", "string", PROV_REQUIRED, NULL, "Condition operator (StringLike, ...)."},
    {"values", "list(string)", PROV_REQUIRED, NULL, "Values, any of which matches."},
    {"variable", "string", PROV_REQUIRED, NULL, "Context key (aws:SourceArn, ...)."},
};
static const prov_schema condition_schema = {condition_attrs, NELEM(condition_attrs),
                                             NULL, 0};

static const prov_attr statement_attrs[] = {
    {"actions", "set(string)", PROV_OPTIONAL, NULL, "Actions allowed or denied."},
    {"effect", "string", PROV_OPTIONAL, "\"Allow\"", "Allow or Deny."},
    {"not_actions", "set(string)", PROV_OPTIONAL, NULL, "Actions it does not apply to."},
    {"not_resources", "set(string)", PROV_OPTIONAL, NULL, "Resources it does not apply to."},
    {"resources", "set(string)", PROV_OPTIONAL, NULL, "Resource ARNs."},
    {"sid", "string", PROV_OPTIONAL, NULL, "Statement id (letters and digits)."},
};
static const prov_block statement_blocks[] = {
    {"condition", PROV_NEST_SET, 0, 0, 0, &condition_schema},
    {"not_principals", PROV_NEST_SET, 0, 0, 0, &principal_schema},
    {"principals", PROV_NEST_SET, 0, 0, 0, &principal_schema},
};
static const prov_schema statement_schema = {statement_attrs, NELEM(statement_attrs),
                                             statement_blocks, NELEM(statement_blocks)};

static const prov_attr policy_attrs[] = {
    {"id", "string", PROV_COMPUTED, NULL, "CRC-32 of json."},
    {"json", "string", PROV_COMPUTED, NULL, "The document, indented."},
    {"minified_json", "string", PROV_COMPUTED, NULL, "The document without whitespace."},
    {"override_json", "string", PROV_OPTIONAL, NULL, "Deprecated, not used: must be empty."},
    {"override_policy_documents", "list(string)", PROV_OPTIONAL, NULL,
     "Documents merged last; their Sids replace earlier statements."},
    {"policy_id", "string", PROV_OPTIONAL, NULL, "Id of the document."},
    {"source_json", "string", PROV_OPTIONAL, NULL, "Deprecated, not used: must be empty."},
    {"source_policy_documents", "list(string)", PROV_OPTIONAL, NULL,
     "Documents merged first; Sids must be unique across them."},
    {"version", "string", PROV_OPTIONAL, "\"" PD_VERSION_DEFAULT "\"",
     "2008-10-17 or 2012-10-17."},
};
static const prov_block policy_blocks[] = {
    {"statement", PROV_NEST_LIST, 0, 0, 0, &statement_schema},
};
const prov_schema aws_data_policy_schema = {policy_attrs, NELEM(policy_attrs), policy_blocks,
                                            NELEM(policy_blocks)};

/* ================================================================ model */

/* A principal or a condition entry: key (type; or test and variable) and
 * its identifiers or values, a JSON string or array of strings. */
typedef struct pd_entry {
    char *key, *var;
    json_t *vals;
} pd_entry;

typedef struct pd_entries {
    pd_entry *v;
    size_t n;
    int set;              /* present (an empty principal set is still written) */
} pd_entries;

typedef struct pd_stmt {
    char *sid, *effect;
    json_t *action, *not_action, *resource, *not_resource;   /* NULL: absent */
    pd_entries principal, not_principal, condition;
} pd_stmt;

/* A document; statements are borrowed from the pd_ctx that owns them. */
typedef struct pd_doc {
    char *version, *id;
    pd_stmt **st;
    size_t n, cap;
} pd_doc;

/* Everything a read allocates, freed at once. */
typedef struct pd_ctx {
    pd_stmt **all;
    size_t n, cap;
    prov_diag *d;
} pd_ctx;

static pd_stmt *stmt_new(pd_ctx *x)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 16;
        x->all = xrealloc(x->all, x->cap * sizeof *x->all);
    }
    return x->all[x->n++] = xcalloc(1, sizeof(pd_stmt));
}

static void entries_free(pd_entries *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].key);
        free(e->v[i].var);
        json_decref(e->v[i].vals);
    }
    free(e->v);
}

static void ctx_free(pd_ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        pd_stmt *s = x->all[i];
        free(s->sid);
        free(s->effect);
        json_decref(s->action);
        json_decref(s->not_action);
        json_decref(s->resource);
        json_decref(s->not_resource);
        entries_free(&s->principal);
        entries_free(&s->not_principal);
        entries_free(&s->condition);
        free(s);
    }
    free(x->all);
}

static void entry_add(pd_entries *e, const char *key, const char *var, json_t *vals)
{
    e->v = xrealloc(e->v, (e->n + 1) * sizeof *e->v);
    e->v[e->n++] = (pd_entry){xstrdup(key), var ? xstrdup(var) : NULL, vals};
    e->set = 1;
}

static void doc_append(pd_doc *doc, pd_stmt *s)
{
    if (doc->n == doc->cap) {
        doc->cap = doc->cap ? 2 * doc->cap : 8;
        doc->st = xrealloc(doc->st, doc->cap * sizeof *doc->st);
    }
    doc->st[doc->n++] = s;
}

static void doc_free(pd_doc *doc)
{
    free(doc->version);
    free(doc->id);
    free(doc->st);
}

static int sid_empty(const pd_stmt *s)
{
    return !s->sid || !*s->sid;
}

/* Merge add into into: add's Id wins when set, the greater Version wins,
 * a statement with a Sid replaces into's statement with that Sid, others
 * are appended. */
static void doc_merge(pd_doc *into, const pd_doc *add)
{
    if (add->id && *add->id) {
        free(into->id);
        into->id = xstrdup(add->id);
    }
    if (add->version && (!into->version || strcmp(add->version, into->version) > 0)) {
        free(into->version);
        into->version = xstrdup(add->version);
    }
    for (size_t i = 0; i < add->n; i++) {
        pd_stmt *s = add->st[i];
        size_t k = into->n;
        for (size_t j = 0; !sid_empty(s) && j < into->n; j++)
            if (into->st[j]->sid && strcmp(into->st[j]->sid, s->sid) == 0) {
                k = j;
                break;
            }
        if (k < into->n)
            into->st[k] = s;
        else
            doc_append(into, s);
    }
}

/* ================================================================ JSON writing */

typedef struct pbuf {
    char *p;
    size_t n, cap;
    int over;             /* PD_MAX_JSON reached */
} pbuf;

static void put(pbuf *b, const char *s, size_t n)
{
    if (b->over || b->n + n + 1 > PD_MAX_JSON) {
        b->over = 1;
        return;
    }
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap)
            b->cap = b->cap ? 2 * b->cap : 1024;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(pbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid;
 * *cp receives the code point. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    unsigned min = len == 4 ? 0x10000 : len == 3 ? 0x800 : 0x80;
    if (len == 0 || len > n || s[0] > 0xF4)
        return 0;
    unsigned c = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* A JSON string as Go's encoding/json writes it (HTML-safe escapes,
 * U+2028/U+2029 escaped, invalid UTF-8 as U+FFFD). */
static void put_str(pbuf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    put(b, "\"", 1);
    for (size_t i = 0; i < n;) {
        unsigned char ch = s[i];
        if (ch < 0x80) {
            char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
            size_t el = 2;
            switch (ch) {
            case '"': esc[1] = '"'; break;
            case '\\': esc[1] = '\\'; break;
            case '\b': esc[1] = 'b'; break;
            case '\f': esc[1] = 'f'; break;
            case '\n': esc[1] = 'n'; break;
            case '\r': esc[1] = 'r'; break;
            case '\t': esc[1] = 't'; break;
            default:
                if (ch >= 0x20 && ch != '<' && ch != '>' && ch != '&') {
                    put(b, (const char *)&s[i], 1);
                    i++;
                    continue;
                }
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[ch >> 4];
                esc[5] = hex[ch & 0xF];
                el = 6;
            }
            put(b, esc, el);
            i++;
            continue;
        }
        unsigned cp = 0;
        size_t len = utf8_len(s + i, n - i, &cp);
        if (len == 0) {
            puts_(b, "\\ufffd");
            i++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            puts_(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
            i += len;
        } else {
            put(b, (const char *)&s[i], len);
            i += len;
        }
    }
    put(b, "\"", 1);
}

/* A number as Go writes a float64: shortest digits that read back the
 * same, exponent form below 1e-6 and from 1e21 (e-07 written e-7). */
static void put_num(pbuf *b, double v)
{
    char buf[64];
    if (!isfinite(v)) {
        puts_(b, "null");
        return;
    }
    double a = fabs(v);
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (a != 0 && (a < 1e-6 || a >= 1e21)) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
        char *e = strchr(buf, 'e');
        char mant[40];
        snprintf(mant, sizeof mant, "%.*s", (int)(e - buf), buf);
        int ex = atoi(e + 1);
        /* Go writes at least two exponent digits, then drops the 0 of e-07 */
        snprintf(buf, sizeof buf, "%se%c%s%d", mant, ex < 0 ? '-' : '+',
                 ex >= 0 && ex < 10 ? "0" : "", ex < 0 ? -ex : ex);
    } else {
        int ex = (int)floor(log10(a ? a : 1));
        int dec = prec - 1 - ex;
        snprintf(buf, sizeof buf, "%.*f", dec > 0 ? dec : 0, v);
    }
    puts_(b, buf);
}

static void newline(pbuf *b, int ind, int depth)
{
    if (!ind)
        return;
    put(b, "\n", 1);
    for (int i = 0; i < depth; i++)
        put(b, "  ", 2);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Write v.  Objects are maps written with sorted keys (as Go writes maps),
 * except at depth 0 (the document) and depth 2 (statements), whose keys
 * are already in the struct order. */
static void put_json(pbuf *b, const json_t *v, int ind, int depth)
{
    if (depth > PD_MAX_DEPTH) {
        b->over = 1;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), k = 0;
        const char **keys = xcalloc(n + 1, sizeof *keys);
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)v, key, val)
            keys[k++] = key;
        if (depth != 0 && depth != 2)
            qsort(keys, n, sizeof *keys, key_cmp);
        put(b, "{", 1);
        for (size_t i = 0; i < n; i++) {
            if (i)
                put(b, ",", 1);
            newline(b, ind, depth + 1);
            put_str(b, keys[i], strlen(keys[i]));
            put(b, ind ? ": " : ":", ind ? 2 : 1);
            put_json(b, json_object_get(v, keys[i]), ind, depth + 1);
        }
        if (n)
            newline(b, ind, depth);
        put(b, "}", 1);
        free(keys);
        break;
    }
    case JSON_ARRAY:
        put(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                put(b, ",", 1);
            newline(b, ind, depth + 1);
            put_json(b, json_array_get(v, i), ind, depth + 1);
        }
        if (json_array_size(v))
            newline(b, ind, depth);
        put(b, "]", 1);
        break;
    case JSON_STRING:
        put_str(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        put_num(b, (double)json_integer_value(v));
        break;
    case JSON_REAL:
        put_num(b, json_real_value(v));
        break;
    case JSON_TRUE:
        puts_(b, "true");
        break;
    case JSON_FALSE:
        puts_(b, "false");
        break;
    default:
        puts_(b, "null");
        break;
    }
}

/* ================================================================ building the output */

static int str_rcmp(const void *a, const void *b)
{
    return -strcmp(json_string_value(*(json_t *const *)a),
                   json_string_value(*(json_t *const *)b));
}

/* Sort an array of strings in reverse byte order, in place. */
static void sort_reverse(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, str_rcmp);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
}

/* The Principal (or NotPrincipal) value of e: a map of type to identifiers,
 * blocks of one type appended; a lone {"*": "*"} is "*". */
static json_t *principal_json(const pd_entries *e)
{
    if (e->n == 1 && strcmp(e->v[0].key, "*") == 0) {
        const json_t *ids = e->v[0].vals;
        const json_t *one = json_is_array(ids) && json_array_size(ids) == 1
                                ? json_array_get(ids, 0) : ids;
        if (json_is_string(one) && strcmp(json_string_value(one), "*") == 0)
            return json_string("*");
    }
    json_t *raw = json_object();
    for (size_t i = 0; i < e->n; i++) {
        json_t *cur = json_object_get(raw, e->v[i].key), *ids = e->v[i].vals;
        if (json_is_array(ids)) {
            json_t *arr = json_is_array(cur) ? json_incref(cur) : json_array();
            if (json_is_string(cur))
                json_array_append(arr, cur);
            json_t *sorted = json_deep_copy(ids);
            sort_reverse(sorted);
            json_array_extend(arr, sorted);
            json_decref(sorted);
            json_object_set_new(raw, e->v[i].key, arr);
        } else if (!cur) {
            json_object_set(raw, e->v[i].key, ids);
        } else if (json_is_string(cur)) {
            json_t *arr = json_array();
            json_array_append(arr, cur);
            json_array_append(arr, ids);
            json_object_set_new(raw, e->v[i].key, arr);
        } else {
            json_array_append(cur, ids);
        }
    }
    return raw;
}

/* The Condition value of e: test -> variable -> values, blocks with the
 * same test and variable appended, one value written bare. */
static json_t *condition_json(const pd_entries *e)
{
    json_t *raw = json_object();
    for (size_t i = 0; i < e->n; i++) {
        json_t *t = json_object_get(raw, e->v[i].key);
        if (!t) {
            t = json_object();
            json_object_set_new(raw, e->v[i].key, t);
        }
        json_t *vals = json_object_get(t, e->v[i].var);
        if (!vals) {
            vals = json_array();
            json_object_set_new(t, e->v[i].var, vals);
        }
        if (json_is_array(e->v[i].vals))
            json_array_extend(vals, e->v[i].vals);
        else
            json_array_append(vals, e->v[i].vals);
    }
    const char *tk, *vk;
    json_t *tv, *vv;
    json_object_foreach(raw, tk, tv) {
        json_object_foreach(tv, vk, vv) {
            if (json_array_size(vv) == 1)
                json_object_set(tv, vk, json_array_get(vv, 0));
        }
    }
    return raw;
}

static json_t *stmt_json(const pd_stmt *s)
{
    json_t *o = json_object();
    if (s->sid && *s->sid)
        json_object_set_new(o, "Sid", json_string(s->sid));
    if (s->effect && *s->effect)
        json_object_set_new(o, "Effect", json_string(s->effect));
    const struct {
        const char *k;
        json_t *v;
    } any[] = {{"Action", s->action}, {"NotAction", s->not_action},
               {"Resource", s->resource}, {"NotResource", s->not_resource}};
    for (size_t i = 0; i < NELEM(any); i++)
        if (any[i].v)
            json_object_set(o, any[i].k, any[i].v);
    if (s->principal.n)
        json_object_set_new(o, "Principal", principal_json(&s->principal));
    if (s->not_principal.n)
        json_object_set_new(o, "NotPrincipal", principal_json(&s->not_principal));
    if (s->condition.n)
        json_object_set_new(o, "Condition", condition_json(&s->condition));
    return o;
}

static json_t *doc_json(const pd_doc *doc)
{
    json_t *o = json_object();
    if (doc->version && *doc->version)
        json_object_set_new(o, "Version", json_string(doc->version));
    if (doc->id && *doc->id)
        json_object_set_new(o, "Id", json_string(doc->id));
    if (doc->n) {
        json_t *arr = json_array();
        for (size_t i = 0; i < doc->n; i++)
            json_array_append_new(arr, stmt_json(doc->st[i]));
        json_object_set_new(o, "Statement", arr);
    }
    return o;
}

/* CRC-32 (IEEE 802.3, reflected), the hash Terraform's id is made of. */
static uint32_t crc32_ieee(const char *s, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* ================================================================ source documents */

/* The member of o whose name equals name ignoring case (Go's field
 * matching; the last such member wins). */
static json_t *member(const json_t *o, const char *name)
{
    const char *k;
    json_t *v, *hit = NULL;
    json_object_foreach((json_t *)o, k, v)
        if (strcasecmp(k, name) == 0)
            hit = v;
    return hit && !json_is_null(hit) ? hit : NULL;
}

/* A string member into *out (owned); an error for other types. */
static int member_str(const json_t *o, const char *name, char **out, const char *where,
                      pd_ctx *x)
{
    json_t *v = member(o, name);
    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_string(v))
        return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                        "%s: %s is not a string", where, name);
    *out = xstrdup(json_string_value(v));
    return 0;
}

/* Principal of a source statement: "*" (any string), or a map of type to
 * a string or a list of strings (sorted, as Terraform reads it). */
static int src_principals(const json_t *v, pd_entries *out, const char *where, pd_ctx *x)
{
    if (json_is_string(v)) {
        json_t *star = json_array();
        json_array_append_new(star, json_string("*"));
        entry_add(out, "*", NULL, star);
        return 0;
    }
    if (!json_is_object(v))
        return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                        "%s: unsupported data type for a principal", where);
    const char *k;
    json_t *ids;
    json_object_foreach((json_t *)v, k, ids) {
        if (json_is_string(ids)) {
            entry_add(out, k, NULL, json_incref(ids));
            continue;
        }
        for (size_t i = 0; json_is_array(ids) && i < json_array_size(ids); i++)
            if (!json_is_string(json_array_get(ids, i)))
                return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                                "%s: identifier %zu of principal type \"%s\" must be a "
                                "string", where, i, k);
        if (!json_is_array(ids))
            return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                            "%s: unsupported data type for the identifiers of \"%s\"",
                            where, k);
        json_t *copy = json_deep_copy(ids);
        sort_reverse(copy);          /* the writer reverses again as it appends */
        entry_add(out, k, NULL, copy);
    }
    out->set = 1;
    return 0;
}

/* Condition of a source statement: test -> variable -> a string, a bool
 * (read as "true"/"false") or a list of strings; other values are
 * dropped, as Terraform drops them. */
static int src_conditions(const json_t *v, pd_entries *out, const char *where, pd_ctx *x)
{
    if (!json_is_object(v))
        return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                        "%s: Condition is not an object", where);
    const char *tk, *vk;
    json_t *tv, *vv;
    json_object_foreach((json_t *)v, tk, tv) {
        if (json_is_null(tv))
            continue;
        if (!json_is_object(tv))
            return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                            "%s: Condition \"%s\" is not an object", where, tk);
        json_object_foreach(tv, vk, vv) {
            if (json_is_string(vv) || json_is_boolean(vv)) {
                json_t *s = json_is_string(vv) ? json_incref(vv)
                                               : json_string(json_is_true(vv) ? "true"
                                                                              : "false");
                entry_add(out, tk, vk, s);
            } else if (json_is_array(vv)) {
                for (size_t i = 0; i < json_array_size(vv); i++)
                    if (!json_is_string(json_array_get(vv, i)))
                        return aws_fail(x->d, CAIRN_EINVAL, NULL,
                                        "writing IAM Policy Document", "%s: value %zu of "
                                        "condition %s %s must be a string", where, i, tk, vk);
                entry_add(out, tk, vk, json_incref(vv));
            }
        }
    }
    return 0;
}

static int src_stmt(const json_t *o, pd_stmt *s, const char *where, pd_ctx *x)
{
    if (!json_is_object(o))
        return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                        "%s: a statement is not an object", where);
    int rc = member_str(o, "Sid", &s->sid, where, x);
    if (rc == 0)
        rc = member_str(o, "Effect", &s->effect, where, x);
    json_t **anys[] = {&s->action, &s->not_action, &s->resource, &s->not_resource};
    static const char *const names[] = {"Action", "NotAction", "Resource", "NotResource"};
    for (size_t i = 0; rc == 0 && i < NELEM(anys); i++) {
        json_t *v = member(o, names[i]);
        *anys[i] = v ? json_incref(v) : NULL;
    }
    json_t *v = member(o, "Principal");
    if (rc == 0 && v)
        rc = src_principals(v, &s->principal, where, x);
    v = member(o, "NotPrincipal");
    if (rc == 0 && v)
        rc = src_principals(v, &s->not_principal, where, x);
    v = member(o, "Condition");
    if (rc == 0 && v)
        rc = src_conditions(v, &s->condition, where, x);
    return rc;
}

/* Parse document text (what = "source" or "override", index i) into doc. */
static int src_doc(const char *text, const char *what, size_t i, pd_doc *doc, pd_ctx *x)
{
    char where[64];
    snprintf(where, sizeof where, "merging %s document %zu", what, i);
    json_error_t je;
    if (strlen(text) > PD_MAX_JSON)
        return aws_fail(x->d, CAIRN_ELIMIT, NULL, "writing IAM Policy Document",
                        "%s: larger than %u bytes", where, PD_MAX_JSON);
    json_t *root = json_loads(text, JSON_DECODE_ANY, &je);
    if (!root)
        return aws_fail(x->d, CAIRN_EINVAL, NULL, "Invalid JSON policy document",
                        "%s_policy_documents.%zu contains an invalid JSON: %s", what, i,
                        je.text);
    int rc = 0;
    if (!json_is_object(root))
        rc = aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                      "%s: the document is not a JSON object", where);
    if (rc == 0)
        rc = member_str(root, "Version", &doc->version, where, x);
    if (rc == 0)
        rc = member_str(root, "Id", &doc->id, where, x);
    json_t *sts = rc == 0 ? member(root, "Statement") : NULL;
    if (sts && !json_is_array(sts))
        rc = aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                      "%s: Statement is not a list", where);
    for (size_t k = 0; rc == 0 && sts && k < json_array_size(sts); k++) {
        pd_stmt *s = stmt_new(x);
        rc = src_stmt(json_array_get(sts, k), s, where, x);
        doc_append(doc, s);
    }
    json_decref(root);
    return rc;
}

/* ================================================================ the configuration */

/* &{ -> ${ in s (owned result); an error in version 2008-10-17. */
static int replace_vars(const char *s, const char *version, const char *what, char **out,
                        pd_ctx *x)
{
    *out = NULL;
    if (strcmp(version, "2008-10-17") == 0 && strstr(s, "&{"))
        return aws_fail(x->d, CAIRN_EINVAL, NULL, "writing IAM Policy Document",
                        "reading %s: found &{ sequence in (%s), which is not supported in "
                        "document version 2008-10-17", what, s);
    char *r = xstrdup(s);
    for (char *q = strstr(r, "&{"); q; q = strstr(q + 2, "&{"))
        *q = '$';
    *out = r;
    return 0;
}

/* A set or list attribute as Terraform decodes it: NULL when empty (set
 * only), one string bare, several as an array — sorted in reverse for sets
 * (before &{ is replaced), in order for lists; &{ replaced when vars. */
static int config_strings(const val *v, int is_set, int vars, const char *version,
                          const char *what, json_t **out, pd_ctx *x)
{
    *out = NULL;
    size_t n = v && !val_is_null(*v) ? val_len(*v) : 0;
    if (n == 0 && is_set)
        return 0;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const val *e = val_at(*v, i);
        json_array_append_new(arr, json_string(val_kind(*e) == VAL_STRING
                                                   ? val_get_string(*e) : ""));
    }
    if (is_set)
        sort_reverse(arr);
    for (size_t i = 0; vars && i < json_array_size(arr); i++) {
        char *r = NULL;
        int rc = replace_vars(json_string_value(json_array_get(arr, i)), version, what, &r, x);
        if (rc < 0) {
            json_decref(arr);
            return rc;
        }
        json_array_set_new(arr, i, json_string(r));
        free(r);
    }
    if (json_array_size(arr) == 1) {
        *out = json_incref(json_array_get(arr, 0));
        json_decref(arr);
    } else {
        *out = arr;
    }
    return 0;
}

/* principals / not_principals blocks of a statement. */
static int config_principals(const val *blocks, const char *version, const char *what,
                             pd_entries *out, pd_ctx *x)
{
    for (size_t i = 0; blocks && !val_is_null(*blocks) && i < val_len(*blocks); i++) {
        const val *b = val_at(*blocks, i);
        const char *type = aws_arg_str(*b, "type");
        json_t *ids = NULL;
        int rc = config_strings(val_lookup(*b, "identifiers"), 0, 1, version, what, &ids, x);
        if (rc < 0)
            return rc;
        if (json_is_array(ids))
            sort_reverse(ids);
        entry_add(out, type ? type : "", NULL, ids);
    }
    return 0;
}

static int config_conditions(const val *blocks, const char *version, pd_entries *out,
                             pd_ctx *x)
{
    for (size_t i = 0; blocks && !val_is_null(*blocks) && i < val_len(*blocks); i++) {
        const val *b = val_at(*blocks, i);
        const char *test = aws_arg_str(*b, "test"), *var = aws_arg_str(*b, "variable");
        json_t *vals = NULL;
        int rc = config_strings(val_lookup(*b, "values"), 0, 1, version, "condition",
                                &vals, x);
        if (rc < 0)
            return rc;
        entry_add(out, test ? test : "", var ? var : "", vals);
    }
    return 0;
}

static int config_stmt(val b, const char *version, pd_stmt *s, pd_ctx *x)
{
    const char *sid = aws_arg_str(b, "sid"), *effect = aws_arg_str(b, "effect");
    s->sid = sid ? xstrdup(sid) : NULL;
    s->effect = xstrdup(effect ? effect : "Allow");
    int rc = config_strings(val_lookup(b, "actions"), 1, 0, version, "actions", &s->action, x);
    if (rc == 0)
        rc = config_strings(val_lookup(b, "not_actions"), 1, 0, version, "not_actions",
                            &s->not_action, x);
    if (rc == 0)
        rc = config_strings(val_lookup(b, "resources"), 1, 1, version, "resources",
                            &s->resource, x);
    if (rc == 0)
        rc = config_strings(val_lookup(b, "not_resources"), 1, 1, version, "not_resources",
                            &s->not_resource, x);
    if (rc == 0)
        rc = config_principals(val_lookup(b, "principals"), version, "principals",
                               &s->principal, x);
    if (rc == 0)
        rc = config_principals(val_lookup(b, "not_principals"), version, "not_principals",
                               &s->not_principal, x);
    if (rc == 0)
        rc = config_conditions(val_lookup(b, "condition"), version, &s->condition, x);
    return rc;
}

/* Schema validations Terraform makes: version, effect, sid, the two
 * deprecated arguments. */
static int validate(val cfg, pd_ctx *x)
{
    const char *v = aws_arg_str(cfg, "version");
    if (v && strcmp(v, "2008-10-17") != 0 && strcmp(v, "2012-10-17") != 0)
        return aws_fail(x->d, CAIRN_EINVAL, "version", "Invalid version",
                        "expected version to be one of [\"2008-10-17\" \"2012-10-17\"], "
                        "got %s", v);
    static const char *const gone[] = {"source_json", "override_json"};
    for (size_t i = 0; i < NELEM(gone); i++) {
        const char *s = aws_arg_str(cfg, gone[i]);
        if (s && *s)
            return aws_fail(x->d, CAIRN_EINVAL, gone[i], "Unsupported argument",
                            "expected \"%s\" to be an empty string: it is not used; use "
                            "%s_policy_documents", gone[i], i ? "override" : "source");
    }
    const val *sts = aws_arg(cfg, "statement");
    for (size_t i = 0; sts && i < val_len(*sts); i++) {
        const char *e = aws_arg_str(*val_at(*sts, i), "effect");
        const char *sid = aws_arg_str(*val_at(*sts, i), "sid");
        if (e && strcmp(e, "Allow") != 0 && strcmp(e, "Deny") != 0)
            return aws_fail(x->d, CAIRN_EINVAL, "effect", "Invalid effect",
                            "expected statement.%zu.effect to be one of [\"Allow\" \"Deny\"], "
                            "got %s", i, e);
        for (const char *c = sid; c && *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9')))
                return aws_fail(x->d, CAIRN_EINVAL, "sid", "Invalid sid",
                                "statement.%zu.sid must only include alphanumeric "
                                "characters, got \"%s\"", i, sid);
    }
    return 0;
}

/* The statements of the configuration as a document (Sids unique). */
static int config_doc(val cfg, pd_doc *doc, pd_ctx *x)
{
    const char *version = aws_arg_str(cfg, "version");
    doc->version = xstrdup(version ? version : PD_VERSION_DEFAULT);
    const char *pid = aws_arg_str(cfg, "policy_id");
    doc->id = pid ? xstrdup(pid) : NULL;
    const val *sts = aws_arg(cfg, "statement");
    int rc = 0;
    for (size_t i = 0; rc == 0 && sts && i < val_len(*sts); i++) {
        const val *b = val_at(*sts, i);
        const char *sid = aws_arg_str(*b, "sid");
        for (size_t j = 0; sid && *sid && j < doc->n; j++)
            if (doc->st[j]->sid && strcmp(doc->st[j]->sid, sid) == 0)
                return aws_fail(x->d, CAIRN_EINVAL, "sid", "writing IAM Policy Document",
                                "duplicate Sid (%s). Remove the Sid or ensure the Sid is "
                                "unique.", sid);
        pd_stmt *s = stmt_new(x);
        rc = config_stmt(*b, doc->version, s, x);
        doc_append(doc, s);
    }
    return rc;
}

/* source_policy_documents, merged in order into merged; Sids unique. */
static int merge_sources(val cfg, pd_doc *merged, pd_ctx *x)
{
    const val *srcs = aws_arg(cfg, "source_policy_documents");
    int rc = 0;
    for (size_t i = 0; rc == 0 && srcs && i < val_len(*srcs); i++) {
        const val *t = val_at(*srcs, i);
        if (val_is_null(*t) || val_kind(*t) != VAL_STRING)
            continue;
        pd_doc src = {0};
        rc = src_doc(val_get_string(*t), "source", i, &src, x);
        for (size_t k = 0; rc == 0 && k < src.n; k++) {
            const char *sid = src.st[k]->sid;
            int dup = 0;
            for (size_t j = 0; sid && *sid && j < merged->n; j++)
                dup |= merged->st[j]->sid && strcmp(merged->st[j]->sid, sid) == 0;
            for (size_t j = 0; sid && *sid && j < k; j++)
                dup |= src.st[j]->sid && strcmp(src.st[j]->sid, sid) == 0;
            if (dup)
                    rc = aws_fail(x->d, CAIRN_EINVAL, "source_policy_documents",
                                  "writing IAM Policy Document", "merging source document "
                                  "%zu: duplicate Sid (%s) in source_policy_documents "
                                  "(statement %zu). Remove the Sid or ensure Sids are "
                                  "unique.", i, sid, k);
        }
        if (rc == 0)
            doc_merge(merged, &src);
        doc_free(&src);
    }
    return rc;
}

static int merge_overrides(val cfg, pd_doc *merged, pd_ctx *x)
{
    const val *ovs = aws_arg(cfg, "override_policy_documents");
    int rc = 0;
    for (size_t i = 0; rc == 0 && ovs && i < val_len(*ovs); i++) {
        const val *t = val_at(*ovs, i);
        if (val_is_null(*t) || val_kind(*t) != VAL_STRING)
            continue;
        pd_doc ov = {0};
        rc = src_doc(val_get_string(*t), "override", i, &ov, x);
        if (rc == 0)
            doc_merge(merged, &ov);
        doc_free(&ov);
    }
    return rc;
}

int aws_data_policy_read(prov_instance *p, const prov_call *c, val cfg, val *state,
                         prov_diag *d)
{
    (void)p;
    (void)c;
    *state = val_invalid();
    if (!val_is_valid(cfg) || val_kind(cfg) != VAL_OBJECT || val_is_unknown(cfg))
        return aws_fail(d, CAIRN_EINVAL, NULL, "Invalid data source configuration",
                        "The configuration is not a known object.");
    pd_ctx x = {.d = d};
    pd_doc merged = {0}, own = {0};
    int rc = validate(cfg, &x);
    if (rc == 0)
        rc = merge_sources(cfg, &merged, &x);
    if (rc == 0)
        rc = config_doc(cfg, &own, &x);
    if (rc == 0) {
        doc_merge(&merged, &own);
        rc = merge_overrides(cfg, &merged, &x);
    }
    if (rc == 0) {
        json_t *j = doc_json(&merged);
        pbuf pretty = {0}, mini = {0};
        put_json(&pretty, j, 1, 0);
        put_json(&mini, j, 0, 0);
        json_decref(j);
        if (pretty.over || mini.over || !pretty.p || !mini.p) {
            rc = aws_fail(d, CAIRN_ELIMIT, NULL, "writing IAM Policy Document",
                          "the document is larger than %u bytes", PD_MAX_JSON);
        } else {
            char id[16];
            snprintf(id, sizeof id, "%lu", (unsigned long)crc32_ieee(pretty.p, pretty.n));
            val st = aws_state_str(val_copy(cfg), "json", pretty.p);
            st = aws_state_str(st, "minified_json", mini.p);
            *state = aws_state_str(st, "id", id);
        }
        free(pretty.p);
        free(mini.p);
    }
    doc_free(&merged);
    doc_free(&own);
    ctx_free(&x);
    return rc;
}
