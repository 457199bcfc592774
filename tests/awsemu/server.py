#!/usr/bin/env python3
"""cairn's AWS emulator: one HTTP endpoint that serves several AWS services.

Usage:
  python3 tests/awsemu/server.py --port N [--latency MS] [--throttle-rate P]
      [--error-rate P] [--drop-rate P] [--rate-limit RPS [--rate-burst N]]
      [--time-scale F] [--log FILE]
      [--region R[,R...]] [--consistency-ms MS] [--max-page N]

Port 0 picks a free port and prints it as the first line of stdout.  The
server binds 127.0.0.1 only.  Every AWS request must be SigV4-signed with a
known key (see docs/emulator.md); the credential scope's service (and the
query protocols' Version parameter) selects the service module.  The admin
interface lives under /_emu/ (admin.py).  Standard library only.
"""
import argparse
import datetime
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True   # keep tests/awsemu free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import admin  # noqa: E402
import common  # noqa: E402
import sigv4  # noqa: E402
import store as store_mod  # noqa: E402
from common import AwsError, Response  # noqa: E402

# Service modules, keyed by SigV4 signing name.  Each defines SERVICE,
# PROTOCOL ("ec2", "query", "rest-json", "rest-xml") and either ACTIONS
# (query protocols: name -> fn(ctx) returning a result dict) or
# handle(ctx) -> Response plus action_name(ctx) (REST protocols).
SERVICE_MODULES = ['ec2', 'sts', 's3', 'iam', 'eks', 'rds', 'elasticache', 'elbv2']

# Query-protocol API versions, to detect a request signed for the wrong service.
VERSIONS = {
    '2016-11-15': 'ec2', '2011-06-15': 'sts', '2010-05-08': 'iam',
    '2014-10-31': 'rds', '2015-02-02': 'elasticache', '2015-12-01': 'elasticloadbalancing',
}

TEST_ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE'
TEST_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
TEST_SESSION_KEY = 'ASIAIOSFODNN7EXAMPLE'
TEST_SESSION_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'
TEST_SESSION_TOKEN = 'FQoGZXIvYXdzEXAMPLETOKENcairnEmulatorSessionToken'

# SigError kind -> protocol -> (code, HTTP status)
SIG_ERRORS = {
    'missing': {'ec2': ('MissingAuthenticationToken', 401),
                'query': ('MissingAuthenticationToken', 403),
                'rest-json': ('MissingAuthenticationTokenException', 403),
                'rest-xml': ('AccessDenied', 403)},
    'incomplete': {'ec2': ('IncompleteSignature', 400), 'query': ('IncompleteSignature', 400),
                   'rest-json': ('IncompleteSignatureException', 400),
                   'rest-xml': ('AuthorizationHeaderMalformed', 400)},
    'unknown_key': {'ec2': ('AuthFailure', 401), 'query': ('InvalidClientTokenId', 403),
                    'rest-json': ('UnrecognizedClientException', 403),
                    'rest-xml': ('InvalidAccessKeyId', 403)},
    'bad_token': {'ec2': ('AuthFailure', 401), 'query': ('InvalidClientTokenId', 403),
                  'rest-json': ('UnrecognizedClientException', 403),
                  'rest-xml': ('InvalidToken', 400)},
    'mismatch': {'ec2': ('SignatureDoesNotMatch', 403), 'query': ('SignatureDoesNotMatch', 403),
                 'rest-json': ('InvalidSignatureException', 403),
                 'rest-xml': ('SignatureDoesNotMatch', 403)},
    'service': {'ec2': ('SignatureDoesNotMatch', 403), 'query': ('SignatureDoesNotMatch', 403),
                'rest-json': ('InvalidSignatureException', 403),
                'rest-xml': ('AuthorizationHeaderMalformed', 400)},
    'region': {'ec2': ('SignatureDoesNotMatch', 403), 'query': ('SignatureDoesNotMatch', 403),
               'rest-json': ('InvalidSignatureException', 403),
               'rest-xml': ('AuthorizationHeaderMalformed', 400)},
    'expired': {'ec2': ('RequestExpired', 400), 'query': ('SignatureDoesNotMatch', 403),
                'rest-json': ('InvalidSignatureException', 403),
                'rest-xml': ('RequestTimeTooSkewed', 403)},
    'future': {'ec2': ('RequestExpired', 400), 'query': ('SignatureDoesNotMatch', 403),
               'rest-json': ('InvalidSignatureException', 403),
               'rest-xml': ('RequestTimeTooSkewed', 403)},
    'body_hash': {'ec2': ('SignatureDoesNotMatch', 403), 'query': ('SignatureDoesNotMatch', 403),
                  'rest-json': ('InvalidSignatureException', 403),
                  'rest-xml': ('XAmzContentSHA256Mismatch', 400)},
}

SIG_MESSAGES = {
    ('unknown_key', 'ec2'): 'AWS was not able to validate the provided access credentials',
    ('bad_token', 'ec2'): 'AWS was not able to validate the provided access credentials',
    ('unknown_key', 'query'): 'The security token included in the request is invalid.',
    ('bad_token', 'query'): 'The security token included in the request is invalid.',
    ('unknown_key', 'rest-json'): 'The security token included in the request is invalid.',
    ('bad_token', 'rest-json'): 'The security token included in the request is invalid.',
    ('unknown_key', 'rest-xml'): 'The AWS Access Key Id you provided does not exist in our '
                                 'records.',
    ('bad_token', 'rest-xml'): 'The provided token is malformed or otherwise invalid.',
    ('expired', 'ec2'): 'Request has expired.',
    ('future', 'ec2'): 'Request is not yet valid.',
    ('expired', 'rest-xml'): 'The difference between the request time and the current time '
                             'is too large.',
    ('future', 'rest-xml'): 'The difference between the request time and the current time '
                            'is too large.',
}

THROTTLE = {'ec2': ('RequestLimitExceeded', 503, 'Request limit exceeded.'),
            'query': ('Throttling', 400, 'Rate exceeded'),
            'rest-json': ('ThrottlingException', 429, 'Rate exceeded'),
            'rest-xml': ('SlowDown', 503, 'Please reduce your request rate.')}
SERVER_ERROR = {'ec2': {500: ('InternalError', 'An internal error has occurred'),
                        503: ('Unavailable', "The server is overloaded and can't handle the "
                                             "request.")},
                'query': {500: ('InternalFailure', 'An internal error has occurred'),
                          503: ('ServiceUnavailable', 'Service is unavailable')},
                'rest-json': {500: ('ServerException', 'An internal error has occurred'),
                              503: ('ServiceUnavailableException', 'Service is unavailable')},
                'rest-xml': {500: ('InternalError', 'We encountered an internal error. '
                                                    'Please try again.'),
                             503: ('ServiceUnavailable', 'Please reduce your request rate.')}}


class Faults:
    """Fault injection settings (all rates are probabilities 0..1)."""

    def __init__(self):
        self.throttle_rate = 0.0      # throttling error instead of the call
        self.error_rate = 0.0         # 5xx instead of the call
        self.error_after_rate = 0.0   # 5xx after the call took effect
        self.drop_rate = 0.0          # connection closed without a response
        self.drop_after_rate = 0.0    # call takes effect, then the connection closes
        self.rate_limit = 0.0         # requests/second per service and key (0: off)
        self.rate_burst = 0           # bucket size for rate_limit (0: max(1, rate))
        self.latency_ms = 0           # added to every AWS call
        self.jitter_ms = 0            # plus uniform 0..jitter
        self.error_status = 500       # 500, 503, or 0 for a random mix
        self.services = []            # restrict faults to these services (empty: all)
        self.actions = []             # ... and these actions (empty: all)

    def as_dict(self):
        return dict(self.__dict__)

    def update(self, d):
        for k, v in d.items():
            if not hasattr(self, k):
                raise ValueError('unknown fault setting %r' % k)
            cur = getattr(self, k)
            if isinstance(cur, list):
                v = list(v)
            elif isinstance(cur, float):
                v = float(v)
                if k.endswith('rate') and not 0.0 <= v <= 1.0:
                    raise ValueError('%s must be within 0..1' % k)
            elif isinstance(cur, int):
                v = int(v)
            setattr(self, k, v)

    def applies(self, service, action):
        return ((not self.services or service in self.services)
                and (not self.actions or action in self.actions))


class Buckets:
    """Token buckets (one per service and access key) for rate_limit: a call
    that finds its bucket empty is throttled, as AWS's request-rate limits do,
    so a client that slows down sees fewer throttling errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.state = {}

    def take(self, key, rate, burst):
        cap = float(burst) if burst > 0 else max(1.0, rate)
        now = time.monotonic()
        with self.lock:
            tokens, last = self.state.get(key, (cap, now))
            tokens = min(cap, tokens + (now - last) * rate)
            ok = tokens >= 1.0
            if ok:
                tokens -= 1.0
            self.state[key] = (tokens, now)
            return ok

    def clear(self):
        with self.lock:
            self.state = {}


class CallLog:
    """JSON-lines log of AWS calls, in memory and optionally in a file."""

    def __init__(self, path=None):
        self.lock = threading.Lock()
        self.entries = []
        self.next_seq = 0      # never reset: seq stays unique in the --log file
        self.path = path
        self.fh = open(path, 'a', buffering=1) if path else None

    def add(self, entry):
        with self.lock:
            entry['seq'] = self.next_seq
            self.next_seq += 1
            self.entries.append(entry)
            if self.fh:
                self.fh.write(json.dumps(entry, sort_keys=True) + '\n')

    def clear(self):
        with self.lock:
            self.entries = []


class Emulator:
    """Process-wide state: config, store, credentials, faults, call log."""

    def __init__(self, log_path=None):
        self.cfg = store_mod.Config()
        self.store = store_mod.Store(self.cfg)
        self.faults = Faults()
        self.buckets = Buckets()
        self.initial_faults = {}
        self.calls = CallLog(log_path)
        self.creds = {}
        self.rng = random.Random()
        self.services = {}
        for name in SERVICE_MODULES:
            mod = __import__(name)
            self.services[mod.SERVICE] = mod
        self.add_credentials(TEST_ACCESS_KEY, TEST_SECRET_KEY)
        self.add_credentials(TEST_SESSION_KEY, TEST_SESSION_SECRET, TEST_SESSION_TOKEN)

    def add_credentials(self, access_key, secret_key, session_token=None, account_id=None,
                        user='cairn-test'):
        self.creds[access_key] = {'secret_key': secret_key, 'session_token': session_token,
                                  'account_id': account_id, 'user': user}

    def setup_defaults(self):
        """Resources every account starts with (the default VPC when enabled)."""
        if not self.cfg.default_vpc or 'ec2' not in self.services:
            return
        ctx = Ctx()
        ctx.emu = self
        ctx.store = self.store
        ctx.service = 'ec2'
        ctx.protocol = 'ec2'
        ctx.region = self.cfg.regions[0]
        ctx.account = self.cfg.account_id
        with self.store.lock:
            self.services['ec2'].create_default_vpc(ctx)

    def account_for(self, access_key):
        c = self.creds.get(access_key) or {}
        return c.get('account_id') or self.cfg.account_id

    def regions_for(self, service):
        if service == 'iam':
            return {'us-east-1'}
        if service in ('sts', 's3'):
            return set(self.cfg.regions) | {'us-east-1'}
        return set(self.cfg.regions)


EMU = None


class Ctx:
    """One AWS request as the service modules see it."""

    def __init__(self):
        self.emu = None
        self.store = None
        self.service = None
        self.protocol = None
        self.action = None
        self.method = None
        self.path = None
        self.raw_path = None
        self.raw_query = ''
        self.query = {}
        self.headers = None
        self.body = b''
        self.params = {}
        self.flat = {}
        self.region = 'us-east-1'
        self.account = None
        self.access_key = None
        self.request_id = None
        self._filters = None


def render_error(ctx, err):
    """A Response for AwsError err in ctx.protocol's format."""
    rid = ctx.request_id
    proto = ctx.protocol or 'query'
    headers = dict(err.headers)
    if proto == 'ec2':
        body = common.to_xml('Response', {
            'Errors': {'Error': {'Code': err.code, 'Message': err.message}},
            'RequestID': rid})
        headers['Content-Type'] = 'text/xml;charset=UTF-8'
    elif proto == 'query':
        mod = ctx.emu.services.get(ctx.service) if ctx.emu else None
        xmlns = getattr(mod, 'XMLNS', None)
        body = common.to_xml('ErrorResponse', {
            'Error': {'Type': 'Sender' if err.sender else 'Receiver', 'Code': err.code,
                      'Message': err.message},
            'RequestId': rid}, xmlns)
        headers['Content-Type'] = 'text/xml'
        headers['x-amzn-RequestId'] = rid
    elif proto == 'rest-json':
        body = json.dumps({'message': err.message}).encode('utf-8')
        headers['Content-Type'] = 'application/json'
        headers['x-amzn-ErrorType'] = err.code
        headers['x-amzn-RequestId'] = rid
    else:
        fields = {'Code': err.code, 'Message': err.message}
        fields.update(getattr(err, 'extra', {}) or {})
        fields['RequestId'] = rid
        fields['HostId'] = 'cairn-emulator'
        body = common.to_xml('Error', fields)
        headers['Content-Type'] = 'application/xml'
        headers['x-amz-request-id'] = rid
        headers['x-amz-id-2'] = 'cairn-emulator'
    return Response(err.status, body, headers)


def render_result(ctx, result):
    """Wrap a query-protocol result dict in its response envelope."""
    if isinstance(result, Response):
        return result
    mod = ctx.emu.services[ctx.service]
    if ctx.protocol == 'ec2':
        body = {'requestId': ctx.request_id}
        body.update(result or {})
        return Response(200, common.to_xml(ctx.action + 'Response', body, mod.XMLNS),
                        {'Content-Type': 'text/xml;charset=UTF-8'})
    inner = {}
    if result is not None:
        inner[ctx.action + 'Result'] = result
    inner['ResponseMetadata'] = {'RequestId': ctx.request_id}
    return Response(200, common.to_xml(ctx.action + 'Response', inner, mod.XMLNS, 'member'),
                    {'Content-Type': 'text/xml', 'x-amzn-RequestId': ctx.request_id})


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True   # headers and body are separate writes
    server_version = 'cairn-awsemu'
    sys_version = ''

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # quiet: the call log is the record
        pass

    def _read_body(self):
        te = (self.headers.get('Transfer-Encoding') or '').lower()
        if 'chunked' in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537).strip()
                size = int(line.split(b';')[0], 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b'\r\n', b'\n', b''):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b''.join(chunks)
        n = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(n) if n > 0 else b''

    def _send(self, resp, head_only=False):
        body = resp.body or b''
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if not (head_only and 'Content-Length' in resp.headers):
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if not head_only and body:
            self.wfile.write(body)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    def _dispatch(self):
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        raw_path, _, raw_query = self.path.partition('?')
        if raw_path.startswith('/_emu/') or raw_path == '/_emu':
            resp = admin.handle(EMU, self.command, raw_path, raw_query, body)
            self._send(resp, self.command == 'HEAD')
            return
        self._aws(raw_path, raw_query, body)

    # ---------------------------------------------------------------- AWS
    def _aws(self, raw_path, raw_query, body):
        emu = EMU
        start = time.time()
        ctx = Ctx()
        ctx.emu = emu
        ctx.store = emu.store
        ctx.method = self.command
        ctx.raw_path = raw_path
        ctx.path = urllib.parse.unquote(raw_path)
        ctx.raw_query = raw_query
        ctx.query = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
        ctx.headers = self.headers
        ctx.body = body
        ctx.request_id = common.new_request_id()
        hdr_list = list(self.headers.items())
        fault = None
        resp = None
        try:
            resp, fault = self._aws_inner(ctx, hdr_list, body)
        except AwsError as e:
            resp = render_error(ctx, e)
        except Exception as e:  # a bug in the emulator: report it as a 500
            import traceback
            traceback.print_exc()
            resp = render_error(ctx, AwsError('InternalError', 'emulator bug: %r' % (e,), 500,
                                              sender=False))
        entry = {'t': round(start, 6), 'service': ctx.service, 'action': ctx.action,
                 'status': resp.status if resp else 0, 'request_id': ctx.request_id,
                 'ms': round((time.time() - start) * 1000, 3)}
        if resp is not None and resp.status >= 300:
            entry['code'] = getattr(resp, 'code', None) or _error_code(resp)
        if fault:
            entry['fault'] = fault
        emu.calls.add(entry)
        if fault in ('drop', 'drop_after'):
            self._drop()
            return
        self._send(resp, self.command == 'HEAD')

    def _aws_inner(self, ctx, hdr_list, body):
        emu = ctx.emu
        # Parameters of the query protocols: body (form) plus query string.
        ctype = (self.headers.get('Content-Type') or '').lower()
        flat = dict(ctx.query)
        if ctype.startswith('application/x-www-form-urlencoded') and body:
            flat.update(urllib.parse.parse_qsl(body.decode('utf-8', 'replace'),
                                               keep_blank_values=True))
        ctx.flat = flat
        try:
            info = sigv4.parse(ctx.method, ctx.raw_path, ctx.raw_query, hdr_list)
        except sigv4.SigError as e:
            info = None
            sig_err = e
        else:
            sig_err = None
        # Routing: Version (query protocols) or Host prefix, else the scope.
        routed = None
        if 'Action' in flat and flat.get('Version') in VERSIONS:
            routed = VERSIONS[flat['Version']]
        else:
            host = (self.headers.get('Host') or '').split(':')[0]
            first = host.split('.')[0]
            if first in emu.services and host.count('.') >= 1 and not host[0].isdigit():
                routed = first
        scope_service = info.service if info else None
        service = routed or scope_service
        if service is None:
            service = 'ec2' if 'Action' in flat else 's3'
        mod = emu.services.get(service)
        if mod is None:
            ctx.service = service
            ctx.protocol = 'rest-json'
            raise AwsError('UnknownService', 'The emulator does not serve %r' % service, 400)
        ctx.service = service
        ctx.protocol = mod.PROTOCOL
        if ctx.protocol in ('ec2', 'query'):
            ctx.action = flat.get('Action')
            ctx.params = common.nest(flat)
        else:
            ctx.action = mod.action_name(ctx)
        # Authentication.
        if sig_err is not None:
            raise self._sig_error(ctx, sig_err)
        if info is None:
            raise self._sig_error(ctx, sigv4.SigError(
                'missing', 'Request is missing Authentication Token'))
        ctx.region = info.region
        cred = emu.creds.get(info.access_key)
        if cred is None:
            raise self._sig_error(ctx, sigv4.SigError('unknown_key', 'unknown access key'))
        if cred['session_token'] != info.token:
            raise self._sig_error(ctx, sigv4.SigError('bad_token', 'bad session token'))
        try:
            sigv4.verify(info, ctx.method, ctx.raw_path, ctx.raw_query, hdr_list, body,
                         cred['secret_key'], datetime.datetime.now(datetime.timezone.utc),
                         emu.regions_for(service), service, s3=(service == 's3'))
        except sigv4.SigError as e:
            raise self._sig_error(ctx, e)
        ctx.access_key = info.access_key
        ctx.account = emu.account_for(info.access_key)
        # Faults (after authentication, as AWS throttles authenticated callers).
        f = emu.faults
        if f.applies(service, ctx.action):
            delay = f.latency_ms + (emu.rng.uniform(0, f.jitter_ms) if f.jitter_ms else 0)
            if delay > 0:
                time.sleep(delay / 1000.0)
            if f.drop_rate and emu.rng.random() < f.drop_rate:
                return None, 'drop'
            if f.rate_limit > 0 and not emu.buckets.take((service, info.access_key),
                                                         f.rate_limit, f.rate_burst):
                code, status, msg = THROTTLE[ctx.protocol]
                return render_error(ctx, AwsError(code, msg, status)), 'rate_limit'
            if f.throttle_rate and emu.rng.random() < f.throttle_rate:
                code, status, msg = THROTTLE[ctx.protocol]
                return render_error(ctx, AwsError(code, msg, status)), 'throttle'
            if f.error_rate and emu.rng.random() < f.error_rate:
                return self._server_error(ctx), 'error'
            after = f.error_after_rate and emu.rng.random() < f.error_after_rate
            drop_after = f.drop_after_rate and emu.rng.random() < f.drop_after_rate
        else:
            after = drop_after = False
        resp = self._call(ctx, mod)
        if drop_after:
            return None, 'drop_after'
        if after:
            return self._server_error(ctx), 'error_after'
        return resp, None

    def _server_error(self, ctx):
        status = ctx.emu.faults.error_status or ctx.emu.rng.choice([500, 503])
        if status not in (500, 503):
            status = 500
        code, msg = SERVER_ERROR[ctx.protocol][status]
        return render_error(ctx, AwsError(code, msg, status, sender=False))

    def _call(self, ctx, mod):
        emu = ctx.emu
        with emu.store.lock:
            emu.store.tick()
            if ctx.protocol in ('ec2', 'query'):
                if not ctx.action:
                    raise AwsError('MissingAction', 'The request must contain the parameter '
                                   'Action')
                fn = mod.ACTIONS.get(ctx.action)
                if fn is None:
                    if ctx.protocol == 'ec2':
                        raise AwsError('InvalidAction', 'The action %s is not valid for this '
                                       'web service. (not implemented by the emulator)'
                                       % ctx.action)
                    raise AwsError('InvalidAction', 'Could not find operation %s for version '
                                   '%s (not implemented by the emulator)'
                                   % (ctx.action, getattr(mod, 'VERSION', '')))
                return render_result(ctx, fn(ctx))
            return mod.handle(ctx)

    def _sig_error(self, ctx, e):
        code, status = SIG_ERRORS[e.kind][ctx.protocol]
        msg = SIG_MESSAGES.get((e.kind, ctx.protocol), e.message)
        err = AwsError(code, msg, status)
        if ctx.protocol == 'rest-xml':
            extra = dict(e.detail)
            if e.kind == 'region':
                err.message = ("The authorization header is malformed; the region '%s' is "
                               "wrong; expecting '%s'" % (e.message.split("'")[1],
                                                          e.detail.get('expected')))
                extra = {'Region': e.detail.get('expected')}
            err.extra = extra
        return err


def _error_code(resp):
    """The error code inside a rendered error response (for the call log)."""
    code = resp.headers.get('x-amzn-ErrorType')
    if code:
        return code
    body = resp.body or b''
    i = body.find(b'<Code>')
    if i >= 0:
        j = body.find(b'</Code>', i)
        return body[i + 6:j].decode('utf-8', 'replace')
    return None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description="cairn's AWS emulator")
    ap.add_argument('--port', type=int, required=True, help='TCP port, 0 picks one and '
                    'prints it on the first line of stdout')
    ap.add_argument('--latency', type=float, default=0, help='added latency per call (ms)')
    ap.add_argument('--throttle-rate', type=float, default=0.0)
    ap.add_argument('--error-rate', type=float, default=0.0)
    ap.add_argument('--drop-rate', type=float, default=0.0)
    ap.add_argument('--rate-limit', type=float, default=0.0,
                    help='requests per second per service and key before throttling (0: off)')
    ap.add_argument('--rate-burst', type=int, default=0, help='token-bucket size for '
                    '--rate-limit (default: the rate)')
    ap.add_argument('--time-scale', type=float, default=1.0,
                    help='multiplier for asynchronous durations (0.01: 100 times faster)')
    ap.add_argument('--consistency-ms', type=float, default=0,
                    help='new resources stay invisible to Describe* this long')
    ap.add_argument('--max-page', type=int, default=100,
                    help='largest page returned when MaxResults is given')
    ap.add_argument('--region', default='us-east-1', help='regions served, comma-separated')
    ap.add_argument('--account-id', default='123456789012')
    ap.add_argument('--default-vpc', action='store_true',
                    help='start with a default VPC (172.31.0.0/16, a subnet per zone, IGW)')
    ap.add_argument('--log', help='append the JSON-lines call log to this file')
    ap.add_argument('--seed', type=int, help='seed for fault injection randomness')
    args = ap.parse_args(argv)
    global EMU
    EMU = Emulator(args.log)
    EMU.srv = sys.modules[__name__]
    cfg = EMU.cfg
    cfg.time_scale = args.time_scale
    cfg.consistency_ms = args.consistency_ms
    cfg.max_page = args.max_page
    cfg.regions = [r.strip() for r in args.region.split(',') if r.strip()]
    cfg.account_id = args.account_id
    cfg.default_vpc = args.default_vpc
    if args.seed is not None:
        EMU.rng.seed(args.seed)
    EMU.faults.update({'throttle_rate': args.throttle_rate, 'error_rate': args.error_rate,
                       'drop_rate': args.drop_rate, 'latency_ms': int(args.latency),
                       'rate_limit': args.rate_limit, 'rate_burst': args.rate_burst})
    EMU.initial_faults = EMU.faults.as_dict()
    EMU.initial_cfg = cfg.as_dict()
    EMU.setup_defaults()
    srv = Server(('127.0.0.1', args.port), Handler)
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
