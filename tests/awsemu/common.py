"""Shared pieces of the AWS emulator: errors, request parameters, XML output.

Every service module raises AwsError for a failure; the server renders it in
the protocol's own error format (see server.render_error).  Parameters of the
query protocols arrive flat ("Filter.1.Value.2"); nest() turns them into a
tree of dicts keyed by name and index, and plist() reads one list back in
index order.  to_xml() renders a response tree: dict -> child elements in
insertion order, list -> repeated <item> (EC2) or <member> (query) children,
bool -> true/false, None -> omitted.
"""
import datetime
import json
import uuid
from xml.sax.saxutils import escape


class AwsError(Exception):
    """An AWS API error: code, message, HTTP status, sender or receiver fault."""

    def __init__(self, code, message, status=400, sender=True, headers=None):
        Exception.__init__(self, code + ': ' + message)
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender
        self.headers = headers or {}


def bad_param(message):
    return AwsError('InvalidParameterValue', message)


def missing_param(name):
    return AwsError('MissingParameter',
                    'The request must contain the parameter %s' % name)


def new_request_id():
    return str(uuid.uuid4())


def iso_now(ts):
    """ISO-8601 UTC with milliseconds, the form EC2 and the query APIs print."""
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return d.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (d.microsecond // 1000)


# ---------------------------------------------------------------- parameters

def nest(flat):
    """{"A.1.B": v} -> {"A": {"1": {"B": v}}}; a leaf that is also a prefix
    keeps its own value under the key ""."""
    root = {}
    for key, value in flat.items():
        parts = key.split('.')
        node = root
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = {'': nxt} if nxt is not None else {}
                node[part] = nxt
            node = nxt
        last = parts[-1]
        if isinstance(node.get(last), dict):
            node[last][''] = value
        else:
            node[last] = value
    return root


def plist(node, name):
    """The list stored as name.1, name.2, ... under node, in index order."""
    sub = node.get(name) if isinstance(node, dict) else None
    if not isinstance(sub, dict):
        return []
    keys = [k for k in sub if k.isdigit()]
    keys.sort(key=int)
    return [sub[k] for k in keys]


def qlist(node, name):
    """A query-protocol list: name.member.N or name.<MemberName>.N (the one
    non-numeric child decides), in index order."""
    sub = node.get(name) if isinstance(node, dict) else None
    if not isinstance(sub, dict):
        return []
    keys = [k for k in sub if k and not k.isdigit()]
    if len(keys) != 1:
        return []
    return plist(sub, keys[0])


def qtags(node, name='Tags'):
    """{key: value} of a query-protocol tag list (Tags.Tag.N / Tags.member.N)."""
    out = {}
    for t in qlist(node, name):
        out[pget(t, 'Key')] = pget(t, 'Value', '')
    return out


def pget(node, name, default=None):
    """A scalar parameter (string) or default."""
    v = node.get(name) if isinstance(node, dict) else None
    if isinstance(v, dict):
        v = v.get('')
    return default if v is None else v


def pbool(node, name, default=None):
    v = pget(node, name)
    if v is None:
        return default
    if v.lower() == 'true':
        return True
    if v.lower() == 'false':
        return False
    raise bad_param('Invalid value \'%s\' for boolean parameter %s' % (v, name))


def pint(node, name, default=None):
    v = pget(node, name)
    if v is None:
        return default
    try:
        return int(v)
    except ValueError:
        raise bad_param('Invalid value \'%s\' for %s' % (v, name))


# ---------------------------------------------------------------- XML output

class XList(list):
    """A list rendered with its own member element name (query protocols name
    list members per shape: <DBInstances><DBInstance>...)."""

    def __init__(self, tag, items=()):
        list.__init__(self, items)
        self.tag = tag


def _xml_value(out, name, value, list_tag):
    if value is None:
        return
    if isinstance(value, XList):
        out.append('<%s>' % name)
        for item in value:
            _xml_value(out, value.tag, item, list_tag)
        out.append('</%s>' % name)
        return
    if isinstance(value, dict):
        out.append('<%s>' % name)
        for k, v in value.items():
            if not k.startswith('_'):
                _xml_value(out, k, v, list_tag)
        out.append('</%s>' % name)
    elif isinstance(value, (list, tuple)):
        out.append('<%s>' % name)
        for item in value:
            _xml_value(out, list_tag, item, list_tag)
        out.append('</%s>' % name)
    elif isinstance(value, bool):
        out.append('<%s>%s</%s>' % (name, 'true' if value else 'false', name))
    else:
        out.append('<%s>%s</%s>' % (name, escape(str(value)), name))


def to_xml(root, body, xmlns=None, list_tag='item'):
    """Render dict body as the children of element root."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if xmlns:
        out.append('<%s xmlns="%s">' % (root, xmlns))
    else:
        out.append('<%s>' % root)
    for k, v in body.items():
        if not k.startswith('_'):
            _xml_value(out, k, v, list_tag)
    out.append('</%s>' % root)
    return ''.join(out).encode('utf-8')


def public(obj):
    """A deep copy without the private ("_"-prefixed) keys."""
    if isinstance(obj, dict):
        return {k: public(v) for k, v in obj.items() if not k.startswith('_')}
    if isinstance(obj, list):
        return [public(v) for v in obj]
    return obj


def json_bytes(obj):
    return json.dumps(obj, indent=1, sort_keys=False, default=str).encode('utf-8')


class Response:
    """A complete HTTP response a service handler returns."""

    def __init__(self, status=200, body=b'', headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
