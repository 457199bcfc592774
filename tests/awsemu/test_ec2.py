"""EC2 VPC family through botocore: create/describe/delete of every resource,
AWS's ordering rules, NotFound codes, filters, tags, pagination, client
tokens, NAT gateway lifecycle (time-scale 0.01), eventual consistency."""
import time

import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = "awsemu.ec2"
ec2 = client("ec2")


def tags(d):
    return [{'Key': k, 'Value': v} for k, v in d.items()]


def spec(rtype, d):
    return [{'ResourceType': rtype, 'Tags': tags(d)}]


def tagmap(obj):
    return {t['Key']: t['Value'] for t in obj.get('Tags', [])}


def new_vpc(cidr='10.0.0.0/16', **tg):
    return ec2.create_vpc(CidrBlock=cidr, TagSpecifications=spec('vpc', tg or {'t': '1'}))['Vpc']


def test_vpc():
    v = new_vpc(Name='main')
    vid = v['VpcId']
    check('vpc.id_shape', vid.startswith('vpc-') and len(vid) == 21, vid)
    check('vpc.create_tags', tagmap(v) == {'Name': 'main'}, v)
    d = ec2.describe_vpcs(VpcIds=[vid])['Vpcs']
    check('vpc.describe_by_id', len(d) == 1 and d[0]['State'] == 'available'
          and d[0]['CidrBlock'] == '10.0.0.0/16' and d[0]['OwnerId'] == '123456789012', d)
    a = ec2.describe_vpc_attribute(VpcId=vid, Attribute='enableDnsSupport')
    check('vpc.dns_support_default_true', a['EnableDnsSupport']['Value'] is True, a)
    a = ec2.describe_vpc_attribute(VpcId=vid, Attribute='enableDnsHostnames')
    check('vpc.dns_hostnames_default_false', a['EnableDnsHostnames']['Value'] is False, a)
    ec2.modify_vpc_attribute(VpcId=vid, EnableDnsHostnames={'Value': True})
    a = ec2.describe_vpc_attribute(VpcId=vid, Attribute='enableDnsHostnames')
    check('vpc.modify_attribute', a['EnableDnsHostnames']['Value'] is True, a)
    rts = ec2.describe_route_tables(Filters=[{'Name': 'vpc-id', 'Values': [vid]},
                                             {'Name': 'association.main', 'Values': ['true']}])
    rts = rts['RouteTables']
    check('vpc.main_route_table', len(rts) == 1 and rts[0]['Routes'][0]['GatewayId'] == 'local'
          and rts[0]['Routes'][0]['DestinationCidrBlock'] == '10.0.0.0/16', rts)
    sgs = ec2.describe_security_groups(Filters=[{'Name': 'vpc-id', 'Values': [vid]},
                                                {'Name': 'group-name', 'Values': ['default']}])
    check('vpc.default_security_group', len(sgs['SecurityGroups']) == 1, sgs)
    acls = ec2.describe_network_acls(Filters=[{'Name': 'vpc-id', 'Values': [vid]},
                                              {'Name': 'default', 'Values': ['true']}])
    check('vpc.default_network_acl', len(acls['NetworkAcls']) == 1, acls)
    expect_error('vpc.range_too_big', 'InvalidVpc.Range', ec2.create_vpc, CidrBlock='10.0.0.0/8')
    expect_error('vpc.bad_cidr', 'InvalidParameterValue', ec2.create_vpc, CidrBlock='10.0.0.1/16')
    expect_error('vpc.describe_unknown', 'InvalidVpcID.NotFound', ec2.describe_vpcs,
                 VpcIds=['vpc-0123456789abcdef0'])
    expect_error('vpc.delete_unknown', 'InvalidVpcID.NotFound', ec2.delete_vpc,
                 VpcId='vpc-0123456789abcdef0')
    expect_error('vpc.malformed_id', 'InvalidVpcID.Malformed', ec2.describe_vpcs,
                 VpcIds=['vpc-bogus'])
    expect_error('subnet.malformed_id', 'InvalidSubnetID.Malformed', ec2.describe_subnets,
                 SubnetIds=['subnet-xyz'])
    ec2.delete_vpc(VpcId=vid)
    expect_error('vpc.gone_after_delete', 'InvalidVpcID.NotFound', ec2.describe_vpcs,
                 VpcIds=[vid])
    check('vpc.defaults_removed_with_vpc',
          not ec2.describe_route_tables(Filters=[{'Name': 'vpc-id', 'Values': [vid]}])
          ['RouteTables'] and not ec2.describe_security_groups(
              Filters=[{'Name': 'vpc-id', 'Values': [vid]}])['SecurityGroups'])


def test_vpc_tenancy():
    vid = ec2.create_vpc(CidrBlock='10.9.0.0/16', InstanceTenancy='dedicated')['Vpc']['VpcId']
    expect_error('vpc.tenancy_only_to_default', 'InvalidParameterValue', ec2.modify_vpc_tenancy,
                 VpcId=vid, InstanceTenancy='dedicated')
    ec2.modify_vpc_tenancy(VpcId=vid, InstanceTenancy='default')
    d = ec2.describe_vpcs(VpcIds=[vid])['Vpcs']
    check('vpc.tenancy_to_default', d[0]['InstanceTenancy'] == 'default', d)
    ec2.delete_vpc(VpcId=vid)


def test_subnets():
    vid = new_vpc('10.1.0.0/16')['VpcId']
    s1 = ec2.create_subnet(VpcId=vid, CidrBlock='10.1.1.0/24', AvailabilityZone='us-east-1b',
                           TagSpecifications=spec('subnet', {'tier': 'public'}))['Subnet']
    check('subnet.create', s1['AvailabilityZone'] == 'us-east-1b' and
          s1['AvailableIpAddressCount'] == 251 and tagmap(s1) == {'tier': 'public'}
          and s1['SubnetArn'].endswith(':subnet/' + s1['SubnetId']), s1)
    expect_error('subnet.conflict', 'InvalidSubnet.Conflict', ec2.create_subnet, VpcId=vid,
                 CidrBlock='10.1.1.128/25')
    expect_error('subnet.range_outside_vpc', 'InvalidSubnet.Range', ec2.create_subnet,
                 VpcId=vid, CidrBlock='10.2.0.0/24')
    expect_error('subnet.range_too_small', 'InvalidSubnet.Range', ec2.create_subnet,
                 VpcId=vid, CidrBlock='10.1.9.0/29')
    expect_error('subnet.bad_az', 'InvalidParameterValue', ec2.create_subnet, VpcId=vid,
                 CidrBlock='10.1.2.0/24', AvailabilityZone='us-east-1z')
    expect_error('subnet.unknown_vpc', 'InvalidVpcID.NotFound', ec2.create_subnet,
                 VpcId='vpc-00000000000000000', CidrBlock='10.1.2.0/24')
    s2 = ec2.create_subnet(VpcId=vid, CidrBlock='10.1.2.0/24', AvailabilityZoneId='use1-az3',
                           TagSpecifications=spec('subnet', {'tier': 'private'}))['Subnet']
    check('subnet.az_id', s2['AvailabilityZone'] == 'us-east-1c', s2)
    ec2.modify_subnet_attribute(SubnetId=s1['SubnetId'], MapPublicIpOnLaunch={'Value': True})
    d = ec2.describe_subnets(Filters=[{'Name': 'map-public-ip-on-launch',
                                       'Values': ['true']}])['Subnets']
    check('subnet.modify_attribute_and_bool_filter',
          [s['SubnetId'] for s in d] == [s1['SubnetId']], d)
    d = ec2.describe_subnets(Filters=[{'Name': 'tag:tier', 'Values': ['priv*']}])['Subnets']
    check('subnet.tag_filter_wildcard', [s['SubnetId'] for s in d] == [s2['SubnetId']], d)
    d = ec2.describe_subnets(Filters=[{'Name': 'vpc-id', 'Values': [vid]},
                                      {'Name': 'tag-key', 'Values': ['tier']}])['Subnets']
    check('subnet.filters_and', len(d) == 2, d)
    expect_error('subnet.unknown_filter', 'InvalidParameterValue', ec2.describe_subnets,
                 Filters=[{'Name': 'no-such-filter', 'Values': ['x']}])
    expect_error('subnet.describe_unknown', 'InvalidSubnetID.NotFound', ec2.describe_subnets,
                 SubnetIds=[s1['SubnetId'], 'subnet-0000000000000000a'])
    expect_error('vpc.delete_with_subnets', 'DependencyViolation', ec2.delete_vpc, VpcId=vid)
    ec2.delete_subnet(SubnetId=s1['SubnetId'])
    ec2.delete_subnet(SubnetId=s2['SubnetId'])
    expect_error('subnet.delete_twice', 'InvalidSubnetID.NotFound', ec2.delete_subnet,
                 SubnetId=s2['SubnetId'])
    ec2.delete_vpc(VpcId=vid)
    check('vpc.delete_after_subnets', True)


def test_pagination():
    vid = new_vpc('10.2.0.0/16')['VpcId']
    ids = [ec2.create_subnet(VpcId=vid, CidrBlock='10.2.%d.0/24' % i)['Subnet']['SubnetId']
           for i in range(23)]
    T.admin('/_emu/config', {'max_page': 5})
    before = T.count(action='DescribeSubnets')
    got, token, pages = [], None, 0
    while True:
        kw = {'Filters': [{'Name': 'vpc-id', 'Values': [vid]}], 'MaxResults': 1000}
        if token:
            kw['NextToken'] = token
        r = ec2.describe_subnets(**kw)
        got += [s['SubnetId'] for s in r['Subnets']]
        pages += 1
        token = r.get('NextToken')
        if not token:
            break
    check('pagination.all_items_once', got == ids, (len(got), len(ids)))
    check('pagination.small_pages', pages == 5, pages)
    check('pagination.call_log_counts', T.count(action='DescribeSubnets') - before == 5)
    p = ec2.get_paginator('describe_subnets')
    n = sum(len(pg['Subnets']) for pg in p.paginate(
        Filters=[{'Name': 'vpc-id', 'Values': [vid]}], PaginationConfig={'PageSize': 10}))
    check('pagination.botocore_paginator', n == 23, n)
    r = ec2.describe_subnets(Filters=[{'Name': 'vpc-id', 'Values': [vid]}])
    check('pagination.no_max_results_returns_all', len(r['Subnets']) == 23
          and 'NextToken' not in r, len(r['Subnets']))
    r = T.admin('/_emu/call', {'service': 'ec2', 'action': 'DescribeSubnets',
                               'params': {'MaxResults': '2'}})
    check('pagination.max_results_too_small', r['status'] == 400
          and '<Code>InvalidParameterValue</Code>' in r['body'], r)
    T.admin('/_emu/config', {'max_page': 100})
    for s in ids:
        ec2.delete_subnet(SubnetId=s)
    ec2.delete_vpc(VpcId=vid)


def test_igw_routes_nat():
    vid = new_vpc('10.3.0.0/16')['VpcId']
    pub = ec2.create_subnet(VpcId=vid, CidrBlock='10.3.0.0/24')['Subnet']['SubnetId']
    igw = ec2.create_internet_gateway(
        TagSpecifications=spec('internet-gateway', {'Name': 'gw'}))['InternetGateway']
    gid = igw['InternetGatewayId']
    check('igw.create', gid.startswith('igw-') and tagmap(igw) == {'Name': 'gw'}
          and igw['Attachments'] == [], igw)
    rt = ec2.create_route_table(VpcId=vid,
                                TagSpecifications=spec('route-table', {'n': 'pub'}))
    rid = rt['RouteTable']['RouteTableId']
    expect_error('route.igw_not_attached', 'InvalidParameterValue', ec2.create_route,
                 RouteTableId=rid, DestinationCidrBlock='0.0.0.0/0', GatewayId=gid)
    ec2.attach_internet_gateway(InternetGatewayId=gid, VpcId=vid)
    d = ec2.describe_internet_gateways(Filters=[{'Name': 'attachment.vpc-id',
                                                 'Values': [vid]}])['InternetGateways']
    check('igw.attached', len(d) == 1 and d[0]['Attachments'][0]['State'] == 'available', d)
    expect_error('igw.attach_twice', 'Resource.AlreadyAssociated',
                 ec2.attach_internet_gateway, InternetGatewayId=gid, VpcId=vid)
    expect_error('igw.delete_attached', 'DependencyViolation', ec2.delete_internet_gateway,
                 InternetGatewayId=gid)
    expect_error('vpc.delete_with_igw', 'DependencyViolation', ec2.delete_vpc, VpcId=vid)
    ec2.create_route(RouteTableId=rid, DestinationCidrBlock='0.0.0.0/0', GatewayId=gid)
    expect_error('route.duplicate', 'RouteAlreadyExists', ec2.create_route, RouteTableId=rid,
                 DestinationCidrBlock='0.0.0.0/0', GatewayId=gid)
    expect_error('route.inside_vpc_cidr', 'InvalidParameterValue', ec2.create_route,
                 RouteTableId=rid, DestinationCidrBlock='10.3.5.0/24', GatewayId=gid)
    a = ec2.associate_route_table(RouteTableId=rid, SubnetId=pub)
    aid = a['AssociationId']
    check('rtb.associate', aid.startswith('rtbassoc-')
          and a['AssociationState']['State'] == 'associated', a)
    expect_error('rtb.associate_twice', 'Resource.AlreadyAssociated',
                 ec2.associate_route_table, RouteTableId=rid, SubnetId=pub)
    expect_error('rtb.delete_associated', 'DependencyViolation', ec2.delete_route_table,
                 RouteTableId=rid)
    d = ec2.describe_route_tables(Filters=[{'Name': 'association.subnet-id',
                                            'Values': [pub]}])['RouteTables']
    check('rtb.filter_association_subnet', [r['RouteTableId'] for r in d] == [rid], d)
    # EIP + NAT gateway with a client token.
    eip = ec2.allocate_address(Domain='vpc',
                               TagSpecifications=spec('elastic-ip', {'n': 'nat'}))
    alloc = eip['AllocationId']
    check('eip.allocate', alloc.startswith('eipalloc-') and eip['Domain'] == 'vpc', eip)
    t_create = time.time()
    n1 = ec2.create_nat_gateway(SubnetId=pub, AllocationId=alloc, ClientToken='tok-1',
                                TagSpecifications=spec('natgateway', {'n': 'a'}))
    nid = n1['NatGateway']['NatGatewayId']
    check('nat.create_pending', n1['NatGateway']['State'] == 'pending'
          and n1['ClientToken'] == 'tok-1', n1)
    n2 = ec2.create_nat_gateway(SubnetId=pub, AllocationId=alloc, ClientToken='tok-1',
                                TagSpecifications=spec('natgateway', {'n': 'a'}))
    check('nat.client_token_idempotent', n2['NatGateway']['NatGatewayId'] == nid, n2)
    check('nat.one_gateway_for_token', len(ec2.describe_nat_gateways(
        Filters=[{'Name': 'vpc-id', 'Values': [vid]}])['NatGateways']) == 1)
    expect_error('nat.client_token_mismatch', 'IdempotentParameterMismatch',
                 ec2.create_nat_gateway, SubnetId=pub, AllocationId=alloc,
                 ClientToken='tok-1')
    expect_error('eip.release_in_use', 'InvalidIPAddress.InUse', ec2.release_address,
                 AllocationId=alloc)
    expect_error('subnet.delete_with_nat', 'DependencyViolation', ec2.delete_subnet,
                 SubnetId=pub)
    expect_error('igw.detach_with_mapped_address', 'DependencyViolation',
                 ec2.detach_internet_gateway, InternetGatewayId=gid, VpcId=vid)
    st = T.wait_for(lambda: ec2.describe_nat_gateways(NatGatewayIds=[nid])['NatGateways'][0]
                    ['State'] == 'available', timeout=15)
    took = time.time() - t_create
    check('nat.becomes_available_scaled', st and 0.9 <= took < 15, took)
    d = ec2.describe_nat_gateways(NatGatewayIds=[nid])['NatGateways'][0]
    addr = d['NatGatewayAddresses'][0]
    check('nat.addresses', addr['AllocationId'] == alloc and addr['PublicIp'] == eip['PublicIp']
          and addr['PrivateIp'].startswith('10.3.0.'), d)
    a = ec2.describe_addresses(AllocationIds=[alloc])['Addresses'][0]
    check('eip.associated_to_nat_eni', a.get('NetworkInterfaceId') == addr['NetworkInterfaceId'],
          a)
    priv_rt = ec2.create_route_table(VpcId=vid)['RouteTable']['RouteTableId']
    ec2.create_route(RouteTableId=priv_rt, DestinationCidrBlock='0.0.0.0/0', NatGatewayId=nid)
    ec2.replace_route(RouteTableId=priv_rt, DestinationCidrBlock='0.0.0.0/0', GatewayId=gid)
    r = ec2.describe_route_tables(RouteTableIds=[priv_rt])['RouteTables'][0]['Routes']
    check('route.replace', r[1].get('GatewayId') == gid and 'NatGatewayId' not in r[1], r)
    ec2.replace_route(RouteTableId=priv_rt, DestinationCidrBlock='0.0.0.0/0', NatGatewayId=nid)
    expect_error('route.replace_missing', 'InvalidRoute.NotFound', ec2.replace_route,
                 RouteTableId=priv_rt, DestinationCidrBlock='1.0.0.0/8', GatewayId=gid)
    expect_error('route.delete_missing', 'InvalidRoute.NotFound', ec2.delete_route,
                 RouteTableId=priv_rt, DestinationCidrBlock='1.0.0.0/8')
    expect_error('route.delete_local', 'InvalidParameterValue', ec2.delete_route,
                 RouteTableId=priv_rt, DestinationCidrBlock='10.3.0.0/16')
    # Tear down in AWS's order.
    ec2.delete_nat_gateway(NatGatewayId=nid)
    d = ec2.describe_nat_gateways(NatGatewayIds=[nid])['NatGateways'][0]
    check('nat.deleting', d['State'] == 'deleting', d)
    ok = T.wait_for(lambda: ec2.describe_nat_gateways(NatGatewayIds=[nid])['NatGateways'][0]
                    ['State'] == 'deleted', timeout=10)
    check('nat.becomes_deleted', ok)
    r = ec2.describe_route_tables(RouteTableIds=[priv_rt])['RouteTables'][0]['Routes']
    check('route.blackhole_after_nat_deleted', r[1]['State'] == 'blackhole', r)
    expect_error('nat.delete_deleted', 'NatGatewayNotFound', ec2.delete_nat_gateway,
                 NatGatewayId=nid)
    expect_error('nat.describe_unknown', 'NatGatewayNotFound', ec2.describe_nat_gateways,
                 NatGatewayIds=['nat-0123456789abcdef0'])
    ec2.delete_route(RouteTableId=priv_rt, DestinationCidrBlock='0.0.0.0/0')
    ec2.delete_route_table(RouteTableId=priv_rt)
    ec2.release_address(AllocationId=alloc)
    expect_error('eip.release_twice', 'InvalidAllocationID.NotFound', ec2.release_address,
                 AllocationId=alloc)
    expect_error('vpc.delete_with_route_table', 'DependencyViolation', ec2.delete_vpc,
                 VpcId=vid)
    ec2.disassociate_route_table(AssociationId=aid)
    expect_error('rtb.disassociate_twice', 'InvalidAssociationID.NotFound',
                 ec2.disassociate_route_table, AssociationId=aid)
    ec2.delete_route_table(RouteTableId=rid)
    expect_error('rtb.describe_deleted', 'InvalidRouteTableID.NotFound',
                 ec2.describe_route_tables, RouteTableIds=[rid])
    ec2.detach_internet_gateway(InternetGatewayId=gid, VpcId=vid)
    expect_error('igw.detach_twice', 'Gateway.NotAttached', ec2.detach_internet_gateway,
                 InternetGatewayId=gid, VpcId=vid)
    ec2.delete_internet_gateway(InternetGatewayId=gid)
    expect_error('igw.describe_deleted', 'InvalidInternetGatewayID.NotFound',
                 ec2.describe_internet_gateways, InternetGatewayIds=[gid])
    ec2.delete_subnet(SubnetId=pub)
    ec2.delete_vpc(VpcId=vid)
    check('teardown.in_order', True)


def test_nat_without_igw_fails():
    vid = new_vpc('10.4.0.0/16')['VpcId']
    sid = ec2.create_subnet(VpcId=vid, CidrBlock='10.4.0.0/24')['Subnet']['SubnetId']
    alloc = ec2.allocate_address(Domain='vpc')['AllocationId']
    nid = ec2.create_nat_gateway(SubnetId=sid, AllocationId=alloc)['NatGateway']['NatGatewayId']
    d = T.wait_for(lambda: [n for n in ec2.describe_nat_gateways(NatGatewayIds=[nid])
                            ['NatGateways'] if n['State'] != 'pending'], timeout=10)
    check('nat.fails_without_igw', d and d[0]['State'] == 'failed'
          and d[0].get('FailureCode') == 'Gateway.NotAttached', d)
    ec2.release_address(AllocationId=alloc)
    check('nat.failed_releases_eip', True)
    ec2.delete_nat_gateway(NatGatewayId=nid)
    T.wait_for(lambda: ec2.describe_nat_gateways(NatGatewayIds=[nid])['NatGateways'][0]
               ['State'] == 'deleted', timeout=10)
    ec2.delete_subnet(SubnetId=sid)
    ec2.delete_vpc(VpcId=vid)


def test_security_groups():
    vid = new_vpc('10.5.0.0/16')['VpcId']
    g = ec2.create_security_group(GroupName='web', Description='web tier', VpcId=vid,
                                  TagSpecifications=spec('security-group', {'n': 'web'}))
    gid = g['GroupId']
    check('sg.create', gid.startswith('sg-') and tagmap(g) == {'n': 'web'}, g)
    expect_error('sg.duplicate_name', 'InvalidGroup.Duplicate', ec2.create_security_group,
                 GroupName='web', Description='again', VpcId=vid)
    g2 = ec2.create_security_group(GroupName='app', Description='app', VpcId=vid)['GroupId']
    r = ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
        {'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443,
         'IpRanges': [{'CidrIp': '0.0.0.0/0', 'Description': 'https'}]},
        {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22,
         'UserIdGroupPairs': [{'GroupId': g2}]}])
    check('sg.authorize_returns_rules', r['Return'] and len(r['SecurityGroupRules']) == 2
          and r['SecurityGroupRules'][0]['SecurityGroupRuleId'].startswith('sgr-'), r)
    expect_error('sg.authorize_duplicate', 'InvalidPermission.Duplicate',
                 ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
                     {'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443,
                      'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])
    d = ec2.describe_security_groups(GroupIds=[gid])['SecurityGroups'][0]
    ing = sorted(d['IpPermissions'], key=lambda p: p['FromPort'])
    check('sg.describe_permissions', len(ing) == 2 and ing[1]['IpRanges'] ==
          [{'CidrIp': '0.0.0.0/0', 'Description': 'https'}]
          and ing[0]['UserIdGroupPairs'][0]['GroupId'] == g2, d)
    check('sg.default_egress', d['IpPermissionsEgress'] ==
          [{'IpProtocol': '-1', 'IpRanges': [{'CidrIp': '0.0.0.0/0'}], 'Ipv6Ranges': [],
            'PrefixListIds': [], 'UserIdGroupPairs': []}], d['IpPermissionsEgress'])
    rules = ec2.describe_security_group_rules(Filters=[{'Name': 'group-id',
                                                        'Values': [gid]}])
    check('sg.describe_rules', len(rules['SecurityGroupRules']) == 3, rules)
    expect_error('sg.delete_referenced', 'DependencyViolation', ec2.delete_security_group,
                 GroupId=g2)
    ec2.revoke_security_group_ingress(GroupId=gid, IpPermissions=[
        {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22,
         'UserIdGroupPairs': [{'GroupId': g2}]}])
    expect_error('sg.revoke_missing', 'InvalidPermission.NotFound',
                 ec2.revoke_security_group_ingress, GroupId=gid, IpPermissions=[
                     {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22,
                      'UserIdGroupPairs': [{'GroupId': g2}]}])
    eg = [x for x in ec2.describe_security_group_rules(
        Filters=[{'Name': 'group-id', 'Values': [gid]}])['SecurityGroupRules'] if x['IsEgress']]
    ec2.revoke_security_group_egress(GroupId=gid,
                                     SecurityGroupRuleIds=[eg[0]['SecurityGroupRuleId']])
    d = ec2.describe_security_groups(GroupIds=[gid])['SecurityGroups'][0]
    check('sg.revoke_by_rule_id', d['IpPermissionsEgress'] == [], d)
    ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=[
        {'IpProtocol': '-1', 'IpRanges': [{'CidrIp': '10.0.0.0/8'}]}])
    d = ec2.describe_security_groups(GroupIds=[gid])['SecurityGroups'][0]
    check('sg.authorize_egress_all', d['IpPermissionsEgress'][0]['IpProtocol'] == '-1'
          and 'FromPort' not in d['IpPermissionsEgress'][0], d)
    expect_error('sg.bad_port_range', 'InvalidParameterValue',
                 ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
                     {'IpProtocol': 'tcp', 'FromPort': 90, 'ToPort': 80,
                      'IpRanges': [{'CidrIp': '1.2.3.0/24'}]}])
    expect_error('sg.vpc_delete_with_group', 'DependencyViolation', ec2.delete_vpc, VpcId=vid)
    dflt = ec2.describe_security_groups(Filters=[{'Name': 'vpc-id', 'Values': [vid]},
                                                 {'Name': 'group-name', 'Values': ['default']}])
    expect_error('sg.cannot_delete_default', 'CannotDelete', ec2.delete_security_group,
                 GroupId=dflt['SecurityGroups'][0]['GroupId'])
    ec2.delete_security_group(GroupId=gid)
    ec2.delete_security_group(GroupId=g2)
    expect_error('sg.describe_deleted', 'InvalidGroup.NotFound', ec2.describe_security_groups,
                 GroupIds=[gid])
    ec2.delete_vpc(VpcId=vid)
    check('sg.vpc_deleted_after_groups', True)


def test_tags():
    v = new_vpc('10.6.0.0/16', Name='tagged')
    vid = v['VpcId']
    ec2.create_tags(Resources=[vid], Tags=tags({'env': 'dev', 'Name': 'renamed'}))
    d = ec2.describe_vpcs(VpcIds=[vid])['Vpcs'][0]
    check('tags.create_overwrites', tagmap(d) == {'Name': 'renamed', 'env': 'dev'}, d)
    ec2.delete_tags(Resources=[vid], Tags=[{'Key': 'env', 'Value': 'other'}])
    check('tags.delete_value_mismatch_keeps',
          'env' in tagmap(ec2.describe_vpcs(VpcIds=[vid])['Vpcs'][0]))
    ec2.delete_tags(Resources=[vid], Tags=[{'Key': 'env'}])
    check('tags.delete', tagmap(ec2.describe_vpcs(VpcIds=[vid])['Vpcs'][0]) ==
          {'Name': 'renamed'})
    t = ec2.describe_tags(Filters=[{'Name': 'resource-id', 'Values': [vid]}])['Tags']
    check('tags.describe_tags', t == [{'Key': 'Name', 'ResourceId': vid, 'ResourceType': 'vpc',
                                       'Value': 'renamed'}], t)
    expect_error('tags.unknown_resource', 'InvalidVpcID.NotFound', ec2.create_tags,
                 Resources=['vpc-0000000000000000f'], Tags=tags({'a': 'b'}))
    expect_error('tags.aws_prefix_reserved', 'InvalidParameterValue', ec2.create_tags,
                 Resources=[vid], Tags=tags({'aws:x': 'b'}))
    expect_error('tags.value_too_long', 'InvalidParameterValue', ec2.create_tags,
                 Resources=[vid], Tags=tags({'k': 'v' * 257}))
    expect_error('tags.wrong_spec_type', 'InvalidParameterValue', ec2.create_vpc,
                 CidrBlock='10.7.0.0/16', TagSpecifications=spec('subnet', {'a': 'b'}))
    ec2.delete_vpc(VpcId=vid)


def test_misc():
    z = ec2.describe_availability_zones()['AvailabilityZones']
    check('az.us_east_1', [x['ZoneName'] for x in z][:3] ==
          ['us-east-1a', 'us-east-1b', 'us-east-1c'] and z[0]['ZoneId'] == 'use1-az1', z)
    z = ec2.describe_availability_zones(Filters=[{'Name': 'zone-name',
                                                  'Values': ['us-east-1b']}])
    check('az.filter', len(z['AvailabilityZones']) == 1, z)
    a = ec2.describe_account_attributes(AttributeNames=['supported-platforms'])
    check('account_attributes', a['AccountAttributes'][0]['AttributeValues'][0]
          ['AttributeValue'] == 'VPC', a)
    e = error_of(ec2.describe_instances)
    check('unknown_action_invalid_action', e is not None and e[0] == 'InvalidAction', e)


def test_default_vpc():
    T.admin('/_emu/reset', {'default_vpc': True})
    try:
        v = ec2.describe_vpcs(Filters=[{'Name': 'is-default', 'Values': ['true']}])['Vpcs']
        check('default_vpc.exists', len(v) == 1 and v[0]['CidrBlock'] == '172.31.0.0/16', v)
        vid = v[0]['VpcId'] if v else 'none'
        s = ec2.describe_subnets(Filters=[{'Name': 'default-for-az', 'Values': ['true']}])
        check('default_vpc.subnet_per_zone', len(s['Subnets']) == 6 and all(
            x['MapPublicIpOnLaunch'] and x['VpcId'] == vid for x in s['Subnets']), s)
        a = ec2.describe_account_attributes(AttributeNames=['default-vpc'])
        check('default_vpc.account_attribute', a['AccountAttributes'][0]['AttributeValues'][0]
              ['AttributeValue'] == vid, a)
        g = ec2.describe_internet_gateways(Filters=[{'Name': 'attachment.vpc-id',
                                                     'Values': [vid]}])['InternetGateways']
        check('default_vpc.internet_gateway', len(g) == 1, g)
    finally:
        T.admin('/_emu/reset', {})
    check('default_vpc.gone_after_plain_reset', ec2.describe_vpcs()['Vpcs'] == [])


def test_eventual_consistency():
    T.admin('/_emu/config', {'consistency_ms': 1500})
    vid = new_vpc('10.8.0.0/16')['VpcId']
    e = error_of(ec2.describe_vpcs, VpcIds=[vid])
    check('consistency.new_vpc_not_found_at_first', e is not None
          and e[0] == 'InvalidVpcID.NotFound', e)
    check('consistency.new_vpc_absent_from_list', vid not in [
        v['VpcId'] for v in ec2.describe_vpcs()['Vpcs']])
    ok = T.wait_for(lambda: error_of(ec2.describe_vpcs, VpcIds=[vid]) is None, timeout=10)
    check('consistency.visible_later', ok)
    T.admin('/_emu/config', {'consistency_ms': 0})
    ec2.delete_vpc(VpcId=vid)


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
