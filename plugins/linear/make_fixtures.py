#!/usr/bin/env python3
"""Writes the Linear adapter's conformance fixtures (python3 plugins/linear/make_fixtures.py).

Linear-Signature = hex HMAC-SHA256(signing secret, raw body); the body's webhookTimestamp (ms) must
be within 60 s. Linear publishes no test vector. The vendor-sdk case is checked with Linear's
official SDK (npm @linear/sdk, LinearWebhookClient.verify, which only verifies) with its clock set to
the fixtures' NOW; regenerate it with:

    mkdir -p /tmp/npm && cd /tmp/npm && npm install @linear/sdk
    LINEAR_SDK_DIR=/tmp/npm python3 plugins/linear/make_fixtures.py
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

A = "linear"
DELIVERY = "234d1a4e-b617-4388-90fe-adc3633d6b72"


def payload(ts_ms):
    return {"action": "create", "type": "Issue", "actor": {"id": "2e6eea91-1111-0000-9486-acea0603064d",
                                                          "type": "user", "name": "Ada Lovelace"},
            "createdAt": "2025-11-22T08:26:38.084Z",
            "data": {"id": "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9", "identifier": "ENG-42", "title": "Engine notes",
                     "number": 42, "priority": 2, "teamId": "72b2a2dc-6f4f-4423-9d34-24b5bd10634a",
                     "stateId": "5b0dc7f6-7f0e-4c38-a1d6-0d2a4d1f1f1c", "createdAt": "2025-11-22T08:26:38.084Z"},
            "url": "https://linear.app/issue/ENG-42/engine-notes", "organizationId": "e8f7e6d5-c4b3-4a29-8f1e-0d9c8b7a6f5e",
            "webhookTimestamp": ts_ms, "webhookId": "000042e3-d123-4980-b49f-8e140eef9329"}


def sign(secret, now, body=None):
    body = body if body is not None else compact(payload(now * 1000))
    sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return body, {"Linear-Signature": sig, "Linear-Delivery": DELIVERY, "Linear-Event": "Issue",
                  "User-Agent": "Linear-Webhook", "Content-Type": "application/json; charset=utf-8"}


def events(now):
    return [{"type": "Issue.create", "dedup_id": DELIVERY, "subject": "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9",
             "occurred_at": (NOW - 2) * 1000 + 84, "data": payload(now * 1000)}]


standard_cases(A, sign, None, events(NOW), "Linear-Signature", False)
b, h = sign(SECRET, NOW - 61)
write(A, "stale-timestamp", "webhookTimestamp 61 s before the clock (Linear's window is 60 s)",
      {"headers": h, "body": b}, [SECRET], rejected("timestamp_out_of_tolerance"))
b, h = sign(SECRET, NOW - 59)
write(A, "timestamp-within-tolerance", "webhookTimestamp 59 s before the clock", {"headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": events(NOW - 59)})
b, h = sign(SECRET, NOW + 61)
write(A, "future-timestamp", "webhookTimestamp 61 s after the clock", {"headers": h, "body": b}, [SECRET],
      rejected("timestamp_out_of_tolerance"))
b, h = sign(SECRET, NOW - 250)
write(A, "custom-tolerance", "tolerance_seconds: 300 accepts a webhookTimestamp 250 s old",
      {"headers": h, "body": b}, [SECRET], {"verify": "ok", "events": events(NOW - 250)}, {"tolerance_seconds": 300})
no_ts = payload(0)
del no_ts["webhookTimestamp"]
b, h = sign(SECRET, NOW, compact(no_ts))
write(A, "no-webhook-timestamp", "a signed body without webhookTimestamp cannot be checked for replay",
      {"headers": h, "body": b}, [SECRET], rejected("malformed"))
comment = {"action": "update", "type": "Comment", "createdAt": "2025-11-22T08:26:39.000Z",
           "data": {"id": "c0ffee00-0000-4000-8000-000000000001", "body": "Looks good", "issueId": "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9"},
           "webhookTimestamp": NOW * 1000}
b, h = sign(SECRET, NOW, compact(comment))
h["Linear-Event"] = "Comment"
write(A, "comment-update", "type and action join into Comment.update", {"headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": [{"type": "Comment.update", "subject": "c0ffee00-0000-4000-8000-000000000001",
                                   "data": comment}]})

NODE = r"""
const [dir, body, sig, secret, now] = process.argv.slice(1);
const { LinearWebhookClient } = await import(dir + '/node_modules/@linear/sdk/dist/webhooks/index.mjs');
const version = JSON.parse(require('fs').readFileSync(dir + '/node_modules/@linear/sdk/package.json')).version;
Date.now = () => Number(now);
const client = new LinearWebhookClient(secret);
const ok = client.verify(Buffer.from(body), sig);
let bad = false;
try { client.verify(Buffer.from(body + ' '), sig); } catch { bad = true; }
console.log(JSON.stringify({ ok, bad, version }));
"""


def vendor_sdk():
    sdk_dir = os.environ.get("LINEAR_SDK_DIR", "/tmp/npm")
    if not pathlib.Path(sdk_dir, "node_modules/@linear/sdk").is_dir():
        print("@linear/sdk not installed: keeping the existing vendor-sdk.json")
        return
    secret = "lin_wh_vendorSdkSecret0123456789"
    project = {"action": "remove", "type": "Project", "createdAt": "2025-11-22T08:26:40.000Z",
               "data": {"id": "5d3c2b1a-0000-4000-8000-00000000abcd", "name": "Q4 engine"},
               "webhookTimestamp": NOW * 1000}
    body = compact(project)
    sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    out = subprocess.run(["node", "--input-type=commonjs", "-e",
                          "(async () => {" + NODE + "})()",
                          sdk_dir, body, sig, secret, str(NOW * 1000)],
                         check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    assert result["ok"] and result["bad"], result
    write(A, "vendor-sdk", f"accepted by @linear/sdk {result['version']} (LinearWebhookClient.verify, "
          "clock at the fixture's now; the SDK has no signer)",
          {"headers": {"Linear-Signature": sig, "Linear-Delivery": "9e8d7c6b-5a49-4382-9160-5f4e3d2c1b0a",
                       "Linear-Event": "Project", "Content-Type": "application/json; charset=utf-8"}, "body": body},
          [secret], {"verify": "ok", "events": [{"type": "Project.remove", "dedup_id": "9e8d7c6b-5a49-4382-9160-5f4e3d2c1b0a",
                                                 "subject": "5d3c2b1a-0000-4000-8000-00000000abcd",
                                                 "occurred_at": NOW * 1000, "data": project}]})


vendor_sdk()
print("linear fixtures written")
