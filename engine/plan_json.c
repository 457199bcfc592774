/*
 * engine/plan_json.c — the plan representation of `show -json` (see
 * plan_json.h), the state-shaped module trees it shares with the state
 * representation, and the configuration representation (expressions with
 * their constant values or references).
 *
 * Everything is appended to one strbuf.  Values go through pj_value and
 * pj_marks only, so the redaction of sensitive values has one place.
 */
#include "engine/plan_json.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/cli.h"
#include "lang/eval.h"
#include "lang/val_json.h"

/* Value nesting written before null stands in for the rest. */
#define PJ_MAX_DEPTH 64
/* Steps of one reference traversal kept (var.a.b[0].c ...). */
#define PJ_MAX_STEPS 32
/* Locals followed from a change's expressions to the resources they read. */
#define PJ_MAX_LOCAL_DEPTH 8

/* ---------------------------------------------------------------- values */

static void put_number(strbuf *b, double d)
{
    char num[VAL_NUMBER_BUF];
    val_number_fmt(d, num, sizeof num);
    sb_puts(b, num);
}

static void value_at(strbuf *b, val v, int show, int depth)
{
    if (depth > PJ_MAX_DEPTH || (val_is_sensitive(v) && !show) || val_is_unknown(v) ||
        val_is_null(v)) {
        sb_puts(b, "null");
        return;
    }
    int keyed = val_kind(v) == VAL_MAP || val_kind(v) == VAL_OBJECT;
    switch (val_kind(v)) {
    case VAL_STRING: val_json_quote(b, val_get_string(v), val_string_len(v)); return;
    case VAL_BOOL: sb_puts(b, val_get_bool(v) ? "true" : "false"); return;
    case VAL_NUMBER: put_number(b, val_get_number(v)); return;
    case VAL_LIST: case VAL_SET: case VAL_TUPLE: case VAL_MAP: case VAL_OBJECT: break;
    default: sb_puts(b, "null"); return;
    }
    sb_putc(b, keyed ? '{' : '[');
    int first = 1;
    for (size_t i = 0; i < val_len(v); i++) {
        val e = *val_at(v, i);
        if (keyed && val_is_unknown(e))
            continue;   /* Terraform leaves unknown attributes out of "after" */
        if (!first)
            sb_putc(b, ',');
        first = 0;
        if (keyed) {
            val_json_quote(b, val_key_at(v, i), strlen(val_key_at(v, i)));
            sb_putc(b, ':');
        }
        value_at(b, e, show, depth + 1);
    }
    sb_putc(b, keyed ? '}' : ']');
}

void pj_value(strbuf *b, val v, int show_sensitive)
{
    value_at(b, v, show_sensitive, 0);
}

static void marks_at(strbuf *b, val v, unsigned mark, int depth)
{
    int keyed = val_kind(v) == VAL_MAP || val_kind(v) == VAL_OBJECT;
    int seq = val_kind(v) == VAL_LIST || val_kind(v) == VAL_SET || val_kind(v) == VAL_TUPLE;
    if (val_marks(v) & mark) {
        sb_puts(b, "true");
        return;
    }
    if (depth > PJ_MAX_DEPTH || val_is_null(v) || val_is_unknown(v) || (!keyed && !seq)) {
        sb_puts(b, "false");
        return;
    }
    sb_putc(b, keyed ? '{' : '[');
    int first = 1;
    for (size_t i = 0; i < val_len(v); i++) {
        strbuf e = {0};
        marks_at(&e, *val_at(v, i), mark, depth + 1);
        if (e.s && (!keyed || strcmp(e.s, "false") != 0)) {
            sb_puts(b, first ? "" : ",");
            if (keyed) {
                val_json_quote(b, val_key_at(v, i), strlen(val_key_at(v, i)));
                sb_putc(b, ':');
            }
            sb_append(b, e.s, e.len);
            first = 0;
        }
        sb_free(&e);
    }
    sb_putc(b, keyed ? '}' : ']');
}

void pj_marks(strbuf *b, val v, unsigned mark)
{
    marks_at(b, v, mark, 0);
}

void pj_quote(strbuf *b, const char *s)
{
    val_json_quote(b, s ? s : "", s ? strlen(s) : 0);
}

/* The registry address inside a provider configuration key
 * (provider["registry.terraform.io/hashicorp/test"].alias), else key. */
static void provider_addr(strbuf *b, const char *key)
{
    const char *open = key ? strstr(key, "provider[\"") : NULL;
    const char *close = open ? strstr(open + 10, "\"]") : NULL;
    if (close)
        val_json_quote(b, open + 10, (size_t)(close - open - 10));
    else
        pj_quote(b, key);
}

void pj_head(strbuf *b, const state_addr *a, const char *addr, const char *provider)
{
    sb_puts(b, "{\"address\":");
    pj_quote(b, addr);
    sb_printf(b, ",\"mode\":\"%s\",\"type\":", a->data ? "data" : "managed");
    pj_quote(b, a->type);
    sb_puts(b, ",\"name\":");
    pj_quote(b, a->name);
    if (a->key.kind == STATE_KEY_INT)
        sb_printf(b, ",\"index\":%lld", (long long)a->key.i);
    else if (a->key.kind == STATE_KEY_STR) {
        sb_puts(b, ",\"index\":");
        pj_quote(b, a->key.s);
    }
    sb_puts(b, ",\"provider_name\":");
    provider_addr(b, provider);
}

/* ---------------------------------------------------------------- module trees */

static int cmp_key(const state_key *x, const state_key *y)
{
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    if (x->kind == STATE_KEY_INT)
        return x->i < y->i ? -1 : x->i > y->i;
    return x->kind == STATE_KEY_STR ? strcmp(x->s, y->s) : 0;
}

/* Modules component by component, a module before what it contains, so
 * that every module's records are contiguous, its own first. */
static int cmp_res(const void *pa, const void *pb)
{
    const pj_res *x = pa, *y = pb;
    size_t n = x->a.nmodules < y->a.nmodules ? x->a.nmodules : y->a.nmodules;
    for (size_t k = 0; k < n; k++) {
        int c = strcmp(x->a.modules[k].name, y->a.modules[k].name);
        if (c == 0)
            c = cmp_key(&x->a.modules[k].key, &y->a.modules[k].key);
        if (c)
            return c;
    }
    if (x->a.nmodules != y->a.nmodules)
        return x->a.nmodules < y->a.nmodules ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int same_module(const state_addr *x, const state_addr *y, size_t depth)
{
    for (size_t k = 0; k < depth; k++)
        if (strcmp(x->modules[k].name, y->modules[k].name) != 0 ||
            cmp_key(&x->modules[k].key, &y->modules[k].key) != 0)
            return 0;
    return 1;
}

/* The module r[0..n) are in (at depth), with its resources and children. */
static void module_at(strbuf *b, const pj_res *r, size_t n, size_t depth)
{
    const char *sep = "";
    sb_putc(b, '{');
    if (depth) {
        state_addr m = r[0].a;
        m.nmodules = depth;
        char *addr = state_addr_module_str(&m);
        sb_puts(b, "\"address\":");
        pj_quote(b, addr);
        free(addr);
        sep = ",";
    }
    size_t i = 0;
    for (; i < n && r[i].a.nmodules == depth; i++) {
        sb_printf(b, "%s%s", i ? "," : sep, i ? "" : "\"resources\":[");
        sb_puts(b, r[i].json);
    }
    if (i) {
        sb_putc(b, ']');
        sep = ",";
    }
    for (int first = 1; i < n; first = 0) {
        size_t j = i + 1;
        while (j < n && same_module(&r[i].a, &r[j].a, depth + 1))
            j++;
        sb_printf(b, "%s%s", first ? sep : ",", first ? "\"child_modules\":[" : "");
        module_at(b, r + i, j - i, depth + 1);
        i = j;
        if (i == n)
            sb_putc(b, ']');
    }
    sb_putc(b, '}');
}

void pj_module_tree(strbuf *b, pj_res *r, size_t n)
{
    if (n == 0) {
        sb_puts(b, "{}");
        return;
    }
    qsort(r, n, sizeof *r, cmp_res);
    module_at(b, r, n, 0);
}

void pj_res_free(pj_res *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        state_addr_free(&r[i].a);
        free(r[i].json);
    }
    free(r);
}

static void res_push(pj_res **v, size_t *n, const state_addr *a, char *json)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n] = (pj_res){*a, json, *n};
    (*n)++;
}

/* ---------------------------------------------------------------- changes */

/* Whether a change belongs in resource_changes: data sources only when
 * they are read during apply (those read at plan time are prior state). */
/* Whether resource_changes lists c: managed resources and reads; a
 * deposed object only when it is deleted (one found gone just leaves
 * state). */
static int listed(const plan_change *c)
{
    return c->deposed ? c->action == PLAN_DELETE : !c->data || c->action == PLAN_READ;
}

static const char *actions_of(enum plan_action a)
{
    static const char *const v[] = {"[\"no-op\"]", "[\"create\"]", "[\"read\"]",
                                    "[\"update\"]", "[\"delete\",\"create\"]",
                                    "[\"create\",\"delete\"]", "[\"delete\"]"};
    return (unsigned)a <= PLAN_DELETE ? v[a] : "[\"no-op\"]";
}

/* Terraform's action_reason for c, or NULL (plan_change.reason holds
 * Terraform's human words; see engine/plan_walk.c). */
static const char *action_reason(const plan *p, const plan_change *c)
{
    const char *why = c->reason ? c->reason : "";
    switch (c->action) {
    case PLAN_REPLACE: case PLAN_REPLACE_CBD:
        if (!strcmp(why, "as requested"))
            return "replace_by_request";
        if (strstr(why, "replace_triggered_by"))
            return "replace_by_triggers";
        if (strstr(why, "tainted"))
            return "replace_because_tainted";
        return "replace_because_cannot_update";
    case PLAN_DELETE:
        if (p->destroy || !c->reason)
            return NULL;
        if (strstr(why, "out of range for count"))
            return "delete_because_count_index";
        if (strstr(why, "not in for_each map"))
            return "delete_because_each_key";
        if (strstr(why, "count or for_each") || strstr(why, "does not use"))
            return "delete_because_wrong_repetition";
        if (strstr(why, "because module."))
            return "delete_because_no_module";
        return c->moved_from ? "delete_because_no_move_target"
                             : "delete_because_no_resource_config";
    case PLAN_READ:
        return strstr(why, "depends on") ? "read_because_dependency_pending"
                                         : "read_because_config_unknown";
    default:
        return NULL;
    }
}

const char *plan_json_reason(const plan *p, const plan_change *c)
{
    return action_reason(p, c);
}

static val before_of(const plan_change *c)
{
    if (c->action == PLAN_CREATE || c->action == PLAN_READ || !val_is_valid(c->prior))
        return val_null();
    return val_copy(c->prior);
}

static val after_of(const plan_change *c)
{
    if (c->action == PLAN_DELETE || !val_is_valid(c->planned))
        return val_null();
    return val_copy(c->planned);
}

static void change_body(strbuf *b, val before, val after, int show)
{
    sb_puts(b, ",\"before\":");
    pj_value(b, before, show);
    sb_puts(b, ",\"after\":");
    pj_value(b, after, show);
    sb_puts(b, ",\"after_unknown\":");
    pj_marks(b, after, VAL_MARK_UNKNOWN);
    sb_puts(b, ",\"before_sensitive\":");
    pj_marks(b, before, VAL_MARK_SENSITIVE);
    sb_puts(b, ",\"after_sensitive\":");
    pj_marks(b, after, VAL_MARK_SENSITIVE);
}

static void resource_change(strbuf *b, const plan *p, const plan_change *c, int show)
{
    state_addr a;
    if (state_addr_parse(&a, c->addr) < 0) {
        sb_puts(b, "{\"address\":");
        pj_quote(b, c->addr);
        sb_puts(b, "}");
        return;
    }
    pj_head(b, &a, c->addr, c->provider);
    if (a.nmodules) {
        char *m = state_addr_module_str(&a);
        sb_puts(b, ",\"module_address\":");
        pj_quote(b, m);
        free(m);
    }
    if (c->moved_from) {
        sb_puts(b, ",\"previous_address\":");
        pj_quote(b, c->moved_from);
    }
    if (c->deposed) {
        sb_puts(b, ",\"deposed\":");
        pj_quote(b, c->deposed);
    }
    sb_printf(b, ",\"change\":{\"actions\":%s", actions_of(c->action));
    val before = before_of(c), after = after_of(c);
    change_body(b, before, after, show);
    val_free(before);
    val_free(after);
    if (c->action == PLAN_REPLACE || c->action == PLAN_REPLACE_CBD) {
        sb_puts(b, ",\"replace_paths\":[");
        for (size_t i = 0; i < c->nreplace; i++) {
            sb_puts(b, i ? ",[" : "[");
            pj_quote(b, c->replace_paths[i]);
            sb_putc(b, ']');
        }
        sb_putc(b, ']');
    }
    if (c->import_id) {
        sb_puts(b, ",\"importing\":{\"id\":");
        pj_quote(b, c->import_id);
        sb_putc(b, '}');
    }
    sb_putc(b, '}');
    const char *why = action_reason(p, c);
    if (why)
        sb_printf(b, ",\"action_reason\":\"%s\"", why);
    sb_putc(b, '}');
    state_addr_free(&a);
}

static void resource_changes(strbuf *b, const plan *p, int show)
{
    sb_puts(b, ",\"resource_changes\":[");
    int first = 1;
    for (size_t i = 0; i < p->n; i++) {
        if (!listed(&p->changes[i]))
            continue;
        sb_puts(b, first ? "" : ",");
        first = 0;
        resource_change(b, p, &p->changes[i], show);
    }
    sb_putc(b, ']');
}

/* ---------------------------------------------------------------- outputs */

static const char *output_actions(const plan_output *o)
{
    if (o->deleted)
        return "[\"delete\"]";
    if (!val_is_valid(o->prior))
        return o->changed ? "[\"create\"]" : "[\"no-op\"]";
    return o->changed ? "[\"update\"]" : "[\"no-op\"]";
}

/* An output value with its sensitive flag as a mark. */
static val output_val(const plan_output *o, val v)
{
    if (!val_is_valid(v))
        return val_null();
    v = val_copy(v);
    return o->sensitive ? val_mark(v, VAL_MARK_SENSITIVE) : v;
}

static int output_cmp(const void *x, const void *y)
{
    const plan_output *a = *(const plan_output *const *)x, *b = *(const plan_output *const *)y;
    return strcmp(a->name, b->name);
}

const plan_output **pj_sorted_outputs(const plan *p)
{
    const plan_output **v = xmalloc((p->noutputs + 1) * sizeof *v);
    for (size_t i = 0; i < p->noutputs; i++)
        v[i] = &p->outputs[i];
    qsort(v, p->noutputs, sizeof *v, output_cmp);
    return v;
}

static void output_changes(strbuf *b, const plan *p, int show)
{
    const plan_output **o = pj_sorted_outputs(p);
    sb_puts(b, ",\"output_changes\":{");
    for (size_t i = 0; i < p->noutputs; i++) {
        sb_puts(b, i ? "," : "");
        pj_quote(b, o[i]->name);
        sb_printf(b, ":{\"actions\":%s", output_actions(o[i]));
        val before = output_val(o[i], o[i]->prior);
        val after = o[i]->deleted ? val_null() : output_val(o[i], o[i]->value);
        change_body(b, before, after, show);
        sb_putc(b, '}');
        val_free(before);
        val_free(after);
    }
    sb_putc(b, '}');
    free(o);
}

/* "outputs":{name:{"sensitive","value"?}} of the values v picks
 * (planned: value; prior: prior), known ones only. */
static void outputs_values(strbuf *b, const plan *p, int prior, int show)
{
    const plan_output **o = pj_sorted_outputs(p);
    int first = 1;
    sb_puts(b, "\"outputs\":{");
    for (size_t i = 0; i < p->noutputs; i++) {
        val v = prior ? o[i]->prior : o[i]->value;
        if (!val_is_valid(v) || (!prior && o[i]->deleted))
            continue;
        sb_puts(b, first ? "" : ",");
        first = 0;
        pj_quote(b, o[i]->name);
        int sens = o[i]->sensitive || val_contains_sensitive(v);
        sb_printf(b, ":{\"sensitive\":%s", sens ? "true" : "false");
        if (val_is_wholly_known(v)) {
            val w = output_val(o[i], v);
            sb_puts(b, ",\"value\":");
            pj_value(b, w, show);
            val_free(w);
        }
        sb_putc(b, '}');
    }
    sb_putc(b, '}');
    free(o);
}

/* ---------------------------------------------------------------- values trees */

/* One instance of planned_values / prior_state with values v. */
static char *instance_json(const state_addr *a, const plan_change *c, val v, int show)
{
    strbuf b = {0};
    pj_head(&b, a, c->addr, c->provider);
    if (!c->data)
        sb_printf(&b, ",\"schema_version\":%d", c->schema_version);
    sb_puts(&b, ",\"values\":");
    pj_value(&b, v, show);
    sb_puts(&b, ",\"sensitive_values\":");
    pj_marks(&b, v, VAL_MARK_SENSITIVE);
    sb_putc(&b, '}');
    return sb_take(&b);
}

/* The instances of p (prior: their prior values; else planned values of
 * what remains after apply) as a root_module tree. */
static void values_tree(strbuf *b, const plan *p, int prior, int show)
{
    pj_res *r = NULL;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        val v;
        if (prior)
            v = c->data && c->action == PLAN_NOOP ? c->planned
                : c->action == PLAN_CREATE || c->action == PLAN_READ ? val_invalid() : c->prior;
        else
            v = c->action == PLAN_DELETE ? val_invalid() : c->planned;
        if (!val_is_valid(v) || val_is_null(v) || val_is_unknown(v) ||
            (c->data && c->action == PLAN_DELETE) || c->deposed)
            continue;
        state_addr a;
        if (state_addr_parse(&a, c->addr) < 0)
            continue;
        char *js = instance_json(&a, c, v, show);
        if (js)
            res_push(&r, &n, &a, js);
        else
            state_addr_free(&a);
    }
    sb_puts(b, ",\"root_module\":");
    pj_module_tree(b, r, n);
    pj_res_free(r, n);
}

static void planned_values(strbuf *b, const plan *p, int show)
{
    sb_puts(b, ",\"planned_values\":{");
    outputs_values(b, p, 0, show);
    values_tree(b, p, 0, show);
    sb_putc(b, '}');
}

static void prior_state(strbuf *b, const plan *p, int show)
{
    sb_printf(b, ",\"prior_state\":{\"format_version\":\"1.0\",\"terraform_version\":\"%s\","
              "\"values\":{", CAIRN_VERSION);
    outputs_values(b, p, 1, show);
    values_tree(b, p, 1, show);
    sb_puts(b, "}}");
}

/* ---------------------------------------------------------------- variables */

static void variables(strbuf *b, const pj_opts *o)
{
    sb_puts(b, ",\"variables\":{");
    for (size_t i = 0; o->cfg && o->vars && i < o->cfg->nvars; i++) {
        const cfg_variable *v = &o->cfg->vars[i];
        sb_puts(b, i ? "," : "");
        pj_quote(b, v->name);
        sb_puts(b, ":{\"value\":");
        val w = val_copy(o->vars[i]);
        if (v->sensitive)
            w = val_mark(w, VAL_MARK_SENSITIVE);
        pj_value(b, w, o->show_sensitive);
        val_free(w);
        sb_putc(b, '}');
    }
    sb_putc(b, '}');
}

/* ---------------------------------------------------------------- references */

typedef struct ref_step {
    const char *name;           /* attribute or root name; NULL: an index */
    const ast *key;             /* literal index key */
} ref_step;

typedef struct refs {
    char **v;
    size_t n;
    const char *bound[32];      /* names bound by enclosing for expressions */
    size_t nbound;
    /* relevant attributes: collect (resource, attribute path) pairs */
    int want_attrs;
    const cfg_module *mod;
    const char *mod_prefix;     /* "module.a[0]." or "" */
    char **attrs;               /* "RESOURCE\tJSON PATH" */
    size_t nattrs;
    int local_depth;
} refs;

static void push_unique(char ***v, size_t *n, char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i], s)) {
            free(s);
            return;
        }
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

static int literal_key(const ast *k)
{
    const char *s;
    size_t n;
    return (k->kind == AST_LITERAL && k->u.lit.kind == AST_LIT_NUMBER) ||
           ast_template_literal(k, &s, &n);
}

static void step_text(strbuf *t, const ref_step *s, int first)
{
    const char *str;
    size_t n;
    if (s->name) {
        sb_printf(t, "%s%s", first ? "" : ".", s->name);
    } else if (s->key->kind == AST_LITERAL) {
        sb_printf(t, "[%s]", s->key->u.lit.text);
    } else if (ast_template_literal(s->key, &str, &n)) {
        sb_putc(t, '[');
        val_json_quote(t, str, n);
        sb_putc(t, ']');
    }
}

static char *steps_text(const ref_step *s, size_t n)
{
    strbuf t = {0};
    for (size_t i = 0; i < n; i++)
        step_text(&t, &s[i], i == 0);
    return sb_take(&t);
}

/* Steps of traversal e into s (root first); 0 when e is not a traversal
 * of a root name through attributes and literal indexes. */
static size_t traversal(const ast *e, ref_step *s)
{
    ref_step rev[PJ_MAX_STEPS];
    size_t n = 0;
    while (n < PJ_MAX_STEPS) {
        if (e->kind == AST_VARIABLE) {
            rev[n++] = (ref_step){e->u.var.s, NULL};
            break;
        } else if (e->kind == AST_GETATTR) {
            rev[n++] = (ref_step){e->u.getattr.name.s, NULL};
            e = e->u.getattr.obj;
        } else if (e->kind == AST_INDEX && literal_key(e->u.index.key)) {
            rev[n++] = (ref_step){NULL, e->u.index.key};
            e = e->u.index.obj;
        } else {
            return 0;
        }
    }
    if (n == 0 || n == PJ_MAX_STEPS || !rev[n - 1].name)
        return 0;
    for (size_t i = 0; i < n; i++)
        s[i] = rev[n - 1 - i];
    return n;
}

/* How many steps name the object itself: var.x 2, data.T.N 3, self 1. */
static size_t root_steps(const ref_step *s, size_t n)
{
    const char *r = s[0].name;
    if (!strcmp(r, "self"))
        return 1;
    if (!strcmp(r, "data"))
        return n >= 3 ? 3 : 0;
    return n >= 2 && s[1].name ? 2 : 0;
}

static int is_resource_root(const char *r)
{
    static const char *const special[] = {"var", "local", "module", "count", "each", "path",
                                          "terraform", "self", "data"};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        if (!strcmp(r, special[i]))
            return 0;
    return 1;
}

static void walk(refs *r, const ast *e);

/* A resource attribute a change reads (relevant_attributes), following
 * locals of the same module. */
static void note_attr(refs *r, const ref_step *s, size_t n, size_t k)
{
    if (!strcmp(s[0].name, "local") && r->mod && r->local_depth < PJ_MAX_LOCAL_DEPTH) {
        const cfg_local *l = cfg_local_find(r->mod, s[1].name);
        if (l) {
            r->local_depth++;
            walk(r, l->expr);
            r->local_depth--;
        }
        return;
    }
    if (!is_resource_root(s[0].name) && strcmp(s[0].name, "data") != 0)
        return;
    size_t end = k;
    if (end < n && !s[end].name)
        end++;          /* the instance key */
    if (end >= n)
        return;
    char *res = steps_text(s, end);
    strbuf t = {0};
    sb_printf(&t, "%s%s\t[", r->mod_prefix, res ? res : "");
    for (size_t i = end; i < n; i++) {
        sb_puts(&t, i > end ? "," : "");
        if (s[i].name)
            pj_quote(&t, s[i].name);
        else if (s[i].key->kind == AST_LITERAL)
            sb_puts(&t, s[i].key->u.lit.text);
        else {
            const char *str;
            size_t len;
            ast_template_literal(s[i].key, &str, &len);
            val_json_quote(&t, str, len);
        }
    }
    sb_putc(&t, ']');
    free(res);
    char *a = sb_take(&t);
    if (a)
        push_unique(&r->attrs, &r->nattrs, a);
}

static int bound(const refs *r, const char *name)
{
    for (size_t i = 0; i < r->nbound; i++)
        if (r->bound[i] && !strcmp(r->bound[i], name))
            return 1;
    return 0;
}

/* A traversal: Terraform lists it whole, then the object it starts at. */
static int walk_traversal(refs *r, const ast *e)
{
    ref_step s[PJ_MAX_STEPS];
    size_t n = traversal(e, s);
    if (n == 0)
        return 0;
    if (bound(r, s[0].name))
        return 1;
    size_t k = root_steps(s, n);
    if (k == 0)
        return 1;
    if (r->want_attrs) {
        note_attr(r, s, n, k);
        return 1;
    }
    char *full = steps_text(s, n);
    if (full)
        push_unique(&r->v, &r->n, full);
    if (k + 1 < n && !s[k].name) {
        char *inst = steps_text(s, k + 1);
        if (inst)
            push_unique(&r->v, &r->n, inst);
    }
    if (k < n) {
        char *root = steps_text(s, k);
        if (root)
            push_unique(&r->v, &r->n, root);
    }
    return 1;
}

static void walk_for(refs *r, const char *k, const char *v, const ast *coll,
                     const ast *const *body, size_t nbody)
{
    walk(r, coll);
    size_t save = r->nbound;
    if (r->nbound + 2 <= sizeof r->bound / sizeof *r->bound) {
        r->bound[r->nbound++] = k;
        r->bound[r->nbound++] = v;
    }
    for (size_t i = 0; i < nbody; i++)
        walk(r, body[i]);
    r->nbound = save;
}

static void walk(refs *r, const ast *e)
{
    if (!e || walk_traversal(r, e))
        return;
    switch (e->kind) {
    case AST_TEMPLATE:
        for (size_t i = 0; i < e->u.tmpl.nparts; i++)
            walk(r, e->u.tmpl.parts[i]);
        break;
    case AST_TUPLE:
        for (size_t i = 0; i < e->u.tuple.n; i++)
            walk(r, e->u.tuple.items[i]);
        break;
    case AST_OBJECT:
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (!e->u.object.items[i].key_bare)
                walk(r, e->u.object.items[i].key);
            walk(r, e->u.object.items[i].value);
        }
        break;
    case AST_GETATTR: walk(r, e->u.getattr.obj); break;
    case AST_INDEX: walk(r, e->u.index.obj); walk(r, e->u.index.key); break;
    case AST_SPLAT: walk(r, e->u.splat.source); walk(r, e->u.splat.each); break;
    case AST_CALL:
        for (size_t i = 0; i < e->u.call.nargs; i++)
            walk(r, e->u.call.args[i]);
        break;
    case AST_UNARY: walk(r, e->u.unary.operand); break;
    case AST_BINARY: walk(r, e->u.binary.lhs); walk(r, e->u.binary.rhs); break;
    case AST_COND:
        walk(r, e->u.cond.cond);
        walk(r, e->u.cond.then);
        walk(r, e->u.cond.else_);
        break;
    case AST_PAREN: walk(r, e->u.paren.inner); break;
    case AST_TPL_IF:
        walk(r, e->u.tpl_if.cond);
        walk(r, e->u.tpl_if.then);
        walk(r, e->u.tpl_if.else_);
        break;
    case AST_FOR: {
        const ast *body[3] = {e->u.for_.key, e->u.for_.value, e->u.for_.cond};
        walk_for(r, e->u.for_.key_var.s, e->u.for_.val_var.s, e->u.for_.coll, body, 3);
        break;
    }
    case AST_TPL_FOR: {
        const ast *body[1] = {e->u.tpl_for.body};
        walk_for(r, e->u.tpl_for.key_var.s, e->u.tpl_for.val_var.s, e->u.tpl_for.coll, body,
                 1);
        break;
    }
    default:
        break;
    }
}

static void refs_free(refs *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    for (size_t i = 0; i < r->nattrs; i++)
        free(r->attrs[i]);
    free(r->v);
    free(r->attrs);
}

/* ---------------------------------------------------------------- configuration */

typedef struct cfg_ctx {
    strbuf *b;
    const pj_opts *o;
    const cfg_module *mod;
} cfg_ctx;

/* An expression: {"references":[...]} when it has any, else its constant
 * value when it evaluates without references ({} when it does not, or
 * when it is sensitive and redacted). */
static void expression(cfg_ctx *x, const ast *e, int sensitive)
{
    refs r = {0};
    walk(&r, e);
    if (r.n) {
        sb_puts(x->b, "{\"references\":[");
        for (size_t i = 0; i < r.n; i++) {
            sb_puts(x->b, i ? "," : "");
            pj_quote(x->b, r.v[i]);
        }
        sb_puts(x->b, "]}");
        refs_free(&r);
        return;
    }
    refs_free(&r);
    diag_list d = {0};
    eval_ctx ec;
    eval_ctx_init(&ec, &d);
    ec.base_dir = x->mod->dir;
    val v = eval_expr(&ec, e);
    if (val_is_valid(v) && !(sensitive && !x->o->show_sensitive) &&
        (x->o->show_sensitive || !val_contains_sensitive(v)) && val_is_wholly_known(v)) {
        sb_puts(x->b, "{\"constant_value\":");
        pj_value(x->b, v, x->o->show_sensitive);
        sb_putc(x->b, '}');
    } else {
        sb_puts(x->b, "{}");
    }
    val_free(v);
    diag_list_free(&d);
}

static int is_meta(const char *name, const char *const *meta)
{
    for (; meta && *meta; meta++)
        if (!strcmp(name, *meta))
            return 1;
    return 0;
}

static const prov_attr *schema_attr(const prov_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->nattrs; i++)
        if (!strcmp(s->attrs[i].name, name))
            return &s->attrs[i];
    return NULL;
}

static const prov_schema *schema_block(const prov_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->nblocks; i++)
        if (!strcmp(s->blocks[i].type_name, name))
            return s->blocks[i].schema;
    return NULL;
}

/* The "expressions" object of a body: attributes, then each block type as
 * an array of the blocks' own expressions (in source order). */
static void expressions(cfg_ctx *x, const ast_body *body, const prov_schema *s,
                        const char *const *meta)
{
    int first = 1;
    sb_putc(x->b, '{');
    for (size_t i = 0; body && i < body->n; i++) {
        if (body->items[i].kind != AST_ITEM_ATTR)
            continue;
        const ast_attr *a = body->items[i].u.attr;
        if (is_meta(a->name.s, meta))
            continue;
        const prov_attr *pa = schema_attr(s, a->name.s);
        sb_puts(x->b, first ? "" : ",");
        first = 0;
        pj_quote(x->b, a->name.s);
        sb_putc(x->b, ':');
        expression(x, a->expr, pa && (pa->flags & PROV_SENSITIVE));
    }
    for (size_t i = 0; body && i < body->n; i++) {
        if (body->items[i].kind != AST_ITEM_BLOCK)
            continue;
        const char *type = body->items[i].u.block->type.s;
        int seen = is_meta(type, meta) || !strcmp(type, "dynamic");
        for (size_t j = 0; j < i && !seen; j++)
            seen = body->items[j].kind == AST_ITEM_BLOCK &&
                   !strcmp(body->items[j].u.block->type.s, type);
        if (seen)
            continue;
        sb_puts(x->b, first ? "" : ",");
        first = 0;
        pj_quote(x->b, type);
        sb_puts(x->b, ":[");
        int bfirst = 1;
        for (size_t j = i; j < body->n; j++) {
            if (body->items[j].kind != AST_ITEM_BLOCK ||
                strcmp(body->items[j].u.block->type.s, type) != 0)
                continue;
            sb_puts(x->b, bfirst ? "" : ",");
            bfirst = 0;
            expressions(x, body->items[j].u.block->body, schema_block(s, type), NULL);
        }
        sb_putc(x->b, ']');
    }
    sb_putc(x->b, '}');
}

static const prov_schema *resource_schema(const pj_opts *o, const cfg_resource *cr)
{
    char name[PLUGIN_MAX_NAME + 1];
    const plugin *p;
    if (!o->reg)
        return NULL;
    snprintf(name, sizeof name, "%s", cr->provider ? cr->provider : "");
    if (!name[0])
        cfg_type_provider(cr->type, name, sizeof name);
    if (plugin_load(o->reg, name, &p) < 0)
        return NULL;
    if (cr->data) {
        const prov_data_source *ds = plugin_data_source(p, cr->type);
        return ds ? ds->schema : NULL;
    }
    const prov_resource_type *rt = plugin_resource(p, cr->type);
    return rt ? rt->schema : NULL;
}

/* "m.n:" for a resource in module.m.module.n, "" at the root. */
static char *module_key(const cfg_module *m)
{
    strbuf t = {0};
    const char *p = m->path ? m->path : "";
    sb_puts(&t, "");
    while (*p) {
        if (!strncmp(p, "module.", 7))
            p += 7;
        const char *dot = strstr(p, ".module.");
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        sb_printf(&t, "%s%.*s", t.len ? "." : "", (int)n, p);
        p += n;
        if (*p)
            p++;
    }
    if (t.len)
        sb_putc(&t, ':');
    return sb_take(&t);
}

static void depends_on(cfg_ctx *x, const ast *const *deps, size_t n)
{
    if (!n)
        return;
    sb_puts(x->b, ",\"depends_on\":[");
    for (size_t i = 0; i < n; i++) {
        ref_step s[PJ_MAX_STEPS];
        size_t k = traversal(deps[i], s);
        char *t = k ? steps_text(s, k) : NULL;
        sb_puts(x->b, i ? "," : "");
        pj_quote(x->b, t ? t : "");
        free(t);
    }
    sb_putc(x->b, ']');
}

static void config_resource(cfg_ctx *x, const cfg_resource *cr, const char *mkey)
{
    static const char *const meta[] = {"count", "for_each", "provider", "depends_on",
                                       "lifecycle", "connection", "provisioner", NULL};
    sb_puts(x->b, "{\"address\":");
    char *addr = xasprintf("%s%s.%s", cr->data ? "data." : "", cr->type, cr->name);
    pj_quote(x->b, addr);
    free(addr);
    sb_printf(x->b, ",\"mode\":\"%s\",\"type\":", cr->data ? "data" : "managed");
    pj_quote(x->b, cr->type);
    sb_puts(x->b, ",\"name\":");
    pj_quote(x->b, cr->name);
    char pname[PLUGIN_MAX_NAME + 1];
    snprintf(pname, sizeof pname, "%s", cr->provider ? cr->provider : "");
    if (!pname[0])
        cfg_type_provider(cr->type, pname, sizeof pname);
    sb_puts(x->b, ",\"provider_config_key\":");
    char *pk = xasprintf("%s%s%s%s", mkey, pname, cr->provider_alias ? "." : "",
                         cr->provider_alias ? cr->provider_alias : "");
    pj_quote(x->b, pk);
    free(pk);
    sb_puts(x->b, ",\"expressions\":");
    expressions(x, cr->body, resource_schema(x->o, cr), meta);
    sb_puts(x->b, ",\"schema_version\":0");
    if (cr->count) {
        sb_puts(x->b, ",\"count_expression\":");
        expression(x, cr->count, 0);
    }
    if (cr->for_each) {
        sb_puts(x->b, ",\"for_each_expression\":");
        expression(x, cr->for_each, 0);
    }
    depends_on(x, cr->depends_on, cr->ndepends_on);
    sb_putc(x->b, '}');
}

static void config_module(cfg_ctx *x, const cfg_module *m);

static void config_calls(cfg_ctx *x, const cfg_module *m)
{
    static const char *const meta[] = {"source", "version", "count", "for_each", "providers",
                                       "depends_on", NULL};
    sb_puts(x->b, "\"module_calls\":{");
    for (size_t i = 0; i < m->ncalls; i++) {
        const cfg_call *c = &m->calls[i];
        sb_puts(x->b, i ? "," : "");
        pj_quote(x->b, c->name);
        sb_puts(x->b, ":{\"source\":");
        pj_quote(x->b, c->source);
        sb_puts(x->b, ",\"expressions\":");
        expressions(x, c->block ? c->block->body : NULL, NULL, meta);
        if (c->count) {
            sb_puts(x->b, ",\"count_expression\":");
            expression(x, c->count, 0);
        }
        if (c->for_each) {
            sb_puts(x->b, ",\"for_each_expression\":");
            expression(x, c->for_each, 0);
        }
        depends_on(x, c->depends_on, c->ndepends_on);
        if (c->child) {
            sb_puts(x->b, ",\"module\":");
            config_module(x, c->child);
        }
        sb_putc(x->b, '}');
    }
    sb_putc(x->b, '}');
}

static void config_outputs(cfg_ctx *x, const cfg_module *m)
{
    sb_puts(x->b, "\"outputs\":{");
    for (size_t i = 0; i < m->noutputs; i++) {
        const cfg_output *o = &m->outputs[i];
        sb_puts(x->b, i ? "," : "");
        pj_quote(x->b, o->name);
        sb_puts(x->b, ":{\"expression\":");
        expression(x, o->value, o->sensitive);
        if (o->sensitive)
            sb_puts(x->b, ",\"sensitive\":true");
        depends_on(x, o->depends_on, o->ndepends_on);
        sb_putc(x->b, '}');
    }
    sb_putc(x->b, '}');
}

static void config_variables(cfg_ctx *x, const cfg_module *m)
{
    sb_puts(x->b, "\"variables\":{");
    for (size_t i = 0; i < m->nvars; i++) {
        const cfg_variable *v = &m->vars[i];
        sb_puts(x->b, i ? "," : "");
        pj_quote(x->b, v->name);
        sb_puts(x->b, ":{");
        int sep = 0;
        if (v->default_ && (!v->sensitive || x->o->show_sensitive)) {
            diag_list d = {0};
            eval_ctx ec;
            eval_ctx_init(&ec, &d);
            ec.base_dir = m->dir;
            val dv = eval_expr(&ec, v->default_);
            if (val_is_valid(dv)) {
                sb_puts(x->b, "\"default\":");
                pj_value(x->b, dv, x->o->show_sensitive);
                sep = 1;
            }
            val_free(dv);
            diag_list_free(&d);
        }
        if (v->description) {
            sb_puts(x->b, sep ? ",\"description\":" : "\"description\":");
            pj_quote(x->b, v->description);
            sep = 1;
        }
        if (v->sensitive)
            sb_puts(x->b, sep ? ",\"sensitive\":true" : "\"sensitive\":true");
        sb_putc(x->b, '}');
    }
    sb_putc(x->b, '}');
}

static void config_module(cfg_ctx *x, const cfg_module *m)
{
    const cfg_module *save = x->mod;
    x->mod = m;
    char *mkey = module_key(m);
    sb_putc(x->b, '{');
    config_outputs(x, m);
    sb_puts(x->b, ",\"resources\":[");
    for (size_t i = 0; i < m->nresources; i++) {
        sb_puts(x->b, i ? "," : "");
        config_resource(x, &m->resources[i], mkey ? mkey : "");
    }
    sb_puts(x->b, "],");
    config_calls(x, m);
    sb_putc(x->b, ',');
    config_variables(x, m);
    sb_putc(x->b, '}');
    free(mkey);
    x->mod = save;
}

static const char *full_provider_name(const cfg_module *root, const char *name, char *buf,
                                      size_t size)
{
    for (size_t i = 0; i < root->nrequired; i++)
        if (!strcmp(root->required[i].name, name) && root->required[i].source) {
            const char *src = root->required[i].source;
            int hosted = strchr(src, '/') && strchr(strchr(src, '/') + 1, '/');
            snprintf(buf, size, "%s%s", hosted ? "" : "registry.terraform.io/", src);
            return buf;
        }
    snprintf(buf, size, "registry.terraform.io/hashicorp/%s", name);
    return buf;
}

static void provider_configs(cfg_ctx *x, const cfg_module *m, int *first)
{
    static const char *const meta[] = {"alias", "version", NULL};
    char *mkey = module_key(m);
    char full[512];
    const cfg_module *save = x->mod;
    x->mod = m;
    for (size_t i = 0; i < m->nproviders; i++) {
        const cfg_provider *p = &m->providers[i];
        char *key = xasprintf("%s%s%s%s", mkey ? mkey : "", p->name, p->alias ? "." : "",
                              p->alias ? p->alias : "");
        sb_puts(x->b, *first ? "" : ",");
        *first = 0;
        pj_quote(x->b, key);
        sb_puts(x->b, ":{\"name\":");
        pj_quote(x->b, p->name);
        sb_puts(x->b, ",\"full_name\":");
        pj_quote(x->b, full_provider_name(m, p->name, full, sizeof full));
        if (p->alias) {
            sb_puts(x->b, ",\"alias\":");
            pj_quote(x->b, p->alias);
        }
        if (m->parent) {
            sb_puts(x->b, ",\"module_address\":");
            pj_quote(x->b, m->path);
        }
        sb_puts(x->b, ",\"expressions\":");
        expressions(x, p->block ? p->block->body : NULL, NULL, meta);
        sb_putc(x->b, '}');
        free(key);
    }
    free(mkey);
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child)
            provider_configs(x, m->calls[i].child, first);
    x->mod = save;
}

/* Whether the root (or a module) has a provider block for name, or an
 * earlier resource of the tree already named it (implied_providers). */
static int provider_declared(const cfg_module *m, const char *name)
{
    for (size_t i = 0; i < m->nproviders; i++)
        if (!strcmp(m->providers[i].name, name) && !m->providers[i].alias)
            return 1;
    return 0;
}

/* Providers that resources use without a provider block at the root:
 * Terraform lists them too, with no expressions. */
static void implied_providers(cfg_ctx *x, const cfg_module *m, char ***seen, size_t *nseen,
                              int *first)
{
    char full[512];
    for (size_t i = 0; i < m->nresources; i++) {
        const cfg_resource *cr = &m->resources[i];
        char name[PLUGIN_MAX_NAME + 1];
        snprintf(name, sizeof name, "%s", cr->provider ? cr->provider : "");
        if (!name[0])
            cfg_type_provider(cr->type, name, sizeof name);
        if (provider_declared(x->o->cfg, name))
            continue;
        size_t before = *nseen;
        push_unique(seen, nseen, xstrdup(name));
        if (*nseen == before)
            continue;
        sb_puts(x->b, *first ? "" : ",");
        *first = 0;
        pj_quote(x->b, name);
        sb_puts(x->b, ":{\"name\":");
        pj_quote(x->b, name);
        sb_puts(x->b, ",\"full_name\":");
        pj_quote(x->b, full_provider_name(x->o->cfg, name, full, sizeof full));
        sb_putc(x->b, '}');
    }
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child)
            implied_providers(x, m->calls[i].child, seen, nseen, first);
}

static void configuration(strbuf *b, const pj_opts *o)
{
    if (!o->cfg)
        return;
    cfg_ctx x = {b, o, o->cfg};
    int first = 1;
    char **seen = NULL;
    size_t nseen = 0;
    sb_puts(b, ",\"configuration\":{\"provider_config\":{");
    provider_configs(&x, o->cfg, &first);
    implied_providers(&x, o->cfg, &seen, &nseen, &first);
    for (size_t i = 0; i < nseen; i++)
        free(seen[i]);
    free(seen);
    sb_puts(b, "},\"root_module\":");
    config_module(&x, o->cfg);
    sb_putc(b, '}');
}

/* ---------------------------------------------------------------- relevant attributes */

/* The module of an instance address as a prefix ("module.a[0]." or ""). */
static char *module_prefix(const char *addr)
{
    state_addr a;
    if (state_addr_parse(&a, addr) < 0)
        return xstrdup("");
    char *m = state_addr_module_str(&a);
    char *out = m && *m ? xasprintf("%s.", m) : xstrdup("");
    free(m);
    state_addr_free(&a);
    return out;
}

static void body_attrs(refs *r, const ast_body *body)
{
    for (size_t i = 0; body && i < body->n; i++) {
        if (body->items[i].kind == AST_ITEM_ATTR)
            walk(r, body->items[i].u.attr->expr);
        else
            body_attrs(r, body->items[i].u.block->body);
    }
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The resource attributes that changed resources and outputs read
 * (through locals of their module), sorted, without duplicates. */
static void relevant_attributes(strbuf *b, const plan *p, const pj_opts *o)
{
    refs r = {.want_attrs = 1};
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        if (c->action == PLAN_NOOP || c->action == PLAN_DELETE || !c->cfg)
            continue;
        char *prefix = module_prefix(c->addr);
        r.mod = c->cfg->module;
        r.mod_prefix = prefix;
        body_attrs(&r, c->cfg->body);
        free(prefix);
    }
    for (size_t i = 0; o->cfg && i < p->noutputs; i++) {
        const plan_output *po = &p->outputs[i];
        const cfg_output *co = cfg_output_find(o->cfg, po->name);
        if (!co || (!po->changed && !po->deleted))
            continue;
        r.mod = o->cfg;
        r.mod_prefix = "";
        walk(&r, co->value);
    }
    if (r.nattrs > 1)
        qsort(r.attrs, r.nattrs, sizeof *r.attrs, str_cmp);
    sb_puts(b, ",\"relevant_attributes\":[");
    for (size_t i = 0; i < r.nattrs; i++) {
        char *tab = strchr(r.attrs[i], '\t');
        sb_puts(b, i ? ",{\"resource\":" : "{\"resource\":");
        val_json_quote(b, r.attrs[i], (size_t)(tab - r.attrs[i]));
        sb_printf(b, ",\"attribute\":%s}", tab + 1);
    }
    sb_putc(b, ']');
    refs_free(&r);
}

/* ---------------------------------------------------------------- the document */

void plan_json_write(strbuf *b, const plan *p, const pj_opts *o)
{
    char now[32];
    const char *ts = o->timestamp;
    if (!ts) {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
        ts = now;
    }
    int show = o->show_sensitive;
    sb_printf(b, "{\"format_version\":\"1.2\",\"terraform_version\":\"%s\"", CAIRN_VERSION);
    variables(b, o);
    planned_values(b, p, show);
    resource_changes(b, p, show);
    output_changes(b, p, show);
    prior_state(b, p, show);
    configuration(b, o);
    relevant_attributes(b, p, o);
    sb_puts(b, ",\"timestamp\":");
    pj_quote(b, ts);
    sb_printf(b, ",\"applyable\":%s,\"complete\":true,\"errored\":false}",
              plan_has_changes(p) ? "true" : "false");
}
