#!/usr/bin/env python3
"""Writes the Dropbox adapter's fixtures: python3 plugins/dropbox/make_fixtures.py

The official Dropbox SDK (PyPI `dropbox`) has no webhook helper, so there is no
vendor-sdk case; the published vector is the one in shared/vendors.md.
"""
import hashlib
import hmac
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET  # noqa: E402

A = "dropbox"
HEADER = "X-Dropbox-Signature"
ACCOUNT = "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"
BODY = compact({"list_folder": {"accounts": [ACCOUNT]}, "delta": {"users": [12345678]}})


def sign(secret, _now, body=BODY):
    sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", HEADER: sig}


def main():
    events = [{"type": "list_folder", "subject": ACCOUNT,
               "data": {"list_folder": {"accounts": [ACCOUNT]}, "delta": {"users": [12345678]}}}]
    standard_cases(A, sign, None, events, HEADER, False)
    two = {"list_folder": {"accounts": [ACCOUNT, "dbid:AACzVsP8EB1Yhm4kb6aV1nqhgR1oUk0zBd4"]}}
    b, h = sign(SECRET, NOW, compact(two))
    write(A, "several-accounts", "two accounts changed: one event, no single subject",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "events": [{"type": "list_folder", "data": two}]})
    challenge = "xBqxHwTmuBzq7nBbb6XqSMfGsoWkTyaXo2n7o8QEcWk"
    get = {"method": "GET", "url": f"https://hookyard.test/webhooks/wh_fixture?challenge={challenge}"}
    write(A, "handshake", "the verification GET: echo the challenge as text/plain with nosniff",
          get, [SECRET], {"verify": "ok", "response": {"status": 200, "body": challenge, "headers": {
              "Content-Type": "text/plain", "X-Content-Type-Options": "nosniff"}}})
    write(A, "handshake-no-secret", "no handshake on a source without a secret (fail closed)",
          get, [], rejected("unauthorized"))
    script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    write(A, "handshake-markup", "a challenge is echoed verbatim, decoded, with nosniff against reflected XSS",
          {"method": "GET", "url": f"https://hookyard.test/webhooks/wh_fixture?challenge={script}"}, [SECRET],
          {"verify": "ok", "response": {"status": 200, "body": "<script>alert(1)</script>",
                                        "headers": {"X-Content-Type-Options": "nosniff"}}})
    write(A, "get-without-challenge", "a GET without a challenge needs a signature like any request",
          {"method": "GET", "url": "https://hookyard.test/webhooks/wh_fixture"}, [SECRET],
          rejected("missing_signature"))
    b, h = sign(SECRET, NOW, '{"list_folder":{"accounts":[]}}')
    h[HEADER] = "not-hex"
    write(A, "malformed-signature", "a signature that is not hex", {"headers": h, "body": b}, [SECRET],
          rejected("malformed"))
    vector = '{"delta": {"users": [12345]}}'
    write(A, "published-vector",
          "published vector (shared/vendors.md, hapi-dropbox-webhooks test): the v1 delta field alone",
          {"headers": {HEADER: "0a8c16b085420b960dc78664279fe09e936a2a01b1f91064869d9e77dfd64529"},
           "body": vector}, ["the_secret"],
          {"verify": "ok", "events": [{"type": "delta", "data": json.loads(vector)}]})


if __name__ == "__main__":
    main()
