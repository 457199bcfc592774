#!/usr/bin/env python3
"""Generate configurations (and state) for cairn's engine benchmarks (bench/engine.sh).

Usage:
  engine_gen.py flat  DIR N DELAY          N independent test_resource instances
  engine_gen.py chain DIR CHAIN FAN DELAY  a chain step0 -> step1 -> ... of CHAIN
                                           resources, plus FAN instances (fan[k]) that
                                           each depend on step0
  engine_gen.py dag   DIR N [SEED]         N resource blocks r0..rN-1 forming a random
                                           DAG, two references each (one for r1)
  engine_gen.py state DIR N [SEED]         for the same DAG: DIR/terraform.tfstate
                                           (format version 4, as `cairn state push`
                                           reads it) and DIR/objects/<id>.json, the test
                                           provider's files, which differ from the state
                                           in created_at only: drift that makes
                                           `cairn apply -refresh-only` rewrite every
                                           instance the way apply stores it

flat and chain print the critical path (the largest sum of create delays along
any dependency path, in seconds), computed from the graph they wrote.  dag and
state are deterministic for a given N and SEED (default 1): the same SEED
gives the same edges, ids and timestamps, so a pushed state makes `cairn plan`
report no changes.
"""
import json
import os
import random
import sys

PER_FILE = 1000          # resource blocks per .tf file
PROVIDER = 'provider["registry.terraform.io/hashicorp/test"]'
ATTRS = ["arn", "config", "count_value", "create_delay", "created_at", "delete_delay",
         "enabled", "fail_count", "fail_on", "generation", "id", "items", "labels", "name",
         "name_upper", "replace_me", "rule", "secret", "setting", "single", "tags",
         "update_delay"]


def parse_delay(s):
    """Seconds in a delay such as "1s" or "250ms" (the forms this script writes)."""
    if s.endswith("ms"):
        return float(s[:-2]) / 1000
    if s.endswith("s"):
        return float(s[:-1])
    return float(s)


def critical_path(nodes):
    """nodes: list of (name, delay_seconds, [dependency names]) in topological order.
    Returns the largest sum of delays along a dependency path."""
    finish = {}
    for name, delay, deps in nodes:
        finish[name] = delay + max((finish[d] for d in deps), default=0.0)
    return max(finish.values(), default=0.0)


def write_files(d, blocks):
    """Write blocks (strings) to DIR/main_NNN.tf, PER_FILE at a time."""
    os.makedirs(d, exist_ok=True)
    for f in range(0, max(len(blocks), 1), PER_FILE):
        with open(os.path.join(d, f"main_{f // PER_FILE:03d}.tf"), "w") as out:
            out.write("\n".join(blocks[f:f + PER_FILE]))


def resource(name, delay=None, refs=(), count=None):
    lines = [f'resource "test_resource" "{name}" {{']
    if count is not None:
        lines.append(f"  count        = {count}")
        lines.append(f'  name         = "{name}-${{count.index}}"')
    else:
        lines.append(f'  name         = "{name}"')
    if delay:
        lines.append(f'  create_delay = "{delay}"')
    if refs:
        lines.append("  items        = [" + ", ".join(f"test_resource.{r}.id" for r in refs) + "]")
    lines.append("}\n")
    return "\n".join(lines)


def gen_flat(d, n, delay):
    write_files(d, [resource("flat", delay, count=n)])
    nodes = [(f"flat[{i}]", parse_delay(delay), []) for i in range(n)]
    print(f"{critical_path(nodes):g}")


def gen_chain(d, chain, fan, delay):
    # The fan-out comes first in the file and in name order ("fan" < "step"),
    # so a scheduler that took ready work in file or name order rather than
    # by critical path would start the fan-out before the rest of the chain.
    blocks = [resource("fan", delay, ["step0"], count=fan)]
    nodes = []
    for i in range(chain):
        refs = [f"step{i - 1}"] if i else []
        blocks.append(resource(f"step{i}", delay, refs))
        nodes.append((f"step{i}", parse_delay(delay), refs))
    nodes += [(f"fan[{k}]", parse_delay(delay), ["step0"]) for k in range(fan)]
    write_files(d, blocks)
    print(f"{critical_path(nodes):g}")


def dag_edges(n, seed):
    """For each i, the indices rI refers to: two distinct earlier ones (r1: r0)."""
    rng = random.Random(seed)
    return [sorted(rng.sample(range(i), min(i, 2))) for i in range(n)]


def gen_dag(d, n, seed):
    edges = dag_edges(n, seed)
    write_files(d, [resource(f"r{i}", refs=[f"r{j}" for j in e]) for i, e in enumerate(edges)])


def obj_id(i, seed):
    return "tr-%016x" % (random.Random(f"{seed}/{i}").getrandbits(64))


def gen_state(d, n, seed):
    edges = dag_edges(n, seed)
    objdir = os.path.join(d, "objects")
    os.makedirs(objdir, exist_ok=True)
    resources = []
    for i, e in enumerate(edges):
        oid = obj_id(i, seed)
        attrs = dict.fromkeys(ATTRS)
        attrs.update({
            "arn": f"arn:test:::resource/{oid}", "created_at": "2026-01-01T00:00:00Z",
            "generation": 1, "id": oid, "items": [obj_id(j, seed) for j in e] or None,
            "name": f"r{i}", "name_upper": f"R{i}", "rule": [], "setting": []})
        remote = dict(attrs, created_at="2026-01-02T00:00:00Z")
        with open(os.path.join(objdir, oid + ".json"), "w") as f:
            json.dump({"attributes": remote, "token": "bench-%d" % i,
                       "address": f"test_resource.r{i}"}, f, separators=(",", ":"))
        inst = {"schema_version": 0, "attributes": attrs,
                "sensitive_attributes": [[{"type": "get_attr", "value": "secret"}]]}
        if e:
            inst["dependencies"] = [f"test_resource.r{j}" for j in e]
        resources.append({"mode": "managed", "type": "test_resource", "name": f"r{i}",
                          "provider": PROVIDER, "instances": [inst]})
    doc = {"version": 4, "terraform_version": "1.5.7", "serial": 1,
           "lineage": "00000000-0000-4000-8000-%012d" % n, "outputs": {},
           "resources": resources}
    with open(os.path.join(d, "terraform.tfstate"), "w") as f:
        json.dump(doc, f, indent=1)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    kind, d = argv[1], argv[2]
    if kind == "flat" and len(argv) == 5:
        gen_flat(d, int(argv[3]), argv[4])
    elif kind == "chain" and len(argv) == 6:
        gen_chain(d, int(argv[3]), int(argv[4]), argv[5])
    elif kind in ("dag", "state") and len(argv) in (4, 5):
        seed = int(argv[4]) if len(argv) == 5 else 1
        (gen_dag if kind == "dag" else gen_state)(d, int(argv[3]), seed)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
