/*
 * providers/aws/aws_config.c — provider configuration, the service table,
 * key/value lists, default_tags and tags_all.
 *
 * The service table is the one place that knows each service's names: the
 * endpoints {} key, the SDK service id (whose upper-cased, underscored form
 * names AWS_ENDPOINT_URL_<SERVICE>), the signing name, the host prefix,
 * the API version and the wire protocol.
 */
#include "providers/aws/aws_internal.h"

#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>

static const aws_service_info services[AWS_SERVICE_COUNT] = {
    [AWS_EC2] = {"ec2", "EC2", "EC2", "ec2", "ec2", "ec2", "2016-11-15", AWS_PROTO_EC2, 0},
    [AWS_IAM] = {"iam", "IAM", "IAM", "iam", "iam", "iam", "2010-05-08", AWS_PROTO_QUERY, 1},
    [AWS_STS] = {"sts", "STS", "STS", "sts", "sts", "sts", "2011-06-15", AWS_PROTO_QUERY, 0},
    [AWS_EKS] = {"eks", "EKS", "EKS", "eks", "eks", "eks", "2017-11-01", AWS_PROTO_REST_JSON,
                 0},
    [AWS_RDS] = {"rds", "RDS", "RDS", "rds", "rds", "rds", "2014-10-31", AWS_PROTO_QUERY, 0},
    [AWS_ELASTICACHE] = {"elasticache", "ElastiCache", "ELASTICACHE", "elasticache",
                         "elasticache", "elasticache", "2015-02-02", AWS_PROTO_QUERY, 0},
    [AWS_S3] = {"s3", "S3", "S3", "s3", "s3", "s3", "2006-03-01", AWS_PROTO_REST_XML, 0},
    [AWS_ELBV2] = {"elbv2", "Elastic Load Balancing v2", "ELASTIC_LOAD_BALANCING_V2",
                   "elastic_load_balancing_v2", "elasticloadbalancing",
                   "elasticloadbalancing", "2015-12-01", AWS_PROTO_QUERY, 0},
};

const aws_service_info *aws_service(enum aws_service s)
{
    if ((int)s < 0 || s >= AWS_SERVICE_COUNT)
        return NULL;
    return &services[s];
}

int aws_service_by_key(const char *key)
{
    for (int i = 0; key && i < AWS_SERVICE_COUNT; i++)
        if (strcmp(services[i].key, key) == 0)
            return i;
    return -1;
}

void aws_kv_set(aws_kvlist *l, const char *key, const char *value)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].key, key) == 0) {
            free(l->items[i].value);
            l->items[i].value = xstrdup(value ? value : "");
            return;
        }
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n].key = xstrdup(key);
    l->items[l->n].value = xstrdup(value ? value : "");
    l->n++;
}

const char *aws_kv_get(const aws_kvlist *l, const char *key)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return l->items[i].value;
    return NULL;
}

void aws_kv_free(aws_kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

void aws_tags_merge(aws_kvlist *out, const aws_kvlist *default_tags,
                    const aws_kvlist *resource_tags)
{
    for (size_t i = 0; default_tags && i < default_tags->n; i++)
        aws_kv_set(out, default_tags->items[i].key, default_tags->items[i].value);
    for (size_t i = 0; resource_tags && i < resource_tags->n; i++)
        aws_kv_set(out, resource_tags->items[i].key, resource_tags->items[i].value);
}

void aws_config_init(aws_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_retries = -1;
}

void aws_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

void aws_config_free(aws_config *cfg)
{
    free(cfg->region);
    free(cfg->profile);
    free(cfg->access_key);
    free(cfg->secret_key);
    free(cfg->token);
    aws_strv_free(cfg->shared_config_files);
    aws_strv_free(cfg->shared_credentials_files);
    for (int i = 0; i < AWS_SERVICE_COUNT; i++)
        free(cfg->endpoints[i]);
    aws_kv_free(&cfg->default_tags);
    aws_strv_free(cfg->allowed_account_ids);
    aws_strv_free(cfg->forbidden_account_ids);
    memset(cfg, 0, sizeof *cfg);
}

void aws_json_escape(strbuf *out, const char *s)
{
    static const char hx[] = "0123456789abcdef";
    sb_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': sb_puts(out, "\\\""); break;
        case '\\': sb_puts(out, "\\\\"); break;
        case '\n': sb_puts(out, "\\n"); break;
        case '\r': sb_puts(out, "\\r"); break;
        case '\t': sb_puts(out, "\\t"); break;
        default:
            if (*p < 0x20) {
                char e[6] = {'\\', 'u', '0', '0', hx[*p >> 4], hx[*p & 15]};
                sb_append(out, e, 6);
            } else {
                sb_putc(out, (char)*p);
            }
        }
    }
    sb_putc(out, '"');
}

/* Process-wide clock state: the test hook, the skew learnt from services
 * (RequestTimeTooSkewed and friends) and the engine's cancellation flag. */
static aws_now_fn clock_fn;
static _Atomic long long clock_skew;
static const volatile int *cancel_flag;

void aws_set_clock(aws_now_fn now)
{
    clock_fn = now;
    atomic_store(&clock_skew, 0);
}

long long aws_now(void)
{
    return (clock_fn ? clock_fn() : (long long)time(NULL)) + atomic_load(&clock_skew);
}

int aws_clock_correct(const char *date_header)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!date_header || !strptime(date_header, "%a, %d %b %Y %H:%M:%S GMT", &tm))
        return 0;
    long long server = (long long)timegm(&tm);
    long long local = clock_fn ? clock_fn() : (long long)time(NULL);
    long long skew = server - local;
    if (skew == atomic_load(&clock_skew))
        return 0;
    atomic_store(&clock_skew, skew);
    aws_log(AWS_LOG_WARN, "clock: local time differs from the service's by %llds; "
            "correcting signatures", skew);
    return 1;
}

void aws_set_cancel_flag(const volatile int *flag)
{
    cancel_flag = flag;
}

int aws_cancelled(void)
{
    return cancel_flag && *cancel_flag;
}

int aws_region_valid(const char *r)
{
    size_t segs = 1, l = strlen(r);
    if (l < 4 || l > 32 || r[0] == '-' || r[l - 1] < '0' || r[l - 1] > '9')
        return 0;
    for (const char *p = r; *p; p++) {
        if (*p == '-') {
            if (p[1] == '-')
                return 0;
            segs++;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return 0;
        }
    }
    return segs >= 3;
}

void aws_amz_date(char out[17])
{
    time_t t = (time_t)aws_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

char *aws_idempotency_token(void)
{
    static const char hx[] = "0123456789abcdef";
    unsigned char raw[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(raw, 1, sizeof raw, f) : 0;
    if (f)
        fclose(f);
    for (size_t i = got; i < sizeof raw; i++)
        raw[i] = (unsigned char)(aws_random() * 256);
    char *t = xmalloc(33);
    for (int i = 0; i < 16; i++) {
        t[2 * i] = hx[raw[i] >> 4];
        t[2 * i + 1] = hx[raw[i] & 15];
    }
    t[32] = 0;
    return t;
}
