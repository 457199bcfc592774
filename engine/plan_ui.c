/*
 * engine/plan_ui.c — the machine-readable UI of `cairn plan -json` and
 * `apply -json`: one JSON message per line, as Terraform's -json streams
 * them (version, planned_change, resource_drift, change_summary, outputs,
 * diagnostics).  The plan document itself is engine/plan_json.c.
 */
#include "engine/cli.h"
#include "engine/plan_json.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Terraform's @timestamp: local time with microseconds; UTC here. */
static void ui_open(strbuf *b, const char *level)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char t[40];
    strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
    sb_printf(b, "{\"@level\":\"%s\",\"@module\":\"terraform.ui\",\"@timestamp\":\"%s.%06ldZ\"",
              level, t, ts.tv_nsec / 1000);
}

static void ui_emit(FILE *out, strbuf *b)
{
    sb_puts(b, "}\n");
    if (b->s && !b->failed)
        fwrite(b->s, 1, b->len, out);
    fflush(out);
    sb_free(b);
}

static void ui_message(strbuf *b, const char *msg)
{
    sb_puts(b, ",\"@message\":");
    pj_quote(b, msg);
}

void plan_ui_version(FILE *out)
{
    strbuf b = {0};
    ui_open(&b, "info");
    char *m = xasprintf("cairn %s", CAIRN_VERSION);
    ui_message(&b, m);
    free(m);
    sb_printf(&b, ",\"terraform\":\"%s\",\"type\":\"version\",\"ui\":\"1.2\"",
              CAIRN_VERSION);
    ui_emit(out, &b);
}

/* The "resource" object of a planned_change / resource_drift message. */
static void ui_resource(strbuf *b, const char *addr, const char *provider)
{
    state_addr a;
    sb_puts(b, "{\"addr\":");
    pj_quote(b, addr);
    if (state_addr_parse(&a, addr) < 0) {
        sb_putc(b, '}');
        return;
    }
    char *m = state_addr_module_str(&a);
    sb_puts(b, ",\"module\":");
    pj_quote(b, m);
    sb_puts(b, ",\"resource\":");
    const char *own = addr + (m && *m ? strlen(m) + 1 : 0);
    pj_quote(b, own);
    char pname[PLUGIN_MAX_NAME + 1];
    const char *open = provider ? strstr(provider, "provider[\"") : NULL;
    const char *close = open ? strstr(open + 10, "\"]") : NULL;
    if (close) {
        const char *n = open + 10;
        for (const char *q = n; q < close; q++)
            if (*q == '/')
                n = q + 1;
        snprintf(pname, sizeof pname, "%.*s", (int)(close - n), n);
    } else {
        cfg_type_provider(a.type, pname, sizeof pname);
    }
    sb_puts(b, ",\"implied_provider\":");
    pj_quote(b, pname);
    sb_puts(b, ",\"resource_type\":");
    pj_quote(b, a.type);
    sb_puts(b, ",\"resource_name\":");
    pj_quote(b, a.name);
    sb_puts(b, ",\"resource_key\":");
    if (a.key.kind == STATE_KEY_INT)
        sb_printf(b, "%lld", (long long)a.key.i);
    else if (a.key.kind == STATE_KEY_STR)
        pj_quote(b, a.key.s);
    else
        sb_puts(b, "null");
    sb_putc(b, '}');
    free(m);
    state_addr_free(&a);
}

static const char *ui_action(const plan_change *c)
{
    switch (c->action) {
    case PLAN_CREATE: return "create";
    case PLAN_READ: return "read";
    case PLAN_UPDATE: return "update";
    case PLAN_REPLACE: case PLAN_REPLACE_CBD: return "replace";
    case PLAN_DELETE: return "delete";
    default: return c->import_id ? "import" : c->moved_from ? "move" : "noop";
    }
}

/* The UI's reason words: action_reason without the "replace_because_"
 * prefixes Terraform drops there. */
static const char *ui_reason(const plan *p, const plan_change *c)
{
    const char *r = plan_json_reason(p, c);
    if (!r)
        return NULL;
    if (!strcmp(r, "replace_because_tainted"))
        return "tainted";
    if (!strcmp(r, "replace_by_request"))
        return "requested";
    if (!strcmp(r, "replace_because_cannot_update"))
        return "cannot_update";
    return r;
}

static void ui_change(FILE *out, const plan *p, const plan_change *c, int drift)
{
    strbuf b = {0};
    ui_open(&b, "info");
    const char *act = drift ? (c->gone ? "delete" : "update") : ui_action(c);
    char *m = drift ? xasprintf("%s: Drift detected (%s)", c->addr, act)
                    : xasprintf("%s: Plan to %s", c->addr, act);
    ui_message(&b, m);
    free(m);
    sb_puts(&b, ",\"change\":{\"resource\":");
    ui_resource(&b, c->addr, c->provider);
    if (c->moved_from) {
        sb_puts(&b, ",\"previous_resource\":");
        ui_resource(&b, c->moved_from, c->provider);
    }
    sb_printf(&b, ",\"action\":\"%s\"", act);
    const char *why = drift ? NULL : ui_reason(p, c);
    if (why)
        sb_printf(&b, ",\"reason\":\"%s\"", why);
    if (c->import_id && !drift) {
        sb_puts(&b, ",\"importing\":{\"id\":");
        pj_quote(&b, c->import_id);
        sb_putc(&b, '}');
    }
    sb_printf(&b, "},\"type\":\"%s\"", drift ? "resource_drift" : "planned_change");
    ui_emit(out, &b);
}

void plan_ui_plan(FILE *out, const plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        if ((p->changes[i].drifted || p->changes[i].gone) && !p->changes[i].deposed)
            ui_change(out, p, &p->changes[i], 1);
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        if ((c->action == PLAN_NOOP && !c->moved_from && !c->import_id) ||
            (c->data && c->action == PLAN_DELETE))
            continue;
        ui_change(out, p, c, 0);
    }
    strbuf b = {0};
    ui_open(&b, "info");
    char *m = plan_has_changes(p)
        ? xasprintf("Plan: %d to add, %d to change, %d to destroy.", p->nadd, p->nchange,
                    p->ndestroy)
        : xstrdup("Plan: 0 to add, 0 to change, 0 to destroy.");
    ui_message(&b, m);
    free(m);
    sb_printf(&b, ",\"changes\":{\"add\":%d,\"change\":%d,\"import\":%d,\"remove\":%d,"
              "\"operation\":\"%s\"},\"type\":\"change_summary\"", p->nadd, p->nchange,
              p->nimport, p->ndestroy, p->destroy ? "destroy" : "plan");
    ui_emit(out, &b);
    const plan_output **o = pj_sorted_outputs(p);
    size_t n = 0;
    strbuf ob = {0};
    for (size_t i = 0; i < p->noutputs; i++) {
        const char *act = o[i]->deleted ? "delete" : !o[i]->changed ? "noop"
                          : val_is_valid(o[i]->prior) ? "update" : "create";
        sb_puts(&ob, n++ ? "," : "");
        pj_quote(&ob, o[i]->name);
        sb_printf(&ob, ":{\"sensitive\":%s,\"action\":\"%s\"}",
                  o[i]->sensitive ? "true" : "false", act);
    }
    free(o);
    if (n) {
        ui_open(&b, "info");
        m = xasprintf("Outputs: %zu", n);
        ui_message(&b, m);
        free(m);
        sb_puts(&b, ",\"outputs\":{");
        if (ob.s)
            sb_append(&b, ob.s, ob.len);
        sb_puts(&b, "},\"type\":\"outputs\"");
        ui_emit(out, &b);
    }
    sb_free(&ob);
}

static void ui_pos(strbuf *b, const char *key, src_file *f, uint32_t off)
{
    int line = 0, col = 0;
    src_pos(f, off, &line, &col);
    sb_printf(b, ",\"%s\":{\"line\":%d,\"column\":%d,\"byte\":%u}", key, line, col, off);
}

void plan_ui_diags(FILE *out, const diag_list *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const diag *g = &d->items[i];
        const char *sev = g->sev == DIAG_ERROR ? "error" : "warning";
        strbuf b = {0};
        ui_open(&b, sev);
        char *m = xasprintf("%s: %s", g->sev == DIAG_ERROR ? "Error" : "Warning", g->summary);
        ui_message(&b, m);
        free(m);
        sb_printf(&b, ",\"diagnostic\":{\"severity\":\"%s\",\"summary\":", sev);
        pj_quote(&b, g->summary);
        sb_puts(&b, ",\"detail\":");
        pj_quote(&b, g->detail ? g->detail : "");
        if (g->range.file) {
            sb_puts(&b, ",\"range\":{\"filename\":");
            pj_quote(&b, g->range.file->name);
            ui_pos(&b, "start", g->range.file, g->range.start);
            ui_pos(&b, "end", g->range.file, g->range.end);
            sb_putc(&b, '}');
        }
        sb_puts(&b, "},\"type\":\"diagnostic\"");
        ui_emit(out, &b);
    }
}
