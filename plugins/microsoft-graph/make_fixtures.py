#!/usr/bin/env python3
"""Writes the Microsoft Graph adapter's fixtures: python3 plugins/microsoft-graph/make_fixtures.py

Graph signs nothing: each notification carries the subscription's clientState.
No Microsoft SDK computes or checks it (msgraph-sdk has no webhook helper), so
there is no vendor-sdk case; the body is not signed, so there is no
tampered-body case. Payloads follow Microsoft's change-notification examples.
"""
import hashlib
import json
import pathlib
import sys
from urllib.parse import quote

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "microsoft-graph"
URL = "https://hookyard.test/webhooks/wh_graph"
TENANT = "84bd8158-6d4d-4958-8b9f-9d6445542f95"


def notification(change, message_id, state=SECRET):
    return {"subscriptionId": "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
            "subscriptionExpirationDateTime": "2025-11-25T18:23:45.9356913Z", "changeType": change,
            "resource": f"Users/{TENANT[:8]}-user/Messages/{message_id}",
            "resourceData": {"@odata.type": "#Microsoft.Graph.Message",
                             "@odata.id": f"Users/{TENANT[:8]}-user/Messages/{message_id}",
                             "@odata.etag": "W/\"CQAAABYAAADkrWGo7bouTKlsgTZMr9KwAAAUWRHf\"", "id": message_id},
            "clientState": state, "tenantId": TENANT}


def request(items):
    return {"url": URL, "headers": {"Content-Type": "application/json; charset=utf-8"},
            "body": compact({"value": items})}


def dedup(item):
    # The adapter hashes the notification as serde_json writes it: keys sorted, compact.
    return "sha256:" + hashlib.sha256(json.dumps(item, separators=(",", ":"), sort_keys=True,
                                                 ensure_ascii=False).encode()).hexdigest()


def main():
    created = notification("created", "AAMkAGUwNjQ4ZjIxAAA=")
    updated = notification("updated", "AAMkAGUwNjQ4ZjIxAAB=")
    events = [{"type": "created", "subject": created["resource"], "dedup_id": dedup(created), "data": created},
              {"type": "updated", "subject": updated["resource"], "dedup_id": dedup(updated), "data": updated}]
    ok = {"verify": "ok", "events": events}
    write(A, "valid", "two change notifications with the right clientState", request([created, updated]), [SECRET], ok)
    rotated = notification("created", "AAMkAGUwNjQ4ZjIxAAA=", OLD_SECRET)
    write(A, "rotated-secret", "clientState is the older of two active secrets",
          request([rotated]), [SECRET, OLD_SECRET], {"verify": "ok", "events": [{"type": "created", "data": rotated}]})
    write(A, "wrong-secret", "another clientState: unauthorized",
          request([notification("created", "AAMkAGUwNjQ4ZjIxAAA=", WRONG)]), [SECRET], rejected("unauthorized"))
    write(A, "one-wrong-secret", "one notification of two with a foreign clientState rejects the request",
          request([created, notification("deleted", "AAMkAGUwNjQ4ZjIxAAC=", WRONG)]), [SECRET],
          rejected("unauthorized"))
    missing = dict(created)
    del missing["clientState"]
    write(A, "missing-header", "a notification without clientState", request([missing]), [SECRET],
          rejected("missing_signature"))
    write(A, "no-secret", "a source without a secret rejects everything (fail closed)", request([created]), [],
          rejected("unauthorized"))
    write(A, "not-notifications", "a body without value[]", {"url": URL, "body": compact({"hello": 1})}, [SECRET],
          rejected("malformed"))
    token = "Validation: Testing client application reachability for subscription Request-Id: " \
            "0e4f5b6a-7d3c-4c2b-9a1e-8f7d6c5b4a39"
    validation = {"method": "POST", "url": f"{URL}?validationToken={quote(token)}",
                  "headers": {"Content-Type": "text/plain; charset=utf-8"}, "body": ""}
    write(A, "handshake", "subscription validation: the decoded token echoed as text/plain", validation, [SECRET],
          {"verify": "ok", "response": {"status": 200, "body": token, "headers": {"Content-Type": "text/plain"}}})
    write(A, "handshake-get", "a validation with GET is answered the same way", dict(validation, method="GET"),
          [SECRET], {"verify": "ok", "response": {"status": 200, "body": token}})
    write(A, "handshake-no-secret", "no validation on a source without a secret (fail closed)", validation, [],
          rejected("unauthorized"))
    lifecycle = {"subscriptionId": "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
                 "subscriptionExpirationDateTime": "2025-11-25T18:23:45.9356913Z", "tenantId": TENANT,
                 "clientState": SECRET, "lifecycleEvent": "reauthorizationRequired"}
    write(A, "lifecycle", "a lifecycle notification is typed by its lifecycleEvent", request([lifecycle]), [SECRET],
          {"verify": "ok", "events": [{"type": "reauthorizationRequired", "dedup_id": dedup(lifecycle),
                                       "data": lifecycle}]})


if __name__ == "__main__":
    main()
