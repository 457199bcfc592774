"""EKS (REST-JSON, API 2017-11-01): clusters, managed node groups, updates,
tags.

Lifecycles (AWS-typical seconds x time scale): cluster CREATING -> ACTIVE
600 s, DELETING 300 s; node group CREATING -> ACTIVE 180 s, DELETING 180 s;
updates 120 s.  A cluster owns a cluster security group and one network
interface per subnet in EC2 (so its subnets and VPC cannot be deleted while
it exists); DeleteCluster with node groups is ResourceInUseException.
Store types: eks (ID = cluster name), eksng (ID = "cluster/nodegroup"),
eksaddon (ID = "cluster/addon"; add-ons go with their cluster).
"""
import json
import re
import time
import urllib.parse

import ec2util as U
from common import AwsError, Response

SERVICE = 'eks'
PROTOCOL = 'rest-json'
CLUSTER_CREATE_SECONDS = 600
CLUSTER_DELETE_SECONDS = 300
NODEGROUP_CREATE_SECONDS = 180
NODEGROUP_DELETE_SECONDS = 180
UPDATE_SECONDS = 120
ADDON_SECONDS = 60
ADDON_VERSIONS = {'vpc-cni': 'v1.12.6-eksbuild.2', 'coredns': 'v1.10.1-eksbuild.1',
                  'kube-proxy': 'v1.27.1-eksbuild.1', 'aws-ebs-csi-driver': 'v1.19.0-eksbuild.2'}
DEFAULT_VERSION = '1.27'
NAME_RE = re.compile(r'^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$')

ROUTES = [
    ('POST', r'/clusters', 'CreateCluster'),
    ('GET', r'/clusters', 'ListClusters'),
    ('GET', r'/clusters/(?P<name>[^/]+)', 'DescribeCluster'),
    ('DELETE', r'/clusters/(?P<name>[^/]+)', 'DeleteCluster'),
    ('POST', r'/clusters/(?P<name>[^/]+)/update-config', 'UpdateClusterConfig'),
    ('POST', r'/clusters/(?P<name>[^/]+)/updates', 'UpdateClusterVersion'),
    ('GET', r'/clusters/(?P<name>[^/]+)/updates', 'ListUpdates'),
    ('GET', r'/clusters/(?P<name>[^/]+)/updates/(?P<update>[^/]+)', 'DescribeUpdate'),
    ('POST', r'/clusters/(?P<name>[^/]+)/node-groups', 'CreateNodegroup'),
    ('GET', r'/clusters/(?P<name>[^/]+)/node-groups', 'ListNodegroups'),
    ('GET', r'/clusters/(?P<name>[^/]+)/node-groups/(?P<ng>[^/]+)', 'DescribeNodegroup'),
    ('DELETE', r'/clusters/(?P<name>[^/]+)/node-groups/(?P<ng>[^/]+)', 'DeleteNodegroup'),
    ('POST', r'/clusters/(?P<name>[^/]+)/node-groups/(?P<ng>[^/]+)/update-config',
     'UpdateNodegroupConfig'),
    ('POST', r'/clusters/(?P<name>[^/]+)/node-groups/(?P<ng>[^/]+)/update-version',
     'UpdateNodegroupVersion'),
    ('POST', r'/clusters/(?P<name>[^/]+)/addons', 'CreateAddon'),
    ('GET', r'/clusters/(?P<name>[^/]+)/addons', 'ListAddons'),
    ('GET', r'/clusters/(?P<name>[^/]+)/addons/(?P<addon>[^/]+)', 'DescribeAddon'),
    ('DELETE', r'/clusters/(?P<name>[^/]+)/addons/(?P<addon>[^/]+)', 'DeleteAddon'),
    ('POST', r'/clusters/(?P<name>[^/]+)/addons/(?P<addon>[^/]+)/update', 'UpdateAddon'),
    ('GET', r'/tags/(?P<arn>.+)', 'ListTagsForResource'),
    ('POST', r'/tags/(?P<arn>.+)', 'TagResource'),
    ('DELETE', r'/tags/(?P<arn>.+)', 'UntagResource'),
]
_COMPILED = [(m, re.compile('^' + p + '/?$'), a) for m, p, a in ROUTES]


def _match(ctx):
    for method, rx, action in _COMPILED:
        if method != ctx.method:
            continue
        m = rx.match(ctx.path)
        if m:
            return action, m.groupdict()
    return None, {}


def action_name(ctx):
    return _match(ctx)[0] or 'Unknown'


def _json(obj, status=200):
    return Response(status, json.dumps(obj).encode('utf-8'),
                    {'Content-Type': 'application/json', 'x-amzn-RequestId': ''})


def _invalid(msg):
    return AwsError('InvalidParameterException', msg, 400)


def _not_found(msg):
    return AwsError('ResourceNotFoundException', msg, 404)


def _in_use(msg):
    return AwsError('ResourceInUseException', msg, 409)


def handle(ctx):
    action, args = _match(ctx)
    if action is None:
        raise AwsError('UnknownOperationException', 'Unknown operation %s %s'
                       % (ctx.method, ctx.path), 404)
    body = {}
    if ctx.body.strip():
        try:
            body = json.loads(ctx.body.decode('utf-8'))
        except ValueError:
            raise AwsError('SerializationException', 'Invalid JSON body', 400)
    resp = HANDLERS[action](ctx, args, body)
    if isinstance(resp, Response):
        resp.headers['x-amzn-RequestId'] = ctx.request_id
    return resp


# ------------------------------------------------------------------ clusters

def _cluster(ctx, name):
    c = ctx.store.get('eks', name)
    if c is None:
        raise _not_found('No cluster found for name: %s.' % name)
    return c


def _render_cluster(c):
    out = {k: v for k, v in c.items() if not k.startswith('_')}
    out['tags'] = dict(c['_tags'])
    return out


def _role_exists(ctx, arn):
    name = (arn or '').rsplit('/', 1)[-1]
    return bool(arn) and ctx.store.get('role', name) is not None


def _subnets(ctx, ids):
    subs = []
    for sid in ids or []:
        s = ctx.store.get('subnet', sid)
        if s is None:
            raise _invalid('The subnet ID \'%s\' does not exist' % sid)
        subs.append(s)
    return subs


def create_cluster(ctx, args, body):
    st = ctx.store
    name = body.get('name')
    if not name or not NAME_RE.match(name):
        raise _invalid('The cluster name %r is invalid' % name)
    tok = body.get('clientRequestToken')
    if tok:
        hit = st.tokens.get(('eks-cluster', tok))
        if hit and st.get('eks', hit[0]) is not None:
            return _json({'cluster': _render_cluster(st.get('eks', hit[0]))})
    if st.get('eks', name) is not None:
        raise _in_use('Cluster already exists with name: %s' % name)
    if not _role_exists(ctx, body.get('roleArn')):
        raise _invalid('Role with arn: %s, does not exist' % body.get('roleArn'))
    vpc_cfg = body.get('resourcesVpcConfig') or {}
    subs = _subnets(ctx, vpc_cfg.get('subnetIds'))
    if len({s['availabilityZone'] for s in subs}) < 2:
        raise _invalid('Subnets specified must be in at least two different AZs')
    vpcs = {s['vpcId'] for s in subs}
    if len(vpcs) != 1:
        raise _invalid('Subnets must all belong to the same VPC')
    vid = vpcs.pop()
    for g in vpc_cfg.get('securityGroupIds') or []:
        if st.get('sg', g) is None:
            raise _invalid('Security group(s) [%s] do not exist' % g)
    # The cluster security group and control-plane network interfaces.
    import ec2
    import ec2sg
    sgid = st.new_id('sg')
    st.add('sg', sgid, {'ownerId': ctx.account, 'groupId': sgid,
                        'groupName': 'eks-cluster-sg-%s-%s' % (name, sgid[3:13]),
                        'groupDescription': 'EKS created security group applied to ENI that is '
                        'attached to EKS Control Plane master nodes, as well as any managed '
                        'workloads.', 'vpcId': vid}, {'aws:eks:cluster-name': name})
    ec2sg._add_rule(ctx, sgid, True, {'ipProtocol': '-1', 'fromPort': -1, 'toPort': -1,
                                      'cidrIpv4': '0.0.0.0/0'})
    ec2sg._add_rule(ctx, sgid, False, {'ipProtocol': '-1', 'fromPort': -1, 'toPort': -1,
                                       'referencedGroupInfo': {'groupId': sgid,
                                                               'userId': ctx.account}})
    enis = [ec2._new_eni(ctx, s, 'Amazon EKS %s' % name, 'interface', [sgid])['networkInterfaceId']
            for s in subs[:4]]
    cid = st.new_id('x', 32)[2:]
    arn = 'arn:aws:eks:%s:%s:cluster/%s' % (ctx.region, ctx.account, name)
    c = {
        'name': name, 'arn': arn, 'createdAt': time.time(),
        'version': body.get('version') or DEFAULT_VERSION,
        'roleArn': body['roleArn'],
        'resourcesVpcConfig': {
            'subnetIds': [s['subnetId'] for s in subs],
            'securityGroupIds': list(vpc_cfg.get('securityGroupIds') or []),
            'clusterSecurityGroupId': sgid, 'vpcId': vid,
            'endpointPublicAccess': vpc_cfg.get('endpointPublicAccess', True),
            'endpointPrivateAccess': vpc_cfg.get('endpointPrivateAccess', False),
            'publicAccessCidrs': vpc_cfg.get('publicAccessCidrs') or ['0.0.0.0/0']},
        'kubernetesNetworkConfig': {
            'serviceIpv4Cidr': (body.get('kubernetesNetworkConfig') or {}).get(
                'serviceIpv4Cidr') or '172.20.0.0/16', 'ipFamily': 'ipv4'},
        'logging': body.get('logging') or {'clusterLogging': [
            {'types': ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
             'enabled': False}]},
        'identity': {'oidc': {'issuer': 'https://oidc.eks.%s.amazonaws.com/id/%s'
                              % (ctx.region, cid.upper())}},
        'status': 'CREATING', 'certificateAuthority': {},
        'platformVersion': 'eks.1', 'encryptionConfig': body.get('encryptionConfig') or [],
        'clientRequestToken': tok,
        '_enis': enis, '_sg': sgid, '_cid': cid,
    }
    st.add('eks', name, c, body.get('tags') or {})
    if tok:
        st.tokens[('eks-cluster', tok)] = (name, None)

    def ready():
        if c['status'] == 'CREATING':
            c['status'] = 'ACTIVE'
            c['endpoint'] = 'https://%s.gr7.%s.eks.amazonaws.com' % (cid.upper(), ctx.region)
            c['certificateAuthority'] = {'data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=='}
    st.later(CLUSTER_CREATE_SECONDS, ready)
    return _json({'cluster': _render_cluster(c)})


def describe_cluster(ctx, args, body):
    c = _cluster(ctx, args['name'])
    if not ctx.store.visible(c):
        raise _not_found('No cluster found for name: %s.' % args['name'])
    return _json({'cluster': _render_cluster(c)})


def _page(ctx, items):
    try:
        maxr = int(ctx.query.get('maxResults', '100'))
    except ValueError:
        raise _invalid('maxResults must be a number')
    if not 1 <= maxr <= 100:
        raise _invalid('maxResults must be between 1 and 100')
    maxr = min(maxr, max(1, ctx.emu.cfg.max_page))
    start = 0
    tok = ctx.query.get('nextToken')
    if tok:
        try:
            start = int(tok)
        except ValueError:
            raise _invalid('The nextToken is invalid')
    page = items[start:start + maxr]
    nxt = str(start + maxr) if start + maxr < len(items) else None
    return page, nxt


def list_clusters(ctx, args, body):
    names = [c['name'] for c in ctx.store.all('eks') if ctx.store.visible(c)]
    page, nxt = _page(ctx, names)
    return _json({'clusters': page, 'nextToken': nxt})


def _release_cluster(st, c):
    import ec2
    import ec2sg
    for a in [a for a in st.all('eksaddon') if a['clusterName'] == c['name']]:
        st.remove('eksaddon', '%s/%s' % (a['clusterName'], a['addonName']))
    for eid in c['_enis']:
        eni = st.get('eni', eid)
        if eni is not None:
            ec2._remove_eni(st, eni)
    ec2sg.remove_group(st, st.get('sg', c['_sg']))
    st.remove('eks', c['name'])


def delete_cluster(ctx, args, body):
    st = ctx.store
    c = _cluster(ctx, args['name'])
    if any(n['clusterName'] == c['name'] for n in st.all('eksng')):
        raise _in_use('Cluster has nodegroups attached')
    if c['status'] in ('CREATING', 'UPDATING'):
        raise _in_use('Cannot delete because cluster %s currently has an update in progress'
                      % c['name'])
    if c['status'] != 'DELETING':
        c['status'] = 'DELETING'
        st.later(CLUSTER_DELETE_SECONDS, lambda: _release_cluster(st, c))
    return _json({'cluster': _render_cluster(c)})


def _new_update(ctx, c, utype, params, on_done):
    st = ctx.store
    uid = st.new_id('x', 32)[2:]
    uid = '%s-%s-%s-%s-%s' % (uid[:8], uid[8:12], uid[12:16], uid[16:20], uid[20:32])
    up = {'id': uid, 'status': 'InProgress', 'type': utype, 'params': params,
          'createdAt': time.time(), 'errors': []}
    c.setdefault('_updates', []).append(up)

    def done():
        up['status'] = 'Successful'
        on_done()
    st.later(UPDATE_SECONDS, done)
    return up


def _require_active(c, what):
    if c['status'] != 'ACTIVE':
        raise _in_use('%s %s is not in ACTIVE status (status: %s)' % (what, c.get('name') or
                                                                       c.get('nodegroupName'),
                                                                       c['status']))


def update_cluster_config(ctx, args, body):
    c = _cluster(ctx, args['name'])
    _require_active(c, 'Cluster')
    params = []
    cfg = body.get('resourcesVpcConfig')
    if cfg:
        for k in ('endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs'):
            if k in cfg:
                params.append({'type': k[:1].upper() + k[1:], 'value': json.dumps(cfg[k])})
    if body.get('logging'):
        params.append({'type': 'ClusterLogging', 'value': json.dumps(body['logging'])})
    if not params:
        raise AwsError('InvalidRequestException', 'No changes needed for the logging config '
                       'provided', 400)
    c['status'] = 'UPDATING'

    def apply():
        if cfg:
            c['resourcesVpcConfig'].update({k: v for k, v in cfg.items()
                                            if k in ('endpointPublicAccess',
                                                     'endpointPrivateAccess',
                                                     'publicAccessCidrs')})
        if body.get('logging'):
            c['logging'] = body['logging']
        c['status'] = 'ACTIVE'
    up = _new_update(ctx, c, 'EndpointAccessUpdate' if cfg else 'LoggingUpdate', params,
                     apply)
    return _json({'update': up})


def update_cluster_version(ctx, args, body):
    c = _cluster(ctx, args['name'])
    _require_active(c, 'Cluster')
    ver = body.get('version')
    if not ver:
        raise _invalid('version is required')
    c['status'] = 'UPDATING'

    def apply():
        c['version'] = ver
        c['status'] = 'ACTIVE'
    up = _new_update(ctx, c, 'VersionUpdate', [{'type': 'Version', 'value': ver},
                                              {'type': 'PlatformVersion', 'value': 'eks.1'}],
                     apply)
    return _json({'update': up})


def describe_update(ctx, args, body):
    c = _cluster(ctx, args['name'])
    ng = ctx.query.get('nodegroupName')
    addon = ctx.query.get('addonName')
    owner = (_nodegroup(ctx, c['name'], ng) if ng else
             _addon(ctx, c['name'], addon) if addon else c)
    for up in owner.get('_updates', []):
        if up['id'] == args['update']:
            return _json({'update': up})
    raise _not_found('No update found for ID: %s' % args['update'])


def list_updates(ctx, args, body):
    c = _cluster(ctx, args['name'])
    ng = ctx.query.get('nodegroupName')
    owner = _nodegroup(ctx, c['name'], ng) if ng else c
    page, nxt = _page(ctx, [u['id'] for u in owner.get('_updates', [])])
    return _json({'updateIds': page, 'nextToken': nxt})


# ------------------------------------------------------------------ node groups

def _nodegroup(ctx, cluster, name):
    n = ctx.store.get('eksng', '%s/%s' % (cluster, name))
    if n is None:
        raise _not_found('No node group found for name: %s.' % name)
    return n


def _render_ng(n):
    out = {k: v for k, v in n.items() if not k.startswith('_')}
    out['tags'] = dict(n['_tags'])
    return out


def create_nodegroup(ctx, args, body):
    st = ctx.store
    c = _cluster(ctx, args['name'])
    name = body.get('nodegroupName')
    if not name or not NAME_RE.match(name):
        raise _invalid('The node group name %r is invalid' % name)
    key = '%s/%s' % (c['name'], name)
    tok = body.get('clientRequestToken')
    if tok:
        hit = st.tokens.get(('eks-ng', tok))
        if hit and st.get('eksng', hit[0]) is not None:
            return _json({'nodegroup': _render_ng(st.get('eksng', hit[0]))})
    if c['status'] != 'ACTIVE':
        raise AwsError('InvalidRequestException', 'Cluster \'%s\' is not in ACTIVE status'
                       % c['name'], 400)
    if st.get('eksng', key) is not None:
        raise _in_use('NodeGroup already exists with name %s and cluster name %s'
                      % (name, c['name']))
    if not _role_exists(ctx, body.get('nodeRole')):
        raise _invalid('Role with arn: %s, does not exist' % body.get('nodeRole'))
    subs = _subnets(ctx, body.get('subnets'))
    if not subs:
        raise _invalid('Subnets are required')
    sc = body.get('scalingConfig') or {'minSize': 1, 'maxSize': 2, 'desiredSize': 2}
    if not sc.get('minSize', 0) <= sc.get('desiredSize', 0) <= sc.get('maxSize', 1):
        raise _invalid('Minimum capacity %s can\'t be greater than desired size %s'
                       % (sc.get('minSize'), sc.get('desiredSize')))
    now = time.time()
    n = {'nodegroupName': name,
         'nodegroupArn': 'arn:aws:eks:%s:%s:nodegroup/%s/%s/%s'
                         % (ctx.region, ctx.account, c['name'], name, st.new_id('x', 32)[2:]),
         'clusterName': c['name'], 'version': body.get('version') or c['version'],
         'releaseVersion': body.get('releaseVersion') or c['version'] + '.0-20230101',
         'createdAt': now, 'modifiedAt': now, 'status': 'CREATING',
         'capacityType': body.get('capacityType') or 'ON_DEMAND', 'scalingConfig': sc,
         'instanceTypes': body.get('instanceTypes') or ['t3.medium'],
         'subnets': [s['subnetId'] for s in subs], 'amiType': body.get('amiType') or
         'AL2_x86_64', 'nodeRole': body['nodeRole'], 'labels': body.get('labels') or {},
         'resources': {'autoScalingGroups': [
             {'name': 'eks-%s-%s' % (name, st.new_id('x', 32)[2:])}]},
         'diskSize': body.get('diskSize') or 20, 'health': {'issues': []},
         'updateConfig': body.get('updateConfig') or {'maxUnavailable': 1}}
    if body.get('taints'):
        n['taints'] = body['taints']
    if body.get('remoteAccess'):
        n['remoteAccess'] = body['remoteAccess']
    if body.get('launchTemplate'):
        n['launchTemplate'] = body['launchTemplate']
    st.add('eksng', key, n, body.get('tags') or {})
    if tok:
        st.tokens[('eks-ng', tok)] = (key, None)

    def ready():
        if n['status'] == 'CREATING':
            n['status'] = 'ACTIVE'
    st.later(NODEGROUP_CREATE_SECONDS, ready)
    return _json({'nodegroup': _render_ng(n)})


def describe_nodegroup(ctx, args, body):
    _cluster(ctx, args['name'])
    return _json({'nodegroup': _render_ng(_nodegroup(ctx, args['name'], args['ng']))})


def list_nodegroups(ctx, args, body):
    c = _cluster(ctx, args['name'])
    names = [n['nodegroupName'] for n in ctx.store.all('eksng')
             if n['clusterName'] == c['name']]
    page, nxt = _page(ctx, names)
    return _json({'nodegroups': page, 'nextToken': nxt})


def delete_nodegroup(ctx, args, body):
    st = ctx.store
    _cluster(ctx, args['name'])
    n = _nodegroup(ctx, args['name'], args['ng'])
    if n['status'] in ('CREATING', 'UPDATING'):
        raise _in_use('Nodegroup %s cannot be deleted while it is %s'
                      % (n['nodegroupName'], n['status']))
    if n['status'] != 'DELETING':
        n['status'] = 'DELETING'
        key = '%s/%s' % (n['clusterName'], n['nodegroupName'])
        st.later(NODEGROUP_DELETE_SECONDS, lambda: st.remove('eksng', key))
    return _json({'nodegroup': _render_ng(n)})


def update_nodegroup_config(ctx, args, body):
    _cluster(ctx, args['name'])
    n = _nodegroup(ctx, args['name'], args['ng'])
    _require_active(n, 'Nodegroup')
    params = []
    sc = body.get('scalingConfig')
    if sc:
        merged = dict(n['scalingConfig'])
        merged.update(sc)
        if not merged['minSize'] <= merged['desiredSize'] <= merged['maxSize']:
            raise _invalid('Minimum capacity %d can\'t be greater than desired size %d'
                           % (merged['minSize'], merged['desiredSize']))
        for k, v in sc.items():
            params.append({'type': k[:1].upper() + k[1:], 'value': str(v)})
    labels = body.get('labels')
    if labels:
        params.append({'type': 'LabelsToAdd', 'value': json.dumps(labels.get('addOrUpdateLabels',
                                                                             {}))})
    if not params:
        raise AwsError('InvalidRequestException', 'No changes needed for the nodegroup '
                       'config provided', 400)
    n['status'] = 'UPDATING'

    def apply():
        if sc:
            n['scalingConfig'].update(sc)
        if labels:
            n['labels'].update(labels.get('addOrUpdateLabels') or {})
            for k in labels.get('removeLabels') or []:
                n['labels'].pop(k, None)
        n['status'] = 'ACTIVE'
        n['modifiedAt'] = time.time()
    up = _new_update(ctx, n, 'ConfigUpdate', params, apply)
    return _json({'update': up})


def update_nodegroup_version(ctx, args, body):
    _cluster(ctx, args['name'])
    n = _nodegroup(ctx, args['name'], args['ng'])
    _require_active(n, 'Nodegroup')
    ver = body.get('version') or n['version']
    n['status'] = 'UPDATING'

    def apply():
        n['version'] = ver
        n['status'] = 'ACTIVE'
    up = _new_update(ctx, n, 'VersionUpdate', [{'type': 'Version', 'value': ver}], apply)
    return _json({'update': up})


# ------------------------------------------------------------------ add-ons

def _addon(ctx, cluster, name):
    a = ctx.store.get('eksaddon', '%s/%s' % (cluster, name))
    if a is None:
        raise _not_found('No addon: %s found in cluster: %s' % (name, cluster))
    return a


def _render_addon(a):
    out = {k: v for k, v in a.items() if not k.startswith('_')}
    out['tags'] = dict(a['_tags'])
    return out


def create_addon(ctx, args, body):
    st = ctx.store
    c = _cluster(ctx, args['name'])
    name = body.get('addonName')
    if name not in ADDON_VERSIONS:
        raise _invalid('Addon %s specified is not supported' % name)
    if c['status'] != 'ACTIVE':
        raise AwsError('InvalidRequestException', "Cluster '%s' is not in ACTIVE status"
                       % c['name'], 400)
    key = '%s/%s' % (c['name'], name)
    if st.get('eksaddon', key) is not None:
        raise _in_use('Addon already exists.')
    if body.get('serviceAccountRoleArn') and not _role_exists(ctx, body['serviceAccountRoleArn']):
        raise _invalid('Role with arn: %s, does not exist' % body['serviceAccountRoleArn'])
    now = time.time()
    a = {'addonName': name, 'clusterName': c['name'], 'status': 'CREATING',
         'addonVersion': body.get('addonVersion') or ADDON_VERSIONS[name],
         'health': {'issues': []},
         'addonArn': 'arn:aws:eks:%s:%s:addon/%s/%s/%s' % (ctx.region, ctx.account, c['name'],
                                                          name, st.new_id('x', 32)[2:]),
         'createdAt': now, 'modifiedAt': now,
         'serviceAccountRoleArn': body.get('serviceAccountRoleArn'),
         'configurationValues': body.get('configurationValues')}
    st.add('eksaddon', key, a, body.get('tags') or {})

    def ready():
        if a['status'] == 'CREATING':
            a['status'] = 'ACTIVE'
    st.later(ADDON_SECONDS, ready)
    return _json({'addon': _render_addon(a)})


def describe_addon(ctx, args, body):
    _cluster(ctx, args['name'])
    return _json({'addon': _render_addon(_addon(ctx, args['name'], args['addon']))})


def list_addons(ctx, args, body):
    c = _cluster(ctx, args['name'])
    names = [a['addonName'] for a in ctx.store.all('eksaddon') if a['clusterName'] == c['name']]
    page, nxt = _page(ctx, names)
    return _json({'addons': page, 'nextToken': nxt})


def delete_addon(ctx, args, body):
    st = ctx.store
    _cluster(ctx, args['name'])
    a = _addon(ctx, args['name'], args['addon'])
    if a['status'] != 'DELETING':
        a['status'] = 'DELETING'
        key = '%s/%s' % (a['clusterName'], a['addonName'])
        st.later(ADDON_SECONDS, lambda: st.remove('eksaddon', key))
    return _json({'addon': _render_addon(a)})


def update_addon(ctx, args, body):
    _cluster(ctx, args['name'])
    a = _addon(ctx, args['name'], args['addon'])
    _require_active(a, 'Addon')
    params = []
    for k, t in (('addonVersion', 'AddonVersion'), ('serviceAccountRoleArn',
                                                    'ServiceAccountRoleArn'),
                 ('configurationValues', 'ConfigurationValues')):
        if k in body:
            params.append({'type': t, 'value': str(body[k])})
    a['status'] = 'UPDATING'

    def apply():
        for k in ('addonVersion', 'serviceAccountRoleArn', 'configurationValues'):
            if k in body:
                a[k] = body[k]
        a['status'] = 'ACTIVE'
        a['modifiedAt'] = time.time()
    up = _new_update(ctx, a, 'AddonUpdate', params, apply)
    return _json({'update': up})


# ------------------------------------------------------------------ tags

def _by_arn(ctx, arn):
    arn = urllib.parse.unquote(arn)
    for rtype in ('eks', 'eksng', 'eksaddon'):
        for o in ctx.store.all(rtype):
            if arn in (o.get('arn'), o.get('nodegroupArn'), o.get('addonArn')):
                return o
    raise _not_found('The resource %s does not exist' % arn)


def list_tags(ctx, args, body):
    return _json({'tags': dict(_by_arn(ctx, args['arn'])['_tags'])})


def tag_resource(ctx, args, body):
    o = _by_arn(ctx, args['arn'])
    tags = body.get('tags') or {}
    for k in tags:
        U.check_tag_key(k)
    o['_tags'].update(tags)
    return _json({})


def untag_resource(ctx, args, body):
    o = _by_arn(ctx, args['arn'])
    keys = urllib.parse.parse_qs(ctx.raw_query).get('tagKeys', [])
    for k in keys:
        o['_tags'].pop(k, None)
    return _json({})


HANDLERS = {
    'CreateCluster': create_cluster, 'DescribeCluster': describe_cluster,
    'ListClusters': list_clusters, 'DeleteCluster': delete_cluster,
    'UpdateClusterConfig': update_cluster_config,
    'UpdateClusterVersion': update_cluster_version, 'DescribeUpdate': describe_update,
    'ListUpdates': list_updates, 'CreateNodegroup': create_nodegroup,
    'DescribeNodegroup': describe_nodegroup, 'ListNodegroups': list_nodegroups,
    'DeleteNodegroup': delete_nodegroup, 'UpdateNodegroupConfig': update_nodegroup_config,
    'UpdateNodegroupVersion': update_nodegroup_version,
    'CreateAddon': create_addon, 'DescribeAddon': describe_addon, 'ListAddons': list_addons,
    'DeleteAddon': delete_addon, 'UpdateAddon': update_addon,
    'ListTagsForResource': list_tags, 'TagResource': tag_resource,
    'UntagResource': untag_resource,
}


def admin_delete(st, rtype, obj):
    if rtype == 'eks':
        _release_cluster(st, obj)
        return True
    if rtype == 'eksng':
        st.remove('eksng', '%s/%s' % (obj['clusterName'], obj['nodegroupName']))
        return True
    if rtype == 'eksaddon':
        st.remove('eksaddon', '%s/%s' % (obj['clusterName'], obj['addonName']))
        return True
    return False
