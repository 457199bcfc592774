/* tests/unit/test_testprov.c — the `test` provider plugin (providers/test/):
 * configure, the create/read/update/delete round trip and its computed
 * attributes, read of a deleted file, read_many, fail_on/fail_count,
 * delays against cancel and timeouts, find_by_token, import, the test_data
 * data source, and concurrent creates. */
#include "tests/unit/harness.h"
#include "engine/plugin.h"
#include "lang/diag.h"
#include "lang/val.h"
#include "lang/val_json.h"
#include "providers/provider.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The test provider's own entry name: cairn_provider_entry is exported by every
 * plugin, and this binary links the AWS plugin too. */
const prov_plugin *tp_entry(void);

static char tmproot[256];
static const volatile int no_cancel = 0;

/* A fresh, empty directory for one test (under one mkdtemp root). */
static const char *fresh_dir(void)
{
    static int n;
    static char d[300];
    if (!tmproot[0]) {
        snprintf(tmproot, sizeof tmproot, "/tmp/cairn-test-testprov-XXXXXX");
        if (!mkdtemp(tmproot))
            abort();
    }
    snprintf(d, sizeof d, "%s/d%d", tmproot, n++);
    return d;
}

static val json(const char *s)
{
    val v = val_from_json(s, strlen(s));
    if (!val_is_valid(v))
        printf("# bad test JSON: %s\n", err_msg());
    return v;
}

/* Configure a provider on dir; NULL (with the diag printed) on failure. */
static prov_instance *open_on(const char *dir)
{
    prov_instance *p = NULL;
    prov_diag d = {0};
    val cfg = val_object_set(val_object_empty(), "dir", val_string(dir));
    int rc = tp_entry()->configure(&p, cfg, &d);
    val_free(cfg);
    if (rc)
        printf("# configure: %s: %s\n", d.summary, d.detail);
    return p;
}

static const prov_resource_ops *ops(void)
{
    return &tp_entry()->resources[0].ops;
}

static prov_call call_for(const char *address, const char *token)
{
    prov_call c = {0};
    c.address = address;
    c.type = "test_resource";
    c.cancel = &no_cancel;
    c.token = token;
    return c;
}

/* Planned state from JSON, with the computed attributes unknown as the
 * engine plans them. */
static val planned(const char *js)
{
    static const char *const computed[] = {"id", "name_upper", "arn", "created_at"};
    val v = json(js);
    for (size_t i = 0; i < 4; i++)
        v = val_object_set(v, computed[i], val_unknown(ty_string()));
    return val_object_set(v, "generation", val_unknown(ty_number()));
}

/* create from JSON arguments; the state (VAL_INVALID on failure). */
static val create(prov_instance *p, const char *address, const char *token, const char *js,
                  int *rc_out, prov_diag *d)
{
    prov_call c = call_for(address, token);
    val pl = planned(js), st = val_invalid();
    prov_diag local = {0};
    int rc = ops()->create(p, &c, pl, &st, d ? d : &local);
    val_free(pl);
    if (rc_out)
        *rc_out = rc;
    return st;
}

static const char *str_at(val obj, const char *key)
{
    const val *v = val_lookup(obj, key);
    return v && val_kind(*v) == VAL_STRING && !val_is_unknown(*v) ? val_get_string(*v) : NULL;
}

static double num_at(val obj, const char *key)
{
    const val *v = val_lookup(obj, key);
    return v && val_kind(*v) == VAL_NUMBER && !val_is_unknown(*v) ? val_get_number(*v) : -1;
}

/* Number of object files (<id>.json, not dot files) in dir. */
static int count_objects(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t l = strlen(e->d_name);
        n += e->d_name[0] != '.' && l > 5 && !strcmp(e->d_name + l - 5, ".json");
    }
    closedir(d);
    return n;
}

static int file_exists(const char *dir, const char *name)
{
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[n] == '\0';
}

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

TEST(plugin_entry)
{
    const prov_plugin *pl = tp_entry();
    CHECK_INT(pl->abi_version, PROV_ABI_VERSION);
    CHECK_STR(pl->name, "test");
    CHECK_INT(pl->nresources, 1);
    CHECK_STR(pl->resources[0].name, "test_resource");
    CHECK(pl->resources[0].ops.plan == NULL);
    CHECK(pl->resources[0].ops.create && pl->resources[0].ops.read &&
          pl->resources[0].ops.del && pl->resources[0].ops.update &&
          pl->resources[0].ops.read_many && pl->resources[0].ops.import &&
          pl->resources[0].ops.find_by_token && pl->resources[0].ops.validate);
    CHECK_INT(pl->resources[0].durations.create_ms, 1000);
    CHECK_INT(pl->ndata_sources, 1);
    CHECK_STR(pl->data_sources[0].name, "test_data");
    const prov_schema *s = pl->resources[0].schema;
    int found_secret = 0, found_replace = 0;
    for (size_t i = 0; i < s->nattrs; i++) {
        if (!strcmp(s->attrs[i].name, "secret"))
            found_secret = (s->attrs[i].flags & PROV_SENSITIVE) != 0;
        if (!strcmp(s->attrs[i].name, "replace_me"))
            found_replace = (s->attrs[i].flags & PROV_FORCE_NEW) != 0;
    }
    CHECK(found_secret);
    CHECK(found_replace);
    CHECK_INT(s->nblocks, 3);
}

/* The engine's loader accepts the schemas, and the states the plugin
 * returns have exactly the type the engine builds from them. */
TEST(engine_accepts_schemas_and_state_types)
{
    const prov_plugin *pl = tp_entry();
    ty *cfg_t = NULL, *res_t = NULL, *data_t = NULL;
    CHECK_INT(plugin_schema_type_build(pl->config_schema, &cfg_t), 0);
    CHECK_INT(plugin_schema_type_build(pl->resources[0].schema, &res_t), 0);
    CHECK_INT(plugin_schema_type_build(pl->data_sources[0].schema, &data_t), 0);
    if (!cfg_t || !res_t || !data_t) {
        printf("# %s\n", err_msg());
        return;
    }
    prov_instance *p = open_on(fresh_dir());
    if (!p)
        return;
    val st = create(p, "test_resource.t", NULL, "{\"name\":\"x\"}", NULL, NULL);
    ty *got = val_type(st);
    CHECK(ty_equal(got, res_t));
    ty_free(got);
    prov_call c = call_for("data.test_data.t", NULL);
    prov_diag d = {0};
    val out = val_invalid(), cfg = val_object_empty();
    CHECK_INT(pl->data_sources[0].read(p, &c, cfg, &out, &d), 0);
    got = val_type(out);
    CHECK(ty_equal(got, data_t));
    ty_free(got);
    val_free(cfg);
    val_free(out);
    val_free(st);
    ty_free(cfg_t);
    ty_free(res_t);
    ty_free(data_t);
    pl->close(p);
}

TEST(configure_needs_a_directory)
{
    const prov_plugin *pl = tp_entry();
    prov_instance *p = NULL;
    prov_diag d = {0};
    char *saved = getenv("TEST_PROVIDER_DIR") ? xstrdup(getenv("TEST_PROVIDER_DIR")) : NULL;
    unsetenv("TEST_PROVIDER_DIR");
    CHECK(pl->configure(&p, val_null(), &d) == CAIRN_EINVAL);
    CHECK(p == NULL);
    CHECK(strstr(d.summary, "no object directory") != NULL);
    CHECK(strstr(d.detail, "TEST_PROVIDER_DIR") != NULL);
    val cfg = json("{\"prefix\":\"x-\"}");
    CHECK(pl->configure(&p, cfg, &d) == CAIRN_EINVAL);
    val_free(cfg);
    /* the environment variable is the fallback */
    setenv("TEST_PROVIDER_DIR", fresh_dir(), 1);
    CHECK_INT(pl->configure(&p, val_null(), &d), 0);
    CHECK(p != NULL);
    pl->close(p);
    p = NULL;
    /* a prefix must be usable in a file name */
    cfg = json("{\"prefix\":\"../x\"}");
    CHECK(pl->configure(&p, cfg, &d) == CAIRN_EINVAL);
    CHECK_STR(d.attr, "prefix");
    val_free(cfg);
    if (saved)
        setenv("TEST_PROVIDER_DIR", saved, 1);
    else
        unsetenv("TEST_PROVIDER_DIR");
    free(saved);
}

TEST(create_read_update_delete)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    CHECK(p != NULL);
    if (!p)
        return;
    prov_diag d = {0};
    int rc = -1;
    val st = create(p, "test_resource.a", NULL,
                    "{\"name\":\"hello\",\"count_value\":3,\"enabled\":true,"
                    "\"tags\":{\"k\":\"v\"},\"items\":[\"x\",\"y\"],\"labels\":[\"b\",\"a\"],"
                    "\"config\":{\"a\":\"s\",\"b\":2},\"secret\":\"hush\",\"replace_me\":\"r1\","
                    "\"rule\":[{\"port\":80,\"cidr\":\"10.0.0.0/8\"},"
                    "{\"port\":443,\"cidr\":null}],"
                    "\"setting\":[{\"key\":\"k1\",\"value\":\"v1\"}],\"single\":{\"x\":\"q\"}}",
                    &rc, &d);
    CHECK_INT(rc, 0);
    if (rc) {
        printf("# create: %s: %s\n", d.summary, d.detail);
        return;
    }
    const char *id = str_at(st, "id");
    CHECK(id && !strncmp(id, "tr-", 3) && strlen(id) == 19 && is_hex(id + 3, 16));
    char arn[64], file[64];
    snprintf(arn, sizeof arn, "arn:test:::resource/%s", id ? id : "");
    snprintf(file, sizeof file, "%s.json", id ? id : "");
    CHECK_STR(str_at(st, "arn"), arn);
    CHECK_STR(str_at(st, "name_upper"), "HELLO");
    CHECK_INT(num_at(st, "generation"), 1);
    const char *created = str_at(st, "created_at");
    CHECK(created && strlen(created) == 20 && created[4] == '-' && created[10] == 'T' &&
          created[19] == 'Z');
    CHECK(val_is_sensitive(*val_lookup(st, "secret")));
    CHECK_INT(val_len(*val_lookup(st, "rule")), 2);
    CHECK(val_kind(*val_lookup(st, "labels")) == VAL_SET);
    CHECK(val_is_null(*val_lookup(st, "fail_on")));
    CHECK(val_is_wholly_known(st));
    CHECK(file_exists(dir, file));
    CHECK_INT(count_objects(dir), 1);

    /* read gives back the same state */
    prov_call c = call_for("test_resource.a", NULL);
    val rd = val_invalid();
    CHECK_INT(ops()->read(p, &c, st, &rd, &d), 0);
    CHECK(val_raw_equal(rd, st));
    CHECK(val_is_sensitive(*val_lookup(rd, "secret")));
    val_free(rd);

    /* update in place: same id, generation 2, name_upper follows name */
    val pl = val_object_set(val_copy(st), "name", val_string("world"));
    pl = val_object_set(pl, "name_upper", val_unknown(ty_string()));
    val up = val_invalid();
    CHECK_INT(ops()->update(p, &c, st, pl, &up, &d), 0);
    CHECK_STR(str_at(up, "id"), id);
    CHECK_STR(str_at(up, "name_upper"), "WORLD");
    CHECK_INT(num_at(up, "generation"), 2);
    CHECK_STR(str_at(up, "created_at"), created);
    rd = val_invalid();
    CHECK_INT(ops()->read(p, &c, st, &rd, &d), 0);
    CHECK(val_raw_equal(rd, up));
    val_free(rd);
    val_free(pl);

    /* replace_me is FORCE_NEW: update refuses it */
    pl = val_object_set(val_copy(up), "replace_me", val_string("r2"));
    val bad = val_invalid();
    CHECK(ops()->update(p, &c, up, pl, &bad, &d) == CAIRN_EINVAL);
    CHECK_STR(d.attr, "replace_me");
    CHECK(!val_is_valid(bad));
    val_free(pl);

    /* delete; read is then null; delete again is success */
    CHECK_INT(ops()->del(p, &c, up, &d), 0);
    CHECK(!file_exists(dir, file));
    rd = val_invalid();
    CHECK_INT(ops()->read(p, &c, up, &rd, &d), 0);
    CHECK(val_is_null(rd));
    val_free(rd);
    CHECK_INT(ops()->del(p, &c, up, &d), 0);
    val_free(up);
    val_free(st);
    tp_entry()->close(p);
}

TEST(object_file_format)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    val st = create(p, "test_resource.f", "tok-format", "{\"name\":\"n\"}", NULL, NULL);
    CHECK(val_is_valid(st));
    char path[600];
    snprintf(path, sizeof path, "%s/%s.json", dir, str_at(st, "id"));
    src_file *f = src_load(path);
    CHECK(f != NULL);
    if (f) {
        val doc = val_from_json(f->text, f->len);
        CHECK(val_kind(doc) == VAL_OBJECT);
        CHECK_STR(str_at(doc, "token"), "tok-format");
        CHECK_STR(str_at(doc, "address"), "test_resource.f");
        const val *attrs = val_lookup(doc, "attributes");
        CHECK(attrs && val_kind(*attrs) == VAL_OBJECT);
        CHECK(attrs && str_at(*attrs, "name") && !strcmp(str_at(*attrs, "name"), "n"));
        CHECK(attrs && !val_lookup(*attrs, "token"));
        val_free(doc);
        src_free(f);
    }
    /* only the object file counts; the token index and temp files are dot files */
    CHECK_INT(count_objects(dir), 1);
    CHECK(file_exists(dir, ".tokens/tok-format"));
    val_free(st);
    tp_entry()->close(p);
}

TEST(read_after_file_deleted_is_null)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    val st = create(p, "test_resource.g", NULL, "{}", NULL, NULL);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.json", dir, str_at(st, "id"));
    CHECK_INT(unlink(path), 0);
    prov_call c = call_for("test_resource.g", NULL);
    prov_diag d = {0};
    val rd = val_invalid();
    CHECK_INT(ops()->read(p, &c, st, &rd, &d), 0);
    CHECK(val_is_null(rd));
    val_free(rd);
    /* an update of a vanished object is an error, not a resurrection */
    val up = val_invalid();
    CHECK(ops()->update(p, &c, st, st, &up, &d) == CAIRN_ENOTFOUND);
    CHECK_INT(count_objects(dir), 0);
    val_free(st);
    tp_entry()->close(p);
}

TEST(read_many_batches_and_reports_gone)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    val s[3];
    s[0] = create(p, "test_resource.m[0]", NULL, "{\"name\":\"a\"}", NULL, NULL);
    s[1] = create(p, "test_resource.m[1]", NULL, "{\"name\":\"b\"}", NULL, NULL);
    s[2] = create(p, "test_resource.m[2]", NULL, "{\"name\":\"c\"}", NULL, NULL);
    prov_call c = call_for("test_resource.m", NULL);
    prov_diag d = {0};
    CHECK_INT(ops()->del(p, &c, s[1], &d), 0);
    val out[3];
    CHECK_INT(ops()->read_many(p, &c, s, 3, out, &d), 0);
    CHECK(val_raw_equal(out[0], s[0]));
    CHECK(val_is_null(out[1]));
    CHECK(val_raw_equal(out[2], s[2]));
    for (int i = 0; i < 3; i++) {
        val_free(out[i]);
        val_free(s[i]);
    }
    tp_entry()->close(p);
}

TEST(fail_on_with_fail_count_then_succeeds)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    prov_diag d = {0};
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        val st = create(p, "test_resource.flaky", NULL,
                        "{\"fail_on\":\"create\",\"fail_count\":2}", &rc, &d);
        CHECK(rc == CAIRN_EREMOTE);
        CHECK_STR(d.summary, "test_resource: injected failure on create");
        CHECK(!val_is_valid(st));
        CHECK_INT(count_objects(dir), 0);
    }
    val st = create(p, "test_resource.flaky", NULL, "{\"fail_on\":\"create\",\"fail_count\":2}",
                    &rc, &d);
    CHECK_INT(rc, 0);
    CHECK_INT(count_objects(dir), 1);
    CHECK_STR(str_at(st, "fail_on"), "create");
    CHECK_INT(num_at(st, "fail_count"), 2);
    /* another address has its own count */
    val other = create(p, "test_resource.other", NULL,
                       "{\"fail_on\":\"create\",\"fail_count\":1}", &rc, &d);
    CHECK(rc == CAIRN_EREMOTE);
    val_free(other);
    val_free(st);

    /* without fail_count the operation always fails */
    for (int i = 0; i < 3; i++) {
        st = create(p, "test_resource.never", NULL, "{\"fail_on\":\"create\"}", &rc, &d);
        CHECK(rc == CAIRN_EREMOTE);
    }

    /* fail_on = "delete" keeps the object; read and update still work */
    st = create(p, "test_resource.keep", NULL, "{\"fail_on\":\"delete\",\"fail_count\":1}",
                &rc, &d);
    CHECK_INT(rc, 0);
    prov_call c = call_for("test_resource.keep", NULL);
    CHECK(ops()->del(p, &c, st, &d) == CAIRN_EREMOTE);
    CHECK_STR(d.summary, "test_resource: injected failure on delete");
    CHECK_INT(count_objects(dir), 2);
    CHECK_INT(ops()->del(p, &c, st, &d), 0);
    CHECK_INT(count_objects(dir), 1);
    val_free(st);

    /* fail_on = "read" */
    st = create(p, "test_resource.r", NULL, "{\"fail_on\":\"read\"}", &rc, &d);
    c = call_for("test_resource.r", NULL);
    val rd = val_invalid();
    CHECK(ops()->read(p, &c, st, &rd, &d) == CAIRN_EREMOTE);
    CHECK_STR(d.summary, "test_resource: injected failure on read");
    CHECK(!val_is_valid(rd));
    val out[1];
    CHECK(ops()->read_many(p, &c, &st, 1, out, &d) == CAIRN_EREMOTE);
    CHECK(!val_is_valid(out[0]));

    /* fail_on = "update": the planned value decides, so clearing it heals */
    val pl = val_object_set(val_copy(st), "fail_on", val_string("update"));
    val up = val_invalid();
    CHECK(ops()->update(p, &c, st, pl, &up, &d) == CAIRN_EREMOTE);
    CHECK_STR(d.summary, "test_resource: injected failure on update");
    val_free(pl);
    pl = val_object_set(val_copy(st), "fail_on", val_null_of(ty_string()));
    CHECK_INT(ops()->update(p, &c, st, pl, &up, &d), 0);
    CHECK_INT(num_at(up, "generation"), 2);
    val_free(pl);
    val_free(up);
    val_free(st);
    tp_entry()->close(p);
}

TEST(validate_controls)
{
    prov_diag d = {0};
    prov_call c = call_for("test_resource.v", NULL);
    val cfg = json("{\"fail_on\":\"explode\"}");
    CHECK(ops()->validate(NULL, &c, cfg, &d) == CAIRN_EINVAL);
    CHECK_STR(d.attr, "fail_on");
    val_free(cfg);
    static const char *const bad[] = {"1x", "", "s", "2", "1.5", "2h1s", "-1s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg = val_object_set(val_object_empty(), "update_delay", val_string(bad[i]));
        CHECK(ops()->validate(NULL, &c, cfg, &d) == CAIRN_EINVAL);
        val_free(cfg);
    }
    CHECK_STR(d.attr, "update_delay");
    cfg = json("{\"fail_count\":1.5}");
    CHECK(ops()->validate(NULL, &c, cfg, &d) == CAIRN_EINVAL);
    val_free(cfg);
    cfg = json("{\"fail_on\":\"read\",\"fail_count\":3,\"create_delay\":\"1m30s\","
               "\"update_delay\":\"250ms\",\"delete_delay\":\"0\"}");
    CHECK_INT(ops()->validate(NULL, &c, cfg, &d), 0);
    /* unknown values are skipped */
    cfg = val_object_set(cfg, "fail_on", val_unknown(ty_string()));
    cfg = val_object_set(cfg, "create_delay", val_unknown(ty_string()));
    CHECK_INT(ops()->validate(NULL, &c, cfg, &d), 0);
    val_free(cfg);
    CHECK_INT(ops()->validate(NULL, &c, val_unknown(ty_any()), &d), 0);
}

/* Sets *arg to 1 after 50 ms. */
static void *cancel_later(void *arg)
{
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    __atomic_store_n((volatile int *)arg, 1, __ATOMIC_RELEASE);
    return NULL;
}

TEST(delay_honours_cancel_and_timeout)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    prov_diag d = {0};
    /* a short delay is slept */
    uint64_t t0 = ms_now();
    int rc = -1;
    val st = create(p, "test_resource.slow", NULL, "{\"create_delay\":\"40ms\"}", &rc, &d);
    CHECK_INT(rc, 0);
    CHECK(ms_now() - t0 >= 40);
    CHECK_INT(count_objects(dir), 1);

    /* cancel mid-wait: CAIRN_ECANCEL quickly, nothing written */
    static volatile int cancel;
    __atomic_store_n(&cancel, 0, __ATOMIC_RELEASE);
    pthread_t th;
    pthread_create(&th, NULL, cancel_later, (void *)&cancel);
    prov_call c = call_for("test_resource.cancelled", "tok-cancel");
    c.cancel = &cancel;
    val pl = planned("{\"create_delay\":\"10s\"}"), out = val_invalid();
    t0 = ms_now();
    CHECK(ops()->create(p, &c, pl, &out, &d) == CAIRN_ECANCEL);
    CHECK(ms_now() - t0 < 2000);
    pthread_join(th, NULL);
    CHECK(!val_is_valid(out));
    CHECK_INT(count_objects(dir), 1);
    CHECK(!file_exists(dir, ".tokens/tok-cancel"));
    val_free(pl);

    /* delete_delay honours cancel too and keeps the object */
    __atomic_store_n(&cancel, 0, __ATOMIC_RELEASE);
    pthread_create(&th, NULL, cancel_later, (void *)&cancel);
    val withdel = val_object_set(val_copy(st), "delete_delay", val_string("10s"));
    CHECK(ops()->del(p, &c, withdel, &d) == CAIRN_ECANCEL);
    pthread_join(th, NULL);
    CHECK_INT(count_objects(dir), 1);
    val_free(withdel);

    /* a delay beyond timeout_ms fails with CAIRN_ETIMEOUT after the timeout */
    c = call_for("test_resource.timeout", NULL);
    c.timeout_ms = 30;
    pl = planned("{\"create_delay\":\"5s\"}");
    t0 = ms_now();
    CHECK(ops()->create(p, &c, pl, &out, &d) == CAIRN_ETIMEOUT);
    CHECK(ms_now() - t0 < 2000);
    CHECK_INT(count_objects(dir), 1);
    val_free(pl);
    val_free(st);
    tp_entry()->close(p);
}

TEST(find_by_token)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    prov_diag d = {0};
    val st = create(p, "test_resource.t", "6f1c2a9e-token", "{\"name\":\"t\"}", NULL, &d);
    CHECK(val_is_valid(st));
    prov_call c = call_for("test_resource.t", "6f1c2a9e-token");
    val found = val_invalid();
    CHECK_INT(ops()->find_by_token(p, &c, &found, &d), 0);
    CHECK(val_raw_equal(found, st));
    val_free(found);

    c.token = "never-used";
    CHECK_INT(ops()->find_by_token(p, &c, &found, &d), 0);
    CHECK(val_is_null(found));
    val_free(found);

    /* a token that is not a safe file name is hashed, and still found */
    val odd = create(p, "test_resource.odd", "../weird/token", "{}", NULL, &d);
    c.token = "../weird/token";
    CHECK_INT(ops()->find_by_token(p, &c, &found, &d), 0);
    CHECK(val_raw_equal(found, odd));
    val_free(found);

    /* after delete the token finds nothing */
    c.token = "6f1c2a9e-token";
    CHECK_INT(ops()->del(p, &c, st, &d), 0);
    CHECK_INT(ops()->find_by_token(p, &c, &found, &d), 0);
    CHECK(val_is_null(found));
    val_free(found);
    val_free(odd);
    val_free(st);
    tp_entry()->close(p);
}

TEST(import_existing_and_missing)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    prov_diag d = {0};
    val st = create(p, "test_resource.i", NULL, "{\"name\":\"imp\",\"tags\":{\"a\":\"b\"}}",
                    NULL, &d);
    prov_call c = call_for("test_resource.j", NULL);
    val got = val_invalid();
    CHECK_INT(ops()->import(p, &c, str_at(st, "id"), &got, &d), 0);
    CHECK(val_raw_equal(got, st));
    val_free(got);
    got = val_invalid();
    CHECK(ops()->import(p, &c, "tr-0000000000000000", &got, &d) == CAIRN_ENOTFOUND);
    CHECK_STR(d.summary, "Cannot import non-existent remote object");
    CHECK(!val_is_valid(got));
    CHECK(ops()->import(p, &c, "../etc/passwd", &got, &d) == CAIRN_EINVAL);
    val_free(st);
    tp_entry()->close(p);
}

TEST(prefix_is_prepended)
{
    const char *dir = fresh_dir();
    prov_instance *p = NULL;
    prov_diag d = {0};
    val cfg = val_object_set(val_object_empty(), "dir", val_string(dir));
    cfg = val_object_set(cfg, "prefix", val_string("ci-"));
    CHECK_INT(tp_entry()->configure(&p, cfg, &d), 0);
    val_free(cfg);
    if (!p)
        return;
    val st = create(p, "test_resource.p", NULL, "{}", NULL, NULL);
    CHECK(str_at(st, "id") && !strncmp(str_at(st, "id"), "ci-tr-", 6));
    val_free(st);
    tp_entry()->close(p);
}

TEST(data_source_values)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    const prov_data_source *ds = &tp_entry()->data_sources[0];
    prov_call c = call_for("data.test_data.x", NULL);
    c.type = "test_data";
    prov_diag d = {0};
    val st0 = create(p, "test_resource.a", NULL, "{}", NULL, NULL);
    val st1 = create(p, "test_resource.b", NULL, "{}", NULL, NULL);
    val cfg = json("{\"input\":\"abc\",\"values\":[\"x\",\"y\"]}"), out = val_invalid();
    CHECK_INT(ds->read(p, &c, cfg, &out, &d), 0);
    CHECK_STR(str_at(out, "id"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR(str_at(out, "result"), "data:abc");
    CHECK_INT(num_at(out, "length"), 2);
    CHECK_INT(num_at(out, "object_count"), 2);
    CHECK(val_kind(*val_lookup(out, "values")) == VAL_LIST);
    val_free(out);
    val_free(cfg);

    cfg = val_object_empty();
    CHECK_INT(ds->read(p, &c, cfg, &out, &d), 0);
    CHECK_STR(str_at(out, "id"), "none");
    CHECK(val_is_null(*val_lookup(out, "result")));
    CHECK_INT(num_at(out, "length"), 0);
    val_free(out);
    val_free(cfg);

    /* unknown input: only what derives from it is unknown */
    cfg = val_object_set(val_object_empty(), "input", val_unknown(ty_string()));
    CHECK_INT(ds->read(p, &c, cfg, &out, &d), 0);
    CHECK(val_is_unknown(*val_lookup(out, "id")));
    CHECK(val_is_unknown(*val_lookup(out, "result")));
    CHECK_INT(num_at(out, "length"), 0);
    val_free(out);
    val_free(cfg);
    val_free(st0);
    val_free(st1);
    tp_entry()->close(p);
}

#define CONC_THREADS 4
#define CONC_PER_THREAD 50

struct conc_arg {
    prov_instance *p;
    int t;
    int failures;
    char ids[CONC_PER_THREAD][64];
};

static void *conc_create(void *arg)
{
    struct conc_arg *a = arg;
    for (int i = 0; i < CONC_PER_THREAD; i++) {
        char addr[64], tok[64];
        snprintf(addr, sizeof addr, "test_resource.c%d[%d]", a->t, i);
        snprintf(tok, sizeof tok, "tok-%d-%d", a->t, i);
        prov_call c = call_for(addr, tok);
        prov_diag d = {0};
        val pl = planned("{\"name\":\"n\",\"labels\":[\"x\"]}"), st = val_invalid();
        if (ops()->create(a->p, &c, pl, &st, &d) != 0 || !str_at(st, "id"))
            a->failures++;
        else
            snprintf(a->ids[i], sizeof a->ids[i], "%s", str_at(st, "id"));
        val_free(pl);
        val_free(st);
    }
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

TEST(concurrent_creates_make_distinct_objects)
{
    const char *dir = fresh_dir();
    prov_instance *p = open_on(dir);
    if (!p)
        return;
    static struct conc_arg args[CONC_THREADS];
    pthread_t th[CONC_THREADS];
    for (int t = 0; t < CONC_THREADS; t++) {
        memset(&args[t], 0, sizeof args[t]);
        args[t].p = p;
        args[t].t = t;
        pthread_create(&th[t], NULL, conc_create, &args[t]);
    }
    for (int t = 0; t < CONC_THREADS; t++)
        pthread_join(th[t], NULL);
    static char all[CONC_THREADS * CONC_PER_THREAD][64];
    int n = 0, failures = 0;
    for (int t = 0; t < CONC_THREADS; t++) {
        failures += args[t].failures;
        for (int i = 0; i < CONC_PER_THREAD; i++)
            memcpy(all[n++], args[t].ids[i], 64);
    }
    CHECK_INT(failures, 0);
    qsort(all, (size_t)n, sizeof all[0], cmp_str);
    int distinct = n > 0 && all[0][0];
    for (int i = 1; i < n; i++)
        distinct += all[i][0] && strcmp(all[i], all[i - 1]) != 0;
    CHECK_INT(distinct, CONC_THREADS * CONC_PER_THREAD);
    CHECK_INT(count_objects(dir), CONC_THREADS * CONC_PER_THREAD);
    /* every token finds its own object */
    prov_call c = call_for("test_resource.c3[49]", "tok-3-49");
    prov_diag d = {0};
    val found = val_invalid();
    CHECK_INT(ops()->find_by_token(p, &c, &found, &d), 0);
    CHECK_STR(str_at(found, "id"), args[3].ids[49]);
    val_free(found);
    tp_entry()->close(p);
}

int main(int argc, char **argv)
{
    int rc = harness_main(argc, argv);
    if (tmproot[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", tmproot);
    }
    return rc;
}
