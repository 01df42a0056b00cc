#!/usr/bin/env python3
"""Writes the Square adapter's conformance fixtures (python3 plugins/square/make_fixtures.py).

x-square-hmacsha256-signature = base64 HMAC-SHA256(signature key, notification URL + raw body).
The published vectors are square-python-sdk's tests/integration/test_webhooks_helper.py. Square's
SDK only verifies (square.utils.webhooks_helper.verify_signature, no signer), so the vendor-sdk case
is signed here and checked with that function before it is written; regenerate it with:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install squareup
    /tmp/venv/bin/python plugins/square/make_fixtures.py
"""
import base64
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "square"
URL = "https://hooks.example.com/webhooks/wh_square"
PAYLOAD = {
    "merchant_id": "6SSW7HV8K2ST5",
    "type": "payment.updated",
    "event_id": "13b867cf-db3d-4b1c-90b6-2f32a9d78124",
    "created_at": "2025-11-22T08:26:38.047Z",
    "data": {"type": "payment", "id": "hYy9pRFVxpDsO1FB05SunFWUe9JZY",
             "object": {"payment": {"id": "hYy9pRFVxpDsO1FB05SunFWUe9JZY", "amount_money": {"amount": 100, "currency": "USD"},
                                    "status": "COMPLETED", "location_id": "S8GWD5R9QB376", "order_id": "03O3USaPaAaFnI6kkwB1JxGgBsUZY",
                                    "source_type": "CARD", "version": 2}}},
}
BODY = compact(PAYLOAD)


def sig(key, url, body):
    return base64.b64encode(hmac.new(key.encode(), (url + body).encode(), hashlib.sha256).digest()).decode()


def sign(secret, _now, body=BODY, url=URL):
    return body, {"x-square-hmacsha256-signature": sig(secret, url, body), "Content-Type": "application/json",
                  "User-Agent": "Square Connect v2"}


def req(headers, body, url=URL):
    return {"url": url, "headers": headers, "body": body}


EVENTS = [{"type": "payment.updated", "dedup_id": PAYLOAD["event_id"], "subject": PAYLOAD["data"]["id"],
           "occurred_at": (NOW - 2) * 1000 + 47, "data": PAYLOAD}]
# standard_cases sends to the fixtures' default URL: sign for that one.
DEFAULT_URL = "https://hookyard.test/webhooks/wh_fixture"
standard_cases(A, lambda s, n: sign(s, n, BODY, DEFAULT_URL), None, EVENTS, "x-square-hmacsha256-signature", False)

b, h = sign(SECRET, NOW, BODY, "https://public.example.com/square/webhook")
write(A, "notification-url-setting", "behind a proxy: the URL registered with Square comes from the settings",
      req(h, b, "http://internal:8080/webhooks/wh_square"), [SECRET], {"verify": "ok", "events": EVENTS},
      {"notification_url": "https://public.example.com/square/webhook"})
write(A, "url-mismatch", "signed for another notification URL (the URL is part of the signature)",
      req(h, b, URL), [SECRET], rejected("bad_signature"))

VECTOR_BODY = ('{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":'
               '"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z",'
               '"data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}')
VECTOR_URL = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9"
assert sig("Ibxx_5AKakO-3qeNVR61Dw", VECTOR_URL, VECTOR_BODY) == "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="
write(A, "published-vector",
      "published vector (square-python-sdk tests/integration/test_webhooks_helper.py, test_signature_validation_pass)",
      req({"x-square-hmacsha256-signature": "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=",
           "Content-Type": "application/json"}, VECTOR_BODY, VECTOR_URL),
      ["Ibxx_5AKakO-3qeNVR61Dw"],
      {"verify": "ok", "events": [{"type": "webhooks.test_notification", "dedup_id": "ac3ac95b-f97d-458c-a6e6-18981597e05f",
                                   "subject": "bc368e64-01aa-407e-b46e-3231809b1129", "occurred_at": 1657744259037,
                                   "data": json.loads(VECTOR_BODY)}]},
      now=1657744259 + 60)
write(A, "published-vector-escaped",
      "published vector with >< in the body (square-python-sdk test_signature_validation_escaped_pass)",
      req({"x-square-hmacsha256-signature": "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U="},
          '{"data":{"type":"webhooks","id":">id<"}}', "https://webhook.site/webhooks"),
      ["signature-key"], {"verify": "ok", "handle_error": "malformed"})
write(A, "published-vector-url-mismatch",
      "the published vector sent to another URL fails (square-python-sdk test_signature_validation_url_mismatch)",
      req({"x-square-hmacsha256-signature": "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="}, VECTOR_BODY,
          "https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9"),
      ["Ibxx_5AKakO-3qeNVR61Dw"], rejected("bad_signature"), now=1657744259 + 60)


def vendor_sdk():
    try:
        from importlib.metadata import version
        from square.utils.webhooks_helper import verify_signature
    except ImportError:
        print("squareup not installed: keeping the existing vendor-sdk.json")
        return
    created = {"merchant_id": "MSDK", "type": "order.created", "event_id": "5f2b7c1e-sdk0-4a5b-9c8d-0e1f2a3b4c5d",
               "created_at": "2025-11-22T08:26:40Z", "data": {"type": "order", "id": "order_sdk_1"}}
    body = compact(created)
    key = "sq0wsk-vendor-sdk-key"
    signature = sig(key, URL, body)
    assert verify_signature(request_body=body, signature_header=signature, signature_key=key, notification_url=URL)
    assert not verify_signature(request_body=body + " ", signature_header=signature, signature_key=key,
                                notification_url=URL)
    write(A, "vendor-sdk", f"accepted by squareup {version('squareup')} "
          "(square.utils.webhooks_helper.verify_signature; the SDK has no signer)",
          req({"x-square-hmacsha256-signature": signature, "Content-Type": "application/json"}, body), [key],
          {"verify": "ok", "events": [{"type": "order.created", "dedup_id": "5f2b7c1e-sdk0-4a5b-9c8d-0e1f2a3b4c5d",
                                       "subject": "order_sdk_1", "occurred_at": NOW * 1000, "data": created}]})


vendor_sdk()
print("square fixtures written")
