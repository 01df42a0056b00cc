#!/usr/bin/env python3
"""Writes the Calendly adapter's conformance fixtures (python3 plugins/calendly/make_fixtures.py).

Calendly-Webhook-Signature = "t=<unix>,v1=<hex HMAC-SHA256(signing key, '{t}.{raw body}')>", with a
three-minute tolerance. Calendly publishes no test vector and has no official SDK on PyPI or npm
that signs or verifies webhooks, so there is no vendor-sdk case.
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "calendly"
INVITEE = "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA"
PAYLOAD = {
    "created_at": "2025-11-22T08:26:38.000000Z",
    "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
    "event": "invitee.created",
    "payload": {
        "cancel_url": "https://calendly.com/cancellations/AAAAAAAAAAAAAAAA",
        "created_at": "2025-11-22T08:26:37.000000Z",
        "email": "test@example.com",
        "event": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
        "name": "John Doe",
        "questions_and_answers": [],
        "reschedule_url": "https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA",
        "rescheduled": False,
        "scheduled_event": {"uri": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2", "name": "15 Minute Meeting",
                            "status": "active", "start_time": "2025-11-25T10:00:00.000000Z",
                            "end_time": "2025-11-25T10:15:00.000000Z",
                            "event_type": "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2"},
        "status": "active",
        "timezone": "America/New_York",
        "tracking": {"utm_campaign": None, "utm_source": None},
        "uri": INVITEE,
    },
}
BODY = compact(PAYLOAD)


def sign(secret, now, body=BODY):
    sig = hmac.new(secret.encode(), f"{now}.{body}".encode(), hashlib.sha256).hexdigest()
    return body, {"Calendly-Webhook-Signature": f"t={now},v1={sig}", "Content-Type": "application/json; charset=utf-8",
                  "User-Agent": "Calendly Webhooks"}


EVENTS = [{"type": "invitee.created", "dedup_id": f"invitee.created {INVITEE}", "subject": INVITEE,
           "occurred_at": (NOW - 2) * 1000, "data": PAYLOAD}]
standard_cases(A, sign, None, EVENTS, "Calendly-Webhook-Signature", False)
b, h = sign(SECRET, NOW - 181)
write(A, "stale-timestamp", "signed 181 s before the clock (Calendly's example allows three minutes)",
      {"headers": h, "body": b}, [SECRET], rejected("timestamp_out_of_tolerance"))
b, h = sign(SECRET, NOW - 179)
write(A, "timestamp-within-tolerance", "signed 179 s before the clock", {"headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": EVENTS})
b, h = sign(SECRET, NOW - 299)
write(A, "custom-tolerance", "tolerance_seconds: 300 accepts a signature 299 s old", {"headers": h, "body": b},
      [SECRET], {"verify": "ok", "events": EVENTS}, {"tolerance_seconds": 300})
write(A, "no-v1", "a header without any v1 signature", {"headers": {"Calendly-Webhook-Signature": f"t={NOW}"},
      "body": BODY}, [SECRET], rejected("missing_signature"))
canceled = dict(PAYLOAD, event="invitee.canceled", created_at="2025-11-22T08:26:40.000000Z",
                payload=dict(PAYLOAD["payload"], status="canceled",
                             cancellation={"canceled_by": "John Doe", "reason": "Conflict", "canceler_type": "invitee"}))
b, h = sign(SECRET, NOW, compact(canceled))
write(A, "invitee-canceled", "a cancellation of the same invitee gets its own dedup id",
      {"headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": [{"type": "invitee.canceled", "dedup_id": f"invitee.canceled {INVITEE}",
                                   "subject": INVITEE, "occurred_at": NOW * 1000, "data": canceled}]})
print("calendly fixtures written")
