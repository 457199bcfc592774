/*
 * lang/lex.h — the lexer for HCL2 native syntax (Terraform's *.tf).
 *
 * The lexer turns a whole src_file into a flat array of tokens, each a kind
 * and a byte range [start, end) into the file's text.  NOTHING is dropped:
 * comments, newlines and template pieces are tokens too, so the formatter can
 * rebuild the file from the stream; the parser skips comments itself.
 * Horizontal whitespace (spaces, and tabs) between tokens is the only text
 * not covered by a token.  The last token is always LEX_EOF (empty range at
 * the end of the file).
 *
 * The lexer is modal, like HCL's scanner:
 *   - normal mode (configuration and expressions);
 *   - quoted-template mode, between LEX_OQUOTE and LEX_CQUOTE;
 *   - heredoc mode, between LEX_OHEREDOC and LEX_CHEREDOC;
 *   - inside a template, `${` / `%{` switch back to normal mode until the
 *     matching `}` (emitted as LEX_TEMPLATE_SEQ_END, not LEX_CBRACE).
 *
 * Token text conventions (what [start, end) covers):
 *   LEX_COMMENT         `# ...` or `// ...` WITHOUT the newline that ends it
 *                       (the newline is a separate LEX_NEWLINE), or the whole
 *                       `/ * ... * /` block comment (which may span lines).
 *   LEX_NEWLINE         "\n" or "\r\n".
 *   LEX_OQUOTE/CQUOTE   the `"` characters.
 *   LEX_QUOTED_LIT      raw literal text inside a quoted string, escapes NOT
 *                       decoded (`\n`, `$${`, ... appear as written); never
 *                       contains a newline.
 *   LEX_OHEREDOC        `<<EOT` or `<<-EOT` INCLUDING the newline after it.
 *   LEX_STRING_LIT      raw literal text in a heredoc (or a template file):
 *                       at most one line, ending with its newline if the line
 *                       has one.  A line with `${` in it is split around it.
 *   LEX_CHEREDOC        the closing marker line's text: leading spaces plus
 *                       the delimiter (not the newline after it).
 *   LEX_TEMPLATE_INTERP `${` or `${~` (length 3 means a strip marker).
 *   LEX_TEMPLATE_CONTROL `%{` or `%{~`.
 *   LEX_TEMPLATE_SEQ_END `}` or `~}` closing an interpolation/directive
 *                       (length 2 means a strip marker).
 *   LEX_NUMBER          digits, optional fraction, optional exponent
 *                       (`1`, `1.5`, `1e3`, `2.5E-7`); no sign.
 *   LEX_IDENT           identifier: a letter or `_` (any Unicode letter)
 *                       then letters, digits, `_`, `-`.  Keywords (true,
 *                       false, null, for, in, if, else, endif, endfor) are
 *                       identifiers; the parser gives them meaning.
 *   LEX_INVALID         a character that starts no token (one UTF-8 char).
 *   LEX_BAD_UTF8        a byte that is not valid UTF-8.
 *
 * Lexical errors (unterminated string, unterminated heredoc or block
 * comment, invalid character, invalid UTF-8, newline in a quoted string)
 * are reported as diagnostics by lex_run; the token stream is still
 * complete (it always covers the file up to LEX_EOF).
 */
#ifndef CAIRN_LEX_H
#define CAIRN_LEX_H

#include "lang/diag.h"

#include <stddef.h>
#include <stdint.h>

enum lex_kind {
    LEX_EOF = 0,
    LEX_NEWLINE,
    LEX_COMMENT,
    LEX_IDENT,
    LEX_NUMBER,

    LEX_OBRACE,        /* { */
    LEX_CBRACE,        /* } */
    LEX_OBRACK,        /* [ */
    LEX_CBRACK,        /* ] */
    LEX_OPAREN,        /* ( */
    LEX_CPAREN,        /* ) */

    LEX_OQUOTE,        /* " opening a quoted template */
    LEX_CQUOTE,        /* " closing it */
    LEX_QUOTED_LIT,    /* literal text in a quoted template (raw) */
    LEX_OHEREDOC,      /* <<EOT\n or <<-EOT\n */
    LEX_CHEREDOC,      /*   EOT (closing marker line) */
    LEX_STRING_LIT,    /* literal text in a heredoc or template file (raw) */
    LEX_TEMPLATE_INTERP,   /* ${ or ${~ */
    LEX_TEMPLATE_CONTROL,  /* %{ or %{~ */
    LEX_TEMPLATE_SEQ_END,  /* } or ~} closing either */

    LEX_STAR,          /* * */
    LEX_SLASH,         /* / */
    LEX_PLUS,          /* + */
    LEX_MINUS,         /* - */
    LEX_PERCENT,       /* % */
    LEX_EQUAL,         /* = */
    LEX_EQUALOP,       /* == */
    LEX_NOTEQUAL,      /* != */
    LEX_LT,            /* < */
    LEX_LE,            /* <= */
    LEX_GT,            /* > */
    LEX_GE,            /* >= */
    LEX_AND,           /* && */
    LEX_OR,            /* || */
    LEX_BANG,          /* ! */
    LEX_DOT,           /* . */
    LEX_COMMA,         /* , */
    LEX_ELLIPSIS,      /* ... */
    LEX_FATARROW,      /* => */
    LEX_QUESTION,      /* ? */
    LEX_COLON,         /* : */
    LEX_DCOLON,        /* :: (provider-defined function names) */

    LEX_INVALID,       /* a character that begins no token */
    LEX_BAD_UTF8,      /* an invalid UTF-8 byte */
    LEX_NKINDS
};

typedef struct lex_token {
    enum lex_kind kind;
    uint32_t start, end;   /* byte range in the file's text */
} lex_token;

/* A token array.  Zero-initialise; free with lex_tokens_free. */
typedef struct lex_tokens {
    lex_token *v;
    size_t n, cap;
} lex_tokens;

/* What the file is: a configuration/expression (normal mode), or a
 * template file as templatefile() reads it (the whole text is a template,
 * literal text is LEX_STRING_LIT, no escapes other than $${ and %%{). */
enum lex_mode { LEX_MODE_CONFIG, LEX_MODE_TEMPLATE };

/* Largest number of tokens one file may produce. */
#define LEX_MAX_TOKENS (8u * 1024 * 1024)

/* Lex the whole of f (borrowed; must outlive the tokens' use) into out
 * (appended to; zero-initialise it first).  Lexical errors go to diags
 * (which may be NULL to ignore them).  Returns 0, or CAIRN_ENOMEM /
 * CAIRN_ELIMIT (LEX_MAX_TOKENS reached; a diagnostic says so too) with the
 * last error set; out is still valid to free on error. */
int lex_run(src_file *f, enum lex_mode mode, lex_tokens *out, diag_list *diags);

void lex_tokens_free(lex_tokens *t);

/* A short human name of a token kind, e.g. "\"{\"", "newline",
 * "identifier" (static string, for diagnostics and tests). */
const char *lex_kind_name(enum lex_kind k);

/* Whether c may start / continue an identifier (ASCII part of the rule;
 * bytes >= 0x80 are handled by the lexer as Unicode letters). */
int lex_is_ident_start(int c);
int lex_is_ident_char(int c);

#endif
