#!/usr/bin/env python3
"""Writes the Adyen adapter's fixtures (format: sdk/fixture/src/lib.rs).

Signatures are computed per NotificationRequestItem as Adyen documents it; the
published vector is Adyen's own example (adyen-python-api-library
test/UtilTest.py); vendor-sdk.json is signed by the Adyen Python library
(`pip install Adyen`, Adyen.util.generate_notification_sig) when it is
importable, and kept as committed data otherwise.
"""
import base64
import copy
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected  # noqa: E402

A = "adyen"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
OLD_KEY = "0B2F6E1A9C8D7E6F5A4B3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D3E2F"
WRONG_KEY = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"
ORDER = ["pspReference", "originalReference", "merchantAccountCode", "merchantReference", "value", "currency",
         "eventCode", "success"]


def item_sig(item, key):
    fields = dict(item, value=item.get("amount", {}).get("value", ""), currency=item.get("amount", {}).get("currency", ""))
    text = ":".join(str(fields.get(name, "")) for name in ORDER)
    return base64.b64encode(hmac.new(bytes.fromhex(key), text.encode(), hashlib.sha256).digest()).decode()


def batch(items, key):
    signed = []
    for item in items:
        item = copy.deepcopy(item)
        item.setdefault("additionalData", {})["hmacSignature"] = item_sig(item, key)
        signed.append({"NotificationRequestItem": item})
    return {"live": "false", "notificationItems": signed}


AUTH = {"additionalData": {"authCode": "58747", "cardSummary": "1111", "expiryDate": "8/2018"},
        "amount": {"currency": "EUR", "value": 1130}, "eventCode": "AUTHORISATION",
        "eventDate": "2019-06-28T18:03:50+01:00", "merchantAccountCode": "TestMerchant",
        "merchantReference": "TestPayment-1407325143704", "operations": ["CANCEL", "CAPTURE", "REFUND"],
        "paymentMethod": "visa", "pspReference": "7914073381342284", "reason": "58747:1111:8/2018",
        "success": "true"}
CAPTURE = {"amount": {"currency": "EUR", "value": 1130}, "eventCode": "CAPTURE",
           "eventDate": "2019-06-28T18:04:12+01:00", "merchantAccountCode": "TestMerchant",
           "merchantReference": "TestPayment-1407325143704", "originalReference": "7914073381342284",
           "paymentMethod": "visa", "pspReference": "8825408195409505", "success": "true"}
AUTH_EVENT = {"type": "AUTHORISATION", "dedup_id": "7914073381342284:AUTHORISATION",
              "subject": "TestPayment-1407325143704", "occurred_at": 1561741430000}
CAPTURE_EVENT = {"type": "CAPTURE", "dedup_id": "8825408195409505:CAPTURE", "subject": "TestPayment-1407325143704"}
JSON = {"Content-Type": "application/json"}


def with_items(events, body):
    """The events, each with its data: the batch's NotificationRequestItem as sent (signature included)."""
    items = [entry["NotificationRequestItem"] for entry in body["notificationItems"]]
    assert len(items) == len(events)
    return [dict(event, data=item) for event, item in zip(events, items)]


body = batch([AUTH], KEY)
write(A, "valid", "one AUTHORISATION item signed with the HMAC key", {"headers": JSON, "body": compact(body)}, [KEY],
      {"verify": "ok", "events": [dict(AUTH_EVENT, data=body["notificationItems"][0]["NotificationRequestItem"])]})
two = batch([AUTH, CAPTURE], KEY)
write(A, "batch", "two items, each signed: two events", {"headers": JSON, "body": compact(two)},
      [KEY], {"verify": "ok", "events": with_items([AUTH_EVENT, CAPTURE_EVENT], two)})
old = batch([AUTH], OLD_KEY)
write(A, "rotated-secret", "signed with the older of two active keys",
      {"headers": JSON, "body": compact(old)}, [KEY, OLD_KEY], {"verify": "ok", "events": with_items([AUTH_EVENT], old)})
tampered = batch([AUTH], KEY)
tampered["notificationItems"][0]["NotificationRequestItem"]["amount"]["value"] = 113000
write(A, "tampered-body", "the amount changed after signing", {"headers": JSON, "body": compact(tampered)}, [KEY],
      rejected("bad_signature"))
mixed = batch([AUTH], KEY)
mixed["notificationItems"] += batch([CAPTURE], WRONG_KEY)["notificationItems"]
write(A, "one-bad-item", "every item must verify: the second is signed with another key",
      {"headers": JSON, "body": compact(mixed)}, [KEY], rejected("bad_signature"))
write(A, "wrong-secret", "signed with another key", {"headers": JSON, "body": compact(body)}, [WRONG_KEY],
      rejected("bad_signature"))
unsigned = {"live": "false", "notificationItems": [{"NotificationRequestItem": AUTH}]}
write(A, "missing-header", "an item without additionalData.hmacSignature (HMAC not enabled on the webhook)",
      {"headers": JSON, "body": compact(unsigned)}, [KEY], rejected("missing_signature"))
write(A, "no-secret", "a source without a key rejects everything (fail closed)",
      {"headers": JSON, "body": compact(body)}, [], rejected("unauthorized"))
write(A, "key-not-hex", "a configured key that is not hex is reported, not silently mismatched",
      {"headers": JSON, "body": compact(body)}, ["not-a-hex-key"], rejected("malformed"))
write(A, "no-items", "a body without notificationItems", {"headers": JSON, "body": compact({"live": "false"})}, [KEY],
      rejected("malformed"))
vector_item = {"pspReference": "7914073381342284", "merchantAccountCode": "TestMerchant",
               "merchantReference": "TestPayment-1407325143704", "amount": {"value": 1130, "currency": "EUR"},
               "eventCode": "AUTHORISATION", "success": "true",
               "additionalData": {"hmacSignature": "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="}}
write(A, "published-vector", "Adyen's published example (adyen-python-api-library test/UtilTest.py): "
      "key 44782DEF…, signed string 7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true",
      {"headers": JSON, "body": compact({"live": "false", "notificationItems": [{"NotificationRequestItem": vector_item}]})},
      [KEY], {"verify": "ok", "events": [{"type": "AUTHORISATION", "dedup_id": "7914073381342284:AUTHORISATION",
                                          "subject": "TestPayment-1407325143704", "data": vector_item}]})

try:
    from importlib.metadata import version
    from Adyen.util import generate_notification_sig, is_valid_hmac_notification
except ImportError:
    print("Adyen library not installed: keeping the existing vendor-sdk.json")
else:
    item = {"amount": {"currency": "USD", "value": 4999}, "eventCode": "REFUND",
            "eventDate": "2025-11-22T08:20:00+00:00", "merchantAccountCode": "HookyardTest",
            "merchantReference": "order-2025-0042", "originalReference": "QFQTPCQ8HXSKGK82",
            "pspReference": "LDV6MXT3TZLK9Q82", "success": "true", "additionalData": {}}
    item["additionalData"]["hmacSignature"] = generate_notification_sig(item, KEY).decode()
    assert is_valid_hmac_notification(item, KEY)
    write(A, "vendor-sdk", f"signed by the Adyen Python library {version('Adyen')} (Adyen.util.generate_notification_sig)",
          {"headers": JSON, "body": compact({"live": "false", "notificationItems": [{"NotificationRequestItem": item}]})},
          [KEY], {"verify": "ok", "events": [{"type": "REFUND", "dedup_id": "LDV6MXT3TZLK9Q82:REFUND",
                                              "subject": "order-2025-0042", "occurred_at": 1763799600000,
                                              "data": item}]})
print("adyen fixtures written")
