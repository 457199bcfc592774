"""The emulator's SigV4 verification against botocore's signer (issue 5,
acceptance 6): wrong secret, unknown key, wrong region / service scope,
modified body, expired and future requests, session tokens, error formats."""
import datetime
import http.client
import re
import types
import unittest.mock
import urllib.parse

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import emutest as T
from emutest import check, client, expect_error

BAD_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ'


def _fake_datetime(shift):
    class Shifted(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return datetime.datetime.utcnow() + datetime.timedelta(seconds=shift)
    return types.SimpleNamespace(datetime=Shifted, timedelta=datetime.timedelta)


def raw(service, body=b'', path='/', method='POST', region='us-east-1', key=T.KEY,
        secret=T.SECRET, token=None, shift=0, headers=None, tamper=None, s3=False,
        query=''):
    """Sign a request with botocore and send it with http.client; tamper(req)
    may change the prepared request after signing.  Returns (status, headers, body)."""
    url = T.URL + path + ('?' + query if query else '')
    hdrs = {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'}
    hdrs.update(headers or {})
    req = AWSRequest(method=method, url=url, data=body, headers=hdrs)
    creds = Credentials(key, secret, token)
    signer = (botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth)(
        creds, service, region)
    with unittest.mock.patch('botocore.auth.datetime', _fake_datetime(shift)):
        signer.add_auth(req)
    prepared = req.prepare()
    send_body = prepared.body or b''
    if isinstance(send_body, str):
        send_body = send_body.encode()
    if tamper:
        send_body = tamper(send_body)
    u = urllib.parse.urlsplit(T.URL)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    sendh = dict(prepared.headers)
    sendh['Content-Length'] = str(len(send_body))
    conn.request(method, prepared.url[len(T.URL):] or '/', body=send_body, headers=sendh)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), data.decode('utf-8', 'replace')


def code_of(text):
    m = re.search(r'<Code>([^<]*)</Code>', text)
    return m.group(1) if m else None


EC2_BODY = b'Action=DescribeVpcs&Version=2016-11-15'
STS_BODY = b'Action=GetCallerIdentity&Version=2011-06-15'


def test_good():
    check('sigv4.botocore_ec2_accepted', 'Vpcs' in client('ec2').describe_vpcs())
    ident = client('sts').get_caller_identity()
    check('sigv4.botocore_sts_accepted', ident['Account'] == '123456789012', ident)
    st, _, body = raw('ec2', EC2_BODY)
    check('sigv4.raw_signed_accepted', st == 200 and '<vpcSet' in body, (st, body))


def test_wrong_secret():
    expect_error('sigv4.wrong_secret_ec2', 'SignatureDoesNotMatch',
                 client('ec2', secret=BAD_SECRET).describe_vpcs, status=403)
    expect_error('sigv4.wrong_secret_sts', 'SignatureDoesNotMatch',
                 client('sts', secret=BAD_SECRET).get_caller_identity, status=403)
    st, _, body = raw('ec2', EC2_BODY, secret=BAD_SECRET)
    ok = (st == 403 and re.search(r'^(<\?xml[^>]*>\s*)?<Response><Errors><Error><Code>'
                                  r'SignatureDoesNotMatch</Code><Message>[^<]+</Message>'
                                  r'</Error></Errors><RequestID>[0-9a-f-]{36}</RequestID>'
                                  r'</Response>$', body))
    check('sigv4.ec2_error_format', ok, (st, body))
    st, h, body = raw('sts', STS_BODY, secret=BAD_SECRET)
    ok = (st == 403 and '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
          in body and '<Type>Sender</Type>' in body and '<RequestId>' in body
          and code_of(body) == 'SignatureDoesNotMatch')
    check('sigv4.query_error_format', ok, (st, body))


def test_unknown_key():
    expect_error('sigv4.unknown_key_ec2', 'AuthFailure',
                 client('ec2', key='AKIANOTKNOWNEXAMPLE0').describe_vpcs, status=401)
    expect_error('sigv4.unknown_key_sts', 'InvalidClientTokenId',
                 client('sts', key='AKIANOTKNOWNEXAMPLE0').get_caller_identity, status=403)


def test_wrong_region():
    expect_error('sigv4.wrong_region_ec2', 'SignatureDoesNotMatch',
                 client('ec2', region='us-west-2').describe_vpcs, status=403,
                 msg_part="Credential should be scoped to a valid region, not 'us-west-2'")
    st, _, body = raw('ec2', EC2_BODY, region='eu-west-1')
    check('sigv4.wrong_region_raw', st == 403 and 'valid region' in body, (st, body))
    # STS is global: us-east-1 is always valid for it, other regions only if served.
    expect_error('sigv4.wrong_region_sts', 'SignatureDoesNotMatch',
                 client('sts', region='ap-south-1').get_caller_identity, status=403,
                 msg_part='valid region')


def test_wrong_service():
    st, _, body = raw('iam', EC2_BODY)
    check('sigv4.wrong_service_ec2', st == 403 and code_of(body) == 'SignatureDoesNotMatch'
          and "Credential should be scoped to correct service: 'ec2'" in body, (st, body))
    st, _, body = raw('ec2', STS_BODY)
    check('sigv4.wrong_service_sts', st == 403 and code_of(body) == 'SignatureDoesNotMatch'
          and "correct service: 'sts'" in body, (st, body))


def test_modified_body():
    def tamper(b):
        return b.replace(b'DescribeVpcs', b'DescribeVpcz')
    st, _, body = raw('ec2', EC2_BODY, tamper=tamper)
    check('sigv4.modified_body_ec2', st == 403 and code_of(body) == 'SignatureDoesNotMatch',
          (st, body))
    st, _, body = raw('ec2', EC2_BODY + b'&VpcId.1=vpc-1', tamper=lambda b: b[:-1] + b'2')
    check('sigv4.modified_param_ec2', st == 403 and code_of(body) == 'SignatureDoesNotMatch',
          (st, body))
    # S3 checks the body against x-amz-content-sha256 first.
    client('s3').create_bucket(Bucket='sigv4-body-test')
    st, _, body = raw('s3', b'hello world', path='/sigv4-body-test/k', method='PUT', s3=True,
                      headers={'Content-Type': 'text/plain'},
                      tamper=lambda b: b'hello WORLD')
    check('sigv4.modified_body_s3', st == 400 and code_of(body) == 'XAmzContentSHA256Mismatch',
          (st, body))
    st, _, body = raw('s3', b'hello world', path='/sigv4-body-test/k', method='PUT', s3=True,
                      headers={'Content-Type': 'text/plain'})
    check('sigv4.s3_put_signed_body', st == 200, (st, body))
    st, _, body = raw('s3', b'unsigned', path='/sigv4-body-test/u', method='PUT', s3=True,
                      headers={'Content-Type': 'text/plain',
                               'X-Amz-Content-SHA256': 'UNSIGNED-PAYLOAD'})
    check('sigv4.s3_unsigned_payload', st == 200, (st, body))


def test_expired():
    st, _, body = raw('ec2', EC2_BODY, shift=-16 * 60)
    check('sigv4.expired_ec2', st == 400 and code_of(body) == 'RequestExpired', (st, body))
    st, _, body = raw('sts', STS_BODY, shift=-20 * 60)
    check('sigv4.expired_sts', st == 403 and code_of(body) == 'SignatureDoesNotMatch'
          and 'Signature expired' in body, (st, body))
    st, _, body = raw('ec2', EC2_BODY, shift=-14 * 60)
    check('sigv4.within_15min_accepted', st == 200, (st, body))
    st, _, body = raw('ec2', EC2_BODY, shift=16 * 60)
    check('sigv4.future_ec2', st == 400 and code_of(body) == 'RequestExpired', (st, body))
    st, _, body = raw('s3', b'', path='/', method='GET', s3=True, shift=-30 * 60)
    check('sigv4.expired_s3', st == 403 and code_of(body) == 'RequestTimeTooSkewed',
          (st, body))


def test_tokens_and_unsigned():
    key, secret, tok = ('ASIAIOSFODNN7EXAMPLE', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
                        'FQoGZXIvYXdzEXAMPLETOKENcairnEmulatorSessionToken')
    ident = client('sts', key=key, secret=secret, token=tok).get_caller_identity()
    check('sigv4.session_token_accepted', 'assumed-role' in ident['Arn'], ident)
    expect_error('sigv4.session_token_missing', 'AuthFailure',
                 client('ec2', key=key, secret=secret).describe_vpcs, status=401)
    expect_error('sigv4.session_token_wrong', 'InvalidClientTokenId',
                 client('sts', key=key, secret=secret, token=tok + 'x').get_caller_identity)
    u = urllib.parse.urlsplit(T.URL)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request('POST', '/', body=EC2_BODY,
                 headers={'Content-Type': 'application/x-www-form-urlencoded'})
    r = conn.getresponse()
    body = r.read().decode()
    conn.close()
    check('sigv4.unsigned_rejected', r.status in (401, 403)
          and code_of(body) == 'MissingAuthenticationToken', (r.status, body))
    # A key registered through the admin interface.
    T.admin('/_emu/credentials', {'access_key': 'AKIACAIRNADMINKEY001',
                                  'secret_key': 'adminsecret/0123456789', 'account_id':
                                  '210987654321'})
    ident = client('sts', key='AKIACAIRNADMINKEY001',
                   secret='adminsecret/0123456789').get_caller_identity()
    check('sigv4.registered_key_accepted', ident['Account'] == '210987654321', ident)


def test_presigned_url():
    s3 = client('s3', signature_version='s3v4')
    s3.create_bucket(Bucket='sigv4-presign')
    s3.put_object(Bucket='sigv4-presign', Key='obj', Body=b'presigned body')
    url = s3.generate_presigned_url('get_object', Params={'Bucket': 'sigv4-presign',
                                                          'Key': 'obj'}, ExpiresIn=60)
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request('GET', u.path + '?' + u.query)
    r = conn.getresponse()
    body = r.read()
    check('sigv4.presigned_get', r.status == 200 and body == b'presigned body',
          (r.status, body))
    bad = u.query.replace('X-Amz-Expires=60', 'X-Amz-Expires=61')
    conn.request('GET', u.path + '?' + bad)
    r = conn.getresponse()
    body = r.read().decode()
    conn.close()
    check('sigv4.presigned_tampered', r.status == 403
          and code_of(body) == 'SignatureDoesNotMatch', (r.status, body))


def test_canonicalisation():
    # Query-string parameters, odd characters and repeated keys are signed too.
    st, _, body = raw('ec2', b'', method='GET',
                      query='Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag%3AName'
                            '&Filter.1.Value.1=a%20b%2Fc~%2A')
    check('sigv4.get_query_signed', st == 200, (st, body))
    client('s3').create_bucket(Bucket='sigv4-canon-test')
    st, _, body = raw('s3', b'', path='/sigv4-canon-test/a%20b/c~d%2Be', method='PUT', s3=True)
    check('sigv4.s3_odd_key_signed', st == 200, (st, body))


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run('sigv4.' + name[5:], fn)
T.finish()
