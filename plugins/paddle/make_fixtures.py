#!/usr/bin/env python3
"""Writes the Paddle Billing adapter's conformance fixtures (python3 plugins/paddle/make_fixtures.py).

Paddle-Signature = "ts=<unix>;h1=<hex HMAC-SHA256(secret key, '{ts}:{raw body}')>"; the default
tolerance is Paddle's own five seconds. Paddle publishes no fixed test vector. The vendor-sdk case is
signed with Paddle's official Python SDK (paddle-python-sdk, PaddleSignature.calculate_hmac) and
checked with its Verifier; run this with a Python that has it installed to regenerate that case:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install paddle-python-sdk
    /tmp/venv/bin/python plugins/paddle/make_fixtures.py
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "paddle"
KEY, OLD_KEY = "pdl_ntfset_01jd0fixture0new_Y2sTzN7QmR4vW8xK", "pdl_ntfset_01jd0fixture0old_Hq3Lp9Xc2Vb6Nm1Z"
PAYLOAD = {
    "event_id": "evt_01hv8x2acma2gz3he1dhbwxpbh",
    "event_type": "transaction.completed",
    "occurred_at": "2025-11-22T08:26:38.621022Z",
    "notification_id": "ntf_01hv8x2af0mf5da9s2qhrx7hcj",
    "data": {"id": "txn_01hv8wptq8987qeep44cyrewp9", "status": "completed", "customer_id": "ctm_01hv8wt8nffez4p2t6typn4a5j",
             "currency_code": "USD", "origin": "web", "subscription_id": "sub_01hv8x29kz0t586xy6zn1a62ny",
             "items": [{"price": {"id": "pri_01gsz8x8sawmvhz1pv30nge1ke", "product_id": "pro_01gsz4t5hdjse780zja8vvr7jg"},
                        "quantity": 10}],
             "details": {"totals": {"subtotal": "30000", "tax": "2400", "total": "32400", "currency_code": "USD"}},
             "billed_at": "2025-11-22T08:26:37.457227Z", "created_at": "2025-11-22T08:24:34.955123Z"},
}
BODY = compact(PAYLOAD)


def sign(secret, now, body=BODY):
    sig = hmac.new(secret.encode(), f"{now}:{body}".encode(), hashlib.sha256).hexdigest()
    return body, {"Paddle-Signature": f"ts={now};h1={sig}", "Content-Type": "application/json"}


EVENTS = [{"type": "transaction.completed", "dedup_id": PAYLOAD["event_id"], "subject": PAYLOAD["data"]["id"],
           "occurred_at": (NOW - 2) * 1000 + 621, "data": PAYLOAD}]
standard_cases(A, sign, None, EVENTS, "Paddle-Signature", False, secret=KEY, old=OLD_KEY)

b, h = sign(KEY, NOW - 6)
write(A, "stale-timestamp", "signed 6 s before the clock (Paddle's tolerance is 5 s)",
      {"headers": h, "body": b}, [KEY], rejected("timestamp_out_of_tolerance"))
b, h = sign(KEY, NOW - 5)
write(A, "timestamp-within-tolerance", "signed 5 s before the clock", {"headers": h, "body": b}, [KEY],
      {"verify": "ok", "events": EVENTS})
b, h = sign(KEY, NOW - 299)
write(A, "custom-tolerance", "tolerance_seconds: 300 accepts a signature 299 s old",
      {"headers": h, "body": b}, [KEY], {"verify": "ok", "events": EVENTS}, {"tolerance_seconds": 300})
both = ";".join([f"ts={NOW}", "h1=" + hmac.new(OLD_KEY.encode(), f"{NOW}:{BODY}".encode(), hashlib.sha256).hexdigest(),
                 "h1=" + hmac.new(KEY.encode(), f"{NOW}:{BODY}".encode(), hashlib.sha256).hexdigest()])
write(A, "several-signatures", "one h1 per key while rotating; one matches the only active secret",
      {"headers": {"Paddle-Signature": both}, "body": BODY}, [KEY], {"verify": "ok", "events": EVENTS})
write(A, "no-h1", "a header without any h1 signature", {"headers": {"Paddle-Signature": f"ts={NOW}"}, "body": BODY},
      [KEY], rejected("missing_signature"))
write(A, "no-ts", "a header without ts cannot be checked",
      {"headers": {"Paddle-Signature": "h1=" + sign(KEY, NOW)[1]["Paddle-Signature"].split("h1=")[1]}, "body": BODY},
      [KEY], rejected("malformed"))


def vendor_sdk():
    try:
        from importlib.metadata import version
        from paddle_billing.Notifications import Secret, Verifier
        from paddle_billing.Notifications.PaddleSignature import PaddleSignature
    except ImportError:
        print("paddle-python-sdk not installed: keeping the existing vendor-sdk.json")
        return
    created = {"event_id": "evt_01sdk0000000000000000000", "event_type": "subscription.created",
               "occurred_at": "2025-11-22T08:26:40.000000Z", "notification_id": "ntf_01sdk",
               "data": {"id": "sub_01sdk", "status": "active"}}
    body = compact(created)
    secret = "pdl_ntfset_01sdk_vendor_secret_key"
    sig = PaddleSignature.calculate_hmac(secret, f"{NOW}:{body}".encode()).hexdigest()
    header = f"ts={NOW};h1={sig}"

    request = type("Request", (), {"headers": {"Paddle-Signature": header}, "body": body.encode()})()
    assert Verifier().verify(request, Secret(secret), verify_time_drift=False), "the SDK must accept its own signature"
    write(A, "vendor-sdk", f"signed by paddle-python-sdk {version('paddle-python-sdk')} "
          "(PaddleSignature.calculate_hmac), accepted by its Verifier",
          {"headers": {"Paddle-Signature": header, "Content-Type": "application/json"}, "body": body}, [secret],
          {"verify": "ok", "events": [{"type": "subscription.created", "dedup_id": "evt_01sdk0000000000000000000",
                                       "subject": "sub_01sdk", "occurred_at": NOW * 1000, "data": created}]})


vendor_sdk()
print("paddle fixtures written")
