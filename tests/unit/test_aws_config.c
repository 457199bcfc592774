/*
 * tests/unit/test_aws_config.c — credential chain, region and endpoint
 * resolution: every source and their precedence, with temporary files and
 * environments.  Also default_tags/tags_all merging and the log masker.
 */
#include "tests/unit/harness.h"

#include "providers/aws/aws.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

/* Fresh HOME in a temporary directory and no AWS_* variables. */
static void env_clean(void)
{
    static const char *vars[] = {
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
        "AWS_ENDPOINT_URL_ELASTICACHE", "AWS_ENDPOINT_URL_RDS", "AWS_ENDPOINT_URL_EKS",
        "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_S3",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    };
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        unsetenv(vars[i]);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cairn-awscfg-XXXXXX");
    if (!mkdtemp(tmpdir))
        abort();
    setenv("HOME", tmpdir, 1);
}

static char *path_in(const char *rel)
{
    return xasprintf("%s/%s", tmpdir, rel);
}

static void write_file(const char *rel, const char *text)
{
    char *p = path_in(rel);
    char *slash = strrchr(p, '/');
    *slash = 0;
    mkdir(p, 0700);
    *slash = '/';
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    free(p);
}

static void cleanup(void)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        printf("# cleanup failed\n");
    free(cmd);
}

static const char *creds_file =
    "[default]\n"
    "aws_access_key_id = AKIDFILEDEFAULT\n"
    "aws_secret_access_key = secretfiledefault\n"
    "\n"
    "[dev]\n"
    "aws_access_key_id=AKIDFILEDEV\n"
    "aws_secret_access_key=secretfiledev\n"
    "aws_session_token=tokenfiledev\n";

static const char *config_file =
    "[default]\n"
    "region = eu-west-1\n"
    "[profile dev]\n"
    "region = ap-south-1\n"
    "[profile cfgonly]\n"
    "aws_access_key_id = AKIDCONFIGONLY\n"
    "aws_secret_access_key = secretconfigonly\n"
    "region = ca-central-1\n"
    "[cfgbare]\n"
    "aws_access_key_id = AKIDBARE\n"
    "aws_secret_access_key = secretbare\n";

/* Resolve and return the access key (owned) or NULL; *src gets the source. */
static char *resolve_key(const aws_config *cfg, char **src)
{
    aws_creds c;
    if (aws_creds_resolve(&c, cfg) < 0) {
        if (src)
            *src = NULL;
        return NULL;
    }
    char *k = xstrdup(c.access_key);
    if (src)
        *src = xstrdup(c.source);
    aws_creds_free(&c);
    return k;
}

TEST(creds_provider_block_wins_over_environment)
{
    env_clean();
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secretenv", 1);
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.access_key = xstrdup("AKIDBLOCK");
    cfg.secret_key = xstrdup("secretblock");
    cfg.token = xstrdup("tokenblock");
    aws_creds c;
    CHECK_INT(aws_creds_resolve(&c, &cfg), 0);
    CHECK_STR(c.access_key, "AKIDBLOCK");
    CHECK_STR(c.secret_key, "secretblock");
    CHECK_STR(c.token, "tokenblock");
    CHECK_STR(c.source, "provider block");
    aws_creds_free(&c);
    aws_config_free(&cfg);
    cleanup();
}

TEST(creds_environment_over_shared_files)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secretenv", 1);
    setenv("AWS_SESSION_TOKEN", "tokenenv", 1);
    aws_config cfg;
    aws_config_init(&cfg);
    aws_creds c;
    CHECK_INT(aws_creds_resolve(&c, &cfg), 0);
    CHECK_STR(c.access_key, "AKIDENV");
    CHECK_STR(c.token, "tokenenv");
    CHECK_STR(c.source, "environment");
    aws_creds_free(&c);
    cleanup();
}

TEST(creds_half_set_is_an_error)
{
    env_clean();
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    aws_config cfg;
    aws_config_init(&cfg);
    aws_creds c;
    CHECK_INT(aws_creds_resolve(&c, &cfg), CAIRN_EINVAL);
    CHECK(strstr(err_msg(), "AWS_SECRET_ACCESS_KEY") != NULL);
    unsetenv("AWS_ACCESS_KEY_ID");
    cfg.secret_key = xstrdup("only-secret");
    CHECK_INT(aws_creds_resolve(&c, &cfg), CAIRN_EINVAL);
    CHECK(strstr(err_msg(), "provider block") != NULL);
    aws_config_free(&cfg);
    cleanup();
}

TEST(creds_default_profile_from_home_credentials_file)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    aws_config cfg;
    aws_config_init(&cfg);
    char *src;
    char *k = resolve_key(&cfg, &src);
    CHECK_STR(k, "AKIDFILEDEFAULT");
    CHECK(src && strstr(src, "shared credentials file") && strstr(src, "[default]"));
    free(k);
    free(src);
    cleanup();
}

TEST(creds_aws_profile_selects_section)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    setenv("AWS_PROFILE", "dev", 1);
    aws_config cfg;
    aws_config_init(&cfg);
    aws_creds c;
    CHECK_INT(aws_creds_resolve(&c, &cfg), 0);
    CHECK_STR(c.access_key, "AKIDFILEDEV");
    CHECK_STR(c.token, "tokenfiledev");
    aws_creds_free(&c);
    cleanup();
}

TEST(creds_provider_profile_over_aws_profile)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    setenv("AWS_PROFILE", "dev", 1);
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.profile = xstrdup("default");
    char *k = resolve_key(&cfg, NULL);
    CHECK_STR(k, "AKIDFILEDEFAULT");
    CHECK_STR(aws_profile_name(&cfg), "default");
    free(k);
    aws_config_free(&cfg);
    cleanup();
}

TEST(creds_credentials_file_env_over_home)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    write_file("other/creds", "[default]\naws_access_key_id=AKIDOTHER\n"
               "aws_secret_access_key=secretother\n");
    char *p = path_in("other/creds");
    setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
    aws_config cfg;
    aws_config_init(&cfg);
    char *k = resolve_key(&cfg, NULL);
    CHECK_STR(k, "AKIDOTHER");
    free(k);
    free(p);
    cleanup();
}

TEST(creds_provider_shared_files_over_env_file)
{
    env_clean();
    write_file("a/creds", "[default]\naws_access_key_id=AKIDA\naws_secret_access_key=sa\n");
    write_file("b/creds", "[default]\naws_access_key_id=AKIDB\naws_secret_access_key=sb\n");
    char *pa = path_in("a/creds"), *pb = path_in("b/creds");
    setenv("AWS_SHARED_CREDENTIALS_FILE", pa, 1);
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.shared_credentials_files = xcalloc(2, sizeof(char *));
    cfg.shared_credentials_files[0] = xstrdup(pb);
    char *k = resolve_key(&cfg, NULL);
    CHECK_STR(k, "AKIDB");
    free(k);
    free(pa);
    free(pb);
    aws_config_free(&cfg);
    cleanup();
}

TEST(creds_credentials_file_over_config_file)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    write_file(".aws/config", "[default]\naws_access_key_id=AKIDCFG\n"
               "aws_secret_access_key=secretcfg\n");
    aws_config cfg;
    aws_config_init(&cfg);
    char *k = resolve_key(&cfg, NULL);
    CHECK_STR(k, "AKIDFILEDEFAULT");
    free(k);
    cleanup();
}

TEST(creds_config_file_profile_section)
{
    env_clean();
    write_file(".aws/credentials", creds_file);
    write_file(".aws/config", config_file);
    setenv("AWS_PROFILE", "cfgonly", 1);
    aws_config cfg;
    aws_config_init(&cfg);
    char *src;
    char *k = resolve_key(&cfg, &src);
    CHECK_STR(k, "AKIDCONFIGONLY");
    CHECK(src && strstr(src, "shared config file") && strstr(src, "[profile cfgonly]"));
    free(k);
    free(src);
    /* a non-default profile without the "profile " prefix is not a profile
     * in the config file */
    setenv("AWS_PROFILE", "cfgbare", 1);
    k = resolve_key(&cfg, NULL);
    CHECK(k == NULL);
    CHECK_INT(err_code(), CAIRN_ENOTFOUND);
    free(k);
    cleanup();
}

TEST(creds_config_file_env_path)
{
    env_clean();
    write_file("x/config", "[profile p1]\naws_access_key_id=AKIDX\naws_secret_access_key=sx\n");
    char *p = path_in("x/config");
    setenv("AWS_CONFIG_FILE", p, 1);
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.profile = xstrdup("p1");
    char *k = resolve_key(&cfg, NULL);
    CHECK_STR(k, "AKIDX");
    free(k);
    free(p);
    aws_config_free(&cfg);
    cleanup();
}

TEST(creds_missing_lists_every_place)
{
    env_clean();
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.profile = xstrdup("nosuch");
    aws_creds c;
    CHECK_INT(aws_creds_resolve(&c, &cfg), CAIRN_ENOTFOUND);
    const char *m = err_msg();
    CHECK(strstr(m, "No AWS credentials found") != NULL);
    CHECK(strstr(m, "profile \"nosuch\"") != NULL);
    CHECK(strstr(m, "provider block") != NULL);
    CHECK(strstr(m, "AWS_ACCESS_KEY_ID") != NULL);
    CHECK(strstr(m, "shared credentials file") != NULL);
    CHECK(strstr(m, ".aws/credentials") != NULL);
    CHECK(strstr(m, "shared config file") != NULL);
    CHECK(strstr(m, ".aws/config") != NULL);
    CHECK(strstr(m, "[profile nosuch]") != NULL);
    CHECK(strstr(m, "instance metadata") != NULL);
    aws_config_free(&cfg);
    cleanup();
}

static char *region_of(const aws_config *cfg)
{
    char *r = NULL;
    if (aws_region_resolve(&r, cfg) < 0)
        return NULL;
    return r;
}

TEST(region_precedence)
{
    env_clean();
    write_file(".aws/config", config_file);
    aws_config cfg;
    aws_config_init(&cfg);
    char *r = region_of(&cfg);
    CHECK_STR(r, "eu-west-1");   /* default profile's region */
    free(r);
    setenv("AWS_PROFILE", "dev", 1);
    r = region_of(&cfg);
    CHECK_STR(r, "ap-south-1");
    free(r);
    setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
    r = region_of(&cfg);
    CHECK_STR(r, "us-west-1");
    free(r);
    setenv("AWS_REGION", "us-west-2", 1);
    r = region_of(&cfg);
    CHECK_STR(r, "us-west-2");
    free(r);
    cfg.region = xstrdup("sa-east-1");
    r = region_of(&cfg);
    CHECK_STR(r, "sa-east-1");
    free(r);
    aws_config_free(&cfg);
    cleanup();
}

TEST(region_missing_is_one_clear_error)
{
    env_clean();
    aws_config cfg;
    aws_config_init(&cfg);
    char *r = NULL;
    CHECK_INT(aws_region_resolve(&r, &cfg), CAIRN_ENOTFOUND);
    CHECK(r == NULL);
    CHECK(strstr(err_msg(), "AWS_REGION") && strstr(err_msg(), "AWS_DEFAULT_REGION") &&
          strstr(err_msg(), "profile \"default\""));
    cleanup();
}

static char *endpoint_of(const aws_config *cfg, enum aws_service s, const char *region,
                         char **src, char **signing)
{
    aws_endpoint e;
    if (aws_endpoint_resolve(&e, cfg, s, region) < 0)
        return NULL;
    char *u = xstrdup(e.url);
    if (src)
        *src = xstrdup(e.source);
    if (signing)
        *signing = xstrdup(e.signing_region);
    aws_endpoint_free(&e);
    return u;
}

TEST(endpoint_defaults_per_service)
{
    env_clean();
    aws_config cfg;
    aws_config_init(&cfg);
    static const struct { enum aws_service s; const char *region, *url, *signing; } cases[] = {
        {AWS_EC2, "us-east-1", "https://ec2.us-east-1.amazonaws.com", "us-east-1"},
        {AWS_IAM, "eu-west-1", "https://iam.amazonaws.com", "us-east-1"},
        {AWS_STS, "eu-west-1", "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
        {AWS_EKS, "us-west-2", "https://eks.us-west-2.amazonaws.com", "us-west-2"},
        {AWS_RDS, "us-west-2", "https://rds.us-west-2.amazonaws.com", "us-west-2"},
        {AWS_ELASTICACHE, "us-west-2", "https://elasticache.us-west-2.amazonaws.com",
         "us-west-2"},
        {AWS_S3, "ap-southeast-2", "https://s3.ap-southeast-2.amazonaws.com", "ap-southeast-2"},
        {AWS_ELBV2, "us-east-2", "https://elasticloadbalancing.us-east-2.amazonaws.com",
         "us-east-2"},
        {AWS_EC2, "cn-north-1", "https://ec2.cn-north-1.amazonaws.com.cn", "cn-north-1"},
        {AWS_IAM, "cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
        {AWS_IAM, "us-gov-east-1", "https://iam.us-gov.amazonaws.com", "us-gov-west-1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *src = NULL, *sig = NULL;
        char *u = endpoint_of(&cfg, cases[i].s, cases[i].region, &src, &sig);
        CHECK_STR(u, cases[i].url);
        CHECK_STR(src, "default");
        CHECK_STR(sig, cases[i].signing);
        free(u);
        free(src);
        free(sig);
    }
    CHECK_STR(aws_service(AWS_ELBV2)->signing_name, "elasticloadbalancing");
    cleanup();
}

TEST(endpoint_precedence)
{
    env_clean();
    write_file(".aws/config", "[default]\nendpoint_url = http://profile-global:1\n"
               "services = local\n"
               "[services local]\nec2 =\n  endpoint_url = http://profile-ec2:2\n"
               "elastic_load_balancing_v2 =\n  endpoint_url = http://profile-elb:3/\n");
    aws_config cfg;
    aws_config_init(&cfg);
    char *src = NULL;
    char *u = endpoint_of(&cfg, AWS_EC2, "us-east-1", &src, NULL);
    CHECK_STR(u, "http://profile-ec2:2");
    CHECK(src && strstr(src, "[services local]"));
    free(u);
    free(src);
    u = endpoint_of(&cfg, AWS_ELBV2, "us-east-1", NULL, NULL);
    CHECK_STR(u, "http://profile-elb:3");   /* trailing '/' dropped */
    free(u);
    u = endpoint_of(&cfg, AWS_RDS, "us-east-1", &src, NULL);
    CHECK_STR(u, "http://profile-global:1");
    CHECK_STR(src, "shared config file endpoint_url");
    free(u);
    free(src);
    setenv("AWS_ENDPOINT_URL", "http://env-global:4", 1);
    u = endpoint_of(&cfg, AWS_EC2, "us-east-1", &src, NULL);
    CHECK_STR(u, "http://env-global:4");
    CHECK_STR(src, "AWS_ENDPOINT_URL");
    free(u);
    free(src);
    setenv("AWS_ENDPOINT_URL_EC2", "http://env-ec2:5", 1);
    u = endpoint_of(&cfg, AWS_EC2, "us-east-1", &src, NULL);
    CHECK_STR(u, "http://env-ec2:5");
    CHECK_STR(src, "AWS_ENDPOINT_URL_EC2");
    free(u);
    free(src);
    u = endpoint_of(&cfg, AWS_STS, "us-east-1", NULL, NULL);
    CHECK_STR(u, "http://env-global:4");
    free(u);
    cfg.endpoints[AWS_EC2] = xstrdup("https://block-ec2:6");
    u = endpoint_of(&cfg, AWS_EC2, "us-east-1", &src, NULL);
    CHECK_STR(u, "https://block-ec2:6");
    CHECK(src && strstr(src, "endpoints block"));
    free(u);
    free(src);
    /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops env and file, not the block */
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    u = endpoint_of(&cfg, AWS_EC2, "us-east-1", NULL, NULL);
    CHECK_STR(u, "https://block-ec2:6");
    free(u);
    u = endpoint_of(&cfg, AWS_RDS, "us-east-1", NULL, NULL);
    CHECK_STR(u, "https://rds.us-east-1.amazonaws.com");
    free(u);
    aws_config_free(&cfg);
    cleanup();
}

TEST(endpoint_env_names_follow_sdk_service_ids)
{
    static const struct { enum aws_service s; const char *var; } cases[] = {
        {AWS_EC2, "AWS_ENDPOINT_URL_EC2"}, {AWS_IAM, "AWS_ENDPOINT_URL_IAM"},
        {AWS_STS, "AWS_ENDPOINT_URL_STS"}, {AWS_EKS, "AWS_ENDPOINT_URL_EKS"},
        {AWS_RDS, "AWS_ENDPOINT_URL_RDS"}, {AWS_ELASTICACHE, "AWS_ENDPOINT_URL_ELASTICACHE"},
        {AWS_S3, "AWS_ENDPOINT_URL_S3"},
        {AWS_ELBV2, "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        env_clean();
        aws_config cfg;
        aws_config_init(&cfg);
        setenv(cases[i].var, "http://127.0.0.1:9999", 1);
        char *src = NULL;
        char *u = endpoint_of(&cfg, cases[i].s, "us-east-1", &src, NULL);
        CHECK_STR(u, "http://127.0.0.1:9999");
        CHECK_STR(src, cases[i].var);
        free(u);
        free(src);
        /* and no other service picks it up */
        enum aws_service other = cases[i].s == AWS_EC2 ? AWS_RDS : AWS_EC2;
        u = endpoint_of(&cfg, other, "us-east-1", &src, NULL);
        CHECK_STR(src, "default");
        free(u);
        free(src);
        cleanup();
    }
}

TEST(endpoint_rejects_non_http_url)
{
    env_clean();
    aws_config cfg;
    aws_config_init(&cfg);
    setenv("AWS_ENDPOINT_URL_EKS", "ftp://x", 1);
    aws_endpoint e;
    CHECK_INT(aws_endpoint_resolve(&e, &cfg, AWS_EKS, "us-east-1"), CAIRN_EINVAL);
    CHECK(strstr(err_msg(), "AWS_ENDPOINT_URL_EKS") != NULL);
    CHECK_INT(aws_service_by_key("elbv2"), AWS_ELBV2);
    CHECK_INT(aws_service_by_key("nope"), -1);
    cleanup();
}

TEST(client_new_reports_missing_credentials_and_bad_retries)
{
    env_clean();
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    aws_client *c = NULL;
    CHECK_INT(aws_client_new(&c, &cfg), CAIRN_ENOTFOUND);
    CHECK(c == NULL);
    cfg.access_key = xstrdup("AKIDX");
    cfg.secret_key = xstrdup("sx");
    cfg.max_retries = AWS_MAX_RETRIES_LIMIT + 1;
    CHECK_INT(aws_client_new(&c, &cfg), CAIRN_EINVAL);
    cfg.max_retries = -1;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    CHECK_STR(aws_client_region(c), "us-east-1");
    CHECK_STR(aws_client_endpoint(c, AWS_ELBV2)->url,
              "https://elasticloadbalancing.us-east-1.amazonaws.com");
    aws_client_free(c);
    aws_config_free(&cfg);
    cleanup();
}

TEST(tags_all_merges_default_tags)
{
    aws_kvlist def = {0}, res = {0}, all = {0};
    aws_kv_set(&def, "Env", "prod");
    aws_kv_set(&def, "Team", "infra");
    aws_kv_set(&res, "Name", "web");
    aws_kv_set(&res, "Env", "staging");
    aws_tags_merge(&all, &def, &res);
    CHECK_INT(all.n, 3);
    CHECK_STR(aws_kv_get(&all, "Env"), "staging");
    CHECK_STR(aws_kv_get(&all, "Team"), "infra");
    CHECK_STR(aws_kv_get(&all, "Name"), "web");
    aws_kv_free(&all);
    aws_tags_merge(&all, NULL, &res);
    CHECK_INT(all.n, 2);
    aws_kv_free(&all);
    aws_tags_merge(&all, &def, NULL);
    CHECK_INT(all.n, 2);
    CHECK_STR(aws_kv_get(&all, "Env"), "prod");
    aws_kv_free(&all);
    aws_kv_free(&def);
    aws_kv_free(&res);
}

TEST(log_mask_hides_registered_secrets_and_their_encodings)
{
    aws_log_redact("p@ss w/rd\"x");
    aws_log_redact("abc");   /* too short to register */
    char *m = aws_log_mask("a p@ss w/rd\"x b p%40ss%20w%2Frd%22x c \"p@ss w/rd\\\"x\" abc");
    CHECK_STR(m, "a **** b **** c \"****\" abc");
    free(m);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
