/*
 * providers/aws/aws.h — the AWS client layer: the internal API the resource
 * families (aws_<service>_*.c) use to talk to AWS.
 *
 * Lifecycle:
 *
 *     aws_config cfg;  aws_config_init(&cfg);      filled by provider configure
 *     cfg.region = xstrdup("us-east-1"); ...
 *     aws_client *c;
 *     if (aws_client_new(&c, &cfg) < 0) -> err_msg()  (credentials, region...)
 *     aws_client_validate(c)                       STS GetCallerIdentity, account ids
 *     ... aws_call(c, &req, &resp, &e) from any number of threads ...
 *     aws_client_free(c);  aws_config_free(&cfg);
 *
 * What stays true:
 *  - libcurl, OpenSSL, libxml2 and jansson are used only under providers/aws/;
 *    jansson's json_t appears here because REST-JSON bodies are built with it.
 *  - an aws_client is immutable after aws_client_new and safe to share across
 *    threads; rate limiters and the HTTP connection cache are process-wide
 *    (named as such in aws_limiter.c and aws_http.c).
 *  - every call declares whether it may be retried (enum aws_retry); calls
 *    that would create something twice are never blindly retried.
 *  - nothing logs credentials, Authorization or security tokens, or any value
 *    registered with aws_log_redact.
 *
 * Errors: functions return 0 or a negative cairn_err (lang/diag.h) with the
 * per-thread last error set; AWS API errors are CAIRN_EREMOTE with details in
 * an aws_error.
 */
#ifndef CAIRN_AWS_H
#define CAIRN_AWS_H

#include <jansson.h>
#include <stddef.h>

#include "lang/diag.h"

/* ---- limits (named, with clear errors when reached) ---- */
#define AWS_DEFAULT_MAX_RETRIES 25          /* as Terraform's AWS provider */
#define AWS_MAX_RETRIES_LIMIT 100           /* max_retries above this is rejected */
#define AWS_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define AWS_DEFAULT_TOTAL_TIMEOUT_MS 60000  /* one attempt */
#define AWS_DEFAULT_MAX_RESPONSE (64u * 1024 * 1024)
#define AWS_DEFAULT_RETRY_BASE_MS 1000      /* full jitter: sleep in [0, base * 2^n) */
#define AWS_DEFAULT_RETRY_MAX_BACKOFF_MS 20000
#define AWS_MAX_PARAMS 4096                 /* query/EC2 parameters per request */
#define AWS_MAX_PAGES 10000                 /* pages one paginate call reads */
#define AWS_MAX_SHARED_FILE (1024u * 1024)  /* shared config/credentials file */
#define AWS_MAX_TAGS 50                     /* AWS's own per-resource tag limit */

/* ---- services ---- */
enum aws_service {
    AWS_EC2,
    AWS_IAM,
    AWS_STS,
    AWS_EKS,
    AWS_RDS,
    AWS_ELASTICACHE,
    AWS_S3,
    AWS_ELBV2,
    AWS_SERVICE_COUNT
};

enum aws_protocol { AWS_PROTO_EC2, AWS_PROTO_QUERY, AWS_PROTO_REST_JSON, AWS_PROTO_REST_XML };

typedef struct aws_service_info {
    const char *key;          /* provider endpoints {} key: "ec2", "elbv2" */
    const char *sdk_id;       /* SDK service id: "EC2", "Elastic Load Balancing v2" */
    const char *env_suffix;   /* AWS_ENDPOINT_URL_<suffix>: "ELASTIC_LOAD_BALANCING_V2" */
    const char *config_key;   /* [services] key in the config file: "elastic_load_balancing_v2" */
    const char *signing_name; /* SigV4 service: "elasticloadbalancing" */
    const char *host_prefix;  /* default endpoint host prefix */
    const char *api_version;  /* Version= for query protocols */
    enum aws_protocol proto;
    int global;               /* one endpoint for all regions (IAM) */
} aws_service_info;

/* Static description of a service.  Never NULL for a valid enum. */
const aws_service_info *aws_service(enum aws_service s);
/* Look a service up by its endpoints {} key; -1 if unknown. */
int aws_service_by_key(const char *key);

/* ---- simple key/value lists (tags, default_tags, headers) ---- */
typedef struct aws_kv {
    char *key;
    char *value;
} aws_kv;

typedef struct aws_kvlist {
    aws_kv *items;
    size_t n, cap;
} aws_kvlist;

/* Set key to value (both copied), replacing an existing key. */
void aws_kv_set(aws_kvlist *l, const char *key, const char *value);
/* Value for key (borrowed) or NULL. */
const char *aws_kv_get(const aws_kvlist *l, const char *key);
void aws_kv_free(aws_kvlist *l);
/* Remove the tags AWS manages itself (keys starting "aws:"), which
 * Terraform never shows in tags or tags_all. */
void aws_tags_strip_system(aws_kvlist *tags);
/* tags_all as Terraform computes it: default_tags overlaid by the resource's
 * own tags (resource wins).  out must be empty; both inputs may be NULL. */
void aws_tags_merge(aws_kvlist *out, const aws_kvlist *default_tags,
                    const aws_kvlist *resource_tags);

/* ---- provider configuration (filled by the provider-configure step) ---- */
typedef struct aws_config {
    char *region;                     /* provider "region" or NULL */
    char *profile;                    /* provider "profile" or NULL */
    char *access_key, *secret_key, *token;
    char **shared_config_files;       /* provider lists, NULL-terminated or NULL */
    char **shared_credentials_files;
    char *endpoints[AWS_SERVICE_COUNT]; /* endpoints {} overrides or NULL */
    aws_kvlist default_tags;
    int max_retries;                  /* -1: AWS_MAX_ATTEMPTS - 1, the profile's
                                         max_attempts - 1, or AWS_DEFAULT_MAX_RETRIES */
    char **allowed_account_ids;       /* NULL-terminated or NULL; conflicts with */
    char **forbidden_account_ids;     /* the other: setting both is an error */
    int skip_credentials_validation;
    int skip_requesting_account_id;
    int skip_metadata_api_check;      /* cairn never queries IMDS; kept for parity */
    int skip_region_validation;       /* else the region must look like xx-name-N */
    int s3_use_path_style;
    char *ca_bundle;                  /* custom_ca_bundle; else AWS_CA_BUNDLE; else the
                                         system store.  Verification is never off. */
    /* tuning; zero means the default named above */
    long connect_timeout_ms, total_timeout_ms;
    size_t max_response;
    long retry_base_ms, retry_max_backoff_ms;
    double rate_limit;                /* requests/s per service+region, 0: default */
    double rate_burst;
} aws_config;

/* Zero the struct and set max_retries to -1. */
void aws_config_init(aws_config *cfg);
/* Free everything the struct owns (all strings are owned). */
void aws_config_free(aws_config *cfg);

/* ---- credentials, region, endpoints (aws_creds.c, aws_endpoint.c) ---- */
typedef struct aws_creds {
    char *access_key, *secret_key, *token; /* token may be NULL */
    char *source;   /* where they came from: "environment", "shared credentials file X" */
} aws_creds;

/* Resolve credentials in the SDKs' order: provider block, environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the
 * profile (provider profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default")
 * in the shared credentials file, then in the shared config file.  A
 * profile set in the provider block is explicit and beats the
 * environment's keys (as the CLI's --profile does).  On failure returns
 * CAIRN_ENOTFOUND with one message listing every place looked at, or
 * CAIRN_EINVAL for a half-set pair.  The secret and token are registered
 * with aws_log_redact. */
int aws_creds_resolve(aws_creds *out, const aws_config *cfg);
void aws_creds_free(aws_creds *c);

/* Resolve the region: provider block, AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's region in the shared config file.  *out owned by the caller.
 * CAIRN_ENOTFOUND (listing the places looked at) if none. */
int aws_region_resolve(char **out, const aws_config *cfg);

/* The profile name in effect (provider profile, AWS_PROFILE,
 * AWS_DEFAULT_PROFILE, "default"). */
const char *aws_profile_name(const aws_config *cfg);

/* A resolved endpoint. */
typedef struct aws_endpoint {
    char *url;            /* "https://ec2.us-east-1.amazonaws.com", no trailing '/' */
    char *signing_region; /* region for the SigV4 scope */
    char *source;         /* "endpoints block", "AWS_ENDPOINT_URL_EC2", "default" ... */
} aws_endpoint;

/* Resolve the endpoint of a service: provider endpoints {}, then
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's services
 * section and endpoint_url in the config file (unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), then the standard endpoint
 * for the region and partition. */
int aws_endpoint_resolve(aws_endpoint *out, const aws_config *cfg, enum aws_service svc,
                         const char *region);
void aws_endpoint_free(aws_endpoint *e);

/* ---- logging (aws_log.c) ---- */
enum aws_log_level { AWS_LOG_OFF, AWS_LOG_ERROR, AWS_LOG_WARN, AWS_LOG_INFO, AWS_LOG_DEBUG,
                     AWS_LOG_TRACE };
/* Is level enabled?  Reads CAIRN_LOG (error|warn|info|debug|trace) and
 * CAIRN_LOG_PATH (default stderr) once per process. */
int aws_log_enabled(enum aws_log_level level);
/* Write one line (newline added).  Registered secrets are masked as "****". */
void aws_log(enum aws_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Register a sensitive value: it, and its URI- and JSON-escaped forms, are
 * masked in every later log line.  Values shorter than 4 bytes are ignored
 * (they would mask ordinary text).  The hook resource families call for
 * sensitive attributes (passwords, keys).  Past AWS_LOG_MAX_SECRETS values
 * the log fails closed: trace lines (which carry bodies) are dropped. */
void aws_log_redact(const char *secret);
/* A copy of s (owned) with every registered secret replaced by "****". */
char *aws_log_mask(const char *s);
/* Re-read CAIRN_LOG / CAIRN_LOG_PATH (tests). */
void aws_log_reset(void);

/* ---- request parameters for the query and EC2 protocols (aws_proto_query.c) ---- */
typedef struct aws_params aws_params;
aws_params *aws_params_new(void);
void aws_params_free(aws_params *p);
/* Add name=value (both copied).  Names may be printf-built by the caller with
 * aws_params_addf.  Adding past AWS_MAX_PARAMS marks the list failed and
 * aws_call reports CAIRN_ELIMIT. */
void aws_params_add(aws_params *p, const char *name, const char *value);
void aws_params_addf(aws_params *p, const char *value, const char *name_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like aws_params_add, and registers value with aws_log_redact. */
void aws_params_add_sensitive(aws_params *p, const char *name, const char *value);
/* A list: EC2 style "prefix.N" when member is NULL ("VpcId.1"), query style
 * "prefix.member.N" ("Subnets.member.1") when member is "member".  N from 1. */
void aws_params_add_list(aws_params *p, const char *prefix, const char *member,
                         const char *const *values, size_t n);
/* An EC2 filter: Filter.<index>.Name and Filter.<index>.Value.N. */
void aws_params_add_filter(aws_params *p, int index, const char *name,
                           const char *const *values, size_t n);
/* Key/value pairs: "<prefix>.N.<kname>" and "<prefix>.N.<vname>", e.g.
 * ("Tags.member", "Key", "Value") or ("TagSpecification.1.Tag", "Key",
 * "Value") or a query map ("Attributes.entry", "key", "value"). */
void aws_params_add_kvs(aws_params *p, const char *prefix, const char *kname,
                        const char *vname, const aws_kvlist *kvs);
/* Serialise as application/x-www-form-urlencoded (AWS encoding, in insertion
 * order).  Owned result; NULL on failure with the last error set. */
char *aws_params_encode(const aws_params *p);
size_t aws_params_count(const aws_params *p);
/* Value of a parameter (borrowed) or NULL. */
const char *aws_params_get(const aws_params *p, const char *name);
/* Replace (or add) a parameter's value. */
void aws_params_set(aws_params *p, const char *name, const char *value);

/* ---- XML responses (aws_proto_xml.c) ---- */
typedef struct aws_xml aws_xml;            /* a parsed document */
typedef struct aws_xml_node aws_xml_node;  /* an element inside one; borrowed */
/* Parse len bytes.  CAIRN_EPROTO on malformed XML.  No network, no DTD,
 * no entity expansion. */
int aws_xml_parse(aws_xml **out, const char *text, size_t len);
void aws_xml_free(aws_xml *x);
aws_xml_node *aws_xml_root(const aws_xml *x);
/* Element name (local, without namespace prefix), borrowed. */
const char *aws_xml_name(const aws_xml_node *n);
/* Follow a '/'-separated path of element names from n ("vpcSet/item");
 * first match at each step; NULL if missing. */
aws_xml_node *aws_xml_find(const aws_xml_node *n, const char *path);
/* First child element named name (any element when name is NULL). */
aws_xml_node *aws_xml_first(const aws_xml_node *n, const char *name);
/* Next sibling element named name (any when NULL). */
aws_xml_node *aws_xml_next(const aws_xml_node *n, const char *name);
/* Text of the element at path (path NULL or "" for n itself); owned, NULL
 * if the element is missing. */
char *aws_xml_text(const aws_xml_node *n, const char *path);
/* Decode a tag set into out (appended, later keys win): for every child
 * `item` of n/path, its `kname` and `vname` texts.  EC2: (n, "tagSet",
 * "item", "key", "value"); query: (n, "Tags", "member", "Key", "Value").
 * Returns the number of pairs added, or CAIRN_ELIMIT past AWS_MAX_TAGS * 4. */
int aws_xml_kvs(aws_kvlist *out, const aws_xml_node *n, const char *path, const char *item,
                const char *kname, const char *vname);

/* ---- JSON responses (aws_proto_json.c) ---- */
/* The value at a '.'-separated path of object keys ("cluster.status");
 * borrowed from j, NULL if missing. */
json_t *aws_json_path(const json_t *j, const char *path);
/* The string at path (borrowed) or NULL if missing or not a string. */
const char *aws_json_str(const json_t *j, const char *path);
/* Decode a JSON object of strings ({"k": "v"}, EKS tags) into out; the
 * number added, or CAIRN_EPROTO (out untouched) if a value is not a string. */
int aws_json_kvs(aws_kvlist *out, const json_t *obj);
/* A JSON object of strings from a kvlist (new reference). */
json_t *aws_json_from_kvs(const aws_kvlist *kvs);

/* ---- errors (aws_errors.c) ---- */
typedef struct aws_error {
    long status;              /* HTTP status, 0 for transport failures */
    char code[128];           /* "InvalidVpcID.NotFound", "Throttling", "" */
    char message[1024];
    char request_id[128];
    int transport;            /* libcurl error code when status is 0 */
    int attempts;             /* attempts made (1 = no retry) */
} aws_error;

/* Decode an error response of any protocol into e (code, message, request
 * id).  headers are used for REST-JSON (x-amzn-ErrorType) and request ids. */
void aws_error_decode(aws_error *e, enum aws_protocol proto, long status, const char *body,
                      size_t len, const aws_kvlist *headers);
/* Is this a throttling error (by code, or HTTP 429)? */
int aws_error_is_throttle(const aws_error *e);
/* Is e the given code (exact), or, for a code ending in '*', its prefix? */
int aws_error_is(const aws_error *e, const char *code);

/* ---- calls (aws_client.c) ---- */
/* Whether a call may be repeated.  Callers MUST choose; 0 is rejected. */
enum aws_retry {
    AWS_RETRY_UNSET = 0,
    AWS_RETRY_SAFE,   /* reads, and writes that are idempotent by nature */
    AWS_RETRY_TOKEN,  /* a create carrying an idempotency token (sent unchanged) */
    AWS_RETRY_UNSAFE, /* a create without token: retried only when the error
                         proves nothing happened (throttled, never connected) */
};

typedef struct aws_client aws_client;

typedef struct aws_request {
    enum aws_service svc;
    const char *action;       /* operation name: logs; Action= for query protocols */
    enum aws_retry retry;
    /* query and EC2 protocols: the parameters (Action and Version are added) */
    aws_params *params;
    /* REST protocols */
    const char *method;       /* "GET", "POST", "PUT", "DELETE", "HEAD" */
    const char *path;         /* already URI-encoded, e.g. "/clusters/demo" */
    aws_params *query;        /* query string parameters or NULL */
    json_t *json;             /* REST-JSON body (borrowed) or NULL */
    const char *body;         /* REST-XML / raw body or NULL */
    size_t body_len;
    const char *content_type; /* for body */
    const char *bucket;       /* S3: virtual-hosted or path-style bucket */
    int content_md5;          /* S3: send (and sign) Content-MD5 of the body, which
                                 PutBucketTagging, DeleteObjects ... require */
    aws_kvlist *headers;      /* extra headers or NULL */
} aws_request;

typedef struct aws_response {
    long status;
    char *body;               /* NUL-terminated */
    size_t body_len;
    aws_kvlist headers;       /* names lower-cased */
    char request_id[128];
    aws_xml *xml;             /* EC2, query, REST-XML with a body: parsed */
    json_t *json;             /* REST-JSON with a body: parsed */
    int attempts;
} aws_response;

/* Create a client: resolves credentials, region and endpoints from cfg
 * (which is copied; the caller keeps ownership of cfg).  Fails with the
 * credential/region error messages of aws_creds_resolve and
 * aws_region_resolve, or CAIRN_EINVAL for a bad max_retries. */
int aws_client_new(aws_client **out, const aws_config *cfg);
void aws_client_free(aws_client *c);
const char *aws_client_region(const aws_client *c);
/* The retry limit in effect (after AWS_MAX_ATTEMPTS / max_attempts). */
int aws_client_max_retries(const aws_client *c);
/* Account id (from GetCallerIdentity), or NULL if not requested. */
const char *aws_client_account_id(const aws_client *c);
const aws_endpoint *aws_client_endpoint(const aws_client *c, enum aws_service svc);
const aws_config *aws_client_config(const aws_client *c);
/* Validate the credentials and account with STS GetCallerIdentity, unless
 * skip_credentials_validation and skip_requesting_account_id are both set;
 * checks allowed_account_ids / forbidden_account_ids (CAIRN_EINVAL). */
int aws_client_validate(aws_client *c);

/* Make one API call with signing, rate limiting and retries.  On success
 * returns 0 and fills resp (free with aws_response_free).  On an AWS error
 * returns CAIRN_EREMOTE and fills e (if non-NULL) with code, message and
 * request id; transport failures are CAIRN_EIO (CAIRN_ETIMEOUT for
 * timeouts); a response over max_response is CAIRN_ELIMIT.  The last error
 * reads "ec2 DescribeVpcs: InvalidVpcID.NotFound: ... (request id ...)". */
int aws_call(aws_client *c, const aws_request *req, aws_response *resp, aws_error *e);
void aws_response_free(aws_response *r);

/* Counters over a client's lifetime (all threads). */
typedef struct aws_stats {
    long calls, attempts, retries;
    long throttled;          /* responses with a throttling error */
    long server_errors;      /* HTTP 5xx that were not throttles */
    long transport_errors;   /* connection failures and timeouts */
    long failed;             /* calls that returned an error */
    long limiter_wait_ms;    /* time spent waiting for the rate limiter */
    int max_attempts;        /* most attempts any one call needed */
} aws_stats;
void aws_client_stats(const aws_client *c, aws_stats *out);
/* Current paced rate (requests/s) of the client's limiter for svc. */
double aws_client_rate(const aws_client *c, enum aws_service svc);

/* A request serialised and signed but not sent (tests, dry runs).  It holds
 * the Authorization header and any session token: never log it. */
typedef struct aws_prepared {
    char *method;
    char *url;
    aws_kvlist headers;       /* everything that would be sent, Authorization last */
    char *body;
    size_t body_len;
    char *signing_region;
    const char *signing_name;
} aws_prepared;
/* Serialise and sign req exactly as aws_call would at the current time
 * (see aws_set_clock), without sending it. */
int aws_prepare(aws_client *c, const aws_request *req, aws_prepared *out);
void aws_prepared_free(aws_prepared *p);

/* An idempotency token (ClientToken): 32 random hex characters, owned.
 * Make it once per logical create and reuse it on every attempt. */
char *aws_idempotency_token(void);

/* Clock hook (tests): time source is CLOCK_REALTIME by default.  The
 * signing time is this clock plus the skew learnt from the service (see
 * aws_call: RequestTimeTooSkewed and friends correct it once and retry). */
typedef long long (*aws_now_fn)(void);   /* unix seconds */
void aws_set_clock(aws_now_fn now);

/* Process-wide cancellation flag (the engine's interrupt flag): when it
 * becomes non-zero, retry back-offs end early and aws_call returns
 * CAIRN_ECANCEL instead of retrying.  NULL (the default) disables. */
void aws_set_cancel_flag(const volatile int *flag);

/* ---- pagination (aws_paginate.c) ---- */
/* How a paginated operation passes its token. */
typedef struct aws_pager {
    const char *in;    /* request parameter: "NextToken", "Marker", "continuation-token" */
    const char *out;   /* response token: XML path from the root element's
                          result ("nextToken", "DescribeDBInstancesResult/Marker")
                          or a top-level JSON key ("nextToken") */
} aws_pager;
/* Called once per page; return 0 to continue, 1 to stop early, negative to
 * fail (returned from aws_paginate). */
typedef int (*aws_page_fn)(const aws_response *resp, void *payload);
/* Call req repeatedly, feeding each page's token back in (in req->params for
 * query protocols, req->query for REST), until no token is returned.  Stops
 * with CAIRN_ELIMIT after AWS_MAX_PAGES pages or CAIRN_EPROTO if a token
 * repeats.  req's parameter lists are modified (the token is set). */
int aws_paginate(aws_client *c, aws_request *req, const aws_pager *pg, aws_page_fn fn,
                 void *payload, aws_error *e);

/* ---- waiters (aws_waiter.c) ---- */
/* Poll once: set *status to the current status (owned, may be NULL when the
 * resource is gone), return 0, or a negative error that ends the wait. */
typedef int (*aws_poll_fn)(char **status, void *payload);
typedef struct aws_waiter {
    const char *const *target;    /* NULL-terminated; "" in the list matches "gone" */
    const char *const *failure;   /* NULL-terminated or NULL: these end the wait */
    long timeout_ms;              /* from the resource's timeouts block */
    long min_delay_ms, max_delay_ms; /* 0: 2000 and 30000 */
    const volatile int *cancel;   /* optional: non-zero ends the wait (CAIRN_ECANCEL) */
    const char *what;             /* "NAT gateway nat-123 to become available" (logs) */
    /* optional: called with 1 before each sleep between polls and with 0
     * after it (prov_call.waiting: the engine's call slot is given back
     * while the waiter sleeps) */
    void (*pause)(void *arg, int on);
    void *pause_arg;
} aws_waiter;
/* Poll with exponential backoff (jittered, between min and max delay) until
 * the status is in target.  CAIRN_ETIMEOUT after timeout_ms, CAIRN_EREMOTE
 * when a failure status is reached (message names it).  *final (optional)
 * receives the last status (owned). */
int aws_wait(const aws_waiter *w, aws_poll_fn poll, void *payload, char **final);

#endif
