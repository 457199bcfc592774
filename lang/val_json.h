/*
 * lang/val_json.h — values to and from JSON, as Terraform's jsonencode and
 * jsondecode do it (cty's json package over Go's encoding/json).
 *
 * Encoding: lists, sets and tuples become arrays; maps and objects become
 * objects with keys in byte order; numbers are written as Terraform prints
 * them (no exponent, shortest round-trip); strings are escaped as Go's
 * encoding/json does (HTML-safe: <, > and & as \u003c, \u003e, \u0026;
 * U+2028/U+2029 escaped; invalid UTF-8 replaced by U+FFFD).  Marks are
 * ignored (the caller decides what a sensitive result means).  An unknown
 * value anywhere is an error, as is an infinity.
 *
 * Decoding: objects become object values (duplicate keys: the last wins),
 * arrays become tuples, numbers become numbers, null becomes a null of type
 * any.  Input beyond VAL_JSON_MAX_SIZE or nesting beyond
 * VAL_JSON_MAX_DEPTH is refused with CAIRN_ELIMIT.
 */
#ifndef CAIRN_VAL_JSON_H
#define CAIRN_VAL_JSON_H

#include "lang/diag.h"
#include "lang/val.h"

/* Deepest nesting of arrays/objects accepted (both directions). */
#define VAL_JSON_MAX_DEPTH 512
/* Largest JSON text decoded, and largest produced (bytes). */
#define VAL_JSON_MAX_SIZE (64u * 1024 * 1024)

/* Encode *v (borrowed) as compact JSON.  Returns a NUL-terminated string
 * the caller frees, its length in *len (may be NULL), or NULL with the
 * last error set ("value is not known", "cannot serialize infinity as
 * JSON", CAIRN_ELIMIT for depth/size). */
char *val_to_json(const val *v, size_t *len);

/* Append the JSON encoding of *v to b; 0 or a negative cairn_err. */
int val_to_json_sb(strbuf *b, const val *v);

/* Append s[0..n) as a JSON string literal (with quotes), escaped as Go's
 * encoding/json does. */
void val_json_quote(strbuf *b, const char *s, size_t n);

/* Decode JSON text s[0..n) (need not be NUL-terminated).  Returns an owned
 * value, or VAL_INVALID with the last error set (CAIRN_EINVAL with a
 * message naming the problem and byte offset, CAIRN_ELIMIT for limits). */
val val_from_json(const char *s, size_t n);

#endif
