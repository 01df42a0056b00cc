#!/usr/bin/env python3
"""Writes the Twitch EventSub adapter's fixtures: python3 plugins/twitch/make_fixtures.py

Twitch publishes no official Python or npm SDK for EventSub (its only tool,
twitch-cli, is a Go program), so there is no vendor-sdk case. Bodies follow the
examples in Twitch's EventSub reference.
"""
import datetime
import hashlib
import hmac
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET, WRONG  # noqa: E402

A = "twitch"
SIG, MID, TS, MTYPE = ("Twitch-Eventsub-Message-Signature", "Twitch-Eventsub-Message-Id",
                       "Twitch-Eventsub-Message-Timestamp", "Twitch-Eventsub-Message-Type")
MESSAGE_ID = "befa7b53-d79d-478f-86b9-120f112b044e"
SUBSCRIPTION = {"id": "f1c2a387-161a-49f9-a165-0f21d7a4e1c4", "status": "enabled", "type": "channel.follow",
                "version": "2", "cost": 0, "condition": {"broadcaster_user_id": "1337", "moderator_user_id": "1337"},
                "transport": {"method": "webhook", "callback": "https://hookyard.test/webhooks/wh_fixture"},
                "created_at": "2025-11-20T10:11:12.634234626Z"}
FOLLOW = {"subscription": SUBSCRIPTION, "event": {
    "user_id": "1234", "user_login": "cool_user", "user_name": "Cool_User", "broadcaster_user_id": "1337",
    "broadcaster_user_login": "cooler_user", "broadcaster_user_name": "Cooler_User",
    "followed_at": "2025-11-22T08:26:38.17106713Z"}}
BODY = compact(FOLLOW)


def rfc3339(seconds, nanos=634234626):
    dt = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos:09d}Z"


def sign(secret, now, body=BODY, message_type="notification", message_id=MESSAGE_ID, timestamp=None):
    ts = timestamp or rfc3339(now)
    sig = hmac.new(secret.encode(), (message_id + ts + body).encode(), hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", MID: message_id, "Twitch-Eventsub-Message-Retry": "0",
                  MTYPE: message_type, SIG: "sha256=" + sig, TS: ts,
                  "Twitch-Eventsub-Subscription-Type": "channel.follow",
                  "Twitch-Eventsub-Subscription-Version": "2"}


def main():
    events = [{"type": "channel.follow", "dedup_id": MESSAGE_ID, "subject": "1337",
               "occurred_at": NOW * 1000 + 634, "data": FOLLOW}]
    standard_cases(A, sign, None, events, SIG, False)
    b, h = sign(SECRET, NOW - 601)
    write(A, "stale-timestamp", "sent 601 s before the clock (Twitch: reject messages older than 10 minutes)",
          {"headers": h, "body": b}, [SECRET], rejected("timestamp_out_of_tolerance"))
    b, h = sign(SECRET, NOW - 599)
    write(A, "timestamp-within-tolerance", "sent 599 s before the clock", {"headers": h, "body": b}, [SECRET],
          {"verify": "ok", "events": [{"type": "channel.follow", "dedup_id": MESSAGE_ID, "data": FOLLOW}]})
    b, h = sign(SECRET, NOW - 61)
    write(A, "custom-tolerance", "tolerance_seconds narrows the window", {"headers": h, "body": b}, [SECRET],
          rejected("timestamp_out_of_tolerance"), {"tolerance_seconds": 60})
    b, h = sign(SECRET, NOW, timestamp="2025-11-22T09:26:40.5+01:00")
    write(A, "timestamp-with-offset", "an RFC 3339 timestamp with an offset and a short fraction",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "events": [
              {"type": "channel.follow", "occurred_at": NOW * 1000 + 500, "data": FOLLOW}]})
    b, h = sign(SECRET, NOW, timestamp="yesterday")
    write(A, "malformed-timestamp", "a timestamp that is not RFC 3339", {"headers": h, "body": b}, [SECRET],
          rejected("malformed"))
    b, h = sign(SECRET, NOW)
    del h[MID]
    write(A, "missing-message-id", f"no {MID} header", {"headers": h, "body": b}, [SECRET],
          rejected("missing_signature"))
    challenge = "pogchamp-kappa-360noscope-vohiyo"
    verification = compact({"challenge": challenge, "subscription": dict(
        SUBSCRIPTION, status="webhook_callback_verification_pending")})
    b, h = sign(SECRET, NOW, verification, "webhook_callback_verification", "e76c6bd4-55c9-4987-8304-da1588d8988b")
    write(A, "handshake", "webhook_callback_verification: the raw challenge as text/plain",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "response": {
              "status": 200, "body": challenge, "headers": {"Content-Type": "text/plain"}}})
    b, h = sign(WRONG, NOW, verification, "webhook_callback_verification", "e76c6bd4-55c9-4987-8304-da1588d8988b")
    write(A, "handshake-wrong-secret", "a verification signed with another secret is rejected, never answered",
          {"headers": h, "body": b}, [SECRET], rejected("bad_signature"))
    revoked = {"subscription": dict(SUBSCRIPTION, status="authorization_revoked", cost=1)}
    b, h = sign(SECRET, NOW, compact(revoked), "revocation", "84c1e79a-2a4b-4c13-ba0b-4312293e9308")
    write(A, "revocation", "a revocation message becomes a revocation event",
          {"headers": h, "body": b}, [SECRET], {"verify": "ok", "events": [
              {"type": "revocation", "dedup_id": "84c1e79a-2a4b-4c13-ba0b-4312293e9308", "subject": "1337",
               "data": revoked}]})


if __name__ == "__main__":
    main()
