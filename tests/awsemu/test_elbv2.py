"""ELBv2 through botocore: ALB provisioning -> active, target groups,
listeners, attributes, tags, ordering (target group in use, lingering
ENIs blocking subnet deletion, internet-facing without an IGW)."""
import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = 'awsemu.elbv2'
elb = client('elbv2')
ec2 = client('ec2')


def test_lifecycle():
    T.admin('/_emu/config', {'time_scale': 0.002})
    vid = ec2.create_vpc(CidrBlock='10.90.0.0/16')['Vpc']['VpcId']
    s1 = ec2.create_subnet(VpcId=vid, CidrBlock='10.90.1.0/24',
                           AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
    s2 = ec2.create_subnet(VpcId=vid, CidrBlock='10.90.2.0/24',
                           AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
    sg = ec2.create_security_group(GroupName='alb', Description='alb', VpcId=vid)['GroupId']
    expect_error('lb.needs_igw', 'InvalidSubnet', elb.create_load_balancer, Name='web',
                 Subnets=[s1, s2], SecurityGroups=[sg])
    igw = ec2.create_internet_gateway()['InternetGateway']['InternetGatewayId']
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vid)
    expect_error('lb.two_azs', 'InvalidConfigurationRequest', elb.create_load_balancer,
                 Name='web', Subnets=[s1], SecurityGroups=[sg])
    lb = elb.create_load_balancer(Name='web', Subnets=[s1, s2], SecurityGroups=[sg],
                                  Tags=[{'Key': 'env', 'Value': 'dev'}])['LoadBalancers'][0]
    arn = lb['LoadBalancerArn']
    check('lb.provisioning', lb['State']['Code'] == 'provisioning' and lb['VpcId'] == vid
          and ':loadbalancer/app/web/' in arn and lb['DNSName'].startswith('web-'), lb)
    again = elb.create_load_balancer(Name='web', Subnets=[s1, s2], SecurityGroups=[sg])
    check('lb.create_idempotent', again['LoadBalancers'][0]['LoadBalancerArn'] == arn)
    ok = T.wait_for(lambda: elb.describe_load_balancers(LoadBalancerArns=[arn])
                    ['LoadBalancers'][0]['State']['Code'] == 'active', timeout=10)
    check('lb.becomes_active', ok)
    tg = elb.create_target_group(Name='web', Protocol='HTTP', Port=80, VpcId=vid,
                                 HealthCheckPath='/health')['TargetGroups'][0]
    tga = tg['TargetGroupArn']
    check('tg.create', tg['HealthCheckPath'] == '/health' and tg['Port'] == 80, tg)
    li = elb.create_listener(LoadBalancerArn=arn, Protocol='HTTP', Port=80,
                             DefaultActions=[{'Type': 'forward',
                                              'TargetGroupArn': tga}])['Listeners'][0]
    check('listener.create', li['Port'] == 80 and
          li['DefaultActions'][0]['TargetGroupArn'] == tga, li)
    expect_error('listener.duplicate_port', 'DuplicateListener', elb.create_listener,
                 LoadBalancerArn=arn, Protocol='HTTP', Port=80,
                 DefaultActions=[{'Type': 'forward', 'TargetGroupArn': tga}])
    expect_error('listener.https_needs_cert', 'CertificateNotFound', elb.create_listener,
                 LoadBalancerArn=arn, Protocol='HTTPS', Port=443,
                 DefaultActions=[{'Type': 'forward', 'TargetGroupArn': tga}])
    tg2 = elb.create_target_group(Name='api', Protocol='HTTP', Port=8080,
                                  VpcId=vid)['TargetGroups'][0]['TargetGroupArn']
    rule = elb.create_rule(ListenerArn=li['ListenerArn'], Priority=10, Conditions=[
        {'Field': 'path-pattern', 'PathPatternConfig': {'Values': ['/api/*']}}],
        Actions=[{'Type': 'forward', 'TargetGroupArn': tg2}])['Rules'][0]
    check('rule.create', rule['Priority'] == '10' and rule['Conditions'][0]
          ['PathPatternConfig']['Values'] == ['/api/*'], rule)
    expect_error('rule.priority_in_use', 'PriorityInUse', elb.create_rule,
                 ListenerArn=li['ListenerArn'], Priority=10, Conditions=[
                     {'Field': 'path-pattern', 'Values': ['/x']}],
                 Actions=[{'Type': 'forward', 'TargetGroupArn': tg2}])
    rules = elb.describe_rules(ListenerArn=li['ListenerArn'])['Rules']
    check('rule.describe_with_default', [r['Priority'] for r in rules] == ['10', 'default']
          and rules[1]['IsDefault'], rules)
    expect_error('order.target_group_in_use_by_rule', 'ResourceInUse',
                 elb.delete_target_group, TargetGroupArn=tg2)
    elb.delete_rule(RuleArn=rule['RuleArn'])
    elb.delete_target_group(TargetGroupArn=tg2)
    d = elb.describe_target_groups(TargetGroupArns=[tga])['TargetGroups'][0]
    check('tg.load_balancer_arns', d['LoadBalancerArns'] == [arn], d)
    expect_error('order.target_group_in_use', 'ResourceInUse', elb.delete_target_group,
                 TargetGroupArn=tga)
    elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
        {'Key': 'deletion_protection.enabled', 'Value': 'true'}])
    a = {x['Key']: x['Value'] for x in elb.describe_load_balancer_attributes(
        LoadBalancerArn=arn)['Attributes']}
    check('lb.attributes', a['deletion_protection.enabled'] == 'true'
          and a['idle_timeout.timeout_seconds'] == '60', a)
    expect_error('lb.deletion_protection', 'OperationNotPermitted', elb.delete_load_balancer,
                 LoadBalancerArn=arn)
    elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
        {'Key': 'deletion_protection.enabled', 'Value': 'false'}])
    elb.add_tags(ResourceArns=[arn], Tags=[{'Key': 'team', 'Value': 'x'}])
    elb.remove_tags(ResourceArns=[arn], TagKeys=['env'])
    t = elb.describe_tags(ResourceArns=[arn])['TagDescriptions'][0]['Tags']
    check('tags.describe', t == [{'Key': 'team', 'Value': 'x'}], t)
    expect_error('order.subnet_with_alb_eni', 'DependencyViolation', ec2.delete_subnet,
                 SubnetId=s1)
    elb.delete_listener(ListenerArn=li['ListenerArn'])
    elb.delete_target_group(TargetGroupArn=tga)
    T.admin('/_emu/config', {'time_scale': 0.05})   # interfaces linger 3 s
    elb.delete_load_balancer(LoadBalancerArn=arn)
    expect_error('lb.gone', 'LoadBalancerNotFound', elb.describe_load_balancers,
                 LoadBalancerArns=[arn])
    e = error_of(ec2.delete_subnet, SubnetId=s1)
    check('order.enis_linger_after_delete', e is not None and e[0] == 'DependencyViolation', e)
    ok = T.wait_for(lambda: error_of(ec2.delete_subnet, SubnetId=s1) is None, timeout=10)
    check('order.subnet_deletable_later', ok)
    ec2.delete_subnet(SubnetId=s2)
    ec2.delete_security_group(GroupId=sg)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vid)
    ec2.delete_internet_gateway(InternetGatewayId=igw)
    ec2.delete_vpc(VpcId=vid)
    check('order.network_deletable_after_alb', True)


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
