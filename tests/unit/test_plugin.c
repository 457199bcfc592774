/*
 * tests/unit/test_plugin.c — the plugin registry (engine/plugin.h).
 *
 * The real plugins may not be built, so the test compiles its own tiny
 * providers: one C source (FAKE_SRC below) built several times with -D
 * switches into a temporary directory tree, then found through
 * $CAIRN_PLUGIN_PATH and .cairn/plugins.  The fake plugins use no val_*
 * symbols (the test binary does not export them): static data and
 * functions that return 0.  When no C compiler is available the tests that
 * need one are skipped.
 */
#include "tests/unit/harness.h"
#include "engine/plugin.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char FAKE_SRC[] =
    "#include \"providers/provider.h\"\n"
    "#ifndef ABI\n#define ABI PROV_ABI_VERSION\n#endif\n"
    "#ifndef PORT_TYPE\n#define PORT_TYPE \"number\"\n#endif\n"
    "#ifndef VERSION\n#define VERSION \"1.0\"\n#endif\n"
    "static int cfg(prov_instance **o, val c, prov_diag *d)\n"
    "{ (void)c; (void)d; *o = 0; return 0; }\n"
    "static void cls(prov_instance *p) { (void)p; }\n"
    "static int create(prov_instance *p, const prov_call *c, val pl, val *s, prov_diag *d)\n"
    "{ (void)p; (void)c; (void)pl; (void)s; (void)d; return 0; }\n"
    "static int rd(prov_instance *p, const prov_call *c, val pr, val *s, prov_diag *d)\n"
    "{ (void)p; (void)c; (void)pr; (void)s; (void)d; return 0; }\n"
    "static int del(prov_instance *p, const prov_call *c, val pr, prov_diag *d)\n"
    "{ (void)p; (void)c; (void)pr; (void)d; return 0; }\n"
    "static int dread(prov_instance *p, const prov_call *c, val cf, val *s, prov_diag *d)\n"
    "{ (void)p; (void)c; (void)cf; (void)s; (void)d; return 0; }\n"
    "static const prov_attr rule_attrs[] = {\n"
    "    {\"port\", PORT_TYPE, PROV_REQUIRED, 0, 0},\n"
    "    {\"cidrs\", \"list(string)\", PROV_OPTIONAL, 0, 0}};\n"
    "static const prov_schema rule = {rule_attrs, 2, 0, 0};\n"
    "static const prov_attr thing_attrs[] = {\n"
    "    {\"name\", \"string\", PROV_REQUIRED, 0, 0},\n"
    "    {\"id\", \"string\", PROV_COMPUTED, 0, 0},\n"
    "    {\"tags\", \"map(string)\", PROV_OPTIONAL, \"{\\\"a\\\":\\\"b\\\"}\", 0}};\n"
    "static const prov_block thing_blocks[] = {\n"
    "    {\"rule\", PROV_NEST_LIST, 0, 0, 0, &rule},\n"
    "    {\"named\", PROV_NEST_MAP, 0, 0, 0, &rule}};\n"
    "static const prov_schema thing = {thing_attrs, 3, thing_blocks, 2};\n"
    "static const prov_attr cfg_attrs[] = {{\"region\", \"string\", PROV_OPTIONAL, 0, 0}};\n"
    "static const prov_schema cfgs = {cfg_attrs, 1, 0, 0};\n"
    "static const prov_resource_type res[] = {{\"fake_thing\", 0, &thing, {0, 0, 0, 0},\n"
    "#ifdef NULL_CREATE\n"
    "    {0, 0, 0, rd, 0, 0, del, 0, 0}}};\n"
    "#else\n"
    "    {0, 0, create, rd, 0, 0, del, 0, 0}}};\n"
    "#endif\n"
    "static const prov_data_source ds[] = {{\"fake_info\", &cfgs, dread}};\n"
    "static const prov_plugin plugin = {ABI, NAME, VERSION, &cfgs, res, 1, ds, 1, cfg, cls};\n"
    "#ifdef NO_ENTRY\n"
    "const prov_plugin *not_the_entry(void) { return &plugin; }\n"
    "#else\n"
    "const prov_plugin *cairn_provider_entry(void) { return &plugin; }\n"
    "#endif\n";

static char root[PATH_MAX];      /* the repository (the tests' working directory) */
static char base[PATH_MAX];      /* temporary tree: a/, b/, c/.cairn/plugins/ */
static int have_plugins = -1;    /* -1 not tried, 0 no compiler, 1 built */

static void path_of(char *out, size_t n, const char *rel)
{
    snprintf(out, n, "%s/%s", base, rel);
}

/* Compile FAKE_SRC into base/<rel> with extra -D flags; 0 on success. */
static int build(const char *rel, const char *defs)
{
    char *cmd = xasprintf("cc -shared -fPIC -std=c11 -I'%s' %s -o '%s/%s' '%s/fake.c' "
                          "2>'%s/cc.log'", root, defs, base, rel, base, base);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static int write_text(const char *rel, const char *text)
{
    char p[PATH_MAX + 64];
    path_of(p, sizeof p, rel);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static const struct { const char *file, *defs; } fakes[] = {
    {"a/cairn-provider-good.so", "-DNAME='\"good\"'"},
    {"a/cairn-provider-abi.so", "-DNAME='\"abi\"' -DABI=(PROV_ABI_VERSION + 1)"},
    {"a/cairn-provider-nosym.so", "-DNAME='\"nosym\"' -DNO_ENTRY"},
    {"a/cairn-provider-nocreate.so", "-DNAME='\"nocreate\"' -DNULL_CREATE"},
    {"a/cairn-provider-badtype.so", "-DNAME='\"badtype\"' -DPORT_TYPE='\"numbr\"'"},
    {"a/cairn-provider-liar.so", "-DNAME='\"other\"'"},
    {"a/cairn-provider-dup.so", "-DNAME='\"dup\"' -DVERSION='\"a\"'"},
    {"b/cairn-provider-dup.so", "-DNAME='\"dup\"' -DVERSION='\"b\"'"},
    {"b/cairn-provider-onlyb.so", "-DNAME='\"onlyb\"'"},
    {"c/.cairn/plugins/cairn-provider-dup.so", "-DNAME='\"dup\"' -DVERSION='\"cwd\"'"},
    {"c/.cairn/plugins/cairn-provider-cwd.so", "-DNAME='\"cwd\"'"},
};

static int setup(void)
{
    if (have_plugins >= 0)
        return have_plugins;
    have_plugins = 0;
    if (!getcwd(root, sizeof root))
        return 0;
    snprintf(base, sizeof base, "/tmp/cairn-plugin-XXXXXX");
    if (!mkdtemp(base))
        return 0;
    const char *dirs[] = {"a", "b", "c", "c/.cairn", "c/.cairn/plugins"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char p[PATH_MAX + 64];
        path_of(p, sizeof p, dirs[i]);
        mkdir(p, 0755);
    }
    if (write_text("fake.c", FAKE_SRC) < 0 ||
        write_text("a/cairn-provider-junk.so", "this is not an ELF file\n") < 0)
        return 0;
    for (size_t i = 0; i < sizeof fakes / sizeof fakes[0]; i++)
        if (build(fakes[i].file, fakes[i].defs) < 0)
            return 0;
    have_plugins = 1;
    return 1;
}

/* The directory of this test binary (static buffer). */
static const char *exe_dir(void)
{
    static char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = 0;
    return buf;
}

/* Point $CAIRN_PLUGIN_PATH at base-relative directories ("a:b"), or unset
 * it with NULL. */
static void set_path(const char *rels)
{
    if (!rels) {
        unsetenv("CAIRN_PLUGIN_PATH");
        return;
    }
    char buf[4 * PATH_MAX];
    size_t n = 0;
    buf[0] = 0;
    while (*rels && n < sizeof buf - PATH_MAX - 2) {
        const char *colon = strchr(rels, ':');
        size_t len = colon ? (size_t)(colon - rels) : strlen(rels);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s/%.*s", n ? ":" : "", base,
                              (int)len, rels);
        rels = colon ? colon + 1 : "";
    }
    setenv("CAIRN_PLUGIN_PATH", buf, 1);
}

/* Load name from a fresh registry over "a:b"; the message of a failure is
 * copied into msg.  Returns the code. */
static char msg[2048];

static int try_load(const char *name)
{
    set_path("a:b");
    plugin_registry *r = plugin_registry_new();
    const plugin *p = (const plugin *)1;
    int rc = plugin_load(r, name, &p);
    snprintf(msg, sizeof msg, "%s", rc < 0 ? err_msg() : "");
    if (rc < 0)
        CHECK(p == NULL);
    plugin_registry_free(r);
    return rc;
}

#define CHECK_HAS(hay, needle) do {                                        \
        const char *h_ = (hay), *n_ = (needle);                            \
        if (!strstr(h_, n_)) {                                             \
            printf("# %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__,  \
                   __LINE__, h_, n_);                                      \
            harness_failed_checks++;                                       \
        }                                                                  \
    } while (0)

TEST(plugin_load_good)
{
    if (!setup())
        SKIP("no C compiler to build the fake plugins");
    set_path("a:b");
    plugin_registry *r = plugin_registry_new();
    const plugin *p = NULL;
    CHECK_INT(plugin_load(r, "good", &p), 0);
    if (!p) {
        plugin_registry_free(r);
        return;
    }
    char want[PATH_MAX + 64];
    path_of(want, sizeof want, "a/cairn-provider-good.so");
    CHECK_STR(plugin_path(p), want);
    CHECK_STR(plugin_api(p)->name, "good");
    CHECK_STR(plugin_api(p)->version, "1.0");
    const prov_resource_type *rt = plugin_resource(p, "fake_thing");
    CHECK(rt != NULL);
    CHECK(plugin_resource(p, "fake_nope") == NULL);
    CHECK(plugin_data_source(p, "fake_info") != NULL);
    CHECK(plugin_data_source(p, "fake_thing") == NULL);
    const plugin *again = NULL;
    CHECK_INT(plugin_load(r, "good", &again), 0);
    CHECK(again == p);   /* cached by name */
    if (rt) {
        char *s = ty_str(plugin_schema_type(p, rt->schema));
        CHECK_STR(s, "object({id=string, name=string, "
                     "named=map(object({cidrs=list(string), port=number})), "
                     "rule=list(object({cidrs=list(string), port=number})), "
                     "tags=map(string)})");
        free(s);
        const prov_schema *rule = rt->schema->blocks[0].schema;
        s = ty_str(plugin_schema_type(p, rule));
        CHECK_STR(s, "object({cidrs=list(string), port=number})");
        free(s);
        s = ty_str(plugin_attr_type(p, rule, 1));
        CHECK_STR(s, "list(string)");
        free(s);
        CHECK(plugin_attr_type(p, rule, 2) == NULL);
        CHECK(plugin_schema_type(p, plugin_api(p)->config_schema) != NULL);
    }
    static const prov_schema foreign = {0};
    CHECK(plugin_schema_type(p, &foreign) == NULL);
    plugin_registry_free(r);
}

TEST(plugin_errors_name_the_file)
{
    if (!setup())
        SKIP("no C compiler to build the fake plugins");
    static const struct { const char *name; int rc; const char *text; } cases[] = {
        {"abi", CAIRN_EVERSION, "was built for ABI 3; this cairn speaks ABI 2"},
        {"nosym", CAIRN_EINVAL, "does not export the entry symbol cairn_provider_entry"},
        {"nocreate", CAIRN_EINVAL,
         ": resource type \"fake_thing\": the MUST slot \"create\" is NULL"},
        {"badtype", CAIRN_EINVAL,
         ": resource type \"fake_thing\": block \"rule\": attribute \"port\": "
         "invalid type \"numbr\": Invalid type specification"},
        {"junk", CAIRN_EIO, "cannot load plugin "},
        {"liar", CAIRN_EINVAL, ": the plugin calls itself \"other\", not \"liar\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(try_load(cases[i].name), cases[i].rc);
        char file[PATH_MAX + 64];
        snprintf(file, sizeof file, "%s/a/cairn-provider-%s.so", base, cases[i].name);
        CHECK_HAS(msg, file);
        CHECK_HAS(msg, cases[i].text);
    }
}

TEST(plugin_not_found_lists_every_directory)
{
    if (!setup())
        SKIP("no C compiler to build the fake plugins");
    CHECK_INT(try_load("nosuch"), CAIRN_ENOTFOUND);
    CHECK_HAS(msg, "no provider plugin \"nosuch\": cairn-provider-nosuch.so is in none of");
    char dir[PATH_MAX + 64];
    path_of(dir, sizeof dir, "a, ");
    CHECK_HAS(msg, dir);
    path_of(dir, sizeof dir, "b, ");
    CHECK_HAS(msg, dir);
    CHECK_HAS(msg, "/.cairn/plugins, ");
    char exe[PATH_MAX + 64];
    snprintf(exe, sizeof exe, "%s/plugins, ", exe_dir());
    CHECK_HAS(msg, exe);
    CHECK_HAS(msg, CAIRN_PLUGIN_DIR);
}

TEST(plugin_bad_names)
{
    plugin_registry *r = plugin_registry_new();
    const char *bad[] = {"", "../x", "a/b", "a.so", "x y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const plugin *p = NULL;
        CHECK_INT(plugin_load(r, bad[i], &p), CAIRN_EINVAL);
        CHECK_HAS(err_msg(), "is not a provider name");
    }
    plugin_registry_free(r);
}

TEST(plugin_search_order)
{
    if (!setup())
        SKIP("no C compiler to build the fake plugins");
    const struct { const char *path; const char *want; } cases[] = {
        {"a:b", "a"}, {"b:a", "b"}, {"b", "b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_path(cases[i].path);
        plugin_registry *r = plugin_registry_new();
        const plugin *p = NULL;
        CHECK_INT(plugin_load(r, "dup", &p), 0);
        CHECK_STR(p ? plugin_api(p)->version : "", cases[i].want);
        CHECK_INT(plugin_load(r, "onlyb", &p), 0);
        plugin_registry_free(r);
    }
}

/* .cairn/plugins under the working directory comes after
 * $CAIRN_PLUGIN_PATH and before the executable's directory. */
TEST(plugin_search_working_directory)
{
    if (!setup())
        SKIP("no C compiler to build the fake plugins");
    char c[PATH_MAX + 64];
    path_of(c, sizeof c, "c");
    if (chdir(c) != 0)
        SKIP("cannot chdir");
    set_path("a");
    plugin_registry *r = plugin_registry_new();
    const plugin *p = NULL;
    CHECK_INT(plugin_load(r, "dup", &p), 0);
    CHECK_STR(p ? plugin_api(p)->version : "", "a");
    CHECK_INT(plugin_load(r, "cwd", &p), 0);
    plugin_registry_free(r);
    set_path(NULL);
    r = plugin_registry_new();
    CHECK_INT(plugin_load(r, "dup", &p), 0);
    CHECK_STR(p ? plugin_api(p)->version : "", "cwd");
    plugin_registry_free(r);
    CHECK_INT(chdir(root), 0);
}

TEST(plugin_registry_dirs_in_order)
{
    setenv("CAIRN_PLUGIN_PATH", "::/x::/y:", 1);   /* empty entries are skipped */
    plugin_registry *r = plugin_registry_new();
    size_t n = 0;
    const char *const *d = plugin_registry_dirs(r, &n);
    CHECK_INT(n, 6);
    if (n == 6) {
        char cwd[PATH_MAX], want[PATH_MAX + 64];
        CHECK_STR(d[0], "/x");
        CHECK_STR(d[1], "/y");
        snprintf(want, sizeof want, "%s/.cairn/plugins", getcwd(cwd, sizeof cwd));
        CHECK_STR(d[2], want);
        snprintf(want, sizeof want, "%s/plugins", exe_dir());
        CHECK_STR(d[3], want);
        snprintf(want, sizeof want, "%s/../lib/cairn/plugins", exe_dir());
        CHECK_STR(d[4], want);
        CHECK_STR(d[5], CAIRN_PLUGIN_DIR);
    }
    plugin_registry_free(r);
    unsetenv("CAIRN_PLUGIN_PATH");
}

/* Several threads loading the same plugin get the one cached copy, and
 * read its schema types at the same time. */
struct loader { plugin_registry *r; const plugin *p; int rc; const ty *t; };

static void *load_thread(void *arg)
{
    struct loader *l = arg;
    l->rc = plugin_load(l->r, "good", &l->p);
    if (l->rc == 0)
        for (int i = 0; i < 1000; i++)
            l->t = plugin_schema_type(l->p, plugin_resource(l->p, "fake_thing")->schema);
    return NULL;
}

TEST(plugin_threads_share_one_load)
{
    if (!setup())
        SKIP("no C compiler to build the fake plugins");
    set_path("a");
    plugin_registry *r = plugin_registry_new();
    struct loader l[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        l[i] = (struct loader){.r = r};
        pthread_create(&th[i], NULL, load_thread, &l[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK_INT(l[i].rc, 0);
        CHECK(l[i].p == l[0].p && l[i].t == l[0].t && l[i].t != NULL);
    }
    plugin_registry_free(r);
}

/* ---------------------------------------------------------------- schema checks */

static const prov_attr port_attr[] = {{"port", "number", PROV_REQUIRED, NULL, NULL}};
static const prov_schema port_schema = {port_attr, 1, NULL, 0};
extern const prov_schema loop_schema;
static const prov_block loop_block[] = {{"again", PROV_NEST_LIST, 0, 0, 0, &loop_schema}};
const prov_schema loop_schema = {NULL, 0, loop_block, 1};

static int build_err(const prov_attr *attrs, size_t na, const prov_block *blocks, size_t nb)
{
    prov_schema s = {attrs, na, blocks, nb};
    ty *t = (ty *)1;
    int rc = plugin_schema_type_build(&s, &t);
    CHECK(rc == 0 || t == NULL);
    ty_free(rc == 0 ? t : NULL);
    snprintf(msg, sizeof msg, "%s", rc < 0 ? err_msg() : "");
    return rc;
}

TEST(plugin_schema_checks)
{
    prov_attr a[2] = {{"x", "string", PROV_OPTIONAL, NULL, NULL}};
    CHECK_INT(build_err(a, 1, NULL, 0), 0);

    a[0].flags = PROV_REQUIRED | PROV_COMPUTED;
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);
    CHECK_STR(msg, "attribute \"x\": flags must be REQUIRED alone, or OPTIONAL and/or "
                   "COMPUTED");
    a[0].flags = PROV_FORCE_NEW;
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);

    a[0].flags = PROV_OPTIONAL;
    a[0].default_json = "\"abc\"";
    CHECK_INT(build_err(a, 1, NULL, 0), 0);
    a[0].type = "number";
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);
    CHECK_STR(msg, "attribute \"x\": default_json \"abc\": a number is required");
    a[0].default_json = "{";
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);
    a[0].default_json = "1";
    a[0].flags = PROV_REQUIRED;
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);
    CHECK_STR(msg, "attribute \"x\": a REQUIRED attribute cannot have a default");

    a[0] = (prov_attr){"x", "list(string", PROV_OPTIONAL, NULL, NULL};
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);
    CHECK_HAS(msg, "attribute \"x\": invalid type \"list(string\": ");
    a[0].type = NULL;
    CHECK_INT(build_err(a, 1, NULL, 0), CAIRN_EINVAL);
    CHECK_STR(msg, "attribute \"x\": no type expression");

    a[0] = (prov_attr){"x", "string", PROV_OPTIONAL, NULL, NULL};
    a[1] = a[0];
    CHECK_INT(build_err(a, 2, NULL, 0), CAIRN_EINVAL);
    CHECK_STR(msg, "the name \"x\" is defined twice");
    prov_block b[1] = {{"x", PROV_NEST_SET, 0, 0, 0, &port_schema}};
    CHECK_INT(build_err(a, 1, b, 1), CAIRN_EINVAL);
    CHECK_STR(msg, "the name \"x\" is defined twice");

    b[0] = (prov_block){"blk", PROV_NEST_SINGLE, 0, 2, 0, &port_schema};
    CHECK_INT(build_err(NULL, 0, b, 1), CAIRN_EINVAL);
    CHECK_STR(msg, "block type \"blk\" has inconsistent min_items 0 and max_items 2");
    b[0] = (prov_block){"blk", PROV_NEST_LIST, 3, 2, 0, &port_schema};
    CHECK_INT(build_err(NULL, 0, b, 1), CAIRN_EINVAL);
    b[0] = (prov_block){"blk", PROV_NEST_LIST, 0, 0, 0, NULL};
    CHECK_INT(build_err(NULL, 0, b, 1), CAIRN_EINVAL);
    CHECK_STR(msg, "block type \"blk\" has no schema");

    ty *t = NULL;
    CHECK_INT(plugin_schema_type_build(&loop_schema, &t), CAIRN_ELIMIT);
    CHECK_HAS(err_msg(), "PLUGIN_MAX_SCHEMA_DEPTH");
    CHECK(t == NULL);
}

/* A nested schema used twice is built once and shared. */
TEST(plugin_schema_shared_nested)
{
    prov_block b[2] = {{"one", PROV_NEST_SINGLE, 0, 1, 0, &port_schema},
                       {"many", PROV_NEST_SET, 1, 0, 0, &port_schema}};
    prov_schema s = {port_attr, 1, b, 2};
    ty *t = NULL;
    CHECK_INT(plugin_schema_type_build(&s, &t), 0);
    char *str = ty_str(t);
    CHECK_STR(str, "object({many=set(object({port=number})), one=object({port=number}), "
                   "port=number})");
    free(str);
    ty_free(t);
}

static void cleanup(void)
{
    if (have_plugins < 0 || !base[0])
        return;
    char *cmd = xasprintf("rm -rf '%s'", base);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", base);
    free(cmd);
}

int main(int argc, char **argv)
{
    int rc = harness_main(argc, argv);
    cleanup();
    return rc;
}
