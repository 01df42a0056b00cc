#!/usr/bin/env python3
"""Writes the Coinbase Commerce adapter's conformance fixtures (run from anywhere).

X-CC-Webhook-Signature = hex HMAC-SHA256(shared secret, raw body). The
vendor-sdk case is signed by Coinbase's official Python library (PyPI
`coinbase-commerce`, `WebhookSignature._compute_signature`) and kept as data:

    python3 -m venv /tmp/venv-cc && /tmp/venv-cc/bin/pip install coinbase-commerce
    /tmp/venv-cc/bin/python plugins/coinbase-commerce/make_fixtures.py
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "coinbase-commerce"

# The shape of Coinbase's documented webhook example (webhooks fields page).
DELIVERY = {
    "attempt_number": 1,
    "event": {
        "api_version": "2018-03-22",
        "created_at": "2025-11-22T08:26:20Z",
        "data": {
            "id": "2aee9dd1-67b8-43ef-8dfe-977959850f27",
            "code": "XA6G6ZFR",
            "pricing": {"local": {"amount": "1.00", "currency": "USD"},
                        "settlement": {"amount": "1", "currency": "USDC"}},
            "metadata": {"name": "Bobby Axlerod", "email": "bobby@example.com"},
            "timeline": [{"time": "2025-11-22T08:20:46Z", "status": "NEW"},
                         {"time": "2025-11-22T08:26:19Z", "status": "COMPLETED"}],
            "pricing_type": "fixed_price",
            "hosted_url": "https://commerce.coinbase.com/pay/2aee9dd1-67b8-43ef-8dfe-977959850f27",
        },
        "id": "5e7f4f6c-2b3e-4f5b-9a53-0f7f3c1b7a11",
        "resource": "event",
        "type": "charge:confirmed",
    },
    "id": "6f4e1b2a-6f0e-4d6c-8a54-3c8e5b2d9f00",
    "scheduled_for": "2025-11-22T08:26:20Z",
}


def sig(secret, body):
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def main():
    body = compact(DELIVERY)

    def sign(secret, _now, body=body):
        return body, {"Content-Type": "application/json", "X-CC-Webhook-Signature": sig(secret, body)}

    events = [{"type": "charge:confirmed", "dedup_id": "5e7f4f6c-2b3e-4f5b-9a53-0f7f3c1b7a11",
               "subject": "XA6G6ZFR", "occurred_at": 1_763_799_980_000, "data": DELIVERY}]
    standard_cases(A, sign, None, events, "X-CC-Webhook-Signature", False)
    retry = dict(DELIVERY, attempt_number=2, id="0d3c4a1e-9b7f-4f4e-a1d5-6b1b2c3d4e5f")
    b, h = sign(SECRET, NOW, compact(retry))
    write(A, "retry-same-dedup-id", "a retried delivery (new delivery id, attempt 2) keeps the event's dedup id",
          {"headers": h, "body": b}, [SECRET],
          {"verify": "ok", "events": [{"type": "charge:confirmed", "dedup_id": "5e7f4f6c-2b3e-4f5b-9a53-0f7f3c1b7a11",
                                       "data": retry}]})
    write(A, "malformed-signature", "a signature that is not hex",
          {"headers": {**h, "X-CC-Webhook-Signature": "not hex"}, "body": b}, [SECRET], rejected("malformed"))
    b, h = sign(SECRET, NOW, compact({"id": "x", "event": {"id": "e"}}))
    write(A, "no-type", "a verified body without event.type cannot be mapped",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
    vendor_sdk()


def vendor_sdk():
    try:
        from coinbase_commerce.webhook import WebhookSignature
        from importlib.metadata import version
    except ImportError:
        print("coinbase-commerce not installed: keeping the existing vendor-sdk.json")
        return
    delivery = {"attempt_number": 1, "id": "sdk-delivery-1",
                "event": {"id": "sdk-event-1", "type": "charge:pending", "resource": "event",
                          "created_at": "2025-11-22T08:26:30Z", "data": {"code": "SDK12345"}}}
    body = compact(delivery)
    secret = "cc-sdk-shared-secret"
    signature = WebhookSignature._compute_signature(body, secret)
    WebhookSignature.verify_sig_header(body, signature, secret)
    write(A, "vendor-sdk",
          f"signed by coinbase-commerce {version('coinbase-commerce')} (PyPI; WebhookSignature._compute_signature)",
          {"headers": {"Content-Type": "application/json", "X-CC-Webhook-Signature": signature}, "body": body},
          [secret], {"verify": "ok", "events": [{"type": "charge:pending", "dedup_id": "sdk-event-1",
                                                 "subject": "SDK12345", "data": delivery}]})


if __name__ == "__main__":
    main()
    print("coinbase-commerce fixtures written")
