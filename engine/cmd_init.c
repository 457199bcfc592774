/*
 * engine/cmd_init.c — `cairn init`, `cairn providers`, `cairn validate`
 * and `cairn output`: the verbs that read the configuration or the state
 * without planning.
 *
 *   init        checks that every provider the configuration needs
 *               (required_providers and the resource types used) loads with
 *               a compatible ABI, and creates the state store; safe to run
 *               again.
 *   providers   lists the providers the configuration needs and the file
 *               each was found in.
 *   validate    checks every resource and data block against its
 *               provider's schema (arguments, blocks, types) and every
 *               reference against the declarations, without state or
 *               variable values (unknown values stand in for them).
 *   output      prints root outputs from state.
 */
#include "engine/cli.h"
#include "engine/config.h"
#include "engine/decode.h"
#include "engine/plugin.h"
#include "engine/vars.h"
#include "engine/version.h"
#include "lang/val_fmt.h"
#include "lang/val_json.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>

/* Local provider names the module tree needs, deduplicated, in order. */
static void need(char ***v, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = xstrdup(name);
}

static void needed(const cfg_module *m, char ***v, size_t *n)
{
    for (size_t i = 0; i < m->nrequired; i++)
        need(v, n, m->required[i].name);
    for (size_t i = 0; i < m->nproviders; i++)
        need(v, n, m->providers[i].name);
    for (size_t i = 0; i < m->nresources; i++) {
        char name[128];
        if (m->resources[i].provider)
            snprintf(name, sizeof name, "%s", m->resources[i].provider);
        else
            cfg_type_provider(m->resources[i].type, name, sizeof name);
        need(v, n, name);
    }
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child)
            needed(m->calls[i].child, v, n);
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int load_cfg(cfg_module **cfg, diag_list *d)
{
    *cfg = cfg_load(".", d);
    if (!*cfg || diag_has_errors(d) || version_check_tree(*cfg, d) < 0) {
        diag_print_all(stderr, d, cli_use_color(stderr));
        return -1;
    }
    return 0;
}

/* Load every needed provider; print a line per provider when verbose. */
static int check_providers(const cfg_module *cfg, plugin_registry *reg, int verbose)
{
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    needed(cfg, &names, &n);
    for (size_t i = 0; i < n; i++) {
        const plugin *p;
        if (plugin_load(reg, names[i], &p) < 0) {
            fprintf(stderr, "Error: Failed to load provider \"%s\"\n\n%s\n", names[i],
                    err_msg());
            rc = -1;
            continue;
        }
        if (verbose)
            printf("- provider[%s] v%s (%s)\n", names[i], plugin_api(p)->version,
                   plugin_path(p));
    }
    strv_free(names, n);
    return rc;
}

int cmd_init(int argc, char **argv)
{
    const char *state_dir = NULL;
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "-state-dir=", 11))
            state_dir = argv[i] + 11;
    diag_list d = {0};
    cfg_module *cfg;
    if (load_cfg(&cfg, &d) < 0) {
        cfg_free(cfg);
        diag_list_free(&d);
        return 1;
    }
    printf("Initializing provider plugins...\n");
    plugin_registry *reg = plugin_registry_new();
    int rc = check_providers(cfg, reg, 1);
    state_env *env = NULL;
    if (rc == 0 && state_open(&env, state_dir, STATE_CREATE) < 0) {
        fprintf(stderr, "Error: Failed to create the state store: %s\n", err_msg());
        rc = -1;
    }
    state_close(env);
    if (rc == 0)
        printf("\ncairn has been successfully initialized!\n");
    plugin_registry_free(reg);
    cfg_free(cfg);
    diag_list_free(&d);
    return rc < 0 ? 1 : 0;
}

int cmd_providers(int argc, char **argv)
{
    (void)argc, (void)argv;
    diag_list d = {0};
    cfg_module *cfg;
    if (load_cfg(&cfg, &d) < 0) {
        cfg_free(cfg);
        diag_list_free(&d);
        return 1;
    }
    printf("Providers required by configuration:\n");
    plugin_registry *reg = plugin_registry_new();
    int rc = check_providers(cfg, reg, 1);
    plugin_registry_free(reg);
    cfg_free(cfg);
    diag_list_free(&d);
    return rc < 0 ? 1 : 0;
}

/* ---------------------------------------------------------------- validate */

struct vctx {
    const cfg_module *m;
    diag_list *d;
};

/* Every reference resolves to an unknown value; undeclared ones are
 * diagnostics (Terraform's "Reference to undeclared ..."). */
static int validate_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    struct vctx *v = payload;
    const cfg_module *m = v->m;
    int ok = 1;
    switch (ref->kind) {
    case EVAL_REF_VAR: ok = cfg_var(m, ref->name) != NULL; break;
    case EVAL_REF_LOCAL: ok = cfg_local_find(m, ref->name) != NULL; break;
    case EVAL_REF_MODULE: ok = cfg_call_find(m, ref->name) != NULL; break;
    case EVAL_REF_RESOURCE:
    case EVAL_REF_DATA:
        ok = cfg_resource_find(m, ref->kind == EVAL_REF_DATA, ref->type, ref->name) != NULL;
        break;
    default: break;
    }
    (void)diags;
    if (!ok)
        return CAIRN_ENOTFOUND;
    *out = val_unknown(ty_any());
    return 0;
}

static void validate_module(const cfg_module *m, plugin_registry *reg, diag_list *d)
{
    struct vctx v = {m, d};
    for (size_t i = 0; i < m->nresources; i++) {
        const cfg_resource *r = &m->resources[i];
        char name[128];
        if (r->provider)
            snprintf(name, sizeof name, "%s", r->provider);
        else
            cfg_type_provider(r->type, name, sizeof name);
        const plugin *p;
        if (plugin_load(reg, name, &p) < 0) {
            diag_add(d, DIAG_ERROR, r->range, "Failed to load plugin", "%s", err_msg());
            continue;
        }
        const prov_schema *s = NULL;
        if (r->data) {
            const prov_data_source *ds = plugin_data_source(p, r->type);
            s = ds ? ds->schema : NULL;
        } else {
            const prov_resource_type *rt = plugin_resource(p, r->type);
            s = rt ? rt->schema : NULL;
        }
        if (!s) {
            diag_add(d, DIAG_ERROR, r->range,
                     r->data ? "Invalid data source" : "Invalid resource type",
                     "The provider %s does not support %s \"%s\".", name,
                     r->data ? "data source" : "resource type", r->type);
            continue;
        }
        eval_ctx ctx;
        eval_ctx_init(&ctx, d);
        ctx.resolve = validate_resolve;
        ctx.payload = &v;
        ctx.base_dir = m->dir;
        val x = decode_body(r->body, s, plugin_schema_type(p, s), r->range, &ctx,
                            r->data ? DECODE_DATA : DECODE_RESOURCE, d);
        val_free(x);
        const ast *meta[2] = {r->count, r->for_each};
        for (int k = 0; k < 2; k++)
            if (meta[k])
                val_free(eval_expr(&ctx, meta[k]));
    }
    /* References in locals, outputs and module arguments. */
    eval_ctx ctx;
    eval_ctx_init(&ctx, d);
    ctx.resolve = validate_resolve;
    ctx.payload = &v;
    ctx.base_dir = m->dir;
    for (size_t i = 0; i < m->nlocals; i++)
        val_free(eval_expr(&ctx, m->locals[i].expr));
    for (size_t i = 0; i < m->noutputs; i++)
        val_free(eval_expr(&ctx, m->outputs[i].value));
    for (size_t i = 0; i < m->ncalls; i++) {
        const ast_body *b = m->calls[i].block->body;
        for (size_t j = 0; j < b->n; j++)
            if (b->items[j].kind == AST_ITEM_ATTR &&
                strcmp(b->items[j].u.attr->name.s, "source") != 0 &&
                strcmp(b->items[j].u.attr->name.s, "providers") != 0 &&
                strcmp(b->items[j].u.attr->name.s, "depends_on") != 0)
                val_free(eval_expr(&ctx, b->items[j].u.attr->expr));
    }
    /* Validation rules of variables whose default is known. */
    for (size_t i = 0; i < m->nvars; i++) {
        const cfg_variable *cv = &m->vars[i];
        if (!cv->default_ || !cv->nvalidations || m->parent)
            continue;
        eval_ctx plain;
        eval_ctx_init(&plain, d);
        val dv = eval_expr(&plain, cv->default_);
        if (val_is_valid(dv) && cv->type)
            dv = val_convert(dv, cv->type);
        if (val_is_valid(dv))
            vars_validate(cv, dv, d);
        val_free(dv);
    }
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child)
            validate_module(m->calls[i].child, reg, d);
}

static void json_diags(const diag_list *d)
{
    strbuf b = {0};
    sb_printf(&b, "{\"format_version\":\"1.0\",\"valid\":%s,\"error_count\":%zu,"
                  "\"warning_count\":%zu,\"diagnostics\":[",
              d->nerrors ? "false" : "true", d->nerrors, d->nwarnings);
    for (size_t i = 0; i < d->n; i++) {
        const diag *x = &d->items[i];
        sb_printf(&b, "%s{\"severity\":\"%s\",\"summary\":", i ? "," : "",
                  x->sev == DIAG_ERROR ? "error" : "warning");
        val_json_quote(&b, x->summary, strlen(x->summary));
        sb_puts(&b, ",\"detail\":");
        val_json_quote(&b, x->detail ? x->detail : "", x->detail ? strlen(x->detail) : 0);
        if (x->range.file) {
            int l, c, el, ec;
            src_pos(x->range.file, x->range.start, &l, &c);
            src_pos(x->range.file, x->range.end, &el, &ec);
            sb_puts(&b, ",\"range\":{\"filename\":");
            val_json_quote(&b, x->range.file->name, strlen(x->range.file->name));
            sb_printf(&b, ",\"start\":{\"line\":%d,\"column\":%d,\"byte\":%u},"
                          "\"end\":{\"line\":%d,\"column\":%d,\"byte\":%u}}",
                      l, c, x->range.start, el, ec, x->range.end);
        }
        sb_putc(&b, '}');
    }
    sb_puts(&b, "]}");
    char *s = sb_take(&b);
    printf("%s\n", s ? s : "{}");
    free(s);
}

int cmd_validate(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-json"))
            json = 1;
    diag_list d = {0};
    cfg_module *cfg = cfg_load(".", &d);
    if (cfg && !diag_has_errors(&d) && version_check_tree(cfg, &d) == 0) {
        plugin_registry *reg = plugin_registry_new();
        validate_module(cfg, reg, &d);
        plugin_registry_free(reg);
    }
    int bad = diag_has_errors(&d);
    if (json) {
        json_diags(&d);
    } else {
        diag_print_all(stderr, &d, cli_use_color(stderr));
        if (!bad)
            printf("Success! The configuration is valid.\n");
    }
    diag_list_free(&d);
    cfg_free(cfg);
    return bad ? 1 : 0;
}

/* ---------------------------------------------------------------- output */

static int print_output(state_txn *txn, const char *name, int json, int raw, strbuf *jb)
{
    state_output o = {0};
    if (state_output_get(txn, name, &o) < 0) {
        fprintf(stderr, "Error: Output \"%s\" not found\n\nThe output variable requested "
                        "could not be found in the state file.\n", name);
        return -1;
    }
    val v = val_from_json(o.value_json, strlen(o.value_json));
    if (json && jb) {
        sb_printf(jb, "%s", jb->len > 1 ? "," : "");
        val_json_quote(jb, name, strlen(name));
        sb_printf(jb, ":{\"sensitive\":%s,\"value\":%s}", o.sensitive ? "true" : "false",
                  o.value_json);
    } else if (json) {
        printf("%s\n", o.value_json);
    } else if (raw) {
        if (val_kind(v) == VAL_STRING)
            fputs(val_get_string(v), stdout);
        else if (val_kind(v) == VAL_NUMBER || val_kind(v) == VAL_BOOL) {
            char *s = val_fmt(&v);
            fputs(s, stdout);
            free(s);
        } else {
            fprintf(stderr, "Error: Unsupported value for raw output\n\nThe -raw option only "
                            "supports strings, numbers, and boolean values.\n");
            val_free(v);
            state_output_clear(&o);
            return -1;
        }
    } else {
        char *s = o.sensitive && jb ? xstrdup("<sensitive>") : val_fmt(&v);
        if (jb)
            printf("%s = %s\n", name, s);
        else
            printf("%s\n", s);
        free(s);
    }
    val_free(v);
    state_output_clear(&o);
    return 0;
}

int cmd_output(int argc, char **argv)
{
    int json = 0, raw = 0;
    const char *name = NULL, *state_dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-json"))
            json = 1;
        else if (!strcmp(argv[i], "-raw"))
            raw = 1;
        else if (!strncmp(argv[i], "-state-dir=", 11))
            state_dir = argv[i] + 11;
        else if (!strcmp(argv[i], "-no-color"))
            ;
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else {
            fprintf(stderr, "Error: unexpected argument %s\n", argv[i]);
            return 1;
        }
    }
    state_env *env;
    if (state_open(&env, state_dir, 0) < 0) {
        if (json && !name)
            printf("{}\n");
        else
            fprintf(stderr, "Warning: No outputs found\n");
        return name ? 1 : 0;
    }
    state_txn *txn;
    int rc = state_txn_begin(&txn, env, STATE_TXN_RDONLY, NULL);
    if (rc == 0 && name) {
        rc = print_output(txn, name, json, raw, NULL);
    } else if (rc == 0) {
        char **names;
        size_t n;
        rc = state_output_list(txn, &names, &n);
        strbuf jb = {0};
        sb_putc(&jb, '{');
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = print_output(txn, names[i], json, 0, &jb);
        sb_putc(&jb, '}');
        char *s = sb_take(&jb);
        if (json && rc == 0)
            printf("%s\n", s);
        free(s);
        if (rc == 0 && n)
            state_strv_free(names, n);
        else if (rc == 0 && !json)
            fprintf(stderr, "Warning: No outputs found\n");
    }
    state_abort(txn);
    state_close(env);
    return rc < 0 ? 1 : 0;
}
