/*
 * tests/unit/test_aws_client.c — aws_call end to end against an in-process
 * HTTP server with scripted answers: retries and their limits, what is and
 * is not retried for creates, idempotency tokens, timeouts, the response
 * cap, error decoding for every protocol, pagination, waiters, the adaptive
 * limiter against a server that throttles by load, account validation and
 * the log's redaction.
 */
#include "tests/unit/harness.h"

#include "providers/aws/aws.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- a tiny HTTP/1.1 server ---- */

typedef struct fake_req {
    char method[16];
    char target[2048];
    char headers[8192];
    char *body;
    size_t body_len;
} fake_req;

typedef struct fake_resp {
    int status;
    char headers[1024];   /* extra header lines, each ending in \r\n */
    strbuf body;
    int delay_ms;
    int drop;             /* close without answering */
} fake_resp;

typedef void (*fake_handler)(const fake_req *rq, fake_resp *rs, int n);

static fake_handler handler;
static atomic_int nreq;
static int srv_fd = -1;
static int srv_port;
static pthread_mutex_t rec_mu = PTHREAD_MUTEX_INITIALIZER;
#define MAX_REC 64
static char *recorded[MAX_REC];   /* bodies of the first requests */
static int nrecorded;

static void record(const char *body)
{
    pthread_mutex_lock(&rec_mu);
    if (nrecorded < MAX_REC)
        recorded[nrecorded++] = xstrdup(body ? body : "");
    pthread_mutex_unlock(&rec_mu);
}

static void reset_server(fake_handler h)
{
    pthread_mutex_lock(&rec_mu);
    for (int i = 0; i < nrecorded; i++)
        free(recorded[i]);
    nrecorded = 0;
    pthread_mutex_unlock(&rec_mu);
    atomic_store(&nreq, 0);
    handler = h;
}

static int read_request(int fd, fake_req *rq, char *buf, size_t cap, size_t *have)
{
    for (;;) {
        char *end = memmem(buf, *have, "\r\n\r\n", 4);
        if (end) {
            size_t hlen = (size_t)(end - buf) + 4;
            memset(rq, 0, sizeof *rq);
            sscanf(buf, "%15s %2047s", rq->method, rq->target);
            size_t hl = hlen < sizeof rq->headers ? hlen : sizeof rq->headers - 1;
            memcpy(rq->headers, buf, hl);
            rq->headers[hl] = 0;
            size_t clen = 0;
            char *cl = strcasestr(rq->headers, "\r\ncontent-length:");
            if (cl)
                clen = (size_t)strtoul(cl + 17, NULL, 10);
            while (*have < hlen + clen) {
                ssize_t n = recv(fd, buf + *have, cap - *have, 0);
                if (n <= 0)
                    return -1;
                *have += (size_t)n;
            }
            rq->body = xstrndup(buf + hlen, clen);
            rq->body_len = clen;
            memmove(buf, buf + hlen + clen, *have - hlen - clen);
            *have -= hlen + clen;
            return 0;
        }
        if (*have == cap)
            return -1;
        ssize_t n = recv(fd, buf + *have, cap - *have, 0);
        if (n <= 0)
            return -1;
        *have += (size_t)n;
    }
}

static void *conn_main(void *arg)
{
    int fd = (int)(intptr_t)arg;
    size_t cap = 1 << 20, have = 0;
    char *buf = xmalloc(cap);
    fake_req rq;
    while (read_request(fd, &rq, buf, cap, &have) == 0) {
        int n = atomic_fetch_add(&nreq, 1) + 1;
        fake_resp rs = {.status = 200};
        handler(&rq, &rs, n);
        free(rq.body);
        if (rs.delay_ms) {
            struct timespec ts = {rs.delay_ms / 1000, (rs.delay_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (rs.drop) {
            sb_free(&rs.body);
            break;
        }
        char head[2048];
        int hn = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n%s\r\n",
                          rs.status, rs.body.len, rs.headers);
        if (send(fd, head, (size_t)hn, MSG_NOSIGNAL) < 0 ||
            (rs.body.len && send(fd, rs.body.s, rs.body.len, MSG_NOSIGNAL) < 0)) {
            sb_free(&rs.body);
            break;
        }
        sb_free(&rs.body);
    }
    free(buf);
    close(fd);
    return NULL;
}

static void *accept_main(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(srv_fd, NULL, NULL);
        if (fd < 0)
            continue;
        pthread_t t;
        pthread_create(&t, NULL, conn_main, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
    return NULL;
}

static void start_server(void)
{
    if (srv_fd >= 0)
        return;
    srv_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(srv_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(srv_fd, (struct sockaddr *)&a, sizeof a);
    listen(srv_fd, 64);
    socklen_t l = sizeof a;
    getsockname(srv_fd, (struct sockaddr *)&a, &l);
    srv_port = ntohs(a.sin_port);
    pthread_t t;
    pthread_create(&t, NULL, accept_main, NULL);
    pthread_detach(t);
}

/* A free port nobody listens on. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

#define TEST_AK "AKIDUNITTEST00000001"
#define TEST_SK "unitTestSecretKey/0000000000000000000001"
#define TEST_TOKEN "UnitTestSessionToken//////////EXAMPLE+0001="

static aws_client *client_for(int port, int max_retries, double rate, long timeout_ms)
{
    start_server();
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    cfg.token = xstrdup(TEST_TOKEN);
    char *url = xasprintf("http://127.0.0.1:%d", port ? port : srv_port);
    for (int i = 0; i < AWS_SERVICE_COUNT; i++)
        cfg.endpoints[i] = xstrdup(url);
    free(url);
    cfg.max_retries = max_retries;
    cfg.retry_base_ms = 5;
    cfg.retry_max_backoff_ms = 20;
    cfg.rate_limit = rate;
    cfg.total_timeout_ms = timeout_ms;
    cfg.connect_timeout_ms = 2000;
    aws_client *c = NULL;
    if (aws_client_new(&c, &cfg) < 0)
        printf("# client: %s\n", err_msg());
    aws_config_free(&cfg);
    return c;
}

static void reply_xml(fake_resp *rs, int status, const char *xml)
{
    rs->status = status;
    snprintf(rs->headers, sizeof rs->headers, "Content-Type: text/xml\r\n");
    sb_puts(&rs->body, xml);
}

static const char *vpcs_xml =
    "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
    "<requestId>req-123</requestId><vpcSet><item><vpcId>vpc-1</vpcId>"
    "<cidrBlock>10.0.0.0/16</cidrBlock></item><item><vpcId>vpc-2</vpcId></item></vpcSet>"
    "</DescribeVpcsResponse>";

static const char *throttle_xml =
    "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
    "<Message>Rate exceeded</Message></Error><RequestId>thr-1</RequestId></ErrorResponse>";

static const char *ec2_throttle_xml =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit "
    "exceeded.</Message></Error></Errors><RequestID>rle-1</RequestID></Response>";

static const char *ec2_500_xml =
    "<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has "
    "occurred</Message></Error></Errors><RequestID>ie-1</RequestID></Response>";

static void h_vpcs(const fake_req *rq, fake_resp *rs, int n)
{
    (void)n;
    record(rq->body);
    reply_xml(rs, 200, vpcs_xml);
}

static aws_request describe_vpcs(void)
{
    return (aws_request){.svc = AWS_EC2, .action = "DescribeVpcs", .retry = AWS_RETRY_SAFE};
}

TEST(call_ec2_success_decodes_xml)
{
    aws_client *c = client_for(0, 3, 0, 5000);
    reset_server(h_vpcs);
    aws_params *p = aws_params_new();
    aws_params_add_list(p, "VpcId", NULL, (const char *[]){"vpc-1", "vpc-2"}, 2);
    aws_request r = describe_vpcs();
    r.params = p;
    aws_response resp;
    aws_error e;
    CHECK_INT(aws_call(c, &r, &resp, &e), 0);
    CHECK_INT(resp.status, 200);
    CHECK_INT(resp.attempts, 1);
    CHECK_STR(resp.request_id, "req-123");
    aws_xml_node *set = aws_xml_find(aws_xml_root(resp.xml), "vpcSet");
    int n = 0;
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item"))
        n++;
    CHECK_INT(n, 2);
    char *cidr = aws_xml_text(aws_xml_root(resp.xml), "vpcSet/item/cidrBlock");
    CHECK_STR(cidr, "10.0.0.0/16");
    free(cidr);
    CHECK(aws_xml_text(aws_xml_root(resp.xml), "vpcSet/nothing") == NULL);
    CHECK_INT(nrecorded, 1);
    if (nrecorded)
        CHECK_STR(recorded[0], "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&VpcId.2=vpc-2");
    aws_response_free(&resp);
    aws_params_free(p);
    aws_client_free(c);
}

TEST(call_requires_retry_declaration)
{
    aws_client *c = client_for(0, 3, 0, 5000);
    reset_server(h_vpcs);
    aws_request r = describe_vpcs();
    r.retry = AWS_RETRY_UNSET;
    aws_response resp;
    CHECK_INT(aws_call(c, &r, &resp, NULL), CAIRN_EINVAL);
    CHECK(strstr(err_msg(), "retried") != NULL);
    CHECK_INT(atomic_load(&nreq), 0);
    aws_client_free(c);
}

static void h_throttle_twice(const fake_req *rq, fake_resp *rs, int n)
{
    record(rq->body);
    if (n <= 2)
        reply_xml(rs, 400, throttle_xml);
    else
        reply_xml(rs, 200, "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>"
                  "123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>");
}

TEST(call_retries_throttling_then_succeeds)
{
    aws_client *c = client_for(0, 5, 0, 5000);
    reset_server(h_throttle_twice);
    aws_request r = {.svc = AWS_STS, .action = "GetCallerIdentity", .retry = AWS_RETRY_SAFE};
    aws_response resp;
    CHECK_INT(aws_call(c, &r, &resp, NULL), 0);
    CHECK_INT(resp.attempts, 3);
    aws_response_free(&resp);
    aws_stats st;
    aws_client_stats(c, &st);
    CHECK_INT(st.throttled, 2);
    CHECK_INT(st.retries, 2);
    aws_client_free(c);
}

static void h_always_throttle(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    (void)n;
    reply_xml(rs, 400, throttle_xml);
}

TEST(call_stops_at_max_retries)
{
    aws_client *c = client_for(0, 3, 0, 5000);
    reset_server(h_always_throttle);
    aws_request r = {.svc = AWS_IAM, .action = "ListRoles", .retry = AWS_RETRY_SAFE};
    aws_response resp;
    aws_error e;
    CHECK_INT(aws_call(c, &r, &resp, &e), CAIRN_EREMOTE);
    CHECK_INT(e.attempts, 4);
    CHECK_INT(atomic_load(&nreq), 4);
    CHECK_STR(e.code, "Throttling");
    CHECK_STR(e.request_id, "thr-1");
    CHECK(strstr(err_msg(), "iam ListRoles: Throttling: Rate exceeded") != NULL);
    aws_client_free(c);
}

static void h_ec2_500_once(const fake_req *rq, fake_resp *rs, int n)
{
    record(rq->body);
    if (n == 1)
        reply_xml(rs, 500, ec2_500_xml);
    else
        reply_xml(rs, 200, vpcs_xml);
}

TEST(call_retries_500_for_safe_calls_only)
{
    aws_client *c = client_for(0, 3, 0, 5000);
    reset_server(h_ec2_500_once);
    aws_request r = describe_vpcs();
    aws_response resp;
    aws_error e;
    CHECK_INT(aws_call(c, &r, &resp, &e), 0);
    CHECK_INT(resp.attempts, 2);
    aws_response_free(&resp);
    /* a create without a token: a 500 may have created it; not retried */
    reset_server(h_ec2_500_once);
    r = (aws_request){.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE};
    CHECK_INT(aws_call(c, &r, &resp, &e), CAIRN_EREMOTE);
    CHECK_INT(e.attempts, 1);
    CHECK_INT(e.status, 500);
    CHECK_STR(e.code, "InternalError");
    CHECK_STR(e.request_id, "ie-1");
    /* with a token it is retried, and the token is the same every time */
    reset_server(h_ec2_500_once);
    aws_params *p = aws_params_new();
    char *tok = aws_idempotency_token();
    CHECK_INT(strlen(tok), 32);
    aws_params_add(p, "ClientToken", tok);
    r = (aws_request){.svc = AWS_EC2, .action = "CreateNatGateway", .retry = AWS_RETRY_TOKEN,
                      .params = p};
    CHECK_INT(aws_call(c, &r, &resp, &e), 0);
    CHECK_INT(resp.attempts, 2);
    CHECK_INT(nrecorded, 2);
    if (nrecorded == 2) {
        CHECK(strstr(recorded[0], tok) != NULL);
        CHECK_STR(recorded[0], recorded[1]);
    }
    aws_response_free(&resp);
    aws_params_free(p);
    free(tok);
    aws_client_free(c);
}

static void h_ec2_throttle_once(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    if (n == 1)
        reply_xml(rs, 503, ec2_throttle_xml);
    else
        reply_xml(rs, 200, "<CreateVpcResponse><vpc><vpcId>vpc-9</vpcId></vpc>"
                  "</CreateVpcResponse>");
}

TEST(call_retries_unsafe_create_when_throttled)
{
    aws_client *c = client_for(0, 3, 0, 5000);
    reset_server(h_ec2_throttle_once);
    aws_request r = {.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE};
    aws_response resp;
    CHECK_INT(aws_call(c, &r, &resp, NULL), 0);
    CHECK_INT(resp.attempts, 2);
    char *id = aws_xml_text(aws_xml_root(resp.xml), "vpc/vpcId");
    CHECK_STR(id, "vpc-9");
    free(id);
    aws_response_free(&resp);
    aws_client_free(c);
}

TEST(call_connection_refused_is_retried_even_for_creates)
{
    aws_client *c = client_for(closed_port(), 2, 0, 5000);
    aws_request r = {.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE};
    aws_response resp;
    aws_error e;
    CHECK_INT(aws_call(c, &r, &resp, &e), CAIRN_EIO);
    CHECK_INT(e.attempts, 3);
    CHECK_INT(e.status, 0);
    CHECK(e.transport != 0);
    aws_stats st;
    aws_client_stats(c, &st);
    CHECK_INT(st.transport_errors, 3);
    CHECK_INT(st.failed, 1);
    aws_client_free(c);
}

static void h_slow(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    if (n == 1)
        rs->delay_ms = 700;
    reply_xml(rs, 200, vpcs_xml);
}

TEST(call_timeout_retried_for_safe_not_for_unsafe)
{
    aws_client *c = client_for(0, 2, 0, 300);
    reset_server(h_slow);
    aws_request r = describe_vpcs();
    aws_response resp;
    aws_error e;
    CHECK_INT(aws_call(c, &r, &resp, &e), 0);
    CHECK_INT(resp.attempts, 2);
    aws_response_free(&resp);
    reset_server(h_slow);
    r = (aws_request){.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE};
    CHECK_INT(aws_call(c, &r, &resp, &e), CAIRN_ETIMEOUT);
    CHECK_INT(e.attempts, 1);
    aws_client_free(c);
}

static void h_big(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    (void)n;
    rs->status = 200;
    for (int i = 0; i < 5000; i++)
        sb_putc(&rs->body, 'x');
}

TEST(call_response_cap)
{
    start_server();
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    cfg.endpoints[AWS_EC2] = xasprintf("http://127.0.0.1:%d", srv_port);
    cfg.max_response = 1000;
    cfg.retry_base_ms = 1;
    aws_client *c;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    reset_server(h_big);
    aws_request r = describe_vpcs();
    aws_response resp;
    aws_error e;
    CHECK_INT(aws_call(c, &r, &resp, &e), CAIRN_ELIMIT);
    CHECK_INT(atomic_load(&nreq), 1);
    aws_client_free(c);
    aws_config_free(&cfg);
}

/* The hook for sensitive values: sent on the wire, masked in every log
 * line (tests/suites/aws_no_secrets_in_logs.sh greps the trace log). */
TEST(call_sensitive_param_sent_but_masked)
{
    aws_client *c = client_for(0, 1, 0, 5000);
    reset_server(h_vpcs);
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBInstanceIdentifier", "db1");
    aws_params_add_sensitive(p, "MasterUserPassword", "Sup3r-Secret-DB-Pass!");
    aws_request r = {.svc = AWS_RDS, .action = "CreateDBInstance", .retry = AWS_RETRY_UNSAFE,
                     .params = p};
    aws_response resp;
    CHECK_INT(aws_call(c, &r, &resp, NULL), 0);
    aws_response_free(&resp);
    CHECK_INT(nrecorded, 1);
    if (nrecorded)
        CHECK(strstr(recorded[0], "MasterUserPassword=Sup3r-Secret-DB-Pass%21") != NULL);
    char *m = aws_log_mask("pw Sup3r-Secret-DB-Pass! and Sup3r-Secret-DB-Pass%21 and "
                           TEST_SK " " TEST_TOKEN);
    CHECK_STR(m, "pw **** and **** and **** ****");
    free(m);
    aws_params_free(p);
    aws_client_free(c);
}

/* ---- error decoding per protocol ---- */

TEST(errors_decode_every_protocol)
{
    aws_error e = {0};
    const char *ec2 = "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>"
                      "The vpc ID 'vpc-1' does not exist</Message></Error></Errors><RequestID>"
                      "r-1</RequestID></Response>";
    aws_error_decode(&e, AWS_PROTO_EC2, 400, ec2, strlen(ec2), NULL);
    CHECK_STR(e.code, "InvalidVpcID.NotFound");
    CHECK_STR(e.message, "The vpc ID 'vpc-1' does not exist");
    CHECK_STR(e.request_id, "r-1");
    CHECK(aws_error_is(&e, "InvalidVpcID.NotFound"));
    CHECK(aws_error_is(&e, "InvalidVpcID.*"));
    CHECK(!aws_error_is(&e, "InvalidSubnet*"));
    CHECK(!aws_error_is_throttle(&e));
    const char *q = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                    "<Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>Role x"
                    "</Message></Error><RequestId>r-2</RequestId></ErrorResponse>";
    aws_error_decode(&e, AWS_PROTO_QUERY, 404, q, strlen(q), NULL);
    CHECK_STR(e.code, "NoSuchEntity");
    CHECK_STR(e.message, "Role x");
    CHECK_STR(e.request_id, "r-2");
    aws_kvlist h = {0};
    aws_kv_set(&h, "x-amzn-requestid", "r-3");
    const char *j = "{\"__type\":\"com.amazonaws.eks#ResourceNotFoundException\","
                    "\"message\":\"No cluster found\"}";
    aws_error_decode(&e, AWS_PROTO_REST_JSON, 404, j, strlen(j), &h);
    CHECK_STR(e.code, "ResourceNotFoundException");
    CHECK_STR(e.message, "No cluster found");
    CHECK_STR(e.request_id, "r-3");
    aws_kv_set(&h, "x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/");
    aws_error_decode(&e, AWS_PROTO_REST_JSON, 429, "{\"Message\":\"slow\"}", 18, &h);
    CHECK_STR(e.code, "ThrottlingException");
    CHECK_STR(e.message, "slow");
    CHECK(aws_error_is_throttle(&e));
    aws_kv_free(&h);
    const char *s3 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>BucketNotEmpty"
                     "</Code><Message>The bucket you tried to delete is not empty</Message>"
                     "<RequestId>r-4</RequestId></Error>";
    aws_error_decode(&e, AWS_PROTO_REST_XML, 409, s3, strlen(s3), NULL);
    CHECK_STR(e.code, "BucketNotEmpty");
    CHECK_STR(e.request_id, "r-4");
    aws_kv_set(&h, "x-amz-request-id", "r-5");
    aws_error_decode(&e, AWS_PROTO_REST_XML, 404, "", 0, &h);
    CHECK_STR(e.code, "NotFound");
    CHECK_STR(e.request_id, "r-5");
    aws_kv_free(&h);
    aws_error_decode(&e, AWS_PROTO_REST_XML, 503, "<Error><Code>SlowDown</Code></Error>", 36,
                     NULL);
    CHECK(aws_error_is_throttle(&e));
    aws_error_decode(&e, AWS_PROTO_QUERY, 502, "<html>bad gateway", 17, NULL);
    CHECK_STR(e.code, "InternalError");
}

TEST(errors_throttle_codes_from_the_issue)
{
    static const char *codes[] = {"Throttling", "ThrottlingException", "RequestLimitExceeded",
                                  "TooManyRequestsException", "RequestThrottled", "SlowDown",
                                  "ProvisionedThroughputExceededException"};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        aws_error e = {.status = 400};
        snprintf(e.code, sizeof e.code, "%s", codes[i]);
        CHECK(aws_error_is_throttle(&e));
    }
    aws_error e = {.status = 400};
    snprintf(e.code, sizeof e.code, "DependencyViolation");
    CHECK(!aws_error_is_throttle(&e));
}

/* ---- parameters ---- */

TEST(params_nested_lists_and_maps)
{
    aws_params *p = aws_params_new();
    aws_params_add_filter(p, 1, "tag:Name", (const char *[]){"a b", "c"}, 2);
    aws_params_add_list(p, "Subnets", "member", (const char *[]){"s-1"}, 1);
    aws_kvlist kv = {0};
    aws_kv_set(&kv, "Env", "prod/1");
    aws_params_add_kvs(p, "Tags.member", "Key", "Value", &kv);
    aws_params_add_kvs(p, "Attributes.entry", "key", "value", &kv);
    char *s = aws_params_encode(p);
    CHECK_STR(s, "Filter.1.Name=tag%3AName&Filter.1.Value.1=a%20b&Filter.1.Value.2=c&"
              "Subnets.member.1=s-1&Tags.member.1.Key=Env&Tags.member.1.Value=prod%2F1&"
              "Attributes.entry.1.key=Env&Attributes.entry.1.value=prod%2F1");
    free(s);
    CHECK_STR(aws_params_get(p, "Subnets.member.1"), "s-1");
    aws_params_set(p, "Subnets.member.1", "s-2");
    CHECK_STR(aws_params_get(p, "Subnets.member.1"), "s-2");
    aws_kv_free(&kv);
    aws_params_free(p);
    p = aws_params_new();
    for (int i = 0; i <= AWS_MAX_PARAMS; i++)
        aws_params_addf(p, "v", "P.%d", i);
    CHECK(aws_params_encode(p) == NULL);
    CHECK_INT(err_code(), CAIRN_ELIMIT);
    aws_params_free(p);
}

TEST(xml_parse_rejects_garbage)
{
    aws_xml *x;
    CHECK_INT(aws_xml_parse(&x, "<a><b>", 6), CAIRN_EPROTO);
    const char *xxe = "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>";
    CHECK_INT(aws_xml_parse(&x, xxe, strlen(xxe)), 0);
    char *t = aws_xml_text(aws_xml_root(x), NULL);
    CHECK(t && strstr(t, "root:") == NULL);
    free(t);
    aws_xml_free(x);
}

/* ---- S3 addressing ---- */

TEST(s3_virtual_hosted_and_path_style)
{
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("eu-west-1");
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    aws_client *c;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    aws_request r = {.svc = AWS_S3, .action = "GetObject", .retry = AWS_RETRY_SAFE,
                     .method = "GET", .path = "/k%20ey", .bucket = "my-bucket"};
    aws_prepared p;
    CHECK_INT(aws_prepare(c, &r, &p), 0);
    CHECK_STR(p.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/k%20ey");
    CHECK_STR(aws_kv_get(&p.headers, "Host"), "my-bucket.s3.eu-west-1.amazonaws.com");
    CHECK(aws_kv_get(&p.headers, "X-Amz-Content-SHA256") != NULL);
    aws_prepared_free(&p);
    r.bucket = "My.Bucket";   /* not DNS-safe: path style */
    CHECK_INT(aws_prepare(c, &r, &p), 0);
    CHECK_STR(p.url, "https://s3.eu-west-1.amazonaws.com/My.Bucket/k%20ey");
    aws_prepared_free(&p);
    aws_client_free(c);
    cfg.s3_use_path_style = 1;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    r.bucket = "my-bucket";
    CHECK_INT(aws_prepare(c, &r, &p), 0);
    CHECK_STR(p.url, "https://s3.eu-west-1.amazonaws.com/my-bucket/k%20ey");
    aws_prepared_free(&p);
    aws_client_free(c);
    aws_config_free(&cfg);
}

/* ---- pagination ---- */

static void h_pages(const fake_req *rq, fake_resp *rs, int n)
{
    (void)n;
    record(rq->body);
    const char *tok = strstr(rq->body, "NextToken=");
    int page = tok ? atoi(tok + 10 + 4) : 0;   /* "NextToken=page2" */
    char xml[512];
    snprintf(xml, sizeof xml, "<DescribeSubnetsResponse><subnetSet><item><subnetId>s-%d"
             "</subnetId></item></subnetSet>%s</DescribeSubnetsResponse>", page,
             page < 2 ? (page == 0 ? "<nextToken>page1</nextToken>"
                                   : "<nextToken>page2</nextToken>") : "");
    reply_xml(rs, 200, xml);
}

static int count_page(const aws_response *resp, void *payload)
{
    int *n = payload;
    char *id = aws_xml_text(aws_xml_root(resp->xml), "subnetSet/item/subnetId");
    if (id && strcmp(id, "s-0") != 0 && strcmp(id, "s-1") != 0 && strcmp(id, "s-2") != 0)
        *n += 100;
    free(id);
    (*n)++;
    return 0;
}

TEST(paginate_follows_next_token)
{
    aws_client *c = client_for(0, 2, 0, 5000);
    reset_server(h_pages);
    aws_request r = {.svc = AWS_EC2, .action = "DescribeSubnets", .retry = AWS_RETRY_SAFE};
    aws_pager pg = {"NextToken", "nextToken"};
    int n = 0;
    CHECK_INT(aws_paginate(c, &r, &pg, count_page, &n, NULL), 0);
    CHECK_INT(n, 3);
    CHECK_INT(nrecorded, 3);
    if (nrecorded == 3) {
        CHECK(strstr(recorded[0], "NextToken") == NULL);
        CHECK(strstr(recorded[1], "NextToken=page1") != NULL);
        CHECK(strstr(recorded[2], "NextToken=page2") != NULL);
    }
    CHECK(r.params == NULL);
    aws_client_free(c);
}

static void h_same_token(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    (void)n;
    rs->status = 200;
    snprintf(rs->headers, sizeof rs->headers, "Content-Type: application/json\r\n");
    sb_puts(&rs->body, "{\"clusters\":[\"a\"],\"nextToken\":\"same\"}");
}

static int count_json(const aws_response *resp, void *payload)
{
    int *n = payload;
    *n += (int)json_array_size(json_object_get(resp->json, "clusters"));
    return 0;
}

TEST(paginate_rest_json_repeated_token_is_an_error)
{
    aws_client *c = client_for(0, 2, 0, 5000);
    reset_server(h_same_token);
    aws_request r = {.svc = AWS_EKS, .action = "ListClusters", .retry = AWS_RETRY_SAFE,
                     .method = "GET", .path = "/clusters"};
    aws_pager pg = {"nextToken", "nextToken"};
    int n = 0;
    CHECK_INT(aws_paginate(c, &r, &pg, count_json, &n, NULL), CAIRN_EPROTO);
    CHECK_INT(n, 2);
    aws_client_free(c);
}

/* ---- waiter ---- */

typedef struct seq {
    const char *const *statuses;
    int i;
} seq;

static int poll_seq(char **status, void *payload)
{
    seq *s = payload;
    const char *st = s->statuses[s->i];
    if (s->statuses[s->i + 1])
        s->i++;
    *status = st && *st ? xstrdup(st) : NULL;
    return 0;
}

TEST(waiter_reaches_target_fails_and_times_out)
{
    const char *ok_seq[] = {"pending", "pending", "available", NULL};
    const char *target[] = {"available", NULL};
    const char *failure[] = {"failed", NULL};
    seq s = {ok_seq, 0};
    aws_waiter w = {.target = target, .failure = failure, .timeout_ms = 5000,
                    .min_delay_ms = 5, .max_delay_ms = 20, .what = "nat-1"};
    char *final = NULL;
    CHECK_INT(aws_wait(&w, poll_seq, &s, &final), 0);
    CHECK_STR(final, "available");
    free(final);
    const char *bad_seq[] = {"pending", "failed", NULL};
    s = (seq){bad_seq, 0};
    CHECK_INT(aws_wait(&w, poll_seq, &s, NULL), CAIRN_EREMOTE);
    CHECK(strstr(err_msg(), "failed") != NULL);
    const char *stuck[] = {"pending", NULL};
    s = (seq){stuck, 0};
    w.timeout_ms = 60;
    CHECK_INT(aws_wait(&w, poll_seq, &s, NULL), CAIRN_ETIMEOUT);
    CHECK(strstr(err_msg(), "nat-1") != NULL);
    const char *gone_seq[] = {"deleting", "", NULL};
    const char *gone[] = {"", NULL};
    s = (seq){gone_seq, 0};
    w.target = gone;
    w.timeout_ms = 5000;
    CHECK_INT(aws_wait(&w, poll_seq, &s, NULL), 0);
    w.timeout_ms = 0;
    CHECK_INT(aws_wait(&w, poll_seq, &s, NULL), CAIRN_EINVAL);
    volatile int cancel = 1;
    w.timeout_ms = 5000;
    w.target = target;
    w.cancel = &cancel;
    s = (seq){stuck, 0};
    CHECK_INT(aws_wait(&w, poll_seq, &s, NULL), CAIRN_ECANCEL);
}

/* ---- account validation ---- */

static void h_identity(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    (void)n;
    reply_xml(rs, 200, "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::"
              "123456789012:user/x</Arn><Account>123456789012</Account>"
              "</GetCallerIdentityResult></GetCallerIdentityResponse>");
}

TEST(validate_checks_allowed_and_forbidden_accounts)
{
    start_server();
    reset_server(h_identity);
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    cfg.endpoints[AWS_STS] = xasprintf("http://127.0.0.1:%d", srv_port);
    aws_client *c;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    CHECK_INT(aws_client_validate(c), 0);
    CHECK_STR(aws_client_account_id(c), "123456789012");
    aws_client_free(c);
    cfg.allowed_account_ids = xcalloc(2, sizeof(char *));
    cfg.allowed_account_ids[0] = xstrdup("999999999999");
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    CHECK_INT(aws_client_validate(c), CAIRN_EINVAL);
    CHECK(strstr(err_msg(), "123456789012") && strstr(err_msg(), "allowed_account_ids"));
    aws_client_free(c);
    free(cfg.allowed_account_ids[0]);
    cfg.allowed_account_ids[0] = NULL;
    cfg.forbidden_account_ids = xcalloc(2, sizeof(char *));
    cfg.forbidden_account_ids[0] = xstrdup("123456789012");
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    CHECK_INT(aws_client_validate(c), CAIRN_EINVAL);
    CHECK(strstr(err_msg(), "forbidden_account_ids") != NULL);
    aws_client_free(c);
    /* skipping both makes no call */
    free(cfg.forbidden_account_ids[0]);
    cfg.forbidden_account_ids[0] = NULL;
    cfg.skip_credentials_validation = 1;
    cfg.skip_requesting_account_id = 1;
    reset_server(h_identity);
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    CHECK_INT(aws_client_validate(c), 0);
    CHECK(aws_client_account_id(c) == NULL);
    CHECK_INT(atomic_load(&nreq), 0);
    aws_client_free(c);
    aws_config_free(&cfg);
}

/* ---- the adaptive limiter against a server that throttles by load ---- */

#define SERVER_RATE 40.0    /* requests/s the fake service accepts */
#define SERVER_BURST 5.0
static pthread_mutex_t bucket_mu = PTHREAD_MUTEX_INITIALIZER;
static double bucket_tokens, bucket_last;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void h_bucket(const fake_req *rq, fake_resp *rs, int n)
{
    (void)rq;
    (void)n;
    pthread_mutex_lock(&bucket_mu);
    double t = mono();
    bucket_tokens += (t - bucket_last) * SERVER_RATE;
    if (bucket_tokens > SERVER_BURST)
        bucket_tokens = SERVER_BURST;
    bucket_last = t;
    int ok = bucket_tokens >= 1;
    if (ok)
        bucket_tokens -= 1;
    pthread_mutex_unlock(&bucket_mu);
    if (ok)
        reply_xml(rs, 200, vpcs_xml);
    else
        reply_xml(rs, 503, ec2_throttle_xml);
}

typedef struct load {
    aws_client *c;
    int calls, failed;
} load;

static void *load_main(void *arg)
{
    load *l = arg;
    for (int i = 0; i < l->calls; i++) {
        aws_request r = describe_vpcs();
        aws_response resp;
        if (aws_call(l->c, &r, &resp, NULL) == 0)
            aws_response_free(&resp);
        else
            l->failed++;
    }
    return NULL;
}

static double run_load(double rate, aws_stats *st)
{
    start_server();
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    cfg.endpoints[AWS_EC2] = xasprintf("http://127.0.0.1:%d/load", srv_port);
    cfg.retry_base_ms = 20;
    cfg.retry_max_backoff_ms = 500;
    cfg.rate_limit = rate;
    aws_client *c = NULL;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    aws_config_free(&cfg);
    reset_server(h_bucket);
    bucket_tokens = SERVER_BURST;
    bucket_last = mono();
    load ls[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        ls[i] = (load){c, 25, 0};
        pthread_create(&th[i], NULL, load_main, &ls[i]);
    }
    int failed = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        failed += ls[i].failed;
    }
    aws_client_stats(c, st);
    aws_client_free(c);
    CHECK_INT(failed, 0);
    return st->attempts ? (double)st->throttled / (double)st->attempts : 1;
}

TEST(limiter_lowers_throttling_under_load)
{
    aws_stats off, on;
    double r_off = run_load(-1, &off);
    /* a distinct key so the process-wide limiter starts fresh */
    double r_on = run_load(400, &on);
    printf("# without limiter: %ld attempts, %ld throttled (%.1f%%)\n", off.attempts,
           off.throttled, 100 * r_off);
    printf("# with limiter:    %ld attempts, %ld throttled (%.1f%%), waited %ldms\n",
           on.attempts, on.throttled, 100 * r_on, on.limiter_wait_ms);
    CHECK(on.throttled < off.throttled);
    CHECK(r_on < r_off);
}

/* ---- region validation, JSON and XML helpers ---- */

TEST(client_validates_region_names)
{
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    static const struct { const char *r; int ok; } cases[] = {
        {"us-east-1", 1}, {"eu-central-2", 1}, {"us-gov-west-1", 1}, {"cn-north-1", 1},
        {"ap-southeast-4", 1}, {"US-EAST-1", 0}, {"useast1", 0}, {"us-east-", 0},
        {"us--east-1", 0}, {"us east 1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        free(cfg.region);
        cfg.region = xstrdup(cases[i].r);
        aws_client *c = NULL;
        int rc = aws_client_new(&c, &cfg);
        if (cases[i].ok) {
            CHECK_INT(rc, 0);
        } else {
            CHECK_INT(rc, CAIRN_EINVAL);
            CHECK(strstr(err_msg(), "invalid AWS Region") != NULL);
        }
        aws_client_free(c);
    }
    cfg.skip_region_validation = 1;
    aws_client *c = NULL;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    aws_client_free(c);
    aws_config_free(&cfg);
}

TEST(json_and_xml_helpers)
{
    json_t *j = json_loads("{\"cluster\":{\"status\":\"ACTIVE\",\"tags\":{\"a\":\"1\","
                           "\"b\":\"2\"},\"n\":3}}", 0, NULL);
    CHECK_STR(aws_json_str(j, "cluster.status"), "ACTIVE");
    CHECK(aws_json_str(j, "cluster.n") == NULL);
    CHECK(aws_json_str(j, "cluster.none.x") == NULL);
    aws_kvlist kv = {0};
    CHECK_INT(aws_json_kvs(&kv, aws_json_path(j, "cluster.tags")), 2);
    CHECK_STR(aws_kv_get(&kv, "b"), "2");
    CHECK_INT(aws_json_kvs(&kv, aws_json_path(j, "cluster")), CAIRN_EPROTO);
    json_t *back = aws_json_from_kvs(&kv);
    CHECK(json_equal(back, aws_json_path(j, "cluster.tags")));
    json_decref(back);
    json_decref(j);
    aws_kv_free(&kv);
    const char *x = "<R><tagSet><item><key>Name</key><value>web</value></item>"
                    "<item><key>Env</key><value></value></item></tagSet></R>";
    aws_xml *doc;
    CHECK_INT(aws_xml_parse(&doc, x, strlen(x)), 0);
    CHECK_INT(aws_xml_kvs(&kv, aws_xml_root(doc), "tagSet", "item", "key", "value"), 2);
    CHECK_STR(aws_kv_get(&kv, "Name"), "web");
    CHECK_STR(aws_kv_get(&kv, "Env"), "");
    CHECK_INT(aws_xml_kvs(&kv, aws_xml_root(doc), "nothing", "item", "key", "value"), 0);
    aws_xml_free(doc);
    aws_kv_free(&kv);
}

/* ---- clock skew and cancellation ---- */

static long long hour_behind(void) { return (long long)time(NULL) - 3600; }

static void h_expiry(const fake_req *rq, fake_resp *rs, int n)
{
    (void)n;
    const char *d = strcasestr(rq->headers, "\r\nX-Amz-Date: ");
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    time_t now = time(NULL);
    int fresh = d && strptime(d + 14, "%Y%m%dT%H%M%SZ", &tm) &&
                labs((long)(timegm(&tm) - now)) < 900;
    char date[64];
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
    if (fresh) {
        reply_xml(rs, 200, vpcs_xml);
    } else {
        reply_xml(rs, 400, "<Response><Errors><Error><Code>RequestExpired</Code><Message>"
                  "Request has expired.</Message></Error></Errors></Response>");
    }
    size_t l = strlen(rs->headers);
    snprintf(rs->headers + l, sizeof rs->headers - l, "Date: %s\r\n", date);
}

TEST(call_corrects_clock_skew_once)
{
    aws_client *c = client_for(0, 3, 0, 5000);
    aws_set_clock(hour_behind);
    reset_server(h_expiry);
    aws_request r = {.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE};
    aws_response resp;
    CHECK_INT(aws_call(c, &r, &resp, NULL), 0);
    CHECK_INT(resp.attempts, 2);
    aws_response_free(&resp);
    /* the correction sticks: the next call is right the first time */
    reset_server(h_expiry);
    CHECK_INT(aws_call(c, &r, &resp, NULL), 0);
    CHECK_INT(resp.attempts, 1);
    aws_response_free(&resp);
    aws_set_clock(NULL);
    aws_client_free(c);
}

TEST(call_cancelled_while_backing_off)
{
    start_server();
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    cfg.endpoints[AWS_IAM] = xasprintf("http://127.0.0.1:%d", srv_port);
    cfg.retry_base_ms = 60000;   /* a back-off only cancellation can cut short */
    cfg.retry_max_backoff_ms = 60000;
    aws_client *c;
    CHECK_INT(aws_client_new(&c, &cfg), 0);
    static volatile int stop = 1;
    aws_set_cancel_flag(&stop);
    reset_server(h_always_throttle);
    aws_request r = {.svc = AWS_IAM, .action = "ListRoles", .retry = AWS_RETRY_SAFE};
    aws_response resp;
    aws_error e;
    time_t t0 = time(NULL);
    CHECK_INT(aws_call(c, &r, &resp, &e), CAIRN_ECANCEL);
    CHECK(time(NULL) - t0 < 5);
    CHECK_INT(e.attempts, 1);
    aws_set_cancel_flag(NULL);
    aws_client_free(c);
    aws_config_free(&cfg);
}

/* ---- decoder robustness: mutated inputs must never crash (ASan run) ---- */

TEST(decoders_survive_mutated_input)
{
    static const char *seeds[] = {
        "<Response><Errors><Error><Code>X</Code><Message>m</Message></Error></Errors>"
        "<RequestID>r</RequestID></Response>",
        "<ErrorResponse><Error><Code>C</Code></Error><RequestId>r</RequestId></ErrorResponse>",
        "{\"__type\":\"a#B\",\"message\":\"m\"}",
        "<Error><Code>NoSuchKey</Code><Message>x</Message></Error>",
    };
    unsigned long long st = 0x9e3779b97f4a7c15ull;
    char buf[256];
    for (int round = 0; round < 4000; round++) {
        const char *seed = seeds[round % 4];
        size_t l = strlen(seed);
        memcpy(buf, seed, l);
        for (int k = 0; k < 1 + round % 5; k++) {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            size_t pos = (size_t)(st % l);
            buf[pos] = (char)(st >> 24);
            if (st & 1)
                l = pos + 1;   /* truncate too */
        }
        aws_error e = {0};
        aws_kvlist h = {0};
        aws_kv_set(&h, "x-amzn-errortype", round & 1 ? buf : "T:x");
        aws_error_decode(&e, (enum aws_protocol)(round % 4), 400 + round % 200, buf, l, &h);
        CHECK(e.code[0] != 0);
        aws_kv_free(&h);
        aws_xml *x = NULL;
        if (aws_xml_parse(&x, buf, l) == 0) {
            char *t = aws_xml_text(aws_xml_root(x), "Errors/Error/Code");
            free(t);
            aws_xml_free(x);
        }
    }
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
