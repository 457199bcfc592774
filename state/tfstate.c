/*
 * state/tfstate.c — Terraform's state format version 4 (terraform.tfstate):
 * export of a workspace, and import that checks the whole document before
 * writing anything.
 *
 * Export writes fields in Terraform's order with two-space indentation:
 * version, terraform_version, serial, lineage, outputs, resources,
 * check_results; a resource is module?, mode, type, name, provider,
 * instances; an instance is index_key?, status?, deposed?, schema_version,
 * attributes, sensitive_attributes, private?, dependencies?,
 * create_before_destroy?.  Deposed objects go into their resource's
 * instances after its current ones.  Import refuses what cairn cannot
 * carry over (pre-0.12 flat attributes, other format versions) with a
 * message naming the resource.
 */
#include "state/internal.h"
#include "lang/val_json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

char *state__tfver(state_txn *x);

/* ---------------------------------------------------------------- export */

#define STATE_EXPORT_MAX_DEPTH 512

/* Write j as Go's json.MarshalIndent(v, "", "  ") does, which is how
 * Terraform writes state: keys in the order given, strings HTML-escaped
 * (<, >, & as \u003c...), numbers in their shortest round-trip form
 * without exponent (cty's), empty containers as {} and []. */
static int emit(strbuf *b, json_t *j, int indent)
{
    if (indent / 2 > STATE_EXPORT_MAX_DEPTH)
        return err_set(CAIRN_ELIMIT, "state JSON nested deeper than %d",
                       STATE_EXPORT_MAX_DEPTH);
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        if (json_object_size(j) == 0) {
            sb_puts(b, "{}");
            return 0;
        }
        sb_puts(b, "{\n");
        const char *k;
        json_t *v;
        size_t i = 0, n = json_object_size(j);
        json_object_foreach(j, k, v) {
            sb_printf(b, "%*s", indent + 2, "");
            val_json_quote(b, k, strlen(k));
            sb_puts(b, ": ");
            int rc = emit(b, v, indent + 2);
            if (rc != 0)
                return rc;
            sb_puts(b, ++i < n ? ",\n" : "\n");
        }
        sb_printf(b, "%*s}", indent, "");
        return 0;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        if (n == 0) {
            sb_puts(b, "[]");
            return 0;
        }
        sb_puts(b, "[\n");
        for (size_t i = 0; i < n; i++) {
            sb_printf(b, "%*s", indent + 2, "");
            int rc = emit(b, json_array_get(j, i), indent + 2);
            if (rc != 0)
                return rc;
            sb_puts(b, i + 1 < n ? ",\n" : "\n");
        }
        sb_printf(b, "%*s]", indent, "");
        return 0;
    }
    case JSON_STRING:
        val_json_quote(b, json_string_value(j), json_string_length(j));
        return 0;
    case JSON_INTEGER:
        sb_printf(b, "%lld", (long long)json_integer_value(j));
        return 0;
    case JSON_REAL: {
        char num[VAL_NUMBER_BUF];
        val_number_fmt(json_real_value(j), num, sizeof num);
        sb_puts(b, num);
        return 0;
    }
    case JSON_TRUE:
        sb_puts(b, "true");
        return 0;
    case JSON_FALSE:
        sb_puts(b, "false");
        return 0;
    case JSON_NULL:
        sb_puts(b, "null");
        return 0;
    }
    return 0;
}

struct exp {
    json_t *resources;
    json_t *cur;            /* current resource object */
    char *cur_key;          /* module|mode|type|name of cur */
    int err;
};

static json_t *parse_or_null(const char *text)
{
    json_error_t je;
    json_t *j = text ? json_loads(text, JSON_DECODE_ANY, &je) : NULL;
    return j;
}

static json_t *key_json(const state_key *k)
{
    if (k->kind == STATE_KEY_INT)
        return json_integer(k->i);
    if (k->kind == STATE_KEY_STR)
        return json_string(k->s);
    return NULL;
}

/* The exported resource object of a deposed object: the one its current
 * instances went into, else NULL. */
static json_t *find_resource(json_t *resources, const char *mod, const state_addr *a)
{
    size_t i;
    json_t *r;
    json_array_foreach(resources, i, r) {
        const char *m = json_string_value(json_object_get(r, "module"));
        if (!strcmp(m ? m : "", mod) &&
            !strcmp(json_string_value(json_object_get(r, "mode")), a->data ? "data" : "managed") &&
            !strcmp(json_string_value(json_object_get(r, "type")), a->type) &&
            !strcmp(json_string_value(json_object_get(r, "name")), a->name))
            return r;
    }
    return NULL;
}

/* Add the instance (deposed object dkey when not NULL) at addr. */
static int export_inst(struct exp *ex, const char *addr, const char *dkey,
                       const state_instance *inst)
{
    state_addr a;
    int rc = state_addr_parse(&a, addr);
    if (rc != 0)
        return rc;
    char *mod = state_addr_module_str(&a);
    char *rkey = xasprintf("%s|%d|%s|%s", mod, a.data, a.type, a.name);
    json_t *found = dkey ? find_resource(ex->resources, mod, &a) : NULL;
    if (found) {
        ex->cur = found;
    } else if (!ex->cur_key || strcmp(rkey, ex->cur_key) != 0) {
        json_t *r = json_object();
        if (*mod)
            json_object_set_new(r, "module", json_string(mod));
        json_object_set_new(r, "mode", json_string(a.data ? "data" : "managed"));
        json_object_set_new(r, "type", json_string(a.type));
        json_object_set_new(r, "name", json_string(a.name));
        json_object_set_new(r, "provider", json_string(inst->provider ? inst->provider : ""));
        json_object_set_new(r, "instances", json_array());
        json_array_append_new(ex->resources, r);
        ex->cur = r;
        free(ex->cur_key);
        ex->cur_key = rkey;
        rkey = NULL;
    }
    json_t *i = json_object();
    json_t *kj = key_json(&a.key);
    if (kj)
        json_object_set_new(i, "index_key", kj);
    if (inst->status == STATE_STATUS_TAINTED)
        json_object_set_new(i, "status", json_string("tainted"));
    if (dkey)
        json_object_set_new(i, "deposed", json_string(dkey));
    json_object_set_new(i, "schema_version", json_integer(inst->schema_version));
    json_t *attrs = parse_or_null(inst->attrs_json);
    json_object_set_new(i, "attributes", attrs ? attrs : json_object());
    json_t *sens = parse_or_null(inst->sensitive_json);
    json_object_set_new(i, "sensitive_attributes", sens ? sens : json_array());
    if (inst->private_b64)
        json_object_set_new(i, "private", json_string(inst->private_b64));
    if (inst->ndeps) {
        json_t *d = json_array();
        for (size_t k = 0; k < inst->ndeps; k++)
            json_array_append_new(d, json_string(inst->deps[k]));
        json_object_set_new(i, "dependencies", d);
    }
    if (inst->create_before_destroy)
        json_object_set_new(i, "create_before_destroy", json_true());
    json_array_append_new(json_object_get(ex->cur, "instances"), i);
    free(rkey);
    free(mod);
    state_addr_free(&a);
    return 0;
}

static int export_one(const char *addr, const state_instance *inst, void *payload)
{
    return export_inst(payload, addr, NULL, inst);
}

int state_tfstate_export(state_txn *x, char **out)
{
    *out = NULL;
    uint64_t serial = 0;
    char *lineage = NULL, *tfver = NULL, **names = NULL;
    size_t nnames = 0;
    struct exp ex = {json_array(), NULL, NULL, 0};
    json_t *doc = NULL, *outputs = json_object();
    int rc = state_serial(x, &serial);
    if (rc == 0)
        rc = state_lineage(x, &lineage);
    if (rc == 0)
        rc = state_output_list(x, &names, &nnames);
    for (size_t i = 0; rc == 0 && i < nnames; i++) {
        state_output o;
        rc = state_output_get(x, names[i], &o);
        if (rc != 0)
            break;
        json_t *oj = json_object();
        json_t *v = parse_or_null(o.value_json), *t = parse_or_null(o.type_json);
        json_object_set_new(oj, "value", v ? v : json_null());
        if (t)
            json_object_set_new(oj, "type", t);
        if (o.sensitive)
            json_object_set_new(oj, "sensitive", json_true());
        json_object_set_new(outputs, names[i], oj);
        state_output_clear(&o);
    }
    if (rc == 0)
        rc = state_each(x, NULL, export_one, &ex);
    state_deposed *dv = NULL;
    size_t nd = 0;
    if (rc == 0)
        rc = state_deposed_list(x, &dv, &nd);
    for (size_t i = 0; rc == 0 && i < nd; i++)
        rc = export_inst(&ex, dv[i].address, dv[i].key, dv[i].inst);
    state_deposed_free(dv, nd);
    if (rc != 0)
        goto fail;
    tfver = state__tfver(x);
    doc = json_object();
    json_object_set_new(doc, "version", json_integer(4));
    json_object_set_new(doc, "terraform_version", json_string(tfver));
    json_object_set_new(doc, "serial", json_integer((json_int_t)serial));
    json_object_set_new(doc, "lineage", json_string(lineage));
    json_object_set(doc, "outputs", outputs);
    json_object_set(doc, "resources", ex.resources);
    json_object_set_new(doc, "check_results", json_null());
    strbuf b = {0};
    rc = emit(&b, doc, 0);
    sb_putc(&b, '\n');
    *out = rc == 0 ? sb_take(&b) : NULL;
    sb_free(&b);
    if (rc == 0 && !*out)
        rc = err_set(CAIRN_ENOMEM, "encode state as JSON");
    if (rc != 0)
        goto fail;
fail:
    json_decref(doc);
    json_decref(outputs);
    json_decref(ex.resources);
    free(ex.cur_key);
    free(lineage);
    free(tfver);
    state_strv_free(names, nnames);
    return rc;
}

/* ---------------------------------------------------------------- import */

struct imp_inst {
    char *addr;
    char *dkey;             /* deposed object key, or NULL */
    state_instance *inst;
};

struct imp {
    struct imp_inst *v;
    size_t n, cap;
};

static void imp_free(struct imp *im)
{
    for (size_t i = 0; i < im->n; i++) {
        free(im->v[i].addr);
        free(im->v[i].dkey);
        state_instance_free(im->v[i].inst);
    }
    free(im->v);
}

static char *dumps_any(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    return s ? s : xstrdup("null");
}

static int bad(const char *where, const char *what)
{
    return err_set(CAIRN_EINVAL, "Error reading source state: %s: %s", where, what);
}

static int cmp_imp(const void *pa, const void *pb)
{
    const struct imp_inst *a = pa, *b = pb;
    int c = strcmp(a->addr, b->addr);
    return c ? c : strcmp(a->dkey ? a->dkey : "", b->dkey ? b->dkey : "");
}

/* Sort im by address and refuse an instance that appears twice (sorting
 * makes the check one pass: a state of 50,000 instances stays fast). */
static int imp_sort_unique(struct imp *im)
{
    if (im->n > 1)
        qsort(im->v, im->n, sizeof *im->v, cmp_imp);
    for (size_t i = 1; i < im->n; i++)
        if (!cmp_imp(&im->v[i - 1], &im->v[i]))
            return bad(im->v[i].addr, im->v[i].dkey ? "the same deposed object appears twice"
                                                    : "the same instance appears twice");
    return 0;
}


/* Build the instance address of resource r, instance ii. */
static int inst_addr(json_t *r, json_t *inst, const char *rlabel, char **out)
{
    const char *mod = json_string_value(json_object_get(r, "module"));
    const char *mode = json_string_value(json_object_get(r, "mode"));
    const char *type = json_string_value(json_object_get(r, "type"));
    const char *name = json_string_value(json_object_get(r, "name"));
    json_t *key = json_object_get(inst, "index_key");
    strbuf b = {0};
    if (mod && *mod) {
        sb_puts(&b, mod);
        sb_putc(&b, '.');
    }
    if (!strcmp(mode, "data"))
        sb_puts(&b, "data.");
    sb_printf(&b, "%s.%s", type, name);
    if (json_is_integer(key)) {
        if (json_integer_value(key) < 0) {
            sb_free(&b);
            return bad(rlabel, "negative index_key");
        }
        sb_printf(&b, "[%lld]", (long long)json_integer_value(key));
    } else if (json_is_string(key)) {
        state_key k = {STATE_KEY_STR, 0, (char *)json_string_value(key)};
        state_addr tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.has_resource = 1;
        tmp.type = "x";
        tmp.name = "y";
        tmp.key = k;
        char *ks = state_addr_str(&tmp);
        sb_puts(&b, ks + 3);   /* skip "x.y" */
        free(ks);
    } else if (key && !json_is_null(key)) {
        sb_free(&b);
        return bad(rlabel, "index_key must be a number or a string");
    }
    char *raw = sb_take(&b);
    if (!raw)
        return err_set(CAIRN_ENOMEM, "address");
    int rc = state__canon_instance(raw, out);
    if (rc != 0) {
        char why[1024];
        snprintf(why, sizeof why, "%s", err_msg());
        rc = bad(rlabel, why);
    }
    free(raw);
    return rc;
}

static int imp_instance(struct imp *im, json_t *r, json_t *ji, const char *rlabel)
{
    if (!json_is_object(ji))
        return bad(rlabel, "an instance must be an object");
    json_t *dep = json_object_get(ji, "deposed");
    const char *dkey = json_string_value(dep);
    if (dep && !json_is_null(dep) &&
        (!dkey || !*dkey || strlen(dkey) > STATE_DEPOSED_KEY_MAX ||
         strspn(dkey, "0123456789abcdef") != strlen(dkey)))
        return bad(rlabel, "deposed must be a key of 1 to 16 lowercase hex digits");
    if (json_object_get(ji, "attributes_flat") && !json_object_get(ji, "attributes"))
        return bad(rlabel, "it has flat (pre-0.12) attributes; upgrade the state with "
                   "terraform 0.12 or later first");
    json_t *attrs = json_object_get(ji, "attributes");
    if (!json_is_object(attrs))
        return bad(rlabel, "an instance needs an \"attributes\" object");
    json_t *sv = json_object_get(ji, "schema_version");
    if (sv && !json_is_integer(sv))
        return bad(rlabel, "schema_version must be a whole number");
    json_t *sens = json_object_get(ji, "sensitive_attributes");
    if (sens && !json_is_array(sens) && !json_is_null(sens))
        return bad(rlabel, "sensitive_attributes must be an array");
    json_t *priv = json_object_get(ji, "private");
    if (priv && !json_is_string(priv) && !json_is_null(priv))
        return bad(rlabel, "private must be a string");
    json_t *status = json_object_get(ji, "status");
    if (status && !json_is_null(status) &&
        !(json_is_string(status) && !strcmp(json_string_value(status), "tainted")))
        return bad(rlabel, "status must be \"tainted\" when present");
    json_t *deps = json_object_get(ji, "dependencies");
    if (deps && !json_is_array(deps) && !json_is_null(deps))
        return bad(rlabel, "dependencies must be an array");
    char *addr = NULL;
    int rc = inst_addr(r, ji, rlabel, &addr);
    if (rc != 0)
        return rc;
    state_instance *in = state_instance_new();
    in->type = xstrdup(json_string_value(json_object_get(r, "type")));
    in->provider = xstrdup(json_string_value(json_object_get(r, "provider")));
    in->schema_version = sv ? json_integer_value(sv) : 0;
    in->attrs_json = dumps_any(attrs);
    if (json_is_array(sens))
        in->sensitive_json = dumps_any(sens);
    if (json_is_string(priv))
        in->private_b64 = xstrdup(json_string_value(priv));
    in->status = status && json_is_string(status) ? STATE_STATUS_TAINTED : STATE_STATUS_OK;
    in->create_before_destroy = json_is_true(json_object_get(ji, "create_before_destroy"));
    size_t k;
    json_t *d;
    json_array_foreach(deps, k, d) {
        state_addr da;
        if (!json_is_string(d) || state_addr_parse(&da, json_string_value(d)) != 0) {
            state_instance_free(in);
            free(addr);
            return bad(rlabel, "dependencies must be resource addresses");
        }
        state_addr_free(&da);
        state_instance_add_dep(in, json_string_value(d));
    }
    if (im->n == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 64;
        im->v = xrealloc(im->v, im->cap * sizeof *im->v);
    }
    im->v[im->n].addr = addr;
    im->v[im->n].dkey = dkey ? xstrdup(dkey) : NULL;
    im->v[im->n].inst = in;
    im->n++;
    return 0;
}

static int imp_resource(struct imp *im, json_t *r, size_t idx)
{
    char label[64];
    snprintf(label, sizeof label, "resources[%zu]", idx);
    if (!json_is_object(r))
        return bad(label, "a resource must be an object");
    const char *mode = json_string_value(json_object_get(r, "mode"));
    const char *type = json_string_value(json_object_get(r, "type"));
    const char *name = json_string_value(json_object_get(r, "name"));
    const char *prov = json_string_value(json_object_get(r, "provider"));
    json_t *mod = json_object_get(r, "module");
    if (!mode || (strcmp(mode, "managed") && strcmp(mode, "data")))
        return bad(label, "mode must be \"managed\" or \"data\"");
    if (!type || !name)
        return bad(label, "a resource needs a type and a name");
    if (!prov)
        return bad(label, "a resource needs a provider");
    if (mod && !json_is_string(mod))
        return bad(label, "module must be a string");
    char *rl = xasprintf("%s%s%s%s.%s", mod ? json_string_value(mod) : "", mod ? "." : "",
                         !strcmp(mode, "data") ? "data." : "", type, name);
    json_t *insts = json_object_get(r, "instances");
    int rc = 0;
    if (!json_is_array(insts))
        rc = bad(rl, "a resource needs an \"instances\" array");
    size_t k;
    json_t *ji;
    json_array_foreach(insts, k, ji) {
        if (rc != 0)
            break;
        rc = imp_instance(im, r, ji, rl);
    }
    free(rl);
    return rc;
}

static int check_version(json_t *doc)
{
    json_t *v = json_object_get(doc, "version");
    if (!json_is_integer(v))
        return err_set(CAIRN_EINVAL, "Error reading source state: the file has no state "
                       "format \"version\"; is it a Terraform state file?");
    json_int_t n = json_integer_value(v);
    if (n > 4)
        return err_set(CAIRN_EINVAL, "Error reading source state: unsupported state format "
                       "version %lld: this file was written by a newer Terraform; cairn reads "
                       "version 4", (long long)n);
    if (n < 4)
        return err_set(CAIRN_EINVAL, "Error reading source state: state format version %lld "
                       "is too old; load and save it with Terraform 0.12 or later (version 4) "
                       "first", (long long)n);
    return 0;
}

/* Whether the store already holds exactly doc's resources and outputs. */
static int same_content(state_txn *x, json_t *doc, int *same)
{
    char *cur = NULL;
    *same = 0;
    int rc = state_tfstate_export(x, &cur);
    if (rc != 0)
        return rc;
    json_error_t je;
    json_t *c = json_loads(cur, 0, &je);
    free(cur);
    json_t *r1 = json_object_get(doc, "resources"), *o1 = json_object_get(doc, "outputs");
    json_t *e1 = json_array(), *e2 = json_object();
    *same = c && json_equal(r1 ? r1 : e1, json_object_get(c, "resources")) &&
            json_equal(o1 ? o1 : e2, json_object_get(c, "outputs"));
    json_decref(e1);
    json_decref(e2);
    json_decref(c);
    return 0;
}

static int check_lineage_serial(state_txn *x, json_t *doc, int force, int64_t *new_serial)
{
    const char *lin = json_string_value(json_object_get(doc, "lineage"));
    json_int_t ser = json_integer_value(json_object_get(doc, "serial"));
    uint64_t cur = 0;
    char *curlin = NULL;
    int empty = 0, rc = state_serial(x, &cur);
    if (rc == 0)
        rc = state_lineage(x, &curlin);
    if (rc == 0)
        rc = state__ws_is_empty(x, &empty);
    if (rc == 0 && !force && !empty) {
        if (strcmp(lin, curlin) != 0) {
            rc = err_set(CAIRN_EINVAL, "Failed to write state: cannot import state with "
                         "lineage \"%s\" over unrelated state with lineage \"%s\"", lin, curlin);
        } else if ((uint64_t)ser < cur) {
            rc = err_set(CAIRN_EINVAL, "Failed to write state: cannot import state with "
                         "serial %lld over newer state with serial %llu", (long long)ser,
                         (unsigned long long)cur);
        } else if ((uint64_t)ser == cur) {
            int same = 0;
            rc = same_content(x, doc, &same);
            if (rc == 0 && !same)
                rc = err_set(CAIRN_EINVAL, "Failed to write state: cannot overwrite existing "
                             "state with serial %llu with a different state that has the same "
                             "serial", (unsigned long long)cur);
        }
    }
    *new_serial = (uint64_t)ser > cur ? ser : (int64_t)cur + 1;
    free(curlin);
    return rc;
}

static void fix_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    double d = json_real_value(v);
    if (json_is_real(v) && d == (double)(json_int_t)d && d > -9e18 && d < 9e18)
        json_object_set_new(obj, key, json_integer((json_int_t)d));
}

static void fix_structural_ints(json_t *doc)
{
    fix_int(doc, "version");
    fix_int(doc, "serial");
    size_t i, k;
    json_t *r, *in;
    json_array_foreach(json_object_get(doc, "resources"), i, r) {
        json_array_foreach(json_object_get(r, "instances"), k, in) {
            fix_int(in, "index_key");
            fix_int(in, "schema_version");
        }
    }
}

/* Parse and check a whole v4 document; on success *doc and *im hold it. */
static int parse_doc(const char *text, size_t len, json_t **docp, struct imp *im)
{
    *docp = NULL;
    if (len > STATE_TFSTATE_MAX_SIZE)
        return err_set(CAIRN_ELIMIT, "Error reading source state: larger than %u bytes",
                       STATE_TFSTATE_MAX_SIZE);
    json_error_t je;
    json_t *doc = json_loadb(text, len, 0, &je);
    int rc = 0;
    if (!doc && json_error_code(&je) == json_error_numeric_overflow) {
        /* Numbers beyond 64-bit integers (Terraform writes big numbers
         * without exponent): read every number as a double instead, then
         * make the document's own whole-number fields integers again. */
        doc = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, &je);
        if (doc)
            fix_structural_ints(doc);
    }
    if (!doc)
        return err_set(CAIRN_EINVAL, "Error reading source state: the file is not valid JSON: "
                       "%s at line %d, column %d", je.text, je.line, je.column);
    if (!json_is_object(doc)) {
        rc = err_set(CAIRN_EINVAL, "Error reading source state: the top level must be a "
                     "JSON object");
        goto fail;
    }
    rc = check_version(doc);
    if (rc != 0)
        goto fail;
    json_t *lin = json_object_get(doc, "lineage"), *ser = json_object_get(doc, "serial");
    if (!json_is_string(lin) || !*json_string_value(lin) || !json_is_integer(ser) ||
        json_integer_value(ser) < 0) {
        rc = err_set(CAIRN_EINVAL, "Error reading source state: it needs a \"lineage\" "
                     "string and a non-negative \"serial\"");
        goto fail;
    }
    json_t *res = json_object_get(doc, "resources");
    if (res && !json_is_array(res) && !json_is_null(res)) {
        rc = err_set(CAIRN_EINVAL, "Error reading source state: \"resources\" must be an "
                     "array");
        goto fail;
    }
    size_t k;
    json_t *r;
    json_array_foreach(res, k, r) {
        rc = imp_resource(im, r, k);
        if (rc != 0)
            goto fail;
    }
    rc = imp_sort_unique(im);
    if (rc != 0)
        goto fail;
    json_t *outs = json_object_get(doc, "outputs");
    if (outs && !json_is_object(outs) && !json_is_null(outs)) {
        rc = err_set(CAIRN_EINVAL, "Error reading source state: \"outputs\" must be an object");
        goto fail;
    }
    const char *oname;
    json_t *o;
    json_object_foreach(outs, oname, o) {
        if (!json_is_object(o) || !json_object_get(o, "value")) {
            rc = err_set(CAIRN_EINVAL, "Error reading source state: output \"%s\" needs a "
                         "\"value\"", oname);
            goto fail;
        }
    }
    *docp = doc;
    return 0;
fail:
    json_decref(doc);
    return rc;
}

/* Delete the workspace's instances that im does not hold (im is sorted
 * by address text: imp_sort_unique). */
static int delete_missing(state_txn *x, struct imp *im)
{
    char **cur = NULL;
    size_t n = 0;
    int rc = state_list(x, NULL, &cur, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct imp_inst key = {cur[i], NULL, NULL};
        if (!bsearch(&key, im->v, im->n, sizeof *im->v, cmp_imp))
            rc = state_delete(x, cur[i]);
    }
    state_strv_free(cur, n);
    /* Deposed objects: the file's replace them all. */
    state_deposed *dv = NULL;
    size_t nd = 0;
    if (rc == 0)
        rc = state_deposed_list(x, &dv, &nd);
    for (size_t i = 0; rc == 0 && i < nd; i++)
        rc = state_deposed_delete(x, dv[i].address, dv[i].key);
    state_deposed_free(dv, nd);
    return rc;
}

int state_tfstate_validate(const char *text, size_t len)
{
    json_t *doc = NULL;
    struct imp im = {0};
    int rc = parse_doc(text, len, &doc, &im);
    imp_free(&im);
    json_decref(doc);
    return rc;
}

int state_tfstate_import(state_txn *x, const char *text, size_t len, int force)
{
    if (x->rdonly)
        return err_set(CAIRN_EINVAL, "state push needs a write transaction");
    struct imp im = {0};
    json_t *doc = NULL;
    int rc = parse_doc(text, len, &doc, &im);
    if (rc != 0)
        goto fail;
    json_t *lin = json_object_get(doc, "lineage"), *outs = json_object_get(doc, "outputs");
    const char *oname;
    json_t *o;
    int64_t new_serial = 0;
    rc = check_lineage_serial(x, doc, force, &new_serial);
    if (rc != 0)
        goto fail;
    /* Everything checked: now replace the workspace's contents.  Instances
     * the file does not have are deleted one by one, so history says so. */
    rc = delete_missing(x, &im);
    char **onames = NULL;
    size_t non = 0;
    if (rc == 0)
        rc = state_output_list(x, &onames, &non);
    for (size_t i = 0; rc == 0 && i < non; i++)
        if (!json_object_get(outs, onames[i]))
            rc = state_output_delete(x, onames[i]);
    state_strv_free(onames, non);
    for (size_t i = 0; rc == 0 && i < im.n; i++)
        rc = im.v[i].dkey ? state_deposed_put(x, im.v[i].addr, im.v[i].dkey, im.v[i].inst)
                          : state_put(x, im.v[i].addr, im.v[i].inst);
    json_object_foreach(outs, oname, o) {
        if (rc != 0)
            break;
        state_output so = {0};
        so.value_json = dumps_any(json_object_get(o, "value"));
        json_t *t = json_object_get(o, "type");
        so.type_json = t ? dumps_any(t) : NULL;
        so.sensitive = json_is_true(json_object_get(o, "sensitive"));
        rc = state_output_put(x, oname, &so);
        state_output_clear(&so);
    }
    if (rc != 0)
        goto fail;
    x->serial_override = new_serial;
    free(x->lineage_override);
    x->lineage_override = xstrdup(json_string_value(lin));
    const char *tv = json_string_value(json_object_get(doc, "terraform_version"));
    free(x->tfver_override);
    x->tfver_override = xstrdup(tv ? tv : "1.5.7");
fail:
    imp_free(&im);
    json_decref(doc);
    return rc ? state__poison(x, rc) : 0;
}
