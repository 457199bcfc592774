/*
 * providers/aws/aws_data.c — the AWS plugin's data sources, with the
 * arguments and attributes of Terraform's AWS provider:
 * aws_availability_zones (EC2 DescribeAvailabilityZones), aws_vpc
 * (DescribeVpcs, then the aws_vpc resource's own read for what needs more
 * calls), aws_subnets (DescribeSubnets, paginated), aws_caller_identity
 * (STS GetCallerIdentity), aws_region (the provider's region and a static
 * table, no call) and aws_iam_policy_document (aws_data_policy.c, no call).
 *
 * A read starts from the configuration (every attribute present, computed
 * ones null) and sets the computed attributes, so a state always has the
 * data source's shape.
 *
 * What must stay true:
 *   - reads never change anything in AWS (Describe and Get calls only);
 *   - a filter block becomes one EC2 Filter.N with all its values, tags one
 *     tag:<key> filter each, and every Describe that pages follows
 *     NextToken to the end;
 *   - aws_vpc matches exactly one VPC or fails with Terraform's messages
 *     ("no matching EC2 VPC found", "multiple EC2 VPCs matched; ...").
 */
#include "providers/aws/aws_ec2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))
/* Most filter values one data source sends (AWS's own limit is 200 per
 * filter; this bounds the parameter list built from a configuration). */
#define DS_MAX_FILTER_VALUES 200
/* Page size of the Describe calls that page. */
#define DS_PAGE_SIZE 1000

#pragma GCC visibility push(hidden)
/* aws_data_policy.c: aws_iam_policy_document. */
extern const prov_schema aws_data_policy_schema;
int aws_data_policy_read(prov_instance *p, const prov_call *c, val config, val *state,
                         prov_diag *d);
#pragma GCC visibility pop

static const aws_pager ec2_pager = {"NextToken", "nextToken"};

/* ================================================================ shared */

/* The `filter` block every EC2 data source has. */
static const prov_attr filter_attrs[] = {
    {"name", "string", PROV_REQUIRED, NULL, "Name of the EC2 filter."},
    {"values", "set(string)", PROV_REQUIRED, NULL, "Values; any of them matches."},
};
static const prov_schema filter_schema = {filter_attrs, NELEM(filter_attrs), NULL, 0};
static const prov_block filter_block[] = {
    {"filter", PROV_NEST_SET, 0, 0, 0, &filter_schema},
};

/* The known strings of a list or set value v (borrowed) into out[0..max);
 * returns how many. */
static size_t strings_of(const val *v, const char **out, size_t max)
{
    size_t n = 0;
    if (!v || val_is_null(*v) || val_is_unknown(*v))
        return 0;
    for (size_t i = 0; i < val_len(*v) && n < max; i++) {
        const val *e = val_at(*v, i);
        if (e && val_kind(*e) == VAL_STRING && !val_is_unknown(*e))
            out[n++] = val_get_string(*e);
    }
    return n;
}

/* Whether s is among the strings of list/set attribute name of cfg. */
static int in_set(val cfg, const char *name, const char *s)
{
    const val *v = aws_arg(cfg, name);
    for (size_t i = 0; v && s && i < val_len(*v); i++) {
        const val *e = val_at(*v, i);
        if (val_kind(*e) == VAL_STRING && strcmp(val_get_string(*e), s) == 0)
            return 1;
    }
    return 0;
}

/* Filter.<*idx> name=value when value is set; *idx advances. */
static void add_filter1(aws_params *prm, int *idx, const char *name, const char *value)
{
    if (value && *value)
        aws_params_add_filter(prm, (*idx)++, name, &value, 1);
}

/* One Filter.N per `filter` block of cfg. */
static void add_filter_blocks(aws_params *prm, int *idx, val cfg)
{
    const val *fs = aws_arg(cfg, "filter");
    for (size_t i = 0; fs && i < val_len(*fs); i++) {
        const val *f = val_at(*fs, i);
        const char *name = aws_arg_str(*f, "name");
        const char *vals[DS_MAX_FILTER_VALUES];
        size_t n = strings_of(aws_arg(*f, "values"), vals, NELEM(vals));
        if (name && n)
            aws_params_add_filter(prm, (*idx)++, name, vals, n);
    }
}

/* One tag:<key> filter per entry of map attribute name of cfg. */
static void add_tag_filters(aws_params *prm, int *idx, val cfg, const char *name)
{
    const val *m = aws_arg(cfg, name);
    for (size_t i = 0; m && i < val_len(*m); i++) {
        const val *v = val_at(*m, i);
        if (val_kind(*v) != VAL_STRING || val_is_unknown(*v))
            continue;
        char *fname = xasprintf("tag:%s", val_key_at(*m, i));
        add_filter1(prm, idx, fname, val_get_string(*v));
        free(fname);
    }
}

/* Every item of a Describe response, page after page. */
struct ds_pages {
    const char *set;
    aws_ec2_item_fn fn;
    void *payload;
};

static int on_ds_page(const aws_response *resp, void *payload)
{
    struct ds_pages *pg = payload;
    aws_xml_node *set = aws_xml_find(aws_xml_root(resp->xml), pg->set);
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item")) {
        int rc = pg->fn(it, pg->payload);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Run EC2 action with prm (consumed), following NextToken when paged, and
 * call fn for every item of the element set.  Returns 0 or the client's
 * error (e filled for AWS errors). */
static int ds_describe(prov_instance *p, const char *action, aws_params *prm, int paged,
                       const char *set, aws_ec2_item_fn fn, void *payload, aws_error *e)
{
    struct ds_pages pg = {set, fn, payload};
    aws_request req = {.svc = AWS_EC2, .action = action, .retry = AWS_RETRY_SAFE,
                       .params = prm};
    int rc;
    memset(e, 0, sizeof *e);
    if (paged) {
        char mr[16];
        snprintf(mr, sizeof mr, "%d", DS_PAGE_SIZE);
        aws_params_add(prm, "MaxResults", mr);
        rc = aws_paginate(p->client, &req, &ec2_pager, on_ds_page, &pg, e);
    } else {
        aws_response resp;
        rc = aws_call(p->client, &req, &resp, e);
        if (rc == 0) {
            rc = on_ds_page(&resp, &pg);
            aws_response_free(&resp);
        }
    }
    aws_params_free(prm);
    return rc < 0 ? rc : 0;
}

/* A configuration the engine handed over: a known object. */
static int check_config(val cfg, prov_diag *d)
{
    if (!val_is_valid(cfg) || val_kind(cfg) != VAL_OBJECT || val_is_unknown(cfg))
        return aws_fail(d, CAIRN_EINVAL, NULL, "Invalid data source configuration",
                        "The configuration is not a known object.");
    return 0;
}

/* A list(string) value of strs[0..n). */
static val str_list(char *const *strs, size_t n)
{
    val l = val_list_empty(ty_string());
    for (size_t i = 0; i < n; i++)
        l = val_list_append(l, val_string(strs[i]));
    return l;
}

/* A growable array of owned strings. */
typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void sv_push(strvec *s, char *owned)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = owned;
}

static void sv_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    *s = (strvec){0};
}

/* ================================================================ aws_availability_zones */

static const prov_attr az_attrs[] = {
    {"all_availability_zones", "bool", PROV_OPTIONAL, NULL,
     "Include all zones (Local and Wavelength Zones too) whatever their opt-in status."},
    {"exclude_names", "set(string)", PROV_OPTIONAL, NULL, "Zone names to leave out."},
    {"exclude_zone_ids", "set(string)", PROV_OPTIONAL, NULL, "Zone ids to leave out."},
    {"group_names", "set(string)", PROV_COMPUTED, NULL, "Zone group names."},
    {"id", "string", PROV_COMPUTED, NULL, "The region."},
    {"names", "list(string)", PROV_COMPUTED, NULL, "Zone names, sorted."},
    {"state", "string", PROV_OPTIONAL, NULL,
     "Only zones in this state: available, information, impaired or unavailable."},
    {"zone_ids", "list(string)", PROV_COMPUTED, NULL, "Zone ids, in the order of names."},
};
static const prov_schema az_schema = {az_attrs, NELEM(az_attrs), filter_block, 1};

/* One zone as listed. */
typedef struct az {
    char *name, *id, *group;
} az;

struct az_list {
    val cfg;
    az *v;
    size_t n, cap;
};

static int on_az(const aws_xml_node *item, void *payload)
{
    struct az_list *l = payload;
    az z = {aws_xml_text(item, "zoneName"), aws_xml_text(item, "zoneId"),
            aws_xml_text(item, "groupName")};
    if (!z.name || in_set(l->cfg, "exclude_names", z.name) ||
        in_set(l->cfg, "exclude_zone_ids", z.id)) {
        free(z.name);
        free(z.id);
        free(z.group);
        return 0;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = z;
    return 0;
}

static int az_cmp(const void *a, const void *b)
{
    return strcmp(((const az *)a)->name, ((const az *)b)->name);
}

static int az_validate(val cfg, prov_diag *d)
{
    static const char *const states[] = {"available", "information", "impaired",
                                         "unavailable"};
    const char *st = aws_arg_str(cfg, "state");
    for (size_t i = 0; st && i < NELEM(states); i++)
        if (strcmp(st, states[i]) == 0)
            return 0;
    if (!st)
        return 0;
    return aws_fail(d, CAIRN_EINVAL, "state", "Invalid state", "expected state to be one of "
                    "[\"available\" \"information\" \"impaired\" \"unavailable\"], got %s", st);
}

/* read: zones sorted by name (as Terraform sorts them), exclusions applied. */
static int az_read(prov_instance *p, const prov_call *c, val cfg, val *state, prov_diag *d)
{
    (void)c;
    *state = val_invalid();
    int all = 0, idx = 1, rc = check_config(cfg, d);
    if (rc == 0)
        rc = az_validate(cfg, d);
    if (rc < 0)
        return rc;
    aws_params *prm = aws_params_new();
    if (aws_arg_bool(cfg, "all_availability_zones", &all) && all)
        aws_params_add(prm, "AllAvailabilityZones", "true");
    add_filter1(prm, &idx, "state", aws_arg_str(cfg, "state"));
    add_filter_blocks(prm, &idx, cfg);
    struct az_list l = {cfg, NULL, 0, 0};
    aws_error e;
    rc = ds_describe(p, "DescribeAvailabilityZones", prm, 0, "availabilityZoneInfo", on_az,
                     &l, &e);
    if (rc < 0)
        aws_fail_call(d, rc, &e, "reading EC2 Availability Zones");
    if (rc == 0) {
        if (l.n)
            qsort(l.v, l.n, sizeof *l.v, az_cmp);
        val names = val_list_empty(ty_string()), ids = val_list_empty(ty_string());
        val groups = val_set_empty(ty_string());
        for (size_t i = 0; i < l.n; i++) {
            names = val_list_append(names, val_string(l.v[i].name));
            ids = val_list_append(ids, val_string(l.v[i].id ? l.v[i].id : ""));
            if (l.v[i].group)
                groups = val_set_add(groups, val_string(l.v[i].group));
        }
        val st = val_object_set(val_copy(cfg), "names", names);
        st = val_object_set(st, "zone_ids", ids);
        st = val_object_set(st, "group_names", groups);
        *state = aws_state_str(st, "id", aws_client_region(p->client));
    }
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].name);
        free(l.v[i].id);
        free(l.v[i].group);
    }
    free(l.v);
    return rc;
}

/* ================================================================ aws_vpc */

static const prov_attr vpc_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the VPC."},
    {"cidr_block", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL, "The IPv4 CIDR block."},
    {"cidr_block_associations",
     "list(object({association_id=string, cidr_block=string, state=string}))",
     PROV_COMPUTED, NULL, "The IPv4 CIDR blocks associated with the VPC."},
    {"default", "bool", PROV_OPTIONAL | PROV_COMPUTED, NULL, "Whether it is the default VPC."},
    {"dhcp_options_id", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL, "The DHCP options."},
    {"enable_dns_hostnames", "bool", PROV_COMPUTED, NULL, "DNS hostnames in the VPC."},
    {"enable_dns_support", "bool", PROV_COMPUTED, NULL, "DNS support in the VPC."},
    {"enable_network_address_usage_metrics", "bool", PROV_COMPUTED, NULL,
     "Network Address Usage metrics."},
    {"id", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL, "The VPC id."},
    {"instance_tenancy", "string", PROV_COMPUTED, NULL, "Tenancy of instances."},
    {"ipv6_association_id", "string", PROV_COMPUTED, NULL, "First IPv6 association."},
    {"ipv6_cidr_block", "string", PROV_COMPUTED, NULL, "First IPv6 CIDR block."},
    {"main_route_table_id", "string", PROV_COMPUTED, NULL, "The main route table."},
    {"owner_id", "string", PROV_COMPUTED, NULL, "Account that owns the VPC."},
    {"state", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL, "pending or available."},
    {"tags", "map(string)", PROV_OPTIONAL | PROV_COMPUTED, NULL, "Tags the VPC must have."},
};
static const prov_schema vpc_schema = {vpc_attrs, NELEM(vpc_attrs), filter_block, 1};

/* What DescribeVpcs tells of one VPC. */
static const aws_ec2_field vpc_fields[] = {
    {"cidr_block", "cidrBlock", AWS_EC2_STR},
    {"default", "isDefault", AWS_EC2_BOOL},
    {"dhcp_options_id", "dhcpOptionsId", AWS_EC2_STR},
    {"id", "vpcId", AWS_EC2_STR},
    {"instance_tenancy", "instanceTenancy", AWS_EC2_STR},
    {"owner_id", "ownerId", AWS_EC2_STR},
    {"state", "state", AWS_EC2_STR},
};

struct vpc_match {
    val st;        /* the first match, from the configuration */
    size_t n;      /* how many matched */
};

/* cidr_block_associations of item. */
static val vpc_assocs(const aws_xml_node *item)
{
    val l = val_tuple_empty();
    const aws_xml_node *set = aws_xml_find(item, "cidrBlockAssociationSet");
    for (aws_xml_node *a = aws_xml_first(set, "item"); a; a = aws_xml_next(a, "item")) {
        char *id = aws_xml_text(a, "associationId"), *cidr = aws_xml_text(a, "cidrBlock");
        char *st = aws_xml_text(a, "cidrBlockState/state");
        val o = aws_state_str(val_object_empty(), "association_id", id);
        o = aws_state_str(o, "cidr_block", cidr);
        l = val_tuple_append(l, aws_state_str(o, "state", st));
        free(id);
        free(cidr);
        free(st);
    }
    return l;
}

static int on_vpc(const aws_xml_node *item, void *payload)
{
    struct vpc_match *m = payload;
    if (m->n++ > 0)
        return 0;
    val st = aws_ec2_fields(m->st, item, vpc_fields, NELEM(vpc_fields), val_null());
    st = val_object_set(st, "cidr_block_associations", vpc_assocs(item));
    /* The first IPv6 association, whatever its state, as Terraform reads it. */
    const aws_xml_node *a = aws_xml_find(item, "ipv6CidrBlockAssociationSet/item");
    char *assoc = aws_xml_text(a, "associationId"), *cidr = aws_xml_text(a, "ipv6CidrBlock");
    st = aws_state_str(st, "ipv6_association_id", a ? assoc : NULL);
    st = aws_state_str(st, "ipv6_cidr_block", a ? cidr : NULL);
    free(assoc);
    free(cidr);
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    m->st = val_object_set(st, "tags", aws_tags_val(&tags));
    aws_kv_free(&tags);
    return 0;
}

/* The aws_vpc resource type (aws_ec2_vpc.c), whose read fills what
 * DescribeVpcs does not report. */
static const prov_resource_type *vpc_resource(void)
{
    for (size_t i = 0; i < aws_ec2_vpc_family.ntypes; i++)
        if (strcmp(aws_ec2_vpc_family.types[i].name, "aws_vpc") == 0)
            return &aws_ec2_vpc_family.types[i];
    return NULL;
}

/* The attributes the resource's read adds: ARN, DNS attributes, main
 * route table.  A VPC gone in between is "no matching". */
static int vpc_complete(prov_instance *p, const prov_call *c, val *st, prov_diag *d)
{
    static const char *const from_resource[] = {
        "arn", "enable_dns_hostnames", "enable_dns_support",
        "enable_network_address_usage_metrics", "main_route_table_id"};
    const prov_resource_type *rt = vpc_resource();
    if (!rt)
        return aws_fail(d, CAIRN_EINVAL, NULL, "reading EC2 VPC", "aws_vpc is not built in.");
    val prior = val_object_set(val_object_empty(), "id", val_string(aws_arg_str(*st, "id")));
    val full = val_invalid();
    int rc = rt->ops.read(p, c, prior, &full, d);
    val_free(prior);
    if (rc == 0 && val_is_null(full))
        rc = aws_fail(d, CAIRN_ENOTFOUND, NULL, "no matching EC2 VPC found", NULL);
    for (size_t i = 0; rc == 0 && i < NELEM(from_resource); i++) {
        const val *v = val_lookup(full, from_resource[i]);
        *st = val_object_set(*st, from_resource[i], v ? val_copy(*v) : val_null());
    }
    val_free(full);
    return rc;
}

/* read: DescribeVpcs by id, attribute filters, tags and filter blocks;
 * exactly one must match. */
static int vpc_read(prov_instance *p, const prov_call *c, val cfg, val *state, prov_diag *d)
{
    *state = val_invalid();
    int rc = check_config(cfg, d), dflt = 0, idx = 1;
    if (rc < 0)
        return rc;
    aws_params *prm = aws_params_new();
    const char *id = aws_arg_str(cfg, "id");
    if (id)
        aws_params_add(prm, "VpcId.1", id);
    add_filter1(prm, &idx, "cidr", aws_arg_str(cfg, "cidr_block"));
    add_filter1(prm, &idx, "dhcp-options-id", aws_arg_str(cfg, "dhcp_options_id"));
    if (aws_arg_bool(cfg, "default", &dflt) && dflt)
        add_filter1(prm, &idx, "isDefault", "true");
    add_filter1(prm, &idx, "state", aws_arg_str(cfg, "state"));
    add_tag_filters(prm, &idx, cfg, "tags");
    add_filter_blocks(prm, &idx, cfg);
    struct vpc_match m = {val_copy(cfg), 0};
    aws_error e;
    rc = ds_describe(p, "DescribeVpcs", prm, id == NULL, "vpcSet", on_vpc, &m, &e);
    if (rc == CAIRN_EREMOTE && aws_error_is(&e, "InvalidVpcID.NotFound"))
        rc = 0, m.n = 0;       /* an id that does not exist matches nothing */
    else if (rc < 0)
        aws_fail_call(d, rc, &e, "reading EC2 VPCs");
    if (rc == 0 && m.n == 0)
        rc = aws_fail(d, CAIRN_ENOTFOUND, NULL, "no matching EC2 VPC found", NULL);
    else if (rc == 0 && m.n > 1)
        rc = aws_fail(d, CAIRN_EINVAL, NULL, "multiple EC2 VPCs matched; use additional "
                      "constraints to reduce matches to a single EC2 VPC", NULL);
    if (rc == 0)
        rc = vpc_complete(p, c, &m.st, d);
    if (rc == 0)
        *state = m.st;
    else
        val_free(m.st);
    return rc;
}

/* ================================================================ aws_subnets */

static const prov_attr subnets_attrs[] = {
    {"id", "string", PROV_COMPUTED, NULL, "The region."},
    {"ids", "list(string)", PROV_COMPUTED, NULL, "Ids of the subnets that match."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags the subnets must have."},
};
static const prov_schema subnets_schema = {subnets_attrs, NELEM(subnets_attrs),
                                           filter_block, 1};

static int on_subnet(const aws_xml_node *item, void *payload)
{
    char *id = aws_xml_text(item, "subnetId");
    if (id)
        sv_push(payload, id);
    return 0;
}

/* read: every subnet matching the tags and filter blocks, in API order. */
static int subnets_read(prov_instance *p, const prov_call *c, val cfg, val *state,
                        prov_diag *d)
{
    (void)c;
    *state = val_invalid();
    int idx = 1, rc = check_config(cfg, d);
    if (rc < 0)
        return rc;
    aws_params *prm = aws_params_new();
    add_tag_filters(prm, &idx, cfg, "tags");
    add_filter_blocks(prm, &idx, cfg);
    strvec ids = {0};
    aws_error e;
    rc = ds_describe(p, "DescribeSubnets", prm, 1, "subnetSet", on_subnet, &ids, &e);
    if (rc < 0)
        aws_fail_call(d, rc, &e, "reading EC2 Subnets");
    if (rc == 0) {
        val st = val_object_set(val_copy(cfg), "ids", str_list(ids.v, ids.n));
        *state = aws_state_str(st, "id", aws_client_region(p->client));
    }
    sv_free(&ids);
    return rc;
}

/* ================================================================ aws_caller_identity */

static const prov_attr caller_attrs[] = {
    {"account_id", "string", PROV_COMPUTED, NULL, "The account of the credentials."},
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the calling identity."},
    {"id", "string", PROV_COMPUTED, NULL, "The account id."},
    {"user_id", "string", PROV_COMPUTED, NULL, "Unique id of the calling identity."},
};
static const prov_schema caller_schema = {caller_attrs, NELEM(caller_attrs), NULL, 0};

/* read: STS GetCallerIdentity. */
static int caller_read(prov_instance *p, const prov_call *c, val cfg, val *state,
                       prov_diag *d)
{
    (void)c;
    *state = val_invalid();
    int rc = check_config(cfg, d);
    if (rc < 0)
        return rc;
    aws_request req = {.svc = AWS_STS, .action = "GetCallerIdentity",
                       .retry = AWS_RETRY_SAFE};
    aws_response resp;
    aws_error e;
    rc = aws_call(p->client, &req, &resp, &e);
    if (rc < 0)
        return aws_fail_call(d, rc, &e, "reading STS Caller Identity");
    const aws_xml_node *r = aws_xml_find(aws_xml_root(resp.xml), "GetCallerIdentityResult");
    char *acct = aws_xml_text(r, "Account"), *arn = aws_xml_text(r, "Arn");
    char *uid = aws_xml_text(r, "UserId");
    aws_response_free(&resp);
    if (!acct || !*acct) {
        rc = aws_fail(d, CAIRN_EPROTO, NULL, "reading STS Caller Identity",
                      "GetCallerIdentity returned no account id.");
    } else {
        val st = aws_state_str(val_copy(cfg), "account_id", acct);
        st = aws_state_str(st, "arn", arn);
        st = aws_state_str(st, "user_id", uid);
        *state = aws_state_str(st, "id", acct);
    }
    free(acct);
    free(arn);
    free(uid);
    return rc;
}

/* ================================================================ aws_region */

static const prov_attr region_attrs[] = {
    {"description", "string", PROV_COMPUTED, NULL, "The region's description."},
    {"endpoint", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "The region's EC2 endpoint host name (selects the region when set)."},
    {"id", "string", PROV_COMPUTED, NULL, "The region name."},
    {"name", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "The region (default: the provider's)."},
};
static const prov_schema region_schema = {region_attrs, NELEM(region_attrs), NULL, 0};

/* The regions of the aws, aws-cn and aws-us-gov partitions with their
 * descriptions (as AWS's endpoint metadata names them). */
static const struct {
    const char *name, *description;
} regions[] = {
    {"af-south-1", "Africa (Cape Town)"},
    {"ap-east-1", "Asia Pacific (Hong Kong)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"},
    {"ap-northeast-2", "Asia Pacific (Seoul)"},
    {"ap-northeast-3", "Asia Pacific (Osaka)"},
    {"ap-south-1", "Asia Pacific (Mumbai)"},
    {"ap-south-2", "Asia Pacific (Hyderabad)"},
    {"ap-southeast-1", "Asia Pacific (Singapore)"},
    {"ap-southeast-2", "Asia Pacific (Sydney)"},
    {"ap-southeast-3", "Asia Pacific (Jakarta)"},
    {"ap-southeast-4", "Asia Pacific (Melbourne)"},
    {"ca-central-1", "Canada (Central)"},
    {"ca-west-1", "Canada West (Calgary)"},
    {"cn-north-1", "China (Beijing)"},
    {"cn-northwest-1", "China (Ningxia)"},
    {"eu-central-1", "Europe (Frankfurt)"},
    {"eu-central-2", "Europe (Zurich)"},
    {"eu-north-1", "Europe (Stockholm)"},
    {"eu-south-1", "Europe (Milan)"},
    {"eu-south-2", "Europe (Spain)"},
    {"eu-west-1", "Europe (Ireland)"},
    {"eu-west-2", "Europe (London)"},
    {"eu-west-3", "Europe (Paris)"},
    {"il-central-1", "Israel (Tel Aviv)"},
    {"me-central-1", "Middle East (UAE)"},
    {"me-south-1", "Middle East (Bahrain)"},
    {"sa-east-1", "South America (Sao Paulo)"},
    {"us-east-1", "US East (N. Virginia)"},
    {"us-east-2", "US East (Ohio)"},
    {"us-gov-east-1", "AWS GovCloud (US-East)"},
    {"us-gov-west-1", "AWS GovCloud (US-West)"},
    {"us-west-1", "US West (N. California)"},
    {"us-west-2", "US West (Oregon)"},
};

/* "ec2.<region>.<dns suffix>", owned. */
static char *region_endpoint(const char *name)
{
    int cn = strncmp(name, "cn-", 3) == 0;
    return xasprintf("ec2.%s.%s", name, cn ? "amazonaws.com.cn" : "amazonaws.com");
}

/* The table index of name, or -1. */
static long region_find(const char *name)
{
    for (size_t i = 0; name && i < NELEM(regions); i++)
        if (strcmp(regions[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* read: by name, else by endpoint, else the provider's region.  A region
 * the table does not know is accepted only when it is the provider's own
 * (skip_region_validation), without a description. */
static int region_read(prov_instance *p, const prov_call *c, val cfg, val *state,
                       prov_diag *d)
{
    (void)c;
    *state = val_invalid();
    int rc = check_config(cfg, d);
    if (rc < 0)
        return rc;
    const char *name = aws_arg_str(cfg, "name"), *ep = aws_arg_str(cfg, "endpoint");
    long i = region_find(name);
    if (name && i < 0)
        return aws_fail(d, CAIRN_ENOTFOUND, "name", "region not found",
                        "region not found for name: \"%s\"", name);
    for (size_t k = 0; !name && ep && k < NELEM(regions); k++) {
        char *e = region_endpoint(regions[k].name);
        if (strcmp(e, ep) == 0)
            i = (long)k;
        free(e);
    }
    if (!name && ep && i < 0)
        return aws_fail(d, CAIRN_ENOTFOUND, "endpoint", "region not found",
                        "region not found for endpoint: \"%s\"", ep);
    if (!name && !ep)
        i = region_find(aws_client_region(p->client));
    const char *rname = i >= 0 ? regions[i].name : aws_client_region(p->client);
    char *endpoint = region_endpoint(rname);
    if (ep && strcmp(ep, endpoint) != 0) {
        free(endpoint);
        return aws_fail(d, CAIRN_EINVAL, "endpoint", "region endpoint mismatch",
                        "the endpoint \"%s\" is not the region %s's", ep, rname);
    }
    val st = aws_state_str(val_copy(cfg), "name", rname);
    st = aws_state_str(st, "endpoint", endpoint);
    st = aws_state_str(st, "description", i >= 0 ? regions[i].description : NULL);
    *state = aws_state_str(st, "id", rname);
    free(endpoint);
    return 0;
}

/* ================================================================ the table */

static const prov_data_source sources[] = {
    {"aws_availability_zones", &az_schema, az_read},
    {"aws_caller_identity", &caller_schema, caller_read},
    {"aws_iam_policy_document", &aws_data_policy_schema, aws_data_policy_read},
    {"aws_region", &region_schema, region_read},
    {"aws_subnets", &subnets_schema, subnets_read},
    {"aws_vpc", &vpc_schema, vpc_read},
};

const aws_data_family aws_data_sources = {sources, NELEM(sources)};
