/*
 * providers/aws/aws_client.c — the client: configuration resolved once,
 * then aws_call = serialise, pace, sign, send, decode, retry.
 *
 * An aws_client is read-only after aws_client_new except for its counters
 * (atomics), so any number of threads may call through it.
 */
#include "providers/aws/aws_internal.h"

#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "providers/aws/aws_sigv4.h"

/* Request bodies above this are sent to S3 over https with UNSIGNED-PAYLOAD. */
#define AWS_S3_UNSIGNED_THRESHOLD (1024u * 1024)
/* Most headers one request carries (ours plus the caller's). */
#define AWS_MAX_REQUEST_HEADERS 48

struct aws_client {
    aws_config cfg;
    aws_creds creds;
    char *region;
    char *account_id;
    aws_endpoint ep[AWS_SERVICE_COUNT];
    aws_limiter *lim[AWS_SERVICE_COUNT];
    aws_retry_policy policy;
    atomic_long calls, attempts, retries, throttled, server_errors, transport_errors, failed;
    atomic_long limiter_wait_ms;
    atomic_int max_attempts;
};

static char **strv_dup(char *const *v)
{
    if (!v)
        return NULL;
    size_t n = 0;
    while (v[n])
        n++;
    char **o = xcalloc(n + 1, sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i] = xstrdup(v[i]);
    return o;
}

static char *sdup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void config_copy(aws_config *d, const aws_config *s)
{
    *d = *s;
    d->region = sdup(s->region);
    d->profile = sdup(s->profile);
    d->access_key = sdup(s->access_key);
    d->secret_key = sdup(s->secret_key);
    d->token = sdup(s->token);
    d->ca_bundle = sdup(s->ca_bundle);
    d->shared_config_files = strv_dup(s->shared_config_files);
    d->shared_credentials_files = strv_dup(s->shared_credentials_files);
    for (int i = 0; i < AWS_SERVICE_COUNT; i++)
        d->endpoints[i] = sdup(s->endpoints[i]);
    memset(&d->default_tags, 0, sizeof d->default_tags);
    for (size_t i = 0; i < s->default_tags.n; i++)
        aws_kv_set(&d->default_tags, s->default_tags.items[i].key,
                   s->default_tags.items[i].value);
    d->allowed_account_ids = strv_dup(s->allowed_account_ids);
    d->forbidden_account_ids = strv_dup(s->forbidden_account_ids);
}

/* max_retries: provider block, AWS_MAX_ATTEMPTS (total attempts), the
 * profile's max_attempts, then the default. */
static int resolve_max_retries(int *out, const aws_config *cfg)
{
    long v = cfg->max_retries;
    const char *src = "max_retries";
    char *prof = NULL;
    if (v < 0) {
        const char *e = getenv("AWS_MAX_ATTEMPTS");
        if (!e || !*e) {
            prof = aws_profile_get(cfg, "max_attempts", NULL);
            e = prof;
            src = "max_attempts in the shared config file";
        } else {
            src = "AWS_MAX_ATTEMPTS";
        }
        if (e && *e) {
            char *end;
            long a = strtol(e, &end, 10);
            if (*end || a < 1) {
                int rc = err_set(CAIRN_EINVAL, "%s must be a whole number of attempts of at "
                                 "least 1, got \"%s\"", src, e);
                free(prof);
                return rc;
            }
            v = a - 1;
        }
        free(prof);
    }
    if (v < 0)
        v = AWS_DEFAULT_MAX_RETRIES;
    if (v > AWS_MAX_RETRIES_LIMIT)
        return err_set(CAIRN_EINVAL, "%s gives %ld retries, above the limit of %d", src, v,
                       AWS_MAX_RETRIES_LIMIT);
    *out = (int)v;
    return 0;
}

int aws_client_new(aws_client **out, const aws_config *cfg)
{
    *out = NULL;
    if (cfg->allowed_account_ids && cfg->allowed_account_ids[0] &&
        cfg->forbidden_account_ids && cfg->forbidden_account_ids[0])
        return err_set(CAIRN_EINVAL, "allowed_account_ids and forbidden_account_ids cannot "
                       "both be set");
    aws_client *c = xcalloc(1, sizeof *c);
    config_copy(&c->cfg, cfg);
    int rc = aws_region_resolve(&c->region, cfg);
    if (rc < 0)
        goto fail;
    if (!cfg->skip_region_validation && !aws_region_valid(c->region)) {
        rc = err_set(CAIRN_EINVAL, "invalid AWS Region: %s (set skip_region_validation to "
                     "use it anyway)", c->region);
        goto fail;
    }
    rc = aws_creds_resolve(&c->creds, cfg);
    if (rc < 0)
        goto fail;
    for (int i = 0; i < AWS_SERVICE_COUNT; i++) {
        rc = aws_endpoint_resolve(&c->ep[i], cfg, (enum aws_service)i, c->region);
        if (rc < 0)
            goto fail;
        if (cfg->rate_limit >= 0)
            c->lim[i] = aws_limiter_get(aws_service(i)->key, c->ep[i].signing_region,
                                        c->ep[i].url, cfg->rate_limit, cfg->rate_burst);
    }
    rc = resolve_max_retries(&c->policy.max_retries, cfg);
    if (rc < 0)
        goto fail;
    if (!c->cfg.ca_bundle) {
        const char *e = getenv("AWS_CA_BUNDLE");
        if (e && *e)
            c->cfg.ca_bundle = xstrdup(e);
    }
    c->policy.base_ms = cfg->retry_base_ms > 0 ? cfg->retry_base_ms : AWS_DEFAULT_RETRY_BASE_MS;
    c->policy.max_backoff_ms = cfg->retry_max_backoff_ms > 0 ? cfg->retry_max_backoff_ms
                                                             : AWS_DEFAULT_RETRY_MAX_BACKOFF_MS;
    aws_log(AWS_LOG_INFO, "client: region %s, credentials from %s, max_retries %d", c->region,
            c->creds.source, c->policy.max_retries);
    *out = c;
    return 0;
fail:
    aws_client_free(c);
    return rc;
}

void aws_client_free(aws_client *c)
{
    if (!c)
        return;
    aws_config_free(&c->cfg);
    aws_creds_free(&c->creds);
    for (int i = 0; i < AWS_SERVICE_COUNT; i++)
        aws_endpoint_free(&c->ep[i]);
    free(c->region);
    free(c->account_id);
    free(c);
}

const char *aws_client_region(const aws_client *c) { return c->region; }
int aws_client_max_retries(const aws_client *c) { return c->policy.max_retries; }
const char *aws_client_account_id(const aws_client *c) { return c->account_id; }
const aws_config *aws_client_config(const aws_client *c) { return &c->cfg; }

const aws_endpoint *aws_client_endpoint(const aws_client *c, enum aws_service svc)
{
    return aws_service(svc) ? &c->ep[svc] : NULL;
}

void aws_client_stats(const aws_client *c, aws_stats *o)
{
    o->calls = atomic_load(&c->calls);
    o->attempts = atomic_load(&c->attempts);
    o->retries = atomic_load(&c->retries);
    o->throttled = atomic_load(&c->throttled);
    o->server_errors = atomic_load(&c->server_errors);
    o->transport_errors = atomic_load(&c->transport_errors);
    o->failed = atomic_load(&c->failed);
    o->limiter_wait_ms = atomic_load(&c->limiter_wait_ms);
    o->max_attempts = atomic_load(&c->max_attempts);
}

double aws_client_rate(const aws_client *c, enum aws_service svc)
{
    return c->lim[svc] ? aws_limiter_rate(c->lim[svc]) : 0;
}

/* ---- building the wire request ---- */

typedef struct wire {
    const char *method;
    char *url;
    char *host;          /* Host header value */
    char *path;          /* path as sent */
    char *query;         /* query as sent, or NULL */
    char *body;
    size_t body_len;
    char payload_hash[65];
    int s3;
    aws_kvlist headers;  /* without Authorization / X-Amz-Date */
} wire;

static void wire_free(wire *w)
{
    free(w->url);
    free(w->host);
    free(w->path);
    free(w->query);
    free(w->body);
    aws_kv_free(&w->headers);
}

/* Split an endpoint URL into scheme://authority and base path; the Host
 * value leaves out a default port as HTTP clients send it. */
static void split_endpoint(const char *url, char **origin, char **host, char **base)
{
    const char *auth = strstr(url, "://");
    auth = auth ? auth + 3 : url;
    const char *slash = strchr(auth, '/');
    size_t alen = slash ? (size_t)(slash - auth) : strlen(auth);
    *origin = xstrndup(url, (size_t)(auth - url) + alen);
    char *h = xstrndup(auth, alen);
    size_t hl = strlen(h);
    int https = strncmp(url, "https://", 8) == 0;
    if (https && hl > 4 && strcmp(h + hl - 4, ":443") == 0)
        h[hl - 4] = 0;
    else if (!https && hl > 3 && strcmp(h + hl - 3, ":80") == 0)
        h[hl - 3] = 0;
    *host = h;
    *base = xstrdup(slash ? slash : "");
    size_t bl = strlen(*base);
    if (bl && (*base)[bl - 1] == '/')
        (*base)[bl - 1] = 0;
}

static int is_ip_or_localhost(const char *host)
{
    if (strncmp(host, "localhost", 9) == 0 || host[0] == '[')
        return 1;
    for (const char *p = host; *p && *p != ':'; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return 0;
    return 1;
}

static int bucket_dns_ok(const char *b)
{
    size_t l = strlen(b);
    if (l < 3 || l > 63)
        return 0;
    for (const char *p = b; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

static int build_wire(wire *w, const aws_client *c, const aws_request *req)
{
    const aws_service_info *si = aws_service(req->svc);
    const aws_endpoint *ep = &c->ep[req->svc];
    char *origin, *base;
    memset(w, 0, sizeof *w);
    split_endpoint(ep->url, &origin, &w->host, &base);
    const char *ctype = NULL;
    if (si->proto == AWS_PROTO_EC2 || si->proto == AWS_PROTO_QUERY) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "Action", req->action);
        aws_params_add(p, "Version", si->api_version);
        char *rest = req->params ? aws_params_encode(req->params) : xstrdup("");
        char *head = aws_params_encode(p);
        aws_params_free(p);
        if (!rest || !head) {
            free(rest);
            free(head);
            free(origin);
            free(base);
            return err_code() ? err_code() : CAIRN_ENOMEM;
        }
        w->body = *rest ? xasprintf("%s&%s", head, rest) : xstrdup(head);
        free(rest);
        free(head);
        w->method = "POST";
        w->path = xasprintf("%s/", base);
        ctype = "application/x-www-form-urlencoded; charset=utf-8";
    } else {
        w->method = req->method ? req->method : "GET";
        const char *rpath = req->path && *req->path ? req->path : "/";
        if (si->proto == AWS_PROTO_REST_XML && req->bucket) {
            w->s3 = 1;
            int path_style = c->cfg.s3_use_path_style || !bucket_dns_ok(req->bucket) ||
                             is_ip_or_localhost(w->host);
            strbuf bk = {0};
            aws_uri_encode(&bk, req->bucket, strlen(req->bucket), 0);
            char *eb = sb_take(&bk);
            if (path_style) {
                w->path = xasprintf("%s/%s%s", base, eb, rpath);
            } else {
                char *vh = xasprintf("%s.%s", eb, w->host);
                free(w->host);
                w->host = vh;
                const char *scheme_end = strstr(origin, "://");
                char *no = xasprintf("%.*s://%s", (int)(scheme_end - origin), origin, w->host);
                free(origin);
                origin = no;
                w->path = xasprintf("%s%s", base, rpath);
            }
            free(eb);
        } else {
            w->s3 = si->proto == AWS_PROTO_REST_XML;
            w->path = xasprintf("%s%s", base, rpath);
        }
        if (req->query && aws_params_count(req->query)) {
            w->query = aws_params_encode(req->query);
            if (!w->query) {
                free(origin);
                free(base);
                return err_code();
            }
        }
        if (req->json) {
            w->body = json_dumps(req->json, JSON_COMPACT);
            if (!w->body) {
                free(origin);
                free(base);
                return err_set(CAIRN_ENOMEM, "cannot serialise the JSON body");
            }
            ctype = "application/json";
        } else if (req->body) {
            w->body = xstrndup(req->body, req->body_len);
            w->body_len = req->body_len;
            ctype = req->content_type ? req->content_type : "application/xml";
        }
    }
    if (w->body && !w->body_len)
        w->body_len = strlen(w->body);
    w->url = w->query ? xasprintf("%s%s?%s", origin, w->path, w->query)
                      : xasprintf("%s%s", origin, w->path);
    free(origin);
    free(base);
    int https = strncmp(w->url, "https://", 8) == 0;
    if (w->s3 && https && w->body_len > AWS_S3_UNSIGNED_THRESHOLD)
        snprintf(w->payload_hash, sizeof w->payload_hash, "%s", AWS_SIGV4_UNSIGNED_PAYLOAD);
    else
        aws_sha256_hex(w->payload_hash, w->body ? w->body : "", w->body_len);
    aws_kv_set(&w->headers, "Host", w->host);
    if (ctype && w->body)
        aws_kv_set(&w->headers, "Content-Type", ctype);
    if (w->s3)
        aws_kv_set(&w->headers, "X-Amz-Content-SHA256", w->payload_hash);
    if (req->content_md5) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int mdlen = 0;
        char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
        if (!EVP_Digest(w->body ? w->body : "", w->body_len, md, &mdlen, EVP_md5(), NULL))
            return err_set(CAIRN_EINVAL, "cannot compute Content-MD5");
        EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
        aws_kv_set(&w->headers, "Content-MD5", b64);
    }
    if (c->creds.token)
        aws_kv_set(&w->headers, "X-Amz-Security-Token", c->creds.token);
    if (req->headers && req->headers->n + w->headers.n > AWS_MAX_REQUEST_HEADERS)
        return err_set(CAIRN_ELIMIT, "more than %d request headers", AWS_MAX_REQUEST_HEADERS);
    for (size_t i = 0; req->headers && i < req->headers->n; i++)
        aws_kv_set(&w->headers, req->headers->items[i].key, req->headers->items[i].value);
    return 0;
}

/* Sign w at the current time: fills hdrs with everything to send. */
static int sign_wire(aws_kvlist *hdrs, const aws_client *c, const wire *w, enum aws_service svc)
{
    char date[17];
    aws_amz_date(date);
    memset(hdrs, 0, sizeof *hdrs);
    for (size_t i = 0; i < w->headers.n; i++)
        aws_kv_set(hdrs, w->headers.items[i].key, w->headers.items[i].value);
    aws_kv_set(hdrs, "X-Amz-Date", date);
    aws_sigv4_header sh[AWS_MAX_REQUEST_HEADERS + 2];
    for (size_t i = 0; i < hdrs->n; i++) {
        sh[i].name = hdrs->items[i].key;
        sh[i].value = hdrs->items[i].value;
    }
    aws_sigv4_request r = {.method = w->method, .path = w->path, .query = w->query,
                           .headers = sh, .nheaders = hdrs->n,
                           .payload_hash = w->payload_hash, .s3 = w->s3};
    aws_sigv4_key k = {.access_key = c->creds.access_key, .secret_key = c->creds.secret_key,
                       .region = c->ep[svc].signing_region,
                       .service = aws_service(svc)->signing_name, .amz_date = date};
    char *authz = NULL;
    int rc = aws_sigv4_sign(&authz, NULL, NULL, &r, &k);
    if (rc < 0) {
        aws_kv_free(hdrs);
        return rc;
    }
    aws_kv_set(hdrs, "Authorization", authz);
    free(authz);
    return 0;
}

static int is_secret_header(const char *name)
{
    return strcasecmp(name, "authorization") == 0 ||
           strcasecmp(name, "x-amz-security-token") == 0;
}

static void trace_request(const aws_request *req, const wire *w, const aws_kvlist *h, int n)
{
    if (!aws_log_enabled(AWS_LOG_TRACE))
        return;
    strbuf b = {0};
    for (size_t i = 0; i < h->n; i++)
        sb_printf(&b, " %s=%s", h->items[i].key,
                  is_secret_header(h->items[i].key) ? "(redacted)" : h->items[i].value);
    aws_log(AWS_LOG_TRACE, "%s %s attempt %d: %s %s headers:%s body: %.*s",
            aws_service(req->svc)->key, req->action, n, w->method, w->url, b.s ? b.s : "",
            (int)(w->body_len > 8192 ? 8192 : w->body_len), w->body ? w->body : "");
    sb_free(&b);
}

/* ---- the call ---- */

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int decode_success(aws_response *resp, enum aws_protocol proto)
{
    if (!resp->body_len)
        return 0;
    if (proto == AWS_PROTO_REST_JSON) {
        json_error_t je;
        resp->json = json_loadb(resp->body, resp->body_len, 0, &je);
        if (!resp->json)
            return err_set(CAIRN_EPROTO, "malformed JSON in the response: %s", je.text);
        return 0;
    }
    const char *ct = aws_kv_get(&resp->headers, "content-type");
    if (proto == AWS_PROTO_REST_XML && !(ct && strstr(ct, "xml")))
        return 0;
    return aws_xml_parse(&resp->xml, resp->body, resp->body_len);
}

static void note_max_attempts(aws_client *c, int n)
{
    int cur = atomic_load(&c->max_attempts);
    while (n > cur && !atomic_compare_exchange_weak(&c->max_attempts, &cur, n))
        ;
}

int aws_call(aws_client *c, const aws_request *req, aws_response *resp, aws_error *eout)
{
    aws_error e_local, *e = eout ? eout : &e_local;
    memset(e, 0, sizeof *e);
    memset(resp, 0, sizeof *resp);
    const aws_service_info *si = aws_service(req->svc);
    if (!si || !req->action)
        return err_set(CAIRN_EINVAL, "aws_call: unknown service or no action");
    if (req->retry == AWS_RETRY_UNSET)
        return err_set(CAIRN_EINVAL, "%s %s: the call does not declare whether it may be "
                       "retried (aws_request.retry)", si->key, req->action);
    wire w;
    int rc = build_wire(&w, c, req);
    if (rc < 0) {
        wire_free(&w);
        return rc;
    }
    atomic_fetch_add(&c->calls, 1);
    int attempt = 0, skew_retried = 0;
    for (;;) {
        attempt++;
        atomic_fetch_add(&c->attempts, 1);
        if (c->lim[req->svc])
            atomic_fetch_add(&c->limiter_wait_ms, aws_limiter_acquire(c->lim[req->svc]));
        aws_kvlist hdrs;
        rc = sign_wire(&hdrs, c, &w, req->svc);
        if (rc < 0)
            break;
        trace_request(req, &w, &hdrs, attempt);
        aws_http_request hr = {.method = w.method, .url = w.url, .headers = &hdrs,
                               .body = w.body, .body_len = w.body_len,
                               .connect_timeout_ms = c->cfg.connect_timeout_ms,
                               .timeout_ms = c->cfg.total_timeout_ms,
                               .max_response = c->cfg.max_response,
                               .ca_bundle = c->cfg.ca_bundle,
                               .fresh_connection = req->retry == AWS_RETRY_UNSAFE};
        aws_http_response hs;
        double t0 = mono_ms();
        rc = aws_http_perform(&hr, &hs);
        double dt = mono_ms() - t0;
        aws_kv_free(&hdrs);
        memset(e, 0, sizeof *e);
        e->attempts = attempt;
        if (rc == 0 && hs.status >= 200 && hs.status < 300) {
            resp->status = hs.status;
            resp->body_len = hs.body.len;
            resp->body = sb_take(&hs.body);
            resp->headers = hs.headers;
            memset(&hs.headers, 0, sizeof hs.headers);
            resp->attempts = attempt;
            const char *id = aws_kv_get(&resp->headers, "x-amzn-requestid");
            if (!id)
                id = aws_kv_get(&resp->headers, "x-amz-request-id");
            snprintf(resp->request_id, sizeof resp->request_id, "%s", id ? id : "");
            rc = decode_success(resp, si->proto);
            if (rc == 0 && !resp->request_id[0] && resp->xml) {
                char *rid = aws_xml_text(aws_xml_root(resp->xml), "requestId");
                if (!rid)
                    rid = aws_xml_text(aws_xml_root(resp->xml), "ResponseMetadata/RequestId");
                snprintf(resp->request_id, sizeof resp->request_id, "%s", rid ? rid : "");
                free(rid);
            }
            if (c->lim[req->svc])
                aws_limiter_succeeded(c->lim[req->svc]);
            aws_log(AWS_LOG_DEBUG, "call %s %s status %ld %.0fms attempt %d request-id %s",
                    si->key, req->action, resp->status, dt, attempt, resp->request_id);
            aws_log(AWS_LOG_TRACE, "%s %s response: %.*s", si->key, req->action,
                    (int)(resp->body_len > 8192 ? 8192 : resp->body_len), resp->body);
            aws_http_response_free(&hs);
            break;
        }
        if (rc == 0) {
            aws_error_decode(e, si->proto, hs.status, hs.body.s, hs.body.len, &hs.headers);
            e->attempts = attempt;
            rc = CAIRN_EREMOTE;
            if (aws_error_is_throttle(e)) {
                atomic_fetch_add(&c->throttled, 1);
                if (c->lim[req->svc])
                    aws_limiter_throttled(c->lim[req->svc]);
            } else if (hs.status >= 500) {
                atomic_fetch_add(&c->server_errors, 1);
            }
            aws_log(AWS_LOG_DEBUG, "call %s %s status %ld %.0fms attempt %d request-id %s "
                    "error %s", si->key, req->action, hs.status, dt, attempt, e->request_id,
                    e->code);
            aws_log(AWS_LOG_TRACE, "%s %s error response: %.*s", si->key, req->action,
                    (int)(hs.body.len > 8192 ? 8192 : hs.body.len), hs.body.s ? hs.body.s : "");
        } else {
            e->transport = hs.curl_code;
            snprintf(e->message, sizeof e->message, "%s", err_msg());
            if (rc == CAIRN_EIO || rc == CAIRN_ETIMEOUT)
                atomic_fetch_add(&c->transport_errors, 1);
            aws_log(AWS_LOG_DEBUG, "call %s %s transport error %.0fms attempt %d: %s",
                    si->key, req->action, dt, attempt, e->message);
        }
        /* a request signed with a skewed clock was rejected before doing
         * anything: correct the clock from the Date header and retry once */
        int skewed = rc == CAIRN_EREMOTE && !skew_retried &&
                     attempt <= c->policy.max_retries &&
                     (aws_error_is(e, "RequestTimeTooSkewed") ||
                      aws_error_is(e, "RequestExpired") ||
                      aws_error_is(e, "RequestInTheFuture")) &&
                     aws_clock_correct(aws_kv_get(&hs.headers, "date"));
        aws_http_response_free(&hs);
        if (skewed) {
            skew_retried = 1;
            atomic_fetch_add(&c->retries, 1);
            continue;
        }
        if (!aws_retry_should(&c->policy, req->retry, attempt, rc, e))
            break;
        if (aws_sleep_cancellable(aws_retry_delay_ms(&c->policy, attempt)) < 0) {
            rc = CAIRN_ECANCEL;
            snprintf(e->message, sizeof e->message, "interrupted while retrying");
            break;
        }
        atomic_fetch_add(&c->retries, 1);
    }
    note_max_attempts(c, attempt);
    wire_free(&w);
    if (rc == CAIRN_EREMOTE) {
        err_set(rc, "%s %s: %s: %s (request id %s%s)", si->key, req->action, e->code,
                e->message, e->request_id[0] ? e->request_id : "none",
                attempt > 1 ? ", after retries" : "");
        aws_log(AWS_LOG_WARN, "%s", err_msg());
    } else if (rc < 0) {
        /* copy first: err_msg() is the buffer err_set writes */
        char why[sizeof e->message];
        snprintf(why, sizeof why, "%s", e->message[0] ? e->message : err_msg());
        err_set(rc, "%s %s: %s%s", si->key, req->action, why,
                attempt > 1 ? " (after retries)" : "");
        aws_log(AWS_LOG_WARN, "%s", err_msg());
    }
    if (rc < 0) {
        atomic_fetch_add(&c->failed, 1);
        aws_response_free(resp);
    }
    return rc;
}

void aws_response_free(aws_response *r)
{
    free(r->body);
    aws_kv_free(&r->headers);
    aws_xml_free(r->xml);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int aws_prepare(aws_client *c, const aws_request *req, aws_prepared *out)
{
    memset(out, 0, sizeof *out);
    const aws_service_info *si = aws_service(req->svc);
    if (!si || !req->action)
        return err_set(CAIRN_EINVAL, "aws_prepare: unknown service or no action");
    wire w;
    int rc = build_wire(&w, c, req);
    if (rc == 0)
        rc = sign_wire(&out->headers, c, &w, req->svc);
    if (rc == 0) {
        out->method = xstrdup(w.method);
        out->url = xstrdup(w.url);
        out->body = w.body ? xstrndup(w.body, w.body_len) : xstrdup("");
        out->body_len = w.body_len;
        out->signing_region = xstrdup(c->ep[req->svc].signing_region);
        out->signing_name = si->signing_name;
    }
    wire_free(&w);
    return rc;
}

void aws_prepared_free(aws_prepared *p)
{
    free(p->method);
    free(p->url);
    aws_kv_free(&p->headers);
    free(p->body);
    free(p->signing_region);
    memset(p, 0, sizeof *p);
}

/* ---- validation ---- */

static int in_list(char *const *v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

int aws_client_validate(aws_client *c)
{
    int lists = (c->cfg.allowed_account_ids && c->cfg.allowed_account_ids[0]) ||
                (c->cfg.forbidden_account_ids && c->cfg.forbidden_account_ids[0]);
    if (c->cfg.skip_credentials_validation && c->cfg.skip_requesting_account_id && !lists)
        return 0;
    aws_request req = {.svc = AWS_STS, .action = "GetCallerIdentity", .retry = AWS_RETRY_SAFE};
    aws_response resp;
    aws_error e;
    int rc = aws_call(c, &req, &resp, &e);
    if (rc < 0) {
        if (c->cfg.skip_credentials_validation && !lists)
            return 0;   /* the account id is only nice to have */
        /* copy first: err_msg() is the buffer err_set writes */
        char *why = xstrdup(err_msg());
        err_set(rc, "validating AWS credentials (from %s) with STS GetCallerIdentity: %s",
                c->creds.source, why);
        free(why);
        return rc;
    }
    char *acct = aws_xml_text(aws_xml_root(resp.xml), "GetCallerIdentityResult/Account");
    aws_response_free(&resp);
    if (!acct || !*acct) {
        free(acct);
        return err_set(CAIRN_EPROTO, "STS GetCallerIdentity returned no account id");
    }
    free(c->account_id);
    c->account_id = acct;
    if (c->cfg.allowed_account_ids && c->cfg.allowed_account_ids[0] &&
        !in_list(c->cfg.allowed_account_ids, acct))
        return err_set(CAIRN_EINVAL, "AWS account ID not allowed: %s (not in "
                       "allowed_account_ids)", acct);
    if (in_list(c->cfg.forbidden_account_ids, acct))
        return err_set(CAIRN_EINVAL, "AWS account ID not allowed: %s (in "
                       "forbidden_account_ids)", acct);
    return 0;
}
