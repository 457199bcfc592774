/*
 * providers/aws/aws_resource.c — the helpers every AWS resource family
 * uses (aws_resource.h): diagnostics, arguments, states built from the
 * static schemas, tags and tags_all, timeouts and bounded retry loops,
 * ids and ARNs.
 *
 * What must stay true: a state built here has every attribute of its
 * schema (aws_state_new), so a family never returns an object the engine
 * cannot convert to the schema's type; tags never carry cairn:token.
 */
#include "providers/aws/aws_resource.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Type expressions aws_state_new types nulls for are this shallow. */
#define AWS_TYPE_MAX_DEPTH 4
#define AWS_RETRY_MIN_MS 1000
#define AWS_RETRY_MAX_MS 10000
#define AWS_SLEEP_SLICE_MS 100

/* ---------------------------------------------------------------- diagnostics */

int aws_fail(prov_diag *d, int code, const char *attr, const char *summary,
             const char *detail_fmt, ...)
{
    if (!d)
        return code;
    snprintf(d->summary, sizeof d->summary, "%s", summary);
    d->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(d->detail, sizeof d->detail, detail_fmt, ap);
        va_end(ap);
    }
    d->attr = attr;
    d->retryable = 0;
    return code;
}

int aws_fail_call(prov_diag *d, int rc, const aws_error *e, const char *summary)
{
    aws_fail(d, rc, NULL, summary, "%s", err_msg());
    if (d)
        d->retryable = rc == CAIRN_EIO || rc == CAIRN_ETIMEOUT ||
                       (e && rc == CAIRN_EREMOTE &&
                        (aws_error_is_throttle(e) || e->status >= 500));
    return rc;
}

/* ---------------------------------------------------------------- arguments */

const val *aws_arg(val obj, const char *name)
{
    if (!val_is_valid(obj) || val_is_unknown(obj) ||
        (val_kind(obj) != VAL_OBJECT && val_kind(obj) != VAL_MAP))
        return NULL;
    const val *v = val_lookup(obj, name);
    return v && !val_is_unknown(*v) && !val_is_null(*v) ? v : NULL;
}

const char *aws_arg_str(val obj, const char *name)
{
    const val *v = aws_arg(obj, name);
    return v && val_kind(*v) == VAL_STRING ? val_get_string(*v) : NULL;
}

int aws_arg_bool(val obj, const char *name, int *out)
{
    const val *v = aws_arg(obj, name);
    if (!v || val_kind(*v) != VAL_BOOL)
        return 0;
    *out = val_get_bool(*v);
    return 1;
}

int aws_arg_num(val obj, const char *name, double *out)
{
    const val *v = aws_arg(obj, name);
    if (!v || val_kind(*v) != VAL_NUMBER)
        return 0;
    *out = val_get_number(*v);
    return 1;
}

int aws_arg_tags(val obj, const char *name, aws_kvlist *out)
{
    const val *m = aws_arg(obj, name);
    if (!m || (val_kind(*m) != VAL_MAP && val_kind(*m) != VAL_OBJECT))
        return 0;
    for (size_t i = 0; i < val_len(*m); i++) {
        const val *v = val_at(*m, i);
        if (!val_is_unknown(*v) && val_kind(*v) == VAL_STRING)
            aws_kv_set(out, val_key_at(*m, i), val_get_string(*v));
    }
    return 1;
}

int aws_arg_changed(val prior, val planned, const char *name)
{
    const val *a = val_is_valid(prior) && val_kind(prior) == VAL_OBJECT
                       ? val_lookup(prior, name) : NULL;
    const val *b = val_is_valid(planned) && val_kind(planned) == VAL_OBJECT
                       ? val_lookup(planned, name) : NULL;
    if (!a || !b)
        return a != b;
    return val_is_unknown(*b) || !val_raw_equal(*a, *b);
}

/* ---------------------------------------------------------------- states */

/* The type of a schema type expression when it is a primitive or a
 * collection of those ("map(string)"); any otherwise.  Owned. */
static ty *simple_type(const char *t, size_t len, int depth)
{
    static const struct {
        const char *open;
        ty *(*make)(ty *);
    } coll[] = {{"list(", ty_list}, {"set(", ty_set}, {"map(", ty_map}};
    if (len == 6 && !strncmp(t, "string", 6))
        return ty_string();
    if (len == 4 && !strncmp(t, "bool", 4))
        return ty_bool();
    if (len == 6 && !strncmp(t, "number", 6))
        return ty_number();
    for (size_t i = 0; depth < AWS_TYPE_MAX_DEPTH && i < 3; i++) {
        size_t o = strlen(coll[i].open);
        if (len > o + 1 && !strncmp(t, coll[i].open, o) && t[len - 1] == ')') {
            ty *el = simple_type(t + o, len - o - 1, depth + 1);
            if (ty_kind(el) != TY_ANY)
                return coll[i].make(el);
            ty_free(el);
        }
    }
    return ty_any();
}

val aws_state_new(const prov_schema *s)
{
    val st = val_object_empty();
    for (size_t i = 0; i < s->nattrs; i++) {
        const char *t = s->attrs[i].type;
        st = val_object_set(st, s->attrs[i].name, val_null_of(simple_type(t, strlen(t), 0)));
    }
    for (size_t i = 0; i < s->nblocks; i++)
        st = val_object_set(st, s->blocks[i].type_name, val_null());
    return st;
}

val aws_state_str(val st, const char *name, const char *s)
{
    return val_object_set(st, name, s && *s ? val_string(s) : val_null_of(ty_string()));
}

val aws_state_bool(val st, const char *name, int b)
{
    return val_object_set(st, name, val_bool(b));
}

val aws_state_num(val st, const char *name, double n)
{
    return val_object_set(st, name, val_number(n));
}

val aws_state_keep(val st, val prior, const char *name)
{
    const val *v = aws_arg(prior, name);
    return v ? val_object_set(st, name, val_copy(*v)) : st;
}

val aws_tags_val(const aws_kvlist *kvs)
{
    val m = val_map_empty(ty_string());
    for (size_t i = 0; kvs && i < kvs->n; i++)
        m = val_map_set(m, kvs->items[i].key, val_string(kvs->items[i].value));
    return m;
}

/* ---------------------------------------------------------------- tags */

void aws_kv_remove(aws_kvlist *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].key, key) != 0)
            continue;
        free(l->items[i].key);
        free(l->items[i].value);
        memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof *l->items);
        l->n--;
        return;
    }
}

val aws_state_tags(val st, prov_instance *p, const aws_kvlist *remote, val prior)
{
    const val *pt = aws_arg(prior, "tags");
    aws_kvlist own = {0};
    for (size_t i = 0; remote && i < remote->n; i++) {
        const char *k = remote->items[i].key, *v = remote->items[i].value;
        const char *dv = aws_kv_get(&p->cfg.default_tags, k);
        int mine = pt && val_lookup(*pt, k) != NULL;
        if (!mine && dv && strcmp(dv, v) == 0)
            continue;
        aws_kv_set(&own, k, v);
    }
    val tags = own.n || pt ? aws_tags_val(&own) : val_null_of(ty_map(ty_string()));
    aws_kv_free(&own);
    st = val_object_set(st, "tags", tags);
    return val_object_set(st, "tags_all", aws_tags_val(remote));
}

int aws_tags_all(prov_instance *p, val obj, aws_kvlist *out)
{
    aws_tags_merge(out, &p->cfg.default_tags, NULL);
    const val *m = val_is_valid(obj) && val_kind(obj) == VAL_OBJECT ? val_lookup(obj, "tags")
                                                                     : NULL;
    if (!m || val_is_null(*m))
        return 0;
    if (val_is_unknown(*m))
        return err_set(CAIRN_EINVAL, "tags are not known yet");
    for (size_t i = 0; i < val_len(*m); i++) {
        const val *v = val_at(*m, i);
        if (val_is_unknown(*v) || val_kind(*v) != VAL_STRING)
            return err_set(CAIRN_EINVAL, "tag \"%s\" is not known yet", val_key_at(*m, i));
        aws_kv_set(out, val_key_at(*m, i), val_get_string(*v));
    }
    return 0;
}

int aws_tags_validate(val obj, const char *name, prov_diag *d)
{
    const val *m = aws_arg(obj, name);
    for (size_t i = 0; m && i < val_len(*m); i++) {
        const char *k = val_key_at(*m, i);
        if (strcmp(k, AWS_TOKEN_TAG) == 0 || strncmp(k, "aws:", 4) == 0)
            return aws_fail(d, CAIRN_EINVAL, "tags", "Invalid tag key",
                            "The tag key \"%s\" in %s is reserved: \"aws:\" keys belong to "
                            "AWS, and cairn tags every object it creates with \"%s\" "
                            "(see docs/aws.md).", k, name, AWS_TOKEN_TAG);
    }
    return 0;
}

/* ---------------------------------------------------------------- plan */

int aws_plan_tags(prov_instance *p, const prov_call *c, val prior, val proposed,
                  val *planned, val *replace_paths, prov_diag *d)
{
    (void)c;
    (void)prior;
    (void)d;
    *replace_paths = val_tuple_empty();
    if (!val_is_valid(proposed) || val_is_unknown(proposed) || val_kind(proposed) != VAL_OBJECT) {
        *planned = val_copy(proposed);
        return 0;
    }
    aws_kvlist all = {0};
    val ta = aws_tags_all(p, proposed, &all) == 0 ? aws_tags_val(&all)
                                                   : val_unknown(ty_map(ty_string()));
    aws_kv_free(&all);
    *planned = val_object_set(val_copy(proposed), "tags_all", ta);
    return 0;
}

/* ---------------------------------------------------------------- waiting */

long aws_timeout(const prov_call *c, long dflt_ms)
{
    if (!c || c->timeout_ms == 0)
        return dflt_ms;
    return c->timeout_ms > (uint64_t)0x7fffffff ? 0x7fffffffL : (long)c->timeout_ms;
}

int aws_call_cancelled(const prov_call *c)
{
    /* An atomic load: the engine sets the flag from another thread. */
    return c && c->cancel && __atomic_load_n(c->cancel, __ATOMIC_ACQUIRE);
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

/* Sleep ms in slices, returning CAIRN_ECANCEL as soon as c is cancelled;
 * the engine's call slot is given back meanwhile (prov_call.waiting). */
static int sleep_watching(const prov_call *c, double ms)
{
    int waiting = c && c->waiting;
    if (waiting)
        c->waiting(c->payload, 1);
    for (double slept = 0; slept < ms && !aws_call_cancelled(c); slept += AWS_SLEEP_SLICE_MS) {
        double left = ms - slept < AWS_SLEEP_SLICE_MS ? ms - slept : AWS_SLEEP_SLICE_MS;
        struct timespec ts = {0, (long)(left * 1e6)};
        nanosleep(&ts, NULL);
    }
    if (waiting)
        c->waiting(c->payload, 0);
    return aws_call_cancelled(c) ? CAIRN_ECANCEL : 0;
}

static int code_in(const aws_error *e, const char *const *codes)
{
    for (size_t i = 0; codes && codes[i]; i++)
        if (aws_error_is(e, codes[i]))
            return 1;
    return 0;
}

int aws_retry_codes(const prov_call *c, long timeout_ms, const char *const *codes,
                    aws_attempt_fn fn, void *payload, aws_error *e)
{
    double deadline = mono_ms() + (double)timeout_ms, delay = AWS_RETRY_MIN_MS;
    for (;;) {
        int rc = fn(payload, e);
        if (rc != CAIRN_EREMOTE || !code_in(e, codes))
            return rc;
        double now = mono_ms();
        if (now >= deadline) {
            char *last = xstrdup(err_msg());
            err_set(CAIRN_ETIMEOUT, "still failing after %ld ms of retries: %s", timeout_ms,
                    last);
            free(last);
            return CAIRN_ETIMEOUT;
        }
        if (sleep_watching(c, delay < deadline - now ? delay : deadline - now) < 0)
            return err_set(CAIRN_ECANCEL, "interrupted while retrying %s", e->code);
        delay = delay * 2 > AWS_RETRY_MAX_MS ? AWS_RETRY_MAX_MS : delay * 2;
    }
}

/* ---------------------------------------------------------------- ids, ARNs */

int aws_id_valid(const char *id, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (!id || strlen(id) > AWS_MAX_ID_LEN || strncmp(id, prefix, pl) != 0 || id[pl] != '-' ||
        !id[pl + 1])
        return 0;
    for (const char *s = id + pl + 1; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

char *aws_arn(prov_instance *p, const char *service, const char *account,
              const char *resource)
{
    return xasprintf("arn:%s:%s:%s:%s:%s", p->partition, service,
                     aws_client_region(p->client), account ? account : "", resource);
}

int aws_cidr4_valid(const char *s, int minlen, int maxlen)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    char addr[16];
    size_t al = slash ? (size_t)(slash - s) : 0;
    if (!slash || al == 0 || al >= sizeof addr)
        return 0;
    memcpy(addr, s, al);
    addr[al] = '\0';
    struct in_addr a;
    if (inet_pton(AF_INET, addr, &a) != 1)
        return 0;
    int n = 0;
    const char *q = slash + 1;
    for (; *q >= '0' && *q <= '9' && n <= 32; q++)
        n = n * 10 + (*q - '0');
    if (*q || q == slash + 1 || n < minlen || n > maxlen || n > 32)
        return 0;
    uint32_t host = n == 32 ? 0 : 0xffffffffu >> n;
    return (ntohl(a.s_addr) & host) == 0;
}
