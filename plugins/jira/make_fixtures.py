#!/usr/bin/env python3
"""Writes the Jira adapter's conformance fixtures (run from anywhere).

X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>. Atlassian
publishes no test vector and no official SDK that signs or verifies admin
webhooks (atlassian-connect-express handles Connect JWTs, a different scheme),
so there is no vendor-sdk case.
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "jira"
DELIVERY = "5e6f0a4b-2c1d-4e3f-9a8b-7c6d5e4f3a2b"

UPDATED = {
    "timestamp": 1_763_799_998_512,
    "webhookEvent": "jira:issue_updated",
    "issue_event_type_name": "issue_generic",
    "user": {"self": "https://example.atlassian.net/rest/api/2/user?accountId=5b10a2844c20165700ede21g",
             "accountId": "5b10a2844c20165700ede21g", "displayName": "Mia Krystof", "active": True,
             "timeZone": "Australia/Sydney", "accountType": "atlassian"},
    "issue": {"id": "10002", "self": "https://example.atlassian.net/rest/api/2/10002", "key": "ED-1",
              "fields": {"summary": "Tests fail on the release branch",
                         "status": {"name": "In Progress", "id": "3"},
                         "project": {"id": "10000", "key": "ED", "name": "Edison"}}},
    "changelog": {"id": "10124", "items": [{"field": "status", "fieldtype": "jira", "fieldId": "status",
                                            "from": "10000", "fromString": "To Do",
                                            "to": "3", "toString": "In Progress"}]},
}


def sig(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def main():
    body = compact(UPDATED)

    def sign(secret, _now, body=body):
        return body, {"Content-Type": "application/json; charset=utf-8", "X-Atlassian-Webhook-Flow": "Primary",
                      "X-Atlassian-Webhook-Identifier": DELIVERY, "X-Hub-Signature": sig(secret, body)}

    events = [{"type": "jira:issue_updated", "dedup_id": DELIVERY, "subject": "ED-1",
               "occurred_at": 1_763_799_998_512, "data": UPDATED}]
    standard_cases(A, sign, None, events, "X-Hub-Signature", False)
    b, h = sign(SECRET, NOW)
    write(A, "retry", "a retry carries the same identifier (and X-Atlassian-Webhook-Retry)",
          {"headers": {**h, "X-Atlassian-Webhook-Retry": "1"}, "body": b}, [SECRET],
          {"verify": "ok", "events": [{"type": "jira:issue_updated", "dedup_id": DELIVERY, "data": UPDATED}]})
    write(A, "sha1-method", "a method other than sha256 is not accepted",
          {"headers": {**h, "X-Hub-Signature": "sha1=" + hmac.new(SECRET.encode(), b.encode(), hashlib.sha1).hexdigest()},
           "body": b}, [SECRET], rejected("malformed"))
    write(A, "no-method", "a bare hex digest without sha256=",
          {"headers": {**h, "X-Hub-Signature": sig(SECRET, b)[len("sha256="):]}, "body": b}, [SECRET],
          rejected("malformed"))
    write(A, "connect-jwt-only", "a Connect app delivery (JWT in Authorization, no X-Hub-Signature) is rejected",
          {"headers": {"Authorization": "JWT eyJhbGciOiJIUzI1NiJ9.e30.x", "Content-Type": "application/json"},
           "body": b}, [SECRET], rejected("missing_signature"))
    project = {"timestamp": 1_763_799_999_000, "webhookEvent": "project_created",
               "project": {"id": 10100, "key": "OPS", "name": "Operations",
                           "projectLead": {"accountId": "5b10a2844c20165700ede21g"}}}
    b, h = sign(SECRET, NOW, compact(project))
    write(A, "project-event", "events without an issue take the project key as subject",
          {"headers": {**h, "X-Atlassian-Webhook-Identifier": "c0ffee00-1111-4222-8333-444455556666"}, "body": b},
          [SECRET], {"verify": "ok", "events": [{"type": "project_created", "subject": "OPS",
                                                 "dedup_id": "c0ffee00-1111-4222-8333-444455556666",
                                                 "data": project}]})
    b, h = sign(SECRET, NOW, compact({"timestamp": 1, "issue": {"key": "ED-2"}}))
    write(A, "no-webhook-event", "a verified body without webhookEvent cannot be mapped",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "handle_error": "malformed"})


if __name__ == "__main__":
    main()
    print("jira fixtures written")
