"""Admin interface under /_emu/ (a path no AWS API uses).  JSON in, JSON out,
no authentication (the server listens on 127.0.0.1 only).

  GET  /_emu/health                 {"ok": true}
  POST /_emu/reset                  forget every resource, call, fault and config
                                    change (registered credentials stay);
                                    {"default_vpc": true} recreates a default VPC
  GET  /_emu/state                  every resource, by type (private fields too)
  GET  /_emu/resources?type=T       resources of one type as the API shows them
  POST /_emu/update                 {"id": ID, "type"?: T, "set": {field: value},
                                     "tags": {k: v}, "untag": [k]}   (drift; a field
                                    may be a dotted path, e.g. "_attrs.enableDnsHostnames"
                                    for VPC attributes)
  POST /_emu/delete                 {"id": ID, "type"?: T}   delete behind the
                                    client's back (type: when names repeat)
  GET/POST /_emu/faults             read / change fault injection (server.Faults)
  GET/POST /_emu/config             read / change time_scale, consistency_ms,
                                    max_page, regions, account_id
  POST /_emu/credentials            {"access_key", "secret_key",
                                     "session_token"?, "account_id"?}
  GET  /_emu/calls[?since=N&service=S&action=A]   call log, JSON lines
  GET  /_emu/calls/count[?service=S&action=A&status=N&fault=F&code=C]  {"count": n}
  GET  /_emu/calls/stats[?same filters]   {"ec2.DescribeVpcs": {"calls", "errors",
                                    "faults", "ms"}, ...}
  POST /_emu/calls/reset            empty the call log
  POST /_emu/call                   {"service", "action", "params": {flat}}
                                    run a query-protocol action unsigned
                                    (tests create resources "outside cairn")
"""
import json
import urllib.parse

import common
from common import Response


def _json(obj, status=200):
    return Response(status, common.json_bytes(obj), {'Content-Type': 'application/json'})


def _err(msg, status=400):
    return _json({'error': msg}, status)


def _filter_calls(entries, q):
    out = []
    since = int(q.get('since', '0') or 0)
    for e in entries:
        if e['seq'] < since:
            continue
        if 'service' in q and e.get('service') != q['service']:
            continue
        if 'action' in q and e.get('action') != q['action']:
            continue
        if 'status' in q and str(e.get('status')) != q['status']:
            continue
        if 'fault' in q and e.get('fault') != q['fault']:
            continue
        if 'code' in q and e.get('code') != q['code']:
            continue
        out.append(e)
    return out


def handle(emu, method, raw_path, raw_query, body):
    q = dict(urllib.parse.parse_qsl(raw_query))
    path = raw_path.rstrip('/')
    try:
        data = json.loads(body.decode('utf-8')) if body.strip() else {}
    except ValueError as e:
        return _err('invalid JSON body: %s' % e)
    if not isinstance(data, dict):
        return _err('the body must be a JSON object')
    try:
        return _route(emu, method, path, q, data)
    except (ValueError, KeyError, TypeError) as e:
        return _err('%s: %s' % (type(e).__name__, e))


def _route(emu, method, path, q, data):
    st = emu.store
    if path == '/_emu/health':
        return _json({'ok': True})
    if path == '/_emu/reset' and method == 'POST':
        st.reset()
        emu.calls.clear()
        emu.faults.update(emu.initial_faults)
        emu.buckets.clear()
        for k, v in emu.initial_cfg.items():
            setattr(emu.cfg, k, v)
        if data.get('default_vpc') is not None:
            emu.cfg.default_vpc = bool(data['default_vpc'])
        emu.setup_defaults()
        return _json({'ok': True})
    if path == '/_emu/state':
        with st.lock:
            st.tick()
            return _json(st.dump())
    if path == '/_emu/resources':
        rtype = q.get('type')
        with st.lock:
            st.tick()
            objs = st.all(rtype) if rtype else [o for t in st.res for o in st.all(t)]
            out = []
            for o in objs:
                item = common.public(o)
                item['_type'] = o['_type']
                item['_tags'] = dict(o.get('_tags', {}))
                out.append(item)
            return _json(out)
    if path == '/_emu/update' and method == 'POST':
        rid = data['id']
        with st.lock:
            st.tick()
            rtype, obj = st.find(rid, data.get('type'))
            if obj is None:
                return _err('no resource %s' % rid, 404)
            for k, v in (data.get('set') or {}).items():
                if k.startswith('_') and not k.startswith('_attrs.'):
                    return _err('private field %s' % k)
                node, parts = obj, k.split('.')
                for p in parts[:-1]:
                    if not isinstance(node.get(p), dict):
                        return _err('no field %s in %s' % (k, rid))
                    node = node[p]
                node[parts[-1]] = v
            for k, v in (data.get('tags') or {}).items():
                obj['_tags'][k] = str(v)
            for k in data.get('untag') or []:
                obj['_tags'].pop(k, None)
            return _json({'ok': True, 'type': rtype})
    if path == '/_emu/delete' and method == 'POST':
        rid = data['id']
        with st.lock:
            st.tick()
            rtype, obj = st.find(rid, data.get('type'))
            if obj is None:
                return _err('no resource %s' % rid, 404)
            for mod in emu.services.values():
                hook = getattr(mod, 'admin_delete', None)
                if hook and hook(st, rtype, obj):
                    break
            else:
                st.remove(rtype, rid)
            return _json({'ok': True, 'type': rtype})
    if path == '/_emu/faults':
        if method == 'POST':
            emu.faults.update(data)
            emu.buckets.clear()
        return _json(emu.faults.as_dict())
    if path == '/_emu/config':
        if method == 'POST':
            for k, v in data.items():
                if not hasattr(emu.cfg, k):
                    return _err('unknown config setting %r' % k)
                cur = getattr(emu.cfg, k)
                if isinstance(cur, list):
                    v = list(v)
                elif isinstance(cur, float):
                    v = float(v)
                elif isinstance(cur, int) and not isinstance(cur, bool):
                    v = int(v)
                setattr(emu.cfg, k, v)
        return _json(emu.cfg.as_dict())
    if path == '/_emu/credentials' and method == 'POST':
        emu.add_credentials(data['access_key'], data['secret_key'], data.get('session_token'),
                            data.get('account_id'), data.get('user', 'cairn-test'))
        return _json({'ok': True})
    if path == '/_emu/calls':
        with emu.calls.lock:
            entries = _filter_calls(list(emu.calls.entries), q)
        text = ''.join(json.dumps(e, sort_keys=True) + '\n' for e in entries)
        return Response(200, text.encode('utf-8'), {'Content-Type': 'application/x-ndjson'})
    if path == '/_emu/calls/count':
        with emu.calls.lock:
            n = len(_filter_calls(list(emu.calls.entries), q))
        return _json({'count': n})
    if path == '/_emu/calls/stats':
        with emu.calls.lock:
            entries = _filter_calls(list(emu.calls.entries), q)
        stats = {}
        for e in entries:
            key = '%s.%s' % (e.get('service'), e.get('action'))
            st_ = stats.setdefault(key, {'calls': 0, 'errors': 0, 'faults': 0, 'ms': 0.0})
            st_['calls'] += 1
            st_['errors'] += 1 if e.get('status', 0) >= 300 or e.get('status') == 0 else 0
            st_['faults'] += 1 if e.get('fault') else 0
            st_['ms'] = round(st_['ms'] + e.get('ms', 0), 3)
        return _json(stats)
    if path == '/_emu/calls/reset' and method == 'POST':
        emu.calls.clear()
        return _json({'ok': True})
    if path == '/_emu/call' and method == 'POST':
        return _direct_call(emu, data)
    return _err('no admin route %s %s' % (method, path), 404)


def _direct_call(emu, data):
    srv = emu.srv   # the server module (run as __main__)
    mod = emu.services.get(data['service'])
    if mod is None or mod.PROTOCOL not in ('ec2', 'query'):
        return _err('service %r is not a query-protocol service' % data.get('service'))
    ctx = srv.Ctx()
    ctx.emu = emu
    ctx.store = emu.store
    ctx.service = mod.SERVICE
    ctx.protocol = mod.PROTOCOL
    ctx.action = data['action']
    flat = {k: str(v) for k, v in (data.get('params') or {}).items()}
    ctx.flat = flat
    ctx.params = common.nest(flat)
    ctx.region = data.get('region') or emu.cfg.regions[0]
    ctx.account = emu.cfg.account_id
    ctx.request_id = common.new_request_id()
    ctx.method = 'POST'
    try:
        with emu.store.lock:
            emu.store.tick()
            fn = mod.ACTIONS.get(ctx.action)
            if fn is None:
                return _err('unknown action %s' % ctx.action)
            resp = srv.render_result(ctx, fn(ctx))
    except common.AwsError as e:
        resp = srv.render_error(ctx, e)
    return _json({'status': resp.status, 'body': resp.body.decode('utf-8')})
