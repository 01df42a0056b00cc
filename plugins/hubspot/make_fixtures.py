#!/usr/bin/env python3
"""Writes the HubSpot adapter's conformance fixtures (python3 plugins/hubspot/make_fixtures.py).

X-HubSpot-Signature-v3 = base64 HMAC-SHA256(client secret, method + URI + raw body + timestamp), the
timestamp in X-HubSpot-Request-Timestamp (ms, 300 s tolerance). The published vector is
hubspot-api-python's tests/spec/utils/test_signature.py. The vendor-sdk case is signed with
hubspot-api-client's Signature.get_signature and checked with Signature.is_valid; regenerate it with:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install hubspot-api-client
    /tmp/venv/bin/python plugins/hubspot/make_fixtures.py
"""
import base64
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "hubspot"
URL = "https://hookyard.test/webhooks/wh_fixture"  # the fixtures' default URL
PAYLOAD = [
    {"eventId": 1760923476, "subscriptionId": 2384557, "portalId": 62515, "appId": 1160452, "occurredAt": (NOW - 3) * 1000,
     "subscriptionType": "contact.propertyChange", "attemptNumber": 0, "objectId": 123, "changeSource": "CRM",
     "propertyName": "lifecyclestage", "propertyValue": "marketingqualifiedlead"},
    {"eventId": 1760923477, "subscriptionId": 2384601, "portalId": 62515, "appId": 1160452, "occurredAt": (NOW - 2) * 1000,
     "subscriptionType": "deal.creation", "attemptNumber": 0, "objectId": 9876, "changeFlag": "CREATED",
     "changeSource": "CRM", "sourceId": "userId:1234567"},
]
BODY = compact(PAYLOAD)


def v3(secret, method, uri, body, ts):
    return base64.b64encode(hmac.new(secret.encode(), f"{method}{uri}{body}{ts}".encode(), hashlib.sha256).digest()).decode()


def sign(secret, now, body=BODY, uri=URL):
    ts = str(now * 1000)
    return body, {"X-HubSpot-Signature-v3": v3(secret, "POST", uri, body, ts), "X-HubSpot-Request-Timestamp": ts,
                  "Content-Type": "application/json"}


EVENTS = [
    {"type": "contact.propertyChange", "dedup_id": f"62515:2384557:1760923476:{(NOW - 3) * 1000}", "subject": "123",
     "occurred_at": (NOW - 3) * 1000, "data": PAYLOAD[0]},
    {"type": "deal.creation", "dedup_id": f"62515:2384601:1760923477:{(NOW - 2) * 1000}", "subject": "9876",
     "occurred_at": (NOW - 2) * 1000, "data": PAYLOAD[1]},
]
standard_cases(A, sign, None, EVENTS, "X-HubSpot-Signature-v3", True)

b, h = sign(SECRET, NOW)
del h["X-HubSpot-Request-Timestamp"]
write(A, "missing-timestamp", "no X-HubSpot-Request-Timestamp header", {"headers": h, "body": b}, [SECRET],
      rejected("missing_signature"))
b, h = sign(SECRET, NOW, BODY, "https://public.example.com/hooks/hubspot?portal=62515")
write(A, "target-url-setting", "behind a proxy: the Target URL registered with HubSpot comes from the settings",
      {"url": "http://internal:8080/webhooks/wh_hubspot", "headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": EVENTS}, {"target_url": "https://public.example.com/hooks/hubspot?portal=62515"})
b, h = sign(SECRET, NOW, BODY, "https://hooks.example.com/hubspot?from=a:b@c")
write(A, "encoded-uri", "HubSpot signs the URI with %3A and %40 decoded; the request arrives encoded",
      {"url": "https://hooks.example.com/hubspot?from=a%3Ab%40c", "headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": EVENTS})
b, h = sign(SECRET, NOW, compact({"eventId": 1, "subscriptionType": "contact.creation"}))
write(A, "not-an-array", "a signed body that is not an array of events is malformed", {"headers": h, "body": b},
      [SECRET], {"verify": "ok", "handle_error": "malformed"})

# hubspot-api-python tests/spec/utils/test_signature.py (test_is_valid_signature_v3 / get_signature v3)
VECTOR = {"secret": "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy", "uri": "https://www.example.com/webhook_uri",
          "body": "{'example_field':'example_value'}", "ts": "15000000",
          "sig": "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="}
assert v3(VECTOR["secret"], "POST", VECTOR["uri"], VECTOR["body"], VECTOR["ts"]) == VECTOR["sig"]
write(A, "published-vector",
      "published v3 vector (hubspot-api-python tests/spec/utils/test_signature.py); the body is not JSON",
      {"url": VECTOR["uri"], "headers": {"X-HubSpot-Signature-v3": VECTOR["sig"], "X-HubSpot-Request-Timestamp": VECTOR["ts"]},
       "body": VECTOR["body"]}, [VECTOR["secret"]], {"verify": "ok", "handle_error": "malformed"}, now=15000 + 10)


def vendor_sdk():
    try:
        from importlib.metadata import version
        from hubspot.utils.signature import Signature
    except ImportError:
        print("hubspot-api-client not installed: keeping the existing vendor-sdk.json")
        return
    secret = "b1e2c3d4-a5f6-4711-8e9d-0c1b2a3f4e5d"
    batch = [{"eventId": 42, "subscriptionId": 7, "portalId": 99, "appId": 5, "occurredAt": NOW * 1000,
              "subscriptionType": "ticket.creation", "attemptNumber": 0, "objectId": 31337}]
    body = compact(batch)
    ts = str(NOW * 1000)
    sig = Signature.get_signature(secret, body, "v3", http_uri=URL, http_method="POST", timestamp=ts)
    assert sig == v3(secret, "POST", URL, body, ts)
    write(A, "vendor-sdk", f"signed by hubspot-api-client {version('hubspot-api-client')} (Signature.get_signature, v3)",
          {"headers": {"X-HubSpot-Signature-v3": sig, "X-HubSpot-Request-Timestamp": ts, "Content-Type": "application/json"},
           "body": body}, [secret],
          {"verify": "ok", "events": [{"type": "ticket.creation", "dedup_id": f"99:7:42:{NOW * 1000}", "subject": "31337",
                                       "occurred_at": NOW * 1000, "data": batch[0]}]})


vendor_sdk()
print("hubspot fixtures written")
