/*
 * providers/aws/aws_ec2.h — what the EC2 resource families (VPC, subnets,
 * and later gateways, route tables, security groups) share: a type
 * descriptor (aws_ec2_type) that holds everything the generic operations
 * need, and those operations: batched Describe, read/read_many/import/
 * find_by_token, create with the cairn:token tag, waits, delete with
 * dependency retries, tag updates.
 *
 * A family supplies data (schema, field table, descriptor) and the few
 * functions the API makes specific (create parameters, attribute updates,
 * validation); the generic code does the rest the same way for every type.
 *
 * What must stay true:
 *   - reads select by id with a Filter (never an id list), so a missing
 *     object is simply not listed (gone → null) instead of failing the
 *     whole batch with NotFound; at most AWS_EC2_MAX_FILTER_VALUES ids go
 *     into one request;
 *   - every create call carries the cairn:token tag in TagSpecification;
 *   - waits are bounded (the operation's timeout) and watch c->cancel.
 */
#ifndef CAIRN_AWS_EC2_H
#define CAIRN_AWS_EC2_H

#include "providers/aws/aws_resource.h"

#pragma GCC visibility push(hidden)

/* AWS accepts at most 200 values in one filter (FilterLimitExceeded). */
#define AWS_EC2_MAX_FILTER_VALUES 200
/* MaxResults of a paginated Describe when the type does not say. */
#define AWS_EC2_MAX_RESULTS 1000
/* How long an ambiguous create failure (5xx, lost connection) is settled
 * by looking for the token tag before it is reported. */
#define AWS_EC2_RECOVER_MS 20000
/* Most sends of a create whose failures left nothing carrying its token. */
#define AWS_EC2_CREATE_ATTEMPTS 3
/* Poll delays of waits (jittered, doubling between the two). */
#define AWS_EC2_WAIT_MIN_MS 500
#define AWS_EC2_WAIT_MAX_MS 5000
/* How long the delete that undoes a failed create may retry. */
#define AWS_EC2_UNDO_MS 60000
/* How long a delete waits for the object to leave Describe. */
#define AWS_EC2_GONE_MS 120000

/* An extra Describe filter with one value. */
typedef struct aws_ec2_filter {
    const char *name;
    const char *value;
} aws_ec2_filter;

/* A Describe call: action, the element holding the items, the filter that
 * selects by id, page size, extra filters ANDed with the ids. */
typedef struct aws_ec2_query {
    const char *action;          /* "DescribeSubnets" */
    const char *set;             /* "subnetSet" */
    const char *id_filter;       /* "subnet-id" */
    int max_results;             /* 0: AWS_EC2_MAX_RESULTS; <0: the call does not
                                    paginate (DescribeAddresses): no MaxResults */
    const aws_ec2_filter *filters;
    size_t nfilters;
} aws_ec2_query;

/* Called for every item listed; return 0 to go on, 1 to stop, <0 to fail. */
typedef int (*aws_ec2_item_fn)(const aws_xml_node *item, void *payload);

/* Run q for ids (nids of them, chunked by AWS_EC2_MAX_FILTER_VALUES,
 * following NextToken), or once without an id filter when ids is NULL;
 * nothing is sent when ids is not NULL and nids is 0.  Returns 0, fn's
 * negative result, or the client's error (e filled for AWS errors). */
int aws_ec2_describe(prov_instance *p, const aws_ec2_query *q, const char *const *ids,
                     size_t nids, aws_ec2_item_fn fn, void *payload, aws_error *e);

/* How a response field becomes a state attribute. */
enum aws_ec2_kind {
    AWS_EC2_STR,        /* text; missing or empty: null */
    AWS_EC2_BOOL,       /* "true"/"false"; missing: false */
    AWS_EC2_BOOL_OPT,   /* like BOOL, but false stays null when prior's is null */
    AWS_EC2_NUM_OPT,    /* number; missing or 0: null */
    AWS_EC2_KEEP,       /* not reported by the API: prior's value */
};

typedef struct aws_ec2_field {
    const char *attr;            /* state attribute */
    const char *path;            /* element path inside the item (NULL for KEEP) */
    enum aws_ec2_kind kind;
} aws_ec2_field;

/* Set the n fields f of st (consumed) from item; prior (borrowed) for
 * BOOL_OPT and KEEP.  Returns st. */
val aws_ec2_fields(val st, const aws_xml_node *item, const aws_ec2_field *f, size_t n,
                   val prior);

/* The tags of item's tagSet into out, without aws:* and cairn:token.  Then
 * *token (optional) receives the cairn:token value (owned) or NULL. */
void aws_ec2_tags(aws_kvlist *out, const aws_xml_node *item, char **token);
/* TagSpecification.1 for resource type rtype: tags plus cairn:token=token
 * (when token is not NULL). */
void aws_ec2_tag_spec(aws_params *prm, const char *rtype, const aws_kvlist *tags,
                      const char *token);

typedef struct aws_ec2_type aws_ec2_type;
/* Add a create call's own parameters for planned (borrowed). */
typedef void (*aws_ec2_params_fn)(aws_params *prm, val planned);
/* A family's changes between two states of object id: the calls that bring
 * it from prior to planned (attributes one by one).  Used after create
 * (prior: the new object as first listed) and by update.  Returns how many
 * calls it made (0: nothing differed), or a negative cairn_err with d
 * filled. */
typedef int (*aws_ec2_change_fn)(prov_instance *p, const prov_call *c, const char *id,
                                 val prior, val planned, prov_diag *d);
/* The validate slot (provider.h): checks of a configuration. */
typedef int (*aws_ec2_validate_fn)(prov_instance *p, const prov_call *c, val config,
                                   prov_diag *d);
/* The state of one listed item: aws_state_new + fields + tags.  prior is
 * the previous state (at create: the planned state with its id). */
typedef val (*aws_ec2_build_fn)(prov_instance *p, const aws_xml_node *item, val prior);
/* Complete n states (null where gone) with what needs more calls (a VPC's
 * attributes); 0 or a negative cairn_err with d filled. */
typedef int (*aws_ec2_finish_fn)(prov_instance *p, val *states, size_t n, prov_diag *d);

/* Everything the generic operations need to know about an EC2 type. */
struct aws_ec2_type {
    const char *noun;            /* "EC2 VPC": messages */
    const char *id_prefix;       /* "vpc": import checks ids against it */
    const char *id_path;         /* the item's id element: "vpcId" */
    const char *state_path;      /* the item's lifecycle state element or NULL */
    const char *const *ready;    /* states that end a create's wait: {"available", NULL} */
    const char *tag_rtype;       /* TagSpecification ResourceType: "vpc" */
    aws_ec2_query query;         /* the Describe call */
    aws_ec2_build_fn build;
    aws_ec2_finish_fn finish;    /* or NULL */
    const char *delete_action;   /* "DeleteVpc" */
    const char *id_param;        /* the parameter naming one object: "VpcId" */
    const char *notfound;        /* "InvalidVpcID.NotFound": gone */
    const char *const *busy;     /* codes retried by delete: {"DependencyViolation", NULL} */
    long create_timeout_ms, delete_timeout_ms;   /* documented defaults */
    int wait_gone;               /* delete waits until Describe no longer lists it */
    const char *create_action;   /* "CreateVpc" */
    const char *create_item;     /* the new object in its response: "vpc" */
    aws_ec2_params_fn create_params;
    aws_ec2_change_fn after_create;  /* from the object as first listed; or NULL */
    aws_ec2_change_fn change;        /* update's calls besides tags; or NULL */
    aws_ec2_validate_fn validate;    /* of a configuration; create runs it too */
    const char *client_token;    /* the create call's idempotency parameter
                                    ("ClientToken"), sent with c->token; or NULL */
};

/* read_many: one batched Describe (aws_ec2_describe), build per item, finish.
 * states[i] is null when priors[i] is gone or has no id.  On failure every
 * states[i] is VAL_INVALID. */
int aws_ec2_read_many(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                      const val *priors, size_t n, val *states, prov_diag *d);
/* read: read_many of one. */
int aws_ec2_read(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val prior,
                 val *state, prov_diag *d);
/* The state of object id read with prior (prior's id replaced); *state null
 * when it does not exist. */
int aws_ec2_read_id(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                    const char *id, val prior, val *state, prov_diag *d);
/* import: the state of an existing object by id ("vpc-..."). */
int aws_ec2_import(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                   const char *id, val *state, prov_diag *d);
/* find_by_token: the object tagged cairn:token = c->token, or null. */
int aws_ec2_find_by_token(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                          val *state, prov_diag *d);

/* create, the same for every EC2 type: validate (the engine may not have),
 * send t->create_action with t->create_params and the tags — default_tags
 * overlaid by tags, plus cairn:token — in TagSpecification (an ambiguous
 * failure, transport error or 5xx, is settled by looking for the token for
 * AWS_EC2_RECOVER_MS), wait until Describe lists the object in a t->ready
 * state, run t->after_create from that listed state to planned, and return
 * the listed state — or, when after_create made calls, the object read
 * back.  A failure after the object exists deletes it again
 * (aws_ec2_undo). */
int aws_ec2_create(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val planned,
                   val *state, prov_diag *d);
/* update, the same for every EC2 type: t->change, tags by difference
 * (aws_ec2_update_tags), read back. */
int aws_ec2_update(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val prior,
                   val planned, val *state, prov_diag *d);
/* del: delete prior's object (no id: nothing to do). */
int aws_ec2_del(prov_instance *p, const prov_call *c, const aws_ec2_type *t, val prior,
                prov_diag *d);

/* The seven operations of an EC2 type described by the aws_ec2_type
 * `type`, as static functions NAME_create, NAME_read, NAME_read_many,
 * NAME_update, NAME_del, NAME_import and NAME_find_by_token for the
 * prov_resource_ops of the type (validate and plan are the family's). */
#define AWS_EC2_OPS(NAME, type)                                                             \
    static int NAME##_create(prov_instance *p, const prov_call *c, val planned, val *state, \
                             prov_diag *d)                                                  \
    {                                                                                       \
        return aws_ec2_create(p, c, &(type), planned, state, d);                            \
    }                                                                                       \
    static int NAME##_read(prov_instance *p, const prov_call *c, val prior, val *state,     \
                           prov_diag *d)                                                    \
    {                                                                                       \
        return aws_ec2_read(p, c, &(type), prior, state, d);                                \
    }                                                                                       \
    static int NAME##_read_many(prov_instance *p, const prov_call *c, const val *priors,    \
                                size_t n, val *states, prov_diag *d)                        \
    {                                                                                       \
        return aws_ec2_read_many(p, c, &(type), priors, n, states, d);                      \
    }                                                                                       \
    static int NAME##_update(prov_instance *p, const prov_call *c, val prior, val planned,  \
                             val *state, prov_diag *d)                                      \
    {                                                                                       \
        return aws_ec2_update(p, c, &(type), prior, planned, state, d);                     \
    }                                                                                       \
    static int NAME##_del(prov_instance *p, const prov_call *c, val prior, prov_diag *d)    \
    {                                                                                       \
        return aws_ec2_del(p, c, &(type), prior, d);                                        \
    }                                                                                       \
    static int NAME##_import(prov_instance *p, const prov_call *c, const char *id,          \
                             val *state, prov_diag *d)                                      \
    {                                                                                       \
        return aws_ec2_import(p, c, &(type), id, state, d);                                 \
    }                                                                                       \
    static int NAME##_find_by_token(prov_instance *p, const prov_call *c, val *state,       \
                                    prov_diag *d)                                           \
    {                                                                                       \
        return aws_ec2_find_by_token(p, c, &(type), state, d);                              \
    }

/* An attribute set with one call of its own: attr -> request parameter
 * ("map_public_ip_on_launch" -> "MapPublicIpOnLaunch.Value"). */
typedef struct aws_ec2_mod {
    const char *attr;
    const char *param;
} aws_ec2_mod;
/* For each of the n mods, in order, whose attribute is known and not null
 * in planned and differs from prior: action with t->id_param=id and
 * param=value (bool "true"/"false", whole number, string).  Returns the
 * number of calls made, or a negative cairn_err. */
int aws_ec2_modify(prov_instance *p, const aws_ec2_type *t, const char *action,
                   const char *id, const aws_ec2_mod *mods, size_t n, val prior, val planned,
                   prov_diag *d);
/* Wait (bounded by timeout_ms, watching c->cancel) until Describe lists id
 * with its state element in target; "" in target means "not listed". */
int aws_ec2_wait(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                 const char *id, const char *const *target, long timeout_ms, prov_diag *d);
/* Delete id: the busy codes are retried until the timeout (c's, else the
 * type's default); NotFound is success; then, if t->wait_gone, wait until it
 * is no longer listed. */
int aws_ec2_delete(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                   const char *id, prov_diag *d);
/* After a failure (rc, d filled) past a successful create call: delete id
 * again so that nothing is left behind, and say so in d's detail.  On
 * cancellation nothing is deleted (the engine's intent finds it later).
 * Returns rc. */
int aws_ec2_undo(prov_instance *p, const prov_call *c, const aws_ec2_type *t,
                 const char *id, int rc, prov_diag *d);
/* Bring the tags of id from prior's tags_all to planned's (default_tags
 * overlaid by tags): DeleteTags for keys that go, CreateTags for keys that
 * are new or change.  cairn:token is never touched. */
int aws_ec2_update_tags(prov_instance *p, const aws_ec2_type *t, const char *id,
                        val prior, val planned, prov_diag *d);
/* One EC2 call with id_param=id plus the name=value pairs in kv (2*nkv
 * strings), retried when safe; summary names what failed. */
int aws_ec2_simple(prov_instance *p, const char *action, const char *id_param,
                   const char *id, const char *const *kv, size_t nkv, const char *summary,
                   prov_diag *d);

#pragma GCC visibility pop

#endif
