/*
 * engine/cmd_import.c — `cairn import [options] ADDRESS ID`: bring an
 * existing remote object under cairn's management, as `terraform import`
 * does; and the session (configuration, variables, locked state, providers,
 * plan) that import, graph and show share (engine/cli.h).
 *
 *   parse ADDRESS -> load configuration -> ADDRESS is configured ->
 *   variables -> open state -> lock -> ADDRESS not yet managed ->
 *   plan (no refresh, -target=ADDRESS: configures the provider it uses) ->
 *   provider import, then read -> one transaction: put -> unlock
 *
 * Flags as Terraform's: -var, -var-file, -input, -lock, -lock-timeout,
 * -no-color, and -state-dir (where the store lives).
 *
 * What must stay true: the lock is held from the "already managed" check
 * until the instance is committed; the store is written once, only after
 * the provider returned an object, so a failed import leaves it as it was.
 */
#include "engine/cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- session */

void cli_session_init(cli_session *s)
{
    memset(s, 0, sizeof *s);
    state_cli_init(&s->so);
    s->input = 1;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else
        return -1;
    return 0;
}

/* -var / -var-file, as "-var=X" or "-var X": 1 taken, 0 not one, -1 bad. */
static int var_flag(cli_session *s, int argc, char **argv, int *i, const char *a)
{
    static const char *const names[] = {"-var", "-var-file"};
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) != 0 || (a[n] != 0 && a[n] != '='))
            continue;
        const char *v = a[n] == '=' ? a + n + 1 : NULL;
        if (!v && *i + 1 >= argc) {
            fprintf(stderr, "Error: flag needs an argument: %s\n", names[k]);
            return -1;
        }
        if (!v)
            v = argv[++*i];
        s->ordered = xrealloc(s->ordered, (s->nordered + 1) * sizeof *s->ordered);
        s->ordered[s->nordered++] = xasprintf("%s:%s", k ? "file" : "var", v);
        return 1;
    }
    return 0;
}

int cli_session_flag(cli_session *s, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (a[0] == '-' && a[1] == '-')
        a++;
    int rc = state_cli_flag(&s->so, a);
    if (rc == 0)
        rc = var_flag(s, argc, argv, i, a);
    if (rc != 0)
        return rc;
    if (!strcmp(a, "-input")) {
        s->input = 1;
        return 1;
    }
    if (strncmp(a, "-input=", 7) != 0)
        return 0;
    if (parse_bool(a + 7, &s->input) < 0) {
        fprintf(stderr, "Error: invalid boolean value \"%s\" for -input\n", a + 7);
        return -1;
    }
    return 1;
}

void cli_session_diags(cli_session *s)
{
    if (s->d.n)
        diag_print_all(stderr, &s->d, cli_use_color(stderr));
    diag_list_free(&s->d);
    memset(&s->d, 0, sizeof s->d);
}

int cli_session_load(cli_session *s)
{
    s->cfg = cfg_load(".", &s->d);
    if (s->cfg && !diag_has_errors(&s->d))
        return 0;
    cli_session_diags(s);
    return -1;
}

int cli_session_open(cli_session *s, const char *operation)
{
    vars_opts vo = {.ordered = s->ordered, .nordered = s->nordered,
                    .interactive = s->input, .srcs = &s->srcs};
    s->vars = vars_collect(s->cfg, &vo, &s->d);
    cli_session_diags(s);
    if (!s->vars)
        return -1;
    if (state_cli_open(&s->env, &s->so, STATE_CREATE) != 0 ||
        state_cli_lock(&s->lock, s->env, &s->so, operation) != 0)
        return -1;
    s->reg = plugin_registry_new();
    if (!s->reg) {
        fprintf(stderr, "Error: %s\n", err_msg());
        return -1;
    }
    s->pp = plan_providers_new(s->reg);
    return 0;
}

int cli_session_plan(cli_session *s, plan_opts *po)
{
    po->cfg = s->cfg;
    po->vars = s->vars;
    po->plugins = s->reg;
    po->env = s->env;
    return plan_make(&s->p, po, s->pp, &s->d) < 0 ? -1 : 0;
}

void cli_session_free(cli_session *s)
{
    cli_session_diags(s);
    plan_free(s->p);
    plan_providers_free(s->pp);
    plugin_registry_free(s->reg);
    if (s->lock)
        state_lock_release(s->lock);
    state_close(s->env);
    if (s->vars)
        vars_free(s->vars, s->cfg->nvars);
    cfg_free(s->cfg);
    vars_srcs_free(&s->srcs);
    for (size_t i = 0; i < s->nordered; i++)
        free(s->ordered[i]);
    free(s->ordered);
    memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- import */

typedef struct import_ctx {
    cli_session s;
    const char *arg_addr, *id;
    state_addr a;
    char *addr;                 /* canonical instance address */
    volatile int cancel;        /* never set: import has no interrupt handling */
    int color;
} import_ctx;

static void import_usage(void)
{
    fprintf(stderr,
            "Usage: cairn [global options] import [options] ADDR ID\n\n"
            "  Import existing infrastructure into your cairn state.\n\n"
            "Options:\n\n"
            "  -input=false       Disable interactive input prompts.\n"
            "  -lock=false        Don't hold a state lock during the operation.\n"
            "  -lock-timeout=0s   Duration to retry a state lock.\n"
            "  -no-color          If specified, output won't contain any color.\n"
            "  -state-dir=DIR     Where the state store lives (default .cairn).\n"
            "  -var 'foo=bar'     Set a variable in the configuration.\n"
            "  -var-file=foo      Set variables from a file.\n");
}

static int import_args(import_ctx *x, int argc, char **argv)
{
    const char *pos[3] = {0};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-') {
            if (npos < 3)
                pos[npos] = argv[i];
            npos++;
            continue;
        }
        int rc = cli_session_flag(&x->s, argc, argv, &i);
        if (rc < 0)
            return -1;
        if (rc == 0 && strcmp(argv[i], "-no-color") != 0) {
            fprintf(stderr, "Error: flag provided but not defined: %s\n", argv[i]);
            import_usage();
            return -1;
        }
    }
    if (npos != 2) {
        fprintf(stderr, "The import command expects two arguments.\n");
        import_usage();
        return -1;
    }
    x->arg_addr = pos[0];
    x->id = pos[1];
    return 0;
}

/* ADDRESS must name a managed resource instance. */
static int import_parse_addr(import_ctx *x)
{
    if (state_addr_parse(&x->a, x->arg_addr) < 0) {
        state_cli_error("Invalid address", err_msg());
        return -1;
    }
    if (!x->a.has_resource) {
        state_cli_error("Invalid address",
                        "Resource specification must include a resource type and name.");
        return -1;
    }
    if (x->a.data) {
        state_cli_error("Invalid address", "A managed resource address is required. "
                        "Importing into a data resource is not allowed.");
        return -1;
    }
    x->addr = state_addr_str(&x->a);
    return 0;
}

static void missing_config(const import_ctx *x, int block_missing)
{
    char *mod = state_addr_module_str(&x->a);
    char *example = block_missing
        ? xasprintf("\n\nBefore importing this resource, please create its configuration in "
                    "%s. For example:\n\nresource \"%s\" \"%s\" {\n  # (resource "
                    "arguments)\n}", mod[0] ? mod : "the root module", x->a.type, x->a.name)
        : xstrdup("");
    char *detail = xasprintf("The configuration for the given import target %s does not "
                             "exist. All target instances must have an associated "
                             "configuration to be imported.%s", x->addr, example);
    state_cli_error("Configuration for import target does not exist", detail);
    free(detail);
    free(example);
    free(mod);
}

/* The module the address names must be called, and declare the resource. */
static int import_check_config(const import_ctx *x)
{
    const cfg_module *m = x->s.cfg;
    for (size_t i = 0; i < x->a.nmodules && m; i++) {
        const cfg_call *c = cfg_call_find(m, x->a.modules[i].name);
        m = c ? c->child : NULL;
    }
    if (!m) {
        char *mod = state_addr_module_str(&x->a);
        char *detail = xasprintf("%s is not defined in the configuration. Please add "
                                 "configuration for this module before importing into it.",
                                 mod);
        state_cli_error("Import to non-existent module", detail);
        free(detail);
        free(mod);
        return -1;
    }
    if (!cfg_resource_find(m, 0, x->a.type, x->a.name)) {
        missing_config(x, 1);
        return -1;
    }
    return 0;
}

/* 0 when the state holds nothing at the address, -1 (printed) otherwise. */
static int check_unmanaged(state_txn *txn, const char *addr)
{
    state_instance *old = NULL;
    int rc = state_get(txn, addr, &old);
    state_instance_free(old);
    if (rc == CAIRN_ENOTFOUND)
        return 0;
    if (rc < 0) {
        state_cli_error("Failed to load state", err_msg());
        return -1;
    }
    char *detail = xasprintf("cairn is already managing a remote object for %s. To import "
                             "to this address you must first remove the existing object "
                             "from the state.", addr);
    state_cli_error("Resource already managed by cairn", detail);
    free(detail);
    return -1;
}

static int import_not_managed(import_ctx *x)
{
    state_txn *txn;
    if (state_txn_begin(&txn, x->s.env, STATE_TXN_RDONLY, NULL) < 0) {
        state_cli_error("Failed to load state", err_msg());
        return -1;
    }
    int rc = check_unmanaged(txn, x->addr);
    state_abort(txn);
    return rc;
}

/* Plan without refresh, targeting the address: this configures the
 * provider the resource uses and tells its key.  The change for the
 * address, or NULL (printed) when the configuration does not expand to
 * that instance. */
static const plan_change *import_plan(import_ctx *x)
{
    char *targets[1] = {x->addr};
    plan_opts po = {.refresh = 0, .targets = targets, .ntargets = 1, .cancel = &x->cancel};
    if (cli_session_plan(&x->s, &po) < 0) {
        cli_session_diags(&x->s);
        return NULL;
    }
    for (size_t i = 0; i < x->s.p->n; i++)
        if (!strcmp(x->s.p->changes[i].addr, x->addr) && !x->s.p->changes[i].data)
            return &x->s.p->changes[i];
    missing_config(x, 0);
    return NULL;
}

/* The resource type of change c from the plugin the planner used. */
static const prov_resource_type *import_type(import_ctx *x, const plan_change *c,
                                             const plugin **pl)
{
    char name[PLUGIN_MAX_NAME + 1];
    if (c->cfg && c->cfg->provider)
        snprintf(name, sizeof name, "%s", c->cfg->provider);
    else
        cfg_type_provider(c->type, name, sizeof name);
    if (plugin_load(x->s.reg, name, pl) < 0) {
        state_cli_error("Failed to load plugin", err_msg());
        return NULL;
    }
    const prov_resource_type *rt = plugin_resource(*pl, c->type);
    if (!rt) {
        char *detail = xasprintf("The provider %s does not support resource type \"%s\".",
                                 name, c->type);
        state_cli_error("Invalid resource type", detail);
        free(detail);
        return NULL;
    }
    if (!rt->ops.import) {
        char *detail = xasprintf("The provider %s does not support importing %s resources.",
                                 name, c->type);
        state_cli_error("This resource type cannot be imported", detail);
        free(detail);
        return NULL;
    }
    return rt;
}

static void provider_failed(const prov_diag *pd, const char *what)
{
    state_cli_error(pd->summary[0] ? pd->summary : what, pd->detail);
}

static void nonexistent(const import_ctx *x)
{
    char *detail = xasprintf("While attempting to import an existing object to \"%s\", the "
                             "provider detected that no object exists with the given id. Only "
                             "pre-existing objects can be imported; check that the id is "
                             "correct and that it is associated with the provider's "
                             "configured region or endpoint, or use \"cairn apply\" to create "
                             "a new remote object for this resource.", x->addr);
    state_cli_error("Cannot import non-existent remote object", detail);
    free(detail);
}

/* The "id" attribute of v for messages, else the id asked for. */
static const char *id_of(val v, const char *dflt)
{
    const val *id = val_kind(v) == VAL_OBJECT ? val_lookup(v, "id") : NULL;
    if (id && val_kind(*id) == VAL_STRING && !val_is_unknown(*id) && !val_is_sensitive(*id))
        return val_get_string(*id);
    return dflt;
}

/* What a provider call gave: v when it succeeded with an object, else
 * VAL_INVALID (printed, v freed). */
static val got_object(const import_ctx *x, int rc, val v, const prov_diag *pd, const char *what)
{
    if (rc < 0)
        provider_failed(pd, what);
    else if (!val_is_valid(v) || val_is_null(v))
        nonexistent(x);
    else
        return v;
    val_free(v);
    return val_invalid();
}

/* Import, then read (as Terraform refreshes what it imported).  Returns
 * the object converted to the schema's type, or VAL_INVALID (printed). */
static val import_fetch(import_ctx *x, const plan_change *c, const prov_resource_type *rt,
                        const ty *st, prov_instance *inst)
{
    const char *b = x->color ? "\033[1m" : "", *e = x->color ? "\033[0m" : "";
    prov_call call = {.address = x->addr, .type = c->type, .cancel = &x->cancel};
    prov_diag pd = {0};
    val got = val_invalid(), fresh = val_invalid();
    printf("%s%s: Importing from ID \"%s\"...%s\n", b, x->addr, x->id, e);
    fflush(stdout);
    int rc = rt->ops.import(inst, &call, x->id, &got, &pd);
    got = got_object(x, rc, got, &pd, "Import failed");
    if (!val_is_valid(got))
        return got;
    printf("%s%s: Import prepared!%s\n  Prepared %s for import\n", b, x->addr, e, c->type);
    printf("%s%s: Refreshing state... [id=%s]%s\n", b, x->addr, id_of(got, x->id), e);
    fflush(stdout);
    rc = rt->ops.read(inst, &call, got, &fresh, &pd);
    val_free(got);
    fresh = got_object(x, rc, fresh, &pd, "Refreshing the imported object failed");
    if (!val_is_valid(fresh))
        return fresh;
    val conv = val_convert(fresh, st);
    if (!val_is_valid(conv))
        state_cli_error("Provider returned invalid state", err_msg());
    return conv;
}

/* Mark the schema's sensitive attributes (the provider may not have). */
static val mark_sensitive(val v, const prov_schema *s)
{
    for (size_t i = 0; i < s->nattrs; i++) {
        const val *a = val_lookup(v, s->attrs[i].name);
        if ((s->attrs[i].flags & PROV_SENSITIVE) && a && !val_is_sensitive(*a))
            v = val_object_set(v, s->attrs[i].name, val_mark(val_copy(*a), VAL_MARK_SENSITIVE));
    }
    return v;
}

/* Write the imported object (attrs consumed) at the address, in one
 * transaction that first checks again that nothing is there. */
static int import_store(import_ctx *x, const plan_change *c, val attrs)
{
    state_instance *si = state_instance_new();
    si->type = xstrdup(c->type);
    si->provider = xstrdup(c->provider ? c->provider : "");
    si->schema_version = c->schema_version;
    si->created = (int64_t)time(NULL);
    state_txn *txn = NULL;
    int rc = state_instance_set_attrs(si, attrs);
    if (rc == 0)
        rc = state_txn_begin(&txn, x->s.env, 0, "import");
    if (rc < 0) {
        state_cli_error("Failed to save the imported object", err_msg());
        state_instance_free(si);
        return -1;
    }
    if (check_unmanaged(txn, x->addr) < 0) {
        state_abort(txn);
        state_instance_free(si);
        return -1;
    }
    rc = state_put(txn, x->addr, si);
    if (rc == 0)
        rc = state_commit(txn);
    else
        state_abort(txn);
    state_instance_free(si);
    if (rc < 0)
        state_cli_error("Error writing state", err_msg());
    return rc < 0 ? -1 : 0;
}

static int import_run(import_ctx *x)
{
    if (import_parse_addr(x) < 0 || cli_session_load(&x->s) < 0 ||
        import_check_config(x) < 0 || cli_session_open(&x->s, "OperationTypeImport") < 0 ||
        import_not_managed(x) < 0)
        return -1;
    const plan_change *c = import_plan(x);
    if (!c)
        return -1;
    const plugin *pl;
    const prov_resource_type *rt = import_type(x, c, &pl);
    if (!rt)
        return -1;
    prov_instance *inst = plan_provider_instance(x->s.pp, c->provider, NULL);
    if (!inst) {
        state_cli_error("Provider configuration not present", c->provider);
        return -1;
    }
    val attrs = import_fetch(x, c, rt, plugin_schema_type(pl, rt->schema), inst);
    if (!val_is_valid(attrs))
        return -1;
    if (import_store(x, c, mark_sensitive(attrs, rt->schema)) < 0)
        return -1;
    printf("\n%sImport successful!\n\nThe resources that were imported are shown above. "
           "These resources are now in\nyour cairn state and will henceforth be managed by "
           "cairn.%s\n", x->color ? "\033[32m" : "", x->color ? "\033[0m" : "");
    return 0;
}

int cmd_import(int argc, char **argv)
{
    import_ctx x = {0};
    cli_session_init(&x.s);
    x.color = cli_use_color(stdout);
    int rc = import_args(&x, argc, argv);
    if (rc == 0)
        rc = import_run(&x);
    cli_session_free(&x.s);
    state_addr_free(&x.a);
    free(x.addr);
    return rc < 0 ? 1 : 0;
}
