#!/usr/bin/env python3
"""Writes the Twilio adapter's fixtures: python3 plugins/twilio/make_fixtures.py

Every request names the full URL Twilio signed in its `url`. The vendor-sdk
cases need the official helper library (PyPI `twilio`); without it the existing
vendor-sdk*.json files are kept:

    python3 -m venv /tmp/venv-b && /tmp/venv-b/bin/pip install twilio
    /tmp/venv-b/bin/python plugins/twilio/make_fixtures.py
"""
import base64
import hashlib
import hmac
import json
import pathlib
import sys
from urllib.parse import parse_qsl, urlencode, urlsplit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "twilio"
SIG = "X-Twilio-Signature"
URL = "https://hookyard.test/webhooks/wh_twilio?src=sms"
FORM = "application/x-www-form-urlencoded"
ACCOUNT = "AC1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
SMS = [("ToCountry", "US"), ("ToState", "CA"), ("SmsMessageSid", "SM5c0a4ba6f6d3c3f0b7d4f8f5e2a1b9c7"),
       ("NumMedia", "0"), ("ToCity", "SAN FRANCISCO"), ("FromZip", "94107"),
       ("SmsSid", "SM5c0a4ba6f6d3c3f0b7d4f8f5e2a1b9c7"), ("FromState", "CA"), ("SmsStatus", "received"),
       ("FromCity", "SAN FRANCISCO"), ("Body", "Hello from Hookyard & friends!"), ("FromCountry", "US"),
       ("To", "+14155550100"), ("ToZip", "94105"), ("NumSegments", "1"),
       ("MessageSid", "SM5c0a4ba6f6d3c3f0b7d4f8f5e2a1b9c7"), ("AccountSid", ACCOUNT),
       ("From", "+14155550199"), ("ApiVersion", "2010-04-01")]
TOKEN = "idem-7f1d2c9a-3b4e-4c5d-8e6f-0a1b2c3d4e5f"


def signature(secret, url, params, algo=hashlib.sha1):
    content = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(secret.encode(), content.encode(), algo).digest()).decode()


def form_request(secret, params=SMS, url=URL, signed_url=None, extra=None):
    headers = {"Content-Type": FORM, "User-Agent": "TwilioProxy/1.1", "I-Twilio-Idempotency-Token": TOKEN,
               SIG: signature(secret, signed_url or url, params)}
    headers.update(extra or {})
    return {"url": url, "headers": headers, "body": urlencode(params)}


def form_data(text):
    """What a form (or GET query) callback stores: its parameters, decoded, as a JSON object of strings."""
    return dict(parse_qsl(text, keep_blank_values=True))


def json_request(secret, body, url="https://hookyard.test/webhooks/wh_twilio"):
    signed = url + ("&" if "?" in url else "?") + "bodySHA256=" + hashlib.sha256(body.encode()).hexdigest()
    return {"url": signed, "headers": {"Content-Type": "application/json", SIG: signature(secret, signed, [])},
            "body": body}


def main():
    sms_data = dict(SMS)
    events = [{"type": "message.received", "dedup_id": TOKEN, "subject": "SM5c0a4ba6f6d3c3f0b7d4f8f5e2a1b9c7",
               "data": sms_data}]
    ok = {"verify": "ok", "events": events}
    write(A, "valid", "an incoming SMS, form-encoded, signed over URL + sorted parameters",
          form_request(SECRET), [SECRET], ok)
    write(A, "rotated-secret", "signed with the older of two active Auth Tokens", form_request(OLD_SECRET),
          [SECRET, OLD_SECRET], ok)
    tampered = form_request(SECRET)
    tampered["body"] = tampered["body"].replace("Hello", "Jello")
    write(A, "tampered-body", "a parameter changed after signing", tampered, [SECRET], rejected("bad_signature"))
    write(A, "wrong-secret", "signed with another Auth Token", form_request(SECRET), [WRONG],
          rejected("bad_signature"))
    missing = form_request(SECRET)
    del missing["headers"][SIG]
    write(A, "missing-header", f"no {SIG} header", missing, [SECRET], rejected("missing_signature"))
    write(A, "no-secret", "a source without a secret rejects everything (fail closed)", form_request(SECRET), [],
          rejected("unauthorized"))
    write(A, "other-url", "signed for another URL (http instead of https): the URL is part of the signature",
          form_request(SECRET, signed_url=URL.replace("https:", "http:")), [SECRET], rejected("bad_signature"))
    write(A, "other-query", "signed without the URL's query string", form_request(SECRET, signed_url=URL.split("?")[0]),
          [SECRET], rejected("bad_signature"))
    write(A, "port-signed", "Twilio signed the URL with :443; the request URL has no port",
          form_request(SECRET, signed_url=URL.replace("hookyard.test", "hookyard.test:443")), [SECRET], ok)
    write(A, "port-in-url", "the request URL has :443; Twilio signed it without",
          form_request(SECRET, url=URL.replace("hookyard.test", "hookyard.test:443"), signed_url=URL), [SECRET], ok)
    status = [("AccountSid", ACCOUNT), ("ApiVersion", "2010-04-01"), ("From", "+14155550100"),
              ("MessageSid", "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0"), ("MessageStatus", "delivered"),
              ("SmsSid", "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0"), ("SmsStatus", "delivered"), ("To", "+14155550199")]
    req = form_request(SECRET, status, url="https://hookyard.test/webhooks/wh_twilio")
    del req["headers"]["I-Twilio-Idempotency-Token"]
    write(A, "status-callback", "a message status callback without idempotency token: dedup on SID + status",
          req, [SECRET], {"verify": "ok", "events": [
              {"type": "message.delivered", "dedup_id": "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0:delivered",
               "subject": "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0", "data": form_data(req["body"])}]})
    call = [("AccountSid", ACCOUNT), ("ApiVersion", "2010-04-01"), ("CallSid", "CA2f3e4d5c6b7a8990a1b2c3d4e5f6a7b8"),
            ("CallStatus", "ringing"), ("Called", "+14155550100"), ("Caller", "+14155550199"),
            ("Direction", "inbound"), ("From", "+14155550199"), ("To", "+14155550100")]
    get_url = "https://hookyard.test/webhooks/wh_twilio?" + urlencode(call)
    write(A, "voice-get", "an incoming call with method GET: the parameters are in the signed URL",
          {"method": "GET", "url": get_url, "headers": {SIG: signature(SECRET, get_url, []),
                                                        "I-Twilio-Idempotency-Token": TOKEN}}, [SECRET],
          {"verify": "ok", "events": [{"type": "call.ringing", "dedup_id": TOKEN,
                                       "subject": "CA2f3e4d5c6b7a8990a1b2c3d4e5f6a7b8",
                                       "data": form_data(urlsplit(get_url).query)}]})
    conv = [("AccountSid", ACCOUNT), ("Author", "ada"), ("Body", "hi"), ("ConversationSid",
            "CH0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a"), ("EventType", "onMessageAdded"), ("Index", "3"),
            ("MessageSid", "IM6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"), ("Source", "SDK")]
    req = form_request(SECRET, conv, url="https://hookyard.test/webhooks/wh_twilio")
    write(A, "conversations-event", "Conversations post-event webhook: typed by EventType", req, [SECRET],
          {"verify": "ok", "events": [{"type": "onMessageAdded", "dedup_id": TOKEN,
                                       "subject": "IM6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d", "data": form_data(req["body"])}]})
    cloud = [{"specversion": "1.0", "type": "com.twilio.messaging.message.delivered",
              "source": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/SM9f8e7d6c5b4a39281706f5e4d3c2b1a0.json",
              "id": "EZ0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e", "dataschema":
              "https://events-schemas.twilio.com/Messaging.MessageStatus/4", "datacontenttype": "application/json",
              "time": "2025-11-22T08:26:38.000Z", "data": {"messageSid": "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                                                           "messageStatus": "DELIVERED", "accountSid": ACCOUNT}},
             {"specversion": "1.0", "type": "com.twilio.voice.status-callback.call.completed",
              "source": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/CA2f3e4d5c6b7a8990a1b2c3d4e5f6a7b8.json",
              "id": "EZ9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", "datacontenttype": "application/json",
              "time": "2025-11-22T08:26:39.000Z", "data": {"callSid": "CA2f3e4d5c6b7a8990a1b2c3d4e5f6a7b8",
                                                           "callStatus": "completed"}}]
    body = compact(cloud)
    json_events = [{"type": c["type"], "dedup_id": c["id"], "subject": c["source"], "data": c} for c in cloud]
    write(A, "json-body", "Event Streams CloudEvents: bodySHA256 in the signed URL, one event per element",
          json_request(SECRET, body), [SECRET], {"verify": "ok", "events": json_events})
    req = json_request(SECRET, body)
    req["body"] = body.replace("DELIVERED", "UNDELIVERED")
    write(A, "json-body-tampered", "a JSON body changed after signing: its hash no longer matches",
          req, [SECRET], rejected("bad_signature"))
    forged = body.replace("DELIVERED", "UNDELIVERED")
    req["url"] = req["url"].split("bodySHA256=")[0] + "bodySHA256=" + hashlib.sha256(forged.encode()).hexdigest()
    req["body"] = forged
    write(A, "json-hash-replaced", "body and bodySHA256 both replaced: the signed URL no longer matches",
          req, [SECRET], rejected("bad_signature"))
    shared = form_request(SECRET, extra={"X-Twilio-Webhooks-Signature-Settings":
                                         "key=webhooks_sharedkey_01jc4qz2w3x4y5z6a7b8c9d0e1,algorithm=HMAC_SHA256"})
    shared["headers"][SIG] = signature(SECRET, URL, SMS, hashlib.sha256)
    write(A, "shared-key-sha256", "signed with a SharedKey and HMAC-SHA256, as the settings header says",
          shared, [SECRET], ok)
    shared["headers"]["X-Twilio-Webhooks-Signature-Settings"] = "key=webhooks_sharedkey_01,algorithm=HMAC_SHA512"
    write(A, "shared-key-unknown-algorithm", "an algorithm this adapter does not know", shared, [SECRET],
          rejected("malformed"))
    vector = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
              ("From", "+14158675309"), ("To", "+18005551212")]
    write(A, "published-vector", "twilio-python tests/unit/test_request_validator.py (shared/vendors.md)",
          {"url": "https://mycompany.com/myapp.php?foo=1&bar=2",
           "headers": {"Content-Type": FORM, SIG: "RSOYDt4T1cUTdK1PDd93/VVr8B8="}, "body": urlencode(vector)},
          ["12345"], {"verify": "ok", "events": [{"type": "request", "subject": "CA1234567890ABCDE",
                                                  "data": dict(vector)}]})
    vendor_sdk()


def vendor_sdk():
    try:
        from importlib.metadata import version
        from twilio.request_validator import RequestValidator
    except ImportError:
        print("twilio not installed: keeping the existing vendor-sdk*.json fixtures")
        return
    v = version("twilio")
    validator = RequestValidator("twilio-sdk-auth-token")
    url = "https://hookyard.test/webhooks/wh_twilio?src=status"
    params = dict([("AccountSid", ACCOUNT), ("CallSid", "CA0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
                   ("CallStatus", "completed"), ("CallDuration", "42"), ("Direction", "outbound-api")])
    sig = validator.compute_signature(url, params)
    assert validator.validate(url, params, sig)
    write(A, "vendor-sdk", f"signed by twilio-python {v} (RequestValidator.compute_signature)",
          {"url": url, "headers": {"Content-Type": FORM, SIG: sig}, "body": urlencode(params)},
          ["twilio-sdk-auth-token"], {"verify": "ok", "events": [
              {"type": "call.completed", "dedup_id": "CA0f1e2d3c4b5a69788796a5b4c3d2e1f0:completed",
               "data": form_data(urlencode(params))}]})
    body = compact({"type": "com.twilio.messaging.inbound-message.received", "id": "EZsdk1"})
    url = "https://hookyard.test/webhooks/wh_twilio?bodySHA256=" + validator.compute_hash(body)
    sig = validator.compute_signature(url, {})
    assert validator.validate(url, body, sig)
    write(A, "vendor-sdk-json", f"JSON body signed by twilio-python {v} (compute_hash + compute_signature)",
          {"url": url, "headers": {"Content-Type": "application/json", SIG: sig}, "body": body},
          ["twilio-sdk-auth-token"], {"verify": "ok", "events": [
              {"type": "com.twilio.messaging.inbound-message.received", "dedup_id": "EZsdk1",
               "data": json.loads(body)}]})
    sig = validator.compute_signature(URL, dict(SMS), algorithm="HMAC_SHA256")
    write(A, "vendor-sdk-shared-key", f"SharedKey HMAC-SHA256 signed by twilio-python {v} "
          "(compute_signature algorithm=HMAC_SHA256)",
          {"url": URL, "headers": {"Content-Type": FORM, SIG: sig, "X-Twilio-Webhooks-Signature-Settings":
                                   "key=webhooks_sharedkey_01jc4qz2w3x4y5z6a7b8c9d0e1,algorithm=HMAC_SHA256"},
           "body": urlencode(SMS)}, ["twilio-sdk-auth-token"],
          {"verify": "ok", "events": [{"type": "message.received", "data": form_data(urlencode(SMS))}]})


if __name__ == "__main__":
    main()
