/*
 * engine/decode.h — evaluating a block body against a provider schema.
 *
 * A resource, data or provider block body is a list of attributes and
 * nested blocks (lang/ast.h); a provider describes what it accepts with a
 * prov_schema (providers/provider.h).  decode_body evaluates the one
 * against the other into a single object value of the schema's type
 * (engine/plugin.h's plugin_schema_type), reporting Terraform's
 * diagnostics, each with the source range of what is at fault:
 *
 *   Unsupported argument / Unsupported block type   (with "Did you mean")
 *   Missing required argument                       (at the block's brace)
 *   Incorrect attribute value type                  (at the expression)
 *   Extraneous label for X / Missing name for X     (MAP blocks: one label)
 *   Duplicate X block, Missing X block              (SINGLE, MAP)
 *   Too many X blocks / Insufficient X blocks       (min_items, max_items)
 *   Invalid dynamic for_each value, Missing dynamic content block, ...
 *
 * The value: every attribute and block of the schema is present.  An
 * attribute left unset is null, or its default_json converted to its type
 * (computed attributes too: the planner decides what is unknown).  Nested
 * blocks: SINGLE an object or null, LIST a list of objects (empty when
 * none), SET a set, MAP a map keyed by the block's label.  PROV_SENSITIVE
 * attributes are marked sensitive (when not null).  Unknown values pass
 * through with their types.
 *
 * dynamic "NAME" { for_each = ...  iterator = I  labels = [...]
 * content { ... } } generates one NAME block per element of for_each;
 * inside, I.key and I.value (I defaults to NAME) are the element's key
 * and value.  The iterator is answered by wrapping ctx->resolve: the
 * evaluator reports `I.value` as an EVAL_REF_RESOURCE of type I (or, for
 * an iterator named `each`, as EVAL_REF_EACH), and every other reference
 * goes to the original resolver; nested dynamic blocks shadow outer
 * iterators of the same name.  A for_each that is not known yet makes the
 * whole block value unknown (an unknown list/set/map of the block's object
 * type, or an unknown object for SINGLE) and turns off the min/max checks.
 *
 * Threads: the functions use only their arguments; separate calls with
 * separate eval_ctx may run in parallel over the same tree and schema.
 */
#ifndef CAIRN_DECODE_H
#define CAIRN_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/eval.h"
#include "lang/val.h"
#include "providers/provider.h"

/* Which meta-arguments decode_body skips (they are the engine's, not the
 * provider's).  Meta names are skipped even when a schema declares them.
 *   DECODE_RESOURCE  count, for_each, depends_on, provider; blocks
 *                    lifecycle, provisioner, connection, timeouts
 *   DECODE_DATA      count, for_each, depends_on, provider; block lifecycle
 *   DECODE_PROVIDER  alias, version
 * Nested blocks are always decoded with no flags. */
enum decode_flags {
    DECODE_RESOURCE = 1u << 0,
    DECODE_DATA = 1u << 1,
    DECODE_PROVIDER = 1u << 2,
};

/* Deepest nesting of blocks (static or dynamic) decoded; deeper is a
 * diagnostic naming the limit. */
#define DECODE_MAX_DEPTH 64
/* Longest name decode_suggest compares (bytes); longer: no suggestion. */
#define DECODE_SUGGEST_MAX 64

/* Evaluate `body` against `schema` into an object of `schema_type`.
 *   body         borrowed; the tree must outlive the call.
 *   schema       borrowed.
 *   schema_type  borrowed: the object type of schema (plugin_schema_type,
 *                or plugin_schema_type_build).
 *   block_range  where a diagnostic about something missing from the body
 *                points ("Missing required argument"); Terraform points at
 *                the block's opening brace: pass ast_block.open_brace.
 *   ctx          the evaluation context (references resolve through it);
 *                ctx->resolve/payload and ctx->diags are swapped during
 *                the call and restored before it returns.
 *   flags        enum decode_flags.
 *   diags        every diagnostic of the call goes here, evaluation ones
 *                included.
 * Returns an owned object value, or VAL_INVALID when the call appended at
 * least one error to diags (every problem in the body is reported, not
 * only the first). */
val decode_body(const ast_body *body, const prov_schema *schema, const ty *schema_type,
                srange block_range, eval_ctx *ctx, unsigned flags, diag_list *diags);

/* Report the references every expression decode_body would evaluate makes
 * (attributes, nested blocks, dynamic for_each, labels and content), in
 * source order, to cb, as eval_refs does -- except references to dynamic
 * block iterators in scope, which are not graph dependencies.  flags as
 * for decode_body (meta-arguments are skipped: their references are the
 * caller's business).  body borrowed; the ref passed to cb is borrowed
 * for the call. */
void decode_refs(const ast_body *body, unsigned flags, eval_ref_cb cb, void *payload);

/* Indexes into decode_timeouts' out_ms. */
enum decode_timeout {
    DECODE_TIMEOUT_CREATE,
    DECODE_TIMEOUT_READ,
    DECODE_TIMEOUT_UPDATE,
    DECODE_TIMEOUT_DELETE,
};

/* Read the `timeouts { create = "60m" update = "10m" delete = "2h"
 * read = "5m" default = "30m" }` block of a resource body (borrowed) into
 * out_ms (milliseconds, indexed by enum decode_timeout).  Entries not set
 * (and not covered by `default`) stay 0; so do all four without a block.
 * Values are expressions evaluated in ctx (diagnostics to diags, as for
 * decode_body) and must be Go duration strings ("1h30m", "45s", "500ms";
 * a positive duration under 1ms counts as 1ms).  Problems are diagnostics:
 * "Invalid duration" (at the value), "Unsupported argument", "Unsupported
 * block type", "Duplicate timeouts block", "Extraneous label for
 * timeouts".  Returns 0, or CAIRN_EDIAG when an error was appended. */
int decode_timeouts(const ast_body *resource_body, eval_ctx *ctx, uint64_t out_ms[4],
                    diag_list *diags);

/* Parse a Go duration string (time.ParseDuration's grammar: "1h30m",
 * "1.5s", "300ms", "0"; units ns, us, µs, ms, s, m, h) into *ms, rounding
 * a positive remainder under a millisecond up.  Returns 0, or CAIRN_EINVAL
 * with Go's wording in the last error ("time: missing unit in duration
 * \"10\"", "time: unknown unit \"x\" in duration \"1x\"", "time: invalid
 * duration \"abc\""); negative durations are refused too. */
int decode_duration(const char *s, uint64_t *ms);

/* The did-you-mean helper: the candidate closest to `name` by Levenshtein
 * distance, if that distance is under 3 (Terraform's threshold; the first
 * of equally close ones), copied into out (outsz bytes, truncated); out is
 * "" when none is close.  All arguments borrowed; candidates[i] may be
 * NULL (skipped).  outsz must be at least 1. */
void decode_suggest(const char *name, const char *const *candidates, size_t n, char *out,
                    size_t outsz);

#endif
