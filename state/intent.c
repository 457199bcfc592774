/*
 * state/intent.c — crash-safe intents.  An intent is committed (durably)
 * before a create or delete call is sent; the outcome replaces it in one
 * transaction.  After a crash, open intents are what the engine reconciles:
 * the token is the idempotency token or tag the remote object carries.
 */
#include "state/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEY_CAP (STATE_WORKSPACE_NAME_MAX + STATE_ADDR_MAX + 16)

static const char *action_name(enum state_intent_action a)
{
    return a == STATE_INTENT_DELETE ? "delete" : "create";
}

int state_intent_open(state_env *env, const char *addr, enum state_intent_action action,
                      const char *token, const char *operation)
{
    return state_intent_open_planned(env, addr, action, token, operation, NULL);
}

int state_intent_open_planned(state_env *env, const char *addr,
                              enum state_intent_action action, const char *token,
                              const char *operation, const char *planned)
{
    if (action != STATE_INTENT_CREATE && action != STATE_INTENT_DELETE)
        return err_set(CAIRN_EINVAL, "state_intent_open: bad action %d", (int)action);
    char *canon = NULL, key[KEY_CAP], *s = NULL;
    state_txn *x = NULL;
    int rc = state__canon_instance(addr, &canon);
    if (rc != 0)
        return rc;
    rc = state_txn_begin(&x, env, 0, operation);
    if (rc != 0)
        goto fail;
    int kl = state__key(env, canon, strlen(canon), key, sizeof key);
    if (kl < 0) {
        rc = err_set(CAIRN_ELIMIT, "address too long");
        goto fail;
    }
    MDB_val k = {(size_t)kl, key}, v;
    int mrc = mdb_get(x->txn, env->db_intent, &k, &v);
    if (mrc == 0) {
        rc = err_set(CAIRN_EBUSY, "an intent is already open for %s", canon);
        goto fail;
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "address", canon, "action",
                          action_name(action), "token", token ? token : "", "operation",
                          operation ? operation : "", "time", (json_int_t)time(NULL), "pid",
                          (json_int_t)getpid());
    if (j && planned && json_object_set_new(j, "planned", json_string(planned)) != 0) {
        json_decref(j);
        j = NULL;
    }
    s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s) {
        rc = err_set(CAIRN_EINVAL, "intent for %s cannot be encoded", canon);
        goto fail;
    }
    v.mv_size = strlen(s);
    v.mv_data = s;
    mrc = mdb_put(x->txn, env->db_intent, &k, &v, 0);
    if (mrc != 0) {
        rc = state__mdb_err(env, mrc, "write intent");
        goto fail;
    }
    rc = state__record(x, canon, "intent-open");
    if (rc != 0)
        goto fail;
    rc = state_commit(x);
    x = NULL;
fail:
    state_abort(x);
    free(s);
    free(canon);
    return rc;
}

static int intent_close(state_env *env, const char *addr, const state_instance *inst,
                        int touch_instance, const char *dkey, const char *operation)
{
    char *canon = NULL, key[KEY_CAP];
    state_txn *x = NULL;
    int rc = state__canon_instance(addr, &canon);
    if (rc != 0)
        return rc;
    rc = state_txn_begin(&x, env, 0, operation);
    if (rc != 0)
        goto fail;
    int kl = state__key(env, canon, strlen(canon), key, sizeof key);
    MDB_val k = {(size_t)(kl > 0 ? kl : 0), key};
    int mrc = kl < 0 ? MDB_NOTFOUND : mdb_del(x->txn, env->db_intent, &k, NULL);
    if (mrc == MDB_NOTFOUND) {
        rc = err_set(CAIRN_ENOTFOUND, "no open intent for %s", canon);
        goto fail;
    }
    if (mrc != 0) {
        rc = state__mdb_err(env, mrc, "close intent");
        goto fail;
    }
    rc = state__record(x, canon, "intent-close");
    if (rc == 0 && touch_instance && inst && dkey) {
        state_instance *old = NULL;
        rc = state_get(x, canon, &old);
        if (rc == 0)
            rc = state_deposed_put(x, canon, dkey, old);
        else if (rc == CAIRN_ENOTFOUND)
            rc = 0;
        state_instance_free(old);
    }
    if (rc == 0 && touch_instance && inst)
        rc = state_put(x, canon, inst);
    if (rc == 0 && touch_instance && !inst) {
        rc = state_delete(x, canon);
        if (rc == CAIRN_ENOTFOUND)
            rc = 0;
    }
    if (rc != 0)
        goto fail;
    rc = state_commit(x);
    x = NULL;
fail:
    state_abort(x);
    free(canon);
    return rc;
}

int state_intent_complete(state_env *env, const char *addr, const state_instance *inst,
                          const char *operation)
{
    return intent_close(env, addr, inst, 1, NULL, operation);
}

int state_intent_complete_depose(state_env *env, const char *addr, const state_instance *inst,
                                 const char *key, const char *operation)
{
    return intent_close(env, addr, inst, 1, key, operation);
}

int state_intent_abandon(state_env *env, const char *addr, const char *operation)
{
    return intent_close(env, addr, NULL, 0, NULL, operation);
}

void state_intents_free(state_intent *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].address);
        free(v[i].token);
        free(v[i].operation);
        free(v[i].planned);
    }
    free(v);
}

int state_intent_list(state_txn *x, state_intent **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char key[KEY_CAP];
    int kl = state__key(x->env, "", 0, key, sizeof key);
    size_t cap = 0;
    int rc = 0;
    MDB_cursor *c = NULL;
    int mrc = mdb_cursor_open(x->txn, x->env->db_intent, &c);
    MDB_val k = {(size_t)kl, key}, v;
    if (mrc == 0)
        mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && k.mv_size > (size_t)kl && !memcmp(k.mv_data, key, (size_t)kl)) {
        json_error_t je;
        json_t *j = json_loadb(v.mv_data, v.mv_size, 0, &je);
        const char *act = json_string_value(json_object_get(j, "action"));
        if (!json_is_object(j) || !act) {
            json_decref(j);
            rc = err_set(CAIRN_ECORRUPT, "damaged intent record in %s", x->env->data_path);
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        state_intent *it = &(*out)[(*n)++];
        it->address = xstrndup((const char *)k.mv_data + kl, k.mv_size - (size_t)kl);
        it->action = !strcmp(act, "delete") ? STATE_INTENT_DELETE : STATE_INTENT_CREATE;
        const char *tok = json_string_value(json_object_get(j, "token"));
        const char *op = json_string_value(json_object_get(j, "operation"));
        it->token = xstrdup(tok ? tok : "");
        it->operation = xstrdup(op ? op : "");
        it->time = json_integer_value(json_object_get(j, "time"));
        it->pid = (long)json_integer_value(json_object_get(j, "pid"));
        const char *pl = json_string_value(json_object_get(j, "planned"));
        it->planned = pl ? xstrdup(pl) : NULL;
        json_decref(j);
        mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (c)
        mdb_cursor_close(c);
    if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
        rc = state__mdb_err(x->env, mrc, "list intents");
    if (rc != 0) {
        state_intents_free(*out, *n);
        *out = NULL;
        *n = 0;
        state__poison(x, rc);
    }
    return rc;
}
