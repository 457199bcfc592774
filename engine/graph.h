/*
 * engine/graph.h — the evaluation graph: module instances, lazily evaluated
 * objects (variables, locals, outputs, module calls, resources) and the
 * dependencies between them.
 *
 * HOW IT WORKS.  Nothing is evaluated up front.  Evaluating an expression in
 * a module instance resolves each reference on demand: `local.x` evaluates
 * the local (once; the result is memoised), `var.x` the module call's
 * argument in the parent instance, `module.m` the child's outputs,
 * `aws_vpc.main` asks the caller's resource hook to plan the resource.
 * Each memoised object records the set of resources its value came from,
 * so a resource's dependencies are exactly the resources its expressions
 * reach, through any number of locals, variables and module boundaries.
 * Asking for an object that is being evaluated is a cycle: a diagnostic
 * naming every object of the cycle and where each refers to the next.
 *
 * The same graph serves plan (values with unknowns) and apply (the hook
 * returns applied values); a graph is used by one thread at a time.
 *
 * OWNERSHIP.  The graph owns every graph_mod, graph_res and value in it;
 * the configuration (cfg_module) and the root variable values are
 * borrowed and must outlive it.
 */
#ifndef CAIRN_GRAPH_H
#define CAIRN_GRAPH_H

#include "engine/config.h"
#include "lang/eval.h"

#define GRAPH_MAX_INSTANCES 100000   /* instances of one resource or module call */

typedef struct graph graph;
typedef struct graph_mod graph_mod;
typedef struct graph_res graph_res;

enum graph_state { GRAPH_TODO = 0, GRAPH_BUSY, GRAPH_DONE, GRAPH_FAILED };

/* A memoised object and the resources its value depends on. */
typedef struct graph_node {
    enum graph_state state;
    val v;
    graph_res **deps;
    size_t ndeps, capdeps;
    char *what;               /* "local.x", "module.a.var.y", for cycle messages */
} graph_node;

/* One instance of a resource (count/for_each expanded). */
typedef struct graph_inst {
    char *addr;               /* full instance address */
    val key;                  /* number (count), string (for_each) or VAL_INVALID */
    val each_value;           /* for_each value, else VAL_INVALID */
    val value;                /* what references see (the hook sets it) */
    void *data;               /* the hook's per-instance data */
} graph_inst;

/* A resource (or data source) in one module instance. */
struct graph_res {
    graph_node node;          /* first: deps are recorded here */
    const cfg_resource *cfg;
    graph_mod *mod;
    char *addr;               /* "module.a[0].aws_vpc.main" (no instance key) */
    graph_inst *inst;
    size_t ninst;
    int keyed;                /* 0 none, 1 count, 2 for_each */
    void *data;               /* the hook's per-resource data */
};

/* A module call's expansion. */
typedef struct graph_call {
    graph_node node;          /* v: the module's value (object / tuple / object of keys) */
    int expanded;
    graph_mod **inst;
    size_t ninst;
    int keyed;
} graph_call;

/* An instance of a module. */
struct graph_mod {
    const cfg_module *cfg;
    char *addr;               /* "" for root, "module.a[\"x\"].module.b" */
    graph_mod *parent;
    const cfg_call *call;     /* in parent; NULL for root */
    val key, each_value;      /* the instance key of the call (VAL_INVALID if none) */
    graph_node *vars, *locals, *outputs;   /* parallel to cfg arrays */
    graph_call *calls;
    graph_res **res;          /* parallel to cfg->resources, created lazily */
};

/* Evaluation scope: where an expression is evaluated. */
typedef struct graph_scope {
    graph *g;
    graph_mod *mod;
    val count_index;          /* VAL_INVALID when not in a counted resource */
    val each_key, each_value; /* VAL_INVALID when not in a for_each resource */
    val self;                 /* VAL_INVALID when self is not allowed */
    graph_node *cur;          /* records dependencies (may be NULL) */
} graph_scope;

/* The caller's hook: plan (or look up) resource r: fill r->inst / r->ninst
 * and each instance's value, evaluating with graph_eval.  Returns 0, or a
 * negative code after appending diagnostics. */
typedef int (*graph_res_fn)(graph *g, graph_res *r, void *payload);

/* Create a graph over root (borrowed).  root_vars: one value per
 * root->vars[i] (borrowed; already converted).  workspace: for
 * terraform.workspace.  diags (borrowed) collects every diagnostic. */
graph *graph_new(const cfg_module *root, const val *root_vars, const char *workspace,
                 graph_res_fn hook, void *payload, diag_list *diags);
void graph_free(graph *g);
graph_mod *graph_root(graph *g);
diag_list *graph_diags(graph *g);

/* Initialise a scope in module instance m (no count/each/self). */
void graph_scope_init(graph_scope *s, graph *g, graph_mod *m, graph_node *cur);

/* Evaluate e in scope s.  Returns an owned value or VAL_INVALID after
 * diagnostics. */
val graph_eval(graph_scope *s, const ast *e);
/* An eval_ctx over scope s (for decode_body and friends): its resolver
 * is graph's; s must outlive the ctx. */
void graph_eval_ctx(graph_scope *s, eval_ctx *ctx);

/* Expand every module call below m, recursively (evaluating their count
 * and for_each).  Returns 0 or CAIRN_EDIAG. */
int graph_expand_modules(graph *g, graph_mod *m);
/* Evaluate (and validate) every input variable of m and of the module
 * instances below it, so that a failing validation rule is reported even
 * when nothing refers to the variable.  0 or CAIRN_EDIAG. */
int graph_check_vars(graph *g, graph_mod *m);
/* Child instances of call i of m (after graph_expand_modules). */
graph_call *graph_mod_call(graph_mod *m, size_t i);

/* Ensure resource i of m is evaluated (the hook ran).  *out: the resource
 * (borrowed).  Returns 0 or a negative code (diagnostics appended). */
int graph_resource(graph *g, graph_mod *m, size_t i, graph_res **out);
/* Evaluate output i of m.  *out borrowed.  0 or negative. */
int graph_output(graph *g, graph_mod *m, size_t i, val *out);

/* Record that node depends on resource r (and on r's own deps? no: only
 * r itself; deps are the resources directly reached). */
void graph_node_add_dep(graph_node *n, graph_res *r);
/* Evaluate every reference of e for its dependencies only (depends_on). */
void graph_note_refs(graph_scope *s, const ast *e);

/* The address of resource TYPE.NAME (data: data.TYPE.NAME) in module
 * instance m: "module.a[0].aws_vpc.main".  Caller frees. */
char *graph_res_addr(const graph_mod *m, int data, const char *type, const char *name);
/* The module instance below m (expanded) that an instance or resource
 * address lives in; m itself when no child's address prefixes it. */
graph_mod *graph_mod_of(graph_mod *m, const char *addr);

/* Instance key suffix: "[0]" or "[\"k\"]" ("" for VAL_INVALID).  Caller
 * frees. */
char *graph_key_suffix(val key);

/* Expand count / for_each (either may be NULL) evaluated in scope s into
 * n keys (numbers for count, sorted strings for for_each) and each values.
 * *keyed: 0 none (one instance, key VAL_INVALID), 1 count, 2 for_each.
 * what: "resource" or "module" for messages.  Returns 0 or CAIRN_EDIAG. */
int graph_expand_keys(graph_scope *s, const ast *count, const ast *for_each, val **keys,
                      val **values, size_t *n, int *keyed);

/* Give r one instance per key (consumes keys, values and their arrays, as
 * graph_expand_keys returned them); each instance's value is VAL_INVALID
 * for the hook to set. */
void graph_res_instances(graph_res *r, val *keys, val *values, size_t n);
/* Free what graph_expand_keys returned, unused. */
void graph_keys_free(val *keys, val *values, size_t n);

/* Provider configuration for local name + alias as seen from module
 * instance m: the module instance that declares it (*def, NULL when no
 * block declares it and the default empty configuration applies), its
 * block (*block, may be NULL) and its key in Terraform's form
 * ("provider[\"registry.terraform.io/hashicorp/aws\"].west", prefixed by
 * the module path when declared in a module).  *key owned. */
void graph_provider(graph *g, graph_mod *m, const char *name, const char *alias,
                    graph_mod **def, const cfg_provider **block, char **key);

#endif
