/*
 * engine/plan_walk.c — plan_make(): priors, intents, refresh, the resource
 * hook, orphans and outputs (see engine/plan.h for the order of work).
 */
#include "engine/decode.h"
#include "engine/plan_int.h"
#include "lang/val_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- priors */

static int cmp_prior(const void *a, const void *b)
{
    return strcmp(((const prior_rec *)a)->addr, ((const prior_rec *)b)->addr);
}

static int load_one(const char *addr, const state_instance *inst, void *payload)
{
    plan_ctx *pc = payload;
    if (pc->npriors == pc->cappriors) {
        pc->cappriors = pc->cappriors ? 2 * pc->cappriors : 64;
        pc->priors = xrealloc(pc->priors, pc->cappriors * sizeof *pc->priors);
    }
    prior_rec *r = &pc->priors[pc->npriors++];
    memset(r, 0, sizeof *r);
    r->addr = xstrdup(addr);
    r->inst = state_instance_dup(inst);
    r->attrs = val_invalid();
    return 0;
}

static int load_priors(plan_ctx *pc)
{
    state_txn *txn;
    int rc = state_txn_begin(&txn, pc->o->env, STATE_TXN_RDONLY, NULL);
    if (rc < 0)
        return rc;
    rc = state_each(txn, NULL, load_one, pc);
    if (rc == 0)
        rc = state_lineage(txn, &pc->p->lineage);
    if (rc == 0)
        rc = state_serial(txn, &pc->p->serial);
    state_abort(txn);
    if (pc->npriors)
        qsort(pc->priors, pc->npriors, sizeof *pc->priors, cmp_prior);
    return rc;
}

static prior_rec *find_prior(plan_ctx *pc, const char *addr)
{
    prior_rec key = {.addr = (char *)addr};
    return pc->npriors ? bsearch(&key, pc->priors, pc->npriors, sizeof key, cmp_prior) : NULL;
}

static void free_priors(plan_ctx *pc)
{
    for (size_t i = 0; i < pc->npriors; i++) {
        free(pc->priors[i].addr);
        free(pc->priors[i].moved_from);
        state_instance_free(pc->priors[i].inst);
        val_free(pc->priors[i].attrs);
        val_free(pc->priors[i].before);
    }
    free(pc->priors);
    for (size_t i = 0; i < pc->nrefreshed; i++)
        free(pc->refreshed[i]);
    free(pc->refreshed);
}

/* v (consumed) in the shape of type t, as Terraform reads an object stored
 * under an older schema (a state pushed from Terraform, a provider that
 * gained an attribute): attributes t has and v lacks are null, attributes
 * t no longer has are dropped, through nested objects and collections of
 * them.  Marks stay.  Whatever else does not fit is left to val_convert. */
static val fit_shape(val v, const ty *t)
{
    if (!val_is_valid(v) || val_is_null(v) || val_is_unknown(v))
        return v;
    enum ty_kind tk = ty_kind(t);
    enum val_kind vk = val_kind(v);
    int keyed = vk == VAL_OBJECT || vk == VAL_MAP;
    int seq = vk == VAL_TUPLE || vk == VAL_LIST || vk == VAL_SET;
    val out;
    if (tk == TY_OBJECT && keyed) {
        out = val_object_empty();
        for (size_t i = 0; i < ty_len(t); i++) {
            const char *name = ty_attr_name(t, i);
            const val *a = val_lookup(v, name);
            out = val_object_set(out, name, a ? fit_shape(val_copy(*a), ty_index(t, i))
                                              : val_null_of(ty_copy(ty_index(t, i))));
        }
    } else if (tk == TY_MAP && keyed) {
        out = val_object_empty();
        for (size_t i = 0; i < val_len(v); i++)
            out = val_object_set(out, val_key_at(v, i),
                                 fit_shape(val_copy(*val_at(v, i)), ty_elem(t)));
    } else if ((tk == TY_LIST || tk == TY_SET) && seq) {
        out = val_tuple_empty();
        for (size_t i = 0; i < val_len(v); i++)
            out = val_tuple_append(out, fit_shape(val_copy(*val_at(v, i)), ty_elem(t)));
    } else {
        return v;
    }
    unsigned m = val_marks(v);
    val_free(v);
    return m ? val_mark(out, m) : out;
}

/* The stored attributes of r converted to schema type st (reshaped first
 * when they were stored under another schema). */
static val stored_attrs(const prior_rec *r, const ty *st)
{
    val v;
    if (state_instance_attrs(r->inst, &v) < 0)
        return val_null();
    if (!st)
        return v;
    val c = val_convert(val_copy(v), st);
    if (!val_is_valid(c))
        c = val_convert(fit_shape(val_copy(v), st), st);
    if (val_is_valid(c)) {
        val_free(v);
        return c;
    }
    return v;
}

/* ---------------------------------------------------------------- moved */

static void apply_moved(plan_ctx *pc, const cfg_module *m)
{
    for (size_t i = 0; i < m->nmoved; i++) {
        char *from = *m->path ? xasprintf("%s.%s", m->path, m->moved[i].from)
                              : xstrdup(m->moved[i].from);
        char *to = *m->path ? xasprintf("%s.%s", m->path, m->moved[i].to)
                            : xstrdup(m->moved[i].to);
        for (size_t j = 0; j < pc->npriors; j++) {
            prior_rec *r = &pc->priors[j];
            if (!plan_addr_under(r->addr, from))
                continue;
            char *na = xasprintf("%s%s", to, r->addr + strlen(from));
            if (find_prior(pc, na)) {
                free(na);
                continue;
            }
            if (!r->moved_from)
                r->moved_from = r->addr;
            else
                free(r->addr);
            r->addr = na;
        }
        qsort(pc->priors, pc->npriors, sizeof *pc->priors, cmp_prior);
        free(from);
        free(to);
    }
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child)
            apply_moved(pc, m->calls[i].child);
}

/* ---------------------------------------------------------------- refresh */

/* Refresh every not yet refreshed prior of (key, type) with one read_many
 * (or one read each when the provider has none). */
static int refresh_batch(plan_ctx *pc, prov_conf *conf, const char *key, const char *type,
                         const prov_resource_type *rt, const ty *st)
{
    char *bk = xasprintf("%s\t%s", key, type);
    for (size_t i = 0; i < pc->nrefreshed; i++)
        if (strcmp(pc->refreshed[i], bk) == 0) {
            free(bk);
            return 0;
        }
    pc->refreshed = xrealloc(pc->refreshed, (pc->nrefreshed + 1) * sizeof *pc->refreshed);
    pc->refreshed[pc->nrefreshed++] = bk;
    size_t n = 0;
    prior_rec **batch = xcalloc(pc->npriors + 1, sizeof *batch);
    for (size_t i = 0; i < pc->npriors; i++) {
        prior_rec *r = &pc->priors[i];
        if (r->refreshed || strcmp(r->inst->type, type) != 0 ||
            strcmp(r->inst->provider ? r->inst->provider : "", key) != 0)
            continue;
        r->refreshed = 1;
        r->schema = rt->schema;
        r->attrs = stored_attrs(r, st);
        if (pc->o->refresh)
            batch[n++] = r;
    }
    int rc = 0;
    if (n) {
        val *in = xcalloc(n, sizeof *in), *out = xcalloc(n, sizeof *out);
        for (size_t i = 0; i < n; i++)
            in[i] = batch[i]->attrs;
        prov_call call;
        prov_diag pd = {0};
        plan_call_init(&call, n == 1 ? batch[0]->addr : type, type, 0, pc->o->cancel);
        if (rt->ops.read_many) {
            rc = rt->ops.read_many(conf->inst, &call, in, n, out, &pd);
        } else {
            for (size_t i = 0; i < n && rc == 0; i++) {
                call.address = batch[i]->addr;
                rc = rt->ops.read(conf->inst, &call, in[i], &out[i], &pd);
            }
        }
        if (rc < 0) {
            plan_prov_diag(pc->diags, &pd, NULL, "refreshing", type);
            for (size_t i = 0; i < n; i++)
                val_free(out[i]);
        } else {
            for (size_t i = 0; i < n; i++) {
                prior_rec *r = batch[i];
                if (!val_is_valid(out[i]) || val_is_null(out[i])) {
                    val_free(out[i]);
                    r->before = r->attrs;
                    r->attrs = val_null();
                    r->gone = 1;
                    continue;
                }
                val nv = val_convert(out[i], st);
                if (!val_is_valid(nv)) {
                    rc = CAIRN_EPROTO;
                    diag_add(pc->diags, DIAG_ERROR, (srange){0}, "Provider returned invalid "
                             "state", "Refreshing %s: %s", r->addr, err_msg());
                    continue;
                }
                nv = plan_remark(nv, r->attrs);
                if (!val_raw_equal(nv, r->attrs)) {
                    r->drifted = 1;
                    r->before = r->attrs;
                } else {
                    val_free(r->attrs);
                }
                r->attrs = nv;
            }
        }
        free(in);
        free(out);
    }
    free(batch);
    return rc;
}

/* ---------------------------------------------------------------- the hook */

/* c's dependencies: the resources r's evaluation reached (never r). */
static void set_deps(plan_change *c, const graph_res *r)
{
    const graph_node *n = &r->node;
    for (size_t i = 0; i < c->ndeps; i++)
        free(c->deps[i]);
    free(c->deps);
    c->ndeps = 0;
    c->deps = xcalloc(n->ndeps + 1, sizeof *c->deps);
    for (size_t i = 0; i < n->ndeps; i++)
        if (n->deps[i] != r)
            c->deps[c->ndeps++] = xstrdup(n->deps[i]->addr);
}

/* ---------------------------------------------------------------- narrowing
 * A body that refers to test_resource.mid[count.index] depends on one
 * instance of mid, not all of them; apply then skips only the dependents
 * of an instance that failed.  Narrowing is done only when it is certainly
 * right: every reference to the resource in the body is TYPE.NAME[key]
 * with a key known now, and the body reaches no resource indirectly
 * (through locals, module outputs or a child module's variables). */

struct narrow {
    graph_scope *s;
    plan_change *c;
    char **whole;             /* resources referenced without a usable key */
    size_t nwhole;
    int indirect;
};

static int is_root_keyword(const char *n)
{
    static const char *const kw[] = {"var", "local", "module", "data", "count", "each",
                                     "path", "self", "terraform"};
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strcmp(n, kw[i]) == 0)
            return 1;
    return 0;
}

static void strv_add(char ***v, size_t *n, char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], s) == 0) {
            free(s);
            return;
        }
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

static char *res_of(graph_scope *s, const ast *ga)
{
    return graph_res_addr(s->mod, 0, ga->u.getattr.obj->u.var.s, ga->u.getattr.name.s);
}

static void narrow_expr(struct narrow *n, const ast *e);

static void narrow_children(struct narrow *n, const ast *e)
{
    switch (e->kind) {
    case AST_TEMPLATE:
        for (size_t i = 0; i < e->u.tmpl.nparts; i++)
            narrow_expr(n, e->u.tmpl.parts[i]);
        break;
    case AST_TUPLE:
        for (size_t i = 0; i < e->u.tuple.n; i++)
            narrow_expr(n, e->u.tuple.items[i]);
        break;
    case AST_OBJECT:
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (!e->u.object.items[i].key_bare)
                narrow_expr(n, e->u.object.items[i].key);
            narrow_expr(n, e->u.object.items[i].value);
        }
        break;
    case AST_GETATTR: narrow_expr(n, e->u.getattr.obj); break;
    case AST_INDEX: narrow_expr(n, e->u.index.obj); narrow_expr(n, e->u.index.key); break;
    case AST_SPLAT: narrow_expr(n, e->u.splat.source); narrow_expr(n, e->u.splat.each); break;
    case AST_CALL:
        for (size_t i = 0; i < e->u.call.nargs; i++)
            narrow_expr(n, e->u.call.args[i]);
        break;
    case AST_UNARY: narrow_expr(n, e->u.unary.operand); break;
    case AST_BINARY: narrow_expr(n, e->u.binary.lhs); narrow_expr(n, e->u.binary.rhs); break;
    case AST_COND:
        narrow_expr(n, e->u.cond.cond);
        narrow_expr(n, e->u.cond.then);
        narrow_expr(n, e->u.cond.else_);
        break;
    case AST_FOR:
        n->indirect = 1;   /* bound names may shadow roots: do not narrow */
        break;
    case AST_PAREN: narrow_expr(n, e->u.paren.inner); break;
    case AST_TPL_IF:
        narrow_expr(n, e->u.tpl_if.cond);
        narrow_expr(n, e->u.tpl_if.then);
        if (e->u.tpl_if.else_)
            narrow_expr(n, e->u.tpl_if.else_);
        break;
    case AST_TPL_FOR: n->indirect = 1; break;
    default: break;
    }
}

static int is_res_ref(const ast *e)
{
    return e->kind == AST_GETATTR && e->u.getattr.obj->kind == AST_VARIABLE &&
           !is_root_keyword(e->u.getattr.obj->u.var.s);
}

static void narrow_expr(struct narrow *n, const ast *e)
{
    if (!e)
        return;
    if (e->kind == AST_VARIABLE) {
        const char *v = e->u.var.s;
        if (!strcmp(v, "local") || !strcmp(v, "module") ||
            (!strcmp(v, "var") && *n->s->mod->addr))
            n->indirect = 1;
        return;
    }
    if (e->kind == AST_INDEX && is_res_ref(e->u.index.obj)) {
        val k = graph_eval(n->s, e->u.index.key);
        char *ra = res_of(n->s, e->u.index.obj);
        if (val_is_valid(k) && val_is_wholly_known(k) &&
            (val_kind(k) == VAL_NUMBER || val_kind(k) == VAL_STRING)) {
            char *suffix = graph_key_suffix(k);
            strv_add(&n->c->inst_deps, &n->c->ninst_deps, xasprintf("%s%s", ra, suffix));
            free(suffix);
            strv_add(&n->c->narrow, &n->c->nnarrow, ra);
        } else {
            strv_add(&n->whole, &n->nwhole, ra);
        }
        val_free(k);
        narrow_expr(n, e->u.index.key);
        return;
    }
    if (is_res_ref(e)) {
        strv_add(&n->whole, &n->nwhole, res_of(n->s, e));
        return;
    }
    narrow_children(n, e);
}

static void narrow_body(struct narrow *n, const ast_body *b)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].kind == AST_ITEM_ATTR) {
            const char *name = b->items[i].u.attr->name.s;
            if (strcmp(name, "depends_on") != 0)
                narrow_expr(n, b->items[i].u.attr->expr);
            else
                n->indirect = 1;
        } else {
            narrow_body(n, b->items[i].u.block->body);
        }
    }
}

/* Fill c->narrow / c->inst_deps for instance scope s of resource r. */
static void narrow_deps(graph_scope *s, const cfg_resource *r, plan_change *c)
{
    struct narrow n = {s, c, NULL, 0, r->ndepends_on > 0};
    narrow_body(&n, r->body);
    size_t w = 0;
    for (size_t i = 0; i < c->nnarrow; i++) {
        int whole = n.indirect;
        for (size_t j = 0; !whole && j < n.nwhole; j++)
            whole = strcmp(n.whole[j], c->narrow[i]) == 0;
        if (whole)
            free(c->narrow[i]);
        else
            c->narrow[w++] = c->narrow[i];
    }
    c->nnarrow = w;
    for (size_t j = 0; j < n.nwhole; j++)
        free(n.whole[j]);
    free(n.whole);
}



/* One replace_triggered_by entry: TYPE.NAME, TYPE.NAME[KEY], optionally
 * followed by .ATTR (then only a change of that attribute triggers).  The
 * key is evaluated in scope s (count.index, each.key).  Returns whether a
 * referenced instance has a planned change. */
static int trig_entry(plan_ctx *pc, graph_scope *s, const ast *e)
{
    const char *attr = NULL;
    const ast *key = NULL;
    if (e->kind == AST_GETATTR && (e->u.getattr.obj->kind == AST_INDEX ||
                                   e->u.getattr.obj->kind == AST_GETATTR)) {
        attr = e->u.getattr.name.s;
        e = e->u.getattr.obj;
    }
    if (e->kind == AST_INDEX) {
        key = e->u.index.key;
        e = e->u.index.obj;
    }
    if (e->kind != AST_GETATTR || e->u.getattr.obj->kind != AST_VARIABLE)
        return 0;
    char *ra = res_of(s, e);
    char *ia = NULL;
    if (key) {
        val k = graph_eval(s, key);
        if (val_is_valid(k) && !val_is_unknown(k)) {
            char *suffix = graph_key_suffix(k);
            ia = xasprintf("%s%s", ra, suffix);
            free(suffix);
        }
        val_free(k);
    }
    int hit = 0;
    for (size_t i = 0; i < pc->p->n && !hit; i++) {
        const plan_change *c = &pc->p->changes[i];
        if (strcmp(c->res_addr, ra) != 0 || (ia && strcmp(c->addr, ia) != 0) ||
            c->action == PLAN_NOOP)
            continue;
        if (!attr) {
            hit = 1;
            continue;
        }
        const val *a = val_is_known_object(c->prior) ? val_lookup(c->prior, attr) : NULL;
        const val *b = val_is_known_object(c->planned) ? val_lookup(c->planned, attr) : NULL;
        hit = !a || !b || val_is_unknown(*b) || !val_raw_equal(*a, *b);
    }
    free(ra);
    free(ia);
    return hit;
}

static int wants_replace(plan_ctx *pc, graph_res *r, graph_scope *s, const char *addr)
{
    for (size_t i = 0; i < pc->o->nreplace; i++)
        if (strcmp(pc->o->replace[i], addr) == 0)
            return 1;
    for (size_t i = 0; i < r->cfg->nreplace_triggered_by; i++) {
        graph_note_refs(s, r->cfg->replace_triggered_by[i]);
        if (trig_entry(pc, s, r->cfg->replace_triggered_by[i]))
            return 1;
    }
    return 0;
}

/* Evaluate checks (preconditions, postconditions) in scope s.  A false
 * condition is an error with the evaluated error_message; an unknown one
 * passes (it cannot be decided before apply).  0 or CAIRN_EDIAG. */
int plan_check_conditions(graph_scope *s, const cfg_check *checks, size_t n,
                          const char *summary)
{
    int rc = 0;
    diag_list *d = graph_diags(s->g);
    for (size_t i = 0; i < n; i++) {
        val c = graph_eval(s, checks[i].condition);
        if (!val_is_valid(c)) {
            rc = CAIRN_EDIAG;
            continue;
        }
        if (val_is_unknown(c)) {
            val_free(c);
            continue;
        }
        val b = val_convert(c, ty_bool());
        if (!val_is_valid(b) || val_is_null(b)) {
            diag_add(d, DIAG_ERROR, checks[i].condition->range, "Invalid condition result",
                     "The condition expression must return either true or false.");
            val_free(b);
            rc = CAIRN_EDIAG;
            continue;
        }
        if (!val_get_bool(b)) {
            val m = graph_eval(s, checks[i].error_message);
            val ms = val_is_valid(m) ? val_convert(val_unmark_deep(m), ty_string())
                                     : val_invalid();
            diag_add(d, DIAG_ERROR, checks[i].condition->range, summary, "%s",
                     val_is_valid(ms) && !val_is_unknown(ms) && !val_is_null(ms)
                         ? val_get_string(ms)
                         : "(the error message could not be evaluated)");
            val_free(ms);
            rc = CAIRN_EDIAG;
        }
        val_free(b);
    }
    return rc;
}

/* Whether something a data source names in depends_on has changes pending
 * (its read then waits for apply, as Terraform's does). */
struct pending {
    plan_ctx *pc;
    graph_mod *m;
    int hit;
};

static void pending_ref(const eval_ref *ref, void *payload)
{
    struct pending *p = payload;
    char *prefix;
    if (ref->kind == EVAL_REF_RESOURCE)
        prefix = graph_res_addr(p->m, 0, ref->type, ref->name);
    else if (ref->kind == EVAL_REF_MODULE)
        prefix = xasprintf("%s%smodule.%s", p->m->addr, *p->m->addr ? "." : "", ref->name);
    else
        return;
    for (size_t i = 0; i < p->pc->p->n && !p->hit; i++) {
        const plan_change *c = &p->pc->p->changes[i];
        if (plan_addr_under(c->addr, prefix) && !c->data && c->action != PLAN_NOOP)
            p->hit = 1;
    }
    free(prefix);
}

static int depends_pending(plan_ctx *pc, graph_res *r)
{
    struct pending p = {pc, r->mod, 0};
    for (size_t i = 0; i < r->cfg->ndepends_on; i++)
        eval_refs(r->cfg->depends_on[i], pending_ref, &p);
    return p.hit;
}

/* An import block of the root module targets addr: its id, evaluated
 * (owned), or NULL.  Import blocks are allowed in the root module only. */
static char *import_id_for(plan_ctx *pc, const char *addr)
{
    const cfg_module *root = pc->o->cfg;
    for (size_t i = 0; i < root->nimports; i++) {
        if (strcmp(root->imports[i].to, addr) != 0)
            continue;
        graph_scope s;
        graph_scope_init(&s, pc->g, graph_root(pc->g), NULL);
        val id = graph_eval(&s, root->imports[i].id);
        char *out = NULL;
        if (val_is_valid(id) && val_kind(id) == VAL_STRING && !val_is_unknown(id))
            out = xstrdup(val_get_string(id));
        else if (val_is_valid(id))
            diag_add(pc->diags, DIAG_ERROR, root->imports[i].id->range, "Invalid import id",
                     "The import ID must be a known string.");
        val_free(id);
        return out;
    }
    return NULL;
}

/* Import the object id for instance addr (an import block): its state
 * converted to st, or VAL_INVALID after a diagnostic. */
static val import_object(plan_ctx *pc, prov_conf *conf, const prov_resource_type *rt,
                         const cfg_resource *cfg, const char *addr, const char *id,
                         const ty *st)
{
    if (!rt->ops.import) {
        diag_add(pc->diags, DIAG_ERROR, cfg->range, "Resource type cannot be imported",
                 "The provider %s does not support importing resource type \"%s\".",
                 conf->api->name, cfg->type);
        return val_invalid();
    }
    prov_call call;
    prov_diag pd = {0};
    val got = val_invalid();
    plan_call_init(&call, addr, cfg->type, 0, pc->o->cancel);
    if (rt->ops.import(conf->inst, &call, id, &got, &pd) < 0) {
        plan_prov_diag(pc->diags, &pd, cfg, "importing", addr);
        return val_invalid();
    }
    if (!val_is_valid(got) || val_is_null(got)) {
        val_free(got);
        diag_add(pc->diags, DIAG_ERROR, cfg->range, "Cannot import non-existent remote object",
                 "While attempting to import an existing object to \"%s\", the provider "
                 "detected that no object exists with the given id \"%s\".", addr, id);
        return val_invalid();
    }
    val v = val_convert(got, st);
    if (!val_is_valid(v))
        diag_add(pc->diags, DIAG_ERROR, cfg->range, "Provider returned invalid state",
                 "Importing %s: %s", addr, err_msg());
    return v;
}

/* Plan instance gi of r.  *idx receives the index of the change it added
 * (or stays SIZE_MAX).  Evaluation may plan other resources on demand and
 * so grow (move) pc->p->changes: every expression is evaluated before this
 * instance's change is added, and the change is addressed by index after
 * anything that evaluates. */
static int plan_instance(plan_ctx *pc, graph_res *r, graph_inst *gi, prov_conf *conf,
                         const char *key, const void *schema_owner, const ty *st, size_t *idx)
{
    const cfg_resource *cfg = r->cfg;
    graph_scope s;
    graph_scope_init(&s, pc->g, r->mod, &r->node);
    if (r->keyed == 1)
        s.count_index = gi->key;
    else if (r->keyed == 2)
        s.each_key = gi->key, s.each_value = gi->each_value;
    eval_ctx ctx;
    graph_eval_ctx(&s, &ctx);
    if (cfg->data) {
        const prov_data_source *ds = schema_owner;
        val config = decode_body(cfg->body, ds->schema, st, cfg->range, &ctx, DECODE_DATA,
                                 pc->diags);
        if (!val_is_valid(config))
            return CAIRN_EDIAG;
        const char *defer = !val_is_wholly_known(config) ? NULL
                            : depends_pending(pc, r) ? "depends on a resource or a module with "
                                                       "changes pending"
                                                     : NULL;
        if (val_is_wholly_known(config) && !defer) {
            prov_call call;
            prov_diag pd = {0};
            val out = val_invalid();
            plan_call_init(&call, gi->addr, cfg->type, 0, pc->o->cancel);
            int rc = ds->read(conf->inst, &call, config, &out, &pd);
            val_free(config);
            if (rc < 0) {
                plan_prov_diag(pc->diags, &pd, cfg, "reading", gi->addr);
                return rc;
            }
            gi->value = val_convert(out, st);
            if (!val_is_valid(gi->value))
                return CAIRN_EPROTO;
            plan_change *c = plan_add_change(pc->p, gi->addr);
            *idx = pc->p->n - 1;
            c->res_addr = xstrdup(r->addr);
            c->type = xstrdup(cfg->type);
            c->data = 1;
            c->cfg = cfg;
            c->schema = ds->schema;
            c->provider = xstrdup(key);
            val_free(c->planned);
            c->planned = val_copy(gi->value);
            return 0;
        }
        plan_change *c = plan_add_change(pc->p, gi->addr);
        *idx = pc->p->n - 1;
        c->res_addr = xstrdup(r->addr);
        c->type = xstrdup(cfg->type);
        c->data = 1;
        c->cfg = cfg;
        c->schema = ds->schema;
        c->provider = xstrdup(key);
        c->action = PLAN_READ;
        if (defer)
            c->reason = xstrdup(defer);
        c->planned = plan_proposed(ds->schema, st, config, val_null(), 1);
        gi->value = val_copy(c->planned);
        val_free(config);
        return 0;
    }
    const prov_resource_type *rt = schema_owner;
    val config = decode_body(cfg->body, rt->schema, st, cfg->range, &ctx, DECODE_RESOURCE,
                             pc->diags);
    if (!val_is_valid(config))
        return CAIRN_EDIAG;
    if (plan_check_conditions(&s, cfg->preconditions, cfg->npreconditions,
                              "Resource precondition failed") < 0) {
        val_free(config);
        return CAIRN_EDIAG;
    }
    /* Everything that evaluates, before the change exists. */
    plan_change tmp = {0};
    uint64_t timeouts[4] = {0};
    decode_timeouts(cfg->body, &ctx, timeouts, pc->diags);
    narrow_deps(&s, cfg, &tmp);
    int force = wants_replace(pc, r, &s, gi->addr);
    prior_rec *pr = find_prior(pc, gi->addr);
    char *imp = pr ? NULL : import_id_for(pc, gi->addr);
    val imported = imp ? import_object(pc, conf, rt, cfg, gi->addr, imp, st) : val_invalid();
    if (imp && !val_is_valid(imported)) {
        free(imp);
        val_free(config);
        return CAIRN_EDIAG;
    }
    plan_change *c = plan_add_change(pc->p, gi->addr);
    *idx = pc->p->n - 1;
    c->narrow = tmp.narrow, c->nnarrow = tmp.nnarrow;
    c->inst_deps = tmp.inst_deps, c->ninst_deps = tmp.ninst_deps;
    memcpy(c->timeouts_ms, timeouts, sizeof timeouts);
    c->res_addr = xstrdup(r->addr);
    c->type = xstrdup(cfg->type);
    c->cfg = cfg;
    c->schema = rt->schema;
    c->provider = xstrdup(key);
    c->schema_version = rt->schema_version;
    if (imp) {
        c->import_id = imp;
        val_free(c->prior);
        c->prior = imported;
    }
    if (pr) {
        pr->claimed = 1;
        val_free(c->prior);
        c->prior = val_copy(pr->attrs);
        c->gone = pr->gone;
        c->drifted = pr->drifted;
        if (val_is_valid(pr->before))
            c->before_refresh = val_copy(pr->before);
        if (pr->moved_from)
            c->moved_from = xstrdup(pr->moved_from);
    }
    if (force && !val_is_null(c->prior))
        c->reason = xstrdup(pc->o->nreplace ? "as requested" : "due to replace_triggered_by");
    prov_call call;
    prov_diag pd = {0};
    plan_call_init(&call, gi->addr, cfg->type, 0, pc->o->cancel);
    int rc = rt->ops.validate ? rt->ops.validate(conf->inst, &call, config, &pd) : 0;
    const char *what = "validating";
    if (rc == 0) {
        plan_prov_call pp = {conf->inst, &call, &pd};
        rc = plan_decide(c, cfg, rt, st, config, force, &pp);
        what = "planning";
    }
    val_free(config);
    if (rc < 0) {
        plan_prov_diag(pc->diags, &pd, cfg, what, gi->addr);
        return rc == CAIRN_EDIAG ? rc : CAIRN_EDIAG;
    }
    if (cfg->prevent_destroy && (c->action == PLAN_REPLACE || c->action == PLAN_REPLACE_CBD)) {
        diag_add(pc->diags, DIAG_ERROR, cfg->range, "Instance cannot be destroyed",
                 "Resource %s has lifecycle.prevent_destroy set, but the plan calls for this "
                 "resource to be destroyed. To avoid this error and continue with the plan, "
                 "either disable lifecycle.prevent_destroy or reduce the scope of the plan "
                 "using the -target flag.", gi->addr);
        return CAIRN_EDIAG;
    }
    gi->value = val_copy(c->planned);
    s.self = gi->value;   /* c may move once the postconditions evaluate */
    return plan_check_conditions(&s, cfg->postconditions, cfg->npostconditions,
                                 "Resource postcondition failed");
}

/* Destroy and -refresh-only plans compare nothing: a resource that an
 * expression needs (a provider block, a module's count) takes the values
 * its instances have in state. */
static int prior_values(plan_ctx *pc, graph_res *r)
{
    graph_scope s;
    graph_scope_init(&s, pc->g, r->mod, &r->node);
    val *keys, *values;
    size_t n;
    int rc = graph_expand_keys(&s, r->cfg->count, r->cfg->for_each, &keys, &values, &n,
                               &r->keyed);
    if (rc < 0)
        return rc;
    graph_res_instances(r, keys, values, n);
    for (size_t i = 0; i < r->ninst; i++) {
        prior_rec *pr = find_prior(pc, r->inst[i].addr);
        r->inst[i].value = pr ? stored_attrs(pr, NULL) : val_null();
    }
    return 0;
}

static int plan_resource(graph *g, graph_res *r, void *payload)
{
    plan_ctx *pc = payload;
    const cfg_resource *cfg = r->cfg;
    (void)g;
    if ((pc->o->destroy || pc->o->refresh_only) && !cfg->data)
        return prior_values(pc, r);
    char *key = NULL;
    prov_conf *conf = plan_provider_for(pc, r->mod, cfg->type, cfg, &key);
    if (!conf) {
        free(key);
        return CAIRN_EDIAG;
    }
    const void *owner;
    const prov_schema *schema;
    if (cfg->data) {
        const prov_data_source *ds = plugin_data_source(conf->plugin, cfg->type);
        owner = ds;
        schema = ds ? ds->schema : NULL;
    } else {
        const prov_resource_type *rt = plugin_resource(conf->plugin, cfg->type);
        owner = rt;
        schema = rt ? rt->schema : NULL;
    }
    if (!owner) {
        diag_add(pc->diags, DIAG_ERROR, cfg->range,
                 cfg->data ? "Invalid data source" : "Invalid resource type",
                 "The provider %s does not support %s \"%s\".", conf->api->name,
                 cfg->data ? "data source" : "resource type", cfg->type);
        free(key);
        return CAIRN_EDIAG;
    }
    const ty *st = plugin_schema_type(conf->plugin, schema);
    graph_scope s;
    graph_scope_init(&s, pc->g, r->mod, &r->node);
    for (size_t i = 0; i < cfg->ndepends_on; i++)
        graph_note_refs(&s, cfg->depends_on[i]);
    val *keys, *values;
    size_t n;
    int rc = graph_expand_keys(&s, cfg->count, cfg->for_each, &keys, &values, &n, &r->keyed);
    if (rc == 0 && !cfg->data)
        rc = refresh_batch(pc, conf, key, cfg->type, owner, st);
    if (rc < 0) {
        graph_keys_free(keys, values, n);
        free(key);
        return rc;
    }
    size_t *mine = xcalloc(n + 1, sizeof *mine);
    graph_res_instances(r, keys, values, n);
    for (size_t i = 0; i < n; i++) {
        graph_inst *gi = &r->inst[i];
        mine[i] = SIZE_MAX;
        if (plan_instance(pc, r, gi, conf, key, owner, st, &mine[i]) < 0)
            rc = CAIRN_EDIAG;
        if (!val_is_valid(gi->value))
            gi->value = val_null();
    }
    for (size_t i = 0; i < n; i++)
        if (mine[i] != SIZE_MAX)
            set_deps(&pc->p->changes[mine[i]], r);
    free(mine);
    free(key);
    return rc;
}

/* ---------------------------------------------------------------- deletes */

static int key_matches(val k, const state_key *sk)
{
    if (sk->kind == STATE_KEY_NONE)
        return !val_is_valid(k);
    if (!val_is_valid(k))
        return 0;
    if (sk->kind == STATE_KEY_INT)
        return val_kind(k) == VAL_NUMBER && val_get_number(k) == (double)sk->i;
    return val_kind(k) == VAL_STRING && strcmp(val_get_string(k), sk->s) == 0;
}

static char *key_text(const state_key *k)
{
    if (k->kind == STATE_KEY_INT)
        return xasprintf("[%lld]", (long long)k->i);
    if (k->kind == STATE_KEY_STR)
        return xasprintf("[\"%s\"]", k->s);
    return xstrdup("");
}

/* Why an instance in state is not in the configuration, in Terraform's
 * words (owned).  "because it is not in configuration" lets the renderer
 * name the resource (and a move). */
static char *orphan_reason(plan_ctx *pc, const prior_rec *r)
{
    state_addr a;
    if (state_addr_parse(&a, r->addr) < 0)
        return xstrdup("because it is not in configuration");
    const cfg_module *cm = pc->o->cfg;
    graph_mod *gm = graph_root(pc->g);
    strbuf path = {0};
    char *why = NULL;
    for (size_t i = 0; i < a.nmodules && !why; i++) {
        sb_printf(&path, "%smodule.%s", i ? "." : "", a.modules[i].name);
        const cfg_call *call = cfg_call_find(cm, a.modules[i].name);
        if (!call || !call->child) {
            why = xasprintf("because %s is not in configuration", path.s);
            break;
        }
        char *kt = key_text(&a.modules[i].key);
        sb_puts(&path, kt);
        free(kt);
        graph_call *gc = graph_mod_call(gm, (size_t)(call - cm->calls));
        graph_mod *next = NULL;
        for (size_t j = 0; j < gc->ninst && !next; j++)
            if (key_matches(gc->inst[j]->key, &a.modules[i].key))
                next = gc->inst[j];
        if (!next)
            why = xasprintf("because %s is not in configuration", path.s);
        cm = call->child;
        gm = next;
    }
    if (!why) {
        const cfg_resource *cr = cfg_resource_find(cm, a.data, a.type, a.name);
        char *kt = key_text(&a.key);
        if (!cr)
            why = xstrdup("because it is not in configuration");
        else if (a.key.kind == STATE_KEY_NONE)
            why = xstrdup("because resource uses count or for_each");
        else if (a.key.kind == STATE_KEY_INT && cr->count)
            why = xasprintf("because index %s is out of range for count", kt);
        else if (a.key.kind == STATE_KEY_INT)
            why = xstrdup("because resource does not use count");
        else if (cr->for_each)
            why = xasprintf("because key %s is not in for_each map", kt);
        else
            why = xstrdup("because resource does not use for_each");
        free(kt);
    }
    sb_free(&path);
    state_addr_free(&a);
    return why;
}

/* Plan deletes for every unclaimed managed prior (all of them when
 * destroying). */
/* The `timeouts` of the resource block an instance in state belongs to, if
 * the configuration still has that block (destroy; count or for_each
 * shrunk): literal durations only, evaluated without a scope (a timeout
 * that refers to anything keeps the provider's default).  out_ms as
 * decode_timeouts fills it; all 0 when there is no such block. */
static void config_timeouts(plan_ctx *pc, const char *addr, uint64_t out_ms[4])
{
    memset(out_ms, 0, 4 * sizeof *out_ms);
    state_addr a;
    if (state_addr_parse(&a, addr) < 0)
        return;
    const cfg_module *cm = pc->o->cfg;
    for (size_t i = 0; cm && i < a.nmodules; i++) {
        const cfg_call *call = cfg_call_find(cm, a.modules[i].name);
        cm = call ? call->child : NULL;
    }
    const cfg_resource *cr = cm ? cfg_resource_find(cm, a.data, a.type, a.name) : NULL;
    if (cr) {
        diag_list scratch = {0};
        eval_ctx ctx;
        eval_ctx_init(&ctx, &scratch);
        if (decode_timeouts(cr->body, &ctx, out_ms, &scratch) < 0)
            memset(out_ms, 0, 4 * sizeof *out_ms);
        diag_list_free(&scratch);
    }
    state_addr_free(&a);
}

static int plan_deletes(plan_ctx *pc)
{
    int rc = 0;
    for (size_t i = 0; i < pc->npriors; i++) {
        prior_rec *r = &pc->priors[i];
        if (r->claimed)
            continue;
        prov_conf *conf = plan_provider_by_key(pc, r->inst->provider ? r->inst->provider : "",
                                               r->inst->type);
        if (!conf) {
            rc = CAIRN_EDIAG;
            continue;
        }
        const prov_resource_type *rt = plugin_resource(conf->plugin, r->inst->type);
        if (!rt) {
            diag_add(pc->diags, DIAG_ERROR, (srange){0}, "Invalid resource type",
                     "%s in state has type \"%s\", which provider %s does not support.",
                     r->addr, r->inst->type, conf->api->name);
            rc = CAIRN_EDIAG;
            continue;
        }
        if (!r->refreshed &&
            refresh_batch(pc, conf, r->inst->provider ? r->inst->provider : "", r->inst->type,
                          rt, plugin_schema_type(conf->plugin, rt->schema)) < 0) {
            rc = CAIRN_EDIAG;
            continue;
        }
        if (r->gone || pc->o->refresh_only)
            continue;
        plan_change *c = plan_add_change(pc->p, r->addr);
        c->res_addr = plan_res_addr(r->addr);
        c->type = xstrdup(r->inst->type);
        c->provider = xstrdup(r->inst->provider ? r->inst->provider : "");
        c->action = PLAN_DELETE;
        c->schema = rt->schema;
        val_free(c->prior);
        c->prior = val_copy(r->attrs);
        c->schema_version = (int)r->inst->schema_version;
        config_timeouts(pc, r->addr, c->timeouts_ms);
        if (!pc->o->destroy)
            c->reason = orphan_reason(pc, r);
        c->deps = xcalloc(r->inst->ndeps + 1, sizeof *c->deps);
        for (size_t j = 0; j < r->inst->ndeps; j++)
            c->deps[c->ndeps++] = xstrdup(r->inst->deps[j]);
        if (r->moved_from)
            c->moved_from = xstrdup(r->moved_from);
    }
    return rc;
}

/* ---------------------------------------------------------------- deposed */

/* One deposed object: read it (one call: deposed objects are few), then
 * plan its delete, or a gone no-op that apply drops from state. */
static int plan_one_deposed(plan_ctx *pc, const state_deposed *d)
{
    const char *key = d->inst->provider ? d->inst->provider : "";
    prov_conf *conf = plan_provider_by_key(pc, key, d->inst->type);
    const prov_resource_type *rt = conf ? plugin_resource(conf->plugin, d->inst->type) : NULL;
    if (!rt)
        return CAIRN_EDIAG;   /* plan_deletes says why for the current object */
    const ty *st = plugin_schema_type(conf->plugin, rt->schema);
    prior_rec pr = {.addr = d->address, .inst = d->inst};
    val attrs = stored_attrs(&pr, st), before = val_invalid();
    int gone = 0;
    if (pc->o->refresh) {
        char *label = xasprintf("%s (deposed object %s)", d->address, d->key);
        prov_call call;
        prov_diag pd = {0};
        plan_call_init(&call, label, d->inst->type, 0, pc->o->cancel);
        val out = val_invalid();
        int rc = rt->ops.read(conf->inst, &call, attrs, &out, &pd);
        free(label);
        if (rc < 0) {
            plan_prov_diag(pc->diags, &pd, NULL, "refreshing", d->inst->type);
            val_free(attrs);
            return CAIRN_EDIAG;
        }
        gone = !val_is_valid(out) || val_is_null(out);
        val nv = gone ? (val_free(out), val_null()) : val_convert(out, st);
        if (!gone && !val_is_valid(nv)) {
            diag_add(pc->diags, DIAG_ERROR, (srange){0}, "Provider returned invalid state",
                     "Refreshing %s (deposed object %s): %s", d->address, d->key, err_msg());
            val_free(attrs);
            return CAIRN_EDIAG;
        }
        before = attrs;
        attrs = gone ? nv : plan_remark(nv, before);
    }
    if (!gone && pc->o->refresh_only) {
        val_free(attrs);
        val_free(before);
        return 0;
    }
    plan_change *c = plan_add_change(pc->p, d->address);
    c->deposed = xstrdup(d->key);
    c->label = xasprintf("%s (deposed object %s)", d->address, d->key);
    c->res_addr = plan_res_addr(d->address);
    c->type = xstrdup(d->inst->type);
    c->provider = xstrdup(key);
    c->action = gone ? PLAN_NOOP : PLAN_DELETE;
    c->gone = gone;
    c->schema = rt->schema;
    c->schema_version = (int)d->inst->schema_version;
    val_free(c->prior);
    c->prior = attrs;
    val_free(before);
    config_timeouts(pc, d->address, c->timeouts_ms);
    c->deps = xcalloc(d->inst->ndeps + 1, sizeof *c->deps);
    for (size_t j = 0; j < d->inst->ndeps; j++)
        c->deps[c->ndeps++] = xstrdup(d->inst->deps[j]);
    return 0;
}

/* Deposed objects in state (Terraform's word): each is planned for
 * delete, with -destroy and without. */
static int plan_deposed(plan_ctx *pc)
{
    state_txn *txn;
    state_deposed *dv = NULL;
    size_t n = 0;
    int rc = state_txn_begin(&txn, pc->o->env, STATE_TXN_RDONLY, NULL);
    if (rc == 0) {
        rc = state_deposed_list(txn, &dv, &n);
        state_abort(txn);
    }
    if (rc < 0) {
        diag_add(pc->diags, DIAG_ERROR, (srange){0}, "Failed to read state", "%s", err_msg());
        return CAIRN_EDIAG;
    }
    for (size_t i = 0; i < n; i++)
        if (plan_one_deposed(pc, &dv[i]) < 0)
            rc = CAIRN_EDIAG;
    state_deposed_free(dv, n);
    return rc;
}

/* ---------------------------------------------------------------- cbd */

struct res_idx {
    const char *res;
    size_t i;
};

static int cmp_res_idx(const void *a, const void *b)
{
    return strcmp(((const struct res_idx *)a)->res, ((const struct res_idx *)b)->res);
}

/* Terraform propagates create_before_destroy to everything a resource
 * that sets it depends on (directly or not): a dependency replaced at the
 * same time is replaced create-before-destroy too, so the old dependent
 * is deleted before the old dependency and the new dependency exists
 * before the new dependent. */
static void propagate_cbd(plan *p)
{
    size_t n = p->n, nq = 0;
    struct res_idx *idx = xcalloc(n + 1, sizeof *idx);
    size_t *queue = xcalloc(n + 1, sizeof *queue);
    char *forced = xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        idx[i] = (struct res_idx){p->changes[i].res_addr ? p->changes[i].res_addr : "", i};
        const cfg_resource *r = p->changes[i].cfg;
        if (r && r->create_before_destroy && !p->changes[i].data) {
            forced[i] = 1;
            queue[nq++] = i;
        }
    }
    qsort(idx, n, sizeof *idx, cmp_res_idx);
    while (nq) {
        const plan_change *c = &p->changes[queue[--nq]];
        for (size_t d = 0; d < c->ndeps; d++) {
            struct res_idx key = {c->deps[d], 0};
            struct res_idx *hit = n ? bsearch(&key, idx, n, sizeof key, cmp_res_idx) : NULL;
            while (hit && hit > idx && !strcmp((hit - 1)->res, key.res))
                hit--;
            for (; hit && hit < idx + n && !strcmp(hit->res, key.res); hit++)
                if (!forced[hit->i] && !p->changes[hit->i].data) {
                    forced[hit->i] = 1;
                    queue[nq++] = hit->i;
                }
        }
    }
    for (size_t i = 0; i < n; i++) {
        plan_change *c = &p->changes[i];
        if (forced[i] && c->action == PLAN_REPLACE && !c->deposed) {
            c->action = PLAN_REPLACE_CBD;
            c->create_before_destroy = 1;
        }
    }
    free(idx);
    free(queue);
    free(forced);
}

/* ---------------------------------------------------------------- walk */

static int walk_module(plan_ctx *pc, graph_mod *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->cfg->nresources; i++) {
        graph_res *r;
        if (graph_resource(pc->g, m, i, &r) < 0)
            rc = CAIRN_EDIAG;
    }
    for (size_t i = 0; i < m->cfg->ncalls; i++) {
        graph_call *gc = graph_mod_call(m, i);
        for (size_t j = 0; j < gc->ninst; j++)
            if (walk_module(pc, gc->inst[j]) < 0)
                rc = CAIRN_EDIAG;
    }
    return rc;
}

static int plan_outputs(plan_ctx *pc)
{
    graph_mod *root = graph_root(pc->g);
    const cfg_module *m = root->cfg;
    state_txn *txn = NULL;
    if (state_txn_begin(&txn, pc->o->env, STATE_TXN_RDONLY, NULL) < 0)
        txn = NULL;
    int rc = 0;
    pc->p->outputs = xcalloc(m->noutputs + 1, sizeof *pc->p->outputs);
    for (size_t i = 0; i < m->noutputs; i++) {
        plan_output *po = &pc->p->outputs[pc->p->noutputs++];
        po->name = xstrdup(m->outputs[i].name);
        po->sensitive = m->outputs[i].sensitive;
        po->value = val_null();
        po->prior = val_invalid();
        if (pc->o->destroy) {
            po->deleted = 1;
            continue;
        }
        val v;
        if (graph_output(pc->g, root, i, &v) < 0) {
            rc = CAIRN_EDIAG;
            continue;
        }
        graph_scope s;
        graph_scope_init(&s, pc->g, root, NULL);
        if (plan_check_conditions(&s, m->outputs[i].preconditions,
                                  m->outputs[i].npreconditions,
                                  "Module output value precondition failed") < 0)
            rc = CAIRN_EDIAG;
        if (!m->outputs[i].sensitive && val_contains_sensitive(v)) {
            const cfg_output *co = &m->outputs[i];
            diag_add(pc->diags, DIAG_ERROR, co->range, "Output refers to sensitive values",
                     "To reduce the risk of accidentally exporting sensitive data that was "
                     "intended to be only internal, cairn requires that any root module output "
                     "containing sensitive data be explicitly marked as sensitive, to confirm "
                     "your intent.\n\nIf you do intend to export this data, annotate the "
                     "output value as sensitive by adding the following argument:\n"
                     "    sensitive = true");
            rc = CAIRN_EDIAG;
        }
        val_free(po->value);
        po->value = v;
        state_output so = {0};
        if (txn && state_output_get(txn, po->name, &so) == 0) {
            po->prior = val_from_json(so.value_json, strlen(so.value_json));
            if (val_is_null(po->prior)) {
                val_free(po->prior);
                po->prior = val_invalid();
            }
            if (val_is_valid(po->prior) && so.sensitive)
                po->prior = val_mark(po->prior, VAL_MARK_SENSITIVE);
        }
        if (!val_is_valid(po->prior)) {
            po->changed = !val_is_null(v);   /* a new null output is no change */
        } else if (val_is_wholly_known(v)) {
            val plain = val_unmark_deep(val_copy(v));
            char *js = val_to_json(&plain, NULL);
            po->changed = !js || strcmp(js, so.value_json) != 0;
            free(js);
            val_free(plain);
        } else {
            po->changed = 1;
        }
        state_output_clear(&so);
    }
    state_abort(txn);
    return rc;
}

static void count_changes(plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->changes[i].import_id)
            p->nimport++;
        switch (p->changes[i].action) {
        case PLAN_CREATE: p->nadd++; break;
        case PLAN_UPDATE: p->nchange++; break;
        case PLAN_REPLACE:
        case PLAN_REPLACE_CBD: p->nadd++, p->ndestroy++; break;
        case PLAN_DELETE: p->ndestroy++; break;
        default: break;
        }
    }
}

int plan_cmp_change(const void *pa, const void *pb)
{
    const plan_change *a = pa, *b = pb;
    int c = strcmp(a->addr, b->addr);
    if (c || (!a->deposed && !b->deposed))
        return c;
    return !a->deposed ? -1 : !b->deposed ? 1 : strcmp(a->deposed, b->deposed);
}

/* What refresh found, for -refresh-only (recorded by apply) and for
 * objects deleted outside cairn that nothing will re-create (dropped from
 * state by apply): no-op changes marked drifted or gone. */
static void drift_changes(plan_ctx *pc)
{
    for (size_t i = 0; i < pc->npriors; i++) {
        prior_rec *r = &pc->priors[i];
        int keep = r->gone ? !r->claimed || pc->o->refresh_only
                           : r->drifted && pc->o->refresh_only;
        if (!keep)
            continue;
        plan_change *c = plan_add_change(pc->p, r->addr);
        c->res_addr = plan_res_addr(r->addr);
        c->type = xstrdup(r->inst->type);
        c->provider = xstrdup(r->inst->provider ? r->inst->provider : "");
        c->action = PLAN_NOOP;
        c->drifted = r->drifted;
        c->gone = r->gone;
        c->schema = r->schema;
        val_free(c->prior);
        c->prior = val_copy(r->attrs);
        if (val_is_valid(r->before))
            c->before_refresh = val_copy(r->before);
        c->schema_version = (int)r->inst->schema_version;
    }
}

int plan_make(plan **out, const plan_opts *o, plan_providers *pp, diag_list *diags)
{
    plan_ctx pc = {.o = o, .pp = pp, .diags = diags};
    pc.p = xcalloc(1, sizeof *pc.p);
    pc.p->destroy = o->destroy;
    pc.p->refresh_only = o->refresh_only;
    cfg_digest(o->cfg, pc.p->digest);
    *out = pc.p;
    /* Prior state first: evaluating anything may plan a resource on
     * demand, and a resource must see its prior instances. */
    int rc = plan_reconcile(&pc);
    if (rc == 0)
        rc = load_priors(&pc);
    if (rc == 0)
        apply_moved(&pc, o->cfg);
    const char *ws = state_workspace_name(o->env);
    pc.g = graph_new(o->cfg, o->vars, ws, plan_resource, &pc, diags);
    if (rc == 0)
        rc = graph_expand_modules(pc.g, graph_root(pc.g));
    if (rc == 0)
        rc = graph_check_vars(pc.g, graph_root(pc.g));
    if (rc == 0) {
        if (!o->destroy && !o->refresh_only)
            rc = walk_module(&pc, graph_root(pc.g));
        if (plan_deletes(&pc) < 0)
            rc = CAIRN_EDIAG;
        if (plan_deposed(&pc) < 0)
            rc = CAIRN_EDIAG;
        propagate_cbd(pc.p);
        drift_changes(&pc);
        if (!o->refresh_only && rc == 0 && plan_outputs(&pc) < 0)
            rc = CAIRN_EDIAG;
    }
    if (rc == 0 && o->ntargets) {
        plan_apply_targets(pc.p, o->targets, o->ntargets);
        diag_add(diags, DIAG_WARNING, (srange){0}, "Resource targeting is in effect",
                 "You are creating a plan with the -target option, which means that the "
                 "result of this plan may not represent all of the changes requested by the "
                 "current configuration.\n\nThe -target option is not for routine use, and is "
                 "provided only for exceptional situations such as recovering from errors or "
                 "mistakes, or when cairn specifically suggests to use it as part of an "
                 "error message.");
    }
    if (pc.p->n)
        qsort(pc.p->changes, pc.p->n, sizeof *pc.p->changes, plan_cmp_change);
    count_changes(pc.p);
    free_priors(&pc);
    graph_free(pc.g);
    if (rc == 0 && diag_has_errors(diags))
        rc = CAIRN_EDIAG;
    return rc;
}
