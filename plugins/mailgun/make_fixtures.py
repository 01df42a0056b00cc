#!/usr/bin/env python3
"""Writes the Mailgun adapter's conformance fixtures (python3 plugins/mailgun/make_fixtures.py).

The signature is in the JSON body: signature.signature = hex HMAC-SHA256(webhook signing key,
signature.timestamp + signature.token); the event-data is not signed. Mailgun publishes no vector
with a known key (its docs' example signature is illustrative). The vendor-sdk case is checked with
Mailgun's official Python SDK (mailgun, SecurityGuard.verify_webhook, which only verifies);
regenerate it with:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install mailgun
    /tmp/venv/bin/python plugins/mailgun/make_fixtures.py
"""
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "mailgun"
TOKEN = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123"
EVENT_DATA = {
    "id": "CPgfbmQMTCKtHW6uIWtuVe",
    "timestamp": NOW - 2.25,
    "log-level": "info",
    "event": "delivered",
    "delivery-status": {"tls": True, "mx-host": "smtp-in.example.com", "code": 250, "description": "",
                        "session-seconds": 0.4331989288330078, "utf8": True, "attempt-no": 1,
                        "message": "OK", "certificate-verified": True},
    "flags": {"is-routed": False, "is-authenticated": True, "is-system-test": False, "is-test-mode": False},
    "envelope": {"transport": "smtp", "sender": "bob@mg.example.com", "sending-ip": "209.61.154.250",
                 "targets": "alice@example.com"},
    "message": {"headers": {"to": "Alice <alice@example.com>", "message-id": "20130503182626.18666.16540@mg.example.com",
                            "from": "Bob <bob@mg.example.com>", "subject": "Test delivered webhook"},
                "attachments": [], "size": 111},
    "recipient": "alice@example.com",
    "recipient-domain": "example.com",
    "storage": {"url": "https://se.api.mailgun.net/v3/domains/mg.example.com/messages/message_key", "key": "message_key"},
    "campaigns": [], "tags": ["my_tag_1"], "user-variables": {"my_var_1": "Mailgun Variable #1"},
}


def signature(key, ts, token=TOKEN):
    return {"token": token, "timestamp": str(ts),
            "signature": hmac.new(key.encode(), f"{ts}{token}".encode(), hashlib.sha256).hexdigest()}


def body(key, ts, event_data=EVENT_DATA, token=TOKEN):
    return compact({"signature": signature(key, ts, token), "event-data": event_data})


def req(text):
    return {"headers": {"Content-Type": "application/json", "User-Agent": "mailgun/treq-16.12.0"}, "body": text}


def events(payload):
    return [{"type": "delivered", "dedup_id": TOKEN, "subject": "20130503182626.18666.16540@mg.example.com",
             "occurred_at": (NOW - 3) * 1000 + 750, "data": payload}]


def stored(event_type, text):
    """The event of a delivery whose data is the whole body (signature object and event-data) as sent."""
    return {"verify": "ok", "events": [{"type": event_type, "dedup_id": TOKEN, "data": json.loads(text)}]}


valid = body(SECRET, NOW)
write(A, "valid", "a valid delivery: the signature object in the body matches", req(valid), [SECRET],
      {"verify": "ok", "events": events(json.loads(valid))})
b = body(OLD_SECRET, NOW)
write(A, "rotated-secret", "signed with the older of two active keys", req(b), [SECRET, OLD_SECRET],
      stored("delivered", b))
write(A, "wrong-secret", "signed with another key", req(valid), [WRONG], rejected("bad_signature"))
write(A, "no-secret", "a source without a key rejects everything (fail closed)", req(valid), [], rejected("unauthorized"))
write(A, "missing-header", "no signature object in the body (Mailgun sends no signature header)",
      req(compact({"event-data": EVENT_DATA})), [SECRET], rejected("missing_signature"))
sig = signature(SECRET, NOW)
sig["token"] = sig["token"][:-1] + "4"
write(A, "tampered-token", "the token changed after signing", req(compact({"signature": sig, "event-data": EVENT_DATA})),
      [SECRET], rejected("bad_signature"))
forged = dict(EVENT_DATA, event="failed", severity="permanent")
write(A, "tampered-body", "Mailgun does not sign event-data: a changed body verifies, but its dedup id is the "
      "replayed token, so the host drops it as a duplicate of the original",
      req(b := compact({"signature": signature(SECRET, NOW), "event-data": forged})), [SECRET],
      stored("failed", b))
write(A, "stale-timestamp", "signed 901 s before the clock (tolerance 900 s)", req(body(SECRET, NOW - 901)), [SECRET],
      rejected("timestamp_out_of_tolerance"))
write(A, "timestamp-within-tolerance", "signed 899 s before the clock", req(b := body(SECRET, NOW - 899)), [SECRET],
      stored("delivered", b))
write(A, "custom-tolerance", "tolerance_seconds: 300 rejects a signature 301 s old", req(body(SECRET, NOW - 301)),
      [SECRET], rejected("timestamp_out_of_tolerance"), {"tolerance_seconds": 300})
sub = signature("subaccount-signing-key", NOW)
sub["parent-signature"] = signature(SECRET, NOW)["signature"]
write(A, "parent-signature", "a subaccount's event: parent-signature made with the primary account's key",
      req(b := compact({"signature": sub, "event-data": EVENT_DATA})), [SECRET],
      stored("delivered", b))
numeric = signature(SECRET, NOW)
numeric["timestamp"] = NOW
write(A, "numeric-timestamp", "a timestamp sent as a JSON number is signed as its digits",
      req(b := compact({"signature": numeric, "event-data": EVENT_DATA})), [SECRET],
      stored("delivered", b))
write(A, "not-json", "a form body is not a JSON webhook", {"headers": {"Content-Type": "application/x-www-form-urlencoded"},
      "body": f"timestamp={NOW}&token={TOKEN}&signature=00&event=delivered"}, [SECRET], rejected("malformed"))


def vendor_sdk():
    try:
        from importlib.metadata import version
        from mailgun.security import SecurityGuard
    except ImportError:
        print("mailgun SDK not installed: keeping the existing vendor-sdk.json")
        return
    key, token = "c0ffee4d8a1b2c3d4e5f60718293a4b5-vendor-sdk-key", "5d0c8f3e2b1a49687766554433221100ffeeddccbbaa998877"
    sig = signature(key, NOW, token)
    assert SecurityGuard.verify_webhook(key, token, str(NOW), sig["signature"], max_age_seconds=0)
    assert not SecurityGuard.verify_webhook(key, token[::-1], str(NOW), sig["signature"], max_age_seconds=0)
    data = {"id": "sdkEvent0001", "timestamp": NOW, "event": "opened", "recipient": "carol@example.com",
            "message": {"headers": {"message-id": "sdk.1@mg.example.com"}}}
    write(A, "vendor-sdk", f"accepted by mailgun {version('mailgun')} (SecurityGuard.verify_webhook, "
          "TTL off; the SDK has no signer)", req(compact({"signature": sig, "event-data": data})), [key],
          {"verify": "ok", "events": [{"type": "opened", "dedup_id": token, "subject": "sdk.1@mg.example.com",
                                       "occurred_at": NOW * 1000, "data": {"signature": sig, "event-data": data}}]})


vendor_sdk()
print("mailgun fixtures written")
