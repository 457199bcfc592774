/*
 * providers/aws/aws_ec2_sg.c — the security group family: aws_security_group
 * (with inline ingress / egress rules), aws_vpc_security_group_ingress_rule
 * and aws_vpc_security_group_egress_rule as Terraform's AWS provider
 * documents them, over EC2 CreateSecurityGroup, DescribeSecurityGroups,
 * DeleteSecurityGroup, AuthorizeSecurityGroupIngress/Egress,
 * RevokeSecurityGroupIngress/Egress, DescribeSecurityGroupRules,
 * ModifySecurityGroupRules, CreateTags and DeleteTags.
 *
 * Inline rules are compared as "atoms": one (protocol, ports, source,
 * description) each, the unit AWS stores.  A read matches the atoms AWS
 * lists against the rule blocks of the prior state, so that a block with
 * several CIDR blocks stays one element in the order it was written; atoms
 * no block claims become new elements grouped by protocol, ports and
 * description.  Updates revoke the atoms that go, then authorize the ones
 * that come (one call per direction and verb).
 *
 * What must stay true:
 *   - ingress / egress are in attributes-as-blocks mode (PROV_AS_ATTR), as
 *     in Terraform: neither blocks nor `ingress = ...` means "not managed"
 *     (the engine plans the state's rules, or unknown on create, and no
 *     rule call is made); blocks, or `ingress = []`, are the exact rules of
 *     that direction; reads report every rule;
 *   - a refresh of n groups is one DescribeSecurityGroups per 200 ids, of n
 *     rules one DescribeSecurityGroupRules per 200 ids;
 *   - a create removes AWS's default allow-all egress rule, as Terraform.
 */
#include "providers/aws/aws_ec2.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Terraform's defaults for the timeouts block of aws_security_group; the
 * rule resources have none (their create waits at most RULE_WAIT_MS). */
#define SG_CREATE_TIMEOUT_MS (10L * 60 * 1000)
#define SG_DELETE_TIMEOUT_MS (15L * 60 * 1000)
#define RULE_WAIT_MS (5L * 60 * 1000)
#define RULE_DELETE_TIMEOUT_MS (5L * 60 * 1000)
/* Most rule atoms of one direction handled (AWS allows up to 1000 rules). */
#define SG_MAX_ATOMS 2000
/* EC2's limit for group names and descriptions. */
#define SG_NAME_MAX 255
/* Length of the unique suffix of generated names: 18 timestamp digits and
 * an 8-digit hex counter, as Terraform's PrefixedUniqueId. */
#define SG_SUFFIX_LEN 26
#define SG_DEFAULT_PREFIX "terraform-"
#define PORT_MAX 65535

#define NELEM(a) (sizeof(a) / sizeof *(a))

static const char *const present_states[] = {"present", NULL};
static const char *const busy_codes[] = {"DependencyViolation", NULL};

static const aws_ec2_type sg_type, ingress_type, egress_type;

/* ================================================================ schemas */

/* One inline rule (an element of ingress / egress).  The defaults are the
 * values Terraform's state holds for unset fields, so that a rule read back
 * equals the configured one. */
static const prov_attr rule_block_attrs[] = {
    {"cidr_blocks", "list(string)", PROV_OPTIONAL, "[]", "IPv4 CIDR blocks."},
    {"description", "string", PROV_OPTIONAL, "\"\"", "Description of the rule."},
    {"from_port", "number", PROV_REQUIRED, NULL, "Start port (or ICMP type)."},
    {"ipv6_cidr_blocks", "list(string)", PROV_OPTIONAL, "[]", "IPv6 CIDR blocks."},
    {"prefix_list_ids", "list(string)", PROV_OPTIONAL, "[]", "Prefix list ids."},
    {"protocol", "string", PROV_REQUIRED, NULL, "Protocol: name, number, or -1 (all)."},
    {"security_groups", "set(string)", PROV_OPTIONAL, "[]",
     "Security group ids (or owner/id) as sources."},
    {"self", "bool", PROV_OPTIONAL, "false", "The group itself as a source."},
    {"to_port", "number", PROV_REQUIRED, NULL, "End port (or ICMP code)."},
};
static const prov_schema rule_block_schema = {rule_block_attrs, NELEM(rule_block_attrs),
                                              NULL, 0};

static const prov_attr sg_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the security group."},
    {"description", "string", PROV_OPTIONAL | PROV_FORCE_NEW, "\"Managed by Terraform\"",
     "Description of the group (no update API)."},
    {"id", "string", PROV_COMPUTED, NULL, "The security group id."},
    {"name", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "Name of the group; generated when unset."},
    {"name_prefix", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "A unique name beginning with this prefix is generated."},
    {"owner_id", "string", PROV_COMPUTED, NULL, "Account that owns the group."},
    {"revoke_rules_on_delete", "bool", PROV_OPTIONAL, "false",
     "Revoke every rule of the group before deleting it."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the group."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
    {"vpc_id", "string", PROV_OPTIONAL | PROV_COMPUTED | PROV_FORCE_NEW, NULL,
     "The VPC of the group."},
};
static const prov_block sg_blocks[] = {
    {"egress", PROV_NEST_SET, 0, 0, PROV_AS_ATTR, &rule_block_schema},
    {"ingress", PROV_NEST_SET, 0, 0, PROV_AS_ATTR, &rule_block_schema},
};
static const prov_schema sg_schema = {sg_attrs, NELEM(sg_attrs), sg_blocks, NELEM(sg_blocks)};

static const prov_attr sgr_attrs[] = {
    {"arn", "string", PROV_COMPUTED, NULL, "ARN of the security group rule."},
    {"cidr_ipv4", "string", PROV_OPTIONAL, NULL, "Source (ingress) or destination IPv4 CIDR."},
    {"cidr_ipv6", "string", PROV_OPTIONAL, NULL, "Source or destination IPv6 CIDR."},
    {"description", "string", PROV_OPTIONAL, NULL, "Description of the rule."},
    {"from_port", "number", PROV_OPTIONAL, NULL, "Start port (or ICMP type)."},
    {"id", "string", PROV_COMPUTED, NULL, "The security group rule id (sgr-...)."},
    {"ip_protocol", "string", PROV_REQUIRED, NULL, "Protocol name or number; -1: all."},
    {"prefix_list_id", "string", PROV_OPTIONAL, NULL, "Prefix list as the peer."},
    {"referenced_security_group_id", "string", PROV_OPTIONAL, NULL,
     "Security group as the peer."},
    {"security_group_id", "string", PROV_REQUIRED | PROV_FORCE_NEW, NULL,
     "The group the rule belongs to."},
    {"security_group_rule_id", "string", PROV_COMPUTED, NULL, "The rule id."},
    {"tags", "map(string)", PROV_OPTIONAL, NULL, "Tags of the rule."},
    {"tags_all", "map(string)", PROV_COMPUTED, NULL, "tags with the provider's default_tags."},
    {"to_port", "number", PROV_OPTIONAL, NULL, "End port (or ICMP code)."},
};
static const prov_schema sgr_schema = {sgr_attrs, NELEM(sgr_attrs), NULL, 0};

/* ================================================================ protocols */

/* The protocols Terraform names (everything else stays a number). */
static const struct {
    const char *name;
    int num;
} proto_names[] = {{"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"icmpv6", 58}};

/* Terraform's protocol normal form into out: "-1" for all ("all", "-1"),
 * the name of a named protocol ("6" -> "tcp"), else the number.  0, or -1
 * when in is neither a known name nor a number from 0 to 255. */
static int proto_norm(const char *in, char *out, size_t n)
{
    char low[16];
    size_t len = in ? strlen(in) : 0;
    if (len == 0 || len >= sizeof low)
        return -1;
    for (size_t i = 0; i <= len; i++)
        low[i] = (char)tolower((unsigned char)in[i]);
    if (!strcmp(low, "all") || !strcmp(low, "-1")) {
        snprintf(out, n, "-1");
        return 0;
    }
    for (size_t i = 0; i < NELEM(proto_names); i++)
        if (!strcmp(low, proto_names[i].name)) {
            snprintf(out, n, "%s", low);
            return 0;
        }
    char *end;
    long v = strtol(low, &end, 10);
    if (*end || !isdigit((unsigned char)low[0]) || v < 0 || v > 255)
        return -1;
    for (size_t i = 0; i < NELEM(proto_names); i++)
        if (proto_names[i].num == v) {
            snprintf(out, n, "%s", proto_names[i].name);
            return 0;
        }
    snprintf(out, n, "%ld", v);
    return 0;
}

/* Whether two protocol spellings mean the same protocol. */
static int proto_same(const char *a, const char *b)
{
    char na[16], nb[16];
    return a && b && proto_norm(a, na, sizeof na) == 0 && proto_norm(b, nb, sizeof nb) == 0 &&
           strcmp(na, nb) == 0;
}

/* Whether s is an IPv6 network in CIDR notation (host bits zero). */
static int cidr6_valid(const char *s)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return 0;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    char *end;
    long len = strtol(slash + 1, &end, 10);
    unsigned char a[16];
    if (*end || end == slash + 1 || len < 0 || len > 128 || inet_pton(AF_INET6, buf, a) != 1)
        return 0;
    for (long bit = len; bit < 128; bit++)
        if (a[bit / 8] & (0x80 >> (bit % 8)))
            return 0;
    return 1;
}

/* ================================================================ rule atoms */

enum src_kind { SRC_CIDR4, SRC_CIDR6, SRC_PREFIX, SRC_GROUP, SRC_SELF };

/* One rule as AWS stores it: protocol (normal form), ports (0/0 for -1),
 * one source, a description ("" when none). */
typedef struct atom {
    char proto[16];
    int from, to;
    enum src_kind kind;
    char *src;           /* CIDR, prefix list id, group id or owner/id; "" for self */
    char *desc;
    int used;            /* matched (read) / handled (diff) */
} atom;

typedef struct atoms {
    atom *v;
    size_t n, cap;
    int overflow;        /* more than SG_MAX_ATOMS were offered */
} atoms;

static void atoms_add(atoms *l, const char *proto, int from, int to, enum src_kind kind,
                      const char *src, const char *desc)
{
    if (l->n >= SG_MAX_ATOMS) {
        l->overflow = 1;
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    atom *a = &l->v[l->n++];
    memset(a, 0, sizeof *a);
    snprintf(a->proto, sizeof a->proto, "%s", proto);
    int all = strcmp(proto, "-1") == 0;
    a->from = all ? 0 : from;
    a->to = all ? 0 : to;
    a->kind = kind;
    a->src = xstrdup(src ? src : "");
    a->desc = xstrdup(desc ? desc : "");
}

static void atoms_free(atoms *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].src);
        free(l->v[i].desc);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The group id of a group source ("owner/sg-1" -> "sg-1"). */
static const char *group_part(const char *src)
{
    const char *slash = strchr(src, '/');
    return slash ? slash + 1 : src;
}

/* Whether a and b are the same AWS rule (descriptions aside). */
static int atom_same_rule(const atom *a, const atom *b)
{
    if (a->kind != b->kind || a->from != b->from || a->to != b->to ||
        strcmp(a->proto, b->proto) != 0)
        return 0;
    if (a->kind == SRC_GROUP)
        return strcmp(group_part(a->src), group_part(b->src)) == 0;
    return strcmp(a->src, b->src) == 0;
}

static int atom_equal(const atom *a, const atom *b)
{
    return atom_same_rule(a, b) && strcmp(a->desc, b->desc) == 0;
}

/* ---------------------------------------------------------------- atoms from AWS */

static int xml_int(const aws_xml_node *n, const char *path, int dflt)
{
    char *s = aws_xml_text(n, path);
    int v = s && *s ? (int)strtol(s, NULL, 10) : dflt;
    free(s);
    return v;
}

/* The sources of one IpPermission list (path/item/key) into out. */
static void perm_sources(atoms *out, const aws_xml_node *perm, const char *proto, int from,
                         int to, const char *path, const char *key, enum src_kind kind,
                         const char *self_id)
{
    const aws_xml_node *set = aws_xml_find(perm, path);
    for (aws_xml_node *it = aws_xml_first(set, "item"); it; it = aws_xml_next(it, "item")) {
        char *src = aws_xml_text(it, key), *desc = aws_xml_text(it, "description");
        enum src_kind k = kind;
        if (kind == SRC_GROUP && src && self_id && strcmp(src, self_id) == 0)
            k = SRC_SELF;
        atoms_add(out, proto, from, to, k, k == SRC_SELF ? "" : src, desc);
        free(src);
        free(desc);
    }
}

/* Every atom of item's permission list path ("ipPermissions"). */
static void atoms_from_xml(atoms *out, const aws_xml_node *item, const char *path,
                           const char *self_id)
{
    const aws_xml_node *set = aws_xml_find(item, path);
    for (aws_xml_node *p = aws_xml_first(set, "item"); p; p = aws_xml_next(p, "item")) {
        char *raw = aws_xml_text(p, "ipProtocol");
        char proto[16];
        if (proto_norm(raw, proto, sizeof proto) < 0)
            snprintf(proto, sizeof proto, "%s", raw ? raw : "-1");
        free(raw);
        int from = xml_int(p, "fromPort", 0), to = xml_int(p, "toPort", 0);
        perm_sources(out, p, proto, from, to, "ipRanges", "cidrIp", SRC_CIDR4, NULL);
        perm_sources(out, p, proto, from, to, "ipv6Ranges", "cidrIpv6", SRC_CIDR6, NULL);
        perm_sources(out, p, proto, from, to, "prefixListIds", "prefixListId", SRC_PREFIX,
                     NULL);
        perm_sources(out, p, proto, from, to, "groups", "groupId", SRC_GROUP, self_id);
    }
}

/* ---------------------------------------------------------------- atoms from values */

/* The known strings of list/set attribute name of elem as atoms of kind. */
static void elem_sources(atoms *out, val elem, const char *name, const char *proto, int from,
                         int to, enum src_kind kind, const char *desc)
{
    const val *l = aws_arg(elem, name);
    for (size_t i = 0; l && i < val_len(*l); i++) {
        const val *s = val_at(*l, i);
        if (s && val_kind(*s) == VAL_STRING && !val_is_unknown(*s))
            atoms_add(out, proto, from, to, kind, val_get_string(*s), desc);
    }
}

/* The atoms of one rule element (a configured or stored block); 0, or -1
 * when its protocol or ports are not known or not valid. */
static int atoms_from_elem(atoms *out, val elem)
{
    double from = 0, to = 0;
    char proto[16];
    int self = 0;
    if (proto_norm(aws_arg_str(elem, "protocol"), proto, sizeof proto) < 0 ||
        !aws_arg_num(elem, "from_port", &from) || !aws_arg_num(elem, "to_port", &to))
        return -1;
    const char *desc = aws_arg_str(elem, "description");
    elem_sources(out, elem, "cidr_blocks", proto, (int)from, (int)to, SRC_CIDR4, desc);
    elem_sources(out, elem, "ipv6_cidr_blocks", proto, (int)from, (int)to, SRC_CIDR6, desc);
    elem_sources(out, elem, "prefix_list_ids", proto, (int)from, (int)to, SRC_PREFIX, desc);
    elem_sources(out, elem, "security_groups", proto, (int)from, (int)to, SRC_GROUP, desc);
    if (aws_arg_bool(elem, "self", &self) && self)
        atoms_add(out, proto, (int)from, (int)to, SRC_SELF, "", desc);
    return 0;
}

/* The atoms of every element of set attribute dir of obj (elements that
 * are not known are skipped). */
static void atoms_from_set(atoms *out, val obj, const char *dir)
{
    const val *set = aws_arg(obj, dir);
    for (size_t i = 0; set && i < val_len(*set); i++)
        atoms_from_elem(out, *val_at(*set, i));
}

/* ================================================================ rule elements */

/* The object type of one inline rule. */
static ty *rule_elem_ty(void)
{
    static const char *const names[] = {"cidr_blocks", "description", "from_port",
                                        "ipv6_cidr_blocks", "prefix_list_ids", "protocol",
                                        "security_groups", "self", "to_port"};
    ty *types[NELEM(names)] = {ty_list(ty_string()), ty_string(), ty_number(),
                               ty_list(ty_string()), ty_list(ty_string()), ty_string(),
                               ty_set(ty_string()), ty_bool(), ty_number()};
    return ty_object(names, types, NELEM(names), NULL, NULL);
}

/* An inline rule element of the n atoms a (same protocol, ports and
 * description), with protocol spelled proto. */
static val elem_of_atoms(atom *const *a, size_t n, const char *proto)
{
    val lists[3] = {val_list_empty(ty_string()), val_list_empty(ty_string()),
                    val_list_empty(ty_string())};
    val groups = val_set_empty(ty_string());
    int self = 0;
    for (size_t i = 0; i < n; i++) {
        switch (a[i]->kind) {
        case SRC_CIDR4: lists[0] = val_list_append(lists[0], val_string(a[i]->src)); break;
        case SRC_CIDR6: lists[1] = val_list_append(lists[1], val_string(a[i]->src)); break;
        case SRC_PREFIX: lists[2] = val_list_append(lists[2], val_string(a[i]->src)); break;
        case SRC_GROUP: groups = val_set_add(groups, val_string(a[i]->src)); break;
        case SRC_SELF: self = 1; break;
        }
    }
    val e = val_object_empty();
    e = val_object_set(e, "cidr_blocks", lists[0]);
    e = val_object_set(e, "description", val_string(n ? a[0]->desc : ""));
    e = val_object_set(e, "from_port", val_number(n ? a[0]->from : 0));
    e = val_object_set(e, "ipv6_cidr_blocks", lists[1]);
    e = val_object_set(e, "prefix_list_ids", lists[2]);
    e = val_object_set(e, "protocol", val_string(proto));
    e = val_object_set(e, "security_groups", groups);
    e = val_object_set(e, "self", val_bool(self));
    return val_object_set(e, "to_port", val_number(n ? a[0]->to : 0));
}

/* The first unused atom of have equal to w, or NULL. */
static atom *atoms_find(atoms *have, const atom *w)
{
    for (size_t i = 0; i < have->n; i++)
        if (!have->v[i].used && atom_equal(&have->v[i], w))
            return &have->v[i];
    return NULL;
}

/* Claim, for one prior element, the atoms of remote it names; add the
 * element to set (verbatim when all are there, reduced to those found when
 * some are). */
static val claim_elem(val set, val elem, atoms *remote)
{
    atoms mine = {0};
    if (atoms_from_elem(&mine, elem) < 0 || mine.n == 0) {
        atoms_free(&mine);
        return set;
    }
    atom **found = xcalloc(mine.n, sizeof *found);
    size_t nf = 0;
    for (size_t i = 0; i < mine.n; i++) {
        atom *r = atoms_find(remote, &mine.v[i]);
        if (r) {
            r->used = 1;
            found[nf++] = r;
        }
    }
    if (nf == mine.n) {
        set = val_set_add(set, val_copy(elem));
    } else if (nf > 0) {
        val e = elem_of_atoms(found, nf, aws_arg_str(elem, "protocol"));
        double f = 0, t = 0;
        aws_arg_num(elem, "from_port", &f);
        aws_arg_num(elem, "to_port", &t);
        e = val_object_set(e, "from_port", val_number(f));
        set = val_set_add(set, val_object_set(e, "to_port", val_number(t)));
    }
    free(found);
    atoms_free(&mine);
    return set;
}

/* Unclaimed atoms of remote, grouped by protocol, ports and description,
 * as new elements of set. */
static val group_rest(val set, atoms *remote)
{
    atom **grp = xcalloc(remote->n + 1, sizeof *grp);
    for (size_t i = 0; i < remote->n; i++) {
        atom *a = &remote->v[i];
        if (a->used)
            continue;
        size_t n = 0;
        for (size_t j = i; j < remote->n; j++) {
            atom *b = &remote->v[j];
            if (!b->used && b->from == a->from && b->to == a->to &&
                !strcmp(b->proto, a->proto) && !strcmp(b->desc, a->desc)) {
                b->used = 1;
                grp[n++] = b;
            }
        }
        set = val_set_add(set, elem_of_atoms(grp, n, a->proto));
    }
    free(grp);
    return set;
}

/* The ingress or egress set of a listed group (dir: "ingress"/"egress"). */
static val rules_read(const aws_xml_node *item, val prior, const char *dir, const char *id)
{
    val set = val_set_empty(rule_elem_ty());
    atoms remote = {0};
    atoms_from_xml(&remote, item, strcmp(dir, "ingress") == 0 ? "ipPermissions"
                                                               : "ipPermissionsEgress", id);
    if (remote.overflow)
        aws_log(AWS_LOG_WARN, "ec2: security group %s has more than %d %s rules; extra ignored",
                id ? id : "?", SG_MAX_ATOMS, dir);
    const val *pset = aws_arg(prior, dir);
    for (size_t i = 0; pset && i < val_len(*pset); i++)
        set = claim_elem(set, *val_at(*pset, i), &remote);
    set = group_rest(set, &remote);
    atoms_free(&remote);
    return set;
}

/* ================================================================ aws_security_group: reading */

static const aws_ec2_field sg_fields[] = {
    {"description", "groupDescription", AWS_EC2_STR},
    {"id", "groupId", AWS_EC2_STR},
    {"name", "groupName", AWS_EC2_STR},
    {"owner_id", "ownerId", AWS_EC2_STR},
    {"vpc_id", "vpcId", AWS_EC2_STR},
};

/* The prefix of a generated name ("web-2024...0001" -> "web-"), or NULL
 * (owned) when name does not end in a generated suffix. */
static char *name_prefix_of(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len < SG_SUFFIX_LEN)
        return NULL;
    const char *s = name + len - SG_SUFFIX_LEN;
    for (int i = 0; i < SG_SUFFIX_LEN; i++) {
        int ok = i < 18 ? isdigit((unsigned char)s[i])
                        : isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f');
        if (!ok)
            return NULL;
    }
    return xstrndup(name, len - SG_SUFFIX_LEN);
}

static val sg_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    val st = aws_ec2_fields(aws_state_new(&sg_schema), item, sg_fields, NELEM(sg_fields), prior);
    char *id = aws_xml_text(item, "groupId"), *owner = aws_xml_text(item, "ownerId");
    char *name = aws_xml_text(item, "groupName");
    char *res = xasprintf("security-group/%s", id ? id : "");
    char *arn = aws_arn(p, "ec2", owner, res);
    char *prefix = name_prefix_of(name);
    int revoke = 0;
    st = aws_state_str(st, "arn", arn);
    st = aws_state_str(st, "name_prefix", prefix);
    aws_arg_bool(prior, "revoke_rules_on_delete", &revoke);
    st = aws_state_bool(st, "revoke_rules_on_delete", revoke);
    st = val_object_set(st, "ingress", rules_read(item, prior, "ingress", id));
    st = val_object_set(st, "egress", rules_read(item, prior, "egress", id));
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    free(prefix);
    free(arn);
    free(res);
    free(name);
    free(owner);
    free(id);
    return st;
}

/* ================================================================ aws_security_group: checks */

/* Checks of one inline rule element (unknown parts skipped). */
static int elem_validate(val elem, const char *dir, prov_diag *d)
{
    const char *proto = aws_arg_str(elem, "protocol");
    char np[16];
    double from = 0, to = 0;
    int hf = aws_arg_num(elem, "from_port", &from), ht = aws_arg_num(elem, "to_port", &to);
    if (proto && proto_norm(proto, np, sizeof np) < 0)
        return aws_fail(d, CAIRN_EINVAL, "protocol", "Invalid protocol", "%s rule protocol "
                        "\"%s\" is not a protocol name (tcp, udp, icmp, icmpv6, all), -1, or a "
                        "number from 0 to 255.", dir, proto);
    if ((hf && (from < -1 || from > PORT_MAX)) || (ht && (to < -1 || to > PORT_MAX)))
        return aws_fail(d, CAIRN_EINVAL, "from_port", "Invalid port",
                        "%s rule ports must be from -1 to %d.", dir, PORT_MAX);
    if (proto && !strcmp(np, "-1") && hf && ht && (from != 0 || to != 0))
        return aws_fail(d, CAIRN_EINVAL, "from_port", "Invalid ports for protocol -1",
                        "from_port (%.0f) and to_port (%.0f) must both be 0 to use the 'ALL' "
                        "\"-1\" protocol!", from, to);
    if (proto && (!strcmp(np, "tcp") || !strcmp(np, "udp")) && hf && ht &&
        (from < 0 || from > to))
        return aws_fail(d, CAIRN_EINVAL, "from_port", "Invalid port range",
                        "%s rule: port range %.0f-%.0f is not valid for %s.", dir, from, to, np);
    const val *l = aws_arg(elem, "cidr_blocks");
    for (size_t i = 0; l && i < val_len(*l); i++) {
        const val *s = val_at(*l, i);
        if (val_kind(*s) == VAL_STRING && !val_is_unknown(*s) &&
            !aws_cidr4_valid(val_get_string(*s), 0, 32))
            return aws_fail(d, CAIRN_EINVAL, "cidr_blocks", "Invalid cidr_blocks",
                            "\"%s\" is not an IPv4 network in CIDR notation.",
                            val_get_string(*s));
    }
    l = aws_arg(elem, "ipv6_cidr_blocks");
    for (size_t i = 0; l && i < val_len(*l); i++) {
        const val *s = val_at(*l, i);
        if (val_kind(*s) == VAL_STRING && !val_is_unknown(*s) &&
            !cidr6_valid(val_get_string(*s)))
            return aws_fail(d, CAIRN_EINVAL, "ipv6_cidr_blocks", "Invalid ipv6_cidr_blocks",
                            "\"%s\" is not an IPv6 network in CIDR notation.",
                            val_get_string(*s));
    }
    return 0;
}

/* The rules of both directions of obj. */
static int rules_validate(val obj, prov_diag *d)
{
    static const char *const dirs[] = {"ingress", "egress"};
    for (size_t k = 0; k < NELEM(dirs); k++) {
        const val *set = aws_arg(obj, dirs[k]);
        for (size_t i = 0; set && i < val_len(*set); i++) {
            int rc = elem_validate(*val_at(*set, i), dirs[k], d);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int sg_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    const char *name = aws_arg_str(cfg, "name"), *prefix = aws_arg_str(cfg, "name_prefix");
    const char *desc = aws_arg_str(cfg, "description");
    if (name && prefix)
        return aws_fail(d, CAIRN_EINVAL, "name", "Conflicting arguments",
                        "name conflicts with name_prefix.");
    if (name && (strlen(name) > SG_NAME_MAX || !*name))
        return aws_fail(d, CAIRN_EINVAL, "name", "Invalid name",
                        "name must be 1 to %d characters long.", SG_NAME_MAX);
    if (name && !strncasecmp(name, "sg-", 3))
        return aws_fail(d, CAIRN_EINVAL, "name", "Invalid name",
                        "name cannot begin with \"sg-\".");
    if (prefix && strlen(prefix) > SG_NAME_MAX - SG_SUFFIX_LEN)
        return aws_fail(d, CAIRN_EINVAL, "name_prefix", "Invalid name_prefix",
                        "name_prefix must be at most %d characters long.",
                        SG_NAME_MAX - SG_SUFFIX_LEN);
    if (prefix && !strncasecmp(prefix, "sg-", 3))
        return aws_fail(d, CAIRN_EINVAL, "name_prefix", "Invalid name_prefix",
                        "name_prefix cannot begin with \"sg-\".");
    if (desc && (strlen(desc) > SG_NAME_MAX || !*desc))
        return aws_fail(d, CAIRN_EINVAL, "description", "Invalid description",
                        "description must be 1 to %d characters long.", SG_NAME_MAX);
    int rc = rules_validate(cfg, d);
    return rc < 0 ? rc : aws_tags_validate(cfg, "tags", d);
}

/* ================================================================ aws_security_group: writing */

/* Process-wide: the counter that makes generated names unique within one
 * second's ten-thousandth (Terraform's id helper keeps one too). */
static atomic_uint sg_name_counter;

/* prefix followed by a unique suffix: UTC time to 1/10000 s (18 digits)
 * and an 8-digit hex counter.  Owned. */
static char *unique_name(const char *prefix)
{
    struct timespec ts;
    struct tm tm;
    char stamp[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    unsigned n = atomic_fetch_add(&sg_name_counter, 1) + 1;
    return xasprintf("%s%s%04ld%08x", prefix, stamp, ts.tv_nsec / 100000, n);
}

/* CreateSecurityGroup's own parameters; the name is generated when the
 * plan left it unknown. */
static void sg_params(aws_params *prm, val planned)
{
    const char *name = aws_arg_str(planned, "name"), *prefix = aws_arg_str(planned, "name_prefix");
    const char *desc = aws_arg_str(planned, "description"), *vpc = aws_arg_str(planned, "vpc_id");
    char *gen = name ? NULL : unique_name(prefix ? prefix : SG_DEFAULT_PREFIX);
    aws_params_add(prm, "GroupName", name ? name : gen);
    aws_params_add(prm, "GroupDescription", desc ? desc : "Managed by Terraform");
    if (vpc)
        aws_params_add(prm, "VpcId", vpc);
    free(gen);
}

/* IpPermissions.<n> of atom a (descriptions only when authorizing). */
static void add_perm(aws_params *prm, size_t n, const atom *a, const char *self_id, int desc)
{
    static const char *const list[] = {"IpRanges", "Ipv6Ranges", "PrefixListIds", "Groups",
                                       "Groups"};
    static const char *const key[] = {"CidrIp", "CidrIpv6", "PrefixListId", "GroupId",
                                      "GroupId"};
    char v[16];
    aws_params_addf(prm, a->proto, "IpPermissions.%zu.IpProtocol", n);
    if (strcmp(a->proto, "-1") != 0) {
        snprintf(v, sizeof v, "%d", a->from);
        aws_params_addf(prm, v, "IpPermissions.%zu.FromPort", n);
        snprintf(v, sizeof v, "%d", a->to);
        aws_params_addf(prm, v, "IpPermissions.%zu.ToPort", n);
    }
    const char *src = a->kind == SRC_SELF ? self_id
                      : a->kind == SRC_GROUP ? group_part(a->src) : a->src;
    aws_params_addf(prm, src, "IpPermissions.%zu.%s.1.%s", n, list[a->kind], key[a->kind]);
    if (a->kind == SRC_GROUP && strchr(a->src, '/')) {
        char *owner = xstrndup(a->src, (size_t)(strchr(a->src, '/') - a->src));
        aws_params_addf(prm, owner, "IpPermissions.%zu.Groups.1.UserId", n);
        free(owner);
    }
    if (desc && *a->desc)
        aws_params_addf(prm, a->desc, "IpPermissions.%zu.%s.1.Description", n, list[a->kind]);
}

/* One Authorize/Revoke call of action for the atoms of l marked used
 * (nothing sent when there are none).  Returns 1 when a call was made,
 * 0 when none was needed, or a negative cairn_err. */
static int perms_call(prov_instance *p, const char *action, const char *id, const atoms *l,
                      prov_diag *d)
{
    aws_params *prm = aws_params_new();
    size_t n = 0;
    int auth = strncmp(action, "Authorize", 9) == 0;
    aws_params_add(prm, "GroupId", id);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].used)
            add_perm(prm, ++n, &l->v[i], id, auth);
    int rc = 0;
    if (n) {
        aws_request req = {.svc = AWS_EC2, .action = action, .retry = AWS_RETRY_SAFE,
                           .params = prm};
        aws_response resp;
        aws_error e;
        char summary[160];
        snprintf(summary, sizeof summary, "%s %zu rule(s) of EC2 Security Group %s",
                 auth ? "authorizing" : "revoking", n, id);
        rc = aws_call(p->client, &req, &resp, &e);
        if (rc < 0)
            aws_fail_call(d, rc, &e, summary);
        else
            aws_response_free(&resp);
        rc = rc < 0 ? rc : 1;
    }
    aws_params_free(prm);
    return rc;
}

/* Mark in a the atoms that have no equal in b (and, with dedup, the first
 * of each run of equal atoms only).  Returns how many were marked. */
static size_t mark_missing(atoms *a, const atoms *b)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) {
        int found = 0, dup = 0;
        for (size_t j = 0; !found && j < b->n; j++)
            found = atom_equal(&a->v[i], &b->v[j]);
        for (size_t j = 0; !dup && j < i; j++)
            dup = a->v[j].used && atom_same_rule(&a->v[i], &a->v[j]);
        a->v[i].used = !found && !dup;
        n += a->v[i].used;
    }
    return n;
}

/* Bring the rules of direction dir of group id from prior to planned:
 * revoke what goes, then authorize what comes.  Returns the number of
 * calls made, or a negative cairn_err. */
static int rules_change(prov_instance *p, const char *id, val prior, val planned,
                        const char *dir, prov_diag *d)
{
    int ingress = strcmp(dir, "ingress") == 0;
    const val *want = aws_arg(planned, dir);
    if (!want)
        return 0;   /* unset: not managed */
    atoms have = {0}, need = {0};
    atoms_from_set(&have, prior, dir);
    atoms_from_set(&need, planned, dir);
    int calls = 0, rc = 0;
    if (have.overflow || need.overflow)
        rc = aws_fail(d, CAIRN_ELIMIT, dir, "Too many rules",
                      "More than %d %s rules in one security group.", SG_MAX_ATOMS, dir);
    if (rc == 0 && mark_missing(&have, &need))
        rc = perms_call(p, ingress ? "RevokeSecurityGroupIngress" : "RevokeSecurityGroupEgress",
                        id, &have, d);
    if (rc > 0)
        calls += rc;
    if (rc >= 0 && mark_missing(&need, &have))
        rc = perms_call(p, ingress ? "AuthorizeSecurityGroupIngress"
                                   : "AuthorizeSecurityGroupEgress", id, &need, d);
    if (rc > 0)
        calls += rc;
    atoms_free(&have);
    atoms_free(&need);
    return rc < 0 ? rc : calls;
}

/* Every element of the managed directions must be known at apply (an
 * unknown set as a whole is an unset direction: not managed). */
static int rules_known(val planned, prov_diag *d)
{
    static const char *const dirs[] = {"ingress", "egress"};
    for (size_t k = 0; k < NELEM(dirs); k++) {
        const val *set = val_lookup(planned, dirs[k]);
        if (set && !val_is_unknown(*set) && !val_is_wholly_known(*set))
            return aws_fail(d, CAIRN_EINVAL, dirs[k], "Rules not known at apply",
                            "The %s rules still hold values known only after apply.", dirs[k]);
    }
    return rules_validate(planned, d);
}

static int sg_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                     val planned, prov_diag *d)
{
    (void)c;
    int rc = rules_known(planned, d), calls = 0;
    if (rc == 0)
        rc = rules_change(p, id, prior, planned, "ingress", d);
    if (rc >= 0) {
        calls += rc;
        rc = rules_change(p, id, prior, planned, "egress", d);
    }
    return rc < 0 ? rc : calls + rc;
}

/* RevokeSecurityGroupEgress of the allow-all rule of family cidr; a rule
 * that is not there is fine. */
static int revoke_default(prov_instance *p, const char *id, const char *list,
                          const char *key, const char *cidr, prov_diag *d)
{
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "GroupId", id);
    aws_params_add(prm, "IpPermissions.1.IpProtocol", "-1");
    aws_params_addf(prm, cidr, "IpPermissions.1.%s.1.%s", list, key);
    aws_request req = {.svc = AWS_EC2, .action = "RevokeSecurityGroupEgress",
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    aws_error e;
    int rc = aws_call(p->client, &req, &resp, &e);
    aws_params_free(prm);
    if (rc == 0) {
        aws_response_free(&resp);
        return 0;
    }
    if (rc == CAIRN_EREMOTE && (aws_error_is(&e, "InvalidPermission.NotFound") ||
                                aws_error_is(&e, "InvalidParameterValue")))
        return 0;
    return aws_fail_call(d, rc, &e, "revoking the default egress rule of EC2 Security Group");
}

/* After CreateSecurityGroup: the default allow-all egress rules go (as
 * Terraform removes them), then the configured rules are authorized. */
static int sg_after_create(prov_instance *p, const prov_call *c, const char *id, val created,
                           val planned, prov_diag *d)
{
    (void)created;
    int rc = rules_known(planned, d);
    if (rc == 0)
        rc = revoke_default(p, id, "IpRanges", "CidrIp", "0.0.0.0/0", d);
    if (rc == 0)
        rc = revoke_default(p, id, "Ipv6Ranges", "CidrIpv6", "::/0", d);
    if (rc < 0)
        return rc;
    val none = val_object_empty();
    rc = sg_change(p, c, id, none, planned, d);
    val_free(none);
    return rc < 0 ? rc : rc + 2;
}

static const aws_ec2_type sg_type = {
    .noun = "EC2 Security Group",
    .id_prefix = "sg",
    .id_path = "groupId",
    .state_path = NULL,
    .ready = present_states,
    .tag_rtype = "security-group",
    .query = {"DescribeSecurityGroups", "securityGroupInfo", "group-id", 0, NULL, 0},
    .build = sg_build,
    .finish = NULL,
    .id_param = "GroupId",
    .delete_action = "DeleteSecurityGroup",
    .notfound = "InvalidGroup.NotFound",
    .busy = busy_codes,
    .create_timeout_ms = SG_CREATE_TIMEOUT_MS,
    .delete_timeout_ms = SG_DELETE_TIMEOUT_MS,
    .wait_gone = 1,
    .create_action = "CreateSecurityGroup",
    .create_item = "",
    .create_params = sg_params,
    .after_create = sg_after_create,
    .change = sg_change,
    .validate = sg_validate,
};

AWS_EC2_OPS(sg, sg_type)

/* Revoke every rule of the group (revoke_rules_on_delete); gone is fine. */
static int sg_revoke_all(prov_instance *p, const prov_call *c, const char *id, prov_diag *d)
{
    val st;
    int rc = aws_ec2_read_id(p, c, &sg_type, id, val_null(), &st, d);
    if (rc < 0 || val_is_null(st)) {
        val_free(st);
        return rc;
    }
    static const char *const dirs[] = {"ingress", "egress"};
    static const char *const actions[] = {"RevokeSecurityGroupIngress",
                                          "RevokeSecurityGroupEgress"};
    for (size_t k = 0; rc >= 0 && k < NELEM(dirs); k++) {
        atoms all = {0};
        atoms_from_set(&all, st, dirs[k]);
        for (size_t i = 0; i < all.n; i++)
            all.v[i].used = 1;
        rc = perms_call(p, actions[k], id, &all, d);
        atoms_free(&all);
    }
    val_free(st);
    return rc < 0 ? rc : 0;
}

static int sg_delete(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    int revoke = 0;
    const char *id = aws_arg_str(prior, "id");
    if (id && aws_arg_bool(prior, "revoke_rules_on_delete", &revoke) && revoke) {
        int rc = sg_revoke_all(p, c, id, d);
        if (rc < 0)
            return rc;
    }
    return sg_del(p, c, prior, d);
}

/* ================================================================ rule resources */

static const aws_ec2_field sgr_fields[] = {
    {"cidr_ipv4", "cidrIpv4", AWS_EC2_STR},
    {"cidr_ipv6", "cidrIpv6", AWS_EC2_STR},
    {"description", "description", AWS_EC2_STR},
    {"id", "securityGroupRuleId", AWS_EC2_STR},
    {"prefix_list_id", "prefixListId", AWS_EC2_STR},
    {"referenced_security_group_id", "referencedGroupInfo/groupId", AWS_EC2_STR},
    {"security_group_id", "groupId", AWS_EC2_STR},
    {"security_group_rule_id", "securityGroupRuleId", AWS_EC2_STR},
};

/* A port as Terraform reads it: -1 stays null when prior's was null. */
static val sgr_port(val st, const aws_xml_node *item, const char *path, val prior,
                    const char *attr)
{
    char *s = aws_xml_text(item, path);
    if (!s || !*s || (strtol(s, NULL, 10) == -1 && !aws_arg(prior, attr)))
        st = val_object_set(st, attr, val_null_of(ty_number()));
    else
        st = aws_state_num(st, attr, (double)strtol(s, NULL, 10));
    free(s);
    return st;
}

/* The state of a listed rule of the wanted direction; null (gone) when the
 * id names a rule of the other direction. */
static val sgr_build_dir(prov_instance *p, const aws_xml_node *item, val prior, int egress)
{
    char *eg = aws_xml_text(item, "isEgress");
    int is_egress = eg && strcmp(eg, "true") == 0;
    free(eg);
    if (is_egress != egress)
        return val_null();
    val st = aws_ec2_fields(aws_state_new(&sgr_schema), item, sgr_fields, NELEM(sgr_fields),
                            prior);
    char *proto = aws_xml_text(item, "ipProtocol"), *owner = aws_xml_text(item, "groupOwnerId");
    char *id = aws_xml_text(item, "securityGroupRuleId");
    const char *was = aws_arg_str(prior, "ip_protocol");
    st = aws_state_str(st, "ip_protocol", was && proto_same(was, proto) ? was : proto);
    st = sgr_port(st, item, "fromPort", prior, "from_port");
    st = sgr_port(st, item, "toPort", prior, "to_port");
    char *res = xasprintf("security-group-rule/%s", id ? id : "");
    char *arn = aws_arn(p, "ec2", owner, res);
    st = aws_state_str(st, "arn", arn);
    aws_kvlist tags = {0};
    aws_ec2_tags(&tags, item, NULL);
    st = aws_state_tags(st, p, &tags, prior);
    aws_kv_free(&tags);
    free(arn);
    free(res);
    free(id);
    free(owner);
    free(proto);
    return st;
}

static val ingress_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    return sgr_build_dir(p, item, prior, 0);
}

static val egress_build(prov_instance *p, const aws_xml_node *item, val prior)
{
    return sgr_build_dir(p, item, prior, 1);
}

/* The peer attributes, exactly one of which a rule sets. */
static const char *const sgr_sources[] = {"cidr_ipv4", "cidr_ipv6", "prefix_list_id",
                                          "referenced_security_group_id"};

/* The peer attribute obj sets (the first), or NULL. */
static const char *sgr_source(val obj)
{
    for (size_t i = 0; i < NELEM(sgr_sources); i++)
        if (aws_arg_str(obj, sgr_sources[i]))
            return sgr_sources[i];
    return NULL;
}

/* Whether obj is a known object (attributes can be looked up). */
static int known_object(val obj)
{
    return val_is_valid(obj) && !val_is_unknown(obj) && val_kind(obj) == VAL_OBJECT;
}

/* Whether attribute name of obj is unknown (not yet checkable). */
static int port_unknown(val obj, const char *name)
{
    const val *v = known_object(obj) ? val_lookup(obj, name) : NULL;
    return v && val_is_unknown(*v);
}

static int sgr_validate(prov_instance *p, const prov_call *c, val cfg, prov_diag *d)
{
    (void)p;
    (void)c;
    int set = 0, unknown = 0;
    for (size_t i = 0; i < NELEM(sgr_sources); i++) {
        const val *v = known_object(cfg) ? val_lookup(cfg, sgr_sources[i]) : NULL;
        set += v && !val_is_null(*v);
        unknown += v && val_is_unknown(*v);
    }
    if (set != 1 && !(set == 0 && unknown))
        return aws_fail(d, CAIRN_EINVAL, "cidr_ipv4", "Invalid Attribute Combination",
                        "Exactly one of these attributes must be configured: [cidr_ipv4, "
                        "cidr_ipv6, prefix_list_id, referenced_security_group_id]");
    const char *c4 = aws_arg_str(cfg, "cidr_ipv4"), *c6 = aws_arg_str(cfg, "cidr_ipv6");
    if (c4 && !aws_cidr4_valid(c4, 0, 32))
        return aws_fail(d, CAIRN_EINVAL, "cidr_ipv4", "Invalid cidr_ipv4",
                        "\"%s\" is not an IPv4 network in CIDR notation.", c4);
    if (c6 && !cidr6_valid(c6))
        return aws_fail(d, CAIRN_EINVAL, "cidr_ipv6", "Invalid cidr_ipv6",
                        "\"%s\" is not an IPv6 network in CIDR notation.", c6);
    const char *proto = aws_arg_str(cfg, "ip_protocol");
    char np[16] = "";
    double from = 0, to = 0;
    int hf = aws_arg_num(cfg, "from_port", &from), ht = aws_arg_num(cfg, "to_port", &to);
    if (proto && proto_norm(proto, np, sizeof np) < 0)
        return aws_fail(d, CAIRN_EINVAL, "ip_protocol", "Invalid ip_protocol",
                        "\"%s\" is not a protocol name (tcp, udp, icmp, icmpv6), -1, or a "
                        "number from 0 to 255.", proto);
    if ((hf && (from < -1 || from > PORT_MAX)) || (ht && (to < -1 || to > PORT_MAX)))
        return aws_fail(d, CAIRN_EINVAL, hf ? "from_port" : "to_port", "Invalid port",
                        "from_port and to_port must be from -1 to %d.", PORT_MAX);
    if ((!strcmp(np, "tcp") || !strcmp(np, "udp")) && (!hf || !ht) &&
        !port_unknown(cfg, "from_port") && !port_unknown(cfg, "to_port"))
        return aws_fail(d, CAIRN_EINVAL, "from_port", "Missing ports",
                        "from_port and to_port are required for protocol %s.", np);
    if ((!strcmp(np, "tcp") || !strcmp(np, "udp")) && hf && ht && (from < 0 || from > to))
        return aws_fail(d, CAIRN_EINVAL, "from_port", "Invalid port range",
                        "Port range %.0f-%.0f is not valid for %s.", from, to, np);
    return aws_tags_validate(cfg, "tags", d);
}

/* plan: tags_all, and a change of the kind of peer forces replacement
 * (ModifySecurityGroupRules cannot change it). */
static int sgr_plan(prov_instance *p, const prov_call *c, val prior, val proposed,
                    val *planned, val *replace_paths, prov_diag *d)
{
    int rc = aws_plan_tags(p, c, prior, proposed, planned, replace_paths, d);
    const char *was = sgr_source(prior), *now = sgr_source(proposed);
    if (rc == 0 && aws_arg(prior, "id") && was && now && strcmp(was, now) != 0) {
        val_free(*replace_paths);
        val a = val_tuple_append(val_tuple_empty(), val_string(was));
        val b = val_tuple_append(val_tuple_empty(), val_string(now));
        *replace_paths = val_tuple_append(val_tuple_append(val_tuple_empty(), a), b);
    }
    return rc;
}

/* The rule's fields as parameters under prefix ("IpPermissions.1." for
 * Authorize*, "SecurityGroupRule.1.SecurityGroupRule." for Modify). */
static void sgr_add(aws_params *prm, val r, const char *prefix, int modify)
{
    char np[16], buf[16];
    double n;
    const char *proto = aws_arg_str(r, "ip_protocol"), *desc = aws_arg_str(r, "description");
    if (proto_norm(proto, np, sizeof np) < 0)
        snprintf(np, sizeof np, "%s", proto ? proto : "-1");
    aws_params_addf(prm, np, "%sIpProtocol", prefix);
    if (aws_arg_num(r, "from_port", &n)) {
        snprintf(buf, sizeof buf, "%.0f", n);
        aws_params_addf(prm, buf, "%sFromPort", prefix);
    }
    if (aws_arg_num(r, "to_port", &n)) {
        snprintf(buf, sizeof buf, "%.0f", n);
        aws_params_addf(prm, buf, "%sToPort", prefix);
    }
    static const char *const auth[][2] = {{"IpRanges.1.", "CidrIp"},
                                          {"Ipv6Ranges.1.", "CidrIpv6"},
                                          {"PrefixListIds.1.", "PrefixListId"},
                                          {"Groups.1.", "GroupId"}};
    static const char *const mod[] = {"CidrIpv4", "CidrIpv6", "PrefixListId",
                                      "ReferencedGroupId"};
    for (size_t i = 0; i < NELEM(sgr_sources); i++) {
        const char *v = aws_arg_str(r, sgr_sources[i]);
        if (!v)
            continue;
        if (modify) {
            aws_params_addf(prm, v, "%s%s", prefix, mod[i]);
        } else {
            aws_params_addf(prm, v, "%s%s%s", prefix, auth[i][0], auth[i][1]);
            if (desc && *desc)
                aws_params_addf(prm, desc, "%s%sDescription", prefix, auth[i][0]);
        }
    }
    if (modify && desc && *desc)
        aws_params_addf(prm, desc, "%sDescription", prefix);
}

static void sgr_params(aws_params *prm, val planned)
{
    const char *g = aws_arg_str(planned, "security_group_id");
    aws_params_add(prm, "GroupId", g ? g : "");
    sgr_add(prm, planned, "IpPermissions.1.", 0);
}

/* update: ModifySecurityGroupRules when anything but tags changed. */
static int sgr_change(prov_instance *p, const prov_call *c, const char *id, val prior,
                      val planned, prov_diag *d)
{
    static const char *const attrs[] = {"cidr_ipv4", "cidr_ipv6", "description", "from_port",
                                        "ip_protocol", "prefix_list_id",
                                        "referenced_security_group_id", "to_port"};
    int changed = 0;
    for (size_t i = 0; i < NELEM(attrs); i++)
        changed |= aws_arg_changed(prior, planned, attrs[i]);
    if (!changed)
        return 0;
    int rc = sgr_validate(p, c, planned, d);
    if (rc < 0)
        return rc;
    const char *was = sgr_source(prior), *now = sgr_source(planned);
    if (was && now && strcmp(was, now) != 0)
        return aws_fail(d, CAIRN_EINVAL, now, "Peer change needs replacement",
                        "A security group rule cannot change from %s to %s in place; replace "
                        "it (cairn apply -replace=%s).", was, now,
                        c && c->address ? c->address : "ADDRESS");
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "GroupId", aws_arg_str(planned, "security_group_id"));
    aws_params_add(prm, "SecurityGroupRule.1.SecurityGroupRuleId", id);
    sgr_add(prm, planned, "SecurityGroupRule.1.SecurityGroupRule.", 1);
    aws_request req = {.svc = AWS_EC2, .action = "ModifySecurityGroupRules",
                       .retry = AWS_RETRY_SAFE, .params = prm};
    aws_response resp;
    aws_error e;
    rc = aws_call(p->client, &req, &resp, &e);
    aws_params_free(prm);
    if (rc < 0)
        return aws_fail_call(d, rc, &e, "modifying EC2 Security Group Rule");
    aws_response_free(&resp);
    return 1;
}

/* delete: Revoke* by rule id; a rule or group already gone is fine. */
static int sgr_delete_dir(prov_instance *p, const prov_call *c, val prior, int egress,
                          prov_diag *d)
{
    (void)c;
    const char *id = aws_arg_str(prior, "id"), *g = aws_arg_str(prior, "security_group_id");
    if (!id || !g)
        return 0;
    aws_params *prm = aws_params_new();
    aws_params_add(prm, "GroupId", g);
    aws_params_add(prm, "SecurityGroupRuleId.1", id);
    aws_request req = {.svc = AWS_EC2, .retry = AWS_RETRY_SAFE, .params = prm,
                       .action = egress ? "RevokeSecurityGroupEgress"
                                        : "RevokeSecurityGroupIngress"};
    aws_response resp;
    aws_error e;
    int rc = aws_call(p->client, &req, &resp, &e);
    aws_params_free(prm);
    if (rc == 0) {
        aws_response_free(&resp);
        return 0;
    }
    if (rc == CAIRN_EREMOTE && (aws_error_is(&e, "InvalidSecurityGroupRuleId.NotFound") ||
                                aws_error_is(&e, "InvalidGroup.NotFound")))
        return 0;
    char summary[128];
    snprintf(summary, sizeof summary, "deleting EC2 Security Group %s Rule %s",
             egress ? "Egress" : "Ingress", id);
    return aws_fail_call(d, rc, &e, summary);
}

static int ingress_delete(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    return sgr_delete_dir(p, c, prior, 0, d);
}

static int egress_delete(prov_instance *p, const prov_call *c, val prior, prov_diag *d)
{
    return sgr_delete_dir(p, c, prior, 1, d);
}

#define SGR_TYPE(NOUN, BUILD, ACTION, REVOKE)                                              \
    {                                                                                      \
        .noun = NOUN, .id_prefix = "sgr", .id_path = "securityGroupRuleId",                \
        .state_path = NULL, .ready = present_states, .tag_rtype = "security-group-rule",   \
        .query = {"DescribeSecurityGroupRules", "securityGroupRuleSet",                    \
                  "security-group-rule-id", 0, NULL, 0},                                   \
        .build = BUILD, .finish = NULL, .id_param = "SecurityGroupRuleId.1",               \
        .delete_action = REVOKE, .notfound = "InvalidSecurityGroupRuleId.NotFound",        \
        .busy = NULL, .create_timeout_ms = RULE_WAIT_MS,                                   \
        .delete_timeout_ms = RULE_DELETE_TIMEOUT_MS, .wait_gone = 0,                       \
        .create_action = ACTION, .create_item = "securityGroupRuleSet/item",               \
        .create_params = sgr_params, .after_create = NULL, .change = sgr_change,           \
        .validate = sgr_validate,                                                          \
    }

static const aws_ec2_type ingress_type = SGR_TYPE("EC2 Security Group Ingress Rule",
                                                  ingress_build, "AuthorizeSecurityGroupIngress",
                                                  "RevokeSecurityGroupIngress");
static const aws_ec2_type egress_type = SGR_TYPE("EC2 Security Group Egress Rule",
                                                 egress_build, "AuthorizeSecurityGroupEgress",
                                                 "RevokeSecurityGroupEgress");

/* The operations of a rule type but delete (Revoke* needs the group id
 * beside the rule id, which the generic delete does not send). */
#define SGR_OPS(NAME, type)                                                                 \
    static int NAME##_create(prov_instance *p, const prov_call *c, val planned, val *state, \
                             prov_diag *d)                                                  \
    {                                                                                       \
        return aws_ec2_create(p, c, &(type), planned, state, d);                            \
    }                                                                                       \
    static int NAME##_read(prov_instance *p, const prov_call *c, val prior, val *state,     \
                           prov_diag *d)                                                    \
    {                                                                                       \
        return aws_ec2_read(p, c, &(type), prior, state, d);                                \
    }                                                                                       \
    static int NAME##_read_many(prov_instance *p, const prov_call *c, const val *priors,    \
                                size_t n, val *states, prov_diag *d)                        \
    {                                                                                       \
        return aws_ec2_read_many(p, c, &(type), priors, n, states, d);                      \
    }                                                                                       \
    static int NAME##_update(prov_instance *p, const prov_call *c, val prior, val planned,  \
                             val *state, prov_diag *d)                                      \
    {                                                                                       \
        return aws_ec2_update(p, c, &(type), prior, planned, state, d);                     \
    }                                                                                       \
    static int NAME##_import(prov_instance *p, const prov_call *c, const char *id,          \
                             val *state, prov_diag *d)                                      \
    {                                                                                       \
        return aws_ec2_import(p, c, &(type), id, state, d);                                 \
    }                                                                                       \
    static int NAME##_find_by_token(prov_instance *p, const prov_call *c, val *state,       \
                                    prov_diag *d)                                           \
    {                                                                                       \
        return aws_ec2_find_by_token(p, c, &(type), state, d);                              \
    }

SGR_OPS(ingress, ingress_type)
SGR_OPS(egress, egress_type)

/* ================================================================ the family */

static const prov_resource_type types[] = {
    {
        .name = "aws_security_group",
        .schema_version = 1,
        .schema = &sg_schema,
        .durations = {.create_ms = 2000, .update_ms = 1000, .delete_ms = 2000,
                      .read_ms = 500},
        .ops = {.validate = sg_validate, .plan = aws_plan_tags, .create = sg_create,
                .read = sg_read, .read_many = sg_read_many, .update = sg_update,
                .del = sg_delete, .import = sg_import, .find_by_token = sg_find_by_token},
    },
    {
        .name = "aws_vpc_security_group_ingress_rule",
        .schema_version = 0,
        .schema = &sgr_schema,
        .durations = {.create_ms = 1000, .update_ms = 1000, .delete_ms = 1000,
                      .read_ms = 500},
        .ops = {.validate = sgr_validate, .plan = sgr_plan, .create = ingress_create,
                .read = ingress_read, .read_many = ingress_read_many, .update = ingress_update,
                .del = ingress_delete, .import = ingress_import,
                .find_by_token = ingress_find_by_token},
    },
    {
        .name = "aws_vpc_security_group_egress_rule",
        .schema_version = 0,
        .schema = &sgr_schema,
        .durations = {.create_ms = 1000, .update_ms = 1000, .delete_ms = 1000,
                      .read_ms = 500},
        .ops = {.validate = sgr_validate, .plan = sgr_plan, .create = egress_create,
                .read = egress_read, .read_many = egress_read_many, .update = egress_update,
                .del = egress_delete, .import = egress_import,
                .find_by_token = egress_find_by_token},
    },
};

const aws_family aws_ec2_sg_family = {types, NELEM(types)};
