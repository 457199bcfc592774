/*
 * engine/render.c — a plan as `terraform plan` prints it (see render.h):
 * the layout around the diffs of render_diff.c, that is each change's
 * comment lines and header, the notes on objects changed outside cairn,
 * the outputs, the legend, the summary and the "No changes." texts.  The
 * whole text is built in one strbuf and written at the end.
 */
#include "engine/render.h"

#include <stdlib.h>
#include <string.h>

#include "engine/render_diff.h"

/* Width of Terraform's rule: its 78-column default minus one. */
#define RENDER_RULE_WIDTH 77

/* ---------------------------------------------------------------- changes */

/* Whether a change is printed: an action, or a move; never the deletion
 * of a data source. */
static int r_shown(const plan_change *c)
{
    if (c->action == PLAN_DELETE && c->data)
        return 0;
    return c->action != PLAN_NOOP || c->moved_from || c->import_id;
}

/* TYPE and NAME of an instance address ("module.m.aws_x.y[0]": aws_x, y). */
static void r_addr_parts(const char *addr, const char **type, size_t *ntype,
                         const char **name, size_t *nname)
{
    size_t end = strlen(addr), key = end;
    int quoted = 0;
    for (size_t i = 0; i < end; i++) {
        if (addr[i] == '\\' && quoted && i + 1 < end)
            i++;
        else if (addr[i] == '"')
            quoted = !quoted;
        else if (addr[i] == '[' && !quoted)
            key = i;
    }
    if (end && addr[end - 1] == ']')
        end = key;
    size_t dot = end;
    while (dot > 0 && addr[dot - 1] != '.')
        dot--;
    *name = addr + dot;
    *nname = end - dot;
    size_t tdot = dot ? dot - 1 : 0;
    while (tdot > 0 && addr[tdot - 1] != '.')
        tdot--;
    *type = addr + tdot;
    *ntype = dot ? dot - 1 - tdot : 0;
}

/* The line under "will be destroyed" saying why, from c->reason ("because
 * it is not in configuration" names the resource, as Terraform does). */
static void r_delete_reason(rctx *r, const plan_change *c, const char *type, size_t ntype,
                            const char *name, size_t nname)
{
    static const char it[] = "because it is not in configuration";
    if (!c->reason)
        return;
    if (strcmp(c->reason, it) != 0)
        sb_printf(r->b, "\n  # (%s)", c->reason);
    else if (c->moved_from)
        sb_printf(r->b, "\n  # (because %s was moved to %s, which is not in configuration)",
                  c->moved_from, c->addr);
    else
        sb_printf(r->b, "\n  # (because %.*s.%.*s is not in configuration)", (int)ntype, type,
                  (int)nname, name);
}

/* The comment lines above a change's block, in markup (colorized by the
 * caller in one piece, as Terraform colorizes them). */
static void r_comment(rctx *r, const plan_change *c, const char *type, size_t ntype,
                      const char *name, size_t nname)
{
    const char *a = plan_change_label(c), *why = c->reason ? c->reason : "";
    switch (c->action) {
    case PLAN_CREATE: sb_printf(r->b, "[bold]  # %s[reset] will be created", a); break;
    case PLAN_READ:
        sb_printf(r->b, "[bold]  # %s[reset] will be read during apply\n  # (%s)", a,
                  c->reason ? c->reason : "config refers to values not yet known");
        break;
    case PLAN_UPDATE: sb_printf(r->b, "[bold]  # %s[reset] will be updated in-place", a); break;
    case PLAN_REPLACE: case PLAN_REPLACE_CBD:
        if (strcmp(why, "as requested") == 0)
            sb_printf(r->b, "[bold]  # %s[reset] will be [bold][red]replaced[reset], as requested",
                      a);
        else if (strstr(why, "replace_triggered_by"))
            sb_printf(r->b, "[bold]  # %s[reset] will be [bold][red]replaced[reset] due to "
                      "changes in replace_triggered_by", a);
        else if (strstr(why, "tainted"))
            sb_printf(r->b, "[bold]  # %s[reset] is tainted, so must be "
                      "[bold][red]replaced[reset]", a);
        else
            sb_printf(r->b, "[bold]  # %s[reset] must be [bold][red]replaced[reset]", a);
        break;
    case PLAN_DELETE:
        sb_printf(r->b, "[bold]  # %s[reset] will be [bold][red]destroyed[reset]", a);
        r_delete_reason(r, c, type, ntype, name, nname);
        if (c->deposed)
            sb_puts(r->b, "\n  # (left over from a partially-failed replacement of this instance)");
        break;
    default:
        if (c->import_id && !c->moved_from)
            sb_printf(r->b, "[bold]  # %s[reset] will be imported", a);
        else
            sb_printf(r->b, "[bold]  # %s[reset] has moved to [bold]%s[reset]",
                      c->moved_from ? c->moved_from : a, a);
        break;
    }
    sb_putc(r->b, '\n');
    if (c->import_id && c->action != PLAN_NOOP)
        sb_printf(r->b, "    # (imported from \"%s\")\n", c->import_id);
    if (c->moved_from && c->action != PLAN_NOOP)
        sb_printf(r->b, "  # [reset](moved from %s)\n", c->moved_from);
}

/* Terraform's DiffActionSymbol for a resource's action. */
static const char *r_change_sym(enum plan_action a)
{
    switch (a) {
    case PLAN_CREATE: return "  [green]+[reset]";
    case PLAN_READ: return " [cyan]<=[reset]";
    case PLAN_UPDATE: return "  [yellow]~[reset]";
    case PLAN_REPLACE: return "[red]-[reset]/[green]+[reset]";
    case PLAN_REPLACE_CBD: return "[green]+[reset]/[red]-[reset]";
    case PLAN_DELETE: return "  [red]-[reset]";
    default: return "   ";
    }
}

/* The object side of a change, or NULL. */
static const val *r_obj_side(const val *v)
{
    if (!val_is_valid(*v) || val_is_null(*v) || val_is_unknown(*v) ||
        val_kind(*v) != VAL_OBJECT)
        return NULL;
    return v;
}

/* TYPE and NAME of a change's address (TYPE from c->type when set). */
static void r_type_name(const plan_change *c, const char **type, size_t *ntype,
                        const char **name, size_t *nname)
{
    r_addr_parts(c->addr, type, ntype, name, nname);
    if (c->type) {
        *type = c->type;
        *ntype = strlen(c->type);
    }
}

/* The header of a change's block and its diff from a to b, with the
 * symbol of action. */
static void r_body(rctx *r, const plan_change *c, enum plan_action action, const val *a,
                   const val *b)
{
    const char *type, *name;
    size_t ntype, nname;
    r_type_name(c, &type, &ntype, &name, &nname);
    rdiff_color(r, r_change_sym(action));
    sb_printf(r->b, " %s \"%.*s\" \"%.*s\" ", c->data ? "data" : "resource", (int)ntype, type,
              (int)nname, name);
    rdiff_block(r, a, b, 0, c, 0, c->schema, 0);
    sb_putc(r->b, '\n');
}

/* One change: a blank line, its comment, its block. */
static void r_change(rctx *r, const plan_change *c)
{
    const char *type, *name;
    size_t ntype, nname;
    r_type_name(c, &type, &ntype, &name, &nname);
    strbuf t = {0}, *save = r->b;
    r->b = &t;
    r_comment(r, c, type, ntype, name, nname);
    r->b = save;
    sb_putc(r->b, '\n');
    rdiff_color(r, t.s ? t.s : "");
    sb_free(&t);
    const val *a = c->action == PLAN_CREATE || c->action == PLAN_READ ? NULL
                                                                     : r_obj_side(&c->prior);
    const val *b = c->action == PLAN_DELETE ? NULL : r_obj_side(&c->planned);
    r_body(r, c, c->action, a, b);
}

/* ---------------------------------------------------------------- relevance */

/* A change's resource address and index, sorted by address. */
typedef struct r_res {
    const char *addr;
    size_t i;
} r_res;

static int r_res_cmp(const void *x, const void *y)
{
    return strcmp(((const r_res *)x)->addr, ((const r_res *)y)->addr);
}

static int r_has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* Mark (in rel, queueing in q at *nq) the changes of the resources c
 * depends on: every instance, or only the ones c names when its
 * references to the resource were narrowed. */
static void r_mark_deps(const plan *p, const plan_change *c, const r_res *byaddr,
                        unsigned char *rel, size_t *q, size_t *nq)
{
    for (size_t d = 0; d < c->ndeps; d++) {
        size_t lo = 0, hi = p->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(byaddr[mid].addr, c->deps[d]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        int narrowed = r_has(c->narrow, c->nnarrow, c->deps[d]);
        for (size_t k = lo; k < p->n && !strcmp(byaddr[k].addr, c->deps[d]); k++) {
            size_t j = byaddr[k].i;
            if (rel[j] || (narrowed && !r_has(c->inst_deps, c->ninst_deps,
                                              p->changes[j].addr)))
                continue;
            rel[j] = 1;
            q[(*nq)++] = j;
        }
    }
}

/* Terraform's relevant attributes, by instance: which changes' objects
 * contribute to the plan, because a change with an action (and a
 * configuration) refers to them, or to an object that does, and so on.
 * Returns a flag per change (owned).  Terraform also counts what changed
 * outputs refer to; the plan does not say that, so those are left out. */
static unsigned char *r_relevant(const plan *p)
{
    unsigned char *rel = xcalloc(p->n + 1, 1);
    r_res *byaddr = xmalloc((p->n + 1) * sizeof *byaddr);
    size_t *q = xmalloc((p->n + 1) * sizeof *q), nq = 0;
    for (size_t i = 0; i < p->n; i++)
        byaddr[i] = (r_res){p->changes[i].res_addr ? p->changes[i].res_addr : "", i};
    qsort(byaddr, p->n, sizeof *byaddr, r_res_cmp);
    for (size_t i = 0; i < p->n; i++)
        if (p->changes[i].action != PLAN_NOOP && p->changes[i].cfg)
            r_mark_deps(p, &p->changes[i], byaddr, rel, q, &nq);
    for (size_t i = 0; i < nq; i++)
        r_mark_deps(p, &p->changes[q[i]], byaddr, rel, q, &nq);
    free(byaddr), free(q);
    return rel;
}

/* Whether change i is in the notes on objects changed outside cairn:
 * deleted and relevant (rel, see r_relevant), or in a -refresh-only plan
 * deleted or changed.  Terraform notes a relevant object as changed only
 * where an attribute referred to changed; the plan does not say which
 * attributes are referred to, so outside -refresh-only cairn notes no
 * changed object, and a deleted one with its attributes unchanged (as
 * Terraform does for the ones not referred to). */
static int r_drift_shown(const plan *p, size_t i, const unsigned char *rel)
{
    const plan_change *c = &p->changes[i];
    if (c->data || c->deposed || !r_obj_side(&c->before_refresh))
        return 0;
    if (p->refresh_only)
        return c->gone || c->drifted;
    return c->gone && rel[i];
}

/* One note on an object changed outside cairn: a blank line, "# ADDR has
 * been deleted" (or "has changed") and the block, as Terraform's drift. */
static void r_drift_change(rctx *r, const plan *p, const plan_change *c)
{
    strbuf t = {0};
    sb_printf(&t, "[bold]  # %s[reset] %s", c->addr, c->gone ? "has been deleted" : "has changed");
    sb_putc(r->b, '\n');
    rdiff_color(r, t.s ? t.s : "");
    sb_putc(r->b, '\n');
    sb_free(&t);
    const val *a = r_obj_side(&c->before_refresh);
    const val *b = c->gone ? (p->refresh_only ? NULL : a) : r_obj_side(&c->prior);
    r_body(r, c, c->gone ? PLAN_DELETE : PLAN_UPDATE, a, b);
}

/* ---------------------------------------------------------------- outputs */

static int r_output_shown(const plan_output *o)
{
    return o->changed || o->deleted;
}

static void r_output(rctx *r, const plan_output *o, size_t width)
{
    const val *v = val_is_valid(o->value) ? &o->value : NULL;
    const val *pv = val_is_valid(o->prior) ? &o->prior : NULL;
    enum r_act act = o->deleted ? R_DELETE : pv ? R_UPDATE : R_CREATE;
    rdiff_color(r, rdiff_sym_markup(act));
    sb_putc(r->b, ' ');
    rdiff_key(r->b, o->name, 0, width);
    sb_puts(r->b, " = ");
    if (o->sensitive || (v && val_is_sensitive(*v)) || (pv && val_is_sensitive(*pv))) {
        sb_puts(r->b, "(sensitive value)");
        rdiff_null_suffix(r, act, (ropts){0});
    } else if (!v) {
        rdiff_prim_text(r, NULL);
    } else {
        ropts dyn = {.dynamic = 1};
        const val *before = act == R_DELETE ? (pv ? pv : v) : act == R_UPDATE ? pv : NULL;
        rdiff_value(r, before, act == R_DELETE ? NULL : v, 0, dyn, 0, 0);
    }
}

static int r_output_cmp(const void *x, const void *y)
{
    const plan_output *a = *(const plan_output *const *)x, *b = *(const plan_output *const *)y;
    return strcmp(a->name, b->name);
}

/* "Changes to Outputs:" and the outputs that change, sorted by name and
 * padded to the longest output name. */
static void r_outputs(rctx *r, const plan *p)
{
    size_t width = 0;
    const plan_output **sorted = xmalloc((p->noutputs + 1) * sizeof *sorted);
    for (size_t i = 0; i < p->noutputs; i++) {
        sorted[i] = &p->outputs[i];
        if (rdiff_key_len(p->outputs[i].name) > width)
            width = rdiff_key_len(p->outputs[i].name);
    }
    qsort(sorted, p->noutputs, sizeof *sorted, r_output_cmp);
    sb_puts(r->b, "\nChanges to Outputs:\n");
    for (size_t i = 0; i < p->noutputs; i++)
        if (r_output_shown(sorted[i])) {
            r_output(r, sorted[i], width);
            sb_putc(r->b, '\n');
        }
    free(sorted);
}

/* ---------------------------------------------------------------- the plan */

typedef struct r_tally {
    size_t shown, counted, outputs, drift;
    size_t active;              /* changes with an action, or moved */
    size_t by[PLAN_DELETE + 1];
} r_tally;

static void r_count(const plan *p, const unsigned char *rel, r_tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        t->drift += (size_t)r_drift_shown(p, i, rel);
        t->active += c->action != PLAN_NOOP || c->moved_from;
        if (!r_shown(c))
            continue;
        t->shown++;
        if (c->action != PLAN_NOOP && (unsigned)c->action <= PLAN_DELETE) {
            t->counted++;
            t->by[c->action]++;
        }
    }
    for (size_t i = 0; i < p->noutputs; i++)
        t->outputs += (size_t)r_output_shown(&p->outputs[i]);
}

static void r_rule(rctx *r)
{
    strbuf t = {0};
    sb_puts(&t, "[dark_gray]\n");
    for (int i = 0; i < RENDER_RULE_WIDTH; i++)
        sb_puts(&t, "\xe2\x94\x80");
    rdiff_color(r, t.s ? t.s : "");
    sb_putc(r->b, '\n');
    sb_free(&t);
}

/* The notes on objects changed outside cairn (Terraform's drift); rel:
 * see r_relevant. */
static void r_drift(rctx *r, const plan *p, const unsigned char *rel)
{
    rdiff_color(r, "\n[bold][cyan]Note:[reset][bold] Objects have changed outside of cairn\n");
    sb_puts(r->b, "\ncairn detected the following changes made outside of cairn since the\n"
                  "last \"cairn apply\" which may have affected this plan:\n");
    for (size_t i = 0; i < p->nnotes; i++) {
        const char *s = p->notes[i] ? p->notes[i] : "";
        size_t n = strlen(s);
        while (n && s[n - 1] == '\n')
            n--;
        sb_putc(r->b, '\n');
        sb_append(r->b, s, n);
        sb_putc(r->b, '\n');
    }
    for (size_t i = 0; i < p->n; i++)
        if (r_drift_shown(p, i, rel))
            r_drift_change(r, p, &p->changes[i]);
    if (p->refresh_only)
        sb_puts(r->b, "\n\nThis is a refresh-only plan, so cairn will not take any actions to "
                      "undo\nthese. If you were expecting these changes then you can apply this "
                      "plan to\nrecord the updated values in the cairn state without changing any "
                      "remote\nobjects.\n");
    else
        sb_puts(r->b, "\n\nUnless you have made equivalent changes to your configuration, or "
                      "ignored the\nrelevant attributes using ignore_changes, the following plan "
                      "may include\nactions to undo or respond to these changes.\n");
}

static void r_no_changes(rctx *r, const plan *p, int drift)
{
    if (p->refresh_only) {
        if (drift)
            return;
        rdiff_color(r, "\n[reset][bold][green]No changes.[reset][bold] Your infrastructure still "
                   "matches the configuration.[reset]\n\n");
        sb_puts(r->b, "cairn has checked that the real remote objects still match the result "
                      "of\nyour most recent changes, and found no differences.\n");
    } else if (p->destroy) {
        rdiff_color(r, "\n[reset][bold][green]No changes.[reset][bold] No objects need to be "
                   "destroyed.[reset]\n\n");
        sb_puts(r->b, "Either you have not created any objects yet or the existing objects "
                      "were\nalready deleted outside of cairn.\n");
    } else {
        rdiff_color(r, "\n[reset][bold][green]No changes.[reset][bold] Your infrastructure "
                   "matches the configuration.[reset]\n\n");
        sb_puts(r->b, "cairn has compared your real infrastructure against your "
                      "configuration\nand found no differences, so no changes are needed.\n");
    }
}

/* The legend: only the symbols this plan uses, in Terraform's order. */
static void r_legend(rctx *r, const r_tally *t)
{
    static const struct { enum plan_action a; const char *line; } lines[] = {
        {PLAN_CREATE, "  [green]+[reset] create"},
        {PLAN_UPDATE, "  [yellow]~[reset] update in-place"},
        {PLAN_DELETE, "  [red]-[reset] destroy"},
        {PLAN_REPLACE, "[red]-[reset]/[green]+[reset] destroy and then create replacement"},
        {PLAN_REPLACE_CBD, "[green]+[reset]/[red]-[reset] create replacement and then destroy"},
        {PLAN_READ, " [cyan]<=[reset] read (data resources)"},
    };
    sb_puts(r->b, "\ncairn used the selected providers to generate the following execution\n"
                  "plan. Resource actions are indicated with the following symbols:\n");
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (t->by[lines[i].a]) {
            rdiff_color(r, lines[i].line);
            sb_putc(r->b, '\n');
        }
}

static void r_summary(rctx *r, const plan *p)
{
    rdiff_color(r, "[bold]Plan:[reset] ");
    if (p->nimport > 0)
        sb_printf(r->b, "%d to import, ", p->nimport);
    sb_printf(r->b, "%d to add, %d to change, %d to destroy.\n", p->nadd, p->nchange,
              p->ndestroy);
}

static void r_plan(rctx *r, const plan *p)
{
    r_tally t;
    unsigned char *rel = r_relevant(p);
    r_count(p, rel, &t);
    int empty = t.shown == 0 && t.outputs == 0;
    /* As Terraform: no notes for a plan without a change (diffs.Empty),
     * unless -refresh-only, where the notes are the plan. */
    int drift = t.drift + p->nnotes > 0 && (t.active || t.outputs || p->refresh_only);
    if (drift)
        r_drift(r, p, rel);
    free(rel);
    if (empty) {
        if (drift && !p->refresh_only)
            r_rule(r);
        r_no_changes(r, p, drift);
        return;
    }
    if (drift)
        r_rule(r);
    if (t.counted)
        r_legend(r, &t);
    if (t.shown) {
        sb_puts(r->b, "\ncairn will perform the following actions:\n");
        for (size_t i = 0; i < p->n; i++)
            if (r_shown(&p->changes[i]))
                r_change(r, &p->changes[i]);
        sb_putc(r->b, '\n');
        r_summary(r, p);
    }
    if (t.outputs) {
        r_outputs(r, p);
        if (!t.counted)
            sb_puts(r->b, "\nYou can apply this plan to save these new output values to the "
                          "cairn\nstate, without changing any real infrastructure.\n");
    }
}

static void r_flush(FILE *out, strbuf *b)
{
    if (b->s)
        fwrite(b->s, 1, b->len, out);
    if (b->failed)
        fputs("\n(the plan text was cut short: out of memory)\n", out);
    sb_free(b);
}

void render_plan(FILE *out, const plan *p, int color)
{
    strbuf b = {0};
    rctx r = {&b, color};
    r_plan(&r, p);
    r_flush(out, &b);
}

void render_change(strbuf *b, const plan_change *c)
{
    rctx r = {b, 0};
    if (r_shown(c))
        r_change(&r, c);
}

void render_output(strbuf *b, const plan_output *o)
{
    rctx r = {b, 0};
    if (r_output_shown(o)) {
        r_output(&r, o, rdiff_key_len(o->name));
        sb_putc(b, '\n');
    }
}

/* A copy of v without sensitive marks anywhere (VAL_INVALID stays). */
static val r_reveal_val(val v)
{
    return val_is_valid(v) ? val_unmark_deep(val_copy(v)) : v;
}

plan *render_reveal(const plan *p)
{
    plan *q = xmalloc(sizeof *q);
    *q = *p;
    q->changes = xcalloc(p->n + 1, sizeof *q->changes);
    q->outputs = xcalloc(p->noutputs + 1, sizeof *q->outputs);
    for (size_t i = 0; i < p->n; i++) {
        q->changes[i] = p->changes[i];
        q->changes[i].prior = r_reveal_val(p->changes[i].prior);
        q->changes[i].planned = r_reveal_val(p->changes[i].planned);
        q->changes[i].before_refresh = r_reveal_val(p->changes[i].before_refresh);
    }
    for (size_t i = 0; i < p->noutputs; i++) {
        q->outputs[i] = p->outputs[i];
        q->outputs[i].sensitive = 0;
        q->outputs[i].value = r_reveal_val(p->outputs[i].value);
        q->outputs[i].prior = r_reveal_val(p->outputs[i].prior);
    }
    return q;
}

void render_reveal_free(plan *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++) {
        val_free(q->changes[i].prior);
        val_free(q->changes[i].planned);
        val_free(q->changes[i].before_refresh);
    }
    for (size_t i = 0; i < q->noutputs; i++) {
        val_free(q->outputs[i].value);
        val_free(q->outputs[i].prior);
    }
    free(q->changes);
    free(q->outputs);
    free(q);
}

void render_summary(FILE *out, const plan *p, int color)
{
    strbuf b = {0};
    rctx r = {&b, color};
    r_summary(&r, p);
    r_flush(out, &b);
}
