/*
 * lang/parse_int.h — internals shared by the parser's files (parse.c:
 * bodies and expressions; parse_tmpl.c: templates) and the arena (ast.c).
 * Not part of the public contract.
 */
#ifndef CAIRN_PARSE_INT_H
#define CAIRN_PARSE_INT_H

#include "lang/parse.h"

ast_arena *ast_arena_new(void);
void ast_arena_free(ast_arena *a);

/* Newline handling modes, a stack: inside ( ) [ ] and interpolations
 * newlines are insignificant; in bodies and objects they separate items. */
#define PARSE_NL_STACK 1024

typedef struct parser {
    src_file *f;
    const char *s;              /* f->text */
    const lex_token *tok;
    size_t ntok, pos;
    diag_list *diags;
    ast_arena *arena;
    int depth;                  /* current nesting */
    int depth_reported;         /* the depth-limit error was given */
    int nomem;                  /* an allocation failed: unwind */
    unsigned char nl[PARSE_NL_STACK];
    int nnl;
} parser;

/* Token access.  peek skips comments, and newlines unless they are
 * significant in the current mode. */
const lex_token *p_peek(parser *p);
const lex_token *p_next(parser *p);
void p_nl_push(parser *p, int significant);
void p_nl_pop(parser *p);
srange p_rng(parser *p, uint32_t a, uint32_t b);
srange p_trange(parser *p, const lex_token *t);
void p_error(parser *p, srange r, const char *summary, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

ast *p_node(parser *p, enum ast_kind k, uint32_t start, uint32_t end);
ast *p_bad(parser *p, uint32_t start, uint32_t end);
void *p_alloc(parser *p, size_t n);
char *p_strndup(parser *p, const char *s, size_t n);

/* Growable pointer vector used while building node arrays (heap memory,
 * copied into the arena by pv_finish). */
typedef struct pvec {
    void **v;
    size_t n, cap;
} pvec;
int pv_push(parser *p, pvec *v, void *x);
void **pv_finish(parser *p, pvec *v);   /* copies into the arena, frees v */

/* Expressions (parse.c) and templates (parse_tmpl.c). */
ast *p_expr(parser *p);
int p_depth_enter(parser *p, uint32_t at);
void p_depth_leave(parser *p);
/* At LEX_OQUOTE or LEX_OHEREDOC: the whole template. */
ast *p_template(parser *p);
/* Template file: the rest of the tokens up to EOF. */
ast *p_template_file(parser *p);
/* Decode a quoted literal's escapes into the arena; reports bad escapes.
 * Returns NULL only on out of memory. */
char *p_unescape(parser *p, uint32_t start, uint32_t end, int quoted, size_t *len);

#endif
