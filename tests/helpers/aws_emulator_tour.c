/*
 * tests/helpers/aws_emulator_tour.c — the client layer end to end against
 * the AWS emulator (an independent SigV4 verifier): at least one call per
 * service and protocol through aws_call, pagination with small pages,
 * error decoding of real error documents, tag decoding, S3 addressing.
 *
 * usage: aws_emulator_tour ENDPOINT   (the emulator started with
 * --max-page 2; credentials from the environment).  Prints one
 * "ok NAME" / "not ok NAME" / "skip NAME # why" line per check.
 */
#include "providers/aws/aws.h"

#include <stdlib.h>
#include <string.h>

static int failed;

static void report(const char *name, int ok, const char *why)
{
    if (ok) {
        printf("ok tour_%s\n", name);
    } else {
        printf("not ok tour_%s%s%s\n", name, why ? " # " : "", why ? why : "");
        failed++;
    }
}

/* An error code that means "the emulator does not serve this yet". */
static int unsupported(const aws_error *e)
{
    return aws_error_is(e, "InvalidAction") || aws_error_is(e, "UnknownOperationException") ||
           aws_error_is(e, "NotImplemented") || aws_error_is(e, "UnknownService") ||
           strstr(e->message, "does not serve") != NULL;
}

static int call(aws_client *c, aws_request *r, aws_response *resp, aws_error *e)
{
    int rc = aws_call(c, r, resp, e);
    if (rc < 0 && rc != CAIRN_EREMOTE)
        printf("# %s\n", err_msg());
    return rc;
}

static int count_items(const aws_response *resp, void *payload)
{
    int *n = payload;
    aws_xml_node *set = aws_xml_find(aws_xml_root(resp->xml), "vpcSet");
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item"))
        (*n)++;
    (*n) += 1000;   /* pages, in the thousands */
    return 0;
}

static void ec2(aws_client *c)
{
    aws_kvlist tags = {0};
    aws_kv_set(&tags, "Name", "tour vpc");
    aws_kv_set(&tags, "Owner", "cairn/tour+1");
    char *first = NULL;
    int made = 0;
    for (int i = 0; i < 5; i++) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "CidrBlock", i == 0 ? "10.0.0.0/16" : "10.1.0.0/16");
        aws_params_add(p, "TagSpecification.1.ResourceType", "vpc");
        aws_params_add_kvs(p, "TagSpecification.1.Tag", "Key", "Value", &tags);
        aws_request r = {.svc = AWS_EC2, .action = "CreateVpc", .retry = AWS_RETRY_UNSAFE,
                         .params = p};
        aws_response resp;
        aws_error e;
        if (call(c, &r, &resp, &e) == 0) {
            char *id = aws_xml_text(aws_xml_root(resp.xml), "vpc/vpcId");
            made += id && strncmp(id, "vpc-", 4) == 0;
            if (!first)
                first = id;
            else
                free(id);
            aws_response_free(&resp);
        }
        aws_params_free(p);
    }
    report("ec2_create_vpcs", made == 5, NULL);

    aws_params *p = aws_params_new();
    aws_params_add_list(p, "VpcId", NULL, (const char *const *)&first, 1);
    aws_request r = {.svc = AWS_EC2, .action = "DescribeVpcs", .retry = AWS_RETRY_SAFE,
                     .params = p};
    aws_response resp;
    aws_error e;
    int ok = 0;
    if (first && call(c, &r, &resp, &e) == 0) {
        aws_kvlist got = {0};
        aws_xml_node *item = aws_xml_find(aws_xml_root(resp.xml), "vpcSet/item");
        aws_xml_kvs(&got, item, "tagSet", "item", "key", "value");
        const char *o = aws_kv_get(&got, "Owner");
        ok = o && strcmp(o, "cairn/tour+1") == 0 && got.n == 2;
        aws_kv_free(&got);
        aws_response_free(&resp);
    }
    report("ec2_describe_vpc_by_id_with_tags", ok, NULL);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add_filter(p, 1, "tag:Name", (const char *[]){"tour vpc"}, 1);
    aws_params_add(p, "MaxResults", "5");
    r = (aws_request){.svc = AWS_EC2, .action = "DescribeVpcs", .retry = AWS_RETRY_SAFE,
                      .params = p};
    aws_pager pg = {"NextToken", "nextToken"};
    int n = 0;
    int rc = aws_paginate(c, &r, &pg, count_items, &n, &e);
    printf("# DescribeVpcs tag:Name filter: %d VPCs over %d pages\n", n % 1000, n / 1000);
    report("ec2_paginate_filtered", rc == 0 && n % 1000 == 5 && n / 1000 >= 3, NULL);
    aws_params_free(p);

    p = aws_params_new();
    aws_params_add(p, "VpcId", "vpc-00000000000000000");
    r = (aws_request){.svc = AWS_EC2, .action = "DeleteVpc", .retry = AWS_RETRY_SAFE,
                      .params = p};
    rc = call(c, &r, &resp, &e);
    report("ec2_error_decoded", rc == CAIRN_EREMOTE && aws_error_is(&e, "InvalidVpcID.NotFound")
           && e.request_id[0] && e.attempts == 1, e.code);
    aws_params_free(p);
    free(first);
    aws_kv_free(&tags);
}

static int count_roles(const aws_response *resp, void *payload)
{
    int *n = payload;
    aws_xml_node *m = aws_xml_find(aws_xml_root(resp->xml), "ListRolesResult/Roles");
    for (aws_xml_node *it = aws_xml_first(m, "member"); it; it = aws_xml_next(it, "member"))
        (*n)++;
    (*n) += 1000;
    return 0;
}

static void iam(aws_client *c)
{
    int made = 0;
    for (int i = 0; i < 3; i++) {
        aws_params *p = aws_params_new();
        char name[32];
        snprintf(name, sizeof name, "tour-role-%d", i);
        aws_params_add(p, "RoleName", name);
        aws_params_add(p, "AssumeRolePolicyDocument",
                       "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                       "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                       "\"Action\":\"sts:AssumeRole\"}]}");
        aws_request r = {.svc = AWS_IAM, .action = "CreateRole", .retry = AWS_RETRY_UNSAFE,
                         .params = p};
        aws_response resp;
        aws_error e;
        if (call(c, &r, &resp, &e) == 0) {
            char *arn = aws_xml_text(aws_xml_root(resp.xml), "CreateRoleResult/Role/Arn");
            made += arn && strstr(arn, ":role/tour-role-") != NULL;
            free(arn);
            aws_response_free(&resp);
        } else {
            printf("# CreateRole: %s\n", err_msg());
        }
        aws_params_free(p);
    }
    report("iam_create_roles", made == 3, NULL);
    aws_request r = {.svc = AWS_IAM, .action = "ListRoles", .retry = AWS_RETRY_SAFE};
    aws_pager pg = {"Marker", "ListRolesResult/Marker"};
    int n = 0;
    aws_error e;
    int rc = aws_paginate(c, &r, &pg, count_roles, &n, &e);
    printf("# ListRoles: %d roles over %d pages\n", n % 1000, n / 1000);
    report("iam_paginate_marker", rc == 0 && n % 1000 >= 3 && n / 1000 >= 2, NULL);
    aws_params *p = aws_params_new();
    aws_params_add(p, "RoleName", "no-such-role");
    r = (aws_request){.svc = AWS_IAM, .action = "GetRole", .retry = AWS_RETRY_SAFE,
                      .params = p};
    aws_response resp;
    rc = call(c, &r, &resp, &e);
    report("iam_error_decoded", rc == CAIRN_EREMOTE && aws_error_is(&e, "NoSuchEntity") &&
           e.request_id[0], e.code);
    aws_params_free(p);
}

static void query_service(aws_client *c, enum aws_service svc, const char *list_action,
                          const char *result_path, const char *id_param, const char *code)
{
    const char *key = aws_service(svc)->key;
    char name[96];
    aws_request r = {.svc = svc, .action = list_action, .retry = AWS_RETRY_SAFE};
    aws_response resp;
    aws_error e;
    int rc = call(c, &r, &resp, &e);
    snprintf(name, sizeof name, "%s_%s", key, list_action);
    if (rc == CAIRN_EREMOTE && unsupported(&e)) {
        printf("skip tour_%s # %s\n", name, e.message);
        return;
    }
    report(name, rc == 0 && aws_xml_find(aws_xml_root(resp.xml), result_path) != NULL,
           rc ? e.code : NULL);
    if (rc == 0)
        aws_response_free(&resp);
    aws_params *p = aws_params_new();
    aws_params_add(p, id_param, "no-such-thing");
    r.params = p;
    rc = call(c, &r, &resp, &e);
    snprintf(name, sizeof name, "%s_error_decoded", key);
    report(name, rc == CAIRN_EREMOTE && aws_error_is(&e, code) && e.request_id[0], e.code);
    aws_params_free(p);
}

static void eks(aws_client *c)
{
    aws_request r = {.svc = AWS_EKS, .action = "ListClusters", .retry = AWS_RETRY_SAFE,
                     .method = "GET", .path = "/clusters"};
    aws_response resp;
    aws_error e;
    int rc = call(c, &r, &resp, &e);
    report("eks_list_clusters_json", rc == 0 && json_is_array(aws_json_path(resp.json,
                                                                       "clusters")),
           rc ? e.code : NULL);
    if (rc == 0)
        aws_response_free(&resp);
    r = (aws_request){.svc = AWS_EKS, .action = "DescribeCluster", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = "/clusters/no-such-cluster"};
    rc = call(c, &r, &resp, &e);
    report("eks_error_decoded", rc == CAIRN_EREMOTE &&
           aws_error_is(&e, "ResourceNotFoundException") && e.message[0], e.code);
}

static int count_keys(const aws_response *resp, void *payload)
{
    int *n = payload;
    aws_xml_node *root = aws_xml_root(resp->xml);
    for (aws_xml_node *it = aws_xml_first(root, "Contents"); it;
         it = aws_xml_next(it, "Contents"))
        (*n)++;
    (*n) += 1000;
    return 0;
}

static void s3(aws_client *c)
{
    aws_request r = {.svc = AWS_S3, .action = "CreateBucket", .retry = AWS_RETRY_SAFE,
                     .method = "PUT", .path = "/", .bucket = "cairn-tour"};
    aws_response resp;
    aws_error e;
    int rc = call(c, &r, &resp, &e);
    report("s3_create_bucket", rc == 0, rc ? e.code : NULL);
    if (rc == 0)
        aws_response_free(&resp);
    static const char *keys[] = {"/a%20key.txt", "/dir/%C3%A9t%C3%A9.txt", "/plus%2Bsign"};
    int put = 0;
    for (int i = 0; i < 3; i++) {
        char body[64];
        snprintf(body, sizeof body, "object %d\n", i);
        r = (aws_request){.svc = AWS_S3, .action = "PutObject", .retry = AWS_RETRY_SAFE,
                          .method = "PUT", .path = keys[i], .bucket = "cairn-tour",
                          .body = body, .body_len = strlen(body), .content_type = "text/plain"};
        if (call(c, &r, &resp, &e) == 0) {
            put++;
            aws_response_free(&resp);
        } else {
            printf("# PutObject %s: %s\n", keys[i], e.code);
        }
    }
    report("s3_put_objects_encoded_keys", put == 3, NULL);
    r = (aws_request){.svc = AWS_S3, .action = "GetObject", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = keys[1], .bucket = "cairn-tour"};
    rc = call(c, &r, &resp, &e);
    report("s3_get_object", rc == 0 && resp.body_len == 9 &&
           memcmp(resp.body, "object 1\n", 9) == 0, rc ? e.code : NULL);
    if (rc == 0)
        aws_response_free(&resp);
    aws_params *q = aws_params_new();
    aws_params_add(q, "list-type", "2");
    aws_params_add(q, "max-keys", "1");
    r = (aws_request){.svc = AWS_S3, .action = "ListObjectsV2", .retry = AWS_RETRY_SAFE,
                      .method = "GET", .path = "/", .bucket = "cairn-tour", .query = q};
    aws_pager pg = {"continuation-token", "NextContinuationToken"};
    int n = 0;
    rc = aws_paginate(c, &r, &pg, count_keys, &n, &e);
    printf("# ListObjectsV2: %d keys over %d pages\n", n % 1000, n / 1000);
    report("s3_paginate_continuation_token", rc == 0 && n % 1000 == 3 && n / 1000 == 3, NULL);
    aws_params_free(q);
    r = (aws_request){.svc = AWS_S3, .action = "HeadObject", .retry = AWS_RETRY_SAFE,
                      .method = "HEAD", .path = "/missing", .bucket = "cairn-tour"};
    rc = call(c, &r, &resp, &e);
    report("s3_head_missing_is_404", rc == CAIRN_EREMOTE && e.status == 404, e.code);
    r = (aws_request){.svc = AWS_S3, .action = "DeleteBucket", .retry = AWS_RETRY_SAFE,
                      .method = "DELETE", .path = "/", .bucket = "cairn-tour"};
    rc = call(c, &r, &resp, &e);
    report("s3_error_decoded", rc == CAIRN_EREMOTE && aws_error_is(&e, "BucketNotEmpty") &&
           e.request_id[0], e.code);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s ENDPOINT\n", argv[0]);
        return 2;
    }
    aws_config cfg;
    aws_config_init(&cfg);
    cfg.region = xstrdup("us-east-1");
    for (int i = 0; i < AWS_SERVICE_COUNT; i++)
        cfg.endpoints[i] = xstrdup(argv[1]);
    cfg.allowed_account_ids = xcalloc(2, sizeof(char *));
    cfg.allowed_account_ids[0] = xstrdup("123456789012");
    aws_client *c;
    if (aws_client_new(&c, &cfg) < 0) {
        printf("not ok tour_client # %s\n", err_msg());
        return 1;
    }
    int rc = aws_client_validate(c);
    report("sts_validate_account", rc == 0 && aws_client_account_id(c) &&
           strcmp(aws_client_account_id(c), "123456789012") == 0, rc ? err_msg() : NULL);
    ec2(c);
    iam(c);
    eks(c);
    query_service(c, AWS_RDS, "DescribeDBInstances", "DescribeDBInstancesResult",
                  "DBInstanceIdentifier", "DBInstanceNotFound");
    query_service(c, AWS_ELASTICACHE, "DescribeCacheClusters", "DescribeCacheClustersResult",
                  "CacheClusterId", "CacheClusterNotFound");
    query_service(c, AWS_ELBV2, "DescribeLoadBalancers", "DescribeLoadBalancersResult",
                  "Names.member.1", "LoadBalancerNotFound");
    s3(c);
    aws_client_free(c);
    aws_config_free(&cfg);
    return failed ? 1 : 0;
}
