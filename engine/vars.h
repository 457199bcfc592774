/*
 * engine/vars.h — values of the root module's input variables, gathered as
 * Terraform gathers them, and variable validation rules.
 *
 * PRECEDENCE, lowest to highest (a later source replaces an earlier one for
 * the same name; only the winning value is evaluated and converted):
 *   1. the variable's `default`;
 *   2. the environment: TF_VAR_<name> (declared names only; others ignored);
 *   3. terraform.tfvars, then terraform.tfvars.json, in root->dir;
 *   4. *.auto.tfvars and *.auto.tfvars.json in root->dir, in lexical order
 *      of their names (the two suffixes sorted together);
 *   5. the command line: with o->ordered, its entries in order ("var:N=V"
 *      or "file:PATH"), which is Terraform's exact interleaving of -var and
 *      -var-file; without it, every o->var_files entry in order, then every
 *      o->var_args entry in order;
 *   6. an interactive answer (o->interactive and stdin a terminal) for a
 *      required variable that none of the above set, asked in lexical
 *      order of the names.
 * -var-file paths are taken as given (relative to the working directory);
 * a name ending in ".json" is read as JSON, any other as HCL.
 *
 * PARSING.  Text from TF_VAR_, -var and the prompt is a literal string for
 * a variable without a type or of a primitive type (string, number, bool)
 * and an HCL expression ("<value for var.NAME>") for any other type,
 * `any` included.  Expressions (tfvars attributes, -var expressions,
 * defaults) may not refer to variables or call functions.  Each value is
 * then converted to the declared type (optional attributes filled), null is
 * replaced by the default for `nullable = false`, and `sensitive = true`
 * marks it sensitive.  Diagnostics use Terraform's summaries and details.
 *
 * Validation rules are NOT evaluated by vars_collect (the engine runs them
 * for every module, after evaluation); vars_validate does one variable.
 */
#ifndef CAIRN_VARS_H
#define CAIRN_VARS_H

#include "engine/config.h"
#include "lang/diag.h"
#include "lang/val.h"

/* Longest answer read from an interactive prompt (bytes). */
#define VARS_MAX_INPUT (1u << 20)
/* Undeclared variables in files warned about one by one; the rest are
 * counted in one more warning (as Terraform does). */
#define VARS_MAX_UNDECLARED_WARNINGS 2

/* Source texts that diagnostics from vars_collect may point into (tfvars
 * files, -var values parsed as expressions).  Zero-initialise; free with
 * vars_srcs_free after the diagnostics are printed or dropped. */
typedef struct vars_srcs {
    src_file **v;
    size_t n;
} vars_srcs;

typedef struct vars_opts {
    char **var_args;   size_t nvar_args;    /* -var NAME=VALUE, in command-line order */
    char **var_files;  size_t nvar_files;   /* -var-file FILE, in command-line order */
    /* Optional: "var:NAME=VALUE" / "file:PATH", -var and -var-file
     * interleaved in command-line order.  When nordered > 0 it is used
     * instead of var_args and var_files. */
    char **ordered;    size_t nordered;
    int interactive;   /* may prompt for missing required values on a terminal */
    /* Where to keep the source texts diagnostics point into (appended to;
     * the caller frees).  NULL: they are freed before vars_collect returns
     * and the diagnostics that pointed into them lose their location. */
    vars_srcs *srcs;
} vars_opts;

/* Gather the values of root's input variables.  root and o are borrowed.
 * Returns an owned array with one owned value per root->vars[i], in the
 * same order (free with vars_free(v, root->nvars)); a root without
 * variables gets a non-NULL array of none.  Returns NULL after appending at
 * least one error diagnostic to diags; warnings (e.g. "Value for undeclared
 * variable" from a file) may be appended on success too. */
val *vars_collect(const cfg_module *root, const vars_opts *o, diag_list *diags);

/* Free the n values of v and the array.  NULL is ok. */
void vars_free(val *v, size_t n);

/* Free the kept sources and reset s.  NULL is ok. */
void vars_srcs_free(vars_srcs *s);

/* Evaluate each validation rule of v with var.<v->name> bound to value
 * (borrowed).  A false condition is an error "Invalid value for variable"
 * at the condition, whose detail is the evaluated error_message and the
 * rule's location; an unknown result passes; null or a non-bool result is
 * an error "Invalid variable validation result".  Diagnostics of the
 * condition and error_message expressions are appended too.  Returns 0, or
 * CAIRN_EDIAG when it appended an error. */
int vars_validate(const cfg_variable *v, val value, diag_list *diags);

#endif
