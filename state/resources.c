/*
 * state/resources.c — instances and outputs of the workspace in use:
 * get, put, delete, move, list and walk by address pattern.
 *
 * Keys are "<workspace> NUL <canonical address>", and for a deposed object
 * "<workspace> NUL <canonical address> NUL <deposed key>".  A walk narrows
 * the cursor range to the pattern's text up to its last key, then filters
 * with state_addr_matches, then sorts with state_addr_compare; it takes
 * either the current instances or the deposed objects, never both.
 */
#include "state/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define KEY_CAP (STATE_WORKSPACE_NAME_MAX + STATE_ADDR_MAX + 16)

static int wkey(state_txn *x, const char *rest, char *buf)
{
    int kl = state__key(x->env, rest, strlen(rest), buf, KEY_CAP);
    if (kl < 0)
        return state__poison(x, err_set(CAIRN_ELIMIT, "address too long: %s", rest));
    return kl;
}

static int write_check(state_txn *x)
{
    if (x->rdonly)
        return err_set(CAIRN_EINVAL, "write in a read-only state transaction");
    if (x->err)
        return err_set(x->err, "state transaction is poisoned by an earlier failure");
    return 0;
}

int state_get(state_txn *x, const char *addr, state_instance **out)
{
    *out = NULL;
    char *canon = NULL, key[KEY_CAP];
    int rc = state__canon_instance(addr, &canon);
    if (rc != 0)
        return rc;
    int kl = wkey(x, canon, key);
    free(canon);
    if (kl < 0)
        return kl;
    MDB_val k = {(size_t)kl, key}, v;
    int mrc = mdb_get(x->txn, x->env->db_res, &k, &v);
    if (mrc == MDB_NOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "no instance %s in state", addr);
    if (mrc != 0)
        return state__poison(x, state__mdb_err(x->env, mrc, "read instance"));
    rc = state_instance_decode(out, v.mv_data, v.mv_size);
    if (rc != 0) {
        state__wrap(rc, addr);
        return state__poison(x, rc);
    }
    return 0;
}

int state_put(state_txn *x, const char *addr, const state_instance *inst)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    char *canon = NULL, *enc = NULL, key[KEY_CAP];
    size_t elen = 0;
    state_addr a;
    rc = state__canon_instance(addr, &canon);
    if (rc != 0)
        return state__poison(x, rc);
    if (state_addr_parse(&a, canon) == 0) {
        int same = !strcmp(a.type, inst->type ? inst->type : "");
        state_addr_free(&a);
        if (!same) {
            rc = err_set(CAIRN_EINVAL, "instance of type \"%s\" cannot be stored at %s",
                         inst->type ? inst->type : "(none)", canon);
            goto fail;
        }
    }
    rc = state_instance_encode(&enc, &elen, inst);
    if (rc != 0)
        goto fail;
    int kl = wkey(x, canon, key);
    if (kl < 0) {
        rc = kl;
        goto fail;
    }
    MDB_val k = {(size_t)kl, key}, old, v = {elen, enc};
    int mrc = mdb_get(x->txn, x->env->db_res, &k, &old);
    const char *action = mrc == 0 ? "update" : "create";
    if (mrc != 0 && mrc != MDB_NOTFOUND) {
        rc = state__mdb_err(x->env, mrc, "read instance");
        goto fail;
    }
    if (mrc == 0 && old.mv_size == elen && !memcmp(old.mv_data, enc, elen))
        goto fail;   /* unchanged: nothing to write or record */
    mrc = mdb_put(x->txn, x->env->db_res, &k, &v, 0);
    if (mrc != 0) {
        rc = state__mdb_err(x->env, mrc, "write instance");
        goto fail;
    }
    rc = state__record(x, canon, action);
fail:
    free(canon);
    free(enc);
    return rc ? state__poison(x, rc) : 0;
}

int state_delete(state_txn *x, const char *addr)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    char *canon = NULL, key[KEY_CAP];
    rc = state__canon_instance(addr, &canon);
    if (rc != 0)
        return state__poison(x, rc);
    int kl = wkey(x, canon, key);
    if (kl < 0) {
        free(canon);
        return kl;
    }
    MDB_val k = {(size_t)kl, key};
    int mrc = mdb_del(x->txn, x->env->db_res, &k, NULL);
    if (mrc == MDB_NOTFOUND) {
        rc = err_set(CAIRN_ENOTFOUND, "no instance %s in state", canon);
        free(canon);
        return rc;
    }
    if (mrc != 0)
        rc = state__poison(x, state__mdb_err(x->env, mrc, "delete instance"));
    else
        rc = state__record(x, canon, "delete");
    free(canon);
    return rc;
}

int state_move(state_txn *x, const char *src, const char *dst)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    state_instance *inst = NULL, *probe = NULL;
    char *csrc = NULL, *cdst = NULL;
    rc = state__canon_instance(src, &csrc);
    if (rc == 0)
        rc = state__canon_instance(dst, &cdst);
    if (rc != 0)
        goto fail;
    rc = state_get(x, csrc, &inst);
    if (rc != 0)
        goto out;   /* not found: caller's business, txn not poisoned */
    rc = state_get(x, cdst, &probe);
    if (rc == 0) {
        rc = err_set(CAIRN_EINVAL, "Invalid target address: cannot move to %s: there is "
                     "already a resource instance at that address in the current state",
                     cdst);
        goto fail;
    }
    if (rc != CAIRN_ENOTFOUND)
        goto fail;
    state_addr a, b;
    rc = state_addr_parse(&a, csrc);
    if (rc != 0)
        goto fail;
    rc = state_addr_parse(&b, cdst);
    if (rc != 0) {
        state_addr_free(&a);
        goto fail;
    }
    int same = a.data == b.data && !strcmp(a.type, b.type);
    state_addr_free(&a);
    state_addr_free(&b);
    if (!same) {
        rc = err_set(CAIRN_EINVAL, "Invalid state move request: cannot move %s to %s: the "
                     "resource types (and modes) must match", csrc, cdst);
        goto fail;
    }
    size_t mark = x->nchanges;
    rc = state_put(x, cdst, inst);
    if (rc == 0)
        rc = state_delete(x, csrc);
    if (rc != 0)
        goto fail;
    /* Replace the put/delete records with the move pair. */
    for (size_t i = mark; i < x->nchanges; i++)
        free(x->changes[i].address);
    x->nchanges = mark;
    rc = state__record(x, csrc, "move-from");
    if (rc == 0)
        rc = state__record(x, cdst, "move-to");
fail:
    if (rc != 0)
        state__poison(x, rc);
out:
    state_instance_free(inst);
    state_instance_free(probe);
    free(csrc);
    free(cdst);
    return rc;
}

/* ---------------------------------------------------------------- walks */

struct hit {
    char *addr;
    char *dkey;                  /* deposed key, in a walk of deposed objects */
    state_addr a;
    void *data;
    size_t len;
};

static int hit_cmp(const void *pa, const void *pb)
{
    const struct hit *a = pa, *b = pb;
    int c = state_addr_compare(&a->a, &b->a);
    return c ? c : strcmp(a->dkey ? a->dkey : "", b->dkey ? b->dkey : "");
}

/* The pattern's text up to its last key: every match starts with it. */
static char *narrow_prefix(const state_addr *pat)
{
    state_addr t = *pat;
    state_key none = {STATE_KEY_NONE, 0, NULL};
    if (t.has_resource)
        t.key = none;
    else if (t.nmodules > 0)
        t.modules[t.nmodules - 1].key = none;
    for (size_t i = 0; i < t.nmodules; i++)
        if (pat->modules[i].key.kind == STATE_KEY_NONE) {
            /* An unkeyed module step matches every key: stop there. */
            t.nmodules = i + 1;
            t.has_resource = 0;
            break;
        }
    return t.has_resource || t.nmodules ? state_addr_str(&t) : xstrdup("");
}

static void hits_free(struct hit *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].addr);
        free(h[i].dkey);
        free(h[i].data);
        state_addr_free(&h[i].a);
    }
    free(h);
}

/* Collect (and sort) the instances matching pattern (the deposed objects
 * instead when deposed); values copied when want_values. */
static int collect(state_txn *x, const char *pattern, int want_values, int deposed,
                   struct hit **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    state_addr pat;
    char *prefix = NULL, key[KEY_CAP];
    int rc = 0, have_pat = 0;
    if (pattern) {
        rc = state_addr_parse(&pat, pattern);
        if (rc != 0)
            return rc;
        have_pat = 1;
        prefix = narrow_prefix(&pat);
    }
    int kl = wkey(x, prefix ? prefix : "", key);
    free(prefix);
    if (kl < 0) {
        rc = kl;
        goto fail;
    }
    size_t wsl = strlen(x->env->ws) + 1, cap = 0;
    MDB_cursor *c = NULL;
    int mrc = mdb_cursor_open(x->txn, x->env->db_res, &c);
    MDB_val k = {(size_t)kl, key}, v;
    if (mrc == 0)
        mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && k.mv_size >= (size_t)kl && !memcmp(k.mv_data, key, (size_t)kl)) {
        struct hit h = {0};
        const char *rest = (const char *)k.mv_data + wsl;
        const char *sep = memchr(rest, 0, k.mv_size - wsl);
        if (!sep != !deposed) {
            mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
            continue;
        }
        h.addr = xstrndup(rest, sep ? (size_t)(sep - rest) : k.mv_size - wsl);
        if (sep)
            h.dkey = xstrndup(sep + 1, k.mv_size - wsl - (size_t)(sep + 1 - rest));
        if (state_addr_parse(&h.a, h.addr) != 0) {
            rc = err_set(CAIRN_ECORRUPT, "the state store %s holds a damaged address key "
                         "\"%s\"", x->env->data_path, h.addr);
            free(h.addr);
            free(h.dkey);
            break;
        }
        if (have_pat && !state_addr_matches(&pat, &h.a)) {
            free(h.addr);
            free(h.dkey);
            state_addr_free(&h.a);
        } else {
            if (want_values) {
                h.data = xmalloc(v.mv_size ? v.mv_size : 1);
                memcpy(h.data, v.mv_data, v.mv_size);
                h.len = v.mv_size;
            }
            if (*nout == cap) {
                cap = cap ? cap * 2 : 64;
                *out = xrealloc(*out, cap * sizeof **out);
            }
            (*out)[(*nout)++] = h;
        }
        mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (c)
        mdb_cursor_close(c);
    if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
        rc = state__mdb_err(x->env, mrc, "list instances");
    if (rc == 0 && *nout > 1)
        qsort(*out, *nout, sizeof **out, hit_cmp);
fail:
    if (have_pat)
        state_addr_free(&pat);
    if (rc != 0) {
        hits_free(*out, *nout);
        *out = NULL;
        *nout = 0;
        state__poison(x, rc);
    }
    return rc;
}

int state_list(state_txn *x, const char *pattern, char ***out, size_t *n)
{
    struct hit *h = NULL;
    size_t nh = 0;
    *out = NULL;
    *n = 0;
    int rc = collect(x, pattern, 0, 0, &h, &nh);
    if (rc != 0)
        return rc;
    *out = xcalloc(nh ? nh : 1, sizeof **out);
    for (size_t i = 0; i < nh; i++) {
        (*out)[i] = h[i].addr;
        h[i].addr = NULL;
    }
    *n = nh;
    hits_free(h, nh);
    return 0;
}

int state_each(state_txn *x, const char *pattern, state_each_fn fn, void *payload)
{
    struct hit *h = NULL;
    size_t nh = 0;
    int rc = collect(x, pattern, 1, 0, &h, &nh);
    for (size_t i = 0; rc == 0 && i < nh; i++) {
        state_instance *inst = NULL;
        rc = state_instance_decode(&inst, h[i].data, h[i].len);
        if (rc != 0) {
            state__wrap(rc, h[i].addr);
            state__poison(x, rc);
            break;
        }
        rc = fn(h[i].addr, inst, payload);
        state_instance_free(inst);
    }
    hits_free(h, nh);
    return rc;
}

/* ---------------------------------------------------------------- deposed */

/* The key of deposed object addr/dkey into buf; its length, or <0 (txn
 * poisoned) for a bad address or key.  *canon owned on success. */
static int deposed_key(state_txn *x, const char *addr, const char *dkey, char *buf,
                       char **canon)
{
    size_t dl = dkey ? strlen(dkey) : 0;
    if (dl == 0 || dl > STATE_DEPOSED_KEY_MAX || strspn(dkey, "0123456789abcdef") != dl)
        return state__poison(x, err_set(CAIRN_EINVAL, "invalid deposed object key \"%s\"",
                                        dkey ? dkey : ""));
    int rc = state__canon_instance(addr, canon);
    if (rc != 0)
        return state__poison(x, rc);
    size_t al = strlen(*canon);
    char rest[STATE_ADDR_MAX + STATE_DEPOSED_KEY_MAX + 2];
    int kl = -1;
    if (al + 1 + dl < sizeof rest) {
        memcpy(rest, *canon, al);
        rest[al] = 0;
        memcpy(rest + al + 1, dkey, dl);
        kl = state__key(x->env, rest, al + 1 + dl, buf, KEY_CAP);
    }
    if (kl < 0) {
        free(*canon);
        *canon = NULL;
        return state__poison(x, err_set(CAIRN_ELIMIT, "address too long: %s", addr));
    }
    return kl;
}

int state_deposed_put(state_txn *x, const char *addr, const char *dkey,
                      const state_instance *inst)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    char key[KEY_CAP], *canon = NULL, *enc = NULL;
    size_t elen = 0;
    int kl = deposed_key(x, addr, dkey, key, &canon);
    if (kl < 0)
        return kl;
    rc = state_instance_encode(&enc, &elen, inst);
    if (rc == 0) {
        MDB_val k = {(size_t)kl, key}, v = {elen, enc};
        int mrc = mdb_put(x->txn, x->env->db_res, &k, &v, 0);
        rc = mrc ? state__mdb_err(x->env, mrc, "write deposed object")
                 : state__record(x, canon, "depose");
    }
    free(canon);
    free(enc);
    return rc ? state__poison(x, rc) : 0;
}

int state_deposed_delete(state_txn *x, const char *addr, const char *dkey)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    char key[KEY_CAP], *canon = NULL;
    int kl = deposed_key(x, addr, dkey, key, &canon);
    if (kl < 0)
        return kl;
    MDB_val k = {(size_t)kl, key};
    int mrc = mdb_del(x->txn, x->env->db_res, &k, NULL);
    if (mrc == MDB_NOTFOUND)
        rc = err_set(CAIRN_ENOTFOUND, "no deposed object %s of %s in state", dkey, canon);
    else if (mrc != 0)
        rc = state__poison(x, state__mdb_err(x->env, mrc, "delete deposed object"));
    else
        rc = state__record(x, canon, "delete-deposed");
    free(canon);
    return rc;
}

void state_deposed_free(state_deposed *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].address);
        free(v[i].key);
        state_instance_free(v[i].inst);
    }
    free(v);
}

int state_deposed_list(state_txn *x, state_deposed **out, size_t *n)
{
    struct hit *h = NULL;
    size_t nh = 0;
    *out = NULL;
    *n = 0;
    int rc = collect(x, NULL, 1, 1, &h, &nh);
    if (rc != 0)
        return rc;
    *out = xcalloc(nh ? nh : 1, sizeof **out);
    for (size_t i = 0; rc == 0 && i < nh; i++) {
        state_deposed *d = &(*out)[(*n)++];
        rc = state_instance_decode(&d->inst, h[i].data, h[i].len);
        d->address = h[i].addr;
        d->key = h[i].dkey;
        h[i].addr = h[i].dkey = NULL;
        if (rc != 0) {
            state__wrap(rc, d->address);
            state__poison(x, rc);
        }
    }
    hits_free(h, nh);
    if (rc != 0) {
        state_deposed_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---------------------------------------------------------------- outputs */

void state_output_clear(state_output *o)
{
    free(o->value_json);
    free(o->type_json);
    memset(o, 0, sizeof *o);
}

int state_output_get(state_txn *x, const char *name, state_output *out)
{
    memset(out, 0, sizeof *out);
    char key[KEY_CAP];
    int kl = wkey(x, name, key);
    if (kl < 0)
        return kl;
    MDB_val k = {(size_t)kl, key}, v;
    int mrc = mdb_get(x->txn, x->env->db_out, &k, &v);
    if (mrc == MDB_NOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "no output \"%s\" in state", name);
    if (mrc != 0)
        return state__poison(x, state__mdb_err(x->env, mrc, "read output"));
    json_error_t je;
    json_t *j = json_loadb(v.mv_data, v.mv_size, 0, &je);
    if (!json_is_object(j) || !json_object_get(j, "value")) {
        json_decref(j);
        return state__poison(x, err_set(CAIRN_ECORRUPT, "damaged output record \"%s\"", name));
    }
    out->value_json = json_dumps(json_object_get(j, "value"), JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *t = json_object_get(j, "type");
    if (t)
        out->type_json = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
    out->sensitive = json_is_true(json_object_get(j, "sensitive"));
    json_decref(j);
    if (!out->value_json)
        return err_set(CAIRN_ENOMEM, "output \"%s\"", name);
    return 0;
}

int state_output_put(state_txn *x, const char *name, const state_output *o)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    json_error_t je;
    json_t *val = json_loads(o->value_json ? o->value_json : "", JSON_DECODE_ANY, &je);
    json_t *ty = o->type_json ? json_loads(o->type_json, JSON_DECODE_ANY, &je) : NULL;
    if (!val || (o->type_json && !ty)) {
        json_decref(val);
        json_decref(ty);
        return state__poison(x, err_set(CAIRN_EINVAL, "output \"%s\": invalid JSON", name));
    }
    json_t *j = json_object();
    json_object_set_new(j, "value", val);
    if (ty)
        json_object_set_new(j, "type", ty);
    if (o->sensitive)
        json_object_set_new(j, "sensitive", json_true());
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s)
        return state__poison(x, err_set(CAIRN_EINVAL, "output \"%s\": cannot encode", name));
    char key[KEY_CAP];
    int kl = wkey(x, name, key);
    if (kl < 0) {
        free(s);
        return kl;
    }
    MDB_val k = {(size_t)kl, key}, v = {strlen(s), s}, old;
    int mrc = mdb_get(x->txn, x->env->db_out, &k, &old);
    if (mrc == 0 && old.mv_size == v.mv_size && !memcmp(old.mv_data, s, v.mv_size)) {
        free(s);
        return 0;   /* unchanged */
    }
    mrc = mdb_put(x->txn, x->env->db_out, &k, &v, 0);
    free(s);
    if (mrc != 0)
        return state__poison(x, state__mdb_err(x->env, mrc, "write output"));
    char *label = xasprintf("output.%s", name);
    rc = state__record(x, label, "update");
    free(label);
    return rc;
}

int state_output_delete(state_txn *x, const char *name)
{
    int rc = write_check(x);
    if (rc != 0)
        return state__poison(x, rc);
    char key[KEY_CAP];
    int kl = wkey(x, name, key);
    if (kl < 0)
        return kl;
    MDB_val k = {(size_t)kl, key};
    int mrc = mdb_del(x->txn, x->env->db_out, &k, NULL);
    if (mrc == MDB_NOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "no output \"%s\" in state", name);
    if (mrc != 0)
        return state__poison(x, state__mdb_err(x->env, mrc, "delete output"));
    char *label = xasprintf("output.%s", name);
    rc = state__record(x, label, "delete");
    free(label);
    return rc;
}

int state_output_list(state_txn *x, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    char key[KEY_CAP];
    int kl = wkey(x, "", key);
    size_t cap = 0;
    MDB_cursor *c = NULL;
    int mrc = mdb_cursor_open(x->txn, x->env->db_out, &c);
    MDB_val k = {(size_t)kl, key}, v;
    if (mrc == 0)
        mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && k.mv_size >= (size_t)kl && !memcmp(k.mv_data, key, (size_t)kl)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *names = xrealloc(*names, cap * sizeof **names);
        }
        (*names)[(*n)++] = xstrndup((const char *)k.mv_data + kl, k.mv_size - (size_t)kl);
        mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (c)
        mdb_cursor_close(c);
    if (mrc != 0 && mrc != MDB_NOTFOUND) {
        state_strv_free(*names, *n);
        *names = NULL;
        *n = 0;
        return state__poison(x, state__mdb_err(x->env, mrc, "list outputs"));
    }
    return 0;
}
