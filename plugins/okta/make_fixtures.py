#!/usr/bin/env python3
"""Writes the Okta adapter's fixtures: python3 plugins/okta/make_fixtures.py

Okta signs nothing (a static header secret), so there is no signature for an
Okta SDK to compute and no vendor-sdk case; the body is not signed, so there is
no tampered-body case either. The payload follows Okta's event hook example.
"""
import datetime
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "okta"
URL = "https://hookyard.test/webhooks/wh_okta"


def published(seconds, millis):
    dt = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{millis:03d}Z"


EVENTS = [
    {"uuid": "79552d8f-c7ad-11ef-9c2b-4f3e8e1b3a51", "published": published(NOW - 3, 123),
     "eventType": "user.session.start", "version": "0", "displayMessage": "User login to Okta", "severity": "INFO",
     "actor": {"id": "00u1qw1mqitPHM8AJ0g7", "type": "User", "alternateId": "ada@example.com",
               "displayName": "Ada Lovelace"},
     "outcome": {"result": "SUCCESS"}, "client": {"ipAddress": "198.51.100.7"},
     "transaction": {"type": "WEB", "id": "Z-fKRSjzOqJiGUEhJTLgwQAABxE"}, "target": None},
    {"uuid": "7a1b6f00-c7ad-11ef-9c2b-4f3e8e1b3a51", "published": published(NOW - 2, 5),
     "eventType": "group.user_membership.add", "version": "0", "displayMessage": "Add user to group membership",
     "severity": "INFO", "actor": {"id": "00u1qw1mqitPHM8AJ0g7", "type": "User", "alternateId": "admin@example.com"},
     "outcome": {"result": "SUCCESS"},
     "target": [{"id": "00u2abcd1234EFGH5678", "type": "User", "alternateId": "grace@example.com"},
                {"id": "00g1emaKYZTWRYYRRTSK", "type": "UserGroup", "alternateId": "unknown"}]},
]
PAYLOAD = {"eventType": "com.okta.event_hook", "eventTypeVersion": "1.0", "cloudEventsVersion": "0.1",
           "source": "https://example.okta.com/api/v1/eventHooks/whkrizc8fxgnMZ9yb0g4",
           "eventId": "b5a188b9-5ece-4636-b041-482ffda96311", "eventTime": published(NOW - 1, 0),
           "contentType": "application/json", "data": {"events": EVENTS}}
BODY = compact(PAYLOAD)


def request(token=SECRET, header="Authorization", body=BODY):
    headers = {"Content-Type": "application/json", "User-Agent": "Okta-Integrations",
               "X-Okta-Request-Id": "XOZfPkReFFZ10KWyGkzAMwAAADA"}
    if token is not None:
        headers[header] = token
    return {"url": URL, "headers": headers, "body": body}


def main():
    events = [{"type": "user.session.start", "dedup_id": EVENTS[0]["uuid"], "subject": "ada@example.com",
               "occurred_at": (NOW - 3) * 1000 + 123, "data": EVENTS[0]},
              {"type": "group.user_membership.add", "dedup_id": EVENTS[1]["uuid"], "subject": "grace@example.com",
               "occurred_at": (NOW - 2) * 1000 + 5, "data": EVENTS[1]}]
    ok = {"verify": "ok", "events": events}
    write(A, "valid", "two events in one delivery, with the right Authorization value", request(), [SECRET], ok)
    write(A, "rotated-secret", "the header carries the older of two active secrets", request(OLD_SECRET),
          [SECRET, OLD_SECRET], ok)
    write(A, "wrong-secret", "another secret: unauthorized", request(WRONG), [SECRET], rejected("unauthorized"))
    write(A, "missing-header", "no Authorization header", request(None), [SECRET], rejected("missing_signature"))
    write(A, "no-secret", "a source without a secret rejects everything (fail closed)", request(), [],
          rejected("unauthorized"))
    write(A, "bearer-value", "the secret as typed in Okta, a Bearer prefix included",
          request("Bearer " + SECRET), ["Bearer " + SECRET], ok)
    write(A, "custom-header", "the hook's Authentication field set to another header",
          request(SECRET, "X-Hookyard-Token"), [SECRET], ok, {"header": "X-Hookyard-Token"})
    write(A, "custom-header-missing", "with a custom header set, Authorization alone is not enough",
          request(SECRET), [SECRET], rejected("missing_signature"), {"header": "X-Hookyard-Token"})
    challenge = "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg"
    get = {"method": "GET", "url": URL, "headers": {"Accept": "application/json", "User-Agent": "Okta-Integrations",
                                                   "X-Okta-Verification-Challenge": challenge,
                                                   "Authorization": SECRET}}
    write(A, "handshake", "the one-time verification GET is answered with the challenge as JSON", get, [SECRET],
          {"verify": "ok", "response": {"status": 200, "body": compact({"verification": challenge}),
                                        "headers": {"Content-Type": "application/json"}}})
    wrong = dict(get, headers=dict(get["headers"], Authorization=WRONG))
    write(A, "handshake-wrong-secret", "Okta sends the secret with the verification too: a wrong one is refused",
          wrong, [SECRET], rejected("unauthorized"))
    anonymous = dict(get, headers={k: v for k, v in get["headers"].items() if k != "Authorization"})
    write(A, "handshake-unauthenticated", "a verification GET without the secret is refused", anonymous, [SECRET],
          rejected("missing_signature"))
    write(A, "no-events", "a body without data.events", request(body=compact({"eventType": "com.okta.event_hook"})),
          [SECRET], {"verify": "ok", "handle_error": "malformed"})


if __name__ == "__main__":
    main()
