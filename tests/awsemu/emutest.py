"""Helpers for the emulator's own tests (run with Debian's /usr/bin/python3,
which has botocore: botocore is the independent client that signs requests).

EMU_URL (env) is the running emulator, e.g. http://127.0.0.1:41234.
Each check prints "ok NAME" or "not ok NAME" (with "# ..." detail lines).
"""
import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.request

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

URL = os.environ.get('EMU_URL', 'http://127.0.0.1:0')
KEY = 'AKIAIOSFODNN7EXAMPLE'
SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
PREFIX = os.environ.get('EMU_TEST_PREFIX', 'awsemu')

_session = botocore.session.get_session()
failures = 0


def client(service, region='us-east-1', key=KEY, secret=SECRET, token=None, retries=1,
           **kw):
    cfg = Config(retries={'total_max_attempts': retries, 'mode': 'standard'},
                 connect_timeout=5, read_timeout=10, **kw)
    return _session.create_client(service, endpoint_url=URL, region_name=region,
                                  aws_access_key_id=key, aws_secret_access_key=secret,
                                  aws_session_token=token, config=cfg)


def admin(path, data=None, method=None):
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(URL + path, data=body,
                                 method=method or ('POST' if data is not None else 'GET'))
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
    except urllib.error.HTTPError as e:
        raw = e.read()
    text = raw.decode()
    try:
        return json.loads(text)
    except ValueError:
        return text


def calls(**q):
    qs = '&'.join('%s=%s' % kv for kv in q.items())
    text = admin('/_emu/calls' + ('?' + qs if qs else ''))
    if isinstance(text, (dict, list)):
        return [text]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def count(**q):
    qs = '&'.join('%s=%s' % kv for kv in q.items())
    return admin('/_emu/calls/count' + ('?' + qs if qs else ''))['count']


def check(name, cond, detail=None):
    global failures
    if cond:
        print('ok %s.%s' % (PREFIX, name))
    else:
        failures += 1
        if detail is not None:
            for line in str(detail).splitlines():
                print('# ' + line)
        print('not ok %s.%s' % (PREFIX, name))
    sys.stdout.flush()
    return cond


def error_of(fn, /, *a, **kw):
    """(code, HTTP status, message) of the ClientError fn raises, or None."""
    try:
        fn(*a, **kw)
    except ClientError as e:
        err = e.response.get('Error', {})
        return (err.get('Code'), e.response['ResponseMetadata'].get('HTTPStatusCode'),
                err.get('Message', ''))
    return None


def expect_error(label, code, fn, /, *a, status=None, msg_part=None, **kw):
    got = error_of(fn, *a, **kw)
    ok = got is not None and got[0] == code and (status is None or got[1] == status) and \
        (msg_part is None or msg_part in got[2])
    return check(label, ok, 'expected %s %s%s, got %r' % (code, status or '',
                                                         ' ~ ' + msg_part if msg_part else '',
                                                         got))


def run(name, fn):
    """Run one group of checks; an exception is one failed check."""
    try:
        fn()
    except Exception:
        check(name + '.no_exception', False, traceback.format_exc())


def wait_for(pred, timeout=10.0, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def finish():
    sys.exit(1 if failures else 0)
