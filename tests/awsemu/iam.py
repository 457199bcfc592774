"""IAM (query protocol, API 2010-05-08): roles, managed and inline policies,
attachments, instance profiles, tags.

Store types: role (ID = name), policy (ID = ARN), profile (ID = name),
oidc (ID = ARN).
Policy documents are kept as sent and returned URL-encoded, as IAM does.
AWS-managed policies (arn:aws:iam::aws:policy/...) exist implicitly.
"""
import json
import re
import time
import urllib.parse

from common import AwsError, pget, pint, plist

SERVICE = 'iam'
PROTOCOL = 'query'
VERSION = '2010-05-08'
XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/'
NAME_RE = re.compile(r'^[\w+=,.@-]{1,64}$')
POLICY_NAME_RE = re.compile(r'^[\w+=,.@-]{1,128}$')


def _iso(ts):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(ts))


def _no_entity(msg):
    return AwsError('NoSuchEntity', msg, 404)


def _exists(msg):
    return AwsError('EntityAlreadyExists', msg, 409)


def _conflict(msg):
    return AwsError('DeleteConflict', msg, 409)


def _validation(msg):
    return AwsError('ValidationError', msg, 400)


def _req(ctx, name):
    v = pget(ctx.params, name)
    if v is None or v == '':
        raise _validation('1 validation error detected: Value null at \'%s\' failed to '
                          'satisfy constraint: Member must not be null'
                          % (name[:1].lower() + name[1:]))
    return v


def _check_doc(doc):
    try:
        parsed = json.loads(doc)
    except ValueError:
        raise AwsError('MalformedPolicyDocument', 'This policy contains invalid Json', 400)
    if not isinstance(parsed, dict) or 'Statement' not in parsed:
        raise AwsError('MalformedPolicyDocument', 'Syntax errors in policy.', 400)
    return doc


def _tags_in(ctx):
    tags = {}
    for t in plist(ctx.params.get('Tags') or {}, 'member'):
        tags[pget(t, 'Key')] = pget(t, 'Value', '')
    if len(tags) > 50:
        raise AwsError('LimitExceeded', 'The number of tags has reached the maximum limit.',
                       409)
    return tags


def _tags_out(obj):
    return [{'Key': k, 'Value': v} for k, v in obj['_tags'].items()]


def _path(ctx):
    p = pget(ctx.params, 'Path', '/')
    if not (p.startswith('/') and p.endswith('/')):
        raise _validation('The specified value for path is invalid. It must begin and end '
                          'with / and contain only alphanumeric characters and/or / '
                          'characters.')
    return p


def _paginate(ctx, items):
    maxi = pint(ctx.params, 'MaxItems', 100)
    if not 1 <= maxi <= 1000:
        raise _validation('MaxItems must be between 1 and 1000')
    maxi = min(maxi, max(1, ctx.emu.cfg.max_page))
    marker = pget(ctx.params, 'Marker')
    start = 0
    if marker:
        try:
            start = int(marker)
        except ValueError:
            raise _validation('Invalid Marker')
    page = items[start:start + maxi]
    out = {'IsTruncated': start + maxi < len(items)}
    if out['IsTruncated']:
        out['Marker'] = str(start + maxi)
    return page, out


# ------------------------------------------------------------------ roles

def _role(ctx, name=None):
    name = name or _req(ctx, 'RoleName')
    r = ctx.store.get('role', name)
    if r is None:
        raise _no_entity('The role with name %s cannot be found.' % name)
    return r


def _role_out(r, full=True):
    out = {'Path': r['path'], 'RoleName': r['name'], 'RoleId': r['id'], 'Arn': r['arn'],
           'CreateDate': _iso(r['_created']),
           'AssumeRolePolicyDocument': urllib.parse.quote(r['assume'], safe='')}
    if r.get('description') is not None:
        out['Description'] = r['description']
    out['MaxSessionDuration'] = r['max_session']
    if full:
        if r.get('boundary'):
            out['PermissionsBoundary'] = {'PermissionsBoundaryType': 'Policy',
                                          'PermissionsBoundaryArn': r['boundary']}
        if r['_tags']:
            out['Tags'] = _tags_out(r)
        out['RoleLastUsed'] = {}
    return out


def create_role(ctx):
    st = ctx.store
    name = _req(ctx, 'RoleName')
    if not NAME_RE.match(name):
        raise _validation("1 validation error detected: Value '%s' at 'roleName' failed to "
                          "satisfy constraint" % name)
    doc = _check_doc(_req(ctx, 'AssumeRolePolicyDocument'))
    if st.get('role', name) is not None:
        raise _exists('Role with name %s already exists.' % name)
    path = _path(ctx)
    msd = pint(ctx.params, 'MaxSessionDuration', 3600)
    if not 3600 <= msd <= 43200:
        raise _validation('MaxSessionDuration must be between 3600 and 43200')
    rid = 'AROA' + st.new_id('x', 17)[2:].upper()
    r = {'name': name, 'id': rid, 'path': path, 'assume': doc,
         'arn': 'arn:aws:iam::%s:role%s%s' % (ctx.account, path, name),
         'description': pget(ctx.params, 'Description'), 'max_session': msd,
         'boundary': pget(ctx.params, 'PermissionsBoundary'), 'attached': [], 'inline': {}}
    st.add('role', name, r, _tags_in(ctx))
    return {'Role': _role_out(r)}


def get_role(ctx):
    return {'Role': _role_out(_role(ctx))}


def list_roles(ctx):
    prefix = pget(ctx.params, 'PathPrefix', '/')
    items = [r for r in ctx.store.all('role') if r['path'].startswith(prefix)]
    page, out = _paginate(ctx, items)
    res = {'Roles': [_role_out(r, False) for r in page]}
    res.update(out)
    return res


def update_role(ctx):
    r = _role(ctx)
    if pget(ctx.params, 'Description') is not None:
        r['description'] = pget(ctx.params, 'Description')
    msd = pint(ctx.params, 'MaxSessionDuration')
    if msd is not None:
        if not 3600 <= msd <= 43200:
            raise _validation('MaxSessionDuration must be between 3600 and 43200')
        r['max_session'] = msd
    return {}


def update_role_description(ctx):
    r = _role(ctx)
    r['description'] = _req(ctx, 'Description')
    return {'Role': _role_out(r)}


def update_assume_role_policy(ctx):
    r = _role(ctx)
    r['assume'] = _check_doc(_req(ctx, 'PolicyDocument'))
    return None


def delete_role(ctx):
    st = ctx.store
    r = _role(ctx)
    if r['attached']:
        raise _conflict('Cannot delete entity, must detach all policies first.')
    if r['inline']:
        raise _conflict('Cannot delete entity, must delete policies first.')
    if any(r['name'] in p['roles'] for p in st.all('profile')):
        raise _conflict('Cannot delete entity, must remove roles from instance profile first.')
    st.remove('role', r['name'])
    return None


def tag_role(ctx):
    r = _role(ctx)
    r['_tags'].update(_tags_in(ctx))
    return None


def untag_role(ctx):
    r = _role(ctx)
    for k in plist(ctx.params.get('TagKeys') or {}, 'member'):
        r['_tags'].pop(k, None)
    return None


def list_role_tags(ctx):
    r = _role(ctx)
    return {'Tags': _tags_out(r), 'IsTruncated': False}


# ------------------------------------------------------------------ managed policies

def _aws_managed(arn):
    return arn.startswith('arn:aws:iam::aws:policy/')


def _policy(ctx, arn=None):
    arn = arn or _req(ctx, 'PolicyArn')
    p = ctx.store.get('policy', arn)
    if p is None:
        raise _no_entity('Policy %s does not exist or is not attachable.' % arn)
    return p


def _policy_out(p):
    out = {'PolicyName': p['name'], 'PolicyId': p['id'], 'Arn': p['arn'], 'Path': p['path'],
           'DefaultVersionId': p['default'], 'AttachmentCount': p['attachments'],
           'PermissionsBoundaryUsageCount': 0, 'IsAttachable': True}
    if p.get('description'):
        out['Description'] = p['description']
    out['CreateDate'] = _iso(p['_created'])
    out['UpdateDate'] = _iso(p['updated'])
    if p['_tags']:
        out['Tags'] = _tags_out(p)
    return out


def create_policy(ctx):
    st = ctx.store
    name = _req(ctx, 'PolicyName')
    if not POLICY_NAME_RE.match(name):
        raise _validation("Value '%s' at 'policyName' failed to satisfy constraint" % name)
    doc = _check_doc(_req(ctx, 'PolicyDocument'))
    path = _path(ctx)
    arn = 'arn:aws:iam::%s:policy%s%s' % (ctx.account, path, name)
    if st.get('policy', arn) is not None or any(
            p['name'] == name for p in st.all('policy')):
        raise _exists('A policy called %s already exists. Duplicate names are not allowed.'
                      % name)
    now = time.time()
    p = {'name': name, 'id': 'ANPA' + st.new_id('x', 17)[2:].upper(), 'arn': arn, 'path': path,
         'description': pget(ctx.params, 'Description'), 'default': 'v1', 'attachments': 0,
         'updated': now, 'versions': {'v1': {'doc': doc, 'created': now}}, 'next_version': 2}
    st.add('policy', arn, p, _tags_in(ctx))
    return {'Policy': _policy_out(p)}


def get_policy(ctx):
    return {'Policy': _policy_out(_policy(ctx))}


def list_policies(ctx):
    scope = pget(ctx.params, 'Scope', 'All')
    items = [p for p in ctx.store.all('policy')] if scope != 'AWS' else []
    if pget(ctx.params, 'OnlyAttached') == 'true':
        items = [p for p in items if p['attachments']]
    page, out = _paginate(ctx, items)
    res = {'Policies': [_policy_out(p) for p in page]}
    res.update(out)
    return res


def _version_out(p, vid, with_doc=True):
    v = p['versions'][vid]
    out = {}
    if with_doc:
        out['Document'] = urllib.parse.quote(v['doc'], safe='')
    out.update({'VersionId': vid, 'IsDefaultVersion': vid == p['default'],
                'CreateDate': _iso(v['created'])})
    return out


def get_policy_version(ctx):
    p = _policy(ctx)
    vid = _req(ctx, 'VersionId')
    if vid not in p['versions']:
        raise _no_entity('Policy %s version %s does not exist or is not attachable.'
                         % (p['arn'], vid))
    return {'PolicyVersion': _version_out(p, vid)}


def create_policy_version(ctx):
    p = _policy(ctx)
    doc = _check_doc(_req(ctx, 'PolicyDocument'))
    if len(p['versions']) >= 5:
        raise AwsError('LimitExceeded', 'A managed policy can have up to 5 versions. Before '
                       'you create a new version, you must delete an existing version.', 409)
    vid = 'v%d' % p['next_version']
    p['next_version'] += 1
    p['versions'][vid] = {'doc': doc, 'created': time.time()}
    if pget(ctx.params, 'SetAsDefault') == 'true':
        p['default'] = vid
    p['updated'] = time.time()
    return {'PolicyVersion': _version_out(p, vid, False)}


def delete_policy_version(ctx):
    p = _policy(ctx)
    vid = _req(ctx, 'VersionId')
    if vid not in p['versions']:
        raise _no_entity('Policy %s version %s does not exist.' % (p['arn'], vid))
    if vid == p['default']:
        raise _conflict('Cannot delete the default version of a policy.')
    del p['versions'][vid]
    return None


def list_policy_versions(ctx):
    p = _policy(ctx)
    vids = sorted(p['versions'], key=lambda v: -int(v[1:]))
    return {'Versions': [_version_out(p, v, False) for v in vids], 'IsTruncated': False}


def set_default_policy_version(ctx):
    p = _policy(ctx)
    vid = _req(ctx, 'VersionId')
    if vid not in p['versions']:
        raise _no_entity('Policy %s version %s does not exist.' % (p['arn'], vid))
    p['default'] = vid
    return None


def delete_policy(ctx):
    p = _policy(ctx)
    if p['attachments']:
        raise _conflict('Cannot delete a policy attached to entities.')
    if len(p['versions']) > 1:
        raise _conflict("This policy has more than one version. Before you delete a policy, "
                        "you must delete the policy's versions. The default version is "
                        "deleted with the policy.")
    ctx.store.remove('policy', p['arn'])
    return None


def tag_policy(ctx):
    _policy(ctx)['_tags'].update(_tags_in(ctx))
    return None


def untag_policy(ctx):
    p = _policy(ctx)
    for k in plist(ctx.params.get('TagKeys') or {}, 'member'):
        p['_tags'].pop(k, None)
    return None


# ------------------------------------------------------------------ attachments

def attach_role_policy(ctx):
    r = _role(ctx)
    arn = _req(ctx, 'PolicyArn')
    if not _aws_managed(arn):
        p = _policy(ctx, arn)
    else:
        p = None
    if arn not in r['attached']:
        if len(r['attached']) >= 20:
            raise AwsError('LimitExceeded', 'Cannot exceed quota for PoliciesPerRole: 20', 409)
        r['attached'].append(arn)
        if p is not None:
            p['attachments'] += 1
    return None


def detach_role_policy(ctx):
    st = ctx.store
    r = _role(ctx)
    arn = _req(ctx, 'PolicyArn')
    if arn not in r['attached']:
        raise _no_entity('Policy %s was not found.' % arn)
    r['attached'].remove(arn)
    p = st.get('policy', arn)
    if p is not None:
        p['attachments'] -= 1
    return None


def list_attached_role_policies(ctx):
    r = _role(ctx)
    items = [{'PolicyName': a.rsplit('/', 1)[-1], 'PolicyArn': a} for a in r['attached']]
    page, out = _paginate(ctx, items)
    res = {'AttachedPolicies': page}
    res.update(out)
    return res


def put_role_policy(ctx):
    r = _role(ctx)
    name = _req(ctx, 'PolicyName')
    r['inline'][name] = _check_doc(_req(ctx, 'PolicyDocument'))
    return None


def get_role_policy(ctx):
    r = _role(ctx)
    name = _req(ctx, 'PolicyName')
    if name not in r['inline']:
        raise _no_entity('The role policy with name %s cannot be found.' % name)
    return {'RoleName': r['name'], 'PolicyName': name,
            'PolicyDocument': urllib.parse.quote(r['inline'][name], safe='')}


def delete_role_policy(ctx):
    r = _role(ctx)
    name = _req(ctx, 'PolicyName')
    if name not in r['inline']:
        raise _no_entity('The role policy with name %s cannot be found.' % name)
    del r['inline'][name]
    return None


def list_role_policies(ctx):
    r = _role(ctx)
    page, out = _paginate(ctx, list(r['inline']))
    res = {'PolicyNames': page}
    res.update(out)
    return res


# ------------------------------------------------------------------ instance profiles

def _profile(ctx):
    name = _req(ctx, 'InstanceProfileName')
    p = ctx.store.get('profile', name)
    if p is None:
        raise _no_entity('Instance Profile %s cannot be found.' % name)
    return p


def _profile_out(ctx, p):
    roles = [_role_out(ctx.store.get('role', n), False) for n in p['roles']
             if ctx.store.get('role', n) is not None]
    out = {'Path': p['path'], 'InstanceProfileName': p['name'], 'InstanceProfileId': p['id'],
           'Arn': p['arn'], 'CreateDate': _iso(p['_created']), 'Roles': roles}
    if p['_tags']:
        out['Tags'] = _tags_out(p)
    return out


def create_instance_profile(ctx):
    st = ctx.store
    name = _req(ctx, 'InstanceProfileName')
    if st.get('profile', name) is not None:
        raise _exists('Instance Profile %s already exists.' % name)
    path = _path(ctx)
    p = {'name': name, 'path': path, 'id': 'AIPA' + st.new_id('x', 17)[2:].upper(),
         'arn': 'arn:aws:iam::%s:instance-profile%s%s' % (ctx.account, path, name),
         'roles': []}
    st.add('profile', name, p, _tags_in(ctx))
    return {'InstanceProfile': _profile_out(ctx, p)}


def get_instance_profile(ctx):
    return {'InstanceProfile': _profile_out(ctx, _profile(ctx))}


def add_role_to_instance_profile(ctx):
    p = _profile(ctx)
    r = _role(ctx)
    if p['roles']:
        raise AwsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstance'
                       'Profile: 1', 409)
    p['roles'].append(r['name'])
    return None


def remove_role_from_instance_profile(ctx):
    p = _profile(ctx)
    name = _req(ctx, 'RoleName')
    if name not in p['roles']:
        raise _no_entity('The role with name %s cannot be found.' % name)
    p['roles'].remove(name)
    return None


def delete_instance_profile(ctx):
    p = _profile(ctx)
    if p['roles']:
        raise _conflict('Cannot delete entity, must remove roles from instance profile first.')
    ctx.store.remove('profile', p['name'])
    return None


def list_instance_profiles_for_role(ctx):
    r = _role(ctx)
    items = [p for p in ctx.store.all('profile') if r['name'] in p['roles']]
    page, out = _paginate(ctx, items)
    res = {'InstanceProfiles': [_profile_out(ctx, p) for p in page]}
    res.update(out)
    return res


# ------------------------------------------------------------------ OIDC providers

def _oidc(ctx):
    arn = _req(ctx, 'OpenIDConnectProviderArn')
    p = ctx.store.get('oidc', arn)
    if p is None:
        raise _no_entity('OpenIDConnect Provider not found for arn %s' % arn)
    return p


def create_oidc_provider(ctx):
    st = ctx.store
    url = _req(ctx, 'Url')
    if not url.startswith('https://'):
        raise AwsError('InvalidInput', 'Invalid URL: the URL must begin with https://', 400)
    host = url[len('https://'):].rstrip('/')
    arn = 'arn:aws:iam::%s:oidc-provider/%s' % (ctx.account, host)
    if st.get('oidc', arn) is not None:
        raise _exists('Provider with url %s already exists.' % url)
    thumbs = plist(ctx.params.get('ThumbprintList') or {}, 'member')
    for t in thumbs:
        if len(t) != 40:
            raise _validation('Thumbprint must be 40 hexadecimal characters')
    p = {'arn': arn, 'url': host, 'clients': plist(ctx.params.get('ClientIDList') or {},
                                                    'member'), 'thumbs': thumbs}
    st.add('oidc', arn, p, _tags_in(ctx))
    out = {'OpenIDConnectProviderArn': arn}
    if p['_tags']:
        out['Tags'] = _tags_out(p)
    return out


def get_oidc_provider(ctx):
    p = _oidc(ctx)
    out = {'Url': p['url'], 'ClientIDList': p['clients'], 'ThumbprintList': p['thumbs'],
           'CreateDate': _iso(p['_created'])}
    if p['_tags']:
        out['Tags'] = _tags_out(p)
    return out


def list_oidc_providers(ctx):
    return {'OpenIDConnectProviderList': [{'Arn': p['arn']} for p in ctx.store.all('oidc')]}


def delete_oidc_provider(ctx):
    p = _oidc(ctx)
    ctx.store.remove('oidc', p['arn'])
    return None


def update_oidc_thumbprint(ctx):
    p = _oidc(ctx)
    p['thumbs'] = plist(ctx.params.get('ThumbprintList') or {}, 'member')
    return None


def add_client_id(ctx):
    p = _oidc(ctx)
    cid = _req(ctx, 'ClientID')
    if cid not in p['clients']:
        p['clients'].append(cid)
    return None


def remove_client_id(ctx):
    p = _oidc(ctx)
    cid = _req(ctx, 'ClientID')
    if cid in p['clients']:
        p['clients'].remove(cid)
    return None


def tag_oidc(ctx):
    _oidc(ctx)['_tags'].update(_tags_in(ctx))
    return None


def untag_oidc(ctx):
    p = _oidc(ctx)
    for k in plist(ctx.params.get('TagKeys') or {}, 'member'):
        p['_tags'].pop(k, None)
    return None


ACTIONS = {
    'CreateOpenIDConnectProvider': create_oidc_provider,
    'GetOpenIDConnectProvider': get_oidc_provider,
    'ListOpenIDConnectProviders': list_oidc_providers,
    'DeleteOpenIDConnectProvider': delete_oidc_provider,
    'UpdateOpenIDConnectProviderThumbprint': update_oidc_thumbprint,
    'AddClientIDToOpenIDConnectProvider': add_client_id,
    'RemoveClientIDFromOpenIDConnectProvider': remove_client_id,
    'TagOpenIDConnectProvider': tag_oidc, 'UntagOpenIDConnectProvider': untag_oidc,
    'CreateRole': create_role, 'GetRole': get_role, 'ListRoles': list_roles,
    'UpdateRole': update_role, 'UpdateRoleDescription': update_role_description,
    'UpdateAssumeRolePolicy': update_assume_role_policy, 'DeleteRole': delete_role,
    'TagRole': tag_role, 'UntagRole': untag_role, 'ListRoleTags': list_role_tags,
    'CreatePolicy': create_policy, 'GetPolicy': get_policy, 'ListPolicies': list_policies,
    'GetPolicyVersion': get_policy_version, 'CreatePolicyVersion': create_policy_version,
    'DeletePolicyVersion': delete_policy_version, 'ListPolicyVersions': list_policy_versions,
    'SetDefaultPolicyVersion': set_default_policy_version, 'DeletePolicy': delete_policy,
    'TagPolicy': tag_policy, 'UntagPolicy': untag_policy,
    'AttachRolePolicy': attach_role_policy, 'DetachRolePolicy': detach_role_policy,
    'ListAttachedRolePolicies': list_attached_role_policies,
    'PutRolePolicy': put_role_policy, 'GetRolePolicy': get_role_policy,
    'DeleteRolePolicy': delete_role_policy, 'ListRolePolicies': list_role_policies,
    'CreateInstanceProfile': create_instance_profile,
    'GetInstanceProfile': get_instance_profile,
    'AddRoleToInstanceProfile': add_role_to_instance_profile,
    'RemoveRoleFromInstanceProfile': remove_role_from_instance_profile,
    'DeleteInstanceProfile': delete_instance_profile,
    'ListInstanceProfilesForRole': list_instance_profiles_for_role,
}
