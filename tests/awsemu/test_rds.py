"""RDS through botocore (query protocol with named list members): subnet
groups, parameter groups, instance lifecycle, ordering rules, tags."""
import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = 'awsemu.rds'
rds = client('rds')
ec2 = client('ec2')


def test_lifecycle():
    T.admin('/_emu/config', {'time_scale': 0.002})
    vid = ec2.create_vpc(CidrBlock='10.70.0.0/16')['Vpc']['VpcId']
    s1 = ec2.create_subnet(VpcId=vid, CidrBlock='10.70.1.0/24',
                           AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
    s2 = ec2.create_subnet(VpcId=vid, CidrBlock='10.70.2.0/24',
                           AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
    sg = ec2.create_security_group(GroupName='db', Description='db', VpcId=vid)['GroupId']
    expect_error('subnet_group.one_az', 'DBSubnetGroupDoesNotCoverEnoughAZs',
                 rds.create_db_subnet_group, DBSubnetGroupName='g1',
                 DBSubnetGroupDescription='d', SubnetIds=[s1])
    g = rds.create_db_subnet_group(DBSubnetGroupName='Main', DBSubnetGroupDescription='main',
                                   SubnetIds=[s1, s2], Tags=[{'Key': 'a', 'Value': 'b'}])
    g = g['DBSubnetGroup']
    check('subnet_group.create', g['DBSubnetGroupName'] == 'main' and g['VpcId'] == vid
          and sorted(s['SubnetIdentifier'] for s in g['Subnets']) == sorted([s1, s2]), g)
    expect_error('subnet_group.duplicate', 'DBSubnetGroupAlreadyExists',
                 rds.create_db_subnet_group, DBSubnetGroupName='main',
                 DBSubnetGroupDescription='d', SubnetIds=[s1, s2])
    expect_error('subnet_group.not_found', 'DBSubnetGroupNotFoundFault',
                 rds.describe_db_subnet_groups, DBSubnetGroupName='nope', status=404)
    rds.create_db_parameter_group(DBParameterGroupName='pg', DBParameterGroupFamily='postgres15',
                                  Description='pg')
    rds.modify_db_parameter_group(DBParameterGroupName='pg', Parameters=[
        {'ParameterName': 'log_statement', 'ParameterValue': 'all',
         'ApplyMethod': 'immediate'}])
    ps = rds.describe_db_parameters(DBParameterGroupName='pg')['Parameters']
    check('params.modified', ps[0]['ParameterName'] == 'log_statement'
          and ps[0]['ParameterValue'] == 'all', ps)
    expect_error('instance.needs_password', 'InvalidParameterValue', rds.create_db_instance,
                 DBInstanceIdentifier='db1', DBInstanceClass='db.t3.micro', Engine='postgres',
                 AllocatedStorage=20, DBSubnetGroupName='main')
    i = rds.create_db_instance(DBInstanceIdentifier='DB1', DBInstanceClass='db.t3.micro',
                               Engine='postgres', AllocatedStorage=20, MasterUsername='app',
                               MasterUserPassword='secret123', DBSubnetGroupName='main',
                               VpcSecurityGroupIds=[sg], DBParameterGroupName='pg',
                               Tags=[{'Key': 'env', 'Value': 'dev'}])['DBInstance']
    check('instance.creating', i['DBInstanceStatus'] == 'creating'
          and i['DBInstanceIdentifier'] == 'db1'
          and i['VpcSecurityGroups'][0]['VpcSecurityGroupId'] == sg
          and i['DBSubnetGroup']['DBSubnetGroupName'] == 'main', i)
    check('instance.no_password_echo', 'secret123' not in str(i))
    expect_error('instance.duplicate', 'DBInstanceAlreadyExists', rds.create_db_instance,
                 DBInstanceIdentifier='db1', DBInstanceClass='db.t3.micro', Engine='postgres',
                 AllocatedStorage=20, MasterUserPassword='x12345678', DBSubnetGroupName='main')
    expect_error('order.subnet_group_in_use', 'InvalidDBSubnetGroupStateFault',
                 rds.delete_db_subnet_group, DBSubnetGroupName='main')
    expect_error('order.security_group_in_use', 'DependencyViolation',
                 ec2.delete_security_group, GroupId=sg)
    ok = T.wait_for(lambda: rds.describe_db_instances(DBInstanceIdentifier='db1')
                    ['DBInstances'][0]['DBInstanceStatus'] == 'available', timeout=10)
    check('instance.becomes_available', ok)
    d = rds.describe_db_instances(DBInstanceIdentifier='db1')['DBInstances'][0]
    check('instance.endpoint', d['Endpoint']['Port'] == 5432
          and d['Endpoint']['Address'].startswith('db1.'), d)
    m = rds.modify_db_instance(DBInstanceIdentifier='db1', DBInstanceClass='db.t3.small',
                               ApplyImmediately=True)['DBInstance']
    check('instance.modifying', m['DBInstanceStatus'] == 'modifying'
          and m['PendingModifiedValues'].get('DBInstanceClass') == 'db.t3.small', m)
    ok = T.wait_for(lambda: rds.describe_db_instances(DBInstanceIdentifier='db1')
                    ['DBInstances'][0]['DBInstanceClass'] == 'db.t3.small', timeout=10)
    check('instance.modified', ok)
    arn = d['DBInstanceArn']
    rds.add_tags_to_resource(ResourceName=arn, Tags=[{'Key': 'team', 'Value': 'x'}])
    rds.remove_tags_from_resource(ResourceName=arn, TagKeys=['env'])
    check('tags.list', rds.list_tags_for_resource(ResourceName=arn)['TagList'] ==
          [{'Key': 'team', 'Value': 'x'}])
    f = rds.describe_db_instances(Filters=[{'Name': 'engine', 'Values': ['postgres']}])
    check('instance.filter_engine', len(f['DBInstances']) == 1, f)
    expect_error('instance.delete_needs_snapshot_choice', 'InvalidParameterCombination',
                 rds.delete_db_instance, DBInstanceIdentifier='db1')
    rds.modify_db_instance(DBInstanceIdentifier='db1', DeletionProtection=True,
                           ApplyImmediately=True)
    expect_error('instance.deletion_protection', 'InvalidParameterCombination',
                 rds.delete_db_instance, DBInstanceIdentifier='db1', SkipFinalSnapshot=True)
    rds.modify_db_instance(DBInstanceIdentifier='db1', DeletionProtection=False,
                           ApplyImmediately=True)
    d = rds.delete_db_instance(DBInstanceIdentifier='db1', SkipFinalSnapshot=True)
    check('instance.deleting', d['DBInstance']['DBInstanceStatus'] == 'deleting', d)
    ok = T.wait_for(lambda: error_of(rds.describe_db_instances,
                                     DBInstanceIdentifier='db1') is not None, timeout=10)
    e = error_of(rds.describe_db_instances, DBInstanceIdentifier='db1')
    check('instance.deleted', ok and e[0] == 'DBInstanceNotFound' and e[1] == 404, e)
    rds.delete_db_subnet_group(DBSubnetGroupName='main')
    rds.delete_db_parameter_group(DBParameterGroupName='pg')
    ec2.delete_security_group(GroupId=sg)
    ec2.delete_subnet(SubnetId=s1)
    ec2.delete_subnet(SubnetId=s2)
    ec2.delete_vpc(VpcId=vid)
    check('order.network_deletable_after_instance', True)


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
