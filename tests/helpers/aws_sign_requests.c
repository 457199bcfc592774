/*
 * tests/helpers/aws_sign_requests.c — serialise and sign a fixed set of
 * requests across the 8 services and 4 protocols with cairn's client layer
 * (aws_prepare, fixed clock) and print them as JSON lines for
 * tests/helpers/aws_botocore_check.py, which re-signs each with botocore's
 * SigV4Auth and compares.
 *
 * Output per line: {"name", "method", "url", "headers": [[k, v]...],
 * "body", "service", "region", "s3", "token", "authorization"}.
 * The credentials are fixed test values, not real ones.
 */
#include "providers/aws/aws.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FIXED_TIME 1767323045LL   /* 2026-01-02T03:04:05Z */
#define TEST_AK "AKIDCAIRNTEST0000001"
#define TEST_SK "cairn/Test+Secret/Key0000000000000000001"
#define TEST_TOKEN "FQoGZXIvYXdzEXAMPLETOKEN//////////wEaDCairnTestToken+/="

static long long fixed_now(void) { return FIXED_TIME; }

static int failures;

static void emit(aws_client *c, const char *name, aws_request *req, int with_token)
{
    aws_prepared p;
    if (aws_prepare(c, req, &p) < 0) {
        fprintf(stderr, "prepare %s: %s\n", name, err_msg());
        failures++;
        return;
    }
    json_t *o = json_object();
    json_t *h = json_array();
    const char *authz = "";
    for (size_t i = 0; i < p.headers.n; i++) {
        if (strcmp(p.headers.items[i].key, "Authorization") == 0) {
            authz = p.headers.items[i].value;
            continue;
        }
        json_array_append_new(h, json_pack("[ss]", p.headers.items[i].key,
                                           p.headers.items[i].value));
    }
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "method", json_string(p.method));
    json_object_set_new(o, "url", json_string(p.url));
    json_object_set_new(o, "headers", h);
    json_object_set_new(o, "body", json_stringn(p.body, p.body_len));
    json_object_set_new(o, "service", json_string(p.signing_name));
    json_object_set_new(o, "region", json_string(p.signing_region));
    json_object_set_new(o, "s3", json_boolean(req->svc == AWS_S3));
    json_object_set_new(o, "token", with_token ? json_string(TEST_TOKEN) : json_null());
    json_object_set_new(o, "authorization", json_string(authz));
    char *line = json_dumps(o, JSON_COMPACT);
    puts(line);
    free(line);
    json_decref(o);
    aws_prepared_free(&p);
}

static aws_client *make_client(const char *region, const char *endpoint, int token,
                               int path_style)
{
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup(region);
    cfg.access_key = xstrdup(TEST_AK);
    cfg.secret_key = xstrdup(TEST_SK);
    if (token)
        cfg.token = xstrdup(TEST_TOKEN);
    cfg.s3_use_path_style = path_style;
    for (int i = 0; endpoint && i < AWS_SERVICE_COUNT; i++)
        cfg.endpoints[i] = xstrdup(endpoint);
    aws_client *c = NULL;
    if (aws_client_new(&c, &cfg) < 0) {
        fprintf(stderr, "client: %s\n", err_msg());
        exit(2);
    }
    aws_config_free(&cfg);
    return c;
}

/* Query and EC2 protocol requests. */
static void query_requests(aws_client *c, int tok, const char *sfx)
{
    char name[128];
    aws_params *p = aws_params_new();
    const char *ids[] = {"vpc-0a1b2c3d", "vpc-11112222"};
    const char *vals[] = {"web", "db tier", "ünïcode/+="};
    aws_params_add_list(p, "VpcId", NULL, ids, 2);
    aws_params_add_filter(p, 1, "tag:Name", vals, 3);
    aws_params_add_filter(p, 2, "state", (const char *[]){"available"}, 1);
    aws_params_add(p, "MaxResults", "5");
    aws_request r = {.svc = AWS_EC2, .action = "DescribeVpcs", .retry = AWS_RETRY_SAFE,
                     .params = p};
    snprintf(name, sizeof name, "ec2_DescribeVpcs_filters%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_kvlist tags = {0};
    aws_kv_set(&tags, "Name", "main vpc");
    aws_kv_set(&tags, "cost-center", "a&b=c");
    aws_params_add(p, "CidrBlock", "10.0.0.0/16");
    aws_params_add(p, "TagSpecification.1.ResourceType", "vpc");
    aws_params_add_kvs(p, "TagSpecification.1.Tag", "Key", "Value", &tags);
    r = (aws_request){.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE,
                      .params = p};
    snprintf(name, sizeof name, "ec2_CreateVpc_tags%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "GroupId", "sg-12345678");
    aws_params_add(p, "IpPermissions.1.IpProtocol", "tcp");
    aws_params_add(p, "IpPermissions.1.FromPort", "443");
    aws_params_add(p, "IpPermissions.1.ToPort", "443");
    aws_params_add(p, "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0");
    aws_params_add(p, "IpPermissions.1.IpRanges.1.Description", "HTTPS from anywhere (*)");
    aws_params_add(p, "IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "::/0");
    r = (aws_request){.svc = AWS_EC2, .action = "AuthorizeSecurityGroupIngress",
                      .retry = AWS_RETRY_SAFE, .params = p};
    snprintf(name, sizeof name, "ec2_AuthorizeSecurityGroupIngress%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    char *ct = aws_idempotency_token();
    aws_params_add(p, "ClientToken", ct);
    aws_params_add(p, "SubnetId", "subnet-abc");
    aws_params_add(p, "AllocationId", "eipalloc-1");
    free(ct);
    r = (aws_request){.svc = AWS_EC2, .action = "CreateNatGateway", .retry = AWS_RETRY_TOKEN,
                      .params = p};
    snprintf(name, sizeof name, "ec2_CreateNatGateway_token%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    r = (aws_request){.svc = AWS_STS, .action = "GetCallerIdentity", .retry = AWS_RETRY_SAFE};
    snprintf(name, sizeof name, "sts_GetCallerIdentity%s", sfx);
    emit(c, name, &r, tok);

    p = aws_params_new();
    aws_params_add(p, "RoleName", "cairn-node-role");
    aws_params_add(p, "Path", "/service-role/");
    aws_params_add(p, "AssumeRolePolicyDocument",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                   "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                   "\"Action\":\"sts:AssumeRole\"}]}");
    aws_params_add_kvs(p, "Tags.member", "Key", "Value", &tags);
    r = (aws_request){.svc = AWS_IAM, .action = "CreateRole", .retry = AWS_RETRY_UNSAFE,
                      .params = p};
    snprintf(name, sizeof name, "iam_CreateRole_policy%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "Marker", "AAE/marker+token==");
    aws_params_add(p, "MaxItems", "100");
    r = (aws_request){.svc = AWS_IAM, .action = "ListRoles", .retry = AWS_RETRY_SAFE,
                      .params = p};
    snprintf(name, sizeof name, "iam_ListRoles_marker%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "DBInstanceIdentifier", "cairn-db");
    aws_params_add(p, "DBInstanceClass", "db.t3.micro");
    aws_params_add(p, "Engine", "postgres");
    aws_params_add(p, "MasterUsername", "cairn");
    aws_params_add_sensitive(p, "MasterUserPassword", "S3cr3t p@ss!~");
    aws_params_add_list(p, "VpcSecurityGroupIds", "VpcSecurityGroupId",
                        (const char *[]){"sg-1", "sg-2"}, 2);
    r = (aws_request){.svc = AWS_RDS, .action = "CreateDBInstance", .retry = AWS_RETRY_UNSAFE,
                      .params = p};
    snprintf(name, sizeof name, "rds_CreateDBInstance%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "Filters.Filter.1.Name", "engine");
    aws_params_add(p, "Filters.Filter.1.Values.Value.1", "postgres");
    aws_params_add(p, "Marker", "m/1");
    r = (aws_request){.svc = AWS_RDS, .action = "DescribeDBInstances", .retry = AWS_RETRY_SAFE,
                      .params = p};
    snprintf(name, sizeof name, "rds_DescribeDBInstances%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "CacheClusterId", "cairn-redis");
    aws_params_add(p, "Engine", "redis");
    aws_params_add(p, "NumCacheNodes", "1");
    aws_params_add_list(p, "SecurityGroupIds", "SecurityGroupId",
                        (const char *[]){"sg-9"}, 1);
    r = (aws_request){.svc = AWS_ELASTICACHE, .action = "CreateCacheCluster",
                      .retry = AWS_RETRY_UNSAFE, .params = p};
    snprintf(name, sizeof name, "elasticache_CreateCacheCluster%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "ShowCacheNodeInfo", "true");
    r = (aws_request){.svc = AWS_ELASTICACHE, .action = "DescribeCacheClusters",
                      .retry = AWS_RETRY_SAFE, .params = p};
    snprintf(name, sizeof name, "elasticache_DescribeCacheClusters%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "Name", "cairn-alb");
    aws_params_add_list(p, "Subnets", "member", (const char *[]){"subnet-a", "subnet-b"}, 2);
    aws_params_add_kvs(p, "Tags.member", "Key", "Value", &tags);
    r = (aws_request){.svc = AWS_ELBV2, .action = "CreateLoadBalancer",
                      .retry = AWS_RETRY_SAFE, .params = p};
    snprintf(name, sizeof name, "elbv2_CreateLoadBalancer%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "LoadBalancerArn",
                   "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1");
    aws_params_add(p, "DefaultActions.member.1.Type", "forward");
    aws_params_add(p, "DefaultActions.member.1.TargetGroupArn",
                   "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/2");
    aws_params_add(p, "Port", "80");
    r = (aws_request){.svc = AWS_ELBV2, .action = "CreateListener", .retry = AWS_RETRY_SAFE,
                      .params = p};
    snprintf(name, sizeof name, "elbv2_CreateListener%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(p);
    aws_kv_free(&tags);
}

/* REST-JSON (EKS) and REST-XML (S3) requests. */
static void rest_requests(aws_client *c, int tok, const char *sfx)
{
    char name[128];
    json_t *body = json_pack("{s:s,s:s,s:{s:[s,s]},s:{s:s}}", "name", "demo", "roleArn",
                             "arn:aws:iam::123456789012:role/eks", "resourcesVpcConfig",
                             "subnetIds", "subnet-1", "subnet-2", "tags", "Team", "ïnfra");
    aws_request r = {.svc = AWS_EKS, .action = "CreateCluster", .retry = AWS_RETRY_TOKEN,
                     .method = "POST", .path = "/clusters", .json = body};
    snprintf(name, sizeof name, "eks_CreateCluster%s", sfx);
    emit(c, name, &r, tok);
    json_decref(body);

    r = (aws_request){.svc = AWS_EKS, .action = "DescribeCluster", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = "/clusters/demo"};
    snprintf(name, sizeof name, "eks_DescribeCluster%s", sfx);
    emit(c, name, &r, tok);

    aws_params *q = aws_params_new();
    aws_params_add(q, "maxResults", "10");
    aws_params_add(q, "nextToken", "eyJ0b2tlbiI6IDF9/+==");
    r = (aws_request){.svc = AWS_EKS, .action = "ListClusters", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = "/clusters", .query = q};
    snprintf(name, sizeof name, "eks_ListClusters_query%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(q);

    r = (aws_request){.svc = AWS_EKS, .action = "DeleteNodegroup", .retry = AWS_RETRY_SAFE,
                      .method = "DELETE", .path = "/clusters/demo/node-groups/ng-1"};
    snprintf(name, sizeof name, "eks_DeleteNodegroup%s", sfx);
    emit(c, name, &r, tok);

    /* an ARN in the path: percent-encoded once on the wire, twice when signed */
    body = json_pack("{s:{s:s}}", "tags", "k", "v");
    r = (aws_request){.svc = AWS_EKS, .action = "TagResource", .retry = AWS_RETRY_SAFE,
                      .method = "POST",
                      .path = "/tags/arn%3Aaws%3Aeks%3Aus-east-1%3A123456789012%3Acluster%2Fdemo",
                      .json = body};
    snprintf(name, sizeof name, "eks_TagResource_arn_path%s", sfx);
    emit(c, name, &r, tok);
    json_decref(body);

    q = aws_params_new();
    aws_params_add(q, "list-type", "2");
    aws_params_add(q, "prefix", "logs/2026 01/");
    aws_params_add(q, "continuation-token", "1/abc+def=");
    r = (aws_request){.svc = AWS_S3, .action = "ListObjectsV2", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = "/", .bucket = "cairn-state", .query = q};
    snprintf(name, sizeof name, "s3_ListObjectsV2%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(q);

    const char *xml = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/"
                      "2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint>"
                      "</CreateBucketConfiguration>";
    r = (aws_request){.svc = AWS_S3, .action = "CreateBucket", .retry = AWS_RETRY_SAFE,
                      .method = "PUT", .path = "/", .bucket = "cairn-state", .body = xml,
                      .body_len = strlen(xml)};
    snprintf(name, sizeof name, "s3_CreateBucket%s", sfx);
    emit(c, name, &r, tok);

    const char *data = "hello, object\n";
    r = (aws_request){.svc = AWS_S3, .action = "PutObject", .retry = AWS_RETRY_SAFE,
                      .method = "PUT", .path = "/dir%20one/file%2Bplus%C3%A9.txt",
                      .bucket = "cairn-state", .body = data, .body_len = strlen(data),
                      .content_type = "text/plain"};
    snprintf(name, sizeof name, "s3_PutObject_key_encoding%s", sfx);
    emit(c, name, &r, tok);

    r = (aws_request){.svc = AWS_S3, .action = "DeleteObject", .retry = AWS_RETRY_SAFE,
                      .method = "DELETE", .path = "/a//b/../c", .bucket = "cairn-state"};
    snprintf(name, sizeof name, "s3_DeleteObject_unnormalised%s", sfx);
    emit(c, name, &r, tok);

    q = aws_params_new();
    aws_params_add(q, "tagging", "");
    r = (aws_request){.svc = AWS_S3, .action = "GetBucketTagging", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = "/", .bucket = "Cairn.Dotted.Bucket", .query = q};
    snprintf(name, sizeof name, "s3_GetBucketTagging_pathstyle%s", sfx);
    emit(c, name, &r, tok);
    aws_params_free(q);

    r = (aws_request){.svc = AWS_S3, .action = "HeadBucket", .retry = AWS_RETRY_SAFE,
                      .method = "HEAD", .path = "/", .bucket = "cairn-state"};
    snprintf(name, sizeof name, "s3_HeadBucket%s", sfx);
    emit(c, name, &r, tok);
}

int main(void)
{
    aws_set_clock(fixed_now);
    aws_client *plain = make_client("us-east-1", NULL, 0, 0);
    aws_client *local = make_client("eu-west-1", "http://127.0.0.1:4566", 1, 0);
    aws_client *west = make_client("us-west-2", NULL, 1, 1);
    query_requests(plain, 0, "");
    rest_requests(plain, 0, "");
    query_requests(local, 1, "_endpoint_token");
    rest_requests(local, 1, "_endpoint_token");
    rest_requests(west, 1, "_pathstyle_token");
    aws_client_free(plain);
    aws_client_free(local);
    aws_client_free(west);
    return failures ? 1 : 0;
}
