"""Elastic Load Balancing v2 (query protocol, API 2015-12-01): load
balancers, target groups, listeners and their rules, attributes, targets,
tags.

Lifecycle: a load balancer is "provisioning" for 180 s (x time scale), then
"active".  It holds one network interface per subnet (with its security
groups); after DeleteLoadBalancer the interfaces linger 60 s, as AWS's do,
so deleting the subnets at once fails with DependencyViolation.  A target
group used by a listener or rule cannot be deleted (ResourceInUse).
Store types: elb, elbtg, elblistener (IDs = ARNs).
"""
import time

import rds
from common import AwsError, iso_now, pbool, pget, pint, qlist, qtags

SERVICE = 'elasticloadbalancing'
PROTOCOL = 'query'
VERSION = '2015-12-01'
XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/'
PROVISION_SECONDS = 180
ENI_LINGER_SECONDS = 60
LB_ATTRS = {'deletion_protection.enabled': 'false', 'idle_timeout.timeout_seconds': '60',
            'routing.http2.enabled': 'true', 'access_logs.s3.enabled': 'false',
            'access_logs.s3.bucket': '', 'access_logs.s3.prefix': '',
            'routing.http.drop_invalid_header_fields.enabled': 'false'}
TG_ATTRS = {'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false',
            'stickiness.type': 'lb_cookie', 'load_balancing.algorithm.type': 'round_robin',
            'slow_start.duration_seconds': '0'}


def _err(code, msg, status=400):
    return AwsError(code, msg, status)


def _req(ctx, name):
    v = pget(ctx.params, name)
    if v is None or v == '':
        raise _err('ValidationError', "1 validation error detected: Value null at '%s' "
                   "failed to satisfy constraint: Member must not be null"
                   % (name[:1].lower() + name[1:]))
    return v


def _page(ctx, items):
    size = pint(ctx.params, 'PageSize', 400)
    if not 1 <= size <= 400:
        raise _err('ValidationError', 'PageSize must be between 1 and 400')
    size = min(size, max(1, ctx.emu.cfg.max_page))
    start = int(pget(ctx.params, 'Marker') or 0)
    page = items[start:start + size]
    return page, (str(start + size) if start + size < len(items) else None)


def _rid(st):
    return st.new_id('x', 18)[2:]


# ------------------------------------------------------------------ load balancers

def _lb(ctx, arn):
    lb = ctx.store.get('elb', arn)
    if lb is None:
        raise _err('LoadBalancerNotFound', "One or more load balancers not found")
    return lb


def _lb_out(lb):
    out = {k: v for k, v in lb.items() if not k.startswith('_')}
    return out


def create_load_balancer(ctx):
    st = ctx.store
    name = _req(ctx, 'Name')
    lbtype = pget(ctx.params, 'Type', 'application')
    scheme = pget(ctx.params, 'Scheme', 'internet-facing')
    ids = qlist(ctx.params, 'Subnets') or [pget(m, 'SubnetId') for m in
                                           qlist(ctx.params, 'SubnetMappings')]
    subs = []
    for sid in ids:
        s = st.get('subnet', sid)
        if s is None:
            raise _err('SubnetNotFound', "The subnet ID '%s' is not valid" % sid)
        subs.append(s)
    groups = qlist(ctx.params, 'SecurityGroups')
    for lb in st.all('elb'):
        if lb['LoadBalancerName'] == name:
            if sorted(lb['_subnets']) == sorted(ids) and lb['Scheme'] == scheme:
                return {'LoadBalancers': [_lb_out(lb)]}
            raise _err('DuplicateLoadBalancerName', "A load balancer with the same name '%s' "
                       'exists, but with different settings' % name)
    if not subs:
        raise _err('ValidationError', 'At least one subnet must be specified')
    if len({s['vpcId'] for s in subs}) != 1:
        raise _err('InvalidConfigurationRequest', 'All subnets must belong to the same VPC')
    vid = subs[0]['vpcId']
    if lbtype == 'application' and len({s['availabilityZone'] for s in subs}) < 2:
        raise _err('InvalidConfigurationRequest', 'At least two subnets in two different '
                   'Availability Zones must be specified')
    if scheme == 'internet-facing' and not any(
            a['vpcId'] == vid for g in st.all('igw') for a in g['attachmentSet']):
        raise _err('InvalidSubnet', 'VPC %s has no internet gateway' % vid)
    for g in groups:
        sg = st.get('sg', g)
        if sg is None or sg['vpcId'] != vid:
            raise _err('InvalidSecurityGroup', "Security group '%s' does not exist" % g)
    if lbtype == 'application' and not groups:
        groups = [g['groupId'] for g in st.all('sg')
                  if g['vpcId'] == vid and g['groupName'] == 'default'][:1]
    short = 'app' if lbtype == 'application' else 'net'
    rid = _rid(st)
    arn = 'arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s/%s/%s' % (
        ctx.region, ctx.account, short, name, rid)
    dns = '%s%s-%s.%s.elb.amazonaws.com' % ('internal-' if scheme == 'internal' else '',
                                             name, rid[:10], ctx.region)
    enis = [rds.new_eni(ctx, s['subnetId'], 'ELB %s/%s/%s' % (short, name, rid), groups)
            for s in subs]
    lb = {'LoadBalancerArn': arn, 'DNSName': dns, 'CanonicalHostedZoneId': 'Z35SXDOTRQ7X7K',
          'CreatedTime': iso_now(time.time()), 'LoadBalancerName': name, 'Scheme': scheme,
          'VpcId': vid, 'State': {'Code': 'provisioning'}, 'Type': lbtype,
          'AvailabilityZones': [{'ZoneName': s['availabilityZone'], 'SubnetId': s['subnetId'],
                                 'LoadBalancerAddresses': []} for s in subs],
          'SecurityGroups': groups if lbtype == 'application' else None,
          'IpAddressType': pget(ctx.params, 'IpAddressType', 'ipv4'),
          '_subnets': ids, '_enis': enis, '_attrs': dict(LB_ATTRS)}
    st.add('elb', arn, lb, qtags(ctx.params))

    def active():
        if lb['State']['Code'] == 'provisioning':
            lb['State'] = {'Code': 'active'}
    st.later(PROVISION_SECONDS, active)
    return {'LoadBalancers': [_lb_out(lb)]}


def describe_load_balancers(ctx):
    st = ctx.store
    arns = qlist(ctx.params, 'LoadBalancerArns')
    names = qlist(ctx.params, 'Names')
    items = [o for o in st.all('elb') if st.visible(o)]
    if arns:
        for a in arns:
            if not any(o['LoadBalancerArn'] == a for o in items):
                raise _err('LoadBalancerNotFound', "Load balancers '[%s]' not found" % a)
        items = [o for o in items if o['LoadBalancerArn'] in arns]
    if names:
        for n in names:
            if not any(o['LoadBalancerName'] == n for o in items):
                raise _err('LoadBalancerNotFound', "Load balancers '[%s]' not found" % n)
        items = [o for o in items if o['LoadBalancerName'] in names]
    page, marker = _page(ctx, items)
    return {'LoadBalancers': [_lb_out(o) for o in page], 'NextMarker': marker}


def delete_load_balancer(ctx):
    st = ctx.store
    arn = _req(ctx, 'LoadBalancerArn')
    lb = st.get('elb', arn)
    if lb is None:
        return {}                      # AWS: deleting a missing load balancer succeeds
    if lb['_attrs'].get('deletion_protection.enabled') == 'true':
        raise _err('OperationNotPermitted', "Load balancer '%s' cannot be deleted because "
                   'deletion protection is enabled' % arn)
    for li in [x for x in st.all('elblistener') if x['LoadBalancerArn'] == arn]:
        st.remove('elblistener', li['ListenerArn'])
    st.remove('elb', arn)
    enis = list(lb['_enis'])
    st.later(ENI_LINGER_SECONDS, lambda: [rds.drop_eni(st, e) for e in enis])
    return {}


def _attrs_out(attrs):
    return [{'Key': k, 'Value': v} for k, v in attrs.items()]


def _set_attrs(ctx, attrs, known):
    items = qlist(ctx.params, 'Attributes')
    if not items:
        raise _err('ValidationError', 'Attributes must not be empty')
    for a in items:
        k = pget(a, 'Key')
        if k not in known:
            raise _err('InvalidConfigurationRequest', "Key %s not valid" % k)
        attrs[k] = pget(a, 'Value', '')


def describe_load_balancer_attributes(ctx):
    return {'Attributes': _attrs_out(_lb(ctx, _req(ctx, 'LoadBalancerArn'))['_attrs'])}


def modify_load_balancer_attributes(ctx):
    lb = _lb(ctx, _req(ctx, 'LoadBalancerArn'))
    _set_attrs(ctx, lb['_attrs'], LB_ATTRS)
    return {'Attributes': _attrs_out(lb['_attrs'])}


def set_security_groups(ctx):
    st = ctx.store
    lb = _lb(ctx, _req(ctx, 'LoadBalancerArn'))
    groups = qlist(ctx.params, 'SecurityGroups')
    for g in groups:
        sg = st.get('sg', g)
        if sg is None or sg['vpcId'] != lb['VpcId']:
            raise _err('InvalidSecurityGroup', "Security group '%s' does not exist" % g)
    lb['SecurityGroups'] = groups
    for e in lb['_enis']:
        eni = st.get('eni', e)
        if eni is not None:
            eni['groupSet'] = [{'groupId': g} for g in groups]
    return {'SecurityGroupIds': groups}


# ------------------------------------------------------------------ target groups

def _tg(ctx, arn):
    tg = ctx.store.get('elbtg', arn)
    if tg is None:
        raise _err('TargetGroupNotFound', 'One or more target groups not found')
    return tg


def _tg_out(ctx, tg):
    out = {k: v for k, v in tg.items() if not k.startswith('_')}
    out['LoadBalancerArns'] = sorted({li['LoadBalancerArn'] for li in ctx.store.all('elblistener')
                                      if tg['TargetGroupArn'] in _listener_tgs(li)})
    return out


def create_target_group(ctx):
    st = ctx.store
    name = _req(ctx, 'Name')
    ttype = pget(ctx.params, 'TargetType', 'instance')
    proto = pget(ctx.params, 'Protocol')
    port = pint(ctx.params, 'Port')
    vid = pget(ctx.params, 'VpcId')
    if ttype != 'lambda':
        if not proto or port is None or not vid:
            raise _err('ValidationError', 'A protocol, port and VPC ID must be specified for '
                       'target groups of type %s' % ttype)
        if st.get('vpc', vid) is None:
            raise _err('ValidationError', "The VPC ID '%s' is not found" % vid)
    for tg in st.all('elbtg'):
        if tg['TargetGroupName'] == name:
            if tg['Protocol'] == proto and tg['Port'] == port and tg['VpcId'] == vid:
                return {'TargetGroups': [_tg_out(ctx, tg)]}
            raise _err('DuplicateTargetGroupName', 'A target group with the same name \'%s\' '
                       'exists, but with different settings' % name)
    arn = 'arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s' % (
        ctx.region, ctx.account, name, _rid(st))
    hc_proto = pget(ctx.params, 'HealthCheckProtocol', proto if proto in ('HTTP', 'HTTPS')
                    else 'TCP')
    tg = {'TargetGroupArn': arn, 'TargetGroupName': name, 'Protocol': proto, 'Port': port,
          'VpcId': vid, 'HealthCheckProtocol': hc_proto,
          'HealthCheckPort': pget(ctx.params, 'HealthCheckPort', 'traffic-port'),
          'HealthCheckEnabled': bool(pbool(ctx.params, 'HealthCheckEnabled', True)),
          'HealthCheckIntervalSeconds': pint(ctx.params, 'HealthCheckIntervalSeconds', 30),
          'HealthCheckTimeoutSeconds': pint(ctx.params, 'HealthCheckTimeoutSeconds', 5),
          'HealthyThresholdCount': pint(ctx.params, 'HealthyThresholdCount', 5),
          'UnhealthyThresholdCount': pint(ctx.params, 'UnhealthyThresholdCount', 2),
          'TargetType': ttype, 'IpAddressType': pget(ctx.params, 'IpAddressType', 'ipv4'),
          '_attrs': dict(TG_ATTRS), '_targets': []}
    if hc_proto in ('HTTP', 'HTTPS'):
        tg['HealthCheckPath'] = pget(ctx.params, 'HealthCheckPath', '/')
        m = ctx.params.get('Matcher') or {}
        tg['Matcher'] = {'HttpCode': pget(m, 'HttpCode', '200')}
        tg['ProtocolVersion'] = pget(ctx.params, 'ProtocolVersion', 'HTTP1')
    st.add('elbtg', arn, tg, qtags(ctx.params))
    return {'TargetGroups': [_tg_out(ctx, tg)]}


def describe_target_groups(ctx):
    st = ctx.store
    items = [o for o in st.all('elbtg') if st.visible(o)]
    arns = qlist(ctx.params, 'TargetGroupArns')
    names = qlist(ctx.params, 'Names')
    lb = pget(ctx.params, 'LoadBalancerArn')
    if arns:
        for a in arns:
            if not any(o['TargetGroupArn'] == a for o in items):
                raise _err('TargetGroupNotFound', "Target groups '[%s]' not found" % a)
        items = [o for o in items if o['TargetGroupArn'] in arns]
    if names:
        for n in names:
            if not any(o['TargetGroupName'] == n for o in items):
                raise _err('TargetGroupNotFound', "One or more target groups not found")
        items = [o for o in items if o['TargetGroupName'] in names]
    if lb:
        _lb(ctx, lb)
        used = {a for li in st.all('elblistener') if li['LoadBalancerArn'] == lb
                for a in _listener_tgs(li)}
        items = [o for o in items if o['TargetGroupArn'] in used]
    page, marker = _page(ctx, items)
    return {'TargetGroups': [_tg_out(ctx, o) for o in page], 'NextMarker': marker}


def modify_target_group(ctx):
    tg = _tg(ctx, _req(ctx, 'TargetGroupArn'))
    for k in ('HealthCheckProtocol', 'HealthCheckPort', 'HealthCheckPath'):
        if pget(ctx.params, k) is not None:
            tg[k] = pget(ctx.params, k)
    for k in ('HealthCheckIntervalSeconds', 'HealthCheckTimeoutSeconds',
              'HealthyThresholdCount', 'UnhealthyThresholdCount'):
        if pint(ctx.params, k) is not None:
            tg[k] = pint(ctx.params, k)
    if pbool(ctx.params, 'HealthCheckEnabled') is not None:
        tg['HealthCheckEnabled'] = pbool(ctx.params, 'HealthCheckEnabled')
    if ctx.params.get('Matcher'):
        tg['Matcher'] = {'HttpCode': pget(ctx.params['Matcher'], 'HttpCode', '200')}
    return {'TargetGroups': [_tg_out(ctx, tg)]}


def delete_target_group(ctx):
    st = ctx.store
    arn = _req(ctx, 'TargetGroupArn')
    tg = st.get('elbtg', arn)
    if tg is None:
        return {}
    if any(arn in _listener_tgs(li) for li in st.all('elblistener')):
        raise _err('ResourceInUse', "Target group '%s' is currently in use by a listener or a "
                   'rule' % arn)
    st.remove('elbtg', arn)
    return {}


def describe_target_group_attributes(ctx):
    return {'Attributes': _attrs_out(_tg(ctx, _req(ctx, 'TargetGroupArn'))['_attrs'])}


def modify_target_group_attributes(ctx):
    tg = _tg(ctx, _req(ctx, 'TargetGroupArn'))
    _set_attrs(ctx, tg['_attrs'], TG_ATTRS)
    return {'Attributes': _attrs_out(tg['_attrs'])}


def register_targets(ctx):
    tg = _tg(ctx, _req(ctx, 'TargetGroupArn'))
    for t in qlist(ctx.params, 'Targets'):
        entry = {'Id': pget(t, 'Id'), 'Port': pint(t, 'Port', tg['Port'])}
        if entry not in tg['_targets']:
            tg['_targets'].append(entry)
    return {}


def deregister_targets(ctx):
    tg = _tg(ctx, _req(ctx, 'TargetGroupArn'))
    for t in qlist(ctx.params, 'Targets'):
        tg['_targets'] = [x for x in tg['_targets'] if x['Id'] != pget(t, 'Id')]
    return {}


def describe_target_health(ctx):
    tg = _tg(ctx, _req(ctx, 'TargetGroupArn'))
    return {'TargetHealthDescriptions': [
        {'Target': t, 'HealthCheckPort': str(t['Port']),
         'TargetHealth': {'State': 'healthy'}} for t in tg['_targets']]}


# ------------------------------------------------------------------ listeners

def _qval(node):
    """A query-protocol structure as plain data ("member" lists become lists)."""
    if isinstance(node, dict):
        keys = [k for k in node if k]
        if keys == ['member']:
            sub = node['member']
            return [_qval(sub[k]) for k in sorted((k for k in sub if k.isdigit()), key=int)]
        return {k: _qval(v) for k, v in node.items() if k}
    return node


def _listener_tgs(li):
    out = []
    actions = list(li.get('DefaultActions') or li.get('Actions') or [])
    if 'ListenerArn' in li and 'RuleArn' not in li:
        for r in _rules_of(li):
            actions += r['Actions']
    for a in actions:
        if a.get('TargetGroupArn'):
            out.append(a['TargetGroupArn'])
        for t in (a.get('ForwardConfig') or {}).get('TargetGroups', []):
            out.append(t.get('TargetGroupArn'))
    return out


def _rules_of(li):
    return li.get('_rules', [])


def _actions(ctx, name='DefaultActions'):
    acts = []
    for i, a in enumerate(qlist(ctx.params, name)):
        t = pget(a, 'Type')
        act = {'Type': t, 'Order': pint(a, 'Order', i + 1)}
        if t == 'forward':
            arn = pget(a, 'TargetGroupArn')
            fwd = [pget(x, 'TargetGroupArn') for x in
                   qlist(a.get('ForwardConfig') or {}, 'TargetGroups')]
            for x in ([arn] if arn else []) + fwd:
                _tg(ctx, x)
            if arn:
                act['TargetGroupArn'] = arn
            if fwd:
                act['ForwardConfig'] = {'TargetGroups': [{'TargetGroupArn': x, 'Weight': 1}
                                                         for x in fwd]}
        elif t == 'redirect':
            rc = a.get('RedirectConfig') or {}
            act['RedirectConfig'] = {k: pget(rc, k) for k in ('Protocol', 'Port', 'Host',
                                                              'Path', 'Query', 'StatusCode')
                                     if pget(rc, k) is not None}
        elif t == 'fixed-response':
            fc = a.get('FixedResponseConfig') or {}
            act['FixedResponseConfig'] = {k: pget(fc, k) for k in ('MessageBody', 'StatusCode',
                                                                   'ContentType')
                                          if pget(fc, k) is not None}
        else:
            raise _err('ValidationError', "Unsupported action type '%s'" % t)
        acts.append(act)
    if not acts:
        raise _err('ValidationError', '%s must not be empty' % name)
    return acts


def create_listener(ctx):
    st = ctx.store
    lb = _lb(ctx, _req(ctx, 'LoadBalancerArn'))
    port = pint(ctx.params, 'Port')
    proto = pget(ctx.params, 'Protocol', 'HTTP')
    if port is None:
        raise _err('ValidationError', 'Port must be specified')
    for li in st.all('elblistener'):
        if li['LoadBalancerArn'] == lb['LoadBalancerArn'] and li['Port'] == port:
            raise _err('DuplicateListener', 'A listener already exists on this port for this '
                       'load balancer \'%s\'' % lb['LoadBalancerArn'])
    certs = [{'CertificateArn': pget(c, 'CertificateArn')}
             for c in qlist(ctx.params, 'Certificates')]
    if proto in ('HTTPS', 'TLS') and not certs:
        raise _err('CertificateNotFound', 'A certificate must be specified for %s listeners'
                   % proto)
    acts = _actions(ctx)
    arn = lb['LoadBalancerArn'].replace(':loadbalancer/', ':listener/') + '/' + _rid(st)
    li = {'ListenerArn': arn, 'LoadBalancerArn': lb['LoadBalancerArn'], 'Port': port,
          'Protocol': proto, 'Certificates': certs or None,
          'SslPolicy': pget(ctx.params, 'SslPolicy', 'ELBSecurityPolicy-2016-08')
          if proto in ('HTTPS', 'TLS') else None, 'DefaultActions': acts}
    st.add('elblistener', arn, li, qtags(ctx.params))
    return {'Listeners': [_listener_out(li)]}


def _listener_out(li):
    return {k: v for k, v in li.items() if not k.startswith('_')}


def describe_listeners(ctx):
    st = ctx.store
    lb = pget(ctx.params, 'LoadBalancerArn')
    arns = qlist(ctx.params, 'ListenerArns')
    if lb:
        _lb(ctx, lb)
        items = [li for li in st.all('elblistener') if li['LoadBalancerArn'] == lb]
    elif arns:
        items = []
        for a in arns:
            li = st.get('elblistener', a)
            if li is None:
                raise _err('ListenerNotFound', 'One or more listeners not found')
            items.append(li)
    else:
        raise _err('ValidationError', 'You must specify either listener ARNs or a load '
                   'balancer ARN')
    page, marker = _page(ctx, items)
    return {'Listeners': [_listener_out(li) for li in page], 'NextMarker': marker}


def modify_listener(ctx):
    st = ctx.store
    li = st.get('elblistener', _req(ctx, 'ListenerArn'))
    if li is None:
        raise _err('ListenerNotFound', 'One or more listeners not found')
    if pint(ctx.params, 'Port') is not None:
        li['Port'] = pint(ctx.params, 'Port')
    if pget(ctx.params, 'Protocol'):
        li['Protocol'] = pget(ctx.params, 'Protocol')
    if qlist(ctx.params, 'DefaultActions'):
        li['DefaultActions'] = _actions(ctx)
    certs = qlist(ctx.params, 'Certificates')
    if certs:
        li['Certificates'] = [{'CertificateArn': pget(c, 'CertificateArn')} for c in certs]
    if pget(ctx.params, 'SslPolicy'):
        li['SslPolicy'] = pget(ctx.params, 'SslPolicy')
    return {'Listeners': [_listener_out(li)]}


def delete_listener(ctx):
    st = ctx.store
    arn = _req(ctx, 'ListenerArn')
    if st.get('elblistener', arn) is None:
        raise _err('ListenerNotFound', 'One or more listeners not found')
    st.remove('elblistener', arn)
    return {}


# ------------------------------------------------------------------ listener rules

def _find_rule(ctx, arn):
    for li in ctx.store.all('elblistener'):
        for r in _rules_of(li):
            if r['RuleArn'] == arn:
                return li, r
    raise _err('RuleNotFound', 'One or more rules not found')


def _default_rule(li):
    return {'RuleArn': li['ListenerArn'].replace(':listener/', ':listener-rule/') + '/default',
            'Priority': 'default', 'Conditions': [], 'Actions': li['DefaultActions'],
            'IsDefault': True}


def _conditions(ctx):
    conds = _qval(ctx.params.get('Conditions') or {})
    if not isinstance(conds, list) or not conds:
        raise _err('ValidationError', 'A rule must have at least one condition')
    return conds


def create_rule(ctx):
    st = ctx.store
    li = st.get('elblistener', _req(ctx, 'ListenerArn'))
    if li is None:
        raise _err('ListenerNotFound', 'One or more listeners not found')
    prio = pint(ctx.params, 'Priority')
    if prio is None or not 1 <= prio <= 50000:
        raise _err('ValidationError', 'Priority must be between 1 and 50000')
    if any(r['Priority'] == str(prio) for r in _rules_of(li)):
        raise _err('PriorityInUse', 'Priority \'%d\' is currently in use' % prio)
    rule = {'RuleArn': li['ListenerArn'].replace(':listener/', ':listener-rule/') + '/' +
            _rid(st), 'Priority': str(prio), 'Conditions': _conditions(ctx),
            'Actions': _actions(ctx, 'Actions'), 'IsDefault': False,
            '_tags': qtags(ctx.params)}
    li.setdefault('_rules', []).append(rule)
    return {'Rules': [_rule_out(rule)]}


def _rule_out(r):
    return {k: v for k, v in r.items() if not k.startswith('_')}


def describe_rules(ctx):
    st = ctx.store
    arn = pget(ctx.params, 'ListenerArn')
    if arn:
        li = st.get('elblistener', arn)
        if li is None:
            raise _err('ListenerNotFound', 'One or more listeners not found')
        rules = sorted(_rules_of(li), key=lambda r: int(r['Priority'])) + [_default_rule(li)]
    else:
        rules = []
        for a in qlist(ctx.params, 'RuleArns'):
            li, r = _find_rule(ctx, a)
            rules.append(r)
    page, marker = _page(ctx, rules)
    return {'Rules': [_rule_out(r) for r in page], 'NextMarker': marker}


def modify_rule(ctx):
    li, r = _find_rule(ctx, _req(ctx, 'RuleArn'))
    if ctx.params.get('Conditions'):
        r['Conditions'] = _conditions(ctx)
    if qlist(ctx.params, 'Actions'):
        r['Actions'] = _actions(ctx, 'Actions')
    return {'Rules': [_rule_out(r)]}


def set_rule_priorities(ctx):
    items = qlist(ctx.params, 'RulePriorities')
    changed = []
    for it in items:
        li, r = _find_rule(ctx, pget(it, 'RuleArn'))
        prio = str(pint(it, 'Priority'))
        if any(x is not r and x['Priority'] == prio for x in _rules_of(li)):
            raise _err('PriorityInUse', "Priority '%s' is currently in use" % prio)
        r['Priority'] = prio
        changed.append(_rule_out(r))
    return {'Rules': changed}


def delete_rule(ctx):
    li, r = _find_rule(ctx, _req(ctx, 'RuleArn'))
    li['_rules'].remove(r)
    return {}


# ------------------------------------------------------------------ tags

def _any(ctx, arn):
    for rtype in ('elb', 'elbtg', 'elblistener'):
        o = ctx.store.get(rtype, arn)
        if o is not None:
            return o
    if ':listener-rule/' in arn:
        return _find_rule(ctx, arn)[1]
    if ':targetgroup/' in arn:
        raise _err('TargetGroupNotFound', "Target groups '[%s]' not found" % arn)
    if ':listener/' in arn:
        raise _err('ListenerNotFound', 'One or more listeners not found')
    raise _err('LoadBalancerNotFound', "Load balancers '[%s]' not found" % arn)


def add_tags(ctx):
    tags = qtags(ctx.params)
    for arn in qlist(ctx.params, 'ResourceArns'):
        o = _any(ctx, arn)
        if len(set(o['_tags']) | set(tags)) > 50:
            raise _err('TooManyTags', 'The quota for the number of tags that can be assigned '
                       'to a load balancer has been reached')
        o['_tags'].update(tags)
    return {}


def remove_tags(ctx):
    for arn in qlist(ctx.params, 'ResourceArns'):
        o = _any(ctx, arn)
        for k in qlist(ctx.params, 'TagKeys'):
            o['_tags'].pop(k, None)
    return {}


def describe_tags(ctx):
    out = []
    for arn in qlist(ctx.params, 'ResourceArns'):
        o = _any(ctx, arn)
        out.append({'ResourceArn': arn,
                    'Tags': [{'Key': k, 'Value': v} for k, v in o['_tags'].items()]})
    return {'TagDescriptions': out}


ACTIONS = {
    'CreateLoadBalancer': create_load_balancer,
    'DescribeLoadBalancers': describe_load_balancers,
    'DeleteLoadBalancer': delete_load_balancer,
    'DescribeLoadBalancerAttributes': describe_load_balancer_attributes,
    'ModifyLoadBalancerAttributes': modify_load_balancer_attributes,
    'SetSecurityGroups': set_security_groups,
    'CreateTargetGroup': create_target_group, 'DescribeTargetGroups': describe_target_groups,
    'ModifyTargetGroup': modify_target_group, 'DeleteTargetGroup': delete_target_group,
    'DescribeTargetGroupAttributes': describe_target_group_attributes,
    'ModifyTargetGroupAttributes': modify_target_group_attributes,
    'RegisterTargets': register_targets, 'DeregisterTargets': deregister_targets,
    'DescribeTargetHealth': describe_target_health,
    'CreateListener': create_listener, 'DescribeListeners': describe_listeners,
    'ModifyListener': modify_listener, 'DeleteListener': delete_listener,
    'CreateRule': create_rule, 'DescribeRules': describe_rules, 'ModifyRule': modify_rule,
    'SetRulePriorities': set_rule_priorities, 'DeleteRule': delete_rule,
    'AddTags': add_tags, 'RemoveTags': remove_tags, 'DescribeTags': describe_tags,
}


def admin_delete(st, rtype, obj):
    if rtype == 'elb':
        for li in [x for x in st.all('elblistener')
                   if x['LoadBalancerArn'] == obj['LoadBalancerArn']]:
            st.remove('elblistener', li['ListenerArn'])
        for e in obj['_enis']:
            rds.drop_eni(st, e)
        st.remove('elb', obj['LoadBalancerArn'])
        return True
    if rtype in ('elbtg', 'elblistener'):
        st.remove(rtype, obj.get('TargetGroupArn') or obj.get('ListenerArn'))
        return True
    return False
