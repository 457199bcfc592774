/*
 * lang/val_fmt.h — values and types printed the way `terraform console`
 * prints them (Terraform's repl.FormatValue and the console's type()).
 *
 *   "hello"                 strings quoted as Go's strconv.Quote does
 *   <<EOT ... EOT           strings with a newline, as heredocs (<<-EOT
 *                           when nested, lines indented to the nesting)
 *   1.5  true               numbers as Terraform prints them, bools
 *   [                       tuples: one element per line, trailing commas,
 *     "a",                  two spaces per nesting level
 *   ]
 *   tolist([...]) toset([...]) tomap({...})   typed collections
 *   {                       objects and maps: quoted keys, " = ", no
 *     "a" = 1               alignment (as Terraform prints them)
 *   }
 *   null, tostring(null), "tolist(null) /@ of string @/", "null /@ object @/"
 *                           (with '*' where '@' is written here)
 *   (known after apply)     any unknown value
 *   (sensitive value)       a value marked sensitive
 */
#ifndef CAIRN_VAL_FMT_H
#define CAIRN_VAL_FMT_H

#include "lang/diag.h"
#include "lang/val.h"

/* Nesting beyond this prints "..." instead of recursing further. */
#define VAL_FMT_MAX_DEPTH 256

/* Format *v (borrowed) as terraform console does; caller frees. */
char *val_fmt(const val *v);
/* Append the formatting of *v at nesting `indent` (spaces) to b. */
void val_fmt_sb(strbuf *b, const val *v, int indent);
/* Append s[0..n) quoted as Go's strconv.Quote does. */
void val_fmt_quote(strbuf *b, const char *s, size_t n);
/* A type as the console's type() function prints it:
 *   string, list(number), tuple([\n    string,\n]), object({\n    a: bool,\n})
 * (four spaces per level; "dynamic" for any).  Caller frees. */
char *val_fmt_type(const ty *t);

#endif
