/*
 * engine/plan_json.h — a plan in the JSON representation `terraform show
 * -json PLANFILE` defines (format_version "1.2"), and the pieces of the
 * state representation (format_version "1.0") that `cairn show -json`
 * shares with it.
 *
 * The document has, in this order: format_version, terraform_version
 * (cairn's version), variables, planned_values, resource_changes,
 * output_changes, prior_state, configuration, relevant_attributes,
 * timestamp, applyable, complete, errored.  See docs/review.md for what
 * each holds and where cairn differs from Terraform.
 *
 * What must stay true:
 *   - Sensitive values are written as null (and marked true in the
 *     *_sensitive mirrors) unless show_sensitive is set; that includes
 *     variable values, sensitive variables' defaults and the constant
 *     values of sensitive attributes in "configuration".
 *   - Values known only after apply are left out of objects and written as
 *     null in lists, and marked true in "after_unknown" at the same path:
 *     after_unknown mirrors after.
 *   - Same plan and options, same bytes.
 */
#ifndef CAIRN_PLAN_JSON_H
#define CAIRN_PLAN_JSON_H

#include "engine/config.h"
#include "engine/plan.h"
#include "engine/plugin.h"
#include "state/state.h"

typedef struct pj_opts {
    const cfg_module *cfg;      /* configuration (borrowed); NULL: no "configuration" */
    const val *vars;            /* root variable values, cfg->nvars of them; may be NULL */
    plugin_registry *reg;       /* schemas (sensitive attributes); may be NULL */
    int show_sensitive;         /* write sensitive values in clear */
    const char *timestamp;      /* RFC 3339 time of the plan; NULL: now */
} pj_opts;

/* Append the plan representation of p to b (one line, no newline).
 * Borrows everything. */
void plan_json_write(strbuf *b, const plan *p, const pj_opts *o);

/* Terraform's action_reason for change c of p ("replace_because_cannot_update",
 * "delete_because_no_resource_config", ...), or NULL when it has none.
 * Static string. */
const char *plan_json_reason(const plan *p, const plan_change *c);

/* ---------------------------------------------------------------- shared
 * with the state representation in engine/cmd_show.c */

/* v as JSON: sensitive values null unless show_sensitive; unknown values
 * left out of objects and maps, null elsewhere. */
void pj_value(strbuf *b, val v, int show_sensitive);
/* Where v carries mark (VAL_MARK_SENSITIVE or VAL_MARK_UNKNOWN), in
 * Terraform's mirror shape: true where marked, false for other leaves and
 * nulls, arrays for sequences, objects for maps and objects without their
 * false entries. */
void pj_marks(strbuf *b, val v, unsigned mark);
/* Open an instance object: "{\"address\":...,\"mode\",\"type\",\"name\",
 * [\"index\"],\"provider_name\"" (the caller appends the rest and "}"). */
void pj_head(strbuf *b, const state_addr *a, const char *addr, const char *provider);
/* s (NULL: "") as a JSON string. */
void pj_quote(strbuf *b, const char *s);
/* p's outputs sorted by name (the array owned by the caller, the outputs
 * borrowed). */
const plan_output **pj_sorted_outputs(const plan *p);

/* One resource instance of a state-shaped module tree. */
typedef struct pj_res {
    state_addr a;               /* owned */
    char *json;                 /* its complete object (owned) */
    size_t order;               /* position in the input */
} pj_res;

/* Sort r (modules grouped, input order within a module) and append the
 * "root_module" object: resources, then child_modules, recursively. */
void pj_module_tree(strbuf *b, pj_res *r, size_t n);
/* Free r[0..n) and r. */
void pj_res_free(pj_res *r, size_t n);

/* ---------------------------------------------------------------- -json UI (engine/plan_ui.c)
 * `cairn plan -json`: Terraform's machine-readable UI, one JSON object a
 * line (@level, @message, @module, @timestamp, type), flushed after each.
 * No message carries a value, so none can carry a sensitive one. */

/* The first line: type "version", ui "1.2". */
void plan_ui_version(FILE *out);
/* resource_drift for what refresh found changed, planned_change for every
 * change, change_summary, and outputs (names, sensitive, action). */
void plan_ui_plan(FILE *out, const plan *p);
/* One "diagnostic" line per diagnostic of d. */
void plan_ui_diags(FILE *out, const diag_list *d);

#endif
