/*
 * providers/aws/aws_ec2.c — the generic EC2 operations (aws_ec2.h):
 * batched Describe by id filter, states from field tables, tags and the
 * cairn:token tag, read/read_many/import/find_by_token, create with
 * recovery of ambiguous failures, waits, deletes with dependency retries.
 *
 * What must stay true: every Describe selects ids with a Filter (chunks of
 * at most AWS_EC2_MAX_FILTER_VALUES) and follows NextToken, so a refresh of
 * n objects costs about n / page-size calls, never one call per object.
 */
#include "providers/aws/aws_ec2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const aws_pager ec2_pager = {"NextToken", "nextToken"};

/* ---------------------------------------------------------------- describe */

struct page_ctx {
    const char *set;
    aws_ec2_item_fn fn;
    void *payload;
};

static int on_page(const aws_response *resp, void *payload)
{
    struct page_ctx *pc = payload;
    aws_xml_node *set = aws_xml_find(aws_xml_root(resp->xml), pc->set);
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item")) {
        int rc = pc->fn(it, pc->payload);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* One paginated Describe for ids[0..n) (or no id filter when ids is NULL). */
static int describe_chunk(prov_instance *p, const aws_ec2_query *q, const char *const *ids,
                          size_t n, struct page_ctx *pc, aws_error *e)
{
    aws_params *prm = aws_params_new();
    int fi = 1;
    if (ids)
        aws_params_add_filter(prm, fi++, q->id_filter, ids, n);
    for (size_t i = 0; i < q->nfilters; i++)
        aws_params_add_filter(prm, fi++, q->filters[i].name, &q->filters[i].value, 1);
    char mr[16];
    snprintf(mr, sizeof mr, "%d", q->max_results > 0 ? q->max_results : AWS_EC2_MAX_RESULTS);
    if (q->max_results >= 0)
        aws_params_add(prm, "MaxResults", mr);
    aws_request req = {.svc = AWS_EC2, .action = q->action, .retry = AWS_RETRY_SAFE,
                       .params = prm};
    int rc = aws_paginate(p->client, &req, &ec2_pager, on_page, pc, e);
    aws_params_free(prm);
    return rc;
}

int aws_ec2_describe(prov_instance *p, const aws_ec2_query *q, const char *const *ids,
                     size_t nids, aws_ec2_item_fn fn, void *payload, aws_error *e)
{
    struct page_ctx pc = {q->set, fn, payload};
    if (!ids)
        return describe_chunk(p, q, NULL, 0, &pc, e);
    for (size_t off = 0; off < nids; off += AWS_EC2_MAX_FILTER_VALUES) {
        size_t n = nids - off < AWS_EC2_MAX_FILTER_VALUES ? nids - off
                                                          : AWS_EC2_MAX_FILTER_VALUES;
        int rc = describe_chunk(p, q, ids + off, n, &pc, e);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------------- fields, tags */

/* The value of one field of item. */
static val field_value(const aws_xml_node *item, const aws_ec2_field *f, val prior)
{
    char *s = aws_xml_text(item, f->path);
    val v;
    switch (f->kind) {
    case AWS_EC2_BOOL:
    case AWS_EC2_BOOL_OPT:
        v = val_bool(s && strcmp(s, "true") == 0);
        if (f->kind == AWS_EC2_BOOL_OPT && !val_get_bool(v) && !aws_arg(prior, f->attr))
            v = val_null_of(ty_bool());
        break;
    case AWS_EC2_NUM_OPT:
        v = s && *s && strtod(s, NULL) != 0 ? val_number(strtod(s, NULL))
                                            : val_null_of(ty_number());
        break;
    default:
        v = s && *s ? val_string(s) : val_null_of(ty_string());
        break;
    }
    free(s);
    return v;
}

val aws_ec2_fields(val st, const aws_xml_node *item, const aws_ec2_field *f, size_t n,
                   val prior)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].kind == AWS_EC2_KEEP)
            st = aws_state_keep(st, prior, f[i].attr);
        else
            st = val_object_set(st, f[i].attr, field_value(item, &f[i], prior));
    }
    return st;
}

void aws_ec2_tags(aws_kvlist *out, const aws_xml_node *item, char **token)
{
    if (token)
        *token = NULL;
    if (aws_xml_kvs(out, item, "tagSet", "item", "key", "value") < 0)
        aws_log(AWS_LOG_WARN, "ec2: more tags than expected on one object; extra ignored");
    aws_tags_strip_system(out);
    const char *tok = aws_kv_get(out, AWS_TOKEN_TAG);
    if (tok && token)
        *token = xstrdup(tok);
    aws_kv_remove(out, AWS_TOKEN_TAG);
}

void aws_ec2_tag_spec(aws_params *prm, const char *rtype, const aws_kvlist *tags,
                      const char *token)
{
    aws_kvlist all = {0};
    aws_tags_merge(&all, NULL, tags);
    if (token)
        aws_kv_set(&all, AWS_TOKEN_TAG, token);
    if (all.n) {
        aws_params_add(prm, "TagSpecification.1.ResourceType", rtype);
        aws_params_add_kvs(prm, "TagSpecification.1.Tag", "Key", "Value", &all);
    }
    aws_kv_free(&all);
}

/* ---------------------------------------------------------------- read_many */

/* Prior indexes sorted by id, so that each listed item finds its priors
 * by binary search (a batch may hold thousands). */
typedef struct id_ref {
    const char *id;
    size_t i;
} id_ref;

struct batch {
    prov_instance *p;
    const aws_ec2_type *t;
    const val *priors;
    val *states;
    id_ref *refs;
    size_t nrefs;
};

static int ref_cmp(const void *a, const void *b)
{
    return strcmp(((const id_ref *)a)->id, ((const id_ref *)b)->id);
}

static int on_item(const aws_xml_node *item, void *payload)
{
    struct batch *b = payload;
    char *id = aws_xml_text(item, b->t->id_path);
    id_ref key = {id ? id : "", 0};
    const id_ref *hit = b->nrefs ? bsearch(&key, b->refs, b->nrefs, sizeof key, ref_cmp) : NULL;
    while (hit && hit > b->refs && strcmp(hit[-1].id, key.id) == 0)
        hit--;
    for (; hit && hit < b->refs + b->nrefs && strcmp(hit->id, key.id) == 0; hit++) {
        val_free(b->states[hit->i]);
        b->states[hit->i] = b->t->build(b->p, item, b->priors[hit->i]);
    }
    free(id);
    return 0;
}

/* Unique ids of the refs (borrowed), in order; *n receives how many. */
static const char **unique_ids(const id_ref *refs, size_t nrefs, size_t *n)
{
    const char **ids = xcalloc(nrefs + 1, sizeof *ids);
    *n = 0;
    for (size_t i = 0; i < nrefs; i++)
        if (i == 0 || strcmp(refs[i].id, refs[i - 1].id) != 0)
            ids[(*n)++] = refs[i].id;
    return ids;
}

int aws_ec2_read_many(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                      const val *priors, size_t n, val *states, prov_diag *d)
{
    (void)c;
    struct batch b = {p, t, priors, states, xcalloc(n + 1, sizeof(id_ref)), 0};
    for (size_t i = 0; i < n; i++) {
        states[i] = val_null();
        const char *id = aws_arg_str(priors[i], "id");
        if (id && *id)
            b.refs[b.nrefs++] = (id_ref){id, i};
    }
    qsort(b.refs, b.nrefs, sizeof *b.refs, ref_cmp);
    size_t nids;
    const char **ids = unique_ids(b.refs, b.nrefs, &nids);
    aws_error e;
    char summary[128];
    int rc = aws_ec2_describe(p, &t->query, ids, nids, on_item, &b, &e);
    if (rc < 0) {
        snprintf(summary, sizeof summary, "reading %s", t->noun);
        aws_fail_call(d, rc, &e, summary);
    } else if (t->finish) {
        rc = t->finish(p, states, n, d);
    }
    free(ids);
    free(b.refs);
    for (size_t i = 0; rc < 0 && i < n; i++) {
        val_free(states[i]);
        states[i] = val_invalid();
    }
    return rc;
}

int aws_ec2_read(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val prior,
                 val *state, prov_diag *d)
{
    return aws_ec2_read_many(p, c, t, &prior, 1, state, d);
}

int aws_ec2_read_id(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                    const char *id, val prior, val *state, prov_diag *d)
{
    val pr = val_is_valid(prior) && val_kind(prior) == VAL_OBJECT && !val_is_unknown(prior)
                 ? val_copy(prior) : val_object_empty();
    pr = val_object_set(pr, "id", val_string(id));
    int rc = aws_ec2_read(p, c, t, pr, state, d);
    val_free(pr);
    return rc;
}

int aws_ec2_import(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                   const char *id, val *state, prov_diag *d)
{
    *state = val_invalid();
    if (!aws_id_valid(id, t->id_prefix))
        return aws_fail(d, CAIRN_EINVAL, "id", "Invalid import id",
                        "\"%s\" is not an %s id (%s-0123456789abcdef0).", id ? id : "",
                        t->noun, t->id_prefix);
    int rc = aws_ec2_read_id(p, c, t, id, val_null(), state, d);
    if (rc == 0 && val_is_null(*state)) {
        val_free(*state);
        *state = val_invalid();
        return aws_fail(d, CAIRN_ENOTFOUND, "id", "Cannot import non-existent remote object",
                        "No %s with id \"%s\" exists in region %s.", t->noun, id,
                        aws_client_region(p->client));
    }
    return rc;
}

/* ---------------------------------------------------------------- token */

struct first_id {
    const aws_ec2_type *t;
    char *id;
    size_t count;
};

static int on_token_item(const aws_xml_node *item, void *payload)
{
    struct first_id *f = payload;
    if (!f->id)
        f->id = aws_xml_text(item, f->t->id_path);
    f->count++;
    return 0;
}

/* The id of the object tagged with token (owned, *id NULL when none). */
static int find_token_id(prov_instance *p, const aws_ec2_type *t, const char *token, char **id,
                         aws_error *e)
{
    aws_ec2_filter f = {"tag:" AWS_TOKEN_TAG, token};
    aws_ec2_query q = t->query;
    q.filters = &f;
    q.nfilters = 1;
    struct first_id fi = {t, NULL, 0};
    int rc = aws_ec2_describe(p, &q, NULL, 0, on_token_item, &fi, e);
    if (fi.count > 1)
        aws_log(AWS_LOG_WARN, "ec2: %zu %s objects carry the same %s tag; adopting %s",
                fi.count, t->noun, AWS_TOKEN_TAG, fi.id ? fi.id : "?");
    *id = fi.id;
    return rc;
}

int aws_ec2_find_by_token(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                          val *state, prov_diag *d)
{
    *state = val_invalid();
    if (!c->token || !*c->token)
        return aws_fail(d, CAIRN_EINVAL, NULL, "find_by_token called without a token", NULL);
    char *id = NULL;
    aws_error e;
    int rc = find_token_id(p, t, c->token, &id, &e);
    if (rc < 0) {
        char summary[128];
        snprintf(summary, sizeof summary, "looking for an interrupted create of %s", t->noun);
        return aws_fail_call(d, rc, &e, summary);
    }
    if (!id) {
        *state = val_null();
        return 0;
    }
    rc = aws_ec2_read_id(p, c, t, id, val_null(), state, d);
    free(id);
    return rc;
}

/* ---------------------------------------------------------------- waits */

struct wait_ctx {
    prov_instance *p;
    const aws_ec2_type *t;
    const char *id;
    const char *token;       /* look up by token instead of id */
    char *status;            /* of the listed item, "present" without a state path */
    char *found_id;          /* by token: the id found */
    val prior;               /* when valid: build the listed item's state ... */
    val built;               /* ... into this (VAL_INVALID while not listed) */
    aws_error e;
};

static int on_wait_item(const aws_xml_node *item, void *payload)
{
    struct wait_ctx *w = payload;
    char *s = w->t->state_path ? aws_xml_text(item, w->t->state_path) : NULL;
    free(w->status);
    if (s && *s) {
        w->status = s;
    } else {
        free(s);
        w->status = xstrdup("present");
    }
    if (w->token && !w->found_id)
        w->found_id = aws_xml_text(item, w->t->id_path);
    if (val_is_valid(w->prior))
        w->built = w->t->build(w->p, item, w->prior);
    return 1;
}

static int wait_poll(char **status, void *payload)
{
    struct wait_ctx *w = payload;
    free(w->status);
    w->status = NULL;
    val_free(w->built);
    w->built = val_invalid();
    int rc;
    if (w->token) {
        aws_ec2_filter f = {"tag:" AWS_TOKEN_TAG, w->token};
        aws_ec2_query q = w->t->query;
        q.filters = &f;
        q.nfilters = 1;
        rc = aws_ec2_describe(w->p, &q, NULL, 0, on_wait_item, w, &w->e);
    } else {
        rc = aws_ec2_describe(w->p, &w->t->query, &w->id, 1, on_wait_item, w, &w->e);
    }
    *status = w->status;
    w->status = NULL;
    return rc < 0 ? rc : 0;
}

/* aws_ec2_wait; with prior valid, *built (owned) receives the state of the
 * item the last poll listed, built with prior. */
static int wait_for(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                    const char *id, const char *const *target, long timeout_ms, val prior,
                    val *built, prov_diag *d)
{
    struct wait_ctx w = {.p = p, .t = t, .id = id, .prior = prior, .built = val_invalid()};
    char what[192];
    snprintf(what, sizeof what, "%s %s to become %s", t->noun, id,
             target[0][0] ? target[0] : "deleted");
    aws_waiter wt = {.target = target, .timeout_ms = timeout_ms,
                     .min_delay_ms = AWS_EC2_WAIT_MIN_MS, .max_delay_ms = AWS_EC2_WAIT_MAX_MS,
                     .cancel = c ? c->cancel : NULL, .what = what,
                     .pause = c ? c->waiting : NULL, .pause_arg = c ? c->payload : NULL};
    int rc = aws_wait(&wt, wait_poll, &w, NULL);
    free(w.status);
    if (built)
        *built = w.built;
    else
        val_free(w.built);
    if (rc < 0) {
        char summary[224];
        snprintf(summary, sizeof summary, "waiting for %s", what);
        return aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &w.e : NULL, summary);
    }
    return 0;
}

int aws_ec2_wait(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                 const char *id, const char *const *target, long timeout_ms, prov_diag *d)
{
    return wait_for(p, c, t, id, target, timeout_ms, val_invalid(), NULL, d);
}

/* ---------------------------------------------------------------- create */

/* Whether a failed create may nevertheless have created the object. */
static int ambiguous(int rc, const aws_error *e)
{
    if (rc == CAIRN_EIO || rc == CAIRN_ETIMEOUT)
        return 1;
    return rc == CAIRN_EREMOTE && e->status >= 500 && !aws_error_is_throttle(e);
}

/* Look for the object carrying c->token for AWS_EC2_RECOVER_MS; *id owned
 * or NULL. */
static void recover_by_token(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                             char **id)
{
    struct wait_ctx w = {.p = p, .t = t, .token = c->token, .prior = val_invalid(),
                         .built = val_invalid()};
    static const char *const any[] = {"present", "pending", "available", NULL};
    aws_waiter wt = {.target = any, .timeout_ms = AWS_EC2_RECOVER_MS,
                     .min_delay_ms = AWS_EC2_WAIT_MIN_MS, .max_delay_ms = AWS_EC2_WAIT_MAX_MS,
                     .cancel = c->cancel, .what = "an object carrying the create's token",
                     .pause = c->waiting, .pause_arg = c->payload};
    char *saved = xstrdup(err_msg());
    int saved_code = err_code();
    if (aws_wait(&wt, wait_poll, &w, NULL) == 0 && w.found_id)
        aws_log(AWS_LOG_WARN, "ec2: %s create failed ambiguously; found %s by its %s tag",
                t->noun, w.found_id, AWS_TOKEN_TAG);
    err_set(saved_code, "%s", saved);
    free(saved);
    free(w.status);
    *id = w.found_id;
}

/* Send the create call req (its TagSpecification carries the token) and
 * return the new id (owned).  A failure that leaves open whether the object
 * was created (transport error, 5xx) is settled by looking for the token
 * tag for AWS_EC2_RECOVER_MS, and the call is sent again when nothing
 * carries it (at most AWS_EC2_CREATE_ATTEMPTS sends). */
static int create_call(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                       aws_request *req, const char *item_path, char **id, prov_diag *d)
{
    aws_response resp;
    aws_error e;
    char summary[128];
    snprintf(summary, sizeof summary, "creating %s", t->noun);
    *id = NULL;
    int rc = aws_call(p->client, req, &resp, &e);
    /* Nothing carries the token after the recovery window: the call did not
     * take effect, and is sent again (a bounded number of times). */
    for (int attempt = 1; rc < 0 && c->token && ambiguous(rc, &e); attempt++) {
        recover_by_token(p, c, t, id);
        if (*id)
            return 0;
        if (attempt >= AWS_EC2_CREATE_ATTEMPTS || aws_call_cancelled(c))
            break;
        aws_log(AWS_LOG_WARN, "ec2: %s create failed and nothing carries its token; "
                "sending it again", t->noun);
        rc = aws_call(p->client, req, &resp, &e);
    }
    if (rc < 0)
        return aws_fail_call(d, rc, &e, summary);
    const aws_xml_node *item = aws_xml_find(aws_xml_root(resp.xml), item_path);
    *id = aws_xml_text(item, t->id_path);
    aws_response_free(&resp);
    if (*id && **id)
        return 0;
    free(*id);
    *id = NULL;
    return aws_fail(d, CAIRN_EPROTO, NULL, summary, "The %s response has no %s/%s.",
                    req->action, item_path, t->id_path);
}

/* ---------------------------------------------------------------- delete */

struct del_ctx {
    prov_instance *p;
    const aws_ec2_type *t;
    const char *id;
};

static int delete_once(void *payload, aws_error *e)
{
    struct del_ctx *dc = payload;
    aws_params *prm = aws_params_new();
    aws_params_add(prm, dc->t->id_param, dc->id);
    aws_request req = {.svc = AWS_EC2, .action = dc->t->delete_action,
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    int rc = aws_call(dc->p->client, &req, &resp, e);
    aws_params_free(prm);
    if (rc == 0)
        aws_response_free(&resp);
    return rc;
}

int aws_ec2_delete(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                   const char *id, prov_diag *d)
{
    struct del_ctx dc = {p, t, id};
    aws_error e;
    char summary[128];
    snprintf(summary, sizeof summary, "deleting %s %s", t->noun, id);
    int rc = aws_retry_codes(c, aws_timeout(c, t->delete_timeout_ms), t->busy, delete_once,
                             &dc, &e);
    if (rc == CAIRN_EREMOTE && aws_error_is(&e, t->notfound))
        return 0;
    if (rc < 0)
        return aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &e : NULL, summary);
    if (!t->wait_gone)
        return 0;
    static const char *const gone[] = {"", NULL};
    long tmo = aws_timeout(c, t->delete_timeout_ms);
    return aws_ec2_wait(p, c, t, id, gone, tmo < AWS_EC2_GONE_MS ? tmo : AWS_EC2_GONE_MS, d);
}

int aws_ec2_undo(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                 const char *id, int rc, prov_diag *d)
{
    if (rc == CAIRN_ECANCEL || !id)
        return rc;
    size_t len = strlen(d->detail);
    prov_diag dd = {0};
    prov_call quick = *c;
    quick.timeout_ms = AWS_EC2_UNDO_MS;
    int drc = aws_ec2_delete(p, &quick, t, id, &dd);
    if (drc == 0)
        snprintf(d->detail + len, sizeof d->detail - len,
                 "\n\nThe %s %s had been created; it was deleted again.", t->noun, id);
    else
        snprintf(d->detail + len, sizeof d->detail - len,
                 "\n\nThe %s %s had been created, and deleting it again failed too (%s: %s). "
                 "Delete it by hand, or import it.", t->noun, id, dd.summary, dd.detail);
    return rc;
}

/* ---------------------------------------------------------------- updates */

int aws_ec2_simple(prov_instance *p, const char *action, const char *id_param,
                   const char *id, const char *const *kv, size_t nkv, const char *summary,
                   prov_diag *d)
{
    aws_params *prm = aws_params_new();
    aws_params_add(prm, id_param, id);
    for (size_t i = 0; i < nkv; i++)
        aws_params_add(prm, kv[2 * i], kv[2 * i + 1]);
    aws_request req = {.svc = AWS_EC2, .action = action, .retry = AWS_RETRY_SAFE,
                       .params = prm};
    aws_response resp;
    aws_error e;
    int rc = aws_call(p->client, &req, &resp, &e);
    aws_params_free(prm);
    if (rc < 0)
        return aws_fail_call(d, rc, &e, summary);
    aws_response_free(&resp);
    return 0;
}

/* CreateTags (put) or DeleteTags (keys only) of kvs on id. */
static int tags_call(prov_instance *p, const aws_ec2_type *t, const char *id,
                     const aws_kvlist *kvs, int put, prov_diag *d)
{
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "ResourceId.1", id);
    for (size_t i = 0; i < kvs->n; i++) {
        aws_params_addf(prm, kvs->items[i].key, "Tag.%zu.Key", i + 1);
        if (put)
            aws_params_addf(prm, kvs->items[i].value, "Tag.%zu.Value", i + 1);
    }
    aws_request req = {.svc = AWS_EC2, .action = put ? "CreateTags" : "DeleteTags",
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    aws_error e;
    int rc = aws_call(p->client, &req, &resp, &e);
    aws_params_free(prm);
    if (rc == 0) {
        aws_response_free(&resp);
        return 0;
    }
    char summary[160];
    snprintf(summary, sizeof summary, "updating tags of %s %s", t->noun, id);
    return aws_fail_call(d, rc, &e, summary);
}

int aws_ec2_update_tags(prov_instance *p, const aws_ec2_type *t, const char *id,
                        val prior, val planned, prov_diag *d)
{
    aws_kvlist have = {0}, want = {0}, drop = {0}, put = {0};
    aws_arg_tags(prior, "tags_all", &have);
    int rc = aws_tags_all(p, planned, &want);
    if (rc < 0)
        rc = aws_fail(d, rc, "tags", "tags not known at apply", "%s", err_msg());
    for (size_t i = 0; rc == 0 && i < have.n; i++)
        if (!aws_kv_get(&want, have.items[i].key))
            aws_kv_set(&drop, have.items[i].key, "");
    for (size_t i = 0; rc == 0 && i < want.n; i++) {
        const char *old = aws_kv_get(&have, want.items[i].key);
        if (!old || strcmp(old, want.items[i].value) != 0)
            aws_kv_set(&put, want.items[i].key, want.items[i].value);
    }
    aws_kv_remove(&drop, AWS_TOKEN_TAG);
    aws_kv_remove(&put, AWS_TOKEN_TAG);
    if (rc == 0 && drop.n)
        rc = tags_call(p, t, id, &drop, 0, d);
    if (rc == 0 && put.n)
        rc = tags_call(p, t, id, &put, 1, d);
    aws_kv_free(&have);
    aws_kv_free(&want);
    aws_kv_free(&drop);
    aws_kv_free(&put);
    return rc;
}

/* ---------------------------------------------------------------- flows */

/* The state of the object id just written, read back with prior planned;
 * an object that is not listed any more is an error. */
static int read_back(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                     const char *id, val planned, val *state, prov_diag *d)
{
    int rc = aws_ec2_read_id(p, c, t, id, planned, state, d);
    if (rc == 0 && val_is_null(*state)) {
        val_free(*state);
        *state = val_invalid();
        char summary[128];
        snprintf(summary, sizeof summary, "reading %s %s", t->noun, id);
        return aws_fail(d, CAIRN_ENOTFOUND, NULL, summary, "The %s %s is no longer listed "
                        "by %s (deleted outside cairn?).", t->noun, id, t->query.action);
    }
    return rc;
}

/* The state st (consumed) completed by the type's finish into *state. */
static int finish_one(prov_instance *p, const aws_ec2_type *t, val st, val *state,
                      prov_diag *d)
{
    int rc = t->finish ? t->finish(p, &st, 1, d) : 0;
    if (rc < 0) {
        val_free(st);
        st = val_invalid();
    }
    *state = st;
    return rc;
}

/* The create call of t for planned: the type's parameters and the tags
 * (default_tags overlaid by tags, plus cairn:token) in TagSpecification;
 * then create_call.  *id owned. */
static int send_create(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                       val planned, char **id, prov_diag *d)
{
    aws_kvlist tags = {0};
    *id = NULL;
    if (aws_tags_all(p, planned, &tags) < 0) {
        aws_kv_free(&tags);
        return aws_fail(d, CAIRN_EINVAL, "tags", "tags not known at apply", "%s", err_msg());
    }
    aws_params *prm = aws_params_new();
    t->create_params(prm, planned);
    aws_ec2_tag_spec(prm, t->tag_rtype, &tags, c->token);
    aws_kv_free(&tags);
    int tok = t->client_token && c->token && *c->token;
    if (tok)
        aws_params_add(prm, t->client_token, c->token);
    aws_request req = {.svc = AWS_EC2, .action = t->create_action,
                       .retry = tok ? AWS_RETRY_TOKEN : AWS_RETRY_UNSAFE, .params = prm};
    int rc = create_call(p, c, t, &req, t->create_item, id, d);
    aws_params_free(prm);
    return rc;
}

int aws_ec2_create(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val planned,
                   val *state, prov_diag *d)
{
    char *id = NULL;
    val listed = val_invalid(), pr = val_invalid();
    *state = val_invalid();
    int rc = t->validate ? t->validate(p, c, planned, d) : 0, changes = 0;
    if (rc == 0)
        rc = send_create(p, c, t, planned, &id, d);
    if (rc == 0) {
        pr = val_object_set(val_copy(planned), "id", val_string(id));
        rc = wait_for(p, c, t, id, t->ready, aws_timeout(c, t->create_timeout_ms), pr,
                      &listed, d);
    }
    if (rc == 0 && t->after_create) {
        changes = t->after_create(p, c, id, listed, planned, d);
        rc = changes < 0 ? changes : 0;
    }
    if (rc == 0 && changes == 0) {
        rc = finish_one(p, t, listed, state, d);
        listed = val_invalid();
    } else if (rc == 0) {
        rc = read_back(p, c, t, id, planned, state, d);
    }
    if (rc < 0)
        rc = aws_ec2_undo(p, c, t, id, rc, d);
    val_free(listed);
    val_free(pr);
    free(id);
    return rc;
}

int aws_ec2_update(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val prior,
                   val planned, val *state, prov_diag *d)
{
    *state = val_invalid();
    const char *id = aws_arg_str(prior, "id");
    if (!id)
        return aws_fail(d, CAIRN_EINVAL, "id", "bad call", "The prior state has no id.");
    /* Only the tags can be checked here: a planned state holds computed
     * values beside the configuration, so argument conflicts are
     * validate's business (on the configuration). */
    int rc = aws_tags_validate(planned, "tags", d);
    if (rc == 0 && t->change)
        rc = t->change(p, c, id, prior, planned, d);
    if (rc >= 0)
        rc = aws_ec2_update_tags(p, t, id, prior, planned, d);
    if (rc == 0)
        rc = read_back(p, c, t, id, planned, state, d);
    return rc;
}

int aws_ec2_del(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val prior,
                prov_diag *d)
{
    const char *id = aws_arg_str(prior, "id");
    if (!id)
        return 0;   /* never created: nothing to delete */
    return aws_ec2_delete(p, c, t, id, d);
}

/* The request value of attribute v: "true"/"false", a whole number, or the
 * string; NULL for other kinds. */
static const char *param_value(const val *v, char *buf, size_t size)
{
    switch (val_kind(*v)) {
    case VAL_BOOL: return val_get_bool(*v) ? "true" : "false";
    case VAL_NUMBER: snprintf(buf, size, "%.0f", val_get_number(*v)); return buf;
    case VAL_STRING: return val_get_string(*v);
    default: return NULL;
    }
}

int aws_ec2_modify(prov_instance *p, const aws_ec2_type *t, const char *action,
                   const char *id, const aws_ec2_mod *mods, size_t n, val prior, val planned,
                   prov_diag *d)
{
    int calls = 0;
    for (size_t i = 0; i < n; i++) {
        const val *want = aws_arg(planned, mods[i].attr);
        if (!want || !aws_arg_changed(prior, planned, mods[i].attr))
            continue;
        char buf[32], summary[192];
        const char *kv[2] = {mods[i].param, param_value(want, buf, sizeof buf)};
        if (!kv[1])
            continue;
        snprintf(summary, sizeof summary, "modifying %s %s (%s)", t->noun, id, mods[i].attr);
        int rc = aws_ec2_simple(p, action, t->id_param, id, kv, 1, summary, d);
        if (rc < 0)
            return rc;
        calls++;
    }
    return calls;
}
