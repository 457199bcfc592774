"""S3 through botocore (REST-XML): buckets, objects, listing with small
pages, BucketNotEmpty ordering, tagging, versioning, stored subresources."""
import json

import emutest as T
from emutest import check, client, error_of, expect_error

T.PREFIX = 'awsemu.s3'
s3 = client('s3')


def test_buckets_and_objects():
    s3.create_bucket(Bucket='cairn-data')
    check('bucket.listed', 'cairn-data' in [b['Name'] for b in s3.list_buckets()['Buckets']])
    s3.head_bucket(Bucket='cairn-data')
    e = error_of(s3.head_bucket, Bucket='nope-bucket')
    check('bucket.head_missing_404', e is not None and e[1] == 404, e)
    expect_error('bucket.invalid_name', 'InvalidBucketName', s3.create_bucket, Bucket='Bad_Name')
    for i in range(7):
        s3.put_object(Bucket='cairn-data', Key='k/%d' % i, Body=b'x' * i)
    o = s3.get_object(Bucket='cairn-data', Key='k/3')
    check('object.roundtrip', o['Body'].read() == b'xxx' and o['ContentLength'] == 3)
    h = s3.head_object(Bucket='cairn-data', Key='k/6')
    check('object.head_length', h['ContentLength'] == 6, h)
    expect_error('object.missing', 'NoSuchKey', s3.get_object, Bucket='cairn-data', Key='zz',
                 status=404)
    T.admin('/_emu/config', {'max_page': 3})
    keys = [c['Key'] for p in s3.get_paginator('list_objects_v2').paginate(Bucket='cairn-data')
            for c in p.get('Contents', [])]
    T.admin('/_emu/config', {'max_page': 100})
    check('list.paginated', keys == ['k/%d' % i for i in range(7)], keys)
    expect_error('order.bucket_not_empty', 'BucketNotEmpty', s3.delete_bucket,
                 Bucket='cairn-data', status=409)
    for i in range(7):
        s3.delete_object(Bucket='cairn-data', Key='k/%d' % i)
    s3.delete_bucket(Bucket='cairn-data')
    expect_error('bucket.deleted', 'NoSuchBucket', s3.get_bucket_tagging, Bucket='cairn-data',
                 status=404)


def test_bucket_configuration():
    s3.create_bucket(Bucket='cairn-conf')
    expect_error('tagging.none', 'NoSuchTagSet', s3.get_bucket_tagging, Bucket='cairn-conf')
    s3.put_bucket_tagging(Bucket='cairn-conf', Tagging={'TagSet': [{'Key': 'a', 'Value': 'b'}]})
    check('tagging.roundtrip', s3.get_bucket_tagging(Bucket='cairn-conf')['TagSet'] ==
          [{'Key': 'a', 'Value': 'b'}])
    s3.put_bucket_versioning(Bucket='cairn-conf', VersioningConfiguration={'Status': 'Enabled'})
    check('versioning.enabled', s3.get_bucket_versioning(Bucket='cairn-conf')['Status'] ==
          'Enabled')
    expect_error('policy.none', 'NoSuchBucketPolicy', s3.get_bucket_policy, Bucket='cairn-conf')
    pol = json.dumps({'Version': '2012-10-17', 'Statement': []})
    s3.put_bucket_policy(Bucket='cairn-conf', Policy=pol)
    check('policy.roundtrip', json.loads(s3.get_bucket_policy(Bucket='cairn-conf')['Policy']) ==
          json.loads(pol))
    s3.delete_bucket_policy(Bucket='cairn-conf')
    expect_error('policy.deleted', 'NoSuchBucketPolicy', s3.get_bucket_policy,
                 Bucket='cairn-conf')
    s3.put_public_access_block(Bucket='cairn-conf', PublicAccessBlockConfiguration={
        'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True,
        'RestrictPublicBuckets': True})
    c = s3.get_public_access_block(Bucket='cairn-conf')['PublicAccessBlockConfiguration']
    check('public_access_block.roundtrip', c['BlockPublicAcls'] is True, c)
    s3.put_bucket_encryption(Bucket='cairn-conf', ServerSideEncryptionConfiguration={
        'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'AES256'}}]})
    r = s3.get_bucket_encryption(Bucket='cairn-conf')['ServerSideEncryptionConfiguration']
    check('encryption.roundtrip', r['Rules'][0]['ApplyServerSideEncryptionByDefault']
          ['SSEAlgorithm'] == 'AES256', r)
    check('acl.default', s3.get_bucket_acl(Bucket='cairn-conf')['Grants'][0]['Permission'] ==
          'FULL_CONTROL')
    loc = s3.get_bucket_location(Bucket='cairn-conf')
    check('location.us_east_1', loc.get('LocationConstraint') in (None, ''), loc)
    s3.delete_bucket(Bucket='cairn-conf')


for name, fn in sorted(globals().copy().items()):
    if name.startswith('test_'):
        T.run(name[5:], fn)
T.finish()
