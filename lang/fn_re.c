/*
 * lang/fn_re.c — the regular-expression engine of fn_re.h: a recursive
 * descent parser for Go's RE2 syntax into a node tree, a compiler to a small
 * instruction set, and a Pike VM with Go's leftmost-first thread priorities.
 *
 * Must stay true: every class is a sorted, merged list of code-point
 * ranges; the VM never revisits a pc at one position (that is what bounds
 * its time).
 */
#include "lang/fn_re.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RE_MAX_NODES 20000
#define RE_MAX_VM_CELLS (4u * 1024 * 1024)  /* nprog * ncap bound */
#define RE_MAX_RUNE 0x10FFFFu

typedef struct re_range { unsigned lo, hi; } re_range;
typedef struct re_class { re_range *r; size_t n, cap; } re_class;

enum re_assert { A_BEGIN_TEXT, A_END_TEXT, A_BEGIN_LINE, A_END_LINE, A_WORD, A_NOT_WORD };
enum re_op { OP_CLASS, OP_SPLIT, OP_JMP, OP_SAVE, OP_ASSERT, OP_MATCH };
typedef struct re_inst { uint8_t op; int x, y; } re_inst;

struct re_prog {
    re_inst *ins;
    size_t nins;
    re_class *cls;
    size_t ncls;
    size_t ngroups;
    char **names;     /* [ngroups+1], NULL for unnamed */
};

enum re_ntype { N_EMPTY, N_CLASS, N_CAT, N_ALT, N_REP, N_GROUP, N_ASSERT };
typedef struct re_node {
    int type;
    int a, b;         /* children (CAT/ALT), a for REP/GROUP */
    int min, max, greedy, cap, cls, kind;
} re_node;

struct re_flags { int i, m, s, U; };

typedef struct re_parser {
    const char *p, *end, *start;
    re_node *nodes;
    size_t nnodes;
    re_prog *prog;
    re_error *err;
    int depth;
    int failed;
    const char *quote_last;    /* last rune of a \Q...\E run, parsed alone */
    const char *quote_resume;  /* where parsing resumes after it */
} re_parser;

/* ------------------------------------------------------------ classes */

static int re_class_add(re_class *c, unsigned lo, unsigned hi)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 8;
        re_range *r = realloc(c->r, nc * sizeof *r);
        if (!r)
            return -1;
        c->r = r;
        c->cap = nc;
    }
    c->r[c->n].lo = lo;
    c->r[c->n].hi = hi;
    c->n++;
    return 0;
}

static int re_cmp_range(const void *a, const void *b)
{
    const re_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void re_class_norm(re_class *c)
{
    if (c->n == 0)
        return;
    qsort(c->r, c->n, sizeof *c->r, re_cmp_range);
    size_t w = 0;
    for (size_t i = 1; i < c->n; i++) {
        if (c->r[i].lo <= c->r[w].hi + 1) {
            if (c->r[i].hi > c->r[w].hi)
                c->r[w].hi = c->r[i].hi;
        } else {
            c->r[++w] = c->r[i];
        }
    }
    c->n = w + 1;
}

static int re_class_negate(re_class *c)
{
    re_class o = {0};
    unsigned next = 0;
    re_class_norm(c);
    for (size_t i = 0; i < c->n; i++) {
        if (c->r[i].lo > next && re_class_add(&o, next, c->r[i].lo - 1) < 0)
            goto fail;
        next = c->r[i].hi + 1;
    }
    if (next <= RE_MAX_RUNE && re_class_add(&o, next, RE_MAX_RUNE) < 0)
        goto fail;
    free(c->r);
    *c = o;
    return 0;
fail:
    free(o.r);
    return -1;
}

/* Other-case forms of cp (Go folds a few non-ASCII letters too). */
static size_t re_folds(unsigned cp, unsigned out[3])
{
    size_t n = 0;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) ||
        (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2) || (cp >= 0x430 && cp <= 0x44F))
        out[n++] = cp - 32;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
        (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F))
        out[n++] = cp + 32;
    if (cp >= 0x450 && cp <= 0x45F)
        out[n++] = cp - 80;
    if (cp >= 0x400 && cp <= 0x40F)
        out[n++] = cp + 80;
    if (cp == 'k' || cp == 'K')
        out[n++] = 0x212A;
    if (cp == 0x212A) {
        out[n++] = 'k';
        out[n++] = 'K';
    }
    if (cp == 's' || cp == 'S')
        out[n++] = 0x17F;
    if (cp == 0x17F) {
        out[n++] = 's';
        out[n++] = 'S';
    }
    return n;
}

static int re_class_fold(re_class *c)
{
    size_t n0 = c->n;
    for (size_t i = 0; i < n0; i++) {
        unsigned lo = c->r[i].lo, hi = c->r[i].hi;
        unsigned top = hi < 0x500 ? hi : 0x4FF;
        for (unsigned cp = lo; cp <= top && lo < 0x500; cp++) {
            unsigned f[3];
            size_t k = re_folds(cp, f);
            for (size_t j = 0; j < k; j++)
                if (re_class_add(c, f[j], f[j]) < 0)
                    return -1;
        }
        if (lo <= 0x212A && hi >= 0x212A && (re_class_add(c, 'k', 'k') < 0 ||
                                              re_class_add(c, 'K', 'K') < 0))
            return -1;
    }
    re_class_norm(c);
    return 0;
}

static int re_class_has(const re_class *c, unsigned cp)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < c->r[mid].lo)
            hi = mid;
        else if (cp > c->r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ parser */

static void re_fail(re_parser *ps, const char *code, const char *expr, size_t elen)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    snprintf(ps->err->code, sizeof ps->err->code, "%s", code);
    if (elen >= sizeof ps->err->expr)
        elen = sizeof ps->err->expr - 1;
    memcpy(ps->err->expr, expr, elen);
    ps->err->expr[elen] = 0;
}

static int re_node_new(re_parser *ps, int type)
{
    if (ps->nnodes >= RE_MAX_NODES) {
        re_fail(ps, "expression too large", ps->start, (size_t)(ps->end - ps->start));
        return -1;
    }
    re_node *n = &ps->nodes[ps->nnodes];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->a = n->b = -1;
    return (int)ps->nnodes++;
}

/* Add a class to the program; returns its index or -1. */
static int re_prog_class(re_parser *ps, re_class *c)
{
    re_prog *pr = ps->prog;
    re_class *nc = realloc(pr->cls, (pr->ncls + 1) * sizeof *nc);
    if (!nc) {
        free(c->r);
        re_fail(ps, "out of memory", "", 0);
        return -1;
    }
    pr->cls = nc;
    pr->cls[pr->ncls] = *c;
    return (int)pr->ncls++;
}

static int re_class_node(re_parser *ps, re_class *c, const struct re_flags *fl)
{
    if (fl->i && re_class_fold(c) < 0) {
        free(c->r);
        re_fail(ps, "out of memory", "", 0);
        return -1;
    }
    re_class_norm(c);
    int ci = re_prog_class(ps, c);
    if (ci < 0)
        return -1;
    int n = re_node_new(ps, N_CLASS);
    if (n >= 0)
        ps->nodes[n].cls = ci;
    return n;
}

static size_t re_decode(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        c &= 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return n;
}

static int re_add_ranges(re_class *c, const unsigned *r, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        if (re_class_add(c, r[i], r[i + 1]) < 0)
            return -1;
    return 0;
}

static const unsigned R_DIGIT[] = {'0', '9'};
static const unsigned R_SPACE[] = {'\t', '\n', '\f', '\r', ' ', ' '};
static const unsigned R_WORD[] = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
static const unsigned R_LETTER[] = {'A', 'Z', 'a', 'z', 0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA,
                                    0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2C1, 0x370, 0x3FF,
                                    0x400, 0x52F, 0x3040, 0x30FF, 0x4E00, 0x9FFF,
                                    0xAC00, 0xD7A3};

/* Approximate ranges of common Unicode scripts for \p{Script}. */
struct re_script_def { const char *name; unsigned r[8]; size_t n; };
static const struct re_script_def re_scripts[] = {
    {"Latin", {'A', 'Z', 'a', 'z', 0xC0, 0x24F, 0x1E00, 0x1EFF}, 8},
    {"Greek", {0x370, 0x3FF, 0x1F00, 0x1FFF}, 4},
    {"Cyrillic", {0x400, 0x52F}, 2},
    {"Armenian", {0x531, 0x58F}, 2},
    {"Hebrew", {0x591, 0x5FF}, 2},
    {"Arabic", {0x600, 0x6FF, 0x750, 0x77F}, 4},
    {"Devanagari", {0x900, 0x97F}, 2},
    {"Thai", {0xE01, 0xE5B}, 2},
    {"Hiragana", {0x3041, 0x309F}, 2},
    {"Katakana", {0x30A0, 0x30FF}, 2},
    {"Han", {0x2E80, 0x2FDF, 0x3400, 0x4DBF, 0x4E00, 0x9FFF}, 6},
    {"Hangul", {0x1100, 0x11FF, 0xAC00, 0xD7A3}, 4},
    {"Lu", {'A', 'Z', 0xC0, 0xD6, 0xD8, 0xDE}, 6},
    {"Ll", {'a', 'z', 0xDF, 0xF6, 0xF8, 0xFF}, 6},
    {"Nd", {'0', '9'}, 2},
    {"N", {'0', '9', 0xB2, 0xB3, 0xB9, 0xB9, 0xBC, 0xBE}, 8},
    {"P", {'!', '#', '%', '*', ',', '/', ':', ';'}, 8},
    {"Zs", {' ', ' ', 0xA0, 0xA0, 0x2000, 0x200A, 0x3000, 0x3000}, 8},
};

static int re_script(const char *name, size_t nl, re_class *t, int *rc)
{
    for (size_t k = 0; k < sizeof re_scripts / sizeof *re_scripts; k++)
        if (strlen(re_scripts[k].name) == nl && !memcmp(re_scripts[k].name, name, nl)) {
            for (size_t i = 0; i + 1 < re_scripts[k].n; i += 2)
                if (re_class_add(t, re_scripts[k].r[i], re_scripts[k].r[i + 1]) < 0)
                    *rc = -1;
            return 1;
        }
    return 0;
}

struct re_posix { const char *name; unsigned r[10]; size_t n; };
static const struct re_posix re_posix_tab[] = {
    {"alnum", {'0', '9', 'A', 'Z', 'a', 'z'}, 6},
    {"alpha", {'A', 'Z', 'a', 'z'}, 4},
    {"ascii", {0, 0x7F}, 2},
    {"blank", {'\t', '\t', ' ', ' '}, 4},
    {"cntrl", {0, 0x1F, 0x7F, 0x7F}, 4},
    {"digit", {'0', '9'}, 2},
    {"graph", {'!', '~'}, 2},
    {"lower", {'a', 'z'}, 2},
    {"print", {' ', '~'}, 2},
    {"punct", {'!', '/', ':', '@', '[', '`', '{', '~'}, 8},
    {"space", {'\t', '\r', ' ', ' '}, 4},
    {"upper", {'A', 'Z'}, 2},
    {"word", {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, 8},
    {"xdigit", {'0', '9', 'A', 'F', 'a', 'f'}, 6},
};

/* Perl or \p class after a backslash at ps->p (pointing at the letter).
 * Adds to c; returns 1 if handled, 0 if not a class escape, -1 on error. */
static int re_perl_class(re_parser *ps, re_class *c)
{
    char ch = *ps->p;
    re_class t = {0};
    int neg = ch == 'D' || ch == 'S' || ch == 'W' || ch == 'P';
    int rc = 0;
    switch (ch) {
    case 'd': case 'D': rc = re_add_ranges(&t, R_DIGIT, 2); break;
    case 's': case 'S': rc = re_add_ranges(&t, R_SPACE, 6); break;
    case 'w': case 'W': rc = re_add_ranges(&t, R_WORD, 8); break;
    case 'p': case 'P': {
        const char *q = ps->p + 1, *name = q;
        size_t nl = 1;
        if (q < ps->end && *q == '{') {
            const char *e = memchr(q, '}', (size_t)(ps->end - q));
            if (!e) {
                re_fail(ps, "invalid character class range", ps->p - 1,
                        (size_t)(ps->end - ps->p + 1));
                return -1;
            }
            name = q + 1;
            nl = (size_t)(e - name);
            ps->p = e;
        } else if (q < ps->end) {
            ps->p = q;
        } else {
            re_fail(ps, "invalid character class range", ps->p - 1, 2);
            return -1;
        }
        if (nl > 0 && name[0] == '^') {
            neg = !neg;
            name++;
            nl--;
        }
        if ((nl == 1 && name[0] == 'L') || (nl == 6 && !memcmp(name, "Letter", 6)))
            rc = re_add_ranges(&t, R_LETTER, sizeof R_LETTER / sizeof *R_LETTER);
        else if ((nl == 1 && name[0] == 'N') || (nl == 2 && !memcmp(name, "Nd", 2)))
            rc = re_add_ranges(&t, R_DIGIT, 2);
        else if (nl == 2 && !memcmp(name, "Lu", 2))
            rc = re_add_ranges(&t, (const unsigned[]){'A', 'Z', 0xC0, 0xD6, 0xD8, 0xDE}, 6);
        else if (nl == 2 && !memcmp(name, "Ll", 2))
            rc = re_add_ranges(&t, (const unsigned[]){'a', 'z', 0xDF, 0xF6, 0xF8, 0xFF}, 6);
        else if (nl == 3 && !memcmp(name, "Any", 3))
            rc = re_class_add(&t, 0, RE_MAX_RUNE);
        else if (re_script(name, nl, &t, &rc))
            ;
        else {
            free(t.r);
            re_fail(ps, "invalid character class range", name, nl);
            return -1;
        }
        break;
    }
    default:
        return 0;
    }
    if (rc < 0 || (neg && re_class_negate(&t) < 0)) {
        free(t.r);
        re_fail(ps, "out of memory", "", 0);
        return -1;
    }
    for (size_t i = 0; i < t.n; i++)
        if (re_class_add(c, t.r[i].lo, t.r[i].hi) < 0) {
            free(t.r);
            re_fail(ps, "out of memory", "", 0);
            return -1;
        }
    free(t.r);
    ps->p++;
    return 1;
}

static int re_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A single-rune escape at ps->p (after the backslash).  Returns the rune
 * or -1 (error set). */
static long re_escape_rune(re_parser *ps)
{
    const char *bs = ps->p - 1;
    char ch = *ps->p++;
    switch (ch) {
    case 'a': return 7;
    case 'f': return '\f';
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'v': return '\v';
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        /* Go: octal only for \0 or when followed by more digits */
        if (ch != '0' && (ps->p >= ps->end || *ps->p < '0' || *ps->p > '7'))
            break;
        long v = ch - '0';
        for (int k = 0; k < 2 && ps->p < ps->end && *ps->p >= '0' && *ps->p <= '7'; k++)
            v = v * 8 + (*ps->p++ - '0');
        return v;
    }
    case 'x': {
        long v = 0;
        if (ps->p < ps->end && *ps->p == '{') {
            ps->p++;
            int nd = 0;
            while (ps->p < ps->end && re_hexval(*ps->p) >= 0) {
                v = v * 16 + re_hexval(*ps->p++);
                if (v > (long)RE_MAX_RUNE)
                    break;
                nd++;
            }
            if (nd == 0 || ps->p >= ps->end || *ps->p != '}' || v > (long)RE_MAX_RUNE)
                break;
            ps->p++;
            return v;
        }
        if (ps->end - ps->p < 2 || re_hexval(ps->p[0]) < 0 || re_hexval(ps->p[1]) < 0)
            break;
        v = re_hexval(ps->p[0]) * 16 + re_hexval(ps->p[1]);
        ps->p += 2;
        return v;
    }
    default:
        if ((unsigned char)ch < 0x80 && !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                                          (ch >= 'A' && ch <= 'Z')))
            return (unsigned char)ch;
        break;
    }
    re_fail(ps, "invalid escape sequence", bs, (size_t)(ps->p - bs));
    return -1;
}

/* [class] at ps->p (just after '['). */
static int re_parse_class(re_parser *ps, const struct re_flags *fl)
{
    const char *whole = ps->p - 1;
    re_class c = {0};
    int neg = 0, first = 1;
    if (ps->p < ps->end && *ps->p == '^') {
        neg = 1;
        ps->p++;
    }
    for (;;) {
        if (ps->p >= ps->end) {
            re_fail(ps, "missing closing ]", whole, (size_t)(ps->end - whole));
            goto fail;
        }
        if (*ps->p == ']' && !first)
            break;
        first = 0;
        const char *item = ps->p;
        if (*ps->p == '[' && ps->p + 1 < ps->end && ps->p[1] == ':') {
            const char *e = ps->p + 2;
            while (e + 1 < ps->end && !(e[0] == ':' && e[1] == ']'))
                e++;
            if (e + 1 < ps->end) {
                const char *nm = ps->p + 2;
                int pneg = 0;
                if (nm < e && *nm == '^') {
                    pneg = 1;
                    nm++;
                }
                size_t nl = (size_t)(e - nm), k;
                for (k = 0; k < sizeof re_posix_tab / sizeof *re_posix_tab; k++)
                    if (strlen(re_posix_tab[k].name) == nl &&
                        !memcmp(nm, re_posix_tab[k].name, nl))
                        break;
                if (k == sizeof re_posix_tab / sizeof *re_posix_tab) {
                    re_fail(ps, "invalid character class range", item, (size_t)(e + 2 - item));
                    goto fail;
                }
                re_class t = {0};
                if (re_add_ranges(&t, re_posix_tab[k].r, re_posix_tab[k].n) < 0 ||
                    (pneg && re_class_negate(&t) < 0)) {
                    free(t.r);
                    goto oom;
                }
                for (size_t i = 0; i < t.n; i++)
                    if (re_class_add(&c, t.r[i].lo, t.r[i].hi) < 0) {
                        free(t.r);
                        goto oom;
                    }
                free(t.r);
                ps->p = e + 2;
                continue;
            }
        }
        if (*ps->p == '\\') {
            ps->p++;
            if (ps->p >= ps->end) {
                re_fail(ps, "trailing backslash at end of expression", "", 0);
                goto fail;
            }
            int r = re_perl_class(ps, &c);
            if (r < 0)
                goto fail;
            if (r > 0)
                continue;
            ps->p--;
        }
        long lo = -1, hi;
        if (*ps->p == '\\') {
            ps->p++;
            lo = re_escape_rune(ps);
            if (lo < 0)
                goto fail;
        } else {
            unsigned cp;
            ps->p += re_decode(ps->p, (size_t)(ps->end - ps->p), &cp);
            lo = cp;
        }
        hi = lo;
        if (ps->p + 1 < ps->end && *ps->p == '-' && ps->p[1] != ']') {
            ps->p++;
            if (*ps->p == '\\') {
                ps->p++;
                if (ps->p >= ps->end) {
                    re_fail(ps, "trailing backslash at end of expression", "", 0);
                    goto fail;
                }
                hi = re_escape_rune(ps);
                if (hi < 0)
                    goto fail;
            } else {
                unsigned cp;
                ps->p += re_decode(ps->p, (size_t)(ps->end - ps->p), &cp);
                hi = cp;
            }
            if (hi < lo) {
                re_fail(ps, "invalid character class range", item, (size_t)(ps->p - item));
                goto fail;
            }
        }
        if (re_class_add(&c, (unsigned)lo, (unsigned)hi) < 0)
            goto oom;
    }
    ps->p++;   /* ']' */
    if (fl->i && re_class_fold(&c) < 0)
        goto oom;
    if (neg && re_class_negate(&c) < 0)
        goto oom;
    {
        struct re_flags nf = *fl;
        nf.i = 0;   /* already folded */
        return re_class_node(ps, &c, &nf);
    }
oom:
    re_fail(ps, "out of memory", "", 0);
fail:
    free(c.r);
    return -1;
}

static int re_parse_alt(re_parser *ps, struct re_flags *fl);

static int re_single(re_parser *ps, unsigned lo, unsigned hi, const struct re_flags *fl)
{
    re_class c = {0};
    if (re_class_add(&c, lo, hi) < 0) {
        re_fail(ps, "out of memory", "", 0);
        return -1;
    }
    return re_class_node(ps, &c, fl);
}

static int re_assert_node(re_parser *ps, int kind)
{
    int n = re_node_new(ps, N_ASSERT);
    if (n >= 0)
        ps->nodes[n].kind = kind;
    return n;
}

/* Parse flags "imsU-..." up to ':' or ')'.  Returns ':' or ')' or -1. */
static int re_parse_flags(re_parser *ps, struct re_flags *fl, const char *open)
{
    int neg = 0, any = 0;
    struct re_flags nf = *fl;
    while (ps->p < ps->end) {
        char ch = *ps->p++;
        switch (ch) {
        case 'i': nf.i = !neg; any = 1; break;
        case 'm': nf.m = !neg; any = 1; break;
        case 's': nf.s = !neg; any = 1; break;
        case 'U': nf.U = !neg; any = 1; break;
        case '-':
            if (neg)
                goto bad;
            neg = 1;
            any = 0;
            break;
        case ':':
        case ')':
            if (neg && !any)
                goto bad;
            *fl = nf;
            return ch;
        default:
            goto bad;
        }
    }
bad:
    re_fail(ps, "invalid or unsupported Perl syntax", open, (size_t)(ps->p - open));
    return -1;
}

/* '(' already consumed. */
static int re_parse_group(re_parser *ps, struct re_flags *fl, int *is_flags_only)
{
    const char *open = ps->p - 1;
    struct re_flags inner = *fl;
    int cap = -1;
    *is_flags_only = 0;
    if (ps->p < ps->end && *ps->p == '?') {
        ps->p++;
        const char *nm = NULL;
        if (ps->p + 1 < ps->end && ps->p[0] == 'P' && ps->p[1] == '<')
            nm = ps->p + 2;
        else if (ps->p < ps->end && ps->p[0] == '<')
            nm = ps->p + 1;
        if (nm) {
            const char *e = nm;
            while (e < ps->end && *e != '>')
                e++;
            if (e >= ps->end) {
                re_fail(ps, "invalid named capture", open, (size_t)(ps->end - open));
                return -1;
            }
            for (const char *q = nm; q < e; q++)
                if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') ||
                      (*q >= 'A' && *q <= 'Z') || *q == '_'))
                    e = NULL, q = nm + (size_t)(ps->end - nm) - 1;
            if (!e || e == nm) {
                const char *ee = memchr(nm, '>', (size_t)(ps->end - nm));
                re_fail(ps, "invalid named capture", open, (size_t)(ee + 1 - open));
                return -1;
            }
            /* Go 1.19 accepts duplicate names; the last group wins in results */
            re_prog *pr = ps->prog;
            char **names = realloc(pr->names, (pr->ngroups + 2) * sizeof *names);
            if (!names) {
                re_fail(ps, "out of memory", "", 0);
                return -1;
            }
            pr->names = names;
            cap = (int)++pr->ngroups;
            names[cap] = xstrndup(nm, (size_t)(e - nm));
            ps->p = e + 1;
        } else {
            int r = re_parse_flags(ps, &inner, open);
            if (r < 0)
                return -1;
            if (r == ')') {
                *fl = inner;
                *is_flags_only = 1;
                return -1;
            }
        }
    } else {
        re_prog *pr = ps->prog;
        char **names = realloc(pr->names, (pr->ngroups + 2) * sizeof *names);
        if (!names) {
            re_fail(ps, "out of memory", "", 0);
            return -1;
        }
        pr->names = names;
        cap = (int)++pr->ngroups;
        names[cap] = NULL;
    }
    if (++ps->depth > RE_MAX_DEPTH) {
        re_fail(ps, "expression nests too deeply", open, (size_t)(ps->end - open));
        return -1;
    }
    int body = re_parse_alt(ps, &inner);
    ps->depth--;
    if (body < 0)
        return -1;
    if (ps->p >= ps->end || *ps->p != ')') {
        re_fail(ps, "missing closing )", ps->start, (size_t)(ps->end - ps->start));
        return -1;
    }
    ps->p++;
    if (cap < 0)
        return body;
    int n = re_node_new(ps, N_GROUP);
    if (n >= 0) {
        ps->nodes[n].a = body;
        ps->nodes[n].cap = cap;
    }
    return n;
}

/* One atom.  Returns a node, -1 on error, or -2 for "nothing" (a flags
 * group). */
static int re_parse_atom(re_parser *ps, struct re_flags *fl)
{
    char ch = *ps->p;
    if (ps->p == ps->quote_last) {
        unsigned cp;
        re_decode(ps->p, (size_t)(ps->end - ps->p), &cp);
        ps->p = ps->quote_resume;
        ps->quote_last = NULL;
        return re_single(ps, cp, cp, fl);
    }
    switch (ch) {
    case '(': {
        int fo;
        ps->p++;
        int n = re_parse_group(ps, fl, &fo);
        return fo ? -2 : n;
    }
    case '[':
        ps->p++;
        return re_parse_class(ps, fl);
    case '.':
        ps->p++;
        if (fl->s)
            return re_single(ps, 0, RE_MAX_RUNE, &(struct re_flags){0});
        {
            re_class c = {0};
            if (re_class_add(&c, 0, '\n' - 1) < 0 || re_class_add(&c, '\n' + 1, RE_MAX_RUNE) < 0) {
                free(c.r);
                re_fail(ps, "out of memory", "", 0);
                return -1;
            }
            return re_class_node(ps, &c, &(struct re_flags){0});
        }
    case '^':
        ps->p++;
        return re_assert_node(ps, fl->m ? A_BEGIN_LINE : A_BEGIN_TEXT);
    case '$':
        ps->p++;
        return re_assert_node(ps, fl->m ? A_END_LINE : A_END_TEXT);
    case '\\': {
        ps->p++;
        if (ps->p >= ps->end) {
            re_fail(ps, "trailing backslash at end of expression", "", 0);
            return -1;
        }
        switch (*ps->p) {
        case 'A': ps->p++; return re_assert_node(ps, A_BEGIN_TEXT);
        case 'z': ps->p++; return re_assert_node(ps, A_END_TEXT);
        case 'b': ps->p++; return re_assert_node(ps, A_WORD);
        case 'B': ps->p++; return re_assert_node(ps, A_NOT_WORD);
        case 'Q': {
            ps->p++;
            const char *q = ps->p, *e = ps->end;
            for (const char *t = q; t + 1 < ps->end; t++)
                if (t[0] == '\\' && t[1] == 'E') {
                    e = t;
                    break;
                }
            /* all but the last rune here; the last is its own atom so that
             * a following repetition applies to it alone (as Go) */
            const char *last = NULL;
            for (const char *t = q; t < e;) {
                unsigned cp;
                last = t;
                t += re_decode(t, (size_t)(e - t), &cp);
            }
            int acc = re_node_new(ps, N_EMPTY);
            while (acc >= 0 && q < e && q != last) {
                unsigned cp;
                q += re_decode(q, (size_t)(e - q), &cp);
                int lit = re_single(ps, cp, cp, fl);
                int cat = lit < 0 ? -1 : re_node_new(ps, N_CAT);
                if (cat < 0)
                    return -1;
                ps->nodes[cat].a = acc;
                ps->nodes[cat].b = lit;
                acc = cat;
            }
            if (last) {
                ps->quote_last = last;
                ps->quote_resume = e < ps->end ? e + 2 : e;
                ps->p = last;
                return acc;
            }
            ps->p = e < ps->end ? e + 2 : e;
            return acc;
        }
        default: break;
        }
        re_class c = {0};
        int r = re_perl_class(ps, &c);
        if (r < 0) {
            free(c.r);
            return -1;
        }
        if (r > 0)
            return re_class_node(ps, &c, fl);
        free(c.r);
        long cp = re_escape_rune(ps);
        if (cp < 0)
            return -1;
        return re_single(ps, (unsigned)cp, (unsigned)cp, fl);
    }
    default: {
        unsigned cp;
        ps->p += re_decode(ps->p, (size_t)(ps->end - ps->p), &cp);
        return re_single(ps, cp, cp, fl);
    }
    }
}

/* Try to read {n}, {n,} or {n,m} at ps->p.  Returns 1 and advances when it
 * is a repeat, 0 when the brace is a literal, -1 on a bad count. */
static int re_parse_braces(re_parser *ps, int *min, int *max)
{
    const char *q = ps->p + 1;
    long a = 0, b;
    int nd = 0;
    while (q < ps->end && *q >= '0' && *q <= '9') {
        if (a <= 100000)
            a = a * 10 + (*q - '0');
        q++;
        nd++;
    }
    if (!nd || q >= ps->end)
        return 0;
    b = a;
    if (*q == ',') {
        q++;
        if (q < ps->end && *q == '}') {
            b = -1;
        } else {
            b = 0;
            nd = 0;
            while (q < ps->end && *q >= '0' && *q <= '9') {
                if (b <= 100000)
                    b = b * 10 + (*q - '0');
                q++;
                nd++;
            }
            if (!nd)
                return 0;
        }
    }
    if (q >= ps->end || *q != '}')
        return 0;
    q++;
    if (a > RE_MAX_REPEAT || b > RE_MAX_REPEAT || (b >= 0 && b < a)) {
        re_fail(ps, "invalid repeat count", ps->p, (size_t)(q - ps->p));
        return -1;
    }
    ps->p = q;
    *min = (int)a;
    *max = (int)b;
    return 1;
}

/* Repetition operator at ps->p: 1 (filled), 0 none, -1 error. */
static int re_parse_repop(re_parser *ps, int *min, int *max)
{
    switch (*ps->p) {
    case '*': ps->p++; *min = 0; *max = -1; return 1;
    case '+': ps->p++; *min = 1; *max = -1; return 1;
    case '?': ps->p++; *min = 0; *max = 1; return 1;
    case '{': return re_parse_braces(ps, min, max);
    default: return 0;
    }
}

static int re_parse_cat(re_parser *ps, struct re_flags *fl)
{
    int acc = re_node_new(ps, N_EMPTY);
    while (acc >= 0 && ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        const char *opstart = ps->p;
        int min, max, r = ps->p == ps->quote_last ? 0 : re_parse_repop(ps, &min, &max);
        if (r != 0) {
            if (r > 0)
                re_fail(ps, "missing argument to repetition operator", opstart,
                        (size_t)(ps->p - opstart));
            return -1;
        }
        int atom = re_parse_atom(ps, fl);
        if (atom == -2)
            continue;
        if (atom < 0)
            return -1;
        int reps = 0;
        const char *first_op = ps->p;
        while (ps->p < ps->end && ps->p != ps->quote_last) {
            opstart = ps->p;
            r = re_parse_repop(ps, &min, &max);
            if (r < 0)
                return -1;
            if (r == 0)
                break;
            int greedy = 1;
            if (ps->p < ps->end && *ps->p == '?') {
                ps->p++;
                greedy = 0;
            }
            if (fl->U)
                greedy = !greedy;
            if (reps++) {
                re_fail(ps, "invalid nested repetition operator", first_op,
                        (size_t)(ps->p - first_op));
                return -1;
            }
            int n = re_node_new(ps, N_REP);
            if (n < 0)
                return -1;
            ps->nodes[n].a = atom;
            ps->nodes[n].min = min;
            ps->nodes[n].max = max;
            ps->nodes[n].greedy = greedy;
            atom = n;
        }
        int cat = re_node_new(ps, N_CAT);
        if (cat < 0)
            return -1;
        ps->nodes[cat].a = acc;
        ps->nodes[cat].b = atom;
        acc = cat;
    }
    return acc;
}

static int re_parse_alt(re_parser *ps, struct re_flags *fl)
{
    int left = re_parse_cat(ps, fl);
    while (left >= 0 && ps->p < ps->end && *ps->p == '|') {
        ps->p++;
        int right = re_parse_cat(ps, fl);
        if (right < 0)
            return -1;
        int n = re_node_new(ps, N_ALT);
        if (n < 0)
            return -1;
        ps->nodes[n].a = left;
        ps->nodes[n].b = right;
        left = n;
    }
    return left;
}

/* ------------------------------------------------------------ compiler */

typedef struct re_comp {
    re_prog *prog;
    size_t cap;
    const re_node *nodes;
    int failed;
} re_comp;

static int re_emit(re_comp *c, int op, int x, int y)
{
    if (c->prog->nins >= RE_MAX_PROG) {
        c->failed = 1;
        return -1;
    }
    if (c->prog->nins == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        re_inst *ni = realloc(c->prog->ins, nc * sizeof *ni);
        if (!ni) {
            c->failed = 1;
            return -1;
        }
        c->prog->ins = ni;
        c->cap = nc;
    }
    re_inst *in = &c->prog->ins[c->prog->nins];
    in->op = (uint8_t)op;
    in->x = x;
    in->y = y;
    return (int)c->prog->nins++;
}

static void re_comp_node(re_comp *c, int ni);

/* Whether node ni can match the empty string. */
static int re_nullable(const re_node *nodes, int ni)
{
    const re_node *n = &nodes[ni];
    switch (n->type) {
    case N_CLASS: return 0;
    case N_CAT: return re_nullable(nodes, n->a) && re_nullable(nodes, n->b);
    case N_ALT: return re_nullable(nodes, n->a) || re_nullable(nodes, n->b);
    case N_REP: return n->min == 0 || re_nullable(nodes, n->a);
    case N_GROUP: return re_nullable(nodes, n->a);
    default: return 1;
    }
}

/* One optional or star copy: greedy decides which branch comes first. */
static void re_comp_rep(re_comp *c, const re_node *n)
{
    for (int i = 0; i < n->min && !c->failed; i++) {
        if (n->max < 0 && i == n->min - 1) {
            int start = (int)c->prog->nins;
            re_comp_node(c, n->a);
            int sp = re_emit(c, OP_SPLIT, 0, 0);
            if (sp < 0)
                return;
            int out = (int)c->prog->nins;
            c->prog->ins[sp].x = n->greedy ? start : out;
            c->prog->ins[sp].y = n->greedy ? out : start;
            return;
        }
        re_comp_node(c, n->a);
    }
    if (n->max < 0 && re_nullable(c->nodes, n->a)) {
        /* as Go: x* with a nullable x is (x+)? to keep priorities right */
        int q = re_emit(c, OP_SPLIT, 0, 0);
        int start = (int)c->prog->nins;
        re_comp_node(c, n->a);
        int sp = re_emit(c, OP_SPLIT, 0, 0);
        if (q < 0 || sp < 0)
            return;
        int out = (int)c->prog->nins;
        c->prog->ins[sp].x = n->greedy ? start : out;
        c->prog->ins[sp].y = n->greedy ? out : start;
        c->prog->ins[q].x = n->greedy ? start : out;
        c->prog->ins[q].y = n->greedy ? out : start;
        return;
    }
    if (n->max < 0) {
        int sp = re_emit(c, OP_SPLIT, 0, 0);
        if (sp < 0)
            return;
        re_comp_node(c, n->a);
        re_emit(c, OP_JMP, sp, 0);
        int out = (int)c->prog->nins;
        if (c->failed)
            return;
        c->prog->ins[sp].x = n->greedy ? sp + 1 : out;
        c->prog->ins[sp].y = n->greedy ? out : sp + 1;
        return;
    }
    int opt = n->max - n->min;
    int splits[RE_MAX_REPEAT + 1];
    for (int i = 0; i < opt && !c->failed; i++) {
        splits[i] = re_emit(c, OP_SPLIT, 0, 0);
        re_comp_node(c, n->a);
    }
    if (c->failed)
        return;
    int out = (int)c->prog->nins;
    for (int i = 0; i < opt; i++) {
        c->prog->ins[splits[i]].x = n->greedy ? splits[i] + 1 : out;
        c->prog->ins[splits[i]].y = n->greedy ? out : splits[i] + 1;
    }
}

static void re_comp_node(re_comp *c, int ni)
{
    if (c->failed)
        return;
    const re_node *n = &c->nodes[ni];
    switch (n->type) {
    case N_EMPTY:
        break;
    case N_CLASS:
        re_emit(c, OP_CLASS, n->cls, 0);
        break;
    case N_ASSERT:
        re_emit(c, OP_ASSERT, n->kind, 0);
        break;
    case N_CAT:
        re_comp_node(c, n->a);
        re_comp_node(c, n->b);
        break;
    case N_ALT: {
        int sp = re_emit(c, OP_SPLIT, 0, 0);
        re_comp_node(c, n->a);
        int j = re_emit(c, OP_JMP, 0, 0);
        int l2 = (int)c->prog->nins;
        re_comp_node(c, n->b);
        if (c->failed)
            return;
        c->prog->ins[sp].x = sp + 1;
        c->prog->ins[sp].y = l2;
        c->prog->ins[j].x = (int)c->prog->nins;
        break;
    }
    case N_GROUP:
        re_emit(c, OP_SAVE, 2 * n->cap, 0);
        re_comp_node(c, n->a);
        re_emit(c, OP_SAVE, 2 * n->cap + 1, 0);
        break;
    case N_REP:
        re_comp_rep(c, n);
        break;
    }
}

void re_free(re_prog *re)
{
    if (!re)
        return;
    for (size_t i = 0; i < re->ncls; i++)
        free(re->cls[i].r);
    free(re->cls);
    if (re->names)
        for (size_t i = 0; i <= re->ngroups; i++)
            free(re->names[i]);
    free(re->names);
    free(re->ins);
    free(re);
}

re_prog *re_compile(const char *pat, size_t len, re_error *err)
{
    re_parser ps = {0};
    re_prog *pr = calloc(1, sizeof *pr);
    err->code[0] = err->expr[0] = 0;
    if (!pr)
        goto oom;
    pr->names = calloc(1, sizeof *pr->names);
    ps.nodes = malloc(RE_MAX_NODES * sizeof *ps.nodes);
    if (!pr->names || !ps.nodes)
        goto oom;
    ps.p = ps.start = pat;
    ps.end = pat + len;
    ps.prog = pr;
    ps.err = err;
    struct re_flags fl = {0};
    int root = re_parse_alt(&ps, &fl);
    if (root >= 0 && ps.p < ps.end) {
        re_fail(&ps, "unexpected )", pat, len);
        root = -1;
    }
    if (root < 0)
        goto fail;
    re_comp c = {pr, 0, ps.nodes, 0};
    re_emit(&c, OP_SAVE, 0, 0);
    re_comp_node(&c, root);
    re_emit(&c, OP_SAVE, 1, 0);
    re_emit(&c, OP_MATCH, 0, 0);
    if (c.failed || pr->nins * 2 * (pr->ngroups + 1) > RE_MAX_VM_CELLS) {
        re_fail(&ps, "expression too large", pat, len);
        goto fail;
    }
    free(ps.nodes);
    return pr;
oom:
    snprintf(err->code, sizeof err->code, "out of memory");
fail:
    free(ps.nodes);
    re_free(pr);
    return NULL;
}

size_t re_ngroups(const re_prog *re)
{
    return re->ngroups;
}

const char *re_group_name(const re_prog *re, size_t i)
{
    return i >= 1 && i <= re->ngroups ? re->names[i] : NULL;
}

/* ------------------------------------------------------------ Pike VM */

typedef struct re_queue {
    int *sparse, *dense;
    char *live;        /* dense slot holds a thread (consuming instruction) */
    long *caps;        /* ncap per dense slot */
    size_t n;
} re_queue;

typedef struct re_vm {
    const re_prog *re;
    const char *s;
    size_t len, ncap;
    int *stack;        /* pcs, or -(slot+2) entries paired with saved values */
    long *saved;
    size_t sp;
} re_vm;

static int re_is_word(long c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_';
}

static long re_rune_before(const char *s, size_t pos)
{
    if (pos == 0)
        return -1;
    size_t st = pos - 1;
    while (st > 0 && pos - st < 4 && ((unsigned char)s[st] & 0xC0) == 0x80)
        st--;
    unsigned cp;
    size_t k = re_decode(s + st, pos - st, &cp);
    return st + k == pos ? (long)cp : 0xFFFD;
}

static int re_assert_ok(const re_vm *vm, int kind, size_t pos)
{
    long before = re_rune_before(vm->s, pos);
    long after = -1;
    if (pos < vm->len) {
        unsigned cp;
        re_decode(vm->s + pos, vm->len - pos, &cp);
        after = cp;
    }
    switch (kind) {
    case A_BEGIN_TEXT: return pos == 0;
    case A_END_TEXT: return pos == vm->len;
    case A_BEGIN_LINE: return pos == 0 || before == '\n';
    case A_END_LINE: return pos == vm->len || after == '\n';
    case A_WORD: return re_is_word(before) != re_is_word(after);
    case A_NOT_WORD: return re_is_word(before) == re_is_word(after);
    }
    return 0;
}

static int re_q_has(const re_queue *q, int pc)
{
    int i = q->sparse[pc];
    return i >= 0 && (size_t)i < q->n && q->dense[i] == pc;
}

/* Add pc and everything reachable through empty-width instructions, in
 * priority order, with caps as the thread's captures (restored on exit). */
static void re_add(re_vm *vm, re_queue *q, int pc0, size_t pos, long *caps)
{
    vm->sp = 0;
    vm->stack[vm->sp++] = pc0;
    while (vm->sp > 0) {
        int e = vm->stack[--vm->sp];
        if (e < 0) {
            caps[-e - 2] = vm->saved[vm->sp];
            continue;
        }
        if (re_q_has(q, e))
            continue;
        size_t slot = q->n++;
        q->sparse[e] = (int)slot;
        q->dense[slot] = e;
        q->live[slot] = 0;
        const re_inst *in = &vm->re->ins[e];
        switch (in->op) {
        case OP_JMP:
            vm->stack[vm->sp++] = in->x;
            break;
        case OP_SPLIT:
            vm->stack[vm->sp++] = in->y;
            vm->stack[vm->sp++] = in->x;
            break;
        case OP_SAVE:
            if ((size_t)in->x < vm->ncap) {
                vm->saved[vm->sp] = caps[in->x];
                vm->stack[vm->sp++] = -(in->x + 2);
                caps[in->x] = (long)pos;
            }
            vm->stack[vm->sp++] = e + 1;
            break;
        case OP_ASSERT:
            if (re_assert_ok(vm, in->x, pos))
                vm->stack[vm->sp++] = e + 1;
            break;
        default:
            q->live[slot] = 1;
            memcpy(q->caps + slot * vm->ncap, caps, vm->ncap * sizeof *caps);
            break;
        }
    }
}

int re_search(const re_prog *re, const char *s, size_t len, size_t from, long *caps)
{
    size_t np = re->nins, ncap = 2 * (re->ngroups + 1);
    re_vm vm = {re, s, len, ncap, NULL, NULL, 0};
    re_queue qs[2] = {{0}, {0}};
    long *work = NULL;
    int matched = 0, rc = -1;

    vm.stack = malloc(3 * np * sizeof *vm.stack);
    vm.saved = malloc(3 * np * sizeof *vm.saved);
    work = malloc(ncap * sizeof *work);
    if (!vm.stack || !vm.saved || !work)
        goto out;
    for (int k = 0; k < 2; k++) {
        qs[k].sparse = malloc(np * sizeof(int));
        qs[k].dense = malloc(np * sizeof(int));
        qs[k].live = malloc(np);
        qs[k].caps = malloc(np * ncap * sizeof(long));
        if (!qs[k].sparse || !qs[k].dense || !qs[k].live || !qs[k].caps)
            goto out;
        for (size_t i = 0; i < np; i++)
            qs[k].sparse[i] = -1;
    }
    re_queue *cl = &qs[0], *nl = &qs[1];
    size_t pos = from;
    for (;;) {
        if (!matched) {
            for (size_t i = 0; i < ncap; i++)
                work[i] = -1;
            re_add(&vm, cl, 0, pos, work);
        }
        if (cl->n == 0)
            break;
        unsigned c = 0;
        size_t w = 0;
        int at_end = pos >= len;
        if (!at_end)
            w = re_decode(s + pos, len - pos, &c);
        for (size_t j = 0; j < cl->n; j++) {
            if (!cl->live[j])
                continue;
            const re_inst *in = &re->ins[cl->dense[j]];
            long *tc = cl->caps + j * ncap;
            if (in->op == OP_MATCH) {
                tc[1] = (long)pos;
                memcpy(caps, tc, ncap * sizeof *caps);
                matched = 1;
                break;   /* leftmost-first: lower-priority threads die */
            }
            if (!at_end && re_class_has(&re->cls[in->x], c))
                re_add(&vm, nl, cl->dense[j] + 1, pos + w, tc);
        }
        if (at_end)
            break;
        pos += w;
        re_queue *t = cl;
        cl = nl;
        nl = t;
        nl->n = 0;
    }
    rc = matched;
out:
    for (int k = 0; k < 2; k++) {
        free(qs[k].sparse);
        free(qs[k].dense);
        free(qs[k].live);
        free(qs[k].caps);
    }
    free(vm.stack);
    free(vm.saved);
    free(work);
    return rc;
}

/* Go's Regexp.expand for one match. */
static void re_expand(const re_prog *re, const char *s, const long *caps, const char *t,
                      size_t tl, strbuf *out)
{
    size_t i = 0;
    while (i < tl) {
        const char *d = memchr(t + i, '$', tl - i);
        if (!d) {
            sb_append(out, t + i, tl - i);
            return;
        }
        sb_append(out, t + i, (size_t)(d - (t + i)));
        i = (size_t)(d - t) + 1;
        if (i < tl && t[i] == '$') {
            sb_putc(out, '$');
            i++;
            continue;
        }
        int brace = i < tl && t[i] == '{';
        size_t ns = i + (size_t)brace, ne = ns;
        while (ne < tl && (re_is_word((unsigned char)t[ne]) || (unsigned char)t[ne] >= 0x80))
            ne++;
        if (ne == ns || (brace && (ne >= tl || t[ne] != '}'))) {
            sb_putc(out, '$');
            continue;
        }
        i = ne + (size_t)brace;
        long num = 0;
        for (size_t k = ns; k < ne && num >= 0; k++) {
            if (t[k] < '0' || t[k] > '9')
                num = -1;
            else if (num >= 100000000)
                num = -1;
            else
                num = num * 10 + (t[k] - '0');
        }
        size_t g = 0;
        int found = 0;
        if (num >= 0) {
            if ((size_t)num <= re->ngroups) {
                g = (size_t)num;
                found = 1;
            }
        } else {
            for (size_t k = 1; k <= re->ngroups; k++)
                if (re->names[k] && strlen(re->names[k]) == ne - ns &&
                    !memcmp(re->names[k], t + ns, ne - ns)) {
                    g = k;
                    found = 1;
                    break;
                }
        }
        if (found && caps[2 * g] >= 0)
            sb_append(out, s + caps[2 * g], (size_t)(caps[2 * g + 1] - caps[2 * g]));
    }
}

int re_replace_all(const re_prog *re, const char *s, size_t len, const char *tmpl, size_t tl,
                   strbuf *out)
{
    size_t ncap = 2 * (re->ngroups + 1), search = 0, last = 0;
    long *caps = malloc(ncap * sizeof *caps);
    if (!caps)
        return -1;
    while (search <= len) {
        int m = re_search(re, s, len, search, caps);
        if (m < 0) {
            free(caps);
            return -1;
        }
        if (m == 0)
            break;
        sb_append(out, s + last, (size_t)caps[0] - last);
        if ((size_t)caps[1] > last || caps[0] == 0)
            re_expand(re, s, caps, tmpl, tl, out);
        last = (size_t)caps[1];
        size_t w = 0;
        if (search < len) {
            unsigned cp;
            w = re_decode(s + search, len - search, &cp);
        }
        if (search + w > (size_t)caps[1])
            search += w;
        else if (search + 1 > (size_t)caps[1])
            search++;
        else
            search = (size_t)caps[1];
    }
    sb_append(out, s + last, len - last);
    free(caps);
    return out->failed ? -1 : 0;
}
