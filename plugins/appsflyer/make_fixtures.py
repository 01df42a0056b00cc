#!/usr/bin/env python3
"""Writes the AppsFlyer Push API adapter's fixtures (format: sdk/fixture/src/lib.rs).

AppsFlyer signs nothing: a per-app token travels in a header. The cases test
the token (valid, bearer form, rotated, wrong, absent, custom header), both
delivery methods (POST JSON, GET query) and the type rules. The payload follows
the field names of AppsFlyer's Push API V2 message examples. No tampered-body
case (the body is not signed), no published vector and no vendor-sdk case:
AppsFlyer has no SDK that produces or checks Push API messages.
"""
import pathlib
import sys
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fixtures import write, compact, rejected, NOW, SECRET, OLD_SECRET, WRONG  # noqa: E402

A = "appsflyer"
(pathlib.Path(__file__).resolve().parent / "fixtures").mkdir(exist_ok=True)
PURCHASE = {"app_id": "com.appsflyer.sdktest", "app_name": "AppsFlyer SDK Test", "platform": "android",
            "appsflyer_id": "1578441154698-3287917", "customer_user_id": "user-8841", "event_name": "af_purchase",
            "event_time": "2020-01-15 14:57:24.898", "event_value": "{\"af_revenue\":\"2.99\",\"af_currency\":\"USD\"}",
            "event_revenue": "2.99", "event_revenue_currency": "USD", "event_source": "SDK",
            "conversion_type": "install", "campaign_type": "organic", "media_source": "organic",
            "install_time": "2020-01-08 00:12:39.022", "country_code": "IL", "city": "Tel Aviv",
            "device_category": "phone", "selected_currency": "USD"}
BODY = compact(PURCHASE)
EVENT = [{"type": "af_purchase", "subject": "1578441154698-3287917", "occurred_at": 1579100244898, "data": PURCHASE}]
JSON = {"Content-Type": "application/json"}

write(A, "valid", "POST JSON with the bare token in Authorization",
      {"headers": {**JSON, "Authorization": SECRET}, "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT})
write(A, "bearer", "Authorization: Bearer <token> is accepted too",
      {"headers": {**JSON, "Authorization": "Bearer " + SECRET}, "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT})
write(A, "custom-header", "a token header named at AppsFlyer (setting header)",
      {"headers": {**JSON, "X-AF-Push-Token": SECRET}, "body": BODY}, [SECRET], {"verify": "ok", "events": EVENT},
      {"header": "X-AF-Push-Token"})
write(A, "rotated-secret", "the older of two active tokens",
      {"headers": {**JSON, "Authorization": OLD_SECRET}, "body": BODY}, [SECRET, OLD_SECRET],
      {"verify": "ok", "events": EVENT})
write(A, "wrong-secret", "a token that matches no active secret",
      {"headers": {**JSON, "Authorization": WRONG}, "body": BODY}, [SECRET], rejected("unauthorized"))
write(A, "missing-header", "no token header", {"headers": JSON, "body": BODY}, [SECRET], rejected("missing_signature"))
write(A, "no-secret", "a source without a token rejects everything (fail closed)",
      {"headers": {**JSON, "Authorization": SECRET}, "body": BODY}, [], rejected("unauthorized"))
install = {k: v for k, v in PURCHASE.items() if not k.startswith("event_value") and not k.startswith("event_revenue")}
install.update(event_name="install", event_time="2020-01-08 00:12:39.022")
query = urllib.parse.urlencode(install)
write(A, "get-query", "a GET message: the query parameters become the event's JSON object (strings); "
      "dedup id = SHA-256 of the raw query, since the body is empty",
      {"method": "GET", "url": "https://hookyard.test/webhooks/wh_fixture?" + query, "headers": {"Authorization": SECRET}},
      [SECRET], {"verify": "ok", "events": [{"type": "install", "subject": "1578441154698-3287917",
                                             "dedup_id": "query-sha256:" + __import__("hashlib").sha256(query.encode()).hexdigest(),
                                             "occurred_at": 1578442359022, "data": install}]})
reengage = dict(PURCHASE, event_name="re-engagement", conversion_type="re-engagement", campaign_type="retargeting")
del reengage["event_value"], reengage["event_revenue"], reengage["event_revenue_currency"]
write(A, "re-engagement", "a retargeting conversion: the type is the event_name as sent",
      {"headers": {**JSON, "Authorization": SECRET}, "body": compact(reengage)}, [SECRET],
      {"verify": "ok", "events": [{"type": "re-engagement", "data": reengage}]})
custom = dict(PURCHASE, event_name="Level Up: World 3")
write(A, "custom-event-name", "a free-form in-app event name is the type exactly, spaces and all",
      {"headers": {**JSON, "Authorization": SECRET}, "body": compact(custom)}, [SECRET],
      {"verify": "ok", "events": [{"type": "Level Up: World 3", "data": custom}]})
no_name = {k: v for k, v in PURCHASE.items() if k != "event_name"}
write(A, "no-event-name", "without event_name the type is conversion_type",
      {"headers": {**JSON, "Authorization": SECRET}, "body": compact(no_name)}, [SECRET],
      {"verify": "ok", "events": [{"type": "install", "data": no_name}]})
bare = {k: v for k, v in no_name.items() if k != "conversion_type"}
write(A, "no-type", "neither event_name nor conversion_type: malformed",
      {"headers": {**JSON, "Authorization": SECRET}, "body": compact(bare)}, [SECRET],
      {"verify": "ok", "handle_error": "malformed"})
write(A, "not-an-object", "a JSON body that is not an object",
      {"headers": {**JSON, "Authorization": SECRET}, "body": "[1,2]"}, [SECRET], {"verify": "ok", "handle_error": "malformed"})
print("appsflyer fixtures written")
