#!/usr/bin/env python3
"""Writes the Zoom adapter's fixtures: python3 plugins/zoom/make_fixtures.py

Zoom's official SDK, Rivet for JavaScript (npm `@zoom/rivet`), verifies
webhooks and answers the URL-validation CRC but does not sign, so the
vendor-sdk cases are signed here and the SDK's verdict and CRC answer are
recorded. With the package installed they are regenerated:

    mkdir -p /tmp/npm-b && cd /tmp/npm-b && npm install @zoom/rivet
    RIVET_DIR=/tmp/npm-b python3 plugins/zoom/make_fixtures.py
"""
import hashlib
import hmac
import json
import os
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, OLD_SECRET  # noqa: E402

A = "zoom"
SIG, TS = "x-zm-signature", "x-zm-request-timestamp"
EVENT = {"event": "meeting.started", "event_ts": (NOW - 1) * 1000, "payload": {
    "account_id": "AAAAAABBBB", "object": {
        "id": "81234567890", "uuid": "4444AAAiAAAAAiAAAiAAAA==", "host_id": "z8yCxjabcdEFGHfp8uQ",
        "topic": "Weekly sync", "type": 2, "start_time": "2025-11-22T08:26:39Z", "timezone": "Europe/Berlin",
        "duration": 30}}}
BODY = compact(EVENT)


def mac(secret, text):
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def sign(secret, now, body=BODY):
    return body, {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Zoom Marketplace/1.0a",
                  TS: str(now), SIG: "v0=" + mac(secret, f"v0:{now}:{body}")}


def crc(plain):
    return compact({"event": "endpoint.url_validation", "event_ts": NOW * 1000, "payload": {"plainToken": plain}})


def crc_answer(secret, plain):
    return compact({"encryptedToken": mac(secret, plain), "plainToken": plain})


def main():
    events = [{"type": "meeting.started", "subject": "81234567890", "occurred_at": (NOW - 1) * 1000, "data": EVENT}]
    standard_cases(A, sign, None, events, SIG, True)
    plain = "qgg8vlvZRS6UYooatFL8Aw"
    b, h = sign(SECRET, NOW, crc(plain))
    write(A, "handshake", "endpoint.url_validation: answered with the plain token and its HMAC",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "response": {
              "status": 200, "body": crc_answer(SECRET, plain), "headers": {"Content-Type": "application/json"}}})
    b, h = sign(OLD_SECRET, NOW, crc(plain))
    write(A, "handshake-rotated-secret", "a CRC signed with the older secret is answered with that secret",
          {"headers": h, "body": b}, [SECRET, OLD_SECRET], {"verify": "ok", "response": {
              "status": 200, "body": crc_answer(OLD_SECRET, plain)}})
    b, h = sign("not-the-secret", NOW, crc(plain))
    write(A, "handshake-wrong-secret", "a CRC signed with another secret is rejected, never answered",
          {"headers": h, "body": b}, [SECRET], rejected("bad_signature"))
    write(A, "handshake-unsigned", "an unsigned CRC is rejected", {"headers": {TS: str(NOW)}, "body": crc(plain)},
          [SECRET], rejected("missing_signature"))
    b, h = sign(SECRET, NOW)
    h[SIG] = h[SIG].replace("v0=", "v1=")
    write(A, "unknown-version", "a signature version other than v0", {"headers": h, "body": b}, [SECRET],
          rejected("malformed"))
    b, h = sign(SECRET, NOW)
    del h[TS]
    write(A, "missing-timestamp", f"no {TS} header", {"headers": h, "body": b}, [SECRET],
          rejected("missing_signature"))
    b, h = sign(SECRET, NOW * 1000 + 250)
    write(A, "timestamp-in-milliseconds", "a timestamp header in milliseconds is read as such",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "events": events})
    vendor_sdk(plain)


def rivet(secret, headers, body):
    # ES modules resolve packages from the script's folder: run a copy there.
    script = pathlib.Path(os.environ["RIVET_DIR"]) / "rivet_verify.mjs"
    script.write_text(pathlib.Path(__file__).with_name("rivet_verify.mjs").read_text())
    out = subprocess.run(["node", str(script)], input=json.dumps({"secret": secret, "headers": headers, "body": body}),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def vendor_sdk(plain):
    directory = os.environ.get("RIVET_DIR")
    if not directory or not (pathlib.Path(directory) / "node_modules/@zoom/rivet").is_dir():
        print("RIVET_DIR not set or @zoom/rivet missing: keeping the existing vendor-sdk*.json fixtures")
        return
    meta = json.loads((pathlib.Path(directory) / "node_modules/@zoom/rivet/package.json").read_text())
    version = f"@zoom/rivet {meta['version']}"
    secret = "zoom-rivet-secret-token"
    b, h = sign(secret, NOW, crc(plain))
    answer = rivet(secret, h, b)
    assert answer["statusCode"] == 200, answer
    write(A, "vendor-sdk", f"CRC verified and answered by {version} (AwsLambdaReceiver); its answer is expected",
          {"headers": h, "body": b}, [secret], {"verify": "ok", "response": {"status": 200, "body": answer["body"]}})
    b, h = sign(secret, NOW)
    answer = rivet(secret, h, b)
    assert answer["statusCode"] == 200, answer
    write(A, "vendor-sdk-event", f"an event {version} (AwsLambdaReceiver) verifies: {answer['body']}",
          {"headers": h, "body": b}, [secret],
          {"verify": "ok", "events": [{"type": "meeting.started", "data": json.loads(b)}]})
    h[SIG] = "v0=" + mac("another-token", f"v0:{NOW}:{b}")
    answer = rivet(secret, h, b)
    assert answer["statusCode"] == 400, answer
    write(A, "vendor-sdk-rejected", f"an event {version} rejects: {answer['body']}",
          {"headers": h, "body": b}, [secret], rejected("bad_signature"))


if __name__ == "__main__":
    main()
