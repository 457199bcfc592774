"""ElastiCache (query protocol, API 2015-02-02): cache subnet groups,
parameter groups, replication groups (with their member cache clusters),
standalone cache clusters, tags.

Lifecycles (AWS-typical seconds x time scale): creating -> available 480 s,
modifying 120 s, deleting 240 s.  Every cache cluster holds a network
interface in a subnet of its subnet group (blocking subnet, security group
and VPC deletion); a subnet group in use cannot be deleted.
Store types: ecsubnet, ecparams, ecrg, eccluster.
"""
import time

import rds
from common import AwsError, XList, iso_now, pbool, pget, pint, qlist, qtags

SERVICE = 'elasticache'
PROTOCOL = 'query'
VERSION = '2015-02-02'
XMLNS = 'http://elasticache.amazonaws.com/doc/2015-02-02/'
CREATE_SECONDS = 480
MODIFY_SECONDS = 120
DELETE_SECONDS = 240
PORTS = {'redis': 6379, 'memcached': 11211}
VERSIONS = {'redis': '7.0.7', 'memcached': '1.6.17'}


def _err(code, msg, status=400):
    return AwsError(code, msg, status)


def _req(ctx, name):
    v = pget(ctx.params, name)
    if v is None or v == '':
        raise _err('MissingParameter', 'The request must contain the parameter %s' % name)
    return v


def _arn(ctx, kind, name):
    return 'arn:aws:elasticache:%s:%s:%s:%s' % (ctx.region, ctx.account, kind, name)


def _page(ctx, items):
    maxr = pint(ctx.params, 'MaxRecords', 100)
    if not 20 <= maxr <= 100:
        raise _err('InvalidParameterValue', 'MaxRecords must be between 20 and 100')
    maxr = min(maxr, max(1, ctx.emu.cfg.max_page))
    start = int(pget(ctx.params, 'Marker') or 0)
    page = items[start:start + maxr]
    return page, (str(start + maxr) if start + maxr < len(items) else None)


# ------------------------------------------------------------------ subnet groups

def _subnet_group(ctx, name):
    g = ctx.store.get('ecsubnet', (name or '').lower())
    if g is None:
        raise _err('CacheSubnetGroupNotFoundFault', 'Cache subnet group %s not found.' % name)
    return g


def _subnet_group_out(ctx, g):
    subs = []
    for sid in g['subnets']:
        s = ctx.store.get('subnet', sid)
        subs.append({'SubnetIdentifier': sid,
                     'SubnetAvailabilityZone': {'Name': s['availabilityZone'] if s else ''},
                     'SupportedNetworkTypes': XList('member', ['ipv4'])})
    return {'CacheSubnetGroupName': g['name'], 'CacheSubnetGroupDescription': g['description'],
            'VpcId': g['vpcId'], 'Subnets': XList('Subnet', subs), 'ARN': g['arn'],
            'SupportedNetworkTypes': XList('member', ['ipv4'])}


def create_cache_subnet_group(ctx):
    st = ctx.store
    name = _req(ctx, 'CacheSubnetGroupName').lower()
    desc = _req(ctx, 'CacheSubnetGroupDescription')
    if st.get('ecsubnet', name) is not None:
        raise _err('CacheSubnetGroupAlreadyExists', 'Cache subnet group %s already exists.'
                   % name)
    subs = rds.subnets_for_group(ctx, qlist(ctx.params, 'SubnetIds'), need_azs=1)
    g = {'name': name, 'description': desc, 'vpcId': subs[0]['vpcId'],
         'subnets': [s['subnetId'] for s in subs], 'arn': _arn(ctx, 'subnetgroup', name)}
    st.add('ecsubnet', name, g, qtags(ctx.params))
    return {'CacheSubnetGroup': _subnet_group_out(ctx, g)}


def modify_cache_subnet_group(ctx):
    g = _subnet_group(ctx, _req(ctx, 'CacheSubnetGroupName'))
    ids = qlist(ctx.params, 'SubnetIds')
    if ids:
        subs = rds.subnets_for_group(ctx, ids, need_azs=1)
        new = [s['subnetId'] for s in subs]
        for c in ctx.store.all('eccluster'):
            if c['CacheSubnetGroupName'] == g['name'] and c['_subnet'] not in new:
                raise _err('SubnetInUse', 'The subnet %s is in use' % c['_subnet'])
        g['subnets'] = new
    if pget(ctx.params, 'CacheSubnetGroupDescription') is not None:
        g['description'] = pget(ctx.params, 'CacheSubnetGroupDescription')
    return {'CacheSubnetGroup': _subnet_group_out(ctx, g)}


def describe_cache_subnet_groups(ctx):
    name = pget(ctx.params, 'CacheSubnetGroupName')
    items = [_subnet_group(ctx, name)] if name else ctx.store.all('ecsubnet')
    page, marker = _page(ctx, items)
    return {'Marker': marker, 'CacheSubnetGroups': XList('CacheSubnetGroup', [
        _subnet_group_out(ctx, g) for g in page])}


def delete_cache_subnet_group(ctx):
    g = _subnet_group(ctx, _req(ctx, 'CacheSubnetGroupName'))
    if any(c['CacheSubnetGroupName'] == g['name'] for c in ctx.store.all('eccluster')):
        raise _err('CacheSubnetGroupInUse', 'Cache subnet group %s is currently in use by a '
                   'cache cluster.' % g['name'])
    ctx.store.remove('ecsubnet', g['name'])
    return None


# ------------------------------------------------------------------ parameter groups

def _param_group(ctx, name):
    g = ctx.store.get('ecparams', (name or '').lower())
    if g is None:
        raise _err('CacheParameterGroupNotFound', 'CacheParameterGroup %s not found.' % name,
                   404)
    return g


def _param_group_out(g):
    return {'CacheParameterGroupName': g['name'], 'CacheParameterGroupFamily': g['family'],
            'Description': g['description'], 'IsGlobal': False, 'ARN': g['arn']}


def create_cache_parameter_group(ctx):
    st = ctx.store
    name = _req(ctx, 'CacheParameterGroupName').lower()
    if st.get('ecparams', name) is not None:
        raise _err('CacheParameterGroupAlreadyExists', 'Parameter group %s already exists.'
                   % name)
    g = {'name': name, 'family': _req(ctx, 'CacheParameterGroupFamily'),
         'description': _req(ctx, 'Description'), 'arn': _arn(ctx, 'parametergroup', name),
         'params': {}}
    st.add('ecparams', name, g, qtags(ctx.params))
    return {'CacheParameterGroup': _param_group_out(g)}


def describe_cache_parameter_groups(ctx):
    name = pget(ctx.params, 'CacheParameterGroupName')
    items = [_param_group(ctx, name)] if name else ctx.store.all('ecparams')
    page, marker = _page(ctx, items)
    return {'Marker': marker, 'CacheParameterGroups': XList('CacheParameterGroup', [
        _param_group_out(g) for g in page])}


def modify_cache_parameter_group(ctx):
    g = _param_group(ctx, _req(ctx, 'CacheParameterGroupName'))
    for p in qlist(ctx.params, 'ParameterNameValues'):
        g['params'][pget(p, 'ParameterName')] = pget(p, 'ParameterValue')
    return {'CacheParameterGroupName': g['name']}


def describe_cache_parameters(ctx):
    g = _param_group(ctx, _req(ctx, 'CacheParameterGroupName'))
    items = [{'ParameterName': k, 'ParameterValue': v, 'Source': 'user', 'IsModifiable': True}
             for k, v in g['params'].items()]
    page, marker = _page(ctx, items)
    return {'Marker': marker, 'Parameters': XList('Parameter', page)}


def delete_cache_parameter_group(ctx):
    g = _param_group(ctx, _req(ctx, 'CacheParameterGroupName'))
    if any(c['_params'] == g['name'] for c in ctx.store.all('eccluster')):
        raise _err('InvalidCacheParameterGroupState', 'Cache parameter group %s is in use.'
                   % g['name'])
    ctx.store.remove('ecparams', g['name'])
    return None


# ------------------------------------------------------------------ clusters

def _cluster_out(ctx, c):
    out = {k: v for k, v in c.items() if not k.startswith('_')}
    out['SecurityGroups'] = XList('member', [{'SecurityGroupId': g, 'Status': 'active'}
                                             for g in c['_groups']])
    out['CacheParameterGroup'] = {'CacheParameterGroupName': c['_params'],
                                  'ParameterApplyStatus': 'in-sync',
                                  'CacheNodeIdsToReboot': XList('CacheNodeId', [])}
    out['CacheSecurityGroups'] = XList('CacheSecurityGroup', [])
    out['PendingModifiedValues'] = dict(c['_pending'])
    nodes = []
    for n in range(c['NumCacheNodes']):
        node = {'CacheNodeId': '%04d' % (n + 1), 'CacheNodeStatus': c['_node_status'],
                'CacheNodeCreateTime': c['CacheClusterCreateTime'],
                'ParameterGroupStatus': 'in-sync',
                'CustomerAvailabilityZone': c['PreferredAvailabilityZone']}
        if c['_node_status'] == 'available':
            node['Endpoint'] = {'Address': '%s.%s.%04d.use1.cache.amazonaws.com'
                                % (c['CacheClusterId'], c['_suffix'], n + 1),
                                'Port': c['_port']}
        nodes.append(node)
    if pbool(ctx.params, 'ShowCacheNodeInfo', False):
        out['CacheNodes'] = XList('CacheNode', nodes)
    return out


def _new_cluster(ctx, cid, group, groups, engine, node_type, params, az, rg=None, nodes=1):
    st = ctx.store
    subnet = None
    for sid in group['subnets']:
        s = st.get('subnet', sid)
        if s and (not az or s['availabilityZone'] == az):
            subnet = s
            break
    if subnet is None:
        raise _err('InvalidParameterValue', 'No subnet of %s is in %s' % (group['name'], az))
    eni = rds.new_eni(ctx, subnet['subnetId'], 'ElastiCache %s' % cid, groups)
    c = {'CacheClusterId': cid, 'CacheNodeType': node_type, 'Engine': engine,
         'EngineVersion': pget(ctx.params, 'EngineVersion', VERSIONS[engine]),
         'CacheClusterStatus': 'creating', 'NumCacheNodes': nodes,
         'PreferredAvailabilityZone': subnet['availabilityZone'],
         'CacheClusterCreateTime': iso_now(time.time()),
         'PreferredMaintenanceWindow': pget(ctx.params, 'PreferredMaintenanceWindow',
                                            'sun:05:00-sun:06:00'),
         'CacheSubnetGroupName': group['name'], 'AutoMinorVersionUpgrade': True,
         'ReplicationGroupId': rg, 'SnapshotRetentionLimit': pint(
             ctx.params, 'SnapshotRetentionLimit', 0),
         'SnapshotWindow': pget(ctx.params, 'SnapshotWindow', '03:00-04:00'),
         'AuthTokenEnabled': bool(pget(ctx.params, 'AuthToken')),
         'TransitEncryptionEnabled': bool(pbool(ctx.params, 'TransitEncryptionEnabled', False)),
         'AtRestEncryptionEnabled': bool(pbool(ctx.params, 'AtRestEncryptionEnabled', False)),
         'ARN': _arn(ctx, 'cluster', cid), 'NetworkType': 'ipv4', 'IpDiscovery': 'ipv4',
         '_groups': groups, '_params': params, '_eni': eni, '_subnet': subnet['subnetId'],
         '_pending': {}, '_node_status': 'creating', '_port': pint(ctx.params, 'Port',
                                                                   PORTS[engine]),
         '_suffix': st.new_id('x', 8)[2:]}
    st.add('eccluster', cid, c, qtags(ctx.params))

    def ready():
        if c['CacheClusterStatus'] == 'creating':
            c['CacheClusterStatus'] = 'available'
            c['_node_status'] = 'available'
    st.later(CREATE_SECONDS, ready)
    return c


def _engine_and_network(ctx, default_engine='redis'):
    engine = pget(ctx.params, 'Engine', default_engine)
    if engine not in PORTS:
        raise _err('InvalidParameterValue', 'Invalid engine: %s' % engine)
    gname = pget(ctx.params, 'CacheSubnetGroupName')
    if not gname:
        raise _err('InvalidParameterValue', 'A cache subnet group is required (the emulator '
                   'has no default VPC)')
    group = _subnet_group(ctx, gname)
    groups = qlist(ctx.params, 'SecurityGroupIds')
    rds.check_groups(ctx, groups, group['vpcId'])
    if not groups:
        groups = [g['groupId'] for g in ctx.store.all('sg')
                  if g['vpcId'] == group['vpcId'] and g['groupName'] == 'default'][:1]
    pname = pget(ctx.params, 'CacheParameterGroupName')
    if pname:
        _param_group(ctx, pname)
    else:
        pname = 'default.%s7' % engine if engine == 'redis' else 'default.memcached1.6'
    return engine, group, groups, pname.lower()


def create_cache_cluster(ctx):
    st = ctx.store
    cid = _req(ctx, 'CacheClusterId').lower()
    if st.get('eccluster', cid) is not None:
        raise _err('CacheClusterAlreadyExists', 'Cache cluster %s already exists.' % cid)
    if pget(ctx.params, 'ReplicationGroupId'):
        raise _err('InvalidParameterCombination', 'Adding a cluster to a replication group is '
                   'not supported by the emulator')
    engine, group, groups, pname = _engine_and_network(ctx)
    node_type = _req(ctx, 'CacheNodeType')
    nodes = pint(ctx.params, 'NumCacheNodes', 1)
    if engine == 'redis' and nodes != 1:
        raise _err('InvalidParameterValue', 'Cannot create a Redis cluster with a NumCacheNodes '
                   'parameter greater than 1.')
    c = _new_cluster(ctx, cid, group, groups, engine, node_type, pname,
                     pget(ctx.params, 'PreferredAvailabilityZone'), None, nodes)
    return {'CacheCluster': _cluster_out(ctx, c)}


def _cluster(ctx, cid):
    c = ctx.store.get('eccluster', (cid or '').lower())
    if c is None:
        raise _err('CacheClusterNotFound', 'CacheCluster not found: %s' % cid, 404)
    return c


def describe_cache_clusters(ctx):
    cid = pget(ctx.params, 'CacheClusterId')
    items = [_cluster(ctx, cid)] if cid else ctx.store.all('eccluster')
    if pbool(ctx.params, 'ShowCacheClustersNotInReplicationGroups', False):
        items = [c for c in items if not c['ReplicationGroupId']]
    page, marker = _page(ctx, items)
    return {'Marker': marker,
            'CacheClusters': XList('CacheCluster', [_cluster_out(ctx, c) for c in page])}


def _delete_cluster_later(st, c):
    c['CacheClusterStatus'] = 'deleting'
    c['_node_status'] = 'deleting'

    def gone():
        rds.drop_eni(st, c['_eni'])
        st.remove('eccluster', c['CacheClusterId'])
    st.later(DELETE_SECONDS, gone)


def delete_cache_cluster(ctx):
    c = _cluster(ctx, _req(ctx, 'CacheClusterId'))
    if c['ReplicationGroupId']:
        raise _err('InvalidCacheClusterState', 'Cache cluster %s is a member of replication '
                   'group %s' % (c['CacheClusterId'], c['ReplicationGroupId']))
    if c['CacheClusterStatus'] != 'available':
        raise _err('InvalidCacheClusterState', 'Cache cluster %s is not in available state.'
                   % c['CacheClusterId'])
    _delete_cluster_later(ctx.store, c)
    return {'CacheCluster': _cluster_out(ctx, c)}


# ------------------------------------------------------------------ replication groups

def _rg(ctx, rid):
    g = ctx.store.get('ecrg', (rid or '').lower())
    if g is None:
        raise _err('ReplicationGroupNotFoundFault', 'Replication group %s not found.' % rid,
                   404)
    return g


def _rg_out(ctx, g):
    st = ctx.store
    members = [st.get('eccluster', m) for m in g['_members']]
    members = [m for m in members if m is not None]
    out = {k: v for k, v in g.items() if not k.startswith('_')}
    out['MemberClusters'] = XList('ClusterId', [m['CacheClusterId'] for m in members])
    node_members = []
    for i, m in enumerate(members):
        node_members.append({'CacheClusterId': m['CacheClusterId'], 'CacheNodeId': '0001',
                             'PreferredAvailabilityZone': m['PreferredAvailabilityZone'],
                             'CurrentRole': 'primary' if i == 0 else 'replica'})
    ng = {'NodeGroupId': '0001', 'Status': g['Status'],
          'NodeGroupMembers': XList('NodeGroupMember', node_members)}
    if g['Status'] == 'available':
        ng['PrimaryEndpoint'] = {'Address': 'master.%s.%s.use1.cache.amazonaws.com'
                                 % (g['ReplicationGroupId'], g['_suffix']),
                                 'Port': g['_port']}
        ng['ReaderEndpoint'] = {'Address': 'replica.%s.%s.use1.cache.amazonaws.com'
                                % (g['ReplicationGroupId'], g['_suffix']),
                                'Port': g['_port']}
    out['NodeGroups'] = XList('NodeGroup', [ng])
    out['PendingModifiedValues'] = dict(g['_pending'])
    out['UserGroupIds'] = XList('member', [])
    out['LogDeliveryConfigurations'] = XList('LogDeliveryConfiguration', [])
    return out


def create_replication_group(ctx):
    st = ctx.store
    rid = _req(ctx, 'ReplicationGroupId').lower()
    desc = _req(ctx, 'ReplicationGroupDescription')
    if st.get('ecrg', rid) is not None:
        raise _err('ReplicationGroupAlreadyExists', 'Replication group %s already exists.' % rid)
    engine, group, groups, pname = _engine_and_network(ctx)
    if engine != 'redis':
        raise _err('InvalidParameterValue', 'Replication groups require the redis engine')
    node_type = _req(ctx, 'CacheNodeType')
    n = pint(ctx.params, 'NumCacheClusters', 1)
    if not 1 <= n <= 6:
        raise _err('InvalidParameterValue', 'NumCacheClusters must be between 1 and 6')
    failover = pbool(ctx.params, 'AutomaticFailoverEnabled', False)
    multi_az = pbool(ctx.params, 'MultiAZEnabled', False)
    if (failover or multi_az) and n < 2:
        raise _err('InvalidParameterCombination', 'Automatic failover and Multi-AZ require at '
                   'least 2 cache clusters (NumCacheClusters >= 2).')
    if multi_az and not failover:
        raise _err('InvalidParameterCombination', 'Multi-AZ requires automatic failover.')
    azs = qlist(ctx.params, 'PreferredCacheClusterAZs')
    members = []
    for i in range(n):
        cid = '%s-%03d' % (rid, i + 1)
        if st.get('eccluster', cid) is not None:
            raise _err('CacheClusterAlreadyExists', 'Cache cluster %s already exists.' % cid)
        members.append(_new_cluster(ctx, cid, group, groups, engine, node_type, pname,
                                    azs[i] if i < len(azs) else None, rid)['CacheClusterId'])
    g = {'ReplicationGroupId': rid, 'Description': desc, 'Status': 'creating',
         'AutomaticFailover': 'enabled' if failover else 'disabled',
         'MultiAZ': 'enabled' if multi_az else 'disabled', 'ClusterEnabled': False,
         'CacheNodeType': node_type, 'SnapshotRetentionLimit': pint(
             ctx.params, 'SnapshotRetentionLimit', 0),
         'SnapshotWindow': pget(ctx.params, 'SnapshotWindow', '03:00-04:00'),
         'AuthTokenEnabled': bool(pget(ctx.params, 'AuthToken')),
         'TransitEncryptionEnabled': bool(pbool(ctx.params, 'TransitEncryptionEnabled', False)),
         'AtRestEncryptionEnabled': bool(pbool(ctx.params, 'AtRestEncryptionEnabled', False)),
         'ARN': _arn(ctx, 'replicationgroup', rid),
         'ReplicationGroupCreateTime': iso_now(time.time()), 'DataTiering': 'disabled',
         'AutoMinorVersionUpgrade': True, 'NetworkType': 'ipv4', 'IpDiscovery': 'ipv4',
         '_members': members, '_pending': {}, '_port': pint(ctx.params, 'Port', 6379),
         '_suffix': st.new_id('x', 8)[2:]}
    if pget(ctx.params, 'KmsKeyId'):
        g['KmsKeyId'] = pget(ctx.params, 'KmsKeyId')
    st.add('ecrg', rid, g, qtags(ctx.params))

    def ready():
        if g['Status'] == 'creating':
            g['Status'] = 'available'
    st.later(CREATE_SECONDS + 1, ready)
    return {'ReplicationGroup': _rg_out(ctx, g)}


def describe_replication_groups(ctx):
    rid = pget(ctx.params, 'ReplicationGroupId')
    items = [_rg(ctx, rid)] if rid else ctx.store.all('ecrg')
    page, marker = _page(ctx, items)
    return {'Marker': marker,
            'ReplicationGroups': XList('ReplicationGroup', [_rg_out(ctx, g) for g in page])}


def modify_replication_group(ctx):
    st = ctx.store
    g = _rg(ctx, _req(ctx, 'ReplicationGroupId'))
    if g['Status'] != 'available':
        raise _err('InvalidReplicationGroupState', 'Replication group %s is not in available '
                   'state.' % g['ReplicationGroupId'])
    if pget(ctx.params, 'ReplicationGroupDescription') is not None:
        g['Description'] = pget(ctx.params, 'ReplicationGroupDescription')
    for k in ('SnapshotRetentionLimit',):
        if pint(ctx.params, k) is not None:
            g[k] = pint(ctx.params, k)
    if pget(ctx.params, 'SnapshotWindow'):
        g['SnapshotWindow'] = pget(ctx.params, 'SnapshotWindow')
    fo = pbool(ctx.params, 'AutomaticFailoverEnabled')
    if fo is not None:
        if fo and len(g['_members']) < 2:
            raise _err('InvalidParameterCombination', 'Automatic failover requires at least 2 '
                       'cache clusters.')
        g['AutomaticFailover'] = 'enabled' if fo else 'disabled'
    groups = qlist(ctx.params, 'SecurityGroupIds')
    if groups:
        for m in g['_members']:
            c = st.get('eccluster', m)
            rds.check_groups(ctx, groups, None)
            c['_groups'] = groups
            eni = st.get('eni', c['_eni'])
            if eni is not None:
                eni['groupSet'] = [{'groupId': x} for x in groups]
    node_type = pget(ctx.params, 'CacheNodeType')
    if node_type and node_type != g['CacheNodeType']:
        g['Status'] = 'modifying'

        def done():
            g['CacheNodeType'] = node_type
            for m in g['_members']:
                c = st.get('eccluster', m)
                if c is not None:
                    c['CacheNodeType'] = node_type
            g['Status'] = 'available'
        st.later(MODIFY_SECONDS, done)
    return {'ReplicationGroup': _rg_out(ctx, g)}


def delete_replication_group(ctx):
    st = ctx.store
    g = _rg(ctx, _req(ctx, 'ReplicationGroupId'))
    if g['Status'] != 'available':
        raise _err('InvalidReplicationGroupState', 'Replication group %s is not in available '
                   'state.' % g['ReplicationGroupId'])
    g['Status'] = 'deleting'
    for m in g['_members']:
        c = st.get('eccluster', m)
        if c is not None:
            _delete_cluster_later(st, c)
    st.later(DELETE_SECONDS + 1, lambda: st.remove('ecrg', g['ReplicationGroupId']))
    return {'ReplicationGroup': _rg_out(ctx, g)}


# ------------------------------------------------------------------ tags

def _by_arn(ctx, arn):
    for rtype, key in (('ecrg', 'ARN'), ('eccluster', 'ARN'), ('ecsubnet', 'arn'),
                       ('ecparams', 'arn')):
        for o in ctx.store.all(rtype):
            if o.get(key) == arn:
                return o
    kind = arn.split(':')[5] if arn.count(':') >= 6 else ''
    if kind == 'replicationgroup':
        raise _err('ReplicationGroupNotFoundFault', 'Replication group %s not found.' % arn,
                   404)
    if kind == 'cluster':
        raise _err('CacheClusterNotFound', 'CacheCluster not found: %s' % arn, 404)
    raise _err('InvalidARN', 'Invalid ARN: %s' % arn)


def _tag_list(o):
    return {'TagList': XList('Tag', [{'Key': k, 'Value': v} for k, v in o['_tags'].items()])}


def add_tags_to_resource(ctx):
    o = _by_arn(ctx, _req(ctx, 'ResourceName'))
    o['_tags'].update(qtags(ctx.params))
    return _tag_list(o)


def remove_tags_from_resource(ctx):
    o = _by_arn(ctx, _req(ctx, 'ResourceName'))
    for k in qlist(ctx.params, 'TagKeys'):
        if k not in o['_tags']:
            raise _err('TagNotFound', 'Tag %s not found' % k, 404)
        o['_tags'].pop(k)
    return _tag_list(o)


def list_tags_for_resource(ctx):
    return _tag_list(_by_arn(ctx, _req(ctx, 'ResourceName')))


ACTIONS = {
    'CreateCacheSubnetGroup': create_cache_subnet_group,
    'ModifyCacheSubnetGroup': modify_cache_subnet_group,
    'DescribeCacheSubnetGroups': describe_cache_subnet_groups,
    'DeleteCacheSubnetGroup': delete_cache_subnet_group,
    'CreateCacheParameterGroup': create_cache_parameter_group,
    'DescribeCacheParameterGroups': describe_cache_parameter_groups,
    'ModifyCacheParameterGroup': modify_cache_parameter_group,
    'DescribeCacheParameters': describe_cache_parameters,
    'DeleteCacheParameterGroup': delete_cache_parameter_group,
    'CreateCacheCluster': create_cache_cluster, 'DescribeCacheClusters': describe_cache_clusters,
    'DeleteCacheCluster': delete_cache_cluster,
    'CreateReplicationGroup': create_replication_group,
    'DescribeReplicationGroups': describe_replication_groups,
    'ModifyReplicationGroup': modify_replication_group,
    'DeleteReplicationGroup': delete_replication_group,
    'AddTagsToResource': add_tags_to_resource,
    'RemoveTagsFromResource': remove_tags_from_resource,
    'ListTagsForResource': list_tags_for_resource,
}


def admin_delete(st, rtype, obj):
    if rtype == 'eccluster':
        rds.drop_eni(st, obj['_eni'])
        st.remove('eccluster', obj['CacheClusterId'])
        return True
    if rtype == 'ecrg':
        for m in obj['_members']:
            c = st.get('eccluster', m)
            if c is not None:
                rds.drop_eni(st, c['_eni'])
                st.remove('eccluster', m)
        st.remove('ecrg', obj['ReplicationGroupId'])
        return True
    if rtype in ('ecsubnet', 'ecparams'):
        st.remove(rtype, obj['name'])
        return True
    return False
