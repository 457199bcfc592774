"""Helpers shared by the EC2 modules: tag specifications, filters, Describe*
with ID lists and pagination, client tokens, CIDR checks, the ID-prefix table.
"""
import base64
import ipaddress
import re

from common import AwsError, bad_param, pget, pint, plist
from store import tag_set

XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/'

# ID prefix -> (store type, NotFound code, noun used in the message, tag resource type)
ID_KINDS = {
    'vpc': ('vpc', 'InvalidVpcID.NotFound', "The vpc ID '%s' does not exist", 'vpc'),
    'subnet': ('subnet', 'InvalidSubnetID.NotFound', "The subnet ID '%s' does not exist",
               'subnet'),
    'igw': ('igw', 'InvalidInternetGatewayID.NotFound',
            "The internetGateway ID '%s' does not exist", 'internet-gateway'),
    'eipalloc': ('eip', 'InvalidAllocationID.NotFound', "The allocation ID '%s' does not exist",
                 'elastic-ip'),
    'nat': ('natgw', 'NatGatewayNotFound', "The Nat Gateway %s was not found", 'natgateway'),
    'rtb': ('rtb', 'InvalidRouteTableID.NotFound', "The routeTable ID '%s' does not exist",
            'route-table'),
    'sg': ('sg', 'InvalidGroup.NotFound', "The security group '%s' does not exist",
           'security-group'),
    'sgr': ('sgr', 'InvalidSecurityGroupRuleId.NotFound',
            "The security group rule ID '%s' does not exist", 'security-group-rule'),
    'acl': ('acl', 'InvalidNetworkAclID.NotFound', "The network ACL '%s' does not exist",
            'network-acl'),
    'eni': ('eni', 'InvalidNetworkInterfaceID.NotFound',
            "The networkInterface ID '%s' does not exist", 'network-interface'),
    'dopt': ('dopt', 'InvalidDhcpOptionID.NotFound', "The dhcpOption ID '%s' does not exist",
             'dhcp-options'),
}
TYPE_TO_TAG_RTYPE = {v[0]: v[3] for v in ID_KINDS.values()}


# Codes AWS uses for an ID that is not even well formed (prefix-8 or 17 hex).
MALFORMED = {'vpc': 'InvalidVpcID.Malformed', 'subnet': 'InvalidSubnetID.Malformed',
             'rtb': 'InvalidRouteTableId.Malformed', 'sg': 'InvalidGroupId.Malformed',
             'eipalloc': 'InvalidAllocationID.Malformed'}
_ID_SHAPE = re.compile(r'^[a-z]+-(?:[0-9a-f]{8}|[0-9a-f]{17})$')


def not_found(rid, prefix=None):
    prefix = prefix or rid.split('-')[0]
    kind = ID_KINDS.get(prefix)
    if kind is None:
        return AwsError('InvalidID', "The ID '%s' is not valid" % rid)
    if prefix in MALFORMED and (not rid.startswith(prefix + '-') or not _ID_SHAPE.match(rid)):
        return AwsError(MALFORMED[prefix], 'Invalid id: "%s"' % rid)
    return AwsError(kind[1], kind[2] % rid)


def must_get(ctx, rtype, rid, prefix=None):
    """The resource or its NotFound error (also for a malformed ID)."""
    obj = ctx.store.get(rtype, rid) if rid else None
    if obj is None:
        if not rid:
            raise AwsError('MissingParameter', 'The request must contain the parameter %s'
                           % rtype)
        raise not_found(rid, prefix)
    return obj


def tags_from_specs(ctx, tag_rtype):
    """Tags of TagSpecification.N for resource type tag_rtype."""
    tags = {}
    for spec in plist(ctx.params, 'TagSpecification'):
        rt = pget(spec, 'ResourceType')
        if rt != tag_rtype:
            raise bad_param("'%s' is not a valid taggable resource type for this operation."
                            % rt)
        for t in plist(spec, 'Tag'):
            key = pget(t, 'Key')
            check_tag_key(key, pget(t, 'Value', ''))
            tags[key] = pget(t, 'Value', '')
    if len(tags) > 50:
        raise AwsError('TagLimitExceeded', 'The maximum number of tags per resource is 50.')
    return tags


def check_tag_key(key, value=''):
    if key is None or key == '':
        raise bad_param('Tag key must not be empty')
    if key.lower().startswith('aws:'):
        raise bad_param("Tag keys starting with 'aws:' are reserved for internal use")
    if len(key) > 128:
        raise bad_param('Tag key exceeds the maximum length of 128 characters')
    if value is not None and len(value) > 256:
        raise bad_param('Tag value exceeds the maximum length of 256 characters')


# ------------------------------------------------------------------ filters

def _wild(pattern):
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == '\\' and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append('.*' if c == '*' else '.' if c == '?' else re.escape(c))
        i += 1
    return re.compile('^' + ''.join(out) + '$', re.S)


def _strs(v):
    if v is None:
        return []
    if isinstance(v, (list, tuple, set)):
        out = []
        for x in v:
            out.extend(_strs(x))
        return out
    if isinstance(v, bool):
        return ['true' if v else 'false']
    return [str(v)]


def _compiled_filters(ctx):
    """[(name, [regex])] of the request's Filter.N, compiled once per request."""
    cached = getattr(ctx, '_filters', None)
    if cached is not None:
        return cached
    out = []
    for f in plist(ctx.params, 'Filter'):
        name = pget(f, 'Name')
        if name is None:
            raise AwsError('InvalidParameterValue', 'The filter name must not be empty')
        values = plist(f, 'Value')
        exact = set(v for v in values if not any(c in v for c in '*?\\'))
        pats = [_wild(v) for v in values if v not in exact]
        out.append((name, exact, pats))
    ctx._filters = out
    return out


def match_filters(ctx, obj, fmap):
    """True when obj passes every Filter.N; fmap: name -> fn(obj) -> value(s)."""
    for name, exact, pats in _compiled_filters(ctx):
        tags = obj.get('_tags', {})
        if name.startswith('tag:'):
            have = _strs(tags.get(name[4:])) if name[4:] in tags else []
        elif name == 'tag-key':
            have = list(tags.keys())
        elif name == 'tag-value':
            have = list(tags.values())
        elif name in fmap:
            have = _strs(fmap[name](obj))
        else:
            raise AwsError('InvalidParameterValue', "The filter '%s' is invalid" % name)
        if not any(h in exact for h in have) and \
                not any(p.match(h) for p in pats for h in have):
            return False
    return True


# ------------------------------------------------------------------ describe

def _token(anchor, offset):
    return base64.urlsafe_b64encode(('%s|%d' % (anchor, offset)).encode()).decode()


def paginate(ctx, items, key_of, min_max=(5, 1000), always=False):
    """(page, next_token).  Without MaxResults and NextToken everything is
    returned (AWS's rule for most EC2 Describe calls) unless always is set."""
    mr = pint(ctx.params, 'MaxResults')
    tok = pget(ctx.params, 'NextToken')
    if mr is None and tok is None and not always:
        return items, None
    if mr is not None and not min_max[0] <= mr <= min_max[1]:
        raise bad_param('Value ( %d ) for parameter maxResults is invalid. Expecting a value '
                        'between %d and %d.' % (mr, min_max[0], min_max[1]))
    size = min(mr or min_max[1], max(1, ctx.emu.cfg.max_page))
    start = 0
    if tok:
        try:
            anchor, _, off = base64.urlsafe_b64decode(tok.encode()).decode().partition('|')
            start = int(off)
        except (ValueError, UnicodeDecodeError):
            raise bad_param('Invalid value for parameter nextToken: %s' % tok)
        keys = [key_of(o) for o in items]
        if anchor in keys:
            start = keys.index(anchor) + 1
    page = items[start:start + size]
    nxt = None
    if start + size < len(items) and page:
        nxt = _token(key_of(page[-1]), start + size)
    return page, nxt


def describe(ctx, rtype, id_param, fmap, key='', prefix=None, min_max=(5, 1000),
             always=False, items=None, not_found_fn=None):
    """Visible resources of rtype selected by id_param.N and Filter.N, one
    page.  Unknown IDs raise the type's NotFound error."""
    st = ctx.store
    pool = items if items is not None else st.all(rtype)
    pool = [o for o in pool if st.visible(o)]
    ids = [v for v in plist(ctx.params, id_param)] if id_param else []
    if ids:
        byid = {o[key]: o for o in pool}
        missing = [i for i in ids if i not in byid]
        if missing:
            if not_found_fn:
                raise not_found_fn(missing)
            raise not_found(missing[0], prefix)
        seen = set()
        pool = []
        for i in ids:
            if i not in seen:
                seen.add(i)
                pool.append(byid[i])
    pool = [o for o in pool if match_filters(ctx, o, fmap)]
    return paginate(ctx, pool, lambda o: o[key], min_max, always)


def render(obj):
    """Public fields plus tagSet."""
    out = {}
    for k, v in obj.items():
        if not k.startswith('_'):
            out[k] = v
    out['tagSet'] = tag_set(obj)
    return out


# ------------------------------------------------------------------ CIDRs

def parse_cidr(text, what='CIDR'):
    try:
        net = ipaddress.ip_network(text, strict=True)
    except (ValueError, TypeError):
        raise bad_param("Value (%s) for parameter cidrBlock is invalid. This is not a valid "
                        "CIDR block." % text)
    if net.version != 4:
        raise bad_param('%s %s is not an IPv4 CIDR block' % (what, text))
    return net


def client_token(ctx, fingerprint):
    """(scope, token, existing_id or None); IdempotentParameterMismatch when
    the token was used with other parameters."""
    tok = pget(ctx.params, 'ClientToken')
    if not tok:
        return None, None, None
    scope = ctx.action
    try:
        return scope, tok, ctx.store.token_lookup(scope, tok, fingerprint)
    except ValueError:
        raise AwsError('IdempotentParameterMismatch', 'The client token you have provided is '
                       'associated with a resource that is already deleted or a request '
                       'with different parameters. Please use a different client token.')


def fingerprint(ctx, drop=('ClientToken',)):
    return tuple(sorted((k, v) for k, v in ctx.flat.items() if k not in drop))
