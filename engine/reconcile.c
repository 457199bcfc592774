/*
 * engine/reconcile.c — crash recovery at the start of a plan: every intent
 * left open by a run that died is settled before anything is planned.
 *
 *   create intent: the provider looks for an object carrying the intent's
 *     token (find_by_token).  Found: it is adopted into state under the
 *     intent's address, as if the create had returned.  Not found: the
 *     create never happened; the intent is abandoned and the plan creates
 *     the instance again.
 *   delete intent: the object is read; gone means the delete happened and
 *     the instance leaves state; still there means it did not, and the
 *     instance stays for the plan to delete again.
 *
 * What must stay true: an intent is closed only with a definite answer from
 * the provider; when the provider cannot answer, the intent stays open and
 * the plan fails with a diagnostic that says so.
 */
#include "engine/plan_int.h"
#include "lang/val_json.h"

#include <stdlib.h>
#include <string.h>

static int settle_create(plan_ctx *pc, const state_intent *in, prov_conf *conf,
                         const char *key, const prov_resource_type *rt, const char *type)
{
    if (!rt->ops.find_by_token) {
        diag_add(pc->diags, DIAG_WARNING, (srange){0}, "Interrupted create cannot be checked",
                 "A previous run was interrupted while creating %s, and provider %s cannot "
                 "look objects up by their creation token. If the object exists, import it "
                 "with \"cairn import\".", in->address, conf->api->name);
        return state_intent_abandon(pc->o->env, in->address, "plan");
    }
    prov_call call;
    prov_diag pd = {0};
    val found = val_invalid();
    int rc;
    plan_call_init(&call, in->address, type, 0, pc->o->cancel);
    call.token = in->token;
    /* What the create was called with, typed by the schema. */
    val planned = in->planned ? val_from_json(in->planned, strlen(in->planned))
                              : val_invalid();
    const ty *st = val_is_valid(planned) ? plugin_schema_type(conf->plugin, rt->schema) : NULL;
    call.planned = st ? val_convert(planned, st) : (val_free(planned), val_invalid());
    rc = rt->ops.find_by_token(conf->inst, &call, &found, &pd);
    val_free(call.planned);
    if (rc < 0) {
        plan_prov_diag(pc->diags, &pd, NULL, "looking for the interrupted create of",
                       in->address);
        return CAIRN_EDIAG;
    }
    if (!val_is_valid(found) || val_is_null(found)) {
        val_free(found);
        return state_intent_abandon(pc->o->env, in->address, "plan");
    }
    state_instance *si = plan_state_instance(type, key, rt->schema_version, found, NULL, 0);
    if (!si)
        return CAIRN_EINVAL;
    /* An object still in state at the address is the one a
     * create_before_destroy replacement was replacing: it is deposed, and
     * this plan deletes it. */
    char dkey[9];
    plan_token(dkey, sizeof dkey);
    rc = state_intent_complete_depose(pc->o->env, in->address, si, dkey, "plan");
    state_instance_free(si);
    if (rc == 0)
        plan_add_note(pc->p, xasprintf("  # %s was created by an interrupted run and has "
                                       "been adopted", in->address));
    return rc;
}

static int settle_delete(plan_ctx *pc, const state_intent *in, prov_conf *conf,
                         const prov_resource_type *rt, const char *type)
{
    state_txn *txn;
    state_instance *si = NULL;
    int rc = state_txn_begin(&txn, pc->o->env, STATE_TXN_RDONLY, NULL);
    if (rc < 0)
        return rc;
    rc = state_get(txn, in->address, &si);
    state_abort(txn);
    if (rc == CAIRN_ENOTFOUND)
        return state_intent_complete(pc->o->env, in->address, NULL, "plan");
    if (rc < 0)
        return rc;
    val prior, now = val_invalid();
    rc = state_instance_attrs(si, &prior);
    state_instance_free(si);
    if (rc < 0)
        return rc;
    prov_call call;
    prov_diag pd = {0};
    plan_call_init(&call, in->address, type, 0, pc->o->cancel);
    rc = rt->ops.read(conf->inst, &call, prior, &now, &pd);
    val_free(prior);
    if (rc < 0) {
        plan_prov_diag(pc->diags, &pd, NULL, "checking the interrupted delete of", in->address);
        return CAIRN_EDIAG;
    }
    int gone = !val_is_valid(now) || val_is_null(now);
    val_free(now);
    return gone ? state_intent_complete(pc->o->env, in->address, NULL, "plan")
                : state_intent_abandon(pc->o->env, in->address, "plan");
}

static int settle(plan_ctx *pc, const state_intent *in)
{
    state_addr a;
    if (state_addr_parse(&a, in->address) < 0)
        return state_intent_abandon(pc->o->env, in->address, "plan");
    char *type = xstrdup(a.type ? a.type : "");
    char *name = xstrdup(a.name ? a.name : "");
    state_addr_free(&a);
    graph_mod *m = graph_mod_of(graph_root(pc->g), in->address);
    const cfg_resource *r = cfg_resource_find(m->cfg, 0, type, name);
    char *key = NULL;
    int rc = CAIRN_EDIAG;
    prov_conf *conf = plan_provider_for(pc, m, type, r, &key);
    const prov_resource_type *rt = conf ? plugin_resource(conf->plugin, type) : NULL;
    if (rt && in->action == STATE_INTENT_CREATE)
        rc = settle_create(pc, in, conf, key, rt, type);
    else if (rt)
        rc = settle_delete(pc, in, conf, rt, type);
    free(key);
    free(type);
    free(name);
    return rc;
}

/* Resources are not planned while intents are settled (this runs before
 * the prior state is loaded); an expression that needs one sees null. */
static int no_resources(graph *g, graph_res *r, void *payload)
{
    (void)g, (void)r, (void)payload;
    return 0;
}

int plan_reconcile(plan_ctx *pc)
{
    state_txn *txn;
    state_intent *v = NULL;
    size_t n = 0;
    int rc = state_txn_begin(&txn, pc->o->env, STATE_TXN_RDONLY, NULL);
    if (rc < 0)
        return rc;
    rc = state_intent_list(txn, &v, &n);
    state_abort(txn);
    if (rc == 0 && n) {
        /* A graph of its own, to configure the providers the intents need;
         * module expansion problems are reported by the plan proper. */
        diag_list scratch = {0};
        pc->g = graph_new(pc->o->cfg, pc->o->vars, state_workspace_name(pc->o->env),
                          no_resources, NULL, &scratch);
        graph_expand_modules(pc->g, graph_root(pc->g));
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = settle(pc, &v[i]);
        graph_free(pc->g);
        pc->g = NULL;
        diag_list_free(&scratch);
    }
    state_intents_free(v, n);
    if (rc < 0 && rc != CAIRN_EDIAG)
        diag_add(pc->diags, DIAG_ERROR, (srange){0}, "Failed to reconcile interrupted changes",
                 "%s", err_msg());
    return rc < 0 ? CAIRN_EDIAG : 0;
}
