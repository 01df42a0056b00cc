#!/usr/bin/env python3
"""Writes the Intercom adapter's conformance fixtures (python3 plugins/intercom/make_fixtures.py).

X-Hub-Signature = "sha1=" + hex HMAC-SHA1(client secret, raw body). Intercom publishes no test vector
with a known key, and no official Intercom SDK signs or verifies notifications, so there is no
vendor-sdk case.
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "intercom"
PAYLOAD = {
    "type": "notification_event",
    "app_id": "a86dr8yl",
    "data": {"type": "notification_event_data",
             "item": {"type": "conversation", "id": "147", "created_at": NOW - 60, "state": "open",
                      "source": {"type": "conversation", "id": "403918330", "delivered_as": "customer_initiated",
                                 "body": "<p>Hi, can you help?</p>"}}},
    "links": {},
    "id": "notif_78c122d0-23ba-11e4-9464-79b01267cc2e",
    "topic": "conversation.user.created",
    "delivery_status": "pending",
    "delivery_attempts": 1,
    "delivered_at": 0,
    "first_sent_at": NOW - 2,
    "created_at": NOW - 2,
    "self": None,
}
BODY = compact(PAYLOAD)


def sign(secret, _now, body=BODY):
    sig = "sha1=" + hmac.new(secret.encode(), body.encode(), hashlib.sha1).hexdigest()
    return body, {"X-Hub-Signature": sig, "Content-Type": "application/json",
                  "User-Agent": "intercom-parrot-service-client/1.0"}


EVENTS = [{"type": "conversation.user.created", "dedup_id": PAYLOAD["id"], "subject": "147",
           "occurred_at": (NOW - 2) * 1000, "data": PAYLOAD}]

standard_cases(A, sign, None, EVENTS, "X-Hub-Signature", False)

ping = {"type": "notification_event", "app_id": "a86dr8yl",
        "data": {"type": "notification_event_data", "item": {"type": "ping", "message": "something something interzen"}},
        "links": {}, "id": "notif_ping_1", "topic": "ping", "delivery_status": None, "delivery_attempts": 1,
        "delivered_at": 0, "first_sent_at": NOW, "created_at": NOW, "self": None}
b, h = sign(SECRET, NOW, compact(ping))
write(A, "ping", "the ping notification sent when a subscription is saved is an ordinary signed event",
      {"headers": h, "body": b}, [SECRET], {"verify": "ok", "events": [{"type": "ping", "dedup_id": "notif_ping_1",
                                                                     "data": ping}]})

b, h = sign(SECRET, NOW)
h["X-Hub-Signature"] = h["X-Hub-Signature"].replace("sha1=", "sha256=")
write(A, "wrong-algorithm-prefix", "X-Hub-Signature without the sha1= prefix cannot be parsed",
      {"headers": h, "body": b}, [SECRET], rejected("malformed"))

b, h = sign(SECRET, NOW, '{"type":"notification_event","id":"notif_x"}')
write(A, "no-topic", "a signed body without a topic is a malformed payload",
      {"headers": h, "body": b}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
print("intercom fixtures written")
