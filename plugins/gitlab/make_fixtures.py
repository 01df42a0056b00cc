#!/usr/bin/env python3
"""Writes the GitLab adapter's conformance fixtures (python3 plugins/gitlab/make_fixtures.py).

GitLab sends the webhook's secret token verbatim in X-Gitlab-Token (no signature, no timestamp), so
a wrong token is `unauthorized` and a changed body cannot be detected. GitLab publishes no test
vector, and no official GitLab SDK (python-gitlab, @gitbeaker) signs or verifies webhook deliveries,
so there is no vendor-sdk case.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402,F401

A = "gitlab"
KEY = "2e1c3a7b-4f5d-4e6a-9b8c-7d6e5f4a3b2c"
PROJECT = {"id": 15, "name": "Diaspora", "path_with_namespace": "mike/diaspora", "default_branch": "master",
           "web_url": "http://example.com/mike/diaspora", "visibility_level": 0}
PUSH = {"object_kind": "push", "event_name": "push", "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
        "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "ref": "refs/heads/master", "ref_protected": True,
        "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "user_id": 4, "user_name": "John Smith",
        "user_username": "jsmith", "project_id": 15, "project": PROJECT,
        "commits": [{"id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "message": "fixed readme",
                     "timestamp": "2012-01-03T23:36:29+02:00", "author": {"name": "GitLab dev", "email": "gitlabdev@dv6700.(none)"},
                     "added": ["CHANGELOG"], "modified": ["app/controller/application.rb"], "removed": []}],
        "total_commits_count": 1, "repository": {"name": "Diaspora", "homepage": "http://example.com/mike/diaspora"}}
BODY = compact(PUSH)


def deliver(token, body=BODY, event="Push Hook", key=KEY):
    headers = {"Content-Type": "application/json", "User-Agent": "GitLab/18.0.0", "X-Gitlab-Event": event,
               "X-Gitlab-Instance": "https://gitlab.example.com", "X-Gitlab-Webhook-UUID": "9f1a3c5e-0b2d-4f6a-8c1e-3a5b7d9f1c3e",
               "X-Gitlab-Event-UUID": "13792a34-cac6-4fda-95a8-c58e00a3954e", "Idempotency-Key": key}
    if token is not None:
        headers["X-Gitlab-Token"] = token
    return {"headers": headers, "body": body}


EVENTS = [{"type": "push", "dedup_id": KEY, "subject": "mike/diaspora", "data": PUSH}]
write(A, "valid", "a valid delivery: X-Gitlab-Token equals the secret", deliver(SECRET), [SECRET],
      {"verify": "ok", "events": EVENTS})
write(A, "rotated-secret", "the token is the older of two active secrets", deliver(OLD_SECRET), [SECRET, OLD_SECRET],
      {"verify": "ok", "events": EVENTS})
tampered = deliver(SECRET, BODY.replace('"fixed readme"', '"rm -rf history"'))
write(A, "tampered-body", "GitLab signs nothing: a changed body with the right token still verifies (token auth only)",
      tampered, [SECRET], {"verify": "ok", "events": [{"type": "push", "dedup_id": KEY,
                                                       "data": json.loads(tampered["body"])}]})
write(A, "wrong-secret", "a token that matches no active secret is unauthorized", deliver(WRONG), [SECRET],
      rejected("unauthorized"))
write(A, "wrong-secret-prefix", "a token that is a prefix of the secret is unauthorized",
      deliver(SECRET[:-1]), [SECRET], rejected("unauthorized"))
write(A, "missing-header", "no X-Gitlab-Token header", deliver(None), [SECRET], rejected("missing_signature"))
write(A, "empty-token", "an empty X-Gitlab-Token counts as absent", deliver(""), [SECRET], rejected("missing_signature"))
write(A, "no-secret", "a source without a secret rejects everything (fail closed)", deliver(SECRET), [],
      rejected("unauthorized"))

mr = {"object_kind": "merge_request", "event_type": "merge_request",
      "user": {"id": 1, "name": "Administrator", "username": "root"}, "project": PROJECT,
      "object_attributes": {"id": 99, "iid": 1, "title": "MS-Viewport", "state": "opened", "action": "open",
                            "source_branch": "ms-viewport", "target_branch": "master"}}
write(A, "merge-request-open", "merge_request refined by object_attributes.action",
      deliver(SECRET, compact(mr), "Merge Request Hook", "5d1a8e3c-9b7f-4a2d-8e6c-1f3b5a7d9c2e"), [SECRET],
      {"verify": "ok", "events": [{"type": "merge_request.open", "dedup_id": "5d1a8e3c-9b7f-4a2d-8e6c-1f3b5a7d9c2e",
                                   "subject": "mike/diaspora", "data": mr}]})

member = {"created_at": "2012-07-21T07:30:54Z", "updated_at": "2012-07-21T07:38:22Z", "group_name": "StoreCloud",
          "group_path": "storecloud", "group_id": 78, "user_username": "johnsmith", "user_name": "John Smith",
          "user_email": "johnsmith@example.com", "user_id": 41, "group_access": "Guest", "group_plan": None,
          "expires_at": "2020-12-14T00:00:00Z", "event_name": "user_add_to_group"}
d = deliver(SECRET, compact(member), "Member Hook")
del d["headers"]["Idempotency-Key"]
write(A, "member-event", "group member events have event_name, no object_kind; older GitLab sends no Idempotency-Key",
      d, [SECRET], {"verify": "ok", "events": [{"type": "user_add_to_group",
                                                "dedup_id": "13792a34-cac6-4fda-95a8-c58e00a3954e",
                                                "subject": "storecloud", "data": member}]})
print("gitlab fixtures written")
