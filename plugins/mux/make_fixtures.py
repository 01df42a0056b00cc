#!/usr/bin/env python3
"""Writes the Mux adapter's conformance fixtures (run from anywhere).

Mux-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "{t}.{raw body}")>. The
vendor-sdk case is signed by Mux's official Node SDK (npm @mux/mux-node,
`webhooks.computeSignature`, the function its `verifySignature` uses) and kept
as data:

    mkdir -p /tmp/npm-mux && cd /tmp/npm-mux && npm init -y && npm install @mux/mux-node
    NODE_PATH=/tmp/npm-mux/node_modules python3 plugins/mux/make_fixtures.py
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

A = "mux"

READY = {
    "type": "video.asset.ready",
    "request_id": None,
    "object": {"type": "asset", "id": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002"},
    "id": "3a56ac3d-33da-4366-855b-f592d898409d",
    "environment": {"name": "Production", "id": "j0863n"},
    "data": {"tracks": [{"type": "video", "max_width": 1280, "max_height": 544, "max_frame_rate": 23.976,
                         "id": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002", "duration": 153.361542},
                        {"type": "audio", "max_channels": 2, "id": "FzB95vBizv02bYNqO5QVzNWRrVo5SnQju",
                         "duration": 153.361497}],
             "status": "ready", "max_stored_resolution": "SD", "max_stored_frame_rate": 23.976,
             "id": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002", "duration": 153.361542,
             "created_at": "2025-11-22T08:25:10.000000Z", "aspect_ratio": "40:17",
             "playback_ids": [{"policy": "public", "id": "uNbxnGLKJ00yfbijDO8COxTOyVKT01xpxW"}]},
    "created_at": "2025-11-22T08:26:35.123000Z",
    "attempts": [],
    "accessor_source": None,
    "accessor": None,
}


def sig(secret, t, body):
    return hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()


def main():
    body = compact(READY)

    def sign(secret, now, body=body):
        return body, {"Content-Type": "application/json", "Mux-Signature": f"t={now},v1={sig(secret, now, body)}"}

    events = [{"type": "video.asset.ready", "dedup_id": "3a56ac3d-33da-4366-855b-f592d898409d",
               "subject": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002", "occurred_at": 1_763_799_995_123,
               "data": READY}]
    standard_cases(A, sign, None, events, "Mux-Signature", True)
    both = f"t={NOW},v1={sig(WRONG, NOW, body)},v1={sig(SECRET, NOW, body)}"
    write(A, "several-signatures", "one of several v1 signatures matches",
          {"headers": {"Mux-Signature": both}, "body": body}, [SECRET], {"verify": "ok", "events": events})
    write(A, "future-timestamp", "signed 301 s after the clock: rejected too",
          {"headers": sign(SECRET, NOW + 301)[1], "body": body}, [SECRET], rejected("timestamp_out_of_tolerance"))
    write(A, "custom-tolerance", "tolerance_seconds narrows the window",
          {"headers": sign(SECRET, NOW - 61)[1], "body": body}, [SECRET], rejected("timestamp_out_of_tolerance"),
          {"tolerance_seconds": 60})
    write(A, "no-v1", "a header without any v1 signature",
          {"headers": {"Mux-Signature": f"t={NOW},v0=abc"}, "body": body}, [SECRET], rejected("missing_signature"))
    write(A, "no-timestamp", "a header without t=",
          {"headers": {"Mux-Signature": f"v1={sig(SECRET, NOW, body)}"}, "body": body}, [SECRET],
          rejected("malformed"))
    write(A, "timestamp-not-signed-alone", "the timestamp is part of the signed payload: changing it breaks the MAC",
          {"headers": {"Mux-Signature": f"t={NOW + 1},v1={sig(SECRET, NOW, body)}"}, "body": body}, [SECRET],
          rejected("bad_signature"))
    vendor_sdk()


def vendor_sdk():
    created = {"type": "video.upload.asset_created", "id": "b7c9e1f2-0a4d-4c8e-9f51-2d3e4f5a6b7c",
               "object": {"type": "upload", "id": "OA02dAZttvmGg2FaxXTy1RPOOcR1yXmyhlN"},
               "data": {"asset_id": "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002", "status": "asset_created"},
               "created_at": "2025-11-22T08:26:30.000000Z", "attempts": []}
    body = compact(created)
    script = r"""
const { Mux } = require('@mux/mux-node');
const version = require('@mux/mux-node/version').VERSION;
const [body, secret, t] = process.argv.slice(1);
const mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused', webhookSecret: secret });
mux.webhooks.computeSignature(`${t}.${body}`, secret).then((sig) =>
  console.log(JSON.stringify({ version, header: `t=${t},v1=${sig}` })));
"""
    try:
        out = subprocess.run(["node", "-e", script, body, "mux-sdk-secret", str(NOW)], check=True,
                             capture_output=True, text=True, env=os.environ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"@mux/mux-node not available ({e}): keeping the existing vendor-sdk.json")
        return
    r = json.loads(out)
    write(A, "vendor-sdk", f"signed by @mux/mux-node {r['version']} (webhooks.computeSignature)",
          {"headers": {"Content-Type": "application/json", "Mux-Signature": r["header"]}, "body": body},
          ["mux-sdk-secret"], {"verify": "ok", "events": [{"type": "video.upload.asset_created",
                                                          "dedup_id": "b7c9e1f2-0a4d-4c8e-9f51-2d3e4f5a6b7c",
                                                          "subject": "OA02dAZttvmGg2FaxXTy1RPOOcR1yXmyhlN",
                                                          "data": created}]})


if __name__ == "__main__":
    main()
    print("mux fixtures written")
