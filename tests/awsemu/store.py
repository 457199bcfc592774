"""The emulator's state: resources by type and ID, timers for asynchronous
lifecycles, idempotency tokens, and the run-time configuration.

All access happens under Store.lock (one re-entrant lock for the whole
cloud: the emulator favours simple correctness over parallel throughput).
Resources are plain dicts shaped like the API's output (locationName keys);
keys starting with "_" are private (creation time, tags, links) and never
rendered.  Tags live in obj["_tags"] (an ordered dict).

Time: durations are AWS's typical seconds multiplied by cfg.time_scale.
Timers run lazily: tick() (called at the start of every request) fires every
timer that is due, in order, so no background thread mutates state.
"""
import heapq
import os
import threading
import time


class Config:
    """Run-time settings, changed by the command line and /_emu/config."""

    def __init__(self):
        self.time_scale = 1.0
        self.consistency_ms = 0       # Describe* hides newer resources this long
        self.max_page = 100           # cap on page size when MaxResults is given
        self.regions = ['us-east-1']
        self.account_id = '123456789012'
        self.default_vpc = False      # create the default VPC at start and on reset

    def as_dict(self):
        return dict(self.__dict__)


class Store:
    def __init__(self, cfg):
        self.cfg = cfg
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.res = {}          # type -> {id: obj} in creation order
            self.types = {}        # id -> [types] (names may repeat across types)
            self.timers = []       # heap of (due, seq, fn)
            self.tokens = {}       # (scope, token) -> (id, fingerprint)
            self.seq = 0
            self.counters = {}

    # ------------------------------------------------------------ IDs, time
    @staticmethod
    def new_id(prefix, hex_len=17):
        return '%s-%s' % (prefix, os.urandom(16).hex()[:hex_len])

    def counter(self, name, start=1):
        n = self.counters.get(name, start)
        self.counters[name] = n + 1
        return n

    def scaled(self, aws_seconds):
        return aws_seconds * self.cfg.time_scale

    def later(self, aws_seconds, fn):
        """Run fn() (under the lock) once aws_seconds * time_scale have passed."""
        self.seq += 1
        heapq.heappush(self.timers, (time.time() + self.scaled(aws_seconds), self.seq, fn))

    def tick(self):
        with self.lock:
            now = time.time()
            while self.timers and self.timers[0][0] <= now:
                _, _, fn = heapq.heappop(self.timers)
                fn()

    # ------------------------------------------------------------ resources
    def add(self, rtype, rid, obj, tags=None):
        obj['_created'] = time.time()
        obj['_tags'] = dict(tags or {})
        obj['_type'] = rtype
        self.res.setdefault(rtype, {})[rid] = obj
        types = self.types.setdefault(rid, [])
        if rtype not in types:
            types.append(rtype)
        return obj

    def get(self, rtype, rid):
        return self.res.get(rtype, {}).get(rid)

    def find(self, rid, rtype=None):
        """(type, obj) of a resource by ID (of rtype when given), or (None, None)."""
        for t in self.types.get(rid, []):
            if rtype is None or t == rtype:
                return t, self.res.get(t, {}).get(rid)
        return None, None

    def all(self, rtype):
        return list(self.res.get(rtype, {}).values())

    def remove(self, rtype, rid):
        obj = self.res.get(rtype, {}).pop(rid, None)
        types = self.types.get(rid)
        if types and rtype in types:
            types.remove(rtype)
            if not types:
                del self.types[rid]
        return obj

    def visible(self, obj):
        """False while a just-created resource is still invisible to Describe*."""
        delay = self.cfg.consistency_ms / 1000.0
        return delay <= 0 or time.time() >= obj['_created'] + delay

    # ------------------------------------------------------------ idempotency
    def token_lookup(self, scope, token, fingerprint):
        """The ID created earlier with this client token, None if new; raises
        ValueError when the same token came with different parameters."""
        hit = self.tokens.get((scope, token))
        if hit is None:
            return None
        if hit[1] != fingerprint:
            raise ValueError(hit[0])
        return hit[0]

    def token_store(self, scope, token, fingerprint, rid):
        self.tokens[(scope, token)] = (rid, fingerprint)

    # ------------------------------------------------------------ dump
    def dump(self):
        out = {}
        for rtype, objs in self.res.items():
            out[rtype] = []
            for rid, obj in objs.items():
                item = {k: v for k, v in obj.items() if k not in ('_type',)}
                out[rtype].append(item)
        return out


def tag_set(obj):
    return [{'key': k, 'value': v} for k, v in obj.get('_tags', {}).items()]
