"""EKS through botocore (REST-JSON): cluster and node-group lifecycles at
time scale 0.01, ResourceInUseException ordering, EC2 side effects (cluster
security group, ENIs blocking subnet deletion), tags, errors."""
import json

import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = 'awsemu.eks'
eks = client('eks')
ec2 = client('ec2')
iam = client('iam')
ASSUME = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'Service': 'eks.amazonaws.com'},
    'Action': 'sts:AssumeRole'}]})


def test_lifecycle():
    T.admin('/_emu/config', {'time_scale': 0.002})   # a 10-minute create takes 1.2 s
    role = iam.create_role(RoleName='eks', AssumeRolePolicyDocument=ASSUME)['Role']['Arn']
    vid = ec2.create_vpc(CidrBlock='10.60.0.0/16')['Vpc']['VpcId']
    s1 = ec2.create_subnet(VpcId=vid, CidrBlock='10.60.1.0/24',
                           AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
    s2 = ec2.create_subnet(VpcId=vid, CidrBlock='10.60.2.0/24',
                           AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
    expect_error('cluster.one_az_rejected', 'InvalidParameterException', eks.create_cluster,
                 name='c0', roleArn=role, resourcesVpcConfig={'subnetIds': [s1]})
    expect_error('cluster.unknown_role', 'InvalidParameterException', eks.create_cluster,
                 name='c0', roleArn='arn:aws:iam::123456789012:role/none',
                 resourcesVpcConfig={'subnetIds': [s1, s2]})
    c = eks.create_cluster(name='demo', roleArn=role, version='1.27',
                           resourcesVpcConfig={'subnetIds': [s1, s2]},
                           tags={'env': 'dev'})['cluster']
    check('cluster.creating', c['status'] == 'CREATING' and c['arn'].endswith(':cluster/demo')
          and c['tags'] == {'env': 'dev'}, c)
    expect_error('nodegroup.cluster_not_active', 'InvalidRequestException',
                 eks.create_nodegroup, clusterName='demo', nodegroupName='ng',
                 nodeRole=role, subnets=[s1])
    expect_error('cluster.duplicate', 'ResourceInUseException', eks.create_cluster,
                 name='demo', roleArn=role, resourcesVpcConfig={'subnetIds': [s1, s2]},
                 status=409)
    sg = c['resourcesVpcConfig']['clusterSecurityGroupId']
    check('cluster.security_group_in_ec2', len(ec2.describe_security_groups(
        GroupIds=[sg])['SecurityGroups']) == 1)
    expect_error('order.subnet_with_cluster_eni', 'DependencyViolation', ec2.delete_subnet,
                 SubnetId=s1)
    ok = T.wait_for(lambda: eks.describe_cluster(name='demo')['cluster']['status'] == 'ACTIVE',
                    timeout=15)
    check('cluster.becomes_active', ok)
    d = eks.describe_cluster(name='demo')['cluster']
    check('cluster.endpoint_and_ca', d.get('endpoint', '').startswith('https://')
          and d['certificateAuthority'].get('data'), d)
    n = eks.create_nodegroup(clusterName='demo', nodegroupName='ng', nodeRole=role,
                             subnets=[s1, s2], scalingConfig={'minSize': 1, 'maxSize': 3,
                                                              'desiredSize': 2})['nodegroup']
    check('nodegroup.creating', n['status'] == 'CREATING', n)
    check('nodegroup.listed', eks.list_nodegroups(clusterName='demo')['nodegroups'] == ['ng'])
    ok = T.wait_for(lambda: eks.describe_nodegroup(clusterName='demo', nodegroupName='ng')
                    ['nodegroup']['status'] == 'ACTIVE', timeout=10)
    check('nodegroup.becomes_active', ok)
    up = eks.update_nodegroup_config(clusterName='demo', nodegroupName='ng',
                                     scalingConfig={'desiredSize': 3})['update']
    check('nodegroup.update_in_progress', up['status'] == 'InProgress', up)
    ok = T.wait_for(lambda: eks.describe_update(name='demo', updateId=up['id'],
                                                nodegroupName='ng')['update']['status'] ==
                    'Successful', timeout=10)
    check('nodegroup.update_successful', ok and eks.describe_nodegroup(
        clusterName='demo', nodegroupName='ng')['nodegroup']['scalingConfig']['desiredSize'] == 3)
    ad = eks.create_addon(clusterName='demo', addonName='vpc-cni')['addon']
    check('addon.creating', ad['status'] == 'CREATING' and ad['addonVersion'], ad)
    ok = T.wait_for(lambda: eks.describe_addon(clusterName='demo', addonName='vpc-cni')
                    ['addon']['status'] == 'ACTIVE', timeout=10)
    check('addon.becomes_active', ok)
    check('addon.listed', eks.list_addons(clusterName='demo')['addons'] == ['vpc-cni'])
    expect_error('addon.unknown', 'ResourceNotFoundException', eks.describe_addon,
                 clusterName='demo', addonName='coredns')
    expect_error('order.delete_cluster_with_nodegroups', 'ResourceInUseException',
                 eks.delete_cluster, name='demo', status=409)
    eks.tag_resource(resourceArn=d['arn'], tags={'team': 'x'})
    eks.untag_resource(resourceArn=d['arn'], tagKeys=['env'])
    check('tags.tag_untag', eks.list_tags_for_resource(resourceArn=d['arn'])['tags'] ==
          {'team': 'x'})
    eks.delete_nodegroup(clusterName='demo', nodegroupName='ng')
    ok = T.wait_for(lambda: error_of(eks.describe_nodegroup, clusterName='demo',
                                     nodegroupName='ng') is not None, timeout=10)
    e = error_of(eks.describe_nodegroup, clusterName='demo', nodegroupName='ng')
    check('nodegroup.deleted', ok and e[0] == 'ResourceNotFoundException' and e[1] == 404, e)
    d = eks.delete_cluster(name='demo')['cluster']
    check('cluster.deleting', d['status'] == 'DELETING', d)
    ok = T.wait_for(lambda: error_of(eks.describe_cluster, name='demo') is not None,
                    timeout=15)
    check('cluster.deleted', ok)
    expect_error('cluster.describe_unknown', 'ResourceNotFoundException', eks.describe_cluster,
                 name='demo', status=404)
    check('cluster.security_group_removed', error_of(ec2.describe_security_groups,
                                                     GroupIds=[sg]) is not None)
    ec2.delete_subnet(SubnetId=s1)
    ec2.delete_subnet(SubnetId=s2)
    ec2.delete_vpc(VpcId=vid)
    check('order.network_deletable_after_cluster', True)
    iam.delete_role(RoleName='eks')


def test_list_paginated():
    check('list.empty', eks.list_clusters()['clusters'] == [])


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
