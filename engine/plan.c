/*
 * engine/plan.c — making a plan (engine/plan.h).
 *
 * Order of work: load the prior state into memory (one read transaction),
 * build the graph, reconcile open intents, apply moved blocks, walk every
 * resource of every module instance through the graph (the hook below
 * plans one resource: expand, decode, refresh its batch, compare), then
 * plan deletes for what is in state but not in configuration, and the
 * root outputs.
 *
 * What must stay true: no write transaction is open during any provider
 * call; each prior instance is claimed by at most one configured instance.
 */
#include "engine/plan.h"

#include "engine/decode.h"
#include "engine/plan_int.h"
#include "lang/val_json.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- helpers */

const char *plan_action_name(enum plan_action a)
{
    static const char *const names[] = {"no-op", "create", "read", "update",
                                        "replace", "replace", "delete"};
    return names[a];
}

int plan_has_changes(const plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        if ((p->changes[i].action != PLAN_NOOP && p->changes[i].action != PLAN_READ) ||
            p->changes[i].moved_from || p->changes[i].import_id ||
            (p->refresh_only && (p->changes[i].gone || p->changes[i].drifted)))
            return 1;
    for (size_t i = 0; i < p->noutputs; i++)
        if (p->outputs[i].changed || p->outputs[i].deleted)
            return 1;
    return p->refresh_only && p->nnotes > 0;
}

void plan_add_note(plan *p, char *note)
{
    p->notes = xrealloc(p->notes, (p->nnotes + 1) * sizeof *p->notes);
    p->notes[p->nnotes++] = note;
}

plan_change *plan_add_change(plan *p, const char *addr)
{
    if (p->n == p->capchanges) {
        p->capchanges = p->capchanges ? 2 * p->capchanges : 64;
        p->changes = xrealloc(p->changes, p->capchanges * sizeof *p->changes);
    }
    plan_change *c = &p->changes[p->n++];
    memset(c, 0, sizeof *c);
    c->addr = xstrdup(addr);
    c->prior = val_null();
    c->planned = val_null();
    c->applied = val_invalid();
    return c;
}

static void change_free(plan_change *c)
{
    free(c->addr);
    free(c->res_addr);
    free(c->type);
    val_free(c->prior);
    val_free(c->planned);
    val_free(c->applied);
    val_free(c->before_refresh);
    for (size_t i = 0; i < c->nreplace; i++)
        free(c->replace_paths[i]);
    free(c->replace_paths);
    free(c->provider);
    for (size_t i = 0; i < c->ndeps; i++)
        free(c->deps[i]);
    free(c->deps);
    for (size_t i = 0; i < c->nnarrow; i++)
        free(c->narrow[i]);
    free(c->narrow);
    for (size_t i = 0; i < c->ninst_deps; i++)
        free(c->inst_deps[i]);
    free(c->inst_deps);
    free(c->reason);
    free(c->moved_from);
    free(c->import_id);
    free(c->deposed);
    free(c->label);
}

void plan_token(char *out, size_t size)
{
    unsigned char b[64];
    size_t n = (size - 1) / 2;
    if (n > sizeof b || RAND_bytes(b, (int)n) != 1)
        abort();
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    out[2 * n] = 0;
}

const char *plan_change_label(const plan_change *c)
{
    return c->label ? c->label : c->addr;
}

void plan_free(plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        change_free(&p->changes[i]);
    free(p->changes);
    for (size_t i = 0; i < p->noutputs; i++) {
        free(p->outputs[i].name);
        val_free(p->outputs[i].value);
        val_free(p->outputs[i].prior);
    }
    free(p->outputs);
    for (size_t i = 0; i < p->nnotes; i++)
        free(p->notes[i]);
    free(p->notes);
    free(p->lineage);
    free(p);
}

/* The resource address of an instance address (drops a trailing key). */
char *plan_res_addr(const char *addr)
{
    size_t n = strlen(addr);
    if (n && addr[n - 1] == ']') {
        int depth = 0, quoted = 0;
        for (size_t i = n; i > 0; i--) {
            char c = addr[i - 1];
            if (c == '"' && (i < 2 || addr[i - 2] != '\\'))
                quoted = !quoted;
            else if (!quoted && c == ']')
                depth++;
            else if (!quoted && c == '[' && --depth == 0)
                return xstrndup(addr, i - 1);
        }
    }
    return xstrdup(addr);
}

/* ---------------------------------------------------------------- proposed */

val plan_proposed(const prov_schema *s, const ty *st, val config, val prior, int replacing)
{
    val out = val_object_empty();
    int have_prior = val_is_valid(prior) && !val_is_null(prior) && !val_is_unknown(prior);
    for (size_t i = 0; i < s->nattrs; i++) {
        const prov_attr *a = &s->attrs[i];
        long ti = ty_attr_find(st, a->name);
        const ty *at = ti >= 0 ? ty_index(st, (size_t)ti) : ty_any();
        const val *cv = val_is_known_object(config) ? val_lookup(config, a->name) : NULL;
        const val *pv = have_prior ? val_lookup(prior, a->name) : NULL;
        val v;
        int settable = (a->flags & (PROV_REQUIRED | PROV_OPTIONAL)) != 0;
        if (settable && cv && (!val_is_null(*cv) || val_is_unknown(*cv)))
            v = val_copy(*cv);
        else if ((a->flags & PROV_COMPUTED) && !replacing && pv)
            v = val_copy(*pv);
        else if (a->flags & PROV_COMPUTED)
            v = val_unknown(ty_copy(at));
        else
            v = cv ? val_copy(*cv) : val_null_of(ty_copy(at));
        if ((a->flags & PROV_SENSITIVE) && !val_is_sensitive(v) && !val_is_null(v))
            v = val_mark(v, VAL_MARK_SENSITIVE);
        out = val_object_set(out, a->name, v);
    }
    for (size_t i = 0; i < s->nblocks; i++) {
        const char *name = s->blocks[i].type_name;
        const val *cv = val_is_known_object(config) ? val_lookup(config, name) : NULL;
        const val *pv = have_prior ? val_lookup(prior, name) : NULL;
        long ti = ty_attr_find(st, name);
        const ty *bt = ti >= 0 ? ty_index(st, (size_t)ti) : ty_any();
        val v;
        if ((s->blocks[i].flags & PROV_AS_ATTR) && (!cv || val_is_null(*cv)))
            v = pv && !val_is_null(*pv) && !replacing ? val_copy(*pv)
                                                          : val_unknown(ty_copy(bt));   /* unset */
        else
            v = cv ? val_copy(*cv) : val_null_of(ty_copy(bt));
        out = val_object_set(out, name, v);
    }
    val conv = val_convert(val_copy(out), st);
    if (val_is_valid(conv)) {
        val_free(out);
        return conv;
    }
    return out;
}

int val_is_known_object(val v)
{
    return val_is_valid(v) && !val_is_unknown(v) &&
           (val_kind(v) == VAL_OBJECT || val_kind(v) == VAL_MAP);
}

/* Attributes whose change forces replacement (appended to c). */
static void replace_paths(plan_change *c, const prov_schema *s, val prior, val planned)
{
    for (size_t i = 0; i < s->nattrs + s->nblocks; i++) {
        int attr = i < s->nattrs;
        unsigned flags = attr ? s->attrs[i].flags : s->blocks[i - s->nattrs].flags;
        const char *name = attr ? s->attrs[i].name : s->blocks[i - s->nattrs].type_name;
        if (!(flags & PROV_FORCE_NEW))
            continue;
        const val *a = val_lookup(prior, name), *b = val_lookup(planned, name);
        if (!a || !b)
            continue;
        if (val_is_unknown(*b) || !val_raw_equal(*a, *b)) {
            c->replace_paths = xrealloc(c->replace_paths,
                                        (c->nreplace + 1) * sizeof *c->replace_paths);
            c->replace_paths[c->nreplace++] = xstrdup(name);
        }
    }
}

/* ignore_changes: take the prior value of the listed attributes. */
static val apply_ignore(const cfg_resource *r, const prov_schema *s, val planned, val prior)
{
    if (!val_is_known_object(prior))
        return planned;
    for (size_t i = 0; i < s->nattrs + s->nblocks; i++) {
        const char *name = i < s->nattrs ? s->attrs[i].name : s->blocks[i - s->nattrs].type_name;
        int ign = r->ignore_all;
        for (size_t j = 0; !ign && j < r->nignore_changes; j++)
            ign = strcmp(r->ignore_changes[j], name) == 0;
        const val *pv = val_lookup(prior, name);
        if (ign && pv)
            planned = val_object_set(planned, name, val_copy(*pv));
    }
    return planned;
}

/* ---------------------------------------------------------------- compare */

/* Replacement paths the `plan` slot named (a tuple of paths, each a tuple
 * whose first step is the attribute), appended to c unless present. */
static void add_replace_paths(plan_change *c, val paths)
{
    if (!val_is_valid(paths) || val_is_null(paths) || val_is_unknown(paths))
        return;
    enum val_kind k = val_kind(paths);
    if (k != VAL_TUPLE && k != VAL_LIST && k != VAL_SET)
        return;
    for (size_t i = 0; i < val_len(paths); i++) {
        val path = *val_at(paths, i);
        enum val_kind pk = val_is_valid(path) && !val_is_null(path) ? val_kind(path) : VAL_NULL;
        if ((pk != VAL_TUPLE && pk != VAL_LIST) || val_len(path) == 0 ||
            val_kind(*val_at(path, 0)) != VAL_STRING)
            continue;
        const char *name = val_get_string(*val_at(path, 0));
        int have = 0;
        for (size_t j = 0; j < c->nreplace && !have; j++)
            have = strcmp(c->replace_paths[j], name) == 0;
        if (!have) {
            c->replace_paths = xrealloc(c->replace_paths,
                                        (c->nreplace + 1) * sizeof *c->replace_paths);
            c->replace_paths[c->nreplace++] = xstrdup(name);
        }
    }
}

/* The type's `plan` slot over proposed (consumed): *planned is the
 * provider's planned state (converted to the schema's type, sensitive
 * marks of proposed kept), or proposed itself when the type has no slot.
 * Replacement paths go to c when c is not NULL. */
static int provider_plan(plan_change *c, const prov_resource_type *rt, const ty *st,
                         val prior, val proposed, const plan_prov_call *pp, val *planned)
{
    *planned = proposed;
    if (!pp || !pp->inst || !rt->ops.plan || !val_is_known_object(proposed))
        return 0;
    val out = val_invalid(), paths = val_invalid();
    int rc = rt->ops.plan(pp->inst, pp->call, prior, proposed, &out, &paths, pp->pd);
    if (rc < 0) {
        val_free(out);
        val_free(paths);
        return rc;
    }
    val conv = val_is_valid(out) ? val_convert(out, st) : val_invalid();
    if (!val_is_valid(conv)) {
        val_free(paths);
        snprintf(pp->pd->summary, sizeof pp->pd->summary, "Provider produced an invalid plan");
        snprintf(pp->pd->detail, sizeof pp->pd->detail,
                 "The provider's plan for %s does not conform to the type's schema. This is a "
                 "bug in the provider.", rt->name);
        return CAIRN_EPROTO;
    }
    if (c)
        add_replace_paths(c, paths);
    val_free(paths);
    *planned = plan_remark(conv, proposed);
    val_free(proposed);
    return 0;
}

int plan_decide(plan_change *c, const cfg_resource *r, const prov_resource_type *rt,
                const ty *st, val config, int force_replace, const plan_prov_call *pp)
{
    const prov_schema *s = rt->schema;
    val prior = c->prior;
    val planned;
    if (val_is_null(prior)) {
        c->action = PLAN_CREATE;
        int rc = provider_plan(NULL, rt, st, prior, plan_proposed(s, st, config, prior, 0), pp,
                               &planned);
        c->planned = planned;
        return rc;
    }
    int rc = provider_plan(c, rt, st, prior,
                           apply_ignore(r, s, plan_proposed(s, st, config, prior, 0), prior),
                           pp, &planned);
    if (rc < 0) {
        c->planned = planned;
        return rc;
    }
    if (!force_replace && !c->nreplace && val_raw_equal(planned, prior)) {
        c->action = PLAN_NOOP;
        c->planned = planned;
        return 0;
    }
    replace_paths(c, s, prior, planned);
    if (force_replace || c->nreplace || !rt->ops.update) {
        /* Replacing plans the new object from nothing, as a create would. */
        val_free(planned);
        rc = provider_plan(NULL, rt, st, val_null(),
                           apply_ignore(r, s, plan_proposed(s, st, config, prior, 1), prior), pp,
                           &planned);
        c->action = r && r->create_before_destroy ? PLAN_REPLACE_CBD : PLAN_REPLACE;
        c->create_before_destroy = r && r->create_before_destroy;
    } else {
        c->action = PLAN_UPDATE;
    }
    c->planned = planned;
    return rc;
}

/* ---------------------------------------------------------------- targets */

int plan_addr_under(const char *addr, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(addr, prefix, n) == 0 && (addr[n] == 0 || addr[n] == '.' || addr[n] == '[');
}

void plan_apply_targets(plan *p, char **targets, size_t nt)
{
    char *keep = xcalloc(p->n + 1, 1);
    for (size_t i = 0; i < p->n; i++)
        for (size_t t = 0; t < nt; t++)
            if (plan_addr_under(p->changes[i].addr, targets[t]))
                keep[i] = 1;
    /* Dependencies of kept changes, to a fixed point. */
    for (int grew = 1; grew;) {
        grew = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (!keep[i])
                continue;
            for (size_t d = 0; d < p->changes[i].ndeps; d++)
                for (size_t j = 0; j < p->n; j++)
                    if (!keep[j] && strcmp(p->changes[j].res_addr, p->changes[i].deps[d]) == 0)
                        keep[j] = 1, grew = 1;
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (keep[i])
            p->changes[w++] = p->changes[i];
        else
            change_free(&p->changes[i]);
    }
    p->n = w;
    free(keep);
}

state_instance *plan_state_instance(const char *type, const char *provider,
                                    int schema_version, val attrs, char **deps, size_t ndeps)
{
    state_instance *si = state_instance_new();
    si->type = xstrdup(type);
    si->provider = xstrdup(provider ? provider : "");
    si->schema_version = schema_version;
    si->created = (int64_t)time(NULL);
    if (state_instance_set_attrs(si, attrs) < 0) {
        state_instance_free(si);
        return NULL;
    }
    for (size_t i = 0; i < ndeps; i++)
        state_instance_add_dep(si, deps[i]);
    return si;
}

/* ---------------------------------------------------------------- marks */

val plan_remark(val v, val from)
{
    if (!val_is_valid(v) || !val_is_valid(from) || val_is_unknown(v) || val_is_null(v))
        return v;
    if (val_is_sensitive(from))
        return val_is_sensitive(v) ? v : val_mark(v, VAL_MARK_SENSITIVE);
    if (val_is_unknown(from) || val_is_null(from) || !val_contains_sensitive(from))
        return v;
    enum val_kind k = val_kind(v);
    if (k == VAL_SET)
        return val_mark(v, VAL_MARK_SENSITIVE);   /* cty cannot address set elements */
    if ((k == VAL_OBJECT || k == VAL_MAP) && val_kind(from) == k) {
        val out = v;
        for (size_t i = 0; i < val_len(v); i++) {
            const char *key = val_key_at(v, i);
            const val *f = val_lookup(from, key);
            if (!f || !val_contains_sensitive(*f))
                continue;
            val nv = plan_remark(val_copy(*val_lookup(out, key)), *f);
            out = k == VAL_OBJECT ? val_object_set(out, key, nv) : val_map_set(out, key, nv);
        }
        return out;
    }
    if ((k == VAL_LIST || k == VAL_TUPLE) && val_kind(from) == k) {
        ty *vt = val_type(v);
        val out = k == VAL_LIST ? val_list_empty(ty_copy(ty_elem(vt))) : val_tuple_empty();
        ty_free(vt);
        for (size_t i = 0; i < val_len(v); i++) {
            val e = val_copy(*val_at(v, i));
            if (i < val_len(from))
                e = plan_remark(e, *val_at(from, i));
            out = k == VAL_LIST ? val_list_append(out, e) : val_tuple_append(out, e);
        }
        val_free(v);
        return out;
    }
    return v;
}
