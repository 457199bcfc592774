/*
 * engine/plan.h — planning: what apply would do, per resource instance.
 *
 * plan_make() reconciles open intents, refreshes the prior state (batched
 * per provider configuration and type through read_many), applies `moved`
 * blocks, evaluates the configuration through the graph (engine/graph.h),
 * and compares every instance's configuration with its prior state:
 * create, update in place, replace (a forces-replacement attribute
 * changed), delete (in state, not in configuration), read (a data source
 * whose configuration is known only after apply), or no-op.
 *
 * OWNERSHIP.  A plan owns its changes and values; plan_free releases them.
 * The configuration, plugin registry and state environment given in
 * plan_opts are borrowed and must outlive the plan.
 */
#ifndef CAIRN_PLAN_H
#define CAIRN_PLAN_H

#include "engine/config.h"
#include "engine/graph.h"
#include "engine/plugin.h"
#include "state/state.h"

enum plan_action {
    PLAN_NOOP = 0,
    PLAN_CREATE,
    PLAN_READ,
    PLAN_UPDATE,
    PLAN_REPLACE,       /* delete, then create */
    PLAN_REPLACE_CBD,   /* create, then delete (create_before_destroy) */
    PLAN_DELETE,
};

/* One instance's planned change. */
typedef struct plan_change {
    char *addr;                 /* instance address */
    char *res_addr;             /* its resource address (no key) */
    char *type;
    int data;
    enum plan_action action;
    val prior;                  /* refreshed prior attributes, or null */
    val planned;                /* planned attributes (unknowns), null for delete */
    char **replace_paths;       /* attributes that force replacement */
    size_t nreplace;
    char *provider;             /* provider configuration key */
    char **deps;                /* resource addresses this instance depends on */
    size_t ndeps;
    /* Narrowing: for each resource in narrow, only the instances listed in
     * inst_deps are dependencies (every reference to it was TYPE.NAME[key]
     * with a known key, directly in this body). */
    char **narrow, **inst_deps;
    size_t nnarrow, ninst_deps;
    const cfg_resource *cfg;    /* NULL for an orphan */
    char *reason;               /* why (orphans, replace_triggered_by, -replace) */
    char *moved_from;           /* moved block: the old address */
    int drifted;                /* refresh changed the prior */
    int gone;                   /* refresh found the object deleted outside cairn */
    int create_before_destroy;
    uint64_t timeouts_ms[4];    /* create, read, update, delete; 0: default */
    int schema_version;
    val applied;                /* apply: the new state once done (else invalid) */
    char *import_id;            /* import block: the object adopted under addr */
    /* A deposed object of addr (left by a create_before_destroy
     * replacement whose delete failed or was cut short): its key, and
     * label "ADDR (deposed object KEY)" for messages; both NULL for the
     * current object.  Its changes are deletes (or gone no-ops). */
    char *deposed, *label;
    /* The type's schema (borrowed from the plugin registry, which outlives
     * the plan): which attributes are nested blocks, for the plan text.
     * NULL when not known. */
    const prov_schema *schema;
    /* gone or drifted: the attributes state held before refresh (the
     * "changed outside cairn" notes draw them); else VAL_INVALID. */
    val before_refresh;
} plan_change;

typedef struct plan_output {
    char *name;
    val value;                  /* may be unknown; sensitive-marked */
    val prior;                  /* the value in state; VAL_INVALID when none */
    int sensitive;
    int changed;                /* differs from the state's value */
    int deleted;
} plan_output;

typedef struct plan {
    plan_change *changes;
    size_t n, capchanges;
    plan_output *outputs;
    size_t noutputs;
    char *lineage;
    uint64_t serial;
    char digest[65];
    int destroy, refresh_only;
    int nadd, nchange, ndestroy, nimport;
    char **notes;               /* more notes on what changed outside cairn: creates of
                                   interrupted runs adopted (engine/reconcile.c) */
    size_t nnotes;
} plan;

/* A configured provider instance cache, shared by plan and apply. */
typedef struct plan_providers plan_providers;

typedef struct plan_opts {
    const cfg_module *cfg;
    const val *vars;            /* root variable values (borrowed) */
    plugin_registry *plugins;
    state_env *env;
    int refresh;                /* default 1 */
    int refresh_only;
    int destroy;
    char **targets;             /* -target (with dependencies) */
    size_t ntargets;
    char **replace;             /* -replace=ADDRESS */
    size_t nreplace;
    const volatile int *cancel;
} plan_opts;

/* Make a plan.  *out owned (plan_free).  providers: a provider cache
 * (plan_providers_new) that apply reuses.  Returns 0, or CAIRN_EDIAG with
 * diagnostics appended to diags (other codes with diagnostics too). */
int plan_make(plan **out, const plan_opts *o, plan_providers *providers, diag_list *diags);
void plan_free(plan *p);

/* Counts of the plan's changes (nadd/nchange/ndestroy) and whether it has
 * any change at all (including outputs; in a -refresh-only plan, objects
 * changed or deleted outside cairn). */
int plan_has_changes(const plan *p);

plan_providers *plan_providers_new(plugin_registry *r);
void plan_providers_free(plan_providers *pp);
/* The configured instance of provider configuration key (configured by
 * plan_make); NULL if none. */
prov_instance *plan_provider_instance(plan_providers *pp, const char *key,
                                      const prov_plugin **api);

/* How messages name c: its address, or "ADDR (deposed object KEY)". */
const char *plan_change_label(const plan_change *c);

/* Names for messages: "create", "update", ... */
const char *plan_action_name(enum plan_action a);

/* Planned value for an instance from its configuration value and prior
 * state under schema s (type st): config where set, prior's computed
 * values where unset, unknown computed values for a create.  Borrows all;
 * returns owned. */
val plan_proposed(const prov_schema *s, const ty *st, val config, val prior, int replacing);

#endif
