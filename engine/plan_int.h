/*
 * engine/plan_int.h — what plan.c, plan_walk.c, plan_providers.c and
 * apply.c share and nobody else should use.
 */
#ifndef CAIRN_PLAN_INT_H
#define CAIRN_PLAN_INT_H

#include "engine/plan.h"

#include <pthread.h>

/* One prior instance loaded from state. */
typedef struct prior_rec {
    char *addr;                 /* current address (after moved blocks) */
    char *moved_from;           /* original address when a moved block applied */
    state_instance *inst;
    val attrs;                  /* refreshed attributes; null when gone */
    val before;                 /* gone or drifted: attrs before refresh; else invalid */
    const prov_schema *schema;  /* the type's schema, once refreshed */
    int refreshed, claimed, gone, drifted;
} prior_rec;

/* A configured provider. */
typedef struct prov_conf {
    char *key;
    const plugin *plugin;
    const prov_plugin *api;
    prov_instance *inst;
    int failed;
} prov_conf;

struct plan_providers {
    plugin_registry *reg;
    prov_conf *v;
    size_t n;
    pthread_mutex_t mu;
};

typedef struct plan_ctx {
    const plan_opts *o;
    plan *p;
    plan_providers *pp;
    diag_list *diags;
    graph *g;
    prior_rec *priors;
    size_t npriors, cappriors;
    char **refreshed;           /* "key\ttype" batches already refreshed */
    size_t nrefreshed;
} plan_ctx;

/* Append a change (zeroed, prior/planned null) / a note (consumed). */
plan_change *plan_add_change(plan *p, const char *addr);
void plan_add_note(plan *p, char *note);
/* Crash recovery: adopt or abandon every open intent (engine/reconcile.c). */
int plan_reconcile(plan_ctx *pc);
/* Keep only changes of -target addresses and what they depend on. */
void plan_apply_targets(plan *p, char **targets, size_t n);
/* Build a state instance from attributes (consumed). NULL on error. */
state_instance *plan_state_instance(const char *type, const char *provider,
                                    int schema_version, val attrs, char **deps,
                                    size_t ndeps);

/* Evaluate preconditions/postconditions in s (engine/plan_walk.c). */
int plan_check_conditions(graph_scope *s, const cfg_check *checks, size_t n,
                          const char *summary);
/* v (consumed) with the sensitive marks of from (borrowed) added at the
 * same paths: refreshed values keep what the configuration made
 * sensitive, as Terraform's do. */
val plan_remark(val v, val from);
/* A random token of size - 1 lowercase hex digits (size odd, at most 129)
 * into out: creation tokens, deposed object keys. */
void plan_token(char *out, size_t size);
/* Order of changes (by address; the current object before deposed ones),
 * for bsearch. */
int plan_cmp_change(const void *a, const void *b);

/* Whether addr is prefix itself or lies under it (a module, a resource's
 * instances): the next character is the end, "." or "[". */
int plan_addr_under(const char *addr, const char *prefix);

/* Resource address of an instance address (owned). */
char *plan_res_addr(const char *addr);
int val_is_known_object(val v);
/* The provider side of a decision: the configured instance and the call
 * for the type's `plan` slot (inst NULL: plan from the schema alone). */
typedef struct plan_prov_call {
    prov_instance *inst;
    const prov_call *call;
    prov_diag *pd;                /* filled when the slot fails */
} plan_prov_call;
/* Decide c->action and c->planned from c->prior and config: the proposed
 * state from the schema, ignore_changes, then the type's `plan` slot (its
 * planned state, and its replacement paths added to the schema's).  0, or
 * the slot's negative result with pp->pd filled. */
int plan_decide(plan_change *c, const cfg_resource *r, const prov_resource_type *rt,
                const ty *st, val config, int force_replace, const plan_prov_call *pp);

/* Configure (once) the provider that resource configuration r in module
 * instance m uses; *key owned.  NULL after a diagnostic. */
prov_conf *plan_provider_for(plan_ctx *pc, graph_mod *m, const char *type,
                             const cfg_resource *r, char **key);
/* The configured provider with key, configuring a root default for
 * orphans when nothing configured it yet; NULL after a diagnostic. */
prov_conf *plan_provider_by_key(plan_ctx *pc, const char *key, const char *type);

/* Fill a prov_call for an instance. */
void plan_call_init(prov_call *call, const char *addr, const char *type, uint64_t timeout_ms,
                    const volatile int *cancel);
/* Turn a provider's prov_diag into a diagnostic (at r's block if r). */
void plan_prov_diag(diag_list *d, const prov_diag *pd, const cfg_resource *r, const char *what,
                    const char *addr);

#endif
