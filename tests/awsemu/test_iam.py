"""IAM through botocore: roles, managed/inline policies, attachments,
instance profiles, DeleteConflict ordering, NoSuchEntity, pagination."""
import json
import urllib.parse

import emutest as T
from emutest import check, client, expect_error

T.PREFIX = 'awsemu.iam'
iam = client('iam')
ASSUME = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'Service': 'eks.amazonaws.com'},
    'Action': 'sts:AssumeRole'}]})
POLICY = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Action': 'ec2:Describe*', 'Resource': '*'}]})


def test_a_roles():
    r = iam.create_role(RoleName='eks-cluster', AssumeRolePolicyDocument=ASSUME,
                        Description='cluster', Tags=[{'Key': 'team', 'Value': 'a'}])['Role']
    check('role.create', r['Arn'] == 'arn:aws:iam::123456789012:role/eks-cluster'
          and r['RoleId'].startswith('AROA') and r['Path'] == '/', r)
    g = iam.get_role(RoleName='eks-cluster')['Role']
    doc = g['AssumeRolePolicyDocument']
    if isinstance(doc, str):
        doc = json.loads(urllib.parse.unquote(doc))
    check('role.get_document', doc == json.loads(ASSUME), g)
    check('role.tags', g.get('Tags') == [{'Key': 'team', 'Value': 'a'}], g)
    expect_error('role.duplicate', 'EntityAlreadyExists', iam.create_role,
                 RoleName='eks-cluster', AssumeRolePolicyDocument=ASSUME, status=409)
    expect_error('role.malformed_document', 'MalformedPolicyDocument', iam.create_role,
                 RoleName='bad', AssumeRolePolicyDocument='{not json')
    expect_error('role.get_unknown', 'NoSuchEntity', iam.get_role, RoleName='nope', status=404)
    iam.update_role(RoleName='eks-cluster', Description='changed')
    check('role.update', iam.get_role(RoleName='eks-cluster')['Role']['Description'] ==
          'changed')
    iam.tag_role(RoleName='eks-cluster', Tags=[{'Key': 'env', 'Value': 'dev'}])
    iam.untag_role(RoleName='eks-cluster', TagKeys=['team'])
    check('role.tag_untag', iam.list_role_tags(RoleName='eks-cluster')['Tags'] ==
          [{'Key': 'env', 'Value': 'dev'}])
    for i in range(7):
        iam.create_role(RoleName='r%d' % i, AssumeRolePolicyDocument=ASSUME, Path='/x/')
    T.admin('/_emu/config', {'max_page': 3})
    before = T.count(action='ListRoles')
    names = [x['RoleName'] for p in iam.get_paginator('list_roles').paginate(PathPrefix='/x/')
             for x in p['Roles']]
    T.admin('/_emu/config', {'max_page': 100})
    check('role.list_paginated', names == ['r%d' % i for i in range(7)], names)
    check('role.list_pages_counted', T.count(action='ListRoles') - before == 3)
    for i in range(7):
        iam.delete_role(RoleName='r%d' % i)


def test_b_policies():
    p = iam.create_policy(PolicyName='describe', PolicyDocument=POLICY)['Policy']
    arn = p['Arn']
    check('policy.create', arn == 'arn:aws:iam::123456789012:policy/describe'
          and p['DefaultVersionId'] == 'v1', p)
    v = iam.get_policy_version(PolicyArn=arn, VersionId='v1')['PolicyVersion']
    doc = v['Document']
    if isinstance(doc, str):
        doc = json.loads(urllib.parse.unquote(doc))
    check('policy.version_document', doc == json.loads(POLICY), v)
    iam.attach_role_policy(RoleName='eks-cluster', PolicyArn=arn)
    iam.attach_role_policy(RoleName='eks-cluster',
                           PolicyArn='arn:aws:iam::aws:policy/AmazonEKSClusterPolicy')
    att = iam.list_attached_role_policies(RoleName='eks-cluster')['AttachedPolicies']
    check('policy.attached', [a['PolicyArn'] for a in att] ==
          [arn, 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy'], att)
    check('policy.attachment_count', iam.get_policy(PolicyArn=arn)['Policy']
          ['AttachmentCount'] == 1)
    expect_error('policy.attach_unknown', 'NoSuchEntity', iam.attach_role_policy,
                 RoleName='eks-cluster', PolicyArn='arn:aws:iam::123456789012:policy/none')
    iam.put_role_policy(RoleName='eks-cluster', PolicyName='inline', PolicyDocument=POLICY)
    check('policy.inline_listed', iam.list_role_policies(RoleName='eks-cluster')
          ['PolicyNames'] == ['inline'])
    expect_error('order.delete_role_with_attached', 'DeleteConflict', iam.delete_role,
                 RoleName='eks-cluster', status=409)
    expect_error('order.delete_attached_policy', 'DeleteConflict', iam.delete_policy,
                 PolicyArn=arn)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=POLICY, SetAsDefault=True)
    check('policy.new_default_version', iam.get_policy(PolicyArn=arn)['Policy']
          ['DefaultVersionId'] == 'v2')
    iam.detach_role_policy(RoleName='eks-cluster', PolicyArn=arn)
    iam.detach_role_policy(RoleName='eks-cluster',
                           PolicyArn='arn:aws:iam::aws:policy/AmazonEKSClusterPolicy')
    expect_error('policy.detach_twice', 'NoSuchEntity', iam.detach_role_policy,
                 RoleName='eks-cluster', PolicyArn=arn)
    expect_error('order.delete_role_with_inline', 'DeleteConflict', iam.delete_role,
                 RoleName='eks-cluster')
    iam.delete_role_policy(RoleName='eks-cluster', PolicyName='inline')
    expect_error('order.delete_policy_with_versions', 'DeleteConflict', iam.delete_policy,
                 PolicyArn=arn)
    iam.delete_policy_version(PolicyArn=arn, VersionId='v1')
    iam.delete_policy(PolicyArn=arn)
    expect_error('policy.gone', 'NoSuchEntity', iam.get_policy, PolicyArn=arn)


def test_c_instance_profiles():
    iam.create_instance_profile(InstanceProfileName='nodes')
    iam.add_role_to_instance_profile(InstanceProfileName='nodes', RoleName='eks-cluster')
    ip = iam.get_instance_profile(InstanceProfileName='nodes')['InstanceProfile']
    check('profile.role_added', [r['RoleName'] for r in ip['Roles']] == ['eks-cluster'], ip)
    expect_error('order.delete_role_in_profile', 'DeleteConflict', iam.delete_role,
                 RoleName='eks-cluster')
    expect_error('order.delete_profile_with_role', 'DeleteConflict',
                 iam.delete_instance_profile, InstanceProfileName='nodes')
    iam.remove_role_from_instance_profile(InstanceProfileName='nodes', RoleName='eks-cluster')
    iam.delete_instance_profile(InstanceProfileName='nodes')
    iam.delete_role(RoleName='eks-cluster')
    expect_error('role.deleted', 'NoSuchEntity', iam.get_role, RoleName='eks-cluster')


def test_d_oidc_provider():
    url = 'https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF'
    arn = iam.create_open_id_connect_provider(Url=url, ClientIDList=['sts.amazonaws.com'],
                                              ThumbprintList=['9' * 40])
    arn = arn['OpenIDConnectProviderArn']
    check('oidc.arn', arn == 'arn:aws:iam::123456789012:oidc-provider/'
          'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF', arn)
    g = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    check('oidc.get', g['ClientIDList'] == ['sts.amazonaws.com']
          and g['ThumbprintList'] == ['9' * 40], g)
    expect_error('oidc.duplicate', 'EntityAlreadyExists', iam.create_open_id_connect_provider,
                 Url=url, ThumbprintList=['9' * 40])
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    expect_error('oidc.deleted', 'NoSuchEntity', iam.get_open_id_connect_provider,
                 OpenIDConnectProviderArn=arn)


def test_global_region():
    c = client('iam', region='us-east-1')
    check('region.us_east_1_ok', 'Roles' in c.list_roles())


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
