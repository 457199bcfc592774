/*
 * state/history.c — reading the history database: one entry per committed
 * change set, keyed by the serial it produced (8 bytes big-endian, so the
 * cursor walks oldest first).  Entries are appended only by state_commit
 * (state/store.c), in the same LMDB transaction as the change.
 */
#include "state/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Whether one of e's changes matches pat (NULL: yes). */
static int entry_matches(const state_addr *pat, const state_history_entry *e)
{
    if (!pat)
        return 1;
    for (size_t i = 0; i < e->nchanges; i++) {
        state_addr a;
        if (state_addr_parse(&a, e->changes[i].address) != 0)
            continue;   /* output.NAME and the like */
        int m = state_addr_matches(pat, &a);
        state_addr_free(&a);
        if (m)
            return 1;
    }
    return 0;
}

static int decode_entry(json_t *j, state_history_entry *e, state_change **chv)
{
    json_t *ch = json_object_get(j, "changes");
    if (!json_is_object(j) || !json_is_array(ch))
        return err_set(CAIRN_ECORRUPT, "damaged history entry");
    memset(e, 0, sizeof *e);
    e->serial = (uint64_t)json_integer_value(json_object_get(j, "serial"));
    e->time = json_integer_value(json_object_get(j, "time"));
    e->user = json_string_value(json_object_get(j, "user"));
    e->host = json_string_value(json_object_get(j, "host"));
    e->operation = json_string_value(json_object_get(j, "operation"));
    if (!e->user)
        e->user = "";
    if (!e->host)
        e->host = "";
    if (!e->operation)
        e->operation = "";
    size_t n = json_array_size(ch);
    *chv = xcalloc(n ? n : 1, sizeof **chv);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(ch, i);
        const char *a = json_string_value(json_array_get(p, 0));
        const char *act = json_string_value(json_array_get(p, 1));
        (*chv)[i].address = a ? a : "";
        (*chv)[i].action = act ? act : "";
    }
    e->nchanges = n;
    e->changes = *chv;
    return 0;
}

int state_history_each(state_txn *x, const char *pattern, state_history_fn fn, void *payload)
{
    state_addr pat;
    int rc = 0;
    if (pattern) {
        rc = state_addr_parse(&pat, pattern);
        if (rc != 0)
            return rc;
    }
    char key[STATE_WORKSPACE_NAME_MAX + 2];
    int kl = state__key(x->env, "", 0, key, sizeof key);
    MDB_cursor *c = NULL;
    int mrc = mdb_cursor_open(x->txn, x->env->db_hist, &c);
    MDB_val k = {(size_t)kl, key}, v;
    if (mrc == 0)
        mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && rc == 0 && k.mv_size == (size_t)kl + 8 &&
           !memcmp(k.mv_data, key, (size_t)kl)) {
        json_error_t je;
        json_t *j = json_loadb(v.mv_data, v.mv_size, 0, &je);
        state_history_entry e;
        state_change *chv = NULL;
        rc = decode_entry(j, &e, &chv);
        if (rc == 0 && entry_matches(pattern ? &pat : NULL, &e))
            rc = fn(&e, payload);
        free(chv);
        json_decref(j);
        if (rc == 0)
            mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (c)
        mdb_cursor_close(c);
    if (pattern)
        state_addr_free(&pat);
    if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
        rc = state__poison(x, state__mdb_err(x->env, mrc, "read history"));
    return rc;
}

static int count_one(const state_history_entry *e, void *payload)
{
    (void)e;
    (*(uint64_t *)payload)++;
    return 0;
}

int state_history_count(state_txn *x, uint64_t *out)
{
    *out = 0;
    return state_history_each(x, NULL, count_one, out);
}
