/*
 * providers/aws/aws_plugin.c — the `aws` provider plugin: its entry point
 * (cairn_provider_entry), the provider block schema as Terraform's AWS
 * provider has it, configure (provider block -> aws_config -> aws_client,
 * validated with STS unless skipped) and close, and the resource table
 * assembled from the families (aws_resource.h).
 *
 * What must stay true:
 *   - the table is built once (pthread_once) and is read-only afterwards;
 *     adding a family is one line in `families` below;
 *   - configure never echoes a credential: messages name attributes, not
 *     values, and the secret key and token are registered for masking
 *     before anything can log them;
 *   - a configured instance is immutable (worker threads share it).
 */
#include "providers/aws/aws_resource.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- schema */

static const prov_attr endpoints_attrs[] = {
    {"ec2", "string", PROV_OPTIONAL, NULL, "Endpoint URL of EC2."},
    {"eks", "string", PROV_OPTIONAL, NULL, "Endpoint URL of EKS."},
    {"elasticache", "string", PROV_OPTIONAL, NULL, "Endpoint URL of ElastiCache."},
    {"elbv2", "string", PROV_OPTIONAL, NULL, "Endpoint URL of Elastic Load Balancing v2."},
    {"iam", "string", PROV_OPTIONAL, NULL, "Endpoint URL of IAM."},
    {"rds", "string", PROV_OPTIONAL, NULL, "Endpoint URL of RDS."},
    {"s3", "string", PROV_OPTIONAL, NULL, "Endpoint URL of S3."},
    {"sts", "string", PROV_OPTIONAL, NULL, "Endpoint URL of STS."},
};
static const prov_schema endpoints_schema = {
    endpoints_attrs, sizeof endpoints_attrs / sizeof *endpoints_attrs, NULL, 0,
};

static const prov_attr default_tags_attrs[] = {
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags every resource gets (tags_all)."},
};
static const prov_schema default_tags_schema = {default_tags_attrs, 1, NULL, 0};

static const prov_attr config_attrs[] = {
    {"access_key", "string", PROV_OPTIONAL, NULL, "The access key for API operations."},
    {"allowed_account_ids", "set(string)", PROV_OPTIONAL, NULL,
     "Account ids the credentials must belong to."},
    {"custom_ca_bundle", "string", PROV_OPTIONAL, NULL, "PEM file of trusted CAs."},
    {"forbidden_account_ids", "set(string)", PROV_OPTIONAL, NULL,
     "Account ids the credentials must not belong to."},
    {"max_retries", "number", PROV_OPTIONAL, NULL, "Retries of a failed API call (25)."},
    {"profile", "string", PROV_OPTIONAL, NULL, "Profile of the shared files."},
    {"region", "string", PROV_OPTIONAL, NULL, "The region where operations take place."},
    {"s3_use_path_style", "bool", PROV_OPTIONAL, NULL, "Path-style S3 addressing."},
    {"secret_key", "string", PROV_OPTIONAL | PROV_SENSITIVE, NULL,
     "The secret key for API operations."},
    {"shared_config_files", "list(string)", PROV_OPTIONAL, NULL,
     "Paths of shared config files (~/.aws/config)."},
    {"shared_credentials_files", "list(string)", PROV_OPTIONAL, NULL,
     "Paths of shared credentials files (~/.aws/credentials)."},
    {"skip_credentials_validation", "bool", PROV_OPTIONAL, NULL,
     "Skip validating the credentials with STS GetCallerIdentity."},
    {"skip_metadata_api_check", "string", PROV_OPTIONAL, NULL,
     "Skip the instance metadata API (cairn never queries it)."},
    {"skip_region_validation", "bool", PROV_OPTIONAL, NULL, "Accept any region name."},
    {"skip_requesting_account_id", "bool", PROV_OPTIONAL, NULL,
     "Do not ask STS for the account id."},
    {"token", "string", PROV_OPTIONAL | PROV_SENSITIVE, NULL, "Session token."},
};

static const prov_block config_blocks[] = {
    {"default_tags", PROV_NEST_SINGLE, 0, 1, 0, &default_tags_schema},
    {"endpoints", PROV_NEST_SINGLE, 0, 1, 0, &endpoints_schema},
};

static const prov_schema config_schema = {
    config_attrs, sizeof config_attrs / sizeof *config_attrs,
    config_blocks, sizeof config_blocks / sizeof *config_blocks,
};

/* ---------------------------------------------------------------- reading the block */

#define CONFIG_SUMMARY "Invalid AWS provider configuration"

/* The value of attribute name of obj: NULL when absent or null; an error
 * when unknown (the provider is configured before anything is applied). */
static int cfg_get(val obj, const char *name, const val **out, prov_diag *d)
{
    *out = NULL;
    const val *v = val_is_valid(obj) && val_kind(obj) == VAL_OBJECT && !val_is_unknown(obj)
                       ? val_lookup(obj, name) : NULL;
    if (!v || val_is_null(*v))
        return 0;
    if (!val_is_wholly_known(*v))
        return aws_fail(d, CAIRN_EINVAL, NULL, CONFIG_SUMMARY,
                        "The \"%s\" argument must be known when the provider is configured; "
                        "it depends on a value known only after apply.", name);
    *out = v;
    return 0;
}

static int cfg_str(val obj, const char *name, char **out, prov_diag *d)
{
    const val *v;
    int rc = cfg_get(obj, name, &v, d);
    if (rc == 0 && v && val_kind(*v) != VAL_STRING)
        rc = aws_fail(d, CAIRN_EINVAL, NULL, CONFIG_SUMMARY, "\"%s\" must be a string.", name);
    if (rc == 0 && v && val_string_len(*v) > 0) {
        free(*out);
        *out = xstrdup(val_get_string(*v));
    }
    return rc;
}

static int cfg_bool(val obj, const char *name, int *out, prov_diag *d)
{
    const val *v;
    int rc = cfg_get(obj, name, &v, d);
    if (rc == 0 && v && val_kind(*v) != VAL_BOOL)
        rc = aws_fail(d, CAIRN_EINVAL, NULL, CONFIG_SUMMARY, "\"%s\" must be a bool.", name);
    if (rc == 0 && v)
        *out = val_get_bool(*v);
    return rc;
}

/* A list or set of strings as a NULL-terminated array (owned), or NULL. */
static int cfg_strv(val obj, const char *name, char ***out, prov_diag *d)
{
    const val *v;
    int rc = cfg_get(obj, name, &v, d);
    if (rc < 0 || !v)
        return rc;
    size_t n = val_len(*v);
    char **a = xcalloc(n + 1, sizeof *a);
    for (size_t i = 0; i < n; i++) {
        const val *e = val_at(*v, i);
        if (val_kind(*e) != VAL_STRING) {
            for (size_t j = 0; j < i; j++)
                free(a[j]);
            free(a);
            return aws_fail(d, CAIRN_EINVAL, NULL, CONFIG_SUMMARY,
                            "\"%s\" must be a list of strings.", name);
        }
        a[i] = xstrdup(val_get_string(*e));
    }
    *out = a;
    return 0;
}

/* max_retries: a whole number from 0 to AWS_MAX_RETRIES_LIMIT. */
static int cfg_retries(val obj, aws_config *cfg, prov_diag *d)
{
    const val *v;
    int rc = cfg_get(obj, "max_retries", &v, d);
    if (rc < 0 || !v)
        return rc;
    double n = val_get_number(*v);
    if (!(n >= 0 && n <= AWS_MAX_RETRIES_LIMIT) || n != (double)(int)n)
        return aws_fail(d, CAIRN_EINVAL, "max_retries", CONFIG_SUMMARY,
                        "max_retries must be a whole number from 0 to %d.",
                        AWS_MAX_RETRIES_LIMIT);
    cfg->max_retries = (int)n;
    return 0;
}

/* skip_metadata_api_check is Terraform's nullable bool: "true", "false" or "". */
static int cfg_metadata(val obj, aws_config *cfg, prov_diag *d)
{
    char *s = NULL;
    int rc = cfg_str(obj, "skip_metadata_api_check", &s, d);
    if (rc == 0 && s && strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
        rc = aws_fail(d, CAIRN_EINVAL, "skip_metadata_api_check", CONFIG_SUMMARY,
                      "skip_metadata_api_check must be true, false or \"\", not \"%s\".", s);
    if (rc == 0)
        cfg->skip_metadata_api_check = s && strcmp(s, "true") == 0;
    free(s);
    return rc;
}

/* endpoints { ec2 = "..." ... }: one override per service key. */
static int cfg_endpoints(val obj, aws_config *cfg, prov_diag *d)
{
    const val *blk;
    int rc = cfg_get(obj, "endpoints", &blk, d);
    for (size_t i = 0; rc == 0 && blk && i < endpoints_schema.nattrs; i++) {
        int svc = aws_service_by_key(endpoints_attrs[i].name);
        if (svc >= 0)
            rc = cfg_str(*blk, endpoints_attrs[i].name, &cfg->endpoints[svc], d);
    }
    return rc;
}

/* default_tags { tags = {...} } into cfg->default_tags. */
static int cfg_default_tags(val obj, aws_config *cfg, prov_diag *d)
{
    const val *blk;
    int rc = cfg_get(obj, "default_tags", &blk, d);
    if (rc < 0 || !blk)
        return rc;
    rc = aws_tags_validate(*blk, "tags", d);
    if (rc == 0)
        aws_arg_tags(*blk, "tags", &cfg->default_tags);
    return rc;
}

static int cfg_strings(val config, aws_config *cfg, prov_diag *d)
{
    int rc = cfg_str(config, "region", &cfg->region, d);
    if (rc == 0)
        rc = cfg_str(config, "profile", &cfg->profile, d);
    if (rc == 0)
        rc = cfg_str(config, "access_key", &cfg->access_key, d);
    if (rc == 0)
        rc = cfg_str(config, "secret_key", &cfg->secret_key, d);
    if (rc == 0)
        rc = cfg_str(config, "token", &cfg->token, d);
    if (rc == 0)
        rc = cfg_str(config, "custom_ca_bundle", &cfg->ca_bundle, d);
    if (cfg->secret_key)
        aws_log_redact(cfg->secret_key);
    if (cfg->token)
        aws_log_redact(cfg->token);
    return rc;
}

static int cfg_flags(val config, aws_config *cfg, prov_diag *d)
{
    int rc = cfg_bool(config, "skip_credentials_validation",
                      &cfg->skip_credentials_validation, d);
    if (rc == 0)
        rc = cfg_bool(config, "skip_requesting_account_id", &cfg->skip_requesting_account_id,
                      d);
    if (rc == 0)
        rc = cfg_bool(config, "skip_region_validation", &cfg->skip_region_validation, d);
    if (rc == 0)
        rc = cfg_bool(config, "s3_use_path_style", &cfg->s3_use_path_style, d);
    if (rc == 0)
        rc = cfg_metadata(config, cfg, d);
    if (rc == 0)
        rc = cfg_retries(config, cfg, d);
    return rc;
}

static int cfg_lists(val config, aws_config *cfg, prov_diag *d)
{
    int rc = cfg_strv(config, "shared_config_files", &cfg->shared_config_files, d);
    if (rc == 0)
        rc = cfg_strv(config, "shared_credentials_files", &cfg->shared_credentials_files, d);
    if (rc == 0)
        rc = cfg_strv(config, "allowed_account_ids", &cfg->allowed_account_ids, d);
    if (rc == 0)
        rc = cfg_strv(config, "forbidden_account_ids", &cfg->forbidden_account_ids, d);
    if (rc == 0 && cfg->allowed_account_ids && cfg->forbidden_account_ids)
        rc = aws_fail(d, CAIRN_EINVAL, "allowed_account_ids", CONFIG_SUMMARY,
                      "\"allowed_account_ids\" and \"forbidden_account_ids\" cannot both be "
                      "set.");
    return rc;
}

/* Fill cfg (initialised by the caller) from the provider block. */
static int config_from_block(val config, aws_config *cfg, prov_diag *d)
{
    int rc = cfg_strings(config, cfg, d);
    if (rc == 0)
        rc = cfg_flags(config, cfg, d);
    if (rc == 0)
        rc = cfg_lists(config, cfg, d);
    if (rc == 0)
        rc = cfg_endpoints(config, cfg, d);
    if (rc == 0)
        rc = cfg_default_tags(config, cfg, d);
    return rc;
}

/* ---------------------------------------------------------------- configure */

/* The ARN partition of a region. */
static const char *partition_of(const char *region)
{
    if (region && strncmp(region, "cn-", 3) == 0)
        return "aws-cn";
    if (region && strncmp(region, "us-gov-", 7) == 0)
        return "aws-us-gov";
    return "aws";
}

static void aws_close(prov_instance *p)
{
    if (!p)
        return;
    aws_client_free(p->client);
    aws_config_free(&p->cfg);
    free(p->partition);
    free(p);
}

static int aws_configure(prov_instance **out, val config, prov_diag *d)
{
    *out = NULL;
    prov_instance *p = xcalloc(1, sizeof *p);
    aws_config_init(&p->cfg);
    int rc = config_from_block(config, &p->cfg, d);
    if (rc == 0) {
        rc = aws_client_new(&p->client, &p->cfg);
        if (rc < 0)
            aws_fail(d, rc, NULL, "Failed to configure the AWS provider", "%s", err_msg());
    }
    if (rc == 0) {
        rc = aws_client_validate(p->client);
        if (rc < 0)
            aws_fail(d, rc, NULL, "Failed to validate the AWS credentials", "%s", err_msg());
    }
    if (rc < 0) {
        aws_close(p);
        return rc;
    }
    p->partition = xstrdup(partition_of(aws_client_region(p->client)));
    *out = p;
    return 0;
}

/* ---------------------------------------------------------------- entry */

/* Every resource family; the table below is their concatenation. */
static const aws_family *const families[] = {
    &aws_ec2_vpc_family,
    &aws_ec2_gateway_family,
    &aws_ec2_route_family,
    &aws_ec2_sg_family,
};
/* Every data source family. */
static const aws_data_family *const data_families[] = {
    &aws_data_sources,
};

/* The plugin and its table: process-wide, filled once, read-only after. */
static prov_resource_type table[AWS_MAX_RESOURCE_TYPES];
static prov_data_source data_table[AWS_MAX_DATA_SOURCES];
static prov_plugin plugin = {
    .abi_version = PROV_ABI_VERSION,
    .name = AWS_PLUGIN_NAME,
    .version = AWS_PLUGIN_VERSION,
    .config_schema = &config_schema,
    .resources = table,
    .data_sources = data_table,
    .configure = aws_configure,
    .close = aws_close,
};
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

const prov_plugin *cairn_provider_entry(void);

/* Keep this shared object loaded until the process exits, as linking with
 * -z nodelete would: the client layer initialises libcurl and OpenSSL
 * process-wide (aws_http.c), which cannot be unloaded and initialised
 * again, and its process-wide state (connection cache, rate limiters,
 * masked secrets) must stay valid — and reachable, for LeakSanitizer —
 * after the engine's dlclose.  Linked statically, this is a no-op. */
static void pin_self(void)
{
    Dl_info info;
    if (dladdr((void *)cairn_provider_entry, &info) && info.dli_fname)
        (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

static void build_table(void)
{
    pin_self();
    size_t n = 0;
    for (size_t f = 0; f < sizeof families / sizeof *families; f++) {
        for (size_t i = 0; i < families[f]->ntypes; i++) {
            if (n == AWS_MAX_RESOURCE_TYPES) {
                fprintf(stderr, "aws plugin: more than AWS_MAX_RESOURCE_TYPES (%d) resource "
                        "types\n", AWS_MAX_RESOURCE_TYPES);
                abort();
            }
            table[n++] = families[f]->types[i];
        }
    }
    plugin.nresources = n;
    n = 0;
    for (size_t f = 0; f < sizeof data_families / sizeof *data_families; f++) {
        for (size_t i = 0; i < data_families[f]->nsources; i++) {
            if (n == AWS_MAX_DATA_SOURCES) {
                fprintf(stderr, "aws plugin: more than AWS_MAX_DATA_SOURCES (%d) data "
                        "sources\n", AWS_MAX_DATA_SOURCES);
                abort();
            }
            data_table[n++] = data_families[f]->sources[i];
        }
    }
    plugin.ndata_sources = n;
}

/* The plugin's one exported symbol (PROV_ENTRY_SYMBOL). */
__attribute__((visibility("default"))) const prov_plugin *cairn_provider_entry(void)
{
    pthread_once(&table_once, build_table);
    return &plugin;
}
