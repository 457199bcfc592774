/*
 * tests/unit/test_aws_sigv4.c — AWS's SigV4 test suite, case by case.
 *
 * The suite lives beside the repository in
 * $ROOT/../shared/testdata/aws-sig-v4-test-suite/ (CI clones the repo with
 * ../shared next to it).  For every case the raw request (.req) is parsed,
 * signed with the suite's credentials and time, and the canonical request,
 * string to sign and Authorization header are compared with .creq, .sts and
 * .authz.  The two cases SOURCE.txt documents as inconsistent are checked
 * against their .creq, and their .sts/.authz against the request as the
 * suite computed them (without Content-Length, charset=utf8).
 */
#include "tests/unit/harness.h"

#include "providers/aws/aws_sigv4.h"

#include <stdlib.h>
#include <string.h>

#define SUITE_SUBDIR "/../shared/testdata/aws-sig-v4-test-suite/"
#define MAX_HDRS 32

static const char *suite_root(void)
{
    static char buf[4096];
    const char *root = getenv("ROOT");
    snprintf(buf, sizeof buf, "%s%s", root ? root : ".", SUITE_SUBDIR);
    return buf;
}

/* Read a whole file; NULL if absent. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b = {0};
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        sb_append(&b, tmp, n);
    fclose(f);
    sb_putc(&b, 0);
    b.len--;
    return sb_take(&b);
}

static char *case_file(const char *dir, const char *name, const char *ext)
{
    char *path = xasprintf("%s%s/%s.%s", suite_root(), dir, name, ext);
    char *text = slurp(path);
    free(path);
    return text;
}

typedef struct parsed {
    char *method, *path, *query;
    char *names[MAX_HDRS], *values[MAX_HDRS];
    size_t n;
    char *body;
} parsed;

/* Parse a .req file: request line, headers (continuation lines start with
 * whitespace), blank line, body. */
static int parse_req(parsed *p, const char *text)
{
    memset(p, 0, sizeof *p);
    const char *eol = strchr(text, '\n');
    size_t l = eol ? (size_t)(eol - text) : strlen(text);
    char *line = xstrndup(text, l);
    char *sp = strchr(line, ' ');
    char *http = strstr(line, " HTTP/");
    if (!sp || !http || http < sp) {
        free(line);
        return -1;
    }
    p->method = xstrndup(line, (size_t)(sp - line));
    char *uri = xstrndup(sp + 1, (size_t)(http - sp - 1));
    char *q = strchr(uri, '?');
    if (q) {
        p->query = xstrdup(q + 1);
        *q = 0;
    }
    p->path = uri;
    free(line);
    const char *s = eol ? eol + 1 : text + strlen(text);
    while (*s) {
        eol = strchr(s, '\n');
        l = eol ? (size_t)(eol - s) : strlen(s);
        if (l == 0) {
            p->body = xstrdup(eol ? eol + 1 : "");
            break;
        }
        if ((*s == ' ' || *s == '\t') && p->n) {
            char *old = p->values[p->n - 1];
            char *tail = xstrndup(s, l);
            p->values[p->n - 1] = xasprintf("%s\n%s", old, tail);
            free(old);
            free(tail);
        } else if (p->n < MAX_HDRS) {
            const char *colon = memchr(s, ':', l);
            if (!colon)
                return -1;
            p->names[p->n] = xstrndup(s, (size_t)(colon - s));
            p->values[p->n] = xstrndup(colon + 1, l - (size_t)(colon - s) - 1);
            p->n++;
        }
        s = eol ? eol + 1 : s + l;
    }
    if (!p->body)
        p->body = xstrdup("");
    return 0;
}

static void add_header(parsed *p, const char *name, const char *value)
{
    p->names[p->n] = xstrdup(name);
    p->values[p->n] = xstrdup(value);
    p->n++;
}

static void drop_header(parsed *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcasecmp(p->names[i], name) == 0) {
            free(p->names[i]);
            free(p->values[i]);
            memmove(&p->names[i], &p->names[i + 1], (p->n - i - 1) * sizeof(char *));
            memmove(&p->values[i], &p->values[i + 1], (p->n - i - 1) * sizeof(char *));
            p->n--;
            i--;
        }
    }
}

static void free_parsed(parsed *p)
{
    free(p->method);
    free(p->path);
    free(p->query);
    free(p->body);
    for (size_t i = 0; i < p->n; i++) {
        free(p->names[i]);
        free(p->values[i]);
    }
}

static const aws_sigv4_key suite_key = {
    .access_key = "AKIDEXAMPLE",
    .secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    .region = "us-east-1",
    .service = "service",
    .amz_date = "20150830T123600Z",
};

/* Sign p; results owned by the caller. */
static int sign_parsed(parsed *p, char **authz, char **creq, char **sts)
{
    aws_sigv4_header h[MAX_HDRS];
    char hash[65];
    for (size_t i = 0; i < p->n; i++) {
        h[i].name = p->names[i];
        h[i].value = p->values[i];
    }
    aws_sha256_hex(hash, p->body, strlen(p->body));
    aws_sigv4_request r = {
        .method = p->method, .path = p->path, .query = p->query,
        .headers = h, .nheaders = p->n, .payload_hash = hash,
    };
    return aws_sigv4_sign(authz, creq, sts, &r, &suite_key);
}

/* Which check a case gets. */
enum mode { FULL, CREQ_ONLY_FORM };

static void run_case(const char *dir, const char *name, const char *token, enum mode mode)
{
    char *req = case_file(dir, name, "req");
    char *want_creq = case_file(dir, name, "creq");
    char *want_sts = case_file(dir, name, "sts");
    char *want_authz = case_file(dir, name, "authz");
    if (!req || !want_creq || !want_sts || !want_authz) {
        printf("# missing files for %s under %s\n", name, suite_root());
        CHECK(0);
        goto out;
    }
    parsed p;
    CHECK_INT(parse_req(&p, req), 0);
    if (token)
        add_header(&p, "X-Amz-Security-Token", token);
    char *authz = NULL, *creq = NULL, *sts = NULL;
    CHECK_INT(sign_parsed(&p, &authz, &creq, &sts), 0);
    CHECK_STR(creq, want_creq);
    if (mode == FULL) {
        CHECK_STR(sts, want_sts);
        CHECK_STR(authz, want_authz);
    } else {
        /* Documented inconsistency: the suite's .sts/.authz were computed
         * without Content-Length and with charset=utf8.  Our result for the
         * request as given must differ from them, and signing the request
         * the way the suite did must reproduce them exactly. */
        CHECK(authz && strcmp(authz, want_authz) != 0);
        free(authz);
        free(creq);
        free(sts);
        authz = creq = sts = NULL;
        drop_header(&p, "Content-Length");
        for (size_t i = 0; i < p.n; i++) {
            char *cs = strstr(p.values[i], "charset=utf-8");
            if (cs)
                memmove(cs + 11, cs + 12, strlen(cs + 12) + 1);
        }
        CHECK_INT(sign_parsed(&p, &authz, &creq, &sts), 0);
        CHECK_STR(sts, want_sts);
        /* the -parameters case's .authz still lists content-length in
         * SignedHeaders, so compare the signatures themselves */
        const char *got_sig = authz ? strstr(authz, "Signature=") : NULL;
        CHECK_STR(got_sig, strstr(want_authz, "Signature="));
    }
    free(authz);
    free(creq);
    free(sts);
    free_parsed(&p);
out:
    free(req);
    free(want_creq);
    free(want_sts);
    free(want_authz);
}

#define CASE(id, dir, name) TEST(sigv4_suite_##id) { run_case(dir, name, NULL, FULL); }
CASE(get_header_key_duplicate, "get-header-key-duplicate", "get-header-key-duplicate")
CASE(get_header_value_multiline, "get-header-value-multiline", "get-header-value-multiline")
CASE(get_header_value_order, "get-header-value-order", "get-header-value-order")
CASE(get_header_value_trim, "get-header-value-trim", "get-header-value-trim")
CASE(get_unreserved, "get-unreserved", "get-unreserved")
CASE(get_utf8, "get-utf8", "get-utf8")
CASE(get_vanilla, "get-vanilla", "get-vanilla")
CASE(get_vanilla_empty_query_key, "get-vanilla-empty-query-key", "get-vanilla-empty-query-key")
CASE(get_vanilla_query, "get-vanilla-query", "get-vanilla-query")
CASE(get_vanilla_query_order_encoded, "get-vanilla-query-order-encoded",
     "get-vanilla-query-order-encoded")
CASE(get_vanilla_query_order_key, "get-vanilla-query-order-key", "get-vanilla-query-order-key")
CASE(get_vanilla_query_order_key_case, "get-vanilla-query-order-key-case",
     "get-vanilla-query-order-key-case")
CASE(get_vanilla_query_order_value, "get-vanilla-query-order-value",
     "get-vanilla-query-order-value")
CASE(get_vanilla_query_unreserved, "get-vanilla-query-unreserved",
     "get-vanilla-query-unreserved")
CASE(get_vanilla_utf8_query, "get-vanilla-utf8-query", "get-vanilla-utf8-query")
CASE(norm_get_relative, "normalize-path/get-relative", "get-relative")
CASE(norm_get_relative_relative, "normalize-path/get-relative-relative", "get-relative-relative")
CASE(norm_get_slash, "normalize-path/get-slash", "get-slash")
CASE(norm_get_slash_dot_slash, "normalize-path/get-slash-dot-slash", "get-slash-dot-slash")
CASE(norm_get_slash_pointless_dot, "normalize-path/get-slash-pointless-dot",
     "get-slash-pointless-dot")
CASE(norm_get_slashes, "normalize-path/get-slashes", "get-slashes")
CASE(norm_get_space, "normalize-path/get-space", "get-space")
CASE(post_header_key_case, "post-header-key-case", "post-header-key-case")
CASE(post_header_key_sort, "post-header-key-sort", "post-header-key-sort")
CASE(post_header_value_case, "post-header-value-case", "post-header-value-case")
CASE(post_sts_header_after, "post-sts-token/post-sts-header-after", "post-sts-header-after")
CASE(post_sts_header_before, "post-sts-token/post-sts-header-before", "post-sts-header-before")
CASE(post_vanilla, "post-vanilla", "post-vanilla")
CASE(post_vanilla_empty_query_value, "post-vanilla-empty-query-value",
     "post-vanilla-empty-query-value")
CASE(post_vanilla_query, "post-vanilla-query", "post-vanilla-query")

/* The session token the suite used for this case (its .creq shows it). */
TEST(sigv4_suite_get_vanilla_with_session_token)
{
    run_case("get-vanilla-with-session-token", "get-vanilla-with-session-token",
             "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267", FULL);
}

TEST(sigv4_suite_post_x_www_form_urlencoded_creq)
{
    run_case("post-x-www-form-urlencoded", "post-x-www-form-urlencoded", NULL, CREQ_ONLY_FORM);
}

TEST(sigv4_suite_post_x_www_form_urlencoded_parameters_creq)
{
    run_case("post-x-www-form-urlencoded-parameters", "post-x-www-form-urlencoded-parameters",
             NULL, CREQ_ONLY_FORM);
}

/* Every case folder in the suite is covered by a test above. */
TEST(sigv4_suite_all_cases_listed)
{
    static const char *listed[] = {
        "get-header-key-duplicate", "get-header-value-multiline", "get-header-value-order",
        "get-header-value-trim", "get-unreserved", "get-utf8", "get-vanilla",
        "get-vanilla-empty-query-key", "get-vanilla-query", "get-vanilla-query-order-encoded",
        "get-vanilla-query-order-key", "get-vanilla-query-order-key-case",
        "get-vanilla-query-order-value", "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query", "get-vanilla-with-session-token", "normalize-path",
        "post-header-key-case", "post-header-key-sort", "post-header-value-case",
        "post-sts-token", "post-vanilla", "post-vanilla-empty-query-value",
        "post-vanilla-query", "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters", "LICENSE", "NOTICE", "SOURCE.txt",
    };
    char *cmd = xasprintf("ls -1 '%s'", suite_root());
    FILE *f = popen(cmd, "r");
    free(cmd);
    CHECK(f != NULL);
    if (!f)
        return;
    char line[512];
    int seen = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        int found = 0;
        for (size_t i = 0; i < sizeof listed / sizeof *listed; i++)
            found |= strcmp(listed[i], line) == 0;
        if (!found)
            printf("# suite case not covered: %s\n", line);
        CHECK(found);
        seen++;
    }
    pclose(f);
    CHECK_INT(seen, (int)(sizeof listed / sizeof *listed));
}

/* Unit checks of the helpers. */
TEST(sigv4_uri_encode)
{
    strbuf b = {0};
    aws_uri_encode(&b, "a b/c~d*é", strlen("a b/c~d*é"), 0);
    CHECK_STR(b.s, "a%20b%2Fc~d%2A%C3%A9");
    sb_free(&b);
    aws_uri_encode(&b, "/x y/z", 6, 1);
    CHECK_STR(b.s, "/x%20y/z");
    sb_free(&b);
    aws_uri_decode(&b, "a%2Fb%zz%4", 10);
    CHECK_STR(b.s, "a/b%zz%4");
    sb_free(&b);
}

TEST(sigv4_s3_path_not_normalised)
{
    aws_sigv4_header h[] = {{"Host", "b.s3.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
    aws_sigv4_request r = {.method = "GET", .path = "/my-object//example//photo.user",
                           .headers = h, .nheaders = 2,
                           .payload_hash = AWS_SIGV4_UNSIGNED_PAYLOAD, .s3 = 1};
    strbuf b = {0};
    CHECK_INT(aws_sigv4_canonical_request(&b, &r), 0);
    static const char s3want[] = "GET\n/my-object//example//photo.user\n\n";
    CHECK(b.s && strncmp(b.s, s3want, strlen(s3want)) == 0);
    CHECK(b.s && strstr(b.s, "\nUNSIGNED-PAYLOAD") != NULL);
    sb_free(&b);
    r.s3 = 0;
    CHECK_INT(aws_sigv4_canonical_request(&b, &r), 0);
    static const char want[] = "GET\n/my-object/example/photo.user\n\n";
    CHECK(b.s && strncmp(b.s, want, strlen(want)) == 0);
    sb_free(&b);
}

TEST(sigv4_rejects_bad_input)
{
    aws_sigv4_header h[] = {{"Host", "x"}};
    aws_sigv4_request r = {.method = "GET", .path = "/", .headers = h, .nheaders = 1,
                           .payload_hash = "x"};
    aws_sigv4_key k = suite_key;
    char *az = NULL;
    k.amz_date = "2015-08-30";
    CHECK(aws_sigv4_sign(&az, NULL, NULL, &r, &k) == CAIRN_EINVAL);
    CHECK(az == NULL);
    k = suite_key;
    k.access_key = "";
    CHECK(aws_sigv4_sign(&az, NULL, NULL, &r, &k) == CAIRN_EINVAL);
    r.nheaders = AWS_SIGV4_MAX_HEADERS + 1;
    k = suite_key;
    CHECK(aws_sigv4_sign(&az, NULL, NULL, &r, &k) == CAIRN_ELIMIT);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
