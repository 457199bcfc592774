/*
 * engine/decode.c — block bodies to values against a schema (engine/decode.h).
 *
 * One pass over the body's items fills a slot per schema attribute and an
 * accumulator per schema block type (static blocks and dynamic expansions,
 * in source order); a second pass turns slots into values (defaults,
 * "Missing required argument") and accumulators into block values by
 * nesting mode (min/max, duplicates).  The body's value is always built,
 * with typed nulls where something failed, so that one run reports every
 * problem; decode_body drops it when an error was reported.
 *
 * Dynamic blocks are expanded by swapping ctx->resolve for a resolver that
 * answers ITER.key / ITER.value from the current element and delegates
 * everything else to the resolver it replaced; nested dynamic blocks chain
 * (the innermost scope is asked first, so it shadows outer ones).
 */
#include "engine/decode.h"

#include "lang/val_json.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct dec {
    eval_ctx *ctx;
    diag_list *diags;
    int depth;          /* nested blocks being decoded */
};

static void err(struct dec *d, srange r, const char *summary, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err(struct dec *d, srange r, const char *summary, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(d->diags, DIAG_ERROR, r, summary, fmt, ap);
    va_end(ap);
}

/* An error whose summary names a block type ("Too many ingress blocks"):
 * summary_fmt has one %s. */
static void err_typed(struct dec *d, srange r, const char *summary_fmt, const char *type,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void err_typed(struct dec *d, srange r, const char *summary_fmt, const char *type,
                      const char *fmt, ...)
{
    char *summary = xasprintf(summary_fmt, type);
    va_list ap;
    va_start(ap, fmt);
    diag_addv(d->diags, DIAG_ERROR, r, summary, fmt, ap);
    va_end(ap);
    free(summary);
}

/* HCL's way of naming a place in a message: "main.tf:3,5-12". */
static void range_str(srange r, char *out, size_t n)
{
    if (!r.file) {
        snprintf(out, n, "(unknown)");
        return;
    }
    int l0, c0, l1, c1;
    src_pos(r.file, r.start, &l0, &c0);
    src_pos(r.file, r.end, &l1, &c1);
    if (l0 == l1)
        snprintf(out, n, "%s:%d,%d-%d", r.file->name, l0, c0, c1);
    else
        snprintf(out, n, "%s:%d,%d-%d,%d", r.file->name, l0, c0, l1, c1);
}

/* A block's header: its type through its last label (HCL's DefRange). */
static srange def_range(const ast_block *b)
{
    srange r = b->type.range;
    if (b->nlabels)
        r.end = b->labels[b->nlabels - 1].range.end;
    return r;
}

/* ---------------------------------------------------------------- did you mean */

static size_t levenshtein(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[DECODE_SUGGEST_MAX + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

void decode_suggest(const char *name, const char *const *candidates, size_t n, char *out,
                    size_t outsz)
{
    out[0] = 0;
    size_t nl = strlen(name);
    if (nl > DECODE_SUGGEST_MAX)
        return;
    size_t best = 3;   /* Terraform suggests only below this distance */
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        size_t cl = c ? strlen(c) : 0;
        if (!c || cl > DECODE_SUGGEST_MAX)
            continue;
        size_t dist = levenshtein(name, nl, c, cl);
        if (dist < best) {
            best = dist;
            snprintf(out, outsz, "%s", c);
        }
    }
}

/* " Did you mean \"x\"?" (written into buf) for the closest candidate, or
 * "" when none is close. */
static const char *did_you_mean(const char *name, const char *const *cands, size_t n,
                                char *buf, size_t bufsz)
{
    char best[DECODE_SUGGEST_MAX + 1];
    decode_suggest(name, cands, n, best, sizeof best);
    if (!best[0])
        return "";
    snprintf(buf, bufsz, " Did you mean \"%s\"?", best);
    return buf;
}

/* ---------------------------------------------------------------- schema lookups */

static const char *const meta_attrs[] = {"count", "for_each", "depends_on", "provider", NULL};
static const char *const meta_resource_blocks[] = {"lifecycle", "provisioner", "connection",
                                                   "timeouts", NULL};
static const char *const meta_data_blocks[] = {"lifecycle", NULL};
static const char *const meta_provider_attrs[] = {"alias", "version", NULL};

static int in_list(const char *const *l, const char *name)
{
    for (; *l; l++)
        if (strcmp(*l, name) == 0)
            return 1;
    return 0;
}

static int is_meta(const char *name, int block, unsigned flags)
{
    if (flags & (DECODE_RESOURCE | DECODE_DATA)) {
        if (!block && in_list(meta_attrs, name))
            return 1;
        const char *const *blocks =
            flags & DECODE_RESOURCE ? meta_resource_blocks : meta_data_blocks;
        if (block && in_list(blocks, name))
            return 1;
    }
    return (flags & DECODE_PROVIDER) && !block && in_list(meta_provider_attrs, name);
}

static long find_attr(const prov_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nattrs; i++)
        if (strcmp(s->attrs[i].name, name) == 0)
            return (long)i;
    return -1;
}

static long find_block(const prov_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (strcmp(s->blocks[i].type_name, name) == 0)
            return (long)i;
    return -1;
}

static int settable(const prov_attr *a)
{
    return (a->flags & (PROV_REQUIRED | PROV_OPTIONAL)) != 0;
}

/* The type of member `name` of object type obj (any when missing, which
 * only a schema_type that does not match its schema can cause). */
static const ty *member_ty(const ty *obj, const char *name)
{
    long i = ty_kind(obj) == TY_OBJECT ? ty_attr_find(obj, name) : -1;
    return i < 0 ? ty_any() : ty_index(obj, (size_t)i);
}

/* The object type of one block of type b inside object type obj. */
static const ty *block_obj_ty(const ty *obj, const prov_block *b)
{
    const ty *t = member_ty(obj, b->type_name);
    if (b->nesting == PROV_NEST_SINGLE || ty_kind(t) == TY_ANY)
        return t;
    return ty_elem(t);
}

/* ---------------------------------------------------------------- unsupported names */

static void unsupported_arg(struct dec *d, const char *name, srange r, const prov_schema *s)
{
    if (find_block(s, name) >= 0) {
        err(d, r, "Unsupported argument", "An argument named \"%s\" is not expected here. "
            "Did you mean to define a block of type \"%s\"?", name, name);
        return;
    }
    const char **cands = xcalloc(s->nattrs ? s->nattrs : 1, sizeof *cands);
    for (size_t i = 0; i < s->nattrs; i++)
        cands[i] = settable(&s->attrs[i]) ? s->attrs[i].name : NULL;
    char buf[DECODE_SUGGEST_MAX + 32];
    err(d, r, "Unsupported argument", "An argument named \"%s\" is not expected here.%s", name,
        did_you_mean(name, cands, s->nattrs, buf, sizeof buf));
    free(cands);
}

static void unsupported_block(struct dec *d, const char *name, srange r, const prov_schema *s)
{
    if (find_attr(s, name) >= 0) {
        err(d, r, "Unsupported block type", "Blocks of type \"%s\" are not expected here. Did "
            "you mean to define argument \"%s\"? If so, use the equals sign to assign it a "
            "value.", name, name);
        return;
    }
    const char **cands = xcalloc(s->nblocks ? s->nblocks : 1, sizeof *cands);
    for (size_t i = 0; i < s->nblocks; i++)
        cands[i] = s->blocks[i].type_name;
    char buf[DECODE_SUGGEST_MAX + 32];
    err(d, r, "Unsupported block type", "Blocks of type \"%s\" are not expected here.%s", name,
        did_you_mean(name, cands, s->nblocks, buf, sizeof buf));
    free(cands);
}

/* Check that a block has `want` labels (0 or 1, named label_name).
 * Returns 0, or -1 after a diagnostic. */
static int check_labels(struct dec *d, const ast_block *b, size_t want, const char *label_name)
{
    const char *type = b->type.s;
    if (b->nlabels > want) {
        if (want == 0)
            err_typed(d, b->labels[0].range, "Extraneous label for %s", type,
                      "No labels are expected for %s blocks.", type);
        else
            err_typed(d, b->labels[want].range, "Extraneous label for %s", type,
                      "Only %zu labels (%s) are expected for %s blocks.", want, label_name,
                      type);
        return -1;
    }
    if (b->nlabels < want) {
        char summary[64];
        snprintf(summary, sizeof summary, "Missing %s for %%s", label_name);
        err_typed(d, b->open_brace, summary, type, "All %s blocks must have %zu labels (%s).",
                  type, want, label_name);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- block accumulators */

struct item {
    val v;          /* the block's object (owned until taken) */
    char *key;      /* MAP: its label (owned); else NULL */
    srange def;     /* where it was written */
};

struct acc {
    struct item *v;
    size_t n, cap;
    int unknown;    /* a dynamic block with an unknown for_each contributed */
    val assigned;   /* PROV_AS_ATTR: the argument's value; invalid when not assigned */
    srange assigned_at;
};

/* Append v (consumed) with a copy of key. */
static void acc_add(struct acc *a, val v, const char *key, srange def)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 4;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = (struct item){v, key ? xstrdup(key) : NULL, def};
}

static void acc_free(struct acc *a)
{
    for (size_t i = 0; i < a->n; i++) {
        val_free(a->v[i].v);
        free(a->v[i].key);
    }
    free(a->v);
    if (val_is_valid(a->assigned))
        val_free(a->assigned);
}

/* Take item i's value out of the accumulator. */
static val acc_take(struct acc *a, size_t i)
{
    val v = a->v[i].v;
    a->v[i].v = val_invalid();
    return v;
}

/* ---------------------------------------------------------------- block values */

/* min_items / max_items and SINGLE's duplicates, as hcldec reports them. */
static void check_count(struct dec *d, const prov_block *b, const struct acc *a, srange open)
{
    const char *t = b->type_name;
    char where[512];
    if (b->nesting == PROV_NEST_SINGLE) {
        if (a->n > 1) {
            range_str(a->v[0].def, where, sizeof where);
            err_typed(d, a->v[1].def, "Duplicate %s block", t,
                      "Only one %s block is allowed. Another was defined at %s.", t, where);
        } else if (a->n == 0 && b->min_items > 0) {
            err_typed(d, open, "Missing %s block", t, "A block of type \"%s\" is required here.",
                      t);
        }
        return;
    }
    if (b->max_items > 0 && a->n > (size_t)b->max_items)
        err_typed(d, a->v[b->max_items].def, "Too many %s blocks", t,
                  "No more than %d \"%s\" blocks are allowed", b->max_items, t);
    else if (a->n < (size_t)b->min_items)
        err_typed(d, open, "Insufficient %s blocks", t, "At least %d \"%s\" blocks are required.",
                  b->min_items, t);
}

/* A value failed to go into a collection: only a schema_type that does not
 * match its schema gets here.  Reported, and a typed null stands in. */
static val collection_failed(struct dec *d, const prov_block *b, const ty *t, srange open)
{
    err(d, open, "Invalid block value", "The %s blocks could not be combined: %s.", b->type_name,
        err_msg());
    return val_null_of(ty_copy(t));
}

/* LIST / SET: every block in order.  A list whose object type contains
 * `any` becomes a tuple, as Terraform does (its elements may differ). */
static val seq_value(struct dec *d, const prov_block *b, struct acc *a, const ty *t, srange open)
{
    int set = b->nesting == PROV_NEST_SET;
    const ty *elem = ty_kind(t) == TY_ANY ? t : ty_elem(t);
    int tuple = !set && ty_has_any(elem);
    val out = set ? val_set_empty(ty_copy(elem))
              : tuple ? val_tuple_empty() : val_list_empty(ty_copy(elem));
    for (size_t i = 0; i < a->n && val_is_valid(out); i++) {
        val v = acc_take(a, i);
        out = set ? val_set_add(out, v) : tuple ? val_tuple_append(out, v)
                                                : val_list_append(out, v);
    }
    return val_is_valid(out) ? out : collection_failed(d, b, t, open);
}

/* MAP: blocks keyed by their label; a label used twice is an error. */
static val map_value(struct dec *d, const prov_block *b, struct acc *a, const ty *t, srange open)
{
    const ty *elem = ty_kind(t) == TY_ANY ? t : ty_elem(t);
    int object = ty_has_any(elem);
    val out = object ? val_object_empty() : val_map_empty(ty_copy(elem));
    for (size_t i = 0; i < a->n && val_is_valid(out); i++) {
        const val *have = val_lookup(out, a->v[i].key);
        if (have) {
            char where[512];
            size_t j = 0;
            while (strcmp(a->v[j].key, a->v[i].key) != 0)
                j++;
            range_str(a->v[j].def, where, sizeof where);
            err_typed(d, a->v[i].def, "Duplicate %s block", b->type_name,
                      "Only one %s block with the label \"%s\" is allowed. Another was defined "
                      "at %s.", b->type_name, a->v[i].key, where);
            continue;
        }
        val v = acc_take(a, i);
        out = object ? val_object_set(out, a->v[i].key, v) : val_map_set(out, a->v[i].key, v);
    }
    return val_is_valid(out) ? out : collection_failed(d, b, t, open);
}

/* A PROV_AS_ATTR block type assigned as an argument: that value, unless
 * blocks of the type were written too. */
static val assigned_value(struct dec *d, const prov_block *b, const ty *t, struct acc *a)
{
    if (a->n == 0 && !a->unknown) {
        val v = a->assigned;
        a->assigned = val_invalid();
        return v;
    }
    char where[512];
    range_str(a->assigned_at, where, sizeof where);
    err_typed(d, a->n ? a->v[0].def : a->assigned_at, "Duplicate %s definition", b->type_name,
              "\"%s\" is set as an argument at %s; it cannot also be written as blocks.",
              b->type_name, where);
    return val_null_of(ty_copy(t));
}

/* The value of block type b (t is its member type in the parent object).
 * A PROV_AS_ATTR type with neither blocks nor the argument is null. */
static val block_value(struct dec *d, const prov_block *b, const ty *t, struct acc *a,
                       srange open)
{
    if (val_is_valid(a->assigned))
        return assigned_value(d, b, t, a);
    if (a->unknown)
        return val_unknown(ty_copy(t));
    if ((b->flags & PROV_AS_ATTR) && a->n == 0)
        return val_null_of(ty_copy(t));
    check_count(d, b, a, open);
    switch (b->nesting) {
    case PROV_NEST_SINGLE:
        return a->n ? acc_take(a, 0) : val_null_of(ty_copy(t));
    case PROV_NEST_LIST:
    case PROV_NEST_SET:
        return seq_value(d, b, a, t, open);
    case PROV_NEST_MAP:
        return map_value(d, b, a, t, open);
    }
    return val_null_of(ty_copy(t));
}

/* ---------------------------------------------------------------- attributes */

/* Evaluate attribute a (schema attribute pa, type t).  Failures are
 * reported and give a typed null. */
static val attr_eval(struct dec *d, const ast_attr *a, const prov_attr *pa, const ty *t)
{
    val v = eval_expr(d->ctx, a->expr);
    if (!val_is_valid(v))
        return val_null_of(ty_copy(t));
    v = val_convert(v, t);
    if (!val_is_valid(v)) {
        err(d, a->expr->range, "Incorrect attribute value type",
            "Inappropriate value for attribute \"%s\": %s.", pa->name, err_msg());
        return val_null_of(ty_copy(t));
    }
    if (val_is_null(v) && (pa->flags & PROV_REQUIRED))
        err(d, a->expr->range, "Missing required argument",
            "The argument \"%s\" is required, but was set to null.", pa->name);
    return v;
}

/* A PROV_AS_ATTR block type written as an argument (`ingress = []`): its
 * value, converted to the blocks' collection type, into acc. */
static void block_as_attr(struct dec *d, const ast_attr *a, const prov_block *b, const ty *t,
                          struct acc *acc)
{
    val v = eval_expr(d->ctx, a->expr);
    if (!val_is_valid(v))
        return;
    v = val_convert(v, t);
    if (!val_is_valid(v)) {
        err(d, a->expr->range, "Incorrect attribute value type",
            "Inappropriate value for attribute \"%s\": %s.", b->type_name, err_msg());
        return;
    }
    acc->assigned = v;
    acc->assigned_at = a->name.range;
}

/* One attribute of the body into its slot (vals[i]); a PROV_AS_ATTR block
 * type written as an argument into its accumulator. */
static void attr_item(struct dec *d, const ast_attr *a, const prov_schema *s, const ty *type,
                      val *vals, struct acc *accs, unsigned flags)
{
    const char *name = a->name.s;
    if (is_meta(name, 0, flags))
        return;
    long i = find_attr(s, name);
    long j = i < 0 ? find_block(s, name) : -1;
    if (j >= 0 && (s->blocks[j].flags & PROV_AS_ATTR)) {
        block_as_attr(d, a, &s->blocks[j], member_ty(type, name), &accs[j]);
        return;
    }
    if (i < 0) {
        unsupported_arg(d, name, a->name.range, s);
        return;
    }
    const prov_attr *pa = &s->attrs[i];
    if (!settable(pa)) {
        err(d, a->name.range, "Unsupported argument",
            "The argument \"%s\" is read-only (computed by the provider).", name);
        return;
    }
    vals[i] = attr_eval(d, a, pa, member_ty(type, name));
}

/* The value of schema attribute pa: v when it was set (consumed), else its
 * default or null ("Missing required argument" when it is REQUIRED). */
static val attr_final(struct dec *d, const prov_attr *pa, const ty *t, val v, srange open)
{
    if (!val_is_valid(v) && (pa->flags & PROV_REQUIRED))
        err(d, open, "Missing required argument",
            "The argument \"%s\" is required, but no definition was found.", pa->name);
    if (!val_is_valid(v) && pa->default_json) {
        v = val_from_json(pa->default_json, strlen(pa->default_json));
        v = val_is_valid(v) ? val_convert(v, t) : v;   /* plugin_load checked both */
    }
    if (!val_is_valid(v))
        v = val_null_of(ty_copy(t));
    if ((pa->flags & PROV_SENSITIVE) && !val_is_null(v))
        v = val_mark(v, VAL_MARK_SENSITIVE);
    return v;
}

/* ---------------------------------------------------------------- bodies */

static val body_decode(struct dec *d, const ast_body *body, srange open, const prov_schema *s,
                       const ty *type, unsigned flags);
static void dynamic_block(struct dec *d, const ast_block *blk, const prov_schema *s,
                          const ty *type, struct acc *accs);

/* A nested block's body, with the depth limit. */
static val nested_body(struct dec *d, const ast_block *blk, const prov_block *b,
                       const ty *obj_ty)
{
    if (d->depth >= DECODE_MAX_DEPTH) {
        err(d, blk->open_brace, "Blocks nested too deeply",
            "Blocks may be nested at most %d levels deep (DECODE_MAX_DEPTH).", DECODE_MAX_DEPTH);
        return val_null_of(ty_copy(obj_ty));
    }
    d->depth++;
    val v = body_decode(d, blk->body, blk->open_brace, b->schema, obj_ty, 0);
    d->depth--;
    return v;
}

static void block_item(struct dec *d, const ast_block *blk, const prov_schema *s,
                       const ty *type, struct acc *accs, unsigned flags)
{
    const char *name = blk->type.s;
    if (is_meta(name, 1, flags))
        return;
    if (strcmp(name, "dynamic") == 0) {
        dynamic_block(d, blk, s, type, accs);
        return;
    }
    long j = find_block(s, name);
    if (j < 0) {
        unsupported_block(d, name, blk->type.range, s);
        return;
    }
    const prov_block *b = &s->blocks[j];
    int map = b->nesting == PROV_NEST_MAP;
    if (check_labels(d, blk, map ? 1 : 0, "name") < 0)
        return;
    val v = nested_body(d, blk, b, block_obj_ty(type, b));
    acc_add(&accs[j], v, map ? blk->labels[0].s : NULL, def_range(blk));
}

/* Decode body against s into an object of type `type` (always a value:
 * typed nulls where something failed). */
static val body_decode(struct dec *d, const ast_body *body, srange open, const prov_schema *s,
                       const ty *type, unsigned flags)
{
    val *vals = xcalloc(s->nattrs ? s->nattrs : 1, sizeof *vals);   /* VAL_INVALID: unset */
    struct acc *accs = xcalloc(s->nblocks ? s->nblocks : 1, sizeof *accs);
    for (size_t i = 0; body && i < body->n; i++) {
        const ast_item *it = &body->items[i];
        if (it->kind == AST_ITEM_ATTR)
            attr_item(d, it->u.attr, s, type, vals, accs, flags);
        else
            block_item(d, it->u.block, s, type, accs, flags);
    }
    val obj = val_object_empty();
    for (size_t i = 0; i < s->nattrs; i++) {
        const prov_attr *pa = &s->attrs[i];
        obj = val_object_set(obj, pa->name, attr_final(d, pa, member_ty(type, pa->name),
                                                       vals[i], open));
    }
    for (size_t j = 0; j < s->nblocks; j++) {
        const prov_block *b = &s->blocks[j];
        obj = val_object_set(obj, b->type_name, block_value(d, b, member_ty(type, b->type_name),
                                                            &accs[j], open));
        acc_free(&accs[j]);
    }
    free(vals);
    free(accs);
    return obj;
}

val decode_body(const ast_body *body, const prov_schema *schema, const ty *schema_type,
                srange block_range, eval_ctx *ctx, unsigned flags, diag_list *diags)
{
    diag_list *saved = ctx->diags;
    ctx->diags = diags;
    size_t errors = diags->nerrors;
    struct dec d = {ctx, diags, 0};
    val v = body_decode(&d, body, block_range, schema, schema_type, flags);
    ctx->diags = saved;
    if (diags->nerrors > errors) {
        val_free(v);
        return val_invalid();
    }
    return v;
}

/* ---------------------------------------------------------------- dynamic blocks */

/* The iterator's scope while one generated block is decoded. */
struct dyn_scope {
    const char *iter;
    val key, value;             /* borrowed */
    eval_resolve_fn outer;      /* the resolver this one wraps */
    void *outer_payload;
};

static int dyn_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    const struct dyn_scope *sc = payload;
    int mine = (ref->kind == EVAL_REF_RESOURCE && strcmp(ref->type, sc->iter) == 0) ||
               (ref->kind == EVAL_REF_EACH && strcmp(sc->iter, "each") == 0);
    if (!mine)
        return sc->outer ? sc->outer(ref, out, diags, sc->outer_payload) : CAIRN_ENOTFOUND;
    if (strcmp(ref->name, "key") == 0) {
        *out = val_copy(sc->key);
    } else if (strcmp(ref->name, "value") == 0) {
        *out = val_copy(sc->value);
    } else {
        diag_add(diags, DIAG_ERROR, ref->range, "Unsupported attribute",
                 "This object does not have an attribute named \"%s\".", ref->name);
        return CAIRN_EDIAG;
    }
    return 0;
}

/* What a dynamic block's body says. */
struct dyn_spec {
    const ast_block *blk;
    const ast *for_each, *labels;
    const char *iter;
    srange iter_range;
    const ast_block *content;
};

/* Names the evaluator reads as reference roots other than resources: an
 * iterator so named could not be told apart from them.  (`each` can:
 * EVAL_REF_EACH has exactly key and value.) */
static const char *const reserved_roots[] = {"var", "local", "module", "data", "count",
                                             "path", "terraform", "self", NULL};

static int dyn_iterator(struct dec *d, const ast_attr *a, struct dyn_spec *sp)
{
    if (a->expr->kind != AST_VARIABLE) {
        err(d, a->expr->range, "Invalid dynamic iterator name",
            "Dynamic iterator must be a single variable name.");
        return -1;
    }
    sp->iter = a->expr->u.var.s;
    sp->iter_range = a->expr->range;
    return 0;
}

static int dyn_attr(struct dec *d, const ast_attr *a, struct dyn_spec *sp)
{
    static const char *const names[] = {"for_each", "iterator", "labels"};
    const char *n = a->name.s;
    if (strcmp(n, "for_each") == 0) {
        sp->for_each = a->expr;
    } else if (strcmp(n, "labels") == 0) {
        sp->labels = a->expr;
    } else if (strcmp(n, "iterator") == 0) {
        return dyn_iterator(d, a, sp);
    } else {
        char buf[DECODE_SUGGEST_MAX + 32];
        err(d, a->name.range, "Unsupported argument",
            "An argument named \"%s\" is not expected here.%s", n,
            did_you_mean(n, names, 3, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int dyn_block(struct dec *d, const ast_block *b, struct dyn_spec *sp)
{
    static const char *const names[] = {"content"};
    if (strcmp(b->type.s, "content") != 0) {
        char buf[DECODE_SUGGEST_MAX + 32];
        err(d, b->type.range, "Unsupported block type",
            "Blocks of type \"%s\" are not expected here.%s", b->type.s,
            did_you_mean(b->type.s, names, 1, buf, sizeof buf));
        return -1;
    }
    if (sp->content) {
        err(d, def_range(b), "Extraneous dynamic block content",
            "Each dynamic block may have only one \"content\" block.");
        return -1;
    }
    sp->content = b;
    return check_labels(d, b, 0, "name");
}

/* Read a dynamic block's body into *sp; 0, or -1 after diagnostics. */
static int dyn_parse(struct dec *d, const ast_block *blk, struct dyn_spec *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->blk = blk;
    sp->iter = blk->labels[0].s;
    sp->iter_range = blk->labels[0].range;
    int rc = 0;
    for (size_t i = 0; blk->body && i < blk->body->n; i++) {
        const ast_item *it = &blk->body->items[i];
        int r = it->kind == AST_ITEM_ATTR ? dyn_attr(d, it->u.attr, sp)
                                          : dyn_block(d, it->u.block, sp);
        rc = r < 0 ? -1 : rc;
    }
    if (!sp->for_each) {
        err(d, blk->open_brace, "Missing required argument",
            "The argument \"for_each\" is required, but no definition was found.");
        rc = -1;
    }
    if (!sp->content) {
        err(d, def_range(blk), "Missing dynamic content block",
            "A dynamic block must have a nested block of type \"content\" to describe the body "
            "of each generated block.");
        rc = -1;
    }
    if (in_list(reserved_roots, sp->iter)) {
        err(d, sp->iter_range, "Invalid dynamic iterator name",
            "The name \"%s\" is a reference root (var, local, module, data, count, path, "
            "terraform, self) and cannot name a dynamic block iterator.", sp->iter);
        rc = -1;
    }
    return rc;
}

/* for_each must be a known, non-null collection. */
static int check_iterable(struct dec *d, val coll, srange r)
{
    if (val_is_null(coll)) {
        err(d, r, "Invalid dynamic for_each value", "Cannot use a null value in for_each.");
        return -1;
    }
    switch (val_kind(coll)) {
    case VAL_LIST: case VAL_SET: case VAL_TUPLE: case VAL_MAP: case VAL_OBJECT:
        return 0;
    default:
        break;
    }
    ty *t = val_type(coll);
    char *name = ty_friendly_name(t, 0);
    err(d, r, "Invalid dynamic for_each value",
        "Cannot use a %s value in for_each. An iterable collection is required.", name);
    free(name);
    ty_free(t);
    return -1;
}

/* The generated block's label into *label (owned; NULL when none is
 * wanted).  Returns 0, 1 when a label is not known yet, -1 after a
 * diagnostic. */
static int dyn_label(struct dec *d, const struct dyn_spec *sp, const prov_block *b,
                     char **label)
{
    size_t want = b->nesting == PROV_NEST_MAP;
    *label = NULL;
    if (!sp->labels) {
        if (!want)
            return 0;
        err_typed(d, sp->blk->open_brace, "Missing name for %s", b->type_name,
                  "All %s blocks must have 1 labels (name): set labels = [...] in the dynamic "
                  "block.", b->type_name);
        return -1;
    }
    val v = eval_expr(d->ctx, sp->labels);
    if (!val_is_valid(v))
        return -1;
    ty *lt = ty_list(ty_string());
    v = val_convert(v, lt);
    ty_free(lt);
    int rc = 0;
    if (!val_is_valid(v)) {
        err(d, sp->labels->range, "Invalid dynamic block labels",
            "The labels of a dynamic block must be a list of strings: %s.", err_msg());
        rc = -1;
    } else if (!val_is_wholly_known(v)) {
        rc = 1;
    } else if (val_len(v) != want) {
        err_typed(d, sp->labels->range, "Wrong number of labels for %s", b->type_name,
                  "%s blocks have %zu labels; this dynamic block gives %zu.", b->type_name,
                  want, val_len(v));
        rc = -1;
    } else if (want && val_is_null(*val_at(v, 0))) {
        err(d, sp->labels->range, "Invalid dynamic block label",
            "Cannot use a null value as a dynamic block label.");
        rc = -1;
    } else if (want) {
        *label = xstrdup(val_get_string(*val_at(v, 0)));
    }
    val_free(v);
    return rc;
}

/* Decode one generated block with the iterator bound to key and value
 * (borrowed). */
static void dyn_one(struct dec *d, const struct dyn_spec *sp, const prov_block *b,
                    const ty *obj_ty, val key, val value, struct acc *a)
{
    struct dyn_scope sc = {sp->iter, key, value, d->ctx->resolve, d->ctx->payload};
    d->ctx->resolve = dyn_resolve;
    d->ctx->payload = &sc;
    char *label = NULL;
    int rc = dyn_label(d, sp, b, &label);
    if (rc == 0)
        acc_add(a, nested_body(d, sp->content, b, obj_ty), label, def_range(sp->blk));
    else if (rc > 0)
        a->unknown = 1;
    d->ctx->resolve = sc.outer;
    d->ctx->payload = sc.outer_payload;
    free(label);
}

/* Element i of collection coll: its key (index for lists and tuples, the
 * element itself for sets) and value, both owned and carrying the
 * collection's sensitive mark. */
static void element(val coll, size_t i, val *key, val *value)
{
    unsigned sens = val_marks(coll) & VAL_MARK_SENSITIVE;
    *value = val_copy(*val_at(coll, i));
    switch (val_kind(coll)) {
    case VAL_MAP: case VAL_OBJECT:
        *key = val_string(val_key_at(coll, i));
        break;
    case VAL_SET:
        *key = val_copy(*value);
        break;
    default:
        *key = val_number((double)i);
        break;
    }
    *key = val_mark(*key, sens);
    *value = val_mark(*value, sens);
}

static void dynamic_block(struct dec *d, const ast_block *blk, const prov_schema *s,
                          const ty *type, struct acc *accs)
{
    if (check_labels(d, blk, 1, "type") < 0)
        return;
    const char *name = blk->labels[0].s;
    long j = find_block(s, name);
    if (j < 0) {
        unsupported_block(d, name, blk->labels[0].range, s);
        return;
    }
    struct dyn_spec sp;
    if (dyn_parse(d, blk, &sp) < 0)
        return;
    const prov_block *b = &s->blocks[j];
    val coll = eval_expr(d->ctx, sp.for_each);
    if (!val_is_valid(coll))
        return;
    if (val_is_unknown(coll)) {
        accs[j].unknown = 1;
    } else if (check_iterable(d, coll, sp.for_each->range) == 0) {
        for (size_t i = 0; i < val_len(coll); i++) {
            val key, value;
            element(coll, i, &key, &value);
            dyn_one(d, &sp, b, block_obj_ty(type, b), key, value, &accs[j]);
            val_free(key);
            val_free(value);
        }
    }
    val_free(coll);
}

/* ---------------------------------------------------------------- references */

struct refscope {
    eval_ref_cb cb;
    void *payload;
    const char *iters[DECODE_MAX_DEPTH];   /* dynamic iterators in scope */
    size_t n;
};

static void ref_filter(const eval_ref *r, void *payload)
{
    const struct refscope *rs = payload;
    for (size_t i = 0; i < rs->n; i++) {
        if (r->kind == EVAL_REF_RESOURCE && strcmp(r->type, rs->iters[i]) == 0)
            return;
        if (r->kind == EVAL_REF_EACH && strcmp(rs->iters[i], "each") == 0)
            return;
    }
    rs->cb(r, rs->payload);
}

static void refs_body(struct refscope *rs, const ast_body *b, unsigned flags, int depth);

static void refs_dynamic(struct refscope *rs, const ast_block *blk, int depth)
{
    const ast_attr *fe = ast_body_attr(blk->body, "for_each");
    if (fe)
        eval_refs(fe->expr, ref_filter, rs);
    const ast_attr *it = ast_body_attr(blk->body, "iterator");
    const char *iter = it && it->expr->kind == AST_VARIABLE ? it->expr->u.var.s
                       : blk->nlabels ? blk->labels[0].s : NULL;
    size_t saved = rs->n;
    if (iter && rs->n < DECODE_MAX_DEPTH)
        rs->iters[rs->n++] = iter;
    const ast_attr *labels = ast_body_attr(blk->body, "labels");
    if (labels)
        eval_refs(labels->expr, ref_filter, rs);
    for (size_t i = 0; i < blk->body->n; i++) {
        const ast_item *x = &blk->body->items[i];
        if (x->kind == AST_ITEM_BLOCK && strcmp(x->u.block->type.s, "content") == 0)
            refs_body(rs, x->u.block->body, 0, depth + 1);
    }
    rs->n = saved;
}

static void refs_body(struct refscope *rs, const ast_body *b, unsigned flags, int depth)
{
    if (!b || depth > DECODE_MAX_DEPTH)
        return;
    for (size_t i = 0; i < b->n; i++) {
        const ast_item *it = &b->items[i];
        if (it->kind == AST_ITEM_ATTR) {
            if (!is_meta(it->u.attr->name.s, 0, flags))
                eval_refs(it->u.attr->expr, ref_filter, rs);
        } else if (is_meta(it->u.block->type.s, 1, flags)) {
            continue;
        } else if (strcmp(it->u.block->type.s, "dynamic") == 0) {
            if (it->u.block->body)
                refs_dynamic(rs, it->u.block, depth);
        } else {
            refs_body(rs, it->u.block->body, 0, depth + 1);
        }
    }
}

void decode_refs(const ast_body *body, unsigned flags, eval_ref_cb cb, void *payload)
{
    struct refscope rs;
    rs.cb = cb;
    rs.payload = payload;
    rs.n = 0;
    refs_body(&rs, body, flags, 0);
}

/* ---------------------------------------------------------------- durations */

static int bad_duration(const char *orig)
{
    return err_set(CAIRN_EINVAL, "time: invalid duration \"%s\"", orig);
}

/* Nanoseconds per unit u[0..n), or 0 for an unknown unit. */
static uint64_t unit_ns(const char *u, size_t n)
{
    static const struct { const char *name; uint64_t ns; } units[] = {
        {"ns", 1ull}, {"us", 1000ull}, {"\xc2\xb5s", 1000ull}, {"\xce\xbcs", 1000ull},
        {"ms", 1000000ull}, {"s", 1000000000ull}, {"m", 60000000000ull},
        {"h", 3600000000000ull},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && memcmp(units[i].name, u, n) == 0)
            return units[i].ns;
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* One "<number><unit>" step of a duration at *sp, added to *total (ns). */
static int duration_step(const char **sp, const char *orig, uint64_t *total)
{
    const char *s = *sp;
    const uint64_t max = 1ull << 63;   /* Go's limit: int64 nanoseconds */
    uint64_t v = 0, f = 0, scale = 1;
    int pre = 0, post = 0;
    for (; is_digit(*s); s++, pre = 1) {
        if (v > (max - 9) / 10)
            return bad_duration(orig);
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (*s == '.') {
        for (s++; is_digit(*s); s++, post = 1) {
            if (scale < 1000000000000000000ull) {   /* further digits cannot matter */
                f = f * 10 + (uint64_t)(*s - '0');
                scale *= 10;
            }
        }
    }
    if (!pre && !post)
        return bad_duration(orig);
    const char *u = s;
    while (*s && *s != '.' && !is_digit(*s))
        s++;
    if (u == s)
        return err_set(CAIRN_EINVAL, "time: missing unit in duration \"%s\"", orig);
    uint64_t unit = unit_ns(u, (size_t)(s - u));
    if (!unit) {
        char *name = xstrndup(u, (size_t)(s - u));
        err_set(CAIRN_EINVAL, "time: unknown unit \"%s\" in duration \"%s\"", name, orig);
        free(name);
        return CAIRN_EINVAL;
    }
    if (v > max / unit)
        return bad_duration(orig);
    v = v * unit + (uint64_t)((double)f * ((double)unit / (double)scale));
    if (v > max || *total > max - v)
        return bad_duration(orig);
    *total += v;
    *sp = s;
    return 0;
}

int decode_duration(const char *orig, uint64_t *ms)
{
    const char *s = orig;
    *ms = 0;
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if (strcmp(s, "0") == 0)
        return 0;
    if (!*s)
        return bad_duration(orig);
    uint64_t total = 0;
    while (*s) {
        if (*s != '.' && !is_digit(*s))
            return bad_duration(orig);
        int rc = duration_step(&s, orig, &total);
        if (rc < 0)
            return rc;
    }
    if (neg && total)
        return err_set(CAIRN_EINVAL, "negative duration \"%s\"", orig);
    *ms = total / 1000000 + (total % 1000000 ? 1 : 0);
    return 0;
}

/* ---------------------------------------------------------------- timeouts */

static const char *const timeout_names[] = {"create", "read", "update", "delete", "default"};

/* The duration of timeout attribute a into *ms: 1 when set, 0 when null
 * or after a diagnostic. */
static int timeout_value(struct dec *d, const ast_attr *a, uint64_t *ms)
{
    val v = eval_expr(d->ctx, a->expr);
    if (!val_is_valid(v))
        return 0;
    int set = 0;
    if (val_is_unknown(v)) {
        err(d, a->expr->range, "Invalid duration", "The value of \"%s\" must be known when "
            "planning: cairn needs it to wait for the operation.", a->name.s);
    } else if (!val_is_null(v)) {
        v = val_convert(v, ty_string());
        if (!val_is_valid(v))
            err(d, a->expr->range, "Invalid duration", "The value of \"%s\" must be a duration "
                "string such as \"30m\": %s.", a->name.s, err_msg());
        else if (decode_duration(val_get_string(v), ms) < 0)
            err(d, a->expr->range, "Invalid duration", "The value of \"%s\" is not a "
                "duration: %s. Use a number and a unit, such as \"30s\", \"10m\" or "
                "\"1h30m\".", a->name.s, err_msg());
        else
            set = 1;
    }
    val_free(v);
    return set;
}

static void timeouts_block(struct dec *d, const ast_block *blk, uint64_t out[4])
{
    check_labels(d, blk, 0, "name");
    uint64_t dflt = 0;
    int set[5] = {0};
    for (size_t i = 0; blk->body && i < blk->body->n; i++) {
        const ast_item *it = &blk->body->items[i];
        if (it->kind == AST_ITEM_BLOCK) {
            err(d, it->u.block->type.range, "Unsupported block type",
                "Blocks of type \"%s\" are not expected here.", it->u.block->type.s);
            continue;
        }
        const ast_attr *a = it->u.attr;
        size_t k = 0;
        while (k < 5 && strcmp(timeout_names[k], a->name.s) != 0)
            k++;
        if (k == 5) {
            char buf[DECODE_SUGGEST_MAX + 32];
            err(d, a->name.range, "Unsupported argument",
                "An argument named \"%s\" is not expected here.%s", a->name.s,
                did_you_mean(a->name.s, timeout_names, 5, buf, sizeof buf));
            continue;
        }
        set[k] = timeout_value(d, a, k < 4 ? &out[k] : &dflt);
    }
    for (size_t k = 0; set[4] && k < 4; k++)
        if (!set[k])
            out[k] = dflt;
}

int decode_timeouts(const ast_body *body, eval_ctx *ctx, uint64_t out_ms[4], diag_list *diags)
{
    memset(out_ms, 0, 4 * sizeof *out_ms);
    diag_list *saved = ctx->diags;
    ctx->diags = diags;
    size_t errors = diags->nerrors;
    struct dec d = {ctx, diags, 0};
    const ast_block *first = NULL;
    for (size_t i = 0; body && i < body->n; i++) {
        const ast_item *it = &body->items[i];
        if (it->kind != AST_ITEM_BLOCK || strcmp(it->u.block->type.s, "timeouts") != 0)
            continue;
        if (first) {
            char where[512];
            range_str(def_range(first), where, sizeof where);
            err(&d, def_range(it->u.block), "Duplicate timeouts block",
                "Only one timeouts block is allowed. Another was defined at %s.", where);
            continue;
        }
        first = it->u.block;
        timeouts_block(&d, first, out_ms);
    }
    ctx->diags = saved;
    return diags->nerrors > errors ? CAIRN_EDIAG : 0;
}
