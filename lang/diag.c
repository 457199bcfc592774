/*
 * lang/diag.c — diagnostics, source files, last-error slot, string buffers.
 */
#include "lang/diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static _Thread_local char err_buf[1024];
static _Thread_local int err_last;

int err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    err_last = code;
    return code;
}

const char *err_msg(void) { return err_buf; }
int err_code(void) { return err_last; }

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("cairn: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) {
        fputs("cairn: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("cairn: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return xstrdup("");
    if ((size_t)n < sizeof tmp)
        return xstrdup(tmp);
    char *p = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- string buffer ---- */

static int sb_grow(strbuf *b, size_t extra)
{
    size_t cap = b->cap ? b->cap : SB_DEFAULT_CAP;
    if (b->failed)
        return -1;
    if (extra > cap || b->len + extra > cap) {
        b->failed = 1;
        return -1;
    }
    if (b->len + extra + 1 <= b->alloc)
        return 0;
    size_t na = b->alloc ? b->alloc : 64;
    while (na < b->len + extra + 1)
        na *= 2;
    char *p = realloc(b->s, na);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->s = p;
    b->alloc = na;
    return 0;
}

void sb_append(strbuf *b, const char *s, size_t n)
{
    if (sb_grow(b, n) < 0)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_puts(strbuf *b, const char *s) { sb_append(b, s, strlen(s)); }
void sb_putc(strbuf *b, char c) { sb_append(b, &c, 1); }

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sb_grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *sb_take(strbuf *b)
{
    if (b->failed) {
        sb_free(b);
        return NULL;
    }
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->alloc = 0;
    return s;
}

void sb_free(strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->alloc = 0;
    b->failed = 0;
}

/* ---- source files ---- */

src_file *src_from_string(const char *name, const char *text, size_t len)
{
    src_file *f = xcalloc(1, sizeof *f);
    f->name = xstrdup(name);
    f->text = xstrndup(text, len);
    f->len = len;
    return f;
}

src_file *src_load(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(CAIRN_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        err_set(CAIRN_EIO, "%s is a directory", path);
        return NULL;
    }
    strbuf b = {.cap = SRC_MAX_FILE_SIZE};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        sb_append(&b, chunk, n);
        if (b.failed)
            break;
    }
    int rerr = ferror(fp);
    fclose(fp);
    if (b.failed) {
        sb_free(&b);
        err_set(CAIRN_ELIMIT, "%s is larger than the limit of %u bytes (SRC_MAX_FILE_SIZE)",
                path, SRC_MAX_FILE_SIZE);
        return NULL;
    }
    if (rerr) {
        sb_free(&b);
        err_set(CAIRN_EIO, "error reading %s", path);
        return NULL;
    }
    size_t len = b.len;
    char *text = sb_take(&b);
    src_file *f = xcalloc(1, sizeof *f);
    f->name = xstrdup(path);
    f->text = text;
    f->len = len;
    return f;
}

void src_free(src_file *f)
{
    if (!f)
        return;
    free(f->name);
    free(f->text);
    free(f->line_starts);
    free(f);
}

static void src_index_lines(src_file *f)
{
    size_t n = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->text[i] == '\n')
            n++;
    f->line_starts = xmalloc(n * sizeof *f->line_starts);
    f->nlines = 0;
    f->line_starts[f->nlines++] = 0;
    for (size_t i = 0; i < f->len; i++)
        if (f->text[i] == '\n')
            f->line_starts[f->nlines++] = (uint32_t)(i + 1);
}

void src_pos(src_file *f, uint32_t off, int *line, int *col)
{
    if (!f->line_starts)
        src_index_lines(f);
    if (off > f->len)
        off = (uint32_t)f->len;
    size_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    int c = 1;
    for (uint32_t i = f->line_starts[lo]; i < off; i++)
        if (((unsigned char)f->text[i] & 0xC0) != 0x80)
            c++;
    *line = (int)lo + 1;
    *col = c;
}

/* ---- diagnostics ---- */

void diag_addv(diag_list *l, enum diag_severity sev, srange r, const char *summary,
               const char *detail_fmt, va_list ap)
{
    if (sev == DIAG_ERROR)
        l->nerrors++;
    else
        l->nwarnings++;
    if (l->n >= DIAG_MAX_COUNT) {
        l->dropped++;
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    diag *d = &l->items[l->n++];
    d->sev = sev;
    d->summary = xstrdup(summary);
    d->detail = NULL;
    d->range = r;
    if (detail_fmt) {
        va_list cp;
        va_copy(cp, ap);
        int n = vsnprintf(NULL, 0, detail_fmt, cp);
        va_end(cp);
        if (n >= 0) {
            d->detail = xmalloc((size_t)n + 1);
            vsnprintf(d->detail, (size_t)n + 1, detail_fmt, ap);
        }
    }
}

void diag_add(diag_list *l, enum diag_severity sev, srange r, const char *summary,
              const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    diag_addv(l, sev, r, summary, detail_fmt, ap);
    va_end(ap);
}

void diag_move(diag_list *dst, diag_list *src)
{
    for (size_t i = 0; i < src->n; i++) {
        diag *d = &src->items[i];
        diag_add(dst, d->sev, d->range, d->summary, d->detail ? "%s" : NULL, d->detail);
    }
    dst->dropped += src->dropped;
    diag_list_free(src);
}

void diag_print(FILE *out, const diag *d, int color)
{
    const char *sev = d->sev == DIAG_ERROR ? "error" : "warning";
    const char *on = "", *off = "", *bold = "";
    if (color) {
        on = d->sev == DIAG_ERROR ? "\033[31;1m" : "\033[33;1m";
        off = "\033[0m";
        bold = "\033[1m";
    }
    src_file *f = d->range.file;
    if (!f) {
        fprintf(out, "%s%s:%s %s%s%s\n", on, sev, off, bold, d->summary, off);
    } else {
        int line, col;
        src_pos(f, d->range.start, &line, &col);
        fprintf(out, "%s:%d:%d: %s%s:%s %s%s%s\n", f->name, line, col, on, sev, off, bold,
                d->summary, off);
        /* the source line, then a caret under the range (at least one ^) */
        uint32_t ls = f->line_starts[line - 1], le = ls;
        while (le < f->len && f->text[le] != '\n')
            le++;
        if (le > ls && f->text[le - 1] == '\r')
            le--;
        fprintf(out, "%5d | %.*s\n      | ", line, (int)(le - ls), f->text + ls);
        for (uint32_t i = ls; i < d->range.start && i < le; i++)
            if (((unsigned char)f->text[i] & 0xC0) != 0x80)
                fputc(f->text[i] == '\t' ? '\t' : ' ', out);
        uint32_t end = d->range.end < le ? d->range.end : le;
        int carets = 0;
        for (uint32_t i = d->range.start; i < end; i++)
            if (((unsigned char)f->text[i] & 0xC0) != 0x80)
                carets++;
        if (carets < 1)
            carets = 1;
        fprintf(out, "%s", on);
        for (int i = 0; i < carets; i++)
            fputc('^', out);
        fprintf(out, "%s\n", off);
    }
    if (d->detail && *d->detail)
        fprintf(out, "%s\n", d->detail);
    fputc('\n', out);
}

void diag_print_all(FILE *out, const diag_list *l, int color)
{
    for (size_t i = 0; i < l->n; i++)
        diag_print(out, &l->items[i], color);
    if (l->dropped)
        fprintf(out, "(%zu more diagnostics not shown; limit DIAG_MAX_COUNT=%d)\n", l->dropped,
                DIAG_MAX_COUNT);
}

void diag_list_free(diag_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].summary);
        free(l->items[i].detail);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
