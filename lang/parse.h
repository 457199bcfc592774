/*
 * lang/parse.h — the recursive-descent parser for HCL2 native syntax.
 *
 * Three entry points, one result type.  Each lexes (lang/lex.h) and parses a
 * whole src_file and returns an ast_file owning the tree (lang/ast.h), or
 * NULL only when memory ran out (last error CAIRN_ENOMEM).  Syntax errors do
 * NOT make the result NULL: they are appended to diags (every error in the
 * file, the parser recovers at the next line / closing brace) and the tree
 * holds what could be parsed, with AST_BAD nodes where it could not.  So:
 *
 *     diag_list d = {0};
 *     ast_file *af = parse_config(src, &d);
 *     if (!af) ...out of memory...
 *     if (diag_has_errors(&d)) ...print, do not evaluate...
 *     ast_file_free(af);
 *
 * Diagnostics have HCL's wording ("Argument or block definition required",
 * "Missing expression", "Unclosed configuration block", ...); an error about
 * a missing closer names the line of its opener in the detail.
 *
 * The src_file is borrowed: it must outlive the ast_file (ranges point into
 * it).  Parsing is single-threaded per call and uses no globals; separate
 * calls may run on separate threads.
 */
#ifndef CAIRN_PARSE_H
#define CAIRN_PARSE_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/lex.h"

/* Limits, each reported as a diagnostic naming it when reached. */
#define PARSE_MAX_DEPTH 256                 /* nested expressions/blocks */
#define PARSE_MAX_TEMPLATE_SIZE (4u << 20)  /* bytes of one template's source */
#define PARSE_MAX_COLLECTION 100000         /* items in one tuple/object/call */

typedef struct ast_arena ast_arena;

typedef struct ast_file {
    src_file *src;          /* borrowed */
    ast_body *body;         /* parse_config: the file's body; else NULL */
    ast *expr;              /* parse_expression / parse_template: else NULL */
    lex_tokens tokens;      /* the token stream the tree was parsed from */
    ast_arena *arena;       /* owns every node and string */
} ast_file;

/* A configuration file (*.tf): a body of attributes and blocks. */
ast_file *parse_config(src_file *src, diag_list *diags);

/* One expression filling the whole file (console input, -var values):
 * trailing newlines and comments are allowed, anything else is
 * "Extra characters after expression". */
ast_file *parse_expression(src_file *src, diag_list *diags);

/* A template file, as templatefile() reads it: the whole text is a
 * template (AST_TEMPLATE in expr), escapes only $${ and %%{. */
ast_file *parse_template(src_file *src, diag_list *diags);

/* Free the tree, its tokens and its arena (not the src_file).  NULL is ok. */
void ast_file_free(ast_file *af);

/* Arena used by the parser (exposed for tests and for callers that build
 * synthetic nodes that must live as long as a tree).  ast_arena_alloc
 * returns zeroed memory or NULL (last error CAIRN_ENOMEM). */
void *ast_arena_alloc(ast_arena *a, size_t n);
char *ast_arena_strndup(ast_arena *a, const char *s, size_t n);

#endif
