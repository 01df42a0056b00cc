#!/usr/bin/env python3
"""Writes the PagerDuty adapter's fixtures (format: sdk/fixture/src/lib.rs).

The payload is PagerDuty's documented v3 `incident.triggered` example
(developer.pagerduty.com, Webhooks v3 overview). PagerDuty publishes no test
vector and has no PyPI/npm SDK that signs or verifies v3 webhooks (its official
verifier is go-pagerduty's webhookv3 package), so there is no vendor-sdk case.
"""
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET  # noqa: E402

A = "pagerduty"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
PAYLOAD = {"event": {
    "id": "01BZH1M4ZUPSKVF5AWGQ3WTLWJ", "event_type": "incident.triggered", "resource_type": "incident",
    "occurred_at": "2020-10-02T18:45:22.169Z",
    "agent": {"html_url": "https://acme.pagerduty.com/users/PLH1HKV", "id": "PLH1HKV",
              "self": "https://api.pagerduty.com/users/PLH1HKV", "summary": "Tenex Engineer", "type": "user_reference"},
    "client": {"name": "PagerDuty"},
    "data": {"id": "PGR0VU2", "type": "incident", "self": "https://api.pagerduty.com/incidents/PGR0VU2",
             "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2", "number": 2, "status": "triggered",
             "incident_key": "d3640fbd41094207a8e3a8e1fe9dc3e2", "created_at": "2020-04-09T15:16:27Z",
             "title": "A little bump in the road",
             "service": {"html_url": "https://acme.pagerduty.com/services/PF9KMXH", "id": "PF9KMXH",
                         "self": "https://api.pagerduty.com/services/PF9KMXH", "summary": "API Service",
                         "type": "service_reference"},
             "assignees": [{"html_url": "https://acme.pagerduty.com/users/PTUXL6G", "id": "PTUXL6G",
                            "self": "https://api.pagerduty.com/users/PTUXL6G", "summary": "User 123",
                            "type": "user_reference"}],
             "urgency": "high", "priority": None, "resolve_reason": None}}}
BODY = compact(PAYLOAD)


def v1(secret, body=BODY):
    return "v1=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def sign(secret, _now):
    return BODY, {"X-PagerDuty-Signature": v1(secret), "Content-Type": "application/json",
                  "User-Agent": "PagerDuty-Webhook/V3.0", "X-Webhook-Id": "f5e2a4b6-4d1c-4c3b-8d7f-1a2b3c4d5e6f"}


EVENTS = [{"type": "incident.triggered", "dedup_id": "01BZH1M4ZUPSKVF5AWGQ3WTLWJ", "subject": "PGR0VU2",
           "occurred_at": 1601664322169, "data": PAYLOAD}]
standard_cases(A, sign, None, EVENTS, "X-PagerDuty-Signature", False)
write(A, "two-signatures", "rotation at PagerDuty: one v1 per live secret, comma-separated; the second matches",
      {"headers": {"X-PagerDuty-Signature": v1(OLD_SECRET) + "," + v1(SECRET)}, "body": BODY}, [SECRET],
      {"verify": "ok", "events": EVENTS})
write(A, "unknown-version-ignored", "a v2 entry is ignored, the v1 one verifies",
      {"headers": {"X-PagerDuty-Signature": "v2=00ff," + v1(SECRET)}, "body": BODY}, [SECRET],
      {"verify": "ok", "events": EVENTS})
write(A, "no-v1", "a header without any v1 signature",
      {"headers": {"X-PagerDuty-Signature": "v0=abc"}, "body": BODY}, [SECRET], rejected("missing_signature"))
write(A, "not-hex", "a v1 signature that is not hex",
      {"headers": {"X-PagerDuty-Signature": "v1=not-hex"}, "body": BODY}, [SECRET], rejected("malformed"))
ping = compact({"event": {"id": "01C0BS1R1K2D2Z6T5HKHWSN9AC", "event_type": "pagey.ping", "resource_type": "pagey",
                          "occurred_at": "2021-11-29T20:46:29.413Z", "agent": None, "client": None,
                          "data": {"message": "Hello from your friend Pagey!", "type": "ping"}}})
write(A, "ping", "the test delivery of a new subscription",
      {"headers": {"X-PagerDuty-Signature": v1(SECRET, ping)}, "body": ping}, [SECRET],
      {"verify": "ok", "events": [{"type": "pagey.ping", "dedup_id": "01C0BS1R1K2D2Z6T5HKHWSN9AC",
                                   "data": json.loads(ping)}]})
print("pagerduty fixtures written")
