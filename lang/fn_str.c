/*
 * lang/fn_str.c — string functions: chomp endswith indent join lower
 * regex regexall replace split startswith strcontains strrev substr title
 * trim trimprefix trimsuffix trimspace upper.  Semantics follow cty's
 * stdlib and Terraform's lang/funcs (Go's strings package underneath).
 */
#include "lang/fn_int.h"
#include "lang/fn_re.h"

#include <stdlib.h>
#include <string.h>

#define S(i) val_get_string(a[i])
#define L(i) val_string_len(a[i])

/* Simple case mapping: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic. */
static unsigned fn_to_upper(unsigned c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0x80)
        return c;
    if (c == 0xB5)
        return 0x39C;
    if (c == 0xFF)
        return 0x178;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return c - 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
        int odd_lower = !((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E));
        if (odd_lower ? (c & 1) : !(c & 1))
            return c - 1;
        return c;
    }
    if (c == 0x3C2)
        return 0x3A3;
    if (c >= 0x3B1 && c <= 0x3CB)
        return c - 32;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

static unsigned fn_to_lower(unsigned c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if (c == 0x178)
        return 0xFF;
    if (c == 0x130)
        return 'i';
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        int odd_lower = !((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E));
        if (odd_lower ? !(c & 1) : (c & 1))
            return c + 1;
        return c;
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

static int fn_is_letter(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c != 0xD7 && c != 0xF7);
}

static val fn_map_case(const val *a, unsigned (*f)(unsigned), fn_err *e)
{
    strbuf b = {0};
    const char *s = S(0);
    size_t len = L(0), i = 0;
    while (i < len) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD && k == 1 && (unsigned char)s[i] >= 0x80)
            sb_append(&b, s + i, 1);   /* keep invalid bytes as they are */
        else
            fn_utf8_put(&b, f(cp));
        i += k;
    }
    return fn_sb_val(&b, e);
}

static val fn_upper(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return fn_map_case(a, fn_to_upper, e);
}

static val fn_lower(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return fn_map_case(a, fn_to_lower, e);
}

/* Go's strings.Title: upper-case the first letter of every word; a word
 * starts after a separator (space or ASCII punctuation other than '_'). */
static val fn_title(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    strbuf b = {0};
    const char *s = S(0);
    size_t len = L(0), i = 0;
    int prev_sep = 1;
    while (i < len) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + i, len - i, &cp);
        fn_utf8_put(&b, prev_sep ? fn_to_upper(cp) : cp);
        if (cp < 0x80) {
            prev_sep = !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                         (cp >= 'A' && cp <= 'Z') || cp == '_');
        } else {
            prev_sep = cp == 0x85 || cp == 0xA0 || cp == 0x2028 || cp == 0x2029 ||
                       cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
            if (!prev_sep && !fn_is_letter(cp))
                prev_sep = 0;
        }
        i += k;
    }
    return fn_sb_val(&b, e);
}

static val fn_strrev(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *s = S(0);
    size_t len = L(0), i = 0;
    char *out = malloc(len + 1);
    if (!out)
        return fn_errf(e, -1, "out of memory");
    size_t pos = len;
    while (i < len) {
        size_t next = fn_str_char_off(s + i, len - i, 1);
        pos -= next;
        memcpy(out + pos, s + i, next);
        i += next;
    }
    out[len] = 0;
    return val_string_own(out, len);
}

static val fn_substr(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    const char *s = S(0);
    size_t len = L(0);
    double off = val_get_number(a[1]), cnt = val_get_number(a[2]);
    if (!fn_is_int(off) || !fn_is_int(cnt))
        return fn_errf(e, -1, "value must be a whole number, between "
                              "-9223372036854775808 and 9223372036854775807");
    long long o = (long long)off, l = (long long)cnt;
    size_t total = fn_str_chars(s, len);
    if (o < 0)
        o += (long long)total;
    else if (l == 0)
        return val_string("");
    if (o < 0)
        o = 0;   /* cty walks from the start when the offset is still negative */
    if ((size_t)o >= total && o > 0)
        return val_string("");
    size_t start = fn_str_char_off(s, len, (size_t)o);
    if (l < 0)
        return val_string_n(s + start, len - start);
    size_t end = start + fn_str_char_off(s + start, len - start, l == 0 ? 1 : (size_t)l);
    return val_string_n(s + start, end - start);
}

static val fn_join(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c;
    if (n < 2)
        return fn_errf(e, -1, "at least one list is required");
    for (size_t i = 1; i < n; i++)
        if (!val_is_wholly_known(a[i]))
            return val_unknown(ty_string());
    strbuf b = {0};
    int first = 1;
    for (size_t i = 1; i < n; i++) {
        for (size_t j = 0; j < val_len(a[i]); j++) {
            val el = *val_at(a[i], j);
            if (val_is_null(el)) {
                sb_free(&b);
                if (n > 2)
                    return fn_errf(e, (int)i, "element %zu of list %zu is null; cannot "
                                              "concatenate null values", j, i);
                return fn_errf(e, (int)i, "element %zu is null; cannot concatenate null values",
                               j);
            }
            if (!first)
                sb_append(&b, S(0), L(0));
            first = 0;
            sb_append(&b, val_get_string(el), val_string_len(el));
        }
    }
    return fn_sb_val(&b, e);
}

/* Go's strings.Split: an empty separator splits into UTF-8 sequences. */
static val fn_split(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *sep = S(0), *s = S(1);
    size_t sl = L(0), len = L(1), i = 0, start = 0;
    val r = val_list_empty(ty_string());
    if (sl == 0) {
        while (i < len) {
            unsigned cp;
            size_t k = fn_utf8_decode(s + i, len - i, &cp);
            r = val_list_append(r, val_string_n(s + i, k));
            i += k;
        }
        return r;
    }
    while (i + sl <= len) {
        if (memcmp(s + i, sep, sl) == 0) {
            r = val_list_append(r, val_string_n(s + start, i - start));
            i += sl;
            start = i;
        } else {
            i++;
        }
    }
    return val_list_append(r, val_string_n(s + start, len - start));
}

static val fn_chomp(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *s = S(0);
    size_t len = L(0);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) {
        /* (?:\r\n?|\n)*\z: a lone trailing '\r' is removed too */
        len--;
    }
    return val_string_n(s, len);
}

static val fn_indent(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    double sp = val_get_number(a[0]);
    if (!fn_is_int(sp))
        return fn_errf(e, -1, "value must be a whole number, between "
                              "-9223372036854775808 and 9223372036854775807");
    if (sp < 0)
        return fn_errf(e, -1, "panic in function implementation: strings: negative Repeat "
                              "count");
    if (sp > 4096)
        return fn_errf(e, 0, "indent is too large");
    strbuf b = {0};
    const char *s = S(1);
    size_t len = L(1);
    for (size_t i = 0; i < len; i++) {
        sb_putc(&b, s[i]);
        if (s[i] == '\n')
            for (int k = 0; k < (int)sp; k++)
                sb_putc(&b, ' ');
    }
    return fn_sb_val(&b, e);
}

static int fn_is_space(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Last code point before byte offset end: returns its start. */
static size_t fn_prev_cp(const char *s, size_t end, unsigned *cp)
{
    size_t st = end - 1;
    while (st > 0 && end - st < 4 && ((unsigned char)s[st] & 0xC0) == 0x80)
        st--;
    size_t k = fn_utf8_decode(s + st, end - st, cp);
    if (st + k != end) {
        *cp = 0xFFFD;
        return end - 1;
    }
    return st;
}

static val fn_trimspace(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *s = S(0);
    size_t len = L(0), st = 0;
    while (st < len) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + st, len - st, &cp);
        if (!fn_is_space(cp))
            break;
        st += k;
    }
    while (len > st) {
        unsigned cp;
        size_t p = fn_prev_cp(s, len, &cp);
        if (!fn_is_space(cp))
            break;
        len = p;
    }
    return val_string_n(s + st, len - st);
}

static int fn_in_cutset(unsigned cp, const char *cut, size_t cl)
{
    size_t i = 0;
    while (i < cl) {
        unsigned c2;
        i += fn_utf8_decode(cut + i, cl - i, &c2);
        if (c2 == cp)
            return 1;
    }
    return 0;
}

static val fn_trim(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *s = S(0), *cut = S(1);
    size_t len = L(0), cl = L(1), st = 0;
    while (st < len) {
        unsigned cp;
        size_t k = fn_utf8_decode(s + st, len - st, &cp);
        if (!fn_in_cutset(cp, cut, cl))
            break;
        st += k;
    }
    while (len > st) {
        unsigned cp;
        size_t p = fn_prev_cp(s, len, &cp);
        if (!fn_in_cutset(cp, cut, cl))
            break;
        len = p;
    }
    return val_string_n(s + st, len - st);
}

static val fn_trimprefix(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    if (L(1) <= L(0) && memcmp(S(0), S(1), L(1)) == 0)
        return val_string_n(S(0) + L(1), L(0) - L(1));
    return val_copy(a[0]);
}

static val fn_trimsuffix(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    if (L(1) <= L(0) && memcmp(S(0) + L(0) - L(1), S(1), L(1)) == 0)
        return val_string_n(S(0), L(0) - L(1));
    return val_copy(a[0]);
}

static val fn_startswith(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_bool(L(1) <= L(0) && memcmp(S(0), S(1), L(1)) == 0);
}

static val fn_endswith(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_bool(L(1) <= L(0) && memcmp(S(0) + L(0) - L(1), S(1), L(1)) == 0);
}

static val fn_strcontains(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    return val_bool(memmem(S(0), L(0), S(1), L(1)) != NULL);
}

/* Go's strings.Replace(s, old, new, -1). */
static val fn_replace_plain(const char *s, size_t len, const char *old, size_t ol,
                            const char *rep, size_t rl, fn_err *e)
{
    strbuf b = {0};
    size_t i = 0;
    if (ol == 0) {
        sb_append(&b, rep, rl);
        while (i < len) {
            unsigned cp;
            size_t k = fn_utf8_decode(s + i, len - i, &cp);
            sb_append(&b, s + i, k);
            sb_append(&b, rep, rl);
            i += k;
        }
        return fn_sb_val(&b, e);
    }
    while (i < len) {
        if (i + ol <= len && memcmp(s + i, old, ol) == 0) {
            sb_append(&b, rep, rl);
            i += ol;
        } else {
            sb_putc(&b, s[i++]);
        }
    }
    return fn_sb_val(&b, e);
}

static val fn_replace(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    const char *sub = S(1);
    size_t sl = L(1);
    if (sl > 1 && sub[0] == '/' && sub[sl - 1] == '/') {
        re_error rerr;
        re_prog *re = re_compile(sub + 1, sl - 2, &rerr);
        if (!re)
            return fn_errf(e, -1, "error parsing regexp: %s: `%s`", rerr.code, rerr.expr);
        strbuf b = {0};
        int rc = re_replace_all(re, S(0), L(0), S(2), L(2), &b);
        re_free(re);
        if (rc < 0) {
            sb_free(&b);
            return fn_errf(e, -1, "regular expression is too complex for this input");
        }
        return fn_sb_val(&b, e);
    }
    return fn_replace_plain(S(0), L(0), sub, sl, S(2), L(2), e);
}

/* ------------------------------------------------------------ regex */

/* The result shape of a pattern: 0 plain string, 1 tuple of unnamed groups,
 * 2 object of named groups; -1 with err filled. */
static int fn_re_shape(const re_prog *re, fn_err *e)
{
    size_t ng = re_ngroups(re), named = 0;
    for (size_t i = 1; i <= ng; i++)
        if (re_group_name(re, i))
            named++;
    if (ng == 0)
        return 0;
    if (named && named != ng) {
        fn_errf(e, 0, "invalid regexp pattern: cannot mix both named and unnamed capture groups");
        return -1;
    }
    return named ? 2 : 1;
}

static val fn_re_result(const re_prog *re, int shape, const char *s, const long *caps)
{
    size_t ng = re_ngroups(re);
    if (shape == 0)
        return val_string_n(s + caps[0], (size_t)(caps[1] - caps[0]));
    val r = shape == 1 ? val_tuple_empty() : val_object_empty();
    for (size_t g = 1; g <= ng; g++) {
        long st = caps[2 * g], en = caps[2 * g + 1];
        val v = st < 0 || en < 0 ? val_null_of(ty_string())
                                 : val_string_n(s + st, (size_t)(en - st));
        if (shape == 1)
            r = val_tuple_append(r, v);
        else
            r = val_object_set(r, re_group_name(re, g), v);
    }
    return r;
}

static re_prog *fn_re_compile(const val *a, fn_err *e)
{
    re_error rerr;
    re_prog *re = re_compile(S(0), L(0), &rerr);
    if (!re)
        fn_errf(e, 0, "invalid regexp pattern: %s in %s", rerr.code, rerr.expr);
    return re;
}

static val fn_regex(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    re_prog *re = fn_re_compile(a, e);
    if (!re)
        return val_invalid();
    int shape = fn_re_shape(re, e);
    val r = val_invalid();
    if (shape < 0)
        goto out;
    if (val_is_unknown(a[1])) {
        r = val_unknown(ty_any());
        goto out;
    }
    long *caps = calloc(2 * (re_ngroups(re) + 1), sizeof *caps);
    if (!caps) {
        fn_errf(e, -1, "out of memory");
        goto out;
    }
    int m = re_search(re, S(1), L(1), 0, caps);
    if (m == 0)
        fn_errf(e, -1, "pattern did not match any part of the given string");
    else if (m < 0)
        fn_errf(e, -1, "regular expression is too complex for this input");
    else
        r = fn_re_result(re, shape, S(1), caps);
    free(caps);
out:
    re_free(re);
    return r;
}

static val fn_regexall(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    re_prog *re = fn_re_compile(a, e);
    if (!re)
        return val_invalid();
    int shape = fn_re_shape(re, e);
    val r = val_invalid();
    long *caps = NULL;
    if (shape < 0)
        goto out;
    caps = calloc(2 * (re_ngroups(re) + 1), sizeof *caps);
    if (!caps) {
        fn_errf(e, -1, "out of memory");
        goto out;
    }
    {
        const char *s = S(1);
        size_t len = L(1), pos = 0;
        long prev_end = -1;
        ty *et = NULL;
        r = val_invalid();
        val items = val_invalid();
        while (pos <= len) {
            int m = re_search(re, s, len, pos, caps);
            if (m < 0) {
                val_free(items);
                ty_free(et);
                fn_errf(e, -1, "regular expression is too complex for this input");
                goto out;
            }
            if (m == 0)
                break;
            int accept = 1;
            if ((size_t)caps[1] == pos) {
                /* Go ignores an empty match right after the previous one */
                if (caps[0] == prev_end)
                    accept = 0;
                unsigned cp;
                pos += pos < len ? fn_utf8_decode(s + pos, len - pos, &cp) : 1;
            } else {
                pos = (size_t)caps[1];
            }
            prev_end = caps[1];
            if (!accept)
                continue;
            val item = fn_re_result(re, shape, s, caps);
            if (!et) {
                et = val_type(item);
                items = val_list_empty(ty_copy(et));
            }
            items = val_list_append(items, item);
        }
        if (!et) {
            /* no match: an empty list of the pattern's result type */
            for (size_t i = 0; i < 2 * (re_ngroups(re) + 1); i++)
                caps[i] = -1;
            if (shape == 0) {
                items = val_list_empty(ty_string());
            } else {
                val probe = fn_re_result(re, shape, "", caps);
                items = val_list_empty(val_type(probe));
                val_free(probe);
            }
        }
        ty_free(et);
        r = items;
    }
out:
    free(caps);
    re_free(re);
    return r;
}

static const fn_param p_str[] = {{"str", FN_T_STRING, 0}};
static const fn_param p_str_cut[] = {{"str", FN_T_STRING, 0}, {"cutset", FN_T_STRING, 0}};
static const fn_param p_str_pre[] = {{"str", FN_T_STRING, 0}, {"prefix", FN_T_STRING, 0}};
static const fn_param p_str_suf[] = {{"str", FN_T_STRING, 0}, {"suffix", FN_T_STRING, 0}};
static const fn_param p_str_sub[] = {{"str", FN_T_STRING, 0}, {"substr", FN_T_STRING, 0}};
static const fn_param p_substr[] = {
    {"str", FN_T_STRING, 0}, {"offset", FN_T_NUMBER, 0}, {"length", FN_T_NUMBER, 0}};
static const fn_param p_join[] = {{"separator", FN_T_STRING, 0}};
static const fn_param p_join_v = {"lists", FN_T_LIST_STRING, 0};
static const fn_param p_split[] = {{"separator", FN_T_STRING, 0}, {"str", FN_T_STRING, 0}};
static const fn_param p_indent[] = {{"spaces", FN_T_NUMBER, 0}, {"str", FN_T_STRING, 0}};
static const fn_param p_replace[] = {
    {"str", FN_T_STRING, 0}, {"substr", FN_T_STRING, 0}, {"replace", FN_T_STRING, 0}};
static const fn_param p_regex[] = {{"pattern", FN_T_STRING, 0}, {"string", FN_T_STRING, 0}};

static ty *fn_regex_type(const val *a, size_t n)
{
    (void)a, (void)n;
    return ty_any();
}

static ty *fn_regexall_type(const val *a, size_t n)
{
    (void)a, (void)n;
    return ty_list(ty_any());
}

const fn_def fn_str_defs[] = {
    {"chomp", p_str, 1, NULL, FN_T_STRING, NULL, fn_chomp, 0, "Remove trailing newlines."},
    {"endswith", p_str_suf, 2, NULL, FN_T_BOOL, NULL, fn_endswith, 0, "Suffix test."},
    {"indent", p_indent, 2, NULL, FN_T_STRING, NULL, fn_indent, 0, "Indent all but line 1."},
    {"join", p_join, 1, &p_join_v, FN_T_STRING, NULL, fn_join, 0, "Join lists of strings."},
    {"lower", p_str, 1, NULL, FN_T_STRING, NULL, fn_lower, 0, "Lower-case."},
    {"regex", p_regex, 2, NULL, FN_T_ANY, fn_regex_type, fn_regex, 0, "First regex match."},
    {"regexall", p_regex, 2, NULL, FN_T_ANY, fn_regexall_type, fn_regexall, 0,
     "All regex matches."},
    {"replace", p_replace, 3, NULL, FN_T_STRING, NULL, fn_replace, 0,
     "Replace substrings or /regex/ matches."},
    {"split", p_split, 2, NULL, FN_T_LIST_STRING, NULL, fn_split, 0, "Split a string."},
    {"startswith", p_str_pre, 2, NULL, FN_T_BOOL, NULL, fn_startswith, 0, "Prefix test."},
    {"strcontains", p_str_sub, 2, NULL, FN_T_BOOL, NULL, fn_strcontains, 0, "Substring test."},
    {"strrev", p_str, 1, NULL, FN_T_STRING, NULL, fn_strrev, 0, "Reverse characters."},
    {"substr", p_substr, 3, NULL, FN_T_STRING, NULL, fn_substr, 0, "Substring by characters."},
    {"title", p_str, 1, NULL, FN_T_STRING, NULL, fn_title, 0, "Title-case words."},
    {"trim", p_str_cut, 2, NULL, FN_T_STRING, NULL, fn_trim, 0, "Trim characters."},
    {"trimprefix", p_str_pre, 2, NULL, FN_T_STRING, NULL, fn_trimprefix, 0, "Trim a prefix."},
    {"trimspace", p_str, 1, NULL, FN_T_STRING, NULL, fn_trimspace, 0, "Trim whitespace."},
    {"trimsuffix", p_str_suf, 2, NULL, FN_T_STRING, NULL, fn_trimsuffix, 0, "Trim a suffix."},
    {"upper", p_str, 1, NULL, FN_T_STRING, NULL, fn_upper, 0, "Upper-case."},
};
const size_t fn_str_defs_count = sizeof fn_str_defs / sizeof *fn_str_defs;
