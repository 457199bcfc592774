/*
 * providers/aws/aws_creds.c — the credential chain, the region and the
 * shared config/credentials files.
 *
 * Precedence (the AWS SDKs' and Terraform's AWS provider's):
 *   credentials: provider block > AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
 *                (+AWS_SESSION_TOKEN) > the profile in the shared credentials
 *                file > the profile in the shared config file.  Container and
 *                instance-metadata credentials are not fetched (cairn makes
 *                no calls outside the configured endpoints).
 *   profile:     provider profile > AWS_PROFILE > "default".
 *   files:       provider shared_*_files > AWS_SHARED_CREDENTIALS_FILE /
 *                AWS_CONFIG_FILE > ~/.aws/credentials, ~/.aws/config.
 *   region:      provider region > AWS_REGION > AWS_DEFAULT_REGION > the
 *                profile's region in the config file.
 * The credentials file names sections [NAME]; the config file [default] and
 * [profile NAME] ([NAME] for non-default profiles is ignored there, as the
 * SDKs do).  A nested property ("services" sections) is a key with an empty
 * value followed by indented "sub = value" lines.
 */
#include "providers/aws/aws_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1]))
        s[--l] = 0;
    return s;
}

static char *read_small_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > AWS_MAX_SHARED_FILE)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* Normalise a section header's inside: trim, collapse the space after
 * "profile". */
static int section_is(const char *hdr, const char *want)
{
    char tmp[512];
    size_t o = 0;
    int sp = 0;
    for (const char *p = hdr; *p && o + 1 < sizeof tmp; p++) {
        if (*p == ' ' || *p == '\t') {
            sp = o > 0;
            continue;
        }
        if (sp)
            tmp[o++] = ' ';
        sp = 0;
        tmp[o++] = *p;
    }
    tmp[o] = 0;
    return strcmp(tmp, want) == 0;
}

char *aws_ini_get(const char *path, const char *section, const char *key, const char *sub)
{
    char *text = read_small_file(path);
    if (!text)
        return NULL;
    char *result = NULL;
    int in_section = 0, in_nested = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int indented = line[0] == ' ' || line[0] == '\t';
        char *t = trim(line);
        if (!*t || *t == '#' || *t == ';')
            continue;
        if (*t == '[') {
            char *close = strchr(t, ']');
            if (close)
                *close = 0;
            in_section = section_is(t + 1, section);
            in_nested = 0;
            continue;
        }
        if (!in_section)
            continue;
        char *eq = strchr(t, '=');
        if (!eq)
            continue;
        *eq = 0;
        char *k = trim(t), *v = trim(eq + 1);
        if (!indented) {
            in_nested = sub && strcmp(k, key) == 0 && !*v;
            if (!sub && strcmp(k, key) == 0) {
                free(result);
                result = xstrdup(v);
            }
        } else if (in_nested && strcmp(k, sub) == 0) {
            free(result);
            result = xstrdup(v);
        }
    }
    free(text);
    return result;
}

static char **strv_push(char **v, size_t *n, const char *s)
{
    v = xrealloc(v, (*n + 2) * sizeof *v);
    v[(*n)++] = xstrdup(s);
    v[*n] = NULL;
    return v;
}

static char *home_path(const char *rel)
{
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    return xasprintf("%s/%s", home, rel);
}

/* Expand a leading "~/" as the SDKs do. */
static char *expand(const char *p)
{
    if (p[0] == '~' && p[1] == '/') {
        char *h = home_path(p + 2);
        if (h)
            return h;
    }
    return xstrdup(p);
}

static char **file_paths(char *const *from_cfg, const char *env, const char *dflt)
{
    char **v = NULL;
    size_t n = 0;
    if (from_cfg && from_cfg[0]) {
        for (size_t i = 0; from_cfg[i]; i++) {
            char *e = expand(from_cfg[i]);
            v = strv_push(v, &n, e);
            free(e);
        }
        return v;
    }
    const char *e = getenv(env);
    if (e && *e) {
        char *x = expand(e);
        v = strv_push(v, &n, x);
        free(x);
        return v;
    }
    char *h = home_path(dflt);
    if (h) {
        v = strv_push(v, &n, h);
        free(h);
    }
    if (!v)
        v = xcalloc(1, sizeof *v);
    return v;
}

char **aws_config_file_paths(const aws_config *cfg)
{
    return file_paths(cfg->shared_config_files, "AWS_CONFIG_FILE", ".aws/config");
}

char **aws_credentials_file_paths(const aws_config *cfg)
{
    return file_paths(cfg->shared_credentials_files, "AWS_SHARED_CREDENTIALS_FILE",
                      ".aws/credentials");
}

const char *aws_profile_name(const aws_config *cfg)
{
    if (cfg->profile && *cfg->profile)
        return cfg->profile;
    const char *e = getenv("AWS_PROFILE");
    if (e && *e)
        return e;
    return "default";
}

static char *config_section(const char *profile)
{
    if (strcmp(profile, "default") == 0)
        return xstrdup("default");
    return xasprintf("profile %s", profile);
}

/* Later files override earlier ones, as the SDKs merge them. */
static char *lookup_files(char **paths, const char *section, const char *key, const char *sub)
{
    char *found = NULL;
    for (size_t i = 0; paths && paths[i]; i++) {
        char *v = aws_ini_get(paths[i], section, key, sub);
        if (v) {
            free(found);
            found = v;
        }
    }
    return found;
}

char *aws_profile_get(const aws_config *cfg, const char *key, const char *sub)
{
    char **paths = aws_config_file_paths(cfg);
    char *sec = config_section(aws_profile_name(cfg));
    char *v = lookup_files(paths, sec, key, sub);
    free(sec);
    aws_strv_free(paths);
    return v;
}

static int set_creds(aws_creds *out, const char *ak, const char *sk, const char *tok,
                     const char *source)
{
    out->access_key = xstrdup(ak);
    out->secret_key = xstrdup(sk);
    out->token = tok && *tok ? xstrdup(tok) : NULL;
    out->source = xstrdup(source);
    aws_log_redact(out->access_key);
    aws_log_redact(out->secret_key);
    aws_log_redact(out->token);
    return 0;
}

static int half_set(const char *where)
{
    return err_set(CAIRN_EINVAL, "AWS credentials in %s are incomplete: an access key needs "
                   "its secret key and a secret key its access key", where);
}

/* Try one shared file for the profile: 1 found, 0 not, negative error. */
static int try_files(aws_creds *out, char **paths, const char *section, const char *kind,
                     strbuf *looked)
{
    for (size_t i = 0; paths && paths[i]; i++) {
        char *ak = aws_ini_get(paths[i], section, "aws_access_key_id", NULL);
        char *sk = aws_ini_get(paths[i], section, "aws_secret_access_key", NULL);
        char *tok = aws_ini_get(paths[i], section, "aws_session_token", NULL);
        int rc = 0;
        if (ak && *ak && sk && *sk) {
            char *src = xasprintf("%s %s [%s]", kind, paths[i], section);
            set_creds(out, ak, sk, tok, src);
            free(src);
            rc = 1;
        } else if ((ak && *ak) || (sk && *sk)) {
            char *where = xasprintf("%s %s [%s]", kind, paths[i], section);
            rc = half_set(where);
            free(where);
        } else {
            sb_printf(looked, "\n  - %s %s, profile section [%s]", kind, paths[i], section);
        }
        free(ak);
        free(sk);
        free(tok);
        if (rc)
            return rc;
    }
    if (!paths || !paths[0])
        sb_printf(looked, "\n  - %s: no path (HOME is not set)", kind);
    return 0;
}

int aws_creds_resolve(aws_creds *out, const aws_config *cfg)
{
    memset(out, 0, sizeof *out);
    strbuf looked = {0};
    int rc;
    if ((cfg->access_key && *cfg->access_key) || (cfg->secret_key && *cfg->secret_key)) {
        if (!cfg->access_key || !*cfg->access_key || !cfg->secret_key || !*cfg->secret_key)
            return half_set("the provider block (access_key, secret_key)");
        return set_creds(out, cfg->access_key, cfg->secret_key, cfg->token, "provider block");
    }
    sb_puts(&looked, "\n  - provider block: access_key and secret_key not set");
    const char *eak = getenv("AWS_ACCESS_KEY_ID"), *esk = getenv("AWS_SECRET_ACCESS_KEY");
    if ((eak && *eak) || (esk && *esk)) {
        sb_free(&looked);
        if (!eak || !*eak || !esk || !*esk)
            return half_set("the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
        return set_creds(out, eak, esk, getenv("AWS_SESSION_TOKEN"), "environment");
    }
    sb_puts(&looked, "\n  - environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set");
    const char *profile = aws_profile_name(cfg);
    char **cred_paths = aws_credentials_file_paths(cfg);
    rc = try_files(out, cred_paths, profile, "shared credentials file", &looked);
    aws_strv_free(cred_paths);
    if (rc == 0) {
        char **conf_paths = aws_config_file_paths(cfg);
        char *sec = config_section(profile);
        rc = try_files(out, conf_paths, sec, "shared config file", &looked);
        free(sec);
        aws_strv_free(conf_paths);
    }
    if (rc == 0) {
        sb_puts(&looked, "\n  - container and EC2 instance metadata credentials: "
                "not queried by cairn");
        char *l = sb_take(&looked);
        rc = err_set(CAIRN_ENOTFOUND, "No AWS credentials found (profile \"%s\"). "
                     "cairn looked in:%s", profile, l ? l : "");
        free(l);
        return rc;
    }
    sb_free(&looked);
    return rc < 0 ? rc : 0;
}

void aws_creds_free(aws_creds *c)
{
    free(c->access_key);
    free(c->secret_key);
    free(c->token);
    free(c->source);
    memset(c, 0, sizeof *c);
}

int aws_region_resolve(char **out, const aws_config *cfg)
{
    *out = NULL;
    if (cfg->region && *cfg->region) {
        *out = xstrdup(cfg->region);
        return 0;
    }
    const char *envs[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};
    for (int i = 0; i < 2; i++) {
        const char *e = getenv(envs[i]);
        if (e && *e) {
            *out = xstrdup(e);
            return 0;
        }
    }
    char *r = aws_profile_get(cfg, "region", NULL);
    if (r && *r) {
        *out = r;
        return 0;
    }
    free(r);
    char **paths = aws_config_file_paths(cfg);
    char *p = paths && paths[0] ? paths[0] : "(no HOME)";
    int rc = err_set(CAIRN_ENOTFOUND, "No AWS region set. cairn looked in: the provider "
                     "block (region), AWS_REGION, AWS_DEFAULT_REGION, and profile \"%s\" in "
                     "the shared config file %s", aws_profile_name(cfg), p);
    aws_strv_free(paths);
    return rc;
}
