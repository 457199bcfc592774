"""The admin interface: drift (tag change, deletion behind the client's
back), fault injection per protocol, latency, dropped connections, the call
log (admin and --log file), direct calls, reset, state dump."""
import json
import os
import threading
import time

from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = 'awsemu.admin'
ec2 = client('ec2')


def test_drift():
    vid = ec2.create_vpc(CidrBlock='10.20.0.0/16')['Vpc']['VpcId']
    sid = ec2.create_subnet(VpcId=vid, CidrBlock='10.20.1.0/24',
                            TagSpecifications=[{'ResourceType': 'subnet', 'Tags': [
                                {'Key': 'Name', 'Value': 'a'}]}])['Subnet']['SubnetId']
    r = T.admin('/_emu/update', {'id': sid, 'tags': {'Name': 'drifted', 'extra': 'x'}})
    check('drift.update_ok', r.get('ok') and r.get('type') == 'subnet', r)
    s = ec2.describe_subnets(SubnetIds=[sid])['Subnets'][0]
    check('drift.tag_changed', {t['Key']: t['Value'] for t in s['Tags']} ==
          {'Name': 'drifted', 'extra': 'x'}, s)
    T.admin('/_emu/update', {'id': sid, 'untag': ['extra'],
                             'set': {'mapPublicIpOnLaunch': True}})
    s = ec2.describe_subnets(SubnetIds=[sid])['Subnets'][0]
    check('drift.untag_and_set_field', s['MapPublicIpOnLaunch'] is True
          and [t['Key'] for t in s['Tags']] == ['Name'], s)
    T.admin('/_emu/update', {'id': vid, 'set': {'_attrs.enableDnsHostnames': True}})
    a = ec2.describe_vpc_attribute(VpcId=vid, Attribute='enableDnsHostnames')
    check('drift.vpc_attribute', a['EnableDnsHostnames']['Value'] is True, a)
    r = T.admin('/_emu/update', {'id': vid, 'set': {'_tags': {}}})
    check('drift.private_field_rejected', 'error' in r, r)
    r = T.admin('/_emu/delete', {'id': sid})
    check('drift.delete_ok', r.get('ok'), r)
    expect_error('drift.deleted_subnet_not_found', 'InvalidSubnetID.NotFound',
                 ec2.describe_subnets, SubnetIds=[sid])
    r = T.admin('/_emu/delete', {'id': sid})
    check('drift.delete_unknown_404', 'error' in r, r)
    res = T.admin('/_emu/resources?type=vpc')
    check('admin.resources_by_type', [x['vpcId'] for x in res] == [vid], res)
    state = T.admin('/_emu/state')
    check('admin.state_dump', vid in [v['vpcId'] for v in state.get('vpc', [])]
          and 'rtb' in state and 'sg' in state, list(state))
    s2 = ec2.create_subnet(VpcId=vid, CidrBlock='10.20.2.0/24')['Subnet']['SubnetId']
    T.admin('/_emu/delete', {'id': vid})
    expect_error('drift.vpc_delete_cascades', 'InvalidSubnetID.NotFound',
                 ec2.describe_subnets, SubnetIds=[s2])
    check('drift.vpc_delete_leaves_nothing',
          all(not v for k, v in T.admin('/_emu/state').items() if k != 'dopt'),
          T.admin('/_emu/state'))


def test_direct_call():
    r = T.admin('/_emu/call', {'service': 'ec2', 'action': 'CreateVpc',
                               'params': {'CidrBlock': '10.30.0.0/16',
                                          'TagSpecification.1.ResourceType': 'vpc',
                                          'TagSpecification.1.Tag.1.Key': 'Name',
                                          'TagSpecification.1.Tag.1.Value': 'outside'}})
    check('call.status', r.get('status') == 200 and '<vpcId>vpc-' in r.get('body', ''), r)
    v = ec2.describe_vpcs(Filters=[{'Name': 'tag:Name', 'Values': ['outside']}])['Vpcs']
    check('call.visible_to_clients', len(v) == 1 and v[0]['CidrBlock'] == '10.30.0.0/16', v)
    r = T.admin('/_emu/call', {'service': 'ec2', 'action': 'DeleteVpc',
                               'params': {'VpcId': 'vpc-0123456789abcdef0'}})
    check('call.error_rendered', r.get('status') == 400 and 'InvalidVpcID.NotFound' in r['body'],
          r)
    ec2.delete_vpc(VpcId=v[0]['VpcId'])


def _with_faults(settings, fn):
    T.admin('/_emu/faults', settings)
    try:
        return fn()
    finally:
        T.admin('/_emu/faults', {'throttle_rate': 0, 'error_rate': 0, 'drop_rate': 0,
                                 'error_after_rate': 0, 'latency_ms': 0, 'services': [],
                                 'actions': [], 'error_status': 500, 'drop_after_rate': 0,
                                 'rate_limit': 0, 'rate_burst': 0})


def test_throttling_per_protocol():
    _with_faults({'throttle_rate': 1.0}, lambda: (
        expect_error('faults.throttle_ec2', 'RequestLimitExceeded', ec2.describe_vpcs,
                     status=503),
        expect_error('faults.throttle_query', 'Throttling', client('sts').get_caller_identity,
                     status=400),
        expect_error('faults.throttle_s3', 'SlowDown', client('s3').list_buckets, status=503)))
    check('faults.throttle_logged', T.count(fault='throttle') >= 3)
    check('faults.cleared', 'Vpcs' in ec2.describe_vpcs())


def test_server_errors():
    _with_faults({'error_rate': 1.0}, lambda: (
        expect_error('faults.error_ec2', 'InternalError', ec2.describe_vpcs, status=500),
        expect_error('faults.error_query', 'InternalFailure',
                     client('sts').get_caller_identity, status=500)))
    _with_faults({'error_rate': 1.0, 'error_status': 503}, lambda: expect_error(
        'faults.error_503_ec2', 'Unavailable', ec2.describe_vpcs, status=503))


def test_error_after_effect():
    def go():
        e = error_of(ec2.create_vpc, CidrBlock='10.40.0.0/16')
        check('faults.error_after_returns_500', e is not None and e[1] == 500, e)
    _with_faults({'error_after_rate': 1.0, 'actions': ['CreateVpc']}, go)
    v = ec2.describe_vpcs(Filters=[{'Name': 'cidr', 'Values': ['10.40.0.0/16']}])['Vpcs']
    check('faults.error_after_took_effect', len(v) == 1, v)
    for x in v:
        ec2.delete_vpc(VpcId=x['VpcId'])


def test_scoped_faults():
    def go():
        expect_error('faults.scoped_to_action', 'RequestLimitExceeded', ec2.describe_subnets)
        check('faults.other_actions_unaffected', 'Vpcs' in ec2.describe_vpcs())
    _with_faults({'throttle_rate': 1.0, 'actions': ['DescribeSubnets']}, go)


def test_partial_rates_and_retries():
    def go():
        seen = {'ok': 0, 'RequestLimitExceeded': 0, 'InternalError': 0, 'other': 0}
        for _ in range(200):
            for _attempt in range(50):
                e = error_of(ec2.describe_vpcs)
                if e is None:
                    seen['ok'] += 1
                    break
                seen[e[0] if e[0] in seen else 'other'] += 1
        return seen
    seen = _with_faults({'throttle_rate': 0.3, 'error_rate': 0.05}, go)
    total = sum(seen.values())
    check('faults.partial_rates_all_succeed', seen['ok'] == 200 and seen['other'] == 0, seen)
    check('faults.partial_throttle_rate', 0.2 < seen['RequestLimitExceeded'] / total < 0.4, seen)
    check('faults.partial_error_rate', 0.01 < seen['InternalError'] / total < 0.1, seen)


def test_rate_limit():
    def blast():
        out = []

        def worker():
            c = client('ec2')
            for _ in range(10):
                out.append(error_of(c.describe_vpcs))
        ts = [threading.Thread(target=worker) for _ in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return out

    def paced():
        out = []
        for _ in range(6):
            out.append(error_of(ec2.describe_vpcs))
            time.sleep(0.2)
        return out

    def go():
        fast = blast()
        time.sleep(0.5)
        slow = paced()
        return fast, slow
    fast, slow = _with_faults({'rate_limit': 10, 'rate_burst': 3}, go)
    nfast = sum(1 for e in fast if e and e[0] == 'RequestLimitExceeded')
    nslow = sum(1 for e in slow if e is not None)
    check('faults.rate_limit_throttles_bursts', nfast >= 10, nfast)
    check('faults.rate_limit_spares_slow_clients', nslow == 0, slow)
    check('faults.rate_limit_logged', T.count(fault='rate_limit') == nfast)


def test_drop_after_effect():
    def go():
        try:
            ec2.create_vpc(CidrBlock='10.41.0.0/16')
        except Exception as e:
            return type(e).__name__
        return None
    got = _with_faults({'drop_after_rate': 1.0, 'actions': ['CreateVpc']}, go)
    check('faults.drop_after_no_response', got is not None and got != 'ClientError', got)
    v = ec2.describe_vpcs(Filters=[{'Name': 'cidr', 'Values': ['10.41.0.0/16']}])['Vpcs']
    check('faults.drop_after_took_effect', len(v) == 1, v)
    for x in v:
        ec2.delete_vpc(VpcId=x['VpcId'])


def test_latency():
    def go():
        t0 = time.time()
        ec2.describe_vpcs()
        return time.time() - t0
    took = _with_faults({'latency_ms': 300}, go)
    check('faults.latency', took >= 0.3, took)


def test_drop():
    def go():
        try:
            ec2.describe_vpcs()
        except (ConnectionClosedError, EndpointConnectionError) as e:
            return type(e).__name__
        except Exception as e:   # other connection-level errors count too
            return 'other:' + type(e).__name__
        return None
    got = _with_faults({'drop_rate': 1.0}, go)
    check('faults.drop_connection', got is not None and not got.startswith('ClientError'), got)
    check('faults.drop_logged', T.count(fault='drop') >= 1)
    check('faults.after_drop_ok', 'Vpcs' in ec2.describe_vpcs())


def test_bad_fault_setting():
    r = T.admin('/_emu/faults', {'throttle_rate': 2})
    check('faults.rate_validated', 'error' in r, r)
    r = T.admin('/_emu/faults', {'nonsense': 1})
    check('faults.unknown_setting_rejected', 'error' in r, r)


def test_call_log():
    T.admin('/_emu/calls/reset', {})
    ec2.describe_vpcs()
    ec2.describe_subnets()
    expect_error('log.error_call', 'InvalidVpcID.NotFound', ec2.describe_vpcs,
                 VpcIds=['vpc-00000000000000001'])
    entries = T.calls(service='ec2')
    check('log.entries', [e['action'] for e in entries] ==
          ['DescribeVpcs', 'DescribeSubnets', 'DescribeVpcs'], entries)
    e = entries[-1]
    check('log.fields', e['status'] == 400 and e['code'] == 'InvalidVpcID.NotFound'
          and len(e['request_id']) == 36 and e['service'] == 'ec2' and 't' in e, e)
    check('log.count_filter', T.count(action='DescribeVpcs') == 2
          and T.count(action='DescribeVpcs', status=200) == 1)
    check('log.count_by_code', T.count(code='InvalidVpcID.NotFound') == 1)
    st = T.admin('/_emu/calls/stats?service=ec2')
    check('log.stats', st.get('ec2.DescribeVpcs', {}).get('calls') == 2
          and st['ec2.DescribeVpcs']['errors'] == 1
          and st.get('ec2.DescribeSubnets', {}).get('calls') == 1, st)
    since = entries[1]['seq']
    check('log.since', [x['action'] for x in T.calls(since=since)] ==
          ['DescribeSubnets', 'DescribeVpcs'])
    path = os.environ.get('EMU_LOG')
    if path:
        with open(path) as f:
            lines = [json.loads(x) for x in f if x.strip()]
        rids = {x['request_id'] for x in lines}
        check('log.file_has_calls', all(x['request_id'] in rids for x in entries),
              len(lines))
        check('log.file_has_no_secrets', all(T.SECRET not in x and T.KEY not in x
                                             for x in open(path)))


def test_reset_and_config():
    ec2.create_vpc(CidrBlock='10.50.0.0/16')
    T.admin('/_emu/credentials', {'access_key': 'AKIACAIRNADMINKEY002', 'secret_key': 's2'})
    T.admin('/_emu/config', {'time_scale': 0.5})
    check('config.changed', T.admin('/_emu/config')['time_scale'] == 0.5)
    T.admin('/_emu/reset', {})
    check('reset.no_resources', ec2.describe_vpcs()['Vpcs'] == [])
    check('reset.config_restored', T.admin('/_emu/config')['time_scale'] == 0.01)
    ident = client('sts', key='AKIACAIRNADMINKEY002', secret='s2').get_caller_identity()
    check('reset.keeps_credentials', ident['Account'] == '123456789012', ident)
    r = T.admin('/_emu/nowhere')
    check('admin.unknown_route_404', 'error' in r, r)
    check('admin.health', T.admin('/_emu/health') == {'ok': True})


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
