"""S3 (REST-XML): buckets, objects, bucket tagging and versioning.

Path-style addressing (/bucket/key) and virtual-hosted style for hosts
ending in ".localhost" (bucket.s3.localhost:PORT).  Buckets are resources of
type "bucket" (ID = name); objects live inside their bucket.
"""
import hashlib
import json
import re
import time
import xml.etree.ElementTree as ET

from common import AwsError, Response, to_xml
from store import tag_set

SERVICE = 's3'
PROTOCOL = 'rest-xml'
XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/'
BUCKET_RE = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')


def _split(ctx):
    """(bucket, key) from host and path."""
    host = (ctx.headers.get('Host') or '').split(':')[0]
    path = ctx.path
    if host.endswith('.localhost') and not host.startswith('s3.'):
        bucket = host[:-len('.localhost')]
        if bucket.endswith('.s3'):
            bucket = bucket[:-3]
        return bucket, path.lstrip('/') or None
    parts = path.lstrip('/').split('/', 1)
    bucket = parts[0] or None
    key = parts[1] if len(parts) > 1 and parts[1] != '' else None
    return bucket, key


SUBRESOURCES = ('tagging', 'versioning', 'location', 'policy', 'acl', 'encryption',
                'lifecycle', 'cors', 'website', 'logging', 'publicAccessBlock',
                'ownershipControls', 'object-lock', 'accelerate', 'requestPayment',
                'replication', 'notification', 'uploads')


# Bucket subresources kept as the XML (or JSON) document the client PUT:
# query key -> (Get, Put, Delete action names, error code when absent or None,
# default document when absent).
STORED = {
    'policy': ('GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy',
               'NoSuchBucketPolicy', None),
    'encryption': ('GetBucketEncryption', 'PutBucketEncryption', 'DeleteBucketEncryption',
                   'ServerSideEncryptionConfigurationNotFoundError', None),
    'publicAccessBlock': ('GetPublicAccessBlock', 'PutPublicAccessBlock',
                          'DeletePublicAccessBlock', 'NoSuchPublicAccessBlockConfiguration',
                          None),
    'ownershipControls': ('GetBucketOwnershipControls', 'PutBucketOwnershipControls',
                          'DeleteBucketOwnershipControls', 'OwnershipControlsNotFoundError',
                          None),
    'cors': ('GetBucketCors', 'PutBucketCors', 'DeleteBucketCors', 'NoSuchCORSConfiguration',
             None),
    'lifecycle': ('GetBucketLifecycleConfiguration', 'PutBucketLifecycleConfiguration',
                  'DeleteBucketLifecycle', 'NoSuchLifecycleConfiguration', None),
    'website': ('GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite',
                'NoSuchWebsiteConfiguration', None),
    'replication': ('GetBucketReplication', 'PutBucketReplication', 'DeleteBucketReplication',
                    'ReplicationConfigurationNotFoundError', None),
    'object-lock': ('GetObjectLockConfiguration', 'PutObjectLockConfiguration', None,
                    'ObjectLockConfigurationNotFoundError', None),
    'logging': ('GetBucketLogging', 'PutBucketLogging', None, None,
                '<BucketLoggingStatus xmlns="%s"/>'),
    'accelerate': ('GetBucketAccelerateConfiguration', 'PutBucketAccelerateConfiguration',
                   None, None, '<AccelerateConfiguration xmlns="%s"/>'),
    'requestPayment': ('GetBucketRequestPayment', 'PutBucketRequestPayment', None, None,
                       '<RequestPaymentConfiguration xmlns="%s"><Payer>BucketOwner</Payer>'
                       '</RequestPaymentConfiguration>'),
    'acl': ('GetBucketAcl', 'PutBucketAcl', None, None,
            '<AccessControlPolicy xmlns="%s"><Owner><ID>cairn</ID></Owner><AccessControlList>'
            '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:type="CanonicalUser"><ID>cairn</ID></Grantee><Permission>FULL_CONTROL'
            '</Permission></Grant></AccessControlList></AccessControlPolicy>'),
}
STORED_ACTIONS = {}
for _sub, (_g, _p, _d, _code, _dflt) in STORED.items():
    for _name, _verb in ((_g, 'GET'), (_p, 'PUT'), (_d, 'DELETE')):
        if _name:
            STORED_ACTIONS[_name] = (_sub, _verb)


def action_name(ctx):
    bucket, key = _split(ctx)
    m = ctx.method
    sub = next((s for s in SUBRESOURCES if s in ctx.query), None)
    if bucket is None:
        return 'ListBuckets' if m == 'GET' else 'Unknown'
    if key is None:
        if sub in STORED:
            g, p, d = STORED[sub][:3]
            return {'GET': g, 'PUT': p, 'DELETE': d}.get(m) or 'Unknown'
        if sub:
            verb = {'GET': 'Get', 'PUT': 'Put', 'DELETE': 'Delete'}.get(m, m)
            name = {'location': 'Location'}.get(sub, sub[:1].upper() + sub[1:])
            return verb + 'Bucket' + name
        return {'PUT': 'CreateBucket', 'HEAD': 'HeadBucket', 'DELETE': 'DeleteBucket',
                'GET': 'ListObjectsV2' if ctx.query.get('list-type') == '2'
                else 'ListObjects'}.get(m, 'Unknown')
    return {'PUT': 'PutObject', 'GET': 'GetObject', 'HEAD': 'HeadObject',
            'DELETE': 'DeleteObject'}.get(m, 'Unknown')


def _xml(root, body, status=200, headers=None):
    h = {'Content-Type': 'application/xml'}
    h.update(headers or {})
    return Response(status, to_xml(root, body, XMLNS, 'member'), h)


def _no_bucket(name):
    e = AwsError('NoSuchBucket', 'The specified bucket does not exist', 404)
    e.extra = {'BucketName': name}
    return e


def _bucket(ctx, name):
    b = ctx.store.get('bucket', name)
    if b is None:
        raise _no_bucket(name)
    return b


def _iso(ts):
    return time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime(ts))


def _http_date(ts):
    return time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime(ts))


def stored_subresource(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    sub, verb = STORED_ACTIONS[ctx.action]
    code, default = STORED[sub][3], STORED[sub][4]
    docs = b.setdefault('subresources', {})
    if verb == 'PUT':
        if sub == 'policy':
            try:
                json.loads(ctx.body.decode('utf-8'))
            except ValueError:
                raise AwsError('MalformedPolicy', 'Policies must be valid JSON and the first '
                               'byte must be \'{\'', 400)
        elif ctx.body.strip():
            try:
                ET.fromstring(ctx.body)
            except ET.ParseError:
                raise AwsError('MalformedXML', 'The XML you provided was not well-formed or '
                               'did not validate against our published schema', 400)
        docs[sub] = ctx.body
        return Response(204 if sub == 'policy' else 200)
    if verb == 'DELETE':
        docs.pop(sub, None)
        return Response(204)
    if sub in docs:
        ctype = 'application/json' if sub == 'policy' else 'application/xml'
        return Response(200, docs[sub], {'Content-Type': ctype})
    if default is not None:
        return Response(200, ('<?xml version="1.0" encoding="UTF-8"?>\n' + default % XMLNS)
                        .encode(), {'Content-Type': 'application/xml'})
    e = AwsError(code, 'The %s configuration does not exist' % sub, 404)
    e.extra = {'BucketName': bucket}
    raise e


def handle(ctx):
    bucket, key = _split(ctx)
    act = ctx.action
    if act in STORED_ACTIONS:
        return stored_subresource(ctx, bucket, key)
    fn = HANDLERS.get(act)
    if fn is None:
        raise AwsError('NotImplemented', 'A header you provided implies functionality that '
                       'is not implemented (emulator: %s)' % act, 501)
    return fn(ctx, bucket, key)


def list_buckets(ctx, bucket, key):
    items = [{'Name': b['name'], 'CreationDate': _iso(b['_created'])}
             for b in ctx.store.all('bucket')]
    body = {'Owner': {'ID': 'cairn' + ctx.account, 'DisplayName': 'cairn'}, 'Buckets': []}
    out = to_xml('ListAllMyBucketsResult', body, XMLNS)
    inner = ''.join('<Bucket><Name>%s</Name><CreationDate>%s</CreationDate></Bucket>'
                    % (i['Name'], i['CreationDate']) for i in items)
    out = out.replace(b'<Buckets></Buckets>', ('<Buckets>%s</Buckets>' % inner).encode())
    return Response(200, out, {'Content-Type': 'application/xml'})


def create_bucket(ctx, bucket, key):
    st = ctx.store
    if not BUCKET_RE.match(bucket) or '..' in bucket:
        e = AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400)
        e.extra = {'BucketName': bucket}
        raise e
    region = 'us-east-1'
    if ctx.body.strip():
        try:
            root = ET.fromstring(ctx.body)
            for el in root.iter():
                if el.tag.endswith('LocationConstraint') and el.text:
                    region = el.text
        except ET.ParseError:
            raise AwsError('MalformedXML', 'The XML you provided was not well-formed or did '
                           'not validate against our published schema', 400)
    if region != ctx.region:
        raise AwsError('IllegalLocationConstraintException', 'The %s location constraint is '
                       'incompatible for the region specific endpoint this request was sent '
                       'to.' % region, 400)
    old = st.get('bucket', bucket)
    if old is not None:
        if ctx.region == 'us-east-1' and old['owner'] == ctx.account:
            return Response(200, b'', {'Location': '/' + bucket})
        if old['owner'] == ctx.account:
            raise AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the '
                           'named bucket succeeded and you already own it.', 409)
        raise AwsError('BucketAlreadyExists', 'The requested bucket name is not available.',
                       409)
    st.add('bucket', bucket, {'name': bucket, 'region': region, 'owner': ctx.account,
                              'versioning': None, 'objects': {}})
    return Response(200, b'', {'Location': '/' + bucket})


def head_bucket(ctx, bucket, key):
    b = ctx.store.get('bucket', bucket)
    if b is None:
        return Response(404, b'', {'x-amz-request-id': ctx.request_id})
    return Response(200, b'', {'x-amz-bucket-region': b['region']})


def delete_bucket(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    if b['objects']:
        e = AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409)
        e.extra = {'BucketName': bucket}
        raise e
    ctx.store.remove('bucket', bucket)
    return Response(204)


def get_location(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    loc = '' if b['region'] == 'us-east-1' else b['region']
    return Response(200, ('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint '
                          'xmlns="%s">%s</LocationConstraint>' % (XMLNS, loc)).encode(),
                    {'Content-Type': 'application/xml'})


def put_tagging(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    try:
        root = ET.fromstring(ctx.body)
    except ET.ParseError:
        raise AwsError('MalformedXML', 'The XML you provided was not well-formed', 400)
    tags = {}
    for el in root.iter():
        if el.tag.endswith('}Tag') or el.tag == 'Tag':
            k = v = None
            for c in el:
                if c.tag.endswith('Key'):
                    k = c.text or ''
                elif c.tag.endswith('Value'):
                    v = c.text or ''
            if k in tags:
                raise AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key',
                               400)
            tags[k] = v
    b['_tags'] = tags
    return Response(204)


def get_tagging(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    if not b['_tags']:
        e = AwsError('NoSuchTagSet', 'The TagSet does not exist', 404)
        e.extra = {'BucketName': bucket}
        raise e
    inner = ''.join('<Tag><Key>%s</Key><Value>%s</Value></Tag>' % (t['key'], t['value'])
                    for t in tag_set(b))
    return Response(200, ('<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="%s">'
                          '<TagSet>%s</TagSet></Tagging>' % (XMLNS, inner)).encode(),
                    {'Content-Type': 'application/xml'})


def delete_tagging(ctx, bucket, key):
    _bucket(ctx, bucket)['_tags'] = {}
    return Response(204)


def put_versioning(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    m = re.search(rb'<Status>(\w+)</Status>', ctx.body)
    if not m or m.group(1) not in (b'Enabled', b'Suspended'):
        raise AwsError('MalformedXML', 'The XML you provided was not well-formed', 400)
    b['versioning'] = m.group(1).decode()
    return Response(200)


def get_versioning(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    body = {'Status': b['versioning']} if b['versioning'] else {}
    return _xml('VersioningConfiguration', body)


def list_objects(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    v2 = ctx.action == 'ListObjectsV2'
    prefix = ctx.query.get('prefix', '')
    try:
        maxk = min(int(ctx.query.get('max-keys', '1000')), 1000, ctx.emu.cfg.max_page)
    except ValueError:
        raise AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer '
                       'range', 400)
    start = ctx.query.get('continuation-token') if v2 else ctx.query.get('marker')
    start = start or ctx.query.get('start-after', '')
    keys = sorted(k for k in b['objects'] if k.startswith(prefix) and k > start)
    page = keys[:maxk]
    truncated = len(keys) > len(page)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="%s">' % XMLNS,
             '<Name>%s</Name><Prefix>%s</Prefix><MaxKeys>%d</MaxKeys>' % (bucket, prefix, maxk),
             '<IsTruncated>%s</IsTruncated>' % ('true' if truncated else 'false')]
    if v2:
        parts.append('<KeyCount>%d</KeyCount>' % len(page))
        if truncated:
            parts.append('<NextContinuationToken>%s</NextContinuationToken>' % page[-1])
    elif truncated:
        parts.append('<NextMarker>%s</NextMarker>' % page[-1])
    from xml.sax.saxutils import escape
    for k in page:
        o = b['objects'][k]
        parts.append('<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>"%s"</ETag>'
                     '<Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>'
                     % (escape(k), _iso(o['mtime']), o['etag'], len(o['data'])))
    parts.append('</ListBucketResult>')
    return Response(200, ''.join(parts).encode(), {'Content-Type': 'application/xml'})


def put_object(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    etag = hashlib.md5(ctx.body).hexdigest()
    b['objects'][key] = {'data': ctx.body, 'etag': etag, 'mtime': time.time(),
                         'type': ctx.headers.get('Content-Type') or 'binary/octet-stream'}
    return Response(200, b'', {'ETag': '"%s"' % etag})


def _object(ctx, bucket, key):
    b = _bucket(ctx, bucket)
    o = b['objects'].get(key)
    if o is None:
        e = AwsError('NoSuchKey', 'The specified key does not exist.', 404)
        e.extra = {'Key': key}
        raise e
    return o


def get_object(ctx, bucket, key):
    o = _object(ctx, bucket, key)
    return Response(200, o['data'], {'ETag': '"%s"' % o['etag'], 'Content-Type': o['type'],
                                     'Last-Modified': _http_date(o['mtime'])})


def head_object(ctx, bucket, key):
    b = ctx.store.get('bucket', bucket)
    o = b['objects'].get(key) if b else None
    if o is None:
        return Response(404, b'')
    return Response(200, b'', {'ETag': '"%s"' % o['etag'], 'Content-Type': o['type'],
                               'Last-Modified': _http_date(o['mtime']),
                               'Content-Length': str(len(o['data']))})


def delete_object(ctx, bucket, key):
    _bucket(ctx, bucket)['objects'].pop(key, None)
    return Response(204)


HANDLERS = {
    'ListBuckets': list_buckets, 'CreateBucket': create_bucket, 'HeadBucket': head_bucket,
    'DeleteBucket': delete_bucket, 'GetBucketLocation': get_location,
    'PutBucketTagging': put_tagging, 'GetBucketTagging': get_tagging,
    'DeleteBucketTagging': delete_tagging, 'PutBucketVersioning': put_versioning,
    'GetBucketVersioning': get_versioning, 'ListObjects': list_objects,
    'ListObjectsV2': list_objects, 'PutObject': put_object, 'GetObject': get_object,
    'HeadObject': head_object, 'DeleteObject': delete_object,
}


def admin_delete(st, rtype, obj):
    if rtype != 'bucket':
        return False
    st.remove('bucket', obj['name'])
    return True
