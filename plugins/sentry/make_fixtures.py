#!/usr/bin/env python3
"""Writes the Sentry adapter's conformance fixtures (run from anywhere).

Sentry-Hook-Signature = hex HMAC-SHA256(client secret, raw body). Sentry
publishes no test vector, and its SDKs (sentry-sdk, @sentry/node) report errors
to Sentry rather than verify its webhooks, so there is no vendor-sdk case.
Payload shapes follow docs.sentry.io's integration-platform webhook pages.
"""
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "sentry"
REQUEST_ID = "7ad1bd28-2b6c-4d4f-a1a0-5c0d1a6c8e01"

ISSUE_RESOLVED = {
    "action": "resolved",
    "installation": {"uuid": "7a485448-a9e2-4c85-8a3c-4f44175783c9"},
    "data": {"issue": {
        "id": "1170820242", "shortId": "FRONTEND-3", "title": "ReferenceError: blooopy is not defined",
        "culprit": "?(<anonymous>)", "level": "error", "status": "resolved", "substatus": None,
        "statusDetails": {"inNextRelease": True},
        "project": {"id": "1", "name": "front-end", "slug": "front-end", "platform": "javascript"},
        "issueCategory": "error", "issueType": "error",
        "firstSeen": "2025-11-20T21:01:22.883000Z", "lastSeen": "2025-11-22T08:20:11.210000Z",
        "count": "12", "userCount": 3,
        "web_url": "https://sentry.io/organizations/example/issues/1170820242/",
        "url": "https://sentry.io/api/0/organizations/example/issues/1170820242/",
    }},
    "actor": {"type": "user", "id": 1, "name": "Meredith Heller"},
}


def sig(secret, body):
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def headers(secret, body, resource="issue", request_id=REQUEST_ID):
    return {"Content-Type": "application/json", "Request-ID": request_id, "Sentry-Hook-Resource": resource,
            "Sentry-Hook-Timestamp": str(NOW), "Sentry-Hook-Signature": sig(secret, body)}


def main():
    body = compact(ISSUE_RESOLVED)

    def sign(secret, _now, body=body):
        return body, headers(secret, body)

    events = [{"type": "issue.resolved", "dedup_id": REQUEST_ID, "subject": "1170820242", "data": ISSUE_RESOLVED}]
    standard_cases(A, sign, None, events, "Sentry-Hook-Signature", False)

    comment = compact({"action": "created",
                       "data": {"comment": "adding a comment", "project_slug": "sentry", "comment_id": 1234,
                                "issue_id": 100, "timestamp": "2025-11-22T08:21:44.118160Z"},
                       "installation": {"uuid": "eac5a0ae-60ec-418f-9318-46dc5e7e52ec"},
                       "actor": {"type": "user", "id": 1, "name": "colleen"}})
    write(A, "comment-created", "a comment webhook: the subject is its issue_id",
          {"headers": headers(SECRET, comment, "comment", "0f1e2d3c-4b5a-4968-8776-655443322110"), "body": comment},
          [SECRET], {"verify": "ok", "events": [{"type": "comment.created", "subject": "100",
                                                 "dedup_id": "0f1e2d3c-4b5a-4968-8776-655443322110",
                                                 "data": json.loads(comment)}]})
    alert = compact({"action": "triggered", "actor": {"id": "sentry", "name": "Sentry", "type": "application"},
                     "data": {"event": {"event_id": "a7b2d0f1c3e44e5f8a9b0c1d2e3f4a5b", "issue_id": "1117540176",
                                        "level": "error", "title": "Error: Something went wrong",
                                        "datetime": "2025-11-22T08:20:11.210000Z"},
                              "triggered_rule": "Send a notification for new issues", "issue_alert": None},
                     "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}})
    write(A, "event-alert", "an issue alert rule action: event_alert.triggered, subject the event's issue_id",
          {"headers": headers(SECRET, alert, "event_alert"), "body": alert}, [SECRET],
          {"verify": "ok", "events": [{"type": "event_alert.triggered", "subject": "1117540176",
                                       "data": json.loads(alert)}]})
    install = compact({"action": "created", "actor": {"id": 1, "name": "Meredith Heller", "type": "user"},
                       "data": {"installation": {"app": {"slug": "hookyard", "uuid": "9d0a5d6d-3d3d-4d3d-8d3d-3d3d3d3d3d3d"},
                                                 "organization": {"slug": "example"},
                                                 "uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de", "status": "installed"}},
                       "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}})
    write(A, "installation-created", "a public integration's installation webhook",
          {"headers": headers(SECRET, install, "installation"), "body": install}, [SECRET],
          {"verify": "ok", "events": [{"type": "installation.created",
                                       "subject": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de",
                                       "data": json.loads(install)}]})
    no_action = compact({"data": {"issue": {"id": "5"}}})
    write(A, "no-action", "without an action the type is the resource alone",
          {"headers": headers(SECRET, no_action, "issue"), "body": no_action}, [SECRET],
          {"verify": "ok", "events": [{"type": "issue", "subject": "5", "data": json.loads(no_action)}]})
    h = headers(SECRET, body)
    del h["Sentry-Hook-Resource"]
    write(A, "no-resource-header", "a signed request without Sentry-Hook-Resource cannot be typed",
          {"headers": h, "body": body}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
    write(A, "malformed-signature", "a signature that is not hex",
          {"headers": {**headers(SECRET, body), "Sentry-Hook-Signature": "v1=xyz"}, "body": body}, [SECRET],
          rejected("malformed"))


if __name__ == "__main__":
    main()
    print("sentry fixtures written")
