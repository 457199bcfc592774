/*
 * providers/aws/aws_proto_query.c — request parameters for the query
 * protocol (IAM, STS, RDS, ElastiCache, ELBv2) and the EC2 protocol.
 *
 * Both send application/x-www-form-urlencoded bodies of flattened names:
 * EC2 lists are "Name.N" (VpcId.1, Filter.1.Value.2), query lists
 * "Name.member.N" (Subnets.member.1, Tags.member.1.Key) and query maps
 * "Name.entry.N.key".  Values are encoded with AWS's strict unreserved set,
 * so the body is identical to what botocore sends for the same parameters.
 */
#include "providers/aws/aws_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "providers/aws/aws_sigv4.h"

struct aws_params {
    aws_kv *items;
    size_t n, cap;
    int failed;
};

aws_params *aws_params_new(void)
{
    return xcalloc(1, sizeof(aws_params));
}

void aws_params_free(aws_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].key);
        free(p->items[i].value);
    }
    free(p->items);
    free(p);
}

void aws_params_add(aws_params *p, const char *name, const char *value)
{
    if (p->n >= AWS_MAX_PARAMS) {
        p->failed = 1;
        return;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->items = xrealloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->n].key = xstrdup(name);
    p->items[p->n].value = xstrdup(value ? value : "");
    p->n++;
}

void aws_params_addf(aws_params *p, const char *value, const char *name_fmt, ...)
{
    char name[512];
    va_list ap;
    va_start(ap, name_fmt);
    int n = vsnprintf(name, sizeof name, name_fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof name) {
        p->failed = 1;
        return;
    }
    aws_params_add(p, name, value);
}

void aws_params_add_sensitive(aws_params *p, const char *name, const char *value)
{
    aws_log_redact(value);
    aws_params_add(p, name, value);
}

void aws_params_add_list(aws_params *p, const char *prefix, const char *member,
                         const char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (member)
            aws_params_addf(p, values[i], "%s.%s.%zu", prefix, member, i + 1);
        else
            aws_params_addf(p, values[i], "%s.%zu", prefix, i + 1);
    }
}

void aws_params_add_filter(aws_params *p, int index, const char *name,
                           const char *const *values, size_t n)
{
    aws_params_addf(p, name, "Filter.%d.Name", index);
    for (size_t i = 0; i < n; i++)
        aws_params_addf(p, values[i], "Filter.%d.Value.%zu", index, i + 1);
}

void aws_params_add_kvs(aws_params *p, const char *prefix, const char *kname,
                        const char *vname, const aws_kvlist *kvs)
{
    for (size_t i = 0; kvs && i < kvs->n; i++) {
        aws_params_addf(p, kvs->items[i].key, "%s.%zu.%s", prefix, i + 1, kname);
        aws_params_addf(p, kvs->items[i].value, "%s.%zu.%s", prefix, i + 1, vname);
    }
}

char *aws_params_encode(const aws_params *p)
{
    if (p->failed)
        return err_set(CAIRN_ELIMIT, "request has more than %d parameters (AWS_MAX_PARAMS) "
                       "or a parameter name over 511 bytes", AWS_MAX_PARAMS), NULL;
    strbuf b = {0};
    for (size_t i = 0; i < p->n; i++) {
        if (i)
            sb_putc(&b, '&');
        aws_uri_encode(&b, p->items[i].key, strlen(p->items[i].key), 0);
        sb_putc(&b, '=');
        aws_uri_encode(&b, p->items[i].value, strlen(p->items[i].value), 0);
    }
    sb_putc(&b, 0);
    b.len--;
    char *s = sb_take(&b);
    if (!s)
        err_set(CAIRN_ENOMEM, "out of memory encoding request parameters");
    return s;
}

size_t aws_params_count(const aws_params *p)
{
    return p->n;
}

const char *aws_params_get(const aws_params *p, const char *name)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->items[i].key, name) == 0)
            return p->items[i].value;
    return NULL;
}

void aws_params_set(aws_params *p, const char *name, const char *value)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->items[i].key, name) == 0) {
            free(p->items[i].value);
            p->items[i].value = xstrdup(value ? value : "");
            return;
        }
    }
    aws_params_add(p, name, value);
}
