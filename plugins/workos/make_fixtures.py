#!/usr/bin/env python3
"""Writes the WorkOS adapter's conformance fixtures (run from anywhere).

WorkOS-Signature: t=<unix ms>, v1=<hex HMAC-SHA256(secret, "{t}.{raw body}")>,
tolerance 180 s. The published vector is the one in workos-python's
tests/test_webhooks.py. The vendor-sdk case is signed by WorkOS's official Node
SDK (npm @workos-inc/node, `webhooks.computeSignature`) and kept as data:

    mkdir -p /tmp/npm-workos && cd /tmp/npm-workos && npm init -y && npm install @workos-inc/node
    NODE_PATH=/tmp/npm-workos/node_modules python3 plugins/workos/make_fixtures.py
"""
import hashlib
import hmac
import json
import os
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "workos"

USER_CREATED = {
    "id": "event_01JD6V5R3W2C8QYFZ0PVQ4HX7K",
    "event": "dsync.user.created",
    "data": {
        "id": "directory_user_01E1X1B89NH8Z3SDFJR4H7RGX7",
        "directory_id": "directory_01ECAZ4NV9QMV47GW873HDCX74",
        "organization_id": "org_01EZTR6WYX1A0DSE2CYMGXQ24Y",
        "idp_id": "8931",
        "emails": [{"primary": True, "type": "work", "value": "veda@foo-corp.com"}],
        "first_name": "Lela",
        "last_name": "Block",
        "state": "active",
        "object": "directory_user",
        "created_at": "2025-11-22T08:26:38.000Z",
        "updated_at": "2025-11-22T08:26:38.000Z",
    },
    "created_at": "2025-11-22T08:26:39.123Z",
}


def header(secret, t_ms, body):
    sig = hmac.new(secret.encode(), f"{t_ms}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={t_ms}, v1={sig}"


def main():
    body = compact(USER_CREATED)

    def sign(secret, now, body=body):
        return body, {"Content-Type": "application/json", "WorkOS-Signature": header(secret, now * 1000 + 417, body)}

    events = [{"type": "dsync.user.created", "dedup_id": "event_01JD6V5R3W2C8QYFZ0PVQ4HX7K",
               "subject": "directory_user_01E1X1B89NH8Z3SDFJR4H7RGX7", "occurred_at": 1_763_799_999_123,
               "data": USER_CREATED}]
    standard_cases(A, sign, None, events, "WorkOS-Signature", False)
    h = {"WorkOS-Signature": header(SECRET, (NOW - 181) * 1000, body)}
    write(A, "stale-timestamp", "signed 181 s before the clock (WorkOS tolerance 180 s)",
          {"headers": h, "body": body}, [SECRET], rejected("timestamp_out_of_tolerance"))
    h = {"WorkOS-Signature": header(SECRET, (NOW - 179) * 1000 - 999, body)}
    write(A, "timestamp-within-tolerance", "signed 179.999 s before the clock",
          {"headers": h, "body": body}, [SECRET], {"verify": "ok", "events": events})
    h = {"WorkOS-Signature": header(SECRET, (NOW - 180) * 1000 - 1, body)}
    write(A, "stale-by-one-millisecond", "the 180 s window is checked to the millisecond",
          {"headers": h, "body": body}, [SECRET], rejected("timestamp_out_of_tolerance"))
    h = {"WorkOS-Signature": header(SECRET, NOW, body)}
    write(A, "timestamp-in-seconds", "a timestamp in seconds (not ms) is decades off: rejected",
          {"headers": h, "body": body}, [SECRET], rejected("timestamp_out_of_tolerance"))
    h = {"WorkOS-Signature": header(SECRET, (NOW - 250) * 1000, body)}
    write(A, "custom-tolerance", "tolerance_seconds widens the window",
          {"headers": h, "body": body}, [SECRET], {"verify": "ok", "events": events}, {"tolerance_seconds": 300})
    write(A, "no-v1", "a header without any v1 signature",
          {"headers": {"WorkOS-Signature": f"t={NOW * 1000}"}, "body": body}, [SECRET], rejected("missing_signature"))
    write(A, "no-timestamp", "a header without t= (workos-python's mock_header_no_timestamp shape)",
          {"headers": {"WorkOS-Signature": "v1=67612f0e74f008b436a13b00266f90ef5c13f9cbcf6262206f5f4a539ff61702"},
           "body": body}, [SECRET], rejected("malformed"))
    vector = ('{"id":"wh_01FG9JXJ9C9S052FX59JVG4EG1","data":{"id":"conn_01EHWNC0FCBHZ3BJ7EGKYXK0E6",'
              '"name":"Foo Corp\'s Connection","state":"active","object":"connection","domains":[{"id":'
              '"conn_domain_01EHWNFTAFCF3CQAE5A9Q0P1YB","domain":"foo-corp.com","object":"connection_domain"}],'
              '"connection_type":"OktaSAML","organization_id":"org_01EHWNCE74X7JSDV0X3SZ3KJNY"},'
              '"event":"connection.activated"}')
    write(A, "published-vector", "workos-python tests/test_webhooks.py (mock_event_body, mock_header, mock_secret)",
          {"headers": {"WorkOS-Signature": "t=1632409405772, v1=67612f0e74f008b436a13b00266f90ef5c13f9cbcf6262206f5f4a539ff61702"},
           "body": vector}, ["1lyKDzhJjuCkIscIWqkSe4YsQ"],
          {"verify": "ok", "events": [{"type": "connection.activated", "dedup_id": "wh_01FG9JXJ9C9S052FX59JVG4EG1",
                                       "subject": "conn_01EHWNC0FCBHZ3BJ7EGKYXK0E6", "data": json.loads(vector)}]},
          now=1632409405 + 10)
    vendor_sdk()


def vendor_sdk():
    payload = {"id": "event_01JD6W0SDKCASE000000000001", "event": "user.created",
               "data": {"object": "user", "id": "user_01JD6W0SDKUSER0000000000001", "email": "ada@example.com",
                        "email_verified": True},
               "created_at": "2025-11-22T08:26:38.000Z"}
    script = r"""
const { WorkOS } = require('@workos-inc/node');
const fs = require('fs'), path = require('path');
const pkg = path.join(path.dirname(require.resolve('@workos-inc/node')), '..', 'package.json');
const version = JSON.parse(fs.readFileSync(pkg)).version;
const [payload, secret, t] = [JSON.parse(process.argv[1]), process.argv[2], process.argv[3]];
const workos = new WorkOS('sk_test_unused');
workos.webhooks.computeSignature(t, payload, secret).then((sig) =>
  console.log(JSON.stringify({ version, body: JSON.stringify(payload), header: `t=${t}, v1=${sig}` })));
"""
    try:
        out = subprocess.run(["node", "-e", script, json.dumps(payload), "workos-sdk-secret", str(NOW * 1000 - 2500)],
                             check=True, capture_output=True, text=True, env=os.environ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"@workos-inc/node not available ({e}): keeping the existing vendor-sdk.json")
        return
    r = json.loads(out)
    write(A, "vendor-sdk", f"signed by @workos-inc/node {r['version']} (webhooks.computeSignature)",
          {"headers": {"Content-Type": "application/json", "WorkOS-Signature": r["header"]}, "body": r["body"]},
          ["workos-sdk-secret"], {"verify": "ok", "events": [{"type": "user.created",
                                                             "dedup_id": "event_01JD6W0SDKCASE000000000001",
                                                             "subject": "user_01JD6W0SDKUSER0000000000001",
                                                             "data": json.loads(r["body"])}]})


if __name__ == "__main__":
    main()
    print("workos fixtures written")
