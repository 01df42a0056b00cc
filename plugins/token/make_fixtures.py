#!/usr/bin/env python3
"""Writes the token adapter's fixtures (format: sdk/fixture/src/lib.rs).

A shared token is not a signature over the body, so there is no tampered-body
case: what is tested is where the token is read, that it is compared with every
active secret, and the errors for a wrong, absent or unparsable token.
"""
import base64
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "token"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
PAYLOAD = {"kind": "build.done", "uid": "b-4711", "status": "green"}
BODY = compact(PAYLOAD)
TYPED = {"event_type_pointer": "/kind", "dedup_id_pointer": "/uid"}
EVENT = [{"type": "build.done", "dedup_id": "b-4711", "data": PAYLOAD}]


def bearer(token):
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


write(A, "valid", "Authorization: Bearer <token>; type and dedup id by JSON pointer",
      {"headers": bearer(SECRET), "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT}, TYPED)
write(A, "raw-token-in-header", "a custom header with the bare token",
      {"headers": {"X-Webhook-Token": SECRET}, "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT},
      {**TYPED, "header": "X-Webhook-Token"})
write(A, "rotated-secret", "the older of two active tokens",
      {"headers": bearer(OLD_SECRET), "body": BODY}, [SECRET, OLD_SECRET], {"verify": "ok", "events": EVENT}, TYPED)
write(A, "wrong-secret", "a token that matches no active secret",
      {"headers": bearer(WRONG), "body": BODY}, [SECRET], rejected("unauthorized"), TYPED)
write(A, "missing-header", "no Authorization header",
      {"headers": {"Content-Type": "application/json"}, "body": BODY}, [SECRET], rejected("missing_signature"), TYPED)
write(A, "no-secret", "a source without a token rejects everything (fail closed)",
      {"headers": bearer(SECRET), "body": BODY}, [], rejected("unauthorized"), TYPED)
write(A, "default-type", "without event_type_pointer every event is `webhook`; no dedup id (the host hashes the body)",
      {"headers": bearer(SECRET), "body": BODY}, [SECRET], {"verify": "ok", "events": [{"type": "webhook", "data": PAYLOAD}]})
write(A, "pointer-finds-nothing", "a pointer that finds nothing falls back to default_type",
      {"headers": bearer(SECRET), "body": BODY}, [SECRET], {"verify": "ok", "events": [{"type": "generic.event", "data": PAYLOAD}]},
      {"event_type_pointer": "/event/type", "default_type": "generic.event"})
url = "https://hookyard.test/webhooks/wh_fixture?token="
write(A, "query-valid", "mode query: the token in ?token=, percent-encoded",
      {"url": url + "fixture%2Dsecret%2Dnew", "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT},
      {**TYPED, "mode": "query"})
write(A, "query-wrong", "mode query: a wrong token",
      {"url": url + WRONG, "body": BODY}, [SECRET], rejected("unauthorized"), {**TYPED, "mode": "query"})
write(A, "query-missing", "mode query: no token parameter (a header does not count)",
      {"url": "https://hookyard.test/webhooks/wh_fixture?other=1", "headers": bearer(SECRET), "body": BODY}, [SECRET],
      rejected("missing_signature"), {**TYPED, "mode": "query"})
write(A, "basic-valid", "mode basic: the password is the token, any user name",
      {"headers": basic("anyone", SECRET), "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT},
      {**TYPED, "mode": "basic"})
write(A, "basic-username", "mode basic with username: both must match",
      {"headers": basic("ci", OLD_SECRET), "body": BODY}, [SECRET, OLD_SECRET], {"verify": "ok", "events": EVENT},
      {**TYPED, "mode": "basic", "username": "ci"})
write(A, "basic-wrong-username", "mode basic with username: the right password with another user",
      {"headers": basic("intruder", SECRET), "body": BODY}, [SECRET], rejected("unauthorized"),
      {**TYPED, "mode": "basic", "username": "ci"})
write(A, "basic-wrong-password", "mode basic: a wrong password",
      {"headers": basic("ci", WRONG), "body": BODY}, [SECRET], rejected("unauthorized"), {**TYPED, "mode": "basic"})
write(A, "basic-malformed", "mode basic: a Bearer header where Basic is expected",
      {"headers": bearer(SECRET), "body": BODY}, [SECRET], rejected("malformed"), {**TYPED, "mode": "basic"})
write(A, "bad-settings", "a pointer that is not a JSON pointer is a settings error",
      {"headers": bearer(SECRET), "body": BODY}, [SECRET], rejected("malformed"), {"event_type_pointer": "kind"})
write(A, "not-json", "a verified body that is not JSON cannot become an event",
      {"headers": bearer(SECRET), "body": "kind=build.done"}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
print("token fixtures written")
