/*
 * lang/fn_int.h — private to the function library (lang/fn*.c): the
 * per-family tables fn.c merges, and small helpers the families share.
 */
#ifndef CAIRN_FN_INT_H
#define CAIRN_FN_INT_H

#include "lang/diag.h"
#include "lang/fn.h"

/* Each family file defines a table and its length. */
#define FN_FAMILY(tab) \
    extern const fn_def tab[]; \
    extern const size_t tab##_count
FN_FAMILY(fn_num_defs);
FN_FAMILY(fn_str_defs);
FN_FAMILY(fn_fmt_defs);
FN_FAMILY(fn_coll_defs);
FN_FAMILY(fn_set_defs);
FN_FAMILY(fn_enc_defs);
FN_FAMILY(fn_fs_defs);
FN_FAMILY(fn_time_defs);
FN_FAMILY(fn_hash_defs);
FN_FAMILY(fn_net_defs);
FN_FAMILY(fn_type_defs);
FN_FAMILY(fn_glob_defs);

/* Fill err (arg, printf-style bare message) and return VAL_INVALID. */
val fn_errf(fn_err *err, int arg, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Largest string or collection a function builds (elements or bytes). */
#define FN_MAX_RESULT (64u * 1024 * 1024)
#define FN_MAX_ELEMS (1u << 20)

/* Whether double n is an integer that fits in a long long. */
int fn_is_int(double n);

/* UTF-8 helpers.  fn_utf8_decode reads one code point at s (len bytes
 * left), stores it in *cp (0xFFFD for an invalid byte) and returns the
 * number of bytes used (>= 1). */
size_t fn_utf8_decode(const char *s, size_t len, unsigned *cp);
/* Append code point cp as UTF-8. */
void fn_utf8_put(strbuf *b, unsigned cp);
/* Number of grapheme-ish characters (code points, combining marks folded
 * into their base as Terraform's length() does). */
size_t fn_str_chars(const char *s, size_t len);
/* Byte offset of the start of character index i (i <= chars). */
size_t fn_str_char_off(const char *s, size_t len, size_t i);

/* Append standard base64 (with padding) of s[0..n). */
void fn_base64(strbuf *b, const unsigned char *s, size_t n);

/* Digest of s[0..n) with OpenSSL digest `md` ("md5", "sha1", "sha256",
 * "sha512"), appended to b as lower-case hex or (b64) base64.  0 or -1. */
int fn_digest(strbuf *b, const char *md, const void *s, size_t n, int b64);

/* yamlencode (lang/fn_yaml.c). */
val fn_yamlencode(fn_ctx *c, const val *a, size_t n, fn_err *e);

/* Take a strbuf as a string value (VAL_INVALID + err on failure). */
val fn_sb_val(strbuf *b, fn_err *err);

#endif
