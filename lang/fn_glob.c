/*
 * lang/fn_glob.c — fileset(path, pattern): the regular files under path
 * matching a doublestar glob, as Terraform computes it (the pattern is
 * joined to path and cleaned; results are relative to path with forward
 * slashes).  Glob syntax: * and ? within one path component, [classes]
 * with ranges and ! or ^ negation, {alt,ernatives}, \ escapes, and ** as
 * a whole component for zero or more directories.
 */
#include "lang/fn_int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GLOB_MAX_DEPTH 64       /* directory levels walked */
#define GLOB_MAX_ENTRIES 100000 /* directory entries examined */

/* Match one path component name against pattern p[0..pn).  Returns 1, 0,
 * or -1 for a malformed pattern. */
static int glob_match(const char *p, size_t pn, const char *s, size_t sn)
{
    size_t pi = 0, si = 0;
    while (pi < pn) {
        char c = p[pi];
        if (c == '*') {
            while (pi < pn && p[pi] == '*')
                pi++;
            for (size_t k = si; k <= sn; k++) {
                int r = glob_match(p + pi, pn - pi, s + k, sn - k);
                if (r != 0)
                    return r;
            }
            return 0;
        }
        if (c == '{') {
            /* alternatives up to the matching brace; each followed by the rest */
            size_t depth = 0, end = pi;
            for (; end < pn; end++) {
                if (p[end] == '\\') {
                    end++;
                    continue;
                }
                if (p[end] == '{')
                    depth++;
                else if (p[end] == '}' && --depth == 0)
                    break;
            }
            if (end >= pn)
                return -1;
            size_t st = pi + 1;
            int d = 0;
            for (size_t k = pi + 1; k <= end; k++) {
                if (k < end && p[k] == '\\') {
                    k++;
                    continue;
                }
                if (k < end && p[k] == '{')
                    d++;
                else if (k < end && p[k] == '}')
                    d--;
                else if (k == end || (p[k] == ',' && d == 0)) {
                    size_t al = k - st, rl = pn - end - 1;
                    char *alt = xmalloc(al + rl + 1);
                    memcpy(alt, p + st, al);
                    memcpy(alt + al, p + end + 1, rl);
                    int r = glob_match(alt, al + rl, s + si, sn - si);
                    free(alt);
                    if (r != 0)
                        return r;
                    st = k + 1;
                }
            }
            return 0;
        }
        if (si >= sn)
            return 0;
        unsigned cp;
        size_t k = fn_utf8_decode(s + si, sn - si, &cp);
        if (c == '?') {
            pi++;
            si += k;
            continue;
        }
        if (c == '[') {
            size_t q = pi + 1;
            int neg = 0, hit = 0;
            if (q < pn && (p[q] == '!' || p[q] == '^')) {
                neg = 1;
                q++;
            }
            int first = 1;
            for (;;) {
                if (q >= pn)
                    return -1;
                if (p[q] == ']' && !first)
                    break;
                first = 0;
                unsigned lo, hi;
                if (p[q] == '\\' && q + 1 < pn)
                    q++;
                q += fn_utf8_decode(p + q, pn - q, &lo);
                hi = lo;
                if (q + 1 < pn && p[q] == '-' && p[q + 1] != ']') {
                    q++;
                    if (p[q] == '\\' && q + 1 < pn)
                        q++;
                    q += fn_utf8_decode(p + q, pn - q, &hi);
                }
                if (cp >= lo && cp <= hi)
                    hit = 1;
            }
            if (hit == neg)
                return 0;
            pi = q + 1;
            si += k;
            continue;
        }
        if (c == '\\') {
            if (++pi >= pn)
                return -1;
            c = p[pi];
        }
        if (s[si] != c)
            return 0;
        pi++;
        si++;
    }
    return si == sn;
}

typedef struct glob_walk {
    char **comps;
    size_t ncomps;
    size_t entries;
    val out;        /* set of matched paths (relative to base) */
    const char *base;
    size_t baselen;
    int bad;
} glob_walk;

static void glob_add(glob_walk *g, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    const char *rel = path;
    if (!strncmp(path, g->base, g->baselen) && path[g->baselen] == '/')
        rel = path + g->baselen + 1;
    else if (!strcmp(g->base, "."))
        rel = path;
    g->out = val_set_add(g->out, val_string(rel));
}

static void glob_walk_dir(glob_walk *g, const char *dir, size_t idx, int depth)
{
    if (g->bad || depth > GLOB_MAX_DEPTH)
        return;
    if (idx == g->ncomps) {
        glob_add(g, dir);
        return;
    }
    const char *comp = g->comps[idx];
    if (!strcmp(comp, "**")) {
        glob_walk_dir(g, dir, idx + 1, depth);   /* zero directories */
    }
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && !g->bad) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (++g->entries > GLOB_MAX_ENTRIES) {
            g->bad = 2;
            break;
        }
        char *child = !strcmp(dir, "/") ? xasprintf("/%s", de->d_name)
                                        : xasprintf("%s/%s", dir, de->d_name);
        if (!strcmp(comp, "**")) {
            struct stat st;
            if (stat(child, &st) == 0 && S_ISDIR(st.st_mode))
                glob_walk_dir(g, child, idx, depth + 1);
            else if (idx + 1 == g->ncomps)
                glob_add(g, child);
        } else {
            int m = glob_match(comp, strlen(comp), de->d_name, strlen(de->d_name));
            if (m < 0)
                g->bad = 1;
            else if (m)
                glob_walk_dir(g, child, idx + 1, depth + 1);
        }
        free(child);
    }
    closedir(d);
}

static int has_meta(const char *s)
{
    return strpbrk(s, "*?[{\\") != NULL;
}

/* Clean a path as Go's filepath.Clean (shared shape with fn_fs.c). */
static char *glob_clean(const char *p)
{
    size_t n = strlen(p);
    char **parts = xcalloc(n + 1, sizeof *parts);
    size_t np = 0;
    int rooted = p[0] == '/';
    char *copy = xstrdup(p), *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (!strcmp(tok, "."))
            continue;
        if (!strcmp(tok, "..")) {
            if (np > 0 && strcmp(parts[np - 1], ".."))
                np--;
            else if (!rooted)
                parts[np++] = tok;
            continue;
        }
        parts[np++] = tok;
    }
    strbuf b = {0};
    if (rooted)
        sb_putc(&b, '/');
    for (size_t i = 0; i < np; i++) {
        if (i)
            sb_putc(&b, '/');
        sb_puts(&b, parts[i]);
    }
    if (b.len == 0)
        sb_putc(&b, '.');
    free(parts);
    free(copy);
    return sb_take(&b);
}

static val fn_fileset(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)n;
    const char *path = val_get_string(a[0]), *pat = val_get_string(a[1]);
    char *joined_base = path[0] == '/' ? xstrdup(path)
                        : xasprintf("%s/%s", c->base_dir ? c->base_dir : ".", path);
    char *base = glob_clean(joined_base);
    char *joined = xasprintf("%s/%s", base, pat);
    char *full = glob_clean(joined);
    free(joined_base);
    free(joined);
    /* split into literal prefix directory and pattern components */
    char *copy = xstrdup(full), *save = NULL;
    char **comps = xcalloc(strlen(full) + 1, sizeof *comps);
    size_t nc = 0;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
        comps[nc++] = tok;
    strbuf start = {0};
    if (full[0] == '/')
        sb_putc(&start, '/');
    size_t first = 0;
    while (first < nc && !has_meta(comps[first])) {
        if (start.len && start.s[start.len - 1] != '/')
            sb_putc(&start, '/');
        sb_puts(&start, comps[first]);
        first++;
    }
    if (start.len == 0)
        sb_putc(&start, '.');
    char *sdir = sb_take(&start);
    glob_walk g = {comps + first, nc - first, 0, val_set_empty(ty_string()), base,
                   strlen(base), 0};
    glob_walk_dir(&g, sdir, 0, 0);
    val r = g.out;
    if (g.bad) {
        val_free(r);
        r = fn_errf(e, -1, g.bad == 2 ? "failed to glob pattern (%s): too many directory entries"
                                      : "failed to glob pattern (%s): syntax error in pattern",
                    full);
    }
    free(sdir);
    free(comps);
    free(copy);
    free(full);
    free(base);
    return r;
}

static const fn_param p_fileset[] = {{"path", FN_T_STRING, 0}, {"pattern", FN_T_STRING, 0}};

const fn_def fn_glob_defs[] = {
    {"fileset", p_fileset, 2, NULL, FN_T_ANY, NULL, fn_fileset, 0,
     "Files under a directory matching a glob."},
};
const size_t fn_glob_defs_count = sizeof fn_glob_defs / sizeof *fn_glob_defs;
