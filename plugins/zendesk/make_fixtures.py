#!/usr/bin/env python3
"""Writes the Zendesk adapter's conformance fixtures (run from anywhere).

X-Zendesk-Webhook-Signature = base64 HMAC-SHA256(signing secret,
X-Zendesk-Webhook-Signature-Timestamp + raw body); the timestamp is ISO 8601
UTC. Zendesk ships no SDK that signs or verifies webhooks (zenpy and
node-zendesk are community API clients), so there is no vendor-sdk case.
"""
import base64
import datetime
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "zendesk"
INVOCATION = "8350205582"
TEST_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="  # Zendesk's public secret for test requests

TICKET_CREATED = {
    "type": "zen:event-type:ticket.created",
    "account_id": 12514403,
    "id": "0b7e8f3c-4d9a-4c1e-9f0a-3e2d1c4b5a69",
    "time": "2025-11-22T08:26:38Z",
    "zendesk_event_version": "2022-11-06",
    "subject": "zen:ticket:35436",
    "detail": {"id": "35436", "status": "NEW", "priority": "LOW", "subject": "Printer on fire",
                "requester_id": "6596848315901", "via": {"channel": "web"},
                "created_at": "2025-11-22T08:26:38Z", "updated_at": "2025-11-22T08:26:38Z"},
    "event": {"meta": {"sequence": {"id": "CE4A698AF24F35B3208649C6951E000E", "position": 1}}},
}


def iso(secs):
    return datetime.datetime.fromtimestamp(secs, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sig(secret, timestamp, body):
    return base64.b64encode(hmac.new(secret.encode(), (timestamp + body).encode(), hashlib.sha256).digest()).decode()


def headers(secret, now, body, content_type="application/json"):
    ts = iso(now)
    return {"Content-Type": content_type, "User-Agent": "Zendesk Webhook", "X-Zendesk-Account-Id": "12514403",
            "X-Zendesk-Webhook-Id": "01F1KRFQ6BG29CNWFR60NK5FNY", "X-Zendesk-Webhook-Invocation-Id": INVOCATION,
            "X-Zendesk-Webhook-Signature-Timestamp": ts, "X-Zendesk-Webhook-Signature": sig(secret, ts, body)}


def main():
    body = compact(TICKET_CREATED)

    def sign(secret, now, body=body):
        return body, headers(secret, now, body)

    events = [{"type": "zen:event-type:ticket.created", "dedup_id": "0b7e8f3c-4d9a-4c1e-9f0a-3e2d1c4b5a69",
               "subject": "zen:ticket:35436", "occurred_at": 1_763_799_998_000, "data": TICKET_CREATED}]
    standard_cases(A, sign, None, events, "X-Zendesk-Webhook-Signature", True)

    trigger = compact({"ticket_id": "35436", "id": "35436", "status": "open", "title": "Printer on fire"})
    write(A, "trigger-json", "a trigger's own JSON body: type trigger, dedup the invocation id (not the body's id)",
          {"headers": headers(SECRET, NOW, trigger), "body": trigger}, [SECRET],
          {"verify": "ok", "events": [{"type": "trigger", "dedup_id": INVOCATION,
                                       "data": {"ticket_id": "35436", "id": "35436", "status": "open",
                                                "title": "Printer on fire"}}]})
    typed = compact({"event": "ticket_solved", "ticket": {"id": 35436}})
    write(A, "trigger-custom-type", "event_type_pointer reads the type from a trigger body",
          {"headers": headers(SECRET, NOW, typed), "body": typed}, [SECRET],
          {"verify": "ok", "events": [{"type": "ticket_solved", "dedup_id": INVOCATION, "data": json.loads(typed)}]},
          {"event_type_pointer": "/event"})
    form = "ticket_id=35436&status=solved&title=Printer+on+fire"
    write(A, "trigger-form", "a form-encoded trigger body becomes a JSON object of its fields",
          {"headers": headers(SECRET, NOW, form, "application/x-www-form-urlencoded"), "body": form}, [SECRET],
          {"verify": "ok", "events": [{"type": "trigger", "dedup_id": INVOCATION,
                                       "data": {"ticket_id": "35436", "status": "solved",
                                                "title": "Printer on fire"}}]})
    xml = "<ticket><id>35436</id><status>solved</status></ticket>"
    write(A, "trigger-xml", "an XML trigger body is kept as text",
          {"headers": headers(SECRET, NOW, xml, "application/xml"), "body": xml}, [SECRET],
          {"verify": "ok", "events": [{"type": "trigger", "dedup_id": INVOCATION,
                                       "data": {"content_type": "application/xml", "body": xml}}]})
    h = headers(SECRET, NOW, "")
    del h["Content-Type"]
    write(A, "trigger-get", "a GET trigger has no body: the timestamp alone is signed, data is the query",
          {"method": "GET", "url": "https://hookyard.test/webhooks/wh_fixture?ticket_id=35436&status=open",
           "headers": h, "body": ""}, [SECRET],
          {"verify": "ok", "events": [{"type": "trigger", "dedup_id": INVOCATION,
                                       "data": {"ticket_id": "35436", "status": "open"}}]})
    write(A, "default-event-type", "default_event_type names untyped trigger requests",
          {"headers": headers(SECRET, NOW, trigger), "body": trigger}, [SECRET],
          {"verify": "ok", "events": [{"type": "ticket_changed", "data": json.loads(trigger)}]},
          {"default_event_type": "ticket_changed"})
    h = headers(SECRET, NOW, body)
    del h["X-Zendesk-Webhook-Signature-Timestamp"]
    write(A, "missing-timestamp", "no X-Zendesk-Webhook-Signature-Timestamp header",
          {"headers": h, "body": body}, [SECRET], rejected("missing_signature"))
    h = headers(SECRET, NOW, body)
    h["X-Zendesk-Webhook-Signature-Timestamp"] = str(NOW)
    h["X-Zendesk-Webhook-Signature"] = sig(SECRET, str(NOW), body)
    write(A, "unix-timestamp", "a Unix-seconds timestamp is not Zendesk's format: malformed",
          {"headers": h, "body": body}, [SECRET], rejected("malformed"))
    h = headers(SECRET, NOW, body)
    h["X-Zendesk-Webhook-Signature"] = base64.b64encode(
        hmac.new(SECRET.encode(), (body + iso(NOW)).encode(), hashlib.sha256).digest()).decode()
    write(A, "body-then-timestamp", "signed over BODY + TIMESTAMP (the wrong order) is rejected",
          {"headers": h, "body": body}, [SECRET], rejected("bad_signature"))
    write(A, "test-secret", "a request signed with Zendesk's public test-webhook secret does not verify",
          {"headers": headers(TEST_SECRET, NOW, body), "body": body}, [SECRET], rejected("bad_signature"))
    write(A, "future-timestamp", "a timestamp 301 s ahead of the clock is rejected",
          {"headers": headers(SECRET, NOW + 301, body), "body": body}, [SECRET],
          rejected("timestamp_out_of_tolerance"))
    write(A, "old-docs-example", "the example in an older revision of Zendesk's verifying page "
          "(secret HRkR…, body {\"say\": \"hello\"}, 2021-07-25T10:00:00Z) was computed over BODY + TIMESTAMP, "
          "against the documented formula: rejected",
          {"headers": {"X-Zendesk-Webhook-Signature": "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
                       "X-Zendesk-Webhook-Signature-Timestamp": "2021-07-25T10:00:00Z"},
           "body": '{"say": "hello"}'}, ["HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="],
          rejected("bad_signature"), now=1627207200 + 10)


if __name__ == "__main__":
    main()
    print("zendesk fixtures written")
