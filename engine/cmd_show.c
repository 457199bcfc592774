/*
 * engine/cmd_show.c — `cairn show [-json | -markdown] [-show-sensitive]
 * [-max-chars=N] [-no-color] [PLANFILE]`: the current state, or a saved
 * plan, for people, for programs (-json) or for a pull request
 * (-markdown), as `terraform show` prints them.
 *
 *   state     every instance as "# ADDR:" and a `resource "TYPE" "NAME" {`
 *             block: attributes sorted with their "=" aligned, nested
 *             blocks (from the provider's schema, when its plugin loads) as
 *             blocks, a blank line before each type's first, but block
 *             types in attributes-as-blocks mode (PROV_AS_ATTR) as the
 *             attributes they are to Terraform; nulls left out, sensitive
 *             values as "(sensitive value)"; then the root outputs.
 *   plan      the saved plan made again the way `cairn apply PLANFILE` does
 *             (its variables, targets and options; refused when stale),
 *             shown as `cairn plan` shows it.
 *   -json     the state representation (format_version "1.0") or the plan
 *             representation (format_version "1.2", engine/plan_json.c).
 *             Sensitive values are written as null (Terraform writes them
 *             in clear) and marked in the *_sensitive mirrors.
 *   -markdown a saved plan as a pull-request comment (engine/markdown.c),
 *             at most -max-chars characters (default 60000).
 *
 * What must stay true: no sensitive value reaches stdout, in any form,
 * unless -show-sensitive was given, and then stderr says so first.
 * Reading the state takes no lock (as Terraform's show); re-making a plan
 * takes it, because planning may reconcile open intents.
 */
#include "engine/cli.h"
#include "engine/markdown.h"
#include "engine/plan_json.h"
#include "engine/planfile.h"
#include "engine/render.h"
#include "lang/lex.h"
#include "lang/val_fmt.h"
#include "lang/val_json.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Nesting beyond this prints "..." (human) or null (JSON). */
#define SHOW_MAX_DEPTH 64

typedef struct show_ctx {
    cli_session s;
    int json, markdown, show_sensitive;
    size_t max_chars;
    const char *planfile;
    planfile *pf;
    plugin_registry *reg;       /* schemas for the state view */
    FILE *out;
    int quote_objects;          /* outputs: object keys quoted, as map keys */
    size_t shown, noutputs;     /* instances and outputs printed */
    pj_res *recs;               /* -json state: the instances collected */
    size_t nrecs;
} show_ctx;

/* ---------------------------------------------------------------- values */

static void put_val(show_ctx *x, val v, int indent, int depth);

static int is_ident(const char *k)
{
    if (!*k || !(lex_is_ident_start((unsigned char)*k)))
        return 0;
    for (; *k; k++)
        if (!lex_is_ident_char((unsigned char)*k) && *k != '-')
            return 0;
    return 1;
}

static void put_string(FILE *out, const char *s, size_t n)
{
    strbuf b = {0};
    val_fmt_quote(&b, s, n);
    char *q = sb_take(&b);
    fputs(q ? q : "\"\"", out);
    free(q);
}

static void put_key(show_ctx *x, val v, const char *k, int width)
{
    int quote = val_kind(v) == VAL_MAP || x->quote_objects || !is_ident(k);
    size_t n = strlen(k) + (quote ? 2 : 0);
    if (quote)
        put_string(x->out, k, strlen(k));
    else
        fputs(k, x->out);
    fprintf(x->out, "%*s = ", width > (int)n ? width - (int)n : 0, "");
}

static int key_width(show_ctx *x, val v)
{
    size_t w = 0;
    for (size_t i = 0; i < val_len(v); i++) {
        const char *k = val_key_at(v, i);
        size_t n = strlen(k);
        if (val_kind(v) == VAL_MAP || x->quote_objects || !is_ident(k))
            n += 2;
        if (n > w)
            w = n;
    }
    return (int)w;
}

static void put_collection(show_ctx *x, val v, int indent, int depth)
{
    int keyed = val_kind(v) == VAL_MAP || val_kind(v) == VAL_OBJECT;
    if (val_len(v) == 0) {
        fputs(keyed ? "{}" : "[]", x->out);
        return;
    }
    int width = keyed ? key_width(x, v) : 0;
    fputs(keyed ? "{\n" : "[\n", x->out);
    for (size_t i = 0; i < val_len(v); i++) {
        fprintf(x->out, "%*s", indent + 4, "");
        if (keyed)
            put_key(x, v, val_key_at(v, i), width);
        put_val(x, *val_at(v, i), indent + 4, depth + 1);
        fputs(keyed ? "\n" : ",\n", x->out);
    }
    fprintf(x->out, "%*s%s", indent, "", keyed ? "}" : "]");
}

static void put_val(show_ctx *x, val v, int indent, int depth)
{
    char num[VAL_NUMBER_BUF];
    if (depth > SHOW_MAX_DEPTH)
        fputs("...", x->out);
    else if (val_is_sensitive(v) && !x->show_sensitive)
        fputs("(sensitive value)", x->out);
    else if (val_is_unknown(v))
        fputs("(known after apply)", x->out);
    else if (val_is_null(v))
        fputs("null", x->out);
    else if (val_kind(v) == VAL_BOOL)
        fputs(val_get_bool(v) ? "true" : "false", x->out);
    else if (val_kind(v) == VAL_NUMBER) {
        val_number_fmt(val_get_number(v), num, sizeof num);
        fputs(num, x->out);
    } else if (val_kind(v) == VAL_STRING)
        put_string(x->out, val_get_string(v), val_string_len(v));
    else
        put_collection(x, v, indent, depth);
}

/* ---------------------------------------------------------------- blocks */

/* Block type `name` of s drawn as blocks, or NULL.  One in attributes-as-
 * blocks mode (PROV_AS_ATTR) is an attribute to Terraform (a list or set
 * of objects), and `terraform state show` draws it as one. */
static const prov_block *find_block(const prov_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->nblocks; i++)
        if (!strcmp(s->blocks[i].type_name, name))
            return s->blocks[i].flags & PROV_AS_ATTR ? NULL : &s->blocks[i];
    return NULL;
}

static void put_body(show_ctx *x, val obj, const prov_schema *s, int indent, int depth);

/* Attributes of obj that are not blocks of s and not null, sorted (as
 * objects are), "=" aligned; returns how many were written. */
static size_t put_attrs(show_ctx *x, val obj, const prov_schema *s, int indent, int depth)
{
    size_t width = 0, n = 0;
    for (size_t i = 0; i < val_len(obj); i++)
        if (!find_block(s, val_key_at(obj, i)) && !val_is_null(*val_at(obj, i)) &&
            strlen(val_key_at(obj, i)) > width)
            width = strlen(val_key_at(obj, i));
    for (size_t i = 0; i < val_len(obj); i++) {
        const char *k = val_key_at(obj, i);
        if (find_block(s, k) || val_is_null(*val_at(obj, i)))
            continue;
        fprintf(x->out, "%*s%-*s = ", indent, "", (int)width, k);
        put_val(x, *val_at(obj, i), indent, depth + 1);
        fputc('\n', x->out);
        n++;
    }
    return n;
}

/* One nested block: `name ["key"] {`, its body, `}`, after a blank line
 * when gap. */
static void put_block(show_ctx *x, const prov_block *b, const char *key, val v, int indent,
                      int depth, int gap)
{
    fprintf(x->out, "%s%*s%s ", gap ? "\n" : "", indent, "", b->type_name);
    if (key) {
        put_string(x->out, key, strlen(key));
        fputc(' ', x->out);
    }
    if (val_is_sensitive(v) && !x->show_sensitive) {
        fputs("{\n", x->out);
        fprintf(x->out, "%*s# (sensitive value)\n%*s}\n", indent + 4, "", indent, "");
        return;
    }
    fputs("{\n", x->out);
    put_body(x, v, b->schema, indent + 4, depth + 1);
    fprintf(x->out, "%*s}\n", indent, "");
}

/* The nested blocks of obj, by type; as Terraform's block renderer, a
 * blank line before the first block of each type when attrs (the body has
 * attributes shown), none between blocks of one type. */
static void put_blocks(show_ctx *x, val obj, const prov_schema *s, int indent, int depth,
                       int attrs)
{
    for (size_t i = 0; i < val_len(obj); i++) {
        const prov_block *b = find_block(s, val_key_at(obj, i));
        val v = *val_at(obj, i);
        if (!b || val_is_null(v) || val_is_unknown(v))
            continue;
        if (b->nesting == PROV_NEST_SINGLE || (val_is_sensitive(v) && !x->show_sensitive)) {
            put_block(x, b, NULL, v, indent, depth, attrs);
            continue;
        }
        for (size_t j = 0; j < val_len(v); j++)
            put_block(x, b, b->nesting == PROV_NEST_MAP ? val_key_at(v, j) : NULL,
                      *val_at(v, j), indent, depth, attrs && j == 0);
    }
}

static void put_body(show_ctx *x, val obj, const prov_schema *s, int indent, int depth)
{
    if (depth > SHOW_MAX_DEPTH || (val_kind(obj) != VAL_OBJECT && val_kind(obj) != VAL_MAP)) {
        fprintf(x->out, "%*s# ...\n", indent, "");
        return;
    }
    size_t nattrs = put_attrs(x, obj, s, indent, depth);
    put_blocks(x, obj, s, indent, depth, nattrs > 0);
}

/* ---------------------------------------------------------------- state */

/* The provider's type name in a key such as
 * provider["registry.terraform.io/hashicorp/test"].alias ("test"), else
 * the resource type's prefix. */
static void provider_name(const char *key, const char *type, char *buf, size_t size)
{
    const char *open = key ? strstr(key, "provider[\"") : NULL;
    const char *close = open ? strstr(open + 10, "\"]") : NULL;
    if (!close) {
        cfg_type_provider(type, buf, size);
        return;
    }
    const char *name = open + 10;
    for (const char *q = name; q < close; q++)
        if (*q == '/')
            name = q + 1;
    snprintf(buf, size, "%.*s", (int)(close - name), name);
}

/* The schema of a managed resource or data source type, or NULL when its
 * plugin does not load (the attributes are shown without blocks then). */
static const prov_schema *schema_of(show_ctx *x, const state_instance *inst, int data)
{
    char name[PLUGIN_MAX_NAME + 1];
    const plugin *p;
    provider_name(inst->provider, inst->type, name, sizeof name);
    if (!x->reg || plugin_load(x->reg, name, &p) < 0)
        return NULL;
    if (data) {
        const prov_data_source *ds = plugin_data_source(p, inst->type);
        return ds ? ds->schema : NULL;
    }
    const prov_resource_type *rt = plugin_resource(p, inst->type);
    return rt ? rt->schema : NULL;
}

/* The parsed address and attributes of an instance from the state:
 * 0, or CAIRN_ECORRUPT with nothing to free. */
static int load_instance(const char *addr, const state_instance *inst, state_addr *a,
                         val *attrs)
{
    if (state_addr_parse(a, addr) < 0)
        return CAIRN_ECORRUPT;
    if (state_instance_attrs(inst, attrs) < 0) {
        state_addr_free(a);
        return CAIRN_ECORRUPT;
    }
    return 0;
}

static int show_instance(const char *addr, const state_instance *inst, void *payload)
{
    show_ctx *x = payload;
    state_addr a;
    val attrs;
    if (load_instance(addr, inst, &a, &attrs) < 0)
        return CAIRN_ECORRUPT;
    fprintf(x->out, "%s# %s:%s\n", x->shown++ ? "\n" : "", addr,
            inst->status == STATE_STATUS_TAINTED ? " (tainted)" : "");
    fprintf(x->out, "%s \"%s\" \"%s\" {\n", a.data ? "data" : "resource", a.type, a.name);
    put_body(x, attrs, schema_of(x, inst, a.data), 4, 0);
    fputs("}\n", x->out);
    val_free(attrs);
    state_addr_free(&a);
    return 0;
}

int cli_show_instance(FILE *out, plugin_registry *reg, const char *addr,
                      const state_instance *inst)
{
    show_ctx x = {.out = out, .reg = reg};
    return show_instance(addr, inst, &x);
}

/* The root outputs, "name = value", sensitive ones redacted. */
static int show_outputs(show_ctx *x, state_txn *txn)
{
    char **names = NULL;
    size_t n = 0;
    int rc = state_output_list(txn, &names, &n);
    if (rc < 0 || n == 0) {
        state_strv_free(names, n);
        return rc;
    }
    fprintf(x->out, "%sOutputs:\n\n", x->shown ? "\n\n" : "");
    x->noutputs = n;
    x->quote_objects = 1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        state_output o = {0};
        rc = state_output_get(txn, names[i], &o);
        val v = rc == 0 ? val_from_json(o.value_json, strlen(o.value_json)) : val_invalid();
        if (rc == 0 && !val_is_valid(v))
            rc = CAIRN_ECORRUPT;
        if (rc == 0 && o.sensitive)
            v = val_mark(v, VAL_MARK_SENSITIVE);
        if (rc == 0) {
            fprintf(x->out, "%s = ", names[i]);
            put_val(x, v, 0, 0);
            fputc('\n', x->out);
        }
        val_free(v);
        state_output_clear(&o);
    }
    x->quote_objects = 0;
    state_strv_free(names, n);
    return rc;
}

/* ---------------------------------------------------------------- JSON state */

static int collect_resource(const char *addr, const state_instance *inst, void *payload)
{
    show_ctx *x = payload;
    state_addr a;
    val attrs;
    if (load_instance(addr, inst, &a, &attrs) < 0)
        return CAIRN_ECORRUPT;
    strbuf b = {0};
    pj_head(&b, &a, addr, inst->provider);
    sb_printf(&b, ",\"schema_version\":%lld,\"values\":", (long long)inst->schema_version);
    pj_value(&b, attrs, x->show_sensitive);
    sb_puts(&b, ",\"sensitive_values\":");
    pj_marks(&b, attrs, VAL_MARK_SENSITIVE);
    if (inst->ndeps) {
        sb_puts(&b, ",\"depends_on\":[");
        for (size_t i = 0; i < inst->ndeps; i++) {
            sb_puts(&b, i ? "," : "");
            val_json_quote(&b, inst->deps[i], strlen(inst->deps[i]));
        }
        sb_putc(&b, ']');
    }
    sb_puts(&b, inst->status == STATE_STATUS_TAINTED ? ",\"tainted\":true}" : "}");
    val_free(attrs);
    x->recs = xrealloc(x->recs, (x->nrecs + 1) * sizeof *x->recs);
    x->recs[x->nrecs] = (pj_res){a, sb_take(&b), x->nrecs};
    x->nrecs++;
    return 0;
}

static int json_outputs(show_ctx *x, strbuf *b, state_txn *txn)
{
    char **names = NULL;
    size_t n = 0;
    int rc = state_output_list(txn, &names, &n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        state_output o = {0};
        rc = state_output_get(txn, names[i], &o);
        if (rc < 0)
            break;
        sb_puts(b, i ? "," : "\"outputs\":{");
        val_json_quote(b, names[i], strlen(names[i]));
        sb_printf(b, ":{\"sensitive\":%s,\"value\":%s", o.sensitive ? "true" : "false",
                  o.sensitive && !x->show_sensitive ? "null" : o.value_json);
        if (o.type_json)
            sb_printf(b, ",\"type\":%s", o.type_json);
        sb_puts(b, i + 1 == n ? "}}," : "}");
        state_output_clear(&o);
    }
    state_strv_free(names, n);
    return rc;
}

static int json_state(show_ctx *x, state_txn *txn)
{
    strbuf b = {0}, outs = {0};
    int rc = state_each(txn, NULL, collect_resource, x);
    if (rc == 0)
        rc = json_outputs(x, &outs, txn);
    char *o = sb_take(&outs);
    sb_puts(&b, "{\"format_version\":\"1.0\"");
    if (rc == 0 && (x->nrecs || (o && o[0]))) {
        sb_printf(&b, ",\"terraform_version\":\"%s\",\"values\":{%s\"root_module\":",
                  CAIRN_VERSION, o ? o : "");
        pj_module_tree(&b, x->recs, x->nrecs);
        sb_putc(&b, '}');
    }
    sb_puts(&b, "}");
    char *s = sb_take(&b);
    if (rc == 0 && s)
        fprintf(x->out, "%s\n", s);
    free(s);
    free(o);
    pj_res_free(x->recs, x->nrecs);
    x->recs = NULL;
    x->nrecs = 0;
    return rc;
}

/* ---------------------------------------------------------------- JSON plan */

/* The plan's time: when its file was last written (the same plan file
 * shows the same timestamp every time). */
static void plan_time(const char *path, char *buf, size_t size)
{
    struct stat st;
    time_t t = stat(path, &st) == 0 ? st.st_mtime : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void json_plan(show_ctx *x, const plan *p)
{
    char ts[32];
    plan_time(x->planfile, ts, sizeof ts);
    plugin_registry *reg = plugin_registry_new();
    pj_opts o = {.cfg = x->s.cfg, .vars = x->s.vars, .reg = reg,
                 .show_sensitive = x->show_sensitive, .timestamp = ts};
    strbuf b = {0};
    plan_json_write(&b, p, &o);
    char *s = sb_take(&b);
    fprintf(x->out, "%s\n", s ? s : "{}");
    free(s);
    plugin_registry_free(reg);
}

/* ---------------------------------------------------------------- command */

/* Make the saved plan again, as `cairn apply PLANFILE` does. */
static int show_plan(show_ctx *x)
{
    if (cli_session_load(&x->s) < 0)
        return -1;
    if (planfile_read(x->planfile, &x->pf) < 0) {
        state_cli_error("Failed to read the given file as a state or plan file", err_msg());
        return -1;
    }
    for (size_t i = 0; i < x->s.nordered; i++)
        free(x->s.ordered[i]);
    free(x->s.ordered);
    x->s.ordered = xcalloc(x->pf->nvars + 1, sizeof *x->s.ordered);
    for (x->s.nordered = 0; x->s.nordered < x->pf->nvars; x->s.nordered++)
        x->s.ordered[x->s.nordered] = xstrdup(x->pf->vars[x->s.nordered]);
    x->s.input = 0;
    if (cli_session_open(&x->s, "OperationTypePlan") < 0)
        return -1;
    volatile int cancel = 0;
    plan_opts po = {.refresh = 1, .refresh_only = x->pf->refresh_only,
                    .destroy = x->pf->destroy, .targets = x->pf->targets,
                    .ntargets = x->pf->ntargets, .replace = x->pf->replace,
                    .nreplace = x->pf->nreplace, .cancel = &cancel};
    if (cli_session_plan(&x->s, &po) < 0 || planfile_check(x->pf, x->s.p, &x->s.d) < 0) {
        cli_session_diags(&x->s);
        return -1;
    }
    cli_session_diags(&x->s);
    if (x->json) {
        json_plan(x, x->s.p);
    } else if (x->markdown) {
        md_opts mo = {.max_chars = x->max_chars, .show_sensitive = x->show_sensitive};
        char *md = markdown_plan(x->s.p, &mo);
        if (!md) {
            fputs("Error: out of memory writing the Markdown comment\n", stderr);
            return -1;
        }
        fputs(md, x->out);
        free(md);
    } else {
        plan *shown = x->show_sensitive ? render_reveal(x->s.p) : NULL;
        render_plan(x->out, shown ? shown : x->s.p, cli_use_color(x->out));
        render_reveal_free(shown);
    }
    return 0;
}

static int show_state(show_ctx *x)
{
    int rc = state_open(&x->s.env, x->s.so.dir, 0);
    if (rc == CAIRN_ENOTFOUND) {
        fputs(x->json ? "{\"format_version\":\"1.0\"}\n" : "No state.\n", x->out);
        return 0;
    }
    if (rc < 0) {
        state_cli_error("Failed to load state", err_msg());
        return -1;
    }
    state_txn *txn;
    if (state_txn_begin(&txn, x->s.env, STATE_TXN_RDONLY, NULL) < 0) {
        state_cli_error("Failed to load state", err_msg());
        return -1;
    }
    if (x->json) {
        rc = json_state(x, txn);
    } else {
        x->reg = plugin_registry_new();
        rc = state_each(txn, NULL, show_instance, x);
        if (rc == 0)
            rc = show_outputs(x, txn);
        if (rc == 0 && x->shown == 0 && x->noutputs == 0)
            fputs("The state file is empty. No resources are represented.\n", x->out);
        plugin_registry_free(x->reg);
        x->reg = NULL;
    }
    state_abort(txn);
    if (rc < 0)
        state_cli_error("Failed to load state", err_msg());
    return rc < 0 ? -1 : 0;
}

static int show_args(show_ctx *x, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' && !x->planfile) {
            x->planfile = a;
            continue;
        }
        int rc = a[0] == '-' ? cli_session_flag(&x->s, argc, argv, &i) : 0;
        if (rc < 0)
            return -1;
        if (rc > 0 || !strcmp(a, "-no-color"))
            continue;
        if (!strcmp(a, "-json")) {
            x->json = 1;
            continue;
        }
        if (!strcmp(a, "-markdown")) {
            x->markdown = 1;
            continue;
        }
        if (!strcmp(a, "-show-sensitive")) {
            x->show_sensitive = 1;
            continue;
        }
        if (!strncmp(a, "-max-chars=", 11)) {
            char *end;
            unsigned long long n = strtoull(a + 11, &end, 10);
            if (*end || n < MARKDOWN_MIN_MAX_CHARS || n > (1ull << 30)) {
                fprintf(stderr, "Error: invalid value \"%s\" for flag -max-chars: a number "
                        "from %d to %llu\n", a + 11, MARKDOWN_MIN_MAX_CHARS, 1ull << 30);
                return -1;
            }
            x->max_chars = (size_t)n;
            continue;
        }
        fprintf(stderr, "Error: %s: %s\n\nUsage: cairn [global options] show [options] "
                "[path]\n", a[0] == '-' ? "flag provided but not defined" :
                "Too many command line arguments", a);
        return -1;
    }
    return 0;
}

int cmd_show(int argc, char **argv)
{
    show_ctx x = {0};
    cli_session_init(&x.s);
    x.out = stdout;
    int rc = show_args(&x, argc, argv);
    if (rc == 0 && x.json && x.markdown) {
        fputs("Error: -json and -markdown cannot be used together\n", stderr);
        rc = -1;
    }
    if (rc == 0 && x.markdown && !x.planfile) {
        fputs("Error: -markdown needs a saved plan: cairn show -markdown PLANFILE\n", stderr);
        rc = -1;
    }
    if (rc == 0 && x.show_sensitive)
        fputs("Warning: -show-sensitive: sensitive values are shown in clear in this "
              "output.\n", stderr);
    if (rc == 0)
        rc = x.planfile ? show_plan(&x) : show_state(&x);
    planfile_free(x.pf);
    cli_session_free(&x.s);
    return rc < 0 ? 1 : 0;
}
