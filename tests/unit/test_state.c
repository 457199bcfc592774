/* tests/unit/test_state.c — the LMDB store: open, transactions, poisoning,
 * addresses, listing, moves, intents, workspaces, lock, history, backups. */
#include "tests/unit/harness.h"
#include "lang/diag.h"
#include "state/state.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

static const char *fresh_dir(void)
{
    static int n;
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/cairn-test-state-XXXXXX");
        if (!mkdtemp(tmpdir))
            abort();
    }
    static char d[300];
    snprintf(d, sizeof d, "%s/s%d", tmpdir, n++);
    return d;
}

static state_instance *mk(const char *type, const char *attrs)
{
    state_instance *i = state_instance_new();
    i->type = xstrdup(type);
    i->provider = xstrdup("provider[\"registry.terraform.io/hashicorp/aws\"]");
    i->attrs_json = xstrdup(attrs);
    return i;
}

static state_env *open_new(void)
{
    state_env *e = NULL;
    int rc = state_open(&e, fresh_dir(), STATE_CREATE);
    if (rc != 0)
        printf("# open: %s\n", err_msg());
    return e;
}

static int put1(state_env *e, const char *addr, const char *type, const char *attrs)
{
    state_txn *t = NULL;
    int rc = state_txn_begin(&t, e, 0, "test");
    if (rc)
        return rc;
    state_instance *i = mk(type, attrs);
    rc = state_put(t, addr, i);
    state_instance_free(i);
    if (rc) {
        state_abort(t);
        return rc;
    }
    return state_commit(t);
}

static uint64_t serial_of(state_env *e)
{
    state_txn *t = NULL;
    uint64_t s = 999;
    if (state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL) == 0) {
        state_serial(t, &s);
        state_abort(t);
    }
    return s;
}

TEST(addr_parse_and_print)
{
    state_addr a;
    CHECK_INT(state_addr_parse(&a, "module.net.aws_subnet.private[\"us-east-1a\"]"), 0);
    CHECK_INT(a.nmodules, 1);
    CHECK_STR(a.modules[0].name, "net");
    CHECK_STR(a.type, "aws_subnet");
    CHECK_STR(a.name, "private");
    CHECK_INT(a.key.kind, STATE_KEY_STR);
    char *s = state_addr_str(&a);
    CHECK_STR(s, "module.net.aws_subnet.private[\"us-east-1a\"]");
    free(s);
    state_addr_free(&a);
    CHECK_INT(state_addr_parse(&a, "module.a[0].module.b[\"x\\\"y\"].data.aws_ami.u[3]"), 0);
    CHECK_INT(a.nmodules, 2);
    CHECK(a.data);
    CHECK_INT(a.key.i, 3);
    CHECK_STR(a.modules[1].key.s, "x\"y");
    s = state_addr_str(&a);
    CHECK_STR(s, "module.a[0].module.b[\"x\\\"y\"].data.aws_ami.u[3]");
    free(s);
    state_addr_free(&a);
    CHECK_INT(state_addr_parse(&a, "module.net"), 0);
    CHECK(!a.has_resource);
    state_addr_free(&a);
}

TEST(addr_rejects_bad)
{
    const char *bad[] = {"", "aws_vpc", "aws_vpc.", "aws_vpc.main[", "aws_vpc.main[x]",
                         "aws_vpc.main[\"a]", "module.", "1abc.x", "aws_vpc.main.extra",
                         "aws_vpc.main[0]x", "module.a..aws_x.y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        state_addr a;
        int rc = state_addr_parse(&a, bad[i]);
        if (rc == 0)
            printf("# accepted: %s\n", bad[i]);
        CHECK(rc == CAIRN_EINVAL);
        CHECK(strstr(err_msg(), "Invalid address") != NULL);
    }
}

TEST(addr_matches_and_order)
{
    state_addr p, i1, i2, i3;
    CHECK_INT(state_addr_parse(&p, "module.net"), 0);
    CHECK_INT(state_addr_parse(&i1, "module.net.aws_subnet.a[0]"), 0);
    CHECK_INT(state_addr_parse(&i2, "module.network.aws_subnet.a[0]"), 0);
    CHECK_INT(state_addr_parse(&i3, "module.net.module.inner.aws_x.y"), 0);
    CHECK(state_addr_matches(&p, &i1));
    CHECK(!state_addr_matches(&p, &i2));
    CHECK(state_addr_matches(&p, &i3));
    state_addr_free(&p);
    CHECK_INT(state_addr_parse(&p, "module.net.aws_subnet.a"), 0);
    CHECK(state_addr_matches(&p, &i1));
    CHECK(!state_addr_matches(&p, &i3));
    state_addr_free(&p);
    state_addr a2, a10;
    CHECK_INT(state_addr_parse(&a2, "aws_eip.nat[2]"), 0);
    CHECK_INT(state_addr_parse(&a10, "aws_eip.nat[10]"), 0);
    CHECK(state_addr_compare(&a2, &a10) < 0);
    state_addr_free(&a2);
    state_addr_free(&a10);
    state_addr_free(&i1);
    state_addr_free(&i2);
    state_addr_free(&i3);
}

TEST(open_missing_without_create)
{
    state_env *e = NULL;
    CHECK_INT(state_open(&e, fresh_dir(), 0), CAIRN_ENOTFOUND);
    CHECK(e == NULL);
}

TEST(put_get_commit_serial_history)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_INT(serial_of(e), 0);
    CHECK_INT(put1(e, "aws_vpc.main", "aws_vpc",
                   "{\"id\":\"vpc-1\",\"cidr_block\":\"10.0.0.0/16\"}"), 0);
    CHECK_INT(put1(e, "aws_vpc.main", "aws_vpc",
                   "{\"id\":\"vpc-1\",\"cidr_block\":\"10.1.0.0/16\"}"), 0);
    CHECK_INT(serial_of(e), 2);
    /* Putting the same instance again changes nothing. */
    CHECK_INT(put1(e, "aws_vpc.main", "aws_vpc",
                   "{\"id\":\"vpc-1\",\"cidr_block\":\"10.1.0.0/16\"}"), 0);
    CHECK_INT(serial_of(e), 2);
    state_txn *t = NULL;
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    state_instance *i = NULL;
    CHECK_INT(state_get(t, "aws_vpc.main", &i), 0);
    if (i) {
        CHECK_STR(i->type, "aws_vpc");
        CHECK(strstr(i->attrs_json, "10.1.0.0/16") != NULL);
        state_instance_free(i);
    }
    CHECK_INT(state_get(t, "aws_vpc.other", &i), CAIRN_ENOTFOUND);
    uint64_t n = 0;
    CHECK_INT(state_history_count(t, &n), 0);
    CHECK_INT(n, 2);
    state_abort(t);
    /* An empty write transaction changes nothing. */
    CHECK_INT(state_txn_begin(&t, e, 0, "noop"), 0);
    CHECK_INT(state_commit(t), 0);
    CHECK_INT(serial_of(e), 2);
    state_close(e);
}

TEST(poisoned_txn_cannot_commit)
{
    state_env *e = open_new();
    if (!e)
        return;
    state_txn *t = NULL;
    CHECK_INT(state_txn_begin(&t, e, 0, "test"), 0);
    state_instance *i = mk("aws_vpc", "{\"id\":\"a\"}");
    CHECK_INT(state_put(t, "aws_vpc.a", i), 0);
    CHECK(!state_txn_poisoned(t));
    CHECK_INT(state_put(t, "not an address", i), CAIRN_EINVAL);
    CHECK(state_txn_poisoned(t));
    CHECK(state_put(t, "aws_vpc.b", i) != 0);
    CHECK(state_commit(t) != 0);
    state_instance_free(i);
    CHECK_INT(serial_of(e), 0);
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    state_instance *g = NULL;
    CHECK_INT(state_get(t, "aws_vpc.a", &g), CAIRN_ENOTFOUND);
    state_abort(t);
    state_close(e);
}

TEST(put_rejects_bad_instances)
{
    state_env *e = open_new();
    if (!e)
        return;
    state_txn *t = NULL;
    CHECK_INT(state_txn_begin(&t, e, 0, "test"), 0);
    state_instance *i = mk("aws_vpc", "[1,2]");
    CHECK_INT(state_put(t, "aws_vpc.a", i), CAIRN_EINVAL);
    state_abort(t);
    state_instance_free(i);
    CHECK_INT(state_txn_begin(&t, e, 0, "test"), 0);
    i = mk("aws_subnet", "{}");
    CHECK_INT(state_put(t, "aws_vpc.a", i), CAIRN_EINVAL);
    state_abort(t);
    state_instance_free(i);
    state_close(e);
}

TEST(list_patterns_and_order)
{
    state_env *e = open_new();
    if (!e)
        return;
    const char *addrs[] = {"aws_eip.nat[10]", "aws_eip.nat[2]", "aws_vpc.main",
                           "module.net.aws_subnet.a[\"x\"]", "module.network.aws_subnet.a",
                           "module.net.module.inner.aws_x.y"};
    state_txn *t = NULL;
    CHECK_INT(state_txn_begin(&t, e, 0, "test"), 0);
    for (size_t k = 0; k < sizeof addrs / sizeof addrs[0]; k++) {
        state_addr a;
        state_addr_parse(&a, addrs[k]);
        state_instance *i = mk(a.type, "{}");
        CHECK_INT(state_put(t, addrs[k], i), 0);
        state_instance_free(i);
        state_addr_free(&a);
    }
    CHECK_INT(state_commit(t), 0);
    CHECK_INT(serial_of(e), 1);
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    char **v = NULL;
    size_t n = 0;
    CHECK_INT(state_list(t, NULL, &v, &n), 0);
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK_STR(v[0], "aws_eip.nat[2]");
        CHECK_STR(v[1], "aws_eip.nat[10]");
        CHECK_STR(v[2], "aws_vpc.main");
    }
    state_strv_free(v, n);
    CHECK_INT(state_list(t, "module.net", &v, &n), 0);
    CHECK_INT(n, 2);
    state_strv_free(v, n);
    CHECK_INT(state_list(t, "aws_eip.nat", &v, &n), 0);
    CHECK_INT(n, 2);
    state_strv_free(v, n);
    CHECK_INT(state_list(t, "aws_eip.nat[2]", &v, &n), 0);
    CHECK_INT(n, 1);
    state_strv_free(v, n);
    state_abort(t);
    state_close(e);
}

TEST(move_instance_and_types)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_INT(put1(e, "aws_vpc.a", "aws_vpc", "{\"id\":\"v\"}"), 0);
    CHECK_INT(put1(e, "aws_vpc.taken", "aws_vpc", "{\"id\":\"t\"}"), 0);
    state_txn *t = NULL;
    CHECK_INT(state_txn_begin(&t, e, 0, "state mv"), 0);
    CHECK_INT(state_move(t, "aws_vpc.a", "aws_vpc.b[\"k\"]"), 0);
    CHECK_INT(state_commit(t), 0);
    CHECK_INT(state_txn_begin(&t, e, 0, "state mv"), 0);
    CHECK_INT(state_move(t, "aws_vpc.b[\"k\"]", "aws_subnet.b"), CAIRN_EINVAL);
    state_abort(t);
    CHECK_INT(state_txn_begin(&t, e, 0, "state mv"), 0);
    CHECK_INT(state_move(t, "aws_vpc.b[\"k\"]", "aws_vpc.taken"), CAIRN_EINVAL);
    state_abort(t);
    CHECK_INT(serial_of(e), 3);
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    char **v = NULL;
    size_t n = 0;
    CHECK_INT(state_list(t, NULL, &v, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2)
        CHECK_STR(v[0], "aws_vpc.b[\"k\"]");
    state_strv_free(v, n);
    state_abort(t);
    state_close(e);
}

static int hist_cb(const state_history_entry *h, void *p)
{
    int *count = p;
    (*count)++;
    if (h->serial == 2) {
        CHECK_INT(h->nchanges, 2);
        CHECK_STR(h->operation, "state mv");
        if (h->nchanges == 2) {
            CHECK_STR(h->changes[0].action, "move-from");
            CHECK_STR(h->changes[1].address, "aws_vpc.b");
        }
    }
    return 0;
}

TEST(history_filter)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_INT(put1(e, "aws_vpc.a", "aws_vpc", "{}"), 0);
    state_txn *t = NULL;
    CHECK_INT(state_txn_begin(&t, e, 0, "state mv"), 0);
    CHECK_INT(state_move(t, "aws_vpc.a", "aws_vpc.b"), 0);
    CHECK_INT(state_commit(t), 0);
    CHECK_INT(put1(e, "aws_vpc.c", "aws_vpc", "{}"), 0);
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    int count = 0;
    CHECK_INT(state_history_each(t, NULL, hist_cb, &count), 0);
    CHECK_INT(count, 3);
    count = 0;
    CHECK_INT(state_history_each(t, "aws_vpc.b", hist_cb, &count), 0);
    CHECK_INT(count, 1);
    state_abort(t);
    state_close(e);
}

TEST(intents_open_complete_list)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_INT(state_intent_open(e, "aws_vpc.a", STATE_INTENT_CREATE, "tok-1", "apply"), 0);
    CHECK_INT(state_intent_open(e, "aws_vpc.a", STATE_INTENT_CREATE, "tok-2", "apply"),
              CAIRN_EBUSY);
    CHECK_INT(state_intent_open_planned(e, "aws_vpc.b", STATE_INTENT_CREATE, "tok-3", "apply",
                                        "{\"cidr_block\":\"10.0.0.0/16\"}"), 0);
    state_txn *t = NULL;
    state_intent *iv = NULL;
    size_t n = 0;
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    CHECK_INT(state_intent_list(t, &iv, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(iv[0].address, "aws_vpc.a");
        CHECK_STR(iv[0].token, "tok-1");
        CHECK_INT(iv[0].action, STATE_INTENT_CREATE);
        CHECK(iv[0].planned == NULL);
        CHECK_STR(iv[1].planned ? iv[1].planned : "(null)", "{\"cidr_block\":\"10.0.0.0/16\"}");
    }
    state_intents_free(iv, n);
    state_abort(t);
    state_instance *i = mk("aws_vpc", "{\"id\":\"vpc-9\"}");
    CHECK_INT(state_intent_complete(e, "aws_vpc.a", i, "apply"), 0);
    CHECK_INT(state_intent_complete(e, "aws_vpc.a", i, "apply"), CAIRN_ENOTFOUND);
    state_instance_free(i);
    CHECK_INT(state_intent_complete(e, "aws_vpc.b", NULL, "apply"), 0);
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    CHECK_INT(state_intent_list(t, &iv, &n), 0);
    CHECK_INT(n, 0);
    state_intents_free(iv, n);
    state_instance *g = NULL;
    CHECK_INT(state_get(t, "aws_vpc.a", &g), 0);
    state_instance_free(g);
    CHECK_INT(state_get(t, "aws_vpc.b", &g), CAIRN_ENOTFOUND);
    state_abort(t);
    /* Abandoning a create intent leaves the existing instance alone. */
    CHECK_INT(state_intent_open(e, "aws_vpc.a", STATE_INTENT_CREATE, "tok-4", "apply"), 0);
    CHECK_INT(state_intent_abandon(e, "aws_vpc.a", "apply"), 0);
    CHECK_INT(state_intent_abandon(e, "aws_vpc.a", "apply"), CAIRN_ENOTFOUND);
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    CHECK_INT(state_get(t, "aws_vpc.a", &g), 0);
    state_instance_free(g);
    state_abort(t);
    state_close(e);
}

TEST(deposed_objects)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_INT(put1(e, "aws_vpc.a[0]", "aws_vpc", "{\"id\":\"vpc-old\"}"), 0);
    /* A create_before_destroy replacement: the old object is deposed and
     * the new one takes the address, in one transaction. */
    CHECK_INT(state_intent_open(e, "aws_vpc.a[0]", STATE_INTENT_CREATE, "tok", "apply"), 0);
    state_instance *ni = mk("aws_vpc", "{\"id\":\"vpc-new\"}");
    CHECK_INT(state_intent_complete_depose(e, "aws_vpc.a[0]", ni, "0a1b2c3d", "apply"), 0);
    state_instance_free(ni);
    state_txn *t = NULL;
    state_deposed *dv = NULL;
    size_t n = 0;
    char **names = NULL;
    size_t nn = 0;
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    CHECK_INT(state_deposed_list(t, &dv, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(dv[0].address, "aws_vpc.a[0]");
        CHECK_STR(dv[0].key, "0a1b2c3d");
        CHECK_STR(dv[0].inst->attrs_json, "{\"id\":\"vpc-old\"}");
    }
    state_deposed_free(dv, n);
    state_instance *g = NULL;
    CHECK_INT(state_get(t, "aws_vpc.a[0]", &g), 0);
    CHECK_STR(g ? g->attrs_json : "", "{\"id\":\"vpc-new\"}");
    state_instance_free(g);
    /* Walks of instances do not see deposed objects. */
    CHECK_INT(state_list(t, NULL, &names, &nn), 0);
    CHECK_INT(nn, 1);
    state_strv_free(names, nn);
    CHECK_INT(state_list(t, "aws_vpc.a", &names, &nn), 0);
    CHECK_INT(nn, 1);
    state_strv_free(names, nn);
    /* Exported as Terraform does: an instance with "deposed". */
    char *js = NULL;
    CHECK_INT(state_tfstate_export(t, &js), 0);
    CHECK(js && strstr(js, "\"deposed\": \"0a1b2c3d\"") != NULL);
    CHECK(js && strstr(js, "vpc-old") != NULL && strstr(js, "vpc-new") != NULL);
    state_abort(t);
    /* Pushed into a fresh store, the deposed object comes back. */
    state_env *e2 = open_new();
    CHECK_INT(state_txn_begin(&t, e2, 0, "state push"), 0);
    CHECK_INT(state_tfstate_import(t, js ? js : "", js ? strlen(js) : 0, 0), 0);
    CHECK_INT(state_commit(t), 0);
    CHECK_INT(state_txn_begin(&t, e2, STATE_TXN_RDONLY, NULL), 0);
    CHECK_INT(state_deposed_list(t, &dv, &n), 0);
    CHECK_INT(n, 1);
    CHECK_STR(n == 1 ? dv[0].key : "", "0a1b2c3d");
    state_deposed_free(dv, n);
    state_abort(t);
    state_close(e2);
    free(js);
    /* Deleted when its delete succeeded; a second delete is not found. */
    CHECK_INT(state_txn_begin(&t, e, 0, "apply"), 0);
    CHECK_INT(state_deposed_delete(t, "aws_vpc.a[0]", "0a1b2c3d"), 0);
    CHECK_INT(state_deposed_delete(t, "aws_vpc.a[0]", "0a1b2c3d"), CAIRN_ENOTFOUND);
    CHECK_INT(state_commit(t), 0);
    CHECK_INT(state_txn_begin(&t, e, 0, "apply"), 0);
    CHECK_INT(state_deposed_list(t, &dv, &n), 0);
    CHECK_INT(n, 0);
    state_deposed_free(dv, n);
    /* A bad key is refused. */
    state_instance *bi = mk("aws_vpc", "{}");
    CHECK_INT(state_deposed_put(t, "aws_vpc.a[0]", "XYZ", bi), CAIRN_EINVAL);
    state_instance_free(bi);
    state_abort(t);
    state_close(e);
}

TEST(workspaces)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_STR(state_workspace_name(e), "default");
    CHECK_INT(put1(e, "aws_vpc.a", "aws_vpc", "{}"), 0);
    CHECK_INT(state_workspace_create(e, "dev"), 0);
    CHECK_INT(state_workspace_create(e, "dev"), CAIRN_EINVAL);
    CHECK_INT(state_workspace_create(e, "bad/name"), CAIRN_EINVAL);
    CHECK_INT(state_workspace_select(e, "dev"), 0);
    CHECK_STR(state_workspace_name(e), "dev");
    CHECK_INT(serial_of(e), 0);
    CHECK_INT(put1(e, "aws_vpc.b", "aws_vpc", "{}"), 0);
    char **v = NULL;
    size_t n = 0;
    CHECK_INT(state_workspace_list(e, &v, &n), 0);
    CHECK_INT(n, 2);
    state_strv_free(v, n);
    char dir[300];
    snprintf(dir, sizeof dir, "%s", state_path(e));
    state_close(e);
    CHECK_INT(state_open(&e, dir, 0), 0);
    if (!e)
        return;
    CHECK_STR(state_workspace_name(e), "dev");
    CHECK_INT(state_workspace_delete(e, "dev", 0), CAIRN_EINVAL);   /* active */
    CHECK_INT(state_workspace_select(e, "default"), 0);
    CHECK_INT(serial_of(e), 1);
    CHECK_INT(state_workspace_delete(e, "dev", 0), CAIRN_EBUSY);    /* has resources */
    CHECK_INT(state_workspace_delete(e, "dev", 1), 0);
    CHECK_INT(state_workspace_delete(e, "default", 1), CAIRN_EINVAL);
    CHECK_INT(state_workspace_list(e, &v, &n), 0);
    CHECK_INT(n, 1);
    state_strv_free(v, n);
    state_close(e);
}

TEST(lock_exclusive_and_stale)
{
    state_env *e = open_new();
    if (!e)
        return;
    state_lock *a = NULL, *b = NULL;
    state_lock_info h;
    CHECK_INT(state_lock_acquire(&a, e, "apply", 0, NULL), 0);
    /* A second OFD lock, even in this process, is refused. */
    CHECK_INT(state_lock_acquire(&b, e, "plan", 50, &h), CAIRN_EBUSY);
    CHECK_STR(h.operation, "apply");
    CHECK_INT(h.pid, getpid());
    CHECK(strstr(err_msg(), "locked by") != NULL);
    state_lock_info r;
    int live = 0;
    CHECK_INT(state_lock_read(e, &r, &live), 0);
    CHECK(live);
    CHECK_INT(state_force_unlock(e, r.id, 0), CAIRN_EBUSY);
    CHECK_INT(state_force_unlock(e, "nope", 0), CAIRN_EINVAL);
    CHECK_INT(state_lock_release(a), 0);
    CHECK_INT(state_lock_read(e, &r, &live), CAIRN_ENOTFOUND);
    CHECK(!live);
    /* A child takes the lock and dies holding it: the record stays, the
     * lock does not. */
    char dir[300];
    snprintf(dir, sizeof dir, "%s", state_path(e));
    pid_t pid = fork();
    if (pid == 0) {
        state_env *c = NULL;
        state_lock *l = NULL;
        if (state_open(&c, dir, 0) == 0 && state_lock_acquire(&l, c, "apply", 0, NULL) == 0)
            _exit(0);
        _exit(1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK_INT(state_lock_read(e, &r, &live), 0);
    CHECK(!live);
    CHECK_INT(state_lock_acquire(&a, e, "apply", 0, NULL), 0);
    CHECK_INT(state_lock_release(a), 0);
    state_close(e);
}

TEST(duration_parse)
{
    int64_t ms = -1;
    CHECK_INT(state_duration_parse("0", &ms), 0);
    CHECK_INT(ms, 0);
    CHECK_INT(state_duration_parse("30s", &ms), 0);
    CHECK_INT(ms, 30000);
    CHECK_INT(state_duration_parse("1m30s", &ms), 0);
    CHECK_INT(ms, 90000);
    CHECK_INT(state_duration_parse("500ms", &ms), 0);
    CHECK_INT(ms, 500);
    CHECK_INT(state_duration_parse("1.5h", &ms), 0);
    CHECK_INT(ms, 5400000);
    CHECK_INT(state_duration_parse("30", &ms), CAIRN_EINVAL);
    CHECK_INT(state_duration_parse("", &ms), CAIRN_EINVAL);
    CHECK_INT(state_duration_parse("5x", &ms), CAIRN_EINVAL);
    CHECK_INT(state_duration_parse("-1s", &ms), CAIRN_EINVAL);
}

TEST(encode_roundtrip_and_version)
{
    state_instance *i = mk("aws_db_instance", "{\"password\":\"p\",\"port\":5432}");
    i->sensitive_json = xstrdup("[[{\"type\":\"get_attr\",\"value\":\"password\"}]]");
    i->schema_version = 2;
    i->status = STATE_STATUS_TAINTED;
    state_instance_add_dep(i, "aws_vpc.main");
    char *enc = NULL;
    size_t len = 0;
    CHECK_INT(state_instance_encode(&enc, &len, i), 0);
    state_instance *d = NULL;
    CHECK_INT(state_instance_decode(&d, enc, len), 0);
    if (d) {
        CHECK_STR(d->type, "aws_db_instance");
        CHECK_INT(d->schema_version, 2);
        CHECK_INT(d->status, STATE_STATUS_TAINTED);
        CHECK_INT(d->ndeps, 1);
        CHECK_STR(d->sensitive_json, i->sensitive_json);
        state_instance_free(d);
    }
    free(enc);
    state_instance_free(i);
    const char *newer = "{\"v\":99,\"type\":\"x\",\"attributes\":{}}";
    CHECK_INT(state_instance_decode(&d, newer, strlen(newer)), CAIRN_EVERSION);
    CHECK_INT(state_instance_decode(&d, "{\"v\":1", 6), CAIRN_ECORRUPT);
}

/* The decoder cuts attributes, attributes_type and sensitive_attributes
 * out of the record's text: strings holding braces, brackets, quotes and
 * backslashes, keys that only look like those, and spaced-out records. */
TEST(decode_cuts_values_out_of_the_text)
{
    const char *attrs = "{\"name\":\"a}\\\"]{[\\\\\",\"attributes\":\"x\",\"n\":[1,{\"k\":\"}\"}]}";
    state_instance *i = mk("aws_vpc", attrs);
    i->attrs_type = xstrdup("[\"object\",{\"attributes\":\"string\",\"n\":[\"tuple\","
                            "[\"number\",[\"object\",{\"k\":\"string\"}]]],\"name\":\"string\"}]");
    i->private_b64 = xstrdup("eyJ9Ijoie1sifQ==");
    state_instance_add_dep(i, "aws_subnet.x[\"}\"]");
    char *enc = NULL;
    size_t len = 0;
    CHECK_INT(state_instance_encode(&enc, &len, i), 0);
    state_instance *d = NULL;
    CHECK_INT(state_instance_decode(&d, enc, len), 0);
    if (d) {
        CHECK_STR(d->attrs_json, attrs);
        CHECK_STR(d->attrs_type ? d->attrs_type : "", i->attrs_type);
        CHECK(d->sensitive_json == NULL);
        CHECK_STR(d->private_b64 ? d->private_b64 : "", "eyJ9Ijoie1sifQ==");
        CHECK_STR(d->ndeps == 1 ? d->deps[0] : "", "aws_subnet.x[\"}\"]");
        val v;
        CHECK_INT(state_instance_attrs(d, &v), 0);
        CHECK(val_kind(v) == VAL_OBJECT && val_lookup(v, "name") &&
              !strcmp(val_get_string(*val_lookup(v, "name")), "a}\"]{[\\"));
        val_free(v);
        state_instance_free(d);
    }
    free(enc);
    state_instance_free(i);
    const char *spaced = "{ \"v\" : 1 ,\n \"type\" : \"aws_vpc\" , \"attributes\" :\t{ \"id\" : "
                         "\"vpc-1\" } , \"dependencies\" : [ ] }";
    CHECK_INT(state_instance_decode(&d, spaced, strlen(spaced)), 0);
    CHECK_STR(d ? d->attrs_json : "", "{ \"id\" : \"vpc-1\" }");
    state_instance_free(d);
    const char *bad[] = {
        "{\"v\":1,\"type\":\"x\",\"attributes\":[]}",
        "{\"v\":1,\"type\":\"x\",\"attributes\":{\"a\":\"unterminated}}",
        "{\"v\":1,\"type\":\"x\",\"attributes\":{\"a\":1}",
        "{\"v\":1,\"type\":\"x\"}",
        "[\"v\",1]",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        d = NULL;
        CHECK_INT(state_instance_decode(&d, bad[k], strlen(bad[k])), CAIRN_ECORRUPT);
        CHECK(d == NULL);
    }
}

/* Damaged records (bytes changed, cut short) decode or are refused with
 * CAIRN_ECORRUPT / CAIRN_EVERSION, never read out of bounds (run under
 * ASan in make check's second half).  Fixed seed. */
TEST(decode_damaged_records)
{
    state_instance *i = mk("aws_vpc", "{\"id\":\"vpc-1\",\"tags\":{\"a\":\"}]\\\"\"},\"n\":[1,2]}");
    i->attrs_type = xstrdup("[\"object\",{\"id\":\"string\",\"n\":[\"list\",\"number\"],"
                            "\"tags\":[\"map\",\"string\"]}]");
    i->sensitive_json = xstrdup("[[{\"type\":\"get_attr\",\"value\":\"id\"}]]");
    state_instance_add_dep(i, "aws_subnet.x");
    char *enc = NULL;
    size_t len = 0;
    CHECK_INT(state_instance_encode(&enc, &len, i), 0);
    state_instance_free(i);
    unsigned seed = 12345, bad = 0;
    const char alphabet[] = "{}[]\",:\\ 0a";
    for (int round = 0; round < 20000 && enc; round++) {
        size_t n = len;
        char *m = xmalloc(len);
        memcpy(m, enc, len);
        for (int k = 0; k < 1 + round % 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            m[at] = alphabet[(seed >> 8) % (sizeof alphabet - 1)];
        }
        if (round % 5 == 0)
            n = (seed >> 4) % len;
        state_instance *d = NULL;
        int rc = state_instance_decode(&d, m, n);
        if (rc != 0 && rc != CAIRN_ECORRUPT && rc != CAIRN_EVERSION)
            bad++;
        if (rc == 0 && d && !d->attrs_json)
            bad++;
        state_instance_free(d);
        free(m);
    }
    CHECK_INT(bad, 0);
    free(enc);
}

TEST(refuses_newer_format_and_truncated)
{
    state_env *e = open_new();
    if (!e)
        return;
    char dir[300];
    snprintf(dir, sizeof dir, "%s", state_path(e));
    state_close(e);
    /* Raise the format with raw LMDB. */
    MDB_env *m;
    MDB_txn *t;
    MDB_dbi dbi;
    mdb_env_create(&m);
    mdb_env_set_maxdbs(m, 8);
    CHECK_INT(mdb_env_open(m, dir, 0, 0600), 0);
    mdb_txn_begin(m, NULL, 0, &t);
    mdb_dbi_open(t, "meta", 0, &dbi);
    MDB_val k = {6, "format"}, v = {2, "99"};
    mdb_put(t, dbi, &k, &v, 0);
    mdb_txn_commit(t);
    mdb_env_close(m);
    CHECK_INT(state_open(&e, dir, 0), CAIRN_EVERSION);
    CHECK(strstr(err_msg(), "newer cairn") != NULL);
    /* Truncate a fresh store's data file. */
    e = open_new();
    if (!e)
        return;
    snprintf(dir, sizeof dir, "%s", state_path(e));
    for (int i = 0; i < 200; i++) {
        char a[32];
        snprintf(a, sizeof a, "aws_vpc.v%d", i);
        put1(e, a, "aws_vpc", "{\"id\":\"0123456789012345678901234567890123456789\"}");
    }
    state_close(e);
    char data[400];
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    struct stat sb;
    stat(data, &sb);
    CHECK_INT(truncate(data, sb.st_size / 2), 0);
    CHECK_INT(state_open(&e, dir, 0), CAIRN_ECORRUPT);
    CHECK(strstr(err_msg(), "truncated") != NULL);
    CHECK_INT(truncate(data, 100), 0);
    CHECK_INT(state_open(&e, dir, STATE_CREATE), CAIRN_ECORRUPT);
    stat(data, &sb);
    CHECK_INT(sb.st_size, 100);
}

TEST(backup_bounded)
{
    state_env *e = open_new();
    if (!e)
        return;
    CHECK_INT(put1(e, "aws_vpc.a", "aws_vpc", "{}"), 0);
    char *p = NULL;
    for (int i = 0; i < STATE_BACKUP_KEEP + 3; i++) {
        free(p);
        p = NULL;
        CHECK_INT(state_backup(e, &p), 0);
        usleep(2000);
    }
    struct stat sb;
    CHECK(p && stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    /* The backup is a working store. */
    if (p) {
        char d[400];
        snprintf(d, sizeof d, "%s/restored", state_path(e));
        mkdir(d, 0700);
        char *dst = xasprintf("%s/data.mdb", d);
        CHECK_INT(link(p, dst), 0);
        free(dst);
        state_env *r = NULL;
        CHECK_INT(state_open(&r, d, 0), 0);
        if (r) {
            CHECK_INT(serial_of(r), 1);
            state_close(r);
        }
    }
    free(p);
    char *cmd = xasprintf("test $(ls %s/backups | grep -c '^state-') -eq %d", state_path(e),
                          STATE_BACKUP_KEEP);
    CHECK_INT(system(cmd), 0);
    free(cmd);
    state_close(e);
}

TEST(attrs_val_round_trip_with_types_and_marks)
{
    /* {cidr = "10.0.0.0/16", ports = list(number) [80, 443],
     *  tags = map(string) {Name = "x", Secret = <sensitive>},
     *  password = <sensitive>, ids = set(string), nothing = null string} */
    val ports = val_list_empty(ty_number());
    ports = val_list_append(ports, val_number(80));
    ports = val_list_append(ports, val_number(443));
    val tags = val_map_empty(ty_string());
    tags = val_map_set(tags, "Name", val_string("x"));
    tags = val_map_set(tags, "Secret", val_mark(val_string("s"), VAL_MARK_SENSITIVE));
    val ids = val_set_empty(ty_string());
    ids = val_set_add(ids, val_string("b"));
    ids = val_set_add(ids, val_string("a"));
    val o = val_object_empty();
    o = val_object_set(o, "cidr", val_string("10.0.0.0/16"));
    o = val_object_set(o, "ports", ports);
    o = val_object_set(o, "tags", tags);
    o = val_object_set(o, "password", val_mark(val_string("pw"), VAL_MARK_SENSITIVE));
    o = val_object_set(o, "ids", ids);
    o = val_object_set(o, "nothing", val_null_of(ty_string()));
    state_instance *i = mk("aws_thing", "{}");
    CHECK_INT(state_instance_set_attrs(i, val_copy(o)), 0);
    CHECK(strstr(i->attrs_json, "\"pw\"") != NULL);
    CHECK(strstr(i->sensitive_json, "password") != NULL);
    CHECK(strstr(i->sensitive_json, "Secret") != NULL);
    CHECK(strstr(i->attrs_type, "[\"set\",\"string\"]") != NULL);
    /* Through the store and back. */
    state_env *e = open_new();
    if (e) {
        state_txn *t = NULL;
        CHECK_INT(state_txn_begin(&t, e, 0, "apply"), 0);
        CHECK_INT(state_put(t, "aws_thing.x", i), 0);
        CHECK_INT(state_commit(t), 0);
        state_instance *g = NULL;
        CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
        CHECK_INT(state_get(t, "aws_thing.x", &g), 0);
        state_abort(t);
        val back = val_invalid();
        if (g)
            CHECK_INT(state_instance_attrs(g, &back), 0);
        CHECK(val_is_valid(back));
        if (val_is_valid(back)) {
            CHECK(val_eq(&back, &o));
            const val *pw = val_lookup(back, "password");
            CHECK(pw && val_is_sensitive(*pw));
            const val *tg = val_lookup(back, "tags");
            CHECK(tg && val_kind(*tg) == VAL_MAP && !val_is_sensitive(*tg));
            const val *sec = tg ? val_lookup(*tg, "Secret") : NULL;
            CHECK(sec && val_is_sensitive(*sec));
            const val *nm = tg ? val_lookup(*tg, "Name") : NULL;
            CHECK(nm && !val_is_sensitive(*nm));
            const val *pl = val_lookup(back, "ports");
            CHECK(pl && val_kind(*pl) == VAL_LIST);
            const val *is = val_lookup(back, "ids");
            CHECK(is && val_kind(*is) == VAL_SET && val_len(*is) == 2);
            const val *no = val_lookup(back, "nothing");
            CHECK(no && val_is_null(*no));
        }
        val_free(back);
        state_instance_free(g);
        state_close(e);
    }
    state_instance_free(i);
    /* Unknown values cannot be stored. */
    state_instance *u = mk("aws_thing", "{}");
    val uo = val_object_set(val_object_empty(), "id", val_unknown(ty_string()));
    CHECK_INT(state_instance_set_attrs(u, uo), CAIRN_EINVAL);
    state_instance_free(u);
    val_free(o);
}

TEST(attrs_from_terraform_import_untyped)
{
    state_instance *i = mk("aws_db_instance", "{\"password\":\"p\",\"port\":5432,"
                           "\"sg\":[\"a\",\"b\"]}");
    i->sensitive_json = xstrdup("[[{\"type\":\"get_attr\",\"value\":\"password\"}],"
                                "[{\"type\":\"get_attr\",\"value\":\"sg\"},"
                                "{\"type\":\"index\",\"value\":{\"value\":1,"
                                "\"type\":\"number\"}}]]");
    val v = val_invalid();
    CHECK_INT(state_instance_attrs(i, &v), 0);
    const val *pw = val_lookup(v, "password");
    CHECK(pw && val_is_sensitive(*pw));
    const val *port = val_lookup(v, "port");
    CHECK(port && !val_is_sensitive(*port) && val_get_number(*port) == 5432);
    const val *sg = val_lookup(v, "sg");
    CHECK(sg && val_kind(*sg) == VAL_TUPLE && val_len(*sg) == 2);
    if (sg && val_len(*sg) == 2) {
        CHECK(!val_is_sensitive(*val_at(*sg, 0)));
        CHECK(val_is_sensitive(*val_at(*sg, 1)));
    }
    val_free(v);
    state_instance_free(i);
}

static int validate(const char *doc)
{
    return state_tfstate_validate(doc, strlen(doc));
}

#define V4_HEAD "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":["
#define RES(inst) "{\"mode\":\"managed\",\"type\":\"aws_vpc\",\"name\":\"m\"," \
                  "\"provider\":\"p\",\"instances\":[" inst "]}"

TEST(tfstate_validate_accepts_and_refuses)
{
    CHECK_INT(validate(V4_HEAD RES("{\"attributes\":{}}") "]}"), 0);
    CHECK_INT(validate(V4_HEAD "]}"), 0);
    CHECK_INT(validate(V4_HEAD RES("{\"attributes\":{}},{\"deposed\":\"00ab\","
                                   "\"attributes\":{}}") "]}"), 0);
    struct { const char *doc, *msg; } bad[] = {
        {"[1]", "top level"},
        {"{\"serial\":1,\"lineage\":\"l\"}", "no state format"},
        {"{\"version\":3,\"serial\":1,\"lineage\":\"l\"}", "too old"},
        {"{\"version\":5,\"serial\":1,\"lineage\":\"l\"}", "version 5"},
        {"{\"version\":4,\"serial\":-1,\"lineage\":\"l\"}", "non-negative"},
        {"{\"version\":4,\"serial\":1}", "lineage"},
        {V4_HEAD RES("{\"attributes\":{}},{\"attributes\":{}}") "]}", "appears twice"},
        {V4_HEAD RES("{\"index_key\":true,\"attributes\":{}}") "]}", "index_key"},
        {V4_HEAD RES("{\"index_key\":-1,\"attributes\":{}}") "]}", "negative"},
        {V4_HEAD RES("{\"attributes_flat\":{\"id\":\"x\"}}") "]}", "pre-0.12"},
        {V4_HEAD RES("{\"deposed\":\"0XAB\",\"attributes\":{}}") "]}", "deposed must be"},
        {V4_HEAD RES("{\"deposed\":\"ab\",\"attributes\":{}},{\"deposed\":\"ab\","
                     "\"attributes\":{}}") "]}", "same deposed object appears twice"},
        {V4_HEAD RES("{\"attributes\":[]}") "]}", "attributes"},
        {V4_HEAD RES("{\"attributes\":{},\"dependencies\":[\"not an address\"]}") "]}",
         "dependencies"},
        {V4_HEAD RES("{\"attributes\":{},\"status\":\"weird\"}") "]}", "status"},
        {V4_HEAD "{\"mode\":\"other\",\"type\":\"a\",\"name\":\"b\",\"provider\":\"p\","
                 "\"instances\":[]}]}", "mode"},
        {V4_HEAD "{\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\",\"instances\":[]}]}",
         "provider"},
        {V4_HEAD "{\"module\":\"module.\",\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\","
                 "\"provider\":\"p\",\"instances\":[{\"attributes\":{}}]}]}", "Invalid address"},
        {"{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"outputs\":{\"o\":{}}}", "value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = validate(bad[i].doc);
        if (rc != CAIRN_EINVAL || !strstr(err_msg(), bad[i].msg))
            printf("# case %zu: rc %d, message: %s\n", i, rc, err_msg());
        CHECK(rc == CAIRN_EINVAL && strstr(err_msg(), bad[i].msg) != NULL);
    }
}

struct thread_arg {
    state_env *env;
    int id, fails;
};

static void *thread_writer(void *p)
{
    struct thread_arg *a = p;
    for (int i = 0; i < 50; i++) {
        char addr[64];
        snprintf(addr, sizeof addr, "aws_vpc.t%d[%d]", a->id, i);
        if (put1(a->env, addr, "aws_vpc", "{\"id\":\"x\"}") != 0)
            a->fails++;
    }
    return NULL;
}

TEST(threads_share_one_env)
{
    state_env *e = open_new();
    if (!e)
        return;
    pthread_t th[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct thread_arg){e, i, 0};
        pthread_create(&th[i], NULL, thread_writer, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(args[i].fails, 0);
    }
    CHECK_INT(serial_of(e), 200);
    state_txn *t = NULL;
    uint64_t n = 0;
    char **v = NULL;
    size_t nv = 0;
    CHECK_INT(state_txn_begin(&t, e, STATE_TXN_RDONLY, NULL), 0);
    CHECK_INT(state_history_count(t, &n), 0);
    CHECK_INT(n, 200);
    CHECK_INT(state_list(t, NULL, &v, &nv), 0);
    CHECK_INT(nv, 200);
    state_strv_free(v, nv);
    state_abort(t);
    state_close(e);
}

int main(int argc, char **argv)
{
    int rc = harness_main(argc, argv);
    if (tmpdir[0]) {
        char *cmd = xasprintf("rm -rf %s", tmpdir);
        if (system(cmd) != 0)
            rc = 1;
        free(cmd);
    }
    return rc;
}
