/*
 * providers/provider.h — the provider plugin ABI (version PROV_ABI_VERSION).
 *
 * A provider is a shared object that exports one symbol, PROV_ENTRY_SYMBOL,
 * a function returning a pointer to a static `prov_plugin`.  The first field
 * of that struct is the ABI version; the engine refuses a plugin whose
 * version differs, naming the file.  Slots are documented MUST (the engine
 * calls them and a NULL is a load error) or MAY (NULL means "not offered";
 * the engine falls back as described).
 *
 * Values crossing the ABI are cairn values (lang/val.h): the plugin resolves
 * the val_* and diag_* symbols against the cairn executable, so there is one
 * copy of the value code in the process.  The ownership rule is val.h's:
 * `val` arguments are BORROWED by the plugin here unless a slot says
 * otherwise (the engine keeps them alive for the call), and every `val *out`
 * receives an OWNED value.
 *
 * Errors: every operation returns 0 or a negative cairn_err (lang/diag.h)
 * and, on failure, fills a prov_diag with the summary and detail the user
 * sees ("creating VPC: InvalidVpc.Range: ...").  Operations are called from
 * several worker threads at once with the same provider instance, so a
 * provider instance must be thread-safe.
 *
 * What must stay true: every field added in a later ABI goes at the end of
 * its struct and bumps PROV_ABI_VERSION.
 */
#ifndef CAIRN_PROVIDER_H
#define CAIRN_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include "lang/val.h"

/* 2: prov_call.waiting (a plugin's waits do not count against -parallelism)
 *    and prov_call.planned (find_by_token of objects without tags). */
#define PROV_ABI_VERSION 2
#define PROV_ENTRY_SYMBOL "cairn_provider_entry"

/* ---------------------------------------------------------------- schemas */

enum prov_attr_flag {
    PROV_REQUIRED = 1u << 0,   /* the configuration must set it */
    PROV_OPTIONAL = 1u << 1,   /* the configuration may set it */
    PROV_COMPUTED = 1u << 2,   /* the provider sets it (with OPTIONAL: may default) */
    PROV_FORCE_NEW = 1u << 3,  /* a change forces replacement */
    PROV_SENSITIVE = 1u << 4,  /* redacted in every output */
    /* On a LIST or SET block only: Terraform's attributes-as-blocks mode.
     * The configuration may also assign the block type as an argument
     * (`ingress = []`, `route = [{...}]`, every field given), and writing
     * neither blocks nor the argument leaves it unset: the engine then
     * plans the prior value (or unknown on create), as for an optional and
     * computed attribute, so the provider manages the blocks only when the
     * configuration says something about them. */
    PROV_AS_ATTR = 1u << 5,
};

/* One attribute.  `type` is a Terraform type expression ("string",
 * "map(string)", "list(object({port=number, cidr=string}))"); the engine
 * parses it once at load time.  `default_json`, when not NULL, is the JSON
 * of the value used when the configuration leaves the attribute unset. */
typedef struct prov_attr {
    const char *name;
    const char *type;
    unsigned flags;            /* enum prov_attr_flag */
    const char *default_json;
    const char *description;
} prov_attr;

enum prov_nesting {
    PROV_NEST_SINGLE,   /* at most one block; value is an object or null */
    PROV_NEST_LIST,     /* ordered blocks; value is a list of objects */
    PROV_NEST_SET,      /* unordered blocks; value is a set of objects */
    PROV_NEST_MAP,      /* blocks with one label; value is a map of objects */
};

struct prov_schema;

/* A nested block type (`ingress { ... }`, `route { ... }`). */
typedef struct prov_block {
    const char *type_name;
    enum prov_nesting nesting;
    int min_items, max_items;  /* 0 = no limit for max */
    unsigned flags;            /* PROV_FORCE_NEW (the whole block), PROV_AS_ATTR */
    const struct prov_schema *schema;
} prov_block;

typedef struct prov_schema {
    const prov_attr *attrs;
    size_t nattrs;
    const prov_block *blocks;
    size_t nblocks;
} prov_schema;

/* Expected duration of each operation, used by the apply scheduler to run
 * the longest chains first (an EKS cluster: minutes; a route: a second). */
typedef struct prov_durations {
    uint32_t create_ms, update_ms, delete_ms, read_ms;
} prov_durations;

/* ---------------------------------------------------------------- calls */

/* What the user sees when an operation fails.  The plugin fills it (fixed
 * buffers: nothing to free). */
typedef struct prov_diag {
    char summary[256];
    char detail[2048];
    const char *attr;     /* attribute at fault (static string) or NULL */
    int retryable;        /* the failure is transient (throttling exhausted...) */
} prov_diag;

/* Passed to every resource operation. */
typedef struct prov_call {
    const char *address;         /* instance address, for messages and logs */
    const char *type;            /* resource or data source type */
    uint64_t timeout_ms;         /* from the `timeouts` block, or the default */
    const volatile int *cancel;  /* non-zero: stop waiting, return CAIRN_ECANCEL */
    /* Progress: the engine prints "Still creating... [10s elapsed]" itself;
     * a plugin MAY call this to add a status ("state: pending"). */
    void (*progress)(void *payload, const char *status);
    void *payload;
    /* Idempotency: a token the engine committed in its intent journal
     * before calling create.  The plugin MUST send it as the API's client
     * token where there is one, and tag the resource with it (the tag named
     * by the plugin's docs) so that a create interrupted by a crash can be
     * found by `find_by_token`. */
    const char *token;
    /* Waiting (ABI 2): -parallelism bounds provider calls, not objects
     * that take time to become available.  A plugin MAY call
     * waiting(payload, 1) before it sleeps between polls (a waiter, a
     * retry of a dependency error) and waiting(payload, 0) before its next
     * API call, which may block until a call slot is free; calls MUST
     * alternate, starting with 1, and the operation MUST NOT return while
     * waiting (the engine treats it as ended).  NULL when the engine does
     * not offer it (plan-time calls). */
    void (*waiting)(void *payload, int on);
    /* find_by_token (ABI 2): the object the interrupted create was called
     * with (the planned state, all known), so that an object that cannot
     * carry the token (a route, an association) can be found by what it
     * was to be; VAL_INVALID when the journal did not record it.  Borrowed;
     * VAL_INVALID in every other call. */
    val planned;
} prov_call;

typedef struct prov_instance prov_instance;   /* opaque: a configured provider */

/* A resource type's operations.  `prior`, `config`, `planned` are objects
 * shaped by the type's schema (nested blocks as lists/sets/maps of
 * objects). */
typedef struct prov_resource_ops {
    /* MAY: extra validation of a configuration (values may be unknown). */
    int (*validate)(prov_instance *p, const prov_call *c, val config, prov_diag *d);
    /* MAY: custom plan.  Given prior state (null for create) and the
     * proposed new state (config merged with prior computed values), set
     * *planned to the planned new state (unknown where the value is known
     * only after apply) and *replace_paths to a list of attribute paths (a
     * tuple of tuples of strings/numbers) that force replacement beyond the
     * schema's FORCE_NEW flags.  NULL: the engine plans from the schema. */
    int (*plan)(prov_instance *p, const prov_call *c, val prior, val proposed,
                val *planned, val *replace_paths, prov_diag *d);
    /* MUST: create the object; *state receives its full state (all
     * computed attributes known). */
    int (*create)(prov_instance *p, const prov_call *c, val planned, val *state,
                  prov_diag *d);
    /* MUST: read the object's current state; *state receives null when the
     * object no longer exists (not an error). */
    int (*read)(prov_instance *p, const prov_call *c, val prior, val *state, prov_diag *d);
    /* MAY: batched refresh.  priors[0..n) are states of this type; states
     * receives n owned values (null where gone).  The plugin MUST use as few
     * API calls as the API allows.  NULL: the engine calls read n times. */
    int (*read_many)(prov_instance *p, const prov_call *c, const val *priors, size_t n,
                     val *states, prov_diag *d);
    /* MAY: update in place.  NULL means every change forces replacement. */
    int (*update)(prov_instance *p, const prov_call *c, val prior, val planned,
                  val *state, prov_diag *d);
    /* MUST: delete the object (gone already is success). */
    int (*del)(prov_instance *p, const prov_call *c, val prior, prov_diag *d);
    /* MAY: import by ID: *state receives the state (attributes the API
     * reports; the next plan compares it with the configuration).  NULL:
     * the type cannot be imported. */
    int (*import)(prov_instance *p, const prov_call *c, const char *id, val *state,
                  prov_diag *d);
    /* MAY: find an object created with c->token (crash recovery); *state
     * receives its state, or null when nothing was created. */
    int (*find_by_token)(prov_instance *p, const prov_call *c, val *state, prov_diag *d);
} prov_resource_ops;

typedef struct prov_resource_type {
    const char *name;              /* "aws_vpc" */
    int schema_version;
    const prov_schema *schema;
    prov_durations durations;
    prov_resource_ops ops;
} prov_resource_type;

typedef struct prov_data_source {
    const char *name;              /* "aws_availability_zones" */
    const prov_schema *schema;
    /* MUST: read; *state receives config with computed attributes set. */
    int (*read)(prov_instance *p, const prov_call *c, val config, val *state, prov_diag *d);
} prov_data_source;

/* The plugin's entry point returns this (static storage). */
typedef struct prov_plugin {
    uint32_t abi_version;          /* MUST be PROV_ABI_VERSION */
    const char *name;              /* "aws", the local name in required_providers */
    const char *version;           /* the plugin's version */
    const prov_schema *config_schema;     /* the provider block */
    const prov_resource_type *resources;
    size_t nresources;
    const prov_data_source *data_sources;
    size_t ndata_sources;
    /* MUST: configure an instance from the provider block (one per alias).
     * config is borrowed.  On success *out is the instance. */
    int (*configure)(prov_instance **out, val config, prov_diag *d);
    /* MUST: release an instance. */
    void (*close)(prov_instance *p);
} prov_plugin;

typedef const prov_plugin *(*prov_entry_fn)(void);

#endif
