"""RDS (query protocol, API 2014-10-31): DB subnet groups, DB parameter
groups, DB instances, tags.

Lifecycles (AWS-typical seconds x time scale): instance creating -> backing-up
(300 s) -> available (120 s more); modifying 60 s; deleting 240 s.  An
instance holds a network interface (with its VPC security groups) in one
subnet of its subnet group, so the subnet, the groups and the VPC cannot be
deleted under it; a subnet group in use cannot be deleted.
Store types: dbsubnet, dbparams, dbinstance (IDs = lower-case names).
"""
import time

import ec2util as U
from common import AwsError, XList, iso_now, pbool, pget, pint, qlist, qtags

SERVICE = 'rds'
PROTOCOL = 'query'
VERSION = '2014-10-31'
XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/'
CREATE_SECONDS = 300
BACKUP_SECONDS = 120
MODIFY_SECONDS = 60
DELETE_SECONDS = 240
ENGINE_PORTS = {'postgres': 5432, 'mysql': 3306, 'mariadb': 3306, 'oracle-ee': 1521,
                'sqlserver-ex': 1433, 'aurora-postgresql': 5432, 'aurora-mysql': 3306}
ENGINE_VERSIONS = {'postgres': '15.3', 'mysql': '8.0.33', 'mariadb': '10.6.14'}


def _err(code, msg, status=400):
    return AwsError(code, msg, status)


def _req(ctx, name):
    v = pget(ctx.params, name)
    if v is None or v == '':
        raise _err('MissingParameter', 'The request must contain the parameter %s' % name)
    return v


def _arn(ctx, kind, name):
    return 'arn:aws:rds:%s:%s:%s:%s' % (ctx.region, ctx.account, kind, name)


def _tags_out(obj):
    return XList('Tag', [{'Key': k, 'Value': v} for k, v in obj['_tags'].items()])


def _page(ctx, items, name='MaxRecords'):
    maxr = pint(ctx.params, name, 100)
    if not 20 <= maxr <= 100:
        raise _err('InvalidParameterValue', 'Invalid value %d for %s. Must be between 20 and '
                   '100' % (maxr, name))
    maxr = min(maxr, max(1, ctx.emu.cfg.max_page))
    start = 0
    marker = pget(ctx.params, 'Marker')
    if marker:
        try:
            start = int(marker)
        except ValueError:
            raise _err('InvalidParameterValue', 'Invalid Marker')
    page = items[start:start + maxr]
    return page, (str(start + maxr) if start + maxr < len(items) else None)


# ------------------------------------------------------------------ shared network helpers

def subnets_for_group(ctx, ids, code_invalid='InvalidSubnet', need_azs=2,
                      az_code='DBSubnetGroupDoesNotCoverEnoughAZs'):
    """EC2 subnets for a subnet group: exist, one VPC, at least need_azs zones."""
    subs = []
    for sid in ids:
        s = ctx.store.get('subnet', sid)
        if s is None:
            raise _err(code_invalid, 'Some input subnets in :[%s] are invalid.' % sid)
        subs.append(s)
    if not subs:
        raise _err('InvalidParameterValue', 'At least one subnet is required')
    if len({s['vpcId'] for s in subs}) != 1:
        raise _err('InvalidParameterValue', 'The subnets must all belong to the same VPC')
    azs = sorted({s['availabilityZone'] for s in subs})
    if len(azs) < need_azs:
        raise _err(az_code, "The subnet group doesn't meet Availability Zone (AZ) coverage "
                   "requirement. Current AZ coverage: %s. Add subnets to cover at least %d "
                   "AZs." % (', '.join(azs), need_azs))
    return subs


def new_eni(ctx, subnet_id, description, group_ids):
    import ec2
    sub = ctx.store.get('subnet', subnet_id)
    if sub is None:
        return None
    return ec2._new_eni(ctx, sub, description, 'interface', group_ids)['networkInterfaceId']


def drop_eni(st, eni_id):
    import ec2
    eni = st.get('eni', eni_id)
    if eni is not None:
        ec2._remove_eni(st, eni)


def check_groups(ctx, group_ids, vpc_id):
    for g in group_ids:
        sg = ctx.store.get('sg', g)
        if sg is None:
            raise U.not_found(g, 'sg')
        if vpc_id and sg['vpcId'] != vpc_id:
            raise _err('InvalidParameterCombination', 'The DB instance and EC2 security group '
                       'are in different VPCs.')


# ------------------------------------------------------------------ subnet groups

def _subnet_group_out(ctx, g):
    subs = []
    for sid in g['subnets']:
        s = ctx.store.get('subnet', sid)
        subs.append({'SubnetIdentifier': sid,
                     'SubnetAvailabilityZone': {'Name': s['availabilityZone'] if s else ''},
                     'SubnetOutpost': {}, 'SubnetStatus': 'Active'})
    return {'DBSubnetGroupName': g['name'], 'DBSubnetGroupDescription': g['description'],
            'VpcId': g['vpcId'], 'SubnetGroupStatus': 'Complete',
            'Subnets': XList('Subnet', subs), 'DBSubnetGroupArn': g['arn'],
            'SupportedNetworkTypes': XList('member', ['IPV4'])}


def _subnet_group(ctx, name):
    g = ctx.store.get('dbsubnet', (name or '').lower())
    if g is None:
        raise _err('DBSubnetGroupNotFoundFault', "DBSubnetGroup '%s' not found." % name, 404)
    return g


def create_db_subnet_group(ctx):
    st = ctx.store
    name = _req(ctx, 'DBSubnetGroupName').lower()
    desc = _req(ctx, 'DBSubnetGroupDescription')
    if name == 'default':
        raise _err('InvalidParameterValue', 'DBSubnetGroupName must not be "default"')
    if st.get('dbsubnet', name) is not None:
        raise _err('DBSubnetGroupAlreadyExists', 'The DB subnet group \'%s\' already exists.'
                   % name)
    subs = subnets_for_group(ctx, qlist(ctx.params, 'SubnetIds'))
    g = {'name': name, 'description': desc, 'vpcId': subs[0]['vpcId'],
         'subnets': [s['subnetId'] for s in subs], 'arn': _arn(ctx, 'subgrp', name)}
    st.add('dbsubnet', name, g, qtags(ctx.params))
    return {'DBSubnetGroup': _subnet_group_out(ctx, g)}


def modify_db_subnet_group(ctx):
    g = _subnet_group(ctx, _req(ctx, 'DBSubnetGroupName'))
    subs = subnets_for_group(ctx, qlist(ctx.params, 'SubnetIds'))
    if subs[0]['vpcId'] != g['vpcId']:
        raise _err('InvalidParameterValue', 'The new subnets are not in the same VPC')
    in_use = {i['_subnet'] for i in ctx.store.all('dbinstance')
              if i['_group'] == g['name']}
    new = [s['subnetId'] for s in subs]
    for sid in in_use:
        if sid not in new:
            raise _err('SubnetAlreadyInUse', 'Cannot remove subnet %s: it is in use' % sid)
    if pget(ctx.params, 'DBSubnetGroupDescription') is not None:
        g['description'] = pget(ctx.params, 'DBSubnetGroupDescription')
    g['subnets'] = new
    return {'DBSubnetGroup': _subnet_group_out(ctx, g)}


def describe_db_subnet_groups(ctx):
    name = pget(ctx.params, 'DBSubnetGroupName')
    items = [_subnet_group(ctx, name)] if name else ctx.store.all('dbsubnet')
    page, marker = _page(ctx, items)
    return {'Marker': marker,
            'DBSubnetGroups': XList('DBSubnetGroup', [_subnet_group_out(ctx, g) for g in page])}


def delete_db_subnet_group(ctx):
    g = _subnet_group(ctx, _req(ctx, 'DBSubnetGroupName'))
    users = [i['DBInstanceIdentifier'] for i in ctx.store.all('dbinstance')
             if i['_group'] == g['name']]
    if users:
        raise _err('InvalidDBSubnetGroupStateFault', "Cannot delete the subnet group '%s' "
                   "because at least one database instance: %s is still using it."
                   % (g['name'], users[0]))
    ctx.store.remove('dbsubnet', g['name'])
    return None


# ------------------------------------------------------------------ parameter groups

def _param_group(ctx, name):
    g = ctx.store.get('dbparams', (name or '').lower())
    if g is None:
        raise _err('DBParameterGroupNotFound', 'DBParameterGroup not found: %s' % name, 404)
    return g


def _param_group_out(g):
    return {'DBParameterGroupName': g['name'], 'DBParameterGroupFamily': g['family'],
            'Description': g['description'], 'DBParameterGroupArn': g['arn']}


def create_db_parameter_group(ctx):
    st = ctx.store
    name = _req(ctx, 'DBParameterGroupName').lower()
    if st.get('dbparams', name) is not None:
        raise _err('DBParameterGroupAlreadyExists', 'Parameter group %s already exists' % name)
    g = {'name': name, 'family': _req(ctx, 'DBParameterGroupFamily'),
         'description': _req(ctx, 'Description'), 'arn': _arn(ctx, 'pg', name), 'params': {}}
    st.add('dbparams', name, g, qtags(ctx.params))
    return {'DBParameterGroup': _param_group_out(g)}


def describe_db_parameter_groups(ctx):
    name = pget(ctx.params, 'DBParameterGroupName')
    items = [_param_group(ctx, name)] if name else ctx.store.all('dbparams')
    page, marker = _page(ctx, items)
    return {'Marker': marker, 'DBParameterGroups': XList('DBParameterGroup', [
        _param_group_out(g) for g in page])}


def modify_db_parameter_group(ctx):
    g = _param_group(ctx, _req(ctx, 'DBParameterGroupName'))
    items = qlist(ctx.params, 'Parameters')
    if not items:
        raise _err('MissingParameter', 'The request must contain the parameter Parameters')
    for p in items:
        name = pget(p, 'ParameterName')
        g['params'][name] = {'ParameterName': name, 'ParameterValue': pget(p, 'ParameterValue'),
                             'ApplyMethod': pget(p, 'ApplyMethod', 'immediate'),
                             'Source': 'user', 'IsModifiable': True}
    return {'DBParameterGroupName': g['name']}


def describe_db_parameters(ctx):
    g = _param_group(ctx, _req(ctx, 'DBParameterGroupName'))
    items = list(g['params'].values())
    page, marker = _page(ctx, items)
    return {'Parameters': XList('Parameter', page), 'Marker': marker}


def delete_db_parameter_group(ctx):
    g = _param_group(ctx, _req(ctx, 'DBParameterGroupName'))
    if any(i['_params'] == g['name'] for i in ctx.store.all('dbinstance')):
        raise _err('InvalidDBParameterGroupState', 'One or more database instances are still '
                   'members of this parameter group %s, so the group cannot be deleted'
                   % g['name'])
    ctx.store.remove('dbparams', g['name'])
    return None


# ------------------------------------------------------------------ instances

def _instance(ctx, ident):
    i = ctx.store.get('dbinstance', (ident or '').lower())
    if i is None:
        raise _err('DBInstanceNotFound', 'DBInstance %s not found.' % ident, 404)
    return i


def _instance_out(ctx, i):
    out = {k: v for k, v in i.items() if not k.startswith('_')}
    out['VpcSecurityGroups'] = XList('VpcSecurityGroupMembership', [
        {'VpcSecurityGroupId': g, 'Status': 'active'} for g in i['_groups']])
    out['DBParameterGroups'] = XList('DBParameterGroup', [
        {'DBParameterGroupName': i['_params'], 'ParameterApplyStatus': 'in-sync'}])
    g = ctx.store.get('dbsubnet', i['_group'])
    if g is not None:
        out['DBSubnetGroup'] = _subnet_group_out(ctx, g)
    out['PendingModifiedValues'] = dict(i['_pending'])
    out['TagList'] = _tags_out(i)
    return out


def create_db_instance(ctx):
    st = ctx.store
    ident = _req(ctx, 'DBInstanceIdentifier').lower()
    cls = _req(ctx, 'DBInstanceClass')
    engine = _req(ctx, 'Engine')
    if st.get('dbinstance', ident) is not None:
        raise _err('DBInstanceAlreadyExists', 'DB instance already exists')
    if engine not in ENGINE_PORTS:
        raise _err('InvalidParameterValue', 'Invalid DB engine: %s' % engine)
    storage = pint(ctx.params, 'AllocatedStorage')
    if storage is None and not engine.startswith('aurora'):
        raise _err('InvalidParameterValue', 'Invalid storage size for engine name %s and '
                   'storage type gp2: null' % engine)
    if not engine.startswith('aurora') and not pget(ctx.params, 'MasterUserPassword') and \
            not pbool(ctx.params, 'ManageMasterUserPassword'):
        raise _err('InvalidParameterValue', 'The parameter MasterUserPassword must be provided '
                   'and must not be blank.')
    gname = pget(ctx.params, 'DBSubnetGroupName')
    if not gname:
        raise _err('InvalidParameterCombination', 'No default subnet detected in VPC. Please '
                   'contact AWS Support to recreate default Subnets.')
    group = _subnet_group(ctx, gname)
    sgs = qlist(ctx.params, 'VpcSecurityGroupIds')
    check_groups(ctx, sgs, group['vpcId'])
    if not sgs:
        dflt = [g['groupId'] for g in st.all('sg')
                if g['vpcId'] == group['vpcId'] and g['groupName'] == 'default']
        sgs = dflt[:1]
    pname = (pget(ctx.params, 'DBParameterGroupName') or
             'default.%s' % engine).lower()
    if pget(ctx.params, 'DBParameterGroupName'):
        _param_group(ctx, pname)
    az = pget(ctx.params, 'AvailabilityZone')
    subnet = None
    for sid in group['subnets']:
        s = st.get('subnet', sid)
        if s and (az is None or s['availabilityZone'] == az):
            subnet = s
            break
    if subnet is None:
        raise _err('InvalidParameterCombination', 'No subnet of the DB subnet group is in %s'
                   % az)
    port = pint(ctx.params, 'Port', ENGINE_PORTS[engine])
    eni = new_eni(ctx, subnet['subnetId'], 'RDSNetworkInterface', sgs)
    now = time.time()
    rid = 'db-' + st.new_id('x', 26)[2:].upper()
    i = {
        'DBInstanceIdentifier': ident, 'DBInstanceClass': cls, 'Engine': engine,
        'DBInstanceStatus': 'creating',
        'MasterUsername': pget(ctx.params, 'MasterUsername', 'admin'),
        'DBName': pget(ctx.params, 'DBName'),
        'AllocatedStorage': storage or 1,
        'PreferredBackupWindow': pget(ctx.params, 'PreferredBackupWindow', '03:00-03:30'),
        'BackupRetentionPeriod': pint(ctx.params, 'BackupRetentionPeriod', 1),
        'AvailabilityZone': subnet['availabilityZone'],
        'PreferredMaintenanceWindow': pget(ctx.params, 'PreferredMaintenanceWindow',
                                           'sun:05:00-sun:05:30'),
        'MultiAZ': bool(pbool(ctx.params, 'MultiAZ', False)),
        'EngineVersion': pget(ctx.params, 'EngineVersion', ENGINE_VERSIONS.get(engine, '1.0')),
        'AutoMinorVersionUpgrade': bool(pbool(ctx.params, 'AutoMinorVersionUpgrade', True)),
        'LicenseModel': 'postgresql-license' if engine == 'postgres' else
        'general-public-license',
        'PubliclyAccessible': bool(pbool(ctx.params, 'PubliclyAccessible', False)),
        'StorageType': pget(ctx.params, 'StorageType', 'gp2'),
        'DbInstancePort': 0,
        'StorageEncrypted': bool(pbool(ctx.params, 'StorageEncrypted', False)),
        'DbiResourceId': rid,
        'CACertificateIdentifier': 'rds-ca-2019',
        'CopyTagsToSnapshot': bool(pbool(ctx.params, 'CopyTagsToSnapshot', False)),
        'MonitoringInterval': pint(ctx.params, 'MonitoringInterval', 0),
        'DBInstanceArn': _arn(ctx, 'db', ident),
        'IAMDatabaseAuthenticationEnabled': bool(pbool(
            ctx.params, 'EnableIAMDatabaseAuthentication', False)),
        'PerformanceInsightsEnabled': bool(pbool(ctx.params, 'EnablePerformanceInsights',
                                                 False)),
        'DeletionProtection': bool(pbool(ctx.params, 'DeletionProtection', False)),
        'MaxAllocatedStorage': pint(ctx.params, 'MaxAllocatedStorage'),
        'NetworkType': 'IPV4',
        '_groups': sgs, '_group': group['name'], '_params': pname, '_eni': eni,
        '_subnet': subnet['subnetId'], '_pending': {}, '_port': port,
    }
    if pget(ctx.params, 'KmsKeyId'):
        i['KmsKeyId'] = pget(ctx.params, 'KmsKeyId')
    st.add('dbinstance', ident, i, qtags(ctx.params))
    out = _instance_out(ctx, i)

    def backing_up():
        if i['DBInstanceStatus'] != 'creating':
            return
        i['DBInstanceStatus'] = 'backing-up'
        i['InstanceCreateTime'] = iso_now(now)
        i['Endpoint'] = {'Address': '%s.c%s.%s.rds.amazonaws.com' % (
            ident, rid[3:13].lower(), ctx.region), 'Port': port,
            'HostedZoneId': 'Z2R2ITUGPM61AM'}
        st.later(BACKUP_SECONDS, available)

    def available():
        if i['DBInstanceStatus'] == 'backing-up':
            i['DBInstanceStatus'] = 'available'
            i['LatestRestorableTime'] = iso_now(time.time())
    st.later(CREATE_SECONDS, backing_up)
    return {'DBInstance': out}


RDS_FILTERS = {
    'db-instance-id': lambda o: [o['DBInstanceIdentifier'], o['DBInstanceArn']],
    'dbi-resource-id': lambda o: o['DbiResourceId'], 'engine': lambda o: o['Engine'],
    'db-cluster-id': lambda o: o.get('DBClusterIdentifier'),
    'domain': lambda o: None,
}


def describe_db_instances(ctx):
    ident = pget(ctx.params, 'DBInstanceIdentifier')
    items = [_instance(ctx, ident)] if ident else ctx.store.all('dbinstance')
    items = [i for i in items if ctx.store.visible(i)]
    if ident and not items:
        raise _err('DBInstanceNotFound', 'DBInstance %s not found.' % ident, 404)
    for f in qlist(ctx.params, 'Filters'):
        name = pget(f, 'Name')
        if name not in RDS_FILTERS:
            raise _err('InvalidParameterValue', 'Unrecognized filter name: %s' % name)
        vals = set(qlist(f, 'Values'))
        fn = RDS_FILTERS[name]
        items = [i for i in items if set(v for v in (fn(i) if isinstance(fn(i), list)
                                                      else [fn(i)]) if v) & vals]
    page, marker = _page(ctx, items)
    return {'Marker': marker,
            'DBInstances': XList('DBInstance', [_instance_out(ctx, i) for i in page])}


MODIFIABLE = {'DBInstanceClass': str, 'AllocatedStorage': int, 'BackupRetentionPeriod': int,
              'PreferredBackupWindow': str, 'PreferredMaintenanceWindow': str,
              'EngineVersion': str, 'MultiAZ': bool, 'StorageType': str,
              'PubliclyAccessible': bool, 'DeletionProtection': bool,
              'AutoMinorVersionUpgrade': bool, 'CopyTagsToSnapshot': bool,
              'MaxAllocatedStorage': int, 'MonitoringInterval': int}


def modify_db_instance(ctx):
    st = ctx.store
    i = _instance(ctx, _req(ctx, 'DBInstanceIdentifier'))
    if i['DBInstanceStatus'] != 'available':
        raise _err('InvalidDBInstanceState', 'Database instance is not in available state.')
    changes = {}
    for k, typ in MODIFIABLE.items():
        if k in ctx.params:
            if typ is bool:
                changes[k] = bool(pbool(ctx.params, k))
            elif typ is int:
                changes[k] = pint(ctx.params, k)
            else:
                changes[k] = pget(ctx.params, k)
    groups = qlist(ctx.params, 'VpcSecurityGroupIds')
    if groups:
        check_groups(ctx, groups, st.get('dbsubnet', i['_group'])['vpcId'])
    if pget(ctx.params, 'DBParameterGroupName'):
        _param_group(ctx, pget(ctx.params, 'DBParameterGroupName'))
    if pget(ctx.params, 'MasterUserPassword'):
        changes['_password'] = True
    if not changes and not groups and not pget(ctx.params, 'DBParameterGroupName'):
        return {'DBInstance': _instance_out(ctx, i)}
    # Immediate, visible changes (AWS applies these without a reboot).
    for k in ('DeletionProtection', 'BackupRetentionPeriod', 'CopyTagsToSnapshot',
              'AutoMinorVersionUpgrade', 'PreferredBackupWindow',
              'PreferredMaintenanceWindow', 'MaxAllocatedStorage', 'MonitoringInterval'):
        if k in changes:
            i[k] = changes.pop(k)
    if groups:
        i['_groups'] = groups
        eni = st.get('eni', i['_eni'])
        if eni is not None:
            eni['groupSet'] = [{'groupId': g} for g in groups]
    if pget(ctx.params, 'DBParameterGroupName'):
        i['_params'] = pget(ctx.params, 'DBParameterGroupName').lower()
    changes.pop('_password', None)
    if changes:
        i['DBInstanceStatus'] = 'modifying'
        i['_pending'] = {k: v for k, v in changes.items()
                         if k in ('DBInstanceClass', 'AllocatedStorage', 'EngineVersion',
                                  'MultiAZ', 'StorageType')}
        if pbool(ctx.params, 'ApplyImmediately', False) or not i['_pending']:
            def done():
                i.update(changes)
                i['_pending'] = {}
                if i['DBInstanceStatus'] == 'modifying':
                    i['DBInstanceStatus'] = 'available'
            st.later(MODIFY_SECONDS, done)
        else:
            for k, v in changes.items():
                if k not in i['_pending']:
                    i[k] = v
            i['DBInstanceStatus'] = 'available'
    return {'DBInstance': _instance_out(ctx, i)}


def delete_db_instance(ctx):
    st = ctx.store
    i = _instance(ctx, _req(ctx, 'DBInstanceIdentifier'))
    if i['DeletionProtection']:
        raise _err('InvalidParameterCombination', 'Cannot delete protected DB Instance, please '
                   'disable deletion protection and try again.')
    skip = pbool(ctx.params, 'SkipFinalSnapshot', False)
    final = pget(ctx.params, 'FinalDBSnapshotIdentifier')
    if not skip and not final:
        raise _err('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required '
                   'unless SkipFinalSnapshot is specified.')
    if skip and final:
        raise _err('InvalidParameterCombination', 'Cannot specify both SkipFinalSnapshot and '
                   'FinalDBSnapshotIdentifier')
    if i['DBInstanceStatus'] == 'deleting':
        raise _err('InvalidDBInstanceState', 'Instance %s is already being deleted.'
                   % i['DBInstanceIdentifier'])
    if i['DBInstanceStatus'] in ('creating', 'modifying', 'backing-up') and not skip:
        raise _err('InvalidDBInstanceState', 'Instance is currently %s - a final snapshot '
                   'cannot be taken.' % i['DBInstanceStatus'])
    i['DBInstanceStatus'] = 'deleting'

    def gone():
        drop_eni(st, i['_eni'])
        st.remove('dbinstance', i['DBInstanceIdentifier'])
    st.later(DELETE_SECONDS, gone)
    return {'DBInstance': _instance_out(ctx, i)}


# ------------------------------------------------------------------ tags

def _by_arn(ctx, arn):
    for rtype, key in (('dbinstance', 'DBInstanceArn'), ('dbsubnet', 'arn'),
                       ('dbparams', 'arn')):
        for o in ctx.store.all(rtype):
            if o.get(key) == arn:
                return o
    kind = arn.split(':')[5] if arn.count(':') >= 6 else ''
    if kind == 'db':
        raise _err('DBInstanceNotFound', 'DBInstance %s not found.' % arn, 404)
    if kind == 'subgrp':
        raise _err('DBSubnetGroupNotFoundFault', 'DBSubnetGroup %s not found.' % arn, 404)
    raise _err('InvalidParameterValue', 'Invalid resource name: %s' % arn)


def add_tags_to_resource(ctx):
    _by_arn(ctx, _req(ctx, 'ResourceName'))['_tags'].update(qtags(ctx.params))
    return None


def remove_tags_from_resource(ctx):
    o = _by_arn(ctx, _req(ctx, 'ResourceName'))
    for k in qlist(ctx.params, 'TagKeys'):
        o['_tags'].pop(k, None)
    return None


def list_tags_for_resource(ctx):
    return {'TagList': _tags_out(_by_arn(ctx, _req(ctx, 'ResourceName')))}


ACTIONS = {
    'CreateDBSubnetGroup': create_db_subnet_group,
    'ModifyDBSubnetGroup': modify_db_subnet_group,
    'DescribeDBSubnetGroups': describe_db_subnet_groups,
    'DeleteDBSubnetGroup': delete_db_subnet_group,
    'CreateDBParameterGroup': create_db_parameter_group,
    'DescribeDBParameterGroups': describe_db_parameter_groups,
    'ModifyDBParameterGroup': modify_db_parameter_group,
    'DescribeDBParameters': describe_db_parameters,
    'DeleteDBParameterGroup': delete_db_parameter_group,
    'CreateDBInstance': create_db_instance, 'DescribeDBInstances': describe_db_instances,
    'ModifyDBInstance': modify_db_instance, 'DeleteDBInstance': delete_db_instance,
    'AddTagsToResource': add_tags_to_resource,
    'RemoveTagsFromResource': remove_tags_from_resource,
    'ListTagsForResource': list_tags_for_resource,
}


def admin_delete(st, rtype, obj):
    if rtype == 'dbinstance':
        drop_eni(st, obj['_eni'])
        st.remove('dbinstance', obj['DBInstanceIdentifier'])
        return True
    if rtype in ('dbsubnet', 'dbparams'):
        st.remove(rtype, obj['name'])
        return True
    return False

