/*
 * providers/aws/aws_resource.h — what the AWS plugin's resource families
 * (aws_<service>_<family>.c) share: the configured provider instance,
 * diagnostics, reading arguments out of values, building states from the
 * static schemas, tags and tags_all, the cairn:token intent tag, and
 * bounded retry loops.  Nothing here is part of the plugin ABI: the engine
 * sees only cairn_provider_entry() (aws_plugin.c) and providers/provider.h.
 *
 * The shape every family copies (see aws_ec2_vpc.c and aws_ec2.h):
 *   - schema as static data (prov_attr arrays); a state starts as
 *     aws_state_new(schema) — every attribute present, null of its type —
 *     and is filled from the API's response, so the schema is the one
 *     description of a state's shape;
 *   - create = validate, create call (tags and the cairn:token tag in the
 *     same call), wait until the object is visible, set what the create
 *     call cannot, then read; a failure after the object exists deletes it
 *     again (aws_ec2_undo) so that a failed create leaves nothing behind,
 *     except on cancellation, where the engine's intent and find_by_token
 *     take over;
 *   - read = read_many of one; read_many = one batched Describe per 200 ids;
 *   - update = one call per changed attribute, tags by difference, then read;
 *   - delete = retry the dependency errors for a bounded time; gone is fine;
 *   - import = read by id; find_by_token = Describe filtered by the tag.
 *
 * What must stay true:
 *   - a prov_instance is shared by worker threads and immutable after
 *     configure (aws_client is thread-safe);
 *   - the cairn:token tag (AWS_TOKEN_TAG) never appears in `tags` or
 *     `tags_all`, and tag updates never remove it;
 *   - no credential or sensitive value is ever put into a diagnostic or a
 *     log line unmasked (the client layer masks what it knows; families
 *     register sensitive arguments with aws_log_redact).
 */
#ifndef CAIRN_AWS_RESOURCE_H
#define CAIRN_AWS_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "lang/val.h"
#include "providers/aws/aws.h"
#include "providers/provider.h"

#pragma GCC visibility push(hidden)

#define AWS_PLUGIN_NAME "aws"
#define AWS_PLUGIN_VERSION "0.1.0"
/* The tag every object cairn creates carries (value: the engine's intent
 * token), so that a create interrupted by a crash can be found again. */
#define AWS_TOKEN_TAG "cairn:token"
/* Most resource types the plugin table holds (aws_plugin.c). */
#define AWS_MAX_RESOURCE_TYPES 64
/* Most data sources the plugin table holds. */
#define AWS_MAX_DATA_SOURCES 64
/* Longest id accepted by import and find_by_token (bytes). */
#define AWS_MAX_ID_LEN 128

/* A configured provider (one per provider block / alias). */
struct prov_instance {
    aws_config cfg;        /* the provider block, owned (default_tags inside) */
    aws_client *client;    /* owned */
    char *partition;       /* "aws", "aws-cn", "aws-us-gov" (ARNs), owned */
};

/* ---------------------------------------------------------------- diagnostics */

/* Fill d (may be NULL) with summary and a printf-style detail (detail_fmt
 * may be NULL) naming attribute attr (static string or NULL); returns code
 * so that callers can write `return aws_fail(d, CAIRN_EINVAL, ...)`. */
int aws_fail(prov_diag *d, int code, const char *attr, const char *summary,
             const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

/* Report a failed client call rc (negative) as summary ("creating EC2 VPC")
 * with the client's last error message (code, message, request id) as the
 * detail; e (may be NULL) decides d->retryable (throttling, 5xx, transport).
 * Returns rc. */
int aws_fail_call(prov_diag *d, int rc, const aws_error *e, const char *summary);

/* ---------------------------------------------------------------- arguments */

/* The known, non-null value of attribute name in obj (borrowed), or NULL
 * when obj is not a known object or the attribute is absent, null or
 * unknown. */
const val *aws_arg(val obj, const char *name);
/* The attribute's string (borrowed), or NULL (absent, null, unknown, not a
 * string). */
const char *aws_arg_str(val obj, const char *name);
/* 1 and *out when the attribute is a known bool, else 0. */
int aws_arg_bool(val obj, const char *name, int *out);
/* 1 and *out when the attribute is a known number, else 0. */
int aws_arg_num(val obj, const char *name, double *out);
/* Append the known string entries of map attribute name to out (unknown
 * entries are skipped); 1 when the map is set (possibly empty), 0 when it
 * is null or absent. */
int aws_arg_tags(val obj, const char *name, aws_kvlist *out);
/* Whether attribute name differs between prior and planned (structurally;
 * an unknown planned value differs). */
int aws_arg_changed(val prior, val planned, const char *name);

/* ---------------------------------------------------------------- states */

/* A state of schema s: an object with every attribute and block of s set
 * to null of its type (type expressions of the primitive and collection
 * kinds are typed; anything else is null of type any, which the engine
 * converts).  Owned. */
val aws_state_new(const prov_schema *s);
/* Set attribute name of st (consumed) to a string, or null of string when
 * s is NULL or empty; returns st. */
val aws_state_str(val st, const char *name, const char *s);
val aws_state_bool(val st, const char *name, int b);
val aws_state_num(val st, const char *name, double n);
/* Copy attribute name from prior (borrowed) into st, or leave st's value
 * when prior has none (arguments the API never reports back). */
val aws_state_keep(val st, val prior, const char *name);
/* A map(string) value of kvs. */
val aws_tags_val(const aws_kvlist *kvs);

/* ---------------------------------------------------------------- tags */

/* Set `tags` and `tags_all` of st (consumed) from the tags the API reports
 * (remote; system aws:* and cairn:token already removed): tags_all is all
 * of them; tags drops the default_tags entries the resource did not set
 * itself (a key absent from prior's tags whose value equals the default).
 * tags is null when empty unless prior's tags was an empty map.  prior is
 * borrowed (the previous state, the planned state at create, or null). */
val aws_state_tags(val st, prov_instance *p, const aws_kvlist *remote, val prior);
/* tags_all as planned: provider default_tags overlaid by obj's `tags`
 * (obj borrowed); 0, or CAIRN_EINVAL when a tag is unknown (out is then
 * incomplete). */
int aws_tags_all(prov_instance *p, val obj, aws_kvlist *out);
/* Reject, in map attribute name of obj (borrowed; unknown entries
 * skipped), the keys cairn or AWS own: AWS_TOKEN_TAG and "aws:*".
 * 0 or CAIRN_EINVAL with d filled. */
int aws_tags_validate(val obj, const char *name, prov_diag *d);
/* Remove key from l (no-op when absent). */
void aws_kv_remove(aws_kvlist *l, const char *key);

/* ---------------------------------------------------------------- plan */

/* The `plan` slot every taggable type shares: proposed with tags_all set to
 * default_tags overlaid by tags (unknown while a tag is unknown), and no
 * extra replacement paths.  Families with conditional replacement wrap it. */
int aws_plan_tags(prov_instance *p, const prov_call *c, val prior, val proposed,
                  val *planned, val *replace_paths, prov_diag *d);

/* ---------------------------------------------------------------- waiting */

/* The operation's timeout: c->timeout_ms when the engine set one, else
 * dflt_ms (the resource's documented default). */
long aws_timeout(const prov_call *c, long dflt_ms);
/* Whether the engine asked to stop (c->cancel set and non-zero). */
int aws_call_cancelled(const prov_call *c);

/* One attempt of a call that may be repeated (aws_retry_codes). Returns 0,
 * or a negative cairn_err with e filled when it was an AWS error. */
typedef int (*aws_attempt_fn)(void *payload, aws_error *e);
/* Repeat fn while it fails with an AWS error whose code is in codes
 * (NULL-terminated; "Prefix.*" patterns allowed), backing off from 1 s to
 * 10 s, for at most timeout_ms, watching c->cancel.  Returns fn's last
 * result, CAIRN_ETIMEOUT (last error names the code) or CAIRN_ECANCEL. */
int aws_retry_codes(const prov_call *c, long timeout_ms, const char *const *codes,
                    aws_attempt_fn fn, void *payload, aws_error *e);

/* ---------------------------------------------------------------- ids, ARNs */

/* Whether id looks like prefix-<hex>, the shape of EC2 ids ("vpc-0a1b..."),
 * at most AWS_MAX_ID_LEN bytes. */
int aws_id_valid(const char *id, const char *prefix);
/* Whether s is an IPv4 network in CIDR notation ("10.0.0.0/16": host bits
 * zero) whose prefix length is in [minlen, maxlen]. */
int aws_cidr4_valid(const char *s, int minlen, int maxlen);
/* "arn:<partition>:<service>:<region>:<account>:<resource>", owned. */
char *aws_arn(prov_instance *p, const char *service, const char *account,
              const char *resource);

/* ---------------------------------------------------------------- families */

/* A resource family's types (aws_plugin.c concatenates them). */
typedef struct aws_family {
    const prov_resource_type *types;
    size_t ntypes;
} aws_family;

/* aws_ec2_vpc.c: aws_vpc, aws_subnet. */
extern const aws_family aws_ec2_vpc_family;
/* aws_ec2_gateway.c: aws_internet_gateway, aws_eip, aws_nat_gateway. */
extern const aws_family aws_ec2_gateway_family;
/* aws_ec2_route.c: aws_route_table, aws_route, aws_route_table_association. */
extern const aws_family aws_ec2_route_family;
/* aws_ec2_sg.c: aws_security_group, aws_vpc_security_group_ingress_rule,
 * aws_vpc_security_group_egress_rule. */
extern const aws_family aws_ec2_sg_family;

/* A family's data sources (aws_plugin.c concatenates them). */
typedef struct aws_data_family {
    const prov_data_source *sources;
    size_t nsources;
} aws_data_family;

/* aws_data.c: aws_availability_zones, aws_vpc, aws_subnets,
 * aws_caller_identity, aws_region, aws_iam_policy_document. */
extern const aws_data_family aws_data_sources;

#pragma GCC visibility pop

#endif
