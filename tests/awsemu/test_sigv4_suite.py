"""The emulator's SigV4 verifier against AWS's published test suite
(../shared/testdata/aws-sig-v4-test-suite): for every case the canonical
request equals NAME.creq and the signed request NAME.sreq verifies; the two
cases SOURCE.txt documents as inconsistent are checked against .creq only.
Standard library only (no botocore)."""
import datetime
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

PREFIX = 'awsemu.sigv4_suite'
ROOT = os.environ.get('ROOT') or os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                              '..', '..'))
SUITE = os.environ.get('SIGV4_SUITE') or os.path.join(ROOT, '..', 'shared', 'testdata',
                                                       'aws-sig-v4-test-suite')
if not os.path.isdir(SUITE):
    SUITE = '/work/shared/testdata/aws-sig-v4-test-suite'
SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
NOW = datetime.datetime(2015, 8, 30, 12, 36, 0, tzinfo=datetime.timezone.utc)
INCONSISTENT = {'post-x-www-form-urlencoded', 'post-x-www-form-urlencoded-parameters'}
failures = 0


def report(name, ok, detail=None):
    global failures
    if not ok:
        failures += 1
        for line in str(detail or '').splitlines():
            print('# ' + line)
    print('%s %s.%s' % ('ok' if ok else 'not ok', PREFIX, name))


def parse_req(text):
    """(method, path, query, [(name, value)], body) from a .req/.sreq file."""
    head, sep, body = text.partition('\n\n')
    lines = head.split('\n')
    first = lines[0]
    method, rest = first.split(' ', 1)
    target = rest.rsplit(' ', 1)[0]
    path, _, query = target.partition('?')
    headers = []
    for line in lines[1:]:
        if line[:1] in (' ', '\t') and headers:
            n, v = headers[-1]
            headers[-1] = (n, v + '\n' + line)
            continue
        n, _, v = line.partition(':')
        headers.append((n, v))
    return method, path, query, headers, body.encode('utf-8')


def cases():
    out = []
    for dirpath, _dirs, files in os.walk(SUITE):
        for f in files:
            if f.endswith('.req'):
                out.append((os.path.basename(dirpath), os.path.join(dirpath, f[:-4])))
    return sorted(out)


def run_case(name, base):
    creq_want = open(base + '.creq', encoding='utf-8').read()
    method, path, query, headers, body = parse_req(open(base + '.req', encoding='utf-8').read())
    signed = creq_want.split('\n')[-2].split(';')
    have = {n.lower() for n, _ in headers}
    _m, _p, _q, sh, _b = parse_req(open(base + '.sreq', encoding='utf-8').read())
    headers += [(n, v) for n, v in sh if n.lower() in signed and n.lower() not in have]
    got = sigv4.canonical_request(method, path, query, headers, signed,
                                  hashlib.sha256(body).hexdigest(), False, False)
    report(name + '.creq', got == creq_want, 'got:\n%s\nwant:\n%s' % (got, creq_want))
    if name in INCONSISTENT:
        return
    m, p, q, h, b = parse_req(open(base + '.sreq', encoding='utf-8').read())
    if name == 'get-vanilla-with-session-token':
        authz = open(base + '.authz', encoding='utf-8').read().strip()
        h = [(n, authz if n.lower() == 'authorization' else v) for n, v in h]
    try:
        info = sigv4.parse(m, p, q, h)
        sigv4.verify(info, m, p, q, h, b, SECRET, NOW, {'us-east-1'}, 'service')
        ok, detail = True, None
    except sigv4.SigError as e:
        ok, detail = False, '%s: %s %s' % (e.kind, e.message, e.detail)
    report(name + '.verifies', ok, detail)
    # The same request with one byte of the secret changed must fail.
    try:
        sigv4.verify(info, m, p, q, h, b, SECRET[:-1] + 'X', NOW, {'us-east-1'}, 'service')
        report(name + '.wrong_secret_fails', False, 'verified with a wrong secret')
    except sigv4.SigError as e:
        report(name + '.wrong_secret_fails', e.kind == 'mismatch', e.kind)


def main():
    found = cases()
    if not found:
        print('skip %s # no test suite at %s' % (PREFIX, SUITE))
        return 0
    for name, base in found:
        try:
            run_case(name, base)
        except Exception as e:  # a crash in one case is one failure
            report(name + '.no_exception', False, repr(e))
    report('case_count', len(found) >= 25, len(found))
    return 1 if failures else 0


sys.exit(main())
