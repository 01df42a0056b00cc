#!/usr/bin/env python3
"""Writes the Bitbucket Cloud adapter's conformance fixtures (python3 plugins/bitbucket/make_fixtures.py).

X-Hub-Signature = "sha256=" + hex HMAC-SHA256(webhook secret, raw body). Atlassian publishes no test
vector and no official Bitbucket SDK on PyPI or npm signs or verifies webhooks, so there is no
vendor-sdk case.
"""
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "bitbucket"
REQUEST_UUID = "8a0b3e2c-6b7e-4f1c-9d4e-2f1a7c3b5d60"
ACTOR = {"type": "user", "display_name": "Ada Lovelace", "uuid": "{d301aafa-d676-4ee0-88be-962be7417567}",
         "account_id": "557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443", "nickname": "ada"}
REPO = {"type": "repository", "full_name": "analytical/engine", "name": "engine",
        "uuid": "{b7c3e0f4-8a1d-4f3e-9c2b-5a6d7e8f9a0b}", "is_private": True,
        "workspace": {"type": "workspace", "slug": "analytical", "name": "Analytical"}}
PUSH = {"actor": ACTOR, "repository": REPO,
        "push": {"changes": [{"new": {"type": "branch", "name": "main",
                                      "target": {"type": "commit", "hash": "a3f1c9e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2",
                                                 "message": "Add difference engine notes\n"}},
                              "old": {"type": "branch", "name": "main",
                                      "target": {"type": "commit", "hash": "0c2e4b6d8f0a2a3f1c9e0b2d4f6a8c0e2b4d6f8a"}},
                              "created": False, "forced": False, "closed": False, "truncated": False}]}}
BODY = compact(PUSH)


def sign(secret, _now, body=BODY, event="repo:push", uuid=REQUEST_UUID):
    sig = "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return body, {"X-Event-Key": event, "X-Hook-UUID": "{5c3a2b1d-9e8f-4a7b-8c6d-1e2f3a4b5c6d}",
                  "X-Request-UUID": uuid, "X-Attempt-Number": "1", "X-Hub-Signature": sig,
                  "User-Agent": "Bitbucket-Webhooks/2.0", "Content-Type": "application/json"}


EVENTS = [{"type": "repo:push", "dedup_id": REQUEST_UUID, "subject": "analytical/engine", "data": PUSH}]
standard_cases(A, sign, None, EVENTS, "X-Hub-Signature", False)

pr = {"actor": ACTOR, "repository": REPO,
      "pullrequest": {"type": "pullrequest", "id": 42, "title": "Notes on the engine", "state": "OPEN",
                      "source": {"branch": {"name": "notes"}}, "destination": {"branch": {"name": "main"}}}}
b, h = sign(SECRET, NOW, compact(pr), "pullrequest:created", "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b")
write(A, "pullrequest-created", "a pull request event: the type is X-Event-Key",
      {"headers": h, "body": b}, [SECRET],
      {"verify": "ok", "events": [{"type": "pullrequest:created", "dedup_id": "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b",
                                   "subject": "analytical/engine", "data": pr}]})

b, h = sign(SECRET, NOW)
h["X-Hub-Signature"] = h["X-Hub-Signature"].removeprefix("sha256=")
write(A, "no-prefix", "a signature without the sha256= prefix cannot be parsed",
      {"headers": h, "body": b}, [SECRET], rejected("malformed"))

b, h = sign(SECRET, NOW)
del h["X-Event-Key"]
write(A, "no-event-key", "a signed delivery without X-Event-Key cannot be typed",
      {"headers": h, "body": b}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
print("bitbucket fixtures written")
