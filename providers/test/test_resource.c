/*
 * providers/test/test_resource.c — the `test_resource` type: create, read,
 * read_many, update, delete, import and find_by_token over the file store,
 * with the behaviour controls the engine's tests need (create/update/
 * delete_delay, fail_on, fail_count).
 *
 * What must stay true:
 *   - every state returned has exactly the schema's attributes, converted
 *     to the schema's object type (normalise), `secret` marked sensitive;
 *   - an operation waits and decides an injected failure BEFORE it writes,
 *     so a cancelled or failed create leaves nothing behind, and a failed
 *     update or delete leaves the object as it was;
 *   - create writes the token index entry before the object file, so
 *     find_by_token finds every object that exists (an index entry whose
 *     object is missing means the create never finished: null);
 *   - arguments are borrowed (provider.h); every `val *out` is owned, and
 *     is VAL_INVALID whenever an operation fails.
 */
#include "providers/test/test_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/diag.h"

/* The operations fail_on may name (and the index into the delay names). */
enum tp_op { TP_CREATE, TP_UPDATE, TP_DELETE, TP_READ };
static const char *const op_names[] = {"create", "update", "delete", "read"};
static const char *const delay_attrs[] = {"create_delay", "update_delay", "delete_delay"};
/* After the create call: how long the object takes to become available
 * (a wait, which does not hold one of the engine's -parallelism slots). */
#define TP_CREATE_WAIT "create_wait"

/* ---------------------------------------------------------------- controls */

/* duration := "0" | number unit {number unit}; number := digits ["." digits];
 * unit := "ms" | "s" | "m" | "h".  Sets *ms; -1 when s is not a duration or
 * exceeds TP_MAX_DELAY_MS. */
static int parse_duration(const char *s, uint64_t *ms)
{
    double total = 0;
    if (!strcmp(s, "0")) {
        *ms = 0;
        return 0;
    }
    if (!*s)
        return -1;
    while (*s) {
        double v = 0, scale = 1;
        if (*s < '0' || *s > '9')
            return -1;
        for (; *s >= '0' && *s <= '9'; s++)
            v = v < 1e12 ? v * 10 + (*s - '0') : v;   /* past 1e12 it fails the limit anyway */
        if (*s == '.') {
            s++;
            for (; *s >= '0' && *s <= '9'; s++) {
                scale /= 10;
                v += (*s - '0') * scale;
            }
        }
        double unit = 0;
        if (s[0] == 'm' && s[1] == 's') {
            unit = 1;
            s += 2;
        } else if (*s == 's' || *s == 'm' || *s == 'h') {
            unit = *s == 's' ? 1000 : *s == 'm' ? 60000 : 3600000;
            s++;
        }
        total += v * unit;
        if (unit == 0 || total > TP_MAX_DELAY_MS)
            return -1;
    }
    *ms = (uint64_t)(total + 0.5);
    return 0;
}

/* The known, non-null value of attribute name in obj (borrowed) or NULL. */
static const val *known_attr(val obj, const char *name)
{
    const val *v = val_kind(obj) == VAL_OBJECT && !val_is_unknown(obj)
                       ? val_lookup(obj, name) : NULL;
    return v && !val_is_unknown(*v) && !val_is_null(*v) ? v : NULL;
}

/* Check the behaviour controls of obj (borrowed): fail_on names one of
 * the four operations, fail_count is a whole number in range, each delay
 * parses.  Unknown and null values are skipped (validate sees unknowns). */
static int check_controls(val obj, prov_diag *d)
{
    const val *v = known_attr(obj, "fail_on");
    if (v) {
        const char *s = val_kind(*v) == VAL_STRING ? val_get_string(*v) : "";
        size_t i = 0;
        while (i < 4 && strcmp(s, op_names[i]) != 0)
            i++;
        if (i == 4)
            return tp_fail(d, CAIRN_EINVAL, "fail_on", "test_resource: invalid fail_on",
                           "fail_on must be one of \"create\", \"update\", \"delete\" or "
                           "\"read\", not \"%s\".", s);
    }
    v = known_attr(obj, "fail_count");
    if (v) {
        double n = val_kind(*v) == VAL_NUMBER ? val_get_number(*v) : -1;
        if (!(n >= 0 && n <= TP_MAX_FAIL_COUNT) || n != floor(n))
            return tp_fail(d, CAIRN_EINVAL, "fail_count", "test_resource: invalid fail_count",
                           "fail_count must be a whole number from 0 to %d.",
                           TP_MAX_FAIL_COUNT);
    }
    for (size_t i = 0; i < 4; i++) {
        uint64_t ms;
        const char *name = i < 3 ? delay_attrs[i] : TP_CREATE_WAIT;
        v = known_attr(obj, name);
        if (v && (val_kind(*v) != VAL_STRING || parse_duration(val_get_string(*v), &ms)))
            return tp_fail(d, CAIRN_EINVAL, name, "test_resource: invalid duration",
                           "%s must be a duration such as \"250ms\", \"1s\", \"1m30s\" or "
                           "\"2h\", at most one hour.", name);
    }
    return 0;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Sleep for the duration attribute attr of obj (checked by
 * check_controls), in slices of TP_WAIT_SLICE_MS, watching c->cancel; with
 * waiting set, as a wait the engine does not count against -parallelism
 * (c->waiting).  A duration beyond a non-zero c->timeout_ms waits out the
 * timeout and fails.  0, CAIRN_ECANCEL or CAIRN_ETIMEOUT. */
static int op_sleep(const prov_call *c, val obj, const char *attr, enum tp_op op, int waiting,
                    prov_diag *d)
{
    const char *s = tp_get_str(obj, attr);
    uint64_t ms = 0;
    if (!s || parse_duration(s, &ms) != 0 || ms == 0)
        return 0;
    uint64_t wait = c->timeout_ms && c->timeout_ms < ms ? c->timeout_ms : ms;
    if (c->progress) {
        char status[96];
        snprintf(status, sizeof status, "%s %s (%s)", waiting ? "waiting" : "sleeping", s, attr);
        c->progress(c->payload, status);
    }
    waiting = waiting && c->waiting;
    if (waiting)
        c->waiting(c->payload, 1);
    uint64_t start = now_ms();
    int rc = 0;
    for (;;) {
        /* An atomic load: the engine sets the flag from another thread, and
         * volatile alone is a data race (TSan reports it). */
        if (c->cancel && __atomic_load_n(c->cancel, __ATOMIC_ACQUIRE)) {
            rc = tp_fail(d, CAIRN_ECANCEL, NULL, "test_resource: cancelled",
                         "%s was cancelled during its %s of %s.", op_names[op], attr, s);
            break;
        }
        uint64_t spent = now_ms() - start;
        if (spent >= wait)
            break;
        uint64_t slice = wait - spent < TP_WAIT_SLICE_MS ? wait - spent : TP_WAIT_SLICE_MS;
        struct timespec ts = {0, (long)slice * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (waiting)
        c->waiting(c->payload, 0);
    if (rc == 0 && wait < ms)
        rc = tp_fail(d, CAIRN_ETIMEOUT, attr, "test_resource: timed out",
                     "%s waited %llu ms, its timeout, of its %s of %s.", op_names[op],
                     (unsigned long long)wait, attr, s);
    return rc;
}

static int op_delay(const prov_call *c, val obj, enum tp_op op, prov_diag *d)
{
    return op_sleep(c, obj, delay_attrs[op], op, 0, d);
}

/* If obj's fail_on names op, fail (always, or while fewer than fail_count
 * attempts at address were counted).  0 when the operation may go on. */
static int injected_failure(prov_instance *p, val obj, enum tp_op op, const char *address,
                            prov_diag *d)
{
    const char *on = tp_get_str(obj, "fail_on");
    if (!on || strcmp(on, op_names[op]) != 0)
        return 0;
    int fail = 1;
    const val *n = known_attr(obj, "fail_count");
    if (n && val_kind(*n) == VAL_NUMBER) {
        int rc = tp_attempt_counts(p, op_names[op], address, (unsigned)val_get_number(*n),
                                   &fail);
        if (rc)
            return tp_fail(d, rc, "fail_count", "test_resource: cannot count attempts", "%s",
                           err_msg());
    }
    if (!fail)
        return 0;
    char summary[64];
    snprintf(summary, sizeof summary, "test_resource: injected failure on %s", op_names[op]);
    return tp_fail(d, CAIRN_EREMOTE, "fail_on", summary,
                   "The object sets fail_on = \"%s\"%s.", op_names[op],
                   n ? " and this attempt is within fail_count" : "");
}

/* What every writing operation does before it writes: check obj's
 * controls, wait op's delay, then decide an injected failure (attempts
 * counted for c->address).  0 when the operation may go on. */
static int before_write(prov_instance *p, const prov_call *c, val obj, enum tp_op op,
                        prov_diag *d)
{
    int rc = check_controls(obj, d);
    if (rc == 0)
        rc = op_delay(c, obj, op, d);
    if (rc == 0)
        rc = injected_failure(p, obj, op, c->address, d);
    return rc;
}

/* ---------------------------------------------------------------- states */

/* The state for attributes attrs (borrowed): every attribute of the
 * schema, taken from attrs or null, converted to the schema's type, and
 * `secret` marked sensitive.  VAL_INVALID with the last error set when a
 * value does not convert. */
static val normalise(prov_instance *p, val attrs)
{
    val obj = val_object_empty();
    int is_obj = val_kind(attrs) == VAL_OBJECT && !val_is_unknown(attrs);
    for (size_t i = 0; i < ty_len(p->res_type); i++) {
        const char *name = ty_attr_name(p->res_type, i);
        const val *v = is_obj ? val_lookup(attrs, name) : NULL;
        obj = val_object_set(obj, name, v ? val_copy(*v) : val_null());
    }
    obj = val_convert(obj, p->res_type);
    const val *secret = val_is_valid(obj) ? val_lookup(obj, "secret") : NULL;
    if (secret && !val_is_sensitive(*secret))
        obj = val_object_set(obj, "secret", val_mark(val_copy(*secret), VAL_MARK_SENSITIVE));
    return obj;
}

/* Upper case of name (ASCII letters; other bytes as they are), or null;
 * sensitive when name is. */
static val name_upper(val from)
{
    const val *name = known_attr(from, "name");
    if (!name || val_kind(*name) != VAL_STRING)
        return val_null();
    size_t n = val_string_len(*name);
    char *s = xmalloc(n + 1);
    memcpy(s, val_get_string(*name), n + 1);
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
    return val_mark(val_string_own(s, n), val_marks(*name) & VAL_MARK_SENSITIVE);
}

/* Build *out (owned): the state of object id from the arguments in from
 * (borrowed) with the computed attributes set.  Every attribute must be
 * known.  0 or CAIRN_EINVAL with d filled. */
static int build_state(prov_instance *p, val from, const char *id, const char *created_at,
                       double generation, val *out, prov_diag *d)
{
    char *arn = xasprintf("arn:test:::resource/%s", id);
    val raw = val_copy(from);
    raw = val_object_set(raw, "id", val_string(id));
    raw = val_object_set(raw, "name_upper", name_upper(from));
    raw = val_object_set(raw, "arn", val_string_own(arn, strlen(arn)));
    raw = val_object_set(raw, "created_at", val_string(created_at));
    raw = val_object_set(raw, "generation", val_number(generation));
    *out = val_is_valid(raw) ? normalise(p, raw) : val_invalid();
    val_free(raw);
    if (!val_is_valid(*out))
        return tp_fail(d, CAIRN_EINVAL, NULL, "test_resource: state does not fit the schema",
                       "%s", err_msg());
    for (size_t i = 0; i < val_len(*out); i++) {
        if (val_is_wholly_known(*val_at(*out, i)))
            continue;
        int rc = tp_fail(d, CAIRN_EINVAL, NULL, "test_resource: value not known at apply",
                         "Attribute \"%s\" of the planned state is still unknown.",
                         val_key_at(*out, i));
        val_free(*out);
        *out = val_invalid();
        return rc;
    }
    return 0;
}

/* Check that planned/prior is a known object; what names it in messages. */
static int need_object(val v, const char *what, prov_diag *d)
{
    if (val_kind(v) == VAL_OBJECT && !val_is_unknown(v) && !val_is_null(v))
        return 0;
    return tp_fail(d, CAIRN_EINVAL, NULL, "test_resource: bad call",
                   "The %s state is not a known object.", what);
}

/* The id of a prior state (borrowed from prior). */
static int prior_id(val prior, const char **id, prov_diag *d)
{
    int rc = need_object(prior, "prior", d);
    if (rc)
        return rc;
    *id = tp_get_str(prior, "id");
    if (!tp_valid_id(*id))
        return tp_fail(d, CAIRN_EINVAL, "id", "test_resource: bad call",
                       "The prior state has no valid id.");
    return 0;
}

/* The current time, RFC 3339 UTC ("2024-05-01T12:00:00Z"), into buf[32]. */
static void rfc3339_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Report a store error (message in the last error) as d's detail. */
static int store_fail(prov_diag *d, int rc, const char *what)
{
    return tp_fail(d, rc, NULL, what, "%s", err_msg());
}

/* ---------------------------------------------------------------- operations */

/* validate: behaviour controls well-formed; unknown values are skipped. */
static int tr_validate(prov_instance *p, const prov_call *c, val config, prov_diag *d)
{
    (void)p;
    (void)c;
    return check_controls(config, d);
}

/* create: wait create_delay, maybe fail, then write the token index entry
 * and the object file, then wait create_wait for it to become available. */
static int tr_create(prov_instance *p, const prov_call *c, val planned, val *state,
                     prov_diag *d)
{
    *state = val_invalid();
    int rc = need_object(planned, "planned", d);
    if (rc == 0)
        rc = before_write(p, c, planned, TP_CREATE, d);
    if (rc)
        return rc;
    char hex[17], created[32];
    if (tp_random_hex(hex, 8) != 0)
        return store_fail(d, CAIRN_EIO, "test_resource: cannot make an id");
    char *id = xasprintf("%s%s%s", p->prefix, TP_ID_PREFIX, hex);
    rfc3339_now(created);
    val st;
    rc = build_state(p, planned, id, created, 1, &st, d);
    if (rc == 0 && c->token) {
        rc = tp_token_put(p, c->token, id);
        if (rc)
            store_fail(d, rc, "test_resource: cannot record the token");
    }
    if (rc == 0) {
        rc = tp_store_put(p, id, st, c->token, c->address);
        if (rc)
            store_fail(d, rc, "test_resource: cannot write the object");
    }
    if (rc == 0)   /* the object exists; now it "becomes available" */
        rc = op_sleep(c, planned, TP_CREATE_WAIT, TP_CREATE, 1, d);
    free(id);
    if (rc)
        val_free(st);
    else
        *state = st;
    return rc;
}

/* Read object id for a read of prior (borrowed): injected read failure
 * (the attempts counted for address, else the address stored with the
 * object), then the state or null when the file is gone. */
static int read_one(prov_instance *p, const char *address, val prior, val *state,
                    prov_diag *d)
{
    const char *id;
    tp_record rec;
    *state = val_invalid();
    int rc = prior_id(prior, &id, d);
    if (rc)
        return rc;
    rc = tp_store_get(p, id, &rec);
    if (rc && rc != CAIRN_ENOTFOUND)
        return store_fail(d, rc, "test_resource: cannot read the object");
    int found = rc == 0;
    rc = injected_failure(p, prior, TP_READ, address ? address : rec.address, d);
    if (rc == 0)
        *state = found ? normalise(p, rec.attrs) : val_null_of(ty_copy(p->res_type));
    if (rc == 0 && !val_is_valid(*state))
        rc = tp_fail(d, CAIRN_ECORRUPT, NULL, "test_resource: stored object does not fit the "
                     "schema", "Object %s: %s", id, err_msg());
    tp_record_free(&rec);
    return rc;
}

/* read: the object's current state, null when its file is gone. */
static int tr_read(prov_instance *p, const prov_call *c, val prior, val *state, prov_diag *d)
{
    return read_one(p, c->address, prior, state, d);
}

/* read_many: read each prior by its file (no directory scan).  A prior
 * whose fail_on is "read" fails the whole call, counting attempts under
 * the address stored with that object.  On failure every states[i] is
 * VAL_INVALID. */
static int tr_read_many(prov_instance *p, const prov_call *c, const val *priors, size_t n,
                        val *states, prov_diag *d)
{
    (void)c;
    for (size_t i = 0; i < n; i++)
        states[i] = val_invalid();
    for (size_t i = 0; i < n; i++) {
        int rc = read_one(p, NULL, priors[i], &states[i], d);
        if (rc == 0)
            continue;
        while (i > 0) {
            i--;
            val_free(states[i]);
            states[i] = val_invalid();
        }
        return rc;
    }
    return 0;
}

/* The value of attribute name in obj, or null (borrowed view). */
static val attr_or_null(val obj, const char *name)
{
    const val *v = val_lookup(obj, name);
    return v ? *v : val_null();
}

/* Under p->mu: rewrite object id from planned with generation + 1. */
static int update_locked(prov_instance *p, const prov_call *c, const char *id, val planned,
                         val *state, prov_diag *d)
{
    tp_record rec;
    int rc = tp_store_get(p, id, &rec);
    if (rc == CAIRN_ENOTFOUND)
        return tp_fail(d, rc, NULL, "test_resource: object no longer exists",
                       "%s was deleted outside cairn; refresh to plan its re-creation.", id);
    if (rc)
        return store_fail(d, rc, "test_resource: cannot read the object");
    const val *g = known_attr(rec.attrs, "generation");
    double gen = g && val_kind(*g) == VAL_NUMBER ? val_get_number(*g) : 1;
    const char *created = tp_get_str(rec.attrs, "created_at");
    char now[32];
    if (!created) {
        rfc3339_now(now);
        created = now;
    }
    val st;
    rc = build_state(p, planned, id, created, gen + 1, &st, d);
    if (rc == 0) {
        rc = tp_store_put(p, id, st, rec.token, c->address ? c->address : rec.address);
        if (rc)
            store_fail(d, rc, "test_resource: cannot write the object");
    }
    if (rc)
        val_free(st);
    else
        *state = st;
    tp_record_free(&rec);
    return rc;
}

/* update: every argument in place except replace_me (FORCE_NEW). */
static int tr_update(prov_instance *p, const prov_call *c, val prior, val planned,
                     val *state, prov_diag *d)
{
    const char *id;
    *state = val_invalid();
    int rc = prior_id(prior, &id, d);
    if (rc == 0)
        rc = need_object(planned, "planned", d);
    if (rc)
        return rc;
    if (!val_raw_equal(attr_or_null(prior, "replace_me"), attr_or_null(planned, "replace_me")))
        return tp_fail(d, CAIRN_EINVAL, "replace_me", "test_resource: replace_me cannot be "
                       "updated", "replace_me forces replacement: %s must be destroyed and "
                       "created again, not updated.", id);
    rc = before_write(p, c, planned, TP_UPDATE, d);
    if (rc)
        return rc;
    pthread_mutex_lock(&p->mu);
    rc = update_locked(p, c, id, planned, state, d);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* del: wait delete_delay, maybe fail, then remove the object file and its
 * token index entry.  Gone already is success. */
static int tr_del(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    const char *id;
    int rc = prior_id(prior, &id, d);
    if (rc == 0)
        rc = before_write(p, c, prior, TP_DELETE, d);
    if (rc)
        return rc;
    tp_record rec;
    pthread_mutex_lock(&p->mu);
    rc = tp_store_get(p, id, &rec);
    if (rc == 0) {
        rc = tp_store_remove(p, id);
        if (rc == 0 && rec.token)
            rc = tp_token_remove(p, rec.token);
        tp_record_free(&rec);
    } else if (rc == CAIRN_ENOTFOUND) {
        rc = 0;
    }
    pthread_mutex_unlock(&p->mu);
    return rc ? store_fail(d, rc, "test_resource: cannot delete the object") : 0;
}

/* State of the stored object id (must exist) into *state. */
static int state_of_id(prov_instance *p, const char *id, val *state, prov_diag *d)
{
    tp_record rec;
    int rc = tp_store_get(p, id, &rec);
    if (rc == CAIRN_ENOTFOUND)
        return tp_fail(d, rc, NULL, "Cannot import non-existent remote object",
                       "No test_resource with id \"%s\" exists in %s.", id, p->dir);
    if (rc)
        return store_fail(d, rc, "test_resource: cannot read the object");
    *state = normalise(p, rec.attrs);
    tp_record_free(&rec);
    if (!val_is_valid(*state))
        return tp_fail(d, CAIRN_ECORRUPT, NULL, "test_resource: stored object does not fit "
                       "the schema", "Object %s: %s", id, err_msg());
    return 0;
}

/* import: the state of an existing object by id. */
static int tr_import(prov_instance *p, const prov_call *c, const char *id, val *state,
                     prov_diag *d)
{
    (void)c;
    *state = val_invalid();
    if (!tp_valid_id(id))
        return tp_fail(d, CAIRN_EINVAL, "id", "test_resource: invalid id",
                       "\"%s\" is not a test_resource id (such as \"tr-0123456789abcdef\").",
                       id ? id : "");
    return state_of_id(p, id, state, d);
}

/* find_by_token: the object created with c->token, or null when the
 * create never wrote it (or its file was deleted since). */
static int tr_find_by_token(prov_instance *p, const prov_call *c, val *state, prov_diag *d)
{
    char *id = NULL;
    *state = val_invalid();
    if (!c->token)
        return tp_fail(d, CAIRN_EINVAL, NULL, "test_resource: bad call",
                       "find_by_token was called without a token.");
    int rc = tp_token_get(p, c->token, &id);
    if (rc == CAIRN_ENOTFOUND) {
        *state = val_null_of(ty_copy(p->res_type));
        return 0;
    }
    if (rc)
        return store_fail(d, rc, "test_resource: cannot read the token index");
    rc = state_of_id(p, id, state, d);
    free(id);
    if (rc == CAIRN_ENOTFOUND) {
        *state = val_null_of(ty_copy(p->res_type));
        rc = 0;
    }
    return rc;
}

/* Durations are nominal (1 s each): the scheduler's hint only; the real
 * time is whatever the *_delay arguments say. */
const prov_resource_type tp_resource_types[TP_NRESOURCES] = {{
    .name = TP_RESOURCE_TYPE,
    .schema_version = 0,
    .schema = &tp_resource_schema,
    .durations = {.create_ms = 1000, .update_ms = 1000, .delete_ms = 1000, .read_ms = 1000},
    .ops = {
        .validate = tr_validate,
        .plan = NULL,
        .create = tr_create,
        .read = tr_read,
        .read_many = tr_read_many,
        .update = tr_update,
        .del = tr_del,
        .import = tr_import,
        .find_by_token = tr_find_by_token,
    },
}};
