#!/usr/bin/env python3
"""tests/show/check_plan_json.py — validate `cairn show -json PLANFILE` output
against Terraform's plan representation (format_version 1.2).

    check_plan_json.py FILE...          check each; print one line per problem,
                                        exit 1 if any
    check_plan_json.py --normalize FILE print FILE pretty (indent 1) with object
                                        ids as tr-ID or vpc-ID (AWS ids), the
                                        IPv4 addresses of *_ip/*_ips keys as IP
                                        and times as TIME, for
                                        golden comparison

What is checked (Terraform's "JSON Output Format" page and its tfjson
readers): every top-level field and its type; every resource change's
fields and types, that its address is module_address + mode/type/name/index,
that actions is one of the documented lists, that before/after agree with
the actions, that after_unknown mirrors after (an unknown value is left out
of objects and null in lists), that before_sensitive/after_sensitive mirror
their values and the values they mark are redacted (null); action_reason and
replace_paths; output changes; planned_values and prior_state as state-shaped
module trees whose resources agree with resource_changes; the configuration's
resources and expressions; relevant_attributes.
"""
import json
import re
import sys

ACTIONS = [["no-op"], ["create"], ["read"], ["update"], ["delete", "create"],
           ["create", "delete"], ["delete"], ["forget"]]
REASONS = {"replace_because_tainted", "replace_because_cannot_update", "replace_by_request",
           "replace_by_triggers", "delete_because_no_resource_config",
           "delete_because_wrong_repetition", "delete_because_count_index",
           "delete_because_each_key", "delete_because_no_module",
           "delete_because_no_move_target", "read_because_config_unknown",
           "read_because_dependency_pending", "read_because_check_nested"}
# AWS object ids (vpc-0a1b..., eipalloc-..., rtbassoc-...) and bare IPv4
# addresses (public and private IPs the emulator hands out; a CIDR block
# keeps its address) differ from run to run.
AWS_ID_RE = re.compile(r"\b(vpc|subnet|igw|eipalloc|eipassoc|eni|nat|rtb|rtbassoc|sg|sgr|acl"
                       r"|dopt)-[0-9a-f]{8,17}\b")
ROUTE_ID_RE = re.compile(r"\br-rtb-[0-9a-f]{17}(\d+)\b")   # r-<table id><hash of destination>
EC2_DNS_RE = re.compile(r"\bec2-\d+-\d+-\d+-\d+\.")
IPV4_RE = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


class Checker:
    def __init__(self, name):
        self.name = name
        self.problems = []

    def fail(self, where, msg):
        self.problems.append(f"{self.name}: {where}: {msg}")

    def typed(self, where, obj, key, types, required=True):
        if key not in obj:
            if required:
                self.fail(where, f"missing {key!r}")
            return None
        v = obj[key]
        if not isinstance(v, types) or (isinstance(v, bool) and bool not in _tuple(types)):
            self.fail(where, f"{key!r} is {type(v).__name__}, want {types}")
            return None
        return v

    # -- mirrors ------------------------------------------------------------
    def mirror(self, where, value, marks, what, redacted):
        """marks (after_unknown / *_sensitive) must have value's shape:
        true where marked, false for leaves, containers alike."""
        if marks is True:
            if redacted and value is not None:
                self.fail(where, f"{what} marks a value that is not null: {value!r:.60}")
            return
        if marks is False:
            return
        if isinstance(marks, dict):
            if value is None and what == "after_unknown":
                self.fail(where, f"{what} is an object but the value is null")
                return
            if value is not None and not isinstance(value, dict):
                self.fail(where, f"{what} is an object but the value is {type(value).__name__}")
                return
            for k, m in marks.items():
                if m is False:
                    self.fail(where + "." + k, f"{what} keeps a false entry")
                if not isinstance(m, (bool, dict, list)):
                    self.fail(where + "." + k, f"{what} entry is {type(m).__name__}")
                    continue
                sub = (value or {}).get(k) if isinstance(value, dict) else None
                if what == "after_unknown" and m is True and isinstance(value, dict) \
                        and value.get(k) is not None:
                    self.fail(where + "." + k, "unknown but has a value in after")
                if what == "after_unknown" and m is not True and isinstance(value, dict) \
                        and k not in value:
                    self.fail(where + "." + k, "after_unknown has a container for a key "
                              "after does not have")
                self.mirror(where + "." + k, sub, m, what, redacted)
            return
        if isinstance(marks, list):
            if value is None:
                if marks:
                    self.fail(where, f"{what} is a non-empty list but the value is null")
                return
            if not isinstance(value, list) or len(value) != len(marks):
                self.fail(where, f"{what} list does not match the value's shape")
                return
            for i, (v, m) in enumerate(zip(value, marks)):
                if not isinstance(m, (bool, dict, list)):
                    self.fail(f"{where}[{i}]", f"{what} element is {type(m).__name__}")
                    continue
                self.mirror(f"{where}[{i}]", v, m, what, redacted)
            return
        self.fail(where, f"{what} is {type(marks).__name__}")

    # -- sections -----------------------------------------------------------
    def address_of(self, rc):
        addr = ""
        if rc.get("module_address"):
            addr = rc["module_address"] + "."
        if rc.get("mode") == "data":
            addr += "data."
        addr += f"{rc.get('type')}.{rc.get('name')}"
        if "index" in rc:
            idx = rc["index"]
            addr += f"[{idx}]" if isinstance(idx, int) else "[" + json.dumps(idx) + "]"
        return addr

    def resource_change(self, i, rc):
        w = f"resource_changes[{i}]"
        if not isinstance(rc, dict):
            return self.fail(w, "not an object")
        addr = self.typed(w, rc, "address", str)
        w = f"resource_changes[{addr}]"
        ma = self.typed(w, rc, "module_address", str, required=False)
        if addr and addr.startswith("module.") and ma is None:
            self.fail(w, "module_address missing for an address in a module")
        mode = self.typed(w, rc, "mode", str)
        if mode not in ("managed", "data"):
            self.fail(w, f"mode {mode!r}")
        self.typed(w, rc, "type", str)
        self.typed(w, rc, "name", str)
        if "index" in rc and (not isinstance(rc["index"], (int, str)) or
                              isinstance(rc["index"], bool)):
            self.fail(w, "index is neither a number nor a string")
        pn = self.typed(w, rc, "provider_name", str)
        if pn is not None and pn.count("/") != 2:
            self.fail(w, f"provider_name {pn!r} is not HOST/NAMESPACE/TYPE")
        if addr and self.address_of(rc) != addr:
            self.fail(w, f"address is not module_address+type+name+index "
                      f"({self.address_of(rc)!r})")
        if "previous_address" in rc and not isinstance(rc["previous_address"], str):
            self.fail(w, "previous_address not a string")
        ch = self.typed(w, rc, "change", dict)
        if ch is None:
            return
        acts = self.typed(w, ch, "actions", list)
        if acts not in ACTIONS:
            self.fail(w, f"actions {acts!r} is not one of Terraform's lists")
        for k in ("before", "after"):
            if k not in ch:
                self.fail(w, f"change.{k} missing")
        for k in ("after_unknown", "before_sensitive", "after_sensitive"):
            if k not in ch:
                self.fail(w, f"change.{k} missing")
            elif not isinstance(ch[k], (bool, dict, list)):
                self.fail(w, f"change.{k} is {type(ch[k]).__name__}")
        before, after = ch.get("before"), ch.get("after")
        if acts in (["create"], ["read"]) and before is not None:
            self.fail(w, "a create/read has a before value")
        if acts == ["create"] and ch.get("before_sensitive") is not False:
            self.fail(w, "a create's before_sensitive is not false")
        if acts == ["delete"]:
            if after is not None:
                self.fail(w, "a delete has an after value")
            if ch.get("after_unknown") is not False or ch.get("after_sensitive") is not False:
                self.fail(w, "a delete's after_unknown/after_sensitive is not false")
        if acts and acts != ["create"] and acts != ["read"] and before is None \
                and mode == "managed" and "importing" not in ch:
            self.fail(w, f"{acts} without a before value")
        if acts and acts not in (["delete"],) and after is None and \
                ch.get("after_unknown") is not True:
            self.fail(w, "no after value and not wholly unknown")
        self.mirror(w + ".after", after, ch.get("after_unknown"), "after_unknown", True)
        self.mirror(w + ".before", before, ch.get("before_sensitive"), "before_sensitive", True)
        self.mirror(w + ".after", after, ch.get("after_sensitive"), "after_sensitive", True)
        rp = ch.get("replace_paths")
        if acts in (["delete", "create"], ["create", "delete"]) and rp is None:
            self.fail(w, "a replace without replace_paths")
        if rp is not None:
            if not isinstance(rp, list) or not all(
                    isinstance(p, list) and p and all(isinstance(s, (str, int)) for s in p)
                    for p in rp):
                self.fail(w, f"replace_paths {rp!r} is not a list of paths")
        why = rc.get("action_reason")
        if why is not None and why not in REASONS:
            self.fail(w, f"action_reason {why!r}")
        if why and why.startswith("replace") and acts not in (["delete", "create"],
                                                              ["create", "delete"]):
            self.fail(w, f"{why} on {acts}")
        if why and why.startswith("delete") and acts != ["delete"]:
            self.fail(w, f"{why} on {acts}")
        if acts in (["delete", "create"], ["create", "delete"]) and not why:
            self.fail(w, "a replace without action_reason")
        return addr, acts

    def module_tree(self, where, m, depth=0, prefix=""):
        out = {}
        if not isinstance(m, dict):
            self.fail(where, "module is not an object")
            return out
        if depth and not isinstance(m.get("address"), str):
            self.fail(where, "child module without address")
        for r in m.get("resources", []):
            w = f"{where}.resources[{r.get('address')}]"
            for k, t in (("address", str), ("mode", str), ("type", str), ("name", str),
                         ("provider_name", str), ("sensitive_values", (dict, list, bool))):
                self.typed(w, r, k, t)
            if "values" not in r:
                self.fail(w, "missing values")
            if r.get("mode") == "managed":
                self.typed(w, r, "schema_version", int)
            if depth and not str(r.get("address", "")).startswith(m.get("address", "") + "."):
                self.fail(w, "resource outside its module's address")
            self.mirror(w + ".values", r.get("values"), r.get("sensitive_values"),
                        "sensitive_values", True)
            out[r.get("address")] = r
        for c in m.get("child_modules", []):
            out.update(self.module_tree(where + ".child_modules", c, depth + 1))
        return out

    def outputs_values(self, where, outs):
        if not isinstance(outs, dict):
            return self.fail(where, "outputs is not an object")
        for name, o in outs.items():
            self.typed(f"{where}.{name}", o, "sensitive", bool)
            if o.get("sensitive") and o.get("value") is not None:
                self.fail(f"{where}.{name}", "sensitive output value in clear")

    def expression(self, where, e):
        if not isinstance(e, dict):
            return self.fail(where, "expression is not an object")
        if "references" in e:
            refs = e["references"]
            if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs) \
                    or not refs:
                self.fail(where, "references is not a non-empty list of strings")
        for k in e:
            if k not in ("references", "constant_value"):
                self.fail(where, f"unexpected key {k!r}")

    def expressions(self, where, exprs):
        if not isinstance(exprs, dict):
            return self.fail(where, "expressions is not an object")
        for k, e in exprs.items():
            if isinstance(e, list):
                for i, blk in enumerate(e):
                    self.expressions(f"{where}.{k}[{i}]", blk)
            else:
                self.expression(f"{where}.{k}", e)

    def config_module(self, where, m):
        if not isinstance(m, dict):
            return self.fail(where, "not an object")
        for r in m.get("resources", []):
            w = f"{where}.resources[{r.get('address')}]"
            for k in ("address", "mode", "type", "name", "provider_config_key"):
                self.typed(w, r, k, str)
            self.expressions(w + ".expressions", r.get("expressions", {}))
            for k in ("count_expression", "for_each_expression"):
                if k in r:
                    self.expression(f"{w}.{k}", r[k])
        for name, o in m.get("outputs", {}).items():
            self.expression(f"{where}.outputs.{name}", o.get("expression"))
        for name, v in m.get("variables", {}).items():
            if not isinstance(v, dict):
                self.fail(f"{where}.variables.{name}", "not an object")
            elif v.get("sensitive") and "default" in v:
                self.fail(f"{where}.variables.{name}", "sensitive default in clear")
        for name, c in m.get("module_calls", {}).items():
            w = f"{where}.module_calls.{name}"
            self.typed(w, c, "source", str)
            self.expressions(w + ".expressions", c.get("expressions", {}))
            if "module" in c:
                self.config_module(w + ".module", c["module"])

    def plan(self, d):
        if not isinstance(d, dict):
            return self.fail("top", "not an object")
        if d.get("format_version") != "1.2":
            self.fail("top", f"format_version {d.get('format_version')!r}")
        self.typed("top", d, "terraform_version", str)
        ts = self.typed("top", d, "timestamp", str)
        if ts is not None and not TIME_RE.match(ts) and ts != "TIME":
            self.fail("top", f"timestamp {ts!r} is not RFC 3339")
        for k in ("errored", "applyable", "complete"):
            self.typed("top", d, k, bool)
        if d.get("errored") is not False:
            self.fail("top", "errored is not false for a plan that was made")
        vs = self.typed("top", d, "variables", dict)
        for name, v in (vs or {}).items():
            if not isinstance(v, dict) or "value" not in v:
                self.fail(f"variables.{name}", "not {\"value\": ...}")
        rcs = self.typed("top", d, "resource_changes", list) or []
        changes = {}
        for i, rc in enumerate(rcs):
            got = self.resource_change(i, rc)
            if got:
                if got[0] in changes:
                    self.fail(f"resource_changes[{got[0]}]", "listed twice")
                changes[got[0]] = got[1]
        pv = self.typed("top", d, "planned_values", dict)
        if pv is not None:
            self.outputs_values("planned_values.outputs", pv.get("outputs", {}))
            planned = self.module_tree("planned_values.root_module", pv.get("root_module"))
            for addr, r in planned.items():
                acts = changes.get(addr)
                if r.get("mode") == "managed" and acts is None:
                    self.fail(f"planned_values[{addr}]", "not in resource_changes")
                if acts == ["delete"]:
                    self.fail(f"planned_values[{addr}]", "planned to be deleted")
            for addr, acts in changes.items():
                if acts not in (["delete"], ["read"]) and addr not in planned:
                    rc = next(r for r in rcs if r.get("address") == addr)
                    if rc["change"].get("after_unknown") is not True:
                        self.fail(f"planned_values[{addr}]", "missing")
        oc = self.typed("top", d, "output_changes", dict)
        for name, ch in (oc or {}).items():
            w = f"output_changes.{name}"
            if ch.get("actions") not in ACTIONS:
                self.fail(w, f"actions {ch.get('actions')!r}")
            for k in ("before", "after", "after_unknown", "before_sensitive",
                      "after_sensitive"):
                if k not in ch:
                    self.fail(w, f"missing {k}")
            self.mirror(w + ".after", ch.get("after"), ch.get("after_unknown"),
                        "after_unknown", True)
            self.mirror(w + ".after", ch.get("after"), ch.get("after_sensitive"),
                        "after_sensitive", True)
            self.mirror(w + ".before", ch.get("before"), ch.get("before_sensitive"),
                        "before_sensitive", True)
        ps = self.typed("top", d, "prior_state", dict)
        if ps is not None:
            if ps.get("format_version") != "1.0":
                self.fail("prior_state", "format_version is not 1.0")
            vals = ps.get("values", {})
            self.outputs_values("prior_state.values.outputs", vals.get("outputs", {}))
            prior = self.module_tree("prior_state.values.root_module",
                                     vals.get("root_module", {}))
            for addr, acts in changes.items():
                if acts not in (["create"], ["read"]) and addr not in prior:
                    rc = next(r for r in rcs if r.get("address") == addr)
                    if "importing" not in rc["change"]:
                        self.fail(f"prior_state[{addr}]", f"missing for {acts}")
        cfg = self.typed("top", d, "configuration", dict)
        if cfg is not None:
            pc = self.typed("configuration", cfg, "provider_config", dict) or {}
            for k, p in pc.items():
                self.typed(f"provider_config.{k}", p, "name", str)
                self.typed(f"provider_config.{k}", p, "full_name", str)
            self.config_module("configuration.root_module", cfg.get("root_module"))
        ra = self.typed("top", d, "relevant_attributes", list) or []
        for i, a in enumerate(ra):
            if not isinstance(a, dict) or not isinstance(a.get("resource"), str) or \
                    not isinstance(a.get("attribute"), list) or not a["attribute"]:
                self.fail(f"relevant_attributes[{i}]", "not {resource, attribute}")


def _tuple(t):
    return t if isinstance(t, tuple) else (t,)


def _assigned_ip(key):
    # Addresses AWS hands out (private_ip, public_ip, private_ips ...) differ
    # from run to run (so does their order, in an output such as
    # nat_gateway_public_ips): everything under such a key is folded.
    # Addresses a configuration writes (cidr blocks, a
    # resolver's items) must stay in the golden.
    return key.endswith("_ip") or key.endswith("_ips")


def normalize(v, ips=False):
    if isinstance(v, dict):
        return {k: normalize(x, ips or _assigned_ip(k)) for k, x in v.items()}
    if isinstance(v, list):
        return [normalize(x, ips) for x in v]
    if isinstance(v, str):
        v = re.sub(r"(?i)tr-[0-9a-f]{16}", "tr-ID", v)
        v = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", v)
        v = ROUTE_ID_RE.sub(r"r-rtb-ID\1", v)
        v = AWS_ID_RE.sub(r"\1-ID", v)
        v = EC2_DNS_RE.sub("ec2-IP.", v)
        if ips:
            v = IPV4_RE.sub("IP", v)
        return v
    return v


def main(argv):
    if argv[1:2] == ["--normalize"]:
        with open(argv[2]) as f:
            print(json.dumps(normalize(json.load(f)), indent=1, ensure_ascii=False))
        return 0
    problems = []
    for path in argv[1:]:
        c = Checker(path)
        try:
            with open(path) as f:
                c.plan(json.load(f))
        except (ValueError, OSError) as e:
            c.fail("file", str(e))
        problems += c.problems
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
