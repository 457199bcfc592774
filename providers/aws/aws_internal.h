/*
 * providers/aws/aws_internal.h — pieces of the client layer shared between
 * its own files (HTTP transport, retry policy, rate limiter, shared-file
 * parsing).  Resource families use aws.h, not this header.
 */
#ifndef CAIRN_AWS_INTERNAL_H
#define CAIRN_AWS_INTERNAL_H

#include "providers/aws/aws.h"

/* ---- HTTP transport (aws_http.c) ---- */
typedef struct aws_http_request {
    const char *method;
    const char *url;
    const aws_kvlist *headers;
    const char *body;
    size_t body_len;
    long connect_timeout_ms, timeout_ms;
    size_t max_response;
    const char *ca_bundle;     /* PEM file of trusted CAs, or NULL for the system's */
    int fresh_connection;      /* never reuse a cached connection: libcurl silently
                                  re-sends a request whose reused connection closed
                                  before any reply, which must not happen to a call
                                  that is not safe to repeat (AWS_RETRY_UNSAFE) */
} aws_http_request;

typedef struct aws_http_response {
    long status;
    strbuf body;
    aws_kvlist headers;        /* names lower-cased */
    int curl_code;             /* 0 when a response was received */
} aws_http_response;

/* Perform one HTTP exchange through the process-wide connection cache.
 * Returns 0 when an HTTP response was received (any status), CAIRN_ETIMEOUT
 * or CAIRN_EIO for transport failures (rs->curl_code set), CAIRN_ELIMIT when
 * the response exceeded max_response.  https is always verified. */
int aws_http_perform(const aws_http_request *rq, aws_http_response *rs);
void aws_http_response_free(aws_http_response *rs);
/* Did this transport failure happen before anything reached the server
 * (resolve or connect failure)? */
int aws_http_nothing_sent(int curl_code);

/* ---- retry policy (aws_retry.c) ---- */
typedef struct aws_retry_policy {
    int max_retries;
    long base_ms, max_backoff_ms;
} aws_retry_policy;

/* Decide whether attempt number `attempt` (1-based) that failed with rc
 * (negative cairn_err) and e should be retried under mode.  Returns 1 to
 * retry, 0 not to. */
int aws_retry_should(const aws_retry_policy *p, enum aws_retry mode, int attempt, int rc,
                     const aws_error *e);
/* Full-jitter backoff before retry number n (1-based): uniform in
 * [0, min(max_backoff, base * 2^(n-1))] milliseconds. */
long aws_retry_delay_ms(const aws_retry_policy *p, int n);
void aws_sleep_ms(long ms);
/* A uniform random double in [0, 1), thread-safe. */
double aws_random(void);

/* ---- rate limiter (aws_limiter.c) ---- */
typedef struct aws_limiter aws_limiter;
/* The process-wide limiter for service+region at endpoint (created on
 * first use with rate and burst; later callers share it, a different rate
 * moves its ceiling).  Never NULL (aborts on OOM). */
aws_limiter *aws_limiter_get(const char *service, const char *region, const char *endpoint,
                             double rate, double burst);
/* Take one token, sleeping as long as needed.  Returns the ms waited. */
long aws_limiter_acquire(aws_limiter *l);
/* AIMD feedback: a throttled response halves the rate (at most once per
 * cool-down), a success adds back a little. */
void aws_limiter_throttled(aws_limiter *l);
void aws_limiter_succeeded(aws_limiter *l);
double aws_limiter_rate(aws_limiter *l);
/* Default sustained rate and burst per service+region. */
#define AWS_LIMITER_DEFAULT_RATE 20.0
#define AWS_LIMITER_DEFAULT_BURST 40.0

/* ---- shared config / credentials files (aws_creds.c) ---- */
/* Read key in section of an INI-style AWS file; owned value or NULL.
 * For the config file, section is "default" or "profile NAME"; sub is the
 * nested property name (services sections) or NULL. */
char *aws_ini_get(const char *path, const char *section, const char *key, const char *sub);
/* The shared config and credentials file paths in effect (owned arrays,
 * NULL-terminated). */
char **aws_config_file_paths(const aws_config *cfg);
char **aws_credentials_file_paths(const aws_config *cfg);
void aws_strv_free(char **v);
/* Look key up in the profile's section of the config files; owned or NULL. */
char *aws_profile_get(const aws_config *cfg, const char *key, const char *sub);

/* ---- protocol helpers ---- */
/* Append a JSON string to out with JSON escaping (aws_log uses it). */
void aws_json_escape(strbuf *out, const char *s);
/* Format the signing time (clock + learnt skew) as YYYYMMDDTHHMMSSZ. */
void aws_amz_date(char out[17]);
/* The signing time in unix seconds. */
long long aws_now(void);
/* Learn the skew from an HTTP Date header; 1 if the skew changed (worth a
 * retry), 0 if not or unparsable. */
int aws_clock_correct(const char *date_header);
/* Has the engine asked to stop? */
int aws_cancelled(void);
/* Does r look like an AWS region name (xx-name-N, lower case)? */
int aws_region_valid(const char *r);
/* Sleep ms in slices, returning early (CAIRN_ECANCEL) on cancellation. */
int aws_sleep_cancellable(long ms);

#endif
