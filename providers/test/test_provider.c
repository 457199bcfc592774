/*
 * providers/test/test_provider.c — the `test` provider plugin: its entry
 * point, the provider block (configure/close), the static schemas, and the
 * small helpers the other files share (diagnostics, schema types).
 *
 * The test provider exercises the engine without any cloud: its objects
 * are JSON files in a directory (see test_internal.h and
 * docs/test-provider.md), with configurable latency, failures and
 * computed attributes.
 *
 * What must stay true: the schemas below are static data and the only
 * description of a state's shape; tp_schema_type() turns them into the
 * object type every returned state is converted to, so a schema change
 * needs no other edit to keep states well-typed.
 */
#include "providers/test/test_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"

#define TP_VERSION "0.1.0"
/* Type expressions in the schema are ours; these bound their parse. */
#define TP_TYPE_MAX_DEPTH 8
#define TP_TYPE_MAX_ATTRS 32
#define TP_TYPE_MAX_NAME 64

/* ---------------------------------------------------------------- schemas */

static const prov_attr rule_attrs[] = {
    {"port", "number", PROV_REQUIRED, NULL, "Port number."},
    {"cidr", "string", PROV_OPTIONAL, NULL, "CIDR block."},
};
static const prov_schema rule_schema = {rule_attrs, 2, NULL, 0};

static const prov_attr setting_attrs[] = {
    {"key", "string", PROV_REQUIRED, NULL, "Setting name."},
    {"value", "string", PROV_OPTIONAL, NULL, "Setting value."},
};
static const prov_schema setting_schema = {setting_attrs, 2, NULL, 0};

static const prov_attr single_attrs[] = {
    {"x", "string", PROV_OPTIONAL, NULL, "Anything."},
};
static const prov_schema single_schema = {single_attrs, 1, NULL, 0};

static const prov_attr resource_attrs[] = {
    {"name", "string", PROV_OPTIONAL, NULL, "A name; name_upper is derived from it."},
    {"count_value", "number", PROV_OPTIONAL, NULL, "Any number."},
    {"enabled", "bool", PROV_OPTIONAL, NULL, "Any bool."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Any map of strings."},
    {"items", "list(string)", PROV_OPTIONAL, NULL, "Any list of strings."},
    {"labels", "set(string)", PROV_OPTIONAL, NULL, "Any set of strings."},
    {"config", "object({a=string, b=number})", PROV_OPTIONAL, NULL, "An object."},
    {"secret", "string", PROV_OPTIONAL | PROV_SENSITIVE, NULL, "A sensitive string."},
    {"replace_me", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "A change forces replacement."},
    {"create_delay", "string", PROV_OPTIONAL, NULL, "Create sleeps this long (\"1s\")."},
    {"update_delay", "string", PROV_OPTIONAL, NULL, "Update sleeps this long."},
    {"delete_delay", "string", PROV_OPTIONAL, NULL, "Delete sleeps this long."},
    {"create_wait", "string", PROV_OPTIONAL, NULL,
     "After creating, the object takes this long to become available (a wait: it does not "
     "count against -parallelism)."},
    {"fail_on", "string", PROV_OPTIONAL, NULL,
     "create, update, delete or read: that operation fails."},
    {"fail_count", "number", PROV_OPTIONAL, NULL,
     "fail_on fails only the first N attempts for this address."},
    {"id", "string", PROV_COMPUTED, NULL, "The object's id (tr-<16 hex>)."},
    {"name_upper", "string", PROV_COMPUTED, NULL, "name in upper case, or null."},
    {"arn", "string", PROV_COMPUTED, NULL, "arn:test:::resource/<id>."},
    {"created_at", "string", PROV_COMPUTED, NULL, "Creation time, RFC 3339 UTC."},
    {"generation", "number", PROV_COMPUTED, NULL, "1 at create, +1 on each update."},
};

static const prov_block resource_blocks[] = {
    {"rule", PROV_NEST_LIST, 0, 0, 0, &rule_schema},
    {"setting", PROV_NEST_SET, 0, 0, 0, &setting_schema},
    {"single", PROV_NEST_SINGLE, 0, 1, 0, &single_schema},
};

const prov_schema tp_resource_schema = {
    resource_attrs, sizeof resource_attrs / sizeof resource_attrs[0],
    resource_blocks, sizeof resource_blocks / sizeof resource_blocks[0],
};

static const prov_attr data_attrs[] = {
    {"input", "string", PROV_OPTIONAL, NULL, "Any string."},
    {"values", "list(string)", PROV_OPTIONAL, NULL, "Any list of strings."},
    {"id", "string", PROV_COMPUTED, NULL, "SHA-256 hex of input, or \"none\"."},
    {"result", "string", PROV_COMPUTED, NULL, "\"data:\" + input, or null."},
    {"length", "number", PROV_COMPUTED, NULL, "Number of values."},
    {"object_count", "number", PROV_COMPUTED, NULL,
     "How many object files the directory holds now."},
};

const prov_schema tp_data_schema = {
    data_attrs, sizeof data_attrs / sizeof data_attrs[0], NULL, 0,
};

static const prov_attr config_attrs[] = {
    {"dir", "string", PROV_OPTIONAL, NULL,
     "Directory of the object files (default: $TEST_PROVIDER_DIR)."},
    {"prefix", "string", PROV_OPTIONAL, NULL, "Prepended to the ids of new objects."},
};

static const prov_schema config_schema = {config_attrs, 2, NULL, 0};

/* ---------------------------------------------------------------- helpers */

int tp_fail(prov_diag *d, int code, const char *attr, const char *summary,
            const char *detail_fmt, ...)
{
    if (!d)
        return code;
    snprintf(d->summary, sizeof d->summary, "%s", summary);
    d->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(d->detail, sizeof d->detail, detail_fmt, ap);
        va_end(ap);
    }
    d->attr = attr;
    d->retryable = 0;
    return code;
}

const char *tp_get_str(val obj, const char *name)
{
    if (val_kind(obj) != VAL_OBJECT || val_is_unknown(obj))
        return NULL;
    const val *v = val_lookup(obj, name);
    if (!v || val_is_unknown(*v) || val_kind(*v) != VAL_STRING)
        return NULL;
    return val_get_string(*v);
}

/* ------------------------------------------------------ type expressions */

/* Cursor over one schema type expression. */
typedef struct tparse {
    const char *s;
    int depth;
} tparse;

static ty *parse_type(tparse *t);

static void skip_ws(tparse *t)
{
    while (*t->s == ' ' || *t->s == '\t')
        t->s++;
}

/* Consume character ch (after blanks); 1 if it was there. */
static int eat(tparse *t, char ch)
{
    skip_ws(t);
    if (*t->s != ch)
        return 0;
    t->s++;
    return 1;
}

/* name := [A-Za-z_][A-Za-z0-9_]*, copied into buf; 0 if absent or too long. */
static int parse_name(tparse *t, char *buf, size_t size)
{
    skip_ws(t);
    size_t n = 0;
    while ((t->s[n] >= 'a' && t->s[n] <= 'z') || (t->s[n] >= 'A' && t->s[n] <= 'Z') ||
           t->s[n] == '_' || (n > 0 && t->s[n] >= '0' && t->s[n] <= '9'))
        n++;
    if (n == 0 || n >= size)
        return 0;
    memcpy(buf, t->s, n);
    buf[n] = '\0';
    t->s += n;
    return 1;
}

/* object_body := "{" [name "=" type {"," name "=" type}] "}" ")" */
static ty *parse_object(tparse *t)
{
    char names[TP_TYPE_MAX_ATTRS][TP_TYPE_MAX_NAME];
    const char *np[TP_TYPE_MAX_ATTRS];
    ty *types[TP_TYPE_MAX_ATTRS];
    size_t n = 0;
    if (!eat(t, '{'))
        return NULL;
    while (!eat(t, '}')) {
        if (n == TP_TYPE_MAX_ATTRS || (n > 0 && !eat(t, ',')) ||
            !parse_name(t, names[n], sizeof names[n]) || !eat(t, '='))
            goto fail;
        types[n] = parse_type(t);
        if (!types[n])
            goto fail;
        np[n] = names[n];
        n++;
    }
    if (!eat(t, ')'))
        goto fail;
    return ty_object(np, types, n, NULL, NULL);
fail:
    for (size_t i = 0; i < n; i++)
        ty_free(types[i]);
    return NULL;
}

/* type := "string" | "number" | "bool" | "any"
 *       | ("list" | "set" | "map") "(" type ")" | "object" "(" object_body */
static ty *parse_type(tparse *t)
{
    char kw[16];
    if (t->depth >= TP_TYPE_MAX_DEPTH || !parse_name(t, kw, sizeof kw))
        return NULL;
    if (!strcmp(kw, "string"))
        return ty_string();
    if (!strcmp(kw, "number"))
        return ty_number();
    if (!strcmp(kw, "bool"))
        return ty_bool();
    if (!strcmp(kw, "any"))
        return ty_any();
    if (!eat(t, '('))
        return NULL;
    t->depth++;
    ty *r = NULL;
    if (!strcmp(kw, "object")) {
        r = parse_object(t);
    } else {
        ty *el = parse_type(t);
        if (el && !eat(t, ')')) {
            ty_free(el);
            el = NULL;
        }
        if (el && !strcmp(kw, "list"))
            r = ty_list(el);
        else if (el && !strcmp(kw, "set"))
            r = ty_set(el);
        else if (el && !strcmp(kw, "map"))
            r = ty_map(el);
        else
            ty_free(el);
    }
    t->depth--;
    return r;
}

/* A whole type expression (nothing may follow it); NULL if it does not parse. */
static ty *parse_full(const char *expr)
{
    tparse t = {expr, 0};
    ty *r = parse_type(&t);
    skip_ws(&t);
    if (r && *t.s != '\0') {
        ty_free(r);
        r = NULL;
    }
    return r;
}

/* The value type of nested block b: its schema's object type wrapped by the
 * nesting mode. */
static ty *block_type(const prov_block *b)
{
    ty *obj = tp_schema_type(b->schema);
    if (!obj)
        return NULL;
    switch (b->nesting) {
    case PROV_NEST_SINGLE: return obj;
    case PROV_NEST_LIST: return ty_list(obj);
    case PROV_NEST_SET: return ty_set(obj);
    case PROV_NEST_MAP: return ty_map(obj);
    }
    ty_free(obj);
    return NULL;
}

ty *tp_schema_type(const prov_schema *s)
{
    size_t n = s->nattrs + s->nblocks;
    const char **names = calloc(n ? n : 1, sizeof *names);
    ty **types = calloc(n ? n : 1, sizeof *types);
    ty *r = NULL;
    size_t i = 0;
    if (!names || !types) {
        err_set(CAIRN_ENOMEM, "test provider: out of memory building a schema type");
        goto done;
    }
    for (; i < n; i++) {
        int is_attr = i < s->nattrs;
        names[i] = is_attr ? s->attrs[i].name : s->blocks[i - s->nattrs].type_name;
        types[i] = is_attr ? parse_full(s->attrs[i].type)
                           : block_type(&s->blocks[i - s->nattrs]);
        if (!types[i]) {
            err_set(CAIRN_EINVAL, "test provider: bad schema type for \"%s\"", names[i]);
            goto done;
        }
    }
    r = ty_object(names, types, n, NULL, NULL);
    i = 0;
done:
    while (i > 0)
        ty_free(types[--i]);
    free(names);
    free(types);
    return r;
}

/* ---------------------------------------------------------------- configure */

static void tp_close(prov_instance *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->mu);
    ty_free(p->res_type);
    ty_free(p->data_type);
    free(p->dir);
    free(p->prefix);
    free(p);
}

/* Check a provider block string attribute: absent, null or a known string. */
static int config_str(val config, const char *name, const char **out, prov_diag *d)
{
    *out = NULL;
    const val *v = val_kind(config) == VAL_OBJECT ? val_lookup(config, name) : NULL;
    if (!v || val_is_null(*v))
        return 0;
    if (val_is_unknown(*v) || val_kind(*v) != VAL_STRING)
        return tp_fail(d, CAIRN_EINVAL, name, "test provider: invalid provider configuration",
                       "The \"%s\" argument must be a known string when the provider "
                       "is configured.", name);
    *out = val_get_string(*v);
    return 0;
}

/* Whether prefix is usable at the start of a file name. */
static int valid_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n > TP_MAX_PREFIX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return 0;
    return 1;
}

/* configure: the directory comes from `dir`, else $TEST_PROVIDER_DIR.
 * Nothing is touched on disk here: the directory is created by the first
 * write, and reads treat a missing directory as empty. */
static int tp_configure(prov_instance **out, val config, prov_diag *d)
{
    const char *dir = NULL, *prefix = NULL;
    *out = NULL;
    int rc = config_str(config, "dir", &dir, d);
    if (rc == 0)
        rc = config_str(config, "prefix", &prefix, d);
    if (rc)
        return rc;
    if (!dir || !*dir)
        dir = getenv(TP_ENV_DIR);
    if (!dir || !*dir)
        return tp_fail(d, CAIRN_EINVAL, "dir", "test provider: no object directory",
                       "Set the provider block's \"dir\" argument or the %s environment "
                       "variable to the directory that holds the test objects.", TP_ENV_DIR);
    if (prefix && !valid_prefix(prefix))
        return tp_fail(d, CAIRN_EINVAL, "prefix", "test provider: invalid prefix",
                       "The prefix may hold at most %d letters, digits, '-' and '_'.",
                       TP_MAX_PREFIX_LEN);
    prov_instance *p = calloc(1, sizeof *p);
    if (!p)
        return tp_fail(d, CAIRN_ENOMEM, NULL, "test provider: out of memory", NULL);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return tp_fail(d, CAIRN_EIO, NULL, "test provider: cannot create a mutex", NULL);
    }
    p->dir = strdup(dir);
    p->prefix = strdup(prefix ? prefix : "");
    p->res_type = tp_schema_type(&tp_resource_schema);
    p->data_type = tp_schema_type(&tp_data_schema);
    if (!p->dir || !p->prefix || !p->res_type || !p->data_type) {
        rc = p->dir && p->prefix ? err_code() : CAIRN_ENOMEM;
        tp_close(p);
        return tp_fail(d, rc ? rc : CAIRN_ENOMEM, NULL, "test provider: cannot configure",
                       "%s", err_msg());
    }
    *out = p;
    return 0;
}

/* ---------------------------------------------------------------- entry */

static const prov_plugin tp_plugin = {
    .abi_version = PROV_ABI_VERSION,
    .name = "test",
    .version = TP_VERSION,
    .config_schema = &config_schema,
    .resources = tp_resource_types,
    .nresources = TP_NRESOURCES,
    .data_sources = tp_data_sources,
    .ndata_sources = TP_NDATA_SOURCES,
    .configure = tp_configure,
    .close = tp_close,
};

const prov_plugin *tp_entry(void)
{
    return &tp_plugin;
}

/* The plugin's one exported symbol (PROV_ENTRY_SYMBOL).  Every plugin
 * exports this name, so code that links several plugins statically (unit
 * tests) calls tp_entry instead. */
const prov_plugin *cairn_provider_entry(void);

const prov_plugin *cairn_provider_entry(void)
{
    return tp_entry();
}
