"""EC2 (query protocol "ec2", API 2016-11-15): the VPC family.

Resources (store types): vpc, subnet, igw, eip, natgw, rtb, acl, dopt, eni;
security groups and their rules (sg, sgr) live in ec2sg.py.  Rules that
catch ordering bugs follow AWS: DependencyViolation on deleting a VPC with
subnets, an attached internet gateway, non-default security groups, non-main
route tables or network interfaces; a subnet with network interfaces (a NAT
gateway's); a route table with associations; an attached internet gateway;
detaching a gateway while the VPC has mapped public addresses.
"""
import ipaddress
import time

import ec2sg
import ec2util as U
from common import AwsError, bad_param, iso_now, missing_param, pbool, pget, plist

SERVICE = 'ec2'
PROTOCOL = 'ec2'
VERSION = '2016-11-15'
XMLNS = U.XMLNS

NAT_CREATE_SECONDS = 90     # pending -> available (AWS: typically 1-2 minutes)
NAT_DELETE_SECONDS = 45     # deleting -> deleted
NAT_PURGE_SECONDS = 3600    # deleted gateways stay visible about an hour

REGION_WORDS = {'north': 'n', 'south': 's', 'east': 'e', 'west': 'w', 'central': 'c',
                'northeast': 'ne', 'southeast': 'se', 'northwest': 'nw', 'southwest': 'sw'}


def zones(region):
    """[(zoneName, zoneId)] of a region: six zones in us-east-1, three elsewhere."""
    parts = region.split('-')
    short = region
    if len(parts) == 3:
        short = parts[0] + REGION_WORDS.get(parts[1], parts[1][:1]) + parts[2]
    letters = 'abcdef' if region == 'us-east-1' else 'abc'
    return [(region + c, '%s-az%d' % (short, i + 1)) for i, c in enumerate(letters)]


def _require(ctx, name):
    v = pget(ctx.params, name)
    if v is None or v == '':
        raise missing_param(name)
    return v


def _dep(kind, rid):
    return AwsError('DependencyViolation', "The %s '%s' has dependencies and cannot be deleted."
                    % (kind, rid))


def _arn(ctx, kind, rid):
    return 'arn:aws:ec2:%s:%s:%s/%s' % (ctx.region, ctx.account, kind, rid)


# ================================================================== VPC

VPC_FILTERS = {
    'cidr': lambda o: o['cidrBlock'],
    'cidr-block-association.cidr-block': lambda o: [a['cidrBlock'] for a in
                                                    o['cidrBlockAssociationSet']],
    'cidr-block-association.association-id': lambda o: [a['associationId'] for a in
                                                         o['cidrBlockAssociationSet']],
    'cidr-block-association.state': lambda o: [a['cidrBlockState']['state'] for a in
                                               o['cidrBlockAssociationSet']],
    'dhcp-options-id': lambda o: o['dhcpOptionsId'],
    'is-default': lambda o: o['isDefault'], 'isDefault': lambda o: o['isDefault'],
    'owner-id': lambda o: o['ownerId'],
    'state': lambda o: o['state'],
    'vpc-id': lambda o: o['vpcId'],
}


def create_vpc(ctx):
    cidr = _require(ctx, 'CidrBlock')
    net = U.parse_cidr(cidr)
    if not 16 <= net.prefixlen <= 28:
        raise AwsError('InvalidVpc.Range', "The CIDR '%s' is invalid." % cidr)
    tenancy = pget(ctx.params, 'InstanceTenancy', 'default')
    if tenancy not in ('default', 'dedicated', 'host'):
        raise bad_param('Value (%s) for parameter instanceTenancy is invalid.' % tenancy)
    tags = U.tags_from_specs(ctx, 'vpc')
    st = ctx.store
    vid = st.new_id('vpc')
    dopt = _default_dhcp_options(ctx)
    vpc = {
        'cidrBlock': cidr, 'dhcpOptionsId': dopt, 'state': 'pending', 'vpcId': vid,
        'ownerId': ctx.account, 'instanceTenancy': tenancy,
        'cidrBlockAssociationSet': [{'associationId': st.new_id('vpc-cidr-assoc'),
                                     'cidrBlock': cidr,
                                     'cidrBlockState': {'state': 'associated'}}],
        'isDefault': False,
        '_attrs': {'enableDnsSupport': True, 'enableDnsHostnames': False,
                   'enableNetworkAddressUsageMetrics': False},
        '_region': ctx.region,
    }
    st.add('vpc', vid, vpc, tags)
    out = U.render(vpc)
    vpc['state'] = 'available'
    # What AWS creates with every VPC: main route table, default SG, default ACL.
    rtb = _new_route_table(ctx, vid, cidr, {})
    rtb['associationSet'].append({
        'main': True, 'routeTableAssociationId': st.new_id('rtbassoc'),
        'routeTableId': rtb['routeTableId'], 'associationState': {'state': 'associated'}})
    vpc['_main_rtb'] = rtb['routeTableId']
    vpc['_default_sg'] = ec2sg.create_default_group(ctx, vid)
    vpc['_default_acl'] = _new_default_acl(ctx, vid)
    return {'vpc': out}


def _default_dhcp_options(ctx):
    st = ctx.store
    for d in st.all('dopt'):
        if d.get('_default'):
            return d['dhcpOptionsId']
    did = st.new_id('dopt')
    st.add('dopt', did, {
        'dhcpConfigurationSet': [
            {'key': 'domain-name', 'valueSet': [{'value': 'ec2.internal'}]},
            {'key': 'domain-name-servers', 'valueSet': [{'value': 'AmazonProvidedDNS'}]}],
        'dhcpOptionsId': did, 'ownerId': ctx.account, '_default': True})
    return did


def describe_vpcs(ctx):
    page, nxt = U.describe(ctx, 'vpc', 'VpcId', VPC_FILTERS, 'vpcId')
    return {'vpcSet': [U.render(o) for o in page], 'nextToken': nxt}


def delete_vpc(ctx):
    vid = _require(ctx, 'VpcId')
    st = ctx.store
    vpc = U.must_get(ctx, 'vpc', vid)
    blockers = [s for s in st.all('subnet') if s['vpcId'] == vid]
    blockers += [g for g in st.all('igw') if any(a['vpcId'] == vid for a in g['attachmentSet'])]
    blockers += [g for g in st.all('sg') if g['vpcId'] == vid and g['groupName'] != 'default']
    blockers += [r for r in st.all('rtb') if r['vpcId'] == vid
                 and r['routeTableId'] != vpc['_main_rtb']]
    blockers += [a for a in st.all('acl') if a['vpcId'] == vid and not a['default']]
    blockers += [e for e in st.all('eni') if e['vpcId'] == vid]
    if blockers:
        raise _dep('vpc', vid)
    _remove_vpc(st, vpc)
    return {'return': True}


def _remove_vpc(st, vpc):
    vid = vpc['vpcId']
    st.remove('rtb', vpc['_main_rtb'])
    ec2sg.remove_group(st, st.get('sg', vpc['_default_sg']))
    st.remove('acl', vpc['_default_acl'])
    st.remove('vpc', vid)


ATTR_NAMES = ('enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics')


def modify_vpc_attribute(ctx):
    vpc = U.must_get(ctx, 'vpc', _require(ctx, 'VpcId'))
    changed = 0
    for name in ATTR_NAMES:
        wire = name[0].upper() + name[1:]
        if wire in ctx.params:
            v = pbool(ctx.params.get(wire), 'Value')
            if v is None:
                raise missing_param(wire + '.Value')
            vpc['_attrs'][name] = v
            changed += 1
    if changed != 1:
        raise AwsError('InvalidParameterCombination', 'Exactly one attribute may be modified '
                       'per request' if changed else 'No attribute specified')
    if vpc['_attrs']['enableDnsHostnames'] and not vpc['_attrs']['enableDnsSupport']:
        vpc['_attrs']['enableDnsHostnames'] = False
        raise bad_param('enableDnsHostnames requires enableDnsSupport')
    return {'return': True}


def describe_vpc_attribute(ctx):
    vpc = U.must_get(ctx, 'vpc', _require(ctx, 'VpcId'))
    attr = _require(ctx, 'Attribute')
    if attr not in ATTR_NAMES:
        raise bad_param('Value (%s) for parameter attribute is invalid. Unknown attribute.'
                        % attr)
    return {'vpcId': vpc['vpcId'], attr: {'value': vpc['_attrs'][attr]}}


def modify_vpc_tenancy(ctx):
    """AWS only moves a VPC from dedicated to default tenancy."""
    vpc = U.must_get(ctx, 'vpc', _require(ctx, 'VpcId'))
    tenancy = _require(ctx, 'InstanceTenancy')
    if tenancy != 'default':
        raise bad_param('Value (%s) for parameter instanceTenancy is invalid. The only '
                        'supported value is default.' % tenancy)
    vpc['instanceTenancy'] = 'default'
    return {'return': True}


# ================================================================== subnets

SUBNET_FILTERS = {
    'availability-zone': lambda o: o['availabilityZone'],
    'availabilityZone': lambda o: o['availabilityZone'],
    'availability-zone-id': lambda o: o['availabilityZoneId'],
    'available-ip-address-count': lambda o: o['availableIpAddressCount'],
    'cidr-block': lambda o: o['cidrBlock'], 'cidr': lambda o: o['cidrBlock'],
    'cidrBlock': lambda o: o['cidrBlock'],
    'default-for-az': lambda o: o['defaultForAz'],
    'map-public-ip-on-launch': lambda o: o['mapPublicIpOnLaunch'],
    'owner-id': lambda o: o['ownerId'], 'state': lambda o: o['state'],
    'subnet-arn': lambda o: o['subnetArn'], 'subnet-id': lambda o: o['subnetId'],
    'vpc-id': lambda o: o['vpcId'],
}


def create_subnet(ctx):
    vid = _require(ctx, 'VpcId')
    cidr = _require(ctx, 'CidrBlock')
    st = ctx.store
    vpc = U.must_get(ctx, 'vpc', vid)
    net = U.parse_cidr(cidr)
    vnet = ipaddress.ip_network(vpc['cidrBlock'])
    if not 16 <= net.prefixlen <= 28 or not net.subnet_of(vnet):
        raise AwsError('InvalidSubnet.Range', "The CIDR '%s' is invalid." % cidr)
    for s in st.all('subnet'):
        if s['vpcId'] == vid and net.overlaps(ipaddress.ip_network(s['cidrBlock'])):
            raise AwsError('InvalidSubnet.Conflict', "The CIDR '%s' conflicts with another "
                           "subnet" % cidr)
    zl = zones(ctx.region)
    az = pget(ctx.params, 'AvailabilityZone')
    azid = pget(ctx.params, 'AvailabilityZoneId')
    if az and azid:
        raise AwsError('InvalidParameterCombination', 'Only one of availabilityZone and '
                       'availabilityZoneId may be given')
    if az or azid:
        hit = [z for z in zl if z[0] == az or z[1] == azid]
        if not hit:
            raise bad_param('Value (%s) for parameter availabilityZone is invalid. Subnets can '
                            'currently only be created in the following availability zones: '
                            '%s.' % (az or azid, ', '.join(z[0] for z in zl)))
        zone = hit[0]
    else:
        zone = zl[st.counter('subnet-az', 0) % len(zl)]
    tags = U.tags_from_specs(ctx, 'subnet')
    sid = st.new_id('subnet')
    sub = {
        'availabilityZone': zone[0], 'availabilityZoneId': zone[1],
        'availableIpAddressCount': net.num_addresses - 5, 'cidrBlock': cidr,
        'defaultForAz': False, 'mapPublicIpOnLaunch': False, 'state': 'available',
        'subnetId': sid, 'vpcId': vid, 'ownerId': ctx.account,
        'assignIpv6AddressOnCreation': False, 'ipv6CidrBlockAssociationSet': [],
        'subnetArn': _arn(ctx, 'subnet', sid), 'enableDns64': False, 'ipv6Native': False,
        'privateDnsNameOptionsOnLaunch': {'hostnameType': 'ip-name',
                                          'enableResourceNameDnsARecord': False,
                                          'enableResourceNameDnsAAAARecord': False},
        '_next_ip': 4,
    }
    st.add('subnet', sid, sub, tags)
    acl = st.get('acl', vpc['_default_acl'])
    if acl is not None:
        acl['associationSet'].append({'networkAclAssociationId': st.new_id('aclassoc'),
                                      'networkAclId': acl['networkAclId'], 'subnetId': sid})
    out = U.render(sub)
    out['state'] = 'pending'
    return {'subnet': out}


def describe_subnets(ctx):
    page, nxt = U.describe(ctx, 'subnet', 'SubnetId', SUBNET_FILTERS, 'subnetId')
    return {'subnetSet': [U.render(o) for o in page], 'nextToken': nxt}


def delete_subnet(ctx):
    sid = _require(ctx, 'SubnetId')
    st = ctx.store
    U.must_get(ctx, 'subnet', sid)
    if any(e['subnetId'] == sid for e in st.all('eni')):
        raise _dep('subnet', sid)
    if any(n['subnetId'] == sid and n['state'] in ('pending', 'available', 'deleting')
           for n in st.all('natgw')):
        raise _dep('subnet', sid)
    _remove_subnet(st, sid)
    return {'return': True}


def _remove_subnet(st, sid):
    for r in st.all('rtb'):
        r['associationSet'] = [a for a in r['associationSet'] if a.get('subnetId') != sid]
    for a in st.all('acl'):
        a['associationSet'] = [x for x in a['associationSet'] if x.get('subnetId') != sid]
    st.remove('subnet', sid)


SUBNET_BOOL_ATTRS = {
    'MapPublicIpOnLaunch': 'mapPublicIpOnLaunch',
    'AssignIpv6AddressOnCreation': 'assignIpv6AddressOnCreation',
    'MapCustomerOwnedIpOnLaunch': 'mapCustomerOwnedIpOnLaunch',
    'EnableDns64': 'enableDns64',
}


def modify_subnet_attribute(ctx):
    sub = U.must_get(ctx, 'subnet', _require(ctx, 'SubnetId'))
    changed = 0
    for wire, field in SUBNET_BOOL_ATTRS.items():
        if wire in ctx.params:
            v = pbool(ctx.params.get(wire), 'Value')
            if v is None:
                raise missing_param(wire + '.Value')
            if field == 'assignIpv6AddressOnCreation' and v and \
                    not sub['ipv6CidrBlockAssociationSet']:
                raise bad_param('Invalid value true for assignIpv6AddressOnCreation: the '
                                'subnet has no IPv6 CIDR block')
            sub[field] = v
            changed += 1
    opts = sub['privateDnsNameOptionsOnLaunch']
    for wire, field in (('EnableResourceNameDnsARecordOnLaunch', 'enableResourceNameDnsARecord'),
                        ('EnableResourceNameDnsAAAARecordOnLaunch',
                         'enableResourceNameDnsAAAARecord')):
        if wire in ctx.params:
            opts[field] = bool(pbool(ctx.params.get(wire), 'Value'))
            changed += 1
    ht = pget(ctx.params, 'PrivateDnsHostnameTypeOnLaunch')
    if ht is not None:
        if ht not in ('ip-name', 'resource-name'):
            raise bad_param('Value (%s) for parameter privateDnsHostnameTypeOnLaunch is invalid'
                            % ht)
        opts['hostnameType'] = ht
        changed += 1
    if changed != 1:
        raise AwsError('InvalidParameterCombination', 'Specify exactly one attribute')
    return {'return': True}


# ================================================================== internet gateways

IGW_FILTERS = {
    'attachment.state': lambda o: [a['state'] for a in o['attachmentSet']],
    'attachment.vpc-id': lambda o: [a['vpcId'] for a in o['attachmentSet']],
    'internet-gateway-id': lambda o: o['internetGatewayId'],
    'owner-id': lambda o: o['ownerId'],
}


def create_internet_gateway(ctx):
    st = ctx.store
    tags = U.tags_from_specs(ctx, 'internet-gateway')
    gid = st.new_id('igw')
    igw = {'attachmentSet': [], 'internetGatewayId': gid, 'ownerId': ctx.account}
    st.add('igw', gid, igw, tags)
    return {'internetGateway': U.render(igw)}


def describe_internet_gateways(ctx):
    page, nxt = U.describe(ctx, 'igw', 'InternetGatewayId', IGW_FILTERS, 'internetGatewayId')
    return {'internetGatewaySet': [U.render(o) for o in page], 'nextToken': nxt}


def attach_internet_gateway(ctx):
    gid = _require(ctx, 'InternetGatewayId')
    vid = _require(ctx, 'VpcId')
    st = ctx.store
    igw = U.must_get(ctx, 'igw', gid)
    U.must_get(ctx, 'vpc', vid)
    if igw['attachmentSet']:
        raise AwsError('Resource.AlreadyAssociated', 'resource %s is already attached to '
                       'network %s' % (gid, igw['attachmentSet'][0]['vpcId']))
    for g in st.all('igw'):
        if any(a['vpcId'] == vid for a in g['attachmentSet']):
            raise AwsError('Resource.AlreadyAssociated', 'resource %s already has an internet '
                           'gateway attached' % vid)
    igw['attachmentSet'] = [{'state': 'available', 'vpcId': vid}]
    _refresh_route_states(st)
    return {'return': True}


def _mapped_public_addresses(st, vid):
    for e in st.all('eip'):
        eni = st.get('eni', e.get('networkInterfaceId'))
        if eni is not None and eni['vpcId'] == vid:
            return True
    return False


def detach_internet_gateway(ctx):
    gid = _require(ctx, 'InternetGatewayId')
    vid = _require(ctx, 'VpcId')
    st = ctx.store
    igw = U.must_get(ctx, 'igw', gid)
    U.must_get(ctx, 'vpc', vid)
    if not any(a['vpcId'] == vid for a in igw['attachmentSet']):
        raise AwsError('Gateway.NotAttached', 'resource %s is not attached to network %s'
                       % (gid, vid))
    if _mapped_public_addresses(st, vid):
        raise AwsError('DependencyViolation', 'Network %s has some mapped public address(es). '
                       'Please unmap those public address(es) before detaching the gateway.'
                       % vid)
    igw['attachmentSet'] = []
    _refresh_route_states(st)
    return {'return': True}


def delete_internet_gateway(ctx):
    gid = _require(ctx, 'InternetGatewayId')
    igw = U.must_get(ctx, 'igw', gid)
    if igw['attachmentSet']:
        raise _dep('internetGateway', gid)
    ctx.store.remove('igw', gid)
    _refresh_route_states(ctx.store)
    return {'return': True}


# ================================================================== elastic IPs

EIP_FILTERS = {
    'allocation-id': lambda o: o['allocationId'],
    'association-id': lambda o: o.get('associationId'),
    'domain': lambda o: o['domain'],
    'network-interface-id': lambda o: o.get('networkInterfaceId'),
    'network-interface-owner-id': lambda o: o.get('networkInterfaceOwnerId'),
    'private-ip-address': lambda o: o.get('privateIpAddress'),
    'public-ip': lambda o: o['publicIp'],
    'network-border-group': lambda o: o['networkBorderGroup'],
}


def allocate_address(ctx):
    st = ctx.store
    domain = pget(ctx.params, 'Domain', 'vpc')
    if domain not in ('vpc', 'standard'):
        raise bad_param('Value (%s) for parameter domain is invalid.' % domain)
    tags = U.tags_from_specs(ctx, 'elastic-ip')
    n = st.counter('eip-ip', 1)
    ip = str(ipaddress.ip_address('198.18.0.0') + n)
    aid = st.new_id('eipalloc')
    eip = {'publicIp': ip, 'allocationId': aid, 'domain': 'vpc', 'publicIpv4Pool': 'amazon',
           'networkBorderGroup': ctx.region}
    st.add('eip', aid, eip, tags)
    return {'publicIp': ip, 'allocationId': aid, 'publicIpv4Pool': 'amazon',
            'networkBorderGroup': ctx.region, 'domain': 'vpc'}


def describe_addresses(ctx):
    st = ctx.store
    for p in ('MaxResults', 'NextToken'):
        if pget(ctx.params, p) is not None:   # DescribeAddresses does not paginate
            raise AwsError('UnknownParameter', 'The parameter %s is not recognized' % p)
    pool = [o for o in st.all('eip') if st.visible(o)]
    ips = plist(ctx.params, 'PublicIp')
    if ips:
        have = {o['publicIp'] for o in pool}
        for ip in ips:
            if ip not in have:
                raise AwsError('InvalidAddress.NotFound', "Address '%s' not found." % ip)
        pool = [o for o in pool if o['publicIp'] in ips]
    page, _ = U.describe(ctx, 'eip', 'AllocationId', EIP_FILTERS, 'allocationId', items=pool)
    return {'addressesSet': [U.render(o) for o in page]}


def release_address(ctx):
    st = ctx.store
    aid = pget(ctx.params, 'AllocationId')
    if aid is None:
        ip = _require(ctx, 'PublicIp')
        hit = [o for o in st.all('eip') if o['publicIp'] == ip]
        if not hit:
            raise AwsError('InvalidAddress.NotFound', "Address '%s' not found." % ip)
        eip = hit[0]
    else:
        eip = U.must_get(ctx, 'eip', aid)
    if eip.get('associationId'):
        raise AwsError('InvalidIPAddress.InUse', 'Address %s is in use.' % eip['publicIp'])
    st.remove('eip', eip['allocationId'])
    return {'return': True}


# ================================================================== NAT gateways

NAT_FILTERS = {
    'nat-gateway-id': lambda o: o['natGatewayId'],
    'state': lambda o: o['state'],
    'subnet-id': lambda o: o['subnetId'],
    'vpc-id': lambda o: o['vpcId'],
}


def _nat_not_found(ids):
    return AwsError('NatGatewayNotFound', 'NAT gateway %s was not found' % ids[0])


def _new_eni(ctx, sub, description, itype, group_ids=(), ip=None):
    st = ctx.store
    net = ipaddress.ip_network(sub['cidrBlock'])
    if ip is None:
        ip = str(net.network_address + sub['_next_ip'])
        sub['_next_ip'] += 1
    elif not _ip_in(ip, net) or any(e['privateIpAddress'] == ip for e in st.all('eni')):
        raise bad_param('The private IP address %s is not available in subnet %s.'
                        % (ip, sub['subnetId']))
    sub['availableIpAddressCount'] -= 1
    eid = st.new_id('eni')
    eni = {'availabilityZone': sub['availabilityZone'], 'description': description,
           'groupSet': [{'groupId': g} for g in group_ids], 'interfaceType': itype,
           'networkInterfaceId': eid, 'ownerId': ctx.account, 'privateIpAddress': ip,
           'requesterManaged': True, 'sourceDestCheck': False, 'status': 'in-use',
           'subnetId': sub['subnetId'], 'vpcId': sub['vpcId']}
    st.add('eni', eid, eni)
    return eni


def _ip_in(ip, net):
    try:
        return ipaddress.ip_address(ip) in net
    except ValueError:
        return False


def _remove_eni(st, eni):
    sub = st.get('subnet', eni['subnetId'])
    if sub is not None:
        sub['availableIpAddressCount'] += 1
    st.remove('eni', eni['networkInterfaceId'])


def create_nat_gateway(ctx):
    st = ctx.store
    scope, tok, existing = U.client_token(ctx, U.fingerprint(ctx))
    if existing is not None:
        nat = st.get('natgw', existing)
        if nat is not None:
            return {'clientToken': tok, 'natGateway': U.render(nat)}
    sid = _require(ctx, 'SubnetId')
    sub = U.must_get(ctx, 'subnet', sid)
    conn = pget(ctx.params, 'ConnectivityType', 'public')
    if conn not in ('public', 'private'):
        raise bad_param('Value (%s) for parameter connectivityType is invalid.' % conn)
    aid = pget(ctx.params, 'AllocationId')
    eip = None
    if conn == 'public':
        if not aid:
            raise missing_param('AllocationId')
        eip = U.must_get(ctx, 'eip', aid)
        if eip.get('associationId'):
            raise AwsError('Resource.AlreadyAssociated', 'Elastic IP address [%s] is already '
                           'associated' % aid)
    elif aid:
        raise bad_param('AllocationId is not supported for a private NAT gateway')
    tags = U.tags_from_specs(ctx, 'natgateway')
    nid = st.new_id('nat')
    eni = _new_eni(ctx, sub, 'Interface for NAT Gateway %s' % nid, 'nat_gateway',
                   ip=pget(ctx.params, 'PrivateIpAddress'))
    addr = {'networkInterfaceId': eni['networkInterfaceId'],
            'privateIp': eni['privateIpAddress']}
    if eip is not None:
        addr = {'allocationId': aid, 'associationId': st.new_id('eipassoc'),
                'networkInterfaceId': eni['networkInterfaceId'],
                'privateIp': eni['privateIpAddress'], 'publicIp': eip['publicIp']}
        eip.update({'associationId': addr['associationId'],
                    'networkInterfaceId': eni['networkInterfaceId'],
                    'networkInterfaceOwnerId': ctx.account,
                    'privateIpAddress': eni['privateIpAddress']})
    nat = {'createTime': iso_now(time.time()), 'natGatewayAddressSet': [addr],
           'natGatewayId': nid, 'state': 'pending', 'subnetId': sid, 'vpcId': sub['vpcId'],
           'connectivityType': conn}
    st.add('natgw', nid, nat, tags)
    if tok:
        st.token_store(scope, tok, U.fingerprint(ctx), nid)
    igw_ok = conn == 'private' or any(
        a['vpcId'] == sub['vpcId'] for g in st.all('igw') for a in g['attachmentSet'])

    def settle():
        if nat['state'] != 'pending':
            return
        if igw_ok:
            nat['state'] = 'available'
        else:
            nat['state'] = 'failed'
            nat['failureCode'] = 'Gateway.NotAttached'
            nat['failureMessage'] = 'Network %s has no Internet gateway attached' % nat['vpcId']
            _release_nat_resources(st, nat)
        _refresh_route_states(st)

    st.later(NAT_CREATE_SECONDS, settle)
    return {'clientToken': tok, 'natGateway': U.render(nat)}


def _release_nat_resources(st, nat):
    for a in nat['natGatewayAddressSet']:
        eni = st.get('eni', a.get('networkInterfaceId'))
        if eni is not None:
            _remove_eni(st, eni)
        eip = st.get('eip', a.get('allocationId'))
        if eip is not None:
            for k in ('associationId', 'networkInterfaceId', 'networkInterfaceOwnerId',
                      'privateIpAddress'):
                eip.pop(k, None)


def describe_nat_gateways(ctx):
    page, nxt = U.describe(ctx, 'natgw', 'NatGatewayId', NAT_FILTERS, 'natGatewayId',
                           not_found_fn=_nat_not_found)
    return {'natGatewaySet': [U.render(o) for o in page], 'nextToken': nxt}


def delete_nat_gateway(ctx):
    st = ctx.store
    nid = _require(ctx, 'NatGatewayId')
    nat = st.get('natgw', nid)
    if nat is None or nat['state'] == 'deleted':
        raise _nat_not_found([nid])
    if nat['state'] in ('pending', 'available', 'failed'):
        was_failed = nat['state'] == 'failed'
        nat['state'] = 'deleting'

        def gone():
            nat['state'] = 'deleted'
            nat['deleteTime'] = iso_now(time.time())
            _release_nat_resources(st, nat)
            _refresh_route_states(st)
            st.later(NAT_PURGE_SECONDS, lambda: st.remove('natgw', nid))

        st.later(1 if was_failed else NAT_DELETE_SECONDS, gone)
    return {'natGatewayId': nid}


# ================================================================== route tables

RTB_FILTERS = {
    'association.route-table-association-id': lambda o: [a['routeTableAssociationId'] for a in
                                                         o['associationSet']],
    'association.route-table-id': lambda o: [a['routeTableId'] for a in o['associationSet']],
    'association.subnet-id': lambda o: [a.get('subnetId') for a in o['associationSet']],
    'association.gateway-id': lambda o: [a.get('gatewayId') for a in o['associationSet']],
    'association.main': lambda o: [a['main'] for a in o['associationSet']],
    'owner-id': lambda o: o['ownerId'],
    'route-table-id': lambda o: o['routeTableId'],
    'route.destination-cidr-block': lambda o: [r.get('destinationCidrBlock') for r in
                                               o['routeSet']],
    'route.gateway-id': lambda o: [r.get('gatewayId') for r in o['routeSet']],
    'route.nat-gateway-id': lambda o: [r.get('natGatewayId') for r in o['routeSet']],
    'route.origin': lambda o: [r.get('origin') for r in o['routeSet']],
    'route.state': lambda o: [r.get('state') for r in o['routeSet']],
    'vpc-id': lambda o: o['vpcId'],
}

ROUTE_TARGETS = (('GatewayId', 'gatewayId'), ('NatGatewayId', 'natGatewayId'),
                 ('NetworkInterfaceId', 'networkInterfaceId'), ('InstanceId', 'instanceId'),
                 ('VpcPeeringConnectionId', 'vpcPeeringConnectionId'),
                 ('TransitGatewayId', 'transitGatewayId'),
                 ('EgressOnlyInternetGatewayId', 'egressOnlyInternetGatewayId'),
                 ('VpcEndpointId', 'gatewayId'), ('CarrierGatewayId', 'carrierGatewayId'),
                 ('LocalGatewayId', 'localGatewayId'))


def _new_route_table(ctx, vid, vpc_cidr, tags):
    st = ctx.store
    rid = st.new_id('rtb')
    rtb = {'associationSet': [], 'propagatingVgwSet': [], 'routeTableId': rid,
           'routeSet': [{'destinationCidrBlock': vpc_cidr, 'gatewayId': 'local',
                         'origin': 'CreateRouteTable', 'state': 'active'}],
           'vpcId': vid, 'ownerId': ctx.account}
    st.add('rtb', rid, rtb, tags)
    return rtb


def create_route_table(ctx):
    st = ctx.store
    scope, tok, existing = U.client_token(ctx, U.fingerprint(ctx))
    if existing is not None and st.get('rtb', existing) is not None:
        return {'routeTable': U.render(st.get('rtb', existing)), 'clientToken': tok}
    vid = _require(ctx, 'VpcId')
    vpc = U.must_get(ctx, 'vpc', vid)
    tags = U.tags_from_specs(ctx, 'route-table')
    rtb = _new_route_table(ctx, vid, vpc['cidrBlock'], tags)
    if tok:
        st.token_store(scope, tok, U.fingerprint(ctx), rtb['routeTableId'])
    return {'routeTable': U.render(rtb), 'clientToken': tok}


def describe_route_tables(ctx):
    page, nxt = U.describe(ctx, 'rtb', 'RouteTableId', RTB_FILTERS, 'routeTableId')
    return {'routeTableSet': [U.render(o) for o in page], 'nextToken': nxt}


def delete_route_table(ctx):
    rid = _require(ctx, 'RouteTableId')
    rtb = U.must_get(ctx, 'rtb', rid)
    if rtb['associationSet']:
        raise _dep('routeTable', rid)
    ctx.store.remove('rtb', rid)
    return {'return': True}


def _route_target(ctx, rtb):
    """(field, value) of the one target given; validates it exists in the VPC."""
    st = ctx.store
    given = [(wire, field, pget(ctx.params, wire)) for wire, field in ROUTE_TARGETS
             if pget(ctx.params, wire)]
    if len(given) != 1:
        raise AwsError('InvalidParameterCombination' if given else 'MissingParameter',
                       'The request must contain exactly one of gatewayId, natGatewayId, '
                       'networkInterfaceId, instanceId, vpcPeeringConnectionId, '
                       'transitGatewayId, egressOnlyInternetGatewayId')
    wire, field, value = given[0]
    if wire == 'GatewayId' and value.startswith('igw-'):
        igw = st.get('igw', value)
        if igw is None:
            raise AwsError('InvalidGatewayID.NotFound', "The gateway ID '%s' does not exist"
                           % value)
        if not any(a['vpcId'] == rtb['vpcId'] for a in igw['attachmentSet']):
            raise bad_param('route table %s and network gateway %s belong to different '
                            'networks' % (rtb['routeTableId'], value))
    elif wire == 'NatGatewayId':
        nat = st.get('natgw', value)
        if nat is None or nat['state'] == 'deleted':
            raise AwsError('InvalidNatGatewayID.NotFound', "The natGateway ID '%s' does not "
                           "exist" % value)
        if nat['vpcId'] != rtb['vpcId']:
            raise bad_param('route table %s and NAT gateway %s belong to different networks'
                            % (rtb['routeTableId'], value))
    elif wire == 'NetworkInterfaceId' and st.get('eni', value) is None:
        raise U.not_found(value, 'eni')
    return field, value


def _route_state(st, route):
    if 'natGatewayId' in route:
        nat = st.get('natgw', route['natGatewayId'])
        ok = nat is not None and nat['state'] in ('pending', 'available')
        return 'active' if ok else 'blackhole'
    gid = route.get('gatewayId', '')
    if gid.startswith('igw-'):
        igw = st.get('igw', gid)
        return 'active' if igw is not None and igw['attachmentSet'] else 'blackhole'
    return 'active'


def _refresh_route_states(st):
    for rtb in st.all('rtb'):
        for r in rtb['routeSet']:
            r['state'] = _route_state(st, r)


def _destination(ctx):
    dest = pget(ctx.params, 'DestinationCidrBlock')
    if dest is None:
        for other in ('DestinationIpv6CidrBlock', 'DestinationPrefixListId'):
            if pget(ctx.params, other):
                return 'destination' + other[len('Destination'):], pget(ctx.params, other)
        raise missing_param('DestinationCidrBlock')
    try:
        net = ipaddress.ip_network(dest, strict=True)
    except ValueError:
        raise bad_param('Value (%s) for parameter destinationCidrBlock is invalid. This is not '
                        'a valid CIDR block.' % dest)
    return 'destinationCidrBlock', str(net)


def _find_route(rtb, field, dest):
    for r in rtb['routeSet']:
        if r.get(field) == dest:
            return r
    return None


def create_route(ctx):
    st = ctx.store
    rtb = U.must_get(ctx, 'rtb', _require(ctx, 'RouteTableId'))
    field, dest = _destination(ctx)
    tfield, tval = _route_target(ctx, rtb)
    if _find_route(rtb, field, dest) is not None:
        raise AwsError('RouteAlreadyExists', 'The route identified by %s already exists.'
                       % dest)
    if field == 'destinationCidrBlock' and tfield != 'networkInterfaceId':
        vpc = st.get('vpc', rtb['vpcId'])
        if vpc and ipaddress.ip_network(dest).subnet_of(ipaddress.ip_network(vpc['cidrBlock'])):
            raise bad_param('The destination CIDR block %s is equal to or more specific than '
                            "one of this VPC's CIDR blocks. This route can target only an "
                            'interface or an instance.' % dest)
    route = {field: dest, tfield: tval, 'origin': 'CreateRoute'}
    route['state'] = _route_state(st, route)
    rtb['routeSet'].append(route)
    return {'return': True}


def replace_route(ctx):
    st = ctx.store
    rtb = U.must_get(ctx, 'rtb', _require(ctx, 'RouteTableId'))
    field, dest = _destination(ctx)
    route = _find_route(rtb, field, dest)
    if route is None:
        raise AwsError('InvalidRoute.NotFound', "There is no route defined for '%s' in the "
                       'route table. Use CreateRoute instead.' % dest)
    if route.get('gatewayId') == 'local':
        raise bad_param('cannot replace local route %s in route table %s'
                        % (dest, rtb['routeTableId']))
    tfield, tval = _route_target(ctx, rtb)
    new = {field: dest, tfield: tval, 'origin': 'CreateRoute'}
    new['state'] = _route_state(st, new)
    rtb['routeSet'][rtb['routeSet'].index(route)] = new
    return {'return': True}


def delete_route(ctx):
    rtb = U.must_get(ctx, 'rtb', _require(ctx, 'RouteTableId'))
    field, dest = _destination(ctx)
    route = _find_route(rtb, field, dest)
    if route is None:
        raise AwsError('InvalidRoute.NotFound', 'no route with destination-cidr-block %s in '
                       'route table %s' % (dest, rtb['routeTableId']))
    if route.get('gatewayId') == 'local':
        raise bad_param('cannot remove local route %s in route table %s'
                        % (dest, rtb['routeTableId']))
    rtb['routeSet'].remove(route)
    return {'return': True}


def associate_route_table(ctx):
    st = ctx.store
    rtb = U.must_get(ctx, 'rtb', _require(ctx, 'RouteTableId'))
    sid = pget(ctx.params, 'SubnetId')
    gid = pget(ctx.params, 'GatewayId')
    if bool(sid) == bool(gid):
        raise AwsError('InvalidParameterCombination', 'Specify exactly one of subnetId and '
                       'gatewayId')
    if sid:
        sub = U.must_get(ctx, 'subnet', sid)
        if sub['vpcId'] != rtb['vpcId']:
            raise bad_param('Route table %s and subnet %s belong to different networks'
                            % (rtb['routeTableId'], sid))
        for other in st.all('rtb'):
            for a in other['associationSet']:
                if a.get('subnetId') == sid:
                    raise AwsError('Resource.AlreadyAssociated', 'the specified association '
                                   'for route table %s conflicts with an existing association'
                                   % rtb['routeTableId'])
        assoc = {'main': False, 'routeTableAssociationId': st.new_id('rtbassoc'),
                 'routeTableId': rtb['routeTableId'], 'subnetId': sid,
                 'associationState': {'state': 'associated'}}
    else:
        U.must_get(ctx, 'igw', gid)
        assoc = {'main': False, 'routeTableAssociationId': st.new_id('rtbassoc'),
                 'routeTableId': rtb['routeTableId'], 'gatewayId': gid,
                 'associationState': {'state': 'associated'}}
    rtb['associationSet'].append(assoc)
    return {'associationId': assoc['routeTableAssociationId'],
            'associationState': {'state': 'associated'}}


def _find_association(st, aid):
    for rtb in st.all('rtb'):
        for a in rtb['associationSet']:
            if a['routeTableAssociationId'] == aid:
                return rtb, a
    raise AwsError('InvalidAssociationID.NotFound', "The association ID '%s' does not exist"
                   % aid)


def disassociate_route_table(ctx):
    rtb, a = _find_association(ctx.store, _require(ctx, 'AssociationId'))
    if a['main']:
        raise bad_param('cannot disassociate the main route table association %s'
                        % a['routeTableAssociationId'])
    rtb['associationSet'].remove(a)
    return {'return': True}


def replace_route_table_association(ctx):
    st = ctx.store
    old_rtb, a = _find_association(st, _require(ctx, 'AssociationId'))
    rtb = U.must_get(ctx, 'rtb', _require(ctx, 'RouteTableId'))
    if rtb['vpcId'] != old_rtb['vpcId']:
        raise bad_param('Route table %s and association %s belong to different networks'
                        % (rtb['routeTableId'], a['routeTableAssociationId']))
    old_rtb['associationSet'].remove(a)
    new = dict(a)
    new['routeTableAssociationId'] = st.new_id('rtbassoc')
    new['routeTableId'] = rtb['routeTableId']
    rtb['associationSet'].append(new)
    if new['main']:
        vpc = st.get('vpc', rtb['vpcId'])
        if vpc is not None:
            vpc['_main_rtb'] = rtb['routeTableId']
    return {'newAssociationId': new['routeTableAssociationId'],
            'associationState': {'state': 'associated'}}


# ================================================================== network ACLs, ENIs

def _new_default_acl(ctx, vid):
    st = ctx.store
    aid = st.new_id('acl')
    entries = []
    for egress in (True, False):
        entries.append({'cidrBlock': '0.0.0.0/0', 'egress': egress, 'protocol': '-1',
                        'ruleAction': 'allow', 'ruleNumber': 100})
        entries.append({'cidrBlock': '0.0.0.0/0', 'egress': egress, 'protocol': '-1',
                        'ruleAction': 'deny', 'ruleNumber': 32767})
    st.add('acl', aid, {'associationSet': [], 'entrySet': entries, 'default': True,
                        'networkAclId': aid, 'vpcId': vid, 'ownerId': ctx.account})
    return aid


ACL_FILTERS = {
    'association.association-id': lambda o: [a['networkAclAssociationId'] for a in
                                              o['associationSet']],
    'association.network-acl-id': lambda o: [a['networkAclId'] for a in o['associationSet']],
    'association.subnet-id': lambda o: [a['subnetId'] for a in o['associationSet']],
    'default': lambda o: o['default'],
    'network-acl-id': lambda o: o['networkAclId'],
    'owner-id': lambda o: o['ownerId'],
    'vpc-id': lambda o: o['vpcId'],
}


def describe_network_acls(ctx):
    page, nxt = U.describe(ctx, 'acl', 'NetworkAclId', ACL_FILTERS, 'networkAclId')
    return {'networkAclSet': [U.render(o) for o in page], 'nextToken': nxt}


ENI_FILTERS = {
    'network-interface-id': lambda o: o['networkInterfaceId'],
    'subnet-id': lambda o: o['subnetId'], 'vpc-id': lambda o: o['vpcId'],
    'interface-type': lambda o: o['interfaceType'],
    'group-id': lambda o: [g['groupId'] for g in o['groupSet']],
    'description': lambda o: o['description'], 'status': lambda o: o['status'],
    'availability-zone': lambda o: o['availabilityZone'],
    'private-ip-address': lambda o: o['privateIpAddress'],
}


def describe_network_interfaces(ctx):
    page, nxt = U.describe(ctx, 'eni', 'NetworkInterfaceId', ENI_FILTERS, 'networkInterfaceId')
    return {'networkInterfaceSet': [U.render(o) for o in page], 'nextToken': nxt}


def describe_dhcp_options(ctx):
    page, nxt = U.describe(ctx, 'dopt', 'DhcpOptionsId',
                           {'dhcp-options-id': lambda o: o['dhcpOptionsId'],
                            'owner-id': lambda o: o['ownerId']}, 'dhcpOptionsId')
    return {'dhcpOptionsSet': [U.render(o) for o in page], 'nextToken': nxt}


# ================================================================== tags

def _tag_targets(ctx):
    ids = plist(ctx.params, 'ResourceId')
    if not ids:
        raise missing_param('ResourceId')
    objs = []
    for rid in ids:
        rtype, obj = ctx.store.find(rid)
        if obj is None or rtype not in U.TYPE_TO_TAG_RTYPE:
            raise U.not_found(rid)
        objs.append(obj)
    return objs


def create_tags(ctx):
    objs = _tag_targets(ctx)
    tags = []
    for t in plist(ctx.params, 'Tag'):
        key = pget(t, 'Key')
        U.check_tag_key(key, pget(t, 'Value', ''))
        tags.append((key, pget(t, 'Value', '')))
    for obj in objs:
        merged = dict(obj['_tags'])
        merged.update(tags)
        if len(merged) > 50:
            raise AwsError('TagLimitExceeded', 'The maximum number of tags per resource is 50.')
    for obj in objs:
        obj['_tags'].update(tags)
    return {'return': True}


def delete_tags(ctx):
    objs = _tag_targets(ctx)
    specs = [(pget(t, 'Key'), pget(t, 'Value')) for t in plist(ctx.params, 'Tag')]
    for obj in objs:
        if not specs:
            obj['_tags'].clear()
        for key, value in specs:
            if key in obj['_tags'] and (value is None or obj['_tags'][key] == value):
                del obj['_tags'][key]
    return {'return': True}


def _all_tags(ctx):
    out = []
    for rtype, objs in ctx.store.res.items():
        tag_rtype = U.TYPE_TO_TAG_RTYPE.get(rtype)
        if tag_rtype is None:
            continue
        for rid, obj in objs.items():
            for k, v in obj['_tags'].items():
                out.append({'resourceId': rid, 'resourceType': tag_rtype, 'key': k,
                            'value': v})
    return out


TAG_FILTERS = {'key': lambda o: o['key'], 'value': lambda o: o['value'],
               'resource-id': lambda o: o['resourceId'],
               'resource-type': lambda o: o['resourceType']}


def describe_tags(ctx):
    items = [t for t in _all_tags(ctx) if U.match_filters(ctx, t, TAG_FILTERS)]
    page, nxt = U.paginate(ctx, items, lambda t: t['resourceId'] + '\0' + t['key'],
                           (5, 1000), always=True)
    return {'tagSet': page, 'nextToken': nxt}


# ================================================================== account, zones

def describe_availability_zones(ctx):
    names = plist(ctx.params, 'ZoneName')
    zids = plist(ctx.params, 'ZoneId')
    items = []
    for name, zid in zones(ctx.region):
        items.append({'zoneState': 'available', 'optInStatus': 'opt-in-not-required',
                      'messageSet': [], 'regionName': ctx.region, 'zoneName': name,
                      'zoneId': zid, 'groupName': ctx.region,
                      'networkBorderGroup': ctx.region, 'zoneType': 'availability-zone'})
    for n in names:
        if n not in [i['zoneName'] for i in items]:
            raise bad_param("The zone '%s' does not exist." % n)
    if names or zids:
        items = [i for i in items if i['zoneName'] in names or i['zoneId'] in zids]
    fmap = {'zone-name': lambda o: o['zoneName'], 'zone-id': lambda o: o['zoneId'],
            'state': lambda o: o['zoneState'], 'region-name': lambda o: o['regionName'],
            'zone-type': lambda o: o['zoneType'], 'group-name': lambda o: o['groupName'],
            'opt-in-status': lambda o: o['optInStatus'],
            'network-border-group': lambda o: o['networkBorderGroup']}
    items = [i for i in items if U.match_filters(ctx, i, fmap)]
    return {'availabilityZoneInfo': items}


def describe_regions(ctx):
    names = plist(ctx.params, 'RegionName')
    items = [{'regionName': r, 'regionEndpoint': 'ec2.%s.amazonaws.com' % r,
              'optInStatus': 'opt-in-not-required'} for r in ctx.emu.cfg.regions]
    if names:
        items = [i for i in items if i['regionName'] in names]
    return {'regionInfo': items}


def describe_account_attributes(ctx):
    dflt = [v['vpcId'] for v in ctx.store.all('vpc') if v['isDefault']]
    attrs = {'supported-platforms': ['VPC'], 'default-vpc': dflt[:1] or ['none'],
             'max-instances': ['20'],
             'vpc-max-security-groups-per-interface': ['5'], 'max-elastic-ips': ['5'],
             'vpc-max-elastic-ips': ['5']}
    names = plist(ctx.params, 'AttributeName') or list(attrs)
    out = []
    for n in names:
        if n not in attrs:
            raise bad_param('Value (%s) for parameter attributeName is invalid.' % n)
        out.append({'attributeName': n,
                    'attributeValueSet': [{'attributeValue': v} for v in attrs[n]]})
    return {'accountAttributeSet': out}


# ================================================================== default VPC

def create_default_vpc(ctx):
    """What a new AWS account has: a default VPC 172.31.0.0/16 with a default
    subnet per zone (public IPs on launch), an attached internet gateway and a
    default route to it.  Only with --default-vpc / config default_vpc."""
    st = ctx.store
    ctx.params = {'CidrBlock': '172.31.0.0/16'}
    ctx._filters = None
    vid = create_vpc(ctx)['vpc']['vpcId']
    vpc = st.get('vpc', vid)
    vpc['isDefault'] = True
    vpc['_attrs']['enableDnsHostnames'] = True
    for i, (zone, zid) in enumerate(zones(ctx.region)):
        ctx.params = {'VpcId': vid, 'CidrBlock': '172.31.%d.0/20' % (16 * i),
                      'AvailabilityZone': zone}
        sub = st.get('subnet', create_subnet(ctx)['subnet']['subnetId'])
        sub['defaultForAz'] = True
        sub['mapPublicIpOnLaunch'] = True
    ctx.params = {}
    gid = create_internet_gateway(ctx)['internetGateway']['internetGatewayId']
    st.get('igw', gid)['attachmentSet'] = [{'state': 'available', 'vpcId': vid}]
    st.get('rtb', vpc['_main_rtb'])['routeSet'].append(
        {'destinationCidrBlock': '0.0.0.0/0', 'gatewayId': gid, 'origin': 'CreateRoute',
         'state': 'active'})
    for obj in [vpc] + [o for t in ('subnet', 'igw', 'rtb', 'sg', 'sgr', 'acl')
                        for o in st.all(t)]:
        obj['_created'] = 0.0        # visible at once, whatever consistency_ms says
    return vid


# ================================================================== admin hook

def admin_delete(st, rtype, obj):
    """Delete obj behind the client's back, with the side effects AWS would
    have had (no dependency checks).  Returns True when handled here."""
    if rtype == 'subnet':
        for eni in [e for e in st.all('eni') if e['subnetId'] == obj['subnetId']]:
            _remove_eni(st, eni)
        _remove_subnet(st, obj['subnetId'])
    elif rtype == 'vpc':
        # As the console does: everything inside the VPC goes with it.
        vid = obj['vpcId']
        for nat in [n for n in st.all('natgw') if n['vpcId'] == vid]:
            _release_nat_resources(st, nat)
            st.remove('natgw', nat['natGatewayId'])
        for eni in [e for e in st.all('eni') if e['vpcId'] == vid]:
            _remove_eni(st, eni)
        for sub in [s for s in st.all('subnet') if s['vpcId'] == vid]:
            _remove_subnet(st, sub['subnetId'])
        for g in st.all('igw'):
            g['attachmentSet'] = [a for a in g['attachmentSet'] if a['vpcId'] != vid]
        for r in [r for r in st.all('rtb') if r['vpcId'] == vid and
                  r['routeTableId'] != obj['_main_rtb']]:
            st.remove('rtb', r['routeTableId'])
        for g in [g for g in st.all('sg') if g['vpcId'] == vid and
                  g['groupId'] != obj['_default_sg']]:
            ec2sg.remove_group(st, g)
        for a in [a for a in st.all('acl') if a['vpcId'] == vid and
                  a['networkAclId'] != obj['_default_acl']]:
            st.remove('acl', a['networkAclId'])
        _remove_vpc(st, obj)
        _refresh_route_states(st)
    elif rtype == 'natgw':
        _release_nat_resources(st, obj)
        st.remove('natgw', obj['natGatewayId'])
        _refresh_route_states(st)
    elif rtype == 'igw':
        st.remove('igw', obj['internetGatewayId'])
        _refresh_route_states(st)
    elif rtype in ('sg', 'sgr'):
        return ec2sg.admin_delete(st, rtype, obj)
    else:
        return False
    return True


ACTIONS = {
    'CreateVpc': create_vpc, 'DescribeVpcs': describe_vpcs, 'DeleteVpc': delete_vpc,
    'ModifyVpcAttribute': modify_vpc_attribute, 'DescribeVpcAttribute': describe_vpc_attribute,
    'ModifyVpcTenancy': modify_vpc_tenancy,
    'CreateSubnet': create_subnet, 'DescribeSubnets': describe_subnets,
    'DeleteSubnet': delete_subnet, 'ModifySubnetAttribute': modify_subnet_attribute,
    'CreateInternetGateway': create_internet_gateway,
    'DescribeInternetGateways': describe_internet_gateways,
    'AttachInternetGateway': attach_internet_gateway,
    'DetachInternetGateway': detach_internet_gateway,
    'DeleteInternetGateway': delete_internet_gateway,
    'AllocateAddress': allocate_address, 'DescribeAddresses': describe_addresses,
    'ReleaseAddress': release_address,
    'CreateNatGateway': create_nat_gateway, 'DescribeNatGateways': describe_nat_gateways,
    'DeleteNatGateway': delete_nat_gateway,
    'CreateRouteTable': create_route_table, 'DescribeRouteTables': describe_route_tables,
    'DeleteRouteTable': delete_route_table, 'CreateRoute': create_route,
    'ReplaceRoute': replace_route, 'DeleteRoute': delete_route,
    'AssociateRouteTable': associate_route_table,
    'DisassociateRouteTable': disassociate_route_table,
    'ReplaceRouteTableAssociation': replace_route_table_association,
    'DescribeNetworkAcls': describe_network_acls,
    'DescribeNetworkInterfaces': describe_network_interfaces,
    'DescribeDhcpOptions': describe_dhcp_options,
    'CreateTags': create_tags, 'DeleteTags': delete_tags, 'DescribeTags': describe_tags,
    'DescribeAvailabilityZones': describe_availability_zones,
    'DescribeRegions': describe_regions,
    'DescribeAccountAttributes': describe_account_attributes,
}
ACTIONS.update(ec2sg.ACTIONS)
