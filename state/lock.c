/*
 * state/lock.c — the store-wide lock: an OFD fcntl lock on DIR/state.lock
 * (so the kernel drops it when the holder dies, and threads of one process
 * do not share it by accident) plus a lock-info record in the "lock"
 * database naming the holder for the message other processes print.
 *
 * What must stay true: the record is written only while holding the fcntl
 * lock, and cleared before it is dropped; a record found while the fcntl
 * lock is free is stale (its holder died) and is simply replaced.
 */
#include "state/internal.h"
#include "engine/cli.h"   /* CAIRN_VERSION */

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a contender waits for a fresh holder to write its record. */
#define STATE_LOCK_INFO_WAIT_MS 300

struct state_lock {
    state_env *env;
    int fd;
    state_lock_info info;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int open_lockfile(state_env *env, int *fd)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/state.lock", env->dir);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd < 0)
        return err_set(CAIRN_EIO, "open lock file %s: %s", path, strerror(errno));
    fchmod(*fd, 0600);
    return 0;
}

/* 1: locked by us now, 0: held by someone else, <0 error. */
static int try_lock(int fd)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
        return 1;
    if (errno == EAGAIN || errno == EACCES)
        return 0;
    return err_set(CAIRN_EIO, "lock state: %s", strerror(errno));
}

static void unlock_fd(int fd)
{
    struct flock fl = {.l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    fcntl(fd, F_OFD_SETLK, &fl);
}

static void copy_str(char *dst, size_t n, json_t *j)
{
    const char *s = json_string_value(j);
    snprintf(dst, n, "%s", s ? s : "");
}

static int info_read(state_env *env, state_lock_info *out)
{
    memset(out, 0, sizeof *out);
    MDB_txn *t = NULL;
    int mrc = mdb_txn_begin(env->env, NULL, MDB_RDONLY, &t);
    if (mrc != 0)
        return state__mdb_err(env, mrc, "read lock info");
    MDB_val k = {4, "lock"}, v;
    mrc = mdb_get(t, env->db_lock, &k, &v);
    int rc = 0;
    if (mrc == MDB_NOTFOUND) {
        rc = err_set(CAIRN_ENOTFOUND, "no lock info");
    } else if (mrc != 0) {
        rc = state__mdb_err(env, mrc, "read lock info");
    } else {
        json_error_t je;
        json_t *j = json_loadb(v.mv_data, v.mv_size, 0, &je);
        if (!json_is_object(j)) {
            rc = err_set(CAIRN_ECORRUPT, "damaged lock info record in %s", env->data_path);
        } else {
            copy_str(out->id, sizeof out->id, json_object_get(j, "ID"));
            copy_str(out->user, sizeof out->user, json_object_get(j, "User"));
            copy_str(out->host, sizeof out->host, json_object_get(j, "Host"));
            copy_str(out->operation, sizeof out->operation, json_object_get(j, "Operation"));
            copy_str(out->version, sizeof out->version, json_object_get(j, "Version"));
            copy_str(out->path, sizeof out->path, json_object_get(j, "Path"));
            out->pid = (long)json_integer_value(json_object_get(j, "Pid"));
            out->since = json_integer_value(json_object_get(j, "Created"));
        }
        json_decref(j);
    }
    mdb_txn_abort(t);
    return rc;
}

static int info_write(state_env *env, const state_lock_info *in, int clear_id_only)
{
    state_txn *x = NULL;
    int rc = state__txn_internal(&x, env);
    if (rc != 0)
        return rc;
    MDB_val k = {4, "lock"};
    int mrc;
    if (clear_id_only) {
        state_lock_info cur;
        if (info_read(env, &cur) == 0 && strcmp(cur.id, in->id) != 0) {
            state_abort(x);
            return 0;   /* someone else's record: leave it */
        }
        mrc = mdb_del(x->txn, env->db_lock, &k, NULL);
        if (mrc == MDB_NOTFOUND)
            mrc = 0;
    } else {
        json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s}", "ID", in->id,
                              "User", in->user, "Host", in->host, "Pid", (json_int_t)in->pid,
                              "Operation", in->operation, "Created", (json_int_t)in->since,
                              "Version", in->version, "Path", in->path);
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (!s) {
            state_abort(x);
            return err_set(CAIRN_EINVAL, "lock info cannot be encoded");
        }
        MDB_val v = {strlen(s), s};
        mrc = mdb_put(x->txn, env->db_lock, &k, &v, 0);
        free(s);
    }
    if (mrc != 0) {
        state_abort(x);
        return state__mdb_err(env, mrc, "write lock info");
    }
    return state_commit(x);
}

/* A record naming a live process, or NULL-ish (id[0]==0) if none shows up
 * within STATE_LOCK_INFO_WAIT_MS (a holder that just got the lock). */
static void holder_info(state_env *env, state_lock_info *h)
{
    char host[256], user[64];
    state__whoami(user, sizeof user, host, sizeof host);
    int64_t until = now_ms() + STATE_LOCK_INFO_WAIT_MS;
    for (;;) {
        int rc = info_read(env, h);
        int stale = rc == 0 && !strcmp(h->host, host) && h->pid > 0 &&
                    kill((pid_t)h->pid, 0) != 0 && errno == ESRCH;
        if (rc == 0 && !stale)
            return;
        if (now_ms() >= until)
            break;
        sleep_ms(5);
    }
    memset(h, 0, sizeof *h);
}

static int64_t jitter(int64_t ms)
{
    unsigned r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
        r = (unsigned)getpid();
    return ms / 2 + (int64_t)(r % (unsigned)(ms / 2 + 1));
}

int state_lock_acquire(state_lock **out, state_env *env, const char *operation,
                       int64_t timeout_ms, state_lock_info *holder)
{
    *out = NULL;
    if (holder)
        memset(holder, 0, sizeof *holder);
    int fd = -1, rc = open_lockfile(env, &fd);
    if (rc != 0)
        return rc;
    int64_t start = now_ms(), deadline = start + (timeout_ms > 0 ? timeout_ms : 0);
    int64_t delay = STATE_LOCK_BACKOFF_MIN_MS;
    for (;;) {
        rc = try_lock(fd);
        if (rc != 0)
            break;
        int64_t now = now_ms();
        if (now >= deadline)
            break;
        int64_t d = jitter(delay);
        sleep_ms(d < deadline - now ? d : deadline - now);
        delay = delay * 2 > STATE_LOCK_BACKOFF_MAX_MS ? STATE_LOCK_BACKOFF_MAX_MS : delay * 2;
    }
    if (rc < 0) {
        close(fd);
        return rc;
    }
    if (rc == 0) {
        state_lock_info h;
        holder_info(env, &h);
        close(fd);
        if (holder)
            *holder = h;
        if (!h.id[0])
            return err_set(CAIRN_EBUSY, "the state is locked by another process (no lock "
                           "info recorded yet)");
        long held = (long)(time(NULL) - h.since);
        return err_set(CAIRN_EBUSY, "the state is locked by %s@%s (pid %ld, operation \"%s\") "
                       "for %lds; lock ID %s", h.user, h.host, h.pid, h.operation,
                       held < 0 ? 0 : held, h.id);
    }
    state_lock *lk = xcalloc(1, sizeof *lk);
    lk->env = env;
    lk->fd = fd;
    rc = state__uuid(lk->info.id);
    state__whoami(lk->info.user, sizeof lk->info.user, lk->info.host, sizeof lk->info.host);
    lk->info.pid = (long)getpid();
    snprintf(lk->info.operation, sizeof lk->info.operation, "%s", operation ? operation : "");
    lk->info.since = (int64_t)time(NULL);
    snprintf(lk->info.version, sizeof lk->info.version, "%s", CAIRN_VERSION);
    snprintf(lk->info.path, sizeof lk->info.path, "%s", env->dir);
    if (rc == 0)
        rc = info_write(env, &lk->info, 0);
    if (rc != 0) {
        unlock_fd(fd);
        close(fd);
        free(lk);
        return rc;
    }
    *out = lk;
    return 0;
}

int state_lock_release(state_lock *lk)
{
    if (!lk)
        return 0;
    int rc = info_write(lk->env, &lk->info, 1);
    unlock_fd(lk->fd);
    close(lk->fd);
    free(lk);
    return rc;
}

const state_lock_info *state_lock_get_info(const state_lock *lk) { return &lk->info; }

int state_lock_read(state_env *env, state_lock_info *out, int *live)
{
    if (live) {
        int fd = -1;
        *live = 0;
        if (open_lockfile(env, &fd) == 0) {
            struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
            if (fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
                *live = 1;
            close(fd);
        }
    }
    return info_read(env, out);
}

int state_force_unlock(state_env *env, const char *id, int force)
{
    state_lock_info cur;
    int live = 0;
    int rc = state_lock_read(env, &cur, &live);
    if (rc == CAIRN_ENOTFOUND)
        return err_set(CAIRN_ENOTFOUND, "no lock is recorded for %s", env->dir);
    if (rc != 0)
        return rc;
    if (strcmp(cur.id, id) != 0)
        return err_set(CAIRN_EINVAL, "lock ID \"%s\" does not match existing lock ID \"%s\"",
                       id, cur.id);
    if (live && !force)
        return err_set(CAIRN_EBUSY, "the lock is held by a live process (%s@%s, pid %ld); "
                       "use -force to clear its record anyway", cur.user, cur.host, cur.pid);
    return info_write(env, &cur, 1);
}

int state_duration_parse(const char *s, int64_t *ms)
{
    static const struct { const char *u; double ms; } units[] = {
        {"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3}, {"ms", 1}, {"s", 1000},
        {"m", 60000}, {"h", 3600000},
    };
    const char *p = s;
    double total = 0;
    *ms = 0;
    if (!strcmp(s, "0"))
        return 0;
    if (!*p)
        goto bad;
    while (*p) {
        char *end;
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            goto bad;
        double n = strtod(p, &end);
        if (end == p)
            goto bad;
        p = end;
        size_t best = 0, bi = 0;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            size_t l = strlen(units[i].u);
            if (!strncmp(p, units[i].u, l) && l > best) {
                best = l;
                bi = i;
            }
        }
        if (!best)
            goto bad;
        total += n * units[bi].ms;
        p += best;
    }
    if (total > 1e12)
        goto bad;
    *ms = (int64_t)ceil(total);
    return 0;
bad:
    return err_set(CAIRN_EINVAL, "time: invalid duration \"%s\"", s);
}
