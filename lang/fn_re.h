/*
 * lang/fn_re.h — a small regular-expression engine with Go's RE2 syntax and
 * leftmost-first (Perl-like) match semantics, for regex(), regexall() and
 * replace(str, "/re/", repl).
 *
 * Supported: literals, ., [classes] with ranges, negation and [:posix:]
 * names, \d \w \s \D \W \S, \pL \pN (approximate Unicode letters/digits),
 * \x.. \x{..} \a \f \t \n \r \v and escaped punctuation, \Q...\E, anchors
 * ^ $ \A \z \b \B, groups ( ) (?: ) (?P<name> ) (?<name> ), flags
 * (?imsU) and (?imsU:re), alternation, * + ? {n} {n,} {n,m} and their lazy
 * forms.  No backreferences or lookaround (RE2 has none).
 *
 * Matching is a Pike VM (as Go's): time O(len(input) * len(program)), so no
 * input can make it run away; program size is capped by RE_MAX_PROG.
 * Positions are byte offsets; the input is decoded as UTF-8 (invalid bytes
 * match as U+FFFD, one byte each).
 */
#ifndef CAIRN_FN_RE_H
#define CAIRN_FN_RE_H

#include <stddef.h>
#include "lang/diag.h"

#define RE_MAX_PROG 8000     /* compiled instructions */
#define RE_MAX_REPEAT 1000   /* largest {n,m} count, as Go */
#define RE_MAX_DEPTH 200     /* group nesting */

typedef struct re_prog re_prog;

/* Why a pattern did not compile, in Go's terms: code ("missing closing )")
 * and the offending expression text. */
typedef struct re_error {
    char code[64];
    char expr[192];
} re_error;

/* Compile pattern pat (len bytes).  Returns an owned program, or NULL with
 * *err filled. */
re_prog *re_compile(const char *pat, size_t len, re_error *err);
void re_free(re_prog *re);

/* Number of capture groups (not counting the whole match). */
size_t re_ngroups(const re_prog *re);
/* Name of group i (1-based), or NULL when unnamed.  Borrowed. */
const char *re_group_name(const re_prog *re, size_t i);

/* Find the leftmost-first match in s[0..len) starting at or after byte
 * `from` (assertions see the whole string).  caps must hold
 * 2*(re_ngroups+1) entries: start/end of the match and of every group (-1
 * for groups that did not take part).  Returns 1 on a match, 0 when there
 * is none, -1 when out of memory. */
int re_search(const re_prog *re, const char *s, size_t len, size_t from, long *caps);

/* Go's Regexp.ReplaceAllString: every match replaced by tmpl with $1,
 * ${1}, $name, ${name} and $$ expanded.  Appends to out; 0 or -1. */
int re_replace_all(const re_prog *re, const char *s, size_t len, const char *tmpl,
                   size_t tl, strbuf *out);

#endif
