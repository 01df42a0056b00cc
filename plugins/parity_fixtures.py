#!/usr/bin/env python3
"""Writes the parity fixtures of the JavaScript and Python twins.

Edge cases the conformance fixtures leave out (invalid UTF-8, 64-bit ids, odd
JSON types, bad settings and headers). `./dev test` runs each twin AND its Rust
twin against them, so both languages decide every case alike:

    python3 plugins/parity_fixtures.py

Writes plugins/shopify-js/parity-fixtures and plugins/stripe-py/parity-fixtures
(format: sdk/fixture/src/lib.rs).
"""
import base64
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fixtures import NOW, SECRET, hs256  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent
WHSEC = "whsec_parity"


def write(twin, name, description, headers, body: bytes, secrets, expect, settings=None):
    fixture = {"description": description,
               "request": {"headers": headers, "body_base64": base64.b64encode(body).decode()},
               "secrets": secrets}
    if settings is not None:
        fixture["settings"] = settings
    fixture["now"] = NOW
    fixture["expect"] = expect
    folder = ROOT / twin / "parity-fixtures"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(fixture, indent=2) + "\n")


def shopify():
    def case(name, description, body, expect, headers=None):
        signed = {"X-Shopify-Hmac-Sha256": base64.b64encode(hs256(SECRET.encode(), body)).decode(),
                  "X-Shopify-Topic": "orders/create"}
        write("shopify-js", name, description, {**signed, **(headers or {})}, body, [SECRET], expect)

    case("invalid-utf8", "a signed body that is not UTF-8", b"\xff\xfe{}",
         {"verify": "ok", "handle_error": "malformed"})
    case("not-json", "a signed body that is not JSON", b"not json",
         {"verify": "ok", "handle_error": "malformed"})
    big = b'{"id":820982911946154508,"x":1.5e3}'
    case("64-bit-id", "a 64-bit id survives into data", big,
         {"verify": "ok", "events": [{"type": "orders/create", "data": json.loads(big)}]})
    write("shopify-js", "bad-base64", "a signature that is not base64",
          {"X-Shopify-Hmac-Sha256": "abc", "X-Shopify-Topic": "a"}, b"{}", [SECRET], {"verify": "malformed"})
    write("shopify-js", "no-topic", "verified, but no X-Shopify-Topic",
          {"X-Shopify-Hmac-Sha256": base64.b64encode(hs256(SECRET.encode(), b"{}")).decode()}, b"{}",
          [SECRET], {"verify": "ok", "handle_error": "malformed"})


def stripe():
    def signature(body, t=NOW):
        return f"t={t},v1={hs256(WHSEC.encode(), f'{t}.'.encode() + body).hex()}"

    def case(name, description, body, expect, header=None, settings=None):
        write("stripe-py", name, description, {"Stripe-Signature": header or signature(body)}, body, [WHSEC],
              expect, settings)

    typed = b'{"type":"a"}'
    case("invalid-utf8", "a signed body that is not UTF-8", b"\xff{}", {"verify": "ok", "handle_error": "malformed"})
    odd = b'{"type":"a.b","id":7,"created":1.5,"data":{"object":{"id":true}}}'
    case("odd-types", "numbers and booleans where strings are expected; a float created", odd,
         {"verify": "ok", "events": [{"type": "a.b", "dedup_id": "7", "subject": "true", "data": json.loads(odd)}]})
    case("no-type", "an event without type", b'{"id":"x"}', {"verify": "ok", "handle_error": "malformed"})
    case("array-body", "a JSON array", b"[1]", {"verify": "ok", "handle_error": "malformed"})
    case("nan", "NaN is not JSON", b'{"type":"a","x":NaN}', {"verify": "ok", "handle_error": "malformed"})
    case("unknown-setting", "settings with an unknown field", typed, {"verify": "malformed"}, settings={"nope": 1})
    case("string-tolerance", "tolerance_seconds as a string", typed, {"verify": "malformed"},
         settings={"tolerance_seconds": "5"})
    case("bad-hex", "a v1 that is not hex", typed, {"verify": "malformed"}, header="t=1,v1=zz")
    case("no-timestamp", "no t=", typed, {"verify": "malformed"}, header="v1=00")
    case("future-timestamp", "signed 301 s after the clock", typed, {"verify": "timestamp_out_of_tolerance"},
         header=signature(typed, NOW + 301))
    case("plus-timestamp", "t=+<unix> parses as the same number", typed,
         {"verify": "ok", "events": [{"type": "a", "data": json.loads(typed)}]}, header="t=+" + signature(typed)[2:])


if __name__ == "__main__":
    shopify()
    stripe()
