#!/usr/bin/env python3
"""Writes the SendGrid adapter's fixtures: python3 plugins/sendgrid/make_fixtures.py

Only SendGrid holds its private key, so the fixtures are signed with a throwaway
P-256 key pair (fixed seeds, deterministic RFC 6979 signatures: reruns are
identical; needs `cryptography` >= 44) whose public key is the secret. The
vendor-sdk case is checked with the official `sendgrid` package
(EventWebhook.verify_signature), which verifies but cannot sign:

    python3 -m venv /tmp/venv-b && /tmp/venv-b/bin/pip install cryptography sendgrid
    /tmp/venv-b/bin/python plugins/sendgrid/make_fixtures.py
"""
import base64
import hashlib
import json
import pathlib
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW  # noqa: E402

A = "sendgrid"
SIG, TS = "X-Twilio-Email-Event-Webhook-Signature", "X-Twilio-Email-Event-Webhook-Timestamp"


def key(seed):
    private = ec.derive_private_key(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"), ec.SECP256R1())
    der = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(der).decode()


KEYS = {name: key(f"hookyard sendgrid fixture {name}") for name in ("new", "old", "wrong")}
PUBLIC = {name: pair[1] for name, pair in KEYS.items()}
PRIVATE = {pair[1]: pair[0] for pair in KEYS.values()}

EVENTS = [
    {"email": "ada@example.com", "timestamp": NOW - 20, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
     "event": "processed", "category": ["welcome"], "sg_event_id": "rbtnWrG1DVDGGGFHFyun0A",
     "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.000000000000000000000"},
    {"email": "ada@example.com", "timestamp": NOW - 10, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
     "event": "delivered", "category": ["welcome"], "sg_event_id": "rWVYmVk90MjZJ9iohOBa3w",
     "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.000000000000000000000",
     "response": "250 OK"},
    {"email": "grace@example.com", "timestamp": NOW - 5, "event": "click", "sg_event_id": "VbJ5Qq3ndGYuxL0KU0TNzg",
     "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.000000000000000000001",
     "url": "https://example.com/welcome", "useragent": "Mozilla/5.0", "ip": "198.51.100.7"},
]
BODY = compact(EVENTS) + "\r\n"  # SendGrid ends the body with CRLF, which is signed too.


def sign(public, now, body=BODY):
    signature = PRIVATE[public].sign(f"{now}".encode() + body.encode(),
                                     ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    return body, {"Content-Type": "application/json", "User-Agent": "SendGrid Event API",
                  TS: str(now), SIG: base64.b64encode(signature).decode()}


def main():
    events = [{"type": e["event"], "dedup_id": e["sg_event_id"], "subject": e["email"],
               "occurred_at": e["timestamp"] * 1000, "data": e} for e in EVENTS]
    standard_cases(A, sign, None, events, SIG, True, secret=PUBLIC["new"], old=PUBLIC["old"])
    b, h = sign(PUBLIC["new"], NOW)
    write(A, "wrong-secret", "verified against another webhook's verification key",
          {"headers": h, "body": b}, [PUBLIC["wrong"]], rejected("bad_signature"))
    write(A, "secret-not-a-key", "a secret that is not base64", {"headers": h, "body": b}, ["not a key!"],
          rejected("unauthorized"))
    pem = "-----BEGIN PUBLIC KEY-----\n" + PUBLIC["new"] + "\n-----END PUBLIC KEY-----\n"
    write(A, "pem-secret", "the verification key pasted as a PEM block", {"headers": h, "body": b}, [pem],
          {"verify": "ok", "events": events})
    write(A, "missing-timestamp", f"no {TS} header", {"headers": {k: v for k, v in h.items() if k != TS},
                                                     "body": b}, [PUBLIC["new"]], rejected("missing_signature"))
    b, h = sign(PUBLIC["new"], NOW, compact({"event": "delivered"}))
    write(A, "not-an-array", "a signed body that is not an array of events", {"headers": h, "body": b},
          [PUBLIC["new"]], {"verify": "ok", "handle_error": "malformed"})
    published_vector()
    vendor_sdk()


def published_vector():
    """A live Event Webhook request, from sendgrid-python test/unit/test_eventwebhook.py."""
    event = {"email": "hello@world.com", "event": "dropped", "reason": "Bounced Address",
             "sg_event_id": "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA",
             "sg_message_id": "LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0",
             "smtp-id": "<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>", "timestamp": 1600112492}
    body = json.dumps([event], sort_keys=True, separators=(",", ":")) + "\r\n"
    write(A, "published-vector", "sendgrid-python test/unit/test_eventwebhook.py (a live request, key and signature)",
          {"headers": {TS: "1600112502", SIG: "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+"
                                              "luQAbPIqHh89M15TluLtEZtM="}, "body": body},
          ["MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpig"
           "lSI8eNEc6wEA3F+g=="], {"verify": "ok", "events": [
              {"type": "dropped", "dedup_id": event["sg_event_id"], "subject": "hello@world.com",
               "occurred_at": 1600112492000, "data": event}]}, now=1600112502 + 10)


def vendor_sdk():
    try:
        from importlib.metadata import version
        from sendgrid.helpers.eventwebhook import EventWebhook
    except ImportError:
        print("sendgrid not installed: keeping the existing vendor-sdk.json fixture")
        return
    opened = {"email": "linus@example.com", "timestamp": NOW - 1, "event": "open",
              "sg_event_id": "sdkOpen0000000000000001", "sg_message_id": "sdk.filter0001"}
    body = compact([opened]) + "\r\n"
    b, h = sign(PUBLIC["new"], NOW, body)
    webhook = EventWebhook(PUBLIC["new"])
    assert webhook.verify_signature(b, h[SIG], h[TS])
    assert not EventWebhook(PUBLIC["wrong"]).verify_signature(b, h[SIG], h[TS])
    write(A, "vendor-sdk", f"signed with the throwaway key; accepted by sendgrid {version('sendgrid')} "
          "(EventWebhook.verify_signature), which cannot sign", {"headers": h, "body": b}, [PUBLIC["new"]],
          {"verify": "ok", "events": [{"type": "open", "dedup_id": "sdkOpen0000000000000001", "data": opened}]})


if __name__ == "__main__":
    main()
