/*
 * engine/apply.c — the apply scheduler (engine/apply.h).
 *
 * Threads: the calling thread schedules (dependency counts, priorities,
 * configuration re-evaluation, progress lines); workers make provider
 * calls and commit state, one operation each, started as needed up to
 * APPLY_MAX_IN_FLIGHT.  Everything shared is under ac->mu; a worker holds
 * it only to take a task, to post its result and to give back or take a
 * call slot, never across a provider call or a state commit.
 *
 * Call slots: -parallelism bounds the operations making provider calls.
 * An operation takes a slot when it starts; while its plugin says it is
 * waiting (prov_call.waiting: polling for availability, retrying a
 * dependency error) it gives the slot back, and the scheduler may start
 * another; to go on it takes a slot again, before any new operation does.
 *
 * What must stay true: a change starts only after every change it depends
 * on finished successfully; each outcome is committed before dependents
 * start; a create or delete is journaled as an intent before the call.
 */
#include "engine/apply.h"

#include "engine/decode.h"
#include "engine/plan_int.h"
#include "lang/val_fmt.h"
#include "lang/val_json.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum task_state { T_WAIT, T_READY, T_RUNNING, T_DONE, T_FAILED, T_SKIPPED };

/* A replacement is two tasks, its halves: delete then create; or, for
 * create_before_destroy, the create (which deposes the old object) and,
 * once what depends on the instance uses the new object, the delete of
 * the deposed object. */
enum task_half { HALF_NONE, HALF_CREATE, HALF_DELETE };

typedef struct task {
    plan_change *c;
    enum task_half half;
    char dkey[9];               /* create_before_destroy: the deposed key */
    char *label;                /* the deposed half: "ADDR (deposed object KEY)" */
    enum task_state st;
    size_t npending;
    size_t *dependents;
    size_t ndependents, capdependents;
    double crit;                /* critical path: own duration + longest after */
    double dur;
    const prov_plugin *api;
    prov_instance *inst;
    const void *owner;          /* prov_resource_type or prov_data_source */
    const ty *st_type;
    val final;                  /* planned value with dependencies applied */
    val result;                 /* new state (null after delete) */
    int rc;
    prov_diag pd;
    struct timespec started;
    int ticks;
    size_t run_pos;             /* its place in ac->run while T_RUNNING */
    int slot;                   /* holds a call slot (under ac->mu) */
    struct apply_ctx *ac;
} task;

typedef struct apply_ctx {
    const apply_opts *o;
    task *t;
    size_t n;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    size_t *work;               /* prepared tasks for workers */
    size_t nwork;
    size_t *done;               /* finished tasks for the scheduler */
    size_t ndone;
    size_t *ready;              /* heap of T_READY tasks, best first (ready_before) */
    size_t nready;
    size_t *run;                /* the T_RUNNING tasks, in no order */
    size_t nrun;
    int quit;
    diag_list *diags;
    pthread_cond_t cv_slot;     /* a call slot came free */
    size_t calls;               /* operations holding a call slot */
    size_t limit;               /* -parallelism */
    size_t nresume;             /* waiting operations asking for a slot back */
    pthread_t *th;              /* workers started so far */
    size_t nth, idle;
} apply_ctx;

static double since(const struct timespec *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)(ts.tv_sec - t->tv_sec) + (ts.tv_nsec - t->tv_nsec) / 1e9;
}

/* ---------------------------------------------------------------- edges */

static void add_edge(task *from, size_t to_idx, task *to)
{
    for (size_t i = 0; i < from->ndependents; i++)
        if (from->dependents[i] == to_idx)
            return;
    if (from->ndependents == from->capdependents) {
        from->capdependents = from->capdependents ? 2 * from->capdependents : 4;
        from->dependents = xrealloc(from->dependents,
                                    from->capdependents * sizeof *from->dependents);
    }
    from->dependents[from->ndependents++] = to_idx;
    to->npending++;
}

struct by_res {
    const char *res;
    size_t idx;
};

static int cmp_by_res(const void *a, const void *b)
{
    return strcmp(((const struct by_res *)a)->res, ((const struct by_res *)b)->res);
}

/* Whether t creates, updates or reads (else it deletes). */
static int task_creates(const task *t)
{
    return t->half ? t->half == HALF_CREATE : t->c->action != PLAN_DELETE;
}

static int listed(const plan_change *c, const char *addr)
{
    for (size_t i = 0; i < c->ninst_deps; i++)
        if (strcmp(c->inst_deps[i], addr) == 0)
            return 1;
    return 0;
}

/* Edges over instances (from their changes' dependencies on resources): a
 * create, update or read waits for those of the instances it depends on; a
 * delete goes before the deletes of the instances it depends on.  The two
 * halves of a replacement: delete then create, or, create_before_destroy,
 * create, then what waits for that create, then the delete of the deposed
 * object.  A deposed object's delete does not wait for the plain
 * replacement of an instance it depends on: that create comes before its
 * own create (Terraform makes such dependencies create_before_destroy
 * too). */
static void build_edges(apply_ctx *ac)
{
    struct by_res *idx = xcalloc(ac->n + 1, sizeof *idx);
    for (size_t i = 0; i < ac->n; i++)
        idx[i] = (struct by_res){ac->t[i].c->res_addr, i};
    qsort(idx, ac->n, sizeof *idx, cmp_by_res);
    for (size_t i = 0; i < ac->n; i++) {
        task *t = &ac->t[i];
        plan_change *c = t->c;
        for (size_t d = 0; d < c->ndeps; d++) {
            struct by_res key = {c->deps[d], 0};
            struct by_res *hit = bsearch(&key, idx, ac->n, sizeof key, cmp_by_res);
            if (!hit)
                continue;
            while (hit > idx && strcmp((hit - 1)->res, key.res) == 0)
                hit--;
            int narrowed = 0;
            for (size_t k = 0; k < c->nnarrow; k++)
                narrowed |= strcmp(c->narrow[k], key.res) == 0;
            for (; hit < idx + ac->n && strcmp(hit->res, key.res) == 0; hit++) {
                task *dep = &ac->t[hit->idx];
                if (dep->c == c || (narrowed && !listed(c, dep->c->addr)))
                    continue;
                if (task_creates(t) && task_creates(dep))
                    add_edge(dep, i, t);
                else if (!task_creates(t) && !task_creates(dep) &&
                         !(t->half == HALF_DELETE && t->c->action == PLAN_REPLACE_CBD &&
                           dep->half == HALF_DELETE && dep->c->action == PLAN_REPLACE))
                    add_edge(t, hit->idx, dep);
            }
        }
    }
    free(idx);
    /* The halves of each replacement (adjacent tasks, create or delete
     * first as the replacement goes). */
    for (size_t i = 0; i + 1 < ac->n; i++) {
        task *a = &ac->t[i], *b = &ac->t[i + 1];
        if (!a->half || a->c != b->c)
            continue;
        if (a->c->action == PLAN_REPLACE_CBD)
            for (size_t k = 0; k < a->ndependents; k++)
                if (task_creates(&ac->t[a->dependents[k]]))
                    add_edge(&ac->t[a->dependents[k]], i + 1, b);
        add_edge(a, i + 1, b);
    }
}

/* Critical path lengths, by repeated relaxation in reverse dependency
 * order (Kahn's order over the edges built above).  Returns how many tasks
 * that order reached: fewer than all means a cycle. */
static size_t critical_paths(apply_ctx *ac)
{
    size_t *order = xcalloc(ac->n + 1, sizeof *order), head = 0, tail = 0;
    size_t *pending = xcalloc(ac->n + 1, sizeof *pending);
    for (size_t i = 0; i < ac->n; i++) {
        pending[i] = ac->t[i].npending;
        if (!pending[i])
            order[tail++] = i;
    }
    while (head < tail) {
        task *t = &ac->t[order[head++]];
        for (size_t j = 0; j < t->ndependents; j++)
            if (--pending[t->dependents[j]] == 0)
                order[tail++] = t->dependents[j];
    }
    for (size_t k = tail; k > 0; k--) {
        task *t = &ac->t[order[k - 1]];
        double best = 0;
        for (size_t j = 0; j < t->ndependents; j++)
            if (ac->t[t->dependents[j]].crit > best)
                best = ac->t[t->dependents[j]].crit;
        t->crit = t->dur + best;
    }
    free(order);
    free(pending);
    return tail;
}

/* ---------------------------------------------------------------- values */

static plan_change *find_change(plan *p, const char *addr)
{
    plan_change key = {.addr = (char *)addr};
    return p->n ? bsearch(&key, p->changes, p->n, sizeof key, plan_cmp_change) : NULL;
}

/* The graph hook at apply time: a resource's instances take the values
 * the changes have now (applied results, else planned values). */
static int apply_hook(graph *g, graph_res *r, void *payload)
{
    apply_ctx *ac = payload;
    graph_scope s;
    graph_scope_init(&s, g, r->mod, &r->node);
    val *keys, *values;
    size_t n;
    int rc = graph_expand_keys(&s, r->cfg->count, r->cfg->for_each, &keys, &values, &n,
                               &r->keyed);
    if (rc < 0)
        return rc;
    graph_res_instances(r, keys, values, n);
    for (size_t i = 0; i < r->ninst; i++) {
        graph_inst *gi = &r->inst[i];
        plan_change *c = find_change(ac->o->p, gi->addr);
        val v = !c ? val_null() : val_is_valid(c->applied) ? c->applied : c->planned;
        gi->value = val_copy(v);
    }
    return 0;
}

/* What is done in change t's scope: decode its configuration (prepare), or
 * check its postconditions (postcheck). */
typedef int (*scope_fn)(apply_ctx *ac, task *t, graph_scope *s, diag_list *d);

static int cmp_each_key(const void *key, const void *elem)
{
    return strcmp(key, val_get_string(*(const val *)elem));
}

/* The position of instance key k among the n keys graph_expand_keys gave
 * (keyed as it says), or -1.  A lookup, not a scan: it runs for every
 * instance, so a scan would make apply quadratic in a resource's size.
 * Count keys are 0..n-1; for_each keys are sorted. */
static long key_position(const state_key *k, const val *keys, size_t n, int keyed)
{
    if (k->kind == STATE_KEY_NONE)
        return keyed == 0 && n == 1 ? 0 : -1;
    if (k->kind == STATE_KEY_INT)
        return keyed == 1 && k->i >= 0 && (uint64_t)k->i < n ? (long)k->i : -1;
    const val *hit = keyed == 2 ? bsearch(k->s, keys, n, sizeof *keys, cmp_each_key) : NULL;
    return hit ? (long)(hit - keys) : -1;
}

/* Build the configuration graph with the values changes have now, find the
 * scope of t's instance (its module instance, count.index or each.*) and
 * run fn there.  Diagnostics go to ac->diags; CAIRN_EDIAG when any is an
 * error.  Called on the scheduler thread with ac->mu held. */
static int in_scope(apply_ctx *ac, task *t, scope_fn fn)
{
    plan_change *c = t->c;
    diag_list d = {0};
    graph *g = graph_new(ac->o->cfg, ac->o->vars, state_workspace_name(ac->o->env),
                         apply_hook, ac, &d);
    int rc = graph_expand_modules(g, graph_root(g));
    graph_mod *m = graph_mod_of(graph_root(g), c->res_addr);
    graph_scope s;
    graph_scope_init(&s, g, m, NULL);
    val *keys = NULL, *values = NULL;
    size_t n = 0;
    int keyed = 0;
    if (rc == 0)
        rc = graph_expand_keys(&s, c->cfg->count, c->cfg->for_each, &keys, &values, &n,
                               &keyed);
    long at = -1;
    state_addr a;
    if (rc == 0 && state_addr_parse(&a, c->addr) == 0) {
        at = key_position(&a.key, keys, n, keyed);
        state_addr_free(&a);
    }
    if (at >= 0) {
        if (keyed == 1)
            s.count_index = keys[at];
        else if (keyed == 2)
            s.each_key = keys[at], s.each_value = values[at];
        rc = fn(ac, t, &s, &d);
    }
    graph_keys_free(keys, values, n);
    graph_free(g);
    if (rc < 0 || diag_has_errors(&d)) {
        diag_move(ac->diags, &d);
        return CAIRN_EDIAG;
    }
    diag_list_free(&d);
    return 0;
}

static int decode_in_scope(apply_ctx *ac, task *t, graph_scope *s, diag_list *d)
{
    (void)ac;
    plan_change *c = t->c;
    eval_ctx ctx;
    graph_eval_ctx(s, &ctx);
    const prov_schema *schema = c->data ? ((const prov_data_source *)t->owner)->schema
                                        : ((const prov_resource_type *)t->owner)->schema;
    val config = decode_body(c->cfg->body, schema, t->st_type, c->cfg->range, &ctx,
                             c->data ? DECODE_DATA : DECODE_RESOURCE, d);
    if (!val_is_valid(config))
        return CAIRN_EDIAG;
    val_free(t->final);
    if (c->data) {
        t->final = config;
    } else {
        int replacing = c->action == PLAN_REPLACE || c->action == PLAN_REPLACE_CBD;
        t->final = plan_proposed(schema, t->st_type, config,
                                 replacing ? val_null() : c->prior, replacing);
        val_free(config);
    }
    return 0;
}

/* Re-evaluate change t's configuration with current values into t->final.
 * Called on the scheduler thread with ac->mu held. */
static int prepare(apply_ctx *ac, task *t)
{
    plan_change *c = t->c;
    t->final = val_copy(c->planned);
    if (!c->cfg || !task_creates(t) || val_is_wholly_known(c->planned))
        return 0;
    return in_scope(ac, t, decode_in_scope);
}

static int postconditions_in_scope(apply_ctx *ac, task *t, graph_scope *s, diag_list *d)
{
    (void)ac;
    (void)d;   /* plan_check_conditions reports to the graph's list, which is d */
    s->self = t->c->applied;
    return plan_check_conditions(s, t->c->cfg->postconditions, t->c->cfg->npostconditions,
                                 "Resource postcondition failed");
}

/* The postconditions of a created, updated or read change, checked again
 * with the applied object as `self` (the plan checked them with planned
 * values, where some were unknown).  Called on the scheduler thread. */
static int postcheck(apply_ctx *ac, task *t)
{
    plan_change *c = t->c;
    if (!c->cfg || !c->cfg->npostconditions || !task_creates(t) ||
        !val_is_valid(c->applied) || val_is_null(c->applied))
        return 0;
    return in_scope(ac, t, postconditions_in_scope);
}

/* ---------------------------------------------------------------- workers */

static int put_state(apply_ctx *ac, task *t, val attrs)
{
    plan_change *c = t->c;
    state_instance *si = plan_state_instance(c->type, c->provider, c->schema_version,
                                             val_copy(attrs), c->deps, c->ndeps);
    if (!si)
        return CAIRN_EINVAL;
    state_txn *txn;
    int rc = state_txn_begin(&txn, ac->o->env, 0, "apply");
    if (rc == 0) {
        rc = state_put(txn, c->addr, si);
        rc = rc < 0 ? (state_abort(txn), rc) : state_commit(txn);
    }
    state_instance_free(si);
    return rc;
}

/* The JSON of planned's known top-level attributes (those known only after
 * apply are null), for the intent journal; NULL when planned is not a
 * known object or does not encode. */
static char *intent_planned_json(val planned)
{
    if (!val_is_known_object(planned))
        return NULL;
    val known = val_object_empty();
    for (size_t i = 0; i < val_len(planned); i++) {
        val v = *val_at(planned, i);
        known = val_object_set(known, val_key_at(planned, i),
                               val_is_wholly_known(v) ? val_copy(v) : val_null());
    }
    char *js = val_to_json(&known, NULL);
    val_free(known);
    return js;
}

/* Create t's object.  depose: create_before_destroy, the object in state
 * at the address becomes deposed object depose when the new one is
 * recorded (else NULL). */
static int do_create(apply_ctx *ac, task *t, const prov_call *base, const char *depose)
{
    const prov_resource_type *rt = t->owner;
    plan_change *c = t->c;
    char token[33];
    plan_token(token, sizeof token);
    prov_call call = *base;
    call.token = token;
    call.timeout_ms = c->timeouts_ms[DECODE_TIMEOUT_CREATE];
    char *planned = intent_planned_json(t->final);
    int rc = state_intent_open_planned(ac->o->env, c->addr, STATE_INTENT_CREATE, token, "apply",
                                       planned);
    free(planned);
    if (rc < 0) {
        snprintf(t->pd.summary, sizeof t->pd.summary, "Failed to record intent");
        snprintf(t->pd.detail, sizeof t->pd.detail, "%s", err_msg());
        return rc;
    }
    val out = val_invalid();
    rc = rt->ops.create(t->inst, &call, t->final, &out, &t->pd);
    if (rc == CAIRN_ECANCEL)
        return rc;   /* the intent stays: the next plan finds out what happened */
    if (rc < 0) {
        state_intent_abandon(ac->o->env, c->addr, "apply");
        return rc;
    }
    val conv = val_convert(out, t->st_type);
    if (!val_is_valid(conv)) {
        snprintf(t->pd.summary, sizeof t->pd.summary, "Provider produced invalid object");
        snprintf(t->pd.detail, sizeof t->pd.detail, "%s", err_msg());
        return CAIRN_EPROTO;
    }
    state_instance *si = plan_state_instance(c->type, c->provider, c->schema_version,
                                             val_copy(conv), c->deps, c->ndeps);
    rc = !si ? CAIRN_EINVAL
         : depose ? state_intent_complete_depose(ac->o->env, c->addr, si, depose, "apply")
                  : state_intent_complete(ac->o->env, c->addr, si, "apply");
    state_instance_free(si);
    t->result = conv;
    return rc;
}

static int do_delete(apply_ctx *ac, task *t, const prov_call *base)
{
    const prov_resource_type *rt = t->owner;
    plan_change *c = t->c;
    prov_call call = *base;
    call.timeout_ms = c->timeouts_ms[DECODE_TIMEOUT_DELETE];
    int rc = state_intent_open(ac->o->env, c->addr, STATE_INTENT_DELETE, "", "apply");
    if (rc < 0)
        return rc;
    rc = rt->ops.del(t->inst, &call, c->prior, &t->pd);
    if (rc < 0) {
        if (rc != CAIRN_ECANCEL)
            state_intent_abandon(ac->o->env, c->addr, "apply");
        return rc;
    }
    return state_intent_complete(ac->o->env, c->addr, NULL, "apply");
}

/* Delete deposed object key of t's address: the deposed record in state
 * is its journal (kept until the delete succeeds; the next plan reads the
 * object and deletes it again, or finds it gone). */
static int do_delete_deposed(apply_ctx *ac, task *t, const prov_call *base, const char *key)
{
    const prov_resource_type *rt = t->owner;
    plan_change *c = t->c;
    prov_call call = *base;
    call.timeout_ms = c->timeouts_ms[DECODE_TIMEOUT_DELETE];
    int rc = rt->ops.del(t->inst, &call, c->prior, &t->pd);
    if (rc < 0)
        return rc;
    state_txn *txn;
    rc = state_txn_begin(&txn, ac->o->env, 0, "apply");
    if (rc == 0) {
        rc = state_deposed_delete(txn, c->addr, key);
        rc = rc < 0 ? (state_abort(txn), rc) : state_commit(txn);
    }
    return rc;
}

/* Give t's call slot back.  Called with ac->mu held. */
static void slot_release(apply_ctx *ac, task *t)
{
    if (!t->slot)
        return;
    t->slot = 0;
    ac->calls--;
    if (ac->nresume)
        pthread_cond_broadcast(&ac->cv_slot);
    else
        pthread_cond_signal(&ac->cv_done);   /* the scheduler may start another */
}

/* prov_call.waiting: give the slot back while the plugin waits; take one
 * again (before the scheduler starts anything new) to go on. */
static void task_waiting(void *payload, int on)
{
    task *t = payload;
    apply_ctx *ac = t->ac;
    pthread_mutex_lock(&ac->mu);
    if (on) {
        slot_release(ac, t);
    } else if (!t->slot) {
        ac->nresume++;
        while (ac->calls >= ac->limit)
            pthread_cond_wait(&ac->cv_slot, &ac->mu);
        ac->nresume--;
        ac->calls++;
        t->slot = 1;
    }
    pthread_mutex_unlock(&ac->mu);
}

static int run_task(apply_ctx *ac, task *t)
{
    plan_change *c = t->c;
    prov_call base;
    plan_call_init(&base, c->addr, c->type, 0, ac->o->cancel);
    base.waiting = task_waiting;
    base.payload = t;
    int rc;
    if (c->data) {
        const prov_data_source *ds = t->owner;
        val out = val_invalid();
        rc = ds->read(t->inst, &base, t->final, &out, &t->pd);
        if (rc == 0)
            t->result = val_convert(out, t->st_type);
        return rc;
    }
    const prov_resource_type *rt = t->owner;
    switch (c->action) {
    case PLAN_CREATE:
        return do_create(ac, t, &base, NULL);
    case PLAN_UPDATE: {
        val out = val_invalid();
        base.timeout_ms = c->timeouts_ms[DECODE_TIMEOUT_UPDATE];
        rc = rt->ops.update(t->inst, &base, c->prior, t->final, &out, &t->pd);
        if (rc < 0)
            return rc;
        t->result = val_convert(out, t->st_type);
        return val_is_valid(t->result) ? put_state(ac, t, t->result) : CAIRN_EPROTO;
    }
    case PLAN_REPLACE:
        return t->half == HALF_DELETE ? do_delete(ac, t, &base) : do_create(ac, t, &base, NULL);
    case PLAN_REPLACE_CBD:
        /* The new object takes the address when created, and the old one
         * becomes a deposed object in the same transaction; the second
         * task deletes it and removes that record. */
        return t->half == HALF_DELETE ? do_delete_deposed(ac, t, &base, t->dkey)
                                      : do_create(ac, t, &base, t->dkey);
    case PLAN_DELETE:
        return c->deposed ? do_delete_deposed(ac, t, &base, c->deposed)
                          : do_delete(ac, t, &base);
    default:
        return 0;
    }
}

static void *worker(void *arg)
{
    apply_ctx *ac = arg;
    pthread_mutex_lock(&ac->mu);
    for (;;) {
        ac->idle++;
        while (!ac->nwork && !ac->quit)
            pthread_cond_wait(&ac->cv_work, &ac->mu);
        ac->idle--;
        if (!ac->nwork && ac->quit)
            break;
        size_t i = ac->work[--ac->nwork];
        pthread_mutex_unlock(&ac->mu);
        task *t = &ac->t[i];
        t->rc = run_task(ac, t);
        pthread_mutex_lock(&ac->mu);
        slot_release(ac, t);
        ac->done[ac->ndone++] = i;
        pthread_cond_signal(&ac->cv_done);
    }
    pthread_mutex_unlock(&ac->mu);
    return NULL;
}

/* ---------------------------------------------------------------- progress */

struct verbs {
    const char *start, *still, *done;
};

/* What t does, as one action: the halves of a replacement are a create
 * and a delete. */
static enum plan_action task_action(const task *t)
{
    if (!t->half)
        return t->c->action;
    return t->half == HALF_DELETE ? PLAN_DELETE : PLAN_CREATE;
}

/* How progress and errors name t. */
static const char *task_label(const task *t)
{
    return t->label ? t->label : plan_change_label(t->c);
}

static struct verbs verbs_of(const task *t)
{
    if (t->c->data)
        return (struct verbs){"Reading...", "Still reading...", "Read complete"};
    switch (task_action(t)) {
    case PLAN_UPDATE:
        return (struct verbs){"Modifying...", "Still modifying...", "Modifications complete"};
    case PLAN_DELETE:
        return (struct verbs){"Destroying...", "Still destroying...", "Destruction complete"};
    default:
        return (struct verbs){"Creating...", "Still creating...", "Creation complete"};
    }
}

static const char *id_of(val v)
{
    const val *id = val_is_known_object(v) ? val_lookup(v, "id") : NULL;
    return id && val_kind(*id) == VAL_STRING && !val_is_unknown(*id) ? val_get_string(*id)
                                                                     : NULL;
}

static void say_start(apply_ctx *ac, task *t)
{
    const char *id = task_action(t) != PLAN_CREATE ? id_of(t->c->prior) : NULL;
    fprintf(ac->o->out, "%s%s:%s %s%s%s%s\n", ac->o->color ? "\033[1m" : "", task_label(t),
            ac->o->color ? "\033[0m" : "", verbs_of(t).start, id ? " [id=" : "",
            id ? id : "", id ? "]" : "");
    fflush(ac->o->out);
}

static void say_done(apply_ctx *ac, task *t)
{
    const char *id = id_of(val_is_valid(t->result) ? t->result : t->c->prior);
    if (task_action(t) == PLAN_DELETE)
        id = NULL;
    fprintf(ac->o->out, "%s%s:%s %s after %.0fs%s%s%s\n", ac->o->color ? "\033[1m" : "",
            task_label(t), ac->o->color ? "\033[0m" : "", verbs_of(t).done,
            since(&t->started), id ? " [id=" : "", id ? id : "", id ? "]" : "");
    fflush(ac->o->out);
}

static int cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* "Still creating..." for each running task that crossed another
 * APPLY_PROGRESS_SECONDS, in task order.  Only running tasks are looked
 * at: this runs at every wake of the scheduler. */
static void say_still(apply_ctx *ac)
{
    size_t *due = NULL, ndue = 0;
    for (size_t k = 0; k < ac->nrun; k++) {
        task *t = &ac->t[ac->run[k]];
        int ticks = (int)(since(&t->started) / APPLY_PROGRESS_SECONDS);
        if (ticks <= t->ticks)
            continue;
        t->ticks = ticks;
        if (!due)
            due = xcalloc(ac->nrun, sizeof *due);
        due[ndue++] = ac->run[k];
    }
    if (ndue > 1)
        qsort(due, ndue, sizeof *due, cmp_index);
    for (size_t k = 0; k < ndue; k++) {
        task *t = &ac->t[due[k]];
        fprintf(ac->o->out, "%s: %s [%ds elapsed]\n", task_label(t), verbs_of(t).still,
                t->ticks * APPLY_PROGRESS_SECONDS);
    }
    if (ndue)
        fflush(ac->o->out);
    free(due);
}

static void run_add(apply_ctx *ac, size_t i)
{
    ac->t[i].st = T_RUNNING;
    ac->t[i].run_pos = ac->nrun;
    ac->run[ac->nrun++] = i;
}

static void run_remove(apply_ctx *ac, size_t i)
{
    size_t pos = ac->t[i].run_pos, last = ac->run[--ac->nrun];
    ac->run[pos] = last;
    ac->t[last].run_pos = pos;
}

/* ---------------------------------------------------------------- scheduling */

/* Ready tasks: a binary heap ordered by critical path, longest first,
 * then by task order (what a scan in task order would pick).  Entries
 * skipped since they were pushed are dropped when they come up. */
static int ready_before(const apply_ctx *ac, size_t a, size_t b)
{
    double ca = ac->t[a].crit, cb = ac->t[b].crit;
    return ca > cb || (ca == cb && a < b);
}

static void ready_push(apply_ctx *ac, size_t i)
{
    ac->t[i].st = T_READY;
    size_t k = ac->nready++;
    while (k > 0 && ready_before(ac, i, ac->ready[(k - 1) / 2])) {
        ac->ready[k] = ac->ready[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    ac->ready[k] = i;
}

static size_t ready_pop(apply_ctx *ac)
{
    size_t top = ac->ready[0], last = ac->ready[--ac->nready], k = 0, n = ac->nready;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && ready_before(ac, ac->ready[c + 1], ac->ready[c]))
            c++;
        if (!ready_before(ac, ac->ready[c], last))
            break;
        ac->ready[k] = ac->ready[c];
        k = c;
    }
    if (n)
        ac->ready[k] = last;
    return top;
}

/* The ready task with the longest critical path, or -1. */
static long next_ready(apply_ctx *ac)
{
    while (ac->nready) {
        size_t i = ready_pop(ac);
        if (ac->t[i].st == T_READY)
            return (long)i;
    }
    return -1;
}

static void skip_dependents(apply_ctx *ac, task *t)
{
    for (size_t j = 0; j < t->ndependents; j++) {
        task *d = &ac->t[t->dependents[j]];
        if (d->st == T_WAIT || d->st == T_READY) {
            d->st = T_SKIPPED;
            skip_dependents(ac, d);
        }
    }
}

static void finish(apply_ctx *ac, size_t i, apply_result *res)
{
    task *t = &ac->t[i];
    run_remove(ac, i);
    if (t->rc < 0) {
        t->st = T_FAILED;
        res->failed++;
        const char *sum = t->pd.summary[0] ? t->pd.summary
                          : t->rc == CAIRN_ECANCEL ? "Operation interrupted"
                                                   : "Operation failed";
        diag_add(ac->diags, DIAG_ERROR, t->c->cfg ? t->c->cfg->range : (srange){0}, sum,
                 "%s%swith %s", t->pd.detail[0] ? t->pd.detail : err_msg(),
                 t->pd.detail[0] || *err_msg() ? "\n\n" : "", task_label(t));
        skip_dependents(ac, t);
        return;
    }
    t->st = T_DONE;
    say_done(ac, t);
    plan_change *c = t->c;
    if (task_creates(t)) {
        val_free(c->applied);
        c->applied = val_is_valid(t->result) ? val_copy(t->result) : val_null();
    }
    if (postcheck(ac, t) < 0) {
        /* The object exists and is in state; what depends on it does not
         * start, as Terraform does. */
        t->st = T_FAILED;
        res->failed++;
        skip_dependents(ac, t);
        return;
    }
    switch (c->data ? PLAN_READ : task_action(t)) {
    case PLAN_CREATE: res->added++; break;
    case PLAN_UPDATE: res->changed++; break;
    case PLAN_DELETE: res->destroyed++; break;
    default: break;
    }
    for (size_t j = 0; j < t->ndependents; j++) {
        task *d = &ac->t[t->dependents[j]];
        if (d->st == T_WAIT && --d->npending == 0)
            ready_push(ac, t->dependents[j]);
    }
}

static int bind_provider(apply_ctx *ac, task *t)
{
    plan_change *c = t->c;
    t->inst = plan_provider_instance(ac->o->providers, c->provider, &t->api);
    if (!t->inst)
        return CAIRN_ENOTFOUND;
    const plugin *pl = NULL;
    for (size_t i = 0; i < ac->o->providers->n; i++)
        if (ac->o->providers->v[i].inst == t->inst)
            pl = ac->o->providers->v[i].plugin;
    if (!pl)
        return CAIRN_ENOTFOUND;
    if (c->data) {
        const prov_data_source *ds = plugin_data_source(pl, c->type);
        t->owner = ds;
        t->st_type = ds ? plugin_schema_type(pl, ds->schema) : NULL;
        t->dur = 1;
    } else {
        const prov_resource_type *rt = plugin_resource(pl, c->type);
        t->owner = rt;
        t->st_type = rt ? plugin_schema_type(pl, rt->schema) : NULL;
        if (rt)
            t->dur = (task_action(t) == PLAN_DELETE ? rt->durations.delete_ms
                      : c->action == PLAN_UPDATE ? rt->durations.update_ms
                                                 : rt->durations.create_ms) / 1000.0;
    }
    return t->owner ? 0 : CAIRN_ENOTFOUND;
}

/* Record what refresh found (objects gone, -refresh-only drift): one
 * transaction before any provider call. */
static int record_refresh(apply_ctx *ac)
{
    plan *p = ac->o->p;
    state_txn *txn;
    int rc = state_txn_begin(&txn, ac->o->env, 0, "apply");
    if (rc < 0)
        return rc;
    /* Imported objects (import blocks) enter state before any change runs. */
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        plan_change *c = &p->changes[i];
        if (!c->import_id)
            continue;
        state_instance *si = plan_state_instance(c->type, c->provider, c->schema_version,
                                                 val_copy(c->prior), c->deps, c->ndeps);
        rc = si ? state_put(txn, c->addr, si) : CAIRN_EINVAL;
        state_instance_free(si);
    }
    /* Moves first (moved blocks): every later write uses the new address. */
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        plan_change *c = &p->changes[i];
        if (!c->moved_from || c->data)
            continue;
        rc = state_move(txn, c->moved_from, c->addr);
        if (rc == CAIRN_ENOTFOUND)
            rc = 0;
    }
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        plan_change *c = &p->changes[i];
        if (c->action != PLAN_NOOP || c->data)
            continue;
        if (c->gone) {
            rc = c->deposed ? state_deposed_delete(txn, c->addr, c->deposed)
                            : state_delete(txn, c->addr);
            if (rc == CAIRN_ENOTFOUND)
                rc = 0;
        } else if (c->drifted && p->refresh_only && !c->deposed) {
            state_instance *old = NULL;
            rc = state_get(txn, c->addr, &old);
            if (rc == 0) {
                state_instance *si = state_instance_dup(old);
                rc = state_instance_set_attrs(si, val_copy(c->prior));
                if (rc == 0)
                    rc = state_put(txn, c->addr, si);
                state_instance_free(si);
            }
            state_instance_free(old);
        }
    }
    return rc < 0 ? (state_abort(txn), rc) : state_commit(txn);
}

static void setup(apply_ctx *ac, plan *p)
{
    ac->t = xcalloc(2 * p->n + 1, sizeof *ac->t);
    for (size_t i = 0; i < p->n; i++) {
        plan_change *c = &p->changes[i];
        if (!val_is_valid(c->applied))
            c->applied = val_invalid();
        if (c->action == PLAN_NOOP)
            continue;
        int halves = !c->data && (c->action == PLAN_REPLACE || c->action == PLAN_REPLACE_CBD);
        char dkey[9] = "";
        if (c->action == PLAN_REPLACE_CBD)
            plan_token(dkey, sizeof dkey);
        for (int h = 0; h < (halves ? 2 : 1); h++) {
            task *t = &ac->t[ac->n++];
            t->c = c;
            t->final = val_invalid();
            t->result = val_invalid();
            t->dur = 1;
            if (!halves)
                continue;
            int create_first = c->action == PLAN_REPLACE_CBD;
            t->half = (h == 0) == create_first ? HALF_CREATE : HALF_DELETE;
            memcpy(t->dkey, dkey, sizeof dkey);
            if (create_first && t->half == HALF_DELETE)
                t->label = xasprintf("%s (deposed object %s)", c->addr, dkey);
        }
    }
    build_edges(ac);
    for (size_t i = 0; i < ac->n; i++) {
        if (bind_provider(ac, &ac->t[i]) < 0) {
            ac->t[i].rc = CAIRN_ENOTFOUND;
            snprintf(ac->t[i].pd.summary, sizeof ac->t[i].pd.summary,
                     "Provider configuration not present");
        }
    }
    if (critical_paths(ac) < ac->n)
        diag_add(ac->diags, DIAG_ERROR, (srange){0}, "Apply order has a cycle",
                 "Some changes wait for each other, so they cannot be made; no change that "
                 "waits on the cycle is started. This is a bug in cairn: please report it "
                 "with the plan (cairn show -json PLANFILE).");
    ac->work = xcalloc(ac->n + 1, sizeof *ac->work);
    ac->done = xcalloc(ac->n + 1, sizeof *ac->done);
    ac->ready = xcalloc(ac->n + 1, sizeof *ac->ready);
    ac->run = xcalloc(ac->n + 1, sizeof *ac->run);
    for (size_t i = 0; i < ac->n; i++) {
        if (ac->t[i].npending)
            ac->t[i].st = T_WAIT;
        else
            ready_push(ac, i);
    }
}

/* Start ready tasks while call slots are free (and no waiting operation
 * asks for one back), with a worker for each.  Called with ac->mu held. */
static void dispatch(apply_ctx *ac, size_t *running, apply_result *res)
{
    while (ac->calls < ac->limit && !ac->nresume && *running < APPLY_MAX_IN_FLIGHT &&
           !(ac->o->stop && *ac->o->stop)) {
        long i = next_ready(ac);
        if (i < 0)
            break;
        task *t = &ac->t[i];
        run_add(ac, (size_t)i);
        clock_gettime(CLOCK_MONOTONIC, &t->started);
        if (t->rc < 0 || prepare(ac, t) < 0) {
            if (t->rc == 0)
                t->rc = CAIRN_EDIAG;
            finish(ac, (size_t)i, res);
            continue;
        }
        say_start(ac, t);
        t->ac = ac;
        t->slot = 1;
        ac->calls++;
        ac->work[ac->nwork++] = (size_t)i;
        (*running)++;
        if (ac->nwork > ac->idle && ac->nth < APPLY_MAX_IN_FLIGHT &&
            pthread_create(&ac->th[ac->nth], NULL, worker, ac) == 0)
            ac->nth++;
        pthread_cond_signal(&ac->cv_work);
    }
}

int apply_run(const apply_opts *o, apply_result *res, diag_list *diags)
{
    apply_ctx ac = {.o = o, .diags = diags};
    memset(res, 0, sizeof *res);
    int rc = record_refresh(&ac);
    if (rc < 0) {
        diag_add(diags, DIAG_ERROR, (srange){0}, "Failed to save state", "%s", err_msg());
        return rc;
    }
    setup(&ac, o->p);
    ac.limit = o->parallelism < 1 ? 1 : o->parallelism > APPLY_MAX_PARALLELISM
                                          ? APPLY_MAX_PARALLELISM : (size_t)o->parallelism;
    pthread_mutex_init(&ac.mu, NULL);
    pthread_cond_init(&ac.cv_work, NULL);
    pthread_cond_init(&ac.cv_done, NULL);
    pthread_cond_init(&ac.cv_slot, NULL);
    ac.th = xcalloc(APPLY_MAX_IN_FLIGHT, sizeof *ac.th);
    size_t running = 0;
    pthread_mutex_lock(&ac.mu);
    for (;;) {
        dispatch(&ac, &running, res);
        if (running == 0)
            break;
        struct timespec dl;
        clock_gettime(CLOCK_REALTIME, &dl);
        dl.tv_nsec += 200 * 1000000L;
        if (dl.tv_nsec >= 1000000000L)
            dl.tv_sec++, dl.tv_nsec -= 1000000000L;
        if (!ac.ndone)
            pthread_cond_timedwait(&ac.cv_done, &ac.mu, &dl);
        while (ac.ndone) {
            finish(&ac, ac.done[--ac.ndone], res);
            running--;
        }
        say_still(&ac);
    }
    ac.quit = 1;
    pthread_cond_broadcast(&ac.cv_work);
    pthread_mutex_unlock(&ac.mu);
    for (size_t i = 0; i < ac.nth; i++)
        pthread_join(ac.th[i], NULL);
    free(ac.th);
    int stopped = 0;
    for (size_t i = 0; i < ac.n; i++) {
        task *t = &ac.t[i];
        if (t->st == T_SKIPPED)
            res->skipped++;
        if (t->st == T_READY || t->st == T_WAIT)
            stopped = 1;
        val_free(t->final);
        val_free(t->result);
        free(t->dependents);
        free(t->label);
    }
    free(ac.t);
    free(ac.work);
    free(ac.done);
    free(ac.ready);
    free(ac.run);
    pthread_mutex_destroy(&ac.mu);
    pthread_cond_destroy(&ac.cv_work);
    pthread_cond_destroy(&ac.cv_done);
    pthread_cond_destroy(&ac.cv_slot);
    if (res->failed || res->skipped)
        return CAIRN_EDIAG;
    return stopped ? CAIRN_ECANCEL : 0;
}

/* ---------------------------------------------------------------- outputs */

/* After a destroy: no outputs remain. */
static int clear_outputs(const apply_opts *o)
{
    state_txn *txn;
    char **names = NULL;
    size_t n = 0;
    int rc = state_txn_begin(&txn, o->env, 0, "destroy");
    if (rc < 0)
        return rc;
    rc = state_output_list(txn, &names, &n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = state_output_delete(txn, names[i]);
    if (n)
        state_strv_free(names, n);
    return rc < 0 ? (state_abort(txn), rc) : state_commit(txn);
}

int apply_outputs(const apply_opts *o, diag_list *diags)
{
    if (o->p->destroy)
        return clear_outputs(o);
    apply_ctx ac = {.o = o, .diags = diags};
    graph *g = graph_new(o->cfg, o->vars, state_workspace_name(o->env), apply_hook, &ac,
                         diags);
    int rc = graph_expand_modules(g, graph_root(g));
    graph_mod *root = graph_root(g);
    state_txn *txn = NULL;
    if (rc == 0)
        rc = state_txn_begin(&txn, o->env, 0, "apply");
    int printed = 0;
    /* Printed sorted by name, as Terraform prints them. */
    size_t *ord = xcalloc(o->cfg->noutputs + 1, sizeof *ord);
    for (size_t i = 0; i < o->cfg->noutputs; i++) {
        size_t j = i;
        for (; j > 0 && strcmp(o->cfg->outputs[ord[j - 1]].name, o->cfg->outputs[i].name) > 0; j--)
            ord[j] = ord[j - 1];
        ord[j] = i;
    }
    for (size_t k = 0; rc == 0 && k < o->cfg->noutputs; k++) {
        size_t i = ord[k];
        const cfg_output *co = &o->cfg->outputs[i];
        val v;
        if (graph_output(g, root, i, &v) < 0) {
            rc = CAIRN_EDIAG;
            break;
        }
        int sens = co->sensitive || val_contains_sensitive(v);
        val plain = val_unmark_deep(v);
        char *js = val_to_json(&plain, NULL);
        ty *t = val_type(plain);
        char *tj = NULL;
        (void)t;
        state_output so = {js, tj, sens};
        if (val_is_null(plain)) {
            /* Terraform keeps no null outputs in state. */
            if (state_output_delete(txn, co->name) == CAIRN_ENOTFOUND)
                rc = 0;
        } else if (js && val_is_wholly_known(plain)) {
            rc = state_output_put(txn, co->name, &so);
        }
        if (o->out) {
            if (!printed++)
                fprintf(o->out, "\nOutputs:\n\n");
            char *s = sens ? xstrdup("<sensitive>") : val_fmt(&plain);
            fprintf(o->out, "%s = %s\n", co->name, s);
            free(s);
        }
        ty_free(t);
        free(js);
        val_free(plain);
    }
    free(ord);
    /* Outputs no longer in the configuration leave state. */
    char **names = NULL;
    size_t nn = 0;
    if (rc == 0 && state_output_list(txn, &names, &nn) == 0) {
        for (size_t i = 0; i < nn; i++)
            if (!cfg_output_find(o->cfg, names[i]))
                state_output_delete(txn, names[i]);
        state_strv_free(names, nn);
    }
    if (txn)
        rc = rc < 0 ? (state_abort(txn), rc) : state_commit(txn);
    graph_free(g);
    return rc;
}
