/*
 * engine/render_diff.h — the value and block diff under render.c's plan
 * layout (internal to engine/render*.c).
 *
 * rdiff_ draws one (before, after) pair as Terraform's jsonformat
 * renderers do: attribute values (primitives, lists, sets, maps, objects,
 * JSON strings, heredocs) and resource bodies with their nested blocks.
 * render.c draws everything around it: the comment lines of a change, the
 * drift notes, the outputs, the legend and the summary.
 *
 * Conventions: a side is a `const val *`, NULL when missing; everything is
 * appended to r->b (a failed strbuf stays failed, nothing else fails);
 * text given as markup ("[bold]...[reset]") goes through rdiff_color.
 */
#ifndef CAIRN_RENDER_DIFF_H
#define CAIRN_RENDER_DIFF_H

#include "engine/plan.h"

enum r_act { R_NOOP, R_CREATE, R_UPDATE, R_DELETE };

typedef struct rctx {
    strbuf *b;
    int color;      /* ANSI escapes when non-zero */
} rctx;

/* Terraform's RenderHumanOpts, the parts that cascade. */
typedef struct ropts {
    unsigned no_null : 1;   /* no "-> null" after a deleted value */
    unsigned show_all : 1;  /* show unchanged children too */
    unsigned dynamic : 1;   /* output/JSON value: maps as objects, sets as lists */
} ropts;

/* Append s with its colour markup as ANSI codes (dropped when r->color is
 * 0), closed by a reset when it coloured anything, as colorstring does.
 * Bracketed text that is not a colour name stays as it is. */
void rdiff_color(rctx *r, const char *s);

/* The markup of Terraform's three-column action symbol for a nested value
 * ("  [green]+[reset]"); a static string. */
const char *rdiff_sym_markup(enum r_act a);

/* " -> null" after a deleted value, unless o.no_null. */
void rdiff_null_suffix(rctx *r, enum r_act a, ropts o);

/* Append key to b (quoted unless an HCL identifier, or always when quote)
 * padded with spaces to width; returns the length written without the
 * padding.  rdiff_key_len: that length alone, unquoted identifiers. */
size_t rdiff_key(strbuf *b, const char *key, int quote, size_t width);
size_t rdiff_key_len(const char *key);

/* A primitive value as Terraform prints it; NULL or null: "null". */
void rdiff_prim_text(rctx *r, const val *v);

/* The diff of one value from a to b (either NULL when missing) at indent
 * (four columns each, plus the caller's symbol), starting where the caller
 * left off and ending without a newline.  forces: end the first line in
 * "# forces replacement"; depth: the nesting so far, capped. */
void rdiff_value(rctx *r, const val *a, const val *b, int indent, ropts o, int forces,
                 int depth);

/* A block from a to b (a resource body or a nested block) under schema s
 * (NULL when unknown): "{", its attributes, its nested blocks, "}".  c
 * gives the replace paths and import (top level only, else NULL); forces
 * marks the "{" line "# forces replacement". */
void rdiff_block(rctx *r, const val *a, const val *b, int indent, const plan_change *c,
                 int forces, const prov_schema *s, int depth);

#endif
