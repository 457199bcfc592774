/*
 * engine/render_diff.c — the value and block diff of a plan's text (see
 * render_diff.h; the layout around it is render.c's).
 *
 * The value diff follows Terraform's jsonformat renderers: every node of
 * a (before, after) pair gets an action (create, update, delete, no-op)
 * from its two sides, and a renderer per shape writes it at an indent of
 * four spaces per level plus a four-column action symbol.
 *
 * Conventions: a side is a `const val *`, NULL when missing.  Inside
 * objects and blocks a null value counts as missing (Terraform omits an
 * attribute null on both sides; in blocks an empty string is null too);
 * in maps, lists and output (JSON-like) values a null is a value.
 * Colour goes through rdiff_color(), which reads Terraform's colorstring
 * markup ("[bold]...[reset]") from our own literals and formats only;
 * values and keys are appended as they are.
 */
#include "engine/render_diff.h"

#include <stdlib.h>
#include <string.h>

#include "lang/val_fmt.h"
#include "lang/val_json.h"

/* Value nesting rendered before "..." stands in for the rest. */
#define RENDER_MAX_DEPTH 256
/* Largest before x after table for matching list and set elements; past
 * it, lists match only their common prefix and suffix and sets nothing. */
#define RENDER_MATCH_CELLS (4u * 1024 * 1024)

typedef struct r_pair {
    const val *a, *b;
} r_pair;

typedef struct r_entry {
    const char *key;
    const val *a, *b;
} r_entry;

/* ---------------------------------------------------------------- colour */

static const char *r_code(const char *name, size_t n)
{
    static const struct { const char *name, *code; } codes[] = {
        {"reset", "0"}, {"bold", "1"}, {"red", "31"}, {"green", "32"},
        {"yellow", "33"}, {"cyan", "36"}, {"dark_gray", "90"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strlen(codes[i].name) == n && memcmp(codes[i].name, name, n) == 0)
            return codes[i].code;
    return NULL;
}

/* Append s with its colour markup as ANSI codes (or dropped when colour is
 * off), closed by a reset when it coloured anything, as colorstring does.
 * Bracketed text that is not a colour name stays as it is. */
void rdiff_color(rctx *r, const char *s)
{
    int colored = 0;
    for (;;) {
        const char *open = strchr(s, '[');
        if (!open) {
            sb_puts(r->b, s);
            break;
        }
        sb_append(r->b, s, (size_t)(open - s));
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz0123456789_-");
        const char *code = n && open[1 + n] == ']' ? r_code(open + 1, n) : NULL;
        if (!code) {
            sb_putc(r->b, '[');
            s = open + 1;
            continue;
        }
        colored = 1;
        if (r->color)
            sb_printf(r->b, "\x1b[%sm", code);
        s = open + n + 2;
    }
    if (colored && r->color)
        sb_puts(r->b, "\x1b[0m");
}

/* ---------------------------------------------------------------- pieces */

/* Terraform's DiffActionSymbol for nested values: three columns. */
const char *rdiff_sym_markup(enum r_act a)
{
    switch (a) {
    case R_CREATE: return "  [green]+[reset]";
    case R_UPDATE: return "  [yellow]~[reset]";
    case R_DELETE: return "  [red]-[reset]";
    default: return "   ";
    }
}

static void r_indent(rctx *r, int indent)
{
    for (int i = 0; i < indent; i++)
        sb_puts(r->b, "    ");
}

/* writeDiffActionSymbol: the symbol and a space. */
static void r_symbol(rctx *r, enum r_act a)
{
    rdiff_color(r, rdiff_sym_markup(a));
    sb_putc(r->b, ' ');
}

void rdiff_null_suffix(rctx *r, enum r_act a, ropts o)
{
    if (!o.no_null && a == R_DELETE)
        rdiff_color(r, " [dark_gray]-> null[reset]");
}

static void r_forces(rctx *r, int forces)
{
    if (forces)
        rdiff_color(r, " [red]# forces replacement[reset]");
}

static void r_unchanged(rctx *r, int indent, const char *what, size_t n)
{
    strbuf t = {0};
    sb_printf(&t, "[dark_gray]# (%zu unchanged %s%s hidden)[reset]", n, what,
              n == 1 ? "" : "s");
    r_indent(r, indent);
    r_symbol(r, R_NOOP);
    rdiff_color(r, t.s ? t.s : "");
    sb_putc(r->b, '\n');
    sb_free(&t);
}

/* An empty collection: "[]" or "{}", with its suffixes. */
static void r_empty(rctx *r, const char *text, enum r_act act, ropts o, int forces)
{
    sb_puts(r->b, text);
    rdiff_null_suffix(r, act, o);
    r_forces(r, forces);
}

/* The opening bracket of a multi-line collection, to the end of its line. */
static void r_open(rctx *r, char bracket, int forces)
{
    sb_putc(r->b, bracket);
    r_forces(r, forces);
    sb_putc(r->b, '\n');
}

/* The closing bracket of a multi-line collection at indent. */
static void r_close(rctx *r, int indent, char bracket, enum r_act act, ropts o)
{
    r_indent(r, indent);
    r_symbol(r, R_NOOP);
    sb_putc(r->b, bracket);
    rdiff_null_suffix(r, act, o);
}

/* HCL identifier: a letter or _, then letters, digits, _ and -. */
static int r_is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")]
           == '\0';
}

/* Append key (quoted unless an identifier, or always when quote) padded
 * with spaces to width; returns the length written without padding. */
size_t rdiff_key(strbuf *b, const char *key, int quote, size_t width)
{
    size_t start = b->len;
    if (quote || !r_is_ident(key))
        val_fmt_quote(b, key, strlen(key));
    else
        sb_puts(b, key);
    size_t n = b->len - start;
    for (size_t i = n; i < width; i++)
        sb_putc(b, ' ');
    return n;
}

size_t rdiff_key_len(const char *key)
{
    strbuf t = {0};
    size_t n = rdiff_key(&t, key, 0, 0);
    sb_free(&t);
    return n;
}

static int r_important(const char *key)
{
    return strcmp(key, "id") == 0 || strcmp(key, "name") == 0 || strcmp(key, "tags") == 0;
}

/* ---------------------------------------------------------------- actions */

static int r_eq(const val *a, const val *b)
{
    if (!a || !b)
        return a == b;
    return val_raw_equal(*a, *b);
}

/* The action that takes a to b. */
static enum r_act r_action(const val *a, const val *b)
{
    if (!a && !b)
        return R_NOOP;
    if (!a)
        return R_CREATE;
    if (!b)
        return R_DELETE;
    if (val_is_sensitive(*a) != val_is_sensitive(*b) ||
        val_contains_sensitive(*a) != val_contains_sensitive(*b))
        return R_UPDATE;
    return val_raw_equal(*a, *b) ? R_NOOP : R_UPDATE;
}

/* A known, non-null object (or, for JSON-like values, map). */
static int r_is_obj(const val *v, ropts o)
{
    if (!v || val_is_unknown(*v) || val_is_null(*v))
        return 0;
    return val_kind(*v) == VAL_OBJECT || (o.dynamic && val_kind(*v) == VAL_MAP);
}

enum r_shape { SH_NULL, SH_PRIM, SH_LIST, SH_SET, SH_MAP, SH_OBJECT };

/* Which renderer draws a known value. */
static enum r_shape r_shape_of(const val *v, ropts o)
{
    if (val_is_null(*v))
        return SH_NULL;
    switch (val_kind(*v)) {
    case VAL_LIST: case VAL_TUPLE: return SH_LIST;
    case VAL_SET: return o.dynamic ? SH_LIST : SH_SET;
    case VAL_MAP: return o.dynamic ? SH_OBJECT : SH_MAP;
    case VAL_OBJECT: return SH_OBJECT;
    default: return SH_PRIM;
    }
}

/* ---------------------------------------------------------------- matching */

/* Elements of a list/set/tuple side (borrowed pointers; NULL side: none). */
static const val **r_elems(const val *v, size_t *n)
{
    *n = v ? val_len(*v) : 0;
    const val **e = xmalloc((*n + 1) * sizeof *e);
    for (size_t i = 0; i < *n; i++)
        e[i] = val_at(*v, i);
    return e;
}

static int r_too_big(size_t nx, size_t ny)
{
    return nx && ny && nx > RENDER_MATCH_CELLS / ny;
}

/* For lists too long for the table: the common prefix and suffix only. */
static size_t r_lcs_ends(const val *const *xs, size_t nx, const val *const *ys, size_t ny,
                         size_t **out)
{
    size_t pre = 0, suf = 0, n = 0;
    while (pre < nx && pre < ny && r_eq(xs[pre], ys[pre]))
        pre++;
    while (suf < nx - pre && suf < ny - pre && r_eq(xs[nx - 1 - suf], ys[ny - 1 - suf]))
        suf++;
    size_t *seq = xmalloc((pre + suf + 1) * sizeof *seq);
    for (size_t i = 0; i < pre; i++)
        seq[n++] = i;
    for (size_t i = nx - suf; i < nx; i++)
        seq[n++] = i;
    *out = seq;
    return n;
}

/* Terraform's LongestCommonSubsequence (objchange/lcs.go), including its
 * walk back from the last cell; returns the before indices of the
 * sequence in order (owned) and their count. */
static size_t r_lcs(const val *const *xs, size_t nx, const val *const *ys, size_t ny,
                    size_t **out)
{
    *out = NULL;
    if (!nx || !ny)
        return 0;
    if (r_too_big(nx, ny))
        return r_lcs_ends(xs, nx, ys, ny, out);
    size_t *c = xcalloc(nx * ny, sizeof *c);
    unsigned char *eq = xcalloc(nx * ny, 1);
    for (size_t y = 0; y < ny; y++)
        for (size_t x = 0; x < nx; x++) {
            size_t i = y * nx + x;
            if (r_eq(xs[x], ys[y])) {
                eq[i] = 1;
                c[i] = x == 0 || y == 0 ? 1 : c[i - nx - 1] + 1;
            } else {
                size_t l = x > 0 ? c[i - 1] : 0, u = y > 0 ? c[i - nx] : 0;
                c[i] = l > u ? l : u;
            }
        }
    size_t cap = nx < ny ? nx : ny, n = 0;
    size_t *seq = xmalloc(cap * sizeof *seq);
    for (size_t x = nx, y = ny; x > 0 && y > 0 && n < cap;) {
        size_t i = (y - 1) * nx + (x - 1);
        if (eq[i]) {
            seq[n++] = x - 1;
            x--, y--;
        } else {
            size_t l = x > 1 ? c[i - 1] : 0, u = y > 1 ? c[i - nx] : 0;
            if (l > u)
                x--;
            else
                y--;
        }
    }
    for (size_t i = 0; i < n / 2; i++) {
        size_t t = seq[i];
        seq[i] = seq[n - 1 - i], seq[n - 1 - i] = t;
    }
    free(c);
    free(eq);
    *out = seq;
    return n;
}

/* Pair list elements as Terraform's ProcessSlice does: before elements
 * off the common subsequence are deleted (or, objs, paired with an after
 * object as an update), after elements off it created, common ones kept.
 * Returns the pairs (owned) and their count. */
static size_t r_slice(const val *const *xs, size_t nx, const val *const *ys, size_t ny,
                      ropts o, r_pair **out)
{
    size_t *lcs, nl = r_lcs(xs, nx, ys, ny, &lcs), n = 0;
    size_t bi = 0, ai = 0, li = 0;
    r_pair *p = xmalloc((nx + ny + nl + 1) * sizeof *p);
    while (bi < nx || ai < ny || li < nl) {
        const val *common = li < nl ? xs[lcs[li]] : NULL;
        while (bi < nx && (!common || !r_eq(xs[bi], common))) {
            if (r_is_obj(xs[bi], o) && ai < ny && r_is_obj(ys[ai], o) &&
                (!common || !r_eq(ys[ai], common))) {
                p[n++] = (r_pair){xs[bi++], ys[ai++]};
                continue;
            }
            p[n++] = (r_pair){xs[bi++], NULL};
        }
        while (ai < ny && (!common || !r_eq(ys[ai], common)))
            p[n++] = (r_pair){NULL, ys[ai++]};
        if (li < nl) {
            p[n++] = (r_pair){bi < nx ? xs[bi] : NULL, ai < ny ? ys[ai] : NULL};
            bi++, ai++, li++;
        }
    }
    free(lcs);
    *out = p;
    return n;
}

/* Pair set elements as Terraform's processSet does: each before element
 * with an equal after one (no-op) or alone (delete), in before order, then
 * the unmatched after elements (create). */
static size_t r_set_pairs(const val *const *xs, size_t nx, const val *const *ys, size_t ny,
                          r_pair **out)
{
    unsigned char *used = xcalloc(ny + 1, 1);
    r_pair *p = xmalloc((nx + ny + 1) * sizeof *p);
    size_t n = 0;
    int match = !r_too_big(nx, ny);
    for (size_t j = 0; j < nx; j++) {
        const val *m = NULL;
        for (size_t i = 0; match && i < ny && !m; i++)
            if (!used[i] && !val_is_unknown(*ys[i]) && r_action(xs[j], ys[i]) == R_NOOP) {
                used[i] = 1;
                m = ys[i];
            }
        p[n++] = (r_pair){xs[j], m};
    }
    for (size_t i = 0; i < ny; i++)
        if (!used[i])
            p[n++] = (r_pair){NULL, ys[i]};
    free(used);
    *out = p;
    return n;
}

/* Pair block list elements by index, as Terraform does for nested blocks. */
static size_t r_index_pairs(const val *const *xs, size_t nx, const val *const *ys, size_t ny,
                            r_pair **out)
{
    size_t n = nx > ny ? nx : ny;
    r_pair *p = xmalloc((n + 1) * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = (r_pair){i < nx ? xs[i] : NULL, i < ny ? ys[i] : NULL};
    *out = p;
    return n;
}

/* ---------------------------------------------------------------- entries */

enum { R_TYPED = 1, R_BLANK = 2 };

/* One side's value for an entry: missing stays NULL; with R_TYPED a null
 * is missing too, and with R_BLANK an empty string as well. */
static const val *r_side(const val *v, unsigned flags)
{
    if (!v || !val_is_valid(*v))
        return NULL;
    if ((flags & R_TYPED) && val_is_null(*v))
        return NULL;
    if ((flags & R_BLANK) && val_kind(*v) == VAL_STRING && !val_is_unknown(*v) &&
        !val_is_sensitive(*v) && val_string_len(*v) == 0)
        return NULL;
    return v;
}

/* The union of the keys of maps/objects a and b (either may be NULL) in
 * byte order, each with both sides' values; entries missing on both
 * sides (after r_side) are dropped.  Returns the count; *out owned. */
static size_t r_entries(const val *a, const val *b, unsigned flags, r_entry **out)
{
    size_t na = a ? val_len(*a) : 0, nb = b ? val_len(*b) : 0, i = 0, j = 0, n = 0;
    r_entry *e = xmalloc((na + nb + 1) * sizeof *e);
    while (i < na || j < nb) {
        const char *ka = i < na ? val_key_at(*a, i) : NULL;
        const char *kb = j < nb ? val_key_at(*b, j) : NULL;
        int c = !ka ? 1 : !kb ? -1 : strcmp(ka, kb);
        r_entry x = {c <= 0 ? ka : kb, NULL, NULL};
        if (c <= 0)
            x.a = r_side(val_at(*a, i++), flags);
        if (c >= 0)
            x.b = r_side(val_at(*b, j++), flags);
        if (x.a || x.b)
            e[n++] = x;
    }
    *out = e;
    return n;
}

/* ---------------------------------------------------------------- primitives */

void rdiff_prim_text(rctx *r, const val *v)
{
    char num[VAL_NUMBER_BUF];
    if (!v || val_is_null(*v)) {
        rdiff_color(r, "[dark_gray]null[reset]");
        return;
    }
    switch (val_kind(*v)) {
    case VAL_BOOL:
        sb_puts(r->b, val_get_bool(*v) ? "true" : "false");
        break;
    case VAL_NUMBER:
        val_number_fmt(val_get_number(*v), num, sizeof num);
        sb_puts(r->b, num);
        break;
    case VAL_STRING:
        val_fmt_quote(r->b, val_get_string(*v), val_string_len(*v));
        break;
    default:
        val_fmt_sb(r->b, v, 0);
        break;
    }
}

static int r_is_str(const val *v)
{
    return v && !val_is_unknown(*v) && !val_is_null(*v) && val_kind(*v) == VAL_STRING;
}

static int r_multiline(const val *v)
{
    return r_is_str(v) && memchr(val_get_string(*v), '\n', val_string_len(*v)) != NULL;
}

/* A string that is a JSON object or array, decoded (owned), else invalid. */
static val r_json_of(const val *v)
{
    if (!r_is_str(v))
        return val_invalid();
    const char *s = val_get_string(*v);
    if (s[0] != '{' && s[0] != '[')
        return val_invalid();
    return val_from_json(s, val_string_len(*v));
}

static int r_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Lines of a string as values: a multi-line string is first trimmed of
 * surrounding white space (Terraform's TrimSpace). */
static val *r_lines(const val *v, size_t *n)
{
    const char *s = val_get_string(*v), *end = s + val_string_len(*v);
    if (memchr(s, '\n', (size_t)(end - s))) {
        while (s < end && r_space(*s))
            s++;
        while (end > s && r_space(end[-1]))
            end--;
    }
    size_t cap = 1;
    for (const char *q = s; q < end; q++)
        cap += *q == '\n';
    val *lines = xmalloc(cap * sizeof *lines);
    *n = 0;
    for (const char *q = s;; ) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *stop = nl ? nl : end;
        lines[(*n)++] = val_string_n(q, (size_t)(stop - q));
        if (!nl)
            break;
        q = nl + 1;
    }
    return lines;
}

static void r_free_lines(val *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        val_free(lines[i]);
    free(lines);
}

static void r_line(rctx *r, int indent, enum r_act a, const val *line)
{
    r_indent(r, indent);
    r_symbol(r, a);
    sb_append(r->b, val_get_string(*line), val_string_len(*line));
    sb_putc(r->b, '\n');
}

/* The lines of a heredoc body: one side's lines as they are, or for an
 * update the line diff (Terraform's ProcessSlice over lines). */
static void r_heredoc_body(rctx *r, const val *a, const val *b, enum r_act act, int indent)
{
    size_t na = 0, nb = 0;
    val *la = act == R_CREATE ? NULL : r_lines(a, &na);
    val *lb = act == R_DELETE ? NULL : r_lines(b, &nb);
    if (act != R_UPDATE) {
        val *l = la ? la : lb;
        for (size_t i = 0; i < (la ? na : nb); i++)
            r_line(r, indent + 1, R_NOOP, &l[i]);
    } else {
        const val **xs = xmalloc((na + 1) * sizeof *xs), **ys = xmalloc((nb + 1) * sizeof *ys);
        for (size_t i = 0; i < na; i++)
            xs[i] = &la[i];
        for (size_t i = 0; i < nb; i++)
            ys[i] = &lb[i];
        r_pair *p;
        size_t np = r_slice(xs, na, ys, nb, (ropts){0}, &p);
        for (size_t i = 0; i < np; i++)
            r_line(r, indent + 1, !p[i].b ? R_DELETE : !p[i].a ? R_CREATE : R_NOOP,
                   p[i].b ? p[i].b : p[i].a);
        free(p), free(xs), free(ys);
    }
    if (la)
        r_free_lines(la, na);
    if (lb)
        r_free_lines(lb, nb);
}

static void r_heredoc(rctx *r, const val *a, const val *b, enum r_act act, int indent,
                      ropts o, int forces)
{
    sb_puts(r->b, "<<-EOT");
    r_forces(r, forces);
    sb_putc(r->b, '\n');
    r_heredoc_body(r, a, b, act, indent);
    r_indent(r, indent);
    r_symbol(r, R_NOOP);
    sb_puts(r->b, "EOT");
    rdiff_null_suffix(r, act, o);
}

/* A JSON string as jsonencode(...) around the diff of its decoded values
 * (Terraform's renderStringDiffAsJson). */
static void r_jsonenc(rctx *r, const val *ja, const val *jb, enum r_act act, int indent,
                      ropts o, int forces, int depth)
{
    ropts jo = {.no_null = 1, .show_all = o.show_all, .dynamic = 1};
    enum r_act sym = act;
    const char *ws = "";
    if (r_action(ja, jb) == R_NOOP && act == R_UPDATE) {
        ws = forces ? " # whitespace changes force replacement" : " # whitespace changes";
        jo.show_all = 1;
        sym = R_NOOP;
        forces = 0;
    }
    strbuf t = {0}, *save = r->b;
    r->b = &t;
    rdiff_value(r, ja, jb, indent + 1, jo, 0, depth + 1);
    r->b = save;
    if (act == R_CREATE || act == R_DELETE)
        sym = R_NOOP;
    sb_puts(r->b, "jsonencode(");
    if (t.s && memchr(t.s, '\n', t.len)) {
        sb_printf(r->b, "%s\n", ws);
        r_indent(r, indent + 1);
        r_symbol(r, sym);
        sb_append(r->b, t.s, t.len);
        r_forces(r, forces);
        sb_putc(r->b, '\n');
        r_indent(r, indent);
        r_symbol(r, R_NOOP);
        sb_putc(r->b, ')');
        rdiff_null_suffix(r, act, o);
    } else {
        sb_append(r->b, t.s ? t.s : "", t.len);
        sb_printf(r->b, ")%s", ws);
        r_forces(r, forces);
    }
    sb_free(&t);
}

/* "before -> after" for two sides drawn by different renderers. */
static void r_type_change(rctx *r, const val *a, const val *b, int indent, ropts o, int forces,
                          int depth)
{
    o.no_null = 1;
    rdiff_value(r, a, NULL, indent, o, 0, depth + 1);
    rdiff_color(r, " [yellow]->[reset] ");
    rdiff_value(r, NULL, b, indent, o, 0, depth + 1);
    r_forces(r, forces);
}

/* Strings that are JSON or span lines; returns 0 when a plain rendering
 * is wanted instead. */
static int r_string(rctx *r, const val *a, const val *b, enum r_act act, int indent, ropts o,
                    int forces, int depth)
{
    const val *sa = act == R_CREATE ? NULL : a, *sb = act == R_DELETE ? NULL : b;
    if ((sa && !r_is_str(sa)) || (sb && !r_is_str(sb)))
        return 0;
    val ja = r_json_of(sa), jb = r_json_of(sb);
    int va = val_is_valid(ja), vb = val_is_valid(jb), done = 1;
    if (act == R_UPDATE && va != vb)
        r_type_change(r, a, b, indent, o, forces, depth);
    else if (va || vb)
        r_jsonenc(r, va ? &ja : NULL, vb ? &jb : NULL, act, indent, o, forces, depth);
    else if (r_multiline(sa) || r_multiline(sb))
        r_heredoc(r, sa, sb, act, indent, o, forces);
    else
        done = 0;
    val_free(ja);
    val_free(jb);
    return done;
}

static void r_prim(rctx *r, const val *a, const val *b, enum r_act act, int indent, ropts o,
                   int forces, int depth)
{
    if ((r_is_str(a) || r_is_str(b)) && r_string(r, a, b, act, indent, o, forces, depth))
        return;
    switch (act) {
    case R_CREATE:
        rdiff_prim_text(r, b);
        break;
    case R_DELETE:
        rdiff_prim_text(r, a);
        if (!val_is_null(*a))
            rdiff_null_suffix(r, act, o);
        break;
    case R_NOOP:
        rdiff_prim_text(r, a ? a : b);
        break;
    case R_UPDATE:
        rdiff_prim_text(r, a);
        rdiff_color(r, " [yellow]->[reset] ");
        rdiff_prim_text(r, b);
        break;
    }
    r_forces(r, forces);
}

/* ---------------------------------------------------------------- collections */

/* One element line of a list or set. */
static void r_elem_line(rctx *r, const r_pair *p, int indent, ropts o, int depth)
{
    r_indent(r, indent);
    r_symbol(r, r_action(p->a, p->b));
    rdiff_value(r, p->a, p->b, indent, o, 0, depth + 1);
    sb_puts(r->b, ",\n");
}

/* The elements of a list: changed ones with one unchanged element of
 * context before and after, the rest counted (Terraform's list renderer
 * with displayContext). */
static void r_list_elems(rctx *r, const r_pair *p, size_t n, int indent, ropts o, int depth)
{
    ropts eo = o, uo = o;
    eo.no_null = 1;
    uo.show_all = 1;
    size_t nunch = 0, last = 0;
    int next = 0;
    for (size_t i = 0; i < n; i++) {
        enum r_act a = r_action(p[i].a, p[i].b);
        if (a == R_NOOP && !next && !o.show_all) {
            nunch++, last = i;
            continue;
        }
        next = 0;
        if (nunch > 1)
            r_unchanged(r, indent + 1, "element", nunch - 1);
        if (nunch > 0)
            r_elem_line(r, &p[last], indent + 1, uo, depth);
        nunch = 0;
        if (a != R_NOOP)
            next = 1;
        r_elem_line(r, &p[i], indent + 1, a == R_NOOP ? uo : eo, depth);
    }
    if (nunch > 0)
        r_unchanged(r, indent + 1, "element", nunch);
}

static void r_set_elems(rctx *r, const r_pair *p, size_t n, int indent, ropts o, int depth)
{
    ropts eo = o;
    eo.no_null = 1;
    size_t nunch = 0;
    for (size_t i = 0; i < n; i++) {
        if (r_action(p[i].a, p[i].b) == R_NOOP && !o.show_all) {
            nunch++;
            continue;
        }
        r_elem_line(r, &p[i], indent + 1, eo, depth);
    }
    if (nunch > 0)
        r_unchanged(r, indent + 1, "element", nunch);
}

/* A list or set: "[", one element a line with a trailing comma, "]". */
static void r_seq(rctx *r, const val *a, const val *b, enum r_act act, int indent, ropts o,
                  int forces, int depth, int set)
{
    size_t nx, ny;
    const val **xs = r_elems(a, &nx), **ys = r_elems(b, &ny);
    r_pair *p;
    size_t n = set ? r_set_pairs(xs, nx, ys, ny, &p) : r_slice(xs, nx, ys, ny, o, &p);
    if (n == 0) {
        r_empty(r, "[]", act, o, forces);
    } else {
        r_open(r, '[', forces);
        if (set)
            r_set_elems(r, p, n, indent, o, depth);
        else
            r_list_elems(r, p, n, indent, o, depth);
        r_close(r, indent, ']', act, o);
    }
    free(p), free(xs), free(ys);
}

/* Whether an entry is drawn by the object renderer (maps put a comma
 * after those). */
static int r_draws_object(const val *a, const val *b, ropts o)
{
    const val *v = b ? b : a;
    if (!v || val_is_sensitive(*v) || val_is_unknown(*v) || val_is_null(*v))
        return 0;
    return r_shape_of(v, o) == SH_OBJECT;
}

/* A map: quoted keys padded to the longest, unchanged entries counted. */
static void r_map(rctx *r, const val *a, const val *b, enum r_act act, int indent, ropts o,
                  int forces, int depth)
{
    r_entry *e;
    size_t n = r_entries(a, b, 0, &e), width = 0, nunch = 0;
    if (n == 0) {
        r_empty(r, "{}", act, o, forces);
        free(e);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (strlen(e[i].key) + 2 > width)
            width = strlen(e[i].key) + 2;
    ropts eo = o;
    eo.no_null = act == R_DELETE;
    r_open(r, '{', forces);
    for (size_t i = 0; i < n; i++) {
        enum r_act ea = r_action(e[i].a, e[i].b);
        if (ea == R_NOOP && !o.show_all) {
            nunch++;
            continue;
        }
        r_indent(r, indent + 1);
        r_symbol(r, ea);
        rdiff_key(r->b, e[i].key, 1, width);
        sb_puts(r->b, " = ");
        rdiff_value(r, e[i].a, e[i].b, indent + 1, eo, 0, depth + 1);
        sb_puts(r->b, r_draws_object(e[i].a, e[i].b, o) ? ",\n" : "\n");
    }
    if (nunch)
        r_unchanged(r, indent + 1, "element", nunch);
    r_close(r, indent, '}', act, o);
    free(e);
}

/* One "key = value" line of an object or block; returns 1 when the line
 * was hidden as unchanged. */
static int r_attr_line(rctx *r, const r_entry *e, size_t width, int indent, ropts o,
                       int forces, int depth)
{
    enum r_act ea = r_action(e->a, e->b);
    int important = r_important(e->key);
    if (ea == R_NOOP && !o.show_all && !important)
        return 1;
    if (important)
        o.show_all = 1;
    r_indent(r, indent + 1);
    r_symbol(r, ea);
    rdiff_key(r->b, e->key, 0, width);
    sb_puts(r->b, " = ");
    rdiff_value(r, e->a, e->b, indent + 1, o, forces, depth + 1);
    sb_putc(r->b, '\n');
    return 0;
}

/* An object value: attribute names padded to the longest. */
static void r_object(rctx *r, const val *a, const val *b, enum r_act act, int indent, ropts o,
                     int forces, int depth)
{
    r_entry *e;
    size_t n = r_entries(a, b, o.dynamic ? 0 : R_TYPED, &e), width = 0, nunch = 0;
    if (n == 0) {
        r_empty(r, "{}", act, o, forces);
        free(e);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (rdiff_key_len(e[i].key) > width)
            width = rdiff_key_len(e[i].key);
    ropts ao = o;
    ao.no_null = 1;
    r_open(r, '{', forces);
    for (size_t i = 0; i < n; i++)
        nunch += (size_t)r_attr_line(r, &e[i], width, indent, ao, 0, depth);
    if (nunch)
        r_unchanged(r, indent + 1, "attribute", nunch);
    r_close(r, indent, '}', act, o);
    free(e);
}

/* A value that is only known after apply, with what it replaces. */
static void r_unknown(rctx *r, const val *a, enum r_act act, int indent, ropts o, int forces,
                      int depth)
{
    if (act != R_CREATE && a && !val_is_unknown(*a)) {
        ropts bo = o;
        bo.no_null = 1;
        rdiff_value(r, a, NULL, indent, bo, 0, depth + 1);
        sb_puts(r->b, " -> ");
    }
    sb_puts(r->b, "(known after apply)");
    r_forces(r, forces);
}

/* The diff of one value from a to b at an indent (the first line is
 * written where the caller left off). */
void rdiff_value(rctx *r, const val *a, const val *b, int indent, ropts o, int forces,
                 int depth)
{
    enum r_act act = r_action(a, b);
    if (depth > RENDER_MAX_DEPTH) {
        sb_puts(r->b, "...");
        return;
    }
    if ((a && val_is_sensitive(*a)) || (b && val_is_sensitive(*b))) {
        sb_puts(r->b, "(sensitive value)");
        rdiff_null_suffix(r, act, o);
        r_forces(r, forces);
        return;
    }
    if ((a && val_is_unknown(*a)) || (b && val_is_unknown(*b))) {
        r_unknown(r, a, act, indent, o, forces, depth);
        return;
    }
    const val *v = b ? b : a;
    enum r_shape s = v ? r_shape_of(v, o) : SH_NULL;
    if (a && b && r_shape_of(a, o) != s && (s != SH_PRIM || r_shape_of(a, o) != SH_NULL)) {
        r_type_change(r, a, b, indent, o, forces, depth);
        return;
    }
    switch (s) {
    case SH_LIST: r_seq(r, a, b, act, indent, o, forces, depth, 0); break;
    case SH_SET: r_seq(r, a, b, act, indent, o, forces, depth, 1); break;
    case SH_MAP: r_map(r, a, b, act, indent, o, forces, depth); break;
    case SH_OBJECT: r_object(r, a, b, act, indent, o, forces, depth); break;
    default: r_prim(r, a, b, act, indent, o, forces, depth); break;
    }
}

/* ---------------------------------------------------------------- blocks */

/* A known object that is neither sensitive nor unknown. */
static int r_plain_obj(const val *v)
{
    return val_kind(*v) == VAL_OBJECT && !val_is_unknown(*v) && !val_is_null(*v) &&
           !val_is_sensitive(*v);
}

/* A side of a nested block list: a known list or set whose elements are
 * all known objects (an empty one typed as a list of objects). */
static int r_blockish(const val *v)
{
    if (!v)
        return 1;
    if (val_is_unknown(*v) || val_is_sensitive(*v) ||
        (val_kind(*v) != VAL_LIST && val_kind(*v) != VAL_SET))
        return 0;
    size_t n = val_len(*v);
    if (n == 0) {
        ty *t = val_type(*v);
        int ok = ty_elem(t) && ty_kind(ty_elem(t)) == TY_OBJECT;
        ty_free(t);
        return ok;
    }
    for (size_t i = 0; i < n; i++)
        if (!r_plain_obj(val_at(*v, i)))
            return 0;
    return 1;
}

/* A side of a MAP nested block type: a known map (or object) of known
 * objects. */
static int r_block_map(const val *v)
{
    if (!v)
        return 1;
    if (val_is_unknown(*v) || val_is_sensitive(*v) ||
        (val_kind(*v) != VAL_MAP && val_kind(*v) != VAL_OBJECT))
        return 0;
    for (size_t i = 0; i < val_len(*v); i++)
        if (!r_plain_obj(val_at(*v, i)))
            return 0;
    return 1;
}

/* Schema block type `name` of s drawn as blocks, or NULL.  A block type
 * in attributes-as-blocks mode (PROV_AS_ATTR) is not: Terraform's schema
 * has it as an attribute (a list or set of objects), and draws it so. */
static const prov_block *r_schema_block(const prov_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->nblocks; i++)
        if (strcmp(s->blocks[i].type_name, name) == 0)
            return s->blocks[i].flags & PROV_AS_ATTR ? NULL : &s->blocks[i];
    return NULL;
}

/* Whether both sides of entry e can be drawn as blocks of type pb (NULL:
 * no schema, so lists and sets of objects are taken for blocks).  Unknown
 * and sensitive block values stay attributes ("(known after apply)",
 * "(sensitive value)"). */
static int r_is_block(const r_entry *e, const prov_block *pb)
{
    if (!pb)
        return r_blockish(e->a) && r_blockish(e->b);
    switch (pb->nesting) {
    case PROV_NEST_SINGLE:
        return (!e->a || r_plain_obj(e->a)) && (!e->b || r_plain_obj(e->b));
    case PROV_NEST_MAP:
        return r_block_map(e->a) && r_block_map(e->b);
    default:
        return r_blockish(e->a) && r_blockish(e->b);
    }
}

/* Whether a block entry has any block on either side. */
static int r_has_blocks(const r_entry *e, const prov_block *pb)
{
    if (pb && pb->nesting == PROV_NEST_SINGLE)
        return e->a || e->b;
    return (e->a && val_len(*e->a)) || (e->b && val_len(*e->b));
}

static int r_forced(const plan_change *c, const char *key)
{
    for (size_t i = 0; c && i < c->nreplace; i++)
        if (c->replace_paths[i] && strcmp(c->replace_paths[i], key) == 0)
            return 1;
    return 0;
}

/* The nested blocks of one block type. */
typedef struct r_group {
    r_entry e;
    const prov_block *pb;       /* its schema; NULL when guessed */
} r_group;

/* Pair the blocks of group g as Terraform does: SINGLE the one block,
 * MAP by key (*keys: the key of each pair, owned array of borrowed
 * strings), SET by equal elements, LIST by index.  Returns the count. */
static size_t r_group_pairs(const r_group *g, r_pair **out, const char ***keys)
{
    enum prov_nesting nest = g->pb ? g->pb->nesting
                             : (g->e.a && val_kind(*g->e.a) == VAL_SET) ||
                                       (g->e.b && val_kind(*g->e.b) == VAL_SET)
                                 ? PROV_NEST_SET
                                 : PROV_NEST_LIST;
    *keys = NULL;
    if (nest == PROV_NEST_SINGLE) {
        *out = xmalloc(sizeof **out);
        **out = (r_pair){g->e.a, g->e.b};
        return 1;
    }
    if (nest == PROV_NEST_MAP) {
        r_entry *me;
        size_t n = r_entries(g->e.a, g->e.b, 0, &me);
        *out = xmalloc((n + 1) * sizeof **out);
        *keys = xmalloc((n + 1) * sizeof **keys);
        for (size_t i = 0; i < n; i++) {
            (*out)[i] = (r_pair){me[i].a, me[i].b};
            (*keys)[i] = me[i].key;
        }
        free(me);
        return n;
    }
    size_t nx, ny, n;
    const val **xs = r_elems(g->e.a, &nx), **ys = r_elems(g->e.b, &ny);
    n = nest == PROV_NEST_SET ? r_set_pairs(xs, nx, ys, ny, out)
                              : r_index_pairs(xs, nx, ys, ny, out);
    free(xs), free(ys);
    return n;
}

/* The nested blocks of one block type, `name {` or `name "key" {` each;
 * returns how many were unchanged (hidden). */
static size_t r_block_group(rctx *r, const r_group *g, int indent, const plan_change *c,
                            int gap, int depth)
{
    r_pair *p;
    const char **keys;
    size_t n = r_group_pairs(g, &p, &keys), nunch = 0;
    for (size_t i = 0; i < n; i++) {
        enum r_act a = r_action(p[i].a, p[i].b);
        if (a == R_NOOP) {
            nunch++;
            continue;
        }
        if (gap)
            sb_putc(r->b, '\n');
        gap = 0;
        r_indent(r, indent + 1);
        r_symbol(r, a);
        rdiff_key(r->b, g->e.key, 0, 0);
        sb_putc(r->b, ' ');
        if (keys) {
            val_fmt_quote(r->b, keys[i], strlen(keys[i]));
            sb_putc(r->b, ' ');
        }
        rdiff_block(r, p[i].a, p[i].b, indent + 1, NULL, r_forced(c, g->e.key),
                    g->pb ? g->pb->schema : NULL, depth + 1);
        sb_putc(r->b, '\n');
    }
    free(p), free(keys);
    return nunch;
}

/* Split a block's entries into attributes (kept in e, count *nattrs) and
 * nested block types (to *groups, count returned): the block types of
 * schema s, or without one what looks like blocks. */
static size_t r_split(r_entry *e, size_t n, const prov_schema *s, size_t *nattrs,
                      r_group **groups)
{
    r_group *g = xmalloc((n + 1) * sizeof *g);
    size_t na = 0, ng = 0;
    for (size_t i = 0; i < n; i++) {
        const prov_block *pb = r_schema_block(s, e[i].key);
        if ((s && !pb) || !r_is_block(&e[i], pb))
            e[na++] = e[i];
        else if (r_has_blocks(&e[i], pb))
            g[ng++] = (r_group){e[i], pb};
    }
    *nattrs = na;
    *groups = g;
    return ng;
}

/* A block (a resource's body or a nested block) under schema s (NULL when
 * unknown): its attributes, then its nested blocks, "{" ... "}".  c gives
 * the replace paths (top level only); forces marks the header "# forces
 * replacement". */
void rdiff_block(rctx *r, const val *a, const val *b, int indent, const plan_change *c,
                 int forces, const prov_schema *s, int depth)
{
    r_entry *e;
    r_group *bl;
    size_t n = r_entries(a, b, R_TYPED | R_BLANK, &e), na, width = 0, nunch = 0;
    size_t nb = r_split(e, n, s, &na, &bl);
    if (na == 0 && nb == 0) {
        sb_puts(r->b, "{}");
        r_forces(r, forces);
    } else {
        for (size_t i = 0; i < na; i++)
            if (rdiff_key_len(e[i].key) > width)
                width = rdiff_key_len(e[i].key);
        r_open(r, '{', forces);
        for (size_t i = 0; i < na; i++)
            nunch += (size_t)r_attr_line(r, &e[i], width, indent,
                                         (ropts){.show_all = depth == 0 && c && c->import_id},
                                         r_forced(c, e[i].key), depth);
        if (nunch)
            r_unchanged(r, indent + 1, "attribute", nunch);
        nunch = 0;
        for (size_t i = 0; i < nb; i++)
            nunch += r_block_group(r, &bl[i], indent, c, na > 0, depth);
        if (nunch) {
            sb_putc(r->b, '\n');
            r_unchanged(r, indent + 1, "block", nunch);
        }
        r_indent(r, indent);
        r_symbol(r, R_NOOP);
        sb_putc(r->b, '}');
    }
    free(e), free(bl);
}
