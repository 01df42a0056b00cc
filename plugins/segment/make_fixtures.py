#!/usr/bin/env python3
"""Writes the Segment adapter's conformance fixtures (run from anywhere).

X-Signature = hex HMAC-SHA1(shared secret, raw body). The vendor-sdk case is
signed by Segment's own destination code (npm @segment/action-destinations,
webhook destination `extendRequest`) and kept as committed data:

    mkdir -p /tmp/npm-seg && cd /tmp/npm-seg && npm init -y
    npm install --ignore-scripts @segment/actions-core liquidjs
    npm pack @segment/action-destinations && mkdir -p node_modules/@segment/action-destinations
    tar xzf segment-action-destinations-*.tgz -C node_modules/@segment/action-destinations --strip-components 1
    NODE_PATH=/tmp/npm-seg/node_modules python3 plugins/segment/make_fixtures.py

(A plain `npm install @segment/action-destinations` pulls every destination's
dependencies, some pinned to versions the registry may not serve; only the
webhook destination is needed here.)
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

A = "segment"
HERE = pathlib.Path(__file__).resolve().parent

TRACK = {
    "anonymousId": "507f191e810c19729de860ea",
    "context": {"ip": "8.8.8.8", "library": {"name": "analytics.js", "version": "2.11.1"},
                "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_5)"},
    "event": "Order Completed",
    "messageId": "ajs-f8ca1e4de5024d9430b3928bd8ac6b96",
    "properties": {"order_id": "50314b8e9bcf000000000000", "revenue": 25.0, "currency": "USD"},
    "receivedAt": "2025-11-22T08:26:39.412Z",
    "sentAt": "2025-11-22T08:26:39.213Z",
    "timestamp": "2025-11-22T08:26:38.901Z",
    "type": "track",
    "userId": "97980cfea0067",
    "version": 2,
}
IDENTIFY = {
    "anonymousId": "507f191e810c19729de860ea",
    "messageId": "ajs-0c5d39b8f2f14c7e9c41c4e7c1b9e2aa",
    "timestamp": "2025-11-22T08:26:30.000Z",
    "traits": {"email": "peter@example.com", "name": "Peter Gibbons"},
    "type": "identify",
    "userId": "97980cfea0067",
}


def each(events, body):
    """The events, each with its data: the element of the batch (a JSON array) or the single event, as sent."""
    elements = json.loads(body)
    elements = elements if isinstance(elements, list) else [elements]
    assert len(elements) == len(events)
    return [dict(event, data=element) for event, element in zip(events, elements)]


def sig(secret, body):
    return hmac.new(secret.encode(), body.encode(), hashlib.sha1).hexdigest()


def main():
    body = compact(TRACK)

    def sign(secret, _now, body=body):
        return body, {"Content-Type": "application/json", "User-Agent": "Segment.io/1.0",
                      "X-Signature": sig(secret, body)}

    track_event = {"type": "track", "dedup_id": TRACK["messageId"], "subject": "97980cfea0067",
                   "occurred_at": 1_763_799_998_901, "data": TRACK}
    standard_cases(A, sign, None, [track_event], "X-Signature", False)

    batch = compact([TRACK, IDENTIFY])
    b, h = sign(SECRET, NOW, batch)
    write(A, "batch", "a batch (Actions, batching on) is a JSON array: one event per element",
          {"headers": h, "body": b}, [SECRET],
          {"verify": "ok", "events": each([track_event, {"type": "identify", "dedup_id": IDENTIFY["messageId"],
                                                         "subject": "97980cfea0067"}], batch)})
    first_only = sig(SECRET, compact(TRACK))
    write(A, "batch-signed-over-first-event", "a batch signed over its first event only (how Segment signs "
          "batches) is rejected by default: the other events would be unauthenticated",
          {"headers": {**h, "X-Signature": first_only}, "body": batch}, [SECRET], rejected("bad_signature"))
    write(A, "batch-signed-over-first-event-opt-in", "with batch_signature_over_first_event a batch signed over "
          "its first event is accepted",
          {"headers": {**h, "X-Signature": first_only}, "body": batch}, [SECRET],
          {"verify": "ok", "events": each([{"type": "track"}, {"type": "identify"}], batch)},
          {"batch_signature_over_first_event": True})
    write(A, "batch-opt-in-wrong-secret", "the opt-in still needs the right secret",
          {"headers": {**h, "X-Signature": sig(WRONG, compact(TRACK))}, "body": batch}, [SECRET],
          rejected("bad_signature"), {"batch_signature_over_first_event": True})
    b, h = sign(SECRET, NOW, compact({"anonymousId": "a-1", "type": "page", "name": "Home", "messageId": "m-77"}))
    write(A, "anonymous-subject", "without userId the subject is the anonymousId",
          {"headers": h, "body": b}, [SECRET],
          {"verify": "ok", "events": each([{"type": "page", "dedup_id": "m-77", "subject": "a-1"}], b)})
    mapped = compact({"kind": "signup", "uid": "u-1", "email": "x@example.com"})
    b, h = sign(SECRET, NOW, mapped)
    write(A, "custom-mapping", "an Actions mapping reshaped the payload: the pointers come from the settings",
          {"headers": h, "body": b}, [SECRET],
          {"verify": "ok", "events": each([{"type": "signup", "dedup_id": "u-1"}], mapped)},
          {"event_type_pointer": "/kind", "dedup_id_pointer": "/uid"})
    write(A, "no-type", "a verified event without a type cannot be mapped",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
    write(A, "malformed-signature", "X-Signature that is not hex",
          {"headers": {**h, "X-Signature": "sha1=zz"}, "body": b}, [SECRET], rejected("malformed"))
    vendor_sdk(body)


def vendor_sdk(body):
    """Signed by Segment's webhook destination code (npm @segment/action-destinations)."""
    script = r"""
const dest = require('@segment/action-destinations/dist/destinations/webhook').default;
const version = require('@segment/action-destinations/package.json').version;
const [events, secret] = [JSON.parse(process.argv[1]), process.argv[2]];
const sign = (payload) => dest.extendRequest({settings: {sharedSecret: secret}, payload}).headers['X-Signature'];
// What the send action puts on the wire: `json: payload.data` (single) or the array of data (batch).
console.log(JSON.stringify({version,
  single: {body: JSON.stringify(events[0]), sig: sign({data: events[0]})},
  batch: {body: JSON.stringify(events), sig: sign(events.map((data) => ({data})))}}));
"""
    try:
        out = subprocess.run(["node", "-e", script, compact([TRACK, IDENTIFY]), "segment-sdk-secret"], check=True,
                             capture_output=True, text=True, env=os.environ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"@segment/action-destinations not available ({e}): keeping the existing vendor-sdk*.json")
        return
    r = json.loads(out)
    write(A, "vendor-sdk",
          f"signed by @segment/action-destinations {r['version']} (webhook destination extendRequest)",
          {"headers": {"Content-Type": "application/json", "X-Signature": r["single"]["sig"]},
           "body": r["single"]["body"]}, ["segment-sdk-secret"],
          {"verify": "ok", "events": each([{"type": "track", "dedup_id": TRACK["messageId"]}], r["single"]["body"])})
    write(A, "vendor-sdk-batch",
          f"a batch signed by @segment/action-destinations {r['version']}: over its first event only, "
          "so accepted only with batch_signature_over_first_event",
          {"headers": {"Content-Type": "application/json", "X-Signature": r["batch"]["sig"]},
           "body": r["batch"]["body"]}, ["segment-sdk-secret"],
          {"verify": "ok", "events": each([{"type": "track"}, {"type": "identify"}], r["batch"]["body"])},
          {"batch_signature_over_first_event": True})


if __name__ == "__main__":
    main()
    print("segment fixtures written")
