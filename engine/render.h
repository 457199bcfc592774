/*
 * engine/render.h — a plan as `terraform plan` prints it (human text).
 *
 * The layout is Terraform 1.5+'s (internal/command/jsonformat), with
 * "Terraform" and "terraform" replaced by "cairn" and the paragraphs broken
 * where Terraform breaks them for a 78-column (non-terminal) output:
 *
 *   [notes on objects changed outside cairn, then a rule of U+2500]
 *   the legend of the action symbols used, "cairn will perform the
 *   following actions:", one commented block per change in plan order,
 *   "Plan: N to add, N to change, N to destroy.", "Changes to Outputs:"
 *
 * or one of Terraform's "No changes." texts (normal, -destroy,
 * -refresh-only).  Within a block, attributes are sorted and aligned on
 * "=", prefixed with the symbol of their own action (+ ~ -); unchanged
 * ones are hidden and counted ("# (N unchanged attributes hidden)") except
 * id, name and tags; a replace-forcing attribute ends in
 * "# forces replacement".  Nested blocks are the block types of the
 * change's schema (plan_change.schema) but those in attributes-as-blocks
 * mode (PROV_AS_ATTR, which Terraform's schema has as list or set
 * attributes and draws so), drawn after the attributes by nesting mode:
 * SINGLE `name {`, MAP `name "key" {` in key order, LIST paired by index,
 * SET by equal elements (prior ones first, as Terraform's processSet);
 * without a schema, lists and sets of objects are taken for blocks.
 * Maps, lists and objects elsewhere are drawn as Terraform draws attribute
 * values, lists with one unchanged element of context around changes, sets
 * with the removed elements before the added ones.
 * Strings holding JSON print as jsonencode(...) diffs and strings with
 * newlines as <<-EOT heredocs; unknown values as "(known after apply)",
 * sensitive ones as "(sensitive value)".
 *
 * The notes on objects changed outside cairn are Terraform's drift
 * entries, drawn from plan_change.before_refresh in address order after
 * plan->notes: "# ADDR has been deleted" with a `- resource` block, and in
 * a -refresh-only plan also "# ADDR has changed" with a `~` block.  As
 * Terraform, outside -refresh-only they are shown only in a plan with a
 * change, and only for relevant objects: ones a change with an action and
 * a configuration depends on (plan_change.deps, narrowed by inst_deps),
 * directly or through other objects.  Terraform shows them as changed only
 * where referred to; the plan keeps no attribute paths, so cairn shows a
 * deleted object with its attributes unchanged and no changed one.
 *
 * Outputs carry only their new value (plan_output has no prior), so a
 * changed output prints as "+ name = value"; a deleted one as
 * "- name = value -> null".
 *
 * Colour: Terraform's codes (bold, red, green, yellow, cyan, dark gray) as
 * ANSI escapes when color != 0; not one escape byte when color == 0.
 *
 * Both functions borrow the plan and write to out; they have no failure
 * result (on an allocation failure the text written ends with a line
 * saying it was cut short).
 */
#ifndef CAIRN_RENDER_H
#define CAIRN_RENDER_H

#include <stdio.h>

#include "engine/plan.h"

/* Write the human-readable plan to out as `terraform plan` prints it.
 * color: ANSI colours when non-zero. */
void render_plan(FILE *out, const plan *p, int color);

/* Just the one-line summary "Plan: 1 to add, 0 to change, 0 to destroy.\n"
 * (with "N to import, " first when p->nimport), from p's counts. */
void render_summary(FILE *out, const plan *p, int color);

/* One change's block (its comment lines and its diff) as render_plan
 * writes it, without colour, appended to b; nothing for a change that
 * render_plan does not show (no-op, deleted data source). */
void render_change(strbuf *b, const plan_change *c);

/* One changed output's line ("+ name = value"), appended to b; nothing for
 * an unchanged one. */
void render_output(strbuf *b, const plan_output *o);

/* `-show-sensitive`: a copy of p whose values carry no sensitive mark and
 * whose outputs are not sensitive, to render in clear.  It shares p's
 * strings and configuration, so p must outlive it; free it with
 * render_reveal_free (never plan_free). */
plan *render_reveal(const plan *p);
void render_reveal_free(plan *q);

#endif
