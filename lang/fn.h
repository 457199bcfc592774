/*
 * lang/fn.h — Terraform's built-in function library: the registry and the
 * calling contract the evaluator uses.
 *
 * Usage by the evaluator (eval):
 *
 *     const fn_def *f = fn_lookup(name);       -- NULL: "Call to unknown function"
 *     if (fn_is_special(f)) ...                 -- can()/try(): evaluate lazily yourself
 *     fn_err e;
 *     val r = fn_call(f, &ctx, args, nargs, &e);   -- consumes args
 *     if (!val_is_valid(r))
 *         diagnostic with summary e.summary and detail e.msg, pointing at
 *         argument e.arg (e.arg >= 0) or at the call (e.arg == -1).
 *
 * Generic rules applied by fn_call (the same as cty's function.Call):
 *   - argument count: fewer than the fixed parameters, or more without a
 *     variadic parameter -> error with arg = -1 ("Not enough function
 *     arguments" / "Too many function arguments" wording in msg).
 *   - each argument is converted to its parameter's type (val_convert); a
 *     failure reports that argument's index and a message such as
 *     `Invalid value for "number" parameter: a number is required.`
 *   - a wholly unknown argument to a parameter without FN_ALLOW_UNKNOWN makes
 *     the result an unknown value of the function's return type (the impl is
 *     not called).  Unknowns nested inside a known collection reach the impl,
 *     which returns an unknown where cty does.
 *   - a null argument to a parameter without FN_ALLOW_NULL is an error
 *     ("argument must not be null").
 *   - sensitive marks: for parameters without FN_ALLOW_SENSITIVE or
 *     FN_OWN_MARKS the argument is deeply unmarked before the impl sees it,
 *     and the result is then marked sensitive (the whole result, as cty's
 *     function.Call does with UnmarkDeep).  With FN_OWN_MARKS only the
 *     argument's own mark is removed and put on the result; marks nested
 *     inside stay where they are (cty's AllowMarked parameters that
 *     Unmark() and re-apply, as length and keys do: an object with a
 *     sensitive attribute is not itself sensitive, so neither is its
 *     length; element, values, slice and the like copy the parts with
 *     their marks).  An unknown result keeps the sensitive mark too (cty
 *     drops it; we do not leak), and an unknown result of a call whose
 *     FN_OWN_MARKS argument held a sensitive value inside is sensitive
 *     (it has no part left to carry that mark).
 *
 * Functions (Terraform's names): numeric abs ceil floor log max min
 * parseint pow signum; string chomp endswith format formatlist indent join
 * lower regex regexall replace split startswith strcontains strrev substr
 * title trim trimprefix trimsuffix trimspace upper; collection alltrue
 * anytrue chunklist coalesce coalescelist compact concat contains distinct
 * element flatten index keys length lookup matchkeys merge one range
 * reverse setintersection setproduct setsubtract setunion slice sort sum
 * transpose values zipmap; encoding base64decode base64encode csvdecode
 * jsondecode jsonencode urlencode yamlencode; filesystem abspath basename
 * dirname file filebase64 fileexists fileset filemd5 filesha1 filesha256
 * filesha512 filebase64sha256 filebase64sha512 pathexpand templatefile;
 * date formatdate plantimestamp timeadd timecmp timestamp; hashing md5
 * sha1 sha256 sha512 base64sha256 base64sha512 uuid uuidv5; network
 * cidrhost cidrnetmask cidrsubnet cidrsubnets; type tobool tolist tomap
 * tonumber toset tostring sensitive nonsensitive issensitive
 * ephemeralasnull; special forms can try.
 *
 * Known differences from Terraform: numbers are doubles (cty uses 512-bit
 * floats), so integers beyond 2^53 print differently (format's float verbs
 * do round a literal's own digits as cty does, and log/pow follow Go's
 * math, so ordinary values match); strings are not NFC-normalised here
 * (cty.StringVal normalises); regex accepts (?<name>...) as Go 1.22+ does
 * (Go 1.19 rejects it); grapheme segmentation (length, substr, strrev,
 * format widths) and \p{...} classes cover common scripts, not all of
 * Unicode; upper/lower/title map ASCII, Latin-1, Latin Extended-A, the
 * title-case digraphs, Greek and Cyrillic.
 *
 * can() and try() are special forms: their arguments must be evaluated
 * lazily (an error in an argument is the value, not a failure), so the
 * evaluator implements them.  fn_lookup returns descriptors for them with
 * FN_SPECIAL set and no impl; fn_call on them is an error.
 *
 * Impure functions (timestamp, plantimestamp, uuid) return an unknown string when
 * ctx->allow_impure is 0 (Terraform's behaviour during validate/plan).
 *
 * The registry is a process-wide, read-only table (no initialisation needed;
 * safe to use from several threads).
 */
#ifndef CAIRN_FN_H
#define CAIRN_FN_H

#include <stddef.h>
#include "lang/val.h"

/* Longest error message a function reports. */
#define FN_ERR_MSG_MAX 512

/* Why a call failed, ready to become a diagnostic.
 *   summary: HCL's diagnostic summary (static string): "Invalid function
 *            argument", "Error in function call", "Not enough function
 *            arguments", "Too many function arguments", "Call to unknown
 *            function".
 *   arg:     index of the faulty argument in the call's argument list (for
 *            variadic functions, the index of the actual argument), or -1
 *            when the failure is about the call as a whole (point at the
 *            closing parenthesis / the call).
 *   msg:     the complete detail text in HCL's wording, e.g.
 *            `Invalid value for "number" parameter: a number is required.`
 *            or `Call to function "file" failed: no file exists at "x".`
 * Implementations fill only arg and a bare message (fn_errf); fn_call adds
 * the summary and the "Invalid value for ..." / "Call to function ..."
 * framing. */
typedef struct fn_err {
    const char *summary;
    int arg;
    char msg[FN_ERR_MSG_MAX];
} fn_err;

/* What a call may need from its surroundings.  Zero-initialised is valid
 * (base_dir NULL means "."; no template rendering). */
typedef struct fn_ctx {
    /* Directory relative paths of file functions are resolved against
     * (path.module for the calling module).  Borrowed. */
    const char *base_dir;
    /* Non-zero during apply/console: timestamp() and uuid() return real
     * values; otherwise they return unknown strings. */
    int allow_impure;
    /* templatefile(path, vars) calls back into the evaluator: render the
     * template text in file `path` (already resolved against base_dir, read
     * by the callback) with `vars` (an object or map, consumed) as its only
     * scope.  Returns the rendered value or VAL_INVALID with err filled
     * (err->arg may be left as -1; fn_call points it at the right argument).
     * NULL: templatefile fails with "templatefile is not available here". */
    void *payload;
    val (*render_template)(void *payload, const char *path, val vars, struct fn_err *err);
    /* Set by fn_call for the implementation (callers need not set it): bit
     * i is 1 when argument i was sensitive and its marks were removed, so
     * that error messages can say "(sensitive value)" instead of quoting a
     * secret, as Terraform's redactIfSensitive does. */
    unsigned long sensitive_args;
} fn_ctx;

/* Parameter type codes (static tables cannot hold ty pointers). */
enum fn_type {
    FN_T_ANY,          /* any value, not converted */
    FN_T_STRING,
    FN_T_NUMBER,
    FN_T_BOOL,
    FN_T_LIST_ANY,     /* list(any): a list, set or tuple whose elements unify */
    FN_T_LIST_STRING,
    FN_T_LIST_NUMBER,
    FN_T_LIST_BOOL,
    FN_T_SET_ANY,
    FN_T_MAP_ANY,
    FN_T_MAP_STRING,
    FN_T_MAP_LIST_STRING, /* map(list(string)) for transpose */
    FN_T_LIST_LIST_ANY,   /* list(list(any)) */
};

/* Parameter flags. */
enum fn_param_flag {
    FN_ALLOW_NULL = 1u << 0,
    FN_ALLOW_UNKNOWN = 1u << 1,     /* impl sees wholly unknown arguments */
    FN_ALLOW_SENSITIVE = 1u << 2,   /* impl sees and handles marks itself */
    /* Only the argument's own mark reaches the result; the impl sees the marks
     * nested inside and must not let them leak into values it builds: a
     * part it copies keeps its marks, and a value it derives from a marked
     * part must be marked by the impl. */
    FN_OWN_MARKS = 1u << 3,
};

typedef struct fn_param {
    const char *name;     /* as in Terraform's docs: "number", "str", "list" */
    enum fn_type type;
    unsigned flags;       /* enum fn_param_flag */
} fn_param;

/* Implementation: args are the converted arguments (borrowed: fn_call frees
 * them afterwards), nargs counts fixed and variadic ones.  Returns an owned
 * value, or VAL_INVALID with err filled (err->arg set to the argument index
 * or -1). */
typedef val (*fn_impl)(fn_ctx *ctx, const val *args, size_t nargs, fn_err *err);

/* Return type from the (converted) arguments, for unknown results.  Owned.
 * NULL in a descriptor means "use ret". */
typedef ty *(*fn_type_of)(const val *args, size_t nargs);

enum fn_def_flag {
    FN_SPECIAL = 1u << 0,  /* can/try: evaluated by the evaluator */
    FN_IMPURE = 1u << 1,   /* timestamp/uuid */
};

typedef struct fn_def {
    const char *name;
    const fn_param *params;   /* fixed parameters */
    size_t nparams;
    const fn_param *varparam; /* variadic parameter, or NULL */
    enum fn_type ret;         /* return type when type_of is NULL */
    fn_type_of type_of;
    fn_impl impl;
    unsigned flags;           /* enum fn_def_flag */
    const char *doc;          /* one line, as in Terraform's docs */
} fn_def;

/* The descriptor of function `name` (borrowed, static), or NULL when there
 * is no such function.  Names are Terraform's (no provider:: namespaces). */
const fn_def *fn_lookup(const char *name);

/* Whether f is a special form (can, try) the evaluator must handle. */
int fn_is_special(const fn_def *f);

/* Call f with nargs arguments (each consumed, each must be a valid value;
 * the array itself is borrowed).  Applies the generic rules above, then the implementation.
 * Returns an owned value, or VAL_INVALID with err filled (err must not be
 * NULL).  ctx may be NULL (same as a zeroed fn_ctx). */
val fn_call(const fn_def *f, fn_ctx *ctx, val *args, size_t nargs, fn_err *err);

/* Convenience for tests and the console: look up and call by name.  An
 * unknown name fails with arg -1 and "Call to unknown function". */
val fn_call_name(const char *name, fn_ctx *ctx, val *args, size_t nargs, fn_err *err);

/* Number of registered functions and the i-th in name order (for
 * `cairn console` completion and docs). */
size_t fn_count(void);
const fn_def *fn_at(size_t i);

/* The type a parameter code stands for (owned). */
ty *fn_type_ty(enum fn_type t);

#endif
