/*
 * lang/ast.h — the syntax tree of HCL2 native syntax.
 *
 * OWNERSHIP.  Every node, array and string of one parse result lives in the
 * arena of its ast_file (lang/parse.h) and is freed all at once by
 * ast_file_free.  Nothing in the tree is freed individually; pointers into a
 * tree are borrowed and valid until ast_file_free.  Strings are
 * NUL-terminated and also carry a length where they may contain NUL.
 *
 * RANGES.  Every node has a srange (byte offsets into the src_file the tree
 * was parsed from; the file is borrowed, it must outlive the tree).  A
 * node's range covers exactly its source text, e.g. a call covers
 * `f(a, b)` including the parentheses, a template covers its quotes, a
 * heredoc covers `<<EOT` through the closing marker.
 *
 * EXPRESSIONS (struct ast, tagged by kind):
 *   AST_LITERAL     null, true/false, a number, or (inside templates only) a
 *                   literal string piece.  Numbers keep their source text.
 *   AST_TEMPLATE    a quoted string "..." or a heredoc, or a template file:
 *                   an ordered list of parts, each an expression:
 *                     AST_LITERAL (lit.kind AST_LIT_STRING): literal text,
 *                       ALREADY DECODED: escapes resolved, strip markers `~`
 *                       applied, <<- indentation removed, adjacent literal
 *                       pieces merged;
 *                     any expression: a ${...} interpolation;
 *                     AST_TPL_IF / AST_TPL_FOR: %{if}/%{for} directives.
 *                   A plain string "abc" is a template with exactly one
 *                   literal part; "" has zero parts.  tmpl.wrap is set when
 *                   the template is exactly one interpolation and nothing
 *                   else ("${x}"): Terraform then yields x's value itself,
 *                   unconverted.
 *   AST_TUPLE       [a, b, c]
 *   AST_OBJECT      {k = v, k2: v2}; keys are expressions; key_bare marks a
 *                   key written as a single bare identifier (`name = ...`),
 *                   which means the string "name", not a variable.
 *   AST_VARIABLE    a root name: var, local, aws_instance, count, each...
 *   AST_GETATTR     obj.name
 *   AST_INDEX       obj[key]; legacy `obj.0` is an index with a number key
 *                   and legacy = 1.
 *   AST_SPLAT       source[*]... or source.*...: `each` is the rest of the
 *                   traversal, to evaluate once per element with
 *                   AST_SPLAT_ITEM standing for the element.  For `[*]`
 *                   (full = 1) it takes every following .attr and [index];
 *                   for `.*` (full = 0) only the following .attr (and
 *                   legacy .N) steps; what comes after applies to the
 *                   splat's result.  E.g. a[*].b[0] is
 *                   SPLAT(a, INDEX(GETATTR(ITEM, b), 0)).
 *   AST_SPLAT_ITEM  the per-element placeholder inside a splat's `each`;
 *                   it always refers to the element of the nearest
 *                   enclosing AST_SPLAT.
 *   AST_CALL        name(args...); expand = 1 when the last argument is
 *                   followed by `...`.  Provider functions keep their full
 *                   name ("provider::aws::arn_parse").
 *   AST_UNARY       !x, -x
 *   AST_BINARY      x op y (ops below)
 *   AST_COND        c ? a : b
 *   AST_FOR         [for k, v in coll : val if cond] (tuple form), or
 *                   {for k, v in coll : key => val... if cond} (object form,
 *                   group = 1 with `...`).  key_var NULL when only one name.
 *   AST_PAREN       (x): kept so ranges and formatting are exact; evaluates
 *                   as x.
 *   AST_TPL_IF      %{if c}then%{else}else%{endif}: then/else_ are
 *                   AST_TEMPLATE nodes (else_ NULL without %{else}).
 *   AST_TPL_FOR     %{for k, v in coll}body%{endfor}: body is AST_TEMPLATE.
 *   AST_BAD         placeholder where the parser recovered from an error.
 *
 * BODIES.  A body is the ordered list of attributes and blocks of a file or
 * a block.  Duplicate attribute names are reported by the parser
 * ("Attribute redefined"), and only the first is kept.
 */
#ifndef CAIRN_AST_H
#define CAIRN_AST_H

#include "lang/diag.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ast ast;
typedef struct ast_body ast_body;

enum ast_kind {
    AST_BAD = 0,
    AST_LITERAL,
    AST_TEMPLATE,
    AST_TUPLE,
    AST_OBJECT,
    AST_VARIABLE,
    AST_GETATTR,
    AST_INDEX,
    AST_SPLAT,
    AST_SPLAT_ITEM,
    AST_CALL,
    AST_UNARY,
    AST_BINARY,
    AST_COND,
    AST_FOR,
    AST_PAREN,
    AST_TPL_IF,
    AST_TPL_FOR,
};

enum ast_lit_kind { AST_LIT_NULL, AST_LIT_BOOL, AST_LIT_NUMBER, AST_LIT_STRING };

/* Operators.  Precedence, lowest first (all binary ones left-associative):
 *   ||   &&   == !=   < > <= >=   + -   * / %   then unary ! and - . */
enum ast_op {
    AST_OP_OR, AST_OP_AND,
    AST_OP_EQ, AST_OP_NE,
    AST_OP_LT, AST_OP_GT, AST_OP_LE, AST_OP_GE,
    AST_OP_ADD, AST_OP_SUB,
    AST_OP_MUL, AST_OP_DIV, AST_OP_MOD,
    AST_OP_NOT, AST_OP_NEG,   /* unary */
};

/* A name with where it was written (identifiers, for-variables). */
typedef struct ast_name {
    const char *s;
    srange range;
} ast_name;

typedef struct ast_object_item {
    ast *key;
    ast *value;
    int key_bare;      /* key is one bare identifier: means that string */
    int colon;         /* written with ':' instead of '=' (for fmt) */
} ast_object_item;

struct ast {
    enum ast_kind kind;
    srange range;
    union {
        struct {
            enum ast_lit_kind kind;
            int b;              /* AST_LIT_BOOL */
            double num;         /* AST_LIT_NUMBER (as parsed by strtod) */
            const char *text;   /* NUMBER: source text ("1e3"); STRING: the
                                 * decoded string (may contain NUL: see len) */
            size_t len;         /* length of text */
        } lit;
        struct {
            ast **parts;
            size_t nparts;
            int wrap;           /* exactly one interpolation, nothing else */
            int heredoc;        /* 1 for <<EOT / <<-EOT */
            int flush;          /* 1 for <<-EOT (indentation was stripped) */
            const char *delim;  /* heredoc delimiter ("EOT"), else NULL */
        } tmpl;
        struct {
            ast **items;
            size_t n;
        } tuple;
        struct {
            ast_object_item *items;
            size_t n;
        } object;
        ast_name var;           /* AST_VARIABLE */
        struct {
            ast *obj;
            ast_name name;
        } getattr;
        struct {
            ast *obj;
            ast *key;
            int legacy;         /* written obj.0 */
            srange brackets;    /* the [ ... ] (or the .N) */
        } index;
        struct {
            ast *source;
            ast *each;          /* expression over AST_SPLAT_ITEM */
            int full;           /* [*] = 1, .* = 0 */
            srange marker;      /* the [*] or .* */
        } splat;
        struct {
            ast_name name;
            ast **args;
            size_t nargs;
            int expand;         /* last argument followed by ... */
            srange open_paren, close_paren;
        } call;
        struct {
            enum ast_op op;
            ast *operand;
        } unary;
        struct {
            enum ast_op op;
            ast *lhs, *rhs;
            srange op_range;
        } binary;
        struct {
            ast *cond, *then, *else_;
        } cond;
        struct {
            ast_name key_var;   /* .s NULL when absent */
            ast_name val_var;
            ast *coll;
            ast *key;           /* object form only, else NULL */
            ast *value;
            ast *cond;          /* NULL without `if` */
            int object;         /* {for ...} */
            int group;          /* `...` after the value (object form) */
        } for_;
        struct {
            ast *inner;
        } paren;
        struct {
            ast *cond;
            ast *then;          /* AST_TEMPLATE */
            ast *else_;         /* AST_TEMPLATE or NULL */
        } tpl_if;
        struct {
            ast_name key_var;   /* .s NULL when absent */
            ast_name val_var;
            ast *coll;
            ast *body;          /* AST_TEMPLATE */
        } tpl_for;
    } u;
};

typedef struct ast_attr {
    ast_name name;
    ast *expr;
    srange range;           /* name through the end of the expression */
    srange equals;          /* the `=` */
} ast_attr;

typedef struct ast_label {
    const char *s;          /* decoded value */
    srange range;           /* with quotes when quoted */
    int quoted;
} ast_label;

typedef struct ast_block {
    ast_name type;
    ast_label *labels;
    size_t nlabels;
    ast_body *body;
    srange open_brace, close_brace;
    srange range;           /* type through the closing brace */
} ast_block;

enum ast_item_kind { AST_ITEM_ATTR, AST_ITEM_BLOCK };

typedef struct ast_item {
    enum ast_item_kind kind;
    union {
        ast_attr *attr;
        ast_block *block;
    } u;
} ast_item;

struct ast_body {
    ast_item *items;        /* in source order */
    size_t n;
    srange range;           /* inside the braces (or the whole file) */
};

/* Find an attribute of a body by name (NULL if none).  Borrowed. */
const ast_attr *ast_body_attr(const ast_body *b, const char *name);

/* Static names for diagnostics and tests: "template", "+", ... */
const char *ast_kind_name(enum ast_kind k);
const char *ast_op_name(enum ast_op op);

/* For the lit.kind == AST_LIT_STRING-only template ("abc", or ""): 1 and
 * the string in *s and *len (borrowed), else 0.  Any other node: 0. */
int ast_template_literal(const ast *t, const char **s, size_t *len);

/* Debug/test form of an expression as an S-expression, e.g.
 * "(+ 1 (* 2 3))", "(. var x)", "(call f 1 2 ...)".  Caller frees. */
char *ast_sexpr(const ast *e);

#endif
