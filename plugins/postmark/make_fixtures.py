#!/usr/bin/env python3
"""Writes the Postmark adapter's fixtures (format: sdk/fixture/src/lib.rs).

Postmark signs nothing: the webhook URL carries HTTP Basic credentials, so the
cases test the credentials (valid, rotated, wrong, absent, not Basic) and the
mapping of each documented RecordType. Payloads follow the examples in
Postmark's webhook docs (postmarkapp.com/developer/webhooks/*). No tampered-body
case: the body is not signed. No vendor-sdk case: Postmark's SDKs only send mail
and manage webhooks; there is nothing to sign.
"""
import base64
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, WRONG  # noqa: E402

A = "postmark"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
CREDS, OLD_CREDS = "hookyard:fixture-password-new", "hookyard:fixture-password-old"
MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"

DELIVERY = {"RecordType": "Delivery", "ServerID": 23, "MessageStream": "outbound", "MessageID": MESSAGE_ID,
            "Recipient": "john@example.com", "Tag": "welcome-email", "DeliveredAt": "2019-11-05T16:33:54.9070259Z",
            "Details": "Test delivery webhook details", "Metadata": {"a_key": "a_value"}}
BOUNCE = {"RecordType": "Bounce", "MessageStream": "outbound", "ID": 4323372036854775807, "Type": "HardBounce",
          "TypeCode": 1, "Name": "Hard bounce", "Tag": "Test", "MessageID": MESSAGE_ID, "Metadata": {"user_id": 43},
          "ServerID": 1234, "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
          "Details": "Test bounce details", "Email": "john@example.com", "From": "sender@example.com",
          "BouncedAt": "2019-11-05T16:33:54.9070259Z", "DumpAvailable": True, "Inactive": True, "CanActivate": True,
          "Subject": "Test subject", "Content": "Test content"}
SPAM = {**BOUNCE, "RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint", "TypeCode": 512,
        "Name": "Spam complaint"}
OPEN = {"RecordType": "Open", "MessageStream": "outbound", "FirstOpen": True,
        "Client": {"Name": "Chrome 35.0.1916.153", "Company": "Google", "Family": "Chrome"},
        "OS": {"Name": "OS X 10.7 Lion", "Company": "Apple Computer, Inc.", "Family": "OS X 10"},
        "Platform": "WebMail", "UserAgent": "Mozilla/5.0", "ReadSeconds": 5, "Geo": {"CountryISOCode": "RS"},
        "MessageID": MESSAGE_ID, "Metadata": {}, "ReceivedAt": "2019-11-05T16:33:54.9070259Z",
        "Tag": "welcome-email", "Recipient": "john@example.com"}
CLICK = {**OPEN, "RecordType": "Click", "ClickLocation": "HTML", "OriginalLink": "https://example.com"}
del CLICK["FirstOpen"], CLICK["ReadSeconds"]
SUBSCRIPTION = {"RecordType": "SubscriptionChange", "MessageID": MESSAGE_ID, "ServerID": 23, "MessageStream": "outbound",
                "ChangedAt": "2020-02-01T10:53:34.416071Z", "Recipient": "bounced-address@wildbit.com",
                "Origin": "Recipient", "SuppressSending": True, "SuppressionReason": "HardBounce", "Tag": "my-tag",
                "Metadata": {}}
INBOUND = {"FromName": "Postmarkapp Support", "MessageStream": "inbound", "From": "support@postmarkapp.com",
           "FromFull": {"Email": "support@postmarkapp.com", "Name": "Postmarkapp Support", "MailboxHash": ""},
           "To": "\"Firstname Lastname\" <yourhash+SampleHash@inbound.postmarkapp.com>",
           "Subject": "Test subject", "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
           "Date": "Fri, 1 Aug 2014 16:45:32 -04:00", "MailboxHash": "SampleHash", "TextBody": "This is a test text body.",
           "Tag": "TestTag", "Headers": [], "Attachments": []}

DELIVERED_MS = 1572971634907  # 2019-11-05T16:33:54.907Z


def auth(creds):
    return {"Authorization": "Basic " + base64.b64encode(creds.encode()).decode(), "Content-Type": "application/json"}


body = compact(DELIVERY)
delivery = [{"type": "Delivery", "subject": MESSAGE_ID, "occurred_at": DELIVERED_MS, "data": DELIVERY}]
write(A, "valid", "a Delivery webhook with the right Basic credentials", {"headers": auth(CREDS), "body": body},
      [CREDS], {"verify": "ok", "events": delivery})
write(A, "rotated-secret", "the older of two active credential pairs", {"headers": auth(OLD_CREDS), "body": body},
      [CREDS, OLD_CREDS], {"verify": "ok", "events": delivery})
write(A, "wrong-secret", "a wrong password", {"headers": auth("hookyard:" + WRONG), "body": body}, [CREDS],
      rejected("unauthorized"))
write(A, "wrong-user", "the right password with another user name", {"headers": auth("intruder:fixture-password-new"),
      "body": body}, [CREDS], rejected("unauthorized"))
write(A, "missing-header", "no Authorization header (the URL had no credentials)",
      {"headers": {"Content-Type": "application/json"}, "body": body}, [CREDS], rejected("missing_signature"))
write(A, "not-basic", "a Bearer token where Basic credentials are expected",
      {"headers": {"Authorization": "Bearer hookyard:fixture-password-new"}, "body": body}, [CREDS], rejected("malformed"))
write(A, "no-secret", "a source without credentials rejects everything (fail closed)",
      {"headers": auth(CREDS), "body": body}, [], rejected("unauthorized"))
cases = [
    ("bounce", BOUNCE, {"type": "Bounce", "dedup_id": "Bounce:4323372036854775807", "subject": MESSAGE_ID,
                        "occurred_at": DELIVERED_MS}),
    ("spam-complaint", SPAM, {"type": "SpamComplaint", "dedup_id": "SpamComplaint:42"}),
    ("open", OPEN, {"type": "Open", "subject": MESSAGE_ID, "occurred_at": DELIVERED_MS}),
    ("click", CLICK, {"type": "Click", "subject": MESSAGE_ID}),
    ("subscription-change", SUBSCRIPTION, {"type": "SubscriptionChange", "occurred_at": 1580554414416}),
    ("inbound", INBOUND, {"type": "Inbound", "subject": "73e6d360-66eb-11e1-8e72-a8904824019b"}),
]
for name, payload, event in cases:
    write(A, name, f"{event['type']} webhook (Postmark docs example)", {"headers": auth(CREDS), "body": compact(payload)},
          [CREDS], {"verify": "ok", "events": [dict(event, data=payload)]})
write(A, "no-record-type", "a JSON object that is neither an event nor an inbound message",
      {"headers": auth(CREDS), "body": compact({"MessageID": MESSAGE_ID})}, [CREDS],
      {"verify": "ok", "handle_error": "malformed"})
print("postmark fixtures written")
