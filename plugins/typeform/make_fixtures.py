#!/usr/bin/env python3
"""Writes the Typeform adapter's conformance fixtures (python3 plugins/typeform/make_fixtures.py).

Typeform-Signature = "sha256=" + base64 HMAC-SHA256(webhook secret, raw body). Typeform publishes no
test vector with a known key, and its official SDK (@typeform/api-client) has no webhook signing or
verification, so there is no vendor-sdk case.
"""
import base64
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "typeform"
PAYLOAD = {
    "event_id": "01HZQ8WJ0KZ9J1V7T5E3Y2X4N6",
    "event_type": "form_response",
    "form_response": {
        "form_id": "lT4Z3j",
        "token": "a3a12ec67a1365927098a606107fac15",
        "submitted_at": "2025-11-22T08:26:38Z",
        "landed_at": "2025-11-22T08:25:51Z",
        "calculated": {"score": 9},
        "definition": {"id": "lT4Z3j", "title": "Webhooks example",
                       "fields": [{"id": "DlXFaesGBpoF", "title": "Thanks! What's your name?", "type": "long_text",
                                   "ref": "readable_ref_long_text", "properties": {}}]},
        "answers": [{"type": "text", "text": "Ada Lovelace",
                     "field": {"id": "DlXFaesGBpoF", "type": "long_text", "ref": "readable_ref_long_text"}}],
    },
}
BODY = compact(PAYLOAD)


def sign(secret, _now, body=BODY):
    sig = "sha256=" + base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()
    return body, {"Typeform-Signature": sig, "Content-Type": "application/json", "User-Agent": "Typeform Webhooks"}


EVENTS = [{"type": "form_response", "dedup_id": PAYLOAD["event_id"], "subject": "lT4Z3j",
           "occurred_at": (NOW - 2) * 1000, "data": PAYLOAD}]
standard_cases(A, sign, None, EVENTS, "Typeform-Signature", False)

b, h = sign(SECRET, NOW)
h["Typeform-Signature"] = "sha256=" + hmac.new(SECRET.encode(), b.encode(), hashlib.sha256).hexdigest()
write(A, "hex-signature", "a hex digest where Typeform sends base64 does not match",
      {"headers": h, "body": b}, [SECRET], rejected("bad_signature"))
b, h = sign(SECRET, NOW)
h["Typeform-Signature"] = h["Typeform-Signature"].removeprefix("sha256=")
write(A, "no-prefix", "a signature without the sha256= prefix cannot be parsed",
      {"headers": h, "body": b}, [SECRET], rejected("malformed"))
print("typeform fixtures written")
