/*
 * tests/helpers/state_writer.c — drives the state store for the crash and
 * lock suites (tests/suites/state_crash.sh, state_lock.sh).
 *
 *   state_writer write DIR TOTAL [LOG]   take the lock, then commit
 *       single-instance changes until the serial reaches TOTAL; after each
 *       commit append the serial to LOG (so a SIGKILL shows what committed)
 *   state_writer check DIR [LOG]         open, verify serial == history
 *       entries, history serials 1..S contiguous, the last write present,
 *       and (with LOG) S is the last logged serial or one more; prints S
 *   state_writer lockwrite DIR TIMEOUT_MS HOLD_MS LOG   take the lock
 *       (waiting up to TIMEOUT_MS), write one instance, hold HOLD_MS, log
 *       "acquire_us release_us" to LOG; exit 3 when the lock was busy
 *   state_writer hold DIR                take the lock, print its ID, hold
 *       it until stdin closes
 *   state_writer setformat DIR N         raise the store format (tests)
 *   state_writer serial DIR              print the serial; exit 1 unless it
 *       equals the number of history entries
 */
#include "lang/diag.h"
#include "state/state.h"

#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WRITER_SLOTS 100   /* distinct addresses the writer cycles through */

static int die(const char *what)
{
    fprintf(stderr, "state_writer: %s: %s\n", what, err_msg());
    return 1;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void addr_for(uint64_t serial, char *buf, size_t n)
{
    snprintf(buf, n, "test_thing.w[%llu]", (unsigned long long)(serial % WRITER_SLOTS));
}

static int put_serial(state_env *env, uint64_t *serial_out)
{
    state_txn *t = NULL;
    uint64_t s = 0;
    if (state_txn_begin(&t, env, 0, "writer") != 0 || state_serial(t, &s) != 0)
        return die("begin");
    char addr[64], attrs[128];
    addr_for(s + 1, addr, sizeof addr);
    snprintf(attrs, sizeof attrs, "{\"id\":\"w-%llu\",\"n\":%llu}", (unsigned long long)(s + 1),
             (unsigned long long)(s + 1));
    state_instance *i = state_instance_new();
    i->type = xstrdup("test_thing");
    i->attrs_json = xstrdup(attrs);
    int rc = state_put(t, addr, i);
    state_instance_free(i);
    if (rc != 0) {
        state_abort(t);
        return die("put");
    }
    if (state_commit(t) != 0)
        return die("commit");
    *serial_out = s + 1;
    return 0;
}

static void log_line(int fd, const char *s)
{
    size_t n = strlen(s);
    if (fd >= 0 && write(fd, s, n) != (ssize_t)n)
        perror("state_writer: log");
}

static int cmd_write(const char *dir, uint64_t total, const char *log)
{
    state_env *env = NULL;
    state_lock *lk = NULL;
    if (state_open(&env, dir, STATE_CREATE) != 0)
        return die("open");
    if (state_lock_acquire(&lk, env, "writer", 0, NULL) != 0)
        return die("lock");
    int fd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0600) : -1;
    int first = 1;
    for (;;) {
        state_txn *t = NULL;
        uint64_t s = 0;
        if (state_txn_begin(&t, env, STATE_TXN_RDONLY, NULL) != 0 || state_serial(t, &s) != 0)
            return die("serial");
        state_abort(t);
        if (first) {
            /* Log where this run starts: an earlier run killed between its
             * commit and its log line must not make the log lag twice. */
            char line[32];
            snprintf(line, sizeof line, "%llu\n", (unsigned long long)s);
            log_line(fd, line);
            first = 0;
        }
        if (s >= total)
            break;
        if (put_serial(env, &s) != 0)
            return 1;
        char line[32];
        snprintf(line, sizeof line, "%llu\n", (unsigned long long)s);
        log_line(fd, line);
    }
    if (fd >= 0)
        close(fd);
    state_lock_release(lk);
    state_close(env);
    return 0;
}

struct hcheck {
    uint64_t next;
    int bad;
};

static int hist_cb(const state_history_entry *e, void *p)
{
    struct hcheck *h = p;
    if (e->serial != h->next) {
        fprintf(stderr, "state_writer: history entry %llu where %llu was expected\n",
                (unsigned long long)e->serial, (unsigned long long)h->next);
        h->bad = 1;
        return 1;
    }
    h->next++;
    return 0;
}

static uint64_t last_logged(const char *log)
{
    FILE *f = fopen(log, "r");
    unsigned long long v = 0, last = 0;
    if (!f)
        return 0;
    while (fscanf(f, "%llu", &v) == 1)
        last = v;
    fclose(f);
    return last;
}

static int cmd_check(const char *dir, const char *log)
{
    state_env *env = NULL;
    state_txn *t = NULL;
    uint64_t s = 0, n = 0;
    if (state_open(&env, dir, 0) != 0)
        return die("open");
    if (state_txn_begin(&t, env, STATE_TXN_RDONLY, NULL) != 0 || state_serial(t, &s) != 0 ||
        state_history_count(t, &n) != 0)
        return die("read");
    int bad = 0;
    if (n != s) {
        fprintf(stderr, "state_writer: serial %llu but %llu history entries\n",
                (unsigned long long)s, (unsigned long long)n);
        bad = 1;
    }
    struct hcheck h = {1, 0};
    state_history_each(t, NULL, hist_cb, &h);
    bad |= h.bad;
    if (s > 0) {
        char addr[64], want[64];
        state_instance *i = NULL;
        addr_for(s, addr, sizeof addr);
        snprintf(want, sizeof want, "\"n\":%llu}", (unsigned long long)s);
        if (state_get(t, addr, &i) != 0 || !strstr(i->attrs_json, want)) {
            fprintf(stderr, "state_writer: %s does not hold write %llu\n", addr,
                    (unsigned long long)s);
            bad = 1;
        }
        state_instance_free(i);
    }
    if (log) {
        uint64_t l = last_logged(log);
        if (s != l && s != l + 1) {
            fprintf(stderr, "state_writer: serial %llu, last logged commit %llu\n",
                    (unsigned long long)s, (unsigned long long)l);
            bad = 1;
        }
    }
    state_abort(t);
    state_close(env);
    printf("%llu\n", (unsigned long long)s);
    return bad;
}

static int cmd_serial(const char *dir)
{
    state_env *env = NULL;
    state_txn *t = NULL;
    uint64_t s = 0, n = 0;
    if (state_open(&env, dir, 0) != 0)
        return die("open");
    if (state_txn_begin(&t, env, STATE_TXN_RDONLY, NULL) != 0 || state_serial(t, &s) != 0 ||
        state_history_count(t, &n) != 0)
        return die("read");
    state_abort(t);
    state_close(env);
    printf("%llu\n", (unsigned long long)s);
    return n == s ? 0 : 1;
}

static int cmd_lockwrite(const char *dir, int64_t timeout, int64_t hold, const char *log)
{
    state_env *env = NULL;
    state_lock *lk = NULL;
    if (state_open(&env, dir, STATE_CREATE) != 0)
        return die("open");
    int rc = state_lock_acquire(&lk, env, "lockwrite", timeout, NULL);
    if (rc == CAIRN_EBUSY) {
        fprintf(stderr, "busy: %s\n", err_msg());
        state_close(env);
        return 3;
    }
    if (rc != 0)
        return die("lock");
    int64_t a = now_us();
    uint64_t s = 0;
    if (put_serial(env, &s) != 0)
        return 1;
    usleep((useconds_t)(hold * 1000));
    int64_t b = now_us();
    char line[64];
    snprintf(line, sizeof line, "%lld %lld\n", (long long)a, (long long)b);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    log_line(fd, line);
    if (fd >= 0)
        close(fd);
    state_lock_release(lk);
    state_close(env);
    return 0;
}

static int cmd_hold(const char *dir)
{
    state_env *env = NULL;
    state_lock *lk = NULL;
    if (state_open(&env, dir, STATE_CREATE) != 0)
        return die("open");
    if (state_lock_acquire(&lk, env, "hold", 0, NULL) != 0)
        return die("lock");
    printf("%s\n", state_lock_get_info(lk)->id);
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0)
        ;
    state_lock_release(lk);
    state_close(env);
    return 0;
}

static int cmd_setformat(const char *dir, const char *n)
{
    MDB_env *m;
    MDB_txn *t;
    MDB_dbi dbi;
    if (mdb_env_create(&m) || mdb_env_set_maxdbs(m, 8) || mdb_env_open(m, dir, 0, 0600) ||
        mdb_txn_begin(m, NULL, 0, &t) || mdb_dbi_open(t, "meta", 0, &dbi)) {
        fprintf(stderr, "state_writer: cannot open %s\n", dir);
        return 1;
    }
    MDB_val k = {6, "format"}, v = {strlen(n), (void *)n};
    if (mdb_put(t, dbi, &k, &v, 0) || mdb_txn_commit(t)) {
        fprintf(stderr, "state_writer: cannot write format\n");
        return 1;
    }
    mdb_env_close(m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "write"))
        return cmd_write(argv[2], strtoull(argv[3], NULL, 10), argc > 4 ? argv[4] : NULL);
    if (argc >= 3 && !strcmp(argv[1], "check"))
        return cmd_check(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc == 6 && !strcmp(argv[1], "lockwrite"))
        return cmd_lockwrite(argv[2], atoll(argv[3]), atoll(argv[4]), argv[5]);
    if (argc == 3 && !strcmp(argv[1], "serial"))
        return cmd_serial(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "hold"))
        return cmd_hold(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "setformat"))
        return cmd_setformat(argv[2], argv[3]);
    fprintf(stderr, "usage: state_writer write|check|lockwrite|hold|setformat ...\n");
    return 2;
}
