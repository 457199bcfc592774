/*
 * providers/aws/aws_endpoint.c — endpoint resolution per service and region.
 *
 * Order (first match wins), as Terraform's AWS provider and the SDKs define
 * it:
 *   1. the provider's endpoints { <key> = url } block
 *   2. AWS_ENDPOINT_URL_<SERVICE> (the SDK service id upper-cased, spaces
 *      to '_': EC2, IAM, STS, EKS, RDS, ELASTICACHE, S3,
 *      ELASTIC_LOAD_BALANCING_V2)
 *   3. AWS_ENDPOINT_URL
 *   4. the profile's "services" section in the shared config file
 *      (services = NAME, then [services NAME] with "<key> =" and an
 *      indented "endpoint_url = ...")
 *   5. the profile's endpoint_url in the shared config file
 *   6. the standard endpoint of the region's partition.
 * 2-5 are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is "true".
 * The signing region is the configured region, except for IAM, which is
 * global and always signs with its partition's home region.
 */
#include "providers/aws/aws_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct partition {
    const char *prefix;       /* region prefix */
    const char *suffix;       /* DNS suffix */
    const char *iam_host;
    const char *iam_region;
} partition;

static const partition partitions[] = {
    {"cn-", "amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"us-gov-", "amazonaws.com", "iam.us-gov.amazonaws.com", "us-gov-west-1"},
    {"", "amazonaws.com", "iam.amazonaws.com", "us-east-1"},
};

static const partition *partition_of(const char *region)
{
    for (size_t i = 0; i < sizeof partitions / sizeof *partitions; i++)
        if (strncmp(region, partitions[i].prefix, strlen(partitions[i].prefix)) == 0)
            return &partitions[i];
    return &partitions[2];
}

static int set_url(aws_endpoint *out, const char *url, const char *source, const char *svc)
{
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return err_set(CAIRN_EINVAL, "endpoint for %s from %s must start with https:// or "
                       "http://: \"%s\"", svc, source, url);
    size_t l = strlen(url);
    while (l > 8 && url[l - 1] == '/')
        l--;
    out->url = xstrndup(url, l);
    out->source = xstrdup(source);
    return 0;
}

static int ignore_configured(void)
{
    const char *e = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    return e && strcasecmp(e, "true") == 0;
}

static int from_config_file(aws_endpoint *out, const aws_config *cfg,
                            const aws_service_info *si)
{
    char *services = aws_profile_get(cfg, "services", NULL);
    int rc = 1;
    if (services && *services) {
        char **paths = aws_config_file_paths(cfg);
        char *sec = xasprintf("services %s", services);
        char *url = NULL;
        for (size_t i = 0; paths && paths[i]; i++) {
            char *v = aws_ini_get(paths[i], sec, si->config_key, "endpoint_url");
            if (v) {
                free(url);
                url = v;
            }
        }
        if (url && *url) {
            char *src = xasprintf("shared config file [services %s] %s", services,
                                  si->config_key);
            rc = set_url(out, url, src, si->key);
            free(src);
        }
        free(url);
        free(sec);
        aws_strv_free(paths);
    }
    free(services);
    if (rc != 1)
        return rc;
    char *url = aws_profile_get(cfg, "endpoint_url", NULL);
    if (url && *url)
        rc = set_url(out, url, "shared config file endpoint_url", si->key);
    free(url);
    return rc;
}

int aws_endpoint_resolve(aws_endpoint *out, const aws_config *cfg, enum aws_service svc,
                         const char *region)
{
    memset(out, 0, sizeof *out);
    const aws_service_info *si = aws_service(svc);
    if (!si)
        return err_set(CAIRN_EINVAL, "unknown AWS service %d", (int)svc);
    if (!region || !*region)
        return err_set(CAIRN_EINVAL, "endpoint for %s: no region", si->key);
    const partition *pt = partition_of(region);
    int rc = 1;
    if (cfg->endpoints[svc] && *cfg->endpoints[svc]) {
        char *src = xasprintf("endpoints block (%s)", si->key);
        rc = set_url(out, cfg->endpoints[svc], src, si->key);
        free(src);
    }
    if (rc == 1 && !ignore_configured()) {
        char *name = xasprintf("AWS_ENDPOINT_URL_%s", si->env_suffix);
        const char *e = getenv(name);
        if (e && *e)
            rc = set_url(out, e, name, si->key);
        free(name);
        e = getenv("AWS_ENDPOINT_URL");
        if (rc == 1 && e && *e)
            rc = set_url(out, e, "AWS_ENDPOINT_URL", si->key);
        if (rc == 1)
            rc = from_config_file(out, cfg, si);
    }
    if (rc < 0)
        return rc;
    if (rc == 1) {
        char *url;
        if (si->global)
            url = xasprintf("https://%s", pt->iam_host);
        else
            url = xasprintf("https://%s.%s.%s", si->host_prefix, region, pt->suffix);
        out->url = url;
        out->source = xstrdup("default");
    }
    out->signing_region = xstrdup(si->global ? pt->iam_region : region);
    return 0;
}

void aws_endpoint_free(aws_endpoint *e)
{
    free(e->url);
    free(e->signing_region);
    free(e->source);
    memset(e, 0, sizeof *e);
}
