/*
 * lang/eval.h — the expression evaluator: Terraform's semantics over the
 * HCL2 syntax tree (lang/ast.h) and cairn's values (lang/val.h).
 *
 * WHAT IT DOES.  eval_expr() turns an expression node into a value:
 *   - operators as cty/HCL define them: arithmetic and comparison on numbers
 *     (operands converted, "5" + 1 is 6), == and != on any values (no
 *     conversion: 1 == "1" is false), && || ! on bools;
 *   - templates (values converted to strings; "${x}" alone yields x itself),
 *     %{if} and %{for} directives;
 *   - conditionals (both results evaluated, their types unified; only the
 *     chosen result's errors are reported), for expressions (both forms, if,
 *     grouping), splats (a non-list is a one-element tuple, null an empty
 *     one), attribute and index access (legacy .0 too) with HCL's wording:
 *     "Unsupported attribute", "Invalid index", "Missing map element"...;
 *   - function calls through lang/fn.h, with diagnostics pointing at the
 *     faulty argument; can() and try() as special forms; templatefile()
 *     rendered by this module (fn_ctx.render_template).
 *   - unknown values propagate (an operation on an unknown yields an unknown
 *     of the operation's result type; a conditional with an unknown
 *     condition yields an unknown of the unified type) and so do sensitive
 *     marks (a result computed from a sensitive value is sensitive).
 *
 * REFERENCES.  Root names are resolved through a callback the caller
 * supplies (the engine resolves against its graph; eval_table below is a
 * simple table for the console and tests).  The evaluator recognises the
 * shape of a reference and asks for exactly that object:
 *     var.NAME                EVAL_REF_VAR       name
 *     local.NAME              EVAL_REF_LOCAL     name
 *     module.NAME             EVAL_REF_MODULE    name
 *     data.TYPE.NAME          EVAL_REF_DATA      type, name
 *     TYPE.NAME               EVAL_REF_RESOURCE  type, name (any other root)
 *     count.index             EVAL_REF_COUNT     "index"
 *     each.key / each.value   EVAL_REF_EACH      "key" / "value"
 *     path.module|root|cwd    EVAL_REF_PATH      "module" ...
 *     terraform.workspace     EVAL_REF_TERRAFORM "workspace"
 *     self                    EVAL_REF_SELF      (no name)
 * and applies the rest of the traversal (attributes, indexes, splats) to
 * the value it gets back.  Names bound by for expressions, %{for} and
 * templatefile() variables shadow all of these.
 *
 * DIAGNOSTICS.  Every user-facing problem is appended to ctx->diags with
 * the range of the sub-expression at fault.  A failed evaluation returns
 * VAL_INVALID; sibling sub-expressions are still evaluated so that one run
 * reports every problem.  Diagnostics are never printed here.
 *
 * THREADS.  An eval_ctx is used by one thread at a time; separate contexts
 * over the same tree may run in parallel (the tree is read-only).
 */
#ifndef CAIRN_EVAL_H
#define CAIRN_EVAL_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/fn.h"
#include "lang/val.h"

/* Limits, each reported as a diagnostic naming it when reached. */
#define EVAL_MAX_DEPTH 200                  /* nested evaluation (incl. calls) */
#define EVAL_MAX_TEMPLATE_SIZE (16u << 20)  /* bytes one template may produce */
#define EVAL_MAX_FOR_RESULT 1000000         /* elements one for/splat produces */
#define EVAL_MAX_TEMPLATEFILE_DEPTH 8       /* templatefile() within templatefile() */

enum eval_ref_kind {
    EVAL_REF_VAR,
    EVAL_REF_LOCAL,
    EVAL_REF_RESOURCE,
    EVAL_REF_DATA,
    EVAL_REF_MODULE,
    EVAL_REF_COUNT,
    EVAL_REF_EACH,
    EVAL_REF_SELF,
    EVAL_REF_PATH,
    EVAL_REF_TERRAFORM,
};

/* A reference as the resolver sees it.  Strings are borrowed from the tree
 * for the duration of the call. */
typedef struct eval_ref {
    enum eval_ref_kind kind;
    const char *type;   /* resource or data source type; NULL otherwise */
    const char *name;   /* see the table above; NULL for self */
    srange range;       /* the reference's text, e.g. `var.region` */
} eval_ref;

/* Resolver callback.  On success store an owned value in *out and return
 * 0.  Return CAIRN_ENOTFOUND (adding nothing) to let the evaluator report
 * Terraform's "Reference to undeclared ..." diagnostic; any other negative
 * code means the resolver appended its own diagnostic to diags.  An object
 * whose value is not known yet should be returned as an unknown value of
 * its type (val_unknown), not as an error. */
typedef int (*eval_resolve_fn)(const eval_ref *ref, val *out, diag_list *diags,
                               void *payload);

struct eval_bind;   /* private: names bound by for / templatefile */

typedef struct eval_ctx {
    eval_resolve_fn resolve;   /* NULL: every reference is undeclared */
    void *payload;             /* passed to resolve */
    const char *base_dir;      /* for file functions; NULL means "." */
    int allow_impure;          /* timestamp()/uuid() real (console, apply) */
    diag_list *diags;          /* where diagnostics go; must not be NULL */
    /* private */
    struct eval_bind *binds;
    int depth;
    int tmpl_depth;
    int tmpl_scope;            /* evaluating a template file: plain names only */
} eval_ctx;

/* Initialise ctx for evaluation with no references and diagnostics going
 * to diags (borrowed).  Set resolve/payload/base_dir/allow_impure after. */
void eval_ctx_init(eval_ctx *ctx, diag_list *diags);

/* Evaluate expression e (borrowed; its tree must outlive the call).
 * Returns an owned value, or VAL_INVALID after appending at least one
 * error diagnostic to ctx->diags. */
val eval_expr(eval_ctx *ctx, const ast *e);

/* Parse and evaluate one expression from text (console lines, -var values,
 * tests).  name labels diagnostics ("<console>").  The source file is kept
 * alive by diagnostics that point into it: *srcp receives it and the caller
 * frees it (src_free) after printing the diagnostics.  Returns as
 * eval_expr; parse errors are diagnostics too. */
val eval_string(eval_ctx *ctx, const char *name, const char *text, size_t len,
                src_file **srcp);

/* Render template text (a template file: escapes $${ and %%{ only) with
 * vars (an object or map, consumed) as its only scope, as templatefile()
 * does.  The result is converted to a string.  name labels diagnostics;
 * *srcp as for eval_string. */
val eval_template_text(eval_ctx *ctx, const char *name, const char *text, size_t len,
                       val vars, src_file **srcp);

/* Report every reference expression e makes (var.x, local.y, TYPE.NAME,
 * data.TYPE.NAME, module.m, count.index, each.key, path.*, terraform.*,
 * self), in source order, to cb, for dependency analysis.  Names bound by
 * for expressions inside e are not references.  A reference used several
 * times is reported each time.  The ref passed to cb is borrowed for the
 * call. */
typedef void (*eval_ref_cb)(const eval_ref *ref, void *payload);
void eval_refs(const ast *e, eval_ref_cb cb, void *payload);

/* Convert a type expression (a variable's `type`: string, list(number),
 * map(any), object({a = optional(string, "x")}), tuple([...]), any) into a
 * type.  Defaults of optional() are evaluated without references.  Returns
 * an owned type, or NULL after appending a diagnostic ("Invalid type
 * specification") to diags. */
ty *eval_type_expr(const ast *e, diag_list *diags);

/* ---------------------------------------------------------------- tables
 * A simple table scope: values for var.*, local.*, resources, ... set up
 * front.  Use with eval_table_resolve as the resolver and the table as the
 * payload. */
typedef struct eval_table eval_table;

eval_table *eval_table_new(void);
void eval_table_free(eval_table *t);
/* Set the value of a reference (kind, type, name as in eval_ref; type and
 * name copied, v consumed).  Replaces an earlier value.  Returns 0 or
 * CAIRN_ENOMEM. */
int eval_table_set(eval_table *t, enum eval_ref_kind kind, const char *type,
                   const char *name, val v);
/* Borrowed value or NULL. */
const val *eval_table_get(const eval_table *t, enum eval_ref_kind kind, const char *type,
                          const char *name);
/* eval_resolve_fn over a table (payload = the eval_table). */
int eval_table_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload);

#endif
