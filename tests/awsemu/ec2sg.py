"""EC2 security groups and security group rules.

A group (store type "sg") keeps no rule list of its own: every rule is a
resource of type "sgr" (so it has an ID and tags, as in AWS), and the
group's ipPermissions / ipPermissionsEgress are assembled from its rules,
grouped by (protocol, from port, to port) as DescribeSecurityGroups shows.
"""
import ipaddress

import ec2util as U
from common import AwsError, bad_param, missing_param, pget, pint, plist

PROTOCOLS = {'-1': '-1', 'all': '-1', 'tcp': 'tcp', '6': 'tcp', 'udp': 'udp', '17': 'udp',
             'icmp': 'icmp', '1': 'icmp', 'icmpv6': 'icmpv6', '58': 'icmpv6'}


def _rules(st, gid, egress=None):
    return [r for r in st.all('sgr') if r['groupId'] == gid
            and (egress is None or r['isEgress'] == egress)]


def _source_key(r):
    for k in ('cidrIpv4', 'cidrIpv6', 'prefixListId'):
        if k in r:
            return (k, r[k])
    return ('group', r['referencedGroupInfo']['groupId'])


def _rule_key(r):
    return (r['isEgress'], r['ipProtocol'], r.get('fromPort'), r.get('toPort'), _source_key(r))


def _permissions(rules):
    perms = []
    index = {}
    for r in rules:
        k = (r['ipProtocol'], r.get('fromPort'), r.get('toPort'))
        p = index.get(k)
        if p is None:
            p = {'ipProtocol': r['ipProtocol']}
            if r['ipProtocol'] != '-1':
                p['fromPort'] = r.get('fromPort')
                p['toPort'] = r.get('toPort')
            p.update({'groups': [], 'ipRanges': [], 'ipv6Ranges': [], 'prefixListIds': []})
            index[k] = p
            perms.append(p)
        d = r.get('description')
        if 'cidrIpv4' in r:
            p['ipRanges'].append({'cidrIp': r['cidrIpv4'], 'description': d})
        elif 'cidrIpv6' in r:
            p['ipv6Ranges'].append({'cidrIpv6': r['cidrIpv6'], 'description': d})
        elif 'prefixListId' in r:
            p['prefixListIds'].append({'prefixListId': r['prefixListId'], 'description': d})
        else:
            ref = r['referencedGroupInfo']
            p['groups'].append({'description': d, 'groupId': ref['groupId'],
                                'userId': ref['userId']})
    return perms


def render_group(st, sg):
    out = {'ownerId': sg['ownerId'], 'groupId': sg['groupId'], 'groupName': sg['groupName'],
           'groupDescription': sg['groupDescription'],
           'ipPermissions': _permissions(_rules(st, sg['groupId'], False)),
           'ipPermissionsEgress': _permissions(_rules(st, sg['groupId'], True)),
           'vpcId': sg['vpcId']}
    out['tagSet'] = [{'key': k, 'value': v} for k, v in sg['_tags'].items()]
    return out


def _add_rule(ctx, gid, egress, spec, tags=None):
    st = ctx.store
    rid = st.new_id('sgr')
    r = {'securityGroupRuleId': rid, 'groupId': gid, 'groupOwnerId': ctx.account,
         'isEgress': egress}
    r.update(spec)
    st.add('sgr', rid, r, tags)
    return r


def create_default_group(ctx, vid):
    st = ctx.store
    gid = st.new_id('sg')
    st.add('sg', gid, {'ownerId': ctx.account, 'groupId': gid, 'groupName': 'default',
                       'groupDescription': 'default VPC security group', 'vpcId': vid})
    _add_rule(ctx, gid, False, {'ipProtocol': '-1', 'fromPort': -1, 'toPort': -1,
                                'referencedGroupInfo': {'groupId': gid,
                                                        'userId': ctx.account}})
    _add_rule(ctx, gid, True, {'ipProtocol': '-1', 'fromPort': -1, 'toPort': -1,
                               'cidrIpv4': '0.0.0.0/0'})
    return gid


def remove_group(st, sg):
    if sg is None:
        return
    for r in _rules(st, sg['groupId']):
        st.remove('sgr', r['securityGroupRuleId'])
    st.remove('sg', sg['groupId'])


def admin_delete(st, rtype, obj):
    if rtype == 'sg':
        remove_group(st, obj)
    else:
        st.remove('sgr', obj['securityGroupRuleId'])
    return True


def create_security_group(ctx):
    st = ctx.store
    name = pget(ctx.params, 'GroupName')
    desc = pget(ctx.params, 'GroupDescription')
    if not name:
        raise missing_param('GroupName')
    if desc is None:
        raise missing_param('GroupDescription')
    vid = pget(ctx.params, 'VpcId')
    if not vid:
        raise AwsError('VPCIdNotSpecified', 'No default VPC for this user')
    U.must_get(ctx, 'vpc', vid)
    if name.lower().startswith('sg-'):
        raise bad_param("Group names may not be in the format sg-*.")
    if len(name) > 255 or len(desc) > 255:
        raise bad_param('Group name and description are limited to 255 characters')
    for g in st.all('sg'):
        if g['vpcId'] == vid and g['groupName'] == name:
            raise AwsError('InvalidGroup.Duplicate', "The security group '%s' already exists "
                           "for VPC '%s'" % (name, vid))
    tags = U.tags_from_specs(ctx, 'security-group')
    gid = st.new_id('sg')
    sg = {'ownerId': ctx.account, 'groupId': gid, 'groupName': name,
          'groupDescription': desc, 'vpcId': vid}
    st.add('sg', gid, sg, tags)
    _add_rule(ctx, gid, True, {'ipProtocol': '-1', 'fromPort': -1, 'toPort': -1,
                               'cidrIpv4': '0.0.0.0/0'})
    return {'groupId': gid, 'tagSet': [{'key': k, 'value': v} for k, v in tags.items()]}


SG_FILTERS = {
    'group-id': lambda o: o['groupId'], 'group-name': lambda o: o['groupName'],
    'description': lambda o: o['groupDescription'], 'owner-id': lambda o: o['ownerId'],
    'vpc-id': lambda o: o['vpcId'],
}


def describe_security_groups(ctx):
    st = ctx.store
    names = plist(ctx.params, 'GroupName')
    pool = st.all('sg')
    if names:
        vis = [o for o in pool if st.visible(o)]
        have = {o['groupName'] for o in vis}
        for n in names:
            if n not in have:
                raise AwsError('InvalidGroup.NotFound', "The security group '%s' does not "
                               "exist in default VPC 'none'" % n)
        pool = [o for o in pool if o['groupName'] in names]
    page, nxt = U.describe(ctx, 'sg', 'GroupId', SG_FILTERS, 'groupId', items=pool)
    return {'securityGroupInfo': [render_group(st, o) for o in page], 'nextToken': nxt}


def _group(ctx):
    gid = pget(ctx.params, 'GroupId')
    if gid:
        return U.must_get(ctx, 'sg', gid)
    name = pget(ctx.params, 'GroupName')
    if not name:
        raise missing_param('GroupId')
    raise AwsError('InvalidGroup.NotFound', "The security group '%s' does not exist in "
                   "default VPC 'none'" % name)


def delete_security_group(ctx):
    st = ctx.store
    sg = _group(ctx)
    gid = sg['groupId']
    if sg['groupName'] == 'default':
        raise AwsError('CannotDelete', 'the specified group: "%s" name: "default" cannot be '
                       'deleted by a user' % gid)
    for r in st.all('sgr'):
        ref = r.get('referencedGroupInfo')
        if ref and ref['groupId'] == gid and r['groupId'] != gid:
            raise AwsError('DependencyViolation', 'resource %s has a dependent object' % gid)
    for e in st.all('eni'):
        if any(g['groupId'] == gid for g in e['groupSet']):
            raise AwsError('DependencyViolation', 'resource %s has a dependent object' % gid)
    remove_group(st, sg)
    return {'return': True, 'groupId': gid}


def _ports(proto, frm, to):
    if proto == '-1':
        return -1, -1
    if proto in ('tcp', 'udp'):
        if frm is None or to is None:
            raise bad_param("Invalid value 'null' for %s. You must specify a port range for "
                            "protocol %s" % ('fromPort' if frm is None else 'toPort', proto))
        if not (0 <= frm <= 65535 and 0 <= to <= 65535) or frm > to:
            raise bad_param('Invalid port range (%d-%d) for protocol %s' % (frm, to, proto))
        return frm, to
    return (-1 if frm is None else frm), (-1 if to is None else to)


def _proto(value):
    p = PROTOCOLS.get((value or '').lower())
    if p is None:
        if value and value.isdigit() and 0 <= int(value) <= 255:
            return value
        raise bad_param("Invalid value '%s' for IP protocol. Unknown protocol." % value)
    return p


def _specs_from_permissions(ctx, sg, egress):
    """Rule specs (without IDs) from IpPermissions.N or the legacy fields."""
    st = ctx.store
    specs = []
    perms = plist(ctx.params, 'IpPermissions')
    if not perms and pget(ctx.params, 'IpProtocol'):
        perms = [{'IpProtocol': ctx.params.get('IpProtocol'),
                  'FromPort': ctx.params.get('FromPort'), 'ToPort': ctx.params.get('ToPort'),
                  'IpRanges': {'1': {'CidrIp': ctx.params.get('CidrIp')}}
                  if pget(ctx.params, 'CidrIp') else {}}]
    for p in perms:
        proto = _proto(pget(p, 'IpProtocol'))
        frm, to = _ports(proto, pint(p, 'FromPort'), pint(p, 'ToPort'))
        base = {'ipProtocol': proto, 'fromPort': frm, 'toPort': to}
        n = 0
        for r in plist(p, 'IpRanges'):
            cidr = pget(r, 'CidrIp')
            try:
                net = ipaddress.ip_network(cidr, strict=False)
            except (ValueError, TypeError):
                raise bad_param("CIDR block %s is malformed" % cidr)
            if net.version != 4:
                raise bad_param("CIDR block %s is malformed" % cidr)
            specs.append(dict(base, cidrIpv4=str(net), description=pget(r, 'Description')))
            n += 1
        for r in plist(p, 'Ipv6Ranges'):
            cidr = pget(r, 'CidrIpv6')
            try:
                net = ipaddress.ip_network(cidr, strict=False)
            except (ValueError, TypeError):
                raise bad_param("CIDR block %s is malformed" % cidr)
            specs.append(dict(base, cidrIpv6=str(net), description=pget(r, 'Description')))
            n += 1
        for r in plist(p, 'PrefixListIds'):
            specs.append(dict(base, prefixListId=pget(r, 'PrefixListId'),
                              description=pget(r, 'Description')))
            n += 1
        for r in plist(p, 'Groups'):
            ref = pget(r, 'GroupId')
            if not ref:
                raise missing_param('GroupId')
            other = st.get('sg', ref)
            if other is None:
                raise U.not_found(ref, 'sg')
            if other['vpcId'] != sg['vpcId']:
                raise bad_param('You have specified two resources that belong to different '
                                'networks.')
            specs.append(dict(base, referencedGroupInfo={'groupId': ref,
                                                         'userId': ctx.account},
                              description=pget(r, 'Description')))
            n += 1
        if n == 0:
            raise missing_param('IpPermissions.N.IpRanges, Ipv6Ranges, PrefixListIds or Groups')
    for s in specs:
        if s.get('description') is None:
            s.pop('description', None)
    if not specs:
        raise missing_param('IpPermissions')
    del egress
    return specs


def _peer(s):
    kind, value = _source_key(s)
    del kind
    return value


def _authorize(ctx, egress):
    st = ctx.store
    sg = _group(ctx)
    specs = _specs_from_permissions(ctx, sg, egress)
    have = {_rule_key(r) for r in _rules(st, sg['groupId'])}
    seen = set()
    for s in specs:
        s['isEgress'] = egress
        k = _rule_key(s)
        if k in have or k in seen:
            proto = s['ipProtocol']
            raise AwsError('InvalidPermission.Duplicate', 'the specified rule "peer: %s, %s, '
                           'from port: %s, to port: %s, ALLOW" already exists'
                           % (_peer(s), 'ALL' if proto == '-1' else proto.upper(),
                              s['fromPort'], s['toPort']))
        seen.add(k)
    tags = U.tags_from_specs(ctx, 'security-group-rule')
    if len(_rules(st, sg['groupId'], egress)) + len(specs) > 60:
        raise AwsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per '
                       'security group has been reached.')
    out = []
    for s in specs:
        s.pop('isEgress')
        r = _add_rule(ctx, sg['groupId'], egress, s, tags)
        out.append(render_rule(r))
    return {'return': True, 'securityGroupRuleSet': out}


def _revoke(ctx, egress):
    st = ctx.store
    sg = _group(ctx)
    rule_ids = plist(ctx.params, 'SecurityGroupRuleId')
    mine = _rules(st, sg['groupId'], egress)
    victims = []
    if rule_ids:
        byid = {r['securityGroupRuleId']: r for r in mine}
        for rid in rule_ids:
            if rid not in byid:
                raise AwsError('InvalidSecurityGroupRuleId.NotFound', "The security group rule "
                               "ID '%s' does not exist" % rid)
            victims.append(byid[rid])
    else:
        bykey = {_rule_key(r): r for r in mine}
        for s in _specs_from_permissions(ctx, sg, egress):
            s['isEgress'] = egress
            r = bykey.get(_rule_key(s))
            if r is None:
                raise AwsError('InvalidPermission.NotFound', 'The specified rule does not '
                               'exist in this security group.')
            victims.append(r)
    for r in victims:
        st.remove('sgr', r['securityGroupRuleId'])
    return {'return': True}


def authorize_ingress(ctx):
    return _authorize(ctx, False)


def authorize_egress(ctx):
    return _authorize(ctx, True)


def revoke_ingress(ctx):
    return _revoke(ctx, False)


def revoke_egress(ctx):
    return _revoke(ctx, True)


def render_rule(r):
    out = {}
    for k in ('securityGroupRuleId', 'groupId', 'groupOwnerId', 'isEgress', 'ipProtocol',
              'fromPort', 'toPort', 'cidrIpv4', 'cidrIpv6', 'prefixListId',
              'referencedGroupInfo', 'description'):
        if k in r:
            out[k] = r[k]
    out['tagSet'] = [{'key': k, 'value': v} for k, v in r['_tags'].items()]
    return out


SGR_FILTERS = {'group-id': lambda o: o['groupId'],
               'security-group-rule-id': lambda o: o['securityGroupRuleId']}


def describe_security_group_rules(ctx):
    page, nxt = U.describe(ctx, 'sgr', 'SecurityGroupRuleId', SGR_FILTERS,
                           'securityGroupRuleId', min_max=(5, 1000), always=True)
    return {'securityGroupRuleSet': [render_rule(r) for r in page], 'nextToken': nxt}


def _update_descriptions(ctx, egress):
    st = ctx.store
    sg = _group(ctx)
    mine = _rules(st, sg['groupId'], egress)
    items = plist(ctx.params, 'SecurityGroupRuleDescription')
    if items:
        byid = {r['securityGroupRuleId']: r for r in mine}
        for it in items:
            rid = pget(it, 'SecurityGroupRuleId')
            if rid not in byid:
                raise AwsError('InvalidSecurityGroupRuleId.NotFound', "The security group rule "
                               "ID '%s' does not exist" % rid)
            desc = pget(it, 'Description')
            if desc:
                byid[rid]['description'] = desc
            else:
                byid[rid].pop('description', None)
        return {'return': True}
    bykey = {_rule_key(r): r for r in mine}
    for s in _specs_from_permissions(ctx, sg, egress):
        s['isEgress'] = egress
        r = bykey.get(_rule_key(s))
        if r is None:
            raise AwsError('InvalidPermission.NotFound', 'The specified rule does not exist '
                           'in this security group.')
        if s.get('description'):
            r['description'] = s['description']
        else:
            r.pop('description', None)
    return {'return': True}


def modify_security_group_rules(ctx):
    st = ctx.store
    sg = _group(ctx)
    mine = {r['securityGroupRuleId']: r for r in _rules(st, sg['groupId'])}
    for it in plist(ctx.params, 'SecurityGroupRule'):
        rid = pget(it, 'SecurityGroupRuleId')
        if rid not in mine:
            raise AwsError('InvalidSecurityGroupRuleId.NotFound', "The security group rule ID "
                           "'%s' does not exist" % rid)
        req = it.get('SecurityGroupRule') or {}
        proto = _proto(pget(req, 'IpProtocol'))
        frm, to = _ports(proto, pint(req, 'FromPort'), pint(req, 'ToPort'))
        r = mine[rid]
        for k in ('cidrIpv4', 'cidrIpv6', 'prefixListId', 'referencedGroupInfo', 'description'):
            r.pop(k, None)
        r.update({'ipProtocol': proto, 'fromPort': frm, 'toPort': to})
        if pget(req, 'CidrIpv4'):
            r['cidrIpv4'] = pget(req, 'CidrIpv4')
        elif pget(req, 'CidrIpv6'):
            r['cidrIpv6'] = pget(req, 'CidrIpv6')
        elif pget(req, 'PrefixListId'):
            r['prefixListId'] = pget(req, 'PrefixListId')
        elif pget(req, 'ReferencedGroupId'):
            ref = pget(req, 'ReferencedGroupId')
            if st.get('sg', ref) is None:
                raise U.not_found(ref, 'sg')
            r['referencedGroupInfo'] = {'groupId': ref, 'userId': ctx.account}
        else:
            raise missing_param('SecurityGroupRule.CidrIpv4')
        if pget(req, 'Description'):
            r['description'] = pget(req, 'Description')
    return {'return': True}


ACTIONS = {
    'CreateSecurityGroup': create_security_group,
    'DescribeSecurityGroups': describe_security_groups,
    'DeleteSecurityGroup': delete_security_group,
    'AuthorizeSecurityGroupIngress': authorize_ingress,
    'AuthorizeSecurityGroupEgress': authorize_egress,
    'RevokeSecurityGroupIngress': revoke_ingress,
    'RevokeSecurityGroupEgress': revoke_egress,
    'DescribeSecurityGroupRules': describe_security_group_rules,
    'UpdateSecurityGroupRuleDescriptionsIngress': lambda ctx: _update_descriptions(ctx, False),
    'UpdateSecurityGroupRuleDescriptionsEgress': lambda ctx: _update_descriptions(ctx, True),
    'ModifySecurityGroupRules': modify_security_group_rules,
}
