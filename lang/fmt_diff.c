/*
 * lang/fmt_diff.c — a small unified-diff writer for `cairn fmt -diff`.
 *
 * Lines common to both ends are trimmed first; the middle is diffed with a
 * longest-common-subsequence table when it is small enough
 * (FMT_DIFF_MAX_CELLS), otherwise shown as one replacement.  Output follows
 * `diff -u`: 3 lines of context, "@@ -a,b +c,d @@" headers, and
 * "\ No newline at end of file" after a last line without one.
 */
#include "lang/fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FMT_DIFF_MAX_CELLS (4u * 1024 * 1024)
#define FMT_DIFF_CONTEXT 3

typedef struct dline {
    const char *p;
    size_t len; /* including the newline, if any */
} dline;

static dline *split_lines(const char *s, size_t n, size_t *count)
{
    size_t c = 0, i = 0, k = 0;
    dline *ls;
    for (size_t j = 0; j < n; j++)
        c += s[j] == '\n';
    if (n && s[n - 1] != '\n')
        c++;
    ls = xcalloc(c ? c : 1, sizeof *ls);
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        ls[k++] = (dline){s + i, e - i};
        i = e;
    }
    *count = k;
    return ls;
}

static int same(const dline *a, const dline *b)
{
    return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

/* An edit script: ' ' keep, '-' delete from a, '+' insert from b. */
typedef struct dop {
    char kind;
    size_t ai, bi;
} dop;

static void put_line(strbuf *b, char mark, const dline *l)
{
    sb_putc(b, mark);
    sb_append(b, l->p, l->len);
    if (!l->len || l->p[l->len - 1] != '\n')
        sb_puts(b, "\n\\ No newline at end of file\n");
}

static void put_range(strbuf *b, size_t start, size_t count)
{
    if (count == 1)
        sb_printf(b, "%zu", start + 1);
    else
        sb_printf(b, "%zu,%zu", count ? start + 1 : start, count);
}

static dop *edit_script(const dline *a, size_t na, const dline *b, size_t nb, size_t *nops)
{
    size_t pre = 0, suf = 0, m, n, k = 0;
    dop *ops = xcalloc(na + nb + 1, sizeof *ops);
    while (pre < na && pre < nb && same(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && same(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    m = na - pre - suf;
    n = nb - pre - suf;
    for (size_t i = 0; i < pre; i++)
        ops[k++] = (dop){' ', i, i};
    if (m && n && (m + 1) * (n + 1) <= FMT_DIFF_MAX_CELLS) {
        /* t[i][j] = LCS length of a[pre+i..] and b[pre+j..] */
        uint32_t *t = xcalloc((m + 1) * (n + 1), sizeof *t);
        size_t i = 0, j = 0;
        for (size_t ii = m; ii-- > 0;)
            for (size_t jj = n; jj-- > 0;)
                t[ii * (n + 1) + jj] = same(&a[pre + ii], &b[pre + jj])
                    ? t[(ii + 1) * (n + 1) + jj + 1] + 1
                    : (t[(ii + 1) * (n + 1) + jj] >= t[ii * (n + 1) + jj + 1]
                           ? t[(ii + 1) * (n + 1) + jj] : t[ii * (n + 1) + jj + 1]);
        while (i < m || j < n) {
            if (i < m && j < n && same(&a[pre + i], &b[pre + j])) {
                ops[k++] = (dop){' ', pre + i++, pre + j++};
            } else if (i < m && (j == n || t[(i + 1) * (n + 1) + j] >= t[i * (n + 1) + j + 1])) {
                ops[k++] = (dop){'-', pre + i++, pre + j};
            } else {
                ops[k++] = (dop){'+', pre + i, pre + j++};
            }
        }
        free(t);
    } else {
        for (size_t i = 0; i < m; i++)
            ops[k++] = (dop){'-', pre + i, pre};
        for (size_t j = 0; j < n; j++)
            ops[k++] = (dop){'+', pre + m, pre + j};
    }
    for (size_t i = 0; i < suf; i++)
        ops[k++] = (dop){' ', na - suf + i, nb - suf + i};
    *nops = k;
    return ops;
}

void fmt_diff(strbuf *buf, const char *old_name, const char *a, size_t alen,
              const char *new_name, const char *b, size_t blen)
{
    size_t na, nb, nops, i = 0;
    dline *la, *lb;
    dop *ops;
    if (alen == blen && !memcmp(a, b, alen))
        return;
    la = split_lines(a, alen, &na);
    lb = split_lines(b, blen, &nb);
    ops = edit_script(la, na, lb, nb, &nops);
    sb_printf(buf, "--- %s\n+++ %s\n", old_name, new_name);
    while (i < nops) {
        size_t s, e, last, ac = 0, bc = 0;
        if (ops[i].kind == ' ') {
            i++;
            continue;
        }
        /* hunk: from CONTEXT before the change to CONTEXT after the last
         * change that is within 2*CONTEXT of the previous one */
        s = i > FMT_DIFF_CONTEXT ? i - FMT_DIFF_CONTEXT : 0;
        last = i;
        for (e = i; e < nops; e++) {
            if (ops[e].kind != ' ')
                last = e;
            else if (e - last > 2 * FMT_DIFF_CONTEXT + 1)
                break;
        }
        e = last + 1 + FMT_DIFF_CONTEXT < nops ? last + 1 + FMT_DIFF_CONTEXT : nops;
        for (size_t k = s; k < e; k++) {
            ac += ops[k].kind != '+';
            bc += ops[k].kind != '-';
        }
        sb_puts(buf, "@@ -");
        put_range(buf, ops[s].ai, ac);
        sb_puts(buf, " +");
        put_range(buf, ops[s].bi, bc);
        sb_puts(buf, " @@\n");
        for (size_t k = s; k < e; k++) {
            if (ops[k].kind == '+')
                put_line(buf, '+', &lb[ops[k].bi]);
            else
                put_line(buf, ops[k].kind, &la[ops[k].ai]);
        }
        i = e;
    }
    free(ops);
    free(la);
    free(lb);
}
