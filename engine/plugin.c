/*
 * engine/plugin.c — the provider plugin registry (engine/plugin.h).
 *
 * Three parts: schema checking and type building (usable without a plugin,
 * plugin_schema_type_build), the search path, and loading (dlopen, entry
 * symbol, ABI and slot checks, one schema table per plugin).
 *
 * A plugin's schema table maps every prov_schema pointer reachable from the
 * plugin (config, resources, data sources, nested blocks) to its object
 * type and its attributes' types.  It is filled while loading and then
 * sorted by address; lookups are a binary search over read-only memory.
 */
#include "engine/plugin.h"

#include "lang/eval.h"
#include "lang/parse.h"
#include "lang/val_json.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- errors */

/* Prefix the last error with a formatted context ("resource type \"x\"")
 * and return code.  The old message is copied first: err_set formats into
 * the same buffer err_msg points to. */
static int err_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int err_wrap(int code, const char *fmt, ...)
{
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char *old = xstrdup(err_msg());
    err_set(code, "%s: %s", prefix, old);
    free(old);
    return code;
}

/* ---------------------------------------------------------------- schema table */

struct schema_ent {
    const prov_schema *s;
    ty *type;          /* owned */
    ty **attr_types;   /* owned, s->nattrs entries */
};

struct schema_tab {
    struct schema_ent *v;
    size_t n, cap;
};

static void ent_free(struct schema_ent *e)
{
    if (e->attr_types)
        for (size_t i = 0; i < e->s->nattrs; i++)
            ty_free(e->attr_types[i]);
    free(e->attr_types);
    ty_free(e->type);
}

static void tab_free(struct schema_tab *t)
{
    for (size_t i = 0; i < t->n; i++)
        ent_free(&t->v[i]);
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* Linear lookup, used while building (the table is not sorted yet). */
static const struct schema_ent *tab_scan(const struct schema_tab *t, const prov_schema *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].s == s)
            return &t->v[i];
    return NULL;
}

/* Take ownership of e's type and attribute types into the table. */
static void tab_add(struct schema_tab *t, struct schema_ent e)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = e;
}

static int ent_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct schema_ent *)a)->s;
    uintptr_t y = (uintptr_t)((const struct schema_ent *)b)->s;
    return x < y ? -1 : x > y;
}

static const struct schema_ent *tab_find(const struct schema_tab *t, const prov_schema *s)
{
    struct schema_ent key = {.s = s};
    if (!t->n)
        return NULL;
    return bsearch(&key, t->v, t->n, sizeof *t->v, ent_cmp);
}

/* ---------------------------------------------------------------- schema checks */

/* Parse a type expression string into an owned type, or set the last
 * error (with the diagnostic's summary and detail) and return NULL. */
static ty *parse_type_string(const char *text)
{
    src_file *src = src_from_string("<schema type>", text, strlen(text));
    if (!src) {
        err_set(CAIRN_ENOMEM, "out of memory");
        return NULL;
    }
    diag_list d = {0};
    ty *t = NULL;
    ast_file *af = parse_expression(src, &d);
    if (af && !diag_has_errors(&d) && af->expr)
        t = eval_type_expr(af->expr, &d);
    if (!t) {
        const diag *first = d.n ? &d.items[0] : NULL;
        err_set(af ? CAIRN_EINVAL : CAIRN_ENOMEM, "invalid type \"%s\": %s%s%s", text,
                first ? first->summary : "out of memory",
                first && first->detail ? ": " : "",
                first && first->detail ? first->detail : "");
    }
    ast_file_free(af);
    diag_list_free(&d);
    src_free(src);
    return t;
}

/* Whether the flag combination of attribute a is one the engine knows how
 * to decode and plan (terraform-plugin-sdk's InternalValidate rules). */
static int attr_flags_ok(const prov_attr *a)
{
    unsigned f = a->flags;
    if (f & PROV_REQUIRED)
        return !(f & (PROV_OPTIONAL | PROV_COMPUTED));
    return (f & (PROV_OPTIONAL | PROV_COMPUTED)) != 0;
}

/* A default must decode as JSON and convert to the attribute's type. */
static int check_default(const prov_attr *a, const ty *t)
{
    if (a->flags & PROV_REQUIRED)
        return err_set(CAIRN_EINVAL, "a REQUIRED attribute cannot have a default");
    val v = val_from_json(a->default_json, strlen(a->default_json));
    if (!val_is_valid(v))
        return err_wrap(CAIRN_EINVAL, "default_json %s", a->default_json);
    v = val_convert(v, t);
    if (!val_is_valid(v))
        return err_wrap(CAIRN_EINVAL, "default_json %s", a->default_json);
    val_free(v);
    return 0;
}

/* Check attribute a and parse its type into *out (owned). */
static int attr_build(const prov_attr *a, ty **out)
{
    *out = NULL;
    if (!a->name || !a->name[0])
        return err_set(CAIRN_EINVAL, "an attribute has no name");
    if (!a->type) {
        err_set(CAIRN_EINVAL, "no type expression");
        goto fail;
    }
    if (!attr_flags_ok(a)) {
        err_set(CAIRN_EINVAL, "flags must be REQUIRED alone, or OPTIONAL and/or COMPUTED");
        goto fail;
    }
    *out = parse_type_string(a->type);
    if (!*out)
        goto fail;
    if (a->default_json && check_default(a, *out) < 0) {
        ty_free(*out);
        *out = NULL;
        goto fail;
    }
    return 0;
fail:
    return err_wrap(err_code(), "attribute \"%s\"", a->name);
}

static int block_check(const prov_block *b)
{
    if (!b->type_name || !b->type_name[0])
        return err_set(CAIRN_EINVAL, "a block type has no name");
    if (!b->schema)
        return err_set(CAIRN_EINVAL, "block type \"%s\" has no schema", b->type_name);
    if (b->nesting < PROV_NEST_SINGLE || b->nesting > PROV_NEST_MAP)
        return err_set(CAIRN_EINVAL, "block type \"%s\" has an unknown nesting mode %d",
                       b->type_name, (int)b->nesting);
    if (b->min_items < 0 || b->max_items < 0 ||
        (b->max_items > 0 && b->min_items > b->max_items) ||
        (b->nesting == PROV_NEST_SINGLE && (b->min_items > 1 || b->max_items > 1)))
        return err_set(CAIRN_EINVAL, "block type \"%s\" has inconsistent min_items %d and "
                       "max_items %d", b->type_name, b->min_items, b->max_items);
    if ((b->flags & PROV_AS_ATTR) &&
        (b->min_items > 0 || (b->nesting != PROV_NEST_LIST && b->nesting != PROV_NEST_SET)))
        return err_set(CAIRN_EINVAL, "block type \"%s\" is PROV_AS_ATTR but not an optional "
                       "list or set", b->type_name);
    return 0;
}

/* Names of attributes and blocks must be distinct: they share one object. */
static int names_unique(const prov_schema *s)
{
    size_t n = s->nattrs + s->nblocks;
    for (size_t i = 0; i < n; i++) {
        const char *a = i < s->nattrs ? s->attrs[i].name : s->blocks[i - s->nattrs].type_name;
        for (size_t j = i + 1; j < n; j++) {
            const char *b =
                j < s->nattrs ? s->attrs[j].name : s->blocks[j - s->nattrs].type_name;
            if (strcmp(a, b) == 0)
                return err_set(CAIRN_EINVAL, "the name \"%s\" is defined twice", a);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- type building */

static int schema_build(struct schema_tab *tab, const prov_schema *s, int depth, ty **out);

/* The attribute type of a nested block: its object type wrapped as the
 * nesting mode says (consumes obj). */
static ty *nest_type(enum prov_nesting n, ty *obj)
{
    switch (n) {
    case PROV_NEST_SINGLE: return obj;
    case PROV_NEST_LIST: return ty_list(obj);
    case PROV_NEST_SET: return ty_set(obj);
    case PROV_NEST_MAP: return ty_map(obj);
    }
    return obj;
}

static int blocks_build(struct schema_tab *tab, const prov_schema *s, int depth, ty **types)
{
    for (size_t i = 0; i < s->nblocks; i++) {
        const prov_block *b = &s->blocks[i];
        int rc = block_check(b);
        if (rc < 0)
            return rc;
        ty *obj = NULL;
        rc = schema_build(tab, b->schema, depth + 1, &obj);
        if (rc < 0)
            return err_wrap(rc, "block \"%s\"", b->type_name);
        types[i] = nest_type(b->nesting, obj);
    }
    return 0;
}

/* Check schema s, build its object type into *out (owned) and record s and
 * every nested schema in tab.  A schema already in tab is not checked
 * again (schemas may be shared). */
static int schema_build(struct schema_tab *tab, const prov_schema *s, int depth, ty **out)
{
    *out = NULL;
    const struct schema_ent *have = tab_scan(tab, s);
    if (have) {
        *out = ty_copy(have->type);
        return 0;
    }
    if (depth > PLUGIN_MAX_SCHEMA_DEPTH)
        return err_set(CAIRN_ELIMIT, "blocks nested deeper than PLUGIN_MAX_SCHEMA_DEPTH (%d)",
                       PLUGIN_MAX_SCHEMA_DEPTH);
    if ((s->nattrs && !s->attrs) || (s->nblocks && !s->blocks))
        return err_set(CAIRN_EINVAL, "a schema counts attributes or blocks it does not have");
    size_t n = s->nattrs + s->nblocks;
    ty **types = xcalloc(n ? n : 1, sizeof *types);
    const char **names = xcalloc(n ? n : 1, sizeof *names);
    int rc = 0;
    for (size_t i = 0; i < s->nattrs && rc == 0; i++) {
        rc = attr_build(&s->attrs[i], &types[i]);
        names[i] = s->attrs[i].name;
    }
    if (rc == 0)
        rc = blocks_build(tab, s, depth, types + s->nattrs);
    for (size_t i = 0; i < s->nblocks && rc == 0; i++)
        names[s->nattrs + i] = s->blocks[i].type_name;
    if (rc == 0)
        rc = names_unique(s);
    if (rc == 0) {
        struct schema_ent e = {.s = s, .attr_types = xcalloc(n ? n : 1, sizeof(ty *))};
        for (size_t i = 0; i < s->nattrs; i++)
            e.attr_types[i] = ty_copy(types[i]);
        *out = ty_object(names, types, n, NULL, NULL);
        e.type = ty_copy(*out);
        tab_add(tab, e);
    } else {
        for (size_t i = 0; i < n; i++)
            ty_free(types[i]);
    }
    free(types);
    free(names);
    return rc;
}

int plugin_schema_type_build(const prov_schema *s, ty **out)
{
    struct schema_tab tab = {0};
    *out = NULL;
    if (!s)
        return err_set(CAIRN_EINVAL, "no schema");
    int rc = schema_build(&tab, s, 0, out);
    tab_free(&tab);
    return rc;
}

/* ---------------------------------------------------------------- registry */

struct plugin {
    char *name;
    char *path;
    void *handle;
    const prov_plugin *api;
    struct schema_tab schemas;   /* sorted by schema address after load */
};

struct plugin_registry {
    char *dirs[PLUGIN_MAX_DIRS];
    size_t ndirs;
    plugin **plugins;
    size_t n, cap;
    pthread_mutex_t lock;   /* held by plugin_load */
};

static void add_dir(plugin_registry *r, const char *dir, size_t len)
{
    if (len == 0 || r->ndirs == PLUGIN_MAX_DIRS)
        return;
    r->dirs[r->ndirs++] = xstrndup(dir, len);
}

/* The directory of the running executable into buf, or 0 when unknown. */
static int exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0 || (size_t)n >= size - 1)
        return 0;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash)
        return 0;
    *slash = 0;
    return 1;
}

static void search_path(plugin_registry *r)
{
    const char *env = getenv("CAIRN_PLUGIN_PATH");
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        add_dir(r, env, len);
        env = colon ? colon + 1 : NULL;
    }
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf)) {
        char *d = xasprintf("%s/.cairn/plugins", buf);
        add_dir(r, d, strlen(d));
        free(d);
    }
    if (exe_dir(buf, sizeof buf)) {
        char *d = xasprintf("%s/plugins", buf);
        add_dir(r, d, strlen(d));
        free(d);
        d = xasprintf("%s/../lib/cairn/plugins", buf);
        add_dir(r, d, strlen(d));
        free(d);
    }
    add_dir(r, CAIRN_PLUGIN_DIR, strlen(CAIRN_PLUGIN_DIR));
}

plugin_registry *plugin_registry_new(void)
{
    plugin_registry *r = calloc(1, sizeof *r);
    if (!r) {
        err_set(CAIRN_ENOMEM, "out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&r->lock, NULL) != 0) {
        free(r);
        err_set(CAIRN_ENOMEM, "cannot create the plugin registry's lock");
        return NULL;
    }
    search_path(r);
    return r;
}

static void plugin_free(plugin *p)
{
    if (!p)
        return;
    tab_free(&p->schemas);
    if (p->handle)
        dlclose(p->handle);
    free(p->name);
    free(p->path);
    free(p);
}

void plugin_registry_free(plugin_registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        plugin_free(r->plugins[i]);
    free(r->plugins);
    for (size_t i = 0; i < r->ndirs; i++)
        free(r->dirs[i]);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

const char *const *plugin_registry_dirs(const plugin_registry *r, size_t *n)
{
    *n = r->ndirs;
    return (const char *const *)r->dirs;
}

/* ---------------------------------------------------------------- checks of a loaded plugin */

static int check_resource(struct schema_tab *tab, const prov_resource_type *t)
{
    if (!t->name || !t->name[0])
        return err_set(CAIRN_EINVAL, "a resource type has no name");
    const char *missing = !t->ops.create ? "create"
                          : !t->ops.read ? "read"
                          : !t->ops.del  ? "del"
                                         : NULL;
    if (missing)
        return err_set(CAIRN_EINVAL, "resource type \"%s\": the MUST slot \"%s\" is NULL",
                       t->name, missing);
    if (!t->schema)
        return err_set(CAIRN_EINVAL, "resource type \"%s\" has no schema", t->name);
    ty *type = NULL;
    int rc = schema_build(tab, t->schema, 0, &type);
    ty_free(type);
    return rc < 0 ? err_wrap(rc, "resource type \"%s\"", t->name) : 0;
}

static int check_data_source(struct schema_tab *tab, const prov_data_source *d)
{
    if (!d->name || !d->name[0])
        return err_set(CAIRN_EINVAL, "a data source has no name");
    if (!d->read)
        return err_set(CAIRN_EINVAL, "data source \"%s\": the MUST slot \"read\" is NULL",
                       d->name);
    if (!d->schema)
        return err_set(CAIRN_EINVAL, "data source \"%s\" has no schema", d->name);
    ty *type = NULL;
    int rc = schema_build(tab, d->schema, 0, &type);
    ty_free(type);
    return rc < 0 ? err_wrap(rc, "data source \"%s\"", d->name) : 0;
}

/* Everything but the ABI version, which is checked first. */
static int check_api(struct schema_tab *tab, const prov_plugin *api, const char *name)
{
    if (!api->name || strcmp(api->name, name) != 0)
        return err_set(CAIRN_EINVAL, "the plugin calls itself \"%s\", not \"%s\"",
                       api->name ? api->name : "(null)", name);
    if (!api->configure || !api->close)
        return err_set(CAIRN_EINVAL, "the MUST slot \"%s\" is NULL",
                       api->configure ? "close" : "configure");
    if ((api->nresources && !api->resources) || (api->ndata_sources && !api->data_sources))
        return err_set(CAIRN_EINVAL, "resources or data sources are counted but missing");
    int rc = 0;
    if (api->config_schema) {
        ty *type = NULL;
        rc = schema_build(tab, api->config_schema, 0, &type);
        ty_free(type);
        if (rc < 0)
            return err_wrap(rc, "provider configuration");
    }
    for (size_t i = 0; i < api->nresources && rc == 0; i++)
        rc = check_resource(tab, &api->resources[i]);
    for (size_t i = 0; i < api->ndata_sources && rc == 0; i++)
        rc = check_data_source(tab, &api->data_sources[i]);
    return rc;
}

/* ---------------------------------------------------------------- loading */

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > PLUGIN_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* The first cairn-provider-NAME.so in the search path (owned), or NULL
 * with the last error listing every directory searched. */
static char *find_file(const plugin_registry *r, const char *name)
{
    for (size_t i = 0; i < r->ndirs; i++) {
        char *path = xasprintf("%s/cairn-provider-%s.so", r->dirs[i], name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            return path;
        free(path);
    }
    strbuf b = {0};
    for (size_t i = 0; i < r->ndirs; i++)
        sb_printf(&b, "%s%s", i ? ", " : "", r->dirs[i]);
    char *dirs = sb_take(&b);
    err_set(CAIRN_ENOTFOUND, "no provider plugin \"%s\": cairn-provider-%s.so is in none of "
            "the directories searched: %s (set CAIRN_PLUGIN_PATH to add one)",
            name, name, dirs ? dirs : "(none)");
    free(dirs);
    return NULL;
}

/* dlopen p->path and fetch its ABI table into p->api. */
static int open_api(plugin *p)
{
    p->handle = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
    if (!p->handle) {
        const char *e = dlerror();
        return err_set(CAIRN_EIO, "cannot load plugin %s: %s", p->path, e ? e : "dlopen failed");
    }
    dlerror();
    void *sym = dlsym(p->handle, PROV_ENTRY_SYMBOL);
    if (!sym)
        return err_set(CAIRN_EINVAL, "plugin %s does not export the entry symbol %s", p->path,
                       PROV_ENTRY_SYMBOL);
    prov_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry);   /* object to function pointer, as POSIX allows */
    p->api = entry();
    if (!p->api)
        return err_set(CAIRN_EINVAL, "plugin %s: %s returned NULL", p->path, PROV_ENTRY_SYMBOL);
    if (p->api->abi_version != PROV_ABI_VERSION)
        return err_set(CAIRN_EVERSION, "plugin %s was built for ABI %u; this cairn speaks ABI %d",
                       p->path, (unsigned)p->api->abi_version, PROV_ABI_VERSION);
    return 0;
}

/* Find, open and check plugin `name`; *out receives it (owned). */
static int load_new(const plugin_registry *r, const char *name, plugin **out)
{
    *out = NULL;
    char *path = find_file(r, name);
    if (!path)
        return CAIRN_ENOTFOUND;
    plugin *p = xcalloc(1, sizeof *p);
    p->name = xstrdup(name);
    p->path = path;
    int rc = open_api(p);
    if (rc == 0) {
        rc = check_api(&p->schemas, p->api, name);
        if (rc < 0)
            err_wrap(rc, "plugin %s", p->path);
    }
    if (rc < 0) {
        plugin_free(p);
        return rc;
    }
    qsort(p->schemas.v, p->schemas.n, sizeof *p->schemas.v, ent_cmp);
    *out = p;
    return 0;
}

static plugin *cached(const plugin_registry *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->plugins[i]->name, name) == 0)
            return r->plugins[i];
    return NULL;
}

int plugin_load(plugin_registry *r, const char *name, const plugin **out)
{
    *out = NULL;
    if (!name || !name_ok(name))
        return err_set(CAIRN_EINVAL, "\"%s\" is not a provider name (letters, digits, '_' "
                       "and '-', at most %d bytes)", name ? name : "(null)", PLUGIN_MAX_NAME);
    pthread_mutex_lock(&r->lock);
    plugin *p = cached(r, name);
    int rc = 0;
    if (!p) {
        rc = load_new(r, name, &p);
        if (rc == 0) {
            if (r->n == r->cap) {
                r->cap = r->cap ? 2 * r->cap : 4;
                r->plugins = xrealloc(r->plugins, r->cap * sizeof *r->plugins);
            }
            r->plugins[r->n++] = p;
        }
    }
    pthread_mutex_unlock(&r->lock);
    *out = p;
    return rc;
}

/* ---------------------------------------------------------------- lookups */

const prov_plugin *plugin_api(const plugin *p) { return p->api; }

const char *plugin_path(const plugin *p) { return p->path; }

const prov_resource_type *plugin_resource(const plugin *p, const char *type)
{
    for (size_t i = 0; i < p->api->nresources; i++)
        if (strcmp(p->api->resources[i].name, type) == 0)
            return &p->api->resources[i];
    return NULL;
}

const prov_data_source *plugin_data_source(const plugin *p, const char *type)
{
    for (size_t i = 0; i < p->api->ndata_sources; i++)
        if (strcmp(p->api->data_sources[i].name, type) == 0)
            return &p->api->data_sources[i];
    return NULL;
}

const ty *plugin_schema_type(const plugin *p, const prov_schema *s)
{
    const struct schema_ent *e = tab_find(&p->schemas, s);
    return e ? e->type : NULL;
}

const ty *plugin_attr_type(const plugin *p, const prov_schema *s, size_t i)
{
    const struct schema_ent *e = tab_find(&p->schemas, s);
    return e && i < s->nattrs ? e->attr_types[i] : NULL;
}
