/*
 * engine/graph.c — lazy evaluation over the module tree with dependency
 * recording and cycle detection (engine/graph.h).
 *
 * What must stay true: a node is evaluated at most once (TODO -> BUSY ->
 * DONE/FAILED); the evaluation stack (g->stack) holds exactly the BUSY
 * nodes, innermost last, with the range of the reference that led to each,
 * so a cycle can be printed edge by edge.
 */
#include "engine/graph.h"

#include "engine/decode.h"
#include "engine/vars.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GRAPH_MAX_STACK 4096

struct frame {
    graph_node *node;
    srange ref;               /* where the previous frame referred to this node */
};

struct graph {
    const cfg_module *root_cfg;
    const val *root_vars;
    char *workspace;
    char *cwd;
    graph_res_fn hook;
    void *payload;
    diag_list *diags;
    graph_mod *root;
    struct frame stack[GRAPH_MAX_STACK];
    size_t depth;
    srange last_ref;          /* the reference being resolved */
};

/* ---------------------------------------------------------------- nodes */

void graph_node_add_dep(graph_node *n, graph_res *r)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->ndeps; i++)
        if (n->deps[i] == r)
            return;
    if (n->ndeps == n->capdeps) {
        n->capdeps = n->capdeps ? n->capdeps * 2 : 4;
        n->deps = xrealloc(n->deps, n->capdeps * sizeof *n->deps);
    }
    n->deps[n->ndeps++] = r;
}

static void node_merge(graph_node *into, const graph_node *from)
{
    for (size_t i = 0; into && i < from->ndeps; i++)
        graph_node_add_dep(into, from->deps[i]);
}

static void node_free(graph_node *n)
{
    val_free(n->v);
    free(n->deps);
    free(n->what);
}

/* Start evaluating n: 0, or CAIRN_EDIAG after a cycle diagnostic. */
static int node_enter(graph *g, graph_node *n)
{
    if (n->state == GRAPH_BUSY) {
        size_t from = g->depth;
        while (from > 0 && g->stack[from - 1].node != n)
            from--;
        strbuf b = {0};
        sb_puts(&b, "Cycle:");
        for (size_t i = from ? from - 1 : 0; i < g->depth; i++)
            sb_printf(&b, "%s %s", i + 1 == from ? "" : ",", g->stack[i].node->what);
        char *summary = sb_take(&b);
        strbuf det = {0};
        sb_puts(&det, "Each object refers to the next one:");
        for (size_t i = from; i <= g->depth; i++) {
            srange r = i < g->depth ? g->stack[i].ref : g->last_ref;
            const char *a = g->stack[i - 1].node->what;
            const char *to = i < g->depth ? g->stack[i].node->what : n->what;
            int line = 0, col = 0;
            if (r.file)
                src_pos(r.file, r.start, &line, &col);
            sb_printf(&det, "\n  %s:%d:%d: %s refers to %s", r.file ? r.file->name : "?",
                      line, col, a, to);
        }
        char *detail = sb_take(&det);
        diag_add(g->diags, DIAG_ERROR, g->last_ref, summary, "%s", detail ? detail : "");
        free(summary);
        free(detail);
        return CAIRN_EDIAG;
    }
    if (g->depth >= GRAPH_MAX_STACK) {
        diag_add(g->diags, DIAG_ERROR, g->last_ref, "Evaluation too deep",
                 "More than %d objects refer to each other in a chain (GRAPH_MAX_STACK).",
                 GRAPH_MAX_STACK);
        return CAIRN_EDIAG;
    }
    g->stack[g->depth].node = n;
    g->stack[g->depth].ref = g->last_ref;
    g->depth++;
    n->state = GRAPH_BUSY;
    return 0;
}

static void node_leave(graph *g, graph_node *n, val v)
{
    g->depth--;
    n->v = v;
    n->state = val_is_valid(v) ? GRAPH_DONE : GRAPH_FAILED;
}

/* ---------------------------------------------------------------- modules */

static graph_mod *mod_new(const cfg_module *cfg, const char *addr, graph_mod *parent,
                          const cfg_call *call, val key, val each_value)
{
    graph_mod *m = xcalloc(1, sizeof *m);
    m->cfg = cfg;
    m->addr = xstrdup(addr);
    m->parent = parent;
    m->call = call;
    m->key = key;
    m->each_value = each_value;
    m->vars = xcalloc(cfg->nvars + 1, sizeof *m->vars);
    m->locals = xcalloc(cfg->nlocals + 1, sizeof *m->locals);
    m->outputs = xcalloc(cfg->noutputs + 1, sizeof *m->outputs);
    m->calls = xcalloc(cfg->ncalls + 1, sizeof *m->calls);
    m->res = xcalloc(cfg->nresources + 1, sizeof *m->res);
    const char *sep = *addr ? "." : "";
    for (size_t i = 0; i < cfg->nvars; i++)
        m->vars[i].what = xasprintf("%s%svar.%s", addr, sep, cfg->vars[i].name);
    for (size_t i = 0; i < cfg->nlocals; i++)
        m->locals[i].what = xasprintf("%s%slocal.%s", addr, sep, cfg->locals[i].name);
    for (size_t i = 0; i < cfg->noutputs; i++)
        m->outputs[i].what = xasprintf("%s%soutput.%s", addr, sep, cfg->outputs[i].name);
    for (size_t i = 0; i < cfg->ncalls; i++)
        m->calls[i].node.what = xasprintf("%s%smodule.%s", addr, sep, cfg->calls[i].name);
    return m;
}

static void res_free(graph_res *r)
{
    if (!r)
        return;
    node_free(&r->node);
    for (size_t i = 0; i < r->ninst; i++) {
        free(r->inst[i].addr);
        val_free(r->inst[i].key);
        val_free(r->inst[i].each_value);
        val_free(r->inst[i].value);
    }
    free(r->inst);
    free(r->addr);
    free(r);
}

static void mod_free(graph_mod *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cfg->nvars; i++)
        node_free(&m->vars[i]);
    for (size_t i = 0; i < m->cfg->nlocals; i++)
        node_free(&m->locals[i]);
    for (size_t i = 0; i < m->cfg->noutputs; i++)
        node_free(&m->outputs[i]);
    for (size_t i = 0; i < m->cfg->ncalls; i++) {
        node_free(&m->calls[i].node);
        for (size_t j = 0; j < m->calls[i].ninst; j++)
            mod_free(m->calls[i].inst[j]);
        free(m->calls[i].inst);
    }
    for (size_t i = 0; i < m->cfg->nresources; i++)
        res_free(m->res[i]);
    val_free(m->key);
    val_free(m->each_value);
    free(m->vars);
    free(m->locals);
    free(m->outputs);
    free(m->calls);
    free(m->res);
    free(m->addr);
    free(m);
}

graph *graph_new(const cfg_module *root, const val *root_vars, const char *workspace,
                 graph_res_fn hook, void *payload, diag_list *diags)
{
    graph *g = xcalloc(1, sizeof *g);
    char buf[4096];
    g->root_cfg = root;
    g->root_vars = root_vars;
    g->workspace = xstrdup(workspace ? workspace : "default");
    g->cwd = xstrdup(getcwd(buf, sizeof buf) ? buf : ".");
    g->hook = hook;
    g->payload = payload;
    g->diags = diags;
    g->root = mod_new(root, "", NULL, NULL, val_invalid(), val_invalid());
    return g;
}

void graph_free(graph *g)
{
    if (!g)
        return;
    mod_free(g->root);
    free(g->workspace);
    free(g->cwd);
    free(g);
}

graph_mod *graph_root(graph *g) { return g->root; }
diag_list *graph_diags(graph *g) { return g->diags; }

/* ---------------------------------------------------------------- keys */

char *graph_key_suffix(val key)
{
    if (!val_is_valid(key))
        return xstrdup("");
    if (val_kind(key) == VAL_NUMBER) /* count.index: whole (expand_count) */
        return xasprintf("[%lld]", (long long)val_get_number(key));
    strbuf b = {0};
    sb_puts(&b, "[\"");
    for (const char *p = val_get_string(key); *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_putc(&b, '\\');
        sb_putc(&b, *p);
    }
    sb_puts(&b, "\"]");
    return sb_take(&b);
}

static int expand_count(graph_scope *s, const ast *count, val **keys, size_t *n)
{
    val c = graph_eval(s, count);
    if (!val_is_valid(c))
        return CAIRN_EDIAG;
    if (val_is_unknown(c)) {
        diag_add(s->g->diags, DIAG_ERROR, count->range, "Invalid count argument",
                 "The \"count\" value depends on resource attributes that cannot be "
                 "determined until apply, so cairn cannot predict how many instances will be "
                 "created. To work around this, use the -target argument to first apply only "
                 "the resources that the count depends on.");
        val_free(c);
        return CAIRN_EDIAG;
    }
    c = val_convert(c, ty_number());
    double x = val_is_valid(c) && val_kind(c) == VAL_NUMBER ? val_get_number(c) : -1;
    val_free(c);
    if (x < 0 || x != (double)(long)x || x > GRAPH_MAX_INSTANCES) {
        diag_add(s->g->diags, DIAG_ERROR, count->range, "Invalid count argument",
                 "The given \"count\" argument value is unsuitable: must be a whole number "
                 "between 0 and %d.", GRAPH_MAX_INSTANCES);
        return CAIRN_EDIAG;
    }
    *n = (size_t)x;
    *keys = xcalloc(*n + 1, sizeof **keys);
    for (size_t i = 0; i < *n; i++)
        (*keys)[i] = val_number((double)i);
    return 0;
}

static int cmp_keyed(const void *a, const void *b)
{
    const val *x = a, *y = b;
    return strcmp(val_get_string(x[0]), val_get_string(y[0]));
}

static int for_each_bad(graph_scope *s, const ast *fe, const char *why)
{
    diag_add(s->g->diags, DIAG_ERROR, fe->range, "Invalid for_each argument", "%s", why);
    return CAIRN_EDIAG;
}

static int expand_for_each(graph_scope *s, const ast *fe, val **keys, val **values,
                           size_t *n)
{
    val v = graph_eval(s, fe);
    if (!val_is_valid(v))
        return CAIRN_EDIAG;
    int rc = 0;
    enum val_kind k = val_kind(v);
    /* The keys must be known; a map's values may be known only after apply
     * (for_each = another for_each resource). */
    int keys_known = !val_is_unknown(v) && (k != VAL_SET || val_is_wholly_known(v));
    if (!keys_known) {
        rc = for_each_bad(s, fe, k == VAL_SET
            ? "The \"for_each\" set includes values derived from resource attributes that "
              "cannot be determined until apply, and so cairn cannot determine the full set "
              "of keys that will identify the instances of this resource.\n\nWhen working "
              "with unknown values in for_each, it's better to use a map value where the "
              "keys are defined statically in your configuration and where only the values "
              "contain apply-time results.\n\nAlternatively, you could use the -target "
              "planning option to first apply only the resources that the for_each value "
              "depends on, and then apply a second time to fully converge."
            : "The \"for_each\" map includes keys derived from resource attributes that "
              "cannot be determined until apply, and so cairn cannot determine the full set "
              "of keys that will identify the instances of this resource.\n\nWhen working "
              "with unknown values in for_each, it's better to define the map keys "
              "statically in your configuration and place apply-time results only in the "
              "map values.\n\nAlternatively, you could use the -target planning option to "
              "first apply only the resources that the for_each value depends on, and then "
              "apply a second time to fully converge.");
    } else if (val_is_sensitive(v) || (k == VAL_SET && val_contains_sensitive(v))) {
        rc = for_each_bad(s, fe, "Sensitive values, or values derived from sensitive values, "
                                 "cannot be used as for_each arguments.");
    } else if (k == VAL_NULL) {
        rc = for_each_bad(s, fe, "The given \"for_each\" argument value is null. A map, or "
                                 "set of strings is allowed.");
    } else if (k == VAL_SET || k == VAL_MAP || k == VAL_OBJECT) {
        size_t len = val_len(v);
        if (len > GRAPH_MAX_INSTANCES)
            len = GRAPH_MAX_INSTANCES;
        val *pairs = xcalloc(2 * len + 2, sizeof *pairs);
        for (size_t i = 0; i < len && rc == 0; i++) {
            val e = val_copy(*val_at(v, i));
            if (k == VAL_SET) {
                if (val_kind(e) != VAL_STRING) {
                    val_free(e);
                    rc = for_each_bad(s, fe, "The given \"for_each\" argument value is "
                                             "unsuitable: \"for_each\" supports maps and sets "
                                             "of strings, but you have provided a set "
                                             "containing a non-string value.");
                    break;
                }
                pairs[2 * i] = val_copy(e);
                pairs[2 * i + 1] = e;
            } else {
                pairs[2 * i] = val_string(val_key_at(v, i));
                pairs[2 * i + 1] = e;
            }
        }
        if (rc == 0) {
            qsort(pairs, len, 2 * sizeof *pairs, cmp_keyed);
            *n = len;
            *keys = xcalloc(len + 1, sizeof **keys);
            *values = xcalloc(len + 1, sizeof **values);
            for (size_t i = 0; i < len; i++) {
                (*keys)[i] = pairs[2 * i];
                (*values)[i] = pairs[2 * i + 1];
            }
        } else {
            for (size_t i = 0; i < 2 * len; i++)
                val_free(pairs[i]);
        }
        free(pairs);
    } else {
        ty *vt = val_type(v);
        char *t = ty_str(vt);
        ty_free(vt);
        char *why = xasprintf("The given \"for_each\" argument value is unsuitable: the "
                              "\"for_each\" argument must be a map, or set of strings, and "
                              "you have provided a value of type %s.", t);
        rc = for_each_bad(s, fe, why);
        free(why);
        free(t);
    }
    val_free(v);
    return rc;
}

int graph_expand_keys(graph_scope *s, const ast *count, const ast *for_each, val **keys,
                      val **values, size_t *n, int *keyed)
{
    *keys = NULL;
    *values = NULL;
    *n = 0;
    if (count) {
        *keyed = 1;
        return expand_count(s, count, keys, n);
    }
    if (for_each) {
        *keyed = 2;
        return expand_for_each(s, for_each, keys, values, n);
    }
    *keyed = 0;
    *n = 1;
    *keys = xcalloc(2, sizeof **keys);
    (*keys)[0] = val_invalid();
    return 0;
}

/* ---------------------------------------------------------------- scopes */

static int graph_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload);

void graph_scope_init(graph_scope *s, graph *g, graph_mod *m, graph_node *cur)
{
    *s = (graph_scope){.g = g, .mod = m, .count_index = val_invalid(),
                       .each_key = val_invalid(), .each_value = val_invalid(),
                       .self = val_invalid(), .cur = cur};
}

void graph_eval_ctx(graph_scope *s, eval_ctx *ctx)
{
    eval_ctx_init(ctx, s->g->diags);
    ctx->resolve = graph_resolve;
    ctx->payload = s;
    ctx->base_dir = s->mod->cfg->dir;
}

val graph_eval(graph_scope *s, const ast *e)
{
    eval_ctx ctx;
    graph_eval_ctx(s, &ctx);
    return eval_expr(&ctx, e);
}

/* ---------------------------------------------------------------- objects */

/* The value of input variable i of module instance m. */
static val eval_var(graph *g, graph_mod *m, size_t i)
{
    const cfg_variable *cv = &m->cfg->vars[i];
    if (!m->parent)
        return val_copy(g->root_vars[i]);
    const ast_attr *a = ast_body_attr(m->call->block->body, cv->name);
    val v;
    if (a) {
        graph_scope s;
        graph_scope_init(&s, g, m->parent, &m->vars[i]);
        if (m->call->count)
            s.count_index = m->key;
        else if (m->call->for_each)
            s.each_key = m->key, s.each_value = m->each_value;
        v = graph_eval(&s, a->expr);
    } else if (cv->default_) {
        graph_scope s;
        graph_scope_init(&s, g, m, &m->vars[i]);
        v = graph_eval(&s, cv->default_);
    } else {
        srange ob = m->call->block->open_brace;
        diag_add(g->diags, DIAG_ERROR, (srange){ob.file, ob.start, ob.start},
                 "Missing required argument",
                 "The argument \"%s\" is required, but no definition was found.", cv->name);
        return val_invalid();
    }
    if (!val_is_valid(v))
        return v;
    if (val_is_null(v) && !cv->nullable && cv->default_) {
        graph_scope s;
        graph_scope_init(&s, g, m, &m->vars[i]);
        val_free(v);
        v = graph_eval(&s, cv->default_);
    }
    if (cv->type && val_is_valid(v)) {
        v = val_convert(v, cv->type);
        if (!val_is_valid(v))
            diag_add(g->diags, DIAG_ERROR, a ? a->expr->range : cv->range,
                     "Invalid value for input variable",
                     "The given value is not suitable for %s: %s.", m->vars[i].what,
                     err_msg());
    }
    if (val_is_valid(v) && cv->sensitive)
        v = val_mark(v, VAL_MARK_SENSITIVE);
    return v;
}

static int want_var(graph *g, graph_mod *m, const char *name, val *out, graph_node *cur)
{
    for (size_t i = 0; i < m->cfg->nvars; i++) {
        if (strcmp(m->cfg->vars[i].name, name) != 0)
            continue;
        graph_node *n = &m->vars[i];
        if (n->state == GRAPH_BUSY)
            return node_enter(g, n);
        if (n->state == GRAPH_TODO) {
            if (node_enter(g, n) < 0)
                return CAIRN_EDIAG;
            val v = eval_var(g, m, i);
            if (val_is_valid(v) && m->cfg->vars[i].nvalidations &&
                vars_validate(&m->cfg->vars[i], v, g->diags) < 0) {
                val_free(v);
                v = val_invalid();
            }
            node_leave(g, n, v);
        }
        node_merge(cur, n);
        if (n->state != GRAPH_DONE)
            return CAIRN_EDIAG;
        *out = val_copy(n->v);
        return 0;
    }
    return CAIRN_ENOTFOUND;
}

/* A memoised expression node (local or output) evaluated in m. */
static int want_expr(graph *g, graph_mod *m, graph_node *n, const ast *e, val *out,
                     graph_node *cur)
{
    if (n->state == GRAPH_TODO) {
        if (node_enter(g, n) < 0)
            return CAIRN_EDIAG;
        graph_scope s;
        graph_scope_init(&s, g, m, n);
        node_leave(g, n, graph_eval(&s, e));
    }
    node_merge(cur, n);
    if (n->state != GRAPH_DONE)
        return n->state == GRAPH_BUSY ? node_enter(g, n) : CAIRN_EDIAG;
    *out = val_copy(n->v);
    return 0;
}

int graph_output(graph *g, graph_mod *m, size_t i, val *out)
{
    graph_node *n = &m->outputs[i];
    const cfg_output *o = &m->cfg->outputs[i];
    if (n->state == GRAPH_TODO && o->ndepends_on) {
        graph_scope s;
        graph_scope_init(&s, g, m, n);
        for (size_t j = 0; j < o->ndepends_on; j++)
            graph_note_refs(&s, o->depends_on[j]);
    }
    int rc = want_expr(g, m, n, o->value, out, NULL);
    if (rc == 0 && o->sensitive)
        *out = val_mark(*out, VAL_MARK_SENSITIVE);
    return rc;
}

/* The value module instance c presents to its parent: an object of its
 * outputs. */
static val module_object(graph *g, graph_mod *c, graph_node *cur)
{
    val obj = val_object_empty();
    for (size_t i = 0; i < c->cfg->noutputs; i++) {
        val v;
        if (graph_output(g, c, i, &v) < 0) {
            val_free(obj);
            return val_invalid();
        }
        node_merge(cur, &c->outputs[i]);
        obj = val_object_set(obj, c->cfg->outputs[i].name, v);
    }
    return obj;
}

static int expand_call(graph *g, graph_mod *m, size_t ci)
{
    graph_call *gc = &m->calls[ci];
    const cfg_call *cc = &m->cfg->calls[ci];
    if (gc->expanded)
        return gc->expanded < 0 ? CAIRN_EDIAG : 0;
    gc->expanded = -1;
    if (!cc->child)
        return CAIRN_EDIAG;
    graph_scope s;
    graph_scope_init(&s, g, m, &gc->node);
    val *keys, *values;
    size_t n;
    if (graph_expand_keys(&s, cc->count, cc->for_each, &keys, &values, &n, &gc->keyed) < 0)
        return CAIRN_EDIAG;
    gc->inst = xcalloc(n + 1, sizeof *gc->inst);
    for (size_t i = 0; i < n; i++) {
        char *suffix = graph_key_suffix(keys[i]);
        char *addr = xasprintf("%s%smodule.%s%s", m->addr, *m->addr ? "." : "", cc->name,
                               suffix);
        gc->inst[i] = mod_new(cc->child, addr, m, cc, keys[i],
                              values ? values[i] : val_invalid());
        free(addr);
        free(suffix);
    }
    gc->ninst = n;
    free(keys);
    free(values);
    /* Arguments that are not variables of the child. */
    const ast_body *body = cc->block->body;
    static const char *const meta[] = {"source", "version", "count", "for_each",
                                       "depends_on", "providers"};
    for (size_t i = 0; i < body->n; i++) {
        if (body->items[i].kind != AST_ITEM_ATTR)
            continue;
        const ast_attr *a = body->items[i].u.attr;
        int known = cfg_var(cc->child, a->name.s) != NULL;
        for (size_t k = 0; !known && k < sizeof meta / sizeof *meta; k++)
            known = strcmp(meta[k], a->name.s) == 0;
        if (!known) {
            const cfg_module *c = cc->child;
            const char **names = xcalloc(c->nvars + 1, sizeof *names);
            for (size_t k = 0; k < c->nvars; k++)
                names[k] = c->vars[k].name;
            char best[DECODE_SUGGEST_MAX + 1];
            decode_suggest(a->name.s, names, c->nvars, best, sizeof best);
            free(names);
            diag_add(g->diags, DIAG_ERROR, a->name.range, "Unsupported argument",
                     "An argument named \"%s\" is not expected here.%s%s%s", a->name.s,
                     best[0] ? " Did you mean \"" : "", best, best[0] ? "\"?" : "");
            return CAIRN_EDIAG;
        }
    }
    gc->expanded = 1;
    return 0;
}

graph_call *graph_mod_call(graph_mod *m, size_t i) { return &m->calls[i]; }

int graph_expand_modules(graph *g, graph_mod *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->cfg->ncalls; i++) {
        if (expand_call(g, m, i) < 0) {
            rc = CAIRN_EDIAG;
            continue;
        }
        for (size_t j = 0; j < m->calls[i].ninst; j++)
            if (graph_expand_modules(g, m->calls[i].inst[j]) < 0)
                rc = CAIRN_EDIAG;
    }
    return rc;
}

static int want_module(graph *g, graph_mod *m, const char *name, val *out, graph_node *cur)
{
    size_t ci;
    for (ci = 0; ci < m->cfg->ncalls; ci++)
        if (strcmp(m->cfg->calls[ci].name, name) == 0)
            break;
    if (ci == m->cfg->ncalls)
        return CAIRN_ENOTFOUND;
    graph_call *gc = &m->calls[ci];
    if (gc->node.state == GRAPH_TODO) {
        if (node_enter(g, &gc->node) < 0)
            return CAIRN_EDIAG;
        val v = val_invalid();
        if (expand_call(g, m, ci) == 0) {
            v = gc->keyed == 1 ? val_tuple_empty() : val_object_empty();
            for (size_t i = 0; i < gc->ninst && val_is_valid(v); i++) {
                val o = module_object(g, gc->inst[i], &gc->node);
                if (!val_is_valid(o)) {
                    val_free(v);
                    v = val_invalid();
                } else if (gc->keyed == 1) {
                    v = val_tuple_append(v, o);
                } else if (gc->keyed == 2) {
                    v = val_object_set(v, val_get_string(gc->inst[i]->key), o);
                } else {
                    val_free(v);
                    v = o;
                }
            }
        }
        node_leave(g, &gc->node, v);
    }
    node_merge(cur, &gc->node);
    if (gc->node.state != GRAPH_DONE)
        return gc->node.state == GRAPH_BUSY ? node_enter(g, &gc->node) : CAIRN_EDIAG;
    *out = val_copy(gc->node.v);
    return 0;
}

/* The value references see for a resource: one instance's value, a tuple
 * (count) or an object keyed like for_each. */
static val resource_value(const graph_res *r)
{
    if (r->keyed == 0)
        return r->ninst ? val_copy(r->inst[0].value) : val_null();
    val v = r->keyed == 1 ? val_tuple_empty() : val_object_empty();
    for (size_t i = 0; i < r->ninst; i++) {
        val x = val_copy(r->inst[i].value);
        v = r->keyed == 1 ? val_tuple_append(v, x)
                          : val_object_set(v, val_get_string(r->inst[i].key), x);
    }
    return v;
}

int graph_resource(graph *g, graph_mod *m, size_t i, graph_res **out)
{
    graph_res *r = m->res[i];
    if (!r) {
        const cfg_resource *c = &m->cfg->resources[i];
        r = xcalloc(1, sizeof *r);
        r->cfg = c;
        r->mod = m;
        r->addr = graph_res_addr(m, c->data, c->type, c->name);
        r->node.what = xstrdup(r->addr);
        m->res[i] = r;
    }
    *out = r;
    if (r->node.state == GRAPH_TODO) {
        if (node_enter(g, &r->node) < 0)
            return CAIRN_EDIAG;
        int rc = g->hook ? g->hook(g, r, g->payload) : 0;
        node_leave(g, &r->node, rc == 0 ? resource_value(r) : val_invalid());
    }
    if (r->node.state == GRAPH_BUSY)
        return node_enter(g, &r->node);
    return r->node.state == GRAPH_DONE ? 0 : CAIRN_EDIAG;
}

static int want_resource(graph *g, graph_mod *m, int data, const char *type, const char *name,
                         val *out, graph_node *cur)
{
    const cfg_resource *c = cfg_resource_find(m->cfg, data, type, name);
    if (c) {
        size_t i = (size_t)(c - m->cfg->resources);
        graph_res *r;
        int rc = graph_resource(g, m, i, &r);
        graph_node_add_dep(cur, r);
        if (rc < 0)
            return CAIRN_EDIAG;
        *out = val_copy(r->node.v);
        return 0;
    }
    return CAIRN_ENOTFOUND;
}

/* An undeclared var.NAME / local.NAME with a close declared name: Terraform's
 * "Did you mean" diagnostic (CAIRN_EDIAG); otherwise CAIRN_ENOTFOUND for
 * the evaluator's own wording. */
static int undeclared(graph *g, const graph_mod *m, const eval_ref *ref)
{
    int var = ref->kind == EVAL_REF_VAR;
    size_t n = var ? m->cfg->nvars : m->cfg->nlocals;
    const char **names = xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = var ? m->cfg->vars[i].name : m->cfg->locals[i].name;
    char best[DECODE_SUGGEST_MAX + 1];
    decode_suggest(ref->name, names, n, best, sizeof best);
    free(names);
    if (!best[0])
        return CAIRN_ENOTFOUND;
    diag_add(g->diags, DIAG_ERROR, ref->range,
             var ? "Reference to undeclared input variable"
                 : "Reference to undeclared local value",
             "%s with the name \"%s\" has not been declared. Did you mean \"%s\"?",
             var ? "An input variable" : "A local value", ref->name, best);
    return CAIRN_EDIAG;
}

static int graph_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    graph_scope *s = payload;
    graph *g = s->g;
    graph_mod *m = s->mod;
    (void)diags;
    g->last_ref = ref->range;
    switch (ref->kind) {
    case EVAL_REF_VAR: {
        int rc = want_var(g, m, ref->name, out, s->cur);
        return rc == CAIRN_ENOTFOUND ? undeclared(g, m, ref) : rc;
    }
    case EVAL_REF_LOCAL: {
        for (size_t i = 0; i < m->cfg->nlocals; i++)
            if (strcmp(m->cfg->locals[i].name, ref->name) == 0)
                return want_expr(g, m, &m->locals[i], m->cfg->locals[i].expr, out, s->cur);
        return undeclared(g, m, ref);
    }
    case EVAL_REF_MODULE:
        return want_module(g, m, ref->name, out, s->cur);
    case EVAL_REF_RESOURCE:
    case EVAL_REF_DATA:
        return want_resource(g, m, ref->kind == EVAL_REF_DATA, ref->type, ref->name, out,
                             s->cur);
    case EVAL_REF_COUNT:
        if (!val_is_valid(s->count_index) || strcmp(ref->name, "index") != 0)
            break;
        *out = val_copy(s->count_index);
        return 0;
    case EVAL_REF_EACH:
        if (!val_is_valid(s->each_key))
            break;
        *out = val_copy(strcmp(ref->name, "key") == 0 ? s->each_key : s->each_value);
        return 0;
    case EVAL_REF_SELF:
        if (!val_is_valid(s->self))
            break;
        *out = val_copy(s->self);
        return 0;
    case EVAL_REF_PATH:
        if (strcmp(ref->name, "module") == 0)
            *out = val_string(m->cfg->dir);
        else if (strcmp(ref->name, "root") == 0)
            *out = val_string(g->root_cfg->dir);
        else if (strcmp(ref->name, "cwd") == 0)
            *out = val_string(g->cwd);
        else
            break;
        return 0;
    case EVAL_REF_TERRAFORM:
        if (strcmp(ref->name, "workspace") != 0)
            break;
        *out = val_string(g->workspace);
        return 0;
    }
    return CAIRN_ENOTFOUND;
}

/* ---------------------------------------------------------------- refs */

struct note {
    graph_scope *s;
};

static void note_one(const eval_ref *ref, void *payload)
{
    struct note *n = payload;
    val v = val_invalid();
    if (ref->kind == EVAL_REF_COUNT || ref->kind == EVAL_REF_EACH ||
        ref->kind == EVAL_REF_SELF || ref->kind == EVAL_REF_PATH)
        return;
    int rc = graph_resolve(ref, &v, n->s->g->diags, n->s);
    if (rc == CAIRN_ENOTFOUND)
        diag_add(n->s->g->diags, DIAG_ERROR, ref->range, "Reference to undeclared object",
                 "The depends_on argument refers to an object that is not declared.");
    val_free(v);
}

void graph_note_refs(graph_scope *s, const ast *e)
{
    struct note n = {s};
    eval_refs(e, note_one, &n);
}

/* ---------------------------------------------------------------- providers */

static const cfg_provider *find_block(const cfg_module *m, const char *name, const char *alias)
{
    for (size_t i = 0; i < m->nproviders; i++) {
        const cfg_provider *p = &m->providers[i];
        if (strcmp(p->name, name) != 0)
            continue;
        if ((!alias && !p->alias) || (alias && p->alias && strcmp(alias, p->alias) == 0))
            return p;
    }
    return NULL;
}

static const char *provider_source(const cfg_module *m, const char *name)
{
    for (; m; m = m->parent)
        for (size_t i = 0; i < m->nrequired; i++)
            if (strcmp(m->required[i].name, name) == 0 && m->required[i].source)
                return m->required[i].source;
    return NULL;
}

void graph_provider(graph *g, graph_mod *m, const char *name, const char *alias,
                    graph_mod **def, const cfg_provider **block, char **key)
{
    (void)g;
    const char *pname = name, *palias = alias;
    graph_mod *at = m;
    for (;;) {
        const cfg_provider *b = find_block(at->cfg, pname, palias);
        if (b) {
            *def = at;
            *block = b;
            break;
        }
        if (!at->parent) {
            *def = NULL;
            *block = NULL;
            break;
        }
        /* Passed explicitly by the call, or inherited (default config only). */
        const cfg_call *c = at->call;
        int passed = 0;
        for (size_t i = 0; i < c->nproviders; i++) {
            const cfg_provider_pass *pp = &c->providers[i];
            if (strcmp(pp->child, pname) == 0 &&
                ((!pp->child_alias && !palias) ||
                 (pp->child_alias && palias && strcmp(pp->child_alias, palias) == 0))) {
                pname = pp->parent;
                palias = pp->parent_alias;
                passed = 1;
                break;
            }
        }
        if (!passed && palias) {
            *def = NULL;
            *block = NULL;
            break;
        }
        at = at->parent;
    }
    const char *src = provider_source(m->cfg, name);
    char *full = src && strchr(src, '/') && strchr(strchr(src, '/') + 1, '/')
                     ? xstrdup(src)
                     : xasprintf("registry.terraform.io/%s", src ? src : "hashicorp/");
    if (!src) {
        char *t = xasprintf("%s%s", full, pname);
        free(full);
        full = t;
    }
    const char *maddr = *def ? (*def)->addr : "";
    *key = xasprintf("%s%sprovider[\"%s\"]%s%s", maddr, *maddr ? "." : "", full,
                     palias ? "." : "", palias ? palias : "");
    free(full);
}

int graph_check_vars(graph *g, graph_mod *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->cfg->nvars; i++) {
        val v = val_invalid();
        if (want_var(g, m, m->cfg->vars[i].name, &v, NULL) < 0)
            rc = CAIRN_EDIAG;
        val_free(v);
    }
    for (size_t i = 0; i < m->cfg->ncalls; i++)
        for (size_t j = 0; j < m->calls[i].ninst; j++)
            if (graph_check_vars(g, m->calls[i].inst[j]) < 0)
                rc = CAIRN_EDIAG;
    return rc;
}

void graph_res_instances(graph_res *r, val *keys, val *values, size_t n)
{
    r->inst = xcalloc(n + 1, sizeof *r->inst);
    for (size_t i = 0; i < n; i++) {
        graph_inst *gi = &r->inst[r->ninst++];
        char *suffix = graph_key_suffix(keys[i]);
        gi->addr = xasprintf("%s%s", r->addr, suffix);
        free(suffix);
        gi->key = keys[i];
        gi->each_value = values ? values[i] : val_invalid();
        gi->value = val_invalid();
    }
    free(keys);
    free(values);
}

void graph_keys_free(val *keys, val *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        val_free(keys[i]);
        if (values)
            val_free(values[i]);
    }
    free(keys);
    free(values);
}

char *graph_res_addr(const graph_mod *m, int data, const char *type, const char *name)
{
    return xasprintf("%s%s%s%s.%s", m->addr, *m->addr ? "." : "", data ? "data." : "", type,
                     name);
}

graph_mod *graph_mod_of(graph_mod *m, const char *addr)
{
    for (size_t i = 0; i < m->cfg->ncalls; i++) {
        graph_call *gc = graph_mod_call(m, i);
        for (size_t j = 0; j < gc->ninst; j++) {
            graph_mod *c = gc->inst[j];
            size_t n = strlen(c->addr);
            if (strncmp(addr, c->addr, n) == 0 && addr[n] == '.')
                return graph_mod_of(c, addr);
        }
    }
    return m;
}
