/*
 * providers/aws/aws_ec2_gateway.c — the gateway family: aws_internet_gateway,
 * aws_eip and aws_nat_gateway as Terraform's AWS provider documents them,
 * over EC2 CreateInternetGateway, AttachInternetGateway,
 * DetachInternetGateway, DescribeInternetGateways, DeleteInternetGateway,
 * AllocateAddress, DescribeAddresses, ReleaseAddress, CreateNatGateway,
 * DescribeNatGateways, DeleteNatGateway, CreateTags and DeleteTags.
 *
 * Each type is data (schema, field table, aws_ec2_type) plus the calls the
 * API makes specific: an internet gateway's attachment to its VPC, a NAT
 * gateway's failed state and its slow delete.  The rest is aws_ec2.c's.
 *
 * What must stay true:
 *   - a refresh of n objects of a type is one Describe per 200 ids (NAT
 *     gateways and internet gateways paginated; DescribeAddresses has no
 *     pagination, so no MaxResults is sent);
 *   - a NAT gateway in state "deleted" is gone (AWS lists it for about an
 *     hour after the delete): read gives null, delete waits for it;
 *   - an internet gateway is detached before it is deleted, and both the
 *     detach and the delete retry DependencyViolation for a bounded time
 *     (the delete timeout): a NAT gateway's public address in the VPC blocks
 *     the detach until the NAT gateway is gone;
 *   - an Elastic IP release retries InvalidIPAddress.InUse (a NAT gateway
 *     being deleted still holds its address) for the delete timeout;
 *   - arguments the API never reports back (address,
 *     associate_with_private_ip) keep their prior values, so a refresh of an
 *     unchanged object equals its state.
 */
#include "providers/aws/aws_ec2.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Terraform's defaults for the timeouts block. */
#define IGW_TIMEOUT_MS (20L * 60 * 1000)
#define EIP_CREATE_TIMEOUT_MS (20L * 60 * 1000)
#define EIP_DELETE_TIMEOUT_MS (3L * 60 * 1000)
#define NAT_CREATE_TIMEOUT_MS (10L * 60 * 1000)
#define NAT_DELETE_TIMEOUT_MS (30L * 60 * 1000)
/* Longest dotted IPv4 address, for the DNS names of an Elastic IP. */
#define IP4_MAX 16

#define NELEM(a) (sizeof(a) / sizeof *(a))

static const char *const present_states[] = {"present", NULL};
static const char *const busy_codes[] = {"DependencyViolation", NULL};
static const char *const eip_busy_codes[] = {"InvalidIPAddress.InUse", NULL};
static const char *const no_codes[] = {NULL};

static const aws_ec2_type igw_type, eip_type, nat_type;

/* ================================================================ schemas */

static const prov_attr igw_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the internet gateway."},
    {"id", "string", PROV_COMPUTED, NULL, "The internet gateway id."},
    {"owner_id", "string", PROV_COMPUTED, NULL, "Account that owns the internet gateway."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the internet gateway."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
    {"vpc_id", "string", PROV_OPTIONAL, NULL, "The VPC the gateway is attached to."},
};
static const prov_schema igw_schema = {igw_attrs, NELEM(igw_attrs), NULL, 0};

static const prov_attr eip_attrs[] = {
    {"address", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "IP address from an EC2 BYOIP pool."},
    {"allocation_id", "string", PROV_COMPUTED, NULL, "The allocation id."},
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the Elastic IP."},
    {"associate_with_private_ip", "string", PROV_OPTIONAL, NULL,
     "Private IP address to associate with (needs instance or network_interface)."},
    {"association_id", "string", PROV_COMPUTED, NULL, "Association with an instance or ENI."},
    {"carrier_ip", "string", PROV_COMPUTED, NULL, "Carrier IP address (Wavelength)."},
    {"customer_owned_ip", "string", PROV_COMPUTED, NULL, "Customer-owned IP (Outposts)."},
    {"customer_owned_ipv4_pool", "string", PROV_OPTIONAL, NULL,
     "Customer-owned address pool (Outposts)."},
    {"domain", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "vpc (EC2-Classic's standard is retired)."},
    {"id", "string", PROV_COMPUTED, NULL, "The allocation id."},
    {"instance", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL, "EC2 instance associated."},
    {"ipam_pool_id", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "IPAM pool to allocate the address from."},
    {"network_border_group", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "Location from which the address is advertised."},
    {"network_interface", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Network interface associated."},
    {"private_dns", "string", PROV_COMPUTED, NULL, "Private DNS name of private_ip."},
    {"private_ip", "string", PROV_COMPUTED, NULL, "Private address it is associated with."},
    {"ptr_record", "string", PROV_COMPUTED, NULL, "Reverse DNS record."},
    {"public_dns", "string", PROV_COMPUTED, NULL, "Public DNS name of public_ip."},
    {"public_ip", "string", PROV_COMPUTED, NULL, "The public address."},
    {"public_ipv4_pool", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "EC2 IPv4 address pool or amazon."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the Elastic IP."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
};
static const prov_schema eip_schema = {eip_attrs, NELEM(eip_attrs), NULL, 0};

static const prov_attr nat_attrs[] = {
    {"allocation_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Elastic IP allocation of a public NAT gateway."},
    {"association_id", "string", PROV_COMPUTED, NULL, "Association of the Elastic IP."},
    {"connectivity_type", "string", PROV_OPTIONAL | PROV_FORCE_NEW, "\"public\"",
     "public or private."},
    {"id", "string", PROV_COMPUTED, NULL, "The NAT gateway id."},
    {"network_interface_id", "string", PROV_COMPUTED, NULL, "The gateway's interface."},
    {"private_ip", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "Private IPv4 address of the gateway."},
    {"public_ip", "string", PROV_COMPUTED, NULL, "The Elastic IP address."},
    {"secondary_allocation_ids", "set(string)", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Secondary Elastic IP allocations (not supported by cairn yet)."},
    {"secondary_private_ip_address_count", "number", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Number of secondary private addresses (not supported by cairn yet)."},
    {"secondary_private_ip_addresses", "set(string)", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Secondary private addresses (not supported by cairn yet)."},
    {"subnet_id", "string", PROV_REQUIRED | PROV_FORCE_NEW, NULL, "Subnet of the gateway."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the NAT gateway."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
};
static const prov_schema nat_schema = {nat_attrs, NELEM(nat_attrs), NULL, 0};

/* ================================================================ shared */

/* Add param=value when obj's string attribute is set. */
static void add_arg(aws_params *prm, val obj, const char *attr, const char *param)
{
    const char *s = aws_arg_str(obj, attr);
    if (s && *s)
        aws_params_add(prm, param, s);
}

/* Whether obj's attribute is present but not known yet (validate sees
 * unknown references as absent through aws_arg). */
static int arg_unknown(val obj, const char *name)
{
    const val *v = val_kind(obj) == VAL_OBJECT && !val_is_unknown(obj)
                       ? val_lookup(obj, name) : NULL;
    return v && val_is_unknown(*v);
}

/* Whether a set or number attribute of obj holds anything (a non-empty
 * set, a non-zero number). */
static int arg_nonempty(val obj, const char *name)
{
    const val *v = aws_arg(obj, name);
    if (!v)
        return 0;
    if (val_kind(*v) == VAL_NUMBER)
        return val_get_number(*v) != 0;
    return val_len(*v) > 0;
}

/* Refuse attribute name in obj when it is set: the calls behind it are not
 * implemented yet. */
static int refuse_set(val obj, const char *name, const char *noun, const char *calls,
                      prov_diag *d)
{
    if (!arg_nonempty(obj, name) && !(aws_arg_str(obj, name) && *aws_arg_str(obj, name)))
        return 0;
    return aws_fail(d, CAIRN_EINVAL, name, "Argument not supported yet",
                    "%s of an %s needs %s, which cairn does not implement yet. "
                    "Leave it unset.", name, noun, calls);
}

/* ================================================================ aws_internet_gateway */

static const aws_ec2_field igw_fields[] = {
    {"id", "internetGatewayId", AWS_EC2_STR},
    {"owner_id", "ownerId", AWS_EC2_STR},
    {"vpc_id", "attachmentSet/item/vpcId", AWS_EC2_STR},
};

static val igw_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    val st = aws_ec2_fields(aws_state_new(&igw_schema), item, igw_fields, NELEM(igw_fields),
                            prior);
    char *id = aws_xml_text(item, "internetGatewayId"), *owner = aws_xml_text(item, "ownerId");
    char *res = xasprintf("internet-gateway/%s", id ? id : "");
    char *arn = aws_arn(p, "ec2", owner, res);
    st = aws_state_str(st, "arn", arn);
    free(arn);
    free(res);
    free(id);
    free(owner);
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    return st;
}

static int igw_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *vpc = aws_arg_str(cfg, "vpc_id");
    if (vpc && !aws_id_valid(vpc, "vpc"))
        return aws_fail(d, CAIRN_EINVAL, "vpc_id", "Invalid vpc_id",
                        "\"%s\" is not a VPC id (vpc-0123456789abcdef0).", vpc);
    return aws_tags_validate(cfg, "tags", d);
}

/* Wait until the gateway's attachment is in one of target ("present": no
 * attachment listed any more). */
static int igw_wait_attachment(prov_instance *p, const prov_call *c, const char *id,
                               const char *const *target, long timeout_ms, prov_diag *d)
{
    aws_ec2_type t = igw_type;
    t.noun = "EC2 Internet Gateway attachment of";
    t.state_path = "attachmentSet/item/state";
    return aws_ec2_wait(p, c, &t, id, target, timeout_ms, d);
}

/* AttachInternetGateway, then wait until the attachment is available. */
static int igw_attach(prov_instance *p, const prov_call *c, const char *id, const char *vpc,
                      long timeout_ms, prov_diag *d)
{
    static const char *const attached[] = {"available", NULL};
    char summary[192];
    snprintf(summary, sizeof summary, "attaching EC2 Internet Gateway %s to %s", id, vpc);
    const char *kv[2] = {"VpcId", vpc};
    int rc = aws_ec2_simple(p, "AttachInternetGateway", "InternetGatewayId", id, kv, 1,
                            summary, d);
    if (rc == 0)
        rc = igw_wait_attachment(p, c, id, attached, timeout_ms, d);
    return rc;
}

struct detach_ctx {
    prov_instance *p;
    const char *id, *vpc;
};

static int detach_once(void *payload, aws_error *e)
{
    struct detach_ctx *dc = payload;
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "InternetGatewayId", dc->id);
    aws_params_add(prm, "VpcId", dc->vpc);
    aws_request req = {.svc = AWS_EC2, .action = "DetachInternetGateway",
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    int rc = aws_call(dc->p->client, &req, &resp, e);
    aws_params_free(prm);
    if (rc == 0)
        aws_response_free(&resp);
    return rc;
}

/* DetachInternetGateway from vpc, retrying DependencyViolation (mapped
 * public addresses in the VPC) until timeout_ms; not attached or gone is
 * success.  Then wait until no attachment is listed. */
static int igw_detach(prov_instance *p, const prov_call *c, const char *id, const char *vpc,
                      long timeout_ms, prov_diag *d)
{
    static const char *const detached[] = {"present", "", NULL};
    struct detach_ctx dc = {p, id, vpc};
    aws_error e;
    int rc = aws_retry_codes(c, timeout_ms, busy_codes, detach_once, &dc, &e);
    if (rc == CAIRN_EREMOTE && (aws_error_is(&e, "Gateway.NotAttached") ||
                                aws_error_is(&e, "InvalidInternetGatewayID.NotFound")))
        return 0;
    if (rc < 0) {
        char summary[192];
        snprintf(summary, sizeof summary, "detaching EC2 Internet Gateway %s from %s", id, vpc);
        return aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &e : NULL, summary);
    }
    return igw_wait_attachment(p, c, id, detached, timeout_ms, d);
}

static void igw_params(aws_params *prm, val planned)
{
    (void)prm;
    (void)planned;   /* CreateInternetGateway takes only tags */
}

/* After CreateInternetGateway: attach it to vpc_id. */
static int igw_after_create(prov_instance *p, const prov_call *c, const char *id,
                            val created, val planned, prov_diag *d)
{
    (void)created;
    const char *vpc = aws_arg_str(planned, "vpc_id");
    if (!vpc || !*vpc)
        return 0;
    int rc = igw_attach(p, c, id, vpc, aws_timeout(c, IGW_TIMEOUT_MS), d);
    return rc < 0 ? rc : 1;
}

/* update: a new vpc_id detaches from the old VPC and attaches to the new. */
static int igw_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                      val planned, prov_diag *d)
{
    if (!aws_arg_changed(prior, planned, "vpc_id"))
        return 0;
    const char *old = aws_arg_str(prior, "vpc_id"), *new = aws_arg_str(planned, "vpc_id");
    long tmo = aws_timeout(c, IGW_TIMEOUT_MS);
    int calls = 0, rc = 0;
    if (old && *old) {
        rc = igw_detach(p, c, id, old, tmo, d);
        calls++;
    }
    if (rc == 0 && new && *new) {
        rc = igw_attach(p, c, id, new, tmo, d);
        calls++;
    }
    return rc < 0 ? rc : calls;
}

static const aws_ec2_type igw_type = {
    .noun = "EC2 Internet Gateway",
    .id_prefix = "igw",
    .id_path = "internetGatewayId",
    .state_path = NULL,
    .ready = present_states,
    .tag_rtype = "internet-gateway",
    .query = {"DescribeInternetGateways", "internetGatewaySet", "internet-gateway-id", 0,
              NULL, 0},
    .build = igw_build,
    .finish = NULL,
    .id_param = "InternetGatewayId",
    .delete_action = "DeleteInternetGateway",
    .notfound = "InvalidInternetGatewayID.NotFound",
    .busy = busy_codes,
    .create_timeout_ms = IGW_TIMEOUT_MS,
    .delete_timeout_ms = IGW_TIMEOUT_MS,
    .wait_gone = 0,
    .create_action = "CreateInternetGateway",
    .create_item = "internetGateway",
    .create_params = igw_params,
    .after_create = igw_after_create,
    .change = igw_change,
    .validate = igw_validate,
};

AWS_EC2_OPS(igw, igw_type)

/* delete: detach from the VPC in state first, then delete (both retrying
 * DependencyViolation until the delete timeout). */
static int igw_delete(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    const char *id = aws_arg_str(prior, "id"), *vpc = aws_arg_str(prior, "vpc_id");
    if (id && vpc && *vpc) {
        int rc = igw_detach(p, c, id, vpc, aws_timeout(c, IGW_TIMEOUT_MS), d);
        if (rc < 0)
            return rc;
    }
    return igw_del(p, c, prior, d);
}

/* ================================================================ aws_eip */

static const aws_ec2_field eip_fields[] = {
    {"allocation_id", "allocationId", AWS_EC2_STR},
    {"association_id", "associationId", AWS_EC2_STR},
    {"carrier_ip", "carrierIp", AWS_EC2_STR},
    {"customer_owned_ip", "customerOwnedIp", AWS_EC2_STR},
    {"customer_owned_ipv4_pool", "customerOwnedIpv4Pool", AWS_EC2_STR},
    {"domain", "domain", AWS_EC2_STR},
    {"id", "allocationId", AWS_EC2_STR},
    {"instance", "instanceId", AWS_EC2_STR},
    {"network_border_group", "networkBorderGroup", AWS_EC2_STR},
    {"network_interface", "networkInterfaceId", AWS_EC2_STR},
    {"private_ip", "privateIpAddress", AWS_EC2_STR},
    {"public_ip", "publicIp", AWS_EC2_STR},
    {"public_ipv4_pool", "publicIpv4Pool", AWS_EC2_STR},
    {"address", NULL, AWS_EC2_KEEP},
    {"associate_with_private_ip", NULL, AWS_EC2_KEEP},
    {"ipam_pool_id", NULL, AWS_EC2_KEEP},
};

/* ip with its dots as dashes into out ("10.0.0.1" -> "10-0-0-1"); 0, or -1
 * when it is not an IPv4 address. */
static int dash_ip(const char *ip, char *out, size_t size)
{
    struct in_addr a;
    if (!ip || inet_pton(AF_INET, ip, &a) != 1 || strlen(ip) >= size)
        return -1;
    for (size_t i = 0; ip[i]; i++)
        out[i] = ip[i] == '.' ? '-' : ip[i];
    out[strlen(ip)] = '\0';
    return 0;
}

/* The DNS names EC2 gives addresses (Terraform computes them the same way:
 * the API does not report them): us-east-1 has its own suffixes. */
static val eip_dns(val st, prov_instance *p)
{
    const char *region = aws_client_region(p->client);
    int east1 = strcmp(region, "us-east-1") == 0;
    const char *dns = strcmp(p->partition, "aws-cn") == 0 ? "amazonaws.com.cn"
                                                          : "amazonaws.com";
    char dip[IP4_MAX];
    char *name = NULL;
    if (dash_ip(aws_arg_str(st, "public_ip"), dip, sizeof dip) == 0) {
        name = east1 ? xasprintf("ec2-%s.compute-1.%s", dip, dns)
                     : xasprintf("ec2-%s.%s.compute.%s", dip, region, dns);
        st = aws_state_str(st, "public_dns", name);
        free(name);
    }
    if (dash_ip(aws_arg_str(st, "private_ip"), dip, sizeof dip) == 0) {
        name = east1 ? xasprintf("ip-%s.ec2.internal", dip)
                     : xasprintf("ip-%s.%s.compute.internal", dip, region);
        st = aws_state_str(st, "private_dns", name);
        free(name);
    }
    return st;
}

static val eip_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    val st = aws_ec2_fields(aws_state_new(&eip_schema), item, eip_fields, NELEM(eip_fields),
                            prior);
    const char *pool = aws_arg_str(st, "public_ipv4_pool");
    if (pool && strncmp(pool, "ipam-pool-", 10) == 0)
        st = aws_state_str(st, "ipam_pool_id", pool);
    char *id = aws_xml_text(item, "allocationId");
    char *res = xasprintf("elastic-ip/%s", id ? id : "");
    char *arn = aws_arn(p, "ec2", aws_client_account_id(p->client), res);
    st = aws_state_str(st, "arn", arn);
    free(arn);
    free(res);
    free(id);
    st = eip_dns(st, p);
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    return st;
}

static int eip_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *dom = aws_arg_str(cfg, "domain");
    if (dom && strcmp(dom, "vpc") != 0)
        return aws_fail(d, CAIRN_EINVAL, "domain", "Invalid domain",
                        "domain must be \"vpc\", not \"%s\" (EC2-Classic's \"standard\" "
                        "addresses are retired).", dom);
    static const char *const assoc[] = {"instance", "network_interface",
                                        "associate_with_private_ip"};
    for (size_t i = 0; i < NELEM(assoc); i++)
        if (refuse_set(cfg, assoc[i], "Elastic IP", "AssociateAddress", d) < 0)
            return CAIRN_EINVAL;
    return aws_tags_validate(cfg, "tags", d);
}

/* AllocateAddress's own parameters. */
static void eip_params(aws_params *prm, val planned)
{
    add_arg(prm, planned, "address", "Address");
    add_arg(prm, planned, "customer_owned_ipv4_pool", "CustomerOwnedIpv4Pool");
    add_arg(prm, planned, "domain", "Domain");
    add_arg(prm, planned, "ipam_pool_id", "IpamPoolId");
    add_arg(prm, planned, "network_border_group", "NetworkBorderGroup");
    add_arg(prm, planned, "public_ipv4_pool", "PublicIpv4Pool");
}

/* update: besides tags, only the association could change, which is not
 * implemented (a NAT gateway's association is reported, not configured). */
static int eip_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                      val planned, prov_diag *d)
{
    (void)p;
    (void)c;
    (void)id;
    static const char *const assoc[] = {"instance", "network_interface",
                                        "associate_with_private_ip"};
    for (size_t i = 0; i < NELEM(assoc); i++)
        if (aws_arg_changed(prior, planned, assoc[i]) &&
            refuse_set(planned, assoc[i], "Elastic IP", "AssociateAddress", d) < 0)
            return CAIRN_EINVAL;
    return 0;
}

static const aws_ec2_type eip_type = {
    .noun = "EC2 EIP",
    .id_prefix = "eipalloc",
    .id_path = "allocationId",
    .state_path = NULL,
    .ready = present_states,
    .tag_rtype = "elastic-ip",
    .query = {"DescribeAddresses", "addressesSet", "allocation-id", -1, NULL, 0},
    .build = eip_build,
    .finish = NULL,
    .id_param = "AllocationId",
    .delete_action = "ReleaseAddress",
    .notfound = "InvalidAllocationID.NotFound",
    .busy = eip_busy_codes,
    .create_timeout_ms = EIP_CREATE_TIMEOUT_MS,
    .delete_timeout_ms = EIP_DELETE_TIMEOUT_MS,
    .wait_gone = 0,
    .create_action = "AllocateAddress",
    .create_item = "",   /* the response's root holds allocationId */
    .create_params = eip_params,
    .after_create = NULL,
    .change = eip_change,
    .validate = eip_validate,
};

AWS_EC2_OPS(eip, eip_type)

/* ================================================================ aws_nat_gateway */

/* The primary address is the first one listed. */
static const aws_ec2_field nat_fields[] = {
    {"allocation_id", "natGatewayAddressSet/item/allocationId", AWS_EC2_STR},
    {"association_id", "natGatewayAddressSet/item/associationId", AWS_EC2_STR},
    {"connectivity_type", "connectivityType", AWS_EC2_STR},
    {"id", "natGatewayId", AWS_EC2_STR},
    {"network_interface_id", "natGatewayAddressSet/item/networkInterfaceId", AWS_EC2_STR},
    {"private_ip", "natGatewayAddressSet/item/privateIp", AWS_EC2_STR},
    {"public_ip", "natGatewayAddressSet/item/publicIp", AWS_EC2_STR},
    {"subnet_id", "subnetId", AWS_EC2_STR},
};

/* A gateway in state "deleted" is gone (null). */
static val nat_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    char *state = aws_xml_text(item, "state");
    int deleted = state && strcmp(state, "deleted") == 0;
    free(state);
    if (deleted)
        return val_null();
    val st = aws_ec2_fields(aws_state_new(&nat_schema), item, nat_fields, NELEM(nat_fields),
                            prior);
    st = val_object_set(st, "secondary_allocation_ids", val_set_empty(ty_string()));
    st = val_object_set(st, "secondary_private_ip_addresses", val_set_empty(ty_string()));
    st = aws_state_num(st, "secondary_private_ip_address_count", 0);
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    return st;
}

static int nat_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *ct = aws_arg_str(cfg, "connectivity_type");
    const char *ip = aws_arg_str(cfg, "private_ip");
    struct in_addr a;
    int priv = ct && strcmp(ct, "private") == 0;
    if (ct && !priv && strcmp(ct, "public") != 0)
        return aws_fail(d, CAIRN_EINVAL, "connectivity_type", "Invalid connectivity_type",
                        "connectivity_type must be \"public\" or \"private\", not \"%s\".", ct);
    if (ip && inet_pton(AF_INET, ip, &a) != 1)
        return aws_fail(d, CAIRN_EINVAL, "private_ip", "Invalid private_ip",
                        "\"%s\" is not an IPv4 address.", ip);
    if (priv && aws_arg(cfg, "allocation_id"))
        return aws_fail(d, CAIRN_EINVAL, "allocation_id", "Conflicting arguments",
                        "A private NAT gateway has no Elastic IP: remove allocation_id.");
    if (!priv && !aws_arg(cfg, "allocation_id") && !arg_unknown(cfg, "allocation_id"))
        return aws_fail(d, CAIRN_EINVAL, "allocation_id", "Missing allocation_id",
                        "A public NAT gateway needs an Elastic IP: set allocation_id "
                        "(aws_eip.NAME.id), or connectivity_type = \"private\".");
    static const char *const second[] = {"secondary_allocation_ids",
                                         "secondary_private_ip_address_count",
                                         "secondary_private_ip_addresses"};
    for (size_t i = 0; i < NELEM(second); i++)
        if (refuse_set(cfg, second[i], "NAT gateway",
                       "AssignPrivateNatGatewayAddress/AssociateNatGatewayAddress", d) < 0)
            return CAIRN_EINVAL;
    return aws_tags_validate(cfg, "tags", d);
}

/* CreateNatGateway's own parameters (ClientToken: nat_type.client_token). */
static void nat_params(aws_params *prm, val planned)
{
    add_arg(prm, planned, "allocation_id", "AllocationId");
    add_arg(prm, planned, "connectivity_type", "ConnectivityType");
    add_arg(prm, planned, "private_ip", "PrivateIpAddress");
    add_arg(prm, planned, "subnet_id", "SubnetId");
}

struct nat_status {
    char *state, *code, *message;
};

static int on_nat_status(const aws_xml_node *item, void *payload)
{
    struct nat_status *s = payload;
    s->state = aws_xml_text(item, "state");
    s->code = aws_xml_text(item, "failureCode");
    s->message = aws_xml_text(item, "failureMessage");
    return 1;
}

/* The create's wait ends at "available" or "failed"; a failed gateway is a
 * failed create (the generic create then deletes it), with AWS's reason. */
static int nat_after_create(prov_instance *p, const prov_call *c, const char *id,
                            val created, val planned, prov_diag *d)
{
    (void)c;
    (void)created;
    (void)planned;
    struct nat_status s = {0};
    aws_error e;
    int rc = aws_ec2_describe(p, &nat_type.query, &id, 1, on_nat_status, &s, &e);
    if (rc < 0)
        aws_fail_call(d, rc, &e, "reading EC2 NAT Gateway state");
    else if (s.state && strcmp(s.state, "failed") == 0)
        rc = aws_fail(d, CAIRN_EREMOTE, NULL, "creating EC2 NAT Gateway",
                      "The NAT gateway %s failed to become available: %s: %s", id,
                      s.code ? s.code : "?", s.message ? s.message : "(no message)");
    free(s.state);
    free(s.code);
    free(s.message);
    return rc;
}

/* update: besides tags, only the secondary addresses change in place,
 * which is not implemented. */
static int nat_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                      val planned, prov_diag *d)
{
    (void)p;
    (void)c;
    (void)id;
    static const char *const second[] = {"secondary_allocation_ids",
                                         "secondary_private_ip_address_count",
                                         "secondary_private_ip_addresses"};
    for (size_t i = 0; i < NELEM(second); i++)
        if (aws_arg_changed(prior, planned, second[i]) &&
            refuse_set(planned, second[i], "NAT gateway",
                       "AssignPrivateNatGatewayAddress/AssociateNatGatewayAddress", d) < 0)
            return CAIRN_EINVAL;
    return 0;
}

static const char *const nat_ready[] = {"available", "failed", NULL};

static const aws_ec2_type nat_type = {
    .noun = "EC2 NAT Gateway",
    .id_prefix = "nat",
    .id_path = "natGatewayId",
    .state_path = "state",
    .ready = nat_ready,
    .tag_rtype = "natgateway",
    .query = {"DescribeNatGateways", "natGatewaySet", "nat-gateway-id", 0, NULL, 0},
    .build = nat_build,
    .finish = NULL,
    .id_param = "NatGatewayId",
    .delete_action = "DeleteNatGateway",
    .notfound = "NatGatewayNotFound",
    .busy = no_codes,
    .create_timeout_ms = NAT_CREATE_TIMEOUT_MS,
    .delete_timeout_ms = NAT_DELETE_TIMEOUT_MS,
    .wait_gone = 0,   /* "deleted" gateways stay listed: nat_delete waits */
    .create_action = "CreateNatGateway",
    .create_item = "natGateway",
    .create_params = nat_params,
    .after_create = nat_after_create,
    .change = nat_change,
    .validate = nat_validate,
    .client_token = "ClientToken",
};

AWS_EC2_OPS(nat, nat_type)

/* delete: DeleteNatGateway, then wait until it is "deleted" (or no longer
 * listed), bounded by the delete timeout: its address and interface are
 * released only then. */
static int nat_delete(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    static const char *const gone[] = {"deleted", "", NULL};
    const char *id = aws_arg_str(prior, "id");
    int rc = nat_del(p, c, prior, d);
    if (rc == 0 && id)
        rc = aws_ec2_wait(p, c, &nat_type, id, gone, aws_timeout(c, NAT_DELETE_TIMEOUT_MS), d);
    return rc;
}

/* ================================================================ the family */

/* Durations are the scheduler's hints: a NAT gateway takes a minute or two
 * each way; the others a call or two. */
static const prov_resource_type types[] = {
    {
        .name = "aws_internet_gateway",
        .schema_version = 0,
        .schema = &igw_schema,
        .durations = {.create_ms = 2000, .update_ms = 2000, .delete_ms = 2000,
                      .read_ms = 500},
        .ops = {.validate = igw_validate, .plan = aws_plan_tags, .create = igw_create,
                .read = igw_read, .read_many = igw_read_many, .update = igw_update,
                .del = igw_delete, .import = igw_import,
                .find_by_token = igw_find_by_token},
    },
    {
        .name = "aws_eip",
        .schema_version = 0,
        .schema = &eip_schema,
        .durations = {.create_ms = 1000, .update_ms = 1000, .delete_ms = 1000,
                      .read_ms = 500},
        .ops = {.validate = eip_validate, .plan = aws_plan_tags, .create = eip_create,
                .read = eip_read, .read_many = eip_read_many, .update = eip_update,
                .del = eip_del, .import = eip_import, .find_by_token = eip_find_by_token},
    },
    {
        .name = "aws_nat_gateway",
        .schema_version = 0,
        .schema = &nat_schema,
        .durations = {.create_ms = 90000, .update_ms = 1000, .delete_ms = 60000,
                      .read_ms = 500},
        .ops = {.validate = nat_validate, .plan = aws_plan_tags, .create = nat_create,
                .read = nat_read, .read_many = nat_read_many, .update = nat_update,
                .del = nat_delete, .import = nat_import,
                .find_by_token = nat_find_by_token},
    },
};

const aws_family aws_ec2_gateway_family = {types, NELEM(types)};
