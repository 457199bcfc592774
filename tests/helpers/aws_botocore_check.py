#!/usr/bin/python3
"""Re-sign cairn's requests with botocore and compare Authorization headers.

Reads JSON lines from tests/helpers/aws_sign_requests on stdin; for each,
builds a botocore AWSRequest with the same method, URL, headers (minus the
ones botocore adds itself: Authorization, X-Amz-Date, X-Amz-Security-Token)
and body, signs it with botocore.auth.SigV4Auth (S3SigV4Auth for S3) at
the same fixed time, and prints "ok botocore_<name>" or "not ok ...".
Run with Debian's /usr/bin/python3 (python3-botocore).
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = datetime.datetime(2026, 1, 2, 3, 4, 5)
ACCESS_KEY = "AKIDCAIRNTEST0000001"
SECRET_KEY = "cairn/Test+Secret/Key0000000000000000001"


class FixedDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return FIXED

    @classmethod
    def now(cls, tz=None):
        return FIXED if tz is None else FIXED.replace(tzinfo=tz)


_real_datetime_module = datetime


class FixedModule:
    datetime = FixedDatetime
    timezone = _real_datetime_module.timezone
    timedelta = _real_datetime_module.timedelta


botocore.auth.datetime = FixedModule

SKIP = {"authorization", "x-amz-date", "x-amz-security-token"}


def main():
    failed = 0
    count = 0
    services = set()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        count += 1
        services.add(r["service"])
        headers = {k: v for k, v in r["headers"] if k.lower() not in SKIP}
        req = AWSRequest(method=r["method"], url=r["url"], headers=headers,
                         data=r["body"].encode("utf-8"))
        creds = Credentials(ACCESS_KEY, SECRET_KEY, r["token"])
        cls = botocore.auth.S3SigV4Auth if r["s3"] else botocore.auth.SigV4Auth
        cls(creds, r["service"], r["region"]).add_auth(req)
        want = req.headers["Authorization"]
        name = "botocore_" + r["name"]
        if want == r["authorization"]:
            print("ok " + name)
        else:
            failed += 1
            print("# cairn:    " + r["authorization"])
            print("# botocore: " + want)
            print("not ok " + name)
    print("# %d requests, signing names: %s" % (count, " ".join(sorted(services))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
