/*
 * providers/aws/aws_ec2_vpc.c — the VPC family: aws_vpc and aws_subnet as
 * Terraform's AWS provider documents them, over EC2 CreateVpc,
 * DescribeVpcs, DescribeVpcAttribute, ModifyVpcAttribute, ModifyVpcTenancy,
 * DeleteVpc, CreateSubnet, DescribeSubnets, ModifySubnetAttribute,
 * DeleteSubnet, CreateTags and DeleteTags.
 *
 * Each type is data (schema, field table, aws_ec2_type) plus the calls the
 * API makes specific: create parameters, attribute changes, validation and
 * the conditional replacements of `plan`.  The rest is aws_ec2.c's.
 *
 * What must stay true:
 *   - a refresh of n VPCs or subnets is one Describe per 200 ids (plus, for
 *     VPCs, three DescribeVpcAttribute each — the API has no batch form —
 *     and one batched call each for main route tables, default security
 *     groups and default network ACLs);
 *   - arguments the API never reports back (IPAM pools, netmask lengths)
 *     keep their prior values, and optional arguments the API reports as
 *     false/empty stay null when the configuration left them unset, so a
 *     refresh of an unchanged object equals its state;
 *   - in-place IPv6 CIDR changes are refused with a message (they need
 *     Associate/Disassociate*CidrBlock, not implemented yet).
 */
#include "providers/aws/aws_ec2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Terraform's defaults for the timeouts block. */
#define VPC_CREATE_TIMEOUT_MS (10L * 60 * 1000)
#define VPC_DELETE_TIMEOUT_MS (5L * 60 * 1000)
#define SUBNET_CREATE_TIMEOUT_MS (10L * 60 * 1000)
#define SUBNET_DELETE_TIMEOUT_MS (20L * 60 * 1000)
/* CIDR prefix lengths EC2 accepts for a VPC, and the IPv6 block size. */
#define VPC_CIDR_MIN 16
#define VPC_CIDR_MAX 28
#define VPC_IPV6_NETMASK 56

#define NELEM(a) (sizeof(a) / sizeof *(a))

static const char *const ready_states[] = {"available", NULL};
static const char *const busy_codes[] = {"DependencyViolation", NULL};

static const aws_ec2_type vpc_type, subnet_type;

/* ================================================================ schemas */

static const prov_attr vpc_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the VPC."},
    {"assign_generated_ipv6_cidr_block", "bool", PROV_OPTIONAL, "false",
     "Request an Amazon-provided /56 IPv6 CIDR block."},
    {"cidr_block", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "The IPv4 CIDR block of the VPC."},
    {"default_network_acl_id", "string", PROV_COMPUTED, NULL, "The default network ACL."},
    {"default_route_table_id", "string", PROV_COMPUTED, NULL, "The default route table."},
    {"default_security_group_id", "string", PROV_COMPUTED, NULL,
     "The default security group."},
    {"dhcp_options_id", "string", PROV_COMPUTED, NULL, "The DHCP options set."},
    {"enable_dns_hostnames", "bool", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "DNS hostnames in the VPC (AWS's default: false)."},
    {"enable_dns_support", "bool", PROV_OPTIONAL, "true", "DNS support in the VPC."},
    {"enable_network_address_usage_metrics", "bool", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Network Address Usage metrics."},
    {"id", "string", PROV_COMPUTED, NULL, "The VPC id."},
    {"instance_tenancy", "string", PROV_OPTIONAL, "\"default\"",
     "Tenancy of instances launched into the VPC: default or dedicated."},
    {"ipv4_ipam_pool_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "IPAM pool to allocate the IPv4 CIDR from."},
    {"ipv4_netmask_length", "number", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Netmask length of the IPv4 CIDR allocated from IPAM."},
    {"ipv6_association_id", "string", PROV_COMPUTED, NULL,
     "Association id of the IPv6 CIDR block."},
    {"ipv6_cidr_block", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "The IPv6 CIDR block."},
    {"ipv6_cidr_block_network_border_group", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Network border group of the IPv6 CIDR block."},
    {"ipv6_ipam_pool_id", "string", PROV_OPTIONAL, NULL, "IPAM pool of the IPv6 CIDR."},
    {"ipv6_netmask_length", "number", PROV_OPTIONAL, NULL, "Netmask length (56)."},
    {"main_route_table_id", "string", PROV_COMPUTED, NULL, "The main route table."},
    {"owner_id", "string", PROV_COMPUTED, NULL, "Account that owns the VPC."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the VPC."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
};
static const prov_schema vpc_schema = {vpc_attrs, NELEM(vpc_attrs), NULL, 0};

static const prov_attr subnet_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the subnet."},
    {"assign_ipv6_address_on_creation", "bool", PROV_OPTIONAL, "false",
     "Network interfaces created here get an IPv6 address."},
    {"availability_zone", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "Availability zone of the subnet."},
    {"availability_zone_id", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "Availability zone id of the subnet."},
    {"cidr_block", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "The IPv4 CIDR block of the subnet."},
    {"customer_owned_ipv4_pool", "string", PROV_OPTIONAL, NULL,
     "Customer-owned IPv4 pool (Outposts)."},
    {"enable_dns64", "bool", PROV_OPTIONAL, "false", "DNS64 for IPv6-only destinations."},
    {"enable_lni_at_device_index", "number", PROV_OPTIONAL, NULL,
     "Device position for local network interfaces (Outposts)."},
    {"enable_resource_name_dns_a_record_on_launch", "bool", PROV_OPTIONAL, "false",
     "DNS A records for instance hostnames."},
    {"enable_resource_name_dns_aaaa_record_on_launch", "bool", PROV_OPTIONAL, "false",
     "DNS AAAA records for instance hostnames."},
    {"id", "string", PROV_COMPUTED, NULL, "The subnet id."},
    {"ipv4_ipam_pool_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "IPAM pool to allocate the IPv4 CIDR from."},
    {"ipv4_netmask_length", "number", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Netmask length of the IPv4 CIDR allocated from IPAM."},
    {"ipv6_cidr_block", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "The IPv6 CIDR block (/64)."},
    {"ipv6_cidr_block_association_id", "string", PROV_COMPUTED, NULL,
     "Association id of the IPv6 CIDR block."},
    {"ipv6_ipam_pool_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "IPAM pool of the IPv6 CIDR."},
    {"ipv6_native", "bool", PROV_OPTIONAL | PROV_FORCE_NEW, "false", "IPv6-only subnet."},
    {"ipv6_netmask_length", "number", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Netmask length of the IPv6 CIDR allocated from IPAM."},
    {"map_customer_owned_ip_on_launch", "bool", PROV_OPTIONAL, NULL,
     "Customer-owned addresses for new interfaces (Outposts)."},
    {"map_public_ip_on_launch", "bool", PROV_OPTIONAL, "false",
     "Instances launched here get a public IP address."},
    {"outpost_arn", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL, "ARN of the Outpost."},
    {"owner_id", "string", PROV_COMPUTED, NULL, "Account that owns the subnet."},
    {"private_dns_hostname_type_on_launch", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Hostname type of instances: ip-name or resource-name."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the subnet."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
    {"vpc_id", "string", PROV_REQUIRED | PROV_FORCE_NEW, NULL, "The VPC of the subnet."},
};
static const prov_schema subnet_schema = {subnet_attrs, NELEM(subnet_attrs), NULL, 0};

/* ================================================================ shared */

/* A replacement path [[name]] for `plan`. */
static val replace_path(const char *name)
{
    val path = val_tuple_append(val_tuple_empty(), val_string(name));
    return val_tuple_append(val_tuple_empty(), path);
}

/* The string of attribute name in obj, "" when unset (comparisons). */
static const char *str_or_empty(val obj, const char *name)
{
    const char *s = aws_arg_str(obj, name);
    return s ? s : "";
}

/* Add the calls a step made (rc >= 0) to *total; rc when it failed, else 0. */
static int tally(int *total, int rc)
{
    if (rc > 0)
        *total += rc;
    return rc < 0 ? rc : 0;
}

/* Refuse a change of attribute name that needs calls not implemented yet. */
static int refuse_change(val prior, val planned, const char *name, const char *noun,
                         prov_diag *d)
{
    if (!aws_arg(planned, name) || !aws_arg_changed(prior, planned, name))
        return 0;
    return aws_fail(d, CAIRN_EINVAL, name, "Change not supported in place",
                    "Changing %s of an existing %s is not supported by cairn yet. "
                    "Replace the object instead (cairn apply -replace=ADDRESS).", name, noun);
}

/* Add name=value when obj's attribute is set (strings and whole numbers). */
static void add_arg(aws_params *prm, val obj, const char *attr, const char *param)
{
    const char *s = aws_arg_str(obj, attr);
    double n;
    if (s && *s) {
        aws_params_add(prm, param, s);
    } else if (aws_arg_num(obj, attr, &n)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.0f", n);
        aws_params_add(prm, param, buf);
    }
}

/* ================================================================ aws_vpc: reading */

static const aws_ec2_field vpc_fields[] = {
    {"cidr_block", "cidrBlock", AWS_EC2_STR},
    {"dhcp_options_id", "dhcpOptionsId", AWS_EC2_STR},
    {"id", "vpcId", AWS_EC2_STR},
    {"instance_tenancy", "instanceTenancy", AWS_EC2_STR},
    {"owner_id", "ownerId", AWS_EC2_STR},
    {"ipv4_ipam_pool_id", NULL, AWS_EC2_KEEP},
    {"ipv4_netmask_length", NULL, AWS_EC2_KEEP},
};

/* The associated IPv6 CIDR association of item: prior's association id
 * first, else the last one associated (as Terraform picks it). */
static const aws_xml_node *vpc_ipv6_assoc(const aws_xml_node *item, val prior)
{
    const char *want = aws_arg_str(prior, "ipv6_association_id");
    const aws_xml_node *set = aws_xml_find(item, "ipv6CidrBlockAssociationSet"), *pick = NULL;
    for (aws_xml_node *a = aws_xml_first(set, "item"); a; a = aws_xml_next(a, "item")) {
        char *st = aws_xml_text(a, "ipv6CidrBlockState/state");
        char *id = aws_xml_text(a, "associationId");
        int ok = st && strcmp(st, "associated") == 0;
        int match = ok && want && id && strcmp(id, want) == 0;
        free(st);
        free(id);
        if (match)
            return a;
        if (ok)
            pick = a;
    }
    return pick;
}

/* The IPv6 attributes as Terraform's read sets them. */
static val vpc_ipv6(val st, const aws_xml_node *item, val prior)
{
    const aws_xml_node *a = vpc_ipv6_assoc(item, prior);
    st = aws_state_bool(st, "assign_generated_ipv6_cidr_block", 0);
    if (!a)
        return st;
    char *cidr = aws_xml_text(a, "ipv6CidrBlock"), *pool = aws_xml_text(a, "ipv6Pool");
    char *assoc = aws_xml_text(a, "associationId"), *nbg = aws_xml_text(a, "networkBorderGroup");
    int amazon = pool && strcmp(pool, "Amazon") == 0;
    st = aws_state_bool(st, "assign_generated_ipv6_cidr_block", amazon);
    st = aws_state_str(st, "ipv6_association_id", assoc);
    st = aws_state_str(st, "ipv6_cidr_block", cidr);
    st = aws_state_str(st, "ipv6_cidr_block_network_border_group", nbg);
    if (pool && *pool && !amazon) {
        if (strcmp(pool, "IPAM Managed") == 0)
            st = aws_state_keep(st, prior, "ipv6_ipam_pool_id");
        else
            st = aws_state_str(st, "ipv6_ipam_pool_id", pool);
        const char *slash = cidr ? strchr(cidr, '/') : NULL;
        if (slash)
            st = aws_state_num(st, "ipv6_netmask_length", strtod(slash + 1, NULL));
    }
    free(cidr);
    free(pool);
    free(assoc);
    free(nbg);
    return st;
}

static val vpc_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    val st = aws_ec2_fields(aws_state_new(&vpc_schema), item, vpc_fields, NELEM(vpc_fields),
                            prior);
    char *id = aws_xml_text(item, "vpcId"), *owner = aws_xml_text(item, "ownerId");
    char *res = xasprintf("vpc/%s", id ? id : "");
    char *arn = aws_arn(p, "ec2", owner, res);
    st = aws_state_str(st, "arn", arn);
    free(arn);
    free(res);
    free(id);
    free(owner);
    st = vpc_ipv6(st, item, prior);
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    return st;
}

/* The three attributes DescribeVpcAttribute reports, one call each. */
static const struct {
    const char *attr, *api;
} vpc_attr_names[] = {
    {"enable_dns_hostnames", "enableDnsHostnames"},
    {"enable_dns_support", "enableDnsSupport"},
    {"enable_network_address_usage_metrics", "enableNetworkAddressUsageMetrics"},
};

/* DescribeVpcAttribute of id: *out the value; CAIRN_EREMOTE with e filled. */
static int vpc_attribute(prov_instance *p, const char *id, const char *api, int *out,
                         aws_error *e)
{
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "VpcId", id);
    aws_params_add(prm, "Attribute", api);
    aws_request req = {.svc = AWS_EC2, .action = "DescribeVpcAttribute",
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    int rc = aws_call(p->client, &req, &resp, e);
    aws_params_free(prm);
    if (rc < 0)
        return rc;
    char path[96];
    snprintf(path, sizeof path, "%s/value", api);
    char *v = aws_xml_text(aws_xml_root(resp.xml), path);
    *out = v && strcmp(v, "true") == 0;
    free(v);
    aws_response_free(&resp);
    return 0;
}

/* Fill the attributes of one VPC state; a VPC that vanished meanwhile
 * becomes null. */
static int vpc_attributes(prov_instance *p, val *st, prov_diag *d)
{
    char *id = xstrdup(aws_arg_str(*st, "id"));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < NELEM(vpc_attr_names); i++) {
        aws_error e;
        int b = 0;
        rc = vpc_attribute(p, id, vpc_attr_names[i].api, &b, &e);
        if (rc == CAIRN_EREMOTE && aws_error_is(&e, "InvalidVpcID.NotFound")) {
            val_free(*st);
            *st = val_null();
            rc = 0;
            break;
        }
        if (rc < 0)
            aws_fail_call(d, rc, &e, "reading EC2 VPC attributes");
        else
            *st = aws_state_bool(*st, vpc_attr_names[i].attr, b);
    }
    free(id);
    return rc;
}

/* One batched lookup of the VPC's default objects: for each listed item,
 * its value_path goes into attrs of the state whose id is the item's vpcId. */
struct vpc_link {
    val *states;
    size_t n;
    const char *value_path;
    const char *const *attrs;
};

static int on_vpc_link(const aws_xml_node *item, void *payload)
{
    struct vpc_link *l = payload;
    char *vpc = aws_xml_text(item, "vpcId"), *v = aws_xml_text(item, l->value_path);
    for (size_t i = 0; vpc && i < l->n; i++) {
        const char *id = aws_arg_str(l->states[i], "id");
        for (size_t a = 0; id && strcmp(id, vpc) == 0 && l->attrs[a]; a++)
            l->states[i] = aws_state_str(l->states[i], l->attrs[a], v);
    }
    free(vpc);
    free(v);
    return 0;
}

static const aws_ec2_filter main_rtb_filter[] = {{"association.main", "true"}};
static const aws_ec2_filter default_sg_filter[] = {{"group-name", "default"}};
static const aws_ec2_filter default_acl_filter[] = {{"default", "true"}};

static const struct {
    aws_ec2_query q;
    const char *value_path;
    const char *attrs[3];
} vpc_links[] = {
    {{"DescribeRouteTables", "routeTableSet", "vpc-id", 100, main_rtb_filter, 1},
     "routeTableId", {"main_route_table_id", "default_route_table_id", NULL}},
    {{"DescribeSecurityGroups", "securityGroupInfo", "vpc-id", 1000, default_sg_filter, 1},
     "groupId", {"default_security_group_id", NULL, NULL}},
    {{"DescribeNetworkAcls", "networkAclSet", "vpc-id", 100, default_acl_filter, 1},
     "networkAclId", {"default_network_acl_id", NULL, NULL}},
};

/* finish: attributes per VPC, then the default objects of all of them in
 * one call per kind. */
static int vpc_finish(prov_instance *p, val *states, size_t n, prov_diag *d)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!val_is_null(states[i]))
            rc = vpc_attributes(p, &states[i], d);
    const char **ids = xcalloc(n + 1, sizeof *ids);
    size_t nids = 0;
    for (size_t i = 0; i < n; i++)
        if (!val_is_null(states[i]) && aws_arg_str(states[i], "id"))
            ids[nids++] = aws_arg_str(states[i], "id");
    for (size_t k = 0; rc == 0 && nids && k < NELEM(vpc_links); k++) {
        struct vpc_link l = {states, n, vpc_links[k].value_path, vpc_links[k].attrs};
        aws_error e;
        rc = aws_ec2_describe(p, &vpc_links[k].q, ids, nids, on_vpc_link, &l, &e);
        if (rc < 0)
            aws_fail_call(d, rc, &e, "reading the default objects of EC2 VPCs");
    }
    free(ids);
    return rc;
}

/* ================================================================ aws_vpc: checks */

/* validate: what Terraform's schema validates (values may be unknown). */
static int vpc_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *cidr = aws_arg_str(cfg, "cidr_block");
    const char *ten = aws_arg_str(cfg, "instance_tenancy");
    double nm;
    int gen = 0;
    if (cidr && !aws_cidr4_valid(cidr, VPC_CIDR_MIN, VPC_CIDR_MAX))
        return aws_fail(d, CAIRN_EINVAL, "cidr_block", "Invalid cidr_block",
                        "\"%s\" is not an IPv4 network with a prefix length from /%d to /%d.",
                        cidr, VPC_CIDR_MIN, VPC_CIDR_MAX);
    if (ten && strcmp(ten, "default") != 0 && strcmp(ten, "dedicated") != 0)
        return aws_fail(d, CAIRN_EINVAL, "instance_tenancy", "Invalid instance_tenancy",
                        "instance_tenancy must be \"default\" or \"dedicated\", not \"%s\".",
                        ten);
    if (aws_arg_num(cfg, "ipv4_netmask_length", &nm) &&
        (cidr || !aws_arg(cfg, "ipv4_ipam_pool_id") || nm < VPC_CIDR_MIN ||
         nm > VPC_CIDR_MAX))
        return aws_fail(d, CAIRN_EINVAL, "ipv4_netmask_length", "Invalid ipv4_netmask_length",
                        "ipv4_netmask_length (%d to %d) needs ipv4_ipam_pool_id and conflicts "
                        "with cidr_block.", VPC_CIDR_MIN, VPC_CIDR_MAX);
    if (aws_arg_num(cfg, "ipv6_netmask_length", &nm) && nm != VPC_IPV6_NETMASK)
        return aws_fail(d, CAIRN_EINVAL, "ipv6_netmask_length", "Invalid ipv6_netmask_length",
                        "ipv6_netmask_length must be %d.", VPC_IPV6_NETMASK);
    if (aws_arg_bool(cfg, "assign_generated_ipv6_cidr_block", &gen) && gen &&
        aws_arg(cfg, "ipv6_ipam_pool_id"))
        return aws_fail(d, CAIRN_EINVAL, "assign_generated_ipv6_cidr_block",
                        "Conflicting arguments", "assign_generated_ipv6_cidr_block conflicts "
                        "with ipv6_ipam_pool_id.");
    return aws_tags_validate(cfg, "tags", d);
}

/* plan: tags_all, and instance_tenancy forces replacement except from
 * dedicated to default (ModifyVpcTenancy only goes that way). */
static int vpc_plan(prov_instance *p, const prov_call *c, val prior, val proposed,
                    val *planned, val *replace_paths, prov_diag *d)
{
    int rc = aws_plan_tags(p, c, prior, proposed, planned, replace_paths, d);
    if (rc == 0 && aws_arg(prior, "id") && aws_arg_changed(prior, proposed, "instance_tenancy") &&
        !(strcmp(str_or_empty(prior, "instance_tenancy"), "dedicated") == 0 &&
          strcmp(str_or_empty(proposed, "instance_tenancy"), "default") == 0)) {
        val_free(*replace_paths);
        *replace_paths = replace_path("instance_tenancy");
    }
    return rc;
}

/* ================================================================ aws_vpc: writing */

/* Enabling DNS support goes before hostnames (which need it), disabling
 * after. */
static const aws_ec2_mod vpc_mods_on[] = {
    {"enable_dns_support", "EnableDnsSupport.Value"},
    {"enable_dns_hostnames", "EnableDnsHostnames.Value"},
    {"enable_network_address_usage_metrics", "EnableNetworkAddressUsageMetrics.Value"},
};
static const aws_ec2_mod vpc_mods_off[] = {
    {"enable_dns_hostnames", "EnableDnsHostnames.Value"},
    {"enable_dns_support", "EnableDnsSupport.Value"},
    {"enable_network_address_usage_metrics", "EnableNetworkAddressUsageMetrics.Value"},
};

/* The DNS and metrics attributes, one ModifyVpcAttribute each. */
static int vpc_attrs_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                            val planned, prov_diag *d)
{
    (void)c;
    int support = 1;
    aws_arg_bool(planned, "enable_dns_support", &support);
    return aws_ec2_modify(p, &vpc_type, "ModifyVpcAttribute", id,
                          support ? vpc_mods_on : vpc_mods_off, NELEM(vpc_mods_on), prior,
                          planned, d);
}

/* After CreateVpc: its attributes start at AWS's defaults. */
static int vpc_after_create(prov_instance *p, const prov_call *c, const char *id, val created,
                            val planned, prov_diag *d)
{
    val st = aws_state_bool(val_copy(created), "enable_dns_support", 1);
    st = aws_state_bool(st, "enable_dns_hostnames", 0);
    st = aws_state_bool(st, "enable_network_address_usage_metrics", 0);
    int rc = vpc_attrs_change(p, c, id, st, planned, d);
    val_free(st);
    return rc;
}

/* update: tenancy (dedicated -> default only), attributes; IPv6 changes are
 * refused.  Returns the number of calls made. */
static int vpc_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                      val planned, prov_diag *d)
{
    static const char *const ipv6[] = {"assign_generated_ipv6_cidr_block", "ipv6_cidr_block",
                                       "ipv6_cidr_block_network_border_group",
                                       "ipv6_ipam_pool_id", "ipv6_netmask_length"};
    for (size_t i = 0; i < NELEM(ipv6); i++)
        if (refuse_change(prior, planned, ipv6[i], "VPC", d) < 0)
            return CAIRN_EINVAL;
    int calls = 0;
    if (aws_arg_changed(prior, planned, "instance_tenancy")) {
        if (strcmp(str_or_empty(planned, "instance_tenancy"), "default") != 0)
            return aws_fail(d, CAIRN_EINVAL, "instance_tenancy", "instance_tenancy needs "
                            "replacement", "EC2 changes a VPC's tenancy only from dedicated to "
                            "default; %s must be replaced (cairn apply -replace=%s).", id,
                            c->address ? c->address : "ADDRESS");
        static const char *const kv[] = {"InstanceTenancy", "default"};
        int rc = aws_ec2_simple(p, "ModifyVpcTenancy", "VpcId", id, kv, 1,
                                "modifying EC2 VPC tenancy", d);
        if (rc < 0)
            return rc;
        calls++;
    }
    int rc = tally(&calls, vpc_attrs_change(p, c, id, prior, planned, d));
    return rc < 0 ? rc : calls;
}

/* CreateVpc's own parameters. */
static void vpc_params(aws_params *prm, val planned)
{
    int gen = 0;
    add_arg(prm, planned, "cidr_block", "CidrBlock");
    add_arg(prm, planned, "instance_tenancy", "InstanceTenancy");
    if (aws_arg_bool(planned, "assign_generated_ipv6_cidr_block", &gen) && gen)
        aws_params_add(prm, "AmazonProvidedIpv6CidrBlock", "true");
    add_arg(prm, planned, "ipv4_ipam_pool_id", "Ipv4IpamPoolId");
    add_arg(prm, planned, "ipv4_netmask_length", "Ipv4NetmaskLength");
    add_arg(prm, planned, "ipv6_cidr_block", "Ipv6CidrBlock");
    add_arg(prm, planned, "ipv6_cidr_block_network_border_group",
            "Ipv6CidrBlockNetworkBorderGroup");
    add_arg(prm, planned, "ipv6_ipam_pool_id", "Ipv6IpamPoolId");
    add_arg(prm, planned, "ipv6_netmask_length", "Ipv6NetmaskLength");
}

static const aws_ec2_type vpc_type = {
    .noun = "EC2 VPC",
    .id_prefix = "vpc",
    .id_path = "vpcId",
    .state_path = "state",
    .ready = ready_states,
    .tag_rtype = "vpc",
    .query = {"DescribeVpcs", "vpcSet", "vpc-id", 0, NULL, 0},
    .build = vpc_build,
    .finish = vpc_finish,
    .id_param = "VpcId",
    .delete_action = "DeleteVpc",
    .notfound = "InvalidVpcID.NotFound",
    .busy = busy_codes,
    .create_timeout_ms = VPC_CREATE_TIMEOUT_MS,
    .delete_timeout_ms = VPC_DELETE_TIMEOUT_MS,
    .wait_gone = 1,
    .create_action = "CreateVpc",
    .create_item = "vpc",
    .create_params = vpc_params,
    .after_create = vpc_after_create,
    .change = vpc_change,
    .validate = vpc_validate,
};

AWS_EC2_OPS(vpc, vpc_type)

/* ================================================================ aws_subnet: reading */

static const aws_ec2_field subnet_fields[] = {
    {"arn", "subnetArn", AWS_EC2_STR},
    {"assign_ipv6_address_on_creation", "assignIpv6AddressOnCreation", AWS_EC2_BOOL},
    {"availability_zone", "availabilityZone", AWS_EC2_STR},
    {"availability_zone_id", "availabilityZoneId", AWS_EC2_STR},
    {"cidr_block", "cidrBlock", AWS_EC2_STR},
    {"customer_owned_ipv4_pool", "customerOwnedIpv4Pool", AWS_EC2_STR},
    {"enable_dns64", "enableDns64", AWS_EC2_BOOL},
    {"enable_lni_at_device_index", "enableLniAtDeviceIndex", AWS_EC2_NUM_OPT},
    {"enable_resource_name_dns_a_record_on_launch",
     "privateDnsNameOptionsOnLaunch/enableResourceNameDnsARecord", AWS_EC2_BOOL},
    {"enable_resource_name_dns_aaaa_record_on_launch",
     "privateDnsNameOptionsOnLaunch/enableResourceNameDnsAAAARecord", AWS_EC2_BOOL},
    {"id", "subnetId", AWS_EC2_STR},
    {"ipv6_native", "ipv6Native", AWS_EC2_BOOL},
    {"map_customer_owned_ip_on_launch", "mapCustomerOwnedIpOnLaunch", AWS_EC2_BOOL_OPT},
    {"map_public_ip_on_launch", "mapPublicIpOnLaunch", AWS_EC2_BOOL},
    {"outpost_arn", "outpostArn", AWS_EC2_STR},
    {"owner_id", "ownerId", AWS_EC2_STR},
    {"private_dns_hostname_type_on_launch", "privateDnsNameOptionsOnLaunch/hostnameType",
     AWS_EC2_STR},
    {"vpc_id", "vpcId", AWS_EC2_STR},
    {"ipv4_ipam_pool_id", NULL, AWS_EC2_KEEP},
    {"ipv4_netmask_length", NULL, AWS_EC2_KEEP},
    {"ipv6_ipam_pool_id", NULL, AWS_EC2_KEEP},
    {"ipv6_netmask_length", NULL, AWS_EC2_KEEP},
};

static val subnet_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    val st = aws_ec2_fields(aws_state_new(&subnet_schema), item, subnet_fields,
                            NELEM(subnet_fields), prior);
    const aws_xml_node *set = aws_xml_find(item, "ipv6CidrBlockAssociationSet");
    for (aws_xml_node *a = aws_xml_first(set, "item"); a; a = aws_xml_next(a, "item")) {
        char *state = aws_xml_text(a, "ipv6CidrBlockState/state");
        int ok = state && strcmp(state, "associated") == 0;
        free(state);
        if (!ok)
            continue;
        char *cidr = aws_xml_text(a, "ipv6CidrBlock"), *assoc = aws_xml_text(a, "associationId");
        st = aws_state_str(st, "ipv6_cidr_block", cidr);
        st = aws_state_str(st, "ipv6_cidr_block_association_id", assoc);
        free(cidr);
        free(assoc);
        break;
    }
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    return st;
}

/* ================================================================ aws_subnet: checks */

static int subnet_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *cidr = aws_arg_str(cfg, "cidr_block");
    const char *ht = aws_arg_str(cfg, "private_dns_hostname_type_on_launch");
    double lni;
    if (cidr && !aws_cidr4_valid(cidr, 0, 32))
        return aws_fail(d, CAIRN_EINVAL, "cidr_block", "Invalid cidr_block",
                        "\"%s\" is not an IPv4 network in CIDR notation.", cidr);
    if (aws_arg(cfg, "availability_zone") && aws_arg(cfg, "availability_zone_id"))
        return aws_fail(d, CAIRN_EINVAL, "availability_zone", "Conflicting arguments",
                        "availability_zone conflicts with availability_zone_id.");
    if (cidr && aws_arg(cfg, "ipv4_netmask_length"))
        return aws_fail(d, CAIRN_EINVAL, "ipv4_netmask_length", "Conflicting arguments",
                        "ipv4_netmask_length conflicts with cidr_block.");
    if (ht && strcmp(ht, "ip-name") != 0 && strcmp(ht, "resource-name") != 0)
        return aws_fail(d, CAIRN_EINVAL, "private_dns_hostname_type_on_launch",
                        "Invalid private_dns_hostname_type_on_launch",
                        "It must be \"ip-name\" or \"resource-name\", not \"%s\".", ht);
    if (aws_arg_num(cfg, "enable_lni_at_device_index", &lni) && lni == 0)
        return aws_fail(d, CAIRN_EINVAL, "enable_lni_at_device_index",
                        "Invalid enable_lni_at_device_index", "It must not be 0.");
    return aws_tags_validate(cfg, "tags", d);
}

/* plan: tags_all, and a new IPv6 CIDR forces replacement when the subnet
 * assigned IPv6 addresses on creation (Terraform's CustomizeDiff). */
static int subnet_plan(prov_instance *p, const prov_call *c, val prior, val proposed,
                       val *planned, val *replace_paths, prov_diag *d)
{
    int assign = 0, rc = aws_plan_tags(p, c, prior, proposed, planned, replace_paths, d);
    if (rc == 0 && aws_arg(prior, "ipv6_cidr_block") &&
        aws_arg_changed(prior, proposed, "ipv6_cidr_block") &&
        aws_arg_bool(prior, "assign_ipv6_address_on_creation", &assign) && assign) {
        val_free(*replace_paths);
        *replace_paths = replace_path("ipv6_cidr_block");
    }
    return rc;
}

/* ================================================================ aws_subnet: writing */

/* One ModifySubnetAttribute per attribute, in Terraform's order; assigning
 * IPv6 addresses is switched off first and on last. */
static const aws_ec2_mod subnet_ipv6_assign[] = {
    {"assign_ipv6_address_on_creation", "AssignIpv6AddressOnCreation.Value"},
};
static const aws_ec2_mod subnet_mods[] = {
    {"enable_dns64", "EnableDns64.Value"},
    {"enable_lni_at_device_index", "EnableLniAtDeviceIndex"},
    {"enable_resource_name_dns_aaaa_record_on_launch",
     "EnableResourceNameDnsAAAARecordOnLaunch.Value"},
    {"enable_resource_name_dns_a_record_on_launch",
     "EnableResourceNameDnsARecordOnLaunch.Value"},
    {"map_public_ip_on_launch", "MapPublicIpOnLaunch.Value"},
    {"private_dns_hostname_type_on_launch", "PrivateDnsHostnameTypeOnLaunch"},
};

/* customer_owned_ipv4_pool and map_customer_owned_ip_on_launch go together
 * (one call, 1 returned, when either changed). */
static int subnet_coip(prov_instance *p, const char *id, val prior, val planned,
                       prov_diag *d)
{
    int map = 0;
    if (!aws_arg_changed(prior, planned, "customer_owned_ipv4_pool") &&
        !aws_arg_changed(prior, planned, "map_customer_owned_ip_on_launch"))
        return 0;
    aws_arg_bool(planned, "map_customer_owned_ip_on_launch", &map);
    const char *pool = aws_arg_str(planned, "customer_owned_ipv4_pool");
    const char *kv[4] = {"MapCustomerOwnedIpOnLaunch.Value", map ? "true" : "false",
                         "CustomerOwnedIpv4Pool", pool};
    int rc = aws_ec2_simple(p, "ModifySubnetAttribute", "SubnetId", id, kv, pool ? 2 : 1,
                            "modifying EC2 Subnet customer-owned IP settings", d);
    return rc < 0 ? rc : 1;
}

/* Every attribute change of a subnet; the number of calls made. */
static int subnet_attrs_change(prov_instance *p, const char *id, val prior, val planned,
                               prov_diag *d)
{
    int assign = 0, calls = 0;
    aws_arg_bool(planned, "assign_ipv6_address_on_creation", &assign);
    int rc = tally(&calls, subnet_coip(p, id, prior, planned, d));
    if (rc == 0 && !assign)
        rc = tally(&calls, aws_ec2_modify(p, &subnet_type, "ModifySubnetAttribute", id,
                                          subnet_ipv6_assign, 1, prior, planned, d));
    if (rc == 0)
        rc = tally(&calls, aws_ec2_modify(p, &subnet_type, "ModifySubnetAttribute", id,
                                          subnet_mods, NELEM(subnet_mods), prior, planned, d));
    if (rc == 0 && assign)
        rc = tally(&calls, aws_ec2_modify(p, &subnet_type, "ModifySubnetAttribute", id,
                                          subnet_ipv6_assign, 1, prior, planned, d));
    return rc < 0 ? rc : calls;
}

static int subnet_after_create(prov_instance *p, const prov_call *c, const char *id,
                               val created, val planned, prov_diag *d)
{
    (void)c;
    return subnet_attrs_change(p, id, created, planned, d);
}

static int subnet_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                         val planned, prov_diag *d)
{
    (void)c;
    if (refuse_change(prior, planned, "ipv6_cidr_block", "subnet", d) < 0)
        return CAIRN_EINVAL;
    return subnet_attrs_change(p, id, prior, planned, d);
}

/* CreateSubnet's own parameters. */
static void subnet_params(aws_params *prm, val planned)
{
    int native = 0;
    add_arg(prm, planned, "vpc_id", "VpcId");
    add_arg(prm, planned, "cidr_block", "CidrBlock");
    add_arg(prm, planned, "availability_zone", "AvailabilityZone");
    add_arg(prm, planned, "availability_zone_id", "AvailabilityZoneId");
    add_arg(prm, planned, "ipv4_ipam_pool_id", "Ipv4IpamPoolId");
    add_arg(prm, planned, "ipv4_netmask_length", "Ipv4NetmaskLength");
    add_arg(prm, planned, "ipv6_cidr_block", "Ipv6CidrBlock");
    add_arg(prm, planned, "ipv6_ipam_pool_id", "Ipv6IpamPoolId");
    add_arg(prm, planned, "ipv6_netmask_length", "Ipv6NetmaskLength");
    add_arg(prm, planned, "outpost_arn", "OutpostArn");
    if (aws_arg_bool(planned, "ipv6_native", &native) && native)
        aws_params_add(prm, "Ipv6Native", "true");
}

static const aws_ec2_type subnet_type = {
    .noun = "EC2 Subnet",
    .id_prefix = "subnet",
    .id_path = "subnetId",
    .state_path = "state",
    .ready = ready_states,
    .tag_rtype = "subnet",
    .query = {"DescribeSubnets", "subnetSet", "subnet-id", 0, NULL, 0},
    .build = subnet_build,
    .finish = NULL,
    .id_param = "SubnetId",
    .delete_action = "DeleteSubnet",
    .notfound = "InvalidSubnetID.NotFound",
    .busy = busy_codes,
    .create_timeout_ms = SUBNET_CREATE_TIMEOUT_MS,
    .delete_timeout_ms = SUBNET_DELETE_TIMEOUT_MS,
    .wait_gone = 0,
    .create_action = "CreateSubnet",
    .create_item = "subnet",
    .create_params = subnet_params,
    .after_create = subnet_after_create,
    .change = subnet_change,
    .validate = subnet_validate,
};

AWS_EC2_OPS(subnet, subnet_type)

/* ================================================================ the family */

/* Durations are the scheduler's hints: a VPC needs several calls (create,
 * wait, attributes, defaults), a subnet two or three. */
static const prov_resource_type types[] = {
    {
        .name = "aws_vpc",
        .schema_version = 1,
        .schema = &vpc_schema,
        .durations = {.create_ms = 3000, .update_ms = 1500, .delete_ms = 2000,
                      .read_ms = 1000},
        .ops = {.validate = vpc_validate, .plan = vpc_plan, .create = vpc_create,
                .read = vpc_read, .read_many = vpc_read_many, .update = vpc_update,
                .del = vpc_del, .import = vpc_import, .find_by_token = vpc_find_by_token},
    },
    {
        .name = "aws_subnet",
        .schema_version = 1,
        .schema = &subnet_schema,
        .durations = {.create_ms = 2000, .update_ms = 1000, .delete_ms = 1500,
                      .read_ms = 500},
        .ops = {.validate = subnet_validate, .plan = subnet_plan, .create = subnet_create,
                .read = subnet_read, .read_many = subnet_read_many, .update = subnet_update,
                .del = subnet_del, .import = subnet_import,
                .find_by_token = subnet_find_by_token},
    },
};

const aws_family aws_ec2_vpc_family = {types, NELEM(types)};
