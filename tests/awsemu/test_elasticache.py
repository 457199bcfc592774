"""ElastiCache through botocore: subnet groups, parameter groups,
replication groups with member clusters, lifecycles, ordering, tags."""
import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = 'awsemu.elasticache'
ec = client('elasticache')
ec2 = client('ec2')


def test_lifecycle():
    T.admin('/_emu/config', {'time_scale': 0.002})
    vid = ec2.create_vpc(CidrBlock='10.80.0.0/16')['Vpc']['VpcId']
    s1 = ec2.create_subnet(VpcId=vid, CidrBlock='10.80.1.0/24',
                           AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
    s2 = ec2.create_subnet(VpcId=vid, CidrBlock='10.80.2.0/24',
                           AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
    sg = ec2.create_security_group(GroupName='redis', Description='r', VpcId=vid)['GroupId']
    g = ec.create_cache_subnet_group(CacheSubnetGroupName='cache', SubnetIds=[s1, s2],
                                     CacheSubnetGroupDescription='cache')['CacheSubnetGroup']
    check('subnet_group.create', g['VpcId'] == vid and len(g['Subnets']) == 2, g)
    expect_error('subnet_group.duplicate', 'CacheSubnetGroupAlreadyExists',
                 ec.create_cache_subnet_group, CacheSubnetGroupName='cache', SubnetIds=[s1],
                 CacheSubnetGroupDescription='x')
    ec.create_cache_parameter_group(CacheParameterGroupName='p', Description='p',
                                    CacheParameterGroupFamily='redis7')
    expect_error('rg.failover_needs_two', 'InvalidParameterCombination',
                 ec.create_replication_group, ReplicationGroupId='r0',
                 ReplicationGroupDescription='d', CacheNodeType='cache.t3.micro',
                 AutomaticFailoverEnabled=True, NumCacheClusters=1,
                 CacheSubnetGroupName='cache')
    rg = ec.create_replication_group(
        ReplicationGroupId='Sessions', ReplicationGroupDescription='sessions',
        Engine='redis', CacheNodeType='cache.t3.micro', NumCacheClusters=2,
        AutomaticFailoverEnabled=True, CacheSubnetGroupName='cache', SecurityGroupIds=[sg],
        CacheParameterGroupName='p', Tags=[{'Key': 'env', 'Value': 'dev'}])['ReplicationGroup']
    check('rg.creating', rg['Status'] == 'creating' and rg['ReplicationGroupId'] == 'sessions'
          and rg['MemberClusters'] == ['sessions-001', 'sessions-002'], rg)
    expect_error('rg.delete_while_creating', 'InvalidReplicationGroupState',
                 ec.delete_replication_group, ReplicationGroupId='sessions')
    expect_error('rg.duplicate', 'ReplicationGroupAlreadyExists', ec.create_replication_group,
                 ReplicationGroupId='sessions', ReplicationGroupDescription='d',
                 CacheNodeType='cache.t3.micro', CacheSubnetGroupName='cache')
    expect_error('order.subnet_group_in_use', 'CacheSubnetGroupInUse',
                 ec.delete_cache_subnet_group, CacheSubnetGroupName='cache')
    expect_error('order.subnet_with_cache_eni', 'DependencyViolation', ec2.delete_subnet,
                 SubnetId=s1)
    ok = T.wait_for(lambda: ec.describe_replication_groups(ReplicationGroupId='sessions')
                    ['ReplicationGroups'][0]['Status'] == 'available', timeout=10)
    check('rg.becomes_available', ok)
    d = ec.describe_replication_groups(ReplicationGroupId='sessions')['ReplicationGroups'][0]
    ng = d['NodeGroups'][0]
    check('rg.endpoints', ng['PrimaryEndpoint']['Port'] == 6379
          and len(ng['NodeGroupMembers']) == 2, d)
    cc = ec.describe_cache_clusters(CacheClusterId='sessions-001',
                                    ShowCacheNodeInfo=True)['CacheClusters'][0]
    check('cluster.member', cc['ReplicationGroupId'] == 'sessions'
          and cc['SecurityGroups'][0]['SecurityGroupId'] == sg
          and cc['CacheNodes'][0]['Endpoint']['Port'] == 6379, cc)
    arn = d['ARN']
    ec.add_tags_to_resource(ResourceName=arn, Tags=[{'Key': 'team', 'Value': 'x'}])
    ec.remove_tags_from_resource(ResourceName=arn, TagKeys=['env'])
    check('tags.list', ec.list_tags_for_resource(ResourceName=arn)['TagList'] ==
          [{'Key': 'team', 'Value': 'x'}])
    ec.modify_replication_group(ReplicationGroupId='sessions', CacheNodeType='cache.t3.small',
                                ApplyImmediately=True)
    ok = T.wait_for(lambda: ec.describe_replication_groups(ReplicationGroupId='sessions')
                    ['ReplicationGroups'][0]['CacheNodeType'] == 'cache.t3.small', timeout=10)
    check('rg.modified', ok)
    T.wait_for(lambda: ec.describe_replication_groups(ReplicationGroupId='sessions')
               ['ReplicationGroups'][0]['Status'] == 'available', timeout=10)
    ec.delete_replication_group(ReplicationGroupId='sessions')
    ok = T.wait_for(lambda: error_of(ec.describe_replication_groups,
                                     ReplicationGroupId='sessions') is not None, timeout=10)
    e = error_of(ec.describe_replication_groups, ReplicationGroupId='sessions')
    check('rg.deleted', ok and e[0] == 'ReplicationGroupNotFoundFault', e)
    T.wait_for(lambda: not ec.describe_cache_clusters()['CacheClusters'], timeout=10)
    ec.delete_cache_subnet_group(CacheSubnetGroupName='cache')
    ec.delete_cache_parameter_group(CacheParameterGroupName='p')
    ec2.delete_security_group(GroupId=sg)
    ec2.delete_subnet(SubnetId=s1)
    ec2.delete_subnet(SubnetId=s2)
    ec2.delete_vpc(VpcId=vid)
    check('order.network_deletable_after_cache', True)


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
