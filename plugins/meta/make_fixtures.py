#!/usr/bin/env python3
"""Writes the Meta adapter's fixtures: python3 plugins/meta/make_fixtures.py

Meta publishes no test vector and none of its SDKs on PyPI or npm
(facebook-business, the WhatsApp samples) computes or checks X-Hub-Signature-256,
so there is no vendor-sdk case. Payloads follow the examples in Meta's Webhooks,
Messenger and WhatsApp Cloud API references.
"""
import hashlib
import hmac
import pathlib
import sys
from urllib.parse import urlencode

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, standard_cases, compact, rejected, NOW, SECRET  # noqa: E402

A = "meta"
URL = "https://hookyard.test/webhooks/wh_meta"
WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
WABA = "102290129340398"
METADATA = {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}
MESSAGE_CHANGE = {"value": {"messaging_product": "whatsapp", "metadata": METADATA,
                            "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
                            "messages": [{"from": "16505551234", "id": WAMID, "timestamp": str(NOW - 2),
                                          "type": "text", "text": {"body": "Does it come in another color?"}}]},
                  "field": "messages"}
WHATSAPP = {"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [MESSAGE_CHANGE]}]}
BODY = compact(WHATSAPP)


def sign(secret, _now, body=BODY):
    return body, {"Content-Type": "application/json", "User-Agent": "facebookexternalua",
                  "X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body.encode(), hashlib.sha1).hexdigest(),
                  "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body.encode(),
                                                              hashlib.sha256).hexdigest()}


def request(body, secret=SECRET):
    b, h = sign(secret, NOW, compact(body))
    return {"url": URL, "headers": h, "body": b}


def text(value):
    """A JSON value as the adapter reads an id: strings as they are, numbers rendered, else empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else ""


def split(body):
    """What each event of a payload stores, in order: per entry its changes, then its messaging items, each
    with the object, the entry's id and time (null when absent)."""
    out = []
    for entry in body["entry"]:
        common = {"object": body["object"], "entry_id": text(entry.get("id")), "time": entry.get("time")}
        out += [dict(common, change=change) for change in entry.get("changes", [])]
        out += [dict(common, messaging=item) for item in entry.get("messaging", [])]
    return out


def with_data(events, body):
    data = split(body)
    assert len(data) == len(events), (len(data), len(events))
    return [dict(event, data=d) for event, d in zip(events, data)]


def main():
    events = [{"type": "whatsapp_business_account.messages", "dedup_id": WAMID, "subject": WABA,
               "data": {"object": "whatsapp_business_account", "entry_id": WABA, "time": None,
                        "change": MESSAGE_CHANGE}}]
    standard_cases(A, sign, None, events, "X-Hub-Signature-256", False)
    # standard_cases' missing-header drops only the SHA-256 header; without either:
    b, h = sign(SECRET, NOW)
    write(A, "missing-header", "neither X-Hub-Signature-256 nor X-Hub-Signature",
          {"headers": {"Content-Type": "application/json"}, "body": b}, [SECRET], rejected("missing_signature"))
    legacy = {k: v for k, v in h.items() if k != "X-Hub-Signature-256"}
    write(A, "legacy-sha1", "only the legacy SHA-1 X-Hub-Signature", {"headers": legacy, "body": b}, [SECRET],
          {"verify": "ok", "events": with_data([{"type": "whatsapp_business_account.messages"}], WHATSAPP)})
    forged = dict(h, **{"X-Hub-Signature": "sha1=" + hmac.new(b"x", b.encode(), hashlib.sha1).hexdigest()})
    write(A, "sha256-wins", "with both headers the SHA-256 one decides (a forged SHA-1 is ignored)",
          {"headers": forged, "body": b}, [SECRET],
          {"verify": "ok", "events": with_data([{"type": "whatsapp_business_account.messages"}], WHATSAPP)})
    status = {"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": METADATA, "statuses": [
            {"id": WAMID, "status": "delivered", "timestamp": str(NOW - 1), "recipient_id": "16505551234"}]}}]}]}
    write(A, "whatsapp-status", "a status update is deduplicated on message id and status", request(status), [SECRET],
          {"verify": "ok", "events": with_data([{"type": "whatsapp_business_account.messages",
                                                 "dedup_id": f"{WAMID}:delivered", "subject": WABA}], status)},
          {"objects": ["whatsapp_business_account"]})
    page = {"object": "page", "entry": [{"id": "106543212345678", "time": NOW - 5, "changes": [
        {"field": "feed", "value": {"item": "comment", "verb": "add", "post_id": "106543212345678_1234",
                                    "comment_id": "1234_5678", "message": "Nice!", "created_time": NOW - 6,
                                    "from": {"id": "2345", "name": "Ada"}}},
        {"field": "mention", "value": {"item": "post", "verb": "add", "post_id": "2345_9876"}}]}]}
    write(A, "page-changes", "two changes in one entry: one event each, timed by the entry",
          request(page), [SECRET], {"verify": "ok", "events": with_data([
              {"type": "page.feed", "subject": "106543212345678", "occurred_at": (NOW - 5) * 1000},
              {"type": "page.mention", "subject": "106543212345678", "occurred_at": (NOW - 5) * 1000}], page)})
    messenger = {"object": "page", "entry": [{"id": "106543212345678", "time": NOW * 1000 - 700, "messaging": [
        {"sender": {"id": "6789012345678901"}, "recipient": {"id": "106543212345678"}, "timestamp": NOW * 1000 - 800,
         "message": {"mid": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
                     "text": "hello, world!"}},
        {"sender": {"id": "6789012345678901"}, "recipient": {"id": "106543212345678"}, "timestamp": NOW * 1000 - 600,
         "postback": {"title": "Get Started", "payload": "GET_STARTED"}}]}]}
    write(A, "valid-messenger", "Messenger messaging[]: typed by subscription field, timed in milliseconds",
          request(messenger), [SECRET], {"verify": "ok", "events": with_data([
              {"type": "page.messages", "subject": "106543212345678", "occurred_at": NOW * 1000 - 800,
               "dedup_id": messenger["entry"][0]["messaging"][0]["message"]["mid"]},
              {"type": "page.messaging_postbacks", "occurred_at": NOW * 1000 - 600}], messenger)},
          {"objects": ["page"]})
    instagram = {"object": "instagram", "entry": [{"id": "17841405822304914", "time": NOW - 3, "changes": [
        {"field": "comments", "value": {"id": "17865799348089039", "text": "Love it!",
                                        "from": {"id": "232323232", "username": "ada"},
                                        "media": {"id": "123123123", "media_product_type": "FEED"}}}]}]}
    write(A, "valid-instagram", "an Instagram comment, accepted by the instagram preset's objects",
          request(instagram), [SECRET], {"verify": "ok", "events": with_data([
              {"type": "instagram.comments", "subject": "17841405822304914", "occurred_at": (NOW - 3) * 1000}],
              instagram)},
          {"objects": ["instagram"]})
    write(A, "preset-rejects-other-object", "the whatsapp preset's objects setting refuses a page payload",
          request(page), [SECRET], {"verify": "ok", "handle_error": "malformed"},
          {"objects": ["whatsapp_business_account"]})
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "meatyhamhock"}
    get = {"method": "GET", "url": URL + "?" + urlencode(query)}
    write(A, "handshake", "the verification GET: the challenge as text/plain when the verify token matches",
          get, [SECRET], {"verify": "ok", "response": {"status": 200, "body": "1158201444",
                                                       "headers": {"Content-Type": "text/plain"}}},
          {"verify_token": "meatyhamhock"})
    write(A, "handshake-wrong-token", "a verification GET with another verify token is refused",
          {"method": "GET", "url": URL + "?" + urlencode(dict(query, **{"hub.verify_token": "other"}))}, [SECRET],
          rejected("unauthorized"), {"verify_token": "meatyhamhock"})
    write(A, "handshake-without-setting", "no verification while the verify_token setting is unset", get, [SECRET],
          rejected("unauthorized"))
    write(A, "handshake-no-secret", "no verification on a source without an app secret (fail closed)", get, [],
          rejected("unauthorized"), {"verify_token": "meatyhamhock"})


if __name__ == "__main__":
    main()
