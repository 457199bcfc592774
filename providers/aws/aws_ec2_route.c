/*
 * providers/aws/aws_ec2_route.c — the route family: aws_route_table,
 * aws_route and aws_route_table_association as Terraform's AWS provider
 * documents them, over EC2 CreateRouteTable, DescribeRouteTables,
 * DeleteRouteTable, CreateRoute, ReplaceRoute, DeleteRoute,
 * AssociateRouteTable, ReplaceRouteTableAssociation, DisassociateRouteTable,
 * EnableVgwRoutePropagation, DisableVgwRoutePropagation, CreateTags and
 * DeleteTags.
 *
 * aws_route_table goes through aws_ec2.c's generic operations (it has an
 * id and tags of its own).  Routes and associations have neither: they are
 * found inside their route table's DescribeRouteTables item — a route by
 * table and destination, an association by its id — so their operations
 * are written here, on the same batched Describe.
 *
 * What must stay true:
 *   - a refresh of n route tables, routes or associations is one
 *     DescribeRouteTables per 200 route tables (routes) or association ids,
 *     following NextToken; never one call per instance;
 *   - a route table's `route` is in attributes-as-blocks mode (PROV_AS_ATTR),
 *     as in Terraform: neither blocks nor `route = ...` means "routes not
 *     managed" (the engine plans the state's routes, or unknown on create),
 *     and no route call is made unless the planned routes differ from the
 *     state's; blocks, or `route = []`, are the exact set of the table's
 *     routes, besides the local route, propagated routes and VPC endpoint
 *     routes, which are never touched; reads report every other route, as
 *     Terraform's do (routes of aws_route resources included);
 *   - routes and associations cannot carry the cairn:token tag, so both an
 *     ambiguous create (lost answer) and find_by_token after a crash (from
 *     the object the create was called with, prov_call.planned) settle by
 *     natural key: the route by table and destination (with the planned
 *     target), the association by table and subnet or gateway.
 */
#include "providers/aws/aws_ec2.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sends of a route or association create whose failure left open whether
 * it took effect, and which turned out not to have. */
#define RT_CREATE_ATTEMPTS 4
/* Terraform's defaults for the timeouts blocks (the three types agree). */
#define RT_CREATE_TIMEOUT_MS (5L * 60 * 1000)
#define RT_UPDATE_TIMEOUT_MS (2L * 60 * 1000)
#define RT_DELETE_TIMEOUT_MS (5L * 60 * 1000)
/* How long a new route table, gateway or transit gateway may stay unknown
 * to CreateRoute / AssociateRouteTable (Terraform's propagation timeout). */
#define RT_PROPAGATION_MS (2L * 60 * 1000)
/* DescribeRouteTables accepts MaxResults 5..100. */
#define RTB_MAX_RESULTS 100
/* Most routes one table may hold in one listing (AWS's quota is 1,000). */
#define RTB_MAX_ROUTES 1000

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* ================================================================ route fields */

/* The destinations (first three) and targets of a route, named as a
 * `route` block of aws_route_table names them and as aws_route does. */
typedef struct route_field {
    const char *block;   /* attribute of a route block */
    const char *attr;    /* attribute of aws_route */
    const char *xml;     /* element of a routeSet item; NULL: inside gatewayId */
    const char *param;   /* CreateRoute / ReplaceRoute / DeleteRoute parameter */
} route_field;

enum { RF_NDEST = 3, RF_GATEWAY = 6, RF_VPCE = 11, RF_N = 13 };

static const route_field route_fields[RF_N] = {
    {"cidr_block", "destination_cidr_block", "destinationCidrBlock", "DestinationCidrBlock"},
    {"ipv6_cidr_block", "destination_ipv6_cidr_block", "destinationIpv6CidrBlock",
     "DestinationIpv6CidrBlock"},
    {"destination_prefix_list_id", "destination_prefix_list_id", "destinationPrefixListId",
     "DestinationPrefixListId"},
    {"carrier_gateway_id", "carrier_gateway_id", "carrierGatewayId", "CarrierGatewayId"},
    {"core_network_arn", "core_network_arn", "coreNetworkArn", "CoreNetworkArn"},
    {"egress_only_gateway_id", "egress_only_gateway_id", "egressOnlyInternetGatewayId",
     "EgressOnlyInternetGatewayId"},
    {"gateway_id", "gateway_id", "gatewayId", "GatewayId"},
    {"local_gateway_id", "local_gateway_id", "localGatewayId", "LocalGatewayId"},
    {"nat_gateway_id", "nat_gateway_id", "natGatewayId", "NatGatewayId"},
    {"network_interface_id", "network_interface_id", "networkInterfaceId",
     "NetworkInterfaceId"},
    {"transit_gateway_id", "transit_gateway_id", "transitGatewayId", "TransitGatewayId"},
    {"vpc_endpoint_id", "vpc_endpoint_id", NULL, "VpcEndpointId"},
    {"vpc_peering_connection_id", "vpc_peering_connection_id", "vpcPeeringConnectionId",
     "VpcPeeringConnectionId"},
};

/* One route: its fields (owned strings or NULL) and what only AWS reports. */
typedef struct route {
    char *f[RF_N];
    char *origin, *state, *instance_id, *instance_owner_id;
} route;

static void route_free(route *r)
{
    for (size_t i = 0; i < RF_N; i++)
        free(r->f[i]);
    free(r->origin);
    free(r->state);
    free(r->instance_id);
    free(r->instance_owner_id);
    memset(r, 0, sizeof *r);
}

/* The text at path in n, NULL when missing or empty (owned). */
static char *xml_str(const aws_xml_node *n, const char *path)
{
    char *s = aws_xml_text(n, path);
    if (s && !*s) {
        free(s);
        s = NULL;
    }
    return s;
}

/* A routeSet item into r.  A VPC endpoint's id comes in gatewayId; it goes
 * to vpc_endpoint_id, as Terraform reads it. */
static void route_from_xml(route *r, const aws_xml_node *it)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < RF_N; i++)
        if (route_fields[i].xml)
            r->f[i] = xml_str(it, route_fields[i].xml);
    if (r->f[RF_GATEWAY] && strncmp(r->f[RF_GATEWAY], "vpce-", 5) == 0) {
        r->f[RF_VPCE] = r->f[RF_GATEWAY];
        r->f[RF_GATEWAY] = NULL;
    }
    r->origin = xml_str(it, "origin");
    r->state = xml_str(it, "state");
    r->instance_id = xml_str(it, "instanceId");
    r->instance_owner_id = xml_str(it, "instanceOwnerId");
}

/* Fill r from object obj (borrowed) whose attributes are named as `block`
 * (1) or as aws_route (0) names them.  Returns how many fields are unknown
 * (left NULL: at apply only computed ones, network_interface_id, can be),
 * or -1 when obj is not a known object. */
static int route_from_obj(route *r, val obj, int block)
{
    int unknown = 0;
    memset(r, 0, sizeof *r);
    if (!val_is_valid(obj) || val_is_unknown(obj) || val_kind(obj) != VAL_OBJECT)
        return -1;
    for (size_t i = 0; i < RF_N; i++) {
        const val *v = val_lookup(obj, block ? route_fields[i].block : route_fields[i].attr);
        if (v && val_is_unknown(*v))
            unknown++;
        else if (v && !val_is_null(*v) && val_kind(*v) == VAL_STRING && *val_get_string(*v))
            r->f[i] = xstrdup(val_get_string(*v));
    }
    return unknown;
}

/* The index of r's destination field, or -1 when it has none. */
static int route_dest(const route *r)
{
    for (int i = 0; i < RF_NDEST; i++)
        if (r->f[i])
            return i;
    return -1;
}

/* How many fields of [from, to) r sets. */
static int route_count(const route *r, int from, int to)
{
    int n = 0;
    for (int i = from; i < to; i++)
        n += r->f[i] != NULL;
    return n;
}

static int str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether a and b have the same destination (AWS may spell IPv6 in another
 * case than the configuration). */
static int route_same_dest(const route *a, const route *b)
{
    int i = route_dest(a);
    return i >= 0 && i == route_dest(b) && strcasecmp(a->f[i], b->f[i]) == 0;
}

static int route_same_target(const route *a, const route *b)
{
    for (int i = RF_NDEST; i < RF_N; i++)
        if (!str_eq(a->f[i], b->f[i]))
            return 0;
    return 1;
}

/* Routes Terraform never manages through a route table: the local route,
 * routes propagated from a virtual private gateway, VPC endpoint routes
 * (aws_vpc_endpoint_route_table_association's business). */
static int route_foreign(const route *r)
{
    if (r->f[RF_GATEWAY] && strcmp(r->f[RF_GATEWAY], "local") == 0)
        return 1;
    if (r->origin && strcmp(r->origin, "EnableVgwRoutePropagation") == 0)
        return 1;
    return r->f[2] && r->f[RF_VPCE];
}

/* The destination parameter of r and, with target, its target(s). */
static void route_params(aws_params *prm, const route *r, int target)
{
    int n = target ? RF_N : RF_NDEST;
    for (int i = 0; i < n; i++)
        if (r->f[i])
            aws_params_add(prm, route_fields[i].param, r->f[i]);
}

/* CreateRoute, ReplaceRoute or DeleteRoute of r in table rtb. */
static int route_call(prov_instance *p, const char *action, const char *rtb, const route *r,
                      aws_error *e)
{
    int create = strcmp(action, "CreateRoute") == 0;
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "RouteTableId", rtb);
    route_params(prm, r, strcmp(action, "DeleteRoute") != 0);
    aws_request req = {.svc = AWS_EC2, .action = action,
                       .retry = create ? AWS_RETRY_UNSAFE : AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    int rc = aws_call(p->client, &req, &resp, e);
    aws_params_free(prm);
    if (rc == 0)
        aws_response_free(&resp);
    return rc;
}

/* Whether a failed write may nevertheless have taken effect. */
static int ambiguous(int rc, const aws_error *e)
{
    if (rc == CAIRN_EIO || rc == CAIRN_ETIMEOUT)
        return 1;
    return rc == CAIRN_EREMOTE && e->status >= 500 && !aws_error_is_throttle(e);
}

/* ================================================================ validation */

/* Whether s is an IPv6 network in CIDR notation (host bits zero). */
static int cidr6_valid(const char *s)
{
    const char *slash = strchr(s, '/');
    char addr[64];
    unsigned char b[16];
    if (!slash || (size_t)(slash - s) >= sizeof addr || !slash[1])
        return 0;
    char *end;
    long len = strtol(slash + 1, &end, 10);
    if (*end || len < 0 || len > 128)
        return 0;
    memcpy(addr, s, (size_t)(slash - s));
    addr[slash - s] = '\0';
    if (inet_pton(AF_INET6, addr, b) != 1)
        return 0;
    for (long bit = len; bit < 128; bit++)
        if (b[bit / 8] & (0x80 >> (bit % 8)))
            return 0;
    return 1;
}

/* The checks of one route (names as `block` or aws_route names them):
 * exactly one destination, valid CIDRs, exactly one target.  While a
 * field is unknown only the CIDRs that are known are checked. */
static int route_check(val obj, int block, prov_diag *d)
{
    route r;
    int known = route_from_obj(&r, obj, block) == 0, rc = 0;
    const char *cidr = NULL, *ipv6 = NULL;
    if (!known) {
        const char *n4 = block ? "cidr_block" : "destination_cidr_block";
        const char *n6 = block ? "ipv6_cidr_block" : "destination_ipv6_cidr_block";
        cidr = aws_arg_str(obj, n4);
        ipv6 = aws_arg_str(obj, n6);
    } else {
        cidr = r.f[0];
        ipv6 = r.f[1];
    }
    const char *a4 = block ? "route.cidr_block" : "destination_cidr_block";
    const char *a6 = block ? "route.ipv6_cidr_block" : "destination_ipv6_cidr_block";
    if (cidr && !aws_cidr4_valid(cidr, 0, 32))
        rc = aws_fail(d, CAIRN_EINVAL, a4, "Invalid destination",
                      "\"%s\" is not an IPv4 network in CIDR notation.", cidr);
    else if (ipv6 && !cidr6_valid(ipv6))
        rc = aws_fail(d, CAIRN_EINVAL, a6, "Invalid destination",
                      "\"%s\" is not an IPv6 network in CIDR notation.", ipv6);
    else if (known && route_count(&r, 0, RF_NDEST) != 1)
        rc = aws_fail(d, CAIRN_EINVAL, block ? "route" : "destination_cidr_block",
                      "Invalid route", "A route needs exactly one destination: %s.",
                      block ? "cidr_block, ipv6_cidr_block or destination_prefix_list_id"
                            : "destination_cidr_block, destination_ipv6_cidr_block or "
                              "destination_prefix_list_id");
    else if (known && route_count(&r, RF_NDEST, RF_N) != 1)
        rc = aws_fail(d, CAIRN_EINVAL, block ? "route" : "gateway_id", "Invalid route",
                      "A route needs exactly one target: carrier_gateway_id, "
                      "core_network_arn, egress_only_gateway_id, gateway_id, local_gateway_id, "
                      "nat_gateway_id, network_interface_id, transit_gateway_id, "
                      "vpc_endpoint_id or vpc_peering_connection_id (%d given).",
                      route_count(&r, RF_NDEST, RF_N));
    route_free(&r);
    return rc;
}

/* ================================================================ sorted keys */

/* Instance indexes sorted by a key (route table id, association id), so
 * that each listed item finds its instances by binary search. */
typedef struct keyref {
    const char *key;
    size_t i;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    return strcmp(((const keyref *)a)->key, ((const keyref *)b)->key);
}

/* The refs of priors[0..n) by string attribute name (those without one
 * are left out), sorted; *nrefs set.  Owned. */
static keyref *keyrefs(const val *priors, size_t n, const char *name, size_t *nrefs)
{
    keyref *refs = xcalloc(n + 1, sizeof *refs);
    *nrefs = 0;
    for (size_t i = 0; i < n; i++) {
        const char *k = aws_arg_str(priors[i], name);
        if (k && *k)
            refs[(*nrefs)++] = (keyref){k, i};
    }
    qsort(refs, *nrefs, sizeof *refs, keyref_cmp);
    return refs;
}

/* The distinct keys of sorted refs (borrowed strings; array owned). */
static const char **keyref_unique(const keyref *refs, size_t n, size_t *nkeys)
{
    const char **keys = xcalloc(n + 1, sizeof *keys);
    *nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(refs[i].key, refs[i - 1].key) != 0)
            keys[(*nkeys)++] = refs[i].key;
    return keys;
}

/* The first ref with key (NULL when none); the others follow it. */
static const keyref *keyref_find(const keyref *refs, size_t n, const char *key)
{
    keyref probe = {key, 0};
    const keyref *hit = n ? bsearch(&probe, refs, n, sizeof probe, keyref_cmp) : NULL;
    while (hit && hit > refs && strcmp(hit[-1].key, key) == 0)
        hit--;
    return hit;
}

/* ================================================================ DescribeRouteTables */

static const aws_ec2_query rtb_by_id = {"DescribeRouteTables", "routeTableSet",
                                        "route-table-id", RTB_MAX_RESULTS, NULL, 0};
static const aws_ec2_query rtb_by_assoc = {"DescribeRouteTables", "routeTableSet",
                                           "association.route-table-association-id",
                                           RTB_MAX_RESULTS, NULL, 0};

/* One route table as listed: its routes and its non-main associations. */
typedef struct rtb_snap {
    int found;
    route *routes;
    size_t nroutes;
    char **assocs;        /* association ids */
    char **assoc_targets; /* the subnet or gateway of each */
    size_t nassocs;
} rtb_snap;

static void snap_free(rtb_snap *s)
{
    for (size_t i = 0; i < s->nroutes; i++)
        route_free(&s->routes[i]);
    for (size_t i = 0; i < s->nassocs; i++) {
        free(s->assocs[i]);
        free(s->assoc_targets[i]);
    }
    free(s->routes);
    free(s->assocs);
    free(s->assoc_targets);
    memset(s, 0, sizeof *s);
}

static int on_snap_item(const aws_xml_node *item, void *payload)
{
    rtb_snap *s = payload;
    s->found = 1;
    const aws_xml_node *set = aws_xml_find(item, "routeSet");
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item")) {
        if (s->nroutes == RTB_MAX_ROUTES)
            return err_set(CAIRN_ELIMIT, "route table lists more than %d routes",
                           RTB_MAX_ROUTES);
        s->routes = xrealloc(s->routes, (s->nroutes + 1) * sizeof *s->routes);
        route_from_xml(&s->routes[s->nroutes++], it);
    }
    set = aws_xml_find(item, "associationSet");
    for (aws_xml_node *a = aws_xml_first(set, "item"); a; a = aws_xml_next(a, "item")) {
        char *main = aws_xml_text(a, "main"), *st = aws_xml_text(a, "associationState/state");
        int skip = (main && strcmp(main, "true") == 0) || (st && strcmp(st, "disassociated") == 0);
        free(main);
        free(st);
        if (skip || s->nassocs >= RTB_MAX_ROUTES)
            continue;
        char *target = xml_str(a, "subnetId");
        if (!target)
            target = xml_str(a, "gatewayId");
        s->assocs = xrealloc(s->assocs, (s->nassocs + 1) * sizeof *s->assocs);
        s->assoc_targets = xrealloc(s->assoc_targets,
                                    (s->nassocs + 1) * sizeof *s->assoc_targets);
        s->assocs[s->nassocs] = xml_str(a, "routeTableAssociationId");
        s->assoc_targets[s->nassocs++] = target;
    }
    return 1;
}

/* The routes and associations of route table id (s->found 0: not listed). */
static int rtb_snapshot(prov_instance *p, const char *id, rtb_snap *s, aws_error *e)
{
    memset(s, 0, sizeof *s);
    int rc = aws_ec2_describe(p, &rtb_by_id, &id, 1, on_snap_item, s, e);
    if (rc < 0)
        snap_free(s);
    return rc < 0 ? rc : 0;
}

/* ================================================================ aws_route_table: schema */

static const prov_attr route_block_attrs[] = {
    {"carrier_gateway_id", "string", PROV_OPTIONAL, NULL, "Carrier gateway (Wavelength)."},
    {"cidr_block", "string", PROV_OPTIONAL, NULL, "IPv4 destination."},
    {"core_network_arn", "string", PROV_OPTIONAL, NULL, "Cloud WAN core network."},
    {"destination_prefix_list_id", "string", PROV_OPTIONAL, NULL, "Prefix list destination."},
    {"egress_only_gateway_id", "string", PROV_OPTIONAL, NULL, "Egress-only internet gateway."},
    {"gateway_id", "string", PROV_OPTIONAL, NULL, "Internet or virtual private gateway."},
    {"ipv6_cidr_block", "string", PROV_OPTIONAL, NULL, "IPv6 destination."},
    {"local_gateway_id", "string", PROV_OPTIONAL, NULL, "Outpost local gateway."},
    {"nat_gateway_id", "string", PROV_OPTIONAL, NULL, "NAT gateway."},
    {"network_interface_id", "string", PROV_OPTIONAL, NULL, "Network interface."},
    {"transit_gateway_id", "string", PROV_OPTIONAL, NULL, "Transit gateway."},
    {"vpc_endpoint_id", "string", PROV_OPTIONAL, NULL, "Gateway Load Balancer endpoint."},
    {"vpc_peering_connection_id", "string", PROV_OPTIONAL, NULL, "VPC peering connection."},
};
static const prov_schema route_block_schema = {route_block_attrs, NELEM(route_block_attrs),
                                               NULL, 0};

static const prov_attr rtb_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the route table."},
    {"id", "string", PROV_COMPUTED, NULL, "The route table id."},
    {"owner_id", "string", PROV_COMPUTED, NULL, "Account that owns the route table."},
    {"propagating_vgws", "set(string)", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Virtual private gateways whose routes propagate into the table."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the route table."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
    {"vpc_id", "string", PROV_REQUIRED | PROV_FORCE_NEW, NULL, "The VPC of the table."},
};
/* Terraform's `route` is an attribute-as-blocks set (PROV_AS_ATTR): blocks
 * or `route = [...]`; neither means "not managed". */
static const prov_block rtb_blocks[] = {
    {"route", PROV_NEST_SET, 0, 0, PROV_AS_ATTR, &route_block_schema},
};
static const prov_schema rtb_schema = {rtb_attrs, NELEM(rtb_attrs), rtb_blocks,
                                       NELEM(rtb_blocks)};

static const aws_ec2_type rtb_type;

/* ================================================================ aws_route_table: reading */

static const aws_ec2_field rtb_fields[] = {
    {"id", "routeTableId", AWS_EC2_STR},
    {"owner_id", "ownerId", AWS_EC2_STR},
    {"vpc_id", "vpcId", AWS_EC2_STR},
};

/* The object type of one route block. */
static ty *route_block_ty(void)
{
    const char *names[RF_N];
    ty *types[RF_N];
    for (size_t i = 0; i < RF_N; i++) {
        names[i] = route_fields[i].block;
        types[i] = ty_string();
    }
    return ty_object(names, types, RF_N, NULL, NULL);
}

/* The `route` set of item: its routes besides the foreign ones. */
static val rtb_routes_val(const aws_xml_node *item)
{
    ty *obj = route_block_ty();
    val set = val_set_empty(ty_copy(obj));
    const aws_xml_node *rs = aws_xml_find(item, "routeSet");
    for (aws_xml_node *it = aws_xml_first(rs, "item"); it; it = aws_xml_next(it, "item")) {
        route r;
        route_from_xml(&r, it);
        if (!route_foreign(&r)) {
            val o = val_object_empty();
            for (size_t i = 0; i < RF_N; i++)
                o = aws_state_str(o, route_fields[i].block, r.f[i]);
            set = val_set_add(set, val_convert(o, obj));
        }
        route_free(&r);
    }
    ty_free(obj);
    return set;
}

static val rtb_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    val st = aws_ec2_fields(aws_state_new(&rtb_schema), item, rtb_fields, NELEM(rtb_fields),
                            prior);
    char *id = aws_xml_text(item, "routeTableId"), *owner = aws_xml_text(item, "ownerId");
    char *res = xasprintf("route-table/%s", id ? id : "");
    char *arn = aws_arn(p, "ec2", owner, res);
    st = aws_state_str(st, "arn", arn);
    free(arn);
    free(res);
    free(id);
    free(owner);
    val vgws = val_set_empty(ty_string());
    const aws_xml_node *set = aws_xml_find(item, "propagatingVgwSet");
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item")) {
        char *gw = xml_str(it, "gatewayId");
        if (gw)
            vgws = val_set_add(vgws, val_string(gw));
        free(gw);
    }
    st = val_object_set(st, "propagating_vgws", vgws);
    st = val_object_set(st, "route", rtb_routes_val(item));
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    return st;
}

/* ================================================================ aws_route_table: checks */

static int rtb_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const val *routes = aws_arg(cfg, "route");
    for (size_t i = 0; routes && i < val_len(*routes); i++) {
        int rc = route_check(*val_at(*routes, i), 1, d);
        if (rc < 0)
            return rc;
    }
    const val *vgws = aws_arg(cfg, "propagating_vgws");
    for (size_t i = 0; vgws && i < val_len(*vgws); i++) {
        const val *v = val_at(*vgws, i);
        if (!val_is_unknown(*v) && val_kind(*v) == VAL_STRING &&
            !aws_id_valid(val_get_string(*v), "vgw"))
            return aws_fail(d, CAIRN_EINVAL, "propagating_vgws", "Invalid propagating_vgws",
                            "\"%s\" is not a virtual private gateway id (vgw-...).",
                            val_get_string(*v));
    }
    return aws_tags_validate(cfg, "tags", d);
}

/* ================================================================ aws_route_table: writing */

/* The planned route blocks into *out (owned, *n of them); a block not
 * known at apply is an error. */
static int rtb_planned_routes(val planned, route **out, size_t *n, prov_diag *d)
{
    const val *set = aws_arg(planned, "route");
    *out = NULL;
    *n = 0;
    if (!set)
        return 0;
    *out = xcalloc(val_len(*set) + 1, sizeof **out);
    for (size_t i = 0; i < val_len(*set); i++) {
        int unknown = route_from_obj(&(*out)[i], *val_at(*set, i), 1);
        *n = i + 1;
        if (unknown != 0)
            return aws_fail(d, CAIRN_EINVAL, "route", "route not known at apply",
                            "A route block still has unknown values at apply.");
        if (route_dest(&(*out)[i]) < 0)
            return aws_fail(d, CAIRN_EINVAL, "route", "Invalid route",
                            "A route block has no destination.");
    }
    return 0;
}

static void routes_free(route *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        route_free(&r[i]);
    free(r);
}

/* One route call on table id, failing with Terraform's wording. */
static int rtb_route_call(prov_instance *p, const char *action, const char *id,
                          const route *r, prov_diag *d)
{
    aws_error e;
    int rc = route_call(p, action, id, r, &e);
    if (rc == CAIRN_EREMOTE && strcmp(action, "DeleteRoute") == 0 &&
        aws_error_is(&e, "InvalidRoute.NotFound"))
        return 0;
    if (rc < 0) {
        char summary[224];
        int di = route_dest(r);
        snprintf(summary, sizeof summary, "%s in Route Table (%s) with destination (%s)",
                 strcmp(action, "CreateRoute") == 0 ? "creating Route"
                 : strcmp(action, "ReplaceRoute") == 0 ? "updating Route" : "deleting Route",
                 id, di >= 0 ? r->f[di] : "?");
        return aws_fail_call(d, rc, &e, summary);
    }
    return 0;
}

/* Bring the routes of table id to planned's route blocks: DeleteRoute for
 * routes (besides foreign ones) whose destination is not planned,
 * ReplaceRoute where the target differs, CreateRoute for new destinations.
 * Nothing is done when the planned routes are unset (not managed) or the
 * same as prior's (another resource's aws_route may be landing now), nor
 * for a new table without routes.  The table is listed afresh, so that
 * routes added or removed outside cairn count.  Returns the number of
 * calls made. */
static int rtb_sync_routes(prov_instance *p, const char *id, val prior, val planned,
                           prov_diag *d)
{
    route *want = NULL;
    size_t nwant = 0;
    rtb_snap s = {0};
    aws_error e;
    int calls = 0;
    const val *to = aws_arg(planned, "route"), *from = aws_arg(prior, "route");
    if (!to || (from && val_raw_equal(*from, *to)))
        return 0;
    int rc = rtb_planned_routes(planned, &want, &nwant, d);
    if (rc == 0 && nwant == 0 && !from)
        goto done;
    if (rc == 0 && (rc = rtb_snapshot(p, id, &s, &e)) < 0)
        aws_fail_call(d, rc, &e, "reading EC2 Route Table routes");
    for (size_t i = 0; rc == 0 && i < s.nroutes; i++) {
        size_t j = 0;
        while (j < nwant && !route_same_dest(&s.routes[i], &want[j]))
            j++;
        if (j == nwant && !route_foreign(&s.routes[i]) && route_dest(&s.routes[i]) >= 0) {
            rc = rtb_route_call(p, "DeleteRoute", id, &s.routes[i], d);
            calls++;
        }
    }
    for (size_t j = 0; rc == 0 && j < nwant; j++) {
        size_t i = 0;
        while (i < s.nroutes && !route_same_dest(&s.routes[i], &want[j]))
            i++;
        if (i < s.nroutes && route_same_target(&s.routes[i], &want[j]))
            continue;
        rc = rtb_route_call(p, i < s.nroutes ? "ReplaceRoute" : "CreateRoute", id, &want[j], d);
        calls++;
    }
done:
    snap_free(&s);
    routes_free(want, nwant);
    return rc < 0 ? rc : calls;
}

/* Whether set (a set of strings, borrowed, may be NULL) holds s. */
static int set_has(const val *set, const char *s)
{
    for (size_t i = 0; set && i < val_len(*set); i++) {
        const val *v = val_at(*set, i);
        if (val_kind(*v) == VAL_STRING && strcmp(val_get_string(*v), s) == 0)
            return 1;
    }
    return 0;
}

/* Enable or disable route propagation from the gateways in `from` missing
 * in `other`.  Returns the number of calls made. */
static int rtb_vgw_calls(prov_instance *p, const char *id, const val *from, const val *other,
                         int enable, prov_diag *d)
{
    int calls = 0;
    for (size_t i = 0; from && i < val_len(*from); i++) {
        const val *v = val_at(*from, i);
        if (val_is_unknown(*v) || val_kind(*v) != VAL_STRING ||
            set_has(other, val_get_string(*v)))
            continue;
        const char *kv[2] = {"GatewayId", val_get_string(*v)};
        int rc = aws_ec2_simple(p, enable ? "EnableVgwRoutePropagation"
                                          : "DisableVgwRoutePropagation", "RouteTableId", id,
                                kv, 1, enable ? "enabling EC2 Route Table route propagation"
                                              : "disabling EC2 Route Table route propagation",
                                d);
        if (rc < 0)
            return rc;
        calls++;
    }
    return calls;
}

/* propagating_vgws from prior's to planned's (planned null: unmanaged). */
static int rtb_sync_vgws(prov_instance *p, const char *id, val prior, val planned,
                         prov_diag *d)
{
    const val *want = aws_arg(planned, "propagating_vgws");
    const val *have = aws_arg(prior, "propagating_vgws");
    if (!want)
        return 0;
    int off = rtb_vgw_calls(p, id, have, want, 0, d);
    if (off < 0)
        return off;
    int on = rtb_vgw_calls(p, id, want, have, 1, d);
    return on < 0 ? on : off + on;
}

/* After CreateRouteTable, and on update: propagation, then routes (as
 * Terraform orders them).  Returns the number of calls made. */
static int rtb_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                      val planned, prov_diag *d)
{
    (void)c;
    int vg = rtb_sync_vgws(p, id, prior, planned, d);
    if (vg < 0)
        return vg;
    int rt = rtb_sync_routes(p, id, prior, planned, d);
    return rt < 0 ? rt : vg + rt;
}

static void rtb_params(aws_params *prm, val planned)
{
    const char *vpc = aws_arg_str(planned, "vpc_id");
    if (vpc)
        aws_params_add(prm, "VpcId", vpc);
}

static const char *const rtb_ready[] = {"present", NULL};
static const char *const rtb_busy[] = {"DependencyViolation", NULL};

static const aws_ec2_type rtb_type = {
    .noun = "EC2 Route Table",
    .id_prefix = "rtb",
    .id_path = "routeTableId",
    .state_path = NULL,
    .ready = rtb_ready,
    .tag_rtype = "route-table",
    .query = {"DescribeRouteTables", "routeTableSet", "route-table-id", RTB_MAX_RESULTS, NULL,
              0},
    .build = rtb_build,
    .finish = NULL,
    .delete_action = "DeleteRouteTable",
    .id_param = "RouteTableId",
    .notfound = "InvalidRouteTableID.NotFound",
    .busy = rtb_busy,
    .create_timeout_ms = RT_CREATE_TIMEOUT_MS,
    .delete_timeout_ms = RT_DELETE_TIMEOUT_MS,
    .wait_gone = 1,
    .create_action = "CreateRouteTable",
    .create_item = "routeTable",
    .client_token = "ClientToken",
    .create_params = rtb_params,
    .after_create = rtb_change,
    .change = rtb_change,
    .validate = rtb_validate,
};

AWS_EC2_OPS(rtb_gen, rtb_type)

/* DisassociateRouteTable of association id; gone already is success. */
static int disassociate(prov_instance *p, const char *id, prov_diag *d)
{
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "AssociationId", id);
    aws_request req = {.svc = AWS_EC2, .action = "DisassociateRouteTable",
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    aws_error e;
    int rc = aws_call(p->client, &req, &resp, &e);
    aws_params_free(prm);
    if (rc == 0)
        aws_response_free(&resp);
    else if (rc == CAIRN_EREMOTE && aws_error_is(&e, "InvalidAssociationID.NotFound"))
        rc = 0;
    if (rc < 0) {
        char summary[160];
        snprintf(summary, sizeof summary, "deleting Route Table Association (%s)", id);
        return aws_fail_call(d, rc, &e, summary);
    }
    return 0;
}

/* delete: Terraform disassociates every (non-main) association first, then
 * deletes the table, retrying DependencyViolation until the timeout. */
static int rtb_del(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    const char *id = aws_arg_str(prior, "id");
    rtb_snap s;
    aws_error e;
    if (!id)
        return 0;
    int rc = rtb_snapshot(p, id, &s, &e);
    if (rc < 0)
        return aws_fail_call(d, rc, &e, "reading EC2 Route Table associations");
    for (size_t i = 0; rc == 0 && i < s.nassocs; i++)
        if (s.assocs[i])
            rc = disassociate(p, s.assocs[i], d);
    int found = s.found;
    snap_free(&s);
    if (rc < 0 || !found)
        return rc;
    return rtb_gen_del(p, c, prior, d);
}

/* ================================================================ aws_route: schema */

static const prov_attr route_attrs[] = {
    {"carrier_gateway_id", "string", PROV_OPTIONAL, NULL, "Carrier gateway (Wavelength)."},
    {"core_network_arn", "string", PROV_OPTIONAL, NULL, "Cloud WAN core network."},
    {"destination_cidr_block", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "IPv4 destination."},
    {"destination_ipv6_cidr_block", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "IPv6 destination."},
    {"destination_prefix_list_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Prefix list destination."},
    {"egress_only_gateway_id", "string", PROV_OPTIONAL, NULL, "Egress-only internet gateway."},
    {"gateway_id", "string", PROV_OPTIONAL, NULL, "Internet or virtual private gateway."},
    {"id", "string", PROV_COMPUTED, NULL, "r-<route table id><hash of the destination>."},
    {"instance_id", "string", PROV_COMPUTED, NULL, "Instance behind the network interface."},
    {"instance_owner_id", "string", PROV_COMPUTED, NULL, "Account of that instance."},
    {"local_gateway_id", "string", PROV_OPTIONAL, NULL, "Outpost local gateway."},
    {"nat_gateway_id", "string", PROV_OPTIONAL, NULL, "NAT gateway."},
    {"network_interface_id", "string", PROV_OPTIONAL | PROV_COMPUTED, NULL,
     "Network interface."},
    {"origin", "string", PROV_COMPUTED, NULL, "How the route was created."},
    {"route_table_id", "string", PROV_REQUIRED | PROV_FORCE_NEW, NULL, "The route table."},
    {"state", "string", PROV_COMPUTED, NULL, "active or blackhole."},
    {"transit_gateway_id", "string", PROV_OPTIONAL, NULL, "Transit gateway."},
    {"vpc_endpoint_id", "string", PROV_OPTIONAL, NULL, "Gateway Load Balancer endpoint."},
    {"vpc_peering_connection_id", "string", PROV_OPTIONAL, NULL, "VPC peering connection."},
};
static const prov_schema route_schema = {route_attrs, NELEM(route_attrs), NULL, 0};

/* ================================================================ aws_route: reading */

/* CRC-32 (IEEE), the hash Terraform's route ids are made of. */
static unsigned long crc32_ieee(const char *s)
{
    unsigned long crc = 0xFFFFFFFFUL;
    for (; *s; s++) {
        crc ^= (unsigned char)*s;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320UL & (0UL - (crc & 1)));
    }
    return crc ^ 0xFFFFFFFFUL;
}

/* Terraform's id of a route: "r-" + table id + CRC-32 of the destination. */
static char *route_id(const char *rtb, const char *dest)
{
    return xasprintf("r-%s%lu", rtb, crc32_ieee(dest));
}

/* The state of route r of table rtb. */
static val route_state(const route *r, const char *rtb)
{
    val st = aws_state_new(&route_schema);
    for (size_t i = 0; i < RF_N; i++)
        st = aws_state_str(st, route_fields[i].attr, r->f[i]);
    st = aws_state_str(st, "route_table_id", rtb);
    st = aws_state_str(st, "instance_id", r->instance_id);
    st = aws_state_str(st, "instance_owner_id", r->instance_owner_id);
    st = aws_state_str(st, "origin", r->origin);
    st = aws_state_str(st, "state", r->state);
    int di = route_dest(r);
    char *id = route_id(rtb, di >= 0 ? r->f[di] : "");
    st = aws_state_str(st, "id", id);
    free(id);
    return st;
}

struct route_batch {
    const val *priors;
    val *states;
    keyref *refs;
    size_t nrefs;
};

/* Each listed table: the states of the priors in it whose destination it
 * routes. */
static int on_route_table(const aws_xml_node *item, void *payload)
{
    struct route_batch *b = payload;
    char *rtb = aws_xml_text(item, "routeTableId");
    const keyref *hit = rtb ? keyref_find(b->refs, b->nrefs, rtb) : NULL;
    const aws_xml_node *set = aws_xml_find(item, "routeSet");
    for (; hit && hit < b->refs + b->nrefs && strcmp(hit->key, rtb) == 0; hit++) {
        route want;
        if (route_from_obj(&want, b->priors[hit->i], 0) < 0)
            continue;
        for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item")) {
            route r;
            route_from_xml(&r, it);
            if (route_same_dest(&r, &want)) {
                val_free(b->states[hit->i]);
                b->states[hit->i] = route_state(&r, rtb);
                route_free(&r);
                break;
            }
            route_free(&r);
        }
        route_free(&want);
    }
    free(rtb);
    return 0;
}

/* read_many: one DescribeRouteTables per 200 distinct route tables; a
 * route whose table or destination is no longer listed is gone. */
static int route_read_many(prov_instance *p, const prov_call *c, const val *priors, size_t n,
                           val *states, prov_diag *d)
{
    (void)c;
    for (size_t i = 0; i < n; i++)
        states[i] = val_null();
    struct route_batch b = {priors, states, NULL, 0};
    b.refs = keyrefs(priors, n, "route_table_id", &b.nrefs);
    size_t nids;
    const char **ids = keyref_unique(b.refs, b.nrefs, &nids);
    aws_error e;
    int rc = aws_ec2_describe(p, &rtb_by_id, ids, nids, on_route_table, &b, &e);
    if (rc < 0) {
        aws_fail_call(d, rc, &e, "reading Routes");
        for (size_t i = 0; i < n; i++) {
            val_free(states[i]);
            states[i] = val_invalid();
        }
    }
    free(ids);
    free(b.refs);
    return rc;
}

static int route_read(prov_instance *p, const prov_call *c, val prior, val *state,
                      prov_diag *d)
{
    return route_read_many(p, c, &prior, 1, state, d);
}

/* ================================================================ aws_route: writing */

static int route_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *rtb = aws_arg_str(cfg, "route_table_id");
    if (rtb && !aws_id_valid(rtb, "rtb"))
        return aws_fail(d, CAIRN_EINVAL, "route_table_id", "Invalid route_table_id",
                        "\"%s\" is not a route table id (rtb-...).", rtb);
    return route_check(cfg, 0, d);
}

/* ---------------------------------------------------------------- waiting until listed */

typedef int (*read_fn)(prov_instance *p, const prov_call *c, val prior, val *state,
                       prov_diag *d);

struct listed_wait {
    prov_instance *p;
    const prov_call *c;
    read_fn read;
    val prior;
    val state;
    prov_diag *d;
};

static int listed_poll(char **status, void *payload)
{
    struct listed_wait *w = payload;
    val_free(w->state);
    w->state = val_invalid();
    int rc = w->read(w->p, w->c, w->prior, &w->state, w->d);
    if (rc < 0)
        return rc;
    *status = val_is_null(w->state) ? NULL : xstrdup("present");
    return 0;
}

/* Wait until the object prior names is listed (a new route or association
 * may not be at once); *state receives its state. */
static int wait_listed(prov_instance *p, const prov_call *c, read_fn read, val prior,
                       long timeout_ms, const char *what, val *state, prov_diag *d)
{
    static const char *const present[] = {"present", NULL};
    struct listed_wait w = {p, c, read, prior, val_invalid(), d};
    aws_waiter wt = {.target = present, .timeout_ms = timeout_ms,
                     .min_delay_ms = AWS_EC2_WAIT_MIN_MS, .max_delay_ms = AWS_EC2_WAIT_MAX_MS,
                     .cancel = c->cancel, .what = what};
    *state = val_invalid();
    int rc = aws_wait(&wt, listed_poll, &w, NULL);
    if (rc < 0) {
        val_free(w.state);
        char summary[160];
        snprintf(summary, sizeof summary, "waiting for %s", what);
        return d->summary[0] && rc == CAIRN_EREMOTE ? rc : aws_fail_call(d, rc, NULL, summary);
    }
    *state = w.state;
    return 0;
}

struct route_create_ctx {
    prov_instance *p;
    const char *rtb;
    const route *r;
};

static int route_create_once(void *payload, aws_error *e)
{
    struct route_create_ctx *cc = payload;
    return route_call(cc->p, "CreateRoute", cc->rtb, cc->r, e);
}

/* Codes that mean "not visible yet" right after the table or gateway was
 * created (Terraform retries the same). */
static const char *const route_propagation_codes[] = {
    "InvalidRouteTableID.NotFound", "InvalidTransitGatewayID.NotFound", NULL};

/* Whether route r of rtb is listed with r's target (an ambiguous create
 * that took effect). */
static int route_landed(prov_instance *p, const prov_call *c, val planned, const route *r)
{
    val st = val_invalid();
    prov_diag dd = {0};
    int landed = 0;
    if (route_read(p, c, planned, &st, &dd) == 0 && !val_is_null(st)) {
        route got;
        if (route_from_obj(&got, st, 0) == 0) {
            landed = route_same_target(&got, r);
            route_free(&got);
        }
    }
    val_free(st);
    return landed;
}

/* find_by_token: the route the interrupted create was to make, if listed
 * with its planned target; null when it is not (or nothing was recorded). */
static int route_find_by_token(prov_instance *p, const prov_call *c, val *state, prov_diag *d)
{
    *state = val_null();
    route r;
    if (!val_is_valid(c->planned) || !aws_arg_str(c->planned, "route_table_id") ||
        route_from_obj(&r, c->planned, 0) < 0)
        return 0;
    val st = val_invalid();
    int rc = route_read(p, c, c->planned, &st, d);
    route got;
    if (rc == 0 && !val_is_null(st) && route_from_obj(&got, st, 0) == 0) {
        if (route_same_target(&got, &r)) {
            val_free(*state);
            *state = st;
            st = val_invalid();
        }
        route_free(&got);
    }
    val_free(st);
    route_free(&r);
    return rc;
}

static int route_create(prov_instance *p, const prov_call *c, val planned, val *state,
                        prov_diag *d)
{
    route r;
    aws_error e;
    *state = val_invalid();
    int rc = route_validate(p, c, planned, d);
    if (rc < 0)
        return rc;
    const char *rtb = aws_arg_str(planned, "route_table_id");
    if (!rtb || route_from_obj(&r, planned, 0) < 0)
        return aws_fail(d, CAIRN_EINVAL, "route_table_id", "Route not known at apply",
                        "The route's table, destination or target is still unknown.");
    struct route_create_ctx cc = {p, rtb, &r};
    long tmo = aws_timeout(c, RT_CREATE_TIMEOUT_MS);
    /* An ambiguous failure (5xx, lost answer) is settled by looking: a route
     * that landed is ours; one that did not is sent again (a table holds
     * one route per destination, so a second send cannot duplicate it). */
    for (int attempt = 0;; attempt++) {
        rc = aws_retry_codes(c, tmo < RT_PROPAGATION_MS ? tmo : RT_PROPAGATION_MS,
                             route_propagation_codes, route_create_once, &cc, &e);
        if (rc < 0 && ambiguous(rc, &e) && route_landed(p, c, planned, &r))
            rc = 0;
        if (rc == 0 || !ambiguous(rc, &e) || attempt + 1 >= RT_CREATE_ATTEMPTS ||
            aws_call_cancelled(c))
            break;
    }
    if (rc < 0) {
        char summary[224];
        snprintf(summary, sizeof summary,
                 "creating Route in Route Table (%s) with destination (%s)", rtb,
                 r.f[route_dest(&r)]);
        rc = aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &e : NULL, summary);
    }
    if (rc == 0)
        rc = wait_listed(p, c, route_read, planned, tmo, "the Route", state, d);
    route_free(&r);
    return rc;
}

/* update: a new target is ReplaceRoute (the destination forces a new
 * route); then the route as listed. */
static int route_update(prov_instance *p, const prov_call *c, val prior, val planned,
                        val *state, prov_diag *d)
{
    route want, have;
    *state = val_invalid();
    const char *rtb = aws_arg_str(planned, "route_table_id");
    if (!rtb || route_from_obj(&want, planned, 0) < 0)
        return aws_fail(d, CAIRN_EINVAL, "route_table_id", "Route not known at apply",
                        "The route's table, destination or target is still unknown.");
    int rc = route_check(planned, 0, d);
    if (rc == 0 && route_from_obj(&have, prior, 0) == 0) {
        if (!route_same_target(&have, &want))
            rc = rtb_route_call(p, "ReplaceRoute", rtb, &want, d);
        route_free(&have);
    }
    if (rc == 0)
        rc = wait_listed(p, c, route_read, planned, aws_timeout(c, RT_UPDATE_TIMEOUT_MS),
                         "the Route", state, d);
    route_free(&want);
    return rc;
}

static int route_del(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    (void)c;
    route r;
    aws_error e;
    const char *rtb = aws_arg_str(prior, "route_table_id");
    if (!rtb || route_from_obj(&r, prior, 0) < 0 || route_dest(&r) < 0)
        return 0;
    int rc = route_call(p, "DeleteRoute", rtb, &r, &e);
    if (rc == CAIRN_EREMOTE && (aws_error_is(&e, "InvalidRoute.NotFound") ||
                                aws_error_is(&e, "InvalidRouteTableID.NotFound")))
        rc = 0;
    if (rc < 0) {
        char summary[224];
        snprintf(summary, sizeof summary,
                 "deleting Route in Route Table (%s) with destination (%s)", rtb,
                 r.f[route_dest(&r)]);
        aws_fail_call(d, rc, &e, summary);
    }
    route_free(&r);
    return rc;
}

/* import: "<route table id>_<destination>", the destination an IPv6 CIDR
 * (has ':'), an IPv4 CIDR (has '.') or a prefix list id, as Terraform. */
static int route_import(prov_instance *p, const prov_call *c, const char *id, val *state,
                        prov_diag *d)
{
    *state = val_invalid();
    const char *us = id ? strchr(id, '_') : NULL;
    if (!us || us == id || !us[1] || strchr(us + 1, '_') || strlen(id) > 2 * AWS_MAX_ID_LEN)
        return aws_fail(d, CAIRN_EINVAL, "id", "Invalid import id",
                        "\"%s\" is not ROUTETABLEID_DESTINATION (rtb-0123456789abcdef0_"
                        "10.0.0.0/16, rtb-..._::/0 or rtb-..._pl-...).", id ? id : "");
    char *rtb = xstrndup(id, (size_t)(us - id));
    const char *dest = us + 1;
    const char *attr = strchr(dest, ':') ? "destination_ipv6_cidr_block"
                       : strchr(dest, '.') ? "destination_cidr_block"
                                           : "destination_prefix_list_id";
    val prior = aws_state_str(aws_state_str(val_object_empty(), "route_table_id", rtb), attr,
                              dest);
    int rc = aws_id_valid(rtb, "rtb") ? route_read(p, c, prior, state, d)
                                      : aws_fail(d, CAIRN_EINVAL, "id", "Invalid import id",
                                                 "\"%s\" is not a route table id.", rtb);
    if (rc == 0 && val_is_null(*state)) {
        val_free(*state);
        *state = val_invalid();
        rc = aws_fail(d, CAIRN_ENOTFOUND, "id", "Cannot import non-existent remote object",
                      "Route table %s has no route to %s in region %s.", rtb, dest,
                      aws_client_region(p->client));
    }
    val_free(prior);
    free(rtb);
    return rc;
}

/* ================================================================ aws_route_table_association */

static const prov_attr assoc_attrs[] = {
    {"gateway_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Internet or virtual private gateway to associate (conflicts with subnet_id)."},
    {"id", "string", PROV_COMPUTED, NULL, "The association id."},
    {"route_table_id", "string", PROV_REQUIRED, NULL, "The route table."},
    {"subnet_id", "string", PROV_OPTIONAL | PROV_FORCE_NEW, NULL,
     "Subnet to associate (conflicts with gateway_id)."},
};
static const prov_schema assoc_schema = {assoc_attrs, NELEM(assoc_attrs), NULL, 0};

/* The state of association item a of table rtb. */
static val assoc_state(const aws_xml_node *a, const char *rtb)
{
    char *id = xml_str(a, "routeTableAssociationId"), *sub = xml_str(a, "subnetId");
    char *gw = xml_str(a, "gatewayId");
    val st = aws_state_new(&assoc_schema);
    st = aws_state_str(st, "id", id);
    st = aws_state_str(st, "route_table_id", rtb);
    st = aws_state_str(st, "subnet_id", sub);
    st = aws_state_str(st, "gateway_id", gw);
    free(id);
    free(sub);
    free(gw);
    return st;
}

/* Whether association item a is gone (or going). */
static int assoc_gone(const aws_xml_node *a)
{
    char *st = aws_xml_text(a, "associationState/state");
    int gone = st && (strcmp(st, "disassociated") == 0 || strcmp(st, "disassociating") == 0 ||
                      strcmp(st, "failed") == 0);
    free(st);
    return gone;
}

struct assoc_batch {
    val *states;
    keyref *refs;
    size_t nrefs;
};

static int on_assoc_table(const aws_xml_node *item, void *payload)
{
    struct assoc_batch *b = payload;
    char *rtb = aws_xml_text(item, "routeTableId");
    const aws_xml_node *set = aws_xml_find(item, "associationSet");
    for (aws_xml_node *a = aws_xml_first(set, "item"); a; a = aws_xml_next(a, "item")) {
        char *id = xml_str(a, "routeTableAssociationId");
        const keyref *hit = id && !assoc_gone(a) ? keyref_find(b->refs, b->nrefs, id) : NULL;
        for (; hit && hit < b->refs + b->nrefs && strcmp(hit->key, id) == 0; hit++) {
            val_free(b->states[hit->i]);
            b->states[hit->i] = assoc_state(a, rtb);
        }
        free(id);
    }
    free(rtb);
    return 0;
}

/* read_many: one DescribeRouteTables per 200 association ids (Filter
 * association.route-table-association-id). */
static int assoc_read_many(prov_instance *p, const prov_call *c, const val *priors, size_t n,
                           val *states, prov_diag *d)
{
    (void)c;
    for (size_t i = 0; i < n; i++)
        states[i] = val_null();
    struct assoc_batch b = {states, NULL, 0};
    b.refs = keyrefs(priors, n, "id", &b.nrefs);
    size_t nids;
    const char **ids = keyref_unique(b.refs, b.nrefs, &nids);
    aws_error e;
    int rc = aws_ec2_describe(p, &rtb_by_assoc, ids, nids, on_assoc_table, &b, &e);
    if (rc < 0) {
        aws_fail_call(d, rc, &e, "reading EC2 Route Table Associations");
        for (size_t i = 0; i < n; i++) {
            val_free(states[i]);
            states[i] = val_invalid();
        }
    }
    free(ids);
    free(b.refs);
    return rc;
}

static int assoc_read(prov_instance *p, const prov_call *c, val prior, val *state,
                      prov_diag *d)
{
    return assoc_read_many(p, c, &prior, 1, state, d);
}


/* Whether attribute name of obj is set, known or not. */
static int arg_set(val obj, const char *name)
{
    const val *v = val_is_valid(obj) && !val_is_unknown(obj) && val_kind(obj) == VAL_OBJECT
                       ? val_lookup(obj, name) : NULL;
    return v && (val_is_unknown(*v) || !val_is_null(*v));
}

static int assoc_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    int sub = arg_set(cfg, "subnet_id"), gw = arg_set(cfg, "gateway_id");
    const char *rtb = aws_arg_str(cfg, "route_table_id");
    if (!sub && !gw)
        return aws_fail(d, CAIRN_EINVAL, "subnet_id", "Invalid combination of arguments",
                        "\"subnet_id\": one of `gateway_id,subnet_id` must be specified.");
    if (sub && gw)
        return aws_fail(d, CAIRN_EINVAL, "gateway_id", "Invalid combination of arguments",
                        "\"gateway_id\": only one of `gateway_id,subnet_id` can be specified, "
                        "but `gateway_id,subnet_id` were specified.");
    if (rtb && !aws_id_valid(rtb, "rtb"))
        return aws_fail(d, CAIRN_EINVAL, "route_table_id", "Invalid route_table_id",
                        "\"%s\" is not a route table id (rtb-...).", rtb);
    return 0;
}

/* ---------------------------------------------------------------- lookups by natural key */

struct assoc_find {
    const char *target;
    char *id;
};

static int on_assoc_find(const aws_xml_node *item, void *payload)
{
    struct assoc_find *f = payload;
    const aws_xml_node *set = aws_xml_find(item, "associationSet");
    for (aws_xml_node *a = aws_xml_first(set, "item"); a && !f->id; a = aws_xml_next(a, "item")) {
        char *sub = xml_str(a, "subnetId"), *gw = xml_str(a, "gatewayId");
        if ((str_eq(sub, f->target) || str_eq(gw, f->target)) && !assoc_gone(a))
            f->id = xml_str(a, "routeTableAssociationId");
        free(sub);
        free(gw);
    }
    return 1;
}

/* The id of the association of table rtb with target (a subnet or gateway
 * id): *id owned, NULL when there is none. */
static int assoc_find_id(prov_instance *p, const char *rtb, const char *target, char **id,
                         aws_error *e)
{
    struct assoc_find f = {target, NULL};
    int rc = aws_ec2_describe(p, &rtb_by_id, &rtb, 1, on_assoc_find, &f, e);
    *id = f.id;
    return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- calls */

struct assoc_call {
    prov_instance *p;
    const char *action;     /* AssociateRouteTable or ReplaceRouteTableAssociation */
    const char *kv[4];      /* its parameters */
    const char *result;     /* the new id's element */
    char *id;               /* the new association id (owned) */
};

static int assoc_call_once(void *payload, aws_error *e)
{
    struct assoc_call *ac = payload;
    aws_params *prm = aws_params_new();
    for (size_t i = 0; i < 4; i += 2)
        aws_params_add(prm, ac->kv[i], ac->kv[i + 1]);
    int create = strcmp(ac->action, "AssociateRouteTable") == 0;
    aws_request req = {.svc = AWS_EC2, .action = ac->action,
                       .retry = create ? AWS_RETRY_UNSAFE : AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    int rc = aws_call(ac->p->client, &req, &resp, e);
    aws_params_free(prm);
    if (rc < 0)
        return rc;
    free(ac->id);
    ac->id = xml_str(aws_xml_root(resp.xml), ac->result);
    aws_response_free(&resp);
    if (!ac->id)
        return err_set(CAIRN_EPROTO, "The %s response has no %s.", ac->action, ac->result);
    return 0;
}

/* Run ac, retrying "route table not visible yet" for a bounded time. */
static int assoc_run(const prov_call *c, long timeout_ms, struct assoc_call *ac, aws_error *e)
{
    static const char *const codes[] = {"InvalidRouteTableID.NotFound", NULL};
    return aws_retry_codes(c, timeout_ms < RT_PROPAGATION_MS ? timeout_ms : RT_PROPAGATION_MS,
                           codes, assoc_call_once, ac, e);
}

/* The state of association id as listed (waiting until it is). */
static int assoc_listed(prov_instance *p, const prov_call *c, const char *id, long tmo,
                        val *state, prov_diag *d)
{
    val prior = aws_state_str(val_object_empty(), "id", id);
    int rc = wait_listed(p, c, assoc_read, prior, tmo, "the Route Table Association", state, d);
    val_free(prior);
    return rc;
}

static int assoc_create(prov_instance *p, const prov_call *c, val planned, val *state,
                        prov_diag *d)
{
    *state = val_invalid();
    int rc = assoc_validate(p, c, planned, d);
    if (rc < 0)
        return rc;
    const char *rtb = aws_arg_str(planned, "route_table_id");
    const char *sub = aws_arg_str(planned, "subnet_id"), *gw = aws_arg_str(planned, "gateway_id");
    if (!rtb || (!sub && !gw))
        return aws_fail(d, CAIRN_EINVAL, "route_table_id", "Association not known at apply",
                        "The route table, subnet or gateway is still unknown.");
    struct assoc_call ac = {p, "AssociateRouteTable",
                            {"RouteTableId", rtb, sub ? "SubnetId" : "GatewayId", sub ? sub : gw},
                            "associationId", NULL};
    aws_error e;
    long tmo = aws_timeout(c, RT_CREATE_TIMEOUT_MS);
    /* As for routes: an ambiguous failure is settled by looking, and sent
     * again when nothing landed (a subnet has one association). */
    for (int attempt = 0;; attempt++) {
        rc = assoc_run(c, tmo, &ac, &e);
        if (rc < 0 && ambiguous(rc, &e)) {
            aws_error e2;
            if (assoc_find_id(p, rtb, sub ? sub : gw, &ac.id, &e2) == 0 && ac.id)
                rc = 0;
        }
        if (rc == 0 || !ambiguous(rc, &e) || attempt + 1 >= RT_CREATE_ATTEMPTS ||
            aws_call_cancelled(c))
            break;
    }
    if (rc < 0) {
        char summary[224];
        snprintf(summary, sizeof summary, "creating Route Table (%s) Association", rtb);
        rc = aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &e : NULL, summary);
    }
    if (rc == 0)
        rc = assoc_listed(p, c, ac.id, tmo, state, d);
    free(ac.id);
    return rc;
}

/* find_by_token: the association the interrupted create was to make (the
 * planned table with the planned subnet or gateway), or null. */
static int assoc_find_by_token(prov_instance *p, const prov_call *c, val *state,
                               prov_diag *d)
{
    *state = val_null();
    const char *rtb = val_is_valid(c->planned) ? aws_arg_str(c->planned, "route_table_id")
                                               : NULL;
    const char *sub = rtb ? aws_arg_str(c->planned, "subnet_id") : NULL;
    const char *gw = rtb ? aws_arg_str(c->planned, "gateway_id") : NULL;
    if (!rtb || (!sub && !gw))
        return 0;
    aws_error e;
    char *id = NULL;
    int rc = assoc_find_id(p, rtb, sub ? sub : gw, &id, &e);
    if (rc < 0)
        return aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &e : NULL,
                             "looking for an interrupted Route Table Association");
    if (id) {
        val_free(*state);
        val prior = aws_state_str(val_object_empty(), "id", id);
        rc = assoc_read(p, c, prior, state, d);
        val_free(prior);
        free(id);
    }
    return rc;
}

/* update: another route table is ReplaceRouteTableAssociation, which gives
 * the association a new id. */
static int assoc_update(prov_instance *p, const prov_call *c, val prior, val planned,
                        val *state, prov_diag *d)
{
    *state = val_invalid();
    const char *id = aws_arg_str(prior, "id"), *rtb = aws_arg_str(planned, "route_table_id");
    if (!id || !rtb)
        return aws_fail(d, CAIRN_EINVAL, "route_table_id", "Association not known at apply",
                        "The association id or the route table is unknown.");
    long tmo = aws_timeout(c, RT_UPDATE_TIMEOUT_MS);
    if (!aws_arg_changed(prior, planned, "route_table_id"))
        return assoc_listed(p, c, id, tmo, state, d);
    struct assoc_call ac = {p, "ReplaceRouteTableAssociation",
                            {"AssociationId", id, "RouteTableId", rtb}, "newAssociationId", NULL};
    aws_error e;
    int rc = assoc_run(c, tmo, &ac, &e);
    if (rc < 0) {
        char summary[224];
        snprintf(summary, sizeof summary, "updating Route Table Association (%s)", id);
        rc = aws_fail_call(d, rc, rc == CAIRN_EREMOTE ? &e : NULL, summary);
    }
    if (rc == 0)
        rc = assoc_listed(p, c, ac.id, tmo, state, d);
    free(ac.id);
    return rc;
}

static int assoc_del(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    (void)c;
    const char *id = aws_arg_str(prior, "id");
    return id ? disassociate(p, id, d) : 0;
}

/* import: "<subnet id>/<route table id>" or "<gateway id>/<route table id>",
 * as Terraform. */
static int assoc_import(prov_instance *p, const prov_call *c, const char *id, val *state,
                        prov_diag *d)
{
    *state = val_invalid();
    const char *sl = id ? strchr(id, '/') : NULL;
    if (!sl || sl == id || !sl[1] || strchr(sl + 1, '/') || strlen(id) > 2 * AWS_MAX_ID_LEN)
        return aws_fail(d, CAIRN_EINVAL, "id", "Invalid import id",
                        "unexpected format for ID (\"%s\"), expected <subnet-id>/"
                        "<route-table-id> or <gateway-id>/<route-table-id>.", id ? id : "");
    char *target = xstrndup(id, (size_t)(sl - id)), *assoc = NULL;
    const char *rtb = sl + 1;
    aws_error e;
    int rc = 0;
    if (!aws_id_valid(rtb, "rtb"))
        rc = aws_fail(d, CAIRN_EINVAL, "id", "Invalid import id",
                      "\"%s\" is not a route table id.", rtb);
    if (rc == 0 && (rc = assoc_find_id(p, rtb, target, &assoc, &e)) < 0)
        aws_fail_call(d, rc, &e, "importing Route Table Association");
    if (rc == 0 && !assoc)
        rc = aws_fail(d, CAIRN_ENOTFOUND, "id", "Cannot import non-existent remote object",
                      "no association found between route table ID (%s) and target ID (%s).",
                      rtb, target);
    if (rc == 0) {
        val prior = aws_state_str(val_object_empty(), "id", assoc);
        rc = assoc_read(p, c, prior, state, d);
        val_free(prior);
    }
    free(assoc);
    free(target);
    return rc;
}

/* ================================================================ the family */

/* Durations are the scheduler's hints: a route table is a create, a
 * listing and a few route calls; a route or an association, two calls. */
static const prov_resource_type types[] = {
    {
        .name = "aws_route_table",
        .schema_version = 0,
        .schema = &rtb_schema,
        .durations = {.create_ms = 1500, .update_ms = 1000, .delete_ms = 1500,
                      .read_ms = 500},
        .ops = {.validate = rtb_validate, .plan = aws_plan_tags, .create = rtb_gen_create,
                .read = rtb_gen_read, .read_many = rtb_gen_read_many,
                .update = rtb_gen_update, .del = rtb_del, .import = rtb_gen_import,
                .find_by_token = rtb_gen_find_by_token},
    },
    {
        .name = "aws_route",
        .schema_version = 0,
        .schema = &route_schema,
        .durations = {.create_ms = 1000, .update_ms = 1000, .delete_ms = 1000,
                      .read_ms = 500},
        .ops = {.validate = route_validate, .plan = NULL, .create = route_create,
                .read = route_read, .read_many = route_read_many, .update = route_update,
                .del = route_del, .import = route_import,
                .find_by_token = route_find_by_token},
    },
    {
        .name = "aws_route_table_association",
        .schema_version = 0,
        .schema = &assoc_schema,
        .durations = {.create_ms = 1000, .update_ms = 1000, .delete_ms = 1000,
                      .read_ms = 500},
        .ops = {.validate = assoc_validate, .plan = NULL, .create = assoc_create,
                .read = assoc_read, .read_many = assoc_read_many, .update = assoc_update,
                .del = assoc_del, .import = assoc_import,
                .find_by_token = assoc_find_by_token},
    },
};

const aws_family aws_ec2_route_family = {types, NELEM(types)};
