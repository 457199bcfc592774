/*
 * engine/plan_providers.c — configured provider instances, shared by plan
 * and apply: one per provider configuration key, configured on first use
 * from its `provider` block (or an empty configuration when there is none).
 */
#include "engine/decode.h"
#include "engine/plan_int.h"

#include <stdlib.h>
#include <string.h>

plan_providers *plan_providers_new(plugin_registry *r)
{
    plan_providers *pp = xcalloc(1, sizeof *pp);
    pp->reg = r;
    pthread_mutex_init(&pp->mu, NULL);
    return pp;
}

void plan_providers_free(plan_providers *pp)
{
    if (!pp)
        return;
    for (size_t i = 0; i < pp->n; i++) {
        if (pp->v[i].inst && pp->v[i].api->close)
            pp->v[i].api->close(pp->v[i].inst);
        free(pp->v[i].key);
    }
    free(pp->v);
    pthread_mutex_destroy(&pp->mu);
    free(pp);
}

prov_instance *plan_provider_instance(plan_providers *pp, const char *key,
                                      const prov_plugin **api)
{
    for (size_t i = 0; i < pp->n; i++)
        if (strcmp(pp->v[i].key, key) == 0 && pp->v[i].inst) {
            if (api)
                *api = pp->v[i].api;
            return pp->v[i].inst;
        }
    return NULL;
}

void plan_call_init(prov_call *call, const char *addr, const char *type, uint64_t timeout_ms,
                    const volatile int *cancel)
{
    memset(call, 0, sizeof *call);
    call->address = addr;
    call->type = type;
    call->timeout_ms = timeout_ms;
    call->cancel = cancel;
    call->planned = val_invalid();
}

void plan_prov_diag(diag_list *d, const prov_diag *pd, const cfg_resource *r, const char *what,
                    const char *addr)
{
    srange at = r ? r->range : (srange){0};
    /* The argument at fault, where the configuration sets it. */
    const ast_attr *aa = r && pd->attr && r->body ? ast_body_attr(r->body, pd->attr) : NULL;
    if (aa)
        at = aa->expr->range;
    const char *sum = pd->summary[0] ? pd->summary : "Provider operation failed";
    if (addr)
        diag_add(d, DIAG_ERROR, at, sum, "%s%swhile %s %s", pd->detail,
                 pd->detail[0] ? "\n\n" : "", what, addr);
    else
        diag_add(d, DIAG_ERROR, at, sum, "%s", pd->detail);
}

static prov_conf *find_conf(plan_providers *pp, const char *key)
{
    for (size_t i = 0; i < pp->n; i++)
        if (strcmp(pp->v[i].key, key) == 0)
            return &pp->v[i];
    return NULL;
}

/* Configure provider `name` with key from block (may be NULL) evaluated in
 * module instance def (may be NULL: root scope, empty configuration). */
static prov_conf *configure(plan_ctx *pc, const char *name, const char *key,
                            graph_mod *def, const cfg_provider *block, srange at)
{
    plan_providers *pp = pc->pp;
    prov_conf *c = find_conf(pp, key);
    if (c)
        return c->failed ? NULL : c;
    pp->v = xrealloc(pp->v, (pp->n + 1) * sizeof *pp->v);
    c = &pp->v[pp->n++];
    memset(c, 0, sizeof *c);
    c->key = xstrdup(key);
    c->failed = 1;
    if (plugin_load(pp->reg, name, &c->plugin) < 0) {
        diag_add(pc->diags, DIAG_ERROR, at, "Failed to load plugin",
                 "The provider \"%s\" is required by this configuration but could not be "
                 "loaded: %s\nRun \"cairn init\" to check the providers.", name, err_msg());
        return NULL;
    }
    c->api = plugin_api(c->plugin);
    const prov_schema *cs = c->api->config_schema;
    val config;
    if (cs) {
        graph_scope s;
        eval_ctx ctx;
        graph_scope_init(&s, pc->g, def ? def : graph_root(pc->g), NULL);
        graph_eval_ctx(&s, &ctx);
        ast_body empty = {0};
        const ast_body *body = block ? block->block->body : &empty;
        config = decode_body(body, cs, plugin_schema_type(c->plugin, cs),
                             block ? block->range : at, &ctx, DECODE_PROVIDER, pc->diags);
    } else {
        config = val_object_empty();
    }
    if (!val_is_valid(config))
        return NULL;
    prov_diag pd = {0};
    int rc = c->api->configure(&c->inst, config, &pd);
    val_free(config);
    if (rc < 0) {
        diag_add(pc->diags, DIAG_ERROR, block ? block->range : at,
                 pd.summary[0] ? pd.summary : "Failed to configure provider", "%s%s",
                 pd.detail, pd.detail[0] ? "" : name);
        return NULL;
    }
    c->failed = 0;
    return c;
}

prov_conf *plan_provider_for(plan_ctx *pc, graph_mod *m, const char *type,
                             const cfg_resource *r, char **key)
{
    char name[128];
    if (r && r->provider)
        snprintf(name, sizeof name, "%s", r->provider);
    else
        cfg_type_provider(type, name, sizeof name);
    graph_mod *def;
    const cfg_provider *block;
    graph_provider(pc->g, m, name, r ? r->provider_alias : NULL, &def, &block, key);
    if (r && r->provider_alias && !block) {
        diag_add(pc->diags, DIAG_ERROR, r->provider_range, "Provider configuration not present",
                 "To work with %s its original provider configuration at %s is required, but "
                 "it has been removed or was never declared.", r->type, *key);
        return NULL;
    }
    pthread_mutex_lock(&pc->pp->mu);
    prov_conf *c = configure(pc, name, *key, def, block, r ? r->range : (srange){0});
    pthread_mutex_unlock(&pc->pp->mu);
    return c;
}

prov_conf *plan_provider_by_key(plan_ctx *pc, const char *key, const char *type)
{
    prov_conf *c = find_conf(pc->pp, key);
    if (c)
        return c->failed ? NULL : c;
    char *k = NULL;
    c = plan_provider_for(pc, graph_root(pc->g), type, NULL, &k);
    free(k);
    return c;
}
