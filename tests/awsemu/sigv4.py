"""AWS Signature Version 4 verification, written for the emulator from the
published algorithm (canonical request -> string to sign -> HMAC chain).

parse() reads the Authorization header (or the presigned-URL query) without
checking anything but its syntax, so the server can route on the credential
scope's service first.  verify() then checks scope, time and signature and
raises SigError(kind, message); the server turns the kind into the error
code of the service's protocol (see server.SIG_ERRORS).
"""
import datetime
import email.utils
import hashlib
import hmac
import re
import urllib.parse

ALGORITHM = 'AWS4-HMAC-SHA256'
MAX_SKEW = datetime.timedelta(minutes=15)
UNSIGNED = 'UNSIGNED-PAYLOAD'
EMPTY_SHA256 = hashlib.sha256(b'').hexdigest()
_UNRESERVED = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~')
_HEX64 = re.compile(r'^[0-9a-f]{64}$')


class SigError(Exception):
    def __init__(self, kind, message, detail=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.detail = detail or {}


class AuthInfo:
    """What the request claims: key, scope, signed headers, signature."""

    def __init__(self):
        self.access_key = None
        self.date = None          # scope date YYYYMMDD
        self.region = None
        self.service = None
        self.terminator = None
        self.signed_headers = []
        self.signature = None
        self.amz_date = None      # X-Amz-Date value
        self.presigned = False
        self.expires = None
        self.token = None


def uri_encode(text, keep_slash):
    out = []
    for b in text.encode('utf-8'):
        if b in _UNRESERVED or (keep_slash and b == 0x2f):
            out.append(chr(b))
        else:
            out.append('%%%02X' % b)
    return ''.join(out)


def _split_query(raw_query):
    pairs = []
    if not raw_query:
        return pairs
    for part in raw_query.split('&'):
        if part == '':
            continue
        name, sep, value = part.partition('=')
        pairs.append((urllib.parse.unquote(name), urllib.parse.unquote(value)))
    return pairs


def canonical_query(raw_query, drop_signature=False):
    pairs = []
    for name, value in _split_query(raw_query):
        if drop_signature and name == 'X-Amz-Signature':
            continue
        pairs.append((uri_encode(name, False), uri_encode(value, False)))
    pairs.sort()
    return '&'.join('%s=%s' % p for p in pairs)


def _remove_dot_segments(path):
    out = []
    for seg in path.split('/'):
        if seg == '..':
            if len(out) > 1:
                out.pop()
        elif seg != '.':
            out.append(seg)
    res = '/'.join(out)
    return res if res.startswith('/') else '/' + res


def canonical_uri(raw_path, s3):
    """S3: the path as sent, normalised to AWS's encoding and never collapsed.
    Other services: normalised path, each segment encoded twice (the sender
    encodes the already-encoded path once more)."""
    if raw_path == '':
        raw_path = '/'
    if s3:
        return uri_encode(urllib.parse.unquote(raw_path), True)
    path = _remove_dot_segments(raw_path)
    path = re.sub('/+', '/', path)
    return uri_encode(path, True)


def _trim(value):
    return ' '.join(value.strip().split())


def parse(method, raw_path, raw_query, headers):
    """headers: list of (name, value).  Returns AuthInfo or None (unsigned);
    raises SigError('incomplete') for a malformed signature."""
    del method, raw_path
    info = AuthInfo()
    hmap = {}
    for name, value in headers:
        hmap.setdefault(name.lower(), []).append(value)
    auth = hmap.get('authorization')
    q = dict(_split_query(raw_query))
    if auth:
        value = auth[0].strip()
        if not value.startswith(ALGORITHM + ' '):
            raise SigError('incomplete', 'Unsupported authorization type: only %s is accepted'
                           % ALGORITHM)
        fields = {}
        for part in value[len(ALGORITHM):].split(','):
            k, sep, v = part.strip().partition('=')
            if sep:
                fields[k.strip()] = v.strip()
        for need in ('Credential', 'SignedHeaders', 'Signature'):
            if need not in fields:
                raise SigError('incomplete', "Authorization header requires '%s' parameter. "
                               "Authorization=%s" % (need, value.split(' ')[0]))
        cred = fields['Credential']
        info.signed_headers = fields['SignedHeaders'].split(';')
        info.signature = fields['Signature']
        amz = hmap.get('x-amz-date')
        if amz:
            info.amz_date = amz[0].strip()
        elif hmap.get('date'):
            try:
                d = email.utils.parsedate_to_datetime(hmap['date'][0])
                info.amz_date = d.astimezone(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
            except (TypeError, ValueError):
                info.amz_date = hmap['date'][0]
        else:
            raise SigError('incomplete', 'Authorization header requires existence of either '
                           "a 'X-Amz-Date' or a 'Date' header.")
        tok = hmap.get('x-amz-security-token')
        info.token = tok[0].strip() if tok else None
    elif 'X-Amz-Algorithm' in q:
        if q['X-Amz-Algorithm'] != ALGORITHM:
            raise SigError('incomplete', 'X-Amz-Algorithm only supports "%s"' % ALGORITHM)
        for need in ('X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Date'):
            if need not in q:
                raise SigError('incomplete', "Query-string authentication requires the %s "
                               "parameter" % need)
        info.presigned = True
        cred = q['X-Amz-Credential']
        info.signed_headers = q['X-Amz-SignedHeaders'].split(';')
        info.signature = q['X-Amz-Signature']
        info.amz_date = q['X-Amz-Date']
        info.expires = q.get('X-Amz-Expires')
        info.token = q.get('X-Amz-Security-Token')
    else:
        return None
    parts = cred.split('/')
    if len(parts) != 5:
        raise SigError('incomplete', "Credential should have exactly 5 slash-delimited "
                       "elements, e.g. keyid/date/region/service/term, got '%s'" % cred)
    info.access_key, info.date, info.region, info.service, info.terminator = parts
    return info


def _parse_amz_date(text):
    try:
        return datetime.datetime.strptime(text, '%Y%m%dT%H%M%SZ').replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        return None


def signing_key(secret, date, region, service):
    k = hmac.new(('AWS4' + secret).encode('utf-8'), date.encode('utf-8'), hashlib.sha256).digest()
    for part in (region, service, 'aws4_request'):
        k = hmac.new(k, part.encode('utf-8'), hashlib.sha256).digest()
    return k


def canonical_request(method, raw_path, raw_query, headers, signed_headers, payload_hash, s3,
                      presigned):
    hmap = {}
    for name, value in headers:
        hmap.setdefault(name.lower(), []).append(_trim(value))
    lines = [method, canonical_uri(raw_path, s3), canonical_query(raw_query, presigned)]
    for h in signed_headers:
        lines.append('%s:%s' % (h, ','.join(hmap.get(h, []))))
    lines.append('')
    lines.append(';'.join(signed_headers))
    lines.append(payload_hash)
    return '\n'.join(lines)


def verify(info, method, raw_path, raw_query, headers, body, secret, now, valid_regions,
           expected_service, s3=False):
    """Raise SigError unless the request is correctly signed with secret.
    valid_regions: regions this endpoint serves; expected_service: the signing
    name of the service the request was routed to."""
    if info.terminator != 'aws4_request':
        raise SigError('incomplete', "Credential should be scoped with a valid terminator: "
                       "'aws4_request', not '%s'." % info.terminator)
    if info.service != expected_service:
        raise SigError('service', "Credential should be scoped to correct service: '%s'. "
                       % expected_service)
    if info.region not in valid_regions:
        raise SigError('region', "Credential should be scoped to a valid region, not '%s'. "
                       % info.region, {'expected': sorted(valid_regions)[0]})
    when = _parse_amz_date(info.amz_date)
    if when is None:
        raise SigError('incomplete', "Invalid X-Amz-Date '%s'; it must be in ISO8601 basic "
                       "format (yyyyMMdd'T'HHmmss'Z')" % info.amz_date)
    if info.date != info.amz_date[:8]:
        raise SigError('mismatch', "Date in Credential scope does not match YYYYMMDD from "
                       "ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'."
                       % (info.date, info.amz_date[:8], info.amz_date))
    signed = set(info.signed_headers)
    if 'host' not in signed:
        raise SigError('mismatch', "'Host' or ':authority' must be a 'SignedHeader' in the "
                       "AWS Authorization.")
    present = {n.lower() for n, _ in headers}
    for h in info.signed_headers:
        if h not in present:
            raise SigError('mismatch', 'The request signature we calculated does not match '
                           'the signature you provided: signed header %s is missing.' % h)
    fmt = '%Y%m%dT%H%M%SZ'
    if info.presigned:
        try:
            expires = int(info.expires or '0')
        except ValueError:
            expires = -1
        if expires < 1 or expires > 604800:
            raise SigError('incomplete', 'X-Amz-Expires must be between 1 and 604800 seconds')
        if now > when + datetime.timedelta(seconds=expires):
            raise SigError('expired', 'Request has expired', {
                'X-Amz-Expires': str(expires), 'Expires': (when + datetime.timedelta(
                    seconds=expires)).strftime(fmt), 'ServerTime': now.strftime(fmt)})
    elif now - when > MAX_SKEW:
        raise SigError('expired', 'Signature expired: %s is now earlier than %s (%s - 15 min.)'
                       % (info.amz_date, (now - MAX_SKEW).strftime(fmt), now.strftime(fmt)),
                       {'RequestTime': info.amz_date, 'ServerTime': now.strftime(fmt)})
    if when - now > MAX_SKEW:
        raise SigError('future', 'Signature not yet current: %s is still later than %s '
                       '(%s + 15 min.)' % (info.amz_date, (now + MAX_SKEW).strftime(fmt),
                                           now.strftime(fmt)),
                       {'RequestTime': info.amz_date, 'ServerTime': now.strftime(fmt)})
    actual = hashlib.sha256(body).hexdigest()
    if s3:
        claimed = None
        for n, v in headers:
            if n.lower() == 'x-amz-content-sha256':
                claimed = v.strip()
        if info.presigned:
            payload_hash = claimed or UNSIGNED
        elif claimed is None:
            raise SigError('incomplete', 'Missing required header for this request: '
                           'x-amz-content-sha256')
        elif claimed == UNSIGNED:
            payload_hash = UNSIGNED
        elif _HEX64.match(claimed):
            if claimed != actual:
                raise SigError('body_hash', "The provided 'x-amz-content-sha256' header does "
                               "not match what was computed.",
                               {'ClientComputedContentSHA256': claimed,
                                'S3ComputedContentSHA256': actual})
            payload_hash = claimed
        else:
            raise SigError('incomplete', "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or "
                           "a valid sha256 value.")
    else:
        payload_hash = actual
    creq = canonical_request(method, raw_path, raw_query, headers, info.signed_headers,
                             payload_hash, s3, info.presigned)
    scope = '/'.join((info.date, info.region, info.service, 'aws4_request'))
    sts = '\n'.join((ALGORITHM, info.amz_date, scope,
                     hashlib.sha256(creq.encode('utf-8')).hexdigest()))
    key = signing_key(secret, info.date, info.region, info.service)
    want = hmac.new(key, sts.encode('utf-8'), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, info.signature):
        raise SigError('mismatch', 'The request signature we calculated does not match the '
                       'signature you provided. Check your AWS Secret Access Key and signing '
                       'method. Consult the service documentation for details.',
                       {'CanonicalRequest': creq, 'StringToSign': sts})
