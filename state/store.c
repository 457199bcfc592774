/*
 * state/store.c — opening the LMDB environment (creating it atomically,
 * refusing corrupt or newer stores), transactions with the poisoned rule,
 * the serial and history bump at commit, and instance get/put/delete/move.
 *
 * What must stay true: nothing here writes to data.mdb before the size,
 * format and workspace checks of state_open have passed, and a store is
 * never created in place: it is built in a temporary directory and linked
 * into place, so a crash during creation leaves no half store.
 */
#include "state/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STATE_MAX_DBS 8
#define STATE_MIN_FILE_SIZE 8192   /* two meta pages */

/* ---------------------------------------------------------------- helpers */

int state__mdb_err(const state_env *env, int rc, const char *what)
{
    const char *path = env ? env->data_path : "state store";
    if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID)
        return err_set(CAIRN_ECORRUPT,
                       "the state store %s is corrupt or truncated (%s: %s). cairn has not "
                       "modified it. Restore a copy from its backups/ directory (state "
                       "backup), or move it aside and push a saved state file",
                       path, what, mdb_strerror(rc));
    if (rc == MDB_VERSION_MISMATCH)
        return err_set(CAIRN_EVERSION, "the state store %s was written by another LMDB "
                       "version (%s: %s); cairn has not modified it",
                       path, what, mdb_strerror(rc));
    if (rc == MDB_MAP_FULL)
        return err_set(CAIRN_ELIMIT, "the state store %s is full (%s: its size cap is "
                       "%llu bytes)", path, what, (unsigned long long)STATE_MAP_SIZE);
    if (rc == MDB_NOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "%s: not found", what);
    if (rc == ENOMEM)
        return err_set(CAIRN_ENOMEM, "%s: out of memory", what);
    return err_set(CAIRN_EIO, "state store %s: %s: %s", path, what, mdb_strerror(rc));
}

int state__wrap(int code, const char *prefix)
{
    char cur[1024];
    snprintf(cur, sizeof cur, "%s", err_msg());
    return err_set(code, "%s: %s", prefix, cur);
}

int state__poison(state_txn *txn, int code)
{
    if (txn && !txn->err)
        txn->err = code;
    return code;
}

int state__key(const state_env *env, const char *rest, size_t restlen, char *buf, size_t cap)
{
    size_t wl = strlen(env->ws);
    if (wl + 1 + restlen > cap)
        return -1;
    memcpy(buf, env->ws, wl);
    buf[wl] = 0;
    memcpy(buf + wl + 1, rest, restlen);
    return (int)(wl + 1 + restlen);
}

void state__whoami(char *user, size_t ulen, char *host, size_t hlen)
{
    const char *u = getenv("USER");
    if (!u || !*u) {
        struct passwd *pw = getpwuid(getuid());
        u = pw ? pw->pw_name : "unknown";
    }
    snprintf(user, ulen, "%s", u);
    if (gethostname(host, hlen) != 0)
        snprintf(host, hlen, "localhost");
    host[hlen - 1] = 0;
}

int state__uuid(char buf[37])
{
    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return err_set(CAIRN_EIO, "getrandom: %s", strerror(errno));
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
             r[12], r[13], r[14], r[15]);
    return 0;
}

int state__fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_set(CAIRN_EIO, "open %s: %s", dir, strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc != 0)
        return err_set(CAIRN_EIO, "fsync %s: %s", dir, strerror(errno));
    return 0;
}

void state_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int ws_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > STATE_WORKSPACE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.';
        if (!ok)
            return 0;
    }
    return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* ---------------------------------------------------------------- meta records */

static json_t *ws_record_new(void)
{
    char id[37];
    if (state__uuid(id) != 0)
        return NULL;
    return json_pack("{s:s, s:I, s:I, s:s}", "lineage", id, "serial", (json_int_t)0, "created",
                     (json_int_t)time(NULL), "terraform_version", "1.5.7");
}

static int meta_get_json(MDB_txn *t, const state_env *env, const char *key, json_t **out)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    int rc = mdb_get(t, env->db_meta, &k, &v);
    if (rc == MDB_NOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "%s: not found", key);
    if (rc != 0)
        return state__mdb_err(env, rc, "read metadata");
    json_error_t je;
    *out = json_loadb(v.mv_data, v.mv_size, 0, &je);
    if (!*out || !json_is_object(*out)) {
        json_decref(*out);
        return err_set(CAIRN_ECORRUPT, "the state store %s has a damaged metadata record "
                       "(%s); cairn has not modified it", env->data_path, key);
    }
    return 0;
}

static int meta_put_json(MDB_txn *t, const state_env *env, const char *key, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    if (!s)
        return err_set(CAIRN_ENOMEM, "encode metadata");
    MDB_val k = {strlen(key), (void *)key}, v = {strlen(s), s};
    int rc = mdb_put(t, env->db_meta, &k, &v, 0);
    free(s);
    return rc ? state__mdb_err(env, rc, "write metadata") : 0;
}

static int ws_read(MDB_txn *t, const state_env *env, const char *ws, json_t **out)
{
    char key[STATE_WORKSPACE_NAME_MAX + 8];
    snprintf(key, sizeof key, "ws/%s", ws);
    int rc = meta_get_json(t, env, key, out);
    if (rc == CAIRN_ENOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "Workspace \"%s\" doesn't exist.", ws);
    return rc;
}

static int ws_write(MDB_txn *t, const state_env *env, const char *ws, json_t *rec)
{
    char key[STATE_WORKSPACE_NAME_MAX + 8];
    snprintf(key, sizeof key, "ws/%s", ws);
    return meta_put_json(t, env, key, rec);
}

/* ---------------------------------------------------------------- open */

static int open_dbis(state_env *e, MDB_txn *t, unsigned flags)
{
    struct { const char *name; MDB_dbi *dbi; } dbs[] = {
        {"meta", &e->db_meta}, {"resources", &e->db_res}, {"outputs", &e->db_out},
        {"history", &e->db_hist}, {"intents", &e->db_intent}, {"lock", &e->db_lock},
    };
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        int rc = mdb_dbi_open(t, dbs[i].name, flags, dbs[i].dbi);
        if (rc == MDB_NOTFOUND)
            return err_set(CAIRN_ECORRUPT, "%s is not a cairn state store (no \"%s\" "
                           "database); cairn has not modified it", e->data_path, dbs[i].name);
        if (rc != 0)
            return state__mdb_err(e, rc, "open database");
    }
    return 0;
}

static int env_make(MDB_env **out, const char *dir)
{
    MDB_env *m = NULL;
    int rc = mdb_env_create(&m);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(m, STATE_MAX_DBS);
    if (rc == 0)
        rc = mdb_env_set_mapsize(m, STATE_MAP_SIZE);
    if (rc == 0)
        rc = mdb_env_open(m, dir, MDB_NOTLS, 0600);
    if (rc != 0) {
        if (m)
            mdb_env_close(m);
        *out = NULL;
        return rc;
    }
    *out = m;
    return 0;
}

/* Build a fresh store in DIR/.init-XXXXXX and link its data file into
 * place; losing the race to another creator is fine. */
static int store_create(state_env *e)
{
    char *tmp = xasprintf("%s/.init-XXXXXX", e->dir);
    char *tdata = NULL, *tlock = NULL;
    MDB_env *m = NULL;
    MDB_txn *t = NULL;
    json_t *rec = NULL;
    int rc = 0;
    if (!mkdtemp(tmp)) {
        rc = err_set(CAIRN_EIO, "create %s: %s", tmp, strerror(errno));
        goto fail;
    }
    tdata = xasprintf("%s/data.mdb", tmp);
    tlock = xasprintf("%s/lock.mdb", tmp);
    int mrc = env_make(&m, tmp);
    if (mrc == 0)
        mrc = mdb_txn_begin(m, NULL, 0, &t);
    state_env probe = *e;
    probe.env = m;
    if (mrc == 0)
        mrc = open_dbis(&probe, t, MDB_CREATE) ? -1 : 0;
    if (mrc != 0) {
        rc = mrc == -1 ? err_code() : state__mdb_err(e, mrc, "create store");
        goto fail;
    }
    MDB_val k = {6, "format"}, v;
    char fmt[16];
    snprintf(fmt, sizeof fmt, "%d", STATE_FORMAT_VERSION);
    v.mv_size = strlen(fmt);
    v.mv_data = fmt;
    mrc = mdb_put(t, probe.db_meta, &k, &v, 0);
    MDB_val ks = {8, "selected"}, vs = {7, "default"};
    if (mrc == 0)
        mrc = mdb_put(t, probe.db_meta, &ks, &vs, 0);
    if (mrc != 0) {
        rc = state__mdb_err(e, mrc, "create store");
        goto fail;
    }
    rec = ws_record_new();
    if (!rec) {
        rc = err_code() ? err_code() : CAIRN_ENOMEM;
        goto fail;
    }
    rc = ws_write(t, &probe, "default", rec);
    if (rc != 0)
        goto fail;
    mrc = mdb_txn_commit(t);
    t = NULL;
    if (mrc != 0) {
        rc = state__mdb_err(e, mrc, "create store");
        goto fail;
    }
    mdb_env_close(m);
    m = NULL;
    chmod(tdata, 0600);
    if (link(tdata, e->data_path) != 0 && errno != EEXIST) {
        rc = err_set(CAIRN_EIO, "create %s: %s", e->data_path, strerror(errno));
        goto fail;
    }
    rc = state__fsync_dir(e->dir);
fail:
    if (t)
        mdb_txn_abort(t);
    if (m)
        mdb_env_close(m);
    json_decref(rec);
    if (tdata)
        unlink(tdata);
    if (tlock)
        unlink(tlock);
    rmdir(tmp);
    free(tdata);
    free(tlock);
    free(tmp);
    return rc;
}

/* The file must hold every page the last committed meta page names. */
static int check_size(state_env *e)
{
    MDB_envinfo info;
    MDB_stat st;
    struct stat sb;
    if (mdb_env_info(e->env, &info) != 0 || mdb_env_stat(e->env, &st) != 0)
        return err_set(CAIRN_EIO, "read %s header", e->data_path);
    if (stat(e->data_path, &sb) != 0)
        return err_set(CAIRN_EIO, "stat %s: %s", e->data_path, strerror(errno));
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
    if ((uint64_t)sb.st_size < need)
        return err_set(CAIRN_ECORRUPT, "the state store %s is truncated (%lld bytes, its "
                       "header needs %llu). cairn has not modified it. Restore a copy from "
                       "%s/backups/ (made by state backup, push, mv and rm), or move it aside "
                       "and push a saved state file", e->data_path, (long long)sb.st_size,
                       (unsigned long long)need, e->dir);
    return 0;
}

static int check_format(state_env *e, MDB_txn *t)
{
    MDB_val k = {6, "format"}, v;
    int rc = mdb_get(t, e->db_meta, &k, &v);
    if (rc != 0)
        return rc == MDB_NOTFOUND
                   ? err_set(CAIRN_ECORRUPT, "%s is not a cairn state store (no format "
                             "record); cairn has not modified it", e->data_path)
                   : state__mdb_err(e, rc, "read format");
    char buf[16];
    size_t n = v.mv_size < sizeof buf - 1 ? v.mv_size : sizeof buf - 1;
    memcpy(buf, v.mv_data, n);
    buf[n] = 0;
    char *end;
    long f = strtol(buf, &end, 10);
    if (end == buf || *end)
        return err_set(CAIRN_ECORRUPT, "%s has a damaged format record; cairn has not "
                       "modified it", e->data_path);
    if (f > STATE_FORMAT_VERSION)
        return err_set(CAIRN_EVERSION, "the state store %s was written by a newer cairn "
                       "(store format %ld; this cairn reads format %d and older). Upgrade "
                       "cairn to use it; this cairn has not modified it",
                       e->data_path, f, STATE_FORMAT_VERSION);
    return 0;
}

static int pick_workspace(state_env *e, MDB_txn *t)
{
    const char *env_ws = getenv("TF_WORKSPACE");
    char sel[STATE_WORKSPACE_NAME_MAX + 1] = "default";
    if (env_ws && *env_ws) {
        if (!ws_name_valid(env_ws))
            return err_set(CAIRN_EINVAL, "TF_WORKSPACE=\"%s\" is not a valid workspace name",
                           env_ws);
        snprintf(sel, sizeof sel, "%s", env_ws);
    } else {
        MDB_val k = {8, "selected"}, v;
        int rc = mdb_get(t, e->db_meta, &k, &v);
        if (rc == 0 && v.mv_size > 0 && v.mv_size <= STATE_WORKSPACE_NAME_MAX) {
            memcpy(sel, v.mv_data, v.mv_size);
            sel[v.mv_size] = 0;
        }
    }
    json_t *rec = NULL;
    int rc = ws_read(t, e, sel, &rec);
    json_decref(rec);
    if (rc == CAIRN_ENOTFOUND && env_ws && *env_ws)
        return err_set(CAIRN_ENOTFOUND, "Currently selected workspace \"%s\" does not exist "
                       "(TF_WORKSPACE)", sel);
    if (rc == CAIRN_ENOTFOUND)
        snprintf(sel, sizeof sel, "default");
    else if (rc != 0)
        return rc;
    snprintf(e->ws, sizeof e->ws, "%s", sel);
    return 0;
}

int state_open(state_env **out, const char *dir, unsigned flags)
{
    *out = NULL;
    state_env *e = xcalloc(1, sizeof *e);
    MDB_txn *t = NULL;
    int rc = 0;
    e->dir = xstrdup(dir && *dir ? dir : STATE_DIR_DEFAULT);
    e->data_path = xasprintf("%s/data.mdb", e->dir);
    snprintf(e->ws, sizeof e->ws, "default");
    struct stat sb;
    if (stat(e->dir, &sb) != 0) {
        if (!(flags & STATE_CREATE)) {
            rc = err_set(CAIRN_ENOTFOUND, "No state file was found in %s.", e->dir);
            goto fail;
        }
        if (mkdir(e->dir, 0700) != 0 && errno != EEXIST) {
            rc = err_set(CAIRN_EIO, "create %s: %s", e->dir, strerror(errno));
            goto fail;
        }
        chmod(e->dir, 0700);
    } else if (!S_ISDIR(sb.st_mode)) {
        rc = err_set(CAIRN_EINVAL, "%s is not a directory", e->dir);
        goto fail;
    }
    if (stat(e->data_path, &sb) != 0) {
        if (!(flags & STATE_CREATE)) {
            rc = err_set(CAIRN_ENOTFOUND, "No state file was found in %s.", e->dir);
            goto fail;
        }
        rc = store_create(e);
        if (rc != 0)
            goto fail;
    } else if (sb.st_size < STATE_MIN_FILE_SIZE) {
        rc = err_set(CAIRN_ECORRUPT, "the state store %s is truncated (%lld bytes). cairn "
                     "has not modified it. Restore a copy from %s/backups/, or move it aside "
                     "and push a saved state file", e->data_path, (long long)sb.st_size,
                     e->dir);
        goto fail;
    }
    int mrc = env_make(&e->env, e->dir);
    if (mrc != 0) {
        rc = state__mdb_err(e, mrc, "open");
        goto fail;
    }
    char lockp[4096];
    snprintf(lockp, sizeof lockp, "%s/lock.mdb", e->dir);
    chmod(lockp, 0600);
    rc = check_size(e);
    if (rc != 0)
        goto fail;
    int dead = 0;
    mdb_reader_check(e->env, &dead);
    mrc = mdb_txn_begin(e->env, NULL, MDB_RDONLY, &t);
    if (mrc != 0) {
        rc = state__mdb_err(e, mrc, "begin");
        goto fail;
    }
    rc = open_dbis(e, t, 0);
    if (rc == 0)
        rc = check_format(e, t);
    if (rc == 0)
        rc = pick_workspace(e, t);
    if (rc != 0)
        goto fail;
    mrc = mdb_txn_commit(t);
    t = NULL;
    if (mrc != 0) {
        rc = state__mdb_err(e, mrc, "open");
        goto fail;
    }
    *out = e;
    return 0;
fail:
    if (t)
        mdb_txn_abort(t);
    state_close(e);
    return rc;
}

void state_close(state_env *e)
{
    if (!e)
        return;
    if (e->env)
        mdb_env_close(e->env);
    free(e->dir);
    free(e->data_path);
    free(e);
}

const char *state_path(const state_env *env) { return env->dir; }
const char *state_workspace_name(const state_env *env) { return env->ws; }

/* ---------------------------------------------------------------- transactions */

static int txn_begin(state_txn **out, state_env *env, unsigned flags, const char *op,
                     int internal)
{
    *out = NULL;
    state_txn *x = xcalloc(1, sizeof *x);
    x->env = env;
    x->rdonly = (flags & STATE_TXN_RDONLY) != 0;
    x->internal = internal;
    x->operation = xstrdup(op ? op : "unknown");
    int rc = mdb_txn_begin(env->env, NULL, x->rdonly ? MDB_RDONLY : 0, &x->txn);
    if (rc != 0) {
        free(x->operation);
        free(x);
        return state__mdb_err(env, rc, "begin transaction");
    }
    if (!internal) {
        json_t *rec = NULL;
        int r = ws_read(x->txn, env, env->ws, &rec);
        json_decref(rec);
        if (r != 0) {
            state_abort(x);
            return r;
        }
    }
    *out = x;
    return 0;
}

int state_txn_begin(state_txn **out, state_env *env, unsigned flags, const char *operation)
{
    return txn_begin(out, env, flags, operation, 0);
}

int state__txn_internal(state_txn **out, state_env *env)
{
    return txn_begin(out, env, 0, "internal", 1);
}

int state_txn_poisoned(const state_txn *txn) { return txn->err != 0; }

static void txn_free(state_txn *x)
{
    for (size_t i = 0; i < x->nchanges; i++)
        free(x->changes[i].address);
    free(x->changes);
    free(x->operation);
    free(x->lineage_override);
    free(x->tfver_override);
    free(x);
}

void state_abort(state_txn *x)
{
    if (!x)
        return;
    if (x->txn)
        mdb_txn_abort(x->txn);
    txn_free(x);
}

int state__record(state_txn *x, const char *address, const char *action)
{
    if (x->nchanges >= STATE_TXN_MAX_CHANGES)
        return state__poison(x, err_set(CAIRN_ELIMIT, "more than %d changes in one state "
                                        "transaction", STATE_TXN_MAX_CHANGES));
    if (x->nchanges == x->capchanges) {
        x->capchanges = x->capchanges ? x->capchanges * 2 : 8;
        x->changes = xrealloc(x->changes, x->capchanges * sizeof *x->changes);
    }
    x->changes[x->nchanges].address = xstrdup(address);
    x->changes[x->nchanges].action = action;
    x->nchanges++;
    return 0;
}

static void be64(unsigned char out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* Bump the serial and append the history entry, inside x. */
static int commit_bump(state_txn *x)
{
    state_env *e = x->env;
    json_t *rec = NULL, *ent = NULL, *ch = NULL;
    char *s = NULL;
    int rc = ws_read(x->txn, e, e->ws, &rec);
    if (rc != 0)
        goto fail;
    uint64_t serial = (uint64_t)json_integer_value(json_object_get(rec, "serial"));
    serial = x->serial_override > 0 ? (uint64_t)x->serial_override : serial + 1;
    json_object_set_new(rec, "serial", json_integer((json_int_t)serial));
    if (x->lineage_override)
        json_object_set_new(rec, "lineage", json_string(x->lineage_override));
    if (x->tfver_override)
        json_object_set_new(rec, "terraform_version", json_string(x->tfver_override));
    rc = ws_write(x->txn, e, e->ws, rec);
    if (rc != 0)
        goto fail;
    char user[64], host[256];
    state__whoami(user, sizeof user, host, sizeof host);
    ch = json_array();
    for (size_t i = 0; i < x->nchanges; i++)
        json_array_append_new(ch, json_pack("[s,s]", x->changes[i].address,
                                            x->changes[i].action));
    ent = json_pack("{s:I, s:I, s:s, s:s, s:s, s:O}", "serial", (json_int_t)serial, "time",
                    (json_int_t)time(NULL), "user", user, "host", host, "operation",
                    x->operation, "changes", ch);
    s = ent ? json_dumps(ent, JSON_COMPACT) : NULL;
    if (!s) {
        rc = err_set(CAIRN_ENOMEM, "encode history entry");
        goto fail;
    }
    char key[STATE_WORKSPACE_NAME_MAX + 16];
    unsigned char sk[8];
    be64(sk, serial);
    int kl = state__key(e, (const char *)sk, 8, key, sizeof key);
    MDB_val k = {(size_t)kl, key}, v = {strlen(s), s};
    int mrc = mdb_put(x->txn, e->db_hist, &k, &v, 0);
    if (mrc != 0)
        rc = state__mdb_err(e, mrc, "append history");
fail:
    free(s);
    json_decref(ch);
    json_decref(ent);
    json_decref(rec);
    return rc;
}

int state_commit(state_txn *x)
{
    if (!x)
        return err_set(CAIRN_EINVAL, "state_commit: no transaction");
    int rc = x->err;
    if (rc != 0) {
        err_set(rc, "state transaction not committed: an earlier operation in it failed");
        state_abort(x);
        return rc;
    }
    if (!x->rdonly && !x->internal && (x->nchanges > 0 || x->serial_override > 0))
        rc = commit_bump(x);
    if (rc != 0) {
        state_abort(x);
        return rc;
    }
    int mrc = mdb_txn_commit(x->txn);
    x->txn = NULL;
    if (mrc != 0)
        rc = state__mdb_err(x->env, mrc, "commit");
    txn_free(x);
    return rc;
}

int state_serial(state_txn *x, uint64_t *out)
{
    json_t *rec = NULL;
    int rc = ws_read(x->txn, x->env, x->env->ws, &rec);
    if (rc == 0)
        *out = (uint64_t)json_integer_value(json_object_get(rec, "serial"));
    json_decref(rec);
    return rc;
}

int state_lineage(state_txn *x, char **out)
{
    json_t *rec = NULL;
    *out = NULL;
    int rc = ws_read(x->txn, x->env, x->env->ws, &rec);
    if (rc == 0) {
        const char *l = json_string_value(json_object_get(rec, "lineage"));
        *out = xstrdup(l ? l : "");
    }
    json_decref(rec);
    return rc;
}

/* terraform_version of the workspace (owned), used by the v4 export. */
char *state__tfver(state_txn *x)
{
    json_t *rec = NULL;
    char *out = NULL;
    if (ws_read(x->txn, x->env, x->env->ws, &rec) == 0) {
        const char *v = json_string_value(json_object_get(rec, "terraform_version"));
        out = xstrdup(v ? v : "1.5.7");
    }
    json_decref(rec);
    return out ? out : xstrdup("1.5.7");
}

/* ---------------------------------------------------------------- workspaces */

int state_workspace_use(state_env *env, const char *name)
{
    state_txn *x = NULL;
    if (!ws_name_valid(name))
        return err_set(CAIRN_EINVAL, "\"%s\" is not a valid workspace name", name);
    int rc = txn_begin(&x, env, STATE_TXN_RDONLY, NULL, 1);
    if (rc != 0)
        return rc;
    json_t *rec = NULL;
    rc = ws_read(x->txn, env, name, &rec);
    json_decref(rec);
    state_abort(x);
    if (rc == 0)
        snprintf(env->ws, sizeof env->ws, "%s", name);
    return rc;
}

int state_workspace_select(state_env *env, const char *name)
{
    int rc = state_workspace_use(env, name);
    if (rc != 0)
        return rc;
    state_txn *x = NULL;
    rc = state__txn_internal(&x, env);
    if (rc != 0)
        return rc;
    MDB_val k = {8, "selected"}, v = {strlen(name), (void *)name};
    int mrc = mdb_put(x->txn, env->db_meta, &k, &v, 0);
    if (mrc != 0) {
        state_abort(x);
        return state__mdb_err(env, mrc, "select workspace");
    }
    return state_commit(x);
}

int state_workspace_create(state_env *env, const char *name)
{
    if (!ws_name_valid(name))
        return err_set(CAIRN_EINVAL, "The workspace name \"%s\" is not allowed. The name must "
                       "contain only URL safe characters, and no path separators.", name);
    state_txn *x = NULL;
    int rc = state__txn_internal(&x, env);
    if (rc != 0)
        return rc;
    json_t *rec = NULL;
    rc = ws_read(x->txn, env, name, &rec);
    json_decref(rec);
    rec = NULL;
    if (rc == 0) {
        state_abort(x);
        return err_set(CAIRN_EINVAL, "Workspace \"%s\" already exists", name);
    }
    if (rc != CAIRN_ENOTFOUND) {
        state_abort(x);
        return rc;
    }
    rec = ws_record_new();
    rc = rec ? ws_write(x->txn, env, name, rec) : CAIRN_ENOMEM;
    json_decref(rec);
    if (rc != 0) {
        state_abort(x);
        return rc;
    }
    return state_commit(x);
}

int state__ws_clear(state_txn *x, MDB_dbi dbi)
{
    state_env *e = x->env;
    char key[STATE_WORKSPACE_NAME_MAX + 2];
    int kl = state__key(e, "", 0, key, sizeof key);
    MDB_cursor *c = NULL;
    int mrc = mdb_cursor_open(x->txn, dbi, &c);
    if (mrc != 0)
        return state__poison(x, state__mdb_err(e, mrc, "clear workspace"));
    MDB_val k, v;
    for (;;) {
        /* Re-seek after each delete: the cursor's position after a delete
         * at the end of the database is not usable. */
        k.mv_size = (size_t)kl;
        k.mv_data = key;
        mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        if (mrc != 0 || k.mv_size < (size_t)kl || memcmp(k.mv_data, key, (size_t)kl))
            break;
        mrc = mdb_cursor_del(c, 0);
        if (mrc != 0)
            break;
    }
    mdb_cursor_close(c);
    if (mrc != 0 && mrc != MDB_NOTFOUND)
        return state__poison(x, state__mdb_err(e, mrc, "clear workspace"));
    return 0;
}

int state__ws_is_empty(state_txn *x, int *empty)
{
    uint64_t serial = 0;
    int rc = state_serial(x, &serial);
    if (rc != 0)
        return rc;
    char **v = NULL;
    size_t n = 0;
    rc = state_list(x, NULL, &v, &n);
    state_strv_free(v, n);
    state_deposed *dv = NULL;
    size_t nd = 0;
    if (rc == 0)
        rc = state_deposed_list(x, &dv, &nd);
    state_deposed_free(dv, nd);
    *empty = rc == 0 && serial == 0 && n == 0 && nd == 0;
    return rc;
}

int state_workspace_delete(state_env *env, const char *name, int force)
{
    if (!strcmp(name, "default"))
        return err_set(CAIRN_EINVAL, "can't delete default state");
    if (!strcmp(name, env->ws))
        return err_set(CAIRN_EINVAL, "Workspace \"%s\" is your active workspace.\n\nYou cannot "
                       "delete the currently active workspace. Please switch\nto another "
                       "workspace and try again.", name);
    char saved[sizeof env->ws];
    memcpy(saved, env->ws, sizeof saved);
    int rc = state_workspace_use(env, name);
    if (rc != 0)
        return rc == CAIRN_ENOTFOUND
                   ? err_set(CAIRN_ENOTFOUND, "Workspace \"%s\" doesn't exist.", name) : rc;
    state_txn *x = NULL;
    rc = state__txn_internal(&x, env);
    if (rc != 0)
        goto out;
    char **v = NULL;
    size_t n = 0;
    rc = state_list(x, NULL, &v, &n);
    state_strv_free(v, n);
    if (rc == 0 && n > 0 && !force)
        rc = err_set(CAIRN_EBUSY, "Workspace \"%s\" is currently tracking the following "
                     "resource instances: %zu.\n\nDeleting this workspace would cause "
                     "cairn to lose track of any associated remote objects, which would then "
                     "require you to delete them manually outside of cairn. You should "
                     "destroy these objects with cairn before deleting the workspace.\n\nIf "
                     "you want to delete this workspace anyway, and have cairn forget about "
                     "these managed objects, use the -force option to disable this safety "
                     "check.", name, n);
    MDB_dbi dbis[] = {env->db_res, env->db_out, env->db_hist, env->db_intent};
    for (size_t i = 0; rc == 0 && i < sizeof dbis / sizeof dbis[0]; i++)
        rc = state__ws_clear(x, dbis[i]);
    if (rc == 0) {
        char key[STATE_WORKSPACE_NAME_MAX + 8];
        snprintf(key, sizeof key, "ws/%s", name);
        MDB_val k = {strlen(key), key};
        int mrc = mdb_del(x->txn, env->db_meta, &k, NULL);
        if (mrc != 0)
            rc = state__mdb_err(env, mrc, "delete workspace");
    }
    if (rc != 0) {
        state_abort(x);
        goto out;
    }
    rc = state_commit(x);
out:
    memcpy(env->ws, saved, sizeof saved);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_workspace_list(state_env *env, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    state_txn *x = NULL;
    int rc = txn_begin(&x, env, STATE_TXN_RDONLY, NULL, 1);
    if (rc != 0)
        return rc;
    MDB_cursor *c = NULL;
    int mrc = mdb_cursor_open(x->txn, env->db_meta, &c);
    size_t cap = 0;
    MDB_val k = {3, "ws/"}, v;
    if (mrc == 0)
        mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && k.mv_size > 3 && !memcmp(k.mv_data, "ws/", 3)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = xstrndup((const char *)k.mv_data + 3, k.mv_size - 3);
        mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (c)
        mdb_cursor_close(c);
    state_abort(x);
    if (mrc != 0 && mrc != MDB_NOTFOUND) {
        state_strv_free(*out, *n);
        *out = NULL;
        *n = 0;
        return state__mdb_err(env, mrc, "list workspaces");
    }
    qsort(*out, *n, sizeof **out, cmp_str);
    return 0;
}
