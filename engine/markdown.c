/*
 * engine/markdown.c — a plan as a pull-request comment (see markdown.h).
 *
 * The comment is built in two parts: the fixed part (verdict, counts, the
 * destroy/replace alert, the table), which is never cut, and one block of
 * details per changed resource plus one for the outputs.  The blocks are
 * left out largest first (ties: the later one first) until the whole
 * fits in max_chars together with the note that says what was left out.
 * Sizes are bytes, which bounds characters from above.
 *
 * Text from the plan goes through exactly one escaper for where it lands:
 * md_html (table, <summary>), md_text (list prose), md_code (code spans),
 * or a code fence longer than any backtick run of its contents.
 */
#include "engine/markdown.h"

#include <stdlib.h>
#include <string.h>

#include "engine/render.h"

/* Upper bound of the note's length without the addresses it names. */
#define MD_NOTE_BASE 400

typedef struct md_block {
    char *text;
    size_t len;
    const char *name;           /* address, or "outputs" */
    size_t idx;                 /* position in the comment */
    int omitted;
} md_block;

/* ---------------------------------------------------------------- escaping */

static void md_html(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '|': sb_puts(b, "&#124;"); break;
        default: sb_putc(b, *s); break;
        }
    }
}

/* Plain text in Markdown (never at the start of a line): the characters
 * that open emphasis, code, links, HTML, entities or strikethrough escaped. */
static void md_text(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>&|~!", *s))
            sb_putc(b, '\\');
        sb_putc(b, *s);
    }
}

static size_t longest_run(const char *s, char c)
{
    size_t best = 0, run = 0;
    for (; s && *s; s++) {
        run = *s == c ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

/* A code span that holds s whatever backticks it contains. */
static void md_code(strbuf *b, const char *s)
{
    size_t n = longest_run(s, '`') + 1;
    int pad = s[0] == '`' || (s[0] && s[strlen(s) - 1] == '`');
    for (size_t i = 0; i < n; i++)
        sb_putc(b, '`');
    sb_puts(b, pad ? " " : "");
    sb_puts(b, s);
    sb_puts(b, pad ? " " : "");
    for (size_t i = 0; i < n; i++)
        sb_putc(b, '`');
}

static size_t md_code_len(const char *s)
{
    size_t n = longest_run(s, '`') + 1;
    return strlen(s) + 2 * n + 2;
}

/* ---------------------------------------------------------------- changes */

static int md_changed(const plan_change *c)
{
    if (c->action == PLAN_DELETE && c->data)
        return 0;
    return c->action != PLAN_NOOP || c->moved_from || c->import_id;
}

static int md_destructive(const plan_change *c)
{
    return (c->action == PLAN_DELETE && !c->data) || c->action == PLAN_REPLACE ||
           c->action == PLAN_REPLACE_CBD;
}

static const char *md_action(const plan_change *c)
{
    switch (c->action) {
    case PLAN_CREATE: return c->import_id ? "import" : "create";
    case PLAN_READ: return "read";
    case PLAN_UPDATE: return "update";
    case PLAN_REPLACE: return "replace";
    case PLAN_REPLACE_CBD: return "replace (create first)";
    case PLAN_DELETE: return "destroy";
    default: return c->import_id ? "import" : c->moved_from ? "move" : "no-op";
    }
}

/* Why, in words (owned; "" when there is nothing to say). */
static char *md_reason(const plan *p, const plan_change *c)
{
    const char *why = c->reason ? c->reason : "";
    if (!strncmp(why, "because ", 8))
        why += 8;
    switch (c->action) {
    case PLAN_REPLACE: case PLAN_REPLACE_CBD:
        if (c->reason)
            return xstrdup(why);
        if (c->nreplace) {
            strbuf b = {0};
            sb_puts(&b, c->nreplace > 1 ? "changes to " : "a change to ");
            for (size_t i = 0; i < c->nreplace; i++)
                sb_printf(&b, "%s%s", i ? ", " : "", c->replace_paths[i]);
            sb_puts(&b, " forces replacement");
            char *s = sb_take(&b);
            return s ? s : xstrdup("");
        }
        return xstrdup("cannot be updated in place");
    case PLAN_DELETE:
        if (c->deposed)
            return xstrdup("left over from a partially-failed replacement");
        if (p->destroy)
            return xstrdup("destroy plan");
        if (!strcmp(why, "it is not in configuration"))
            return xasprintf("%s is not in configuration", c->res_addr ? c->res_addr : c->addr);
        return xstrdup(why);
    case PLAN_READ:
        return xstrdup(c->reason ? why : "config refers to values not yet known");
    default:
        if (c->import_id)
            return xasprintf("imported from \"%s\"", c->import_id);
        if (c->moved_from)
            return xasprintf("moved from %s", c->moved_from);
        return xstrdup("");
    }
}

/* ---------------------------------------------------------------- fixed part */

typedef struct md_counts {
    size_t create, update, replace, destroy, read, import, move, changed, destructive;
    size_t outputs;
} md_counts;

static void md_count(const plan *p, md_counts *k)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        if (!md_changed(c))
            continue;
        k->changed++;
        k->destructive += (size_t)md_destructive(c);
        k->import += c->import_id != NULL;
        k->move += c->moved_from != NULL;
        switch (c->action) {
        case PLAN_CREATE: k->create++; break;
        case PLAN_UPDATE: k->update++; break;
        case PLAN_REPLACE: case PLAN_REPLACE_CBD: k->replace++; break;
        case PLAN_DELETE: k->destroy++; break;
        case PLAN_READ: k->read++; break;
        default: break;
        }
    }
    for (size_t i = 0; i < p->noutputs; i++)
        k->outputs += p->outputs[i].changed || p->outputs[i].deleted;
}

static void md_verdict(strbuf *b, const plan *p, const md_counts *k)
{
    if (k->destructive)
        sb_printf(b, "**cairn plan: %zu to destroy or replace** :warning:\n\n", k->destructive);
    else if (k->changed)
        sb_puts(b, "**cairn plan: changes, nothing destroyed**\n\n");
    else
        sb_puts(b, "**cairn plan: changes to outputs only**\n\n");
    sb_printf(b, "Plan: %d to add, %d to change, %d to destroy.", p->nadd, p->nchange,
              p->ndestroy);
    const struct { const char *what; size_t n; } parts[] = {
        {"create", k->create}, {"update", k->update}, {"replace", k->replace},
        {"destroy", k->destroy}, {"read", k->read}, {"import", k->import},
        {"move", k->move}, {"output change", k->outputs},
    };
    const char *sep = " \xe2\x80\x94 ";    /* an em dash */
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (!parts[i].n)
            continue;
        sb_printf(b, "%s%zu %s%s", sep, parts[i].n, parts[i].what,
                  parts[i].n > 1 && !strcmp(parts[i].what, "output change") ? "s" : "");
        sep = ", ";
    }
    sb_puts(b, "\n\n");
}

static void md_alert(strbuf *b, const plan *p, const md_counts *k)
{
    if (!k->destructive)
        return;
    sb_puts(b, "> [!CAUTION]\n");
    sb_printf(b, "> **%zu resource%s will be destroyed or replaced:**\n>\n", k->destructive,
              k->destructive == 1 ? "" : "s");
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        if (!md_changed(c) || !md_destructive(c))
            continue;
        char *why = md_reason(p, c);
        sb_puts(b, "> - ");
        md_code(b, plan_change_label(c));
        sb_printf(b, " **%s**", c->action == PLAN_DELETE ? "destroy" : "replace");
        if (why[0]) {
            sb_puts(b, ": ");
            md_text(b, why);
        }
        sb_putc(b, '\n');
        free(why);
    }
    sb_putc(b, '\n');
}

static void md_table(strbuf *b, const plan *p, const md_counts *k)
{
    if (!k->changed)
        return;
    sb_puts(b, "<table>\n<thead><tr><th>Resource</th><th>Action</th><th>Reason</th></tr>"
               "</thead>\n<tbody>\n");
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        if (!md_changed(c))
            continue;
        char *why = md_reason(p, c);
        sb_puts(b, "<tr><td><code>");
        md_html(b, plan_change_label(c));
        sb_puts(b, "</code></td><td>");
        sb_puts(b, md_destructive(c) ? "<b>" : "");
        md_html(b, md_action(c));
        sb_puts(b, md_destructive(c) ? "</b>" : "");
        sb_puts(b, "</td><td>");
        md_html(b, why);
        sb_puts(b, "</td></tr>\n");
        free(why);
    }
    sb_puts(b, "</tbody>\n</table>\n\n");
}

/* ---------------------------------------------------------------- details */

/* The plan text of a change with each action symbol moved to the first
 * column ("~" as "!"), so that GitHub colours the diff. */
static void md_diff_lines(strbuf *b, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        size_t sp = 0;
        while (sp < n && text[sp] == ' ')
            sp++;
        size_t sym = 0;
        if (sp + 3 < n && (!strncmp(text + sp, "-/+ ", 4) || !strncmp(text + sp, "+/- ", 4)))
            sym = 3;
        else if (sp + 2 < n && !strncmp(text + sp, "<= ", 3))
            sym = 2;
        else if (sp + 1 < n && strchr("+-~", text[sp]) && text[sp + 1] == ' ')
            sym = 1;
        if (sym) {
            if (sym == 1 && text[sp] == '~')
                sb_putc(b, '!');
            else
                sb_append(b, text + sp, sym);
            sb_append(b, text, sp);
            sb_append(b, text + sp + sym, n - sp - sym);
        } else {
            sb_append(b, text, n);
        }
        sb_putc(b, '\n');
        text += n + (nl ? 1 : 0);
    }
}

static void md_fenced(strbuf *b, const char *summary_html, const char *body)
{
    size_t n = longest_run(body, '`') + 1;
    if (n < 3)
        n = 3;
    sb_printf(b, "<details><summary>%s</summary>\n\n", summary_html);
    for (size_t i = 0; i < n; i++)
        sb_putc(b, '`');
    sb_puts(b, "diff\n");
    md_diff_lines(b, body);
    for (size_t i = 0; i < n; i++)
        sb_putc(b, '`');
    sb_puts(b, "\n\n</details>\n\n");
}

static char *md_change_block(const plan *p, const plan_change *c)
{
    strbuf diff = {0}, sum = {0}, out = {0};
    render_change(&diff, c);
    const char *d = diff.s ? diff.s : "";
    while (*d == '\n')
        d++;
    (void)p;
    sb_puts(&sum, "<code>");
    md_html(&sum, plan_change_label(c));
    sb_puts(&sum, "</code> ");
    md_html(&sum, md_action(c));
    md_fenced(&out, sum.s ? sum.s : "", d);
    sb_free(&diff);
    sb_free(&sum);
    return sb_take(&out);
}

static char *md_outputs_block(const plan *p, const md_counts *k)
{
    if (!k->outputs)
        return NULL;
    strbuf body = {0}, out = {0};
    for (size_t i = 0; i < p->noutputs; i++)
        render_output(&body, &p->outputs[i]);
    char sum[64];
    snprintf(sum, sizeof sum, "Changes to Outputs (%zu)", k->outputs);
    md_fenced(&out, sum, body.s ? body.s : "");
    sb_free(&body);
    return sb_take(&out);
}

/* ---------------------------------------------------------------- fitting */

static int by_size(const void *x, const void *y)
{
    const md_block *a = *(md_block *const *)x, *b = *(md_block *const *)y;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return a->idx > b->idx ? -1 : a->idx < b->idx;
}

/* Mark blocks omitted, largest first, until fixed + blocks + note fits.
 * Returns whether the note can name them. */
static int md_fit(md_block *v, size_t n, size_t fixed, size_t max)
{
    md_block **order = xmalloc((n + 1) * sizeof *order);
    size_t total = 0, names = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        order[i] = &v[i];
        total += v[i].len;
    }
    qsort(order, n, sizeof *order, by_size);
    int with_names = 1;
    for (;;) {
        if (fixed + total + (k ? MD_NOTE_BASE + names : 0) <= max)
            break;
        if (k && fixed + total + MD_NOTE_BASE <= max) {
            with_names = 0;
            break;
        }
        if (k == n) {
            with_names = 0;
            break;
        }
        order[k]->omitted = 1;
        total -= order[k]->len;
        names += md_code_len(order[k]->name) + 2;
        k++;
    }
    free(order);
    return with_names;
}

static void md_note(strbuf *b, const md_block *v, size_t n, size_t max, int with_names)
{
    size_t k = 0, bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].omitted) {
            k++;
            bytes += v[i].len;
        }
    if (!k)
        return;
    sb_printf(b, "> [!NOTE]\n> %zu of %zu diffs (%zu characters) were left out, the largest "
              "first, to keep this comment under %zu characters. `cairn show PLANFILE` "
              "prints them all.", k, n, bytes, max);
    if (with_names) {
        sb_puts(b, " Left out:");
        const char *sep = " ";
        for (size_t i = 0; i < n; i++)
            if (v[i].omitted) {
                sb_puts(b, sep);
                md_code(b, v[i].name);
                sep = ", ";
            }
    }
    sb_puts(b, "\n\n");
}

/* ---------------------------------------------------------------- the comment */

static void md_no_changes(strbuf *b, const plan *p)
{
    if (p->destroy)
        sb_puts(b, "**cairn plan: no changes**\n\nNo objects need to be destroyed.\n");
    else
        sb_puts(b, "**cairn plan: no changes**\n\nYour infrastructure matches the "
                   "configuration.\n");
}

char *markdown_plan(const plan *p, const md_opts *o)
{
    size_t max = o && o->max_chars ? o->max_chars : MARKDOWN_DEFAULT_MAX_CHARS;
    plan *shown = o && o->show_sensitive ? render_reveal(p) : NULL;
    const plan *q = shown ? shown : p;
    md_counts k;
    md_count(q, &k);
    strbuf b = {0};
    if (!k.changed && !k.outputs) {
        md_no_changes(&b, q);
        render_reveal_free(shown);
        return sb_take(&b);
    }
    md_verdict(&b, q, &k);
    md_alert(&b, q, &k);
    md_table(&b, q, &k);
    md_block *v = xcalloc(k.changed + 2, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (md_changed(&q->changes[i])) {
            char *t = md_change_block(q, &q->changes[i]);
            v[n] = (md_block){t, t ? strlen(t) : 0, q->changes[i].addr, n, 0};
            n++;
        }
    char *outs = md_outputs_block(q, &k);
    if (outs) {
        v[n] = (md_block){outs, strlen(outs), "outputs", n, 0};
        n++;
    }
    int with_names = md_fit(v, n, b.len, max);
    md_note(&b, v, n, max, with_names);
    for (size_t i = 0; i < n; i++) {
        if (!v[i].omitted && v[i].text)
            sb_append(&b, v[i].text, v[i].len);
        free(v[i].text);
    }
    free(v);
    render_reveal_free(shown);
    return sb_take(&b);
}
