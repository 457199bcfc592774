/*
 * lang/fmt.h — the canonical formatter behind `cairn fmt`.
 *
 * Formatting works on tokens and whitespace only, the way HCL's hclwrite and
 * `terraform fmt` do it: every token's bytes are kept, only the whitespace
 * between tokens is rewritten.  The rules:
 *   - lines are indented two spaces per bracket level opened on earlier
 *     lines (a line that closes brackets is dedented first);
 *   - within a line, one space between tokens except where the spacing
 *     table says none (after "(" "[" "${", before ")" "]" "," "...",
 *     around "." and "::", between a function name and "(", unary minus,
 *     template literal parts), and "{ }" bodies are padded: { a = 1 };
 *   - "=" is aligned within runs of consecutive lines that hold a complete
 *     single-line attribute; trailing comments are aligned within runs of
 *     consecutive lines that end in a comment;
 *   - heredoc bodies, comment text and string literals are untouched;
 *     blank lines are kept (whitespace-only lines become empty).
 * With FMT_TERRAFORM, the two rewrites `terraform fmt` adds on top: an
 * attribute value that is a lone interpolation, "${expr}", becomes expr, and
 * a variable block's legacy type "string"/"list"/"map" (or bare list/map)
 * becomes string/list(string)/map(string).
 *
 * Must stay true: formatting never changes what a file means (the parser
 * sees the same syntax tree), and fmt(fmt(x)) == fmt(x).
 */
#ifndef CAIRN_FMT_H
#define CAIRN_FMT_H

#include <stddef.h>

#include "lang/diag.h"

/* Formatting flags. */
#define FMT_TERRAFORM 0x1u  /* also apply terraform fmt's expression rewrites */

/* Largest nesting of brackets and template interpolations fmt accepts. */
#define FMT_MAX_DEPTH 256

/*
 * Format the text of f (borrowed; diagnostics added to diags point into it,
 * so keep f alive while they are printed).
 *
 * On success returns 0 and sets *out to a newly allocated NUL-terminated
 * string owned by the caller (free()) and *outlen to its length.  If the
 * text does not scan, appends a diagnostic to diags, sets *out to NULL and
 * returns CAIRN_EDIAG.  Returns CAIRN_ENOMEM or CAIRN_ELIMIT (with the last
 * error set) when memory or a limit runs out, and CAIRN_EINVAL if the
 * result would not scan to the same tokens as the input (a formatter bug,
 * checked on every call: the file is then best left alone).
 */
int fmt_format(src_file *f, unsigned flags, char **out, size_t *outlen, diag_list *diags);

/*
 * Write a unified diff (3 lines of context) of a and b to buf, with the
 * header lines "--- old_name" / "+++ new_name".  Writes nothing when the
 * texts are equal.  Used by `cairn fmt -diff`.
 */
void fmt_diff(strbuf *buf, const char *old_name, const char *a, size_t alen,
              const char *new_name, const char *b, size_t blen);

#endif
